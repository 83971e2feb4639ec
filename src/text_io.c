/*
 * text_io.c
 *		Times, counts and fields of the summary types' text forms (text_io.h).
 *
 * Times are written in UTC ("Z") for timestamptz input and as wall-clock
 * time for timestamp and date input, with a "BC" suffix before year 1.
 */
#include "text_io.h"

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

void
text_invalid(const char *type_name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid %s value", type_name),
			 errdetail("%s", detail)));
}

void
append_time(StringInfo buf, int64 t, TimeKind kind)
{
	struct pg_tm tm;
	fsec_t		fsec;
	bool		bc;

	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	bc = tm.tm_year <= 0;
	appendStringInfo(buf, "%04d-%02d-%02d", bc ? 1 - tm.tm_year : tm.tm_year, tm.tm_mon, tm.tm_mday);
	if (kind != TIME_DATE)
	{
		appendStringInfo(buf, "T%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (fsec != 0)
			appendStringInfo(buf, ".%06d", (int) fsec);
		if (kind == TIME_TIMESTAMPTZ)
			appendStringInfoChar(buf, 'Z');
	}
	if (bc)
		appendStringInfoString(buf, "BC");
}

/* Read exactly n digits (n > 0), or 1 to 6 digits when n is 0. */
static int
read_digits(const char **p, int n)
{
	int			value = 0;
	int			count = 0;
	int			max = n > 0 ? n : 6;

	while (count < max && **p >= '0' && **p <= '9')
	{
		value = value * 10 + (**p - '0');
		(*p)++;
		count++;
	}
	if (count == 0 || (n > 0 && count != n) || (n == 0 && count < 4))
		return -1;
	return value;
}

static bool
expect_char(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

int64
parse_time(const char *type_name, const char *text, TimeKind kind)
{
	const char *p = text;
	struct pg_tm tm;
	fsec_t		fsec = 0;
	int			year;
	Timestamp	t;

	memset(&tm, 0, sizeof(tm));
	year = read_digits(&p, 0);
	if (year < 0 || !expect_char(&p, '-') || (tm.tm_mon = read_digits(&p, 2)) < 0 ||
		!expect_char(&p, '-') || (tm.tm_mday = read_digits(&p, 2)) < 0)
		text_invalid(type_name, psprintf("\"%s\" is not a time in the form YYYY-MM-DD", text));
	if (kind != TIME_DATE)
	{
		if (!expect_char(&p, 'T') || (tm.tm_hour = read_digits(&p, 2)) < 0 ||
			!expect_char(&p, ':') || (tm.tm_min = read_digits(&p, 2)) < 0 ||
			!expect_char(&p, ':') || (tm.tm_sec = read_digits(&p, 2)) < 0)
			text_invalid(type_name, psprintf("\"%s\" is not a time in the form YYYY-MM-DDTHH:MM:SS", text));
		if (expect_char(&p, '.') && (fsec = read_digits(&p, 6)) <= 0)
			text_invalid(type_name, psprintf("\"%s\" needs six non-zero fractional digits, or none", text));
		if (kind == TIME_TIMESTAMPTZ && !expect_char(&p, 'Z'))
			text_invalid(type_name, psprintf("\"%s\" must end in Z (UTC)", text));
	}
	if (p[0] == 'B' && p[1] == 'C')
	{
		p += 2;
		if (year == 0)
			text_invalid(type_name, "there is no year 0 BC");
		year = 1 - year;
	}
	else if (year == 0)
		text_invalid(type_name, "there is no year 0");
	if (*p != '\0')
		text_invalid(type_name, psprintf("unexpected text after time \"%s\"", text));
	tm.tm_year = year;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 ||
		tm.tm_mday < 1 || tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		text_invalid(type_name, psprintf("\"%s\" is not a valid time", text));
	if (tm2timestamp(&tm, fsec, NULL, &t) != 0 || !IS_VALID_TIMESTAMP(t))
		text_invalid(type_name, psprintf("\"%s\" is out of range", text));
	return t;
}

int64
parse_count(const char *type_name, const char *text)
{
	int64		v = 0;

	if (*text == '\0')
		text_invalid(type_name, "empty count");
	for (const char *p = text; *p; p++)
	{
		if (*p < '0' || *p > '9' || v > (PG_INT64_MAX - 9) / 10)
			text_invalid(type_name, psprintf("\"%s\" is not a valid count", text));
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The value of the next "name=value" field, which must be the expected one. */
char *
next_field(const char *type_name, char **cursor, const char *name)
{
	char	   *field = *cursor;
	char	   *end;
	size_t		n = strlen(name);

	if (field == NULL || strncmp(field, name, n) != 0 || field[n] != '=')
		text_invalid(type_name, psprintf("expected field \"%s\"", name));
	end = strchr(field, ' ');
	if (end)
	{
		*end = '\0';
		*cursor = end + 1;
	}
	else
		*cursor = NULL;
	return field + n + 1;
}

