# test_search.sh - `newsidx search` on the shipped corpus: ranking, stemming,
# exact names, phrases, exclusions, filters, highlighting, output formats,
# exit codes and hostile queries.
. "$(dirname "$0")/lib.sh"
DB=$T/corpus.db
"$NEWSIDX" index -q -d "$DB" "$CORPUS" || { echo "FAIL indexing corpus"; finish; }
S() { run search -d "$DB" "$@"; }

S Baklanov conditions
expect_rc "Baklanov conditions: found" 0
expect "Baklanov conditions: the conditions article first" \
    test "$(sed -n 2p <<<"$out")" = "   id: mh-2022-1205-03"
expect "Baklanov highlighted" has "[[Baklanov]]" "$out"
expect "conditions highlighted" has "[[conditions]]" "$out"

S --no-collapse -f ids -n 0 Baklanov
expect "Baklanov: every article naming him in Latin script (15 English, 1 French)" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "awr-2022-1206-01 awr-2023-0426-01 awr-2023-0526-01 awr-2023-0626-01 bm-2023-0221-01 cds-2023-0418-fr corpus/web/kyiv-ledger-2023-06-18-african-peace-mission.html cpa-2023-0720-01 cpa-2023-1120-01 ee-2023-0527-01 hg-2023-0526-04 mh-2022-1205-03 mh-2023-0322-01 mh-2023-0526-01 nc-2023-0404-01 nc-2023-0527-01 "

S -n 0 negotiating
expect_rc "negotiating: found" 0
expect "negotiating finds an article that only says negotiations" has "corpus/diplomacy/2022-07-22-grain-deal-signed-in-istanbul.txt" "$out"
expect "negotiating highlights negotiations" has "[[negotiations]]" "$out"

S -f ids '"security guarantees"'
expect "phrase: exactly the three articles with the phrase" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "awr-2022-0329-01 bm-2023-0712-01 cpa-2022-1203-02 "
S -f ids security guarantees
expect "same words without quotes also match the non-adjacent article" has "kl-2022-1208-01" "$out"

S -f ids -n 0 Paris
expect "Paris does not match pari" lacks "tw-2023-0612-01" "$out"
expect "Paris matches Paris" has "courrier-2022-12-13-paris-conference-winter-aid.html" "$out"
S -f ids =pari
expect "=pari matches the word pari only" test "$(sort <<<"$out" | tr '\n' ' ')" = "cds-2022-1204-fr tw-2023-0612-01 "
S -f ids -n 0 =haines
expect "=haines finds Haines’s (possessive, curly)" has "awr-2022-1204-01" "$out"

S -f ids -n 0 macron
all=$out
S -f ids -n 0 macron -putin
expect "macron -putin excludes the Putin articles" lacks "awr-2022-1201-01" "$out"
expect "macron -putin keeps the others" has "mh-2022-1205-03" "$out"
expect "macron -putin is a subset" test "$(wc -l <<<"$out")" -lt "$(wc -l <<<"$all")"

S -f tsv -n 0 date:2022-12
expect_rc "date:2022-12 found" 0
expect "date:2022-12: only December 2022" test -z "$(cut -f3 <<<"$out" | grep -v '^2022-12-')"
expect "date:2022-12: the 13 December articles" test "$(wc -l <<<"$out")" = 13
S -f tsv -n 0 macron --since 2023-01-01
expect "--since filters" test -z "$(cut -f3 <<<"$out" | grep -v '^2023-')"
S -f tsv -n 0 kyiv date:2022-12-01..2022-12-05
expect "date range a..b includes both ends" test -z "$(cut -f3 <<<"$out" | grep -vE '^2022-12-0[1-5]')"
# A range to the end of 9999 has no upper bound to write (10000 does not
# fit the date format): it is every dated article. It once reached SQL as
# "a.date < ?0" and failed with SQLite's own message (found by fuzz_query).
S -f ids -n 0 kyiv date:0001..
dated=$out
for q in 'date:..9999' 'date:0001..9999'; do
    S -f ids -n 0 kyiv "$q"
    expect_rc "kyiv $q: exit 0" 0
    expect "kyiv $q: every dated article, as date:0001.. ($(grep -c . <<<"$out"))" \
        test "$out" = "$dated" -a -n "$dated"
done
S -f ids -n 0 kyiv --until 9999
expect "kyiv --until 9999: the same" test "$out" = "$dated"
S -f tsv --sort newest -n 0 lang:fr
expect "lang:fr lists the French articles newest first" \
    test "$(cut -f2 <<<"$out" | tr '\n' ' ')" = "cds-2023-0418-fr corpus/web/courrier-2023-01-19-boulangers-factures-energie.html cds-2022-1204-fr "
S -f ids -n 0 'source:"baltic monitor"'
expect "source: filter" test "$(wc -l <<<"$out")" = 5

S -f ids negot*
expect_rc "prefix query found" 0
S -f ids 'NEAR(Haines winter, 30)'
expect "NEAR() finds the two close mentions" test "$(sort <<<"$out" | tr '\n' ' ')" = "awr-2022-1204-01 mh-2022-1205-03 "
S -f ids 'haines NEAR/30 winter'
expect "a NEAR/N b is the same" test "$(sort <<<"$out" | tr '\n' ' ')" = "awr-2022-1204-01 mh-2022-1205-03 "
S -f ids 'NEAR(haines winter, 2)'
expect_rc "NEAR() distance is respected" 1
S -f ids 'title:kherson'
expect_rc "title: found" 0
want=$out
S -f ids 'TITLE:kherson'
expect "field names in any case: TITLE: is title:" test "$out" = "$want"
S -f ids 'Lang:FR kyiv'
expect "field names in any case: Lang: is lang:" \
    test "$out" = "$("$NEWSIDX" search -d "$DB" -f ids 'lang:FR kyiv')"

S -f json Baklanov conditions
expect_rc "json: exit 0" 0
expect "json parses" json_ok "$out"
expect "json total" test "$(jq .total <<<"$out")" -ge 1
expect "json spans point at the highlighted words" \
    test "$(jq -r '.results[0].snippets[0] as $s | [$s.highlights[] | $s.text[.start:.end]] | unique | join(",")' <<<"$out")" = "Baklanov,conditions"
# The total a page reports (counted while ranking when FTS5 can) is what
# --count gives, for every kind of query.
for q in 'Baklanov conditions' kyiv '"security guarantees"' 'grain -istanbul' 'negot*' \
    'title:kherson' 'kyiv lang:fr' 'NEAR(grain deal, 3)' zzqqxx; do
    for opt in "" --any --no-collapse; do
        S -f json -n 2 $opt -- "$q"
        t=$(jq .total <<<"$out")
        S --count $opt -- "$q"
        expect "total of '$q' ${opt:-(default)} is the count ($out)" test "$t" = "$out"
    done
done
S -f jsonl -n 3 kyiv
expect "jsonl: one object per line" test "$(jq -c .id <<<"$out" | wc -l)" = 3
S --count kyiv
expect "--count prints a number" grep -qE '^[0-9]+$' <<<"$out"

S xylophonequark
expect_rc "no hits: exit 1" 1
S '"security guarantees'
expect_rc "unbalanced quote: exit 2" 2
expect "unbalanced quote: position" has "query:1:1: unbalanced quote" "$err"
S 'kyiv (macron'
expect_rc "unbalanced parenthesis: exit 2" 2
expect "unbalanced parenthesis: position" has "query:1:6: unbalanced parenthesis" "$err"
S 'kyiv OR'
expect "lone operator: position" has "query:1:6: OR needs a word" "$err"
S 'title:'
expect "empty field: position" has "query:1:1: title: needs" "$err"

for q in 'title:*' 'NEAR(' '"' '^x' "'; DROP TABLE articles; --" 'a AND AND b' '*' 'col:val' \
         '{title body}: kyiv' 'kyiv NOT' '((((((((((kyiv))))))))))' 'NEAR(a b, x)' '- -' 'a:b:c' \
         'kyiv OR -macron'; do
    S -f ids -- "$q"
    if [ "$rc" -le 2 ] && ! grep -qiE 'sqlite|fts5: syntax|internal error' <<<"$err"; then
        ok "hostile query handled: $q (exit $rc)"
    else
        not_ok "hostile query: $q" "exit $rc" "stderr: $err"
    fi
done
S -f ids "'; DROP TABLE articles; --"
run stats -d "$DB" --format json
expect "articles table still there" test "$(jq .articles <<<"$out")" = 62

S --color=always -n 1 Baklanov conditions
expect "--color=always uses ANSI" has $'\033[1;31m' "$out"
S --mark '<b>,</b>' -n 1 Baklanov conditions
expect "--mark sets markers" has "<b>Baklanov</b>" "$out"
S --help
expect_rc "search --help exits 0" 0

S -f ids -n 2 --offset 1 kyiv
second=$out
S -f ids -n 3 kyiv
expect "--offset skips hits" test "$second" = "$(sed -n 2,3p <<<"$out")"
S -f ids -n 0 kyiv
first_run=$out
S -f ids -n 0 kyiv
expect "results are deterministic" test "$out" = "$first_run"
S -f ids -n 0 --sort oldest date:2022-12
expect "--sort oldest" test "$(head -n 1 <<<"$out")" = "awr-2022-1201-01"
S --explain -n 1 'macron -putin'
expect "--explain prints the tree" has "(AND macron (NOT putin))" "$err"
expect "--explain prints each hit's score" has "score:" "$out"
S -f ids -n 1 -- -putin
expect_rc "a query of only exclusions lists the rest" 0

S --count baklanov winter
all_words=$out
S --count --any baklanov winter
expect "--any matches articles with any of the words" test "$out" -gt "$all_words"
S -f ids -n 1 --any baklanov conditions xylophonequark
expect "--any ranks the article with the most words first" test "$out" = mh-2022-1205-03
S -f ids -n 0 --any baklanov winter -putin
expect "--any keeps exclusions" lacks "awr-2022-1201-01" "$out"

# Findings of a review of the query language (each once went wrong)
S --count -- $'caf\xe9'
expect_rc "a query that is not UTF-8: exit 2" 2
expect "a query that is not UTF-8: the byte and its position named" \
    has "query:1:4: byte 0xE9 is not UTF-8 text" "$err"
S --count "kyiv $(seq -f '-nosuchword%g' 1 150 | tr '\n' ' ')"
kyiv_minus=$out
S --count kyiv
expect "150 exclusions run (they once overflowed FTS5's parser)" test "$kyiv_minus" = "$out"
S --count "kyiv $(for i in $(seq 45); do printf '(x%d OR (' "$i"; done)winter$(for i in $(seq 45); do printf '))'; done)"
expect_rc "groups nested too deep for FTS5: exit 2" 2
expect "groups nested too deep for FTS5: said so, no raw FTS5 message" \
    has "query:1:1: the query nests its groups" "$err"
expect "groups nested too deep for FTS5: no internal error" lacks "internal error" "$err"
S --count '   '
expect_rc "a blank query is refused like an empty one" 2
expect "a blank query: the message asks for a query" has "give a query" "$err"
S --facets source,nosuch -f json kyiv
expect_rc "--facets with an unknown name: exit 2" 2
expect "--facets with an unknown name: nothing printed first" test -z "$out"
expect "--facets with an unknown name: named" has "unknown facet 'nosuch'" "$err"
S --count 'kyiv NEAR/ winter'
expect_rc "NEAR/ without a number is an error, not a word" 2
run timeline -d "$DB" --by day 'date:1000..2100'
expect_rc "a timeline of 400,000 days is refused" 2
expect "a timeline too long: said so, with the way out" has "choose a longer period" "$err"
printf '%s\n' '{"id":"n1","title":"Housing","body":"The city will build 1,200 new homes.","date":"2023-02-01"}' \
    '{"id":"n2","title":"Notes","body":"Note 1 was cold. Note 200 was warm.","date":"2023-02-02"}' \
    '{"id":"n3","title":"Fruit","body":"apple banana cherry","date":"2023-02-03"}' \
    '{"id":"n4","title":"Fruit","body":"apple banana","date":"2023-02-04"}' \
    '{"id":"n5","title":"Fruit","body":"cherry only","date":"2023-02-05"}' >"$T/n.jsonl"
"$NEWSIDX" index -q -d "$T/n.db" "$T/n.jsonl"
run search -d "$T/n.db" -f ids '1,200'
expect "an unquoted 1,200 is one number" test "$out" = n1
run search -d "$T/n.db" -f ids -n 0 --any 'apple AND banana cherry'
expect "--any: a written AND stays required, the word beside it optional" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "n3 n4 n5 "

printf '%s\n' '{"id":"w1","body":"The walrus sat."}' '{"id":"w2","body":"A walrus and another walrus."}' \
    '{"id":"w3","body":"No walrus today."}' >"$T/walrus.jsonl"
"$NEWSIDX" index -q -d "$T/walrus.db" "$T/walrus.jsonl"
run search -d "$T/walrus.db" -f json walrus
expect "a word in every article: its matches' scores are not shown as 0 (0 means filters only)" \
    test "$(jq '[.results[].score | select(. > 0)] | length' <<<"$out")" = 3
expect "a word in every article: the article with it twice still ranks first" \
    test "$(jq -r '.results[0].id' <<<"$out")" = w2

run show -d "$DB" --highlight negotiating mh-2022-1205-03
expect_rc "show --highlight exits 0" 0
expect "show highlights the inflected word" has "[[negotiations]]" "$out"
run show -d "$DB" -f json --highlight 'Baklanov' mh-2022-1205-03
expect "show json spans point at the word" \
    test "$(jq -r '.body as $b | [.body_highlights[] | $b[.start:.end]] | unique | join(",")' <<<"$out")" = "Baklanov"
run show -d "$DB" no-such-id
expect_rc "show unknown id: exit 1" 1
finish
