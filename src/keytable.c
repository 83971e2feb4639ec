/*
 * keytable.c
 *		Exact hash set of customer and order keys (see keytable.h).
 */
#include "keytable.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#define KT_INITIAL_SLOTS 8
#define KT_ARENA_MIN 1024
#define KT_ARENA_MAX (1024 * 1024)

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

void
kt_init(KeyTable *kt, MemBudget *budget)
{
	memset(kt, 0, sizeof(*kt));
	kt->budget = budget;
	kt->arena_block = KT_ARENA_MIN;
}

/* Build a probe for an int64 key. */
void
key_probe_int(KeyEntry *probe, int64 value)
{
	probe->w0 = (uint64) value;
	probe->w1 = 0;
	probe->len = sizeof(int64);
	probe->hash = (uint32) mix64((uint64) value);
	probe->payload = 0;
}

/*
 * Build a probe for a byte-string key.  Short keys are copied inline; a long
 * key's probe points at the caller's bytes until kt_insert copies them.
 */
void
key_probe_bytes(KeyEntry *probe, const char *data, uint32 len)
{
	probe->len = len;
	probe->payload = 0;
	if (len <= KEY_INLINE_MAX)
	{
		probe->w0 = 0;
		probe->w1 = 0;
		memcpy(&probe->w0, data, len);
		probe->hash = (uint32) mix64(probe->w0 ^ mix64(probe->w1 + len));
	}
	else
	{
		probe->w0 = (uint64) (uintptr_t) data;
		probe->w1 = 0;
		probe->hash = hash_bytes((const unsigned char *) data, (int) len);
	}
}

/* Which key class a SQL type maps to; any other type is refused with a hint. */
KeyClass
key_class_for_type(Oid typid, const char *what)
{
	switch (typid)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return KEY_INT;
		case UUIDOID:
			return KEY_UUID;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return KEY_BYTES;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s of type %s is not supported", what, format_type_be(typid)),
					 errhint("Use smallint, integer, bigint, text, varchar, char(n) or uuid, "
							 "for example %s::text.", what)));
	}
	return 0;					/* keep compiler quiet */
}

const char *
key_class_name(KeyClass cls)
{
	switch (cls)
	{
		case KEY_INT:
			return "integer";
		case KEY_UUID:
			return "uuid";
		case KEY_BYTES:
			return "text";
	}
	return "?";
}

/* Build a probe from a non-NULL SQL value of type typid (of class cls). */
void
key_probe_datum(KeyEntry *probe, KeyClass cls, Oid typid, Datum value)
{
	switch (typid)
	{
		case INT2OID:
			key_probe_int(probe, DatumGetInt16(value));
			return;
		case INT4OID:
			key_probe_int(probe, DatumGetInt32(value));
			return;
		case INT8OID:
			key_probe_int(probe, DatumGetInt64(value));
			return;
		case UUIDOID:
			key_probe_bytes(probe, (const char *) DatumGetUUIDP(value)->data, UUID_LEN);
			return;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			{
				struct varlena *v = (struct varlena *) DatumGetPointer(value);
				const char *data;
				uint32		len;

				if (VARATT_IS_EXTENDED(v))
					v = pg_detoast_datum_packed(v);
				data = VARDATA_ANY(v);
				len = VARSIZE_ANY_EXHDR(v);
				/* char(n) compares ignoring trailing spaces, so its key does too */
				if (typid == BPCHAROID)
					while (len > 0 && data[len - 1] == ' ')
						len--;
				key_probe_bytes(probe, data, len);
				return;
			}
		default:
			(void) key_class_for_type(typid, "key");
	}
	(void) cls;
}

static void
kt_grow_slots(KeyTable *kt)
{
	uint32		newsize = kt->nslots ? kt->nslots * 2 : KT_INITIAL_SLOTS;
	uint32		mask = newsize - 1;
	uint64	   *slots;
	uint32		i;

	if (newsize == 0 || newsize > (uint32) 1 << 31)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct keys in one retention aggregate state")));
	slots = budget_alloc(kt->budget, sizeof(uint64) * newsize);
	memset(slots, 0, sizeof(uint64) * newsize);
	for (i = 0; i < kt->nslots; i++)
	{
		uint64		s = kt->slots[i];
		uint32		pos;

		if (s == 0)
			continue;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pos = (uint32) (s >> 32) & mask;
		while (slots[pos] != 0)
			pos = (pos + 1) & mask;
		slots[pos] = s;
	}
	if (kt->slots)
		budget_free(kt->budget, kt->slots, sizeof(uint64) * kt->nslots);
	kt->slots = slots;
	kt->nslots = newsize;
}

static const char *
kt_store_long_key(KeyTable *kt, const char *data, uint32 len)
{
	char	   *dst;

	if (len > kt->arena_free)
	{
		Size		block = Max(kt->arena_block, (Size) len);

		kt->arena = budget_alloc(kt->budget, block);
		kt->arena_free = block;
		if (kt->arena_block < KT_ARENA_MAX)
			kt->arena_block *= 2;
	}
	dst = kt->arena;
	memcpy(dst, data, len);
	kt->arena += len;
	kt->arena_free -= len;
	return dst;
}

static inline bool
key_equal(const KeyEntry *a, const KeyEntry *b)
{
	if (a->len != b->len)
		return false;
	if (a->len <= KEY_INLINE_MAX)
		return a->w0 == b->w0 && a->w1 == b->w1;
	return memcmp((const void *) (uintptr_t) a->w0, (const void *) (uintptr_t) b->w0, a->len) == 0;
}

/*
 * Find the probe's key, or add it with the probe's payload.  Returns the
 * entry's index; *found says whether it was there already.
 */
uint32
kt_insert(KeyTable *kt, const KeyEntry *probe, bool *found)
{
	uint32		mask;
	uint32		pos;
	uint64		tag = (uint64) probe->hash << 32;
	uint32		index;
	KeyEntry   *e;

	/* keep the load factor at or below 3/4 */
	if ((uint64) (kt->nentries + 1) * 4 > (uint64) kt->nslots * 3)
		kt_grow_slots(kt);

	mask = kt->nslots - 1;
	pos = probe->hash & mask;
	for (;;)
	{
		uint64		s = kt->slots[pos];

		if (s == 0)
			break;
		if ((s & UINT64CONST(0xFFFFFFFF00000000)) == tag)
		{
			index = (uint32) (s & 0xFFFFFFFF) - 1;
			if (key_equal(kt_entry(kt, index), probe))
			{
				*found = true;
				return index;
			}
		}
		pos = (pos + 1) & mask;
	}

	/* not found: append an entry */
	index = kt->nentries;
	if (index == PG_UINT32_MAX - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct keys in one retention aggregate state")));
	{
		uint32		biased = index + (1U << KT_FIRST_CHUNK_SHIFT);
		int			chunk = pg_leftmost_one_pos32(biased) - KT_FIRST_CHUNK_SHIFT;

		if (kt->chunks[chunk] == NULL)
			kt->chunks[chunk] = budget_alloc(kt->budget,
											 sizeof(KeyEntry) << (chunk + KT_FIRST_CHUNK_SHIFT));
	}
	e = kt_entry(kt, index);
	*e = *probe;
	if (probe->len > KEY_INLINE_MAX)
		e->w0 = (uint64) (uintptr_t) kt_store_long_key(kt, (const char *) (uintptr_t) probe->w0, probe->len);
	kt->slots[pos] = tag | (uint64) (index + 1);
	kt->nentries++;
	kt->key_bytes += probe->len;
	*found = false;
	return index;
}
