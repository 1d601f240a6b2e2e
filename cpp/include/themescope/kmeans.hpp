// Spherical k-means: clusters of unit-norm sparse rows by cosine similarity.
//
// Every kernel is deterministic whatever the thread count:
// - similarities of a row to the centroids are accumulated in the row's storage
//   order, one row per task slot, so rows never share an accumulator;
// - centroid sums run over a column-major copy of the rows: each (cluster, term)
//   sum is owned by one task and accumulated in ascending row order, exactly as a
//   sequential pass would, so no partial sums of threads are ever combined;
// - every sum over rows (inertia, k-means++ potentials) is sequential.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "themescope/csr.hpp"

namespace themescope {

// Rows to cluster: CSR with float64 values, expected to have unit L2 norm or
// to be all zero (the Python layer normalises them).
template <class Index>
using SparseRows = CsrView<const double, Index, Index>;

// Centroids, one per row of a k x d matrix, column-major: the k weights of a
// term are contiguous, which is what a sparse row times the centroids reads.
using Centroids = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

// Throws std::invalid_argument when buffers are inconsistent (lengths, indptr
// not non-decreasing, column index outside [0, n_cols)) or a value is not finite.
template <class Index>
void validate_rows(const SparseRows<Index>& rows);

// n x k cosine similarities (dot products of the unit rows with the centroids),
// row-major: similarities[i * k + c].
template <class Index>
std::vector<double> cosine_similarities(const SparseRows<Index>& rows, const Centroids& centroids);

// The centroid of highest similarity for each row (ties: the lowest index;
// a zero row therefore goes to centroid 0) and that similarity.
struct Assignment {
  std::vector<std::int64_t> labels;
  std::vector<double> similarity;
};
template <class Index>
Assignment assign_to_centroids(const SparseRows<Index>& rows, const Centroids& centroids);

// Greedy k-means++ seeding on cosine distance 1 - dot (for unit rows, half the
// squared Euclidean distance, so this is Arthur & Vassilvitskii's D^2 sampling).
// Randomness comes from the caller, so the draws do not depend on threads:
//   first_row: the first centre (must be a non-zero row);
//   uniforms: (n_clusters - 1) * n_local_trials values in [0, 1).
// For centre c >= 1, trial t draws the row
//   searchsorted(cumsum(w), uniforms[(c-1)*n_local_trials + t] * sum(w), side="right")
// where w[i] is row i's distance to its closest centre so far (0 for zero rows,
// which cannot be centres), clipped to the last row of positive weight; when
// every weight is 0 (all non-zero rows are already centres) the first non-zero
// row. Of the trials, the one that leaves the lowest sum of distances (summed
// over all rows, in row order) wins; ties go to the earlier trial.
// Returns the n_clusters chosen rows.
template <class Index>
std::vector<std::int64_t> kmeans_plus_plus(const SparseRows<Index>& rows, std::size_t n_clusters,
                                           std::int64_t first_row, std::span<const double> uniforms,
                                           std::size_t n_local_trials);

// Rows as a unit-norm k x d centroid matrix (a zero row stays zero).
template <class Index>
Centroids centroids_from_rows(const SparseRows<Index>& rows, std::span<const std::int64_t> row_ids);

struct LloydOptions {
  int max_iter = 100;
  // Stop once the sum over centroids of the squared Euclidean shift of the
  // (unit) centroid is <= tol, or when no label changed.
  double tol = 1e-4;
};

struct KMeansResult {
  Centroids centroids;               // k x d, unit rows
  std::vector<std::int64_t> labels;  // consistent with centroids: assign_to_centroids(rows, centroids)
  double inertia = 0.0;              // sum over rows of 1 - similarity to its centroid
  int n_iter = 0;                    // Lloyd iterations run
  std::vector<double> inertia_history;  // inertia at each assignment, the last one after the final centroids
  std::int64_t relocated = 0;        // empty clusters re-seeded over the run
};

// The rows' columns, in ascending row order per column: what centroid sums read.
struct ColumnMajorRows {
  std::int64_t n_rows = 0;
  std::int64_t n_cols = 0;
  std::vector<std::int64_t> colptr;  // n_cols + 1
  std::vector<std::int64_t> row;
  std::vector<double> value;
};
template <class Index>
ColumnMajorRows transpose_rows(const SparseRows<Index>& rows);

// Lloyd iterations on the unit sphere from the given centroids (k x d):
//   assign each row to the centroid of highest similarity (ties: lowest index);
//   if a cluster is empty, re-seed it with the row farthest from its centroid
//   (largest 1 - similarity, ties: lowest row; zero rows and sole members of a
//   cluster are never taken), empty clusters handled in increasing order;
//   each centroid becomes the normalised sum of its rows (a cluster whose sum is
//   the zero vector, e.g. only zero rows, keeps its centroid);
// until max_iter, tol or unchanged labels; then a last assignment to the final
// centroids gives labels and inertia.
template <class Index>
KMeansResult spherical_lloyd(const SparseRows<Index>& rows, const ColumnMajorRows& columns, Centroids centroids,
                             const LloydOptions& options);

// n_init runs (seeded by k-means++ from first_rows[r] and the r-th block of
// (n_clusters - 1) * n_local_trials uniforms), or one run from initial
// centroids; the result of lowest inertia (ties: the earliest run).
struct KMeansFit {
  KMeansResult best;
  std::vector<double> run_inertia;  // final inertia of each run
  std::size_t best_run = 0;
};
template <class Index>
KMeansFit spherical_kmeans(const SparseRows<Index>& rows, std::size_t n_clusters,
                           std::span<const std::int64_t> first_rows, std::span<const double> uniforms,
                           std::size_t n_local_trials, const LloydOptions& options);
template <class Index>
KMeansFit spherical_kmeans_from(const SparseRows<Index>& rows, const Centroids& initial,
                                const LloydOptions& options);

// One spherical_kmeans problem of a batch: its rows and its k-means++ draws.
template <class Index>
struct KMeansProblem {
  SparseRows<Index> rows;
  std::size_t n_clusters = 0;
  std::span<const std::int64_t> first_rows;
  std::span<const double> uniforms;
  std::size_t n_local_trials = 1;
};

// spherical_kmeans of every problem, the problems spread over the threads, each
// solved on one thread (its own loops sequential): for many small fits (the
// candidate k of choose_n_clusters and their halves), where splitting one fit's
// rows over threads costs more in start-ups than it saves. fits[i] is exactly
// what spherical_kmeans(problems[i]...) returns. If problems throw, the
// exception of the lowest-numbered one is rethrown.
template <class Index>
std::vector<KMeansFit> spherical_kmeans_batch(std::span<const KMeansProblem<Index>> problems,
                                              const LloydOptions& options);

// ---- the same algorithm on dense rows (few columns, e.g. 50 LSA dimensions) ----

// Rows to cluster, n x d, row-major, each of unit L2 norm or all zero.
using DenseRowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// spherical_kmeans on dense rows, on the calling thread: the same seeding,
// Lloyd iterations, relocation of empty clusters and stopping rules, the
// similarities computed by Eigen's matrix products (several times the speed of
// the sparse loops when every entry is stored). Centroid sums add the rows in
// ascending row order as the sparse kernel does; similarities may differ from
// it in the last bits (another order of the d products), so labels may differ
// at exact ties only. Throws std::invalid_argument on non-finite values.
KMeansFit dense_spherical_kmeans(const Eigen::Ref<const DenseRowMatrix>& rows, std::size_t n_clusters,
                                 std::span<const std::int64_t> first_rows, std::span<const double> uniforms,
                                 std::size_t n_local_trials, const LloydOptions& options);

struct DenseKMeansProblem {
  const double* rows = nullptr;  // n_rows x n_cols, row-major, owned by the caller
  Eigen::Index n_rows = 0;
  Eigen::Index n_cols = 0;
  std::size_t n_clusters = 0;
  std::span<const std::int64_t> first_rows;
  std::span<const double> uniforms;
  std::size_t n_local_trials = 1;
};

// dense_spherical_kmeans of every problem, spread over the threads (each on one):
// fits[i] is what dense_spherical_kmeans(problems[i]...) returns, whatever the
// thread count. If problems throw, the lowest-numbered one's exception is rethrown.
std::vector<KMeansFit> dense_spherical_kmeans_batch(std::span<const DenseKMeansProblem> problems,
                                                    const LloydOptions& options);

}  // namespace themescope
