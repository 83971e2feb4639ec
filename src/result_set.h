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
 * The rows (period_offset, cohorts, cohort_customers, active, retention_rate,
 * mean_rate) of a retention curve, one per offset that some cohort completed:
 * per offset k, the cohorts that completed it, their members, the active ones
 * and the sum of the cohorts' rates.
 */
extern void curve_rows(ResultSet *rs, int64 noffsets, const int32 *cohorts, const int64 *members,
					   const int64 *active, const double *rate_sum);

/*
 * The period holding the observation end: observed_until when given (finite,
 * not before the latest row, else an ERROR naming 'what'), else latest_at.
 */
extern int32 observation_end_period(PeriodKind period_kind, TimeKind time_kind, int64 latest_at,
									bool has_until, TimestampTz until, const char *what);

#endif							/* RETENTION_RESULT_SET_H */
