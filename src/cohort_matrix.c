/*
 * cohort_matrix.c
 *		The cohort_matrix summary: counting the cells from a cohort_agg state,
 *		text and binary I/O, validation.
 *
 * Text form (one line; DateStyle- and TimeZone-independent):
 *   v1 period=month time=timestamptz revenue=numeric
 *      latest_order_at=2024-03-05T10:00:00Z ignored_rows=0 cells=2
 *      2024-01-01+0:3,0,1,4,100.00 2024-01-01+1:2,2,2,2,30.50
 * one "cohort+offset:active,active_prev,last,orders[,revenue]" per cell, the
 * cohort as the date its period starts; "revenue=none" and no revenue field
 * when the aggregate had no amounts; "period=none time=none
 * latest_order_at=none" for an aggregate that saw no rows at all.
 */
#include "cohort_matrix.h"

#include "flat_io.h"
#include "text_io.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(cohort_matrix_in);
PG_FUNCTION_INFO_V1(cohort_matrix_out);
PG_FUNCTION_INFO_V1(cohort_matrix_recv);
PG_FUNCTION_INFO_V1(cohort_matrix_send);
PG_FUNCTION_INFO_V1(cohort_matrix_customers);
PG_FUNCTION_INFO_V1(cohort_matrix_ignored_rows);
PG_FUNCTION_INFO_V1(cohort_matrix_last_order_at);

#define TYPE_NAME "cohort_matrix"

/* A matrix being put together: cells with revenue datums. */
typedef struct CellIn
{
	CohortCell	cell;			/* revenue_at unused */
	Datum		revenue;		/* numeric, when the matrix has revenue */
} CellIn;

static CohortMatrix *
matrix_assemble(const MatrixHeader *h, const CellIn *cells, uint32 n)
{
	Size		size = offsetof(CohortMatrix, cells);
	CohortMatrix *m;
	char	   *p;

	size = add_size(size, mul_size(n, sizeof(CohortCell)));
	if (h->flags & MATRIX_HAS_REVENUE)
		for (uint32 i = 0; i < n; i++)
			size = add_size(size, INTALIGN(VARSIZE(DatumGetPointer(cells[i].revenue))));
	budget_check_flat_size(size);
	m = palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(m, size);
	m->version = COHORT_MATRIX_VERSION;
	m->period_kind = h->period_kind;
	m->time_kind = h->time_kind;
	m->flags = h->flags;
	m->revenue_dscale = h->revenue_dscale;
	m->ncells = n;
	m->latest_at = h->latest_at;
	m->ignored_rows = h->ignored_rows;
	p = (char *) &m->cells[n];
	for (uint32 i = 0; i < n; i++)
	{
		m->cells[i] = cells[i].cell;
		m->cells[i].revenue_at = 0;
		m->cells[i].reserved = 0;
		if (h->flags & MATRIX_HAS_REVENUE)
		{
			struct varlena *v = (struct varlena *) DatumGetPointer(cells[i].revenue);

			m->cells[i].revenue_at = (uint32) (p - (char *) m);
			memcpy(p, v, VARSIZE(v));
			p += INTALIGN(VARSIZE(v));
		}
	}
	return m;
}

/* ---- counting the cells of a state ------------------------------------- */

/*
 * The cell (cohort, offset) of a table of cells being counted, added when
 * create (else a damaged state's stray amount: an error).  Its memory comes
 * from t->budget.cxt, unaccounted: a table holds at most one cell per
 * (cohort, period) pair.
 */
BuildCell *
cell_at(CellTable *t, int32 cohort, int32 offset, bool create)
{
	KeyEntry	probe;
	KeyEntry   *e;
	bool		found;

	/* (cohort, offset) as one 64-bit key; cohorts before 2000 are negative */
	key_probe_int(&probe, (int64) (((uint64) (uint32) cohort << 32) | (uint32) offset));
	probe.payload = t->n;
	e = kt_insert(&t->index, &probe, &found);
	if (!found)
	{
		/* amounts and lines of a (damaged) state must belong to a known cell */
		if (!create)
			flat_corrupt("an amount or order line without its customer's period");
		if (t->n == t->size)
		{
			uint32		size = t->size ? 2 * t->size : 64;
			BuildCell  *grown = MemoryContextAllocExtended(t->budget.cxt, sizeof(BuildCell) * (Size) size,
													   MCXT_ALLOC_HUGE);

			if (t->cells)
			{
				memcpy(grown, t->cells, sizeof(BuildCell) * t->n);
				pfree(t->cells);
			}
			t->cells = grown;
			t->size = size;
		}
		memset(&t->cells[t->n], 0, sizeof(BuildCell));
		t->cells[t->n].cell.cohort = cohort;
		t->cells[t->n].cell.offset = offset;
		money_init(&t->cells[t->n].money, t->budget.cxt);
		t->n++;
	}
	return &t->cells[e->payload];
}

static int
cell_cmp(const void *a, const void *b)
{
	const CohortCell *x = &((const CellIn *) a)->cell;
	const CohortCell *y = &((const CellIn *) b)->cell;

	if (x->cohort != y->cohort)
		return x->cohort < y->cohort ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * One sequential pass over the nodes: each is one (customer, period) with
 * activity, and knows its customer (whose cohort the customers table holds),
 * whether it is the customer's latest period and whether the customer was
 * active in the period before.  Then the amounts kept aside and, for order
 * lines, the distinct (order, cohort, period) triples.
 */
static void
count_cells(CohortState *s, CellTable *t)
{
	int32	   *cohort_of = palloc_extended(sizeof(int32) * Max(s->c.customers.nentries, 1), MCXT_ALLOC_HUGE);
	int32		min_period = PG_INT32_MAX;
	int32		max_period = PG_INT32_MIN;
	int64		span;
	uint32	   *dense = NULL;
	CohortNodeIter it;

	cs_sort_customers(s);
	for (KeyEntry *e = kt_first(&s->c.customers); e; e = kt_next(&s->c.customers, e))
		cohort_of[e->ordinal] = COHORT_OF(e->payload);
	for (cs_nodes_begin(&it, s); cs_nodes_next(&it);)
	{
		min_period = Min(min_period, it.period);
		max_period = Max(max_period, it.period);
	}
	span = (int64) max_period - min_period + 1;
	if (min_period <= max_period && dense_cells_pay(span, s->nnodes - s->ndead))
		dense = palloc0(sizeof(uint32) * span * span);

	for (cs_nodes_begin(&it, s); cs_nodes_next(&it);)
	{
		int32		cohort = cohort_of[it.customer];
		BuildCell  *c;

		/* a spilling state's customer with rows on disk is counted by its partition */
		if (unlikely(s->c.on_disk != NULL) && cs_on_disk(s, it.customer))
			continue;
		if (unlikely(cohort < min_period || cohort > it.period))
			elog(ERROR, "cohort_agg node of customer %u in period %d before its cohort %d (first period %d)",
				 it.customer, it.period, cohort, min_period);
		if (dense)
		{
			uint32	   *slot = &dense[(cohort - min_period) * span + (it.period - min_period)];

			if (*slot == 0)
			{
				/* cell_at may move the cells: take the position after it returns */
				BuildCell  *added = cell_at(t, cohort, it.period - cohort, true);

				*slot = (uint32) (added - t->cells) + 1;
			}
			c = &t->cells[*slot - 1];
		}
		else
			c = cell_at(t, cohort, it.period - cohort, true);
		c->cell.active++;
		c->cell.orders += it.orders;
		if (it.follows)
			c->cell.active_prev++;
		if (it.latest)
			c->cell.last++;
		if (s->c.flags & COHORT_HAS_AMOUNT)
			money_add_units(&c->money, it.amount, 1, s->max_dscale);
	}
	if (dense)
		pfree(dense);

	for (uint32 i = 0; i < s->nexceptions; i++)
	{
		const CohortException *x = &s->exceptions[i];
		int32		cohort = cohort_of[x->customer];

		if (cs_on_disk(s, x->customer))
			continue;
		if (x->period < cohort)
			flat_corrupt("an amount before its customer's first period");
		money_add_datum(&cell_at(t, cohort, x->period - cohort, false)->money,
						PointerGetDatum(x->amount));
	}

	if (s->c.order_class)
	{
		/* an order shared by two customers of one cohort counts once per cell */
		KeyTable	distinct;

		kt_init(&distinct, &t->budget);
		for (KeyEntry *l = kt_first(&s->lines); l; l = kt_next(&s->lines, l))
		{
			uint32		order = (uint32) l->w0;
			int32		period = (int32) (uint32) l->w1;
			int32		cohort = cohort_of[(uint32) (l->w0 >> 32)];
			KeyEntry	probe;
			bool		found;

			if ((l->ordinal & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (period < cohort)
				flat_corrupt("an order line before its customer's first period");
			line_probe(&probe, order, (uint32) cohort, period);
			kt_insert(&distinct, &probe, &found);
			if (!found)
				cell_at(t, cohort, period - cohort, false)->cell.orders++;
		}
	}
	pfree(cohort_of);
}

/*
 * Count the cells of a state that may have spilled (state_spill.h): those of
 * its customers in memory, then those of each partition, read back into a
 * state of its own (which may have spilled in turn).  Every count of a cell
 * is a sum over customers, and each customer is in one place, so the cells
 * add up exactly, as cohort_matrix_sum adds matrices.
 */
static void count_partition_cells(CustomerState *ps, void *t);

static void
count_all_cells(CohortState *s, CellTable *t)
{
	StateSpill *sp = s->c.spill;

	/* the rows parked in the batch first (a partition read back has not applied them) */
	cs_flush(s);
	/* customers in memory with rows on disk too are counted by their partitions */
	count_cells(s, t);
	if (sp == NULL)
		return;
	spill_report(sp);
	cs_for_each_partition(s, count_partition_cells, t);
}

static void
count_partition_cells(CustomerState *ps, void *t)
{
	count_all_cells((CohortState *) ps, (CellTable *) t);
}

/* A matrix without cells; kinds 0 when unknown. */
CohortMatrix *
cohort_matrix_empty(PeriodKind period_kind, TimeKind time_kind, bool has_revenue)
{
	MatrixHeader h;

	memset(&h, 0, sizeof(h));
	h.period_kind = period_kind;
	h.time_kind = time_kind;
	h.flags = has_revenue ? MATRIX_HAS_REVENUE : 0;
	return matrix_assemble(&h, NULL, 0);
}

CohortMatrix *
cohort_matrix_from_state(CohortState *s)
{
	MatrixHeader h;
	CellTable	t;

	memset(&h, 0, sizeof(h));
	cs_flush(s);
	h.period_kind = s->period_kind;
	h.time_kind = s->c.time_kind;
	h.flags = (s->c.flags & COHORT_HAS_AMOUNT ? MATRIX_HAS_REVENUE : 0) |
		(s->c.rows > 0 ? MATRIX_HAS_ROWS : 0);
	h.revenue_dscale = s->max_dscale;
	h.latest_at = s->c.rows > 0 ? s->c.max_at : 0;
	h.ignored_rows = s->c.ignored_rows;

	cell_table_init(&t, CurrentMemoryContext);
	count_all_cells(s, &t);
	return matrix_from_cells(&h, &t);
}

void
cell_table_init(CellTable *t, MemoryContext cxt)
{
	memset(t, 0, sizeof(*t));
	t->budget.cxt = cxt;
	kt_init(&t->index, &t->budget);
}

/*
 * The matrix of the counted cells, in CurrentMemoryContext; the table is left
 * as it is (its cells in the order they were added).
 */
CohortMatrix *
matrix_from_cells(const MatrixHeader *h, const CellTable *t)
{
	CellIn	   *cells = palloc_extended(sizeof(CellIn) * Max(t->n, 1), MCXT_ALLOC_HUGE);

	for (uint32 i = 0; i < t->n; i++)
	{
		cells[i].cell = t->cells[i].cell;
		if (h->flags & MATRIX_HAS_REVENUE)
		{
			/* every cell has the scale of the largest amount, as one sum() would */
			MoneySum	money = t->cells[i].money;

			money.max_dscale = h->revenue_dscale;
			cells[i].revenue = money_result(&money);
		}
	}
	qsort(cells, t->n, sizeof(CellIn), cell_cmp);
	return matrix_assemble(h, cells, t->n);
}

/* ---- validation (input functions) ------------------------------------------ */

static void
check_failed(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid %s value", TYPE_NAME),
			 errdetail("%s", detail)));
}

/* Check what the text and binary input read, before anything is built. */
static void
matrix_check(const MatrixHeader *h, const CellIn *cells, uint32 n, int sqlstate)
{
	int64		size = 0;
	int64		last_sum = 0;
	int64		max_period = PG_INT64_MIN;

	if (h->period_kind > PERIOD_KIND_MAX || h->time_kind > TIME_DATE)
		check_failed(sqlstate, "unknown period or time type");
	if ((h->period_kind == 0) != (h->time_kind == 0))
		check_failed(sqlstate, "period and time must both be none or both be known");
	if ((h->flags & ~(MATRIX_HAS_REVENUE | MATRIX_HAS_ROWS)) != 0)
		check_failed(sqlstate, "unknown flags");
	if (h->ignored_rows < 0)
		check_failed(sqlstate, "ignored_rows must not be negative");
	if (h->revenue_dscale < 0 || h->revenue_dscale > NUMERIC_MAX_DISPLAY_SCALE ||
		(!(h->flags & MATRIX_HAS_REVENUE) && h->revenue_dscale != 0))
		check_failed(sqlstate, "invalid revenue scale");
	if (h->period_kind == 0 && (n > 0 || h->flags != 0))
		check_failed(sqlstate, "a matrix without a period has no cells");
	if (((h->flags & MATRIX_HAS_ROWS) != 0) != (n > 0))
		check_failed(sqlstate, "latest_order_at must be given exactly when there are cells");
	if (h->flags & MATRIX_HAS_ROWS)
	{
		if (!IS_VALID_TIMESTAMP(h->latest_at))
			check_failed(sqlstate, "latest_order_at out of range");
		if (h->time_kind == TIME_DATE && h->latest_at % USECS_PER_DAY != 0)
			check_failed(sqlstate, "date times must be whole days");
	}
	else if (h->latest_at != 0)
		check_failed(sqlstate, "latest_order_at without cells");

	for (uint32 i = 0; i < n; i++)
	{
		const CohortCell *c = &cells[i].cell;
		const CohortCell *prev = i > 0 ? &cells[i - 1].cell : NULL;
		bool		new_cohort = prev == NULL || prev->cohort != c->cohort;

		if (!period_is_valid(h->period_kind, c->cohort) || c->offset < 0 ||
			!period_is_valid(h->period_kind, (int32) Min((int64) c->cohort + c->offset, PG_INT32_MAX)))
			check_failed(sqlstate, "cell period out of range");
		if (prev && (c->cohort < prev->cohort || (c->cohort == prev->cohort && c->offset <= prev->offset)))
			check_failed(sqlstate, "cells must be sorted by cohort and offset, without duplicates");
		if (new_cohort)
		{
			if (prev && last_sum != size)
				check_failed(sqlstate, "the customers' last periods do not add up to the cohort size");
			if (c->offset != 0)
				check_failed(sqlstate, "every cohort needs a cell at offset 0");
			size = c->active;
			last_sum = 0;
		}
		if (c->active < 1 || c->orders < 1 || c->active > size ||
			c->active_prev < 0 || c->active_prev > c->active ||
			c->last < 0 || c->last > c->active)
			check_failed(sqlstate, "cell counts out of range");
		if (c->active_prev > 0 &&
			(new_cohort || prev->offset != c->offset - 1 || c->active_prev > prev->active))
			check_failed(sqlstate, "active_prev exceeds the customers active in the previous period");
		/* customers active at k have not had their last period before k */
		if (c->active > size - last_sum)
			check_failed(sqlstate, "more customers active than have orders from this period on");
		if (c->last > size - last_sum)
			check_failed(sqlstate, "the customers' last periods exceed the cohort size");
		last_sum += c->last;
		max_period = Max(max_period, (int64) c->cohort + c->offset);
	}
	if (n > 0 && last_sum != size)
		check_failed(sqlstate, "the customers' last periods do not add up to the cohort size");
	if (n > 0)
	{
		/*
		 * The latest order lies in the last period with activity.  For
		 * timestamptz that period depends on the TimeZone the matrix was
		 * built in, whose local date is within a day of the UTC date.
		 */
		int			slack = h->time_kind == TIME_TIMESTAMPTZ ? 1 : 0;
		DateADT		date = local_date_of(h->latest_at);

		if (max_period < period_of_date(h->period_kind, date - slack) ||
			max_period > period_of_date(h->period_kind, date + slack))
			check_failed(sqlstate, "the last period with activity is not the period of latest_order_at");
	}
}

/* ---- text I/O --------------------------------------------------------------- */

static void
invalid(const char *detail)
{
	text_invalid(TYPE_NAME, detail);
}

static void
append_period_date(StringInfo buf, PeriodKind kind, int32 period)
{
	append_time(buf, (int64) period_start_date(kind, period) * USECS_PER_DAY, TIME_DATE);
}

Datum
cohort_matrix_out(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_MATRIX(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d period=%s time=%s revenue=%s latest_order_at=",
					 COHORT_MATRIX_VERSION,
					 m->period_kind ? period_kind_name(m->period_kind) : "none",
					 m->time_kind ? time_kind_name(m->time_kind) : "none",
					 m->flags & MATRIX_HAS_REVENUE ? "numeric" : "none");
	if (m->flags & MATRIX_HAS_ROWS)
		append_time(&buf, m->latest_at, m->time_kind);
	else
		appendStringInfoString(&buf, "none");
	appendStringInfo(&buf, " ignored_rows=" INT64_FORMAT " cells=%u", m->ignored_rows, m->ncells);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const CohortCell *c = &m->cells[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoChar(&buf, ' ');
		append_period_date(&buf, m->period_kind, c->cohort);
		appendStringInfo(&buf, "+%d:" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT,
						 c->offset, c->active, c->active_prev, c->last, c->orders);
		if (cell_revenue(m, c))
			appendStringInfo(&buf, ",%s",
							 DatumGetCString(DirectFunctionCall1(numeric_out,
																 NumericGetDatum(cell_revenue(m, c)))));
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Split off the text up to the next sep (or the end, when sep is 0). */
static char *
take(char **cursor, char sep, const char *what)
{
	char	   *start = *cursor;
	char	   *end = sep ? strchr(start, sep) : start + strlen(start);

	/* the last cell ends the value */
	if (end == NULL && sep == ' ')
		end = start + strlen(start);
	if (end == NULL || end == start)
		invalid(psprintf("expected %s", what));
	if (*end)
		*end++ = '\0';
	*cursor = end;
	return start;
}

static int64
parse_signed(const char *text)
{
	if (text[0] == '-')
		return -parse_count(TYPE_NAME, text + 1);
	return parse_count(TYPE_NAME, text);
}

static void
parse_cell(char *text, const MatrixHeader *h, CellIn *out)
{
	char	   *cursor = text;
	int64		date_micros;
	DateADT		date;
	int64		offset;

	date_micros = parse_time(TYPE_NAME, take(&cursor, '+', "cohort+offset:"), TIME_DATE);
	date = (DateADT) (date_micros / USECS_PER_DAY);
	out->cell.cohort = period_of_date(h->period_kind, date);
	if (period_start_date(h->period_kind, out->cell.cohort) != date)
		invalid(psprintf("%s is not the first day of a %s", text, period_kind_name(h->period_kind)));
	offset = parse_signed(take(&cursor, ':', "offset"));
	if (offset < 0 || offset > PG_INT32_MAX)
		invalid("offset out of range");
	out->cell.offset = (int32) offset;
	out->cell.active = parse_signed(take(&cursor, ',', "active"));
	out->cell.active_prev = parse_signed(take(&cursor, ',', "active_prev"));
	out->cell.last = parse_signed(take(&cursor, ',', "last"));
	if (h->flags & MATRIX_HAS_REVENUE)
	{
		out->cell.orders = parse_signed(take(&cursor, ',', "orders"));
		out->revenue = DirectFunctionCall3(numeric_in, CStringGetDatum(take(&cursor, 0, "revenue")),
										   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	}
	else
		out->cell.orders = parse_signed(take(&cursor, 0, "orders"));
	if (*cursor != '\0')
		invalid("unexpected text after a cell");
}

/* A numeric's display scale (0 for NaN and infinities). */
static int
numeric_dscale_of(Datum value)
{
	int64		units;
	int			dscale;

	(void) money_units64(value, &units, &dscale);
	return Max(dscale, 0);
}

static uint8
parse_kind(const char *value, const char *const *names, int nnames, const char *what)
{
	if (strcmp(value, "none") == 0)
		return 0;
	for (int i = 1; i < nnames; i++)
		if (strcmp(value, names[i]) == 0)
			return (uint8) i;
	invalid(psprintf("unknown %s \"%s\"", what, value));
	return 0;
}

Datum
cohort_matrix_in(PG_FUNCTION_ARGS)
{
	static const char *const periods[] = {NULL, "day", "week", "month", "quarter", "year"};
	static const char *const times[] = {NULL, "timestamptz", "timestamp", "date"};
	char	   *input = pstrdup(PG_GETARG_CSTRING(0));
	char	   *cursor = input;
	MatrixHeader h;
	char	   *value;
	int64		ncells;
	CellIn	   *cells;
	CohortMatrix *m;

	memset(&h, 0, sizeof(h));
	if (strncmp(cursor, "v1 ", 3) != 0)
		invalid("the value must start with the format version \"v1\"");
	cursor += 3;
	h.period_kind = parse_kind(next_field(TYPE_NAME, &cursor, "period"), periods, 6, "period");
	h.time_kind = parse_kind(next_field(TYPE_NAME, &cursor, "time"), times, 4, "time type");
	value = next_field(TYPE_NAME, &cursor, "revenue");
	if (strcmp(value, "numeric") == 0)
		h.flags |= MATRIX_HAS_REVENUE;
	else if (strcmp(value, "none") != 0)
		invalid("revenue must be numeric or none");
	value = next_field(TYPE_NAME, &cursor, "latest_order_at");
	if (strcmp(value, "none") != 0)
	{
		if (h.time_kind == 0)
			invalid("latest_order_at needs a time type");
		h.latest_at = parse_time(TYPE_NAME, value, h.time_kind);
		h.flags |= MATRIX_HAS_ROWS;
	}
	h.ignored_rows = parse_count(TYPE_NAME, next_field(TYPE_NAME, &cursor, "ignored_rows"));
	ncells = parse_count(TYPE_NAME, next_field(TYPE_NAME, &cursor, "cells"));
	/* every cell takes at least 19 characters of the input */
	if (ncells > (int64) (strlen(PG_GETARG_CSTRING(0)) / 19))
		invalid("more cells announced than the value holds");
	cells = palloc_extended(sizeof(CellIn) * Max(ncells, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int64 i = 0; i < ncells; i++)
	{
		char	   *cell;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (cursor == NULL || *cursor == '\0')
			invalid("fewer cells than announced");
		cell = take(&cursor, ' ', "a cell");
		if (h.period_kind == 0)
			invalid("a matrix without a period has no cells");
		parse_cell(cell, &h, &cells[i]);
	}
	if (cursor != NULL && *cursor != '\0')
		invalid("unexpected text after the cells");
	/* the text form writes every revenue with the matrix's scale */
	if (h.flags & MATRIX_HAS_REVENUE)
		for (int64 i = 0; i < ncells; i++)
			h.revenue_dscale = Max(h.revenue_dscale, numeric_dscale_of(cells[i].revenue));
	matrix_check(&h, cells, (uint32) ncells, ERRCODE_INVALID_TEXT_REPRESENTATION);
	m = matrix_assemble(&h, cells, (uint32) ncells);
	PG_RETURN_POINTER(m);
}

/* ---- binary I/O ------------------------------------------------------------- */

Datum
cohort_matrix_send(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_MATRIX(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, m->version);
	pq_sendint8(&buf, m->period_kind);
	pq_sendint8(&buf, m->time_kind);
	pq_sendint8(&buf, m->flags);
	pq_sendint32(&buf, m->revenue_dscale);
	pq_sendint64(&buf, m->latest_at);
	pq_sendint64(&buf, m->ignored_rows);
	pq_sendint32(&buf, m->ncells);
	for (uint32 i = 0; i < m->ncells; i++)
	{
		const CohortCell *c = &m->cells[i];

		pq_sendint32(&buf, c->cohort);
		pq_sendint32(&buf, c->offset);
		pq_sendint64(&buf, c->active);
		pq_sendint64(&buf, c->active_prev);
		pq_sendint64(&buf, c->last);
		pq_sendint64(&buf, c->orders);
		if (cell_revenue(m, c))
		{
			bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
																NumericGetDatum(cell_revenue(m, c))));

			pq_sendint32(&buf, VARSIZE_ANY_EXHDR(b));
			pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_need(StringInfo buf, Size n)
{
	if ((Size) (buf->len - buf->cursor) < n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cohort_matrix value: truncated")));
}

Datum
cohort_matrix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	MatrixHeader h;
	uint8		version;
	uint32		ncells;
	CellIn	   *cells;

	memset(&h, 0, sizeof(h));
	recv_need(buf, 4 + 4 + 8 + 8 + 4);
	version = pq_getmsgint(buf, 1);
	if (version != COHORT_MATRIX_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cohort_matrix value: unknown format version %d", version)));
	h.period_kind = pq_getmsgint(buf, 1);
	h.time_kind = pq_getmsgint(buf, 1);
	h.flags = pq_getmsgint(buf, 1);
	h.revenue_dscale = pq_getmsgint(buf, 4);
	h.latest_at = pq_getmsgint64(buf);
	h.ignored_rows = pq_getmsgint64(buf);
	ncells = pq_getmsgint(buf, 4);
	/* check the count against the bytes left before allocating */
	if ((uint64) ncells * (8 + 4 * 8 + (h.flags & MATRIX_HAS_REVENUE ? 4 : 0)) >
		(uint64) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cohort_matrix value: more cells announced than the value holds")));
	cells = palloc_extended(sizeof(CellIn) * Max(ncells, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (uint32 i = 0; i < ncells; i++)
	{
		CohortCell *c = &cells[i].cell;

		recv_need(buf, 8 + 4 * 8);
		c->cohort = pq_getmsgint(buf, 4);
		c->offset = pq_getmsgint(buf, 4);
		c->active = pq_getmsgint64(buf);
		c->active_prev = pq_getmsgint64(buf);
		c->last = pq_getmsgint64(buf);
		c->orders = pq_getmsgint64(buf);
		if (h.flags & MATRIX_HAS_REVENUE)
		{
			int			len;

			recv_need(buf, 4);
			len = pq_getmsgint(buf, 4);
			if (len < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid cohort_matrix value: negative length")));
			recv_need(buf, len);
			cells[i].revenue = flat_numeric(pq_getmsgbytes(buf, len), len);
		}
	}
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid cohort_matrix value: unexpected bytes after the cells")));
	matrix_check(&h, cells, ncells, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(matrix_assemble(&h, cells, ncells));
}

/* ---- scalar accessors ------------------------------------------------------- */

/* Customers counted: the sum of the cohort sizes (the cells at offset 0). */
Datum
cohort_matrix_customers(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_MATRIX(0);
	int64		customers = 0;

	for (uint32 i = 0; i < m->ncells; i++)
		if (m->cells[i].offset == 0)
			customers += m->cells[i].active;
	PG_RETURN_INT64(customers);
}

Datum
cohort_matrix_ignored_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_COHORT_MATRIX(0)->ignored_rows);
}

Datum
cohort_matrix_last_order_at(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_MATRIX(0);

	if (!(m->flags & MATRIX_HAS_ROWS))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(time_micros_to_tstz(m->latest_at, m->time_kind));
}
