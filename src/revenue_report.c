/*
 * revenue_report.c
 *		The accessors of revenue_matrix: mrr_movements, revenue_retention,
 *		trailing_nrr, customers and ignored_rows (definitions in
 *		doc/revenue_retention.md).
 *
 * Ratios are computed in numeric and then rounded to float8, exactly as
 * (a / b)::float8 in SQL; a ratio over no starting revenue is NULL.
 */
#include "result_set.h"
#include "revenue_matrix.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(mrr_movements);
PG_FUNCTION_INFO_V1(revenue_retention);
PG_FUNCTION_INFO_V1(trailing_nrr);
PG_FUNCTION_INFO_V1(revenue_matrix_customers);
PG_FUNCTION_INFO_V1(revenue_matrix_ignored_rows);

/* num / den as float8, NULL when den equals zero */
static Datum
ratio_or_null(Datum num, Datum den, Datum zero, bool *isnull)
{
	*isnull = DatumGetInt32(DirectFunctionCall2(numeric_cmp, den, zero)) == 0;
	if (*isnull)
		return (Datum) 0;
	return DirectFunctionCall1(numeric_float8, DirectFunctionCall2(numeric_div, num, den));
}

static inline Datum
period_date(const RevenueMatrix *m, int64 period)
{
	return DateADTGetDatum(period_start_date(m->period_kind, (int32) period));
}

/* the revenues reported as 0: with the scale of the others, as sum() would */
static inline Datum
zero_revenue(const RevenueMatrix *m)
{
	return money_numeric(0, m->dscale);
}

typedef struct Report
{
	ResultSet	rs;
	MemoryContext row_cxt;
} Report;

/* The matrix of argument 0 (NULL: no rows to report) and an empty result set. */
static RevenueMatrix *
report_begin(FunctionCallInfo fcinfo, Report *r)
{
	result_begin(fcinfo, &r->rs);
	r->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "revenue report row",
									   ALLOCSET_DEFAULT_SIZES);
	if (PG_ARGISNULL(0))
		return NULL;
	return revenue_matrix_arg(fcinfo, 0);
}

static void
report_row(Report *r, Datum *values, bool *nulls)
{
	tuplestore_putvalues(r->rs.store, r->rs.desc, values, nulls);
	MemoryContextReset(r->row_cxt);
}

/* ---- mrr_movements -------------------------------------------------------------- */

Datum
mrr_movements(PG_FUNCTION_ARGS)
{
	Report		r;
	RevenueMatrix *m = report_begin(fcinfo, &r);
	Datum		zero;
	Datum		start;
	int64		start_customers = 0;

	if (m == NULL)
		PG_RETURN_NULL();
	zero = zero_revenue(m);
	start = zero;
	for (uint32 i = 0; i < m->nperiods; i++)
	{
		const RevenuePeriod *p = &m->periods[i];
		Datum		values[16];
		bool		nulls[16] = {0};
		MemoryContext old;
		Datum		net;
		Datum		gross;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(r.row_cxt);
		values[0] = period_date(m, (int64) m->first_period + i);
		values[1] = start;
		for (int k = MOVE_NEW; k <= MOVE_CHURN; k++)
			values[1 + k] = p->revenue[k];
		values[7] = p->revenue[MOVE_END];
		values[8] = Int64GetDatum(start_customers);
		for (int k = MOVE_NEW; k <= MOVE_CHURN; k++)
			values[8 + k] = Int64GetDatum(p->customers[k]);
		/* start less what was lost: the revenue kept from the customers present at the start */
		gross = DirectFunctionCall2(numeric_sub,
									DirectFunctionCall2(numeric_sub, start, p->revenue[MOVE_CONTRACTION]),
									p->revenue[MOVE_CHURN]);
		net = DirectFunctionCall2(numeric_add, gross, p->revenue[MOVE_EXPANSION]);
		values[14] = ratio_or_null(net, start, zero, &nulls[14]);
		values[15] = ratio_or_null(gross, start, zero, &nulls[15]);
		report_row(&r, values, nulls);
		MemoryContextSwitchTo(old);
		start = p->revenue[MOVE_END];
		start_customers = p->customers[MOVE_END];
	}
	PG_RETURN_NULL();
}

/* ---- revenue_retention -------------------------------------------------------------- */

Datum
revenue_retention(PG_FUNCTION_ARGS)
{
	Report		r;
	RevenueMatrix *m = report_begin(fcinfo, &r);
	bool		has_until = PG_NARGS() > 1 && !PG_ARGISNULL(1);
	int64		end_period;
	int64		last_period;
	Datum		zero;
	uint32		i = 0;

	if (m == NULL || m->nperiods == 0)
		PG_RETURN_NULL();
	zero = zero_revenue(m);
	end_period = observation_end_period(m->period_kind, m->time_kind, m->latest_at, has_until,
										has_until ? PG_GETARG_TIMESTAMPTZ(1) : 0, "revenue matrix");
	/* report up to the observation end, or a later period (another TimeZone) */
	last_period = Max(end_period, (int64) m->first_period + m->nperiods - 1);

	while (i < m->ncohort)
	{
		const RevenueCohortCell *first = &m->cohort[i];
		int32		cohort = first->cohort;

		for (int64 k = 0; cohort + k <= last_period; k++)
		{
			const RevenueCohortCell *c = (i < m->ncohort && m->cohort[i].cohort == cohort &&
										  m->cohort[i].offset == k) ? &m->cohort[i] : NULL;
			Datum		values[8];
			bool		nulls[8] = {0};
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(r.row_cxt);
			values[0] = period_date(m, cohort);
			values[1] = Int32GetDatum((int32) k);
			values[2] = Int64GetDatum(first->customers);
			values[3] = first->revenue;
			values[4] = c ? c->revenue : zero;
			values[5] = ratio_or_null(values[4], first->revenue, zero, &nulls[5]);
			values[6] = BoolGetDatum(cohort + k < end_period);
			values[7] = Int64GetDatum(c ? c->customers : 0);
			report_row(&r, values, nulls);
			MemoryContextSwitchTo(old);
			if (c)
				i++;
		}
	}
	PG_RETURN_NULL();
}

/* ---- trailing_nrr ------------------------------------------------------------------- */

Datum
trailing_nrr(PG_FUNCTION_ARGS)
{
	Report		r;
	RevenueMatrix *m = report_begin(fcinfo, &r);
	int32		lag = PG_GETARG_INT32(1);
	const RevenueLagCell **cell_from;
	Datum		zero;

	if (m == NULL)
		PG_RETURN_NULL();
	if (lag < 1 || lag > m->max_lag)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lag must be between 1 and %d periods", m->max_lag),
				 errhint("For a longer trailing window, aggregate with a longer period (for example 'quarter' instead of 'month').")));
	zero = zero_revenue(m);
	cell_from = palloc0(sizeof(RevenueLagCell *) * Max(m->nperiods, 1));
	for (uint32 j = 0; j < m->nlag; j++)
		if (m->lag[j].lag == lag)
			cell_from[m->lag[j].from - m->first_period] = &m->lag[j];

	for (uint32 i = 0; i < m->nperiods; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {0};
		const RevenuePeriod *p0 = i >= (uint32) lag ? &m->periods[i - lag] : NULL;
		const RevenueLagCell *c = i >= (uint32) lag ? cell_from[i - lag] : NULL;
		Datum		start = p0 ? p0->revenue[MOVE_END] : zero;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(r.row_cxt);
		values[0] = period_date(m, (int64) m->first_period + i);
		values[1] = ratio_or_null(c ? c->retained : zero, start, zero, &nulls[1]);
		values[2] = ratio_or_null(c ? c->kept : zero, start, zero, &nulls[2]);
		values[3] = start;
		values[4] = c ? c->retained : zero;
		values[5] = Int64GetDatum(p0 ? p0->customers[MOVE_END] : 0);
		values[6] = Int64GetDatum(c ? c->customers : 0);
		report_row(&r, values, nulls);
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_NULL();
}

/* ---- scalars ---------------------------------------------------------------------- */

/* customers with revenue in any period: each is new once */
Datum
revenue_matrix_customers(PG_FUNCTION_ARGS)
{
	RevenueMatrix *m = revenue_matrix_arg(fcinfo, 0);
	int64		n = 0;

	for (uint32 i = 0; i < m->nperiods; i++)
		n += m->periods[i].customers[MOVE_NEW];
	PG_RETURN_INT64(n);
}

Datum
revenue_matrix_ignored_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(revenue_matrix_arg(fcinfo, 0)->ignored_rows);
}
