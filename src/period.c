/*
 * period.c
 *		Periods as integers, and the period finder of the transition
 *		functions (see period.h).
 */
#include "period.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* 2000-01-03, the Monday that starts ISO week 0, as a date */
#define WEEK0_MONDAY 2

/* Unix seconds of PostgreSQL's epoch (pg_time_t is Unix time) */
#define POSTGRES_EPOCH_UNIX_SECS ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static const char *const period_names[] = {NULL, "day", "week", "month", "quarter", "year", "hour"};

/* The names of a set of kinds: "day, week, month and hour". */
char *
period_kind_list(uint32 allowed)
{
	StringInfoData list;
	int			listed = 0,
				count = 0;

	for (int k = PERIOD_DAY; k <= PERIOD_KIND_MAX; k++)
		count += (allowed & PERIOD_SET(k)) != 0;
	initStringInfo(&list);
	for (int k = PERIOD_DAY; k <= PERIOD_KIND_MAX; k++)
	{
		if (!(allowed & PERIOD_SET(k)))
			continue;
		listed++;
		appendStringInfo(&list, "%s%s", listed == 1 ? "" : listed == count ? " and " : ", ",
						 period_names[k]);
	}
	return list.data;
}

/*
 * The kind of period named name[0..len), one of the allowed set; else ERROR
 * 22023 'unknown <what> "name"' with a hint listing the allowed <plural>.
 */
PeriodKind
period_kind_parse(const char *name, int len, uint32 allowed, const char *what, const char *plural)
{
	for (int k = PERIOD_DAY; k <= PERIOD_KIND_MAX; k++)
		if ((allowed & PERIOD_SET(k)) &&
			(int) strlen(period_names[k]) == len && pg_strncasecmp(name, period_names[k], len) == 0)
			return (PeriodKind) k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown %s \"%.*s\"", what, Min(len, 64), name),
			 errhint("Valid %s are %s.", plural, period_kind_list(allowed))));
	return PERIOD_DAY;			/* keep the compiler quiet */
}

const char *
period_kind_name(PeriodKind kind)
{
	return (kind >= PERIOD_DAY && kind <= PERIOD_KIND_MAX) ? period_names[kind] : "?";
}

/* ---- calendar periods ------------------------------------------------------- */

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
		case PERIOD_HOUR:
			break;
	}
	return 0;
}

/*
 * Whether a calendar period lies in the range of timestamps (4714-11-24 BC up
 * to 294277 AD, exclusive), so that its start and its end (the next period's
 * start) are valid times.  Orders in the partial first period are refused.
 */
bool
period_is_valid(PeriodKind kind, int32 period)
{
	const DateADT min_date = DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE;
	int32		lo;

	if (kind < PERIOD_DAY || kind > PERIOD_YEAR)
		return false;
	/* the first period counts only if it starts on or after the first date */
	lo = period_of_date(kind, min_date);
	if (period_start_date(kind, lo) < min_date)
		lo++;
	return period >= lo &&
		period < period_of_date(kind, TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE);
}

/* The fields of a timestamptz in the session TimeZone; its UTC offset in *tz (seconds west). */
static void
local_fields(int64 utc, struct pg_tm *tm, fsec_t *fsec, int *tz)
{
	if (timestamp2tm(utc, tz, tm, fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

int32
period_of_utc(PeriodKind kind, int64 utc)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	local_fields(utc, &tm, &fsec, &tz);
	return period_of_date(kind, date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE);
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

/* The date of wall-clock microseconds (a timestamp or date as stored). */
DateADT
local_date_of(int64 micros)
{
	return (DateADT) floor_div(micros, USECS_PER_DAY);
}

/* The calendar period of a time as stored (retention.h): UTC or wall-clock microseconds. */
int32
period_of_time(PeriodKind kind, TimeKind time_kind, int64 at)
{
	if (time_kind == TIME_TIMESTAMPTZ)
		return period_of_utc(kind, at);
	return period_of_date(kind, local_date_of(at));
}

static void
out_of_range(PeriodKind kind, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("%s out of range for %s periods", what, period_kind_name(kind)),
			 errhint("The first period of the timestamp range is not complete; filter such rows out.")));
}

/*
 * The start of the hour of a time: for a timestamptz the instant less its
 * local minutes, seconds and microseconds (date_trunc('hour', ts) keeps the
 * UTC offset of the instant itself), for wall-clock times the hour it is in.
 */
static int64
hour_start(TimeKind time_kind, int64 at, int64 local, const char *what)
{
	int64		start;

	if (time_kind != TIME_TIMESTAMPTZ)
		return floor_div(at, USECS_PER_HOUR) * USECS_PER_HOUR;
	start = at - (local - floor_div(local, USECS_PER_HOUR) * USECS_PER_HOUR);
	if (!IS_VALID_TIMESTAMP(start))
		out_of_range(PERIOD_HOUR, what);
	return start;
}

int64
period_of_time_exact(PeriodKind kind, TimeKind time_kind, int64 at, const char *what)
{
	int32		p;

	if (kind == PERIOD_HOUR)
	{
		int64		local = at;

		if (time_kind == TIME_TIMESTAMPTZ)
		{
			struct pg_tm tm;
			fsec_t		fsec;
			int			tz;

			local_fields(at, &tm, &fsec, &tz);
			local = at - (int64) tz * USECS_PER_SEC;
		}
		return hour_start(time_kind, at, local, what);
	}
	p = period_of_time(kind, time_kind, at);
	if (!period_is_valid(kind, p))
		out_of_range(kind, what);
	return p;
}

/* ---- the period finder ------------------------------------------------------ */

void
period_finder_init(PeriodFinder *f, PeriodKind kind, TimeKind time_kind)
{
	memset(f, 0, offsetof(PeriodFinder, spans));
	f->kind = kind;
	f->time_kind = time_kind;
	f->tz = session_timezone;
	f->lo = 1;					/* an empty range: the first row computes */
	f->hi = 0;
}

/*
 * The UTC offset of a timestamptz in the session TimeZone, exactly as
 * timestamp2tm() (and so date_trunc()) finds it, remembering the span of
 * instants that share it.  A span [lo, hi) is only recorded from an instant
 * whose offset was computed exactly, up to the next transition of the zone
 * after it (so no transition lies inside), and it grows downwards when an
 * earlier instant has the same offset and the same next transition.
 */
int64
zone_offset_slow(PeriodFinder *f, int64 at)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	int64		offset;
	pg_time_t	t;
	pg_time_t	boundary = 0;
	long int	before_gmtoff = 0;
	long int	after_gmtoff = 0;
	int			before_isdst = 0;
	int			after_isdst = 0;
	int			found;
	int64		hi;
	ZoneSpan   *span;

	local_fields(at, &tm, &fsec, &tz);
	offset = -(int64) tz * USECS_PER_SEC;

	/* the next transition after this instant */
	t = (pg_time_t) (floor_div(at, USECS_PER_SEC) + POSTGRES_EPOCH_UNIX_SECS);
	found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary,
								 &after_gmtoff, &after_isdst, session_timezone);
	if (found == 0 && before_gmtoff == -tz)
		hi = END_TIMESTAMP;		/* no transition after this one */
	else if (found == 1 && before_gmtoff == -tz &&
			 boundary < END_TIMESTAMP / USECS_PER_SEC - POSTGRES_EPOCH_UNIX_SECS)
		hi = ((int64) boundary - POSTGRES_EPOCH_UNIX_SECS) * USECS_PER_SEC;
	else
		return offset;			/* not understood: nothing cached */
	if (hi <= at)
		return offset;

	for (int i = 0; i < f->nspans; i++)
	{
		span = &f->spans[i];
		if (span->hi == hi && span->offset == offset)
		{
			span->lo = Min(span->lo, at);
			f->last_span = i;
			return offset;
		}
	}
	if (f->nspans < ZONE_SPANS)
		f->last_span = f->nspans++;
	else
	{
		f->last_span = f->next_victim;
		f->next_victim = (f->next_victim + 1) % ZONE_SPANS;
	}
	span = &f->spans[f->last_span];
	span->lo = at;
	span->hi = hi;
	span->offset = offset;
	return offset;
}

/*
 * The period of a time whose local time is outside the remembered bounds: a
 * calendar period from its local date, and its bounds remembered; an hour
 * from the arithmetic of hour_start (no bounds: a transition may lie inside a
 * local hour of some zones).
 */
int64
period_find_slow(PeriodFinder *f, int64 at, int64 local)
{
	int32		p;

	if (f->kind == PERIOD_HOUR)
		return hour_start(f->time_kind, at, local, "order time");
	p = period_of_date(f->kind, local_date_of(local));
	if (!period_is_valid(f->kind, p))
		out_of_range(f->kind, "order time");
	f->lo = (int64) period_start_date(f->kind, p) * USECS_PER_DAY;
	f->hi = (int64) period_start_date(f->kind, p + 1) * USECS_PER_DAY;
	f->cached = p;
	return p;
}
