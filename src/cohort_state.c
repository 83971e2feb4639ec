/*
 * cohort_state.c
 *		The cohort_agg transition state in memory (see cohort_state.h):
 *		adding rows, the customers' node chains, merging states.  Its flat
 *		form and SQL type are in cohort_flat.c.
 */
#include "cohort_state.h"

#include "flat_io.h"
#include "common/int.h"
#include "port/pg_bitutils.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"


CohortState *
cs_new(MemoryContext parent, TimeKind time_kind, PeriodKind period_kind,
	   KeyClass customer_class, KeyClass order_class, uint8 flags)
{
	CohortState *s = (CohortState *)
		customer_state_create(parent, sizeof(CohortState), "cohort_agg state", &cs_flat_methods,
							  time_kind, customer_class, order_class, flags);

	s->period_kind = period_kind;
	kt_init(&s->lines, &s->c.budget);
	return s;
}

/* A new state for the rows of a call (CustomerStateCreate). */
CustomerState *
cs_create(MemoryContext parent, const AggArgs *a)
{
	return &cs_new(parent, a->time_kind, a->period_kind, a->customer_class, a->order_class,
				   a->has_amount ? COHORT_HAS_AMOUNT : 0)->c;
}

/* ---- nodes and exceptions ------------------------------------------------ */

/*
 * A new node.  Nodes live in chunks of NODE_CHUNK_SIZE that never move, except
 * the first, which grows from 4 nodes (a GROUP BY may make many small
 * states): never keep a node pointer across this call.
 */
static uint32
new_node(CohortState *s, uint32 customer, int32 period, uint32 orders, int64 amount, uint32 next)
{
	uint32		i = s->nnodes;
	CohortNode *n;

	if (i == NODE_NONE - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cohort_agg state has too many (customer, period) pairs")));
	if (i < NODE_CHUNK_SIZE)
	{
		if (s->chunks == NULL)
		{
			s->chunks = budget_alloc(&s->c.budget, sizeof(CohortNode *) * 4);
			s->nchunks = 4;
			memset(s->chunks, 0, sizeof(CohortNode *) * 4);
		}
		if (s->chunks[0] == NULL || (i >= 4 && (i & (i - 1)) == 0))
		{
			/* chunk 0 holds 4, 8, 16, ... nodes until it is full size */
			uint32		cap = i < 4 ? 4 : 2 * i;
			CohortNode *grown = budget_alloc(&s->c.budget, sizeof(CohortNode) * cap);

			if (s->chunks[0])
			{
				memcpy(grown, s->chunks[0], sizeof(CohortNode) * i);
				budget_free(&s->c.budget, s->chunks[0], sizeof(CohortNode) * i);
			}
			s->chunks[0] = grown;
		}
	}
	else if ((i & (NODE_CHUNK_SIZE - 1)) == 0)
	{
		uint32		c = i >> NODE_CHUNK_BITS;

		if (c >= s->nchunks)
		{
			CohortNode **grown = budget_alloc(&s->c.budget, sizeof(CohortNode *) * 2 * s->nchunks);

			memcpy(grown, s->chunks, sizeof(CohortNode *) * s->nchunks);
			memset(grown + s->nchunks, 0, sizeof(CohortNode *) * s->nchunks);
			budget_free(&s->c.budget, s->chunks, sizeof(CohortNode *) * s->nchunks);
			s->chunks = grown;
			s->nchunks *= 2;
		}
		s->chunks[c] = budget_alloc(&s->c.budget, sizeof(CohortNode) * NODE_CHUNK_SIZE);
	}
	n = cs_node(s, i);
	n->amount = amount;
	n->period = period;
	n->next = next;
	n->customer = customer;
	n->orders = orders;
	s->nnodes++;
	return i;
}

/* Keep an amount that does not fit a node's 64-bit sum; it is copied. */
void
cs_add_exception(CohortState *s, uint32 customer, int32 period, Datum amount)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(amount);
	Size		size = VARSIZE_ANY(v);
	CohortException *x;

	if (s->nexceptions == s->exceptions_size)
	{
		uint32		n = s->exceptions_size ? 2 * s->exceptions_size : 16;
		CohortException *grown = budget_alloc(&s->c.budget, sizeof(CohortException) * n);

		if (s->exceptions)
		{
			memcpy(grown, s->exceptions, sizeof(CohortException) * s->nexceptions);
			budget_free(&s->c.budget, s->exceptions, sizeof(CohortException) * s->exceptions_size);
		}
		s->exceptions = grown;
		s->exceptions_size = n;
	}
	x = &s->exceptions[s->nexceptions++];
	x->customer = customer;
	x->period = period;
	x->amount = budget_alloc(&s->c.budget, size);
	memcpy(x->amount, v, size);
}

/* node += (orders, units); a sum that would overflow goes to the exceptions */
static inline void
node_add(CohortState *s, uint32 node, uint32 customer, uint32 orders, int64 units)
{
	CohortNode *n = cs_node(s, node);
	int64		sum;

	if (unlikely((n->orders & NODE_ORDERS) + orders > NODE_ORDERS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cohort_agg counts at most %u orders of one customer in one period", NODE_ORDERS)));
	n->orders += orders;
	if (likely(!__builtin_add_overflow(n->amount, units, &sum)))
		n->amount = sum;
	else
		cs_add_exception(s, customer, n->period, money_numeric(units, s->max_dscale));
}

/*
 * Set the flags of a customer's nodes from their chain (latest first) and
 * return the earliest period, the cohort.  Used after a node was put into the
 * middle of a chain (rows out of time order, merging).
 */
static int32
set_chain_flags(CohortState *s, uint32 head)
{
	uint32		steps = 0;
	int32		cohort = 0;

	for (uint32 node = head; node != NODE_NONE; node = cs_node(s, node)->next)
	{
		CohortNode *n = cs_node(s, node);
		uint32		flags = node == head ? NODE_LATEST : 0;

		if ((++steps & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n->next != NODE_NONE && cs_node(s, n->next)->period == n->period - 1)
			flags |= NODE_FOLLOWS;
		n->orders = (n->orders & NODE_ORDERS) | flags;
		cohort = n->period;
	}
	return cohort;
}

/* One node of a chain being sorted. */
typedef struct NodeRef
{
	int32		period;
	uint32		node;
} NodeRef;

static int
noderef_cmp_desc(const void *a, const void *b)
{
	int32		x = ((const NodeRef *) a)->period;
	int32		y = ((const NodeRef *) b)->period;

	return x > y ? -1 : x < y ? 1 : 0;
}

/* A growable buffer of NodeRefs, reused across customers. */
typedef struct NodeRefs
{
	NodeRef    *items;
	uint32		size;
} NodeRefs;

/*
 * Sort an unsorted customer's chain by decreasing period, merge the nodes of
 * one period into one (the others become NODE_DEAD), and set the flags.
 */
static void
sort_customer(CohortState *s, KeyEntry *e, NodeRefs *buf)
{
	uint32		n = 0;
	uint32		kept = 0;
	uint32		head;
	NodeRef    *refs;

	for (uint32 node = HEAD_NODE(e->payload); node != NODE_NONE; node = cs_node(s, node)->next)
	{
		if (n == buf->size)
		{
			buf->size = Max(64, 2 * buf->size);
			buf->items = buf->items ? repalloc_huge(buf->items, sizeof(NodeRef) * (Size) buf->size)
				: palloc_extended(sizeof(NodeRef) * (Size) buf->size, MCXT_ALLOC_HUGE);
		}
		buf->items[n].period = cs_node(s, node)->period;
		buf->items[n].node = node;
		n++;
	}
	refs = buf->items;
	if (n <= 32)
	{
		/* chains are short: insertion sort */
		for (uint32 i = 1; i < n; i++)
		{
			NodeRef		r = refs[i];
			uint32		j = i;

			for (; j > 0 && refs[j - 1].period < r.period; j--)
				refs[j] = refs[j - 1];
			refs[j] = r;
		}
	}
	else
		qsort(refs, n, sizeof(NodeRef), noderef_cmp_desc);
	for (uint32 i = 0; i < n; i++)
	{
		if (kept > 0 && refs[kept - 1].period == refs[i].period)
		{
			CohortNode *dup = cs_node(s, refs[i].node);

			node_add(s, refs[kept - 1].node, e->ordinal, dup->orders & NODE_ORDERS, dup->amount);
			dup->customer = NODE_DEAD;
			dup->next = NODE_NONE;
			s->ndead++;
		}
		else
			refs[kept++] = refs[i];
	}
	for (uint32 i = 0; i < kept; i++)
		cs_node(s, refs[i].node)->next = i + 1 < kept ? refs[i + 1].node : NODE_NONE;
	head = refs[0].node;
	e->payload = MAKE_HEAD(head, set_chain_flags(s, head));
	s->nunsorted--;
}

/* Sort every unsorted customer's chain (before anything reads the chains). */
void
cs_sort_customers(CohortState *s)
{
	NodeRefs	buf = {0};

	cs_flush(s);
	if (s->nunsorted == 0)
		return;
	for (uint32 slot = 0; slot < s->c.customers.nslots && s->nunsorted > 0; slot++)
	{
		KeyEntry   *e = &s->c.customers.slots[slot];
		KeyEntry   *ahead = &s->c.customers.slots[Min(slot + 8, s->c.customers.nslots - 1)];

		if ((slot & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (ahead->len != KEY_EMPTY && (ahead->payload & CUSTOMER_UNSORTED))
			__builtin_prefetch(cs_node(s, HEAD_NODE(ahead->payload)));
		if (e->len != KEY_EMPTY && (e->payload & CUSTOMER_UNSORTED))
			sort_customer(s, e, &buf);
	}
	if (buf.items)
		pfree(buf.items);
}

/* ---- rows ------------------------------------------------------------------ */

/*
 * Apply one counted row; returns the customer's ordinal.  A row in the
 * customer's latest period or a later one (the usual case: rows in time
 * order) touches only the latest node, which cs_flush has prefetched.
 */
static inline uint32
apply_row(CohortState *s, const KeyEntry *customer, const KeyEntry *order, int32 period, int64 units)
{
	uint32		orders = s->c.order_class ? 0 : 1;
	bool		found;
	KeyEntry   *e = kt_insert(&s->c.customers, customer, &found);
	uint32		ordinal = e->ordinal;

	if (!found)
		e->payload = MAKE_HEAD(new_node(s, ordinal, period, orders | NODE_LATEST, units, NODE_NONE), period);
	else
	{
		uint32		head = HEAD_NODE(e->payload);
		int32		cohort = COHORT_OF(e->payload);
		CohortNode *latest = cs_node(s, head);

		if (period == latest->period)
			node_add(s, head, ordinal, orders, units);
		else if (period > latest->period)
		{
			uint32		flags = NODE_LATEST | (latest->period == period - 1 ? NODE_FOLLOWS : 0);

			latest->orders &= ~NODE_LATEST;
			e->payload = MAKE_HEAD(new_node(s, ordinal, period, orders | flags, units, head), cohort) |
				(e->payload & CUSTOMER_UNSORTED);
		}
		else if (latest->next != NODE_NONE && cs_node(s, latest->next)->period == period)
		{
			/* the period of the node after the latest (rows of the last one parked) */
			node_add(s, latest->next, ordinal, orders, units);
		}
		else
		{
			/* an earlier period: park it after the latest node (see CUSTOMER_UNSORTED) */
			uint32		parked = new_node(s, ordinal, period, orders, units, latest->next);

			cs_node(s, head)->next = parked;
			if (!(e->payload & CUSTOMER_UNSORTED))
				s->nunsorted++;
			e->payload = MAKE_HEAD(head, Min(cohort, period)) | CUSTOMER_UNSORTED;
		}
	}
	if (order)
	{
		KeyEntry	line;
		KeyEntry   *o = kt_insert(&s->c.orders, order, &found);

		line_probe(&line, o->ordinal, ordinal, period);
		kt_insert(&s->lines, &line, &found);
	}
	return ordinal;
}

void
cs_flush(CohortState *s)
{
	RowBatch   *b = s->c.batch;

	if (unlikely(s->log != NULL))
		cs_log_replay(s);
	if (b == NULL || b->n == 0)
		return;

	/*
	 * The slots have arrived; a known customer's latest node may be anywhere
	 * in the node array: ask for those too before applying the rows.
	 */
	for (int i = 0; i < b->n; i++)
	{
		KeyEntry   *e = kt_find(&s->c.customers, &b->rows[i].customer);

		if (e)
			__builtin_prefetch(cs_node(s, HEAD_NODE(e->payload)), 1);
	}
	for (int i = 0; i < b->n; i++)
	{
		BatchRow   *r = &b->rows[i];

		apply_row(s, &r->customer, s->c.order_class ? &r->order : NULL, r->period, r->units);
	}
	row_batch_clear(b);
}

/*
 * What new_node may allocate for the next n nodes: chunk 0 doubles at 4, 8,
 * 16, ... nodes, later chunks are added whole.
 */
static Size
node_room(const CohortState *s, uint32 n)
{
	uint32		i = s->nnodes;
	uint64		end = (uint64) i + n;
	Size		need = s->chunks == NULL ? sizeof(CohortNode *) * 4 : 0;

	for (uint64 at = i == 0 ? 0 : i <= 4 ? 4 : pg_nextpower2_32(i); at < end && at < NODE_CHUNK_SIZE;
		 at = at == 0 ? 4 : 2 * at)
		need += sizeof(CohortNode) * (at == 0 ? 4 : 2 * at);
	if (end > NODE_CHUNK_SIZE)
	{
		uint64		boundary = ((Max((uint64) i, NODE_CHUNK_SIZE) + NODE_CHUNK_SIZE - 1) / NODE_CHUNK_SIZE) *
			NODE_CHUNK_SIZE;

		if (boundary < end)
			need += sizeof(CohortNode) * NODE_CHUNK_SIZE + sizeof(CohortNode *) * 2 * s->nchunks;
	}
	return need;
}

/* What keeping one amount aside (an exception) may allocate. */
static Size
exception_room(const CohortState *s, Datum big)
{
	Size		need = VARSIZE_ANY(DatumGetPointer(big)) + 64;

	if (s->nexceptions == s->exceptions_size)
		need += sizeof(CohortException) * 2 * Max(s->exceptions_size, 16);
	return need;
}

/*
 * A row of a spilling state (rows are orders).  A customer in memory is
 * updated there while the budget has room for it; any other row goes to its
 * partition file: the amount in units, or, when it does not fit them (big),
 * the numeric itself.
 */
static void
spill_row(CohortState *s, const KeyEntry *customer, int32 period, int64 units, Datum big)
{
	KeyEntry   *e = kt_find(&s->c.customers, customer);
	Size		limit = (Size) retention_max_state_memory * 1024;
	struct varlena *v = big ? PG_DETOAST_DATUM_PACKED(big) : NULL;

	if (e)
	{
		const CohortNode *latest = cs_node(s, HEAD_NODE(e->payload));
		bool		has_node = period == latest->period ||
			(latest->next != NODE_NONE && cs_node(s, latest->next)->period == period);
		Size		need = (has_node ? 0 : node_room(s, 1)) + (big ? exception_room(s, big) : 0);

		if (s->c.budget.used <= limit && need <= limit - s->c.budget.used)
		{
			uint32		ordinal = apply_row(s, customer, NULL, period, big ? 0 : units);

			if (big)
				cs_add_exception(s, ordinal, period, big);
			return;
		}
		/* only such customers move to their partitions at the end (cs_for_each_partition) */
		customer_state_set_on_disk(&s->c, e);
	}
	/* revenue_agg's matrix spans the periods of every row (revenue_matrix_from_state) */
	if (spill_rows(s->c.spill) == 0 || period < s->spill_min_period)
		s->spill_min_period = period;
	if (spill_rows(s->c.spill) == 0 || period > s->spill_max_period)
		s->spill_max_period = period;
	spill_write(s->c.spill, customer, big ? 0 : units, period, v, v ? VARSIZE_ANY(v) : 0);
}

/*
 * Count one row whose amount is units (of 10^-8), or big when it does not fit
 * them (then units is 0), through the row batch once the tables outgrow the
 * caches (row_batch.h); a row with a big amount is applied at once.  A state
 * that may spill and has no room for another customer spills.
 */
void
cs_add_units(CohortState *s, KeyEntry *customer, KeyEntry *order, int32 period, int64 units,
			 Datum big)
{
	RowBatch   *b = s->c.batch;
	BatchRow   *row;

	/* a partial state logs its rows (cohort_log.c): orders whose amount fits units */
	if (unlikely(s->log != NULL))
	{
		if (order == NULL && big == (Datum) 0 && cs_log_push(s, customer, period, units))
			return;
		/* not a row for the log, or the log would outgrow the budget */
		cs_log_replay(s);
	}
	if (s->c.spill_ok)
	{
		if (s->c.spill == NULL &&
			!customer_state_has_room(&s->c, customer,
									 node_room(s, (b ? b->n : 0) + 1) + (big ? exception_room(s, big) : 0)))
		{
			/* the rows parked so far fit (has_room counted them): apply them first */
			cs_flush(s);
			customer_state_begin_spill(&s->c, "cohort_agg");
		}
		if (s->c.spill)
		{
			Assert(order == NULL);
			cs_flush(s);
			spill_row(s, customer, period, units, big);
			return;
		}
	}
	if (big)
	{
		cs_flush(s);
		cs_add_exception(s, apply_row(s, customer, order, period, 0), period, big);
		return;
	}
	if (b == NULL)
	{
		apply_row(s, customer, order, period, units);
		if (customer_state_needs_batch(&s->c))
			s->c.batch = row_batch_create(&s->c.budget);
		return;
	}
	if (!row_batch_has_room(b, customer, order))
	{
		cs_flush(s);
		row_batch_make_room(b, &s->c.budget, customer, order);
	}
	row = row_batch_push(b, customer, order, &s->c.customers, &s->c.orders);
	row->period = period;
	row->units = units;
	if (row_batch_full(b))
		cs_flush(s);
}

/* Count one row (cs_add_units), its amount a numeric when has_amount. */
void
cs_add_row(CohortState *s, KeyEntry *customer, KeyEntry *order, int32 period,
		   Datum amount, bool has_amount)
{
	int64		units = 0;

	if (has_amount)
	{
		int			dscale;
		bool		fits = money_units64(amount, &units, &dscale);

		if (dscale > s->max_dscale)
			s->max_dscale = dscale;
		if (!fits)
		{
			cs_add_units(s, customer, order, period, 0, amount);
			return;
		}
	}
	cs_add_units(s, customer, order, period, units, (Datum) 0);
}

/* ---- merging --------------------------------------------------------------- */

void
cs_buffer_reserve(NodeBuffer *b, uint32 n)
{
	if (n <= b->size)
		return;
	b->size = Max(Max(n, 2 * b->size), 16);
	if (b->items)
		b->items = repalloc_huge(b->items, sizeof(NodeData) * (Size) b->size);
	else
		b->items = palloc_extended(sizeof(NodeData) * (Size) b->size, MCXT_ALLOC_HUGE);
}

/*
 * Merge nodes given in decreasing period order into a customer's list in one
 * pass over both.  'link' is the node whose next field is the current link,
 * NODE_NONE for the customer's head (kept in a variable here: node pointers
 * do not survive new_node).
 */
void
cs_merge_customer_nodes(CohortState *dst, KeyEntry *e, bool is_new, const NodeData *src, uint32 n)
{
	uint32		head;
	uint32		link = NODE_NONE;
	uint32		ordinal = e->ordinal;

	if (!is_new && (e->payload & CUSTOMER_UNSORTED))
	{
		NodeRefs	buf = {0};

		sort_customer(dst, e, &buf);
		pfree(buf.items);
	}
	head = is_new ? NODE_NONE : HEAD_NODE(e->payload);

	for (uint32 i = 0; i < n; i++)
	{
		uint32		cur = link == NODE_NONE ? head : cs_node(dst, link)->next;

		while (cur != NODE_NONE && cs_node(dst, cur)->period > src[i].period)
		{
			link = cur;
			cur = cs_node(dst, cur)->next;
		}
		if (cur != NODE_NONE && cs_node(dst, cur)->period == src[i].period)
		{
			node_add(dst, cur, ordinal, src[i].orders, src[i].amount);
			link = cur;
		}
		else
		{
			uint32		added = new_node(dst, ordinal, src[i].period, src[i].orders, src[i].amount, cur);

			if (link == NODE_NONE)
				head = added;
			else
				cs_node(dst, link)->next = added;
			link = added;
		}
	}
	e->payload = MAKE_HEAD(head, set_chain_flags(dst, head));
}

void
cs_check_compatible(const CohortState *dst, TimeKind time_kind, PeriodKind period_kind,
				 KeyClass customer_class, KeyClass order_class, uint8 flags)
{
	if (dst->c.time_kind != time_kind || dst->period_kind != period_kind ||
		dst->c.customer_class != customer_class || dst->c.order_class != order_class ||
		dst->c.flags != flags)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine cohort_agg states of different kinds"),
				 errdetail("One state has %s customers, %s order keys, %s times and %s periods, the other %s, %s, %s and %s.",
						   key_class_name(dst->c.customer_class),
						   dst->c.order_class ? key_class_name(dst->c.order_class) : "no",
						   time_kind_name(dst->c.time_kind), period_kind_name(dst->period_kind),
						   key_class_name(customer_class),
						   order_class ? key_class_name(order_class) : "no",
						   time_kind_name(time_kind), period_kind_name(period_kind))));
}

void
cs_merge_counters(CohortState *dst, int64 ignored_rows, int64 rows, int64 max_at, int32 max_dscale)
{
	customer_state_add_counts(&dst->c, "cohort_agg", ignored_rows, rows, max_at);
	dst->max_dscale = Max(dst->max_dscale, max_dscale);
}

/* Insert a customer of another state; returns its entry and whether it is new. */
KeyEntry *
cs_merge_customer_key(CohortState *dst, const KeyEntry *probe, bool strict, bool *is_new)
{
	bool		found;
	KeyEntry   *e = kt_insert(&dst->c.customers, probe, &found);

	if (found && strict)
		flat_corrupt("duplicate customer key");
	*is_new = !found;
	return e;
}

void
cs_merge_line(CohortState *dst, uint32 order, uint32 customer, int32 period, bool strict)
{
	KeyEntry	probe;
	bool		found;

	line_probe(&probe, order, customer, period);
	kt_insert(&dst->lines, &probe, &found);
	if (found && strict)
		flat_corrupt("duplicate order line");
}

/*
 * dst += src's customers entries[0 .. n) (src's own entries in ordinal
 * order: all of them, or those of one partition of a spilled src), with
 * their amounts kept aside and, when every customer is merged, the order
 * lines.  Both expanded.
 */
static void
merge_customers(CohortState *dst, CohortState *src, KeyEntry **entries, uint32 n)
{
	uint32	   *customer_map = NULL;
	uint32	   *order_map = NULL;
	NodeBuffer	buf = {0};

	Assert(n == src->c.customers.nentries || src->c.order_class == 0);
	/* src's ordinal -> dst's, for the amounts kept aside and the lines */
	if (src->nexceptions > 0 || src->c.order_class)
	{
		customer_map = palloc_extended(sizeof(uint32) * Max(src->c.customers.nentries, 1), MCXT_ALLOC_HUGE);
		if (n < src->c.customers.nentries)
			memset(customer_map, 0xFF, sizeof(uint32) * src->c.customers.nentries);	/* NODE_NONE */
	}
	for (uint32 i = 0; i < n; i++)
	{
		KeyEntry	probe = *entries[i];
		KeyEntry   *e;
		bool		is_new;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		buf.n = 0;
		for (uint32 node = HEAD_NODE(probe.payload); node != NODE_NONE; node = cs_node(src, node)->next)
		{
			const CohortNode *nd = cs_node(src, node);

			if (buf.n == buf.size)
				cs_buffer_reserve(&buf, buf.n + 1);
			buf.items[buf.n].period = nd->period;
			buf.items[buf.n].orders = nd->orders & NODE_ORDERS;
			buf.items[buf.n].amount = nd->amount;
			buf.n++;
		}
		e = cs_merge_customer_key(dst, &probe, false, &is_new);
		if (customer_map)
			customer_map[probe.ordinal] = e->ordinal;
		cs_merge_customer_nodes(dst, e, is_new, buf.items, buf.n);
	}

	for (uint32 i = 0; i < src->nexceptions; i++)
		if (customer_map[src->exceptions[i].customer] != NODE_NONE)
			cs_add_exception(dst, customer_map[src->exceptions[i].customer], src->exceptions[i].period,
							 PointerGetDatum(src->exceptions[i].amount));

	if (src->c.order_class)
	{
		bool		found;

		order_map = palloc_extended(sizeof(uint32) * Max(src->c.orders.nentries, 1), MCXT_ALLOC_HUGE);
		entries = kt_by_ordinal(&src->c.orders);
		for (uint32 i = 0; i < src->c.orders.nentries; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			order_map[i] = kt_insert(&dst->c.orders, entries[i], &found)->ordinal;
		}
		pfree(entries);
		for (KeyEntry *l = kt_first(&src->lines); l; l = kt_next(&src->lines, l))
		{
			if ((l->ordinal & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			cs_merge_line(dst, order_map[(uint32) l->w0], customer_map[(uint32) (l->w0 >> 32)],
					   (int32) (uint32) l->w1, false);
		}
		pfree(order_map);
	}
	if (customer_map)
		pfree(customer_map);
	if (buf.items)
		pfree(buf.items);
}

/* dst += src, both expanded; customers and orders in ordinal order */
static void
cs_merge(ExpandedObjectHeader *dst_eoh, ExpandedObjectHeader *src_eoh)
{
	CohortState *dst = (CohortState *) dst_eoh;
	CohortState *src = (CohortState *) src_eoh;
	KeyEntry  **entries;

	cs_settle(src);
	cs_settle(dst);
	customer_state_refuse_spilled(&src->c, "cohort_agg");
	customer_state_refuse_spilled(&dst->c, "cohort_agg");
	cs_sort_customers(src);
	cs_check_compatible(dst, src->c.time_kind, src->period_kind, src->c.customer_class,
						src->c.order_class, src->c.flags);
	cs_merge_counters(dst, src->c.ignored_rows, src->c.rows, src->c.max_at, src->max_dscale);
	entries = kt_by_ordinal(&src->c.customers);
	merge_customers(dst, src, entries, src->c.customers.nentries);
	pfree(entries);
}

/*
 * The state of partition part of spilled state s, in CurrentMemoryContext
 * (PartitionStateFn): the partition's customers in memory (entries[0 .. n),
 * those of a mixed state, whose rows also went to disk), then the rows of its
 * file, by the transition's code (so it may spill in turn).  NULL when it has
 * neither.  s is only read.
 */
static CustomerState *
partition_state(CustomerState *cs, int part, KeyEntry **entries, uint32 n)
{
	CohortState *s = (CohortState *) cs;
	StateSpill *sp = s->c.spill;
	CohortState *ps;
	SpillRecord rec;
	bool		has_file = spill_rewind(sp, part);

	if (!has_file && n == 0)
		return NULL;
	ps = cs_new(CurrentMemoryContext, s->c.time_kind, s->period_kind, s->c.customer_class,
				s->c.order_class, s->c.flags);
	ps->max_dscale = s->max_dscale;
	merge_customers(ps, s, entries, n);
	ps->c.spill_ok = true;
	ps->c.spill_level = spill_level(sp) + 1;
	while (has_file && spill_read(sp, part, &rec))
	{
		Datum		big = (Datum) 0;

		if (rec.tail_len > 0)
		{
			/* an aligned copy of the numeric */
			char	   *copy = palloc(rec.tail_len);

			memcpy(copy, rec.tail, rec.tail_len);
			big = PointerGetDatum(copy);
		}
		cs_add_units(ps, &rec.customer, NULL, (int32) rec.b, rec.a, big);
		if (big)
			pfree(DatumGetPointer(big));
	}
	cs_flush(ps);				/* every row applied, none parked */
	return &ps->c;
}

/*
 * fn(state, arg) for the state of each partition of spilled state s
 * (customer_state_for_each_partition), each freed after.  s is only read.
 */
void
cs_for_each_partition(CohortState *s, void (*fn) (CustomerState *ps, void *arg), void *arg)
{
	/* the customers moved into the partitions are merged by their sorted chains */
	cs_sort_customers(s);
	customer_state_for_each_partition(&s->c, "cohort_agg", partition_state, fn, arg);
}

/* ---- the StateKind (agg_state.h) ---------------------------------------- */

static ExpandedObjectHeader *
cs_copy(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	CohortState *src = (CohortState *) eoh;
	CohortState *s = cs_new(parent, src->c.time_kind, src->period_kind, src->c.customer_class,
							src->c.order_class, src->c.flags);

	cs_merge(&s->c.hdr, eoh);
	return &s->c.hdr;
}

static void
cs_settle_eoh(ExpandedObjectHeader *eoh)
{
	cs_settle((CohortState *) eoh);
}

const StateKind cs_kind = {
	"cohort_state",
	&cs_flat_methods,
	cs_copy,
	cs_from_flat,
	cs_merge,
	cs_merge_flat,
	cs_settle_eoh
};

