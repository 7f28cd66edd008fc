/* prepare.c - a worker thread preparing articles for the index (see
 * prepare.h). Jobs go through in order: a FIFO the indexing thread pushes
 * onto and takes back from, the worker marking each done. Two cores were
 * the target: analysis (segmenting, folding, stemming, detecting the
 * language, fingerprinting) costs about as much as writing the index. */
#include "prepare.h"

#include "../analyze/langid.h"
#include "../store/textpack.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
    /* Spelling words listed so far (NULL: none listed). Kept for the whole
     * run: the writer rolls back only on a failure that ends the ingest
     * (nx_ingest_t's fatal status is sticky), so no listed word is lost
     * with a transaction and then left unlisted by a later article. */
    nx_wordset *said;
    /* Stem pairs listed so far, keyed by language code + word (NULL: none
     * listed), for the same whole run. */
    nx_wordset *paired;
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

static int observe_word(void *ctx, const char *folded, size_t len, int cjk_tail)
{
    return nx_mh_word(ctx, folded, len, cjk_tail);
}

/* Appends the spelling words of p not in said to the job's list. */
static int list_words(nx_wordset *said, const nx_pretok *p, nx_prep_job *job, size_t *cap)
{
    for (size_t i = 0; i < p->n; i++) {
        const nx_pretok_term *t = &p->t[i];
        const char *w = p->buf + t->off;
        if (t->kind != NX_TERM_EXACT || !NX_SPELL_WORD(w, t->len))
            continue;
        int added = nx_wordset_add(said, w, t->len);
        if (added < 0)
            return -1;
        if (added == 0)
            continue;
        if (job->words_len + 1 + t->len > *cap) {
            size_t c = *cap ? *cap * 2 : 256;
            unsigned char *b = realloc(job->words, c);
            if (!b)
                return -1;
            job->words = b;
            *cap = c;
        }
        job->words[job->words_len++] = (unsigned char)t->len;
        memcpy(job->words + job->words_len, w, t->len);
        job->words_len += t->len;
    }
    return 0;
}

/* Appends the (stem term, word) pairs of p not in paired to the job's
 * list: each stem term follows the written word it stems, at its position
 * (as the FTS5 tokenizer meets them). A set lookup per stem term, which the
 * indexing thread no longer makes: about 4% of that thread's time at
 * 100 MB, mostly cache misses in a set that thread's SQLite work keeps
 * evicting. */
static int list_stems(nx_wordset *paired, const nx_pretok *p, nx_prep_job *job, size_t *cap)
{
    const char *word = NULL;
    size_t wlen = 0;
    char key[256];
    for (size_t i = 0; i < p->n; i++) {
        const nx_pretok_term *t = &p->t[i];
        const char *term = p->buf + t->off;
        if (t->kind == NX_TERM_EXACT) {
            word = term;
            wlen = t->len;
            continue;
        }
        /* "~" + a two-letter code + a stem, and a word the key holds:
         * what the stems table keeps (fts5_stems.c). */
        if (t->kind != NX_TERM_STEM || !word || t->len < 4 || t->len > 255 || wlen == 0 ||
            wlen > 253)
            continue;
        memcpy(key, term + 1, 2);
        memcpy(key + 2, word, wlen);
        int added = nx_wordset_add(paired, key, wlen + 2);
        if (added < 0)
            return -1;
        if (added == 0)
            continue;
        size_t need = job->stems_len + 2 + t->len + wlen;
        if (need > *cap) {
            size_t c = *cap ? *cap * 2 : 256;
            while (c < need)
                c *= 2;
            unsigned char *b = realloc(job->stems, c);
            if (!b)
                return -1;
            job->stems = b;
            *cap = c;
        }
        job->stems[job->stems_len++] = (unsigned char)t->len;
        memcpy(job->stems + job->stems_len, term, t->len);
        job->stems_len += t->len;
        job->stems[job->stems_len++] = (unsigned char)wlen;
        memcpy(job->stems + job->stems_len, word, wlen);
        job->stems_len += wlen;
    }
    return 0;
}

void nx_prep_run(nx_analyzer *an, void *langid, const char *default_code, nx_textpack *pack,
                 nx_wordset *said, nx_wordset *paired, nx_prep_job *job)
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
     * thread's work. */
    nx_mh_builder *mb = nx_mh_begin();
    if (!mb) {
        job->failed = 1;
        return;
    }
    nx_analyzer_observe(an, observe_word, mb);
    int body_rc = nx_pretok_record(an, body, strlen(body), &job->body);
    nx_analyzer_observe(an, NULL, NULL);
    size_t n;
    int rc = nx_mh_end(mb, &job->sig, &n);
    if (body_rc != 0 || rc < 0 || nx_pretok_record(an, title, strlen(title), &job->title) != 0) {
        job->failed = 1;
        return;
    }
    job->fp = rc == NX_MH_SHORT;
    /* Without memory for the list, the writer collects this job's words
     * itself (and some of them may have gone into said: harmless, they
     * reach the writer with this job). */
    size_t cap = 0;
    if (said && list_words(said, &job->body, job, &cap) == 0 &&
        list_words(said, &job->title, job, &cap) == 0)
        job->words_given = 1;
    /* Likewise: without the list, the writer collects the pairs. */
    cap = 0;
    if (paired && list_stems(paired, &job->body, job, &cap) == 0 &&
        list_stems(paired, &job->title, job, &cap) == 0)
        job->stems_given = 1;
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
            nx_prep_run(p->an, p->langid, p->code, p->pack, p->said, p->paired, job);
        pthread_mutex_lock(&p->mu);
        job->done = 1;
        p->todo = job->next;
        pthread_cond_broadcast(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

nx_prep *nx_prep_new(const char *lang, int spelling, int stems)
{
    nx_prep *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    const nx_lang *l = nx_lang_find(lang);
    snprintf(p->code, sizeof p->code, "%s", l ? l->code : "en");
    p->an = nx_analyzer_new(lang);
    p->langid = nx_langid_new(); /* NULL without fingerprints: the default language */
    p->pack = nx_textpack_new();
    p->said = spelling ? nx_wordset_new() : NULL;
    p->paired = stems ? nx_wordset_new() : NULL;
    if (!p->an || !p->pack || (spelling && !p->said) || (stems && !p->paired) ||
        pthread_mutex_init(&p->mu, NULL) != 0) {
        nx_analyzer_free(p->an);
        nx_langid_free(p->langid);
        nx_textpack_free(p->pack);
        nx_wordset_free(p->said);
        nx_wordset_free(p->paired);
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
        nx_wordset_free(p->said);
        nx_wordset_free(p->paired);
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
    nx_wordset_free(p->said);
    nx_wordset_free(p->paired);
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
