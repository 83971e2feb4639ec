/*
 * clv_pareto.c
 *		Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie
 *		note 009): log-likelihood, its gradient, P(alive) and expected
 *		purchases, in plain C doubles (see clv_models.h and
 *		doc/clv_math.md#pareto-nbd).
 *
 * Stratum: pure mathematics (clv_models.h, clv_host.h; no PostgreSQL).
 *
 * Model: purchases Poisson(lambda), lambda ~ Gamma(r, alpha); lifetime
 * Exponential(mu), mu ~ Gamma(s, beta).  For one customer (x, tx, T):
 *
 *   L  = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *        * [ (alpha+T)^-(r+x) (beta+T)^-s  +  s/(r+s+x) A0 ]
 *   A0 = (r+s+x) * int_tx^T (alpha+u)^-(r+x) (beta+u)^-(s+1) du
 *
 * so with G_x(y) = int_y^inf (alpha+u)^-(r+x) (beta+u)^-(s+1) du
 *
 *   ll = lnGamma(r+x) - lnGamma(r) + r ln alpha + s ln beta
 *        + logaddexp( -(r+x) ln(alpha+T) - s ln(beta+T),
 *                     ln s + ln(G_x(tx) - G_x(T)) ),
 *   ln(G(tx) - G(T)) = ln G(tx) + log1mexp(ln G(T) - ln G(tx)),
 *
 * and tx = T gives A0 = 0 (the second log term is -inf).
 *
 * ln G_x(y) (doc/clv_math.md#pareto-integral): let m = r+s+x, P = alpha+y,
 * Q = beta+y, "big" = max(P, Q), "small" = min(P, Q) and e the exponent of
 * the small factor (r+x if alpha < beta, else s+1).  Substituting
 * omega = (big/(big+u-y))^m maps [y, inf) onto (0, 1] and takes out the
 * dominant power exactly:
 *
 *   G = big^-m / m * int_0^1 (1 - z omega^(1/m))^-e d omega,
 *   z = |alpha - beta| / big,   1 - z omega^(1/m) = (small+u)/(big+u),
 *
 * (= big^-m/m 2F1(e, m; m+1; z), Hardie's branch rule).  Two evaluations:
 *  - z <= 1/2 with the largest series term at j <= 40 (the usual case, alpha
 *    and beta of one order): the power series sum_j (e)_j/j! m/(m+j) z^j, all
 *    terms positive, with its derivatives in e, m, z summed alongside.
 *  - otherwise: the integrand is monotone in omega, between 1 and
 *    (big/small)^e, and is summed in log space by a tanh-sinh rule on [0, 1]
 *    (|t| <= 3.5, step 1/16: 113 nodes).  When small/big is tiny the
 *    integrand has a sharp corner near omega = 1, so the step is halved below
 *    small/big = 1e-3 (225 nodes) and again below 1e-6 (449 nodes).
 * Against 40-digit 2F1 values (r, s, alpha, beta in 1e-3..1e3, x to 3000,
 * y to 1000, small/big down to 1e-8) the relative error of ln G stayed below
 * 4e-13, of its derivatives below 2e-11.
 *
 * Gradient (doc/clv_math.md#pareto-gradient): differentiate under the
 * integral.  With E[.] the mean under the normalised integrand on [y, inf),
 *   d ln G / d r = -E[ln(alpha+u)],  d ln G / d alpha = -(r+x) E[1/(alpha+u)],
 *   d ln G / d s = -E[ln(beta+u)],   d ln G / d beta  = -(s+1) E[1/(beta+u)],
 * evaluated with the same nodes and weights.  For a pattern,
 *   d ln(G(tx) - G(T)) * (its share of L) = s G(tx)/L * (D(tx) - rho D(T)),
 * D = d ln G, rho = G(T)/G(tx), so nothing is divided by G(tx) - G(T).
 *
 * Predictions (note 009; doc/clv_math.md#pareto-predictions):
 *   P(alive) = (alpha+T)^-(r+x) (beta+T)^-s / [ ... ], i.e. the share of the
 *              first term of the logaddexp above
 *   E[Y(t) | x, tx, T] = P(alive) (r+x)(beta+T)/(alpha+T)
 *                        * [1 - ((beta+T)/(beta+T+t))^(s-1)] / (s-1)    (eq. 41)
 *   E[X(t)] = r beta / alpha * [1 - (beta/(beta+t))^(s-1)] / (s-1)
 * where [1 - (b/(b+t))^c]/c = -expm1(-c ln(1+t/b))/c, whose s = 1 limit is
 * ln(1+t/b) (taken exactly at s = 1; expm1 keeps it continuous nearby).
 *
 * pnbd_ll_sum computes ln G once per distinct (x, y), y in {tx} U {T}, not once
 * per pattern: patterns are taken in runs of equal x (chunks of at most
 * PNBD_CHUNK patterns) and their tx and T values deduplicated with a small
 * hash table.  Sums are Neumaier-compensated, in pattern order.
 */
#include "clv_models.h"
#include "clv_host.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ln A0 for the tests (not part of the SQL-facing API) */
extern double pnbd_log_a0(const double *par, double x, double tx, double T);

/* tanh-sinh nodes on [0, 1]: finest step 1/64, |t| <= 3.5 */
#define PNBD_PI		3.14159265358979323846
#define TS_FINE		64
#define TS_HALF		(7 * TS_FINE / 2)		/* 3.5 / (1/64) = 224 */
#define TS_NODES	(2 * TS_HALF + 1)		/* 449 */

/* patterns processed with one cache of ln G values (bounds the scratch memory) */
#define PNBD_CHUNK	65536

static bool ts_ready = false;
static double ts_lnw[TS_NODES];	/* ln weight at step 1/64 */
static double ts_lnom[TS_NODES];	/* ln omega, accurate at both ends */

static void
ts_init(void)
{
	int			k;

	for (k = -TS_HALF; k <= TS_HALF; k++)
	{
		double		t = (double) k / TS_FINE;
		double		u = (PNBD_PI / 2) * sinh(t);

		/* omega = 1/(1+e^{-2u}); d omega/dt = (pi/4) cosh t / cosh^2 u */
		ts_lnw[k + TS_HALF] = log((PNBD_PI / 4) * cosh(t) / TS_FINE) - 2.0 * log(cosh(u));
		ts_lnom[k + TS_HALF] = -log1p(exp(-2.0 * u));
	}
	ts_ready = true;
}

/* ln G_x(y) at one y and, when asked for, d ln G / d ln(r, alpha, s, beta) */
typedef struct PnbdG
{
	double		lnG;
	double		d[4];
	double		ln_ay;			/* ln(alpha + y) */
	double		ln_by;			/* ln(beta + y) */
} PnbdG;

typedef struct PnbdPar
{
	double		r,
				alpha,
				s,
				beta;
	double		ln_alpha,
				ln_beta,
				ln_s,
				lgamma_r,
				digamma_r;
} PnbdPar;

/*
 * omega^(1/m) - 1 at the tanh-sinh nodes for one m = r+s+x, filled lazily
 * per step level (the nodes of a coarser level are a subset of a finer one's)
 */
typedef struct PnbdNodes
{
	double		m;
	bool		ready[3];		/* strides 4, 2, 1 */
	double		em1[TS_NODES];
} PnbdNodes;

static void
pnbd_nodes_init(PnbdNodes *nd, double m)
{
	nd->m = m;
	nd->ready[0] = nd->ready[1] = nd->ready[2] = false;
}

static int
stride_level(int stride)
{
	return stride == 4 ? 0 : stride == 2 ? 1 : 2;
}

/*
 * ln G by the power series of 2F1(e, m; m+1; z) = sum_j (e)_j/j! m/(m+j) z^j
 * (all terms positive), with its derivatives in e, m and z.  Only used where
 * it converges fast: z <= 1/2 and the largest term near j <= 40.  Returns
 * false (nothing stored) when it does not apply.
 */
static bool
pnbd_G_series(const PnbdPar *p, double x, double y, PnbdG *out, bool want_grad)
{
	double		a = p->r + x;
	double		b = p->s + 1.0;
	double		m = a + b - 1.0;
	double		P = p->alpha + y;
	double		Q = p->beta + y;
	bool		small_is_alpha = P < Q;
	double		big = small_is_alpha ? Q : P;
	double		e = small_is_alpha ? a : b;
	double		z = fabs(p->alpha - p->beta) / big;
	double		c = 1.0,		/* term j */
				F = 1.0,
				Fe = 0.0,		/* sum c_j * d ln c_j / d e */
				Fm = 0.0,		/* sum c_j * j / (m + j) */
				Fz = 0.0,		/* sum c_j * j */
				Se = 0.0;		/* sum_{i<j} 1/(e+i) */
	double		ln_big,
				ln_small;
	int			j;

	if (!(z <= 0.5 && e * z <= 40.0 * (1.0 - z)))
		return false;
	for (j = 0; j < 2000; j++)
	{
		double		ratio = z * (e + j) * (m + j) / ((j + 1) * (m + j + 1));

		c *= ratio;
		if (want_grad)
		{
			Se += 1.0 / (e + j);
			Fe += c * Se;
			Fm += c * (j + 1) / (m + j + 1);
			Fz += c * (j + 1);
		}
		F += c;
		if (c <= 1e-17 * F && ratio < 0.5)
			break;
	}
	if (j == 2000)
		return false;

	ln_big = log(big);
	ln_small = log(small_is_alpha ? P : Q);
	out->lnG = -m * ln_big - log(m) + log(F);
	out->ln_ay = small_is_alpha ? ln_small : ln_big;
	out->ln_by = small_is_alpha ? ln_big : ln_small;
	if (want_grad)
	{
		/* d ln G / d e, d m, and d z (z = 0 only when alpha = beta: the j = 1 term) */
		double		dle = Fe / F;
		double		dlm = -ln_big - 1.0 / m + Fm / (m * F);
		double		dlz = z > 1e-200 ? Fz / (z * F) : e * m / (m + 1.0);
		double		dz_da,
					dz_db;

		if (small_is_alpha)
		{
			/* z = (beta - alpha)/(beta + y) */
			dz_da = -1.0 / Q;
			dz_db = (P / Q) / Q;
		}
		else
		{
			/* z = (alpha - beta)/(alpha + y) */
			dz_da = (Q / P) / P;
			dz_db = -1.0 / P;
		}
		out->d[0] = p->r * (dlm + (small_is_alpha ? dle : 0.0));
		out->d[1] = p->alpha * ((small_is_alpha ? 0.0 : -m / P) + dlz * dz_da);
		out->d[2] = p->s * (dlm + (small_is_alpha ? 0.0 : dle));
		out->d[3] = p->beta * ((small_is_alpha ? -m / Q : 0.0) + dlz * dz_db);
	}
	return true;
}

static void
pnbd_G(const PnbdPar *p, PnbdNodes *nd, double x, double y, PnbdG *out, bool want_grad)
{
	double		a = p->r + x;	/* exponent of alpha + u */
	double		b = p->s + 1.0; /* exponent of beta + u */
	double		m = nd->m;		/* a + b - 1 */
	double		inv_m = 1.0 / m;
	double		P = p->alpha + y;
	double		Q = p->beta + y;
	bool		small_is_alpha = P < Q;
	double		big = small_is_alpha ? Q : P;
	double		e = small_is_alpha ? a : b;
	double		z = fabs(p->alpha - p->beta) / big;
	double		omz = (small_is_alpha ? P : Q) / big;	/* 1 - z, exactly */
	double		ln_big,
				ln_small;
	int			stride,
				k,
				j,
				nk;
	double		ln_stride;
	double		lv[TS_NODES],
				lq[TS_NODES],
				om[TS_NODES];
	int			kk[TS_NODES];
	double		mx = -INFINITY;
	double		sum = 0.0,
				e_lo = 0.0,
				e_lq = 0.0,
				e_ib = 0.0,
				e_is = 0.0;

	if (pnbd_G_series(p, x, y, out, want_grad))
		return;

	if (!ts_ready)
		ts_init();

	/* the step: 1/16, or finer when the integrand has a sharp corner */
	stride = omz >= 1e-3 ? 4 : omz >= 1e-6 ? 2 : 1;
	ln_stride = log((double) stride);
	if (!nd->ready[stride_level(stride)])
	{
		for (k = TS_HALF % stride; k < TS_NODES; k += stride)
			nd->em1[k] = expm1(ts_lnom[k] * inv_m);
		nd->ready[stride_level(stride)] = true;
	}

	/* pass 1: log integrand times weight at each node */
	nk = 0;
	for (k = TS_HALF % stride; k < TS_NODES; k += stride)
	{
		double		em = nd->em1[k];	/* omega^(1/m) - 1 */
		double		q = omz - z * em;	/* (small+u)/(big+u), no cancellation */
		double		ql = log(q);

		kk[nk] = k;
		lq[nk] = ql;
		om[nk] = q;
		lv[nk] = ts_lnw[k] + ln_stride - e * ql;
		if (lv[nk] > mx)
			mx = lv[nk];
		nk++;
	}

	/* pass 2: scaled sums (nodes below e^-50 of the largest are dropped) */
	for (j = 0; j < nk; j++)
	{
		double		w;

		if (lv[j] - mx < -50.0)
			continue;
		w = exp(lv[j] - mx);
		sum += w;
		if (want_grad)
		{
			double		o = 1.0 + nd->em1[kk[j]];	/* omega^(1/m) = big/(big+u-y) */

			e_lo += w * ts_lnom[kk[j]] * inv_m;
			e_lq += w * lq[j];
			e_ib += w * o;
			e_is += w * o / om[j];
		}
	}

	ln_big = log(big);
	ln_small = log(small_is_alpha ? P : Q);
	out->lnG = -m * ln_big - log(m) + mx + log(sum);
	out->ln_ay = small_is_alpha ? ln_small : ln_big;
	out->ln_by = small_is_alpha ? ln_big : ln_small;

	if (want_grad)
	{
		/* means under the integrand of ln(big+u), ln(small+u), 1/(big+u), 1/(small+u) */
		double		E_lnbig = ln_big - e_lo / sum;
		double		E_lnsmall = E_lnbig + e_lq / sum;
		double		E_invbig = e_ib / sum / big;
		double		E_invsmall = e_is / sum / big;
		double		E_lna = small_is_alpha ? E_lnsmall : E_lnbig;
		double		E_lnb = small_is_alpha ? E_lnbig : E_lnsmall;
		double		E_ia = small_is_alpha ? E_invsmall : E_invbig;
		double		E_ib = small_is_alpha ? E_invbig : E_invsmall;

		out->d[0] = -p->r * E_lna;
		out->d[1] = -a * p->alpha * E_ia;
		out->d[2] = -p->s * E_lnb;
		out->d[3] = -b * p->beta * E_ib;
	}
}

/* false for anything that is not a valid parameter vector */
static bool
pnbd_par_init(const double *par, PnbdPar *p)
{
	int			k;

	for (k = 0; k < 4; k++)
		if (!(par[k] > 0.0 && par[k] < INFINITY))
			return false;
	p->r = par[0];
	p->alpha = par[1];
	p->s = par[2];
	p->beta = par[3];
	p->ln_alpha = log(p->alpha);
	p->ln_beta = log(p->beta);
	p->ln_s = log(p->s);
	p->lgamma_r = clv_lgamma(p->r);
	p->digamma_r = clv_digamma(p->r);
	return true;
}

static bool
pnbd_data_ok(double x, double tx, double T)
{
	return x >= 0.0 && x < INFINITY && tx >= 0.0 && T >= tx && T < INFINITY;
}

/*
 * One pattern from its two ln G values (gT unused when tx >= T).
 * lg_x = lnGamma(r+x) - lnGamma(r), dg_x = psi(r+x) - psi(r) (gradient only).
 * Returns ll; *palive (if not NULL) gets P(alive); grad (if not NULL) gets
 * d ll / d ln par.
 */
static double
pnbd_pattern(const PnbdPar *p, double x, double T, double lg_x, double dg_x,
			 const PnbdG *gtx, const PnbdG *gT, bool no_a0,
			 double *palive, double *grad)
{
	double		l1 = -(p->r + x) * gT->ln_ay - p->s * gT->ln_by;
	double		la = -INFINITY; /* ln(s (G(tx) - G(T))) */
	double		diff = 0.0;
	double		lnL;
	double		ll;

	if (!no_a0)
	{
		diff = gT->lnG - gtx->lnG;
		/* G(T) < G(tx) for tx < T; rounding can only tie them when T - tx is negligible */
		if (diff < 0.0)
			la = p->ln_s + gtx->lnG + clv_log1mexp(diff);
		else
			no_a0 = true;
	}
	lnL = clv_logaddexp(l1, la);
	ll = lg_x + p->r * p->ln_alpha + p->s * p->ln_beta + lnL;

	if (palive)
		*palive = exp(l1 - lnL);

	if (grad)
	{
		double		pi1 = exp(l1 - lnL);	/* share of the "alive at T" term */
		double		r = p->r,
					s = p->s;

		grad[0] = r * (dg_x + p->ln_alpha) - pi1 * r * gT->ln_ay;
		grad[1] = r - pi1 * (r + x) * (p->alpha / (p->alpha + T));
		grad[2] = s * p->ln_beta - pi1 * s * gT->ln_by;
		grad[3] = s - pi1 * s * (p->beta / (p->beta + T));
		if (!no_a0)
		{
			/*
			 * d ln(G(tx) - G(T)) times the A0 term's share, without dividing
			 * by G(tx) - G(T): share / (1 - rho) = s G(tx) / L.
			 */
			double		wA = exp(p->ln_s + gtx->lnG - lnL);
			double		rho = exp(diff);
			double		piA = exp(la - lnL);
			int			k;

			for (k = 0; k < 4; k++)
				grad[k] += wA * (gtx->d[k] - rho * gT->d[k]);
			grad[2] += piA;
		}
	}
	return ll;
}

/* ll of one customer, and P(alive) through *palive when not NULL */
static double
pnbd_one(const double *par, double x, double tx, double T, double *palive)
{
	PnbdPar		p;
	PnbdG		gtx,
				gT;
	PnbdNodes	nd;
	bool		no_a0;

	if (!pnbd_par_init(par, &p) || !pnbd_data_ok(x, tx, T))
	{
		if (palive)
			*palive = NAN;
		return NAN;
	}
	no_a0 = !(tx < T);
	pnbd_nodes_init(&nd, p.r + p.s + x);
	pnbd_G(&p, &nd, x, T, &gT, false);
	if (!no_a0)
		pnbd_G(&p, &nd, x, tx, &gtx, false);
	return pnbd_pattern(&p, x, T, clv_lgamma(p.r + x) - p.lgamma_r, 0.0,
						no_a0 ? &gT : &gtx, &gT, no_a0, palive, NULL);
}

double
pnbd_ll(const double *par, double x, double tx, double T)
{
	return pnbd_one(par, x, tx, T, NULL);
}

/* ln A0 = ln(r+s+x) + ln(G(tx) - G(T)); -inf when tx = T */
double
pnbd_log_a0(const double *par, double x, double tx, double T)
{
	PnbdPar		p;
	PnbdG		gtx,
				gT;
	PnbdNodes	nd;
	double		diff;

	if (!pnbd_par_init(par, &p) || !pnbd_data_ok(x, tx, T))
		return NAN;
	if (!(tx < T))
		return -INFINITY;
	pnbd_nodes_init(&nd, p.r + p.s + x);
	pnbd_G(&p, &nd, x, T, &gT, false);
	pnbd_G(&p, &nd, x, tx, &gtx, false);
	diff = gT.lnG - gtx.lnG;
	if (!(diff < 0.0))
		return -INFINITY;
	return log(p.r + p.s + x) + gtx.lnG + clv_log1mexp(diff);
}

double
pnbd_p_alive(const double *par, double x, double tx, double T)
{
	double		pa;

	(void) pnbd_one(par, x, tx, T, &pa);
	if (pa > 1.0)
		pa = 1.0;
	return pa;
}

/* [1 - (b/(b+t))^c] / c, and its limit ln(1 + t/b) at c = 0 */
static double
pnbd_ratio_term(double c, double b, double t)
{
	double		lr = log1p(t / b);

	if (c == 0.0)
		return lr;
	return -expm1(-c * lr) / c;
}

double
pnbd_expected_purchases(const double *par, double t, double x, double tx, double T)
{
	double		pa;

	if (!(t >= 0.0 && t < INFINITY))
		return NAN;
	(void) pnbd_one(par, x, tx, T, &pa);
	if (isnan(pa))
		return NAN;
	if (pa > 1.0)
		pa = 1.0;
	return pa * (par[0] + x) * ((par[3] + T) / (par[1] + T))
		* pnbd_ratio_term(par[2] - 1.0, par[3] + T, t);
}

double
pnbd_expected_purchases_new(const double *par, double t)
{
	PnbdPar		p;

	if (!pnbd_par_init(par, &p) || !(t >= 0.0 && t < INFINITY))
		return NAN;
	return p.r * (p.beta / p.alpha) * pnbd_ratio_term(p.s - 1.0, p.beta, t);
}

/* Neumaier's compensated sum */
typedef struct KSum
{
	double		s;
	double		c;
} KSum;

static inline void
ksum_add(KSum *k, double v)
{
	double		t = k->s + v;

	if (fabs(k->s) >= fabs(v))
		k->c += (k->s - t) + v;
	else
		k->c += (v - t) + k->s;
	k->s = t;
}

/* hash of a y value (its bits; -0 was folded into +0 by the caller) */
static inline uint32_t
pnbd_hash(double y)
{
	uint64_t	b;

	memcpy(&b, &y, sizeof b);
	b ^= b >> 31;
	b *= UINT64_C(0x9E3779B97F4A7C15);
	return (uint32_t) (b >> 32);
}

/* scratch for one chunk of patterns with the same x */
typedef struct PnbdScratch
{
	int			cap;			/* hash slots allocated, a power of 2 */
	int			mask;			/* slots in use for this chunk, minus 1 */
	int		   *slot_val;		/* index into ys/gs, or -1 when free */
	double	   *ys;				/* distinct y values of the chunk */
	PnbdG	   *gs;				/* ln G at each of them */
	int		   *i_tx;			/* per pattern: index of tx, T */
	int		   *i_T;
	PnbdNodes  *nodes;			/* for the x of the chunk */
} PnbdScratch;

static int
pnbd_lookup(PnbdScratch *sc, int *ny, double y)
{
	uint32_t	h = pnbd_hash(y) & (uint32_t) sc->mask;

	for (;;)
	{
		int			v = sc->slot_val[h];

		if (v < 0)
		{
			sc->slot_val[h] = *ny;
			sc->ys[*ny] = y;
			return (*ny)++;
		}
		if (sc->ys[v] == y)
			return v;
		h = (h + 1) & (uint32_t) sc->mask;
	}
}

double
pnbd_ll_sum(const double *par, const ClvPatterns *d, double *grad)
{
	PnbdPar		p;
	PnbdScratch sc;
	KSum		acc = {0.0, 0.0};
	KSum		gacc[4] = {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
	int			n = d->n;
	int			maxc,
				i,
				k;
	bool		want_grad = grad != NULL;
	bool		ok = true;
	double		result;

	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = NAN;
	if (!pnbd_par_init(par, &p) || n < 0)
		return NAN;

	maxc = n < PNBD_CHUNK ? n : PNBD_CHUNK;
	sc.cap = 4;
	while (sc.cap < 4 * maxc)
		sc.cap *= 2;
	sc.slot_val = clv_alloc(sizeof(int) * (size_t) sc.cap);
	sc.ys = clv_alloc(sizeof(double) * (size_t) (2 * maxc + 1));
	sc.gs = clv_alloc(sizeof(PnbdG) * (size_t) (2 * maxc + 1));
	sc.i_tx = clv_alloc(sizeof(int) * (size_t) (maxc + 1));
	sc.i_T = clv_alloc(sizeof(int) * (size_t) (maxc + 1));
	sc.nodes = clv_alloc(sizeof(PnbdNodes));
	if (!sc.slot_val || !sc.ys || !sc.gs || !sc.i_tx || !sc.i_T || !sc.nodes)
	{
		ok = false;
		goto done;
	}

	i = 0;
	while (i < n)
	{
		double		x = d->x[i];
		int			end = i + 1,
					ny = 0,
					j;
		double		lg_x,
					dg_x = 0.0;

		clv_check_interrupts();
		/* a run of equal x, at most PNBD_CHUNK long */
		while (end < n && end - i < PNBD_CHUNK && d->x[end] == x)
			end++;

		for (j = i; j < end; j++)
		{
			if (!pnbd_data_ok(d->x[j], d->tx[j], d->T[j]) || !(d->w[j] >= 0.0))
			{
				ok = false;
				goto done;
			}
		}

		/* a table for this chunk only: at most 2 (end - i) values, load <= 1/2 */
		sc.mask = 3;
		while (sc.mask + 1 < 4 * (end - i))
			sc.mask = 2 * sc.mask + 1;
		memset(sc.slot_val, -1, sizeof(int) * (size_t) (sc.mask + 1));
		for (j = i; j < end; j++)
		{
			/* + 0.0 folds -0 into +0 */
			sc.i_tx[j - i] = pnbd_lookup(&sc, &ny, d->tx[j] + 0.0);
			sc.i_T[j - i] = pnbd_lookup(&sc, &ny, d->T[j] + 0.0);
		}
		pnbd_nodes_init(sc.nodes, p.r + p.s + x);
		for (j = 0; j < ny; j++)
			pnbd_G(&p, sc.nodes, x, sc.ys[j], &sc.gs[j], want_grad);

		lg_x = clv_lgamma(p.r + x) - p.lgamma_r;
		if (want_grad)
			dg_x = clv_digamma(p.r + x) - p.digamma_r;

		for (j = i; j < end; j++)
		{
			double		g[4];
			double		w = d->w[j];
			bool		no_a0 = !(d->tx[j] < d->T[j]);
			double		ll;

			ll = pnbd_pattern(&p, x, d->T[j], lg_x, dg_x,
							  &sc.gs[sc.i_tx[j - i]], &sc.gs[sc.i_T[j - i]],
							  no_a0, NULL, want_grad ? g : NULL);
			ksum_add(&acc, w * ll);
			if (want_grad)
				for (k = 0; k < 4; k++)
					ksum_add(&gacc[k], w * g[k]);
		}
		i = end;
	}

done:
	clv_free(sc.slot_val);
	clv_free(sc.ys);
	clv_free(sc.gs);
	clv_free(sc.i_tx);
	clv_free(sc.i_T);
	clv_free(sc.nodes);
	if (!ok)
		return NAN;
	result = acc.s + acc.c;
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = gacc[k].s + gacc[k].c;
	return result;
}
