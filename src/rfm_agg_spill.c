/*
 * rfm_agg_spill.c
 *		rfm_agg's summary of a state that spilled to disk (state_spill.h).
 *
 * A state that may spill stops admitting customers when the budget has no
 * room for another (rfm_agg_state.c); the rows of the customers it does not
 * hold, and those of its customers whose blocks can no longer grow (flagged
 * on disk), go to the partition files as records: a = period, b = units,
 * tail = u16 dscale (-1: a NULL amount), then the numeric when the amount
 * does not fit the units.  The summary is one flat value, written here
 * without a state of the whole: the header (its counts those of the rows
 * taken, as in memory), the customers in memory but those flagged, then
 * those of each partition's state, read back by the transition's code (and
 * the flagged customers of that partition merged in first), which may spill
 * again.  Every customer appears once, with exactly the cells it has in
 * memory; the customers are in neither first-seen nor hash order (no
 * RFM_AGG_HASH_ORDER flag), so rfm_table's rows come in another order.
 */
#include "rfm_agg_state.h"

#include "flat_io.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/* The summary being written: a buffer that grows up to the largest value. */
typedef struct SummaryOut
{
	char	   *data;
	Size		len;
	Size		cap;
	uint32		ncustomers;
} SummaryOut;

static char *
out_room(SummaryOut *o, Size n)
{
	if (o->len + n > o->cap)
	{
		Size		cap;

		if (n > MaxAllocSize || o->len > MaxAllocSize - n)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("rfm_agg summary exceeds 1 GB"),
					 errdetail("rfm_agg returns one value holding every customer's periods, and a value must be smaller than 1 GB."),
					 errhint("Use rfm(ordered_at, amount, observed_until) with GROUP BY customer, or summarize fewer customers per rfm_agg.")));
		cap = Min(Max(2 * o->cap, o->len + n), MaxAllocSize);
		o->data = repalloc_huge(o->data, cap);
		o->cap = cap;
	}
	return o->data + o->len;
}

/*
 * The state of partition part of spilled state s (PartitionStateFn), in
 * CurrentMemoryContext: s's customers entries[0 .. n) (flagged on disk)
 * merged, then the rows of the partition's file added by the transition's
 * code, which may spill in turn.  s is only read.
 */
static CustomerState *
partition_state(CustomerState *cs, int part, KeyEntry **entries, uint32 n)
{
	RfmAggState *s = (RfmAggState *) cs;
	StateSpill *sp = s->c.spill;
	RfmAggState *ps;
	SpillRecord rec;
	bool		has_file = spill_rewind(sp, part);

	if (!has_file && n == 0)
		return NULL;
	ps = rfm_agg_new(CurrentMemoryContext, s->c.time_kind, s->c.customer_class, s->c.flags,
					 s->customer_type, s->tz);
	for (uint32 i = 0; i < n; i++)
	{
		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		rfm_agg_merge_customer(ps, s, entries[i]);
	}
	ps->c.spill_ok = true;
	ps->c.spill_level = spill_level(sp) + 1;
	while (has_file && spill_read(sp, part, &rec))
	{
		int			dscale;
		Datum		slow = (Datum) 0;

		if (rec.tail_len < 2)
			elog(ERROR, "damaged spill record of rfm_agg");
		dscale = (int16) ((uint8) rec.tail[0] | ((uint8) rec.tail[1] << 8));
		if (rec.tail_len > 2)
		{
			/* an aligned copy of the numeric */
			char	   *copy = palloc(rec.tail_len - 2);

			memcpy(copy, rec.tail + 2, rec.tail_len - 2);
			slow = PointerGetDatum(copy);
		}
		rfm_agg_add_row(ps, &rec.customer, rec.a, rec.b, dscale, slow);
		if (slow)
			pfree(DatumGetPointer(slow));
	}
	rfm_agg_flush(ps);			/* every row applied, none parked */
	return &ps->c;
}

static void write_partition(CustomerState *ps, void *arg);

/*
 * Append the customers of s (but those flagged on disk, which only their
 * partitions hold whole), then those of each of its partitions.
 */
static void
write_customers(SummaryOut *o, RfmAggState *s)
{
	KeyEntry  **entries;

	rfm_agg_flush(s);
	entries = kt_by_ordinal(&s->c.customers);
	for (uint32 i = 0; i < s->c.customers.nentries; i++)
	{
		KeyEntry   *e = entries[i];
		char	   *end;

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (customer_state_on_disk(&s->c, e->ordinal))
			continue;
		if (o->ncustomers == PG_UINT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many customers for one rfm_agg state")));
		end = rfm_agg_put_customer(out_room(o, rfm_agg_customer_flat_size(s, e)), s, e);
		o->len = end - o->data;
		o->ncustomers++;
	}
	pfree(entries);
	if (s->c.spill)
	{
		spill_report(s->c.spill);
		customer_state_for_each_partition(&s->c, "rfm_agg", partition_state, write_partition, o);
	}
}

static void
write_partition(CustomerState *ps, void *arg)
{
	write_customers((SummaryOut *) arg, (RfmAggState *) ps);
}

/*
 * rfm_agg_final's value of a state that spilled: the summary rfm_agg_state
 * of every customer, built in a buffer that grows (up to 1 GB, the largest
 * value).  The state is only read: a final function may run more than once
 * on one state.
 */
struct varlena *
rfm_agg_spilled_summary(RfmAggState *s)
{
	SummaryOut	o;
	Size		tzlen = strlen(s->tz);
	Size		ncustomers_at;
	char	   *p;

	Assert(s->c.spill != NULL && s->c.runs == NULL);
	o.cap = VARHDRSZ + RFM_AGG_HEADER_MIN + tzlen + 64 * 1024;
	o.data = palloc(o.cap);
	o.ncustomers = 0;
	p = o.data + VARHDRSZ;
	/* every row was counted by this state; those read back into partitions are not again */
	p = rfm_agg_put_header(p, s, s->c.ignored_rows, s->c.rows, false);	/* not in hash order */
	ncustomers_at = p - o.data;
	o.len = ncustomers_at + 4;

	write_customers(&o, s);
	put_u32(o.data + ncustomers_at, o.ncustomers);
	SET_VARSIZE(o.data, o.len);
	return (struct varlena *) o.data;
}
