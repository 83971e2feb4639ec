/*
 * rfm.c
 *		The rfm aggregate: one customer's RFM summary, exactly as lifetimes'
 *		summary_data_from_transaction_data computes it (doc/clv_math.md#conventions).
 *
 *   rfm(ordered_at, amount numeric, observed_until [, unit text]) -> rfm_summary
 *
 * for ordered_at and observed_until both timestamptz (bucketed in the session
 * TimeZone, as date_trunc(unit, ts) does), both timestamp or both date.  Used
 * per customer: SELECT customer_id, (rfm(ordered_at, amount, '1997-09-30')).*
 * FROM orders GROUP BY customer_id.
 *
 * Every order is put in its period of 'unit' (day, week, month, hour); all
 * orders of one period are one purchase occasion.  observed_until is floored
 * to its period ("end"); orders of later periods are ignored.  With the
 * distinct purchase periods p1 < p2 < ... < pn (n >= 1):
 *
 *   frequency      = n - 1
 *   recency        = units from p1 to pn
 *   t              = units from p1 to end
 *   monetary_value = (sum of the amounts of p2..pn) / (n - 1), numeric division
 *                    as avg() does it; 0 when n = 1
 *
 * and NULL when n = 0.  A NULL amount still makes its period a purchase and
 * adds nothing; NULL ordered_at rows are skipped.
 *
 * The transition state.  rfm runs under GROUP BY over millions of customers,
 * so a group's state must be one small allocation, updated in place.  It is a
 * flat varlena of type rfm_state (not internal, so that Citus can push the
 * aggregate down):
 *
 *   RfmState header (56 bytes) | periods[cap] (int64) | slow sums (numeric)
 *
 * periods[0 .. nsorted) are distinct and ascending, periods[0] is always the
 * first purchase period; periods[nsorted .. nsorted + ntail) is a tail of
 * periods that came out of order (each greater than periods[0], possibly
 * repeated), sorted into the rest when it grows as long as the sorted part,
 * so that rows in any order cost O(log n) each.  Rows in time order append to
 * the sorted part.  The amounts are two sums, of the first period and of the
 * others, in units of 10^-8 (int64) and, for what does not fit (huge or long
 * amounts, overflow, NaN), exact numerics kept after the periods.  A new
 * earliest period moves the old first period's sum to the repeat sum.  The
 * largest display scale of each sum is kept, so that the repeat sum is
 * exactly the numeric that sum() would give, and monetary_value is
 * bit-identical to avg() over the repeat periods' sums.
 *
 * A one-order customer's state is 64 bytes (one period).  The aggregates'
 * INITCOND is a fresh state (no unit yet): nodeAgg copies it for each new
 * group, next to the group's hash entry, and the first row fills it in.
 * Called as an aggregate, the transition function updates its state in
 * place; when the state must grow it builds the larger one in the current
 * (per-call) memory context and returns it, and nodeAgg copies it into the
 * aggregate context and frees the old one.  The in-memory layout is native;
 * the type's text and binary forms are a versioned, byte-order-neutral
 * serialization, validated on the way in.
 *
 * Periods are found through a per-call cache (fn_extra): a timestamptz is
 * turned into wall-clock time with the session TimeZone's UTC offset, taken
 * from cached spans between the zone's transitions (so rows in any order, as
 * a sort by customer delivers them, need no time zone conversion), and a
 * wall-clock time is bucketed by calendar arithmetic.
 */
#include "retention.h"

#include "flat_io.h"
#include "money_sum.h"
#include "period.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rfm_trans_tstz);
PG_FUNCTION_INFO_V1(rfm_trans_ts);
PG_FUNCTION_INFO_V1(rfm_trans_date);
PG_FUNCTION_INFO_V1(rfm_combine);
PG_FUNCTION_INFO_V1(rfm_final);
PG_FUNCTION_INFO_V1(rfm_state_in);
PG_FUNCTION_INFO_V1(rfm_state_out);
PG_FUNCTION_INFO_V1(rfm_state_recv);
PG_FUNCTION_INFO_V1(rfm_state_send);

#define ARG_STATE 0
#define ARG_TIME 1
#define ARG_AMOUNT 2
#define ARG_UNTIL 3
#define ARG_UNIT 4

typedef enum RfmUnit
{
	RFM_DAY = 1,
	RFM_WEEK = 2,
	RFM_MONTH = 3,
	RFM_HOUR = 4
} RfmUnit;

#define RFM_UNIT_MAX RFM_HOUR

static const char *const unit_names[] = {NULL, "day", "week", "month", "hour"};

/* the calendar period kind of day, week and month (period.h) */
static const PeriodKind unit_period_kind[] = {0, PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, 0};

#define RFM_STATE_VERSION 1
#define RFM_SLOW_FIRST 0x01		/* a numeric part of the first period's sum follows */
#define RFM_SLOW_REPEAT 0x02	/* a numeric part of the repeat sum follows */
#define RFM_FLAGS_ALL (RFM_SLOW_FIRST | RFM_SLOW_REPEAT)
#define RFM_DSCALE_MAX 0x3FFF	/* numeric's largest display scale */
#define RFM_TAIL_MIN 8			/* a tail shorter than this is never sorted in */

typedef struct RfmState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* RFM_STATE_VERSION */
	uint8		unit;			/* RfmUnit */
	uint8		time_kind;		/* TimeKind of ordered_at and observed_until */
	uint8		flags;			/* RFM_SLOW_* */
	uint32		nsorted;		/* periods[0 .. nsorted): ascending, distinct */
	uint32		ntail;			/* then ntail periods out of order, > periods[0] */
	uint32		cap;			/* room for cap periods */
	uint16		first_dscale;	/* largest display scale of a first-period amount */
	uint16		repeat_dscale;	/* the same for the repeat periods */
	int64		until;			/* observed_until, as stored (retention.h) */
	int64		end;			/* its period: orders of later periods are ignored */
	int64		first_units;	/* first period's amounts, units of 10^-8 */
	int64		repeat_units;	/* the other periods' amounts, units of 10^-8 */
	int64		periods[FLEXIBLE_ARRAY_MEMBER];
} RfmState;

#define RFM_HDRSZ offsetof(RfmState, periods)

StaticAssertDecl(offsetof(RfmState, periods) == 56, "RfmState header is 56 bytes");

/*
 * A period is an int64: for day, week and month the period number of
 * period.h (consecutive integers, so a count of periods is a difference); for
 * hour the start of the hour as stored times are (UTC microseconds for
 * timestamptz, wall-clock ones otherwise), as date_trunc('hour', ...) gives it.
 */

/* ---------------------------------------------------------------------------
 * Periods
 * ---------------------------------------------------------------------------
 */

static inline int64
floor_div64(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static const char *
unit_name(int unit)
{
	return (unit >= RFM_DAY && unit <= RFM_UNIT_MAX) ? unit_names[unit] : "?";
}

static RfmUnit
unit_from_text(const char *name, int len)
{
	for (int u = RFM_DAY; u <= RFM_UNIT_MAX; u++)
		if ((int) strlen(unit_names[u]) == len && pg_strncasecmp(name, unit_names[u], len) == 0)
			return (RfmUnit) u;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown rfm unit \"%.*s\"", Min(len, 64), name),
			 errhint("Valid units are day, week, month and hour.")));
	return RFM_DAY;				/* keep the compiler quiet */
}

/*
 * The start of the hour of a timestamptz, as date_trunc('hour', ts) computes
 * it: the local minutes, seconds and microseconds are taken off, keeping the
 * UTC offset of the instant itself (so the two 01:00 hours of a night when
 * clocks go back are two periods).
 */
static int64
hour_start_tstz(int64 at)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	int64		start;

	if (timestamp2tm(at, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	start = at - ((int64) tm.tm_min * SECS_PER_MINUTE + tm.tm_sec) * USECS_PER_SEC - fsec;
	if (!IS_VALID_TIMESTAMP(start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order time out of range for hour periods"),
				 errhint("The first period of the timestamp range is not complete; filter such rows out.")));
	return start;
}

/* The period of a time (uncached); 'what' names the argument in errors. */
static int64
period_of_unit(RfmUnit unit, TimeKind kind, int64 at, const char *what)
{
	int32		p;

	if (unit == RFM_HOUR)
	{
		if (kind == TIME_TIMESTAMPTZ)
			return hour_start_tstz(at);
		return floor_div64(at, USECS_PER_HOUR) * USECS_PER_HOUR;
	}
	p = period_of_time(unit_period_kind[unit], kind, at);
	if (!period_is_valid(unit_period_kind[unit], p))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range for %s periods", what, unit_name(unit)),
				 errhint("The first period of the timestamp range is not complete; filter such rows out.")));
	return p;
}

/* Whole units from period a to period b, as float8 (see the file header). */
static float8
units_between(RfmUnit unit, int64 a, int64 b)
{
	if (unit == RFM_HOUR)
		return (float8) (b - a) / (float8) USECS_PER_HOUR;
	return (float8) (b - a);
}

/* ---------------------------------------------------------------------------
 * Per-call cache of the transition function (fn_extra): the arguments that
 * are the same on every row, parsed once; the bounds of the last period
 * found, so that most rows find their period with two comparisons; and for
 * timestamptz the spans of the session TimeZone's UTC offsets (between two
 * daylight-saving transitions), so that a row in any order is turned into its
 * wall-clock time by one addition instead of a time zone conversion.
 * ---------------------------------------------------------------------------
 */
#define ZONE_SPANS 32

typedef struct ZoneSpan
{
	int64		lo;				/* [lo, hi): UTC microseconds with this offset */
	int64		hi;
	int64		offset;			/* local = UTC + offset (microseconds) */
} ZoneSpan;

typedef struct RfmRowCache
{
	pg_tz	   *tz;				/* session_timezone everything below was computed in */
	RfmUnit		unit;			/* the last unit argument, parsed */
	int			unit_len;		/* its text (-1: none yet) */
	char		unit_text[8];
	bool		have_until;
	RfmUnit		until_unit;		/* unit the end below was computed for */
	Datum		until_arg;		/* the last observed_until argument */
	int64		until;
	int64		end;
	RfmUnit		finder_unit;	/* 0: finder not set up */
	PeriodFinder finder;		/* day, week, month, of wall-clock times */
	int			nspans;			/* timestamptz: known offset spans */
	int			last_span;		/* the span of the last row */
	int			next_victim;	/* the span replaced when all are in use */
	ZoneSpan	spans[ZONE_SPANS];
} RfmRowCache;

static RfmRowCache *
row_cache(FunctionCallInfo fcinfo)
{
	RfmRowCache *c = (RfmRowCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RfmRowCache));
		c->unit_len = -1;
		c->tz = session_timezone;
		fcinfo->flinfo->fn_extra = c;
	}
	else if (c->tz != session_timezone)
	{
		/* TimeZone changed since: periods and ends must be found again */
		c->have_until = false;
		c->finder_unit = 0;
		c->nspans = 0;
		c->tz = session_timezone;
	}
	return c;
}

static RfmUnit
unit_arg(FunctionCallInfo fcinfo, RfmRowCache *c)
{
	text	   *t;
	const char *name;
	int			len;
	RfmUnit		unit;

	if (PG_NARGS() <= ARG_UNIT)
		return RFM_DAY;
	if (PG_ARGISNULL(ARG_UNIT))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the unit of rfm must not be NULL"),
				 errhint("Valid units are day, week, month and hour.")));
	t = PG_GETARG_TEXT_PP(ARG_UNIT);
	name = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	if (len == c->unit_len && memcmp(name, c->unit_text, len) == 0)
		return c->unit;
	unit = unit_from_text(name, len);
	if (len <= (int) sizeof(c->unit_text))
	{
		memcpy(c->unit_text, name, len);
		c->unit_len = len;
		c->unit = unit;
	}
	return unit;
}

/* observed_until as stored (retention.h), refusing infinities as ordered_at does. */
static int64
until_micros(Datum value, TimeKind kind)
{
	int64		result;

	if (kind == TIME_DATE ? DATE_NOT_FINITE(DatumGetDateADT(value))
		: TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("observed_until of rfm must be finite"),
				 errhint("Pass the end of the observation period, for example the last day of the calibration period.")));
	if (kind != TIME_DATE)
		return DatumGetTimestamp(value);
	/* dates run far beyond timestamps */
	if (pg_mul_s64_overflow((int64) DatumGetDateADT(value), USECS_PER_DAY, &result) ||
		!IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("observed_until of rfm out of range"),
				 errhint("Times must lie between 4713 BC and 294276 AD.")));
	return result;
}

/* Sets c->until and c->end for this row's observed_until and unit. */
static void
until_arg(FunctionCallInfo fcinfo, RfmRowCache *c, TimeKind kind, RfmUnit unit)
{
	Datum		d;

	if (PG_ARGISNULL(ARG_UNTIL))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("observed_until of rfm must not be NULL"),
				 errhint("Pass the end of the observation period, for example the last day of the calibration period.")));
	d = PG_GETARG_DATUM(ARG_UNTIL);
	if (c->have_until && d == c->until_arg && c->until_unit == unit)
		return;
	c->until = until_micros(d, kind);
	c->end = period_of_unit(unit, kind, c->until, "observed_until");
	c->until_arg = d;
	c->until_unit = unit;
	c->have_until = true;
}

/*
 * The UTC offset of a timestamptz in the session TimeZone, exactly as
 * timestamp2tm() (and so date_trunc()) finds it, through the cache of spans.
 * A span [lo, hi) is only recorded from an instant whose offset was computed
 * exactly, up to the next transition of the zone after it (so no transition
 * lies inside), and it grows downwards when an earlier instant has the same
 * offset and the same next transition.
 */
static int64
zone_offset_slow(RfmRowCache *c, int64 at)
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

	if (timestamp2tm(at, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	offset = -(int64) tz * USECS_PER_SEC;

	/* the next transition after this instant (pg_time_t: Unix seconds) */
	t = (pg_time_t) (floor_div64(at, USECS_PER_SEC) +
					 (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY);
	found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary,
								 &after_gmtoff, &after_isdst, session_timezone);
	if (found == 0 && before_gmtoff == -tz)
		hi = END_TIMESTAMP;		/* no transition after this one */
	else if (found == 1 && before_gmtoff == -tz &&
			 boundary < (END_TIMESTAMP / USECS_PER_SEC) -
			 (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)
		hi = ((int64) boundary - (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) *
			USECS_PER_SEC;
	else
		return offset;			/* not understood: nothing cached */
	if (hi <= at)
		return offset;

	for (int i = 0; i < c->nspans; i++)
	{
		span = &c->spans[i];
		if (span->hi == hi && span->offset == offset)
		{
			span->lo = Min(span->lo, at);
			c->last_span = i;
			return offset;
		}
	}
	if (c->nspans < ZONE_SPANS)
		c->last_span = c->nspans++;
	else
	{
		c->last_span = c->next_victim;
		c->next_victim = (c->next_victim + 1) % ZONE_SPANS;
	}
	span = &c->spans[c->last_span];
	span->lo = at;
	span->hi = hi;
	span->offset = offset;
	return offset;
}

static inline int64
zone_offset(RfmRowCache *c, int64 at)
{
	ZoneSpan   *span = &c->spans[c->last_span];

	if (c->nspans > 0 && at >= span->lo && at < span->hi)
		return span->offset;
	for (int i = 0; i < c->nspans; i++)
	{
		span = &c->spans[i];
		if (at >= span->lo && at < span->hi)
		{
			c->last_span = i;
			return span->offset;
		}
	}
	return zone_offset_slow(c, at);
}

/*
 * The period of an order time, through the cache: a timestamptz is turned
 * into its wall-clock time in the session TimeZone (what date_trunc does),
 * and a wall-clock time is bucketed by calendar arithmetic, remembering the
 * bounds of the last period.
 */
static inline int64
row_period(RfmRowCache *c, RfmUnit unit, TimeKind kind, int64 at)
{
	int64		offset = 0;
	int64		local;

	if (c->finder_unit != unit)
	{
		if (unit != RFM_HOUR)
			period_finder_init(&c->finder, unit_period_kind[unit], TIME_TIMESTAMP);
		c->finder_unit = unit;
	}
	if (kind == TIME_TIMESTAMPTZ)
		offset = zone_offset(c, at);
	local = at + offset;
	if (unit != RFM_HOUR)
		return period_of(&c->finder, local);
	if (kind != TIME_TIMESTAMPTZ)
		return floor_div64(at, USECS_PER_HOUR) * USECS_PER_HOUR;
	/* the instant less the local minutes, seconds and microseconds */
	{
		int64		start = at - (local - floor_div64(local, USECS_PER_HOUR) * USECS_PER_HOUR);

		if (!IS_VALID_TIMESTAMP(start))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("order time out of range for hour periods"),
					 errhint("The first period of the timestamp range is not complete; filter such rows out.")));
		return start;
	}
}

/* ---------------------------------------------------------------------------
 * Exact sums outside the state: units of 10^-8 plus a numeric for the rest
 * ---------------------------------------------------------------------------
 */
typedef struct RfmSum
{
	int64		units;
	int			dscale;			/* largest display scale added (0 if none) */
	Datum		slow;			/* numeric, or 0 */
} RfmSum;

static void
sum_add_numeric(RfmSum *s, Datum value, int dscale)
{
	if (dscale > s->dscale)
		s->dscale = dscale;
	if (s->slow == (Datum) 0)
		s->slow = PointerGetDatum(PG_DETOAST_DATUM_COPY(value));
	else
		s->slow = DirectFunctionCall2(numeric_add, s->slow, value);
}

static void
sum_add_units(RfmSum *s, int64 units, int dscale)
{
	int64		r;

	if (dscale > s->dscale)
		s->dscale = dscale;
	if (!pg_add_s64_overflow(s->units, units, &r))
		s->units = r;
	else
		/* units has no digits past its own scale, so none past s->dscale */
		sum_add_numeric(s, money_units_numeric(units, s->dscale), -1);
}

static void
sum_add_sum(RfmSum *dst, const RfmSum *src)
{
	sum_add_units(dst, src->units, src->dscale);
	if (src->slow != (Datum) 0)
		sum_add_numeric(dst, src->slow, -1);
}

/*
 * Units of 10^-8 as a numeric with the given display scale (units has no
 * digits past it): what money_units_numeric() gives, built directly in
 * numeric's long storage format (money_sum.c reads the same format: a uint16
 * of sign (0x4000 negative) and display scale, an int16 weight, then
 * base-10000 digits without leading or trailing zeros; stable on disk since
 * 8.3), because the final function needs one per repeat customer.
 */
static Datum
units_numeric(int64 units, int dscale)
{
	uint64		u = units < 0 ? (uint64) 0 - (uint64) units : (uint64) units;
	uint64		ip = u / 100000000;
	uint32		fp = (uint32) (u % 100000000);
	int16		digits[8];
	int16		rev[6];
	int			nint = 0;
	int			first = 0;
	int			n = 0;
	int			weight;
	uint16		header;
	char	   *result;
	Size		size;

	while (ip > 0)
	{
		rev[nint++] = (int16) (ip % 10000);
		ip /= 10000;
	}
	for (int i = nint - 1; i >= 0; i--)
		digits[n++] = rev[i];
	digits[n++] = (int16) (fp / 10000);
	digits[n++] = (int16) (fp % 10000);
	weight = nint - 1;
	while (first < n && digits[first] == 0)
	{
		first++;
		weight--;
	}
	while (n > first && digits[n - 1] == 0)
		n--;
	if (n == first)
		weight = 0;				/* zero: no digits */
	header = (uint16) ((units < 0 && n > first ? 0x4000 : 0) | (dscale & RFM_DSCALE_MAX));
	size = VARHDRSZ + 2 * sizeof(int16) + (Size) (n - first) * sizeof(int16);
	result = palloc(size);
	SET_VARSIZE(result, size);
	memcpy(result + VARHDRSZ, &header, sizeof(uint16));
	{
		int16		w = (int16) weight;

		memcpy(result + VARHDRSZ + sizeof(uint16), &w, sizeof(int16));
	}
	if (n > first)
		memcpy(result + VARHDRSZ + 2 * sizeof(int16), &digits[first], (Size) (n - first) * sizeof(int16));
	return PointerGetDatum(result);
}

/* The sum as a numeric with its display scale (what sum() would give). */
static Datum
sum_numeric(const RfmSum *s)
{
	Datum		result = units_numeric(s->units, s->dscale);

	if (s->slow != (Datum) 0)
		result = DirectFunctionCall2(numeric_add, result, s->slow);
	return result;
}

/* ---------------------------------------------------------------------------
 * The state
 * ---------------------------------------------------------------------------
 */

static void
state_corrupt(const char *what)
{
	flat_corrupt(psprintf("rfm_state: %s", what));
}

/* The numeric parts after the periods, NULL where absent. */
static void
state_slow(const RfmState *s, Numeric *first, Numeric *repeat)
{
	const char *p = (const char *) &s->periods[s->cap];

	*first = NULL;
	*repeat = NULL;
	if (s->flags & RFM_SLOW_FIRST)
	{
		*first = (Numeric) p;
		p += INTALIGN(VARSIZE(p));
	}
	if (s->flags & RFM_SLOW_REPEAT)
		*repeat = (Numeric) p;
}

/*
 * Checks the structure of a state in memory (sizes, counts, versions), so
 * that no access can go out of bounds.  Cheap: called on every row.  The
 * ordering of the periods is checked where values come in (rfm_state_in,
 * rfm_state_recv).
 */
static void
state_check(const RfmState *s)
{
	Size		size = VARSIZE(s);
	Size		used;

	if (size < RFM_HDRSZ)
		state_corrupt("value is truncated");
	if (s->version != RFM_STATE_VERSION)
		state_corrupt(psprintf("unknown format version %u", s->version));
	if (s->unit == 0 && s->time_kind == 0)
	{
		/* a fresh state (the aggregates' INITCOND): no row yet */
		if (s->nsorted != 0 || s->ntail != 0 || s->flags != 0)
			state_corrupt("a fresh state with periods");
	}
	else if (s->unit < RFM_DAY || s->unit > RFM_UNIT_MAX ||
			 s->time_kind < TIME_TIMESTAMPTZ || s->time_kind > TIME_DATE ||
			 (s->flags & ~RFM_FLAGS_ALL) != 0)
		state_corrupt("invalid unit, time type or flags");
	if (s->cap > (size - RFM_HDRSZ) / sizeof(int64) ||
		s->nsorted > s->cap || s->ntail > s->cap - s->nsorted ||
		(s->nsorted == 0 && s->ntail > 0))
		state_corrupt("invalid period counts");
	used = RFM_HDRSZ + (Size) s->cap * sizeof(int64);
	for (int i = 0; i < 2; i++)
	{
		Size		len;

		if (!(s->flags & (i == 0 ? RFM_SLOW_FIRST : RFM_SLOW_REPEAT)))
			continue;
		if (size - used < VARHDRSZ + sizeof(uint16))
			state_corrupt("invalid amount sum");
		len = VARSIZE((const char *) s + used);
		if (len < VARHDRSZ + sizeof(uint16) || len > size - used)
			state_corrupt("invalid amount sum");
		used += INTALIGN(len);
	}
	if (used != size)
		state_corrupt("invalid size");
}

/* A state to read: detoasted, aligned, checked. */
static RfmState *
state_read(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum(v);	/* a copy with a 4-byte header */
	state_check((RfmState *) v);
	return (RfmState *) v;
}

static void
state_get_sum(const RfmState *s, bool repeat, RfmSum *sum)
{
	Numeric		first;
	Numeric		rep;

	state_slow(s, &first, &rep);
	sum->units = repeat ? s->repeat_units : s->first_units;
	sum->dscale = repeat ? s->repeat_dscale : s->first_dscale;
	sum->slow = PointerGetDatum(repeat ? rep : first);
}

/*
 * A new state in the current memory context: the header of 'proto' (unit,
 * time kind, until, end), the given periods (nsorted sorted ones, then ntail
 * others), room for at least min_cap periods, and the two sums.  Its size is
 * rounded up to a power of two while that is small, as palloc rounds anyway.
 */
static RfmState *
state_build(const RfmState *proto, const int64 *periods, uint32 nsorted, uint32 ntail,
			Size min_cap, const RfmSum *first, const RfmSum *repeat)
{
	Size		slow_first = first->slow ? INTALIGN(VARSIZE(DatumGetPointer(first->slow))) : 0;
	Size		slow_repeat = repeat->slow ? INTALIGN(VARSIZE(DatumGetPointer(repeat->slow))) : 0;
	Size		cap = Max(min_cap, (Size) nsorted + ntail);
	Size		size;
	Size		limit = (Size) retention_max_state_memory * 1024;
	RfmState   *s;
	char	   *p;

	cap = Max(cap, 1);
	if (cap > (MaxAllocHugeSize - RFM_HDRSZ - slow_first - slow_repeat) / sizeof(int64))
		state_corrupt("too many periods");
	size = RFM_HDRSZ + cap * sizeof(int64) + slow_first + slow_repeat;
	if (size <= 8192)
	{
		Size		pow2 = 64;

		while (pow2 < size)
			pow2 *= 2;
		cap += (pow2 - size) / sizeof(int64);
		size = RFM_HDRSZ + cap * sizeof(int64) + slow_first + slow_repeat;
	}
	if (size > limit || cap > PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention aggregate state exceeds retention.max_state_memory (%d kB)",
						retention_max_state_memory),
				 errdetail("An rfm state of %u distinct periods needs %zu kB.",
						   nsorted + ntail, (size + 1023) / 1024),
				 errhint("Raise retention.max_state_memory, or use a longer unit.")));
	budget_check_flat_size(size);

	s = (RfmState *) palloc_extended(size, MCXT_ALLOC_HUGE);
	memset(s, 0, RFM_HDRSZ);
	SET_VARSIZE(s, size);
	s->version = RFM_STATE_VERSION;
	s->unit = proto->unit;
	s->time_kind = proto->time_kind;
	s->until = proto->until;
	s->end = proto->end;
	s->nsorted = nsorted;
	s->ntail = ntail;
	s->cap = (uint32) cap;
	s->first_units = first->units;
	s->first_dscale = (uint16) first->dscale;
	s->repeat_units = repeat->units;
	s->repeat_dscale = (uint16) repeat->dscale;
	if (nsorted + ntail > 0)
		memcpy(s->periods, periods, ((Size) nsorted + ntail) * sizeof(int64));
	p = (char *) &s->periods[cap];
	memset(&s->periods[nsorted + ntail], 0, (char *) p - (char *) &s->periods[nsorted + ntail]);
	if (first->slow)
	{
		s->flags |= RFM_SLOW_FIRST;
		memset(p, 0, slow_first);
		memcpy(p, DatumGetPointer(first->slow), VARSIZE(DatumGetPointer(first->slow)));
		p += slow_first;
	}
	if (repeat->slow)
	{
		s->flags |= RFM_SLOW_REPEAT;
		memset(p, 0, slow_repeat);
		memcpy(p, DatumGetPointer(repeat->slow), VARSIZE(DatumGetPointer(repeat->slow)));
	}
	return s;
}

/* The same state with room for at least min_cap periods and the given sums. */
static RfmState *
state_rebuild(const RfmState *s, Size min_cap, const RfmSum *first, const RfmSum *repeat)
{
	return state_build(s, s->periods, s->nsorted, s->ntail, min_cap, first, repeat);
}

static RfmState *
state_grow(RfmState *s)
{
	RfmSum		first;
	RfmSum		repeat;

	state_get_sum(s, false, &first);
	state_get_sum(s, true, &repeat);
	return state_rebuild(s, (Size) s->cap * 2, &first, &repeat);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* Sorts v[0..n) and drops repeated values; returns the new count. */
static uint32
sort_distinct(int64 *v, uint32 n)
{
	uint32		k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(int64), cmp_int64);
	for (uint32 i = 1; i < n; i++)
		if (v[i] != v[k])
			v[++k] = v[i];
	return k + 1;
}

/* Merges two ascending distinct arrays into out, without repeats; returns the count. */
static uint32
merge_distinct(const int64 *a, uint32 na, const int64 *b, uint32 nb, int64 *out)
{
	uint32		i = 0,
				j = 0,
				k = 0;

	while (i < na && j < nb)
	{
		if (a[i] < b[j])
			out[k++] = a[i++];
		else if (b[j] < a[i])
			out[k++] = b[j++];
		else
		{
			out[k++] = a[i++];
			j++;
		}
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
	return k;
}

/*
 * The distinct purchase periods of a state, ascending: its own array when it
 * has no tail, else a merged copy in the current memory context.
 */
static const int64 *
state_periods(const RfmState *s, uint32 *n)
{
	int64	   *tail;
	int64	   *out;
	uint32		k;

	if (s->ntail == 0)
	{
		*n = s->nsorted;
		return s->periods;
	}
	tail = palloc((Size) s->ntail * sizeof(int64));
	memcpy(tail, &s->periods[s->nsorted], (Size) s->ntail * sizeof(int64));
	k = sort_distinct(tail, s->ntail);
	out = palloc(((Size) s->nsorted + k) * sizeof(int64));
	*n = merge_distinct(s->periods, s->nsorted, tail, k, out);
	pfree(tail);
	return out;
}

/* Sorts the tail into the sorted part, in place. */
static void
state_normalize(RfmState *s)
{
	uint32		n;
	const int64 *v;

	if (s->ntail == 0)
		return;
	CHECK_FOR_INTERRUPTS();
	v = state_periods(s, &n);
	memcpy(s->periods, v, (Size) n * sizeof(int64));
	pfree((void *) v);
	memset(&s->periods[n], 0, ((Size) s->nsorted + s->ntail - n) * sizeof(int64));
	s->nsorted = n;
	s->ntail = 0;
}

static bool
sorted_contains(const int64 *v, uint32 n, int64 p)
{
	uint32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;

		if (v[mid] < p)
			lo = mid + 1;
		else if (v[mid] > p)
			hi = mid;
		else
			return true;
	}
	return false;
}

/*
 * Records a purchase in period p > periods[0] (a repeat period).  Returns
 * the state, which may be a new, larger one.
 */
static RfmState *
add_repeat_period(RfmState *s, int64 p)
{
	uint32		ns = s->nsorted;
	uint32		nt = s->ntail;

	if (nt == 0)
	{
		/* rows in time order: a later period goes at the end */
		if (p > s->periods[ns - 1])
		{
			if (ns == s->cap)
				s = state_grow(s);
			s->periods[s->nsorted++] = p;
			return s;
		}
		if (p == s->periods[ns - 1])
			return s;
	}
	else if (s->periods[ns + nt - 1] == p)
		return s;				/* the same period as the last row out of order */
	if (sorted_contains(s->periods, ns, p))
		return s;

	/* out of order: to the tail, sorted in once it is as long as the rest */
	if (nt >= Max(RFM_TAIL_MIN, ns) || ns + nt == s->cap)
	{
		state_normalize(s);
		ns = s->nsorted;
		if (sorted_contains(s->periods, ns, p))
			return s;
		if (p > s->periods[ns - 1])
		{
			if (ns == s->cap)
				s = state_grow(s);
			s->periods[s->nsorted++] = p;
			return s;
		}
	}
	if (s->nsorted + s->ntail == s->cap)
		s = state_grow(s);
	s->periods[s->nsorted + s->ntail++] = p;
	return s;
}

/*
 * Adds an amount to the first or the repeat sum: units of 10^-8 when
 * slow is 0, else the numeric slow.  dscale is its display scale (-1 for NaN
 * and infinities).
 */
static RfmState *
add_amount(RfmState *s, bool repeat, int64 units, int dscale, Datum slow)
{
	int64	   *sum = repeat ? &s->repeat_units : &s->first_units;
	uint16	   *ds = repeat ? &s->repeat_dscale : &s->first_dscale;
	RfmSum		first;
	RfmSum		rep;

	if (slow == (Datum) 0)
	{
		int64		r;

		if (!pg_add_s64_overflow(*sum, units, &r))
		{
			*sum = r;
			if (dscale > *ds)
				*ds = (uint16) dscale;
			return s;
		}
	}
	/* rare: the sums change size, so the state is built again */
	state_get_sum(s, false, &first);
	state_get_sum(s, true, &rep);
	if (slow == (Datum) 0)
		sum_add_units(repeat ? &rep : &first, units, dscale);
	else
		sum_add_numeric(repeat ? &rep : &first, slow, dscale);
	return state_rebuild(s, s->cap, &first, &rep);
}

/* Period p (< periods[0]) becomes the first: the old first period's sum is a repeat one. */
static RfmState *
new_first_period(RfmState *s, int64 p)
{
	int64		old = s->periods[0];
	int64		r;

	if (s->nsorted + s->ntail == s->cap)
	{
		state_normalize(s);
		if (s->nsorted == s->cap)
			s = state_grow(s);
	}
	s->periods[0] = p;
	s->periods[s->nsorted + s->ntail++] = old;

	if ((s->flags & RFM_SLOW_FIRST) == 0 &&
		!pg_add_s64_overflow(s->repeat_units, s->first_units, &r))
	{
		s->repeat_units = r;
		s->repeat_dscale = Max(s->repeat_dscale, s->first_dscale);
		s->first_units = 0;
		s->first_dscale = 0;
	}
	else
	{
		RfmSum		first;
		RfmSum		rep;
		RfmSum		empty = {0, 0, (Datum) 0};

		state_get_sum(s, false, &first);
		state_get_sum(s, true, &rep);
		sum_add_sum(&rep, &first);
		s = state_rebuild(s, s->cap, &empty, &rep);
	}
	return s;
}

/* A new, empty state for these arguments, in the current memory context. */
static RfmState *
state_new(RfmUnit unit, TimeKind kind, int64 until, int64 end)
{
	RfmState	proto;
	RfmSum		zero = {0, 0, (Datum) 0};

	memset(&proto, 0, sizeof(proto));
	proto.unit = unit;
	proto.time_kind = kind;
	proto.until = until;
	proto.end = end;
	return state_build(&proto, NULL, 0, 0, 1, &zero, &zero);
}

/*
 * The state in the first argument, ready to be updated: in place when called
 * as an aggregate with our own 4-byte-header value, else a private copy in
 * the current memory context (the argument is then never modified).
 */
static RfmState *
state_rw(FunctionCallInfo fcinfo)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(ARG_STATE);
	RfmState   *s;

	if (AggCheckCallContext(fcinfo, NULL) && !VARATT_IS_EXTENDED(raw))
	{
		state_check((RfmState *) raw);
		return (RfmState *) raw;
	}
	s = state_read(PointerGetDatum(raw));
	if ((struct varlena *) s == raw)
	{
		s = palloc(VARSIZE(raw));
		memcpy(s, raw, VARSIZE(raw));
	}
	return s;
}

static pg_attribute_always_inline Datum
rfm_transition(FunctionCallInfo fcinfo, TimeKind kind)
{
	RfmRowCache *c = row_cache(fcinfo);
	RfmUnit		unit = unit_arg(fcinfo, c);
	RfmState   *s;
	int64		at;
	int64		p;
	int64		units = 0;
	int			dscale = -1;
	Datum		slow = (Datum) 0;

	until_arg(fcinfo, c, kind, unit);
	if (PG_ARGISNULL(ARG_STATE))
		s = state_new(unit, kind, c->until, c->end);
	else
	{
		s = state_rw(fcinfo);
		if (s->unit == 0)
		{
			/* the INITCOND, copied for this group by nodeAgg: fill it in place */
			s->unit = unit;
			s->time_kind = kind;
			s->until = c->until;
			s->end = c->end;
		}
		if (s->time_kind != kind)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("rfm state of %s times passed to the transition function for %s",
							time_kind_name(s->time_kind), time_kind_name(kind))));
		if (s->unit != unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the unit of rfm must be the same on every row of a group"),
					 errdetail("The group started with unit %s, this row has %s.",
							   unit_name(s->unit), unit_name(unit))));
		if (s->until != c->until || s->end != c->end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("observed_until of rfm must be the same on every row of a group"),
					 errhint("Pass one end of observation, for example a constant.")));
	}
	if (PG_ARGISNULL(ARG_TIME))
		PG_RETURN_POINTER(s);

	at = time_datum_to_micros(PG_GETARG_DATUM(ARG_TIME), kind);
	p = row_period(c, unit, kind, at);
	if (p > s->end)
		PG_RETURN_POINTER(s);	/* after the observation period */

	if (!PG_ARGISNULL(ARG_AMOUNT))
	{
		Datum		a = PG_GETARG_DATUM(ARG_AMOUNT);

		if (!money_units64(a, &units, &dscale))
		{
			slow = a;
			units = 0;
		}
	}

	if (s->nsorted == 0)
		s->periods[s->nsorted++] = p;	/* the first order: cap >= 1 */
	else if (p < s->periods[0])
		s = new_first_period(s, p);
	else if (p > s->periods[0])
	{
		s = add_repeat_period(s, p);
		if (!PG_ARGISNULL(ARG_AMOUNT))
			s = add_amount(s, true, units, dscale, slow);
		PG_RETURN_POINTER(s);
	}
	/* p is the first period */
	if (!PG_ARGISNULL(ARG_AMOUNT))
		s = add_amount(s, false, units, dscale, slow);
	PG_RETURN_POINTER(s);
}

/*
 * rfm_trans(state rfm_state, ordered_at, amount numeric, observed_until [, unit text])
 *
 * Not STRICT: the state starts NULL, rows with a NULL time are skipped and a
 * NULL amount still makes a purchase.  One C function per time type serves
 * both forms (PG_NARGS tells them apart).
 */
Datum
rfm_trans_tstz(PG_FUNCTION_ARGS)
{
	return rfm_transition(fcinfo, TIME_TIMESTAMPTZ);
}

Datum
rfm_trans_ts(PG_FUNCTION_ARGS)
{
	return rfm_transition(fcinfo, TIME_TIMESTAMP);
}

Datum
rfm_trans_date(PG_FUNCTION_ARGS)
{
	return rfm_transition(fcinfo, TIME_DATE);
}

/*
 * rfm_combine(a, b): the state of the rows of both.  Not STRICT: either may be
 * NULL (a parallel worker without rows).  The result is a new value in the
 * current memory context (nodeAgg copies it into the aggregate context), or
 * the first argument itself when the second is NULL; the second argument is
 * never returned.
 */
Datum
rfm_combine(PG_FUNCTION_ARGS)
{
	RfmState   *a;
	RfmState   *b;
	const int64 *pa;
	const int64 *pb;
	uint32		na;
	uint32		nb;
	int64	   *merged;
	uint32		n;
	RfmSum		first;
	RfmSum		rep;
	RfmSum		fa,
				ra,
				fb,
				rb;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = state_read(PG_GETARG_DATUM(1));
	a = PG_ARGISNULL(0) ? NULL : state_read(PG_GETARG_DATUM(0));
	if (a == NULL || a->unit == 0)
	{
		/* nothing (or a fresh state) on the left: a copy of the right */
		RfmState   *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		PG_RETURN_POINTER(copy);
	}
	if (b->unit == 0)
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (a->time_kind != b->time_kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine rfm states of %s and %s times",
						time_kind_name(a->time_kind), time_kind_name(b->time_kind))));
	if (a->unit != b->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm states of units %s and %s",
						unit_name(a->unit), unit_name(b->unit)),
				 errhint("The unit of rfm must be the same on every row of a group.")));
	if (a->until != b->until || a->end != b->end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm states with different observed_until"),
				 errhint("observed_until must be the same on every row of a group (and states be made in one TimeZone).")));

	pa = state_periods(a, &na);
	pb = state_periods(b, &nb);
	CHECK_FOR_INTERRUPTS();
	merged = palloc(((Size) na + nb + 1) * sizeof(int64));
	n = merge_distinct(pa, na, pb, nb, merged);

	state_get_sum(a, false, &fa);
	state_get_sum(a, true, &ra);
	state_get_sum(b, false, &fb);
	state_get_sum(b, true, &rb);
	memset(&first, 0, sizeof(first));
	memset(&rep, 0, sizeof(rep));
	sum_add_sum(&rep, &ra);
	sum_add_sum(&rep, &rb);
	if (na > 0 && (nb == 0 || pa[0] <= pb[0]))
		sum_add_sum(&first, &fa);
	else if (na > 0)
		sum_add_sum(&rep, &fa);
	if (nb > 0 && (na == 0 || pb[0] <= pa[0]))
		sum_add_sum(&first, &fb);
	else if (nb > 0)
		sum_add_sum(&rep, &fb);
	PG_RETURN_POINTER(state_build(a, merged, n, 0, n, &first, &rep));
}

/* ---------------------------------------------------------------------------
 * The final function
 * ---------------------------------------------------------------------------
 */
typedef struct RfmFinalCache
{
	TupleDesc	tupdesc;
	Datum		zero;			/* numeric 0 */
} RfmFinalCache;

/*
 * rfm_final(state) -> rfm_summary.  STRICT: no state (no row) is NULL, and so
 * is a state without a purchase period (every order after observed_until, or
 * every ordered_at NULL).  The state is only read.
 */
Datum
rfm_final(PG_FUNCTION_ARGS)
{
	RfmFinalCache *fc = (RfmFinalCache *) fcinfo->flinfo->fn_extra;
	RfmState   *s = state_read(PG_GETARG_DATUM(0));
	const int64 *periods;
	uint32		n;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int64		first;

	if (fc == NULL)
	{
		TupleDesc	td;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("rfm_final must return the composite type rfm_summary")));
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		fc = palloc(sizeof(RfmFinalCache));
		fc->tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		fc->zero = DirectFunctionCall1(int8_numeric, Int64GetDatum(0));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = fc;
	}

	periods = state_periods(s, &n);
	if (n == 0)
		PG_RETURN_NULL();
	if (n - 1 > (uint32) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm frequency out of range for integer")));
	first = periods[0];
	values[0] = Int32GetDatum((int32) (n - 1));
	values[1] = Float8GetDatum(units_between(s->unit, first, periods[n - 1]));
	values[2] = Float8GetDatum(units_between(s->unit, first, s->end));
	if (n == 1)
		values[3] = fc->zero;
	else
	{
		RfmSum		rep;

		/* avg(): sum / count, numeric_div of the exact sum by the count */
		state_get_sum(s, true, &rep);
		values[3] = DirectFunctionCall2(numeric_div, sum_numeric(&rep),
										DirectFunctionCall1(int8_numeric, Int64GetDatum((int64) n - 1)));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(fc->tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------------
 * The SQL type rfm_state: a versioned, byte-order-neutral form, written out
 * as hex text ("\x...") or as the binary form; every value read is validated.
 *
 *   u8 version, u8 unit, u8 time kind, u8 flags, u32 first_dscale,
 *   u32 repeat_dscale, u64 until, u64 end, u64 first_units, u64 repeat_units,
 *   u32 n, n x u64 distinct periods ascending,
 *   then for each RFM_SLOW_* flag (first, repeat): u32 length, numeric_send bytes
 * ---------------------------------------------------------------------------
 */
static void put_u32_buf(StringInfo buf, uint32 v);

static void
append_slow(StringInfo buf, Numeric value)
{
	bytea	   *b;

	if (value == NULL)
		return;
	b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(value)));
	put_u32_buf(buf, VARSIZE_ANY_EXHDR(b));
	appendBinaryStringInfo(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

static void
put_u32_buf(StringInfo buf, uint32 v)
{
	char		b[4];

	put_u32(b, v);
	appendBinaryStringInfo(buf, b, 4);
}

static void
put_u64_buf(StringInfo buf, uint64 v)
{
	char		b[8];

	put_u64(b, v);
	appendBinaryStringInfo(buf, b, 8);
}

static void
state_serialize(const RfmState *s, StringInfo buf)
{
	uint32		n;
	const int64 *periods = state_periods(s, &n);
	Numeric		first;
	Numeric		rep;
	char		head[4];

	state_slow(s, &first, &rep);
	head[0] = (char) RFM_STATE_VERSION;
	head[1] = (char) s->unit;
	head[2] = (char) s->time_kind;
	head[3] = (char) s->flags;
	appendBinaryStringInfo(buf, head, 4);
	put_u32_buf(buf, s->first_dscale);
	put_u32_buf(buf, s->repeat_dscale);
	put_u64_buf(buf, (uint64) s->until);
	put_u64_buf(buf, (uint64) s->end);
	put_u64_buf(buf, (uint64) s->first_units);
	put_u64_buf(buf, (uint64) s->repeat_units);
	put_u32_buf(buf, n);
	for (uint32 i = 0; i < n; i++)
		put_u64_buf(buf, (uint64) periods[i]);
	append_slow(buf, first);
	append_slow(buf, rep);
}

/* A numeric part of a sum, read and checked: finite ones have no more decimals than dscale. */
static Datum
read_slow(StringInfo buf, int dscale)
{
	uint32		len;
	StringInfoData sub;
	Datum		value;
	Numeric		num;

	len = get_u32(buf);
	sub.data = (char *) get_bytes(buf, len);
	sub.len = len;
	sub.maxlen = len;
	sub.cursor = 0;
	/* numeric_send: int16 ndigits, weight, sign, dscale, then the digits (big-endian) */
	if (len < 8 || len != 8 + 2 * (Size) (((uint8) sub.data[0] << 8) | (uint8) sub.data[1]))
		state_corrupt("invalid amount sum");
	value = DirectFunctionCall3(numeric_recv, PointerGetDatum(&sub),
								ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	if (sub.cursor != sub.len)
		state_corrupt("invalid amount sum");
	num = DatumGetNumeric(value);
	if (!numeric_is_nan(num) && !numeric_is_inf(num))
	{
		/* the display scale is the second int16 of numeric_send's form */
		int			ds = ((uint8) sub.data[6] << 8) | (uint8) sub.data[7];

		if (ds > dscale)
			state_corrupt("amount sum has more decimals than its scale");
	}
	return value;
}

/* Units of 10^-8 with no digits past dscale. */
static bool
units_fit_scale(int64 units, int dscale)
{
	int64		step = 1;

	for (int i = dscale; i < 8; i++)
		step *= 10;
	return units % step == 0;
}

/* Reads a serialized state and checks every invariant; the result is in the current context. */
static RfmState *
state_deserialize(StringInfo buf)
{
	RfmState	proto;
	uint8		version;
	uint8		flags;
	uint32		fds,
				rds;
	uint32		n;
	int64	   *periods;
	RfmSum		first = {0, 0, (Datum) 0};
	RfmSum		rep = {0, 0, (Datum) 0};
	PeriodKind	pk;

	memset(&proto, 0, sizeof(proto));
	version = get_u8(buf);
	if (version != RFM_STATE_VERSION)
		state_corrupt(psprintf("unknown format version %u", version));
	proto.unit = get_u8(buf);
	proto.time_kind = get_u8(buf);
	flags = get_u8(buf);
	if (proto.unit == 0 && proto.time_kind == 0)
	{
		/* a fresh state: no row seen, everything else zero */
		for (int i = 0; i < 44; i++)
			if (get_u8(buf) != 0)
				state_corrupt("a fresh state with data");
		if (flags != 0 || buf->cursor != buf->len)
			state_corrupt("a fresh state with data");
		return state_build(&proto, NULL, 0, 0, 1, &first, &rep);
	}
	if (proto.unit < RFM_DAY || proto.unit > RFM_UNIT_MAX)
		state_corrupt("invalid unit");
	if (proto.time_kind < TIME_TIMESTAMPTZ || proto.time_kind > TIME_DATE)
		state_corrupt("invalid time type");
	if ((flags & ~RFM_FLAGS_ALL) != 0)
		state_corrupt("invalid flags");
	fds = get_u32(buf);
	rds = get_u32(buf);
	if (fds > RFM_DSCALE_MAX || rds > RFM_DSCALE_MAX)
		state_corrupt("invalid display scale");
	first.dscale = fds;
	rep.dscale = rds;
	proto.until = (int64) get_u64(buf);
	proto.end = (int64) get_u64(buf);
	first.units = (int64) get_u64(buf);
	rep.units = (int64) get_u64(buf);
	if (!units_fit_scale(first.units, fds) || !units_fit_scale(rep.units, rds))
		state_corrupt("amount sum has more decimals than its scale");

	/* observed_until and its period */
	if (!IS_VALID_TIMESTAMP(proto.until) ||
		(proto.time_kind == TIME_DATE && proto.until % USECS_PER_DAY != 0))
		state_corrupt("invalid observed_until");
	pk = unit_period_kind[proto.unit];
	if (proto.time_kind != TIME_TIMESTAMPTZ)
	{
		/* wall-clock times: the end is a function of until */
		if (proto.end != (proto.unit == RFM_HOUR
						  ? floor_div64(proto.until, USECS_PER_HOUR) * USECS_PER_HOUR
						  : (int64) period_of_time(pk, proto.time_kind, proto.until)))
			state_corrupt("observed_until does not match its period");
	}
	else if (proto.unit == RFM_HOUR)
	{
		/* in any time zone an hour starts less than an hour before the instant */
		if (proto.end > proto.until || proto.until - proto.end >= USECS_PER_HOUR ||
			!IS_VALID_TIMESTAMP(proto.end))
			state_corrupt("observed_until does not match its period");
	}
	else
	{
		/* in any time zone the period is that of UTC, or a neighbour */
		int64		utc_period = period_of_date(pk, local_date_of(proto.until));

		if (proto.end < utc_period - 1 || proto.end > utc_period + 1)
			state_corrupt("observed_until does not match its period");
	}
	if (proto.unit != RFM_HOUR &&
		(proto.end < PG_INT32_MIN || proto.end > PG_INT32_MAX || !period_is_valid(pk, (int32) proto.end)))
		state_corrupt("invalid period");

	/* the periods */
	n = get_u32(buf);
	if ((Size) n > (Size) (buf->len - buf->cursor) / sizeof(int64))
		state_corrupt("value is truncated");
	periods = palloc_extended(((Size) n + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < n; i++)
	{
		int64		p = (int64) get_u64(buf);

		if (i > 0 && p <= periods[i - 1])
			state_corrupt("periods are not ascending");
		if (p > proto.end)
			state_corrupt("a period lies after observed_until");
		if (proto.unit == RFM_HOUR
			? (!IS_VALID_TIMESTAMP(p) ||
			   (proto.time_kind != TIME_TIMESTAMPTZ && p % USECS_PER_HOUR != 0))
			: (p < PG_INT32_MIN || !period_is_valid(pk, (int32) p)))
			state_corrupt("invalid period");
		periods[i] = p;
	}
	if (n == 0 && (flags != 0 || first.units != 0 || rep.units != 0 || fds != 0 || rds != 0))
		state_corrupt("amounts without a period");
	if (n <= 1 && ((flags & RFM_SLOW_REPEAT) || rep.units != 0 || rds != 0))
		state_corrupt("repeat amounts without a repeat period");
	if (flags & RFM_SLOW_FIRST)
		first.slow = read_slow(buf, fds);
	if (flags & RFM_SLOW_REPEAT)
		rep.slow = read_slow(buf, rds);
	if (buf->cursor != buf->len)
		state_corrupt("unexpected bytes after the value");
	return state_build(&proto, periods, n, 0, n, &first, &rep);
}

Datum
rfm_state_in(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, "rfm_state");
	StringInfoData buf;

	buf.data = bytes;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	PG_RETURN_POINTER(state_deserialize(&buf));
}

Datum
rfm_state_out(PG_FUNCTION_ARGS)
{
	RfmState   *s = state_read(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	state_serialize(s, &buf);
	PG_RETURN_CSTRING(hex_text(buf.data, buf.len));
}

Datum
rfm_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	in = (StringInfo) PG_GETARG_POINTER(0);
	StringInfoData buf;

	buf.data = in->data + in->cursor;
	buf.len = in->len - in->cursor;
	buf.maxlen = buf.len;
	buf.cursor = 0;
	in->cursor = in->len;
	PG_RETURN_POINTER(state_deserialize(&buf));
}

Datum
rfm_state_send(PG_FUNCTION_ARGS)
{
	RfmState   *s = state_read(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	state_serialize(s, &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
