/*
 * order_stats_state.c
 *		The order_stats transition state (order_stats_state.h): adding rows,
 *		merging (the combine step), its flat form and the SQL type
 *		order_stats_state.
 *
 * Flat form (all integers little-endian, see flat_io.h):
 *   version u8, time_kind u8, customer_class u8,
 *   order_class u8 (| ORDER_STATS_HASH_ORDER),
 *   ignored_rows u64, rows u64, min_at u64, max_at u64,
 *   amount sum (money.c),
 *   norders u32, ncustomers u32,
 *   orders:    key, earliest line time u64         (line mode only)
 *   customers: key, payload u64
 * A key is 8 bytes (integers), 16 bytes (uuid) or u32 length + bytes (text).
 * Orders come first, in ordinal order, so that a reader can map the customers'
 * order references (ordinals) as it goes.  When rows are orders, the
 * customers come in hash order, flagged ORDER_STATS_HASH_ORDER, so that the
 * leader of a parallel plan can keep the states as runs (customer_runs.h,
 * order_stats_runs.c); in line mode they come in ordinal order.
 */
#include "order_stats_state.h"
#include "customer_runs.h"

#include "flat_io.h"
#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"


#define HEADER_SIZE (4 + 4 * 8)

static Size os_get_flat_size(ExpandedObjectHeader *eohptr);
static void os_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods os_methods = {
	os_get_flat_size,
	os_flatten_into
};

OrderStatsState *
os_new(MemoryContext parent, TimeKind time_kind, KeyClass customer_class, KeyClass order_class)
{
	OrderStatsState *s = (OrderStatsState *)
		customer_state_create(parent, sizeof(OrderStatsState), "order_stats state", &os_methods,
							  time_kind, customer_class, order_class, 0);

	money_init(&s->revenue, s->c.budget.cxt);
	return s;
}

/* A new state for the rows of a call (CustomerStateCreate). */
CustomerState *
os_create(MemoryContext parent, const AggArgs *a)
{
	return &os_new(parent, a->time_kind, a->customer_class, a->order_class)->c;
}

static Size
table_flat_size(const KeyTable *kt, KeyClass cls)
{
	/* key (+ length) and the 8-byte payload per entry; text adds its bytes */
	Size		per_entry = key_flat_size(cls) + 8;

	return mul_size(kt->nentries, per_entry) + (cls == KEY_BYTES ? kt->key_bytes : 0);
}

/* The size of s's flat form up to its tables. */
Size
os_flat_header_size(const OrderStatsState *s)
{
	return VARHDRSZ + HEADER_SIZE + money_flat_size(&s->revenue) + 8;
}

/* Write s's flat form up to its tables at start (a varlena); returns where they go. */
char *
os_put_flat_header(const OrderStatsState *s, char *start, uint32 ncustomers, bool hash_order)
{
	char	   *p = start + VARHDRSZ;

	p = put_u8(p, ORDER_STATS_STATE_VERSION);
	p = put_u8(p, s->c.time_kind);
	p = put_u8(p, s->c.customer_class);
	p = put_u8(p, s->c.order_class | (hash_order ? ORDER_STATS_HASH_ORDER : 0));
	p = put_u64(p, (uint64) s->c.ignored_rows);
	p = put_u64(p, (uint64) s->c.rows);
	p = put_u64(p, (uint64) s->min_at);
	p = put_u64(p, (uint64) s->c.max_at);
	p = money_flatten(&s->revenue, p);
	p = put_u32(p, s->c.order_class ? s->c.orders.nentries : 0);
	p = put_u32(p, ncustomers);
	return p;
}

static Size
os_get_flat_size(ExpandedObjectHeader *eohptr)
{
	OrderStatsState *s = (OrderStatsState *) eohptr;
	MemoryContext old;
	Size		size;

	/* a partial state that logged its rows sorts them (order_stats_log.c) */
	if (s->log && os_log_flat_size(s, &size))
		return size;
	os_settle(s);
	customer_state_refuse_spilled(&s->c, "order_stats");
	old = state_scratch_begin(eohptr);
	os_flush(s);
	size = os_flat_header_size(s);

	size = add_size(size, table_flat_size(&s->c.customers, s->c.customer_class));
	if (s->c.order_class)
		size = add_size(size, table_flat_size(&s->c.orders, s->c.order_class));
	state_scratch_end(old);
	budget_check_flat_size(size);
	return size;
}

static inline char *
put_entry(char *p, const KeyEntry *e, KeyClass cls)
{
	if ((e->ordinal & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	p = key_put(p, cls, e);
	return put_u64(p, e->payload);
}

/*
 * Entries go out in ordinal order, or in hash order (kt_by_hash, by the whole
 * 32-bit hash, not by slot): the customers' order references are ordinals,
 * and a reader inserting entries in slot order would pile them up in its own
 * table.  The output also does not depend on the table's layout.
 */
static char *
put_table(char *p, const KeyTable *kt, KeyClass cls, bool hash_order)
{
	KeyEntry  **entries = hash_order ? kt_by_hash(kt) : kt_by_ordinal(kt);

	for (uint32 i = 0; i < kt->nentries; i++)
		p = put_entry(p, entries[i], cls);
	pfree(entries);
	return p;
}

static void
os_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	OrderStatsState *s = (OrderStatsState *) eohptr;
	char	   *start = (char *) result;
	char	   *p;
	MemoryContext old;
	/* customers in hash order let the leader of a parallel plan merge states as runs */
	bool		hash_order = s->c.order_class == 0;

	if (s->log)
	{
		os_log_flatten(s, start, allocated_size);
		return;
	}
	old = state_scratch_begin(eohptr);
	os_flush(s);
	p = os_put_flat_header(s, start, s->c.customers.nentries, hash_order);
	if (s->c.order_class)
		p = put_table(p, &s->c.orders, s->c.order_class, false);
	p = put_table(p, &s->c.customers, s->c.customer_class, hash_order);
	state_scratch_end(old);
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "order_stats state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

/* ---- rows --------------------------------------------------------------- */

/* Apply one counted row to the tables (see order_stats_agg.c for the rules). */
static inline void
apply_row(OrderStatsState *s, const KeyEntry *customer, const KeyEntry *order)
{
	bool		found;
	KeyEntry   *e;

	if (order == NULL)
	{
		e = kt_insert(&s->c.customers, customer, &found);
		if (found)
			e->payload++;
	}
	else
	{
		KeyEntry	c = *customer;

		e = kt_insert(&s->c.orders, order, &found);
		/* an order's time is its earliest line */
		if (found && (int64) order->payload < (int64) e->payload)
			e->payload = order->payload;
		c.payload = e->ordinal;
		e = kt_insert(&s->c.customers, &c, &found);
		if (found && !(e->payload & CUSTOMER_MULTI) &&
			(e->payload & CUSTOMER_ORDER_MASK) != c.payload)
			e->payload |= CUSTOMER_MULTI;
	}
}

/*
 * A row of a spilling state (rows are orders): a customer in memory counts
 * it there (that allocates nothing), any other goes to its partition file.
 */
static inline void
spill_row(OrderStatsState *s, const KeyEntry *customer)
{
	KeyEntry   *e = kt_find(&s->c.customers, customer);

	if (e)
		e->payload++;
	else
		spill_write(s->c.spill, customer, 0, 0, NULL, 0);
}

void
os_flush(OrderStatsState *s)
{
	RowBatch   *b = s->c.batch;

	if (unlikely(s->log != NULL))
		os_log_replay(s);
	if (b == NULL || b->n == 0)
		return;
	for (int i = 0; i < b->n; i++)
	{
		if (s->c.spill)
			spill_row(s, &b->rows[i].customer);
		else
			apply_row(s, &b->rows[i].customer, s->c.order_class ? &b->rows[i].order : NULL);
	}
	row_batch_clear(b);
}

/*
 * Count one row: customer's payload is 1 when rows are orders; order (line
 * mode, else NULL) carries the line's time as payload.
 */
void
os_add_row(OrderStatsState *s, KeyEntry *customer, KeyEntry *order)
{
	RowBatch   *b = s->c.batch;

	/* a partial state logs the customers of its orders (order_stats_log.c) */
	if (unlikely(s->log != NULL))
	{
		if (order == NULL && os_log_push(s, customer))
			return;
		/* an order line, or the log would outgrow the budget */
		os_log_replay(s);
	}
	if (s->c.spill_ok && s->c.spill == NULL && !customer_state_has_room(&s->c, customer, 0))
	{
		/* the rows parked so far fit (has_room counted them): apply them first */
		os_flush(s);
		customer_state_begin_spill(&s->c, "order_stats");
	}
	if (s->c.spill)
	{
		Assert(order == NULL);
		if (b == NULL || !row_batch_has_room(b, customer, NULL))
		{
			os_flush(s);
			spill_row(s, customer);
			return;
		}
		row_batch_push(b, customer, NULL, &s->c.customers, &s->c.orders);
		if (row_batch_full(b))
			os_flush(s);
		return;
	}
	if (b == NULL)
	{
		apply_row(s, customer, order);
		if (customer_state_needs_batch(&s->c))
			s->c.batch = row_batch_create(&s->c.budget);
		return;
	}
	if (!row_batch_has_room(b, customer, order))
	{
		os_flush(s);
		row_batch_make_room(b, &s->c.budget, customer, order);
	}
	row_batch_push(b, customer, order, &s->c.customers, &s->c.orders);
	if (row_batch_full(b))
		os_flush(s);
}

/* ---- merging ---------------------------------------------------------- */

void
os_check_compatible(const OrderStatsState *dst, TimeKind time_kind, KeyClass customer_class,
				 KeyClass order_class)
{
	if (dst->c.time_kind != time_kind || dst->c.customer_class != customer_class ||
		dst->c.order_class != order_class)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine order_stats states of different kinds"),
				 errdetail("One state has %s customers, %s order keys and %s times, the other %s, %s and %s.",
						   key_class_name(dst->c.customer_class),
						   dst->c.order_class ? key_class_name(dst->c.order_class) : "no",
						   time_kind_name(dst->c.time_kind),
						   key_class_name(customer_class),
						   order_class ? key_class_name(order_class) : "no",
						   time_kind_name(time_kind))));
}

static void
merge_counters(OrderStatsState *dst, int64 ignored_rows, int64 rows, int64 min_at, int64 max_at)
{
	if (rows > 0 && (dst->c.rows == 0 || min_at < dst->min_at))
		dst->min_at = min_at;
	customer_state_add_counts(&dst->c, "order_stats", ignored_rows, rows, max_at);
}

/* Add one order (line mode); returns its ordinal in dst. */
static inline uint32
merge_order(OrderStatsState *dst, const KeyEntry *probe, bool strict)
{
	bool		found;
	KeyEntry   *e = kt_insert(&dst->c.orders, probe, &found);

	if (found)
	{
		if (strict)
			flat_corrupt("duplicate order key");
		if ((int64) probe->payload < (int64) e->payload)
			e->payload = probe->payload;
	}
	return e->ordinal;
}

/*
 * Add one customer.  payload is the count (rows are orders) or, in line
 * mode, the dst ordinal of one of its orders plus the CUSTOMER_MULTI flag.
 */
static inline void
merge_customer(OrderStatsState *dst, const KeyEntry *probe, bool strict)
{
	bool		found;
	KeyEntry   *e = kt_insert(&dst->c.customers, probe, &found);

	if (!found)
		return;
	if (strict)
		flat_corrupt("duplicate customer key");
	if (dst->c.order_class == 0)
		e->payload += probe->payload;
	else if (!(e->payload & CUSTOMER_MULTI) &&
			 ((probe->payload & CUSTOMER_MULTI) ||
			  (e->payload & CUSTOMER_ORDER_MASK) != (probe->payload & CUSTOMER_ORDER_MASK)))
		e->payload |= CUSTOMER_MULTI;
}

/* dst += src, both expanded; entries are taken in ordinal order (see put_table) */
static void
os_merge(ExpandedObjectHeader *dst_eoh, ExpandedObjectHeader *src_eoh)
{
	OrderStatsState *dst = (OrderStatsState *) dst_eoh;
	OrderStatsState *src = (OrderStatsState *) src_eoh;
	uint32	   *map = NULL;
	KeyEntry  **entries;

	os_settle(src);
	os_settle(dst);
	customer_state_refuse_spilled(&src->c, "order_stats");
	customer_state_refuse_spilled(&dst->c, "order_stats");
	os_flush(src);

	os_check_compatible(dst, src->c.time_kind, src->c.customer_class, src->c.order_class);
	merge_counters(dst, src->c.ignored_rows, src->c.rows, src->min_at, src->c.max_at);
	money_merge(&dst->revenue, &src->revenue);
	if (src->c.order_class)
	{
		map = palloc_extended(sizeof(uint32) * Max(src->c.orders.nentries, 1), MCXT_ALLOC_HUGE);
		entries = kt_by_ordinal(&src->c.orders);
		for (uint32 i = 0; i < src->c.orders.nentries; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			map[i] = merge_order(dst, entries[i], false);
		}
		pfree(entries);
	}
	entries = kt_by_ordinal(&src->c.customers);
	for (uint32 i = 0; i < src->c.customers.nentries; i++)
	{
		KeyEntry	probe = *entries[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (map)
			probe.payload = (probe.payload & CUSTOMER_MULTI) |
				map[probe.payload & CUSTOMER_ORDER_MASK];
		merge_customer(dst, &probe, false);
	}
	pfree(entries);
	if (map)
		pfree(map);
}

static void
check_time(int64 t)
{
	if (!IS_VALID_TIMESTAMP(t))
		flat_corrupt("time out of range");
}

/*
 * Read and check the fixed part of a flat state, up to and including its
 * entry counts; money gets its amount sum (in the current memory context).
 */
void
os_read_flat_header(StringInfo buf, OrderStatsFlatHeader *h, MoneySum *money)
{
	uint8		version = get_u8(buf);
	uint8		order_byte;

	if (version != ORDER_STATS_STATE_VERSION)
		flat_corrupt(psprintf("unknown format version %d", version));
	h->time_kind = get_u8(buf);
	h->customer_class = get_u8(buf);
	order_byte = get_u8(buf);
	h->order_class = order_byte & ~ORDER_STATS_HASH_ORDER;
	h->hash_order = (order_byte & ORDER_STATS_HASH_ORDER) != 0;
	if (h->time_kind < TIME_TIMESTAMPTZ || h->time_kind > TIME_DATE ||
		h->customer_class < KEY_INT || h->customer_class > KEY_BYTES ||
		h->order_class > KEY_BYTES)
		flat_corrupt("unknown key or time kind");
	/* only the customers of rows that are orders are written in hash order */
	if (h->hash_order && h->order_class != 0)
		flat_corrupt("inconsistent flags");
	h->ignored_rows = (int64) get_u64(buf);
	h->rows = (int64) get_u64(buf);
	h->min_at = (int64) get_u64(buf);
	h->max_at = (int64) get_u64(buf);
	if (h->ignored_rows < 0 || h->rows < 0)
		flat_corrupt("negative row count");
	if (h->rows > 0)
	{
		check_time(h->min_at);
		check_time(h->max_at);
		if (h->min_at > h->max_at)
			flat_corrupt("first time after last time");
	}
	money_init(money, CurrentMemoryContext);
	money_read(money, buf);
	if (money->count > h->rows)
		flat_corrupt("more amounts than rows");
	h->norders = get_u32(buf);
	h->ncustomers = get_u32(buf);
	/* each entry takes at least its fixed key part and payload */
	if ((uint64) h->norders * (key_flat_size(h->order_class ? h->order_class : KEY_INT) + 8) +
		(uint64) h->ncustomers * (key_flat_size(h->customer_class) + 8) >
		(uint64) (buf->len - buf->cursor))
		flat_corrupt("entry counts exceed the value's size");
	if ((h->order_class == 0 && h->norders != 0) ||
		(h->ncustomers == 0) != (h->rows == 0) ||
		(uint64) h->ncustomers > (uint64) h->rows ||
		(h->order_class != 0 && ((h->norders == 0) != (h->rows == 0) ||
								 (uint64) h->norders > (uint64) h->rows)))
		flat_corrupt("inconsistent counts");
}

/*
 * dst += the flat state in buf.  Every length and count is checked before
 * it is used; with strict (dst was empty) the state's own invariants are
 * checked too.
 */
static void
os_merge_flat(ExpandedObjectHeader *dst_eoh, StringInfo buf, bool strict)
{
	OrderStatsState *dst = (OrderStatsState *) dst_eoh;
	OrderStatsFlatHeader h;
	KeyClass	customer_class,
				order_class;
	int64		rows,
				min_at,
				max_at;
	MoneySum	money;
	uint32		norders,
				ncustomers;
	uint32	   *map = NULL;
	int64		counted = 0;
	uint32		prev_hash = 0;

	os_settle(dst);
	os_read_flat_header(buf, &h, &money);
	os_check_compatible(dst, h.time_kind, h.customer_class, h.order_class);
	customer_class = h.customer_class;
	order_class = h.order_class;
	rows = h.rows;
	min_at = h.min_at;
	max_at = h.max_at;
	norders = h.norders;
	ncustomers = h.ncustomers;

	merge_counters(dst, h.ignored_rows, rows, min_at, max_at);
	money_merge(&dst->revenue, &money);

	if (order_class)
	{
		map = palloc_extended(sizeof(uint32) * Max(norders, 1), MCXT_ALLOC_HUGE);
		for (uint32 i = 0; i < norders; i++)
		{
			KeyEntry	probe;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key_read(buf, order_class, &probe);
			probe.payload = get_u64(buf);
			check_time((int64) probe.payload);
			if ((int64) probe.payload < min_at || (int64) probe.payload > max_at)
				flat_corrupt("order time outside the state's time range");
			map[i] = merge_order(dst, &probe, strict);
		}
	}
	for (uint32 i = 0; i < ncustomers; i++)
	{
		KeyEntry	probe;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		key_read(buf, customer_class, &probe);
		/* a value that says its customers are in hash order must be (customer_runs.h) */
		if (h.hash_order)
		{
			uint32		hash = entry_hash(&probe);

			if (i > 0 && hash < prev_hash)
				flat_corrupt("customers out of hash order");
			prev_hash = hash;
		}
		probe.payload = get_u64(buf);
		if (order_class == 0)
		{
			if (probe.payload == 0 || probe.payload > (uint64) (rows - counted))
				flat_corrupt("invalid customer order count");
			counted += (int64) probe.payload;
		}
		else
		{
			uint64		index = probe.payload & CUSTOMER_ORDER_MASK;

			if ((probe.payload & ~(CUSTOMER_MULTI | CUSTOMER_ORDER_MASK)) != 0 || index >= norders)
				flat_corrupt("invalid customer order reference");
			probe.payload = (probe.payload & CUSTOMER_MULTI) | map[index];
		}
		merge_customer(dst, &probe, strict);
	}
	if (order_class == 0 && counted != rows)
		flat_corrupt("customer order counts do not add up to the rows");
	if (buf->cursor != buf->len)
		flat_corrupt("trailing bytes");
	if (map)
		pfree(map);
}

/* A new expanded state under parent, read and fully validated from flat bytes. */
static ExpandedObjectHeader *
os_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	OrderStatsState *s;

	if (len < 4)
		flat_corrupt("value is truncated");
	flat_reader_init(&buf, data, len);
	s = os_new(parent, (uint8) data[1], (uint8) data[2], (uint8) data[3] & ~ORDER_STATS_HASH_ORDER);
	os_merge_flat(&s->c.hdr, &buf, true);
	return &s->c.hdr;
}

/* ---- the StateKind (agg_state.h) ---------------------------------------- */

static ExpandedObjectHeader *
os_copy(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	OrderStatsState *src = (OrderStatsState *) eoh;
	OrderStatsState *s = os_new(parent, src->c.time_kind, src->c.customer_class, src->c.order_class);

	os_merge(&s->c.hdr, eoh);
	return &s->c.hdr;
}

static void
os_settle_eoh(ExpandedObjectHeader *eoh)
{
	os_settle((OrderStatsState *) eoh);
}

const StateKind os_kind = {
	"order_stats_state",
	&os_methods,
	os_copy,
	os_from_flat,
	os_merge,
	os_merge_flat,
	os_settle_eoh
};

/* Time of the last order: in line mode the latest of the orders' earliest lines. */
int64
os_last_order_at(OrderStatsState *s)
{
	int64		last;

	os_flush(s);
	if (s->c.order_class == 0)
		return s->c.max_at;
	last = s->min_at;
	for (KeyEntry *e = kt_first(&s->c.orders); e; e = kt_next(&s->c.orders, e))
	{
		if ((e->ordinal & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if ((int64) e->payload > last)
			last = (int64) e->payload;
	}
	return last;
}

/*
 * The distinct customers of the state and how many of them ordered more than
 * once.  Of a state that spilled: those in memory, plus those of each
 * partition file, read back into a state of their own (which may spill in
 * turn).  The state itself is only read (the batch applied), as a final
 * function must.
 */
void
os_customer_counts(OrderStatsState *s, int64 *customers, int64 *repeat_customers)
{
	StateSpill *sp = s->c.spill;

	os_flush(s);
	*customers += s->c.customers.nentries;
	for (KeyEntry *e = kt_first(&s->c.customers); e; e = kt_next(&s->c.customers, e))
	{
		if ((e->ordinal & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (s->c.order_class ? (e->payload & CUSTOMER_MULTI) != 0 : e->payload >= 2)
			(*repeat_customers)++;
	}
	if (sp == NULL)
		return;
	spill_report(sp);
	for (int part = 0; part < spill_npartitions(sp); part++)
	{
		OrderStatsState *ps;
		SpillRecord rec;

		if (!spill_rewind(sp, part))
			continue;
		ps = os_new(CurrentMemoryContext, s->c.time_kind, s->c.customer_class, s->c.order_class);
		ps->c.spill_ok = true;
		ps->c.spill_level = spill_level(sp) + 1;
		while (spill_read(sp, part, &rec))
		{
			rec.customer.payload = 1;
			os_add_row(ps, &rec.customer, NULL);
		}
		os_customer_counts(ps, customers, repeat_customers);
		MemoryContextDelete(ps->c.hdr.eoh_context);
	}
}

/* ---- the SQL type order_stats_state ---- */

STATE_TYPE_IO_FUNCTIONS(order_stats_state, os_kind)
