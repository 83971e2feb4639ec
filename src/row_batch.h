/*
 * row_batch.h
 *		Rows waiting for their hash table slots: the one batch with prefetch
 *		of the customer-keyed states (order_stats_state, cohort_state).
 *
 * Once a state's customers table outgrows the CPU caches, every row costs a
 * cache miss.  The transition function then only asks for the row's slot
 * (kt_prefetch) and parks the row in the batch; the batch is applied when it
 * is full, by which time its slots have arrived, so the memory latency of
 * many rows overlaps.  A key longer than 16 bytes lives outside its KeyEntry
 * (in the caller's per-row memory): its bytes are copied into the batch's own
 * arena.  Everything that reads a state's tables applies its batch first.
 *
 *		if (!row_batch_has_room(b, customer, order))
 *		{
 *			apply the batch;
 *			row_batch_make_room(b, budget, customer, order);
 *		}
 *		row = row_batch_push(b, customer, order, &customers, &orders);
 *		row->units = ...; row->period = ...;
 *		if (row_batch_full(b))
 *			apply the batch;
 */
#ifndef RETENTION_ROW_BATCH_H
#define RETENTION_ROW_BATCH_H

#include "keytable.h"

#define ROW_BATCH_SIZE 32

typedef struct BatchRow
{
	KeyEntry	customer;
	KeyEntry	order;			/* rows are order lines */
	int64		units;			/* what the state adds up (cohort_agg: the amount) */
	int32		period;			/* cohort_agg: the row's period */
} BatchRow;

typedef struct RowBatch
{
	int			n;
	BatchRow	rows[ROW_BATCH_SIZE];
	char	   *key_bytes;		/* copies of keys longer than 16 bytes */
	Size		key_bytes_used;
	Size		key_bytes_size;
} RowBatch;

extern RowBatch *row_batch_create(MemBudget *budget);
extern void row_batch_make_room(RowBatch *b, MemBudget *budget, const KeyEntry *customer,
								const KeyEntry *order);

static inline Size
long_key_bytes(const KeyEntry *customer, const KeyEntry *order)
{
	return (customer->len > KEY_INLINE_MAX ? customer->len : 0) +
		(order && order->len > KEY_INLINE_MAX ? order->len : 0);
}

static inline bool
row_batch_has_room(const RowBatch *b, const KeyEntry *customer, const KeyEntry *order)
{
	return long_key_bytes(customer, order) <= b->key_bytes_size - b->key_bytes_used;
}

static inline void
batch_copy_key(RowBatch *b, KeyEntry *k)
{
	char	   *dst = b->key_bytes + b->key_bytes_used;

	memcpy(dst, (const char *) (uintptr_t) k->w0, k->len);
	k->w0 = (uint64) (uintptr_t) dst;
	b->key_bytes_used += k->len;
}

/* Park a row (order NULL when rows are orders) and ask for its slots; fill in the rest. */
static inline BatchRow *
row_batch_push(RowBatch *b, const KeyEntry *customer, const KeyEntry *order,
			   const KeyTable *customers, const KeyTable *orders)
{
	BatchRow   *row = &b->rows[b->n++];

	row->customer = *customer;
	if (customer->len > KEY_INLINE_MAX)
		batch_copy_key(b, &row->customer);
	kt_prefetch(customers, &row->customer);
	if (order)
	{
		row->order = *order;
		if (order->len > KEY_INLINE_MAX)
			batch_copy_key(b, &row->order);
		kt_prefetch(orders, &row->order);
	}
	return row;
}

static inline bool
row_batch_full(const RowBatch *b)
{
	return b->n == ROW_BATCH_SIZE;
}

/* after the rows were applied */
static inline void
row_batch_clear(RowBatch *b)
{
	b->n = 0;
	b->key_bytes_used = 0;
}

#endif							/* RETENTION_ROW_BATCH_H */
