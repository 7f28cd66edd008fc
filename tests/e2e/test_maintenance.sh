# test_maintenance.sh - newsidx check, optimize and index --prune, on both
# engines, and what an interrupted prune or optimize leaves behind.
. "$(dirname "$0")/lib.sh"
cp "$NEWSIDX" "$(dirname "$NEWSIDX")/newsidx-xapian.so" "$T/" && NEWSIDX=$T/newsidx
PY=$(command -v python3)
A=$T/archive
"$PY" "$ROOT/tests/gen_archive.py" "$A" --articles 6000 --files 120 --seed 7 >/dev/null

for engine in fts5 xapian; do
    DB=$T/$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$A"
    total=$("$NEWSIDX" search -d "$DB" --count newsroom)
    run check -d "$DB"
    expect_rc "$engine: check: a fresh index is sound" 0
    expect "$engine: check says ok" has ": ok" "$out"

    # Files deleted from the archive: --prune forgets them and their articles.
    gone=$(ls "$A" | head -n 10)
    mkdir -p "$T/aside-$engine"
    for f in $gone; do mv "$A/$f" "$T/aside-$engine/"; done
    run index -d "$DB" "$A"
    expect "$engine: without --prune, gone files stay" test "$("$NEWSIDX" search -d "$DB" --count newsroom)" = "$total"
    run index --prune -d "$DB" "$A"
    expect_rc "$engine: index --prune exits 0" 0
    expect "$engine: --prune says what it forgot" has "10 files gone from the archive" "$out"
    left=$("$NEWSIDX" search -d "$DB" --count newsroom)
    expect "$engine: their articles are gone" test "$left" -lt "$total"
    run stats -d "$DB" --format json
    expect "$engine: files counted after prune" test "$(jq .files <<<"$out")" = 110
    run check -d "$DB"
    expect_rc "$engine: sound after prune" 0

    # An interrupted prune: killed, then run again, ends exact.
    for f in $gone; do mv "$T/aside-$engine/$f" "$A/"; done
    "$NEWSIDX" index -q -d "$DB" "$A"
    for f in $gone; do mv "$A/$f" "$T/aside-$engine/"; done
    "$NEWSIDX" index -q --prune -d "$DB" "$A" &
    pid=$!
    sleep 0.2
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    run check -d "$DB"
    expect_rc "$engine: sound after a killed prune" 0
    "$NEWSIDX" index -q --prune -d "$DB" "$A"
    expect "$engine: prune again after the kill: exact" test "$("$NEWSIDX" search -d "$DB" --count newsroom)" = "$left"
    for f in $gone; do mv "$T/aside-$engine/$f" "$A/"; done
done

# Optimize (FTS5), whole and interrupted.
DB=$T/fts5.idx
"$NEWSIDX" index -q -d "$DB" "$A"
before=$("$NEWSIDX" search -d "$DB" --count newsroom)
"$NEWSIDX" optimize -d "$DB" &
pid=$!
sleep 0.1
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
run check -d "$DB"
expect_rc "fts5: sound after a killed optimize" 0
expect "fts5: nothing lost by a killed optimize" test "$("$NEWSIDX" search -d "$DB" --count newsroom)" = "$before"
run optimize -d "$DB"
expect_rc "optimize exits 0" 0
run check -d "$DB"
expect_rc "fts5: sound after optimize" 0
expect "fts5: same articles after optimize" test "$("$NEWSIDX" search -d "$DB" --count newsroom)" = "$before"

# Stemmed queries read the stems table: an index that lost it (a program
# changed the file by hand) says so, in check and in searches, rather than
# "out of memory" (which both said) or matching less without a word.
cp "$DB" "$T/nostems.idx"
sqlite3 "$T/nostems.idx" "DROP TABLE stems"
run check -d "$T/nostems.idx"
expect_rc "fts5: check finds a lost stems table" 2
expect "fts5: check names it" has "the stems table cannot be read (no such table: stems)" "$err"
run search -d "$T/nostems.idx" newsrooms
expect_rc "fts5: a stemmed search on it fails" 2
expect "fts5: naming the stems table" has "stems table cannot be read" "$err"
run search -d "$T/nostems.idx" '"newsrooms were"'
expect_rc "fts5: so does a phrase" 2
expect "fts5: a phrase's message is not 'out of memory'" lacks "out of memory" "$err"
run search -d "$T/nostems.idx" --count =newsroom
expect_rc "fts5: an exact word needs no stems" 0

# A search looks its terms up in every segment of the FTS5 index (rows
# (segment << 37) + page of articles_fts_data), so an indexing run that
# leaves more than a quarter of the index outside its largest segment
# merges them into one: here 6,000 articles committed 500 at a time (five
# segments without the merge). A small run after it leaves its own segment
# alone rather than rewrite the index.
segments() {
    sqlite3 "$1" "SELECT count(DISTINCT id >> 37) FROM articles_fts_data WHERE id >= 1 << 37"
}
DB=$T/fts5-segments.idx
"$NEWSIDX" index -q --batch 500 -d "$DB" "$A"
n=$(segments "$DB")
expect "fts5: an indexing run of 12 commits ends with one segment ($n)" test "$n" = 1
printf '{"id":"seg-1","body":"A newsroom note on harbour cranes."}\n' >"$T/one.jsonl"
"$NEWSIDX" index -q -d "$DB" "$T/one.jsonl"
n=$(segments "$DB")
expect "fts5: a one-article run after it adds a segment, merges nothing ($n)" test "$n" = 2
expect "fts5: every article found across the segments" \
    test "$("$NEWSIDX" search -d "$DB" --count newsroom)" = "$((before + 1))"
# Replacing articles: each one's old words go out with FTS5's 'delete'
# command. Run as an INSERT ... SELECT it wrote out FTS5's pending words
# at its savepoint, and 100 replaced articles left 20 new segments (a run
# replacing 3,156 articles of the 100 MB bench archive took 5.8 s, 2.3 s
# without). With FTS5's own merging off (automerge 0, read from the
# index's config table by each new connection), the run must add one.
sqlite3 "$DB" "INSERT OR REPLACE INTO articles_fts_config(k, v) VALUES ('automerge', 0)"
for f in $(ls "$A" | head -n 2); do
    sed -i 's/"body": "/"body": "Corrected: /' "$A/$f"
done
run index -d "$DB" "$A"
expect "fts5: two edited files, 100 articles replaced" has "100 updated" "$out"
n=$(segments "$DB")
expect "fts5: 100 replaced articles add one segment, not one each ($n)" test "$n" = 3
expect "fts5: the replaced articles found by their new word" \
    test "$("$NEWSIDX" search -d "$DB" --count corrected)" = 100
run check -d "$DB"
expect_rc "fts5: sound after replacing articles" 0

# Optimize (Xapian): a compact copy takes the index's place, whole or not at
# all. Every commit leaves Xapian's B-trees partly empty (the index above
# was written in 120 commits, one per file), so indexing itself compacts a
# database that has grown by more than a quarter since it was last
# compacted: optimize then finds little to gain.
XDB=$T/xapian.idx
rm -rf "$XDB"
"$NEWSIDX" index -q --engine xapian -d "$XDB" "$A"
xbefore=$("$NEWSIDX" search -d "$XDB" -f ids -n 50 newsroom)
xsize=$(du -sb "$XDB" | cut -f1)
mkdir -p "$XDB.compact" && echo stale >"$XDB.compact/left-over" # an interrupted optimize's
run optimize -d "$XDB"
expect_rc "xapian: optimize exits 0" 0
xafter=$(du -sb "$XDB" | cut -f1)
expect "xapian: indexing left the index compact (optimize: $xsize -> $xafter bytes)" \
    test $((xafter * 20)) -ge $((xsize * 19))
expect "xapian: same results, same order after optimize" \
    test "$("$NEWSIDX" search -d "$XDB" -f ids -n 50 newsroom)" = "$xbefore"
expect "xapian: no copy left beside the index" test ! -e "$XDB.compact"
run check -d "$XDB"
expect_rc "xapian: sound after optimize" 0
run index -d "$XDB" "$A"
expect "xapian: after optimize, the archive is unchanged" has "0 added, 0 updated" "$out"
mkdir -p "$XDB.compact" && echo stale >"$XDB.compact/left-over"
printf '{"id":"late-1","body":"A late newsroom note."}\n' >"$T/late.jsonl"
run index -d "$XDB" "$T/late.jsonl"
expect "xapian: an index run removes the copy an interrupted compaction left" \
    test "$rc" = 0 -a ! -e "$XDB.compact"
"$NEWSIDX" index -q --engine xapian --shards 2 -d "$T/sharded.idx" "$A"
sbefore=$("$NEWSIDX" search -d "$T/sharded.idx" -f ids -n 50 newsroom)
run optimize -d "$T/sharded.idx"
expect_rc "xapian, 2 shards: optimize exits 0" 0
expect "xapian, 2 shards: same results after optimize" \
    test "$("$NEWSIDX" search -d "$T/sharded.idx" -f ids -n 50 newsroom)" = "$sbefore"
run check -d "$T/sharded.idx"
expect_rc "xapian, 2 shards: sound after optimize" 0

# A compaction at the end of an indexing run that cannot be made (here no
# room beside the index: its parent folder is not writable) is a warning:
# the run's articles are committed and it exits 0. Root ignores
# permissions, so as root this runs as user nobody, or is skipped.
W=$T/shelf
mkdir -p "$W"
"$PY" "$ROOT/tests/gen_archive.py" "$W/one" --articles 300 --files 3 --seed 41 >/dev/null
"$PY" "$ROOT/tests/gen_archive.py" "$W/two" --articles 300 --files 3 --seed 42 --tag two >/dev/null
AS=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 711 "$T" && chmod -R a+rX "$W" && chown -R 65534:65534 "$W"
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" = 0 ] && [ ${#AS[@]} = 0 ]; then
    echo "# running as root without a way to drop privileges: failed-compaction check skipped"
else
    "${AS[@]}" "$NEWSIDX" index -q --engine xapian -d "$W/x.idx" "$W/one"
    chmod a-w "$W"
    out=$("${AS[@]}" "$NEWSIDX" index -d "$W/x.idx" "$W/two" 2>"$T/.err")
    rc=$?
    err=$(cat "$T/.err")
    chmod u+w "$W"
    expect_rc "xapian: a compaction without room: the run still exits 0" 0
    expect "xapian: a compaction without room: a warning says why" \
        has "warning: the index was not compacted" "$err"
    expect "xapian: a compaction without room: every article committed" \
        test "$("$NEWSIDX" search -d "$W/x.idx" --count newsroom)" = 600
fi

# An empty file is not an index: optimize and check leave it alone (optimize
# once made an index of it).
: >"$T/empty.db"
run optimize -d "$T/empty.db"
expect_rc "optimize on an empty file: exit 2" 2
expect "optimize on an empty file: says so" has "is an empty file, not an index yet" "$err"
run check -d "$T/empty.db"
expect_rc "check on an empty file: exit 2" 2
expect "the empty file is left empty" test ! -s "$T/empty.db"

# check finds damage: pages of the file overwritten.
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(stat -c %s "$DB")

# Stored text (index-schema/fts5-v4.sql): bodies are kept as they are until
# the index holds a megabyte, then a dictionary is trained on them and every
# body, those first ones included, is compressed with it; every text comes
# back whole.
PDB=$T/packed.idx
"$NEWSIDX" index -q -d "$PDB" "$A"
n=$(sqlite3 "$PDB" 'select count(*) from articles')
raw=$(sqlite3 "$PDB" "select count(*) from articles where substr(body, 1, 1) = x'00'")
expect "stored text: one dictionary trained" test "$(sqlite3 "$PDB" 'select count(*) from dictionaries')" = 1
expect "stored text: the first articles compressed too ($raw of $n raw)" test "$raw" = 0
# The first articles' rows shrank when they were compressed: put back rather
# than updated in place, they fill their pages (updated in place, the table's
# pages were 67% used).
fill=$(sqlite3 "$PDB" "select sum(payload) * 100 / sum(pgsize) from dbstat where name = 'articles'")
expect "stored text: the articles' pages are full ($fill% used)" test "$fill" -ge 90
text=$("$NEWSIDX" stats -d "$PDB" --format json | jq .text_bytes)
expect "stored text: the stored bodies take well under half their text" \
    test "$(sqlite3 "$PDB" 'select sum(length(body)) from articles')" -lt $((text / 2))
id=$(head -n 1 "$(ls "$A"/*.jsonl | tail -n 1)" | jq -r .id)
want=$(head -n 1 "$(ls "$A"/*.jsonl | tail -n 1)" | jq -r .body)
run show -d "$PDB" -f json "$id"
expect "stored text: a compressed article comes back whole" test "$(jq -r .body <<<"$out")" = "$want"
first=$(head -n 1 "$(ls "$A"/*.jsonl | head -n 1)" | jq -r .id)
run show -d "$PDB" -f json "$first"
expect "stored text: an article compressed after the dictionary was trained comes back whole" \
    test "$(jq -r .body <<<"$out")" = "$(head -n 1 "$(ls "$A"/*.jsonl | head -n 1)" | jq -r .body)"
# An index with a text stored as is among compressed ones (as older
# versions left the first megabyte): optimize compresses it.
jq -j .body <<<"$out" >"$T/first.txt"
sqlite3 "$PDB" "UPDATE articles SET body = CAST(x'00' || readfile('$T/first.txt') AS BLOB)
                WHERE id = '$first'"
run optimize -d "$PDB"
expect_rc "stored text: optimize exits 0" 0
expect "stored text: optimize compressed a text stored as is" \
    test "$(sqlite3 "$PDB" "select substr(hex(body), 1, 2) from articles where id = '$first'")" = 01
run show -d "$PDB" -f json "$first"
expect "stored text: ... and it comes back whole" \
    test "$(jq -j .body <<<"$out")" = "$(cat "$T/first.txt")"
expect "stored text: every article still found" test "$("$NEWSIDX" search -d "$PDB" --count newsroom)" = "$n"
run check -d "$PDB"
expect_rc "stored text: check after optimize: sound" 0
# An index whose dictionary row is gone: reading a compressed text fails
# with a message that says so, not a crash or garbage.
cp "$PDB" "$T/nodict.idx"
sqlite3 "$T/nodict.idx" "DELETE FROM dictionaries"
run show -d "$T/nodict.idx" -f json "$id"
expect_rc "no dictionary: exit 2" 2
expect "no dictionary: the message says the index lacks it" \
    has "names a compression dictionary the index does not hold" "$err"
# One article's compressed text damaged inside its row: SQLite's pages are
# sound, so check once said "ok" and only searches failed; it now reads
# every text and names the article.
cp "$PDB" "$T/hurt.idx"
sqlite3 "$T/hurt.idx" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
"$PY" - "$T/hurt.idx" "$id" <<'PYEOF'
import sqlite3, sys
path, art = sys.argv[1], sys.argv[2]
body = sqlite3.connect(path).execute("select body from articles where id = ?", (art,)).fetchone()[0]
data = bytearray(open(path, "rb").read())
at = data.find(body)
assert at > 0 and body[0] == 1, "a compressed body, found once in the file"
data[at + 12] ^= 0x55
open(path, "wb").write(data)
PYEOF
run check -d "$T/hurt.idx"
expect_rc "a damaged stored text: check exits 2" 2
expect "a damaged stored text: check names the article" \
    has "1 stored article text is damaged (cannot be decompressed): $id" "$err"
# A search that finds it still shows every hit (it failed as a whole): the
# damaged one without a snippet, named on stderr, and exits 2 as grep does.
run search -d "$T/hurt.idx" -f json -n 0 newsroom
expect_rc "a damaged stored text: a search that finds it exits 2" 2
expect "a damaged stored text: ... but lists every hit" test "$(jq '.results | length' <<<"$out")" = "$n"
expect "a damaged stored text: ... the damaged one without a snippet" \
    test "$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .snippets | length' <<<"$out")" = 0
expect "a damaged stored text: ... the others with theirs" \
    test "$(jq '[.results[] | select(.snippets | length == 1)] | length' <<<"$out")" = $((n - 1))
expect "a damaged stored text: ... and says which" \
    has "the stored text of article $id is damaged" "$err"
run search -d "$T/hurt.idx" -f ids -n 0 newsroom
expect_rc "a damaged stored text: ids need no text: exit 0" 0
run show -d "$T/hurt.idx" "$id"
expect_rc "a damaged stored text: show exits 2" 2
dd if=/dev/urandom of="$DB" bs=4096 seek=$((size / 4096 / 2)) count=4 conv=notrunc 2>/dev/null
run check -d "$DB"
expect_rc "check: damage found, exit 2" 2
expect "check: says what is wrong, without a raw SQLite message alone" has "$DB" "$err"
finish
