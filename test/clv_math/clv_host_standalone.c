/*
 * clv_host_standalone.c
 *		The stand-alone side of src/clv_host.h, for the checks in this folder:
 *		no interrupts, malloc and free.
 *
 * Stratum: host (stand-alone).  Linked with every pure-math file of src/
 * and nothing of PostgreSQL, which is the proof that the mathematics needs
 * no server.
 */
#include "../../src/clv_host.h"

#include <stdlib.h>

void
clv_check_interrupts(void)
{
}

void *
clv_alloc(size_t size)
{
	return malloc(size);
}

void
clv_free(void *ptr)
{
	free(ptr);
}
