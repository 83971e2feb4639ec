/*
 * funnel_table.c
 *		The funnel report over window_funnel's levels (doc/funnel.md): how many
 *		actors reached each step.
 *
 *   funnel_agg(level int4, steps int4) -> funnel_counts
 *   funnel_agg_sum(funnel_counts) -> funnel_counts
 *   funnel_table(funnel_counts) -> SETOF (step, actors, conversion,
 *                                         conversion_from_previous, dropped)
 *   actors(funnel_counts), ignored_rows(funnel_counts) -> int8
 *
 * funnel_agg counts the actors (the rows: one per actor, the level of
 * window_funnel ... GROUP BY actor) at each level 0..steps; a NULL level is
 * not an actor, it is counted in ignored_rows.  The counts are sums, so the
 * counts of disjoint sets of actors add up: the combine function and
 * funnel_agg_sum's transition function are one, funnel_counts_add, and the
 * transition type is funnel_counts itself (a real varlena type, so Citus can
 * run funnel_agg and funnel_agg_sum on its workers).  A level reached implies
 * the steps below it, so the actors that reached step k are those of the
 * levels k..steps.
 *
 * The value (in memory as on disk; its layout is the struct below):
 *   version u8 (1), steps u8 (1..32), reserved u16 (0),
 *   ignored_rows int64, levels int64 x (steps + 1)
 * Counts are not negative and the actors (the sum of the levels) fit in an
 * int64; in and recv check it, and every addition keeps it (ERROR 22003).
 *
 * Text form: v1 steps=3 ignored_rows=0 levels=4,3,2,1 (actors at levels 0..steps)
 * Binary form: version u8, steps u8, ignored_rows int64, steps + 1 x int64.
 */
#include "window_funnel.h"
#include "text_io.h"
#include "result_set.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(funnel_counts_in);
PG_FUNCTION_INFO_V1(funnel_counts_out);
PG_FUNCTION_INFO_V1(funnel_counts_recv);
PG_FUNCTION_INFO_V1(funnel_counts_send);
PG_FUNCTION_INFO_V1(funnel_agg_trans);
PG_FUNCTION_INFO_V1(funnel_counts_add);
PG_FUNCTION_INFO_V1(funnel_table);
PG_FUNCTION_INFO_V1(funnel_counts_actors);
PG_FUNCTION_INFO_V1(funnel_counts_ignored_rows);

#define FUNNEL_COUNTS_VERSION 1

typedef struct FunnelCounts
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		steps;			/* 1..WF_MAX_STEPS */
	uint16		reserved;
	int64		ignored_rows;	/* rows of a NULL level */
	int64		levels[FLEXIBLE_ARRAY_MEMBER];	/* steps + 1: actors at level 0..steps */
} FunnelCounts;

#define FUNNEL_COUNTS_SIZE(steps) (offsetof(FunnelCounts, levels) + ((Size) (steps) + 1) * sizeof(int64))

#define PG_GETARG_FUNNEL_COUNTS(n) ((FunnelCounts *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static FunnelCounts *
fc_new(int steps)
{
	FunnelCounts *c = palloc0(FUNNEL_COUNTS_SIZE(steps));

	SET_VARSIZE(c, FUNNEL_COUNTS_SIZE(steps));
	c->version = FUNNEL_COUNTS_VERSION;
	c->steps = (uint8) steps;
	return c;
}

static void
fc_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("funnel_counts count out of range"),
			 errhint("The counts added up hold more than 9223372036854775807 actors or rows.")));
}

/* the actors: the sum of the levels (fits, see the top of the file) */
static int64
fc_actors(const FunnelCounts *c)
{
	int64		total = 0;

	for (int l = 0; l <= c->steps; l++)
		if (pg_add_s64_overflow(total, c->levels[l], &total))
			fc_overflow();
	return total;
}

/* ---- validation shared by text and binary input ------------------------ */

/* sqlstate: 22P02 for the text form, 22P03 for the binary one */
static void
fc_invalid(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid funnel_counts value"),
			 errdetail("%s", detail)));
}

static void
fc_check_steps(int64 steps, int sqlstate)
{
	if (steps < 1 || steps > WF_MAX_STEPS)
		fc_invalid(sqlstate, psprintf("steps must be between 1 and %d", WF_MAX_STEPS));
}

static void
fc_validate(const FunnelCounts *c, int sqlstate)
{
	int64		total = 0;

	if (c->ignored_rows < 0)
		fc_invalid(sqlstate, "counts must not be negative");
	for (int l = 0; l <= c->steps; l++)
	{
		if (c->levels[l] < 0)
			fc_invalid(sqlstate, "counts must not be negative");
		if (pg_add_s64_overflow(total, c->levels[l], &total))
			fc_invalid(sqlstate, "the actors (the sum of the levels) exceed 9223372036854775807");
	}
}

/* ---- text I/O ---------------------------------------------------------- */

Datum
funnel_counts_out(PG_FUNCTION_ARGS)
{
	FunnelCounts *c = PG_GETARG_FUNNEL_COUNTS(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d steps=%d ignored_rows=" INT64_FORMAT " levels=",
					 FUNNEL_COUNTS_VERSION, c->steps, c->ignored_rows);
	for (int l = 0; l <= c->steps; l++)
		appendStringInfo(&buf, l == 0 ? INT64_FORMAT : "," INT64_FORMAT, c->levels[l]);
	PG_RETURN_CSTRING(buf.data);
}

Datum
funnel_counts_in(PG_FUNCTION_ARGS)
{
	char	   *input = pstrdup(PG_GETARG_CSTRING(0));
	char	   *cursor = input;
	int64		steps;
	int64		ignored;
	char	   *levels;
	FunnelCounts *c;

	if (strncmp(cursor, "v1 ", 3) != 0)
		text_invalid("funnel_counts", "the value must start with the format version \"v1\"");
	cursor += 3;
	steps = parse_count("funnel_counts", next_field("funnel_counts", &cursor, "steps"));
	fc_check_steps(steps, ERRCODE_INVALID_TEXT_REPRESENTATION);
	ignored = parse_count("funnel_counts", next_field("funnel_counts", &cursor, "ignored_rows"));
	levels = next_field("funnel_counts", &cursor, "levels");
	if (cursor != NULL)
		text_invalid("funnel_counts", "unexpected text after levels");
	c = fc_new((int) steps);
	c->ignored_rows = ignored;
	for (int l = 0; l <= steps; l++)
	{
		char	   *comma = strchr(levels, ',');

		if ((comma == NULL) != (l == steps))
			text_invalid("funnel_counts", psprintf("levels must hold steps + 1 = %d counts", (int) steps + 1));
		if (comma)
			*comma = '\0';
		c->levels[l] = parse_count("funnel_counts", levels);
		levels = comma ? comma + 1 : NULL;
	}
	fc_validate(c, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(c);
}

/* ---- binary I/O -------------------------------------------------------- */

Datum
funnel_counts_send(PG_FUNCTION_ARGS)
{
	FunnelCounts *c = PG_GETARG_FUNNEL_COUNTS(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FUNNEL_COUNTS_VERSION);
	pq_sendbyte(&buf, c->steps);
	pq_sendint64(&buf, c->ignored_rows);
	for (int l = 0; l <= c->steps; l++)
		pq_sendint64(&buf, c->levels[l]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
funnel_counts_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			steps;
	FunnelCounts *c;

	if (buf->len - buf->cursor < 2)
		fc_invalid(ERRCODE_INVALID_BINARY_REPRESENTATION, "value is truncated");
	version = pq_getmsgbyte(buf);
	if (version != FUNNEL_COUNTS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported funnel_counts format version %d", version)));
	steps = pq_getmsgbyte(buf);
	fc_check_steps(steps, ERRCODE_INVALID_BINARY_REPRESENTATION);
	/* ignored_rows and the levels, exactly */
	if (buf->len - buf->cursor != (steps + 2) * 8)
		fc_invalid(ERRCODE_INVALID_BINARY_REPRESENTATION,
				   psprintf("%d steps take %d bytes of counts, not %d", steps, (steps + 2) * 8,
							buf->len - buf->cursor));
	c = fc_new(steps);
	c->ignored_rows = pq_getmsgint64(buf);
	for (int l = 0; l <= steps; l++)
		c->levels[l] = pq_getmsgint64(buf);
	pq_getmsgend(buf);
	fc_validate(c, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(c);
}

/* ---- the aggregates ---------------------------------------------------- */

/*
 * The state to update: in an aggregate, the transition value itself when it
 * is a plain (4-byte header, uncompressed) value, which nodeAgg lets a
 * transition function change in place; else a copy (a value copied from a
 * tuple may have a short header, and a direct call must not change its
 * argument).
 */
static FunnelCounts *
fc_state(FunctionCallInfo fcinfo, int argno)
{
	Pointer		p = DatumGetPointer(PG_GETARG_DATUM(argno));

	if (AggCheckCallContext(fcinfo, NULL) && !VARATT_IS_EXTENDED(p))
		return (FunnelCounts *) p;
	return (FunnelCounts *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno));
}

/*
 * funnel_agg_trans(counts, level int4, steps int4): one actor at level.  Not
 * STRICT: the state starts NULL and a NULL level is an ignored row; steps is
 * checked on every row.
 */
Datum
funnel_agg_trans(PG_FUNCTION_ARGS)
{
	int32		steps;
	FunnelCounts *c;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the steps of funnel_agg must not be NULL"),
				 errhint("Pass the number of steps given to window_funnel, for example a constant.")));
	steps = PG_GETARG_INT32(2);
	if (steps < 1 || steps > WF_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel_agg needs between 1 and %d steps, not %d", WF_MAX_STEPS, steps),
				 errhint("Pass the number of steps given to window_funnel.")));
	/* a new value is made in the per-call memory: nodeAgg copies it into its own */
	if (PG_ARGISNULL(0))
		c = fc_new(steps);
	else
	{
		c = fc_state(fcinfo, 0);
		if (c->steps != steps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_agg got a different number of steps on rows of the same group"),
					 errdetail("The group started with %d steps, this row has %d.", c->steps, steps),
					 errhint("Pass one number of steps, the one given to window_funnel, for example a constant.")));
	}

	if (PG_ARGISNULL(1))
	{
		if (pg_add_s64_overflow(c->ignored_rows, 1, &c->ignored_rows))
			fc_overflow();
	}
	else
	{
		int32		level = PG_GETARG_INT32(1);

		if (level < 0 || level > steps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel_agg level %d is outside 0..%d", level, steps),
					 errdetail("A funnel of %d steps has the levels 0 (step 1 not reached) to %d.", steps, steps),
					 errhint("Pass window_funnel's result for the same steps.")));
		if (pg_add_s64_overflow(c->levels[level], 1, &c->levels[level]))
			fc_overflow();
		/*
		 * In an aggregate the actors are at most the rows seen; a direct call
		 * may pass any value
		 */
		if (!AggCheckCallContext(fcinfo, NULL))
			(void) fc_actors(c);
	}
	PG_RETURN_POINTER(c);
}

/*
 * funnel_counts_add(a, b): the counts of the actors of a and of b together
 * (no actor in both).  STRICT: nodeAgg starts from the first non-NULL input.
 * funnel_agg's combine function, and funnel_agg_sum's transition and combine
 * function.
 */
Datum
funnel_counts_add(PG_FUNCTION_ARGS)
{
	FunnelCounts *a = fc_state(fcinfo, 0);
	FunnelCounts *b = PG_GETARG_FUNNEL_COUNTS(1);

	if (a->steps != b->steps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add funnel_counts of different numbers of steps"),
				 errdetail("One has %d steps, another %d.", a->steps, b->steps),
				 errhint("Add up the counts of one funnel: the same steps on every row.")));
	if (pg_add_s64_overflow(a->ignored_rows, b->ignored_rows, &a->ignored_rows))
		fc_overflow();
	for (int l = 0; l <= a->steps; l++)
		if (pg_add_s64_overflow(a->levels[l], b->levels[l], &a->levels[l]))
			fc_overflow();
	(void) fc_actors(a);
	PG_RETURN_POINTER(a);
}

/* ---- accessors --------------------------------------------------------- */

/*
 * funnel_table(counts): per step k = 1..steps, the actors at level k or
 * deeper; conversion = actors / actors of step 1; conversion_from_previous =
 * actors / actors of step k - 1 (step 1: 1.0, its own base); NULL where the
 * base has no actor; dropped = actors of step k - 1 - actors (step 1: 0).
 */
Datum
funnel_table(PG_FUNCTION_ARGS)
{
	FunnelCounts *c = PG_GETARG_FUNNEL_COUNTS(0);
	ResultSet	rs;
	int64		reached[WF_MAX_STEPS + 2];

	(void) fc_actors(c);
	result_begin(fcinfo, &rs);
	/* reached[k]: actors at level >= k (cannot overflow: at most the actors) */
	reached[c->steps + 1] = 0;
	for (int k = c->steps; k >= 0; k--)
		reached[k] = reached[k + 1] + c->levels[k];
	for (int k = 1; k <= c->steps; k++)
	{
		Datum		values[5];
		bool		nulls[5] = {0};
		int64		base = k == 1 ? reached[1] : reached[k - 1];

		values[0] = Int32GetDatum(k);
		values[1] = Int64GetDatum(reached[k]);
		values[2] = Float8GetDatum((double) reached[k] / (double) reached[1]);
		nulls[2] = reached[1] == 0;
		values[3] = Float8GetDatum((double) reached[k] / (double) base);
		nulls[3] = base == 0;
		values[4] = Int64GetDatum(base - reached[k]);
		tuplestore_putvalues(rs.store, rs.desc, values, nulls);
	}
	return (Datum) 0;
}

/* actors(counts): every actor counted, level 0 included */
Datum
funnel_counts_actors(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(fc_actors(PG_GETARG_FUNNEL_COUNTS(0)));
}

Datum
funnel_counts_ignored_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_FUNNEL_COUNTS(0)->ignored_rows);
}
