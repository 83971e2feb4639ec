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

void
cs_log_begin(CohortState *s)
{
	Assert(s->log == NULL);
	s->log = logged_rows_create(&s->c.budget, false, NODE_ORDERS);
}

/* Log one row that is an order with an amount in units; false: the log is full. */
bool
cs_log_push(CohortState *s, const KeyEntry *customer, int32 period, int64 units)
{
	return logged_rows_push(s->log, customer, period, units, 0);
}

/* a cell's orders, its amount with the first */
static void
replay_cell(void *state, const KeyEntry *key, const LogCell *cell)
{
	for (uint32 k = 0; k < cell->rows; k++)
		cs_add_units((CohortState *) state, (KeyEntry *) key, NULL, (int32) cell->period,
					 k == 0 ? cell->units : 0, (Datum) 0);
}

static void
replay_row(void *state, const KeyEntry *key, int64 period, int64 units, uint16 extra)
{
	cs_add_units((CohortState *) state, (KeyEntry *) key, NULL, (int32) period, units, (Datum) 0);
}

static void
replay_flush(void *state)
{
	cs_flush((CohortState *) state);
}

static const LogReplay cohort_replay = {replay_cell, replay_row, replay_flush};

/*
 * Apply the logged rows to the state's tables, free the log and go on as an
 * ordinary state.
 */
void
cs_log_replay(CohortState *s)
{
	LoggedRows *l = s->log;

	if (l == NULL)
		return;
	s->log = NULL;
	logged_rows_replay(l, &cohort_replay, s, "cohort_agg");
}

/*
 * The flat size of a logging state, its rows sorted; false when the state
 * must be flattened the ordinary way (it was replayed: its tables hold
 * customers too, or a sum would overflow).
 */
bool
cs_log_flat_size(CohortState *s, Size *size)
{
	LoggedRows *l = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->nexceptions > 0 || s->c.runs != NULL ||
		!logged_rows_sort(l))
	{
		cs_log_replay(s);
		return false;
	}
	sz = add_size(cs_flat_header_size(),
				  mul_size(l->customers.ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, l->customers.key_bytes);
	sz = add_size(sz, mul_size(l->customers.ncells_total, COHORT_NODE_FLAT_SIZE));
	budget_check_flat_size(sz);
	l->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that cs_log_flat_size sized. */
void
cs_log_flatten(CohortState *s, char *start, Size allocated_size)
{
	LoggedRows *l = s->log;
	const LogCustomers *lc = &l->customers;
	const LogCell *cell = lc->cells;
	char	   *p;

	if (!l->sorted || allocated_size != l->flat_size)
		elog(ERROR, "cohort_agg: a logging state flattened without its size");
	p = cs_put_flat_header(s, start, lc->ncustomers, (uint32) lc->ncells_total, true);
	for (uint32 i = 0; i < lc->ncustomers; i++)
	{
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = key_put(p, s->c.customer_class, &lc->keys[i]);
		p = put_u32(p, lc->ncells[i]);
		for (uint32 j = 0; j < lc->ncells[i]; j++, cell++)
		{
			p = put_u32(p, (uint32) (int32) cell->period);
			p = put_u32(p, cell->rows);
			p = put_u64(p, (uint64) cell->units);
		}
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "cohort_agg log flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
	logged_rows_written(l);
}
