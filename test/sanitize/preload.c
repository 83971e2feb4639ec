/*
 * preload.c
 *		LD_PRELOAD'ed into a stock postgres by test/sanitize/lib.sh (as
 *		preload.so).  Not instrumented, needs no sanitizer runtime itself: the
 *		runtime comes later, as a dependency of the ASan-built retention.so.
 *
 * 1. Hands the runtime its options.  The runtime reads ASAN_OPTIONS and
 *    UBSAN_OPTIONS from /proc/self/environ, which a backend has overwritten
 *    with its process title; these hooks return them from the environment
 *    (getenv still works: postgres keeps a copy of it).
 * 2. siglongjmp() (and longjmp, and __longjmp_chk, which they become with
 *    _FORTIFY_SOURCE, as in Debian's postgres) tells the runtime that the stack is being unwound
 *    (__asan_handle_no_return), as its own interceptor would if it had been
 *    loaded first.  An ERROR longjmps out of instrumented frames; without this
 *    their poisoned stack red zones stay behind and the next instrumented
 *    function that reads a caller's stack variable (fcinfo) is reported.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <stdlib.h>

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *
__asan_default_options(void)
{
	const char *o = getenv("ASAN_OPTIONS");

	return o ? o : "";
}

const char *
__ubsan_default_options(void)
{
	const char *o = getenv("UBSAN_OPTIONS");

	return o ? o : "";
}

typedef void (*jump_fn) (sigjmp_buf, int);
typedef void (*hook_fn) (void);

static void
before_jump(void)
{
	static hook_fn no_return;

	if (no_return == NULL)
		no_return = (hook_fn) dlsym(RTLD_DEFAULT, "__asan_handle_no_return");
	if (no_return)
		no_return();
}

void
siglongjmp(sigjmp_buf env, int val)
{
	static jump_fn real;

	before_jump();
	if (real == NULL)
		real = (jump_fn) dlsym(RTLD_NEXT, "siglongjmp");
	real(env, val);
	abort();
}

void
longjmp(jmp_buf env, int val)
{
	static jump_fn real;

	before_jump();
	if (real == NULL)
		real = (jump_fn) dlsym(RTLD_NEXT, "longjmp");
	real(env, val);
	abort();
}

void		__longjmp_chk(sigjmp_buf env, int val);

void
__longjmp_chk(sigjmp_buf env, int val)
{
	static jump_fn real;

	before_jump();
	if (real == NULL)
		real = (jump_fn) dlsym(RTLD_NEXT, "__longjmp_chk");
	real(env, val);
	abort();
}
