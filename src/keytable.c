/*
 * keytable.c
 *		Exact hash set of customer and order keys (see keytable.h).
 */
#include "keytable.h"

#include "flat_io.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#define KT_INITIAL_SLOTS 2
#define KT_ARENA_MIN 1024
#define KT_ARENA_MAX (1024 * 1024)

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
	probe->ordinal = 0;
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
	probe->ordinal = 0;
	probe->payload = 0;
	if (len <= KEY_INLINE_MAX)
	{
		probe->w0 = 0;
		probe->w1 = 0;
		memcpy(&probe->w0, data, len);
	}
	else
	{
		probe->w0 = (uint64) (uintptr_t) data;
		probe->w1 = hash_bytes((const unsigned char *) data, (int) len);
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

/* Build a probe from a non-NULL SQL value of type typid. */
void
key_probe_datum(KeyEntry *probe, Oid typid, Datum value)
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
}

static KeyEntry *
alloc_slots(KeyTable *kt, uint32 n)
{
	KeyEntry   *slots = budget_alloc(kt->budget, sizeof(KeyEntry) * (Size) n);

	for (uint32 i = 0; i < n; i++)
		slots[i].len = KEY_EMPTY;
	return slots;
}

static void
kt_grow(KeyTable *kt)
{
	uint32		newsize = kt->nslots ? kt->nslots * 2 : KT_INITIAL_SLOTS;
	uint32		mask = newsize - 1;
	KeyEntry   *slots;

	if (newsize == 0 || newsize > (uint32) 1 << 31)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct keys in one retention aggregate state")));
	slots = alloc_slots(kt, newsize);
	for (uint32 i = 0; i < kt->nslots; i++)
	{
		KeyEntry   *e = &kt->slots[i];
		uint32		pos;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->len == KEY_EMPTY)
			continue;
		pos = entry_hash(e) & mask;
		while (slots[pos].len != KEY_EMPTY)
			pos = (pos + 1) & mask;
		slots[pos] = *e;
	}
	if (kt->slots)
		budget_free(kt->budget, kt->slots, sizeof(KeyEntry) * (Size) kt->nslots);
	kt->slots = slots;
	kt->nslots = newsize;
	kt->last = NULL;			/* it pointed into the old slots */
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

/* The entries in ordinal (insertion) order: an array of nentries pointers, palloc'd. */
KeyEntry  **
kt_by_ordinal(const KeyTable *kt)
{
	KeyEntry  **by_ordinal = palloc_extended(sizeof(KeyEntry *) * Max(kt->nentries, 1),
											 MCXT_ALLOC_HUGE);

	for (KeyEntry *e = kt_first(kt); e; e = kt_next(kt, e))
		by_ordinal[e->ordinal] = e;
	return by_ordinal;
}

/* kt_insert (keytable.h) when the key is not the last one seen */
KeyEntry *
kt_insert_slow(KeyTable *kt, const KeyEntry *probe, bool *found)
{
	uint32		mask;
	uint32		pos;
	KeyEntry   *e;

	/*
	 * Keep the load factor at or below 3/4; a key that is there already needs
	 * no room (a state that stopped admitting keys, state_spill.h, stays at
	 * the threshold and still updates its keys)
	 */
	if ((uint64) (kt->nentries + 1) * 4 > (uint64) kt->nslots * 3)
	{
		e = kt_find(kt, probe);
		if (e)
		{
			*found = true;
			kt->last = e;
			return e;
		}
		kt_grow(kt);
	}

	mask = kt->nslots - 1;
	pos = entry_hash(probe) & mask;
	for (;;)
	{
		e = &kt->slots[pos];
		if (e->len == KEY_EMPTY)
			break;
		if (key_equal(e, probe))
		{
			*found = true;
			kt->last = e;
			return e;
		}
		pos = (pos + 1) & mask;
	}

	/* not found: fill the free slot */
	if (kt->nentries == PG_UINT32_MAX - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct keys in one retention aggregate state")));
	*e = *probe;
	if (probe->len > KEY_INLINE_MAX)
		e->w0 = (uint64) (uintptr_t) kt_store_long_key(kt, (const char *) (uintptr_t) probe->w0, probe->len);
	e->ordinal = kt->nentries++;
	kt->key_bytes += probe->len;
	*found = false;
	kt->last = e;
	return e;
}

/* ---- keys in flat forms ------------------------------------------------ */

/* Bytes of a key in a flat form, not counting a text key's own bytes. */
Size
key_flat_size(KeyClass cls)
{
	return cls == KEY_INT ? 8 : cls == KEY_UUID ? 16 : 4;
}

/* An integer as 8 bytes, a uuid as 16, text as its length (4 bytes) and bytes. */
char *
key_put(char *p, KeyClass cls, const KeyEntry *e)
{
	if (cls == KEY_INT)
		return put_u64(p, e->w0);
	if (cls == KEY_UUID)
		return put_bytes(p, key_data(e), 16);
	p = put_u32(p, e->len);
	return put_bytes(p, key_data(e), e->len);
}

void
key_read(StringInfo buf, KeyClass cls, KeyEntry *probe)
{
	if (cls == KEY_INT)
		key_probe_int(probe, (int64) get_u64(buf));
	else if (cls == KEY_UUID)
		key_probe_bytes(probe, get_bytes(buf, 16), 16);
	else
	{
		uint32		len = get_u32(buf);

		key_probe_bytes(probe, get_bytes(buf, len), len);
	}
}
