/*
 * clv_counts.c
 *		The purchase-count distribution of a new customer: P(X(t) = x), the
 *		probability that a customer acquired at time 0 makes exactly x
 *		purchases in (0, t], under BG/NBD, MBG/NBD and Pareto/NBD.
 *
 * Stratum: pure mathematics.  Includes the model interface (clv_models.h)
 * and the host interface (clv_host.h, for clv_check_interrupts), nothing of
 * PostgreSQL.  The formulas and their derivations are
 * doc/clv_math.md#purchase-count-distribution.
 *
 * Everything is summed in log space.  The NBD tail P(NB(t) >= x) is the
 * regularised incomplete beta function I_{t/(alpha+t)}(x, r), from its
 * continued fraction on whichever side is the smaller, so that no
 * 1 - (sum of terms) cancels; the Pareto/NBD integral over the lifetime is
 * a double-exponential (exp-sinh) quadrature after a change of variable
 * that takes the factor tau^x out of the integrand.
 */
#include "clv_models.h"
#include "clv_host.h"

#include <float.h>
#include <math.h>

/*
 * ln [B(a, b + d) / B(a, b)] = ln G(b + d) - ln G(a + b + d) + ln G(a + b) - ln G(b),
 * the large arguments differenced without cancellation (x up to 2^31)
 */
static double
log_beta_ratio(double a, double b, double d)
{
	return -clv_lgamma_diff(b + d, a) + clv_lgamma(a + b) - clv_lgamma(b);
}

/* ln C(r, x) = ln [G(r + x) / (G(r) x!)] */
static double
log_nb_coef(double r, double x)
{
	return clv_lgamma_diff(x + 1, r - 1) - clv_lgamma(r);
}

/*
 * ln NB(x; r, alpha, t) = ln [G(r+x) / (G(r) x!) p^r q^x] with
 * ln p = ln(alpha / (alpha + t)) and ln q = ln(t / (alpha + t)) given.
 */
static double
log_nb(double r, double x, double ln_p, double ln_q)
{
	double		v = log_nb_coef(r, x) + r * ln_p;

	return x > 0 ? v + x * ln_q : v;
}

/*
 * The continued fraction of I_z(a, b) (Lentz's method; Numerical Recipes
 * 6.4), which converges fast for z < (a + 1) / (a + b + 2), in O(sqrt(max(a,
 * b))) steps.  NaN when it does not converge.
 */
#define CF_TINY 1e-300
#define CF_EPS 1e-16
#define CF_MAX_STEPS 1000000

static double
beta_cf(double a, double b, double z)
{
	double		c = 1.0,
				d = 1.0 - (a + b) * z / (a + 1.0),
				h;
	int			m;

	if (fabs(d) < CF_TINY)
		d = CF_TINY;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= CF_MAX_STEPS; m++)
	{
		double		m2 = 2.0 * m,
					aa,
					del;

		if (m % 4096 == 0)
			clv_check_interrupts();
		aa = m * (b - m) * z / ((a - 1.0 + m2) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		c = 1.0 + aa / c;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * z / ((a + m2) * (a + 1.0 + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		c = 1.0 + aa / c;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < CF_EPS)
			return h;
	}
	return NAN;
}

/*
 * ln P(NB(t) >= x) for the negative binomial NB(r, alpha, t) (the purchases
 * of a customer alive all of (0, t]); x >= 0 whole, t > 0.
 *   P(NB >= x) = I_q(x, r),  q = t / (alpha + t),  p = 1 - q = alpha / (alpha + t)
 *   I_q(x, r) = q^x p^r / (x B(x, r)) * cf(x, r, q)
 *   1 - I_q(x, r) = I_p(r, x) = q^x p^r / (r B(x, r)) * cf(r, x, p)
 * The continued fraction is evaluated on the side where it converges fast,
 * which is also the smaller of the two probabilities, so the other one, when
 * it is the answer, is 1 - (at most about a half): no cancellation.
 */
double
clv_log_nb_tail(double r, double alpha, double t, double x)
{
	double		ln_p,
				ln_q,
				ln_front,
				cf;

	if (!(r > 0 && alpha > 0 && t >= 0 && x >= 0))
		return NAN;
	if (x == 0)
		return 0.0;
	if (t == 0)
		return -INFINITY;
	ln_p = -log1p(t / alpha);
	ln_q = -log1p(alpha / t);
	/* ln B(x, r) = ln G(r) - (ln G(x + r) - ln G(x)) */
	ln_front = x * ln_q + r * ln_p - clv_lgamma(r) + clv_lgamma_diff(x, r);
	if (exp(ln_q) < (x + 1.0) / (x + r + 2.0))
	{
		cf = beta_cf(x, r, exp(ln_q));
		return ln_front + log(cf) - log(x);
	}
	cf = beta_cf(r, x, exp(ln_p));
	return clv_log1mexp(fmin(0.0, ln_front + log(cf) - log(r)));
}

/*
 * BG/NBD (FHL 2005 eq. 8) and MBG/NBD: given lambda and p, the customer
 * either is still active after the x-th purchase ((1-p)^x, or (1-p)^(x+1)
 * for MBG/NBD, which may drop out at time 0) and the Poisson count is x, or
 * dropped out right after the x-th purchase (p (1-p)^(x-1), x > 0; or
 * p (1-p)^x for MBG/NBD, x = 0 included) and the count reached x by t:
 *   BG/NBD:  B(a, b+x)/B(a,b) NB(x) + [x>0] B(a+1, b+x-1)/B(a,b) P(NB >= x)
 *   MBG/NBD: B(a, b+x+1)/B(a,b) NB(x) + B(a+1, b+x)/B(a,b) P(NB >= x)
 */
double
bgnbd_count_probability(bool modified, const double *par, double x, double t)
{
	double		r = par[0],
				alpha = par[1],
				a = par[2],
				b = par[3];
	double		k = modified ? 1.0 : 0.0;
	double		ln_p,
				ln_q,
				stay,
				gone;

	if (!(x >= 0 && x == floor(x) && t >= 0 && isfinite(t)))
		return NAN;
	if (t == 0)
		return x == 0 ? 1.0 : 0.0;
	ln_p = -log1p(t / alpha);
	ln_q = -log1p(alpha / t);
	/* B(a, b+x+k)/B(a,b) NB(x) */
	stay = log_beta_ratio(a, b, x + k) + log_nb(r, x, ln_p, ln_q);
	if (!modified && x == 0)
		return exp(stay);
	/* B(a+1, b+x+k-1)/B(a,b) = a G(b+x+k-1)/G(a+b+x+k) G(a+b)/G(b) */
	gone = log(a) - clv_lgamma_diff(b + x + k - 1, a + 1) + clv_lgamma(a + b) - clv_lgamma(b)
		+ clv_log_nb_tail(r, alpha, t, x);
	return exp(clv_logaddexp(stay, gone));
}

/*
 * Pareto/NBD: the lifetime tau ~ exponential(mu), mu ~ Gamma(s, beta), so
 * P(tau > t) = (beta/(beta+t))^s and tau has the density
 * (s/beta) (beta/(beta+tau))^(s+1); given tau the count is NB(r, alpha,
 * min(tau, t)):
 *   P(X(t) = x) = NB(x; t) (beta/(beta+t))^s
 *               + int_0^t (s/beta) (beta/(beta+tau))^(s+1) NB(x; tau) dtau.
 * With u = tau/(alpha+tau) the integral is
 *   C (alpha s/beta) int_0^U u^x (1-u)^(r+s-1) ((1-u) + rho u)^-(s+1) du,
 * C = G(r+x)/(G(r) x!), U = t/(alpha+t), rho = alpha/beta, and with
 * u = U e^(-l/(x+1)) (which turns u^x du into a plain exponential):
 *   C (alpha s/beta) U^(x+1)/(x+1) int_0^inf e^-l g(u(l)) dl,
 *   g(u) = (1-u)^(r+s-1) ((1-u) + rho u)^-(s+1),
 * an integrand that is bounded, smooth and decays like e^-l, whatever x.
 * 1 - u = (1 - U) - U expm1(-l/(x+1)) without cancellation.
 */
typedef struct PnbdCountInt
{
	double		e1;				/* r + s - 1 */
	double		e2;				/* s + 1 */
	double		rho;			/* alpha / beta */
	double		U;				/* t / (alpha + t) */
	double		P;				/* alpha / (alpha + t) = 1 - U */
	double		x1;				/* x + 1 */
} PnbdCountInt;

/* ln(e^-l g(u(l))) */
static double
pnbd_count_log_integrand(const PnbdCountInt *c, double l)
{
	double		u = c->U * exp(-l / c->x1);
	double		one_minus_u = c->P - c->U * expm1(-l / c->x1);

	return -l + c->e1 * log(one_minus_u) - c->e2 * log(one_minus_u + c->rho * u);
}

/* running ln of a sum of exp(terms), never overflowing */
typedef struct LogSum
{
	double		m;				/* the largest term so far */
	double		s;				/* sum of exp(term - m) */
} LogSum;

static void
logsum_add(LogSum *acc, double v)
{
	if (!(v > -INFINITY))
		return;
	if (v > acc->m)
	{
		acc->s = acc->s * exp(acc->m - v) + 1.0;
		acc->m = v;
	}
	else
		acc->s += exp(v - acc->m);
}

#define ES_FIRST_STEP 0.5
#define ES_MAX_LEVELS 10		/* step 0.5 / 2^10 at the finest */
#define ES_REL_TOL 1e-13
#define ES_MARGIN 45.0			/* e^-45: what the cut-off tails may leave out */

/*
 * ln int_0^inf e^-l g(u(l)) dl by exp-sinh quadrature: l = exp(pi/2 sinh v),
 * the trapezoidal rule in v with steps halved until two successive
 * estimates agree to ES_REL_TOL.  The range of v is cut where the rest of
 * the integral is below e^-ES_MARGIN times it: g <= e^bound on (0, U], so
 * the tail beyond l_hi is at most e^(bound - l_hi), and the part below l_lo
 * at most l_lo e^bound.  Features of g sit at l ~ (x+1)(1-U) (where 1-u
 * doubles), which l_lo stays far below.
 */
static double
pnbd_count_log_integral(const PnbdCountInt *c)
{
	double		bound = 0.0,
				ref,
				ln_lo,
				ln_hi,
				v_lo,
				v_hi,
				h = ES_FIRST_STEP,
				prev = NAN;
	LogSum		acc = {-INFINITY, 0.0};
	int			level;

	/* ln g <= bound on u in [0, U]: each factor is monotone in u */
	if (c->e1 < 0)
		bound += c->e1 * log(c->P);
	if (c->rho < 1)
		bound -= c->e2 * log(c->P + c->rho * c->U);
	/* a rough size of the integral, for where to cut */
	ref = fmax(pnbd_count_log_integrand(c, 0.0), pnbd_count_log_integrand(c, 1.0));
	if (!isfinite(bound) || !isfinite(ref))
		return NAN;
	ln_lo = fmin(ref - bound - ES_MARGIN, log(c->x1) + log(c->P) - ES_MARGIN);
	ln_hi = log(fmax(bound - ref + ES_MARGIN, 0.0) + ES_MARGIN + 5.0);
	v_lo = asinh(ln_lo * M_2_PI);
	v_hi = asinh(ln_hi * M_2_PI);

	for (level = 0; level <= ES_MAX_LEVELS; level++)
	{
		/* level 0: every multiple of h; later levels: the odd multiples only */
		long		first = (long) ceil(v_lo / h),
					last = (long) floor(v_hi / h),
					j;
		double		est;

		clv_check_interrupts();
		for (j = first; j <= last; j++)
		{
			double		v = j * h,
						ln_l;

			if (level > 0 && (j % 2) == 0)
				continue;
			ln_l = M_PI_2 * sinh(v);
			/* f(l) dl/dv = f(l) l pi/2 cosh v */
			logsum_add(&acc, pnbd_count_log_integrand(c, exp(ln_l)) + ln_l + log(M_PI_2 * cosh(v)));
		}
		est = log(h) + acc.m + log(acc.s);
		if (level >= 3 && fabs(expm1(est - prev)) <= ES_REL_TOL)
			return est;
		prev = est;
		h *= 0.5;
	}
	return prev;
}

double
pnbd_count_probability(const double *par, double x, double t)
{
	double		r = par[0],
				alpha = par[1],
				s = par[2],
				beta = par[3];
	double		ln_p,
				ln_q,
				ln_c,
				alive,
				dead,
				J;
	PnbdCountInt c;

	if (!(x >= 0 && x == floor(x) && t >= 0 && isfinite(t)))
		return NAN;
	if (t == 0)
		return x == 0 ? 1.0 : 0.0;
	ln_p = -log1p(t / alpha);
	ln_q = -log1p(alpha / t);
	ln_c = log_nb_coef(r, x);
	alive = log_nb(r, x, ln_p, ln_q) - s * log1p(t / beta);

	c.e1 = r + s - 1.0;
	c.e2 = s + 1.0;
	c.rho = alpha / beta;
	c.U = exp(ln_q);
	c.P = exp(ln_p);
	c.x1 = x + 1.0;
	J = pnbd_count_log_integral(&c);
	dead = ln_c + log(alpha) + log(s) - log(beta) + c.x1 * ln_q - log(c.x1) + J;
	return exp(clv_logaddexp(alive, dead));
}
