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
	switch (model)
	{
		case CLV_GAMMA_GAMMA:
			return 3;
		case CLV_SBG:
			return 2;
		default:
			return 4;
	}
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
		case CLV_SBG:
			return sbg_ll_sum(par, d, grad);
		case CLV_BGBB:
			return bgbb_ll_sum(par, d, grad);
	}
	return NAN;
}

/*
 * sBG: with no churn theta -> 0; with everyone gone by the first observed
 * period theta -> 1.  (That two periods after period 0 are observed, so that
 * there are two retention rates for two parameters, the caller checks: the
 * patterns do not show periods in which nobody churned.)
 */
static const char *
sbg_unidentified(const ClvPatterns *d)
{
	double		churned = 0,
				survived = 0,
				first_churned = 0;
	int			i;

	for (i = 0; i < d->n; i++)
	{
		if (d->T[i] != 0)
			survived += d->w[i];
		else
		{
			churned += d->w[i];
			if (d->tx[i] == 0)
				first_churned += d->w[i];
		}
	}
	if (churned == 0)
		return "no customer churned (every period keeps everyone)";
	if (survived == 0 && first_churned == churned)
		return "every customer churned by the first period observed after period 0";
	return NULL;
}

/* BG/BB: p needs transactions and their absence, and theta two opportunities */
static const char *
bgbb_unidentified(const ClvPatterns *d)
{
	double		bought = 0,
				missed = 0,
				longest = 0;
	int			i;

	for (i = 0; i < d->n; i++)
	{
		bought += d->x[i] * d->w[i];
		missed += (d->T[i] - d->x[i]) * d->w[i];
		longest = fmax(longest, d->T[i]);
	}
	if (bought == 0)
		return "no customer made a transaction (every frequency is 0)";
	if (missed == 0)
		return "every customer transacted at every opportunity";
	if (longest < 2)
		return "fewer than two transaction opportunities (n_periods < 2)";
	return NULL;
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
	if (model == CLV_SBG)
		return sbg_unidentified(d);
	if (model == CLV_BGBB)
		return bgbb_unidentified(d);
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
	else if (model == CLV_SBG || model == CLV_BGBB)
		scale = 1.0;			/* periods and opportunities: parameters are unitless */
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
	else if (model != CLV_SBG && model != CLV_BGBB)
	{
		fit.par[1] *= scale;
		if (model == CLV_PARETO_NBD)
			fit.par[3] *= scale;
	}
	fit.log_likelihood = clv_model_ll_sum(model, fit.par, d, NULL);
	return fit;
}

/*
 * Standard errors (doc/clv_math.md#standard-errors).  With u = ln par and
 * g(u) the analytic gradient of the total log-likelihood in u, the Hessian in
 * u is taken by central differences of g (step 1e-4 in ln par: truncation
 * error ~1e-8 relative, far above the gradient's rounding).  In natural
 * parameters d2 ll / d par_j d par_k = (H_jk - [j = k] g_j) / (par_j par_k),
 * so var(par_j) = par_j^2 [(-(H - diag g))^-1]_jj: the inverse is taken in u,
 * where the matrix is far better scaled, by Cholesky, which also says whether
 * it is positive definite.
 */
#define SE_STEP 1e-4

bool
clv_standard_errors(ClvModel model, const ClvPatterns *d, const double *par, double *se)
{
	int			np = clv_model_nparams(model);
	double		u[CLV_MAX_PARAMS],
				p[CLV_MAX_PARAMS],
				g0[CLV_MAX_PARAMS],
				gp[CLV_MAX_PARAMS],
				gm[CLV_MAX_PARAMS];
	double		A[CLV_MAX_PARAMS][CLV_MAX_PARAMS],
				L[CLV_MAX_PARAMS][CLV_MAX_PARAMS],
				inv[CLV_MAX_PARAMS][CLV_MAX_PARAMS];
	int			i,
				j,
				k;

	for (k = 0; k < np; k++)
	{
		se[k] = NAN;
		u[k] = log(par[k]);
	}
	clv_model_ll_sum(model, par, d, g0);
	for (j = 0; j < np; j++)
	{
		for (k = 0; k < np; k++)
			p[k] = exp(u[k] + (k == j ? SE_STEP : 0));
		clv_check_interrupts();
		clv_model_ll_sum(model, p, d, gp);
		for (k = 0; k < np; k++)
			p[k] = exp(u[k] - (k == j ? SE_STEP : 0));
		clv_model_ll_sum(model, p, d, gm);
		for (k = 0; k < np; k++)
			A[j][k] = -(gp[k] - gm[k]) / (2 * SE_STEP);
		A[j][j] += g0[j];
	}
	/* symmetrize, then A = L L^T */
	for (j = 0; j < np; j++)
		for (k = 0; k < j; k++)
			A[j][k] = A[k][j] = 0.5 * (A[j][k] + A[k][j]);
	for (j = 0; j < np; j++)
	{
		for (k = 0; k <= j; k++)
		{
			double		s = A[j][k];

			for (i = 0; i < k; i++)
				s -= L[j][i] * L[k][i];
			if (j == k)
			{
				if (!(s > 0) || !isfinite(s))
					return false;
				L[j][j] = sqrt(s);
			}
			else
				L[j][k] = s / L[k][k];
		}
	}
	/* A^-1 column by column: solve L y = e_c, then L^T x = y */
	for (i = 0; i < np; i++)
	{
		double		y[CLV_MAX_PARAMS];

		for (j = 0; j < np; j++)
		{
			double		s = (i == j) ? 1.0 : 0.0;

			for (k = 0; k < j; k++)
				s -= L[j][k] * y[k];
			y[j] = s / L[j][j];
		}
		for (j = np - 1; j >= 0; j--)
		{
			double		s = y[j];

			for (k = j + 1; k < np; k++)
				s -= L[k][j] * inv[k][i];
			inv[j][i] = s / L[j][j];
		}
	}
	for (k = 0; k < np; k++)
	{
		if (!(inv[k][k] > 0) || !isfinite(inv[k][k]))
			return false;
		se[k] = par[k] * sqrt(inv[k][k]);
	}
	return true;
}
