/*
 * rfm_io.c
 *		The SQL type rfm_state: a versioned, byte-order-neutral form of the
 *		state (rfm_state.h), written out as hex text ("\\x...") or as the
 *		binary form; every value read is validated.
 *
 *   u8 version, u8 unit, u8 time kind, u8 flags, u32 first_dscale,
 *   u32 repeat_dscale, u64 until, u64 end, u64 first_units, u64 repeat_units,
 *   u32 n, n x u64 distinct periods ascending,
 *   then for each RFM_SLOW_* flag (first, repeat): a numeric field (flat_io.h)
 */
#include "rfm_state.h"

#include "flat_io.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rfm_state_in);
PG_FUNCTION_INFO_V1(rfm_state_out);
PG_FUNCTION_INFO_V1(rfm_state_recv);
PG_FUNCTION_INFO_V1(rfm_state_send);

#define FIXED_SIZE (4 + 2 * 4 + 4 * 8 + 4)

/* The flat form of a state, in a new buffer of the current memory context; its length in *len. */
char *
rfm_state_serialize(const RfmState *s, Size *len)
{
	uint32		n;
	const int64 *periods = rfm_state_periods(s, &n);
	Numeric		slow[2];
	Size		size = FIXED_SIZE + (Size) n * 8;
	char	   *out;
	char	   *p;

	rfm_state_slow(s, &slow[0], &slow[1]);
	for (int i = 0; i < 2; i++)
		if (slow[i])
			size += flat_numeric_field_size(NumericGetDatum(slow[i]));
	out = palloc_extended(size, MCXT_ALLOC_HUGE);
	p = put_u8(out, RFM_STATE_VERSION);
	p = put_u8(p, s->unit);
	p = put_u8(p, s->time_kind);
	p = put_u8(p, s->flags);
	p = put_u32(p, s->first_dscale);
	p = put_u32(p, s->repeat_dscale);
	p = put_u64(p, (uint64) s->until);
	p = put_u64(p, (uint64) s->end);
	p = put_u64(p, (uint64) s->first_units);
	p = put_u64(p, (uint64) s->repeat_units);
	p = put_u32(p, n);
	for (uint32 i = 0; i < n; i++)
		p = put_u64(p, (uint64) periods[i]);
	for (int i = 0; i < 2; i++)
		if (slow[i])
			p = put_numeric_field(p, NumericGetDatum(slow[i]));
	Assert(p == out + size);
	*len = size;
	return out;
}

/* A numeric part of a sum, read and checked: a finite one has no more decimals than dscale. */
static Datum
read_slow(StringInfo buf, int dscale)
{
	Datum		value = get_numeric_field(buf);
	int64		units;
	int			value_dscale;

	if (value == (Datum) 0)
		rfm_corrupt("invalid amount sum");
	(void) money_units64(value, &units, &value_dscale);
	if (value_dscale > dscale)
		rfm_corrupt("amount sum has more decimals than its scale");
	return value;
}

/* Units of 10^-8 with no digits past dscale (rfm_agg_state's reader uses it too). */
bool
rfm_units_fit_scale(int64 units, int dscale)
{
	int64		step = 1;

	for (int i = dscale; i < MONEY_FRAC_DIGITS; i++)
		step *= 10;
	return units % step == 0;
}

/*
 * Whether p can be a period of this unit code for times of this kind: a valid
 * calendar period, or the start of an hour (of wall-clock hours, a whole hour)
 * within the timestamp range.  (rfm_agg_state's reader checks its cells so too.)
 */
bool
rfm_period_is_valid(uint8 unit, TimeKind time_kind, int64 p)
{
	PeriodKind	pk = rfm_unit_kind(unit);

	if (pk == PERIOD_HOUR)
		return IS_VALID_TIMESTAMP(p) &&
			(time_kind == TIME_TIMESTAMPTZ || p % USECS_PER_HOUR == 0);
	return p >= PG_INT32_MIN && p <= PG_INT32_MAX && period_is_valid(pk, (int32) p);
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
	MoneySum	first;
	MoneySum	rep;
	int64		first_units,
				rep_units;
	PeriodKind	pk;

	memset(&proto, 0, sizeof(proto));
	money_init(&first, CurrentMemoryContext);
	money_init(&rep, CurrentMemoryContext);
	version = get_u8(buf);
	if (version != RFM_STATE_VERSION)
		rfm_corrupt(psprintf("unknown format version %u", version));
	proto.unit = get_u8(buf);
	proto.time_kind = get_u8(buf);
	flags = get_u8(buf);
	if (proto.unit == 0 && proto.time_kind == 0)
	{
		/* a fresh state: no row seen, everything else zero */
		for (int i = 0; i < 44; i++)
			if (get_u8(buf) != 0)
				rfm_corrupt("a fresh state with data");
		if (flags != 0 || buf->cursor != buf->len)
			rfm_corrupt("a fresh state with data");
		return rfm_state_build(&proto, NULL, 0, 0, 1, &first, &rep);
	}
	if (proto.unit < 1 || proto.unit > RFM_UNIT_MAX)
		rfm_corrupt("invalid unit");
	if (proto.time_kind < TIME_TIMESTAMPTZ || proto.time_kind > TIME_DATE)
		rfm_corrupt("invalid time type");
	if ((flags & ~RFM_FLAGS_ALL) != 0)
		rfm_corrupt("invalid flags");
	fds = get_u32(buf);
	rds = get_u32(buf);
	if (fds > MONEY_DSCALE_MAX || rds > MONEY_DSCALE_MAX)
		rfm_corrupt("invalid display scale");
	proto.until = (int64) get_u64(buf);
	proto.end = (int64) get_u64(buf);
	first_units = (int64) get_u64(buf);
	rep_units = (int64) get_u64(buf);
	if (!rfm_units_fit_scale(first_units, fds) || !rfm_units_fit_scale(rep_units, rds))
		rfm_corrupt("amount sum has more decimals than its scale");

	/* observed_until and its period */
	if (!IS_VALID_TIMESTAMP(proto.until) ||
		(proto.time_kind == TIME_DATE && proto.until % USECS_PER_DAY != 0))
		rfm_corrupt("invalid observed_until");
	pk = rfm_unit_kind(proto.unit);
	if (proto.time_kind != TIME_TIMESTAMPTZ)
	{
		/* wall-clock times: the end is a function of until */
		if (proto.end != (pk == PERIOD_HOUR
						  ? floor_div(proto.until, USECS_PER_HOUR) * USECS_PER_HOUR
						  : (int64) period_of_time(pk, proto.time_kind, proto.until)))
			rfm_corrupt("observed_until does not match its period");
	}
	else if (pk == PERIOD_HOUR)
	{
		/* in any time zone an hour starts less than an hour before the instant */
		if (proto.end > proto.until || proto.until - proto.end >= USECS_PER_HOUR ||
			!IS_VALID_TIMESTAMP(proto.end))
			rfm_corrupt("observed_until does not match its period");
	}
	else
	{
		/* in any time zone the period is that of UTC, or a neighbour */
		int64		utc_period = period_of_date(pk, local_date_of(proto.until));

		if (proto.end < utc_period - 1 || proto.end > utc_period + 1)
			rfm_corrupt("observed_until does not match its period");
	}
	if (pk != PERIOD_HOUR &&
		(proto.end < PG_INT32_MIN || proto.end > PG_INT32_MAX || !period_is_valid(pk, (int32) proto.end)))
		rfm_corrupt("invalid period");

	/* the periods */
	n = get_u32(buf);
	if ((Size) n > (Size) (buf->len - buf->cursor) / sizeof(int64))
		rfm_corrupt("value is truncated");
	periods = palloc_extended(((Size) n + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < n; i++)
	{
		int64		p = (int64) get_u64(buf);

		if (i > 0 && p <= periods[i - 1])
			rfm_corrupt("periods are not ascending");
		if (p > proto.end)
			rfm_corrupt("a period lies after observed_until");
		if (!rfm_period_is_valid(proto.unit, proto.time_kind, p))
			rfm_corrupt("invalid period");
		periods[i] = p;
	}
	if (n == 0 && (flags != 0 || first_units != 0 || rep_units != 0 || fds != 0 || rds != 0))
		rfm_corrupt("amounts without a period");
	if (n <= 1 && ((flags & RFM_SLOW_REPEAT) || rep_units != 0 || rds != 0))
		rfm_corrupt("repeat amounts without a repeat period");
	money_add_units(&first, first_units, 0, fds);
	money_add_units(&rep, rep_units, 0, rds);
	if (flags & RFM_SLOW_FIRST)
		money_add_numeric(&first, read_slow(buf, fds), 0, -1);
	if (flags & RFM_SLOW_REPEAT)
		money_add_numeric(&rep, read_slow(buf, rds), 0, -1);
	if (buf->cursor != buf->len)
		rfm_corrupt("unexpected bytes after the value");
	return rfm_state_build(&proto, periods, n, 0, n, &first, &rep);
}

/* A state read from its flat form (len bytes at data), every invariant checked. */
RfmState *
rfm_state_from_bytes(const char *data, Size len)
{
	StringInfoData buf;

	flat_reader_init(&buf, data, len);
	return state_deserialize(&buf);
}

Datum
rfm_state_in(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, "rfm_state");

	PG_RETURN_POINTER(rfm_state_from_bytes(bytes, len));
}

Datum
rfm_state_out(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = rfm_state_serialize(rfm_state_read(PG_GETARG_DATUM(0)), &len);

	PG_RETURN_CSTRING(hex_text(bytes, len));
}

Datum
rfm_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	in = (StringInfo) PG_GETARG_POINTER(0);
	Size		len = in->len - in->cursor;

	PG_RETURN_POINTER(rfm_state_from_bytes(pq_getmsgbytes(in, len), len));
}

Datum
rfm_state_send(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = rfm_state_serialize(rfm_state_read(PG_GETARG_DATUM(0)), &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, bytes, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
