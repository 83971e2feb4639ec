/*
 * retention_spill.c
 *		A retention_agg state over retention.max_state_memory spills to disk
 *		(state_spill.h) instead of failing, where it may (spill_allowed):
 *		the rows of actors it does not hold go to the partition files, and
 *		the final count adds the cells of each partition's state to those of
 *		the actors in memory (retention_agg.c).  Every cell of a retention
 *		matrix is a sum over actors, each decided by that actor's events alone
 *		(retention_matrix_sum rests on the same fact), so the cells add up
 *		exactly.
 *
 * A record: the actor, a = the event time, b = the value in units of 10^-8,
 * tail = flags u8 (1: is_start, 2: is_return), then the value as a numeric
 * when it does not fit the units (b is 0 then).
 */
#include "retention_agg.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#define RA_SPILL_START 1
#define RA_SPILL_RETURN 2

/* What ra_new_node may allocate for the next n nodes. */
static Size
ra_node_room(const RaState *s, uint32 n)
{
	uint64		end = (uint64) s->nnodes + n;
	uint32		size = s->chunk0_size;
	Size		need = s->chunks == NULL ? sizeof(RaNode *) * 4 : 0;

	/* chunk 0 doubles from 4 nodes up to its full size */
	while (size < end && size < RA_CHUNK_SIZE)
	{
		size = Min(Max(size * 2, 4), RA_CHUNK_SIZE);
		need += sizeof(RaNode) * size;
	}
	if (end > RA_CHUNK_SIZE)
	{
		uint64		have = s->nnodes == 0 ? 1 : ((uint64) s->nnodes - 1) / RA_CHUNK_SIZE + 1;
		uint64		want = (end - 1) / RA_CHUNK_SIZE + 1;

		if (want > have)
			need += (want - have) * sizeof(RaNode) * RA_CHUNK_SIZE +
				(want > s->nchunks ? sizeof(RaNode *) * 2 * s->nchunks : 0);
	}
	return need;
}

/*
 * What keeping a value that does not fit the units may allocate: its copy,
 * or that of its sum with the node's numeric (taken as at most twice the
 * value's size), and the list's growth.
 */
static Size
ra_exc_room(const RaState *s, Datum big)
{
	Size		need = 2 * VARSIZE_ANY(DatumGetPointer(big)) + 64;

	if (s->nexc == s->exc_size)
		need += sizeof(Datum) * Max(2 * s->exc_size, 8);
	return need;
}

/* Whether ra_add_event surely folds this event into entry e's newest node. */
static bool
ra_event_folds(const RaState *s, const KeyEntry *e, int64 at, int32 period, bool is_start)
{
	uint32		head = RA_HEAD(e->payload);
	const RaNode *h;

	if (head == RA_NONE)
		return false;
	h = ra_node(s, head);
	if (s->kind == RA_WINDOW || s->merged)
		return RA_TAG(e->payload) == (uint32) at && h->key == at;
	return (int32) RA_TAG(e->payload) == period && RA_IN_TAG(e->payload) &&
		(is_start || at >= h->key);
}

/*
 * A row of a state that may spill (c.spill_ok): false while the state has
 * room for it (the caller adds it as usual).  A state without room for one
 * more actor begins to spill; then an actor in memory is updated there while
 * the budget has room for it, and any other row goes to its actor's
 * partition file, the actor in memory flagged (on_disk) so that the final
 * count moves it into its partition.  Returns true when the row was taken.
 */
bool
ra_spill_row(RaState *s, const KeyEntry *probe, int64 at, int32 period, bool is_start,
			 bool is_return, int64 units, Datum big)
{
	Size		limit = (Size) retention_max_state_memory * 1024;
	KeyEntry   *e;
	uint8		flags = (is_start ? RA_SPILL_START : 0) | (is_return ? RA_SPILL_RETURN : 0);

	if (s->c.spill == NULL)
	{
		uint32		parked = s->batch ? s->batch->n : 0;
		/* far more than this row may allocate, whatever the batch holds: no closer look */
		Size		most = (Size) 8 * s->c.customers.nslots * sizeof(KeyEntry) +
			sizeof(RaNode) * RA_CHUNK_SIZE + sizeof(RaNode *) * 2 * s->nchunks +
			Max(s->c.customers.arena_block, probe->len) + 65536 +
			(big ? ra_exc_room(s, big) : 0);
		Size		extra;

		if (s->c.budget.used <= limit && most <= limit - s->c.budget.used)
			return false;
		extra = ra_node_room(s, parked + 1) + (s->batch ? 0 : sizeof(RaBatch)) +
			(big ? ra_exc_room(s, big) : 0);
		if (customer_state_has_room_parked(&s->c, probe, parked, extra))
			return false;
		/* the rows parked so far fit (has_room counted them): apply them first */
		ra_flush(s);
		customer_state_begin_spill(&s->c, "retention_agg");
	}
	ra_flush(s);
	e = kt_find(&s->c.customers, probe);
	if (e)
	{
		Size		need = (ra_event_folds(s, e, at, period, is_start) ? 0 : ra_node_room(s, 1)) +
			(big ? ra_exc_room(s, big) : 0);

		if (s->c.budget.used <= limit && need <= limit - s->c.budget.used)
		{
			uint32		node = ra_add_event(s, probe, at, period, is_start, is_return);

			if (big)
				ra_node_add_value(s, node, big);
			else if (units != 0)
				ra_node_add_units(s, node, units);
			return true;
		}
		customer_state_set_on_disk(&s->c, e);
	}
	if (big)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(big);
		Size		len = VARSIZE_ANY(v);
		char	   *tail = palloc(1 + len);

		tail[0] = (char) flags;
		memcpy(tail + 1, v, len);
		spill_write(s->c.spill, probe, at, 0, tail, 1 + len);
		pfree(tail);
	}
	else
		spill_write(s->c.spill, probe, at, units, &flags, 1);
	return true;
}

/*
 * The state of partition part of spilled state s, in CurrentMemoryContext:
 * the partition's actors in memory whose rows went to disk too (entries[0 ..
 * n)), then the rows of its file, added by the transition's code (so it may
 * spill in turn, one level deeper).  NULL when it has neither.  s is only
 * read.
 */
static CustomerState *
ra_partition_state(CustomerState *cs, int part, KeyEntry **entries, uint32 n)
{
	RaState    *s = (RaState *) cs;
	StateSpill *sp = s->c.spill;
	bool		has_file = spill_rewind(sp, part);
	bool		sunday = (s->opt.flags & RA_SUNDAY) != 0;
	PeriodFinder finder;
	SpillRecord rec;
	RaState    *ps;

	if (!has_file && n == 0)
		return NULL;
	ps = ra_new(CurrentMemoryContext, s->c.time_kind, s->c.customer_class, s->kind, &s->opt, s->window);
	ps->max_dscale = s->max_dscale;
	for (uint32 i = 0; i < n; i++)
	{
		KeyEntry	probe = *entries[i];

		if ((i & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		probe.payload = 0;
		ra_move_actor(ps, &probe, s, RA_HEAD(entries[i]->payload));
	}
	ps->c.spill_ok = true;
	ps->c.spill_level = spill_level(sp) + 1;
	memset(&finder, 0, sizeof(finder));
	if (s->kind != RA_WINDOW)
		period_finder_init(&finder, s->kind == PERIOD_WEEK ? PERIOD_DAY : (PeriodKind) s->kind,
						   s->c.time_kind);
	while (has_file && spill_read(sp, part, &rec))
	{
		uint8		flags;
		Datum		big = (Datum) 0;

		if (rec.tail_len < 1 || (flags = (uint8) rec.tail[0]) == 0 ||
			flags > (RA_SPILL_START | RA_SPILL_RETURN))
			elog(ERROR, "damaged spill record of retention_agg");
		if (rec.tail_len > 1)
		{
			/* an aligned copy of the numeric */
			char	   *copy = palloc(rec.tail_len - 1);

			memcpy(copy, rec.tail + 1, rec.tail_len - 1);
			big = PointerGetDatum(copy);
		}
		ra_add_row(ps, &rec.customer, rec.a,
				   s->kind == RA_WINDOW ? 0 : ra_period_find(&finder, s->kind, sunday, rec.a),
				   (flags & RA_SPILL_START) != 0, (flags & RA_SPILL_RETURN) != 0, rec.b, big);
		if (big)
			pfree(DatumGetPointer(big));
	}
	ra_flush(ps);				/* every row applied, none parked */
	return &ps->c;
}

typedef struct RaEach
{
	void		(*fn) (RaState *ps, void *arg);
	void	   *arg;
} RaEach;

static void
ra_each(CustomerState *ps, void *arg)
{
	RaEach	   *each = (RaEach *) arg;

	each->fn((RaState *) ps, each->arg);
}

/*
 * fn(state, arg) for the state of each partition of spilled state s
 * (customer_state_for_each_partition), each freed after.  s is only read.
 */
void
ra_for_each_partition(RaState *s, void (*fn) (RaState *ps, void *arg), void *arg)
{
	RaEach		each = {fn, arg};

	ra_flush(s);
	customer_state_for_each_partition(&s->c, "retention_agg", ra_partition_state,
									  ra_each, &each);
}
