/*
 * order_stats_agg.c
 *		Transition, combine and final functions of the order_stats aggregates.
 *
 *   order_stats(customer, ordered_at, amount)             rows are orders
 *   order_stats(customer, ordered_at, amount, order_key)  rows are order lines
 *
 * for ordered_at of type timestamptz, timestamp or date, and amount numeric,
 * float8 or float4 (converted as amount::numeric).  A row whose customer, time
 * or order key is NULL is ignored (and counted as such); a NULL amount still
 * makes an order and adds nothing to revenue, as sum() ignores it.  One C
 * function per time type serves both forms (agg_args.h).
 */
#include "order_stats_state.h"
#include "key_log.h"
#include "order_stats_type.h"
#include "customer_runs.h"

#include "fmgr.h"

PG_FUNCTION_INFO_V1(order_stats_combine);
PG_FUNCTION_INFO_V1(order_stats_final);

static const AggArgSpec os_args = {
	.agg_name = "order_stats",
	.customer = 1,
	.time = 2,
	.period = -1,
	.amount = 3,
	.order = 4
};

static pg_attribute_always_inline Datum
order_stats_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	AggArgs    *a = agg_args(fcinfo, &os_args, time_kind, sizeof(AggArgs));
	OrderStatsState *s = (OrderStatsState *)
		customer_state_for_row(fcinfo, &os_args, a, 0, &os_kind, os_create);
	KeyEntry	customer;
	KeyEntry	order;
	int64		at;

	/* a new state of rows that are orders may spill (state_spill.h) */
	if (PG_ARGISNULL(0))
	{
		s->c.spill_ok = !a->lines && spill_allowed(fcinfo);
		/* a partial state only logs its rows (order_stats_log.c) */
		if (!a->lines && s->log == NULL && s->c.rows == 0 && key_log_wanted(fcinfo))
			os_log_begin(s);
	}
	if (!customer_state_take_row(&s->c, fcinfo, &os_args, a, &at, &customer, &order))
		return os_datum(s);
	if (s->c.rows == 1 || at < s->min_at)
		s->min_at = at;
	customer.payload = 1;
	order.payload = (uint64) at;
	os_add_row(s, &customer, a->lines ? &order : NULL);
	if (!PG_ARGISNULL(os_args.amount))
		money_add_datum(&s->revenue, agg_amount(a, fcinfo, os_args.amount));
	return os_datum(s);
}

RETENTION_ENTRY_POINT(order_stats_trans_tstz, order_stats_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(order_stats_trans_ts, order_stats_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(order_stats_trans_date, order_stats_transition, TIME_DATE)
/* the lines form's own symbols in versions 1.0 to 1.3 */
RETENTION_ENTRY_POINT(order_stats_lines_trans_tstz, order_stats_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(order_stats_lines_trans_ts, order_stats_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(order_stats_lines_trans_date, order_stats_transition, TIME_DATE)

/*
 * Combine two partial states.  Either may be NULL (an idle parallel worker),
 * flat (sent by a worker) or expanded.  The result is always a state owned by
 * the aggregate context; the second argument is never returned as is.  States
 * of rows that are orders are kept as sorted runs (order_stats_runs.c).
 */
Datum
order_stats_combine(PG_FUNCTION_ARGS)
{
	Datum		result;

	if (os_combine_as_runs(fcinfo, &result))
		return result;
	return state_combine(&os_kind, fcinfo);
}

/* The summary.  No rows at all gives a zero summary, not NULL (as count() gives 0). */
Datum
order_stats_final(PG_FUNCTION_ARGS)
{
	OrderStatsState *runs;

	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(order_stats_build(NULL));
	/* a parallel plan's combined state: merge the runs (order_stats_runs.c) */
	runs = (OrderStatsState *) customer_runs_of(&os_kind, PG_GETARG_DATUM(0));
	if (runs)
		PG_RETURN_POINTER(order_stats_from_runs(runs));
	PG_RETURN_POINTER(order_stats_build(os_view(PG_GETARG_DATUM(0))));
}
