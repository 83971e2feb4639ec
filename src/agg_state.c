/*
 * agg_state.c
 *		Expanded transition states: update in place, combine, SQL type I/O
 *		(see agg_state.h).
 */
#include "agg_state.h"

#include "flat_io.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

/*
 * Where the states of one aggregate context live.
 *
 * A state is an expanded object, and nodeAgg keeps a read-write one as it is
 * only when its memory context is a child of the aggregate context.  Giving
 * each state a context of its own (1.6 and before) made GROUP BY quadratic
 * under HashAggregate: hash aggregation adds up the memory of the whole
 * context tree under the aggregate context for every new group, and there
 * was one context per group.  So the states of an aggregate context share
 * one child context instead, their "home": a small group's state costs its
 * own bytes, and the tree stays two contexts deep however many groups there
 * are.  No state in a home is ever deleted alone (our transition and combine
 * functions return the state they were given, so nodeAgg has nothing to
 * free); the home goes when the aggregate context is reset or deleted.
 *
 * The home is found again through a one-entry cache, cleared by a reset
 * callback on the aggregate context, else by its name among the aggregate
 * context's children (several aggregate contexts alternate under grouping
 * sets).
 */
static const char state_home_name[] = "retention states";

static MemoryContext cached_aggcxt = NULL;
static MemoryContext cached_home = NULL;

static void
forget_home(void *arg)
{
	if (cached_aggcxt == (MemoryContext) arg)
		cached_aggcxt = cached_home = NULL;
}

static MemoryContext
state_home(MemoryContext aggcxt)
{
	MemoryContext home;

	if (aggcxt == cached_aggcxt)
		return cached_home;
	for (home = aggcxt->firstchild; home != NULL; home = home->nextchild)
		if (home->name == state_home_name)
			break;
	if (home == NULL)
	{
		MemoryContextCallback *cb = MemoryContextAlloc(aggcxt, sizeof(MemoryContextCallback));

		/* (the name is our constant, which the macro form cannot tell) */
		home = AllocSetContextCreateInternal(aggcxt, state_home_name, ALLOCSET_DEFAULT_SIZES);
		cb->func = forget_home;
		cb->arg = aggcxt;
		MemoryContextRegisterResetCallback(aggcxt, cb);
	}
	cached_aggcxt = aggcxt;
	cached_home = home;
	return home;
}

/*
 * The memory context to pass as the parent of a new state: the aggregate
 * context's home when called as an aggregate, else the caller's context.
 */
MemoryContext
agg_memory_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	/* called directly (not as an aggregate) a state lives in the caller's context */
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		return CurrentMemoryContext;
	return state_home(aggcxt);
}

/*
 * The memory context a new state allocates in and names in its header: the
 * home itself when parent is a home, else a new context of its own under
 * parent (a state read outside an aggregate, deleted on its own).
 */
MemoryContext
state_memory_context(MemoryContext parent, const char *name)
{
	if (parent->name == state_home_name)
		return parent;
	/* small sizes: such states are often one customer's */
	return AllocSetContextCreateInternal(parent, name, ALLOCSET_SMALL_SIZES);
}

static bool
is_our_object(const StateKind *kind, Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == kind->methods;
}

/* A private, read-write copy of any state value, under parent. */
ExpandedObjectHeader *
state_copy(const StateKind *kind, Datum d, MemoryContext parent)
{
	struct varlena *v;

	if (is_our_object(kind, d))
	{
		if (kind->settle)
			kind->settle(DatumGetEOHP(d));
		return kind->copy(DatumGetEOHP(d), parent);
	}
	v = PG_DETOAST_DATUM(d);
	return kind->from_flat(VARDATA(v), VARSIZE(v) - VARHDRSZ, parent);
}

/*
 * The state to update in place: the argument itself when it is our
 * read-write object living in parent (the aggregate's home, the usual case
 * from the second row on) or in a context of its own under parent, else a
 * copy made there.
 */
ExpandedObjectHeader *
state_get_rw(const StateKind *kind, Datum d, MemoryContext parent)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) && is_our_object(kind, d))
	{
		MemoryContext cxt = DatumGetEOHP(d)->eoh_context;

		if (cxt == parent || MemoryContextGetParent(cxt) == parent)
		{
			if (kind->settle)
				kind->settle(DatumGetEOHP(d));
			return DatumGetEOHP(d);
		}
	}
	return state_copy(kind, d, parent);
}

/* A state to read: the object itself if expanded, else one read from the flat bytes. */
ExpandedObjectHeader *
state_view(const StateKind *kind, Datum d)
{
	if (is_our_object(kind, d))
	{
		if (kind->settle)
			kind->settle(DatumGetEOHP(d));
		return DatumGetEOHP(d);
	}
	return state_copy(kind, d, CurrentMemoryContext);
}

void
state_merge_datum(const StateKind *kind, ExpandedObjectHeader *dst, Datum src)
{
	struct varlena *v;
	StringInfoData buf;

	if (is_our_object(kind, src))
	{
		if (kind->settle)
			kind->settle(DatumGetEOHP(src));
		kind->merge(dst, DatumGetEOHP(src));
		return;
	}
	v = PG_DETOAST_DATUM(src);
	flat_reader_init(&buf, VARDATA(v), VARSIZE(v) - VARHDRSZ);
	kind->merge_flat(dst, &buf, false);
	if ((Pointer) v != DatumGetPointer(src))
		pfree(v);
}

/*
 * The combine function.  Either state may be NULL (an idle parallel worker),
 * flat (sent by a worker) or expanded.  The result is always a state owned
 * by the aggregate context; the second argument is never returned as is.
 */
Datum
state_combine(const StateKind *kind, FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt = agg_memory_context(fcinfo);
	ExpandedObjectHeader *dst;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(EOHPGetRWDatum(state_copy(kind, PG_GETARG_DATUM(1), aggcxt)));
	dst = state_get_rw(kind, PG_GETARG_DATUM(0), aggcxt);
	state_merge_datum(kind, dst, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(dst));
}

/*
 * Scratch memory for the expanded-object methods (get_flat_size, flatten_into).
 * They run in whatever memory context their caller is in, and since
 * PostgreSQL 17 tuplesort calls them in a bump context (a sort of partial
 * states, as under Gather Merge), where pfree and repalloc are errors ("pfree
 * called with invalid pointer").  Their temporaries go to a context of their
 * own instead, a child of the object's, deleted at the end (with everything
 * left in it).
 */
MemoryContext
state_scratch_begin(ExpandedObjectHeader *eohptr)
{
	MemoryContext scratch = AllocSetContextCreate(eohptr->eoh_context, "retention flatten scratch",
												  ALLOCSET_DEFAULT_SIZES);

	return MemoryContextSwitchTo(scratch);
}

void
state_scratch_end(MemoryContext old)
{
	MemoryContextDelete(MemoryContextSwitchTo(old));
}

/* ---- the SQL types: hex text, raw binary, validated on the way in ---- */

static Datum
validated_flat_datum(const StateKind *kind, const char *data, Size len)
{
	struct varlena *result;

	budget_check_flat_size(len + VARHDRSZ);
	/* reading it into a throwaway state checks every invariant */
	DeleteExpandedObject(EOHPGetRWDatum(kind->from_flat(data, len, CurrentMemoryContext)));
	result = palloc_extended(len + VARHDRSZ, MCXT_ALLOC_HUGE);
	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), data, len);
	return PointerGetDatum(result);
}

Datum
state_type_in(const StateKind *kind, FunctionCallInfo fcinfo)
{
	Size		len;
	char	   *bytes = unhex_text(PG_GETARG_CSTRING(0), &len, kind->type_name);

	PG_RETURN_DATUM(validated_flat_datum(kind, bytes, len));
}

Datum
state_type_out(FunctionCallInfo fcinfo)
{
	struct varlena *v = flat_value_of(PG_GETARG_DATUM(0));

	PG_RETURN_CSTRING(hex_text(VARDATA(v), VARSIZE(v) - VARHDRSZ));
}

Datum
state_type_recv(const StateKind *kind, FunctionCallInfo fcinfo)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Size		len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);

	PG_RETURN_DATUM(validated_flat_datum(kind, data, len));
}

Datum
state_type_send(FunctionCallInfo fcinfo)
{
	struct varlena *v = flat_value_of(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA(v), VARSIZE(v) - VARHDRSZ);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
