#!/usr/bin/env bash
# langid_accuracy.sh - accuracy of language identification (src/analyze/langid.c)
# on real news: the first N articles (default 1000) of each of
#   ../shared/data/multilang/{ar,de,fr}.jsonl   Arabic, German, French
#   ../shared/data/bbc/bbc.jsonl                English (BBC News)
# Prints one line per language: correct / total, unknown (no answer) and the
# wrong answers. Not a pass/fail test: a measurement. A data set that is
# absent is skipped with a message.
#
# Usage: tests/langid_accuracy.sh [N]      (DATA=dir overrides ../shared/data)
set -u
cd "$(dirname "$0")/.." || exit 2
N=${1:-1000}
DATA=${DATA:-../shared/data}
OUT=${TMPDIR:-/tmp}/newsidx-langid-accuracy.$$
trap 'rm -f "$OUT"' EXIT

# A small program of its own, built from the module's source alone, so that
# it does not depend on the state of the library build.
CC=${CC:-cc}
# shellcheck disable=SC2046
if ! $CC -std=c11 -D_XOPEN_SOURCE=700 -O2 -Isrc -o "$OUT" tests/langid_accuracy.c src/analyze/langid.c src/analyze/lang.c \
    $(pkg-config --cflags --libs libexttextcat libutf8proc json-c); then
    echo "langid_accuracy: build failed" >&2
    exit 2
fi

# measure LANG FILE
measure() {
    local want=$1 file=$2
    if [ ! -f "$file" ]; then
        echo "$want: skipped, $file is absent"
        return
    fi
    head -n "$N" "$file" | "$OUT" | awk -v want="$want" '
        { total++; if ($1 == want) ok++; else if ($1 == "unknown") unk++; else { bad++; wrong[$1]++ } }
        END {
            s = ""
            for (w in wrong) s = s sprintf(" %s:%d", w, wrong[w])
            printf "%s: %d / %d correct (%.1f%%), %d unknown, %d wrong%s\n",
                   want, ok, total, total ? 100 * ok / total : 0, unk, bad, s ? " (" substr(s, 2) ")" : ""
        }'
}

if [ -d "$DATA/multilang" ]; then
    for l in ar de fr; do
        measure "$l" "$DATA/multilang/$l.jsonl"
    done
else
    echo "multilang: skipped, $DATA/multilang is absent"
fi
measure en "$DATA/bbc/bbc.jsonl"
