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

void
rfm_agg_log_begin(RfmAggState *s)
{
	Assert(s->log == NULL);
	s->log = logged_rows_create(&s->c.budget, true, PG_UINT32_MAX);
}

/*
 * Log a row: its period, and its amount in units with their display scale
 * (dscale -1: a NULL amount, which makes a cell and adds nothing).  False
 * when the log cannot take it: a period beyond 32 bits, or no room.
 */
bool
rfm_agg_log_push(RfmAggState *s, const KeyEntry *customer, int64 period, int64 units, int dscale)
{
	if (period != (int64) (int32) period || dscale > PG_UINT16_MAX)
		return false;
	if (dscale < 0)
	{
		units = 0;
		dscale = 0;
	}
	return logged_rows_push(s->log, customer, period, units, (uint16) dscale);
}

/* a customer's cell: its period, its sum and its largest scale */
static void
replay_cell(void *state, const KeyEntry *key, const LogCell *cell)
{
	rfm_agg_add_row((RfmAggState *) state, key, cell->period, cell->units, cell->dscale, (Datum) 0);
}

static void
replay_row(void *state, const KeyEntry *key, int64 period, int64 units, uint16 extra)
{
	rfm_agg_add_row((RfmAggState *) state, key, period, units, extra, (Datum) 0);
}

static void
replay_flush(void *state)
{
	rfm_agg_flush((RfmAggState *) state);
}

static const LogReplay rfm_agg_replay = {replay_cell, replay_row, replay_flush};

/* Add the logged rows to the tables, free the log and go on as an ordinary state. */
void
rfm_agg_log_replay(RfmAggState *s)
{
	LoggedRows *l = s->log;

	if (l == NULL)
		return;
	s->log = NULL;
	logged_rows_replay(l, &rfm_agg_replay, s, "rfm_agg");
}

/*
 * The flat size of a logging state, its rows sorted; false when the state
 * must be flattened the ordinary way (it was replayed: its tables hold
 * customers too, it holds runs, or a sum would overflow).
 */
bool
rfm_agg_log_flat_size(RfmAggState *s, Size *size)
{
	LoggedRows *l = s->log;
	Size		sz;

	if (s->c.customers.nentries > 0 || s->c.runs != NULL || s->c.spill != NULL ||
		!logged_rows_sort(l))
	{
		rfm_agg_log_replay(s);
		return false;
	}
	sz = add_size(VARHDRSZ + RFM_AGG_HEADER_MIN + strlen(s->tz),
				  mul_size(l->customers.ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		sz = add_size(sz, l->customers.key_bytes);
	sz = add_size(sz, mul_size(l->customers.ncells_total, RFM_AGG_CELL_MIN));
	budget_check_flat_size(sz);
	l->flat_size = sz;
	*size = sz;
	return true;
}

/* Write the flat form that rfm_agg_log_flat_size sized. */
void
rfm_agg_log_flatten(RfmAggState *s, char *start, Size allocated_size)
{
	LoggedRows *l = s->log;
	const LogCustomers *lc = &l->customers;
	const LogCell *cell = lc->cells;
	char	   *p;

	if (!l->sorted || allocated_size != l->flat_size)
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
	logged_rows_written(l);
}
