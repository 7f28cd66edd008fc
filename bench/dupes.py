#!/usr/bin/env python3
"""dupes.py - builds the near-duplicate ("wire copy") test set that
bench/dupeval.c measures src/analyze/minhash.c and src/lib/dupindex.c on.

From the Reuters-21578 dump in the shared data folder it picks --originals
stories of at least --min-words body words and makes 1 to 4 edited copies of
each, the way another outlet would run the same wire story: paragraphs or
sentences cut (from the end, as sub-editors trim, or anywhere; at most 40%
of the words), a rewritten headline, often a byline and a dateline, another
outlet name, sometimes a trailer line shared by all of that outlet's copies,
and a few word edits (Reuters abbreviations spelled out, words dropped,
inserted or swapped). Every other Reuters story stays in as a distractor.

Ground truth: a copy belongs with its original. Reuters itself holds true
duplicates too, put in one group as well: stories whose bodies are equal
once whitespace is collapsed (the same story sent twice), and stories sent
again with a paragraph added or cut or a headline fixed. The latter are
found without the algorithm under test: pairs sharing a headline or their
first 8 body words, whose bodies match word for word (difflib) on at least
80% of the shorter one, sent within 24 hours of each other, with headlines
sharing at least half of the shorter one's words. The time and headline
conditions keep out reports written on one template (the Fed's daily
market operations, dividend notices of two companies), which also match
word for word but are different news.

Writes, into --out (default bench/work/dupes):
  dupes.jsonl  one article a line: id, title, body, source, date; in a
               seeded random order (the order an archive may be read in)
  truth.tsv    line for line the same articles: id, TAB, group number
Python 3 standard library only; deterministic for a given --seed. The
Reuters text is never copied into the repository: bench/work is ignored."""
import argparse
import collections
import datetime
import difflib
import json
import os
import random
import re
import sys

import common

OUTLETS = [
    "Associated Press", "Agence France-Presse", "The Daily Ledger", "Financial Courier",
    "Evening Standard Wire", "Metro Business Journal", "Pacific Times", "Northern Herald",
]
FIRST = ["Jane", "John", "Maria", "David", "Susan", "Ahmed", "Li", "Peter", "Anna", "Carlos"]
LAST = ["Roe", "Doe", "Smith", "Garcia", "Chen", "Okafor", "Novak", "Brown", "Rossi", "Kim"]
ROLES = ["Staff Writer", "Business Reporter", "Correspondent", "Markets Editor"]
# Trailers are shared by all copies from one outlet: wording common to
# unrelated articles, which must not make them duplicates.
TRAILERS = [
    "(Reporting by {name}; Editing by {name2})",
    "Copyright 1987 {outlet}. All rights reserved.",
    "{outlet} contributed to this report.",
]
# Reuters house abbreviations another outlet would spell out, and back.
SUBST = {
    "said": "says", "pct": "percent", "mln": "million", "dlrs": "dollars", "billion": "bln",
    "company": "firm", "shares": "stock", "told": "informed", "added": "noted",
    "expected": "forecast", "year": "yr", "would": "will", "U.S.": "US", "about": "around",
}
INSERT = ["also", "now", "however", "still", "reportedly", "officially"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

_PARA = re.compile(r"\n[ \t]+|\n\s*\n")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


def paragraphs(body):
    """Paragraphs of a Reuters body (each starts with an indented line), each
    a list of sentences with the hard line breaks unwrapped."""
    out = []
    for p in _PARA.split(body):
        p = " ".join(p.split())
        if p:
            out.append([s for s in _SENT.split(p) if s])
    return out


def cut(rng, paras):
    """Removes sentences or whole paragraphs, up to 40% of the words."""
    units = [(i, j, len(s.split())) for i, p in enumerate(paras) for j, s in enumerate(p)]
    total = sum(n for _, _, n in units)
    target = total * rng.uniform(0.05, 0.40)
    gone = set()
    removed = 0
    if rng.random() < 0.5:
        order = list(reversed(units))          # trimmed from the end
    else:
        order = units[:]
        rng.shuffle(order)                     # sentences and paragraphs anywhere
        if rng.random() < 0.5:                 # whole paragraphs
            by_para = collections.defaultdict(list)
            for u in units:
                by_para[u[0]].append(u)
            keys = list(by_para)
            rng.shuffle(keys)
            order = [u for k in keys for u in by_para[k]]
    for i, j, n in order:
        if removed >= target:
            break
        if removed + n > 0.40 * total or len(gone) + 1 >= len(units):
            continue
        gone.add((i, j))
        removed += n
    return [[s for j, s in enumerate(p) if (i, j) not in gone] for i, p in enumerate(paras)]


def edit_words(rng, paras, rate):
    """A few word edits: substitutions, deletions, insertions, swaps."""
    out = []
    for p in paras:
        np_ = []
        for s in p:
            w = s.split()
            k = 0
            res = []
            while k < len(w):
                x = w[k]
                if rng.random() >= rate:
                    res.append(x)
                    k += 1
                    continue
                op = rng.random()
                core = x.rstrip(".,;:")
                tail = x[len(core):]
                if op < 0.4 and core in SUBST:
                    res.append(SUBST[core] + tail)
                elif op < 0.6:
                    pass                                   # dropped
                elif op < 0.8:
                    res.extend([rng.choice(INSERT), x])
                elif k + 1 < len(w):
                    res.extend([w[k + 1], x])
                    k += 1
                else:
                    res.append(x)
                k += 1
            if res:
                np_.append(" ".join(res))
        out.append(np_)
    return out


def headline(rng, title, paras):
    """Another headline for the same story."""
    r = rng.random()
    if r < 0.3:
        first = paras[0][0].split() if paras and paras[0] else title.split()
        return " ".join(first[: rng.randint(6, 11)]).rstrip(",;:")
    if r < 0.55:
        return title.title()
    if r < 0.8:
        return rng.choice(["UPDATE 1-", "WRAPUP-", "ANALYSIS-", "CORRECTED-"]) + title
    w = title.split()
    if len(w) > 3:
        k = rng.randrange(1, len(w) - 1)
        w = w[k:] + ["-"] + w[:k]
    return " ".join(w).title()


def make_copy(rng, row, n):
    paras = cut(rng, paragraphs(row["body"]))
    paras = edit_words(rng, paras, rng.uniform(0.0, 0.04))
    paras = [p for p in paras if p]
    outlet = rng.choice(OUTLETS)
    lines = [" ".join(p) for p in paras]
    if lines and rng.random() < 0.7:
        place = (row.get("places") or ["new york"])[0].upper()
        d = row["date"][:10].split("-")
        lines[0] = f"{place}, {MONTHS[int(d[1]) - 1]} {int(d[2])} ({outlet}) - " + lines[0]
    if rng.random() < 0.6:
        lines.insert(0, f"By {rng.choice(FIRST)} {rng.choice(LAST)}, {rng.choice(ROLES)}")
    if rng.random() < 0.3:
        t = TRAILERS[OUTLETS.index(outlet) % len(TRAILERS)]
        lines.append(t.format(name=f"{FIRST[len(outlet) % 10]} {LAST[len(outlet) % 7]}",
                              name2=f"{FIRST[len(outlet) % 3]} {LAST[len(outlet) % 5]}",
                              outlet=outlet))
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    date = datetime.datetime.fromisoformat(row["date"][:19]) + datetime.timedelta(
        minutes=rng.randint(1, 48 * 60))
    return {
        "id": f"{row['id']}-c{n}",
        "title": headline(rng, row["title"], paras),
        "body": sep.join(lines),
        "source": outlet,
        "date": date.strftime("%Y-%m-%dT%H:%M:%S"),
    }


_WORD = re.compile(r"[^\W_]+")


def near_duplicates(rows):
    """Pairs of Reuters stories sent again with small changes (see above)."""
    words = {r["id"]: _WORD.findall(r["body"].lower()) for r in rows}
    tw = {r["id"]: _WORD.findall(r["title"].lower()) for r in rows}
    when = {r["id"]: datetime.datetime.fromisoformat(r["date"][:19]) for r in rows}
    blocks = collections.defaultdict(list)
    for r in rows:
        w = words[r["id"]]
        if len(w) >= 8:
            blocks[("lead",) + tuple(w[:8])].append(r["id"])
        blocks[("title",) + tuple(tw[r["id"]])].append(r["id"])
    pairs = set()
    for ids in blocks.values():
        if 1 < len(ids) <= 100:      # bigger blocks are stock headlines
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    out = []
    for a, b in sorted(pairs):
        if abs((when[a] - when[b]).total_seconds()) > 24 * 3600:
            continue
        ta, tb = set(tw[a]), set(tw[b])
        if not ta or not tb or len(ta & tb) < 0.5 * min(len(ta), len(tb)):
            continue
        s, l = sorted((words[a], words[b]), key=len)
        if not s:
            continue
        m = difflib.SequenceMatcher(None, s, l, autojunk=False)
        if sum(x.size for x in m.get_matching_blocks()) >= 0.8 * len(s):
            out.append((a, b))
    return out


def main():
    ap = argparse.ArgumentParser(description="near-duplicate test set (make dupes)")
    ap.add_argument("--data", help="shared data folder (default ../shared/data)")
    ap.add_argument("--out", default=os.path.join(common.BENCH_DIR, "work", "dupes"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--originals", type=int, default=1000)
    ap.add_argument("--min-words", type=int, default=80)
    a = ap.parse_args()

    data = common.find_data(a.data)
    src = os.path.join(data, "reuters21578", "reuters.jsonl") if data else None
    if not src or not os.path.isfile(src):
        print(f"dupes: skipped: {src or 'the shared data folder'} not found "
              "(set BENCH_DATA=PATH or --data PATH)")
        return 0

    rows = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if (r.get("body") or "").strip():
                rows.append(r)
    rng = random.Random(a.seed)
    eligible = [r for r in rows if len(r["body"].split()) >= a.min_words]
    originals = rng.sample(eligible, min(a.originals, len(eligible)))

    arts = [{"id": r["id"], "title": r.get("title") or "", "body": r["body"],
             "source": "Reuters", "date": r["date"][:19]} for r in rows]
    parent = {r["id"]: r["id"] for r in rows}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Reuters' own duplicates.
    first = {}
    for r in rows:
        key = " ".join(r["body"].split())
        if key in first:
            parent[find(r["id"])] = find(first[key])
        else:
            first[key] = r["id"]
    nexact = sum(1 for r in rows if find(r["id"]) != r["id"])
    nnear = 0
    for x, y in near_duplicates(rows):
        if find(x) != find(y):
            parent[find(x)] = find(y)
            nnear += 1
    ncopies = 0
    for r in originals:
        for n in range(1, rng.randint(1, 4) + 1):
            c = make_copy(rng, r, n)
            arts.append(c)
            parent[c["id"]] = find(r["id"])
            ncopies += 1

    rng.shuffle(arts)
    groups = {}
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "dupes.jsonl"), "w", encoding="utf-8") as fa, \
            open(os.path.join(a.out, "truth.tsv"), "w", encoding="utf-8") as ft:
        for art in arts:
            fa.write(json.dumps(art, ensure_ascii=False) + "\n")
            g = groups.setdefault(find(art["id"]), len(groups))
            ft.write(f"{art['id']}\t{g}\n")
    sizes = collections.Counter(collections.Counter(
        groups[find(x["id"])] for x in arts).values())
    pairs = sum(n * (n - 1) // 2 * k for n, k in sizes.items())
    print(f"dupes: {len(arts)} articles ({len(rows)} Reuters, {len(originals)} copied "
          f"{ncopies} times; Reuters duplicates: {nexact} exact, {nnear} more near), "
          f"{sum(k for n, k in sizes.items() if n > 1)} groups of 2+, "
          f"{pairs} true pairs -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
