/*
 * cohort_agg.c
 *		Transition, combine and final functions of the aggregates over
 *		cohort_state: cohort_agg and revenue_agg.
 *
 *   cohort_agg(customer, ordered_at, period)                         rows are orders
 *   cohort_agg(customer, ordered_at, period, amount)                 rows are orders
 *   cohort_agg(customer, ordered_at, period, amount, order_key)      rows are order lines
 *   revenue_agg(customer, at, period, amount)                        -> revenue_matrix
 *
 * for ordered_at of type timestamptz (bucketed in the session TimeZone),
 * timestamp or date, and amount numeric, float8 or float4 (converted as
 * amount::numeric).  A row whose customer, time or order key is NULL is
 * ignored (and counted as such); a NULL amount still makes an order.  One C
 * function serves the three forms of a time type (agg_args.h).
 */
#include "cohort_matrix.h"
#include "cohort_state.h"
#include "key_log.h"
#include "customer_runs.h"
#include "revenue_matrix.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(cohort_agg_combine);
PG_FUNCTION_INFO_V1(cohort_agg_final);
PG_FUNCTION_INFO_V1(revenue_agg_final);

static const PeriodArgSpec cohort_period = {
	.allowed = COHORT_PERIODS,
	.absent = 0,
	.unknown = "period",
	.plural = "periods",
	.null_message = "the period of cohort_agg must not be NULL"
};

static const AggArgSpec cohort_args = {
	.agg_name = "cohort_agg",
	.customer = 1,
	.time = 2,
	.period = 3,
	.period_spec = &cohort_period,
	.amount = 4,
	.order = 5
};

static const PeriodArgSpec revenue_period = {
	.allowed = COHORT_PERIODS,
	.absent = 0,
	.unknown = "period",
	.plural = "periods",
	.null_message = "the period of revenue_agg must not be NULL"
};

static const AggArgSpec revenue_args = {
	.agg_name = "revenue_agg",
	.customer = 1,
	.time = 2,
	.period = 3,
	.period_spec = &revenue_period,
	.amount = 4,
	.order = 5					/* never passed: no order-lines form */
};

static pg_attribute_always_inline Datum
state_transition(FunctionCallInfo fcinfo, TimeKind time_kind, const AggArgSpec *spec)
{
	AggArgs    *a = agg_args(fcinfo, spec, time_kind, sizeof(AggArgs));
	PeriodKind	period_kind = agg_period_arg(fcinfo, spec, a);
	CohortState *s = (CohortState *)
		customer_state_for_row(fcinfo, spec, a, a->has_amount ? COHORT_HAS_AMOUNT : 0,
							   &cs_kind, cs_create);
	KeyEntry	customer;
	KeyEntry	order;
	int64		at;
	bool		has_amount;

	/* the period must be the same on every row */
	if (unlikely(period_kind != s->period_kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the period of %s must be the same on every row", spec->agg_name),
				 errdetail("The aggregate started with %s periods.", period_kind_name(s->period_kind))));
	/* a new state of rows that are orders (revenue_agg's always are) may spill (state_spill.h) */
	if (PG_ARGISNULL(0))
	{
		s->c.spill_ok = !a->lines && spill_allowed(fcinfo);
		/* a partial state only logs its rows (cohort_log.c) */
		if (!a->lines && s->log == NULL && s->c.rows == 0 && key_log_wanted(fcinfo))
			cs_log_begin(s);
	}
	if (!customer_state_take_row(&s->c, fcinfo, spec, a, &at, &customer, &order))
		return cs_datum(s);
	has_amount = a->has_amount && !PG_ARGISNULL(spec->amount);
	cs_add_row(s, &customer, a->lines ? &order : NULL, (int32) period_find(&a->finder, at),
			   has_amount ? agg_amount(a, fcinfo, spec->amount) : (Datum) 0, has_amount);
	return cs_datum(s);
}

static Datum
cohort_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	return state_transition(fcinfo, time_kind, &cohort_args);
}

static Datum
revenue_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	return state_transition(fcinfo, time_kind, &revenue_args);
}

RETENTION_ENTRY_POINT(cohort_agg_trans_tstz, cohort_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(cohort_agg_trans_ts, cohort_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(cohort_agg_trans_date, cohort_transition, TIME_DATE)
RETENTION_ENTRY_POINT(revenue_agg_trans_tstz, revenue_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(revenue_agg_trans_ts, revenue_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(revenue_agg_trans_date, revenue_transition, TIME_DATE)

/*
 * Combine two partial states: either may be NULL (an idle parallel worker),
 * flat (sent by a worker) or expanded.  The second is never returned as is.
 */
Datum
cohort_agg_combine(PG_FUNCTION_ARGS)
{
	Datum		result;

	if (cs_combine_as_runs(fcinfo, &result))
		return result;
	return state_combine(&cs_kind, fcinfo);
}

/*
 * No rows at all: an empty matrix, not NULL.  Its kinds come from the call
 * (the aggregate's argument types, and the period when it is a constant), so
 * that it reads like the matrix of the same query over rows; 0 when unknown.
 */
static void
call_kinds(FunctionCallInfo fcinfo, PeriodKind *period_kind_out, TimeKind *time_kind_out)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	PeriodKind	period_kind = 0;
	TimeKind	time_kind = 0;
	Node	   *period;
	Oid			time_type;

	*period_kind_out = 0;
	*time_kind_out = 0;
	if (aggref == NULL || list_length(aggref->args) < 3)
		return;
	time_type = exprType((Node *) ((TargetEntry *) list_nth(aggref->args, 1))->expr);
	time_kind = time_type == TIMESTAMPTZOID ? TIME_TIMESTAMPTZ :
		time_type == TIMESTAMPOID ? TIME_TIMESTAMP : TIME_DATE;
	period = (Node *) ((TargetEntry *) list_nth(aggref->args, 2))->expr;
	if (IsA(period, Const) && !((Const *) period)->constisnull)
	{
		text	   *t = DatumGetTextPP(((Const *) period)->constvalue);

		period_kind = period_kind_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), COHORT_PERIODS,
									  cohort_period.unknown, cohort_period.plural);
	}
	if (period_kind == 0)
		time_kind = 0;
	*period_kind_out = period_kind;
	*time_kind_out = time_kind;
}

static CohortMatrix *
empty_matrix(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	PeriodKind	period_kind;
	TimeKind	time_kind;

	call_kinds(fcinfo, &period_kind, &time_kind);
	return cohort_matrix_empty(period_kind, time_kind, period_kind != 0 && list_length(aggref->args) > 3);
}

/* The matrix of the state. */
Datum
cohort_agg_final(PG_FUNCTION_ARGS)
{
	CohortState *runs;

	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(empty_matrix(fcinfo));
	/* a parallel plan's combined state: merge the runs (cohort_runs.c) */
	runs = (CohortState *) customer_runs_of(&cs_kind, PG_GETARG_DATUM(0));
	if (runs)
		PG_RETURN_POINTER(cohort_matrix_from_runs(runs));
	PG_RETURN_POINTER(cohort_matrix_from_state(cs_view(PG_GETARG_DATUM(0))));
}

/* The revenue matrix of the state; of no rows, a matrix without periods. */
Datum
revenue_agg_final(PG_FUNCTION_ARGS)
{
	RevenueMatrix *m;

	if (PG_ARGISNULL(0))
	{
		PeriodKind	period_kind;
		TimeKind	time_kind;

		m = palloc0(sizeof(RevenueMatrix));
		call_kinds(fcinfo, &period_kind, &time_kind);
		m->period_kind = period_kind;
		m->time_kind = time_kind;
		m->max_lag = REVENUE_MAX_LAG;
	}
	else
		m = revenue_matrix_from_state(cs_view(PG_GETARG_DATUM(0)));
	PG_RETURN_POINTER(revenue_matrix_flatten(m));
}
