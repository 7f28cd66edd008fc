/* cli.h - what the newsidx command's files share. The command uses only the
 * public API (newsidx.h); this header adds the subcommand table entries and
 * the output helpers of output.c. */
#ifndef NX_CLI_H
#define NX_CLI_H

#include "newsidx.h"

#include <stdio.h>

/* Exit codes, as grep's. */
enum { EXIT_FOUND = 0, EXIT_NONE = 1, EXIT_ERROR = 2 };

/* One subcommand: argv[0] is its name. Returns an exit code. */
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_names(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_optimize(int argc, char **argv);

/* The index path: -d/--db, else $NEWSIDX_DB, else ./newsidx.db. */
const char *cli_db_path(const char *given);

/* Prints "newsidx: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens the index or prints why not; returns NULL on failure. */
nx_index_t *cli_open(const char *path, nx_open_mode_t mode, const char *lang);

struct option;
/* Splits arguments into options (for getopt_long, argv[0] first) and
 * query words, so that options may come anywhere while "-putin" stays a
 * word: long options from opts, short ones in valued (take a value) or
 * flags. oargv and words need argc + 1 places. */
int cli_split_args(int argc, char **argv, const struct option *opts, const char *valued,
                   const char *flags, char **oargv, int *oargc, char **words, int *nwords);

/* A command line split into options (for getopt_long over oargv) and the
 * words of a query, so options may come anywhere and "-putin" stays a word. */
typedef struct cli_args {
    char **oargv, **words;
    int oargc, nwords;
} cli_args;

/* Splits argv (cli_split_args) into new arrays; -1 when out of memory
 * (reported). */
int cli_args_new(cli_args *a, int argc, char **argv, const struct option *opts,
                 const char *valued, const char *flags);
/* After getopt_long: the query words (and anything left from optind on),
 * joined into a malloc'd string (NULL when out of memory); frees the arrays. */
char *cli_args_query(cli_args *a);
void cli_args_free(cli_args *a);

/* The words joined by spaces, malloc'd; NULL when out of memory. */
char *cli_join(char *const *words, int n);

/* Exits 2 with a message when s is not a whole non-negative number. */
size_t cli_number(const char *opt, const char *s);

/* ---- interface to code in output.c ---- */

/* Writes s as a JSON string (with quotes). */
void json_string(FILE *f, const char *s);
/* A score for printing: four decimals, or (below 0.0001, the BM25 of a word
 * in most articles) three significant digits, so that a real match never
 * shows as 0, which JSON output keeps for queries of filters only. */
const char *cli_score(double score, char buf[32]);

/* How highlights are shown in text output. */
typedef struct highlighter {
    const char *open, *close;
    char buf[2][64]; /* --mark values */
} highlighter;

/* Chooses markers from --color (auto/always/never), --mark and the
 * terminal: ANSI bold red on a terminal, else "[[" "]]". */
int highlighter_init(highlighter *h, const char *color, const char *mark, FILE *out);

/* Writes text with spans wrapped in the highlighter's markers. */
void print_highlighted(FILE *f, const char *text, const nx_span_t *spans, size_t n,
                       const highlighter *h);

/* Byte offset to code point offset in text (for JSON spans). */
size_t utf8_index(const char *text, size_t byte);

#endif
