/* prepare.c - a worker thread preparing articles for the index (see
 * prepare.h). Jobs go through in order: a FIFO the indexing thread pushes
 * onto and takes back from, the worker marking each done. Two cores were
 * the target: analysis (segmenting, folding, stemming, detecting the
 * language, fingerprinting, packing the body, listing the words new to the
 * run) costs about as much as writing the index, and whatever per-word work
 * can leave the indexing thread is done here. */
#include "prepare.h"

#include "../analyze/langid.h"
#include "../store/textpack.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A set per language rather than one keyed by language and word: the
 * words are looked up as they lie in the terms' buffer, with no key to
 * build (copying them into keys was 1% of this thread). */
struct nx_prep_met {
    struct {
        char code[8];
        nx_wordset *words;
    } lang[NX_MAX_LANGS];
    size_t n;
};

static void met_free(nx_prep_met *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        nx_wordset_free(m->lang[i].words);
    free(m);
}

/* The words met in language code; NULL when out of memory or past
 * NX_MAX_LANGS languages (the writer then collects that job's lists). */
static nx_wordset *met_words(nx_prep_met *m, const char *code)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->lang[i].code, code) == 0)
            return m->lang[i].words;
    if (m->n == NX_MAX_LANGS || strlen(code) >= sizeof m->lang[0].code)
        return NULL;
    nx_wordset *w = nx_wordset_new();
    if (!w)
        return NULL;
    snprintf(m->lang[m->n].code, sizeof m->lang[0].code, "%s", code);
    m->lang[m->n++].words = w;
    return w;
}

struct nx_prep {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, ready;  /* a job to do; a job done */
    nx_prep_job *head, *tail;     /* queued, oldest first */
    nx_prep_job *todo;            /* the oldest not yet prepared */
    size_t pending;
    int stop;
    nx_analyzer *an;
    nx_langid *langid;
    char code[8];                 /* the default language's code */
    nx_textpack *pack;            /* the worker's, with the index's dictionary */
    /* The written words met so far (NULL: no lists asked for), whose
     * spelling words and stem pairs jobs listed. Kept for the whole run:
     * the writer rolls back only on a failure that ends the ingest
     * (nx_ingest_t's fatal status is sticky), so nothing listed is lost
     * with a transaction and then left unlisted by a later article. */
    nx_prep_met *met;
    int lists; /* NX_PREP_SPELLING, NX_PREP_STEMS */
    void *dict;                   /* a dictionary to load before the next job */
    size_t dict_len;
    int dict_new;                 /* dict (NULL: none) is waiting */
};

void nx_prep_job_free(nx_prep_job *job)
{
    if (!job)
        return;
    for (int i = 0; i < NX_FIELD_COUNT_; i++)
        free(job->a.f[i]);
    nx_pretok_free(&job->body);
    nx_pretok_free(&job->title);
    free(job->packed);
    free(job->words);
    free(job->stems);
    nx_mh_words_free(job->mh_words);
    free(job);
}

/* The text language detection reads: the body says more than the title;
 * both, when the body is short. */
static const char *detect(nx_langid *id, const nx_article_t *a)
{
    const char *title = a->f[NX_FIELD_TITLE] ? a->f[NX_FIELD_TITLE] : "";
    const char *body = a->f[NX_FIELD_BODY] ? a->f[NX_FIELD_BODY] : "";
    if (strlen(body) > 200)
        return nx_langid_detect(id, body, strlen(body));
    size_t tl = strlen(title), bl = strlen(body);
    char *joined = malloc(tl + bl + 2);
    if (!joined)
        return NULL;
    memcpy(joined, title, tl);
    joined[tl] = ' ';
    memcpy(joined + tl + 1, body, bl + 1);
    const char *code = nx_langid_detect(id, joined, tl + bl + 1);
    free(joined);
    return code;
}

static int observe_word(void *ctx, const char *folded, size_t len, const nx_word *w)
{
    return nx_mh_word(ctx, folded, len, w->cjk_tail, w->start, w->end);
}

/* Appends a length byte and s[0..n) to a job's list. */
static int append(unsigned char **list, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + 1 + n > *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        while (c < *len + 1 + n)
            c *= 2;
        unsigned char *b = realloc(*list, c);
        if (!b)
            return -1;
        *list = b;
        *cap = c;
    }
    (*list)[(*len)++] = (unsigned char)n;
    memcpy(*list + *len, s, n);
    *len += n;
    return 0;
}

/* Appends to the job's lists what p's written words add to the run: each
 * word not in met (the words met in p's language), as a spelling word
 * (with NX_PREP_SPELLING, when NX_SPELL_WORD) and with the stem terms that
 * follow it at its position as (stem term, word) pairs (with
 * NX_PREP_STEMS). One set lookup per written word serves both, since a
 * word's stem term follows from the word and the language; the indexing
 * thread, which made one per stem term, makes none (they were about 4% of
 * its time at 100 MB, mostly cache misses in a set its SQLite work kept
 * evicting). */
static int list_new(nx_wordset *met, int lists, const nx_pretok *p, nx_prep_job *job,
                    size_t cap[2])
{
    const char *word = NULL;
    size_t wlen = 0;
    int fresh = 0;
    for (size_t i = 0; i < p->n; i++) {
        const nx_pretok_term *t = &p->t[i];
        const char *term = p->buf + t->off;
        if (t->kind == NX_TERM_EXACT) {
            word = term;
            wlen = t->len;
            fresh = 0;
            /* Only words that may go to a list are looked up: figures and
             * words without a stem term would only grow the set. Longer
             * words are neither spelling words nor kept with a stem
             * (fts5_stems.c). */
            int stemmed = i + 1 < p->n && p->t[i + 1].kind == NX_TERM_STEM;
            if (!(((lists & NX_PREP_SPELLING) && NX_SPELL_WORD(word, wlen)) ||
                  ((lists & NX_PREP_STEMS) && stemmed)) ||
                wlen == 0 || wlen > 253)
                continue;
            if ((fresh = nx_wordset_add(met, word, wlen)) < 0)
                return -1;
            if (fresh && (lists & NX_PREP_SPELLING) && NX_SPELL_WORD(word, wlen) &&
                append(&job->words, &job->words_len, &cap[0], word, wlen) != 0)
                return -1;
            continue;
        }
        /* "~" + a two-letter code + a stem: what the stems table keeps. */
        if (t->kind != NX_TERM_STEM || !fresh || !(lists & NX_PREP_STEMS) || t->len < 4 ||
            t->len > 255)
            continue;
        if (append(&job->stems, &job->stems_len, &cap[1], term, t->len) != 0 ||
            append(&job->stems, &job->stems_len, &cap[1], word, wlen) != 0)
            return -1;
    }
    return 0;
}

void nx_prep_run(nx_analyzer *an, void *langid, const char *default_code, nx_textpack *pack,
                 nx_prep_met *met, int lists, nx_prep_job *job)
{
    nx_article_t *a = &job->a;
    if (!a->f[NX_FIELD_LANG]) {
        const char *code = langid ? detect(langid, a) : NULL;
        const nx_lang *l = code ? nx_lang_find(code) : NULL;
        if (!(a->f[NX_FIELD_LANG] = strdup(l ? l->code : default_code))) {
            job->failed = 1;
            return;
        }
    }
    const char *body = a->f[NX_FIELD_BODY] ? a->f[NX_FIELD_BODY] : "";
    const char *title = a->f[NX_FIELD_TITLE] ? a->f[NX_FIELD_TITLE] : "";
    const nx_lang *l = nx_lang_find(a->f[NX_FIELD_LANG]);
    nx_analyzer_use(an, &l, l ? 1 : 0);
    /* The body's fingerprint from the words its analysis folds anyway:
     * segmenting and folding it a second time was a quarter of this
     * thread's work. The words are kept for the writer, which verifies
     * near-duplicate candidates on them: reading the text again there was
     * about 5% of the busier thread's time at 100 MB. */
    nx_mh_builder *mb = nx_mh_begin(body);
    if (!mb) {
        job->failed = 1;
        return;
    }
    nx_analyzer_observe(an, observe_word, mb);
    int body_rc = nx_pretok_record(an, body, strlen(body), &job->body);
    nx_analyzer_observe(an, NULL, NULL);
    size_t n;
    int rc = nx_mh_end(mb, &job->sig, &n, &job->mh_words);
    if (body_rc != 0 || rc < 0 || nx_pretok_record(an, title, strlen(title), &job->title) != 0) {
        job->failed = 1;
        return;
    }
    job->fp = rc == NX_MH_SHORT;
    if (job->fp) { /* never verified */
        nx_mh_words_free(job->mh_words);
        job->mh_words = NULL;
    }
    /* Without memory for the lists, the writer collects this job's words
     * and pairs itself (and some of them may have gone into met: harmless,
     * they reach the writer with this job). */
    size_t cap[2] = {0, 0};
    nx_wordset *words = met && lists ? met_words(met, a->f[NX_FIELD_LANG]) : NULL;
    if (words && list_new(words, lists, &job->body, job, cap) == 0 &&
        list_new(words, lists, &job->title, job, cap) == 0) {
        job->words_given = (lists & NX_PREP_SPELLING) != 0;
        job->stems_given = (lists & NX_PREP_STEMS) != 0;
    }
    /* Packing is not required of the worker: without memory, the writer
     * packs the body itself. */
    if (pack && nx_textpack_pack(pack, body, strlen(body), &job->packed, &job->packed_len) == 0)
        job->packed_dict = nx_textpack_dict_id(pack);
}

static void *worker(void *arg)
{
    nx_prep *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->todo)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        nx_prep_job *job = p->todo;
        void *dict = p->dict;
        size_t dict_len = p->dict_len;
        int dict_new = p->dict_new;
        p->dict = NULL;
        p->dict_new = 0;
        pthread_mutex_unlock(&p->mu);
        if (dict_new) {
            if (!dict || nx_textpack_set_dict(p->pack, dict, dict_len) != 0)
                nx_textpack_forget(p->pack);
            free(dict);
        }
        if (!job->skip)
            nx_prep_run(p->an, p->langid, p->code, p->pack, p->met, p->lists, job);
        pthread_mutex_lock(&p->mu);
        job->done = 1;
        p->todo = job->next;
        pthread_cond_broadcast(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

nx_prep *nx_prep_new(const char *lang, int lists)
{
    nx_prep *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    const nx_lang *l = nx_lang_find(lang);
    snprintf(p->code, sizeof p->code, "%s", l ? l->code : "en");
    p->an = nx_analyzer_new(lang);
    p->langid = nx_langid_new(); /* NULL without fingerprints: the default language */
    p->pack = nx_textpack_new();
    p->lists = lists;
    p->met = lists ? calloc(1, sizeof *p->met) : NULL;
    if (!p->an || !p->pack || (lists && !p->met) || pthread_mutex_init(&p->mu, NULL) != 0) {
        nx_analyzer_free(p->an);
        nx_langid_free(p->langid);
        nx_textpack_free(p->pack);
        met_free(p->met);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->ready);
        pthread_mutex_destroy(&p->mu);
        nx_analyzer_free(p->an);
        nx_langid_free(p->langid);
        nx_textpack_free(p->pack);
        met_free(p->met);
        free(p);
        return NULL;
    }
    return p;
}

void nx_prep_free(nx_prep *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    while (p->head) {
        nx_prep_job *j = p->head;
        p->head = j->next;
        nx_prep_job_free(j);
    }
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->mu);
    nx_analyzer_free(p->an);
    nx_langid_free(p->langid);
    nx_textpack_free(p->pack);
    met_free(p->met);
    free(p->dict);
    free(p);
}

int nx_prep_set_dict(nx_prep *p, const void *dict, size_t len)
{
    void *copy = NULL;
    if (dict && len && !(copy = malloc(len)))
        return -1;
    if (copy)
        memcpy(copy, dict, len);
    pthread_mutex_lock(&p->mu);
    free(p->dict);
    p->dict = copy;
    p->dict_len = copy ? len : 0;
    p->dict_new = 1;
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void nx_prep_push(nx_prep *p, nx_prep_job *job)
{
    job->next = NULL;
    job->done = 0;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    if (!p->todo)
        p->todo = job;
    p->pending++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

size_t nx_prep_pending(const nx_prep *p)
{
    return p->pending;
}

nx_prep_job *nx_prep_next(nx_prep *p, int wait)
{
    pthread_mutex_lock(&p->mu);
    nx_prep_job *j = p->head;
    while (j && !j->done && wait)
        pthread_cond_wait(&p->ready, &p->mu);
    if (j && j->done) {
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        p->pending--;
    } else {
        j = NULL;
    }
    pthread_mutex_unlock(&p->mu);
    return j;
}
