#!/usr/bin/env python3
"""gen_archive.py - a deterministic archive of news-like articles for the
reliability tests (tests/e2e/test_crash.sh, test_concurrency.sh, test_disk.sh).

    tests/gen_archive.py OUT_DIR --articles N --files F --seed S [--format jsonl|txt|mixed]

Writes N articles into OUT_DIR and prints N (the total article count) on
stdout. The same arguments always give byte-identical files.

  jsonl  F files OUT_DIR/wire-NNNN.jsonl, the articles spread evenly over them
         (the first N mod F files get one more).
  txt    one .txt file per article (header block + body), spread over F
         folders OUT_DIR/dNNNN/.
  mixed  F units in turn: a .jsonl file, a .ndjson.gz file, a folder of .txt
         files, a folder of .html pages.

Every article has a unique id ("g<seed>-<number>"; in .txt files it is the
ID: header; HTML pages have no id field, so newsidx names them after their
path), a date in 2022-2023, a source, a title and a body of a few
sentences recombined from the word lists below. Every body contains the word
"newsroom" exactly once (the last sentence), so a search for it counts every
article; no other sentence uses that word.

--tag WORD adds "Edition WORD" to every body and title (to tell two versions
of an archive apart: regenerate with another tag and every file changes).
--skip-every K leaves out every K-th article (1-based, K>1) - a changed
archive where records disappear from files; the printed count accounts for it.
--units A:B writes only files (or folders) A to B-1 of the F, with the same
content as in the full archive, and prints the count of articles written.
"""
import argparse
import gzip
import io
import json
import os
import random
import sys

SOURCES = [
    "Atlantic Wire Service", "Baltic Monitor", "Meridian Herald", "Continental Press Agency",
    "Kestrel Ledger", "Northern Courier", "Harbour Gazette", "Danube Daily", "Pacific Dispatch",
    "Sierra Tribune", "Lowland Observer", "Cape Chronicle",
]

PEOPLE = [
    "Baklanov", "Haines", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castellano", "Novak",
    "Adeyemi", "Fitzgerald", "Kowalczyk", "Rahimi", "Olsen", "Varga", "Delacroix", "Mbeki",
    "Petrenko", "Almeida", "Sorensen", "Yilmaz",
]

PLACES = [
    "Kherson", "Istanbul", "Brussels", "Warsaw", "Geneva", "Nairobi", "Jakarta", "Lima",
    "Oslo", "Tbilisi", "Vilnius", "Lagos", "Manila", "Quito", "Dakar", "Riga", "Tallinn",
    "Marseille", "Porto", "Krakow",
]

ROLES = [
    "the foreign minister", "the central bank governor", "the union leader", "the mayor",
    "the energy regulator", "the chief negotiator", "the health secretary", "the coach",
    "the trade commissioner", "the prosecutor", "the harbour master", "the climate envoy",
]

TOPICS = [
    "grain exports", "winter aid", "energy prices", "security guarantees", "port tariffs",
    "wage talks", "flood defences", "vaccine supplies", "rail strikes", "fishing quotas",
    "bond yields", "election reform", "water rationing", "steel tariffs", "bread prices",
    "transit fees", "drought relief", "cable repairs", "airport expansion", "housing permits",
]

VERBS = [
    "negotiated", "rejected", "welcomed", "criticised", "postponed", "announced", "defended",
    "questioned", "approved", "proposed", "delayed", "signed", "suspended", "extended",
    "reviewed", "endorsed",
]

ADJ = [
    "cautious", "sweeping", "fragile", "temporary", "unexpected", "long-awaited", "modest",
    "controversial", "binding", "preliminary", "ambitious", "narrow", "costly", "overdue",
]

NOUNS = [
    "agreement", "ceasefire", "budget", "inquiry", "deal", "package", "ruling", "plan",
    "summit", "reform", "truce", "levy", "subsidy", "contract", "mandate", "review",
]

TEMPLATES = [
    "{person}, {role}, {verb} the {adj} {noun} on {topic} in {place} on {weekday}.",
    "Officials in {place} said the {noun} on {topic} would be {verb} within {num} days.",
    "Talks on {topic} between {place} and {place2} {verb} a {adj} {noun}, {person} told reporters.",
    "{person} warned that {topic} could cost {num} million euros if the {noun} is {verb}.",
    "Critics in {place} called the {noun} {adj} and said {topic} had been ignored for {num} weeks.",
    "The {noun} covers {topic}, {topic2} and a {adj} timetable agreed in {place2}.",
    "According to {role}, {num} delegations {verb} the {noun} after a night of talks in {place}.",
    "Residents of {place} queued for hours as {topic} dominated the {adj} debate.",
    "{person} and {person2} met in {place} to discuss {topic} and the {adj} {noun}.",
    "Markets reacted calmly after {role} {verb} the {noun} on {topic}.",
    "A spokesperson for {person} said the {noun} was {adj} but necessary for {topic}.",
    "Observers expect a vote on the {noun} in {place} before the end of {month}.",
]

TITLES = [
    "{person} {verb} {adj} {noun} on {topic}",
    "{place} {verb} {noun} as {topic} weigh on talks",
    "{adj} {noun} on {topic} {verb} in {place}",
    "{person} and {person2} clash over {topic}",
    "{place} braces for {topic} after {noun} {verb}",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
CLOSING = "Filed through the {source} newsroom."


def pick(r, items):
    return items[int(r() * len(items))]


def pick2(r, items):
    """Two different items."""
    n = len(items)
    i = int(r() * n)
    j = (i + 1 + int(r() * (n - 1))) % n
    return items[i], items[j]


def fill(r, template, source):
    # Only the fields a template uses are drawn (fewer calls, same result
    # for the same seed).
    v = {"source": source}
    if "{person" in template:
        v["person"], v["person2"] = pick2(r, PEOPLE)
    if "{place" in template:
        v["place"], v["place2"] = pick2(r, PLACES)
    if "{topic" in template:
        v["topic"], v["topic2"] = pick2(r, TOPICS)
    for key, items in (("role", ROLES), ("verb", VERBS), ("adj", ADJ), ("noun", NOUNS),
                       ("weekday", WEEKDAYS), ("month", MONTHS)):
        if "{" + key + "}" in template:
            v[key] = pick(r, items)
    if "{num}" in template:
        v["num"] = 2 + int(r() * 899)
    s = template.format(**v)
    return s[0].upper() + s[1:]


def article(rng, seed, number, tag):
    r = rng.random
    source = pick(r, SOURCES)
    year = 2022 + int(r() * 2)
    month = 1 + int(r() * 12)
    day = 1 + int(r() * DAYS_IN_MONTH[month - 1])
    date = "%04d-%02d-%02dT%02d:%02d:00Z" % (year, month, day, int(r() * 24), int(r() * 60))
    title = fill(r, pick(r, TITLES), source)
    paragraphs = []
    for _ in range(1 + int(r() * 3)):
        sentences = [fill(r, pick(r, TEMPLATES), source) for _ in range(2 + int(r() * 3))]
        paragraphs.append(" ".join(sentences))
    closing = CLOSING.format(source=source)
    if tag:
        # In the title too: the index stores bodies compressed, so tests
        # tell versions apart with SQL on the title.
        closing += " Edition %s." % tag
        title += " (Edition %s)" % tag
    paragraphs.append(closing)
    return {
        "id": "g%d-%07d" % (seed, number),
        "title": title,
        "body": "\n\n".join(paragraphs),
        "date": date,
        "source": source,
        "url": "https://news.example.org/%d/%02d/g%d-%07d" % (year, month, seed, number),
        "lang": "en",
    }


def split_counts(n, f):
    base, extra = divmod(n, f)
    return [base + (1 if i < extra else 0) for i in range(f)]


def jsonl_bytes(arts):
    return "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts).encode("utf-8")


def txt_bytes(a):
    return ("ID: %s\nTitle: %s\nDate: %s\nSource: %s\nURL: %s\nLanguage: %s\n\n%s\n" % (
        a["id"], a["title"], a["date"], a["source"], a["url"], a["lang"], a["body"])).encode("utf-8")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def html_bytes(a):
    paras = "".join("<p>%s</p>\n" % esc(p) for p in a["body"].split("\n\n"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<title>%s</title>\n<meta property=\"og:site_name\" content=\"%s\">\n"
            "<meta property=\"article:published_time\" content=\"%s\">\n"
            "<link rel=\"canonical\" href=\"%s\">\n</head>\n<body><nav>Home | World | Sport</nav>\n"
            "<article><h1>%s</h1>\n%s</article>\n<footer>Copyright</footer></body></html>\n" % (
                esc(a["title"]), esc(a["source"]), a["date"], esc(a["url"]), esc(a["title"]),
                paras)).encode("utf-8")


def write(path, data):
    with open(path, "wb") as fh:
        fh.write(data)


def gzip_bytes(data):
    buf = io.BytesIO()
    # mtime=0 and no file name: the same bytes on every run.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--format", choices=("jsonl", "txt", "mixed"), default="jsonl")
    ap.add_argument("--tag", default="")
    ap.add_argument("--skip-every", type=int, default=0)
    ap.add_argument("--units", default="")
    args = ap.parse_args()
    first, last = 0, args.files
    if args.units:
        try:
            first, last = (int(x) for x in args.units.split(":"))
        except ValueError:
            ap.error("--units takes A:B")
    if args.articles < 0 or args.files < 1:
        ap.error("--articles must be >= 0 and --files >= 1")
    if args.skip_every == 1 or args.skip_every < 0:
        ap.error("--skip-every must be 0 (none) or > 1")
    os.makedirs(args.out_dir, exist_ok=True)

    # One generator per article, so that --tag and --skip-every leave the
    # other articles' text unchanged.
    def make(number):
        return article(random.Random("%d/%d" % (args.seed, number)), args.seed, number, args.tag)

    total = 0
    number = 0
    for unit, count in enumerate(split_counts(args.articles, args.files)):
        if not first <= unit < last:
            number += count
            continue
        arts = []
        for _ in range(count):
            number += 1
            if args.skip_every and number % args.skip_every == 0:
                continue
            arts.append(make(number))
        total += len(arts)
        if not arts:
            continue  # no empty files: newsidx rightly reports those as bad
        kind = args.format
        if kind == "mixed":
            kind = ("jsonl", "ndjson.gz", "txt", "html")[unit % 4]
        if kind == "jsonl":
            write(os.path.join(args.out_dir, "wire-%04d.jsonl" % unit), jsonl_bytes(arts))
        elif kind == "ndjson.gz":
            write(os.path.join(args.out_dir, "wire-%04d.ndjson.gz" % unit),
                  gzip_bytes(jsonl_bytes(arts)))
        else:
            d = os.path.join(args.out_dir, "d%04d" % unit)
            os.makedirs(d, exist_ok=True)
            for a in arts:
                if kind == "txt":
                    write(os.path.join(d, "%s.txt" % a["id"]), txt_bytes(a))
                else:
                    write(os.path.join(d, "%s.html" % a["id"]), html_bytes(a))
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
