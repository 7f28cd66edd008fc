#!/usr/bin/env python3
"""evaluate.py - ranking quality of a run against relevance judgments:
MAP, P@k, nDCG@k and MRR@k (k = 10 by default), computed the way trec_eval
does.

  evaluate.py QRELS RUN [-k 10] [--per-query] [--json]

QRELS: TREC format, "qid iter docid grade" per line (grade > 0 is relevant;
higher is more relevant). RUN: TREC format, "qid Q0 docid rank score tag";
documents are ordered by score (descending), ties by rank.

Definitions (for one query; `rel` is the judged grades, R the number of
relevant documents):
  AP      sum of precision at each rank holding a relevant document, over R
          (relevant documents never retrieved add 0)
  P@k     relevant documents in the first k, over k (not over the number
          retrieved)
  nDCG@k  DCG@k / ideal DCG@k, DCG = sum over ranks i of grade / log2(i + 1)
          (linear gain, as trec_eval's ndcg_cut); the ideal ranking sorts
          all judged grades descending
  RR@k    1 / rank of the first relevant document if it is within k, else 0
Means are over the queries of QRELS that have at least one relevant
document; a query missing from the run (or with no results) scores 0.
A document listed twice in a run counts at its first rank only.
"""
import argparse
import json
import math
import sys


def read_qrels(path):
    """{qid: {docid: grade}} from TREC qrels lines."""
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise ValueError(f"{path}:{n}: expected 'qid iter docid grade'")
            qid, _, doc, grade = parts
            qrels.setdefault(qid, {})[doc] = int(grade)
    return qrels


def read_run(path):
    """{qid: [docid, ...]} best first, from TREC run lines."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 5:
                raise ValueError(f"{path}:{n}: expected 'qid Q0 docid rank score [tag]'")
            qid, _, doc, rank, score = parts[:5]
            rows.setdefault(qid, []).append((-float(score), int(rank), doc))
    return {q: [d for _, _, d in sorted(v)] for q, v in rows.items()}


def write_run(path, run, tag="run"):
    """Writes {qid: [docid, ...]} as a TREC run (score = -rank)."""
    with open(path, "w", encoding="utf-8") as f:
        for qid, docs in run.items():
            for i, d in enumerate(docs, 1):
                f.write(f"{qid} Q0 {d} {i} {-i} {tag}\n")


def _dedup(ranked):
    seen, out = set(), []
    for d in ranked:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def average_precision(ranked, rel):
    R = sum(1 for g in rel.values() if g > 0)
    if R == 0:
        return 0.0
    hits, total = 0, 0.0
    for i, d in enumerate(_dedup(ranked), 1):
        if rel.get(d, 0) > 0:
            hits += 1
            total += hits / i
    return total / R


def precision_at(ranked, rel, k):
    return sum(1 for d in _dedup(ranked)[:k] if rel.get(d, 0) > 0) / k


def ndcg_at(ranked, rel, k):
    dcg = sum(rel.get(d, 0) / math.log2(i + 1) for i, d in enumerate(_dedup(ranked)[:k], 1)
              if rel.get(d, 0) > 0)
    ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return dcg / idcg if idcg > 0 else 0.0


def reciprocal_rank_at(ranked, rel, k):
    for i, d in enumerate(_dedup(ranked)[:k], 1):
        if rel.get(d, 0) > 0:
            return 1.0 / i
    return 0.0


def evaluate(run, qrels, k=10):
    """Per-query scores and their means over the judged queries."""
    per = {}
    for qid, rel in qrels.items():
        if not any(g > 0 for g in rel.values()):
            continue
        ranked = run.get(qid, [])
        per[qid] = {"map": average_precision(ranked, rel),
                    f"p@{k}": precision_at(ranked, rel, k),
                    f"ndcg@{k}": ndcg_at(ranked, rel, k),
                    f"mrr@{k}": reciprocal_rank_at(ranked, rel, k),
                    "retrieved": len(ranked)}
    keys = ["map", f"p@{k}", f"ndcg@{k}", f"mrr@{k}"]
    n = len(per)
    means = {key: (sum(s[key] for s in per.values()) / n if n else 0.0) for key in keys}
    means["queries"] = n
    means["no_results"] = sum(1 for s in per.values() if s["retrieved"] == 0)
    return {"means": means, "per_query": per}


def main(argv=None):
    ap = argparse.ArgumentParser(description="MAP, P@k, nDCG@k, MRR@k of a TREC run")
    ap.add_argument("qrels")
    ap.add_argument("run")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--per-query", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = evaluate(read_run(a.run), read_qrels(a.qrels), a.k)
    if a.json:
        json.dump(res if a.per_query else res["means"], sys.stdout, indent=1)
        print()
        return 0
    if a.per_query:
        for qid, s in sorted(res["per_query"].items()):
            print(qid, " ".join(f"{key}={v:.4f}" for key, v in s.items() if key != "retrieved"))
    m = res["means"]
    print(" ".join(f"{key}={v:.4f}" if isinstance(v, float) else f"{key}={v}"
                   for key, v in m.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
