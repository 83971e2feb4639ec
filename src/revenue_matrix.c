/*
 * revenue_matrix.c
 *		The revenue_matrix summary: its movements, cohorts and trailing pairs
 *		counted from a cohort_agg state, and its flat form, read back with
 *		every invariant checked.
 *
 * revenue_agg shares cohort_agg's transition state (cohort_state.h): per
 * customer, one node per period with rows, holding the exact sum of the
 * amounts.  The final step walks each customer's periods in order once.
 *
 * Text form: "\x" and the hexadecimal bytes of the flat form, as the states'.
 */
#include "revenue_matrix.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(revenue_matrix_in);
PG_FUNCTION_INFO_V1(revenue_matrix_out);
PG_FUNCTION_INFO_V1(revenue_matrix_recv);
PG_FUNCTION_INFO_V1(revenue_matrix_send);

#define TYPE_NAME "revenue_matrix"

/* ---- numeric helpers ------------------------------------------------------- */

static inline int
num_cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

static inline Datum
num_add(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

static inline Datum
num_sub(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_sub, a, b);
}

/* ---- building from a state --------------------------------------------------- */

/* R(c, p) of one customer: units of 10^-8, or a numeric when amounts did not fit */
typedef struct RevValue
{
	int32		period;
	int64		units;
	Datum		slow;			/* numeric, or 0 */
} RevValue;

typedef struct BuildPeriod
{
	int64		customers[MOVE_COUNT];
	MoneySum	money[MOVE_COUNT];
} BuildPeriod;

/* Cells by (a, b): a dense index when the span allows, else a hash table. */
typedef struct CellSet
{
	MemBudget	budget;
	KeyTable	index;
	uint32	   *dense;			/* (a - amin) * width + b -> position + 1 */
	int32		amin;
	int32		width;
	RevenueCell  *cells;
	uint32		n;
	uint32		size;
} CellSet;

#define DENSE_SLOTS_MAX (1 << 22)

static void
cellset_init(CellSet *t, int32 amin, int64 rows, int32 width)
{
	memset(t, 0, sizeof(*t));
	t->budget.cxt = CurrentMemoryContext;
	kt_init(&t->index, &t->budget);
	t->amin = amin;
	t->width = width;
	if (rows * width <= DENSE_SLOTS_MAX)
		t->dense = palloc0(sizeof(uint32) * rows * width);
}

static RevenueCell *
cellset_add(CellSet *t, int32 a, int32 b)
{
	RevenueCell  *c;

	if (t->n == t->size)
	{
		uint32		size = t->size ? 2 * t->size : 64;
		RevenueCell  *grown;

		budget_check_flat_size(sizeof(RevenueCell) * (Size) size);
		grown = palloc_extended(sizeof(RevenueCell) * (Size) size, MCXT_ALLOC_HUGE);
		if (t->cells)
		{
			memcpy(grown, t->cells, sizeof(RevenueCell) * t->n);
			pfree(t->cells);
		}
		t->cells = grown;
		t->size = size;
	}
	c = &t->cells[t->n++];
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	money_init(&c->m1, CurrentMemoryContext);
	money_init(&c->m2, CurrentMemoryContext);
	return c;
}

static RevenueCell *
cellset_get(CellSet *t, int32 a, int32 b)
{
	KeyEntry	probe;
	KeyEntry   *e;
	bool		found;

	if (t->dense)
	{
		uint32	   *slot = &t->dense[(int64) (a - t->amin) * t->width + b];

		if (*slot == 0)
		{
			cellset_add(t, a, b);
			*slot = t->n;
		}
		return &t->cells[*slot - 1];
	}
	key_probe_int(&probe, (int64) (((uint64) (uint32) a << 32) | (uint32) b));
	probe.payload = t->n;
	e = kt_insert(&t->index, &probe, &found);
	if (!found)
		cellset_add(t, a, b);
	return &t->cells[e->payload];
}

/* RevenueCells by (a, b), for qsort */
int
revenue_cell_cmp(const void *x, const void *y)
{
	const RevenueCell *p = x;
	const RevenueCell *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

typedef struct Builder
{
	int32		first;
	int64		span;
	int			dscale;
	BuildPeriod *periods;
	CellSet		cohorts;
	CellSet		lags;
} Builder;

/* v as a numeric with the display scale of the amounts (digits past it are 0) */
static Datum
value_numeric(const RevValue *v, int dscale)
{
	return v->slow ? v->slow : money_numeric(v->units, dscale);
}

static int
value_cmp(const RevValue *x, const RevValue *y, int dscale)
{
	if (!x->slow && !y->slow)
		return x->units < y->units ? -1 : x->units > y->units;
	return num_cmp(value_numeric(x, dscale), value_numeric(y, dscale));
}

static void
add_value(MoneySum *m, const RevValue *v, int dscale)
{
	if (v->slow)
		money_add_numeric(m, v->slow, 1, dscale);
	else
		money_add_units(m, v->units, 1, dscale);
}

/* m += hi - lo, hi > lo > 0 */
static void
add_difference(MoneySum *m, const RevValue *hi, const RevValue *lo, int dscale)
{
	if (hi->slow || lo->slow)
		money_add_numeric(m, num_sub(value_numeric(hi, dscale), value_numeric(lo, dscale)), 1, dscale);
	else
	{
		money_add_units(m, hi->units, 1, dscale);
		money_add_units(m, -lo->units, 0, dscale);
	}
}

static void
move(Builder *b, int32 period, RevenueMove kind, const RevValue *v)
{
	BuildPeriod *p;

	if (period - b->first >= b->span)
		return;					/* churn after the last period: not reported */
	p = &b->periods[period - b->first];
	p->customers[kind]++;
	add_value(&p->money[kind], v, b->dscale);
}

/*
 * One customer's periods with revenue, in order: every movement, cohort cell
 * and trailing pair they take part in.
 */
static void
add_customer(Builder *b, const RevValue *v, uint32 n)
{
	int32		cohort = v[0].period;

	for (uint32 i = 0; i < n; i++)
	{
		int32		p = v[i].period;
		RevenueCell  *c;

		move(b, p, MOVE_END, &v[i]);
		c = cellset_get(&b->cohorts, cohort, p - cohort);
		c->customers++;
		add_value(&c->m1, &v[i], b->dscale);

		if (i == 0)
			move(b, p, MOVE_NEW, &v[i]);
		else if (v[i - 1].period == p - 1)
		{
			int			cmp = value_cmp(&v[i], &v[i - 1], b->dscale);
			BuildPeriod *bp = &b->periods[p - b->first];

			if (cmp > 0)
			{
				bp->customers[MOVE_EXPANSION]++;
				add_difference(&bp->money[MOVE_EXPANSION], &v[i], &v[i - 1], b->dscale);
			}
			else if (cmp < 0)
			{
				bp->customers[MOVE_CONTRACTION]++;
				add_difference(&bp->money[MOVE_CONTRACTION], &v[i - 1], &v[i], b->dscale);
			}
		}
		else
		{
			move(b, p, MOVE_REACTIVATION, &v[i]);
			move(b, v[i - 1].period + 1, MOVE_CHURN, &v[i - 1]);
		}

		for (uint32 j = i; j-- > 0 && p - v[j].period <= REVENUE_MAX_LAG;)
		{
			c = cellset_get(&b->lags, v[j].period, p - v[j].period);
			c->customers++;
			add_value(&c->m1, &v[i], b->dscale);
			add_value(&c->m2, value_cmp(&v[i], &v[j], b->dscale) <= 0 ? &v[i] : &v[j], b->dscale);
		}
	}
	move(b, v[n - 1].period + 1, MOVE_CHURN, &v[n - 1]);
}

static int
exception_cmp(const void *x, const void *y)
{
	const CohortException *p = x;
	const CohortException *q = y;

	if (p->customer != q->customer)
		return p->customer < q->customer ? -1 : 1;
	return p->period < q->period ? -1 : p->period > q->period;
}

/* Add the customer's amounts kept aside (exceptions sorted by customer). */
static void
apply_exceptions(const CohortState *s, uint32 customer, RevValue *v, uint32 n)
{
	uint32		lo = 0;
	uint32		hi = s->nexceptions;

	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;

		if (s->exceptions[mid].customer < customer)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32 i = lo; i < s->nexceptions && s->exceptions[i].customer == customer; i++)
	{
		const CohortException *x = &s->exceptions[i];
		RevValue   *r = NULL;
		Numeric		sum;

		for (uint32 k = 0; k < n; k++)
			if (v[k].period == x->period)
				r = &v[k];
		if (r == NULL)
			flat_corrupt("an amount without its customer's period");
		r->slow = num_add(value_numeric(r, s->max_dscale), PointerGetDatum(x->amount));
		sum = DatumGetNumeric(r->slow);
		if (numeric_is_nan(sum) || numeric_is_inf(sum))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("revenue_agg cannot measure NaN or infinite amounts"),
					 errhint("Leave such rows out of the aggregate (WHERE amount NOT IN ('NaN', 'Infinity', '-Infinity')).")));
	}
}

static bool
value_positive(const RevValue *v)
{
	if (!v->slow)
		return v->units > 0;
	return num_cmp(v->slow, money_numeric(0, 0)) > 0;
}

/* the sum as a numeric with the scale of the amounts, as sum() gives it */
static Datum
money_final(MoneySum *m, int dscale)
{
	m->max_dscale = dscale;
	return money_result(m);
}

/*
 * Add the customers of state s to the matrix being built, but those flagged
 * on disk (a spilling state's customers whose rows partly went to disk: their
 * partitions count them), then those of each partition of a spilled s, read
 * back into a state of its own (which may have spilled in turn).  Every count
 * and sum of the matrix is one over customers, each taken whole, and each
 * customer is in one place: the matrix is exactly that of the state in memory.
 */
static void add_partition(CustomerState *ps, void *arg);

static void
add_customers(Builder *b, CohortState *s)
{
	RevValue   *buf;
	uint32		bufsize = 64;
	uint64		ncustomers = 0;

	cs_flush(s);
	cs_sort_customers(s);
	if (s->nexceptions > 1)
		qsort(s->exceptions, s->nexceptions, sizeof(CohortException), exception_cmp);

	buf = palloc(sizeof(RevValue) * bufsize);
	for (KeyEntry *e = kt_first(&s->c.customers); e; e = kt_next(&s->c.customers, e))
	{
		uint32		n = 0;
		uint32		kept = 0;

		if ((++ncustomers & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (unlikely(s->c.on_disk != NULL) && cs_on_disk(s, e->ordinal))
			continue;
		/* one walk down the chain (latest period first), then into period order */
		for (uint32 node = HEAD_NODE(e->payload); node != NODE_NONE; node = cs_node(s, node)->next)
		{
			const CohortNode *nd = cs_node(s, node);

			if (n == bufsize)
			{
				bufsize *= 2;
				buf = repalloc_huge(buf, sizeof(RevValue) * bufsize);
			}
			buf[n].period = nd->period;
			buf[n].units = nd->amount;
			buf[n].slow = (Datum) 0;
			n++;
		}
		for (uint32 lo = 0, hi = n; lo + 1 < hi; lo++, hi--)
		{
			RevValue	t = buf[lo];

			buf[lo] = buf[hi - 1];
			buf[hi - 1] = t;
		}
		if (s->nexceptions > 0)
			apply_exceptions(s, e->ordinal, buf, n);
		/* a period whose net revenue is not positive is a period without revenue */
		for (uint32 k = 0; k < n; k++)
			if (value_positive(&buf[k]))
				buf[kept++] = buf[k];
		if (kept > 0)
			add_customer(b, buf, kept);
	}
	pfree(buf);
	if (s->c.spill)
	{
		spill_report(s->c.spill);
		cs_for_each_partition(s, add_partition, b);
	}
}

static void
add_partition(CustomerState *ps, void *arg)
{
	add_customers((Builder *) arg, (CohortState *) ps);
}

RevenueMatrix *
revenue_matrix_from_state(CohortState *s)
{
	RevenueMatrix *m = palloc0(sizeof(RevenueMatrix));
	Builder		b;
	int32		min_period = PG_INT32_MAX;
	int32		max_period = PG_INT32_MIN;
	CohortNodeIter it;

	cs_flush(s);
	cs_sort_customers(s);
	m->period_kind = s->period_kind;
	m->time_kind = s->c.time_kind;
	m->flags = s->c.rows > 0 ? REVENUE_HAS_ROWS : 0;
	m->dscale = s->max_dscale;
	m->latest_at = s->c.rows > 0 ? s->c.max_at : 0;
	m->ignored_rows = s->c.ignored_rows;
	m->max_lag = REVENUE_MAX_LAG;
	for (cs_nodes_begin(&it, s); cs_nodes_next(&it);)
	{
		min_period = Min(min_period, it.period);
		max_period = Max(max_period, it.period);
	}
	/* the periods span every row's, those on disk included (their partitions' are within) */
	if (s->c.spill && spill_rows(s->c.spill) > 0)
	{
		min_period = Min(min_period, s->spill_min_period);
		max_period = Max(max_period, s->spill_max_period);
	}
	if (min_period > max_period)
		return m;

	memset(&b, 0, sizeof(b));
	b.first = min_period;
	b.span = (int64) max_period - min_period + 1;
	b.dscale = s->max_dscale;
	budget_check_flat_size(sizeof(BuildPeriod) * (Size) b.span);
	b.periods = palloc_extended(sizeof(BuildPeriod) * (Size) b.span, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int64 i = 0; i < b.span; i++)
		for (int k = 0; k < MOVE_COUNT; k++)
			money_init(&b.periods[i].money[k], CurrentMemoryContext);
	cellset_init(&b.cohorts, min_period, b.span, (int32) Min(b.span, PG_INT32_MAX));
	cellset_init(&b.lags, min_period, b.span, REVENUE_MAX_LAG + 1);
	add_customers(&b, s);

	m->first_period = min_period;
	m->nperiods = (uint32) b.span;
	m->periods = palloc_extended(sizeof(RevenuePeriod) * (Size) b.span, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < b.span; i++)
	{
		memcpy(m->periods[i].customers, b.periods[i].customers, sizeof(int64) * MOVE_COUNT);
		for (int k = 0; k < MOVE_COUNT; k++)
			m->periods[i].revenue[k] = money_final(&b.periods[i].money[k], b.dscale);
	}

	qsort(b.cohorts.cells, b.cohorts.n, sizeof(RevenueCell), revenue_cell_cmp);
	m->ncohort = b.cohorts.n;
	m->cohort = palloc_extended(sizeof(RevenueCohortCell) * Max(b.cohorts.n, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < b.cohorts.n; i++)
	{
		RevenueCell  *c = &b.cohorts.cells[i];

		m->cohort[i].cohort = c->a;
		m->cohort[i].offset = c->b;
		m->cohort[i].customers = c->customers;
		m->cohort[i].revenue = money_final(&c->m1, b.dscale);
	}

	qsort(b.lags.cells, b.lags.n, sizeof(RevenueCell), revenue_cell_cmp);
	m->nlag = b.lags.n;
	m->lag = palloc_extended(sizeof(RevenueLagCell) * Max(b.lags.n, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < b.lags.n; i++)
	{
		RevenueCell  *c = &b.lags.cells[i];

		m->lag[i].from = c->a;
		m->lag[i].lag = c->b;
		m->lag[i].customers = c->customers;
		m->lag[i].retained = money_final(&c->m1, b.dscale);
		m->lag[i].kept = money_final(&c->m2, b.dscale);
	}
	return m;
}

/* ---- the flat form --------------------------------------------------------------- */

#define HEADER_BYTES (4 + 4 + 8 + 8 + 4 + 4 + 4 + 4 + 4)
#define PERIOD_MIN_BYTES (MOVE_COUNT * (8 + 4))
#define COHORT_MIN_BYTES (4 + 4 + 8 + 4)
#define LAG_MIN_BYTES (4 + 4 + 8 + 4 + 4)

struct varlena *
revenue_matrix_flatten(const RevenueMatrix *m)
{
	Size		size = VARHDRSZ + HEADER_BYTES;
	struct varlena *v;
	char	   *p;

	for (uint32 i = 0; i < m->nperiods; i++)
		for (int k = 0; k < MOVE_COUNT; k++)
			size = add_size(size, 8 + flat_numeric_field_size(m->periods[i].revenue[k]));
	for (uint32 i = 0; i < m->ncohort; i++)
		size = add_size(size, 16 + flat_numeric_field_size(m->cohort[i].revenue));
	for (uint32 i = 0; i < m->nlag; i++)
		size = add_size(size, 16 + flat_numeric_field_size(m->lag[i].retained) +
						flat_numeric_field_size(m->lag[i].kept));
	budget_check_flat_size(size);
	v = palloc_extended(size, MCXT_ALLOC_HUGE);
	SET_VARSIZE(v, size);
	p = VARDATA(v);
	p = put_u8(p, REVENUE_MATRIX_VERSION);
	p = put_u8(p, m->period_kind);
	p = put_u8(p, m->time_kind);
	p = put_u8(p, m->flags);
	p = put_u32(p, (uint32) m->dscale);
	p = put_u64(p, (uint64) m->latest_at);
	p = put_u64(p, (uint64) m->ignored_rows);
	p = put_u32(p, (uint32) m->max_lag);
	p = put_u32(p, (uint32) m->first_period);
	p = put_u32(p, m->nperiods);
	p = put_u32(p, m->ncohort);
	p = put_u32(p, m->nlag);
	for (uint32 i = 0; i < m->nperiods; i++)
		for (int k = 0; k < MOVE_COUNT; k++)
		{
			p = put_u64(p, (uint64) m->periods[i].customers[k]);
			p = put_numeric_field(p, m->periods[i].revenue[k]);
		}
	for (uint32 i = 0; i < m->ncohort; i++)
	{
		p = put_u32(p, (uint32) m->cohort[i].cohort);
		p = put_u32(p, (uint32) m->cohort[i].offset);
		p = put_u64(p, (uint64) m->cohort[i].customers);
		p = put_numeric_field(p, m->cohort[i].revenue);
	}
	for (uint32 i = 0; i < m->nlag; i++)
	{
		p = put_u32(p, (uint32) m->lag[i].from);
		p = put_u32(p, (uint32) m->lag[i].lag);
		p = put_u64(p, (uint64) m->lag[i].customers);
		p = put_numeric_field(p, m->lag[i].retained);
		p = put_numeric_field(p, m->lag[i].kept);
	}
	Assert(p == (char *) v + size);
	return v;
}

static void
corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s value", TYPE_NAME),
			 errdetail("%s", detail)));
}

/* a revenue field: present, finite and not negative */
static Datum
get_revenue(StringInfo buf, Datum zero)
{
	Datum		d = get_numeric_field(buf);
	Numeric		n;

	if (d == (Datum) 0)
		corrupt("a revenue is missing");
	n = DatumGetNumeric(d);
	if (numeric_is_nan(n) || numeric_is_inf(n) || num_cmp(d, zero) < 0)
		corrupt("a revenue is not a finite amount of at least 0");
	return d;
}

static void
check_count(int64 count, Datum revenue, Datum zero)
{
	if (count < 0 || (count == 0) != (num_cmp(revenue, zero) == 0))
		corrupt("a customer count does not match its revenue");
}

/* the movements of each period against the period before */
static void
check_periods(const RevenueMatrix *m, Datum zero)
{
	int64		prev_customers = 0;
	Datum		prev_end = zero;

	for (uint32 i = 0; i < m->nperiods; i++)
	{
		const RevenuePeriod *p = &m->periods[i];
		Datum		end = prev_end;

		for (int k = 0; k < MOVE_COUNT; k++)
			check_count(p->customers[k], p->revenue[k], zero);
		if ((int128) p->customers[MOVE_EXPANSION] + p->customers[MOVE_CONTRACTION] +
			p->customers[MOVE_CHURN] > prev_customers ||
			(int128) p->customers[MOVE_END] != (int128) prev_customers + p->customers[MOVE_NEW] +
			p->customers[MOVE_REACTIVATION] - p->customers[MOVE_CHURN])
			corrupt("the customer counts of a period do not follow from the period before");
		end = num_add(end, p->revenue[MOVE_NEW]);
		end = num_add(end, p->revenue[MOVE_REACTIVATION]);
		end = num_add(end, p->revenue[MOVE_EXPANSION]);
		end = num_sub(end, p->revenue[MOVE_CONTRACTION]);
		end = num_sub(end, p->revenue[MOVE_CHURN]);
		if (num_cmp(end, p->revenue[MOVE_END]) != 0)
			corrupt("the revenue of a period does not follow from the period before and its movements");
		if (num_cmp(p->revenue[MOVE_CHURN], prev_end) > 0 ||
			num_cmp(num_add(p->revenue[MOVE_CONTRACTION], p->revenue[MOVE_CHURN]), prev_end) > 0)
			corrupt("more revenue lost than the period before had");
		prev_customers = p->customers[MOVE_END];
		prev_end = p->revenue[MOVE_END];
	}
}

/* each customer with revenue in a period is in one cohort cell of that period */
static void
check_cohorts(const RevenueMatrix *m, Datum zero)
{
	int64	   *customers = palloc_extended(sizeof(int64) * Max(m->nperiods, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	Datum	   *revenue = palloc_extended(sizeof(Datum) * Max(m->nperiods, 1), MCXT_ALLOC_HUGE);
	int64		size = 0;
	int128		cohort_sizes = 0;
	int128		new_customers = 0;

	for (uint32 i = 0; i < m->nperiods; i++)
	{
		revenue[i] = zero;
		new_customers += m->periods[i].customers[MOVE_NEW];
	}
	for (uint32 i = 0; i < m->ncohort; i++)
	{
		const RevenueCohortCell *c = &m->cohort[i];
		const RevenueCohortCell *prev = i > 0 ? &m->cohort[i - 1] : NULL;
		int64		at = (int64) c->cohort - m->first_period + c->offset;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c->cohort < m->first_period || c->offset < 0 || at >= m->nperiods)
			corrupt("a cohort cell lies outside the periods");
		if (prev && (c->cohort < prev->cohort || (c->cohort == prev->cohort && c->offset <= prev->offset)))
			corrupt("cohort cells must be sorted by cohort and offset, without duplicates");
		if (prev == NULL || prev->cohort != c->cohort)
		{
			const RevenuePeriod *p = &m->periods[c->cohort - m->first_period];

			if (c->offset != 0 || c->customers != p->customers[MOVE_NEW] ||
				num_cmp(c->revenue, p->revenue[MOVE_NEW]) != 0)
				corrupt("a cohort's first cell is not its period's new customers");
			size = c->customers;
			cohort_sizes += size;
		}
		if (c->customers < 1 || c->customers > size || num_cmp(c->revenue, zero) <= 0)
			corrupt("a cohort cell's customers are out of range");
		if (c->customers > m->periods[at].customers[MOVE_END] - customers[at])
			corrupt("the cohort cells do not add up to the revenue of their periods");
		customers[at] += c->customers;
		revenue[at] = num_add(revenue[at], c->revenue);
	}
	/* every period with new customers opens a cohort */
	if (cohort_sizes != new_customers || new_customers > PG_INT64_MAX)
		corrupt("a period's new customers have no cohort");
	for (uint32 i = 0; i < m->nperiods; i++)
		if (customers[i] != m->periods[i].customers[MOVE_END] ||
			num_cmp(revenue[i], m->periods[i].revenue[MOVE_END]) != 0)
			corrupt("the cohort cells do not add up to the revenue of their periods");
	pfree(customers);
	pfree(revenue);
}

/* pairs of periods: within their periods' customers and revenue; lag 1 is the movements */
static void
check_lags(const RevenueMatrix *m, Datum zero)
{
	for (uint32 i = 0; i < m->nlag; i++)
	{
		const RevenueLagCell *c = &m->lag[i];
		const RevenueLagCell *prev = i > 0 ? &m->lag[i - 1] : NULL;
		const RevenuePeriod *p0;
		const RevenuePeriod *p1;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c->lag < 1 || c->lag > m->max_lag || c->from < m->first_period ||
			(int64) c->from - m->first_period + c->lag >= m->nperiods)
			corrupt("a lag cell lies outside the periods");
		if (prev && (c->from < prev->from || (c->from == prev->from && c->lag <= prev->lag)))
			corrupt("lag cells must be sorted by period and lag, without duplicates");
		p0 = &m->periods[c->from - m->first_period];
		p1 = p0 + c->lag;
		if (c->customers < 1 || c->customers > p0->customers[MOVE_END] ||
			c->customers > p1->customers[MOVE_END] ||
			num_cmp(c->kept, zero) <= 0 || num_cmp(c->kept, c->retained) > 0 ||
			num_cmp(c->kept, p0->revenue[MOVE_END]) > 0 ||
			num_cmp(c->retained, p1->revenue[MOVE_END]) > 0)
			corrupt("a lag cell is out of range of its periods");
	}
	/* lag 1: the customers present in both periods are the period's customers less new and reactivated */
	for (uint32 i = 1, j = 0; i < m->nperiods; i++)
	{
		const RevenuePeriod *p = &m->periods[i];
		int64		both = p->customers[MOVE_END] - p->customers[MOVE_NEW] - p->customers[MOVE_REACTIVATION];
		Datum		retained = num_sub(num_sub(p->revenue[MOVE_END], p->revenue[MOVE_NEW]),
									   p->revenue[MOVE_REACTIVATION]);
		Datum		kept = num_sub(num_sub(p[-1].revenue[MOVE_END], p->revenue[MOVE_CONTRACTION]),
								   p->revenue[MOVE_CHURN]);
		const RevenueLagCell *c = NULL;

		while (j < m->nlag && (int64) m->lag[j].from - m->first_period < (int64) i - 1)
			j++;
		if (j < m->nlag && m->lag[j].from - m->first_period == (int64) i - 1 && m->lag[j].lag == 1)
			c = &m->lag[j];
		if (c ? (c->customers != both || num_cmp(c->retained, retained) != 0 ||
				 num_cmp(c->kept, kept) != 0) :
			(both != 0 || num_cmp(retained, zero) != 0 || num_cmp(kept, zero) != 0))
			corrupt("the lag-1 cells do not match the movements");
	}
}

static void
check_matrix(const RevenueMatrix *m)
{
	Datum		zero = money_numeric(0, 0);

	if (m->period_kind != 0 &&
		(m->period_kind > PERIOD_KIND_MAX || !(PERIOD_SET(m->period_kind) & COHORT_PERIODS)))
		corrupt("unknown period");
	if (m->time_kind > TIME_DATE || (m->period_kind == 0) != (m->time_kind == 0))
		corrupt("unknown time type, or a time type without a period");
	if ((m->flags & ~REVENUE_HAS_ROWS) != 0)
		corrupt("unknown flags");
	if (m->dscale < 0 || m->dscale > NUMERIC_MAX_DISPLAY_SCALE)
		corrupt("invalid revenue scale");
	if (m->ignored_rows < 0)
		corrupt("ignored_rows must not be negative");
	if (m->max_lag < 1 || m->max_lag > REVENUE_MAX_LAG)
		corrupt("invalid largest lag");
	if (((m->flags & REVENUE_HAS_ROWS) != 0) != (m->nperiods > 0) ||
		(m->nperiods == 0 && (m->first_period != 0 || m->latest_at != 0)))
		corrupt("periods must be given exactly when there were rows");
	if (m->nperiods > 0)
	{
		int64		last = (int64) m->first_period + m->nperiods - 1;
		int			slack = m->time_kind == TIME_TIMESTAMPTZ ? 1 : 0;
		DateADT		date;

		if (m->period_kind == 0 || !period_is_valid(m->period_kind, m->first_period) ||
			last > PG_INT32_MAX || !period_is_valid(m->period_kind, (int32) last))
			corrupt("periods out of range");
		if (!IS_VALID_TIMESTAMP(m->latest_at) ||
			(m->time_kind == TIME_DATE && m->latest_at % USECS_PER_DAY != 0))
			corrupt("latest time out of range");
		/* the latest row is in the last period (TimeZone: within a day, as cohort_matrix) */
		date = local_date_of(m->latest_at);
		if (last < period_of_date(m->period_kind, date - slack) ||
			last > period_of_date(m->period_kind, date + slack))
			corrupt("the last period is not the period of the latest row");
	}
	check_periods(m, zero);
	check_cohorts(m, zero);
	check_lags(m, zero);
}

RevenueMatrix *
revenue_matrix_read(const char *data, Size len)
{
	RevenueMatrix *m = palloc0(sizeof(RevenueMatrix));
	StringInfoData buf;
	Datum		zero = money_numeric(0, 0);
	uint8		version;

	flat_reader_init(&buf, data, len);
	version = get_u8(&buf);
	if (version != REVENUE_MATRIX_VERSION)
		corrupt("unknown format version");
	m->period_kind = get_u8(&buf);
	m->time_kind = get_u8(&buf);
	m->flags = get_u8(&buf);
	m->dscale = (int32) get_u32(&buf);
	m->latest_at = (int64) get_u64(&buf);
	m->ignored_rows = (int64) get_u64(&buf);
	m->max_lag = (int32) get_u32(&buf);
	m->first_period = (int32) get_u32(&buf);
	m->nperiods = get_u32(&buf);
	m->ncohort = get_u32(&buf);
	m->nlag = get_u32(&buf);
	/* the counts against the bytes left, before allocating */
	if ((uint64) m->nperiods * PERIOD_MIN_BYTES + (uint64) m->ncohort * COHORT_MIN_BYTES +
		(uint64) m->nlag * LAG_MIN_BYTES > (uint64) (buf.len - buf.cursor))
		corrupt("more cells announced than the value holds");
	m->periods = palloc_extended(sizeof(RevenuePeriod) * Max(m->nperiods, 1), MCXT_ALLOC_HUGE);
	m->cohort = palloc_extended(sizeof(RevenueCohortCell) * Max(m->ncohort, 1), MCXT_ALLOC_HUGE);
	m->lag = palloc_extended(sizeof(RevenueLagCell) * Max(m->nlag, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < m->nperiods; i++)
		for (int k = 0; k < MOVE_COUNT; k++)
		{
			m->periods[i].customers[k] = (int64) get_u64(&buf);
			m->periods[i].revenue[k] = get_revenue(&buf, zero);
		}
	for (uint32 i = 0; i < m->ncohort; i++)
	{
		m->cohort[i].cohort = (int32) get_u32(&buf);
		m->cohort[i].offset = (int32) get_u32(&buf);
		m->cohort[i].customers = (int64) get_u64(&buf);
		m->cohort[i].revenue = get_revenue(&buf, zero);
	}
	for (uint32 i = 0; i < m->nlag; i++)
	{
		m->lag[i].from = (int32) get_u32(&buf);
		m->lag[i].lag = (int32) get_u32(&buf);
		m->lag[i].customers = (int64) get_u64(&buf);
		m->lag[i].retained = get_revenue(&buf, zero);
		m->lag[i].kept = get_revenue(&buf, zero);
	}
	if (buf.cursor != buf.len)
		corrupt("unexpected bytes after the cells");
	check_matrix(m);
	return m;
}

RevenueMatrix *
revenue_matrix_arg(FunctionCallInfo fcinfo, int n)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	return revenue_matrix_read(VARDATA(v), VARSIZE(v) - VARHDRSZ);
}

/* ---- I/O functions ---------------------------------------------------------------- */

/* a checked copy of the flat bytes as the stored value */
static struct varlena *
stored_value(const char *data, Size len)
{
	struct varlena *v;

	revenue_matrix_read(data, len);
	v = palloc_extended(VARHDRSZ + len, MCXT_ALLOC_HUGE);
	SET_VARSIZE(v, VARHDRSZ + len);
	memcpy(VARDATA(v), data, len);
	return v;
}

Datum
revenue_matrix_in(PG_FUNCTION_ARGS)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, TYPE_NAME);

	PG_RETURN_POINTER(stored_value(bytes, len));
}

Datum
revenue_matrix_out(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));

	PG_RETURN_CSTRING(hex_text(VARDATA(v), VARSIZE(v) - VARHDRSZ));
}

Datum
revenue_matrix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *data = buf->data + buf->cursor;
	Size		len = buf->len - buf->cursor;

	buf->cursor = buf->len;
	PG_RETURN_POINTER(stored_value(data, len));
}

Datum
revenue_matrix_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	bytea	   *b = palloc_extended(VARSIZE(v), MCXT_ALLOC_HUGE);

	memcpy(b, v, VARSIZE(v));
	PG_RETURN_BYTEA_P(b);
}
