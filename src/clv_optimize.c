/*
 * clv_optimize.c
 *		A small deterministic BFGS minimiser for the model fits.
 *
 * The fits minimise the mean negative log-likelihood over 3 or 4 parameters
 * in log space (theta = ln param), so there are no positivity constraints,
 * only a box |theta_k| <= bound that keeps a run-away fit (a Beta mixing
 * distribution collapsing to a point mass, CLV_MODELS.md 7.2) finite; a fit
 * that ends on the box says so.
 *
 * BFGS on the inverse Hessian with analytic gradients, a backtracking Armijo
 * line search with safeguarded quadratic interpolation, steps limited to
 * MAX_STEP in log space, and the update skipped when the curvature condition
 * fails.  Convergence is judged here, by the gradient's largest component,
 * never by a library flag (lifetimes #396): it is declared when that is below
 * GRAD_TOL, or below GRAD_TOL_FLAT when the line search can no longer lower
 * the objective (the precision limit of a flat likelihood).
 */
#include "clv_optimize.h"
#include "clv_models.h"
#include "clv_host.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
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
set_identity(double H[CLV_MAX_PARAMS][CLV_MAX_PARAMS], int n)
{
	int			i,
				j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			H[i][j] = (i == j) ? 1.0 : 0.0;
}

ClvMinResult
clv_minimize(ClvObjective objective, void *arg, int n, double *theta, double bound)
{
	ClvMinResult res;
	double		H[CLV_MAX_PARAMS][CLV_MAX_PARAMS];
	double		g[CLV_MAX_PARAMS],
				g_new[CLV_MAX_PARAMS],
				p[CLV_MAX_PARAMS],
				trial[CLV_MAX_PARAMS],
				s[CLV_MAX_PARAMS],
				y[CLV_MAX_PARAMS];
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
			double		Hy[CLV_MAX_PARAMS],
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
	 * A parameter within ON_BOUND of the box (e^12 from the rescaled data's
	 * natural scale of 1) is running off to 0 or infinity along a flat ridge:
	 * the likelihood has no maximum there, whatever the gradient says.
	 */
	res.at_bound = false;
	for (i = 0; i < n; i++)
		if (fabs(theta[i]) >= bound - ON_BOUND)
			res.at_bound = true;
	if (res.at_bound)
		res.converged = false;
	return res;
}

/* ---- the fit driver: rescaling, starts, and the result in natural units ---- */

/* |theta| <= 15 in rescaled units: parameters within e^-15 .. e^15 */
#define THETA_BOUND 15.0

int
clv_model_nparams(ClvModel model)
{
	return model == CLV_GAMMA_GAMMA ? 3 : 4;
}

double
clv_model_ll_sum(ClvModel model, const double *par, const ClvPatterns *d, double *grad)
{
	switch (model)
	{
		case CLV_BGNBD:
			return bgnbd_ll_sum(false, par, d, grad);
		case CLV_MBGNBD:
			return bgnbd_ll_sum(true, par, d, grad);
		case CLV_PARETO_NBD:
			return pnbd_ll_sum(par, d, grad);
		case CLV_GAMMA_GAMMA:
			return gg_ll_sum(par, d, grad);
	}
	return NAN;
}

typedef struct FitProblem
{
	ClvModel	model;
	int			nparams;
	const ClvPatterns *data;	/* rescaled */
} FitProblem;

/* mean negative log-likelihood in log-parameter space */
static double
mean_nll(const double *theta, double *grad, void *arg)
{
	FitProblem *fp = (FitProblem *) arg;
	double		par[CLV_MAX_PARAMS],
				g[CLV_MAX_PARAMS];
	double		ll;
	int			k;

	clv_check_interrupts();
	for (k = 0; k < fp->nparams; k++)
		par[k] = exp(theta[k]);
	ll = clv_model_ll_sum(fp->model, par, fp->data, g);
	for (k = 0; k < fp->nparams; k++)
		grad[k] = -g[k] / fp->data->total_weight;
	return -ll / fp->data->total_weight;
}

static int
double_cmp(const void *a, const void *b)
{
	double		p = *(const double *) a,
				q = *(const double *) b;

	return p < q ? -1 : (p > q ? 1 : 0);
}

/* index of v in the sorted, distinct times[0 .. n-1], where it is */
static int32_t
time_index(const double *times, int n, double v)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (times[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * d's distinct times, for the purchase models (ClvPatterns): in 5 n doubles
 * of scratch, 2 n for the sorted times, 2 n for the model's work, and the
 * 2 n int32 indexes in the last n.
 */
static void
build_time_table(ClvPatterns *d, double *scratch)
{
	double	   *times = scratch;
	int32_t    *idx = (int32_t *) (scratch + 4 * (size_t) d->n);
	int			i,
				k = 0;

	for (i = 0; i < d->n; i++)
	{
		times[2 * i] = d->tx[i];
		times[2 * i + 1] = d->T[i];
	}
	qsort(times, 2 * (size_t) d->n, sizeof(double), double_cmp);
	for (i = 0; i < 2 * d->n; i++)
		if (k == 0 || times[i] != times[k - 1])
			times[k++] = times[i];
	for (i = 0; i < d->n; i++)
	{
		idx[i] = time_index(times, k, d->tx[i]);
		idx[d->n + i] = time_index(times, k, d->T[i]);
	}
	d->ntimes = k;
	d->times = times;
	d->times_work = scratch + 2 * (size_t) d->n;
	d->tx_at = idx;
	d->T_at = idx + d->n;
}

/*
 * Times are divided by the largest T (money by the mean spend for
 * Gamma-Gamma), so that every parameter starts near its optimum's order of
 * magnitude from theta = 0; alpha and beta (v) scale back afterwards.  The
 * fit runs from theta = 0 and from one fixed perturbation of it and keeps the
 * better likelihood: deterministic, and a start that runs into a ridge does
 * not decide the result alone.
 */
ClvFit
clv_fit(ClvModel model, const ClvPatterns *d, double *scratch)
{
	static const double starts[2][CLV_MAX_PARAMS] = {
		{0.0, 0.0, 0.0, 0.0},
		{-1.0, 1.0, -1.0, 1.0}
	};
	int			nparams = clv_model_nparams(model);
	ClvPatterns scaled = *d;
	FitProblem	fp;
	ClvFit		fit;
	double		scale = 0.0,
				best_f = INFINITY;
	int			i,
				k,
				st;

	memset(&fit, 0, sizeof(fit));
	if (model == CLV_GAMMA_GAMMA)
	{
		for (i = 0; i < d->n; i++)
			scale += d->w[i] * d->tx[i];
		scale /= d->total_weight;
		for (i = 0; i < d->n; i++)
			scratch[i] = d->tx[i] / scale;
		scaled.tx = scratch;
	}
	else
	{
		for (i = 0; i < d->n; i++)
			scale = fmax(scale, d->T[i]);
		if (!(scale > 0))
			scale = 1.0;
		for (i = 0; i < d->n; i++)
		{
			scratch[i] = d->tx[i] / scale;
			scratch[d->n + i] = d->T[i] / scale;
		}
		scaled.tx = scratch;
		scaled.T = scratch + d->n;
		build_time_table(&scaled, scratch + 2 * d->n);
	}
	fp.model = model;
	fp.nparams = nparams;
	fp.data = &scaled;

	for (st = 0; st < 2; st++)
	{
		double		theta[CLV_MAX_PARAMS];
		ClvMinResult r;

		memcpy(theta, starts[st], sizeof(theta));
		r = clv_minimize(mean_nll, &fp, nparams, theta, THETA_BOUND);
		fit.evaluations += r.evaluations;
		if (r.f < best_f)
		{
			best_f = r.f;
			for (k = 0; k < nparams; k++)
				fit.par[k] = exp(theta[k]);
			fit.iterations = r.iterations;
			fit.converged = r.converged;
			fit.at_bound = r.at_bound;
			fit.grad_norm = r.grad_norm;
		}
	}

	if (!isfinite(best_f))
	{
		fit.failed = true;
		fit.converged = false;
		return fit;
	}

	/* back to the data's units: alpha, beta are times, v is money */
	if (model == CLV_GAMMA_GAMMA)
		fit.par[2] *= scale;
	else
	{
		fit.par[1] *= scale;
		if (model == CLV_PARETO_NBD)
			fit.par[3] *= scale;
	}
	fit.log_likelihood = clv_model_ll_sum(model, fit.par, d, NULL);
	return fit;
}
