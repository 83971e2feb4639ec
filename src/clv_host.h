/*
 * clv_host.h
 *		What the CLV model mathematics needs from the program it runs in.
 *
 * Stratum: host interface.  The pure model mathematics (clv_math.c,
 * clv_bgnbd.c, clv_pareto.c, clv_gamma_gamma.c, bfgs.c, clv_estimate.c)
 * includes this header and nothing of PostgreSQL.  It is implemented twice:
 * for the server in clv_host.c (CHECK_FOR_INTERRUPTS, palloc, pfree) and for
 * the stand-alone checks in test/clv_math/clv_host_standalone.c (malloc,
 * free).  A host never calls the mathematics.
 */
#ifndef RETENTION_CLV_HOST_H
#define RETENTION_CLV_HOST_H

#include <stddef.h>

/*
 * Called every few thousand patterns in long loops and once per likelihood
 * evaluation of a fit.  The server's may not return (a cancel): the caller
 * then loses whatever it holds, so the mathematics keeps nothing that only
 * it could free except through clv_alloc.
 */
extern void clv_check_interrupts(void);

/*
 * Scratch memory of the model code.  clv_alloc returns NULL on failure;
 * clv_free accepts NULL.  The server's memory belongs to the current memory
 * context, so nothing leaks when clv_check_interrupts() does not return.
 */
extern void *clv_alloc(size_t size);
extern void clv_free(void *ptr);

#endif							/* RETENTION_CLV_HOST_H */
