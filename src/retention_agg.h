/*
 * retention_agg.h
 *		What the retention_agg aggregate (retention_agg.c: its state, the
 *		state type and the final count) and the retention_matrix type with
 *		its accessors (retention_matrix.c) share.  Definitions in
 *		doc/retention_agg.md.
 */
#ifndef RETENTION_RETENTION_AGG_H
#define RETENTION_RETENTION_AGG_H

#include "customer_state.h"
#include "money.h"
#include "period.h"

#include "utils/expandeddatum.h"

/* the options (retention_options), as the state and the matrix keep them */
#define RA_RECURRING	0x01	/* cohorts => 'recurring' */
#define RA_SUNDAY		0x02	/* week_start => 'sunday' */
#define RA_HAS_VALUE	0x04	/* the aggregate had a value argument */
#define RA_ALL_FLAGS	0x07

#define RA_MAX_BRACKETS 64
#define RA_MAX_BRACKET_SIZE 100000

/*
 * The period: a calendar PeriodKind (1 .. PERIOD_KIND_MAX), or RA_WINDOW for
 * an interval period (rolling windows from each member's anchor time).
 */
#define RA_WINDOW 7

typedef struct RaOptions
{
	uint8		flags;			/* RA_RECURRING, RA_SUNDAY */
	int32		min_occurrences;	/* >= 1 */
	int32		nbrackets;		/* 0: no brackets */
	int32		brackets[RA_MAX_BRACKETS];	/* sizes, each >= 1 */
} RaOptions;

/*
 * One (actor, key) with events.  The key is a time, for both kinds of
 * period; every return event of a node is at or after its key.
 *
 * Windows: the event time; a node holds the events of one instant.
 *
 * Calendar periods: rows of one period fold into one node while they come
 * together, and the final count finds each key's period again.  Return
 * events before the anchor (the first is_start event of the anchor's period)
 * are not counted, even in the anchor's own period; a node's key says which
 * side of the anchor its returns lie on without keeping each return's time:
 *   - a node that is not 'pending' has a key at or after some is_start event
 *     of the actor (first_time cohorts) or of its own period (recurring),
 *     and its returns are at or after its key;
 *   - a 'pending' node holds return events of one instant, its key, that
 *     came before any is_start event that could bound them (an is_start
 *     event may still come in a later row or a merged state).
 * The final count sorts an actor's nodes by key and counts a cohort's nodes
 * from the anchor's key on: the earliest is_start event of a period is the
 * smallest key of its start nodes (retention_agg.c).
 *
 * A customer's nodes form a chain from the newest; one key may be in several
 * nodes (rows in any order, merged states): the final count merges them.
 */
typedef struct RaNode
{
	int64		key;
	int64		units;			/* sum of the return events' values, units of 10^-8 */
	uint32		next;			/* the actor's previous node, or RA_NONE */
	uint32		returns;		/* return events */
	uint32		actor;			/* the actor's ordinal (the final count sorts by it) */
	uint32		exc:30;			/* 1 + index of the exact numeric rest, or 0 */
	uint32		pending:1;		/* calendar: returns of one instant, not bounded yet */
	uint32		start:1;		/* an is_start event */
} RaNode;

#define RA_MAX_EXC ((uint32) 0x3FFFFFFE)

/*
 * An actor's payload: its newest node (30 bits; all ones: none), a tag, and
 * two bits saying what the tag means.  The tag is a period (calendar) or the
 * low 32 bits of the newest node's key (windows, and merged states).
 * Calendar periods: 'in tag' says the newest node is in the tag's period and
 * not pending, so that a row of the same period folds into it and a row of
 * another period (the usual case) adds a node without reading it; 'bound'
 * says an is_start event of the actor lies in the tag's period or before.
 */
#define RA_HEAD_BITS ((uint32) 0x3FFFFFFF)
#define RA_HEAD(payload) \
	((((uint32) (payload)) & RA_HEAD_BITS) == RA_HEAD_BITS ? RA_NONE : ((uint32) (payload)) & RA_HEAD_BITS)
#define RA_IN_TAG(payload) ((((uint32) (payload)) >> 30 & 1) != 0)
#define RA_BOUND(payload) ((((uint32) (payload)) >> 31) != 0)
#define RA_TAG(payload) ((uint32) ((payload) >> 32))
#define RA_PAYLOAD(node, tag, in_tag, bound) \
	((uint64) ((node) == RA_NONE ? RA_HEAD_BITS : (node)) | ((uint64) ((in_tag) ? 1 : 0) << 30) | \
	 ((uint64) ((bound) ? 1 : 0) << 31) | ((uint64) (uint32) (tag) << 32))

/*
 * Rows waiting for their actor's hash slot (as row_batch.h does for the order
 * aggregates): once the actors table outgrows the CPU caches, a row only asks
 * for its slot (kt_prefetch) and waits here; the batch is applied when full,
 * and before anything reads the state (ra_flush).  Only rows with an inline
 * key (16 bytes or less) and a value that fits the units wait.
 */
#define RA_BATCH_SIZE 32

typedef struct RaBatchRow
{
	KeyEntry	actor;
	int64		at;				/* the event time */
	int32		period;			/* calendar: its period */
	int64		units;
	bool		start;
	bool		is_return;
} RaBatchRow;

typedef struct RaBatch
{
	int			n;
	RaBatchRow	rows[RA_BATCH_SIZE];
} RaBatch;

#define RA_NONE PG_UINT32_MAX
#define RA_CHUNK_BITS 16
#define RA_CHUNK_SIZE (1 << RA_CHUNK_BITS)

typedef struct RaState
{
	CustomerState c;			/* the actors (c.customers), counters, time kind */
	uint8		kind;			/* PeriodKind or RA_WINDOW */
	RaOptions	opt;			/* flags include RA_HAS_VALUE */
	int64		window;			/* RA_WINDOW: the window in microseconds, > 0 */
	int32		max_dscale;		/* largest display scale of a value */
	RaBatch    *batch;			/* NULL until the actors table is large */
	RaNode	  **chunks;			/* chunk 0 grows to RA_CHUNK_SIZE nodes, the rest have it */
	uint32		nchunks;
	uint32		chunk0_size;
	uint32		nnodes;
	Datum	   *exc;			/* numeric values that do not fit the units */
	uint32		nexc;
	uint32		exc_size;
	bool		merged;			/* states were merged in: the tags are keys, not periods */
} RaState;

static inline RaNode *
ra_node(const RaState *s, uint32 i)
{
	return &s->chunks[i >> RA_CHUNK_BITS][i & (RA_CHUNK_SIZE - 1)];
}

/* retention_state.c: the state */
extern const StateKind ra_kind;
extern RaState *ra_new(MemoryContext parent, TimeKind time_kind, KeyClass key_class, uint8 kind,
					   const RaOptions *opt, int64 window);
extern uint32 ra_add_event(RaState *s, const KeyEntry *probe, int64 at, int32 period,
						   bool is_start, bool is_return);
extern void ra_node_add_value(RaState *s, uint32 node, Datum value);
extern void ra_node_add_units(RaState *s, uint32 node, int64 units);
extern void ra_flush(RaState *s);
extern void ra_add_row(RaState *s, const KeyEntry *probe, int64 at, int32 period, bool is_start,
					   bool is_return, int64 units, Datum big);
extern void ra_merge_actor(RaState *dst, const KeyEntry *probe, const RaState *src, uint32 head);
extern void ra_move_actor(RaState *dst, const KeyEntry *probe, const RaState *src, uint32 head);
extern bool ra_same_options(const RaOptions *a, const RaOptions *b);

/* retention_spill.c: a state over retention.max_state_memory spills (state_spill.h) */
extern bool ra_spill_row(RaState *s, const KeyEntry *probe, int64 at, int32 period, bool is_start,
						 bool is_return, int64 units, Datum big);
extern void ra_for_each_partition(RaState *s, void (*fn) (RaState *ps, void *arg), void *arg);

/* one more return event */
static inline void
ra_count_return(RaNode *n)
{
	if (unlikely(n->returns == PG_UINT32_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention_agg cannot count more than %u return events of one actor in one period",
						PG_UINT32_MAX)));
	n->returns++;
}

/* the period of a time: calendar kinds as period.h numbers them, with Sunday weeks, and hours */
extern int32 ra_period_of(uint8 kind, bool sunday, TimeKind time_kind, int64 at);

/* days from 2000-01-01 (a Saturday) to the first Monday, and Sunday */
#define FIRST_MONDAY 2
#define FIRST_SUNDAY 1

/*
 * The same, through a PeriodFinder set up for 'kind' (days for weeks): the
 * transition's and the final count's way.
 */
static inline int32
ra_period_find(PeriodFinder *f, uint8 kind, bool sunday, int64 at)
{
	int64		p = period_find(f, at);

	if (kind == PERIOD_HOUR)
		return (int32) floor_div(p, USECS_PER_HOUR);
	if (kind == PERIOD_WEEK)
		return (int32) floor_div(p - (sunday ? FIRST_SUNDAY : FIRST_MONDAY), 7);
	return (int32) p;
}
/* the unit of a window's cohorts: days, or hours for windows under a day */
static inline uint8
ra_cohort_unit(int64 window)
{
	return window < USECS_PER_DAY ? PERIOD_HOUR : PERIOD_DAY;
}

extern void ra_read_options(StringInfo buf, RaOptions *opt, uint8 *kind, int64 *window,
							bool allow_none);
extern int64 ra_period_start(uint8 kind, bool sunday, TimeKind time_kind, int32 period);

/* ---- retention_matrix --------------------------------------------------- */

#define RM_VERSION 1

typedef struct RmCell
{
	int32		cohort;			/* period number (ra_period_of) */
	int32		offset;			/* period offset, or bracket number */
	int64		active;			/* offset 0: the cohort's size */
	int64		last;			/* members whose last active offset this is */
	int64		returns;		/* return events of the active members */
	Datum		value;			/* their values' exact sum; 0 without values */
} RmCell;

typedef struct RmMatrix
{
	uint8		kind;			/* PeriodKind, RA_WINDOW, 0 for no rows at all */
	uint8		time_kind;
	RaOptions	opt;
	int64		window;
	int32		value_dscale;
	int64		latest_at;
	int64		ignored_rows;
	int64		rows;
	uint32		ncells;
	RmCell	   *cells;			/* sorted by (cohort, offset); offset 0 first in each cohort */
} RmMatrix;

extern struct varlena *rm_flatten(const RmMatrix *m);
struct CellTable;				/* cohort_matrix.h */
extern void rm_set_cells(RmMatrix *m, const struct CellTable *t);
extern RmMatrix *rm_read(const char *data, Size len);

#endif							/* RETENTION_RETENTION_AGG_H */
