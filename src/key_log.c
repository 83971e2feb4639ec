/*
 * key_log.c
 *		Logged rows of a partial customer-keyed state, sorted by key hash
 *		(key_log.h).
 */
#include "key_log.h"

#include "miscadmin.h"
#include "nodes/primnodes.h"

#define LOG_MIN_ROWS 8

typedef struct KeyLogChunk KeyLogChunk;

/* Rows in chunks of 2^19 (16 MB), written once; the first grows from 8 rows. */
#define KEY_LOG_CHUNK_BITS 19
#define KEY_LOG_CHUNK ((uint32) 1 << KEY_LOG_CHUNK_BITS)

/* A log: each row the customer's probe, ordinal the period, payload the units. */
struct KeyLog
{
	MemBudget  *budget;
	KeyEntry  **chunks;			/* row i is in chunks[i >> KEY_LOG_CHUNK_BITS] */
	uint16	  **extras;			/* an owner's uint16 per row, chunked alike; or NULL */
	uint32		nchunks;		/* chunks allocated */
	uint32		chunks_size;	/* room for chunk pointers */
	uint32		n;				/* rows */
	uint32		room;			/* rows the chunks hold */
	char	   *arena;			/* copies of keys longer than 16 bytes */
	Size		arena_free;
	KeyLogChunk *arena_chunks;	/* the arena's chunks, the latest first */
};

static void key_log_cells_free(LogCustomers *out);

/* Row i of the log. */
static inline KeyEntry *
key_log_at(const KeyLog *log, uint32 i)
{
	return &log->chunks[i >> KEY_LOG_CHUNK_BITS][i & (KEY_LOG_CHUNK - 1)];
}

/* The owner's uint16 of row i (a log created with extras). */
static inline uint16 *
key_log_extra(const KeyLog *log, uint32 i)
{
	return &log->extras[i >> KEY_LOG_CHUNK_BITS][i & (KEY_LOG_CHUNK - 1)];
}

/* Whether two logged rows have the same key. */
static inline bool
key_log_same_key(const KeyEntry *a, const KeyEntry *b)
{
	if (a->len != b->len)
		return false;
	if (a->len > KEY_INLINE_MAX)
		return a->w1 == b->w1 && memcmp(key_data(a), key_data(b), a->len) == 0;
	return a->w0 == b->w0 && a->w1 == b->w1;
}
#define LOG_ARENA_CHUNK (64 * 1024)

/* A chunk of the long keys' arena; the keys follow it. */
struct KeyLogChunk
{
	KeyLogChunk *next;
	Size		size;			/* taken from the budget, this header included */
};

/*
 * Whether a new state of this call should log its rows: a partial aggregate
 * (its state is serialized for a combine), as nodeAgg runs it.
 */
bool
key_log_wanted(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref;

	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_AGGREGATE)
		return false;
	aggref = AggGetAggref(fcinfo);
	return aggref != NULL && aggref->aggsplit == AGGSPLIT_INITIAL_SERIAL;
}

static KeyLog *
key_log_create(MemBudget *budget, bool with_extras)
{
	KeyLog	   *log = MemoryContextAllocZero(budget->cxt, sizeof(KeyLog));

	log->budget = budget;
	if (with_extras)
		log->extras = MemoryContextAllocZero(budget->cxt, sizeof(uint16 *) * 4);
	log->chunks = MemoryContextAllocZero(budget->cxt, sizeof(KeyEntry *) * 4);
	log->chunks_size = 4;
	return log;
}

/* Whether the budget has room for size more bytes. */
static bool
has_room(const MemBudget *budget, Size size)
{
	Size		limit = (Size) retention_max_state_memory * 1024;

	return budget->used <= limit && size <= limit - budget->used;
}

static Size
row_bytes(const KeyLog *log)
{
	return sizeof(KeyEntry) + (log->extras ? sizeof(uint16) : 0);
}

/*
 * Room for more rows: the first chunk doubles (from 8 rows) until it holds
 * KEY_LOG_CHUNK, then whole chunks are added.  False when that does not fit
 * the budget or 2^31 rows.
 */
static bool
key_log_grow(KeyLog *log)
{
	if (log->room < KEY_LOG_CHUNK)
	{
		uint32		size = log->room == 0 ? LOG_MIN_ROWS : log->room * 2;
		KeyEntry   *rows;

		if (!has_room(log->budget, row_bytes(log) * (Size) size))
			return false;
		rows = budget_alloc(log->budget, sizeof(KeyEntry) * (Size) size);
		if (log->n > 0)
			memcpy(rows, log->chunks[0], sizeof(KeyEntry) * (Size) log->n);
		if (log->room > 0)
			budget_free(log->budget, log->chunks[0], sizeof(KeyEntry) * (Size) log->room);
		log->chunks[0] = rows;
		if (log->extras)
		{
			uint16	   *extras = budget_alloc(log->budget, sizeof(uint16) * (Size) size);

			if (log->n > 0)
				memcpy(extras, log->extras[0], sizeof(uint16) * (Size) log->n);
			if (log->room > 0)
				budget_free(log->budget, log->extras[0], sizeof(uint16) * (Size) log->room);
			log->extras[0] = extras;
		}
		log->nchunks = 1;
		log->room = size;
		return true;
	}
	if (log->room >= PG_INT32_MAX || !has_room(log->budget, row_bytes(log) * (Size) KEY_LOG_CHUNK))
		return false;
	if (log->nchunks == log->chunks_size)
	{
		log->chunks_size *= 2;
		log->chunks = repalloc(log->chunks, sizeof(KeyEntry *) * log->chunks_size);
		if (log->extras)
			log->extras = repalloc(log->extras, sizeof(uint16 *) * log->chunks_size);
	}
	log->chunks[log->nchunks] = budget_alloc(log->budget, sizeof(KeyEntry) * (Size) KEY_LOG_CHUNK);
	if (log->extras)
		log->extras[log->nchunks] = budget_alloc(log->budget, sizeof(uint16) * (Size) KEY_LOG_CHUNK);
	log->nchunks++;
	log->room += KEY_LOG_CHUNK;
	return true;
}

/*
 * row's long key points into the caller's per-row memory: point it to a
 * copy; false when that does not fit the budget.
 */
static bool
key_log_keep_key(KeyLog *log, KeyEntry *row)
{
	if (log->arena_free < row->len)
	{
		Size		size = MAXALIGN(sizeof(KeyLogChunk)) + Max(LOG_ARENA_CHUNK, row->len);
		KeyLogChunk *chunk;

		if (!has_room(log->budget, size))
			return false;
		chunk = budget_alloc(log->budget, size);

		chunk->next = log->arena_chunks;
		chunk->size = size;
		log->arena_chunks = chunk;
		log->arena = (char *) chunk + MAXALIGN(sizeof(KeyLogChunk));
		log->arena_free = size - MAXALIGN(sizeof(KeyLogChunk));
	}
	memcpy(log->arena, key_data(row), row->len);
	row->w0 = (uint64) (uintptr_t) log->arena;
	log->arena += row->len;
	log->arena_free -= row->len;
	return true;
}

/*
 * Append a row of customer (a probe), for the caller to set its ordinal and
 * payload (and extra); a key longer than 16 bytes is copied into the log.
 * NULL when the log cannot grow within retention.max_state_memory.
 */
static inline KeyEntry *
key_log_push(KeyLog *log, const KeyEntry *customer)
{
	KeyEntry   *r;

	if (unlikely(log->n == log->room) && !key_log_grow(log))
		return NULL;
	r = key_log_at(log, log->n);
	*r = *customer;
	if (customer->len > KEY_INLINE_MAX && !key_log_keep_key(log, r))
		return NULL;
	log->n++;
	return r;
}

/* Free the rows (not the long keys' arena: keys copied from rows point there). */
static void
free_rows(KeyLog *log)
{
	for (uint32 c = 0; c < log->nchunks; c++)
	{
		Size		rows = c == 0 ? Min(log->room, KEY_LOG_CHUNK) : KEY_LOG_CHUNK;

		budget_free(log->budget, log->chunks[c], sizeof(KeyEntry) * rows);
		if (log->extras)
			budget_free(log->budget, log->extras[c], sizeof(uint16) * rows);
	}
	log->nchunks = 0;
	log->n = 0;
	log->room = 0;
}

static void
key_log_free(KeyLog *log)
{
	free_rows(log);
	pfree(log->chunks);
	if (log->extras)
		pfree(log->extras);
	while (log->arena_chunks)
	{
		KeyLogChunk *next = log->arena_chunks->next;

		budget_free(log->budget, log->arena_chunks, log->arena_chunks->size);
		log->arena_chunks = next;
	}
	pfree(log);
}

/* Below this many rows key_log_sort sorts the (hash, position) words directly. */
#define KEY_LOG_RADIX_FROM 16384

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64		a = *(const uint64 *) pa;
	uint64		b = *(const uint64 *) pb;

	return a < b ? -1 : a > b ? 1 : 0;
}

static const KeyLog *sort_log;

/* rows of one hash with different keys (a collision): by key bytes, then arrival */
static int
cmp_by_key(const void *pa, const void *pb)
{
	uint32		ia = (uint32) *(const uint64 *) pa;
	uint32		ib = (uint32) *(const uint64 *) pb;
	const KeyEntry *a = key_log_at(sort_log, ia);
	const KeyEntry *b = key_log_at(sort_log, ib);
	int			c;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	c = memcmp(key_data(a), key_data(b), a->len);
	if (c != 0)
		return c;
	return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/*
 * The rows' positions in key hash order, as (hash << 32 | position), palloc'd
 * in the current context: an LSD radix sort over two 16-bit digits, stable,
 * so a customer's rows stay in arrival order.  The rare rows of different
 * keys with one hash are grouped by key as key_log_customer_end meets them.
 */
static uint64 *
key_log_sort(const KeyLog *log)
{
	uint32		n = log->n;
	uint64	   *a = palloc_extended(sizeof(uint64) * Max(n, 1), MCXT_ALLOC_HUGE);

	for (uint32 i = 0; i < n; i++)
		a[i] = ((uint64) entry_hash(key_log_at(log, i)) << 32) | i;
	return sort_hash_words(a, n);
}

/*
 * Sort n words (hash << 32 | a unique position) ascending: by hash, then
 * position.  An LSD radix sort over the hash's two 16-bit digits (stable);
 * below KEY_LOG_RADIX_FROM words (a GROUP BY of many small groups) a plain
 * sort, since the passes' counts would cost more.  Returns the sorted array:
 * a, or a palloc'd one with a freed.
 */
uint64 *
sort_hash_words(uint64 *a, uint32 n)
{
	uint64	   *b;
	uint32	   *count;

	if (n < KEY_LOG_RADIX_FROM)
	{
		qsort(a, n, sizeof(uint64), cmp_u64);
		return a;
	}
	b = palloc_extended(sizeof(uint64) * n, MCXT_ALLOC_HUGE);
	count = palloc(sizeof(uint32) * (65536 + 1));
	for (int shift = 32; shift < 64; shift += 16)
	{
		uint64	   *t;

		CHECK_FOR_INTERRUPTS();
		memset(count, 0, sizeof(uint32) * (65536 + 1));
		for (uint32 i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xFFFF) + 1]++;
		for (int d = 0; d < 65536; d++)
			count[d + 1] += count[d];
		for (uint32 i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xFFFF]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	pfree(b);
	pfree(count);
	return a;
}

/*
 * The end of the customer whose rows start at position i of key_log_sort's
 * order (sorted[i .. end), in arrival order).  Where rows of another key
 * with the same hash come first, the hash's rows from i on are sorted by key
 * and the customer is looked at again.
 */
static uint32
key_log_customer_end(const KeyLog *log, uint64 *sorted, uint32 i)
{
	const KeyEntry *first = key_log_at(log, (uint32) sorted[i]);
	uint32		hash = (uint32) (sorted[i] >> 32);
	uint32		end = i + 1;

	while (end < log->n && (uint32) (sorted[end] >> 32) == hash)
	{
		if (!key_log_same_key(first, key_log_at(log, (uint32) sorted[end])))
		{
			uint32		hash_end = end;
			uint32		k;

			while (hash_end < log->n && (uint32) (sorted[hash_end] >> 32) == hash)
				hash_end++;
			/* are the rest of the key's rows (if any) after this one? sort once */
			for (k = end + 1; k < hash_end; k++)
				if (key_log_same_key(first, key_log_at(log, (uint32) sorted[k])))
					break;
			if (k == hash_end)
				return end;		/* the key's rows are all together */
			sort_log = log;
			qsort(&sorted[i], hash_end - i, sizeof(uint64), cmp_by_key);
			first = key_log_at(log, (uint32) sorted[i]);
			end = i + 1;
			continue;
		}
		end++;
	}
	return end;
}

/* ---- rows added up by customer and period ---------------------------------- */

static int
cmp_cell_period(const void *pa, const void *pb)
{
	int64		a = ((const LogCell *) pa)->period;
	int64		b = ((const LogCell *) pb)->period;

	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Add up one customer's rows, sorted[from .. to), into cells from
 * out->ncells_total on: one cell per period; false when a sum of units would
 * overflow or a cell would count more than max_rows rows.
 */
static bool
add_customer(const KeyLog *log, uint32 max_rows, const uint64 *sorted,
			 uint32 from, uint32 to, LogCustomers *out)
{
	LogCell    *cell = &out->cells[out->ncells_total];
	uint32		n = 0;
	uint32		kept = 0;
	bool		ordered = true;
	uint32		c = out->ncustomers++;

	out->keys[c] = *key_log_at(log, (uint32) sorted[from]);
	out->key_bytes += out->keys[c].len;
	for (uint32 i = from; i < to; i++)
	{
		uint32		row = (uint32) sorted[i];
		const KeyEntry *r = key_log_at(log, row);

		cell[n].period = (int64) (int32) r->ordinal;
		cell[n].units = (int64) r->payload;
		cell[n].rows = 1;
		cell[n].dscale = log->extras ? *key_log_extra(log, row) : 0;
		if (n > 0 && cell[n].period < cell[n - 1].period)
			ordered = false;
		n++;
	}
	if (!ordered)
		qsort(cell, n, sizeof(LogCell), cmp_cell_period);
	for (uint32 i = 0; i < n; i++)
	{
		if (kept > 0 && cell[kept - 1].period == cell[i].period)
		{
			LogCell    *k = &cell[kept - 1];

			if (k->rows == max_rows || __builtin_add_overflow(k->units, cell[i].units, &k->units))
				return false;
			k->rows++;
			k->dscale = Max(k->dscale, cell[i].dscale);
		}
		else
			cell[kept++] = cell[i];
	}
	out->ncells[c] = kept;
	out->ncells_total += kept;
	return true;
}

/*
 * Sort the log by key hash and add up each customer's rows by period into
 * out (palloc'd in the current context); a cell's dscale is the largest of
 * its rows' extras (0 without).  False, out freed, when a sum would overflow the
 * units or a cell would count more than max_rows rows: the owner then reads
 * its rows the ordinary way.
 */
static bool
key_log_cells(const KeyLog *log, uint32 max_rows, LogCustomers *out)
{
	uint32		n = log->n;
	uint64	   *sorted = key_log_sort(log);
	bool		ok = true;

	memset(out, 0, sizeof(*out));
	out->keys = palloc_extended(sizeof(KeyEntry) * Max(n, 1), MCXT_ALLOC_HUGE);
	out->ncells = palloc_extended(sizeof(uint32) * Max(n, 1), MCXT_ALLOC_HUGE);
	out->cells = palloc_extended(sizeof(LogCell) * Max(n, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < n && ok;)
	{
		uint32		end;

		if ((out->ncustomers & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the rows are scattered: ask for those ahead */
		if (i + 16 < n)
		{
			__builtin_prefetch(key_log_at(log, (uint32) sorted[i + 16]));
			if (log->extras)
				__builtin_prefetch(key_log_extra(log, (uint32) sorted[i + 16]));
		}
		end = key_log_customer_end(log, sorted, i);
		ok = add_customer(log, max_rows, sorted, i, end, out);
		i = end;
	}
	pfree(sorted);
	if (!ok)
		key_log_cells_free(out);
	return ok;
}

static void
key_log_cells_free(LogCustomers *out)
{
	if (out->keys)
		pfree(out->keys);
	if (out->ncells)
		pfree(out->ncells);
	if (out->cells)
		pfree(out->cells);
	memset(out, 0, sizeof(*out));
}

/* ---- a logging state's log ------------------------------------------------ */

LoggedRows *
logged_rows_create(MemBudget *budget, bool with_extras, uint32 max_rows)
{
	LoggedRows *l = MemoryContextAllocZero(budget->cxt, sizeof(LoggedRows));

	l->log = key_log_create(budget, with_extras);
	l->max_rows = max_rows;
	return l;
}

static void
unsort(LoggedRows *l)
{
	if (l->sorted)
		key_log_cells_free(&l->customers);
	l->sorted = false;
}

/*
 * Log a row of customer: its period, its units, and the owner's extra (kept
 * when the log was created with extras); false when the log is full.
 */
bool
logged_rows_push(LoggedRows *l, const KeyEntry *customer, int64 period, int64 units, uint16 extra)
{
	KeyEntry   *r = key_log_push(l->log, customer);

	if (r == NULL)
		return false;
	r->ordinal = (uint32) (int32) period;
	r->payload = (uint64) units;
	if (l->log->extras)
		*key_log_extra(l->log, l->log->n - 1) = extra;
	unsort(l);
	return true;
}

/*
 * The log's cells (key_log_cells), in the memory of the log's state; false
 * when they do not add up (the owner then replays the log).
 */
bool
logged_rows_sort(LoggedRows *l)
{
	MemoryContext old;
	bool		ok;

	if (l->sorted)
		return true;
	old = MemoryContextSwitchTo(l->log->budget->cxt);
	ok = key_log_cells(l->log, l->max_rows, &l->customers);
	MemoryContextSwitchTo(old);
	l->sorted = ok;
	return ok;
}

/* The flat form was written: free the cells (a later flattening sorts again). */
void
logged_rows_written(LoggedRows *l)
{
	unsort(l);
}

/*
 * Replay the log into the owner's tables and free it (and l).  The rows are
 * added up by customer and period first and the log freed before the
 * tables grow, so that they do not share the budget with it; only rows that
 * do not add up are replayed one by one, the log kept meanwhile.
 */
void
logged_rows_replay(LoggedRows *l, const LogReplay *r, void *state, const char *what)
{
	KeyLog	   *log = l->log;
	LogCustomers lc;

	unsort(l);
	elog(DEBUG2, "%s: replaying %u logged rows into the tables", what, log->n);
	if (key_log_cells(log, l->max_rows, &lc))
	{
		const LogCell *cell = lc.cells;

		free_rows(log);
		for (uint32 i = 0; i < lc.ncustomers; i++)
		{
			KeyEntry	key = lc.keys[i];

			if ((i & 0x3FFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key.ordinal = 0;
			key.payload = 0;
			for (uint32 j = 0; j < lc.ncells[i]; j++, cell++)
				r->cell(state, &key, cell);
		}
		key_log_cells_free(&lc);
	}
	else
	{
		for (uint32 i = 0; i < log->n; i++)
		{
			KeyEntry	key = *key_log_at(log, i);
			int64		period = (int64) (int32) key.ordinal;
			int64		units = (int64) key.payload;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key.ordinal = 0;
			key.payload = 0;
			r->row(state, &key, period, units, log->extras ? *key_log_extra(log, i) : 0);
		}
	}
	r->flush(state);
	key_log_free(log);
	pfree(l);
}
