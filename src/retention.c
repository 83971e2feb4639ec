/*
 * retention.c
 *		Module entry point, settings and helpers shared by all aggregates.
 */
#include "retention.h"

#include "common/int.h"

#include <limits.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

/*
 * Upper bound of one aggregate state, in kB.  The default keeps the state's
 * flat form (what parallel workers send to the leader) well under the 1 GB
 * limit of a single value.
 */
int			retention_max_state_memory = 1024 * 1024;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("retention.max_state_memory",
							"Largest memory one retention aggregate state may use.",
							"Each aggregate group keeps one state; exceeding this is an error, "
							"never an out-of-memory kill.",
							&retention_max_state_memory,
							1024 * 1024,	/* 1 GB */
							64,
							INT_MAX / 2,
							PGC_USERSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("retention");
}

static void
budget_exceeded(Size have, Size want)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("retention aggregate state exceeds retention.max_state_memory (%d kB)",
					retention_max_state_memory),
			 errdetail("The state holds %zu kB and needs %zu kB more.",
					   have / 1024, (want + 1023) / 1024),
			 errhint("Raise retention.max_state_memory, or aggregate fewer customers or orders per group.")));
}

/*
 * A state's large arrays (hash slots, node chunks) are touched at random:
 * ask Linux to back them with transparent huge pages where its setting
 * allows ("madvise", Debian's default), which saves a page fault per 4 kB on
 * first touch and most TLB misses afterwards.  Only the 2 MB-aligned part of
 * the allocation is advised; elsewhere (or if the kernel says no) nothing
 * changes.
 */
#define HUGE_PAGE_SIZE ((Size) 2 * 1024 * 1024)

static void *
huge_page_hint(void *ptr, Size size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (size >= 2 * HUGE_PAGE_SIZE)
	{
		uintptr_t	start = TYPEALIGN(HUGE_PAGE_SIZE, (uintptr_t) ptr);
		uintptr_t	end = TYPEALIGN_DOWN(HUGE_PAGE_SIZE, (uintptr_t) ptr + size);

		if (end > start)
			(void) madvise((void *) start, end - start, MADV_HUGEPAGE);
	}
#endif
	return ptr;
}

void *
budget_alloc(MemBudget *budget, Size size)
{
	Size		limit = (Size) retention_max_state_memory * 1024;

	if (size > limit || budget->used > limit - size)
		budget_exceeded(budget->used, size);
	budget->used += size;
	return huge_page_hint(MemoryContextAllocExtended(budget->cxt, size, MCXT_ALLOC_HUGE), size);
}

void
budget_free(MemBudget *budget, void *ptr, Size size)
{
	Assert(budget->used >= size);
	budget->used -= size;
	pfree(ptr);
}

/* A state that must travel (to a parallel leader, to disk) has to fit one value. */
void
budget_check_flat_size(Size size)
{
	if (size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention aggregate state is too large to be passed on (%zu MB)",
						size / (1024 * 1024)),
				 errdetail("A state sent between processes or stored must be smaller than 1 GB."),
				 errhint("Lower retention.max_state_memory or aggregate fewer customers per group.")));
}

/*
 * Convert a timestamptz, timestamp or date to int64 microseconds, refusing
 * infinities: an order at infinity is bad data, and it would poison every
 * time-based result.
 */
int64
time_datum_to_micros(Datum value, TimeKind kind)
{
	int64		result;

	if (kind == TIME_DATE)
	{
		DateADT		d = DatumGetDateADT(value);

		if (DATE_NOT_FINITE(d))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("order time must be finite, not %s",
							DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity"),
					 errhint("Filter such rows out, for example WHERE isfinite(ordered_at).")));
		/* dates run far beyond timestamps: refuse those that do not fit */
		if (pg_mul_s64_overflow((int64) d, USECS_PER_DAY, &result) || !IS_VALID_TIMESTAMP(result))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for an order time"),
					 errhint("Order times must lie between 4713 BC and 294276 AD.")));
	}
	else
	{
		Timestamp	t = DatumGetTimestamp(value);

		if (TIMESTAMP_NOT_FINITE(t))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("order time must be finite, not %s",
							TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
					 errhint("Filter such rows out, for example WHERE isfinite(ordered_at).")));
		result = t;
	}
	return result;
}

/* A stored time as timestamptz: wall-clock kinds are read in the session TimeZone. */
/*
 * An event_at argument (not NULL) as kept, for the event aggregates
 * (window_funnel, retention_agg): infinities are an ERROR naming the aggregate.
 */
int64
finite_event_time(Datum value, TimeKind kind, const char *agg_name)
{
	if (kind == TIME_DATE ? DATE_NOT_FINITE(DatumGetDateADT(value))
		: TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("event_at of %s must be finite", agg_name),
				 errhint("Filter such rows out, for example WHERE isfinite(event_at).")));
	return time_datum_to_micros(value, kind);
}

Datum
time_micros_to_tstz(int64 t, TimeKind kind)
{
	if (kind == TIME_TIMESTAMPTZ)
		return TimestampTzGetDatum(t);
	return DirectFunctionCall1(timestamp_timestamptz, TimestampGetDatum(t));
}

const char *
time_kind_name(TimeKind kind)
{
	switch (kind)
	{
		case TIME_TIMESTAMPTZ:
			return "timestamptz";
		case TIME_TIMESTAMP:
			return "timestamp";
		case TIME_DATE:
			return "date";
	}
	return "?";
}
