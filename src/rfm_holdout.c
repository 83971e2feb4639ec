/*
 * rfm_holdout.c
 *		The rfm_holdout aggregate: one customer's calibration summary and what
 *		they bought in the holdout period after it, as lifetimes'
 *		calibration_and_holdout_data (doc/rfm.md#rfm_holdout).
 *
 *   rfm_holdout(ordered_at, amount, calibration_end, observation_end [, unit text])
 *       -> rfm_holdout_summary
 *
 * with the argument types of rfm (rfm_agg.c).  With cal = the period of
 * calibration_end and obs = the period of observation_end (calibration_end <=
 * observation_end):
 *
 *   frequency_cal .. monetary_value_cal  exactly rfm(ordered_at, amount, calibration_end, unit)
 *   frequency_holdout       distinct periods p with an order, cal < p <= obs
 *   monetary_value_holdout  the amounts of those periods / frequency_holdout
 *                           (the mean of the periods' sums; 0 without one)
 *   duration_holdout        units from cal to obs
 *
 * Orders of periods after obs are ignored; a customer without a period <=
 * cal (first seen in the holdout) is NULL.
 *
 * The state is the SQL type rfm_holdout_state: a flat varlena that holds two
 * rfm states (rfm_state.h), the calibration one (observed until
 * calibration_end) and the holdout one (observed until observation_end, only
 * periods after cal), so that every period store, merge, memory bound and
 * validation is rfm's:
 *
 *   RfmHoldoutState header (16 bytes) | calibration RfmState | holdout RfmState
 *
 * the calibration state in cal_space bytes (a multiple of 8), the holdout one
 * filling the rest exactly.  Its text and binary forms are a version byte and
 * the two rfm_state forms, each after its u32 length; reading one checks both
 * as rfm_state's input does and that they belong together.
 */
#include "agg_args.h"
#include "flat_io.h"
#include "rfm_state.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rfm_holdout_combine);
PG_FUNCTION_INFO_V1(rfm_holdout_final);
PG_FUNCTION_INFO_V1(rfm_holdout_state_in);
PG_FUNCTION_INFO_V1(rfm_holdout_state_out);
PG_FUNCTION_INFO_V1(rfm_holdout_state_recv);
PG_FUNCTION_INFO_V1(rfm_holdout_state_send);

#define HOLDOUT_STATE_VERSION 1

typedef struct RfmHoldoutState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* HOLDOUT_STATE_VERSION */
	uint8		pad[3];
	uint32		cal_space;		/* bytes of the calibration state's place */
	uint32		pad2;
	/* the calibration RfmState, then the holdout RfmState, both 8-aligned */
} RfmHoldoutState;

#define HOLDOUT_HDRSZ sizeof(RfmHoldoutState)

StaticAssertDecl(sizeof(RfmHoldoutState) == 16, "RfmHoldoutState header is 16 bytes");

#define HOLDOUT_CAL(h) ((RfmState *) ((char *) (h) + HOLDOUT_HDRSZ))
#define HOLDOUT_HOLD(h) ((RfmState *) ((char *) (h) + HOLDOUT_HDRSZ + (h)->cal_space))

static const PeriodArgSpec holdout_units = {
	.allowed = RFM_UNITS,
	.absent = PERIOD_DAY,
	.unknown = "rfm_holdout unit",
	.plural = "units",
	.null_message = "the unit of rfm_holdout must not be NULL"
};

static const AggArgSpec holdout_args = {
	.agg_name = "rfm_holdout",
	.customer = -1,
	.time = 1,
	.period = 5,
	.period_spec = &holdout_units,
	.amount = 2,
	.order = -1
};

#define ARG_CAL 3
#define ARG_OBS 4

static void
holdout_corrupt(const char *what)
{
	flat_corrupt(psprintf("rfm_holdout_state: %s", what));
}

/* Checks the structure of a state in memory, so that no access can go out of bounds. */
static void
holdout_check(const RfmHoldoutState *h)
{
	Size		size = VARSIZE(h);
	Size		cal_space = h->cal_space;

	if (size < HOLDOUT_HDRSZ + 2 * RFM_HDRSZ)
		holdout_corrupt("value is truncated");
	if (h->version != HOLDOUT_STATE_VERSION)
		holdout_corrupt(psprintf("unknown format version %u", h->version));
	if (cal_space % MAXIMUM_ALIGNOF != 0 || cal_space < RFM_HDRSZ ||
		cal_space > size - HOLDOUT_HDRSZ - RFM_HDRSZ ||
		VARSIZE(HOLDOUT_CAL(h)) > cal_space ||
		VARSIZE(HOLDOUT_HOLD(h)) != size - HOLDOUT_HDRSZ - cal_space)
		holdout_corrupt("invalid sizes");
	rfm_state_check(HOLDOUT_CAL(h));
	rfm_state_check(HOLDOUT_HOLD(h));
	if (HOLDOUT_CAL(h)->unit == 0 || HOLDOUT_HOLD(h)->unit == 0)
		holdout_corrupt("a part without a unit");
}

/* A state to read: detoasted, aligned, checked. */
static RfmHoldoutState *
holdout_read(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum(v);	/* a copy with a 4-byte header */
	holdout_check((RfmHoldoutState *) v);
	return (RfmHoldoutState *) v;
}

/*
 * A new state of the two parts (copied), in the current memory context, under
 * retention.max_state_memory as each part is.
 */
static RfmHoldoutState *
holdout_compose(const RfmState *cal, const RfmState *hold)
{
	Size		cal_space = MAXALIGN(VARSIZE(cal));
	Size		size = HOLDOUT_HDRSZ + cal_space + VARSIZE(hold);
	Size		limit = (Size) retention_max_state_memory * 1024;
	RfmHoldoutState *h;

	if (size > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention aggregate state exceeds retention.max_state_memory (%d kB)",
						retention_max_state_memory),
				 errdetail("An rfm_holdout state of %u calibration and %u holdout periods needs %zu kB.",
						   cal->nsorted + cal->ntail, hold->nsorted + hold->ntail, (size + 1023) / 1024),
				 errhint("Raise retention.max_state_memory, or use a longer unit.")));
	budget_check_flat_size(size);
	h = (RfmHoldoutState *) palloc_extended(size, MCXT_ALLOC_HUGE);
	memset(h, 0, HOLDOUT_HDRSZ + cal_space);
	SET_VARSIZE(h, size);
	h->version = HOLDOUT_STATE_VERSION;
	h->cal_space = (uint32) cal_space;
	memcpy(HOLDOUT_CAL(h), cal, VARSIZE(cal));
	memcpy(HOLDOUT_HOLD(h), hold, VARSIZE(hold));
	return h;
}

/* What a call site keeps besides its AggArgs: the last two ends and their periods. */
typedef struct HoldoutCall
{
	AggArgs		args;
	bool		have_ends;
	pg_tz	   *ends_tz;		/* the TimeZone the periods were found in */
	PeriodKind	ends_kind;		/* the unit they were found for */
	Datum		cal_arg;		/* the last calibration_end argument */
	Datum		obs_arg;		/* the last observation_end argument */
	int64		cal_until;
	int64		cal_end;
	int64		obs_until;
	int64		obs_end;
} HoldoutCall;

#define ENDS_HINT "Pass the last day of the calibration period and the last day of the holdout period."

/* Sets the call's ends and their periods for this row's arguments and unit. */
static void
ends_arg(FunctionCallInfo fcinfo, HoldoutCall *c, PeriodKind kind)
{
	TimeKind	tk = c->args.time_kind;

	if (c->have_ends && !PG_ARGISNULL(ARG_CAL) && !PG_ARGISNULL(ARG_OBS) &&
		PG_GETARG_DATUM(ARG_CAL) == c->cal_arg && PG_GETARG_DATUM(ARG_OBS) == c->obs_arg &&
		c->ends_kind == kind && c->ends_tz == session_timezone)
		return;
	c->have_ends = false;
	c->cal_until = rfm_end_micros(fcinfo, ARG_CAL, tk, "calibration_end of rfm_holdout", ENDS_HINT);
	c->obs_until = rfm_end_micros(fcinfo, ARG_OBS, tk, "observation_end of rfm_holdout", ENDS_HINT);
	if (c->cal_until > c->obs_until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_end of rfm_holdout is after observation_end"),
				 errhint("The holdout period runs from calibration_end to observation_end: pass calibration_end <= observation_end.")));
	c->cal_end = period_of_time_exact(kind, tk, c->cal_until, "calibration_end");
	c->obs_end = period_of_time_exact(kind, tk, c->obs_until, "observation_end");
	c->cal_arg = PG_GETARG_DATUM(ARG_CAL);
	c->obs_arg = PG_GETARG_DATUM(ARG_OBS);
	c->ends_kind = kind;
	c->ends_tz = session_timezone;
	c->have_ends = true;
}

/*
 * The state in the first argument, ready to be updated: in place when called
 * as an aggregate with our own 4-byte-header value, else a private copy in
 * the current memory context (the argument is then never modified).
 */
static RfmHoldoutState *
state_rw(FunctionCallInfo fcinfo)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(0);
	RfmHoldoutState *h;

	if (AggCheckCallContext(fcinfo, NULL) && !VARATT_IS_EXTENDED(raw))
	{
		holdout_check((RfmHoldoutState *) raw);
		return (RfmHoldoutState *) raw;
	}
	h = holdout_read(PointerGetDatum(raw));
	if ((struct varlena *) h == raw)
	{
		h = palloc(VARSIZE(raw));
		memcpy(h, raw, VARSIZE(raw));
	}
	return h;
}

/* The state to update for a row of this call: the group's, checked, or a new one. */
static RfmHoldoutState *
state_for_row(FunctionCallInfo fcinfo, HoldoutCall *c, uint8 unit)
{
	TimeKind	kind = c->args.time_kind;
	RfmHoldoutState *h;
	RfmState   *cal;
	RfmState   *hold;

	if (PG_ARGISNULL(0))
		return holdout_compose(rfm_state_new(unit, kind, c->cal_until, c->cal_end),
							   rfm_state_new(unit, kind, c->obs_until, c->obs_end));
	h = state_rw(fcinfo);
	cal = HOLDOUT_CAL(h);
	hold = HOLDOUT_HOLD(h);
	if (cal->time_kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("rfm_holdout state of %s times passed to the transition function for %s",
						time_kind_name(cal->time_kind), time_kind_name(kind))));
	if (cal->unit != unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the unit of rfm_holdout must be the same on every row of a group"),
				 errdetail("The group started with unit %s, this row has %s.",
						   rfm_unit_name(cal->unit), rfm_unit_name(unit))));
	if (cal->until != c->cal_until || cal->end != c->cal_end ||
		hold->until != c->obs_until || hold->end != c->obs_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_end and observation_end of rfm_holdout must be the same on every row of a group"),
				 errhint("Pass one calibration end and one observation end, for example constants.")));
	return h;
}

/*
 * rfm_holdout_trans(state, ordered_at, amount, calibration_end, observation_end [, unit])
 *
 * Not STRICT, as rfm_trans: the state starts NULL, rows with a NULL time are
 * skipped (their ends still checked) and a NULL amount still makes a purchase.
 * A row of a period <= cal goes to the calibration part, one of a period in
 * (cal, obs] to the holdout part.  The parts are updated in place; when one
 * grows, the state is built again in the current memory context (nodeAgg
 * copies it into the aggregate context).
 */
static pg_attribute_always_inline Datum
holdout_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	HoldoutCall *c = (HoldoutCall *) agg_args(fcinfo, &holdout_args, time_kind, sizeof(HoldoutCall));
	PeriodKind	kind = agg_period_arg(fcinfo, &holdout_args, &c->args);
	RfmHoldoutState *h;
	RfmState   *part;
	RfmState   *updated;
	bool		in_cal;
	int64		p;

	ends_arg(fcinfo, c, kind);
	h = state_for_row(fcinfo, c, rfm_unit_code(kind));
	if (PG_ARGISNULL(holdout_args.time))
		PG_RETURN_POINTER(h);
	p = period_find(&c->args.finder,
					time_datum_to_micros(PG_GETARG_DATUM(holdout_args.time), c->args.time_kind));
	if (p > c->obs_end)
		PG_RETURN_POINTER(h);	/* after the holdout period */
	in_cal = p <= c->cal_end;
	part = in_cal ? HOLDOUT_CAL(h) : HOLDOUT_HOLD(h);
	updated = rfm_add_purchase(part, p, !PG_ARGISNULL(holdout_args.amount),
							   PG_ARGISNULL(holdout_args.amount) ? (Datum) 0
							   : agg_amount(&c->args, fcinfo, holdout_args.amount));
	if (updated != part)
		h = in_cal ? holdout_compose(updated, HOLDOUT_HOLD(h))
			: holdout_compose(HOLDOUT_CAL(h), updated);
	PG_RETURN_POINTER(h);
}

RETENTION_ENTRY_POINT(rfm_holdout_trans_tstz, holdout_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(rfm_holdout_trans_ts, holdout_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(rfm_holdout_trans_date, holdout_transition, TIME_DATE)
RETENTION_ENTRY_POINT(rfm_holdout_trans_any, holdout_transition, 0)

/*
 * rfm_holdout_combine(a, b): the state of the rows of both.  Not STRICT:
 * either may be NULL (a parallel worker without rows).  The result is a new
 * value in the current memory context, or the first argument itself when the
 * second is NULL; the second argument is never returned.
 */
Datum
rfm_holdout_combine(PG_FUNCTION_ARGS)
{
	RfmHoldoutState *a;
	RfmHoldoutState *b;
	RfmState   *ac;
	RfmState   *bc;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = holdout_read(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		RfmHoldoutState *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		PG_RETURN_POINTER(copy);
	}
	a = holdout_read(PG_GETARG_DATUM(0));
	ac = HOLDOUT_CAL(a);
	bc = HOLDOUT_CAL(b);
	if (ac->time_kind != bc->time_kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine rfm_holdout states of %s and %s times",
						time_kind_name(ac->time_kind), time_kind_name(bc->time_kind))));
	if (ac->unit != bc->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm_holdout states of units %s and %s",
						rfm_unit_name(ac->unit), rfm_unit_name(bc->unit)),
				 errhint("The unit of rfm_holdout must be the same on every row of a group.")));
	if (ac->until != bc->until || ac->end != bc->end ||
		HOLDOUT_HOLD(a)->until != HOLDOUT_HOLD(b)->until || HOLDOUT_HOLD(a)->end != HOLDOUT_HOLD(b)->end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm_holdout states with different calibration_end or observation_end"),
				 errhint("calibration_end and observation_end must be the same on every row of a group (and states be made in one TimeZone).")));
	PG_RETURN_POINTER(holdout_compose(rfm_state_merge(ac, bc),
									  rfm_state_merge(HOLDOUT_HOLD(a), HOLDOUT_HOLD(b))));
}

typedef struct HoldoutFinalCache
{
	TupleDesc	tupdesc;
	Datum		zero;			/* numeric 0 */
} HoldoutFinalCache;

/*
 * rfm_holdout_final(state) -> rfm_holdout_summary.  STRICT: no state (no row)
 * is NULL, and so is a state without a calibration period (the customer first
 * bought in the holdout period, or later).  The state is only read.
 */
Datum
rfm_holdout_final(PG_FUNCTION_ARGS)
{
	HoldoutFinalCache *fc = (HoldoutFinalCache *) fcinfo->flinfo->fn_extra;
	RfmHoldoutState *h = holdout_read(PG_GETARG_DATUM(0));
	RfmState   *hold = HOLDOUT_HOLD(h);
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	uint32		n;

	if (fc == NULL)
	{
		TupleDesc	td;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != 7)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("rfm_holdout_final must return the composite type rfm_holdout_summary")));
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		fc = palloc(sizeof(HoldoutFinalCache));
		fc->tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		fc->zero = DirectFunctionCall1(int8_numeric, Int64GetDatum(0));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = fc;
	}

	if (!rfm_summary_values(HOLDOUT_CAL(h), values, fc->zero))
		PG_RETURN_NULL();
	(void) rfm_state_periods(hold, &n);
	if (n > (uint32) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm_holdout frequency_holdout out of range for integer")));
	values[4] = Int32GetDatum((int32) n);
	if (n == 0)
		values[5] = fc->zero;
	else
	{
		MoneySum	total;

		/* the sum of every holdout period's amounts, divided as avg() does */
		money_init(&total, CurrentMemoryContext);
		rfm_state_sum(&total, hold, false);
		rfm_state_sum(&total, hold, true);
		values[5] = DirectFunctionCall2(numeric_div, money_result(&total),
										DirectFunctionCall1(int8_numeric, Int64GetDatum((int64) n)));
	}
	values[6] = Float8GetDatum(rfm_units_between(hold->unit, HOLDOUT_CAL(h)->end, hold->end));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(fc->tupdesc, values, nulls)));
}

/*
 * The flat form: u8 version, u32 length + the calibration rfm_state's form,
 * u32 length + the holdout rfm_state's form (rfm_io.c).
 */
static char *
holdout_serialize(const RfmHoldoutState *h, Size *len)
{
	Size		cal_len;
	Size		hold_len;
	char	   *cal = rfm_state_serialize(HOLDOUT_CAL(h), &cal_len);
	char	   *hold = rfm_state_serialize(HOLDOUT_HOLD(h), &hold_len);
	Size		size = 1 + 4 + cal_len + 4 + hold_len;
	char	   *out = palloc_extended(size, MCXT_ALLOC_HUGE);
	char	   *p;

	p = put_u8(out, HOLDOUT_STATE_VERSION);
	p = put_u32(p, (uint32) cal_len);
	p = put_bytes(p, cal, cal_len);
	p = put_u32(p, (uint32) hold_len);
	p = put_bytes(p, hold, hold_len);
	Assert(p == out + size);
	*len = size;
	return out;
}

/* One part: its u32 length and its bytes, read as rfm_state's input reads them. */
static RfmState *
read_part(StringInfo buf)
{
	uint32		len = get_u32(buf);
	const char *data = get_bytes(buf, len);

	return rfm_state_from_bytes(data, len);
}

/* Reads a flat state and checks every invariant; the result is in the current context. */
static RfmHoldoutState *
holdout_from_bytes(const char *data, Size len)
{
	StringInfoData buf;
	uint8		version;
	RfmState   *cal;
	RfmState   *hold;
	const int64 *periods;
	uint32		n;

	flat_reader_init(&buf, data, len);
	version = get_u8(&buf);
	if (version != HOLDOUT_STATE_VERSION)
		holdout_corrupt(psprintf("unknown format version %u", version));
	cal = read_part(&buf);
	hold = read_part(&buf);
	if (buf.cursor != buf.len)
		holdout_corrupt("unexpected bytes after the value");
	if (cal->unit == 0 || hold->unit == 0)
		holdout_corrupt("a part without a unit");
	if (cal->unit != hold->unit || cal->time_kind != hold->time_kind)
		holdout_corrupt("the parts differ in unit or time type");
	if (cal->until > hold->until || cal->end > hold->end)
		holdout_corrupt("calibration_end after observation_end");
	periods = rfm_state_periods(hold, &n);
	if (n > 0 && periods[0] <= cal->end)
		holdout_corrupt("a holdout period lies in the calibration period");
	return holdout_compose(cal, hold);
}

Datum
rfm_holdout_state_in(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, "rfm_holdout_state");

	PG_RETURN_POINTER(holdout_from_bytes(bytes, len));
}

Datum
rfm_holdout_state_out(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = holdout_serialize(holdout_read(PG_GETARG_DATUM(0)), &len);

	PG_RETURN_CSTRING(hex_text(bytes, len));
}

Datum
rfm_holdout_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	in = (StringInfo) PG_GETARG_POINTER(0);
	Size		len = in->len - in->cursor;

	PG_RETURN_POINTER(holdout_from_bytes(pq_getmsgbytes(in, len), len));
}

Datum
rfm_holdout_state_send(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = holdout_serialize(holdout_read(PG_GETARG_DATUM(0)), &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, bytes, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
