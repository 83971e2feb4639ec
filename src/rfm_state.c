/*
 * rfm_state.c
 *		The rfm transition state (rfm_state.h): building it, its periods,
 *		adding a purchase, merging two states.
 */
#include "rfm_state.h"

#include "flat_io.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define RFM_TAIL_MIN 8			/* a tail shorter than this is never sorted in */

StaticAssertDecl(offsetof(RfmState, periods) == 56, "RfmState header is 56 bytes");

/* the unit codes of the state (its flat form keeps them) and their periods */
static const PeriodKind unit_kinds[RFM_UNIT_MAX + 1] = {0, PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_HOUR};

PeriodKind
rfm_unit_kind(uint8 unit)
{
	return unit <= RFM_UNIT_MAX ? unit_kinds[unit] : 0;
}

uint8
rfm_unit_code(PeriodKind kind)
{
	for (uint8 u = 1; u <= RFM_UNIT_MAX; u++)
		if (unit_kinds[u] == kind)
			return u;
	return 0;
}

const char *
rfm_unit_name(uint8 unit)
{
	return unit >= 1 && unit <= RFM_UNIT_MAX ? period_kind_name(unit_kinds[unit]) : "?";
}

/* Whole units from period a to period b, as float8 (see period.h). */
float8
rfm_units_between(uint8 unit, int64 a, int64 b)
{
	if (rfm_unit_kind(unit) == PERIOD_HOUR)
		return (float8) (b - a) / (float8) USECS_PER_HOUR;
	return (float8) (b - a);
}

void
rfm_corrupt(const char *what)
{
	flat_corrupt(psprintf("rfm_state: %s", what));
}

/* The numeric parts after the periods, NULL where absent. */
void
rfm_state_slow(const RfmState *s, Numeric *first, Numeric *repeat)
{
	const char *p = (const char *) &s->periods[s->cap];

	*first = NULL;
	*repeat = NULL;
	if (s->flags & RFM_SLOW_FIRST)
	{
		*first = (Numeric) p;
		p += INTALIGN(VARSIZE(p));
	}
	if (s->flags & RFM_SLOW_REPEAT)
		*repeat = (Numeric) p;
}

/*
 * Checks the structure of a state in memory (sizes, counts, versions), so
 * that no access can go out of bounds.  Cheap: called on every row.  The
 * ordering of the periods is checked where values come in (rfm_state_in,
 * rfm_state_recv).
 */
void
rfm_state_check(const RfmState *s)
{
	Size		size = VARSIZE(s);
	Size		used;

	if (size < RFM_HDRSZ)
		rfm_corrupt("value is truncated");
	if (s->version != RFM_STATE_VERSION)
		rfm_corrupt(psprintf("unknown format version %u", s->version));
	if (s->unit == 0 && s->time_kind == 0)
	{
		/* a fresh state (the aggregates' INITCOND): no row yet */
		if (s->nsorted != 0 || s->ntail != 0 || s->flags != 0)
			rfm_corrupt("a fresh state with periods");
	}
	else if (s->unit < 1 || s->unit > RFM_UNIT_MAX ||
			 s->time_kind < TIME_TIMESTAMPTZ || s->time_kind > TIME_DATE ||
			 (s->flags & ~RFM_FLAGS_ALL) != 0)
		rfm_corrupt("invalid unit, time type or flags");
	if (s->cap > (size - RFM_HDRSZ) / sizeof(int64) ||
		s->nsorted > s->cap || s->ntail > s->cap - s->nsorted ||
		(s->nsorted == 0 && s->ntail > 0))
		rfm_corrupt("invalid period counts");
	used = RFM_HDRSZ + (Size) s->cap * sizeof(int64);
	for (int i = 0; i < 2; i++)
	{
		Size		len;

		if (!(s->flags & (i == 0 ? RFM_SLOW_FIRST : RFM_SLOW_REPEAT)))
			continue;
		if (size - used < VARHDRSZ + sizeof(uint16))
			rfm_corrupt("invalid amount sum");
		len = VARSIZE((const char *) s + used);
		if (len < VARHDRSZ + sizeof(uint16) || len > size - used)
			rfm_corrupt("invalid amount sum");
		used += INTALIGN(len);
	}
	if (used != size)
		rfm_corrupt("invalid size");
}

/* A state to read: detoasted, aligned, checked. */
RfmState *
rfm_state_read(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum(v);	/* a copy with a 4-byte header */
	rfm_state_check((RfmState *) v);
	return (RfmState *) v;
}

/* m += the first-period (repeat false) or the repeat-period sum of s */
void
rfm_state_sum(MoneySum *m, const RfmState *s, bool repeat)
{
	Numeric		first;
	Numeric		rep;
	Numeric		slow;

	rfm_state_slow(s, &first, &rep);
	slow = repeat ? rep : first;
	money_add_units(m, repeat ? s->repeat_units : s->first_units, 0,
					repeat ? s->repeat_dscale : s->first_dscale);
	if (slow)
		money_add_numeric(m, NumericGetDatum(slow), 0, -1);
}

/*
 * A new state in the current memory context: the header of 'proto' (unit,
 * time kind, until, end), the given periods (nsorted sorted ones, then ntail
 * others), room for at least min_cap periods, and the two sums.  Its size is
 * rounded up to a power of two while that is small, as palloc rounds anyway.
 */
RfmState *
rfm_state_build(const RfmState *proto, const int64 *periods, uint32 nsorted, uint32 ntail,
				Size min_cap, const MoneySum *first, const MoneySum *repeat)
{
	int64		units[2];
	Datum		slow[2];
	Size		slow_size[2];
	Size		cap = Max(min_cap, (Size) nsorted + ntail);
	Size		size;
	Size		limit = (Size) retention_max_state_memory * 1024;
	RfmState   *s;
	char	   *p;

	money_split64(first, &units[0], &slow[0]);
	money_split64(repeat, &units[1], &slow[1]);
	for (int i = 0; i < 2; i++)
		slow_size[i] = slow[i] ? INTALIGN(VARSIZE(DatumGetPointer(slow[i]))) : 0;
	cap = Max(cap, 1);
	if (cap > (MaxAllocHugeSize - RFM_HDRSZ - slow_size[0] - slow_size[1]) / sizeof(int64))
		rfm_corrupt("too many periods");
	size = RFM_HDRSZ + cap * sizeof(int64) + slow_size[0] + slow_size[1];
	if (size <= 8192)
	{
		Size		pow2 = 64;

		while (pow2 < size)
			pow2 *= 2;
		cap += (pow2 - size) / sizeof(int64);
		size = RFM_HDRSZ + cap * sizeof(int64) + slow_size[0] + slow_size[1];
	}
	if (size > limit || cap > PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention aggregate state exceeds retention.max_state_memory (%d kB)",
						retention_max_state_memory),
				 errdetail("An rfm state of %u distinct periods needs %zu kB.",
						   nsorted + ntail, (size + 1023) / 1024),
				 errhint("Raise retention.max_state_memory, or use a longer unit.")));
	budget_check_flat_size(size);

	s = (RfmState *) palloc_extended(size, MCXT_ALLOC_HUGE);
	memset(s, 0, RFM_HDRSZ);
	SET_VARSIZE(s, size);
	s->version = RFM_STATE_VERSION;
	s->unit = proto->unit;
	s->time_kind = proto->time_kind;
	s->until = proto->until;
	s->end = proto->end;
	s->nsorted = nsorted;
	s->ntail = ntail;
	s->cap = (uint32) cap;
	s->first_units = units[0];
	s->first_dscale = (uint16) first->max_dscale;
	s->repeat_units = units[1];
	s->repeat_dscale = (uint16) repeat->max_dscale;
	if (nsorted + ntail > 0)
		memcpy(s->periods, periods, ((Size) nsorted + ntail) * sizeof(int64));
	p = (char *) &s->periods[cap];
	memset(&s->periods[nsorted + ntail], 0, (char *) p - (char *) &s->periods[nsorted + ntail]);
	for (int i = 0; i < 2; i++)
	{
		if (!slow[i])
			continue;
		s->flags |= i == 0 ? RFM_SLOW_FIRST : RFM_SLOW_REPEAT;
		memset(p, 0, slow_size[i]);
		memcpy(p, DatumGetPointer(slow[i]), VARSIZE(DatumGetPointer(slow[i])));
		p += slow_size[i];
	}
	return s;
}

/* The sums of s, as MoneySums in the current memory context. */
static void
state_sums(const RfmState *s, MoneySum *first, MoneySum *repeat)
{
	money_init(first, CurrentMemoryContext);
	money_init(repeat, CurrentMemoryContext);
	rfm_state_sum(first, s, false);
	rfm_state_sum(repeat, s, true);
}

/* The same state with room for at least min_cap periods and the given sums. */
static RfmState *
state_rebuild(const RfmState *s, Size min_cap, const MoneySum *first, const MoneySum *repeat)
{
	return rfm_state_build(s, s->periods, s->nsorted, s->ntail, min_cap, first, repeat);
}

static RfmState *
state_grow(RfmState *s)
{
	MoneySum	first;
	MoneySum	repeat;

	state_sums(s, &first, &repeat);
	return state_rebuild(s, (Size) s->cap * 2, &first, &repeat);
}

/* A new, empty state for these arguments, in the current memory context. */
RfmState *
rfm_state_new(uint8 unit, TimeKind kind, int64 until, int64 end)
{
	RfmState	proto;
	MoneySum	zero;

	memset(&proto, 0, sizeof(proto));
	proto.unit = unit;
	proto.time_kind = kind;
	proto.until = until;
	proto.end = end;
	money_init(&zero, CurrentMemoryContext);
	return rfm_state_build(&proto, NULL, 0, 0, 1, &zero, &zero);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* Sorts v[0..n) and drops repeated values; returns the new count. */
static uint32
sort_distinct(int64 *v, uint32 n)
{
	uint32		k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(int64), cmp_int64);
	for (uint32 i = 1; i < n; i++)
		if (v[i] != v[k])
			v[++k] = v[i];
	return k + 1;
}

/* Merges two ascending distinct arrays into out, without repeats; returns the count. */
uint32
merge_distinct(const int64 *a, uint32 na, const int64 *b, uint32 nb, int64 *out)
{
	uint32		i = 0,
				j = 0,
				k = 0;

	while (i < na && j < nb)
	{
		if (a[i] < b[j])
			out[k++] = a[i++];
		else if (b[j] < a[i])
			out[k++] = b[j++];
		else
		{
			out[k++] = a[i++];
			j++;
		}
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
	return k;
}

/*
 * The distinct purchase periods of a state, ascending: its own array when it
 * has no tail, else a merged copy in the current memory context.
 */
const int64 *
rfm_state_periods(const RfmState *s, uint32 *n)
{
	int64	   *tail;
	int64	   *out;
	uint32		k;

	if (s->ntail == 0)
	{
		*n = s->nsorted;
		return s->periods;
	}
	tail = palloc((Size) s->ntail * sizeof(int64));
	memcpy(tail, &s->periods[s->nsorted], (Size) s->ntail * sizeof(int64));
	k = sort_distinct(tail, s->ntail);
	out = palloc(((Size) s->nsorted + k) * sizeof(int64));
	*n = merge_distinct(s->periods, s->nsorted, tail, k, out);
	pfree(tail);
	return out;
}

/* Sorts the tail into the sorted part, in place. */
static void
state_normalize(RfmState *s)
{
	uint32		n;
	const int64 *v;

	if (s->ntail == 0)
		return;
	CHECK_FOR_INTERRUPTS();
	v = rfm_state_periods(s, &n);
	memcpy(s->periods, v, (Size) n * sizeof(int64));
	pfree((void *) v);
	memset(&s->periods[n], 0, ((Size) s->nsorted + s->ntail - n) * sizeof(int64));
	s->nsorted = n;
	s->ntail = 0;
}

static bool
sorted_contains(const int64 *v, uint32 n, int64 p)
{
	uint32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;

		if (v[mid] < p)
			lo = mid + 1;
		else if (v[mid] > p)
			hi = mid;
		else
			return true;
	}
	return false;
}

/*
 * Records a purchase in period p > periods[0] (a repeat period).  Returns
 * the state, which may be a new, larger one.
 */
static RfmState *
add_repeat_period(RfmState *s, int64 p)
{
	uint32		ns = s->nsorted;
	uint32		nt = s->ntail;

	if (nt == 0)
	{
		/* rows in time order: a later period goes at the end */
		if (p > s->periods[ns - 1])
		{
			if (ns == s->cap)
				s = state_grow(s);
			s->periods[s->nsorted++] = p;
			return s;
		}
		if (p == s->periods[ns - 1])
			return s;
	}
	else if (s->periods[ns + nt - 1] == p)
		return s;				/* the same period as the last row out of order */
	if (sorted_contains(s->periods, ns, p))
		return s;

	/* out of order: to the tail, sorted in once it is as long as the rest */
	if (nt >= Max(RFM_TAIL_MIN, ns) || ns + nt == s->cap)
	{
		state_normalize(s);
		ns = s->nsorted;
		if (sorted_contains(s->periods, ns, p))
			return s;
		if (p > s->periods[ns - 1])
		{
			if (ns == s->cap)
				s = state_grow(s);
			s->periods[s->nsorted++] = p;
			return s;
		}
	}
	if (s->nsorted + s->ntail == s->cap)
		s = state_grow(s);
	s->periods[s->nsorted + s->ntail++] = p;
	return s;
}

/*
 * Adds an amount to the first or the repeat sum: units of 10^-8 when
 * slow is 0, else the numeric slow.  dscale is its display scale (-1 for NaN
 * and infinities).
 */
static RfmState *
add_amount(RfmState *s, bool repeat, int64 units, int dscale, Datum slow)
{
	int64	   *sum = repeat ? &s->repeat_units : &s->first_units;
	uint16	   *ds = repeat ? &s->repeat_dscale : &s->first_dscale;
	MoneySum	first;
	MoneySum	rep;

	if (slow == (Datum) 0)
	{
		int64		r;

		if (!pg_add_s64_overflow(*sum, units, &r))
		{
			*sum = r;
			if (dscale > *ds)
				*ds = (uint16) dscale;
			return s;
		}
	}
	/* rare: the sums change size, so the state is built again */
	state_sums(s, &first, &rep);
	if (slow == (Datum) 0)
		money_add_units(repeat ? &rep : &first, units, 0, dscale);
	else
		money_add_numeric(repeat ? &rep : &first, slow, 0, dscale);
	return state_rebuild(s, s->cap, &first, &rep);
}

/* Period p (< periods[0]) becomes the first: the old first period's sum is a repeat one. */
static RfmState *
new_first_period(RfmState *s, int64 p)
{
	int64		old = s->periods[0];
	int64		r;

	if (s->nsorted + s->ntail == s->cap)
	{
		state_normalize(s);
		if (s->nsorted == s->cap)
			s = state_grow(s);
	}
	s->periods[0] = p;
	s->periods[s->nsorted + s->ntail++] = old;

	if ((s->flags & RFM_SLOW_FIRST) == 0 &&
		!pg_add_s64_overflow(s->repeat_units, s->first_units, &r))
	{
		s->repeat_units = r;
		s->repeat_dscale = Max(s->repeat_dscale, s->first_dscale);
		s->first_units = 0;
		s->first_dscale = 0;
	}
	else
	{
		MoneySum	first;
		MoneySum	rep;
		MoneySum	empty;

		state_sums(s, &first, &rep);
		money_merge(&rep, &first);
		money_init(&empty, CurrentMemoryContext);
		s = state_rebuild(s, s->cap, &empty, &rep);
	}
	return s;
}

/*
 * Records a purchase in period p, with its amount when has_amount (a numeric,
 * not NULL).  Returns the state, which may be a new, larger one.
 */
RfmState *
rfm_add_purchase(RfmState *s, int64 p, bool has_amount, Datum amount)
{
	int64		units = 0;
	int			dscale = -1;
	Datum		slow = (Datum) 0;
	bool		repeat;

	if (has_amount && !money_units64(amount, &units, &dscale))
	{
		slow = amount;
		units = 0;
	}
	if (s->nsorted == 0)
		s->periods[s->nsorted++] = p;	/* the first order: cap >= 1 */
	else if (p < s->periods[0])
		s = new_first_period(s, p);
	else if (p > s->periods[0])
		s = add_repeat_period(s, p);
	repeat = p > s->periods[0];
	if (has_amount)
		s = add_amount(s, repeat, units, dscale, slow);
	return s;
}

/* A new state of the purchases of both, in the current memory context. */
RfmState *
rfm_state_merge(const RfmState *a, const RfmState *b)
{
	const int64 *pa;
	const int64 *pb;
	uint32		na;
	uint32		nb;
	int64	   *merged;
	uint32		n;
	MoneySum	first;
	MoneySum	rep;

	pa = rfm_state_periods(a, &na);
	pb = rfm_state_periods(b, &nb);
	CHECK_FOR_INTERRUPTS();
	merged = palloc_extended(((Size) na + nb + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	n = merge_distinct(pa, na, pb, nb, merged);

	/* the repeat sums, and each first-period sum: first if it is the earliest, else repeat */
	money_init(&first, CurrentMemoryContext);
	money_init(&rep, CurrentMemoryContext);
	rfm_state_sum(&rep, a, true);
	rfm_state_sum(&rep, b, true);
	if (na > 0)
		rfm_state_sum((nb == 0 || pa[0] <= pb[0]) ? &first : &rep, a, false);
	if (nb > 0)
		rfm_state_sum((na == 0 || pb[0] <= pa[0]) ? &first : &rep, b, false);
	return rfm_state_build(a, merged, n, 0, n, &first, &rep);
}
