/*
 * bfgs.h
 *		The deterministic BFGS minimiser in a box (bfgs.c).
 *
 * Stratum: pure mathematics; knows nothing of the CLV models.
 */
#ifndef RETENTION_BFGS_H
#define RETENTION_BFGS_H

#include <stdbool.h>

/* the most variables bfgs_minimize takes */
#define BFGS_MAX_DIM 4

/* f(theta) to minimise; stores df/dtheta in grad */
typedef double (*BfgsObjective) (const double *theta, double *grad, void *arg);

typedef struct BfgsResult
{
	int			iterations;
	int			evaluations;
	bool		converged;		/* gradient small enough (see bfgs.c) */
	bool		at_bound;		/* some |theta_k| ended near the box */
	double		f;				/* objective at theta */
	double		grad_norm;		/* largest |df/dtheta_k| at theta */
} BfgsResult;

/* minimises from theta (updated in place, n <= BFGS_MAX_DIM) within |theta_k| <= bound */
extern BfgsResult bfgs_minimize(BfgsObjective objective, void *arg, int n,
								double *theta, double bound);

#endif							/* RETENTION_BFGS_H */
