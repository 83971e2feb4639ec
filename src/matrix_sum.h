/*
 * matrix_sum.h
 *		What the sums of final values over disjoint customer sets share:
 *		matrix_sum.c (cohort_matrix_sum, order_stats_sum and sum_in_place),
 *		revenue_sum.c (revenue_matrix_sum), retention_sum.c
 *		(retention_matrix_sum).
 */
#ifndef RETENTION_MATRIX_SUM_H
#define RETENTION_MATRIX_SUM_H

#include "agg_state.h"

extern ExpandedObjectHeader *sum_in_place(Datum state, const ExpandedObjectMethods *methods,
										  MemoryContext home);

#endif							/* RETENTION_MATRIX_SUM_H */
