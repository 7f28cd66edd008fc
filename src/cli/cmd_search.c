/* cmd_search.c - `newsidx search`: run a query and print the hits for a
 * person (text with highlights) or a program (json, jsonl, tsv, ids).
 * The JSON layout is documented in docs/json-output.md and versioned. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define JSON_VERSION 1

static const char usage_text[] =
    "usage: newsidx search [OPTIONS] QUERY...\n"
    "\n"
    "Searches the index; the words of QUERY are joined with spaces. Query syntax:\n"
    "  words are ANDed          baklanov conditions\n"
    "  OR, AND, NOT, -word, ()  (macron OR scholz) -putin\n"
    "  \"exact phrase\"           \"security guarantees\"\n"
    "  proximity                NEAR(haines winter, 8)   haines NEAR/8 winter\n"
    "  prefix                   negot*\n"
    "  exact form               Paris  =haines   (capitalised or '=': no stemming)\n"
    "  fields                   title:kherson  body:\"grain deal\"  source:ledger  lang:fr\n"
    "                           url:example  date:2022-12  date:2022-12-01..2022-12-31\n"
    "                           after:2023-01-01  before:2023-06-01\n"
    "\n"
    "  -d, --db PATH           the index (default $NEWSIDX_DB or ./newsidx.db); repeat it to\n"
    "                          search several Xapian databases as one: folders, shards,\n"
    "                          or tcp://HOST:PORT served by xapian-tcpsrv\n"
    "      --allow-partial     with several databases, search those that can be reached,\n"
    "                          say which could not, and exit as usual (default: fail)\n"
    "  -n, --limit N           show N hits (default 10; 0 = all)\n"
    "      --offset N          skip the first N hits\n"
    "  -c, --count             print only the number of matching articles\n"
    "      --sort ORDER        relevance (default), newest or oldest\n"
    "  -f, --format FORMAT     text (default), json, jsonl, tsv or ids\n"
    "      --color WHEN        highlight with colour: auto (default), always, never\n"
    "      --mark OPEN,CLOSE   highlight markers when not colouring (default [[,]])\n"
    "      --since DATE        only articles from DATE on (2022, 2022-12, 2022-12-04)\n"
    "      --until DATE        only articles up to and including DATE\n"
    "      --source TEXT       only sources containing TEXT (any case)\n"
    "      --lang LANG         only articles in LANG (name or code)\n"
    "      --any               ranked OR: articles need not contain every word; those\n"
    "                          sharing more (and rarer) words rank higher. For long\n"
    "                          natural-language queries. AND, phrases, -x, filters still bind;\n"
    "                          single letters are left out when other words remain\n"
    "      --facets LIST       also count the matching articles per value of each field\n"
    "                          in LIST: source, lang, year, month (e.g. source,lang,year)\n"
    "      --fix               when a word is missing or rare and a close word is common,\n"
    "                          search with the corrected query (else it is only suggested)\n"
    "      --no-collapse       list every wire copy: by default near-duplicate articles\n"
    "                          (the same story syndicated or lightly edited) are shown\n"
    "                          once, at the best-ranked, with '+N copies: sources'\n"
    "      --explain           print the parsed query and each hit's score\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 hits found, 1 no hits, 2 error (bad query: 'query:1:COL: message';\n"
    "a hit whose stored text is damaged: shown without a snippet, named on stderr).\n";

typedef enum { F_TEXT, F_JSON, F_JSONL, F_TSV, F_IDS } out_format;

static void tsv_field(const char *s)
{
    for (; s && *s; s++)
        putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

#define FACET_LIMIT 10

typedef struct facet_out {
    int json, first;
} facet_out;

static void facet_value(void *ctx, const char *value, int64_t count)
{
    facet_out *fo = ctx;
    if (fo->json) {
        printf("%s{\"value\":", fo->first ? "" : ",");
        json_string(stdout, value);
        printf(",\"count\":%lld}", (long long)count);
    } else {
        printf("  %-30s %6lld\n", value, (long long)count);
    }
    fo->first = 0;
}

/* Checks --facets before anything is printed: an unknown name found after
 * the hits would leave a script half a JSON document. */
static int facets_known(const char *list)
{
    static const char *const names[] = {"source", "lang", "year", "month", "week", "day"};
    for (const char *f = list;; f++) {
        size_t n = strcspn(f, ",");
        int ok = n == 0; /* "source," is "source", as printing reads it */
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            ok |= strlen(names[i]) == n && strncmp(f, names[i], n) == 0;
        if (!ok) {
            cli_error("--facets: unknown facet '%.*s' (source, lang, year, month, week, day)",
                      (int)n, f);
            return 0;
        }
        f += n;
        if (!*f)
            return 1;
    }
}

/* Facets after the hits: text sections, or "facets": {field: [...]}. */
static nx_status_t print_facets(nx_search_t *s, const char *list, int json)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    if (json)
        fputs(",\"facets\":{", stdout);
    nx_status_t st = NX_OK;
    int first = 1;
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f && st == NX_OK;
         f = strtok_r(NULL, ",", &save)) {
        facet_out fo = {json, 1};
        if (json) {
            printf("%s\"%s\":[", first ? "" : ",", f);
        } else {
            printf("%s:\n", f);
        }
        int dated = strcmp(f, "year") == 0 || strcmp(f, "month") == 0;
        st = nx_search_facet(s, f, dated ? 0 : FACET_LIMIT, facet_value, &fo);
        if (json)
            putchar(']');
        first = 0;
    }
    if (json)
        putchar('}');
    return st;
}

typedef struct copy_list {
    int json;
    size_t n;
    char names[512]; /* text: the sources, comma-separated, cut short */
    size_t len;
    int cut;
} copy_list;

static void on_copy(void *ctx, const nx_article_t *a)
{
    copy_list *c = ctx;
    const char *source = nx_article_get(a, NX_FIELD_SOURCE);
    const char *name = source && *source ? source : nx_article_get(a, NX_FIELD_ID);
    if (c->json) {
        fputs(c->n ? ",{\"id\":" : "{\"id\":", stdout);
        json_string(stdout, nx_article_get(a, NX_FIELD_ID));
        fputs(",\"source\":", stdout);
        if (source)
            json_string(stdout, source);
        else
            fputs("null", stdout);
        fputs(",\"date\":", stdout);
        if (nx_article_get(a, NX_FIELD_DATE))
            json_string(stdout, nx_article_get(a, NX_FIELD_DATE));
        else
            fputs("null", stdout);
        fputs(",\"title\":", stdout);
        json_string(stdout, nx_article_get(a, NX_FIELD_TITLE) ? nx_article_get(a, NX_FIELD_TITLE)
                                                               : "");
        putchar('}');
    } else if (!c->cut) {
        size_t k = strlen(name);
        if (c->len + k + 3 < sizeof c->names && c->n < 6) {
            c->len += (size_t)snprintf(c->names + c->len, sizeof c->names - c->len, "%s%s",
                                       c->n ? ", " : "", name);
        } else {
            c->cut = 1;
        }
    }
    c->n++;
}

/* Runs s (but for a count alone) and counts its matches: after the run,
 * since an engine that ranked every match has counted them too. */
static nx_status_t run_and_count(nx_search_t *s, int count_only, nx_results_t **r,
                                 int64_t *total)
{
    *r = NULL;
    *total = 0;
    if (count_only)
        return nx_search_count(s, total);
    nx_status_t st = nx_search_run(s, r);
    return st == NX_OK ? nx_results_total(*r, total) : st;
}

/* json_hit and text_hit return 1 when the hit's stored text is damaged
 * (it is shown without a snippet), else 0. */
static int json_hit(nx_results_t *r, int collapse)
{
    const nx_article_t *a = nx_results_get(r);
    const char *text;
    const nx_span_t *spans;
    size_t n;
    printf("{\"rank\":%zu,\"id\":", nx_results_rank(r));
    json_string(stdout, nx_article_get(a, NX_FIELD_ID));
    static const struct {
        const char *key;
        nx_field_t field;
    } fields[] = {{"title", NX_FIELD_TITLE}, {"date", NX_FIELD_DATE}, {"source", NX_FIELD_SOURCE},
                  {"url", NX_FIELD_URL},     {"lang", NX_FIELD_LANG}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = nx_article_get(a, fields[i].field);
        printf(",\"%s\":", fields[i].key);
        if (v)
            json_string(stdout, v);
        else
            fputs("null", stdout);
    }
    char sc[32];
    printf(",\"score\":%s,\"snippets\":[", cli_score(nx_results_score(r), sc));
    nx_status_t st = nx_results_snippet(r, &text, &spans, &n);
    if (st == NX_OK) {
        fputs("{\"text\":", stdout);
        json_string(stdout, text);
        fputs(",\"highlights\":[", stdout);
        for (size_t i = 0; i < n; i++)
            printf("%s{\"start\":%zu,\"end\":%zu}", i ? "," : "", utf8_index(text, spans[i].start),
                   utf8_index(text, spans[i].end));
        fputs("]}", stdout);
    }
    fputc(']', stdout);
    if (collapse) {
        copy_list c = {1, 0, "", 0, 0};
        int64_t count;
        fputs(",\"copies\":[", stdout);
        nx_results_copies(r, on_copy, &c, &count);
        fputc(']', stdout);
    }
    fputc('}', stdout);
    return st == NX_ERR_CORRUPT;
}

static int text_hit(nx_results_t *r, const highlighter *h, int explain, int collapse)
{
    const nx_article_t *a = nx_results_get(r);
    const char *date = nx_article_get(a, NX_FIELD_DATE);
    const char *source = nx_article_get(a, NX_FIELD_SOURCE);
    const char *title = nx_article_get(a, NX_FIELD_TITLE);
    printf("%zu. %.10s  %s  %s\n", nx_results_rank(r), date ? date : "(undated) ",
           source && *source ? source : "(no source)", title && *title ? title : "(untitled)");
    printf("   id: %s", nx_article_get(a, NX_FIELD_ID));
    char sc[32];
    if (explain)
        printf("   score: %s", cli_score(nx_results_score(r), sc));
    putchar('\n');
    copy_list c = {0, 0, "", 0, 0};
    int64_t count = 0;
    if (collapse && nx_results_copies(r, on_copy, &c, &count) == NX_OK && count > 0)
        printf("   +%lld %s: %s%s\n", (long long)count, count == 1 ? "copy" : "copies", c.names,
               c.cut ? ", ..." : "");
    const char *text;
    const nx_span_t *spans;
    size_t n;
    nx_status_t st = nx_results_snippet(r, &text, &spans, &n);
    if (st == NX_OK && *text) {
        fputs("   ", stdout);
        print_highlighted(stdout, text, spans, n, h);
        putchar('\n');
    }
    putchar('\n');
    return st == NX_ERR_CORRUPT;
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'}, {"count", no_argument, NULL, 'c'},
        {"sort", required_argument, NULL, 's'},  {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, 'C'}, {"colour", required_argument, NULL, 'C'},
        {"mark", required_argument, NULL, 'm'},  {"since", required_argument, NULL, 'S'},
        {"until", required_argument, NULL, 'U'}, {"source", required_argument, NULL, 'R'},
        {"lang", required_argument, NULL, 'L'},  {"explain", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},        {"allow-partial", no_argument, NULL, 'P'},
        {"any", no_argument, NULL, 'A'},
        {"facets", required_argument, NULL, 'F'},
        {"fix", no_argument, NULL, 'X'},
        {"like", required_argument, NULL, 'K'},
        {"copies", no_argument, NULL, 'Y'},
        {"no-collapse", no_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    const char *dbs[64];
    size_t ndbs = 0;
    int allow_partial = 0;
    const char *color = NULL, *mark = NULL;
    const char *filters[4][2];
    size_t nfilters = 0;
    size_t limit = 10, offset = 0;
    int count_only = 0, explain = 0;
    unsigned sflags = 0;
    const char *facets = NULL;
    int fix = 0, copies = 0, collapse = 1;
    const char *like = NULL;
    char *suggestion = NULL;
    nx_sort_t sort = NX_SORT_RELEVANCE;
    out_format fmt = F_TEXT;
    /* Options may come anywhere, but '-putin' is a query word: split the
     * arguments first, then let getopt see only the options. */
    cli_args args;
    if (cli_args_new(&args, argc, argv, opts, "dnf", "ch") != 0)
        return EXIT_ERROR;
    int c, bad = -1;
    optind = 1;
    while ((c = getopt_long(args.oargc, args.oargv, "d:n:cf:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (ndbs == sizeof dbs / sizeof dbs[0]) {
                cli_error("at most %zu databases", sizeof dbs / sizeof dbs[0]);
                bad = EXIT_ERROR;
            } else {
                dbs[ndbs++] = optarg;
            }
            break;
        case 'P': allow_partial = 1; break;
        case 'A': sflags |= NX_SEARCH_ANY; break;
        case 'F':
            facets = optarg;
            if (!facets_known(facets))
                bad = EXIT_ERROR;
            break;
        case 'X': fix = 1; break;
        case 'K': like = optarg; break;
        case 'Y': copies = 1; break;
        case 'W': collapse = 0; break;
        case 'n': limit = cli_number("--limit", optarg); break;
        case 'o': offset = cli_number("--offset", optarg); break;
        case 'c': count_only = 1; break;
        case 'x': explain = 1; break;
        case 'C': color = optarg; break;
        case 'm': mark = optarg; break;
        case 'S': filters[nfilters][0] = "since", filters[nfilters++][1] = optarg; break;
        case 'U': filters[nfilters][0] = "until", filters[nfilters++][1] = optarg; break;
        case 'R': filters[nfilters][0] = "source", filters[nfilters++][1] = optarg; break;
        case 'L': filters[nfilters][0] = "lang", filters[nfilters++][1] = optarg; break;
        case 's':
            if (strcmp(optarg, "relevance") == 0)
                sort = NX_SORT_RELEVANCE;
            else if (strcmp(optarg, "newest") == 0)
                sort = NX_SORT_NEWEST;
            else if (strcmp(optarg, "oldest") == 0)
                sort = NX_SORT_OLDEST;
            else {
                cli_error("--sort must be relevance, newest or oldest, not '%s'", optarg);
                bad = EXIT_ERROR;
            }
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = F_TEXT;
            else if (strcmp(optarg, "json") == 0)
                fmt = F_JSON;
            else if (strcmp(optarg, "jsonl") == 0)
                fmt = F_JSONL;
            else if (strcmp(optarg, "tsv") == 0)
                fmt = F_TSV;
            else if (strcmp(optarg, "ids") == 0)
                fmt = F_IDS;
            else {
                cli_error("--format must be text, json, jsonl, tsv or ids, not '%s'", optarg);
                bad = EXIT_ERROR;
            }
            break;
        case 'h': bad = EXIT_FOUND; fputs(usage_text, stdout); break;
        default: bad = EXIT_ERROR; fputs(usage_text, stderr); break;
        }
        if (nfilters == 4 && bad < 0) {
            cli_error("at most one each of --since, --until, --source, --lang");
            bad = EXIT_ERROR;
        }
        if (bad >= 0) {
            cli_args_free(&args);
            return bad;
        }
    }
    char *query = cli_args_query(&args);
    if (!query)
        return EXIT_ERROR;
    if (!*query && nfilters == 0 && !like) {
        free(query);
        cli_error("search: give a query, for example: newsidx search baklanov conditions");
        return EXIT_ERROR;
    }
    highlighter h;
    if (highlighter_init(&h, color, mark, stdout) != 0) {
        free(query);
        return EXIT_ERROR;
    }

    if (ndbs == 0)
        dbs[ndbs++] = cli_db_path(NULL);
    nx_open_options_t oo = {0};
    oo.allow_partial = allow_partial;
    nx_index_t *ix;
    char oerr[1024];
    nx_status_t os = nx_index_open_ex(dbs, ndbs, NX_OPEN_READ_ONLY, &oo, &ix, oerr, sizeof oerr);
    if (os != NX_OK) {
        cli_error("%s", oerr[0] ? oerr : nx_status_to_string(os));
        free(query);
        return EXIT_ERROR;
    }
    if (nx_index_notice(ix)[0])
        cli_error("warning: results are partial: %s", nx_index_notice(ix));
    nx_search_t *s = NULL;
    nx_results_t *r = NULL;
    int64_t total = 0;
    /* A query made only of options (--source X) matches everything they allow. */
    nx_status_t st = like ? nx_search_new_similar(ix, like, &s) : nx_search_new_ex(ix, query, sflags, &s);
    if (st == NX_OK && like)
        st = nx_search_set_copies(s, copies);
    for (size_t i = 0; st == NX_OK && i < nfilters; i++)
        st = nx_search_filter(s, filters[i][0], filters[i][1]);
    /* Text output asks for one hit more than it shows, to say whether
     * there are more: with copies folded in, the total cannot tell. */
    size_t ask = fmt == F_TEXT && limit && limit < (size_t)-1 ? limit + 1 : limit;
    if (st == NX_OK)
        st = nx_search_set_limit(s, ask ? ask : (size_t)-1);
    if (st == NX_OK)
        st = nx_search_set_offset(s, offset);
    if (st == NX_OK)
        st = nx_search_set_sort(s, sort);
    /* similar --copies lists the copies one by one. */
    if (like && copies)
        collapse = 0;
    if (st == NX_OK)
        st = nx_search_set_collapse(s, collapse);
    if (st == NX_OK && explain)
        fputs(nx_search_explain(s), stderr);
    if (st == NX_OK)
        st = run_and_count(s, count_only, &r, &total);
    /* Did you mean: when nothing matches, or always with --fix. */
    if (st == NX_OK && (total == 0 || fix) && *query && !like)
        st = nx_search_suggest(s, query, &suggestion);
    if (st == NX_OK && suggestion && fix) {
        fprintf(stderr, "newsidx: showing results for: %s\n", suggestion);
        nx_search_t *s2;
        st = nx_search_new_ex(ix, suggestion, sflags, &s2);
        for (size_t i = 0; st == NX_OK && i < nfilters; i++)
            st = nx_search_filter(s2, filters[i][0], filters[i][1]);
        if (st == NX_OK) {
            nx_results_destroy(r);
            r = NULL;
            nx_search_destroy(s);
            s = s2;
            st = nx_search_set_limit(s, ask ? ask : (size_t)-1);
            if (st == NX_OK)
                st = nx_search_set_offset(s, offset);
            if (st == NX_OK)
                st = nx_search_set_sort(s, sort);
            if (st == NX_OK)
                st = nx_search_set_collapse(s, collapse);
            if (st == NX_OK)
                st = run_and_count(s, count_only, &r, &total);
        } else {
            nx_search_destroy(s2);
        }
    } else if (st == NX_OK && suggestion && fmt == F_TEXT) {
        fprintf(stderr, "newsidx: did you mean: %s\n", suggestion);
    }
    int code = EXIT_ERROR;
    if (st != NX_OK) {
        cli_error("%s", nx_index_last_error(ix)[0] ? nx_index_last_error(ix)
                                                    : nx_status_to_string(st));
        if (st == NX_ERR_NOT_FOUND)
            code = EXIT_NONE;
        goto out;
    }
    code = total > 0 ? EXIT_FOUND : EXIT_NONE;
    if (count_only) {
        if (fmt == F_JSON || fmt == F_JSONL) {
            printf("{\"version\":%d,\"query\":", JSON_VERSION);
            json_string(stdout, query);
            printf(",\"total\":%lld}\n", (long long)total);
        } else {
            printf("%lld\n", (long long)total);
        }
        goto out;
    }
    if (fmt == F_JSON) {
        printf("{\"version\":%d,\"query\":", JSON_VERSION);
        json_string(stdout, query);
        printf(",\"total\":%lld,\"offset\":%zu,\"limit\":%zu,\"suggestion\":", (long long)total,
               offset, limit);
        if (suggestion)
            json_string(stdout, suggestion);
        else
            fputs("null", stdout);
        fputs(",\"results\":[", stdout);
    } else if (fmt == F_TEXT && total == 0) {
        fprintf(stderr, "newsidx: no articles match\n");
    }
    size_t shown = 0;
    int more = 0, damaged = 0;
    for (int first = 1; nx_results_valid(r); nx_results_move_to_next(r), first = 0) {
        const nx_article_t *a = nx_results_get(r);
        if (limit && shown == limit) {
            more = 1;
            break;
        }
        shown++;
        int hit_damaged = 0;
        switch (fmt) {
        case F_TEXT: hit_damaged = text_hit(r, &h, explain, collapse); break;
        case F_JSON:
            if (!first)
                putchar(',');
            hit_damaged = json_hit(r, collapse);
            break;
        case F_JSONL:
            hit_damaged = json_hit(r, collapse);
            putchar('\n');
            break;
        case F_TSV:
            printf("%zu\t", nx_results_rank(r));
            tsv_field(nx_article_get(a, NX_FIELD_ID));
            putchar('\t');
            tsv_field(nx_article_get(a, NX_FIELD_DATE));
            putchar('\t');
            tsv_field(nx_article_get(a, NX_FIELD_SOURCE));
            putchar('\t');
            tsv_field(nx_article_get(a, NX_FIELD_TITLE));
            char sc[32];
            printf("\t%s\n", cli_score(nx_results_score(r), sc));
            break;
        case F_IDS: printf("%s\n", nx_article_get(a, NX_FIELD_ID)); break;
        }
        /* A damaged stored text costs its hit the snippet, not the search:
         * said, and the exit status says so (as grep's does). */
        if (hit_damaged) {
            cli_error("%s", nx_index_last_error(ix));
            damaged = 1;
        }
    }
    if (fmt == F_JSON) {
        putchar(']');
        if (facets && print_facets(s, facets, 1) != NX_OK)
            code = EXIT_ERROR;
        puts("}");
    } else if (facets && fmt == F_TEXT && print_facets(s, facets, 0) != NX_OK) {
        code = EXIT_ERROR;
    }
    if (code == EXIT_ERROR) {
        cli_error("%s", nx_index_last_error(ix));
        goto out;
    }
    if (nx_results_status(r) != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        code = EXIT_ERROR;
    } else {
        if (fmt == F_TEXT && more) {
            printf("(%zu of %lld shown; --limit and --offset show more)\n", shown,
                   (long long)total);
        } else if (fmt == F_TEXT && (int64_t)(offset + shown) < total) {
            /* Everything is shown: the rest are copies folded into the hits. */
            printf("(%lld articles match; copies are folded in: --no-collapse lists them)\n",
                   (long long)total);
        }
        if (damaged)
            code = EXIT_ERROR;
    }
out:
    if (fflush(stdout) != 0 && code != EXIT_ERROR)
        code = EXIT_ERROR;
    nx_results_destroy(r);
    nx_search_destroy(s);
    nx_index_close(ix);
    free(suggestion);
    free(query);
    return code;
}
