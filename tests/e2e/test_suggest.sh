# test_suggest.sh - "did you mean" on both engines: which words it replaces,
# and that it follows the index as articles are replaced.
. "$(dirname "$0")/lib.sh"
for engine in fts5 xapian; do
    DB=$T/$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$CORPUS"
    run search -d "$DB" Baklanof
    expect_rc "$engine: misspelt name: nothing found" 1
    expect "$engine: Baklanof suggests Baklanov" has "did you mean: Baklanov" "$err"
    # The misspelt word also sits inside a longer one before it: only the
    # word itself is replaced.
    run search -d "$DB" -f json -- 'xBaklanof Baklanof'
    expect "$engine: a word is replaced where it stands, not inside another" \
        test "$(jq -r .suggestion <<<"$out")" = 'xBaklanof Baklanov'
    run search -d "$DB" -f json -- 'Baklanof "Baklanof conditons"'
    expect "$engine: every occurrence replaced, phrases too" \
        test "$(jq -r .suggestion <<<"$out")" = 'Baklanov "Baklanov conditions"'
    run search -d "$DB" -f json -- 'negotiatoins nagotiations'
    expect "$engine: two words with one first letter" \
        test "$(jq -r .suggestion <<<"$out")" = 'negotiations negotiations'
    run search -d "$DB" -f json -- 'kyiv negotiations xylophonequark'
    expect "$engine: no suggestion without a close word" \
        test "$(jq -r .suggestion <<<"$out")" = null
    run search -d "$DB" -f json -- 'Baklanof*'
    expect "$engine: prefix words are left alone" test "$(jq -r .suggestion <<<"$out")" = null
done

# Every Baklanov renamed Baklanow and indexed again: the old name lives on
# only in deleted entries, and must not be suggested.
A=$T/renamed
cp -r "$CORPUS" "$A"
for engine in fts5 xapian; do
    "$NEWSIDX" index -q --engine $engine -d "$T/renamed-$engine.idx" "$A"
done
grep -rl Baklanov "$A" | while read -r f; do
    sed -i 's/Baklanov/Baklanow/g' "$f"
    touch -d '+1 minute' "$f"
done
for engine in fts5 xapian; do
    DB=$T/renamed-$engine.idx
    run index -q -d "$DB" "$A"
    expect_rc "$engine: renamed articles indexed again" 0
    run search -d "$DB" -f json Baklanof
    expect "$engine: after the renaming, Baklanof suggests Baklanow" \
        test "$(jq -r .suggestion <<<"$out")" = Baklanow
    run search -d "$DB" -f ids -n 0 Baklanov
    expect_rc "$engine: the old name finds nothing" 1
done
finish
