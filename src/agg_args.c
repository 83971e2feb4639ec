/*
 * agg_args.c
 *		The arguments of the order aggregates, worked out once per call site
 *		(see agg_args.h).
 */
#include "agg_args.h"

#include "nodes/nodeFuncs.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

/*
 * The type of argument argno when the transition function is called without
 * its call expression, by an aggregate that wraps ours: Citus runs a custom
 * aggregate on its workers as worker_partial_agg('agg'::regprocedure,
 * ROW(arg1, ..., argN)) and calls our transition function itself with the
 * row's fields.  The aggregate being evaluated is then that wrapper, and the
 * types are those of the ROW's fields.  InvalidOid when it is not that shape.
 */
static Oid
wrapped_arg_type(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Node	   *last;
	List	   *fields;

	if (aggref == NULL || aggref->args == NIL || argno < 1)
		return InvalidOid;
	last = (Node *) ((TargetEntry *) llast(aggref->args))->expr;
	if (!IsA(last, RowExpr))
		return InvalidOid;
	fields = ((RowExpr *) last)->args;
	/* one field for each of our arguments (the state is argument 0) */
	if (list_length(fields) != PG_NARGS() - 1)
		return InvalidOid;
	return exprType((Node *) list_nth(fields, argno - 1));
}

Oid
agg_arg_type(FunctionCallInfo fcinfo, int argno, const char *agg_name)
{
	Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, argno);

	if (!OidIsValid(typid))
		typid = wrapped_arg_type(fcinfo, argno);
	if (!OidIsValid(typid))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("could not determine the key types of %s", agg_name),
				 errhint("Call %s as an aggregate.", agg_name)));
	return typid;
}

static TimeKind
time_kind_of_type(Oid typid, const char *agg_name)
{
	switch (typid)
	{
		case TIMESTAMPTZOID:
			return TIME_TIMESTAMPTZ;
		case TIMESTAMPOID:
			return TIME_TIMESTAMP;
		case DATEOID:
			return TIME_DATE;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("the times of %s must be timestamptz, timestamp or date, not %s",
					agg_name, format_type_be(typid)),
			 errhint("Cast them, for example ordered_at::timestamptz.")));
	return 0;					/* keep the compiler quiet */
}

static void
resolve(FunctionCallInfo fcinfo, const AggArgSpec *spec, TimeKind time_kind, AggArgs *a)
{
	a->time_kind = time_kind ? time_kind : time_kind_of_type(agg_arg_type(fcinfo, spec->time, spec->agg_name),
															spec->agg_name);
	a->has_amount = spec->amount > 0 && PG_NARGS() > spec->amount;
	a->lines = spec->order > 0 && PG_NARGS() > spec->order;
	if (spec->customer > 0)
	{
		a->customer_type = agg_arg_type(fcinfo, spec->customer, spec->agg_name);
		a->customer_class = key_class_for_type(a->customer_type, "customer");
	}
	if (a->lines)
	{
		a->order_type = agg_arg_type(fcinfo, spec->order, spec->agg_name);
		a->order_class = key_class_for_type(a->order_type, "order_key");
	}
	a->amount_type = a->has_amount ? agg_arg_type(fcinfo, spec->amount, spec->agg_name) : NUMERICOID;
}

AggArgs *
agg_args(FunctionCallInfo fcinfo, const AggArgSpec *spec, TimeKind time_kind, Size size)
{
	AggArgs    *a = (AggArgs *) fcinfo->flinfo->fn_extra;

	if (unlikely(a == NULL))
	{
		a = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, size);
		a->period_len = -1;
		resolve(fcinfo, spec, time_kind, a);
		fcinfo->flinfo->fn_extra = a;
	}
	else if (unlikely(a->finder.tz != session_timezone && a->finder.kind != 0))
		/* TimeZone changed since: periods must be found again */
		period_finder_init(&a->finder, a->finder.kind, a->time_kind);
	return a;
}

/*
 * The kind of the period argument, parsed when it is not the one parsed last
 * (a constant argument is the same pointer on every row), and the finder set
 * up for it.
 */
PeriodKind
agg_period_arg(FunctionCallInfo fcinfo, const AggArgSpec *spec, AggArgs *a)
{
	const PeriodArgSpec *ps = spec->period_spec;
	PeriodKind	kind;

	if (PG_NARGS() <= spec->period)
		kind = ps->absent;
	else
	{
		text	   *t;
		int			len;

		if (PG_ARGISNULL(spec->period))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s", ps->null_message),
					 errhint("Valid %s are %s.", ps->plural, period_kind_list(ps->allowed))));
		t = PG_GETARG_TEXT_PP(spec->period);
		len = VARSIZE_ANY_EXHDR(t);
		if (len == a->period_len && memcmp(VARDATA_ANY(t), a->period_text, len) == 0)
			return a->period_kind;
		kind = period_kind_parse(VARDATA_ANY(t), len, ps->allowed, ps->unknown, ps->plural);
		if (len <= (int) sizeof(a->period_text))
		{
			memcpy(a->period_text, VARDATA_ANY(t), len);
			a->period_len = len;
		}
	}
	a->period_kind = kind;
	if (a->finder.kind != kind)
		period_finder_init(&a->finder, kind, a->time_kind);
	return kind;
}

/* A float8 or float4 amount as a numeric, exactly as amount::numeric. */
Datum
amount_from_float(Oid amount_type, Datum value)
{
	if (amount_type == FLOAT8OID)
		return DirectFunctionCall1(float8_numeric, value);
	if (amount_type == FLOAT4OID)
		return DirectFunctionCall1(float4_numeric, value);
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("amount of type %s is not supported", format_type_be(amount_type)),
			 errhint("Use numeric, for example amount::numeric.")));
	return (Datum) 0;			/* keep the compiler quiet */
}
