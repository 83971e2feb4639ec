/*
 * matrix_sum.c
 *		cohort_matrix_sum and order_stats_sum: the final values of disjoint
 *		sets of customers, added up.
 *
 * When no customer is in two of the inputs (each input aggregated a
 * different slice of the customers: a GROUP BY of the customer column or of
 * a function of it, a Citus table distributed by the customer column), every
 * count of cohort_agg's matrix and of order_stats is a sum over customers,
 * and so the sum of the inputs' counts: the result equals the aggregate over
 * all the rows, exactly, while only cells and counters are held, never a
 * customer.  Where customer sets overlap the sums count a customer once per
 * input that holds them; nothing here can tell (the values hold no
 * customers), so the documentation says which groupings are safe
 * (doc/citus.md).
 *
 * Both aggregates take and return their own input type (a strict transition
 * function; the first input is the first state), so Citus can run them on
 * its workers, and their combine function is their transition function.
 * The matrix sums' states are expanded objects (agg_state.h) holding tables
 * of cells with exact money sums, flattened to a matrix when they are read;
 * order_stats_sum's is a plain order_stats value, made anew for each input
 * (it is a few dozen bytes).
 */
#include "matrix_sum.h"

#include "cohort_matrix.h"
#include "order_stats_type.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(cohort_matrix_sum_trans);
PG_FUNCTION_INFO_V1(order_stats_sum_trans);

/*
 * The state to add to in place: our read-write object of these methods in the
 * aggregate's home (from the second input on), else NULL (the first input
 * arrives as a flat value, and is read into a new object).
 */
ExpandedObjectHeader *
sum_in_place(Datum state, const ExpandedObjectMethods *methods, MemoryContext home)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(state)))
		return NULL;
	eoh = DatumGetEOHP(state);
	if (eoh->eoh_methods != methods ||
		(eoh->eoh_context != home && MemoryContextGetParent(eoh->eoh_context) != home))
		return NULL;
	return eoh;
}

/* ---- cohort_matrix_sum ----------------------------------------------------- */

typedef struct MatrixSum
{
	ExpandedObjectHeader hdr;
	MatrixHeader h;
	CellTable	t;
	CohortMatrix *flat;			/* the flat form once asked for, NULL after a change */
} MatrixSum;

static Size ms_get_flat_size(ExpandedObjectHeader *eohptr);
static void ms_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods ms_methods = {
	ms_get_flat_size,
	ms_flatten_into
};

static MatrixSum *
ms_create(MemoryContext parent)
{
	MemoryContext cxt = state_memory_context(parent, "cohort_matrix_sum state");
	MatrixSum  *s = MemoryContextAllocZero(cxt, sizeof(MatrixSum));

	EOH_init_header(&s->hdr, &ms_methods, cxt);
	cell_table_init(&s->t, cxt);
	return s;
}

static void
overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("cohort_matrix_sum count out of range"),
			 errhint("The matrices added up count more than 9223372036854775807 customers, orders or rows.")));
}

/*
 * The header of the sum: the inputs must come from one form of cohort_agg
 * (period, time type, with or without amounts); a matrix of no rows at all
 * (period none) fits any.
 */
static void
ms_add_header(MatrixSum *s, const MatrixHeader *h)
{
	if (pg_add_s64_overflow(s->h.ignored_rows, h->ignored_rows, &s->h.ignored_rows))
		overflow();
	if (h->period_kind == 0)
		return;
	if (s->h.period_kind == 0)
	{
		s->h.period_kind = h->period_kind;
		s->h.time_kind = h->time_kind;
		s->h.flags = h->flags & MATRIX_HAS_REVENUE;
	}
	else if (s->h.period_kind != h->period_kind || s->h.time_kind != h->time_kind ||
			 (s->h.flags & MATRIX_HAS_REVENUE) != (h->flags & MATRIX_HAS_REVENUE))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cohort_matrix_sum cannot add matrices of different periods, time types or amounts"),
				 errdetail("One matrix is by %s of %s %s revenue, another by %s of %s %s revenue.",
						   period_kind_name(s->h.period_kind), time_kind_name(s->h.time_kind),
						   s->h.flags & MATRIX_HAS_REVENUE ? "with" : "without",
						   period_kind_name(h->period_kind), time_kind_name(h->time_kind),
						   h->flags & MATRIX_HAS_REVENUE ? "with" : "without"),
				 errhint("Add up the matrices of one cohort_agg call, grouped by the customer column.")));
	if (h->flags & MATRIX_HAS_ROWS)
	{
		if (!(s->h.flags & MATRIX_HAS_ROWS) || h->latest_at > s->h.latest_at)
			s->h.latest_at = h->latest_at;
		s->h.flags |= MATRIX_HAS_ROWS;
	}
	s->h.revenue_dscale = Max(s->h.revenue_dscale, h->revenue_dscale);
}

static void
ms_add_cell(MatrixSum *s, const CohortCell *c, Datum revenue, const MoneySum *money)
{
	BuildCell  *d = cell_at(&s->t, c->cohort, c->offset, true);

	if (pg_add_s64_overflow(d->cell.active, c->active, &d->cell.active) ||
		pg_add_s64_overflow(d->cell.active_prev, c->active_prev, &d->cell.active_prev) ||
		pg_add_s64_overflow(d->cell.last, c->last, &d->cell.last) ||
		pg_add_s64_overflow(d->cell.orders, c->orders, &d->cell.orders))
		overflow();
	if (money)
		money_merge(&d->money, money);
	else if (revenue != (Datum) 0)
		money_add_datum(&d->money, revenue);
}

static void
ms_changed(MatrixSum *s)
{
	if (s->flat)
		pfree(s->flat);
	s->flat = NULL;
}

static void
ms_add_matrix(MatrixSum *s, const CohortMatrix *m)
{
	MatrixHeader h;

	h.period_kind = m->period_kind;
	h.time_kind = m->time_kind;
	h.flags = m->flags;
	h.revenue_dscale = m->revenue_dscale;
	h.latest_at = m->latest_at;
	h.ignored_rows = m->ignored_rows;
	ms_add_header(s, &h);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		Numeric		revenue = cell_revenue(m, &m->cells[i]);

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		ms_add_cell(s, &m->cells[i], revenue ? NumericGetDatum(revenue) : (Datum) 0, NULL);
	}
	ms_changed(s);
}

static void
ms_add_sum(MatrixSum *s, const MatrixSum *src)
{
	ms_add_header(s, &src->h);
	for (uint32 i = 0; i < src->t.n; i++)
		ms_add_cell(s, &src->t.cells[i].cell, (Datum) 0, &src->t.cells[i].money);
	ms_changed(s);
}

static bool
is_matrix_sum(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &ms_methods;
}

/* s += a cohort_matrix datum: flat, or another sum's expanded object */
static void
ms_add_datum(MatrixSum *s, Datum d)
{
	CohortMatrix *m;

	if (is_matrix_sum(d))
	{
		ms_add_sum(s, (MatrixSum *) DatumGetEOHP(d));
		return;
	}
	m = (CohortMatrix *) PG_DETOAST_DATUM(d);
	ms_add_matrix(s, m);
	if ((Pointer) m != DatumGetPointer(d))
		pfree(m);
}

/* the flat cohort_matrix, built once per change in the object's memory */
static CohortMatrix *
ms_flat(MatrixSum *s)
{
	if (s->flat == NULL)
	{
		MemoryContext old = state_scratch_begin(&s->hdr);
		CohortMatrix *m = matrix_from_cells(&s->h, &s->t);

		s->flat = MemoryContextAllocExtended(s->hdr.eoh_context, VARSIZE(m), MCXT_ALLOC_HUGE);
		memcpy(s->flat, m, VARSIZE(m));
		state_scratch_end(old);
	}
	return s->flat;
}

static Size
ms_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(ms_flat((MatrixSum *) eohptr));
}

static void
ms_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CohortMatrix *m = ms_flat((MatrixSum *) eohptr);

	Assert(allocated_size == VARSIZE(m));
	memcpy(result, m, allocated_size);
}

/* cohort_matrix_sum_trans(sum, matrix): the transition and combine function */
Datum
cohort_matrix_sum_trans(PG_FUNCTION_ARGS)
{
	MemoryContext home = agg_memory_context(fcinfo);
	Datum		state = PG_GETARG_DATUM(0);
	MatrixSum  *s = (MatrixSum *) sum_in_place(state, &ms_methods, home);

	if (s == NULL)
	{
		s = ms_create(home);
		ms_add_datum(s, state);
	}
	ms_add_datum(s, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

/* ---- order_stats_sum ------------------------------------------------------- */

/*
 * order_stats_sum_trans(a, b): the order_stats of the customers of a and of
 * b together, when no customer is in both.  A value of no orders (time none)
 * fits any time type.
 */
Datum
order_stats_sum_trans(PG_FUNCTION_ARGS)
{
	OrderStats *a = PG_GETARG_ORDER_STATS(0);
	OrderStats *b = PG_GETARG_ORDER_STATS(1);
	Numeric		ra = order_stats_revenue(a);
	Numeric		rb = order_stats_revenue(b);
	OrderStats	f;
	Numeric		revenue = NULL;

	if (a->time_kind != TIME_NONE && b->time_kind != TIME_NONE && a->time_kind != b->time_kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("order_stats_sum cannot add order_stats of different time types"),
				 errdetail("One is of %s, another of %s.", time_kind_name(a->time_kind),
						   time_kind_name(b->time_kind)),
				 errhint("Add up the values of one order_stats call, grouped by the customer column.")));
	memset(&f, 0, sizeof(f));
	if (pg_add_s64_overflow(a->customers, b->customers, &f.customers) ||
		pg_add_s64_overflow(a->orders, b->orders, &f.orders) ||
		pg_add_s64_overflow(a->repeat_customers, b->repeat_customers, &f.repeat_customers) ||
		pg_add_s64_overflow(a->ignored_rows, b->ignored_rows, &f.ignored_rows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order_stats_sum count out of range"),
				 errhint("The values added up count more than 9223372036854775807 customers, orders or rows.")));
	f.time_kind = a->time_kind != TIME_NONE ? a->time_kind : b->time_kind;
	/* the first and last order of the values that have orders */
	if (a->orders > 0 && b->orders > 0)
	{
		f.first_at = Min(a->first_at, b->first_at);
		f.last_at = Max(a->last_at, b->last_at);
	}
	else if (a->orders > 0 || b->orders > 0)
	{
		f.first_at = a->orders > 0 ? a->first_at : b->first_at;
		f.last_at = a->orders > 0 ? a->last_at : b->last_at;
	}
	/* revenue: numeric addition is exact; the scale is the larger, as sum()'s */
	if (ra && rb)
		revenue = DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(ra), NumericGetDatum(rb)));
	else
		revenue = ra ? ra : rb;
	PG_RETURN_POINTER(order_stats_assemble(&f, revenue));
}
