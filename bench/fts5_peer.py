#!/usr/bin/env python3
"""fts5_peer.py - plain SQLite FTS5 set up by hand, the way a user would with
Python's sqlite3 module: one FTS5 table holding the text, the porter stemmer
over unicode61, default ranking (bm25 via ORDER BY rank), snippet().

  fts5_peer.py index DB FILE.jsonl      build the index (one transaction)
  fts5_peer.py qbench DB QUERYFILE [-n 10] [-s] [-w N]
        in-process latencies: one MATCH expression per line; prints wall
        and CPU microseconds, hits and "ok" per query, tab-separated
        (-s: with snippet())
"""
import argparse
import json
import os
import sqlite3
import sys
import time

SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, date UNINDEXED, "
          "tokenize='porter unicode61')")
SQL_SNIPPET = ("SELECT id, title, snippet(docs, 2, '[[', ']]', ' … ', 30) FROM docs "
               "WHERE docs MATCH ? ORDER BY rank LIMIT ?")
SQL_PLAIN = "SELECT id, title, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield (str(d.get("id", "")), d.get("title") or "", d.get("body") or "",
                       d.get("date"))


def index(db, src):
    for p in (db, db + "-journal", db + "-wal"):
        if os.path.exists(p):
            os.remove(p)
    con = sqlite3.connect(db)
    con.execute(SCHEMA)
    with con:
        con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", records(src))
    con.close()


def qbench(db, qfile, k, snippets, warmup):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sql = SQL_SNIPPET if snippets else SQL_PLAIN
    with open(qfile, encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f]
    for q in queries[:warmup]:
        con.execute(sql, (q, k)).fetchall()
    out = []
    for q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        rows = con.execute(sql, (q, k)).fetchall()
        c1, t1 = time.process_time(), time.perf_counter()
        out.append(f"{(t1 - t0) * 1e6:.1f}\t{(c1 - c0) * 1e6:.1f}\t{len(rows)}\tok")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("index")
    a.add_argument("db")
    a.add_argument("src")
    b = sub.add_parser("qbench")
    b.add_argument("db")
    b.add_argument("queries")
    b.add_argument("-n", type=int, default=10)
    b.add_argument("-s", action="store_true")
    b.add_argument("-w", type=int, default=0)
    args = ap.parse_args()
    if args.cmd == "index":
        index(args.db, args.src)
    else:
        qbench(args.db, args.queries, args.n, args.s, args.w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
