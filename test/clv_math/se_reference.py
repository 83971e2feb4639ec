#!/usr/bin/env python3
"""
High-precision reference values for the standard errors of the maximum-likelihood
parameters of the "buy till you die" models on the CDNOW data.

Independent of the extension's C code: only Python 3 + mpmath (no numpy/scipy).

For each model (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma):
  1. the log-likelihood is checked at the rounded published parameters
     (shared/CLV_MODELS.md §4.1, "LL evaluated at the rounded published parameters");
  2. the MLE is polished with Newton's method (central-difference gradient,
     central-difference Hessian) starting at the "recomputed MLE, CSV" values of §4.1;
  3. the observed information is  -H, H = Hessian of the TOTAL log-likelihood
     (sum over customers = sum over distinct patterns weighted by their counts)
     in NATURAL parameters at the MLE, by central differences at 30 digits;
     covariance = (-H)^{-1}; standard errors, correlation matrix and 95 % Wald
     intervals  estimate +- 1.959963985*se  are printed;
  4. the "lifetimes way" standard errors  param*sqrt(diag((-H_log)^{-1})),
     H_log = Hessian of the total LL in log-parameters (its own finite differences,
     not derived from H), are printed for comparison.  At the MLE the gradient is 0,
     so H_log = P H P (P = diag(params)) and both must agree (delta method).

Data: shared/data/cdnow/cdnow_customers_summary.csv            (ID,frequency,recency,T; weeks)
      shared/data/cdnow/cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar)
The customers are compressed to distinct patterns with counts; this gives the
identical total LL (and derivatives).  The CSV decimals are read exactly as
decimal strings (mpf('30.43')), not through binary doubles.

Output: `name = value` lines, 10 significant digits, grouped by model.
Run:    python3 se_reference.py > se_reference.out   (about 1 minute; timings on stderr)
"""

import csv
import os
import sys
import time
from collections import Counter

import mpmath
from mpmath import mp, mpf, loggamma, log, exp, hyp2f1, log1p, sqrt, matrix

mp.dps = 30

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("CDNOW_DIR",
                      os.path.join(HERE, "..", "..", "..", "shared", "data", "cdnow"))
if not os.path.isdir(DATA):
    DATA = "/work/shared/data/cdnow"

Z975 = mpf("1.959963985")   # 97.5 % normal quantile, as asked for the Wald intervals


# ----------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------
def load_rfm_patterns():
    """Distinct (x, t_x, T) patterns with counts, from cdnow_customers_summary.csv."""
    cnt = Counter()
    with open(os.path.join(DATA, "cdnow_customers_summary.csv"), newline="") as f:
        for row in csv.DictReader(f):
            cnt[(int(row["frequency"]), row["recency"].strip(), row["T"].strip())] += 1
    pats = [(x, mpf(tx), mpf(T), w) for (x, tx, T), w in sorted(cnt.items(),
            key=lambda k: (k[0][0], mpf(k[0][1]), mpf(k[0][2])))]
    return pats, sum(cnt.values())


def load_spend_patterns():
    """Distinct (x, zbar) patterns with counts, customers with x > 0 and zbar > 0,
    from cdnow_customers_summary_with_transactions.csv (column zbar = mean repeat spend)."""
    cnt = Counter()
    with open(os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv"),
              newline="") as f:
        for row in csv.DictReader(f):
            x, m = int(row["x"]), row["zbar"].strip()
            if x > 0 and mpf(m) > 0:
                cnt[(x, m)] += 1
    pats = [(x, mpf(m), w) for (x, m), w in sorted(cnt.items(),
            key=lambda k: (k[0][0], mpf(k[0][1])))]
    return pats, sum(cnt.values())


# ----------------------------------------------------------------------------------------
# log-likelihoods (total over patterns, weighted by counts)
# ----------------------------------------------------------------------------------------
def logaddexp(u, v):
    if u < v:
        u, v = v, u
    return u + log1p(exp(v - u))


def ll_bgnbd(theta, pats):
    """BG/NBD, Fader, Hardie & Lee (2005) Marketing Science 24(2), eq. 6
    (= lifetimes beta_geo_fitter._negative_log_likelihood; CLV_MODELS.md §2.1):

      L = B(a, b+x)/B(a,b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
        + 1{x>0} * B(a+1, b+x-1)/B(a,b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x))

    in logs:  l = lnG(r+x) - lnG(r) + r ln(alpha)
                + lnG(a+b) + lnG(b+x) - lnG(b) - lnG(a+b+x)          [ln B(a,b+x) - ln B(a,b)]
                + ln( exp(A3) + 1{x>0} exp(A4) )
              A3 = -(r+x) ln(alpha+T),
              A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x)
    (B(a+1,b+x-1)/B(a,b+x) = a/(b+x-1).)  The x = 0 rows never evaluate A4."""
    r, alpha, a, b = theta
    c_r = -loggamma(r) + r * log(alpha)
    c_ab = loggamma(a + b) - loggamma(b)
    la = log(a)
    tot = mpf(0)
    for x, tx, T, w in pats:
        l = loggamma(r + x) + c_r + c_ab + loggamma(b + x) - loggamma(a + b + x)
        A3 = -(r + x) * log(alpha + T)
        if x > 0:
            A4 = la - log(b + x - 1) - (r + x) * log(alpha + tx)
            l += logaddexp(A3, A4)
        else:
            l += A3
        tot += w * l
    return tot


def ll_mbgnbd(theta, pats):
    """MBG/NBD, Batislam, Denizel & Filiztekin (2007) IJRM 24(3); erratum Wagner & Hoppe (2008)
    (= lifetimes modified_beta_geo_fitter; CLV_MODELS.md §2.2):

      L = B(a, b+x+1)/B(a,b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
        +  B(a+1, b+x)/B(a,b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x))
      (second term for EVERY customer, x = 0 included: death possible at time 0)

    in logs:  l = lnG(r+x) - lnG(r) + r ln(alpha)
                + lnG(a+b) + lnG(b+x+1) - lnG(b) - lnG(a+b+x+1) - (r+x) ln(alpha+T)
                + ln(1 + exp(A4)),
              A4 = ln a - ln(b+x) + (r+x) (ln(alpha+T) - ln(alpha+t_x))
    (B(a+1,b+x)/B(a,b+x+1) = a/(b+x).)"""
    r, alpha, a, b = theta
    c_r = -loggamma(r) + r * log(alpha)
    c_ab = loggamma(a + b) - loggamma(b)
    la = log(a)
    tot = mpf(0)
    for x, tx, T, w in pats:
        lT = log(alpha + T)
        l = (loggamma(r + x) + c_r + c_ab + loggamma(b + x + 1) - loggamma(a + b + x + 1)
             - (r + x) * lT)
        A4 = la - log(b + x) + (r + x) * (lT - log(alpha + tx))
        l += logaddexp(mpf(0), A4)
        tot += w * l
    return tot


def ll_pnbd(theta, pats):
    """Pareto/NBD, Schmittlein, Morrison & Colombo (1987) Management Science 33(1);
    Fader & Hardie note 009 ("A Note on Deriving the Pareto/NBD Model and Related
    Expressions", 2005), eqs. 18-20 (= lifetimes pareto_nbd_fitter; CLV_MODELS.md §2.3):

      L = Gamma(r+x) alpha^r beta^s / Gamma(r)
          * [ 1/((alpha+T)^(r+x) (beta+T)^s) + s/(r+s+x) * A0 ]

      m = r+s+x
      alpha >= beta:  A0 = 2F1(m, s+1;   m+1; (alpha-beta)/(alpha+t_x)) / (alpha+t_x)^m
                         - 2F1(m, s+1;   m+1; (alpha-beta)/(alpha+T))   / (alpha+T)^m
      alpha <  beta:  A0 = 2F1(m, r+x;   m+1; (beta-alpha)/(beta+t_x))  / (beta+t_x)^m
                         - 2F1(m, r+x;   m+1; (beta-alpha)/(beta+T))    / (beta+T)^m
    (the branch keeps the 2F1 argument in [0,1); both are the same analytic function,
     A0 = m * Integral_{t_x}^{T} (alpha+y)^-(r+x) (beta+y)^-(s+1) dy.)
    Evaluated here directly (not in log space): 30 digits leave ample headroom."""
    r, alpha, s, beta = theta
    c = -loggamma(r) + r * log(alpha) + s * log(beta)
    tot = mpf(0)
    for x, tx, T, w in pats:
        m = r + s + x
        if alpha >= beta:
            big, e = alpha, s + 1
        else:
            big, e = beta, r + x
        d = abs(alpha - beta)
        A0 = (hyp2f1(m, e, m + 1, d / (big + tx)) * exp(-m * log(big + tx))
              - hyp2f1(m, e, m + 1, d / (big + T)) * exp(-m * log(big + T)))
        first = exp(-(r + x) * log(alpha + T) - s * log(beta + T))
        l = loggamma(r + x) + c + log(first + s / m * A0)
        tot += w * l
    return tot


def ll_gg(theta, pats):
    """Gamma-Gamma spend model, Fader, Hardie & Lee (2005) JMR 42(4) "RFM and CLV";
    Fader & Hardie note 025 ("The Gamma-Gamma Model of Monetary Value", 2013)
    (= lifetimes gamma_gamma_fitter, its v = gamma here; CLV_MODELS.md §2.5):

      l = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(x m + v)

    over customers with x > 0 and m (= zbar, mean repeat spend) > 0."""
    p, q, v = theta
    c = -loggamma(q) + q * log(v)
    tot = mpf(0)
    for x, mbar, w in pats:
        px = p * x
        l = (loggamma(px + q) - loggamma(px) + c + (px - 1) * log(mbar) + px * log(x)
             - (px + q) * log(x * mbar + v))
        tot += w * l
    return tot


# ----------------------------------------------------------------------------------------
# finite differences, Newton, linear algebra (all at mp.dps digits)
# ----------------------------------------------------------------------------------------
REL_STEP = mpf("1e-7")   # relative step of the central differences


def grad_hess(f, th, need_hess=True, rel=REL_STEP):
    """Central differences: g_i = (f(+h_i) - f(-h_i)) / (2 h_i),
    H_ii = (f(+h_i) - 2 f0 + f(-h_i)) / h_i^2,
    H_ij = (f(++) - f(+-) - f(-+) + f(--)) / (4 h_i h_j).
    Truncation O(h^2) ~ 1e-14 relative; rounding ~ 1e-30*|f|/h^2 ~ 1e-12 relative."""
    n = len(th)
    h = [rel * abs(t) for t in th]

    def at(*pairs):
        t = list(th)
        for i, s in pairs:
            t[i] = t[i] + s * h[i]
        return f(t)

    f0 = f(list(th))
    fp = [at((i, 1)) for i in range(n)]
    fm = [at((i, -1)) for i in range(n)]
    g = [(fp[i] - fm[i]) / (2 * h[i]) for i in range(n)]
    if not need_hess:
        return f0, g, None
    H = matrix(n, n)
    for i in range(n):
        H[i, i] = (fp[i] - 2 * f0 + fm[i]) / h[i] ** 2
        for j in range(i + 1, n):
            v = (at((i, 1), (j, 1)) - at((i, 1), (j, -1)) - at((i, -1), (j, 1))
                 + at((i, -1), (j, -1))) / (4 * h[i] * h[j])
            H[i, j] = H[j, i] = v
    return f0, g, H


def newton(f, th0, max_iter=12, tol=mpf("1e-18")):
    """Chord-Newton on the gradient: Hessian at the start (the start is already within
    ~1e-6 relative of the MLE), re-evaluated if the step stops shrinking fast.
    Stops when the relative step < tol.  Returns (theta, n_iter)."""
    th = [mpf(t) for t in th0]
    _, g, H = grad_hess(f, th)
    Hinv = H ** -1
    prev = None
    for it in range(1, max_iter + 1):
        step = Hinv * matrix(g)
        th = [th[i] - step[i] for i in range(len(th))]
        relstep = max(abs(step[i] / th[i]) for i in range(len(th)))
        if relstep < tol:
            return th, it
        if prev is not None and relstep > prev * mpf("1e-2"):
            _, g, H = grad_hess(f, th)
            Hinv = H ** -1
        else:
            _, g, _ = grad_hess(f, th, need_hess=False)
        prev = relstep
    return th, max_iter


def fmt(v):
    return mpmath.nstr(v, 10, min_fixed=-4, max_fixed=8)


def out(name, v):
    print(f"{name} = {fmt(v)}")
    sys.stdout.flush()


# ----------------------------------------------------------------------------------------
# per model
# ----------------------------------------------------------------------------------------
def analyse(label, names, llf, pats, start, published, ll_published_expected,
            mle_expected, ll_mle_expected):
    t0 = time.time()
    f = lambda th: llf(th, pats)
    print(f"# ---- {label} ----")

    # (0) LL at the rounded published parameters
    llp = f([mpf(v) for v in published])
    out(f"{label}.ll_at_published", llp)
    out(f"{label}.ll_at_published_expected", mpf(ll_published_expected))
    out(f"{label}.ll_at_published_diff", llp - mpf(ll_published_expected))

    # (1) MLE
    th, nit = newton(f, [mpf(v) for v in start])
    f0, g, H = grad_hess(f, th)
    for k, v in zip(names, th):
        out(f"{label}.mle.{k}", v)
    out(f"{label}.mle.ll", f0)
    out(f"{label}.mle.ll_expected_section_4_1", mpf(ll_mle_expected))
    print(f"{label}.mle.newton_iterations = {nit}")
    for k, v, e in zip(names, th, mle_expected):
        out(f"{label}.mle.{k}.reldiff_vs_section_4_1", (v - mpf(e)) / mpf(e))
    out(f"{label}.mle.max_abs_grad", max(abs(x) for x in g))

    # (2) observed information in natural parameters
    n = len(th)
    cov = (-H) ** -1
    se = [sqrt(cov[i, i]) for i in range(n)]
    for i in range(n):
        for j in range(i, n):
            out(f"{label}.hessian.{names[i]}.{names[j]}", H[i, j])
    for k, v in zip(names, se):
        out(f"{label}.se.{k}", v)
    for i in range(n):
        for j in range(i + 1, n):
            out(f"{label}.corr.{names[i]}.{names[j]}", cov[i, j] / (se[i] * se[j]))
    for k, v, s in zip(names, th, se):
        out(f"{label}.wald95.{k}.lower", v - Z975 * s)
        out(f"{label}.wald95.{k}.upper", v + Z975 * s)
    ev = mpmath.eigsy(-H)[0]
    evs = sorted(ev[i] for i in range(n))
    out(f"{label}.info.min_eigenvalue", evs[0])
    out(f"{label}.info.condition_number", evs[-1] / evs[0])

    # (2b) step-size check: SEs again with a 10x larger step
    _, _, H10 = grad_hess(f, th, rel=REL_STEP * 10)
    cov10 = (-H10) ** -1
    out(f"{label}.se.max_reldiff_step_1e-6_vs_1e-7",
        max(abs(sqrt(cov10[i, i]) / se[i] - 1) for i in range(n)))

    # (3) "lifetimes way": Hessian in log-parameters, its own finite differences
    lth = [log(t) for t in th]
    flog = lambda u: f([exp(t) for t in u])
    _, glog, Hlog = grad_hess(flog, lth, rel=mpf("1e-7") / max(abs(t) for t in lth))
    covlog = (-Hlog) ** -1
    se_lt = [th[i] * sqrt(covlog[i, i]) for i in range(n)]
    for k, v in zip(names, se_lt):
        out(f"{label}.se_lifetimes_way.{k}", v)
    rd = max(abs(se_lt[i] / se[i] - 1) for i in range(n))
    out(f"{label}.se_lifetimes_way.max_reldiff_vs_natural", rd)
    print(f"{label}.se_lifetimes_way.agrees_to_1e-8 = {'yes' if rd < mpf('1e-8') else 'NO'}")
    # (4) extra: Wald intervals on the log scale, exp(ln(theta) +- z*se_log), se_log = se/theta
    #     (always positive; the natural-scale interval for Pareto/NBD beta crosses 0)
    for k, v, s in zip(names, th, se):
        out(f"{label}.wald95_logscale.{k}.lower", v * exp(-Z975 * s / v))
        out(f"{label}.wald95_logscale.{k}.upper", v * exp(Z975 * s / v))
    print(f"# {label}: {time.time() - t0:.1f} s", file=sys.stderr)
    print()
    return th, se


def main():
    t_start = time.time()
    rfm, n_rfm = load_rfm_patterns()
    gg, n_gg = load_spend_patterns()
    print("# CDNOW standard-error reference values (mpmath %s, mp.dps = %d)" %
          (mpmath.__version__, mp.dps))
    print(f"data.customers = {n_rfm}")
    print(f"data.rfm_patterns = {len(rfm)}")
    print(f"data.gg_customers = {n_gg}")
    print(f"data.gg_patterns = {len(gg)}")
    out("data.sum_x", sum(x * w for x, _, _, w in rfm))
    print(f"wald.z = {Z975}")
    print(f"fd.rel_step = {fmt(REL_STEP)}")
    print()

    analyse("bgnbd", ["r", "alpha", "a", "b"], ll_bgnbd, rfm,
            start=["0.2425929", "4.4135315", "0.7928861", "2.4257534"],
            published=["0.243", "4.414", "0.793", "2.426"],
            ll_published_expected="-9582.426831",
            mle_expected=["0.2425929", "4.4135315", "0.7928861", "2.4257534"],
            ll_mle_expected="-9582.42556")
    analyse("mbgnbd", ["r", "alpha", "a", "b"], ll_mbgnbd, rfm,
            start=["0.5248380", "6.182992", "0.8913562", "1.6139994"],
            published=["0.525", "6.183", "0.891", "1.614"],
            ll_published_expected="-9582.132795",
            mle_expected=["0.5248380", "6.182992", "0.8913562", "1.6139994"],
            ll_mle_expected="-9582.13268")
    analyse("gg", ["p", "q", "v"], ll_gg, gg,
            start=["6.2488023", "3.7445884", "15.447748"],
            published=["6.25", "3.74", "15.44"],
            ll_published_expected="-4055.924713",
            mle_expected=["6.2488023", "3.7445884", "15.447748"],
            ll_mle_expected="-4055.92324")
    analyse("pnbd", ["r", "alpha", "s", "beta"], ll_pnbd, rfm,
            start=["0.5532755", "10.577612", "0.6062135", "11.667910"],
            published=["0.553", "10.578", "0.606", "11.669"],
            ll_published_expected="-9594.974010",
            mle_expected=["0.5532755", "10.577612", "0.6062135", "11.667910"],
            ll_mle_expected="-9594.97393")
    # timings go to stderr so that the .out file is byte-for-byte reproducible
    print(f"# total run time {time.time() - t_start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
