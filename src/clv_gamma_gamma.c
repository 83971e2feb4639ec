/*
 * clv_gamma_gamma.c
 *		Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Hardie note 025).
 *
 * Stratum: pure mathematics (clv_models.h, clv_host.h; no PostgreSQL).
 *
 * par = {p, q, v}.  A customer with x > 0 repeat purchases of mean value m
 * contributes (doc/clv_math.md#gamma-gamma)
 *
 *   ll = lnG(px+q) - lnG(px) - lnG(q) + q ln v + px ln x     (x-only part)
 *      + (px-1) ln m - (px+q) ln(x m + v)
 *
 * and the expected spend per purchase is E[M] = (v + x m) p / (px + q - 1),
 * the population mean p v / (q - 1) when x = 0.  Both need q > 1 for E[M]
 * to be a mean at all (the caller refuses q <= 1).
 */
#include "clv_models.h"
#include "clv_host.h"

#include <math.h>

double
gg_ll(const double *par, double x, double m)
{
	double		p = par[0],
				q = par[1],
				v = par[2];
	double		px = p * x;

	return clv_lgamma(px + q) - clv_lgamma(px) - clv_lgamma(q) + q * log(v)
		+ px * log(x) + (px - 1) * log(m) - (px + q) * log(x * m + v);
}

/*
 * Sum of w * ll over patterns (x, m in tx), sorted by x, and its gradient
 * d/d ln(par) in grad: the gamma and digamma terms once per distinct x.
 */
double
gg_ll_sum(const double *par, const ClvPatterns *d, double *grad)
{
	double		p = par[0],
				q = par[1],
				v = par[2];
	double		ln_v = log(v),
				lg_q = clv_lgamma(q),
				psi_q = clv_digamma(q);
	double		total = 0.0,
				g_p = 0.0,
				g_q = 0.0,
				g_v = 0.0;
	double		cur_x = -1.0,
				x_part = 0.0,
				ln_x = 0.0,
				psi_pxq = 0.0,
				psi_px = 0.0;
	int			i;

	for (i = 0; i < d->n; i++)
	{
		double		x = d->x[i],
					m = d->tx[i],
					w = d->w[i];
		double		px = p * x;
		double		ln_m = log(m),
					ln_xmv = log(x * m + v);

		if ((i & 0xFFFF) == 0xFFFF)
			clv_check_interrupts();
		if (x != cur_x)
		{
			cur_x = x;
			ln_x = log(x);
			x_part = clv_lgamma(px + q) - clv_lgamma(px) - lg_q + q * ln_v + px * ln_x;
			if (grad)
			{
				psi_pxq = clv_digamma(px + q);
				psi_px = clv_digamma(px);
			}
		}
		total += w * (x_part + (px - 1) * ln_m - (px + q) * ln_xmv);
		if (grad)
		{
			g_p += w * x * (psi_pxq - psi_px + ln_m + ln_x - ln_xmv);
			g_q += w * (psi_pxq - psi_q + ln_v - ln_xmv);
			g_v += w * (q / v - (px + q) / (x * m + v));
		}
	}
	if (grad)
	{
		grad[0] = g_p * p;
		grad[1] = g_q * q;
		grad[2] = g_v * v;
	}
	return total;
}

double
gg_expected_spend(const double *par, double x, double m)
{
	double		p = par[0],
				q = par[1],
				v = par[2];

	return (v + x * m) * p / (p * x + q - 1);
}
