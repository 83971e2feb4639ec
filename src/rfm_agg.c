/*
 * rfm_agg.c
 *		The rfm aggregate: one customer's RFM summary, exactly as lifetimes'
 *		summary_data_from_transaction_data computes it (doc/rfm.md,
 *		doc/clv_math.md#conventions).
 *
 *   rfm(ordered_at, amount, observed_until [, unit text]) -> rfm_summary
 *
 * for ordered_at and observed_until both timestamptz (bucketed in the session
 * TimeZone, as date_trunc(unit, ts) does), both timestamp or both date, and
 * amount numeric, float8 or float4 (converted as amount::numeric).  Used per
 * customer: SELECT customer_id, (rfm(ordered_at, amount, '1997-09-30')).*
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
 * The aggregates' INITCOND is a fresh state (no unit yet): nodeAgg copies it
 * for each new group, next to the group's hash entry, and the first row fills
 * it in.  Called as an aggregate, the transition function updates its state in
 * place; when the state must grow it builds the larger one in the current
 * (per-call) memory context and returns it, and nodeAgg copies it into the
 * aggregate context and frees the old one.
 */
#include "agg_args.h"
#include "rfm_state.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(rfm_combine);
PG_FUNCTION_INFO_V1(rfm_final);

static const PeriodArgSpec rfm_units = {
	.allowed = RFM_UNITS,
	.absent = PERIOD_DAY,
	.unknown = "rfm unit",
	.plural = "units",
	.null_message = "the unit of rfm must not be NULL"
};

static const AggArgSpec rfm_args = {
	.agg_name = "rfm",
	.customer = -1,
	.time = 1,
	.period = 4,
	.period_spec = &rfm_units,
	.amount = 2,
	.order = -1
};

#define ARG_UNTIL 3

/* What a call site keeps besides its AggArgs: the last observed_until and its period. */
typedef struct RfmCall
{
	AggArgs		args;
	bool		have_until;
	pg_tz	   *until_tz;		/* the TimeZone end was found in */
	PeriodKind	until_kind;		/* the unit end was found for */
	Datum		until_arg;		/* the last observed_until argument */
	int64		until;
	int64		end;
} RfmCall;

/*
 * An end-of-observation argument (rfm's observed_until, rfm_holdout's
 * calibration_end and observation_end) as stored (retention.h): ERROR when it
 * is NULL or infinite, as ordered_at's infinities are, or beyond the
 * timestamp range.  what names it in messages ("observed_until of rfm").
 */
int64
rfm_end_micros(FunctionCallInfo fcinfo, int argno, TimeKind kind, const char *what, const char *hint)
{
	Datum		value;
	int64		result;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what),
				 errhint("%s", hint)));
	value = PG_GETARG_DATUM(argno);
	if (kind == TIME_DATE ? DATE_NOT_FINITE(DatumGetDateADT(value))
		: TIMESTAMP_NOT_FINITE(DatumGetTimestamp(value)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite", what),
				 errhint("%s", hint)));
	if (kind != TIME_DATE)
		return DatumGetTimestamp(value);
	/* dates run far beyond timestamps */
	if (pg_mul_s64_overflow((int64) DatumGetDateADT(value), USECS_PER_DAY, &result) ||
		!IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", what),
				 errhint("Times must lie between 4713 BC and 294276 AD.")));
	return result;
}

/* Sets c->until and c->end for this row's observed_until and unit. */
static void
until_arg(FunctionCallInfo fcinfo, RfmCall *c, PeriodKind kind)
{
	if (c->have_until && !PG_ARGISNULL(ARG_UNTIL) && PG_GETARG_DATUM(ARG_UNTIL) == c->until_arg &&
		c->until_kind == kind && c->until_tz == session_timezone)
		return;
	c->until = rfm_end_micros(fcinfo, ARG_UNTIL, c->args.time_kind, "observed_until of rfm",
							  "Pass the end of the observation period, for example the last day of the calibration period.");
	c->end = period_of_time_exact(kind, c->args.time_kind, c->until, "observed_until");
	c->until_arg = PG_GETARG_DATUM(ARG_UNTIL);
	c->until_kind = kind;
	c->until_tz = session_timezone;
	c->have_until = true;
}

/*
 * The state in the first argument, ready to be updated: in place when called
 * as an aggregate with our own 4-byte-header value, else a private copy in
 * the current memory context (the argument is then never modified).
 */
static RfmState *
state_rw(FunctionCallInfo fcinfo)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(0);
	RfmState   *s;

	if (AggCheckCallContext(fcinfo, NULL) && !VARATT_IS_EXTENDED(raw))
	{
		rfm_state_check((RfmState *) raw);
		return (RfmState *) raw;
	}
	s = rfm_state_read(PointerGetDatum(raw));
	if ((struct varlena *) s == raw)
	{
		s = palloc(VARSIZE(raw));
		memcpy(s, raw, VARSIZE(raw));
	}
	return s;
}

/* The state to update for a row of this call: the group's, checked, or a new one. */
static RfmState *
state_for_row(FunctionCallInfo fcinfo, RfmCall *c, uint8 unit)
{
	TimeKind	kind = c->args.time_kind;
	RfmState   *s;

	if (PG_ARGISNULL(0))
		return rfm_state_new(unit, kind, c->until, c->end);
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
						   rfm_unit_name(s->unit), rfm_unit_name(unit))));
	if (s->until != c->until || s->end != c->end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observed_until of rfm must be the same on every row of a group"),
				 errhint("Pass one end of observation, for example a constant.")));
	return s;
}

/*
 * rfm_trans(state rfm_state, ordered_at, amount, observed_until [, unit text])
 *
 * Not STRICT: the state starts NULL, rows with a NULL time are skipped and a
 * NULL amount still makes a purchase.  One C function per time type serves
 * both forms, and rfm_trans_any the float amounts of any time type (agg_args.h).
 */
static pg_attribute_always_inline Datum
rfm_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	RfmCall    *c = (RfmCall *) agg_args(fcinfo, &rfm_args, time_kind, sizeof(RfmCall));
	PeriodKind	kind = agg_period_arg(fcinfo, &rfm_args, &c->args);
	RfmState   *s;
	int64		p;

	until_arg(fcinfo, c, kind);
	s = state_for_row(fcinfo, c, rfm_unit_code(kind));
	if (PG_ARGISNULL(rfm_args.time))
		PG_RETURN_POINTER(s);
	p = period_find(&c->args.finder,
					time_datum_to_micros(PG_GETARG_DATUM(rfm_args.time), c->args.time_kind));
	if (p > s->end)
		PG_RETURN_POINTER(s);	/* after the observation period */
	PG_RETURN_POINTER(rfm_add_purchase(s, p, !PG_ARGISNULL(rfm_args.amount),
									   PG_ARGISNULL(rfm_args.amount) ? (Datum) 0
									   : agg_amount(&c->args, fcinfo, rfm_args.amount)));
}

RETENTION_ENTRY_POINT(rfm_trans_tstz, rfm_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(rfm_trans_ts, rfm_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(rfm_trans_date, rfm_transition, TIME_DATE)
RETENTION_ENTRY_POINT(rfm_trans_any, rfm_transition, 0)

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

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = rfm_state_read(PG_GETARG_DATUM(1));
	a = PG_ARGISNULL(0) ? NULL : rfm_state_read(PG_GETARG_DATUM(0));
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
						rfm_unit_name(a->unit), rfm_unit_name(b->unit)),
				 errhint("The unit of rfm must be the same on every row of a group.")));
	if (a->until != b->until || a->end != b->end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm states with different observed_until"),
				 errhint("observed_until must be the same on every row of a group (and states be made in one TimeZone).")));
	PG_RETURN_POINTER(rfm_state_merge(a, b));
}

/*
 * The four columns of rfm_summary (frequency, recency, t, monetary_value) into
 * values, for a customer with n >= 1 distinct purchase periods of the given
 * unit code, the first and last of them, the end's period, and the exact sum
 * of the amounts of the periods after the first; zero is a numeric 0.  The
 * one place the per-customer math is done: rfm, rfm_holdout's calibration
 * columns and rfm_table all come here.
 */
void
rfm_summary_columns(uint8 unit, uint32 n, int64 first, int64 last, int64 end,
					const MoneySum *repeat, Datum *values, Datum zero)
{
	Assert(n >= 1);
	if (n - 1 > (uint32) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm frequency out of range for integer")));
	values[0] = Int32GetDatum((int32) (n - 1));
	values[1] = Float8GetDatum(rfm_units_between(unit, first, last));
	values[2] = Float8GetDatum(rfm_units_between(unit, first, end));
	if (n == 1)
		values[3] = zero;
	else
		/* avg(): sum / count, numeric_div of the exact sum by the count */
		values[3] = DirectFunctionCall2(numeric_div, money_result(repeat),
										DirectFunctionCall1(int8_numeric, Int64GetDatum((int64) n - 1)));
}

/*
 * The four columns of rfm_summary for state s into values; zero is a numeric
 * 0.  False when s has no purchase period (the summary is NULL).
 */
bool
rfm_summary_values(const RfmState *s, Datum *values, Datum zero)
{
	const int64 *periods;
	uint32		n;
	MoneySum	rep;

	periods = rfm_state_periods(s, &n);
	if (n == 0)
		return false;
	money_init(&rep, CurrentMemoryContext);
	if (n > 1)
		rfm_state_sum(&rep, s, true);
	rfm_summary_columns(s->unit, n, periods[0], periods[n - 1], s->end, &rep, values, zero);
	return true;
}

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
	RfmState   *s = rfm_state_read(PG_GETARG_DATUM(0));
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

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

	if (!rfm_summary_values(s, values, fc->zero))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(fc->tupdesc, values, nulls)));
}
