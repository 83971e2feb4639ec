/*
 * rfm_agg_state.c
 *		The rfm_agg state (rfm_agg_state.h): customers' period blocks, adding
 *		rows, merging, the flat form and its validated reader, the SQL type.
 */
#include "rfm_agg_state.h"
#include "customer_runs.h"

#include "flat_io.h"

#include "catalog/pg_type_d.h"
#include "common/int.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#define TAIL_MIN 8				/* a tail shorter than this is never sorted in */
#define ARENA_CHUNK (256 * 1024)	/* blocks up to ARENA_BLOCK_MAX come from chunks */
#define ARENA_CHUNK_MIN 4096	/* of the state's first chunk; each next one doubles */
#define ARENA_BLOCK_MAX 8192

StaticAssertDecl(sizeof(RfmCell) == 24, "RfmCell is 24 bytes");
StaticAssertDecl(offsetof(RfmBlock, cells) == 8, "RfmBlock header is 8 bytes");

static Size rfm_agg_get_flat_size(ExpandedObjectHeader *eohptr);
static void rfm_agg_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods rfm_agg_methods = {
	rfm_agg_get_flat_size,
	rfm_agg_flatten_into
};

static void corrupt(const char *what) pg_attribute_noreturn();

static void
corrupt(const char *what)
{
	flat_corrupt(psprintf("rfm_agg_state: %s", what));
}

/* The session TimeZone's name for timestamptz periods, "" for the others. */
const char *
rfm_agg_session_tz(TimeKind time_kind)
{
	const char *name;

	if (time_kind != TIME_TIMESTAMPTZ)
		return "";
	name = pg_get_timezone_name(session_timezone);
	if (name == NULL || strlen(name) > RFM_AGG_TZ_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the TimeZone name is too long for rfm_agg")));
	return name;
}

RfmAggState *
rfm_agg_new(MemoryContext parent, TimeKind time_kind, KeyClass customer_class, uint8 grain,
			Oid customer_type, const char *tz)
{
	RfmAggState *s = (RfmAggState *)
		customer_state_create(parent, sizeof(RfmAggState), "rfm_agg state", &rfm_agg_methods,
							  time_kind, customer_class, 0, grain);

	s->customer_type = customer_type;
	strlcpy(s->tz, tz, sizeof(s->tz));
	return s;
}

/* ---- blocks and cells ------------------------------------------------- */

/*
 * A customer's payload: its block's address, with PAYLOAD_TAIL set while the
 * block has a tail (blocks are 8-aligned), so that the flat size can be found
 * without touching the blocks of customers whose periods are all in order.
 */
#define PAYLOAD_TAIL UINT64CONST(1)

static inline RfmBlock *
block_of(uint64 payload)
{
	return (RfmBlock *) (uintptr_t) (payload & ~PAYLOAD_TAIL);
}

static inline Size
block_size(int cls)
{
	return offsetof(RfmBlock, cells) + (sizeof(RfmCell) << cls);
}

static inline Size
next_chunk(const RfmAggState *s)
{
	return s->arena_chunk ? s->arena_chunk : ARENA_CHUNK_MIN;
}

static RfmBlock *
block_alloc(RfmAggState *s, int cls)
{
	Size		size;
	RfmBlock   *b;

	if (cls >= RFM_AGG_CLASSES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct periods for one customer in rfm_agg")));
	size = block_size(cls);
	if (s->free_blocks[cls])
	{
		b = s->free_blocks[cls];
		s->free_blocks[cls] = *(RfmBlock **) b;
	}
	else if (size > ARENA_BLOCK_MAX)
		b = budget_alloc(&s->c.budget, size);
	else
	{
		if (size > s->arena_free)
		{
			/* chunks grow to ARENA_CHUNK, so that a small budget or state takes little */
			Size		chunk = Max(next_chunk(s), size);

			s->arena = budget_alloc(&s->c.budget, chunk);
			s->arena_free = chunk;
			s->arena_chunk = Min(2 * chunk, ARENA_CHUNK);
		}
		b = (RfmBlock *) s->arena;
		s->arena += size;
		s->arena_free -= size;
	}
	b->nsorted = 0;
	b->ntail = 0;
	b->cls = (uint8) cls;
	b->pad = 0;
	return b;
}

static void
block_free(RfmAggState *s, RfmBlock *b)
{
	if (block_size(b->cls) > ARENA_BLOCK_MAX)
		budget_free(&s->c.budget, b, block_size(b->cls));
	else
	{
		*(RfmBlock **) b = s->free_blocks[b->cls];
		s->free_blocks[b->cls] = b;
	}
}

static inline MoneySum *
slow_of(RfmAggState *s, const RfmCell *c)
{
	return &s->slows[c->slow - 1];
}

/* The cell's sum becomes a MoneySum of its own (rare: see money.h). */
static void
cell_make_slow(RfmAggState *s, RfmCell *c)
{
	MoneySum   *m;

	if (s->nslows == s->slows_cap)
	{
		uint32		cap = s->slows_cap ? s->slows_cap * 2 : 8;
		MoneySum   *grown;

		if (cap > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many large amount sums in one rfm_agg state")));
		grown = budget_alloc(&s->c.budget, sizeof(MoneySum) * (Size) cap);
		if (s->nslows > 0)
		{
			memcpy(grown, s->slows, sizeof(MoneySum) * (Size) s->nslows);
			budget_free(&s->c.budget, s->slows, sizeof(MoneySum) * (Size) s->slows_cap);
		}
		s->slows = grown;
		s->slows_cap = cap;
	}
	m = &s->slows[s->nslows++];
	money_init(m, s->c.budget.cxt);
	/* count 1: a MoneySum with a value counts its amounts (money_read checks it) */
	money_add_units(m, c->units, 1, c->dscale);
	c->slow = s->nslows;
	c->units = 0;
	c->dscale = 0;
}

static inline void
cell_add_units(RfmAggState *s, RfmCell *c, int64 units, int dscale)
{
	if (c->slow == 0)
	{
		int64		r;

		if (!pg_add_s64_overflow(c->units, units, &r))
		{
			c->units = r;
			if (dscale > c->dscale)
				c->dscale = (uint16) dscale;
			return;
		}
		cell_make_slow(s, c);
	}
	money_add_units(slow_of(s, c), units, 0, dscale);
}

static void
cell_add_sum(RfmAggState *s, RfmCell *c, const MoneySum *m)
{
	if (c->slow == 0)
		cell_make_slow(s, c);
	money_merge(slow_of(s, c), m);
}

/* dst's sum += src's (src a cell of state from, possibly another state) */
static void
cell_merge(RfmAggState *s, RfmCell *dst, RfmAggState *from, const RfmCell *src)
{
	if (src->slow == 0)
		cell_add_units(s, dst, src->units, src->dscale);
	else
		cell_add_sum(s, dst, slow_of(from, src));
}

static int
cmp_cell(const void *a, const void *b)
{
	int64		x = ((const RfmCell *) a)->period;
	int64		y = ((const RfmCell *) b)->period;

	return (x > y) - (x < y);
}

/* Sorts the tail into the sorted part (sums of equal periods added up); s->ncells follows. */
static void
block_normalize(RfmAggState *s, RfmBlock *b)
{
	uint32		ns = b->nsorted;
	uint32		nt = b->ntail;
	RfmCell    *tail = &b->cells[ns];
	RfmCell    *merged;
	uint32		i = 0,
				j = 0,
				k = 0;

	if (nt == 0)
		return;
	CHECK_FOR_INTERRUPTS();
	qsort(tail, nt, sizeof(RfmCell), cmp_cell);
	for (uint32 t = 1; t < nt; t++)
	{
		if (tail[t].period == tail[k].period)
			cell_merge(s, &tail[k], s, &tail[t]);
		else
			tail[++k] = tail[t];
	}
	s->ncells -= nt - (k + 1);
	b->ntail = (uint16) (k + 1);
	nt = k + 1;
	merged = palloc_extended(sizeof(RfmCell) * ((Size) ns + nt), MCXT_ALLOC_HUGE);
	k = 0;
	while (i < ns && j < nt)
	{
		if (b->cells[i].period < tail[j].period)
			merged[k++] = b->cells[i++];
		else if (tail[j].period < b->cells[i].period)
			merged[k++] = tail[j++];
		else
		{
			merged[k] = b->cells[i++];
			cell_merge(s, &merged[k++], s, &tail[j++]);
		}
	}
	while (i < ns)
		merged[k++] = b->cells[i++];
	while (j < nt)
		merged[k++] = tail[j++];
	memcpy(b->cells, merged, sizeof(RfmCell) * (Size) k);
	pfree(merged);
	s->ncells -= (uint64) b->nsorted + b->ntail - k;
	b->nsorted = k;
	b->ntail = 0;
}

/* A customer's block without a tail. */
static inline RfmBlock *
normalize_entry(RfmAggState *s, KeyEntry *e)
{
	if (e->payload & PAYLOAD_TAIL)
	{
		block_normalize(s, block_of(e->payload));
		e->payload &= ~PAYLOAD_TAIL;
	}
	return block_of(e->payload);
}

static inline bool
sorted_find(const RfmCell *v, uint32 n, int64 p, uint32 *at)
{
	uint32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;

		if (v[mid].period < p)
			lo = mid + 1;
		else if (v[mid].period > p)
			hi = mid;
		else
		{
			*at = mid;
			return true;
		}
	}
	return false;
}

/* A new, empty cell of period p at the end of the block (sorted or tail); *payload may move. */
static RfmCell *
block_append(RfmAggState *s, uint64 *payload, int64 p, bool sorted)
{
	RfmBlock   *b = block_of(*payload);
	RfmCell    *c;

	if ((Size) b->nsorted + b->ntail == ((Size) 1 << b->cls))
	{
		RfmBlock   *grown = block_alloc(s, b->cls + 1);
		uint8		cls = grown->cls;

		memcpy(grown, b, block_size(b->cls));
		grown->cls = cls;
		block_free(s, b);
		b = grown;
		*payload = (uint64) (uintptr_t) b | (*payload & PAYLOAD_TAIL);
	}
	c = &b->cells[b->nsorted + b->ntail];
	if (sorted)
		b->nsorted++;
	else
	{
		b->ntail++;
		*payload |= PAYLOAD_TAIL;
	}
	s->ncells++;
	c->period = p;
	c->units = 0;
	c->slow = 0;
	c->dscale = 0;
	c->pad = 0;
	return c;
}

/*
 * The cell of period p in the block of a customer's payload (a new block when
 * the payload is 0), added when it is not there.  The block may move: the
 * payload is updated.  The pointer is valid until the block changes.
 */
static RfmCell *
block_cell(RfmAggState *s, uint64 *payload, int64 p)
{
	RfmBlock   *b = block_of(*payload);
	uint32		ns,
				nt,
				at;

	if (b == NULL)
	{
		b = block_alloc(s, 0);
		*payload = (uint64) (uintptr_t) b;
		return block_append(s, payload, p, true);
	}
	ns = b->nsorted;
	nt = b->ntail;
	if (nt == 0)
	{
		/* rows in time order: the last period, or a later one */
		if (p == b->cells[ns - 1].period)
			return &b->cells[ns - 1];
		if (p > b->cells[ns - 1].period)
			return block_append(s, payload, p, true);
	}
	else if (b->cells[ns + nt - 1].period == p)
		return &b->cells[ns + nt - 1];
	if (sorted_find(b->cells, ns, p, &at))
		return &b->cells[at];
	if (nt >= Max(TAIL_MIN, ns) || nt == PG_UINT16_MAX)
	{
		block_normalize(s, b);
		*payload &= ~PAYLOAD_TAIL;
		if (sorted_find(b->cells, b->nsorted, p, &at))
			return &b->cells[at];
		if (p > b->cells[b->nsorted - 1].period)
			return block_append(s, payload, p, true);
	}
	return block_append(s, payload, p, false);
}

/* ---- rows --------------------------------------------------------------- */

/* The row's period and amount into the customer's cells (payload 0: no block yet). */
static inline void
apply_cell(RfmAggState *s, uint64 *payload, int64 p, int64 units, int dscale, Datum slow)
{
	RfmCell    *c = block_cell(s, payload, p);

	if (slow != (Datum) 0)
	{
		if (c->slow == 0)
			cell_make_slow(s, c);
		money_add_numeric(slow_of(s, c), slow, 0, dscale);
	}
	else if (dscale >= 0)
		cell_add_units(s, c, units, dscale);
}

/* ---- spilling (state_spill.h; the partitions are read in rfm_agg_spill.c) -- */

/* What a chunk of the arena for bytes more of small blocks may take (an upper bound). */
static Size
arena_room(const RfmAggState *s, Size bytes)
{
	return bytes <= s->arena_free ? 0 : bytes + next_chunk(s);
}

/* What a new block of class cls may take from the budget (an upper bound). */
static Size
block_room(const RfmAggState *s, int cls)
{
	if (cls >= RFM_AGG_CLASSES || s->free_blocks[cls])
		return 0;				/* an error, or a block of the free list */
	if (block_size(cls) > ARENA_BLOCK_MAX)
		return block_size(cls);
	return arena_room(s, block_size(cls));
}

/* What a cell becoming slow may take: the next MoneySum array. */
static Size
slows_room(const RfmAggState *s)
{
	if (s->nslows < s->slows_cap)
		return 0;
	return sizeof(MoneySum) * (s->slows_cap ? 2 * (Size) s->slows_cap : 8);
}

/*
 * Whether the budget has room for one more row of the customer with this
 * payload (0: no block yet): its block's growth by one class, and a slow sum.
 */
static bool
row_fits(const RfmAggState *s, uint64 payload)
{
	const RfmBlock *b = block_of(payload);
	Size		limit = (Size) retention_max_state_memory * 1024;
	Size		need = slows_room(s);

	if (b == NULL)
		need += block_room(s, 0);
	else if ((Size) b->nsorted + b->ntail == ((Size) 1 << b->cls))
		need += block_room(s, b->cls + 1);
	return s->c.budget.used <= limit && need <= limit - s->c.budget.used;
}

/*
 * A row to the customer's partition file: a = period, b = units, tail = u16
 * dscale (-1: a NULL amount), then the numeric when it does not fit the units.
 */
static void
write_row(RfmAggState *s, const KeyEntry *customer, int64 p, int64 units, int dscale, Datum slow)
{
	struct varlena *v = slow ? PG_DETOAST_DATUM_PACKED(slow) : NULL;
	char		fast[2];
	char	   *tail = fast;
	Size		len = 2 + (v ? VARSIZE_ANY(v) : 0);

	if (v)
	{
		tail = palloc(len);
		memcpy(tail + 2, v, VARSIZE_ANY(v));
	}
	rfm_put_u16(tail, (uint16) (int16) dscale);
	spill_write(s->c.spill, customer, p, units, tail, (uint32) len);
	if (v)
		pfree(tail);
}

/*
 * A row of customer e (in memory, maybe without a block yet) of a state that
 * may spill: applied while the budget has room for it, else written to the
 * customer's partition file (the state spills then, if it did not yet), the
 * customer flagged: it moves into its partition at the end.
 */
static void
apply_or_spill(RfmAggState *s, KeyEntry *e, int64 p, int64 units, int dscale, Datum slow)
{
	if (row_fits(s, e->payload))
	{
		apply_cell(s, &e->payload, p, units, dscale, slow);
		return;
	}
	if (s->c.spill == NULL)
		customer_state_begin_spill(&s->c, "rfm_agg");
	customer_state_set_on_disk(&s->c, e);
	write_row(s, e, p, units, dscale, slow);
}

static inline void
apply_row(RfmAggState *s, const KeyEntry *customer, int64 p, int64 units, int dscale, Datum slow)
{
	bool		found;
	KeyEntry   *e = kt_insert(&s->c.customers, customer, &found);

	if (s->c.spill_ok)
		apply_or_spill(s, e, p, units, dscale, slow);
	else
		apply_cell(s, &e->payload, p, units, dscale, slow);
}

/*
 * Applies the batch in two passes: first every row's customer entry (their
 * slots were prefetched when the rows were parked), asking for each known
 * customer's block; then the periods, by which time the blocks have arrived.
 * Entries stay where they are until the table grows; if it grew in the first
 * pass, they are looked up again.
 */
void
rfm_agg_flush(RfmAggState *s)
{
	RowBatch   *b = s->c.batch;
	KeyTable   *kt = &s->c.customers;
	KeyEntry   *entries[ROW_BATCH_SIZE];
	uint32		nslots = kt->nslots;

	if (unlikely(s->log != NULL))
		rfm_agg_log_replay(s);
	if (b == NULL || b->n == 0)
		return;
	for (int i = 0; i < b->n; i++)
	{
		bool		found;

		entries[i] = kt_insert(kt, &b->rows[i].customer, &found);
		if (found)
			__builtin_prefetch(block_of(entries[i]->payload), 1);
	}
	if (kt->nslots != nslots)
		for (int i = 0; i < b->n; i++)
			entries[i] = kt_find(kt, &b->rows[i].customer);
	for (int i = 0; i < b->n; i++)
	{
		int64		p = (int64) b->rows[i].order.w0;
		int			dscale = (int) (int32) b->rows[i].order.w1;

		if (s->c.spill_ok)
			apply_or_spill(s, entries[i], p, b->rows[i].units, dscale, (Datum) 0);
		else
			apply_cell(s, &entries[i]->payload, p, b->rows[i].units, dscale, (Datum) 0);
	}
	row_batch_clear(b);
}

/*
 * Adds a counted row: the customer's probe, its period, and its amount as
 * units of 10^-8 with their display scale (dscale -1: a NULL amount), or as
 * the numeric slow when it does not fit.  Rows wait in the batch once the
 * customers table outgrows the caches (row_batch.h); the batch keeps the
 * period and scale in its unused order key.  A state that may spill and has
 * no room for another customer spills (state_spill.h).
 */
void
rfm_agg_add_row(RfmAggState *s, const KeyEntry *customer, int64 period, int64 units, int dscale,
				Datum slow)
{
	RowBatch   *b = s->c.batch;
	BatchRow   *row;

	if (unlikely(s->log != NULL))
		rfm_agg_log_replay(s);	/* a row the log could not take (rfm_agg_log.c) */
	if (s->c.spill_ok)
	{
		/* no room for another customer (the parked rows' each taken as new): spill */
		if (s->c.spill == NULL &&
			!customer_state_has_room(&s->c, customer,
									 arena_room(s, block_size(0) * ((b ? b->n : 0) + 1)) + slows_room(s)))
		{
			rfm_agg_flush(s);
			if (s->c.spill == NULL)
				customer_state_begin_spill(&s->c, "rfm_agg");
		}
		if (s->c.spill)
		{
			KeyEntry   *e;

			rfm_agg_flush(s);
			e = kt_find(&s->c.customers, customer);
			if (e)
				apply_or_spill(s, e, period, units, dscale, slow);
			else
				write_row(s, customer, period, units, dscale, slow);
			return;
		}
	}
	if (b == NULL || slow != (Datum) 0)
	{
		rfm_agg_flush(s);
		apply_row(s, customer, period, units, dscale, slow);
		if (b == NULL && customer_state_needs_batch(&s->c))
			s->c.batch = row_batch_create(&s->c.budget);
		return;
	}
	if (!row_batch_has_room(b, customer, NULL))
	{
		rfm_agg_flush(s);
		row_batch_make_room(b, &s->c.budget, customer, NULL);
	}
	row = row_batch_push(b, customer, NULL, &s->c.customers, NULL);
	row->units = units;
	row->order.w0 = (uint64) period;
	row->order.w1 = (uint64) (int64) dscale;
	if (row_batch_full(b))
		rfm_agg_flush(s);
}

/* ---- the flat form ------------------------------------------------------ */

static Size
cell_flat_size(RfmAggState *s, const RfmCell *c)
{
	return 8 + 1 + (c->slow ? money_flat_size(slow_of(s, c)) : 2 + 8);
}

/* The flat size of a customer (with a block): key, count, cells. */
Size
rfm_agg_customer_flat_size(RfmAggState *s, KeyEntry *e)
{
	RfmBlock   *b = normalize_entry(s, e);
	Size		size = key_flat_size(s->c.customer_class) + 4 +
		(s->c.customer_class == KEY_BYTES ? e->len : 0);

	for (uint32 i = 0; i < b->nsorted; i++)
		size += cell_flat_size(s, &b->cells[i]);
	return size;
}

/* Writes a customer (with a block) at p: key, count, cells; returns the end. */
char *
rfm_agg_put_customer(char *p, RfmAggState *s, KeyEntry *e)
{
	RfmBlock   *b = normalize_entry(s, e);

	p = key_put(p, s->c.customer_class, e);
	p = put_u32(p, b->nsorted);
	for (uint32 j = 0; j < b->nsorted; j++)
	{
		const RfmCell *c = &b->cells[j];

		p = put_u64(p, (uint64) c->period);
		p = put_u8(p, c->slow ? 1 : 0);
		if (c->slow)
			p = money_flatten(slow_of(s, c), p);
		else
		{
			p = rfm_put_u16(p, c->dscale);
			p = put_u64(p, (uint64) c->units);
		}
	}
	return p;
}

/*
 * The flat size.  Fast cells take 19 bytes each, so with no slow cell it
 * follows from the counters once the tails are sorted in (only the blocks
 * flagged in the payloads are touched); else every cell is measured.
 */
static Size
rfm_agg_get_flat_size(ExpandedObjectHeader *eohptr)
{
	RfmAggState *s = (RfmAggState *) eohptr;
	MemoryContext old;
	KeyTable   *kt = &s->c.customers;
	Size		size = VARHDRSZ + RFM_AGG_HEADER_MIN + strlen(s->tz);

	if (s->log && rfm_agg_log_flat_size(s, &size))
		return size;
	rfm_agg_settle(eohptr);
	old = state_scratch_begin(eohptr);
	rfm_agg_flush(s);			/* may spill: then refused */
	customer_state_refuse_spilled(&s->c, "rfm_agg");
	size = add_size(size, mul_size(kt->nentries, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		size = add_size(size, kt->key_bytes);
	for (KeyEntry *e = kt_first(kt); e; e = kt_next(kt, e))
	{
		if ((e->ordinal & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (s->nslows == 0)
			(void) normalize_entry(s, e);
		else
		{
			RfmBlock   *b = normalize_entry(s, e);

			for (uint32 i = 0; i < b->nsorted; i++)
				size = add_size(size, cell_flat_size(s, &b->cells[i]));
		}
	}
	if (s->nslows == 0)
		size = add_size(size, mul_size(s->ncells, RFM_AGG_CELL_MIN));
	state_scratch_end(old);
	budget_check_flat_size(size);
	return size;
}

static void
rfm_agg_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	RfmAggState *s = (RfmAggState *) eohptr;
	char	   *start = (char *) result;
	char	   *p = start + VARHDRSZ;
	MemoryContext old;
	KeyEntry  **order;

	if (s->log)
	{
		rfm_agg_log_flatten(s, start, allocated_size);
		return;
	}
	old = state_scratch_begin(eohptr);
	rfm_agg_flush(s);
	p = rfm_agg_put_header(p, s, s->c.ignored_rows, s->c.rows, !s->flat_by_ordinal);
	p = put_u32(p, s->c.customers.nentries);
	/* hash order lets the leader of a parallel plan keep the state as a run */
	order = s->flat_by_ordinal ? kt_by_ordinal(&s->c.customers) : kt_by_hash(&s->c.customers);
	for (uint32 i = 0; i < s->c.customers.nentries; i++)
	{
		KeyEntry   *e = order[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* entries and blocks are scattered: ask for them a few customers ahead */
		if (i + 16 < s->c.customers.nentries)
			__builtin_prefetch(order[i + 16], 0);
		if (i + 8 < s->c.customers.nentries)
			__builtin_prefetch(block_of(order[i + 8]->payload), 0);
		p = rfm_agg_put_customer(p, s, e);
	}
	pfree(order);
	state_scratch_end(old);
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "rfm_agg state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

/* ---- merging ---------------------------------------------------------- */

/*
 * dst += customer e of src (both expanded): its cells, with the sums of equal
 * periods added.  A customer of a spilling src may have no block yet (all its
 * rows went to disk): it is then not added.
 */
void
rfm_agg_merge_customer(RfmAggState *dst, RfmAggState *src, KeyEntry *e)
{
	RfmBlock   *b;
	KeyEntry	probe = *e;
	KeyEntry   *d;
	bool		found;

	if (e->payload == 0)
		return;
	b = normalize_entry(src, e);
	probe.payload = 0;
	d = kt_insert(&dst->c.customers, &probe, &found);
	for (uint32 j = 0; j < b->nsorted; j++)
		cell_merge(dst, block_cell(dst, &d->payload, b->cells[j].period), src, &b->cells[j]);
}

/* dst += src, both expanded; customers in src's first-seen order */
static void
rfm_agg_merge(ExpandedObjectHeader *dst_eoh, ExpandedObjectHeader *src_eoh)
{
	RfmAggState *dst = (RfmAggState *) dst_eoh;
	RfmAggState *src = (RfmAggState *) src_eoh;
	KeyEntry  **entries;

	rfm_agg_settle(src_eoh);
	rfm_agg_settle(dst_eoh);
	rfm_agg_flush(src);
	rfm_agg_flush(dst);
	customer_state_refuse_spilled(&src->c, "rfm_agg");
	customer_state_refuse_spilled(&dst->c, "rfm_agg");
	rfm_agg_check_compatible(dst, src->c.time_kind, src->c.customer_class, src->c.flags,
							 src->customer_type, src->tz);
	customer_state_add_counts(&dst->c, "rfm_agg", src->c.ignored_rows, src->c.rows, src->c.max_at);
	entries = kt_by_ordinal(&src->c.customers);
	for (uint32 i = 0; i < src->c.customers.nentries; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		rfm_agg_merge_customer(dst, src, entries[i]);
	}
	pfree(entries);
}

/*
 * dst += the flat state in buf, validating it; with strict (dst was empty) a
 * customer may appear only once.
 */
static void
rfm_agg_merge_flat(ExpandedObjectHeader *dst_eoh, StringInfo buf, bool strict)
{
	RfmAggState *dst = (RfmAggState *) dst_eoh;
	RfmAggHeader h;
	uint64		rows_left;

	rfm_agg_settle(dst_eoh);
	rfm_agg_read_header(buf, &h);
	rfm_agg_flush(dst);
	customer_state_refuse_spilled(&dst->c, "rfm_agg");
	rfm_agg_check_compatible(dst, h.time_kind, h.customer_class, h.grain, h.customer_type, h.tz);
	customer_state_add_counts(&dst->c, "rfm_agg", h.ignored_rows, h.rows, 0);
	rows_left = (uint64) h.rows;
	for (uint32 i = 0; i < h.ncustomers; i++)
	{
		KeyEntry	probe;
		KeyEntry   *e;
		bool		found;
		uint32		n;
		int64		prev = 0;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		n = rfm_agg_read_customer(buf, &h, &probe, &rows_left);
		e = kt_insert(&dst->c.customers, &probe, &found);
		if (found && strict)
			corrupt("duplicate customer key");
		for (uint32 j = 0; j < n; j++)
		{
			RfmCell		cell;
			MoneySum	slow;
			RfmCell    *c;

			rfm_agg_read_cell(buf, &h, prev, j == 0, &cell, &slow);
			prev = cell.period;
			c = block_cell(dst, &e->payload, cell.period);
			if (cell.slow)
				cell_add_sum(dst, c, &slow);
			else
				cell_add_units(dst, c, cell.units, cell.dscale);
		}
	}
	if (buf->cursor != buf->len)
		corrupt("unexpected bytes after the value");
}

static ExpandedObjectHeader *
rfm_agg_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	RfmAggHeader h;
	RfmAggState *s;

	flat_reader_init(&buf, data, len);
	rfm_agg_read_header(&buf, &h);
	s = rfm_agg_new(parent, h.time_kind, h.customer_class, h.grain, h.customer_type, h.tz);
	flat_reader_init(&buf, data, len);
	rfm_agg_merge_flat(&s->c.hdr, &buf, true);
	return &s->c.hdr;
}

static ExpandedObjectHeader *
rfm_agg_copy(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	RfmAggState *src = (RfmAggState *) eoh;
	RfmAggState *s = rfm_agg_new(parent, src->c.time_kind, src->c.customer_class, src->c.flags,
								 src->customer_type, src->tz);

	rfm_agg_merge(&s->c.hdr, eoh);
	return &s->c.hdr;
}

const StateKind rfm_agg_kind = {
	"rfm_agg_state",
	&rfm_agg_methods,
	rfm_agg_copy,
	rfm_agg_from_flat,
	rfm_agg_merge,
	rfm_agg_merge_flat,
	rfm_agg_settle
};

/* ---- the SQL type rfm_agg_state ---- */

STATE_TYPE_IO_FUNCTIONS(rfm_agg_state, rfm_agg_kind)
