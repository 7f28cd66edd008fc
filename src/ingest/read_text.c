/* read_text.c - plain-text and Markdown articles: an optional header block
 * of "Key: value" lines (Title, Date, Source, URL, Language, ID), a blank
 * line, then the body. Without a header the first non-empty line is the
 * title. A header is recognised only when every line before the first blank
 * line is a known key, so a body that starts "Update: ..." stays a body. */
#include "record.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest first line taken whole as a title, in bytes. */
#define MAX_TITLE 300

typedef struct line {
    const char *s;
    size_t n;
} line;

/* The line starting at *pos, without its end of line; advances *pos. */
static line next_line(const char *d, size_t len, size_t *pos)
{
    line l = {d + *pos, 0};
    size_t i = *pos;
    while (i < len && d[i] != '\n')
        i++;
    l.n = i - *pos;
    if (l.n && l.s[l.n - 1] == '\r')
        l.n--;
    *pos = i < len ? i + 1 : len;
    return l;
}

static int blank(line l)
{
    for (size_t i = 0; i < l.n; i++)
        if (!isspace((unsigned char)l.s[i]))
            return 0;
    return 1;
}

static char *trimmed_copy(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return nx_utf8_repair(s, n);
}

static char **header_slot(nx_record *r, const char *key, size_t klen)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"title", offsetof(nx_record, title)},     {"headline", offsetof(nx_record, title)},
        {"date", offsetof(nx_record, date)},       {"published", offsetof(nx_record, date)},
        {"source", offsetof(nx_record, source)},   {"publisher", offsetof(nx_record, source)},
        {"url", offsetof(nx_record, url)},         {"language", offsetof(nx_record, lang)},
        {"lang", offsetof(nx_record, lang)},       {"id", offsetof(nx_record, id)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].key) == klen && strncasecmp(keys[i].key, key, klen) == 0)
            return (char **)((char *)r + keys[i].off);
    return NULL;
}

/* Parses "Key: value" into the record; returns the field it sets, NULL if
 * the line is not one. */
static char **header_line(nx_record *r, line l, int apply)
{
    const char *colon = memchr(l.s, ':', l.n);
    if (!colon || colon == l.s)
        return NULL;
    size_t klen = (size_t)(colon - l.s);
    char **slot = header_slot(r, l.s, klen);
    if (slot && apply) {
        free(*slot);
        *slot = trimmed_copy(colon + 1, l.n - klen - 1);
    }
    return slot;
}

/* Body: the rest, with runs of blank lines folded to one paragraph break and
 * lines of a paragraph joined by spaces (hard-wrapped text reads as prose). */
static char *body_from(const char *d, size_t len, size_t pos)
{
    char *out = malloc(len - pos + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int pending_break = 0;
    while (pos < len) {
        line l = next_line(d, len, &pos);
        if (blank(l)) {
            pending_break = o > 0;
            continue;
        }
        const char *s = l.s;
        size_t n = l.n;
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if (o > 0) {
            if (pending_break) {
                out[o++] = '\n';
                out[o++] = '\n';
            } else {
                out[o++] = ' ';
            }
        }
        pending_break = 0;
        /* No overflow: each separator written replaces at least as many
         * end-of-line bytes of the input. */
        memcpy(out + o, s, n);
        o += n;
    }
    out[o] = '\0';
    char *fixed = nx_utf8_repair(out, o);
    free(out);
    return fixed;
}

int nx_read_text(const char *data, size_t len, const nx_record_sink *sink)
{
    nx_record r = {0};
    size_t pos = 0;

    /* Skip a UTF-8 byte order mark and leading blank lines. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    size_t start = pos;
    for (;;) {
        size_t before = pos;
        if (pos >= len)
            break;
        line l = next_line(data, len, &pos);
        if (!blank(l)) {
            pos = start = before;
            break;
        }
    }

    /* Is there a header block? Every line up to a blank one must be a key. */
    size_t p = start;
    int header = 0, lines = 0;
    while (p < len) {
        line l = next_line(data, len, &p);
        if (blank(l)) {
            header = lines > 0;
            break;
        }
        if (!header_line(&r, l, 0))
            break;
        lines++;
    }
    if (header) {
        long lineno = 1;
        for (size_t i = 0; i < start; i++)
            lineno += data[i] == '\n';
        p = start;
        for (;; lineno++) {
            line l = next_line(data, len, &p);
            if (blank(l))
                break;
            char **slot = header_line(&r, l, 1);
            if (slot == &r.date)
                r.date_line = lineno;
            else if (slot == &r.lang)
                r.lang_line = lineno;
        }
        start = p;
    }
    if (!r.title) {
        size_t q = start;
        while (q < len) {
            line l = next_line(data, len, &q);
            if (!blank(l)) {
                const char *s = l.s;
                size_t n = l.n;
                while (n && (*s == '#' || isspace((unsigned char)*s)))
                    s++, n--;
                if (n > MAX_TITLE) {
                    /* Not a title but text without line breaks: the
                     * start names it, and all of it stays the body. */
                    size_t cut = MAX_TITLE;
                    while (cut > MAX_TITLE / 2 && !isspace((unsigned char)s[cut]))
                        cut--;
                    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
                        cut--;
                    r.title = trimmed_copy(s, cut);
                    break;
                }
                r.title = trimmed_copy(s, n);
                start = q;
                break;
            }
        }
    }
    r.body = body_from(data, len, start);
    if ((!r.title || !r.title[0]) && (!r.body || !r.body[0])) {
        nx_record_clear(&r);
        if (sink->on_problem)
            sink->on_problem(sink->ctx, 0, "no text in file");
        return -1;
    }
    r.line = 0;
    return sink->on_record(sink->ctx, &r);
}
