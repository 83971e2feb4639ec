/*
 * cohort_state.h
 *		The transition state of the cohort_agg aggregates.
 *
 * A customer's cohort is the period of their first order, which is known
 * only once every row has been seen: rows come in any order, and under a
 * parallel plan one customer's rows are spread over several workers.  So the
 * state keeps, per customer, one node per period in which they ordered
 * (orders and the exact amount), and the cohort cells are counted only when
 * the aggregate ends (cohort_matrix.c).  Per row that costs one customer
 * lookup: the customer's entry holds the index and the period of their latest
 * node, and new nodes are appended to an array, so a row in the customer's
 * latest period (or a later one) touches only memory that is either the
 * customer's slot or was written recently.
 *
 * Like order_stats_state, SQL sees a varlena type (cohort_state) that Citus
 * can ship, kept as an expanded object while the aggregate runs and flattened
 * to a versioned, validated form only when it travels.
 */
#ifndef RETENTION_COHORT_STATE_H
#define RETENTION_COHORT_STATE_H

#include "agg_state.h"
#include "keytable.h"
#include "money_sum.h"
#include "period.h"

#include "utils/expandeddatum.h"

#define COHORT_STATE_VERSION 1
#define COHORT_HAS_AMOUNT 0x01

#define NODE_NONE PG_UINT32_MAX
#define NODE_CHUNK_BITS 16
#define NODE_CHUNK_SIZE (1 << NODE_CHUNK_BITS)

/*
 * One (customer, period) with activity.  Besides the chain of a customer's
 * nodes (for merging and the flat form), each node knows its customer and
 * whether it is the customer's latest period and follows an active period,
 * so the cells can be counted in one sequential pass over the nodes.
 */
typedef struct CohortNode
{
	int64		amount;			/* sum of the amounts, units of 10^-8 (see exceptions) */
	int32		period;
	uint32		next;			/* the customer's node of an earlier period, or NODE_NONE */
	uint32		customer;		/* the customer's ordinal */
	uint32		orders;			/* NODE_ORDERS: rows (orders); 0 for order lines, counted
								 * from 'lines'; and the two flags below */
} CohortNode;

#define NODE_LATEST ((uint32) 1 << 31)	/* the customer's latest period */
#define NODE_FOLLOWS ((uint32) 1 << 30) /* the customer was active in the period before */
#define NODE_ORDERS (NODE_FOLLOWS - 1)

/*
 * An amount that does not fit the 64-bit node sum (huge, more than 8
 * decimals, NaN): kept as a numeric and added to its cell at the end.
 */
typedef struct CohortException
{
	uint32		customer;		/* ordinal in the customers table */
	int32		period;
	struct varlena *amount;
} CohortException;

/*
 * Customer payload: the latest node's index, the cohort (the earliest period,
 * 31 bits with sign: periods stay within +-2^30, see period_is_valid) and
 * CUSTOMER_UNSORTED once a row came in earlier than the customer's latest
 * period.  Such a row's node is put right after the latest one, without
 * looking for its place (the chain may then hold one period twice); the
 * chain is sorted when it is next read (cs_sort_customers).  So rows in any
 * order cost the same per row, as a scan that starts mid-table (a
 * synchronized seq scan) delivers them.
 */
#define CUSTOMER_UNSORTED (UINT64CONST(1) << 63)
#define HEAD_NODE(payload) ((uint32) (payload))
#define COHORT_OF(payload) (((int32) ((uint32) ((payload) >> 32) << 1)) >> 1)
#define MAKE_HEAD(node, cohort) \
	((uint64) (node) | ((uint64) ((uint32) (cohort) & 0x7FFFFFFF) << 32))

/* The customer of a node merged into another by cs_sort_customers. */
#define NODE_DEAD PG_UINT32_MAX

/* Rows parked until their customer's slot has been prefetched (see os_flush). */
#define COHORT_PENDING 32

typedef struct CohortPendingRow
{
	KeyEntry	customer;
	KeyEntry	order;			/* line mode */
	int64		units;
	int32		period;
} CohortPendingRow;

typedef struct CohortState
{
	ExpandedObjectHeader hdr;
	MemBudget	budget;
	uint8		time_kind;		/* TimeKind */
	uint8		period_kind;	/* PeriodKind */
	uint8		customer_class; /* KeyClass */
	uint8		order_class;	/* KeyClass, 0 when rows are orders */
	uint8		flags;			/* COHORT_HAS_AMOUNT */
	int32		max_dscale;		/* largest display scale of an amount */
	Oid			customer_type;	/* SQL types of the keys, InvalidOid if unknown */
	Oid			order_type;
	int64		ignored_rows;
	int64		rows;
	int64		max_at;			/* latest time of a counted row */
	PeriodFinder finder;
	const void *period_arg;		/* the period argument last checked */
	KeyTable	customers;		/* payload: MAKE_HEAD(latest node, cohort) */
	KeyTable	orders;			/* line mode: the order keys */
	KeyTable	lines;			/* line mode: (order, customer, period) seen */
	CohortNode **chunks;
	uint32		nchunks;		/* allocated chunk pointers */
	uint32		nnodes;			/* nodes allocated */
	uint32		ndead;			/* of those, merged away (customer NODE_DEAD) */
	uint32		nunsorted;		/* customers with CUSTOMER_UNSORTED */
	CohortException *exceptions;
	uint32		nexceptions;
	uint32		exceptions_size;
	int			npending;
	CohortPendingRow *pending;	/* NULL while the customers table is small */
} CohortState;

static inline CohortNode *
cs_node(const CohortState *s, uint32 i)
{
	return &s->chunks[i >> NODE_CHUNK_BITS][i & (NODE_CHUNK_SIZE - 1)];
}

/*
 * The key of an order line seen: (order ordinal, customer ordinal, period),
 * 16 bytes stored inline.  cohort_matrix.c keys (order, cohort, period) alike.
 */
static inline void
line_probe(KeyEntry *probe, uint32 order, uint32 customer, int32 period)
{
	probe->w0 = (uint64) order | ((uint64) customer << 32);
	probe->w1 = (uint32) period;
	probe->len = 16;
	probe->ordinal = 0;
	probe->payload = 0;
}

extern CohortState *cs_create(MemoryContext parent, TimeKind time_kind, PeriodKind period_kind,
							  KeyClass customer_class, KeyClass order_class, uint8 flags);
extern void cs_add_row(CohortState *s, KeyEntry *customer, KeyEntry *order, int32 period,
					   Datum amount, bool has_amount);
extern void cs_flush(CohortState *s);
extern void cs_sort_customers(CohortState *s);

extern const StateKind cs_kind;

static inline Datum
cs_datum(CohortState *s)
{
	return EOHPGetRWDatum(&s->hdr);
}

static inline CohortState *
cs_get_rw(Datum d, MemoryContext aggcxt)
{
	return (CohortState *) state_get_rw(&cs_kind, d, aggcxt);
}

static inline CohortState *
cs_view(Datum d)
{
	return (CohortState *) state_view(&cs_kind, d);
}

#endif							/* RETENTION_COHORT_STATE_H */
