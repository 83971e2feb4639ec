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
 * It is a CustomerState (customer_state.h): a varlena type that Citus can
 * ship, kept as an expanded object while the aggregate runs and flattened to
 * a versioned, validated form only when it travels.  cohort_matrix.c reads
 * the nodes through CohortNodeIter, not through this layout.
 */
#ifndef RETENTION_COHORT_STATE_H
#define RETENTION_COHORT_STATE_H

#include "customer_state.h"
#include "money.h"
#include "period.h"

#include "miscadmin.h"

#define COHORT_STATE_VERSION 1
#define COHORT_HAS_AMOUNT 0x01
#define COHORT_HASH_ORDER 0x02	/* flat form only: customers in hash order (customer_runs.h) */

#define NODE_NONE PG_UINT32_MAX
#define NODE_CHUNK_BITS 18
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

typedef struct CohortState
{
	CustomerState c;			/* flags: COHORT_HAS_AMOUNT */
	uint8		period_kind;	/* PeriodKind */
	int32		max_dscale;		/* largest display scale of an amount */
	KeyTable	lines;			/* line mode: (order, customer, period) seen */
	CohortNode **chunks;
	uint32		nchunks;		/* allocated chunk pointers */
	uint32		nnodes;			/* nodes allocated */
	uint32		ndead;			/* of those, merged away (customer NODE_DEAD) */
	uint32		nunsorted;		/* customers with CUSTOMER_UNSORTED */
	CohortException *exceptions;
	uint32		nexceptions;
	uint32		exceptions_size;
	int32		spill_min_period;	/* spilling: the periods of the rows on disk */
	int32		spill_max_period;
	struct LoggedRows *log;		/* a partial state's rows, not in the tables yet
								 * (cohort_log.c), or NULL */
} CohortState;

/* Whether a customer in memory of a spilling state also has rows on disk. */
static inline bool
cs_on_disk(const CohortState *s, uint32 ordinal)
{
	return customer_state_on_disk(&s->c, ordinal);
}

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

extern CustomerState *cs_create(MemoryContext parent, const AggArgs *a);
extern void cs_add_row(CohortState *s, KeyEntry *customer, KeyEntry *order, int32 period,
					   Datum amount, bool has_amount);
extern void cs_add_units(CohortState *s, KeyEntry *customer, KeyEntry *order, int32 period,
						 int64 units, Datum big);
extern void cs_flush(CohortState *s);
extern void cs_for_each_partition(CohortState *s, void (*fn) (CustomerState *ps, void *arg), void *arg);
extern void cs_sort_customers(CohortState *s);

/* cohort_log.c: a partial state's rows, logged and sorted into its flat form */
extern void cs_log_begin(CohortState *s);
extern bool cs_log_push(CohortState *s, const KeyEntry *customer, int32 period, int64 units);
extern void cs_log_replay(CohortState *s);
extern bool cs_log_flat_size(CohortState *s, Size *size);
extern void cs_log_flatten(CohortState *s, char *start, Size allocated_size);

extern const StateKind cs_kind;

static inline Datum
cs_datum(CohortState *s)
{
	return EOHPGetRWDatum(&s->c.hdr);
}

static inline CohortState *
cs_view(Datum d)
{
	return (CohortState *) state_view(&cs_kind, d);
}

/* ---- between cohort_state.c and cohort_flat.c (the flat form) ---- */

/* One node of a state being merged in. */
typedef struct NodeData
{
	int32		period;
	uint32		orders;
	int64		amount;
} NodeData;

/* A growable buffer of one customer's nodes. */
typedef struct NodeBuffer
{
	NodeData   *items;
	uint32		n;
	uint32		size;
} NodeBuffer;

/* The fixed part of the flat form, read and checked by cs_read_flat_header. */
typedef struct CohortFlatHeader
{
	TimeKind	time_kind;
	PeriodKind	period_kind;
	KeyClass	customer_class;
	KeyClass	order_class;
	uint8		flags;			/* COHORT_HAS_AMOUNT, COHORT_HASH_ORDER */
	int32		max_dscale;
	int64		ignored_rows;
	int64		rows;
	int64		max_at;
	uint32		ncustomers;
	uint32		nnodes;
	uint32		nexceptions;
	uint32		norders;
	uint32		nlines;
} CohortFlatHeader;

#define COHORT_NODE_FLAT_SIZE (4 + 4 + 8)
extern Size cs_flat_header_size(void);
extern char *cs_put_flat_header(const CohortState *s, char *start, uint32 ncustomers,
								uint32 nnodes, bool hash_ordered);

extern void cs_read_flat_header(StringInfo buf, CohortFlatHeader *h);

/* cohort_runs.c: hash-ordered flat states kept as runs until the end (customer_runs.h) */
extern bool cs_combine_as_runs(FunctionCallInfo fcinfo, Datum *result);
extern void cs_settle(CohortState *s);

extern const ExpandedObjectMethods cs_flat_methods;
extern CohortState *cs_new(MemoryContext parent, TimeKind time_kind, PeriodKind period_kind,
						   KeyClass customer_class, KeyClass order_class, uint8 flags);
extern void cs_add_exception(CohortState *s, uint32 customer, int32 period, Datum amount);
extern void cs_buffer_reserve(NodeBuffer *b, uint32 n);
extern void cs_check_compatible(const CohortState *dst, TimeKind time_kind, PeriodKind period_kind,
								KeyClass customer_class, KeyClass order_class, uint8 flags);
extern void cs_merge_counters(CohortState *dst, int64 ignored_rows, int64 rows, int64 max_at,
							  int32 max_dscale);
extern KeyEntry *cs_merge_customer_key(CohortState *dst, const KeyEntry *probe, bool strict,
									   bool *is_new);
extern void cs_merge_customer_nodes(CohortState *dst, KeyEntry *e, bool is_new, const NodeData *src,
									uint32 n);
extern void cs_merge_line(CohortState *dst, uint32 order, uint32 customer, int32 period, bool strict);
extern void cs_merge_flat(ExpandedObjectHeader *dst, StringInfo buf, bool strict);
extern ExpandedObjectHeader *cs_from_flat(const char *data, Size len, MemoryContext parent);

/*
 * The nodes of a state, one (customer, period) with activity each, in no
 * particular order:
 *
 *		CohortNodeIter it;
 *		for (cs_nodes_begin(&it, s); cs_nodes_next(&it);)
 *			... it.customer, it.period, it.orders, it.amount, it.latest, it.follows
 *
 * Call cs_sort_customers first: then each (customer, period) is one node, and
 * latest / follows are set.
 */
typedef struct CohortNodeIter
{
	const CohortState *s;
	uint32		next;
	uint32		customer;		/* the customer's ordinal */
	int32		period;
	uint32		orders;			/* rows; 0 for order lines (counted from the lines) */
	int64		amount;			/* units of 10^-8; the rest is in the exceptions */
	bool		latest;			/* the customer's latest period */
	bool		follows;		/* the customer was active in the period before */
} CohortNodeIter;

static inline void
cs_nodes_begin(CohortNodeIter *it, const CohortState *s)
{
	it->s = s;
	it->next = 0;
}

static inline bool
cs_nodes_next(CohortNodeIter *it)
{
	while (it->next < it->s->nnodes)
	{
		const CohortNode *n = cs_node(it->s, it->next++);

		if ((it->next & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n->customer == NODE_DEAD)
			continue;
		it->customer = n->customer;
		it->period = n->period;
		it->orders = n->orders & NODE_ORDERS;
		it->amount = n->amount;
		it->latest = (n->orders & NODE_LATEST) != 0;
		it->follows = (n->orders & NODE_FOLLOWS) != 0;
		return true;
	}
	return false;
}

#endif							/* RETENTION_COHORT_STATE_H */
