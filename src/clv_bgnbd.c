/*
 * clv_bgnbd.c
 *		BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam et al. 2007):
 *		log-likelihood, its gradient, P(alive) and expected purchases.
 *
 * Stratum: pure mathematics (clv_models.h, clv_host.h; no PostgreSQL).
 *
 * par = {r, alpha, a, b}.  One customer's log-likelihood, as lifetimes
 * computes it (doc/clv_math.md#bgnbd, doc/clv_math.md#mbgnbd), is
 *
 *   ll = lnG(r+x) - lnG(r) + r ln(alpha)                       (x-only part)
 *      + lnG(a+b) + lnG(b+x+k) - lnG(b) - lnG(a+b+x+k)
 *      + logaddexp(A3, A4)                                     (A4 only if live)
 *   A3 = -(r+x) ln(alpha+T)
 *   A4 = ln a - ln(b+x+k-1) - (r+x) ln(alpha+tx)
 *
 * with k = 0 for BG/NBD, where A4 exists only for x > 0 (nobody drops out
 * before a first repeat purchase), and k = 1 for MBG/NBD, where A4 exists for
 * every customer.  The x = 0 rows of BG/NBD never evaluate A4, so b <= 1 does
 * not poison them (pymc-marketing #214).  w = e^A4 / (e^A3 + e^A4) is
 * 1 - P(alive), and it weights the gradient's two branches
 * (doc/clv_math.md#bgnbd-gradient).
 */
#include "clv_models.h"
#include "clv_host.h"

#include <math.h>
#include <stddef.h>

/* does the A4 branch (a drop-out after the last purchase) exist for x? */
static inline bool
has_dropout_term(bool modified, double x)
{
	return modified || x > 0;
}

double
bgnbd_ll(bool modified, const double *par, double x, double tx, double T)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		k = modified ? 1.0 : 0.0;
	double		ll,
				a3;

	ll = clv_lgamma(r + x) - clv_lgamma(r) + r * log(alpha)
		+ clv_lgamma(a + b) + clv_lgamma(b + x + k) - clv_lgamma(b) - clv_lgamma(a + b + x + k);
	a3 = -(r + x) * log(alpha + T);
	if (has_dropout_term(modified, x))
		return ll + clv_logaddexp(a3, log(a) - log(b + x + k - 1) - (r + x) * log(alpha + tx));
	return ll + a3;
}

/*
 * Sum of w * ll over the patterns, and d/d ln(par) of it in grad.  Patterns
 * are sorted by x, so the gamma and digamma terms are computed once per
 * distinct x; log(alpha + y) once per distinct time when d has its time
 * table.  Then each pattern costs one exp and one log1p.
 */
double
bgnbd_ll_sum(bool modified, const double *par, const ClvPatterns *d, double *grad)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		k = modified ? 1.0 : 0.0;
	double		ln_alpha = log(alpha),
				ln_a = log(a);
	double		const_r = -clv_lgamma(r) + r * ln_alpha,
				const_ab = clv_lgamma(a + b) - clv_lgamma(b);
	double		psi_r = clv_digamma(r),
				psi_ab = clv_digamma(a + b),
				psi_b = clv_digamma(b);
	double		total = 0.0,
				g_r = 0.0,
				g_alpha = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	double		cur_x = -1.0,
				x_part = 0.0,
				psi_rx = 0.0,
				psi_bx = 0.0,
				psi_abx = 0.0,
				ln_bx1 = 0.0;
	double	   *ly = d->ntimes > 0 ? d->times_work : NULL;
	int			i;

	if (ly)
		for (i = 0; i < d->ntimes; i++)
			ly[i] = log(alpha + d->times[i]);

	for (i = 0; i < d->n; i++)
	{
		double		x = d->x[i],
					w = d->w[i];
		double		ln_aT = ly ? ly[d->T_at[i]] : log(alpha + d->T[i]);
		double		a3 = -(r + x) * ln_aT;
		double		lse,
					drop = 0.0,
					ln_atx = 0.0;

		if ((i & 0xFFFF) == 0xFFFF)
			clv_check_interrupts();
		if (x != cur_x)
		{
			cur_x = x;
			x_part = clv_lgamma(r + x) + const_r + const_ab
				+ clv_lgamma(b + x + k) - clv_lgamma(a + b + x + k);
			ln_bx1 = log(b + x + k - 1);
			if (grad)
			{
				psi_rx = clv_digamma(r + x);
				psi_bx = clv_digamma(b + x + k);
				psi_abx = clv_digamma(a + b + x + k);
			}
		}
		if (has_dropout_term(modified, x))
		{
			/* logaddexp(a3, a4) and its weight on a4 from one exp */
			double		a4,
						e;

			ln_atx = ly ? ly[d->tx_at[i]] : log(alpha + d->tx[i]);
			a4 = ln_a - ln_bx1 - (r + x) * ln_atx;
			e = exp(-fabs(a4 - a3));
			lse = fmax(a3, a4) + log1p(e);
			drop = a4 >= a3 ? 1.0 / (1.0 + e) : e / (1.0 + e);
		}
		else
			lse = a3;
		total += w * (x_part + lse);
		if (grad)
		{
			double		ln_mix = (1 - drop) * ln_aT + (drop > 0 ? drop * ln_atx : 0.0);
			double		inv_mix = (1 - drop) / (alpha + d->T[i]) +
				(drop > 0 ? drop / (alpha + d->tx[i]) : 0.0);

			g_r += w * (psi_rx - psi_r + ln_alpha - ln_mix);
			g_alpha += w * (r / alpha - (r + x) * inv_mix);
			g_a += w * (psi_ab - psi_abx + drop / a);
			g_b += w * (psi_ab + psi_bx - psi_b - psi_abx - (drop > 0 ? drop / (b + x + k - 1) : 0.0));
		}
	}
	if (grad)
	{
		grad[0] = g_r * r;
		grad[1] = g_alpha * alpha;
		grad[2] = g_a * a;
		grad[3] = g_b * b;
	}
	return total;
}

double
bgnbd_p_alive(bool modified, const double *par, double x, double tx, double T)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		k = modified ? 1.0 : 0.0;

	if (!has_dropout_term(modified, x))
		return 1.0;
	/* 1 / (1 + a/(b+x+k-1) ((alpha+T)/(alpha+tx))^(r+x)), in log space */
	return clv_expit(-(log(a) - log(b + x + k - 1)
					   + (r + x) * (log(alpha + T) - log(alpha + tx))));
}

/*
 * The expectations have removable singularities: coef / (a - 1) times a
 * bracket that vanishes at a = 1 (doc/clv_math.md#singularities), and, for
 * BG/NBD, 2F1 with c = a + b - 1 = 0 times a coefficient a + b - 1 that
 * vanishes with it.  Near either, the function is evaluated at four points
 * 1 and 2 steps of NEAR_STEP away on both sides, where the cancellation is
 * mild, and interpolated (cubic Lagrange: error of order NEAR_STEP^4).
 */
typedef double (*ExpectationAt) (bool modified, const double *par, double t,
								 double x, double tx, double T);

/* not a round number: parameters on a grid (1e-3, ...) stay off the nodes */
#define NEAR_STEP 1.1e-3

static double
interpolated(ExpectationAt f, bool modified, const double *par, int k,
			 double center, double t, double x, double tx, double T)
{
	static const double nodes[4] = {-2, -1, 1, 2};
	double		u = (par[k] - center) / NEAR_STEP;
	double		sum = 0.0;
	int			i,
				j;

	for (i = 0; i < 4; i++)
	{
		double		p[4] = {par[0], par[1], par[2], par[3]};
		double		weight = 1.0;

		for (j = 0; j < 4; j++)
			if (j != i)
				weight *= (u - nodes[j]) / (nodes[i] - nodes[j]);
		p[k] = center + nodes[i] * NEAR_STEP;
		sum += weight * f(modified, p, t, x, tx, T);
	}
	return sum;
}

/* f at par, through interpolation when par is near a removable singularity */
static double
regular(ExpectationAt f, bool modified, const double *par, double t,
		double x, double tx, double T, bool c_can_vanish)
{
	double		a = par[2],
				b = par[3];

	if (fabs(a - 1.0) < 2 * NEAR_STEP)
		return interpolated(f, modified, par, 2, 1.0, t, x, tx, T);
	/* c = a + b - 1 (+ x): only BG/NBD's x = 0 and new-customer forms */
	if (c_can_vanish && fabs(a + b - 1.0) < 2 * NEAR_STEP)
	{
		if (1.0 - a - 2 * NEAR_STEP > 0)
			return interpolated(f, modified, par, 3, 1.0 - a, t, x, tx, T);
		return interpolated(f, modified, par, 2, 1.0 - b, t, x, tx, T);
	}
	return f(modified, par, t, x, tx, T);
}

/*
 * 1 - (power) * 2F1(fa, fb; fc; z) with ln(power) = ln_pow.  2F1 is
 * positive whenever fc > 0; with BG/NBD's c = a + b - 1 < 0 (x = 0 and
 * a + b < 1) it can be negative, so its sign is carried.
 */
static double
one_minus_pow_2f1(double ln_pow, double fa, double fb, double fc, double z)
{
	int			sign;
	double		L = ln_pow + clv_log_abs_hyp2f1(fa, fb, fc, z, &sign);

	return sign > 0 ? -expm1(L) : 1.0 + exp(L);
}

/* E[Y(t) | x, tx, T] for a != 1 (doc/clv_math.md#bgnbd-predictions) */
static double
conditional_raw(bool modified, const double *par, double t, double x, double tx, double T)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		k = modified ? 1.0 : 0.0;

	return (a + b + x + k - 1) / (a - 1)
		* one_minus_pow_2f1(-(r + x) * log1p(t / (alpha + T)),
							r + x, b + x + k, a + b + x + k - 1, t / (alpha + T + t))
		* bgnbd_p_alive(modified, par, x, tx, T);
}

/* E[X(t)] of a new customer (eq. 9), for a != 1; x, tx, T unused (an ExpectationAt) */
static double
new_raw(bool modified, const double *par, double t, double x, double tx, double T)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		ln_pow = -r * log1p(t / alpha);

	(void) x;
	(void) tx;
	(void) T;
	if (modified)
		return b / (a - 1) * one_minus_pow_2f1(ln_pow, r, b + 1, a + b, t / (alpha + t));
	return (a + b - 1) / (a - 1) * one_minus_pow_2f1(ln_pow, r, b, a + b - 1, t / (alpha + t));
}

double
bgnbd_expected_purchases(bool modified, const double *par, double t,
						 double x, double tx, double T)
{
	if (t == 0)
		return 0.0;
	return regular(conditional_raw, modified, par, t, x, tx, T, !modified && x == 0);
}

double
bgnbd_expected_purchases_new(bool modified, const double *par, double t)
{
	if (t == 0)
		return 0.0;
	return regular(new_raw, modified, par, t, 0, 0, 0, !modified);
}
