/*
 * money_sum.c
 *		Exact, plan-independent sum of numeric amounts (see money_sum.h).
 *
 * The fast path reads PostgreSQL's numeric storage format directly (a 2-byte
 * header, an optional 2-byte weight, then base-10000 digits; the format is
 * stable on disk since 8.3, see numeric.c) and never allocates.
 */
#include "money_sum.h"

#include "flat_io.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#define FRAC_DIGITS 8			/* the fast part counts units of 10^-8 */
#define NUMERIC_DSCALE_LIMIT 0x3FFF

#ifndef HAVE_INT128
#error "retention needs a compiler with 128-bit integers"
#endif

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
numeric_to_fast(const struct varlena *v, int128 *out, int *dscale)
{
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		header;
	int			weight;
	bool		negative;
	const char *digits;
	int			ndigits;
	int128		value = 0;
	int			exponent;

	if (len < sizeof(uint16))
		return false;
	memcpy(&header, p, sizeof(uint16));
	if ((header & 0xC000) == 0xC000)
	{
		*dscale = -1;			/* NaN or an infinity */
		return false;
	}
	if (header & 0x8000)
	{
		/* short format: sign, dscale and a 7-bit weight packed in the header */
		negative = (header & 0x2000) != 0;
		*dscale = (header & 0x1F80) >> 7;
		weight = (header & 0x0040) ? (int) (header & 0x003F) - 64 : (int) (header & 0x003F);
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			return false;
		negative = (header & 0xC000) == 0x4000;
		*dscale = header & 0x3FFF;
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
		value = value * 10000 + d;
	}
	for (exponent = weight - ndigits + 1 + 2; exponent > 0; exponent--)
		value *= 10000;
	*out = negative ? -value : value;
	return true;
}

/* The fast part as a numeric with the given display scale. */
static Datum
fast_to_numeric(int128 v, int dscale)
{
	char		digits[48];
	int			nd = 0;
	bool		negative = v < 0;
	uint128		u = negative ? (uint128) 0 - (uint128) v : (uint128) v;
	StringInfoData str;

	do
	{
		digits[nd++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u != 0);
	while (nd <= FRAC_DIGITS)
		digits[nd++] = '0';

	initStringInfo(&str);
	if (negative)
		appendStringInfoChar(&str, '-');
	for (int i = nd - 1; i >= FRAC_DIGITS; i--)
		appendStringInfoChar(&str, digits[i]);
	if (dscale > 0)
	{
		appendStringInfoChar(&str, '.');
		for (int i = 0; i < dscale; i++)
			appendStringInfoChar(&str, i < FRAC_DIGITS ? digits[FRAC_DIGITS - 1 - i] : '0');
	}
	return DirectFunctionCall3(numeric_in, CStringGetDatum(str.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
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
		m->slow = (struct varlena *) DatumGetPointer(
													 DirectFunctionCall2(numeric_add, PointerGetDatum(prev), value));
		pfree(prev);
	}
	MemoryContextSwitchTo(old);
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
	fits = numeric_to_fast(v, &x, &dscale);
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
 * For callers that keep many small sums (one per customer and period): the
 * amount in units of 10^-8 when it fits 64 bits, and its display scale
 * (-1 for NaN and infinities).  False means: add it with money_add_datum.
 */
bool
money_units64(Datum amount, int64 *units, int *dscale)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(amount);
	int128		x;
	bool		fits;

	*dscale = -1;
	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	fits = numeric_to_fast(v, &x, dscale);
	if (!fits || x < PG_INT64_MIN || x > PG_INT64_MAX)
		return false;
	*units = (int64) x;
	return true;
}

/*
 * m += units (10^-8) counted as 'count' amounts of at most dscale decimals
 * (so units has no digits past dscale).
 */
void
money_add_units(MoneySum *m, int64 units, int64 count, int dscale)
{
	int128		sum;

	m->count += count;
	m->max_dscale = Max(m->max_dscale, dscale);
	if (!__builtin_add_overflow(fast_get(m), (int128) units, &sum))
		fast_set(m, sum);
	else
		slow_add(m, fast_to_numeric(units, dscale));
}

/* Units (10^-8) as a numeric with dscale decimals (exact if units has no more). */
Datum
money_units_numeric(int64 units, int dscale)
{
	return fast_to_numeric(units, dscale);
}

void
money_merge(MoneySum *dst, const MoneySum *src)
{
	if (src->count == 0)
		return;
	dst->count += src->count;
	dst->max_dscale = Max(dst->max_dscale, src->max_dscale);
	{
		int128		sum;

		if (!__builtin_add_overflow(fast_get(dst), fast_get(src), &sum))
			fast_set(dst, sum);
		else
			/* src's fast part has no digits past src's own largest scale */
			slow_add(dst, fast_to_numeric(fast_get(src), src->max_dscale));
	}
	if (src->slow)
		slow_add(dst, PointerGetDatum(src->slow));
}

/*
 * The sum as a numeric.  Its display scale is the largest seen: the fast part
 * is written with that scale, and numeric_add keeps the larger of two scales.
 */
Datum
money_result(const MoneySum *m)
{
	Datum		result;

	Assert(m->count > 0);
	result = fast_to_numeric(fast_get(m), m->max_dscale);
	if (m->slow)
		result = DirectFunctionCall2(numeric_add, result, PointerGetDatum(m->slow));
	return result;
}

/* flat form: count, max_dscale, fast (lo, hi), slow length, slow (numeric_send) */
static bytea *
slow_send(const MoneySum *m)
{
	if (m->slow == NULL)
		return NULL;
	return DatumGetByteaPP(DirectFunctionCall1(numeric_send, PointerGetDatum(m->slow)));
}

Size
money_flat_size(const MoneySum *m)
{
	bytea	   *s = slow_send(m);

	return 8 + 4 + 8 + 8 + 4 + (s ? VARSIZE_ANY_EXHDR(s) : 0);
}

char *
money_flatten(const MoneySum *m, char *p)
{
	bytea	   *s = slow_send(m);

	p = put_u64(p, (uint64) m->count);
	p = put_u32(p, (uint32) m->max_dscale);
	p = put_u64(p, m->fast_lo);
	p = put_u64(p, (uint64) m->fast_hi);
	p = put_u32(p, s ? VARSIZE_ANY_EXHDR(s) : 0);
	if (s)
		p = put_bytes(p, VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s));
	return p;
}

void
money_read(MoneySum *m, StringInfo buf)
{
	int64		count = (int64) get_u64(buf);
	int32		max_dscale = (int32) get_u32(buf);
	uint64		lo = get_u64(buf);
	int64		hi = (int64) get_u64(buf);
	uint32		slow_len = get_u32(buf);

	if (count < 0 || max_dscale < 0 || max_dscale > NUMERIC_DSCALE_LIMIT)
		flat_corrupt("invalid amount sum");
	if (count == 0 && (lo != 0 || hi != 0 || slow_len != 0))
		flat_corrupt("amount sum without amounts");
	m->count = count;
	m->max_dscale = max_dscale;
	m->fast_lo = lo;
	m->fast_hi = hi;
	m->slow = NULL;
	if (slow_len > 0)
	{
		const char *data = get_bytes(buf, slow_len);
		MemoryContext old;

		old = MemoryContextSwitchTo(m->cxt);
		m->slow = (struct varlena *) DatumGetPointer(flat_numeric(data, slow_len));
		MemoryContextSwitchTo(old);
	}
}
