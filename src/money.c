/*
 * money.c
 *		Exact, plan-independent sums of numeric amounts (see money.h).
 *
 * Amounts are read from PostgreSQL's numeric storage format directly (a
 * 2-byte header, an optional 2-byte weight, then base-10000 digits; the format
 * is stable on disk since 8.3, see numeric.c), and results are written in it
 * (money_numeric), so the per-row path never allocates and a result needs no
 * text round trip.
 */
#include "money.h"

#include "flat_io.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* numeric's storage format (numeric.c) */
#define NUMERIC_SHORT_FLAG 0x8000
#define NUMERIC_SHORT_NEG 0x2000
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_DSCALE_LIMIT 0x3F
#define NUMERIC_SHORT_WEIGHT_NEG 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NUMERIC_LONG_NEG 0x4000
#define NUMERIC_SPECIAL 0xC000	/* NaN and infinities */
#define NBASE 10000

static inline int128
fast_get(const MoneySum *m)
{
	return (int128) (((uint128) (uint64) m->fast_hi << 64) | m->fast_lo);
}

static inline void
fast_set(MoneySum *m, int128 v)
{
	m->fast_lo = (uint64) v;
	m->fast_hi = (int64) (v >> 64);
}

/*
 * Decode a numeric into units of 10^-8 when it is finite, has at most two
 * base-10000 digits after the point, and is below 10^28.  Reports its
 * display scale either way (-1 for NaN and infinities).
 */
static bool
numeric_to_units(const struct varlena *v, int128 *out, int *dscale)
{
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		header;
	int			weight;
	bool		negative;
	const char *digits;
	int			ndigits;
	int128		value = 0;

	if (len < sizeof(uint16))
		return false;
	memcpy(&header, p, sizeof(uint16));
	if ((header & NUMERIC_SPECIAL) == NUMERIC_SPECIAL)
	{
		*dscale = -1;
		return false;
	}
	if (header & NUMERIC_SHORT_FLAG)
	{
		/* short format: sign, dscale and a 7-bit weight packed in the header */
		negative = (header & NUMERIC_SHORT_NEG) != 0;
		*dscale = (header >> NUMERIC_SHORT_DSCALE_SHIFT) & NUMERIC_SHORT_DSCALE_LIMIT;
		weight = (header & NUMERIC_SHORT_WEIGHT_NEG)
			? (int) (header & NUMERIC_SHORT_WEIGHT_MASK) - 64 : (int) (header & NUMERIC_SHORT_WEIGHT_MASK);
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			return false;
		negative = (header & NUMERIC_SPECIAL) == NUMERIC_LONG_NEG;
		*dscale = header & MONEY_DSCALE_MAX;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = p + 2 * sizeof(uint16);
		ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}
	if (ndigits == 0)
	{
		*out = 0;
		return true;
	}
	/* positions run from weight down to weight - ndigits + 1 (base 10000) */
	if (weight > 6 || weight - ndigits + 1 < -2)
		return false;
	for (int i = 0; i < ndigits; i++)
	{
		int16		d;

		memcpy(&d, digits + i * sizeof(int16), sizeof(int16));
		value = value * NBASE + d;
	}
	for (int exponent = weight - ndigits + 1 + 2; exponent > 0; exponent--)
		value *= NBASE;
	*out = negative ? -value : value;
	return true;
}

bool
money_units64(Datum amount, int64 *units, int *dscale)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(amount);
	int128		x;

	*dscale = -1;
	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	if (!numeric_to_units(v, &x, dscale) || x < PG_INT64_MIN || x > PG_INT64_MAX)
		return false;
	*units = (int64) x;
	return true;
}

/*
 * units x 10^-8 as a numeric of display scale dscale, with the digits past
 * dscale cut off: the value numeric_in() makes of the decimal text, in the
 * bytes make_result() gives it (base-10000 digits without leading or trailing
 * zeros, the short header when dscale and weight allow it).
 */
Datum
money_numeric(int128 units, int dscale)
{
	uint128		u = units < 0 ? (uint128) 0 - (uint128) units : (uint128) units;
	uint128		ip;
	uint32		fp;
	int16		digits[12];
	int16		rev[10];
	int			nint = 0,
				first = 0,
				n = 0,
				weight;
	bool		negative;
	Size		size;
	char	   *result;

	if (dscale < MONEY_FRAC_DIGITS)
	{
		uint64		step = 1;

		for (int i = dscale; i < MONEY_FRAC_DIGITS; i++)
			step *= 10;
		u -= u % step;
	}
	ip = u / 100000000;
	fp = (uint32) (u % 100000000);
	while (ip > 0)
	{
		rev[nint++] = (int16) (ip % NBASE);
		ip /= NBASE;
	}
	for (int i = nint - 1; i >= 0; i--)
		digits[n++] = rev[i];
	digits[n++] = (int16) (fp / NBASE);
	digits[n++] = (int16) (fp % NBASE);
	weight = nint - 1;
	while (first < n && digits[first] == 0)
	{
		first++;
		weight--;
	}
	while (n > first && digits[n - 1] == 0)
		n--;
	negative = units < 0 && n > first;
	if (n == first)
		weight = 0;				/* zero: no digits, positive */

	if (dscale <= NUMERIC_SHORT_DSCALE_LIMIT && weight >= -64 && weight <= 63)
	{
		uint16		header = NUMERIC_SHORT_FLAG | (negative ? NUMERIC_SHORT_NEG : 0) |
			(uint16) (dscale << NUMERIC_SHORT_DSCALE_SHIFT) |
			(weight < 0 ? NUMERIC_SHORT_WEIGHT_NEG : 0) | (weight & NUMERIC_SHORT_WEIGHT_MASK);

		size = VARHDRSZ + sizeof(uint16) + (Size) (n - first) * sizeof(int16);
		result = palloc(size);
		memcpy(result + VARHDRSZ, &header, sizeof(uint16));
	}
	else
	{
		uint16		header = (negative ? NUMERIC_LONG_NEG : 0) | (dscale & MONEY_DSCALE_MAX);
		int16		w = (int16) weight;

		size = VARHDRSZ + 2 * sizeof(uint16) + (Size) (n - first) * sizeof(int16);
		result = palloc(size);
		memcpy(result + VARHDRSZ, &header, sizeof(uint16));
		memcpy(result + VARHDRSZ + sizeof(uint16), &w, sizeof(int16));
	}
	SET_VARSIZE(result, size);
	memcpy(result + size - (Size) (n - first) * sizeof(int16), &digits[first],
		   (Size) (n - first) * sizeof(int16));
	return PointerGetDatum(result);
}

void
money_init(MoneySum *m, MemoryContext cxt)
{
	memset(m, 0, sizeof(*m));
	m->cxt = cxt;
}

/* slow += value, keeping the sum in m->cxt */
static void
slow_add(MoneySum *m, Datum value)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);
	struct varlena *prev = m->slow;

	if (prev == NULL)
		m->slow = PG_DETOAST_DATUM_COPY(value);
	else
	{
		m->slow = (struct varlena *)
			DatumGetPointer(DirectFunctionCall2(numeric_add, PointerGetDatum(prev), value));
		pfree(prev);
	}
	MemoryContextSwitchTo(old);
}

/* fast += units, or to the slow part when the 128-bit sum would overflow */
static void
fast_add(MoneySum *m, int128 units, int dscale)
{
	int128		sum;

	if (!__builtin_add_overflow(fast_get(m), units, &sum))
		fast_set(m, sum);
	else
		/* units has no digits past dscale */
		slow_add(m, money_numeric(units, dscale));
}

void
money_add_datum(MoneySum *m, Datum amount)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(amount);
	int128		x;
	int			dscale = -1;
	bool		fits;

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	m->count++;
	fits = numeric_to_units(v, &x, &dscale);
	if (dscale >= 0)
		m->max_dscale = Max(m->max_dscale, dscale);
	if (fits)
	{
		int128		sum;

		if (!__builtin_add_overflow(fast_get(m), x, &sum))
		{
			fast_set(m, sum);
			return;
		}
	}
	slow_add(m, PointerGetDatum(v));
}

/*
 * m += units (10^-8) counted as 'count' amounts of at most dscale decimals
 * (so units has no digits past dscale).
 */
void
money_add_units(MoneySum *m, int64 units, int64 count, int dscale)
{
	m->count += count;
	m->max_dscale = Max(m->max_dscale, dscale);
	fast_add(m, units, dscale);
}

/* m += a numeric value standing for 'count' amounts; dscale < 0 leaves the scale alone */
void
money_add_numeric(MoneySum *m, Datum value, int64 count, int dscale)
{
	m->count += count;
	m->max_dscale = Max(m->max_dscale, dscale);
	slow_add(m, value);
}

void
money_merge(MoneySum *dst, const MoneySum *src)
{
	dst->count += src->count;
	dst->max_dscale = Max(dst->max_dscale, src->max_dscale);
	/* src's fast part has no digits past src's own largest scale */
	fast_add(dst, fast_get(src), src->max_dscale);
	if (src->slow)
		slow_add(dst, PointerGetDatum(src->slow));
}

/*
 * The sum as a numeric; 0 with the largest scale seen when nothing was added.
 * Its display scale is the largest seen: the fast part is written with that
 * scale, and numeric_add keeps the larger of two scales.
 */
Datum
money_result(const MoneySum *m)
{
	Datum		result = money_numeric(fast_get(m), m->max_dscale);

	if (m->slow)
		result = DirectFunctionCall2(numeric_add, result, PointerGetDatum(m->slow));
	return result;
}

/*
 * For a compact copy: the sum as int64 units plus, in *rest, a numeric for
 * what does not fit them (0 when nothing is left over).
 */
void
money_split64(const MoneySum *m, int64 *units, Datum *rest)
{
	int128		fast = fast_get(m);

	*rest = m->slow ? PointerGetDatum(m->slow) : (Datum) 0;
	if (fast >= PG_INT64_MIN && fast <= PG_INT64_MAX)
	{
		*units = (int64) fast;
		return;
	}
	*units = 0;
	*rest = *rest ? DirectFunctionCall2(numeric_add, *rest, money_numeric(fast, m->max_dscale))
		: money_numeric(fast, m->max_dscale);
}

/* flat form: count, max_dscale, fast (lo, hi), then the slow part as a numeric field */
Size
money_flat_size(const MoneySum *m)
{
	return 8 + 4 + 8 + 8 + flat_numeric_field_size(m->slow ? PointerGetDatum(m->slow) : (Datum) 0);
}

char *
money_flatten(const MoneySum *m, char *p)
{
	p = put_u64(p, (uint64) m->count);
	p = put_u32(p, (uint32) m->max_dscale);
	p = put_u64(p, m->fast_lo);
	p = put_u64(p, (uint64) m->fast_hi);
	return put_numeric_field(p, m->slow ? PointerGetDatum(m->slow) : (Datum) 0);
}

void
money_read(MoneySum *m, StringInfo buf)
{
	int64		count = (int64) get_u64(buf);
	int32		max_dscale = (int32) get_u32(buf);
	uint64		lo = get_u64(buf);
	int64		hi = (int64) get_u64(buf);
	MemoryContext old;

	if (count < 0 || max_dscale < 0 || max_dscale > MONEY_DSCALE_MAX)
		flat_corrupt("invalid amount sum");
	m->count = count;
	m->max_dscale = max_dscale;
	m->fast_lo = lo;
	m->fast_hi = hi;
	old = MemoryContextSwitchTo(m->cxt);
	m->slow = (struct varlena *) DatumGetPointer(get_numeric_field(buf));
	MemoryContextSwitchTo(old);
	if (count == 0 && (lo != 0 || hi != 0 || m->slow != NULL))
		flat_corrupt("amount sum without amounts");
}
