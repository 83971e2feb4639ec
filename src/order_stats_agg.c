/*
 * order_stats_agg.c
 *		Transition, combine and final functions of the order_stats aggregates.
 *
 *   order_stats(customer, ordered_at, amount)             rows are orders
 *   order_stats(customer, ordered_at, amount, order_key)  rows are order lines
 *
 * for ordered_at of type timestamptz, timestamp or date.  A row whose
 * customer, time or order key is NULL is ignored (and counted as such); a
 * NULL amount still makes an order and adds nothing to revenue, as sum()
 * ignores it.
 */
#include "order_stats_state.h"
#include "order_stats_type.h"

#include "fmgr.h"

PG_FUNCTION_INFO_V1(order_stats_combine);
PG_FUNCTION_INFO_V1(order_stats_final);

#define ARG_STATE 0
#define ARG_CUSTOMER 1
#define ARG_TIME 2
#define ARG_AMOUNT 3
#define ARG_ORDER 4

static OrderStatsState *
transition_state(FunctionCallInfo fcinfo, TimeKind time_kind, bool lines)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	OrderStatsState *s;

	if (PG_ARGISNULL(ARG_STATE))
	{
		Oid			customer_type = agg_key_arg_type(fcinfo, ARG_CUSTOMER, "order_stats");
		Oid			order_type = lines ? agg_key_arg_type(fcinfo, ARG_ORDER, "order_stats") : InvalidOid;

		s = os_create(aggcxt, time_kind,
					  key_class_for_type(customer_type, "customer"),
					  lines ? key_class_for_type(order_type, "order_key") : 0);
		s->customer_type = customer_type;
		s->order_type = order_type;
		return s;
	}
	s = os_get_rw(PG_GETARG_DATUM(ARG_STATE), aggcxt);
	if (!OidIsValid(s->customer_type))
	{
		/* read back from a flat value: learn the SQL types, check they fit */
		s->customer_type = agg_key_arg_type(fcinfo, ARG_CUSTOMER, "order_stats");
		s->order_type = lines ? agg_key_arg_type(fcinfo, ARG_ORDER, "order_stats") : InvalidOid;
		if (key_class_for_type(s->customer_type, "customer") != s->customer_class ||
			s->time_kind != time_kind ||
			(lines ? key_class_for_type(s->order_type, "order_key") : 0) != s->order_class)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("order_stats state does not match the aggregate's argument types")));
	}
	return s;
}

static pg_attribute_always_inline Datum
order_stats_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	bool		lines = PG_NARGS() > ARG_ORDER;
	OrderStatsState *s = transition_state(fcinfo, time_kind, lines);
	KeyEntry	customer;
	int64		at;

	if (PG_ARGISNULL(ARG_CUSTOMER) || PG_ARGISNULL(ARG_TIME) ||
		(lines && PG_ARGISNULL(ARG_ORDER)))
	{
		s->ignored_rows++;
		return os_datum(s);
	}

	at = time_datum_to_micros(PG_GETARG_DATUM(ARG_TIME), time_kind);
	if (s->rows == 0 || at < s->min_at)
		s->min_at = at;
	if (s->rows == 0 || at > s->max_at)
		s->max_at = at;
	s->rows++;

	key_probe_datum(&customer, s->customer_type, PG_GETARG_DATUM(ARG_CUSTOMER));
	if (!lines)
	{
		customer.payload = 1;
		os_add_row(s, &customer, NULL);
	}
	else
	{
		KeyEntry	order;

		key_probe_datum(&order, s->order_type, PG_GETARG_DATUM(ARG_ORDER));
		order.payload = (uint64) at;
		os_add_row(s, &customer, &order);
	}

	if (!PG_ARGISNULL(ARG_AMOUNT))
		money_add_datum(&s->revenue, PG_GETARG_DATUM(ARG_AMOUNT));
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
 * the aggregate context; the second argument is never returned as is.
 */
Datum
order_stats_combine(PG_FUNCTION_ARGS)
{
	return state_combine(&os_kind, fcinfo);
}

/* The summary.  No rows at all gives a zero summary, not NULL (as count() gives 0). */
Datum
order_stats_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(order_stats_build(NULL));
	PG_RETURN_POINTER(order_stats_build(os_view(PG_GETARG_DATUM(0))));
}
