// Snowball stemming through libstemmer.
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/stemmer.hpp"

namespace themescope {
namespace {

static_assert(sizeof("\u00E9") == 3, "the tests need a UTF-8 execution character set");

std::string stem_of(const char* language, std::string_view word) {
  Stemmer s(language);
  return std::string(s.stem(word));
}

TEST(Stemmer, LanguagesOfDebiansLibstemmer220) {
  // sb_stemmer_list() of libstemmer 2.2.0 minus "porter", which has no ISO code.
  const std::vector<std::string> expected{"ar", "ca", "da", "de", "el", "en", "es", "eu", "fi", "fr",
                                          "ga", "hi", "hu", "hy", "id", "it", "lt", "ne", "nl", "no",
                                          "pt", "ro", "ru", "sr", "sv", "ta", "tr", "yi"};
  EXPECT_EQ(stemmer_languages(), expected);
  for (const std::string& code : stemmer_languages()) {
    Stemmer s(code);
    EXPECT_EQ(s.language(), code);
  }
}

// Worked by hand from the algorithm descriptions on snowballstem.org.
TEST(Stemmer, English) {
  EXPECT_EQ(stem_of("en", "running"), "run");        // Step 1b: -ing, then undouble nn
  EXPECT_EQ(stem_of("en", "alliances"), "allianc");  // -s; -ance not in R2 ("ce"); final e in R2 goes
  EXPECT_EQ(stem_of("en", "skies"), "sky");          // exceptional form
  EXPECT_EQ(stem_of("en", "news"), "news");          // invariant exception
  EXPECT_EQ(stem_of("en", "generously"), "generous");
  EXPECT_EQ(stem_of("en", "cybersecurity"), "cybersecur");
}

TEST(Stemmer, French) {
  // R1 = "ersécurité", R2 = "sécurité": step 1 deletes -ité in R2; the é of "écur" is
  // followed by a vowel, so step 6 keeps the accent.
  EXPECT_EQ(stem_of("fr", "cybers\u00E9curit\u00E9"), "cybers\u00E9cur");
  EXPECT_EQ(stem_of("fr", "alliances"), "allianc");
  EXPECT_EQ(stem_of("fr", "manifestations"), "manifest");
  EXPECT_EQ(stem_of("fr", "continuellement"), "continuel");
  EXPECT_EQ(stem_of("fr", "jaunes"), "jaun");
  EXPECT_EQ(stem_of("fr", "les"), "le");
  EXPECT_EQ(stem_of("fr", "qu"), "qu");
}

TEST(Stemmer, German) {
  EXPECT_EQ(stem_of("de", "h\u00E4user"), "haus");  // -er in R1, then ä -> a
  EXPECT_EQ(stem_of("de", "da\u00DF"), "dass");      // ß is ss to the algorithm
  EXPECT_EQ(stem_of("de", "dass"), "dass");
  EXPECT_EQ(stem_of("de", "aufeinanderfolgenden"), "aufeinanderfolg");
}

TEST(Stemmer, OtherLanguages) {
  EXPECT_EQ(stem_of("es", "manifestaciones"), "manifest");
  EXPECT_EQ(stem_of("it", "abbandonata"), "abbandon");
  EXPECT_EQ(stem_of("pt", "manifesta\u00E7\u00F5es"), "manifest");
  EXPECT_EQ(stem_of("nl", "regeringen"), "reger");
  EXPECT_EQ(stem_of("da", "regeringen"), "regering");
  EXPECT_EQ(stem_of("sv", "regeringen"), "regering");
}

TEST(Stemmer, EmptyWord) {
  Stemmer s("en");
  EXPECT_EQ(s.stem(""), "");
  EXPECT_EQ(s.stem("running"), "run");  // still usable afterwards
}

TEST(Stemmer, InvalidUtf8IsReturnedUnchanged) {
  Stemmer s("fr");
  const std::vector<std::string> invalid{
      "alliance\xFF",                   // byte never used by UTF-8
      "allianc\xC3",                    // truncated sequence at the end
      "\xC3(alliances",                 // lead byte without its continuation
      "all\xC0\xAFiances",              // overlong "/"
      "alliances\xED\xA0\x80",          // UTF-8 of a surrogate (Python's surrogatepass)
      "alliances\xF4\x90\x80\x80",      // above U+10FFFF
      "\x80",                           // lone continuation byte
  };
  for (const std::string& w : invalid) {
    const std::string_view out = s.stem(w);
    EXPECT_EQ(out, w);
    EXPECT_EQ(out.data(), w.data()) << "invalid input is passed through as a view of itself";
  }
  EXPECT_EQ(s.stem("alliances"), "allianc");
}

TEST(Stemmer, LongWords) {
  Stemmer s("en");
  // R1 starts after "bab": Step 3 deletes -ness in R1.
  std::string base;
  for (int i = 0; i < 50000; ++i) base += "ba";
  EXPECT_EQ(s.stem(base + "ness"), base);
  EXPECT_EQ(s.stem("antidisestablishmentarianism"), "antidisestablishmentarian");
  // The buffer grew; shorter words afterwards are unaffected by the leftovers.
  EXPECT_EQ(s.stem("running"), "run");
  // French: RV starts after "go", so the final -ement is in RV and is deleted.
  std::string repeated;
  for (int i = 0; i < 1000; ++i) repeated += "gouvernement";
  EXPECT_EQ(stem_of("fr", repeated), repeated.substr(0, repeated.size() - 5));
}

TEST(Stemmer, ViewValidUntilNextCall) {
  Stemmer s("en");
  const std::string first(s.stem("alliances"));  // copied before the next call
  const std::string_view second = s.stem("running");
  EXPECT_EQ(first, "allianc");
  EXPECT_EQ(second, "run");
}

TEST(Stemmer, UnknownLanguageNamesTheCodeAndTheSupportedOnes) {
  for (const char* bad : {"xx", "", "english", "porter", "EN", "zz"}) {
    SCOPED_TRACE(bad);
    try {
      Stemmer s(bad);
      FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("'" + std::string(bad) + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("ar, ca, da, de"), std::string::npos) << message;
      EXPECT_NE(message.find("tr, yi"), std::string::npos) << message;
    }
  }
}

TEST(Stemmer, MovesTransferTheStemmer) {
  Stemmer a("fr");
  Stemmer b(std::move(a));
  EXPECT_EQ(b.language(), "fr");
  EXPECT_EQ(b.stem("alliances"), "allianc");
  EXPECT_THROW(a.stem("alliances"), std::logic_error);  // NOLINT(bugprone-use-after-move)

  Stemmer c("en");
  c = std::move(b);
  EXPECT_EQ(c.language(), "fr");
  EXPECT_EQ(c.stem("manifestations"), "manifest");

  std::vector<Stemmer> pool;  // e.g. one per worker
  for (int i = 0; i < 4; ++i) pool.emplace_back("de");
  for (Stemmer& s : pool) EXPECT_EQ(s.stem("h\u00E4user"), "haus");
}

TEST(Stemmer, OneStemmerPerThread) {
  // Distinct stemmers share nothing: each thread stems with its own.
  const std::vector<std::string> words{"alliances", "manifestations", "continuellement", "jaunes"};
  const std::vector<std::string> stems{"allianc", "manifest", "continuel", "jaun"};
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      Stemmer s("fr");
      for (int round = 0; round < 2000; ++round) {
        for (std::size_t i = 0; i < words.size(); ++i) {
          if (s.stem(words[(i + t) % words.size()]) != stems[(i + t) % words.size()]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace themescope
