/* date.h - turn the dates that news archives actually contain into one form.
 *
 * Every stored date is ISO-8601 UTC, "YYYY-MM-DDTHH:MM:SSZ", so that string
 * order is time order in both engines. Date-only inputs become midnight UTC. */
#ifndef NX_INGEST_DATE_H
#define NX_INGEST_DATE_H

#define NX_DATE_LEN 20 /* strlen("2022-12-04T10:30:00Z") */

/* Parses s (ISO-8601 date or date-time with optional fraction and offset,
 * RFC 2822 as in mail and RSS, "December 4, 2022", "4 December 2022",
 * "Dec 4, 2022 10:30 AM", "2022/12/04", "04.12.2022" (day first), unix epoch
 * seconds as all digits of 9 or 10 characters) and writes the UTC time to
 * out as NX_DATE_LEN characters plus a NUL. Offsets are applied; a named zone
 * it knows (UTC, GMT, Z, EST, EDT, CST, CDT, MST, MDT, PST, PDT, CET, CEST, MSK)
 * too. Leading/trailing white space is ignored.
 * Returns 0 on success, -1 when s is not a date it recognises or is out of
 * range (years 1..9999, real calendar days, 00:00:00..23:59:60). */
int nx_date_parse(const char *s, char out[NX_DATE_LEN + 1]);

#endif
