/* main.c - the newsidx command: a table of subcommands, as git and notmuch
 * have, plus the helpers every subcommand uses to open the index and
 * report errors. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"index", cmd_index, "add files, folders or JSON Lines on stdin to the index"},
    {"search", cmd_search, "search the index and show ranked, highlighted hits"},
    {"show", cmd_show, "print one article by id"},
    {"check", cmd_check, "check the index for damage"},
    {"optimize", cmd_optimize, "merge the full-text index and compress any text stored as is"},
    {"stats", cmd_stats, "figures about the index: articles, sources, dates, languages"},
    {"similar", cmd_similar, "the articles most like one (more like this)"},
    {"names", cmd_names, "names mentioned with a query, by significance"},
    {"timeline", cmd_timeline, "matching articles per day, week, month or year (chart, CSV, SVG)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: newsidx [--version] [--help] COMMAND [OPTIONS] [ARGS]\n\n"
               "Full-text search for news archives.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'newsidx COMMAND --help' describes a command's options; 'man newsidx' has it all.\n"
               "The index is -d PATH, else $NEWSIDX_DB, else ./newsidx.db.\n"
               "Exit status: 0 found (or done), 1 nothing found (or some input bad), 2 error.\n");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("newsidx: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const char *cli_db_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("NEWSIDX_DB");
    return env && *env ? env : "newsidx.db";
}

nx_index_t *cli_open(const char *path, nx_open_mode_t mode, const char *lang)
{
    nx_index_t *ix;
    char err[1024];
    nx_status_t s = nx_index_open(path, mode, lang, &ix, err, sizeof err);
    if (s != NX_OK) {
        cli_error("%s", err[0] ? err : nx_status_to_string(s));
        return NULL;
    }
    return ix;
}

int cli_split_args(int argc, char **argv, const struct option *opts, const char *valued,
                   const char *flags, char **oargv, int *oargc, char **words, int *nwords)
{
    *oargc = 0;
    *nwords = 0;
    oargv[(*oargc)++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                words[(*nwords)++] = argv[i];
            break;
        }
        int takes_value = -1; /* -1: not an option */
        if (a[0] == '-' && a[1] == '-') {
            takes_value = 0;
            for (const struct option *o = opts; o->name; o++) {
                size_t n = strlen(o->name);
                if (strncmp(a + 2, o->name, n) == 0 && a[2 + n] == '\0')
                    takes_value = o->has_arg == required_argument;
            }
        } else if (a[0] == '-' && a[1] && strchr(valued, a[1])) {
            takes_value = a[2] == '\0'; /* -n5 carries its value */
        } else if (a[0] == '-' && a[1] && strchr(flags, a[1]) && a[2] == '\0') {
            takes_value = 0;
        }
        if (takes_value < 0) {
            words[(*nwords)++] = argv[i];
            continue;
        }
        oargv[(*oargc)++] = argv[i];
        if (takes_value && i + 1 < argc)
            oargv[(*oargc)++] = argv[++i];
    }
    oargv[*oargc] = NULL;
    return 0;
}

char *cli_join(char *const *words, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *q = calloc(1, len);
    for (int i = 0; q && i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, words[i]);
    }
    return q;
}

int cli_args_new(cli_args *a, int argc, char **argv, const struct option *opts,
                 const char *valued, const char *flags)
{
    a->oargv = calloc((size_t)argc + 1, sizeof *a->oargv);
    a->words = calloc((size_t)argc + 1, sizeof *a->words);
    a->oargc = a->nwords = 0;
    if (!a->oargv || !a->words) {
        cli_args_free(a);
        cli_error("out of memory");
        return -1;
    }
    return cli_split_args(argc, argv, opts, valued, flags, a->oargv, &a->oargc, a->words,
                          &a->nwords);
}

char *cli_args_query(cli_args *a)
{
    for (int i = optind; i < a->oargc; i++)
        a->words[a->nwords++] = a->oargv[i];
    char *q = cli_join(a->words, a->nwords);
    cli_args_free(a);
    if (!q) {
        cli_error("out of memory");
        return NULL;
    }
    /* Blank is empty: a script's unset "$q" as '  ' must not list the
     * whole archive where '' is refused. */
    size_t lead = strspn(q, " \t\r\n\f\v"), n = strlen(q);
    while (n > lead && strchr(" \t\r\n\f\v", q[n - 1]))
        n--;
    memmove(q, q + lead, n - lead);
    q[n - lead] = '\0';
    return q;
}

void cli_args_free(cli_args *a)
{
    free(a->oargv);
    free(a->words);
    a->oargv = a->words = NULL;
}

size_t cli_number(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-') {
        cli_error("%s takes a whole number, not '%s'", opt, s);
        exit(EXIT_ERROR);
    }
    return (size_t)v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_FOUND;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("newsidx %s\n", nx_version());
        return EXIT_FOUND;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error("'%s' is not a command; see 'newsidx --help'", cmd);
    return EXIT_ERROR;
}
