# test_engines.sh - the FTS5 and Xapian engines agree: the same corpus
# indexed with both, the same queries run on both. Matching sets must be
# identical; rankings are compared by the overlap of the top 3 hits and by
# whether the first hit is the same, and must largely agree.
. "$(dirname "$0")/lib.sh"
"$NEWSIDX" index -q -d "$T/f.db" "$CORPUS"
"$NEWSIDX" index -q --engine xapian -d "$T/x.xdb" "$CORPUS"
run stats -d "$T/x.xdb" --format json
expect "xapian index holds the corpus" test "$(jq .articles <<<"$out")" = 62
run stats -d "$T/f.db" --format json
fstats=$out
run stats -d "$T/x.xdb" --format json
expect "same languages in both" test "$(jq -c .by_language <<<"$out")" = "$(jq -c .by_language <<<"$fstats")"
expect "same sources in both" test "$(jq -c .by_source <<<"$out")" = "$(jq -c .by_source <<<"$fstats")"
expect "same date range in both" test "$(jq -c '[.first_date,.last_date]' <<<"$out")" = "$(jq -c '[.first_date,.last_date]' <<<"$fstats")"
# The text is titles and bodies in both (Xapian once counted the whole
# document data: ids, URLs, paths too, which made its size ratio look smaller).
expect "same text size in both" test "$(jq .text_bytes <<<"$out")" = "$(jq .text_bytes <<<"$fstats")"

queries=(
    'baklanov' 'Baklanov conditions' 'negotiating' 'negotiations' 'negotiate talks'
    '"security guarantees"' '"grain deal"' 'security guarantees' 'Paris' '=pari'
    '=haines' 'Haines winter' 'macron -putin' 'macron putin' '(macron OR scholz) -putin'
    'kyiv OR kherson' 'NEAR(haines winter, 30)' 'haines NEAR/30 winter' 'NEAR(macron guarantees, 5)'
    'negot*' 'kherso*' 'title:kherson' 'title:"security guarantees"' 'body:crimea'
    'date:2022-12' 'kyiv date:2022-12-01..2022-12-31' 'macron after:2023-01-01' 'putin before:2022-07-01'
    'kyiv date:..9999' 'kyiv -date:..9999'
    'lang:fr' 'lang:ru' 'source:"baltic monitor"' 'source:ledger kyiv' 'url:meridianherald'
    '-putin' 'kyiv -source:ledger' 'Élysée' 'elysee' 'Zelenskyy' 'U.S.' "Kyiv-based" 'the who'
    'Бакланов' 'energy prices' 'world cup' '"the war"' 'kyiv NOT (putin OR macron)'
    "kyiv $(seq -f '-w%g' 1 100 | tr '\n' ' ')-putin" 'kyiv AND winter talks'
    '"security guarantee"' 'NEAR(negotiate conditions, 10)'
)
same=0
top1=0
top1_n=0
overlap_sum=0
overlap_n=0
for q in "${queries[@]}"; do
    f=$("$NEWSIDX" search -d "$T/f.db" -f ids -n 0 -- "$q" 2>&1)
    x=$("$NEWSIDX" search -d "$T/x.xdb" -f ids -n 0 -- "$q" 2>&1)
    if [ "$(sort <<<"$f")" = "$(sort <<<"$x")" ]; then
        same=$((same + 1))
        ok "same matches: $q ($(grep -c . <<<"$f"))"
    else
        not_ok "same matches: $q" "fts5 only: $(comm -23 <(sort <<<"$f") <(sort <<<"$x") | tr '\n' ' ')" \
            "xapian only: $(comm -13 <(sort <<<"$f") <(sort <<<"$x") | tr '\n' ' ')"
    fi
    n=$(grep -c . <<<"$f")
    if [ "$n" -ge 2 ] && ! grep -qE '^(-|date:|lang:|source:|url:)' <<<"$q"; then
        top1_n=$((top1_n + 1))
        [ "$(head -n 1 <<<"$f")" = "$(head -n 1 <<<"$x")" ] && top1=$((top1 + 1))
        if [ "$n" -ge 3 ]; then
            common=$(comm -12 <(head -n 3 <<<"$f" | sort) <(head -n 3 <<<"$x" | sort) | grep -c .)
            overlap_sum=$((overlap_sum + common))
            overlap_n=$((overlap_n + 1))
        fi
    fi
done
echo "parity: ${#queries[@]} queries, $same identical match sets; first hit equal in $top1 of $top1_n ranked queries; top-3 overlap $overlap_sum of $((overlap_n * 3))"
expect "at least 30 queries compared" test "${#queries[@]}" -ge 30

# The one difference, by design (index-schema/terms.md): FTS5 expands a
# stem through the written words that gave it in any article, Xapian looks
# up the stem term of the article's language. So "pari" (English stem of
# Paris) also finds French articles that write Paris with FTS5 only.
f=$("$NEWSIDX" search -d "$T/f.db" -f json -n 0 pari)
x=$("$NEWSIDX" search -d "$T/x.xdb" -f ids -n 0 pari)
fonly=$(comm -13 <(sort <<<"$x") <(jq -r '.results[].id' <<<"$f" | sort))
expect "pari: what Xapian finds, FTS5 finds" test -z "$(comm -23 <(sort <<<"$x") <(jq -r '.results[].id' <<<"$f" | sort))"
expect "pari: FTS5 finds more" test -n "$fonly"
expect "pari: every FTS5 hit highlights what it was found by" test \
    "$(jq '[.results[] | select(([.snippets[].highlights | length] | add // 0) == 0)] | length' <<<"$f")" = 0
expect "pari: what only FTS5 finds is French" test -z "$(jq -r --arg ids "$fonly" \
    '.results[] | select(.id as $i | $ids | split("\n") | index($i)) | select(.lang != "fr") | .id' <<<"$f")"

# Xapian stem terms carry no positions (index-schema/xapian-v3.md): a phrase
# finds an inflection through the words shard 0's stem list gives.
d=$(xapian-delve -t Zenguarante "$T/x.xdb" | grep -o ': [0-9].*' | awk '{print $2}')
expect "xapian: the stem term is indexed (document $d)" test -n "$d"
expect "xapian: ... without positions" test "$(xapian-delve -t Zenguarante -r "$d" "$T/x.xdb")" \
    = "Position List for term 'Zenguarante', record #$d:"
expect "xapian: its word has them" \
    grep -qE "record #$d: [0-9]" <<<"$(xapian-delve -t guarantees -r "$d" "$T/x.xdb")"
run search -d "$T/x.xdb" -f ids -n 0 '"security guarantee"'
expect "xapian: a phrase of a singular finds the plural (3 articles write only that)" \
    test "$(sort <<<"$out" | tr '\n' ' ')" = "awr-2022-0329-01 bm-2023-0712-01 cpa-2022-1203-02 "

expect "first hit agrees in at least 70% of ranked queries" test $((top1 * 10)) -ge $((top1_n * 7))
expect "top-3 overlap at least 70%" test $((overlap_sum * 10)) -ge $((overlap_n * 3 * 7))

# Filter-only and sorted listings are ordered the same way.
for q in 'date:2022-12' 'lang:en'; do
    for sort in newest oldest; do
        f=$("$NEWSIDX" search -d "$T/f.db" -f ids -n 0 --sort $sort -- "$q")
        x=$("$NEWSIDX" search -d "$T/x.xdb" -f ids -n 0 --sort $sort -- "$q")
        expect "same order: $q --sort $sort" test "$f" = "$x"
    done
done

# Snippets come from the shared generator: the same for the same article.
f=$("$NEWSIDX" search -d "$T/f.db" -f json -n 1 'Baklanov conditions' | jq -c '.results[0].snippets')
x=$("$NEWSIDX" search -d "$T/x.xdb" -f json -n 1 'Baklanov conditions' | jq -c '.results[0].snippets')
expect "same snippet from both engines" test "$f" = "$x"

# Re-indexing works the same on Xapian: unchanged files skipped, no duplicates.
run index -d "$T/x.xdb" "$CORPUS"
expect "xapian: second run unchanged" has "0 indexed, 45 unchanged" "$out"
run show -d "$T/x.xdb" mh-2022-1205-03
expect "xapian: show an article" has "Baklanov sets out" "$out"

# Errors: wrong engine, missing or unreadable databases.
run index --engine xapian -d "$T/f.db" "$CORPUS/sport"
expect_rc "engine of an existing index cannot change" 2
expect "says which engine it is" has "existing fts5 index" "$err"
mkdir -p "$T/empty"
run search -d "$T/empty" kyiv
expect_rc "folder that is no index: exit 2" 2
expect "folder that is no index: clear message" has "not a newsidx index" "$err"
run search -d "$T/x.xdb" -d "$T/f.db" kyiv
expect_rc "FTS5 file among Xapian databases: exit 2" 2
run search -d "$T/nope.xdb" -d "$T/x.xdb" kyiv
expect_rc "missing database among several: exit 2" 2
expect "missing database named" has "nope.xdb" "$err"
finish
