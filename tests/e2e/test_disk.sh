# test_disk.sh - a full disk and a read-only index.
#
# A file-size limit (prlimit --fsize, with SIGXFSZ ignored so that write()
# fails with EFBIG, as on a full disk) stops `newsidx index` part-way. It
# must exit 2 with a clear message (the disk or the file limit, and that
# committed work is kept), and the index must still open, pass SQLite's
# integrity_check and hold exactly the files committed before the failure,
# each complete. A later run without the limit completes the archive. The
# same while changed files are being re-indexed, and while the index is
# being created.
#
# A read-only index (the file, or its folder, not writable) gives a clear
# error on `index` and can still be searched. Root ignores permissions, so as
# root those parts run as user nobody (setpriv) when that is possible, and
# are skipped - saying so - when it is not.
. "$(dirname "$0")/lib.sh"
# A private copy of the (statically linked) binary, so that a rebuild of
# build/newsidx while this long test runs cannot disturb it.
cp "$NEWSIDX" "$T/newsidx-under-test" && NEWSIDX=$T/newsidx-under-test
out= err= rc=0
GEN=$ROOT/tests/gen_archive.py
PY=$(python3 -c 'import sys; print(sys.executable)')
A=$T/archive
DB=$T/disk.db

ro() { sqlite3 -readonly -cmd '.timeout 10000' "$DB" "$@" 2>&1; }

# limited BYTES ARGS...: runs newsidx with a file size limit of BYTES and
# SIGXFSZ ignored. Its stdout and stderr go through pipes (the limit applies
# to every file the process writes, redirected output included).
limited() {
    local lim=$1
    shift
    rm -f "$T/.lrc"
    (
        trap '' XFSZ
        if command -v prlimit >/dev/null; then
            { prlimit --fsize="$lim" "$NEWSIDX" "$@" 2>&3 3>&-; echo $? >"$T/.lrc"; } | cat >"$T/.lout"
        else
            { (ulimit -f $((lim / 1024)) && exec "$NEWSIDX" "$@") 2>&3 3>&-; echo $? >"$T/.lrc"; } |
                cat >"$T/.lout"
        fi
    ) 3>&1 | cat >"$T/.lerr"
    rc=$(cat "$T/.lrc")
    out=$(cat "$T/.lout")
    err=$(cat "$T/.lerr")
}

# clear_disk_error NAME: the last run stopped on the limit, and said so.
clear_disk_error() {
    expect_rc "$1: exit 2" 2
    expect "$1: the message says disk full / file size limit" grep -qiE 'disk|file size|limit|space' <<<"$err"
    expect "$1: the message says committed work is kept" grep -qiE 'kept|keeps' <<<"$err"
    expect "$1: the message names the index" has "$DB" "$err"
    expect "$1: no crash" lacks "Segmentation" "$err"
}

# consistent NAME: the index opens and holds whole files only.
consistent() {
    local n bad
    run stats -d "$DB" --format json
    expect_rc "$1: the index still opens (stats exit 0)" 0
    expect "$1: integrity_check ok" test "$(ro 'PRAGMA integrity_check')" = ok
    n=$(ro 'select count(*) from articles')
    run search -d "$DB" --count newsroom
    expect "$1: search works and finds every stored article ($out vs $n)" test "${out:-0}" = "$n"
    expect "$1: FTS5 docsize rows == articles" test "$(ro 'select count(*) from articles_fts_docsize')" = "$n"
    bad=$(ro 'select path from files f where articles != (select count(*) from articles a where a.fileno = f.fileno)')
    expect "$1: every recorded file has exactly its articles" test -z "$bad"
    expect "$1: no article without its file record" \
        test "$(ro 'select count(*) from articles where fileno not in (select fileno from files)')" = 0
    expect "$1: stored articles == sum over recorded files" \
        test "$(ro 'select coalesce(sum(articles), 0) from files')" = "$n"
}

# 5,000 articles in 50 files: an index of about 5 MB.
total=$("$PY" "$GEN" "$A" --articles 5000 --files 50 --seed 31)
files=("$A"/wire-*.jsonl)

# 1. The limit is reached part-way through the first run.
limited 2000000 index -d "$DB" --batch 500 "$A"
clear_disk_error "2 MB limit"
consistent "after the 2 MB limit"
k=$(ro 'select count(*) from files')
expect "some files were committed before the limit, not all ($k of 50)" test "$k" -gt 0 -a "$k" -lt 50
want=$(for f in "${files[@]:0:$k}"; do realpath "$f"; done)
expect "the recorded files are exactly the first $k, in order" \
    test "$(ro 'select path from files order by path')" = "$want"
expect "whole batches were kept ($(ro 'select count(*) from articles') articles)" \
    test $(($(ro 'select count(*) from articles') % 500)) = 0

run index -d "$DB" --batch 500 "$A"
expect_rc "later run without the limit exits 0" 0
expect "later run: only the missing files read" has "50 files: $((50 - k)) indexed, $k unchanged" "$out"
expect "later run: the archive is complete" test "$(ro 'select count(*) from articles')" = "$total"
expect "later run: no duplicates" test "$(ro 'select count(DISTINCT id) from articles')" = "$total"
consistent "after completing"

# 2. The limit is reached while changed files are read again: 20 files get
# new text. The limit applies to writes at any offset past it, so 4 MB (below
# the 5 MB index) caps the WAL at 4 MB: a few batches fit, then a commit
# fails. (An FTS5 segment merge can rewrite much of the index in one batch,
# so a much lower cap lets no batch through.)
"$PY" "$GEN" "$T/v2" --articles 5000 --files 50 --seed 31 --tag v2 --units 10:30 >/dev/null
cp "$T/v2"/*.jsonl "$A/"
limited 4000000 index -d "$DB" --batch 200 "$A"
clear_disk_error "limit while re-indexing"
consistent "after the limit while re-indexing"
mixed=$(ro "select fileno from articles group by fileno
            having sum(title like '%Edition v2%') not in (0, count(*))")
expect "no file half old, half new" test -z "$mixed"
v2=$(ro "select count(DISTINCT fileno) from articles where title like '%Edition v2%'")
expect "some changed files were committed before the limit, not all ($v2 of 20)" \
    test "$v2" -gt 0 -a "$v2" -lt 20
run index -d "$DB" "$A"
expect_rc "later run after the re-index limit exits 0" 0
expect "every changed file now has its new text" \
    test "$(ro "select count(*) from articles where title like '%Edition v2%'")" = 2000
expect "still every article once" test "$(ro 'select count(DISTINCT id) from articles')" = "$total"
consistent "after completing the re-index"
run index -d "$DB" "$A"
expect "then every file is unchanged" has "50 files: 0 indexed, 50 unchanged" "$out"

# 3. No room even to create the index.
for lim in 0 20000; do
    DB=$T/tiny$lim.db
    limited $lim index -d "$DB" "${files[0]}"
    expect_rc "limit $lim while creating: exit 2" 2
    expect "limit $lim while creating: a message on stderr" test -n "$err"
    expect "limit $lim while creating: the message says disk / limit" grep -qiE 'disk|file size|limit|space' <<<"$err"
    run index -d "$DB" "${files[0]}"
    expect_rc "limit $lim: a later run creates the index" 0
    expect "limit $lim: and indexes the file" test "$(ro 'select count(*) from articles')" = 100
    expect "limit $lim: integrity_check ok" test "$(ro 'PRAGMA integrity_check')" = ok
done

# 4. Room for the run, not for the merge at its end: merging the full-text
# index into one segment writes a copy of it (fts5_store.c, fts5_settle).
# The run's articles are committed by then, so it warns and exits 0. The
# limit that does this is found by raising it a megabyte at a time (with
# 5,000 articles committed 500 at a time, a window of a few megabytes
# around 15 MB), so the test does not hang on the exact figure.
DB=$T/merge.db
found=
for mb in $(seq 8 40); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    limited $((mb * 1000000)) index -d "$DB" --batch 500 "$A"
    [ "$rc" = 0 ] || continue
    has "not compacted" "$err" && found=$mb
    break
done
expect "a limit lets every batch in but not the merge (${found:-none} MB)" test -n "$found"
if [ -n "$found" ]; then
    expect "no room for the merge: a warning that names the merge and the limit" \
        grep -qE 'warning: .*merging the full-text index: .*(disk|limit)' <<<"$err"
    consistent "no room for the merge"
    expect "no room for the merge: every article committed" \
        test "$(ro 'select count(*) from articles')" = "$total"
    segs() { ro "SELECT count(DISTINCT id >> 37) FROM articles_fts_data WHERE id >= 1 << 37"; }
    expect "no room for the merge: the segments are left as they were ($(segs))" test "$(segs)" -gt 1
    run optimize -d "$DB"
    expect_rc "with room, optimize merges them" 0
    expect "then one segment" test "$(segs)" = 1
fi

# 5. A read-only index. As root, run the commands as nobody when possible.
R=$T/ro
mkdir -p "$R"
"$PY" "$GEN" "$R/a" --articles 300 --files 3 --seed 32 >/dev/null
"$PY" "$GEN" "$R/b" --articles 100 --files 1 --seed 33 >/dev/null
AS=()
can_test_perms=yes
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null; then
        chmod 711 "$T"
        chmod -R a+rX "$R"
        chown -R 65534:65534 "$R"
        AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        "${AS[@]}" test -w "$R" -a -x "$NEWSIDX" || can_test_perms=no
    else
        can_test_perms=no
    fi
fi
# as_user ARGS...: runs newsidx as the test user (nobody when root).
as_user() {
    out=$("${AS[@]}" "$NEWSIDX" "$@" 2>"$T/.err")
    rc=$?
    err=$(cat "$T/.err")
}
if [ "$can_test_perms" = no ]; then
    echo "# running as root without a way to drop privileges: read-only index checks skipped"
else
    [ ${#AS[@]} -gt 0 ] && echo "# running as root: read-only index checks run as user nobody"
    DB=$R/ro.db
    as_user index -q -d "$DB" "$R/a"
    expect_rc "read-only: index made by the test user" 0
    expect "read-only: a clean close leaves no -wal/-shm beside the index" test ! -e "$DB-wal" -a ! -e "$DB-shm"

    # The folder is read-only (an archive on read-only media, a shared
    # folder), the file writable.
    chmod a-w "$R"
    as_user search -d "$DB" --count newsroom
    expect_rc "read-only folder: search still works" 0
    expect "read-only folder: search finds every article" test "$out" = 300
    as_user stats -d "$DB"
    expect_rc "read-only folder: stats still works" 0
    as_user index -d "$DB" "$R/b"
    expect_rc "read-only folder: index exits 2" 2
    expect "read-only folder: clear message (permission / read-only)" grep -qiE 'permission|read-only|readonly' <<<"$err"
    expect "read-only folder: the message names the index" has "$DB" "$err"

    # Both read-only.
    chmod a-w "$DB"
    as_user search -d "$DB" --count newsroom
    expect_rc "read-only folder and file: search still works" 0
    chmod u+w "$R" "$DB"

    # The file is read-only, its folder writable.
    chmod a-w "$DB"
    as_user index -d "$DB" "$R/b"
    expect_rc "read-only file: index exits 2" 2
    expect "read-only file: clear message (permission / read-only)" grep -qiE 'permission|read-only|readonly' <<<"$err"
    expect "read-only file: the message names the index" has "$DB" "$err"
    as_user search -d "$DB" --count newsroom
    expect_rc "read-only file: search still works" 0
    expect "read-only file: nothing lost" test "$out" = 300

    # Write permission given back: the failed attempt must not have left
    # anything that keeps the index read-only.
    chmod u+w "$DB"
    as_user index -d "$DB" "$R/b"
    expect_rc "write permission back: index works again" 0
    expect "write permission back: the new file indexed" \
        test "$(sqlite3 -readonly "$DB" 'select count(*) from articles')" = 400
    [ "$rc" = 0 ] || echo "    left beside the index: $(cd "$R" && ls -l ro.db* | awk '{print $1, $NF}' | tr '\n' ' ')"
fi
[ "$(id -u)" = 0 ] && chown -R 0:0 "$R" 2>/dev/null
chmod -R u+w "$T" 2>/dev/null
finish
