# test_bad_input.sh - a folder of good and bad inputs: every good record is
# indexed, every bad input is named with its file (and line), the exit code
# says some input was bad, and nothing crashes.
. "$(dirname "$0")/lib.sh"
D=$T/archive
mkdir -p "$D/sub"
printf 'Title: Good one\nDate: 2022-12-04\nSource: Test Wire\n\nThe quick brown ferret negotiates.\n' >"$D/good.txt"
head -c 4096 /dev/urandom >"$D/binary.txt"
printf '\0\0\0\1\2binary' >>"$D/binary.txt"
: >"$D/empty.txt"
printf 'Title: Latin one\n\nCaf\xe9 au lait in Montr\xe9al.\n' >"$D/latin1.txt"
printf 'Title: Mixed one\n\nValid \xc3\xa9 then broken \xc3\x28 bytes.\n' >"$D/mixed.txt"
{
    echo '{"id":"j1","title":"First wire","body":"Alpha story about wombats."}'
    echo '{"id":"j2","title":"Broken wire","body":"no closing brace"'
    echo '{"id":"j3","title":"Third wire","body":"Gamma story about wombats."}'
    echo '[1,2,3]'
    echo '{"id":"j5","headline":"","text":""}'
} >"$D/sub/feed.jsonl"
printf 'not gzip at all' | gzip | head -c 10 >"$D/truncated.jsonl.gz"
printf 'ignored' >"$D/notes.pdf"

run index -d "$T/db" "$D"
expect_rc "exit 1: some input was bad, the rest indexed" 1
expect "binary file named" has "binary.txt: binary data" "$err"
expect "empty file named" has "empty.txt: empty file" "$err"
expect "broken JSON line named with its line" has "feed.jsonl:2: invalid JSON" "$err"
expect "non-object line named" has "feed.jsonl:4: not a JSON object" "$err"
expect "record without text named" has "feed.jsonl:5: no title or text" "$err"
expect "truncated gzip named" has "truncated.jsonl.gz: gzip data is truncated" "$err"
expect "Latin-1 file: warned with its line" has "latin1.txt:3: not UTF-8" "$err"
expect "bad bytes in UTF-8 file: warned with its line" has "mixed.txt:3: invalid UTF-8" "$err"
expect "unknown extensions ignored silently" lacks "notes.pdf" "$err"
expect "summary counts bad files" has "3 bad;" "$out"
expect "summary counts bad records" has "3 bad records" "$out"

run stats -d "$T/db" --format json
# good.txt, latin1.txt, mixed.txt, j1, j3
expect "stats counts exactly the good articles" test "$(jq .articles <<<"$out")" = 5
run search -d "$T/db" -f ids wombat
expect "records around the broken line indexed" test "$(sort <<<"$out" | tr '\n' ' ')" = "j1 j3 "
run search -d "$T/db" -f ids 'Montréal'
expect "Latin-1 text decoded (é searchable)" test -n "$out"
run show -d "$T/db" -f json "$(basename "$D")/mixed.txt"
expect "invalid bytes replaced by U+FFFD" has "broken �( bytes" "$(jq -r .body <<<"$out")"

# Nothing already indexed is lost when a later run meets bad input.
printf '{"id":"k1","title":"Later","body":"Later story."}\n{oops\n' >"$T/later.jsonl"
run index -d "$T/db" "$T/later.jsonl"
expect_rc "later bad run exits 1" 1
run stats -d "$T/db" --format json
expect "earlier articles kept, good later record added" test "$(jq .articles <<<"$out")" = 6

# Unreadable file and a missing path.
printf 'Title: Secret\n\nHidden.\n' >"$T/secret.txt"
chmod 000 "$T/secret.txt"
if [ "$(id -u)" != 0 ]; then
    run index -d "$T/db" "$T/secret.txt"
    expect "unreadable file named" has "secret.txt: cannot read" "$err"
fi
run index -d "$T/db" "$T/does-not-exist"
expect_rc "missing path: exit 1" 1
expect "missing path named" has "does-not-exist: cannot read" "$err"

# Symlink loop.
mkdir -p "$T/loop/a"
ln -s .. "$T/loop/a/up"
printf 'Title: In loop\n\nLoop text.\n' >"$T/loop/a/x.txt"
run index -d "$T/loop.db" "$T/loop"
expect "symlink loop reported, not followed" has "symbolic link loop" "$err"
run stats -d "$T/loop.db" --format json
expect "file beside the loop indexed once" test "$(jq .articles <<<"$out")" = 1

# Not an index, a directory, a missing index.
printf 'hello' >"$T/notdb"
run search -d "$T/notdb" anything
expect_rc "not an index: exit 2" 2
expect "not an index: clear message" has "is not a newsidx index" "$err"
run search -d "$T" anything
expect_rc "directory as index: exit 2" 2
run search -d "$T/missing.db" anything
expect_rc "missing index: exit 2" 2
expect "missing index: says how to make one" has "newsidx index" "$err"
sqlite3 "$T/other.db" 'create table t(x)'
run stats -d "$T/other.db"
expect "foreign SQLite file refused" has "not a newsidx index" "$err"
sqlite3 "$T/db" "update meta set value='99' where key='schema_version'"
run search -d "$T/db" wombat
expect_rc "other schema version: exit 2" 2
expect "other schema version: clear message" has "schema version 99" "$err"
expect "no raw SQLite message leaks" lacks "SQLITE" "$err"

# libxml2 and libexttextcat are loaded when first needed: without them, an
# HTML page is named as unreadable (why, and what to install) and the
# other files are indexed, in the index's default language.
mkdir -p "$T/nolib/lib" "$T/nolib/in"
: >"$T/nolib/lib/libxml2.so.2"
: >"$T/nolib/lib/libexttextcat-2.0.so.0"
cp "$(ls "$CORPUS"/web/*.html | head -n 1)" "$T/nolib/in/page.html"
printf 'Ferry news\n\nLa traversée du ferry a commencé à l’aube depuis le port de Calais.\n' >"$T/nolib/in/a.txt"
out=$(LD_LIBRARY_PATH="$T/nolib/lib" "$NEWSIDX" index -d "$T/nolib.db" "$T/nolib/in" 2>"$T/.err")
rc=$?
err=$(cat "$T/.err")
expect_rc "no libxml2: exit 1 (some input bad)" 1
expect "no libxml2: the page is named, with what to install" \
    has "page.html: cannot read HTML: libxml2 could not be loaded" "$err"
expect "no libxml2: says which package" has "install Debian's libxml2 package" "$err"
run search -d "$T/nolib.db" -f json ferry
expect "no libexttextcat: the text file is indexed, in the default language" \
    test "$(jq -r '.results[0].lang' <<<"$out")" = en
run index -d "$T/nolib.db" "$T/nolib/in"
expect_rc "with the libraries, the page is read next time" 0

# The Xapian engine is a module (newsidx-xapian.so) loaded when a Xapian
# index is first opened: a newsidx without it still serves FTS5 indexes and
# says what is missing for a Xapian one; NEWSIDX_XAPIAN_MODULE names it.
MOD=$(dirname "$NEWSIDX")/newsidx-xapian.so
mkdir -p "$T/alone"
cp "$NEWSIDX" "$T/alone/newsidx"
"$NEWSIDX" index -q --engine xapian -d "$T/xap.idx" "$T/nolib/in/a.txt"
ALONE=$T/alone/newsidx
NEWSIDX=$ALONE run search -d "$T/nolib.db" ferry
expect_rc "no Xapian module: an FTS5 index is still searched" 0
if [ ! -e /usr/local/lib/newsidx/newsidx-xapian.so ]; then
    NEWSIDX=$ALONE run search -d "$T/xap.idx" ferry
    expect_rc "no Xapian module: a Xapian index is an error" 2
    expect "no Xapian module: the message names the module and the way out" \
        has "xap.idx: the Xapian engine (newsidx-xapian.so) was not found" "$err"
    expect "no Xapian module: ... and NEWSIDX_XAPIAN_MODULE" has "NEWSIDX_XAPIAN_MODULE" "$err"
fi
NEWSIDX_XAPIAN_MODULE=$MOD NEWSIDX=$ALONE run search -d "$T/xap.idx" ferry
expect_rc "NEWSIDX_XAPIAN_MODULE: the module named is used" 0
NEWSIDX_XAPIAN_MODULE=$T/none.so run search -d "$T/xap.idx" ferry
expect_rc "NEWSIDX_XAPIAN_MODULE naming nothing: exit 2" 2
expect "NEWSIDX_XAPIAN_MODULE naming nothing: said so" has "none.so, which does not exist" "$err"
: >"$T/alone/newsidx-xapian.so"
NEWSIDX=$ALONE run search -d "$T/xap.idx" ferry
expect_rc "a damaged module: exit 2" 2
expect "a damaged module: named, with the reason" \
    has "the Xapian engine ($T/alone/newsidx-xapian.so) could not be loaded" "$err"

# Fields of a type the reader cannot use: said with the line, article kept
# (once dropped in silence: an article stored with an empty body); a body
# given as paragraphs is read.
printf '%s\n' '{"id":"p1","title":"Paras","body":["first okapi paragraph","second one"]}' \
    '{"id":"p2","title":"Object body","body":{"text":"hidden"}}' \
    '{"id":"p3","title":"Fine","body":"plain text","date":{"y":2020}}' >"$T/types.jsonl"
run index -d "$T/types.db" "$T/types.jsonl"
expect_rc "unusable field types: the articles are kept, exit 0 (a warning)" 0
expect "an object body is named with file and line" \
    has "types.jsonl:2: 'body' is an object, not text; the field is left empty" "$err"
expect "an object date is named with file and line" has "types.jsonl:3: 'date' is an object" "$err"
run search -d "$T/types.db" -f ids okapi
expect "a body given as an array of paragraphs is searchable" test "$out" = p1
run search -d "$T/types.db" -f ids '"object body"'
expect "the article with the unusable body is kept (its title)" test "$out" = p2

# A file emptied since the last run: its articles go, as records removed do
# (they once stayed, and every run said "empty file" and exited 1).
mkdir -p "$T/emptied"
printf '%s\n' '{"id":"e1","title":"E","body":"sturgeon"}' >"$T/emptied/e.jsonl"
printf 'Title: T\n\nbeluga whales.\n' >"$T/emptied/t.txt"
"$NEWSIDX" index -q -d "$T/emptied.db" "$T/emptied"
: >"$T/emptied/e.jsonl"
: >"$T/emptied/t.txt"
run index -d "$T/emptied.db" "$T/emptied"
expect_rc "emptied files: exit 0" 0
expect "emptied files: their articles removed" has "2 removed" "$out"
expect "emptied files: nothing found of them" \
    test "$("$NEWSIDX" search -d "$T/emptied.db" --count sturgeon OR beluga)" = 0
: >"$T/emptied/new.jsonl"
run index -d "$T/emptied.db" "$T/emptied"
expect "a new empty file is still reported" has "new.jsonl: empty file; skipped" "$err"

# --prune does not forget the files of a folder it could not list
# (permissions): they are unread, not gone. Root reads everything, so as
# root this runs as user nobody, or is skipped.
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
    echo "# running as root without setpriv: unreadable-folder check skipped"
else
    AS=()
    P=$T/prunable
    mkdir -p "$P/arc/ok" "$P/arc/priv"
    printf 'Title: A\n\nnarwhal.\n' >"$P/arc/ok/a.txt"
    printf 'Title: B\n\nokapi herds.\n' >"$P/arc/priv/b.txt"
    if [ "$(id -u)" = 0 ]; then
        chmod 711 "$T" && chown -R 65534:65534 "$P"
        AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    "${AS[@]}" "$NEWSIDX" index -q -d "$P/t.db" "$P/arc"
    chmod 000 "$P/arc/priv"
    out=$("${AS[@]}" "$NEWSIDX" index -d "$P/t.db" --prune "$P/arc" 2>"$T/.err")
    rc=$?
    err=$(cat "$T/.err")
    chmod 755 "$P/arc/priv"
    expect_rc "--prune with an unreadable folder: exit 1 (it is reported)" 1
    expect "--prune with an unreadable folder: reported" has "cannot list folder" "$err"
    expect "--prune with an unreadable folder: its files are not forgotten" \
        test "$("$NEWSIDX" search -d "$P/t.db" --count okapi)" = 1
    rm "$P/arc/priv/b.txt"
    "${AS[@]}" "$NEWSIDX" index -q -d "$P/t.db" --prune "$P/arc"
    expect "--prune still forgets a file that is gone" \
        test "$("$NEWSIDX" search -d "$P/t.db" --count okapi)" = 0
fi

# A file name that is not UTF-8: the id writes the byte as %FF (it once went
# into the JSON raw, and no JSON reader could read the output), and show
# finds the article by that id.
mkdir -p "$T/names"
printf 'Title: X\n\nferret sightings.\n' >"$(printf '%s/names/bad\xffname.txt' "$T")"
"$NEWSIDX" index -q -d "$T/names.db" "$T/names"
run search -d "$T/names.db" -f json ferret
expect "a non-UTF-8 file name: the JSON output is UTF-8 JSON" \
    python3 -c 'import sys,json; json.loads(sys.stdin.buffer.read().decode("utf-8"))' <<<"$out"
expect "a non-UTF-8 file name: the id writes the byte as %FF" \
    test "$(jq -r '.results[0].id' <<<"$out")" = "names/bad%FFname.txt"
run show -d "$T/names.db" 'names/bad%FFname.txt'
expect_rc "a non-UTF-8 file name: show finds the article by its id" 0

# UTF-16 with a byte order mark ("Unicode" text from Windows), in the three
# formats: read, not rejected as binary as it once was.
mkdir -p "$T/u16"
python3 - "$T/u16" <<'PYEOF'
import sys
d = sys.argv[1]
open(d + "/a.txt", "wb").write("Title: Café\n\nLe café de l’Élysée ferme tôt.\n".encode("utf-16"))
lines = '{"id":"j1","title":"Ünïcode","body":"pangolin story"}\n{"id":"j2","body":"second pangolin"}\n'
open(d + "/b.jsonl", "wb").write(b"\xfe\xff" + lines.encode("utf-16-be"))
page = ("<html><head><title>Page</title></head><body><article><p>Aardvark news from the "
        "savanna, told at length so that the page has a real story in it.</p></article></body></html>")
open(d + "/c.html", "wb").write(page.encode("utf-16"))
PYEOF
run index -d "$T/u16.db" "$T/u16"
expect_rc "UTF-16 files: read without complaint" 0
expect "UTF-16 files: all four articles added" has "4 added" "$out"
run search -d "$T/u16.db" -f ids elysee
expect "UTF-16 text (little-endian): searchable, accents folded" test "$out" = u16/a.txt
run search -d "$T/u16.db" -f ids -n 0 pangolin
expect "UTF-16 JSON Lines (big-endian): both records" test "$(sort <<<"$out" | tr '\n' ' ')" = "j1 j2 "
run search -d "$T/u16.db" -f ids aardvark
expect "UTF-16 HTML: searchable" test "$out" = u16/c.html
finish
