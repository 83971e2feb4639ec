/*
 * customer_state.h
 *		What the customer-keyed transition states share: order_stats_state
 *		and cohort_state both start with a CustomerState.
 *
 * SQL sees each state as a varlena type, not "internal", so that Citus can
 * run the aggregates on its workers; while an aggregate runs it is an
 * expanded object (agg_state.h).  Each keeps its distinct customers, and in
 * the order-lines form its distinct orders, in exact hash tables
 * (keytable.h), counts its rows, and parks rows in a RowBatch once the tables
 * outgrow the CPU caches (row_batch.h).  This file does what that takes in
 * common: creating a state, the state of a row, reading a row's keys and
 * time, and adding up the counters of two states.
 */
#ifndef RETENTION_CUSTOMER_STATE_H
#define RETENTION_CUSTOMER_STATE_H

#include "agg_args.h"
#include "agg_state.h"
#include "keytable.h"
#include "row_batch.h"
#include "state_spill.h"

typedef struct CustomerState
{
	ExpandedObjectHeader hdr;
	MemBudget	budget;
	uint8		time_kind;		/* TimeKind */
	uint8		customer_class; /* KeyClass */
	uint8		order_class;	/* KeyClass, 0 when rows are orders */
	uint8		flags;			/* the owner's (cohort_state: has amounts) */
	int64		ignored_rows;	/* rows with a NULL customer, time or order key */
	int64		rows;			/* rows counted */
	int64		max_at;			/* latest time of a counted row */
	KeyTable	customers;
	KeyTable	orders;			/* order lines: the distinct orders */
	RowBatch   *batch;			/* NULL while the customers table fits the caches */
	bool		spill_ok;		/* may spill to disk (state_spill.h) when full */
	uint8		spill_level;	/* 0, or n + 1 for a state read back from a level n file */
	StateSpill *spill;			/* NULL until the state spilled */
	uint64	   *on_disk;		/* spilling: a bit per customer in memory with rows on disk */
	struct CustomerRuns *runs;	/* flat states combined but not merged
								 * (customer_runs.h), or NULL */
} CustomerState;

typedef CustomerState *(*CustomerStateCreate) (MemoryContext parent, const AggArgs *a);

extern CustomerState *customer_state_create(MemoryContext parent, Size size, const char *name,
											const ExpandedObjectMethods *methods, TimeKind time_kind,
											KeyClass customer_class, KeyClass order_class, uint8 flags);
extern CustomerState *customer_state_for_row(FunctionCallInfo fcinfo, const AggArgSpec *spec,
											 const AggArgs *a, uint8 flags, const StateKind *kind,
											 CustomerStateCreate create);
extern void customer_state_add_counts(CustomerState *dst, const char *agg_name,
									  int64 ignored_rows, int64 rows, int64 max_at);
extern bool customer_state_needs_batch(const CustomerState *s);
extern bool customer_state_has_room(const CustomerState *s, const KeyEntry *customer, Size extra);
extern bool customer_state_has_room_parked(const CustomerState *s, const KeyEntry *customer,
										   uint32 parked, Size extra);
extern void customer_state_begin_spill(CustomerState *s, const char *agg_name);
extern void customer_state_refuse_spilled(const CustomerState *s, const char *agg_name);
extern void customer_state_set_on_disk(CustomerState *s, const KeyEntry *e);

/*
 * The state of one partition of a spilled state s: its customers in memory
 * entries[0 .. n) (those flagged on disk), then the rows of its file; NULL
 * when it has neither.  Made in CurrentMemoryContext.
 */
typedef CustomerState *(*PartitionStateFn) (CustomerState *s, int part, KeyEntry **entries,
											uint32 n);
extern void customer_state_for_each_partition(CustomerState *s, const char *agg_name,
											  PartitionStateFn partition,
											  void (*fn) (CustomerState *ps, void *arg), void *arg);

/* Whether a customer in memory of a spilling state also has rows on disk. */
static inline bool
customer_state_on_disk(const CustomerState *s, uint32 ordinal)
{
	return s->on_disk != NULL && (s->on_disk[ordinal / 64] >> (ordinal % 64)) & 1;
}

/*
 * Counts this row, or its NULL customer, time or order key as an ignored row
 * (false); sets its time and its keys' probes (payload 0).
 */
static inline bool
customer_state_take_row(CustomerState *s, FunctionCallInfo fcinfo, const AggArgSpec *spec,
						const AggArgs *a, int64 *at, KeyEntry *customer, KeyEntry *order)
{
	if (PG_ARGISNULL(spec->customer) || PG_ARGISNULL(spec->time) ||
		(a->lines && PG_ARGISNULL(spec->order)))
	{
		s->ignored_rows++;
		return false;
	}
	*at = time_datum_to_micros(PG_GETARG_DATUM(spec->time), a->time_kind);
	if (s->rows == 0 || *at > s->max_at)
		s->max_at = *at;
	s->rows++;
	key_probe_datum(customer, a->customer_type, PG_GETARG_DATUM(spec->customer));
	if (a->lines)
		key_probe_datum(order, a->order_type, PG_GETARG_DATUM(spec->order));
	return true;
}

#endif							/* RETENTION_CUSTOMER_STATE_H */
