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
#include "result_set.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include <math.h>

PG_FUNCTION_INFO_V1(clv_model_make);
PG_FUNCTION_INFO_V1(clv_model_parameters);

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

/* BG/BB: x transactions, the last at opportunity tx, of n opportunities */
void
clv_check_opportunities(int32 x, int32 tx, int32 n)
{
	if (x < 0 || tx < x || n < tx || (x == 0 && tx != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid BG/BB summary: frequency %d, recency %d, n_periods %d", x, tx, n),
				 errhint("frequency is the number of opportunities with a transaction, recency the "
						 "opportunity of the last one (0 when there is none), n_periods the number of "
						 "opportunities: 0 <= frequency <= recency <= n_periods, recency = 0 when frequency = 0.")));
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
	[CLV_SBG] = {"sbg_model", {"alpha", "beta"}, 2,
	"sbg_model(alpha, beta) or sbg_fit(period, alive)"},
	[CLV_BGBB] = {"bgbb_model", {"alpha", "beta", "gamma", "delta"}, 4,
	"bgbb_model(alpha, beta, gamma, delta) or bgbb_fit(frequency, recency, n_periods)"},
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

/*
 * The fields are found by name, so that each model type can order what its
 * fit reports as its users expect (sbg_model has periods, gamma_gamma_model
 * skipped), and a stored value of an older version, which lacks the fields
 * added since, still reads (the upgrade adds fields at the end).
 */
Datum
clv_model_datum(FunctionCallInfo fcinfo, ClvModel model, const double *par,
				const ClvFit *fit, const double *se, int64 customers, int64 patterns,
				int64 skipped)
{
	const ModelType *mt = &model_types[model];
	TupleDesc	tupdesc;
	Datum	   *values;
	bool	   *nulls;
	int			i,
				k;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values = palloc0(sizeof(Datum) * tupdesc->natts);
	nulls = palloc(sizeof(bool) * tupdesc->natts);
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		const char *name = NameStr(att->attname);

		nulls[i] = true;
		if (att->attisdropped)
			continue;
		for (k = 0; k < mt->nparams; k++)
		{
			if (par && strcmp(name, mt->param_names[k]) == 0)
			{
				values[i] = Float8GetDatum(par[k]);
				nulls[i] = false;
			}
			else if (par && se && isfinite(se[k]) && strncmp(name, "se_", 3) == 0 &&
					 strcmp(name + 3, mt->param_names[k]) == 0)
			{
				values[i] = Float8GetDatum(se[k]);
				nulls[i] = false;
			}
		}
		if (fit == NULL || !nulls[i])
			continue;
		/* a failed fit (par NULL) has no likelihood or gradient either */
		nulls[i] = false;
		if (strcmp(name, "log_likelihood") == 0 && par)
			values[i] = Float8GetDatum(fit->log_likelihood);
		else if (strcmp(name, "customers") == 0)
			values[i] = Int64GetDatum(customers);
		else if (strcmp(name, "iterations") == 0)
			values[i] = Int32GetDatum(fit->iterations);
		else if (strcmp(name, "converged") == 0)
			values[i] = BoolGetDatum(fit->converged);
		else if (strcmp(name, "at_bound") == 0)
			values[i] = BoolGetDatum(fit->at_bound);
		else if (strcmp(name, "gradient_norm") == 0 && par)
			values[i] = Float8GetDatum(fit->grad_norm);
		else if (strcmp(name, "patterns") == 0 || strcmp(name, "periods") == 0)
			values[i] = Int64GetDatum(patterns);
		else if (strcmp(name, "skipped") == 0)
			values[i] = Int64GetDatum(skipped);
		else
			nulls[i] = true;
	}
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * parameters(model): one row per parameter with its standard error and 95%
 * Wald interval, for any model type: the fields that have an se_ field.
 */
#define Z_975 1.959963984540054

/* the field se_<name> of desc, or -1 */
static int
se_field(TupleDesc desc, const char *name)
{
	int			j;

	for (j = 0; j < desc->natts; j++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, j);

		if (!att->attisdropped && strncmp(NameStr(att->attname), "se_", 3) == 0 &&
			strcmp(NameStr(att->attname) + 3, name) == 0)
			return j;
	}
	return -1;
}

Datum
clv_model_parameters(PG_FUNCTION_ARGS)
{
	HeapTupleHeader tuple = PG_GETARG_HEAPTUPLEHEADER(0);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(tuple),
											  HeapTupleHeaderGetTypMod(tuple));
	ResultSet	rs;
	int			i;

	result_begin(fcinfo, &rs);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Datum		values[5];
		bool		nulls[5] = {false, true, true, true, true};
		bool		est_null,
					se_null;
		Datum		est,
					se;
		int			j;

		if (att->attisdropped || (j = se_field(desc, NameStr(att->attname))) < 0)
			continue;			/* not a parameter */
		est = GetAttributeByNum(tuple, i + 1, &est_null);
		se = GetAttributeByNum(tuple, j + 1, &se_null);
		values[0] = CStringGetTextDatum(NameStr(att->attname));
		values[1] = est;
		nulls[1] = est_null;
		if (!est_null && !se_null)
		{
			double		e = DatumGetFloat8(est),
						s = DatumGetFloat8(se);

			values[2] = se;
			values[3] = Float8GetDatum(e - Z_975 * s);
			values[4] = Float8GetDatum(e + Z_975 * s);
			nulls[2] = nulls[3] = nulls[4] = false;
		}
		tuplestore_putvalues(rs.store, rs.desc, values, nulls);
	}
	ReleaseTupleDesc(desc);
	return (Datum) 0;
}

/* bgnbd_model(r, alpha, a, b) and the other constructors: parameters only */
Datum
clv_model_make(PG_FUNCTION_ARGS)
{
	double		par[4];
	int			k;
	TupleDesc	tupdesc;
	const ModelType *mt = NULL;
	int			m,
				model = -1;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (m = 0; m < lengthof(model_types); m++)
		if (strcmp(get_rel_name(get_typ_typrelid(tupdesc->tdtypeid)), model_types[m].type_name) == 0 &&
			model_types[m].nparams == PG_NARGS())
		{
			mt = &model_types[m];
			model = m;
		}
	if (mt == NULL)
		elog(ERROR, "unexpected model type");
	for (k = 0; k < PG_NARGS(); k++)
	{
		par[k] = PG_ARGISNULL(k) ? 0 : PG_GETARG_FLOAT8(k);
		check_param(mt, k, par[k], PG_ARGISNULL(k));
	}
	return clv_model_datum(fcinfo, (ClvModel) model, par, NULL, NULL, 0, 0, 0);
}
