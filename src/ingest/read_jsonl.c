/* read_jsonl.c - JSON Lines dumps: one article object per line.
 *
 * Field names vary between scrapers, so each field has a few accepted
 * names (first one present wins). Unknown fields are ignored. A line that
 * is not a JSON object, or has no text at all, is reported with its line
 * number and skipped; the rest of the file is still read. Parsing uses
 * json-c with a depth limit, so hostile nesting cannot exhaust the stack. */
#include "record.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

static const char *const id_names[] = {"id", "guid", "doc_id", "docid", NULL};
static const char *const title_names[] = {"title", "headline", NULL};
static const char *const body_names[] = {"body", "text", "content", "article", "description",
                                         NULL};
static const char *const date_names[] = {"date", "published", "published_at", "pubDate",
                                         "datePublished", "time", NULL};
static const char *const source_names[] = {"source", "publisher", "outlet", "site", NULL};
static const char *const url_names[] = {"url", "link", NULL};
static const char *const lang_names[] = {"lang", "language", NULL};

/* The text of an array (paragraphs, as some scrapers write a body): its
 * strings joined by blank lines, anything else in it left out; NULL when
 * it holds no string. */
static char *joined(json_object *a)
{
    size_t n = json_object_array_length(a), len = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(a, i);
        if (json_object_is_type(e, json_type_string))
            len += (size_t)json_object_get_string_len(e) + 2;
    }
    char *buf = len ? malloc(len + 1) : NULL, *p = buf;
    if (!buf)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(a, i);
        if (!json_object_is_type(e, json_type_string))
            continue;
        if (p != buf) {
            memcpy(p, "\n\n", 2);
            p += 2;
        }
        size_t k = (size_t)json_object_get_string_len(e);
        memcpy(p, json_object_get_string(e), k);
        p += k;
    }
    *p = '\0';
    char *text = nx_utf8_repair(buf, (size_t)(p - buf));
    free(buf);
    return text;
}

/* The first named field that is a string or number, repaired to UTF-8. A
 * source given as an object ({"name": ...}) is common enough to accept, and
 * so (with paragraphs) is an array of strings where text is expected. When
 * no name gives a value but one had a value of another type, bad[] says
 * which, for the caller to report: an article stored with an empty body is
 * found by nothing, and nothing said why. */
static char *field(json_object *obj, const char *const *names, int text, char bad[96])
{
    char why[96] = "";
    bad[0] = '\0';
    for (; *names; names++) {
        json_object *v;
        if (!json_object_object_get_ex(obj, *names, &v) || !v)
            continue;
        const char *kind = NULL;
        if (json_object_is_type(v, json_type_object)) {
            json_object *name;
            if (json_object_object_get_ex(v, "name", &name) &&
                json_object_is_type(name, json_type_string))
                v = name;
            else
                kind = "an object";
        }
        if (!kind && json_object_is_type(v, json_type_array)) {
            if (json_object_array_length(v) == 0)
                continue; /* [] is no text, like "" */
            char *t = text ? joined(v) : NULL;
            if (t)
                return t;
            kind = text ? "an array without text" : "an array";
        }
        switch (kind ? json_type_null : json_object_get_type(v)) {
        case json_type_string:
            return nx_utf8_repair(json_object_get_string(v), (size_t)json_object_get_string_len(v));
        case json_type_int:
            /* json-c clamps integers beyond 64 bits to the limits; such an
             * id would collide with others, so it is not taken. */
            if (json_object_get_int64(v) == INT64_MIN ||
                (json_object_get_int64(v) == INT64_MAX &&
                 json_object_get_uint64(v) == UINT64_MAX))
                continue;
            /* fall through */
        case json_type_double: {
            const char *s = json_object_get_string(v);
            return nx_utf8_repair(s, strlen(s));
        }
        case json_type_boolean:
            kind = "true or false";
            break;
        default:
            break;
        }
        if (kind && !why[0])
            snprintf(why, sizeof why, "'%.40s' is %s", *names, kind);
    }
    memcpy(bad, why, sizeof why);
    return NULL;
}

static int empty(const char *s)
{
    return !s || !*s;
}

static void problem(const nx_record_sink *sink, long line, const char *fmt, const char *detail)
{
    if (!sink->on_problem)
        return;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, detail);
    sink->on_problem(sink->ctx, line, msg);
}

static int read_line(json_tokener *tok, const char *s, size_t n, long lineno,
                     const nx_record_sink *sink)
{
    json_tokener_reset(tok);
    json_object *obj = json_tokener_parse_ex(tok, s, (int)n);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    if (!obj && err == json_tokener_continue) {
        /* A bare number or literal (42, true, null) ends only at a
         * terminator: give it one to tell it from a cut-off object. */
        obj = json_tokener_parse_ex(tok, "", 1);
        err = json_tokener_get_error(tok);
        used = n;
        if (!obj && err == json_tokener_success) {
            problem(sink, lineno, "%s", "not a JSON object; line skipped");
            return 0;
        }
    }
    if (!obj) {
        problem(sink, lineno, "invalid JSON (%s); line skipped",
                err == json_tokener_continue ? "unexpected end of line"
                                             : json_tokener_error_desc(err));
        return 0;
    }
    while (used < n && (s[used] == ' ' || s[used] == '\t' || s[used] == '\r'))
        used++;
    if (used < n) {
        json_object_put(obj);
        problem(sink, lineno, "%s", "text after the JSON object; line skipped");
        return 0;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        problem(sink, lineno, "%s", "not a JSON object; line skipped");
        return 0;
    }
    nx_record r = {0};
    char bad[7][96];
    r.id = field(obj, id_names, 0, bad[0]);
    r.title = field(obj, title_names, 1, bad[1]);
    r.body = field(obj, body_names, 1, bad[2]);
    r.date = field(obj, date_names, 0, bad[3]);
    r.source = field(obj, source_names, 0, bad[4]);
    r.url = field(obj, url_names, 0, bad[5]);
    r.lang = field(obj, lang_names, 0, bad[6]);
    r.line = lineno;
    json_object_put(obj);
    if (empty(r.title) && empty(r.body)) {
        nx_record_clear(&r);
        char why[256];
        snprintf(why, sizeof why, "no title or text field%s%s%s; line skipped",
                 bad[1][0] || bad[2][0] ? " (" : "", bad[2][0] ? bad[2] : bad[1],
                 bad[1][0] || bad[2][0] ? ", not text)" : "");
        problem(sink, lineno, "%s", why);
        return 0;
    }
    /* The article is stored; a field it could not use is said once. */
    for (int i = 0; i < 7 && sink->on_notice; i++)
        if (bad[i][0]) {
            char msg[160];
            snprintf(msg, sizeof msg, "%.95s, not text; the field is left empty", bad[i]);
            sink->on_notice(sink->ctx, lineno, msg);
        }
    return sink->on_record(sink->ctx, &r);
}

int nx_read_jsonl(const char *data, size_t len, const nx_record_sink *sink)
{
    json_tokener *tok = json_tokener_new_ex(MAX_DEPTH);
    if (!tok) {
        problem(sink, 0, "%s", "out of memory");
        return -1;
    }
    size_t pos = 0;
    long lineno = 0;
    int rc = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len && rc == 0) {
        lineno++;
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        const char *s = data + pos;
        size_t n = end - pos;
        pos = nl ? end + 1 : len;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == n)
            continue;
        if (n > (size_t)0x7fffffff) {
            problem(sink, lineno, "%s", "line longer than 2 GiB; skipped");
            continue;
        }
        rc = read_line(tok, s, n, lineno, sink);
    }
    json_tokener_free(tok);
    return rc;
}
