# test_crash.sh - "nothing lost on a crash": `newsidx index` is killed with
# SIGKILL at several points of a large run (while the index is being created,
# mid-run, at a point where a batch is open, near the end, inside one huge
# transaction, and while changed files are being re-indexed). After every
# kill the index must be whole: SQLite's integrity_check passes, the FTS5
# index holds exactly the stored articles, every file recorded in `files` has
# exactly its articles and no article lacks its file (a file longer than a
# batch is committed part-way, recorded as incomplete). A final run completes
# the archive with every article exactly once, and the run after that finds
# everything unchanged.
#
# Kill points that must land at an exact place use a FIFO "gate" given as
# an input path: the indexer blocks reading it (after everything before it
# was processed, with the current batch still uncommitted) and is killed
# there, so those points do not depend on timing. The others poll the index
# with sqlite3 and kill as soon as a condition holds.
. "$(dirname "$0")/lib.sh"
# A private copy of the (statically linked) binary, so that a rebuild of
# build/newsidx while this long test runs cannot disturb it.
# The Xapian engine's module goes with it: it is looked for beside newsidx.
cp "$(dirname "$NEWSIDX")/newsidx-xapian.so" "$T/" 2>/dev/null
cp "$NEWSIDX" "$T/newsidx-under-test" && NEWSIDX=$T/newsidx-under-test
out= err= rc=0
GEN=$ROOT/tests/gen_archive.py
# The interpreter itself, not a version-manager shim (slow to start).
PY=$(python3 -c 'import sys; print(sys.executable)')
A=$T/archive
DB=$T/crash.db
BATCH=500
KILLS=0     # kill points that landed (the indexer was killed, not finished)
MISSED=0    # polled kill points the indexer finished before

pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

# ro SQL: a read-only query of the index (never creates the file; waits on locks).
ro() { sqlite3 -readonly -cmd '.timeout 10000' "$DB" "$@" 2>&1; }

# The gate helper: waits until the indexer (pid $2) has opened the FIFO $1
# for reading - it then blocks reading it - and kills it with SIGKILL.
# Exits 3 if the indexer ended without reaching the gate.
cat >"$T/gate.py" <<'EOF'
import errno, os, signal, sys, time
fifo, pid = sys.argv[1], int(sys.argv[2])
def alive():
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
while True:
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        break
    except OSError as e:
        if e.errno != errno.ENXIO:
            raise
    if not alive():
        sys.exit(3)
    time.sleep(0.005)
# The indexer is now in read() on the gate: nothing more can happen there.
time.sleep(0.05)
os.kill(pid, signal.SIGKILL)
os.close(fd)
EOF
mkfifo "$T/gate.jsonl"

# start ARGS...: starts an indexer in the background; $ipid is its pid.
start() {
    "$NEWSIDX" index -q -d "$DB" "$@" >"$T/idx.out" 2>"$T/idx.err" &
    ipid=$!
    pids+=("$ipid")
}

# reap NAME: waits for the indexer and counts the kill point.
reap() {
    wait "$ipid" 2>/dev/null
    irc=$?
    if [ "$irc" -eq 137 ]; then
        KILLS=$((KILLS + 1))
        echo "# kill point $KILLS: $1 (articles in the index: $(ro 'select count(*) from articles' 2>/dev/null || echo none))"
    else
        MISSED=$((MISSED + 1))
        echo "# kill point '$1' missed: the indexer ended first (exit $irc)"
        head -c 600 "$T/idx.err" | sed 's/^/#   /'
    fi
}

# kill_when NAME SQL COND: polls SQL (read-only) until its output satisfies
# the shell test "COND" ($v is the value), then kills the indexer.
kill_when() {
    local name=$1 sql=$2 cond=$3 v
    while kill -0 "$ipid" 2>/dev/null; do
        if [ -e "$DB" ]; then
            v=$(sqlite3 -readonly -cmd '.timeout 2000' "$DB" "$sql" 2>/dev/null)
            if [ -n "$v" ] && eval "$cond"; then
                kill -KILL "$ipid" 2>/dev/null
                break
            fi
        fi
        sleep 0.05
    done
    reap "$name"
}

# kill_at_gate NAME: the indexer was started with the gate among its inputs.
kill_at_gate() {
    # (stderr hidden: bash would print "Killed" for the job here)
    { "$PY" "$T/gate.py" "$T/gate.jsonl" "$ipid"; } 2>/dev/null
    local grc=$?
    reap "$1"
    expect "$1: the indexer reached the gate and was killed there" test "$grc" = 0 -a "$irc" = 137
}

# check_whole NAME: the index after a kill is consistent.
check_whole() {
    local name=$1
    if [ "$(ro 'select count(*) from sqlite_master' 2>/dev/null)" = 0 ] ||
        [ ! -s "$DB" ]; then
        # Killed while the index was being created: no schema yet is fine,
        # as long as the file is sound and newsidx says so.
        expect "$name: integrity_check ok (index not created yet)" test "$(ro 'PRAGMA integrity_check')" = ok
        run search -d "$DB" --count newsroom
        expect "$name: search on the uncreated index is a clear error, not a crash" \
            test "$rc" = 2 -a -n "$err"
        return
    fi
    local n
    n=$(ro 'select count(*) from articles')
    run search -d "$DB" --count newsroom
    expect "$name: search works after the kill (exit 0/1)" test "$rc" -le 1
    expect "$name: FTS5 finds every stored article ($out vs $n)" test "${out:-0}" = "$n"
    expect "$name: integrity_check ok" test "$(ro 'PRAGMA integrity_check')" = ok
    expect "$name: FTS5 docsize rows == articles" \
        test "$(ro 'select count(*) from articles_fts_docsize')" = "$n"
    expect "$name: no article twice" test "$(ro 'select count(DISTINCT id) from articles')" = "$n"
    local bad
    # (size -1: a file longer than a batch, committed part-way; read again next run)
    bad=$(ro 'select path, articles, (select count(*) from articles a where a.fileno = f.fileno)
              from files f where size >= 0 and
              articles != (select count(*) from articles a where a.fileno = f.fileno)')
    expect "$name: every file recorded as complete has exactly its articles" test -z "$bad"
    [ -z "$bad" ] || echo "    mismatched files: ${bad:0:300}"
    expect "$name: no article without its file record (no half-indexed file)" \
        test "$(ro 'select count(*) from articles where fileno not in (select fileno from files)')" = 0
}

snapshot() {
    ro 'select id, hash, fileno from articles order by id' | md5sum
    ro 'select path, size, mtime_ns, hash, articles from files order by path' | md5sum
}

# 15,000 articles in 150 JSON Lines files of 100 articles.
total=$("$PY" "$GEN" "$A" --articles 15000 --files 150 --seed 11)
expect "generator made the archive" test "$total" = 15000 -a -e "$A/wire-0149.jsonl"
files=("$A"/wire-*.jsonl)

# 1. Early: as soon as the index file appears (during its creation).
start --batch $BATCH "$A"
kill_when "early: index file just created" "select 1" 'true'
# kill_when needs the file to answer a query; if the schema was not there
# yet it still answered "1", so this lands at or right after creation.
check_whole "early kill"

# 2. Early, deterministic: the index exists, the gate is the first input.
start --batch $BATCH "$T/gate.jsonl" "${files[@]}"
kill_at_gate "early: index open, before the first file"
check_whole "kill before the first file"

# 3. Mid-run, polled: once more than 4500 articles are committed.
start --batch $BATCH "$A"
kill_when "mid-run: past 4500 articles" 'select count(*) from articles' '[ "$v" -gt 4500 ]'
check_whole "mid-run kill"

# 4. Mid-run, deterministic: gate after the first half; the batch in
# progress (files since the last commit) is open when the kill comes.
# Files are read in order, 100 articles each, and a batch is committed
# after the file that brings it to 500 articles: from c articles present,
# the gate finds c + 500 * floor((8300 - c) / 500) committed.
c=$(ro 'select count(*) from articles')
start --batch $BATCH "${files[@]:0:83}" "$T/gate.jsonl" "${files[@]:83}"
kill_at_gate "mid-run: gate after 83 files, batch open"
check_whole "gate kill after 83 files"
n=$(ro 'select count(*) from articles')
if [ "$c" -lt 8300 ]; then want=$((c + BATCH * ((8300 - c) / BATCH))); else want=$c; fi
expect "gate after 83 files: whole batches committed, the open one lost ($n, from $c)" \
    test "$n" = "$want"

# 5. Late, polled: past 13500 of 15000 articles.
start --batch $BATCH "$A"
kill_when "late: past 13500 articles" 'select count(*) from articles' '[ "$v" -gt 13500 ]'
check_whole "late kill"

# 6. Late, deterministic: gate after the whole archive; the last batch is
# open (the rest left by kill 5 is a multiple of 500 articles, at most 1500,
# so batches of 700 always leave some uncommitted).
left=$((total - $(ro 'select count(*) from articles')))
start --batch 700 "${files[@]}" "$T/gate.jsonl"
kill_at_gate "late: whole archive read, last batch open"
check_whole "kill after the whole archive"
n=$(ro 'select count(*) from articles')
expect "late gate kill: whole batches of 700 committed, the open one lost ($n)" \
    test "$n" -eq $((total - left % 700)) -o "$left" -eq 0

# Complete the run: every article exactly once.
run index -d "$DB" --batch $BATCH "$A"
expect_rc "completing run exits 0" 0
expect "completing run: no problem reported" test -z "$err"
expect "complete: every article present ($(ro 'select count(*) from articles') of $total)" \
    test "$(ro 'select count(*) from articles')" = "$total"
expect "complete: no duplicates" test "$(ro 'select count(DISTINCT id) from articles')" = "$total"
check_whole "after completing"
run index -d "$DB" --batch $BATCH "$A"
expect "second full run: every file unchanged" has "150 files: 0 indexed, 150 unchanged, 0 bad" "$out"
expect "second full run: no article written" has "articles: 0 added, 0 updated, $total unchanged, 0 removed" "$out"

# --- Changed files: files 45-94 get new text and lose every 9th record;
# one new file. Kills while those are read again.
"$PY" "$GEN" "$T/v2" --articles 15000 --files 150 --seed 11 --tag v2 --skip-every 9 --units 45:95 >/dev/null
for i in $(seq 45 94); do
    f=$(printf 'wire-%04d.jsonl' "$i")
    cp "$T/v2/$f" "$A/$f"
done
"$PY" "$GEN" "$T/new" --articles 120 --files 1 --seed 12 >/dev/null
cp "$T/new/wire-0000.jsonl" "$A/wire-0150.jsonl"
total2=$(cat "$A"/wire-*.jsonl | wc -l)
files=("$A"/wire-*.jsonl)
expect "changed archive: fewer articles than before" test "$total2" -lt "$total"
size70=$(stat -c %s "$A/wire-0070.jsonl")
path70=$(realpath "$A/wire-0070.jsonl")

# 7. Re-indexing changed files, polled: once wire-0070 is committed again.
start --batch $BATCH "$A"
kill_when "changed files: after wire-0070 re-indexed" \
    "select size from files where path = '$path70'" "[ \"\$v\" = $size70 ]"
check_whole "kill while re-indexing changed files"
expect "changed files: some re-indexed before the kill" \
    test "$(ro "select count(*) from articles where title like '%Edition v2%'")" -gt 0

# 8. One huge transaction (--batch larger than the rest of the run), killed
# at the gate after all the remaining changed files: nothing of the run may
# remain; the index is exactly as before it.
before=$(snapshot)
start --batch 1000000 "${files[@]}" "$T/gate.jsonl"
kill_at_gate "changed files: one big transaction open"
check_whole "kill inside one big transaction"
expect "big transaction killed: the index is exactly as before the run" test "$(snapshot)" = "$before"

# 9. Changed files, deterministic gate at the end with normal batches.
start --batch $BATCH "${files[@]}" "$T/gate.jsonl"
kill_at_gate "changed files: all read, last batch open"
check_whole "kill after re-reading the changed files"

run index -d "$DB" --batch $BATCH "$A"
expect_rc "completing run after changes exits 0" 0
expect "complete after changes: exact total ($(ro 'select count(*) from articles') of $total2)" \
    test "$(ro 'select count(*) from articles')" = "$total2"
expect "complete after changes: no duplicates" \
    test "$(ro 'select count(DISTINCT id) from articles')" = "$total2"
expect "complete after changes: removed records are gone" \
    test "$(ro "select count(*) from articles where id = 'g11-0004509'")" = 0
expect "complete after changes: all 50 changed files carry the new text" \
    test "$(ro "select count(DISTINCT fileno) from articles where title like '%Edition v2%'")" = 50
check_whole "after completing the changed archive"
run index -d "$DB" --batch $BATCH "$A"
expect "run after that: every file unchanged" has "151 files: 0 indexed, 151 unchanged, 0 bad" "$out"
expect "run after that: no article written" has "articles: 0 added, 0 updated, $total2 unchanged, 0 removed" "$out"

# --- A file longer than a batch is committed in batches of its own. Its
# record says incomplete (size -1) until its end, so a run killed inside it
# keeps whole batches of it, and the next run reads it again, finds those
# unchanged and completes it.
"$PY" "$GEN" "$T/big" --articles 12000 --files 1 --seed 13 >/dev/null
BIG=$A/big.jsonl
cp "$T/big/wire-0000.jsonl" "$BIG"
bigpath=$(realpath "$BIG")
c=$(ro 'select count(*) from articles')
bigcount="select count(*) from articles where fileno = (select fileno from files where path = '$bigpath')"

# 10. A new big file, polled: killed once 1,000 of its articles are committed.
start --batch $BATCH "$BIG"
kill_when "big file: part-way through a new file" "$bigcount" '[ "$v" -ge 1000 ]'
check_whole "kill inside a big new file"
n=$(ro "$bigcount")
if [ "$irc" = 137 ]; then
    expect "big new file: whole batches of its own committed ($n)" \
        test "$n" -ge 1000 -a "$n" -lt 12000 -a $((n % BATCH)) = 0
    expect "big new file: recorded as incomplete" \
        test "$(ro "select size from files where path = '$bigpath'")" = -1
fi
run index -d "$DB" --batch $BATCH "$A"
expect_rc "completing the big file exits 0" 0
expect "big file complete: every article once ($(ro 'select count(*) from articles') of $((c + 12000)))" \
    test "$(ro 'select count(*) from articles')" = $((c + 12000)) -a \
    "$(ro 'select count(DISTINCT id) from articles')" = $((c + 12000))
expect "big file complete: the articles committed before the kill were unchanged" \
    has "articles: $((12000 - n)) added, 0 updated, $((c + n)) unchanged, 0 removed" "$out"
check_whole "after completing the big file"

# 11. The big file changed (every 9th record gone), polled: killed once
# 1,000 of its new articles are in. Its old record must not survive.
"$PY" "$GEN" "$T/big2" --articles 12000 --files 1 --seed 13 --tag v2 --skip-every 9 >/dev/null
cp "$T/big2/wire-0000.jsonl" "$BIG"
big2=$(wc -l <"$BIG")
start --batch $BATCH "$A"
kill_when "big file: part-way through re-reading it" \
    "$bigcount and title like '%Edition v2%'" '[ "$v" -ge 1000 ]'
check_whole "kill while re-reading a big changed file"
if [ "$irc" = 137 ]; then
    expect "big changed file: recorded as incomplete, not as its old version" \
        test "$(ro "select size from files where path = '$bigpath'")" = -1
fi
run index -d "$DB" --batch $BATCH "$A"
expect_rc "completing the changed big file exits 0" 0
expect "changed big file complete: exact total ($(ro 'select count(*) from articles') of $((c + big2)))" \
    test "$(ro 'select count(*) from articles')" = $((c + big2)) -a \
    "$(ro "$bigcount")" = "$big2"
expect "changed big file complete: only the new text" \
    test "$(ro "select count(*) from articles where fileno = (select fileno from files
             where path = '$bigpath') and title not like '%Edition v2%'")" = 0
check_whole "after completing the changed big file"
run index -d "$DB" --batch $BATCH "$A"
expect "run after the big file: every file unchanged" has "152 files: 0 indexed, 152 unchanged, 0 bad" "$out"

# An id in two files, dropped by the later one in a run killed after the
# removal was committed and before the article was read back from the
# earlier file: the next run reads it back, though it has nothing else to
# do (the removal marked the index).
for engine in fts5 xapian; do
    d=$T/restore-$engine
    mkdir -p "$d"
    printf '{"id":"x1","title":"T","body":"apples"}\n' >"$d/a.jsonl"
    printf '{"id":"x1","title":"T","body":"bananas"}\n' >"$d/b.jsonl"
    "$NEWSIDX" index -q --engine "$engine" -d "$d/idx" "$d/a.jsonl" "$d/b.jsonl"
    printf '{"id":"b9","title":"T","body":"cherries"}\n' >"$d/b.jsonl"
    printf '{"id":"c1","title":"T","body":"dates"}\n' >"$d/c.jsonl"
    # (c's article commits the transaction that holds b's removal)
    "$NEWSIDX" index -q --batch 1 -d "$d/idx" "$d/b.jsonl" "$d/c.jsonl" "$T/gate.jsonl" \
        >/dev/null 2>&1 &
    ipid=$!
    { "$PY" "$T/gate.py" "$T/gate.jsonl" "$ipid"; } 2>/dev/null
    grc=$?
    wait "$ipid" 2>/dev/null
    irc=$?
    expect "$engine: restore: the indexer was killed at the gate" test "$grc" = 0 -a "$irc" = 137
    run search -d "$d/idx" -f ids apples OR bananas
    expect "$engine: restore: the removal was committed, the article not back yet" \
        test -z "$out"
    run index -d "$d/idx" "$d/b.jsonl"
    expect "$engine: restore: the next run reads it back" \
        has "a.jsonl: restored 1 article from this file" "$err"
    run search -d "$d/idx" -f ids apples
    expect "$engine: restore: found again" test "$out" = "x1"
    run index -d "$d/idx" "$d/b.jsonl"
    expect "$engine: restore: the run after has nothing to say" test -z "$err"
done

echo "# $KILLS kill points landed, $MISSED missed"
expect "at least 10 of the 11 kill points landed" test "$KILLS" -ge 10
finish
