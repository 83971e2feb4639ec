/*
 * keytable.h
 *		Exact hash set of keys (customers, orders) with a 64-bit payload each.
 *
 * Entries live in a dense, append-only array addressed by a stable index
 * (0, 1, 2, ... in insertion order), so one table can refer to another's
 * entries by index.  The hash index is a separate open-addressing array of
 * 8-byte slots (32-bit hash, entry index + 1), probed linearly.  Keys are
 * compared exactly: a hash only picks the slot, equality always looks at the
 * key bytes.
 */
#ifndef RETENTION_KEYTABLE_H
#define RETENTION_KEYTABLE_H

#include "retention.h"

#include "port/pg_bitutils.h"

/* How keys of one table are encoded; fixed per table. */
typedef enum KeyClass
{
	KEY_INT = 1,				/* int2/int4/int8 widened to int64 */
	KEY_UUID = 2,				/* 16 bytes */
	KEY_BYTES = 3				/* text, varchar, bpchar (trailing spaces removed) */
} KeyClass;

#define KEY_INLINE_MAX 16

typedef struct KeyEntry
{
	uint64		w0;				/* key bytes, or a pointer to them when len > 16 */
	uint64		w1;
	uint32		len;			/* key length in bytes */
	uint32		hash;
	uint64		payload;		/* owner-defined */
} KeyEntry;

#define KT_FIRST_CHUNK_SHIFT 3	/* the first chunk holds 8 entries, each next twice more */
#define KT_MAX_CHUNKS 29

typedef struct KeyTable
{
	MemBudget  *budget;
	uint64	   *slots;			/* 0 = empty, else (hash << 32) | (index + 1) */
	uint32		nslots;			/* power of two */
	uint32		nentries;
	uint64		key_bytes;		/* sum of key lengths (flat size is known in O(1)) */
	KeyEntry   *chunks[KT_MAX_CHUNKS];
	char	   *arena;			/* free space for long keys */
	Size		arena_free;
	Size		arena_block;	/* size of the next arena block */
} KeyTable;

extern void kt_init(KeyTable *kt, MemBudget *budget);
extern uint32 kt_insert(KeyTable *kt, const KeyEntry *probe, bool *found);
extern KeyClass key_class_for_type(Oid typid, const char *what);
extern void key_probe_datum(KeyEntry *probe, KeyClass cls, Oid typid, Datum value);
extern void key_probe_bytes(KeyEntry *probe, const char *data, uint32 len);
extern void key_probe_int(KeyEntry *probe, int64 value);
extern const char *key_class_name(KeyClass cls);

static inline KeyEntry *
kt_entry(const KeyTable *kt, uint32 index)
{
	uint32		biased = index + (1U << KT_FIRST_CHUNK_SHIFT);
	int			chunk = pg_leftmost_one_pos32(biased) - KT_FIRST_CHUNK_SHIFT;
	uint32		offset = biased - (1U << (chunk + KT_FIRST_CHUNK_SHIFT));

	return &kt->chunks[chunk][offset];
}

static inline const char *
key_data(const KeyEntry *e)
{
	return e->len > KEY_INLINE_MAX ? (const char *) (uintptr_t) e->w0 : (const char *) &e->w0;
}

#endif							/* RETENTION_KEYTABLE_H */
