/*
 * state_spill.h
 *		Rows of a customer-keyed state that do not fit retention.max_state_memory,
 *		on disk: the partition files of a spilling state (see doc/memory.md).
 *
 * As PostgreSQL's hash aggregation spills (nodeAgg.c), a state that would
 * outgrow its budget stops admitting new customers into memory: the rows of a
 * customer it does not hold go to one of a few temporary files (BufFile),
 * chosen by the customer's hash.  So every customer's rows are either in
 * memory or in one file, and since every count the aggregates report is a
 * sum over customers, the final function adds the result of the customers in
 * memory to that of each file, read back into a fresh state by the same code
 * as the transition (one that outgrows the budget again spills again, with
 * the hash mixed for the next level).  A customer already in memory whose
 * growth no longer fits has its further rows written to its file too; the
 * state records that (mixed), and the final function then moves the
 * in-memory customers of each partition into that partition's state first.
 *
 * A record is fixed-size apart from the key and an owner-defined tail:
 *		u32 key length, u32 tail length, i64 a, i64 b, key bytes, tail bytes
 *
 * The files are temporary files of the resource owner current when the state
 * began to spill (temp_file_limit, temp_tablespaces apply; an error or cancel
 * removes them) and are closed when the state's memory context goes.
 */
#ifndef RETENTION_STATE_SPILL_H
#define RETENTION_STATE_SPILL_H

#include "keytable.h"

#include "fmgr.h"

/* Deeper than this the rows of one customer hash value outgrow the budget. */
#define SPILL_MAX_LEVEL 12

typedef struct StateSpill StateSpill;

/* One record read back; key and tail point into the reader's buffer. */
typedef struct SpillRecord
{
	KeyEntry	customer;		/* a probe, payload 0 */
	int64		a;
	int64		b;
	const char *tail;
	uint32		tail_len;
} SpillRecord;

extern bool spill_allowed(FunctionCallInfo fcinfo);
extern StateSpill *spill_begin(MemoryContext cxt, int level, const char *agg_name, Size used,
							   uint32 customers);
extern void spill_write(StateSpill *sp, const KeyEntry *customer, int64 a, int64 b,
						const void *tail, uint32 tail_len);
extern int	spill_level(const StateSpill *sp);
extern int64 spill_rows(const StateSpill *sp);
extern int	spill_npartitions(const StateSpill *sp);
extern int	spill_partition_of(const StateSpill *sp, const KeyEntry *customer);
extern void spill_set_mixed(StateSpill *sp);
extern bool spill_is_mixed(const StateSpill *sp);
extern bool spill_rewind(StateSpill *sp, int part);
extern bool spill_read(StateSpill *sp, int part, SpillRecord *rec);
extern void spill_report(const StateSpill *sp);
extern void spill_refuse(const char *agg_name, const char *why) pg_attribute_noreturn();

#endif							/* RETENTION_STATE_SPILL_H */
