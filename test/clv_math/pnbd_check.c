/*
 * pnbd_check.c
 *		Standalone checks of the Pareto/NBD math in src/clv_pareto.c (no
 *		PostgreSQL): CDNOW log-likelihood sums and the golden per-customer
 *		file, gradient against finite differences, the published rows of
 *		doc/clv_math.md#reference-figures, ln A0 against 40-digit
 *		references, a robustness grid run with floating-point traps on, and a
 *		timing of pnbd_ll_sum.
 *
 * Stratum: stand-alone check, linked with every pure-math file of src/ and
 * the stand-alone host (clv_host_standalone.c); see run.
 *
 * Usage: pnbd_check [DATA_DIR]   (DATA_DIR defaults to ../shared/data; the
 * CDNOW checks are skipped when the files are absent).  Prints TAP-style
 * "ok N - ..." / "not ok N - ..." lines; exits 1 if any check failed.
 */
#define _GNU_SOURCE
#include "../../src/clv_models.h"

#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern double pnbd_log_a0(const double *par, double x, double tx, double T);

static int	n_ok = 0,
			n_fail = 0;

static void
check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
check(int cond, const char *fmt, ...)
{
	va_list		ap;

	printf("%s %d - ", cond ? "ok" : "not ok", n_ok + n_fail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (cond)
		n_ok++;
	else
		n_fail++;
}

static void
skip(const char *what, const char *where)
{
	printf("ok %d - # SKIP %s%s\n", n_ok + n_fail + 1, what, where);
	n_ok++;
}

static double
relerr(double a, double b, double floor_abs)
{
	double		den = fabs(b);

	if (den < floor_abs)
		den = floor_abs;
	if (isnan(a) || isnan(b))
		return INFINITY;
	return fabs(a - b) / den;
}

/* ---- data ---- */

typedef struct Cust
{
	double		x,
				tx,
				T;
} Cust;

static int
read_summary(const char *path, Cust **out)
{
	FILE	   *f = fopen(path, "r");
	char		line[512];
	int			n = 0,
				cap = 4096;
	Cust	   *c;

	if (!f)
		return -1;
	c = malloc(sizeof(Cust) * cap);
	if (!fgets(line, sizeof line, f))	/* header */
	{
		fclose(f);
		free(c);
		return -1;
	}
	while (fgets(line, sizeof line, f))
	{
		long		id;

		if (n == cap)
			c = realloc(c, sizeof(Cust) * (cap *= 2));
		if (sscanf(line, "%ld,%lf,%lf,%lf", &id, &c[n].x, &c[n].tx, &c[n].T) == 4)
			n++;
	}
	fclose(f);
	*out = c;
	return n;
}

/* golden file: x, t_x, T and the three pnbd columns, found by header name */
typedef struct Gold
{
	double		x,
				tx,
				T,
				ll,
				pa,
				ey;
} Gold;

static int
read_golden(const char *path, Gold **out)
{
	FILE	   *f = fopen(path, "r");
	char		line[4096];
	int			col[6] = {-1, -1, -1, -1, -1, -1};
	const char *names[6] = {"x", "t_x", "T", "pnbd_ll", "pnbd_palive", "pnbd_cexp_t39"};
	int			n = 0,
				cap = 4096,
				k,
				i;
	Gold	   *g;
	char	   *tok,
			   *save;

	if (!f)
		return -1;
	if (!fgets(line, sizeof line, f))
	{
		fclose(f);
		return -1;
	}
	line[strcspn(line, "\r\n")] = 0;
	for (i = 0, tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++)
		for (k = 0; k < 6; k++)
			if (strcmp(tok, names[k]) == 0)
				col[k] = i;
	for (k = 0; k < 6; k++)
		if (col[k] < 0)
		{
			fclose(f);
			return -2;
		}
	g = malloc(sizeof(Gold) * cap);
	while (fgets(line, sizeof line, f))
	{
		double		v[6] = {0};

		if (n == cap)
			g = realloc(g, sizeof(Gold) * (cap *= 2));
		for (i = 0, tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++)
			for (k = 0; k < 6; k++)
				if (col[k] == i)
					v[k] = strtod(tok, NULL);
		g[n].x = v[0];
		g[n].tx = v[1];
		g[n].T = v[2];
		g[n].ll = v[3];
		g[n].pa = v[4];
		g[n].ey = v[5];
		n++;
	}
	fclose(f);
	*out = g;
	return n;
}

/* patterns: sorted distinct (x, tx, T) with weights */
typedef struct Pat
{
	double		x,
				tx,
				T,
				w;
} Pat;

static int
pat_cmp(const void *a, const void *b)
{
	const Pat  *p = a,
			   *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->tx != q->tx)
		return p->tx < q->tx ? -1 : 1;
	if (p->T != q->T)
		return p->T < q->T ? -1 : 1;
	return 0;
}

typedef struct PatSet
{
	ClvPatterns cp;
	double	   *buf;
} PatSet;

/* sort, merge equal patterns (adding weights), and build a ClvPatterns */
static void
patset_build(Pat *p, int n, PatSet *ps)
{
	int			m = 0,
				i;
	double	   *b;

	qsort(p, n, sizeof(Pat), pat_cmp);
	for (i = 0; i < n; i++)
	{
		if (m > 0 && pat_cmp(&p[m - 1], &p[i]) == 0)
			p[m - 1].w += p[i].w;
		else
			p[m++] = p[i];
	}
	b = malloc(sizeof(double) * 4 * (m + 1));
	ps->buf = b;
	ps->cp.n = m;
	ps->cp.x = b;
	ps->cp.tx = b + m;
	ps->cp.T = b + 2 * m;
	ps->cp.w = b + 3 * m;
	ps->cp.total_weight = 0;
	for (i = 0; i < m; i++)
	{
		b[i] = p[i].x;
		b[m + i] = p[i].tx;
		b[2 * m + i] = p[i].T;
		b[3 * m + i] = p[i].w;
		ps->cp.total_weight += p[i].w;
	}
}

/* ---- checks ---- */

static double
sum_ll(const double *par, const Cust *c, int n)
{
	double		s = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		s += pnbd_ll(par, c[i].x, c[i].tx, c[i].T);
	return s;
}

/* ln-parameter finite differences: 4-point stencil, step h */
static void
fd_grad(const double *par, const ClvPatterns *d, double h, double *g)
{
	int			k,
				j;
	static const double off[4] = {-2, -1, 1, 2};
	static const double coef[4] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12};

	for (k = 0; k < 4; k++)
	{
		double		acc = 0.0;

		for (j = 0; j < 4; j++)
		{
			double		q[4];

			memcpy(q, par, sizeof q);
			q[k] = par[k] * exp(off[j] * h);
			acc += coef[j] * pnbd_ll_sum(q, d, NULL);
		}
		g[k] = acc / h;
	}
}

static void
check_gradient(const char *label, const double *par, const ClvPatterns *d)
{
	double		g[4],
				fd[4],
				worst = 0.0;
	int			k,
				finite = 1;

	pnbd_ll_sum(par, d, g);
	fd_grad(par, d, 1e-4, fd);
	for (k = 0; k < 4; k++)
	{
		double		e = relerr(g[k], fd[k], 1.0);

		if (!isfinite(g[k]))
			finite = 0;
		if (e > worst)
			worst = e;
	}
	check(finite && worst <= 1e-6,
		  "gradient vs finite differences, %s at (%g, %g, %g, %g): worst rel err %.2e "
		  "(grad %.6g %.6g %.6g %.6g)",
		  label, par[0], par[1], par[2], par[3], worst, g[0], g[1], g[2], g[3]);
}

/* ln A0 against 40-digit values (mpmath, closed form through 2F1) */
static const double a0_cases[][8] = {
#include "pnbd_a0_cases.inc"
};

static void
check_log_a0(void)
{
	int			i,
				n = (int) (sizeof a0_cases / sizeof a0_cases[0]);
	double		worst = 0.0;
	int			worst_i = 0;

	for (i = 0; i < n; i++)
	{
		const double *c = a0_cases[i];
		double		par[4] = {c[0], c[1], c[2], c[3]};
		double		v = pnbd_log_a0(par, c[4], c[5], c[6]);
		double		e = relerr(v, c[7], 1.0);

		if (e > worst)
		{
			worst = e;
			worst_i = i;
		}
	}
	check(worst <= 1e-10, "ln A0 vs 40-digit references, %d cases: worst rel err %.2e (case %d)",
		  n, worst, worst_i);
}

static void
check_published_rows(void)
{
	double		ovf[4] = {10.465, 0.00798565181, 3.0516, 2.820};
	double		unf[4] = {0.55, 10.58, 0.61, 11.67};
	double		btyd4[4] = {0.5534, 10.5802, 0.6061, 11.6562};
	double		mle[4] = {0.5532755, 10.577612, 0.6062135, 11.667910};
	static const double ovf_case[3][4] = {{400, 5, 6, -667.99}, {500, 1, 37, -9.4766}, {500, 4, 37, -715.06}};
	static const double ex_t[10] = {0, 0.051006546, 0.099626535, 0.1461348, 0.19075822,
	0.23368661, 0.27508055, 0.31507734, 0.35379537, 0.39133757};
	static const double paradox[4] = {0.70591, 0.14417, 0.022497, 0.0030915};
	int			i;
	double		v,
				worst;

	for (i = 0; i < 3; i++)
	{
		double		ll = pnbd_ll(ovf, ovf_case[i][0], ovf_case[i][1], ovf_case[i][2]);
		double		la = pnbd_log_a0(ovf, ovf_case[i][0], ovf_case[i][1], ovf_case[i][2]);
		double		pa = pnbd_p_alive(ovf, ovf_case[i][0], ovf_case[i][1], ovf_case[i][2]);

		check(isfinite(ll) && fabs(la - ovf_case[i][3]) <= 0.006 * fmax(1e-3, fabs(ovf_case[i][3])) / 1.0
			  && pa >= 0 && pa <= 1,
			  "overflow case (x, tx, T) = (%g, %g, %g): ll %.6f finite, ln A0 %.5f (table %g), P(alive) %.6g",
			  ovf_case[i][0], ovf_case[i][1], ovf_case[i][2], ll, la, ovf_case[i][3], pa);
	}
	v = pnbd_expected_purchases(unf, 10, 132, 200, 200);
	check(fabs(v - 6.206052) < 1e-6, "underflow case E[Y(10)] at (132, 200, 200) = %.7f (6.206052)", v);
	v = pnbd_expected_purchases(unf, 10, 133, 200, 200);
	check(fabs(v - 6.252872) < 1e-6, "underflow case E[Y(10)] at (133, 200, 200) = %.7f (6.252872)", v);
	v = pnbd_p_alive(btyd4, 26, 30.86, 31);
	check(fabs(v - 0.997918) < 1e-6, "P(alive) at (26, 30.86, 31), BTYD 4-decimal parameters = %.7f (0.997918)", v);
	v = pnbd_expected_purchases(mle, 52, 26, 30.86, 31);
	check(fabs(v - 25.456546) < 1e-5, "E[Y(52)] at (26, 30.86, 31), CSV MLE = %.7f (25.456546)", v);
	v = pnbd_expected_purchases(btyd4, 52, 26, 30.857143, 31);
	check(fabs(v - 25.4538) < 1e-3, "E[Y(52)] cust. 1516, BTYD 4-decimal parameters = %.5f (25.4538)", v);
	worst = 0.0;
	for (i = 0; i < 4; i++)
	{
		double		e = relerr(pnbd_expected_purchases(btyd4, 52, 10 + 5 * i, 20, 39), paradox[i], 0.0);

		if (e > worst)
			worst = e;
	}
	check(worst < 5e-5, "paradox rows E[Y(52)] at x = 10, 15, 20, 25, tx = 20, T = 39: worst rel err %.2e vs 5-digit values", worst);
	worst = 0.0;
	for (i = 0; i < 10; i++)
	{
		double		e = fabs(pnbd_expected_purchases_new(mle, i) - ex_t[i]);

		if (e > worst)
			worst = e;
	}
	v = pnbd_expected_purchases_new(mle, 52);
	check(worst < 1e-8 && fabs(v - 1.473441455) < 1e-8,
		  "E[X(t)] new customer at the CSV MLE, t = 0..9 (max abs err %.1e) and E[X(52)] = %.9f (1.47344)",
		  worst, v);
}

/* s = 1 removable singularity: continuity of both expectations */
static void
check_s_one(void)
{
	double		worst = 0.0;
	double		ds[5] = {-1e-6, -1e-9, 0.0, 1e-9, 1e-6};
	double		ref_new,
				ref_cond;
	int			i;

	{
		double		par[4] = {0.5, 10.0, 1.0, 12.0};

		ref_new = pnbd_expected_purchases_new(par, 39);
		ref_cond = pnbd_expected_purchases(par, 39, 3, 20, 39);
	}
	for (i = 0; i < 5; i++)
	{
		double		par[4] = {0.5, 10.0, 1.0 + ds[i], 12.0};
		double		e1 = relerr(pnbd_expected_purchases_new(par, 39), ref_new, 0.0);
		double		e2 = relerr(pnbd_expected_purchases(par, 39, 3, 20, 39), ref_cond, 0.0);
		double		tol = 10 * fabs(ds[i]) + 1e-14;

		if (e1 / tol > worst)
			worst = e1 / tol;
		if (e2 / tol > worst)
			worst = e2 / tol;
	}
	check(worst <= 1.0 && isfinite(ref_new) && isfinite(ref_cond),
		  "s = 1 +- 1e-9, 1e-6: E[X(39)] = %.12f and E[Y(39)] continuous (relative change <= 10 |s-1|)",
		  ref_new);
}

/* ---- robustness grid, with floating-point traps on ---- */

static void
check_grid(void)
{
	static const double pv[3] = {1e-3, 1.0, 1e3};
	static const double sv[6] = {1e-3, 1.0, 1e3, 1.0 - 1e-9, 1.0 + 1e-9, 1.0 - 1e-15};
	static const double xv[5] = {0, 1, 300, 1000, 5000};
	static const double Tv[4] = {0, 1, 39, 1000};
	int			ir,
				ia,
				is,
				ib,
				ix,
				iT,
				it;
	long		cases = 0,
				bad = 0;
	char		first_bad[256] = "";

#ifdef FE_INVALID
	feclearexcept(FE_ALL_EXCEPT);
	feenableexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
#endif
	for (ir = 0; ir < 3; ir++)
		for (ia = 0; ia < 3; ia++)
			for (is = 0; is < 6; is++)
				for (ib = 0; ib < 3; ib++)
				{
					double		par[4] = {pv[ir], pv[ia], sv[is], pv[ib]};

					for (ix = 0; ix < 5; ix++)
						for (iT = 0; iT < 4; iT++)
							for (it = 0; it < 3; it++)
							{
								double		x = xv[ix],
											T = Tv[iT];
								double		tx = it == 0 ? 0.0 : it == 1 ? T : 0.5 * T;
								double		ll,
											pa,
											ey,
											ey0,
											exn,
											sum,
											g[4];
								double		dx[1] = {x},
											dtx[1] = {tx},
											dT[1] = {T},
											dw[1] = {3.0};
								ClvPatterns d = {.n = 1, .x = dx, .tx = dtx, .T = dT, .w = dw, .total_weight = 3.0};
								int			okc;

								ll = pnbd_ll(par, x, tx, T);
								pa = pnbd_p_alive(par, x, tx, T);
								ey = pnbd_expected_purchases(par, 39, x, tx, T);
								ey0 = pnbd_expected_purchases(par, 1000, x, tx, T);
								exn = pnbd_expected_purchases_new(par, 1000);
								sum = pnbd_ll_sum(par, &d, g);
								okc = isfinite(ll) && pa >= 0 && pa <= 1 && isfinite(ey) && ey >= 0
									&& isfinite(ey0) && isfinite(exn) && isfinite(sum)
									&& isfinite(g[0]) && isfinite(g[1]) && isfinite(g[2]) && isfinite(g[3])
									&& fabs(sum - 3.0 * ll) <= 1e-12 * fmax(1.0, fabs(sum));
								cases++;
								if (!okc)
								{
									if (bad++ == 0)
										snprintf(first_bad, sizeof first_bad,
												 "par (%g, %g, %.17g, %g) x %g tx %g T %g: ll %g pa %g ey %g sum %g g %g %g %g %g",
												 par[0], par[1], par[2], par[3], x, tx, T, ll, pa, ey, sum,
												 g[0], g[1], g[2], g[3]);
								}
							}
				}
#ifdef FE_INVALID
	fedisableexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
#endif
	check(bad == 0, "robustness grid with FP traps on: %ld cases, %ld not finite / P(alive) outside [0, 1]%s%s",
		  cases, bad, bad ? ": first " : "", first_bad);
}

/* gradient vs finite differences over the extreme parameter grid, on mixed patterns */
static void
check_grid_gradient(void)
{
	static const double pv[3] = {1e-3, 1.0, 1e3};
	static const double sv[4] = {1e-3, 1.0, 1e3, 1.0 + 1e-9};
	static const double xv[4] = {0, 1, 300, 1000};
	static const double Tv[3] = {1, 39, 1000};
	double		X[40],
				TX[40],
				TT[40],
				W[40],
				worst = 0.0;
	int			n = 0,
				ix,
				iT,
				it,
				a,
				b,
				c,
				e,
				k,
				finite = 1;
	ClvPatterns d;

	for (ix = 0; ix < 4; ix++)
		for (iT = 0; iT < 3; iT++)
			for (it = 0; it < 3; it++)
			{
				if (xv[ix] == 0 && it > 0)
					continue;
				X[n] = xv[ix];
				TT[n] = Tv[iT];
				TX[n] = xv[ix] == 0 ? 0 : it == 0 ? 0.3 * Tv[iT] : it == 1 ? Tv[iT] : 0.5 * Tv[iT];
				W[n] = 1 + n % 3;
				n++;
			}
	d.n = n;
	d.x = X;
	d.tx = TX;
	d.T = TT;
	d.w = W;
	d.total_weight = 0;
	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++)
			for (c = 0; c < 4; c++)
				for (e = 0; e < 3; e++)
				{
					double		par[4] = {pv[a], pv[b], sv[c], pv[e]},
								g[4],
								f[4];

					pnbd_ll_sum(par, &d, g);
					fd_grad(par, &d, 1e-4, f);
					for (k = 0; k < 4; k++)
					{
						if (!isfinite(g[k]))
							finite = 0;
						worst = fmax(worst, relerr(g[k], f[k], 1.0));
					}
				}
	check(finite && worst <= 1e-6,
		  "gradient vs finite differences on the grid r, alpha, beta in {1e-3, 1, 1e3}, s also 1 + 1e-9, "
		  "%d patterns with x to 1000: worst rel err %.2e", n, worst);
}

/* ---- timing ---- */

static unsigned long long lcg_state = 12345;

static unsigned
lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned) (lcg_state >> 33);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
timing(void)
{
	int			want = 500000,
				n = 0,
				cap = 700000,
				reps = 5,
				i;
	Pat		   *p = malloc(sizeof(Pat) * cap);
	PatSet		ps;
	int			k;
	double		g[4],
				t0,
				t1,
				t2,
				ll = 0;

	/* random (x, tx, T) in days until 500,000 distinct patterns */
	for (;;)
	{
		while (n < cap)
		{
			Pat			q;

			q.x = lcg() % 51;
			q.T = lcg() % 1096;
			q.tx = q.x == 0 ? 0 : (double) (lcg() % ((unsigned) q.T + 1));
			q.w = 1 + lcg() % 5;
			p[n++] = q;
		}
		patset_build(p, n, &ps);
		if (ps.cp.n >= want)
			break;
		free(ps.buf);
		cap += 200000;
		p = realloc(p, sizeof(Pat) * cap);
	}
	ps.cp.n = want;				/* the first 500,000 of the sorted distinct set */
	for (k = 0; k < 2; k++)
	{
		/* days; the second point has beta/alpha = 100, where ln G needs the quadrature */
		static const double pts[2][4] = {{0.553, 10.578 * 7, 0.606, 11.669 * 7}, {2, 0.5 * 7, 3, 50 * 7}};

		t0 = now_ms();
		for (i = 0; i < reps; i++)
			ll = pnbd_ll_sum(pts[k], &ps.cp, g);
		t1 = now_ms();
		for (i = 0; i < reps; i++)
			(void) pnbd_ll_sum(pts[k], &ps.cp, NULL);
		t2 = now_ms();
		check(isfinite(ll) && isfinite(g[0]) && isfinite(g[1]) && isfinite(g[2]) && isfinite(g[3]),
			  "timing: pnbd_ll_sum on %d synthetic patterns (x 0..50, tx, T whole days 0..1095) at (%g, %g, %g, %g): "
			  "%.1f ms per call with gradient, %.1f ms without",
			  ps.cp.n, pts[k][0], pts[k][1], pts[k][2], pts[k][3], (t1 - t0) / reps, (t2 - t1) / reps);
	}
	free(ps.buf);

	/* the worst case for the cache: tx and T continuous, so every y is new */
	for (i = 0; i < want; i++)
	{
		p[i].x = lcg() % 51;
		p[i].T = (lcg() % 10000000) / 10000000.0 * 1095;
		p[i].tx = p[i].x == 0 ? 0 : (lcg() % 10000000) / 10000000.0 * p[i].T;
		p[i].w = 1;
	}
	patset_build(p, want, &ps);
	for (k = 0; k < 2; k++)
	{
		static const double pts[2][4] = {{0.553, 10.578 * 7, 0.606, 11.669 * 7}, {2, 0.5 * 7, 3, 50 * 7}};

		t0 = now_ms();
		ll = pnbd_ll_sum(pts[k], &ps.cp, g);
		t1 = now_ms();
		check(isfinite(ll), "timing: %d patterns with continuous tx, T (about %d distinct (x, y)) at (%g, %g, %g, %g): "
			  "%.1f ms per call with gradient", ps.cp.n, 2 * ps.cp.n, pts[k][0], pts[k][1], pts[k][2], pts[k][3], t1 - t0);
	}
	free(ps.buf);
	free(p);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/data";
	char		path[1024];
	Cust	   *c = NULL;
	Gold	   *g = NULL;
	int			n,
				ng,
				i;
	PatSet		ps = {{0}, NULL};
	int			have_cdnow = 0;

	snprintf(path, sizeof path, "%s/cdnow/cdnow_customers_summary.csv", dir);
	n = read_summary(path, &c);
	if (n > 0)
	{
		double		p1[4] = {0.553, 10.578, 0.606, 11.669};
		double		p2[4] = {0.55, 10.58, 0.61, 11.67};
		double		s1 = sum_ll(p1, c, n),
					s2 = sum_ll(p2, c, n),
					ss;
		Pat		   *p = malloc(sizeof(Pat) * n);

		have_cdnow = 1;
		check(fabs(s1 - (-9594.974010)) <= 1e-5, "CDNOW sum of pnbd_ll at (0.553, 10.578, 0.606, 11.669) = %.6f (-9594.974010)", s1);
		check(fabs(s2 - (-9595.008530)) <= 1e-5, "CDNOW sum of pnbd_ll at (0.55, 10.58, 0.61, 11.67) = %.6f (-9595.008530)", s2);
		for (i = 0; i < n; i++)
		{
			p[i].x = c[i].x;
			p[i].tx = c[i].tx;
			p[i].T = c[i].T;
			p[i].w = 1.0;
		}
		patset_build(p, n, &ps);
		free(p);
		ss = pnbd_ll_sum(p1, &ps.cp, NULL);
		check(relerr(ss, s1, 0.0) <= 1e-9, "pnbd_ll_sum over %d CDNOW patterns = %.9f, per-customer sum %.9f (rel diff %.1e)",
			  ps.cp.n, ss, s1, relerr(ss, s1, 0.0));
	}
	else
		skip("CDNOW sums and patterns: not found: ", path);

	snprintf(path, sizeof path, "%s/cdnow/derived/cdnow_reference_predictions.csv", dir);
	ng = read_golden(path, &g);
	if (ng > 0)
	{
		double		par[4] = {0.553, 10.578, 0.606, 11.669};
		double		w_ll = 0,
					w_pa = 0,
					w_ey = 0;

		for (i = 0; i < ng; i++)
		{
			double		e;

			e = relerr(pnbd_ll(par, g[i].x, g[i].tx, g[i].T), g[i].ll, 1e-12 / 1e-7);
			w_ll = fmax(w_ll, e);
			e = relerr(pnbd_p_alive(par, g[i].x, g[i].tx, g[i].T), g[i].pa, 1e-12 / 1e-7);
			w_pa = fmax(w_pa, e);
			e = relerr(pnbd_expected_purchases(par, 39, g[i].x, g[i].tx, g[i].T), g[i].ey, 1e-12 / 1e-7);
			w_ey = fmax(w_ey, e);
		}
		check(w_ll <= 1e-7, "golden pnbd_ll, %d customers: worst rel err %.2e", ng, w_ll);
		check(w_pa <= 1e-7, "golden pnbd_palive, %d customers: worst rel err %.2e", ng, w_pa);
		check(w_ey <= 1e-7, "golden pnbd_cexp_t39, %d customers: worst rel err %.2e", ng, w_ey);
	}
	else
		skip("golden file: not found: ", path);

	/* gradients: on CDNOW when present, and always on a synthetic set */
	{
		static const double pts[4][4] = {
			{0.553, 10.578, 0.606, 11.669},
			{2, 0.5, 3, 50},
			{0.1, 50, 0.2, 0.5},
			{1.0, 1.0, 1.0, 1.0}
		};
		Pat		   *p = malloc(sizeof(Pat) * 3000);
		PatSet		syn;
		int			k;

		for (k = 0; k < 3000; k++)
		{
			p[k].x = (k % 7 == 0) ? 0 : lcg() % (k % 5 == 0 ? 400 : 20);
			p[k].T = (lcg() % 400) / 10.0;
			p[k].tx = p[k].x == 0 ? 0 : (k % 11 == 0 ? p[k].T : (lcg() % 1000) / 1000.0 * p[k].T);
			p[k].w = 1 + lcg() % 3;
		}
		patset_build(p, 3000, &syn);
		free(p);
		for (k = 0; k < 4; k++)
		{
			if (have_cdnow)
				check_gradient("CDNOW", pts[k], &ps.cp);
			check_gradient("synthetic", pts[k], &syn.cp);
		}
		free(syn.buf);
	}

	check_grid_gradient();
	check_log_a0();
	check_published_rows();
	check_s_one();
	check_grid();
	if (getenv("PNBD_CHECK_NO_TIMING"))
		skip("timing", " (PNBD_CHECK_NO_TIMING set)");
	else
		timing();

	free(c);
	free(g);
	free(ps.buf);
	printf("1..%d\n%d passed, %d failed\n", n_ok + n_fail, n_ok, n_fail);
	return n_fail ? 1 : 0;
}
