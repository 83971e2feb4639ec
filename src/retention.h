/*
 * retention.h
 *		Declarations shared by the retention extension's C files.
 */
#ifndef RETENTION_H
#define RETENTION_H

#include "compat.h"

#include "fmgr.h"

/* retention.max_state_memory, in kB (see retention.c). */
extern int	retention_max_state_memory;

/*
 * MemBudget: every large allocation of an aggregate state goes through here,
 * so that the state's size is known and bounded by retention.max_state_memory.
 * Exceeding it is an ERROR (SQLSTATE 54000) naming the setting, raised before
 * the allocation is attempted.
 */
typedef struct MemBudget
{
	MemoryContext cxt;			/* where the state's memory lives */
	Size		used;			/* bytes handed out through this budget */
} MemBudget;

extern void *budget_alloc(MemBudget *budget, Size size);
extern void budget_free(MemBudget *budget, void *ptr, Size size);
extern void budget_check_flat_size(Size size);

/* How a timestamp-like input was given; values are kept as int64 microseconds. */
typedef enum TimeKind
{
	TIME_TIMESTAMPTZ = 1,		/* UTC microseconds since 2000-01-01 */
	TIME_TIMESTAMP = 2,			/* wall-clock microseconds since 2000-01-01 */
	TIME_DATE = 3				/* midnight of the date, as TIME_TIMESTAMP */
} TimeKind;

extern int64 time_datum_to_micros(Datum value, TimeKind kind);
extern int64 finite_event_time(Datum value, TimeKind kind, const char *agg_name);
extern Datum time_micros_to_tstz(int64 t, TimeKind kind);
extern const char *time_kind_name(TimeKind kind);

/*
 * A C entry point name(PG_FUNCTION_ARGS) that returns impl(fcinfo, arg): for
 * the SQL functions that differ only in a constant (the time type of a
 * transition function, the model of a fit).
 */
#define RETENTION_ENTRY_POINT(name, impl, arg) \
	PG_FUNCTION_INFO_V1(name); \
	Datum \
	name(PG_FUNCTION_ARGS) \
	{ \
		return impl(fcinfo, (arg)); \
	}

#endif							/* RETENTION_H */
