/*
 * clv_sql.c
 *		What the SQL functions of the CLV models share: the argument checks
 *		and the model composite types (reading a model's parameters, building
 *		the composite a constructor or a fit returns, the constructors).
 *
 * Stratum: SQL glue, used by the fits (clv_fit.c) and the predictions
 * (clv_predict.c), which never call each other.  Calls nothing of the
 * mathematics but its types (clv_models.h).
 *
 * The model types are composites whose first fields are the parameters
 * (bgnbd_model and mbgnbd_model: r, alpha, a, b; pareto_nbd_model: r, alpha,
 * s, beta; gamma_gamma_model: p, q, v), followed by what a fit reports.  A
 * model from a constructor has NULLs there.  A value no customer summary can
 * have is an ERROR (22023) with a hint.  The conventions are
 * doc/clv_math.md#conventions.
 */
#include "clv_sql.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include <math.h>

PG_FUNCTION_INFO_V1(clv_model_make);

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
void
clv_model_params(FunctionCallInfo fcinfo, int argno, ClvModel model, double *par)
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
