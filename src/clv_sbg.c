/*
 * clv_sbg.c
 *		The shifted-beta-geometric model of contractual retention (Fader &
 *		Hardie 2007, "How to project customer retention"; 2010, "Customer-base
 *		valuation in a contractual setting").
 *
 * Stratum: pure mathematics (clv_models.h, clv_host.h; no PostgreSQL).
 *
 * par = {alpha, beta}.  Each customer renews at the end of every period with
 * probability 1 - theta, theta ~ Beta(alpha, beta) across customers; period
 * 0 is the period of acquisition, and T, the first period in which a
 * customer is no longer subscribed, is t >= 1 with
 *
 *   S(t)     = B(alpha, beta + t) / B(alpha, beta)     subscribed at period t
 *   P(T = t) = S(t - 1) - S(t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)
 *   r(t)     = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)
 *
 * The data are a survival table, customers subscribed at observed periods
 * 0 = p0 < p1 < ... < pk (doc/clv_math.md#sbg).  As patterns: the customers
 * who churned between two observed periods a < b are (x = b, tx = a, T = 0)
 * and contribute ln(S(a) - S(b)), which is ln P(T = b) when b = a + 1 (a
 * table with gaps is interval-censored, not wrong); those still subscribed
 * at the last period b are (x = b, tx = b, T = 1) and contribute ln S(b).
 */
#include "clv_models.h"
#include "clv_host.h"

#include <math.h>

/* ln S(t) and, when g is not NULL, its derivatives d/d alpha, d/d beta */
static double
log_survival(double alpha, double beta, double t, double *g)
{
	if (t == 0)
	{
		if (g)
			g[0] = g[1] = 0;
		return 0;
	}
	if (g)
	{
		double		psi_ab = clv_digamma(alpha + beta),
					psi_abt = clv_digamma(alpha + beta + t);

		g[0] = psi_ab - psi_abt;
		g[1] = clv_digamma(beta + t) - clv_digamma(beta) + psi_ab - psi_abt;
	}
	/* ln G(beta + t) - ln G(beta) - (ln G(alpha + beta + t) - ln G(alpha + beta)) */
	return clv_lgamma_diff(beta, t) - clv_lgamma_diff(alpha + beta, t);
}

double
sbg_log_survival(const double *par, double t)
{
	return log_survival(par[0], par[1], t, NULL);
}

double
sbg_log_churn(const double *par, double t)
{
	double		alpha = par[0],
				beta = par[1];

	/* ln B(alpha + 1, beta + t - 1) - ln B(alpha, beta) = ln S(t - 1) + ln(alpha / (alpha + beta + t - 1)) */
	return log_survival(alpha, beta, t - 1, NULL) + log(alpha / (alpha + beta + t - 1));
}

double
sbg_retention_rate(const double *par, double t)
{
	return (par[1] + t - 1) / (par[0] + par[1] + t - 1);
}

/* one pattern's log-likelihood term and its gradient in natural parameters */
static double
pattern_ll(double alpha, double beta, double x, double tx, double T, double *g)
{
	double		ga[2],
				gb[2],
				la,
				lb,
				rho;

	if (T != 0)
		return log_survival(alpha, beta, x, g);
	la = log_survival(alpha, beta, tx, g ? ga : NULL);
	lb = log_survival(alpha, beta, x, g ? gb : NULL);
	rho = exp(lb - la);			/* S(b) / S(a) < 1 */
	if (g)
	{
		/* d ln(S(a) - S(b)) = (S(a) dln S(a) - S(b) dln S(b)) / (S(a) - S(b)) */
		g[0] = (ga[0] - rho * gb[0]) / (1 - rho);
		g[1] = (ga[1] - rho * gb[1]) / (1 - rho);
	}
	return la + clv_log1mexp(lb - la);
}

double
sbg_ll(const double *par, double x, double tx, double T)
{
	return pattern_ll(par[0], par[1], x, tx, T, NULL);
}

double
sbg_ll_sum(const double *par, const ClvPatterns *d, double *grad)
{
	double		total = 0,
				g_a = 0,
				g_b = 0;
	int			i;

	for (i = 0; i < d->n; i++)
	{
		double		g[2];

		if ((i & 0xFFF) == 0xFFF)
			clv_check_interrupts();
		total += d->w[i] * pattern_ll(par[0], par[1], d->x[i], d->tx[i], d->T[i], grad ? g : NULL);
		if (grad)
		{
			g_a += d->w[i] * g[0];
			g_b += d->w[i] * g[1];
		}
	}
	if (grad)
	{
		grad[0] = g_a * par[0];
		grad[1] = g_b * par[1];
	}
	return total;
}

/*
 * sum over k >= 0 of S(n + k) / S(n) z^k, z = 1 / (1 + d) in [0, 1]:
 * 2F1(1, beta + n; alpha + beta + n; z), whose terms are S's ratios.  At z = 1
 * (no discounting) Gauss's sum (alpha + beta + n - 1) / (alpha - 1) when
 * alpha > 1, and infinite otherwise (the mean of a geometric lifetime whose
 * churn probability has a heavy tail near 0).
 */
static double
discounted_survival(double alpha, double beta, double n, double d)
{
	double		z = 1.0 / (1.0 + d);

	if (d == 0)
		return alpha > 1 ? (alpha + beta + n - 1) / (alpha - 1) : INFINITY;
	return exp(clv_log_hyp2f1(1.0, beta + n, alpha + beta + n, z));
}

double
sbg_expected_lifetime(const double *par, double d)
{
	return discounted_survival(par[0], par[1], 0, d);
}

double
sbg_residual_lifetime(const double *par, double n, double d)
{
	return sbg_retention_rate(par, n) * discounted_survival(par[0], par[1], n, d);
}
