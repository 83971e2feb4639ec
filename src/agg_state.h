/*
 * agg_state.h
 *		What the transition states of the aggregates (order_stats_state,
 *		cohort_state) have in common.
 *
 * SQL sees each state as a varlena type, not "internal", so that Citus can
 * run the aggregates on its workers.  While an aggregate runs the state is a
 * PostgreSQL expanded object in memory under the aggregate context (the
 * states of one aggregate context share one memory context, agg_state.c says
 * why): the transition function updates it in place and returns the same
 * read-write pointer, so nodeAgg copies nothing.  When it travels (parallel
 * workers, Citus, the SQL type's I/O) it is flattened to a versioned form
 * that is validated before use.  A StateKind gives the few functions that
 * differ; this file does the rest: getting a state to update or read, the
 * combine function, and the SQL type's input and output.
 */
#ifndef RETENTION_AGG_STATE_H
#define RETENTION_AGG_STATE_H

#include "retention.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/expandeddatum.h"

typedef struct StateKind
{
	const char *type_name;		/* the SQL type, for messages */
	const ExpandedObjectMethods *methods;	/* tells our objects apart */
	/* a new state under parent, equal to the expanded src */
	ExpandedObjectHeader *(*copy) (ExpandedObjectHeader *src, MemoryContext parent);
	/* a new state under parent, read and fully validated from flat bytes */
	ExpandedObjectHeader *(*from_flat) (const char *data, Size len, MemoryContext parent);
	/* dst += src */
	void		(*merge) (ExpandedObjectHeader *dst, ExpandedObjectHeader *src);
	/*
	 * dst += the flat state in buf, validating it; strict when dst is new and
	 * empty, so that the flat state's own invariants (no duplicate keys) are
	 * checked too
	 */
	void		(*merge_flat) (ExpandedObjectHeader *dst, StringInfo buf, bool strict);
	/*
	 * optional: bring a state the combine function left in a lazy form
	 * (customer_runs.h) into its ordinary form, before anything else uses it
	 */
	void		(*settle) (ExpandedObjectHeader *state);
} StateKind;

extern MemoryContext agg_memory_context(FunctionCallInfo fcinfo);
extern MemoryContext state_memory_context(MemoryContext parent, const char *name);

extern ExpandedObjectHeader *state_copy(const StateKind *kind, Datum d, MemoryContext parent);
extern ExpandedObjectHeader *state_get_rw(const StateKind *kind, Datum d, MemoryContext aggcxt);
extern ExpandedObjectHeader *state_view(const StateKind *kind, Datum d);
extern void state_merge_datum(const StateKind *kind, ExpandedObjectHeader *dst, Datum src);
extern Datum state_combine(const StateKind *kind, FunctionCallInfo fcinfo);

/* scratch memory for the get_flat_size and flatten_into methods (see agg_state.c) */
extern MemoryContext state_scratch_begin(ExpandedObjectHeader *eohptr);
extern void state_scratch_end(MemoryContext old);

extern Datum state_type_in(const StateKind *kind, FunctionCallInfo fcinfo);
extern Datum state_type_out(FunctionCallInfo fcinfo);
extern Datum state_type_recv(const StateKind *kind, FunctionCallInfo fcinfo);
extern Datum state_type_send(FunctionCallInfo fcinfo);

/*
 * The four I/O functions of a state's SQL type, <prefix>_in, _out, _recv and
 * _send, over its StateKind.
 */
#define STATE_TYPE_IO_FUNCTIONS(prefix, kind) \
	PG_FUNCTION_INFO_V1(prefix##_in); \
	PG_FUNCTION_INFO_V1(prefix##_out); \
	PG_FUNCTION_INFO_V1(prefix##_recv); \
	PG_FUNCTION_INFO_V1(prefix##_send); \
	Datum prefix##_in(PG_FUNCTION_ARGS) { return state_type_in(&(kind), fcinfo); } \
	Datum prefix##_out(PG_FUNCTION_ARGS) { return state_type_out(fcinfo); } \
	Datum prefix##_recv(PG_FUNCTION_ARGS) { return state_type_recv(&(kind), fcinfo); } \
	Datum prefix##_send(PG_FUNCTION_ARGS) { return state_type_send(fcinfo); }

#endif							/* RETENTION_AGG_STATE_H */
