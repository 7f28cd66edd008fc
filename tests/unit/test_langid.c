/* test_langid.c - unit tests for nx_langid_detect (src/analyze/langid.c). */
#include "analyze/langid.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lang_case {
    const char *want;
    const char *text;
};

/* News-like paragraphs, three or four sentences each. */
static const struct lang_case texts[] = {
    {"en", "The central bank raised interest rates on Thursday for the third time this year, "
           "citing persistent inflation in food and energy prices. Economists had expected the "
           "move, but several warned that higher borrowing costs could slow the housing market. "
           "The governor said the committee would watch wage growth closely before deciding on "
           "further increases."},
    {"en", "Rescue teams were still searching for survivors late on Sunday after a powerful "
           "earthquake struck the mountainous region near the border. Local officials said at "
           "least forty people had been killed and hundreds more injured. Roads to several "
           "villages remain blocked by landslides, making it difficult to deliver aid."},
    {"fr", "Le gouvernement a présenté mercredi un projet de loi visant à réformer le système des "
           "retraites, malgré l'opposition des syndicats. Plusieurs manifestations sont prévues "
           "dans les grandes villes du pays la semaine prochaine. Selon le ministre du Travail, la "
           "réforme permettra d'assurer l'équilibre financier du régime d'ici à 2030."},
    {"de", "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer "
           "Energien beschlossen. Nach Angaben des Wirtschaftsministeriums sollen bis zum Ende "
           "des Jahrzehnts deutlich mehr Windräder gebaut werden. Kritiker aus der Opposition "
           "bemängeln jedoch, dass die Finanzierung noch nicht geklärt sei."},
    {"es", "El Gobierno anunció este martes un nuevo paquete de medidas para contener la subida "
           "de los precios de la energía. Según el ministerio de Economía, las ayudas "
           "beneficiarán a más de tres millones de hogares durante el invierno. La oposición "
           "criticó que el plan llega tarde y pidió una rebaja de impuestos."},
    {"it", "Il governo ha approvato ieri sera un decreto che prevede nuovi aiuti per le famiglie "
           "colpite dall'aumento delle bollette. Secondo il ministro dell'Economia, le misure "
           "costeranno circa cinque miliardi di euro e saranno finanziate senza nuovo debito. I "
           "sindacati hanno accolto con favore la decisione, ma chiedono interventi più "
           "strutturali."},
    {"pt", "O governo anunciou nesta quarta-feira um novo pacote de medidas para conter a alta "
           "dos preços dos combustíveis. De acordo com o ministro da Economia, as mudanças devem "
           "entrar em vigor no próximo mês. Os caminhoneiros, que ameaçavam fazer uma greve "
           "nacional, disseram que vão analisar a proposta antes de tomar uma decisão."},
    {"nl", "Het kabinet heeft dinsdag nieuwe maatregelen aangekondigd om de stijgende "
           "energieprijzen voor huishoudens te compenseren. Volgens de minister van Financiën "
           "kost het pakket ongeveer vier miljard euro. De oppositie vindt dat de steun te laat "
           "komt en dat vooral gezinnen met lage inkomens moeten worden geholpen."},
    {"ru", "Правительство в среду одобрило новый пакет мер поддержки малого бизнеса, "
           "пострадавшего от роста цен на энергоносители. По словам министра экономики, "
           "программа обойдётся бюджету примерно в сто миллиардов рублей. Эксперты считают, что "
           "этих средств может оказаться недостаточно, если инфляция продолжит ускоряться."},
    {"uk", "Уряд у середу ухвалив нову програму підтримки малого бізнесу, який постраждав від "
           "зростання цін на енергоносії. За словами міністра економіки, на це з державного "
           "бюджету буде виділено близько десяти мільярдів гривень. Експерти вважають, що цих "
           "коштів може виявитися недостатньо, якщо інфляція й надалі прискорюватиметься."},
    {"ar", "أعلنت الحكومة يوم الأربعاء عن حزمة جديدة من الإجراءات لدعم الأسر المتضررة من ارتفاع "
           "أسعار المواد الغذائية. وقال وزير الاقتصاد إن هذه الإجراءات ستدخل حيز التنفيذ في "
           "بداية الشهر المقبل. ورحبت النقابات بالقرار لكنها طالبت بزيادة الأجور في القطاع "
           "العام."},
    {"zh", "中国国家统计局周三公布的数据显示，今年第三季度国内生产总值同比增长百分之四点九。"
           "分析人士指出，消费和出口的回暖是经济增长的主要动力。不过，房地产市场持续低迷，"
           "仍然给经济前景带来不确定性。"},
    {"zh", "行政院週三通過新一輪經濟振興方案，預計將投入約一千億元，用於補助中小企業與弱勢"
           "家庭。主計總處表示，今年經濟成長率可望維持在百分之三左右。在野黨則批評政府的措施"
           "來得太晚。"},
    {"ja", "政府は水曜日、物価高騰に対応するための新たな経済対策を閣議決定した。対策の規模は"
           "約二十兆円で、低所得世帯への給付金や電気料金の補助が盛り込まれている。野党からは、"
           "効果が一時的にとどまるとの批判も出ている。"},
    {"ko", "정부는 수요일 물가 상승에 대응하기 위한 새로운 경제 대책을 발표했다. 이번 대책에는 "
           "저소득층 가구에 대한 지원금과 전기 요금 보조가 포함됐다. 야당은 대책의 효과가 "
           "일시적일 것이라며 비판했다."},
    {"el", "Η κυβέρνηση ανακοίνωσε την Τετάρτη νέα μέτρα στήριξης για τα νοικοκυριά που "
           "πλήττονται από την αύξηση των τιμών της ενέργειας. Σύμφωνα με τον υπουργό "
           "Οικονομικών, το κόστος των μέτρων θα ξεπεράσει τα δύο δισεκατομμύρια ευρώ. Η "
           "αντιπολίτευση υποστηρίζει ότι η βοήθεια έρχεται πολύ αργά."},
    {"tr", "Hükümet çarşamba günü enerji fiyatlarındaki artışa karşı yeni bir destek paketi "
           "açıkladı. Ekonomi bakanına göre paket, dar gelirli ailelere yapılacak doğrudan "
           "ödemeleri ve elektrik faturalarına indirim içeriyor. Muhalefet partileri ise "
           "önlemlerin yetersiz olduğunu ve enflasyonun kontrol altına alınamadığını söyledi."},
    {"pl", "Rząd przedstawił w środę nowy pakiet pomocy dla gospodarstw domowych dotkniętych "
           "wzrostem cen energii. Według ministra finansów koszt programu wyniesie około "
           "dziesięciu miliardów złotych. Opozycja twierdzi, że pomoc przychodzi zbyt późno i nie "
           "obejmie wszystkich potrzebujących rodzin."},
    {"sv", "Regeringen presenterade på onsdagen ett nytt stödpaket till hushåll som drabbats av "
           "de höga elpriserna. Enligt finansministern kommer stödet att kosta omkring tio "
           "miljarder kronor. Oppositionen anser att åtgärderna kommer för sent och att de inte "
           "räcker för att hjälpa de mest utsatta familjerna."},
    {"he", "הממשלה אישרה ביום רביעי תוכנית חדשה לסיוע למשפחות שנפגעו מעליית מחירי האנרגיה. "
           "לדברי שר האוצר, עלות התוכנית תגיע לכשלושה מיליארד שקלים. האופוזיציה טוענת כי הסיוע "
           "מגיע מאוחר מדי."},
    {"th", "รัฐบาลประกาศมาตรการใหม่เมื่อวันพุธเพื่อช่วยเหลือครัวเรือนที่ได้รับผลกระทบจากราคาพลังงาน"
           "ที่สูงขึ้น รัฐมนตรีว่าการกระทรวงการคลังกล่าวว่ามาตรการนี้จะมีผลบังคับใช้ในเดือนหน้า"},
};

/* A heap copy of exactly len bytes, without a terminating NUL, so that
 * AddressSanitizer catches any read past len. */
static char *exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p, s, len);
    return p;
}

static const char *detect_exact(nx_langid *id, const char *s, size_t len)
{
    char *p = exact(s, len);
    const char *code = nx_langid_detect(id, p, len);
    free(p);
    return code;
}

static nx_langid *new_id(void)
{
    nx_langid *id = nx_langid_new();
    ck_assert_msg(id != NULL, "cannot load /usr/share/libexttextcat/fpdb.conf "
                              "(Debian package libexttextcat-data)");
    return id;
}

/* NULL, or a code of two lowercase ASCII letters. */
static void assert_code_shape(const char *code)
{
    if (!code)
        return;
    ck_assert_int_eq((int)strlen(code), 2);
    ck_assert(code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z');
}

START_TEST(test_languages)
{
    const struct lang_case *c = &texts[_i];
    nx_langid *id = new_id();
    const char *code = detect_exact(id, c->text, strlen(c->text));
    ck_assert_msg(code && strcmp(code, c->want) == 0, "want %s, got %s for \"%.60s...\"", c->want,
                  code ? code : "NULL", c->text);
    nx_langid_free(id);
}
END_TEST

/* The same texts wrapped in an HTML page whose markup, script, style,
 * entities and URL are English-looking: they must be skipped. */
START_TEST(test_languages_in_markup)
{
    const struct lang_case *c = &texts[_i];
    const char *head = "<!DOCTYPE html><html lang=\"en\"><head><title></title>"
                       "<style type=\"text/css\">body { font-family: the sans; }</style>"
                       "<script>var message = 'the quick brown fox jumps over the lazy dog';"
                       " if (a < b && b > c) { window.location = 'http://example.com/'; }</script>"
                       "<!-- the navigation of the site and the footer of the page --></head>"
                       "<body class=\"article\"><div id=\"main\"><p data-x=\"the\">";
    const char *tail = "</p>&nbsp;&copy;<a href=\"https://www.example.com/about-the-company\">"
                       "</a> https://www.example.com/this-is-the-english-url</div></body></html>";
    size_t n = strlen(head) + strlen(c->text) + strlen(tail);
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    snprintf(s, n + 1, "%s%s%s", head, c->text, tail);
    nx_langid *id = new_id();
    const char *code = detect_exact(id, s, n);
    ck_assert_msg(code && strcmp(code, c->want) == 0, "want %s, got %s", c->want,
                  code ? code : "NULL");
    nx_langid_free(id);
    free(s);
}
END_TEST

static const char *const too_short[] = {
    "OK",
    "Kyiv",
    "12345",
    "3.14159 2024-01-01 +44 20 7946 0958",
    "Москва",
    "東京",
    "서울",
    "Breaking news: markets fall",
    "   \n\t  ",
    "!!! ??? ... --- *** ### $$$ %%% 1234567890 1234567890 1234567890 1234567890",
    "<p><b><i></i></b></p><br/><div class=\"a\"></div>",
    "https://www.example.com/the-central-bank-raised-interest-rates-on-thursday-again",
    "&amp;&lt;&gt;&quot;&nbsp;&amp;&lt;&gt;&quot;&nbsp;&amp;&lt;&gt;&quot;&nbsp;",
};

START_TEST(test_too_short)
{
    nx_langid *id = new_id();
    const char *s = too_short[_i];
    const char *code = detect_exact(id, s, strlen(s));
    ck_assert_msg(code == NULL, "\"%s\": got %s, want NULL", s, code);
    nx_langid_free(id);
}
END_TEST

START_TEST(test_empty_and_null)
{
    nx_langid *id = new_id();
    ck_assert_ptr_null(nx_langid_detect(id, "", 0));
    ck_assert_ptr_null(nx_langid_detect(id, NULL, 0));
    ck_assert_ptr_null(nx_langid_detect(id, "The central bank raised interest rates", 0));
    ck_assert_ptr_null(nx_langid_detect(NULL, texts[0].text, strlen(texts[0].text)));
    nx_langid_free(id);
    nx_langid_free(NULL);
}
END_TEST

/* Two languages in equal parts: no answer, or one of the two. */
struct mix_case {
    const char *a, *b;
};

static const struct mix_case mixes[] = {
    {"en", "ru"}, {"en", "fr"}, {"de", "ar"}, {"zh", "en"}, {"es", "el"}, {"ja", "ko"},
};

static const char *text_of(const char *lang)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].want, lang) == 0)
            return texts[i].text;
    ck_abort_msg("no text in %s", lang);
    return NULL;
}

START_TEST(test_mixed)
{
    const struct mix_case *m = &mixes[_i];
    const char *a = text_of(m->a), *b = text_of(m->b);
    /* Halves of each, interleaved (cut at any byte). */
    size_t ha = strlen(a) / 2, hb = strlen(b) / 2;
    char s[4096];
    snprintf(s, sizeof s, "%.*s %.*s %s %s", (int)ha, a, (int)hb, b, a + ha, b + hb);
    nx_langid *id = new_id();
    const char *code = detect_exact(id, s, strlen(s));
    ck_assert_msg(!code || strcmp(code, m->a) == 0 || strcmp(code, m->b) == 0,
                  "%s+%s: got %s", m->a, m->b, code);
    nx_langid_free(id);
}
END_TEST

/* Two languages, one clearly dominant: the dominant one, or no answer. */
START_TEST(test_mostly_one_language)
{
    const char *s = "The prime minister told reporters in Kyiv that the talks with "
                    "Владимир Зеленский had been constructive, and that both governments "
                    "would continue working on a new agreement on grain exports next week.";
    nx_langid *id = new_id();
    const char *code = detect_exact(id, s, strlen(s));
    ck_assert_msg(!code || strcmp(code, "en") == 0, "got %s", code);
    nx_langid_free(id);
}
END_TEST

/* Short paragraphs (25 to 40 words) in languages whose commonest function
 * words decide, with elisions and contractions written with ' and ’. */
static const struct lang_case short_texts[] = {
    {"fr", "L’État n’a pas encore décidé s’il maintiendra l’aide aux ménages l’an prochain : "
           "d’après le ministre, qu’il a rencontré jeudi, c’est une question de moyens."},
    {"fr", "Le président a annoncé lundi que la réforme des retraites serait présentée au "
           "Parlement avant la fin de l'année, malgré les critiques des syndicats qui dénoncent "
           "un texte injuste."},
    {"de", "Der Bürgermeister hat am Montag angekündigt, dass die Stadt im nächsten Jahr mehr "
           "Geld für Schulen und den öffentlichen Nahverkehr ausgeben wird, als bisher geplant "
           "war."},
    {"es", "El Gobierno anunció el lunes que no subirá los impuestos el próximo año, pero la "
           "oposición asegura que las cuentas públicas ya están al límite y que el plan es "
           "irreal."},
    {"it", "Il presidente del Consiglio ha annunciato lunedì che la riforma delle pensioni sarà "
           "presentata in Parlamento entro la fine dell'anno, nonostante le critiche dei "
           "sindacati."},
    {"pt", "O governo anunciou nesta segunda-feira que não vai aumentar os impostos em 2024, mas "
           "a oposição diz que as contas públicas já estão no limite e que o plano é "
           "irrealista."},
    {"nl", "De burgemeester heeft maandag aangekondigd dat de stad volgend jaar meer geld zal "
           "uitgeven aan scholen en het openbaar vervoer dan eerder was gepland."},
    {"da", "Regeringen har mandag meddelt, at der skal bruges flere penge på skoler og den "
           "offentlige transport i det kommende år, end det tidligere var planlagt af "
           "ministeriet."},
    {"no", "Regjeringen sier at det ikke blir flere penger til skolene neste år. Etter møtet med "
           "kommunene ble det også klart at mange av dem må kutte i budsjettene for å få endene "
           "til å møtes."},
    {"fi", "Hallitus ilmoitti maanantaina, että kouluihin ja joukkoliikenteeseen käytetään ensi "
           "vuonna enemmän rahaa kuin aiemmin oli suunniteltu, mutta oppositio ei ole tyytyväinen "
           "siihen, koska se on liian vähän."},
    {"ca", "El Govern ha aprovat aquest dimarts un nou paquet de mesures per ajudar les famílies "
           "afectades per la pujada dels preus de l'energia, segons ha explicat la portaveu "
           "després de la reunió."},
    {"en", "It’s the third time this year that the bank hasn’t met its target, and analysts don’t "
           "expect it’ll do better: they’ve cut their forecasts again."},
    /* Short English wire items that the n-gram fingerprints alone took for
     * German and Catalan. */
    {"en", "MADAGASCAR TENDERS FOR 20,000 TONNES SOFT WHEAT Madagascar will tender today for two\n"
           "10,000-tonne cargoes of soft red winter wheat for last-half\nJuly and first-half "
           "August shipments with PL480 financing, U.S.\nexporters said."},
    {"en", "BECHTEL, CONTROL RESOURCE <CRIX.O> IN VENTURE <Bechtel Corp> said it has formed a\n"
           "joint venture with Control Resource Industries Inc called\nBechtel-Control Asbestos "
           "Management Inc to perform large-scale\nasbestos abatement projects."},
    /* Arabic script: Persian is not taken for Arabic. */
    {"fa", "دولت روز چهارشنبه بسته جدیدی از اقدامات حمایتی را برای خانوارهایی که از افزایش قیمت "
           "انرژی آسیب دیده‌اند اعلام کرد. به گفته وزیر اقتصاد، هزینه این برنامه حدود ده هزار "
           "میلیارد تومان خواهد بود و از ماه آینده اجرا می‌شود."},
};

START_TEST(test_short_paragraphs)
{
    const struct lang_case *c = &short_texts[_i];
    nx_langid *id = new_id();
    const char *code = detect_exact(id, c->text, strlen(c->text));
    ck_assert_msg(code && strcmp(code, c->want) == 0, "want %s, got %s for \"%.60s...\"", c->want,
                  code ? code : "NULL", c->text);
    nx_langid_free(id);
}
END_TEST

/* Reuters items that are tables of figures, as newsidx index hands them
 * over: English or no answer, never another language. The n-gram
 * fingerprints took them for German, French, Catalan and Danish; a word
 * repeated down a table ("under") must not make it Swedish either. */
static const char *const figures[] = {
    "Shr 23 cts vs 18 cts\n    Net 509,144 vs 277,834\n    Revs 2,258,341 vs 1,328,634\n    "
    "Avg shrs 2,177,553 vs 1,564,605\n    Nine mths\n    Shr 55 cts vs 42 cts\n    Net "
    "1,150,633 vs 649,914\n    Revs 6,169,168 vs 3,178,115",
    "Parent Company net profit 12.8 mln Swiss francs vs 7.5 mln.\n    Orders received 2.21 "
    "billion francs vs 2.61 billion.\n    Sales 2.25 billion francs vs 2.49 billion.\n    Group "
    "sales 13.83 billion francs vs 13.88 billion.\n    Group orders 11.03 billion francs vs 13.00 "
    "billion.\n REUTE",
    "<FRANKLIN GOLD FUND> CUTS DIVIDEND Semi div 13 cts vs 18 cts prior\n    Pay March 13\n    "
    "Record March Two",
    "Group 1986 net profit 541 mln Swiss\nfrancs vs. 529 mln\n    Dividend 105 francs per 250 "
    "francs nominal share vs. 100,\n21 francs per 50 franc nominal participation certificate vs "
    "20\n    Group Turnover 8.36 billion francs vs. 8.45 billion\n    Cash Flow 956 mln francs vs. "
    "941 mln\n    Parent company net profit 153.8 mln francs vs. 135.3 mln",
    "Shr 26 cts vs 21 cts\n    Net 5,553,000 vs 4,307,000\n    Revs 45.1 mln vs 34.2 mln\n    "
    "Year\n    Shr 86 cts vs 67 cts\n    Net 18.2 mln vs 14.0 mln\n    Revs 161.1 mln vs 118.3 "
    "mln\n    NOTE: Share adjusted for stock dividends.",
    "Nine grain ships were loading and 16\nwere waiting to load at New Orleans elevators, trade "
    "sources\nsaid.\n ELEVATOR                     LOADING  WAITING\n Continental Grain, Westwego "
    "    1      5\n Mississippi River, Myrtle Grove 1      0\n ADM Growmark                    1 "
    "     2\n Bunge Grain, Destrehan          1      0\n    ELEVATOR                LOADING  "
    "WAITING\n ST CHARLES DESTREHAN         1      1\n RESERVE ELEVATOR CORP        1      0\n "
    "PEAVEY CO, ST ELMO           1      1\n CARGILL GRAIN, TERRE HAUTE   1      4\n CARGILL "
    "GRAIN, PORT ALLEN    0      0\n ZEN-NOH                      1      3",
    "1000 hrs cdt\n MONTHS    LAST          DIFFERENCE\n May/Jul   0.34 under    0.35 under\n "
    "Jul/Aug   0.16 under    0.17 under\n Jul/Dec   0.78 under    0.77 under\n Aug/Sep   0.16 "
    "under    0.16 under\n May/Aug   no quote      0.52 under\n May/Dec   no quote      1.12 "
    "under\n Dec/Jan   no quote      no quote",
};

START_TEST(test_figures)
{
    const char *s = figures[_i];
    nx_langid *id = new_id();
    const char *code = detect_exact(id, s, strlen(s));
    ck_assert_msg(!code || strcmp(code, "en") == 0, "got %s for \"%.60s...\"", code, s);
    nx_langid_free(id);
}
END_TEST

/* Close neighbours, or an article quoting another language: the language
 * of most of the text, one of the two, or no answer. */
struct mix_text {
    const char *want;  /* the answer, or NULL: either language, or none */
    const char *a, *b; /* the two languages */
    const char *text;
};

static const struct mix_text mixed_texts[] = {
    {"de", "de", "en",
     "Der Konzern teilte am Dienstag mit, der Umsatz sei im dritten Quartal um vier Prozent "
     "gestiegen. „We are very pleased with the results“, sagte der Vorstandschef auf einer "
     "Pressekonferenz in Frankfurt, auf der er auch neue Stellen ankündigte."},
    {NULL, "es", "pt",
     "El Gobierno anunció el lunes que no subirá los impuestos el próximo año. O governo "
     "anunciou nesta segunda-feira que não vai aumentar os impostos em 2024, mas a oposição diz "
     "que as contas públicas já estão no limite."},
    {NULL, "da", "no",
     "Regeringen har mandag meddelt, at der skal bruges flere penge på skoler. Regjeringen sier "
     "at det ikke blir flere penger til skolene neste år, etter møtet med kommunene."},
    {NULL, "fr", "it",
     "Le président a annoncé lundi que la réforme des retraites serait présentée au Parlement. "
     "Il presidente del Consiglio ha annunciato lunedì che la riforma delle pensioni sarà "
     "presentata entro la fine dell'anno."},
};

START_TEST(test_mixed_latin)
{
    const struct mix_text *m = &mixed_texts[_i];
    nx_langid *id = new_id();
    const char *code = detect_exact(id, m->text, strlen(m->text));
    if (m->want)
        ck_assert_msg(!code || strcmp(code, m->want) == 0, "want %s, got %s", m->want, code);
    else
        ck_assert_msg(!code || strcmp(code, m->a) == 0 || strcmp(code, m->b) == 0,
                      "%s+%s: got %s", m->a, m->b, code);
    nx_langid_free(id);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    nx_langid *id = new_id();
    /* English with NULs, stray continuation bytes, overlong forms,
     * surrogates and a truncated sequence at the very end. */
    const char *en = texts[0].text;
    size_t n = strlen(en);
    char *s = malloc(n + 64);
    ck_assert_ptr_nonnull(s);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (en[i] == ' ' && i % 3 == 0) {
            s[o++] = '\0';
        } else if (en[i] == ' ' && i % 3 == 1) {
            s[o++] = (char)0xC0; /* overlong lead byte */
            s[o++] = (char)0xA0;
        } else if (en[i] == ' ') {
            s[o++] = (char)0xED; /* surrogate U+D800 */
            s[o++] = (char)0xA0;
            s[o++] = (char)0x80;
        } else {
            s[o++] = en[i];
        }
    }
    s[o++] = (char)0xE2; /* first two bytes of a three-byte sequence */
    s[o++] = (char)0x82;
    const char *code = detect_exact(id, s, o);
    ck_assert_msg(code && strcmp(code, "en") == 0, "got %s", code ? code : "NULL");

    /* Only invalid bytes. */
    static const unsigned char junk[] = {0xFF, 0xFE, 0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xF8,
                                         0xFC, 0xFD, 0xE0, 0x80, 0xF0, 0x80, 0x80, 0xC2};
    ck_assert_ptr_null(detect_exact(id, (const char *)junk, sizeof junk));
    char many[4096];
    for (size_t i = 0; i < sizeof many; i++)
        many[i] = (char)junk[i % sizeof junk];
    ck_assert_ptr_null(detect_exact(id, many, sizeof many));
    memset(many, 0, sizeof many);
    ck_assert_ptr_null(detect_exact(id, many, sizeof many));
    free(s);
    nx_langid_free(id);
}
END_TEST

/* Random bytes, random slices of the texts and random cuts: never a crash,
 * and every answer is NULL or a two-letter code. */
START_TEST(test_random_bytes)
{
    nx_langid *id = new_id();
    uint32_t x = 12345;
    char buf[3000];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        x = x * 1103515245u + 12345u;
        size_t want = (x >> 8) % sizeof buf;
        if (round % 3 == 0) {
            for (; len < want; len++) {
                x = x * 1103515245u + 12345u;
                buf[len] = (char)(x >> 16);
            }
        } else {
            /* a text cut anywhere, possibly inside a character, with some
             * bytes flipped */
            const char *t = texts[(x >> 4) % (sizeof texts / sizeof texts[0])].text;
            size_t tl = strlen(t);
            x = x * 1103515245u + 12345u;
            size_t from = (x >> 8) % tl;
            len = tl - from;
            if (len > sizeof buf)
                len = sizeof buf;
            memcpy(buf, t + from, len);
            for (int k = 0; k < round % 7; k++) {
                x = x * 1103515245u + 12345u;
                buf[(x >> 8) % len] = (char)(x >> 20);
            }
        }
        assert_code_shape(detect_exact(id, buf, len));
    }
    nx_langid_free(id);
}
END_TEST

/* Long inputs and markup that never closes: bounded work, sane answers. */
START_TEST(test_long_inputs)
{
    nx_langid *id = new_id();
    const char *en = texts[0].text;
    size_t el = strlen(en);
    size_t n = 4 * 1024 * 1024;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        s[i] = en[i % el];
    const char *code = detect_exact(id, s, n);
    ck_assert_msg(code && strcmp(code, "en") == 0, "got %s", code ? code : "NULL");

    /* Unclosed comment, script and tag, a URL with no end, a run of '<'. */
    static const char *const open[] = {"<!--", "<script>", "<a href=\"", "http://x", "<", "&"};
    for (size_t k = 0; k < sizeof open / sizeof open[0]; k++) {
        size_t ol = strlen(open[k]);
        for (size_t i = 0; i < n; i++)
            s[i] = open[k][i % ol];
        assert_code_shape(detect_exact(id, s, n));
        memcpy(s, open[k], ol);
        for (size_t i = ol; i < n; i++)
            s[i] = en[i % el];
        assert_code_shape(detect_exact(id, s, n));
    }
    free(s);
    nx_langid_free(id);
}
END_TEST

/* Results are static: they outlive the handle and are the same pointer for
 * the same language. */
START_TEST(test_static_result)
{
    nx_langid *id = new_id();
    const char *a = nx_langid_detect(id, texts[0].text, strlen(texts[0].text));
    const char *b = nx_langid_detect(id, texts[1].text, strlen(texts[1].text));
    nx_langid_free(id);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a, "en");
    ck_assert_ptr_eq(a, b);
}
END_TEST

/* Two handles at once do not disturb each other. */
START_TEST(test_two_handles)
{
    nx_langid *a = new_id(), *b = new_id();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *ca = nx_langid_detect(a, texts[i].text, strlen(texts[i].text));
        const char *cb = nx_langid_detect(b, texts[(i + 1) % (sizeof texts / sizeof texts[0])].text,
                                          strlen(texts[(i + 1) % (sizeof texts / sizeof texts[0])].text));
        ck_assert_str_eq(ca, texts[i].want);
        ck_assert_str_eq(cb, texts[(i + 1) % (sizeof texts / sizeof texts[0])].want);
    }
    nx_langid_free(a);
    nx_langid_free(b);
}
END_TEST

static Suite *langid_suite(void)
{
    Suite *s = suite_create("langid");
    TCase *tc = tcase_create("languages");
    tcase_add_loop_test(tc, test_languages, 0, (int)(sizeof texts / sizeof texts[0]));
    tcase_add_loop_test(tc, test_languages_in_markup, 0, (int)(sizeof texts / sizeof texts[0]));
    tcase_add_loop_test(tc, test_too_short, 0, (int)(sizeof too_short / sizeof too_short[0]));
    tcase_add_test(tc, test_empty_and_null);
    tcase_add_loop_test(tc, test_mixed, 0, (int)(sizeof mixes / sizeof mixes[0]));
    tcase_add_test(tc, test_mostly_one_language);
    tcase_add_loop_test(tc, test_short_paragraphs, 0,
                        (int)(sizeof short_texts / sizeof short_texts[0]));
    tcase_add_loop_test(tc, test_figures, 0, (int)(sizeof figures / sizeof figures[0]));
    tcase_add_loop_test(tc, test_mixed_latin, 0, (int)(sizeof mixed_texts / sizeof mixed_texts[0]));
    tcase_add_test(tc, test_static_result);
    tcase_add_test(tc, test_two_handles);
    suite_add_tcase(s, tc);

    TCase *robust = tcase_create("robustness");
    tcase_set_timeout(robust, 120);
    tcase_add_test(robust, test_invalid_utf8);
    tcase_add_test(robust, test_random_bytes);
    tcase_add_test(robust, test_long_inputs);
    suite_add_tcase(s, robust);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(langid_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
