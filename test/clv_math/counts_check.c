/*
 * counts_check.c
 *		Standalone checks of the purchase-count distribution in
 *		src/clv_counts.c (no PostgreSQL): the NBD tail from the incomplete
 *		beta continued fraction against the plain sum of NBD terms, and the
 *		Pareto/NBD quadrature against its closed form at alpha = beta,
 *		  P(X(t) = x) = NB(x) p^s + C s B(x+1, r+s) I_q(x+1, r+s),
 *		with I_q(x+1, r+s) = P(NB(r+s) >= x+1) (doc/clv_math.md#purchase-count-distribution),
 *		all with floating-point traps on.
 *
 * Stratum: stand-alone check, linked with every pure-math file of src/ and
 * the stand-alone host (clv_host_standalone.c); see run.
 *
 * Usage: counts_check.  Prints TAP-style "ok N - ..." / "not ok N - ..."
 * lines; exits 1 if any check failed.
 */
#define _GNU_SOURCE
#include "../../src/clv_models.h"

#include <fenv.h>
#include <math.h>
#include <stdio.h>

static int	tests = 0,
			failures = 0;

static void
report(bool ok, const char *what, double worst)
{
	tests++;
	if (!ok)
		failures++;
	printf("%s %d - %s (worst relative error %.2g)\n", ok ? "ok" : "not ok", tests, what, worst);
}

/* ln NB(j; r, alpha, t), plainly */
static double
log_nb(double r, double alpha, double t, double j)
{
	return lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * log(alpha / (alpha + t)) + j * log(t / (alpha + t));
}

int
main(void)
{
	static const double rs[] = {0.05, 0.243, 1.0, 2.5, 30.0};
	static const double ts[] = {0.3, 5.0, 39.0, 400.0};
	static const double xs[] = {1, 2, 5, 13, 40, 120};
	double		worst = 0.0;
	int			i,
				k,
				m;

	feenableexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);

	/* P(NB >= x) = sum_{j >= x} NB(j): the sum runs until the terms are negligible */
	for (i = 0; i < 5; i++)
		for (k = 0; k < 4; k++)
			for (m = 0; m < 6; m++)
			{
				double		r = rs[i],
							alpha = 4.414,
							t = ts[k],
							x = xs[m],
							want = 0.0,
							got,
							j;

				for (j = x; j < x + 200000; j++)
				{
					double		term = exp(log_nb(r, alpha, t, j));

					want += term;
					if (j > r * t / alpha + 10 && term < 1e-19 * want)
						break;
				}
				if (want < 1e-280)
					continue;
				got = exp(clv_log_nb_tail(r, alpha, t, x));
				worst = fmax(worst, fabs(got - want) / want);
			}
	report(worst < 1e-12, "P(NB >= x) from the incomplete beta = the sum of the NBD terms", worst);

	/* Pareto/NBD at alpha = beta: the quadrature against the incomplete beta closed form */
	worst = 0.0;
	for (i = 0; i < 5; i++)
		for (k = 0; k < 4; k++)
			for (m = 0; m < 6; m++)
			{
				double		r = rs[i],
							s = 0.7,
							alpha = 3.0,
							t = ts[k],
							x = xs[m] - 1,	/* 0 included */
							par[4] = {r, alpha, s, alpha},
							ln_p = log(alpha / (alpha + t)),
							ln_c = lgamma(r + x) - lgamma(r) - lgamma(x + 1),
							want,
							got;

				want = exp(log_nb(r, alpha, t, x) + s * ln_p)
					+ exp(ln_c + log(s) + lgamma(x + 1) + lgamma(r + s) - lgamma(x + 1 + r + s)
						  + clv_log_nb_tail(r + s, alpha, t, x + 1));
				got = pnbd_count_probability(par, x, t);
				if (want < 1e-280)
					continue;
				worst = fmax(worst, fabs(got - want) / want);
			}
	report(worst < 1e-11, "Pareto/NBD P(X(t) = x) at alpha = beta = its closed form", worst);

	printf("1..%d\n%d passed, %d failed\n", tests, tests - failures, failures);
	return failures ? 1 : 0;
}
