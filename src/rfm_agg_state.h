/*
 * rfm_agg_state.h
 *		The state and summary of rfm_agg: every customer of a table with its
 *		distinct purchase periods and the exact sum of each period's amounts,
 *		in one value (doc/rfm.md#rfm_agg-and-rfm_table).
 *
 * rfm(...) GROUP BY customer makes one state per customer; rfm_agg(customer,
 * ...) makes one state for the whole table, keyed by customer like
 * order_stats' (customer_state.h): a CustomerState whose customers table
 * carries, per customer, a pointer to an RfmBlock of cells (its low bit set
 * while the block has a tail), one per purchase
 * period of the grain (day by default, or hour, week, month).  The end of the
 * observation is not known yet (rfm_table takes it), so every period is kept
 * with its own sum: rfm_table drops the periods after the end, and may read
 * the periods in a coarser unit (day -> week, month) when that is exact.
 *
 * A block keeps cells[0 .. nsorted) ascending and distinct, then ntail cells
 * out of order (possibly repeating a period), sorted and merged into the rest
 * when the tail grows as long as the sorted part: rows in any order cost
 * O(log n) each.  Blocks have room for a power of two of cells and come from
 * an arena of the state with a free list per size.  A cell's sum is int64
 * units of 10^-8 with the largest display scale of its amounts, or, for what
 * does not fit (money.h), a MoneySum of the state's 'slows' array.
 *
 * The flat form (the SQL type rfm_agg_state, little-endian, flat_io.h):
 *   u8 version, u8 time kind, u8 customer key class,
 *   u8 grain (rfm unit code) | RFM_AGG_HASH_ORDER,
 *   u32 customer type oid, u8 n + n bytes: TimeZone name (timestamptz only)
 *   u64 ignored_rows, u64 rows, u32 customers,
 *   customers: key, u32 n periods, n cells ascending:
 *     u64 period, u8 form, form 0: u16 dscale, u64 units; form 1: a MoneySum
 * The customers come in hash order, flagged RFM_AGG_HASH_ORDER, so that the
 * leader of a parallel plan can keep partial states as runs (customer_runs.h,
 * rfm_agg_runs.c), except in rfm_agg's result of a state that did not log its
 * rows (rfm_agg_log.c: a window aggregate, a row the log could not take),
 * whose customers come in first-seen order without it.
 */
#ifndef RETENTION_RFM_AGG_STATE_H
#define RETENTION_RFM_AGG_STATE_H

#include "customer_state.h"
#include "money.h"
#include "rfm_state.h"

#define RFM_AGG_STATE_VERSION 1
#define RFM_AGG_CLASSES 32		/* blocks hold 1 << cls cells */
#define RFM_AGG_TZ_MAX 255
#define RFM_AGG_HASH_ORDER 0x80	/* of the grain byte: customers in hash order */
#define RFM_AGG_HEADER_MIN (4 + 4 + 1 + 8 + 8 + 4)	/* flat bytes besides the TimeZone name */
#define RFM_AGG_CELL_MIN (8 + 1 + 2 + 8)	/* flat bytes of a fast cell */

typedef struct RfmCell
{
	int64		period;			/* period.h: calendar period number or hour start */
	int64		units;			/* sum of the amounts, units of 10^-8 (fast cells) */
	uint32		slow;			/* 0: fast; else 1 + index of its MoneySum in slows */
	uint16		dscale;			/* largest display scale of its amounts (fast cells) */
	uint16		pad;
} RfmCell;

typedef struct RfmBlock
{
	uint32		nsorted;		/* cells[0 .. nsorted): ascending, distinct */
	uint16		ntail;			/* then ntail cells out of order */
	uint8		cls;			/* room for 1 << cls cells */
	uint8		pad;
	RfmCell		cells[FLEXIBLE_ARRAY_MEMBER];
} RfmBlock;

typedef struct RfmAggState
{
	CustomerState c;			/* c.flags: the grain (rfm unit code) */
	Oid			customer_type;
	char		tz[RFM_AGG_TZ_MAX + 1]; /* timestamptz: the TimeZone of the periods */
	uint64		ncells;			/* cells of all blocks (tails included) */
	MoneySum   *slows;			/* sums of the slow cells */
	uint32		nslows;
	uint32		slows_cap;
	char	   *arena;			/* free space for small blocks */
	Size		arena_free;
	RfmBlock   *free_blocks[RFM_AGG_CLASSES];	/* freed blocks by class, linked */
	bool		flat_by_ordinal;	/* flatten in first-seen order (rfm_agg_summary) */
	Size		arena_chunk;	/* the size of the next chunk of the arena, 0: the first */
	struct LoggedRows *log;		/* rows not in the tables yet (rfm_agg_log.c), or NULL */
} RfmAggState;

/* What a flat state starts with (rfm_agg_read_header). */
typedef struct RfmAggHeader
{
	TimeKind	time_kind;
	KeyClass	customer_class;
	uint8		grain;
	bool		hash_order;		/* RFM_AGG_HASH_ORDER: checked as customers are read */
	Oid			customer_type;
	char		tz[RFM_AGG_TZ_MAX + 1];
	int64		ignored_rows;
	int64		rows;
	uint32		ncustomers;
	uint32		nread;			/* customers read so far, and the last one's hash */
	uint32		last_hash;
} RfmAggHeader;

extern const StateKind rfm_agg_kind;

extern RfmAggState *rfm_agg_new(MemoryContext parent, TimeKind time_kind, KeyClass customer_class,
								uint8 grain, Oid customer_type, const char *tz);
extern void rfm_agg_add_row(RfmAggState *s, const KeyEntry *customer, int64 period,
							int64 units, int dscale, Datum slow);
extern void rfm_agg_flush(RfmAggState *s);

/* rfm_agg_log.c: rows logged and sorted into the flat form */
extern void rfm_agg_log_begin(RfmAggState *s);
extern bool rfm_agg_log_push(RfmAggState *s, const KeyEntry *customer, int64 period, int64 units,
							 int dscale);
extern void rfm_agg_log_replay(RfmAggState *s);
extern bool rfm_agg_log_flat_size(RfmAggState *s, Size *size);
extern void rfm_agg_log_flatten(RfmAggState *s, char *start, Size allocated_size);
extern void rfm_agg_merge_customer(RfmAggState *dst, RfmAggState *src, KeyEntry *e);
extern Size rfm_agg_customer_flat_size(RfmAggState *s, KeyEntry *e);
extern char *rfm_agg_put_customer(char *p, RfmAggState *s, KeyEntry *e);
extern const char *rfm_agg_session_tz(TimeKind time_kind);
extern void rfm_agg_check_compatible(const RfmAggState *dst, TimeKind time_kind,
									 KeyClass customer_class, uint8 grain, Oid customer_type,
									 const char *tz);

/* rfm_agg_read.c: reading the flat form (rfm_table reads it directly, without a hash table) */
extern char *rfm_agg_put_header(char *p, const RfmAggState *s, int64 ignored_rows, int64 rows,
								bool hash_order);
extern void rfm_agg_read_header(StringInfo buf, RfmAggHeader *h);
extern uint32 rfm_agg_read_customer(StringInfo buf, RfmAggHeader *h, KeyEntry *key,
									uint64 *rows_left);
extern uint32 rfm_agg_read_count(StringInfo buf, RfmAggHeader *h, const KeyEntry *key,
								 uint64 *rows_left);
extern void rfm_agg_read_cell(StringInfo buf, const RfmAggHeader *h, int64 prev, bool first,
							  RfmCell *cell, MoneySum *slow);

/* rfm_agg_runs.c: hash-ordered partial states kept as runs (customer_runs.h) */
extern bool rfm_agg_combine_as_runs(FunctionCallInfo fcinfo, Datum *result);
extern void rfm_agg_settle(ExpandedObjectHeader *eoh);
extern struct varlena *rfm_agg_summary(Datum state);

/* rfm_agg_spill.c: the summary of a state that spilled to disk (state_spill.h) */
extern struct varlena *rfm_agg_spilled_summary(RfmAggState *s);

static inline char *
rfm_put_u16(char *p, uint16 v)
{
	p[0] = (char) (v & 0xFF);
	p[1] = (char) (v >> 8);
	return p + 2;
}

static inline Datum
rfm_agg_datum(RfmAggState *s)
{
	return EOHPGetRWDatum(&s->c.hdr);
}

#endif							/* RETENTION_RFM_AGG_STATE_H */
