/*
 * state_spill.c
 *		The partition files of a spilling customer-keyed state (see
 *		state_spill.h).
 */
#include "state_spill.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "storage/buffile.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#define SPILL_MIN_PARTITIONS 4
#define SPILL_MAX_PARTITIONS 32

typedef struct SpillHead
{
	uint32		key_len;
	uint32		tail_len;
	int64		a;
	int64		b;
} SpillHead;

struct StateSpill
{
	dlist_node	live;			/* in live_spills while the files may be open */
	ResourceOwner owner;		/* owns the files */
	MemoryContext cxt;
	const char *agg_name;
	int			level;
	int			nparts;
	bool		mixed;			/* rows of customers in memory went to disk too */
	bool		released;		/* the files were closed (or forgotten) */
	bool		reading;		/* a file was read since the last write */
	BufFile    *files[SPILL_MAX_PARTITIONS];
	int64		rows;
	int64		bytes;
	uint32		reads;			/* records read, for CHECK_FOR_INTERRUPTS */
	char	   *buf;			/* a record's key and tail, read back */
	Size		buf_size;
};

static dlist_head live_spills = DLIST_STATIC_INIT(live_spills);
static bool release_callback_set = false;

/*
 * Whether a state may spill: only while its aggregate runs in one step
 * (nodeAgg's AGGSPLIT_SIMPLE: the final function reads the state in this
 * process), not in a window (the final function may run between rows), not
 * in a parallel worker and not as a partial aggregate (the state must then
 * be flattened and sent; a spilled state cannot be yet).
 */
bool
spill_allowed(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref;

	if (IsParallelWorker() || AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_AGGREGATE)
		return false;
	aggref = AggGetAggref(fcinfo);
	return aggref != NULL && aggref->aggsplit == AGGSPLIT_SIMPLE;
}

static void
spill_forget_files(StateSpill *sp)
{
	if (!sp->released)
	{
		dlist_delete(&sp->live);
		sp->released = true;
	}
}

/*
 * A resource owner is being released: its temporary files are closed by it
 * (at an error or cancel, before our memory contexts go), so forget them.
 */
static void
spill_release_callback(ResourceReleasePhase phase, bool isCommit, bool isTopLevel, void *arg)
{
	dlist_mutable_iter it;

	if (phase != RESOURCE_RELEASE_AFTER_LOCKS)
		return;
	dlist_foreach_modify(it, &live_spills)
	{
		StateSpill *sp = dlist_container(StateSpill, live, it.cur);

		if (sp->owner == CurrentResourceOwner)
			spill_forget_files(sp);
	}
}

/*
 * The state's memory context goes: close the files (the usual end, when the
 * executor ends).  While a transaction or subtransaction aborts the files are
 * left to the resource owner, whichever goes first: closing a BufFile writes
 * its buffer, which must not be tried again after a write failed
 * (temp_file_limit).
 */
static void
spill_close_callback(void *arg)
{
	StateSpill *sp = (StateSpill *) arg;

	if (sp->released)
		return;
	spill_forget_files(sp);
	if (!IsTransactionState())
		return;
	for (int i = 0; i < sp->nparts; i++)
		if (sp->files[i])
			BufFileClose(sp->files[i]);
}

/*
 * Begin spilling a state whose memory lives in cxt; used and customers say
 * where it stopped admitting customers (for the DEBUG1 line).  Level 0 is a
 * state of the aggregate, level n + 1 one read back from a level n file.
 */
StateSpill *
spill_begin(MemoryContext cxt, int level, const char *agg_name, Size used, uint32 customers)
{
	StateSpill *sp;
	MemoryContextCallback *cb;
	Size		limit = (Size) retention_max_state_memory * 1024;
	int			nparts = SPILL_MIN_PARTITIONS;

	if (level > SPILL_MAX_LEVEL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s state exceeds retention.max_state_memory (%d kB) even after spilling %d times",
						agg_name, retention_max_state_memory, SPILL_MAX_LEVEL),
				 errdetail("The rows of a few customers alone do not fit in memory."),
				 errhint("Raise retention.max_state_memory.")));
	/* as nodeAgg: the write buffers (one block each) take at most a quarter of the budget */
	while (nparts < SPILL_MAX_PARTITIONS && (Size) nparts * 2 * BLCKSZ <= limit / 4)
		nparts *= 2;
	if (!release_callback_set)
	{
		RegisterResourceReleaseCallback(spill_release_callback, NULL);
		release_callback_set = true;
	}
	sp = MemoryContextAllocZero(cxt, sizeof(StateSpill));
	sp->owner = CurrentResourceOwner;
	sp->cxt = cxt;
	sp->agg_name = agg_name;
	sp->level = level;
	sp->nparts = nparts;
	dlist_push_tail(&live_spills, &sp->live);
	cb = MemoryContextAlloc(cxt, sizeof(MemoryContextCallback));
	cb->func = spill_close_callback;
	cb->arg = sp;
	MemoryContextRegisterResetCallback(cxt, cb);
	ereport(DEBUG1,
			(errmsg("%s state spills to disk at %zu kB with %u customers in memory (level %d, %d partitions)",
					agg_name, used / 1024, customers, level, nparts)));
	return sp;
}

int
spill_level(const StateSpill *sp)
{
	return sp->level;
}

/* Records written so far. */
int64
spill_rows(const StateSpill *sp)
{
	return sp->rows;
}

int
spill_npartitions(const StateSpill *sp)
{
	return sp->nparts;
}

/* The partition of a customer: its hash, mixed anew at each level. */
int
spill_partition_of(const StateSpill *sp, const KeyEntry *customer)
{
	uint64		h = mix64((uint64) entry_hash(customer) | ((uint64) (sp->level + 1) << 32));

	return (int) (h >> 59) & (sp->nparts - 1);
}

void
spill_set_mixed(StateSpill *sp)
{
	sp->mixed = true;
}

bool
spill_is_mixed(const StateSpill *sp)
{
	return sp->mixed;
}

static BufFile *
spill_file(StateSpill *sp, int part)
{
	if (sp->files[part] == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(sp->cxt);
		ResourceOwner owner = CurrentResourceOwner;

		CurrentResourceOwner = sp->owner;
		sp->files[part] = BufFileCreateTemp(false);
		CurrentResourceOwner = owner;
		MemoryContextSwitchTo(old);
	}
	return sp->files[part];
}

/* Append a record to the customer's partition. */
void
spill_write(StateSpill *sp, const KeyEntry *customer, int64 a, int64 b, const void *tail,
			uint32 tail_len)
{
	int			part = spill_partition_of(sp, customer);
	BufFile    *f = spill_file(sp, part);
	SpillHead	head;

	Assert(!sp->released);
	if (sp->reading)
	{
		/* a final function read the files: write at their ends again */
		for (int i = 0; i < sp->nparts; i++)
			if (sp->files[i] && BufFileSeek(sp->files[i], 0, 0, SEEK_END) != 0)
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not seek in a temporary file of %s", sp->agg_name)));
		sp->reading = false;
	}
	head.key_len = customer->len;
	head.tail_len = tail_len;
	head.a = a;
	head.b = b;
	BufFileWrite(f, &head, sizeof(head));
	BufFileWrite(f, unconstify(char *, key_data(customer)), customer->len);
	if (tail_len > 0)
		BufFileWrite(f, unconstify(void *, tail), tail_len);
	sp->rows++;
	sp->bytes += sizeof(head) + customer->len + tail_len;
}

/* Position a partition at its first record; false when it has none. */
bool
spill_rewind(StateSpill *sp, int part)
{
	if (sp->files[part] == NULL)
		return false;
	sp->reading = true;
	if (BufFileSeek(sp->files[part], 0, 0, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not seek in a temporary file of %s", sp->agg_name)));
	return true;
}

static void
read_exact(StateSpill *sp, BufFile *f, void *ptr, size_t size)
{
	if (BufFileRead(f, ptr, size) != size)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read a temporary file of %s", sp->agg_name)));
}

/* The next record of a rewound partition; false at its end. */
bool
spill_read(StateSpill *sp, int part, SpillRecord *rec)
{
	BufFile    *f = sp->files[part];
	SpillHead	head;
	size_t		got;
	Size		need;

	got = BufFileRead(f, &head, sizeof(head));
	if (got == 0)
		return false;
	if (got != sizeof(head))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read a temporary file of %s", sp->agg_name)));
	if (head.key_len > 0x3FFFFFFF || head.tail_len > 0x3FFFFFFF)
		elog(ERROR, "damaged spill record of %s", sp->agg_name);
	need = (Size) head.key_len + head.tail_len;
	if (need > sp->buf_size)
	{
		Size		size = Max(need, Max(2 * sp->buf_size, 1024));

		if (sp->buf)
			pfree(sp->buf);
		sp->buf = MemoryContextAllocHuge(sp->cxt, size);
		sp->buf_size = size;
	}
	if (need > 0)
		read_exact(sp, f, sp->buf, need);
	key_probe_bytes(&rec->customer, sp->buf, head.key_len);
	rec->a = head.a;
	rec->b = head.b;
	rec->tail = sp->buf + head.key_len;
	rec->tail_len = head.tail_len;
	if ((++sp->reads & 0x3FFF) == 0)
		CHECK_FOR_INTERRUPTS();
	return true;
}

/* A DEBUG1 line with what went to disk. */
void
spill_report(const StateSpill *sp)
{
	int			used = 0;

	for (int i = 0; i < sp->nparts; i++)
		used += sp->files[i] != NULL;
	ereport(DEBUG1,
			(errmsg("%s state spilled " INT64_FORMAT " rows (" INT64_FORMAT " kB) to %d of %d partitions at level %d%s",
					sp->agg_name, sp->rows, (sp->bytes + 1023) / 1024, used, sp->nparts, sp->level,
					sp->mixed ? ", customers in memory included" : "")));
}

/* The budget is exceeded where a state cannot spill (spill_allowed). */
void
spill_refuse(const char *agg_name, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s state is too large to be passed on after spilling to disk", agg_name),
			 errdetail("%s", why),
			 errhint("Raise retention.max_state_memory, or run the query without parallel workers (max_parallel_workers_per_gather = 0).")));
}
