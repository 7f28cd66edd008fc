/* cmd_maint.c - index upkeep: `newsidx check` (is the index sound?) and
 * `newsidx optimize` (merge the full-text index for faster searches, and
 * compress the text stored before the index had a dictionary). */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char check_usage[] =
    "usage: newsidx check [-d DB]\n"
    "\n"
    "Checks the index for damage: SQLite's integrity check, the stems table, and\n"
    "FTS5's comparison of its index with the articles, or Xapian's checker. Prints\n"
    "ok, or what is wrong.\n"
    "Exit status: 0 sound, 2 damaged or not readable.\n";

static const char optimize_usage[] =
    "usage: newsidx optimize [-d DB]\n"
    "\n"
    "Merges the full-text index into one segment so that searches read less (indexing\n"
    "does that too when more than a quarter of it lies outside its largest segment),\n"
    "compresses any article text still stored as is (indexing compresses the first\n"
    "megabyte once it has trained the dictionary from it; earlier versions left it as\n"
    "is), makes the spelling list that \"did you mean\" reads anew, drops from the\n"
    "stems table the words no article holds any more, and gives freed space back to\n"
    "the file system. A Xapian index is replaced by a compact copy of itself (each\n"
    "commit leaves its B-trees partly empty: often 40% smaller), made beside it and\n"
    "swapped in one step; indexing does the same when the index has grown by more than\n"
    "a quarter since it was last compacted. It can be interrupted safely: the index\n"
    "stays as it was.\n"
    "Exit status: 0 done, 2 error.\n";

static int parse(int argc, char **argv, const char *usage, const char **db)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_FOUND;
        default: fputs(usage, stderr); return EXIT_ERROR;
        }
    }
    if (optind < argc) {
        cli_error("%s takes no arguments", argv[0]);
        return EXIT_ERROR;
    }
    return -1;
}

int cmd_check(int argc, char **argv)
{
    const char *db = NULL;
    int rc = parse(argc, argv, check_usage, &db);
    if (rc >= 0)
        return rc;
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_ONLY, NULL);
    if (!ix)
        return EXIT_ERROR;
    if (strcmp(nx_index_engine(ix), "fts5") == 0) {
        /* FTS5's integrity check is issued as a write (it changes nothing):
         * it needs a writable handle when one can be had. */
        nx_index_t *rw;
        const char *path = cli_db_path(db);
        if (nx_index_open_ex(&path, 1, NX_OPEN_READ_WRITE, NULL, &rw, NULL, 0) == NX_OK) {
            nx_index_close(ix);
            ix = rw;
        }
    }
    nx_status_t st = nx_index_check(ix);
    if (st == NX_OK)
        printf("%s: ok\n", cli_db_path(db));
    else
        cli_error("%s", nx_index_last_error(ix));
    nx_index_close(ix);
    return st == NX_OK ? EXIT_FOUND : EXIT_ERROR;
}

int cmd_optimize(int argc, char **argv)
{
    const char *db = NULL;
    int rc = parse(argc, argv, optimize_usage, &db);
    if (rc >= 0)
        return rc;
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_WRITE, NULL);
    if (!ix)
        return EXIT_ERROR;
    nx_status_t st = nx_index_optimize(ix);
    if (st != NX_OK)
        cli_error("%s", nx_index_last_error(ix));
    nx_index_close(ix);
    return st == NX_OK ? EXIT_FOUND : EXIT_ERROR;
}
