/*
 * compat.h
 *		The one place where PostgreSQL version differences live.
 *
 * The code is written against the PostgreSQL 15 API; this header supplies
 * those names on older servers so that one source tree builds on 13 and later.
 */
#ifndef RETENTION_COMPAT_H
#define RETENTION_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 130000
#error "retention requires PostgreSQL 13 or later"
#endif

/* MarkGUCPrefixReserved() replaced EmitWarningsOnPlaceholders() in 15. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/* Numeric infinities arrived in 14; on 13 no numeric is infinite. */
#if PG_VERSION_NUM < 140000
#define numeric_is_inf(n) ((void) (n), false)
#endif

#endif							/* RETENTION_COMPAT_H */
