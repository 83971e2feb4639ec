/*
 * cohort_runs.c
 *		The combine of a parallel plan's cohort_agg states as sorted runs
 *		(customer_runs.h): what is cohort_agg's own.
 *
 * A run is a flat state (cohort_flat.c) with the COHORT_HASH_ORDER flag: a
 * state of plain nodes (no order lines, no exceptional amounts).  The final
 * function meets each customer's nodes of every run at once and counts that
 * customer's cells directly.
 */
#include "cohort_matrix.h"
#include "customer_runs.h"

#include "flat_io.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* ---- the combine ---------------------------------------------------------- */

static bool
flattens_in_hash_order(const CustomerState *s)
{
	return s->order_class == 0 && ((const CohortState *) s)->nexceptions == 0;
}

static bool
flat_in_hash_order(const char *data, Size len)
{
	return len >= 6 && (uint8) data[0] == COHORT_STATE_VERSION &&
		((uint8) data[5] & COHORT_HASH_ORDER) != 0;
}

static CustomerState *
state_for_run(CustomerState *dst, const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	CohortFlatHeader h;

	flat_reader_init(&buf, data, len);
	cs_read_flat_header(&buf, &h);
	if (dst == NULL)
		return &cs_new(parent, h.time_kind, h.period_kind, h.customer_class, h.order_class,
					   h.flags & ~COHORT_HASH_ORDER)->c;
	cs_check_compatible((CohortState *) dst, h.time_kind, h.period_kind, h.customer_class,
						h.order_class, h.flags & ~COHORT_HASH_ORDER);
	return dst;
}

static CustomerState *
new_like(const CustomerState *s, MemoryContext parent)
{
	return &cs_new(parent, s->time_kind, ((const CohortState *) s)->period_kind,
				   s->customer_class, s->order_class, s->flags)->c;
}

static const RunsKind cs_runs_kind = {
	&cs_kind,
	flattens_in_hash_order,
	flat_in_hash_order,
	state_for_run,
	new_like
};

/* The combine function's fast path (customer_runs_combine). */
bool
cs_combine_as_runs(FunctionCallInfo fcinfo, Datum *result)
{
	return customer_runs_combine(&cs_runs_kind, fcinfo, result);
}

/* Merge the runs into the state itself (customer_runs_settle). */
void
cs_settle(CohortState *s)
{
	customer_runs_settle(&s->c, &cs_kind);
}

/* ---- reading runs side by side -------------------------------------------- */

/* What the merge reads and counts into. */
typedef struct CohortMerge
{
	const CohortState *s;
	CohortFlatHeader *h;		/* the header of each run */
	uint64	   *nodes_left;		/* of each run: nodes not read yet */
	uint64	   *orders;			/* of each run: orders of the nodes counted */
	/* the cells, with a dense index when periods span little */
	CellTable  *t;
	bool		has_amount;
	int32		dscale;
	int32		min_period;
	int64		span;
	uint32	   *dense;			/* (cohort, period) -> cell + 1, or NULL */
	NodeBuffer	nodes;			/* the nodes of the customer being counted */
} CohortMerge;

/* A customer's record: u32 node count, then the nodes (RunReader.read_customer). */
static void
read_customer(RunCursor *c, void *arg)
{
	CohortMerge *cm = arg;
	uint32		count = get_u32(&c->buf);

	if (count == 0 || count > cm->nodes_left[c->run])
		flat_corrupt("invalid period count of a customer");
	cm->nodes_left[c->run] -= count;
	c->count = count;
	c->record = get_bytes(&c->buf, (Size) count * COHORT_NODE_FLAT_SIZE);
}

static void
end_run(RunCursor *c, void *arg)
{
	CohortMerge *cm = arg;

	if (cm->nodes_left[c->run] != 0)
		flat_corrupt("period counts do not add up");
	if (c->buf.cursor != c->buf.len)
		flat_corrupt("trailing bytes");
}

/* Open run i at its first customer, its header checked. */
static void
open_run(RunCursor *c, CohortMerge *cm, const RunReader *r, int i)
{
	CohortFlatHeader *h = &cm->h[i];

	run_cursor_open(c, &cm->s->c.runs->runs[i], i);
	cs_read_flat_header(&c->buf, h);
	if (!(h->flags & COHORT_HASH_ORDER))
		flat_corrupt("a run without hash order");
	cs_check_compatible(cm->s, h->time_kind, h->period_kind, h->customer_class, h->order_class,
						h->flags & ~COHORT_HASH_ORDER);
	c->left = h->ncustomers;
	cm->nodes_left[i] = h->nnodes;
	cm->orders[i] = 0;
	run_cursor_next(c, r);
}

static int
nodedata_cmp(const void *a, const void *b)
{
	int32		pa = ((const NodeData *) a)->period;
	int32		pb = ((const NodeData *) b)->period;

	return pa < pb ? -1 : pa > pb;
}

static inline BuildCell *
counter_cell(CohortMerge *cm, int32 cohort, int32 period)
{
	if (cm->dense)
	{
		uint32	   *slot = &cm->dense[(cohort - cm->min_period) * cm->span + (period - cm->min_period)];

		if (*slot == 0)
		{
			BuildCell  *added = cell_at(cm->t, cohort, period - cohort, true);

			*slot = (uint32) (added - cm->t->cells) + 1;
		}
		return &cm->t->cells[*slot - 1];
	}
	return cell_at(cm->t, cohort, period - cohort, true);
}

/* Read the nodes of one entry into the buffer, validating them. */
static void
take_nodes(CohortMerge *cm, const RunEntry *e)
{
	StringInfoData buf;
	int32		prev = 0;

	flat_reader_init(&buf, e->record, (Size) e->count * COHORT_NODE_FLAT_SIZE);
	cs_buffer_reserve(&cm->nodes, cm->nodes.n + e->count);
	for (uint32 j = 0; j < e->count; j++)
	{
		NodeData   *n = &cm->nodes.items[cm->nodes.n++];

		n->period = (int32) get_u32(&buf);
		n->orders = get_u32(&buf);
		n->amount = (int64) get_u64(&buf);
		if (j > 0 && n->period <= prev)
			flat_corrupt("periods of a customer out of order");
		if (n->orders == 0 || n->orders > NODE_ORDERS)
			flat_corrupt("invalid order count");
		if (!cm->has_amount && n->amount != 0)
			flat_corrupt("an amount in a state without amounts");
		/* the span's ends are valid periods (checked once), so this one is too */
		if (n->period < cm->min_period || (int64) n->period - cm->min_period >= cm->span)
			flat_corrupt("period out of range");
		cm->orders[e->run] += n->orders;
		prev = n->period;
	}
}

/* Count one customer: its nodes of every run are in cm->nodes. */
static void
count_customer(CohortMerge *cm, bool sorted)
{
	NodeData   *n = cm->nodes.items;
	uint32		total = cm->nodes.n;
	int32		cohort;
	int32		latest;
	int32		prev_distinct = 0;
	BuildCell  *c = NULL;

	/* one run's nodes are in order already; a few of several runs sort by insertion */
	if (sorted)
		;
	else if (total > 16)
		qsort(n, total, sizeof(NodeData), nodedata_cmp);
	else
		for (uint32 i = 1; i < total; i++)
		{
			NodeData	x = n[i];
			uint32		j = i;

			for (; j > 0 && n[j - 1].period > x.period; j--)
				n[j] = n[j - 1];
			n[j] = x;
		}
	cohort = n[0].period;
	latest = n[total - 1].period;
	for (uint32 j = 0; j < total; j++)
	{
		int32		p = n[j].period;

		if (j == 0 || p != n[j - 1].period)
		{
			c = counter_cell(cm, cohort, p);
			c->cell.active++;
			if (j > 0 && (int64) p - prev_distinct == 1)
				c->cell.active_prev++;
			if (p == latest)
				c->cell.last++;
			prev_distinct = p;
		}
		c->cell.orders += n[j].orders;
		if (cm->has_amount)
			money_add_units(&c->money, n[j].amount, 1, cm->dscale);
	}
	cm->nodes.n = 0;
}

/*
 * The cohort matrix of a state holding runs.  The state is not changed: a
 * final function may run more than once on one state.
 */
CohortMatrix *
cohort_matrix_from_runs(CohortState *s)
{
	CustomerRuns *r = s->c.runs;
	int			k = r->n;
	RunCursor  *cur = palloc0(sizeof(RunCursor) * k);
	CohortMerge cm;
	RunReader	reader;
	RunsMerge	m;
	RunEntry   *entries;
	int			n;
	CustomerState counts;
	MatrixHeader h;
	CellTable	t;
	int32		min_period = PG_INT32_MAX;
	int32		max_period = PG_INT32_MIN;
	int32		max_dscale = 0;
	uint64		ncustomers = 0;
	uint64		nnodes = 0;

	elog(DEBUG1, "cohort_agg: merging %d partial states as sorted runs", k);
	memset(&cm, 0, sizeof(cm));
	cm.s = s;
	cm.h = palloc0(sizeof(CohortFlatHeader) * k);
	cm.nodes_left = palloc0(sizeof(uint64) * k);
	cm.orders = palloc0(sizeof(uint64) * k);
	reader.customer_class = s->c.customer_class;
	reader.read_customer = read_customer;
	reader.end_run = end_run;
	reader.arg = &cm;

	/* the headers, and the span of periods for the dense cell index */
	memset(&counts, 0, sizeof(counts));
	for (int i = 0; i < k; i++)
	{
		RunCursor  *c = &cur[i];

		open_run(c, &cm, &reader, i);
		customer_state_add_counts(&counts, "cohort_agg", cm.h[i].ignored_rows, cm.h[i].rows,
								  cm.h[i].max_at);
		max_dscale = Max(max_dscale, cm.h[i].max_dscale);
		nnodes += cm.h[i].nnodes;
		for (; c->valid; run_cursor_next(c, &reader))
		{
			/* periods increase within a customer: the first and last bound them */
			StringInfoData nb;
			int32		first,
						last;

			flat_reader_init(&nb, c->record, (Size) c->count * COHORT_NODE_FLAT_SIZE);
			first = (int32) get_u32(&nb);
			nb.cursor = (c->count - 1) * COHORT_NODE_FLAT_SIZE;
			last = (int32) get_u32(&nb);

			min_period = Min(min_period, first);
			max_period = Max(max_period, last);
			if ((++ncustomers & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		open_run(c, &cm, &reader, i);
	}

	memset(&h, 0, sizeof(h));
	h.period_kind = s->period_kind;
	h.time_kind = s->c.time_kind;
	h.flags = (s->c.flags & COHORT_HAS_AMOUNT ? MATRIX_HAS_REVENUE : 0) |
		(counts.rows > 0 ? MATRIX_HAS_ROWS : 0);
	h.revenue_dscale = max_dscale;
	h.latest_at = counts.rows > 0 ? counts.max_at : 0;
	h.ignored_rows = counts.ignored_rows;
	cell_table_init(&t, CurrentMemoryContext);

	cm.t = &t;
	cm.has_amount = (s->c.flags & COHORT_HAS_AMOUNT) != 0;
	cm.dscale = max_dscale;
	cm.min_period = min_period;
	cm.span = min_period <= max_period ? (int64) max_period - min_period + 1 : 0;
	if (cm.span > 0 && (!period_is_valid(s->period_kind, min_period) ||
						!period_is_valid(s->period_kind, max_period)))
		flat_corrupt("period out of range");
	if (dense_cells_pay(cm.span, nnodes))
		cm.dense = palloc0(sizeof(uint32) * cm.span * cm.span);

	/* one customer at a time, with its entries of every run */
	runs_merge_begin(&m, cur, k, &reader);
	while ((n = runs_merge_next(&m, &entries)) > 0)
	{
		for (int i = 0; i < n; i++)
			take_nodes(&cm, &entries[i]);
		count_customer(&cm, n == 1);
	}
	runs_merge_end(&m);
	for (int i = 0; i < k; i++)
		if (cm.orders[i] != (uint64) cm.h[i].rows)
			flat_corrupt("order counts do not add up to the rows");

	if (cm.dense)
		pfree(cm.dense);
	if (cm.nodes.items)
		pfree(cm.nodes.items);
	pfree(cm.h);
	pfree(cm.nodes_left);
	pfree(cm.orders);
	pfree(cur);
	return matrix_from_cells(&h, &t);
}
