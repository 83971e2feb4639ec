/*
 * clv_fit.c
 *		The fit aggregates: bgnbd_fit, mbgnbd_fit, pareto_nbd_fit (over
 *		frequency, recency, t) and gamma_gamma_fit (over frequency,
 *		monetary_value), and their transition state type clv_fit_state.
 *
 * Stratum: SQL glue.  The fit itself is the mathematics' clv_fit()
 * (clv_estimate.c, doc/clv_math.md#fitting); argument checks and the result
 * composite come from clv_sql.c; nothing here calls the predictions.
 *
 * Many customers share one (x, tx, T) pattern (CDNOW: 2,357 customers, 1,016
 * patterns), so the state is a hash table of distinct patterns with their
 * customer counts.  It is an expanded object, a varlena type rather than
 * internal so that Citus can push the fits down (agg_state.h), and it counts
 * against retention.max_state_memory.  The final function sorts the patterns,
 * so the fit sees them in one order however the rows arrived (serial,
 * parallel, Citus): the same input gives the same bits.
 *
 * Flat form (little-endian): version u8, kind u8, skipped u64, n u32, then n
 * patterns of x, tx, T as IEEE doubles and their count u64.
 */
#include "agg_state.h"
#include "clv_models.h"
#include "clv_sql.h"
#include "flat_io.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "common/int.h"
#include "miscadmin.h"
#include "storage/shmem.h"		/* add_size, mul_size */
#include "utils/memutils.h"

#include <math.h>

PG_FUNCTION_INFO_V1(clv_fit_trans);
PG_FUNCTION_INFO_V1(clv_spend_fit_trans);
PG_FUNCTION_INFO_V1(clv_fit_combine);
PG_FUNCTION_INFO_V1(sbg_fit_trans);
PG_FUNCTION_INFO_V1(bgbb_fit_trans);

#define FIT_STATE_VERSION 1
#define FIT_HEADER_SIZE (1 + 1 + 8 + 4)
#define FIT_PATTERN_SIZE (4 * 8)

/* what the patterns are: set by the first row, so states of two kinds never mix */
typedef enum FitKind
{
	FIT_EMPTY = 0,
	FIT_PURCHASES = 1,			/* (x, tx, T) */
	FIT_SPEND = 2,				/* (x, m, 0) */
	FIT_SURVIVAL = 3,			/* sBG: (period, 0, 0) count alive; (period, 1, 0) count 1 marks a
								 * period whose rows had no one alive */
	FIT_OPPORTUNITIES = 4		/* BG/BB: (x, tx, n) */
} FitKind;

#define FIT_KIND_MAX FIT_OPPORTUNITIES

typedef struct FitPattern
{
	double		x;
	double		tx;
	double		T;
	int64		count;			/* 0: empty slot */
} FitPattern;

typedef struct FitState
{
	ExpandedObjectHeader hdr;
	FitKind		kind;
	int64		skipped;		/* spend rows left out: x = 0 or m <= 0 */
	uint32		n;				/* patterns */
	uint32		mask;			/* slots - 1; slots a power of 2, at most half full */
	FitPattern *slots;
	MemBudget	budget;
} FitState;

/* ---- the pattern table ------------------------------------------------- */

static Size fit_get_flat_size(ExpandedObjectHeader *eohptr);
static void fit_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods fit_methods = {
	fit_get_flat_size,
	fit_flatten_into
};

static FitState *
fit_create(MemoryContext parent, FitKind kind, uint32 slots)
{
	MemoryContext cxt = state_memory_context(parent, "clv fit state");
	FitState   *s = MemoryContextAllocZero(cxt, sizeof(FitState));

	EOH_init_header(&s->hdr, &fit_methods, cxt);
	s->budget.cxt = cxt;
	s->budget.used = sizeof(FitState);
	s->kind = kind;
	s->mask = slots - 1;
	s->slots = budget_alloc(&s->budget, sizeof(FitPattern) * slots);
	memset(s->slots, 0, sizeof(FitPattern) * slots);
	return s;
}

static inline uint64
double_bits(double v)
{
	uint64		u;

	memcpy(&u, &v, sizeof(u));
	return u;
}

static inline uint32
pattern_hash(double x, double tx, double T)
{
	uint64		h = double_bits(x) * UINT64CONST(0x9E3779B97F4A7C15);

	h ^= double_bits(tx) * UINT64CONST(0xC2B2AE3D27D4EB4F);
	h ^= double_bits(T) * UINT64CONST(0x165667B19E3779F9);
	h ^= h >> 29;
	h *= UINT64CONST(0xBF58476D1CE4E5B9);
	h ^= h >> 32;
	return (uint32) h;
}

static void fit_add(FitState *s, double x, double tx, double T, int64 count);

static void
fit_grow(FitState *s)
{
	FitPattern *old = s->slots;
	uint32		old_slots = s->mask + 1;
	uint32		i;

	if (old_slots >= (uint32) 1 << 30)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct customer patterns for one fit")));
	s->slots = budget_alloc(&s->budget, sizeof(FitPattern) * old_slots * 2);
	memset(s->slots, 0, sizeof(FitPattern) * old_slots * 2);
	s->mask = old_slots * 2 - 1;
	s->n = 0;
	for (i = 0; i < old_slots; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (old[i].count > 0)
			fit_add(s, old[i].x, old[i].tx, old[i].T, old[i].count);
	}
	budget_free(&s->budget, old, sizeof(FitPattern) * old_slots);
}

static void
fit_add(FitState *s, double x, double tx, double T, int64 count)
{
	uint32		i = pattern_hash(x, tx, T) & s->mask;

	for (;;)
	{
		FitPattern *p = &s->slots[i];

		if (p->count == 0)
		{
			p->x = x;
			p->tx = tx;
			p->T = T;
			p->count = count;
			if (++s->n > (s->mask + 1) / 2)
				fit_grow(s);
			return;
		}
		if (p->x == x && p->tx == tx && p->T == T)
		{
			if (pg_add_s64_overflow(p->count, count, &p->count))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("customer count out of range")));
			return;
		}
		i = (i + 1) & s->mask;
	}
}

/* ---- rows ------------------------------------------------------------- */

static FitState *
state_for_row(FunctionCallInfo fcinfo, FitKind kind);

/*
 * The customers a row stands for: 1, or its last argument in the weighted
 * forms (a summary already grouped by pattern).  NULL skips the row, as a
 * NULL in any other argument does; 0 adds nothing.
 */
static bool
row_weight(FunctionCallInfo fcinfo, int weight_arg, int64 *count)
{
	*count = 1;
	if (PG_NARGS() <= weight_arg)
		return true;
	if (PG_ARGISNULL(weight_arg))
		return false;
	*count = PG_GETARG_INT64(weight_arg);
	if (*count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customers must be >= 0, not " INT64_FORMAT, *count),
				 errhint("The last argument is the number of customers the row stands for.")));
	return *count > 0;
}

Datum
clv_fit_trans(PG_FUNCTION_ARGS)
{
	FitState   *s;
	double		x,
				tx,
				T;
	int64		count;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || !row_weight(fcinfo, 4, &count))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_FLOAT8(1);
	tx = PG_GETARG_FLOAT8(2);
	T = PG_GETARG_FLOAT8(3);
	clv_check_customer(x, tx, T);
	s = state_for_row(fcinfo, FIT_PURCHASES);
	/* +0.0: -0.0 and 0.0 are one pattern */
	fit_add(s, x + 0.0, tx + 0.0, T + 0.0, count);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

Datum
clv_spend_fit_trans(PG_FUNCTION_ARGS)
{
	FitState   *s;
	double		x,
				m;
	int64		count;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || !row_weight(fcinfo, 3, &count))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_FLOAT8(1);
	m = PG_GETARG_FLOAT8(2);
	clv_check_frequency(x);
	clv_check_finite(m, "monetary_value");
	s = state_for_row(fcinfo, FIT_SPEND);
	/* the model is about repeat purchases of positive value (see the README) */
	if (x == 0 || m <= 0)
	{
		if (pg_add_s64_overflow(s->skipped, count, &s->skipped))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("customer count out of range")));
	}
	else
		fit_add(s, x + 0.0, m, 0.0, count);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

/*
 * sbg_fit(period, alive): one row of a survival table.  Rows of one period add
 * up, so a table of several cohorts observed for the same periods is their
 * pooled table.  The count of a pattern must be positive, so a period with no
 * one alive is kept as its own marker pattern.
 */
Datum
sbg_fit_trans(PG_FUNCTION_ARGS)
{
	FitState   *s;
	int32		period;
	int64		alive;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	period = PG_GETARG_INT32(1);
	alive = PG_GETARG_INT64(2);
	if (period < 0 || alive < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs period >= 0 and alive >= 0, not period %d, alive " INT64_FORMAT,
						period, alive),
				 errhint("The rows are a survival table: period 0 holds the cohort's size, each later "
						 "period the customers still subscribed in it.")));
	s = state_for_row(fcinfo, FIT_SURVIVAL);
	if (alive > 0)
		fit_add(s, (double) period, 0.0, 0.0, alive);
	else
		fit_add(s, (double) period, 1.0, 0.0, 1);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

/* bgbb_fit(frequency, recency, n_periods [, customers]) */
Datum
bgbb_fit_trans(PG_FUNCTION_ARGS)
{
	FitState   *s;
	int32		x,
				tx,
				n;
	int64		count;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || !row_weight(fcinfo, 4, &count))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_INT32(1);
	tx = PG_GETARG_INT32(2);
	n = PG_GETARG_INT32(3);
	clv_check_opportunities(x, tx, n);
	s = state_for_row(fcinfo, FIT_OPPORTUNITIES);
	fit_add(s, (double) x, (double) tx, (double) n, count);
	PG_RETURN_DATUM(EOHPGetRWDatum(&s->hdr));
}

/* ---- the state type and combine --------------------------------------- */

static void
fit_check_kind(FitState *s, FitKind kind)
{
	if (s->kind == FIT_EMPTY)
		s->kind = kind;
	else if (kind != FIT_EMPTY && s->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("clv_fit_state of one model's data mixed with another's"),
				 errhint("The purchase model fits, gamma_gamma_fit, sbg_fit and bgbb_fit have states of different kinds.")));
}

static ExpandedObjectHeader *
fit_copy(ExpandedObjectHeader *src_hdr, MemoryContext parent)
{
	FitState   *src = (FitState *) src_hdr;
	FitState   *s = fit_create(parent, src->kind, src->mask + 1);

	memcpy(s->slots, src->slots, sizeof(FitPattern) * (src->mask + 1));
	s->n = src->n;
	s->skipped = src->skipped;
	return &s->hdr;
}

/* the customers left out of a spend fit, of two states together */
static void
fit_add_skipped(FitState *dst, int64 skipped)
{
	if (pg_add_s64_overflow(dst->skipped, skipped, &dst->skipped))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer count out of range"),
				 errhint("The customers left out of the states combined are more than 9223372036854775807.")));
}

static void
fit_merge(ExpandedObjectHeader *dst_hdr, ExpandedObjectHeader *src_hdr)
{
	FitState   *dst = (FitState *) dst_hdr;
	FitState   *src = (FitState *) src_hdr;
	uint32		i;

	fit_check_kind(dst, src->kind);
	fit_add_skipped(dst, src->skipped);
	for (i = 0; i <= src->mask; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (src->slots[i].count > 0)
			fit_add(dst, src->slots[i].x, src->slots[i].tx, src->slots[i].T, src->slots[i].count);
	}
}

/* what a row of the kind could have added (x is a whole number >= 0, all finite) */
static bool
pattern_valid(FitKind kind, double x, double tx, double T, int64 count)
{
	switch (kind)
	{
		case FIT_PURCHASES:
			return tx >= 0 && tx <= T && !(x == 0 && tx != 0);
		case FIT_SPEND:
			return x > 0 && tx > 0 && T == 0;
		case FIT_SURVIVAL:
			return x <= PG_INT32_MAX && T == 0 && (tx == 0 || tx == 1);
		case FIT_OPPORTUNITIES:
			return T <= PG_INT32_MAX && tx == floor(tx) && T == floor(T) &&
				x <= tx && tx <= T && !(x == 0 && tx != 0) && !(x > 0 && tx < 1);
		default:
			return false;
	}
}

/*
 * Reads flat patterns into dst, checking every invariant a row would have
 * been checked against: a damaged value is an ERROR, never a wrong fit.
 */
static void
fit_merge_flat(ExpandedObjectHeader *dst_hdr, StringInfo buf, bool strict)
{
	FitState   *dst = (FitState *) dst_hdr;
	uint8		version = get_u8(buf);
	uint8		kind = get_u8(buf);
	int64		skipped = (int64) get_u64(buf);
	uint32		n = get_u32(buf);
	uint32		i;

	if (version != FIT_STATE_VERSION)
		flat_corrupt("unknown version");
	if (kind > FIT_KIND_MAX || skipped < 0 || (kind != FIT_SPEND && skipped != 0))
		flat_corrupt("bad header");
	if ((Size) (buf->len - buf->cursor) != (Size) n * FIT_PATTERN_SIZE)
		flat_corrupt("length does not match the pattern count");
	if (kind == FIT_EMPTY && n != 0)
		flat_corrupt("patterns in an empty state");
	fit_check_kind(dst, (FitKind) kind);
	fit_add_skipped(dst, skipped);
	for (i = 0; i < n; i++)
	{
		double		x,
					tx,
					T;
		uint64		u;
		int64		count;

		u = get_u64(buf);
		memcpy(&x, &u, 8);
		u = get_u64(buf);
		memcpy(&tx, &u, 8);
		u = get_u64(buf);
		memcpy(&T, &u, 8);
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		count = (int64) get_u64(buf);
		if (count <= 0)
			flat_corrupt("bad customer count");
		if (!(isfinite(x) && isfinite(tx) && isfinite(T)) || x < 0 || x != floor(x))
			flat_corrupt("bad pattern");
		if (!pattern_valid((FitKind) kind, x, tx, T, count))
			flat_corrupt("bad pattern");
		fit_add(dst, x + 0.0, tx + 0.0, T + 0.0, count);
	}
}

static ExpandedObjectHeader *
fit_from_flat(const char *data, Size len, MemoryContext parent)
{
	FitState   *s = fit_create(parent, FIT_EMPTY, 4);
	StringInfoData buf;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	fit_merge_flat(&s->hdr, &buf, true);
	return &s->hdr;
}

static const StateKind fit_kind = {
	"clv_fit_state",
	&fit_methods,
	fit_copy,
	fit_from_flat,
	fit_merge,
	fit_merge_flat
};

static FitState *
state_for_row(FunctionCallInfo fcinfo, FitKind kind)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	FitState   *s;

	if (PG_ARGISNULL(0))
		s = fit_create(aggcxt, kind, 64);
	else
		s = (FitState *) state_get_rw(&fit_kind, PG_GETARG_DATUM(0), aggcxt);
	fit_check_kind(s, kind);
	return s;
}

static Size
fit_get_flat_size(ExpandedObjectHeader *eohptr)
{
	FitState   *s = (FitState *) eohptr;
	Size		size = add_size(VARHDRSZ + FIT_HEADER_SIZE, mul_size(s->n, FIT_PATTERN_SIZE));

	budget_check_flat_size(size);
	return size;
}

static int
pattern_cmp(const void *a, const void *b)
{
	const FitPattern *p = (const FitPattern *) a;
	const FitPattern *q = (const FitPattern *) b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->tx != q->tx)
		return p->tx < q->tx ? -1 : 1;
	if (p->T != q->T)
		return p->T < q->T ? -1 : 1;
	return 0;
}

/* the patterns in (x, tx, T) order, in the current memory context */
static FitPattern *
fit_sorted(FitState *s)
{
	FitPattern *out = palloc_extended(sizeof(FitPattern) * Max(s->n, 1), MCXT_ALLOC_HUGE);
	uint32		i,
				k = 0;

	for (i = 0; i <= s->mask; i++)
		if (s->slots[i].count > 0)
			out[k++] = s->slots[i];
	qsort(out, k, sizeof(FitPattern), pattern_cmp);
	return out;
}

/* sorted, so the flat form does not depend on the hash table's layout */
static void
fit_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FitState   *s = (FitState *) eohptr;
	MemoryContext old = state_scratch_begin(eohptr);
	FitPattern *sorted = fit_sorted(s);
	char	   *start = (char *) result;
	char	   *p = start + VARHDRSZ;
	uint32		i;

	p = put_u8(p, FIT_STATE_VERSION);
	p = put_u8(p, s->kind);
	p = put_u64(p, (uint64) s->skipped);
	p = put_u32(p, s->n);
	for (i = 0; i < s->n; i++)
	{
		p = put_u64(p, double_bits(sorted[i].x));
		p = put_u64(p, double_bits(sorted[i].tx));
		p = put_u64(p, double_bits(sorted[i].T));
		p = put_u64(p, (uint64) sorted[i].count);
	}
	pfree(sorted);
	state_scratch_end(old);
	if ((Size) (p - start) != allocated_size)
		elog(ERROR, "clv_fit_state flattened to %zu bytes, expected %zu",
			 (Size) (p - start), allocated_size);
	SET_VARSIZE(start, allocated_size);
}

Datum
clv_fit_combine(PG_FUNCTION_ARGS)
{
	return state_combine(&fit_kind, fcinfo);
}

STATE_TYPE_IO_FUNCTIONS(clv_fit_state, fit_kind)

/* ---- the fits --------------------------------------------------------- */

static const char *const model_names[] = {
	[CLV_BGNBD] = "bgnbd_fit",
	[CLV_MBGNBD] = "mbgnbd_fit",
	[CLV_PARETO_NBD] = "pareto_nbd_fit",
	[CLV_GAMMA_GAMMA] = "gamma_gamma_fit",
	[CLV_SBG] = "sbg_fit",
	[CLV_BGBB] = "bgbb_fit"
};

static FitKind
model_kind(ClvModel model)
{
	switch (model)
	{
		case CLV_GAMMA_GAMMA:
			return FIT_SPEND;
		case CLV_SBG:
			return FIT_SURVIVAL;
		case CLV_BGBB:
			return FIT_OPPORTUNITIES;
		default:
			return FIT_PURCHASES;
	}
}

/* columns x, tx, T, w of the model's patterns, and the fit's scratch after them */
typedef struct FitData
{
	ClvPatterns d;
	double	   *cols;
	int64		customers;
	int64		patterns;		/* sbg_model: periods, the last period of the table */
	const char *unidentified;	/* sBG: fewer than two periods after period 0 */
} FitData;

static double *
alloc_columns(uint32 n)
{
	return palloc_extended(sizeof(double) * (4 * (Size) Max(n, 1) + CLV_FIT_SCRATCH(Max(n, 1))),
						   MCXT_ALLOC_HUGE);
}

static void
set_columns(FitData *fd, uint32 n)
{
	fd->d.n = n;
	fd->d.x = fd->cols;
	fd->d.tx = fd->cols + n;
	fd->d.T = fd->cols + 2 * (Size) n;
	fd->d.w = fd->cols + 3 * (Size) n;
}

static void
add_customers(int64 *total, int64 count)
{
	if (pg_add_s64_overflow(*total, count, total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customer count out of range"),
				 errhint("The customers of all rows together must be at most 9223372036854775807.")));
}

/* the patterns as they are: one per distinct (x, tx, T) */
static void
patterns_as_rows(FitData *fd, const FitPattern *sorted, uint32 n)
{
	uint32		i;

	fd->cols = alloc_columns(n);
	set_columns(fd, n);
	for (i = 0; i < n; i++)
	{
		fd->cols[i] = sorted[i].x;
		fd->cols[n + i] = sorted[i].tx;
		fd->cols[2 * n + i] = sorted[i].T;
		fd->cols[3 * n + i] = (double) sorted[i].count;
		add_customers(&fd->customers, sorted[i].count);
	}
	fd->patterns = n;
	fd->d.total_weight = (double) fd->customers;
}

/*
 * sBG: the survival table n(p0 = 0) >= n(p1) >= ... >= n(pk), rows of one
 * period added up, becomes the likelihood's patterns (clv_sbg.c): those who
 * churned between consecutive observed periods, and those still there at pk.
 */
static void
survival_as_patterns(FitData *fd, const FitPattern *sorted, uint32 n)
{
	int64	   *alive = palloc(sizeof(int64) * Max(n, 1));
	int32	   *period = palloc(sizeof(int32) * Max(n, 1));
	uint32		k = 0,
				i,
				m = 0;

	/* sorted by (period, marker): one entry per period */
	for (i = 0; i < n; i++)
	{
		int32		p = (int32) sorted[i].x;

		if (k == 0 || period[k - 1] != p)
		{
			period[k] = p;
			alive[k] = 0;
			k++;
		}
		if (sorted[i].tx == 0)
			alive[k - 1] = sorted[i].count;
	}
	if (period[0] != 0 || alive[0] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit needs period 0 with the cohort's size > 0"),
				 errhint("The rows are a survival table: period 0 holds the cohort's size, each later "
						 "period the customers still subscribed in it.")));
	for (i = 1; i < k; i++)
		if (alive[i] > alive[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sbg_fit needs alive not to increase: period %d has " INT64_FORMAT ", period %d has " INT64_FORMAT,
							period[i - 1], alive[i - 1], period[i], alive[i]),
					 errhint("alive counts the customers still subscribed, so it never grows. Rows of one "
							 "period add up: pool only cohorts observed for the same periods.")));
	fd->cols = alloc_columns(k);
	set_columns(fd, k);
	for (i = 1; i < k; i++)
	{
		if (alive[i] == alive[i - 1])
			continue;
		fd->cols[m] = period[i];
		fd->cols[k + m] = period[i - 1];
		fd->cols[2 * k + m] = 0;
		fd->cols[3 * k + m] = (double) (alive[i - 1] - alive[i]);
		m++;
	}
	if (alive[k - 1] > 0)
	{
		fd->cols[m] = period[k - 1];
		fd->cols[k + m] = period[k - 1];
		fd->cols[2 * k + m] = 1;
		fd->cols[3 * k + m] = (double) alive[k - 1];
		m++;
	}
	/* the columns were laid out for k patterns: close the gaps */
	memmove(fd->cols + m, fd->cols + k, sizeof(double) * m);
	memmove(fd->cols + 2 * m, fd->cols + 2 * k, sizeof(double) * m);
	memmove(fd->cols + 3 * m, fd->cols + 3 * k, sizeof(double) * m);
	set_columns(fd, m);
	fd->customers = alive[0];
	fd->patterns = period[k - 1];
	fd->d.total_weight = (double) alive[0];
	if (k < 3)
		fd->unidentified = "fewer than two periods after period 0: the two parameters need two retention rates";
	pfree(alive);
	pfree(period);
}

static Datum
fit_final(FunctionCallInfo fcinfo, ClvModel model)
{
	FitState   *s;
	FitPattern *sorted;
	FitData		fd;
	ClvFit		fit;
	double		se[CLV_MAX_PARAMS];
	bool		have_se = false;
	const char *unidentified;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (FitState *) state_view(&fit_kind, PG_GETARG_DATUM(0));
	fit_check_kind(s, model_kind(model));
	if (s->n == 0)
	{
		if (s->skipped > 0)
			ereport(NOTICE,
					(errmsg("%s: no customer with frequency > 0 and monetary_value > 0 (" INT64_FORMAT " left out)",
							model_names[model], s->skipped)));
		PG_RETURN_NULL();
	}

	memset(&fd, 0, sizeof(fd));
	sorted = fit_sorted(s);
	if (model == CLV_SBG)
		survival_as_patterns(&fd, sorted, s->n);
	else
		patterns_as_rows(&fd, sorted, s->n);
	pfree(sorted);

	/*
	 * Data that cannot identify the model give no parameters rather than
	 * wherever the search stopped; clv_unidentified says why.
	 */
	if (fd.unidentified)
	{
		memset(&fit, 0, sizeof(fit));
		fit.failed = true;
		unidentified = fd.unidentified;
	}
	else
	{
		fit = clv_fit(model, &fd.d, fd.cols + 4 * (Size) fd.d.n);
		unidentified = fit.failed ? clv_unidentified(model, &fd.d) : NULL;
		/*
		 * A fit that ran off to the edge of the search box has no interior
		 * maximum, and the curvature there says nothing about uncertainty:
		 * no standard errors then.
		 */
		if (!fit.failed && !fit.at_bound)
			have_se = clv_standard_errors(model, &fd.d, fit.par, se);
	}
	pfree(fd.cols);

	if (fit.failed)
		ereport(WARNING,
				(errmsg("%s: the data cannot identify the model", model_names[model]),
				 errdetail("%s", unidentified ? unidentified : "The log-likelihood is not finite at any starting point."),
				 errhint("The result has no parameters and converged = false.")));
	else if (!fit.converged)
		ereport(WARNING,
				(errmsg("%s did not converge%s", model_names[model],
						fit.at_bound ? ": a parameter ran off towards 0 or infinity" : ""),
				 errdetail("Largest gradient component %.3g after %d iterations.",
						   fit.grad_norm, fit.iterations),
				 errhint("The data may not identify the model; the result has converged = false.")));

	return clv_model_datum(fcinfo, model, fit.failed ? NULL : fit.par, &fit,
						   have_se ? se : NULL, fd.customers, fd.patterns, s->skipped);
}

RETENTION_ENTRY_POINT(bgnbd_fit_final, fit_final, CLV_BGNBD)
RETENTION_ENTRY_POINT(mbgnbd_fit_final, fit_final, CLV_MBGNBD)
RETENTION_ENTRY_POINT(pareto_nbd_fit_final, fit_final, CLV_PARETO_NBD)
RETENTION_ENTRY_POINT(gamma_gamma_fit_final, fit_final, CLV_GAMMA_GAMMA)
RETENTION_ENTRY_POINT(sbg_fit_final, fit_final, CLV_SBG)
RETENTION_ENTRY_POINT(bgbb_fit_final, fit_final, CLV_BGBB)
