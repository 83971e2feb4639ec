/*
 * bfgs.c
 *		A small deterministic BFGS minimiser in a box, for smooth objectives
 *		of a few variables with analytic gradients.
 *
 * Stratum: pure mathematics (no PostgreSQL, no host calls, nothing of the
 * models: clv_estimate.c is its one user).  The box |theta_k| <= bound keeps
 * a variable that runs off along a flat ridge finite; a run that ends near
 * the box says so (at_bound), and is never "converged".
 *
 * BFGS on the inverse Hessian, a backtracking Armijo line search with
 * safeguarded quadratic interpolation, steps limited to MAX_STEP, and the
 * update skipped when the curvature condition fails.  Convergence is judged
 * here, by the gradient's largest component: below GRAD_TOL, or below
 * GRAD_TOL_FLAT when the line search can no longer lower the objective (the
 * precision limit of a flat objective).  See doc/clv_math.md#bfgs and
 * doc/clv_math.md#convergence.
 */
#include "bfgs.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define GRAD_TOL		1e-9
#define GRAD_TOL_FLAT	1e-6
#define MAX_ITER		1000
#define MAX_STEP		4.0
#define ARMIJO_C1		1e-4
#define MAX_BACKTRACK	60
#define ON_BOUND		3.0

static double
max_abs(const double *v, int n)
{
	double		m = 0.0;
	int			k;

	for (k = 0; k < n; k++)
		if (fabs(v[k]) > m || isnan(v[k]))
			m = isnan(v[k]) ? INFINITY : fabs(v[k]);
	return m;
}

static void
set_identity(double H[BFGS_MAX_DIM][BFGS_MAX_DIM], int n)
{
	int			i,
				j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			H[i][j] = (i == j) ? 1.0 : 0.0;
}

BfgsResult
bfgs_minimize(BfgsObjective objective, void *arg, int n, double *theta, double bound)
{
	BfgsResult res;
	double		H[BFGS_MAX_DIM][BFGS_MAX_DIM];
	double		g[BFGS_MAX_DIM],
				g_new[BFGS_MAX_DIM],
				p[BFGS_MAX_DIM],
				trial[BFGS_MAX_DIM],
				s[BFGS_MAX_DIM],
				y[BFGS_MAX_DIM];
	double		f;
	int			i,
				j,
				k,
				stalled = 0;

	memset(&res, 0, sizeof(res));
	set_identity(H, n);
	f = objective(theta, g, arg);
	res.evaluations = 1;

	for (res.iterations = 0; res.iterations < MAX_ITER; res.iterations++)
	{
		double		slope = 0.0,
					step = 1.0,
					longest,
					f_new = f,
					ys = 0.0;
		bool		accepted = false;
		int			tries;

		if (!isfinite(f) || max_abs(g, n) < GRAD_TOL)
			break;

		/* direction p = -H g; fall back to steepest descent if not downhill */
		for (i = 0; i < n; i++)
		{
			p[i] = 0.0;
			for (j = 0; j < n; j++)
				p[i] -= H[i][j] * g[j];
		}
		/* coordinates on the box that p would push further out stay put */
		for (i = 0; i < n; i++)
			if ((theta[i] >= bound && p[i] > 0) || (theta[i] <= -bound && p[i] < 0))
				p[i] = 0.0;
		for (i = 0; i < n; i++)
			slope += g[i] * p[i];
		if (!(slope < 0))
		{
			set_identity(H, n);
			slope = 0.0;
			for (i = 0; i < n; i++)
			{
				p[i] = ((theta[i] >= bound && g[i] < 0) || (theta[i] <= -bound && g[i] > 0)) ? 0.0 : -g[i];
				slope += g[i] * p[i];
			}
			if (!(slope < 0))
				break;			/* stuck against the box */
		}
		longest = max_abs(p, n);
		if (longest > MAX_STEP)
			step = MAX_STEP / longest;

		for (tries = 0; tries < MAX_BACKTRACK; tries++)
		{
			for (i = 0; i < n; i++)
			{
				trial[i] = theta[i] + step * p[i];
				if (trial[i] > bound)
					trial[i] = bound;
				if (trial[i] < -bound)
					trial[i] = -bound;
			}
			f_new = objective(trial, g_new, arg);
			res.evaluations++;
			if (isfinite(f_new) && f_new <= f + ARMIJO_C1 * step * slope)
			{
				accepted = true;
				break;
			}
			/* minimiser of the quadratic through f, slope and f_new, kept in [0.1, 0.5] */
			if (isfinite(f_new))
			{
				double		q = -slope * step * step / (2.0 * (f_new - f - slope * step));

				step = fmin(fmax(q, 0.1 * step), 0.5 * step);
			}
			else
				step *= 0.1;
		}
		if (!accepted)
			break;				/* no lower point along p: at the precision limit */

		for (i = 0; i < n; i++)
		{
			s[i] = trial[i] - theta[i];
			y[i] = g_new[i] - g[i];
			ys += y[i] * s[i];
			theta[i] = trial[i];
			g[i] = g_new[i];
		}
		/* objective no longer moving at double precision: the end of the road */
		stalled = (f - f_new <= 4 * DBL_EPSILON * fabs(f)) ? stalled + 1 : 0;
		f = f_new;
		if (stalled >= 3)
			break;

		if (ys > 1e-14)
		{
			double		Hy[BFGS_MAX_DIM],
						yHy = 0.0;

			if (res.iterations == 0)
			{
				/* scale the first guess of the inverse Hessian (Nocedal & Wright 6.20) */
				double		yy = 0.0;

				for (i = 0; i < n; i++)
					yy += y[i] * y[i];
				for (i = 0; i < n; i++)
					H[i][i] = ys / yy;
			}
			for (i = 0; i < n; i++)
			{
				Hy[i] = 0.0;
				for (k = 0; k < n; k++)
					Hy[i] += H[i][k] * y[k];
				yHy += y[i] * Hy[i];
			}
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					H[i][j] += ((ys + yHy) * s[i] * s[j]) / (ys * ys)
						- (Hy[i] * s[j] + s[i] * Hy[j]) / ys;
		}
	}

	res.f = f;
	res.grad_norm = max_abs(g, n);
	res.converged = isfinite(f) &&
		(res.grad_norm < GRAD_TOL ||
		 (res.iterations < MAX_ITER && res.grad_norm < GRAD_TOL_FLAT));
	/*
	 * A variable within ON_BOUND of the box is running off along a flat
	 * ridge: the objective has no minimum there, whatever the gradient says.
	 */
	res.at_bound = false;
	for (i = 0; i < n; i++)
		if (fabs(theta[i]) >= bound - ON_BOUND)
			res.at_bound = true;
	if (res.at_bound)
		res.converged = false;
	return res;
}
