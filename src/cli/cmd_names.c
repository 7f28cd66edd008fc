/* cmd_names.c - `newsidx names QUERY`: who is mentioned with a search,
 * ranked by how much more they appear with it than in the whole archive. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: newsidx names [-d DB] [-n N] [--format text|json] QUERY...\n"
    "\n"
    "Lists the names (capitalised word sequences) in the articles matching QUERY that\n"
    "are most typical of them: far more frequent with the query than in the whole\n"
    "archive (a significance score, not a raw count). Shows how many matching\n"
    "articles name each, and how many in all. Default 15 names.\n"
    "Exit status: 0 names found, 1 none, 2 error.\n";

typedef struct out {
    int json, first;
    size_t n;
} out;

static void on_name(void *ctx, const char *name, int64_t with, int64_t everywhere, double score)
{
    out *o = ctx;
    if (o->json) {
        printf("%s{\"name\":", o->first ? "" : ",");
        json_string(stdout, name);
        printf(",\"with\":%lld,\"everywhere\":%lld,\"score\":%.4f}", (long long)with,
               (long long)everywhere, score);
    } else {
        printf("%-32s %6lld %6lld   %.3f\n", name, (long long)with, (long long)everywhere, score);
    }
    o->first = 0;
    o->n++;
}

int cmd_names(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_args args;
    if (cli_args_new(&args, argc, argv, opts, "dnf", "h") != 0)
        return EXIT_ERROR;
    const char *db = NULL;
    size_t limit = 15;
    int json = 0, c, bad = -1;
    optind = 1;
    while (bad < 0 && (c = getopt_long(args.oargc, args.oargv, "d:n:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'n': limit = cli_number("--limit", optarg); break;
        case 'f':
            json = strcmp(optarg, "json") == 0;
            if (!json && strcmp(optarg, "text") != 0) {
                cli_error("--format must be text or json, not '%s'", optarg);
                bad = EXIT_ERROR;
            }
            break;
        case 'h': fputs(usage_text, stdout); bad = EXIT_FOUND; break;
        default: fputs(usage_text, stderr); bad = EXIT_ERROR; break;
        }
    }
    if (bad >= 0) {
        cli_args_free(&args);
        return bad;
    }
    char *query = cli_args_query(&args);
    if (!query || !*query) {
        free(query);
        cli_error("names: give a query, for example: newsidx names Baklanov");
        return EXIT_ERROR;
    }
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_ONLY, NULL);
    if (!ix) {
        free(query);
        return EXIT_ERROR;
    }
    nx_search_t *s = NULL;
    out o = {json, 1, 0};
    nx_status_t st = nx_search_new(ix, query, &s);
    if (st == NX_OK && json) {
        printf("{\"version\":1,\"query\":");
        json_string(stdout, query);
        fputs(",\"names\":[", stdout);
    } else if (st == NX_OK) {
        printf("%-32s %6s %6s   %s\n", "name", "with", "all", "score");
    }
    if (st == NX_OK)
        st = nx_search_names(s, query, limit, on_name, &o);
    if (json && s)
        puts("]}");
    int code = o.n ? EXIT_FOUND : EXIT_NONE;
    if (st != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        code = EXIT_ERROR;
    }
    nx_search_destroy(s);
    nx_index_close(ix);
    free(query);
    return code;
}
