/* cmd_index.c - `newsidx index`: add files, folders and JSON Lines from
 * stdin to an index, creating it if needed. Problems with single inputs are
 * reported as they come (file:line: message) and do not stop the run. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: newsidx index [-d DB] [--lang LANG] [--engine fts5|xapian] [--shards N] [-q]\n"
    "                     [--force] [--prune] [--batch N] PATH... | -\n"
    "\n"
    "Indexes files (.txt .md .jsonl .ndjson .html .htm, each optionally .gz) and\n"
    "folders (recursively; hidden entries skipped). '-' reads JSON Lines from stdin.\n"
    "Unchanged files (same size and mtime) are skipped; changed files are read again\n"
    "and their articles replaced, without duplicates.\n"
    "\n"
    "  -d, --db PATH     the index (default $NEWSIDX_DB or ./newsidx.db); created if missing\n"
    "      --lang LANG   stemming language of a new index (default english; any Snowball\n"
    "                    language by name or code: french, fr, russian, ru, ...)\n"
    "      --engine E    engine of a new index: fts5 (default; one file) or xapian (a\n"
    "                    folder); an existing index keeps its engine\n"
    "      --shards N    Xapian only: split a new index into N shard folders by a stable\n"
    "                    hash of the article id (DB/shard0 ... DB/shardN-1); at most 1024\n"
    "  -q, --quiet       no progress and no summary; problems are still reported\n"
    "      --force       read every file again even if it looks unchanged\n"
    "      --prune       also forget the files under the folders given that are gone\n"
    "                    (deleted or moved away), with their articles\n"
    "      --batch N     articles per transaction (default 10000); a longer file is\n"
    "                    committed in parts and finished by the next run if stopped\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit status: 0 all input indexed, 1 some input was bad and skipped (the rest is\n"
    "indexed), 2 error.\n";

typedef struct run {
    int quiet;
    int tty;
    long problems;
    struct timespec start, last;
} run;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void on_problem(void *ctx, const char *path, long line, const char *msg)
{
    run *r = ctx;
    r->problems++;
    if (r->tty && !r->quiet)
        fputs("\r\033[K", stderr);
    if (line > 0)
        fprintf(stderr, "newsidx: %s:%ld: %s\n", path, line, msg);
    else
        fprintf(stderr, "newsidx: %s: %s\n", path, msg);
}

static void on_progress(void *ctx, const nx_ingest_counts_t *n)
{
    run *r = ctx;
    if (r->quiet || !r->tty || seconds_since(&r->last) < 0.2)
        return;
    clock_gettime(CLOCK_MONOTONIC, &r->last);
    double secs = seconds_since(&r->start);
    fprintf(stderr, "\r\033[Kindexing: %lld files, %lld articles, %.1f MB/s",
            (long long)(n->files_indexed + n->files_unchanged),
            (long long)(n->articles_added + n->articles_updated + n->articles_unchanged),
            secs > 0 ? (double)n->bytes_read / 1e6 / secs : 0.0);
}

static void summary(const run *r, const nx_ingest_counts_t *n)
{
    double secs = seconds_since(&r->start);
    if (r->tty)
        fputs("\r\033[K", stderr);
    printf("%lld files: %lld indexed, %lld unchanged, %lld bad; articles: %lld added, "
           "%lld updated, %lld unchanged, %lld removed, %lld bad records; %.1f MB in %.2f s\n",
           (long long)n->files_seen, (long long)n->files_indexed, (long long)n->files_unchanged,
           (long long)n->files_bad, (long long)n->articles_added, (long long)n->articles_updated,
           (long long)n->articles_unchanged, (long long)n->articles_removed,
           (long long)n->records_bad, (double)n->bytes_read / 1e6, secs);
    if (n->files_pruned)
        printf("%lld files gone from the archive: forgotten with their articles\n",
               (long long)n->files_pruned);
}

int cmd_index(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"lang", required_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'},        {"force", no_argument, NULL, 'f'},
        {"batch", required_argument, NULL, 'b'},  {"help", no_argument, NULL, 'h'},
        {"engine", required_argument, NULL, 'e'}, {"shards", required_argument, NULL, 's'},
        {"prune", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    nx_open_options_t oo = {0};
    nx_ingest_options_t io = {0};
    run r = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': oo.language = optarg; break;
        case 'e': oo.engine = optarg; break;
        case 's': oo.shards = (unsigned)cli_number("--shards", optarg); break;
        case 'q': r.quiet = 1; break;
        case 'f': io.force = 1; break;
        case 'p': io.prune = 1; break;
        case 'b': io.batch_articles = cli_number("--batch", optarg); break;
        case 'h': fputs(usage_text, stdout); return EXIT_FOUND;
        default: fputs(usage_text, stderr); return EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        cli_error("index: give files or folders to index, or '-' for JSON Lines on stdin");
        fputs(usage_text, stderr);
        return EXIT_ERROR;
    }
    if (oo.shards > 1 && (!oo.engine || strcmp(oo.engine, "xapian") != 0)) {
        cli_error("--shards needs --engine xapian");
        return EXIT_ERROR;
    }
    if (oo.shards > NX_MAX_SHARDS) {
        cli_error("--shards takes at most %d", NX_MAX_SHARDS);
        return EXIT_ERROR;
    }
    /* Xapian writes its pending changes into its tables every
     * XAPIAN_FLUSH_THRESHOLD documents, 10000 by default; each write-out
     * puts the positions of that many documents into a table ordered by
     * document, and it grows dearer than linearly with their number. At
     * 2000, Reuters-21578 indexed in 10.9-11.6 s instead of 13.0-14.4 (four
     * runs each, alternated) and the generated 100 MB archive in 100 s
     * instead of 117-123, in less than half the memory (84 MB, not 207).
     * The environment is the program's, so the program sets it (when the
     * user has not), not the library. */
    setenv("XAPIAN_FLUSH_THRESHOLD", "2000", 0);
    const char *path = cli_db_path(db);
    nx_index_t *ix;
    char err[1024];
    nx_status_t os = nx_index_open_ex(&path, 1, NX_OPEN_CREATE, &oo, &ix, err, sizeof err);
    if (os != NX_OK) {
        cli_error("%s", err[0] ? err : nx_status_to_string(os));
        return EXIT_ERROR;
    }
    r.tty = isatty(fileno(stderr));
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    r.last = r.start;
    io.on_problem = on_problem;
    io.on_progress = on_progress;
    io.ctx = &r;
    nx_ingest_t *g;
    nx_status_t s = nx_ingest_begin(ix, &io, &g);
    for (int i = optind; s == NX_OK && i < argc; i++)
        s = strcmp(argv[i], "-") == 0 ? nx_ingest_stream(g, stdin, "<stdin>")
                                      : nx_ingest_path(g, argv[i]);
    nx_ingest_counts_t n = {0};
    if (s == NX_OK)
        s = nx_ingest_finish(g, &n);
    int code = EXIT_FOUND;
    if (s != NX_OK) {
        if (r.tty && !r.quiet)
            fputs("\r\033[K", stderr);
        cli_error("%s", nx_index_last_error(ix)[0] ? nx_index_last_error(ix)
                                                    : nx_status_to_string(s));
        cli_error("indexing stopped; articles committed before this point are kept");
        code = EXIT_ERROR;
    } else {
        if (!r.quiet)
            summary(&r, &n);
        if (nx_index_notice(ix)[0])
            cli_error("warning: %s", nx_index_notice(ix));
        if (n.files_bad || n.records_bad)
            code = EXIT_NONE;
    }
    nx_ingest_destroy(g);
    nx_index_close(ix);
    return code;
}
