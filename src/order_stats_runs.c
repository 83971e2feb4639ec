/*
 * order_stats_runs.c
 *		The combine of a parallel plan's order_stats states as sorted runs
 *		(customer_runs.h): what is order_stats' own.
 *
 * A run is a flat state (order_stats_state.c) with the ORDER_STATS_HASH_ORDER
 * flag: a state of rows that are orders, each customer's record its key and
 * order count.  The final function adds up the headers (rows, ignored rows,
 * first and last time, the exact revenue) and meets each customer's records
 * of every run at once: one distinct customer, a repeat customer when the
 * counts add up to two or more.
 */
#include "order_stats_state.h"
#include "order_stats_type.h"
#include "customer_runs.h"

#include "flat_io.h"

/* ---- the combine ---------------------------------------------------------- */

static bool
flattens_in_hash_order(const CustomerState *s)
{
	return s->order_class == 0;
}

static bool
flat_in_hash_order(const char *data, Size len)
{
	return len >= 4 && (uint8) data[0] == ORDER_STATS_STATE_VERSION &&
		((uint8) data[3] & ORDER_STATS_HASH_ORDER) != 0;
}

static CustomerState *
state_for_run(CustomerState *dst, const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	OrderStatsFlatHeader h;
	MoneySum	money;

	flat_reader_init(&buf, data, len);
	os_read_flat_header(&buf, &h, &money);
	if (dst == NULL)
		return &os_new(parent, h.time_kind, h.customer_class, h.order_class)->c;
	os_check_compatible((OrderStatsState *) dst, h.time_kind, h.customer_class, h.order_class);
	return dst;
}

static CustomerState *
new_like(const CustomerState *s, MemoryContext parent)
{
	return &os_new(parent, s->time_kind, s->customer_class, s->order_class)->c;
}

static const RunsKind os_runs_kind = {
	&os_kind,
	flattens_in_hash_order,
	flat_in_hash_order,
	state_for_run,
	new_like
};

/* The combine function's fast path (customer_runs_combine). */
bool
os_combine_as_runs(FunctionCallInfo fcinfo, Datum *result)
{
	return customer_runs_combine(&os_runs_kind, fcinfo, result);
}

/* Merge the runs into the state itself (customer_runs_settle). */
void
os_settle(OrderStatsState *s)
{
	customer_runs_settle(&s->c, &os_kind);
}

/* ---- reading runs side by side -------------------------------------------- */

typedef struct OrderStatsMerge
{
	OrderStatsFlatHeader *h;	/* the header of each run */
	uint64	   *counted;		/* of each run: orders of the customers read */
} OrderStatsMerge;

/* A customer's record: u64 order count (RunReader.read_customer). */
static void
read_customer(RunCursor *c, void *arg)
{
	OrderStatsMerge *om = arg;
	uint64		count = get_u64(&c->buf);

	if (count == 0 || count > (uint64) om->h[c->run].rows - om->counted[c->run])
		flat_corrupt("invalid customer order count");
	om->counted[c->run] += count;
	c->count = count;
}

static void
end_run(RunCursor *c, void *arg)
{
	OrderStatsMerge *om = arg;

	if (om->counted[c->run] != (uint64) om->h[c->run].rows)
		flat_corrupt("customer order counts do not add up to the rows");
	if (c->buf.cursor != c->buf.len)
		flat_corrupt("trailing bytes");
}

/*
 * The summary of a state holding runs: what order_stats_build gives of the
 * state they settle into.  The state is not changed: a final function may run
 * more than once on one state.
 */
OrderStats *
order_stats_from_runs(OrderStatsState *s)
{
	CustomerRuns *r = s->c.runs;
	int			k = r->n;
	RunCursor  *cur = palloc0(sizeof(RunCursor) * k);
	OrderStatsMerge om;
	RunReader	reader;
	RunsMerge	m;
	RunEntry   *entries;
	int			n;
	CustomerState counts;
	MoneySum	revenue;
	int64		min_at = 0;
	OrderStats	f;

	elog(DEBUG1, "order_stats: merging %d partial states as sorted runs", k);
	om.h = palloc0(sizeof(OrderStatsFlatHeader) * k);
	om.counted = palloc0(sizeof(uint64) * k);
	reader.customer_class = s->c.customer_class;
	reader.read_customer = read_customer;
	reader.end_run = end_run;
	reader.arg = &om;

	/* the headers: counters, times and revenue */
	memset(&counts, 0, sizeof(counts));
	money_init(&revenue, CurrentMemoryContext);
	for (int i = 0; i < k; i++)
	{
		OrderStatsFlatHeader *h = &om.h[i];
		MoneySum	money;

		run_cursor_open(&cur[i], &r->runs[i], i);
		os_read_flat_header(&cur[i].buf, h, &money);
		if (!h->hash_order)
			flat_corrupt("a run without hash order");
		os_check_compatible(s, h->time_kind, h->customer_class, h->order_class);
		if (h->rows > 0 && (counts.rows == 0 || h->min_at < min_at))
			min_at = h->min_at;
		customer_state_add_counts(&counts, "order_stats", h->ignored_rows, h->rows, h->max_at);
		money_merge(&revenue, &money);
		cur[i].left = h->ncustomers;
		run_cursor_next(&cur[i], &reader);
	}

	memset(&f, 0, sizeof(f));
	f.time_kind = s->c.time_kind;
	f.ignored_rows = counts.ignored_rows;
	f.orders = counts.rows;
	if (counts.rows > 0)
	{
		f.first_at = min_at;
		f.last_at = counts.max_at;
	}

	/* one customer at a time, with its entries of every run */
	runs_merge_begin(&m, cur, k, &reader);
	while ((n = runs_merge_next(&m, &entries)) > 0)
	{
		uint64		orders = 0;

		for (int i = 0; i < n; i++)
			orders += entries[i].count;
		f.customers++;
		if (orders >= 2)
			f.repeat_customers++;
	}
	runs_merge_end(&m);

	pfree(om.h);
	pfree(om.counted);
	pfree(cur);
	return order_stats_assemble(&f, revenue.count > 0 ?
								DatumGetNumeric(money_result(&revenue)) : NULL);
}
