/*
 * flat_io.c
 *		Errors and hex text shared by the flat forms of states.
 */
#include "flat_io.h"

#include "fmgr.h"
#include "utils/fmgrprotos.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

void
flat_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid retention state: %s", what),
			 errhint("The value was not produced by this version of the retention extension, or it was damaged.")));
}

char *
hex_text(const char *data, Size len)
{
	static const char digits[] = "0123456789abcdef";
	char	   *out;
	char	   *p;

	if (len > (MaxAllocHugeSize - 3) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention state is too large for its text form")));
	out = palloc_extended(2 * len + 3, MCXT_ALLOC_HUGE);
	p = out;
	*p++ = '\\';
	*p++ = 'x';
	for (Size i = 0; i < len; i++)
	{
		*p++ = digits[(uint8) data[i] >> 4];
		*p++ = digits[(uint8) data[i] & 0xF];
	}
	*p = '\0';
	return out;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode "\x<hex>"; the result is palloc'd. */
char *
unhex_text(const char *text, Size *len, const char *type_name)
{
	Size		n = strlen(text);
	char	   *out;

	if (n < 2 || text[0] != '\\' || text[1] != 'x' || (n - 2) % 2 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", type_name),
				 errdetail("Expected \\x followed by an even number of hexadecimal digits.")));
	*len = (n - 2) / 2;
	out = palloc_extended(*len + 1, MCXT_ALLOC_HUGE);
	for (Size i = 0; i < *len; i++)
	{
		int			hi = hex_value(text[2 + 2 * i]);
		int			lo = hex_value(text[3 + 2 * i]);

		if (hi < 0 || lo < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s", type_name),
					 errdetail("\"%c%c\" is not a hexadecimal byte.", text[2 + 2 * i], text[3 + 2 * i])));
		out[i] = (char) (hi << 4 | lo);
	}
	return out;
}

/*
 * A numeric in numeric_send's form, exactly len bytes: int16 ndigits, weight,
 * sign and dscale, then ndigits int16 digits.  The layout is checked before
 * numeric_recv runs (which checks the rest), so a damaged value is a 22P03
 * error, never numeric_recv's "insufficient data left in message" (08P01).
 */
Datum
flat_numeric(const char *data, Size len)
{
	StringInfoData sub;
	Datum		value;

	if (len < 8 || len != 8 + 2 * (Size) (((uint8) data[0] << 8) | (uint8) data[1]))
		flat_corrupt("malformed numeric");
	flat_reader_init(&sub, data, len);
	value = DirectFunctionCall3(numeric_recv, PointerGetDatum(&sub),
								ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	if (sub.cursor != sub.len)
		flat_corrupt("malformed numeric");
	return value;
}

/*
 * The size of a numeric field: (Datum) 0 for none.  numeric_send writes four
 * int16 (ndigits, weight, sign, dscale) and the digits, so the size follows
 * from the number of base-10000 digits in the stored value, without sending
 * it: after the varlena header a numeric has a 2-byte header (the short
 * format, and NaN and the infinities) or a 4-byte one (the long format),
 * then its digits (numeric.c, stable on disk since 9.1).
 */
Size
flat_numeric_field_size(Datum numeric)
{
	struct varlena *v;
	uint16		header;
	Size		digit_bytes;

	if (numeric == (Datum) 0)
		return 4;
	v = (struct varlena *) DatumGetPointer(numeric);
	if (VARATT_IS_EXTENDED(v))
		return 4 + VARSIZE_ANY_EXHDR(DatumGetByteaPP(DirectFunctionCall1(numeric_send, numeric)));
	memcpy(&header, VARDATA(v), sizeof(header));
	/* 0x8000 short, 0xC000 special (short header), 0x0000 and 0x4000 long */
	digit_bytes = VARSIZE(v) - VARHDRSZ - ((header & 0x8000) ? 2 : 4);
	return 4 + 8 + digit_bytes;
}

char *
put_numeric_field(char *p, Datum numeric)
{
	bytea	   *b;

	if (numeric == (Datum) 0)
		return put_u32(p, 0);
	b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, numeric));
	p = put_u32(p, VARSIZE_ANY_EXHDR(b));
	return put_bytes(p, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

/* A numeric field, checked (flat_numeric); (Datum) 0 when it holds none. */
Datum
get_numeric_field(StringInfo buf)
{
	uint32		len = get_u32(buf);

	if (len == 0)
		return (Datum) 0;
	return flat_numeric(get_bytes(buf, len), len);
}

/*
 * The flat bytes of a state value: an expanded state is flattened, a flat
 * one detoasted.  Either way the result has a 4-byte varlena header.
 */
struct varlena *
flat_value_of(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);
		Size		size = EOH_get_flat_size(eoh);
		struct varlena *v = palloc_extended(size, MCXT_ALLOC_HUGE);

		EOH_flatten_into(eoh, v, size);
		return v;
	}
	return PG_DETOAST_DATUM(d);
}
