/*
 * rfm_agg_log.c
 *		An rfm_agg state that logs its rows (key_log.h) and sorts them into
 *		its flat form: a partial state's, and a serial one's until the log
 *		would outgrow retention.max_state_memory.
 *
 * Each row whose amount fits the units (or is NULL) and whose period fits
 * 32 bits is logged: the customer's key, the period as ordinal, the units as
 * payload, its display scale beside.  Flattening the state sorts the log by
 * key hash, adds up each customer's periods and writes the flat form
 * directly, with its customers in hash order (the order a parallel plan's
 * runs need; rfm_agg's result then lists its customers in that order too).
 * Anything else that reads the state, and any row the log does not take,
 * first replays the logged rows into the ordinary tables (rfm_agg_log_replay,
 * from rfm_agg_flush and rfm_agg_add_row), and the state goes on as an
 * ordinary one, which may spill.  So does a state whose sums would overflow.
 */
#include "rfm_agg_state.h"
#include "key_log.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/memutils.h"

struct RfmAggLog
{
	KeyLog	   *rows;			/* ordinal: the period; payload: the units; extra: the scale */
	/* set by rfm_agg_log_flat_size, written by rfm_agg_log_flatten */
	bool		sorted;
	LogCustomers customers;
	Size		flat_size;
};

void
rfm_agg_log_begin(RfmAggState *s)
{
	Assert(s->log == NULL);
	s->log = MemoryContextAllocZero(s->c.budget.cxt, sizeof(RfmAggLog));
	s->log->rows = key_log_create(&s->c.budget, true);
}

static void
free_sorted(RfmAggLog *log)
{
	if (log->sorted)
		key_log_cells_free(&log->customers);
	log->sorted = false;
}

/*
 * Log a row: its period, and its amount in units with their display scale
 * (dscale -1: a NULL amount, which makes a cell and adds nothing).  False
 * when the log cannot take it: a period beyond 32 bits, or no room.
 */
bool
rfm_agg_log_push(RfmAggState *s, const KeyEntry *customer, int64 period, int64 units, int dscale)
{
	RfmAggLog  *log = s->log;
	KeyEntry   *r;

	if (period != (int64) (int32) period || dscale > PG_UINT16_MAX)
		return false;
	r = key_log_push(log->rows, customer);
	if (r == NULL)
		return false;
	if (dscale < 0)
	{
		units = 0;
		dscale = 0;
	}
	r->ordinal = (uint32) (int32) period;
	r->payload = (uint64) units;
	*key_log_extra(log->rows, log->rows->n - 1) = (uint16) dscale;
	free_sorted(log);
	return true;
}

/* Add the logged rows to the tables, free the log and go on as an ordinary state. */
void
rfm_agg_log_replay(RfmAggState *s)
{
	RfmAggLog  *log = s->log;
	KeyLog	   *rows;
	LogCustomers lc;

	if (log == NULL)
		return;
	s->log = NULL;
	rows = log->rows;
	free_sorted(log);
	elog(DEBUG2, "rfm_agg: replaying %u logged rows into the tables", rows->n);
	if (key_log_take_cells(rows, PG_UINT32_MAX, &lc))
	{
		/* added up, and the log freed before the tables grow (or spill) */
		const LogCell *cell = lc.cells;

		for (uint32 i = 0; i < lc.ncustomers; i++)
		{
			KeyEntry	key = lc.keys[i];

			if ((i & 0x3FFF) == 0)
				CHECK_FOR_INTERRUPTS();
			key.ordinal = 0;
			key.payload = 0;
			for (uint32 j = 0; j < lc.ncells[i]; j++, cell++)
				rfm_agg_add_row(s, &key, cell->period, cell->units, cell->dscale, (Datum) 0);
		}
		key_log_cells_free(&lc);
	}
	else
	{
		/* a sum that overflows the units: row by row (the cells go slow) */
		for (uint32 i = 0; i < rows->n; i++)
		{
			KeyEntry	r = *key_log_at(rows, i);
			int64		period = (int64) (int32) r.ordinal;
			int64		units = (int64) r.payload;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			r.ordinal = 0;
			r.payload = 0;
			rfm_agg_add_row(s, &r, period, units, *key_log_extra(rows, i), (Datum) 0);
		}
	}
	rfm_agg_flush(s);
	key_log_free(rows);
	pfree(log);
}

/* ---- sorting into the flat form ------------------------------------------ */

/*
 * The flat size of a logging state, its rows sorted; false when the state
 * must be flattened the ordinary way (it was replayed: its tables hold
 * customers too, it holds runs, or a sum would overflow).
 */
bool
rfm_agg_log_flat_size(RfmAggState *s, Size *size)
{
	RfmAggLog  *log = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->c.runs != NULL || s->c.spill != NULL)
	{
		rfm_agg_log_replay(s);
		return false;
	}
	if (!log->sorted)
	{
		/* in the state's memory: they live until rfm_agg_log_flatten */
		MemoryContext old = MemoryContextSwitchTo(s->c.budget.cxt);
		bool		ok = key_log_cells(log->rows, PG_UINT32_MAX, &log->customers);

		MemoryContextSwitchTo(old);
		if (!ok)
		{
			rfm_agg_log_replay(s);
			return false;
		}
		log->sorted = true;
	}
	sz = add_size(VARHDRSZ + RFM_AGG_HEADER_MIN + strlen(s->tz),
				  mul_size(log->customers.ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, log->customers.key_bytes);
	sz = add_size(sz, mul_size(log->customers.ncells_total, RFM_AGG_CELL_MIN));
	budget_check_flat_size(sz);
	log->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that rfm_agg_log_flat_size sized. */
void
rfm_agg_log_flatten(RfmAggState *s, char *start, Size allocated_size)
{
	RfmAggLog  *log = s->log;
	const LogCustomers *lc = &log->customers;
	const LogCell *cell = lc->cells;
	char	   *p;

	if (!log->sorted || allocated_size != log->flat_size)
		elog(ERROR, "rfm_agg: a logging state flattened without its size");
	p = rfm_agg_put_header(start + VARHDRSZ, s, s->c.ignored_rows, s->c.rows, true);
	p = put_u32(p, lc->ncustomers);
	for (uint32 i = 0; i < lc->ncustomers; i++)
	{
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = key_put(p, s->c.customer_class, &lc->keys[i]);
		p = put_u32(p, lc->ncells[i]);
		for (uint32 j = 0; j < lc->ncells[i]; j++, cell++)
		{
			p = put_u64(p, (uint64) cell->period);
			p = put_u8(p, 0);
			p = rfm_put_u16(p, cell->dscale);
			p = put_u64(p, (uint64) cell->units);
		}
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "rfm_agg log flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
	free_sorted(log);			/* a later flattening sorts again */
}
