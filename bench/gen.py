#!/usr/bin/env python3
"""gen.py - build a large, deterministic archive of news-like JSON Lines by
recombining real sentences, headlines, names and dates from a seed
collection (Reuters-21578's reuters.jsonl by default).

Why recombine rather than invent: the point of the archive is to measure a
search engine at sizes the real collections do not reach, and what makes
that meaningful is natural term statistics - Zipfian word frequencies, real
co-occurrence inside a story, real names and numbers, real sentence and
story lengths. Every sentence written is a real sentence from the seed; only
which sentences share a story, and some of the names in them, are new.

How one story is made (all choices from one seeded random.Random):
  - a seed story is drawn; its topic (first Reuters topic, else first place)
    picks the pool the new story's sentences come from, so a story stays on
    one subject and word co-occurrence stays plausible;
  - the story has as many sentences as the seed story had (so the length
    distribution is the real one); the first is drawn from the pool's lead
    sentences, the rest from all of its sentences, grouped into paragraphs
    of one to three sentences;
  - in about a quarter of the sentences, one multi-word proper name (e.g.
    "James Baker", "Standard Oil Co") is replaced by another name from the
    whole collection;
  - the headline is a real headline from the same pool; the date is the seed
    story's month, day and time in a year drawn from 1987-2016.

Usage:
  gen.py --size 100M [--seed 1] [--from reuters.jsonl] -o out.jsonl
Sizes are in bytes of JSON Lines written (K, M, G are powers of 1000). A
sidecar OUT.stats.json records articles, text bytes (title + body, UTF-8)
and file bytes. Same seed, same seed collection and same size give the same
bytes.
"""
import argparse
import json
import os
import random
import re
import sys

SENT_SPLIT = re.compile(r'(?<=[.!?])["\']?\s+(?=["\'(]?[A-Z0-9])')
# Two or three capitalised words, not at the start of a sentence.
NAME = re.compile(r"(?<=[a-z,] )((?:[A-Z][a-z]+\.? ){1,2}[A-Z][a-z]+)\b")
ABBREV_END = re.compile(r"\b(?:[A-Z]|Inc|Co|Corp|Ltd|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
                        r"Sept?|Oct|Nov|Dec|U\.S|U\.K|Gen|Sen|Rep|Gov|No|vs|Plc|Bhd|Cos|Mln|Dlrs)\.$")


def parse_size(text):
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 100M, 1G)")
    mult = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}[m.group(2).upper()]
    return int(float(m.group(1)) * mult)


def sentences_of(body):
    """Paragraphs (Reuters marks them with a 4-space indent) split into sentences."""
    paras = re.split(r"\n\s{2,}|\n\s*\n", body)
    out = []
    for p in paras:
        p = " ".join(p.split())
        if not p:
            continue
        parts = SENT_SPLIT.split(p)
        # Re-join splits made after an abbreviation ("U.S. Officials", "Co. Said").
        merged = []
        for s in parts:
            if merged and ABBREV_END.search(merged[-1]):
                merged[-1] += " " + s
            else:
                merged.append(s)
        out.extend(s for s in merged if len(s) > 1)
    return out


class Seed:
    def __init__(self, path):
        self.stories = []          # (topic key, sentence count, date tail)
        self.pools = {}            # topic key -> {"leads": [], "all": [], "titles": []}
        self.sentences = []        # (text, name spans)
        self.names = []
        seen_names = set()
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                body = d.get("body") or d.get("text") or ""
                sents = sentences_of(body)
                if not sents:
                    continue
                topics = d.get("topics") or []
                places = d.get("places") or []
                key = topics[0] if topics else (("place:" + places[0]) if places else "none")
                pool = self.pools.setdefault(key, {"leads": [], "all": [], "titles": []})
                for i, s in enumerate(sents):
                    spans = [m.span(1) for m in NAME.finditer(s)]
                    for a, b in spans:
                        nm = s[a:b]
                        if nm not in seen_names:
                            seen_names.add(nm)
                            self.names.append(nm)
                    idx = len(self.sentences)
                    self.sentences.append((s, spans))
                    pool["all"].append(idx)
                    if i == 0:
                        pool["leads"].append(idx)
                title = d.get("title") or d.get("headline") or ""
                if title:
                    pool["titles"].append(title)
                date = d.get("date") or ""
                m = re.match(r"\d{4}-(\d\d-\d\dT\d\d:\d\d:\d\d)", date)
                tail = m.group(1) if m else "01-01T12:00:00"
                self.stories.append((key, len(sents), tail))
        if not self.stories:
            raise SystemExit(f"gen.py: no usable stories in {path}")


def generate(seed_coll, size, seed, out):
    rng = random.Random(seed)
    stories, pools, sentences, names = (seed_coll.stories, seed_coll.pools,
                                        seed_coll.sentences, seed_coll.names)
    written = articles = text_bytes = 0
    n = 0
    while written < size:
        key, nsent, tail = stories[rng.randrange(len(stories))]
        pool = pools[key]
        picks = [pool["leads"][rng.randrange(len(pool["leads"]))]]
        allp = pool["all"]
        for _ in range(nsent - 1):
            picks.append(allp[rng.randrange(len(allp))])
        sents = []
        for idx in picks:
            s, spans = sentences[idx]
            if spans and rng.random() < 0.25:
                a, b = spans[rng.randrange(len(spans))]
                s = s[:a] + names[rng.randrange(len(names))] + s[b:]
            sents.append(s)
        paras, i = [], 0
        while i < len(sents):
            k = 1 + rng.randrange(3)
            paras.append(" ".join(sents[i:i + k]))
            i += k
        body = "\n".join(paras)
        titles = pool["titles"]
        title = titles[rng.randrange(len(titles))] if titles else sents[0][:60]
        year = 1987 + rng.randrange(30)
        if tail.startswith("02-29"):
            tail = "02-28" + tail[5:]
        n += 1
        rec = {"id": f"gen{seed}-{n:08d}", "date": f"{year}-{tail}Z", "title": title, "body": body}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        data = line.encode("utf-8")
        out.write(data)
        written += len(data)
        articles += 1
        text_bytes += len(title.encode("utf-8")) + len(body.encode("utf-8"))
    return {"articles": articles, "text_bytes": text_bytes, "file_bytes": written}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=parse_size, required=True, help="bytes to write: 100M, 1G, ...")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--from", dest="src", help="seed collection (JSON Lines); default: "
                    "reuters21578/reuters.jsonl under --data")
    ap.add_argument("--data", help="the shared data folder (default ../shared/data from the repo root)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args(argv)
    src = a.src
    if not src:
        data = a.data or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                      "shared", "data")
        src = os.path.join(data, "reuters21578", "reuters.jsonl")
    if not os.path.exists(src):
        print(f"gen.py: seed collection {src} not found", file=sys.stderr)
        return 2
    seed_coll = Seed(src)
    tmp = a.output + ".part"
    with open(tmp, "wb", buffering=1 << 20) as out:
        stats = generate(seed_coll, a.size, a.seed, out)
    os.replace(tmp, a.output)
    stats.update({"seed": a.seed, "size_asked": a.size, "seed_collection": os.path.abspath(src)})
    with open(a.output + ".stats.json", "w") as f:
        json.dump(stats, f, indent=1)
    print(f"gen.py: {a.output}: {stats['articles']} articles, {stats['file_bytes']} bytes "
          f"({stats['text_bytes']} bytes of text)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
