// Stop word lists: embedded Snowball lists, normalized with NFKC_Casefold.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/stop_words.hpp"

namespace themescope {
namespace {

static_assert(sizeof("\u00DF") == 3, "the tests need a UTF-8 execution character set");

using Codes = std::vector<std::string>;

TEST(StopWords, LanguagesAreTheShippedFilesSorted) {
  const Codes expected{"da", "de", "en", "es", "fr", "it", "nl", "no", "pt", "sv"};
  EXPECT_EQ(stop_word_languages(), expected);
}

TEST(StopWords, EveryLanguageLoadsNormalizedSortedAndWithoutRepeats) {
  for (const std::string& code : stop_word_languages()) {
    SCOPED_TRACE(code);
    const StopWordSet& set = stop_words(code);
    EXPECT_EQ(set.language(), code);
    ASSERT_GT(set.size(), 50u);
    EXPECT_TRUE(std::is_sorted(set.words().begin(), set.words().end()));
    EXPECT_EQ(std::adjacent_find(set.words().begin(), set.words().end()), set.words().end());
    for (const std::string& w : set.words()) {
      EXPECT_FALSE(w.empty());
      EXPECT_EQ(normalize_stop_word(w), w) << "not normalized: " << w;
      EXPECT_EQ(w.find('#'), std::string::npos) << "header comment leaked into the list: " << w;
      EXPECT_TRUE(set.contains(w));
    }
  }
}

TEST(StopWords, SameObjectOnEveryCall) { EXPECT_EQ(&stop_words("fr"), &stop_words("fr")); }

// Counts after conversion (convert_snowball.py prints them; tests/python/test_lexicon.py
// recounts them from the Snowball sources in cpp/data/stopwords/snowball/); normalization
// only changed German "daß" (-> "dass", not otherwise in the list), so no count shrank.
TEST(StopWords, SizesMatchTheConvertedFiles) {
  EXPECT_EQ(stop_words("da").size(), 94u);
  EXPECT_EQ(stop_words("de").size(), 231u);
  EXPECT_EQ(stop_words("en").size(), 174u);
  EXPECT_EQ(stop_words("es").size(), 308u);
  EXPECT_EQ(stop_words("fr").size(), 164u);
  EXPECT_EQ(stop_words("it").size(), 279u);
  EXPECT_EQ(stop_words("nl").size(), 101u);
  EXPECT_EQ(stop_words("no").size(), 172u);
  EXPECT_EQ(stop_words("pt").size(), 203u);
  EXPECT_EQ(stop_words("sv").size(), 114u);
}

TEST(StopWords, French) {
  const StopWordSet& fr = stop_words("fr");
  EXPECT_TRUE(fr.contains("les"));  // a "later addition" of the Snowball list
  EXPECT_TRUE(fr.contains("des"));
  EXPECT_TRUE(fr.contains("qu"));  // qu' once the elision filter has split it
  EXPECT_TRUE(fr.contains("l"));
  EXPECT_TRUE(fr.contains("\u00E0"));        // à
  EXPECT_TRUE(fr.contains("\u00EAtes"));     // êtes
  EXPECT_FALSE(fr.contains("gilets"));
  EXPECT_FALSE(fr.contains("LES"));  // contains() takes normalized words only
  EXPECT_FALSE(fr.contains(""));
}

// Snowball's French list has these forms of être/avoir; Lucene's later copy and Sphinx's
// comment them out as homonyms (east, sums, summer, sound, a wind, planes...), which let
// "est" through the filter. The real Snowball list must keep them.
TEST(StopWords, FrenchHasSnowballsFormsOfEtreAndAvoir) {
  const StopWordSet& fr = stop_words("fr");
  for (const char* w : {"est", "sommes", "\u00E9t\u00E9", "\u00E9t\u00E9s", "son", "f\u00FBt", "as", "aura",
                        "auras", "avions"}) {
    EXPECT_TRUE(fr.contains(w)) << w;
  }
}

TEST(StopWords, SpanishAndSwedishAreSnowballsNotLucenesEdits) {
  EXPECT_TRUE(stop_words("es").contains("estado"));  // Lucene later removed the estad* forms
  EXPECT_TRUE(stop_words("es").contains("estadas"));
  EXPECT_TRUE(stop_words("sv").contains("sitta"));   // Lucene later changed it to "sitt"
  EXPECT_FALSE(stop_words("sv").contains("sitt"));
}

TEST(StopWords, GermanEszettIsCaseFoldedToSs) {
  const StopWordSet& de = stop_words("de");
  EXPECT_TRUE(de.contains("dass"));           // the file says "daß"
  EXPECT_FALSE(de.contains("da\u00DF"));      // the raw form is not stored
  EXPECT_TRUE(de.contains(normalize_stop_word("da\u00DF")));
  EXPECT_TRUE(de.contains(normalize_stop_word("DASS")));
  EXPECT_TRUE(de.contains(normalize_stop_word("DA\u1E9E")));  // capital sharp s
  EXPECT_TRUE(de.contains("\u00FCber"));      // über
  EXPECT_TRUE(de.contains(normalize_stop_word("\u00DCBER")));
  // NFKC composes: u + combining diaeresis is the stored "über".
  EXPECT_TRUE(de.contains(normalize_stop_word("u\u0308ber")));
  EXPECT_FALSE(de.contains("haus"));
}

TEST(StopWords, EnglishContractionsUseTheAsciiApostrophe) {
  const StopWordSet& en = stop_words("en");
  EXPECT_TRUE(en.contains("don't"));
  EXPECT_FALSE(en.contains("don\u2019t"));
  EXPECT_TRUE(en.contains(normalize_stop_word("Don\u2019t")));  // typographic apostrophe
  EXPECT_TRUE(en.contains(normalize_stop_word("DON\u02BCT")));  // modifier letter apostrophe
  EXPECT_TRUE(en.contains(normalize_stop_word("don\uFF07t")));  // fullwidth, by NFKC
  EXPECT_TRUE(en.contains("the"));
  EXPECT_TRUE(en.contains("i"));
  EXPECT_FALSE(en.contains("us"));    // commented out upstream (US = United States)
  EXPECT_FALSE(en.contains("will"));  // commented out upstream (homonym)
}

TEST(StopWords, OtherLanguagesKnowTheirCommonestWords) {
  EXPECT_TRUE(stop_words("es").contains("que"));
  EXPECT_TRUE(stop_words("es").contains("m\u00E1s"));  // más
  EXPECT_TRUE(stop_words("it").contains("perch\u00E9"));  // perché
  EXPECT_TRUE(stop_words("pt").contains("n\u00E3o"));  // não
  EXPECT_TRUE(stop_words("nl").contains("het"));
  EXPECT_TRUE(stop_words("da").contains("ikke"));
  EXPECT_TRUE(stop_words("no").contains("ikkje"));
  EXPECT_TRUE(stop_words("sv").contains("och"));
}

TEST(StopWords, NormalizeStopWord) {
  EXPECT_EQ(normalize_stop_word(""), "");
  EXPECT_EQ(normalize_stop_word("Stra\u00DFe"), "strasse");
  EXPECT_EQ(normalize_stop_word("\uFB01n"), "fin");             // ligature fi (NFKC)
  EXPECT_EQ(normalize_stop_word("\u00C9T\u00C9"), "\u00E9t\u00E9");  // ÉTÉ -> été
  EXPECT_EQ(normalize_stop_word("l\u2018a\u2019b\u201Bc\u02BCd"), "l'a'b'c'd");
  EXPECT_EQ(normalize_stop_word("a\u00ADb"), "ab");  // soft hyphen: default ignorable, removed
  // Ill-formed UTF-8 becomes U+FFFD rather than failing.
  EXPECT_EQ(normalize_stop_word("a\xFF"
                                "b"),
            "a\uFFFDb");
}

TEST(StopWords, UnknownLanguageNamesTheCodeAndTheSupportedOnes) {
  for (const char* bad : {"xx", "", "EN", "english", "fr "}) {
    SCOPED_TRACE(bad);
    try {
      stop_words(bad);
      FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("'" + std::string(bad) + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("da, de, en, es, fr, it, nl, no, pt, sv"), std::string::npos) << message;
    }
  }
}

TEST(StopWords, FirstUseFromManyThreadsAtOnce) {
  // The registry is built on first use; every thread must see the same sets.
  std::vector<const StopWordSet*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&seen, t] { seen[t] = &stop_words(t % 2 ? "de" : "fr"); });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < seen.size(); ++t) EXPECT_EQ(seen[t], &stop_words(t % 2 ? "de" : "fr"));
}

}  // namespace
}  // namespace themescope
