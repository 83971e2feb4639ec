/*
 * clv_predict.c
 *		SQL functions over the model types: constructors, one customer's
 *		log-likelihood, P(alive), expected purchases, expected spend and CLV.
 *
 * The model types are composites whose first fields are the parameters
 * (bgnbd_model and mbgnbd_model: r, alpha, a, b; pareto_nbd_model: r, alpha,
 * s, beta; gamma_gamma_model: p, q, v), followed by what a fit reports.  A
 * model from a constructor has NULLs there.  Every argument is checked: a
 * value no customer summary can have is an ERROR (22023) with a hint, and a
 * result that cannot be computed is an ERROR too, never a NaN.
 */
#include "clv_sql.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include <math.h>

PG_FUNCTION_INFO_V1(clv_model_make);
PG_FUNCTION_INFO_V1(gamma_gamma_log_likelihood);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);

#define SUMMARY_HINT "frequency, recency and t are the columns of rfm(): repeat purchase periods (a whole number), " \
	"then the time from the first to the last purchase and from the first purchase to the end of observation, " \
	"so 0 <= recency <= t, and recency = 0 when frequency = 0."

/* ---- checks --------------------------------------------------------------- */

void
clv_check_finite(double v, const char *name)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number, not %g", name, v),
				 errhint(SUMMARY_HINT)));
}

void
clv_check_frequency(double x)
{
	clv_check_finite(x, "frequency");
	if (x < 0 || x != floor(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("frequency must be a whole number >= 0, not %g", x),
				 errhint(SUMMARY_HINT)));
}

void
clv_check_customer(double x, double tx, double T)
{
	clv_check_frequency(x);
	clv_check_finite(tx, "recency");
	clv_check_finite(T, "t");
	if (tx < 0 || tx > T || (x == 0 && tx != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid customer summary: frequency %g, recency %g, t %g", x, tx, T),
				 errhint(SUMMARY_HINT)));
}

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

/* ---- the model types ------------------------------------------------------ */

typedef struct ModelType
{
	const char *type_name;
	const char *param_names[4];
	int			nparams;
	const char *constructor;
} ModelType;

static const ModelType model_types[] = {
	[CLV_BGNBD] = {"bgnbd_model", {"r", "alpha", "a", "b"}, 4,
	"bgnbd_model(r, alpha, a, b) or bgnbd_fit(frequency, recency, t)"},
	[CLV_MBGNBD] = {"mbgnbd_model", {"r", "alpha", "a", "b"}, 4,
	"mbgnbd_model(r, alpha, a, b) or mbgnbd_fit(frequency, recency, t)"},
	[CLV_PARETO_NBD] = {"pareto_nbd_model", {"r", "alpha", "s", "beta"}, 4,
	"pareto_nbd_model(r, alpha, s, beta) or pareto_nbd_fit(frequency, recency, t)"},
	[CLV_GAMMA_GAMMA] = {"gamma_gamma_model", {"p", "q", "v"}, 3,
	"gamma_gamma_model(p, q, v) or gamma_gamma_fit(frequency, monetary_value)"},
};

static void
check_param(const ModelType *mt, int k, double v, bool isnull)
{
	if (isnull || !isfinite(v) || v <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s parameter %s must be a positive finite number", mt->type_name, mt->param_names[k]),
				 errhint("Build the model with %s.", mt->constructor)));
}

/* the parameters of the model in argument argno, checked */
static void
model_params(FunctionCallInfo fcinfo, int argno, ClvModel model, double *par)
{
	const ModelType *mt = &model_types[model];
	HeapTupleHeader tuple = PG_GETARG_HEAPTUPLEHEADER(argno);
	int			k;

	for (k = 0; k < mt->nparams; k++)
	{
		bool		isnull;
		Datum		d = GetAttributeByNum(tuple, k + 1, &isnull);

		par[k] = isnull ? 0 : DatumGetFloat8(d);
		check_param(mt, k, par[k], isnull);
	}
}

Datum
clv_model_datum(FunctionCallInfo fcinfo, int nparams, const double *par,
				const ClvFit *fit, int64 customers, int64 patterns, int64 skipped)
{
	TupleDesc	tupdesc;
	Datum		values[16];
	bool		nulls[16];
	int			k,
				natts;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	natts = tupdesc->natts;
	if (natts > 16 || natts < nparams + 7)
		elog(ERROR, "unexpected model type with %d fields", natts);
	for (k = 0; k < natts; k++)
	{
		values[k] = (Datum) 0;
		nulls[k] = (fit == NULL);
	}
	for (k = 0; k < nparams; k++)
	{
		values[k] = par ? Float8GetDatum(par[k]) : (Datum) 0;
		nulls[k] = (par == NULL);
	}
	if (fit)
	{
		/* a failed fit (par NULL) has no likelihood or gradient either */
		values[nparams] = Float8GetDatum(fit->log_likelihood);
		nulls[nparams] = (par == NULL);
		values[nparams + 1] = Int64GetDatum(customers);
		values[nparams + 2] = Int32GetDatum(fit->iterations);
		values[nparams + 3] = BoolGetDatum(fit->converged);
		values[nparams + 4] = BoolGetDatum(fit->at_bound);
		values[nparams + 5] = Float8GetDatum(fit->grad_norm);
		nulls[nparams + 5] = (par == NULL);
		values[nparams + 6] = Int64GetDatum(patterns);
		if (natts > nparams + 7)
			values[nparams + 7] = Int64GetDatum(skipped);
	}
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* bgnbd_model(r, alpha, a, b) and the other constructors: parameters only */
Datum
clv_model_make(PG_FUNCTION_ARGS)
{
	double		par[4];
	int			k;
	TupleDesc	tupdesc;
	const ModelType *mt = NULL;
	int			m;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (m = 0; m < lengthof(model_types); m++)
		if (strcmp(get_rel_name(get_typ_typrelid(tupdesc->tdtypeid)), model_types[m].type_name) == 0 &&
			model_types[m].nparams == PG_NARGS())
			mt = &model_types[m];
	if (mt == NULL)
		elog(ERROR, "unexpected model type");
	for (k = 0; k < PG_NARGS(); k++)
	{
		par[k] = PG_ARGISNULL(k) ? 0 : PG_GETARG_FLOAT8(k);
		check_param(mt, k, par[k], PG_ARGISNULL(k));
	}
	return clv_model_datum(fcinfo, PG_NARGS(), par, NULL, 0, 0, 0);
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

	model_params(fcinfo, 0, model, par);
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

	model_params(fcinfo, 0, model, par);
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

	model_params(fcinfo, 0, model, par);
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

	model_params(fcinfo, 0, model, par);
	check_horizon(t, "horizon");
	if (model == CLV_PARETO_NBD)
		v = pnbd_expected_purchases_new(par, t);
	else
		v = bgnbd_expected_purchases_new(model == CLV_MBGNBD, par, t);
	PG_RETURN_FLOAT8(checked_result(v, "expected purchases"));
}

/* the SQL entry points: one per purchase model type, each through one implementation */
#define MODEL_ENTRY(fn, impl, model) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum \
	fn(PG_FUNCTION_ARGS) \
	{ \
		return impl(fcinfo, model); \
	}
#define PURCHASE_MODEL_ENTRIES(suffix, impl) \
	MODEL_ENTRY(bgnbd_##suffix, impl, CLV_BGNBD) \
	MODEL_ENTRY(mbgnbd_##suffix, impl, CLV_MBGNBD) \
	MODEL_ENTRY(pareto_nbd_##suffix, impl, CLV_PARETO_NBD)

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

	model_params(fcinfo, 0, CLV_GAMMA_GAMMA, gg);
	check_spend(x, m, true);
	PG_RETURN_FLOAT8(checked_result(gg_ll(gg, x, m), "the log-likelihood"));
}

Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	double		gg[3];
	double		x = PG_GETARG_FLOAT8(1),
				m = PG_GETARG_FLOAT8(2);

	model_params(fcinfo, 0, CLV_GAMMA_GAMMA, gg);
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

	model_params(fcinfo, 0, model, par);
	model_params(fcinfo, 1, CLV_GAMMA_GAMMA, gg);
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
