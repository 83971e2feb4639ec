/*
 * rfm_state.h
 *		The transition state of the rfm aggregate: one customer's distinct
 *		purchase periods and the exact sums of their amounts.
 *
 * rfm runs under GROUP BY over millions of customers, so a group's state must
 * be one small allocation, updated in place.  It is a flat varlena of type
 * rfm_state (not internal, so that Citus can push the aggregate down):
 *
 *   RfmState header (56 bytes) | periods[cap] (int64) | slow sums (numeric)
 *
 * periods[0 .. nsorted) are distinct and ascending, periods[0] is always the
 * first purchase period; periods[nsorted .. nsorted + ntail) is a tail of
 * periods that came out of order (each greater than periods[0], possibly
 * repeated), sorted into the rest when it grows as long as the sorted part,
 * so that rows in any order cost O(log n) each.  Rows in time order append to
 * the sorted part.  The amounts are two sums (money.h), of the first period
 * and of the others, kept as int64 units of 10^-8 and, for what does not fit
 * (huge or long amounts, overflow, NaN), exact numerics after the periods.  A
 * new earliest period moves the old first period's sum to the repeat sum.  The
 * largest display scale of each sum is kept, so that the repeat sum is exactly
 * the numeric that sum() would give, and monetary_value is bit-identical to
 * avg() over the repeat periods' sums.
 *
 * A period is an int64 of period.h: a calendar period number for day, week
 * and month, the start of the hour for hour.  The in-memory layout is native;
 * the type's text and binary forms (rfm_io.c) are a versioned,
 * byte-order-neutral serialization, validated on the way in.
 */
#ifndef RETENTION_RFM_STATE_H
#define RETENTION_RFM_STATE_H

#include "money.h"
#include "period.h"

#include "utils/numeric.h"

#define RFM_STATE_VERSION 1
#define RFM_SLOW_FIRST 0x01		/* a numeric part of the first period's sum follows */
#define RFM_SLOW_REPEAT 0x02	/* a numeric part of the repeat sum follows */
#define RFM_FLAGS_ALL (RFM_SLOW_FIRST | RFM_SLOW_REPEAT)

/* the unit codes of the state's unit field: day 1, week 2, month 3, hour 4 */
#define RFM_UNIT_MAX 4

typedef struct RfmState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* RFM_STATE_VERSION */
	uint8		unit;			/* unit code, 0 in a fresh state */
	uint8		time_kind;		/* TimeKind of ordered_at and observed_until */
	uint8		flags;			/* RFM_SLOW_* */
	uint32		nsorted;		/* periods[0 .. nsorted): ascending, distinct */
	uint32		ntail;			/* then ntail periods out of order, > periods[0] */
	uint32		cap;			/* room for cap periods */
	uint16		first_dscale;	/* largest display scale of a first-period amount */
	uint16		repeat_dscale;	/* the same for the repeat periods */
	int64		until;			/* observed_until, as stored (retention.h) */
	int64		end;			/* its period: orders of later periods are ignored */
	int64		first_units;	/* first period's amounts, units of 10^-8 */
	int64		repeat_units;	/* the other periods' amounts, units of 10^-8 */
	int64		periods[FLEXIBLE_ARRAY_MEMBER];
} RfmState;

#define RFM_HDRSZ offsetof(RfmState, periods)

extern PeriodKind rfm_unit_kind(uint8 unit);
extern uint8 rfm_unit_code(PeriodKind kind);
extern const char *rfm_unit_name(uint8 unit);
extern float8 rfm_units_between(uint8 unit, int64 a, int64 b);

extern void rfm_corrupt(const char *what) pg_attribute_noreturn();
extern void rfm_state_check(const RfmState *s);
extern RfmState *rfm_state_read(Datum d);
extern RfmState *rfm_state_new(uint8 unit, TimeKind kind, int64 until, int64 end);
extern RfmState *rfm_state_build(const RfmState *proto, const int64 *periods, uint32 nsorted,
								 uint32 ntail, Size min_cap, const MoneySum *first,
								 const MoneySum *repeat);
extern void rfm_state_sum(MoneySum *m, const RfmState *s, bool repeat);
extern void rfm_state_slow(const RfmState *s, Numeric *first, Numeric *repeat);
extern const int64 *rfm_state_periods(const RfmState *s, uint32 *n);
extern uint32 merge_distinct(const int64 *a, uint32 na, const int64 *b, uint32 nb, int64 *out);

extern RfmState *rfm_add_purchase(RfmState *s, int64 period, bool has_amount, Datum amount);
extern RfmState *rfm_state_merge(const RfmState *a, const RfmState *b);

/* rfm_agg.c: rfm_summary's columns */
extern void rfm_summary_columns(uint8 unit, uint32 n, int64 first, int64 last, int64 end,
								const MoneySum *repeat, Datum *values, Datum zero);
extern bool rfm_summary_values(const RfmState *s, Datum *values, Datum zero);
/* rfm's and rfm_holdout's end arguments, checked and as stored (rfm_agg.c) */
extern int64 rfm_end_micros(FunctionCallInfo fcinfo, int argno, TimeKind kind,
							const char *what, const char *hint);

/* the flat (serialized) form, rfm_io.c */
extern char *rfm_state_serialize(const RfmState *s, Size *len);
extern RfmState *rfm_state_from_bytes(const char *data, Size len);
extern bool rfm_units_fit_scale(int64 units, int dscale);
extern bool rfm_period_is_valid(uint8 unit, TimeKind time_kind, int64 p);

#endif							/* RETENTION_RFM_STATE_H */
