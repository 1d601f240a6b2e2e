// TermCounter: counting documents into a vocabulary and a CSR count matrix.
// The hand-worked corpus was checked with scikit-learn:
//   CountVectorizer().fit_transform(["the cat sat on the mat", "The dog sat", "dogs and cats"])
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/sklearn_analyzer.hpp"
#include "themescope/multilingual.hpp"
#include "themescope/parallel.hpp"
#include "themescope/term_counter.hpp"
#include "themescope/unicode.hpp"
#include "themescope/vocabulary.hpp"

namespace themescope {
namespace {

using I32 = std::vector<std::int32_t>;
using I64 = std::vector<std::int64_t>;
using Views = std::vector<std::string_view>;
using testing::word_options;

std::vector<TextRef> refs_of(const std::vector<std::string>& docs) {
  std::vector<TextRef> refs;
  refs.reserve(docs.size());
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  return refs;
}

// Whether `docs` make several of TermCounter's chunks (2^18 code units each,
// term_counter.cpp), so that two threads really run two workers.
bool spans_several_chunks(const std::vector<std::string>& docs) {
  std::size_t bytes = 0;
  for (const auto& doc : docs) bytes += doc.size();
  return bytes > (std::size_t{4} << 18);
}

TermCounter counted(const AnalyzerOptions& options, const std::vector<std::string>& docs) {
  TermCounter counter{TextAnalyzer(options)};
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  return counter;
}

// Rows as term -> count maps, whatever the column numbering; also checks the CSR shape.
std::vector<std::map<std::string, std::int32_t>> rows_by_term(const CountMatrix& m, const Vocabulary& v) {
  std::vector<std::map<std::string, std::int32_t>> rows;
  EXPECT_EQ(m.indptr.size(), static_cast<std::size_t>(m.n_rows) + 1);
  EXPECT_EQ(m.indptr.front(), 0);
  EXPECT_EQ(static_cast<std::size_t>(m.indptr.back()), m.indices.size());
  EXPECT_EQ(m.indices.size(), m.data.size());
  EXPECT_EQ(m.n_cols, static_cast<std::int64_t>(v.size()));
  for (std::int64_t r = 0; r < m.n_rows; ++r) {
    std::map<std::string, std::int32_t> row;
    for (auto k = m.indptr[static_cast<std::size_t>(r)]; k < m.indptr[static_cast<std::size_t>(r) + 1]; ++k) {
      const auto col = m.indices[static_cast<std::size_t>(k)];
      if (k > m.indptr[static_cast<std::size_t>(r)]) {
        EXPECT_LT(m.indices[static_cast<std::size_t>(k) - 1], col) << "row " << r << " not strictly ascending";
      }
      EXPECT_GE(col, 0);
      EXPECT_LT(col, m.n_cols);
      EXPECT_GT(m.data[static_cast<std::size_t>(k)], 0);
      row[std::string(v.term(col))] = m.data[static_cast<std::size_t>(k)];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::vector<std::string> kCorpus = {"the cat sat on the mat", "The dog sat", "dogs and cats"};

TEST(TermCounter, HandWorkedCorpusSorted) {
  TermCounter counter = counted({}, kCorpus);
  EXPECT_FALSE(counter.vocabulary_is_fixed());
  EXPECT_EQ(counter.n_documents(), 3);
  EXPECT_EQ(counter.nnz(), 11u);
  counter.sort_vocabulary();
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"and", "cat", "cats", "dog", "dogs", "mat", "on", "sat", "the"}));
  EXPECT_EQ(counter.document_frequencies(), (I64{1, 1, 1, 1, 1, 1, 1, 2, 2}));
  EXPECT_EQ(counter.term_frequencies(), (I64{1, 1, 1, 1, 1, 1, 1, 2, 3}));

  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 3);
  EXPECT_EQ(m.n_cols, 9);
  EXPECT_EQ(m.indptr, (I64{0, 5, 8, 11}));
  EXPECT_EQ(m.indices, (I32{1, 5, 6, 7, 8, 3, 7, 8, 0, 2, 4}));
  EXPECT_EQ(m.data, (I32{1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(m.nnz(), 11u);
}

TEST(TermCounter, HandWorkedCorpusBeforeSorting) {
  // Learned ids are some numbering 0..8; the counts per term are fixed.
  TermCounter counter = counted({}, kCorpus);
  const Vocabulary& v = counter.vocabulary();
  ASSERT_EQ(v.size(), 9u);
  const std::set<std::string_view> terms(v.terms().begin(), v.terms().end());
  EXPECT_EQ(terms, (std::set<std::string_view>{"and", "cat", "cats", "dog", "dogs", "mat", "on", "sat", "the"}));
  const auto df = counter.document_frequencies();
  const auto tf = counter.term_frequencies();
  ASSERT_EQ(df.size(), 9u);
  ASSERT_EQ(tf.size(), 9u);
  EXPECT_EQ(df[static_cast<std::size_t>(*v.find("the"))], 2);
  EXPECT_EQ(tf[static_cast<std::size_t>(*v.find("the"))], 3);
  EXPECT_EQ(df[static_cast<std::size_t>(*v.find("sat"))], 2);
  EXPECT_EQ(tf[static_cast<std::size_t>(*v.find("dogs"))], 1);

  const CountMatrix m = counter.take_matrix();
  const auto rows = rows_by_term(m, counter.vocabulary());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::map<std::string, std::int32_t>{{"cat", 1}, {"mat", 1}, {"on", 1}, {"sat", 1}, {"the", 2}}));
  EXPECT_EQ(rows[1], (std::map<std::string, std::int32_t>{{"dog", 1}, {"sat", 1}, {"the", 1}}));
  EXPECT_EQ(rows[2], (std::map<std::string, std::int32_t>{{"and", 1}, {"cats", 1}, {"dogs", 1}}));
}

TEST(TermCounter, SortingInTwoStepsIsSorting) {
  // term_order() only reads; sort_vocabulary(order) applies it.
  TermCounter counter = counted({}, kCorpus);
  // Learned ids follow first use: the cat sat on mat dog dogs and cats.
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"the", "cat", "sat", "on", "mat", "dog", "dogs", "and", "cats"}));
  const std::vector<TermId> order = counter.term_order();
  EXPECT_EQ(order, (std::vector<TermId>{7, 1, 8, 5, 6, 4, 3, 2, 0}));  // and cat cats dog dogs mat on sat the
  EXPECT_EQ(counter.vocabulary().size(), 9u);  // untouched
  counter.sort_vocabulary(order);
  TermCounter reference = counted({}, kCorpus);
  reference.sort_vocabulary();
  EXPECT_EQ(counter.vocabulary().terms(), reference.vocabulary().terms());
  const CountMatrix m = counter.take_matrix(), r = reference.take_matrix();
  EXPECT_EQ(m.indptr, r.indptr);
  EXPECT_EQ(m.indices, r.indices);
  EXPECT_EQ(m.data, r.data);
}

TEST(TermCounter, AnOrderThatIsNotAPermutationIsRejected) {
  TermCounter counter = counted({}, kCorpus);
  const std::vector<TermId> short_order = {0, 1, 2};
  const std::vector<TermId> repeated = {0, 1, 2, 3, 4, 5, 6, 7, 7};
  const std::vector<TermId> outside = {0, 1, 2, 3, 4, 5, 6, 7, 9};
  const std::vector<TermId> negative = {0, 1, 2, 3, 4, 5, 6, 7, -1};
  EXPECT_THROW(counter.sort_vocabulary(short_order), std::invalid_argument);
  EXPECT_THROW(counter.sort_vocabulary(repeated), std::invalid_argument);
  EXPECT_THROW(counter.sort_vocabulary(outside), std::invalid_argument);
  EXPECT_THROW(counter.sort_vocabulary(negative), std::invalid_argument);
  // Nothing was renumbered by the rejected orders.
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"the", "cat", "sat", "on", "mat", "dog", "dogs", "and", "cats"}));
}

TEST(TermCounter, ReleasedTermsLeaveTheMatrixAndTheirNumber) {
  TermCounter counter = counted({}, kCorpus);
  counter.sort_vocabulary();
  counter.release_terms();
  EXPECT_EQ(counter.vocabulary().size(), 9u);
  EXPECT_THROW((void)counter.vocabulary().term(0), std::logic_error);
  EXPECT_THROW((void)counter.vocabulary().find("cat"), std::logic_error);
  EXPECT_THROW(counter.sort_vocabulary(), std::logic_error);
  EXPECT_THROW((void)counter.display_forms(), std::logic_error);
  EXPECT_THROW(counter.keep_columns(std::vector<TermId>{0}), std::logic_error);
  EXPECT_EQ(counter.vocabulary().memory_bytes(), 0u);
  const CountMatrix m = counter.take_matrix();  // the same as HandWorkedCorpusSorted's
  EXPECT_EQ(m.n_cols, 9);
  EXPECT_EQ(m.indptr, (I64{0, 5, 8, 11}));
  EXPECT_EQ(m.indices, (I32{1, 5, 6, 7, 8, 3, 7, 8, 0, 2, 4}));
  EXPECT_EQ(m.data, (I32{1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1}));
}

TEST(TermCounter, KeepColumnsRenumbers) {
  TermCounter counter = counted({}, kCorpus);
  counter.sort_vocabulary();
  const std::vector<TermId> kept = {1, 7, 8};  // cat, sat, the
  counter.keep_columns(kept);
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"cat", "sat", "the"}));
  EXPECT_EQ(counter.vocabulary().find("dog"), std::nullopt);
  EXPECT_EQ(counter.document_frequencies(), (I64{1, 2, 2}));
  EXPECT_EQ(counter.term_frequencies(), (I64{1, 2, 3}));
  EXPECT_EQ(counter.n_documents(), 3);
  EXPECT_EQ(counter.nnz(), 5u);
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 3);
  EXPECT_EQ(m.n_cols, 3);
  EXPECT_EQ(m.indptr, (I64{0, 3, 5, 5}));
  EXPECT_EQ(m.indices, (I32{0, 1, 2, 1, 2}));
  EXPECT_EQ(m.data, (I32{1, 1, 2, 1, 1}));
}

TEST(TermCounter, KeepNoColumns) {
  TermCounter counter = counted({}, kCorpus);
  counter.sort_vocabulary();
  counter.keep_columns({});
  EXPECT_EQ(counter.vocabulary().size(), 0u);
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 3);
  EXPECT_EQ(m.n_cols, 0);
  EXPECT_EQ(m.indptr, (I64{0, 0, 0, 0}));
  EXPECT_TRUE(m.indices.empty());
  EXPECT_TRUE(m.data.empty());
}

TEST(TermCounter, TakeMatrixLeavesVocabularyAndNoDocuments) {
  TermCounter counter = counted({}, kCorpus);
  counter.sort_vocabulary();
  (void)counter.take_matrix();
  EXPECT_EQ(counter.n_documents(), 0);
  EXPECT_EQ(counter.nnz(), 0u);
  EXPECT_EQ(counter.vocabulary().size(), 9u);
  // Counting goes on against the same vocabulary.
  const std::vector<std::string> more = {"the cat", "a zebra"};
  const auto refs = refs_of(more);
  counter.add_documents(refs);
  EXPECT_EQ(counter.n_documents(), 2);
  const CountMatrix m = counter.take_matrix();
  const auto rows = rows_by_term(m, counter.vocabulary());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::map<std::string, std::int32_t>{{"cat", 1}, {"the", 1}}));
  EXPECT_EQ(rows[1], (std::map<std::string, std::int32_t>{{"zebra", 1}}));
  EXPECT_EQ(counter.vocabulary().find("cat"), std::optional<TermId>(1));
  EXPECT_EQ(counter.vocabulary().find("the"), std::optional<TermId>(8));
}

TEST(TermCounter, EmptyDocumentsGiveEmptyRows) {
  TermCounter counter = counted({}, {"", "   ", "!! ?", "a"});
  EXPECT_EQ(counter.n_documents(), 4);
  EXPECT_EQ(counter.vocabulary().size(), 0u);
  counter.sort_vocabulary();
  EXPECT_TRUE(counter.document_frequencies().empty());
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 4);
  EXPECT_EQ(m.n_cols, 0);
  EXPECT_EQ(m.indptr, (I64{0, 0, 0, 0, 0}));
  EXPECT_TRUE(m.indices.empty());

  TermCounter mixed = counted({}, {"", "yy", "", "", "yy zz yy", ""});
  mixed.sort_vocabulary();
  const CountMatrix mm = mixed.take_matrix();
  EXPECT_EQ(mm.indptr, (I64{0, 0, 1, 1, 1, 3, 3}));
  EXPECT_EQ(mm.indices, (I32{0, 0, 1}));
  EXPECT_EQ(mm.data, (I32{1, 2, 1}));
}

TEST(TermCounter, NoDocumentsAtAll) {
  TermCounter counter{TextAnalyzer(AnalyzerOptions{})};
  counter.add_documents({});
  EXPECT_EQ(counter.n_documents(), 0);
  counter.sort_vocabulary();
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 0);
  EXPECT_EQ(m.n_cols, 0);
  EXPECT_EQ(m.indptr, (I64{0}));
}

TEST(TermCounter, FixedVocabularyIgnoresUnknownTermsAndKeepsIds) {
  TermCounter counter{TextAnalyzer(AnalyzerOptions{}), Vocabulary::from_terms({"zz", "aa", "mm"})};
  EXPECT_TRUE(counter.vocabulary_is_fixed());
  const std::vector<std::string> docs = {"aa bb zz aa", "", "qq"};
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  const std::vector<std::string_view> terms = {"mm", "zz", "mm", "qq"};
  counter.add_terms(terms);
  EXPECT_EQ(counter.n_documents(), 4);
  counter.sort_vocabulary();  // no-op for a fixed vocabulary
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"zz", "aa", "mm"}));
  EXPECT_EQ(counter.vocabulary().find("bb"), std::nullopt);
  EXPECT_EQ(counter.document_frequencies(), (I64{2, 1, 1}));
  EXPECT_EQ(counter.term_frequencies(), (I64{2, 2, 2}));
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_rows, 4);
  EXPECT_EQ(m.n_cols, 3);
  EXPECT_EQ(m.indptr, (I64{0, 2, 2, 2, 4}));
  EXPECT_EQ(m.indices, (I32{0, 1, 0, 2}));
  EXPECT_EQ(m.data, (I32{1, 2, 1, 2}));
  EXPECT_EQ(counter.vocabulary().size(), 3u);
}

// Rows come out sorted by column whatever their length (insertion below 33 entries,
// radix above) and however many bytes a column needs (70,000 columns: three).
TEST(TermCounter, LongRowsOverAWideVocabularyComeOutSorted) {
  std::vector<std::string> terms;
  for (int i = 0; i < 70000; ++i) terms.push_back(std::string("t").append(std::to_string(i)));
  std::vector<std::string_view> views(terms.begin(), terms.end());
  TermCounter counter{TextAnalyzer(AnalyzerOptions{}), Vocabulary::from_terms(views)};
  std::mt19937 rng(4);
  std::vector<std::string> docs;
  std::vector<std::map<std::int32_t, std::int32_t>> expected;
  for (const int length : {5, 32, 33, 300, 2000}) {
    std::string doc;
    std::map<std::int32_t, std::int32_t> row;
    for (int i = 0; i < length; ++i) {
      // mostly distinct columns spread over all three bytes, some repeated
      const auto column = static_cast<std::int32_t>(i % 7 == 0 ? 69999 : rng() % 70000);
      doc.append(terms[static_cast<std::size_t>(column)]).push_back(' ');
      ++row[column];
    }
    docs.push_back(doc);
    expected.push_back(row);
  }
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  const CountMatrix m = counter.take_matrix();
  I64 indptr{0};
  I32 indices, data;
  for (const auto& row : expected) {
    for (const auto& [column, count] : row) {  // std::map: increasing column
      indices.push_back(column);
      data.push_back(count);
    }
    indptr.push_back(static_cast<std::int64_t>(indices.size()));
  }
  EXPECT_EQ(m.indptr, indptr);
  EXPECT_EQ(m.indices, indices);
  EXPECT_EQ(m.data, data);
}

TEST(TermCounter, FixedVocabularyWithUnusedColumnsAndBigrams) {
  // CountVectorizer(vocabulary=["new york", "york", "boston"], ngram_range=(1, 2))
  TermCounter counter{TextAnalyzer(word_options(1, 2)), Vocabulary::from_terms({"new york", "york", "boston"})};
  const std::vector<std::string> docs = {"New York York city"};
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  EXPECT_EQ(counter.document_frequencies(), (I64{1, 1, 0}));
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.n_cols, 3);
  EXPECT_EQ(m.indptr, (I64{0, 2}));
  EXPECT_EQ(m.indices, (I32{0, 1}));
  EXPECT_EQ(m.data, (I32{1, 2}));
}

TEST(TermCounter, AddTermsCountsPreAnalyzedDocuments) {
  TermCounter counter{TextAnalyzer(AnalyzerOptions{})};
  const std::vector<std::string_view> first = {"b", "a", "b"};  // not analyzed: single letters count
  counter.add_terms(first);
  counter.add_terms({});
  const std::vector<std::string> docs = {"aa b"};
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  counter.sort_vocabulary();
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"a", "aa", "b"}));
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.indptr, (I64{0, 2, 2, 3}));
  EXPECT_EQ(m.indices, (I32{0, 2, 1}));
  EXPECT_EQ(m.data, (I32{1, 2, 1}));
}

TEST(TermCounter, CharacterAnalyzer) {
  // CountVectorizer(analyzer="char", ngram_range=(2, 2)).fit_transform(["abab", "ba"])
  AnalyzerOptions o;
  o.kind = AnalyzerKind::char_ngrams;
  o.ngram_min = 2;
  o.ngram_max = 2;
  TermCounter counter = counted(o, {"abab", "ba"});
  counter.sort_vocabulary();
  EXPECT_EQ(counter.vocabulary().terms(), (Views{"ab", "ba"}));
  const CountMatrix m = counter.take_matrix();
  EXPECT_EQ(m.indptr, (I64{0, 2, 3}));
  EXPECT_EQ(m.indices, (I32{0, 1, 1}));
  EXPECT_EQ(m.data, (I32{2, 1, 1}));
}

// ---- a generated corpus: thread count and batching never change the result ----

std::vector<std::string> generated_corpus(std::size_t n_docs) {
  static const char* const kSpecial[] = {"caf\u00E9", "\u4E2D\u6587", "\u039F\u0394\u039F\u03A3", "\u0130stanbul",
                                         "Stra\u00DFe", "x_y", "30.000", "L\u2019OTAN", "\U0001F600", "na\u00EFve"};
  std::uint64_t state = 0x2545F4914F6CDD1Dull;
  auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  std::vector<std::string> docs;
  docs.reserve(n_docs);
  for (std::size_t d = 0; d < n_docs; ++d) {
    std::string doc;
    const std::size_t n_words = (d % 50 == 7) ? 0 : static_cast<std::size_t>(next(60));
    for (std::size_t w = 0; w < n_words; ++w) {
      if (!doc.empty()) doc += (next(10) == 0) ? "  " : " ";
      if (next(8) == 0) {
        doc += kSpecial[next(std::size(kSpecial))];
      } else {
        // Zipf-like: small ids are frequent.
        const std::uint64_t id = next(1 + next(2000));
        doc += "w";
        for (std::uint64_t x = id; ; x /= 26) {
          doc += static_cast<char>('a' + x % 26);
          if (x < 26) break;
        }
      }
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

struct Counted {
  std::vector<std::string> unsorted_terms;
  std::vector<std::string> terms;
  I64 df, tf;
  CountMatrix matrix;
};

Counted count_with(const std::vector<std::string>& docs, const AnalyzerOptions& options, std::size_t batch) {
  TermCounter counter{TextAnalyzer(options)};
  const auto refs = refs_of(docs);
  for (std::size_t begin = 0; begin < refs.size(); begin += batch) {
    const std::size_t n = std::min(batch, refs.size() - begin);
    counter.add_documents(std::span<const TextRef>(refs.data() + begin, n));
  }
  Counted out;
  out.unsorted_terms.assign(counter.vocabulary().terms().begin(), counter.vocabulary().terms().end());
  counter.sort_vocabulary();
  out.terms.assign(counter.vocabulary().terms().begin(), counter.vocabulary().terms().end());
  out.df = counter.document_frequencies();
  out.tf = counter.term_frequencies();
  out.matrix = counter.take_matrix();
  return out;
}

using testing::ThreadCountGuard;

TEST(TermCounterDeterminism, SameVocabularyAndMatrixForAnyThreadCount) {
  ThreadCountGuard guard;
  // One thread counts against the global vocabulary directly, more merge their own into it.
  const auto docs = generated_corpus(20000);
  ASSERT_TRUE(spans_several_chunks(docs));
  const AnalyzerOptions options = word_options(1, 2);
  set_num_threads(1);
  const Counted one = count_with(docs, options, docs.size());
  ASSERT_GT(one.terms.size(), 1000u);
  for (int threads : {2, 3, 8}) {
    set_num_threads(threads);
    const Counted many = count_with(docs, options, docs.size());
    EXPECT_EQ(one.unsorted_terms, many.unsorted_terms) << threads << " threads: learned ids differ";
    EXPECT_EQ(one.terms, many.terms) << threads << " threads";
    EXPECT_EQ(one.df, many.df) << threads << " threads";
    EXPECT_EQ(one.tf, many.tf) << threads << " threads";
    EXPECT_EQ(one.matrix.n_rows, many.matrix.n_rows);
    EXPECT_EQ(one.matrix.n_cols, many.matrix.n_cols);
    EXPECT_EQ(one.matrix.indptr, many.matrix.indptr) << threads << " threads";
    EXPECT_EQ(one.matrix.indices, many.matrix.indices) << threads << " threads";
    EXPECT_EQ(one.matrix.data, many.matrix.data) << threads << " threads";
  }
}

TEST(TermCounterDeterminism, BatchingDoesNotChangeTheSortedResult) {
  ThreadCountGuard guard;
  set_num_threads(2);
  const auto docs = generated_corpus(600);
  const AnalyzerOptions options = word_options(1, 2);
  const Counted whole = count_with(docs, options, docs.size());
  for (std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{250}}) {
    const Counted parts = count_with(docs, options, batch);
    EXPECT_EQ(whole.terms, parts.terms) << "batch " << batch;
    EXPECT_EQ(whole.matrix.indptr, parts.matrix.indptr) << "batch " << batch;
    EXPECT_EQ(whole.matrix.indices, parts.matrix.indices) << "batch " << batch;
    EXPECT_EQ(whole.matrix.data, parts.matrix.data) << "batch " << batch;
  }
}

// Checks `got` against a reference: each document analyzed alone, counted
// with std::map, the terms sorted.
void expect_reference_count(const std::vector<std::string>& docs, const AnalyzerOptions& options,
                            const Counted& got) {
  const TextAnalyzer analyzer(options);
  std::vector<std::map<std::string, std::int32_t>> expected_rows;
  std::set<std::string> all_terms;
  for (const auto& doc : docs) {
    std::map<std::string, std::int32_t> row;
    for (auto& term : analyzer.analyze(TextRef::utf8(doc))) ++row[term];
    for (const auto& [term, count] : row) all_terms.insert(term);
    expected_rows.push_back(std::move(row));
  }
  ASSERT_EQ(got.terms, std::vector<std::string>(all_terms.begin(), all_terms.end()));
  std::map<std::string, std::size_t> column_of;
  for (const auto& term : all_terms) column_of.emplace(term, column_of.size());
  I64 df(all_terms.size(), 0), tf(all_terms.size(), 0);
  I64 indptr{0};
  I32 indices, data;
  for (const auto& row : expected_rows) {
    for (const auto& [term, count] : row) {  // std::map iterates in byte order = column order
      const std::size_t col = column_of.at(term);
      indices.push_back(static_cast<std::int32_t>(col));
      data.push_back(count);
      df[col] += 1;
      tf[col] += count;
    }
    indptr.push_back(static_cast<std::int64_t>(indices.size()));
  }
  EXPECT_EQ(got.df, df);
  EXPECT_EQ(got.tf, tf);
  EXPECT_EQ(got.matrix.n_rows, static_cast<std::int64_t>(docs.size()));
  EXPECT_EQ(got.matrix.indptr, indptr);
  EXPECT_EQ(got.matrix.indices, indices);
  EXPECT_EQ(got.matrix.data, data);
}

TEST(TermCounterDeterminism, MatchesAReferenceCount) {
  ThreadCountGuard guard;
  set_num_threads(2);
  const auto docs = generated_corpus(3000);
  const AnalyzerOptions options = word_options(1, 2);
  expect_reference_count(docs, options, count_with(docs, options, docs.size()));
}

// The entries are reserved ahead from the entries per code unit of the chunks
// merged first (term_counter.cpp, EntryGrowth). Documents that turn from one
// repeated word to many distinct ones make that projection fall short again
// and again; the other way round, it overshoots, and the surplus must not go
// out with the matrix. Neither may lose an entry.
TEST(TermCounterDeterminism, EntriesAreAllKeptWhenTheDensityOfTermsChanges) {
  ThreadCountGuard guard;
  std::vector<std::string> repetitive, varied = generated_corpus(8000);
  std::string same_word;
  for (int i = 0; i < 300; ++i) same_word += "again ";
  for (int i = 0; i < 4000; ++i) repetitive.push_back(same_word);
  ASSERT_TRUE(spans_several_chunks(repetitive));
  ASSERT_TRUE(spans_several_chunks(varied));
  std::vector<std::string> sparse_first = repetitive, dense_first = varied;
  sparse_first.insert(sparse_first.end(), varied.begin(), varied.end());
  dense_first.insert(dense_first.end(), repetitive.begin(), repetitive.end());
  const AnalyzerOptions options = word_options(1, 1);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    SCOPED_TRACE(std::to_string(threads) + " threads");
    expect_reference_count(sparse_first, options, count_with(sparse_first, options, sparse_first.size()));
    const Counted dense = count_with(dense_first, options, dense_first.size());
    expect_reference_count(dense_first, options, dense);
    // What the dense chunks' projection reserved beyond the entries is not handed over.
    EXPECT_LE(dense.matrix.indices.capacity(), dense.matrix.indices.size() * 5 / 4);
    EXPECT_LE(dense.matrix.data.capacity(), dense.matrix.data.size() * 5 / 4);
    // In batches: each add_documents call projects for its own documents.
    expect_reference_count(sparse_first, options, count_with(sparse_first, options, 3000));
  }
}

// ---- an analyzer that hands memos over (MultilingualAnalyzer) ----

// French-like documents whose words repeat across documents in several raw
// forms (case, apostrophes), with stop words, numbers, and an emoji now and
// then, which sends its stretch to the ICU path.
std::vector<std::string> french_corpus(std::size_t n_docs) {
  static const char* const kWords[] = {
      "Manifestation", "manifestations", "MANIFESTANTS", "l’état", "l'État", "états",
      "gilets",        "Gilets",         "jaunes",       "la",              "les",          "de",
      "30.000",        "2019",           "Paris",        "paris",           "qu’il",   "réforme",
      "réformes", "😀x",    "naïve",   "cybersécurité"};
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  std::vector<std::string> docs(n_docs);
  for (auto& doc : docs) {
    const std::size_t n_words = next(40);
    for (std::size_t w = 0; w < n_words; ++w) {
      if (!doc.empty()) doc += ' ';
      doc += kWords[next(std::size(kWords))];
    }
  }
  return docs;
}

// Counts `docs` with `counter` and returns its rows by term and the display forms.
struct MultilingualCounted {
  std::vector<std::map<std::string, std::int32_t>> rows;
  std::map<std::string, std::string> display;
};

MultilingualCounted count_multilingual(TermCounter counter, const std::vector<std::string>& docs) {
  const auto refs = refs_of(docs);
  counter.add_documents(refs);
  counter.sort_vocabulary();
  MultilingualCounted out;
  const auto forms = counter.display_forms();
  for (std::size_t i = 0; i < forms.size(); ++i) {
    out.display[std::string(counter.vocabulary().term(static_cast<TermId>(i)))] = forms[i];
  }
  const CountMatrix m = counter.take_matrix();
  out.rows = rows_by_term(m, counter.vocabulary());
  return out;
}

TEST(TermCounterMemo, AWordInSeveralCasesOutnumbersAnotherInflection) {
  // One stem, "ministr": the word "ministre" 4 times (twice capitalized) against "ministres"
  // 3 times. Counted spelling by spelling, "ministres" (3) would beat "Ministre" (2).
  MultilingualOptions options;
  options.language = "fr";
  const MultilingualCounted got = count_multilingual(
      TermCounter(std::make_shared<MultilingualAnalyzer>(options)),
      {"Ministre Ministre ministre ministre", "ministres ministres ministres"});
  EXPECT_EQ(got.display, (std::map<std::string, std::string>{{"ministr", "Ministre"}}));  // cases tie: the smaller
}

TEST(TermCounterMemo, MultilingualCountsAndDisplayFormsEqualAPerOccurrenceReference) {
  ThreadCountGuard guard;
  // With two threads, workers with their own vocabularies, memos and surfaces,
  // merged; with one, the lone worker.
  const auto docs = french_corpus(14000);
  ASSERT_TRUE(spans_several_chunks(docs));
  MultilingualOptions options;
  options.language = "fr";
  const auto analyzer = std::make_shared<MultilingualAnalyzer>(options);
  ASSERT_TRUE(analyzer->has_display_forms());

  // Reference: a fresh state per document, memos ignored; every occurrence counted.
  std::vector<std::map<std::string, std::int32_t>> expected_rows;
  std::map<std::string, std::map<std::string, std::int64_t>> surfaces;  // term -> surface -> occurrences
  for (const auto& doc : docs) {
    auto state = analyzer->new_state();
    std::map<std::string, std::int32_t> row;
    analyzer->analyze_document(TextRef::utf8(doc), *state,
                               [&](std::string_view term, std::string_view surface, TermMemo*) {
                                 ++row[std::string(term)];
                                 ++surfaces[std::string(term)][std::string(surface)];
                               });
    expected_rows.push_back(std::move(row));
  }
  // The word written most often whatever its case, then its most frequent case; ties: the smallest.
  std::map<std::string, std::string> expected_display;
  for (const auto& [term, counts] : surfaces) {
    std::map<std::string, std::int64_t> totals;  // casefolded surface -> occurrences
    for (const auto& [surface, n] : counts) totals[unicode::casefold_utf8(surface)] += n;
    std::string word;
    std::int64_t best_total = -1;
    for (const auto& [key, n] : totals) {
      if (n > best_total) {
        best_total = n;
        word = key;
      }
    }
    std::int64_t best = -1;
    for (const auto& [surface, n] : counts) {
      if (unicode::casefold_utf8(surface) == word && n > best) {
        best = n;
        expected_display[term] = surface;
      }
    }
  }
  // By hand: 22 words, less the stop words (la, les, de, il of qu'il) and "x"
  // (too short), stem to 10 terms; "état" stands for l'état, l'État and états,
  // of which état and État are one word.
  ASSERT_EQ(expected_display.size(), 10u);
  EXPECT_EQ(expected_display.at("cybersécur"), "cybersécurité");
  EXPECT_EQ(unicode::casefold_utf8(expected_display.at("état")), "état");

  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const MultilingualCounted got = count_multilingual(TermCounter(analyzer), docs);
    EXPECT_EQ(got.rows, expected_rows) << threads << " threads";
    EXPECT_EQ(got.display, expected_display) << threads << " threads";
  }
  {
    // Pruned after sorting (what min_df / max_features do): the kept columns keep
    // their display forms, in two calls (partial counts merge).
    TermCounter counter(analyzer);
    const auto refs = refs_of(docs);
    const std::size_t half = refs.size() / 2;
    counter.add_documents(std::span<const TextRef>(refs.data(), half));
    counter.add_documents(std::span<const TextRef>(refs.data() + half, refs.size() - half));
    counter.sort_vocabulary();
    std::vector<TermId> kept;
    for (TermId id = 1; id < static_cast<TermId>(counter.vocabulary().size()); id += 2) kept.push_back(id);
    counter.keep_columns(kept);
    const auto forms = counter.display_forms();
    ASSERT_EQ(forms.size(), kept.size());
    for (std::size_t i = 0; i < forms.size(); ++i) {
      EXPECT_EQ(forms[i], expected_display.at(std::string(counter.vocabulary().term(static_cast<TermId>(i)))));
    }
  }

  {
    // surface_counts: two counters over the two halves hold, summed by (term,
    // surface), every occurrence the reference counted (what partial fits merge).
    const auto refs = refs_of(docs);
    const std::size_t half = refs.size() / 2;
    std::map<std::string, std::map<std::string, std::int64_t>> merged;
    for (auto [begin, size] : {std::pair{std::size_t{0}, half}, std::pair{half, refs.size() - half}}) {
      TermCounter shard(analyzer);
      shard.add_documents(std::span<const TextRef>(refs.data() + begin, size));
      for (const auto& record : shard.surface_counts()) {
        merged[std::string(shard.vocabulary().term(record.column))][std::string(record.surface)] += record.count;
      }
    }
    EXPECT_EQ(merged, surfaces);
    options.stem = false;
    TermCounter plain(std::make_shared<MultilingualAnalyzer>(options));
    plain.add_documents(std::span<const TextRef>(refs.data(), half));
    EXPECT_TRUE(plain.surface_counts().empty());  // no display forms: nothing recorded
    options.stem = true;
  }

  // A fixed vocabulary: present terms counted, absent ones (remembered as such) ignored.
  std::vector<std::string> kept;
  for (const auto& [term, surface] : expected_display) {
    if (kept.size() % 2 == 0 || term == "30.000") kept.push_back(term);
  }
  const std::vector<std::string_view> kept_views(kept.begin(), kept.end());
  auto fixed_rows = expected_rows;
  for (auto& row : fixed_rows) {
    std::erase_if(row, [&](const auto& entry) { return std::find(kept.begin(), kept.end(), entry.first) == kept.end(); });
  }
  set_num_threads(2);
  TermCounter fixed(analyzer, Vocabulary::from_terms(kept_views));
  const auto refs = refs_of(docs);
  fixed.add_documents(refs);
  const CountMatrix m = fixed.take_matrix();
  EXPECT_EQ(rows_by_term(m, fixed.vocabulary()), fixed_rows);

  // Unstemmed (no display forms to count): the plain learned path.
  options.stem = false;
  const auto unstemmed = std::make_shared<MultilingualAnalyzer>(options);
  ASSERT_FALSE(unstemmed->has_display_forms());
  std::vector<std::map<std::string, std::int32_t>> unstemmed_rows;
  for (const auto& doc : docs) {
    auto state = unstemmed->new_state();
    std::map<std::string, std::int32_t> row;
    unstemmed->analyze_document(TextRef::utf8(doc), *state,
                                [&](std::string_view term, std::string_view, TermMemo*) { ++row[std::string(term)]; });
    unstemmed_rows.push_back(std::move(row));
  }
  EXPECT_EQ(count_multilingual(TermCounter(unstemmed), docs).rows, unstemmed_rows);
}

TEST(TermCounterMemo, DisplayFormsPerLanguageEqualAPerOccurrenceReference) {
  ThreadCountGuard guard;
  // The same corpus, one document in three said to be English: each language's own
  // choice (with its own memos and stems), the corpus-wide one over both.
  const auto docs = french_corpus(14000);
  ASSERT_TRUE(spans_several_chunks(docs));
  std::vector<std::string_view> languages;
  for (std::size_t i = 0; i < docs.size(); ++i) languages.push_back(i % 3 == 0 ? "en" : "fr");
  MultilingualOptions options;  // language "auto": the codes given are the documents'
  options.fold_accents = true;
  const auto analyzer = std::make_shared<MultilingualAnalyzer>(options);

  using Surfaces = std::map<std::string, std::map<std::string, std::int64_t>>;  // term -> surface -> n
  std::map<std::string, Surfaces> per_language;
  Surfaces all;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    auto state = analyzer->new_state();
    analyzer->analyze_document_in(TextRef::utf8(docs[i]), languages[i], *state,
                                  [&](std::string_view term, std::string_view surface, TermMemo*) {
                                    ++per_language[std::string(languages[i])][std::string(term)][std::string(surface)];
                                    ++all[std::string(term)][std::string(surface)];
                                  });
  }
  // The word written most often whatever its case, then its most frequent case; ties: the smallest.
  auto choose = [](const std::map<std::string, std::int64_t>& counts) {
    std::map<std::string, std::int64_t> totals;
    for (const auto& [surface, n] : counts) totals[unicode::casefold_utf8(surface)] += n;
    std::string word, form;
    std::int64_t best = -1;
    for (const auto& [key, n] : totals) {
      if (n > best) best = n, word = key;
    }
    best = -1;
    for (const auto& [surface, n] : counts) {
      if (unicode::casefold_utf8(surface) == word && n > best) best = n, form = surface;
    }
    return form;
  };
  std::set<std::tuple<std::string, std::string, std::string>> expected;  // language, term, form
  for (const auto& [language, surfaces] : per_language) {
    for (const auto& [term, counts] : surfaces) {
      if (choose(counts) != choose(all.at(term))) expected.insert({language, term, choose(counts)});
    }
  }
  ASSERT_FALSE(expected.empty());  // the two stemmers leave some term a form of its own: a real check
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    TermCounter counter(analyzer);
    const auto refs = refs_of(docs);
    counter.add_documents(refs, languages);
    std::set<std::tuple<std::string, std::string, std::string>> got;
    for (const auto& f : counter.display_forms_by_language()) {
      got.insert({f.language, std::string(counter.vocabulary().term(f.column)), f.form});
    }
    EXPECT_EQ(got, expected) << threads << " threads";
    // and the corpus-wide forms over both languages
    const auto forms = counter.display_forms();
    for (std::size_t i = 0; i < forms.size(); ++i) {
      EXPECT_EQ(forms[i], choose(all.at(std::string(counter.vocabulary().term(static_cast<TermId>(i))))));
    }
  }
  // A fixed language shares its memos across the codes given: one language "" only.
  MultilingualOptions french = options;
  french.language = "fr";
  TermCounter fixed(std::make_shared<MultilingualAnalyzer>(french));
  const auto refs = refs_of(docs);
  fixed.add_documents(refs, languages);
  EXPECT_TRUE(fixed.display_forms_by_language().empty());
}

}  // namespace
}  // namespace themescope
