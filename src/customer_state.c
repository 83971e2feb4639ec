/*
 * customer_state.c
 *		What the customer-keyed transition states share (see
 *		customer_state.h), and their row batch (row_batch.h).
 */
#include "customer_state.h"

#include "common/int.h"
#include "utils/memutils.h"

#define KEY_BYTES_MIN 1024

/*
 * A new state of the given struct size under parent: in the aggregate's home
 * when parent is one, else in a memory context of its own
 * (state_memory_context).
 */
CustomerState *
customer_state_create(MemoryContext parent, Size size, const char *name,
					  const ExpandedObjectMethods *methods, TimeKind time_kind,
					  KeyClass customer_class, KeyClass order_class, uint8 flags)
{
	MemoryContext cxt = state_memory_context(parent, name);
	CustomerState *s = MemoryContextAllocZero(cxt, size);

	EOH_init_header(&s->hdr, methods, cxt);
	s->budget.cxt = cxt;
	s->budget.used = size;
	s->time_kind = time_kind;
	s->customer_class = customer_class;
	s->order_class = order_class;
	s->flags = flags;
	kt_init(&s->customers, &s->budget);
	kt_init(&s->orders, &s->budget);
	return s;
}

/*
 * The state to update for this row: a new one on the group's first row, else
 * the argument (updated in place, or a copy when it is not ours to update,
 * agg_state.h).  A state read back from a flat value (Citus, a stored state)
 * must be of this call's kinds.
 */
CustomerState *
customer_state_for_row(FunctionCallInfo fcinfo, const AggArgSpec *spec, const AggArgs *a,
					   uint8 flags, const StateKind *kind, CustomerStateCreate create)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	CustomerState *s;

	if (PG_ARGISNULL(0))
		return create(aggcxt, a);
	s = (CustomerState *) state_get_rw(kind, PG_GETARG_DATUM(0), aggcxt);
	if (unlikely(s->customer_class != a->customer_class || s->order_class != a->order_class ||
				 s->time_kind != a->time_kind || s->flags != flags))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s state does not match the aggregate's argument types", spec->agg_name)));
	return s;
}

/* dst's counters += those of another state */
void
customer_state_add_counts(CustomerState *dst, const char *agg_name, int64 ignored_rows, int64 rows,
						  int64 max_at)
{
	if (rows > 0 && (dst->rows == 0 || max_at > dst->max_at))
		dst->max_at = max_at;
	if (pg_add_s64_overflow(dst->rows, rows, &dst->rows) ||
		pg_add_s64_overflow(dst->ignored_rows, ignored_rows, &dst->ignored_rows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s row count out of range", agg_name),
				 errhint("The states combined count more than 9223372036854775807 rows.")));
}

/* From this size on a state's rows go through a batch. */
bool
customer_state_needs_batch(const CustomerState *s)
{
	return s->customers.nslots >= KT_PREFETCH_FROM_SLOTS ||
		(s->order_class && s->orders.nslots >= KT_PREFETCH_FROM_SLOTS);
}

/*
 * Whether the budget still has room for everything applying one more row of
 * a new customer may allocate (with the rows parked in the batch, each also
 * taken as a new customer): the customers table's next doubling, the arena
 * of long keys, the batch's own memory, and extra (the owner's part, such as
 * a cohort node).  An upper bound: a state that may spill stops admitting
 * customers when it says no, before any allocation could fail.
 */
bool
customer_state_has_room(const CustomerState *s, const KeyEntry *customer, Size extra)
{
	return customer_state_has_room_parked(s, customer, 0, extra);
}

/*
 * The same, with 'parked' more rows (of inline keys) waiting in a batch of
 * the owner's own (retention_agg's), each also taken as a new customer.
 */
bool
customer_state_has_room_parked(const CustomerState *s, const KeyEntry *customer, uint32 parked,
							   Size extra)
{
	Size		limit = (Size) retention_max_state_memory * 1024;
	const RowBatch *b = s->batch;
	uint64		n = (uint64) s->customers.nentries + parked + (b ? b->n : 0) + 1;
	uint64		slots = s->customers.nslots;
	Size		need = extra;
	Size		key_len = long_key_bytes(customer, NULL) + (b ? b->key_bytes_used : 0);

	while (n * 4 > slots * 3)
	{
		slots = slots ? slots * 2 : 2;
		need += slots * sizeof(KeyEntry);
	}
	if (key_len > s->customers.arena_free)
		need += Max(s->customers.arena_block, key_len);
	if (b == NULL)
		need += sizeof(RowBatch);
	else if (!row_batch_has_room(b, customer, NULL))
		need += Max(long_key_bytes(customer, NULL), Max(2 * b->key_bytes_size, KEY_BYTES_MIN));
	return s->budget.used <= limit && need <= limit - s->budget.used;
}

/* The state stops admitting customers: from now on their rows go to disk. */
void
customer_state_begin_spill(CustomerState *s, const char *agg_name)
{
	Assert(s->spill_ok && s->spill == NULL);
	s->spill = spill_begin(s->budget.cxt, s->spill_level, agg_name, s->budget.used,
						   s->customers.nentries);
}

/* A spilled state cannot be flattened or merged (yet). */
void
customer_state_refuse_spilled(const CustomerState *s, const char *agg_name)
{
	if (s->spill)
		spill_refuse(agg_name, "Only a state whose aggregate runs in one step (no parallel workers, no partial aggregation, no window) can spill, and its rows on disk stay in this process.");
}

/*
 * Flag a customer in memory of a spilling state whose further rows went to
 * its partition file: it moves into that partition at the end, and only the
 * partition counts it.  Customers are no longer admitted then, so the
 * bitmap's size is known.
 */
void
customer_state_set_on_disk(CustomerState *s, const KeyEntry *e)
{
	Assert(s->spill != NULL);
	if (s->on_disk == NULL)
		s->on_disk = MemoryContextAllocZero(s->budget.cxt,
											sizeof(uint64) * ((Size) s->customers.nentries / 64 + 1));
	s->on_disk[e->ordinal / 64] |= UINT64CONST(1) << (e->ordinal % 64);
	spill_set_mixed(s->spill);
}

/*
 * fn(state, arg) for the state of each partition of spilled state s, made by
 * partition (its rows read back, and in a mixed state its customers in
 * memory that also have rows on disk, which only the partitions count), each
 * freed after.  Those customers are put in their partitions in one pass: a
 * counting sort by partition, in ordinal order within each.  s is only read.
 */
void
customer_state_for_each_partition(CustomerState *s, const char *agg_name, PartitionStateFn partition,
								  void (*fn) (CustomerState *ps, void *arg), void *arg)
{
	StateSpill *sp = s->spill;
	int			nparts = spill_npartitions(sp);
	uint32	   *start = palloc0(sizeof(uint32) * (nparts + 1));
	KeyEntry  **by_part = NULL;

	if (spill_is_mixed(sp))
	{
		uint32		n = s->customers.nentries;
		KeyEntry  **entries = kt_by_ordinal(&s->customers);
		uint32	   *next = palloc(sizeof(uint32) * nparts);

		by_part = palloc_extended(sizeof(KeyEntry *) * Max(n, 1), MCXT_ALLOC_HUGE);
		/* only the customers with rows on disk move; the others were counted in memory */
		for (uint32 i = 0; i < n; i++)
			if (customer_state_on_disk(s, i))
				start[spill_partition_of(sp, entries[i]) + 1]++;
		for (int p = 0; p < nparts; p++)
		{
			start[p + 1] += start[p];
			next[p] = start[p];
		}
		for (uint32 i = 0; i < n; i++)
			if (customer_state_on_disk(s, i))
				by_part[next[spill_partition_of(sp, entries[i])]++] = entries[i];
		elog(DEBUG1, "%s: %u of %u customers in memory also have rows on disk",
			 agg_name, start[nparts], n);
		pfree(next);
		pfree(entries);
	}
	for (int part = 0; part < nparts; part++)
	{
		CustomerState *ps = partition(s, part, by_part ? by_part + start[part] : NULL,
									  start[part + 1] - start[part]);

		if (ps == NULL)
			continue;
		fn(ps, arg);
		MemoryContextDelete(ps->hdr.eoh_context);
	}
	if (by_part)
		pfree(by_part);
	pfree(start);
}

/* ---- the row batch (row_batch.h) ------------------------------------------ */

RowBatch *
row_batch_create(MemBudget *budget)
{
	RowBatch   *b = budget_alloc(budget, sizeof(RowBatch));

	memset(b, 0, sizeof(RowBatch));
	return b;
}

/* Room for the long keys of a row in an applied (empty) batch. */
void
row_batch_make_room(RowBatch *b, MemBudget *budget, const KeyEntry *customer, const KeyEntry *order)
{
	Size		need = long_key_bytes(customer, order);
	Size		size;

	Assert(b->n == 0);
	if (need <= b->key_bytes_size)
		return;
	size = Max(Max(need, 2 * b->key_bytes_size), KEY_BYTES_MIN);
	if (b->key_bytes)
		budget_free(budget, b->key_bytes, b->key_bytes_size);
	b->key_bytes = budget_alloc(budget, size);
	b->key_bytes_size = size;
}
