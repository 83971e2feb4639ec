/*
 * rfm_agg_runs.c
 *		The combine of a parallel plan's rfm_agg states as sorted runs
 *		(customer_runs.h), and rfm_agg's result.
 *
 * A run is a flat state with the RFM_AGG_HASH_ORDER flag (rfm_agg_state.h).
 * The final function writes the summary of the runs directly, without a
 * hash table: the headers' counters added up, then each customer's cells of
 * every run merged by period (the sums of equal periods added as the state
 * adds them), customers in hash order and flagged so.  rfm_table reads it as
 * it reads any summary.  Anything else settles the runs into an ordinary
 * state first (rfm_agg_settle).
 *
 * A state that logged its rows (rfm_agg_log.c) writes its summary in hash
 * order; one that did not (a window aggregate's, or one whose log could not
 * take a row) lists its customers in first-seen order, as rfm_table's rows
 * then come; its other flat values (the SQL type's output) are in hash order.
 */
#include "rfm_agg_state.h"
#include "customer_runs.h"

#include "flat_io.h"

#include "common/int.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size */
#include "utils/memutils.h"

/* ---- the combine ---------------------------------------------------------- */

static bool
flattens_in_hash_order(const CustomerState *s)
{
	return !((const RfmAggState *) s)->flat_by_ordinal;
}

static bool
flat_in_hash_order(const char *data, Size len)
{
	return len >= 4 && (uint8) data[0] == RFM_AGG_STATE_VERSION &&
		((uint8) data[3] & RFM_AGG_HASH_ORDER) != 0;
}

static CustomerState *
state_for_run(CustomerState *dst, const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	RfmAggHeader h;

	flat_reader_init(&buf, data, len);
	rfm_agg_read_header(&buf, &h);
	if (dst == NULL)
		return &rfm_agg_new(parent, h.time_kind, h.customer_class, h.grain, h.customer_type,
							h.tz)->c;
	rfm_agg_check_compatible((RfmAggState *) dst, h.time_kind, h.customer_class, h.grain,
							 h.customer_type, h.tz);
	return dst;
}

static CustomerState *
new_like(const CustomerState *s, MemoryContext parent)
{
	const RfmAggState *r = (const RfmAggState *) s;

	return &rfm_agg_new(parent, s->time_kind, s->customer_class, s->flags, r->customer_type,
						r->tz)->c;
}

static const RunsKind rfm_agg_runs_kind = {
	&rfm_agg_kind,
	flattens_in_hash_order,
	flat_in_hash_order,
	state_for_run,
	new_like
};

/* The combine function's fast path (customer_runs_combine). */
bool
rfm_agg_combine_as_runs(FunctionCallInfo fcinfo, Datum *result)
{
	return customer_runs_combine(&rfm_agg_runs_kind, fcinfo, result);
}

/* Merge the runs into the state itself (StateKind.settle). */
void
rfm_agg_settle(ExpandedObjectHeader *eoh)
{
	customer_runs_settle((CustomerState *) eoh, &rfm_agg_kind);
}

/* ---- reading runs side by side -------------------------------------------- */

typedef struct RfmRunsMerge
{
	RfmAggHeader *h;			/* the header of each run */
	uint64	   *rows_left;		/* of each run: rows its customers' periods may still take */
	MemoryContext scratch;		/* slow sums of the current customer */
	bool		dirty;			/* scratch holds something */
} RfmRunsMerge;

/*
 * A customer's record (RunReader.read_customer): u32 n periods and n cells,
 * only stepped over here (c->count = n); they are read and checked when the
 * customer is merged.
 */
static void
read_customer(RunCursor *c, void *arg)
{
	RfmRunsMerge *rm = arg;
	uint32		n = rfm_agg_read_count(&c->buf, &rm->h[c->run], &c->key, &rm->rows_left[c->run]);

	c->record = c->buf.data + c->buf.cursor;
	c->count = n;
	for (uint32 i = 0; i < n; i++)
	{
		(void) get_bytes(&c->buf, 8);
		if (get_u8(&c->buf) == 1)
		{
			MoneySum	m;

			money_init(&m, rm->scratch);
			money_read(&m, &c->buf);
			rm->dirty = true;
		}
		else
			(void) get_bytes(&c->buf, 2 + 8);	/* form 0 (others fail when merged) */
	}
}

static void
end_run(RunCursor *c, void *arg)
{
	if (c->buf.cursor != c->buf.len)
		flat_corrupt("rfm_agg_state: unexpected bytes after the value");
}

/* The output: a varlena growing as customers are written. */
typedef struct FlatOut
{
	char	   *data;
	Size		len;
	Size		cap;
} FlatOut;

static inline char *
out_room(FlatOut *o, Size n)
{
	if (unlikely(o->len + n > o->cap))
	{
		Size		cap = Max(o->cap * 2, o->len + n);

		o->data = repalloc_huge(o->data, cap);
		o->cap = cap;
	}
	return o->data + o->len;
}

/* A period's sum being added up, as the state adds up a cell's (rfm_agg_state.c). */
typedef struct CellSum
{
	int64		units;
	uint16		dscale;
	bool		slow;
	MoneySum	m;
} CellSum;

static void
sum_make_slow(CellSum *a, MemoryContext cxt)
{
	money_init(&a->m, cxt);
	/* count 1: a MoneySum with a value counts its amounts (money_read checks it) */
	money_add_units(&a->m, a->units, 1, a->dscale);
	a->slow = true;
}

static void
sum_add(CellSum *a, const RfmCell *c, const MoneySum *slow, MemoryContext cxt)
{
	if (c->slow)
	{
		if (!a->slow)
			sum_make_slow(a, cxt);
		money_merge(&a->m, slow);
		return;
	}
	if (!a->slow)
	{
		int64		r;

		if (!pg_add_s64_overflow(a->units, c->units, &r))
		{
			a->units = r;
			if (c->dscale > a->dscale)
				a->dscale = c->dscale;
			return;
		}
		sum_make_slow(a, cxt);
	}
	money_add_units(&a->m, c->units, 0, c->dscale);
}

/* One run's cells of the customer being merged. */
typedef struct CellReader
{
	StringInfoData buf;
	RfmAggHeader *h;
	uint32		left;			/* cells not read yet, after cell */
	bool		valid;			/* cell holds one */
	RfmCell		cell;
	MoneySum	slow;
} CellReader;

static void
cell_next(CellReader *r)
{
	bool		first = !r->valid;

	if (r->left == 0)
	{
		r->valid = false;
		return;
	}
	r->left--;
	rfm_agg_read_cell(&r->buf, r->h, r->cell.period, first, &r->cell, &r->slow);
	r->valid = true;
}

/*
 * Write one customer of n entries (one per run that has it): its key, then
 * the cells of all its entries merged by period.
 */
static void
write_customer(FlatOut *o, KeyClass cls, RunEntry *e, int n, const RunCursor *cur,
			   RfmRunsMerge *rm, CellReader *rd)
{
	Size		count_at;
	uint32		ncells = 0;
	char	   *q;
	MemoryContext old = MemoryContextSwitchTo(rm->scratch);

	q = key_put(out_room(o, key_flat_size(cls) + e[0].key.len + 4), cls, &e[0].key);
	o->len = q - o->data;
	count_at = o->len;
	o->len += 4;
	for (int i = 0; i < n; i++)
	{
		const RunCursor *c = &cur[e[i].run];

		flat_reader_init(&rd[i].buf, e[i].record, c->buf.data + c->buf.len - e[i].record);
		rd[i].h = &rm->h[e[i].run];
		rd[i].left = (uint32) e[i].count;
		rd[i].valid = false;
		cell_next(&rd[i]);
	}
	for (;;)
	{
		int64		p = 0;
		bool		any = false;
		CellSum		sum;

		for (int i = 0; i < n; i++)
			if (rd[i].valid && (!any || rd[i].cell.period < p))
			{
				p = rd[i].cell.period;
				any = true;
			}
		if (!any)
			break;
		sum.units = 0;
		sum.dscale = 0;
		sum.slow = false;
		for (int i = 0; i < n; i++)
			if (rd[i].valid && rd[i].cell.period == p)
			{
				if (rd[i].cell.slow)
					rm->dirty = true;
				sum_add(&sum, &rd[i].cell, &rd[i].slow, rm->scratch);
				cell_next(&rd[i]);
			}
		q = out_room(o, 8 + 1 + (sum.slow ? money_flat_size(&sum.m) : 2 + 8));
		q = put_u64(q, (uint64) p);
		q = put_u8(q, sum.slow ? 1 : 0);
		if (sum.slow)
		{
			rm->dirty = true;
			q = money_flatten(&sum.m, q);
		}
		else
		{
			q = rfm_put_u16(q, sum.dscale);
			q = put_u64(q, (uint64) sum.units);
		}
		o->len = q - o->data;
		ncells++;
	}
	put_u32(o->data + count_at, ncells);
	MemoryContextSwitchTo(old);
}

/*
 * The summary of a state holding runs: what rfm_agg_final gives of the state
 * they settle into, but with the customers in hash order.  The state is not
 * changed: a final function may run more than once on one state.
 */
static struct varlena *
summary_of_runs(RfmAggState *s)
{
	CustomerRuns *r = s->c.runs;
	int			k = r->n;
	RunCursor  *cur = palloc0(sizeof(RunCursor) * k);
	CellReader *rd = palloc0(sizeof(CellReader) * k);
	RfmRunsMerge rm;
	RunReader	reader;
	RunsMerge	m;
	RunEntry   *entries;
	int			n;
	CustomerState counts;
	FlatOut		o;
	Size		tzlen = strlen(s->tz);
	Size		total = 0;
	Size		ncustomers_at;
	uint32		ncustomers = 0;
	char	   *p;

	elog(DEBUG1, "rfm_agg: merging %d partial states as sorted runs", k);
	rm.h = palloc0(sizeof(RfmAggHeader) * k);
	rm.rows_left = palloc0(sizeof(uint64) * k);
	rm.scratch = AllocSetContextCreate(CurrentMemoryContext, "rfm_agg runs scratch",
									   ALLOCSET_DEFAULT_SIZES);
	rm.dirty = false;
	reader.customer_class = s->c.customer_class;
	reader.read_customer = read_customer;
	reader.end_run = end_run;
	reader.arg = &rm;

	/* the headers: counters, checked against the state's kinds */
	memset(&counts, 0, sizeof(counts));
	for (int i = 0; i < k; i++)
	{
		RfmAggHeader *h = &rm.h[i];

		run_cursor_open(&cur[i], &r->runs[i], i);
		rfm_agg_read_header(&cur[i].buf, h);
		if (!h->hash_order)
			flat_corrupt("rfm_agg_state: a run without hash order");
		rfm_agg_check_compatible(s, h->time_kind, h->customer_class, h->grain, h->customer_type,
								 h->tz);
		customer_state_add_counts(&counts, "rfm_agg", h->ignored_rows, h->rows, 0);
		rm.rows_left[i] = (uint64) h->rows;
		total = add_size(total, r->runs[i].len);
		cur[i].left = h->ncustomers;
		run_cursor_next(&cur[i], &reader);
	}

	/* the merged customers take no more room than the runs, unless sums go slow */
	o.cap = add_size(total, VARHDRSZ + 64 + tzlen);
	o.data = palloc_extended(o.cap, MCXT_ALLOC_HUGE);
	p = o.data + VARHDRSZ;
	p = rfm_agg_put_header(p, s, counts.ignored_rows, counts.rows, true);
	ncustomers_at = p - o.data;
	o.len = ncustomers_at + 4;

	/* one customer at a time, with its entries of every run */
	runs_merge_begin(&m, cur, k, &reader);
	while ((n = runs_merge_next(&m, &entries)) > 0)
	{
		if (ncustomers == PG_UINT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many customers for one rfm_agg state")));
		ncustomers++;
		write_customer(&o, s->c.customer_class, entries, n, cur, &rm, rd);
		if (rm.dirty)
		{
			MemoryContextReset(rm.scratch);
			rm.dirty = false;
		}
	}
	runs_merge_end(&m);
	put_u32(o.data + ncustomers_at, ncustomers);
	budget_check_flat_size(o.len);
	SET_VARSIZE(o.data, o.len);

	MemoryContextDelete(rm.scratch);
	pfree(rm.h);
	pfree(rm.rows_left);
	pfree(rd);
	pfree(cur);
	return (struct varlena *) o.data;
}

/* ---- rfm_agg's result ------------------------------------------------------ */

/*
 * rfm_agg_final's value of a state: the merged runs of a parallel plan's
 * combined state, a logging state's sorted log (in hash order), an ordinary
 * state's flat form with its customers in first-seen order, a flat value as
 * it is.
 */
struct varlena *
rfm_agg_summary(Datum d)
{
	RfmAggState *s = (RfmAggState *) customer_runs_of(&rfm_agg_kind, d);
	struct varlena *v = NULL;

	if (s)
		return summary_of_runs(s);
	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) ||
		DatumGetEOHP(d)->eoh_methods != rfm_agg_kind.methods)
		return flat_value_of(d);
	s = (RfmAggState *) DatumGetEOHP(d);
	/*
	 * a state that logged its rows writes them sorted, in hash order
	 * (rfm_agg_log.c), unless they had to be replayed (then it may have spilled)
	 */
	if (s->log)
	{
		Size		size;

		if (rfm_agg_log_flat_size(s, &size))
			return flat_value_of(d);
	}
	/* applying the rows parked may make a state that may spill spill */
	rfm_agg_flush(s);
	if (s->c.spill)
		return rfm_agg_spilled_summary(s);
	s->flat_by_ordinal = true;
	PG_TRY();
	{
		v = flat_value_of(d);
	}
	PG_FINALLY();
	{
		s->flat_by_ordinal = false;
	}
	PG_END_TRY();
	return v;
}
