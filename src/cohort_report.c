/*
 * cohort_report.c
 *		The set-returning accessors of cohort_matrix: cohort_table,
 *		retention_curve and period_retention (definitions in the README).
 *
 * The observation end is the latest order in the matrix, or the
 * observed_until argument.  A cell's period is complete when it ends (the
 * next period starts) at or before the observation end, that is when it
 * comes before the period that holds the observation end.  Period boundaries
 * are local midnights in the session TimeZone, as when the matrix was built;
 * for timestamp and date input, observed_until is read as a local time there.
 */
#include "cohort_matrix.h"
#include "result_set.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* a zeroed array of n elements (n may exceed 1 GB) */
#define zeroed_array(type, n) \
	((type *) palloc_extended(sizeof(type) * (Size) (n), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO))

PG_FUNCTION_INFO_V1(cohort_table);
PG_FUNCTION_INFO_V1(retention_curve);
PG_FUNCTION_INFO_V1(period_retention);

/* ---- observation --------------------------------------------------------------- */

typedef struct Observation
{
	int32		end_period;		/* the period holding the observation end */
	int32		last_period;	/* the last period to report: end_period or a later cell */
	int32		first_cohort;
} Observation;

/* False for a matrix without cells: nothing to report. */
static bool
observe(const CohortMatrix *m, bool has_until, TimestampTz until, Observation *o)
{
	int32		max_period;

	if (m->ncells == 0)
		return false;
	o->end_period = observation_end_period(m->period_kind, m->time_kind, m->latest_at,
										   has_until, until, "cohort matrix");

	/* a matrix read in another TimeZone than it was built in may have later cells */
	max_period = o->end_period;
	o->first_cohort = m->cells[0].cohort;
	for (uint32 i = 0; i < m->ncells; i++)
		max_period = Max(max_period, m->cells[i].cohort + m->cells[i].offset);
	o->last_period = max_period;
	return true;
}

/*
 * What every accessor starts with: the result set, the matrix (NULL for a
 * NULL argument) and its observation (false: no rows to report).
 */
static bool
report_begin(FunctionCallInfo fcinfo, bool with_until, ResultSet *rs, CohortMatrix **m,
			 Observation *o)
{
	bool		has_until = with_until && !PG_ARGISNULL(1);

	result_begin(fcinfo, rs);
	if (PG_ARGISNULL(0))
		return false;
	*m = PG_GETARG_COHORT_MATRIX(0);
	return observe(*m, has_until, has_until ? PG_GETARG_TIMESTAMPTZ(1) : 0, o);
}

static inline Datum
float_or_null(double num, double den, bool *isnull)
{
	*isnull = den == 0;
	return *isnull ? (Datum) 0 : Float8GetDatum(num / den);
}

static inline Datum
period_date(const CohortMatrix *m, int32 period)
{
	return DateADTGetDatum(period_start_date(m->period_kind, period));
}

/* ---- cohort_table ------------------------------------------------------------ */

Datum
cohort_table(PG_FUNCTION_ARGS)
{
	CohortMatrix *m;
	bool		has_revenue;
	Datum		zero;
	ResultSet	rs;
	Observation o;
	MemoryContext row_cxt;
	uint32		i = 0;

	if (!report_begin(fcinfo, true, &rs, &m, &o))
		PG_RETURN_NULL();
	has_revenue = (m->flags & MATRIX_HAS_REVENUE) != 0;
	/* empty cells show 0 with the scale of the other cells, as sum() would */
	zero = has_revenue ? money_numeric(0, m->revenue_dscale)
		: DirectFunctionCall1(int8_numeric, Int64GetDatum(0));
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "cohort_table row", ALLOCSET_DEFAULT_SIZES);

	while (i < m->ncells)
	{
		int32		cohort = m->cells[i].cohort;
		int64		size = m->cells[i].active;
		int64		gone = 0;	/* customers whose last period is before k */
		Datum		cum = zero;
		MemoryContext old;

		for (int64 k = 0; cohort + k <= o.last_period; k++)
		{
			const CohortCell *c = (i < m->ncells && m->cells[i].cohort == cohort &&
								   m->cells[i].offset == k) ? &m->cells[i] : NULL;
			Datum		values[10];
			bool		nulls[10] = {0};
			Datum		revenue;
			Datum		next;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(row_cxt);
			values[0] = period_date(m, cohort);
			values[1] = Int32GetDatum((int32) k);
			values[2] = Int64GetDatum(size);
			values[3] = Int64GetDatum(c ? c->active : 0);
			values[4] = Float8GetDatum((double) (c ? c->active : 0) / (double) size);
			values[5] = Int64GetDatum(size - gone);
			values[6] = Int64GetDatum(c ? c->orders : 0);
			if (has_revenue)
			{
				revenue = c ? NumericGetDatum(cell_revenue(m, c)) : zero;
				/* the running sum lives across rows: keep it out of row_cxt */
				MemoryContextSwitchTo(old);
				next = DirectFunctionCall2(numeric_add, cum, revenue);
				if (cum != zero)
					pfree(DatumGetPointer(cum));
				cum = next;
				MemoryContextSwitchTo(row_cxt);
				values[7] = revenue;
				values[8] = DirectFunctionCall2(numeric_div, cum,
												DirectFunctionCall1(int8_numeric, Int64GetDatum(size)));
			}
			else
				nulls[7] = nulls[8] = true;
			values[9] = BoolGetDatum(cohort + k < o.end_period);
			tuplestore_putvalues(rs.store, rs.desc, values, nulls);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
			if (c)
			{
				gone += c->last;
				i++;
			}
		}
		/* cells past the last period cannot exist (see observe), but never loop on them */
		while (i < m->ncells && m->cells[i].cohort == cohort)
			i++;
	}
	MemoryContextDelete(row_cxt);
	PG_RETURN_NULL();
}

/* ---- retention_curve ------------------------------------------------------ */

Datum
retention_curve(PG_FUNCTION_ARGS)
{
	CohortMatrix *m;
	ResultSet	rs;
	Observation o;
	int64		noffsets;
	int32	   *cohorts;
	int64	   *customers;
	int64	   *active;
	double	   *rate_sum;
	int64		size = 0;

	if (!report_begin(fcinfo, true, &rs, &m, &o))
		PG_RETURN_NULL();
	/* offsets 0 .. end_period - 1 - first cohort can be complete */
	noffsets = (int64) o.end_period - o.first_cohort;
	if (noffsets <= 0)
		PG_RETURN_NULL();
	cohorts = zeroed_array(int32, noffsets);
	customers = zeroed_array(int64, noffsets);
	active = zeroed_array(int64, noffsets);
	rate_sum = zeroed_array(double, noffsets);

	/* each cohort adds to every offset it has completed, active or not */
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const CohortCell *c = &m->cells[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c->offset == 0)
		{
			size = c->active;
			for (int64 k = 0; c->cohort + k < o.end_period; k++)
			{
				cohorts[k]++;
				customers[k] += size;
			}
		}
		if (c->cohort + c->offset < o.end_period)
		{
			active[c->offset] += c->active;
			rate_sum[c->offset] += (double) c->active / (double) size;
		}
	}
	curve_rows(&rs, noffsets, cohorts, customers, active, rate_sum);
	PG_RETURN_NULL();
}

/* ---- period_retention ------------------------------------------------------- */

Datum
period_retention(PG_FUNCTION_ARGS)
{
	CohortMatrix *m;
	ResultSet	rs;
	Observation o;
	int64		nperiods;
	int64	   *end_customers;
	int64	   *new_customers;
	int64	   *retained;

	if (!report_begin(fcinfo, false, &rs, &m, &o))
		PG_RETURN_NULL();
	nperiods = (int64) o.last_period - o.first_cohort + 1;
	end_customers = zeroed_array(int64, nperiods);
	new_customers = zeroed_array(int64, nperiods);
	retained = zeroed_array(int64, nperiods);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const CohortCell *c = &m->cells[i];
		int64		p = (int64) c->cohort + c->offset - o.first_cohort;

		end_customers[p] += c->active;
		retained[p] += c->active_prev;
		if (c->offset == 0)
			new_customers[p] += c->active;
	}
	for (int64 p = 0; p < nperiods; p++)
	{
		Datum		values[8];
		bool		nulls[8] = {0};
		int64		start = p > 0 ? end_customers[p - 1] : 0;

		if ((p & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = period_date(m, (int32) (o.first_cohort + p));
		values[1] = Int64GetDatum(start);
		values[2] = Int64GetDatum(end_customers[p]);
		values[3] = Int64GetDatum(new_customers[p]);
		values[4] = float_or_null(end_customers[p] - new_customers[p], start, &nulls[4]);
		values[5] = Int64GetDatum(retained[p]);
		values[6] = float_or_null(retained[p], start, &nulls[6]);
		values[7] = Float8GetDatum(1.0 - DatumGetFloat8(values[6]));
		nulls[7] = nulls[6];
		tuplestore_putvalues(rs.store, rs.desc, values, nulls);
	}
	PG_RETURN_NULL();
}
