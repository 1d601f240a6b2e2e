// The whole multilingual pipeline (MultilingualAnalyzer: language -> normalize ->
// segment -> numbers / elision / length / stop words -> stem -> n-grams) on
// hand-worked cases. Each expected list was worked out by hand from the rules
// (Snowball's stop lists in cpp/data/stopwords, Snowball's stemmers), not
// copied from the analyzer's output.
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/multilingual.hpp"
#include "themescope/term_counter.hpp"

namespace themescope {
namespace {

using testing::sorted;
using testing::Terms;
using Pairs = std::vector<std::pair<std::string, std::string>>;

MultilingualOptions options(std::string language, bool stem = true,
                            StopWordsSource stop = StopWordsSource::language) {
  MultilingualOptions o;
  o.language = std::move(language);
  o.stem = stem;
  o.stop_words = stop;
  return o;
}

// Words only, nothing dropped but what the test is about.
MultilingualOptions bare(std::string language) {
  MultilingualOptions o = options(std::move(language), /*stem=*/false, StopWordsSource::none);
  o.min_token_length = 1;
  return o;
}

Pairs sorted_pairs(Pairs pairs) {
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

Pairs pairs_of(const MultilingualAnalyzer& analyzer, AnalyzerState& state, std::string_view utf8) {
  Pairs out;
  analyzer.analyze_document(TextRef::utf8(utf8), state, [&](std::string_view term, std::string_view surface, TermMemo*) {
    out.emplace_back(std::string(term), std::string(surface));
  });
  return out;
}

Pairs pairs_of(const MultilingualOptions& o, std::string_view utf8) {
  const MultilingualAnalyzer analyzer(o);
  auto state = analyzer.new_state();
  return pairs_of(analyzer, *state, utf8);
}

// Terms in the order the analyzer emits them.
Terms terms_of(const MultilingualAnalyzer& analyzer, AnalyzerState& state, std::string_view utf8) {
  Terms out;
  for (auto& [term, surface] : pairs_of(analyzer, state, utf8)) out.push_back(std::move(term));
  return out;
}

Terms terms_of(const MultilingualOptions& o, std::string_view utf8) {
  const MultilingualAnalyzer analyzer(o);
  auto state = analyzer.new_state();
  return terms_of(analyzer, *state, utf8);
}

// ---------------------------------------------------------------- elision

TEST(MultilingualAccents, FoldedAfterStemmingWhenAsked) {
  // Snowball stems see the accents; the terms then lose them: "Etats" and "États" are one term.
  MultilingualOptions o = options("fr");
  EXPECT_EQ(terms_of(o, "États Etats cybersécurité"), (Terms{"état", "etat", "cybersécur"}));
  o.fold_accents = true;
  EXPECT_EQ(terms_of(o, "États Etats cybersécurité"), (Terms{"etat", "etat", "cybersecur"}));
  // the same on the ICU path, and the compatibility forms NFKD decomposes
  o.fast_path = false;
  EXPECT_EQ(terms_of(o, "États Etats cybersécurité"), (Terms{"etat", "etat", "cybersecur"}));
  MultilingualOptions words = bare("fr");
  words.fold_accents = true;
  EXPECT_EQ(terms_of(words, "Noël œuvre naïve"), (Terms{"noel", "œuvre", "naive"}));
}

TEST(MultilingualElision, FrenchArticlesPronounsAndConjunctionsAreRemoved) {
  // Curly apostrophes (as scraped) and straight ones give the same words;
  // "aujourd'hui" is one word, not an elision.
  const Terms expected = {"otan", "il", "à", "aujourd'hui", "europe", "elle"};
  EXPECT_EQ(terms_of(bare("fr"), "L’OTAN, qu’il jusqu’à aujourd’hui. D’Europe lorsqu’elle"), expected);
  EXPECT_EQ(terms_of(bare("fr"), "L'OTAN, qu'il jusqu'à aujourd'hui. D'Europe lorsqu'elle"), expected);
}

TEST(MultilingualElision, OffKeepsTheSegmentWhole) {
  MultilingualOptions o = bare("fr");
  o.elision = false;
  EXPECT_EQ(terms_of(o, "L’OTAN qu’il aujourd’hui"), (Terms{"l'otan", "qu'il", "aujourd'hui"}));
}

TEST(MultilingualElision, FrenchDefaultsDropWhatIsLeftWhenShortOrAStopWord) {
  // "et" and "il" (after qu') are French stop words; "à" (after jusqu') is one
  // character, under the default minimum of 2; "aujourd'hui" has no suffix the
  // French stemmer removes; "otan" and "inde" neither.
  EXPECT_EQ(terms_of(options("fr"), "L’OTAN et l’Inde, jusqu’à aujourd’hui qu’il"),
            (Terms{"otan", "inde", "aujourd'hui"}));
}

TEST(MultilingualElision, ExplainShowsTheSegmentTheUnelidedWordAndTheReason) {
  const MultilingualAnalyzer analyzer(options("fr"));
  const auto rows = analyzer.explain(TextRef::utf8("Jusqu’à l’OTAN"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].language, "fr");
  EXPECT_EQ(rows[0].segment, "jusqu'à");
  EXPECT_EQ(rows[0].unelided, "à");
  EXPECT_EQ(rows[0].term, "");
  EXPECT_EQ(rows[0].dropped_by, "length");  // length is checked before stop words
  EXPECT_EQ(rows[1].segment, "l'otan");
  EXPECT_EQ(rows[1].kind, "letter");
  EXPECT_EQ(rows[1].unelided, "otan");
  EXPECT_EQ(rows[1].term, "otan");
  EXPECT_EQ(rows[1].dropped_by, "");

  MultilingualOptions o = options("fr");
  o.min_token_length = 1;  // now "à" reaches the stop list, which has it
  const auto again = MultilingualAnalyzer(o).explain(TextRef::utf8("Jusqu’à"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].dropped_by, "stop_words");
}

TEST(MultilingualElision, EnglishPossessive) {
  // "'s" goes; the plural possessive's apostrophe is not part of the segment;
  // "o'brien" keeps its apostrophe (English has no elided articles).
  EXPECT_EQ(terms_of(bare("en"), "NATO’s allies’ summit, O'Brien's l'OTAN"),
            (Terms{"nato", "allies", "summit", "o'brien", "l'otan"}));
  MultilingualOptions o = bare("en");
  o.elision = false;
  EXPECT_EQ(terms_of(o, "NATO’s summit"), (Terms{"nato's", "summit"}));
}

TEST(MultilingualElision, FrenchElisionIsNotAppliedToEnglish) {
  EXPECT_EQ(terms_of(bare("en"), "l’otan qu’il"), (Terms{"l'otan", "qu'il"}));
}

// ---------------------------------------------------------------- stop words

TEST(MultilingualStopWords, EachLanguageDropsItsOwnList) {
  constexpr std::string_view text = "the gilets et les manifestants";
  // French list: "et", "les"; English list: "the".
  EXPECT_EQ(terms_of(options("fr", false), text), (Terms{"the", "gilets", "manifestants"}));
  EXPECT_EQ(terms_of(options("en", false), text), (Terms{"gilets", "et", "les", "manifestants"}));
  EXPECT_EQ(terms_of(options("fr", false, StopWordsSource::none), text),
            (Terms{"the", "gilets", "et", "les", "manifestants"}));
}

TEST(MultilingualStopWords, CaseAndApostrophesOfTheTextDoNotMatter) {
  EXPECT_EQ(terms_of(options("fr", false), "LES Gilets ET"), (Terms{"gilets"}));
  // "don't" is on the English list; the text's curly apostrophe is unified first.
  EXPECT_EQ(terms_of(options("en", false), "DON’T panic"), (Terms{"panic"}));
}

TEST(MultilingualStopWords, AListedWordIsDroppedEvenWhenElisionWouldChangeIt) {
  // "let's" is on Snowball's English list. With elision the possessive rule
  // would make it "let", which is not: the listed word must still be dropped.
  EXPECT_EQ(terms_of(options("en", false), "Let’s go"), (Terms{"go"}));
  EXPECT_EQ(terms_of(options("en"), "Let's go"), (Terms{"go"}));
  const auto rows = MultilingualAnalyzer(options("en")).explain(TextRef::utf8("Let’s"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].dropped_by, "stop_words");
  // The same with a custom list (normalized: curly apostrophe, capitals).
  MultilingualOptions apostrophe = options("en", false, StopWordsSource::custom);
  apostrophe.custom_stop_words = {"LET’S"};  // normalized to "let's"
  EXPECT_EQ(terms_of(apostrophe, "let's go"), (Terms{"go"}));
}

TEST(MultilingualStopWords, CustomWordsAreNormalizedAndReplaceTheLanguageList) {
  MultilingualOptions o = options("fr", false, StopWordsSource::custom);
  o.custom_stop_words = {"LES", "Gilets"};
  // "et" stays: the custom list replaces French's; "l'" is still elided.
  EXPECT_EQ(terms_of(o, "Les gilets jaunes et l’OTAN"), (Terms{"jaunes", "et", "otan"}));
}

TEST(MultilingualStopWords, NoneKeepsEverything) {
  EXPECT_EQ(terms_of(options("en", false, StopWordsSource::none), "the end of it"),
            (Terms{"the", "end", "of", "it"}));
}

// ---------------------------------------------------------------- numbers

TEST(MultilingualNumbers, KeepOrDrop) {
  // "en" is a French stop word; numbers with separators are one segment each.
  constexpr std::string_view text = "30.000 manifestants en 2019, 1,5 million";
  EXPECT_EQ(terms_of(options("fr", false), text), (Terms{"30.000", "manifestants", "2019", "1,5", "million"}));
  MultilingualOptions drop = options("fr", false);
  drop.numbers = NumberPolicy::drop;
  EXPECT_EQ(terms_of(drop, text), (Terms{"manifestants", "million"}));
  const auto rows = MultilingualAnalyzer(drop).explain(TextRef::utf8("30.000"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "number");
  EXPECT_EQ(rows[0].dropped_by, "numbers");
}

TEST(MultilingualNumbers, NumbersAreNotStemmed) {
  // Stemmed, "marchers" -> "marcher"; "1,000" is a number and comes through as written.
  EXPECT_EQ(terms_of(options("en"), "1,000 marchers"), (Terms{"1,000", "marcher"}));
}

// ---------------------------------------------------------------- length

TEST(MultilingualLength, CountsCodePointsAfterElision) {
  // "été" is 3 code points but 5 UTF-8 bytes.
  MultilingualOptions o = bare("fr");
  o.min_token_length = 3;
  EXPECT_EQ(terms_of(o, "été étés ue l’ue"), (Terms{"été", "étés"}));  // "l'ue" -> "ue": 2
  o.min_token_length = 4;
  EXPECT_EQ(terms_of(o, "été étés ue l’ue"), (Terms{"étés"}));
  o.min_token_length = 1;
  EXPECT_EQ(terms_of(o, "été étés ue l’ue"), (Terms{"été", "étés", "ue", "ue"}));
}

// ---------------------------------------------------------------- n-grams

TEST(MultilingualNgrams, FormedOverTheSurvivingTokens) {
  // Surviving tokens: crise, énergie, frappe, europe ("la", "de" stop words, "l'" elided).
  constexpr std::string_view text = "La crise de l’énergie frappe l’Europe";
  MultilingualOptions o = options("fr", false);
  o.ngram_min = 1;
  o.ngram_max = 2;
  EXPECT_EQ(sorted(terms_of(o, text)), sorted({"crise", "énergie", "frappe", "europe", "crise énergie",
                                               "énergie frappe", "frappe europe"}));
  o.ngram_min = 2;
  o.ngram_max = 3;
  EXPECT_EQ(sorted(terms_of(o, text)), sorted({"crise énergie", "énergie frappe", "frappe europe",
                                               "crise énergie frappe", "énergie frappe europe"}));
  o.ngram_min = 3;
  o.ngram_max = 3;
  EXPECT_EQ(sorted(terms_of(o, "crise énergie")), Terms{});  // fewer tokens than n
}

TEST(MultilingualNgrams, SkipDroppedNumbersAndShortTokens) {
  MultilingualOptions o = bare("fr");
  o.numbers = NumberPolicy::drop;
  o.min_token_length = 2;
  o.ngram_min = 2;
  o.ngram_max = 2;
  EXPECT_EQ(terms_of(o, "crise 2019 à énergie"), (Terms{"crise énergie"}));
}

TEST(MultilingualNgrams, SurfacesAreJoinedLikeTerms) {
  MultilingualOptions o = options("fr");
  o.ngram_min = 1;
  o.ngram_max = 2;
  const Pairs got = pairs_of(o, "Les manifestations jaunes");
  const Pairs expected = {{"manifest", "manifestations"},
                          {"jaun", "jaunes"},
                          {"manifest jaun", "manifestations jaunes"}};
  EXPECT_EQ(sorted_pairs(got), sorted_pairs(expected));
}

// ---------------------------------------------------------------- display surfaces

TEST(MultilingualDisplay, TheSinkGetsTheWordAsWrittenWithoutItsElision) {
  const Pairs expected = {{"manifest", "MANIFESTATIONS"}, {"manifest", "manifestation"}, {"otan", "OTAN"}};
  EXPECT_EQ(pairs_of(options("fr"), "Les MANIFESTATIONS, la manifestation et l’OTAN"), expected);
  // what differs from the normalized word by more than its case is not shown: a soft
  // hyphen inside, a ligature, a full-width letter
  EXPECT_EQ(pairs_of(options("fr"), "Le pre\u00ADmier \uFB01n \uFF2Ftan"),
            (Pairs{{"premi", "premier"}, {"fin", "fin"}, {"otan", "otan"}}));
  // the ICU path (characters beyond the fast path's, an emoji, send the stretch there) loses the case
  EXPECT_EQ(pairs_of(options("fr"), "l’OTAN\U0001F600Inde"), (Pairs{{"otan", "otan"}, {"inde", "inde"}}));
  EXPECT_TRUE(MultilingualAnalyzer(options("fr")).has_display_forms());
  EXPECT_FALSE(MultilingualAnalyzer(options("fr", false)).has_display_forms());
}

TEST(MultilingualDisplay, UnstemmedSurfacesAreTheTerms) {
  for (const auto& [term, surface] : pairs_of(options("fr", false), "Les manifestations de l’OTAN")) {
    EXPECT_EQ(term, surface);
  }
}

// ---------------------------------------------------------------- headline weight

TEST(MultilingualHeadline, TheFirstLineCountsHeadlineWeightTimesInEveryEncoding) {
  MultilingualOptions o = bare("fr");
  o.headline_weight = 3;
  // the document, then its first line twice more; a one-line document has no headline
  EXPECT_EQ(terms_of(o, "Été sec\nle corps"), (Terms{"été", "sec", "le", "corps", "été", "sec", "été", "sec"}));
  EXPECT_EQ(terms_of(o, "Été sec\r\ncorps"), (Terms{"été", "sec", "corps", "été", "sec", "été", "sec"}));
  EXPECT_EQ(terms_of(o, "Été sec, le corps"), (Terms{"été", "sec", "le", "corps"}));
  EXPECT_EQ(terms_of(o, "\ncorps"), (Terms{"corps"}));
  // the line break is found in code units, whatever the storage
  const MultilingualAnalyzer analyzer(o);
  auto state = analyzer.new_state();
  const std::u32string utf32 = U"Été sec\ncorps";
  const std::u16string utf16(utf32.begin(), utf32.end());
  std::string latin1;
  for (const char32_t c : utf32) latin1.push_back(static_cast<char>(c));
  const Terms expected = {"été", "sec", "corps", "été", "sec", "été", "sec"};
  for (const TextRef text : {TextRef::utf32(utf32), TextRef{utf16.data(), utf16.size(), TextEncoding::ucs2},
                             TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}}) {
    Terms got;
    analyzer.analyze_document(text, *state, [&](std::string_view term, std::string_view, TermMemo*) {
      got.emplace_back(term);
    });
    EXPECT_EQ(got, expected);
  }
  o.headline_weight = 0;
  EXPECT_THROW(MultilingualAnalyzer{o}, std::invalid_argument);
}

// ---------------------------------------------------------------- sink memos

// Runs `texts` through one state. On a memo seen for the first time ({-1, -1})
// the sink writes serial numbers of the term and of the surface; a memo handed
// over again must carry the numbers of the same term and surface. Returns how
// many memos were new.
std::size_t new_memos(const MultilingualOptions& o, const std::vector<std::string_view>& texts,
                      std::size_t* unigrams_without_memo = nullptr, std::size_t* ngrams_with_memo = nullptr) {
  const MultilingualAnalyzer analyzer(o);
  auto state = analyzer.new_state();
  std::vector<std::string> terms;     // serial number -> term
  std::vector<std::string> surfaces;  // serial number -> surface
  std::size_t fresh = 0;
  for (const std::string_view text : texts) {
    analyzer.analyze_document(TextRef::utf8(text), *state,
                              [&](std::string_view term, std::string_view surface, TermMemo* memo) {
                                const bool ngram = term.find(' ') != std::string_view::npos;
                                if (memo == nullptr) {
                                  if (!ngram && unigrams_without_memo != nullptr) ++*unigrams_without_memo;
                                  return;
                                }
                                if (ngram && ngrams_with_memo != nullptr) ++*ngrams_with_memo;
                                if (memo->term == -1) {
                                  EXPECT_EQ(memo->surface, -1);
                                  ++fresh;
                                  *memo = {static_cast<std::int32_t>(terms.size()),
                                           static_cast<std::int32_t>(surfaces.size())};
                                  terms.emplace_back(term);
                                  surfaces.emplace_back(surface);
                                  return;
                                }
                                ASSERT_LT(static_cast<std::size_t>(memo->term), terms.size());
                                ASSERT_LT(static_cast<std::size_t>(memo->surface), surfaces.size());
                                EXPECT_EQ(terms[static_cast<std::size_t>(memo->term)], term);
                                EXPECT_EQ(surfaces[static_cast<std::size_t>(memo->surface)], surface);
                              });
  }
  return fresh;
}

TEST(MultilingualMemo, ARepeatedTokenHandsOverWhatTheSinkWroteAtItsFirstOccurrence) {
  // Raw tokens Paris, paris, Lyon, lyon: the spellings of one normalized token
  // share a memo, however often and in however many documents they occur.
  EXPECT_EQ(new_memos(bare("fr"), {"Paris paris Paris Lyon", "lyon Lyon paris Paris"}), 2u);
  // Stop words and short tokens are dropped before the sink: no memo.
  EXPECT_EQ(new_memos(options("fr"), {"Les manifestations de la manifestation", "les manifestations"}), 2u);
  // One stem, several surfaces: a memo each, never handed over for another surface
  // (with stems the surface keeps the case: Manifestation is a surface of its own).
  EXPECT_EQ(new_memos(options("fr"), {"manifestation manifestations Manifestation", "manifestations"}), 3u);
  EXPECT_EQ(new_memos(options("fr"), {"Paris paris PARIS Paris", "paris"}), 3u);
}

TEST(MultilingualMemo, EverySpellingOfANormalizedTokenSharesItsMemoOnBothPaths) {
  // An emoji inside a stretch sends the whole stretch to ICU, where tokens are
  // keyed after normalization: "Paris", "paris" and "PARIS" share one memo there.
  const std::string_view text = "Paris\U0001F600paris PARIS\U0001F600Paris";
  EXPECT_EQ(new_memos(bare("fr"), {text, text}), 1u);
  // The same words on the fast path, keyed by their raw text, share it too; and
  // the two paths share it with each other.
  EXPECT_EQ(new_memos(bare("fr"), {"Paris paris PARIS Paris"}), 1u);
  EXPECT_EQ(new_memos(bare("fr"), {"Paris paris", text, "PARIS"}), 1u);
}

TEST(MultilingualMemo, OnlyUnigramsCarryAMemo) {
  MultilingualOptions o = bare("fr");
  o.ngram_min = 1;
  o.ngram_max = 3;
  std::size_t unigrams_without_memo = 0;
  std::size_t ngrams_with_memo = 0;
  EXPECT_EQ(new_memos(o, {"crise énergie crise énergie"}, &unigrams_without_memo, &ngrams_with_memo), 2u);
  EXPECT_EQ(unigrams_without_memo, 0u);
  EXPECT_EQ(ngrams_with_memo, 0u);  // an n-gram is built anew for each occurrence
}

TEST(MultilingualStorage, AWideWordIsNeverTakenForTheLatin1WordOfItsLowBytes) {
  // Wide storage keys a word of U+0000..U+00FF by its Latin-1 bytes, so that it
  // shares the Latin-1 storage's cache entry. U+01E9 has the low byte of U+00E9:
  // "cafǩ" must stay its own token, in UCS-2 and in UCS-4 storage alike.
  const MultilingualAnalyzer analyzer(bare("fr"));
  auto state = analyzer.new_state();
  auto terms_in = [&](TextRef text) {
    Terms out;
    analyzer.analyze_document(text, *state, [&](std::string_view term, std::string_view, TermMemo*) {
      out.emplace_back(term);
    });
    return out;
  };
  const std::string latin1 = "caf\xE9 Caf\xE9";
  const std::u16string ucs2 = u"caf\u00E9 Caf\u01E9 l\u2019\u00E9t\u00E9";
  const std::u32string ucs4 = U"Caf\u00E9 caf\u01E9 \U0001F600 caf\u00E9";
  const Terms expected_latin1 = {"café", "café"};
  const Terms expected_ucs2 = {"café", "cafǩ", "été"};  // French elision is on
  const Terms expected_ucs4 = {"café", "cafǩ", "café"};
  for (int round = 0; round < 2; ++round) {  // the second round reads every word from the cache
    EXPECT_EQ(terms_in(TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}), expected_latin1);
    EXPECT_EQ(terms_in(TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}), expected_ucs2);
    EXPECT_EQ(terms_in(TextRef::utf32(ucs4)), expected_ucs4);
  }
}

// ---------------------------------------------------------------- language

constexpr std::string_view kFrench =
    "Les manifestants du mouvement des gilets jaunes ont défilé samedi à Paris contre la hausse des taxes";
constexpr std::string_view kEnglish =
    "The protesters of the yellow vest movement marched on Saturday in Paris against the rise in fuel taxes";

TEST(MultilingualLanguage, AutoUsesEachDocumentsLanguageWithOneState) {
  const MultilingualAnalyzer analyzer(options("auto", false));
  EXPECT_EQ(analyzer.language_of(TextRef::utf8(kFrench)), "fr");
  EXPECT_EQ(analyzer.language_of(TextRef::utf8(kEnglish)), "en");
  const Terms french = {"manifestants", "mouvement", "gilets", "jaunes", "défilé",
                        "samedi",       "paris",     "contre", "hausse", "taxes"};
  const Terms english = {"protesters", "yellow", "vest", "movement", "marched",
                         "saturday",   "paris",  "rise", "fuel",     "taxes"};
  // One state across languages: what a token becomes is kept per language.
  auto state = analyzer.new_state();
  EXPECT_EQ(terms_of(analyzer, *state, kFrench), french);
  EXPECT_EQ(terms_of(analyzer, *state, kEnglish), english);
  EXPECT_EQ(terms_of(analyzer, *state, kFrench), french);
}

// A long document is identified from kAnalyzerLanguageSample: 4 windows of 128
// code units, at the start, the end and evenly between. An English text with
// French only where no window falls is English to the analyzer; the whole
// text (detect_language) is mostly French.
TEST(MultilingualLanguage, AutoReadsABoundedSampleOfLongDocuments) {
  std::string english;
  while (english.size() < 128) english += std::string(kEnglish) + ". ";
  std::string french;
  while (french.size() < 1000) french += std::string(kFrench) + ". ";
  // windows at 0, (n - 128) / 3, 2 (n - 128) / 3 and n - 128
  const std::string text = english + french + english + french + english + french + english;
  const std::size_t n = text.size();
  const std::size_t starts[] = {0, (n - 128) / 3, 2 * (n - 128) / 3, n - 128};
  const std::size_t english_ends[] = {english.size(), 2 * english.size() + french.size(),
                                      3 * english.size() + 2 * french.size(), n};
  for (int w = 0; w < 4; ++w) {  // the premise: every window is inside an English part
    const std::size_t english_begin = english_ends[w] - english.size();
    ASSERT_GE(starts[w], english_begin);
    ASSERT_LE(starts[w] + 128, english_ends[w]);
  }
  EXPECT_EQ(detect_language(TextRef::utf8(text)), "fr");
  EXPECT_EQ(MultilingualAnalyzer(options("auto")).language_of(TextRef::utf8(text)), "en");
  EXPECT_EQ(detect_language(TextRef::utf8(text), kAnalyzerLanguageSample), "en");
}

TEST(MultilingualLanguage, FixedLanguageOverridesTheText) {
  const MultilingualAnalyzer english(options("en", false));
  EXPECT_EQ(english.language_of(TextRef::utf8(kFrench)), "en");
  // English rules on French text: "les", "des", "la" are not English stop words,
  // "à" is one character; "du", "ont" are kept too.
  EXPECT_EQ(terms_of(options("en", false), "Les gilets du mouvement ont défilé à Paris"),
            (Terms{"les", "gilets", "du", "mouvement", "ont", "défilé", "paris"}));
}

TEST(MultilingualLanguage, UndeterminedTextIsOnlyNormalizedAndFiltered) {
  // Too little text for CLD2: "und", so no stop words and no stemming.
  const MultilingualAnalyzer analyzer(options("auto"));
  EXPECT_EQ(analyzer.language_of(TextRef::utf8("Les gilets")), "und");
  EXPECT_EQ(terms_of(options("auto"), "Les Gilets"), (Terms{"les", "gilets"}));
}

TEST(MultilingualLanguage, UnknownCodesAreRejectedNamingTheSupportedOnes) {
  for (const bool stem : {true, false}) {
    for (const auto stop : {StopWordsSource::language, StopWordsSource::none}) {
      try {
        MultilingualAnalyzer analyzer(options("xx", stem, stop));
        ADD_FAILURE() << "language 'xx' accepted with stem=" << stem;
      } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("'xx'"), std::string::npos) << what;
        EXPECT_NE(what.find("fr"), std::string::npos) << what;
        EXPECT_NE(what.find("en"), std::string::npos) << what;
      }
    }
  }
}

TEST(MultilingualOptions, InvalidValuesAreRejected) {
  MultilingualOptions o = options("fr");
  o.min_token_length = 0;
  EXPECT_THROW(MultilingualAnalyzer{o}, std::invalid_argument);
  o = options("fr");
  o.ngram_min = 2;
  o.ngram_max = 1;
  EXPECT_THROW(MultilingualAnalyzer{o}, std::invalid_argument);
  o.ngram_min = 0;
  EXPECT_THROW(MultilingualAnalyzer{o}, std::invalid_argument);
}

// ---------------------------------------------------------------- explain

TEST(MultilingualExplain, KeptRowsAreTheTermsInOrder) {
  for (const auto& o : {options("fr"), options("en"), options("auto"), bare("fr")}) {
    const MultilingualAnalyzer analyzer(o);
    for (const std::string_view text : {kFrench, kEnglish, std::string_view("L’OTAN, 30.000 gilets, let’s go")}) {
      Terms from_rows;
      for (const TokenTrace& row : analyzer.explain(TextRef::utf8(text))) {
        EXPECT_EQ(row.term.empty(), !row.dropped_by.empty()) << row.segment;
        if (row.dropped_by.empty()) from_rows.push_back(row.term);
      }
      auto state = analyzer.new_state();
      EXPECT_EQ(terms_of(analyzer, *state, text), from_rows) << o.language << ": " << text;
    }
  }
}

TEST(MultilingualExplain, EmptyAndPunctuationOnlyTextsHaveNoRows) {
  const MultilingualAnalyzer analyzer(options("auto"));
  EXPECT_TRUE(analyzer.explain(TextRef::utf8("")).empty());
  EXPECT_TRUE(analyzer.explain(TextRef::utf8(" « … » — !? ")).empty());
  auto state = analyzer.new_state();
  EXPECT_TRUE(terms_of(analyzer, *state, "").empty());
}

// A language known beforehand (Explorer identifies it once per document) replaces
// the analyzer's own guess; a fixed language option still wins.
TEST(MultilingualAnalyzer, LanguageGivenPerDocumentReplacesDetection) {
  auto terms_in = [](const MultilingualOptions& o, std::string_view language, std::string_view utf8) {
    const MultilingualAnalyzer analyzer(o);
    auto state = analyzer.new_state();
    Terms out;
    analyzer.analyze_document_in(TextRef::utf8(utf8), language, *state,
                                 [&](std::string_view term, std::string_view, TermMemo*) { out.emplace_back(term); });
    return out;
  };
  // Too short to identify ("und": no stop words, no stems); given as French: "les" and
  // "de" are stop words, "ministres" stems to "ministr", "réunis" to "réun".
  EXPECT_EQ(terms_in(options("auto"), "", "Les ministres de"), (Terms{"les", "ministres", "de"}));
  EXPECT_EQ(terms_in(options("auto"), "fr", "Les ministres de"), (Terms{"ministr"}));
  EXPECT_EQ(terms_in(options("auto"), "fr", "réunis"), (Terms{"réun"}));
  // English given: "de" is no English stop word, "les" neither; "ministres" stems as English
  EXPECT_EQ(terms_in(options("auto"), "en", "Les ministres de"), (Terms{"les", "ministr", "de"}));
  // a fixed language wins over the one given
  EXPECT_EQ(terms_in(options("fr"), "en", "Les ministres de"), (Terms{"ministr"}));
  // the plain call is the call with no language given
  EXPECT_EQ(terms_in(options("auto"), "", "Les ministres de"), terms_of(options("auto"), "Les ministres de"));
}


TEST(MultilingualAnalyzer, TermCounterPassesEachDocumentsLanguage) {
  const std::vector<std::string> docs{"Les ministres de", "Les ministres de"};
  const std::vector<TextRef> refs{TextRef::utf8(docs[0]), TextRef::utf8(docs[1])};
  TermCounter counter(std::make_shared<const MultilingualAnalyzer>(options("auto")));
  const std::vector<std::string_view> languages{"fr", "und"};
  counter.add_documents(refs, languages);
  const CountMatrix m = counter.take_matrix();
  // row 0 in French: one term; row 1 undetermined: its three words
  EXPECT_EQ(m.indptr, (std::vector<std::int64_t>{0, 1, 4}));
  EXPECT_EQ(counter.vocabulary().term(static_cast<TermId>(m.indices[0])), "ministr");
  const std::vector<std::string_view> too_few{"fr"};
  EXPECT_THROW(counter.add_documents(refs, too_few), std::invalid_argument);
}

}  // namespace
}  // namespace themescope

// ---------------------------------------------------------------- phrases

namespace themescope {
namespace {

MultilingualOptions with_phrases(MultilingualOptions o, std::vector<std::pair<std::string, std::string>> pairs) {
  o.phrases = std::make_shared<const PhraseTable>(pairs);
  return o;
}

TEST(MultilingualPhrases, AdjacentPairsBecomeOneTermWithTheirWrittenSurface) {
  const MultilingualOptions o = with_phrases(bare("en"), {{"fumio", "kishida"}, {"indo", "pacific"}});
  // the surface keeps the case and the hyphen as written
  EXPECT_EQ(pairs_of(o, "Fumio Kishida in the Indo-Pacific"),
            (Pairs{{"fumio kishida", "Fumio Kishida"}, {"in", "in"}, {"the", "the"}, {"indo pacific", "Indo-Pacific"}}));
  // punctuation, a blank line, a spaced dash: no phrase; one line break: a phrase
  EXPECT_EQ(terms_of(o, "Fumio, Kishida. Fumio\n\nKishida Fumio - Kishida Fumio\nKishida"),
            (Terms{"fumio", "kishida", "fumio", "kishida", "fumio", "kishida", "fumio kishida"}));
  // the same on the ICU path (its surfaces are normalized: the case is lost there)
  MultilingualOptions icu = o;
  icu.fast_path = false;
  EXPECT_EQ(pairs_of(icu, "Fumio Kishida, Indo-Pacific"),
            (Pairs{{"fumio kishida", "fumio kishida"}, {"indo pacific", "indo-pacific"}}));
}

TEST(MultilingualPhrases, DroppedWordsBreakAndElisionIsNotWritten) {
  const MultilingualOptions o = with_phrases(options("fr"), {{"indo", "pacif"}, {"premi", "ministr"}});
  EXPECT_EQ(pairs_of(o, "l'Indo-Pacifique et le premier ministre"),
            (Pairs{{"indo pacif", "Indo-Pacifique"}, {"premi ministr", "premier ministre"}}));
  EXPECT_EQ(terms_of(o, "premier le ministre"), (Terms{"premi", "ministr"}));  // "le": a stop word
}

TEST(MultilingualPhrases, CountsAndNpmiOfAHandWorkedCorpus) {
  const MultilingualAnalyzer analyzer(bare("en"));
  // kept tokens: [a b] . [a b] | [x y z] . [x z]: 9
  const std::vector<TextRef> docs{TextRef::utf8("a b. a b."), TextRef::utf8("x y z. x z")};
  PhraseOptions options;
  options.min_count = 1;
  options.min_documents = 1;
  const PhraseCounts counts = count_phrases(analyzer, docs, {}, options);
  EXPECT_EQ(counts.n_tokens, 9u);
  ASSERT_EQ(counts.candidates.size(), 4u);
  const PhraseCandidate& ab = counts.candidates[0];
  EXPECT_EQ(ab.first + " " + ab.second, "a b");
  EXPECT_EQ(ab.count, 2u);
  EXPECT_EQ(ab.documents, 1u);
  EXPECT_DOUBLE_EQ(ab.npmi, 1.0);
  EXPECT_TRUE(ab.selected);
  // seen in one document only: not a phrase of the corpus with min_documents 2
  options.min_documents = 2;
  EXPECT_FALSE(count_phrases(analyzer, docs, {}, options).candidates[0].selected);
  options.min_documents = 0;
  EXPECT_THROW(count_phrases(analyzer, docs, {}, options), std::invalid_argument);
  options.min_documents = 1;
  const PhraseCandidate& xz = counts.candidates[2];
  EXPECT_EQ(xz.first + " " + xz.second, "x z");
  EXPECT_NEAR(xz.npmi, std::log(2.25) / std::log(9.0), 1e-12);
  EXPECT_FALSE(xz.selected);
  EXPECT_THROW(count_phrases(analyzer, docs, {"en"}, options), std::invalid_argument);
  options.min_count = 0;
  EXPECT_THROW(count_phrases(analyzer, docs, {}, options), std::invalid_argument);
}

TEST(MultilingualPhrases, BadTablesAreRefused) {
  using PairList = std::vector<std::pair<std::string, std::string>>;
  EXPECT_THROW(PhraseTable(PairList{{"a b", "c"}}), std::invalid_argument);
  EXPECT_THROW(PhraseTable(PairList{{"", "c"}}), std::invalid_argument);
}

}  // namespace
}  // namespace themescope
