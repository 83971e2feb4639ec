/*
 * key_log.h
 *		Rows of a customer-keyed state, logged instead of counted: what
 *		cohort_log.c, order_stats_log.c and rfm_agg_log.c share.
 *
 * The state of a partial aggregate (a parallel worker's, the leader's own
 * share, a partition's under partitionwise aggregation), like rfm_agg's
 * serial one whose result is its flat form, is never read where it is
 * built: it is flattened with its customers in hash order and sent to the
 * combine (customer_runs.h).  Its customers are spread over the whole table,
 * so each process holds most of them, and counting them in a hash table
 * costs a cache miss per row in every process: with 2 workers the plan did
 * about three times the serial work.  Such a state appends each row to a
 * log instead (the customer's key, a period, an amount in units, and an
 * owner's uint16), and when it is flattened sorts the log by key hash once,
 * adds up each customer's rows by period (logged_rows_sort) and writes each
 * customer's record directly, in the order the flat form wants.
 *
 * The log counts against the state's budget: 32 bytes a row (34 with an
 * extra), plus the bytes of keys longer than 16, in chunks of 2^19 rows (16
 * MB, mostly in huge pages) written once; only the first chunk grows, by
 * doubling from 8 rows, so a small group's log stays small.  Sorting takes
 * 16 bytes a row while it runs, and the customers' cells (36 bytes a
 * customer and 24 a cell) live until the flat form is written: outside the
 * budget, as flattening's scratch does.  A row the log cannot take within
 * retention.max_state_memory (logged_rows_push returns NULL) makes the owner
 * replay the log into its ordinary tables and go on without it; the replay
 * adds the rows up first and frees the log, so the tables do not share the
 * budget with it (logged_rows_replay).
 */
#ifndef RETENTION_KEY_LOG_H
#define RETENTION_KEY_LOG_H

#include "keytable.h"

#include "fmgr.h"

typedef struct KeyLog KeyLog;

extern bool key_log_wanted(FunctionCallInfo fcinfo);
extern uint64 *sort_hash_words(uint64 *a, uint32 n);

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


/*
 * What a logging state keeps (cohort_log.c, order_stats_log.c,
 * rfm_agg_log.c): its log (key_log.c), and once sorted the customers' cells, which live
 * in the state's memory from the sizing of its flat form to its writing.
 */
typedef struct LoggedRows
{
	KeyLog	   *log;
	uint32		max_rows;		/* of a cell: more make the rows not add up */
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
extern bool logged_rows_push(LoggedRows *l, const KeyEntry *customer, int64 period, int64 units,
							 uint16 extra);
extern bool logged_rows_sort(LoggedRows *l);
extern void logged_rows_written(LoggedRows *l);
extern void logged_rows_replay(LoggedRows *l, const LogReplay *r, void *state, const char *what);

#endif							/* RETENTION_KEY_LOG_H */
