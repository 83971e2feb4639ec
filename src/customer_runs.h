/*
 * customer_runs.h
 *		The combine of a parallel plan's partial states as sorted runs: what
 *		cohort_agg (cohort_runs.c) and order_stats (order_stats_runs.c) share.
 *
 * A parallel worker sends its state flattened with its customers in the
 * order of their key hash (entry_hash), and says so with a flag in the flat
 * form.  The leader's combine function keeps each such value as it came, a
 * run, instead of inserting its customers one by one into a hash table,
 * which costs a cache miss per customer and took as long as the workers' own
 * work.  The final function then reads the runs side by side, as the merge
 * step of a merge sort does (RunsMerge), meets each customer's entries of
 * every run at once and computes that customer's part of the result
 * directly: the leader only reads memory sequentially.
 *
 * Whatever else asks for a combined state (a combine with a state that is
 * not a run, another final function, the flat form, a copy, a transition)
 * first settles it: customer_runs_settle merges the runs into the ordinary
 * state with the kind's merge_flat.  The agg_state.c functions do that
 * through StateKind.settle.  Runs are validated as they are read, as
 * merge_flat does.
 *
 * The kind gives the little that differs: whether a state flattens in hash
 * order, the first look at a flat value and its header (RunsKind), and the
 * reading of one customer's record (RunReader).
 */
#ifndef RETENTION_CUSTOMER_RUNS_H
#define RETENTION_CUSTOMER_RUNS_H

#include "customer_state.h"

/* One flat value (without its varlena header), copied into the state. */
typedef struct CustomerRun
{
	char	   *data;
	Size		len;
	Size		allocated;		/* bytes taken from the budget at data */
} CustomerRun;

/* CustomerState.runs */
typedef struct CustomerRuns
{
	CustomerRun *runs;
	int			n;
	int			size;
} CustomerRuns;

/* What the combine's fast path needs of a kind of state. */
typedef struct RunsKind
{
	const StateKind *kind;
	/* whether the expanded s (not spilled, no runs) flattens with its customers in hash order */
	bool		(*flattens_in_hash_order) (const CustomerState *s);
	/*
	 * whether the flat value (len bytes after the varlena header) says its
	 * customers are in hash order: a first look at its fixed bytes
	 */
	bool		(*flat_in_hash_order) (const char *data, Size len);
	/*
	 * the state to keep that flat value in as a run, its header read and
	 * checked: dst when not NULL (an error unless the value's kinds are
	 * dst's), else a new empty state of the value's kinds under parent
	 */
	CustomerState *(*state_for_run) (CustomerState *dst, const char *data, Size len,
									 MemoryContext parent);
	/* a new empty state of the kinds of s, under parent */
	CustomerState *(*new_like) (const CustomerState *s, MemoryContext parent);
} RunsKind;

extern bool customer_runs_combine(const RunsKind *rk, FunctionCallInfo fcinfo, Datum *result);
extern CustomerState *customer_runs_of(const StateKind *kind, Datum d);
extern void customer_runs_settle(CustomerState *s, const StateKind *kind);
extern KeyEntry **kt_by_hash(const KeyTable *kt);

/* ---- reading runs side by side ------------------------------------------- */

/* A run being read: its customers one at a time, in hash order. */
typedef struct RunCursor
{
	StringInfoData buf;			/* the run's bytes */
	uint32		left;			/* customers not read yet */
	int			run;			/* its index among the runs */
	bool		valid;			/* holds a customer */
	uint32		hash;
	KeyEntry	key;
	const char *record;			/* the customer's record after its key (the kind's) */
	uint64		count;			/* the kind's (a count read from the record) */
} RunCursor;

/* How a kind reads the customers of its runs. */
typedef struct RunReader
{
	KeyClass	customer_class;
	/* read the record after c->key at c->buf, validating it; set c->record, c->count */
	void		(*read_customer) (RunCursor *c, void *arg);
	/* c has no customer left: check the end of the run */
	void		(*end_run) (RunCursor *c, void *arg);
	void	   *arg;
} RunReader;

/* A customer's entry of one run, met in the merge. */
typedef struct RunEntry
{
	KeyEntry	key;
	const char *record;
	uint64		count;
	int			run;
} RunEntry;

/*
 * The merge of the cursors: one customer (one distinct key) at a time, with
 * its entries of every run.  Equal hashes of different keys are rare; they
 * are told apart by key.
 */
typedef struct RunsMerge
{
	const RunReader *reader;
	RunCursor  *cur;
	int		   *heap;			/* cursors holding a customer, a min-heap by hash */
	int			nheap;
	RunEntry   *group;			/* the entries of the current hash, grouped by key */
	int			ngroup;
	int			group_size;
	int			next;			/* the first entry of group not returned yet */
	uint64		nhashes;
} RunsMerge;

/*
 * Opening a run: run_cursor_open, then the kind reads and checks the run's
 * header from c->buf and sets c->left, then run_cursor_next reads the first
 * customer.
 */
extern void run_cursor_open(RunCursor *c, const CustomerRun *run, int index);
extern void run_cursor_next(RunCursor *c, const RunReader *r);
extern void runs_merge_begin(RunsMerge *m, RunCursor *cur, int k, const RunReader *r);
extern int	runs_merge_next(RunsMerge *m, RunEntry **entries);
extern void runs_merge_end(RunsMerge *m);

#endif							/* RETENTION_CUSTOMER_RUNS_H */
