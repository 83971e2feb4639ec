/*
 * compat.h
 *		The one place where PostgreSQL version differences live.
 *
 * The code is written against the PostgreSQL 15 API; this header supplies
 * those names on older servers, and the headers that newer ones moved, so that
 * one source tree builds on 13 and later.
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

/* The varlena macros (VARDATA_ANY, VARSIZE_ANY_EXHDR, ...) left postgres.h for varatt.h in 16. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * pg_attribute_noreturn() (after the declarator) gave way to pg_noreturn (C11
 * _Noreturn, before the declaration) in 18; keep the old spelling working.
 */
#if PG_VERSION_NUM >= 180000 && !defined(pg_attribute_noreturn)
#if defined(__GNUC__) || defined(__clang__)
#define pg_attribute_noreturn() __attribute__((noreturn))
#else
#define pg_attribute_noreturn()
#endif
#endif

#endif							/* RETENTION_COMPAT_H */
