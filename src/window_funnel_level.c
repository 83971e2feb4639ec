/*
 * window_funnel_level.c
 *		The level of a window_funnel state: ClickHouse's getEventLevelNonStrictOnce
 *		and getEventLevelStrictOnce (AggregateFunctionWindowFunnel.cpp, March
 *		2026) over the state's rows, sorted into events (doc/funnel.md).
 */
#include "window_funnel.h"

#include "common/int.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "storage/shmem.h"		/* mul_size */

/*
 * at - first <= window, for at >= first: times span the whole timestamp range
 * (about 2^63 microseconds), so the difference may not fit an int64; such a
 * difference is beyond any window.
 */
static inline bool
within_window(int64 at, int64 first, int64 window)
{
	int64		d;

	return !pg_sub_s64_overflow(at, first, &d) && d <= window;
}

/* One event of the sorted list: a row's step (0: a row of no step, strict_order). */
typedef struct WfEvent
{
	int64		at;
	uint32		row;			/* the row's rank in (at, mask) order, from 1 */
	uint8		step;
} WfEvent;

static int
wf_row_cmp(const void *a, const void *b)
{
	const WfRow *x = a;
	const WfRow *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->mask < y->mask ? -1 : (x->mask > y->mask ? 1 : 0);
}

static int
wf_event_cmp(const void *a, const void *b)
{
	const WfEvent *x = a;
	const WfEvent *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return x->row < y->row ? -1 : (x->row > y->row ? 1 : 0);
}

/*
 * The events in ClickHouse's order: by time, then by step, a row of no step
 * (0) first.  For strict_once rows are told apart by their rank in (time,
 * mask) order, where ClickHouse numbers them in arrival order: rows of equal
 * time and mask are interchangeable, so the level is the same, and it does
 * not depend on how a parallel plan split the rows.
 */
static WfEvent *
wf_events(const WfState *s, MemBudget *budget, Size *nevents)
{
	WfRow	   *rows = budget_alloc(budget, mul_size(Max(s->nrows, 1), sizeof(WfRow)));
	Size		n = 0;
	WfEvent    *events;
	Size		k = 0;

	memcpy(rows, s->rows, (Size) s->nrows * sizeof(WfRow));
	qsort(rows, s->nrows, sizeof(WfRow), wf_row_cmp);
	for (uint32 i = 0; i < s->nrows; i++)
		n += rows[i].mask == 0 ? 1 : pg_popcount32(rows[i].mask);
	events = budget_alloc(budget, mul_size(Max(n, 1), sizeof(WfEvent)));
	for (uint32 i = 0; i < s->nrows; i++)
	{
		uint32		mask = rows[i].mask;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (mask == 0)
			events[k++] = (WfEvent)
		{
			.at = rows[i].at,.row = i + 1,.step = 0
		};
		for (int step = 1; mask != 0; step++, mask >>= 1)
		{
			if (mask & 1)
				events[k++] = (WfEvent)
			{
				.at = rows[i].at,.row = i + 1,.step = (uint8) step
			};
		}
	}
	qsort(events, n, sizeof(WfEvent), wf_event_cmp);
	*nevents = n;
	return events;
}

/* The deepest level held in reached[0..n-1] (reached[k]: level k + 1 reached). */
static int
wf_deepest(const bool *reached, int n)
{
	for (int level = n; level > 0; level--)
	{
		if (reached[level - 1])
			return level;
	}
	return 0;
}

/* The first level not reached (strict_order stops there). */
static int
wf_first_gap(const bool *reached, int n)
{
	for (int level = 0; level < n; level++)
	{
		if (!reached[level])
			return level;
	}
	return n;
}

/*
 * What the modes make of an event of step idx + 1 (idx >= 0; -1: a row of no
 * step, kept in strict_order mode only), before it may extend a chain:
 * WF_EXTEND (go on), WF_SKIP (the next event), or WF_STOP with *level the
 * result.  Step 1 events always go on (they start a chain).
 */
typedef enum WfGate
{
	WF_EXTEND,
	WF_SKIP,
	WF_STOP
} WfGate;

static WfGate
wf_gate(const WfState *s, const bool *reached, int idx, bool started, int *level)
{
	if (idx < 0)
	{
		*level = wf_deepest(reached, s->nsteps);
		return started ? WF_STOP : WF_SKIP;
	}
	if (idx == 0)
		return WF_EXTEND;
	if ((s->modes & WF_STRICT_DEDUPLICATION) && reached[idx])
	{
		*level = wf_deepest(reached, s->nsteps);
		return WF_STOP;
	}
	if ((s->modes & WF_STRICT_ORDER) && started && !reached[idx - 1])
	{
		if (s->modes & WF_ALLOW_REENTRY)
			return WF_SKIP;
		*level = wf_first_gap(reached, s->nsteps);
		return WF_STOP;
	}
	return reached[idx - 1] ? WF_EXTEND : WF_SKIP;
}

/*
 * ClickHouse's getEventLevelNonStrictOnce: per level, the first and the last
 * time of the latest chain that reached it.  A step 1 event starts a new
 * chain (levels above keep what earlier chains reached); an event of step j
 * extends level j - 1 when it lies within window of that chain's first event
 * (and, strict_increase, strictly after its last).  strict_deduplication stops
 * at an event of an already reached level above 1; strict_order stops at a
 * row of no step once a chain started, and at an event whose previous level
 * is not reached (allow_reentry skips such an event instead).
 */
static int
funnel_level(const WfState *s, const WfEvent *ev, Size n)
{
	int			nsteps = s->nsteps;
	bool		reached[WF_MAX_STEPS] = {0};
	int64		first[WF_MAX_STEPS];
	int64		last[WF_MAX_STEPS];
	bool		started = false;
	int			level;

	for (Size i = 0; i < n; i++)
	{
		int			idx = (int) ev[i].step - 1;
		int64		at = ev[i].at;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		switch (wf_gate(s, reached, idx, started, &level))
		{
			case WF_STOP:
				return level;
			case WF_SKIP:
				continue;
			case WF_EXTEND:
				break;
		}
		if (idx == 0)
		{
			reached[0] = true;
			first[0] = last[0] = at;
			started = true;
		}
		else
		{
			/* reached[idx - 1]; at >= first[idx - 1]: the events are sorted */
			bool		matched = within_window(at, first[idx - 1], s->window);

			if (s->modes & WF_STRICT_INCREASE)
				matched = matched && last[idx - 1] < at;
			if (matched)
			{
				reached[idx] = true;
				first[idx] = first[idx - 1];
				last[idx] = at;
				if (idx + 1 == nsteps)
					return nsteps;
			}
		}
	}
	return wf_deepest(reached, nsteps);
}

/* strict_once: the chains that reached one level (first, last, rows used) */
typedef struct WfChains
{
	int64	   *first;
	int64	   *last;
	uint32	   *path;			/* nsteps rows per chain, 0 = none */
	Size		n;
	Size		cap;
} WfChains;

static void
wf_chain_push(WfChains *c, MemBudget *budget, int nsteps, int64 first, int64 last, const uint32 *path)
{
	if (c->n == c->cap)
	{
		Size		cap = Max(c->cap * 2, 8);
		int64	   *nf = budget_alloc(budget, mul_size(cap, sizeof(int64)));
		int64	   *nl = budget_alloc(budget, mul_size(cap, sizeof(int64)));
		uint32	   *np = budget_alloc(budget, mul_size(mul_size(cap, nsteps), sizeof(uint32)));

		if (c->n > 0)
		{
			memcpy(nf, c->first, c->n * sizeof(int64));
			memcpy(nl, c->last, c->n * sizeof(int64));
			memcpy(np, c->path, c->n * nsteps * sizeof(uint32));
			budget_free(budget, c->first, c->cap * sizeof(int64));
			budget_free(budget, c->last, c->cap * sizeof(int64));
			budget_free(budget, c->path, c->cap * nsteps * sizeof(uint32));
		}
		c->first = nf;
		c->last = nl;
		c->path = np;
		c->cap = cap;
	}
	c->first[c->n] = first;
	c->last[c->n] = last;
	memcpy(c->path + c->n * nsteps, path, nsteps * sizeof(uint32));
	c->n++;
}

/*
 * ClickHouse's getEventLevelStrictOnce: the same rules over every chain, so
 * that a row serves at most one step of a chain.  Extending level j - 1 by an
 * event drops the chains of that level that the event lies beyond the window
 * of (keeping at least one, as ClickHouse does: the level stays reached).
 */
static int
funnel_level_once(const WfState *s, const WfEvent *ev, Size n, MemBudget *budget)
{
	int			nsteps = s->nsteps;
	WfChains	chains[WF_MAX_STEPS];
	bool		reached[WF_MAX_STEPS] = {0};
	uint32		path[WF_MAX_STEPS];
	bool		started = false;
	int			level;

	memset(chains, 0, sizeof(chains));
	for (Size i = 0; i < n; i++)
	{
		int			idx = (int) ev[i].step - 1;
		int64		at = ev[i].at;

		CHECK_FOR_INTERRUPTS();
		switch (wf_gate(s, reached, idx, started, &level))
		{
			case WF_STOP:
				return level;
			case WF_SKIP:
				continue;
			case WF_EXTEND:
				break;
		}
		if (idx == 0)
		{
			memset(path, 0, sizeof(path));
			path[0] = ev[i].row;
			wf_chain_push(&chains[0], budget, nsteps, at, at, path);
			reached[0] = started = true;
		}
		else
		{
			/* reached[idx - 1] */
			WfChains   *prev = &chains[idx - 1];
			Size		kept = 0;
			Size		left = prev->n;

			for (Size j = 0; j < prev->n; j++)
			{
				int64		f = prev->first[j];
				int64		l = prev->last[j];
				bool		matched = within_window(at, f, s->window);

				if ((j & 0xFFF) == 0)
					CHECK_FOR_INTERRUPTS();
				if (!matched && left > 1)
				{
					left--;
					continue;	/* dropped */
				}
				memcpy(path, prev->path + j * nsteps, nsteps * sizeof(uint32));
				for (int q = 0; matched && q < idx; q++)
					matched = path[q] != ev[i].row;
				if (matched && (s->modes & WF_STRICT_INCREASE))
					matched = l < at;
				/* keep chain j (moved down over the dropped ones) */
				if (kept != j)
				{
					prev->first[kept] = f;
					prev->last[kept] = l;
					memmove(prev->path + kept * nsteps, prev->path + j * nsteps, nsteps * sizeof(uint32));
				}
				kept++;
				if (matched)
				{
					path[idx] = ev[i].row;
					wf_chain_push(&chains[idx], budget, nsteps, f, at, path);
					reached[idx] = true;
					if (idx + 1 == nsteps)
						return nsteps;
				}
			}
			prev->n = kept;
		}
	}
	return wf_deepest(reached, nsteps);
}

/* The deepest level of the state's rows, 0 for none. */
int
window_funnel_level(const WfState *s)
{
	MemBudget	budget;
	WfEvent    *events;
	Size		n;

	if (s->nrows == 0)
		return 0;
	budget.cxt = CurrentMemoryContext;
	budget.used = 0;
	events = wf_events(s, &budget, &n);
	if (s->modes & WF_STRICT_ONCE)
		return funnel_level_once(s, events, n, &budget);
	return funnel_level(s, events, n);
}
