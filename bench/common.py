"""common.py - what bench.py and run_eval.py share: finding the data, turning
queries into plain words, running and timing commands, percentiles, sizes,
and writing results. Python 3 standard library only."""
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
TIME_BIN = "/usr/bin/time"

# A word; or kept whole, a dotted acronym ("u.s.") or a number with its
# decimal point or thousands separators ("3.2", "1,200"): each tool then
# reads it its own way (FTS5's unicode61 as the phrase "3 2", Xapian and
# newsidx as one term), as it indexed it, instead of being handed stray
# letters and digits.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def find_data(arg):
    """The shared data folder: --data, else ../shared/data from the repo root.
    None when it is not there."""
    path = arg or os.path.join(REPO, "..", "shared", "data")
    path = os.path.normpath(os.path.abspath(path))
    return path if os.path.isdir(path) else None


def skip(what, data_arg):
    where = data_arg or os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
    print(f"{what}: skipped: no benchmark data at {where} (set BENCH_DATA=PATH or --data PATH; "
          "see bench/README.md)")
    return 0


def words(text):
    """Plain words of a query: lower case, punctuation and operators gone
    (dotted acronyms and numbers kept whole), so that every peer is asked the
    same thing (capitalised words would be exact forms in newsidx; '-x',
    '+x', quotes, 'field:' would be syntax)."""
    return _WORD.findall(text.lower())


def load_trec_efficiency(data, n):
    """The first n non-empty queries of the TREC 2005 Terabyte efficiency log,
    as word lists, in log order (repeats kept, as in a real log)."""
    path = os.path.join(data, "queries", "trec", "terabyte05.efficiency.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            _, _, q = line.rstrip("\n").partition("\t")
            w = words(q)
            if w:
                out.append(w)
            if len(out) == n:
                break
    return out


def collection_stats(path):
    """Articles and text bytes (title + body, UTF-8) of a JSON Lines file;
    cached next to the file (or in a sidecar .stats.json gen.py wrote)."""
    side = path + ".stats.json"
    st = os.stat(path)
    if os.path.exists(side):
        with open(side) as f:
            s = json.load(f)
        if s.get("file_bytes") == st.st_size:
            return s
    articles = text = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            articles += 1
            for k in ("title", "body"):
                v = d.get(k)
                if isinstance(v, str):
                    text += len(v.encode("utf-8"))
    s = {"articles": articles, "text_bytes": text, "file_bytes": st.st_size}
    try:
        with open(side, "w") as f:
            json.dump(s, f)
    except OSError:
        pass
    return s


def path_size(path):
    """Bytes of a file, or of all files under a folder; 0 when absent.
    SQLite's -wal and -shm files count with their database."""
    total = 0
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for fn in files:
                total += os.path.getsize(os.path.join(root, fn))
    elif os.path.exists(path):
        total = os.path.getsize(path)
        for extra in ("-wal", "-shm", "-journal"):
            if os.path.exists(path + extra):
                total += os.path.getsize(path + extra)
    return total


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.isfile(p):
            os.remove(p)


def run_measured(argv, workdir, env=None, ok_codes=(0,)):
    """Runs argv under /usr/bin/time -v; returns wall (s, our own clock), user
    and system CPU (s), peak RSS (KiB) and the exit status. Without GNU time
    only the wall time is known."""
    tfile = os.path.join(workdir, "time-v.txt")
    use_time = os.access(TIME_BIN, os.X_OK)
    cmd = [TIME_BIN, "-v", "-o", tfile] + argv if use_time else argv
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    res = {"wall_s": wall, "exit": p.returncode, "user_s": None, "sys_s": None, "cpu_s": None,
           "peak_rss_kb": None}
    if p.returncode not in ok_codes:
        res["error"] = (p.stderr.decode("utf-8", "replace")[-2000:] or f"exit {p.returncode}")
    if use_time and os.path.exists(tfile):
        with open(tfile) as f:
            txt = f.read()
        m = re.search(r"User time \(seconds\): ([\d.]+)", txt)
        if m:
            res["user_s"] = float(m.group(1))
        m = re.search(r"System time \(seconds\): ([\d.]+)", txt)
        if m:
            res["sys_s"] = float(m.group(1))
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", txt)
        if m:
            res["peak_rss_kb"] = int(m.group(1))
        if res["user_s"] is not None and res["sys_s"] is not None:
            res["cpu_s"] = res["user_s"] + res["sys_s"]
        os.remove(tfile)
    return res


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def latency_summary(ms):
    if not ms:
        return None
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
            "p99_ms": percentile(ms, 99), "mean_ms": sum(ms) / len(ms)}


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def cpu_pressure():
    """Share of the last 60 s in which some runnable task waited for a CPU
    (Linux PSI), in percent; None where unavailable. High values mean other
    work competed with the benchmark, so wall times are inflated."""
    try:
        with open("/proc/pressure/cpu") as f:
            m = re.search(r"some avg10=[\d.]+ avg60=([\d.]+)", f.read())
            return float(m.group(1)) if m else None
    except OSError:
        return None


def machine_info():
    info = {"git": git_state(), "host": platform.node(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            if m:
                info["cpu"] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"MemTotal:\s*(\d+)", f.read())
            if m:
                info["mem_gb"] = round(int(m.group(1)) / 1048576, 1)
    except OSError:
        pass
    return info


def git_state():
    """The repository's commit and whether the working tree has changes."""
    def git(*args):
        try:
            p = subprocess.run(["git", "-C", REPO] + list(args), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=20)
            return p.stdout.decode().strip() if p.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired):
            return None
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def provenance_line(meta):
    g = meta.get("machine", {}).get("git") or {}
    v = (meta.get("versions") or {}).get("newsidx") or "newsidx ?"
    commit = (g.get("commit") or "?")[:12]
    dirty = " with uncommitted changes" if g.get("dirty") else ""
    build = os.path.relpath(meta["build"], REPO) if meta.get("build") else "build"
    return f"Tested: {v}, binaries from `{build}/`; repository at {commit}{dirty}."


def tool_version(argv):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
        out = p.stdout.decode("utf-8", "replace").strip().splitlines()
        return out[0] if out else ""
    except (OSError, subprocess.TimeoutExpired):
        return None


def results_paths(kind):
    d = os.path.join(BENCH_DIR, "results")
    os.makedirs(d, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    base = os.path.join(d, f"{stamp}-{kind}")
    return base + ".md", base + ".json"


def write_results(kind, markdown, data):
    md, js = results_paths(kind)
    with open(md, "w") as f:
        f.write(markdown)
    with open(js, "w") as f:
        json.dump(data, f, indent=1, default=str)
    return md, js


def snapshot_binaries(build, work):
    """Copies newsidx, qbench and the Xapian module (which they load from
    beside them) aside so a rebuild during the run cannot swap or truncate
    them under the benchmark."""
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    for src in (os.path.join(build, "newsidx"), os.path.join(build, "bench", "qbench"),
                os.path.join(build, "newsidx-xapian.so")):
        dst = os.path.join(bindir, os.path.basename(src))
        if os.path.exists(dst):
            os.remove(dst)
        if os.access(src, os.X_OK):
            shutil.copy2(src, dst)
    return bindir


# ---------------------------------------------------------------- tables

def fmt_num(v, digits=None):
    if v is None:
        return "–"
    if isinstance(v, int):
        return f"{v:,}"
    if digits is None:
        a = abs(v)
        digits = 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 3
    return f"{v:,.{digits}f}"


def with_ratios(rows, key, higher_better=False):
    """Adds row[key + '_ratio']: how many times worse than the best row
    (1.00 = best; for throughputs best / value, for costs value / best)."""
    vals = [r[key] for r in rows if r.get(key) not in (None, 0)]
    if not vals:
        return
    best = max(vals) if higher_better else min(vals)
    for r in rows:
        v = r.get(key)
        if v in (None, 0):
            r[key + "_ratio"] = None
        else:
            r[key + "_ratio"] = (best / v) if higher_better else (v / best)


def cell(r, key, digits=None):
    v = r.get(key)
    if v is None:
        return "–"
    s = fmt_num(v, digits)
    ratio = r.get(key + "_ratio")
    if ratio is not None:
        s += f" ({ratio:.2f}×)" if ratio < 9.95 else f" ({ratio:.0f}×)"
    return s


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out) + "\n"
