/* test_prepare.c - unit tests for the indexing worker (src/lib/prepare.c):
 * jobs come back in order, analyzed, and with their bodies packed with the
 * dictionary the index had handed over when the worker took them, so that
 * the writer can tell which it may store as they are; each lists the
 * spelling words and stem pairs no earlier job listed; jobs marked skip
 * pass untouched; the body's words kept for near-duplicate verification
 * read as the text itself does. */
#include "lib/prepare.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sentences[] = {
    "The port authority said grain loadings resumed after the storm passed. ",
    "Talks between the two delegations are set to continue in Geneva. ",
    "Shares in the carmaker fell after it cut its forecast for the year. ",
    "The ministry promised an inquiry into the delays at the border crossing. ",
};

static char *body_of(unsigned i)
{
    char *b = malloc(700);
    ck_assert_ptr_nonnull(b);
    size_t used = (size_t)snprintf(b, 700, "Report %u. ", i);
    for (unsigned k = 0; k < 6; k++)
        used += (size_t)snprintf(b + used, 700 - used, "%s", sentences[(i + k * 3) % 4]);
    return b;
}

static nx_prep_job *job_of(unsigned i)
{
    nx_prep_job *j = calloc(1, sizeof *j);
    ck_assert_ptr_nonnull(j);
    j->a.f[NX_FIELD_BODY] = body_of(i);
    j->a.f[NX_FIELD_TITLE] = strdup("Port news");
    j->a.f[NX_FIELD_LANG] = strdup("en");
    return j;
}

START_TEST(jobs_packed_with_the_dictionary_handed_over)
{
    enum { N = 300 };
    size_t sizes[N], total = 0;
    char *all = malloc((size_t)N * 700);
    ck_assert_ptr_nonnull(all);
    for (unsigned i = 0; i < N; i++) {
        char *b = body_of(i);
        sizes[i] = strlen(b);
        memcpy(all + total, b, sizes[i]);
        total += sizes[i];
        free(b);
    }
    void *dict;
    size_t dlen;
    ck_assert_int_eq(nx_textpack_train(all, sizes, N, &dict, &dlen), 0);
    nx_textpack *writer = nx_textpack_new();
    ck_assert_int_eq(nx_textpack_set_dict(writer, dict, dlen), 0);
    unsigned id = nx_textpack_dict_id(writer);

    nx_prep *p = nx_prep_new("english", 0);
    ck_assert_ptr_nonnull(p);
    /* Before any dictionary: packed as is. */
    nx_prep_push(p, job_of(0));
    nx_prep_job *j = nx_prep_next(p, 1);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->failed, 0);
    ck_assert_uint_gt(j->body.n, 0);
    ck_assert_ptr_nonnull(j->packed);
    ck_assert_uint_eq(j->packed_dict, 0);
    ck_assert_int_eq(j->packed[0], NX_PACK_RAW);
    ck_assert_int_eq(j->words_given, 0); /* no spelling list asked for */
    ck_assert_int_eq(j->stems_given, 0); /* nor stem pairs */
    nx_prep_job_free(j);

    /* After the handover: every later job is packed with it, exactly as
     * the writer would pack it, and in order. */
    ck_assert_int_eq(nx_prep_set_dict(p, dict, dlen), 0);
    free(dict); /* the worker has its copy */
    for (unsigned i = 1; i <= 20; i++)
        nx_prep_push(p, job_of(i));
    for (unsigned i = 1; i <= 20; i++) {
        j = nx_prep_next(p, 1);
        ck_assert_ptr_nonnull(j);
        char want[32];
        snprintf(want, sizeof want, "Report %u. ", i);
        ck_assert(strncmp(j->a.f[NX_FIELD_BODY], want, strlen(want)) == 0);
        ck_assert_uint_eq(j->packed_dict, id);
        unsigned char *mine;
        size_t mine_len;
        const char *b = j->a.f[NX_FIELD_BODY];
        ck_assert_int_eq(nx_textpack_pack(writer, b, strlen(b), &mine, &mine_len), 0);
        ck_assert_int_eq(mine[0], NX_PACK_ZSTD);
        ck_assert(mine_len == j->packed_len && memcmp(mine, j->packed, mine_len) == 0);
        free(mine);
        nx_prep_job_free(j);
    }
    ck_assert_ptr_null(nx_prep_next(p, 0));

    /* Taking it back (a rolled-back training): as is again. */
    ck_assert_int_eq(nx_prep_set_dict(p, NULL, 0), 0);
    nx_prep_push(p, job_of(21));
    j = nx_prep_next(p, 1);
    ck_assert_uint_eq(j->packed_dict, 0);
    ck_assert_int_eq(j->packed[0], NX_PACK_RAW);
    nx_prep_job_free(j);

    /* Freed with jobs still queued: nothing leaks (ASan). */
    nx_prep_push(p, job_of(22));
    nx_prep_push(p, job_of(23));
    nx_prep_free(p);
    nx_textpack_free(writer);
    free(all);
}
END_TEST

/* A job's list (length byte, bytes; ...) as one string: items separated
 * by spaces, or with per 2 (the stem pairs), each pair as "stem=word". */
static char *joined(const unsigned char *list, size_t len, int per)
{
    char *s = malloc(len + 1);
    ck_assert_ptr_nonnull(s);
    size_t o = 0;
    for (size_t i = 0, k = 0; i < len; i += 1 + list[i], k++) {
        if (o)
            s[o++] = k % per ? '=' : ' ';
        memcpy(s + o, list + i + 1, list[i]);
        o += list[i];
    }
    s[o] = '\0';
    return s;
}

/* Takes the next job and checks its lists: words_given and stems_given
 * are 1 exactly when words and stems (the lists as joined gives them) are
 * not NULL. */
static void expect_next(nx_prep *p, const char *words, const char *stems)
{
    nx_prep_job *j = nx_prep_next(p, 1);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->words_given, words != NULL);
    ck_assert_int_eq(j->stems_given, stems != NULL);
    char *w = joined(j->words, j->words_len, 1), *st = joined(j->stems, j->stems_len, 2);
    if (words)
        ck_assert_str_eq(w, words);
    if (stems)
        ck_assert_str_eq(st, stems);
    free(w);
    free(st);
    nx_prep_job_free(j);
}

static nx_prep_job *text_job(const char *title, const char *body)
{
    nx_prep_job *j = calloc(1, sizeof *j);
    ck_assert_ptr_nonnull(j);
    j->a.f[NX_FIELD_BODY] = strdup(body);
    j->a.f[NX_FIELD_TITLE] = strdup(title);
    j->a.f[NX_FIELD_LANG] = strdup("en");
    return j;
}

START_TEST(jobs_list_spelling_words_once)
{
    nx_prep *p = nx_prep_new("english", NX_PREP_SPELLING);
    ck_assert_ptr_nonnull(p);
    /* Exact forms only (not "~enport"), folded, once each, body then
     * title; no figures, no one-letter words, nothing over 64 bytes, no
     * word starting with a character past U+07FF once folded (Cyrillic
     * is in, Devanagari and CJK bigrams are not). */
    nx_prep_push(p, text_job("Port strike", "Ports closed: the port of Kiel shut. 42 ships, a "
                                            "queue. Émigrés from Москва waited in दिल्ली and 北京. "
                                            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                            "aaaaaaaaaaaaa."));
    /* A second article lists only what the first did not. */
    nx_prep_push(p, text_job("Port reopens", "The port of Kiel reopened; ships sailed."));
    nx_prep_push(p, text_job("Kiel", "The port."));
    expect_next(p,
                "ports closed the port of kiel shut ships queue emigres from москва waited in "
                "and strike",
                NULL);
    expect_next(p, "reopened sailed reopens", NULL);
    expect_next(p, "", NULL);
    nx_prep_free(p);
}
END_TEST

START_TEST(jobs_list_stem_pairs_once)
{
    nx_prep *p = nx_prep_new("english", NX_PREP_STEMS);
    ck_assert_ptr_nonnull(p);
    /* Only words whose stem differs; each (language, word) once in a run,
     * body then title; a word of another language is another pair. */
    nx_prep_push(p, text_job("Talks resumed", "Negotiators negotiated; the talks were long."));
    nx_prep_push(p, text_job("More talks", "Negotiators met again and negotiated."));
    nx_prep_job *fr = text_job("", "Les négociateurs ont négocié.");
    free(fr->a.f[NX_FIELD_LANG]);
    fr->a.f[NX_FIELD_LANG] = strdup("fr");
    nx_prep_push(p, fr);
    expect_next(p, NULL,
                "~ennegoti=negotiators ~ennegoti=negotiated ~entalk=talks ~enresum=resumed");
    expect_next(p, NULL, "");
    expect_next(p, NULL, "~frle=les ~frnegoci=negociateurs ~frnegoci=negocie");
    nx_prep_free(p);
}
END_TEST

/* Both lists from one lookup per word: a word met again lists neither its
 * spelling nor its stem pair, whichever list it went to first. */
START_TEST(jobs_list_both_at_once)
{
    nx_prep *p = nx_prep_new("english", NX_PREP_SPELLING | NX_PREP_STEMS);
    ck_assert_ptr_nonnull(p);
    nx_prep_push(p, text_job("Talks", "Negotiators negotiated in 2024."));
    nx_prep_push(p, text_job("Talks again", "The negotiators negotiated."));
    expect_next(p, "negotiators negotiated in talks",
                "~ennegoti=negotiators ~ennegoti=negotiated ~entalk=talks");
    expect_next(p, "the again", "");
    nx_prep_free(p);
}
END_TEST

/* A job marked skip (its article is stored unchanged) comes back in its
 * turn untouched: no terms, no words listed, and its words are not taken as
 * listed, so a later job that is written lists them. */
START_TEST(skipped_jobs_pass_through)
{
    nx_prep *p = nx_prep_new("english", NX_PREP_SPELLING);
    ck_assert_ptr_nonnull(p);
    nx_prep_job *first = text_job("Port strike", "The port of Kiel shut.");
    first->skip = 1;
    nx_prep_push(p, first);
    nx_prep_push(p, text_job("Kiel", "The port of Kiel reopened."));
    nx_prep_job *j = nx_prep_next(p, 1);
    ck_assert_ptr_eq(j, first);
    ck_assert_uint_eq(j->body.n, 0);
    ck_assert_uint_eq(j->title.n, 0);
    ck_assert_int_eq(j->words_given, 0);
    ck_assert_ptr_null(j->packed);
    nx_prep_job_free(j);
    expect_next(p, "the port of kiel reopened", NULL);
    nx_prep_free(p);
}
END_TEST

/* The fingerprint comes from the analysis pass's words: it must be the
 * one nx_mh_signature computes from the text, or copies indexed before and
 * after would stop matching. Texts that stress where the two could differ:
 * CJK runs (bigrams, and a lone last character left out), diacritics,
 * words that fold to nothing, overlong runs, figures, "yy" endings. */
START_TEST(fingerprint_is_the_texts_own)
{
    static const char *const texts[] = {
        "The central bank raised its key rate by a quarter point on Tuesday, citing "
        "stubborn inflation in services and a tight labour market, and said further "
        "increases were possible if wages kept rising at their current pace.",
        "Le président a reçu à l'Élysée les représentants des syndicats agricoles, "
        "qui réclament des aides d'urgence après la sécheresse de l'été dernier.",
        "乌克兰总统泽连斯基周二表示，谈判只能在俄罗斯军队撤出之后开始。他说：和平需要保证。",
        "Президент Зеленскыы заявил, что переговоры начнутся только после отвода войск; "
        "Zelenskyy and Zelensky met officials in Kyiv on 24.02.2023 at 10:30.",
        "Marks only: \u0301\u0301 and \u0640\u0640 between words, then ordinary words follow "
        "for a while so that there are enough shingles to sign this text at all.",
        "A run of xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx junk in the middle of a sentence that goes on "
        "and on about the 3.5% growth forecast, the U.S. dollar and 1,200 jobs.",
        "Too short to sign.",
        "",
    };
    nx_analyzer *an = nx_analyzer_new("english");
    ck_assert_ptr_nonnull(an);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        nx_prep_job *j = text_job("A title", texts[i]);
        nx_prep_run(an, NULL, "en", NULL, NULL, 0, j);
        ck_assert_int_eq(j->failed, 0);
        nx_mh_sig want;
        int rc = nx_mh_signature(texts[i], strlen(texts[i]), &want, NULL);
        ck_assert_int_ge(rc, 0);
        ck_assert_int_eq(j->fp, rc == NX_MH_SHORT);
        ck_assert_msg(memcmp(&j->sig, &want, sizeof want) == 0, "text %zu: another signature",
                      i);
        nx_prep_job_free(j);
    }
    nx_analyzer_free(an);
}
END_TEST

/* The words a job keeps of its body verify exactly as the body read
 * again: the same shingles, and the same figures in the same wording (joined
 * figures such as 6-3/16 need the words' offsets in the text). */
START_TEST(kept_words_read_as_the_text)
{
    static const char *const pairs[][2] = {
        {"The Bank of England bought bills at 6-3/16 pct in band two, the market said, "
         "and it expected a shortage of around 400 mln stg in the system today.",
         "The Bank of England bought bills at 6-3/8 pct in band two, the market said, "
         "and it expected a shortage of around 400 mln stg in the system today."},
        {"Quarterly profit rose to 1,250 dlrs a share from 980 dlrs, on sales of 3.5 "
         "billion dlrs against 3.1 billion, the company said in a statement on Monday.",
         "The company said quarterly profit rose to 1,250 dlrs a share from 975 dlrs, on "
         "sales of 3.5 billion dlrs against 3.1 billion, in a statement."},
        {"Президент заявил 24.02.2023, что переговоры начнутся после отвода войск, и "
         "повторил условия 10/12 раз подряд на встрече в Киеве с делегацией.",
         "Президент заявил 24.02.2023, что переговоры начнутся после отвода войск, и "
         "повторил условия 10/13 раз подряд на встрече в Киеве."},
    };
    nx_analyzer *an = nx_analyzer_new("english");
    ck_assert_ptr_nonnull(an);
    int figures_seen = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        nx_prep_job *j = text_job("A title", pairs[i][0]);
        nx_prep_run(an, NULL, "en", NULL, NULL, 0, j);
        ck_assert_int_eq(j->failed, 0);
        ck_assert_int_eq(j->fp, 0);
        ck_assert_ptr_nonnull(j->mh_words);
        nx_mh_text *kept = nx_mh_text_of(j->mh_words);
        nx_mh_text *read = nx_mh_text_new(pairs[i][0], strlen(pairs[i][0]));
        nx_mh_text *other = nx_mh_text_new(pairs[i][1], strlen(pairs[i][1]));
        ck_assert(kept && read && other);
        ck_assert_uint_eq(nx_mh_text_shingles(kept), nx_mh_text_shingles(read));
        ck_assert(nx_mh_text_containment(kept, read) == 1.0);
        ck_assert(nx_mh_text_containment(kept, other) == nx_mh_text_containment(read, other));
        for (int side = 0; side < 2; side++) {
            int c1, x1, c2, x2;
            if (side == 0) {
                nx_mh_text_figures(kept, other, &c1, &x1);
                nx_mh_text_figures(read, other, &c2, &x2);
            } else {
                nx_mh_text_figures(other, kept, &c1, &x1);
                nx_mh_text_figures(other, read, &c2, &x2);
            }
            ck_assert_msg(c1 == c2 && x1 == x2, "pair %zu side %d: %d/%d against %d/%d", i, side,
                          c1, x1, c2, x2);
            figures_seen += c1 + x1 > 0;
        }
        nx_mh_text_free(kept);
        nx_mh_text_free(read);
        nx_mh_text_free(other);
        nx_prep_job_free(j);
    }
    ck_assert_int_gt(figures_seen, 3); /* the comparison had figures to compare */
    /* Too short to fingerprint: nothing kept. */
    nx_prep_job *j = text_job("A title", "Too short to sign.");
    nx_prep_run(an, NULL, "en", NULL, NULL, 0, j);
    ck_assert_int_eq(j->fp, 1);
    ck_assert_ptr_null(j->mh_words);
    nx_prep_job_free(j);
    nx_analyzer_free(an);
}
END_TEST

static Suite *prepare_suite(void)
{
    Suite *s = suite_create("prepare");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, jobs_packed_with_the_dictionary_handed_over);
    tcase_add_test(tc, jobs_list_spelling_words_once);
    tcase_add_test(tc, jobs_list_stem_pairs_once);
    tcase_add_test(tc, jobs_list_both_at_once);
    tcase_add_test(tc, fingerprint_is_the_texts_own);
    tcase_add_test(tc, kept_words_read_as_the_text);
    tcase_add_test(tc, skipped_jobs_pass_through);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(prepare_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
