/*
 * clv_optimize.h
 *		The deterministic BFGS minimiser the model fits use (clv_optimize.c).
 */
#ifndef RETENTION_CLV_OPTIMIZE_H
#define RETENTION_CLV_OPTIMIZE_H

#include <stdbool.h>

#define CLV_MAX_PARAMS 4

/* f(theta) to minimise; stores df/dtheta in grad */
typedef double (*ClvObjective) (const double *theta, double *grad, void *arg);

typedef struct ClvMinResult
{
	int			iterations;
	int			evaluations;
	bool		converged;		/* gradient small enough (see clv_optimize.c) */
	bool		at_bound;		/* some |theta_k| ended on the box */
	double		f;				/* objective at theta */
	double		grad_norm;		/* largest |df/dtheta_k| at theta */
} ClvMinResult;

/* minimises from theta (updated in place) within |theta_k| <= bound */
extern ClvMinResult clv_minimize(ClvObjective objective, void *arg, int n,
								 double *theta, double bound);

#endif							/* RETENTION_CLV_OPTIMIZE_H */
