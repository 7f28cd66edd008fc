# test_concurrency.sh - searching while indexing, and two indexers at once.
#
# While `newsidx index` writes a large archive in batches, two background
# loops run `newsidx search --count` without pause. Every search must exit 0
# or 1 (never 2), print nothing about locks ("locked", "busy") on stderr, and
# the count each loop sees must never go down. A second indexer on the same
# index, started mid-run, must either wait and succeed, or fail cleanly (exit
# 2, a message naming another process / busy) - never corrupt anything:
# afterwards integrity_check passes and every article is there exactly once.
# Then changed files are re-indexed while the loops search: every search must
# see the full count (an update never shows half-done).
. "$(dirname "$0")/lib.sh"
# A private copy of the (statically linked) binary, so that a rebuild of
# build/newsidx while this long test runs cannot disturb it.
# The Xapian module goes beside it, where newsidx looks for it.
cp "$(dirname "$NEWSIDX")/newsidx-xapian.so" "$T/newsidx-xapian.so"
cp "$NEWSIDX" "$T/newsidx-under-test" && NEWSIDX=$T/newsidx-under-test
out= err= rc=0
GEN=$ROOT/tests/gen_archive.py
PY=$(python3 -c 'import sys; print(sys.executable)')
A=$T/archive
DB=$T/conc.db
WORD=newsroom # in every generated article

pids=()
cleanup() {
    local p
    : >"$T/stop" 2>/dev/null
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

ro() { sqlite3 -readonly -cmd '.timeout 10000' "$DB" "$@" 2>&1; }

# search_loop N: searches until $T/stop exists; one log line per search:
# "phase exit count", and the stderr of any search that printed one.
search_loop() {
    local n=0 c rc phase
    while [ ! -e "$T/stop" ]; do
        phase=$(cat "$T/phase")
        c=$("$NEWSIDX" search -d "$DB" --count "$WORD" 2>"$T/s$1.err")
        rc=$?
        n=$((n + 1))
        echo "$phase $rc ${c:-none}" >>"$T/log$1"
        if [ -s "$T/s$1.err" ]; then
            { echo "search $n (exit $rc):"; head -c 300 "$T/s$1.err"; echo; } >>"$T/stderr$1"
        fi
        echo "$n" >"$T/n$1.tmp" && mv "$T/n$1.tmp" "$T/n$1"
    done
}

# searches_done N: how many searches loop N has finished.
searches_done() {
    local v
    v=$(cat "$T/n$1" 2>/dev/null)
    echo "${v:-0}"
}

# wait_searches K: waits until both loops finished K more searches than now
# (so that at least one search of each started after this point).
wait_searches() {
    local k=$1 t1 t2 i
    t1=$(($(searches_done 1) + k))
    t2=$(($(searches_done 2) + k))
    for i in $(seq 1 6000); do
        [ "$(searches_done 1)" -ge "$t1" ] && [ "$(searches_done 2)" -ge "$t2" ] && return 0
        sleep 0.05
    done
    return 1
}

# Phase 0: two indexers and a search start together on an index that does
# not exist yet, 20 times. Both indexers must succeed (or fail saying the
# index is busy); the search may find nothing or say there is no index yet,
# but nobody may call the half-created index "not a newsidx index". (This
# race is timing-dependent: a bug shows in some of the tries, not all.)
"$PY" "$GEN" "$T/tiny" --articles 30 --files 1 --seed 23 >/dev/null
race_bad=""
for try in $(seq 1 20); do
    rdb=$T/race$try.db
    "$NEWSIDX" index -q -d "$rdb" "$T/tiny" 2>"$T/r1.err" &
    r1=$!
    "$NEWSIDX" index -q -d "$rdb" "$T/tiny" 2>"$T/r2.err" &
    r2=$!
    "$NEWSIDX" search -d "$rdb" --count newsroom >/dev/null 2>"$T/r3.err" &
    r3=$!
    pids+=("$r1" "$r2" "$r3")
    wait "$r1"; c1=$?
    wait "$r2"; c2=$?
    wait "$r3"; c3=$?
    for x in 1:$c1 2:$c2; do
        f=$T/r${x%%:*}.err
        c=${x#*:}
        if [ "$c" != 0 ] && ! { [ "$c" = 2 ] && grep -qiE 'another|busy' "$f"; }; then
            race_bad+="try $try: indexer ${x%%:*} exit $c: $(head -c 200 "$f"); "
        fi
    done
    if [ "$c3" -gt 2 ] || grep -qiE 'not a newsidx|locked|busy' "$T/r3.err"; then
        race_bad+="try $try: search exit $c3: $(head -c 200 "$T/r3.err"); "
    fi
    n=$(sqlite3 -readonly "$rdb" 'select count(*) from articles' 2>&1)
    [ "$n" = 30 ] || race_bad+="try $try: $n articles; "
done
expect "phase 0: 20 races creating the index: no indexer fails, nobody says 'not a newsidx index'" \
    test -z "$race_bad"
[ -z "$race_bad" ] || echo "    ${race_bad:0:600}"

# The same with the Xapian engine, stricter: both indexers must succeed (a
# writer waits for the other's lock, as FTS5's busy timeout does; it once
# failed at once with "DatabaseLockError", or called the folder being
# created "not a newsidx index"), each with its own file.
"$PY" "$GEN" "$T/tiny2" --articles 30 --files 1 --seed 24 --tag two >/dev/null
xrace_bad=""
for try in $(seq 1 10); do
    rdb=$T/xrace$try.idx
    "$NEWSIDX" index -q --engine xapian -d "$rdb" "$T/tiny" 2>"$T/r1.err" &
    r1=$!
    "$NEWSIDX" index -q --engine xapian -d "$rdb" "$T/tiny2" 2>"$T/r2.err" &
    r2=$!
    pids+=("$r1" "$r2")
    wait "$r1"; c1=$?
    wait "$r2"; c2=$?
    [ "$c1" = 0 ] || xrace_bad+="try $try: indexer 1 exit $c1: $(head -c 200 "$T/r1.err"); "
    [ "$c2" = 0 ] || xrace_bad+="try $try: indexer 2 exit $c2: $(head -c 200 "$T/r2.err"); "
    n=$("$NEWSIDX" stats -d "$rdb" --format json 2>&1 | jq -r .articles 2>&1)
    [ "$n" = 60 ] || xrace_bad+="try $try: $n articles; "
done
expect "phase 0: 10 races creating a Xapian index: both indexers finish, 60 articles" \
    test -z "$xrace_bad"
[ -z "$xrace_bad" ] || echo "    ${xrace_bad:0:600}"

# The archive, and an index that already holds a first small file.
total=$("$PY" "$GEN" "$A" --articles 10000 --files 100 --seed 21)
seed=$("$PY" "$GEN" "$T/seed" --articles 120 --files 1 --seed 22)
run index -q -d "$DB" "$T/seed"
expect_rc "index created with a first file" 0
expect=$((total + seed))

echo 1 >"$T/phase"
search_loop 1 &
pids+=($!)
search_loop 2 &
pids+=($!)
expect "both search loops running" wait_searches 1

# Phase 1: the big run, and a second indexer once it is well under way.
"$NEWSIDX" index -d "$DB" --batch 500 "$A" >"$T/a.out" 2>"$T/a.err" &
apid=$!
pids+=("$apid")
for i in $(seq 1 1200); do
    n=$(ro 'select count(*) from articles' 2>/dev/null)
    [ "${n:-0}" -gt $((seed + 2000)) ] && break
    kill -0 "$apid" 2>/dev/null || break
    sleep 0.05
done
"$NEWSIDX" index -d "$DB" --batch 300 "$A" >"$T/b.out" 2>"$T/b.err" &
bpid=$!
pids+=("$bpid")
wait "$apid"
arc=$?
wait "$bpid"
brc=$?
expect "phase 1: the searches went on after both indexers ended" wait_searches 2
echo 2 >"$T/phase"

for x in a:$arc b:$brc; do
    who=${x%%:*}
    code=${x#*:}
    msg=$(head -c 600 "$T/$who.err")
    if [ "$code" = 0 ]; then
        ok "indexer $who finished (exit 0)"
        echo "# indexer $who: exit 0: $(cat "$T/$who.out")"
    elif [ "$code" = 2 ] && grep -qiE 'another|busy' <<<"$msg"; then
        ok "indexer $who failed cleanly: exit 2, says another process/busy"
        echo "# indexer $who: $msg"
    else
        not_ok "indexer $who: exit 0, or exit 2 with a clear busy message" "exit $code" "stderr: $msg"
    fi
done
expect "at least one indexer completed" test "$arc" = 0 -o "$brc" = 0
expect "phase 1: integrity_check ok" test "$(ro 'PRAGMA integrity_check')" = ok
expect "phase 1: every article once ($(ro 'select count(*) from articles') of $expect)" \
    test "$(ro 'select count(*) from articles')" = "$expect"
expect "phase 1: no duplicate ids" test "$(ro 'select count(DISTINCT id) from articles')" = "$expect"
expect "phase 1: FTS5 rows == articles" test "$(ro 'select count(*) from articles_fts_docsize')" = "$expect"
run search -d "$DB" --count "$WORD"
expect "phase 1: search finds every article" test "$out" = "$expect"
run index -d "$DB" "$A"
expect "phase 1: a later run finds every file unchanged" has "100 files: 0 indexed, 100 unchanged" "$out"

# Phase 2: 30 files change (same records, new text); while they are read
# again, every search must see all articles - never an update half-applied.
"$PY" "$GEN" "$T/v2" --articles 10000 --files 100 --seed 21 --tag v2 --units 30:60 >/dev/null
cp "$T/v2"/*.jsonl "$A/"
run index -q -d "$DB" --batch 200 "$A"
expect_rc "phase 2: re-indexing changed files exits 0" 0
expect "phase 2: the searches went on after the re-index" wait_searches 2
: >"$T/stop"
wait "${pids[@]:0:2}" 2>/dev/null
expect "phase 2: changed text indexed" test "$(ro "select count(*) from articles where title like '%Edition v2%'")" = 3000
expect "phase 2: integrity_check ok" test "$(ro 'PRAGMA integrity_check')" = ok
expect "phase 2: still every article once" test "$(ro 'select count(DISTINCT id) from articles')" = "$expect"

# What the loops saw.
for l in 1 2; do
    log=$T/log$l
    n=$(wc -l <"$log")
    echo "# search loop $l: $n searches ($(grep -c '^1 ' "$log") while indexing, $(grep -c '^2 ' "$log") while re-indexing)"
    expect "loop $l: searched throughout (at least 3 searches)" test "$n" -ge 3
    bad=$(awk '$2 > 1' "$log" | head -3)
    expect "loop $l: every search exited 0 or 1" test -z "$bad"
    [ -z "$bad" ] || echo "    $bad"
    e=$(cat "$T/stderr$l" 2>/dev/null)
    expect "loop $l: no search printed locked/busy" eval '! grep -qiE "locked|busy" <<<"$e"'
    expect "loop $l: no search printed anything on stderr" test -z "$e"
    [ -z "$e" ] || echo "    ${e:0:300}"
    dec=$(awk '{c = ($2 == 1 ? 0 : $3)} $2 <= 1 && NR > 1 && c < last {print "count " c " after " last; exit} $2 <= 1 {last = c}' "$log")
    expect "loop $l: the count never went down" test -z "$dec"
    [ -z "$dec" ] || echo "    $dec"
    expect "loop $l: first search saw the first file only" test "$(head -1 "$log" | cut -d' ' -f3)" = "$seed"
    expect "loop $l: searches after phase 1 saw every article" \
        test "$(grep '^1 ' "$log" | tail -1 | cut -d' ' -f3)" = "$expect"
    expect "loop $l: while re-indexing, every search saw every article" \
        test -z "$(awk -v e="$expect" '$1 == 2 && $3 != e' "$log")"
done
finish
