-- newsidx index schema, version 4 (SQLite FTS5 engine). What changed in
-- each version is below; the files of earlier versions are in the git
-- history (index-schema/fts5-v3.sql and before).
--
-- Version 4 (from 3), to make the index smaller: the full-text index holds
-- no stem terms ("~en" + stem, index-schema/terms.md); the table `stems`
-- lists, for each stem term the articles' words gave, the written words
-- that gave it, and a query for a stemmed word looks those words up
-- instead. The stem terms were a quarter of the full-text index's
-- (term, article) entries and a fifth of its positions. An index of
-- version 3 must be made again. Within version 4, indexes are made without
-- an index on articles.source (1% of the file at 100 MB of text): no search
-- could use it, as source: matches words inside the value, and only the
-- per-source counts of `newsidx stats` read it, which read every article
-- anyway. Indexes made before keep it; nothing depends on it either way.
--
-- Version 3 (from 2), to make the index smaller than the text it holds,
-- faster to build, and to remember near-duplicates:
--   * articles.body is stored compressed (see "Stored text" below);
--   * articles name their file by number (files.fileno), not by path;
--   * the content hash is an integer, not 16 hex digits;
--   * the full-text index lists body before title: FTS5 writes a two-byte
--     column marker in a position list for every column but the first, and
--     most (term, article) pairs are in the body only;
--   * articles.cluster and articles.minhash hold the near-duplicate
--     clustering (wire copies);
--   * no triggers (see the end of this file).
-- Version 2 (from 1): articles.lang holds an ISO 639-1 code, and the
-- full-text index reads its text through the view articles_fts_src, which
-- puts the article's language before each text so the tokenizer stems it
-- in that language (SQLite 3.40's tokenizer API has no per-row language).
--
-- Applied once, in one transaction, when an index is created. An index
-- records the schema and analyzer versions in `meta`; newsidx refuses to
-- open an index whose versions differ from its own rather than misread it.
-- Any change to this file needs a new version number (a new file), and
-- src/store/ must learn to open or migrate the old one.
--
-- Stored text: articles.body is a BLOB whose first byte says how the rest
-- is stored: 0 = the UTF-8 text as is; 1 = a zstd frame (any dictionary it
-- names is in `dictionaries`, the frame header carries its id). newsidx
-- registers two SQL functions on every connection: nx_unpack(body) gives
-- the text back, nx_unpacked_size(body) its length in bytes without
-- decompressing (and nx_pack, for its own use only). Until an index holds enough text to train a dictionary
-- (about 1 MB), bodies are stored as is; then a dictionary is trained from
-- them, they are compressed with it, and so is every later body. Both forms
-- are read alike: indexes made by earlier versions keep their first
-- megabyte as is until `newsidx optimize` compresses it.
--
-- Pages of 16 KB (set by newsidx before this file runs, within version 3;
-- indexes made before have 4 KB pages and are read the same): rows of
-- `articles` leave less space unused at the end of each page.
--
-- Incremental auto-vacuum (set by newsidx before this file runs: it must
-- precede the file's first page): FTS5 merges its segments as it goes and
-- frees pages; newsidx gives them back to the file system when a writer
-- closes.

PRAGMA application_id = 1853321336;   -- 'nxid' as a big-endian integer
PRAGMA user_version = 4;

-- Key/value facts about the index: schema_version, analyzer_version,
-- language (Snowball name, the tokenizer's argument), engine, created;
-- spelling (see the spelling list below); languages (added within version
-- 3; optional): the articles' languages as "code:main ...", main 1 for a
-- language holding 1% of the articles or more, which every search reads to
-- choose the languages to stem a query in. Writers set it in each
-- transaction that changes anything; without it, searches count. restore
-- (added within version 4; optional): '1' from a transaction that removed
-- articles until an indexing run has read back those that other files
-- hold (see holders below), so that a run stopped in between has the next
-- run do it.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- zstd dictionaries for the stored text, by the id their frames name.
CREATE TABLE dictionaries (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);

-- One row per input file, to skip unchanged files on the next run.
CREATE TABLE files (
    fileno   INTEGER PRIMARY KEY,
    path     TEXT NOT NULL UNIQUE, -- absolute path as given, normalised
    size     INTEGER NOT NULL,     -- bytes on disk
    mtime_ns INTEGER NOT NULL,     -- modification time, nanoseconds since the epoch
    hash     TEXT NOT NULL,        -- 64-bit FNV-1a of the content, hex
    articles INTEGER NOT NULL      -- articles it yielded last time
);

-- The articles. rowid is internal (FTS5 refers to it); id is the stable
-- external id shown to users.
CREATE TABLE articles (
    rowid    INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    title    TEXT NOT NULL DEFAULT '',
    body     BLOB NOT NULL,      -- the text, packed (see "Stored text" above)
    date     TEXT,               -- ISO-8601 UTC 'YYYY-MM-DDTHH:MM:SSZ', or NULL if unknown
    source   TEXT,
    url      TEXT,
    lang     TEXT,               -- the article's language, ISO 639-1 ('en', 'fr', 'zh')
    fileno   INTEGER,            -- the file it came from (files.fileno), or NULL
    hash     INTEGER NOT NULL,   -- FNV-1a of title, body, date, source, url, lang: detects edits
    cluster  INTEGER,            -- near-duplicate cluster: rowid of its first article;
                                 -- NULL in that first article (and in articles with no copy)
    minhash  BLOB                -- near-duplicate signature (src/analyze/minhash.h), or NULL
);
CREATE INDEX articles_fileno ON articles(fileno);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_cluster ON articles(cluster) WHERE cluster IS NOT NULL;

-- What the full-text index reads: body and title, each behind a language
-- marker (char 31, the code, char 31) that the newsidx tokenizer consumes.
CREATE VIEW articles_fts_src(rowid, body, title) AS
    SELECT rowid,
           char(31) || coalesce(lang, '') || char(31) || nx_unpack(body),
           char(31) || coalesce(lang, '') || char(31) || title
    FROM articles;

-- Full-text index over body and title, as external content of the view:
-- the text is stored once, in `articles`. The tokenizer is newsidx's
-- analyzer, registered by the library on every connection; its argument is
-- the index's default language.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    body, title,
    content = 'articles_fts_src', content_rowid = 'rowid',
    tokenize = 'newsidx @LANGUAGE@'
);

-- No triggers keep the FTS5 index in step with `articles`: newsidx writes
-- both itself, the full-text row right after the article's, as separate
-- statements. FTS5 writes out its pending terms at every statement
-- savepoint, and a trigger runs inside one: with triggers each article
-- became a segment of its own and indexing spent most of its time merging
-- them (2.3 times slower on Reuters-21578). A program that changes
-- `articles` by hand must do the same: before changing or deleting an
-- article, give FTS5 its old values (markers included) with the 'delete'
-- command, as the values of a one-row INSERT (an INSERT ... SELECT runs in
-- a savepoint too: 100 replaced articles left 20 small segments); after
-- inserting or changing one, insert its new values; or run
-- INSERT INTO articles_fts(articles_fts) VALUES('rebuild'). It should also
-- delete meta 'languages' (searches then count the languages again), and
-- add the stems of new words to `stems` (below), or stemmed queries miss
-- the articles that hold only an inflection nothing else in the index has.

-- Spelling list (added within version 3; optional). The written words of
-- the index that start with a letter a-z or a character of U+0080-U+07FF
-- (Greek, Cyrillic, Hebrew, Arabic ...), 64 bytes at most, keyed by
-- length so that "did you mean" reads only the words of the first letter
-- and lengths it needs, not the full-text index's leaves, where words sit
-- between their doclists (at 1 GB of text, a letter's share of the index
-- was thousands of pages per misspelled word). Words only: counts come
-- from the full-text index. Writers add the new words of every
-- transaction; words of deleted articles stay (their count is then 0).
-- meta 'spelling' = '2' says the list is complete; '1' (a list made before
-- it took words beyond a-z) that it is complete for words starting a-z;
-- an index made before this table (or whose writer ran out of memory
-- collecting words) lacks it. Words the list may lack are looked for in
-- the full-text index's leaves until `newsidx optimize` rebuilds the list.
CREATE TABLE IF NOT EXISTS spelling (
    len  INTEGER NOT NULL,  -- bytes
    word TEXT NOT NULL,
    PRIMARY KEY (len, word)
) WITHOUT ROWID;

-- Stems (version 4). For each stem term an article's words gave ("~" +
-- the article's language code + the folded Snowball stem, when it differs
-- from the word), the written words that gave it: a query for
-- "negotiating" in English looks up '~ennegoti' here and asks the
-- full-text index for negotiate, negotiated, negotiations ... instead of
-- for a stem term of its own (terms.md, "Queries"). Writers add the pairs
-- of every transaction; pairs of deleted articles stay (the word then
-- matches nothing, or another article) until `newsidx optimize` removes
-- the pairs whose word no article holds.
CREATE TABLE stems (
    stem TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (stem, word)
) WITHOUT ROWID;

-- Holders (added within version 4; optional: the first writer that needs
-- it creates it). An article is kept for one file, the last one read that
-- has its id; when it takes an article over from a file that is still on
-- disk, that earlier file is listed here as holding it too. Should the
-- later file drop the article (edited, or deleted and pruned), the
-- indexing run reads it back from the file listed here that kept it last
-- (src/lib/ingest.c, restore_dropped), as if the later file had never
-- had it, then forgets the row. Rows of a file go with its record in
-- `files`. A take-over from a file that is gone (moved, renamed) adds no
-- row: the article follows its file.
CREATE TABLE IF NOT EXISTS holders (
    id     TEXT NOT NULL,     -- articles.id
    fileno INTEGER NOT NULL,  -- files.fileno of a file that holds it too
    since  INTEGER NOT NULL,  -- when it stopped keeping it: microseconds since the epoch
    PRIMARY KEY (id, fileno)
) WITHOUT ROWID;
