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

/* A customer's cell, summed up from its rows. */
typedef struct LogCell
{
	int64		period;
	int64		units;
	int32		dscale;
} LogCell;

typedef struct LogCustomer
{
	uint32		row;			/* a row of the customer: its key */
	uint32		ncells;
} LogCustomer;

struct RfmAggLog
{
	KeyLog	   *rows;			/* ordinal: the period; payload: the units */
	uint16	   *dscales;		/* of each row, as many as rows->size */
	uint32		dscales_size;
	/* set by rfm_agg_log_flat_size, written by rfm_agg_log_flatten */
	bool		sorted;
	LogCustomer *customers;
	uint32		ncustomers;
	LogCell    *cells;
	uint64		ncells;
	Size		flat_size;
};

void
rfm_agg_log_begin(RfmAggState *s)
{
	Assert(s->log == NULL);
	s->log = MemoryContextAllocZero(s->c.budget.cxt, sizeof(RfmAggLog));
	s->log->rows = key_log_create(&s->c.budget);
}

static void
free_sorted(RfmAggLog *log)
{
	if (log->customers)
		pfree(log->customers);
	if (log->cells)
		pfree(log->cells);
	log->customers = NULL;
	log->cells = NULL;
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
	if (unlikely(log->dscales_size < log->rows->size))
	{
		Size		bytes = sizeof(uint16) * (Size) log->rows->size;
		Size		limit = (Size) retention_max_state_memory * 1024;
		uint16	   *d;

		if (bytes > limit || s->c.budget.used > limit - bytes)
		{
			log->rows->n--;		/* (a long key's copy stays in the arena until the replay) */
			return false;
		}
		d = budget_alloc(&s->c.budget, bytes);
		if (log->dscales_size > 0)
		{
			memcpy(d, log->dscales, sizeof(uint16) * (Size) (log->rows->n - 1));
			budget_free(&s->c.budget, log->dscales, sizeof(uint16) * (Size) log->dscales_size);
		}
		log->dscales = d;
		log->dscales_size = log->rows->size;
	}
	if (dscale < 0)
	{
		units = 0;
		dscale = 0;
	}
	r->ordinal = (uint32) (int32) period;
	r->payload = (uint64) units;
	log->dscales[log->rows->n - 1] = (uint16) dscale;
	log->sorted = false;
	return true;
}

/* Add the logged rows to the tables, free the log and go on as an ordinary state. */
void
rfm_agg_log_replay(RfmAggState *s)
{
	RfmAggLog  *log = s->log;
	KeyLog	   *rows;

	if (log == NULL)
		return;
	s->log = NULL;
	rows = log->rows;
	elog(DEBUG2, "rfm_agg: replaying %u logged rows into the tables", rows->n);
	for (uint32 i = 0; i < rows->n; i++)
	{
		KeyEntry	r = rows->rows[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		r.ordinal = 0;
		r.payload = 0;
		rfm_agg_add_row(s, &r, (int64) (int32) rows->rows[i].ordinal, (int64) rows->rows[i].payload,
						log->dscales[i], (Datum) 0);
	}
	rfm_agg_flush(s);
	free_sorted(log);
	if (log->dscales)
		budget_free(&s->c.budget, log->dscales, sizeof(uint16) * (Size) log->dscales_size);
	key_log_free(rows);
	pfree(log);
}

/* ---- sorting into the flat form ------------------------------------------ */

static int
cmp_cell_period(const void *pa, const void *pb)
{
	int64		a = ((const LogCell *) pa)->period;
	int64		b = ((const LogCell *) pb)->period;

	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Add up one customer's rows, sorted[from .. to), into cells from
 * log->ncells on; false when a sum would overflow the units.
 */
static bool
add_customer(RfmAggLog *log, const uint64 *sorted, uint32 from, uint32 to)
{
	LogCell    *out = &log->cells[log->ncells];
	uint32		n = 0;
	uint32		kept = 0;
	bool		ordered = true;
	LogCustomer *c = &log->customers[log->ncustomers++];

	c->row = (uint32) sorted[from];
	for (uint32 i = from; i < to; i++)
	{
		uint32		row = (uint32) sorted[i];
		const KeyEntry *r = &log->rows->rows[row];

		out[n].period = (int64) (int32) r->ordinal;
		out[n].units = (int64) r->payload;
		out[n].dscale = log->dscales[row];
		if (n > 0 && out[n].period < out[n - 1].period)
			ordered = false;
		n++;
	}
	if (!ordered)
		qsort(out, n, sizeof(LogCell), cmp_cell_period);
	/* one cell per period: the sum, and the largest scale */
	for (uint32 i = 0; i < n; i++)
	{
		if (kept > 0 && out[kept - 1].period == out[i].period)
		{
			if (__builtin_add_overflow(out[kept - 1].units, out[i].units, &out[kept - 1].units))
				return false;
			out[kept - 1].dscale = Max(out[kept - 1].dscale, out[i].dscale);
		}
		else
			out[kept++] = out[i];
	}
	c->ncells = kept;
	log->ncells += kept;
	return true;
}

/* Sort the rows by key hash and add up each customer's cells; false: overflow. */
static bool
log_sort(RfmAggLog *log)
{
	KeyLog	   *rows = log->rows;
	uint32		n = rows->n;
	uint64	   *sorted = key_log_sort(rows);
	bool		ok = true;

	log->customers = palloc_extended(sizeof(LogCustomer) * Max(n, 1), MCXT_ALLOC_HUGE);
	log->cells = palloc_extended(sizeof(LogCell) * Max(n, 1), MCXT_ALLOC_HUGE);
	log->ncustomers = 0;
	log->ncells = 0;
	for (uint32 i = 0; i < n && ok;)
	{
		uint32		end;

		if ((log->ncustomers & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the rows are scattered: ask for those ahead */
		if (i + 16 < n)
		{
			__builtin_prefetch(key_log_row(rows, sorted, i + 16));
			__builtin_prefetch(&log->dscales[(uint32) sorted[i + 16]]);
		}
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
		free_sorted(log);
		if (!log_sort(log))
		{
			rfm_agg_log_replay(s);
			return false;
		}
		log->sorted = true;
	}
	sz = add_size(VARHDRSZ + RFM_AGG_HEADER_MIN + strlen(s->tz),
				  mul_size(log->ncustomers, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
	{
		for (uint32 i = 0; i < log->ncustomers; i++)
			sz = add_size(sz, log->rows->rows[log->customers[i].row].len);
	}
	sz = add_size(sz, mul_size(log->ncells, RFM_AGG_CELL_MIN));
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
	char	   *p;
	const LogCell *cell = log->cells;

	if (!log->sorted || allocated_size != log->flat_size)
		elog(ERROR, "rfm_agg: a logging state flattened without its size");
	p = rfm_agg_put_header(start + VARHDRSZ, s, s->c.ignored_rows, s->c.rows, true);
	p = put_u32(p, log->ncustomers);
	for (uint32 i = 0; i < log->ncustomers; i++)
	{
		const LogCustomer *c = &log->customers[i];

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = key_put(p, s->c.customer_class, &log->rows->rows[c->row]);
		p = put_u32(p, c->ncells);
		for (uint32 j = 0; j < c->ncells; j++, cell++)
		{
			p = put_u64(p, (uint64) cell->period);
			p = put_u8(p, 0);
			p = rfm_put_u16(p, (uint16) cell->dscale);
			p = put_u64(p, (uint64) cell->units);
		}
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "rfm_agg log flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}
