/*
 * clv_math.c
 *		Special functions for the CLV models: log-gamma, digamma, log-sum-exp
 *		helpers and the Gauss hypergeometric function 2F1 in log space.
 *
 * Stratum: pure mathematics.  Plain C on doubles (see clv_models.h); no
 * PostgreSQL and no host calls, so the model code can be checked outside the
 * server too.  The methods are doc/clv_math.md#log-space and
 * doc/clv_math.md#hyp2f1.
 */
#include "clv_models.h"

#include <float.h>
#include <math.h>

/* ln |Gamma(x)|; the backend is single-threaded, so lgamma's signgam is harmless */
double
clv_lgamma(double x)
{
	return lgamma(x);
}

/*
 * psi(x) for x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10,
 * then the asymptotic series (error below 1e-16 there).
 */
double
clv_digamma(double x)
{
	double		acc = 0.0;
	double		inv,
				inv2;

	if (!(x > 0.0))
		return NAN;
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	inv = 1.0 / x;
	inv2 = inv * inv;
	return acc + log(x) - 0.5 * inv
		- inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
}

double
clv_logaddexp(double a, double b)
{
	double		hi = a > b ? a : b;
	double		lo = a > b ? b : a;

	if (hi == -INFINITY)
		return -INFINITY;
	return hi + log1p(exp(lo - hi));
}

/* ln(1 - e^a) for a <= 0, accurate at both ends (Maechler's log1mexp) */
double
clv_log1mexp(double a)
{
	if (a > -M_LN2)
		return log(-expm1(a));
	return log1p(-exp(a));
}

double
clv_expit(double v)
{
	if (v >= 0)
		return 1.0 / (1.0 + exp(-v));
	return exp(v) / (1.0 + exp(v));
}

/*
 * ln |2F1(a, b; c; z)| by its power series, and its sign in *sign, for
 * 0 <= z < 1 and c not 0, -1, -2, ...  Terms are rescaled as they grow, so a
 * series whose terms peak above DBL_MAX (a, b in the thousands) still sums.
 * When c - a - b < 0 and c >= a, b, the series is summed after Euler's
 * transformation, 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z), whose
 * terms are positive too and shrink much faster (a large x then drops out of
 * a and b).  Otherwise the plain series, whose terms are all positive for
 * a, b, c > 0: a transformed series with a large negative parameter would
 * alternate and cancel to nothing.  Returns NaN if the series has not
 * converged after many terms (z extremely close to 1).
 */
static double
log_abs_series(double a, double b, double c, double z, int *sign)
{
	double		log_pre = 0.0;
	double		tail = 0.0,		/* the sum less its first term, 1 */
				term = 1.0,
				scale = 1.0,	/* 1 and the terms are in units of e^log_scale */
				log_scale = 0.0;
	long		j;

	*sign = 1;
	if (z == 0.0)
		return 0.0;
	if (!(z > 0.0 && z < 1.0) || (c <= 0.0 && fabs(c - nearbyint(c)) < 1e-12))
		return NAN;
	if (c - a - b < 0.0 && c - a >= 0.0 && c - b >= 0.0)
	{
		log_pre = (c - a - b) * log1p(-z);
		a = c - a;
		b = c - b;
	}
	for (j = 1; j < 50000000L; j++)
	{
		double		ratio = (a + j - 1) * (b + j - 1) / ((c + j - 1) * j) * z;

		term *= ratio;
		tail += term;
		if (fabs(tail) > 1e250)
		{
			tail *= 1e-250;
			term *= 1e-250;
			scale *= 1e-250;
			log_scale += 250 * M_LN10;
		}
		/* stop once the terms are negligible and can only shrink from here */
		if (term == 0.0 ||
			(fabs(term) <= 1e-17 * fabs(scale + tail) && fabs(ratio) < 1.0 &&
			 fabs((a + j) * (b + j)) * z <= fabs((c + j) * (j + 1))))
		{
			double		sum = scale + tail;

			if (sum == 0.0)
				return -INFINITY;
			*sign = sum > 0 ? 1 : -1;
			/* log1p keeps the precision of a sum close to 1 (small z) */
			if (log_scale == 0.0 && tail > -1.0)
				return log_pre + log1p(tail);
			return log_pre + log_scale + log(fabs(sum));
		}
	}
	return NAN;
}

/* ln |Gamma(v)| and its sign; +inf for v = 0, -1, -2, ... (1 / Gamma(v) = 0) */
static double
lgamma_signed(double v, int *sign)
{
	if (v <= 0 && v == nearbyint(v))
	{
		*sign = 1;
		return INFINITY;
	}
	*sign = (v > 0 || ((long) floor(v)) % 2 == 0) ? 1 : -1;
	return lgamma(v);
}

/*
 * ln G(x + d) - ln G(x) for x, x + d > 0 without the cancellation of two
 * large lgamma values: both arguments are raised above 15 by the recurrence,
 * then Stirling's series is differenced term by term, with log1p(d / x).
 */
double
clv_lgamma_diff(double x, double d)
{
	double		acc = 0.0;
	double		y = x + d;
	double		series = 0.0;

	if (d == 0.0)
		return 0.0;
	if (!(x > 0 && y > 0) || fabs(d) > 0.5 * x)
		return lgamma(y) - lgamma(x);
	while (x < 15.0 || y < 15.0)
	{
		acc -= log1p(d / x);	/* ln G(x) = ln G(x + 1) - ln x, both sides; ln x - ln y */
		x += 1.0;
		y += 1.0;
	}
	/*
	 * The Stirling series' difference, at y less at x, term by term with the factor
	 * d = y - x taken out: 1/y^k - 1/x^k = -d S_k / (x y)^k, S_k = x^(k-1) +
	 * x^(k-2) y + ... + y^(k-1).  So it is proportional to d too, and keeps
	 * its relative precision however small d is (gamma -> 1 in BG/BB).
	 */
	{
		static const double coef[4] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680};
		double		S = 1.0,	/* S_k for k = 1, 3, 5, 7 */
					yk = y,		/* y^k */
					xyk = x * y;	/* (x y)^k */
		int			j;

		for (j = 0; j < 4; j++)
		{
			series -= coef[j] * d * S / xyk;
			S = x * x * S + x * yk + yk * y;	/* S_(k+2) */
			yk *= y * y;
			xyk *= x * y * x * y;
		}
	}
	return acc + (x - 0.5) * log1p(d / x) + d * log(y) - d + series;
}

/*
 * Near z = 1 the series needs of the order of 1 / (1 - z) terms.  There the
 * connection to 1 - z (Abramowitz & Stegun 15.3.6), for m = c - a - b not an
 * integer:
 *   2F1(a,b;c;z) = G(c)G(m) / (G(c-a)G(c-b)) 2F1(a, b; 1-m; 1-z)
 *                + (1-z)^m G(c)G(-m) / (G(a)G(b)) 2F1(c-a, c-b; 1+m; 1-z)
 * whose series converge fast.  Near an integer m, where the two terms blow
 * up and cancel, the value is interpolated (cubic) from c -+ 2e-5 and
 * c -+ 4e-5, where they cancel mildly: 2F1 is smooth in c.
 */
#define NEAR_ONE_Z 0.999

static double
log_abs_near_one(double a, double b, double c, double z, int *sign)
{
	double		m = c - a - b;
	double		w = 1.0 - z;
	double		lg[2],
				sg[2] = {0, 0};
	int			s1,
				s2,
				s3,
				s4,
				s5,
				fs;
	/* first term */
	lgamma_signed(c, &s1);
	if (isinf(lgamma_signed(c - a, &s3)) || isinf(lgamma_signed(c - b, &s4)))
		lg[0] = -INFINITY;		/* 1 / G(c-a) or 1 / G(c-b) is 0 */
	else
	{
		/* ln G(c) - ln G(c-a) as one difference: c is large when x is */
		lg[0] = lgamma_signed(m, &s2) + (c > 0 && c - a > 0 ? clv_lgamma_diff(c - a, a) : lgamma(c) - lgamma(c - a))
			- lgamma(c - b) + log_abs_series(a, b, 1 - m, w, &fs);
		sg[0] = s1 * s2 * s3 * s4 * fs;
	}
	/* second term */
	if (isinf(lgamma_signed(a, &s3)) || isinf(lgamma_signed(b, &s4)))
		lg[1] = -INFINITY;
	else
	{
		lg[1] = lgamma_signed(-m, &s2) + m * log(w) - lgamma(a)
			+ (c > 0 && b > 0 ? clv_lgamma_diff(b, c - b) : lgamma(c) - lgamma(b))
			+ log_abs_series(c - a, c - b, 1 + m, w, &s5);
		sg[1] = s1 * s2 * s3 * s4 * s5;
	}
	{
		double		top = fmax(lg[0], lg[1]);
		double		v;

		if (top == -INFINITY)
		{
			*sign = 1;
			return -INFINITY;
		}
		v = (lg[0] > -INFINITY ? sg[0] * exp(lg[0] - top) : 0) +
			(lg[1] > -INFINITY ? sg[1] * exp(lg[1] - top) : 0);
		*sign = v >= 0 ? 1 : -1;
		return top + log(fabs(v));
	}
}

/*
 * ln |2F1(a, b; c; z)| and its sign, for 0 <= z < 1 and c not 0, -1, ...:
 * the series below NEAR_ONE_Z, the connection to 1 - z above.
 */
double
clv_log_abs_hyp2f1(double a, double b, double c, double z, int *sign)
{
	if (z > NEAR_ONE_Z && z < 1.0 && !(c <= 0.0 && c == nearbyint(c)))
	{
		double		m = c - a - b;

		if (fabs(m - nearbyint(m)) < 1e-5)
		{
			/* cubic through c -+ h, c -+ 2h, at c: (-f-2 + 4 f-1 + 4 f1 - f2) / 6 */
			static const double off[4] = {-2, -1, 1, 2};
			static const double wt[4] = {-1.0 / 6, 4.0 / 6, 4.0 / 6, -1.0 / 6};
			double		lv[4],
						top = -INFINITY,
						v = 0;
			int			sv[4],
						k;

			for (k = 0; k < 4; k++)
			{
				lv[k] = log_abs_near_one(a, b, c + off[k] * 2e-5, z, &sv[k]);
				top = fmax(top, lv[k]);
			}
			for (k = 0; k < 4; k++)
				v += wt[k] * sv[k] * exp(lv[k] - top);
			*sign = v >= 0 ? 1 : -1;
			return top + log(fabs(v));
		}
		return log_abs_near_one(a, b, c, z, sign);
	}
	return log_abs_series(a, b, c, z, sign);
}

/* ln 2F1(a, b; c; z) where the value is positive (a, b, c > 0); else NaN */
double
clv_log_hyp2f1(double a, double b, double c, double z)
{
	int			sign;
	double		v = clv_log_abs_hyp2f1(a, b, c, z, &sign);

	return sign > 0 ? v : NAN;
}
