# test_maintenance.sh - newsidx check, optimize and index --prune, on both
# engines, and what an interrupted prune or optimize leaves behind.
. "$(dirname "$0")/lib.sh"
cp "$NEWSIDX" "$T/newsidx" && NEWSIDX=$T/newsidx
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
run optimize -d "$T/xapian.idx"
expect_rc "optimize on Xapian: nothing to do, exit 0" 0

# check finds damage: pages of the file overwritten.
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(stat -c %s "$DB")
dd if=/dev/urandom of="$DB" bs=4096 seek=$((size / 4096 / 2)) count=4 conv=notrunc 2>/dev/null
run check -d "$DB"
expect_rc "check: damage found, exit 2" 2
expect "check: says what is wrong, without a raw SQLite message alone" has "$DB" "$err"
finish
