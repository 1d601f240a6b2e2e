// Top-k similarity: hand-worked rankings (ties, zero scores, thresholds,
// exclude_self, k limits), both ranking paths, thread counts, bad input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/csr.hpp"
#include "themescope/parallel.hpp"
#include "themescope/similarity.hpp"

namespace themescope {
namespace {

using Dense = std::vector<std::vector<double>>;
using I64 = std::vector<std::int64_t>;
using F64 = std::vector<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// CSR of a dense matrix, zeros not stored.
template <class Real = double, class Index = std::int32_t>
CsrMatrix<Real, Index, Index> to_csr(const Dense& rows, std::int64_t n_cols) {
  CsrMatrix<Real, Index, Index> m;
  m.n_rows = static_cast<std::int64_t>(rows.size());
  m.n_cols = n_cols;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (row[c] != 0.0) {
        m.indices.push_back(static_cast<Index>(c));
        m.data.push_back(static_cast<Real>(row[c]));
      }
    }
    m.indptr.push_back(static_cast<Index>(m.indices.size()));
  }
  return m;
}

template <class Real, class Index>
CsrView<const Real, Index, Index> view(const CsrMatrix<Real, Index, Index>& m) {
  return {m.n_rows, m.n_cols, m.indptr, m.indices, m.data};
}

TopKOptions options(std::int64_t k, bool exclude_self = false,
                    double min_score = -std::numeric_limits<double>::infinity()) {
  TopKOptions o;
  o.k = k;
  o.exclude_self = exclude_self;
  o.min_score = min_score;
  return o;
}

I64 row_indices(const TopKResult& r, std::int64_t row) {
  return {r.indices.begin() + row * r.k, r.indices.begin() + (row + 1) * r.k};
}

F64 row_scores(const TopKResult& r, std::int64_t row) {
  return {r.scores.begin() + row * r.k, r.scores.begin() + (row + 1) * r.k};
}

// Scores compared as written, NaN equal to NaN (the padding).
void expect_scores(const F64& actual, const F64& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "position " << i << ": " << actual[i];
    } else {
      EXPECT_EQ(actual[i], expected[i]) << "position " << i;
    }
  }
}

// Five documents over three terms:
//   r0 = r1 = (1, 0, 0), r2 = (0, 1, 0), r3 = (.5, .5, 0), r4 empty.
const Dense kFive = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0.5, 0.5, 0}, {0, 0, 0}};

TEST(TopKSimilar, SelfJoinRanksByScoreThenIndexWithZeroScoresAsNeighbours) {
  const auto x = to_csr(kFive, 3);
  const auto r = top_k_similar(view(x), view(x), options(4, true));
  ASSERT_EQ(r.n_rows, 5);
  ASSERT_EQ(r.k, 4);
  // r0: r1 scores 1, r3 .5, r2 and r4 nothing in common (0), lower index first.
  EXPECT_EQ(row_indices(r, 0), (I64{1, 3, 2, 4}));
  expect_scores(row_scores(r, 0), {1.0, 0.5, 0.0, 0.0});
  // r1: its twin r0 first.
  EXPECT_EQ(row_indices(r, 1), (I64{0, 3, 2, 4}));
  // r2: r3 (.5), then the zeros 0, 1, 4.
  EXPECT_EQ(row_indices(r, 2), (I64{3, 0, 1, 4}));
  expect_scores(row_scores(r, 2), {0.5, 0.0, 0.0, 0.0});
  // r3: r0 and r1 tie at .5 with r2: lower index first; the empty row scores 0.
  EXPECT_EQ(row_indices(r, 3), (I64{0, 1, 2, 4}));
  expect_scores(row_scores(r, 3), {0.5, 0.5, 0.5, 0.0});
  // The empty row: everybody scores 0, in index order, itself left out.
  EXPECT_EQ(row_indices(r, 4), (I64{0, 1, 2, 3}));
  expect_scores(row_scores(r, 4), {0.0, 0.0, 0.0, 0.0});
}

TEST(TopKSimilar, WithoutExcludeSelfARowMayBeItsOwnNeighbour) {
  const auto x = to_csr(kFive, 3);
  const auto r = top_k_similar(view(x), view(x), options(2, false));
  EXPECT_EQ(row_indices(r, 0), (I64{0, 1}));   // r0 . r0 = r0 . r1 = 1: lower index first
  // r3 . r3 = .5 ties with r0, r1 and r2: being itself earns no precedence.
  EXPECT_EQ(row_indices(r, 3), (I64{0, 1}));
  expect_scores(row_scores(r, 3), {0.5, 0.5});
  EXPECT_EQ(row_indices(r, 2), (I64{2, 3}));  // r2 . r2 = 1, then r3
}

TEST(TopKSimilar, ThresholdDropsLowerScoresAndPadsTheRow) {
  const auto x = to_csr(kFive, 3);
  const auto half = top_k_similar(view(x), view(x), options(3, true, 0.5));
  EXPECT_EQ(row_indices(half, 0), (I64{1, 3, -1}));
  expect_scores(row_scores(half, 0), {1.0, 0.5, kNaN});
  EXPECT_EQ(row_indices(half, 4), (I64{-1, -1, -1}));
  expect_scores(row_scores(half, 4), {kNaN, kNaN, kNaN});

  const auto above = top_k_similar(view(x), view(x), options(3, true, 0.6));
  EXPECT_EQ(row_indices(above, 0), (I64{1, -1, -1}));
  EXPECT_EQ(row_indices(above, 2), (I64{-1, -1, -1}));

  // A threshold of 0 keeps zero scores: they satisfy score >= threshold.
  const auto zero = top_k_similar(view(x), view(x), options(4, true, 0.0));
  EXPECT_EQ(row_indices(zero, 2), (I64{3, 0, 1, 4}));
}

TEST(TopKSimilar, NegativeScoresRankBelowZeroScores) {
  // The query (1, 1) against: c0 empty (0), c1 = (1, -1) cancels to exactly 0,
  // c2 = (0, 1) scores 1, c3 = (-3, 0) scores -3, c4 = (1, -2) scores -1.
  const auto corpus = to_csr({{0, 0}, {1, -1}, {0, 1}, {-3, 0}, {1, -2}}, 2);
  const auto query = to_csr({{1, 1}}, 2);
  const auto r = top_k_similar(view(query), view(corpus), options(5));
  EXPECT_EQ(row_indices(r, 0), (I64{2, 0, 1, 4, 3}));
  expect_scores(row_scores(r, 0), {1.0, 0.0, 0.0, -1.0, -3.0});

  const auto top3 = top_k_similar(view(query), view(corpus), options(3));
  EXPECT_EQ(row_indices(top3, 0), (I64{2, 0, 1}));
  // A negative threshold keeps the negatives above it.
  const auto above = top_k_similar(view(query), view(corpus), options(5, false, -1.0));
  EXPECT_EQ(row_indices(above, 0), (I64{2, 0, 1, 4, -1}));
}

TEST(TopKSimilar, QueriesAgainstACorpusKeepEveryCandidateUnlessAsked) {
  const auto corpus = to_csr(kFive, 3);
  const auto queries = to_csr({{1, 0, 0}, {0, 0, 2}}, 3);
  const auto r = top_k_similar(view(queries), view(corpus), options(5));
  EXPECT_EQ(row_indices(r, 0), (I64{0, 1, 3, 2, 4}));
  expect_scores(row_scores(r, 0), {1.0, 1.0, 0.5, 0.0, 0.0});
  // No corpus row has term 2: all zeros, by index.
  EXPECT_EQ(row_indices(r, 1), (I64{0, 1, 2, 3, 4}));

  // exclude_self with separate query buffers: query i never gets corpus row i.
  const auto excluded = top_k_similar(view(queries), view(corpus), options(4, true));
  EXPECT_EQ(row_indices(excluded, 0), (I64{1, 3, 2, 4}));
  EXPECT_EQ(row_indices(excluded, 1), (I64{0, 2, 3, 4}));
}

TEST(TopKSimilar, KLimits) {
  const auto x = to_csr(kFive, 3);
  EXPECT_THROW(top_k_similar(view(x), view(x), options(0, true)), std::invalid_argument);
  EXPECT_THROW(top_k_similar(view(x), view(x), options(-3, false)), std::invalid_argument);
  EXPECT_THROW(top_k_similar(view(x), view(x), options(5, true)), std::invalid_argument);  // 4 candidates
  EXPECT_NO_THROW(top_k_similar(view(x), view(x), options(4, true)));
  EXPECT_NO_THROW(top_k_similar(view(x), view(x), options(5, false)));
  EXPECT_THROW(top_k_similar(view(x), view(x), options(6, false)), std::invalid_argument);
  // k = n - 1 in the self-join: every other row, each exactly once.
  const auto all = top_k_similar(view(x), view(x), options(4, true));
  for (std::int64_t q = 0; q < 5; ++q) {
    auto got = row_indices(all, q);
    std::sort(got.begin(), got.end());
    I64 expected;
    for (std::int64_t j = 0; j < 5; ++j) {
      if (j != q) expected.push_back(j);
    }
    EXPECT_EQ(got, expected) << "row " << q;
  }
  // One row has no other row to be similar to.
  const auto single = to_csr({{1, 0}}, 2);
  EXPECT_THROW(top_k_similar(view(single), view(single), options(1, true)), std::invalid_argument);
  EXPECT_EQ(row_indices(top_k_similar(view(single), view(single), options(1, false)), 0), (I64{0}));
}

TEST(TopKSimilar, NoQueriesGiveAnEmptyResult) {
  const auto corpus = to_csr(kFive, 3);
  const auto none = to_csr({}, 3);
  const auto r = top_k_similar(view(none), view(corpus), options(2));
  EXPECT_EQ(r.n_rows, 0);
  EXPECT_TRUE(r.indices.empty());
  EXPECT_TRUE(r.scores.empty());
}

TEST(TopKSimilar, BadInputThrows) {
  const auto x = to_csr(kFive, 3);
  const auto wide = to_csr({{1, 0, 0, 1}}, 4);
  EXPECT_THROW(top_k_similar(view(wide), view(x), options(1)), std::invalid_argument);

  auto nan = to_csr(kFive, 3);
  nan.data[2] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(top_k_similar(view(nan), view(nan), options(1, true)), std::invalid_argument);
  auto inf = to_csr(kFive, 3);
  inf.data[0] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(top_k_similar(view(x), view(inf), options(1)), std::invalid_argument);
  EXPECT_THROW(top_k_similar(view(inf), view(x), options(1)), std::invalid_argument);

  auto column = to_csr(kFive, 3);
  column.indices[1] = 3;
  EXPECT_THROW(top_k_similar(view(column), view(column), options(1, true)), std::invalid_argument);
  column.indices[1] = -1;
  EXPECT_THROW(top_k_similar(view(column), view(column), options(1, true)), std::invalid_argument);

  auto pointers = to_csr(kFive, 3);
  pointers.indptr[2] = pointers.indptr[1] - 1;
  EXPECT_THROW(top_k_similar(view(pointers), view(pointers), options(1, true)), std::invalid_argument);
  auto short_end = to_csr(kFive, 3);
  short_end.indptr.back() -= 1;
  EXPECT_THROW(top_k_similar(view(short_end), view(short_end), options(1, true)), std::invalid_argument);

  auto nan_threshold = options(1, true);
  nan_threshold.min_score = kNaN;
  EXPECT_THROW(top_k_similar(view(x), view(x), nan_threshold), std::invalid_argument);
}

// ---- against brute force, on random integer matrices (every sum exact, so ties are real)

Dense random_integers(std::size_t rows, std::size_t cols, double density, int lo, int hi, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<int> value(lo, hi);
  Dense m(rows, std::vector<double>(cols, 0.0));
  for (auto& row : m) {
    for (auto& v : row) {
      if (coin(rng) < density) v = value(rng);
    }
  }
  // Duplicate rows: ties between different indices.
  for (std::size_t r = 1; r < rows; r += 7) m[r] = m[r - 1];
  return m;
}

// Sorts every candidate's full dense score.
TopKResult brute_force(const Dense& queries, const Dense& corpus, const TopKOptions& o) {
  TopKResult r;
  r.n_rows = static_cast<std::int64_t>(queries.size());
  r.k = o.k;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    std::vector<std::pair<double, std::int64_t>> all;
    for (std::size_t j = 0; j < corpus.size(); ++j) {
      if (o.exclude_self && j == q) continue;
      double s = 0.0;
      for (std::size_t c = 0; c < corpus[j].size(); ++c) s += queries[q][c] * corpus[j][c];
      if (s >= o.min_score) all.emplace_back(-s, static_cast<std::int64_t>(j));
    }
    std::sort(all.begin(), all.end());
    for (std::int64_t i = 0; i < o.k; ++i) {
      const bool have = i < static_cast<std::int64_t>(all.size());
      r.indices.push_back(have ? all[static_cast<std::size_t>(i)].second : -1);
      r.scores.push_back(have ? -all[static_cast<std::size_t>(i)].first : kNaN);
    }
  }
  return r;
}

void expect_same(const TopKResult& a, const TopKResult& b) {
  ASSERT_EQ(a.n_rows, b.n_rows);
  ASSERT_EQ(a.k, b.k);
  EXPECT_EQ(a.indices, b.indices);
  expect_scores(a.scores, b.scores);
}

TEST(TopKSimilar, EqualsBruteForceOnEveryPathAndThreadCount) {
  testing::ThreadCountGuard guard;
  constexpr double inf = std::numeric_limits<double>::infinity();
  // With negative values the frequent-term shortcut stays off; with values >= 0
  // it runs whenever its bounds allow (fractions 0.05 and 0.3 make many terms frequent).
  for (const int lowest : {-2, 0}) {
    const Dense x = random_integers(150, 40, 0.08, lowest, 3, 7);
    const auto csr = to_csr(x, 40);
    for (const double threshold : {-inf, -1.0, 0.0, 2.0, 5.0}) {
      for (const std::int64_t k : {1, 5, 149}) {
        const auto o = options(k, true, threshold);
        const auto expected = brute_force(x, x, o);
        for (const double dense_fraction : {0.0, 0.125, inf}) {
          for (const double frequent_fraction : {0.05, 0.3, inf}) {
            // 0: row by row; 7: groups over many tiles; 2048: one tile
            for (const std::size_t tile_rows : {std::size_t{0}, std::size_t{7}, std::size_t{2048}}) {
              for (const int threads : {1, 2, 3}) {
                set_num_threads(threads);
                auto oo = o;
                oo.dense_scan_fraction = dense_fraction;
                oo.frequent_term_fraction = frequent_fraction;
                oo.tile_rows = tile_rows;
                SCOPED_TRACE(::testing::Message()
                             << "lowest " << lowest << " threshold " << threshold << " k " << k << " dense "
                             << dense_fraction << " frequent " << frequent_fraction << " tile " << tile_rows
                             << " threads " << threads);
                expect_same(top_k_similar(view(csr), view(csr), oo), expected);
              }
            }
          }
        }
      }
    }
  }
}

// Values uniform in [0, 1); column c stored in a row with probability presence(c).
template <class Presence>
Dense random_reals(std::size_t rows, std::size_t cols, unsigned seed, Presence presence) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Dense x(rows, std::vector<double>(cols, 0.0));
  for (auto& row : x) {
    for (std::size_t c = 0; c < cols; ++c) {
      if (unit(rng) < presence(c)) row[c] = unit(rng);
    }
  }
  return x;
}

// Real-valued scores: the shortcut's exact rescoring must give the very bits of
// the full computation, so results are equal, not just close.
TEST(TopKSimilar, FrequentTermShortcutGivesTheSameBits) {
  const std::size_t cols = 60;
  // column c is in about 1/(c+1) of the rows: a few frequent terms, many rare ones
  const Dense x = random_reals(400, cols, 3, [](std::size_t c) { return 0.9 / static_cast<double>(c + 1); });
  const auto csr = to_csr(x, static_cast<std::int64_t>(cols));
  for (const double threshold : {-std::numeric_limits<double>::infinity(), 0.3}) {
    auto plain = options(10, true, threshold);
    plain.frequent_term_fraction = std::numeric_limits<double>::infinity();
    const auto expected = top_k_similar(view(csr), view(csr), plain);
    for (const double fraction : {0.02, 0.1, 0.5}) {
      auto o = plain;
      o.frequent_term_fraction = fraction;
      const auto got = top_k_similar(view(csr), view(csr), o);
      EXPECT_EQ(got.indices, expected.indices) << fraction;
      for (std::size_t i = 0; i < got.scores.size(); ++i) {
        if (std::isnan(expected.scores[i])) {
          EXPECT_TRUE(std::isnan(got.scores[i]));
        } else {
          ASSERT_EQ(got.scores[i], expected.scores[i]) << "fraction " << fraction << " entry " << i;
        }
      }
    }
  }
}

// Real-valued scores: rows computed in groups over tiles get the very bits of the
// row-by-row computation, whether a term is shared by the group or not.
TEST(TopKSimilar, GroupedRowsGiveTheSameBits) {
  testing::ThreadCountGuard guard;
  const std::size_t rows = 300, cols = 40;
  // a few terms in most rows (shared within a group), many rare ones
  Dense x = random_reals(rows, cols, 5, [](std::size_t c) { return c < 4 ? 0.8 : 1.5 / static_cast<double>(c + 1); });
  for (std::size_t r = 3; r < rows; r += 11) x[r] = x[r - 3];  // exact ties
  const auto csr = to_csr(x, static_cast<std::int64_t>(cols));
  const Dense queries(x.begin(), x.begin() + 37);  // 37: the last group is not full
  const auto query_csr = to_csr(queries, static_cast<std::int64_t>(cols));
  for (const double threshold : {-std::numeric_limits<double>::infinity(), 0.0, 0.4, 5.0}) {
    for (const bool self_join : {true, false}) {
      auto plain = options(12, self_join, threshold);
      plain.tile_rows = 0;
      plain.dense_scan_fraction = 0.0;  // every row takes the full computation
      plain.frequent_term_fraction = std::numeric_limits<double>::infinity();
      const auto q = self_join ? view(csr) : view(query_csr);
      set_num_threads(1);
      const auto expected = top_k_similar(q, view(csr), plain);
      for (const std::size_t tile_rows : {std::size_t{1}, std::size_t{16}, std::size_t{299}, std::size_t{4096}}) {
        for (const int threads : {1, 2}) {
          set_num_threads(threads);
          auto o = plain;
          o.tile_rows = tile_rows;
          const auto got = top_k_similar(q, view(csr), o);
          SCOPED_TRACE(::testing::Message() << "threshold " << threshold << " self " << self_join << " tile "
                                            << tile_rows << " threads " << threads);
          expect_same(got, expected);  // scores compared with ==: the same bits
        }
      }
    }
  }
}

// News-like rows: bases and edited copies of them (each keeps about 70% of its
// base's terms, reweighted), unit length, with a few frequent terms and many rare
// ones, and exact duplicates for ties. Neighbours then score high, which is where the
// bounded search answers rows.
Dense edited_copies(std::size_t bases, std::size_t copies, std::size_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Dense x;
  for (std::size_t b = 0; b < bases; ++b) {
    std::vector<double> base(cols, 0.0);
    for (std::size_t c = 0; c < cols; ++c) {
      // rarer columns weigh more, as with idf
      if (unit(rng) < std::min(0.6, 10.0 / static_cast<double>(c + 1))) base[c] = (0.2 + unit(rng)) * std::log(2.0 + c);
    }
    for (std::size_t copy = 0; copy < copies; ++copy) {
      std::vector<double> row(cols, 0.0);
      for (std::size_t c = 0; c < cols; ++c) {
        if (base[c] > 0.0 && (copy == 0 || unit(rng) < 0.7)) row[c] = base[c] * (0.5 + unit(rng));
      }
      double norm = 0.0;
      for (const double v : row) norm += v * v;
      for (double& v : row) v = norm > 0.0 ? v / std::sqrt(norm) : 0.0;
      x.push_back(row);
      if (copy == 1) x.push_back(row);  // an exact duplicate: tied scores
    }
  }
  return x;
}

// The bounded search answers most rows of news-like data, and every answer has the
// bits of the full computation (the strategies it falls back to are tested above).
TEST(TopKSimilar, BoundedSearchGivesTheSameBits) {
  testing::ThreadCountGuard guard;
  const std::size_t cols = 3000;
  const Dense x = edited_copies(120, 12, cols, 17);  // 1,560 rows
  const auto csr = to_csr(x, static_cast<std::int64_t>(cols));
  const Dense queries(x.begin(), x.begin() + 301);
  const auto query_csr = to_csr(queries, static_cast<std::int64_t>(cols));
  for (const double threshold : {-std::numeric_limits<double>::infinity(), 0.0, 0.6, 0.95}) {
    for (const std::int64_t k : {1, 10, 40}) {
      for (const bool self_join : {true, false}) {
        auto plain = options(k, self_join, threshold);
        plain.bounded_search = false;
        const auto q = self_join ? view(csr) : view(query_csr);
        set_num_threads(1);
        const auto expected = top_k_similar(q, view(csr), plain);
        EXPECT_EQ(expected.bounded_rows, 0);
        for (const int threads : {1, 2}) {
          set_num_threads(threads);
          auto o = plain;
          o.bounded_search = true;
          const auto got = top_k_similar(q, view(csr), o);
          SCOPED_TRACE(::testing::Message() << "threshold " << threshold << " k " << k << " self " << self_join
                                            << " threads " << threads);
          expect_same(got, expected);  // scores compared with ==: the same bits
          // the search took most rows (k = 40 exceeds the copies: its floor is too low)
          if (k <= 10) {
            EXPECT_GT(got.bounded_rows, q.n_rows * 3 / 4);
          }
        }
      }
    }
  }
}

// Up to 8 query rows are scored by scanning the corpus row by row: the bits of the
// full computation, zero scores placed by index, rows padded below min_score.
TEST(TopKSimilar, RowScanGivesTheSameBits) {
  testing::ThreadCountGuard guard;
  const std::size_t rows = 200, cols = 50;
  Dense x = random_reals(rows, cols, 23, [](std::size_t c) { return c < 3 ? 0.7 : 1.2 / static_cast<double>(c + 1); });
  for (std::size_t r = 5; r < rows; r += 13) x[r] = x[r - 5];  // exact ties
  x[1] = std::vector<double>(cols, 0.0);                        // an empty row: every score 0
  const auto csr = to_csr(x, static_cast<std::int64_t>(cols));
  for (const std::size_t n_queries : {std::size_t{1}, std::size_t{3}, std::size_t{8}}) {
    const Dense queries(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n_queries));
    const auto query_csr = to_csr(queries, static_cast<std::int64_t>(cols));
    for (const double threshold : {-std::numeric_limits<double>::infinity(), 0.0, 0.4, 5.0}) {
      for (const std::int64_t k : {1, 12, 199}) {
        for (const bool exclude_self : {false, true}) {
          auto plain = options(k, exclude_self, threshold);
          plain.row_scan = false;
          const auto expected = top_k_similar(view(query_csr), view(csr), plain);
          for (const int threads : {1, 2}) {
            set_num_threads(threads);
            auto o = plain;
            o.row_scan = true;
            SCOPED_TRACE(::testing::Message() << "queries " << n_queries << " threshold " << threshold << " k " << k
                                              << " exclude_self " << exclude_self << " threads " << threads);
            expect_same(top_k_similar(view(query_csr), view(csr), o), expected);
            expect_same(expected, brute_force(queries, x, o));
          }
        }
      }
    }
  }
}

// A stored 0 or a product that underflows leaves a reached row at score 0: the
// kernel must then track reached rows itself, and still equal brute force.
TEST(TopKSimilar, StoredZerosAndUnderflowingProductsEqualBruteForce) {
  testing::ThreadCountGuard guard;
  Dense x = random_integers(120, 30, 0.15, 0, 3, 9);
  for (auto& row : x) row[0] = 1.0;  // one frequent term, so the shortcut runs
  for (const bool underflow : {false, true}) {
    auto csr = to_csr(x, 30);
    if (underflow) {
      for (auto& v : csr.data) v *= 1e-170;  // products of 1e-340 round to 0
    } else {
      // every row stores an explicit 0 in column 29
      CsrMatrix<double, std::int32_t, std::int32_t> padded;
      padded.n_rows = csr.n_rows;
      padded.n_cols = csr.n_cols;  // indptr starts as {0}
      for (std::int64_t r = 0; r < csr.n_rows; ++r) {
        bool stored = false;
        for (auto e = csr.indptr[static_cast<std::size_t>(r)]; e < csr.indptr[static_cast<std::size_t>(r) + 1]; ++e) {
          if (csr.indices[static_cast<std::size_t>(e)] == 29) stored = true;
          padded.indices.push_back(csr.indices[static_cast<std::size_t>(e)]);
          padded.data.push_back(csr.data[static_cast<std::size_t>(e)]);
        }
        if (!stored) {
          padded.indices.push_back(29);
          padded.data.push_back(0.0);
        }
        padded.indptr.push_back(static_cast<std::int32_t>(padded.indices.size()));
      }
      csr = padded;
    }
    Dense scaled = x;
    if (underflow) {
      for (auto& row : scaled) {
        for (auto& v : row) v *= 1e-170;
      }
    }
    for (const std::int64_t k : {3, 119}) {
      const auto o = options(k, true);
      const auto expected = brute_force(scaled, scaled, o);
      for (const double frequent_fraction : {0.05, 0.5, std::numeric_limits<double>::infinity()}) {
        for (const std::size_t tile_rows : {std::size_t{0}, std::size_t{16}}) {
          for (const int threads : {1, 2}) {
            set_num_threads(threads);
            auto oo = o;
            oo.frequent_term_fraction = frequent_fraction;
            oo.tile_rows = tile_rows;
            SCOPED_TRACE(::testing::Message() << "underflow " << underflow << " k " << k << " frequent "
                                              << frequent_fraction << " tile " << tile_rows << " threads " << threads);
            expect_same(top_k_similar(view(csr), view(csr), oo), expected);
          }
        }
      }
    }
  }
}

// Values whose products overflow used to break the frequent-term shortcut: with an
// infinite partial score its cutoff became inf - inf = NaN, which rejected every row.
// Matrices with values above 1e140 now take the full computation, and equal brute
// force, infinite scores included.
TEST(TopKSimilar, HugeValuesEqualBruteForce) {
  testing::ThreadCountGuard guard;
  Dense x = random_integers(120, 30, 0.15, 0, 3, 29);
  std::mt19937 rng(31);
  std::uniform_int_distribution<int> exponent(150, 158);
  for (auto& row : x) {
    for (auto& v : row) v *= std::pow(10.0, exponent(rng));  // products of these overflow to inf
    row[0] = 1.0;  // a frequent term of ordinary size: the shortcut's bounds stay finite
  }
  const auto csr = to_csr(x, 30);
  for (const std::int64_t k : {1, 5}) {
    const auto o = options(k, true);
    const auto expected = brute_force(x, x, o);
    for (const double frequent_fraction : {0.05, 0.5, std::numeric_limits<double>::infinity()}) {
      for (const int threads : {1, 2}) {
        set_num_threads(threads);
        auto oo = o;
        oo.frequent_term_fraction = frequent_fraction;
        SCOPED_TRACE(::testing::Message() << "k " << k << " frequent " << frequent_fraction << " threads " << threads);
        expect_same(top_k_similar(view(csr), view(csr), oo), expected);
      }
    }
  }
}

TEST(TopKSimilar, TinyValuesEqualBruteForce) {
  // Found by hypothesis: a row whose values' squares underflow to 0 had a norm of 0 in the
  // bounds, so a threshold equal to a real score (1e-200 × 1.35e-82) rejected the row that has it.
  testing::ThreadCountGuard guard;
  Dense x(9, std::vector<double>(1, 0.0));
  x[7][0] = 1e-200;
  x[8][0] = 1.35e-82;
  const auto csr = to_csr(x, 1);
  const auto o = options(1, true, x[7][0] * x[8][0]);
  const auto expected = brute_force(x, x, o);
  ASSERT_EQ(expected.indices[7], 8);  // the oracle itself finds the pair
  for (const double frequent_fraction : {0.05, 0.5, std::numeric_limits<double>::infinity()}) {
    for (const int threads : {1, 2}) {
      set_num_threads(threads);
      auto oo = o;
      oo.frequent_term_fraction = frequent_fraction;
      SCOPED_TRACE(::testing::Message() << "frequent " << frequent_fraction << " threads " << threads);
      expect_same(top_k_similar(view(csr), view(csr), oo), expected);
    }
  }
}

TEST(TopKSimilar, FloatAndWideIndexInstantiationsAgree) {
  const Dense x = random_integers(90, 25, 0.15, 0, 4, 11);
  const Dense queries = random_integers(20, 25, 0.2, -1, 2, 12);
  const auto o = options(7, false, 1.0);
  const auto expected = brute_force(queries, x, o);
  expect_same(top_k_similar(view(to_csr<double, std::int32_t>(queries, 25)),
                            view(to_csr<double, std::int32_t>(x, 25)), o),
              expected);
  expect_same(top_k_similar(view(to_csr<float, std::int32_t>(queries, 25)), view(to_csr<float, std::int32_t>(x, 25)),
                            o),
              expected);
  expect_same(top_k_similar(view(to_csr<double, std::int64_t>(queries, 25)),
                            view(to_csr<double, std::int64_t>(x, 25)), o),
              expected);
  expect_same(top_k_similar(view(to_csr<float, std::int64_t>(queries, 25)), view(to_csr<float, std::int64_t>(x, 25)),
                            o),
              expected);
}

}  // namespace
}  // namespace themescope
