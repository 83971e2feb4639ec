/*
 * rfm_agg_read.c
 *		Reading the flat form of rfm_agg_state (rfm_agg_state.h): every field
 *		checked before it is used.  rfm_table, the merge of a flat state and
 *		the runs of a parallel plan read it through these; and whether a
 *		value's kinds are those of a state.  Also the header's writer, which
 *		every writer of the flat form shares.
 */
#include "rfm_agg_state.h"

#include "flat_io.h"

#include "catalog/pg_type_d.h"
#include "utils/builtins.h"

static void corrupt(const char *what) pg_attribute_noreturn();

/*
 * Write the flat form's header of state s at p, with these row counts,
 * up to the customers' count (the caller's, written last); returns its place.
 */
char *
rfm_agg_put_header(char *p, const RfmAggState *s, int64 ignored_rows, int64 rows, bool hash_order)
{
	Size		tzlen = strlen(s->tz);

	p = put_u8(p, RFM_AGG_STATE_VERSION);
	p = put_u8(p, s->c.time_kind);
	p = put_u8(p, s->c.customer_class);
	p = put_u8(p, s->c.flags | (hash_order ? RFM_AGG_HASH_ORDER : 0));
	p = put_u32(p, s->customer_type);
	p = put_u8(p, (uint8) tzlen);
	p = put_bytes(p, s->tz, tzlen);
	p = put_u64(p, (uint64) ignored_rows);
	p = put_u64(p, (uint64) rows);
	return p;
}

static void
corrupt(const char *what)
{
	flat_corrupt(psprintf("rfm_agg_state: %s", what));
}

static bool
customer_type_fits(Oid type, KeyClass cls)
{
	switch (type)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return cls == KEY_INT;
		case UUIDOID:
			return cls == KEY_UUID;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return cls == KEY_BYTES;
	}
	return false;
}

void
rfm_agg_read_header(StringInfo buf, RfmAggHeader *h)
{
	uint8		version = get_u8(buf);
	uint8		tzlen;
	const char *tz;

	if (version != RFM_AGG_STATE_VERSION)
		corrupt(psprintf("unknown format version %u", version));
	h->time_kind = get_u8(buf);
	h->customer_class = get_u8(buf);
	h->grain = get_u8(buf);
	h->hash_order = (h->grain & RFM_AGG_HASH_ORDER) != 0;
	h->grain &= ~RFM_AGG_HASH_ORDER;
	h->nread = 0;
	h->customer_type = get_u32(buf);
	if (h->time_kind < TIME_TIMESTAMPTZ || h->time_kind > TIME_DATE ||
		h->customer_class < KEY_INT || h->customer_class > KEY_BYTES ||
		h->grain < 1 || h->grain > RFM_UNIT_MAX ||
		!customer_type_fits(h->customer_type, h->customer_class))
		corrupt("unknown time, key or unit kind");
	tzlen = get_u8(buf);
	tz = get_bytes(buf, tzlen);
	if ((h->time_kind == TIME_TIMESTAMPTZ) != (tzlen > 0))
		corrupt("invalid TimeZone name");
	for (int i = 0; i < tzlen; i++)
		if (tz[i] < 0x21 || tz[i] > 0x7e)
			corrupt("invalid TimeZone name");	/* zone names are printable ASCII */
	memcpy(h->tz, tz, tzlen);
	h->tz[tzlen] = '\0';
	h->ignored_rows = (int64) get_u64(buf);
	h->rows = (int64) get_u64(buf);
	h->ncustomers = get_u32(buf);
	if (h->ignored_rows < 0 || h->rows < 0 || (int64) h->ncustomers > h->rows)
		corrupt("invalid counts");
	/* each customer takes at least its fixed key part, a count and one cell */
	if ((uint64) h->ncustomers * (key_flat_size(h->customer_class) + 4 + RFM_AGG_CELL_MIN) >
		(uint64) (buf->len - buf->cursor))
		corrupt("customer count exceeds the value's size");
}

/*
 * Reads a customer's key into *key and returns its number of periods (at
 * least one, and no more than the rows left, as each period takes a row).
 */
uint32
rfm_agg_read_customer(StringInfo buf, RfmAggHeader *h, KeyEntry *key, uint64 *rows_left)
{
	key_read(buf, h->customer_class, key);
	return rfm_agg_read_count(buf, h, key, rows_left);
}

/*
 * The same after the key (read by the caller): checks the key, and its hash
 * order when the value says so, and reads the number of periods.
 */
uint32
rfm_agg_read_count(StringInfo buf, RfmAggHeader *h, const KeyEntry *key, uint64 *rows_left)
{
	uint32		n;

	if (h->hash_order)
	{
		uint32		hash = entry_hash(key);

		if (h->nread++ > 0 && hash < h->last_hash)
			corrupt("customers out of hash order");
		h->last_hash = hash;
	}
	if (h->customer_class == KEY_INT &&
		((h->customer_type == INT2OID && (int64) key->w0 != (int16) key->w0) ||
		 (h->customer_type == INT4OID && (int64) key->w0 != (int32) key->w0)))
		corrupt("customer key out of range of its type");
	n = get_u32(buf);
	if (n == 0 || n > *rows_left || (uint64) n * RFM_AGG_CELL_MIN > (uint64) (buf->len - buf->cursor))
		corrupt("invalid period count");
	*rows_left -= n;
	return n;
}

/*
 * Reads a cell (after prev unless first): its period into cell->period, its
 * sum into cell (fast) or into *slow (cell->slow 1, *slow initialized here).
 */
void
rfm_agg_read_cell(StringInfo buf, const RfmAggHeader *h, int64 prev, bool first, RfmCell *cell,
				  MoneySum *slow)
{
	uint8		form;

	cell->period = (int64) get_u64(buf);
	if (!first && cell->period <= prev)
		corrupt("periods are not ascending");
	if (!rfm_period_is_valid(h->grain, h->time_kind, cell->period))
		corrupt("invalid period");
	form = get_u8(buf);
	cell->pad = 0;
	if (form == 0)
	{
		const char *d = get_bytes(buf, 2);

		cell->slow = 0;
		cell->dscale = (uint16) ((uint8) d[0] | ((uint8) d[1] << 8));
		cell->units = (int64) get_u64(buf);
		if (cell->dscale > MONEY_DSCALE_MAX || !rfm_units_fit_scale(cell->units, cell->dscale))
			corrupt("invalid amount sum");
	}
	else if (form == 1)
	{
		cell->slow = 1;
		cell->units = 0;
		cell->dscale = 0;
		money_init(slow, CurrentMemoryContext);
		money_read(slow, buf);
		if (slow->count < 1)
			corrupt("invalid amount sum");
	}
	else
		corrupt("invalid amount form");
}

/* A state's kinds against another's, or a flat value's. */
void
rfm_agg_check_compatible(const RfmAggState *dst, TimeKind time_kind, KeyClass customer_class,
						 uint8 grain, Oid customer_type, const char *tz)
{
	if (dst->c.time_kind != time_kind || dst->c.customer_class != customer_class ||
		dst->customer_type != customer_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine rfm_agg states of different kinds"),
				 errdetail("One state has %s customers and %s times, the other %s and %s.",
						   format_type_be(dst->customer_type), time_kind_name(dst->c.time_kind),
						   format_type_be(customer_type), time_kind_name(time_kind))));
	if (dst->c.flags != grain)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm_agg states of units %s and %s",
						rfm_unit_name(dst->c.flags), rfm_unit_name(grain)),
				 errhint("Pass the same unit to every rfm_agg of the states.")));
	if (strcmp(dst->tz, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm_agg states made in time zones %s and %s",
						dst->tz, tz),
				 errhint("Make every state with the same TimeZone setting.")));
}
