/*
 * clv_math.c
 *		Special functions for the CLV models: log-gamma, digamma, log-sum-exp
 *		helpers and the Gauss hypergeometric function 2F1 in log space.
 *
 * Plain C on doubles (see clv_models.h); no PostgreSQL calls, so the model
 * code can be checked outside the server too.
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
 * When c - a - b < 0 the series is summed after Euler's transformation,
 * 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z), whose terms shrink much
 * faster for the models' arguments (a large x then drops out of a and b).
 * Returns NaN if the series has not converged after many terms (z extremely
 * close to 1).
 */
double
clv_log_abs_hyp2f1(double a, double b, double c, double z, int *sign)
{
	double		log_pre = 0.0;
	double		sum = 1.0,
				term = 1.0,
				log_scale = 0.0;
	long		j;

	*sign = 1;
	if (z == 0.0)
		return 0.0;
	if (!(z > 0.0 && z < 1.0) || (c <= 0.0 && fabs(c - nearbyint(c)) < 1e-12))
		return NAN;
	if (c - a - b < 0.0)
	{
		log_pre = (c - a - b) * log1p(-z);
		a = c - a;
		b = c - b;
	}
	for (j = 1; j < 50000000L; j++)
	{
		double		ratio = (a + j - 1) * (b + j - 1) / ((c + j - 1) * j) * z;

		term *= ratio;
		sum += term;
		if (fabs(sum) > 1e250)
		{
			sum *= 1e-250;
			term *= 1e-250;
			log_scale += 250 * M_LN10;
		}
		/* stop once the terms are negligible and can only shrink from here */
		if (term == 0.0 ||
			(fabs(term) <= 1e-17 * fabs(sum) && fabs(ratio) < 1.0 &&
			 fabs((a + j) * (b + j)) <= fabs((c + j) * (j + 1))))
		{
			if (sum == 0.0)
				return -INFINITY;
			*sign = sum > 0 ? 1 : -1;
			return log_pre + log_scale + log(fabs(sum));
		}
	}
	return NAN;
}

/* ln 2F1(a, b; c; z) where the value is positive (a, b, c > 0); else NaN */
double
clv_log_hyp2f1(double a, double b, double c, double z)
{
	int			sign;
	double		v = clv_log_abs_hyp2f1(a, b, c, z, &sign);

	return sign > 0 ? v : NAN;
}
