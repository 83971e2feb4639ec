/*
 * agg_args.h
 *		How the order aggregates (order_stats, cohort_agg, rfm) read their
 *		arguments: one way for all of them.
 *
 * What a call of the transition function looks like (the form: orders or
 * order lines, with or without an amount; the SQL types of the keys, the time
 * and the amount) is the same on every row of a call site, so it is worked
 * out on the first row and kept in fn_extra, together with the period finder
 * (period.h) and the last period argument parsed.  The number of arguments
 * tells the forms apart; the types come from the call expression, or from the
 * ROW() that Citus wraps the arguments in.
 */
#ifndef RETENTION_AGG_ARGS_H
#define RETENTION_AGG_ARGS_H

#include "keytable.h"
#include "period.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"

/* A text period argument: which kinds it takes, and how its errors read. */
typedef struct PeriodArgSpec
{
	uint32		allowed;		/* PERIOD_SET()s */
	PeriodKind	absent;			/* the kind when the argument is left out, 0: required */
	const char *unknown;		/* 'unknown <unknown> "x"' */
	const char *plural;			/* 'Valid <plural> are ...' */
	const char *null_message;	/* the ERROR of a NULL argument */
} PeriodArgSpec;

/* Where an aggregate's arguments are (0 is the state); -1: it has none such. */
typedef struct AggArgSpec
{
	const char *agg_name;		/* in messages */
	int			customer;
	int			time;
	int			period;
	const PeriodArgSpec *period_spec;
	int			amount;			/* amount and order key: present when PG_NARGS() is larger */
	int			order;
} AggArgSpec;

typedef struct AggArgs
{
	TimeKind	time_kind;
	bool		has_amount;
	bool		lines;			/* rows are order lines (an order key is passed) */
	KeyClass	customer_class;
	KeyClass	order_class;	/* 0 when rows are orders */
	Oid			customer_type;
	Oid			order_type;
	Oid			amount_type;	/* NUMERICOID, FLOAT8OID or FLOAT4OID */
	int			period_len;		/* the period argument parsed last (-1: none), */
	char		period_text[8];
	PeriodKind	period_kind;	/* and its kind */
	PeriodFinder finder;		/* for period_kind and time_kind */
} AggArgs;

/*
 * The call's AggArgs; size >= sizeof(AggArgs) leaves room after it for what
 * an aggregate keeps per call (a struct whose first member is the AggArgs).
 * time_kind 0: found from the time argument's type.
 */
extern AggArgs *agg_args(FunctionCallInfo fcinfo, const AggArgSpec *spec, TimeKind time_kind, Size size);
extern PeriodKind agg_period_arg(FunctionCallInfo fcinfo, const AggArgSpec *spec, AggArgs *a);
extern Oid	agg_arg_type(FunctionCallInfo fcinfo, int argno, const char *agg_name);
extern Datum amount_from_float(Oid amount_type, Datum value);

/* The amount of this row (not NULL) as a numeric, converted as amount::numeric. */
static inline Datum
agg_amount(const AggArgs *a, FunctionCallInfo fcinfo, int argno)
{
	Datum		d = PG_GETARG_DATUM(argno);

	return a->amount_type == NUMERICOID ? d : amount_from_float(a->amount_type, d);
}

#endif							/* RETENTION_AGG_ARGS_H */
