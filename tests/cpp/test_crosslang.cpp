// Cross-language features (CrossLanguageAnalyzer) on hand-worked cases: every
// expected list below was worked out from the rules in crosslang.hpp, not
// copied from the analyzer's output.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/crosslang.hpp"
#include "themescope/term_counter.hpp"

namespace themescope {
namespace {

using testing::sorted;
using testing::Terms;

CrossLanguageOptions only(bool names, bool numbers, bool acronyms, bool cognates, std::string language = "auto") {
  CrossLanguageOptions o;
  o.language = std::move(language);
  o.names = names;
  o.numbers = numbers;
  o.acronyms = acronyms;
  o.cognates = cognates;
  return o;
}

Terms features(const CrossLanguageOptions& o, std::string_view text, std::string_view language = "") {
  Terms out;
  for (auto& [feature, surface] : CrossLanguageAnalyzer(o).features(TextRef::utf8(text), language)) {
    out.push_back(feature);
  }
  return out;
}

TEST(NormalizeNumber, ThousandsSeparatorsOfEveryLocaleGiveOneNumber) {
  EXPECT_EQ(normalize_number(u"30.000"), "30000");
  EXPECT_EQ(normalize_number(u"30,000"), "30000");
  EXPECT_EQ(normalize_number(u"30 000"), "30000");
  EXPECT_EQ(normalize_number(u"30\u202F000"), "30000");
  EXPECT_EQ(normalize_number(u"30'000"), "30000");
  EXPECT_EQ(normalize_number(u"1,000"), "1000");
  EXPECT_EQ(normalize_number(u"1.000.000"), "1000000");
  EXPECT_EQ(normalize_number(u"2019"), "2019");
  EXPECT_EQ(normalize_number(u"007"), "7");
}

TEST(NormalizeNumber, DecimalMarksBecomeADot) {
  EXPECT_EQ(normalize_number(u"3,5"), "3.5");
  EXPECT_EQ(normalize_number(u"3.5"), "3.5");
  EXPECT_EQ(normalize_number(u"12,50"), "12.5");
  EXPECT_EQ(normalize_number(u"0.001"), "0.001");  // a leading 0 is never a thousands group
  EXPECT_EQ(normalize_number(u"1.234,5"), "1234.5");
  EXPECT_EQ(normalize_number(u"1,234.50"), "1234.5");
  EXPECT_EQ(normalize_number(u"1 234,5"), "1234.5");
  EXPECT_EQ(normalize_number(u"2,0"), "2");
}

TEST(NormalizeNumber, OtherDottedNumbersKeepTheirGroups) {
  EXPECT_EQ(normalize_number(u"192.168.1.1"), "192.168.1.1");
  EXPECT_EQ(normalize_number(u"15.03.2019"), "15.03.2019");
  EXPECT_EQ(normalize_number(u"1,2,3"), "1.2.3");
  EXPECT_EQ(normalize_number(u""), "");
  EXPECT_EQ(normalize_number(u".,"), "");
}

TEST(FoldWord, AccentsGoOtherScriptsAreRomanized) {
  EXPECT_EQ(fold_word("Cybersécurité"), "cybersecurite");
  EXPECT_EQ(fold_word("Straße"), "strasse");
  EXPECT_EQ(fold_word("Œuvre"), "oeuvre");
  EXPECT_EQ(fold_word("Москва"), "moskva");
  EXPECT_EQ(fold_word("Αθήνα"), "athena");
}

TEST(CrossLanguage, FrenchNamesAcronymsAndNumbers) {
  const auto o = only(true, true, true, false);
  // "L’OTAN" opens the text, but its elided article shows OTAN is not a
  // capitalized first word; "et", "ont", "un", "de" are French stop words.
  EXPECT_EQ(features(o, "L’OTAN et l’Inde ont signé un accord de cybersécurité : 30.000 experts.", "fr"),
            (Terms{"acro:otan", "name:inde", "num:30000"}));
  // A space-grouped number is one number; a lone digit says nothing.
  EXPECT_EQ(features(o, "Selon la police, 30\u00A0000 manifestants et 2 cortèges à Paris.", "fr"),
            (Terms{"num:30000", "name:paris"}));
}

TEST(CrossLanguage, TheElidedArticleMakesNoNameFeature) {
  const auto o = only(true, true, true, true);
  for (const auto& f : features(o, "Le sommet de L’OTAN, puis l’Inde.", "fr")) {
    EXPECT_NE(f, "name:l");
    EXPECT_NE(f, "acro:l");
    EXPECT_EQ(f.find("'"), std::string::npos) << f;
  }
}

TEST(CrossLanguage, EnglishSentenceStartsAndPossessives) {
  const auto o = only(true, true, true, false);
  // "The" and "Officials" open sentences; "NATO's" loses its possessive and is
  // an acronym wherever it stands; "3" is a single digit.
  EXPECT_EQ(features(o, "The Quad met in Tokyo on Monday. Officials said 1,000 jobs and 3 plans. NATO's chief spoke.",
                     "en"),
            (Terms{"name:quad", "name:tokyo", "name:monday", "num:1000", "acro:nato"}));
}

TEST(CrossLanguage, ASentenceInitialWordIsANameWhenItIsOneElsewhere) {
  const auto o = only(true, false, false, false);
  EXPECT_EQ(features(o, "Macron parle. Le président Macron répond. Demain rien.", "fr"),
            (Terms{"name:macron", "name:macron"}));
}

TEST(CrossLanguage, ShoutedStopWordsAreNotAcronymsButWhoIs) {
  const auto o = only(false, false, true, false);
  EXPECT_EQ(features(o, "Experts at the WHO and the EU agree.", "en"), (Terms{"acro:who", "acro:eu"}));
  EXPECT_EQ(features(o, "LE PLAN DE PARIS", "fr"), (Terms{"acro:plan", "acro:paris"}));
}

TEST(CrossLanguage, CognatesMatchAcrossLanguages) {
  const auto o = only(false, false, false, true);
  const Terms fr = features(o, "cybersécurité", "fr");
  const Terms en = features(o, "cybersecurity", "en");
  ASSERT_EQ(fr.size(), 1u);
  EXPECT_EQ(fr, en);
  EXPECT_EQ(fr[0].rfind("cog:cyber", 0), 0u) << fr[0];
  // The prefix cut: at most 7 letters after "cog:".
  EXPECT_LE(fr[0].size(), 4u + 7u);
  // Stop words and short words give none.
  EXPECT_EQ(features(o, "les des une avec", "fr"), Terms{});
  EXPECT_EQ(features(o, "chat", "en").size(), 1u);
  EXPECT_EQ(features(o, "cat", "en"), Terms{});
}

TEST(CrossLanguage, CharacterNgramsOfFoldedWords) {
  CrossLanguageOptions o = only(false, false, false, false);
  o.ngrams = true;
  o.ngram_min = 4;
  o.ngram_max = 5;
  // "fêtes" folds to "fetes", bounded "<fetes>" (7 code points): four 4-grams, three 5-grams.
  // ("thé", 3 letters, is below min_word_length 4. Not "été"/"étés": Snowball's French
  // stop list has them, so they would give nothing for that reason instead.)
  EXPECT_EQ(features(o, "thé", "fr"), Terms{});
  EXPECT_EQ(sorted(features(o, "fêtes", "fr")),
            sorted(Terms{"ng:<fet", "ng:fete", "ng:etes", "ng:tes>", "ng:<fete", "ng:fetes", "ng:etes>"}));
}

// The analyzer folds ASCII words without the transliterator: the same keys as fold_word.
// (Letters only: a word with digits is not a letter segment and gives no n-gram.)
TEST(CrossLanguage, AsciiWordsFoldAsTheTransliteratorDoes) {
  for (const std::string word : {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "Quux", "mIxEd"}) {
    CrossLanguageOptions o = only(false, false, false, false);
    o.ngrams = true;
    o.ngram_min = o.ngram_max = word.size() + 2;  // one n-gram: the whole bounded word
    EXPECT_EQ(features(o, word, "en"), Terms{"ng:<" + fold_word(word) + ">"}) << word;
  }
}

TEST(CrossLanguage, UrlsAndEmailsGiveNoFeature) {
  const auto o = only(true, true, true, true);
  for (const auto& f : features(o, "See https://www.Example.com/Paris/2019 or write to Press@Example.org today.", "en")) {
    EXPECT_EQ(f.find("example"), std::string::npos) << f;
    EXPECT_EQ(f.find("paris"), std::string::npos) << f;
    EXPECT_EQ(f.find("2019"), std::string::npos) << f;
    EXPECT_EQ(f.find("press"), std::string::npos) << f;
  }
}

TEST(CrossLanguage, BadOptionsAreRejectedWithTheirValue) {
  EXPECT_THROW(CrossLanguageAnalyzer(only(false, false, false, false)), std::invalid_argument);
  CrossLanguageOptions o;
  o.language = "xx";
  try {
    CrossLanguageAnalyzer analyzer(o);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'xx'"), std::string::npos) << e.what();
  }
}

TEST(CrossLanguage, CountsDoNotDependOnTheThreadCount) {
  testing::ThreadCountGuard guard;
  std::vector<std::string> docs;
  for (int i = 0; i < 200; ++i) {
    docs.push_back("Le Quad réunit l’Inde et le Japon à Tokyo en " + std::to_string(1990 + i % 30) +
                   " ; 30.000 experts de cybersécurité.");
    docs.push_back("The Quad brought India and Japan together in Tokyo, " + std::to_string(i) + ",000 experts.");
  }
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  auto count = [&](int threads) {
    set_num_threads(threads);
    TermCounter counter(std::make_shared<CrossLanguageAnalyzer>(CrossLanguageOptions{}));
    counter.add_documents(refs);
    counter.sort_vocabulary();
    const CountMatrix m = counter.take_matrix();
    return std::make_pair(m.indices, m.data);
  };
  EXPECT_EQ(count(1), count(2));
}

// A counter reuses a state for many documents: a word's cognate and n-gram features are
// then built once and come with a memo, which must carry over to the word's next
// occurrences, in this document or a later one, while the features stay those of a fresh
// state.
TEST(CrossLanguage, AReusedStateGivesTheSameFeaturesAndKeepsTheirMemos) {
  CrossLanguageOptions o;
  o.ngrams = true;
  const CrossLanguageAnalyzer analyzer(o);
  const std::string text = "Les experts en cybersécurité de l’OTAN : la cybersécurité à Paris.";
  const auto fresh = analyzer.features(TextRef::utf8(text), "fr");
  auto state = analyzer.new_state();
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::pair<std::string, std::string>> seen;
    std::vector<std::string> remembered;  // what the memo held when handed over
    analyzer.analyze_document_in(TextRef::utf8(text), "fr", *state,
                                 [&](std::string_view feature, std::string_view surface, TermMemo* memo) {
                                   seen.emplace_back(feature, surface);
                                   const bool memoized = feature.starts_with("cog:") || feature.starts_with("ng:");
                                   ASSERT_EQ(memo != nullptr, memoized) << feature;
                                   if (memo == nullptr) return;
                                   // A memo is only ever handed over for this feature: the first
                                   // time unset, afterwards with the id written then.
                                   if (memo->term >= 0) {
                                     remembered.push_back(feature == fresh[static_cast<std::size_t>(memo->term)].first
                                                              ? "same" : "other");
                                   } else {
                                     const auto at = std::find_if(fresh.begin(), fresh.end(),
                                                                  [&](const auto& p) { return p.first == feature; });
                                     memo->term = static_cast<std::int32_t>(at - fresh.begin());
                                   }
                                 });
    EXPECT_EQ(seen, fresh) << "pass " << pass;
    // "cybersécurité" twice: its cognate and its 23 n-grams ("<cybersecurite>": 12 4-grams,
    // 11 5-grams) are memoized at its second occurrence already; on the second pass, all.
    const std::size_t memoized = static_cast<std::size_t>(
        std::count_if(fresh.begin(), fresh.end(),
                      [](const auto& p) { return p.first.starts_with("cog:") || p.first.starts_with("ng:"); }));
    EXPECT_EQ(remembered.size(), pass == 0 ? 24u : memoized) << "pass " << pass;
    EXPECT_EQ(std::count(remembered.begin(), remembered.end(), "other"), 0);
  }
}

// A worker's memos are bounded (dropped past 2^16 words, crosslang.cpp): a state that has read
// 70,000 distinct words gives what a fresh state gives, for new words and for words whose memos
// were dropped (the first document again, at the end).
TEST(CrossLanguage, AStatePastItsMemoBoundGivesTheSameFeatures) {
  CrossLanguageOptions o;
  o.ngrams = true;
  const CrossLanguageAnalyzer analyzer(o);
  auto state = analyzer.new_state();
  auto word = [](int i) {
    std::string w = "mot";
    for (int k = i + 26 * 26 * 26; k > 0; k /= 26) w.push_back(static_cast<char>('a' + k % 26));
    return w;
  };
  for (int d = 0; d <= 700; ++d) {
    const int first = d == 700 ? 0 : d * 100;
    std::string text;
    for (int i = first; i < first + 100; ++i) text += word(i) + " ";
    std::vector<std::pair<std::string, std::string>> seen;
    analyzer.analyze_document_in(TextRef::utf8(text), "fr", *state,
                                 [&](std::string_view feature, std::string_view surface, TermMemo*) {
                                   seen.emplace_back(feature, surface);
                                 });
    if (d % 100 == 0) {
      ASSERT_EQ(seen, analyzer.features(TextRef::utf8(text), "fr")) << "document " << d;
      ASSERT_GT(seen.size(), 100u);
    }
  }
}

TEST(CrossLanguage, DisplayFormsCanBeTurnedOffForCounting) {
  CrossLanguageOptions o;
  EXPECT_TRUE(CrossLanguageAnalyzer(o).has_display_forms());
  o.display_forms = false;
  EXPECT_FALSE(CrossLanguageAnalyzer(o).has_display_forms());
}

}  // namespace
}  // namespace themescope
