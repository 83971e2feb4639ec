/*
 * retention_fuzz.c
 *		Test-only fuzz driver for the retention extension's type input and
 *		receive functions (never installed by the main Makefile, never part of
 *		the extension).  test/fuzz/run builds it with AddressSanitizer and
 *		UndefinedBehaviorSanitizer and calls it once per type and format.
 *
 * retention_fuzz(type regtype, seeds bytea[], iterations int8, seed int8,
 *                binary bool, uses text[])
 *
 * From valid seed values (the text form or the send() bytes of real values)
 * it makes `iterations` mutated values (first every truncation of every
 * seed, then seeded random mutations: bit flips, bytes set to 0/0xFF/random,
 * truncation, extension, duplicated and swapped chunks, counts and lengths
 * set to huge or negative values in either byte order, version byte changes,
 * splices of two seeds; in text mode also numbers, fields and hex bytes)
 * and feeds each one to the type's input function (binary = false) or
 * receive function (binary = true) inside an internal subtransaction, as
 * PL/pgSQL does, so that an ERROR is caught and counted.  A value that is
 * accepted is then used: its output and send functions, a text and binary
 * round trip (in(out(v)) must give the same text form again, recv(send(v))
 * too), and each SQL statement of `uses` with the value as $1 (accessors,
 * final and combine functions, reports).  For type bytea (the state of
 * retention(...)) the mutated bytes are the value itself.
 *
 * Everything the functions palloc in the iteration's memory context gets
 * its own malloc'd block with an ASan-poisoned red zone after it, and pfree'd
 * chunks stay poisoned until the iteration ends, so reads and writes past a
 * palloc'd chunk or after pfree are reported (a stock PostgreSQL's AllocSet
 * would hide them inside its blocks).  The input itself is copied into a
 * buffer of its exact size followed by a poisoned red zone.
 *
 * Returns one row: tried, accepted, rejected (ERROR caught), classes (the
 * SQLSTATE classes of the rejections, "08:12 22:123"; an error in a use of
 * an accepted value, such as a combine of two states of different kinds, is
 * not a rejection), findings (errors that
 * are not a clean rejection: XX000 internal errors, out of memory, values
 * that do not round-trip) and first_finding (the first one, with its input
 * in hex).  An accepted value that a later use rejects cleanly (22P02, 22P03:
 * an invariant the input function left to the functions) is counted in
 * classes as "late:N", not as a finding.
 * A crash or a sanitizer report is the failure that test/fuzz/run
 * looks for; the input being tried at that moment is written to the server
 * log ("retention_fuzz: crash input ...") by a SIGABRT/SIGSEGV handler.
 */
#include "postgres.h"

#include <signal.h>
#include <unistd.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/memnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FUZZ_ASAN)
#define FUZZ_ASAN 1
#endif

#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)	((void) (p), (void) (n))
#define UNPOISON(p, n)	((void) (p), (void) (n))
#endif

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(retention_fuzz);
PG_FUNCTION_INFO_V1(retention_fuzz_selftest);

#define REDZONE			64
/* a single palloc above this from a fuzzed input of a few kB is a finding */
#define FUZZ_ALLOC_LIMIT	((Size) 256 * 1024 * 1024)

/* ---- a memory context with one malloc'd, red-zoned block per chunk -------- */

typedef struct RzChunk
{
	struct RzChunk *next;		/* every chunk of the context */
	Size		size;			/* requested size */
	Size		freed;			/* pfree'd: kept poisoned until reset */
	MemoryContext context;		/* must be last: right before the chunk */
} RzChunk;

typedef struct RzContext
{
	MemoryContextData header;
	RzChunk    *chunks;
	Size		total;
} RzContext;

#define RZ_CHUNK(p)	((RzChunk *) ((char *) (p) - sizeof(RzChunk)))
#define RZ_DATA(c)	((void *) ((char *) (c) + sizeof(RzChunk)))

StaticAssertDecl(sizeof(RzChunk) % MAXIMUM_ALIGNOF == 0, "RzChunk must keep chunks aligned");

static bool fuzz_alloc_too_large = false;

static void *
rz_alloc(MemoryContext context, Size size)
{
	RzContext  *set = (RzContext *) context;
	RzChunk    *c;

	if (size > FUZZ_ALLOC_LIMIT)
	{
		fuzz_alloc_too_large = true;
		return NULL;			/* palloc raises "out of memory" (53200) */
	}
	c = malloc(sizeof(RzChunk) + size + REDZONE);
	if (c == NULL)
		return NULL;
	c->next = set->chunks;
	c->size = size;
	c->freed = 0;
	c->context = context;
	set->chunks = c;
	set->total += size;
	/* the bookkeeping before the back pointer, and the red zone after */
	POISON(c, offsetof(RzChunk, context));
	POISON((char *) RZ_DATA(c) + size, REDZONE);
	return RZ_DATA(c);
}

static void
rz_free(MemoryContext context, void *pointer)
{
	RzChunk    *c = RZ_CHUNK(pointer);

	UNPOISON(c, offsetof(RzChunk, context));
	if (c->freed)
		elog(ERROR, "retention_fuzz: chunk %p freed twice", pointer);
	c->freed = 1;
	POISON(pointer, c->size);
	POISON(c, offsetof(RzChunk, context));
}

static void *
rz_realloc(MemoryContext context, void *pointer, Size size)
{
	RzChunk    *c = RZ_CHUNK(pointer);
	Size		old;
	void	   *p;

	UNPOISON(c, offsetof(RzChunk, context));
	old = c->size;
	POISON(c, offsetof(RzChunk, context));
	p = rz_alloc(context, size);
	if (p == NULL)
		return NULL;
	memcpy(p, pointer, Min(old, size));
	rz_free(context, pointer);
	return p;
}

static void
rz_reset(MemoryContext context)
{
	RzContext  *set = (RzContext *) context;
	RzChunk    *c = set->chunks;

	while (c)
	{
		RzChunk    *next;

		UNPOISON(c, sizeof(RzChunk));
		UNPOISON(c, sizeof(RzChunk) + c->size + REDZONE);
		next = c->next;
		free(c);
		c = next;
	}
	set->chunks = NULL;
	set->total = 0;
}

static void
rz_delete(MemoryContext context)
{
	rz_reset(context);
	free(context);
}

static Size
rz_get_chunk_space(MemoryContext context, void *pointer)
{
	RzChunk    *c = RZ_CHUNK(pointer);
	Size		size;

	UNPOISON(c, offsetof(RzChunk, context));
	size = c->size;
	POISON(c, offsetof(RzChunk, context));
	return size + sizeof(RzChunk);
}

static bool
rz_is_empty(MemoryContext context)
{
	return ((RzContext *) context)->chunks == NULL;
}

static void
rz_stats(MemoryContext context, MemoryStatsPrintFunc printfunc, void *passthru,
		 MemoryContextCounters *totals, bool print_to_stderr)
{
	RzContext  *set = (RzContext *) context;

	if (printfunc)
	{
		char		stats[64];

		snprintf(stats, sizeof(stats), "%zu bytes in red-zoned chunks", set->total);
		printfunc(context, passthru, stats, print_to_stderr);
	}
	if (totals)
	{
		totals->totalspace += set->total;
		totals->freespace += 0;
	}
}

#ifdef MEMORY_CONTEXT_CHECKING
static void
rz_check(MemoryContext context)
{
}
#endif

static const MemoryContextMethods rz_methods = {
	rz_alloc,
	rz_free,
	rz_realloc,
	rz_reset,
	rz_delete,
	rz_get_chunk_space,
	rz_is_empty,
	rz_stats
#ifdef MEMORY_CONTEXT_CHECKING
	,rz_check
#endif
};

static MemoryContext
rz_context_create(MemoryContext parent, const char *name)
{
	RzContext  *set = malloc(sizeof(RzContext));

	if (set == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	memset(set, 0, sizeof(RzContext));
	/* any memory context tag: the methods are what counts */
	MemoryContextCreate((MemoryContext) set, T_AllocSetContext, &rz_methods, parent, name);
	return (MemoryContext) set;
}

/* ---- random numbers (xorshift64*, reproducible from the seed) ----------- */

static uint64 rng_state;

static uint64
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64CONST(2685821657736338717);
}

/* uniform in [0, n) for n > 0 */
static uint64
rnd_below(uint64 n)
{
	return n <= 1 ? 0 : rnd() % n;
}

/* ---- mutations on a byte buffer ---------------------------------------- */

typedef struct Buf
{
	char	   *data;
	Size		len;
	Size		cap;
} Buf;

#define FUZZ_MAX_INPUT	(1024 * 1024)

static void
buf_reserve(Buf *b, Size n)
{
	if (n > b->cap)
	{
		Size		cap = Max(n, b->cap * 2);

		b->data = repalloc_huge(b->data, cap);
		b->cap = cap;
	}
}

static void
buf_set(Buf *b, const char *data, Size len)
{
	buf_reserve(b, len + 1);
	memcpy(b->data, data, len);
	b->len = len;
}

static void
buf_insert(Buf *b, Size at, const char *data, Size n)
{
	if (b->len + n > FUZZ_MAX_INPUT)
		return;
	buf_reserve(b, b->len + n + 1);
	memmove(b->data + at + n, b->data + at, b->len - at);
	memcpy(b->data + at, data, n);
	b->len += n;
}

static void
buf_delete(Buf *b, Size at, Size n)
{
	memmove(b->data + at, b->data + at + n, b->len - at - n);
	b->len -= n;
}

static const int64 interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256, 1000,
	1024, 4096, 32767, 32768, 65535, 65536, 100000, 1000000,
	PG_INT32_MAX, (int64) PG_INT32_MAX + 1, PG_UINT32_MAX, (int64) PG_UINT32_MAX + 1,
	PG_INT64_MAX, PG_INT64_MIN, PG_INT64_MIN + 1, PG_INT64_MAX - 1,
	-1, -2, -3, -8, -128, -129, -32768, -65536, PG_INT32_MIN, (int64) PG_INT32_MIN - 1,
	((int64) 1 << 40), ((int64) 1 << 53), ((int64) 1 << 62),
	/* timestamps near the ends of the valid range, and days */
	INT64CONST(-211813488000000000), INT64CONST(9223371331200000000), 2147483647 / 2
};

static int64
interesting_value(Size len)
{
	uint64		r = rnd_below(10);

	if (r == 0)
		return (int64) len + (int64) rnd_below(9) - 4;	/* around the length */
	if (r == 1)
		return (int64) rnd();
	return interesting[rnd_below(lengthof(interesting))];
}

static void
put_int(char *p, int64 v, int width, bool big_endian)
{
	for (int i = 0; i < width; i++)
	{
		int			shift = big_endian ? 8 * (width - 1 - i) : 8 * i;

		p[i] = (char) ((uint64) v >> shift);
	}
}

/* one binary mutation of b; other is another seed for splices */
static void
mutate_bytes(Buf *b, const Buf *other)
{
	switch (rnd_below(12))
	{
		case 0:					/* flip 1 to 4 bits */
			if (b->len > 0)
				for (int n = 1 + rnd_below(4); n > 0; n--)
					b->data[rnd_below(b->len)] ^= (char) (1 << rnd_below(8));
			break;
		case 1:					/* set bytes to 0, 0xFF, 0x7F, 0x80 or random */
			if (b->len > 0)
			{
				static const uint8 vals[] = {0, 0xFF, 0x7F, 0x80, 1};

				for (int n = 1 + rnd_below(3); n > 0; n--)
					b->data[rnd_below(b->len)] = (char) (rnd_below(3) == 0 ? rnd() : vals[rnd_below(lengthof(vals))]);
			}
			break;
		case 2:					/* truncate */
			b->len = rnd_below(b->len + 1);
			break;
		case 3:					/* extend with random bytes or a copy of the tail */
			{
				char		extra[64];
				Size		n = 1 + rnd_below(sizeof(extra));

				for (Size i = 0; i < n; i++)
					extra[i] = (char) (rnd_below(2) && b->len > i ? b->data[b->len - 1 - i] : rnd());
				buf_insert(b, b->len, extra, n);
			}
			break;
		case 4:					/* duplicate a chunk */
			if (b->len > 0)
			{
				Size		from = rnd_below(b->len);
				Size		n = 1 + rnd_below(Min(b->len - from, 256));
				Size		to = rnd_below(b->len + 1);
				char	   *copy = palloc(n);

				memcpy(copy, b->data + from, n);
				buf_insert(b, to, copy, n);
				pfree(copy);
			}
			break;
		case 5:					/* swap two chunks of the same size */
			if (b->len >= 2)
			{
				Size		n = 1 + rnd_below(Min(b->len / 2, 64));
				Size		x = rnd_below(b->len - n + 1);
				Size		y = rnd_below(b->len - n + 1);
				char		tmp[64];

				if (x + n <= y || y + n <= x)
				{
					memcpy(tmp, b->data + x, n);
					memmove(b->data + x, b->data + y, n);
					memcpy(b->data + y, tmp, n);
				}
			}
			break;
		case 6:					/* delete a chunk */
			if (b->len > 0)
			{
				Size		at = rnd_below(b->len);

				buf_delete(b, at, 1 + rnd_below(Min(b->len - at, 64)));
			}
			break;
		case 7:					/* a count or a length: huge, negative, off by one */
		case 8:
			{
				static const int widths[] = {1, 2, 4, 8, 4, 8};
				int			width = widths[rnd_below(lengthof(widths))];

				if (b->len >= (Size) width)
				{
					Size		at = rnd_below(b->len - width + 1);

					if (rnd_below(2))
						at &= ~(Size) (width - 1);	/* aligned, where fields usually are */
					put_int(b->data + at, interesting_value(b->len), width, rnd_below(2));
				}
			}
			break;
		case 9:					/* the version byte (and the bytes after it) */
			if (b->len > 0)
			{
				Size		at = rnd_below(Min(b->len, 8));

				b->data[at] = (char) (rnd_below(4) == 0 ? rnd() : rnd_below(4));
			}
			break;
		case 10:				/* splice: a prefix of b and a suffix of the other seed */
			if (other && other->len > 0)
			{
				Size		keep = rnd_below(b->len + 1);
				Size		from = rnd_below(other->len);

				b->len = keep;
				buf_insert(b, keep, other->data + from, other->len - from);
			}
			break;
		default:				/* insert interesting bytes */
			{
				char		v[8];
				int			width = 1 << rnd_below(4);

				put_int(v, interesting_value(b->len), width, rnd_below(2));
				buf_insert(b, rnd_below(b->len + 1), v, width);
			}
			break;
	}
}

static const char *const text_numbers[] = {
	"0", "1", "-1", "2", "9", "10", "-0", "00", "01", "1.5", "0.000001", "-9999999",
	"2147483647", "2147483648", "-2147483648", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"99999999999999999999999999", "1e308", "1e-320", "nan", "NaN", "inf", "-inf",
	"Infinity", "null", "", " ", "x", "0x10", "1e1000", "123456789012345678901234567890.123456789"
};

/* one text mutation: numbers, fields, characters */
static void
mutate_text(Buf *b)
{
	switch (rnd_below(7))
	{
		case 0:					/* a run of digits (and sign, dot) becomes another number */
			if (b->len > 0)
			{
				Size		start = rnd_below(b->len);
				Size		end;
				const char *num = text_numbers[rnd_below(lengthof(text_numbers))];

				while (start < b->len && !(b->data[start] >= '0' && b->data[start] <= '9'))
					start++;
				if (start == b->len)
					break;
				while (start > 0 && ((b->data[start - 1] >= '0' && b->data[start - 1] <= '9') ||
									 b->data[start - 1] == '.' || b->data[start - 1] == '-'))
					start--;
				end = start;
				while (end < b->len && ((b->data[end] >= '0' && b->data[end] <= '9') ||
										b->data[end] == '.' || b->data[end] == '-'))
					end++;
				buf_delete(b, start, end - start);
				buf_insert(b, start, num, strlen(num));
			}
			break;
		case 1:					/* delete a space-separated field */
		case 2:					/* duplicate one */
		case 3:					/* move one to the end */
			{
				Size		nfields = 1;
				Size		k,
							start = 0,
							end;

				for (Size i = 0; i < b->len; i++)
					if (b->data[i] == ' ')
						nfields++;
				k = rnd_below(nfields);
				for (Size i = 0; i < b->len && k > 0; i++)
					if (b->data[i] == ' ' && --k == 0)
						start = i + 1;
				end = start;
				while (end < b->len && b->data[end] != ' ')
					end++;
				if (end < b->len)
					end++;		/* with its space */
				{
					Size		n = end - start;
					char	   *field = palloc(n + 1);

					memcpy(field, b->data + start, n);
					buf_delete(b, start, n);
					if (n > 0 && rnd_below(3) != 0)
					{
						Size		at = rnd_below(b->len + 1);

						buf_insert(b, at, field, n);
						if (rnd_below(2))
							buf_insert(b, at, field, n);
					}
					pfree(field);
				}
			}
			break;
		case 4:					/* a character becomes a separator or a special one */
			if (b->len > 0)
			{
				static const char specials[] = " =-.:TZBCx\\0123456789{}(),\"'\t\n";

				b->data[rnd_below(b->len)] = specials[rnd_below(sizeof(specials) - 1)];
			}
			break;
		case 5:					/* insert a number somewhere */
			{
				const char *num = text_numbers[rnd_below(lengthof(text_numbers))];

				buf_insert(b, rnd_below(b->len + 1), num, strlen(num));
			}
			break;
		default:				/* a very long repetition */
			if (b->len > 0)
			{
				Size		at = rnd_below(b->len);
				Size		n = 1 + rnd_below(Min(b->len - at, 16));
				int			times = 1 + rnd_below(200);

				char		chunk[16];

				memcpy(chunk, b->data + at, n);
				for (int i = 0; i < times; i++)
					buf_insert(b, at, chunk, n);
			}
			break;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* a hex text form "\x...": mutate the bytes it stands for; false if not hex */
static bool
mutate_hex(Buf *b, const Buf *other)
{
	Buf			bytes;
	static const char digits[] = "0123456789abcdef";

	if (b->len < 2 || b->data[0] != '\\' || b->data[1] != 'x' || b->len % 2 != 0)
		return false;
	bytes.data = palloc(b->len / 2 + 1);
	bytes.len = 0;
	bytes.cap = b->len / 2 + 1;
	for (Size i = 2; i + 1 < b->len; i += 2)
	{
		int			hi = hexval(b->data[i]),
					lo = hexval(b->data[i + 1]);

		if (hi < 0 || lo < 0)
		{
			pfree(bytes.data);
			return false;
		}
		bytes.data[bytes.len++] = (char) (hi << 4 | lo);
	}
	for (int n = 1 + rnd_below(3); n > 0; n--)
		mutate_bytes(&bytes, NULL);
	buf_reserve(b, 2 * bytes.len + 3);
	b->len = 2;
	for (Size i = 0; i < bytes.len; i++)
	{
		b->data[b->len++] = digits[(uint8) bytes.data[i] >> 4];
		b->data[b->len++] = digits[(uint8) bytes.data[i] & 0xF];
	}
	pfree(bytes.data);
	return true;
}

/* ---- crash reports: the input being tried goes to the server log ------- */

static const char *volatile crash_what = NULL;
static const char *volatile crash_data = NULL;
static volatile Size crash_len = 0;
static struct sigaction old_abrt;
#ifndef FUZZ_ASAN
static struct sigaction old_segv,
			old_bus,
			old_fpe;
#endif

static void
write_all(const char *s, Size n)
{
	while (n > 0)
	{
		ssize_t		w = write(2, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

static void
crash_handler(int signo)
{
	static const char digits[] = "0123456789abcdef";

	if (crash_data)
	{
		char		hex[2];
		const char *what = crash_what ? crash_what : "?";

		write_all("\nretention_fuzz: crash input (", 30);
		write_all(what, strlen(what));
		write_all(") hex ", 6);
		for (Size i = 0; i < crash_len; i++)
		{
			hex[0] = digits[(uint8) crash_data[i] >> 4];
			hex[1] = digits[(uint8) crash_data[i] & 0xF];
			write_all(hex, 2);
		}
		write_all("\n", 1);
	}
	signal(signo, SIG_DFL);
	raise(signo);
}

static void
install_crash_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	/* sanitizer reports end in abort(); without ASan, catch the faults too */
	sigaction(SIGABRT, &sa, &old_abrt);
#ifndef FUZZ_ASAN
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGFPE, &sa, &old_fpe);
#endif
}

static void
remove_crash_handler(void)
{
	sigaction(SIGABRT, &old_abrt, NULL);
#ifndef FUZZ_ASAN
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGFPE, &old_fpe, NULL);
#endif
	crash_data = NULL;
}

/* ---- the driver -------------------------------------------------------- */

typedef struct FuzzType
{
	Oid			type;
	bool		binary;
	bool		is_bytea;		/* the bytes are the value (retention's state) */
	Oid			input,
				output,
				receive,
				send;
	Oid			ioparam;
	char	   *name;
} FuzzType;

typedef struct Counts
{
	int64		tried,
				accepted,
				rejected,
				late,
				findings;
	int64		classes[64 * 64];	/* by the two-character SQLSTATE class */
	char	   *first_finding;
} Counts;

static char *
hex_of(const char *data, Size len, Size max)
{
	StringInfoData s;

	initStringInfo(&s);
	for (Size i = 0; i < Min(len, max); i++)
		appendStringInfo(&s, "%02x", (uint8) data[i]);
	if (len > max)
		appendStringInfoString(&s, "...");
	return s.data;
}

static MemoryContext fuzz_long_context;

static void
finding(Counts *counts, FuzzType *ft, const char *what, const char *detail,
		const char *data, Size len)
{
	counts->findings++;
	if (counts->findings <= 5)
	{
		MemoryContext old = MemoryContextSwitchTo(fuzz_long_context);
		char	   *msg = psprintf("%s %s: %s; input hex %s", ft->name, what, detail,
								   hex_of(data, len, 4096));

		ereport(NOTICE, (errmsg("retention_fuzz finding: %s", msg)));
		if (counts->first_finding == NULL)
			counts->first_finding = msg;
		MemoryContextSwitchTo(old);
	}
}

/* the value read from the input; raises an ERROR when the input is rejected */
static Datum
read_value(FuzzType *ft, char *data, Size len, bool binary)
{
	if (ft->is_bytea)
	{
		bytea	   *v = palloc(VARHDRSZ + len);

		SET_VARSIZE(v, VARHDRSZ + len);
		memcpy(VARDATA(v), data, len);
		return PointerGetDatum(v);
	}
	if (binary)
	{
		StringInfoData buf;

		buf.data = data;
		buf.len = len;
		buf.maxlen = len + 1;
		buf.cursor = 0;
		return OidReceiveFunctionCall(ft->receive, &buf, ft->ioparam, -1);
	}
	return OidInputFunctionCall(ft->input, data, ft->ioparam, -1);
}

/*
 * Copy the input into a malloc'd buffer of exactly its size (plus the NUL that
 * a cstring and a StringInfo end with), followed by a poisoned red zone.
 */
static char *
exact_copy(const char *data, Size len)
{
	char	   *p = malloc(len + 1 + REDZONE);

	if (p == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	memcpy(p, data, len);
	p[len] = '\0';
	POISON(p + len + 1, REDZONE);
	return p;
}

static void
exact_free(char *p, Size len)
{
	UNPOISON(p + len + 1, REDZONE);
	free(p);
}

/* What happens to a value the input function accepted. */
static void
use_value(FuzzType *ft, Datum value, SPIPlanPtr *plans, int nplans, Counts *counts,
		  const char *data, Size len, bool *bad)
{
	char	   *out = NULL;
	bytea	   *sent = NULL;

	*bad = false;
	if (!ft->is_bytea)
	{
		out = OidOutputFunctionCall(ft->output, value);
		sent = OidSendFunctionCall(ft->send, value);
	}
	for (int i = 0; i < nplans; i++)
	{
		Datum		args[1] = {value};
		int			rc = SPI_execute_plan(plans[i], args, NULL, true, 0);

		if (rc < 0)
			elog(ERROR, "retention_fuzz: SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	}
	if (ft->is_bytea)
		return;

	/* the text form reads back to the same text form, the binary one too */
	{
		char	   *copy = exact_copy(out, strlen(out));
		Datum		again;
		char	   *out2;

		PG_TRY();
		{
			again = OidInputFunctionCall(ft->input, copy, ft->ioparam, -1);
		}
		PG_FINALLY();
		{
			exact_free(copy, strlen(out));
		}
		PG_END_TRY();
		out2 = OidOutputFunctionCall(ft->output, again);
		if (strcmp(out, out2) != 0)
		{
			finding(counts, ft, "text round trip differs",
					psprintf("out \"%.200s\" then \"%.200s\"", out, out2), data, len);
			*bad = true;
		}
	}
	{
		Size		n = VARSIZE_ANY_EXHDR(sent);
		char	   *copy = exact_copy(VARDATA_ANY(sent), n);
		Datum		again;
		char	   *out2;

		PG_TRY();
		{
			again = read_value(ft, copy, n, true);
		}
		PG_FINALLY();
		{
			exact_free(copy, n);
		}
		PG_END_TRY();
		out2 = OidOutputFunctionCall(ft->output, again);
		if (strcmp(out, out2) != 0)
		{
			finding(counts, ft, "binary round trip differs",
					psprintf("out \"%.200s\" then \"%.200s\"", out, out2), data, len);
			*bad = true;
		}
	}
}

typedef enum Stage
{
	STAGE_READ,
	STAGE_USE
} Stage;

static void
try_one(FuzzType *ft, Buf *input, bool binary, MemoryContext iterctx,
		SPIPlanPtr *plans, int nplans, Counts *counts)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile Stage stage = STAGE_READ;
	char	   *data;
	Size		len = input->len;
	bool		bad = false;

	CHECK_FOR_INTERRUPTS();
	if (!binary && !ft->is_bytea)
	{
		/* a cstring ends at its first NUL */
		input->data[len] = '\0';
		len = strlen(input->data);
	}
	data = exact_copy(input->data, len);
	crash_data = data;
	crash_len = len;
	counts->tried++;
	fuzz_alloc_too_large = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(iterctx);
	PG_TRY();
	{
		Datum		value = read_value(ft, data, len, binary);

		stage = STAGE_USE;
		use_value(ft, value, plans, nplans, counts, data, len, &bad);
		MemoryContextSwitchTo(oldcontext);
		RollbackAndReleaseCurrentSubTransaction();
		counts->accepted++;
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			code;
		const char *state;

		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		code = edata->sqlerrcode;
		state = unpack_sql_state(code);
		/* a bytea state has no input function: its first use reads it */
		if (ft->is_bytea)
			stage = STAGE_READ;
		if (stage == STAGE_READ)
		{
			counts->rejected++;
			counts->classes[(code & 0x3F) * 64 + ((code >> 6) & 0x3F)]++;
		}
		else
			counts->accepted++;
		if (code == ERRCODE_INTERNAL_ERROR || code == ERRCODE_OUT_OF_MEMORY ||
			code == ERRCODE_DATA_CORRUPTED || fuzz_alloc_too_large)
			finding(counts, ft, stage == STAGE_READ ? "input error" : "error using an accepted value",
					psprintf("%s %s%s", state, edata->message,
							 fuzz_alloc_too_large ? " (a single palloc over 256 MB)" : ""),
					data, len);
		else if (stage == STAGE_USE &&
				 (code == ERRCODE_INVALID_BINARY_REPRESENTATION ||
				  code == ERRCODE_INVALID_TEXT_REPRESENTATION))
			counts->late++;		/* a clean error, but input could have said so */
		FreeErrorData(edata);
	}
	PG_END_TRY();
	MemoryContextSwitchTo(oldcontext);
	CurrentResourceOwner = oldowner;
	MemoryContextReset(iterctx);
	crash_data = NULL;
	exact_free(data, len);
}

Datum
retention_fuzz(PG_FUNCTION_ARGS)
{
	Oid			type = PG_GETARG_OID(0);
	ArrayType  *seed_array = PG_GETARG_ARRAYTYPE_P(1);
	int64		iterations = PG_GETARG_INT64(2);
	int64		seed = PG_GETARG_INT64(3);
	bool		binary = PG_GETARG_BOOL(4);
	ArrayType  *use_array = PG_ARGISNULL(5) ? NULL : PG_GETARG_ARRAYTYPE_P(5);
	FuzzType	ft;
	Datum	   *seed_datums;
	bool	   *seed_nulls;
	int			nseeds;
	Buf		   *seeds;
	Datum	   *use_datums = NULL;
	int			nuses = 0;
	SPIPlanPtr *plans;
	Counts	   *counts;
	MemoryContext iterctx;
	Buf			input = {palloc(64), 0, 64};
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {0};
	StringInfoData classes;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "retention_fuzz: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	memset(&ft, 0, sizeof(ft));
	ft.type = type;
	ft.binary = binary;
	ft.is_bytea = (type == BYTEAOID);
	ft.name = psprintf("%s (%s)", format_type_be(type), binary ? "binary" : "text");
	if (!ft.is_bytea)
	{
		bool		varlena;

		getTypeInputInfo(type, &ft.input, &ft.ioparam);
		getTypeOutputInfo(type, &ft.output, &varlena);
		getTypeBinaryInputInfo(type, &ft.receive, &ft.ioparam);
		getTypeBinaryOutputInfo(type, &ft.send, &varlena);
	}

	deconstruct_array(seed_array, BYTEAOID, -1, false, TYPALIGN_INT,
					  &seed_datums, &seed_nulls, &nseeds);
	if (nseeds == 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("retention_fuzz needs seeds")));
	seeds = palloc0(sizeof(Buf) * nseeds);
	for (int i = 0; i < nseeds; i++)
	{
		bytea	   *b = seed_nulls[i] ? NULL : DatumGetByteaPP(seed_datums[i]);
		Size		n = b ? VARSIZE_ANY_EXHDR(b) : 0;

		seeds[i].data = palloc(n + 1);
		seeds[i].cap = n + 1;
		if (b)
			buf_set(&seeds[i], VARDATA_ANY(b), n);
	}
	if (use_array)
		deconstruct_array(use_array, TEXTOID, -1, false, TYPALIGN_INT,
						  &use_datums, NULL, &nuses);

	counts = palloc0(sizeof(Counts));
	fuzz_long_context = CurrentMemoryContext;
	rng_state = (uint64) seed * UINT64CONST(0x9E3779B97F4A7C15) + 1;
	if (rng_state == 0)
		rng_state = 1;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "retention_fuzz: SPI_connect failed");
	plans = palloc(sizeof(SPIPlanPtr) * Max(nuses, 1));
	for (int i = 0; i < nuses; i++)
	{
		char	   *sql = TextDatumGetCString(use_datums[i]);
		Oid			argtypes[1] = {type};

		plans[i] = SPI_prepare(sql, 1, argtypes);
		if (plans[i] == NULL)
			elog(ERROR, "retention_fuzz: cannot prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		SPI_keepplan(plans[i]);
	}

	iterctx = rz_context_create(CurrentMemoryContext, "retention_fuzz iteration");
	install_crash_handler();
	crash_what = ft.name;

	PG_TRY();
	{
		int64		done = 0;

		/*
		 * A quarter of the values: every seed as it is, then truncated at
		 * every length (at evenly spaced lengths where a seed is longer than
		 * its share).
		 */
		int64		share = Max(iterations / 4 / nseeds, 1);

		for (int s = 0; s < nseeds && done < iterations; s++)
		{
			Size		step = Max((seeds[s].len + 1 + share - 1) / share, 1);

			for (Size cut = seeds[s].len + step; cut >= step && done < iterations; cut -= step, done++)
			{
				buf_set(&input, seeds[s].data, cut - step);
				try_one(&ft, &input, binary, iterctx, plans, nuses, counts);
			}
		}
		/* seeded random mutations: half of them one, the others 1 to 4 stacked */
		for (; done < iterations; done++)
		{
			int			s = rnd_below(nseeds);
			Buf		   *other = &seeds[rnd_below(nseeds)];
			int			n = rnd_below(2) ? 1 : 1 + rnd_below(4);

			buf_set(&input, seeds[s].data, seeds[s].len);
			for (int m = 0; m < n; m++)
			{
				if (binary || ft.is_bytea)
					mutate_bytes(&input, other);
				else if (rnd_below(2) && mutate_hex(&input, other))
					 /* a state's hex text */ ;
				else if (rnd_below(3) == 0)
					mutate_bytes(&input, other);
				else
					mutate_text(&input);
			}
			buf_reserve(&input, input.len + 1);
			try_one(&ft, &input, binary, iterctx, plans, nuses, counts);
		}
	}
	PG_FINALLY();
	{
		remove_crash_handler();
	}
	PG_END_TRY();

	MemoryContextDelete(iterctx);
	SPI_finish();

	initStringInfo(&classes);
	if (counts->late > 0)
		appendStringInfo(&classes, "late:" INT64_FORMAT, counts->late);
	for (int i = 0; i < 64 * 64; i++)
		if (counts->classes[i] > 0)
			appendStringInfo(&classes, "%s%c%c:" INT64_FORMAT, classes.len ? " " : "",
							 (char) (i / 64 + '0'), (char) (i % 64 + '0'), counts->classes[i]);
	values[0] = Int64GetDatum(counts->tried);
	values[1] = Int64GetDatum(counts->accepted);
	values[2] = Int64GetDatum(counts->rejected);
	values[3] = CStringGetTextDatum(classes.data);
	values[4] = Int64GetDatum(counts->findings);
	if (counts->first_finding)
		values[5] = CStringGetTextDatum(counts->first_finding);
	else
		nulls[5] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * retention_fuzz_selftest(kind): a planted bug, so that test/fuzz/run can
 * show the sanitizers are live in the backend (the backend aborts):
 * 'heap' reads one byte past a chunk palloc'd in the red-zoned context,
 * 'input' one byte past an input copy's NUL, 'ubsan' overflows an int32.
 */
Datum
retention_fuzz_selftest(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	volatile int result = 0;

	if (strcmp(kind, "heap") == 0)
	{
		MemoryContext cxt = rz_context_create(CurrentMemoryContext, "selftest");
		volatile char *p = MemoryContextAlloc(cxt, 10);

		result = p[10];
	}
	else if (strcmp(kind, "input") == 0)
	{
		volatile char *p = exact_copy("abc", 3);

		result = p[4];
	}
	else if (strcmp(kind, "ubsan") == 0)
	{
		volatile int32 big = PG_INT32_MAX;

		result = big + 1;
	}
	else
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown self-test \"%s\"", kind)));
	PG_RETURN_INT32(result);
}
