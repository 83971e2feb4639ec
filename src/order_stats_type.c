/*
 * order_stats_type.c
 *		The order_stats summary: construction, text and binary I/O, accessors.
 *
 * Text form (one line, fields in this order, every value exact):
 *   v1 time=timestamptz customers=3 orders=5 repeat_customers=2 ignored_rows=0
 *      revenue=123.45 first_order_at=2024-01-01T10:00:00Z last_order_at=...
 * Times are written in UTC ("Z") for timestamptz input and as wall-clock time
 * for timestamp and date input, independent of DateStyle and TimeZone, so a
 * dump restores the same value anywhere.
 */
#include "order_stats_type.h"

#include "flat_io.h"
#include "text_io.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(order_stats_in);
PG_FUNCTION_INFO_V1(order_stats_out);
PG_FUNCTION_INFO_V1(order_stats_recv);
PG_FUNCTION_INFO_V1(order_stats_send);
PG_FUNCTION_INFO_V1(order_stats_customers);
PG_FUNCTION_INFO_V1(order_stats_orders);
PG_FUNCTION_INFO_V1(order_stats_repeat_customers);
PG_FUNCTION_INFO_V1(order_stats_ignored_rows);
PG_FUNCTION_INFO_V1(order_stats_revenue_fn);
PG_FUNCTION_INFO_V1(order_stats_aov);
PG_FUNCTION_INFO_V1(order_stats_customer_value);
PG_FUNCTION_INFO_V1(order_stats_purchase_frequency);
PG_FUNCTION_INFO_V1(order_stats_repeat_rate);
PG_FUNCTION_INFO_V1(order_stats_churn_rate);
PG_FUNCTION_INFO_V1(order_stats_first_order_at);
PG_FUNCTION_INFO_V1(order_stats_last_order_at);
PG_FUNCTION_INFO_V1(order_stats_observation_window);

/* ---- construction ------------------------------------------------------ */

/* An order_stats value of the given fields and revenue (NULL: none), palloc'd. */
OrderStats *
order_stats_assemble(const OrderStats *fields, Numeric revenue)
{
	Size		rev_size = revenue ? VARSIZE(revenue) : 0;
	OrderStats *s = palloc0(sizeof(OrderStats) + rev_size);

	*s = *fields;
	s->version = ORDER_STATS_VERSION;
	s->flags = revenue ? ORDER_STATS_HAS_REVENUE : 0;
	if (revenue)
		memcpy((char *) s + sizeof(OrderStats), revenue, rev_size);
	SET_VARSIZE(s, sizeof(OrderStats) + rev_size);
	return s;
}

OrderStats *
order_stats_build(OrderStatsState *state)
{
	OrderStats	f;
	Numeric		revenue = NULL;

	memset(&f, 0, sizeof(f));
	f.time_kind = state ? state->c.time_kind : TIME_NONE;
	if (state == NULL)
		return order_stats_assemble(&f, NULL);

	f.ignored_rows = state->c.ignored_rows;
	os_customer_counts(state, &f.customers, &f.repeat_customers);
	f.orders = state->c.order_class ? state->c.orders.nentries : state->c.rows;
	if (state->c.rows > 0)
	{
		f.first_at = state->min_at;
		f.last_at = os_last_order_at(state);
	}
	if (state->revenue.count > 0)
		revenue = DatumGetNumeric(money_result(&state->revenue));
	return order_stats_assemble(&f, revenue);
}

/* ---- validation shared by text and binary input ------------------------ */

static void
invalid(const char *detail)
{
	text_invalid("order_stats", detail);
}

static void check_failed(int sqlstate, const char *detail) pg_attribute_noreturn();

static void
check_failed(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid order_stats value"),
			 errdetail("%s", detail)));
}

/* sqlstate: 22P02 for the text form, 22P03 for the binary one */
static void
order_stats_validate(const OrderStats *f, bool has_revenue, int sqlstate)
{
	if (f->time_kind > TIME_DATE)
		check_failed(sqlstate, "unknown time type");
	if (f->customers < 0 || f->orders < 0 || f->repeat_customers < 0 || f->ignored_rows < 0)
		check_failed(sqlstate, "counts must not be negative");
	if (f->repeat_customers > f->customers)
		check_failed(sqlstate, "repeat_customers exceeds customers");
	if ((f->customers == 0) != (f->orders == 0))
		check_failed(sqlstate, "customers and orders must both be zero or both positive");
	if (f->customers == 0)
	{
		if (has_revenue || f->first_at != 0 || f->last_at != 0)
			check_failed(sqlstate, "a summary without orders has no revenue and no order times");
		return;
	}
	if (f->time_kind == TIME_NONE)
		check_failed(sqlstate, "a summary with orders needs a time type");
	if (!IS_VALID_TIMESTAMP(f->first_at) || !IS_VALID_TIMESTAMP(f->last_at) ||
		f->first_at > f->last_at)
		check_failed(sqlstate, "first_order_at must be a valid time not after last_order_at");
	if (f->time_kind == TIME_DATE &&
		(f->first_at % USECS_PER_DAY != 0 || f->last_at % USECS_PER_DAY != 0))
		check_failed(sqlstate, "date times must be whole days");
}

/* ---- text I/O ---------------------------------------------------------- */

Datum
order_stats_out(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);
	Numeric		revenue = order_stats_revenue(s);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d time=%s customers=" INT64_FORMAT " orders=" INT64_FORMAT
					 " repeat_customers=" INT64_FORMAT " ignored_rows=" INT64_FORMAT " revenue=",
					 ORDER_STATS_VERSION,
					 s->time_kind == TIME_NONE ? "none" : time_kind_name(s->time_kind),
					 s->customers, s->orders, s->repeat_customers, s->ignored_rows);
	if (revenue)
		appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																		 NumericGetDatum(revenue))));
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, " first_order_at=");
	if (s->customers > 0)
		append_time(&buf, s->first_at, s->time_kind);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, " last_order_at=");
	if (s->customers > 0)
		append_time(&buf, s->last_at, s->time_kind);
	else
		appendStringInfoString(&buf, "null");
	PG_RETURN_CSTRING(buf.data);
}

Datum
order_stats_in(PG_FUNCTION_ARGS)
{
	char	   *input = pstrdup(PG_GETARG_CSTRING(0));
	char	   *cursor = input;
	OrderStats	f;
	char	   *value;
	Numeric		revenue = NULL;
	char	   *first,
			   *last;

	memset(&f, 0, sizeof(f));
	if (strncmp(cursor, "v1 ", 3) != 0)
		invalid("the value must start with the format version \"v1\"");
	cursor += 3;
	value = next_field("order_stats", &cursor, "time");
	if (strcmp(value, "none") == 0)
		f.time_kind = TIME_NONE;
	else if (strcmp(value, "timestamptz") == 0)
		f.time_kind = TIME_TIMESTAMPTZ;
	else if (strcmp(value, "timestamp") == 0)
		f.time_kind = TIME_TIMESTAMP;
	else if (strcmp(value, "date") == 0)
		f.time_kind = TIME_DATE;
	else
		invalid("time must be one of none, timestamptz, timestamp, date");
	f.customers = parse_count("order_stats", next_field("order_stats", &cursor, "customers"));
	f.orders = parse_count("order_stats", next_field("order_stats", &cursor, "orders"));
	f.repeat_customers = parse_count("order_stats", next_field("order_stats", &cursor, "repeat_customers"));
	f.ignored_rows = parse_count("order_stats", next_field("order_stats", &cursor, "ignored_rows"));
	value = next_field("order_stats", &cursor, "revenue");
	if (strcmp(value, "null") != 0)
		revenue = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(value),
													  ObjectIdGetDatum(InvalidOid),
													  Int32GetDatum(-1)));
	first = next_field("order_stats", &cursor, "first_order_at");
	last = next_field("order_stats", &cursor, "last_order_at");
	if (cursor != NULL)
		invalid("unexpected text after last_order_at");
	if ((strcmp(first, "null") == 0) != (strcmp(last, "null") == 0))
		invalid("first_order_at and last_order_at must both be null or both be times");
	if (strcmp(first, "null") != 0)
	{
		if (f.time_kind == TIME_NONE)
			invalid("order times need a time type");
		f.first_at = parse_time("order_stats", first, f.time_kind);
		f.last_at = parse_time("order_stats", last, f.time_kind);
	}
	else if (f.customers > 0)
		invalid("a summary with orders needs first_order_at and last_order_at");
	order_stats_validate(&f, revenue != NULL, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(order_stats_assemble(&f, revenue));
}

/* ---- binary I/O -------------------------------------------------------- */

Datum
order_stats_send(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);
	Numeric		revenue = order_stats_revenue(s);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ORDER_STATS_VERSION);
	pq_sendbyte(&buf, s->time_kind);
	pq_sendint64(&buf, s->customers);
	pq_sendint64(&buf, s->orders);
	pq_sendint64(&buf, s->repeat_customers);
	pq_sendint64(&buf, s->ignored_rows);
	pq_sendint64(&buf, s->first_at);
	pq_sendint64(&buf, s->last_at);
	if (revenue)
	{
		bytea	   *r = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(revenue)));

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(r));
		pq_sendbytes(&buf, VARDATA_ANY(r), VARSIZE_ANY_EXHDR(r));
	}
	else
		pq_sendint32(&buf, -1);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
order_stats_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OrderStats	f;
	int			version;
	int32		rev_len;
	Numeric		revenue = NULL;

	memset(&f, 0, sizeof(f));
	/* the fixed part: version, time type, six int64, the revenue length */
	if (buf->len - buf->cursor < 1 + 1 + 6 * 8 + 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid order_stats value: truncated")));
	version = pq_getmsgbyte(buf);
	if (version != ORDER_STATS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported order_stats format version %d", version)));
	f.time_kind = pq_getmsgbyte(buf);
	f.customers = pq_getmsgint64(buf);
	f.orders = pq_getmsgint64(buf);
	f.repeat_customers = pq_getmsgint64(buf);
	f.ignored_rows = pq_getmsgint64(buf);
	f.first_at = pq_getmsgint64(buf);
	f.last_at = pq_getmsgint64(buf);
	rev_len = pq_getmsgint(buf, 4);
	if (rev_len >= 0)
	{
		if (rev_len > buf->len - buf->cursor)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid order_stats value: revenue is truncated")));
		revenue = DatumGetNumeric(flat_numeric(pq_getmsgbytes(buf, rev_len), rev_len));
	}
	else if (rev_len != -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid order_stats value: bad revenue length")));
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid order_stats value: unexpected bytes after the revenue")));
	order_stats_validate(&f, revenue != NULL, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(order_stats_assemble(&f, revenue));
}

/* ---- accessors --------------------------------------------------------- */

Datum
order_stats_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ORDER_STATS(0)->customers);
}

Datum
order_stats_orders(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ORDER_STATS(0)->orders);
}

Datum
order_stats_repeat_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ORDER_STATS(0)->repeat_customers);
}

Datum
order_stats_ignored_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ORDER_STATS(0)->ignored_rows);
}

Datum
order_stats_revenue_fn(PG_FUNCTION_ARGS)
{
	Numeric		revenue = order_stats_revenue(PG_GETARG_ORDER_STATS(0));

	if (revenue == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(revenue);
}

/* revenue / n as SQL's numeric / bigint computes it; NULL without revenue or n */
Datum
order_stats_revenue_per(const OrderStats *s, int64 n, bool *isnull)
{
	Numeric		revenue = order_stats_revenue(s);

	*isnull = (revenue == NULL || n == 0);
	if (*isnull)
		return (Datum) 0;
	return DirectFunctionCall2(numeric_div, NumericGetDatum(revenue),
							   DirectFunctionCall1(int8_numeric, Int64GetDatum(n)));
}

Datum
order_stats_aov(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);
	Datum		result = order_stats_revenue_per(s, s->orders, &fcinfo->isnull);

	return result;
}

Datum
order_stats_customer_value(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);
	Datum		result = order_stats_revenue_per(s, s->customers, &fcinfo->isnull);

	return result;
}

Datum
order_stats_purchase_frequency(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) s->orders / (float8) s->customers);
}

Datum
order_stats_repeat_rate(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) s->repeat_customers / (float8) s->customers);
}

Datum
order_stats_churn_rate(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(1.0 - (float8) s->repeat_customers / (float8) s->customers);
}

/* A stored time as timestamptz: timestamp and date values are read in the session TimeZone. */
static Datum
order_stats_first_tstz(const OrderStats *s)
{
	return time_micros_to_tstz(s->first_at, s->time_kind);
}

static Datum
order_stats_last_tstz(const OrderStats *s)
{
	return time_micros_to_tstz(s->last_at, s->time_kind);
}

Datum
order_stats_first_order_at(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(order_stats_first_tstz(s));
}

Datum
order_stats_last_order_at(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(order_stats_last_tstz(s));
}

/*
 * last_order_at - first_order_at, taken between the stored values: UTC for
 * timestamptz input, wall-clock time for timestamp and date input (as
 * max(t) - min(t) would give in SQL).
 */
Datum
order_stats_window_interval(const OrderStats *s)
{
	return DirectFunctionCall2(timestamp_mi, TimestampGetDatum(s->last_at),
							   TimestampGetDatum(s->first_at));
}

Datum
order_stats_observation_window(PG_FUNCTION_ARGS)
{
	OrderStats *s = PG_GETARG_ORDER_STATS(0);

	if (s->customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(order_stats_window_interval(s));
}
