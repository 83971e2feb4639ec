/*
 * order_stats_log.c
 *		A partial order_stats state that logs its rows (key_log.h) and sorts
 *		them into its flat form.
 *
 * A partial state of rows that are orders logs each row's customer key.
 * Flattening it sorts the log by key hash (key_log_cells: every row is of
 * period 0, so each customer gets one cell, its count of rows) and writes
 * each customer with its count, in hash order, as the ordinary flat form of
 * such a state.
 * Anything else that reads the state (os_flush) first replays the logged
 * rows into the customers table, and the state goes on as an ordinary one;
 * so does a state whose table was filled by a merge.  The time range, row
 * counts and revenue are kept by the transition as before.
 */
#include "order_stats_state.h"
#include "key_log.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/memutils.h"

struct OrderStatsLog
{
	KeyLog	   *rows;			/* ordinal 0, payload 0: every row is one cell */
	/* set by os_log_flat_size, written by os_log_flatten */
	bool		sorted;
	LogCustomers customers;		/* each with one cell: its rows */
	Size		flat_size;
};

static void
free_sorted(OrderStatsLog *log)
{
	if (log->sorted)
		key_log_cells_free(&log->customers);
	log->sorted = false;
}

void
os_log_begin(OrderStatsState *s)
{
	Assert(s->log == NULL);
	s->log = MemoryContextAllocZero(s->c.budget.cxt, sizeof(OrderStatsLog));
	s->log->rows = key_log_create(&s->c.budget, false);
}

/* Log a row that is an order of customer; false: the log is full. */
bool
os_log_push(OrderStatsState *s, const KeyEntry *customer)
{
	KeyEntry   *r = key_log_push(s->log->rows, customer);

	if (r == NULL)
		return false;
	r->ordinal = 0;
	r->payload = 0;
	free_sorted(s->log);
	return true;
}

/* Count the logged rows in the customers table, free the log. */
void
os_log_replay(OrderStatsState *s)
{
	OrderStatsLog *log = s->log;
	KeyLog	   *rows;
	LogCustomers lc;

	if (log == NULL)
		return;
	s->log = NULL;
	rows = log->rows;
	free_sorted(log);
	elog(DEBUG2, "order_stats: replaying %u logged rows into the table", rows->n);
	/* counted by customer, and the log freed before the table grows */
	if (!key_log_take_cells(rows, PG_UINT32_MAX, &lc))
		elog(ERROR, "order_stats: a log of rows without amounts overflowed");
	for (uint32 i = 0; i < lc.ncustomers; i++)
	{
		KeyEntry	key = lc.keys[i];

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		key.ordinal = 0;
		key.payload = 1;
		for (uint32 k = 0; k < lc.cells[i].rows; k++)
			os_add_row(s, &key, NULL);
	}
	key_log_cells_free(&lc);
	os_flush(s);
	key_log_free(rows);
	pfree(log);
}

/*
 * The flat size of a logging state, its rows sorted; false when it must be
 * flattened the ordinary way (it was replayed: its table holds customers).
 */
bool
os_log_flat_size(OrderStatsState *s, Size *size)
{
	OrderStatsLog *log = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->c.runs != NULL)
	{
		os_log_replay(s);
		return false;
	}
	if (!log->sorted)
	{
		/* one cell per customer (every row's period is 0): its count of rows */
		MemoryContext old = MemoryContextSwitchTo(s->c.budget.cxt);

		if (!key_log_cells(log->rows, PG_UINT32_MAX, &log->customers))
			elog(ERROR, "order_stats: a log of rows without amounts overflowed");
		MemoryContextSwitchTo(old);
		log->sorted = true;
	}
	sz = add_size(os_flat_header_size(s),
				  mul_size(log->customers.ncustomers, key_flat_size(s->c.customer_class) + 8));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, log->customers.key_bytes);
	budget_check_flat_size(sz);
	log->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that os_log_flat_size sized. */
void
os_log_flatten(OrderStatsState *s, char *start, Size allocated_size)
{
	OrderStatsLog *log = s->log;
	const LogCustomers *lc = &log->customers;
	char	   *p;

	if (!log->sorted || allocated_size != log->flat_size)
		elog(ERROR, "order_stats: a logging state flattened without its size");
	p = os_put_flat_header(s, start, lc->ncustomers, true);
	for (uint32 i = 0; i < lc->ncustomers; i++)
	{
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		Assert(lc->ncells[i] == 1);
		p = key_put(p, s->c.customer_class, &lc->keys[i]);
		p = put_u64(p, (uint64) lc->cells[i].rows);
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "order_stats log flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
	free_sorted(log);			/* a later flattening sorts again */
}
