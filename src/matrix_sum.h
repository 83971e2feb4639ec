/*
 * matrix_sum.h
 *		What the sums of final values over disjoint customer sets share:
 *		matrix_sum.c (cohort_matrix_sum, order_stats_sum and these helpers),
 *		revenue_sum.c (revenue_matrix_sum), retention_sum.c
 *		(retention_matrix_sum).
 */
#ifndef RETENTION_MATRIX_SUM_H
#define RETENTION_MATRIX_SUM_H

#include "agg_state.h"
#include "keytable.h"
#include "money.h"

extern ExpandedObjectHeader *sum_in_place(Datum state, const ExpandedObjectMethods *methods,
										  MemoryContext home);

/* records by an int64 key, in insertion order */
typedef struct Keyed
{
	KeyTable	index;
	char	   *recs;
	Size		rec_size;
	uint32		n;
	uint32		size;
} Keyed;

extern void keyed_init(Keyed *k, MemBudget *budget, Size rec_size);
extern void *keyed_get(MemBudget *budget, Keyed *k, int64 key, bool *added);

static inline int64
pair_key(int32 a, int32 b)
{
	return (int64) (((uint64) (uint32) a << 32) | (uint32) b);
}

/* a sum as a numeric of the given scale, the accumulator left as it is */
extern Datum sum_money(const MoneySum *m, int dscale);

#endif							/* RETENTION_MATRIX_SUM_H */
