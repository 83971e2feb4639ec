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

struct CohortLog
{
	KeyLog	   *rows;			/* ordinal: the period; payload: the units */
	/* set by cs_log_flat_size, written by cs_log_flatten */
	bool		sorted;
	LogCustomers customers;
	Size		flat_size;
};

static void
log_free_sorted(CohortLog *log)
{
	if (log->sorted)
		key_log_cells_free(&log->customers);
	log->sorted = false;
}

void
cs_log_begin(CohortState *s)
{
	Assert(s->log == NULL);
	s->log = MemoryContextAllocZero(s->c.budget.cxt, sizeof(CohortLog));
	s->log->rows = key_log_create(&s->c.budget, false);
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
	log_free_sorted(s->log);
	return true;
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
	LogCustomers lc;

	if (log == NULL)
		return;
	s->log = NULL;
	rows = log->rows;
	log_free_sorted(log);
	elog(DEBUG2, "cohort_agg: replaying %u logged rows into the tables", rows->n);
	if (key_log_take_cells(rows, NODE_ORDERS, &lc))
	{
		/* added up, and the log freed before the tables grow */
		const LogCell *cell = lc.cells;

		for (uint32 i = 0; i < lc.ncustomers; i++)
		{
			KeyEntry	key = lc.keys[i];

			if ((i & 0x3FFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key.ordinal = 0;
			key.payload = 0;
			for (uint32 j = 0; j < lc.ncells[i]; j++, cell++)
				for (uint32 k = 0; k < cell->rows; k++)
					cs_add_units(s, &key, NULL, (int32) cell->period, k == 0 ? cell->units : 0,
								 (Datum) 0);
		}
		key_log_cells_free(&lc);
	}
	else
	{
		/* a sum that overflows the units: row by row (the tables keep the rest exactly) */
		for (uint32 i = 0; i < rows->n; i++)
		{
			KeyEntry	r = *key_log_at(rows, i);
			int32		period = (int32) r.ordinal;
			int64		units = (int64) r.payload;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			r.ordinal = 0;
			r.payload = 0;
			cs_add_units(s, &r, NULL, period, units, (Datum) 0);
		}
	}
	cs_flush(s);
	key_log_free(rows);
	pfree(log);
}

/* ---- sorting into the flat form ------------------------------------------ */

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
		/* in the state's memory: they live until cs_log_flatten */
		MemoryContext old = MemoryContextSwitchTo(s->c.budget.cxt);
		bool		ok = key_log_cells(log->rows, NODE_ORDERS, &log->customers);

		MemoryContextSwitchTo(old);
		if (!ok)
		{
			cs_log_replay(s);
			return false;
		}
		log->sorted = true;
	}
	sz = add_size(cs_flat_header_size(),
				  mul_size(log->customers.ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, log->customers.key_bytes);
	sz = add_size(sz, mul_size(log->customers.ncells_total, COHORT_NODE_FLAT_SIZE));
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
	const LogCustomers *lc = &log->customers;
	const LogCell *cell = lc->cells;
	char	   *p;

	if (!log->sorted || allocated_size != log->flat_size)
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
	log_free_sorted(log);		/* a later flattening sorts again */
}
