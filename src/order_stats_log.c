/*
 * order_stats_log.c
 *		A partial order_stats state that logs its rows (key_log.h) and sorts
 *		them into its flat form.
 *
 * A partial state of rows that are orders logs each row's customer key.
 * Flattening it sorts the log by key hash (logged_rows_sort: every row is of
 * period 0, so each customer gets one cell, its count of rows) and writes
 * each customer with its count, in hash order, as the ordinary flat form of
 * such a state.  Anything else that reads the state (os_flush) first
 * replays the logged rows into the customers table, and the state goes on
 * as an ordinary one; so does a state whose table was filled by a merge.
 * The time range, row counts and revenue are kept by the transition as
 * before.
 */
#include "order_stats_state.h"
#include "key_log.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */

void
os_log_begin(OrderStatsState *s)
{
	Assert(s->log == NULL);
	s->log = logged_rows_create(&s->c.budget, false, PG_UINT32_MAX);
}

/* Log a row that is an order of customer; false: the log is full. */
bool
os_log_push(OrderStatsState *s, const KeyEntry *customer)
{
	return logged_rows_push(s->log, customer, 0, 0, 0);
}

/* a customer's orders */
static void
replay_cell(void *state, const KeyEntry *key, const LogCell *cell)
{
	KeyEntry	order = *key;

	order.payload = 1;
	for (uint32 k = 0; k < cell->rows; k++)
		os_add_row((OrderStatsState *) state, &order, NULL);
}

static void
replay_row(void *state, const KeyEntry *key, int64 period, int64 units, uint16 extra)
{
	KeyEntry	order = *key;

	order.payload = 1;
	os_add_row((OrderStatsState *) state, &order, NULL);
}

static void
replay_flush(void *state)
{
	os_flush((OrderStatsState *) state);
}

static const LogReplay order_stats_replay = {replay_cell, replay_row, replay_flush};

/* Count the logged rows in the customers table, free the log. */
void
os_log_replay(OrderStatsState *s)
{
	LoggedRows *l = s->log;

	if (l == NULL)
		return;
	s->log = NULL;
	logged_rows_replay(l, &order_stats_replay, s, "order_stats");
}

/*
 * The flat size of a logging state, its rows sorted; false when it must be
 * flattened the ordinary way (it was replayed: its table holds customers).
 */
bool
os_log_flat_size(OrderStatsState *s, Size *size)
{
	LoggedRows *l = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->c.runs != NULL || !logged_rows_sort(l))
	{
		os_log_replay(s);
		return false;
	}
	sz = add_size(os_flat_header_size(s),
				  mul_size(l->customers.ncustomers, key_flat_size(s->c.customer_class) + 8));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, l->customers.key_bytes);
	budget_check_flat_size(sz);
	l->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that os_log_flat_size sized. */
void
os_log_flatten(OrderStatsState *s, char *start, Size allocated_size)
{
	LoggedRows *l = s->log;
	const LogCustomers *lc = &l->customers;
	char	   *p;

	if (!l->sorted || allocated_size != l->flat_size)
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
	logged_rows_written(l);
}
