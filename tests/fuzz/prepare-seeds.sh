#!/usr/bin/env bash
# prepare-seeds.sh OUTDIR - builds the seed corpus of every fuzz target into
# OUTDIR/<target>/ from the shipped corpus/ and the lists in tests/fuzz/seeds/.
# Nothing from corpus/ is copied into tests/fuzz/; run by `make fuzz-build`.
#
#   analyzer    corpus/**/*.txt|md and the example queries, each after a
#               language byte (0 english, 1 french, 2 german, 3 russian)
#   query       tests/fuzz/seeds/query/queries.txt, one seed per line
#   snippet     "query NUL article" pairs: each example query with a corpus text
#   read_text   corpus/**/*.txt|md
#   read_jsonl  every line of corpus/**/*.jsonl, each its own seed
#   read_html   corpus/web/*.html
#   date        tests/fuzz/seeds/date/dates.txt, one per line, and the Date:
#               headers of corpus/**/*.txt|md
#   gunzip      gzip of corpus texts (single, concatenated, empty), and a few
#               plain texts
#   textpack    stored values of a few corpus texts: the raw form (byte 0 and
#               the text) and, when the zstd tool is there, byte 1 and a zstd
#               frame
#   fts5_leaves each of the first 64 blocks of the target's own index left
#               whole (block byte, mode 0, offset 0, nothing written)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: prepare-seeds.sh OUTDIR}
seeds=tests/fuzz/seeds

targets=(analyzer query snippet read_text read_jsonl read_html date gunzip textpack fts5_leaves)
for t in "${targets[@]}"; do
    rm -rf "${out:?}/$t"
    mkdir -p "$out/$t"
done

mapfile -t texts < <(find corpus -type f \( -name '*.txt' -o -name '*.md' \) | LC_ALL=C sort)
mapfile -t jsonls < <(find corpus -type f -name '*.jsonl' | LC_ALL=C sort)
mapfile -t pages < <(find corpus/web -maxdepth 1 -type f -name '*.html' | LC_ALL=C sort)

# Lines of a list file that are not comments ('# ' at the start) or empty.
list() { grep -v -e '^# ' -e '^#$' -e '^$' "$1" || true; }

mapfile -t queries < <(list "$seeds/query/queries.txt")
mapfile -t dates < <(list "$seeds/date/dates.txt")

lang_byte() {
    case "$1" in
    *.fr.*) printf '\001' ;;
    *.de.*) printf '\002' ;;
    *.ru.*) printf '\003' ;;
    *) printf '\000' ;;
    esac
}

i=0
for f in "${texts[@]}"; do
    name=$(basename "$f")
    { lang_byte "$f"; cat "$f"; } > "$out/analyzer/$name"
    cp "$f" "$out/read_text/$name"
    grep -m1 -i '^date:' "$f" | sed -e 's/^[Dd]ate:[[:space:]]*//' -e 's/\r$//' \
        > "$out/date/corpus-$name" || rm -f "$out/date/corpus-$name"
    if [ "$i" -lt 6 ]; then
        gzip -9 -n -c "$f" > "$out/gunzip/$name.gz"
        cp "$f" "$out/gunzip/$name"
        { printf '\000'; cat "$f"; } > "$out/textpack/$name.raw"
        if command -v zstd >/dev/null 2>&1; then
            { printf '\001'; zstd -q -c "$f"; } > "$out/textpack/$name.zst"
        fi
    fi
    i=$((i + 1))
done
cat "$out/gunzip/"*.gz > "$out/gunzip/concatenated.gz" 2>/dev/null || true
for k in $(seq 0 63); do
    printf "$(printf '\\%03o' "$k")\000\000\000" > "$out/fts5_leaves/block$k"
done
gzip -n -c < /dev/null > "$out/gunzip/empty.gz"

n=0
for q in "${queries[@]}"; do
    n=$((n + 1))
    printf '%s' "$q" > "$out/query/q$(printf %03d $n)"
    { printf '\000'; printf '%s' "$q"; } > "$out/analyzer/query-$(printf %03d $n)"
    body=${texts[$(( (n - 1) % ${#texts[@]} ))]}
    { printf '%s\000' "$q"; cat "$body"; } > "$out/snippet/s$(printf %03d $n)"
done

for f in "${jsonls[@]}"; do
    name=$(basename "$f" .jsonl)
    ln=0
    while IFS= read -r line || [ -n "$line" ]; do
        ln=$((ln + 1))
        printf '%s\n' "$line" > "$out/read_jsonl/$name-L$ln.jsonl"
    done < "$f"
    if [ -z "$(ls "$out/gunzip/"*.jsonl.gz 2>/dev/null)" ]; then
        gzip -9 -n -c "$f" > "$out/gunzip/$name.jsonl.gz"
    fi
done

for f in "${pages[@]}"; do
    cp "$f" "$out/read_html/"
done

n=0
for d in "${dates[@]}"; do
    n=$((n + 1))
    printf '%s' "$d" > "$out/date/d$(printf %03d $n)"
done

summary=
for t in "${targets[@]}"; do
    summary="$summary${summary:+, }$t $(find "$out/$t" -type f | wc -l)"
done
echo "fuzz seeds in $out/: $summary"
