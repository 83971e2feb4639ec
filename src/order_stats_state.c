/*
 * order_stats_state.c
 *		The order_stats transition state: an expanded object, its flat form,
 *		merging (the combine step) and the SQL type order_stats_state.
 *
 * Flat form (all integers little-endian, see flat_io.h):
 *   version u8, time_kind u8, customer_class u8, order_class u8,
 *   ignored_rows u64, rows u64, min_at u64, max_at u64,
 *   amount sum (money_sum.c),
 *   norders u32, ncustomers u32,
 *   orders:    key, earliest line time u64         (line mode only)
 *   customers: key, payload u64
 * A key is 8 bytes (integers), 16 bytes (uuid) or u32 length + bytes (text).
 * Orders come first, in ordinal order, so that a reader can map the customers'
 * order references (ordinals) as it goes.
 */
#include "order_stats_state.h"

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
os_create(MemoryContext parent, TimeKind time_kind, KeyClass customer_class, KeyClass order_class)
{
	/* small initial sizes: GROUP BY may create one state per customer */
	MemoryContext cxt = AllocSetContextCreate(parent, "order_stats state", ALLOCSET_SMALL_SIZES);
	OrderStatsState *s = MemoryContextAllocZero(cxt, sizeof(OrderStatsState));

	EOH_init_header(&s->hdr, &os_methods, cxt);
	s->budget.cxt = cxt;
	s->budget.used = sizeof(OrderStatsState);
	s->time_kind = time_kind;
	s->customer_class = customer_class;
	s->order_class = order_class;
	kt_init(&s->customers, &s->budget);
	kt_init(&s->orders, &s->budget);
	money_init(&s->revenue, cxt);
	return s;
}

static Size
table_flat_size(const KeyTable *kt, KeyClass cls)
{
	/* key (+ length) and the 8-byte payload per entry; text adds its bytes */
	Size		per_entry = key_flat_size(cls) + 8;

	return mul_size(kt->nentries, per_entry) + (cls == KEY_BYTES ? kt->key_bytes : 0);
}

static Size
os_get_flat_size(ExpandedObjectHeader *eohptr)
{
	OrderStatsState *s = (OrderStatsState *) eohptr;
	MemoryContext old = state_scratch_begin(eohptr);
	Size		size;

	os_flush(s);
	size = VARHDRSZ + HEADER_SIZE + money_flat_size(&s->revenue) + 8;

	size = add_size(size, table_flat_size(&s->customers, s->customer_class));
	if (s->order_class)
		size = add_size(size, table_flat_size(&s->orders, s->order_class));
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
 * Entries go out in ordinal order: the customers' order references are
 * ordinals, and a reader inserting them in hash (slot) order would pile them
 * up in its own table.  The output also does not depend on the table's layout.
 */
static char *
put_table(char *p, const KeyTable *kt, KeyClass cls)
{
	KeyEntry  **by_ordinal = kt_by_ordinal(kt);

	for (uint32 i = 0; i < kt->nentries; i++)
		p = put_entry(p, by_ordinal[i], cls);
	pfree(by_ordinal);
	return p;
}

static void
os_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	OrderStatsState *s = (OrderStatsState *) eohptr;
	char	   *start = (char *) result;
	char	   *p = start + VARHDRSZ;
	MemoryContext old = state_scratch_begin(eohptr);

	os_flush(s);
	p = put_u8(p, ORDER_STATS_STATE_VERSION);
	p = put_u8(p, s->time_kind);
	p = put_u8(p, s->customer_class);
	p = put_u8(p, s->order_class);
	p = put_u64(p, (uint64) s->ignored_rows);
	p = put_u64(p, (uint64) s->rows);
	p = put_u64(p, (uint64) s->min_at);
	p = put_u64(p, (uint64) s->max_at);
	p = money_flatten(&s->revenue, p);
	p = put_u32(p, s->order_class ? s->orders.nentries : 0);
	p = put_u32(p, s->customers.nentries);
	if (s->order_class)
		p = put_table(p, &s->orders, s->order_class);
	p = put_table(p, &s->customers, s->customer_class);
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
		e = kt_insert(&s->customers, customer, &found);
		if (found)
			e->payload++;
	}
	else
	{
		KeyEntry	c = *customer;

		e = kt_insert(&s->orders, order, &found);
		/* an order's time is its earliest line */
		if (found && (int64) order->payload < (int64) e->payload)
			e->payload = order->payload;
		c.payload = e->ordinal;
		e = kt_insert(&s->customers, &c, &found);
		if (found && !(e->payload & CUSTOMER_MULTI) &&
			(e->payload & CUSTOMER_ORDER_MASK) != c.payload)
			e->payload |= CUSTOMER_MULTI;
	}
}

void
os_flush(OrderStatsState *s)
{
	PendingRows *p = s->pending;

	if (p == NULL || p->n == 0)
		return;
	for (int i = 0; i < p->n; i++)
		apply_row(s, &p->rows[i].customer, s->order_class ? &p->rows[i].order : NULL);
	p->n = 0;
	p->key_bytes_used = 0;
}

/* Park a long key's bytes until the next flush (the caller's copy is per row). */
static void
pending_copy_key(OrderStatsState *s, KeyEntry *k)
{
	PendingRows *p = s->pending;
	char	   *dst = p->key_bytes + p->key_bytes_used;

	memcpy(dst, (const char *) (uintptr_t) k->w0, k->len);
	k->w0 = (uint64) (uintptr_t) dst;
	p->key_bytes_used += k->len;
}

/*
 * Count one row: customer's payload is 1 when rows are orders; order (line
 * mode, else NULL) carries the line's time as payload.
 */
void
os_add_row(OrderStatsState *s, KeyEntry *customer, KeyEntry *order)
{
	PendingRows *p = s->pending;
	PendingRow *row;
	Size		long_bytes = 0;

	if (p == NULL)
	{
		apply_row(s, customer, order);
		if (s->customers.nslots >= KT_PREFETCH_FROM_SLOTS ||
			(order && s->orders.nslots >= KT_PREFETCH_FROM_SLOTS))
		{
			s->pending = budget_alloc(&s->budget, sizeof(PendingRows));
			memset(s->pending, 0, sizeof(PendingRows));
		}
		return;
	}

	if (customer->len > KEY_INLINE_MAX)
		long_bytes += customer->len;
	if (order && order->len > KEY_INLINE_MAX)
		long_bytes += order->len;
	if (long_bytes > p->key_bytes_size - p->key_bytes_used)
	{
		os_flush(s);
		if (long_bytes > p->key_bytes_size)
		{
			Size		size = Max(long_bytes, 2 * p->key_bytes_size);

			if (p->key_bytes)
				budget_free(&s->budget, p->key_bytes, p->key_bytes_size);
			p->key_bytes = budget_alloc(&s->budget, Max(size, 1024));
			p->key_bytes_size = Max(size, 1024);
		}
	}

	row = &p->rows[p->n++];
	row->customer = *customer;
	if (customer->len > KEY_INLINE_MAX)
		pending_copy_key(s, &row->customer);
	kt_prefetch(&s->customers, &row->customer);
	if (order)
	{
		row->order = *order;
		if (order->len > KEY_INLINE_MAX)
			pending_copy_key(s, &row->order);
		kt_prefetch(&s->orders, &row->order);
	}
	if (p->n == PENDING_ROWS)
		os_flush(s);
}

/* ---- merging ---------------------------------------------------------- */

static void
check_compatible(const OrderStatsState *dst, TimeKind time_kind, KeyClass customer_class,
				 KeyClass order_class)
{
	if (dst->time_kind != time_kind || dst->customer_class != customer_class ||
		dst->order_class != order_class)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine order_stats states of different kinds"),
				 errdetail("One state has %s customers, %s order keys and %s times, the other %s, %s and %s.",
						   key_class_name(dst->customer_class),
						   dst->order_class ? key_class_name(dst->order_class) : "no",
						   time_kind_name(dst->time_kind),
						   key_class_name(customer_class),
						   order_class ? key_class_name(order_class) : "no",
						   time_kind_name(time_kind))));
}

static void
merge_counters(OrderStatsState *dst, int64 ignored_rows, int64 rows, int64 min_at, int64 max_at)
{
	if (rows > 0)
	{
		if (dst->rows == 0 || min_at < dst->min_at)
			dst->min_at = min_at;
		if (dst->rows == 0 || max_at > dst->max_at)
			dst->max_at = max_at;
	}
	if (pg_add_s64_overflow(dst->rows, rows, &dst->rows) ||
		pg_add_s64_overflow(dst->ignored_rows, ignored_rows, &dst->ignored_rows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order_stats row count out of range"),
				 errhint("The states combined count more than 9223372036854775807 rows.")));
}

/* Add one order (line mode); returns its ordinal in dst. */
static inline uint32
merge_order(OrderStatsState *dst, const KeyEntry *probe, bool strict)
{
	bool		found;
	KeyEntry   *e = kt_insert(&dst->orders, probe, &found);

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
	KeyEntry   *e = kt_insert(&dst->customers, probe, &found);

	if (!found)
		return;
	if (strict)
		flat_corrupt("duplicate customer key");
	if (dst->order_class == 0)
		e->payload += probe->payload;
	else if (!(e->payload & CUSTOMER_MULTI) &&
			 ((probe->payload & CUSTOMER_MULTI) ||
			  (e->payload & CUSTOMER_ORDER_MASK) != (probe->payload & CUSTOMER_ORDER_MASK)))
		e->payload |= CUSTOMER_MULTI;
}

/* dst += src, both expanded; entries are taken in ordinal order (see put_table) */
static void
os_merge(OrderStatsState *dst, OrderStatsState *src)
{
	uint32	   *map = NULL;
	KeyEntry  **entries;

	os_flush(src);

	check_compatible(dst, src->time_kind, src->customer_class, src->order_class);
	merge_counters(dst, src->ignored_rows, src->rows, src->min_at, src->max_at);
	money_merge(&dst->revenue, &src->revenue);
	if (src->order_class)
	{
		map = palloc_extended(sizeof(uint32) * Max(src->orders.nentries, 1), MCXT_ALLOC_HUGE);
		entries = kt_by_ordinal(&src->orders);
		for (uint32 i = 0; i < src->orders.nentries; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			map[i] = merge_order(dst, entries[i], false);
		}
		pfree(entries);
	}
	entries = kt_by_ordinal(&src->customers);
	for (uint32 i = 0; i < src->customers.nentries; i++)
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
 * dst += the flat state in buf.  Every length and count is checked before
 * it is used; with strict (dst was empty) the state's own invariants are
 * checked too.
 */
static void
os_merge_flat(OrderStatsState *dst, StringInfo buf, bool strict)
{
	uint8		version = get_u8(buf);
	TimeKind	time_kind;
	KeyClass	customer_class,
				order_class;
	int64		ignored_rows,
				rows,
				min_at,
				max_at;
	MoneySum	money;
	uint32		norders,
				ncustomers;
	uint32	   *map = NULL;
	int64		counted = 0;

	if (version != ORDER_STATS_STATE_VERSION)
		flat_corrupt(psprintf("unknown format version %d", version));
	time_kind = get_u8(buf);
	customer_class = get_u8(buf);
	order_class = get_u8(buf);
	if (time_kind < TIME_TIMESTAMPTZ || time_kind > TIME_DATE ||
		customer_class < KEY_INT || customer_class > KEY_BYTES ||
		order_class > KEY_BYTES)
		flat_corrupt("unknown key or time kind");
	check_compatible(dst, time_kind, customer_class, order_class);
	ignored_rows = (int64) get_u64(buf);
	rows = (int64) get_u64(buf);
	min_at = (int64) get_u64(buf);
	max_at = (int64) get_u64(buf);
	if (ignored_rows < 0 || rows < 0)
		flat_corrupt("negative row count");
	if (rows > 0)
	{
		check_time(min_at);
		check_time(max_at);
		if (min_at > max_at)
			flat_corrupt("first time after last time");
	}
	money_init(&money, CurrentMemoryContext);
	money_read(&money, buf);
	if (money.count > rows)
		flat_corrupt("more amounts than rows");
	norders = get_u32(buf);
	ncustomers = get_u32(buf);
	/* each entry takes at least its fixed key part and payload */
	if ((uint64) norders * (key_flat_size(order_class ? order_class : KEY_INT) + 8) +
		(uint64) ncustomers * (key_flat_size(customer_class) + 8) >
		(uint64) (buf->len - buf->cursor))
		flat_corrupt("entry counts exceed the value's size");
	if ((order_class == 0 && norders != 0) ||
		(ncustomers == 0) != (rows == 0) ||
		(uint64) ncustomers > (uint64) rows ||
		(order_class != 0 && ((norders == 0) != (rows == 0) || (uint64) norders > (uint64) rows)))
		flat_corrupt("inconsistent counts");

	merge_counters(dst, ignored_rows, rows, min_at, max_at);
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

static void
flat_header_kinds(StringInfo buf, TimeKind *time_kind, KeyClass *customer_class,
				  KeyClass *order_class)
{
	if (buf->len < 4)
		flat_corrupt("value is truncated");
	*time_kind = (uint8) buf->data[1];
	*customer_class = (uint8) buf->data[2];
	*order_class = (uint8) buf->data[3];
}

/* A new expanded state under parent, read and fully validated from flat bytes. */
static OrderStatsState *
os_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	TimeKind	time_kind;
	KeyClass	customer_class,
				order_class;
	OrderStatsState *s;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	flat_header_kinds(&buf, &time_kind, &customer_class, &order_class);
	s = os_create(parent, time_kind, customer_class, order_class);
	os_merge_flat(s, &buf, true);
	return s;
}

/* ---- the StateKind (agg_state.h) ---------------------------------------- */

static ExpandedObjectHeader *
os_copy_eoh(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	OrderStatsState *src = (OrderStatsState *) eoh;
	OrderStatsState *s = os_create(parent, src->time_kind, src->customer_class, src->order_class);

	s->customer_type = src->customer_type;
	s->order_type = src->order_type;
	os_merge(s, src);
	return &s->hdr;
}

static ExpandedObjectHeader *
os_from_flat_eoh(const char *data, Size len, MemoryContext parent)
{
	return &os_from_flat(data, len, parent)->hdr;
}

static void
os_merge_eoh(ExpandedObjectHeader *dst, ExpandedObjectHeader *src)
{
	os_merge((OrderStatsState *) dst, (OrderStatsState *) src);
}

static void
os_merge_flat_eoh(ExpandedObjectHeader *dst, StringInfo buf)
{
	os_merge_flat((OrderStatsState *) dst, buf, false);
}

const StateKind os_kind = {
	"order_stats_state",
	&os_methods,
	os_copy_eoh,
	os_from_flat_eoh,
	os_merge_eoh,
	os_merge_flat_eoh
};

/* Time of the last order: in line mode the latest of the orders' earliest lines. */
int64
os_last_order_at(OrderStatsState *s)
{
	int64		last;

	os_flush(s);
	if (s->order_class == 0)
		return s->max_at;
	last = s->min_at;
	for (KeyEntry *e = kt_first(&s->orders); e; e = kt_next(&s->orders, e))
	{
		if ((e->ordinal & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if ((int64) e->payload > last)
			last = (int64) e->payload;
	}
	return last;
}

/* ---- the SQL type order_stats_state ---- */

STATE_TYPE_IO_FUNCTIONS(order_stats_state, os_kind)
