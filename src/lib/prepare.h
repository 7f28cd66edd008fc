/* prepare.h - the part of indexing an article that needs no index: its
 * language when it must be detected, its near-duplicate signature and its
 * terms. One worker thread does it for the next articles while the
 * indexing thread writes the earlier ones (src/lib/ingest.c); the terms are
 * then replayed to the index instead of analyzed again (pretok.h). */
#ifndef NX_LIB_PREPARE_H
#define NX_LIB_PREPARE_H

#include "internal.h"

#include "../analyze/minhash.h"
#include "../analyze/pretok.h"
#include "../store/store.h"
#include "../store/textpack.h"
#include "../store/wordset.h"

/* An article on its way to the index. The worker fills the results; the
 * indexing thread reads them only once nx_prep_next returned the job. */
typedef struct nx_prep_job {
    nx_article_t a;       /* owned fields; f[NX_FIELD_LANG] NULL: detect it */
    long line;            /* where the record was, for messages */
    int skip;             /* stored unchanged when queued: nothing to prepare */
    /* results */
    int fp;               /* 0: sig holds its signature; 1: too short to fingerprint */
    nx_mh_sig sig;
    nx_mh_words *mh_words; /* the body's words for verification, or NULL */
    nx_pretok body, title;
    unsigned char *packed; /* the body packed (textpack.h), or NULL */
    size_t packed_len;
    unsigned packed_dict;  /* with this dictionary (0: none) */
    int words_given;      /* words is the list nx_prepared describes (store.h) */
    unsigned char *words;
    size_t words_len;
    int stems_given;      /* stems is the list nx_prepared describes (store.h) */
    unsigned char *stems;
    size_t stems_len;
    int failed;           /* out of memory */
    struct nx_prep_job *next;
    int done;
} nx_prep_job;

typedef struct nx_prep nx_prep;

/* What jobs list of their words (nx_prep_new, nx_prep_run): the spelling
 * words (words_given) and the (stem term, word) pairs (stems_given) of the
 * written words no earlier job met in the same language. */
enum { NX_PREP_SPELLING = 1, NX_PREP_STEMS = 2 };

/* Starts the worker; lang is the index's default language (Snowball name)
 * and its code the answer when detection finds none; lists (NX_PREP_*)
 * what each job lists. NULL when out of memory or no thread could start
 * (the caller then indexes alone). */
nx_prep *nx_prep_new(const char *lang, int lists);
/* Stops the worker and frees what it still holds. */
void nx_prep_free(nx_prep *p);

/* The dictionary the index packs bodies with now (NULL: none), copied for
 * the worker, which packs the jobs it takes from then on with it. A job
 * packed with another is packed again by the writer. Returns 0, or -1 when
 * out of memory (the worker keeps the one it has). */
int nx_prep_set_dict(nx_prep *p, const void *dict, size_t len);

/* Queues job (ownership passes to the queue until nx_prep_next returns it). */
void nx_prep_push(nx_prep *p, nx_prep_job *job);
/* Jobs queued and not yet taken back. */
size_t nx_prep_pending(const nx_prep *p);
/* The oldest job, once prepared (waiting for it with wait, else NULL when
 * it is not ready); NULL when the queue is empty. */
nx_prep_job *nx_prep_next(nx_prep *p, int wait);

/* Frees a job's fields and results. */
void nx_prep_job_free(nx_prep_job *job);

/* The written words a worker's jobs have met, per language. */
typedef struct nx_prep_met nx_prep_met;

/* Prepares a job on the calling thread (no worker): the same work, the
 * body packed with pack when not NULL, and with met not NULL the lists
 * asked for (NX_PREP_*) of the words not yet in met (which are added). */
void nx_prep_run(nx_analyzer *an, void *langid, const char *default_code, nx_textpack *pack,
                 nx_prep_met *met, int lists, nx_prep_job *job);

#endif
