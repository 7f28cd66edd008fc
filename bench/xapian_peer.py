#!/usr/bin/env python3
"""xapian_peer.py [--update] DB FILE.jsonl - index JSON Lines with Xapian's
scriptindex (Debian xapian-omega) and bench/xapian-news.script, converting
the records to scriptindex's input format on the way (name=value lines, a
continuation line starts with '=', a blank line ends a record). The database
is created anew; with --update it is updated (each record replaces the
document with its id). Exit status: scriptindex's."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def value(v):
    v = str(v).replace("\r\n", "\n").replace("\r", "\n")
    return "\n=".join(v.split("\n"))


def main():
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    db, src = args
    p = subprocess.Popen(["scriptindex"] + ([] if update else ["--overwrite"]) +
                         [db, os.path.join(HERE, "xapian-news.script")],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    out = p.stdin
    with open(src, encoding="utf-8") as f:
        buf = []
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            rec = []
            for key in ("id", "title", "body", "date"):
                v = d.get(key)
                if v not in (None, ""):
                    rec.append(f"{key}={value(v)}\n")
            buf.append("".join(rec) + "\n")
            if len(buf) >= 1000:
                out.write("".join(buf).encode("utf-8"))
                buf = []
        out.write("".join(buf).encode("utf-8"))
    out.close()
    return p.wait()


if __name__ == "__main__":
    sys.exit(main())
