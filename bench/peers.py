"""peers.py - the tools compared, each behind the same small interface.

A peer knows how to build an index from a JSON Lines file (a command the
harness runs under /usr/bin/time -v), how to run one query as a fresh
process (what a script does), optionally how to run a query file in one
process (library use), and how to read document ids from its output.

Queries reach every peer as the same list of plain lower-case words
(common.words). mode "and": all words must match; mode "or": ranked OR,
any word may match (for long natural-language queries in make eval).
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import time

import common

PY = sys.executable or "python3"


def _have(binary):
    return shutil.which(binary) is not None


def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(argv):
    """Runs argv; (wall seconds, CPU seconds of the process, completed process)."""
    c0 = _children_cpu()
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return time.perf_counter() - t0, _children_cpu() - c0, p


def _latencies(stdout):
    """(wall ms list, CPU ms list) from qbench-style lines: wall_us cpu_us hits status."""
    wall, cpu = [], []
    for line in stdout.decode().splitlines():
        f = line.split("\t")
        wall.append(float(f[0]) / 1000.0)
        cpu.append(float(f[1]) / 1000.0)
    return wall, cpu


def spawn_floor():
    """What starting any process costs from here: /bin/true."""
    return _run(["/bin/true"])


class Peer:
    name = "?"
    label = "?"
    has_index = True          # False: searches the raw files (ripgrep)
    snippet_modes = (True, False)   # per-process query modes measured
    inprocess_note = None     # why there is no in-process figure
    notes = ()
    update_note = "builds the index again"   # what update_argv does


    def __init__(self, ctx):
        self.ctx = ctx        # dict: build, work, bin (snapshot folder), data

    def unavailable(self):
        """None when usable, else the reason it is skipped."""
        return None

    def index_path(self, tag):
        return os.path.join(self.ctx["work"], "idx", f"{tag}.{self.name}")

    def index_argv(self, src, idx):
        raise NotImplementedError

    def update_argv(self, src, idx):
        """Brings the index at idx up to date with src, which grew since it
        was indexed: what a user of this tool would run."""
        return self.index_argv(src, idx)

    def query(self, idx, src, ws, k, snippets, mode="and"):
        """One query as a fresh process: (wall s, CPU s, completed process)."""
        return _run(self.query_argv(idx, ws, k, snippets, mode))

    def query_argv(self, idx, ws, k, snippets, mode):
        raise NotImplementedError

    def ids(self, stdout):
        """Document ids in rank order, from a query's output."""
        raise NotImplementedError

    def rank(self, idx, ws, k):
        """Ranked-OR retrieval for make eval: (completed process, ids)."""
        _, _, p = _run(self.query_argv(idx, ws, k, False, "or"))
        return p, self.ids(p.stdout)

    def inprocess(self, idx, queries, k, snippets, warmup):
        """(wall ms, CPU ms) per query, run in one process, or None."""
        return None

    def versions(self):
        return {}


# ------------------------------------------------------------------ newsidx

class Newsidx(Peer):
    name = "newsidx"
    label = "newsidx (FTS5)"
    engine = None
    update_note = ("the same command again: the file is read again, stored articles are "
                   "looked up and left as they are, the corrected ones replaced, the new "
                   "ones indexed")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.bin = os.path.join(ctx["bin"], "newsidx")
        self.qbench = os.path.join(ctx["bin"], "qbench")
        self._any = None

    def unavailable(self):
        if not os.access(self.bin, os.X_OK):
            return f"{self.bin} not built (make all)"
        return None

    def has_any(self):
        """Does `newsidx search` have a ranked-OR switch (--any)?"""
        if self._any is None:
            p = subprocess.run([self.bin, "search", "--help"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            self._any = b"--any" in p.stdout
        return self._any

    def index_argv(self, src, idx):
        argv = [self.bin, "index", "-q", "-d", idx]
        if self.engine:
            argv += ["--engine", self.engine]
        return argv + [src]

    def query_string(self, ws, mode):
        if mode == "or" and not self.has_any():
            return " OR ".join(ws)
        return " ".join(ws)

    def query_argv(self, idx, ws, k, snippets, mode):
        fmt = "json" if snippets else "tsv"
        argv = [self.bin, "search", "-d", idx, "-f", fmt, "-n", str(k)]
        if mode == "or" and self.has_any():
            argv.append("--any")
        return argv + ["--", self.query_string(ws, mode)]

    def ranking_argv(self, idx, ws, k):
        # Every article ranked on its own, as the peers do: folding wire
        # copies under their best-ranked one is a way of showing a list, and
        # a known item folded under its copy would count as not found.
        argv = [self.bin, "search", "-d", idx, "-f", "ids", "-n", str(k), "--no-collapse"]
        if self.has_any():
            argv.append("--any")
        return argv + ["--", self.query_string(ws, "or")]

    def rank(self, idx, ws, k):
        _, _, p = _run(self.ranking_argv(idx, ws, k))
        return p, self.ids(p.stdout)

    def ids(self, stdout):
        text = stdout.decode("utf-8", "replace")
        if text.startswith("{"):
            return [r["id"] for r in json.loads(text)["results"]]
        out = []
        for line in text.splitlines():
            if line:
                parts = line.split("\t")
                out.append(parts[1] if len(parts) > 2 else parts[0])
        return out

    def inprocess(self, idx, queries, k, snippets, warmup, count=False):
        if not os.access(self.qbench, os.X_OK):
            return None
        qfile = os.path.join(self.ctx["work"], f"queries.{self.name}.txt")
        with open(qfile, "w") as f:
            for ws in queries:
                f.write(self.query_string(ws, "and") + "\n")
        argv = [self.qbench, "-d", idx, "-n", str(k), "-w", str(warmup)]
        if snippets:
            argv.append("-s")
        if count:
            argv.append("-c")
        p = subprocess.run(argv + [qfile], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            common.log(f"  qbench failed: {p.stderr.decode('utf-8', 'replace').strip()}")
            return None
        return _latencies(p.stdout)

    def versions(self):
        return {"newsidx": common.tool_version([self.bin, "--version"])}


class NewsidxXapian(Newsidx):
    """newsidx with its Xapian engine: included automatically once
    `newsidx index --help` mentions --engine."""
    name = "newsidx-xapian"
    label = "newsidx (Xapian)"
    engine = "xapian"

    def unavailable(self):
        r = super().unavailable()
        if r:
            return r
        p = subprocess.run([self.bin, "index", "--help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if b"engine" not in p.stdout:
            return "newsidx has no Xapian engine yet (`newsidx index --help` has no --engine)"
        return None


# --------------------------------------------------------------- plain FTS5

def fts5_match(ws, mode):
    terms = ['"%s"' % w for w in ws]     # no quotes in words: nothing to escape
    return (" OR " if mode == "or" else " ").join(terms)


class SqliteFts5(Peer):
    """SQLite FTS5 set up by hand: one fts5 table, tokenize='porter
    unicode61', ORDER BY rank (bm25, equal column weights), snippet()."""
    name = "sqlite-fts5"
    label = "SQLite FTS5 by hand"
    notes = ("indexing is bench/fts5_peer.py (Python sqlite3, one transaction); per-process "
             "queries are the sqlite3 command-line shell; in-process is a Python sqlite3 loop",)
    update_note = ("built again: a table made by hand has no way to tell new records from "
                   "old ones (a loader that does would be more code to write)")

    def unavailable(self):
        if not _have("sqlite3"):
            return "the sqlite3 command-line shell is missing (Debian package sqlite3)"
        return None

    def index_argv(self, src, idx):
        return [PY, os.path.join(common.BENCH_DIR, "fts5_peer.py"), "index", idx, src]

    @staticmethod
    def sql(match, k, snippets):
        cols = ("id, title, replace(snippet(docs, 2, '[[', ']]', ' … ', 30), char(10), ' ')"
                if snippets
                else "id, title, rank")
        return (f"SELECT {cols} FROM docs WHERE docs MATCH '{match}' "
                f"ORDER BY rank LIMIT {int(k)};")

    def query_argv(self, idx, ws, k, snippets, mode):
        return ["sqlite3", "-readonly", "-separator", "\t", idx,
                self.sql(fts5_match(ws, mode), k, bool(snippets))]

    def ids(self, stdout):
        return [line.split("\t", 1)[0] for line in stdout.decode("utf-8", "replace").splitlines()
                if line]

    def inprocess(self, idx, queries, k, snippets, warmup):
        qfile = os.path.join(self.ctx["work"], f"queries.{self.name}.txt")
        with open(qfile, "w") as f:
            for ws in queries:
                f.write(fts5_match(ws, "and") + "\n")
        argv = [PY, os.path.join(common.BENCH_DIR, "fts5_peer.py"), "qbench", idx, qfile,
                "-n", str(k), "-w", str(warmup)] + (["-s"] if snippets else [])
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            common.log(f"  fts5 qbench failed: {p.stderr.decode('utf-8', 'replace').strip()}")
            return None
        return _latencies(p.stdout)

    def versions(self):
        return {"sqlite3": common.tool_version(["sqlite3", "--version"])}


# ------------------------------------------------------------------- Xapian

class XapianTools(Peer):
    """Xapian's own tools: scriptindex (Omega) with bench/xapian-news.script,
    fed by a JSON Lines converter; quest for queries (per process only)."""
    name = "xapian"
    label = "Xapian scriptindex+quest"
    snippet_modes = (False,)
    inprocess_note = "quest is a command; Xapian is measured per process only"
    notes = ("quest has no snippets: it prints the stored fields (id, title, date and a fixed "
             "300-byte sample), so it is listed under 'no snippets'",
             "quest drops English stop words (the, of, ...) from queries, so its AND queries "
             "can match more",
             "indexing time includes converting JSON Lines to scriptindex's input format "
             "(bench/xapian_peer.py, piped)")
    update_note = ("scriptindex without --overwrite: every record is indexed again, "
                   "replacing the document with the same id (its unique term)")

    def unavailable(self):
        missing = [b for b in ("quest", "scriptindex") if not _have(b)]
        if missing:
            return (f"{' and '.join(missing)} missing (Debian packages xapian-tools, "
                    "xapian-omega)")
        return None

    def index_argv(self, src, idx):
        return [PY, os.path.join(common.BENCH_DIR, "xapian_peer.py"), idx, src]

    def update_argv(self, src, idx):
        return [PY, os.path.join(common.BENCH_DIR, "xapian_peer.py"), "--update", idx, src]

    def query_argv(self, idx, ws, k, snippets, mode):
        return ["quest", "-d", idx, "-m", str(k), "-o", "or" if mode == "or" else "and",
                " ".join(ws)]

    def ids(self, stdout):
        out, want = [], False
        for line in stdout.decode("utf-8", "replace").splitlines():
            if line[:1].isdigit() and ": [" in line:
                want = True
            elif want and line.startswith("id="):
                out.append(line[3:])
                want = False
        return out

    def versions(self):
        return {"quest": common.tool_version(["quest", "--version"]),
                "scriptindex": common.tool_version(["scriptindex", "--version"])}


# ----------------------------------------------------------------- ripgrep

class Ripgrep(Peer):
    """ripgrep over the raw JSON Lines file (one article per line): the
    words ANDed as a pipeline rg -w -i WORD1 FILE | rg -w -i WORD2 | ...,
    the last stage stopping at k lines. No index, no ranking, no stemming."""
    name = "ripgrep"
    label = "ripgrep (no index)"
    has_index = False
    snippet_modes = (True,)
    inprocess_note = "ripgrep is a command; per process only"
    notes = ("ripgrep has no index and no ranking: its 'top 10' are the first 10 articles "
             "(lines) that contain every word, case-insensitive whole words without stemming; "
             "it prints whole lines, listed under 'with snippets'",)

    def unavailable(self):
        return None if _have("rg") else "rg missing (Debian package ripgrep)"

    def index_argv(self, src, idx):
        return None

    def query(self, idx, src, ws, k, snippets, mode="and"):
        base = ["rg", "--no-config", "-w", "-i", "-F", "--no-line-number", "--color", "never"]
        c0 = _children_cpu()
        t0 = time.perf_counter()
        procs = []
        prev = None
        for i, w in enumerate(ws):
            last = i == len(ws) - 1
            argv = base + (["-m", str(k)] if last else []) + ["--", w]
            if i == 0:
                argv.append(src)
            p = subprocess.Popen(argv, stdin=prev.stdout if prev else subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if prev:
                prev.stdout.close()    # so the upstream stage sees EPIPE when this one stops
            procs.append(p)
            prev = p
        out = procs[-1].stdout.read()
        procs[-1].stdout.close()
        for p in procs:
            p.wait()
        dt = time.perf_counter() - t0
        return dt, _children_cpu() - c0, subprocess.CompletedProcess(ws, procs[-1].returncode,
                                                                     out, b"")

    def ids(self, stdout):
        out = []
        for line in stdout.decode("utf-8", "replace").splitlines():
            try:
                out.append(json.loads(line).get("id"))
            except ValueError:
                out.append(None)
        return out

    def versions(self):
        return {"rg": common.tool_version(["rg", "--version"])}


ALL = [Newsidx, NewsidxXapian, SqliteFts5, XapianTools, Ripgrep]


def make(ctx, wanted=None):
    """(usable peers, {name: reason skipped})."""
    usable, skipped = [], {}
    for cls in ALL:
        if wanted and cls.name not in wanted:
            continue
        p = cls(ctx)
        why = p.unavailable()
        if why:
            skipped[p.name] = why
        else:
            usable.append(p)
    return usable, skipped
