#!/usr/bin/env python3
"""run_eval.py - ranking quality of newsidx and the indexed peers (make eval).

Two tasks, both scored by bench/evaluate.py (MAP, P@10, nDCG@10, MRR@10):

  time      the TIME magazine collection (423 articles, 1963): the
            odd-numbered half of its natural-language queries and their
            judgments (qrels.txt, with the id correction of its SOURCE.md).
            The top 1000 of each query are judged.
  reuters   a known-item task on Reuters-21578: a copy of reuters.jsonl
            without titles is indexed; for a fixed random sample of stories
            (seeded), the story's title is the query and the story itself
            the one relevant answer. The top 100 are judged.

Queries are long and natural, so they are run as ranked OR (any word may
match, more matching words rank higher): `newsidx search --any` when newsidx
has it, otherwise the words joined with ' OR '; FTS5 MATCH "a" OR "b" ...
with ORDER BY rank; quest with its default operator (OR). Every peer gets
the same lower-case words, punctuation removed (dotted acronyms and numbers
such as 3.2 kept whole).

Writes bench/results/DATE-eval.{md,json}, prints the Markdown.
"""
import argparse
import concurrent.futures
import json
import os
import random
import sys
import time

import common
import evaluate as ev
import peers as peermod


def time_task(data, work):
    d = os.path.join(data, "time")
    queries = {}
    with open(os.path.join(d, "queries.tsv"), encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            if qid:
                queries[qid] = common.words(text)
    return {"name": "time", "title": "TIME collection (423 articles, 42 queries)",
            "docs": os.path.join(d, "docs.jsonl"), "queries": queries,
            "qrels": ev.read_qrels(os.path.join(d, "qrels.txt")), "k": 1000}


def reuters_task(data, work, sample, seed):
    src = os.path.join(data, "reuters21578", "reuters.jsonl")
    out_dir = os.path.join(work, "eval")
    os.makedirs(out_dir, exist_ok=True)
    bodies = os.path.join(out_dir, "reuters-bodies.jsonl")
    titles = {}
    tmp = bodies + ".part"
    with open(src, encoding="utf-8") as f, open(tmp, "w", encoding="utf-8") as out:
        for line in f:
            d = json.loads(line)
            titles[d["id"]] = d.get("title") or ""
            out.write(json.dumps({"id": d["id"], "date": d.get("date"), "body": d.get("body")},
                                 ensure_ascii=False) + "\n")
    if not (os.path.exists(bodies) and open(bodies, "rb").read() == open(tmp, "rb").read()):
        os.replace(tmp, bodies)     # rewritten only when it changed (keeps its mtime)
    else:
        os.remove(tmp)
    ids = sorted((i for i, t in titles.items() if common.words(t)), key=int)
    pick = random.Random(seed).sample(ids, min(sample, len(ids)))
    queries = {i: common.words(titles[i]) for i in pick}
    qrels = {i: {i: 1} for i in pick}
    return {"name": "reuters-known-item",
            "title": f"Reuters-21578 known item ({len(ids):,} bodies without titles, "
                     f"{len(pick):,} title queries, seed {seed})",
            "docs": bodies, "queries": queries, "qrels": qrels, "k": 100}


def retrieve(peer, idx, queries, k, jobs):
    run, errors = {}, {}

    def one(item):
        qid, ws = item
        p, ids = peer.rank(idx, ws, k)
        return qid, p, ids

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for qid, p, ids in pool.map(one, queries.items()):
            if p.returncode not in (0, 1):
                errors[qid] = p.stderr.decode("utf-8", "replace").strip()[:300]
                ids = []
            run[qid] = ids
    return run, errors


def render(result):
    L = [f"# newsidx ranking evaluation, {result['meta']['date']}\n",
         common.provenance_line(result["meta"]) + "\n"]
    L.append("Scores by bench/evaluate.py; in parentheses, times worse than the best peer "
             "(1.00× = best). 'better / worse' counts the queries where that peer's "
             "average precision is higher / lower than newsidx's.\n")
    if result["meta"]["skipped"]:
        L.append("Peers skipped: " + "; ".join(f"{k}: {v}" for k, v in
                                                result["meta"]["skipped"].items()) + ".\n")
    for t in result["tasks"]:
        L.append(f"\n## {t['title']}\n")
        rows = t["rows"]
        for key in ("map", "p@10", "ndcg@10", "mrr@10"):
            common.with_ratios(rows, key, higher_better=True)
        table = []
        for r in rows:
            vs = r.get("vs_newsidx")
            table.append([r["label"], common.cell(r, "map", 4), common.cell(r, "p@10", 4),
                          common.cell(r, "ndcg@10", 4), common.cell(r, "mrr@10", 4),
                          f"{r['no_results']}" + (f", {r['errors']} errors" if r["errors"] else ""),
                          f"{vs['better']} / {vs['worse']}" if vs else "",
                          f"{r['seconds']:.0f}"])
        L.append(common.md_table(["peer", "MAP", "P@10", "nDCG@10", "MRR@10",
                                  "queries without results", "better / worse than newsidx",
                                  "run s"], table))
    L.append("\n### Notes\n")
    for n in result["meta"]["notes"]:
        L.append(f"- {n}")
    return "\n".join(L) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description="ranking quality (make eval)")
    ap.add_argument("--data")
    ap.add_argument("--work", default=os.path.join(common.BENCH_DIR, "work"))
    ap.add_argument("--build", default=os.path.join(common.REPO, "build"))
    ap.add_argument("--peers")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=1000, help="known-item queries")
    ap.add_argument("--tasks", default="time reuters")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args(argv)
    data = common.find_data(a.data)
    if not data:
        return common.skip("eval", a.data)
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    ctx = {"build": os.path.abspath(a.build), "work": work, "data": data,
           "bin": common.snapshot_binaries(os.path.abspath(a.build), work)}
    wanted = set(a.peers.split()) if a.peers else None
    peers, skipped = peermod.make(ctx, wanted)
    peers = [p for p in peers if p.has_index]   # ripgrep does not rank
    skipped.setdefault("ripgrep", "no ranking; not part of make eval")
    for name, why in skipped.items():
        common.log(f"eval: skipping {name}: {why}")
    notes = ["Queries are plain lower-case words (punctuation removed; dotted acronyms and "
             "numbers such as 3.2 kept whole), run as ranked OR."]
    nx = next((p for p in peers if isinstance(p, peermod.Newsidx)), None)
    if nx is not None:
        if nx.has_any():
            notes.append("newsidx: `newsidx search --any --no-collapse` (ranked OR, every "
                         "article ranked on its own as the peers do).")
        else:
            notes.append("newsidx has no --any (ranked-OR) option yet: the words were joined "
                         "with ' OR ' (`newsidx search -f ids -n K 'w1 OR w2 OR ...'`).")
    for p in peers:
        if isinstance(p, peermod.SqliteFts5):
            notes.append("SQLite FTS5 by hand: MATCH '\"w1\" OR \"w2\" ...' ORDER BY rank "
                         "(bm25 with equal title and body weights), porter stemmer.")
        if isinstance(p, peermod.XapianTools):
            notes.append("Xapian: quest's default operator is OR; quest also drops English "
                         "stop words and uses Xapian's BM25 (k1=1, b=0.5); scriptindex weights "
                         "title words 3 (bench/xapian-news.script).")
    tasks = []
    for name in a.tasks.split():
        if name == "time":
            tasks.append(time_task(data, work))
        elif name == "reuters":
            tasks.append(reuters_task(data, work, a.sample, a.seed))
        else:
            raise SystemExit(f"eval: unknown task {name!r} (time, reuters)")
    result = {"meta": {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "seed": a.seed,
                       "build": os.path.abspath(a.build),
                       "machine": common.machine_info(), "skipped": skipped, "notes": notes,
                       "versions": {k: v for p in peers for k, v in p.versions().items()}},
              "tasks": []}
    rundir = os.path.join(work, "eval", "runs")
    os.makedirs(rundir, exist_ok=True)
    for t in tasks:
        rows, per_query = [], {}
        for p in peers:
            idx = os.path.join(work, "eval", "idx", f"{t['name']}.{p.name}")
            os.makedirs(os.path.dirname(idx), exist_ok=True)
            common.remove(idx)
            common.log(f"eval: [{t['name']}] indexing with {p.name} ...")
            r = common.run_measured(p.index_argv(t["docs"], idx), work, ok_codes=(0, 1))
            if "error" in r:
                common.log(f"eval: {p.name} indexing failed: {r['error']}")
                continue
            common.log(f"eval: [{t['name']}] {len(t['queries'])} queries with {p.name} ...")
            t0 = time.perf_counter()
            run, errors = retrieve(p, idx, t["queries"], t["k"], a.jobs)
            secs = time.perf_counter() - t0
            for qid, e in list(errors.items())[:3]:
                common.log(f"eval:   {p.name} query {qid} failed: {e}")
            ev.write_run(os.path.join(rundir, f"{t['name']}.{p.name}.run"), run, p.name)
            res = ev.evaluate(run, t["qrels"], 10)
            per_query[p.name] = res["per_query"]
            rows.append({"peer": p.name, "label": p.label, **res["means"],
                         "errors": len(errors), "seconds": secs, "index_wall_s": r["wall_s"]})
        if "newsidx" in per_query:
            base = per_query["newsidx"]
            for row in rows:
                if row["peer"] == "newsidx":
                    continue
                other = per_query[row["peer"]]
                better = sum(1 for q in base if other[q]["map"] > base[q]["map"] + 1e-12)
                worse = sum(1 for q in base if other[q]["map"] < base[q]["map"] - 1e-12)
                row["vs_newsidx"] = {"better": better, "worse": worse,
                                     "equal": len(base) - better - worse}
        result["tasks"].append({"name": t["name"], "title": t["title"], "k": t["k"],
                                "queries": len(t["queries"]), "rows": rows,
                                "per_query": per_query})
    md = render(result)
    mdp, jsp = common.write_results("eval", md, result)
    print(md)
    print(f"eval: wrote {os.path.relpath(mdp, common.REPO)} and "
          f"{os.path.relpath(jsp, common.REPO)}; runs in {os.path.relpath(rundir, common.REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
