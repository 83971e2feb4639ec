/*
 * clv_predict.c
 *		SQL functions over the model types: one customer's log-likelihood,
 *		P(alive), expected purchases, expected spend and CLV.
 *
 * Stratum: SQL glue.  Argument checks and model parameters come from
 * clv_sql.c, the values from the mathematics (clv_models.h); nothing here
 * calls the fits.  Every argument is checked: a value no customer summary
 * can have is an ERROR (22023) with a hint, and a result that cannot be
 * computed is an ERROR too, never a NaN.  The formulas are
 * doc/clv_math.md#bgnbd-predictions, doc/clv_math.md#pareto-predictions,
 * doc/clv_math.md#gamma-gamma and doc/clv_math.md#clv.
 */
#include "clv_sql.h"

#include <math.h>

PG_FUNCTION_INFO_V1(gamma_gamma_log_likelihood);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);

/* ---- checks of the predictions' own arguments ----------------------------- */

static void
check_horizon(double t, const char *name)
{
	if (!isfinite(t) || t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number >= 0, not %g", name, t),
				 errhint("The horizon is in the time unit of the model's recency and t.")));
}

static double
checked_result(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("could not compute %s for these arguments", what),
				 errhint("The horizon may be too long for the model's time scale (alpha + t).")));
	return v;
}

/* ---- purchase models ------------------------------------------------------ */

static double
p_alive(ClvModel model, const double *par, double x, double tx, double T)
{
	if (model == CLV_PARETO_NBD)
		return pnbd_p_alive(par, x, tx, T);
	return bgnbd_p_alive(model == CLV_MBGNBD, par, x, tx, T);
}

static double
expected(ClvModel model, const double *par, double t, double x, double tx, double T)
{
	if (model == CLV_PARETO_NBD)
		return pnbd_expected_purchases(par, t, x, tx, T);
	return bgnbd_expected_purchases(model == CLV_MBGNBD, par, t, x, tx, T);
}

static Datum
log_likelihood_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4];
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	clv_model_params(fcinfo, 0, model, par);
	clv_check_customer(x, tx, T);
	if (model == CLV_PARETO_NBD)
		PG_RETURN_FLOAT8(checked_result(pnbd_ll(par, x, tx, T), "the log-likelihood"));
	PG_RETURN_FLOAT8(checked_result(bgnbd_ll(model == CLV_MBGNBD, par, x, tx, T), "the log-likelihood"));
}

static Datum
p_alive_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4];
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	clv_model_params(fcinfo, 0, model, par);
	clv_check_customer(x, tx, T);
	PG_RETURN_FLOAT8(checked_result(p_alive(model, par, x, tx, T), "P(alive)"));
}

static Datum
expected_purchases_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4];
	double		t = PG_GETARG_FLOAT8(1),
				x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);

	clv_model_params(fcinfo, 0, model, par);
	check_horizon(t, "horizon");
	clv_check_customer(x, tx, T);
	PG_RETURN_FLOAT8(checked_result(expected(model, par, t, x, tx, T), "expected purchases"));
}

static Datum
expected_purchases_new_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4];
	double		t = PG_GETARG_FLOAT8(1);
	double		v;

	clv_model_params(fcinfo, 0, model, par);
	check_horizon(t, "horizon");
	if (model == CLV_PARETO_NBD)
		v = pnbd_expected_purchases_new(par, t);
	else
		v = bgnbd_expected_purchases_new(model == CLV_MBGNBD, par, t);
	PG_RETURN_FLOAT8(checked_result(v, "expected purchases"));
}

/* the SQL entry points: one per purchase model type, each through one implementation */
#define PURCHASE_MODEL_ENTRIES(suffix, impl) \
	RETENTION_ENTRY_POINT(bgnbd_##suffix, impl, CLV_BGNBD) \
	RETENTION_ENTRY_POINT(mbgnbd_##suffix, impl, CLV_MBGNBD) \
	RETENTION_ENTRY_POINT(pareto_nbd_##suffix, impl, CLV_PARETO_NBD)

PURCHASE_MODEL_ENTRIES(log_likelihood, log_likelihood_of)
PURCHASE_MODEL_ENTRIES(p_alive_sql, p_alive_of)
PURCHASE_MODEL_ENTRIES(expected_purchases_sql, expected_purchases_of)
PURCHASE_MODEL_ENTRIES(expected_purchases_new_sql, expected_purchases_new_of)

/* ---- Gamma-Gamma ------------------------------------------------------------ */

static void
check_spend(double x, double m, bool need_repeat)
{
	clv_check_frequency(x);
	clv_check_finite(m, "monetary_value");
	if (need_repeat && x == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the Gamma-Gamma log-likelihood needs frequency > 0"),
				 errhint("The model is fitted on repeat buyers only; gamma_gamma_fit leaves out frequency 0.")));
	if (x > 0 && m <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary_value must be positive when frequency > 0, not %g", m),
				 errhint("Gamma-Gamma models positive spend; leave out customers whose repeat purchases add up to zero or less, as gamma_gamma_fit does.")));
}

/* E[M]: needs q > 1, or the model's mean spend is not finite (lifetimes #370) */
static double
expected_spend(const double *gg, double x, double m)
{
	if (gg[1] <= 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected spend needs gamma_gamma_model parameter q > 1, not %.15g", gg[1]),
				 errhint("With q <= 1 the model's mean spend is infinite. Refit on monetary values "
						 "without extreme outliers, or use another spend estimate.")));
	return gg_expected_spend(gg, x, x == 0 ? 0 : m);
}

Datum
gamma_gamma_log_likelihood(PG_FUNCTION_ARGS)
{
	double		gg[3];
	double		x = PG_GETARG_FLOAT8(1),
				m = PG_GETARG_FLOAT8(2);

	clv_model_params(fcinfo, 0, CLV_GAMMA_GAMMA, gg);
	check_spend(x, m, true);
	PG_RETURN_FLOAT8(checked_result(gg_ll(gg, x, m), "the log-likelihood"));
}

Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	double		gg[3];
	double		x = PG_GETARG_FLOAT8(1),
				m = PG_GETARG_FLOAT8(2);

	clv_model_params(fcinfo, 0, CLV_GAMMA_GAMMA, gg);
	check_spend(x, m, false);
	PG_RETURN_FLOAT8(checked_result(expected_spend(gg, x, m), "the expected spend"));
}

/* ---- CLV ------------------------------------------------------------------ */

/*
 * As lifetimes' _customer_lifetime_value: month k's expected purchases,
 * E[Y(k f)] - E[Y((k-1) f)] with f = units_per_month, times the expected
 * spend, discounted by (1 + discount_rate)^k, summed over k = 1 .. months.
 */
static Datum
predicted_clv_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4],
				gg[3];
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4),
				m = PG_GETARG_FLOAT8(5);
	int32		months = PG_GETARG_INT32(6);
	double		d = PG_GETARG_FLOAT8(7),
				f = PG_GETARG_FLOAT8(8);
	double		spend,
				prev = 0.0,
				clv = 0.0;
	int32		k;

	clv_model_params(fcinfo, 0, model, par);
	clv_model_params(fcinfo, 1, CLV_GAMMA_GAMMA, gg);
	clv_check_customer(x, tx, T);
	check_spend(x, m, false);
	if (months < 0 || months > 12000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 0 and 12000, not %d", months),
				 errhint("months is the CLV horizon in calendar months; the model's own time unit enters through units_per_month.")));
	if (!isfinite(d) || d <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be a finite number > -1, not %g", d),
				 errhint("discount_rate is per month: 0.01 is 1 %% a month.")));
	if (!isfinite(f) || f <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("units_per_month must be a positive finite number, not %g", f),
				 errhint("It is the number of the model's time units in a month: 30 for days, "
						 "4.345 for weeks, 1 for months, 720 for hours.")));
	spend = expected_spend(gg, x, m);
	for (k = 1; k <= months; k++)
	{
		double		e = expected(model, par, k * f, x, tx, T);

		clv += spend * (e - prev) / pow(1 + d, k);
		prev = e;
	}
	PG_RETURN_FLOAT8(checked_result(clv, "the CLV"));
}

PURCHASE_MODEL_ENTRIES(predicted_clv, predicted_clv_of)

/* ---- purchase counts ------------------------------------------------------ */

/*
 * P(X(t) = n): the probability that a new customer (acquired at time 0)
 * makes exactly n purchases in (0, t] (doc/clv_math.md#purchase-count-distribution).
 */
static Datum
purchase_count_probability_of(FunctionCallInfo fcinfo, ClvModel model)
{
	double		par[4];
	int32		n = PG_GETARG_INT32(1);
	double		t = PG_GETARG_FLOAT8(2);
	double		v;

	clv_model_params(fcinfo, 0, model, par);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be a whole number >= 0, not %d", n),
				 errhint("n is the number of purchases in (0, t] whose probability is wanted.")));
	check_horizon(t, "t");
	if (model == CLV_PARETO_NBD)
		v = pnbd_count_probability(par, n, t);
	else
		v = bgnbd_count_probability(model == CLV_MBGNBD, par, n, t);
	PG_RETURN_FLOAT8(checked_result(v, "the purchase count probability"));
}

PURCHASE_MODEL_ENTRIES(purchase_count_probability, purchase_count_probability_of)
