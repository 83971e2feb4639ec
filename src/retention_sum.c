/*
 * retention_sum.c
 *		retention_matrix_sum: retention_agg's matrices of disjoint actor sets
 *		added up (matrix_sum.c says how the sums work).
 */
#include "cohort_matrix.h"
#include "matrix_sum.h"
#include "retention_agg.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(retention_matrix_sum_trans);

/*
 * retention_agg's matrices: per (cohort, offset) the active members, those
 * whose last active offset it is, their return events and values, each a sum
 * over actors, counted in a cell table as retention_agg's final count does
 * (cell.orders holds the return events).  The inputs must come from one
 * retention_agg form (period or window, options, value or not); a matrix of
 * no rows at all fits any.
 */
typedef struct RetSum
{
	ExpandedObjectHeader hdr;
	RmMatrix	h;				/* the header fields; cells unused */
	CellTable	cells;
	struct varlena *flat;
} RetSum;

static Size ts_get_flat_size(ExpandedObjectHeader *eohptr);
static void ts_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods ts_methods = {
	ts_get_flat_size,
	ts_flatten_into
};

static RetSum *
ts_create(MemoryContext parent)
{
	MemoryContext cxt = state_memory_context(parent, "retention_matrix_sum state");
	RetSum	   *s = MemoryContextAllocZero(cxt, sizeof(RetSum));

	EOH_init_header(&s->hdr, &ts_methods, cxt);
	cell_table_init(&s->cells, cxt);
	return s;
}

static void
ts_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("retention_matrix_sum count out of range"),
			 errhint("The matrices added up count more than 9223372036854775807 actors, events or rows.")));
}

static void
ts_add_header(RetSum *s, const RmMatrix *m)
{
	bool		had_rows = s->h.rows > 0;

	if (pg_add_s64_overflow(s->h.ignored_rows, m->ignored_rows, &s->h.ignored_rows) ||
		pg_add_s64_overflow(s->h.rows, m->rows, &s->h.rows))
		ts_overflow();
	if (m->kind == 0)
		return;
	if (s->h.kind == 0)
	{
		s->h.kind = m->kind;
		s->h.time_kind = m->time_kind;
		s->h.opt = m->opt;
		s->h.window = m->window;
	}
	else if (s->h.kind != m->kind || s->h.time_kind != m->time_kind || s->h.window != m->window ||
			 !ra_same_options(&s->h.opt, &m->opt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention_matrix_sum cannot add matrices of different periods, time types or options"),
				 errhint("Add up the matrices of one retention_agg call, grouped by the actor column.")));
	if (m->rows > 0 && (!had_rows || m->latest_at > s->h.latest_at))
		s->h.latest_at = m->latest_at;
	s->h.value_dscale = Max(s->h.value_dscale, m->value_dscale);
}

/* the cell (cohort, offset) += the counts */
static BuildCell *
ts_add_cell(RetSum *s, int32 cohort, int32 offset, int64 active, int64 last, int64 returns)
{
	BuildCell  *c = cell_at(&s->cells, cohort, offset, true);

	if (pg_add_s64_overflow(c->cell.active, active, &c->cell.active) ||
		pg_add_s64_overflow(c->cell.last, last, &c->cell.last) ||
		pg_add_s64_overflow(c->cell.orders, returns, &c->cell.orders))
		ts_overflow();
	return c;
}

static void
ts_changed(RetSum *s)
{
	if (s->flat)
		pfree(s->flat);
	s->flat = NULL;
}

static void
ts_add_matrix(RetSum *s, const RmMatrix *m)
{
	ts_add_header(s, m);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const RmCell *in = &m->cells[i];
		BuildCell  *c = ts_add_cell(s, in->cohort, in->offset, in->active, in->last, in->returns);

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (in->value != (Datum) 0)
			money_add_datum(&c->money, in->value);
	}
	ts_changed(s);
}

static void
ts_add_sum(RetSum *s, const RetSum *src)
{
	ts_add_header(s, &src->h);
	for (uint32 i = 0; i < src->cells.n; i++)
	{
		const BuildCell *in = &src->cells.cells[i];
		BuildCell  *c = ts_add_cell(s, in->cell.cohort, in->cell.offset, in->cell.active,
									in->cell.last, in->cell.orders);

		money_merge(&c->money, &in->money);
	}
	ts_changed(s);
}

/* the flat retention_matrix, built once per change in the object's memory */
static struct varlena *
ts_flat(RetSum *s)
{
	if (s->flat == NULL)
	{
		MemoryContext old = state_scratch_begin(&s->hdr);
		RmMatrix	m = s->h;
		struct varlena *v;

		rm_set_cells(&m, &s->cells);
		v = rm_flatten(&m);
		s->flat = MemoryContextAllocExtended(s->hdr.eoh_context, VARSIZE(v), MCXT_ALLOC_HUGE);
		memcpy(s->flat, v, VARSIZE(v));
		state_scratch_end(old);
	}
	return s->flat;
}

static Size
ts_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(ts_flat((RetSum *) eohptr));
}

static void
ts_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	struct varlena *v = ts_flat((RetSum *) eohptr);

	Assert(allocated_size == VARSIZE(v));
	memcpy(result, v, allocated_size);
}

/* s += argument argno: a flat retention_matrix (read with every check), or another sum */
static void
ts_add_datum(RetSum *s, FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) && DatumGetEOHP(d)->eoh_methods == &ts_methods)
		ts_add_sum(s, (RetSum *) DatumGetEOHP(d));
	else
	{
		MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "retention_matrix_sum input",
												  ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(tmp);
		struct varlena *v = PG_DETOAST_DATUM(d);

		ts_add_matrix(s, rm_read(VARDATA(v), VARSIZE(v) - VARHDRSZ));
		MemoryContextSwitchTo(old);
		MemoryContextDelete(tmp);
	}
}

/* retention_matrix_sum_trans(sum, matrix): the transition and combine function */
Datum
retention_matrix_sum_trans(PG_FUNCTION_ARGS)
{
	MemoryContext home = agg_memory_context(fcinfo);
	RetSum	   *s = (RetSum *) sum_in_place(PG_GETARG_DATUM(0), &ts_methods, home);

	if (s == NULL)
	{
		s = ts_create(home);
		ts_add_datum(s, fcinfo, 0);
	}
	ts_add_datum(s, fcinfo, 1);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}
