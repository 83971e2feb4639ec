/*
 * clv_forecast.c
 *		SQL functions over the discrete-time models: sbg_model (contractual
 *		retention: survival, retention rate, churn probability, discounted
 *		expected lifetime and residual lifetime) and bgbb_model (one
 *		customer's log-likelihood, P(alive), expected transactions).
 *
 * Stratum: SQL glue.  Argument checks and model parameters come from
 * clv_sql.c, the values from the mathematics (clv_sbg.c, clv_bgbb.c); nothing
 * here calls the fits.  As in clv_predict.c, an argument no model or customer
 * can have is ERROR 22023 with a hint, and a value that cannot be computed is
 * an ERROR, never a NaN.  The formulas are doc/clv_math.md#sbg and
 * doc/clv_math.md#bgbb.
 */
#include "clv_sql.h"

#include <math.h>

PG_FUNCTION_INFO_V1(sbg_survival);
PG_FUNCTION_INFO_V1(sbg_retention_rate_sql);
PG_FUNCTION_INFO_V1(sbg_churn_probability);
PG_FUNCTION_INFO_V1(sbg_expected_lifetime_sql);
PG_FUNCTION_INFO_V1(sbg_residual_lifetime_sql);
PG_FUNCTION_INFO_V1(bgbb_log_likelihood);
PG_FUNCTION_INFO_V1(bgbb_p_alive_sql);
PG_FUNCTION_INFO_V1(bgbb_expected_purchases_sql);
PG_FUNCTION_INFO_V1(bgbb_expected_purchases_new_sql);

static double
finite_result(double v, const char *what)
{
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("could not compute %s for these arguments", what),
				 errhint("The model's parameters may be extreme for this horizon.")));
	return v;
}

/* ---- sBG ------------------------------------------------------------------ */

static void
check_period(int32 t, int32 lowest, const char *name)
{
	if (t < lowest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be >= %d, not %d", name, lowest, t),
				 errhint("Periods count from 0, the period of acquisition; the first renewal is at period 1.")));
}

static void
check_discount(double d)
{
	if (!isfinite(d) || d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be a finite number >= 0, not %g", d),
				 errhint("discount_rate is per period of the model: 0.1 is 10 %% a period.")));
}

/* survival(sbg_model, t): S(t), the share of a cohort still subscribed at period t */
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	double		par[2];
	int32		t = PG_GETARG_INT32(1);

	clv_model_params(fcinfo, 0, CLV_SBG, par);
	check_period(t, 0, "t");
	PG_RETURN_FLOAT8(finite_result(exp(sbg_log_survival(par, t)), "the survival"));
}

/* retention_rate(sbg_model, t): S(t) / S(t - 1) */
Datum
sbg_retention_rate_sql(PG_FUNCTION_ARGS)
{
	double		par[2];
	int32		t = PG_GETARG_INT32(1);

	clv_model_params(fcinfo, 0, CLV_SBG, par);
	check_period(t, 1, "t");
	PG_RETURN_FLOAT8(finite_result(sbg_retention_rate(par, t), "the retention rate"));
}

/* churn_probability(sbg_model, t): P(T = t), that a new customer's last period is t - 1 */
Datum
sbg_churn_probability(PG_FUNCTION_ARGS)
{
	double		par[2];
	int32		t = PG_GETARG_INT32(1);

	clv_model_params(fcinfo, 0, CLV_SBG, par);
	check_period(t, 1, "t");
	PG_RETURN_FLOAT8(finite_result(exp(sbg_log_churn(par, t)), "the churn probability"));
}

/* expected_lifetime(sbg_model, discount_rate): DEL, in periods; infinite without discount when alpha <= 1 */
Datum
sbg_expected_lifetime_sql(PG_FUNCTION_ARGS)
{
	double		par[2];
	double		d = PG_GETARG_FLOAT8(1);

	clv_model_params(fcinfo, 0, CLV_SBG, par);
	check_discount(d);
	PG_RETURN_FLOAT8(finite_result(sbg_expected_lifetime(par, d), "the expected lifetime"));
}

/* residual_lifetime(sbg_model, n, discount_rate): DERL of a customer at the end of period n */
Datum
sbg_residual_lifetime_sql(PG_FUNCTION_ARGS)
{
	double		par[2];
	int32		n = PG_GETARG_INT32(1);
	double		d = PG_GETARG_FLOAT8(2);

	clv_model_params(fcinfo, 0, CLV_SBG, par);
	check_period(n, 1, "n");
	check_discount(d);
	PG_RETURN_FLOAT8(finite_result(sbg_residual_lifetime(par, n, d), "the residual lifetime"));
}

/* ---- BG/BB ---------------------------------------------------------------- */

static void
bgbb_args(FunctionCallInfo fcinfo, int first, double *par, double *x, double *tx, double *n)
{
	clv_model_params(fcinfo, 0, CLV_BGBB, par);
	clv_check_opportunities(PG_GETARG_INT32(first), PG_GETARG_INT32(first + 1), PG_GETARG_INT32(first + 2));
	*x = PG_GETARG_INT32(first);
	*tx = PG_GETARG_INT32(first + 1);
	*n = PG_GETARG_INT32(first + 2);
}

static void
check_opportunities_ahead(int32 n, const char *name)
{
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be >= 0, not %d", name, n),
				 errhint("It is a number of transaction opportunities.")));
}

Datum
bgbb_log_likelihood(PG_FUNCTION_ARGS)
{
	double		par[4],
				x,
				tx,
				n;

	bgbb_args(fcinfo, 1, par, &x, &tx, &n);
	PG_RETURN_FLOAT8(finite_result(bgbb_ll(par, x, tx, n), "the log-likelihood"));
}

/* P(alive at opportunity n + 1), as BTYD's bgbb.PAlive and lifetimes */
Datum
bgbb_p_alive_sql(PG_FUNCTION_ARGS)
{
	double		par[4],
				x,
				tx,
				n;

	bgbb_args(fcinfo, 1, par, &x, &tx, &n);
	PG_RETURN_FLOAT8(finite_result(bgbb_p_alive(par, x, tx, n), "P(alive)"));
}

/* expected_purchases(bgbb_model, n_future, x, tx, n): in opportunities n + 1 .. n + n_future */
Datum
bgbb_expected_purchases_sql(PG_FUNCTION_ARGS)
{
	double		par[4],
				x,
				tx,
				n;
	int32		n_future = PG_GETARG_INT32(1);

	check_opportunities_ahead(n_future, "n_future");
	bgbb_args(fcinfo, 2, par, &x, &tx, &n);
	PG_RETURN_FLOAT8(finite_result(bgbb_expected_purchases(par, n_future, x, tx, n), "expected purchases"));
}

/* expected_purchases(bgbb_model, n): of a new customer in its first n opportunities */
Datum
bgbb_expected_purchases_new_sql(PG_FUNCTION_ARGS)
{
	double		par[4];
	int32		n = PG_GETARG_INT32(1);

	clv_model_params(fcinfo, 0, CLV_BGBB, par);
	check_opportunities_ahead(n, "n");
	PG_RETURN_FLOAT8(finite_result(bgbb_expected_purchases_new(par, n), "expected purchases"));
}
