/* cmd_show.c - `newsidx show ID`: one article, whole, as stored. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
    "usage: newsidx show [-d DB] [--format text|json] ID\n"
    "\n"
    "Prints the article with that id: its fields, then its text.\n"
    "Exit status: 0 printed, 1 no such article, 2 error.\n";

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0) {
                cli_error("--format must be text or json, not '%s'", optarg);
                return EXIT_ERROR;
            }
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_FOUND;
        default: fputs(usage_text, stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        cli_error("show takes one article id");
        fputs(usage_text, stderr);
        return EXIT_ERROR;
    }
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_ONLY, NULL);
    if (!ix)
        return EXIT_ERROR;
    nx_article_t *a;
    nx_status_t s = nx_index_get_article(ix, argv[optind], &a);
    if (s != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        nx_index_close(ix);
        return s == NX_ERR_NOT_FOUND ? EXIT_NONE : EXIT_ERROR;
    }
    static const struct {
        const char *key;
        nx_field_t field;
    } fields[] = {{"id", NX_FIELD_ID},   {"title", NX_FIELD_TITLE},   {"date", NX_FIELD_DATE},
                  {"source", NX_FIELD_SOURCE}, {"url", NX_FIELD_URL}, {"lang", NX_FIELD_LANG},
                  {"origin", NX_FIELD_ORIGIN}, {"body", NX_FIELD_BODY}};
    if (json) {
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            const char *v = nx_article_get(a, fields[i].field);
            printf("%s\"%s\":", i ? "," : "{", fields[i].key);
            if (v)
                json_string(stdout, v);
            else
                fputs("null", stdout);
        }
        puts("}");
    } else {
        for (size_t i = 0; i + 1 < sizeof fields / sizeof fields[0]; i++) {
            const char *v = nx_article_get(a, fields[i].field);
            if (v && *v)
                printf("%c%-7s %s\n", fields[i].key[0] - 32, fields[i].key + 1, v);
        }
        printf("\n%s\n", nx_article_get(a, NX_FIELD_BODY));
    }
    nx_article_destroy(a);
    nx_index_close(ix);
    return EXIT_FOUND;
}
