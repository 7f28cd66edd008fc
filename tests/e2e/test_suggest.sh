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
    # Cyrillic: one letter changed is one edit, as in Latin (a byte count
    # made it two), and the suggestion keeps the capital.
    run search -d "$DB" -f json -- 'Бакланоф'
    expect "$engine: Бакланоф suggests Бакланов" test "$(jq -r .suggestion <<<"$out")" = Бакланов
    run search -d "$DB" -f json -- 'бакланоф'
    expect "$engine: in lower case, in lower case" test "$(jq -r .suggestion <<<"$out")" = бакланов
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

# FTS5 keeps a spelling list (the index's words by letter and length) so
# that a misspelt word does not read the letter's share of the index.
DB=$T/spell.idx
S=$T/spell-src
mkdir -p "$S"
cp -r "$CORPUS"/. "$S"/
"$NEWSIDX" index -q -d "$DB" "$S"
expect "fts5: a new index's spelling list is complete" \
    test "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'spelling'")" = 2
expect "fts5: the list holds the corpus's words by length" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM spelling WHERE word = 'baklanov' AND len = 8")" = 1
# The words collected while indexing (listed by the indexing worker) are
# exactly those optimize reads back from the full-text index.
spell_list() { sqlite3 "$1" "SELECT len || ' ' || word FROM spelling ORDER BY len, word" | md5sum; }
cp "$DB" "$T/spell-copy.idx"
"$NEWSIDX" optimize -d "$T/spell-copy.idx"
expect "fts5: the list collected while indexing is the index's words, no more, no less ($(sqlite3 "$DB" 'SELECT count(*) FROM spelling') words)" \
    test "$(spell_list "$DB")" = "$(spell_list "$T/spell-copy.idx")"
# Words of other alphabets are suggested as Latin ones are (only a-z once
# were), counted in letters and with the case of the word typed.
run search -d "$DB" -f json Бакланоф
expect "fts5: a Cyrillic name: did you mean" test "$(jq -r .suggestion <<<"$out")" = Бакланов
expect "fts5: the Cyrillic name is in the list" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM spelling WHERE word = 'бакланов' AND len = 16")" = 1
run search -d "$DB" -f json 'дипломатов армия Бакланоф'
expect "fts5: a Cyrillic name among words: only it replaced" \
    test "$(jq -r .suggestion <<<"$out")" = 'дипломатов армия Бакланов'
# A list from before it held such words (mark 1): they are looked for in
# the full-text index instead.
cp "$DB" "$T/mark1.idx"
sqlite3 "$T/mark1.idx" "DELETE FROM spelling WHERE word >= char(128);
                        UPDATE meta SET value = '1' WHERE key = 'spelling'"
run search -d "$T/mark1.idx" -f json Бакланоф
expect "fts5: a list of a-z words only: Cyrillic words found in the index" \
    test "$(jq -r .suggestion <<<"$out")" = Бакланов
run search -d "$T/mark1.idx" -f json Baklanof
expect "fts5: ... and a-z words still from the list" \
    test "$(jq -r .suggestion <<<"$out")" = Baklanov
# A word first met in a later run is in the list too.
printf 'Quarry report\n\nThe Zarnowitz quarry reopened after the inspection.\n' >"$S/late.txt"
"$NEWSIDX" index -q -d "$DB" "$S"
run search -d "$DB" -f json Zarnowicz
expect "fts5: a word indexed in a later run is suggested" \
    test "$(jq -r .suggestion <<<"$out")" = Zarnowitz
# The list is what is read: a word taken out of it is no longer suggested.
sqlite3 "$DB" "DELETE FROM spelling WHERE word = 'zarnowitz'"
run search -d "$DB" -f json Zarnowicz
expect "fts5: suggestions come from the list" test "$(jq -r .suggestion <<<"$out")" = null
# An index made before the list (no table, no mark) reads the letter's
# words instead; optimize makes the list.
sqlite3 "$DB" "DROP TABLE spelling; DELETE FROM meta WHERE key = 'spelling'"
run search -d "$DB" -f json Zarnowicz
expect "fts5: without a list, the index's words are read" \
    test "$(jq -r .suggestion <<<"$out")" = Zarnowitz
run optimize -d "$DB"
expect_rc "fts5: optimize" 0
expect "fts5: optimize makes the list, complete" \
    test "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'spelling'"),$(sqlite3 "$DB" "SELECT count(*) FROM spelling WHERE word = 'zarnowitz'")" = 2,1
expect "fts5: optimize puts the Cyrillic words in the list" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM spelling WHERE word = 'бакланов'")" = 1
# A writer on such an index adds its words, but does not call the list
# complete: the article already there are not in it.
sqlite3 "$DB" "DROP TABLE spelling; DELETE FROM meta WHERE key = 'spelling'"
printf 'Ferry\n\nThe Quillothen ferry sailed at dawn.\n' >"$S/later.txt"
"$NEWSIDX" index -q -d "$DB" "$S"
expect "fts5: a list started on an older index is not marked complete" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE key = 'spelling'"),$(sqlite3 "$DB" "SELECT count(*) FROM spelling WHERE word = 'quillothen'")" = 0,1
run search -d "$DB" -f json Zarnowicz
expect "fts5: an incomplete list is not used" test "$(jq -r .suggestion <<<"$out")" = Zarnowitz
finish
