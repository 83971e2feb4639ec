/*
 * window_funnel.h
 *		What window_funnel.c (the aggregate, its state and state type) and
 *		window_funnel_level.c (ClickHouse's level computation) share.
 */
#ifndef RETENTION_WINDOW_FUNNEL_H
#define RETENTION_WINDOW_FUNNEL_H

#include "retention.h"

#include "utils/expandeddatum.h"

#define WF_MAX_STEPS 32

/* the modes, as bits of the state's modes byte */
#define WF_STRICT_DEDUPLICATION	0x01
#define WF_STRICT_ORDER			0x02
#define WF_STRICT_INCREASE		0x04
#define WF_STRICT_ONCE			0x08
#define WF_ALLOW_REENTRY		0x10
#define WF_ALL_MODES			0x1F

typedef struct WfRow
{
	int64		at;				/* microseconds (retention.h, TimeKind) */
	uint32		mask;			/* bit k: the row satisfied step k + 1 */
} WfRow;

typedef struct WfState
{
	ExpandedObjectHeader hdr;
	MemBudget	budget;
	uint8		time_kind;
	uint8		nsteps;
	uint8		modes;
	int64		window;			/* microseconds, >= 0 */
	WfRow	   *rows;
	uint32		nrows;
	uint32		capacity;
} WfState;

/* the deepest step reached (window_funnel_level.c), 0 when none */
extern int	window_funnel_level(const WfState *s);

#endif							/* RETENTION_WINDOW_FUNNEL_H */
