/*
 * clv_bgbb.c
 *		The beta-geometric/beta-binomial model of discrete-time purchases
 *		(Fader, Hardie & Shang 2010, "Customer-base analysis in a
 *		discrete-time noncontractual setting", Marketing Science 29(6)).
 *
 * Stratum: pure mathematics (clv_models.h, clv_host.h; no PostgreSQL).
 *
 * par = {alpha, beta, gamma, delta}.  There are n transaction opportunities;
 * while alive a customer transacts at each with probability p ~ Beta(alpha,
 * beta) and dies before each with probability theta ~ Beta(gamma, delta).  A
 * customer is (x, tx, n): x transactions, the last at opportunity tx (0 when
 * x = 0).  The likelihood (FHS eq. 5, doc/clv_math.md#bgbb) is a sum of
 * n - tx + 1 positive terms, summed in log space:
 *
 *   L = B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
 *     + sum_{i=0}^{n-tx-1} B(alpha+x, beta+tx-x+i)/B(alpha,beta)
 *                          B(gamma+1, delta+tx+i)/B(gamma,delta)
 */
#include "clv_models.h"
#include "clv_host.h"

#include <math.h>

static double
lbeta(double a, double b)
{
	return clv_lgamma(a) + clv_lgamma(b) - clv_lgamma(a + b);
}

/*
 * ln L of one pattern and, when g is not NULL, d ln L / d par (natural):
 * each term's gradient weighted by its share of L.
 */
static double
pattern_ll(const double *par, double x, double tx, double n, double *g)
{
	double		al = par[0],
				be = par[1],
				ga = par[2],
				de = par[3];
	double		lb_ab = lbeta(al, be),
				lb_gd = lbeta(ga, de);
	double		top,
				sum,
				lt;
	double		psi_ab = 0,
				psi_a = 0,
				psi_b = 0,
				psi_gd = 0,
				psi_g = 0,
				psi_d = 0,
				psi_ax = 0;
	double		acc[4] = {0, 0, 0, 0};
	int			i,
				k,
				terms = (int) (n - tx);

	/* the first term, then the others relative to the largest so far */
	lt = lbeta(al + x, be + n - x) - lb_ab + lbeta(ga, de + n) - lb_gd;
	top = lt;
	sum = 1.0;
	if (g)
	{
		psi_ab = clv_digamma(al + be);
		psi_a = clv_digamma(al);
		psi_b = clv_digamma(be);
		psi_gd = clv_digamma(ga + de);
		psi_g = clv_digamma(ga);
		psi_d = clv_digamma(de);
		psi_ax = clv_digamma(al + x);
		acc[0] = psi_ax - clv_digamma(al + be + n) - psi_a + psi_ab;
		acc[1] = clv_digamma(be + n - x) - clv_digamma(al + be + n) - psi_b + psi_ab;
		acc[2] = psi_gd - clv_digamma(ga + de + n);
		acc[3] = clv_digamma(de + n) - clv_digamma(ga + de + n) - psi_d + psi_gd;
	}
	for (i = 0; i < terms; i++)
	{
		double		w,
					gi[4];

		lt = lbeta(al + x, be + tx - x + i) - lb_ab + lbeta(ga + 1, de + tx + i) - lb_gd;
		if (g)
		{
			double		psi_abt = clv_digamma(al + be + tx + i),
						psi_gdt = clv_digamma(ga + de + tx + i + 1);

			gi[0] = psi_ax - psi_abt - psi_a + psi_ab;
			gi[1] = clv_digamma(be + tx - x + i) - psi_abt - psi_b + psi_ab;
			gi[2] = clv_digamma(ga + 1) - psi_gdt - psi_g + psi_gd;
			gi[3] = clv_digamma(de + tx + i) - psi_gdt - psi_d + psi_gd;
		}
		if (lt > top)
		{
			double		shrink = exp(top - lt);

			sum = sum * shrink + 1.0;
			if (g)
				for (k = 0; k < 4; k++)
					acc[k] = acc[k] * shrink + gi[k];
			top = lt;
		}
		else
		{
			w = exp(lt - top);
			sum += w;
			if (g)
				for (k = 0; k < 4; k++)
					acc[k] += w * gi[k];
		}
	}
	if (g)
		for (k = 0; k < 4; k++)
			g[k] = acc[k] / sum;
	return top + log(sum);
}

double
bgbb_ll(const double *par, double x, double tx, double n)
{
	return pattern_ll(par, x, tx, n, NULL);
}

double
bgbb_ll_sum(const double *par, const ClvPatterns *d, double *grad)
{
	double		total = 0,
				acc[4] = {0, 0, 0, 0};
	int			i,
				k;

	for (i = 0; i < d->n; i++)
	{
		double		g[4];

		if ((i & 0xFF) == 0xFF)
			clv_check_interrupts();
		total += d->w[i] * pattern_ll(par, d->x[i], d->tx[i], d->T[i], grad ? g : NULL);
		if (grad)
			for (k = 0; k < 4; k++)
				acc[k] += d->w[i] * g[k];
	}
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = acc[k] * par[k];
	return total;
}

/* P(alive at opportunity n + 1 | x, tx, n) (FHS eq. A10 with m = 1) */
double
bgbb_p_alive(const double *par, double x, double tx, double n)
{
	double		l = lbeta(par[0] + x, par[1] + n - x) - lbeta(par[0], par[1])
		+ lbeta(par[2], par[3] + n + 1) - lbeta(par[2], par[3]);

	return exp(l - pattern_ll(par, x, tx, n, NULL));
}

/*
 * delta / (gamma - 1) * (1 - e^D) with D = [ln G(gamma+delta+u) - ln G(1+delta+u)]
 * - [ln G(gamma+delta+v) - ln G(1+delta+v)]: both factors change sign at
 * gamma = 1 (FHS eq. 13 has delta/(gamma-1) < 0 times a negative bracket when
 * gamma < 1).  The lgamma differences are taken with step gamma - 1, so D keeps
 * its relative precision as gamma -> 1; at gamma = 1 exactly, the limit
 * delta (psi(1+delta+v) - psi(1+delta+u)).
 */
static double
gamma_ratio_factor(double ga, double de, double u, double v)
{
	double		D;

	if (ga == 1.0)
		return de * (clv_digamma(1 + de + v) - clv_digamma(1 + de + u));
	D = clv_lgamma_diff(1 + de + u, ga - 1) - clv_lgamma_diff(1 + de + v, ga - 1);
	return de * -expm1(D) / (ga - 1);
}

/* E[X(n)]: expected transactions of a new customer in n opportunities (FHS eq. 9) */
double
bgbb_expected_purchases_new(const double *par, double n)
{
	return par[0] / (par[0] + par[1]) * gamma_ratio_factor(par[2], par[3], 0, n);
}

/*
 * E[X(n, n + n_future) | x, tx, n] (FHS eq. 13):
 *   B(alpha+x+1, beta+n-x)/B(alpha,beta) / L
 *   * delta/(gamma-1) G(gamma+delta)/G(1+delta)
 *   * [G(1+delta+n)/G(gamma+delta+n) - G(1+delta+n+n*)/G(gamma+delta+n+n*)]
 * where the bracket is G(1+delta+n)/G(gamma+delta+n) (1 - e^D).
 */
double
bgbb_expected_purchases(const double *par, double n_future, double x, double tx, double n)
{
	double		ga = par[2],
				de = par[3];
	double		lead = lbeta(par[0] + x + 1, par[1] + n - x) - lbeta(par[0], par[1])
		- pattern_ll(par, x, tx, n, NULL)
		+ clv_lgamma_diff(1 + de, ga - 1) - clv_lgamma_diff(1 + de + n, ga - 1);

	return exp(lead) * gamma_ratio_factor(ga, de, n, n + n_future);
}
