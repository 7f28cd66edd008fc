/* fts5_pack.c - compressed article text inside the SQLite index: the SQL
 * functions the schema's view and triggers call (nx_unpack,
 * nx_unpacked_size), and training the zstd dictionary once the index holds
 * enough text (index-schema/fts5-v4.sql, "Stored text"). */
#include "fts5.h"

#include "textpack.h"

#include <stdlib.h>
#include <string.h>

typedef struct pack_ctx {
    sqlite3 *db;
    nx_textpack *p;
} pack_ctx;

static void pack_ctx_free(void *v)
{
    pack_ctx *c = v;
    if (c) {
        nx_textpack_free(c->p);
        free(c);
    }
}

/* Reads dictionary id from the index into the packer: straight from its
 * pages into the buffer the packer keeps, since a fresh search process pays
 * for every copy of a 256 KB dictionary in page faults. */
static int load_dict(pack_ctx *c, unsigned id)
{
    sqlite3_blob *b = NULL;
    int rc = sqlite3_blob_open(c->db, "main", "dictionaries", "data", id, 0, &b);
    if (rc == SQLITE_ERROR)
        rc = SQLITE_CORRUPT; /* no such row: a frame names a dictionary the index lacks */
    if (rc != SQLITE_OK) {
        sqlite3_blob_close(b);
        return rc;
    }
    int n = sqlite3_blob_bytes(b);
    void *d = n > 0 ? malloc((size_t)n) : NULL;
    if (!d)
        rc = n > 0 ? SQLITE_NOMEM : SQLITE_CORRUPT;
    else if ((rc = sqlite3_blob_read(b, d, n, 0)) == SQLITE_OK &&
             nx_textpack_adopt_dict(c->p, d, (size_t)n) != 0)
        rc = SQLITE_CORRUPT;
    if (rc != SQLITE_OK)
        free(d);
    sqlite3_blob_close(b);
    return rc;
}

/* nx_unpack(body); nx_unpack_or_null(body) for what search hits show: a
 * damaged text (or one whose dictionary is gone) gives NULL instead of
 * failing the statement, so one damaged article does not fail every search
 * that finds it (its hit then has no snippet, and says why). */
static void unpack(sqlite3_context *ctx, sqlite3_value **argv, int lenient)
{
    pack_ctx *c = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT) { /* written by hand: take it as it is */
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const unsigned char *in = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    char *out;
    size_t out_len;
    unsigned need;
    int r = nx_textpack_unpack(c->p, in, len, &out, &out_len, &need);
    if (r == 1) {
        int rc = load_dict(c, need);
        if (rc == SQLITE_CORRUPT && lenient)
            return; /* NULL */
        if (rc != SQLITE_OK) {
            sqlite3_result_error(ctx,
                                 rc == SQLITE_CORRUPT ? "stored text names a compression "
                                                        "dictionary the index does not hold"
                                                      : "cannot read the index's compression "
                                                        "dictionary",
                                 -1);
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        r = nx_textpack_unpack(c->p, in, len, &out, &out_len, &need);
    }
    if (r != 0 && lenient)
        return; /* NULL */
    if (r != 0) {
        sqlite3_result_error(ctx, "stored text is damaged (cannot decompress it)", -1);
        sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
        return;
    }
    sqlite3_result_text64(ctx, out, out_len, free, SQLITE_UTF8);
}

static void fn_unpack(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    unpack(ctx, argv, 0);
}

static void fn_unpack_or_null(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    unpack(ctx, argv, 1);
}

static void fn_unpacked_size(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_int64(ctx, sqlite3_value_bytes(argv[0]));
        return;
    }
    long long n = nx_textpack_size(sqlite3_value_blob(argv[0]),
                                   (size_t)sqlite3_value_bytes(argv[0]));
    sqlite3_result_int64(ctx, n < 0 ? 0 : n);
}

/* The packed form of a body stored as is (for recompress): the same value
 * when there is no dictionary or the text does not compress. */
static void fn_pack(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pack_ctx *c = sqlite3_user_data(ctx);
    const unsigned char *in = sqlite3_value_blob(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB || len < 1 || in[0] != NX_PACK_RAW) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    unsigned char *out;
    size_t out_len;
    if (nx_textpack_pack(c->p, (const char *)in + 1, (size_t)len - 1, &out, &out_len) != 0) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_blob64(ctx, out, out_len, free);
}

int nx_fts5_register_pack(sqlite3 *db, nx_textpack **packer)
{
    pack_ctx *c = calloc(1, sizeof *c);
    if (!c || !(c->p = nx_textpack_new())) {
        free(c);
        return SQLITE_NOMEM;
    }
    c->db = db;
    /* Deterministic, so the view can feed FTS5 and indexes could use them;
     * the destructor runs when the connection closes (or on failure). */
    int rc = sqlite3_create_function_v2(db, "nx_unpack", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, c,
                                        fn_unpack, NULL, NULL, pack_ctx_free);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_create_function_v2(db, "nx_unpacked_size", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, c,
                                    fn_unpacked_size, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "nx_unpack_or_null", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, c,
                                        fn_unpack_or_null, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "nx_pack", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, c,
                                        fn_pack, NULL, NULL, NULL);
    if (rc == SQLITE_OK && packer)
        *packer = c->p;
    return rc;
}

/* Trains a dictionary on the first NX_PACK_TRAIN_MAX bytes of stored
 * bodies and records it; 0 rows trained from means "not enough yet". */
static int train(sqlite3 *db, nx_textpack *p, int *trained)
{
    *trained = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT nx_unpack(body) FROM articles WHERE "
                                "nx_unpacked_size(body) > 0 ORDER BY rowid",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    char *buf = NULL;
    size_t *sizes = NULL, used = 0, n = 0, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && used < NX_PACK_TRAIN_MAX) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            size_t *s2 = realloc(sizes, cap * sizeof *s2);
            if (!s2) {
                rc = SQLITE_NOMEM;
                break;
            }
            sizes = s2;
        }
        char *b2 = realloc(buf, used + len + 1);
        if (!b2) {
            rc = SQLITE_NOMEM;
            break;
        }
        buf = b2;
        memcpy(buf + used, t, len);
        used += len;
        sizes[n++] = len;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = SQLITE_OK;
    void *dict = NULL;
    size_t dlen = 0;
    /* Too little text, or text zstd cannot learn from: stay uncompressed. */
    if (rc == SQLITE_OK && used >= NX_PACK_TRAIN_MIN && n >= 64 &&
        nx_textpack_train(buf, sizes, (unsigned)n, &dict, &dlen) == 0 &&
        nx_textpack_set_dict(p, dict, dlen) == 0) {
        rc = sqlite3_prepare_v2(db, "INSERT INTO dictionaries(id, data) VALUES (?1, ?2)", -1, &st,
                                NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, nx_textpack_dict_id(p));
            sqlite3_bind_blob(st, 2, dict, (int)dlen, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
            sqlite3_finalize(st);
        }
        *trained = rc == SQLITE_OK;
    }
    free(dict);
    free(buf);
    free(sizes);
    return rc;
}

/* Rewrites every body stored as is in its compressed form. The rows are
 * taken out and put back rather than updated in place: a row updated
 * smaller leaves its page partly empty, and the early rows (stored before
 * there was a dictionary) filled whole pages, which the rows put back in
 * rowid order fill again, densely. The full-text index is not touched:
 * the text it reads through the view is the same. */
static int recompress(sqlite3 *db)
{
#define REPACK_COLUMNS "id, title, date, source, url, lang, fileno, hash, cluster, minhash"
    static const char *const steps[] = {
        "CREATE TEMP TABLE nx_repack AS SELECT rowid AS rid, nx_pack(body) AS body, "
        REPACK_COLUMNS " FROM articles WHERE substr(body, 1, 1) = x'00' AND length(body) > 1",
        /* incompressible: left as they are */
        "DELETE FROM temp.nx_repack WHERE substr(body, 1, 1) = x'00'",
        "DELETE FROM articles WHERE rowid IN (SELECT rid FROM temp.nx_repack)",
        "INSERT INTO articles(rowid, body, " REPACK_COLUMNS ") SELECT rid, body, "
        REPACK_COLUMNS " FROM temp.nx_repack ORDER BY rid",
    };
#undef REPACK_COLUMNS
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof steps / sizeof *steps; i++)
        rc = sqlite3_exec(db, steps[i], NULL, NULL, NULL);
    /* Dropped whatever happened: a failed run leaves the transaction to be
     * rolled back, and the temporary table must not outlive it. */
    sqlite3_exec(db, "DROP TABLE IF EXISTS temp.nx_repack", NULL, NULL, NULL);
    return rc;
}

int nx_fts5_pack_maintain(sqlite3 *db, nx_textpack *p, int may_train)
{
    if (nx_textpack_dict_id(p))
        return SQLITE_OK;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT data FROM dictionaries ORDER BY rowid DESC LIMIT 1",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *d = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        rc = d && nx_textpack_set_dict(p, d, (size_t)n) == 0 ? SQLITE_OK : SQLITE_CORRUPT;
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || !may_train)
        return rc == SQLITE_DONE ? SQLITE_OK : rc;
    /* The bodies stored so far (about a megabyte) are compressed with the
     * new dictionary at once, while they are all the table holds. */
    int trained;
    rc = train(db, p, &trained);
    if (rc == SQLITE_OK && trained)
        rc = recompress(db);
    return rc;
}

int nx_fts5_pack_all(sqlite3 *db, nx_textpack *p)
{
    int rc = nx_fts5_pack_maintain(db, p, 1);
    if (rc == SQLITE_OK && nx_textpack_dict_id(p))
        rc = recompress(db);
    return rc;
}
