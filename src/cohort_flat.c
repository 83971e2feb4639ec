/*
 * cohort_flat.c
 *		The flat form of the cohort_agg transition state (cohort_state.h): its
 *		size, writing it, reading and validating it (merging it into a
 *		state), and the SQL type cohort_state.
 *
 * Flat form (all integers little-endian, see flat_io.h):
 *   version u8, time_kind u8, period_kind u8, customer_class u8,
 *   order_class u8, flags u8, max_dscale u32,
 *   ignored_rows u64, rows u64, max_at u64,
 *   ncustomers u32, nnodes u32, nexceptions u32, norders u32, nlines u32,
 *   customers:  key, count u32, count x (period i32, orders u32, amount i64)
 *               with periods strictly increasing
 *   exceptions: customer index u32, period i32, length u32, numeric_send bytes
 *   orders:     key                                          (line mode)
 *   lines:      order index u32, customer index u32, period i32 (line mode)
 * Indexes refer to the position of a customer or order in this value.
 */
#include "cohort_state.h"
#include "customer_runs.h"

#include "flat_io.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/numeric.h"
#include "utils/timestamp.h"

#define HEADER_SIZE (6 + 4 + 3 * 8 + 5 * 4)
#define NODE_FLAT_SIZE COHORT_NODE_FLAT_SIZE
#define LINE_FLAT_SIZE (4 + 4 + 4)

static Size cs_get_flat_size(ExpandedObjectHeader *eohptr);
static void cs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

const ExpandedObjectMethods cs_flat_methods = {
	cs_get_flat_size,
	cs_flatten_into
};

/* ---- the flat form ----------------------------------------------------------- */

Size
cs_flat_header_size(void)
{
	return VARHDRSZ + HEADER_SIZE;
}

/* Write the header of s's flat form at start (a varlena); returns where customers go. */
char *
cs_put_flat_header(const CohortState *s, char *start, uint32 ncustomers, uint32 nnodes,
				   bool hash_ordered)
{
	char	   *p = start + VARHDRSZ;

	p = put_u8(p, COHORT_STATE_VERSION);
	p = put_u8(p, s->c.time_kind);
	p = put_u8(p, s->period_kind);
	p = put_u8(p, s->c.customer_class);
	p = put_u8(p, s->c.order_class);
	p = put_u8(p, s->c.flags | (hash_ordered ? COHORT_HASH_ORDER : 0));
	p = put_u32(p, (uint32) s->max_dscale);
	p = put_u64(p, (uint64) s->c.ignored_rows);
	p = put_u64(p, (uint64) s->c.rows);
	p = put_u64(p, (uint64) s->c.max_at);
	p = put_u32(p, ncustomers);
	p = put_u32(p, nnodes);
	p = put_u32(p, s->nexceptions);
	p = put_u32(p, s->c.order_class ? s->c.orders.nentries : 0);
	p = put_u32(p, s->c.order_class ? s->lines.nentries : 0);
	return p;
}

static Size
cs_get_flat_size(ExpandedObjectHeader *eohptr)
{
	CohortState *s = (CohortState *) eohptr;
	MemoryContext old;
	Size		size;

	/* a partial state that logged its rows sorts them (cohort_log.c) */
	if (s->log && cs_log_flat_size(s, &size))
		return size;
	cs_settle(s);
	customer_state_refuse_spilled(&s->c, "cohort_agg");
	old = state_scratch_begin(eohptr);
	cs_sort_customers(s);
	size = VARHDRSZ + HEADER_SIZE;
	size = add_size(size, mul_size(s->c.customers.nentries, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		size = add_size(size, s->c.customers.key_bytes);
	size = add_size(size, mul_size(s->nnodes - s->ndead, NODE_FLAT_SIZE));
	for (uint32 i = 0; i < s->nexceptions; i++)
		size = add_size(size, 8 + flat_numeric_field_size(PointerGetDatum(s->exceptions[i].amount)));
	if (s->c.order_class)
	{
		size = add_size(size, mul_size(s->c.orders.nentries, key_flat_size(s->c.order_class)));
		if (s->c.order_class == KEY_BYTES)
			size = add_size(size, s->c.orders.key_bytes);
		size = add_size(size, mul_size(s->lines.nentries, LINE_FLAT_SIZE));
	}
	state_scratch_end(old);
	budget_check_flat_size(size);
	return size;
}

static void
cs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CohortState *s = (CohortState *) eohptr;
	char	   *start = (char *) result;
	char	   *p;
	KeyEntry  **entries;
	NodeBuffer	buf = {0};
	bool		hash_ordered;
	MemoryContext old;

	if (s->log)
	{
		cs_log_flatten(s, start, allocated_size);
		return;
	}
	old = state_scratch_begin(eohptr);

	cs_sort_customers(s);
	/* customers in hash order let the leader of a parallel plan merge states as runs */
	hash_ordered = s->c.order_class == 0 && s->nexceptions == 0;
	p = cs_put_flat_header(s, start, s->c.customers.nentries, s->nnodes - s->ndead, hash_ordered);

	entries = hash_ordered ? kt_by_hash(&s->c.customers) : kt_by_ordinal(&s->c.customers);
	for (uint32 i = 0; i < s->c.customers.nentries; i++)
	{
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the entries and their chains are scattered: ask for them ahead */
		if (i + 16 < s->c.customers.nentries)
			__builtin_prefetch(entries[i + 16]);
		if (i + 8 < s->c.customers.nentries)
			__builtin_prefetch(cs_node(s, HEAD_NODE(entries[i + 8]->payload)));
		p = key_put(p, s->c.customer_class, entries[i]);
		buf.n = 0;
		for (uint32 node = HEAD_NODE(entries[i]->payload); node != NODE_NONE;
			 node = cs_node(s, node)->next)
		{
			if (buf.n == buf.size)
				cs_buffer_reserve(&buf, buf.n + 1);
			buf.items[buf.n].period = cs_node(s, node)->period;
			buf.items[buf.n].orders = cs_node(s, node)->orders & NODE_ORDERS;
			buf.items[buf.n].amount = cs_node(s, node)->amount;
			buf.n++;
		}
		p = put_u32(p, buf.n);
		/* the list runs from the latest period back: write it forwards */
		for (uint32 j = buf.n; j-- > 0;)
		{
			p = put_u32(p, (uint32) buf.items[j].period);
			p = put_u32(p, buf.items[j].orders);
			p = put_u64(p, (uint64) buf.items[j].amount);
		}
	}
	pfree(entries);
	if (buf.items)
		pfree(buf.items);

	for (uint32 i = 0; i < s->nexceptions; i++)
	{
		p = put_u32(p, s->exceptions[i].customer);
		p = put_u32(p, (uint32) s->exceptions[i].period);
		p = put_numeric_field(p, PointerGetDatum(s->exceptions[i].amount));
	}

	if (s->c.order_class)
	{
		entries = kt_by_ordinal(&s->c.orders);
		for (uint32 i = 0; i < s->c.orders.nentries; i++)
			p = key_put(p, s->c.order_class, entries[i]);
		pfree(entries);
		/* customers' and orders' ordinals are their positions above */
		for (KeyEntry *l = kt_first(&s->lines); l; l = kt_next(&s->lines, l))
		{
			p = put_u32(p, (uint32) l->w0);
			p = put_u32(p, (uint32) (l->w0 >> 32));
			p = put_u32(p, (uint32) l->w1);
		}
	}
	state_scratch_end(old);
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "cohort_agg state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

static int32
read_period(StringInfo buf, PeriodKind kind)
{
	int32		period = (int32) get_u32(buf);

	if (!period_is_valid(kind, period))
		flat_corrupt("period out of range");
	return period;
}

/* (customer index, period) as one key ordered like the pair */
static inline uint64
node_key(uint32 customer, int32 period)
{
	return ((uint64) customer << 32) | (uint32) ((int64) period - PG_INT32_MIN);
}

/* whether the flat state read a node (customer, period): a binary search of keys[0..n) */
static bool
has_node(const uint64 *keys, uint32 n, uint32 customer, int32 period)
{
	uint64		key = node_key(customer, period);
	uint32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;

		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && keys[lo] == key;
}

/*
 * dst += the flat state in buf.  Every length and count is checked before it
 * is used; with strict (dst was empty) duplicates are errors too.
 */
void
cs_read_flat_header(StringInfo buf, CohortFlatHeader *h)
{
	uint8		version = get_u8(buf);

	if (version != COHORT_STATE_VERSION)
		flat_corrupt(psprintf("unknown format version %d", version));
	h->time_kind = get_u8(buf);
	h->period_kind = get_u8(buf);
	h->customer_class = get_u8(buf);
	h->order_class = get_u8(buf);
	h->flags = get_u8(buf);
	if (h->time_kind < TIME_TIMESTAMPTZ || h->time_kind > TIME_DATE ||
		h->period_kind < PERIOD_DAY || h->period_kind > PERIOD_KIND_MAX ||
		h->customer_class < KEY_INT || h->customer_class > KEY_BYTES ||
		h->order_class > KEY_BYTES || (h->flags & ~(COHORT_HAS_AMOUNT | COHORT_HASH_ORDER)) != 0)
		flat_corrupt("unknown key, time or period kind");
	h->max_dscale = (int32) get_u32(buf);
	h->ignored_rows = (int64) get_u64(buf);
	h->rows = (int64) get_u64(buf);
	h->max_at = (int64) get_u64(buf);
	h->ncustomers = get_u32(buf);
	h->nnodes = get_u32(buf);
	h->nexceptions = get_u32(buf);
	h->norders = get_u32(buf);
	h->nlines = get_u32(buf);
	if (h->max_dscale < 0 || h->max_dscale > NUMERIC_MAX_DISPLAY_SCALE ||
		(!(h->flags & COHORT_HAS_AMOUNT) && (h->max_dscale != 0 || h->nexceptions != 0)))
		flat_corrupt("invalid amount scale");
	if (h->ignored_rows < 0 || h->rows < 0)
		flat_corrupt("negative row count");
	if (h->rows > 0 && !IS_VALID_TIMESTAMP(h->max_at))
		flat_corrupt("time out of range");
	if (h->rows == 0 && h->max_at != 0)
		flat_corrupt("a time without rows");
	/* each entry takes at least its fixed part */
	if ((uint64) h->ncustomers * (key_flat_size(h->customer_class) + 4) +
		(uint64) h->nnodes * NODE_FLAT_SIZE + (uint64) h->nexceptions * 12 +
		(uint64) h->norders * (h->order_class ? key_flat_size(h->order_class) : 1) +
		(uint64) h->nlines * LINE_FLAT_SIZE > (uint64) (buf->len - buf->cursor))
		flat_corrupt("entry counts exceed the value's size");
	if ((h->ncustomers == 0) != (h->rows == 0) || (uint64) h->ncustomers > (uint64) h->nnodes ||
		(uint64) h->nnodes > (uint64) h->rows || (uint64) h->nexceptions > (uint64) h->rows ||
		(h->order_class == 0 && (h->norders != 0 || h->nlines != 0)) ||
		(h->order_class != 0 && ((uint64) h->nlines < (uint64) h->nnodes ||
								 (uint64) h->nlines > (uint64) h->rows ||
								 (h->norders == 0) != (h->rows == 0) || h->norders > h->nlines)))
		flat_corrupt("inconsistent counts");
	/* only customers with plain nodes are written in hash order */
	if ((h->flags & COHORT_HASH_ORDER) && (h->order_class != 0 || h->nexceptions != 0))
		flat_corrupt("inconsistent flags");
}

/*
 * dst += the flat state in buf.  Every length and count is checked before it
 * is used; with strict (dst was empty) duplicates are errors too.
 */
void
cs_merge_flat(ExpandedObjectHeader *dst_eoh, StringInfo buf, bool strict)
{
	CohortState *dst = (CohortState *) dst_eoh;
	CohortFlatHeader h;
	PeriodKind	period_kind;
	KeyClass	customer_class;
	KeyClass	order_class;
	uint8		flags;
	int32		max_dscale;
	int64		ignored_rows,
				rows,
				max_at;
	uint32		ncustomers,
				nnodes,
				nexceptions,
				norders,
				nlines;
	uint32	   *customer_map;
	uint32	   *order_map = NULL;
	uint64		nodes_seen = 0;
	uint64		orders_seen = 0;
	NodeBuffer	nodes = {0};
	uint64	   *node_keys;		/* the (customer, period) pairs read, sorted */
	uint32		nkeys = 0;
	uint32		prev_hash = 0;

	cs_settle(dst);
	cs_read_flat_header(buf, &h);
	period_kind = h.period_kind;
	customer_class = h.customer_class;
	order_class = h.order_class;
	flags = h.flags & ~COHORT_HASH_ORDER;
	cs_check_compatible(dst, h.time_kind, period_kind, customer_class, order_class, flags);
	max_dscale = h.max_dscale;
	ignored_rows = h.ignored_rows;
	rows = h.rows;
	max_at = h.max_at;
	ncustomers = h.ncustomers;
	nnodes = h.nnodes;
	nexceptions = h.nexceptions;
	norders = h.norders;
	nlines = h.nlines;

	cs_merge_counters(dst, ignored_rows, rows, max_at, max_dscale);

	customer_map = palloc_extended(sizeof(uint32) * Max(ncustomers, 1), MCXT_ALLOC_HUGE);
	node_keys = palloc_extended(sizeof(uint64) * Max(nnodes, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < ncustomers; i++)
	{
		KeyEntry	probe;
		KeyEntry   *e;
		bool		is_new;
		uint32		count;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		key_read(buf, customer_class, &probe);
		/* a value that says its customers are in hash order must be (customer_runs.h) */
		if (h.flags & COHORT_HASH_ORDER)
		{
			uint32		hash = entry_hash(&probe);

			if (i > 0 && hash < prev_hash)
				flat_corrupt("customers out of hash order");
			prev_hash = hash;
		}
		count = get_u32(buf);
		if (count == 0 || count > nnodes - nodes_seen)
			flat_corrupt("invalid period count of a customer");
		nodes_seen += count;
		need_bytes(buf, (Size) count * NODE_FLAT_SIZE);
		cs_buffer_reserve(&nodes, count);
		/* read forwards, store backwards: merging wants decreasing periods */
		for (uint32 j = count; j-- > 0;)
		{
			NodeData   *n = &nodes.items[j];

			n->period = read_period(buf, period_kind);
			n->orders = get_u32(buf);
			n->amount = (int64) get_u64(buf);
			if (j + 1 < count && n->period <= nodes.items[j + 1].period)
				flat_corrupt("periods of a customer out of order");
			if ((order_class == 0) != (n->orders > 0) || n->orders > NODE_ORDERS)
				flat_corrupt("invalid order count");
			if (!(flags & COHORT_HAS_AMOUNT) && n->amount != 0)
				flat_corrupt("an amount in a state without amounts");
			orders_seen += n->orders;
			/* read in (customer, period) order: node_keys stays sorted */
			node_keys[nkeys++] = node_key(i, n->period);
		}
		probe.payload = 0;
		e = cs_merge_customer_key(dst, &probe, strict, &is_new);
		customer_map[i] = e->ordinal;
		cs_merge_customer_nodes(dst, e, is_new, nodes.items, count);
	}
	if (nodes_seen != nnodes)
		flat_corrupt("period counts do not add up");
	if (order_class == 0 && orders_seen != (uint64) rows)
		flat_corrupt("order counts do not add up to the rows");

	for (uint32 i = 0; i < nexceptions; i++)
	{
		uint32		customer = get_u32(buf);
		int32		period = read_period(buf, period_kind);
		Datum		amount;

		if (customer >= ncustomers)
			flat_corrupt("invalid customer reference");
		if (!has_node(node_keys, nkeys, customer, period))
			flat_corrupt("an amount without its customer's period");
		amount = get_numeric_field(buf);
		if (amount == (Datum) 0)
			flat_corrupt("malformed numeric");
		cs_add_exception(dst, customer_map[customer], period, amount);
	}

	if (order_class)
	{
		bool		found;

		order_map = palloc_extended(sizeof(uint32) * Max(norders, 1), MCXT_ALLOC_HUGE);
		for (uint32 i = 0; i < norders; i++)
		{
			KeyEntry	probe;
			KeyEntry   *e;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key_read(buf, order_class, &probe);
			probe.payload = 0;
			e = kt_insert(&dst->c.orders, &probe, &found);
			if (found && strict)
				flat_corrupt("duplicate order key");
			order_map[i] = e->ordinal;
		}
		for (uint32 i = 0; i < nlines; i++)
		{
			uint32		order = get_u32(buf);
			uint32		customer = get_u32(buf);
			int32		period = read_period(buf, period_kind);

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (order >= norders || customer >= ncustomers)
				flat_corrupt("invalid order line reference");
			if (!has_node(node_keys, nkeys, customer, period))
				flat_corrupt("an order line without its customer's period");
			cs_merge_line(dst, order_map[order], customer_map[customer], period, strict);
		}
		pfree(order_map);
	}
	if (buf->cursor != buf->len)
		flat_corrupt("trailing bytes");
	pfree(customer_map);
	pfree(node_keys);
	if (nodes.items)
		pfree(nodes.items);
}

/* A new expanded state under parent, read and validated from flat bytes. */
ExpandedObjectHeader *
cs_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	CohortState *s;

	if (len < 6)
		flat_corrupt("value is truncated");
	flat_reader_init(&buf, data, len);
	s = cs_new(parent, (uint8) data[1], (uint8) data[2], (uint8) data[3], (uint8) data[4],
			   (uint8) data[5] & ~COHORT_HASH_ORDER);
	cs_merge_flat(&s->c.hdr, &buf, true);
	return &s->c.hdr;
}

/* ---- the SQL type cohort_state ---- */

STATE_TYPE_IO_FUNCTIONS(cohort_state, cs_kind)
