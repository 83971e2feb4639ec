/*
 * period.h
 *		Calendar periods (day, ISO week, month, quarter, year) as integers.
 *
 * A period is numbered from the one holding 2000-01-01 (PostgreSQL's date
 * epoch): day = the date itself, week = ISO weeks (Monday to Sunday) from the
 * week of Monday 2000-01-03, month / quarter / year counted from January 2000.
 * Consecutive periods have consecutive numbers, so an offset is a difference.
 *
 * Times are the int64 microseconds of retention.h.  A timestamp or date is
 * bucketed as the wall-clock time it is; a timestamptz in the session
 * TimeZone, as date_trunc(unit, ts) does.
 */
#ifndef RETENTION_PERIOD_H
#define RETENTION_PERIOD_H

#include "retention.h"

#include "utils/date.h"

typedef enum PeriodKind
{
	PERIOD_DAY = 1,
	PERIOD_WEEK = 2,
	PERIOD_MONTH = 3,
	PERIOD_QUARTER = 4,
	PERIOD_YEAR = 5
} PeriodKind;

#define PERIOD_KIND_MAX PERIOD_YEAR

/*
 * Finds the period of a time, remembering the bounds of the last one found:
 * rows usually come in time order, so most rows are answered by two
 * comparisons, without any calendar or time zone arithmetic.
 */
typedef struct PeriodFinder
{
	PeriodKind	kind;
	TimeKind	time_kind;
	int64		lo;				/* [lo, hi) holds the times of period 'cached' */
	int64		hi;
	int32		cached;
} PeriodFinder;

extern PeriodKind period_kind_from_text(const char *name, int len);
extern const char *period_kind_name(PeriodKind kind);
extern void period_finder_init(PeriodFinder *f, PeriodKind kind, TimeKind time_kind);
extern int32 period_of_slow(PeriodFinder *f, int64 at);
extern bool period_is_valid(PeriodKind kind, int32 period);
extern DateADT period_start_date(PeriodKind kind, int32 period);
extern int32 period_of_date(PeriodKind kind, DateADT date);
extern int64 period_start_utc(PeriodKind kind, int32 period);
extern int32 period_of_utc(PeriodKind kind, int64 utc);
extern DateADT local_date_of(int64 micros);
extern int32 period_of_time(PeriodKind kind, TimeKind time_kind, int64 at);

static inline int32
period_of(PeriodFinder *f, int64 at)
{
	if (at >= f->lo && at < f->hi)
		return f->cached;
	return period_of_slow(f, at);
}

#endif							/* RETENTION_PERIOD_H */
