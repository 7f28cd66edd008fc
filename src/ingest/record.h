/* record.h - what every input reader produces: one article record at a time.
 *
 * Readers (plain text, JSON Lines, HTML) know nothing about the index; they turn
 * bytes into nx_record values and report bad input through the sink, naming the
 * line where they can. The ingest driver decides ids, dates and what to store. */
#ifndef NX_INGEST_RECORD_H
#define NX_INGEST_RECORD_H

#include <stddef.h>

typedef struct nx_record {
    char *id;     /* external id from the input, or NULL (the driver derives one) */
    char *title;  /* NULL when absent */
    char *body;   /* article text, paragraphs separated by "\n\n"; NULL when absent */
    char *date;   /* the date as written in the input, unparsed; NULL when absent */
    char *source; /* outlet name */
    char *url;
    char *lang;   /* language as given by the input (code or name), NULL when absent */
    long line;    /* 1-based line where the record starts; 0 for a whole-file record */
    long date_line; /* 1-based line of the date and the language within a whole-file */
    long lang_line; /* record (a text file's header), so a warning can name it; else 0 */
} nx_record;

/* Called once per good record. The callee takes ownership of the strings and
 * must call nx_record_clear() (or steal them). Returns 0 to go on, non-zero to
 * stop reading (the reader then returns that value). */
typedef int (*nx_record_fn)(void *ctx, nx_record *rec);

/* Called once per bad record or bad stretch of input: `line` is 1-based, 0 when
 * the problem concerns the whole input. `msg` is a short sentence without the
 * file name (the driver adds it). */
typedef void (*nx_problem_fn)(void *ctx, long line, const char *msg);

typedef struct nx_record_sink {
    nx_record_fn on_record;
    nx_problem_fn on_problem;
    void *ctx;
    /* Called for a good record that lost a field the reader could not use
     * (a warning, not a bad record); may be NULL. Called before on_record. */
    nx_problem_fn on_notice;
} nx_record_sink;

/* Frees every string of rec and sets the pointers to NULL. */
void nx_record_clear(nx_record *rec);

/* Readers. Each takes the whole input in memory (already gunzipped), which need
 * not be NUL-terminated nor valid UTF-8; strings handed out are valid UTF-8
 * (invalid sequences replaced by U+FFFD). Each returns 0 when it read to the
 * end (bad records having been reported and skipped), -1 when the input as a
 * whole was unusable (already reported), or what on_record returned to stop. */
int nx_read_text(const char *data, size_t len, const nx_record_sink *sink);
int nx_read_jsonl(const char *data, size_t len, const nx_record_sink *sink);
int nx_read_html(const char *data, size_t len, const nx_record_sink *sink);

/* Returns a malloc'd copy of s[0..len) as valid UTF-8: NUL bytes dropped,
 * invalid sequences replaced by U+FFFD. Never returns NULL unless out of memory. */
char *nx_utf8_repair(const char *s, size_t len);

#endif
