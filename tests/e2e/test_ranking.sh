# test_ranking.sh - how the FTS5 engine scores and expands query words:
# a word's forms score as one word, the languages a query is stemmed in,
# and what ranked OR (--any) leaves out.
. "$(dirname "$0")/lib.sh"
DB=$T/rank.db
J=$T/rank.jsonl
# 250 English filler stories, so that one French story is under 1% of them.
numbered 1 250 '{"id":"f@","title":"Harbour report @","lang":"en","body":"Report @ on the harbour, the weather over the bay and the ferries that crossed it during week @."}' >"$J"
cat >>"$J" <<'EOF'
{"id":"oil-1","title":"Tanker","lang":"en","body":"A tanker brought oil to the refinery near the old quay."}
{"id":"oil-2","title":"Tanker","lang":"en","body":"A tanker brought oils to the refinery near the old quay."}
{"id":"spain-1","title":"Colonies","lang":"en","body":"Madrid relaxed its controls over the African territories this year."}
{"id":"letter-s","title":"Initials","lang":"en","body":"Signed S and dated, the note mentions nothing else of interest."}
{"id":"fr-1","title":"Genève","lang":"fr","body":"Les négociations ont repris à Genève entre les deux délégations."}
EOF
"$NEWSIDX" index -q -d "$DB" "$J" || { echo "FAIL indexing"; finish; }
S() { run search -d "$DB" "$@"; }

S --no-collapse -f json oil
expect_rc "oil: found" 0
scores=$(jq -r '[.results[] | .score] | map(tostring) | join(" ")' <<<"$out")
expect "oil and oils: both found" test "$(jq '.results | length' <<<"$out")" = 2
expect "an article saying oils scores as one saying oil (one word, not two rarer terms)" \
    test "$(jq '[.results[].score] | (.[0] - .[1]) | fabs < 1e-9' <<<"$out")" = true

S --explain -n 0 oil
# The index holds no stem terms: the stems table lists the written words
# that share oil's stem, and the query asks for each.
expect "a word is looked up as its written forms ORed" has '("|!|oil" OR "|!|oils")' "$err"

# One French story among 251: French is not a main language of the index.
S --explain -f ids negociation
expect "the query is not stemmed in a language under 1% of the articles" lacks "~fr" "$err"
expect_rc "so a French inflection is not found in English" 1
S --explain -f ids negociation lang:fr
expect_rc "lang:fr stems the query in French" 0
expect "lang:fr finds the French story" test "$out" = "fr-1"
S -f ids négociations
expect "its written form is found whatever the languages" test "$out" = "fr-1"

S --any --explain -f ids spain s relaxation controls
expect "--any leaves a stray single letter out" lacks '"|!|s"' "$err"
expect "--any keeps the other words" has '"|!|relax"' "$err"
expect "--any: the story about controls ranks first, not the one signed S" \
    test "$(head -1 <<<"$out")" = "spain-1"
S --any --explain -f ids s
expect "--any: a single letter alone is still searched" has '"|!|s"' "$err"
S -f ids s relaxation
expect "without --any, every word binds" test -z "$out"


# The lead: a word among a story's first 30 words counts twice, on both
# engines. Two stories of the same 40 words, the word first in one and
# last in the other; the later story (newer date) would win a tie.
for engine in fts5 xapian; do
    L=$T/lead-$engine.jsonl
    fill=$(printf 'port %.0s' $(seq 1 39))
    {
        printf '{"id":"late","date":"2024-02-01","title":"Harbour","body":"%sdredger"}\n' "$fill"
        printf '{"id":"first","date":"2024-01-01","title":"Harbour","body":"dredger %s"}\n' "$fill"
        for i in $(seq 1 8); do
            printf '{"id":"p%d","date":"2024-01-0%d","title":"Harbour","body":"%sport"}\n' "$i" "$i" "$fill"
        done
    } >"$L"
    "$NEWSIDX" index -q --engine $engine -d "$T/lead-$engine.idx" "$L"
    run search -d "$T/lead-$engine.idx" -f ids dredger
    expect "$engine: the story with the word in its lead ranks first" \
        test "$(tr '\n' ' ' <<<"$out")" = "first late "
done

# Equal scores are ordered newest first, then by id, on every page: only the
# hits that can reach a page have their dates read (the score of its last
# place is the cut), so ties straddling the cut must still come in order.
for engine in fts5 xapian; do
    E=$T/ties-$engine.jsonl
    {
        numbered 10 69 '{"id":"t@","date":"19@-06-01","title":"Pier","body":"The tide gauge at the pier read low."}'
        printf '{"id":"h1","date":"1900-01-01","title":"Gauge","body":"The tide gauge at the pier read low."}\n'
        printf '{"id":"h2","date":"1901-01-01","title":"Gauge","body":"The tide gauge at the pier read low."}\n'
    } >"$E"
    "$NEWSIDX" index -q --engine $engine -d "$T/ties-$engine.idx" "$E"
    want=$(printf 'h2 h1 '; for i in $(seq 69 -1 10); do printf 't%d ' "$i"; done)
    run search -d "$T/ties-$engine.idx" --no-collapse -n 100 -f ids gauge
    expect "$engine: equal scores newest first, after the better ones" \
        test "$(tr '\n' ' ' <<<"$out")" = "$want"
    run search -d "$T/ties-$engine.idx" --no-collapse -n 4 -f ids gauge
    expect "$engine: the first page of ties" test "$(tr '\n' ' ' <<<"$out")" = "h2 h1 t69 t68 "
    run search -d "$T/ties-$engine.idx" --no-collapse --offset 30 -n 5 -f ids gauge
    expect "$engine: a page in the middle of the ties" \
        test "$(tr '\n' ' ' <<<"$out")" = "t41 t40 t39 t38 t37 "
    run search -d "$T/ties-$engine.idx" --no-collapse -n 4 -f json gauge
    expect "$engine: the total counts every match when the ranked pool was run again" \
        test "$(jq .total <<<"$out")" = 62
done
finish
