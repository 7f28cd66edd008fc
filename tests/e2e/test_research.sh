# test_research.sh - counting instead of listing: facets beside the hits and
# timelines per period, on both engines.
. "$(dirname "$0")/lib.sh"
for engine in fts5 xapian; do
    DB=$T/$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$CORPUS"
    run search -d "$DB" -f json -n 1 --facets source,lang,year kyiv
    total=$(jq .total <<<"$out")
    expect "$engine: --facets source counts add up to the total" \
        test "$(jq '[.facets.source[].count] | add' <<<"$out")" = "$total"
    expect "$engine: --facets lang counts add up" test "$(jq '[.facets.lang[].count] | add' <<<"$out")" = "$total"
    expect "$engine: --facets year in time order" test "$(jq -c '[.facets.year[].value]' <<<"$out")" = '["2022","2023"]'
    run search -d "$DB" -n 1 --facets source kyiv
    expect "$engine: text facets printed" has "Atlantic Wire Service" "$out"

    run timeline -d "$DB" --by month --format csv 'Baklanov date:2022-12..2023-03'
    expect_rc "$engine: timeline exits 0" 0
    expect "$engine: timeline counts per month, empty months as zero" \
        test "$(tail -n +2 <<<"$out" | tr '\n' ' ')" = "2022-12,2 2023-01,0 2023-02,1 2023-03,1 "
    run timeline -d "$DB" --format json --by year 'date:2022..2023'
    expect "$engine: yearly totals match the corpus" test "$(jq -c '[.periods[].articles]' <<<"$out")" = "[$(grep -c . <<<"$("$NEWSIDX" search -d "$DB" --no-collapse -f ids -n 0 date:2022)"),$(grep -c . <<<"$("$NEWSIDX" search -d "$DB" --no-collapse -f ids -n 0 date:2023)")]"
    run timeline -d "$DB" --by week --format csv 'date:2022-12-01..2022-12-31'
    expect "$engine: weeks start on Monday" test "$(sed -n 2p <<<"$out" | cut -d, -f1)" = "2022-11-28"
    run timeline -d "$DB" --svg "$T/$engine.svg" negotiations
    expect "$engine: text timeline draws bars" has "█" "$out"
    expect "$engine: the SVG parses as XML" python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$T/$engine.svg"
    run timeline -d "$DB" xylophonequark
    expect_rc "$engine: timeline of nothing: exit 1" 1
done
for engine in fts5 xapian; do
    DB=$T/$engine.idx
    run search -d "$DB" Baklanof
    expect_rc "$engine: misspelt name: nothing found" 1
    expect "$engine: Baklanof suggests Baklanov" has "did you mean: Baklanov" "$err"
    run search -d "$DB" -f json negotiatoins
    expect "$engine: suggestion in JSON" test "$(jq -r .suggestion <<<"$out")" = negotiations
    run search -d "$DB" --fix -f ids -n 1 'Baklanof conditons'
    expect "$engine: --fix runs the corrected query" test "$out" = mh-2022-1205-03
    run search -d "$DB" -f json kyiv
    expect "$engine: no suggestion when the words are common" test "$(jq -r .suggestion <<<"$out")" = null
done
# Names and similar articles, with two wire copies of one story.
A=$T/wire
mkdir -p "$A"
cp -r "$CORPUS"/* "$A/"
orig="$A/diplomacy/2022-12-05-baklanov-conditions-for-talks.txt"
body=$(awk 'NR>1 && started {print} /^$/ {started=1}' "$orig")
printf 'Title: Russian ex-envoy lists terms for resuming talks\nDate: 2022-12-05T16:00:00Z\nSource: Northern Post\n\nBy a staff writer\n\n%s\n' "$body" >"$A/copy1.txt"
printf 'Title: Baklanov: talks only on Moscow terms\nDate: 2022-12-06T08:00:00Z\nSource: Danube Daily\n\n%s\n' "$(head -c 1500 <<<"$body")" >"$A/copy2.txt"
for engine in fts5 xapian; do
    DB=$T/wire-$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$A"
    run names -d "$DB" -f json -n 50 Baklanov
    expect_rc "$engine: names exits 0" 0
    expect "$engine: names: Haines (named with Baklanov) ranks above Putin (named everywhere)" \
        test "$(jq '[.names[].name] | (index("Avril Haines") // 99) < (index("Putin") // 99)' <<<"$out")" = true
    expect "$engine: names: the query's own name is not listed" \
        test "$(jq '[.names[].name | select(test("Baklanov"))] | length' <<<"$out")" = 0
    run names -d "$DB" -f json -n 50 macron
    expect "$engine: names: the query's own name is not listed when typed in lower case" \
        test "$(jq '[.names[].name | select(test("Macron"))] | length' <<<"$out")" = 0
    expect "$engine: names shows counts" test "$(jq '.names[0].with > 0 and .names[0].everywhere >= .names[0].with' <<<"$out")" = true
    run similar -d "$DB" -f ids -n 3 mh-2022-1205-03
    expect_rc "$engine: similar exits 0" 0
    expect "$engine: similar: never the article itself" lacks "mh-2022-1205-03" "$out"
    expect "$engine: similar: copies left out" lacks "copy1.txt" "$out"
    expect "$engine: similar: the other Baklanov-on-talks article in the first two" \
        has "awr-2022-1206-01" "$(head -n 2 <<<"$out")"
    run similar -d "$DB" -f ids -n 3 --copies mh-2022-1205-03
    expect "$engine: similar --copies lists the copies first" has "wire/copy1.txt" "$(head -n 2 <<<"$out")"
    run similar -d "$DB" no-such-id
    expect_rc "$engine: similar of an unknown id: exit 1" 1
done

# Wire copies (corpus/README fact 8): awr-2023-0526-01 and three lightly
# edited copies under other outlets are one cluster; mh-2023-0526-01 reports
# the same event in other words and is not a copy.
for engine in fts5 xapian; do
    DB=$T/$engine.idx
    run search -d "$DB" -f json -n 10 Baklanov samovar
    expect_rc "$engine: wire copies: search exits 0" 0
    expect "$engine: wire copies collapse: 5 articles, 2 hits" \
        test "$(jq '[.total, (.results | length)] | @csv' <<<"$out")" = '"5,2"'
    expect "$engine: the collapsed hit stands for its 3 copies" \
        test "$(jq -c '[.results[] | select(.copies | length > 0) | [.id, .copies[].id]] | map(sort)' <<<"$out")" \
        = '[["awr-2023-0526-01","ee-2023-0527-01","hg-2023-0526-04","nc-2023-0527-01"]]'
    expect "$engine: the independent report is a hit of its own, without copies" \
        test "$(jq -c '[.results[] | select(.id == "mh-2023-0526-01") | .copies | length]' <<<"$out")" = '[0]'
    # Only the copies that match are listed: "condemn" is in two of the
    # four (the FTS5 engine tells them from the matches it ranked).
    run search -d "$DB" -f json -n 10 samovar =condemn
    expect "$engine: copies are those that match the query, not the whole cluster" \
        test "$(jq -c '[.results[] | [.id, [.copies[].id]]]' <<<"$out")" \
        = '[["nc-2023-0527-01",["awr-2023-0526-01"]]]'
    run search -d "$DB" -f json -n 10 --since 2023-05-27 samovar =condemn
    expect "$engine: ... and pass the search's filters" \
        test "$(jq -c '[.results[] | [.id, [.copies[].id]]]' <<<"$out")" = '[["nc-2023-0527-01",[]]]'
    run search -d "$DB" Baklanov samovar
    expect "$engine: text says '+3 copies' with the outlets" \
        has "+3 copies: " "$out"
    expect "$engine: text names the copies' sources" has "Harbourside Gazette" "$out"
    run search -d "$DB" --no-collapse -f ids -n 0 Baklanov samovar
    expect "$engine: --no-collapse lists all 5" test "$(grep -c . <<<"$out")" = 5
    run search -d "$DB" -f ids -n 1 --offset 1 Baklanov samovar
    expect "$engine: --offset counts collapsed hits" test "$(grep -c . <<<"$out")" = 1
    run search -d "$DB" -n 1 --offset 1 Baklanov samovar
    expect "$engine: last page: no promise of more hits" lacks "show more" "$out"
    expect "$engine: last page: says copies are folded in" has "copies are folded in" "$out"
    run search -d "$DB" -n 1 Baklanov samovar
    expect "$engine: first page of two: says there is more" has "(1 of 5 shown" "$out"
    run timeline -d "$DB" --by month --since 2023-03 --until 2023-07 --format csv Baklanov
    expect "$engine: timeline of Baklanov rises and falls: 1 3 5 2 1" \
        test "$(tail -n +2 <<<"$out" | cut -d, -f2 | tr '\n' ' ')" = "1 3 5 2 1 "
    run timeline -d "$DB" --by month --since 2023-03 --until 2023-07 --unique --format csv Baklanov
    expect "$engine: --unique counts the wire story once: 1 3 2 2 1" \
        test "$(tail -n +2 <<<"$out" | cut -d, -f2 | tr '\n' ' ')" = "1 3 2 2 1 "
    expect "$engine: --unique says stories" has "period,stories" "$out"
    run timeline -d "$DB" --by month --since 2023-03 --until 2023-07 --split source --format csv Baklanov
    expect "$engine: --split source: the sources' counts add up per month" \
        test "$(tail -n +2 <<<"$out" | awk -F, '{n[$1]+=$NF} END {for (k in n) print k, n[k]}' | sort | cut -d' ' -f2 | tr '\n' ' ')" = "1 3 5 2 1 "
    expect "$engine: --split source: every source has every month" \
        test "$(tail -n +2 <<<"$out" | wc -l)" = "$(( $(tail -n +2 <<<"$out" | cut -d, -f2 | sort -u | wc -l) * 5 ))"
    run timeline -d "$DB" --by month --split source --unique --format json --svg "$T/split-$engine.svg" Baklanov
    expect_rc "$engine: split timeline exits 0" 0
    expect "$engine: split json has one series per source, biggest first" \
        test "$(jq '[.series[].total] | . == (sort | reverse) and length > 3' <<<"$out")" = true
    expect "$engine: split SVG parses as XML, one line per source shown" \
        test "$(python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(len(d.getElementsByTagName("polyline")) > 1)' "$T/split-$engine.svg")" = True
    run timeline -d "$DB" --split place Baklanov
    expect_rc "$engine: --split takes only source" 2
done
# Indexing the same archive again keeps the clusters; a copy edited into a
# different story leaves its cluster.
W2=$T/wire2
mkdir -p "$W2"
cp "$CORPUS"/wires/atlantic-wire-service-2023.jsonl "$CORPUS"/diplomacy/2023-05-2[67]-*.txt "$CORPUS"/diplomacy/2023-05-27-*.md "$W2/"
for engine in fts5 xapian; do
    DB=$T/wire2-$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$W2"
    run search -d "$DB" -f ids -n 0 samovar
    first=$out
    "$NEWSIDX" index -q --force --engine $engine -d "$DB" "$W2"
    run search -d "$DB" -f ids -n 0 samovar
    expect "$engine: re-indexing keeps the clusters" test "$out" = "$first"
    expect "$engine: two hits: the wire story and the independent report" test "$(grep -c . <<<"$out")" = 2
done
hg=$W2/2023-05-26-chinese-envoy-wraps-up-tour-in-moscow.txt
{ sed '/^$/q' "$hg"; echo "A samovar maker in Tula says orders doubled this spring."; echo
  awk 'NR>1 && started {print} /^$/ {started=1}' "$CORPUS"/economy/2023-06-15-ecb-lifts-deposit-rate.txt; } >"$hg.new"
mv "$hg.new" "$hg"
for engine in fts5 xapian; do
    DB=$T/wire2-$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$W2"
    run search -d "$DB" -f ids -n 0 samovar
    expect "$engine: a copy rewritten into another story leaves the cluster" has "hg-2023-0526-04" "$out"
    expect "$engine: ... and is a hit of its own (3 hits)" test "$(grep -c . <<<"$out")" = 3
done

run timeline --help
expect_rc "timeline --help" 0
finish
