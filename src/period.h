/*
 * period.h
 *		Periods of time (hour, day, ISO week, month, quarter, year) as
 *		integers, and finding the period of a row's time fast.
 *
 * A calendar period is numbered from the one holding 2000-01-01 (PostgreSQL's
 * date epoch): day = the date itself, week = ISO weeks (Monday to Sunday) from
 * the week of Monday 2000-01-03, month / quarter / year counted from January
 * 2000.  Consecutive periods have consecutive numbers, so an offset is a
 * difference.  An hour is identified by the time it starts, as stored (UTC
 * microseconds for timestamptz, so the two 01:00 hours of a night when clocks
 * go back are two periods an hour apart; wall-clock microseconds otherwise),
 * as date_trunc('hour', ...) gives it.
 *
 * Times are the int64 microseconds of retention.h.  A timestamp or date is
 * bucketed as the wall-clock time it is; a timestamptz in the session
 * TimeZone, as date_trunc(unit, ts) does.
 */
#ifndef RETENTION_PERIOD_H
#define RETENTION_PERIOD_H

#include "retention.h"

#include "pgtime.h"
#include "utils/date.h"

typedef enum PeriodKind
{
	PERIOD_DAY = 1,
	PERIOD_WEEK = 2,
	PERIOD_MONTH = 3,
	PERIOD_QUARTER = 4,
	PERIOD_YEAR = 5,
	PERIOD_HOUR = 6
} PeriodKind;

#define PERIOD_KIND_MAX PERIOD_HOUR
#define PERIOD_SET(kind) (1u << (kind))

/* the periods of cohort_agg; rfm's units */
#define COHORT_PERIODS (PERIOD_SET(PERIOD_DAY) | PERIOD_SET(PERIOD_WEEK) | PERIOD_SET(PERIOD_MONTH) | \
						PERIOD_SET(PERIOD_QUARTER) | PERIOD_SET(PERIOD_YEAR))
#define RFM_UNITS (PERIOD_SET(PERIOD_DAY) | PERIOD_SET(PERIOD_WEEK) | PERIOD_SET(PERIOD_MONTH) | \
				   PERIOD_SET(PERIOD_HOUR))

extern PeriodKind period_kind_parse(const char *name, int len, uint32 allowed,
									const char *what, const char *plural);
extern const char *period_kind_name(PeriodKind kind);
extern char *period_kind_list(uint32 allowed);

/* calendar periods (not hours) */
extern bool period_is_valid(PeriodKind kind, int32 period);
extern DateADT period_start_date(PeriodKind kind, int32 period);
extern int32 period_of_date(PeriodKind kind, DateADT date);
extern int64 period_start_utc(PeriodKind kind, int32 period);
extern int32 period_of_utc(PeriodKind kind, int64 utc);
extern DateADT local_date_of(int64 micros);
extern int32 period_of_time(PeriodKind kind, TimeKind time_kind, int64 at);

/* any kind: the period of a time, computed from scratch; 'what' names the time in errors */
extern int64 period_of_time_exact(PeriodKind kind, TimeKind time_kind, int64 at, const char *what);

static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * Finds the period of order times, row after row.  A timestamptz is turned
 * into its wall-clock time with the session TimeZone's UTC offset, taken from
 * spans between the zone's transitions that it remembers (so rows in any
 * order, as a sort by customer or a scan starting mid-table delivers them,
 * need no time zone conversion), and a wall-clock time is put in its period
 * through the bounds of the last period found (so rows in time order cost two
 * comparisons).  It lives in the per-call cache of a transition function
 * (agg_args.h), not in a state: GROUP BY makes many states.
 */
#define ZONE_SPANS 32

typedef struct ZoneSpan
{
	int64		lo;				/* [lo, hi): UTC microseconds with this offset */
	int64		hi;
	int64		offset;			/* local = UTC + offset (microseconds) */
} ZoneSpan;

typedef struct PeriodFinder
{
	PeriodKind	kind;			/* 0: not set up */
	TimeKind	time_kind;
	pg_tz	   *tz;				/* the TimeZone the spans were found in */
	int64		lo;				/* calendar kinds: [lo, hi) holds the local times */
	int64		hi;				/* of period 'cached' */
	int64		cached;
	int			nspans;
	int			last_span;		/* the span of the last row */
	int			next_victim;	/* the span replaced when all are in use */
	ZoneSpan	spans[ZONE_SPANS];
} PeriodFinder;

extern void period_finder_init(PeriodFinder *f, PeriodKind kind, TimeKind time_kind);
extern int64 zone_offset_slow(PeriodFinder *f, int64 at);
extern int64 period_find_slow(PeriodFinder *f, int64 at, int64 local);

/* local = at + this, for a timestamptz in the session TimeZone */
static inline int64
zone_offset(PeriodFinder *f, int64 at)
{
	ZoneSpan   *span = &f->spans[f->last_span];

	if (f->nspans > 0 && at >= span->lo && at < span->hi)
		return span->offset;
	for (int i = 0; i < f->nspans; i++)
	{
		span = &f->spans[i];
		if (at >= span->lo && at < span->hi)
		{
			f->last_span = i;
			return span->offset;
		}
	}
	return zone_offset_slow(f, at);
}

/* The period of an order time (stored form, retention.h). */
static inline int64
period_find(PeriodFinder *f, int64 at)
{
	int64		local = at;

	if (f->time_kind == TIME_TIMESTAMPTZ)
		local += zone_offset(f, at);
	if (local >= f->lo && local < f->hi)
		return f->cached;
	return period_find_slow(f, at, local);
}

#endif							/* RETENTION_PERIOD_H */
