// Language identification with CLD2: hand-picked sentences, the "und" rules, the
// normalization of CLD2's codes, every text encoding, sampling of long documents,
// invalid UTF-8, and the batch form on any number of threads.
#include <algorithm>
#include <cstdint>
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/language.hpp"
#include "themescope/parallel.hpp"

namespace themescope {
namespace {

using testing::to_u8;

using testing::ThreadCountGuard;

// The same text in each of the four encodings a TextRef may use. Latin-1 only
// when every code point fits. refs() point into the object: keep it alive.
struct Encoded {
  explicit Encoded(std::u32string_view text)
      : ucs4(text), ucs2(text.begin(), text.end()), utf8(to_u8(text)) {
    if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x100; })) {
      latin1.assign(text.begin(), text.end());
    }
    fits_ucs2 = std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x10000; });
  }
  std::vector<TextRef> refs() const {
    std::vector<TextRef> out{TextRef::utf8(utf8), TextRef::utf32(ucs4)};
    if (fits_ucs2) out.push_back({ucs2.data(), ucs2.size(), TextEncoding::ucs2});
    if (!latin1.empty()) out.push_back({latin1.data(), latin1.size(), TextEncoding::latin1});
    return out;
  }
  std::u32string ucs4;
  std::u16string ucs2;
  std::string utf8;
  std::vector<std::uint8_t> latin1;
  bool fits_ucs2 = false;
};

struct Sentence {
  std::string_view language;
  std::u32string_view text;
};

// One news-like sentence per language, written for this test (same content in each).
const std::vector<Sentence>& sentences() {
  static const std::vector<Sentence> all = {
      {"fr", U"Les manifestants se sont rassemblés samedi matin devant la mairie pour réclamer une baisse des "
             U"taxes sur le carburant."},
      {"en", U"The protesters gathered outside the town hall on Saturday morning to demand lower taxes on fuel."},
      {"de", U"Die Demonstranten versammelten sich am Samstagmorgen vor dem Rathaus, um niedrigere Steuern auf "
             U"Kraftstoff zu fordern."},
      {"es", U"Los manifestantes se reunieron el sábado por la mañana frente al ayuntamiento para exigir "
             U"impuestos más bajos sobre el combustible."},
      {"it", U"I manifestanti si sono radunati sabato mattina davanti al municipio per chiedere tasse più basse "
             U"sul carburante."},
      {"pt", U"Os manifestantes reuniram-se no sábado de manhã em frente à câmara municipal para exigir "
             U"impostos mais baixos sobre os combustíveis."},
      {"nl", U"De demonstranten verzamelden zich zaterdagochtend voor het stadhuis om lagere belastingen op "
             U"brandstof te eisen."},
      {"pl", U"Demonstranci zebrali się w sobotę rano przed ratuszem, domagając się niższych podatków od paliwa."},
      {"tr", U"Protestocular cumartesi sabahı belediye binasının önünde toplanarak akaryakıt vergilerinin "
             U"düşürülmesini talep etti."},
      {"sv", U"Demonstranterna samlades utanför stadshuset på lördagsmorgonen för att kräva lägre skatt på bränsle."},
      {"ru", U"Протестующие собрались в субботу утром у здания мэрии, требуя снизить налоги на топливо."},
      {"uk", U"Протестувальники зібралися в суботу вранці біля будівлі мерії, вимагаючи знизити податки на пальне."},
      {"el", U"Οι διαδηλωτές συγκεντρώθηκαν το πρωί του Σαββάτου έξω από το δημαρχείο ζητώντας χαμηλότερους "
             U"φόρους στα καύσιμα."},
      {"ar", U"تجمع المتظاهرون صباح السبت أمام مبنى البلدية للمطالبة بخفض الضرائب على الوقود."},
      // CLD2 says "iw": ISO 639-1 has said "he" since 1989.
      {"he", U"המפגינים התאספו בשבת בבוקר מול בניין העירייה ודרשו להוריד את המסים על הדלק."},
      {"hi", U"प्रदर्शनकारी शनिवार सुबह नगर पालिका के सामने इकट्ठा हुए और ईंधन पर कर कम करने की मांग की।"},
      {"ja", U"抗議者たちは土曜日の朝、市役所の前に集まり、燃料税の引き下げを求めました。"},
      {"zh", U"抗议者周六上午聚集在市政厅外，要求降低燃油税。"},
      // Traditional script: CLD2 says "zh-Hant".
      {"zh", U"抗議者週六上午聚集在市政廳外，要求降低燃油稅，並批評政府的能源政策。"},
      {"ko", U"시위대는 토요일 아침 시청 앞에 모여 연료세 인하를 요구했습니다."},
  };
  return all;
}

// ---------------------------------------------------------------- languages

TEST(DetectLanguage, HandPickedSentencesInEveryEncoding) {
  for (const auto& s : sentences()) {
    const Encoded text(s.text);
    for (const TextRef& ref : text.refs()) {
      EXPECT_EQ(detect_language(ref), s.language)
          << "encoding " << static_cast<int>(ref.encoding) << ": " << text.utf8;
    }
    EXPECT_EQ(detect_language(std::string_view(text.utf8)), s.language);
  }
}

TEST(DetectLanguage, SampleArticleStyleText) {
  // Scraped text carries newlines, curly apostrophes, guillemets and numbers.
  EXPECT_EQ(detect_language("L\u2019OTAN a annonc\u00e9 mardi que 30.000 soldats participeraient \u00e0 "
                            "l\u2019exercice.\n\u00ab C\u2019est une r\u00e9ponse claire \u00bb, a d\u00e9clar\u00e9 "
                            "le secr\u00e9taire g\u00e9n\u00e9ral."),
            "fr");
}

// ---------------------------------------------------------------- "und"

TEST(DetectLanguage, NothingToReadIsUndetermined) {
  for (std::string_view text : {"", " ", "\n\t\r  \n", "...!?;:-()[]{}\u00ab\u00bb\u2014\u2026", "12345 67.890 1,000",
                                "2019-01-05 12:30 +33 6 12 34 56 78", "\u0661\u0662\u0663 \u00bd \u2167", "\U0001F600\U0001F44D \u2764"}) {
    EXPECT_EQ(detect_language(text), "und") << "'" << text << "'";
  }
  EXPECT_EQ(detect_language(TextRef{}), "und");  // null data, length 0
}

TEST(DetectLanguage, FewerThanMinLettersIsUndetermined) {
  static_assert(kMinLetters == 40, "the sentences below count letters for 40");
  // 40 letters, 39 letters.
  EXPECT_EQ(detect_language("Les manifestants r\u00e9clament une baisse de taxes"), "fr");
  EXPECT_EQ(detect_language("Les manifestants r\u00e9clament une baisse de taxe"), "und");
  // Digits and punctuation do not count.
  EXPECT_EQ(detect_language("Les 1234567890 manifestants !!! r\u00e9clament une baisse de taxe 2019"), "und");
  // A Han character counts as three letters: 14 are enough, 13 are not.
  EXPECT_EQ(detect_language("\u6297\u8bae\u8005\u5468\u516d\u4e0a\u5348\u805a\u96c6\u5728\u5e02\u653f\u5385\u5916"),
            "zh");
  EXPECT_EQ(detect_language("\u6297\u8bae\u8005\u5468\u516d\u4e0a\u5348\u805a\u96c6\u5728\u5e02\u653f\u5385"), "und");
  // Words too short to tell, even repeated into a longer text.
  EXPECT_EQ(detect_language("OTAN"), "und");
  EXPECT_EQ(detect_language("Bonjour"), "und");
}

TEST(DetectLanguage, NoLanguageFoundIsUndetermined) {
  // Long enough, but CLD2 recognizes no language in them.
  EXPECT_EQ(detect_language("qwzx kjhgf plmnb vcxwq rtzup asdfg hjklm yxcvb nmqwe rtzui opasd fghjk"), "und");
  EXPECT_EQ(detect_language("aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCBkYXRhIG9mIG5vIGxhbmd1YWdl"
                            "SGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCBkYXRhIG9mIG5vIGxhbmd1YWdl"),
            "und");
  EXPECT_EQ(detect_language("https://www.lesoir.be/2019/01/20/article https://t.co/abcDEF123 "
                            "pic.twitter.com/bnG5JtsWpq #GiletsJaunes @larueofficiel"),
            "und");
}

// ------------------------------------------------ where we differ from CLD2's summary

struct Cld2Result {
  CLD2::Language summary;
  CLD2::Language top;
  int top_percent;
  bool is_reliable;
};

Cld2Result cld2_directly(const std::string& utf8) {
  const CLD2::CLDHints no_hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores[3];
  int text_bytes = 0;
  bool is_reliable = false;
  const CLD2::Language summary =
      CLD2::ExtDetectLanguageSummary(utf8.data(), static_cast<int>(utf8.size()), true, &no_hints, 0, language3,
                                     percent3, scores, nullptr, &text_bytes, &is_reliable);
  return {summary, language3[0], percent3[0], is_reliable};
}

TEST(DetectLanguage, EnglishArticleQuotingFrenchIsEnglish) {
  // CLD2's summary takes English for web-page boilerplate when another language
  // has at least 17% of the text, and answers French.
  const std::string text =
      "The police said on Sunday that an investigation had been opened after a video showed an officer punching a "
      "man who was standing against a wall during the demonstration. The officer, who was decorated last year, has "
      "been suspended while the inspectorate examines the footage. Witnesses told reporters that the crowd had been "
      "calm until the evening, when several groups tried to reach the main square. The interior minister promised "
      "that every case of violence would be examined and that the results would be made public within a month. "
      "Un policier film\u00e9 en train de frapper des manifestants \u00e0 mains nues lors de la manifestation de "
      "samedi, dont l'un tr\u00e8s violemment contre un mur.";
  const Cld2Result cld2 = cld2_directly(text);
  ASSERT_EQ(cld2.summary, CLD2::FRENCH);  // the premise of this test
  ASSERT_EQ(cld2.top, CLD2::ENGLISH);
  EXPECT_EQ(detect_language(text), "en");
}

TEST(DetectLanguage, FrenchWithManyNamesIsFrenchThoughNotReliable) {
  // More than 20% of the text goes to no language: CLD2 calls its answer unreliable.
  const std::string text =
      "Dimanche matin, les messages de f\u00e9licitations affluent sur le t\u00e9l\u00e9phone de notre homme. Dans "
      "son cercle d'amis, sa nomination \u00e0 la t\u00eate du club ne passe pas inaper\u00e7ue. Tout le monde veut "
      "le f\u00e9liciter, et il a appris la nouvelle avec humour. "
      "Renaud Rutten, Alexandre Grosjean, Anderlecht, Standard, Sclessin, Vanhaezebrouck, Vercauteren, Kompany, "
      "Dendoncker, Tielemans. Renaud Rutten, Alexandre Grosjean, Anderlecht, Standard, Sclessin, Vanhaezebrouck, "
      "Vercauteren, Kompany, Dendoncker, Tielemans. ";
  const Cld2Result cld2 = cld2_directly(text);
  ASSERT_EQ(cld2.summary, CLD2::FRENCH);  // the premise of this test
  ASSERT_FALSE(cld2.is_reliable);
  ASSERT_LT(cld2.top_percent, 80);
  EXPECT_EQ(detect_language(text), "fr");
}

// ---------------------------------------------------------------- codes

TEST(LanguageCodes, CLD2CodesAreNormalized) {
  using detail::language_code_of_cld2;
  EXPECT_EQ(language_code_of_cld2(CLD2::ENGLISH), "en");
  EXPECT_EQ(language_code_of_cld2(CLD2::FRENCH), "fr");
  EXPECT_EQ(language_code_of_cld2(CLD2::HEBREW), "he");        // CLD2: iw
  EXPECT_EQ(language_code_of_cld2(CLD2::JAVANESE), "jv");      // CLD2: jw
  EXPECT_EQ(language_code_of_cld2(CLD2::CHINESE), "zh");
  EXPECT_EQ(language_code_of_cld2(CLD2::CHINESE_T), "zh");     // CLD2: zh-Hant
  EXPECT_EQ(language_code_of_cld2(CLD2::MONTENEGRIN), "sr");   // CLD2: sr-ME
  EXPECT_EQ(language_code_of_cld2(CLD2::NORWEGIAN), "no");
  EXPECT_EQ(language_code_of_cld2(CLD2::NORWEGIAN_N), "nn");
  EXPECT_EQ(language_code_of_cld2(CLD2::HAWAIIAN), "haw");     // no ISO 639-1 code
  EXPECT_EQ(language_code_of_cld2(CLD2::NDEBELE), "nr");
  for (CLD2::Language undetermined : {CLD2::UNKNOWN_LANGUAGE, CLD2::TG_UNKNOWN_LANGUAGE, CLD2::X_BORK_BORK_BORK,
                                      CLD2::X_PIG_LATIN, CLD2::X_KLINGON, CLD2::X_Latin, CLD2::X_Han,
                                      static_cast<CLD2::Language>(CLD2::NUM_LANGUAGES - 1)}) {
    EXPECT_EQ(language_code_of_cld2(undetermined), "und") << CLD2::LanguageCode(undetermined);
  }
  for (int out_of_range : {-1, static_cast<int>(CLD2::NUM_LANGUAGES), 100000}) {
    EXPECT_EQ(language_code_of_cld2(out_of_range), "und");
  }
}

TEST(LanguageCodes, EveryAnswerIsAnIsoCodeOrUnd) {
  // ISO 639-1 (bh, a collection, is kept: CLD2 detects Bihari).
  const std::set<std::string_view> iso639_1 = {
      "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm",
      "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee",
      "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu",
      "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is",
      "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
      "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms",
      "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os",
      "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
      "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl",
      "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
      "yo", "za", "zh", "zu"};
  // The languages CLD2 knows that have no ISO 639-1 code keep their ISO 639-2/3 code.
  const std::set<std::string_view> without_iso639_1 = {"ceb", "chr", "crs", "gaa", "haw", "hmn", "kha",
                                                       "kri", "lif", "loz", "lua", "luo", "mfe", "new",
                                                       "nso", "pam", "raj", "sco", "syr", "tum", "war"};
  std::set<std::string_view> three_letter;
  std::size_t determined = 0;
  for (int value = 0; value < CLD2::NUM_LANGUAGES; ++value) {
    const std::string_view code = detail::language_code_of_cld2(value);
    if (code == "und") continue;
    ++determined;
    if (code.size() == 2) {
      EXPECT_TRUE(iso639_1.count(code)) << code << " (CLD2 " << CLD2::LanguageCode(static_cast<CLD2::Language>(value))
                                        << ") is not ISO 639-1";
    } else {
      three_letter.insert(code);
    }
  }
  EXPECT_EQ(three_letter, without_iso639_1);
  EXPECT_GE(determined, 170u);  // CLD2's languages, not its extended pseudo-languages
}

// ---------------------------------------------------------------- characters

TEST(DetectLanguage, ControlCharactersAreReadAsSpaces) {
  // A scraped article with BEL characters (as one in the gilets_jaunes corpus):
  // CLD2 stops reading at them, so they are replaced, and the text stays French.
  const std::u32string_view french = sentences()[0].text;
  std::u32string text(french.substr(0, 10));
  text += U'\u0007';
  text += french.substr(10, 20);
  text += std::u32string_view(U"\u0000\u001B\u007F\u0085\uFFFE\uFDD0\U0010FFFF", 7);
  text += french.substr(30, 30);
  text += static_cast<char32_t>(0xD800);  // a lone surrogate, as a Python str may hold
  text += french.substr(60);
  const Encoded encoded(text);
  for (const TextRef& ref : encoded.refs()) EXPECT_EQ(detect_language(ref), "fr");
}

TEST(DetectLanguage, SurrogatesInUtf8AreAccepted) {
  // TextRef accepts lone surrogates written as three bytes ("surrogatepass").
  const std::string text = "Les manifestants se sont rassembl\u00e9s samedi \xED\xA0\x80 matin devant la mairie pour "
                           "r\u00e9clamer une baisse des taxes.";
  EXPECT_EQ(detect_language(text), "fr");
}

TEST(DetectLanguage, EveryCodePointIsAcceptedByCLD2) {
  // detect_language throws std::logic_error if CLD2 refuses the text it is given:
  // hand it every code point (and a few beyond Unicode), 4096 at a time.
  const std::u32string french = std::u32string(sentences()[0].text) + U" ";
  for (char32_t first = 0; first < 0x110000 + 0x1000; first += 0x1000) {
    std::u32string text = french;
    for (char32_t c = first; c < first + 0x1000; ++c) text.push_back(c);
    text += french;
    EXPECT_NO_THROW(detect_language(TextRef::utf32(text))) << testing::cp_name(first);
    if (first < 0x10000) {
      const std::u16string ucs2(text.begin(), text.end());
      EXPECT_NO_THROW(detect_language(TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}));
    }
  }
}

TEST(DetectLanguage, InvalidUtf8Throws) {
  for (const auto& [text, offset] : std::vector<std::pair<std::string, std::size_t>>{
           {"Les manifestants \xC3\x28 r\u00e9clament", 17},
           {"\xFF", 0},
           {"abc\x80", 3},
           {"truncated \xE2\x82", 10},
           {"overlong \xC0\xAF", 9},
           {"beyond Unicode \xF4\x90\x80\x80", 15}}) {
    try {
      detect_language(text);
      ADD_FAILURE() << "no error for '" << text << "'";
    } catch (const InvalidUtf8Error& e) {
      EXPECT_EQ(e.byte_offset(), offset) << text;
    }
  }
}

// ---------------------------------------------------------------- long documents

// `n` code points cycling through `sentences` (different sentences, so that CLD2
// does not squeeze the text away as repetitive).
std::u32string cycled(const std::vector<std::u32string_view>& parts, std::size_t n) {
  std::u32string out;
  out.reserve(n + 256);
  for (std::size_t i = 0; out.size() < n; ++i) {
    out += parts[i % parts.size()];
    out += (i % 7 == 6) ? U"\n" : U" ";
  }
  out.resize(n);
  return out;
}

const std::vector<std::u32string_view> kFrench = {
    U"Les manifestants se sont rassemblés samedi matin devant la mairie pour réclamer une baisse des taxes.",
    U"Le gouvernement a annoncé mardi un moratoire de six mois sur la hausse du prix du carburant.",
    U"Dans plusieurs villes, des barrages filtrants ont été installés aux ronds-points dès l'aube.",
    U"Selon la préfecture, près de deux mille personnes ont défilé dans le calme jusqu'à la fin de l'après-midi.",
    U"Les syndicats, divisés, hésitent encore à rejoindre un mouvement qui refuse tout porte-parole."};
const std::vector<std::u32string_view> kEnglish = {
    U"The protesters gathered outside the town hall on Saturday morning to demand lower taxes on fuel.",
    U"On Tuesday the government announced a six-month freeze on the planned increase in fuel duty.",
    U"In several towns, roadblocks were set up at roundabouts from dawn, slowing traffic for hours.",
    U"According to the police, nearly two thousand people marched peacefully until late afternoon.",
    U"The unions, divided, are still hesitant to join a movement that refuses to have any spokesperson."};

TEST(DetectLanguageLong, TheLanguageOfMostOfTheDocument) {
  // Longer than kMaxSampledCodeUnits: windows spread over the whole document are
  // read, not just its beginning.
  const std::size_t n = 40 * kMaxSampledCodeUnits;
  const std::u32string french_then_english = cycled(kFrench, n / 4) + cycled(kEnglish, n - n / 4);
  const std::u32string english_then_french = cycled(kEnglish, n / 4) + cycled(kFrench, n - n / 4);
  const Encoded mostly_english(french_then_english), mostly_french(english_then_french);
  for (const TextRef& ref : mostly_english.refs()) EXPECT_EQ(detect_language(ref), "en");
  for (const TextRef& ref : mostly_french.refs()) EXPECT_EQ(detect_language(ref), "fr");
}

TEST(DetectLanguageLong, AroundTheSamplingThreshold) {
  for (std::size_t n : {kMaxSampledCodeUnits - 1, kMaxSampledCodeUnits, kMaxSampledCodeUnits + 1,
                        kMaxSampledCodeUnits + kSampleWindows, 3 * kMaxSampledCodeUnits + 7}) {
    const std::u32string text = cycled(kFrench, n);
    const Encoded encoded(text);
    for (const TextRef& ref : encoded.refs()) EXPECT_EQ(detect_language(ref), "fr") << n;
  }
}

TEST(DetectLanguageLong, Utf8WindowsStartOnCharacters) {
  // Greek (2 bytes), Chinese (3 bytes) and emoji (4 bytes) in long UTF-8 text: with
  // lengths one apart, windows fall in the middle of characters and are moved to
  // the next one.
  const std::u32string greek_unit = std::u32string(sentences()[12].text) + U" \U0001F600\U0001F44D";
  for (std::size_t extra = 0; extra < 4; ++extra) {
    const std::size_t n = 5 * kMaxSampledCodeUnits + extra;
    EXPECT_EQ(detect_language(Encoded(cycled({greek_unit}, n)).utf8), "el") << n;
    EXPECT_EQ(detect_language(Encoded(cycled({sentences()[17].text, sentences()[18].text}, n)).utf8), "zh") << n;
  }
}

// ---------------------------------------------------------------- batches, threads

std::vector<Encoded> mixed_corpus() {
  std::vector<Encoded> corpus;
  for (const auto& s : sentences()) corpus.emplace_back(s.text);
  for (std::u32string_view t : {U"", U"   ", U"12345", U"OTAN", U"qwzx kjhgf plmnb vcxwq rtzup asdfg hjklm yxcvb"}) {
    corpus.emplace_back(t);
  }
  corpus.emplace_back(cycled(kFrench, 3 * kMaxSampledCodeUnits));
  corpus.emplace_back(cycled(kEnglish, kMaxSampledCodeUnits + 1));
  for (std::size_t i = 0; i < 40; ++i) {  // a few hundred documents, short and long, in every language
    const auto& s = sentences()[i % sentences().size()];
    corpus.emplace_back(cycled({s.text, kFrench[i % kFrench.size()]}, 50 + 97 * i));
  }
  return corpus;
}

std::vector<TextRef> every_encoding(const std::vector<Encoded>& corpus) {
  std::vector<TextRef> refs;
  for (const auto& e : corpus) {
    for (const TextRef& r : e.refs()) refs.push_back(r);
  }
  return refs;
}

TEST(DetectLanguages, EqualsTheSingleFormAndIgnoresTheThreadCount) {
  ThreadCountGuard guard;
  const std::vector<Encoded> corpus = mixed_corpus();
  const std::vector<TextRef> refs = every_encoding(corpus);
  std::vector<std::string_view> single;
  for (const TextRef& r : refs) single.push_back(detect_language(r));
  ASSERT_GT(std::count(single.begin(), single.end(), "und"), 5);
  ASSERT_GT(std::count(single.begin(), single.end(), "fr"), 40);
  for (int threads : {1, 2, 3, 8}) {
    set_num_threads(threads);
    EXPECT_EQ(detect_languages(refs), single) << threads << " threads";
  }
}

TEST(DetectLanguages, EmptyBatch) { EXPECT_TRUE(detect_languages({}).empty()); }

TEST(DetectLanguages, InvalidUtf8NamesTheFirstBadDocument) {
  ThreadCountGuard guard;
  std::vector<std::string> docs(100, "Les manifestants se sont rassembl\u00e9s samedi matin devant la mairie.");
  docs[37] = "ok \xC3";
  docs[80] = "\xFF";
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  for (int threads : {1, 2, 4}) {
    set_num_threads(threads);
    try {
      detect_languages(refs);
      ADD_FAILURE() << "no error";
    } catch (const InvalidUtf8Error& e) {
      EXPECT_EQ(std::string(e.what()), "document 37: invalid UTF-8 at byte offset 3");
      EXPECT_EQ(e.byte_offset(), 3u);
    }
  }
}

TEST(DetectLanguages, ConcurrentCallersAgree) {
  // CLD2 keeps no state between calls: several threads calling at once (each
  // batch itself on two threads) get the answers of a single thread.
  ThreadCountGuard guard;
  set_num_threads(2);
  const std::vector<Encoded> corpus = mixed_corpus();
  const std::vector<TextRef> refs = every_encoding(corpus);
  std::vector<std::string_view> expected;
  for (const TextRef& r : refs) expected.push_back(detect_language(r));
  std::vector<std::vector<std::string_view>> batch(4), single(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        batch[t] = detect_languages(refs);
        single[t].clear();
        for (const TextRef& r : refs) single[t].push_back(detect_language(r));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(batch[t], expected) << "thread " << t;
    EXPECT_EQ(single[t], expected) << "thread " << t;
  }
}

}  // namespace
}  // namespace themescope
