/*
 * cohort_runs.c
 *		The combine of a parallel plan's cohort_agg states as sorted runs.
 *
 * A parallel worker sends its state flattened (cohort_flat.c) with its
 * customers in the order of their key hash (entry_hash).  The leader's combine
 * function keeps each such value as it came, a run, instead of inserting its
 * customers one by one into a hash table, which costs a cache miss per
 * customer and took as long as the workers' own work.  The final function then
 * reads the runs side by side, as the merge step of a merge sort does, meets
 * each customer's entries of every run at once and counts that customer's
 * cells directly: the leader only reads memory sequentially.
 *
 * Whatever else asks for a combined state (a combine with a state that is not
 * a run, revenue_agg's final function, the flat form, a copy, a transition)
 * first settles it: cs_settle merges the runs into an ordinary state with
 * cs_merge_flat.  Runs are validated as they are read, as cs_merge_flat does.
 */
#include "cohort_matrix.h"

#include "flat_io.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* One flat value (without its varlena header), copied into the state. */
typedef struct CohortRun
{
	char	   *data;
	Size		len;
} CohortRun;

typedef struct CohortRuns
{
	CohortRun  *runs;
	int			n;
	int			size;
} CohortRuns;

/* ---- customers in hash order (the flat form's order) ---------------------- */

/*
 * The state's customers sorted by (hash, slot): a radix sort of 64-bit words
 * holding both, on the 32 hash bits.  Equal hashes of different keys are
 * rare; the merge below groups them by key.
 */
KeyEntry **
cs_entries_by_hash(const CohortState *s)
{
	const KeyTable *kt = &s->c.customers;
	uint32		n = kt->nentries;
	uint64	   *a = palloc_extended(sizeof(uint64) * Max(n, 1), MCXT_ALLOC_HUGE);
	uint64	   *b = palloc_extended(sizeof(uint64) * Max(n, 1), MCXT_ALLOC_HUGE);
	KeyEntry  **out = palloc_extended(sizeof(KeyEntry *) * Max(n, 1), MCXT_ALLOC_HUGE);
	uint32	   *count = palloc(sizeof(uint32) * (65536 + 1));
	uint32		i = 0;

	for (KeyEntry *e = kt_first(kt); e; e = kt_next(kt, e))
		a[i++] = ((uint64) entry_hash(e) << 32) | (uint32) (e - kt->slots);
	Assert(i == n);
	for (int shift = 32; shift < 64; shift += 16)
	{
		uint64	   *t;

		memset(count, 0, sizeof(uint32) * (65536 + 1));
		for (i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xFFFF) + 1]++;
		for (int d = 0; d < 65536; d++)
			count[d + 1] += count[d];
		for (i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xFFFF]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (i = 0; i < n; i++)
		out[i] = &kt->slots[(uint32) a[i]];
	pfree(a);
	pfree(b);
	pfree(count);
	return out;
}

/* ---- the combine ---------------------------------------------------------- */

static bool
is_cohort_object(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == cs_kind.methods;
}

/* The state of d if it is an expanded cohort_state holding runs, else NULL. */
CohortState *
cs_with_runs(Datum d)
{
	if (!is_cohort_object(d))
		return NULL;
	return ((CohortState *) DatumGetEOHP(d))->runs ? (CohortState *) DatumGetEOHP(d) : NULL;
}

static void
add_run(CohortState *s, char *data, Size len)
{
	CohortRuns *r = s->runs;

	if (r == NULL)
	{
		r = MemoryContextAllocZero(s->c.budget.cxt, sizeof(CohortRuns));
		s->runs = r;
	}
	if (r->n == r->size)
	{
		int			size = r->size ? 2 * r->size : 4;
		CohortRun  *grown = MemoryContextAlloc(s->c.budget.cxt, sizeof(CohortRun) * size);

		if (r->runs)
		{
			memcpy(grown, r->runs, sizeof(CohortRun) * r->n);
			pfree(r->runs);
		}
		r->runs = grown;
		r->size = size;
	}
	r->runs[r->n].data = data;
	r->runs[r->n].len = len;
	r->n++;
}

/*
 * The combine function's fast path: when the incoming state is (or flattens
 * to) a hash-ordered value and the state so far is NULL or holds only runs,
 * keep it as one more run and return true with *result set.  Otherwise false:
 * the caller combines the ordinary way.
 */
bool
cs_combine_as_runs(FunctionCallInfo fcinfo, Datum *result)
{
	MemoryContext aggcxt;
	CohortState *dst = NULL;
	Datum		src;
	CohortFlatHeader h;
	StringInfoData buf;
	char	   *data;
	Size		len;

	if (PG_ARGISNULL(1) || !AggCheckCallContext(fcinfo, NULL))
		return false;
	aggcxt = agg_memory_context(fcinfo);
	if (!PG_ARGISNULL(0))
	{
		Datum		d = PG_GETARG_DATUM(0);
		MemoryContext cxt;

		if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) || cs_with_runs(d) == NULL)
			return false;
		cxt = DatumGetEOHP(d)->eoh_context;
		if (cxt != aggcxt && MemoryContextGetParent(cxt) != aggcxt)
			return false;
		dst = (CohortState *) DatumGetEOHP(d);
	}

	src = PG_GETARG_DATUM(1);
	if (is_cohort_object(src))
	{
		/* the leader's own partial state: flatten it (in hash order) */
		CohortState *ss = (CohortState *) DatumGetEOHP(src);

		if (ss->c.order_class != 0 || ss->nexceptions != 0 || ss->c.spill != NULL ||
			ss->runs != NULL)
			return false;
		len = EOH_get_flat_size(&ss->c.hdr);
		if (dst == NULL)
			dst = cs_new(aggcxt, ss->c.time_kind, ss->period_kind, ss->c.customer_class,
						 ss->c.order_class, ss->c.flags);
		data = budget_alloc(&dst->c.budget, len);
		EOH_flatten_into(&ss->c.hdr, data, len);
		/* keep the bytes after the varlena header, as for a flat value */
		memmove(data, data + VARHDRSZ, len - VARHDRSZ);
		len -= VARHDRSZ;
	}
	else
	{
		struct varlena *v = PG_DETOAST_DATUM(src);
		const char *body = VARDATA(v);
		Size		body_len = VARSIZE(v) - VARHDRSZ;

		if (body_len < 6 || (uint8) body[0] != COHORT_STATE_VERSION ||
			!((uint8) body[5] & COHORT_HASH_ORDER))
		{
			if ((Pointer) v != DatumGetPointer(src))
				pfree(v);
			return false;
		}
		flat_reader_init(&buf, body, body_len);
		cs_read_flat_header(&buf, &h);
		if (dst == NULL)
			dst = cs_new(aggcxt, h.time_kind, h.period_kind, h.customer_class, h.order_class,
						 h.flags & ~COHORT_HASH_ORDER);
		else
			cs_check_compatible(dst, h.time_kind, h.period_kind, h.customer_class,
								h.order_class, h.flags & ~COHORT_HASH_ORDER);
		len = body_len;
		data = budget_alloc(&dst->c.budget, len);
		memcpy(data, body, len);
		if ((Pointer) v != DatumGetPointer(src))
			pfree(v);
	}
	add_run(dst, data, len);
	*result = cs_datum(dst);
	return true;
}

/* Merge the runs into the state itself (see the file's comment). */
void
cs_settle(CohortState *s)
{
	CohortRuns *r = s->runs;
	StringInfoData buf;

	if (likely(r == NULL))
		return;
	s->runs = NULL;
	for (int i = 0; i < r->n; i++)
	{
		flat_reader_init(&buf, r->runs[i].data, r->runs[i].len);
		cs_merge_flat(&s->c.hdr, &buf, false);
		budget_free(&s->c.budget, r->runs[i].data, r->runs[i].len);
	}
	if (r->runs)
		pfree(r->runs);
	pfree(r);
}

/* ---- reading runs side by side -------------------------------------------- */

typedef struct RunCursor
{
	StringInfoData buf;
	CohortFlatHeader h;
	uint32		left;			/* customers not read yet */
	uint64		nodes_left;
	uint64		orders;			/* orders of the nodes counted */
	bool		valid;			/* holds a customer */
	uint32		hash;
	KeyEntry	key;
	const char *nodes;			/* count nodes of COHORT_NODE_FLAT_SIZE bytes */
	uint32		count;
} RunCursor;

static void
cursor_next(RunCursor *c)
{
	uint32		prev = c->hash;
	bool		had = c->valid;

	if (c->left == 0)
	{
		if (c->nodes_left != 0)
			flat_corrupt("period counts do not add up");
		if (c->buf.cursor != c->buf.len)
			flat_corrupt("trailing bytes");
		c->valid = false;
		return;
	}
	c->left--;
	key_read(&c->buf, c->h.customer_class, &c->key);
	c->count = get_u32(&c->buf);
	if (c->count == 0 || c->count > c->nodes_left)
		flat_corrupt("invalid period count of a customer");
	c->nodes_left -= c->count;
	c->nodes = get_bytes(&c->buf, (Size) c->count * COHORT_NODE_FLAT_SIZE);
	c->hash = entry_hash(&c->key);
	if (had && c->hash < prev)
		flat_corrupt("customers out of hash order");
	c->valid = true;
}

static void
cursor_open(RunCursor *c, const CohortRun *run, const CohortState *s)
{
	memset(c, 0, sizeof(RunCursor));
	flat_reader_init(&c->buf, run->data, run->len);
	cs_read_flat_header(&c->buf, &c->h);
	if (!(c->h.flags & COHORT_HASH_ORDER))
		flat_corrupt("a run without hash order");
	cs_check_compatible(s, c->h.time_kind, c->h.period_kind, c->h.customer_class,
						c->h.order_class, c->h.flags & ~COHORT_HASH_ORDER);
	c->left = c->h.ncustomers;
	c->nodes_left = c->h.nnodes;
	cursor_next(c);
}

/* A customer's entry of one run, met in the merge. */
typedef struct RunEntry
{
	KeyEntry	key;
	const char *nodes;
	uint32		count;
	int			run;
	bool		done;			/* counted with an earlier entry of the same key */
} RunEntry;

/* Min-heap of cursor indexes by current hash. */
typedef struct CursorHeap
{
	int		   *items;
	int			n;
	RunCursor  *cur;
} CursorHeap;

static inline bool
heap_less(const CursorHeap *hp, int a, int b)
{
	return hp->cur[hp->items[a]].hash < hp->cur[hp->items[b]].hash;
}

static void
heap_sift_down(CursorHeap *hp, int i)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					m = i;

		if (l < hp->n && heap_less(hp, l, m))
			m = l;
		if (l + 1 < hp->n && heap_less(hp, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		{
			int			t = hp->items[i];

			hp->items[i] = hp->items[m];
			hp->items[m] = t;
		}
		i = m;
	}
}

static void
heap_push(CursorHeap *hp, int c)
{
	int			i = hp->n++;

	hp->items[i] = c;
	while (i > 0 && heap_less(hp, i, (i - 1) / 2))
	{
		int			p = (i - 1) / 2,
					t = hp->items[i];

		hp->items[i] = hp->items[p];
		hp->items[p] = t;
		i = p;
	}
}

static int
heap_pop(CursorHeap *hp)
{
	int			top = hp->items[0];

	hp->items[0] = hp->items[--hp->n];
	heap_sift_down(hp, 0);
	return top;
}

static int
nodedata_cmp(const void *a, const void *b)
{
	int32		pa = ((const NodeData *) a)->period;
	int32		pb = ((const NodeData *) b)->period;

	return pa < pb ? -1 : pa > pb;
}

/* What the merge counts into: the cells, with a dense index when periods span little. */
typedef struct RunCounter
{
	CellTable  *t;
	bool		has_amount;
	int32		dscale;
	int32		min_period;
	int64		span;
	uint32	   *dense;			/* (cohort, period) -> cell + 1, or NULL */
	NodeBuffer	nodes;
	RunCursor  *cur;
} RunCounter;

static inline BuildCell *
counter_cell(RunCounter *rc, int32 cohort, int32 period)
{
	if (rc->dense)
	{
		uint32	   *slot = &rc->dense[(cohort - rc->min_period) * rc->span + (period - rc->min_period)];

		if (*slot == 0)
		{
			BuildCell  *added = cell_at(rc->t, cohort, period - cohort, true);

			*slot = (uint32) (added - rc->t->cells) + 1;
		}
		return &rc->t->cells[*slot - 1];
	}
	return cell_at(rc->t, cohort, period - cohort, true);
}

/* Read the nodes of one entry into the buffer, validating them. */
static void
take_nodes(RunCounter *rc, const RunEntry *e)
{
	RunCursor  *c = &rc->cur[e->run];
	StringInfoData buf;
	int32		prev = 0;

	flat_reader_init(&buf, e->nodes, (Size) e->count * COHORT_NODE_FLAT_SIZE);
	cs_buffer_reserve(&rc->nodes, rc->nodes.n + e->count);
	for (uint32 j = 0; j < e->count; j++)
	{
		NodeData   *n = &rc->nodes.items[rc->nodes.n++];

		n->period = (int32) get_u32(&buf);
		n->orders = get_u32(&buf);
		n->amount = (int64) get_u64(&buf);
		if (!period_is_valid(c->h.period_kind, n->period))
			flat_corrupt("period out of range");
		if (j > 0 && n->period <= prev)
			flat_corrupt("periods of a customer out of order");
		if (n->orders == 0 || n->orders > NODE_ORDERS)
			flat_corrupt("invalid order count");
		if (!rc->has_amount && n->amount != 0)
			flat_corrupt("an amount in a state without amounts");
		if (n->period < rc->min_period || (int64) n->period - rc->min_period >= rc->span)
			flat_corrupt("period out of range");
		c->orders += n->orders;
		prev = n->period;
	}
}

/* Count one customer: its nodes of every run are in rc->nodes. */
static void
count_customer(RunCounter *rc)
{
	NodeData   *n = rc->nodes.items;
	uint32		total = rc->nodes.n;
	int32		cohort;
	int32		latest;
	int32		prev_distinct = 0;
	BuildCell  *c = NULL;

	if (total > 1)
		qsort(n, total, sizeof(NodeData), nodedata_cmp);
	cohort = n[0].period;
	latest = n[total - 1].period;
	for (uint32 j = 0; j < total; j++)
	{
		int32		p = n[j].period;

		if (j == 0 || p != n[j - 1].period)
		{
			c = counter_cell(rc, cohort, p);
			c->cell.active++;
			if (j > 0 && (int64) p - prev_distinct == 1)
				c->cell.active_prev++;
			if (p == latest)
				c->cell.last++;
			prev_distinct = p;
		}
		c->cell.orders += n[j].orders;
		if (rc->has_amount)
			money_add_units(&c->money, n[j].amount, 1, rc->dscale);
	}
	rc->nodes.n = 0;
}

/*
 * The cohort matrix of a state holding runs.  The state is not changed: a
 * final function may run more than once on one state.
 */
CohortMatrix *
cohort_matrix_from_runs(CohortState *s)
{
	CohortRuns *r = s->runs;
	int			k = r->n;
	RunCursor  *cur = palloc0(sizeof(RunCursor) * k);
	CursorHeap	hp;
	CustomerState counts;
	MatrixHeader h;
	CellTable	t;
	RunCounter	rc;
	RunEntry   *group = NULL;
	int			group_size = 0;
	int32		min_period = PG_INT32_MAX;
	int32		max_period = PG_INT32_MIN;
	int32		max_dscale = 0;
	uint64		ncustomers = 0;

	elog(DEBUG1, "cohort_agg: merging %d partial states as sorted runs", k);
	/* the headers, and the span of periods for the dense cell index */
	memset(&counts, 0, sizeof(counts));
	for (int i = 0; i < k; i++)
	{
		RunCursor  *c = &cur[i];

		cursor_open(c, &r->runs[i], s);
		customer_state_add_counts(&counts, "cohort_agg", c->h.ignored_rows, c->h.rows, c->h.max_at);
		max_dscale = Max(max_dscale, c->h.max_dscale);
		for (; c->valid; cursor_next(c))
		{
			/* periods increase within a customer: the first and last bound them */
			StringInfoData nb;
			int32		first,
						last;

			flat_reader_init(&nb, c->nodes, (Size) c->count * COHORT_NODE_FLAT_SIZE);
			first = (int32) get_u32(&nb);
			nb.cursor = (c->count - 1) * COHORT_NODE_FLAT_SIZE;
			last = (int32) get_u32(&nb);

			min_period = Min(min_period, first);
			max_period = Max(max_period, last);
			if ((++ncustomers & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		cursor_open(c, &r->runs[i], s);
	}

	memset(&h, 0, sizeof(h));
	h.period_kind = s->period_kind;
	h.time_kind = s->c.time_kind;
	h.flags = (s->c.flags & COHORT_HAS_AMOUNT ? MATRIX_HAS_REVENUE : 0) |
		(counts.rows > 0 ? MATRIX_HAS_ROWS : 0);
	h.revenue_dscale = max_dscale;
	h.latest_at = counts.rows > 0 ? counts.max_at : 0;
	h.ignored_rows = counts.ignored_rows;
	cell_table_init(&t, CurrentMemoryContext);

	memset(&rc, 0, sizeof(rc));
	rc.t = &t;
	rc.cur = cur;
	rc.has_amount = (s->c.flags & COHORT_HAS_AMOUNT) != 0;
	rc.dscale = max_dscale;
	rc.min_period = min_period;
	rc.span = min_period <= max_period ? (int64) max_period - min_period + 1 : 0;
	if (rc.span > 0 && rc.span <= 1024)
		rc.dense = palloc0(sizeof(uint32) * rc.span * rc.span);

	hp.items = palloc(sizeof(int) * k);
	hp.n = 0;
	hp.cur = cur;
	for (int i = 0; i < k; i++)
		if (cur[i].valid)
			heap_push(&hp, i);

	ncustomers = 0;
	while (hp.n > 0)
	{
		uint32		hash = cur[hp.items[0]].hash;
		int			ng = 0;

		if ((++ncustomers & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* every entry of this hash, of every run */
		while (hp.n > 0 && cur[hp.items[0]].hash == hash)
		{
			int			i = heap_pop(&hp);
			RunCursor  *c = &cur[i];

			while (c->valid && c->hash == hash)
			{
				if (ng == group_size)
				{
					group_size = group_size ? 2 * group_size : 16;
					group = group ? repalloc(group, sizeof(RunEntry) * group_size) :
						palloc(sizeof(RunEntry) * group_size);
				}
				group[ng].key = c->key;
				group[ng].nodes = c->nodes;
				group[ng].count = c->count;
				group[ng].run = i;
				group[ng].done = false;
				ng++;
				cursor_next(c);
			}
			if (c->valid)
				heap_push(&hp, i);
		}
		/* one customer per distinct key (equal hashes of other keys are rare) */
		for (int a = 0; a < ng; a++)
		{
			if (group[a].done)
				continue;
			take_nodes(&rc, &group[a]);
			for (int b = a + 1; b < ng; b++)
			{
				if (group[b].done || !key_equal(&group[a].key, &group[b].key))
					continue;
				if (group[b].run == group[a].run)
					flat_corrupt("duplicate customer key");
				take_nodes(&rc, &group[b]);
				group[b].done = true;
			}
			count_customer(&rc);
		}
	}
	for (int i = 0; i < k; i++)
		if (cur[i].orders != (uint64) cur[i].h.rows)
			flat_corrupt("order counts do not add up to the rows");

	if (rc.dense)
		pfree(rc.dense);
	if (rc.nodes.items)
		pfree(rc.nodes.items);
	if (group)
		pfree(group);
	pfree(hp.items);
	pfree(cur);
	return matrix_from_cells(&h, &t);
}
