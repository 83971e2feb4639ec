/*
 * cohort_log.c
 *		A partial cohort_agg state that logs its rows (key_log.h) and sorts
 *		them into its flat form.
 *
 * A partial state logs each row that is an order whose amount fits the
 * units: the customer's key, with the period as ordinal and the units as
 * payload.  Flattening it sorts the log by key hash, adds up each
 * customer's periods and writes the flat form directly, in hash order.
 * Anything else that reads the state, and any row the log does not take (an
 * order line, an amount that does not fit the units), first replays the
 * logged rows into the ordinary tables (cs_log_replay, from cs_flush and
 * cs_add_units), and the state goes on as an ordinary one.  So does a state
 * whose sums would overflow, or whose tables were filled by a merge.
 */
#include "cohort_state.h"
#include "key_log.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */

typedef struct LogCustomer
{
	uint32		row;			/* a row of the customer: its key */
	uint32		nnodes;
} LogCustomer;

struct CohortLog
{
	KeyLog	   *rows;			/* ordinal: the period; payload: the units */
	/* set by cs_log_flat_size, written by cs_log_flatten */
	bool		sorted;
	LogCustomer *customers;
	uint32		ncustomers;
	NodeData   *nodes;
	uint64		nnodes;
	Size		flat_size;
};

void
cs_log_begin(CohortState *s)
{
	Assert(s->log == NULL);
	s->log = MemoryContextAllocZero(s->c.budget.cxt, sizeof(CohortLog));
	s->log->rows = key_log_create(&s->c.budget);
}

/* Log one row that is an order with an amount in units; false: the log is full. */
bool
cs_log_push(CohortState *s, const KeyEntry *customer, int32 period, int64 units)
{
	KeyEntry   *r = key_log_push(s->log->rows, customer);

	if (r == NULL)
		return false;
	r->ordinal = (uint32) period;
	r->payload = (uint64) units;
	s->log->sorted = false;
	return true;
}

static void
log_free_sorted(CohortLog *log)
{
	if (log->customers)
		pfree(log->customers);
	if (log->nodes)
		pfree(log->nodes);
	log->customers = NULL;
	log->nodes = NULL;
	log->sorted = false;
}

/*
 * Apply the logged rows to the state's tables, free the log and go on as an
 * ordinary state.
 */
void
cs_log_replay(CohortState *s)
{
	CohortLog  *log = s->log;
	KeyLog	   *rows;

	if (log == NULL)
		return;
	s->log = NULL;
	rows = log->rows;
	elog(DEBUG2, "cohort_agg: replaying %u logged rows into the tables", rows->n);
	for (uint32 i = 0; i < rows->n; i++)
	{
		KeyEntry	r = rows->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		r.ordinal = 0;
		r.payload = 0;
		cs_add_units(s, &r, NULL, (int32) rows->rows[i].ordinal, (int64) rows->rows[i].payload,
					 (Datum) 0);
	}
	cs_flush(s);
	log_free_sorted(log);
	key_log_free(rows);
	pfree(log);
}

/* ---- sorting into the flat form ------------------------------------------ */

static int
cmp_node_period(const void *pa, const void *pb)
{
	int32		a = ((const NodeData *) pa)->period;
	int32		b = ((const NodeData *) pb)->period;

	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Add up one customer's rows, sorted[from .. to), into nodes from
 * log->nnodes on; false when a sum or a count would overflow.
 */
static bool
add_customer(CohortLog *log, const uint64 *sorted, uint32 from, uint32 to)
{
	NodeData   *out = &log->nodes[log->nnodes];
	uint32		n = 0;
	uint32		kept = 0;
	bool		ordered = true;
	LogCustomer *c = &log->customers[log->ncustomers++];

	c->row = (uint32) sorted[from];
	for (uint32 i = from; i < to; i++)
	{
		const KeyEntry *r = key_log_row(log->rows, sorted, i);

		out[n].period = (int32) r->ordinal;
		out[n].orders = 1;
		out[n].amount = (int64) r->payload;
		if (n > 0 && out[n].period < out[n - 1].period)
			ordered = false;
		n++;
	}
	if (!ordered)
		qsort(out, n, sizeof(NodeData), cmp_node_period);
	/* one node per period */
	for (uint32 i = 0; i < n; i++)
	{
		if (kept > 0 && out[kept - 1].period == out[i].period)
		{
			if (out[kept - 1].orders == NODE_ORDERS ||
				__builtin_add_overflow(out[kept - 1].amount, out[i].amount, &out[kept - 1].amount))
				return false;
			out[kept - 1].orders++;
		}
		else
			out[kept++] = out[i];
	}
	c->nnodes = kept;
	log->nnodes += kept;
	return true;
}

/* Sort the rows by key hash and add up each customer's periods; false: overflow. */
static bool
log_sort(CohortLog *log)
{
	KeyLog	   *rows = log->rows;
	uint32		n = rows->n;
	uint64	   *sorted = key_log_sort(rows);
	bool		ok = true;

	log->customers = palloc_extended(sizeof(LogCustomer) * Max(n, 1), MCXT_ALLOC_HUGE);
	log->nodes = palloc_extended(sizeof(NodeData) * Max(n, 1), MCXT_ALLOC_HUGE);
	log->ncustomers = 0;
	log->nnodes = 0;
	for (uint32 i = 0; i < n && ok;)
	{
		uint32		end;

		if ((log->ncustomers & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the rows are scattered: ask for those ahead */
		if (i + 16 < n)
			__builtin_prefetch(key_log_row(rows, sorted, i + 16));
		end = key_log_customer_end(rows, sorted, i);
		ok = add_customer(log, sorted, i, end);
		i = end;
	}
	pfree(sorted);
	return ok;
}

/*
 * The flat size of a logging state, its rows sorted; false when the state
 * must be flattened the ordinary way (it was replayed: its tables hold
 * customers too, or a sum would overflow).
 */
bool
cs_log_flat_size(CohortState *s, Size *size)
{
	CohortLog  *log = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->nexceptions > 0 || s->c.runs != NULL)
	{
		cs_log_replay(s);
		return false;
	}
	if (!log->sorted)
	{
		log_free_sorted(log);
		if (!log_sort(log))
		{
			cs_log_replay(s);
			return false;
		}
		log->sorted = true;
	}
	sz = add_size(cs_flat_header_size(), mul_size(log->ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
	{
		for (uint32 i = 0; i < log->ncustomers; i++)
			sz = add_size(sz, log->rows->rows[log->customers[i].row].len);
	}
	sz = add_size(sz, mul_size(log->nnodes, COHORT_NODE_FLAT_SIZE));
	budget_check_flat_size(sz);
	log->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that cs_log_flat_size sized. */
void
cs_log_flatten(CohortState *s, char *start, Size allocated_size)
{
	CohortLog  *log = s->log;
	char	   *p;
	const NodeData *node = log->nodes;

	if (!log->sorted || allocated_size != log->flat_size)
		elog(ERROR, "cohort_agg: a logging state flattened without its size");
	p = cs_put_flat_header(s, start, log->ncustomers, (uint32) log->nnodes, true);
	for (uint32 i = 0; i < log->ncustomers; i++)
	{
		const LogCustomer *c = &log->customers[i];

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = key_put(p, s->c.customer_class, &log->rows->rows[c->row]);
		p = put_u32(p, c->nnodes);
		for (uint32 j = 0; j < c->nnodes; j++, node++)
		{
			p = put_u32(p, (uint32) node->period);
			p = put_u32(p, node->orders);
			p = put_u64(p, (uint64) node->amount);
		}
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "cohort_agg log flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}
