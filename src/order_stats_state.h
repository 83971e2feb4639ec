/*
 * order_stats_state.h
 *		The transition state of the order_stats aggregates: a CustomerState
 *		(customer_state.h) with the customers' order counts, the first time
 *		and the exact revenue.
 */
#ifndef RETENTION_ORDER_STATS_STATE_H
#define RETENTION_ORDER_STATS_STATE_H

#include "customer_state.h"
#include "money.h"

#define ORDER_STATS_STATE_VERSION 1
/*
 * Flat form only, a bit of the order_class byte: the customers are in hash
 * order (customer_runs.h).  Only in a state of rows that are orders, whose
 * customer records (key, order count) stand on their own.
 */
#define ORDER_STATS_HASH_ORDER 0x80

/*
 * Customer payloads.  When rows are orders: the customer's order count.
 * When rows are order lines: the ordinal of one of the customer's orders in
 * the orders table, and a flag set once a second distinct order was seen.
 * Order payloads (order lines): the order's earliest line time.
 */
#define CUSTOMER_MULTI (UINT64CONST(1) << 63)
#define CUSTOMER_ORDER_MASK UINT64CONST(0xFFFFFFFF)

typedef struct OrderStatsState
{
	CustomerState c;
	int64		min_at;			/* earliest time of a counted row */
	MoneySum	revenue;
	struct LoggedRows *log;	/* a partial state's rows, not in the table yet
								 * (order_stats_log.c), or NULL */
} OrderStatsState;

/* The fixed part of the flat form, read and checked by os_read_flat_header. */
typedef struct OrderStatsFlatHeader
{
	TimeKind	time_kind;
	KeyClass	customer_class;
	KeyClass	order_class;
	bool		hash_order;		/* ORDER_STATS_HASH_ORDER */
	int64		ignored_rows;
	int64		rows;
	int64		min_at;
	int64		max_at;
	uint32		norders;
	uint32		ncustomers;
} OrderStatsFlatHeader;

extern OrderStatsState *os_new(MemoryContext parent, TimeKind time_kind, KeyClass customer_class,
							   KeyClass order_class);
extern CustomerState *os_create(MemoryContext parent, const AggArgs *a);
extern void os_read_flat_header(StringInfo buf, OrderStatsFlatHeader *h, MoneySum *money);
extern void os_check_compatible(const OrderStatsState *dst, TimeKind time_kind,
								KeyClass customer_class, KeyClass order_class);
extern int64 os_last_order_at(OrderStatsState *s);
extern void os_add_row(OrderStatsState *s, KeyEntry *customer, KeyEntry *order);
extern void os_flush(OrderStatsState *s);
extern void os_customer_counts(OrderStatsState *s, int64 *customers, int64 *repeat_customers);

extern Size os_flat_header_size(const OrderStatsState *s);
extern char *os_put_flat_header(const OrderStatsState *s, char *start, uint32 ncustomers,
								bool hash_order);

extern const StateKind os_kind;

/* order_stats_log.c: a partial state's rows, logged and sorted into its flat form */
extern void os_log_begin(OrderStatsState *s);
extern bool os_log_push(OrderStatsState *s, const KeyEntry *customer);
extern void os_log_replay(OrderStatsState *s);
extern bool os_log_flat_size(OrderStatsState *s, Size *size);
extern void os_log_flatten(OrderStatsState *s, char *start, Size allocated_size);

/* order_stats_runs.c: hash-ordered flat states kept as runs until the end (customer_runs.h) */
extern bool os_combine_as_runs(FunctionCallInfo fcinfo, Datum *result);
extern void os_settle(OrderStatsState *s);

static inline Datum
os_datum(OrderStatsState *s)
{
	return EOHPGetRWDatum(&s->c.hdr);
}

static inline OrderStatsState *
os_view(Datum d)
{
	return (OrderStatsState *) state_view(&os_kind, d);
}

#endif							/* RETENTION_ORDER_STATS_STATE_H */
