/* cmd_show.c - `newsidx show ID`: one article, whole, as stored. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: newsidx show [-d DB] [--format text|json] [--highlight QUERY] [--color WHEN]\n"
    "                    [--mark OPEN,CLOSE] ID\n"
    "\n"
    "Prints the article with that id: its fields, then its text. With --highlight,\n"
    "the words QUERY would match are highlighted in the title and text (in JSON:\n"
    "\"title_highlights\" and \"body_highlights\", spans in code points).\n"
    "Exit status: 0 printed, 1 no such article, 2 error.\n";

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"highlight", required_argument, NULL, 'H'},
        {"color", required_argument, NULL, 'C'},
        {"colour", required_argument, NULL, 'C'},
        {"mark", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *hl_query = NULL, *color = NULL, *mark = NULL;
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
        case 'H': hl_query = optarg; break;
        case 'C': color = optarg; break;
        case 'm': mark = optarg; break;
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
    nx_status_t st = nx_index_get_article(ix, argv[optind], &a);
    if (st != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        nx_index_close(ix);
        return st == NX_ERR_NOT_FOUND ? EXIT_NONE : EXIT_ERROR;
    }
    highlighter h;
    if (highlighter_init(&h, color, mark, stdout) != 0) {
        nx_article_destroy(a);
        nx_index_close(ix);
        return EXIT_ERROR;
    }
    /* Spans for the title and the body, when asked for. */
    nx_span_t *spans[2] = {NULL, NULL};
    size_t nspans[2] = {0, 0};
    const char *title = nx_article_get(a, NX_FIELD_TITLE);
    const char *body = nx_article_get(a, NX_FIELD_BODY);
    title = title ? title : "";
    body = body ? body : "";
    if (hl_query) {
        nx_search_t *s;
        st = nx_search_new(ix, hl_query, &s);
        if (st == NX_OK)
            st = nx_search_highlight(s, title, nx_article_get(a, NX_FIELD_LANG), &spans[0],
                                     &nspans[0]);
        if (st == NX_OK)
            st = nx_search_highlight(s, body, nx_article_get(a, NX_FIELD_LANG), &spans[1],
                                     &nspans[1]);
        nx_search_destroy(s);
        if (st != NX_OK) {
            cli_error("%s", nx_index_last_error(ix));
            nx_article_destroy(a);
            nx_index_close(ix);
            return EXIT_ERROR;
        }
    }
    static const struct {
        const char *key;
        nx_field_t field;
    } fields[] = {{"id", NX_FIELD_ID},         {"title", NX_FIELD_TITLE}, {"date", NX_FIELD_DATE},
                  {"source", NX_FIELD_SOURCE}, {"url", NX_FIELD_URL},     {"lang", NX_FIELD_LANG},
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
        for (int k = 0; hl_query && k < 2; k++) {
            const char *text = k ? body : title;
            printf(",\"%s_highlights\":[", k ? "body" : "title");
            for (size_t i = 0; i < nspans[k]; i++)
                printf("%s{\"start\":%zu,\"end\":%zu}", i ? "," : "",
                       utf8_index(text, spans[k][i].start), utf8_index(text, spans[k][i].end));
            putchar(']');
        }
        puts("}");
    } else {
        for (size_t i = 0; i + 1 < sizeof fields / sizeof fields[0]; i++) {
            const char *v = nx_article_get(a, fields[i].field);
            if (!v || !*v)
                continue;
            printf("%c%-7s ", fields[i].key[0] - 32, fields[i].key + 1);
            if (fields[i].field == NX_FIELD_TITLE)
                print_highlighted(stdout, title, spans[0], nspans[0], &h);
            else
                fputs(v, stdout);
            putchar('\n');
        }
        putchar('\n');
        print_highlighted(stdout, body, spans[1], nspans[1], &h);
        putchar('\n');
    }
    free(spans[0]);
    free(spans[1]);
    nx_article_destroy(a);
    nx_index_close(ix);
    return EXIT_FOUND;
}
