/*
 * order_stats_state.h
 *		The transition state of the order_stats aggregates.
 *
 * SQL sees it as the varlena type order_stats_state (not "internal"), so that
 * Citus can push the aggregate down to its workers.  While an aggregate runs,
 * the state is a PostgreSQL expanded object living in its own memory context
 * under the aggregate context: the transition function updates it in place
 * and returns the same read-write pointer, so nodeAgg copies nothing.  When
 * the state must travel (parallel workers, Citus, storage) it is flattened to
 * a versioned, byte-order-neutral form that the input functions validate.
 */
#ifndef RETENTION_ORDER_STATS_STATE_H
#define RETENTION_ORDER_STATS_STATE_H

#include "agg_state.h"
#include "keytable.h"
#include "money_sum.h"

#include "utils/expandeddatum.h"

#define ORDER_STATS_STATE_VERSION 1

/*
 * Customer payloads.  When rows are orders: the customer's order count.
 * When rows are order lines: the ordinal of one of the customer's orders in
 * the orders table, and a flag set once a second distinct order was seen.
 */
#define CUSTOMER_MULTI (UINT64CONST(1) << 63)
#define CUSTOMER_ORDER_MASK UINT64CONST(0xFFFFFFFF)

/*
 * Rows waiting to be applied to the tables.  Once the customers table is too
 * large for the CPU caches, each row costs a cache miss; the transition
 * function then only prefetches the row's slot and parks the row here, and a
 * batch is applied when the buffer is full, by which time its slots have
 * arrived.  Everything that reads the tables flushes first (os_flush).
 */
#define PENDING_ROWS 32

typedef struct PendingRow
{
	KeyEntry	customer;
	KeyEntry	order;			/* line mode; payload = the line's time */
} PendingRow;

typedef struct PendingRows
{
	int			n;
	PendingRow	rows[PENDING_ROWS];
	char	   *key_bytes;		/* copies of keys longer than 16 bytes */
	Size		key_bytes_used;
	Size		key_bytes_size;
} PendingRows;

typedef struct OrderStatsState
{
	ExpandedObjectHeader hdr;
	MemBudget	budget;
	uint8		time_kind;		/* TimeKind */
	uint8		customer_class; /* KeyClass */
	uint8		order_class;	/* KeyClass, or 0 when rows are orders */
	Oid			customer_type;	/* SQL types of the keys, InvalidOid if unknown */
	Oid			order_type;
	int64		ignored_rows;	/* rows with a NULL customer, time or order key */
	int64		rows;			/* rows counted */
	int64		min_at;			/* over counted rows */
	int64		max_at;
	KeyTable	customers;
	KeyTable	orders;			/* payload: the order's earliest line time */
	MoneySum	revenue;
	PendingRows *pending;		/* NULL while the tables are small */
} OrderStatsState;

extern OrderStatsState *os_create(MemoryContext parent, TimeKind time_kind,
								  KeyClass customer_class, KeyClass order_class);
extern int64 os_last_order_at(OrderStatsState *s);
extern void os_add_row(OrderStatsState *s, KeyEntry *customer, KeyEntry *order);
extern void os_flush(OrderStatsState *s);

extern const StateKind os_kind;

static inline Datum
os_datum(OrderStatsState *s)
{
	return EOHPGetRWDatum(&s->hdr);
}

static inline OrderStatsState *
os_get_rw(Datum d, MemoryContext aggcxt)
{
	return (OrderStatsState *) state_get_rw(&os_kind, d, aggcxt);
}

static inline OrderStatsState *
os_view(Datum d)
{
	return (OrderStatsState *) state_view(&os_kind, d);
}

#endif							/* RETENTION_ORDER_STATS_STATE_H */
