/*
 * cohort_matrix.h
 *		The summary type cohort_matrix returned by cohort_agg.
 *
 * Per cohort (the period of a customer's first order) and period offset k,
 * the cells that have any activity, sorted by (cohort, offset):
 *   active       customers of the cohort with an order in period cohort + k
 *   active_prev  of those, customers also active in period cohort + k - 1
 *   last         customers whose last active period is cohort + k
 *   orders       orders (distinct order keys for order lines)
 *   revenue      exact sum of the amounts (when the aggregate had amounts)
 * Everything the accessors report derives from these: the cohort's size is
 * active at k = 0, "active on or after k" is the sum of last over offsets
 * from k on.  A format version leads, so stored values stay readable.
 *
 * In memory (and on disk) the cells are a fixed-size array followed by the
 * revenue numerics, each cell pointing at its own.
 */
#ifndef RETENTION_COHORT_MATRIX_H
#define RETENTION_COHORT_MATRIX_H

#include "cohort_state.h"

#include "fmgr.h"
#include "utils/numeric.h"

#define COHORT_MATRIX_VERSION 1
#define MATRIX_HAS_REVENUE 0x01
#define MATRIX_HAS_ROWS 0x02	/* latest_at is set */

typedef struct CohortCell
{
	int32		cohort;			/* period number (period.h) */
	int32		offset;
	int64		active;
	int64		active_prev;
	int64		last;
	int64		orders;
	uint32		revenue_at;		/* byte offset of the revenue numeric, 0 if none */
	uint32		reserved;
} CohortCell;

typedef struct CohortMatrix
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		period_kind;	/* PeriodKind, 0 for a matrix of no rows at all */
	uint8		time_kind;		/* TimeKind, 0 likewise */
	uint8		flags;
	int32		revenue_dscale;
	uint32		ncells;
	int64		latest_at;		/* latest order time (see TimeKind) */
	int64		ignored_rows;
	CohortCell	cells[FLEXIBLE_ARRAY_MEMBER];
} CohortMatrix;

static inline Numeric
cell_revenue(const CohortMatrix *m, const CohortCell *c)
{
	return c->revenue_at ? (Numeric) ((char *) m + c->revenue_at) : NULL;
}

#define PG_GETARG_COHORT_MATRIX(n) ((CohortMatrix *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

extern CohortMatrix *cohort_matrix_empty(PeriodKind period_kind, TimeKind time_kind, bool has_revenue);
extern CohortMatrix *cohort_matrix_from_state(CohortState *s);
extern CohortMatrix *cohort_matrix_from_runs(CohortState *s);	/* cohort_runs.c */

/*
 * Counting cells into a matrix: a state's nodes (cohort_matrix.c), or the
 * cells of matrices of disjoint customers added up (cohort_matrix_sum.c).
 */
typedef struct MatrixHeader
{
	uint8		period_kind;
	uint8		time_kind;
	uint8		flags;
	int32		revenue_dscale;
	int64		latest_at;
	int64		ignored_rows;
} MatrixHeader;

typedef struct BuildCell
{
	CohortCell	cell;			/* revenue_at unused */
	MoneySum	money;
} BuildCell;

typedef struct CellTable
{
	MemBudget	budget;			/* cxt: where the cells live */
	KeyTable	index;			/* (cohort, offset) -> position in cells */
	BuildCell  *cells;			/* in the order they were added */
	uint32		n;
	uint32		size;
} CellTable;

/*
 * Whether counting nodes through a dense (cohort, period) -> cell array of
 * span x span entries pays: the span is small, and the array is not much
 * larger than the nodes (a small group of customers over many days would
 * otherwise zero megabytes for a few cells).
 */
#define DENSE_SPAN_MAX 1024

static inline bool
dense_cells_pay(int64 span, uint64 nodes)
{
	return span > 0 && span <= DENSE_SPAN_MAX && (uint64) (span * span) <= 64 * nodes + 4096;
}

extern void cell_table_init(CellTable *t, MemoryContext cxt);
extern BuildCell *cell_at(CellTable *t, int32 cohort, int32 offset, bool create);
extern CohortMatrix *matrix_from_cells(const MatrixHeader *h, const CellTable *t);

#endif							/* RETENTION_COHORT_MATRIX_H */
