/*
 * result_set.h
 *		What the set-returning accessors of the summary types share: a
 *		materialized result set, and the period that holds the end of the
 *		observation (the latest row, or an observed_until argument).
 */
#ifndef RETENTION_RESULT_SET_H
#define RETENTION_RESULT_SET_H

#include "period.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

typedef struct ResultSet
{
	Tuplestorestate *store;
	TupleDesc	desc;
} ResultSet;

extern void result_begin(FunctionCallInfo fcinfo, ResultSet *rs);

/*
 * The period holding the observation end: observed_until when given (finite,
 * not before the latest row, else an ERROR naming 'what'), else latest_at.
 */
extern int32 observation_end_period(PeriodKind period_kind, TimeKind time_kind, int64 latest_at,
									bool has_until, TimestampTz until, const char *what);

#endif							/* RETENTION_RESULT_SET_H */
