// Hand-worked cases for the C++ core: analyzer, vocabulary, counting, IDF, CSR.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/analyzer.hpp"
#include "themescope/parallel.hpp"
#include "themescope/term_counter.hpp"
#include "themescope/tfidf.hpp"
#include "themescope/vocabulary.hpp"

using namespace themescope;

namespace {

std::vector<std::string> sorted_terms(const AnalyzerOptions& o, std::string_view utf8) {
  auto terms = TextAnalyzer(o).analyze(TextRef::utf8(utf8));
  std::sort(terms.begin(), terms.end());
  return terms;
}

using Terms = std::vector<std::string>;

}  // namespace

TEST(Analyzer, DefaultWordTokensAreLowercasedRunsOfTwoWordCharacters) {
  // (?u)\b\w\w+\b: the apostrophe splits, "l" and "a" are too short.
  EXPECT_EQ(sorted_terms({}, "L\xE2\x80\x99OTAN l'a dit"), (Terms{"dit", "otan"}));
  // 30.000 and 1,000 are two tokens each; x_y is one (underscore is \w).
  EXPECT_EQ(sorted_terms({}, "30.000 et 1,000 x_y"), (Terms{"000", "000", "30", "et", "x_y"}));
}

TEST(Analyzer, PythonLowercaseRules) {
  // U+0130 lowers to "i" + U+0307 (a combining mark, not \w): the token loses the i.
  EXPECT_EQ(sorted_terms({}, "\xC4\xB0stanbul"), (Terms{"stanbul"}));
  // Final sigma: "ΟΔΟΣ" -> "οδος" ending in U+03C2.
  EXPECT_EQ(sorted_terms({}, "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3"), (Terms{"\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82"}));
  // ẞ (U+1E9E) lowers to ß.
  EXPECT_EQ(sorted_terms({}, "STRA\xE1\xBA\x9E" "E"), (Terms{"stra\xC3\x9F" "e"}));
}

TEST(Analyzer, AccentStripping) {
  AnalyzerOptions o;
  o.strip_accents = AccentStripping::unicode;
  EXPECT_EQ(sorted_terms(o, "\xC3\xA9t\xC3\xA9 e\xCC\x81te\xCC\x81"), (Terms{"ete", "ete"}));
  o.strip_accents = AccentStripping::ascii;
  EXPECT_EQ(sorted_terms(o, "\xEF\xAC\x81ne \xE4\xB8\xAD\xE6\x96\x87"), (Terms{"fine"}));  // ﬁ -> fi, CJK dropped
}

TEST(Analyzer, StopWordsGoBeforeWordNgrams) {
  AnalyzerOptions o;
  o.ngram_min = 1;
  o.ngram_max = 2;
  o.stop_words = {"the"};
  EXPECT_EQ(sorted_terms(o, "the cyber the alliance"), (Terms{"alliance", "cyber", "cyber alliance"}));
}

TEST(Analyzer, CharNgramsCollapseWhitespaceRuns) {
  AnalyzerOptions o;
  o.kind = AnalyzerKind::char_ngrams;
  o.ngram_min = 2;
  o.ngram_max = 3;
  // "ab  c" -> "ab c"; a single tab would stay a tab.
  EXPECT_EQ(sorted_terms(o, "Ab  c"), (Terms{" c", "ab", "ab ", "b ", "b c"}));
  EXPECT_EQ(sorted_terms(o, "a\tb"), (Terms{"\tb", "a\t", "a\tb"}));
}

TEST(Analyzer, CharWbShortWordIsEmittedOnceWhole) {
  AnalyzerOptions o;
  o.kind = AnalyzerKind::char_wb;
  o.ngram_min = 2;
  o.ngram_max = 4;
  // " a " has 3 characters: bigrams " a", "a ", then the whole padded word once for n=3, nothing for n=4.
  EXPECT_EQ(sorted_terms(o, "a"), (Terms{" a", " a ", "a "}));
  EXPECT_EQ(sorted_terms(o, "ab"), (Terms{" a", " ab", " ab ", "ab", "ab ", "b "}));
}

TEST(Analyzer, EveryEncodingGivesTheSameTerms) {
  const std::u32string text = U"Caf\u00E9 \u4E2D\u6587 Cyber";
  const TextAnalyzer a{AnalyzerOptions{}};
  auto expected = a.analyze(TextRef::utf32(text));
  std::vector<std::uint8_t> latin1 = {'C', 'a', 'f', 0xE9, ' ', 'x', 'y'};
  EXPECT_EQ(a.analyze(TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}),
            (Terms{"caf\xC3\xA9", "xy"}));
  std::u16string ucs2(text.begin(), text.end());
  EXPECT_EQ(a.analyze(TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}), expected);
  EXPECT_EQ(a.analyze(TextRef::utf8("Caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 Cyber")), expected);
}

TEST(Analyzer, InvalidUtf8IsRejectedWithItsOffset) {
  EXPECT_EQ(find_invalid_utf8("ok \xFF"), 3u);
  EXPECT_EQ(find_invalid_utf8("ab\xC3"), 2u);      // truncated
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);    // overlong
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), std::nullopt);  // surrogate, as surrogatepass writes it
  const TextAnalyzer a{AnalyzerOptions{}};
  try {
    a.analyze(TextRef::utf8("abc \xFF"));
    FAIL() << "no exception";
  } catch (const InvalidUtf8Error& e) {
    EXPECT_EQ(e.byte_offset(), 4u);
  }
}

TEST(Analyzer, OptionsAreValidated) {
  AnalyzerOptions o;
  o.ngram_min = 0;
  EXPECT_THROW(o.validate(), std::invalid_argument);
  o.ngram_min = 3;
  o.ngram_max = 2;
  EXPECT_THROW(TextAnalyzer{o}, std::invalid_argument);
}

TEST(Vocabulary, IdsInFirstSeenOrderAndTermOrderByCodePoint) {
  Vocabulary v;
  EXPECT_EQ(v.find_or_add("\xE4\xB8\xAD"), 0);  // 中
  EXPECT_EQ(v.find_or_add("a"), 1);
  EXPECT_EQ(v.find_or_add("\xC3\xA9"), 2);  // é
  EXPECT_EQ(v.find_or_add("Z"), 3);
  EXPECT_EQ(v.find_or_add("a"), 1);
  EXPECT_EQ(v.find("nope"), std::nullopt);
  EXPECT_EQ(v.ids_in_term_order(), (std::vector<TermId>{3, 1, 2, 0}));  // Z < a < é < 中
  v.renumber({-1, 0, 1, -1});
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.term(0), "a");
  EXPECT_EQ(v.find("Z"), std::nullopt);
  EXPECT_THROW(Vocabulary::from_terms({"x", "y", "x"}), std::invalid_argument);
}

TEST(TermCounter, HandWorkedCorpus) {
  // doc0: "b a b", doc1: "", doc2: "c a"  -> sorted vocabulary a, b, c (single letters need min length 1)
  AnalyzerOptions o;
  o.min_token_length = 1;
  TermCounter counter{TextAnalyzer(o)};
  const std::vector<std::string> docs = {"b a b", "", "c a"};
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  counter.add_documents(refs);
  counter.sort_vocabulary();
  EXPECT_EQ(counter.vocabulary().terms(), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(counter.document_frequencies(), (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(counter.term_frequencies(), (std::vector<std::int64_t>{2, 2, 1}));
  const std::vector<TermId> kept = {0, 2};
  counter.keep_columns(kept);
  CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 3);
  EXPECT_EQ(m.n_cols, 2);
  EXPECT_EQ(m.indptr, (std::vector<std::int64_t>{0, 1, 1, 3}));
  EXPECT_EQ(m.indices, (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(m.data, (std::vector<std::int32_t>{1, 1, 1}));
}

TEST(TermCounter, FixedVocabularyIgnoresUnknownTermsAndKeepsColumns) {
  TermCounter counter{TextAnalyzer(AnalyzerOptions{}), Vocabulary::from_terms({"zz", "aa"})};
  const std::vector<std::string> docs = {"aa bb zz aa"};
  const std::vector<TextRef> refs = {TextRef::utf8(docs[0])};
  counter.add_documents(refs);
  const std::vector<std::string_view> extra = {"zz", "qq"};
  counter.add_terms(extra);
  CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.indptr, (std::vector<std::int64_t>{0, 2, 3}));
  EXPECT_EQ(m.indices, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_EQ(m.data, (std::vector<std::int32_t>{1, 2, 1}));
}

TEST(TermCounter, SameResultForOneAndTwoThreads) {
  std::vector<std::string> docs;
  for (int i = 0; i < 3000; ++i) {
    docs.push_back("doc" + std::to_string(i % 97) + " shared words here term" + std::to_string(i * 7919 % 1000) +
                   std::string(static_cast<std::size_t>(i % 400), 'x'));
  }
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  auto run = [&](int threads) {
    set_num_threads(threads);
    TermCounter c{TextAnalyzer(AnalyzerOptions{})};
    c.add_documents(refs);
    c.sort_vocabulary();
    std::vector<std::string> names(c.vocabulary().terms().begin(), c.vocabulary().terms().end());
    return std::make_pair(names, c.take_matrix());
  };
  const auto one = run(1);
  const auto two = run(2);
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second.indptr, two.second.indptr);
  EXPECT_EQ(one.second.indices, two.second.indices);
  EXPECT_EQ(one.second.data, two.second.data);
}

TEST(Tfidf, IdfMatchesTheFormula) {
  const std::vector<std::int64_t> df = {1, 3};
  const auto smooth = inverse_document_frequency<double>(df, 3, true);
  EXPECT_DOUBLE_EQ(smooth[0], std::log(4.0 / 2.0) + 1.0);
  EXPECT_DOUBLE_EQ(smooth[1], 1.0);
  const auto raw = inverse_document_frequency<double>(df, 3, false);
  EXPECT_DOUBLE_EQ(raw[0], std::log(3.0) + 1.0);
}

TEST(Tfidf, WeighsAndNormalisesRows) {
  // Row 0: counts (1, 4) over columns (0, 1), row 1 empty.
  std::vector<std::int32_t> indptr = {0, 2, 2}, indices = {0, 1};
  std::vector<double> data = {1.0, 4.0};
  const std::vector<double> idf = {2.0, 1.0};
  CsrView<double, std::int32_t, std::int32_t> view{2, 2, indptr, indices, data};
  tfidf_in_place<double, std::int32_t, std::int32_t>(view, idf, true, Norm::l2);
  // sublinear: (1, 1 + ln 4), times idf: (2, 1 + ln 4), then unit length.
  const double a = 2.0, b = 1.0 + std::log(4.0), n = std::sqrt(a * a + b * b);
  EXPECT_NEAR(data[0], a / n, 1e-15);
  EXPECT_NEAR(data[1], b / n, 1e-15);
  std::vector<double> l1 = {1.0, 3.0};
  CsrView<double, std::int32_t, std::int32_t> v1{2, 2, indptr, indices, l1};
  tfidf_in_place<double, std::int32_t, std::int32_t>(v1, {}, false, Norm::l1);
  EXPECT_DOUBLE_EQ(l1[0], 0.25);
  EXPECT_DOUBLE_EQ(l1[1], 0.75);
  std::vector<std::int32_t> bad = {0, 5};
  CsrView<double, std::int32_t, std::int32_t> vb{2, 2, indptr, bad, data};
  EXPECT_THROW((tfidf_in_place<double, std::int32_t, std::int32_t>(vb, idf, false, Norm::none)), std::out_of_range);
  EXPECT_EQ(document_frequency<std::int32_t>(std::vector<std::int32_t>{0, 1, 1}, 3), (std::vector<std::int64_t>{1, 2, 0}));
}

TEST(Parallel, EveryTaskOnceAndLowestFailureRethrown) {
  EXPECT_THROW(set_num_threads(0), std::invalid_argument);
  set_num_threads(2);
  std::vector<int> hits(1000, 0);
  parallel_for(hits.size(), [&](std::size_t i) { hits[i]++; });
  EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  try {
    parallel_for(100, [](std::size_t i) {
      if (i == 17 || i == 80) throw std::runtime_error("task " + std::to_string(i));
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "task 17");
  }
}
