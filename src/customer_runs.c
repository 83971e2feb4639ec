/*
 * customer_runs.c
 *		Partial states kept as sorted runs (see customer_runs.h): the
 *		customers of a table in hash order, the combine's fast path, settling,
 *		and the merge of the runs.
 */
#include "customer_runs.h"
#include "key_log.h"

#include "flat_io.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* ---- customers in hash order (the flat form's order) ---------------------- */

/*
 * The table's entries sorted by (hash, ordinal): a radix sort on the 32 hash
 * bits of 64-bit words holding the hash and the slot, then the rare entries
 * of equal hashes put in ordinal order, so that the order does not depend on
 * the table's layout.
 */
KeyEntry **
kt_by_hash(const KeyTable *kt)
{
	uint32		n = kt->nentries;
	uint64	   *a = palloc_extended(sizeof(uint64) * Max(n, 1), MCXT_ALLOC_HUGE);
	KeyEntry  **out = palloc_extended(sizeof(KeyEntry *) * Max(n, 1), MCXT_ALLOC_HUGE);
	uint32		i = 0;

	for (KeyEntry *e = kt_first(kt); e; e = kt_next(kt, e))
		a[i++] = ((uint64) entry_hash(e) << 32) | (uint32) (e - kt->slots);
	Assert(i == n);
	a = sort_hash_words(a, n);
	for (i = 0; i < n; i++)
	{
		KeyEntry   *e = &kt->slots[(uint32) a[i]];
		uint32		j = i;

		/* insertion by ordinal among the entries of the same hash */
		while (j > 0 && (uint32) (a[j - 1] >> 32) == (uint32) (a[i] >> 32) &&
			   out[j - 1]->ordinal > e->ordinal)
		{
			out[j] = out[j - 1];
			j--;
		}
		out[j] = e;
	}
	pfree(a);
	return out;
}

/* ---- the combine ---------------------------------------------------------- */

static bool
is_kind_object(const StateKind *kind, Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == kind->methods;
}

/* The state of d if it is an expanded state of the kind holding runs, else NULL. */
CustomerState *
customer_runs_of(const StateKind *kind, Datum d)
{
	if (!is_kind_object(kind, d))
		return NULL;
	return ((CustomerState *) DatumGetEOHP(d))->runs ? (CustomerState *) DatumGetEOHP(d) : NULL;
}

static void
add_run(CustomerState *s, char *data, Size len, Size allocated)
{
	CustomerRuns *r = s->runs;

	if (r == NULL)
	{
		r = MemoryContextAllocZero(s->budget.cxt, sizeof(CustomerRuns));
		s->runs = r;
	}
	if (r->n == r->size)
	{
		int			size = r->size ? 2 * r->size : 4;
		CustomerRun *grown = MemoryContextAlloc(s->budget.cxt, sizeof(CustomerRun) * size);

		if (r->runs)
		{
			memcpy(grown, r->runs, sizeof(CustomerRun) * r->n);
			pfree(r->runs);
		}
		r->runs = grown;
		r->size = size;
	}
	r->runs[r->n].data = data;
	r->runs[r->n].len = len;
	r->runs[r->n].allocated = allocated;
	r->n++;
}

/*
 * The combine function's fast path: when the incoming state is (or flattens
 * to) a hash-ordered value and the state so far is NULL or holds only runs,
 * keep it as one more run and return true with *result set.  Otherwise false:
 * the caller combines the ordinary way.
 */
bool
customer_runs_combine(const RunsKind *rk, FunctionCallInfo fcinfo, Datum *result)
{
	MemoryContext aggcxt;
	CustomerState *dst = NULL;
	Datum		src;
	char	   *data;
	Size		len;
	Size		allocated;

	if (PG_ARGISNULL(1) || !AggCheckCallContext(fcinfo, NULL))
		return false;
	aggcxt = agg_memory_context(fcinfo);
	if (!PG_ARGISNULL(0))
	{
		Datum		d = PG_GETARG_DATUM(0);
		MemoryContext cxt;

		if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) ||
			customer_runs_of(rk->kind, d) == NULL)
			return false;
		cxt = DatumGetEOHP(d)->eoh_context;
		if (cxt != aggcxt && MemoryContextGetParent(cxt) != aggcxt)
			return false;
		dst = (CustomerState *) DatumGetEOHP(d);
	}

	src = PG_GETARG_DATUM(1);
	if (is_kind_object(rk->kind, src))
	{
		/* the leader's own partial state: flatten it (in hash order) */
		CustomerState *ss = (CustomerState *) DatumGetEOHP(src);

		if (ss->spill != NULL || ss->runs != NULL || !rk->flattens_in_hash_order(ss))
			return false;
		len = EOH_get_flat_size(&ss->hdr);
		if (dst == NULL)
			dst = rk->new_like(ss, aggcxt);
		allocated = len;
		data = budget_alloc(&dst->budget, allocated);
		EOH_flatten_into(&ss->hdr, data, len);
		/* keep the bytes after the varlena header, as for a flat value */
		memmove(data, data + VARHDRSZ, len - VARHDRSZ);
		len -= VARHDRSZ;
		if (!rk->flat_in_hash_order(data, len))
		{
			/* (not expected) merge it the ordinary way after all */
			StringInfoData buf;

			customer_runs_settle(dst, rk->kind);
			flat_reader_init(&buf, data, len);
			rk->kind->merge_flat(&dst->hdr, &buf, false);
			budget_free(&dst->budget, data, allocated);
			*result = EOHPGetRWDatum(&dst->hdr);
			return true;
		}
	}
	else
	{
		struct varlena *v = PG_DETOAST_DATUM(src);
		const char *body = VARDATA(v);
		Size		body_len = VARSIZE(v) - VARHDRSZ;

		if (!rk->flat_in_hash_order(body, body_len))
		{
			if ((Pointer) v != DatumGetPointer(src))
				pfree(v);
			return false;
		}
		dst = rk->state_for_run(dst, body, body_len, aggcxt);
		len = body_len;
		allocated = len;
		data = budget_alloc(&dst->budget, allocated);
		memcpy(data, body, len);
		if ((Pointer) v != DatumGetPointer(src))
			pfree(v);
	}
	add_run(dst, data, len, allocated);
	*result = EOHPGetRWDatum(&dst->hdr);
	return true;
}

/* Merge the runs into the state itself (see customer_runs.h). */
void
customer_runs_settle(CustomerState *s, const StateKind *kind)
{
	CustomerRuns *r = s->runs;
	StringInfoData buf;

	if (likely(r == NULL))
		return;
	s->runs = NULL;
	for (int i = 0; i < r->n; i++)
	{
		flat_reader_init(&buf, r->runs[i].data, r->runs[i].len);
		kind->merge_flat(&s->hdr, &buf, false);
		budget_free(&s->budget, r->runs[i].data, r->runs[i].allocated);
	}
	if (r->runs)
		pfree(r->runs);
	pfree(r);
}

/* ---- reading runs side by side -------------------------------------------- */

void
run_cursor_open(RunCursor *c, const CustomerRun *run, int index)
{
	memset(c, 0, sizeof(RunCursor));
	flat_reader_init(&c->buf, run->data, run->len);
	c->run = index;
}

/* The cursor's next customer, or valid = false after its last. */
void
run_cursor_next(RunCursor *c, const RunReader *r)
{
	uint32		prev = c->hash;
	bool		had = c->valid;

	if (c->left == 0)
	{
		r->end_run(c, r->arg);
		c->valid = false;
		return;
	}
	c->left--;
	key_read(&c->buf, r->customer_class, &c->key);
	r->read_customer(c, r->arg);
	c->hash = entry_hash(&c->key);
	if (had && c->hash < prev)
		flat_corrupt("customers out of hash order");
	c->valid = true;
}

static inline bool
heap_less(const RunsMerge *m, int a, int b)
{
	return m->cur[m->heap[a]].hash < m->cur[m->heap[b]].hash;
}

static void
heap_sift_down(RunsMerge *m, int i)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					s = i,
					t;

		if (l < m->nheap && heap_less(m, l, s))
			s = l;
		if (l + 1 < m->nheap && heap_less(m, l + 1, s))
			s = l + 1;
		if (s == i)
			return;
		t = m->heap[i];
		m->heap[i] = m->heap[s];
		m->heap[s] = t;
		i = s;
	}
}

static void
heap_push(RunsMerge *m, int c)
{
	int			i = m->nheap++;

	m->heap[i] = c;
	while (i > 0 && heap_less(m, i, (i - 1) / 2))
	{
		int			p = (i - 1) / 2,
					t = m->heap[i];

		m->heap[i] = m->heap[p];
		m->heap[p] = t;
		i = p;
	}
}

static int
heap_pop(RunsMerge *m)
{
	int			top = m->heap[0];

	m->heap[0] = m->heap[--m->nheap];
	heap_sift_down(m, 0);
	return top;
}

/* The k cursors, each opened and at its first customer (or at its end). */
void
runs_merge_begin(RunsMerge *m, RunCursor *cur, int k, const RunReader *r)
{
	memset(m, 0, sizeof(RunsMerge));
	m->reader = r;
	m->cur = cur;
	m->heap = palloc(sizeof(int) * Max(k, 1));
	for (int i = 0; i < k; i++)
		if (cur[i].valid)
			heap_push(m, i);
}

/*
 * Read every entry of the next hash, of every run, into the group, with the
 * entries of each key next to each other.  False at the end of the runs.
 */
static bool
fill_group(RunsMerge *m)
{
	uint32		hash;
	int			ng = 0;

	if (m->nheap == 0)
		return false;
	if ((++m->nhashes & 0x3FFF) == 0)
		CHECK_FOR_INTERRUPTS();
	hash = m->cur[m->heap[0]].hash;
	while (m->nheap > 0 && m->cur[m->heap[0]].hash == hash)
	{
		int			i = heap_pop(m);
		RunCursor  *c = &m->cur[i];

		while (c->valid && c->hash == hash)
		{
			if (ng == m->group_size)
			{
				m->group_size = m->group_size ? 2 * m->group_size : 16;
				m->group = m->group ? repalloc(m->group, sizeof(RunEntry) * m->group_size) :
					palloc(sizeof(RunEntry) * m->group_size);
			}
			m->group[ng].key = c->key;
			m->group[ng].record = c->record;
			m->group[ng].count = c->count;
			m->group[ng].run = i;
			ng++;
			run_cursor_next(c, m->reader);
		}
		if (c->valid)
			heap_push(m, i);
	}
	/* one customer per distinct key: bring the entries of each key together */
	for (int a = 0; a < ng;)
	{
		int			end = a + 1;

		for (int b = end; b < ng; b++)
		{
			if (!key_equal(&m->group[a].key, &m->group[b].key))
				continue;
			for (int j = a; j < end; j++)
				if (m->group[j].run == m->group[b].run)
					flat_corrupt("duplicate customer key");
			if (b != end)
			{
				RunEntry	t = m->group[end];

				m->group[end] = m->group[b];
				m->group[b] = t;
			}
			end++;
		}
		a = end;
	}
	m->ngroup = ng;
	m->next = 0;
	return true;
}

/*
 * The next customer: sets *entries to its entries (one per run that has it)
 * and returns how many; 0 after the last customer.  The entries are valid
 * until the next call.
 */
int
runs_merge_next(RunsMerge *m, RunEntry **entries)
{
	int			first;

	if (m->next == m->ngroup && !fill_group(m))
		return 0;
	first = m->next++;
	while (m->next < m->ngroup && key_equal(&m->group[first].key, &m->group[m->next].key))
		m->next++;
	*entries = &m->group[first];
	return m->next - first;
}

void
runs_merge_end(RunsMerge *m)
{
	if (m->group)
		pfree(m->group);
	pfree(m->heap);
}
