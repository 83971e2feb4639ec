/*
 * result_set.c
 *		What the set-returning accessors of the summary types share
 *		(cohort_report.c, revenue_report.c).
 */
#include "result_set.h"

#include "miscadmin.h"
#include "pgtime.h"
#include "utils/datetime.h"

void
result_begin(FunctionCallInfo fcinfo, ResultSet *rs)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &rs->desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rs->desc = CreateTupleDescCopy(rs->desc);
	rs->store = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = rs->store;
	rsinfo->setDesc = rs->desc;
	MemoryContextSwitchTo(old);
}

void
curve_rows(ResultSet *rs, int64 noffsets, const int32 *cohorts, const int64 *members,
		   const int64 *active, const double *rate_sum)
{
	for (int64 k = 0; k < noffsets; k++)
	{
		Datum		values[6];
		bool		nulls[6] = {0};

		if (cohorts[k] == 0)
			continue;
		values[0] = Int32GetDatum((int32) k);
		values[1] = Int32GetDatum(cohorts[k]);
		values[2] = Int64GetDatum(members[k]);
		values[3] = Int64GetDatum(active[k]);
		values[4] = Float8GetDatum((double) active[k] / (double) members[k]);
		values[5] = Float8GetDatum(rate_sum[k] / cohorts[k]);
		tuplestore_putvalues(rs->store, rs->desc, values, nulls);
	}
}

/* Wall-clock microseconds of a timestamptz in the session time zone. */
static int64
local_micros(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	Timestamp	result;

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0 ||
		tm2timestamp(&tm, fsec, NULL, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

/*
 * Period boundaries are local midnights in the session TimeZone, as when the
 * summary was built; for timestamp and date input, observed_until is read as
 * a local time there.
 */
int32
observation_end_period(PeriodKind period_kind, TimeKind time_kind, int64 latest_at,
					   bool has_until, TimestampTz until, const char *what)
{
	if (!has_until)
		return period_of_time(period_kind, time_kind, latest_at);
	if (TIMESTAMP_NOT_FINITE(until))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("observed_until must be finite"),
				 errhint("Pass the end of the observation period, or leave observed_until out (NULL) to end at the latest order.")));
	if (time_kind == TIME_TIMESTAMPTZ ? until < latest_at : local_micros(until) < latest_at)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observed_until is before the latest order of the %s", what),
				 errhint("To observe a shorter span, leave the later orders out of the aggregate (WHERE ordered_at < ...).")));
	return period_of_utc(period_kind, until);
}
