/*
 * clv_models.h
 *		The "buy till you die" models: likelihoods, gradients and predictions
 *		in plain C doubles (no SQL types), and the fitter that drives them.
 *
 * Stratum: pure mathematics, the interface the SQL glue (clv_sql.c,
 * clv_fit.c, clv_predict.c) calls.  Nothing here or in the files it declares
 * includes PostgreSQL; what they need of their host is clv_host.h.  The
 * mathematics is written down in doc/clv_math.md.
 *
 * Conventions (doc/clv_math.md#conventions):
 *   x  = frequency (repeat purchase periods, a whole number >= 0)
 *   tx = recency (time from the first to the last purchase period, 0 when x = 0)
 *   T  = age (time from the first purchase period to the end of observation)
 * in any time unit; alpha and beta are in that unit, r, s, a, b, p, q unitless.
 * Every function works in log space (lgamma, log-sum-exp), so no value
 * overflows for x in the thousands or parameters from 1e-3 to 1e3.
 *
 * Parameter vectors are natural-scale:
 *   BG/NBD, MBG/NBD  {r, alpha, a, b}
 *   Pareto/NBD       {r, alpha, s, beta}
 *   Gamma-Gamma      {p, q, v}
 *   sBG              {alpha, beta}
 *   BG/BB            {alpha, beta, gamma, delta}
 */
#ifndef RETENTION_CLV_MODELS_H
#define RETENTION_CLV_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Distinct customer patterns, with how many customers share each.  Sorted by
 * (x, tx, T), so every model sees them in one fixed order and a fit gives the
 * same bits whatever order the rows came in (serial, parallel, Citus).
 * For Gamma-Gamma, tx holds the mean spend m and T is 0.
 */
typedef struct ClvPatterns
{
	int			n;
	const double *x;
	const double *tx;
	const double *T;
	const double *w;			/* customers with this pattern (> 0) */
	double		total_weight;	/* sum of w */

	/*
	 * Optional (ntimes = 0 when absent): the distinct values of tx and T,
	 * sorted, and each pattern's index into them, so that a model takes
	 * log(alpha + y) once per distinct time rather than twice per pattern;
	 * times_work is ntimes doubles of scratch for the model to use.
	 */
	int			ntimes;
	const double *times;
	const int32_t *tx_at;
	const int32_t *T_at;
	double	   *times_work;
} ClvPatterns;

/* special functions (clv_math.c) */
extern double clv_lgamma(double x);
extern double clv_digamma(double x);
extern double clv_logaddexp(double a, double b);	/* ln(e^a + e^b), -inf safe */
extern double clv_log1mexp(double a);	/* ln(1 - e^a), a <= 0 */
extern double clv_log_hyp2f1(double a, double b, double c, double z);	/* z in [0, 1) */
extern double clv_lgamma_diff(double x, double d);	/* ln G(x + d) - ln G(x), precise for small d */
extern double clv_log_abs_hyp2f1(double a, double b, double c, double z, int *sign);
extern double clv_expit(double v);

/*
 * BG/NBD (clv_bgnbd.c); modified = true gives MBG/NBD.
 * *_ll_sum returns sum w * ll and, when grad is not NULL, stores
 * d(sum w * ll) / d(ln par_k) in grad[0..3].
 */
extern double bgnbd_ll(bool modified, const double *par, double x, double tx, double T);
extern double bgnbd_ll_sum(bool modified, const double *par, const ClvPatterns *d, double *grad);
extern double bgnbd_p_alive(bool modified, const double *par, double x, double tx, double T);
extern double bgnbd_expected_purchases(bool modified, const double *par, double t,
									   double x, double tx, double T);
extern double bgnbd_expected_purchases_new(bool modified, const double *par, double t);

/* Pareto/NBD (clv_pareto.c) */
extern double pnbd_ll(const double *par, double x, double tx, double T);
extern double pnbd_ll_sum(const double *par, const ClvPatterns *d, double *grad);
extern double pnbd_p_alive(const double *par, double x, double tx, double T);
extern double pnbd_expected_purchases(const double *par, double t, double x, double tx, double T);
extern double pnbd_expected_purchases_new(const double *par, double t);

/* Gamma-Gamma (clv_gamma_gamma.c); x > 0 and m > 0 */
extern double gg_ll(const double *par, double x, double m);
extern double gg_ll_sum(const double *par, const ClvPatterns *d, double *grad);
extern double gg_expected_spend(const double *par, double x, double m);

/*
 * sBG, contractual retention (clv_sbg.c).  Patterns: (x = b, tx = a, T = 0)
 * churned between observed periods a < b; (x = b, tx = b, T = 1) still
 * subscribed at the last observed period b.  t, n are periods.
 */
extern double sbg_ll(const double *par, double x, double tx, double T);
extern double sbg_ll_sum(const double *par, const ClvPatterns *d, double *grad);
extern double sbg_log_survival(const double *par, double t);	/* ln S(t), t >= 0 */
extern double sbg_log_churn(const double *par, double t);	/* ln P(T = t), t >= 1 */
extern double sbg_retention_rate(const double *par, double t);	/* S(t) / S(t - 1), t >= 1 */
extern double sbg_expected_lifetime(const double *par, double d);	/* DEL, d >= 0 */
extern double sbg_residual_lifetime(const double *par, double n, double d); /* DERL, n >= 1 */

/* BG/BB, discrete-time purchases (clv_bgbb.c); patterns (x, tx, n) in x, tx, T */
extern double bgbb_ll(const double *par, double x, double tx, double n);
extern double bgbb_ll_sum(const double *par, const ClvPatterns *d, double *grad);
extern double bgbb_p_alive(const double *par, double x, double tx, double n);
extern double bgbb_expected_purchases(const double *par, double n_future, double x, double tx, double n);
extern double bgbb_expected_purchases_new(const double *par, double n);

/* Fitting (clv_estimate.c, doc/clv_math.md#fitting) */
#define CLV_MAX_PARAMS 4

typedef enum ClvModel
{
	CLV_BGNBD,
	CLV_MBGNBD,
	CLV_PARETO_NBD,
	CLV_GAMMA_GAMMA,
	CLV_SBG,
	CLV_BGBB
} ClvModel;

typedef struct ClvFit
{
	double		par[CLV_MAX_PARAMS];	/* natural scale, in the data's units */
	double		log_likelihood; /* sum w * ll at par, in the data's units */
	int			iterations;		/* BFGS iterations of the run kept */
	int			evaluations;	/* likelihood evaluations, all starts */
	bool		converged;
	bool		at_bound;
	bool		failed;			/* unidentified, or no finite likelihood: no parameters */
	double		grad_norm;		/* largest |d mean ll / d ln par| at the end */
} ClvFit;

extern int	clv_model_nparams(ClvModel model);
extern double clv_model_ll_sum(ClvModel model, const double *par,
							   const ClvPatterns *d, double *grad);

/*
 * Why the patterns cannot identify the model (a sentence for the user), or
 * NULL: no repeat purchase, or no time observed (purchase models only).
 */
extern const char *clv_unidentified(ClvModel model, const ClvPatterns *d);

/*
 * Maximum likelihood fit over the patterns (failed at once when
 * clv_unidentified says so); scratch holds
 * CLV_FIT_SCRATCH(d->n) doubles (the rescaled data and the time table),
 * allocated by the caller so that nothing leaks when clv_check_interrupts()
 * (clv_host.h) does not return.
 */
#define CLV_FIT_SCRATCH(n) ((size_t) (n) * 7)
extern ClvFit clv_fit(ClvModel model, const ClvPatterns *d, double *scratch);

/*
 * Standard errors of the parameters at par (natural scale, the data's
 * units): the square roots of the diagonal of the inverse observed
 * information, -H^-1, H the Hessian of the total log-likelihood
 * (doc/clv_math.md#standard-errors).  False, and se[] NaN, when -H is not
 * positive definite (a flat direction: the data do not pin a parameter down).
 */
extern bool clv_standard_errors(ClvModel model, const ClvPatterns *d, const double *par, double *se);

/*
 * purchase counts (clv_counts.c, doc/clv_math.md#purchase-count-distribution):
 * P(X(t) = x) for a new customer (acquired at time 0), x a whole number >= 0,
 * t >= 0 finite; NaN for other arguments.  clv_log_nb_tail is
 * ln P(NB(t) >= x) for the negative binomial count NB(r, alpha, t).
 */
extern double bgnbd_count_probability(bool modified, const double *par, double x, double t);
extern double pnbd_count_probability(const double *par, double x, double t);
extern double clv_log_nb_tail(double r, double alpha, double t, double x);

#endif							/* RETENTION_CLV_MODELS_H */
