# test_languages.sh - every article in its own language, on both engines:
# detection, per-language stemming, cross-language queries, names that
# inflect, CJK, folding and language filters.
. "$(dirname "$0")/lib.sh"
D=$T/multi
mkdir -p "$D"
# Articles without any language metadata: detected from the text.
cat >"$D/fr.txt" <<'TXT'
Title: Les négociations reprennent à Genève

Les négociateurs européens se sont retrouvés lundi à Genève pour reprendre les
discussions sur le climat. Selon plusieurs diplomates, les pays riches devront
augmenter leur aide financière avant la fin de l'année. La délégation française
a proposé un nouveau calendrier de négociation, jugé ambitieux par ses partenaires.
TXT
cat >"$D/de.txt" <<'TXT'
Title: Neue Verhandlungen über die Energiepreise

Die Bundesregierung hat am Dienstag neue Verhandlungen mit den Energieversorgern
angekündigt. Die Preise für Strom und Gas sollen im kommenden Winter stabil bleiben,
sagte der Wirtschaftsminister in Berlin. Die Opposition kritisierte den Plan als zu
spät und zu teuer für die Steuerzahler.
TXT
cat >"$D/es.txt" <<'TXT'
Title: El Gobierno negocia con los agricultores

El Gobierno español inició el miércoles una nueva ronda de negociaciones con las
organizaciones agrarias para frenar las protestas en las carreteras. Los agricultores
reclaman precios justos y menos burocracia para acceder a las ayudas europeas.
TXT
cat >"$D/ru.txt" <<'TXT'
Title: Бакланов о переговорах

Бывший посол Андрей Бакланов заявил в понедельник, что переговоры о прекращении огня
невозможны без новых гарантий безопасности. По его словам, зимой дипломатия может
получить дополнительный шанс, если стороны согласятся на обмен пленными.
TXT
cat >"$D/ru2.txt" <<'TXT'
Title: Слова посла

Заявление Бакланова вызвало споры среди экспертов в Москве и Киеве. Аналитики
напомнили, что дипломаты уже не раз обсуждали подобные условия перемирия.
TXT
cat >"$D/ar.txt" <<'TXT'
Title: مفاوضات جديدة في جدة

بدأت في مدينة جدة يوم السبت جولة جديدة من المفاوضات بين ممثلي عدة دول لبحث سبل
إنهاء الحرب. وقال مسؤولون إن المحادثات ركزت على الأمن الغذائي وتبادل الأسرى وحماية
المدنيين في مناطق القتال.
TXT
cat >"$D/zh.txt" <<'TXT'
Title: 乌克兰粮食出口协议延长

联合国周五表示，乌克兰粮食出口协议将再延长一百二十天。分析人士认为，这一决定有助于稳定
国际粮食价格，并缓解非洲和中东国家的供应压力。
TXT
cat >"$D/en.txt" <<'TXT'
Title: Talks resume in Geneva

Negotiators from thirty countries resumed talks in Geneva on Monday, hoping to agree
on a new climate finance target before the end of the year. Diplomats said the mood
was cautious but that a deal was possible if richer nations increased their pledges.
TXT
printf 'Title: OK\n\nKyiv 2023\n' >"$D/short.txt"

for engine in fts5 xapian; do
    DB=$T/$engine.idx
    "$NEWSIDX" index -q --engine $engine -d "$DB" "$D"
    run stats -d "$DB" --format json
    langs=$(jq -r '[.by_language[] | "\(.value)=\(.articles)"] | sort | join(" ")' <<<"$out")
    expect "$engine: each article's language detected" \
        test "$langs" = "ar=1 de=1 en=2 es=1 fr=1 ru=2 zh=1"
    run search -d "$DB" -f ids négociation
    expect "$engine: a French query with inflection finds the French article" has "multi/fr.txt" "$out"
    run search -d "$DB" -f ids negotiating
    expect "$engine: an English query finds the English article" test "$out" = "multi/en.txt"
    run search -d "$DB" -f ids verhandlung
    expect "$engine: German stemming" test "$out" = "multi/de.txt"
    run search -d "$DB" -f ids negociaciones
    expect "$engine: Spanish stemming" test "$out" = "multi/es.txt"
    run search -d "$DB" -f ids переговор
    expect "$engine: Russian stemming" test "$out" = "multi/ru.txt"
    run search -d "$DB" -f ids المفاوضات
    expect "$engine: Arabic stemming" test "$out" = "multi/ar.txt"
    run search -d "$DB" -f ids -n 0 Бакланова
    expect "$engine: Бакланова finds Бакланов" has "multi/ru.txt" "$out"
    expect "$engine: and itself" has "multi/ru2.txt" "$out"
    run search -d "$DB" -f ids -n 0 =бакланова
    expect "$engine: =бакланова is the exact form only" test "$out" = "multi/ru2.txt"
    run search -d "$DB" -n 1 Бакланова --mark '<,>'
    expect "$engine: the snippet highlights the inflected form found" has "<Бакланов>" "$out"
    run search -d "$DB" -f ids 乌克兰
    expect "$engine: a Chinese word is found" test "$out" = "multi/zh.txt"
    run search -d "$DB" -f json 粮食出口 
    expect "$engine: and highlighted" test "$(jq -r '.results[0].snippets[0] as $s | $s.highlights[0] as $h | $s.text[$h.start:$h.end]' <<<"$out")" = "粮食出口"
    run search -d "$DB" -f ids --sort newest lang:ru
    expect "$engine: lang:ru lists the Russian articles" test "$(sort <<<"$out" | tr '\n' ' ')" = "multi/ru.txt multi/ru2.txt "
    run search -d "$DB" -f ids talks --lang en
    expect "$engine: --lang filters" test "$out" = "multi/en.txt"
    run search -d "$DB" -f ids genève
    expect "$engine: diacritics folded (genève = Genève = geneve)" has "multi/fr.txt" "$out"
    run search -d "$DB" -f ids geneve
    expect "$engine: geneve finds Genève" test "$out" = "multi/fr.txt"
done
# The shipped corpus: lang metadata wins, the Chinese article is labelled.
"$NEWSIDX" index -q -d "$T/c.db" "$CORPUS"
run search -d "$T/c.db" -f ids lang:zh
expect "corpus: the Chinese article is lang zh" test "$out" = "gmd-2023-0818-zh"
run search -d "$T/c.db" -f ids -n 0 lang:fr
expect "corpus: three French articles" test "$(wc -l <<<"$out")" = 3
# Elided articles: l’Élysée is found as Élysée (it was one word, lelysee).
run search -d "$T/c.db" -f ids 'Élysée lang:fr'
expect "corpus: Élysée finds the French article that writes l’Élysée" \
    test "$out" = cds-2022-1204-fr
run search -d "$T/c.db" -f ids -n 0 'title:Emmanuel lang:fr'
expect "corpus: Emmanuel finds the French title that writes d’Emmanuel" \
    test "$out" = cds-2022-1204-fr
run search -d "$T/c.db" -n 1 'Élysée lang:fr'
expect "corpus: the highlight marks Élysée, not its article" has "l’[[Élysée]]" "$out"

# A query is stemmed in the index's main languages (1% of its articles or
# more). The FTS5 writer keeps them in meta 'languages' for searches to
# read; without that row they are counted.
python3 "$ROOT/tests/gen_archive.py" "$T/en" --articles 300 --files 3 --seed 5 >/dev/null
"$NEWSIDX" index -q -d "$T/m.db" "$T/en"
"$NEWSIDX" index -q -d "$T/m.db" "$D/fr.txt"
run search -d "$T/m.db" --explain -n 1 négociations
# négociateurs shares the French stem of négociations (negoci), not the
# English one (negociat): the query asks for it only when stemmed in French.
expect "one French article in 301: French is not a main language" lacks "negociateurs" "$err"
expect "the writer noted the languages" \
    test "$(sqlite3 "$T/m.db" "SELECT value FROM meta WHERE key = 'languages'")" = "en:1 fr:0"
mkdir -p "$T/fr3"
for i in 1 2 3; do sed "s/^Title: .*/Title: Genève, jour $i/" "$D/fr.txt" >"$T/fr3/fr$i.txt"; done
"$NEWSIDX" index -q -d "$T/m.db" "$T/fr3"
run search -d "$T/m.db" --explain -n 1 négociations
expect "four in 304: French is a main language, the query is stemmed in it too" has \
    '"|!|negociateurs"' "$err"
sqlite3 "$T/m.db" "DELETE FROM meta WHERE key = 'languages'"
run search -d "$T/m.db" --explain -n 1 négociations
expect "without the noted languages, they are counted: the same" has '"|!|negociateurs"' "$err"
finish
