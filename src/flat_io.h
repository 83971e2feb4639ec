/*
 * flat_io.h
 *		Byte-order-neutral reads and writes for the flat (serialized) forms of
 *		states and summaries: the one writer and reader every flat form uses.
 *		Writers advance a char pointer through a buffer of the size computed
 *		beforehand; readers consume a StringInfo and raise a clean error
 *		(22P03) instead of reading past the end.  Integers are little-endian;
 *		a numeric field is a u32 length and numeric_send's bytes (length 0:
 *		no value).
 */
#ifndef RETENTION_FLAT_IO_H
#define RETENTION_FLAT_IO_H

#include "retention.h"

#include "lib/stringinfo.h"

static inline char *
put_u8(char *p, uint8 v)
{
	*p = (char) v;
	return p + 1;
}

static inline char *
put_u32(char *p, uint32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char) (v >> (8 * i));
	return p + 4;
}

static inline char *
put_u64(char *p, uint64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (char) (v >> (8 * i));
	return p + 8;
}

static inline char *
put_bytes(char *p, const void *data, Size len)
{
	memcpy(p, data, len);
	return p + len;
}

extern void flat_corrupt(const char *what) pg_attribute_noreturn();

/* a reader over len bytes at data */
static inline void
flat_reader_init(StringInfo buf, const char *data, Size len)
{
	buf->data = (char *) data;
	buf->len = len;
	buf->maxlen = len;
	buf->cursor = 0;
}

static inline void
need_bytes(StringInfo buf, Size n)
{
	if ((Size) (buf->len - buf->cursor) < n)
		flat_corrupt("value is truncated");
}

static inline uint8
get_u8(StringInfo buf)
{
	need_bytes(buf, 1);
	return (uint8) buf->data[buf->cursor++];
}

static inline uint32
get_u32(StringInfo buf)
{
	uint32		v = 0;

	need_bytes(buf, 4);
	for (int i = 0; i < 4; i++)
		v |= (uint32) (uint8) buf->data[buf->cursor + i] << (8 * i);
	buf->cursor += 4;
	return v;
}

static inline uint64
get_u64(StringInfo buf)
{
	uint64		v = 0;

	need_bytes(buf, 8);
	for (int i = 0; i < 8; i++)
		v |= (uint64) (uint8) buf->data[buf->cursor + i] << (8 * i);
	buf->cursor += 8;
	return v;
}

static inline const char *
get_bytes(StringInfo buf, Size n)
{
	const char *p;

	need_bytes(buf, n);
	p = buf->data + buf->cursor;
	buf->cursor += n;
	return p;
}

extern Datum flat_numeric(const char *data, Size len);
extern Size flat_numeric_field_size(Datum numeric);
extern char *put_numeric_field(char *p, Datum numeric);
extern Datum get_numeric_field(StringInfo buf);
extern struct varlena *flat_value_of(Datum d);
extern char *hex_text(const char *data, Size len);
extern char *unhex_text(const char *text, Size *len, const char *type_name);

#endif							/* RETENTION_FLAT_IO_H */
