/*
 * clv.c
 *		The seed customer-lifetime-value formulas over an order_stats summary.
 *
 *   clv(stats, lifespan, margin, discount_rate, retention_rate, observation_window)
 *
 * With W the observation window in years (given, or last - first order),
 * cv = revenue / customers and m = cv / W * margin (yearly margin per customer):
 *   simple / margin CLV  = m * L, L = lifespan in years when given, else
 *                          1 / (1 - retention_rate) when a yearly retention is given,
 *                          else W / churn with churn = 1 - repeat_rate
 *                          (so then CLV = cv * margin / churn);
 *   discounted CLV       = m * r / (1 + d - r) when discount_rate d is given,
 *                          r = retention_rate, or repeat_rate when not given.
 * Results are rounded to 6 decimals.  A year is 365.25 days, as PostgreSQL's extract(epoch from interval) counts.
 * Results that the data cannot define (no revenue, zero window, zero churn)
 * are NULL; arguments out of range are errors (22023).
 */
#include "order_stats_type.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(order_stats_clv);

#define CLV_SCALE 6

static Datum
num_f8(double v)
{
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(v));
}

static Datum
num_i8(int64 v)
{
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(v));
}

static Datum
num_mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static Datum
num_div(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_div, a, b);
}

static Datum
num_sub(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_sub, a, b);
}

static Datum
num_add(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

static int
num_cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/* CLV is an estimate: six decimals are more than any currency needs. */
static Datum
clv_round(Datum v)
{
	return DirectFunctionCall2(numeric_round, v, Int32GetDatum(CLV_SCALE));
}

/* An interval in years of 365.25 days (months count 1/12 year). */
static double
interval_years(const Interval *iv)
{
	return iv->month / 12.0 + iv->day / 365.25 +
		(double) iv->time / (365.25 * (double) USECS_PER_DAY);
}

static void
bad_argument(const char *msg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 errhint("%s", hint)));
}

/* a numeric argument that must lie in [lo, hi] (hi < 0: no upper bound) */
static Datum
rate_arg(FunctionCallInfo fcinfo, int argno, const char *name, int lo, int hi)
{
	Datum		v = PG_GETARG_DATUM(argno);
	Numeric		n = DatumGetNumeric(v);

	if (numeric_is_nan(n) || numeric_is_inf(n) || num_cmp(v, num_i8(lo)) < 0 ||
		(hi >= 0 && num_cmp(v, num_i8(hi)) > 0))
		bad_argument(psprintf("%s must be between %d and %s", name, lo,
							  hi >= 0 ? psprintf("%d", hi) : "infinity (exclusive)"),
					 "Rates are fractions, for example 0.3 for 30%.");
	return v;
}

Datum
order_stats_clv(PG_FUNCTION_ARGS)
{
	OrderStats *s;
	Datum		cv,
				margin,
				yearly_margin;
	bool		isnull;
	double		window_years;
	bool		has_lifespan = !PG_ARGISNULL(1);
	bool		has_discount = !PG_ARGISNULL(3);
	bool		has_retention = !PG_ARGISNULL(4);

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PG_GETARG_ORDER_STATS(0);

	margin = PG_ARGISNULL(2) ? num_i8(1) : rate_arg(fcinfo, 2, "margin", 0, 1);
	if (has_lifespan && has_discount)
		bad_argument("lifespan and discount_rate cannot both be given",
					 "The discounted formula m * r / (1 + d - r) has no fixed lifespan: leave lifespan out, "
					 "or leave discount_rate out for the simple formula.");
	if (has_lifespan && interval_years(PG_GETARG_INTERVAL_P(1)) <= 0)
		bad_argument("lifespan must be a positive interval", "For example lifespan => interval '3 years'.");
	if (!PG_ARGISNULL(5) && interval_years(PG_GETARG_INTERVAL_P(5)) <= 0)
		bad_argument("observation_window must be a positive interval",
					 "For example observation_window => interval '1 year'.");
	if (has_retention)
		(void) rate_arg(fcinfo, 4, "retention_rate", 0, 1);
	if (has_discount)
		(void) rate_arg(fcinfo, 3, "discount_rate", 0, -1);

	cv = order_stats_revenue_per(s, s->customers, &isnull);
	if (isnull)
		PG_RETURN_NULL();

	/* no lifespan, no retention given: CLV = cv * margin / churn, no window needed */
	if (!has_lifespan && !has_discount && !has_retention)
	{
		if (s->repeat_customers == s->customers)
			PG_RETURN_NULL();	/* every customer came back: no churn observed */
		/* cv / churn = (revenue / C) / ((C - R) / C) = revenue / (C - R) */
		PG_RETURN_DATUM(clv_round(num_div(num_mul(NumericGetDatum(order_stats_revenue(s)), margin),
										  num_i8(s->customers - s->repeat_customers))));
	}

	window_years = PG_ARGISNULL(5)
		? interval_years(DatumGetIntervalP(order_stats_window_interval(s)))
		: interval_years(PG_GETARG_INTERVAL_P(5));
	if (window_years <= 0)
		PG_RETURN_NULL();		/* all orders at one instant: cannot annualise */
	yearly_margin = num_mul(num_div(cv, num_f8(window_years)), margin);

	if (has_discount)
	{
		Datum		r = has_retention ? PG_GETARG_DATUM(4)
			: num_div(num_i8(s->repeat_customers), num_i8(s->customers));
		Datum		denominator = num_sub(num_add(num_i8(1), PG_GETARG_DATUM(3)), r);

		if (num_cmp(denominator, num_i8(0)) <= 0)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(clv_round(num_div(num_mul(yearly_margin, r), denominator)));
	}
	if (has_lifespan)
		PG_RETURN_DATUM(clv_round(num_mul(yearly_margin,
										  num_f8(interval_years(PG_GETARG_INTERVAL_P(1))))));

	/* a yearly retention rate r gives an expected lifespan of 1 / (1 - r) years */
	{
		Datum		churn = num_sub(num_i8(1), PG_GETARG_DATUM(4));

		if (num_cmp(churn, num_i8(0)) <= 0)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(clv_round(num_div(yearly_margin, churn)));
	}
}
