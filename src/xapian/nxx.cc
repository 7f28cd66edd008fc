/* nxx.cc - libxapian behind a C interface (nxx.h). Every entry point
 * catches every exception and turns it into -1 plus a message, because an
 * exception crossing into C is undefined behaviour. Nothing here knows about
 * articles: the C side decides terms, values and data. */
#include "nxx.h"
#include "../store/ranking.h"

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <map>
#include <string>
#include <vector>

struct nxx_db {
    Xapian::Database db;                // for reading (may combine several)
    std::vector<Xapian::Database> parts; // what db combines, when opened for reading
    std::unique_ptr<Xapian::WritableDatabase> wdb;  // set when writable
    std::string err;
    bool in_tx = false;
};

struct nxx_doc {
    Xapian::Document doc;
};

struct nxx_query {
    Xapian::Query q;
};

struct nxx_hits {
    std::vector<std::string> data;
    std::vector<double> score;
    std::vector<std::string> value; /* of the captured slot */
};

namespace {

/* Runs f, turning any exception into -1 and a message on db. A reader
 * whose revision a writer has since replaced twice (Xapian keeps the last
 * two) gets DatabaseModifiedError, forever unless it reopens: it reopens
 * and f runs again, from the start, so f must not have told the caller
 * anything before it fails (retry = false where it streams to a callback). */
template <typename F> int guard(nxx_db *db, const char *doing, F f, bool retry = true)
{
    for (int attempt = 0;; attempt++) {
        try {
            f();
            return 0;
        } catch (const Xapian::DatabaseModifiedError &e) {
            if (db && !db->wdb && retry && attempt < 3) {
                try {
                    db->db.reopen();
                    continue;
                } catch (...) {
                }
            }
            if (db)
                db->err = std::string(doing) + ": " + e.get_description();
            return -1;
        } catch (const Xapian::Error &e) {
            if (db)
                db->err = std::string(doing) + ": " + e.get_description();
            return -1;
        } catch (const std::bad_alloc &) {
            if (db)
                db->err = std::string(doing) + ": out of memory";
            return -1;
        } catch (const std::exception &e) {
            if (db)
                db->err = std::string(doing) + ": " + e.what();
            return -1;
        } catch (...) {
            if (db)
                db->err = std::string(doing) + ": unknown error";
            return -1;
        }
    }
}

/* A search on a reader sees the latest commit, as on the FTS5 engine: a
 * Xapian reader otherwise stays on the revision it opened. */
void refresh(nxx_db *db)
{
    if (!db->wdb)
        db->db.reopen();
}

char *dup(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

Xapian::Database open_one(const std::string &path)
{
    if (path.compare(0, 6, "tcp://") == 0) {
        std::string rest = path.substr(6);
        size_t colon = rest.rfind(':');
        if (colon == std::string::npos)
            throw Xapian::InvalidArgumentError("remote database needs tcp://HOST:PORT");
        std::string host = rest.substr(0, colon);
        unsigned port = static_cast<unsigned>(std::strtoul(rest.c_str() + colon + 1, nullptr, 10));
        if (port == 0 || port > 65535)
            throw Xapian::InvalidArgumentError("bad port in " + path);
        /* 10 s to connect and for each reply: a dead shard fails, not hangs. */
        return Xapian::Remote::open(host, port, 10000, 10000);
    }
    return Xapian::Database(path);
}

} // namespace

extern "C" {

int nxx_open(const char *const *paths, size_t n, int writable, int create, nxx_db **out,
             char *err, size_t errlen)
{
    *out = nullptr;
    nxx_db *db = new (std::nothrow) nxx_db;
    if (!db) {
        std::snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t i = 0;
    int rc = guard(db, "opening", [&] {
        if (writable) {
            int flags = create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
            db->wdb.reset(new Xapian::WritableDatabase(paths[0], flags));
            db->db = *db->wdb;
            return;
        }
        for (i = 0; i < n; i++) {
            db->parts.push_back(open_one(paths[i]));
            db->db.add_database(db->parts.back());
        }
    });
    if (rc) {
        std::string where = writable || i >= n ? std::string(paths[0]) : std::string(paths[i]);
        std::snprintf(err, errlen, "%s: %s", where.c_str(), db->err.c_str());
        delete db;
        return -1;
    }
    *out = db;
    return 0;
}

int nxx_check(const char *path, char *err, size_t errlen)
{
    nxx_db tmp;
    int rc = guard(&tmp, "checking", [&] {
        size_t errors = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE, nullptr);
        if (errors)
            throw Xapian::DatabaseCorruptError(std::to_string(errors) + " errors found");
    });
    if (rc)
        std::snprintf(err, errlen, "%s: %s", path, tmp.err.c_str());
    return rc;
}

int nxx_compact(nxx_db *db, const char *dest)
{
    return guard(db, "compacting", [&] {
        if (!db->wdb)
            throw Xapian::InvalidOperationError("the database is not open for writing");
        /* Document numbers are kept: near-duplicate clusters name them. */
        db->wdb->compact(std::string(dest), Xapian::DBCOMPACT_NO_RENUMBER);
    });
}

void nxx_close(nxx_db *db)
{
    if (!db)
        return;
    guard(db, "closing", [&] {
        if (db->wdb) {
            if (db->in_tx)
                db->wdb->cancel_transaction();
            db->wdb->close();
        }
    });
    delete db;
}

const char *nxx_error(const nxx_db *db)
{
    return db ? db->err.c_str() : "";
}

int nxx_get_metadata(nxx_db *db, const char *key, char **value)
{
    *value = nullptr;
    return guard(db, "reading metadata", [&] {
        *value = dup(db->db.get_metadata(key));
        if (!*value)
            throw std::bad_alloc();
    });
}

int nxx_get_metadata_each(nxx_db *db, const char *key, void (*fn)(void *, const char *, size_t),
                          void *ctx)
{
    std::vector<std::string> values;
    int rc = guard(db, "reading metadata", [&] {
        /* A combined database answers from its first part only. */
        values.clear();
        if (db->parts.empty()) {
            values.push_back(db->db.get_metadata(key));
        } else {
            for (auto &part : db->parts)
                values.push_back(part.get_metadata(key));
        }
    });
    if (rc == 0)
        for (const auto &v : values)
            if (!v.empty())
                fn(ctx, v.data(), v.size());
    return rc;
}

int nxx_set_metadata(nxx_db *db, const char *key, const char *value)
{
    return guard(db, "writing metadata", [&] { db->wdb->set_metadata(key, value); });
}

int nxx_begin(nxx_db *db)
{
    return guard(db, "starting a transaction", [&] {
        db->wdb->begin_transaction(true);
        db->in_tx = true;
    });
}

int nxx_commit(nxx_db *db)
{
    return guard(db, "committing", [&] {
        if (db->in_tx) {
            db->in_tx = false;
            db->wdb->commit_transaction();
        } else {
            db->wdb->commit();
        }
    });
}

int nxx_cancel(nxx_db *db)
{
    return guard(db, "rolling back", [&] {
        if (db->in_tx) {
            db->in_tx = false;
            db->wdb->cancel_transaction();
        }
    });
}

nxx_doc *nxx_doc_new(void)
{
    return new (std::nothrow) nxx_doc;
}

void nxx_doc_free(nxx_doc *d)
{
    delete d;
}

int nxx_doc_add_posting(nxx_doc *d, const char *term, size_t len, unsigned pos, unsigned wdf)
{
    return guard(nullptr, "", [&] {
        if (pos)
            d->doc.add_posting(std::string(term, len), pos, wdf);
        else
            d->doc.add_term(std::string(term, len), wdf);
    });
}

int nxx_doc_add_boolean(nxx_doc *d, const char *term, size_t len)
{
    return guard(nullptr, "", [&] { d->doc.add_boolean_term(std::string(term, len)); });
}

int nxx_doc_set_value(nxx_doc *d, unsigned slot, const char *value, size_t len)
{
    return guard(nullptr, "", [&] { d->doc.add_value(slot, std::string(value, len)); });
}

int nxx_doc_set_data(nxx_doc *d, const char *data, size_t len)
{
    return guard(nullptr, "", [&] { d->doc.set_data(std::string(data, len)); });
}

int nxx_replace(nxx_db *db, const char *idterm, nxx_doc *d, uint64_t *docid)
{
    return guard(db, "storing an article",
                 [&] { *docid = db->wdb->replace_document(idterm, d->doc); });
}

int nxx_lookup(nxx_db *db, const char *idterm, uint64_t *docid, char **data, size_t *len)
{
    *docid = 0;
    *data = nullptr;
    *len = 0;
    return guard(db, "looking up an article", [&] {
        Xapian::PostingIterator p = db->db.postlist_begin(idterm);
        if (p == db->db.postlist_end(idterm))
            return;
        std::string s = db->db.get_document(*p).get_data();
        *data = dup(s);
        if (!*data)
            throw std::bad_alloc();
        *len = s.size();
        *docid = *p;
    });
}

int nxx_lookup_value(nxx_db *db, const char *idterm, unsigned slot, uint64_t *docid,
                     char **value, size_t *len)
{
    *docid = 0;
    *value = nullptr;
    *len = 0;
    return guard(db, "looking up an article", [&] {
        Xapian::PostingIterator p = db->db.postlist_begin(idterm);
        if (p == db->db.postlist_end(idterm))
            return;
        /* The posting list has just shown that the document exists: no need
         * for get_document to look again. */
        std::string v = db->db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(slot);
        if (!v.empty()) {
            *value = dup(v);
            if (!*value)
                throw std::bad_alloc();
            *len = v.size();
        }
        *docid = *p;
    });
}

int nxx_get_data(nxx_db *db, uint64_t docid, char **data, size_t *len)
{
    *data = nullptr;
    *len = 0;
    return guard(db, "reading an article", [&] {
        std::string s;
        try {
            s = db->db.get_document(static_cast<Xapian::docid>(docid)).get_data();
        } catch (const Xapian::DocNotFoundError &) {
            return;
        }
        *data = dup(s);
        if (!*data)
            throw std::bad_alloc();
        *len = s.size();
    });
}

int nxx_values(nxx_db *db, unsigned slot,
               int (*fn)(void *, uint64_t, const char *, size_t), void *ctx)
{
    return guard(db, "reading values", [&] {
        for (auto v = db->db.valuestream_begin(slot); v != db->db.valuestream_end(slot); ++v) {
            std::string s = *v;
            if (fn(ctx, v.get_docid(), s.data(), s.size()))
                throw std::bad_alloc();
        }
    }, false);
}

int nxx_delete(nxx_db *db, uint64_t docid)
{
    return guard(db, "deleting an article",
                 [&] { db->wdb->delete_document(static_cast<Xapian::docid>(docid)); });
}

int nxx_postings(nxx_db *db, const char *term, uint64_t **ids, size_t *n)
{
    *ids = nullptr;
    *n = 0;
    return guard(db, "listing articles", [&] {
        std::vector<uint64_t> v;
        for (auto p = db->db.postlist_begin(term); p != db->db.postlist_end(term); ++p)
            v.push_back(*p);
        if (v.empty())
            return;
        *ids = static_cast<uint64_t *>(std::malloc(v.size() * sizeof(uint64_t)));
        if (!*ids)
            throw std::bad_alloc();
        std::memcpy(*ids, v.data(), v.size() * sizeof(uint64_t));
        *n = v.size();
    });
}

int nxx_doccount(nxx_db *db, uint64_t *n)
{
    return guard(db, "counting articles", [&] { *n = db->db.get_doccount(); });
}

int nxx_terms(nxx_db *db, const char *prefix, void (*fn)(void *, const char *, size_t, uint64_t),
              void *ctx)
{
    return guard(db, "listing terms", [&] {
        size_t plen = std::strlen(prefix);
        for (auto t = db->db.allterms_begin(prefix); t != db->db.allterms_end(prefix); ++t) {
            std::string s = *t;
            fn(ctx, s.data() + plen, s.size() - plen, t.get_termfreq());
        }
    }, false);
}

int nxx_value_bounds(nxx_db *db, unsigned slot, char **lo, char **hi)
{
    *lo = *hi = nullptr;
    return guard(db, "reading value bounds", [&] {
        *lo = dup(db->db.get_value_lower_bound(slot));
        *hi = dup(db->db.get_value_upper_bound(slot));
        if (!*lo || !*hi)
            throw std::bad_alloc();
    });
}

int nxx_metadata_keys(nxx_db *db, const char *prefix,
                      void (*fn)(void *, const char *, size_t, uint64_t), void *ctx)
{
    return guard(db, "listing metadata", [&] {
        /* Collected first: fn may read metadata itself. */
        std::vector<std::string> keys;
        size_t plen = std::strlen(prefix);
        for (auto k = db->db.metadata_keys_begin(prefix); k != db->db.metadata_keys_end(prefix); ++k)
            keys.push_back(*k);
        for (const auto &k : keys)
            fn(ctx, k.data() + plen, k.size() - plen, 0);
    });
}

int nxx_metadata_count(nxx_db *db, const char *prefix, uint64_t *n)
{
    *n = 0;
    return guard(db, "counting metadata", [&] {
        *n = 0;
        for (auto k = db->db.metadata_keys_begin(prefix); k != db->db.metadata_keys_end(prefix); ++k)
            ++*n;
    });
}

int nxx_data_bytes(nxx_db *db, unsigned first, unsigned n, uint64_t *bytes)
{
    *bytes = 0;
    return guard(db, "measuring text", [&] {
        *bytes = 0;
        for (auto p = db->db.postlist_begin(""); p != db->db.postlist_end(""); ++p) {
            std::string d = db->db.get_document(*p).get_data();
            size_t start = 0;
            for (unsigned f = 0; f < first + n && start <= d.size(); f++) {
                size_t end = d.find('\0', start);
                if (end == std::string::npos)
                    end = d.size();
                if (f >= first)
                    *bytes += end - start;
                start = end + 1;
            }
        }
    });
}

nxx_query *nxx_q_term(const char *term, size_t len)
{
    nxx_query *q = new (std::nothrow) nxx_query;
    if (q && guard(nullptr, "", [&] { q->q = Xapian::Query(std::string(term, len)); })) {
        delete q;
        return nullptr;
    }
    return q;
}

nxx_query *nxx_q_expand(nxx_db *db, const char *prefix, size_t len, size_t max)
{
    nxx_query *q = new (std::nothrow) nxx_query;
    if (q && guard(db, "expanding a prefix", [&] {
            /* Expanded here, over all databases at once, rather than with
             * OP_WILDCARD, which each shard would expand and weigh alone. */
            std::string p(prefix, len);
            std::vector<Xapian::Query> terms;
            for (auto t = db->db.allterms_begin(p); t != db->db.allterms_end(p); ++t) {
                if (terms.size() == max)
                    throw Xapian::QueryParserError("the prefix " + p.substr(0) +
                                                   "* matches too many words");
                terms.emplace_back(*t);
            }
            q->q = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
        })) {
        delete q;
        return nullptr;
    }
    return q;
}

nxx_query *nxx_q_all(void)
{
    nxx_query *q = new (std::nothrow) nxx_query;
    if (q)
        /* A query of its own, not a copy of Query::MatchAll: that static's
         * reference count is not atomic, and searches on separate handles
         * in several threads crashed updating it. */
        q->q = Xapian::Query(std::string());
    return q;
}

nxx_query *nxx_q_none(void)
{
    return new (std::nothrow) nxx_query;
}

nxx_query *nxx_q_value_ge(unsigned slot, const char *value)
{
    nxx_query *q = new (std::nothrow) nxx_query;
    if (q && guard(nullptr, "",
                   [&] { q->q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, value); })) {
        delete q;
        return nullptr;
    }
    return q;
}

nxx_query *nxx_q_combine(int op, nxx_query **subs, size_t n, unsigned window)
{
    nxx_query *q = new (std::nothrow) nxx_query;
    int rc = !q;
    if (q) {
        rc = guard(nullptr, "", [&] {
            std::vector<Xapian::Query> v;
            for (size_t i = 0; i < n; i++)
                v.push_back(subs[i]->q);
            Xapian::Query::op xop = Xapian::Query::OP_AND;
            switch (op) {
            case NXX_OR: xop = Xapian::Query::OP_OR; break;
            case NXX_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
            case NXX_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
            case NXX_NEAR: xop = Xapian::Query::OP_NEAR; break;
            case NXX_FILTER: xop = Xapian::Query::OP_FILTER; break;
            case NXX_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
            default: break;
            }
            q->q = Xapian::Query(xop, v.begin(), v.end(), window);
        });
    }
    for (size_t i = 0; i < n; i++)
        delete subs[i];
    if (rc) {
        delete q;
        return nullptr;
    }
    return q;
}

nxx_query *nxx_q_scale(nxx_query *q, double factor)
{
    if (!q)
        return nullptr;
    if (guard(nullptr, "",
              [&] { q->q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor); })) {
        delete q;
        return nullptr;
    }
    return q;
}

void nxx_q_free(nxx_query *q)
{
    delete q;
}

char *nxx_q_describe(const nxx_query *q)
{
    char *s = nullptr;
    guard(nullptr, "", [&] { s = dup(q->q.get_description()); });
    return s;
}

int nxx_search(nxx_db *db, const nxx_query *q, int sort, unsigned slot, uint64_t offset,
               uint64_t limit, int capture, nxx_hits **out)
{
    *out = nullptr;
    return guard(db, "searching", [&] {
        refresh(db);
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        /* The FTS5 engine's BM25 constants (ranking.h), so both engines
         * rank alike. */
        enq.set_weighting_scheme(Xapian::BM25Weight(NX_BM25_K1, 0, 1, NX_BM25_B, 0.5));
        if (sort == NXX_SORT_RELEVANCE)
            enq.set_sort_by_relevance_then_value(slot, false);
        else
            enq.set_sort_by_value_then_relevance(slot, sort == NXX_SORT_VALUE_DESC);
        /* get_mset takes a doccount: clamp "all" to what the database has. */
        Xapian::doccount total = db->db.get_doccount();
        Xapian::doccount first = offset > total ? total : static_cast<Xapian::doccount>(offset);
        Xapian::doccount max = limit > total ? total : static_cast<Xapian::doccount>(limit);
        Xapian::MSet m = enq.get_mset(first, max);
        std::unique_ptr<nxx_hits> h(new nxx_hits);
        for (auto it = m.begin(); it != m.end(); ++it) {
            Xapian::Document d = it.get_document();
            h->data.push_back(d.get_data());
            h->score.push_back(it.get_weight());
            h->value.push_back(capture >= 0 ? d.get_value(static_cast<unsigned>(capture))
                                            : std::string());
        }
        *out = h.release();
    });
}

int nxx_value_counts(nxx_db *db, const nxx_query *q, unsigned slot,
                     void (*fn)(void *, const char *, size_t, uint64_t), void *ctx)
{
    return guard(db, "counting values", [&] {
        refresh(db);
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        /* Not BoolWeight: in Xapian 1.4.22 a BoolWeight match that must check
         * every document fails ("Unexpected end of posting list") once the
         * first documents of a posting list were deleted. */
        Xapian::ValueCountMatchSpy spy(slot);
        enq.add_matchspy(&spy);
        Xapian::doccount total = db->db.get_doccount();
        enq.get_mset(0, 0, total);
        for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
            std::string s = *v;
            fn(ctx, s.data(), s.size(), v.get_termfreq());
        }
    });
}

int nxx_value_tuples(nxx_db *db, const nxx_query *q, const unsigned *slots, size_t nslots,
                     void (*fn)(void *, const char *, size_t, uint64_t), void *ctx)
{
    return guard(db, "counting values", [&] {
        refresh(db);
        /* Read from the matching documents themselves: a MatchSpy of our
         * own would not run on a remote (xapian-tcpsrv) database. */
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        /* Default weighting, not BoolWeight: see nxx_value_counts. */
        std::map<std::string, uint64_t> counts;
        const Xapian::doccount page = 10000;
        for (Xapian::doccount first = 0;; first += page) {
            Xapian::MSet m = enq.get_mset(first, page);
            for (auto it = m.begin(); it != m.end(); ++it) {
                Xapian::Document d = it.get_document();
                std::string key;
                for (size_t i = 0; i < nslots; i++) {
                    if (i)
                        key += '\t';
                    key += d.get_value(slots[i]);
                }
                counts[key]++;
            }
            if (m.size() < page)
                break;
        }
        for (const auto &kv : counts)
            fn(ctx, kv.first.data(), kv.first.size(), kv.second);
    });
}

int nxx_count(nxx_db *db, const nxx_query *q, uint64_t *n)
{
    *n = 0;
    return guard(db, "counting", [&] {
        refresh(db);
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        /* Not BoolWeight: in Xapian 1.4.22 a BoolWeight match that must check
         * every document fails ("Unexpected end of posting list") once the
         * first documents of a posting list were deleted. */
        Xapian::doccount total = db->db.get_doccount();
        Xapian::MSet m = enq.get_mset(0, 0, total);
        *n = m.get_matches_estimated();
    });
}

size_t nxx_hits_size(const nxx_hits *h)
{
    return h ? h->data.size() : 0;
}

const char *nxx_hits_value(const nxx_hits *h, size_t i, size_t *len)
{
    *len = h->value[i].size();
    return h->value[i].data();
}

const char *nxx_hits_data(const nxx_hits *h, size_t i, size_t *len)
{
    *len = h->data[i].size();
    return h->data[i].data();
}

double nxx_hits_score(const nxx_hits *h, size_t i)
{
    return h->score[i];
}

void nxx_hits_free(nxx_hits *h)
{
    delete h;
}

/* Everything above is reached through this table; only it is exported
 * (the module is built with hidden visibility). */
#define NXX_API_ENTRY(f) nxx_##f,
static const nxx_api api = {NXX_API_VERSION, NXX_API_FUNCTIONS(NXX_API_ENTRY)};

__attribute__((visibility("default"))) const nxx_api *nxx_api_get(void)
{
    return &api;
}

} // extern "C"
