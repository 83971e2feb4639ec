/*
 * order_stats_type.h
 *		The summary type order_stats returned by the order_stats aggregates.
 *
 * A small fixed header, followed (when any amount was seen) by the exact
 * revenue as a numeric value.  The first field after the length word is a
 * format version, so the layout can evolve without breaking stored values.
 */
#ifndef RETENTION_ORDER_STATS_TYPE_H
#define RETENTION_ORDER_STATS_TYPE_H

#include "order_stats_state.h"

#include "fmgr.h"
#include "utils/numeric.h"

#define ORDER_STATS_VERSION 1
#define ORDER_STATS_HAS_REVENUE 0x01

/* TimeKind 0: no order was counted, so no time is known */
#define TIME_NONE 0

typedef struct OrderStats
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		time_kind;
	uint8		flags;
	uint8		reserved;
	int64		customers;
	int64		orders;
	int64		repeat_customers;
	int64		ignored_rows;
	int64		first_at;		/* microseconds, see TimeKind */
	int64		last_at;
	/* numeric revenue follows when flags & ORDER_STATS_HAS_REVENUE */
} OrderStats;

static inline Numeric
order_stats_revenue(const OrderStats *s)
{
	if (!(s->flags & ORDER_STATS_HAS_REVENUE))
		return NULL;
	return (Numeric) ((char *) s + sizeof(OrderStats));
}

#define PG_GETARG_ORDER_STATS(n) ((OrderStats *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

extern OrderStats *order_stats_assemble(const OrderStats *fields, Numeric revenue);
extern OrderStats *order_stats_build(OrderStatsState *state);
extern OrderStats *order_stats_from_runs(OrderStatsState *s);	/* order_stats_runs.c */
extern Datum order_stats_window_interval(const OrderStats *s);
extern Datum order_stats_revenue_per(const OrderStats *s, int64 n, bool *isnull);

#endif							/* RETENTION_ORDER_STATS_TYPE_H */
