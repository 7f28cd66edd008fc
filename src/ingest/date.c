/* date.c - normalise the date spellings found in news archives to ISO-8601 UTC.
 *
 * Hand-written rather than strptime/timegm: those depend on the locale and the
 * process time zone, and the index must give the same answer everywhere.
 * Character classes are ASCII-only for the same reason (and because <ctype.h>
 * is undefined for the negative chars that non-ASCII input produces). */
#include "date.h"

#include <stddef.h>

/* A date as written, before the offset is applied. */
typedef struct {
    int year, mon, day;
    int hour, min, sec;
    int off_min; /* minutes east of UTC */
} nx_dt;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char to_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int skip_space(const char **pp, const char *end)
{
    const char *p = *pp;
    while (p < end && is_space(*p))
        p++;
    int skipped = p != *pp;
    *pp = p;
    return skipped;
}

/* Reads a whole run of digits, so "99999" can never pass as a 4-digit year
 * followed by something else. The value is only computed when the run is short
 * enough not to overflow. Advances only on success. */
static int read_num(const char **pp, const char *end, int min_digits, int max_digits, int *out)
{
    const char *p = *pp;
    int n = 0;
    while (p + n < end && is_digit(p[n]))
        n++;
    if (n < min_digits || n > max_digits)
        return -1;
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    *out = v;
    *pp = p + n;
    return 0;
}

static int read_char(const char **pp, const char *end, char c)
{
    if (*pp < end && **pp == c) {
        (*pp)++;
        return 0;
    }
    return -1;
}

static size_t read_word(const char **pp, const char *end, const char **word)
{
    const char *p = *pp;
    *word = p;
    while (p < end && is_alpha(*p))
        p++;
    *pp = p;
    return (size_t)(p - *word);
}

static int word_is(const char *w, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n; i++) {
        if (lit[i] == '\0' || to_lower(w[i]) != lit[i])
            return 0;
    }
    return lit[i] == '\0';
}

static int word_prefix_of(const char *w, size_t n, const char *lit)
{
    for (size_t i = 0; i < n; i++) {
        if (lit[i] == '\0' || to_lower(w[i]) != lit[i])
            return 0;
    }
    return 1;
}

/* Full name, three-letter abbreviation, or "Sept"; returns 1..12 or 0. */
static int month_from_word(const char *w, size_t n)
{
    static const char *const names[12] = {
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    };
    for (int m = 0; m < 12; m++) {
        size_t full = 0;
        while (names[m][full])
            full++;
        if ((n == 3 || n == full) && word_prefix_of(w, n, names[m]))
            return m + 1;
    }
    if (word_is(w, n, "sept"))
        return 9;
    return 0;
}

static int is_weekday(const char *w, size_t n)
{
    static const char *const names[] = {
        "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday",
        "thu", "thur", "thurs", "thursday", "fri", "friday",
        "sat", "saturday", "sun", "sunday",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (word_is(w, n, names[i]))
            return 1;
    }
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic
 * Gregorian calendar, exact for every year we accept and free of time_t. */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void put_num(char *out, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static void format_utc(char *out, int y, int mo, int d, int h, int mi, int s)
{
    put_num(out, y, 4);
    out[4] = '-';
    put_num(out + 5, mo, 2);
    out[7] = '-';
    put_num(out + 8, d, 2);
    out[10] = 'T';
    put_num(out + 11, h, 2);
    out[13] = ':';
    put_num(out + 14, mi, 2);
    out[16] = ':';
    put_num(out + 17, s, 2);
    out[19] = 'Z';
    out[NX_DATE_LEN] = '\0';
}

/* Validates the fields as written, then shifts by the offset in whole minutes
 * so that a leap second (:60) survives the shift untouched. */
static int normalise(const nx_dt *t, char *out)
{
    if (t->year < 1 || t->year > 9999 || t->mon < 1 || t->mon > 12)
        return -1;
    if (t->day < 1 || t->day > days_in_month(t->year, t->mon))
        return -1;
    if (t->hour > 23 || t->min > 59 || t->sec > 60)
        return -1;
    long long mins = days_from_civil(t->year, t->mon, t->day) * 1440 + t->hour * 60 + t->min
                     - t->off_min;
    long long days = floor_div(mins, 1440);
    int mod = (int)(mins - days * 1440);
    long long y;
    int mo, d;
    civil_from_days(days, &y, &mo, &d);
    if (y < 1 || y > 9999)
        return -1;
    int h = mod / 60, mi = mod % 60;
    /* Leap seconds are only ever inserted at the end of a UTC day. */
    if (t->sec == 60 && (h != 23 || mi != 59))
        return -1;
    format_utc(out, (int)y, mo, d, h, mi, t->sec);
    return 0;
}

static int parse_epoch(const char *p, const char *end, char *out)
{
    long long secs = 0;
    for (; p < end; p++)
        secs = secs * 10 + (*p - '0');
    long long days = secs / 86400;
    int rem = (int)(secs % 86400);
    long long y;
    int mo, d;
    civil_from_days(days, &y, &mo, &d);
    format_utc(out, (int)y, mo, d, rem / 3600, rem / 60 % 60, rem % 60);
    return 0;
}

/* YYYY-MM-DD and YYYY/MM/DD. */
static int parse_ymd(const char **pp, const char *end, char sep, nx_dt *t)
{
    const char *p = *pp;
    if (read_num(&p, end, 4, 4, &t->year) || read_char(&p, end, sep)
        || read_num(&p, end, 2, 2, &t->mon) || read_char(&p, end, sep)
        || read_num(&p, end, 2, 2, &t->day))
        return -1;
    *pp = p;
    return 0;
}

/* DD.MM.YYYY, the European order; one-digit day and month are common too. */
static int parse_dotted(const char **pp, const char *end, nx_dt *t)
{
    const char *p = *pp;
    if (read_num(&p, end, 1, 2, &t->day) || read_char(&p, end, '.')
        || read_num(&p, end, 1, 2, &t->mon) || read_char(&p, end, '.')
        || read_num(&p, end, 4, 4, &t->year))
        return -1;
    *pp = p;
    return 0;
}

static int read_month(const char **pp, const char *end, int *mon)
{
    const char *p = *pp;
    const char *w;
    size_t n = read_word(&p, end, &w);
    int m = month_from_word(w, n);
    if (!m)
        return -1;
    read_char(&p, end, '.');
    *mon = m;
    *pp = p;
    return 0;
}

/* RFC 2822 obs-year: 00-49 is 20xx, 50-99 and any three-digit year is 19xx. */
static int rfc_year(int v, const char *start, const char *stop)
{
    ptrdiff_t digits = stop - start;
    if (digits == 2)
        return v < 50 ? v + 2000 : v + 1900;
    if (digits == 3)
        return v + 1900;
    return v;
}

/* [Weekday[,]] "4 December 2022" / "04 Dec 22" (RFC 2822), or
 * [Weekday[,]] "December 4, 2022" / "Dec. 4 2022". The weekday is skipped
 * unchecked: archives get it wrong often enough that trusting the date wins. */
static int parse_named(const char **pp, const char *end, nx_dt *t)
{
    const char *p = *pp;
    const char *w;
    const char *q = p;
    size_t n = read_word(&q, end, &w);
    if (n && is_weekday(w, n)) {
        p = q;
        skip_space(&p, end);
        if (read_char(&p, end, ',') == 0)
            skip_space(&p, end);
        else if (p == q)
            return -1;
    }
    if (p < end && is_digit(*p)) {
        if (read_num(&p, end, 1, 2, &t->day) || !skip_space(&p, end)
            || read_month(&p, end, &t->mon))
            return -1;
        read_char(&p, end, ',');
        if (!skip_space(&p, end))
            return -1;
        const char *ys = p;
        if (read_num(&p, end, 2, 4, &t->year))
            return -1;
        t->year = rfc_year(t->year, ys, p);
    } else {
        if (read_month(&p, end, &t->mon) || !skip_space(&p, end)
            || read_num(&p, end, 1, 2, &t->day))
            return -1;
        int comma = read_char(&p, end, ',') == 0;
        if (!skip_space(&p, end) && !comma)
            return -1;
        if (read_num(&p, end, 4, 4, &t->year))
            return -1;
    }
    *pp = p;
    return 0;
}

/* "am", "pm", "a.m.", "p.m." in any case; returns 'a', 'p' or 0. */
static char read_meridiem(const char **pp, const char *end)
{
    const char *p = *pp;
    if (p >= end)
        return 0;
    char c = to_lower(*p);
    if (c != 'a' && c != 'p')
        return 0;
    p++;
    int dotted = read_char(&p, end, '.') == 0;
    if (p >= end || to_lower(*p) != 'm')
        return 0;
    p++;
    if (dotted && read_char(&p, end, '.'))
        return 0;
    if (p < end && is_alpha(*p))
        return 0;
    *pp = p;
    return c;
}

/* H:MM or HH:MM[:SS[.fraction]] [AM|PM]. Fractions are dropped, not rounded,
 * so that a normalised date never sorts after the instant it came from. */
static int parse_time(const char **pp, const char *end, nx_dt *t)
{
    const char *p = *pp;
    if (read_num(&p, end, 1, 2, &t->hour) || read_char(&p, end, ':')
        || read_num(&p, end, 2, 2, &t->min))
        return -1;
    t->sec = 0;
    if (read_char(&p, end, ':') == 0) {
        if (read_num(&p, end, 2, 2, &t->sec))
            return -1;
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            if (p >= end || !is_digit(*p))
                return -1;
            while (p < end && is_digit(*p))
                p++;
        }
    }
    const char *q = p;
    skip_space(&q, end);
    char mer = read_meridiem(&q, end);
    if (mer) {
        if (t->hour < 1 || t->hour > 12)
            return -1;
        t->hour = t->hour % 12 + (mer == 'p' ? 12 : 0);
        p = q;
    }
    *pp = p;
    return 0;
}

/* Z, +HH, +HHMM, +HH:MM, or one of the names listed in date.h. */
static int parse_zone(const char **pp, const char *end, int *off)
{
    static const struct {
        const char *name;
        int off_min;
    } zones[] = {
        {"z", 0},          {"ut", 0},         {"utc", 0},        {"gmt", 0},
        {"est", -5 * 60},  {"edt", -4 * 60},  {"cst", -6 * 60},  {"cdt", -5 * 60},
        {"mst", -7 * 60},  {"mdt", -6 * 60},  {"pst", -8 * 60},  {"pdt", -7 * 60},
        {"cet", 1 * 60},   {"cest", 2 * 60},  {"msk", 3 * 60},
    };
    const char *p = *pp;
    if (p < end && (*p == '+' || *p == '-')) {
        int sign = *p == '-' ? -1 : 1;
        p++;
        const char *ds = p;
        int v, hh, mm = 0;
        if (read_num(&p, end, 2, 4, &v))
            return -1;
        if (p - ds == 4) {
            hh = v / 100;
            mm = v % 100;
        } else if (p - ds == 2) {
            hh = v;
            if (read_char(&p, end, ':') == 0 && read_num(&p, end, 2, 2, &mm))
                return -1;
        } else {
            return -1;
        }
        if (hh > 23 || mm > 59)
            return -1;
        *off = sign * (hh * 60 + mm);
        *pp = p;
        return 0;
    }
    const char *w;
    size_t n = read_word(&p, end, &w);
    for (size_t i = 0; n && i < sizeof zones / sizeof zones[0]; i++) {
        if (word_is(w, n, zones[i].name)) {
            *off = zones[i].off_min;
            *pp = p;
            return 0;
        }
    }
    return -1;
}

/* RFC 2822 allows a comment after the zone, as in "+0100 (CET)". */
static int skip_comment(const char **pp, const char *end)
{
    const char *p = *pp;
    int depth = 0;
    do {
        if (p >= end)
            return -1;
        if (*p == '\\')
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if (p < end)
            p++;
    } while (depth > 0);
    *pp = p;
    return 0;
}

/* The date, then optionally a time, then optionally a zone; nothing else. */
static int parse_datetime(const char *b, const char *end, nx_dt *t)
{
    /* Each form parser advances p only when it matched. */
    const char *p = b;
    int iso = parse_ymd(&p, end, '-', t) == 0;
    if (!iso && parse_ymd(&p, end, '/', t) && parse_dotted(&p, end, t)
        && parse_named(&p, end, t))
        return -1;
    if (p == end)
        return 0;
    if (iso && (*p == 'T' || *p == 't')) {
        p++;
    } else {
        int comma = !iso && read_char(&p, end, ',') == 0;
        if (!skip_space(&p, end) && !comma)
            return -1;
    }
    if (parse_time(&p, end, t))
        return -1;
    skip_space(&p, end);
    if (p == end)
        return 0;
    if (parse_zone(&p, end, &t->off_min))
        return -1;
    skip_space(&p, end);
    if (p < end && *p == '(' && skip_comment(&p, end))
        return -1;
    skip_space(&p, end);
    return p == end ? 0 : -1;
}

int nx_date_parse(const char *s, char out[NX_DATE_LEN + 1])
{
    if (!s || !out)
        return -1;
    const char *b = s;
    while (*b && is_space(*b))
        b++;
    const char *end = b;
    while (*end)
        end++;
    while (end > b && is_space(end[-1]))
        end--;
    if (b == end)
        return -1;

    const char *p = b;
    while (p < end && is_digit(*p))
        p++;
    if (p == end) {
        ptrdiff_t n = end - b;
        return (n == 9 || n == 10) ? parse_epoch(b, end, out) : -1;
    }

    nx_dt t = {0};
    if (parse_datetime(b, end, &t))
        return -1;
    return normalise(&t, out);
}
