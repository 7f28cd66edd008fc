# test_index.sh - `newsidx index` and `newsidx stats` on the shipped corpus:
# counts, skipping unchanged files, re-indexing changed ones without
# duplicates, and the index file's own checks.
. "$(dirname "$0")/lib.sh"
DB=$T/corpus.db
cp -r "$CORPUS" "$T/corpus"

run index -d "$DB" "$T/corpus"
expect_rc "index corpus exits 0" 0
expect "summary names files and articles" has "articles: 62 added" "$out"

run stats -d "$DB" --format json
expect_rc "stats exits 0" 0
expect "stats counts 62 articles" test "$(jq .articles <<<"$out")" = 62
expect "stats counts the files (25 txt/md + 4 jsonl + 16 html)" test "$(jq .files <<<"$out")" = 45
expect "stats lists languages" test "$(jq '[.by_language[].value] | index("fr") != null' <<<"$out")" = true
expect "stats date range starts in 2022" has '"first_date":"2022-' "$out"

run index -d "$DB" "$T/corpus"
expect_rc "second run exits 0" 0
expect "second run: every file unchanged" has "0 indexed, 45 unchanged" "$out"
expect "second run: no article added" has "0 added, 0 updated" "$out"

touch "$T/corpus/diplomacy/2022-12-05-baklanov-conditions-for-talks.txt"
run index -d "$DB" "$T/corpus"
expect "touched file is read again, and only it" has "1 indexed, 44 unchanged" "$out"
expect "touched file: its article unchanged" has "0 added, 0 updated" "$out"

f="$T/corpus/diplomacy/2022-12-05-baklanov-conditions-for-talks.txt"
printf '\nA late paragraph about zanzibarite minerals.\n' >>"$f"
run index -d "$DB" "$T/corpus"
expect "edited file: one article updated" has "0 added, 1 updated" "$out"
run search -d "$DB" -f ids zanzibarite
expect "edited text is searchable" test "$out" = "mh-2022-1205-03"
run stats -d "$DB" --format json
expect "no duplicates after re-indexing" test "$(jq .articles <<<"$out")" = 62

# A JSON Lines file that loses a record: the record is removed.
jf="$T/corpus/wires/atlantic-wire-service-2022.jsonl"
before=$(wc -l <"$jf")
grep -v '"awr-2022-1206-01"' "$jf" >"$T/x.jsonl" && cat "$T/x.jsonl" >"$jf"
run index -d "$DB" "$T/corpus"
expect "record gone from a changed file is removed" has "1 removed" "$out"
run search -d "$DB" -f ids 'awr'
run show -d "$DB" awr-2022-1206-01
expect_rc "removed record no longer shown" 1
run stats -d "$DB" --format json
expect "count drops by one" test "$(jq .articles <<<"$out")" = 61
expect "fixture had several records" test "$before" -gt 1

# The index is a plain SQLite file: its own integrity checks pass.
expect "sqlite integrity_check" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok
expect "index records its schema version" test "$(sqlite3 "$DB" "select value from meta where key='schema_version'")" = 4
# Writers let FTS5 gather 16 MB of terms before writing a segment (fewer
# segments to merge and to read); an index without the setting gets it.
hs() { sqlite3 "$T/hs.db" "select v from articles_fts_config where k='hashsize'"; }
printf '{"id":"hs-1","title":"Flush size","body":"Set by the writer."}\n' >"$T/hs1.jsonl"
printf '{"id":"hs-2","title":"Flush size","body":"Set again by the next writer."}\n' >"$T/hs2.jsonl"
run index -d "$T/hs.db" -q "$T/hs1.jsonl"
expect "writers set the FTS5 flush size" test "$(hs)" = 16777216
sqlite3 "$T/hs.db" "delete from articles_fts_config where k='hashsize'"
run index -d "$T/hs.db" -q "$T/hs2.jsonl"
expect "an index without the flush size gets it back" test "$(hs)" = 16777216
expect "new indexes have 16 KB pages" test "$(sqlite3 "$DB" 'PRAGMA page_size')" = 16384

# Relative and absolute paths give the same ids.
run index -d "$T/rel.db" -q "$T/corpus/diplomacy"
(cd "$T" && "$NEWSIDX" index -q -d "$T/rel2.db" corpus/diplomacy/)
a=$(sqlite3 "$T/rel.db" 'select id from articles order by id')
b=$(sqlite3 "$T/rel2.db" 'select id from articles order by id')
expect "ids do not depend on how the folder was named" test "$a" = "$b"
expect "ids start with the folder name" has "diplomacy/2022-07-22-grain-deal-signed-in-istanbul.txt" "$a"

# $NEWSIDX_DB and the default path.
(cd "$T" && NEWSIDX_DB="$T/env.db" "$NEWSIDX" index -q corpus/sport)
expect "NEWSIDX_DB names the index" test -s "$T/env.db"
(cd "$T" && "$NEWSIDX" index -q corpus/sport)
expect "default index is ./newsidx.db" test -s "$T/newsidx.db"

# A file read again looks for unchanged articles before preparing any; a
# record whose stored text is its own, but which follows a record with the
# same id and another text, must still win (the last record of an id does).
for engine in fts5 xapian; do
    d=$T/reuse-$engine
    mkdir -p "$d"
    numbered 1 60 '{"id":"r@","body":"Alpha report @ on harbour cranes."}' >"$d/wire.jsonl"
    "$NEWSIDX" index -q --engine "$engine" -d "$d/idx" "$d/wire.jsonl"
    for i in $(seq 1 60); do
        printf '{"id":"r%d","body":"Beta draft %d on harbour cranes."}\n' "$i" "$i"
        printf '{"id":"r%d","body":"Alpha report %d on harbour cranes."}\n' "$i" "$i"
    done >"$d/wire.jsonl"
    printf '{"id":"r61","body":"Gamma note on harbour cranes."}\n' >>"$d/wire.jsonl"
    run index -d "$d/idx" "$d/wire.jsonl"
    expect "$engine: a file with reused ids read again: exit 0, the reuse reported" \
        test "$rc" = 0 -a -n "$(grep "60 records reuse an id" <<<"$err")"
    run search -d "$d/idx" --count alpha
    expect "$engine: each id holds its last record ($out of 60 say alpha)" test "$out" = 60
    run search -d "$d/idx" --count beta
    expect "$engine: no id holds the record before its last ($out say beta)" test "$out" = 0
    run search -d "$d/idx" --count harbour
    expect "$engine: 61 articles, none twice ($out)" test "$out" = 61
done

# A file moved within the archive: its articles are found stored (looked up
# before being prepared), keep their text, and follow it: --prune then
# forgets the old path without taking them along.
for engine in fts5 xapian; do
    d=$T/moved-$engine
    mkdir -p "$d/arch"
    numbered 1 40 '{"id":"m@","body":"Ferry timetable @ for the islands."}' >"$d/arch/old.jsonl"
    "$NEWSIDX" index -q --engine "$engine" -d "$d/idx" "$d/arch"
    mv "$d/arch/old.jsonl" "$d/arch/new.jsonl"
    run index -d "$d/idx" --prune "$d/arch"
    # (Xapian keeps the origin in the document: it writes each one again)
    if [ "$engine" = fts5 ]; then want="0 added, 0 updated, 40 unchanged, 0 removed"
    else want="0 added, 40 updated, 0 unchanged, 0 removed"; fi
    expect "$engine: a moved file: none added or removed ($want)" has "$want" "$out"
    run search -d "$d/idx" --count ferry
    expect "$engine: a moved file: every article still there ($out)" test "$out" = 40
    run show -d "$d/idx" --format json m7
    expect "$engine: a moved article names its new file" \
        test "$(jq -r .origin <<<"$out")" = "$(realpath "$d/arch/new.jsonl")"
done

# A changed file read again: each record is compared with the stored
# article, so only the edited one is written (the Xapian engine compares
# what its value slot 7 holds).
for engine in fts5 xapian; do
    d=$T/edited-$engine
    mkdir -p "$d"
    numbered 1 30 '{"id":"e@","body":"The ferry timetable for the islands changes in spring, edition @."}' \
        >"$d/a.jsonl"
    "$NEWSIDX" index -q --engine "$engine" -d "$d/idx" "$d/a.jsonl"
    sed -i 's/edition 5\./edition 5, with a quarry on Skellig./' "$d/a.jsonl"
    numbered 31 31 '{"id":"e@","body":"The ferry timetable for the islands changes in spring, edition @."}' \
        >>"$d/a.jsonl"
    run index -d "$d/idx" "$d/a.jsonl"
    want="1 added, 1 updated, 29 unchanged, 0 removed"
    expect "$engine: an edited record: only it is written ($want)" has "$want" "$out"
    run search -d "$d/idx" -f ids quarry
    expect "$engine: the edited text is the one stored ($out)" test "$out" = e5
done

# An index made by an earlier analyzer (this one, before slot 7, by analyzer
# version 3, before elided articles were cut off) is refused, for reading
# and writing, with the way out: its terms and a new text's would differ.
fx="$(dirname "$0")/../fixtures/xapian-before-slot7"
cp -r "$fx/index" "$T/before-slot7"
run index -d "$T/before-slot7" - <"$fx/articles.jsonl"
expect_rc "an index of an earlier analyzer: indexing into it refused, exit 2" 2
expect "an index of an earlier analyzer: the message says to index again" \
    has "index the archive again into a new index" "$err"
# Its schema (3: stem terms with positions) is the first thing refused.
expect "an index of Xapian schema 3: the message names it" \
    has "index schema version 3, but this newsidx reads version 4" "$err"
run search -d "$T/before-slot7" ferry
expect_rc "an index of an earlier analyzer: searching it refused, exit 2" 2

# Xapian stem lists (index-schema/xapian-v3.md, T metadata) grow run by run:
# a later run adds its words to a stem's list and keeps the earlier ones, so
# a phrase still finds the first run's inflections.
echo '{"id":"s1","body":"Two old bridges collapsed in the storm."}' >"$T/stem1.jsonl"
echo '{"id":"s3","body":"Reports of bridging collapsing markets."}' >"$T/stem2.jsonl"
run index -d "$T/stems.xdb" --engine xapian "$T/stem1.jsonl"
run index -d "$T/stems.xdb" "$T/stem2.jsonl"
run search -d "$T/stems.xdb" -f ids -n 0 '"bridge collapse"'
expect "xapian, two runs: a phrase finds both runs' inflections ($out)" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "s1 s3 "

# A file longer than ten batches with the Xapian engine: committed in parts
# of ten batches, whole at the end, unchanged the next time.
numbered 1 250 '{"id":"x@","body":"Tram depot bulletin @."}' >"$T/long.jsonl"
run index -d "$T/long.xdb" --engine xapian --batch 10 "$T/long.jsonl"
expect "xapian, a file of 25 batches: every article added" has "250 added" "$out"
run search -d "$T/long.xdb" --count tram
expect "xapian, a file of 25 batches: all searchable ($out)" test "$out" = 250
run index -d "$T/long.xdb" --batch 10 "$T/long.jsonl"
expect "xapian, a file of 25 batches: unchanged next time" has "1 unchanged" "$out"
run check -d "$T/long.xdb"
expect_rc "xapian, a file of 25 batches: the checker finds it sound" 0

# JSON Lines on stdin, plain and gzipped.
printf '{"id":"s1","title":"Stdin story","body":"Quokkas negotiate."}\n' | gzip >"$T/in.gz"
"$NEWSIDX" index -q -d "$T/stdin.db" - <"$T/in.gz"
rc=$?
expect "gzip JSON Lines on stdin" test $rc = 0
run search -d "$T/stdin.db" -f ids quokka
expect "stdin article searchable" test "$out" = s1
# More articles on stdin than a batch: committed in parts, with no file
# record (a stream has none).
numbered 1 25 '{"id":"p@","title":"Part @","body":"Wombats deliberate, round @."}' >"$T/parts.jsonl"
"$NEWSIDX" index -q -d "$T/parts.db" --batch 10 - <"$T/parts.jsonl"
rc=$?
expect "stdin longer than a batch: exit 0" test $rc = 0
run search -d "$T/parts.db" --count wombat
expect "stdin longer than a batch: every article indexed ($out)" test "$out" = 25
expect "stdin longer than a batch: no file recorded" \
    test "$(sqlite3 -readonly "$T/parts.db" 'select count(*) from files')" = 0
gzip -c "$T/corpus/wires/baltic-monitor-2023.jsonl" >"$T/bm.jsonl.gz"
run index -d "$T/gz.db" "$T/bm.jsonl.gz"
expect ".jsonl.gz file indexed" has "5 added" "$out"

# A new index in another language, and a bad language.
run index -d "$T/fr.db" --lang fr "$T/corpus/diplomacy/2022-12-04-macron-pari-risque-garanties.fr.txt"
expect_rc "--lang fr accepted" 0
run stats -d "$T/fr.db"
expect "stats shows the index language" has "french stemming" "$out"
run index -d "$T/xx.db" --lang klingon "$T/corpus/sport"
expect_rc "unknown language is an error" 2
expect "unknown language named" has "klingon" "$err"

run index --help
expect_rc "index --help exits 0" 0
expect "index --help shows usage" has "usage: newsidx index" "$out"
# A JSON Lines file bigger than the part read at a time (8 MiB): lines
# numbered from the file's start in problems and in the ids of records
# without one, whatever part they fall in; nothing lost at the seams.
big=$T/big.jsonl
pad=$(head -c 1000 /dev/zero | tr '\0' 'x')
for i in $(seq 1 9500); do
    if [ "$i" = 9000 ]; then
        echo '{"title": "broken line'
    elif [ "$i" = 9200 ]; then
        printf '{"title":"Lighthouse keeper %d","body":"The keeper of the lighthouse retired. %s"}\n' "$i" "$pad"
    else
        printf '{"id":"big-%d","title":"Item %d","body":"Number %d of the long file. %s"}\n' "$i" "$i" "$i" "$pad"
    fi
done >"$big"
expect "the test file is bigger than one part" test "$(stat -c %s "$big")" -gt $((8 << 20))
run index -d "$T/big.db" "$big"
expect_rc "a big JSON Lines file with a bad line: exit 1" 1
expect "the bad line is named by its line in the file" has "big.jsonl:9000:" "$err"
expect "every other line is indexed" has "articles: 9499 added" "$out"
run search -d "$T/big.db" -f ids lighthouse keeper
expect "a record without an id is named by its line in the file" has "big.jsonl#L9200" "$out"
run search -d "$T/big.db" -f ids '"Number 9499 of the long file"'
expect "the last part is read" test "$out" = "big-9499"
run search -d "$T/big.db" -c '"of the long file"'
expect "no line lost or doubled at the seams" test "$out" = 9498
run index -d "$T/big.db" "$big"
expect "a big file unchanged is skipped" has "0 indexed, 1 unchanged" "$out"
run index -d "$T/big.db" --force "$big"
expect "read again: same content, nothing updated" has "0 added, 0 updated, 9499 unchanged" "$out"

# The same file gzipped is streamed too; cut short, what came before the
# cut is indexed and nothing the index had from it is taken as gone.
mkdir -p "$T/gz"
gzip -c "$big" >"$T/gz/big.jsonl.gz"
run index -d "$T/biggz.db" "$T/gz/big.jsonl.gz"
expect "a big gzipped JSON Lines file: every good line indexed" has "articles: 9499 added" "$out"
expect "a big gzipped file: the bad line named by its line" has "big.jsonl.gz:9000:" "$err"
size=$(stat -c %s "$T/gz/big.jsonl.gz")
head -c $((size * 9 / 10)) "$T/gz/big.jsonl.gz" >"$T/gz/cut.gz" && mv "$T/gz/cut.gz" "$T/gz/big.jsonl.gz"
touch -d '2001-01-01' "$T/gz/big.jsonl.gz"
run index -d "$T/biggz.db" "$T/gz/big.jsonl.gz"
expect_rc "a truncated gzip: exit 1" 1
expect "a truncated gzip: named" has "big.jsonl.gz: gzip data is truncated" "$err"
expect "a truncated gzip: the articles the index had from it are kept" \
    test "$("$NEWSIDX" search -d "$T/biggz.db" --count '"of the long file"' 2>/dev/null)" = 9498

# A page in Latin-1 that says so, indexed first: decoded once, by its
# charset (it was taken for Windows-1252 text and decoded twice).
printf '<html><head><meta charset="iso-8859-1"><title>Caf\xe9 de la gare</title></head><body><p>Le caf\xe9 de la gare a ferm\xe9 ses portes apr\xe8s quarante ans.</p></body></html>' >"$T/latin1.html"
run index -q -d "$T/latin1.db" "$T/latin1.html"
run search -d "$T/latin1.db" -f json gare
expect "a Latin-1 page indexed first keeps its accents" test "$(jq -r '.results[0].title' <<<"$out")" = "Café de la gare"

# The FTS5 index holds written words only; the stems table says which words
# share a stem (index-schema/fts5-v4.sql). An inflection first met in a
# later run, or in a replaced article, is found by a stemmed query.
mkdir -p "$T/st"
printf 'Title: Talks\n\nThe negotiations resumed on Monday.\n' >"$T/st/a.txt"
run index -q -d "$T/st.db" "$T/st/a.txt"
run search -d "$T/st.db" -f ids negotiate
expect "stems: negotiate finds negotiations" test "${out##*/}" = a.txt
expect "stems: the pair is listed" test \
    "$(sqlite3 "$T/st.db" "SELECT group_concat(word) FROM stems WHERE stem = '~ennegoti'")" = negotiations
printf 'Title: Envoys\n\nThe negotiators met again.\n' >"$T/st/b.txt"
run index -q -d "$T/st.db" "$T/st/b.txt"
run search -d "$T/st.db" -f ids negotiate
expect "stems: a second run's inflection is found too" test "$(sed 's#.*/##' <<<"$out" | sort | tr '\n' ' ')" = "a.txt b.txt "
printf 'Title: Talks\n\nThe negotiating went on.\n' >"$T/st/a.txt"
touch -d '2001-01-01' "$T/st/a.txt"
run index -q -d "$T/st.db" "$T/st/a.txt"
run search -d "$T/st.db" -f ids '"negotiations went"'
expect "stems: a replaced article is found by its new form, in a phrase too" test "${out##*/}" = a.txt
run search -d "$T/st.db" -f ids '=negotiations'
expect_rc "stems: and no longer by its old one" 1
expect "stems: stem terms are not in the full-text index" test \
    "$(sqlite3 "$T/st.db" "SELECT count(*) FROM articles_fts_data WHERE id >= 1 << 37 AND instr(block, '~en') > 0")" = 0
# The replaced text's word stays listed until optimize, which keeps only
# the words some article holds; stemmed search is the same either way.
stems_of() { sqlite3 "$T/st.db" "SELECT group_concat(word, ' ') FROM (SELECT word FROM stems WHERE stem = '~ennegoti' ORDER BY word)"; }
expect "stems: a replaced text's word stays listed" test "$(stems_of)" = "negotiating negotiations negotiators"
run optimize -d "$T/st.db"
expect_rc "stems: optimize exits 0" 0
expect "stems: optimize drops the word no article holds" test "$(stems_of)" = "negotiating negotiators"
run search -d "$T/st.db" -f ids negotiate
expect "stems: the same articles found after optimize" test "$(sed 's#.*/##' <<<"$out" | sort | tr '\n' ' ')" = "a.txt b.txt "

# Files that derive the same ids (records without one): two feed.jsonl from
# two folders, two folders both named news. The second once replaced the
# first's articles in silence; now its ids take one more folder of its path,
# the same on every run, and a moved file still takes its articles along.
for engine in fts5 xapian; do
    d=$T/same-$engine
    mkdir -p "$d/mon" "$d/tue" "$d/2022/news" "$d/2023/news"
    printf '{"title":"Mon","body":"monday tigers"}\n' >"$d/mon/feed.jsonl"
    printf '{"title":"Tue","body":"tuesday lions"}\n' >"$d/tue/feed.jsonl"
    printf 'Title: Old\n\nold elephants.\n' >"$d/2022/news/story.txt"
    printf 'Title: New\n\nnew giraffes.\n' >"$d/2023/news/story.txt"
    run index --engine "$engine" -d "$d/idx" "$d/mon/feed.jsonl" "$d/tue/feed.jsonl" "$d/2022/news" "$d/2023/news"
    expect "$engine: same derived ids: four articles added" has "4 added, 0 updated" "$out"
    run search -d "$d/idx" -f ids -n 0 tigers OR lions OR elephants OR giraffes
    expect "$engine: same derived ids: all four found, the later ones with a longer id" \
        test "$(sort <<<"$out" | tr '\n' ' ')" = "2023/news/story.txt feed.jsonl#L1 news/story.txt tue/feed.jsonl#L1 "
    run index --force -d "$d/idx" "$d/mon/feed.jsonl" "$d/tue/feed.jsonl" "$d/2022/news" "$d/2023/news"
    expect "$engine: same derived ids: read again, the same ids (all unchanged)" \
        has "0 added, 0 updated, 4 unchanged, 0 removed" "$out"
    mv "$d/mon" "$d/mon2"
    run index -d "$d/idx" "$d/mon2/feed.jsonl"
    expect "$engine: a moved file keeps its articles' ids: nothing added" has "0 added" "$out"
    run search -d "$d/idx" -f ids -n 0 tigers
    expect "$engine: a moved file keeps its articles' ids: one article, the same id" \
        test "$out" = "feed.jsonl#L1"
done

# An id in two files: the file read last keeps the article. When that file
# drops it (edited, or deleted and pruned), the article was deleted although
# the first file still held it, and came back only if that file changed.
# Now it is read back from the first file, in the same run, whether or not
# the run names that file; a file that was moved away holds nothing.
for engine in fts5 xapian; do
    d=$T/held-$engine
    mkdir -p "$d/in"
    printf '{"id":"x1","title":"Orchard","body":"apples from the first file"}\n{"id":"a2","title":"Other","body":"pears"}\n' >"$d/in/a.jsonl"
    printf '{"id":"x1","title":"Orchard","body":"bananas from the second file"}\n' >"$d/in/b.jsonl"
    run index --engine "$engine" -d "$d/idx" "$d/in"
    run search -d "$d/idx" -f ids bananas
    expect "$engine: id in two files: the file read last keeps it" test "$out" = "x1"
    printf '{"id":"b9","title":"Else","body":"cherries"}\n' >"$d/in/b.jsonl"
    run index -d "$d/idx" "$d/in/b.jsonl"
    expect_rc "$engine: id in two files: the later one drops it: exit 0" 0
    expect "$engine: ... the article is read back from the first file, which says so" \
        has "a.jsonl: restored 1 article from this file" "$err"
    run search -d "$d/idx" -f ids apples
    expect "$engine: ... and found, although the run did not name that file" test "$out" = "x1"
    run search -d "$d/idx" -f ids bananas
    expect "$engine: ... the dropped text is gone" test "$rc" = 1
    run index -d "$d/idx" "$d/in"
    expect "$engine: ... next run: nothing to do" has "0 added, 0 updated, 3 unchanged, 0 removed" "$out"
    expect "$engine: ... next run: no notice" test -z "$err"

    # A copy of a file, indexed with it, then deleted: its articles come back.
    cp "$d/in/a.jsonl" "$d/in/c.jsonl"
    run index -d "$d/idx" "$d/in"
    rm "$d/in/c.jsonl"
    run index --prune -d "$d/idx" "$d/in"
    expect "$engine: a deleted copy: its two articles are read back from the original" \
        has "a.jsonl: restored 2 articles from this file" "$err"
    run search -d "$d/idx" -f ids -n 0 apples OR pears OR cherries
    expect "$engine: ... all three articles there" test "$(sort <<<"$out" | tr '\n' ' ')" = "a2 b9 x1 "

    # A file moved (the first is gone): nothing holds the article after.
    mv "$d/in/a.jsonl" "$d/in/moved.jsonl"
    run index -d "$d/idx" "$d/in/moved.jsonl"
    printf '{"id":"a2","title":"Other","body":"pears"}\n' >"$d/in/moved.jsonl"
    run index -d "$d/idx" "$d/in/moved.jsonl"
    expect "$engine: a moved file that drops an article: removed, nothing restored" \
        has "0 added, 0 updated, 1 unchanged, 1 removed" "$out"
    expect "$engine: ... without a notice" test -z "$err"
    run search -d "$d/idx" -f ids apples
    expect "$engine: ... and not found" test -z "$out"
    if [ "$engine" = fts5 ]; then
        expect "fts5: ... and no holder left behind" \
            test "$(sqlite3 "$d/idx" 'SELECT count(*) FROM holders')" = 0
    fi

    # The earlier file gives the id twice: one article comes back, the
    # file's last record of it, as when the file is read.
    printf '{"id":"d1","title":"T","body":"plums early"}\n{"id":"d1","title":"T","body":"plums late"}\n' >"$d/in/e.jsonl"
    printf '{"id":"d1","title":"T","body":"plums taken"}\n' >"$d/in/f.jsonl"
    run index -d "$d/idx" "$d/in/e.jsonl" "$d/in/f.jsonl"
    printf '{"id":"f2","title":"T","body":"quinces"}\n' >"$d/in/f.jsonl"
    run index -d "$d/idx" "$d/in/f.jsonl"
    expect "$engine: an id given twice in the earlier file: one article restored" \
        has "e.jsonl: restored 1 article from this file" "$err"
    run search -d "$d/idx" -f ids -n 0 plums
    expect "$engine: ... one article" test "$out" = "d1"
    run search -d "$d/idx" -f ids late
    expect "$engine: ... with the file's last text" test "$out" = "d1"
    # The same with 300 more wanted articles between the two records: the
    # first is then written (a full queue) before the second is looked at,
    # which once took it for one another file had given back.
    { printf '{"id":"d2","title":"T","body":"pears early"}\n'
      numbered 1 300 '{"id":"w@","title":"T","body":"filler @"}'
      printf '{"id":"d2","title":"T","body":"pears late"}\n'; } >"$d/in/e2.jsonl"
    { printf '{"id":"d2","title":"T","body":"pears taken"}\n'
      numbered 1 300 '{"id":"w@","title":"T","body":"filler @"}'; } >"$d/in/f2.jsonl"
    run index -d "$d/idx" "$d/in/e2.jsonl" "$d/in/f2.jsonl"
    printf '{"id":"f3","title":"T","body":"quinces"}\n' >"$d/in/f2.jsonl"
    run index -d "$d/idx" "$d/in/f2.jsonl"
    expect "$engine: ... with 300 between: 301 articles restored" \
        has "e2.jsonl: restored 301 articles from this file" "$err"
    run search -d "$d/idx" -f ids pears late
    expect "$engine: ... the later text" test "$out" = "d2"

    # Three files with the id: the one that kept it last before the
    # dropper gives it back; one that no longer has it passes to the one
    # before it.
    printf '{"id":"t1","title":"T","body":"figs first"}\n' >"$d/in/g1.jsonl"
    printf '{"id":"t1","title":"T","body":"figs second"}\n' >"$d/in/g2.jsonl"
    printf '{"id":"t1","title":"T","body":"figs third"}\n' >"$d/in/g3.jsonl"
    run index -d "$d/idx" "$d/in/g1.jsonl" "$d/in/g2.jsonl" "$d/in/g3.jsonl"
    printf '{"id":"t3","title":"T","body":"dates"}\n' >"$d/in/g3.jsonl"
    run index -d "$d/idx" "$d/in/g3.jsonl"
    run search -d "$d/idx" -f ids -n 0 figs second
    expect "$engine: three holders: the one that kept it last gives it back" test "$out" = "t1"
    # Three files with an id; the one that kept it last no longer has it
    # (changed, not indexed again yet) when the keeper drops it.
    for i in 1 2 3; do printf '{"id":"t5","title":"T","body":"limes %s"}\n' $i >"$d/in/h$i.jsonl"; done
    run index -d "$d/idx" "$d/in/h1.jsonl" "$d/in/h2.jsonl" "$d/in/h3.jsonl"
    printf '{"id":"t6","title":"T","body":"kiwis"}\n' >"$d/in/h2.jsonl"
    printf '{"id":"t7","title":"T","body":"kiwis"}\n' >"$d/in/h3.jsonl"
    run index -d "$d/idx" "$d/in/h3.jsonl"
    expect "$engine: ... the one before it gives it back" \
        has "h1.jsonl: restored 1 article from this file" "$err"
    run search -d "$d/idx" -f ids -n 0 limes 1
    expect "$engine: ... with its text" test "$out" = "t5"
done

finish
