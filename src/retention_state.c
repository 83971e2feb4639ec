/*
 * retention_state.c
 *		The transition state of retention_agg (the SQL type retention_state):
 *		in memory, merging, and its flat form.
 *
 * The state keeps, per actor (a CustomerState's KeyTable, as cohort_state
 * does), nodes keyed by a time (retention_agg.h says what a key means for
 * windows and for calendar periods, whose rows of one period fold into one
 * node while they come together).  A node counts the return events, sums their
 * values exactly (units of 10^-8, the rest as numerics) and says whether an
 * is_start event was there.  Combining two states appends the other's nodes
 * to each actor's chain, so every plan sees the events a serial plan sees.
 * Bounded by retention.max_state_memory.
 *
 * Flat form (integers little-endian, flat_io.h):
 *   version u8 (1), time_kind u8, key_class u8, kind u8 (PeriodKind or
 *   RA_WINDOW), flags u8 (RA_*), min_occurrences u32, window u64,
 *   nbrackets u32, nbrackets x u32, max_dscale u32, ignored_rows u64,
 *   rows u64, max_at u64, nactors u32,
 *   nactors x (key (keytable.h), nnodes u32 (>= 1),
 *              nnodes x (key u64 (a time), units u64, returns u32,
 *                        flags u8 (1: is_start, 2: pending),
 *                        rest numeric field (flat_io.h; length 0: none)))
 * Every field is checked on the way in.
 */
#include "retention_agg.h"
#include "flat_io.h"

#include "common/int.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#define RA_STATE_VERSION 1
#define RA_NODE_FLAT_SIZE (8 + 8 + 4 + 1)

/* ---- the state ------------------------------------------------------------ */

static Size ra_get_flat_size(ExpandedObjectHeader *eohptr);
static void ra_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods ra_methods = {
	ra_get_flat_size,
	ra_flatten_into
};

RaState *
ra_new(MemoryContext parent, TimeKind time_kind, KeyClass key_class, uint8 kind,
	   const RaOptions *opt, int64 window)
{
	RaState    *s = (RaState *) customer_state_create(parent, sizeof(RaState), "retention_agg state",
													  &ra_methods, time_kind, key_class, 0, 0);

	s->kind = kind;
	s->opt = *opt;
	s->window = window;
	return s;
}

static uint32
ra_new_node(RaState *s)
{
	uint32		i = s->nnodes;

	if (i == RA_HEAD_BITS - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention_agg state cannot hold more than %u (actor, period) pairs", RA_HEAD_BITS - 1),
				 errhint("Aggregate fewer actors or events per group.")));
	if (i < RA_CHUNK_SIZE)
	{
		/*
		 * The first chunk starts small and doubles up to its full size:
		 * GROUP BY makes many states of a few nodes each.
		 */
		if (i == s->chunk0_size)
		{
			uint32		size = Min(Max(s->chunk0_size * 2, 4), RA_CHUNK_SIZE);
			RaNode	   *grown = budget_alloc(&s->c.budget, sizeof(RaNode) * size);

			if (s->chunks == NULL)
			{
				s->chunks = budget_alloc(&s->c.budget, sizeof(RaNode *) * 4);
				s->nchunks = 4;
			}
			else
			{
				memcpy(grown, s->chunks[0], sizeof(RaNode) * i);
				budget_free(&s->c.budget, s->chunks[0], sizeof(RaNode) * s->chunk0_size);
			}
			s->chunks[0] = grown;
			s->chunk0_size = size;
		}
	}
	else if ((i & (RA_CHUNK_SIZE - 1)) == 0)
	{
		uint32		chunk = i >> RA_CHUNK_BITS;

		if (chunk >= s->nchunks)
		{
			uint32		n = s->nchunks * 2;
			RaNode	  **grown = budget_alloc(&s->c.budget, sizeof(RaNode *) * n);

			memcpy(grown, s->chunks, sizeof(RaNode *) * s->nchunks);
			budget_free(&s->c.budget, s->chunks, sizeof(RaNode *) * s->nchunks);
			s->chunks = grown;
			s->nchunks = n;
		}
		s->chunks[chunk] = budget_alloc(&s->c.budget, sizeof(RaNode) * RA_CHUNK_SIZE);
	}
	s->nnodes++;
	return i;
}

/* index + 1 of a numeric value kept in the state */
static uint32
ra_add_exc(RaState *s, Datum value)
{
	struct varlena *v = PG_DETOAST_DATUM(value);
	Size		len = VARSIZE(v);
	struct varlena *copy;

	if (s->nexc >= RA_MAX_EXC)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention_agg state cannot hold more than %u exact values", RA_MAX_EXC)));
	if (s->nexc == s->exc_size)
	{
		uint32		n = Max(s->exc_size * 2, 8);
		Datum	   *grown = budget_alloc(&s->c.budget, sizeof(Datum) * n);

		if (s->exc)
		{
			memcpy(grown, s->exc, sizeof(Datum) * s->nexc);
			budget_free(&s->c.budget, s->exc, sizeof(Datum) * s->exc_size);
		}
		s->exc = grown;
		s->exc_size = n;
	}
	copy = budget_alloc(&s->c.budget, len);
	memcpy(copy, v, len);
	s->exc[s->nexc++] = PointerGetDatum(copy);
	return s->nexc;
}

/* node += a value (not NULL) */
void
ra_node_add_value(RaState *s, uint32 node, Datum value)
{
	int64		units;
	int			dscale;
	RaNode	   *n;

	if (money_units64(value, &units, &dscale))
	{
		n = ra_node(s, node);
		if (!pg_add_s64_overflow(n->units, units, &n->units))
		{
			s->max_dscale = Max(s->max_dscale, dscale);
			return;
		}
	}
	if (dscale > s->max_dscale)
		s->max_dscale = dscale;
	n = ra_node(s, node);
	if (n->exc)
	{
		Datum		sum = DirectFunctionCall2(numeric_add, s->exc[n->exc - 1], value);

		/* (the old numeric stays in the budget until the state goes) */
		n->exc = ra_add_exc(s, sum);
	}
	else
	{
		uint32		e = ra_add_exc(s, value);

		ra_node(s, node)->exc = e;
	}
}

/* a new newest node of entry e's actor, and the payload's tag and bits */
static uint32
ra_new_node_of(RaState *s, KeyEntry *e, int64 key, uint32 tag, bool in_tag, bool bound)
{
	uint32		i = ra_new_node(s);
	RaNode	   *n = ra_node(s, i);

	/* (a new node moves no entry: the actors table is untouched) */
	memset(n, 0, sizeof(RaNode));
	n->key = key;
	n->actor = e->ordinal;
	n->next = RA_HEAD(e->payload);
	e->payload = RA_PAYLOAD(i, tag, in_tag, bound);
	return i;
}

static inline uint32
ra_apply(RaState *s, uint32 i, bool is_start, bool is_return)
{
	RaNode	   *n = ra_node(s, i);

	if (is_start)
		n->start = 1;
	if (is_return)
		ra_count_return(n);
	return i;
}

/*
 * The node that takes an event of the actor 'probe' at time 'at' (calendar
 * periods: in period 'period'), with its is_start flag set and its return
 * event counted (the caller adds the value).  The rules keep what
 * retention_agg.h says of the nodes' keys.
 */
uint32
ra_add_event(RaState *s, const KeyEntry *probe, int64 at, int32 period, bool is_start, bool is_return)
{
	bool		found;
	KeyEntry   *e = kt_insert(&s->c.customers, probe, &found);
	uint32		head = found ? RA_HEAD(e->payload) : RA_NONE;
	RaNode	   *h;

	if (!found)
		e->payload = RA_PAYLOAD(RA_NONE, 0, false, false);
	if (s->kind == RA_WINDOW || s->merged)
	{
		/* windows: a node per instant (merged states: their tags are keys too) */
		if (head != RA_NONE && RA_TAG(e->payload) == (uint32) at && ra_node(s, head)->key == at)
			return ra_apply(s, head, is_start, is_return);
		return ra_apply(s, ra_new_node_of(s, e, at, (uint32) at, false, false), is_start, is_return);
	}

	/* the newest node in this period: a bounding one ('in tag'), or pending (not 'bound') */
	if (head != RA_NONE && (int32) RA_TAG(e->payload) == period &&
		(RA_IN_TAG(e->payload) || !RA_BOUND(e->payload)))
	{
		h = ra_node(s, head);
		if (RA_IN_TAG(e->payload))
		{
			/* the newest node bounds this period's events at or after its key */
			if (is_start || at >= h->key)
			{
				if (at < h->key)
					h->key = at;	/* an earlier is_start event: still before its returns */
				return ra_apply(s, head, is_start, is_return);
			}
		}
		else if (h->pending && is_start && at <= h->key)
		{
			/* an is_start event at or before the pending returns: they are bounded */
			h->key = at;
			h->pending = 0;
			e->payload = RA_PAYLOAD(head, period, true, true);
			return ra_apply(s, head, is_start, is_return);
		}
		else if (h->pending && !is_start && at == h->key)
			return ra_apply(s, head, false, true);
	}
	else if (head != RA_NONE && !is_start && RA_BOUND(e->payload) &&
			 !(s->opt.flags & RA_RECURRING) && (int32) RA_TAG(e->payload) < period)
	{
		/*
		 * First-time cohorts: an is_start event lies before this event's
		 * period, which can only be a later offset of the anchor.
		 */
		return ra_apply(s, ra_new_node_of(s, e, at, (uint32) period, true, true), false, true);
	}
	if (is_start)
		return ra_apply(s, ra_new_node_of(s, e, at, (uint32) period, true, true), true, is_return);

	/*
	 * A return event that nothing bounds yet: a pending node.  The tag keeps
	 * a bound it has (the node is then not "in" it).
	 */
	{
		uint32		i;

		if (head != RA_NONE && RA_BOUND(e->payload))
			i = ra_new_node_of(s, e, at, RA_TAG(e->payload), false, true);
		else
			i = ra_new_node_of(s, e, at, (uint32) period, false, false);
		ra_node(s, i)->pending = 1;
		return ra_apply(s, i, false, true);
	}
}

/*
 * src's node sn, added to the actor 'e' of a merged state: folded into the
 * newest node when it has the same key (the union keeps what retention_agg.h
 * says of keys), else a new newest node.  The tags become keys.
 */
static uint32
ra_merge_node(RaState *dst, KeyEntry *e, int64 key, bool start, bool pending)
{
	uint32		head = RA_HEAD(e->payload);
	RaNode	   *n;

	if (head != RA_NONE && RA_TAG(e->payload) == (uint32) key && ra_node(dst, head)->key == key)
	{
		n = ra_node(dst, head);
		n->start |= start;
		n->pending &= pending;
		return head;
	}
	head = ra_new_node_of(dst, e, key, (uint32) key, false, false);
	n = ra_node(dst, head);
	n->start = start;
	n->pending = pending;
	return head;
}

/* A return event's value as units (it fit them when the row was read). */
void
ra_node_add_units(RaState *s, uint32 node, int64 units)
{
	RaNode	   *n = ra_node(s, node);

	if (pg_add_s64_overflow(n->units, units, &n->units))
		/* the units have no digits past the largest scale */
		ra_node_add_value(s, node, money_numeric((int128) units, s->max_dscale));
}

/* The rows of the batch, applied. */
void
ra_flush(RaState *s)
{
	RaBatch    *b = s->batch;

	if (b == NULL)
		return;
	for (int i = 0; i < b->n; i++)
	{
		RaBatchRow *row = &b->rows[i];
		uint32		node = ra_add_event(s, &row->actor, row->at, row->period, row->start, row->is_return);

		if (row->units != 0)
			ra_node_add_units(s, node, row->units);
	}
	b->n = 0;
}

/*
 * Count one event row of actor probe, its value in units of 10^-8, or big
 * when it does not fit them (units 0 then): through the batch once the actors
 * table outgrows the caches, or to disk in a state that spills
 * (retention_spill.c).
 */
void
ra_add_row(RaState *s, const KeyEntry *probe, int64 at, int32 period, bool is_start,
		   bool is_return, int64 units, Datum big)
{
	uint32		node;

	if (s->c.spill_ok && ra_spill_row(s, probe, at, period, is_start, is_return, units, big))
		return;
	if (s->c.customers.nslots >= KT_PREFETCH_FROM_SLOTS && probe->len <= KEY_INLINE_MAX && big == 0)
	{
		RaBatchRow *row;

		if (s->batch == NULL)
		{
			s->batch = budget_alloc(&s->c.budget, sizeof(RaBatch));
			s->batch->n = 0;
		}
		row = &s->batch->rows[s->batch->n++];
		row->actor = *probe;
		row->at = at;
		row->period = period;
		row->units = units;
		row->start = is_start;
		row->is_return = is_return;
		kt_prefetch(&s->c.customers, probe);
		if (s->batch->n == RA_BATCH_SIZE)
			ra_flush(s);
		return;
	}
	node = ra_add_event(s, probe, at, period, is_start, is_return);
	if (big)
		ra_node_add_value(s, node, big);
	else if (units != 0)
		ra_node_add_units(s, node, units);
}

static void
ra_merge_counters(RaState *dst, int64 ignored_rows, int64 rows, int64 max_at, int32 max_dscale)
{
	customer_state_add_counts(&dst->c, "retention_agg", ignored_rows, rows, max_at);
	dst->max_dscale = Max(dst->max_dscale, max_dscale);
}

bool
ra_same_options(const RaOptions *a, const RaOptions *b)
{
	return a->flags == b->flags && a->min_occurrences == b->min_occurrences &&
		a->nbrackets == b->nbrackets &&
		memcmp(a->brackets, b->brackets, sizeof(int32) * a->nbrackets) == 0;
}

static void
ra_check_compatible(const RaState *dst, TimeKind time_kind, KeyClass key_class, uint8 kind,
					const RaOptions *opt, int64 window)
{
	if (dst->c.time_kind != time_kind || dst->c.customer_class != key_class)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine retention_agg states of different actor or time types")));
	if (dst->kind != kind || dst->window != window || !ra_same_options(&dst->opt, opt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine retention_agg states of different periods or options"),
				 errhint("Give every row of a group the same period, value form and options.")));
}

/* dst += src's nodes of one actor */
void
ra_merge_actor(RaState *dst, const KeyEntry *probe, const RaState *src, uint32 head)
{
	bool		found;
	KeyEntry   *e = kt_insert(&dst->c.customers, probe, &found);

	if (!found)
		e->payload = RA_PAYLOAD(RA_NONE, 0, false, false);
	for (uint32 i = head; i != RA_NONE; i = ra_node(src, i)->next)
	{
		const RaNode *sn = ra_node(src, i);
		uint32		d = ra_merge_node(dst, e, sn->key, sn->start, sn->pending);
		RaNode	   *dn = ra_node(dst, d);

		if (pg_add_u32_overflow(dn->returns, sn->returns, &dn->returns))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("retention_agg cannot count more than %u return events of one actor in one period",
							PG_UINT32_MAX)));
		if (sn->units != 0)
		{
			if (pg_add_s64_overflow(dn->units, sn->units, &dn->units))
			{
				/* the units have no digits past the largest scale */
				ra_node_add_value(dst, d, money_numeric((int128) sn->units, src->max_dscale));
			}
		}
		if (sn->exc)
			ra_node_add_value(dst, d, src->exc[sn->exc - 1]);
	}
}

/*
 * dst (not merged) += src's actor of chain head: an actor in memory of a
 * spilling state, moved into its partition's state, whose later rows the
 * transition's rules then add.  Calendar periods: the newest node by key
 * becomes the chain's head, and the payload says of it what retention_agg.h
 * says: a node that is not pending is bounded (an is_start event lies at or
 * before its key, in its period or before), a pending one bounds nothing.
 */
void
ra_move_actor(RaState *dst, const KeyEntry *probe, const RaState *src, uint32 head)
{
	KeyEntry   *e;
	RaNode	   *h;
	RaNode	   *newest;
	int32		period;

	Assert(!dst->merged);
	ra_merge_actor(dst, probe, src, head);
	if (dst->kind == RA_WINDOW)
		return;					/* the payload is already what a window's rows need */
	e = kt_find(&dst->c.customers, probe);
	h = ra_node(dst, RA_HEAD(e->payload));
	newest = h;
	for (uint32 i = h->next; i != RA_NONE; i = ra_node(dst, i)->next)
		if (ra_node(dst, i)->key > newest->key)
			newest = ra_node(dst, i);
	if (newest != h)
	{
		/* swap the contents, not the links */
		RaNode		x = *h;
		uint32		h_next = h->next;
		uint32		n_next = newest->next;

		*h = *newest;
		*newest = x;
		h->next = h_next;
		newest->next = n_next;
	}
	period = ra_period_of(dst->kind, (dst->opt.flags & RA_SUNDAY) != 0, dst->c.time_kind, h->key);
	e->payload = RA_PAYLOAD(RA_HEAD(e->payload), period, !h->pending, !h->pending);
}

static void
ra_merge(ExpandedObjectHeader *dst_eoh, ExpandedObjectHeader *src_eoh)
{
	RaState    *dst = (RaState *) dst_eoh;
	RaState    *src = (RaState *) src_eoh;
	uint64		n = 0;

	ra_flush(dst);
	ra_flush(src);
	customer_state_refuse_spilled(&src->c, "retention_agg");
	customer_state_refuse_spilled(&dst->c, "retention_agg");
	dst->merged = true;
	ra_check_compatible(dst, src->c.time_kind, src->c.customer_class, src->kind, &src->opt, src->window);
	ra_merge_counters(dst, src->c.ignored_rows, src->c.rows, src->c.max_at, src->max_dscale);
	for (KeyEntry *e = kt_first(&src->c.customers); e; e = kt_next(&src->c.customers, e))
	{
		KeyEntry	probe = *e;

		if ((++n & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		probe.payload = 0;
		ra_merge_actor(dst, &probe, src, RA_HEAD(e->payload));
	}
}

/* ---- the flat form ---------------------------------------------------------- */

#define RA_HEADER_SIZE (5 + 4 + 8 + 4 + 4 + 8 * 3 + 4)

static Size
ra_get_flat_size(ExpandedObjectHeader *eohptr)
{
	RaState    *s = (RaState *) eohptr;
	Size		size;

	ra_flush(s);
	customer_state_refuse_spilled(&s->c, "retention_agg");
	size = VARHDRSZ + RA_HEADER_SIZE + 4 * s->opt.nbrackets;

	/* actors: key and count; nodes: fixed part and their numeric rests */
	size = add_size(size, mul_size(s->c.customers.nentries, key_flat_size(s->c.customer_class) + 4));
	if (s->c.customer_class == KEY_BYTES)
		size = add_size(size, s->c.customers.key_bytes);
	size = add_size(size, mul_size(s->nnodes, RA_NODE_FLAT_SIZE + 4));
	for (uint32 i = 0; i < s->nnodes; i++)
	{
		const RaNode *n = ra_node(s, i);

		if (n->exc)
			size = add_size(size, flat_numeric_field_size(s->exc[n->exc - 1]) - 4);
	}
	budget_check_flat_size(size);
	return size;
}

static void
ra_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	RaState    *s = (RaState *) eohptr;
	char	   *start = (char *) result;
	char	   *p = start + VARHDRSZ;
	uint64		n = 0;

	ra_flush(s);
	p = put_u8(p, RA_STATE_VERSION);
	p = put_u8(p, s->c.time_kind);
	p = put_u8(p, s->c.customer_class);
	p = put_u8(p, s->kind);
	p = put_u8(p, s->opt.flags);
	p = put_u32(p, (uint32) s->opt.min_occurrences);
	p = put_u64(p, (uint64) s->window);
	p = put_u32(p, (uint32) s->opt.nbrackets);
	for (int i = 0; i < s->opt.nbrackets; i++)
		p = put_u32(p, (uint32) s->opt.brackets[i]);
	p = put_u32(p, (uint32) s->max_dscale);
	p = put_u64(p, (uint64) s->c.ignored_rows);
	p = put_u64(p, (uint64) s->c.rows);
	p = put_u64(p, (uint64) s->c.max_at);
	p = put_u32(p, s->c.customers.nentries);
	for (KeyEntry *e = kt_first(&s->c.customers); e; e = kt_next(&s->c.customers, e))
	{
		uint32		count = 0;

		if ((++n & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = key_put(p, s->c.customer_class, e);
		for (uint32 i = RA_HEAD(e->payload); i != RA_NONE; i = ra_node(s, i)->next)
			count++;
		p = put_u32(p, count);
		for (uint32 i = RA_HEAD(e->payload); i != RA_NONE; i = ra_node(s, i)->next)
		{
			const RaNode *nd = ra_node(s, i);

			p = put_u64(p, (uint64) nd->key);
			p = put_u64(p, (uint64) nd->units);
			p = put_u32(p, nd->returns);
			p = put_u8(p, (uint8) (nd->start | nd->pending << 1));
			if (nd->exc)
				p = put_numeric_field(p, s->exc[nd->exc - 1]);
			else
				p = put_u32(p, 0);
		}
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "retention_agg state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

/* the period and options of a flat state or matrix, checked (kind 0: allow_none) */
void
ra_read_options(StringInfo buf, RaOptions *opt, uint8 *kind, int64 *window, bool allow_none)
{
	*kind = get_u8(buf);
	opt->flags = get_u8(buf);
	opt->min_occurrences = (int32) get_u32(buf);
	*window = (int64) get_u64(buf);
	opt->nbrackets = (int32) get_u32(buf);
	if ((*kind < 1 && !allow_none) || *kind > RA_WINDOW)
		flat_corrupt("unknown period");
	if ((opt->flags & ~RA_ALL_FLAGS) != 0)
		flat_corrupt("unknown option bits");
	if (opt->min_occurrences < 1)
		flat_corrupt("min_occurrences below 1");
	if ((*kind == RA_WINDOW) != (*window != 0) || *window < 0 || (*kind == 0 && opt->flags != 0))
		flat_corrupt("invalid window");
	if (opt->nbrackets < 0 || opt->nbrackets > RA_MAX_BRACKETS)
		flat_corrupt("invalid number of brackets");
	for (int i = 0; i < opt->nbrackets; i++)
	{
		opt->brackets[i] = (int32) get_u32(buf);
		if (opt->brackets[i] < 1 || opt->brackets[i] > RA_MAX_BRACKET_SIZE)
			flat_corrupt("invalid bracket size");
	}
}

static bool
ra_valid_key(const RaState *s, int64 key)
{
	return IS_VALID_TIMESTAMP(key) && (s->c.time_kind != TIME_DATE || key % USECS_PER_DAY == 0);
}

static void
ra_merge_flat(ExpandedObjectHeader *dst_eoh, StringInfo buf, bool strict)
{
	RaState    *dst = (RaState *) dst_eoh;
	RaOptions	opt;
	uint8		kind;
	int64		window;
	uint8		time_kind;
	uint8		key_class;
	int32		max_dscale;
	int64		ignored_rows;
	int64		rows;
	int64		max_at;
	uint32		nactors;
	bool		dst_was_empty = dst->c.customers.nentries == 0;

	dst->merged = true;
	if (get_u8(buf) != RA_STATE_VERSION)
		flat_corrupt("unknown retention_agg state version");
	time_kind = get_u8(buf);
	key_class = get_u8(buf);
	if (time_kind < TIME_TIMESTAMPTZ || time_kind > TIME_DATE)
		flat_corrupt("unknown time type");
	if (key_class < KEY_INT || key_class > KEY_BYTES)
		flat_corrupt("unknown actor key class");
	memset(&opt, 0, sizeof(opt));
	ra_read_options(buf, &opt, &kind, &window, false);
	ra_check_compatible(dst, time_kind, key_class, kind, &opt, window);
	max_dscale = (int32) get_u32(buf);
	ignored_rows = (int64) get_u64(buf);
	rows = (int64) get_u64(buf);
	max_at = (int64) get_u64(buf);
	if (max_dscale < 0 || max_dscale > MONEY_DSCALE_MAX || ignored_rows < 0 || rows < 0 ||
		(rows > 0 && !IS_VALID_TIMESTAMP(max_at)))
		flat_corrupt("invalid counters");
	if (!(opt.flags & RA_HAS_VALUE) && max_dscale != 0)
		flat_corrupt("a value scale without values");
	nactors = get_u32(buf);
	/* each actor takes at least its key and one node */
	if ((Size) nactors > (Size) (buf->len - buf->cursor) / (4 + RA_NODE_FLAT_SIZE + 4))
		flat_corrupt("the actor count does not match the length");
	if (nactors > 0 && rows == 0)
		flat_corrupt("actors without rows");
	ra_merge_counters(dst, ignored_rows, rows, max_at, max_dscale);
	for (uint32 a = 0; a < nactors; a++)
	{
		KeyEntry	probe;
		KeyEntry   *e;
		uint32		nnodes;
		uint32		before = dst->c.customers.nentries;
		bool		found;

		if ((a & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		key_read(buf, key_class, &probe);
		nnodes = get_u32(buf);
		if (nnodes == 0 || (Size) nnodes > (Size) (buf->len - buf->cursor) / (RA_NODE_FLAT_SIZE + 4))
			flat_corrupt("invalid node count");
		e = kt_insert(&dst->c.customers, &probe, &found);
		if (strict && dst_was_empty && dst->c.customers.nentries == before)
			flat_corrupt("an actor is listed twice");
		if (!found)
			e->payload = RA_PAYLOAD(RA_NONE, 0, false, false);
		for (uint32 k = 0; k < nnodes; k++)
		{
			int64		key = (int64) get_u64(buf);
			int64		units = (int64) get_u64(buf);
			uint32		returns = get_u32(buf);
			uint8		flags = get_u8(buf);
			bool		start = (flags & 1) != 0;
			bool		pending = (flags & 2) != 0;
			Datum		rest = get_numeric_field(buf);
			uint32		d;
			RaNode	   *n;

			if (!ra_valid_key(dst, key))
				flat_corrupt("invalid period or time of an event");
			if (flags > 3 || (returns == 0 && !start))
				flat_corrupt("a node without events");
			if (pending && (start || dst->kind == RA_WINDOW))
				flat_corrupt("an invalid pending node");
			if ((units != 0 || rest != (Datum) 0) && (returns == 0 || !(opt.flags & RA_HAS_VALUE)))
				flat_corrupt("a value without a return event");
			d = ra_merge_node(dst, e, key, start, pending);
			n = ra_node(dst, d);
			if (pg_add_u32_overflow(n->returns, returns, &n->returns))
				flat_corrupt("return count out of range");
			if (pg_add_s64_overflow(n->units, units, &n->units))
				ra_node_add_value(dst, d, money_numeric((int128) units, max_dscale));
			if (rest != (Datum) 0)
				ra_node_add_value(dst, d, rest);
		}
	}
	if (buf->cursor != buf->len)
		flat_corrupt("trailing bytes");
}

static ExpandedObjectHeader *
ra_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	RaOptions	opt;
	uint8		kind;
	int64		window;
	RaState    *s;

	if (len < RA_HEADER_SIZE)
		flat_corrupt("value is truncated");
	/* the header as given; ra_merge_flat checks it */
	flat_reader_init(&buf, data + 3, len - 3);
	memset(&opt, 0, sizeof(opt));
	ra_read_options(&buf, &opt, &kind, &window, false);
	s = ra_new(parent, (TimeKind) (uint8) data[1], (KeyClass) (uint8) data[2], kind, &opt, window);
	flat_reader_init(&buf, data, len);
	ra_merge_flat(&s->c.hdr, &buf, true);
	return &s->c.hdr;
}

static ExpandedObjectHeader *
ra_copy(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	RaState    *src = (RaState *) eoh;
	RaState    *s = ra_new(parent, src->c.time_kind, src->c.customer_class, src->kind, &src->opt, src->window);

	ra_merge(&s->c.hdr, eoh);
	return &s->c.hdr;
}

const StateKind ra_kind = {
	"retention_state",
	&ra_methods,
	ra_copy,
	ra_from_flat,
	ra_merge,
	ra_merge_flat
};

STATE_TYPE_IO_FUNCTIONS(retention_state, ra_kind)
