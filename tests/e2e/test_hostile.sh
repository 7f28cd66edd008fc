# test_hostile.sh - hostile input files and hostile queries.
#
# A folder of bad inputs next to a generated archive of good ones: every bad
# input is reported with a clear message naming the file (and its line when
# there is one), or - for odd but readable input - indexed so that its text
# can be found; the good archive is indexed in full; the run exits 1 and
# nothing crashes (exit code never above 2, no "Segmentation", no sanitizer
# report).
#
# Queries with every FTS5 operator in odd places, 10,000 terms, 100 and 101
# nested parentheses and control characters: each exits 0 or 1, or 2 with a
# `query:1:N:` message, never crashes, and never lets "sqlite" or "fts5"
# through to stderr.
. "$(dirname "$0")/lib.sh"
# A private copy of the (statically linked) binary, so that a rebuild of
# build/newsidx while this long test runs cannot disturb it.
cp "$NEWSIDX" "$T/newsidx-under-test" && NEWSIDX=$T/newsidx-under-test
out= err= rc=0
GEN=$ROOT/tests/gen_archive.py
PY=$(python3 -c 'import sys; print(sys.executable)')
H=$T/hostile
DB=$T/hostile.db

# no_crash NAME: the last run did not crash.
no_crash() {
    expect "$1: exit code 0-2 (got $rc)" test "$rc" -le 2
    expect "$1: no segmentation fault" lacks "Segmentation" "$err"
    expect "$1: no sanitizer report" eval '! grep -qE "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:" <<<"$err"'
}

# found NAME QUERY: QUERY finds at least one article in $DB.
found() {
    local o
    o=$("$NEWSIDX" search -d "$DB" --count "$2" 2>/dev/null)
    expect "$1" test "${o:-0}" -gt 0
}

# --------------------------------------------------------------- the inputs
good=$("$PY" "$GEN" "$H/good" --articles 200 --files 4 --seed 41 --format mixed)
mkdir -p "$H/bad"
"$PY" - "$H/bad" <<'EOF'
import gzip, os, random, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
w("invalid-utf8.txt", b"Title: Invalid UTF-8\n\nBad \xff\xfe bytes zyxinvalid and a lone \x80 byte, a surrogate \xed\xa0\x80 too.\n")
w("overlong-utf8.txt", b"Title: Overlong UTF-8\n\nOverlong zyxoverlong slash \xc0\xaf, NUL \xc0\x80, \xe0\x80\xaf, \xf0\x80\x80\xaf and 5 bytes \xf8\x88\x80\x80\x80.\n")
w("mixed-utf8.jsonl", b'{"id":"u1","title":"Caf\xc3\xa9","body":"Valid zyxvalidutf word."}\n'
  b'{"id":"u2","title":"Broken \xff","body":"Invalid zyxbadutf \xc0\xaf bytes."}\n')
w("nul-bytes.txt", b"Title: NUL bytes\n\nText with a NUL\x00 in the middle\x00 of zyxnul words.\n")
w("empty.txt", b"")
w("empty.jsonl", b"")
w("binary.html", bytes(range(256)) * 64)
w("binary.jsonl", bytes((i * 37 + 11) % 256 for i in range(20000)))
w("deep.html", b"<html><head><title>Deep nesting</title></head><body><article>"
  + b"<div>" * 100000 + b"zyxdeepword inside" + b"</div>" * 100000 + b"</article></body></html>\n")
w("unclosed.html", b"<html><head><title>Unclosed tags</title></head><body><article><p>Start "
  + b"<b><i><span><em>" * 2500 + b"zyxunclosedword at the end</article></body></html>\n")
w("broken.jsonl",
  b'{"id":"b1","title":"Good before","body":"Fine zyxbrokenok line."}\n'
  b'{"id":"b2","title":"Broken",\n'
  b'{"id":"b3","title":"Good after","body":"Another fine zyxbrokenok line."}\n'
  b'{"id":\n'
  b'"just a string"\n'
  b'{"id":"b6","title":"Trailing garbage","body":"x"} trailing\n'
  b'{"id":"b7","title":' + b'[' * 100000 + b'\n'
  b'{"id":"b8","title":"Last good","body":"Last zyxbrokenok line."}\n')
w("numbers.jsonl",
  b'{"id":"n1","title":"Huge exponent","body":"Exponent zyxnumber story.","views":1e999999}\n'
  b'{"id":"n2","title":"Huge integer","body":"Integer zyxnumber story.","views":123456789012345678901234567890}\n'
  b'{"id":123456789012345678901234567890,"title":"Numeric id","body":"Numeric id zyxnumber story."}\n'
  b'{"id":"n4","title":"Negative","body":"Negative zyxnumber story.","date":-1e999999}\n'
  b'{"id":"n5","title":"Epoch","body":"Epoch zyxnumber story.","date":99999999999999999999}\n')
w("bigstring.jsonl", b'{"id":"s1","title":"Ten megabytes","body":"zyxbigstring ' + b"abcdefghi " * 1000000 + b'"}\n'
  b'{"id":"s2","title":"After big","body":"Small zyxafterbig story."}\n')
rng = random.Random(5)
blob = "".join('{"id":"gz%d","title":"Gz %d","body":"Gzipped %s."}\n' % (i, i, rng.random()) for i in range(2000))
gz = gzip.compress(blob.encode())
w("truncated.jsonl.gz", gz[: len(gz) // 2])
w("name with spaces.txt", b"Title: Spaces in the name\n\nA file whose name has zyxspaces.\n")
w("name\nwith\nnewlines.txt", b"Title: Newlines in the name\n\nA file whose name has zyxnewlines.\n")
w("bad\nname.jsonl", b"{oops\n")
w("year0.txt", b"Title: Year zero\nDate: 0000-01-01\n\nAn article dated in the zyxyearzero.\n")
w("year99999.txt", b"Title: Year 99999\nDate: 99999-01-01\n\nAn article dated in the zyxyearfar.\n")
w("years.jsonl", b'{"id":"y0","title":"Year zero JSON","body":"Zero zyxyearjson.","date":"0000-06-01T00:00:00Z"}\n'
  b'{"id":"y9","title":"Far future JSON","body":"Future zyxyearjson.","date":"99999-12-31"}\n')
# A JSON Lines file with one corrupt line (random bytes, NULs included)
# early in it, as a damaged disk block leaves: the other lines must survive.
junk = bytes(rng.randrange(256) for _ in range(1500)).replace(b"\n", b"")
w("corrupt-line.jsonl",
  b'{"id":"c1","title":"Before","body":"Before the zyxcorrupt line."}\n'
  b'{"id":"c2","title":"Before 2","body":"Also before the zyxcorrupt line."}\n'
  + junk + b"\n"
  b'{"id":"c4","title":"After","body":"After the zyxcorrupt line."}\n'
  b'{"id":"c5","title":"After 2","body":"Also after the zyxcorrupt line."}\n')
os.makedirs(os.path.join(d, "loop", "inner"))
os.symlink("..", os.path.join(d, "loop", "inner", "up"))
EOF
# 100 MB of text without a newline.
head -c 100000000 /dev/zero | tr '\0' 'a' >"$H/bad/huge-no-newline.txt"
printf ' zyxhugeend\n' >>"$H/bad/huge-no-newline.txt"
truncate -s -1 "$H/bad/huge-no-newline.txt" # no newline at all
bad_inputs=$(find "$H/bad" -mindepth 1 -maxdepth 1 | wc -l)

# ------------------------------------------------------------ indexing them
run index -d "$DB" "$H"
no_crash "hostile folder"
expect_rc "hostile folder: exit 1 (some input bad, the rest indexed)" 1
echo "# $bad_inputs bad inputs beside $good good articles"
all_err=$err

# Every good article indexed.
expect "good archive: every generated article indexed" \
    test "$("$NEWSIDX" search -d "$DB" --count newsroom 2>/dev/null)" = "$good"

B=$(basename "$H")/bad
expect "invalid UTF-8: named with its line" has "$B/invalid-utf8.txt:3:" "$err"
found "invalid UTF-8: the article is indexed" zyxinvalid
expect "overlong UTF-8: named with its line" has "$B/overlong-utf8.txt:3:" "$err"
found "overlong UTF-8: the article is indexed" zyxoverlong
expect "invalid UTF-8 in JSON Lines: named with its line" has "$B/mixed-utf8.jsonl:2:" "$err"
found "invalid UTF-8 in JSON Lines: the line is kept" zyxbadutf
found "invalid UTF-8 in JSON Lines: the valid line is kept" zyxvalidutf
expect "NUL bytes: the file is named" has "$B/nul-bytes.txt:" "$err"
expect "empty .txt: named" has "$B/empty.txt: empty file" "$err"
expect "empty .jsonl: named" has "$B/empty.jsonl: empty file" "$err"
expect "binary .html: named" has "$B/binary.html:" "$err"
expect "binary .jsonl: named" has "$B/binary.jsonl:" "$err"
run search -d "$DB" --count zyxdeepword
expect "100,000 nested <div>: the text is indexed, or the file is named in a warning" \
    test "${out:-0}" -gt 0 -o -n "$(grep -F "$B/deep.html" <<<"$all_err")"
run search -d "$DB" --count zyxunclosedword
expect "10,000 unclosed tags: the text is indexed, or the file is named in a warning" \
    test "${out:-0}" -gt 0 -o -n "$(grep -F "$B/unclosed.html" <<<"$all_err")"
err=$all_err
for n in 2 4 5 6 7; do
    expect "broken JSON line $n named with its line" has "$B/broken.jsonl:$n:" "$err"
done
expect "broken JSON Lines: the good lines around them indexed" \
    test "$("$NEWSIDX" search -d "$DB" --count zyxbrokenok 2>/dev/null)" = 3
expect "huge numbers: every record indexed" \
    test "$("$NEWSIDX" search -d "$DB" --count zyxnumber 2>/dev/null)" = 5
expect "corrupt line in JSON Lines: named with its line" has "$B/corrupt-line.jsonl:3:" "$err"
expect "corrupt line in JSON Lines: the four good lines indexed" \
    test "$("$NEWSIDX" search -d "$DB" --count zyxcorrupt 2>/dev/null)" = 4
found "10 MB string: indexed" zyxbigstring
found "10 MB string: the next line indexed" zyxafterbig
expect "truncated gzip: named" has "$B/truncated.jsonl.gz: gzip data is truncated" "$err"
expect "symlink loop: reported" has "symbolic link loop" "$err"
found "space in a file name: indexed" zyxspaces
found "newlines in a file name: indexed" zyxnewlines
run show -d "$DB" -f json "$B/name with spaces.txt"
expect "space in a file name: the id is the path" test "$(jq -r .title <<<"$out" 2>/dev/null)" = "Spaces in the name"
err=$all_err
expect "bad file with a newline in its name: named" has "$B/bad" "$err"
expect "year 0: warned, named with the header's line" has "$B/year0.txt:2: unrecognised date" "$err"
expect "year 99999: warned, named with the header's line" has "$B/year99999.txt:2: unrecognised date" "$err"
expect "year 0 in JSON Lines: warned with its line" has "$B/years.jsonl:1: unrecognised date" "$err"
expect "year 99999 in JSON Lines: warned with its line" has "$B/years.jsonl:2: unrecognised date" "$err"
run show -d "$DB" -f json "$B/year0.txt"
expect "year 0: article kept without a date" test "$(jq -r '.date' <<<"$out" 2>/dev/null)" = null
run show -d "$DB" -f json y9
expect "year 99999: article kept without a date" test "$(jq -r '.date' <<<"$out" 2>/dev/null)" = null
expect "huge file without newline: indexed or named" \
    eval 'has "huge-no-newline.txt" "$err" || [ "$(sqlite3 -readonly "$DB" "select count(*) from articles where fileno in (select fileno from files where path like '"'"'%huge-no-newline.txt'"'"')")" = 1 ]'
expect "integrity_check ok after the hostile folder" \
    test "$(sqlite3 -readonly "$DB" 'PRAGMA integrity_check')" = ok

# JSON Lines on stdin with a broken line and a corrupt (binary) line.
{
    printf '{"id":"in1","title":"Stdin","body":"Stdin zyxstdin story."}\n'
    printf '\xff\xfe{broken\n'
    "$PY" -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(1500)).replace(b"\n", b""))'
    printf '\n{"id":"in2","title":"Stdin two","body":"Second zyxstdin story."}\n'
} >"$T/stdin.jsonl"
out=$("$NEWSIDX" index -d "$DB" - <"$T/stdin.jsonl" 2>"$T/.err")
rc=$?
err=$(cat "$T/.err")
no_crash "hostile stdin"
expect "hostile stdin: broken line named with its line" has "<stdin>:2:" "$err"
expect "hostile stdin: corrupt line named with its line" has "<stdin>:3:" "$err"
expect "hostile stdin: the good lines indexed" \
    test "$("$NEWSIDX" search -d "$DB" --count zyxstdin 2>/dev/null)" = 2
head -c 5000 "$H/bad/binary.jsonl" >"$T/binary.stdin"
out=$("$NEWSIDX" index -d "$DB" - <"$T/binary.stdin" 2>"$T/.err")
rc=$?
err=$(cat "$T/.err")
no_crash "binary stdin"
expect_rc "binary stdin: exit 1" 1
expect "binary stdin: named" has "<stdin>: binary data" "$err"
expect "binary stdin: counted as bad, not as indexed" has "1 files: 0 indexed, 0 unchanged, 1 bad" "$out"

# ------------------------------------------------------------------ queries
QDB=$T/queries.db
"$PY" "$GEN" "$T/qa" --articles 40 --files 1 --seed 42 >/dev/null
"$NEWSIDX" index -q -d "$QDB" "$T/qa"
nq=0
# query NAME ARGS...: one search (the arguments are the query's words).
query() {
    local name=$1
    shift
    nq=$((nq + 1))
    out=$("$NEWSIDX" search -d "$QDB" -f json -n 3 -- "$@" 2>"$T/.err")
    rc=$?
    err=$(cat "$T/.err")
    if [ "$rc" -le 1 ] && ! grep -qiE 'sqlite|fts5|Segmentation|Sanitizer|runtime error' <<<"$err"; then
        ok "query $name: exit $rc"
    elif [ "$rc" = 2 ] && grep -qE '^newsidx: query:1:[0-9]+: ' <<<"$err" &&
        ! grep -qiE 'sqlite|fts5|Segmentation|Sanitizer|runtime error' <<<"$err"; then
        ok "query $name: exit 2, query:1:N: message"
    else
        not_ok "query $name: exit 0/1, or 2 with query:1:N:, no sqlite/fts5/crash" \
            "exit $rc" "query: $(printf '%q' "$*" | head -c 200)" "stderr: ${err:0:300}"
    fi
}

for q in 'AND' 'OR' 'NOT' 'OR NOT' 'AND AND' 'kherson AND' 'AND kherson' 'NOT NOT' 'kherson OR NOT istanbul' \
    'kherson AND OR istanbul' 'NEAR/' 'NEAR/5' 'kherson NEAR/ istanbul' 'kherson NEAR/x istanbul' \
    'kherson NEAR/0 istanbul' 'kherson NEAR/99999999999999 istanbul' 'NEAR/5 kherson' 'kherson NEAR/5' \
    'NEAR(' 'NEAR(,)' 'NEAR()' 'NEAR(kherson istanbul,)' 'NEAR(kherson, 5)' 'NEAR(kherson istanbul, -1)' \
    'NEAR(kherson istanbul, 99999999999999999999)' 'NEAR(kherson istanbul' 'NEAR(,kherson istanbul)' \
    'NEAR(NEAR(kherson istanbul))' 'NEAR("kherson istanbul" deal, 3)' 'near(kherson istanbul)' \
    '^' '^kherson' 'kherson^' '^"kherson"' 'title:^kherson' \
    '*' '**' 'kherson*' '*kherson' 'k*' '"kher*"' 'kher**' 'title:*' \
    ':' '::' 'title:' ':kherson' 'kherson:' 'kherson:istanbul' 'articles_fts:kherson' 'rank:1' 'rowid:1' \
    '{}' '{title}' '{title body}: kherson' '{title}:kherson' '- {title}: kherson' \
    '+' '+kherson' 'kherson + istanbul' '"kherson" + "istanbul"' \
    '"' '""' '"kherson' 'kherson"' '"""' '"kherson" "' '""kherson""' \
    '(' ')' '()' '(()' '())' ')(' '(kherson' 'kherson)' '(kherson OR)' '(OR kherson)' '(-kherson)' \
    '-' '--' '- -' '-kherson' 'NOT kherson' '-(kherson)' '=' '==kherson' '=-kherson' \
    "'" '\' 'kherson\' "kherson' OR 1=1 --" '); DROP TABLE articles; --' \
    'title:(kherson OR istanbul)' 'body:NEAR(kherson istanbul)' 'source:' 'date:' 'date:99999' \
    'after:0000-01-01' 'date:2022-13' 'lang:xx' 'title:title:kherson' 'url:' 'url:"'; do
    query "$(printf '%q' "$q")" "$q"
done
# Operators as separate words, as a shell would pass them.
query "words: kherson OR NOT istanbul" kherson OR NOT istanbul
query "words: NEAR( kherson istanbul , 2 )" 'NEAR(' kherson istanbul , 2 ')'
query "words: ( ( kherson" '(' '(' kherson

# 10,000 terms, all alternatives (one argument each).
mapfile -t words < <("$PY" -c 'print("\n".join("kherson%d OR" % i for i in range(9999)) + "\nnewsroom")')
query "10,000 alternatives" "${words[@]}"
# Nesting: 100 levels is allowed, 101 is a clear error.
p100=$(printf '(%.0s' {1..100})
c100=$(printf ')%.0s' {1..100})
query "100 nested parentheses" "${p100}kherson${c100}"
expect "100 nested parentheses: accepted (exit 0/1)" test "$rc" -le 1
query "101 nested parentheses" "(${p100}kherson${c100})"
expect "101 nested parentheses: exit 2" test "$rc" = 2
expect "101 nested parentheses: says how deep" grep -qE 'query:1:[0-9]+: .*(nest|deep)' <<<"$err"
query "101 open parentheses only" "(${p100}"
p1000=$(printf '(%.0s' {1..1000})
c1000=$(printf ')%.0s' {1..1000})
query "100,000 nested parentheses" $(printf "$p1000 %.0s" {1..100}) kherson $(printf "$c1000 %.0s" {1..100})
query "1,000 NOT" $(printf 'NOT %.0s' {1..1000}) kherson
query "1,000 minus signs" "$(printf -- '-%.0s' {1..1000})kherson"
query "1,001 quotes" "$(printf '"%.0s' {1..1001})"
query "NEAR of 2,000 words" "NEAR($("$PY" -c 'print(" ".join("w%d" % i for i in range(2000)))'), 5)"
query "a 100,000-letter word" "$(head -c 100000 /dev/zero | tr '\0' 'a')"

# Control characters and bad bytes.
query "SOH inside a word" $'kherson\x01istanbul'
query "only control characters" $'\x01\x02\x03\x7f'
query "tab, CR, LF" $'kherson\tistanbul\r\n'
query "ANSI escape" $'\x1b[31mkherson\x1b[0m'
query "backspace" $'kher\x08son'
query "invalid UTF-8" $'kherson\xff\xfe'
query "overlong UTF-8" $'\xc0\xaf'
query "lone continuation byte" $'\x80'
query "bidi and zero-width" $'\u202ekherson\u200b\u2066'
query "control characters in a phrase" $'"kherson\x01\x02istanbul"'
query "control characters in NEAR" $'NEAR(kherson\x1f istanbul, 3)'
query "control characters in a filter" $'source:\x01\x02'

echo "# $nq queries"
finish
