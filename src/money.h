/*
 * money_sum.h
 *		Exact sum of numeric amounts, equal to PostgreSQL's sum(numeric).
 *
 * Amounts with at most 8 decimals and fewer than 10^28 in magnitude (all
 * money) are added as scaled 128-bit integers; anything else (more decimals,
 * huge values, NaN, infinities, or an overflow of the fast sum) is added with
 * numeric_add.  Both parts are exact, so the result does not depend on the
 * plan or on the order of the rows.  The result's display scale is the
 * largest display scale seen, as sum() does.
 */
#ifndef RETENTION_MONEY_SUM_H
#define RETENTION_MONEY_SUM_H

#include "retention.h"

#include "lib/stringinfo.h"

typedef struct MoneySum
{
	int64		count;			/* non-NULL amounts added */
	int32		max_dscale;		/* largest display scale seen (0 before any) */
	uint64		fast_lo;		/* fast part: signed 128-bit, units of 10^-8 */
	int64		fast_hi;
	struct varlena *slow;		/* exact numeric sum of the rest, or NULL */
	MemoryContext cxt;			/* where slow lives */
} MoneySum;

extern void money_init(MoneySum *m, MemoryContext cxt);
extern void money_add_datum(MoneySum *m, Datum amount);
extern bool money_units64(Datum amount, int64 *units, int *dscale);
extern void money_add_units(MoneySum *m, int64 units, int64 count, int dscale);
extern Datum money_units_numeric(int64 units, int dscale);
extern void money_merge(MoneySum *dst, const MoneySum *src);
extern Datum money_result(const MoneySum *m);	/* numeric; call only if count > 0 */
extern Size money_flat_size(const MoneySum *m);
extern char *money_flatten(const MoneySum *m, char *p);
extern void money_read(MoneySum *m, StringInfo buf);

#endif							/* RETENTION_MONEY_SUM_H */
