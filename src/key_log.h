/*
 * key_log.h
 *		Rows of a partial customer-keyed state, logged instead of counted:
 *		what cohort_log.c and order_stats_log.c share.
 *
 * The state of a partial aggregate (a parallel worker's, the leader's own
 * share, a partition's under partitionwise aggregation), like rfm_agg's
 * serial one whose result is its flat form, is never read where it is built: it is flattened with its customers in hash order and sent to
 * the combine (customer_runs.h).  Its customers are spread over the whole
 * table, so each process holds most of them, and counting them in a hash
 * table costs a cache miss per row in every process: with 2 workers the
 * plan did about three times the serial work.  Such a state appends each row
 * to a KeyLog instead (the customer's key; ordinal and payload are the
 * owner's), and when it is flattened sorts the log by key hash once
 * (key_log_sort) and writes each customer's record directly, in the order
 * the flat form wants.
 *
 * The log counts against the state's budget: 32 bytes a row (34 with an
 * extra), plus the bytes of keys longer than 16.  Sorting takes 16 bytes a
 * row while it runs, and the customers' cells (key_log_cells: 36 bytes a
 * customer and 24 a cell) live until the flat form is written: outside the
 * budget, as flattening's scratch does.  A row the log cannot take within
 * retention.max_state_memory (key_log_push returns NULL) makes the owner
 * replay the log into its ordinary tables and go on without it; the replay
 * adds the rows up by customer and period first and frees the log
 * (key_log_take_cells), so the tables do not share the budget with it.
 */
#ifndef RETENTION_KEY_LOG_H
#define RETENTION_KEY_LOG_H

#include "keytable.h"

#include "fmgr.h"

typedef struct KeyLogChunk KeyLogChunk;

/*
 * Rows live in chunks of KEY_LOG_CHUNK rows (16 MB: most of it in huge
 * pages, retention.c), written once: only the
 * first grows, by doubling from 8 rows, so a small group's log stays small
 * and a large log is never copied.
 */
#define KEY_LOG_CHUNK_BITS 19
#define KEY_LOG_CHUNK ((uint32) 1 << KEY_LOG_CHUNK_BITS)

typedef struct KeyLog
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
} KeyLog;

extern bool key_log_wanted(FunctionCallInfo fcinfo);
extern KeyLog *key_log_create(MemBudget *budget, bool with_extras);
extern bool key_log_grow(KeyLog *log);
extern bool key_log_keep_key(KeyLog *log, KeyEntry *row);
extern uint64 *key_log_sort(const KeyLog *log);
extern uint64 *sort_hash_words(uint64 *a, uint32 n);
extern void key_log_free(KeyLog *log);

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

/*
 * Append a row of customer (a probe): returns it, for the owner to set its
 * ordinal and payload (and extra).  A key longer than 16 bytes is copied
 * into the log.  NULL when the log cannot grow within
 * retention.max_state_memory: the owner then goes on without it.
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

/* The logged row at position i of key_log_sort's order. */
static inline const KeyEntry *
key_log_row(const KeyLog *log, const uint64 *sorted, uint32 i)
{
	return key_log_at(log, (uint32) sorted[i]);
}

extern uint32 key_log_customer_end(const KeyLog *log, uint64 *sorted, uint32 i);

/*
 * The rows of a log whose ordinal is a period (as int32) and whose payload is
 * an amount in units, added up by customer and period: what cohort_agg and
 * rfm_agg write.  Customers come in key hash order, each with its cells in
 * period order.
 */
typedef struct LogCell
{
	int64		period;
	int64		units;			/* the sum of the rows' units */
	uint32		rows;
	uint16		dscale;			/* the largest of the rows' extras (rfm_agg's scales) */
} LogCell;

typedef struct LogCustomers
{
	KeyEntry   *keys;			/* of each customer: its key (a row's copy) */
	uint32	   *ncells;			/* of each customer */
	uint32		ncustomers;
	LogCell    *cells;			/* every customer's cells, one after the other */
	uint64		ncells_total;
	uint64		key_bytes;		/* the lengths of the customers' keys, added up */
} LogCustomers;

extern bool key_log_cells(const KeyLog *log, uint32 max_rows, LogCustomers *out);
extern void key_log_cells_free(LogCustomers *out);

/*
 * What a logging state keeps (cohort_log.c, order_stats_log.c,
 * rfm_agg_log.c): its log, and once sorted the customers' cells, which live
 * in the state's memory from the sizing of its flat form to its writing.
 */
typedef struct LoggedRows
{
	KeyLog	   *log;
	uint32		max_rows;		/* of a cell (key_log_cells) */
	bool		sorted;			/* customers holds the log's cells */
	LogCustomers customers;
	Size		flat_size;		/* set by the owner's sizing, checked by its writer */
} LoggedRows;

/* How an owner's tables take the replayed rows. */
typedef struct LogReplay
{
	/* a customer's cell: its rows of one period, added up */
	void		(*cell) (void *state, const KeyEntry *key, const LogCell *cell);
	/* a row (when the rows do not add up: a sum that overflows the units) */
	void		(*row) (void *state, const KeyEntry *key, int64 period, int64 units, uint16 extra);
	/* apply what the owner parked, before the log's long keys are freed */
	void		(*flush) (void *state);
} LogReplay;

extern LoggedRows *logged_rows_create(MemBudget *budget, bool with_extras, uint32 max_rows);
extern KeyEntry *logged_rows_push(LoggedRows *l, const KeyEntry *customer, int64 period,
								  int64 units);
extern bool logged_rows_sort(LoggedRows *l);
extern void logged_rows_written(LoggedRows *l);
extern void logged_rows_replay(LoggedRows *l, const LogReplay *r, void *state, const char *what);

#endif							/* RETENTION_KEY_LOG_H */
