-- newsidx index schema, version 2 (SQLite FTS5 engine).
--
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

PRAGMA application_id = 1853321336;   -- 'nxid' as a big-endian integer
PRAGMA user_version = 2;

-- Key/value facts about the index: schema_version, analyzer_version,
-- language (Snowball name, the tokenizer's argument), engine, created.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per input file, to skip unchanged files on the next run.
CREATE TABLE files (
    path     TEXT PRIMARY KEY,   -- absolute path as given, normalised
    size     INTEGER NOT NULL,   -- bytes on disk
    mtime_ns INTEGER NOT NULL,   -- modification time, nanoseconds since the epoch
    hash     TEXT NOT NULL,      -- 64-bit FNV-1a of the content, hex
    articles INTEGER NOT NULL    -- articles it yielded last time
) WITHOUT ROWID;

-- The articles. rowid is internal (FTS5 refers to it); id is the stable
-- external id shown to users.
CREATE TABLE articles (
    rowid    INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    title    TEXT NOT NULL DEFAULT '',
    body     TEXT NOT NULL DEFAULT '',
    date     TEXT,               -- ISO-8601 UTC 'YYYY-MM-DDTHH:MM:SSZ', or NULL if unknown
    source   TEXT,
    url      TEXT,
    lang     TEXT,               -- the article's language, ISO 639-1 ('en', 'fr', 'zh')
    origin   TEXT,               -- path of the file it came from (files.path), or NULL
    size     INTEGER,            -- size of that file when read
    mtime_ns INTEGER,            -- its mtime when read
    hash     TEXT NOT NULL       -- FNV-1a of title, body, date, source, url, lang: detects edits
);
CREATE INDEX articles_origin ON articles(origin);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_source ON articles(source);

CREATE INDEX articles_lang ON articles(lang);

-- What the full-text index reads: title and body, each behind a language
-- marker (char 31, the code, char 31) that the newsidx tokenizer consumes.
CREATE VIEW articles_fts_src(rowid, title, body) AS
    SELECT rowid,
           char(31) || coalesce(lang, '') || char(31) || title,
           char(31) || coalesce(lang, '') || char(31) || body
    FROM articles;

-- Full-text index over title and body, as external content of the view:
-- the text is stored once, in `articles`. The tokenizer is newsidx's
-- analyzer, registered by the library on every connection; its argument is
-- the index's default language.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content = 'articles_fts_src', content_rowid = 'rowid',
    tokenize = 'newsidx @LANGUAGE@'
);

-- Keep the FTS5 index in step with `articles`. The delete command must be
-- given the old values exactly as they were indexed, markers included.
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid,
        char(31) || coalesce(new.lang, '') || char(31) || new.title,
        char(31) || coalesce(new.lang, '') || char(31) || new.body);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid,
        char(31) || coalesce(old.lang, '') || char(31) || old.title,
        char(31) || coalesce(old.lang, '') || char(31) || old.body);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, body, lang ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid,
        char(31) || coalesce(old.lang, '') || char(31) || old.title,
        char(31) || coalesce(old.lang, '') || char(31) || old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid,
        char(31) || coalesce(new.lang, '') || char(31) || new.title,
        char(31) || coalesce(new.lang, '') || char(31) || new.body);
END;
