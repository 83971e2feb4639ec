/*
 * period.c
 *		Calendar periods as integers (see period.h).
 */
#include "period.h"

#include "datatype/timestamp.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* 2000-01-03, the Monday that starts ISO week 0, as a date */
#define WEEK0_MONDAY 2

static const char *const period_names[] = {NULL, "day", "week", "month", "quarter", "year"};

static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

PeriodKind
period_kind_from_text(const char *name, int len)
{
	for (int k = PERIOD_DAY; k <= PERIOD_KIND_MAX; k++)
		if ((int) strlen(period_names[k]) == len && pg_strncasecmp(name, period_names[k], len) == 0)
			return (PeriodKind) k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown period \"%.*s\"", Min(len, 64), name),
			 errhint("Valid periods are day, week, month, quarter and year.")));
	return PERIOD_DAY;			/* keep the compiler quiet */
}

const char *
period_kind_name(PeriodKind kind)
{
	return (kind >= PERIOD_DAY && kind <= PERIOD_KIND_MAX) ? period_names[kind] : "?";
}

int32
period_of_date(PeriodKind kind, DateADT date)
{
	int			y,
				m,
				d;

	switch (kind)
	{
		case PERIOD_DAY:
			return date;
		case PERIOD_WEEK:
			return (int32) floor_div((int64) date - WEEK0_MONDAY, 7);
		default:
			break;
	}
	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (kind == PERIOD_MONTH)
		return (y - 2000) * 12 + (m - 1);
	if (kind == PERIOD_QUARTER)
		return (y - 2000) * 4 + (m - 1) / 3;
	return y - 2000;
}

DateADT
period_start_date(PeriodKind kind, int32 period)
{
	int64		p = period;

	switch (kind)
	{
		case PERIOD_DAY:
			return (DateADT) p;
		case PERIOD_WEEK:
			return (DateADT) (p * 7 + WEEK0_MONDAY);
		case PERIOD_MONTH:
			return date2j(2000 + (int) floor_div(p, 12), (int) (p - 12 * floor_div(p, 12)) + 1, 1)
				- POSTGRES_EPOCH_JDATE;
		case PERIOD_QUARTER:
			return date2j(2000 + (int) floor_div(p, 4), 3 * (int) (p - 4 * floor_div(p, 4)) + 1, 1)
				- POSTGRES_EPOCH_JDATE;
		case PERIOD_YEAR:
			return date2j(2000 + (int) p, 1, 1) - POSTGRES_EPOCH_JDATE;
	}
	return 0;
}

/*
 * Whether a period lies in the range of timestamps (4714-11-24 BC up to
 * 294277 AD, exclusive), so that its start and its end (the next period's
 * start) are valid times.  Orders in the partial first period are refused.
 */
bool
period_is_valid(PeriodKind kind, int32 period)
{
	const DateADT min_date = DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE;
	int32		lo;

	if (kind < PERIOD_DAY || kind > PERIOD_KIND_MAX)
		return false;
	/* the first period counts only if it starts on or after the first date */
	lo = period_of_date(kind, min_date);
	if (period_start_date(kind, lo) < min_date)
		lo++;
	return period >= lo &&
		period < period_of_date(kind, TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE);
}

/* Local date of a timestamptz in the session time zone. */
static DateADT
local_date_of_utc(int64 utc)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(utc, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

int32
period_of_utc(PeriodKind kind, int64 utc)
{
	return period_of_date(kind, local_date_of_utc(utc));
}

/* The instant local midnight starts the period, in the session time zone. */
int64
period_start_utc(PeriodKind kind, int32 period)
{
	DateADT		date = period_start_date(kind, period);
	struct pg_tm tm;
	int			tz;

	memset(&tm, 0, sizeof(tm));
	j2date(date + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tz = DetermineTimeZoneOffset(&tm, session_timezone);
	/* tz is seconds west of UTC */
	return (int64) date * USECS_PER_DAY + (int64) tz * USECS_PER_SEC;
}

void
period_finder_init(PeriodFinder *f, PeriodKind kind, TimeKind time_kind)
{
	f->kind = kind;
	f->time_kind = time_kind;
	f->lo = 1;					/* an empty range: the first call computes */
	f->hi = 0;
	f->cached = 0;
}

/* The date of wall-clock microseconds (a timestamp or date as stored). */
DateADT
local_date_of(int64 micros)
{
	return (DateADT) floor_div(micros, USECS_PER_DAY);
}

/* The period of a time as stored (retention.h): UTC or wall-clock microseconds. */
int32
period_of_time(PeriodKind kind, TimeKind time_kind, int64 at)
{
	if (time_kind == TIME_TIMESTAMPTZ)
		return period_of_utc(kind, at);
	return period_of_date(kind, local_date_of(at));
}

static int32
period_compute(PeriodFinder *f, int64 at)
{
	return period_of_time(f->kind, f->time_kind, at);
}

/*
 * The period of a time, and the bounds of that period remembered for the
 * next rows.  For a timestamptz the bounds are local midnights; a time zone
 * whose midnight does not exist on some day (a transition at 00:00) could
 * make a computed bound disagree with the bucketing, so the bounds are
 * checked and, if they disagree, only this instant is remembered.
 */
int32
period_of_slow(PeriodFinder *f, int64 at)
{
	int32		p = period_compute(f, at);
	int64		lo,
				hi;

	if (!period_is_valid(f->kind, p))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order time out of range for %s periods", period_kind_name(f->kind)),
				 errhint("The first period of the timestamp range is not complete; filter such rows out.")));

	if (f->time_kind == TIME_TIMESTAMPTZ)
	{
		lo = period_start_utc(f->kind, p);
		hi = period_start_utc(f->kind, p + 1);
		if (!(lo <= at && at < hi && period_compute(f, lo) == p && period_compute(f, hi - 1) == p))
		{
			lo = at;
			hi = at + 1;
		}
	}
	else
	{
		lo = (int64) period_start_date(f->kind, p) * USECS_PER_DAY;
		hi = (int64) period_start_date(f->kind, p + 1) * USECS_PER_DAY;
	}
	f->lo = lo;
	f->hi = hi;
	f->cached = p;
	return p;
}
