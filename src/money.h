/*
 * money.h
 *		Exact money: the one representation of amounts and sums in the
 *		extension, and the one writer of their numeric results.
 *
 * An amount with at most 8 decimals and fewer than 10^28 in magnitude (all
 * money) is an integer count of units of 10^-8.  Sums of such units are exact
 * integers; anything else (more decimals, huge values, NaN, infinities, or a
 * sum that overflows its integer) is added with numeric_add, also exact.  So a
 * sum does not depend on the plan or on the order of the rows, and its display
 * scale is the largest display scale seen, as sum() gives it.
 *
 * Two forms: MoneySum, a 128-bit sum plus a numeric for the rest (order_stats'
 * revenue, a cohort cell, an rfm sum while it is worked on), and bare int64
 * units for states that keep many small sums (a cohort node, an rfm state),
 * whose owner keeps what does not fit elsewhere.  money_numeric() writes
 * either as a numeric, built directly in numeric's storage format exactly as
 * numeric_in() would build it.
 */
#ifndef RETENTION_MONEY_H
#define RETENTION_MONEY_H

#include "retention.h"

#include "lib/stringinfo.h"

#ifndef HAVE_INT128
#error "retention needs a compiler with 128-bit integers"
#endif

#define MONEY_FRAC_DIGITS 8		/* a unit is 10^-8 */
#define MONEY_DSCALE_MAX 0x3FFF /* numeric's largest display scale */

typedef struct MoneySum
{
	int64		count;			/* non-NULL amounts added */
	int32		max_dscale;		/* largest display scale seen (0 before any) */
	uint64		fast_lo;		/* fast part: signed 128-bit, units of 10^-8 */
	int64		fast_hi;
	struct varlena *slow;		/* exact numeric sum of the rest, or NULL */
	MemoryContext cxt;			/* where slow lives */
} MoneySum;

/* an amount in units, when it fits 64 bits; its display scale either way (-1: NaN, infinity) */
extern bool money_units64(Datum amount, int64 *units, int *dscale);

/* units of 10^-8 as a numeric with dscale decimals (digits past dscale are cut off) */
extern Datum money_numeric(int128 units, int dscale);

extern void money_init(MoneySum *m, MemoryContext cxt);
extern void money_add_datum(MoneySum *m, Datum amount);
extern void money_add_units(MoneySum *m, int64 units, int64 count, int dscale);
extern void money_add_numeric(MoneySum *m, Datum value, int64 count, int dscale);
extern void money_merge(MoneySum *dst, const MoneySum *src);
extern Datum money_result(const MoneySum *m);
extern void money_split64(const MoneySum *m, int64 *units, Datum *rest);

/* the flat form (flat_io.h) */
extern Size money_flat_size(const MoneySum *m);
extern char *money_flatten(const MoneySum *m, char *p);
extern void money_read(MoneySum *m, StringInfo buf);

#endif							/* RETENTION_MONEY_H */
