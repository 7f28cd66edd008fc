/* langid.c - language identification: function words first, then
 * libexttextcat's n-gram fingerprints, narrowed by script.
 *
 * A detection runs in four steps:
 *   1. Clean a sample: the first SAMPLE_MAX bytes of text, with markup
 *      (tags, comments, script/style bodies, entities), URLs, control
 *      characters and invalid UTF-8 replaced by spaces. The sample is always
 *      valid, NUL-terminated UTF-8, which libexttextcat needs: its buffer
 *      scanner stops only at a NUL, whatever size it is told.
 *   2. Count the letters of each script. Too few letters, or no script
 *      holding two thirds of them, means no answer. Kana, Hangul, Han, Greek
 *      and Thai name their language directly.
 *   3. Latin and Arabic script: count the commonest function words of the
 *      big languages ("the", "of"; "der", "und"; "في", "من") among the first
 *      FW_WORDS words of the sample (fw_langs). A language whose words are a
 *      good share of them and clearly outnumber those of every other list
 *      is the answer. That settles nearly all news in a few microseconds,
 *      where step 4 takes up to a millisecond, and gets short wire items
 *      right that the fingerprints take for Catalan or German. Latin text
 *      that no list wins and that has few words or is mostly figures (a
 *      table of results) gets no answer.
 *   4. Otherwise libexttextcat classifies the sample. It reports every
 *      fingerprint scoring within 3% of the best (at most 5, else
 *      "UNKNOWN"); candidates written in another script than the text, or
 *      without an ISO 639-1 code (Scots, Low German...), or Cyrillic ones
 *      whose alphabet lacks letters the text uses (Russian has no і, Ukrainian
 *      no ы), are dropped, and the rest must all name one language. Arabic
 *      and Hebrew script fall back to "ar" and "he" when the fingerprints do
 *      not clearly say otherwise.
 *
 * The handle owns the libexttextcat classifier (which keeps its result
 * buffer inside), the sample buffer and the table of function words; there
 * is no other state. */
#include "langid.h"

#include "analyzer.h"
#include "textcat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FPDB_DIR "/usr/share/libexttextcat/"
#define FPDB_CONF FPDB_DIR "fpdb.conf"

/* Bytes of cleaned text handed to the classifier: a few hundred bytes
 * suffice for n-gram statistics, more only costs time. */
#define SAMPLE_MAX 2000
/* Bytes of input looked at before giving up on finding text. */
#define SCAN_MAX (256 * 1024)
/* Letters needed before any answer is given. */
#define MIN_LETTERS 40
/* The longest tag skipped as markup; a '<' without '>' this close is text. */
#define TAG_MAX 1024

/* The function-word count: words of the sample looked at, the longest
 * function word in bytes, and the slots of the handle's table of function
 * words (a power of two, about twice the number of words in fw_langs). */
#define FW_WORDS 200
#define FW_WORD_MAX 15
#define FW_SLOTS 2048
/* A list decides when its words are at least FW_MIN_HITS of the sample's,
 * FW_MIN_KINDS different ones, its share of all words (fw_langs), and,
 * against any other list, its own words number FW_MIN_OWN and FW_MARGIN
 * percent of the other's own. A sample of fewer than FW_FEW_WORDS words
 * needs only FW_SHORT_MIN of each, its share being a handful of words. */
#define FW_MIN_HITS 4
#define FW_MIN_KINDS 3
#define FW_MIN_OWN 3
#define FW_MARGIN 200
#define FW_FEW_WORDS 20
#define FW_SHORT_MIN 2
/* Without a winner, fewer than FW_FEW_WORDS words, or numbers making
 * FW_FIGURES percent of the words, is too little text to tell from. */
#define FW_FIGURES 15

struct fw_slot {
    char word[FW_WORD_MAX]; /* lowercase UTF-8, not NUL-terminated */
    unsigned char len;      /* bytes of word; 0: empty slot */
    uint64_t langs;         /* bit l: the word is in fw_langs[l] */
};

struct nx_langid {
    void *tc;                    /* libexttextcat classifier */
    const nx_textcat *lib;       /* libexttextcat's functions */
    char sample[SAMPLE_MAX + 4]; /* cleaned text of the last call */
    struct fw_slot fw[FW_SLOTS]; /* function word -> its lists, built once
                                    from fw_langs (open addressing) */
};

/* Scripts: the first SC_GROUPS are the groups a text's letters are weighed
 * in; Han, kana and Hangul are counted apart inside the CJK group. */
enum {
    SC_LATIN,
    SC_CYRILLIC,
    SC_ARABIC,
    SC_GREEK,
    SC_HEBREW,
    SC_THAI,
    SC_OTHER,
    SC_CJK,
    SC_GROUPS,
    SC_HAN = SC_GROUPS,
    SC_KANA,
    SC_HANGUL,
    SC_COUNT
};

/* Every fingerprint of Debian's fpdb.conf (libexttextcat-data 3.4.5): the
 * name textcat reports, its ISO 639-1 code (NULL: the language has none),
 * and the script its fingerprint is written in. */
static const struct fpdb_lang {
    const char *tag;
    const char *iso;
    unsigned char script;
} fpdb[] = {
    {"ab--utf8", "ab", SC_CYRILLIC}, {"ace--utf8", NULL, SC_LATIN}, {"ada--utf8", NULL, SC_LATIN},
    {"af--utf8", "af", SC_LATIN}, {"ak--utf8", "ak", SC_LATIN}, {"alt--utf8", NULL, SC_CYRILLIC},
    {"am--utf8", "am", SC_OTHER}, {"ar--utf8", "ar", SC_ARABIC}, {"arn--utf8", NULL, SC_LATIN},
    {"ast--utf8", NULL, SC_LATIN}, {"ay--utf8", "ay", SC_LATIN}, {"az--utf8", "az", SC_LATIN},
    {"az-cyrillic-utf8", "az", SC_CYRILLIC}, {"ban--utf8", NULL, SC_LATIN},
    {"be--utf8", "be", SC_CYRILLIC}, {"bem--utf8", NULL, SC_LATIN},
    {"bg--utf8", "bg", SC_CYRILLIC}, {"bho--utf8", NULL, SC_OTHER}, {"bi--utf8", "bi", SC_LATIN},
    {"bik--utf8", NULL, SC_LATIN}, {"bm--utf8", "bm", SC_LATIN}, {"bn--utf8", "bn", SC_OTHER},
    {"bo--utf8", "bo", SC_OTHER}, {"br--utf8", "br", SC_LATIN}, {"bs--utf8", "bs", SC_LATIN},
    {"ca--utf8", "ca", SC_LATIN}, {"ckb--utf8", "ku", SC_LATIN}, {"cs--utf8", "cs", SC_LATIN},
    {"cy--utf8", "cy", SC_LATIN}, {"da--utf8", "da", SC_LATIN}, {"de--utf8", "de", SC_LATIN},
    {"dv--utf8", "dv", SC_OTHER}, {"ee--utf8", "ee", SC_LATIN}, {"el--utf8", "el", SC_GREEK},
    {"emk-Latn-utf8", NULL, SC_LATIN}, {"en--utf8", "en", SC_LATIN}, {"eo--utf8", "eo", SC_LATIN},
    {"es--utf8", "es", SC_LATIN}, {"et--utf8", "et", SC_LATIN}, {"eu--utf8", "eu", SC_LATIN},
    {"fa--utf8", "fa", SC_ARABIC}, {"fi--utf8", "fi", SC_LATIN}, {"fj--utf8", "fj", SC_LATIN},
    {"fo--utf8", "fo", SC_LATIN}, {"fr--utf8", "fr", SC_LATIN}, {"fur--utf8", NULL, SC_LATIN},
    {"fy--utf8", "fy", SC_LATIN}, {"ga--utf8", "ga", SC_LATIN}, {"gd--utf8", "gd", SC_LATIN},
    {"gl--utf8", "gl", SC_LATIN}, {"grc--utf8", NULL, SC_GREEK}, {"gu--utf8", "gu", SC_OTHER},
    {"gug--utf8", "gn", SC_LATIN}, {"gv--utf8", "gv", SC_LATIN}, {"ha-NG-utf8", "ha", SC_LATIN},
    {"haw-utf8", NULL, SC_LATIN}, {"he--utf8", "he", SC_HEBREW}, {"hi--utf8", "hi", SC_OTHER},
    {"hil--utf8", NULL, SC_LATIN}, {"hr--utf8", "hr", SC_LATIN}, {"hsb--utf8", NULL, SC_LATIN},
    {"ht--utf8", "ht", SC_LATIN}, {"hu--utf8", "hu", SC_LATIN}, {"hy--utf8", "hy", SC_OTHER},
    {"ia--utf8", "ia", SC_LATIN}, {"id--utf8", "id", SC_LATIN}, {"is--utf8", "is", SC_LATIN},
    {"it--utf8", "it", SC_LATIN}, {"ja--utf8", "ja", SC_CJK}, {"ka--utf8", "ka", SC_OTHER},
    {"kk--utf8", "kk", SC_CYRILLIC}, {"kl--utf8", "kl", SC_LATIN}, {"km--utf8", "km", SC_OTHER},
    {"kn--utf8", "kn", SC_OTHER}, {"kng--utf8", NULL, SC_LATIN}, {"ko--utf8", "ko", SC_CJK},
    {"ktu--utf8", NULL, SC_LATIN}, {"ky--utf8", "ky", SC_CYRILLIC}, {"la--utf8", "la", SC_LATIN},
    {"lb--utf8", "lb", SC_LATIN}, {"lg--utf8", "lg", SC_LATIN}, {"ln--utf8", "ln", SC_LATIN},
    {"lo--utf8", "lo", SC_OTHER}, {"lt--utf8", "lt", SC_LATIN}, {"lv--utf8", "lv", SC_LATIN},
    {"mai--utf8", NULL, SC_OTHER}, {"mi--utf8", "mi", SC_LATIN}, {"mk--utf8", "mk", SC_CYRILLIC},
    {"ml--utf8", "ml", SC_OTHER}, {"mn--utf8", "mn", SC_CYRILLIC}, {"mos--utf8", NULL, SC_LATIN},
    {"mr--utf8", "mr", SC_OTHER}, {"ms--utf8", "ms", SC_LATIN}, {"mt--utf8", "mt", SC_LATIN},
    {"my--utf8", "my", SC_OTHER}, {"nb--utf8", "no", SC_LATIN}, {"nds--utf8", NULL, SC_LATIN},
    {"ne--utf8", "ne", SC_OTHER}, {"nl--utf8", "nl", SC_LATIN}, {"nn--utf8", "no", SC_LATIN},
    {"nr--utf8", "nr", SC_LATIN}, {"nso--utf8", NULL, SC_LATIN}, {"ny--utf8", "ny", SC_LATIN},
    {"oc--utf8", "oc", SC_LATIN}, {"om--utf8", "om", SC_LATIN}, {"pa--utf8", "pa", SC_OTHER},
    {"pl--utf8", "pl", SC_LATIN}, {"plt--utf8", "mg", SC_LATIN}, {"pt--utf8", "pt", SC_LATIN},
    {"quz--utf8", "qu", SC_LATIN}, {"qxa--utf8", NULL, SC_LATIN}, {"rm--utf8", "rm", SC_LATIN},
    {"ro--utf8", "ro", SC_LATIN}, {"ru--utf8", "ru", SC_CYRILLIC},
    {"rue--utf8", NULL, SC_CYRILLIC}, {"rw--utf8", "rw", SC_LATIN}, {"sa--utf8", "sa", SC_OTHER},
    {"sc--utf8", "sc", SC_LATIN}, {"sco--utf8", NULL, SC_LATIN}, {"sd--utf8", "sd", SC_ARABIC},
    {"se--utf8", "se", SC_LATIN}, {"sg--utf8", "sg", SC_LATIN}, {"sh--utf8", "sr", SC_LATIN},
    {"shs--utf8", NULL, SC_LATIN}, {"si--utf8", "si", SC_OTHER}, {"sk--utf8", "sk", SC_LATIN},
    {"sl--utf8", "sl", SC_LATIN}, {"so--utf8", "so", SC_LATIN}, {"sq--utf8", "sq", SC_LATIN},
    {"sr--utf8", "sr", SC_CYRILLIC}, {"ss--utf8", "ss", SC_LATIN}, {"st--utf8", "st", SC_LATIN},
    {"sv--utf8", "sv", SC_LATIN}, {"sw--utf8", "sw", SC_LATIN}, {"ta--utf8", "ta", SC_OTHER},
    {"tet--utf8", NULL, SC_LATIN}, {"tg--utf8", "tg", SC_CYRILLIC}, {"th--utf8", "th", SC_THAI},
    {"ti--utf8", "ti", SC_OTHER}, {"tk--utf8", "tk", SC_LATIN}, {"tl--utf8", "tl", SC_LATIN},
    {"tn--utf8", "tn", SC_LATIN}, {"tpi--utf8", NULL, SC_LATIN}, {"tr--utf8", "tr", SC_LATIN},
    {"ts--utf8", "ts", SC_LATIN}, {"tt--utf8", "tt", SC_CYRILLIC}, {"ty--utf8", "ty", SC_LATIN},
    {"tzm-Latn-utf8", NULL, SC_LATIN}, {"ug--utf8", "ug", SC_ARABIC},
    {"uk--utf8", "uk", SC_CYRILLIC}, {"ur--utf8", "ur", SC_ARABIC}, {"uz--utf8", "uz", SC_LATIN},
    {"uz-Cyrl-utf8", "uz", SC_CYRILLIC}, {"ve--utf8", "ve", SC_LATIN},
    {"vep--utf8", NULL, SC_LATIN}, {"vi--utf8", "vi", SC_LATIN}, {"wa--utf8", "wa", SC_LATIN},
    {"xh--utf8", "xh", SC_LATIN}, {"yi--utf8", "yi", SC_HEBREW}, {"yo--utf8", "yo", SC_LATIN},
    {"zh-CN-utf8", "zh", SC_CJK}, {"zh-TW-utf8", "zh", SC_CJK}, {"zu--utf8", "zu", SC_LATIN},
};

/* Letters that set the Cyrillic alphabets apart. The fingerprints of
 * Russian, Ukrainian and Rusyn score within 3% of each other on plain
 * Ukrainian news, so textcat alone cannot choose; the alphabet can. */
static const utf8proc_int32_t cyr_letters[] = {
    0x044B, /* ы */ 0x044D, /* э */ 0x044A, /* ъ */ 0x0451, /* ё */ 0x0456, /* і */
    0x0457, /* ї */ 0x0454, /* є */ 0x0491, /* ґ */ 0x045E, /* ў */ 0x0458, /* ј */
    0x0459, /* љ */ 0x045A, /* њ */ 0x045B, /* ћ */ 0x0452, /* ђ */ 0x045F, /* џ */
    0x0453, /* ѓ */ 0x045C, /* ќ */ 0x0455, /* ѕ */
};
#define CYR_N (sizeof cyr_letters / sizeof cyr_letters[0])
#define CYR(i) (1u << (i))
enum { Y_YERY, Y_E, Y_HARD, Y_YO, Y_I, Y_YI, Y_YE, Y_GHE, Y_SHORT_U, Y_JE, Y_LJE, Y_NJE,
       Y_TSHE, Y_DJE, Y_DZHE, Y_GJE, Y_KJE, Y_DZE };
#define SERBO_MACEDONIAN                                                                  \
    (CYR(Y_JE) | CYR(Y_LJE) | CYR(Y_NJE) | CYR(Y_TSHE) | CYR(Y_DJE) | CYR(Y_DZHE) |       \
     CYR(Y_GJE) | CYR(Y_KJE) | CYR(Y_DZE))
#define UKRAINIAN (CYR(Y_I) | CYR(Y_YI) | CYR(Y_YE) | CYR(Y_GHE))

/* The distinguishing letters each language's alphabet lacks. */
static const struct {
    const char *iso;
    unsigned lacks;
} cyr_alphabets[] = {
    {"ru", UKRAINIAN | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"uk", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"be", CYR(Y_HARD) | CYR(Y_YI) | CYR(Y_YE) | CYR(Y_GHE) | SERBO_MACEDONIAN},
    {"bg", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"sr", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) |
               CYR(Y_GJE) | CYR(Y_KJE) | CYR(Y_DZE)},
    {"mk", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) |
               CYR(Y_TSHE) | CYR(Y_DJE)},
};

/* What the sample is made of. */
struct counts {
    size_t script[SC_COUNT]; /* letters per script */
    size_t cyr[CYR_N];       /* the letters of cyr_letters, any case */
};

/* Is the text written in an alphabet other than the one of Cyrillic
 * language iso? Yes when a few of its letters (3, and 1 in 200 Cyrillic
 * letters, so that a quoted name does not count) are missing from it. */
static int cyr_foreign(const char *iso, const struct counts *c)
{
    for (size_t i = 0; i < sizeof cyr_alphabets / sizeof cyr_alphabets[0]; i++) {
        if (strcmp(cyr_alphabets[i].iso, iso) != 0)
            continue;
        size_t foreign = 0;
        for (size_t k = 0; k < CYR_N; k++)
            if (cyr_alphabets[i].lacks & CYR(k))
                foreign += c->cyr[k];
        return foreign >= 3 && foreign * 200 >= c->script[SC_CYRILLIC];
    }
    return 0;
}

/* The commonest function words of the languages that the function-word
 * count tells apart, lowercase, one space between words. In news they make
 * up a third or more of the words of most of these languages, and a tenth
 * or more of those that put their grammar in endings (Finnish, Turkish,
 * Lithuanian); hence the share a list needs to decide. A word common in two
 * languages ("was", "also" in English and German) is in both lists, so that
 * it counts for neither. Lists with no share are decoys: they never answer,
 * but they stand for close relatives of the languages that do (Galician for
 * Portuguese, Malay for Indonesian, Afrikaans for Dutch, Estonian for
 * Finnish...), so that a text in one of those looks unsure and goes to
 * libexttextcat rather than being taken for its neighbour. Words with an
 * elided vowel ("l'", "dell'") end in an apostrophe. At most 64 lists: a
 * word's lists are a bit mask. */
static const struct fw_lang {
    const char *iso;      /* ISO 639-1 code; a decoy's is for the reader only */
    unsigned char script; /* SC_LATIN or SC_ARABIC */
    unsigned share;       /* percent of a sample's words the list must hold
                             to decide; 0: a decoy, which never decides */
    const char *words;    /* lowercase, separated by single spaces */
} fw_langs[] = {
    {"en", SC_LATIN, 20,
     "the of and to in a is that for on said was with it by at as from be has have will its "
     "are an he which were not this but or had would been after they their his who also than "
     "more about into could we you she her there what when if all can our some out other"},
    {"fr", SC_LATIN, 20,
     "de la le et les des en du un une à est pour que qui dans a au sur par pas plus ne il se "
     "ce son sa ses aux avec été sont mais ont cette elle ou leur selon l' d' qu' n' s' c' j' "
     "nous vous ils on y être entre après lors sans très comme dont"},
    {"de", SC_LATIN, 20,
     "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es "
     "an werden aus er hat dass daß sie nach wird bei einer um am sind noch wie einem über "
     "einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei kann "
     "gegen vom können schon wenn was also will"},
    {"es", SC_LATIN, 20,
     "de la que el en y a los del se las por un para con no una su al lo es como más pero sus "
     "le ha me sin sobre este ya entre cuando también fue desde está según han muy esta hasta "
     "hay donde porque sido ser son todo tiene o les sí"},
    {"it", SC_LATIN, 20,
     "di e il la che a per in un è del della le i non si con da una al dei alla gli nel sono "
     "ha anche più come ma delle lo nella dal questo ed essere degli stato tra dopo hanno sul "
     "se l' dell' all' nell' un' d' sua suo suoi loro ci ne cui quando però molto questa fra "
     "sia"},
    {"pt", SC_LATIN, 20,
     "de a o que e do da em um para é com não uma os no se na por mais as dos como mas ao ele "
     "das à seu sua ou quando muito nos já foi também pelo pela até isso entre são está ser "
     "sobre após segundo ainda ela eles foram tem há pelos este esta essa esse"},
    {"nl", SC_LATIN, 20,
     "de van het een en in is dat op te zijn voor met die niet aan er om ook als bij door maar "
     "dan nog naar of uit tot wordt worden werd heeft hebben over ze zich deze kan meer wel "
     "was geen al zou hij zij haar hun na toe had"},
    {"sv", SC_LATIN, 20,
     "och i att det som en på är av för med till den har de inte om ett han var jag sig från "
     "vi så kan men eller efter när vid också detta under skulle hade sina sin mot ut blev nu "
     "även kommer måste där hon vara denna dessa mellan sedan"},
    {"da", SC_LATIN, 20,
     "og i at det en til er som på de med af for den ikke har et der han vil kan om men sig "
     "fra var jeg efter skal også blev eller hun have nu ud mod være over sin da når meget "
     "hvor kun bliver mellem siger havde hans disse denne sine end noget nogen fik mere hvad "
     "bare"},
    /* Bokmål and Nynorsk: both are "no" */
    {"no", SC_LATIN, 20,
     "og i det er til som på en av for med at den å har ikke de et om vil kan men seg fra var "
     "jeg etter skal også ble eller hun ha nå ut mot være over sin da når mye hvor bare blir "
     "mellom sier hadde hans disse denne sine ikkje ein eit dei frå berre vart eg kva ho enn "
     "noe noen fikk hva kun"},
    {"fi", SC_LATIN, 10,
     "ja on ei että se hän oli ovat myös kun mutta tai joka sen kuin ole niin jo mukaan sekä "
     "jossa nyt vain jos olla hänen tämä mitä kanssa jotka siitä voi ollut olisi vielä koska "
     "kaikki kuitenkin noin sitä tässä eikä ne nämä joita jonka"},
    {"hu", SC_LATIN, 12,
     "a az és hogy nem is egy meg van de már el azt csak ki még volt ez mint ha le pedig vagy "
     "szerint után fel kell lesz sem lehet amely között most által mert ezt két ami miatt "
     "alatt így minden be óta akkor majd vannak voltak amit aki"},
    {"ro", SC_LATIN, 20,
     "de și şi în a la cu să nu care din pe o un pentru se este că au mai ce sunt fost al fi "
     "sau lui dar ca după iar prin va această aceasta acest ale unei unui până despre între "
     "fie foarte cel cea cei"},
    {"tr", SC_LATIN, 7,
     "ve bir bu da de için ile olarak çok daha en gibi olan ne o ama kadar sonra ise değil var "
     "her mi ki ya yok göre diye veya olduğu tarafından şu bile oldu sadece ancak arasında "
     "önce yeni içinde ilgili olduğunu büyük"},
    {"id", SC_LATIN, 12,
     "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada oleh saya "
     "tersebut bisa kami mereka telah sudah lebih atau seperti bahwa para namun hanya adalah "
     "kata kita harus sebagai dapat ia masih saat yaitu setelah maupun saja agar kepada"},
    {"ca", SC_LATIN, 20,
     "de la i el que a els les en per un amb no una es del va dels al més ha com però ser seu "
     "seva també hi aquest aquesta són fins sobre entre quan segons perquè han ja molt pel l' "
     "d' s' n' ho és van"},
    {"eu", SC_LATIN, 10,
     "eta da ez bat ere du dira zen hori baina edo izan dute egin behar beste bere baita dela "
     "zuen dago oso gero bezala arteko bi hau horren hainbat gisa ziren berriz baino duela "
     "zuten zela bertan non zer nahiz"},
    {"lt", SC_LATIN, 7,
     "ir yra kad su į iš o bet per tai buvo jo ne kaip bus dėl prie jau nuo apie tik taip už "
     "kuris kurie savo jos ar dar po iki tačiau arba nėra kurių kuri jie juos metų"},
    {"ga", SC_LATIN, 12,
     "an na agus ar i a le is go sa ó ag tá bhí don den seo sin mar chun nach atá faoi ach gur "
     "leis siad sé sí níos freisin idir ní mé é í iad ina aon"},
    /* decoys */
    {"gl", SC_LATIN, 0,
     "o a de que e do da en non un unha para con os no na se por as dos das ao máis pero como "
     "xa tamén este esta pola polo entre sobre ser foi ten hai moito cando mais segundo ata "
     "aínda súa seu lle dun dunha nun nunha coa co é está están son ou sen cun cunha"},
    {"ast", SC_LATIN, 0,
     "de la el y en que los les del a un una pa con nun nel pela pel esti esta ye tamién pero "
     "como al más so sí nin hai foi ente l' d' lo yá cuando dende ún"},
    {"oc", SC_LATIN, 0,
     "de la e lo los las en que a es per un una del amb pas son sa al se dins mai tanben aquel "
     "aquela qu' d' l' totas sus fins coma dels als pel s' n' ni cap èsser cal mas"},
    {"af", SC_LATIN, 0,
     "die en van is in te wat nie het vir op met dat sy om word aan ook as hy was deur kan by "
     "tot uit hulle nog sal maar na of jy ek ons baie moet sê gesê daar hierdie meer"},
    {"fy", SC_LATIN, 0,
     "de fan en it yn is op dat te foar mei net hy wurde wie troch ek by oan as út dy se har "
     "om nei binne hat hawwe wurdt of sil kin al"},
    {"lb", SC_LATIN, 0,
     "an de d' vun den ze mat fir op ass net déi och sinn eng dat um huet sech gëtt hunn bei "
     "awer wéi dës hien si oder nach kann vum iwwer mir dem der ee"},
    {"ms", SC_LATIN, 0,
     "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke kerana ada oleh saya "
     "tersebut boleh kami mereka telah sudah lebih atau seperti bahawa para namun hanya adalah "
     "kata kita sebagai dapat ia masih iaitu selepas mahupun sahaja agar kepada"},
    {"et", SC_LATIN, 0,
     "ja on ei et see ka oli kui mis aga ta oma või nii veel ning siis kes mida seda tema "
     "mille kuid pole olid juba välja üle tuleb peab ainult siin selle sellest kõik nad ma"},
    {"lv", SC_LATIN, 0,
     "un ir ar par no uz kas ka nav arī lai bet to tā tas vai kā pie jau pēc var tikai gan "
     "bija tiek savu šo šī jo ja viņš viņa kur"},
    {"az", SC_LATIN, 0,
     "və bir bu də ilə üçün da olan ki isə daha çox kimi olaraq sonra görə qədər ən o ya amma "
     "lakin hər deyil var mən biz onlar onun"},
    {"gd", SC_LATIN, 0,
     "an a na agus air ann gu le ri is e tha bha às aig seo sin mar nach ach bho gun dhan ris "
     "iad sinn mi thu cha chan nuair"},
    {"cy", SC_LATIN, 0,
     "y yr a i yn o ar ei mae ac am gan ond fel wedi hyn hefyd bod ddim fod oedd ym gyda neu "
     "sydd nad eu ein yw pan drwy rhaid hynny"},
    {"la", SC_LATIN, 0,
     "et in est non ad cum ut quod qui quae sed de a ab ex per si se esse sunt etiam aut nec "
     "enim autem vel quam id hoc eius atque ac"},
    {"eo", SC_LATIN, 0,
     "la de kaj en estas al ne por kun el ke ĉe pri sed kiu kiuj tiu ankaŭ ili li ŝi da unu "
     "post povas oni aŭ ĉi mi ni pli estis sur"},
    {"sq", SC_LATIN, 0,
     "të e në dhe i për me një që nga së u është ka si do më se janë nuk edhe por ose kjo ky "
     "pas deri tij saj ai ajo ishte kanë mund"},
    {"pl", SC_LATIN, 0,
     "i w z na się nie do że to jest o od po za jak co ale przez są dla jego ich tak już czy "
     "tylko być był była oraz także lub może który która które przy"},
    {"cs", SC_LATIN, 0,
     "a v se na je že s z do o to i k ve jako pro by za ale od po jsou není jeho které který "
     "která tak už jen být byl bylo také nebo podle při"},
    {"sk", SC_LATIN, 0,
     "a v sa na je že s z do o to i k vo ako pre by za ale od po sú nie jeho ktoré ktorý ktorá "
     "tak už len byť bol bolo aj alebo podľa pri"},
    {"sl", SC_LATIN, 0,
     "in je v na se da za z so pa ki ne s to o tudi po iz bi kot pri še ali od do bo le kar "
     "lahko več"},
    /* Serbian, Croatian and Bosnian in Latin letters */
    {"sh", SC_LATIN, 0,
     "je i u da se na za su od sa koji će o a iz nije to kao što ali ili bi do biti koja koje "
     "bio po još prema kako samo već ne ima"},
    /* Arabic script: Persian and Urdu write ی and ک where Arabic has ي and ك */
    {"ar", SC_ARABIC, 10,
     "في من على إلى الى أن ان التي الذي عن مع هذا هذه كان ما لا قد ذلك كما بين بعد عند أو او "
     "حيث لم إن وقال وفي ومن كانت التى الذى ثم حتى لن هو هي تم منذ خلال وقد ولا أنه انه إلا "
     "الا و به هم"},
    {"fa", SC_ARABIC, 0,
     "و در به از که این را با است برای آن یک تا می شود های کرد شده بود هم خود نیز اما یا ای "
     "باید دارد کند وی پس بر ما او شد"},
    {"ur", SC_ARABIC, 0,
     "کے میں کی ہے اور کو سے نے کا پر یہ ہیں کہ بھی تھا ایک گیا اس جو کر ہو تھی نہیں وہ گے تو"},
};
#define FW_LANGS (sizeof fw_langs / sizeof fw_langs[0])
_Static_assert(FW_LANGS <= 64, "a word's languages are a 64-bit mask");

static const struct fpdb_lang *fpdb_find(const char *tag, size_t len)
{
    for (size_t i = 0; i < sizeof fpdb / sizeof fpdb[0]; i++)
        if (strncmp(fpdb[i].tag, tag, len) == 0 && fpdb[i].tag[len] == '\0')
            return &fpdb[i];
    return NULL;
}

/* The script of a letter. */
static int letter_script(utf8proc_int32_t c)
{
    if (c < 0x0300)
        return SC_LATIN; /* Basic Latin to spacing modifiers */
    if ((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return SC_GREEK;
    if ((c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
        (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F))
        return SC_CYRILLIC;
    if ((c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F))
        return SC_HEBREW;
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
        (c >= 0x0870 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF))
        return SC_ARABIC;
    if (c >= 0x0E00 && c <= 0x0E7F)
        return SC_THAI;
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
        (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7FF) ||
        (c >= 0xFFA0 && c <= 0xFFDC))
        return SC_HANGUL;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x1B000 && c <= 0x1B16F))
        return SC_KANA;
    if ((c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3005 && c <= 0x3007) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF))
        return SC_HAN;
    if ((c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
        (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xAB30 && c <= 0xAB6F) ||
        (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFF21 && c <= 0xFF5A))
        return SC_LATIN;
    return SC_OTHER;
}

static int is_letter(utf8proc_category_t cat)
{
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
           cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
           cat == UTF8PROC_CATEGORY_LO;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Does s[0..n) start with the ASCII word w, in any case? */
static int starts_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (ascii_lower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

/* Offset just past the first occurrence of the ASCII word w (any case) in
 * s[0..n), or n when there is none. */
static size_t skip_past(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_with(s + i, n - i, w))
            return i + k;
    return n;
}

/* The length of the markup starting at s[0] == '<' (a tag, a comment, or a
 * script or style element with its body), or 0 when s is text. */
static size_t markup_len(const char *s, size_t n)
{
    if (n < 2)
        return 0;
    if (starts_with(s, n, "<!--"))
        return 4 + skip_past(s + 4, n - 4, "-->");
    int c = (unsigned char)s[1];
    if (!(c == '/' || c == '!' || c == '?' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return 0;
    size_t end = 1;
    size_t lim = n < TAG_MAX ? n : TAG_MAX;
    while (end < lim && s[end] != '>' && s[end] != '<')
        end++;
    if (end >= lim || s[end] != '>')
        return 0;
    end++;
    /* The bodies of script and style are code, not text. */
    static const char *const raw[] = {"script", "style"};
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(raw[i]);
        if (starts_with(s + 1, end - 1, raw[i]) && end > k + 1 && !ascii_alnum((unsigned char)s[1 + k])) {
            char close[16] = "</";
            strcat(close, raw[i]);
            size_t at = end + skip_past(s + end, n - end, close);
            while (at < n && s[at] != '>')
                at++;
            return at < n ? at + 1 : n;
        }
    }
    return end;
}

/* The length of the character reference ("&amp;", "&#233;") at s[0] == '&',
 * or 0. */
static size_t entity_len(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '#')
        i++;
    size_t start = i;
    while (i < n && i - start < 12 && ascii_alnum((unsigned char)s[i]))
        i++;
    return i > start && i < n && s[i] == ';' ? i + 1 : 0;
}

/* The length of the URL starting at s, or 0. */
static size_t url_len(const char *s, size_t n)
{
    if (!starts_with(s, n, "http://") && !starts_with(s, n, "https://") && !starts_with(s, n, "www."))
        return 0;
    size_t i = 0;
    while (i < n && !ascii_space((unsigned char)s[i]) && s[i] != '<' && s[i] != '"' && s[i] != '\'')
        i++;
    return i;
}

/* Fills id->sample from text and counts its letters into count.
 * Returns the sample's length. */
static size_t make_sample(nx_langid *id, const char *text, size_t len, struct counts *count)
{
    char *out = id->sample;
    size_t o = 0;
    size_t n = len < SCAN_MAX ? len : SCAN_MAX;
    size_t i = 0;
#define SPACE()                                  \
    do {                                         \
        if (o > 0 && out[o - 1] != ' ')          \
            out[o++] = ' ';                      \
    } while (0)

    while (i < n && o < SAMPLE_MAX) {
        unsigned char c = (unsigned char)text[i];
        size_t skip = 0;
        if (c == '<')
            skip = markup_len(text + i, n - i);
        else if (c == '&')
            skip = entity_len(text + i, n - i);
        else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') && (o == 0 || out[o - 1] == ' '))
            skip = url_len(text + i, n - i);
        if (skip) {
            SPACE();
            i += skip;
            continue;
        }
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                count->script[SC_LATIN]++;
            if (c <= ' ' || c == 0x7F)
                SPACE();
            else
                out[o++] = (char)c;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 1) { /* invalid or truncated: a separator */
            SPACE();
            i++;
            continue;
        }
        if (o + (size_t)k > SAMPLE_MAX)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter(cat)) {
            int script = letter_script(cp);
            count->script[script]++;
            if (script == SC_CYRILLIC) {
                utf8proc_int32_t lower = utf8proc_tolower(cp);
                for (size_t y = 0; y < CYR_N; y++)
                    if (cyr_letters[y] == lower)
                        count->cyr[y]++;
            }
        }
        if (cp == 0xAD || cp == 0xFEFF) {
            /* soft hyphen, byte order mark: inside words, dropped */
        } else if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
                   cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC ||
                   cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CN) {
            SPACE();
        } else {
            memcpy(out + o, text + i, (size_t)k);
            o += (size_t)k;
        }
        i += (size_t)k;
    }
#undef SPACE
    out[o] = '\0';
    return o;
}

/* What libexttextcat says about the sample, among languages written in
 * script (and, for Cyrillic, in the alphabet of the sample): their one ISO
 * code, fallback when none of them is among the candidates or when the
 * candidates disagree and fallback is one of them, else NULL. */
/* Letters of the text's script needed to settle a close call by rank. */
#define CLOSE_CALL_LETTERS 150

static const char *classify(nx_langid *id, size_t sample_len, const struct counts *c, int script,
                            const char *fallback)
{
    const char *res = id->lib->Classify(id->tc, id->sample, sample_len);
    const char *found = NULL, *major = NULL;
    int agree = 1, has_fallback = 0, majors_agree = 1;
    for (const char *p = res; p && *p == '['; ) {
        const char *end = strchr(p, ']');
        if (!end)
            break;
        const struct fpdb_lang *l = fpdb_find(p + 1, (size_t)(end - p - 1));
        p = end + 1;
        if (!l || !l->iso || l->script != script)
            continue;
        if (script == SC_CYRILLIC && cyr_foreign(l->iso, c))
            continue;
        if (fallback && strcmp(l->iso, fallback) == 0)
            has_fallback = 1;
        if (!found)
            found = l->iso;
        else if (strcmp(found, l->iso) != 0)
            agree = 0;
        /* Languages with a stemmer are the big ones; a close call between
         * Spanish and Galician or Asturian is better settled for Spanish. */
        const nx_lang *known = nx_lang_find(l->iso);
        if (known && known->snowball) {
            if (!major)
                major = l->iso;
            else if (strcmp(major, l->iso) != 0)
                majors_agree = 0;
        }
    }
    if (!found)
        return fallback;
    if (agree)
        return found;
    if (has_fallback)
        return fallback;
    /* textcat lists the best first: with enough text, a close call among
     * major languages goes to the best of them. */
    if (major && (majors_agree || c->script[script] >= CLOSE_CALL_LETTERS))
        return major;
    return NULL;
}

/* The function words of a sample. */
struct fw_stats {
    unsigned words;           /* words looked at (at most FW_WORDS) */
    unsigned numbers;         /* runs of digits met among them */
    unsigned nhits;           /* function words among the words */
    uint64_t langs[FW_WORDS]; /* the lists each of them is in */
    uint16_t slot[FW_WORDS];  /* and its slot, which tells words apart */
};

/* 32-bit FNV-1a. */
static uint32_t fw_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

/* The index of the slot of word w[0..n), or of the empty slot where it
 * would go; FW_SLOTS when the table is full. */
static size_t fw_find(const struct fw_slot *table, const char *w, size_t n)
{
    uint32_t h = fw_hash(w, n);
    for (size_t probe = 0; probe < FW_SLOTS; probe++) {
        size_t at = (h + probe) & (FW_SLOTS - 1);
        if (table[at].len == 0 || (table[at].len == n && memcmp(table[at].word, w, n) == 0))
            return at;
    }
    return FW_SLOTS;
}

/* Fills the handle's table from fw_langs. Returns 0, or -1 when a word is
 * too long or the table is full (the lists are wrong). */
static int fw_build(struct fw_slot *table)
{
    for (size_t l = 0; l < FW_LANGS; l++) {
        const char *p = fw_langs[l].words;
        while (*p) {
            size_t n = strcspn(p, " ");
            size_t at = n && n <= FW_WORD_MAX ? fw_find(table, p, n) : FW_SLOTS;
            if (at == FW_SLOTS)
                return -1;
            struct fw_slot *s = &table[at];
            memcpy(s->word, p, n);
            s->len = (unsigned char)n;
            s->langs |= UINT64_C(1) << l;
            p += n;
            p += *p == ' ';
        }
    }
    return 0;
}

/* The code point at s[0] (s is valid UTF-8, n > 0) into *cp; returns its
 * length in bytes. */
static size_t next_cp(const char *s, size_t n, utf8proc_int32_t *cp)
{
    if ((unsigned char)s[0] < 0x80) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp);
    if (k < 1) {
        *cp = -1;
        return 1;
    }
    return (size_t)k;
}

/* Letters and the marks that combine with them make up words. */
static int word_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80) /* and -1, not a character */
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t cat = utf8proc_category(cp);
    return is_letter(cat) || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
}

/* Does a word go on at s[0..n)? */
static int word_at(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    if (n == 0)
        return 0;
    next_cp(s, n, &cp);
    return word_cp(cp);
}

/* The length of the apostrophe (' or U+2019) at s[0], or 0. */
static size_t apostrophe_len(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '\'')
        return 1;
    if (n >= 3 && memcmp(s, "\xE2\x80\x99", 3) == 0)
        return 3;
    return 0;
}

/* Is s[0..n) the ending of an English contraction ("it's", "don't",
 * "we'll")? */
static int english_clitic(const char *s, size_t n)
{
    static const char *const endings[] = {"s", "t", "d", "ll", "re", "ve", "m"};
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
        if (strlen(endings[i]) == n && starts_with(s, n, endings[i]))
            return 1;
    return 0;
}

/* Counts the words, numbers and function words of the first FW_WORDS words
 * of s[0..n) (valid UTF-8) into st. */
static void fw_count(const nx_langid *id, const char *s, size_t n, struct fw_stats *st)
{
    size_t i = 0;
    while (i < n && st->words < FW_WORDS) {
        utf8proc_int32_t cp;
        size_t k = next_cp(s + i, n - i, &cp);
        if (cp >= '0' && cp <= '9') {
            /* 1,250.5 is one number */
            while (i < n && ((s[i] >= '0' && s[i] <= '9') ||
                             ((s[i] == '.' || s[i] == ',') && i + 1 < n && s[i + 1] >= '0' &&
                              s[i + 1] <= '9')))
                i++;
            st->numbers++;
            continue;
        }
        if (!word_cp(cp)) {
            i += k;
            continue;
        }
        /* A word, lowercased into w; longer ones are no function word. */
        char w[FW_WORD_MAX + 1];
        size_t wl = 0;
        int fits = 1;
        while (i < n) {
            k = next_cp(s + i, n - i, &cp);
            if (!word_cp(cp))
                break;
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t el =
                cp < 0x80 ? (enc[0] = (utf8proc_uint8_t)ascii_lower(cp), 1)
                          : utf8proc_encode_char(utf8proc_tolower(cp), enc);
            if (fits && wl + (size_t)el <= FW_WORD_MAX) {
                memcpy(w + wl, enc, (size_t)el);
                wl += (size_t)el;
            } else {
                fits = 0;
            }
            i += k;
        }
        st->words++;
        /* An apostrophe between letters: English "it's" counts as "it";
         * French "l'", Italian "dell'" as themselves. */
        size_t al = apostrophe_len(s + i, n - i);
        if (al && word_at(s + i + al, n - i - al)) {
            size_t e = i + al;
            while (e < n && ascii_alnum((unsigned char)s[e]))
                e++;
            if (english_clitic(s + i + al, e - i - al) && !word_at(s + e, n - e)) {
                i = e;
            } else {
                if (wl < FW_WORD_MAX)
                    w[wl++] = '\'';
                else
                    fits = 0;
                i += al;
            }
        }
        if (!fits)
            continue;
        size_t at = fw_find(id->fw, w, wl);
        if (at < FW_SLOTS && id->fw[at].len) {
            st->langs[st->nhits] = id->fw[at].langs;
            st->slot[st->nhits++] = (uint16_t)at;
        }
    }
}

enum fw_verdict {
    FW_UNSURE,     /* ask libexttextcat */
    FW_TOO_LITTLE, /* too little prose to tell: no answer */
    FW_DECIDED,    /* the language is known */
};

/* What the function words of the sample say, among the lists of script;
 * on FW_DECIDED, *code is the language. The list with the most words wins when
 * they are a good share of the sample's words, several different ones, and
 * when, against every other list (decoys included), the words only the
 * winner has clearly outnumber those only the other has: so shared words
 * ("de", "la", "a") count for neither, and a word repeated down a table
 * ("under", "net") cannot win alone. Without a winner, a sample with few
 * words or many figures (a table of results) is too little to tell from;
 * the rest is unsure. */
static enum fw_verdict fw_decide(const nx_langid *id, size_t sample_len, int script,
                                 const char **code)
{
    struct fw_stats st;
    st.words = st.numbers = st.nhits = 0;
    fw_count(id, id->sample, sample_len, &st);

    /* Per list: its words, the different ones among them, and the words it
     * shares with the best list. */
    unsigned hits[FW_LANGS] = {0}, kinds[FW_LANGS] = {0}, shared[FW_LANGS] = {0};
    uint64_t seen[FW_SLOTS / 64] = {0};
    for (unsigned h = 0; h < st.nhits; h++) {
        unsigned at = st.slot[h];
        unsigned first = !(seen[at / 64] >> (at % 64) & 1);
        seen[at / 64] |= UINT64_C(1) << (at % 64);
        size_t l = 0;
        for (uint64_t m = st.langs[h]; m; m >>= 1, l++)
            if (m & 1) {
                hits[l]++;
                kinds[l] += first;
            }
    }
    size_t best = FW_LANGS;
    for (size_t l = 0; l < FW_LANGS; l++)
        if (fw_langs[l].script == script && (best == FW_LANGS || hits[l] > hits[best]))
            best = l;
    if (best == FW_LANGS)
        return FW_UNSURE;
    for (unsigned h = 0; h < st.nhits; h++) {
        size_t l = 0;
        if (st.langs[h] >> best & 1)
            for (uint64_t m = st.langs[h]; m; m >>= 1, l++)
                shared[l] += (unsigned)(m & 1);
    }
    int few = st.words < FW_FEW_WORDS;
    unsigned b = hits[best];
    int clear = fw_langs[best].share && b >= (few ? FW_SHORT_MIN : FW_MIN_HITS) &&
                kinds[best] >= (few ? FW_SHORT_MIN : FW_MIN_KINDS) &&
                b * 100 >= st.words * fw_langs[best].share;
    for (size_t o = 0; clear && o < FW_LANGS; o++) {
        if (o == best || !hits[o])
            continue;
        /* the words only the best list has, and those only o's has */
        unsigned own = b - shared[o], other = hits[o] - shared[o];
        clear = own >= (few ? FW_SHORT_MIN : FW_MIN_OWN) && own * 100 >= other * FW_MARGIN;
    }
    if (clear) {
        *code = fw_langs[best].iso;
        return FW_DECIDED;
    }
    if (few || st.numbers * 100 >= st.words * FW_FIGURES)
        return FW_TOO_LITTLE;
    return FW_UNSURE;
}

nx_langid *nx_langid_new(void)
{
    nx_langid *id = calloc(1, sizeof *id);
    if (!id)
        return NULL;
    if (fw_build(id->fw) != 0) {
        free(id);
        return NULL;
    }
    id->lib = nx_textcat_load();
    id->tc = id->lib ? id->lib->Init(FPDB_CONF, FPDB_DIR) : NULL;
    if (!id->tc) {
        free(id);
        return NULL;
    }
    return id;
}

void nx_langid_free(nx_langid *id)
{
    if (!id)
        return;
    id->lib->Done(id->tc);
    free(id);
}

const char *nx_langid_detect(nx_langid *id, const char *text, size_t len)
{
    if (!id || !text || len == 0)
        return NULL;
    struct counts c = {{0}, {0}};
    size_t sample_len = make_sample(id, text, len, &c);
    size_t *count = c.script;

    count[SC_CJK] = count[SC_HAN] + count[SC_KANA] + count[SC_HANGUL];
    size_t letters = 0;
    for (int s = 0; s < SC_GROUPS; s++)
        letters += count[s];
    if (letters < MIN_LETTERS)
        return NULL;

    /* One script must hold two thirds of the letters; a CJK character
     * carries about as much as two alphabetic letters. */
    size_t total = letters + count[SC_CJK];
    int top = 0;
    for (int s = 1; s < SC_GROUPS; s++) {
        size_t w = s == SC_CJK ? 2 * count[s] : count[s];
        size_t best = top == SC_CJK ? 2 * count[top] : count[top];
        if (w > best)
            top = s;
    }
    size_t top_w = top == SC_CJK ? 2 * count[top] : count[top];
    if (top_w * 3 < total * 2)
        return NULL;

    switch (top) {
    case SC_CJK: {
        size_t cjk = count[SC_CJK];
        if (count[SC_HANGUL] * 2 >= cjk)
            return "ko";
        if (count[SC_KANA] * 20 >= cjk) /* 5% kana: Japanese */
            return "ja";
        if ((count[SC_KANA] + count[SC_HANGUL]) * 50 <= cjk) /* at most 2% */
            return "zh";
        return NULL;
    }
    case SC_GREEK:
        return "el";
    case SC_THAI:
        return "th";
    case SC_ARABIC: {
        const char *code = NULL;
        if (fw_decide(id, sample_len, SC_ARABIC, &code) == FW_DECIDED)
            return code;
        return classify(id, sample_len, &c, SC_ARABIC, "ar");
    }
    case SC_HEBREW:
        return classify(id, sample_len, &c, SC_HEBREW, "he");
    case SC_LATIN: {
        const char *code = NULL;
        switch (fw_decide(id, sample_len, SC_LATIN, &code)) {
        case FW_DECIDED:
            return code;
        case FW_TOO_LITTLE:
            return NULL;
        case FW_UNSURE:
            break;
        }
        return classify(id, sample_len, &c, SC_LATIN, NULL);
    }
    default: /* Cyrillic and the other scripts */
        return classify(id, sample_len, &c, top, NULL);
    }
}
