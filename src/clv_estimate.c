/*
 * clv_estimate.c
 *		Model dispatch and the maximum likelihood fit driver of the CLV
 *		models: which data identify a model, rescaling, the two fixed starts,
 *		the BFGS runs, and the result back in the data's units.
 *
 * Stratum: pure mathematics.  Includes the model interface (clv_models.h),
 * the general minimiser (bfgs.h) and the host interface (clv_host.h), and
 * nothing of PostgreSQL.  The method is doc/clv_math.md#fitting.
 */
#include "clv_models.h"
#include "clv_host.h"
#include "bfgs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if CLV_MAX_PARAMS > BFGS_MAX_DIM
#error "the minimiser takes fewer variables than a model has parameters"
#endif

/* |theta| <= 15 in rescaled units: parameters within e^-15 .. e^15 (doc/clv_math.md#bfgs) */
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

/*
 * Data without a repeat purchase, or observed for no time at all, carry no
 * information on the purchase rate: the likelihood rises for ever as r -> 0
 * or alpha -> infinity (doc/clv_math.md#identification).
 */
const char *
clv_unidentified(ClvModel model, const ClvPatterns *d)
{
	double		repeats = 0,
				longest = 0;
	int			i;

	if (model == CLV_GAMMA_GAMMA)
		return NULL;
	for (i = 0; i < d->n; i++)
	{
		repeats += d->x[i];
		longest = longest > d->T[i] ? longest : d->T[i];
	}
	if (repeats == 0)
		return "no customer made a repeat purchase (every frequency is 0)";
	if (longest == 0)
		return "every customer has t = 0 (no time observed)";
	return NULL;
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
	double		par[BFGS_MAX_DIM],
				g[BFGS_MAX_DIM];
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
 * not decide the result alone (doc/clv_math.md#rescaling,
 * doc/clv_math.md#starts).  Data that cannot identify the model fail at once.
 */
ClvFit
clv_fit(ClvModel model, const ClvPatterns *d, double *scratch)
{
	static const double starts[2][BFGS_MAX_DIM] = {
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
	if (clv_unidentified(model, d))
	{
		fit.failed = true;
		return fit;
	}
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
		double		theta[BFGS_MAX_DIM];
		BfgsResult r;

		memcpy(theta, starts[st], sizeof(theta));
		r = bfgs_minimize(mean_nll, &fp, nparams, theta, THETA_BOUND);
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
