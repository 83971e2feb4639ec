/*
 * revenue_sum.c
 *		revenue_matrix_sum: revenue_agg's matrices of disjoint customer sets
 *		added up (matrix_sum.c says how the sums work).
 */
#include "matrix_sum.h"
#include "revenue_matrix.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(revenue_matrix_sum_trans);

/*
 * The accumulator: per period the movements' counts and sums, per cohort
 * cell and per lag cell theirs, each in a keyed table of fixed-size records.
 *
 * A matrix ends at the last period of its own rows, so a customer whose
 * revenue stops there has no churn in it; in the sum that churn belongs to
 * the period after, when the sum's periods go on beyond it.  So each input
 * leaves a "tail" at its last period + 1, the customers and revenue of its
 * last period, which the flat form counts as churn when that period is
 * within the sum's periods (the whole table's matrix counts exactly those).
 */
typedef struct RevPeriodAcc
{
	int32		period;
	int64		customers[MOVE_COUNT];
	MoneySum	money[MOVE_COUNT];
	int64		tail_customers; /* churn pending from an input that ended before */
	MoneySum	tail;
} RevPeriodAcc;

/* records by an int64 key, in insertion order */
typedef struct Keyed
{
	KeyTable	index;
	char	   *recs;
	Size		rec_size;
	uint32		n;
	uint32		size;
} Keyed;

typedef struct RevSum
{
	ExpandedObjectHeader hdr;
	MemBudget	budget;
	uint8		period_kind;
	uint8		time_kind;
	uint8		flags;
	int32		dscale;
	int64		latest_at;
	int64		ignored_rows;
	int32		max_lag;
	bool		any_period;
	int32		min_period;
	int32		max_period;
	Keyed		periods;		/* int32 period -> RevPeriodAcc */
	Keyed		cohorts;		/* (cohort, offset) -> RevenueCell */
	Keyed		lags;			/* (from, lag) -> RevenueCell */
	struct varlena *flat;
} RevSum;

static void
keyed_init(Keyed *k, MemBudget *budget, Size rec_size)
{
	memset(k, 0, sizeof(*k));
	kt_init(&k->index, budget);
	k->rec_size = rec_size;
}

/* the record of key, added zeroed (money sums initialised) when new */
static void *
keyed_get(MemBudget *budget, Keyed *k, int64 key, bool *added)
{
	KeyEntry	probe;
	KeyEntry   *e;
	bool		found;

	key_probe_int(&probe, key);
	probe.payload = k->n;
	e = kt_insert(&k->index, &probe, &found);
	*added = !found;
	if (!found)
	{
		if (k->n == k->size)
		{
			uint32		size = k->size ? 2 * k->size : 16;
			char	   *grown = budget_alloc(budget, k->rec_size * size);

			if (k->recs)
			{
				memcpy(grown, k->recs, k->rec_size * k->n);
				budget_free(budget, k->recs, k->rec_size * k->size);
			}
			k->recs = grown;
			k->size = size;
		}
		memset(k->recs + k->rec_size * k->n, 0, k->rec_size);
		k->n++;
	}
	return k->recs + k->rec_size * e->payload;
}

/* a sum as a numeric of the matrix's scale, the accumulator left as it is */
static Datum
sum_money(const MoneySum *m, int dscale)
{
	MoneySum	c = *m;

	c.max_dscale = dscale;
	return money_result(&c);
}

static inline int64
pair_key(int32 a, int32 b)
{
	return (int64) (((uint64) (uint32) a << 32) | (uint32) b);
}

static RevPeriodAcc *
rs_period(RevSum *s, int32 period)
{
	bool		added;
	RevPeriodAcc *p = keyed_get(&s->budget, &s->periods, period, &added);

	if (added)
	{
		p->period = period;
		for (int k = 0; k < MOVE_COUNT; k++)
			money_init(&p->money[k], s->hdr.eoh_context);
		money_init(&p->tail, s->hdr.eoh_context);
	}
	return p;
}

static RevenueCell *
rs_cell(RevSum *s, Keyed *k, int32 a, int32 b)
{
	bool		added;
	RevenueCell *c = keyed_get(&s->budget, k, pair_key(a, b), &added);

	if (added)
	{
		c->a = a;
		c->b = b;
		money_init(&c->m1, s->hdr.eoh_context);
		money_init(&c->m2, s->hdr.eoh_context);
	}
	return c;
}

static Size rs_get_flat_size(ExpandedObjectHeader *eohptr);
static void rs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods rs_methods = {
	rs_get_flat_size,
	rs_flatten_into
};

static RevSum *
rs_create(MemoryContext parent)
{
	MemoryContext cxt = state_memory_context(parent, "revenue_matrix_sum state");
	RevSum	   *s = MemoryContextAllocZero(cxt, sizeof(RevSum));

	EOH_init_header(&s->hdr, &rs_methods, cxt);
	s->budget.cxt = cxt;
	s->budget.used = sizeof(RevSum);
	keyed_init(&s->periods, &s->budget, sizeof(RevPeriodAcc));
	keyed_init(&s->cohorts, &s->budget, sizeof(RevenueCell));
	keyed_init(&s->lags, &s->budget, sizeof(RevenueCell));
	return s;
}

static void
rs_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("revenue_matrix_sum count out of range"),
			 errhint("The matrices added up count more than 9223372036854775807 customers or rows.")));
}

static inline void
add_count(int64 *dst, int64 v)
{
	if (pg_add_s64_overflow(*dst, v, dst))
		rs_overflow();
}

static void
rs_add_header(RevSum *s, uint8 period_kind, uint8 time_kind, uint8 flags, int32 dscale,
			  int64 latest_at, int64 ignored_rows, int32 max_lag)
{
	add_count(&s->ignored_rows, ignored_rows);
	if (period_kind != 0)
	{
		if (s->period_kind == 0)
		{
			s->period_kind = period_kind;
			s->time_kind = time_kind;
			s->max_lag = max_lag;
		}
		else if (s->period_kind != period_kind || s->time_kind != time_kind || s->max_lag != max_lag)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("revenue_matrix_sum cannot add matrices of different periods or time types"),
					 errdetail("One matrix is by %s of %s, another by %s of %s.",
							   period_kind_name(s->period_kind), time_kind_name(s->time_kind),
							   period_kind_name(period_kind), time_kind_name(time_kind)),
					 errhint("Add up the matrices of one revenue_agg call, grouped by the customer column.")));
	}
	if (flags & REVENUE_HAS_ROWS)
	{
		if (!(s->flags & REVENUE_HAS_ROWS) || latest_at > s->latest_at)
			s->latest_at = latest_at;
		s->flags |= REVENUE_HAS_ROWS;
	}
	s->dscale = Max(s->dscale, dscale);
}

static void
rs_changed(RevSum *s)
{
	if (s->flat)
		pfree(s->flat);
	s->flat = NULL;
}

static void
rs_extend(RevSum *s, int32 first, int32 last)
{
	if (!s->any_period || first < s->min_period)
		s->min_period = first;
	if (!s->any_period || last > s->max_period)
		s->max_period = last;
	s->any_period = true;
}

static void
rs_add_matrix(RevSum *s, const RevenueMatrix *m)
{
	rs_add_header(s, m->period_kind, m->time_kind, m->flags, m->dscale, m->latest_at,
				  m->ignored_rows, m->max_lag);
	if (m->nperiods > 0)
	{
		int32		last = m->first_period + (int32) (m->nperiods - 1);
		const RevenuePeriod *lp = &m->periods[m->nperiods - 1];
		RevPeriodAcc *tail;

		rs_extend(s, m->first_period, last);
		for (uint32 i = 0; i < m->nperiods; i++)
		{
			RevPeriodAcc *p = rs_period(s, m->first_period + (int32) i);

			for (int k = 0; k < MOVE_COUNT; k++)
			{
				add_count(&p->customers[k], m->periods[i].customers[k]);
				money_add_datum(&p->money[k], m->periods[i].revenue[k]);
			}
		}
		/* the churn after this matrix's last period (see RevPeriodAcc) */
		if (last < PG_INT32_MAX)
		{
			tail = rs_period(s, last + 1);
			add_count(&tail->tail_customers, lp->customers[MOVE_END]);
			money_add_datum(&tail->tail, lp->revenue[MOVE_END]);
		}
	}
	for (uint32 i = 0; i < m->ncohort; i++)
	{
		RevenueCell *c = rs_cell(s, &s->cohorts, m->cohort[i].cohort, m->cohort[i].offset);

		add_count(&c->customers, m->cohort[i].customers);
		money_add_datum(&c->m1, m->cohort[i].revenue);
	}
	for (uint32 i = 0; i < m->nlag; i++)
	{
		RevenueCell *c = rs_cell(s, &s->lags, m->lag[i].from, m->lag[i].lag);

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		add_count(&c->customers, m->lag[i].customers);
		money_add_datum(&c->m1, m->lag[i].retained);
		money_add_datum(&c->m2, m->lag[i].kept);
	}
	rs_changed(s);
}

static void
rs_add_sum(RevSum *s, const RevSum *src)
{
	rs_add_header(s, src->period_kind, src->time_kind, src->flags, src->dscale, src->latest_at,
				  src->ignored_rows, src->max_lag);
	if (src->any_period)
		rs_extend(s, src->min_period, src->max_period);
	for (uint32 i = 0; i < src->periods.n; i++)
	{
		const RevPeriodAcc *from = (const RevPeriodAcc *) (src->periods.recs + i * sizeof(RevPeriodAcc));
		RevPeriodAcc *p = rs_period(s, from->period);

		for (int k = 0; k < MOVE_COUNT; k++)
		{
			add_count(&p->customers[k], from->customers[k]);
			money_merge(&p->money[k], &from->money[k]);
		}
		add_count(&p->tail_customers, from->tail_customers);
		money_merge(&p->tail, &from->tail);
	}
	for (int which = 0; which < 2; which++)
	{
		const Keyed *k = which == 0 ? &src->cohorts : &src->lags;

		for (uint32 i = 0; i < k->n; i++)
		{
			const RevenueCell *from = (const RevenueCell *) (k->recs + i * sizeof(RevenueCell));
			RevenueCell *c = rs_cell(s, which == 0 ? &s->cohorts : &s->lags, from->a, from->b);

			add_count(&c->customers, from->customers);
			money_merge(&c->m1, &from->m1);
			money_merge(&c->m2, &from->m2);
		}
	}
	rs_changed(s);
}

/* the cells of k, a copy sorted by (a, b) */
static RevenueCell *
rs_sorted(const Keyed *k)
{
	RevenueCell *v = palloc_extended(sizeof(RevenueCell) * Max(k->n, 1), MCXT_ALLOC_HUGE);

	memcpy(v, k->recs, sizeof(RevenueCell) * k->n);
	qsort(v, k->n, sizeof(RevenueCell), revenue_cell_cmp);
	return v;
}

static struct varlena *
rs_flat(RevSum *s)
{
	if (s->flat == NULL)
	{
		MemoryContext old = state_scratch_begin(&s->hdr);
		RevenueMatrix *m = palloc0(sizeof(RevenueMatrix));
		struct varlena *v;

		m->period_kind = s->period_kind;
		m->time_kind = s->time_kind;
		m->flags = s->flags;
		m->dscale = s->dscale;
		m->latest_at = s->latest_at;
		m->ignored_rows = s->ignored_rows;
		m->max_lag = s->period_kind != 0 ? s->max_lag : REVENUE_MAX_LAG;
		if (s->any_period)
		{
			int64		span = (int64) s->max_period - s->min_period + 1;

			budget_check_flat_size(sizeof(RevenuePeriod) * (Size) span);
			m->first_period = s->min_period;
			m->nperiods = (uint32) span;
			m->periods = palloc_extended(sizeof(RevenuePeriod) * (Size) span, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
			for (int64 i = 0; i < span; i++)
			{
				RevenuePeriod *out = &m->periods[i];
				KeyEntry	probe;
				KeyEntry   *e;

				if ((i & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				key_probe_int(&probe, s->min_period + i);
				e = kt_find(&s->periods.index, &probe);
				if (e == NULL)
				{
					MoneySum	zero;

					money_init(&zero, CurrentMemoryContext);
					for (int k = 0; k < MOVE_COUNT; k++)
						out->revenue[k] = sum_money(&zero, s->dscale);
				}
				else
				{
					const RevPeriodAcc *p = (const RevPeriodAcc *) (s->periods.recs + e->payload * sizeof(RevPeriodAcc));
					MoneySum	churn;

					memcpy(out->customers, p->customers, sizeof(out->customers));
					for (int k = 0; k < MOVE_COUNT; k++)
						out->revenue[k] = sum_money(&p->money[k], s->dscale);
					/* the churn of the inputs that ended the period before */
					if (pg_add_s64_overflow(out->customers[MOVE_CHURN], p->tail_customers,
											&out->customers[MOVE_CHURN]))
						rs_overflow();
					money_init(&churn, CurrentMemoryContext);
					money_merge(&churn, &p->money[MOVE_CHURN]);
					money_merge(&churn, &p->tail);
					out->revenue[MOVE_CHURN] = sum_money(&churn, s->dscale);
				}
			}
		}
		m->ncohort = s->cohorts.n;
		m->cohort = palloc_extended(sizeof(RevenueCohortCell) * Max(m->ncohort, 1), MCXT_ALLOC_HUGE);
		{
			const RevenueCell *c = rs_sorted(&s->cohorts);

			for (uint32 i = 0; i < m->ncohort; i++)
			{
				m->cohort[i].cohort = c[i].a;
				m->cohort[i].offset = c[i].b;
				m->cohort[i].customers = c[i].customers;
				m->cohort[i].revenue = sum_money(&c[i].m1, s->dscale);
			}
		}
		m->nlag = s->lags.n;
		m->lag = palloc_extended(sizeof(RevenueLagCell) * Max(m->nlag, 1), MCXT_ALLOC_HUGE);
		{
			const RevenueCell *c = rs_sorted(&s->lags);

			for (uint32 i = 0; i < m->nlag; i++)
			{
				m->lag[i].from = c[i].a;
				m->lag[i].lag = c[i].b;
				m->lag[i].customers = c[i].customers;
				m->lag[i].retained = sum_money(&c[i].m1, s->dscale);
				m->lag[i].kept = sum_money(&c[i].m2, s->dscale);
			}
		}
		v = revenue_matrix_flatten(m);
		s->flat = MemoryContextAllocExtended(s->hdr.eoh_context, VARSIZE(v), MCXT_ALLOC_HUGE);
		memcpy(s->flat, v, VARSIZE(v));
		state_scratch_end(old);
	}
	return s->flat;
}

static Size
rs_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(rs_flat((RevSum *) eohptr));
}

static void
rs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	struct varlena *v = rs_flat((RevSum *) eohptr);

	Assert(allocated_size == VARSIZE(v));
	memcpy(result, v, allocated_size);
}

static bool
is_rev_sum(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &rs_methods;
}

/* s += argument argno: a flat revenue_matrix (read with every check), or another sum */
static void
rs_add_datum(RevSum *s, FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);

	if (is_rev_sum(d))
		rs_add_sum(s, (RevSum *) DatumGetEOHP(d));
	else
	{
		/* the matrix read is temporary; what is added lives in the state's memory */
		MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "revenue_matrix_sum input",
												  ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(tmp);

		rs_add_matrix(s, revenue_matrix_arg(fcinfo, argno));
		MemoryContextSwitchTo(old);
		MemoryContextDelete(tmp);
	}
}

/* revenue_matrix_sum_trans(sum, matrix): the transition and combine function */
Datum
revenue_matrix_sum_trans(PG_FUNCTION_ARGS)
{
	MemoryContext home = agg_memory_context(fcinfo);
	Datum		state = PG_GETARG_DATUM(0);
	RevSum	   *s = (RevSum *) sum_in_place(state, &rs_methods, home);

	if (s == NULL)
	{
		s = rs_create(home);
		rs_add_datum(s, fcinfo, 0);
	}
	rs_add_datum(s, fcinfo, 1);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}
