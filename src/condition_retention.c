/*
 * condition_retention.c
 *		ClickHouse's retention(cond1, cond2, ...) aggregate (as also found in
 *		Doris and StarRocks), for any number of boolean conditions.
 *
 * Per group, with n conditions, the result is a boolean[] of n elements:
 *
 *   result[1] = some row of the group had cond1 true
 *   result[k] = (some row had cond1 true) AND (some row had condk true), k > 1
 *
 * The rows need not be the same: "visited on day 1" and "visited on day k"
 * are usually different rows of one user.  The aggregate is declared
 * retention(VARIADIC boolean[]), so retention(a, b, c) passes one array of 3
 * conditions per row; there is no cap on the number of conditions.
 *
 * Rules:
 *   - A row whose condition array is NULL (VARIADIC NULL), or whose array
 *     holds a NULL condition, is ignored (ClickHouse skips a row with a NULL
 *     argument).  A row of the second kind still fixes and checks n.
 *   - Every row of a group must give the same number of conditions; zero
 *     conditions, or a multi-dimensional array, is an error (22023).
 *   - Empty result: the group had no row with a non-NULL condition array, so
 *     the number of conditions is unknown: the result is NULL (as bool_or()
 *     of no rows).  If rows were seen but all had a NULL condition, n is known
 *     and the result is n times false.
 *
 * The transition state is a bytea, not internal, so that Citus 13.2 can push
 * the aggregate down (it needs a non-pseudo state type and a combine
 * function); it is small and flat, so no serialize functions are needed:
 *
 *   varlena header | uint8 version | 3 zero bytes | uint32 n | ceil(n/8) bytes
 *
 * with n in network byte order (as pq_sendint32 writes it), so that a state
 * means the same on every machine.   *
 * Bit i (byte i / 8, bit i % 8) is set when some counted row had condition
 * i + 1 true; bits past n are zero.  Called as an aggregate, the transition
 * and combine functions update their first argument in place and return the
 * same pointer, so nodeAgg copies nothing.  A state they create (or unpack
 * from a short header) is built in the per-call context instead of the
 * aggregate context: a by-reference state returned under a new pointer is
 * always copied into the aggregate context by nodeAgg, once per group, and a
 * first copy there would only be left behind.  The support functions can also
 * be called directly with any bytea: every state is validated (22P03) before
 * use, and the arguments are then never modified.
 */
#include "retention.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(retention_cond_trans);
PG_FUNCTION_INFO_V1(retention_cond_combine);
PG_FUNCTION_INFO_V1(retention_cond_final);

#define COND_STATE_VERSION 1

typedef struct CondState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* COND_STATE_VERSION */
	uint8		reserved[3];	/* zero */
	uint32		nconds_net;		/* number of conditions, >= 1, big-endian */
	uint8		seen[FLEXIBLE_ARRAY_MEMBER];	/* one bit per condition */
} CondState;

#define COND_STATE_HDRSZ offsetof(CondState, seen)
#define COND_MASK_BYTES(n) (((Size) (n) + 7) / 8)
#define COND_STATE_SIZE(n) (COND_STATE_HDRSZ + COND_MASK_BYTES(n))

/* The number of conditions of a well-formed, aligned state. */
static inline int32
cond_state_n(const CondState *s)
{
	return (int32) pg_ntoh32(s->nconds_net);
}

/*
 * Check that a state received from anywhere (nodeAgg, a parallel worker, a
 * direct call with a hand-made bytea) is well formed, and return its number
 * of conditions; ERROR if it is not.  Works on a detoasted value with either
 * header (a short-header value is not aligned: read through memcpy).
 */
static int32
cond_state_check(const struct varlena *raw)
{
	const char *data = VARDATA_ANY(raw);
	Size		len = VARSIZE_ANY_EXHDR(raw);
	uint8		version;
	uint32		n_net;
	int64		n;
	Size		expect;

	if (len < COND_STATE_HDRSZ - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention() state"),
				 errdetail("The state is %zu bytes long, shorter than its %zu-byte header.",
						   len, (Size) (COND_STATE_HDRSZ - VARHDRSZ))));

	version = (uint8) data[offsetof(CondState, version) - VARHDRSZ];
	if (version != COND_STATE_VERSION ||
		memcmp(data + offsetof(CondState, reserved) - VARHDRSZ, "\0\0\0", 3) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention() state"),
				 errdetail("Unknown state version or flags (version byte %u).", version)));

	memcpy(&n_net, data + offsetof(CondState, nconds_net) - VARHDRSZ, sizeof(n_net));
	n = pg_ntoh32(n_net);
	if (n < 1 || n > (int64) MaxArraySize)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention() state"),
				 errdetail("The state claims " INT64_FORMAT " conditions.", n)));

	expect = COND_STATE_SIZE(n) - VARHDRSZ;
	if (len != expect)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention() state"),
				 errdetail("A state of " INT64_FORMAT " conditions is %zu bytes long, not %zu.",
						   n, expect, len)));
	if (n % 8 != 0 && ((uint8) data[len - 1] >> (n % 8)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid retention() state"),
				 errdetail("Bits are set past the state's " INT64_FORMAT " conditions.", n)));
	return (int32) n;
}

/* A fresh all-false state of n conditions, in the current memory context. */
static CondState *
cond_state_new(int32 nconds)
{
	Size		size = COND_STATE_SIZE(nconds);
	CondState  *s = (CondState *) palloc0(size);

	SET_VARSIZE(s, size);
	s->version = COND_STATE_VERSION;
	s->nconds_net = pg_hton32((uint32) nconds);
	return s;
}

/*
 * The state in the first argument, validated, ready to be updated.  Called as an
 * aggregate, the first argument is the group's own transition value in the
 * aggregate context, updated in place when it has a plain 4-byte header.
 * Otherwise (a direct call, or a value that came from a parallel worker with
 * a short header) the result is a fresh copy in the current, per-call memory
 * context: nodeAgg then copies the returned value into the aggregate context
 * once, after which updates are in place.  The argument itself is never
 * modified in that case.
 */
static CondState *
cond_state_rw(FunctionCallInfo fcinfo)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(0);
	struct varlena *flat;
	CondState  *s;

	if (AggCheckCallContext(fcinfo, NULL) && !VARATT_IS_EXTENDED(raw))
	{
		cond_state_check(raw);
		return (CondState *) raw;
	}
	flat = pg_detoast_datum_packed(raw);
	cond_state_check(flat);
	s = (CondState *) palloc(VARSIZE_ANY_EXHDR(flat) + VARHDRSZ);
	SET_VARSIZE(s, VARSIZE_ANY_EXHDR(flat) + VARHDRSZ);
	memcpy(VARDATA(s), VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat));
	return s;
}

/* The conditions of one row, checked: 1-D, at least one element. */
static int32
condition_count(ArrayType *conds)
{
	if (ARR_NDIM(conds) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() needs at least one condition"),
				 errhint("Call it as retention(cond1, cond2, ...) with one or more boolean conditions.")));
	if (ARR_NDIM(conds) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention() conditions must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(conds)),
				 errhint("Pass the conditions as separate arguments, or as a one-dimensional boolean[] after VARIADIC.")));
	if (ARR_ELEMTYPE(conds) != BOOLOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("retention() conditions must be boolean")));
	return ARR_DIMS(conds)[0];
}

/*
 * retention_cond_trans(state bytea, conds boolean[]) -> bytea
 *
 * Not STRICT: the state starts as NULL and a row can be ignored before any
 * state exists (VARIADIC NULL), which a strict transition function of a
 * state type other than its input type cannot express.
 */
Datum
retention_cond_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *conds;
	CondState  *s;
	int32		n;
	const bool *values;

	if (PG_ARGISNULL(1))
	{
		/* a NULL array: ignored, the state (or its absence) is unchanged */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(cond_state_rw(fcinfo));
	}

	conds = PG_GETARG_ARRAYTYPE_P(1);
	n = condition_count(conds);

	if (PG_ARGISNULL(0))
		s = cond_state_new(n);
	else
	{
		s = cond_state_rw(fcinfo);
		if (cond_state_n(s) != n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("retention() got a different number of conditions on rows of the same group"),
					 errdetail("The group started with %d conditions, this row has %d.", cond_state_n(s), n),
					 errhint("Give every row the same conditions; with VARIADIC, arrays of one length.")));
	}

	/* a row with a NULL condition is ignored (it has fixed or checked n) */
	if (array_contains_nulls(conds))
		PG_RETURN_POINTER(s);

	/* no NULLs: the n booleans are stored one byte each, back to back */
	values = (const bool *) ARR_DATA_PTR(conds);
	for (int32 i = 0; i < n; i++)
	{
		if (values[i])
			s->seen[i >> 3] |= (uint8) (1 << (i & 7));
	}
	PG_RETURN_POINTER(s);
}

/*
 * retention_cond_combine(a bytea, b bytea) -> bytea: the OR of two partial
 * states.  STRICT: nodeAgg keeps the non-NULL side by itself (copying b into
 * the aggregate context when a is NULL).  b is only read.
 */
Datum
retention_cond_combine(PG_FUNCTION_ARGS)
{
	CondState  *dst = cond_state_rw(fcinfo);
	struct varlena *other = pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(1));
	const uint8 *bits;
	int32		nother;
	Size		nbytes;

	nother = cond_state_check(other);
	if (nother != cond_state_n(dst))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine retention() states of %d and %d conditions",
						cond_state_n(dst), nother),
				 errhint("Every row of a group must have the same number of conditions.")));

	bits = (const uint8 *) VARDATA_ANY(other) + (COND_STATE_HDRSZ - VARHDRSZ);
	nbytes = COND_MASK_BYTES(nother);
	for (Size i = 0; i < nbytes; i++)
		dst->seen[i] |= bits[i];
	PG_RETURN_POINTER(dst);
}

/*
 * retention_cond_final(state bytea) -> boolean[]: element 1 = cond1 seen,
 * element k = cond1 seen AND condk seen.  STRICT: no state (no counted row,
 * n unknown) gives NULL.  The state is only read.
 */
Datum
retention_cond_final(PG_FUNCTION_ARGS)
{
	struct varlena *raw = pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(0));
	const uint8 *bits;
	int32		n;
	bool		first;
	Size		size;
	ArrayType  *result;
	bool	   *out;

	n = cond_state_check(raw);
	bits = (const uint8 *) VARDATA_ANY(raw) + (COND_STATE_HDRSZ - VARHDRSZ);

	/*
	 * Build the 1-D boolean[] directly (what construct_array() would make,
	 * without a Datum per element): no NULLs, lower bound 1, one byte per
	 * element.  n <= MaxArraySize (checked), so the size fits MaxAllocSize.
	 */
	size = ARR_OVERHEAD_NONULLS(1) + (Size) n;
	result = (ArrayType *) palloc0(size);
	SET_VARSIZE(result, size);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = BOOLOID;
	ARR_DIMS(result)[0] = n;
	ARR_LBOUND(result)[0] = 1;

	out = (bool *) ARR_DATA_PTR(result);
	first = (bits[0] & 1) != 0;
	out[0] = first;
	if (first)
	{
		for (int32 i = 1; i < n; i++)
			out[i] = (bits[i >> 3] & (1 << (i & 7))) != 0;
	}
	PG_RETURN_ARRAYTYPE_P(result);
}
