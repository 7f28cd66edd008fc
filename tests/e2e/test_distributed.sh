# test_distributed.sh - an archive split into three Xapian shards, each
# served by its own xapian-tcpsrv on 127.0.0.1, searched as one: the same
# ids in the same order as one unsharded index; a stopped server makes the
# search fail naming it, or, with --allow-partial, return the rest and say so.
. "$(dirname "$0")/lib.sh"
if ! command -v xapian-tcpsrv >/dev/null; then
    not_ok "xapian-tcpsrv is installed (Debian package xapian-tools; make deps installs it)"
    finish
fi
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

"$NEWSIDX" index -q --engine xapian -d "$T/one.xdb" "$CORPUS"
run index --engine xapian --shards 3 -d "$T/sharded" "$CORPUS"
expect_rc "index --shards 3" 0
# The shard limit (NX_MAX_SHARDS) is what --help and the man page state.
run index --engine xapian --shards 1025 -d "$T/toomany" "$CORPUS"
expect_rc "index --shards 1025: refused" 2
expect "index --shards 1025: the message gives the limit" has "at most 1024" "$err"
expect "index --shards 1025: nothing created" test ! -e "$T/toomany"
expect "index --help states the limit" has "at most 1024" "$("$NEWSIDX" index --help)"
expect "the man page states the limit" grep -q "N is at most 1024" "$ROOT/docs/newsidx.1"
expect "three shard folders" test -d "$T/sharded/shard0" -a -d "$T/sharded/shard1" -a -d "$T/sharded/shard2"
run stats -d "$T/sharded" --format json
expect "shards hold every article once" test "$(jq .articles <<<"$out")" = 62
n0=$("$NEWSIDX" stats -d "$T/sharded/shard0" --format json | jq .articles)
n1=$("$NEWSIDX" stats -d "$T/sharded/shard1" --format json | jq .articles)
expect "articles are spread over the shards" test "$n0" -gt 5 -a "$n1" -gt 5

# A free port for each server: bind to port 0 and read what was given.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
urls=()
for i in 0 1 2; do
    port=$(free_port)
    xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$T/sharded/shard$i" &
    pids+=($!)
    urls+=("tcp://127.0.0.1:$port")
done
# Wait until each server answers (bounded).
for u in "${urls[@]}"; do
    for _ in $(seq 50); do
        "$NEWSIDX" stats -d "$u" >/dev/null 2>&1 && break
        sleep 0.1
    done
done

queries=('kyiv' 'Baklanov conditions' 'negotiating' '"security guarantees"' 'macron -putin'
         'date:2022-12' 'lang:fr' 'negot*' 'NEAR(haines winter, 30)' 'title:kherson OR body:crimea'
         '"security guarantee"' 'NEAR(negotiate conditions, 10)')
for q in "${queries[@]}"; do
    one=$("$NEWSIDX" search -d "$T/one.xdb" -f ids -n 0 -- "$q")
    local_shards=$("$NEWSIDX" search -d "$T/sharded" -f ids -n 0 -- "$q")
    remote=$("$NEWSIDX" search -d "${urls[0]}" -d "${urls[1]}" -d "${urls[2]}" -f ids -n 0 -- "$q")
    expect "local shards = one index, same order: $q" test "$local_shards" = "$one"
    expect "three servers = one index, same order: $q" test "$remote" = "$one"
done
# A phrase asks for the words a stem lists, which each shard keeps for its
# own articles: every shard's lists are read, not only the first one's (a
# combined database's metadata is its first part's). Ids p0, p2, p1 go to
# shards 0, 1, 2 (FNV-1a-64 of the id, modulo 3).
printf '%s\n' '{"id":"p0","body":"The ferries sailed at dawn."}' \
    '{"id":"p2","body":"The ferry sails today."}' '{"id":"p1","body":"Boats docked."}' \
    >"$T/ferries.jsonl"
run index --engine xapian --shards 3 -d "$T/ferries" "$T/ferries.jsonl"
run search -d "$T/ferries/shard2" -d "$T/ferries/shard1" -d "$T/ferries/shard0" -f ids -n 0 \
    '"ferry sail"'
expect "shards named last first: a phrase finds the inflections each shard lists ($out)" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "p0 p2 "
q='"security guarantee"'
one=$("$NEWSIDX" search -d "$T/one.xdb" -f ids -n 0 -- "$q")
remote=$("$NEWSIDX" search -d "${urls[2]}" -d "${urls[1]}" -d "${urls[0]}" -f ids -n 0 -- "$q")
expect "three servers, shard 0 last: a phrase of a singular finds the plural" \
    test -n "$one" -a "$(sort <<<"$remote")" = "$(sort <<<"$one")"
run search -d "${urls[0]}" -d "${urls[1]}" -d "${urls[2]}" -f json -n 1 'Baklanov conditions'
expect "remote json has highlights" test "$(jq '.results[0].snippets[0].highlights | length' <<<"$out")" -ge 2

kill -KILL "${pids[1]}"
wait "${pids[1]}" 2>/dev/null
run search -d "${urls[0]}" -d "${urls[1]}" -d "${urls[2]}" -f ids kyiv
expect_rc "a stopped server: exit 2" 2
expect "a stopped server is named" has "${urls[1]#tcp://}" "$err"
run search --allow-partial -d "${urls[0]}" -d "${urls[1]}" -d "${urls[2]}" -f ids -n 0 kyiv
expect_rc "--allow-partial: the rest is searched" 0
expect "--allow-partial says results are partial" has "partial" "$err"
expect "--allow-partial names the missing server" has "${urls[1]#tcp://}" "$err"
all=$("$NEWSIDX" search -d "$T/one.xdb" -f ids -n 0 kyiv | sort)
part=$(sort <<<"$out")
expect "--allow-partial results are a subset" test -z "$(comm -13 <(echo "$all") <(echo "$part"))"
# Local databases that are not there, or not indexes, are left out the same
# way (they once failed the search as if --allow-partial had not been given).
mkdir -p "$T/not-an-index"
: >"$T/a-file"
run search -d "$T/one.xdb" -d "$T/gone.xdb" -f ids -n 0 kyiv
expect_rc "a missing local database: exit 2" 2
expect "a missing local database is named" has "$T/gone.xdb: no index there" "$err"
run search --allow-partial -d "$T/one.xdb" -d "$T/gone.xdb" -d "$T/not-an-index" -d "$T/a-file" \
    -f ids -n 0 kyiv
expect_rc "--allow-partial with a missing local database: the rest is searched" 0
expect "--allow-partial: all the rest's results" test "$(sort <<<"$out")" = "$all"
expect "--allow-partial names the missing database" has "skipped $T/gone.xdb: no index there" "$err"
expect "--allow-partial names the folder that is no index" \
    has "skipped $T/not-an-index: a folder but not a newsidx index" "$err"
expect "--allow-partial names the file" has "skipped $T/a-file: a file (an FTS5 index" "$err"
run search --allow-partial -d "$T/gone.xdb" -d "$T/not-an-index" -f ids kyiv
expect_rc "--allow-partial with nothing to search: exit 2" 2
expect "--allow-partial with nothing to search: says so" has "no database could be opened" "$err"
finish
