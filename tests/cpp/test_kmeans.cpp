// Spherical k-means: hand-worked cases on the unit circle, k-means++ draws
// worked by hand, and bit-identical results for 1, 2 and 3 threads.
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/kmeans.hpp"
#include "themescope/parallel.hpp"

namespace themescope {
namespace {

using testing::ThreadCountGuard;

// CSR built from dense rows (zeros left out), owning its buffers.
struct OwnedRows {
  std::int64_t n_cols = 0;
  std::vector<std::int32_t> indptr{0};
  std::vector<std::int32_t> indices;
  std::vector<double> data;

  explicit OwnedRows(const std::vector<std::vector<double>>& dense) {
    n_cols = dense.empty() ? 0 : static_cast<std::int64_t>(dense[0].size());
    for (const auto& row : dense) {
      for (std::size_t j = 0; j < row.size(); ++j) {
        if (row[j] != 0.0) {
          indices.push_back(static_cast<std::int32_t>(j));
          data.push_back(row[j]);
        }
      }
      indptr.push_back(static_cast<std::int32_t>(indices.size()));
    }
  }
  OwnedRows() = default;

  SparseRows<std::int32_t> view() const {
    return {static_cast<std::int64_t>(indptr.size()) - 1, n_cols, indptr, indices, data};
  }
};

std::vector<double> at_angle(double degrees) {
  const double r = degrees * std::numbers::pi / 180.0;
  return {std::cos(r), std::sin(r)};
}

Centroids centroids_of(const std::vector<std::vector<double>>& rows) {
  Centroids c(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < rows[i].size(); ++j) c(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  }
  return c;
}

KMeansFit lloyd_from(const OwnedRows& rows, const Centroids& initial, LloydOptions options = {}) {
  return spherical_kmeans_from(rows.view(), initial, options);
}

// ------------------------------------------------------------ hand-worked Lloyd

TEST(SphericalKMeans, TwoArcsOfTheCircleFindTheirBisectors) {
  // Three points around 0 degrees, three around 90: each cluster's mean direction
  // is its middle point, by symmetry.
  const OwnedRows rows({at_angle(-10), at_angle(0), at_angle(10), at_angle(80), at_angle(90), at_angle(100)});
  // Start from poor centroids (30 and 60 degrees): one assignment already splits the arcs.
  const KMeansFit fit = lloyd_from(rows, centroids_of({at_angle(30), at_angle(60)}));
  const auto& r = fit.best;
  EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_NEAR(r.centroids(0, 0), 1.0, 1e-15);
  EXPECT_NEAR(r.centroids(0, 1), 0.0, 1e-15);
  EXPECT_NEAR(r.centroids(1, 0), 0.0, 1e-15);
  EXPECT_NEAR(r.centroids(1, 1), 1.0, 1e-15);
  // Four points at 10 degrees from their centroid, two on it.
  EXPECT_NEAR(r.inertia, 4 * (1 - std::cos(10 * std::numbers::pi / 180)), 1e-14);
  // Iteration 1 moves the centroids onto the bisectors, iteration 2 sees the same labels.
  EXPECT_EQ(r.n_iter, 2);
  EXPECT_EQ(r.relocated, 0);
}

TEST(SphericalKMeans, InertiaIsOneMinusCosineSummed) {
  // One cluster: the centroid of 0 and 60 degrees is 30 degrees, each point 30 degrees away.
  const OwnedRows rows({at_angle(0), at_angle(60)});
  const auto r = lloyd_from(rows, centroids_of({at_angle(0)})).best;
  EXPECT_NEAR(r.centroids(0, 0), std::cos(std::numbers::pi / 6), 1e-15);
  EXPECT_NEAR(r.centroids(0, 1), 0.5, 1e-15);
  EXPECT_NEAR(r.inertia, 2 * (1 - std::cos(std::numbers::pi / 6)), 1e-15);
  // History: first assignment to 0 degrees (1 - cos 60 = 0.5), then 30 degrees twice.
  ASSERT_GE(r.inertia_history.size(), 2u);
  EXPECT_NEAR(r.inertia_history.front(), 0.5, 1e-15);
  EXPECT_NEAR(r.inertia_history.back(), r.inertia, 0.0);
}

TEST(SphericalKMeans, TiesGoToTheLowestCentroid) {
  // 45 degrees is exactly as close to 0 as to 90 degrees: (sqrt(1/2), sqrt(1/2)) . e_k.
  // (Written with equal coordinates: cos and sin of pi/4 differ in the last bit.)
  const double h = std::sqrt(0.5);
  const OwnedRows rows({{h, h}});
  const Assignment a = assign_to_centroids(rows.view(), centroids_of({{1, 0}, {0, 1}}));
  EXPECT_EQ(a.labels, (std::vector<std::int64_t>{0}));
  const Assignment b = assign_to_centroids(rows.view(), centroids_of({{0, 1}, {1, 0}}));
  EXPECT_EQ(b.labels, (std::vector<std::int64_t>{0}));
}

TEST(SphericalKMeans, ZeroRowsJoinClusterZeroAndCostOne) {
  const OwnedRows rows({{0, 0}, {0, 1}, {0, 0}, {1, 0}});
  const auto r = lloyd_from(rows, centroids_of({{0, 1}, {1, 0}})).best;
  EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 0, 0, 1}));
  // The zero rows do not pull the centroid: cluster 0 is still exactly 90 degrees.
  EXPECT_EQ(r.centroids(0, 0), 0.0);
  EXPECT_EQ(r.centroids(0, 1), 1.0);
  EXPECT_NEAR(r.inertia, 2.0, 1e-15);
}

TEST(SphericalKMeans, AClusterOfOnlyZeroRowsKeepsItsCentroid) {
  // The zero rows tie, so go to centroid 0 (at 90 degrees), which gets nothing else;
  // 0 degrees goes to centroid 1 = e_x.
  const OwnedRows rows({{0, 0}, {0, 0}, at_angle(0)});
  const auto r = lloyd_from(rows, centroids_of({{0, 1}, {1, 0}})).best;
  EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(r.centroids(0, 0), 0.0);  // kept: its rows have no direction
  EXPECT_EQ(r.centroids(0, 1), 1.0);
}

TEST(SphericalKMeans, AnEmptyClusterTakesTheFarthestRow) {
  // Centroid 1 points at 180 degrees and attracts nothing: 0 degrees is at similarity
  // 1 from centroid 0, 90 degrees ties at 0 (-> centroid 0) but is the farthest row.
  const OwnedRows rows({{1, 0}, {0, 1}});
  const auto r = lloyd_from(rows, centroids_of({{1, 0}, {-1, 0}})).best;
  EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(r.relocated, 1);
  EXPECT_NEAR(r.centroids(1, 0), 0.0, 1e-15);
  EXPECT_NEAR(r.centroids(1, 1), 1.0, 1e-15);
  EXPECT_NEAR(r.inertia, 0.0, 1e-15);
}

TEST(SphericalKMeans, AnEmptyClusterNeverTakesASoleMember) {
  // Centroid 2 (at 180 degrees) attracts nothing. The farthest row, 40 degrees
  // (similarity cos 40 to centroid 0), is alone in its cluster: moving it would only
  // empty another one. The next farthest, 80 degrees (cos 10 to centroid 1, shared
  // with 90 degrees), moves.
  const OwnedRows rows({at_angle(40), {0, 1}, at_angle(80)});
  const auto r = lloyd_from(rows, centroids_of({{1, 0}, {0, 1}, {-1, 0}}), {1, 0.0}).best;
  EXPECT_EQ(r.relocated, 1);
  EXPECT_NEAR(r.centroids(2, 0), std::cos(80 * std::numbers::pi / 180), 1e-15);
  EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 1, 2}));
}

TEST(SphericalKMeans, MaxIterStopsEarly) {
  const OwnedRows rows({at_angle(-10), at_angle(0), at_angle(10), at_angle(80), at_angle(90), at_angle(100)});
  const auto r = lloyd_from(rows, centroids_of({at_angle(30), at_angle(60)}), {1, 0.0}).best;
  EXPECT_EQ(r.n_iter, 1);
}

// ------------------------------------------------------------ k-means++ by hand

TEST(KMeansPlusPlus, DrawsRowsInProportionToTheirDistance) {
  // From 0 degrees: distances 0 (itself), 1 (90 degrees), 2 (180 degrees);
  // cumulative weights 0, 1, 3.
  const OwnedRows rows({at_angle(0), at_angle(90), {-1, 0}});
  const std::vector<double> low{0.2};   // 0.6 -> first cumulative above it: row 1
  const std::vector<double> high{0.5};  // 1.5 -> row 2
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, low, 1), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, high, 1), (std::vector<std::int64_t>{0, 2}));
  // Exactly on a boundary (1/3 * 3 = 1): side="right" takes the next row.
  const std::vector<double> boundary{1.0 / 3.0};
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, boundary, 1), (std::vector<std::int64_t>{0, 2}));
}

TEST(KMeansPlusPlus, GreedyTrialsKeepTheLowestPotential) {
  // Rows at 0, 90, 180 and 100 degrees, first centre 0 degrees. Trials row 1 (90)
  // and row 2 (180): potentials 0+0+min(2,1)+min(1.17,0.015) vs 0+1+0+min(1.17,0.83).
  const OwnedRows rows({at_angle(0), at_angle(90), {-1, 0}, at_angle(100)});
  // weights 0, 1, 2, 1 + sin(10 deg) (= 1.1736): cumulative 0, 1, 3, 4.17
  const std::vector<double> uniforms{0.1, 0.5};
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, uniforms, 2), (std::vector<std::int64_t>{0, 1}));
  const std::vector<double> swapped{0.5, 0.1};
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, swapped, 2), (std::vector<std::int64_t>{0, 1}));
}

TEST(KMeansPlusPlus, ZeroRowsAreNeverCentres) {
  // Zero rows have weight 0: whatever the draw, the centre is the row at 90 degrees.
  const OwnedRows rows({at_angle(0), {0, 0}, {0, 0}, at_angle(90), {0, 0}});
  for (const double u : {0.0, 0.3, 0.999999}) {
    const std::vector<double> uniforms{u};
    EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 0, uniforms, 1), (std::vector<std::int64_t>{0, 3})) << u;
  }
  const std::vector<double> one{0.5};
  EXPECT_THROW(kmeans_plus_plus(rows.view(), 2, 1, one, 1), std::invalid_argument);  // zero row as first centre
}

TEST(KMeansPlusPlus, NothingLeftToDrawFallsBackToTheFirstNonZeroRow) {
  // Row 2 is the first centre; row 1 is the same direction, at distance 0.
  const OwnedRows rows({{0, 0}, {1, 0}, {1, 0}});
  const std::vector<double> uniforms{0.7};
  EXPECT_EQ(kmeans_plus_plus(rows.view(), 2, 2, uniforms, 1), (std::vector<std::int64_t>{2, 1}));
}

TEST(KMeansPlusPlus, RejectsWrongArguments) {
  const OwnedRows rows({at_angle(0), at_angle(90)});
  const std::vector<double> one{0.5};
  EXPECT_THROW(kmeans_plus_plus(rows.view(), 3, 0, one, 1), std::invalid_argument);  // k > n
  EXPECT_THROW(kmeans_plus_plus(rows.view(), 0, 0, {}, 1), std::invalid_argument);
  EXPECT_THROW(kmeans_plus_plus(rows.view(), 2, 0, {}, 1), std::invalid_argument);  // too few uniforms
  EXPECT_THROW(kmeans_plus_plus(rows.view(), 2, 5, one, 1), std::invalid_argument);
}

// ------------------------------------------------------------ kernels and checks

TEST(SphericalKMeans, TransposeKeepsRowOrderWithinColumns) {
  const OwnedRows rows({{1, 0, 2}, {0, 0, 3}, {4, 5, 0}});
  const ColumnMajorRows t = transpose_rows(rows.view());
  EXPECT_EQ(t.colptr, (std::vector<std::int64_t>{0, 2, 3, 5}));
  EXPECT_EQ(t.row, (std::vector<std::int64_t>{0, 2, 2, 0, 1}));
  EXPECT_EQ(t.value, (std::vector<double>{1, 4, 5, 2, 3}));
}

TEST(SphericalKMeans, CosineSimilaritiesAreDotProducts) {
  const OwnedRows rows({{0.6, 0.8}, {0, 0}});
  const auto s = cosine_similarities(rows.view(), centroids_of({{1, 0}, {0, 1}, {-1, 0}}));
  EXPECT_EQ(s, (std::vector<double>{0.6, 0.8, -0.6, 0, 0, 0}));
}

TEST(SphericalKMeans, ValidationNamesTheProblem) {
  OwnedRows bad_column({{1, 0}});
  bad_column.indices[0] = 2;
  EXPECT_THROW(validate_rows(bad_column.view()), std::invalid_argument);
  OwnedRows nan({{1, 0}});
  nan.data[0] = std::nan("");
  try {
    validate_rows(nan.view());
    FAIL() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not finite"), std::string::npos) << e.what();
  }
  OwnedRows short_indptr({{1, 0}, {0, 1}});
  short_indptr.indptr.pop_back();
  EXPECT_THROW(validate_rows(short_indptr.view()), std::invalid_argument);
  OwnedRows fine({{1, 0}, {0, 1}});
  EXPECT_NO_THROW(validate_rows(fine.view()));
  EXPECT_THROW(spherical_kmeans_from(fine.view(), centroids_of({{1, 0, 0}}), {}), std::invalid_argument);
  EXPECT_THROW(spherical_kmeans_from(fine.view(), centroids_of({{1, 0}}), {0, 1e-4}), std::invalid_argument);
  EXPECT_THROW(spherical_kmeans_from(fine.view(), centroids_of({{1, 0}}), {10, -1.0}), std::invalid_argument);
}

// ------------------------------------------------------------ determinism

// Topic-like sparse unit rows: each row mostly draws terms from one of `topics` blocks.
OwnedRows random_documents(std::size_t n, std::size_t d, std::size_t topics, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> weight(0.1, 1.0);
  std::uniform_int_distribution<std::size_t> topic_of(0, topics - 1), term(0, d / topics - 1), any(0, d - 1);
  OwnedRows rows;
  rows.n_cols = static_cast<std::int64_t>(d);
  for (std::size_t i = 0; i < n; ++i) {
    std::map<std::size_t, double> row;  // ordered: indices ascend within the row
    const std::size_t topic = topic_of(gen);
    for (int t = 0; t < 12; ++t) row[topic * (d / topics) + term(gen)] += weight(gen);
    for (int t = 0; t < 4; ++t) row[any(gen)] += weight(gen);
    double norm = 0;
    for (const auto& [j, v] : row) norm += v * v;
    for (const auto& [j, v] : row) {
      rows.indices.push_back(static_cast<std::int32_t>(j));
      rows.data.push_back(v / std::sqrt(norm));
    }
    rows.indptr.push_back(static_cast<std::int32_t>(rows.indices.size()));
  }
  return rows;
}

KMeansFit fit_with_threads(const OwnedRows& rows, int threads, std::size_t k, std::size_t n_init) {
  set_num_threads(threads);
  const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k)));
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::int64_t> first;
  std::vector<double> uniforms;
  for (std::size_t r = 0; r < n_init; ++r) {
    first.push_back(static_cast<std::int64_t>(gen() % (rows.indptr.size() - 1)));
    for (std::size_t i = 0; i < (k - 1) * trials; ++i) uniforms.push_back(u(gen));
  }
  return spherical_kmeans(rows.view(), k, first, uniforms, trials, {100, 0.0});
}

TEST(SphericalKMeans, BitIdenticalWhateverTheThreadCount) {
  ThreadCountGuard guard;
  // 3,000 rows (12 row blocks) and 5,000 columns (3 column blocks): every loop is split.
  const OwnedRows rows = random_documents(3000, 5000, 6, 42);
  const KMeansFit one = fit_with_threads(rows, 1, 6, 3);
  for (const int threads : {2, 3}) {
    const KMeansFit other = fit_with_threads(rows, threads, 6, 3);
    EXPECT_EQ(other.best.labels, one.best.labels) << threads;
    EXPECT_EQ(other.run_inertia, one.run_inertia) << threads;
    EXPECT_EQ(other.best.inertia_history, one.best.inertia_history) << threads;
    ASSERT_EQ(other.best.centroids.size(), one.best.centroids.size());
    EXPECT_EQ(std::memcmp(other.best.centroids.data(), one.best.centroids.data(),
                          sizeof(double) * static_cast<std::size_t>(one.best.centroids.size())),
              0)
        << threads;
  }
}

TEST(SphericalKMeans, InertiaNeverIncreasesAndCentroidsStayUnit) {
  const OwnedRows rows = random_documents(800, 400, 4, 3);
  const KMeansFit fit = fit_with_threads(rows, 2, 5, 2);
  const auto& h = fit.best.inertia_history;
  for (std::size_t i = 1; i < h.size(); ++i) EXPECT_LE(h[i], h[i - 1] * (1 + 1e-12)) << i;
  for (Eigen::Index c = 0; c < fit.best.centroids.rows(); ++c) {
    EXPECT_NEAR(fit.best.centroids.row(c).norm(), 1.0, 1e-12);
  }
  // The best run is the one of lowest inertia, and labels match the centroids.
  EXPECT_EQ(fit.best.inertia, *std::min_element(fit.run_inertia.begin(), fit.run_inertia.end()));
  EXPECT_EQ(assign_to_centroids(rows.view(), fit.best.centroids).labels, fit.best.labels);
}

// ------------------------------------------------------------ dense rows and batches

// The rows of a sparse test matrix as a dense row-major matrix.
DenseRowMatrix dense_of(const OwnedRows& rows) {
  DenseRowMatrix out = DenseRowMatrix::Zero(static_cast<Eigen::Index>(rows.indptr.size()) - 1, rows.n_cols);
  for (std::size_t i = 0; i + 1 < rows.indptr.size(); ++i) {
    for (auto p = rows.indptr[i]; p < rows.indptr[i + 1]; ++p) {
      out(static_cast<Eigen::Index>(i), rows.indices[static_cast<std::size_t>(p)]) = rows.data[static_cast<std::size_t>(p)];
    }
  }
  return out;
}

struct Draws {
  std::vector<std::int64_t> first;
  std::vector<double> uniforms;
  std::size_t trials = 1;
};

Draws draws_for(std::size_t n_rows, std::size_t k, std::size_t n_init, unsigned seed) {
  Draws d;
  d.trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k)));
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t r = 0; r < n_init; ++r) {
    d.first.push_back(static_cast<std::int64_t>(gen() % n_rows));
    for (std::size_t i = 0; i < (k - 1) * d.trials; ++i) d.uniforms.push_back(u(gen));
  }
  return d;
}

TEST(DenseSphericalKMeans, SameClustersAsTheSparseKernel) {
  // 60 dense dimensions, every entry stored: the case of LSA vectors.
  const OwnedRows sparse = random_documents(600, 60, 4, 11);
  const DenseRowMatrix dense = dense_of(sparse);
  const Draws d = draws_for(600, 4, 3, 5);
  const KMeansFit expected = spherical_kmeans(sparse.view(), 4, d.first, d.uniforms, d.trials, {100, 1e-4});
  const KMeansFit fit = dense_spherical_kmeans(dense, 4, d.first, d.uniforms, d.trials, {100, 1e-4});
  EXPECT_EQ(fit.best.labels, expected.best.labels);
  EXPECT_EQ(fit.best_run, expected.best_run);
  EXPECT_EQ(fit.best.n_iter, expected.best.n_iter);
  // Bit for bit: both add each dot product over the columns in increasing order.
  EXPECT_EQ(fit.best.inertia, expected.best.inertia);
  EXPECT_EQ(fit.run_inertia, expected.run_inertia);
  EXPECT_TRUE(fit.best.centroids == expected.best.centroids);
}

TEST(DenseSphericalKMeans, BitForBitTheSparseFitWhateverTheShape) {
  // Rows and centroids that do not fill the kernel's 4 x 4 blocks, one centroid,
  // several runs: each dot product is still added over the columns in increasing
  // order, as a stored row's, so no centroid's similarity depends on its position
  // among the others and two runs reaching the same clusters tie exactly.
  for (const auto& [n_rows, n_cols, k] : {std::tuple{203, 37, 7}, std::tuple{9, 5, 1}, std::tuple{50, 4, 6},
                                         std::tuple{130, 50, 20}}) {
    const OwnedRows sparse = random_documents(n_rows, n_cols, 2, 3);
    const DenseRowMatrix dense = dense_of(sparse);
    const Draws d = draws_for(static_cast<std::size_t>(n_rows), static_cast<std::size_t>(k), 4, 9);
    const KMeansFit expected = spherical_kmeans(sparse.view(), k, d.first, d.uniforms, d.trials, {100, 1e-4});
    const KMeansFit fit = dense_spherical_kmeans(dense, k, d.first, d.uniforms, d.trials, {100, 1e-4});
    EXPECT_EQ(fit.run_inertia, expected.run_inertia) << n_rows << " x " << n_cols << ", k=" << k;
    EXPECT_EQ(fit.best.labels, expected.best.labels) << n_rows << " x " << n_cols << ", k=" << k;
    EXPECT_TRUE(fit.best.centroids == expected.best.centroids) << n_rows << " x " << n_cols << ", k=" << k;
  }
}

TEST(DenseSphericalKMeans, HandWorkedArcs) {
  // Three points around 0 degrees and three around 90: k-means++ from row 0 with
  // uniform 0.99 draws the farthest mass (the second arc); the clusters are the arcs.
  const OwnedRows sparse({at_angle(-10), at_angle(0), at_angle(10), at_angle(80), at_angle(90), at_angle(100)});
  const DenseRowMatrix dense = dense_of(sparse);
  const std::vector<std::int64_t> first{0};
  const std::vector<double> uniforms{0.99, 0.99};
  const KMeansFit fit = dense_spherical_kmeans(dense, 2, first, uniforms, 2, {});
  EXPECT_EQ(fit.best.labels, (std::vector<std::int64_t>{0, 0, 0, 1, 1, 1}));
  EXPECT_NEAR(fit.best.inertia, 4 * (1 - std::cos(10 * std::numbers::pi / 180)), 1e-14);
}

TEST(DenseSphericalKMeans, RejectsBadInput) {
  DenseRowMatrix rows = DenseRowMatrix::Identity(3, 3);
  const std::vector<std::int64_t> first{0};
  const std::vector<double> uniforms{0.5, 0.5};
  EXPECT_THROW(dense_spherical_kmeans(rows, 4, first, uniforms, 1, {}), std::invalid_argument);  // k > n
  EXPECT_THROW(dense_spherical_kmeans(rows, 2, first, std::vector<double>{0.5}, 2, {}), std::invalid_argument);
  const std::vector<std::int64_t> zero_row{1};
  DenseRowMatrix with_zero = rows;
  with_zero.row(1).setZero();
  EXPECT_THROW(dense_spherical_kmeans(with_zero, 2, zero_row, uniforms, 2, {}), std::invalid_argument);
  rows(2, 2) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(dense_spherical_kmeans(rows, 2, first, uniforms, 2, {}), std::invalid_argument);
}

TEST(KMeansBatch, EachFitIsTheSingleFitWhateverTheThreadCount) {
  ThreadCountGuard guard;
  const OwnedRows a = random_documents(500, 300, 3, 1), b = random_documents(300, 300, 5, 2);
  const DenseRowMatrix dense_a = dense_of(random_documents(400, 40, 3, 3));
  const Draws da = draws_for(500, 3, 2, 1), db = draws_for(300, 5, 2, 2), dd = draws_for(400, 6, 2, 3);
  const std::vector<KMeansProblem<std::int32_t>> problems{{a.view(), 3, da.first, da.uniforms, da.trials},
                                                          {b.view(), 5, db.first, db.uniforms, db.trials}};
  const std::vector<DenseKMeansProblem> dense_problems{
      {dense_a.data(), dense_a.rows(), dense_a.cols(), 6, dd.first, dd.uniforms, dd.trials}};
  set_num_threads(1);
  const KMeansFit single_a = spherical_kmeans(a.view(), 3, da.first, da.uniforms, da.trials, {});
  const KMeansFit single_b = spherical_kmeans(b.view(), 5, db.first, db.uniforms, db.trials, {});
  const KMeansFit single_dense = dense_spherical_kmeans(dense_a, 6, dd.first, dd.uniforms, dd.trials, {});
  for (const int threads : {1, 2, 3}) {
    set_num_threads(threads);
    const auto fits = spherical_kmeans_batch<std::int32_t>(problems, {});
    ASSERT_EQ(fits.size(), 2u);
    EXPECT_EQ(fits[0].best.labels, single_a.best.labels) << threads;
    EXPECT_EQ(fits[1].best.labels, single_b.best.labels) << threads;
    EXPECT_EQ(fits[1].run_inertia, single_b.run_inertia) << threads;
    EXPECT_EQ(std::memcmp(fits[1].best.centroids.data(), single_b.best.centroids.data(),
                          sizeof(double) * static_cast<std::size_t>(single_b.best.centroids.size())),
              0);
    const auto dense_fits = dense_spherical_kmeans_batch(dense_problems, {});
    EXPECT_EQ(dense_fits[0].best.labels, single_dense.best.labels) << threads;
    EXPECT_EQ(dense_fits[0].run_inertia, single_dense.run_inertia) << threads;
  }
  // An error names itself: the lowest-numbered failing problem's.
  const std::vector<KMeansProblem<std::int32_t>> bad{{a.view(), 501, da.first, da.uniforms, da.trials}};
  EXPECT_THROW(spherical_kmeans_batch<std::int32_t>(bad, {}), std::invalid_argument);
}

}  // namespace
}  // namespace themescope
