/*
 * cohort_agg.c
 *		Transition, combine and final functions of the cohort_agg aggregates.
 *
 *   cohort_agg(customer, ordered_at, period)                         rows are orders
 *   cohort_agg(customer, ordered_at, period, amount)                 rows are orders
 *   cohort_agg(customer, ordered_at, period, amount, order_key)      rows are order lines
 *
 * for ordered_at of type timestamptz (bucketed in the session TimeZone),
 * timestamp or date.  A row whose customer, time or order key is NULL is
 * ignored (and counted as such); a NULL amount still makes an order.  One C
 * function serves the three forms of a time type: the number of arguments
 * tells them apart.
 */
#include "cohort_matrix.h"
#include "cohort_state.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(cohort_agg_combine);
PG_FUNCTION_INFO_V1(cohort_agg_final);

#define ARG_STATE 0
#define ARG_CUSTOMER 1
#define ARG_TIME 2
#define ARG_PERIOD 3
#define ARG_AMOUNT 4
#define ARG_ORDER 5

static PeriodKind
period_arg(FunctionCallInfo fcinfo)
{
	text	   *t;

	if (PG_ARGISNULL(ARG_PERIOD))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the period of cohort_agg must not be NULL"),
				 errhint("Valid periods are day, week, month, quarter and year.")));
	t = PG_GETARG_TEXT_PP(ARG_PERIOD);
	return period_kind_from_text(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/*
 * The period must be the same on every row.  A constant argument is the same
 * pointer on every row, so the text is compared only when the pointer changes.
 */
static void
check_period(FunctionCallInfo fcinfo, CohortState *s)
{
	const void *arg = PG_ARGISNULL(ARG_PERIOD) ? NULL : DatumGetPointer(PG_GETARG_DATUM(ARG_PERIOD));

	if (arg != NULL && arg == s->period_arg)
		return;
	if (period_arg(fcinfo) != s->period_kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the period of cohort_agg must be the same on every row"),
				 errdetail("The aggregate started with %s periods.", period_kind_name(s->period_kind))));
	s->period_arg = arg;
}

static CohortState *
transition_state(FunctionCallInfo fcinfo, TimeKind time_kind, bool has_amount, bool lines)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	uint8		flags = has_amount ? COHORT_HAS_AMOUNT : 0;
	CohortState *s;

	if (PG_ARGISNULL(ARG_STATE))
	{
		Oid			customer_type = agg_key_arg_type(fcinfo, ARG_CUSTOMER, "cohort_agg");
		Oid			order_type = lines ? agg_key_arg_type(fcinfo, ARG_ORDER, "cohort_agg") : InvalidOid;

		s = cs_create(aggcxt, time_kind, period_arg(fcinfo),
					  key_class_for_type(customer_type, "customer"),
					  lines ? key_class_for_type(order_type, "order_key") : 0, flags);
		s->customer_type = customer_type;
		s->order_type = order_type;
		s->period_arg = DatumGetPointer(PG_GETARG_DATUM(ARG_PERIOD));
		return s;
	}
	s = cs_get_rw(PG_GETARG_DATUM(ARG_STATE), aggcxt);
	if (!OidIsValid(s->customer_type))
	{
		/* read back from a flat value: learn the SQL types, check they fit */
		s->customer_type = agg_key_arg_type(fcinfo, ARG_CUSTOMER, "cohort_agg");
		s->order_type = lines ? agg_key_arg_type(fcinfo, ARG_ORDER, "cohort_agg") : InvalidOid;
		if (key_class_for_type(s->customer_type, "customer") != s->customer_class ||
			s->time_kind != time_kind || s->flags != flags ||
			(lines ? key_class_for_type(s->order_type, "order_key") : 0) != s->order_class)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("cohort_agg state does not match the aggregate's argument types")));
	}
	check_period(fcinfo, s);
	return s;
}

static pg_attribute_always_inline Datum
cohort_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	bool		has_amount = PG_NARGS() > ARG_AMOUNT;
	bool		lines = PG_NARGS() > ARG_ORDER;
	CohortState *s = transition_state(fcinfo, time_kind, has_amount, lines);
	KeyEntry	customer;
	KeyEntry	order;
	int64		at;
	int32		period;

	if (PG_ARGISNULL(ARG_CUSTOMER) || PG_ARGISNULL(ARG_TIME) || (lines && PG_ARGISNULL(ARG_ORDER)))
	{
		s->ignored_rows++;
		return cs_datum(s);
	}
	at = time_datum_to_micros(PG_GETARG_DATUM(ARG_TIME), time_kind);
	period = period_of(&s->finder, at);
	if (s->rows == 0 || at > s->max_at)
		s->max_at = at;
	s->rows++;

	key_probe_datum(&customer, s->customer_type, PG_GETARG_DATUM(ARG_CUSTOMER));
	customer.payload = 0;
	if (lines)
	{
		key_probe_datum(&order, s->order_type, PG_GETARG_DATUM(ARG_ORDER));
		order.payload = 0;
	}
	cs_add_row(s, &customer, lines ? &order : NULL, period,
			   has_amount ? PG_GETARG_DATUM(ARG_AMOUNT) : (Datum) 0,
			   has_amount && !PG_ARGISNULL(ARG_AMOUNT));
	return cs_datum(s);
}

RETENTION_ENTRY_POINT(cohort_agg_trans_tstz, cohort_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(cohort_agg_trans_ts, cohort_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(cohort_agg_trans_date, cohort_transition, TIME_DATE)

/*
 * Combine two partial states: either may be NULL (an idle parallel worker),
 * flat (sent by a worker) or expanded.  The second is never returned as is.
 */
Datum
cohort_agg_combine(PG_FUNCTION_ARGS)
{
	return state_combine(&cs_kind, fcinfo);
}

/*
 * No rows at all: an empty matrix, not NULL.  Its kinds come from the call
 * (the aggregate's argument types, and the period when it is a constant), so
 * that it reads like the matrix of the same query over rows.
 */
static CohortMatrix *
empty_matrix(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	PeriodKind	period_kind = 0;
	TimeKind	time_kind = 0;
	Node	   *period;
	Oid			time_type;

	if (aggref == NULL || list_length(aggref->args) < 3)
		return cohort_matrix_empty(0, 0, false);
	time_type = exprType((Node *) ((TargetEntry *) list_nth(aggref->args, 1))->expr);
	time_kind = time_type == TIMESTAMPTZOID ? TIME_TIMESTAMPTZ :
		time_type == TIMESTAMPOID ? TIME_TIMESTAMP : TIME_DATE;
	period = (Node *) ((TargetEntry *) list_nth(aggref->args, 2))->expr;
	if (IsA(period, Const) && !((Const *) period)->constisnull)
	{
		text	   *t = DatumGetTextPP(((Const *) period)->constvalue);

		period_kind = period_kind_from_text(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	if (period_kind == 0)
		time_kind = 0;
	return cohort_matrix_empty(period_kind, time_kind, period_kind != 0 && list_length(aggref->args) > 3);
}

/* The matrix of the state. */
Datum
cohort_agg_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(empty_matrix(fcinfo));
	PG_RETURN_POINTER(cohort_matrix_from_state(cs_view(PG_GETARG_DATUM(0))));
}
