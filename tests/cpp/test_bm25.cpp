// BM25: a hand-worked example of Lucene's formula, the inverted index against a
// brute-force ranking, thread counts, and bad input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/bm25.hpp"
#include "themescope/csr.hpp"
#include "themescope/parallel.hpp"

namespace themescope {
namespace {

using Dense = std::vector<std::vector<double>>;

CsrMatrix<double, std::int64_t, std::int64_t> to_csr(const Dense& rows, std::int64_t n_cols) {
  CsrMatrix<double, std::int64_t, std::int64_t> m;
  m.n_rows = static_cast<std::int64_t>(rows.size());
  m.n_cols = n_cols;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (row[c] != 0.0) {
        m.indices.push_back(static_cast<std::int64_t>(c));
        m.data.push_back(row[c]);
      }
    }
    m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
  }
  return m;
}

CountsView view(const CsrMatrix<double, std::int64_t, std::int64_t>& m) {
  return {m.n_rows, m.n_cols, m.indptr, m.indices, m.data};
}

// Three documents over terms (cat, dog, fish):
//   d0 = cat cat dog (length 3), d1 = dog (1), d2 = fish fish fish fish dog (5); avgdl = 3.
TEST(Bm25, HandWorkedLuceneWeights) {
  const auto counts = to_csr({{2, 1, 0}, {0, 1, 0}, {0, 1, 4}}, 3);
  const auto stats = bm25_statistics(view(counts));
  EXPECT_EQ(stats.n_documents, 3);
  EXPECT_DOUBLE_EQ(stats.average_length, 3.0);
  // cat: df 1 -> log(1 + 2.5 / 1.5) = log(8/3); dog: df 3 -> log(1 + 0.5 / 3.5) = log(8/7).
  EXPECT_NEAR(stats.idf[0], std::log(8.0 / 3.0), 1e-15);
  EXPECT_NEAR(stats.idf[1], std::log(8.0 / 7.0), 1e-15);
  EXPECT_NEAR(stats.idf[2], std::log(8.0 / 3.0), 1e-15);
  const auto w = bm25_weights(view(counts), stats, Bm25Parameters{1.2, 0.75});
  ASSERT_EQ(w.size(), 5u);
  // d0: |d| / avgdl = 1, norm = 1.2; cat: 2 / 3.2, dog: 1 / 2.2.
  EXPECT_NEAR(w[0], std::log(8.0 / 3.0) * 2.0 / 3.2, 1e-15);
  EXPECT_NEAR(w[1], std::log(8.0 / 7.0) * 1.0 / 2.2, 1e-15);
  // d1: norm = 1.2 * (0.25 + 0.75 / 3) = 0.6; dog: 1 / 1.6.
  EXPECT_NEAR(w[2], std::log(8.0 / 7.0) / 1.6, 1e-15);
  // d2: norm = 1.2 * (0.25 + 0.75 * 5 / 3) = 1.8; dog 1 / 2.8, fish 4 / 5.8.
  EXPECT_NEAR(w[3], std::log(8.0 / 7.0) / 2.8, 1e-15);
  EXPECT_NEAR(w[4], std::log(8.0 / 3.0) * 4.0 / 5.8, 1e-15);
}

TEST(Bm25, ParametersAtTheirLimits) {
  const auto counts = to_csr({{2, 1}, {0, 3}}, 2);
  const auto stats = bm25_statistics(view(counts));
  // k1 = 0: tf is ignored, every weight is the idf.
  const auto flat = bm25_weights(view(counts), stats, Bm25Parameters{0.0, 0.75});
  EXPECT_DOUBLE_EQ(flat[0], stats.idf[0]);
  EXPECT_DOUBLE_EQ(flat[2], stats.idf[1]);
  // b = 0: no length normalisation, tf / (tf + k1).
  const auto no_length = bm25_weights(view(counts), stats, Bm25Parameters{1.0, 0.0});
  EXPECT_DOUBLE_EQ(no_length[2], stats.idf[1] * 3.0 / 4.0);
  EXPECT_THROW(bm25_weights(view(counts), stats, Bm25Parameters{-1.0, 0.5}), std::invalid_argument);
  EXPECT_THROW(bm25_weights(view(counts), stats, Bm25Parameters{1.2, 1.5}), std::invalid_argument);
  EXPECT_THROW(bm25_weights(view(counts), stats, Bm25Parameters{std::nan(""), 0.5}), std::invalid_argument);
}

TEST(Bm25, EmptyDocumentsHaveNoLengthNormalisation) {
  const auto counts = to_csr({{0, 0}, {0, 0}}, 2);
  const auto stats = bm25_statistics(view(counts));
  EXPECT_EQ(stats.average_length, 0.0);
  EXPECT_TRUE(bm25_weights(view(counts), stats, Bm25Parameters{}).empty());
}

TEST(Bm25, BadCounts) {
  auto counts = to_csr({{2, 1}, {0, 3}}, 2);
  counts.data[0] = -1.0;
  EXPECT_THROW(bm25_statistics(view(counts)), std::invalid_argument);
  counts.data[0] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(bm25_statistics(view(counts)), std::invalid_argument);
  counts.data[0] = 1.0;
  counts.indices[0] = 7;
  EXPECT_THROW(bm25_statistics(view(counts)), std::invalid_argument);
}

TEST(InvertedIndex, RanksOnlyMatchingDocumentsTiesByIndex) {
  const auto weights = to_csr({{1.0, 0.0, 0.0}, {0.0, 2.0, 0.0}, {1.0, 0.0, 0.0}, {0.0, 0.0, 5.0}}, 3);
  const InvertedIndex index(view(weights));
  // Query 0: term 0 -> documents 0 and 2 tie at 1 (lower index first); then nothing: -1 / NaN.
  // Query 1: terms 0 (x2) and 1 -> 1: 2.0, 0: 2.0, 2: 2.0 -> by index.
  // Query 2: no stored entry -> nothing.
  const auto queries = to_csr({{1.0, 0.0, 0.0}, {2.0, 1.0, 0.0}, {0.0, 0.0, 0.0}}, 3);
  const auto r = index.search(view(queries), 3);
  EXPECT_EQ(r.indices, (std::vector<std::int64_t>{0, 2, -1, 0, 1, 2, -1, -1, -1}));
  EXPECT_DOUBLE_EQ(r.scores[0], 1.0);
  EXPECT_DOUBLE_EQ(r.scores[1], 1.0);
  EXPECT_TRUE(std::isnan(r.scores[2]));
  EXPECT_DOUBLE_EQ(r.scores[3], 2.0);
  EXPECT_TRUE(std::isnan(r.scores[6]));
}

TEST(InvertedIndex, EqualsBruteForceWhateverTheThreads) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> value(0.1, 3.0);
  std::bernoulli_distribution present(0.08);
  const std::int64_t n_docs = 300, n_terms = 60, n_queries = 40, k = 7;
  Dense docs(n_docs, std::vector<double>(n_terms, 0.0)), queries(n_queries, std::vector<double>(n_terms, 0.0));
  for (auto& row : docs) for (auto& v : row) if (present(random)) v = value(random);
  for (auto& row : queries) for (auto& v : row) if (present(random)) v = std::floor(value(random));
  const auto W = to_csr(docs, n_terms);
  const auto Q = to_csr(queries, n_terms);
  const InvertedIndex index(view(W));
  const int threads_before = get_num_threads();
  set_num_threads(1);
  const auto one = index.search(view(Q), k);
  set_num_threads(3);
  const auto three = index.search(view(Q), k);
  set_num_threads(threads_before);
  EXPECT_EQ(one.indices, three.indices);
  // Rebuilt from its postings (a saved collection): the same bits, and the postings are the
  // transposed weights.
  const CountsView p = index.postings();
  ASSERT_EQ(p.n_rows, n_terms);
  ASSERT_EQ(p.n_cols, n_docs);
  for (std::int64_t t = 0; t < n_terms; ++t) {
    std::int64_t expected = 0;
    for (std::int64_t d = 0; d < n_docs; ++d) expected += docs[d][t] != 0.0;
    EXPECT_EQ(p.indptr[t + 1] - p.indptr[t], expected);
  }
  const InvertedIndex again = InvertedIndex::from_postings(p);
  const auto rebuilt = again.search(view(Q), k);
  EXPECT_EQ(rebuilt.indices, one.indices);
  for (std::size_t i = 0; i < one.scores.size(); ++i) {
    EXPECT_TRUE(rebuilt.scores[i] == one.scores[i] || (std::isnan(rebuilt.scores[i]) && std::isnan(one.scores[i])));
  }
  for (std::size_t i = 0; i < one.scores.size(); ++i) {
    if (std::isnan(one.scores[i])) {
      EXPECT_TRUE(std::isnan(three.scores[i]));
    } else {
      EXPECT_EQ(one.scores[i], three.scores[i]);  // bit for bit
    }
  }
  for (std::int64_t q = 0; q < n_queries; ++q) {
    std::vector<std::pair<double, std::int64_t>> all;
    for (std::int64_t d = 0; d < n_docs; ++d) {
      double s = 0.0;
      for (std::int64_t t = 0; t < n_terms; ++t) s += queries[q][t] * docs[d][t];
      if (s > 0.0) all.emplace_back(-s, d);
    }
    std::sort(all.begin(), all.end());
    for (std::int64_t i = 0; i < k; ++i) {
      const auto at = static_cast<std::size_t>(q * k + i);
      if (i < static_cast<std::int64_t>(all.size())) {
        EXPECT_NEAR(one.scores[at], -all[i].first, 1e-12);
        if (i + 1 < static_cast<std::int64_t>(all.size()) && std::abs(all[i].first - all[i + 1].first) > 1e-9 &&
            (i == 0 || std::abs(all[i].first - all[i - 1].first) > 1e-9)) {
          EXPECT_EQ(one.indices[at], all[i].second);
        }
      } else {
        EXPECT_EQ(one.indices[at], -1);
      }
    }
  }
}

// Postings built in row blocks, one per thread (a block per 2^18 entries at most): the same
// bits as a serial transposition whatever the thread count, each term's documents in order.
TEST(InvertedIndex, PostingsOfRowBlocksAreTheTransposedWeights) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> value(0.1, 3.0);
  std::bernoulli_distribution present(0.5);
  const std::int64_t n_docs = 3001, n_terms = 401;  // ~600,000 entries: up to 2 blocks
  Dense docs(n_docs, std::vector<double>(n_terms, 0.0));
  for (auto& row : docs) for (auto& v : row) if (present(random)) v = value(random);
  docs[1500].assign(n_terms, 0.0);  // an empty document inside a block
  const auto W = to_csr(docs, n_terms);
  ASSERT_GT(W.data.size(), std::size_t{2} << 18);
  const int threads_before = get_num_threads();
  for (const int threads : {1, 2, 3}) {
    set_num_threads(threads);
    const InvertedIndex index(view(W));
    const CountsView p = index.postings();
    std::size_t e = 0;
    for (std::int64_t t = 0; t < n_terms; ++t) {
      ASSERT_EQ(p.indptr[static_cast<std::size_t>(t)], static_cast<std::int64_t>(e));
      for (std::int64_t d = 0; d < n_docs; ++d) {
        const double w = docs[static_cast<std::size_t>(d)][static_cast<std::size_t>(t)];
        if (w == 0.0) continue;
        ASSERT_EQ(p.indices[e], d) << threads << " threads, term " << t;
        ASSERT_EQ(p.data[e], w);
        ++e;
      }
    }
    ASSERT_EQ(e, W.data.size());
  }
  set_num_threads(threads_before);
}

// Documents (cat, dog, fish), groups {0, 1, 0, 2}: d0 = cat dog, d1 = dog, d2 = dog fish, d3 = cat.
TEST(Bm25, GroupDocumentFrequenciesHandWorked) {
  const auto counts = to_csr({{2, 1, 0}, {0, 1, 0}, {0, 3, 1}, {1, 0, 0}}, 3);
  const std::vector<std::int32_t> groups{0, 1, 0, 2};
  const auto df = bm25_group_document_frequencies(view(counts), groups, 4);
  EXPECT_EQ(df, (std::vector<std::int64_t>{1, 2, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0}));
  const std::vector<std::int32_t> outside{0, 1, 4, 0};
  EXPECT_THROW(bm25_group_document_frequencies(view(counts), outside, 4), std::invalid_argument);
  const std::vector<std::int32_t> short_groups{0, 1};
  EXPECT_THROW(bm25_group_document_frequencies(view(counts), short_groups, 4), std::invalid_argument);
}

TEST(InvertedIndex, BadInput) {
  auto weights = to_csr({{1.0, 0.0}, {0.0, 2.0}}, 2);
  const InvertedIndex index(view(weights));
  const auto wrong_width = to_csr({{1.0, 0.0, 1.0}}, 3);
  EXPECT_THROW(index.search(view(wrong_width), 1), std::invalid_argument);
  const auto ok = to_csr({{1.0, 0.0}}, 2);
  EXPECT_THROW(index.search(view(ok), 0), std::invalid_argument);
  EXPECT_THROW(index.search(view(ok), 3), std::invalid_argument);  // two documents
  EXPECT_THROW(index.search(view(ok), std::int64_t{1} << 62), std::invalid_argument);
  auto negative = to_csr({{-1.0, 0.0}}, 2);
  EXPECT_THROW(index.search(view(negative), 1), std::invalid_argument);
  weights.data[0] = 0.0;  // a zero weight would rank a document that shares nothing
  EXPECT_THROW(InvertedIndex{view(weights)}, std::invalid_argument);
  // Postings from outside: checked like weights, and each term's documents strictly increasing.
  auto postings = to_csr({{1.0, 2.0}, {0.0, 3.0}}, 2);
  EXPECT_NO_THROW(InvertedIndex::from_postings(view(postings)));
  postings.indices[1] = 0;  // term 0 lists document 0 twice
  EXPECT_THROW(InvertedIndex::from_postings(view(postings)), std::invalid_argument);
  postings.indices[1] = 5;  // no such document
  EXPECT_THROW(InvertedIndex::from_postings(view(postings)), std::invalid_argument);
  postings.indices[1] = 1;
  postings.data[2] = -3.0;
  EXPECT_THROW(InvertedIndex::from_postings(view(postings)), std::invalid_argument);
}

// Found by fuzz_bm25: a row repeating a column (an uncanonical CSR) counted twice
// in df, so df exceeded the number of documents and idf and weights went negative.
TEST(Bm25, RepeatedColumnInARowCountsItsDocumentOnce) {
  CsrMatrix<double, std::int64_t, std::int64_t> counts;
  counts.n_rows = 2;
  counts.n_cols = 2;
  counts.indptr = {0, 3, 4};
  counts.indices = {0, 0, 0, 1};
  counts.data = {1, 2, 4, 1};
  const auto stats = bm25_statistics(view(counts));
  EXPECT_NEAR(stats.idf[0], std::log1p(1.5 / 1.5), 1e-15);  // df 1 of 2 documents
  for (const double w : bm25_weights(view(counts), stats, Bm25Parameters{0.0, 0.0})) EXPECT_GT(w, 0.0);
}

// Counts beyond 2^53 are not counts; their sums and weights would overflow to infinity.
TEST(Bm25, CountsBeyondTwoToThe53AreRefused) {
  auto counts = to_csr({{1, 0}, {0, 1}}, 2);
  counts.data[1] = std::numeric_limits<double>::max();
  EXPECT_THROW(bm25_statistics(view(counts)), std::invalid_argument);
  const auto fine = to_csr({{1, 0}, {0, 1}}, 2);
  EXPECT_THROW(bm25_weights(view(counts), bm25_statistics(view(fine)), Bm25Parameters{}), std::invalid_argument);
  counts.data[1] = 9007199254740992.0;  // 2^53 itself is a count
  EXPECT_NO_THROW(bm25_statistics(view(counts)));
}

}  // namespace
}  // namespace themescope
