/*
 * retention_agg.c
 *		The retention_agg aggregate: its arguments and options
 *		(retention_options), the transition, combine and final functions, and
 *		the final count of the cells into a retention_matrix
 *		(doc/retention_agg.md).  The state is in retention_state.c.
 *
 *   retention_agg(actor, event_at, period text|interval, is_start, is_return
 *                 [, value numeric [, options retention_options]])
 *
 * An actor's anchor (the first is_start event, or with cohorts =>
 * 'recurring' each period with one) is known only once every row has been
 * seen, and with rolling windows the offsets of the return events depend on
 * the anchor's time: the final function sorts each actor's nodes (the keys
 * with events, retention_state.c) and counts the cells.
 */
#include "retention_agg.h"
#include "flat_io.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "cohort_matrix.h"		/* CellTable */

PG_FUNCTION_INFO_V1(retention_agg_combine);
PG_FUNCTION_INFO_V1(retention_agg_final);
PG_FUNCTION_INFO_V1(retention_options);

/* ---- periods ------------------------------------------------------------- */

static int32
hour_number(int64 hour_start)
{
	int64		h = floor_div(hour_start, USECS_PER_HOUR);

	/* a valid timestamp is within +-2^31 hours of 2000 */
	return (int32) h;
}

int32
ra_period_of(uint8 kind, bool sunday, TimeKind time_kind, int64 at)
{
	if (kind == PERIOD_HOUR)
		return hour_number(period_of_time_exact(PERIOD_HOUR, time_kind, at, "event_at"));
	if (kind == PERIOD_WEEK)
		return (int32) floor_div((int64) period_of_time(PERIOD_DAY, time_kind, at) -
								 (sunday ? FIRST_SUNDAY : FIRST_MONDAY), 7);
	return period_of_time(kind, time_kind, at);
}

/* The start of a period, as the times of time_kind are kept. */
int64
ra_period_start(uint8 kind, bool sunday, TimeKind time_kind, int32 period)
{
	DateADT		d;

	if (kind == PERIOD_HOUR)
	{
		int64		inside = (int64) period * USECS_PER_HOUR + USECS_PER_HOUR - 1;

		return time_kind == TIME_TIMESTAMPTZ
			? period_of_time_exact(PERIOD_HOUR, time_kind, inside, "cohort")
			: (int64) period * USECS_PER_HOUR;
	}
	if (kind == PERIOD_WEEK)
		d = (DateADT) ((int64) period * 7 + (sunday ? FIRST_SUNDAY : FIRST_MONDAY));
	else
		d = period_start_date(kind, period);
	if (time_kind == TIME_TIMESTAMPTZ)
		return DatumGetTimestampTz(DirectFunctionCall1(date_timestamptz, DateADTGetDatum(d)));
	return (int64) d * USECS_PER_DAY;
}


/* ---- options ---------------------------------------------------------------- */

static void
parse_cohorts(const char *text, RaOptions *opt)
{
	if (pg_strcasecmp(text, "first_time") == 0)
		return;
	if (pg_strcasecmp(text, "recurring") == 0)
	{
		opt->flags |= RA_RECURRING;
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown retention cohorts \"%s\"", text),
			 errhint("Valid cohorts are first_time and recurring.")));
}

static void
parse_week_start(const char *text, RaOptions *opt)
{
	if (pg_strcasecmp(text, "monday") == 0)
		return;
	if (pg_strcasecmp(text, "sunday") == 0)
	{
		opt->flags |= RA_SUNDAY;
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown week_start \"%s\"", text),
			 errhint("Valid week starts are monday and sunday.")));
}

static void
parse_brackets(ArrayType *arr, RaOptions *opt)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention brackets must be a one-dimensional array")));
	deconstruct_array(arr, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &n);
	if (n < 1 || n > RA_MAX_BRACKETS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention brackets must have between 1 and %d sizes, not %d", RA_MAX_BRACKETS, n),
				 errhint("Pass NULL for one bracket per period offset.")));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i] || DatumGetInt32(elems[i]) < 1 || DatumGetInt32(elems[i]) > RA_MAX_BRACKET_SIZE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("retention bracket sizes must be between 1 and %d", RA_MAX_BRACKET_SIZE),
					 errhint("A bracket of size n covers n period offsets, for example '{1,3,7}'.")));
		opt->brackets[i] = DatumGetInt32(elems[i]);
	}
	opt->nbrackets = n;
}

static void
parse_min_occurrences(int32 m, RaOptions *opt)
{
	if (m < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention min_occurrences must be at least 1, not %d", m)));
	opt->min_occurrences = m;
}

static void
default_options(RaOptions *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->min_occurrences = 1;
}

/* The options of a retention_options value (fields NULL: their defaults). */
static void
read_options_tuple(HeapTupleHeader t, RaOptions *opt)
{
	bool		isnull;
	Datum		d;

	default_options(opt);
	d = GetAttributeByNum(t, 1, &isnull);
	if (!isnull)
		parse_cohorts(TextDatumGetCString(d), opt);
	d = GetAttributeByNum(t, 2, &isnull);
	if (!isnull)
		parse_brackets(DatumGetArrayTypeP(d), opt);
	d = GetAttributeByNum(t, 3, &isnull);
	if (!isnull)
		parse_min_occurrences(DatumGetInt32(d), opt);
	d = GetAttributeByNum(t, 4, &isnull);
	if (!isnull)
		parse_week_start(TextDatumGetCString(d), opt);
}

/*
 * retention_options(cohorts, brackets, min_occurrences, week_start): the
 * arguments checked, as a retention_options value.  Not STRICT: a NULL
 * argument means its default.
 */
Datum
retention_options(PG_FUNCTION_ARGS)
{
	RaOptions	opt;
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {0};

	default_options(&opt);
	if (!PG_ARGISNULL(0))
		parse_cohorts(text_to_cstring(PG_GETARG_TEXT_PP(0)), &opt);
	if (!PG_ARGISNULL(1))
		parse_brackets(PG_GETARG_ARRAYTYPE_P(1), &opt);
	if (!PG_ARGISNULL(2))
		parse_min_occurrences(PG_GETARG_INT32(2), &opt);
	if (!PG_ARGISNULL(3))
		parse_week_start(text_to_cstring(PG_GETARG_TEXT_PP(3)), &opt);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	values[0] = CStringGetTextDatum((opt.flags & RA_RECURRING) ? "recurring" : "first_time");
	if (opt.nbrackets > 0)
	{
		Datum		elems[RA_MAX_BRACKETS];

		for (int i = 0; i < opt.nbrackets; i++)
			elems[i] = Int32GetDatum(opt.brackets[i]);
		values[1] = PointerGetDatum(construct_array(elems, opt.nbrackets, INT4OID, 4, true, TYPALIGN_INT));
	}
	else
		nulls[1] = true;
	values[2] = Int32GetDatum(opt.min_occurrences);
	values[3] = CStringGetTextDatum((opt.flags & RA_SUNDAY) ? "sunday" : "monday");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* ---- the transition function ------------------------------------------------------------- */

/* What a call site keeps between rows (fn_extra). */
typedef struct RaCall
{
	Oid			key_type;
	KeyClass	key_class;
	TimeKind	time_kind;
	uint8		kind;			/* of the period argument parsed last */
	int64		window;
	int			period_len;		/* -1: none parsed yet */
	char		period_text[16];
	struct varlena *options;	/* the options value parsed last, or NULL */
	RaOptions	opt;
	PeriodFinder finder;		/* calendar kinds; days for weeks */
} RaCall;

static RaCall *
ra_call(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	RaCall	   *c = (RaCall *) fcinfo->flinfo->fn_extra;

	if (unlikely(c == NULL))
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RaCall));
		c->key_type = agg_arg_type(fcinfo, 1, "retention_agg");
		c->key_class = key_class_for_type(c->key_type, "actor");
		c->time_kind = time_kind;
		c->period_len = -1;
		default_options(&c->opt);
		fcinfo->flinfo->fn_extra = c;
	}
	else if (unlikely(c->finder.kind != 0 && c->finder.tz != session_timezone))
		period_finder_init(&c->finder, c->finder.kind, c->time_kind);
	return c;
}

static void
ra_period_text(FunctionCallInfo fcinfo, RaCall *c)
{
	text	   *t;
	int			len;
	PeriodKind	kind;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the period of retention_agg must not be NULL"),
				 errhint("Valid periods are hour, day, week, month, quarter, year, or an interval such as interval '24 hours'.")));
	t = PG_GETARG_TEXT_PP(3);
	len = VARSIZE_ANY_EXHDR(t);
	if (len == c->period_len && memcmp(VARDATA_ANY(t), c->period_text, len) == 0)
		return;
	kind = period_kind_parse(VARDATA_ANY(t), len,
							 COHORT_PERIODS | PERIOD_SET(PERIOD_HOUR), "period", "periods");
	c->kind = kind;
	c->window = 0;
	if (len <= (int) sizeof(c->period_text))
	{
		memcpy(c->period_text, VARDATA_ANY(t), len);
		c->period_len = len;
	}
	else
		c->period_len = -1;
	kind = kind == PERIOD_WEEK ? PERIOD_DAY : kind;
	if (c->finder.kind != kind)
		period_finder_init(&c->finder, kind, c->time_kind);
}

static void
ra_period_interval(FunctionCallInfo fcinfo, RaCall *c)
{
	Interval   *w;
	int64		micros;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the period of retention_agg must not be NULL"),
				 errhint("Pass a window such as interval '24 hours', or a calendar period such as 'day'.")));
	w = PG_GETARG_INTERVAL_P(3);
	if (w->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window of retention_agg must not contain months or years"),
				 errhint("A month has no fixed length: give the window in days or hours, or pass the calendar period 'month'.")));
	if (pg_mul_s64_overflow((int64) w->day, USECS_PER_DAY, &micros) ||
		pg_add_s64_overflow(micros, w->time, &micros) || micros <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the window of retention_agg must be positive"),
				 errhint("Pass for example interval '24 hours'; a day counts as 24 hours.")));
	c->kind = RA_WINDOW;
	c->window = micros;
	c->period_len = -1;
}

static const RaOptions *
ra_options(FunctionCallInfo fcinfo, RaCall *c, bool has_value)
{
	struct varlena *v;

	if (PG_NARGS() <= 7 || PG_ARGISNULL(7))
	{
		if (c->options != NULL)
		{
			pfree(c->options);
			c->options = NULL;
			default_options(&c->opt);
		}
	}
	else
	{
		v = (struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(7));
		if (c->options == NULL || VARSIZE_ANY(c->options) != VARSIZE_ANY(v) ||
			memcmp(c->options, v, VARSIZE_ANY(v)) != 0)
		{
			MemoryContext old;

			read_options_tuple(PG_GETARG_HEAPTUPLEHEADER(7), &c->opt);
			old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
			if (c->options)
				pfree(c->options);
			c->options = palloc(VARSIZE_ANY(v));
			memcpy(c->options, v, VARSIZE_ANY(v));
			MemoryContextSwitchTo(old);
		}
	}
	if (has_value)
		c->opt.flags |= RA_HAS_VALUE;
	else
		c->opt.flags &= ~RA_HAS_VALUE;
	return &c->opt;
}

/*
 * retention_agg_trans(state, actor, event_at, period, is_start, is_return
 * [, value [, options]]).  Not STRICT: NULL actors and times are counted as
 * ignored rows, a NULL flag is false, a NULL value adds nothing.
 */
static pg_attribute_always_inline Datum
ra_transition(FunctionCallInfo fcinfo, TimeKind time_kind, bool windowed)
{
	RaCall	   *c = ra_call(fcinfo, time_kind);
	bool		has_value = PG_NARGS() > 6;
	const RaOptions *opt;
	RaState    *s;
	bool		is_start;
	bool		is_return;
	int64		at;
	int32		period;
	KeyEntry	probe;
	int64		units;
	Datum		big;

	if (windowed)
		ra_period_interval(fcinfo, c);
	else
		ra_period_text(fcinfo, c);
	opt = ra_options(fcinfo, c, has_value);

	if (PG_ARGISNULL(0))
	{
		s = ra_new(agg_memory_context(fcinfo), time_kind, c->key_class, c->kind, opt, c->window);
		/* a state of a serial plan may spill (retention_spill.c) */
		s->c.spill_ok = spill_allowed(fcinfo);
	}
	else
	{
		s = (RaState *) state_get_rw(&ra_kind, PG_GETARG_DATUM(0), agg_memory_context(fcinfo));
		if (unlikely(s->kind != c->kind || s->window != c->window))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the period of retention_agg must be the same on every row")));
		if (unlikely(!ra_same_options(&s->opt, opt)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the options of retention_agg must be the same on every row"),
					 errhint("Pass one retention_options(...) value, for example a constant.")));
		if (unlikely(s->c.time_kind != time_kind || s->c.customer_class != c->key_class))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("retention_agg state does not match the aggregate's argument types")));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->c.ignored_rows++;
		PG_RETURN_DATUM(EOHPGetRWDatum(&s->c.hdr));
	}
	at = finite_event_time(PG_GETARG_DATUM(2), time_kind, "retention_agg");
	if (s->c.rows == 0 || at > s->c.max_at)
		s->c.max_at = at;
	s->c.rows++;
	is_start = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	is_return = !PG_ARGISNULL(5) && PG_GETARG_BOOL(5);
	if (!is_start && !is_return)
		PG_RETURN_DATUM(EOHPGetRWDatum(&s->c.hdr));

	period = c->kind == RA_WINDOW ? 0
		: ra_period_find(&c->finder, c->kind, (opt->flags & RA_SUNDAY) != 0, at);
	key_probe_datum(&probe, c->key_type, PG_GETARG_DATUM(1));
	units = 0;
	big = (Datum) 0;
	if (is_return && has_value && !PG_ARGISNULL(6))
	{
		int			dscale;

		if (!money_units64(PG_GETARG_DATUM(6), &units, &dscale))
		{
			units = 0;
			big = PG_GETARG_DATUM(6);
		}
		/* (the state's largest scale covers the values that go to disk too) */
		s->max_dscale = Max(s->max_dscale, dscale);
	}
	ra_add_row(s, &probe, at, period, is_start, is_return, units, big);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->c.hdr));
}

static Datum
ra_trans_calendar(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	return ra_transition(fcinfo, time_kind, false);
}

static Datum
ra_trans_window(FunctionCallInfo fcinfo, TimeKind time_kind)
{
	return ra_transition(fcinfo, time_kind, true);
}

RETENTION_ENTRY_POINT(retention_agg_trans_tstz, ra_trans_calendar, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(retention_agg_trans_ts, ra_trans_calendar, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(retention_agg_trans_date, ra_trans_calendar, TIME_DATE)
RETENTION_ENTRY_POINT(retention_agg_window_trans_tstz, ra_trans_window, TIME_TIMESTAMPTZ)
RETENTION_ENTRY_POINT(retention_agg_window_trans_ts, ra_trans_window, TIME_TIMESTAMP)
RETENTION_ENTRY_POINT(retention_agg_window_trans_date, ra_trans_window, TIME_DATE)

Datum
retention_agg_combine(PG_FUNCTION_ARGS)
{
	return state_combine(&ra_kind, fcinfo);
}

/* ---- the final count ----------------------------------------------------------- */

typedef struct Counter
{
	const RaState *s;
	CellTable	cells;
	MemoryContext cxt;
	int			dscale;
	/* the offset or bracket being added up for one member */
	int32		cur;
	bool		cur_active;
	int64		cur_returns;
	MoneySum	cur_money;
	int32		last_active;
} Counter;

static int
node_cmp(const void *a, const void *b)
{
	int64		x = ((const RaNode *) a)->key;
	int64		y = ((const RaNode *) b)->key;

	return x < y ? -1 : x > y;
}

/* the bracket of offset k (k >= 1), -1 past the last */
static int32
bracket_of(const RaOptions *opt, int64 k)
{
	int64		hi = 0;

	for (int b = 0; b < opt->nbrackets; b++)
	{
		hi += opt->brackets[b];
		if (k <= hi)
			return b + 1;
	}
	return -1;
}

static BuildCell *
counter_cell(Counter *ct, int32 cohort, int32 offset)
{
	BuildCell  *c = cell_at(&ct->cells, cohort, offset, true);

	if (c->money.cxt == NULL)
		money_init(&c->money, ct->cxt);
	return c;
}

static void
counter_flush(Counter *ct, int32 cohort)
{
	if (ct->cur >= 0 && (ct->cur_active || ct->cur == 0))
	{
		BuildCell  *c = counter_cell(ct, cohort, ct->cur);

		if (ct->cur > 0)
			c->cell.active++;
		c->cell.orders += ct->cur_returns;
		money_merge(&c->money, &ct->cur_money);
		if (ct->cur > 0)
			ct->last_active = ct->cur;
	}
	ct->cur = -1;
	ct->cur_active = false;
	ct->cur_returns = 0;
	money_init(&ct->cur_money, ct->cxt);
}

/*
 * The offset of node n from an anchor: windows from the anchor's time, calendar
 * periods from its period (the final count keeps each sorted node's period in
 * its 'next').
 */
static inline int64
node_offset(const RaState *s, const RaNode *n, const RaNode *anchor)
{
	if (s->kind == RA_WINDOW)
		return (n->key - anchor->key) / s->window;
	return (int64) (int32) n->next - (int64) (int32) anchor->next;
}

/*
 * One member of cohort 'cohort' anchored at node 'first' of the actor's
 * nodes sorted by key (anchor: the key of that node, the first is_start event
 * of its period or window).  Nodes from the anchor's key on count; those
 * before it, even in the anchor's period, hold return events before the
 * anchor (retention_agg.h).
 */
static void
count_member(Counter *ct, const RaNode *nodes, uint32 nnodes, uint32 first, int32 cohort)
{
	const RaState *s = ct->s;
	const RaNode *anchor = &nodes[first];
	int64		k_prev = -1;
	bool		k_active = false;

	/* nodes of the anchor's key sorted before it count too */
	while (first > 0 && nodes[first - 1].key == anchor->key)
		first--;

	counter_cell(ct, cohort, 0)->cell.active++;
	ct->cur = -1;
	ct->last_active = 0;
	for (uint32 i = first; i < nnodes; i++)
	{
		const RaNode *n = &nodes[i];
		int64		k;
		int32		o;

		if (n->returns == 0)
			continue;
		k = node_offset(s, n, anchor);
		if (k > PG_INT32_MAX)
			break;
		if (s->opt.nbrackets > 0)
		{
			o = k == 0 ? 0 : bracket_of(&s->opt, k);
			if (o < 0)
				break;
		}
		else
			o = (int32) k;
		if (o != ct->cur)
		{
			counter_flush(ct, cohort);
			ct->cur = o;
		}
		/* min_occurrences: the return events of one offset, which may be in several nodes */
		if (k != k_prev)
		{
			int64		total = 0;

			for (uint32 j = i; j < nnodes && node_offset(s, &nodes[j], anchor) == k; j++)
				total += nodes[j].returns;
			k_active = k == 0 || total >= s->opt.min_occurrences;
			k_prev = k;
		}
		if (!k_active)
			continue;
		ct->cur_active = true;
		ct->cur_returns += n->returns;
		if (s->opt.flags & RA_HAS_VALUE)
		{
			if (n->units != 0)
				money_add_units(&ct->cur_money, n->units, 0, ct->dscale);
			if (n->exc)
				money_add_numeric(&ct->cur_money, s->exc[n->exc - 1], 0, ct->dscale);
		}
	}
	counter_flush(ct, cohort);
	counter_cell(ct, cohort, ct->last_active)->cell.last++;
}

static int
rm_cell_cmp(const void *a, const void *b)
{
	const RmCell *x = a;
	const RmCell *y = b;

	if (x->cohort != y->cohort)
		return x->cohort < y->cohort ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * m's cells, sorted, from counted cells (cell.orders holds the return
 * events), the values at m's scale; the counted cells are left as they are.
 * retention_agg's final count and retention_matrix_sum make their matrices so.
 */
void
rm_set_cells(RmMatrix *m, const CellTable *t)
{
	m->ncells = t->n;
	m->cells = palloc_extended(sizeof(RmCell) * Max(t->n, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < t->n; i++)
	{
		const BuildCell *b = &t->cells[i];
		RmCell	   *c = &m->cells[i];

		c->cohort = b->cell.cohort;
		c->offset = b->cell.offset;
		c->active = b->cell.active;
		c->last = b->cell.last;
		c->returns = b->cell.orders;
		c->value = (Datum) 0;
		if (m->opt.flags & RA_HAS_VALUE)
		{
			MoneySum	money = b->money;

			money.max_dscale = m->value_dscale;
			c->value = money_result(&money);
		}
	}
	qsort(m->cells, m->ncells, sizeof(RmCell), rm_cell_cmp);
}

/*
 * ct += the cells of s's actors in memory (those of a spilling state that
 * also have rows on disk are counted by their partitions).
 */
static void
count_actors(Counter *ct, RaState *s)
{
	uint32		nactors = s->c.customers.nentries;
	uint32	   *first;
	RaNode	   *sorted;
	PeriodFinder finder;
	bool		sunday = (s->opt.flags & RA_SUNDAY) != 0;

	ct->s = s;
	memset(&finder, 0, sizeof(finder));
	if (s->kind != RA_WINDOW)
		period_finder_init(&finder, s->kind == PERIOD_WEEK ? PERIOD_DAY : (PeriodKind) s->kind,
						   s->c.time_kind);

	/*
	 * The nodes by actor, a counting sort on the actor's ordinal: sequential
	 * passes over the nodes instead of a walk down each actor's chain, whose
	 * every step is a cache miss on a large state.  (It copies the nodes once:
	 * the final count needs as much memory again as the nodes, for a moment.)
	 */
	first = palloc_extended(sizeof(uint32) * ((Size) nactors + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	sorted = palloc_extended(sizeof(RaNode) * Max((Size) s->nnodes, 1), MCXT_ALLOC_HUGE);
	for (uint32 i = 0; i < s->nnodes; i++)
		first[ra_node(s, i)->actor + 1]++;
	for (uint32 a = 0; a < nactors; a++)
		first[a + 1] += first[a];
	for (uint32 i = 0; i < s->nnodes; i++)
	{
		const RaNode *nd = ra_node(s, i);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sorted[first[nd->actor]++] = *nd;
	}
	/* first[a] is now the end of actor a's nodes, the start of a + 1's */

	for (uint32 a = 0; a < nactors; a++)
	{
		uint32		lo = a == 0 ? 0 : first[a - 1];
		uint32		count = first[a] - lo;
		RaNode	   *buf = sorted + lo;
		int32		prev_cohort = 0;
		bool		any_anchor = false;

		if ((a & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (unlikely(s->c.on_disk != NULL) && customer_state_on_disk(&s->c, a))
			continue;
		/* in the order they were added: often sorted already, and short */
		if (count <= 16)
		{
			for (uint32 j = 1; j < count; j++)
			{
				RaNode		x = buf[j];
				uint32		k = j;

				while (k > 0 && buf[k - 1].key > x.key)
				{
					buf[k] = buf[k - 1];
					k--;
				}
				buf[k] = x;
			}
		}
		else
			qsort(buf, count, sizeof(RaNode), node_cmp);

		/* calendar periods: each node's period, in its 'next' (no longer needed) */
		if (s->kind != RA_WINDOW)
			for (uint32 j = 0; j < count; j++)
				buf[j].next = (uint32) ra_period_find(&finder, s->kind, sunday, buf[j].key);

		for (uint32 j = 0; j < count; j++)
		{
			int32		cohort;

			if (!buf[j].start)
				continue;
			cohort = s->kind == RA_WINDOW
				? ra_period_of(ra_cohort_unit(s->window), false, s->c.time_kind, buf[j].key)
				: (int32) buf[j].next;
			if (any_anchor && cohort == prev_cohort)
				continue;		/* recurring: a later is_start event of the same period */
			count_member(ct, buf, count, j, cohort);
			any_anchor = true;
			prev_cohort = cohort;
			/* windows have one cohort row per actor, whatever cohorts says */
			if (!(s->opt.flags & RA_RECURRING) || s->kind == RA_WINDOW)
				break;
		}
	}
	pfree(sorted);
	pfree(first);
}

/*
 * ct += the cells of s: its actors in memory, then, when it spilled
 * (retention_spill.c), each partition's state, read back (and spilled in
 * turn).  Every actor is in one place and every cell a sum over actors.
 */
static void count_partition(RaState *ps, void *ct);

static void
count_all(Counter *ct, RaState *s)
{
	ra_flush(s);				/* before anything is read */
	count_actors(ct, s);
	if (s->c.spill == NULL)
		return;
	spill_report(s->c.spill);
	ra_for_each_partition(s, count_partition, ct);
}

static void
count_partition(RaState *ps, void *ct)
{
	count_all((Counter *) ct, ps);
}

static RmMatrix *
ra_count(RaState *s)
{
	Counter		ct;
	RmMatrix   *m = palloc0(sizeof(RmMatrix));

	memset(&ct, 0, sizeof(ct));
	ct.cxt = CurrentMemoryContext;
	ct.dscale = s->max_dscale;	/* of every row, those on disk too */
	cell_table_init(&ct.cells, CurrentMemoryContext);
	money_init(&ct.cur_money, ct.cxt);
	count_all(&ct, s);

	m->kind = s->kind;
	m->time_kind = s->c.time_kind;
	m->opt = s->opt;
	m->window = s->window;
	m->value_dscale = s->max_dscale;
	m->latest_at = s->c.rows > 0 ? s->c.max_at : 0;
	m->ignored_rows = s->c.ignored_rows;
	m->rows = s->c.rows;
	rm_set_cells(m, &ct.cells);
	return m;
}

/*
 * retention_agg_final(state) -> retention_matrix.  Not STRICT: no rows at
 * all give an empty matrix.  The state is only read.
 */
Datum
retention_agg_final(PG_FUNCTION_ARGS)
{
	RmMatrix   *m;

	if (PG_ARGISNULL(0))
	{
		m = palloc0(sizeof(RmMatrix));
		default_options(&m->opt);
		PG_RETURN_POINTER(rm_flatten(m));
	}
	m = ra_count((RaState *) state_view(&ra_kind, PG_GETARG_DATUM(0)));
	PG_RETURN_POINTER(rm_flatten(m));
}
