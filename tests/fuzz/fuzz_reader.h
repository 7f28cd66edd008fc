/* fuzz_reader.h - the record sink shared by the reader targets
 * (fuzz_read_text.c, fuzz_read_jsonl.c, fuzz_read_html.c).
 *
 * It checks what record.h promises of every reader: each string of a record
 * is NULL or valid UTF-8 (utf8proc_iterate decides), a record has a title or
 * a body, JSON Lines records come with increasing 1-based line numbers and
 * whole-file records with line 0, problems carry a message. Records are
 * freed with nx_record_clear, as the ingest driver does. */
#ifndef NX_FUZZ_READER_H
#define NX_FUZZ_READER_H

#include "ingest/record.h"

#include "fuzz_common.h"

typedef struct reader_state {
    const char *reader;
    int per_line;   /* JSON Lines: records carry their line */
    size_t records, problems;
    long last_line; /* of the previous record or problem */
    size_t notices; /* fields left empty in records kept: not problems, and
                       a line may have several */
} reader_state;

static inline void check_string(const reader_state *st, const char *field, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s), bad = 0;
    FUZZ_CHECK(fuzz_utf8_valid(s, n, &bad), "%s: %s is not valid UTF-8 at byte %zu of %zu",
               st->reader, field, bad, n);
}

static inline int on_record(void *ctx, nx_record *rec)
{
    reader_state *st = ctx;
    FUZZ_CHECK(rec != NULL, "%s: NULL record", st->reader);
    check_string(st, "id", rec->id);
    check_string(st, "title", rec->title);
    check_string(st, "body", rec->body);
    check_string(st, "date", rec->date);
    check_string(st, "source", rec->source);
    check_string(st, "url", rec->url);
    check_string(st, "lang", rec->lang);
    FUZZ_CHECK((rec->title && rec->title[0]) || (rec->body && rec->body[0]),
               "%s: record without title or body", st->reader);
    if (st->per_line) {
        FUZZ_CHECK(rec->line > st->last_line, "%s: record at line %ld after line %ld", st->reader,
                   rec->line, st->last_line);
        st->last_line = rec->line;
    } else {
        FUZZ_CHECK(rec->line == 0, "%s: whole-file record with line %ld", st->reader, rec->line);
    }
    st->records++;
    nx_record_clear(rec);
    FUZZ_CHECK(!rec->id && !rec->title && !rec->body && !rec->date && !rec->source && !rec->url &&
                   !rec->lang,
               "%s: nx_record_clear left a pointer", st->reader);
    return 0;
}

static inline void on_problem(void *ctx, long line, const char *msg)
{
    reader_state *st = ctx;
    FUZZ_CHECK(msg != NULL && msg[0] != '\0', "%s: problem without a message", st->reader);
    FUZZ_CHECK(line >= 0, "%s: problem at line %ld", st->reader, line);
    check_string(st, "problem message", msg);
    if (st->per_line && line > 0) {
        FUZZ_CHECK(line > st->last_line, "%s: problem at line %ld after line %ld", st->reader,
                   line, st->last_line);
        st->last_line = line;
    }
    st->problems++;
}

/* A record kept with a field left empty: said before the record itself,
 * at its line (record.h), so the line is past the last record's and any
 * number of notices may share it. */
static inline void on_notice(void *ctx, long line, const char *msg)
{
    reader_state *st = ctx;
    FUZZ_CHECK(msg != NULL && msg[0] != '\0', "%s: notice without a message", st->reader);
    check_string(st, "notice message", msg);
    if (st->per_line)
        FUZZ_CHECK(line > st->last_line, "%s: notice at line %ld after line %ld", st->reader, line,
                   st->last_line);
    st->notices++;
}

#endif
