/* fuzz_fts5_leaves.c - the FTS5 leaf reader (src/store/fts5_leaves.c) on
 * damaged index pages: the reader parses the structure record and the leaf
 * pages of articles_fts itself, so an index file damaged on disk, or made
 * by another program, must not crash it.
 *
 * A small real FTS5 table is built once in memory (several segments, small
 * pages so that doclists run over pages and carry doclist indexes, deleted
 * and replaced rows). Input: byte 0 picks one of its blocks (the structure
 * record, the averages or a leaf page), byte 1 how to damage it (0: bytes
 * written over it at an offset, 1: cut at an offset and bytes appended, 2:
 * replaced by the rest of the input), bytes 2-3 the offset. The words of a
 * few prefixes are then read, and the block put back. Checks, besides
 * memory safety and undefined behaviour:
 *   - every word reported starts with the prefix asked for, with a count
 *     of at least one article;
 *   - when the reader declines (done = 0), it has reported nothing. */
#include "store/fts5_leaves.h"

#include "fuzz_common.h"

#include <sqlite3.h>

#define MAX_BLOCKS 512

static sqlite3 *db;
static struct {
    sqlite3_int64 id;
    unsigned char *bytes;
    int n;
} blocks[MAX_BLOCKS];
static int nblocks;

static void exec(const char *sql)
{
    char *err = NULL;
    FUZZ_CHECK(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "setup: %s: %s", sql,
               err ? err : "");
}

static const char *const words[] = {"tanker", "talks", "tariff", "wheat", "winter", "aid",
                                    "accord", "zinc", "zone", "oil", "oils", "port"};

static void setup(void)
{
    FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "cannot open a database");
    exec("CREATE VIRTUAL TABLE articles_fts USING fts5(body, title)");
    /* Small pages: doclists run over several, long ones get a doclist index. */
    exec("INSERT INTO articles_fts(articles_fts, rank) VALUES('pgsz', 64)");
    exec("INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 0)");
    char sql[512];
    unsigned seed = 1;
    for (int tx = 0; tx < 4; tx++) {
        exec("BEGIN");
        for (int i = 0; i < 60; i++) {
            char body[256] = "";
            for (int w = 0; w < 8; w++) {
                seed = seed * 1103515245u + 12345u;
                strcat(body, words[(seed >> 16) % (sizeof words / sizeof words[0])]);
                strcat(body, " ");
            }
            snprintf(sql, sizeof sql,
                     "INSERT INTO articles_fts(rowid, body, title) VALUES (%d, '%s', 'port')",
                     tx * 100 + i + 1, body);
            exec(sql);
        }
        exec("COMMIT");
    }
    /* Deleted and replaced rows: flagged entries in newer segments. */
    exec("DELETE FROM articles_fts WHERE rowid IN (3, 105, 207)");
    exec("UPDATE articles_fts SET body = 'tariff talks again' WHERE rowid = 10");
    sqlite3_stmt *st;
    FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT id, block FROM articles_fts_data ORDER BY id", -1,
                                  &st, NULL) == SQLITE_OK,
               "setup: reading blocks");
    while (sqlite3_step(st) == SQLITE_ROW && nblocks < MAX_BLOCKS) {
        int n = sqlite3_column_bytes(st, 1);
        blocks[nblocks].id = sqlite3_column_int64(st, 0);
        blocks[nblocks].n = n;
        blocks[nblocks].bytes = malloc(n > 0 ? (size_t)n : 1);
        FUZZ_CHECK(blocks[nblocks].bytes != NULL, "out of memory");
        if (n > 0)
            memcpy(blocks[nblocks].bytes, sqlite3_column_blob(st, 1), (size_t)n);
        nblocks++;
    }
    sqlite3_finalize(st);
    FUZZ_CHECK(nblocks > 10, "setup: only %d blocks", nblocks);
}

static void put_block(sqlite3_int64 id, const unsigned char *b, size_t n)
{
    sqlite3_stmt *st;
    FUZZ_CHECK(sqlite3_prepare_v2(db, "UPDATE articles_fts_data SET block = ?2 WHERE id = ?1", -1,
                                  &st, NULL) == SQLITE_OK,
               "preparing the update");
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, b, (int)n, SQLITE_STATIC);
    FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE, "writing block %lld", (long long)id);
    sqlite3_finalize(st);
}

typedef struct seen {
    const char *prefix;
    size_t reported;
} seen;

static void on_word(void *ctx, const char *w, int64_t n)
{
    seen *s = ctx;
    s->reported++;
    FUZZ_CHECK(w != NULL && strncmp(w, s->prefix, strlen(s->prefix)) == 0,
               "word '%s' reported for prefix '%s'", w ? w : "(null)", s->prefix);
    FUZZ_CHECK(n >= 1, "word '%s' with %lld articles", w, (long long)n);
}

/* Every other word by length: the others' doclists are passed over. */
static int want_even(void *ctx, const char *w, size_t n)
{
    (void)ctx, (void)w;
    return n % 2 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    if (size < 4)
        return 0;
    int k = data[0] % nblocks;
    size_t n0 = (size_t)blocks[k].n, at = ((size_t)data[2] << 8 | data[3]) % (n0 + 1);
    const uint8_t *rest = data + 4;
    size_t nrest = size - 4;
    unsigned char *b = malloc(n0 + nrest + 1);
    FUZZ_CHECK(b != NULL, "out of memory");
    size_t n;
    switch (data[1] % 3) {
    case 0: /* written over, from at on */
        memcpy(b, blocks[k].bytes, n0);
        memcpy(b + at, rest, nrest);
        n = at + nrest > n0 ? at + nrest : n0;
        break;
    case 1: /* cut at at, then the rest appended */
        memcpy(b, blocks[k].bytes, at);
        memcpy(b + at, rest, nrest);
        n = at + nrest;
        break;
    default:
        memcpy(b, rest, nrest);
        n = nrest;
    }
    put_block(blocks[k].id, b, n);
    free(b);
    static const char *const prefixes[] = {"", "t", "ta", "oil", "z"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        for (int w = 0; w < 2; w++) {
            seen s = {prefixes[i], 0};
            int done = 0;
            int rc = nx_fts5_leaf_words(db, prefixes[i], w ? want_even : NULL, on_word, &s, &done);
            (void)rc; /* damage may well be reported as an error: not crashing is the point */
            if (!done)
                FUZZ_CHECK(s.reported == 0, "declined after reporting %zu words", s.reported);
            FUZZ_CHECK(sqlite3_get_autocommit(db), "a transaction was left open");
        }
    }
    put_block(blocks[k].id, blocks[k].bytes, (size_t)blocks[k].n);
    return 0;
}
