/*
 * text_io.h
 *		Pieces of the text forms of the summary types (order_stats,
 *		cohort_matrix): exact, DateStyle- and TimeZone-independent times,
 *		counts, and "name=value" fields.  Every parse error is an ERROR
 *		(22P02) naming the type.
 */
#ifndef RETENTION_TEXT_IO_H
#define RETENTION_TEXT_IO_H

#include "retention.h"

#include "lib/stringinfo.h"

extern void text_invalid(const char *type_name, const char *detail) pg_attribute_noreturn();
extern void append_time(StringInfo buf, int64 t, TimeKind kind);
extern int64 parse_time(const char *type_name, const char *text, TimeKind kind);
extern int64 parse_count(const char *type_name, const char *text);
extern char *next_field(const char *type_name, char **cursor, const char *name);

#endif							/* RETENTION_TEXT_IO_H */
