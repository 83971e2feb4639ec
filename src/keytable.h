/*
 * keytable.h
 *		Exact hash set of keys (customers, orders) with a 64-bit payload each.
 *
 * Open addressing with linear probing; the 32-byte entries live in the slot
 * array itself, so finding a key costs one cache miss on large tables (the
 * aggregates are bound by that miss).  Keys are compared exactly: short keys
 * (integers, uuids, text up to 16 bytes) sit in the entry, longer ones in an
 * arena with their hash beside the pointer.  Every entry also gets an
 * ordinal (0, 1, 2, ... in insertion order) that does not change when the
 * table grows, so one table can refer to another's entries.
 */
#ifndef RETENTION_KEYTABLE_H
#define RETENTION_KEYTABLE_H

#include "retention.h"

#include "lib/stringinfo.h"

/* How keys of one table are encoded; fixed per table. */
typedef enum KeyClass
{
	KEY_INT = 1,				/* int2/int4/int8 widened to int64 */
	KEY_UUID = 2,				/* 16 bytes */
	KEY_BYTES = 3				/* text, varchar, bpchar (trailing spaces removed) */
} KeyClass;

#define KEY_INLINE_MAX 16
#define KEY_EMPTY PG_UINT32_MAX	/* len of a free slot */

typedef struct KeyEntry
{
	uint64		w0;				/* key bytes; for len > 16 a pointer to them */
	uint64		w1;				/* key bytes; for len > 16 the key's hash */
	uint32		len;			/* key length in bytes, KEY_EMPTY for a free slot */
	uint32		ordinal;		/* insertion number, stable */
	uint64		payload;		/* owner-defined */
} KeyEntry;

typedef struct KeyTable
{
	MemBudget  *budget;
	KeyEntry   *slots;			/* nslots entries, a power of two */
	KeyEntry   *last;			/* the entry kt_insert returned last, or NULL */
	uint32		nslots;
	uint32		nentries;
	uint64		key_bytes;		/* sum of key lengths (flat size is known in O(1)) */
	char	   *arena;			/* free space for long keys */
	Size		arena_free;
	Size		arena_block;	/* size of the next arena block */
} KeyTable;

extern void kt_init(KeyTable *kt, MemBudget *budget);
extern KeyEntry *kt_insert_slow(KeyTable *kt, const KeyEntry *probe, bool *found);
extern KeyEntry **kt_by_ordinal(const KeyTable *kt);
extern KeyClass key_class_for_type(Oid typid, const char *what);
extern void key_probe_datum(KeyEntry *probe, Oid typid, Datum value);
extern void key_probe_bytes(KeyEntry *probe, const char *data, uint32 len);
extern void key_probe_int(KeyEntry *probe, int64 value);
extern const char *key_class_name(KeyClass cls);
extern Size key_flat_size(KeyClass cls);
extern char *key_put(char *p, KeyClass cls, const KeyEntry *e);
extern void key_read(StringInfo buf, KeyClass cls, KeyEntry *probe);

static inline const char *
key_data(const KeyEntry *e)
{
	return e->len > KEY_INLINE_MAX ? (const char *) (uintptr_t) e->w0 : (const char *) &e->w0;
}

static inline uint64
mix64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static inline uint32
inline_key_hash(uint64 w0, uint64 w1, uint32 len)
{
	return (uint32) mix64(w0 ^ mix64(w1 + len));
}

/* The hash of an entry's key: computed for inline keys, kept in w1 for long ones. */
static inline uint32
entry_hash(const KeyEntry *e)
{
	return e->len > KEY_INLINE_MAX ? (uint32) e->w1 : inline_key_hash(e->w0, e->w1, e->len);
}

/*
 * From this many slots on a table no longer fits the CPU caches: callers then
 * prefetch a row's slot and apply the row a few rows later.
 */
#define KT_PREFETCH_FROM_SLOTS (1 << 16)

/* Start loading the slot where the probe's search begins (see order_stats_state.c). */
static inline void
kt_prefetch(const KeyTable *kt, const KeyEntry *probe)
{
	if (kt->nslots > 0)
		__builtin_prefetch(&kt->slots[entry_hash(probe) & (kt->nslots - 1)], 1);
}

static inline bool
key_equal(const KeyEntry *a, const KeyEntry *b)
{
	if (a->len != b->len || a->w1 != b->w1)
		return false;
	if (a->len <= KEY_INLINE_MAX)
		return a->w0 == b->w0;
	return memcmp((const void *) (uintptr_t) a->w0, (const void *) (uintptr_t) b->w0, a->len) == 0;
}

/* The entry of the probe's key, or NULL; nothing is added. */
static inline KeyEntry *
kt_find(const KeyTable *kt, const KeyEntry *probe)
{
	uint32		mask = kt->nslots - 1;
	uint32		pos;

	if (kt->nslots == 0)
		return NULL;
	for (pos = entry_hash(probe) & mask;; pos = (pos + 1) & mask)
	{
		KeyEntry   *e = &kt->slots[pos];

		if (e->len == KEY_EMPTY)
			return NULL;
		if (key_equal(e, probe))
			return e;
	}
}

/*
 * Find the probe's key, or add it with the probe's payload (and the next
 * ordinal).  The returned pointer is valid until the next insert; *found says
 * whether the key was there already.  Rows often repeat the previous row's key
 * (the lines of one order, a table clustered by customer): that case is
 * answered from the last entry, without touching the slots.
 */
static inline KeyEntry *
kt_insert(KeyTable *kt, const KeyEntry *probe, bool *found)
{
	if (kt->last != NULL && key_equal(kt->last, probe))
	{
		*found = true;
		return kt->last;
	}
	return kt_insert_slow(kt, probe, found);
}

/*
 * for (e = kt_first(kt); e; e = kt_next(kt, e)): every entry, in slot order.
 * Slot order is hash order: to insert entries into another table, walk them
 * in ordinal order instead (kt_by_ordinal), or linear probing piles them up.
 */
static inline KeyEntry *
kt_next(const KeyTable *kt, KeyEntry *e)
{
	KeyEntry   *end = kt->slots + kt->nslots;

	for (e++; e < end; e++)
		if (e->len != KEY_EMPTY)
			return e;
	return NULL;
}

static inline KeyEntry *
kt_first(const KeyTable *kt)
{
	return kt->slots ? kt_next(kt, kt->slots - 1) : NULL;
}

#endif							/* RETENTION_KEYTABLE_H */
