/*
 * retention_matrix.c
 *		The retention_matrix type that retention_agg returns, and its
 *		set-returning accessors retention_table and retention_curve
 *		(doc/retention_agg.md).
 *
 * Per cohort and period offset (or bracket) k the cells with activity,
 * sorted by (cohort, k), each cohort starting with its k = 0 cell:
 *   active    members active in k (k = 0: the cohort's size)
 *   last      members whose last active k this is (0: never active after 0)
 *   returns   the active members' return events in k
 *   value     the exact sum of their values (when the aggregate had values)
 * "Active on or after k" is the size less the last of the offsets before k.
 *
 * Flat form (inside the varlena; integers little-endian, flat_io.h):
 *   version u8 (1), time_kind u8 (0 for no rows at all), kind u8 (PeriodKind,
 *   RA_WINDOW, or 0 for no rows), flags u8 (RA_*), min_occurrences u32,
 *   window u64, nbrackets u32, nbrackets x u32, value_dscale u32,
 *   latest_at u64, ignored_rows u64, rows u64, ncells u32,
 *   ncells x (cohort u32, offset u32, active u64, last u64, returns u64,
 *             value numeric field (flat_io.h; length 0 without values))
 * rm_read checks every field and the invariants between the cells.
 */
#include "retention_agg.h"
#include "flat_io.h"
#include "result_set.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(retention_matrix_in);
PG_FUNCTION_INFO_V1(retention_matrix_out);
PG_FUNCTION_INFO_V1(retention_matrix_recv);
PG_FUNCTION_INFO_V1(retention_matrix_send);
PG_FUNCTION_INFO_V1(retention_table);
PG_FUNCTION_INFO_V1(retention_matrix_curve);

#define RM_CELL_SIZE (4 + 4 + 8 * 3 + 4)

struct varlena *
rm_flatten(const RmMatrix *m)
{
	Size		size = VARHDRSZ + 4 + 4 + 8 + 4 + 4 * m->opt.nbrackets + 4 + 8 * 3 + 4;
	struct varlena *result;
	char	   *p;

	size = add_size(size, mul_size(m->ncells, RM_CELL_SIZE));
	for (uint32 i = 0; i < m->ncells; i++)
		if (m->opt.flags & RA_HAS_VALUE)
			size = add_size(size, flat_numeric_field_size(m->cells[i].value) - 4);
	budget_check_flat_size(size);
	result = palloc_extended(size, MCXT_ALLOC_HUGE);
	SET_VARSIZE(result, size);
	p = VARDATA(result);
	p = put_u8(p, RM_VERSION);
	p = put_u8(p, m->time_kind);
	p = put_u8(p, m->kind);
	p = put_u8(p, m->opt.flags);
	p = put_u32(p, (uint32) m->opt.min_occurrences);
	p = put_u64(p, (uint64) m->window);
	p = put_u32(p, (uint32) m->opt.nbrackets);
	for (int i = 0; i < m->opt.nbrackets; i++)
		p = put_u32(p, (uint32) m->opt.brackets[i]);
	p = put_u32(p, (uint32) m->value_dscale);
	p = put_u64(p, (uint64) m->latest_at);
	p = put_u64(p, (uint64) m->ignored_rows);
	p = put_u64(p, (uint64) m->rows);
	p = put_u32(p, m->ncells);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const RmCell *c = &m->cells[i];

		p = put_u32(p, (uint32) c->cohort);
		p = put_u32(p, (uint32) c->offset);
		p = put_u64(p, (uint64) c->active);
		p = put_u64(p, (uint64) c->last);
		p = put_u64(p, (uint64) c->returns);
		if (m->opt.flags & RA_HAS_VALUE)
			p = put_numeric_field(p, c->value);
		else
			p = put_u32(p, 0);
	}
	if ((Size) (p - (char *) result) != size)
		elog(ERROR, "retention_matrix flattened to %zu bytes, expected %zu",
			 (Size) (p - (char *) result), size);
	return result;
}

static bool
valid_cohort(const RmMatrix *m, int32 cohort)
{
	uint8		unit = m->kind == RA_WINDOW ? ra_cohort_unit(m->window) : m->kind;

	if (unit == PERIOD_HOUR)
		return (int64) cohort >= floor_div(MIN_TIMESTAMP, USECS_PER_HOUR) &&
			(int64) cohort <= floor_div(END_TIMESTAMP, USECS_PER_HOUR);
	if (unit == PERIOD_WEEK)
		return period_is_valid(PERIOD_DAY, (int32) Min((int64) cohort * 7 + 2, PG_INT32_MAX)) &&
			period_is_valid(PERIOD_DAY, (int32) Max((int64) cohort * 7, PG_INT32_MIN));
	return period_is_valid(unit, cohort);
}

/* The matrix of flat bytes, every field and invariant checked. */
RmMatrix *
rm_read(const char *data, Size len)
{
	StringInfoData buf;
	RmMatrix   *m = palloc0(sizeof(RmMatrix));
	int64		size = 0;
	int64		last_sum = 0;

	flat_reader_init(&buf, data, len);
	if (get_u8(&buf) != RM_VERSION)
		flat_corrupt("unknown retention_matrix version");
	m->time_kind = get_u8(&buf);
	ra_read_options(&buf, &m->opt, &m->kind, &m->window, true);
	if ((m->kind == 0) != (m->time_kind == 0) || m->time_kind > TIME_DATE)
		flat_corrupt("unknown time type");
	m->value_dscale = (int32) get_u32(&buf);
	m->latest_at = (int64) get_u64(&buf);
	m->ignored_rows = (int64) get_u64(&buf);
	m->rows = (int64) get_u64(&buf);
	m->ncells = get_u32(&buf);
	if (m->value_dscale < 0 || m->value_dscale > MONEY_DSCALE_MAX ||
		(!(m->opt.flags & RA_HAS_VALUE) && m->value_dscale != 0))
		flat_corrupt("invalid value scale");
	if (m->ignored_rows < 0 || m->rows < 0 || (m->kind == 0 && m->rows != 0) ||
		(m->rows > 0 && !IS_VALID_TIMESTAMP(m->latest_at)) || (m->rows == 0 && m->latest_at != 0))
		flat_corrupt("invalid counters");
	if ((Size) m->ncells > (Size) (buf.len - buf.cursor) / RM_CELL_SIZE)
		flat_corrupt("the cell count does not match the length");
	if (m->ncells > 0 && m->rows == 0)
		flat_corrupt("cells without rows");
	m->cells = palloc_extended(sizeof(RmCell) * Max(m->ncells, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		RmCell	   *c = &m->cells[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		c->cohort = (int32) get_u32(&buf);
		c->offset = (int32) get_u32(&buf);
		c->active = (int64) get_u64(&buf);
		c->last = (int64) get_u64(&buf);
		c->returns = (int64) get_u64(&buf);
		c->value = get_numeric_field(&buf);
		if ((m->opt.flags & RA_HAS_VALUE) ? c->value == (Datum) 0 : c->value != (Datum) 0)
			flat_corrupt("a cell's value does not match the matrix");
		if (!valid_cohort(m, c->cohort))
			flat_corrupt("invalid cohort");
		if (i > 0 && (c->cohort < c[-1].cohort ||
					  (c->cohort == c[-1].cohort && c->offset <= c[-1].offset)))
			flat_corrupt("cells out of order");
		if (i == 0 || c->cohort != c[-1].cohort)
		{
			if (i > 0 && last_sum != size)
				flat_corrupt("a cohort's members do not add up");
			if (c->offset != 0)
				flat_corrupt("a cohort without its offset 0");
			size = c->active;
			last_sum = 0;
		}
		if (c->offset < 0 || (m->opt.nbrackets > 0 && c->offset > m->opt.nbrackets))
			flat_corrupt("invalid offset");
		if (c->active < 1 || c->active > size || c->last < 0 || c->last > c->active ||
			c->returns < 0 || pg_add_s64_overflow(last_sum, c->last, &last_sum))
			flat_corrupt("invalid cell counts");
	}
	if (m->ncells > 0 && last_sum != size)
		flat_corrupt("a cohort's members do not add up");
	if (buf.cursor != buf.len)
		flat_corrupt("trailing bytes");
	return m;
}

static RmMatrix *
rm_of_datum(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);

	return rm_read(VARDATA(v), VARSIZE(v) - VARHDRSZ);
}

static Datum
validated(const char *data, Size len)
{
	struct varlena *result;

	budget_check_flat_size(len + VARHDRSZ);
	(void) rm_read(data, len);
	result = palloc_extended(len + VARHDRSZ, MCXT_ALLOC_HUGE);
	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), data, len);
	return PointerGetDatum(result);
}

Datum
retention_matrix_in(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, "retention_matrix");

	PG_RETURN_DATUM(validated(bytes, len));
}

Datum
retention_matrix_out(PG_FUNCTION_ARGS)
{
	return state_type_out(fcinfo);
}

Datum
retention_matrix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Size		len = buf->len - buf->cursor;

	PG_RETURN_DATUM(validated(pq_getmsgbytes(buf, len), len));
}

Datum
retention_matrix_send(PG_FUNCTION_ARGS)
{
	return state_type_send(fcinfo);
}

/* ---- the accessors -------------------------------------------------------------- */

/*
 * How a matrix is observed: its end (the latest event, or observed_until,
 * as times of its time_kind are kept) and what follows from it.
 */
typedef struct RmView
{
	RmMatrix   *m;
	uint8		unit;			/* the PeriodKind of the cohorts */
	bool		sunday;
	int64		end;			/* the observation end */
	int32		end_period;		/* calendar: the period holding it */
	int32		last_period;	/* calendar: the last period to report */
} RmView;

static bool
rm_begin(FunctionCallInfo fcinfo, ResultSet *rs, RmView *v)
{
	RmMatrix   *m;

	result_begin(fcinfo, rs);
	if (PG_ARGISNULL(0))
		return false;
	m = v->m = rm_of_datum(PG_GETARG_DATUM(0));
	if (m->ncells == 0)
		return false;
	v->unit = m->kind == RA_WINDOW ? ra_cohort_unit(m->window) : m->kind;
	v->sunday = (m->opt.flags & RA_SUNDAY) != 0;
	v->end = m->latest_at;
	if (!PG_ARGISNULL(1))
	{
		TimestampTz until = PG_GETARG_TIMESTAMPTZ(1);
		int64		local;

		if (TIMESTAMP_NOT_FINITE(until))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("observed_until must be finite"),
					 errhint("Pass the end of the observation period, or leave observed_until out (NULL) to end at the latest event.")));
		local = m->time_kind == TIME_TIMESTAMPTZ ? until
			: DatumGetTimestamp(DirectFunctionCall1(timestamptz_timestamp, TimestampTzGetDatum(until)));
		if (local < m->latest_at)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("observed_until is before the latest event of the retention matrix"),
					 errhint("To observe a shorter span, leave the later events out of the aggregate (WHERE event_at < ...).")));
		v->end = local;
	}
	if (m->kind != RA_WINDOW)
	{
		v->end_period = ra_period_of(m->kind, v->sunday, m->time_kind, v->end);
		/* a matrix read in another TimeZone than it was built in may have later cells */
		v->last_period = v->end_period;
		for (uint32 i = 0; i < m->ncells; i++)
			if (m->opt.nbrackets == 0)
				v->last_period = Max(v->last_period, (int32) Min((int64) m->cells[i].cohort + m->cells[i].offset,
																 PG_INT32_MAX));
	}
	return true;
}

/* the last raw offset of bracket b (0 for b = 0) */
static int64
bracket_end(const RaOptions *opt, int32 b)
{
	int64		hi = 0;

	for (int i = 0; i < b && i < opt->nbrackets; i++)
		hi += opt->brackets[i];
	return hi;
}

/* Is raw offset k of the cohort over by the observation end? */
static bool
offset_complete(const RmView *v, int32 cohort, int64 k)
{
	const RmMatrix *m = v->m;

	if (m->kind != RA_WINDOW)
		return (int64) cohort + k < v->end_period;
	else
	{
		/* every member's anchor is before the cohort's end */
		int64		cohort_end = ra_period_start(v->unit, false, m->time_kind, cohort + 1);
		int64		span;

		if (pg_mul_s64_overflow(k + 1, m->window, &span) ||
			pg_add_s64_overflow(cohort_end, span, &span))
			return false;
		return span <= v->end;
	}
}

/*
 * The last offset (or bracket) to report for a cohort whose cells run to
 * max_cell.  At most RM_MAX_OFFSETS: more rows per cohort than anyone reads,
 * which only a window of seconds over years (or a damaged value) asks for.
 */
#define RM_MAX_OFFSETS 1000000

static int64
last_offset(const RmView *v, int32 cohort, int32 max_cell)
{
	const RmMatrix *m = v->m;
	int64		k;

	if (m->opt.nbrackets > 0)
		return m->opt.nbrackets;
	if (m->kind != RA_WINDOW)
		k = (int64) v->last_period - cohort;
	else
	{
		int64		start = ra_period_start(v->unit, false, m->time_kind, cohort);

		k = v->end >= start ? (v->end - start) / m->window : 0;
	}
	k = Max(k, max_cell);
	if (k >= RM_MAX_OFFSETS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention matrix would report more than %d period offsets per cohort", RM_MAX_OFFSETS),
				 errhint("Use a longer period or window, brackets, or an observed_until closer to the data.")));
	return k;
}

static bool
cell_complete(const RmView *v, int32 cohort, int32 o)
{
	return offset_complete(v, cohort, v->m->opt.nbrackets > 0 ? bracket_end(&v->m->opt, o) : o);
}

static inline Datum
ratio(int64 num, int64 den, bool *isnull)
{
	*isnull = den == 0;
	return *isnull ? (Datum) 0 : Float8GetDatum((double) num / (double) den);
}

/*
 * retention_table(matrix, observed_until) -> (cohort, period_offset,
 * cohort_size, active, retention_rate, active_on_or_after, rate_vs_previous,
 * value, value_per_active, complete)
 */
Datum
retention_table(PG_FUNCTION_ARGS)
{
	ResultSet	rs;
	RmView		v;
	RmMatrix   *m;
	bool		has_value;
	Datum		zero;
	MemoryContext row_cxt;
	uint32		i = 0;

	if (!rm_begin(fcinfo, &rs, &v))
		PG_RETURN_NULL();
	m = v.m;
	has_value = (m->opt.flags & RA_HAS_VALUE) != 0;
	zero = money_numeric(0, m->value_dscale);
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "retention_table row", ALLOCSET_DEFAULT_SIZES);
	while (i < m->ncells)
	{
		int32		cohort = m->cells[i].cohort;
		int64		size = m->cells[i].active;
		int32		max_cell = 0;
		int64		gone = 0;
		int64		prev_active = 0;
		int64		kmax;
		Datum		cohort_at;

		for (uint32 j = i; j < m->ncells && m->cells[j].cohort == cohort; j++)
			max_cell = m->cells[j].offset;
		kmax = last_offset(&v, cohort, max_cell);
		cohort_at = time_micros_to_tstz(ra_period_start(v.unit, v.sunday, m->time_kind, cohort),
										m->time_kind);
		for (int64 k = 0; k <= kmax; k++)
		{
			const RmCell *c = (i < m->ncells && m->cells[i].cohort == cohort &&
							   m->cells[i].offset == k) ? &m->cells[i] : NULL;
			int64		active = c ? c->active : 0;
			Datum		values[10];
			bool		nulls[10] = {0};
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(row_cxt);
			values[0] = cohort_at;
			values[1] = Int32GetDatum((int32) k);
			values[2] = Int64GetDatum(size);
			values[3] = Int64GetDatum(active);
			values[4] = Float8GetDatum((double) active / (double) size);
			values[5] = Int64GetDatum(size - gone);
			if (k == 0)
				nulls[6] = true;
			else
				values[6] = ratio(active, prev_active, &nulls[6]);
			if (has_value)
			{
				values[7] = c ? c->value : zero;
				if (active > 0)
					values[8] = DirectFunctionCall2(numeric_div, values[7],
													DirectFunctionCall1(int8_numeric, Int64GetDatum(active)));
				else
					nulls[8] = true;
			}
			else
				nulls[7] = nulls[8] = true;
			values[9] = BoolGetDatum(cell_complete(&v, cohort, (int32) k));
			tuplestore_putvalues(rs.store, rs.desc, values, nulls);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
			prev_active = active;
			if (c)
			{
				gone += c->last;
				i++;
			}
		}
		while (i < m->ncells && m->cells[i].cohort == cohort)
			i++;
	}
	MemoryContextDelete(row_cxt);
	PG_RETURN_NULL();
}

/*
 * retention_curve(matrix, observed_until) -> (period_offset, cohorts,
 * cohort_customers, active, retention_rate, mean_rate): per offset, over the
 * cohorts that completed it, the size-weighted rate and the plain mean of
 * the cohorts' rates.
 */
Datum
retention_matrix_curve(PG_FUNCTION_ARGS)
{
	ResultSet	rs;
	RmView		v;
	RmMatrix   *m;
	int64		noffsets = 0;
	int32	   *cohorts;
	int64	   *members;
	int64	   *active;
	double	   *rate_sum;
	uint32		i;

	if (!rm_begin(fcinfo, &rs, &v))
		PG_RETURN_NULL();
	m = v.m;
	/* the offsets any cohort reports */
	for (i = 0; i < m->ncells;)
	{
		int32		cohort = m->cells[i].cohort;
		int32		max_cell = 0;

		for (; i < m->ncells && m->cells[i].cohort == cohort; i++)
			max_cell = m->cells[i].offset;
		noffsets = Max(noffsets, last_offset(&v, cohort, max_cell) + 1);
	}
	if (noffsets > MaxAllocHugeSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention matrix spans too many period offsets")));
	cohorts = palloc_extended(sizeof(int32) * noffsets, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	members = palloc_extended(sizeof(int64) * noffsets, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	active = palloc_extended(sizeof(int64) * noffsets, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	rate_sum = palloc_extended(sizeof(double) * noffsets, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < m->ncells;)
	{
		int32		cohort = m->cells[i].cohort;
		int64		size = m->cells[i].active;
		uint32		j = i;

		CHECK_FOR_INTERRUPTS();
		for (int64 k = 0; k < noffsets && cell_complete(&v, cohort, (int32) k); k++)
		{
			int64		a = 0;

			while (j < m->ncells && m->cells[j].cohort == cohort && m->cells[j].offset < k)
				j++;
			if (j < m->ncells && m->cells[j].cohort == cohort && m->cells[j].offset == k)
				a = m->cells[j].active;
			cohorts[k]++;
			members[k] += size;
			active[k] += a;
			rate_sum[k] += (double) a / (double) size;
		}
		while (i < m->ncells && m->cells[i].cohort == cohort)
			i++;
	}
	curve_rows(&rs, noffsets, cohorts, members, active, rate_sum);
	PG_RETURN_NULL();
}
