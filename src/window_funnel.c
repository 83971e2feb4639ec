/*
 * window_funnel.c
 *		ClickHouse's windowFunnel as the window_funnel aggregate (doc/funnel.md).
 *
 *   window_funnel(window interval, event_at, VARIADIC steps boolean[]) -> int4
 *   window_funnel(window interval, mode text, event_at, VARIADIC steps boolean[])
 *
 * for event_at timestamptz, timestamp or date, per group (GROUP BY user_id):
 * the deepest step of the funnel step 1 -> step 2 -> ... -> step n (n <= 32)
 * that one chain reached, a chain starting at an event of step 1 and every
 * later step counting only within window of that first event.  The result is
 * what ClickHouse's AggregateFunctionWindowFunnel.cpp computes (the source as
 * of March 2026, with the strict_deduplication fix of ClickHouse PR #99003 and
 * the allow_reentry option of PR #86916): the rows become events (ts, step),
 * one per step the row satisfies (and, in strict_order mode, (ts, 0) for a
 * row that satisfies none), sorted by time and then step, and one pass over
 * them keeps, per level, the first and the last time of the latest chain that
 * reached it.  strict_once keeps every chain instead (a row may serve one
 * step of a chain only): window_funnel_level.c.
 *
 * The state (window_funnel_state, a real varlena type so that Citus can run
 * the aggregate on its workers) holds the group's parameters and its rows:
 * (time, bit mask of the steps the row satisfied), appended unsorted; rows
 * that satisfy no step are kept only in strict_order mode, where they break
 * chains.  Combining two states concatenates their rows, so parallel, Citus
 * and partitionwise plans see exactly the rows a serial plan sees; the final
 * function sorts them.  In memory the state is an expanded object updated in
 * place (agg_state.h), bounded by retention.max_state_memory.
 *
 * Flat form (integers little-endian, flat_io.h):
 *   version u8 (1), time_kind u8, nsteps u8 (1..32), modes u8 (WF_* bits),
 *   window u64 (microseconds, >= 0), nrows u32,
 *   nrows x (time u64, mask u32)
 * Every field is checked on the way in: known version, kind and mode bits,
 * allow_reentry only with strict_order, valid (for date: whole-day) times,
 * masks within nsteps, a zero mask only in strict_order mode, no trailing bytes.
 */
#include "window_funnel.h"
#include "agg_state.h"
#include "flat_io.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(window_funnel_combine);
PG_FUNCTION_INFO_V1(window_funnel_final);

#define WF_STATE_VERSION 1
#define WF_HEADER_SIZE (4 + 8 + 4)
#define WF_ROW_SIZE (8 + 4)

static const struct
{
	const char *name;
	uint8		bit;
}			wf_mode_names[] = {
	{"strict_deduplication", WF_STRICT_DEDUPLICATION},
	{"strict_order", WF_STRICT_ORDER},
	{"strict_increase", WF_STRICT_INCREASE},
	{"strict_once", WF_STRICT_ONCE},
	{"allow_reentry", WF_ALLOW_REENTRY}
};

#define WF_VALID_MODES "strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry"

static Size wf_get_flat_size(ExpandedObjectHeader *eohptr);
static void wf_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods wf_methods = {
	wf_get_flat_size,
	wf_flatten_into
};

static WfState *
wf_new(MemoryContext parent, uint8 time_kind, uint8 nsteps, uint8 modes, int64 window)
{
	/* small initial sizes: GROUP BY user_id makes one state per user */
	MemoryContext cxt = AllocSetContextCreate(parent, "window_funnel state", ALLOCSET_SMALL_SIZES);
	WfState    *s = MemoryContextAllocZero(cxt, sizeof(WfState));

	EOH_init_header(&s->hdr, &wf_methods, cxt);
	s->budget.cxt = cxt;
	s->budget.used = sizeof(WfState);
	s->time_kind = time_kind;
	s->nsteps = nsteps;
	s->modes = modes;
	s->window = window;
	return s;
}

/* Room for n more rows, growing the array by doubling within the budget. */
static void
wf_reserve(WfState *s, uint32 n)
{
	uint64		want = (uint64) s->nrows + n;
	uint64		cap;
	WfRow	   *rows;

	if (want <= s->capacity)
		return;
	if (want > PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel state cannot hold more than %u rows", PG_UINT32_MAX),
				 errhint("Aggregate fewer events per group.")));
	cap = Max(s->capacity, 8);
	while (cap < want)
		cap *= 2;
	cap = Min(cap, (uint64) PG_UINT32_MAX);
	rows = budget_alloc(&s->budget, mul_size(cap, sizeof(WfRow)));
	if (s->nrows > 0)
		memcpy(rows, s->rows, (Size) s->nrows * sizeof(WfRow));
	if (s->rows)
		budget_free(&s->budget, s->rows, (Size) s->capacity * sizeof(WfRow));
	s->rows = rows;
	s->capacity = (uint32) cap;
}

static inline void
wf_add(WfState *s, int64 at, uint32 mask)
{
	if (s->nrows == s->capacity)
		wf_reserve(s, 1);
	s->rows[s->nrows].at = at;
	s->rows[s->nrows].mask = mask;
	s->nrows++;
}

static void
wf_same_parameters(const WfState *a, const WfState *b)
{
	if (a->time_kind != b->time_kind || a->nsteps != b->nsteps ||
		a->modes != b->modes || a->window != b->window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine window_funnel states of different windows, modes, steps or time types"),
				 errhint("Give every row of a group the same window, mode and number of steps.")));
}

static void
wf_merge(ExpandedObjectHeader *dst_eoh, ExpandedObjectHeader *src_eoh)
{
	WfState    *dst = (WfState *) dst_eoh;
	WfState    *src = (WfState *) src_eoh;

	wf_same_parameters(dst, src);
	if (src->nrows == 0)
		return;
	wf_reserve(dst, src->nrows);
	memcpy(dst->rows + dst->nrows, src->rows, (Size) src->nrows * sizeof(WfRow));
	dst->nrows += src->nrows;
}

/* ---- the flat form ------------------------------------------------------- */

static Size
wf_get_flat_size(ExpandedObjectHeader *eohptr)
{
	WfState    *s = (WfState *) eohptr;
	Size		size = add_size(VARHDRSZ + WF_HEADER_SIZE, mul_size(s->nrows, WF_ROW_SIZE));

	budget_check_flat_size(size);
	return size;
}

static void
wf_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	WfState    *s = (WfState *) eohptr;
	char	   *start = (char *) result;
	char	   *p = start + VARHDRSZ;

	p = put_u8(p, WF_STATE_VERSION);
	p = put_u8(p, s->time_kind);
	p = put_u8(p, s->nsteps);
	p = put_u8(p, s->modes);
	p = put_u64(p, (uint64) s->window);
	p = put_u32(p, s->nrows);
	for (uint32 i = 0; i < s->nrows; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		p = put_u64(p, (uint64) s->rows[i].at);
		p = put_u32(p, s->rows[i].mask);
	}
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "window_funnel state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

/*
 * dst += the flat state in buf, every field checked.  A new dst (strict) takes
 * the flat state's parameters from the header already read by wf_from_flat.
 */
static void
wf_merge_flat(ExpandedObjectHeader *dst_eoh, StringInfo buf, bool strict)
{
	WfState    *dst = (WfState *) dst_eoh;
	WfState		hdr;
	uint8		version = get_u8(buf);
	uint32		nrows;
	uint32		all_steps;

	(void) strict;
	if (version != WF_STATE_VERSION)
		flat_corrupt("unknown window_funnel state version");
	hdr.time_kind = get_u8(buf);
	hdr.nsteps = get_u8(buf);
	hdr.modes = get_u8(buf);
	hdr.window = (int64) get_u64(buf);
	if (hdr.time_kind < TIME_TIMESTAMPTZ || hdr.time_kind > TIME_DATE)
		flat_corrupt("unknown time type");
	if (hdr.nsteps < 1 || hdr.nsteps > WF_MAX_STEPS)
		flat_corrupt("the number of steps is not between 1 and 32");
	if ((hdr.modes & ~WF_ALL_MODES) != 0 ||
		((hdr.modes & WF_ALLOW_REENTRY) && !(hdr.modes & WF_STRICT_ORDER)))
		flat_corrupt("unknown mode bits");
	if (hdr.window < 0)
		flat_corrupt("negative window");
	wf_same_parameters(dst, &hdr);

	nrows = get_u32(buf);
	if ((Size) (buf->len - buf->cursor) != (Size) nrows * WF_ROW_SIZE)
		flat_corrupt("the row count does not match the length");
	all_steps = hdr.nsteps == 32 ? PG_UINT32_MAX : (((uint32) 1 << hdr.nsteps) - 1);
	wf_reserve(dst, nrows);
	for (uint32 i = 0; i < nrows; i++)
	{
		int64		at = (int64) get_u64(buf);
		uint32		mask = get_u32(buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(at) ||
			(hdr.time_kind == TIME_DATE && at % USECS_PER_DAY != 0))
			flat_corrupt("invalid event time");
		if ((mask & ~all_steps) != 0 || (mask == 0 && !(hdr.modes & WF_STRICT_ORDER)))
			flat_corrupt("invalid step mask");
		dst->rows[dst->nrows].at = at;
		dst->rows[dst->nrows].mask = mask;
		dst->nrows++;
	}
	if (buf->cursor != buf->len)
		flat_corrupt("trailing bytes");
}

static ExpandedObjectHeader *
wf_from_flat(const char *data, Size len, MemoryContext parent)
{
	StringInfoData buf;
	StringInfoData head;
	WfState    *s;

	if (len < WF_HEADER_SIZE)
		flat_corrupt("value is truncated");
	flat_reader_init(&buf, data, len);
	/* the parameters as the header gives them; wf_merge_flat checks them */
	flat_reader_init(&head, data + 4, 8);
	s = wf_new(parent, (uint8) data[1], (uint8) data[2], (uint8) data[3], (int64) get_u64(&head));
	wf_merge_flat(&s->hdr, &buf, true);
	return &s->hdr;
}

static ExpandedObjectHeader *
wf_copy(ExpandedObjectHeader *eoh, MemoryContext parent)
{
	WfState    *src = (WfState *) eoh;
	WfState    *s = wf_new(parent, src->time_kind, src->nsteps, src->modes, src->window);

	wf_merge(&s->hdr, eoh);
	return &s->hdr;
}

static const StateKind wf_kind = {
	"window_funnel_state",
	&wf_methods,
	wf_copy,
	wf_from_flat,
	wf_merge,
	wf_merge_flat
};

STATE_TYPE_IO_FUNCTIONS(window_funnel_state, wf_kind)

/* ---- arguments ----------------------------------------------------------- */

/* The window as microseconds: no months, not negative. */
static int64
wf_window(FunctionCallInfo fcinfo, int argno)
{
	Interval   *w;
	int64		micros;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the window of window_funnel must not be NULL"),
				 errhint("Pass the longest time from a chain's first event to its last, for example interval '1 hour'.")));
	w = PG_GETARG_INTERVAL_P(argno);
	if (w->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window of window_funnel must not contain months or years"),
				 errhint("A month has no fixed length: give the window in days, hours, minutes or seconds.")));
	if (w->day < 0 || w->time < 0 ||
		pg_mul_s64_overflow((int64) w->day, USECS_PER_DAY, &micros) ||
		pg_add_s64_overflow(micros, w->time, &micros))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window of window_funnel must not be negative"),
				 errhint("Pass the longest time from a chain's first event to its last, for example interval '1 hour'; a day counts as 24 hours.")));
	return micros;
}

/* The mode text: comma-separated names (case and surrounding spaces ignored). */
static uint8
wf_parse_modes(const char *text)
{
	uint8		modes = 0;
	char	   *copy = pstrdup(text);
	char	   *item = copy;
	bool		more = true;

	/* '' (or only spaces): no mode */
	while (*item == ' ')
		item++;
	if (*item == '\0')
		return 0;
	while (more)
	{
		char	   *comma = strchr(item, ',');
		char	   *end;
		bool		known = false;

		if (comma)
			*comma = '\0';
		else
			more = false;
		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		for (int i = 0; i < lengthof(wf_mode_names); i++)
		{
			if (pg_strcasecmp(item, wf_mode_names[i].name) == 0)
			{
				modes |= wf_mode_names[i].bit;
				known = true;
			}
		}
		if (!known && pg_strcasecmp(item, "strict") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("window_funnel mode \"strict\" is now called \"strict_deduplication\""),
					 errhint("Valid modes: " WF_VALID_MODES ", separated by commas.")));
		if (!known)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%s\"", item),
					 errhint("Valid modes: " WF_VALID_MODES ", separated by commas.")));
		item = comma ? comma + 1 : NULL;
	}
	if ((modes & WF_ALLOW_REENTRY) && !(modes & WF_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel mode allow_reentry requires strict_order"),
				 errhint("Pass 'strict_order, allow_reentry'.")));
	pfree(copy);
	return modes;
}

/* The last mode text seen by a call site and its parse, kept in fn_extra. */
typedef struct WfModeCache
{
	text	   *mode;
	uint8		modes;
} WfModeCache;

static uint8
wf_modes(FunctionCallInfo fcinfo, int argno)
{
	WfModeCache *cache = (WfModeCache *) fcinfo->flinfo->fn_extra;
	text	   *mode;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the mode of window_funnel must not be NULL"),
				 errhint("Pass '' for none, or some of " WF_VALID_MODES ", separated by commas.")));
	mode = PG_GETARG_TEXT_PP(argno);
	if (cache && cache->mode &&
		VARSIZE_ANY_EXHDR(cache->mode) == VARSIZE_ANY_EXHDR(mode) &&
		memcmp(VARDATA_ANY(cache->mode), VARDATA_ANY(mode), VARSIZE_ANY_EXHDR(mode)) == 0)
		return cache->modes;
	{
		uint8		modes = wf_parse_modes(text_to_cstring(mode));
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (!cache)
			cache = fcinfo->flinfo->fn_extra = palloc0(sizeof(WfModeCache));
		if (cache->mode)
			pfree(cache->mode);
		cache->mode = (text *) palloc(VARSIZE_ANY_EXHDR(mode) + VARHDRSZ);
		SET_VARSIZE(cache->mode, VARSIZE_ANY_EXHDR(mode) + VARHDRSZ);
		memcpy(VARDATA(cache->mode), VARDATA_ANY(mode), VARSIZE_ANY_EXHDR(mode));
		cache->modes = modes;
		MemoryContextSwitchTo(old);
		return modes;
	}
}

/* The steps of one row: a 1-D boolean array of 1..32 elements; NULL counts as false. */
static uint32
wf_steps(ArrayType *steps, int *nsteps)
{
	int			n;
	bits8	   *nulls;
	const bool *values;
	uint32		mask = 0;

	if (ARR_ELEMTYPE(steps) != BOOLOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("window_funnel steps must be boolean")));
	if (ARR_NDIM(steps) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must be a one-dimensional array"),
				 errhint("Pass the steps as separate arguments, or as a one-dimensional boolean[] after VARIADIC.")));
	n = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
	if (n < 1 || n > WF_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel needs between 1 and %d steps, not %d", WF_MAX_STEPS, n),
				 errhint("Pass one boolean condition per step: window_funnel(window, event_at, step1, step2, ...).")));
	nulls = ARR_NULLBITMAP(steps);
	values = (const bool *) ARR_DATA_PTR(steps);
	for (int i = 0; i < n; i++)
	{
		/* a NULL element takes no space in the data */
		if (nulls && !(nulls[i / 8] & (1 << (i % 8))))
			continue;
		if (*values++)
			mask |= (uint32) 1 << i;
	}
	*nsteps = n;
	return mask;
}

/* ---- the aggregate ------------------------------------------------------- */

/*
 * window_funnel_trans(state, window interval, [mode text,] event_at, steps boolean[])
 *
 * Not STRICT: the state starts NULL, a row with a NULL event_at or a NULL
 * steps array (VARIADIC NULL) is ignored, and NULL steps count as false.
 * The window, the mode and the number of steps are checked on every row.
 */
static pg_attribute_always_inline Datum
wf_transition(FunctionCallInfo fcinfo, TimeKind kind, bool with_mode)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	int			time_arg = with_mode ? 3 : 2;
	int64		window = wf_window(fcinfo, 1);
	uint8		modes = with_mode ? wf_modes(fcinfo, 2) : 0;
	int			nsteps;
	uint32		mask;
	WfState    *s;

	if (PG_ARGISNULL(time_arg + 1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		s = (WfState *) state_get_rw(&wf_kind, PG_GETARG_DATUM(0), aggcxt);
		PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
	}
	mask = wf_steps(PG_GETARG_ARRAYTYPE_P(time_arg + 1), &nsteps);

	if (PG_ARGISNULL(0))
		s = wf_new(aggcxt, kind, (uint8) nsteps, modes, window);
	else
	{
		s = (WfState *) state_get_rw(&wf_kind, PG_GETARG_DATUM(0), aggcxt);
		if (s->time_kind != kind)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("window_funnel state of %s times passed to the transition function for %s",
							time_kind_name(s->time_kind), time_kind_name(kind))));
		if (s->window != window)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the window of window_funnel must be the same on every row of a group"),
					 errhint("Pass one window, for example a constant.")));
		if (s->modes != modes)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the mode of window_funnel must be the same on every row of a group"),
					 errhint("Pass one mode, for example a constant.")));
		if (s->nsteps != nsteps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("window_funnel got a different number of steps on rows of the same group"),
					 errdetail("The group started with %d steps, this row has %d.", s->nsteps, nsteps)));
	}

	/* rows of no step matter only where they break a chain (strict_order) */
	if (!PG_ARGISNULL(time_arg) && (mask != 0 || (modes & WF_STRICT_ORDER)))
		wf_add(s, finite_event_time(PG_GETARG_DATUM(time_arg), kind, "window_funnel"), mask);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

static Datum
wf_trans(FunctionCallInfo fcinfo, TimeKind kind)
{
	return wf_transition(fcinfo, kind, PG_NARGS() == 5);
}

RETENTION_ENTRY_POINT(window_funnel_trans_tstz, wf_trans, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(window_funnel_trans_ts, wf_trans, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(window_funnel_trans_date, wf_trans, TIME_DATE)

Datum
window_funnel_combine(PG_FUNCTION_ARGS)
{
	return state_combine(&wf_kind, fcinfo);
}

/*
 * window_funnel_final(state) -> int4: the deepest level, 0 for no state or no
 * chain.  Not STRICT (an empty group gives 0); the state is only read.
 */
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	PG_RETURN_INT32(window_funnel_level((WfState *) state_view(&wf_kind, PG_GETARG_DATUM(0))));
}
