/*
 * revenue_matrix.h
 *		The summary type revenue_matrix returned by revenue_agg: revenue
 *		retention (MRR movements, net and gross revenue retention, revenue
 *		cohorts).  Definitions in doc/revenue_retention.md.
 *
 * R(c, p) is customer c's net revenue in period p (the sum of the amounts of
 * their rows), counted as 0 when it is not positive.  A customer "has
 * revenue" in p when R(c, p) > 0; the cohort is the first such period.  The
 * matrix keeps only sums over customers, so its size grows with the number of
 * periods, not with the customers:
 *
 *   per period p, first to last (gaps included): customers with revenue and
 *     their revenue (the end of p), and the count and revenue of each movement
 *     from p - 1 to p: new, reactivation, expansion, contraction, churn;
 *   per (cohort, offset) with revenue: the cohort's customers with revenue in
 *     period cohort + offset, and that revenue;
 *   per (period p, lag 1..REVENUE_MAX_LAG) where some customer had revenue in
 *     both p and p + lag: those customers, the sum of their R(c, p + lag)
 *     (retained) and of min(R(c, p), R(c, p + lag)) (kept): the numerators of
 *     trailing net and gross revenue retention.
 *
 * Stored as its flat form (flat_io.h, little-endian, a version first); every
 * read checks it (revenue_matrix_read), so damaged or forged values are an
 * ERROR, never a wrong report.
 */
#ifndef RETENTION_REVENUE_MATRIX_H
#define RETENTION_REVENUE_MATRIX_H

#include "cohort_state.h"
#include "money.h"

#include "fmgr.h"

#define REVENUE_MATRIX_VERSION 1
#define REVENUE_MAX_LAG 60		/* trailing retention up to 5 years of months */

#define REVENUE_HAS_ROWS 0x01	/* latest_at is set */

/* the movements, in the order of mrr_movements' columns; 0 is the period's own */
typedef enum RevenueMove
{
	MOVE_END = 0,				/* customers with revenue in p, their revenue */
	MOVE_NEW,
	MOVE_REACTIVATION,
	MOVE_EXPANSION,
	MOVE_CONTRACTION,
	MOVE_CHURN,
	MOVE_COUNT
} RevenueMove;

typedef struct RevenuePeriod
{
	int64		customers[MOVE_COUNT];
	Datum		revenue[MOVE_COUNT];	/* numerics, >= 0 */
} RevenuePeriod;

typedef struct RevenueCohortCell
{
	int32		cohort;			/* period number (period.h) */
	int32		offset;
	int64		customers;
	Datum		revenue;
} RevenueCohortCell;

typedef struct RevenueLagCell
{
	int32		from;			/* period p */
	int32		lag;			/* compared with p + lag */
	int64		customers;		/* with revenue in both */
	Datum		retained;		/* sum of R(c, p + lag) */
	Datum		kept;			/* sum of min(R(c, p), R(c, p + lag)) */
} RevenueLagCell;

/* A matrix read into memory (or being built). */
typedef struct RevenueMatrix
{
	uint8		period_kind;	/* PeriodKind, 0 for no rows at all and no constant period */
	uint8		time_kind;		/* TimeKind, 0 likewise */
	uint8		flags;
	int32		dscale;			/* display scale of every revenue, as sum() gives it */
	int64		latest_at;		/* latest row's time (see TimeKind), when REVENUE_HAS_ROWS */
	int64		ignored_rows;
	int32		max_lag;		/* lag cells kept: 1 .. max_lag (REVENUE_MAX_LAG) */
	int32		first_period;
	uint32		nperiods;
	RevenuePeriod *periods;
	uint32		ncohort;
	RevenueCohortCell *cohort;	/* sorted by (cohort, offset) */
	uint32		nlag;
	RevenueLagCell *lag;		/* sorted by (from, lag) */
} RevenueMatrix;

/*
 * A cohort cell (a = cohort, b = offset) or a lag cell (a = from, b = lag)
 * being counted: from a state (revenue_matrix.c) or from matrices added up
 * (revenue_sum.c).
 */
typedef struct RevenueCell
{
	int32		a;
	int32		b;
	int64		customers;
	MoneySum	m1;				/* cohort: revenue; lag: retained */
	MoneySum	m2;				/* lag: kept */
} RevenueCell;

extern int	revenue_cell_cmp(const void *x, const void *y);

extern RevenueMatrix *revenue_matrix_from_state(CohortState *s);
extern struct varlena *revenue_matrix_flatten(const RevenueMatrix *m);
extern RevenueMatrix *revenue_matrix_read(const char *data, Size len);

/* the matrix of argument n */
extern RevenueMatrix *revenue_matrix_arg(FunctionCallInfo fcinfo, int n);

#endif							/* RETENTION_REVENUE_MATRIX_H */
