/*
 * clv_host.c
 *		The server's side of clv_host.h: interrupts and scratch memory for the
 *		CLV model mathematics.
 *
 * Stratum: host.  The only CLV file below the SQL glue that includes
 * PostgreSQL headers; it calls nothing of the mathematics.
 */
#include "postgres.h"

#include "miscadmin.h"

#include "clv_host.h"

void
clv_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* huge allocations allowed (a fit's scratch grows with the patterns); NULL when out of memory */
void *
clv_alloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

void
clv_free(void *ptr)
{
	if (ptr)
		pfree(ptr);
}
