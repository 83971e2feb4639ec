/*
 * rfm_table.c
 *		The one-pass RFM: rfm_agg, one summary of every customer of a table,
 *		and rfm_table, its rows (doc/rfm.md#rfm_agg-and-rfm_table).
 *
 *   rfm_agg(customer, ordered_at, amount [, unit text]) -> rfm_agg_state
 *   rfm_table(summary, observed_until [, unit text], customer_type anyelement)
 *     -> SETOF (customer, frequency, recency, t, monetary_value)
 *
 * rfm_table gives exactly the rows of
 *   SELECT customer, (rfm(ordered_at, amount, observed_until, unit)).*
 *   FROM orders GROUP BY customer
 * without the customers whose summary is NULL (no order in or before the
 * end's period): it reads each customer's periods of the summary's grain in
 * the unit asked (the same, or a coarser one that holds whole grain periods:
 * day -> week, month; hour -> day, week, month), drops those after the end's
 * period, and hands the first, the last, their count and the repeat periods'
 * exact sum to rfm's own column math (rfm_summary_columns).
 */
#include "rfm_agg_state.h"
#include "key_log.h"
#include "result_set.h"

#include "flat_io.h"

#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/uuid.h"

PG_FUNCTION_INFO_V1(rfm_agg_combine);
PG_FUNCTION_INFO_V1(rfm_agg_final);

static const PeriodArgSpec rfm_agg_units = {
	.allowed = RFM_UNITS,
	.absent = PERIOD_DAY,
	.unknown = "rfm_agg unit",
	.plural = "units",
	.null_message = "the unit of rfm_agg must not be NULL"
};

static const AggArgSpec rfm_agg_args = {
	.agg_name = "rfm_agg",
	.customer = 1,
	.time = 2,
	.period = 4,
	.period_spec = &rfm_agg_units,
	.amount = 3,
	.order = 5					/* past the last argument: rows are orders, never lines */
};

/* A new state for the rows of a call (CustomerStateCreate); a->period_kind is the grain. */
static CustomerState *
rfm_agg_create(MemoryContext parent, const AggArgs *a)
{
	return &rfm_agg_new(parent, a->time_kind, a->customer_class, rfm_unit_code(a->period_kind),
						a->customer_type, rfm_agg_session_tz(a->time_kind))->c;
}

/*
 * rfm_agg_trans(state, customer, ordered_at, amount [, unit text])
 *
 * Not STRICT: rows with a NULL customer or ordered_at are counted as ignored
 * rows; a NULL amount still makes its period a purchase and adds nothing.
 */
static pg_attribute_always_inline Datum
rfm_agg_transition(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	AggArgs    *a = agg_args(fcinfo, &rfm_agg_args, time_kind, sizeof(AggArgs));
	PeriodKind	kind = agg_period_arg(fcinfo, &rfm_agg_args, a);
	RfmAggState *s = (RfmAggState *)
		customer_state_for_row(fcinfo, &rfm_agg_args, a, rfm_unit_code(kind), &rfm_agg_kind,
							   rfm_agg_create);
	KeyEntry	customer;
	int64		at;
	int64		units = 0;
	int			dscale = -1;
	Datum		slow = (Datum) 0;
	int64		period;

	if (unlikely(s->customer_type != a->customer_type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("rfm_agg state of %s customers passed to the transition function for %s",
						format_type_be(s->customer_type), format_type_be(a->customer_type))));
	/* a new state may spill (state_spill.h) */
	if (PG_ARGISNULL(0))
	{
		s->c.spill_ok = spill_allowed(fcinfo);
		/* a partial state, or a serial one, logs its rows (rfm_agg_log.c) */
		if (s->log == NULL && s->c.rows == 0 && (s->c.spill_ok || key_log_wanted(fcinfo)))
			rfm_agg_log_begin(s);
	}
	if (!customer_state_take_row(&s->c, fcinfo, &rfm_agg_args, a, &at, &customer, NULL))
		return rfm_agg_datum(s);
	if (!PG_ARGISNULL(rfm_agg_args.amount))
	{
		Datum		amount = agg_amount(a, fcinfo, rfm_agg_args.amount);

		if (!money_units64(amount, &units, &dscale))
			slow = amount;
	}
	period = period_find(&a->finder, at);
	/* a state that logs its rows (rfm_agg_log.c), unless the log cannot take this one */
	if (s->log == NULL || slow != (Datum) 0 || !rfm_agg_log_push(s, &customer, period, units, dscale))
		rfm_agg_add_row(s, &customer, period, units, dscale, slow);
	return rfm_agg_datum(s);
}

RETENTION_ENTRY_POINT(rfm_agg_trans_tstz, rfm_agg_transition, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(rfm_agg_trans_ts, rfm_agg_transition, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(rfm_agg_trans_date, rfm_agg_transition, TIME_DATE)

/*
 * Combine two partial states (agg_state.h: NULL, flat or expanded).
 * Hash-ordered ones are kept as sorted runs (rfm_agg_runs.c).
 */
Datum
rfm_agg_combine(PG_FUNCTION_ARGS)
{
	Datum		result;

	if (rfm_agg_combine_as_runs(fcinfo, &result))
		return result;
	return state_combine(&rfm_agg_kind, fcinfo);
}

/*
 * rfm_agg_final(state) -> rfm_agg_state: the flat summary, with every
 * customer's periods sorted, its customers in hash order (a state that logged
 * its rows, a parallel plan's runs) or first-seen order (rfm_agg_summary).
 * STRICT: no row at all gives NULL.
 */
Datum
rfm_agg_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_agg_summary(PG_GETARG_DATUM(0)));
}

/* ---- rfm_table ---------------------------------------------------------- */

/* Whether periods of the grain can be read exactly in unit: each lies in one period of unit. */
static bool
unit_is_exact(PeriodKind grain, PeriodKind unit)
{
	if (grain == unit)
		return true;
	if (grain == PERIOD_DAY)
		return unit == PERIOD_WEEK || unit == PERIOD_MONTH;
	if (grain == PERIOD_HOUR)
		return unit == PERIOD_DAY || unit == PERIOD_WEEK || unit == PERIOD_MONTH;
	return false;
}

static char *
exact_units_list(PeriodKind grain)
{
	uint32		set = 0;

	for (int k = PERIOD_DAY; k <= PERIOD_KIND_MAX; k++)
		if ((RFM_UNITS & PERIOD_SET(k)) && unit_is_exact(grain, (PeriodKind) k))
			set |= PERIOD_SET(k);
	return period_kind_list(set);
}

/* The customer key as a value of the summary's customer type. */
static Datum
customer_datum(const KeyEntry *key, Oid type)
{
	switch (type)
	{
		case INT2OID:
			return Int16GetDatum((int16) key->w0);
		case INT4OID:
			return Int32GetDatum((int32) key->w0);
		case INT8OID:
			return Int64GetDatum((int64) key->w0);
		case UUIDOID:
			{
				pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

				memcpy(u->data, key_data(key), UUID_LEN);
				return UUIDPGetDatum(u);
			}
		default:
			return PointerGetDatum(cstring_to_text_with_len(key_data(key), key->len));
	}
}

/*
 * observed_until as stored for a summary of times of kind, and the kind it is
 * then read as: the argument's own kind, or a timestamptz (an untyped literal
 * resolves to it) read as its wall-clock time in the session TimeZone for a
 * timestamp or date summary.
 */
static int64
until_for(FunctionCallInfo fcinfo, TimeKind arg_kind, TimeKind kind, TimeKind *read_as)
{
	int64		until = rfm_end_micros(fcinfo, 1, arg_kind, "observed_until of rfm_table",
									   "Pass the end of the observation period, for example the last day of the calibration period.");

	*read_as = arg_kind;
	if (arg_kind == kind)
		return until;
	if (arg_kind == TIME_TIMESTAMPTZ)
	{
		*read_as = TIME_TIMESTAMP;
		return DatumGetTimestamp(DirectFunctionCall1(timestamptz_timestamp,
													 TimestampTzGetDatum(until)));
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("observed_until of rfm_table is %s, the summary's times are %s",
					time_kind_name(arg_kind), time_kind_name(kind)),
			 errhint("Cast observed_until to %s.", time_kind_name(kind))));
	return 0;					/* keep the compiler quiet */
}

/*
 * rfm_table(summary, observed_until [, unit], customer_type): not STRICT, as
 * customer_type is a typed NULL; a NULL summary (rfm_agg of no rows) gives no
 * rows.  One C function per type of observed_until.
 */
static Datum
rfm_table_impl(FunctionCallInfo fcinfo, TimeKind arg_kind)
{
	int			type_arg = PG_NARGS() - 1;
	ResultSet	rs;
	struct varlena *v;
	StringInfoData buf;
	RfmAggHeader h;
	PeriodKind	grain;
	PeriodKind	unit;
	Oid			want;
	TimeKind	read_as;
	int64		until;
	int64		end;
	uint64		rows_left;
	PeriodFinder finder;
	MemoryContext rowcxt;
	MemoryContext old;
	Datum		zero;

	result_begin(fcinfo, &rs);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	v = flat_value_of(PG_GETARG_DATUM(0));
	flat_reader_init(&buf, VARDATA(v), VARSIZE(v) - VARHDRSZ);
	rfm_agg_read_header(&buf, &h);
	grain = rfm_unit_kind(h.grain);

	want = get_fn_expr_argtype(fcinfo->flinfo, type_arg);
	if (want != h.customer_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("customer_type %s does not match the summary's customers, of type %s",
						OidIsValid(want) ? format_type_be(want) : "?", format_type_be(h.customer_type)),
				 errhint("Pass NULL::%s as customer_type.", format_type_be(h.customer_type))));
	unit = grain;
	if (PG_NARGS() == 4)
	{
		text	   *t;

		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the unit of rfm_table must not be NULL"),
					 errhint("Valid units are %s.", exact_units_list(grain))));
		t = PG_GETARG_TEXT_PP(2);
		unit = period_kind_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), RFM_UNITS, "rfm_table unit", "units");
	}
	if (!unit_is_exact(grain, unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a summary of %s periods cannot be read in %ss",
						period_kind_name(grain), period_kind_name(unit)),
				 errdetail("A %s does not lie within one %s.", period_kind_name(grain), period_kind_name(unit)),
				 errhint("Units that hold whole %ss: %s.  Or aggregate with rfm_agg(customer, ordered_at, amount, '%s').",
						 period_kind_name(grain), exact_units_list(grain), period_kind_name(unit))));
	if (h.time_kind == TIME_TIMESTAMPTZ && strcmp(h.tz, rfm_agg_session_tz(TIME_TIMESTAMPTZ)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the summary's periods were found in time zone %s, the session's is %s",
						h.tz, rfm_agg_session_tz(TIME_TIMESTAMPTZ)),
				 errhint("SET TimeZone = '%s' to read it.", h.tz)));
	until = until_for(fcinfo, arg_kind, h.time_kind, &read_as);
	end = period_of_time_exact(unit, read_as, until, "observed_until");
	if (grain == PERIOD_HOUR && unit != PERIOD_HOUR)
		period_finder_init(&finder, unit, h.time_kind);
	zero = DirectFunctionCall1(int8_numeric, Int64GetDatum(0));

	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "rfm_table row", ALLOCSET_DEFAULT_SIZES);
	rows_left = (uint64) h.rows;
	for (uint32 i = 0; i < h.ncustomers; i++)
	{
		KeyEntry	key;
		uint32		n;
		uint32		count = 0;
		int64		first = 0;
		int64		last = 0;
		int64		prev = 0;
		MoneySum	rep;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		n = rfm_agg_read_customer(&buf, &h, &key, &rows_left);
		old = MemoryContextSwitchTo(rowcxt);
		money_init(&rep, rowcxt);
		for (uint32 j = 0; j < n; j++)
		{
			RfmCell		cell;
			MoneySum	slow;
			int64		q;

			rfm_agg_read_cell(&buf, &h, prev, j == 0, &cell, &slow);
			prev = cell.period;
			if (unit == grain)
				q = cell.period;
			else if (grain == PERIOD_HOUR)
				q = period_find(&finder, cell.period);
			else
				q = period_of_date(unit, (DateADT) cell.period);
			if (q > end)
				continue;		/* after the observation (the rest are too) */
			if (count == 0 || q != last)
			{
				if (count++ == 0)
					first = q;
				last = q;
			}
			if (q == first)
				continue;		/* the first period's amounts are left out */
			if (cell.slow)
				money_merge(&rep, &slow);
			else
				money_add_units(&rep, cell.units, 0, cell.dscale);
		}
		if (count > 0)
		{
			values[0] = customer_datum(&key, h.customer_type);
			rfm_summary_columns(rfm_unit_code(unit), count, first, last, end, &rep, values + 1, zero);
			tuplestore_putvalues(rs.store, rs.desc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	if (buf.cursor != buf.len)
		flat_corrupt("rfm_agg_state: unexpected bytes after the value");
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

RETENTION_ENTRY_POINT(rfm_table_tstz, rfm_table_impl, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(rfm_table_ts, rfm_table_impl, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(rfm_table_date, rfm_table_impl, TIME_DATE)
