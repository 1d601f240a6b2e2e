#include "themescope/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <string>

#include "themescope/parallel.hpp"

namespace themescope {

namespace {

// Rows per task of the row-parallel loops. Each row's result is computed by one
// task from that row alone, so this only sets the granularity, never a result.
constexpr std::size_t kRowBlock = 256;
// Columns per task of the centroid sums (same remark).
constexpr std::size_t kColumnBlock = 2048;

std::size_t blocks(std::size_t n, std::size_t block) { return (n + block - 1) / block; }

// Calls visit(row, similarities) for every row, with the k similarities of the
// row to the centroids, accumulated over the row's entries in storage order.
template <class Index, class Visit>
void for_each_row_similarities(const SparseRows<Index>& rows, const Centroids& centroids, Visit&& visit) {
  const auto n = static_cast<std::size_t>(rows.n_rows);
  const std::size_t tasks = blocks(n, kRowBlock);
  const std::size_t workers =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(get_num_threads()), tasks));
  const auto k = static_cast<std::size_t>(centroids.rows());
  const double* weights = centroids.data();  // column-major: term j's k weights at weights + j * k
  std::vector<Eigen::VectorXd> scratch(workers, Eigen::VectorXd(centroids.rows()));
  parallel_for_workers(tasks, workers, [&](std::size_t task, std::size_t worker) {
    Eigen::VectorXd& acc_vector = scratch[worker];
    double* acc = acc_vector.data();
    const std::size_t end = std::min(n, (task + 1) * kRowBlock);
    for (std::size_t row = task * kRowBlock; row < end; ++row) {
      std::fill(acc, acc + k, 0.0);
      const auto b = static_cast<std::size_t>(rows.indptr[row]), e = static_cast<std::size_t>(rows.indptr[row + 1]);
      // A plain loop over the k centroids: for the usual k (5-50) Eigen's expression
      // set-up per entry (alignment peeling, size checks) cost more than the arithmetic.
      for (std::size_t p = b; p < e; ++p) {
        const double v = rows.data[p];
        const double* w = weights + static_cast<std::size_t>(rows.indices[p]) * k;
        for (std::size_t c = 0; c < k; ++c) acc[c] += v * w[c];
      }
      visit(row, acc_vector);
    }
  });
}

template <class Index>
std::vector<char> nonzero_rows(const SparseRows<Index>& rows) {
  std::vector<char> nonzero(static_cast<std::size_t>(rows.n_rows), 0);
  for (std::size_t row = 0; row < nonzero.size(); ++row) {
    for (auto p = rows.indptr[row]; p < rows.indptr[row + 1]; ++p) {
      if (rows.data[static_cast<std::size_t>(p)] != 0.0) {
        nonzero[row] = 1;
        break;
      }
    }
  }
  return nonzero;
}

// The given rows as a k x d matrix, optionally scaled to unit norm.
template <class Index>
Centroids dense_rows(const SparseRows<Index>& rows, std::span<const std::int64_t> row_ids, bool normalise) {
  Centroids out = Centroids::Zero(static_cast<Eigen::Index>(row_ids.size()), rows.n_cols);
  for (std::size_t c = 0; c < row_ids.size(); ++c) {
    const std::int64_t row = row_ids[c];
    if (row < 0 || row >= rows.n_rows) {
      throw std::out_of_range("row " + std::to_string(row) + " outside [0, " + std::to_string(rows.n_rows) + ")");
    }
    const auto r = static_cast<std::size_t>(row);
    double norm_sq = 0.0;
    for (auto p = rows.indptr[r]; p < rows.indptr[r + 1]; ++p) {
      const double v = rows.data[static_cast<std::size_t>(p)];
      out(static_cast<Eigen::Index>(c), rows.indices[static_cast<std::size_t>(p)]) += v;
      norm_sq += v * v;
    }
    if (normalise && norm_sq > 0.0) out.row(static_cast<Eigen::Index>(c)) /= std::sqrt(norm_sq);
  }
  return out;
}

double sequential_sum_of_distances(const std::vector<double>& similarity) {
  double sum = 0.0;
  for (const double s : similarity) sum += 1.0 - s;
  return sum;
}

// Centroids = normalised sums of the rows of each cluster. Each (cluster, column)
// sum belongs to one task and adds that column's entries in ascending row order.
Centroids updated_centroids(const ColumnMajorRows& columns, const std::vector<std::int64_t>& labels,
                            const Centroids& previous) {
  const Eigen::Index k = previous.rows();
  Centroids sums = Centroids::Zero(k, columns.n_cols);
  const auto d = static_cast<std::size_t>(columns.n_cols);
  parallel_for(blocks(d, kColumnBlock), [&](std::size_t task) {
    const std::size_t end = std::min(d, (task + 1) * kColumnBlock);
    for (std::size_t j = task * kColumnBlock; j < end; ++j) {
      double* column = sums.col(static_cast<Eigen::Index>(j)).data();
      for (auto p = columns.colptr[j]; p < columns.colptr[j + 1]; ++p) {
        const auto q = static_cast<std::size_t>(p);
        column[labels[static_cast<std::size_t>(columns.row[q])]] += columns.value[q];
      }
    }
  });
  // Normalised on this thread, column by column: O(k * d), cheap next to the sums,
  // and one task per centroid would have the threads writing the same cache lines
  // (a column holds every centroid's weight). Each norm still adds its squares in
  // increasing column order.
  std::vector<double> norm_sq(static_cast<std::size_t>(k), 0.0);
  for (Eigen::Index j = 0; j < sums.cols(); ++j) {
    for (Eigen::Index c = 0; c < k; ++c) norm_sq[static_cast<std::size_t>(c)] += sums(c, j) * sums(c, j);
  }
  std::vector<double> norm(static_cast<std::size_t>(k));
  for (std::size_t c = 0; c < norm.size(); ++c) norm[c] = std::sqrt(norm_sq[c]);
  for (Eigen::Index j = 0; j < sums.cols(); ++j) {
    for (Eigen::Index c = 0; c < k; ++c) {
      if (norm_sq[static_cast<std::size_t>(c)] > 0.0) sums(c, j) /= norm[static_cast<std::size_t>(c)];
    }
  }
  for (Eigen::Index c = 0; c < k; ++c) {
    if (!(norm_sq[static_cast<std::size_t>(c)] > 0.0)) sums.row(c) = previous.row(c);  // no direction: keep it
  }
  return sums;
}

// Empty clusters take, in increasing order, the rows farthest from their
// centroids (non-zero rows that are not alone in their cluster).
std::int64_t relocate_empty_clusters(std::vector<std::int64_t>& labels, std::vector<double>& similarity,
                                     const std::vector<char>& nonzero, std::size_t k) {
  std::vector<std::int64_t> counts(k, 0);
  for (const auto label : labels) ++counts[static_cast<std::size_t>(label)];
  if (std::find(counts.begin(), counts.end(), 0) == counts.end()) return 0;
  std::vector<std::size_t> candidates;
  for (std::size_t row = 0; row < labels.size(); ++row) {
    if (nonzero[row]) candidates.push_back(row);
  }
  std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
    if (similarity[a] != similarity[b]) return similarity[a] < similarity[b];
    return a < b;
  });
  std::int64_t relocated = 0;
  std::size_t next = 0;
  for (std::size_t cluster = 0; cluster < k; ++cluster) {
    if (counts[cluster] != 0) continue;
    while (next < candidates.size() && counts[static_cast<std::size_t>(labels[candidates[next]])] <= 1) ++next;
    if (next == candidates.size()) break;  // nothing left to move: the cluster stays empty
    const std::size_t row = candidates[next++];
    --counts[static_cast<std::size_t>(labels[row])];
    labels[row] = static_cast<std::int64_t>(cluster);
    counts[cluster] = 1;
    similarity[row] = 1.0;  // it will be its cluster's centroid
    ++relocated;
  }
  return relocated;
}

// The rows k-means++ tries as the next centre: trial t is
//   searchsorted(cumsum(w), uniforms[t] * sum(w), side="right"),
// w[i] = closest[i] for non-zero rows (0 otherwise), clipped to the last row of
// positive weight; the first non-zero row when every weight is 0.
void draw_trials(const std::vector<double>& closest, const std::vector<char>& nonzero,
                 std::span<const double> uniforms, std::int64_t first_nonzero, std::vector<double>& cumulative,
                 std::vector<std::int64_t>& trials) {
  double total = 0.0;
  std::int64_t last_positive = -1;
  for (std::size_t row = 0; row < closest.size(); ++row) {
    if (nonzero[row] && closest[row] > 0.0) {
      total += closest[row];
      last_positive = static_cast<std::int64_t>(row);
    }
    cumulative[row] = total;
  }
  for (std::size_t t = 0; t < trials.size(); ++t) {
    if (last_positive < 0) {
      trials[t] = first_nonzero;
      continue;
    }
    const double target = uniforms[t] * total;
    const auto pick = static_cast<std::int64_t>(std::upper_bound(cumulative.begin(), cumulative.end(), target) -
                                                cumulative.begin());
    trials[t] = std::min(pick, last_positive);
  }
}

void check_lloyd_options(const LloydOptions& options) {
  if (options.max_iter < 1) {
    throw std::invalid_argument("max_iter must be >= 1, got " + std::to_string(options.max_iter));
  }
  if (!(options.tol >= 0.0) || !std::isfinite(options.tol)) {
    throw std::invalid_argument("tol must be a finite number >= 0, got " + std::to_string(options.tol));
  }
}

}  // namespace

template <class Index>
void validate_rows(const SparseRows<Index>& rows) {
  if (rows.n_rows < 0 || rows.n_cols < 0) throw std::invalid_argument("negative matrix shape");
  if (rows.indptr.size() != static_cast<std::size_t>(rows.n_rows) + 1) {
    throw std::invalid_argument("indptr has " + std::to_string(rows.indptr.size()) + " entries for " +
                                std::to_string(rows.n_rows) + " rows");
  }
  if (rows.indices.size() != rows.data.size()) {
    throw std::invalid_argument("indices and data differ in length: " + std::to_string(rows.indices.size()) +
                                " and " + std::to_string(rows.data.size()));
  }
  if (rows.indptr[0] != 0 || static_cast<std::size_t>(rows.indptr.back()) != rows.data.size()) {
    throw std::invalid_argument("indptr must run from 0 to nnz = " + std::to_string(rows.data.size()));
  }
  for (std::size_t row = 0; row < static_cast<std::size_t>(rows.n_rows); ++row) {
    if (rows.indptr[row + 1] < rows.indptr[row]) {
      throw std::invalid_argument("indptr decreases at row " + std::to_string(row));
    }
  }
  for (std::size_t p = 0; p < rows.data.size(); ++p) {
    const auto column = static_cast<std::int64_t>(rows.indices[p]);
    if (column < 0 || column >= rows.n_cols) {
      throw std::invalid_argument("column index " + std::to_string(column) + " outside [0, " +
                                  std::to_string(rows.n_cols) + ")");
    }
    if (!std::isfinite(rows.data[p])) {
      throw std::invalid_argument("value " + std::to_string(rows.data[p]) + " at entry " + std::to_string(p) +
                                  " is not finite");
    }
  }
}

template <class Index>
std::vector<double> cosine_similarities(const SparseRows<Index>& rows, const Centroids& centroids) {
  if (centroids.cols() != rows.n_cols) {
    throw std::invalid_argument("centroids have " + std::to_string(centroids.cols()) + " features, rows have " +
                                std::to_string(rows.n_cols));
  }
  const auto k = static_cast<std::size_t>(centroids.rows());
  std::vector<double> out(static_cast<std::size_t>(rows.n_rows) * k);
  for_each_row_similarities(rows, centroids, [&](std::size_t row, const Eigen::VectorXd& s) {
    std::copy(s.data(), s.data() + k, out.begin() + static_cast<std::ptrdiff_t>(row * k));
  });
  return out;
}

template <class Index>
Assignment assign_to_centroids(const SparseRows<Index>& rows, const Centroids& centroids) {
  if (centroids.cols() != rows.n_cols) {
    throw std::invalid_argument("centroids have " + std::to_string(centroids.cols()) + " features, rows have " +
                                std::to_string(rows.n_cols));
  }
  if (centroids.rows() < 1) throw std::invalid_argument("at least one centroid is needed");
  Assignment out;
  out.labels.resize(static_cast<std::size_t>(rows.n_rows));
  out.similarity.resize(static_cast<std::size_t>(rows.n_rows));
  for_each_row_similarities(rows, centroids, [&](std::size_t row, const Eigen::VectorXd& s) {
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < s.size(); ++c) {
      if (s[c] > s[best]) best = c;  // strict: ties keep the lowest index
    }
    out.labels[row] = best;
    out.similarity[row] = s[best];
  });
  return out;
}

template <class Index>
std::vector<std::int64_t> kmeans_plus_plus(const SparseRows<Index>& rows, std::size_t n_clusters,
                                           std::int64_t first_row, std::span<const double> uniforms,
                                           std::size_t n_local_trials) {
  const auto n = static_cast<std::size_t>(rows.n_rows);
  if (n_clusters < 1 || n_clusters > n) {
    throw std::invalid_argument("n_clusters must be in [1, " + std::to_string(n) + "], got " +
                                std::to_string(n_clusters));
  }
  if (n_local_trials < 1) throw std::invalid_argument("n_local_trials must be >= 1");
  if (uniforms.size() != (n_clusters - 1) * n_local_trials) {
    throw std::invalid_argument("k-means++ needs " + std::to_string((n_clusters - 1) * n_local_trials) +
                                " uniforms, got " + std::to_string(uniforms.size()));
  }
  const std::vector<char> nonzero = nonzero_rows(rows);
  if (first_row < 0 || first_row >= rows.n_rows || !nonzero[static_cast<std::size_t>(first_row)]) {
    throw std::invalid_argument("first k-means++ centre " + std::to_string(first_row) +
                                " is not a non-zero row of the matrix");
  }
  const auto first_nonzero = static_cast<std::int64_t>(std::find(nonzero.begin(), nonzero.end(), 1) - nonzero.begin());

  std::vector<std::int64_t> centres{first_row};
  centres.reserve(n_clusters);
  std::vector<double> closest(n);
  for_each_row_similarities(rows, dense_rows(rows, centres, false),
                            [&](std::size_t row, const Eigen::VectorXd& s) { closest[row] = std::max(0.0, 1.0 - s[0]); });

  std::vector<double> cumulative(n);
  std::vector<std::int64_t> trials(n_local_trials);
  std::vector<double> trial_distance(n * n_local_trials);
  for (std::size_t c = 1; c < n_clusters; ++c) {
    check_interrupt();  // seeding is serial: O(n) per centre
    draw_trials(closest, nonzero, uniforms.subspan((c - 1) * n_local_trials, n_local_trials), first_nonzero,
                cumulative, trials);
    const Centroids candidates = dense_rows(rows, trials, false);
    for_each_row_similarities(rows, candidates, [&](std::size_t row, const Eigen::VectorXd& s) {
      for (std::size_t t = 0; t < n_local_trials; ++t) {
        trial_distance[row * n_local_trials + t] = std::max(0.0, 1.0 - s[static_cast<Eigen::Index>(t)]);
      }
    });
    std::size_t best = 0;
    double best_potential = 0.0;
    for (std::size_t t = 0; t < n_local_trials; ++t) {
      double potential = 0.0;
      for (std::size_t row = 0; row < n; ++row) {
        potential += std::min(closest[row], trial_distance[row * n_local_trials + t]);
      }
      if (t == 0 || potential < best_potential) {
        best = t;
        best_potential = potential;
      }
    }
    for (std::size_t row = 0; row < n; ++row) {
      closest[row] = std::min(closest[row], trial_distance[row * n_local_trials + best]);
    }
    centres.push_back(trials[best]);
  }
  return centres;
}

template <class Index>
Centroids centroids_from_rows(const SparseRows<Index>& rows, std::span<const std::int64_t> row_ids) {
  return dense_rows(rows, row_ids, true);
}

template <class Index>
ColumnMajorRows transpose_rows(const SparseRows<Index>& rows) {
  ColumnMajorRows out;
  out.n_rows = rows.n_rows;
  out.n_cols = rows.n_cols;
  out.colptr.assign(static_cast<std::size_t>(rows.n_cols) + 1, 0);
  for (const Index column : rows.indices) ++out.colptr[static_cast<std::size_t>(column) + 1];
  for (std::size_t j = 0; j < static_cast<std::size_t>(rows.n_cols); ++j) out.colptr[j + 1] += out.colptr[j];
  out.row.resize(rows.data.size());
  out.value.resize(rows.data.size());
  std::vector<std::int64_t> next(out.colptr.begin(), out.colptr.end() - 1);
  for (std::size_t row = 0; row < static_cast<std::size_t>(rows.n_rows); ++row) {
    for (auto p = rows.indptr[row]; p < rows.indptr[row + 1]; ++p) {
      const auto q = static_cast<std::size_t>(p);
      const auto slot = static_cast<std::size_t>(next[static_cast<std::size_t>(rows.indices[q])]++);
      out.row[slot] = static_cast<std::int64_t>(row);
      out.value[slot] = rows.data[q];
    }
  }
  return out;
}

template <class Index>
KMeansResult spherical_lloyd(const SparseRows<Index>& rows, const ColumnMajorRows& columns, Centroids centroids,
                             const LloydOptions& options) {
  check_lloyd_options(options);
  if (centroids.cols() != rows.n_cols || columns.n_rows != rows.n_rows || columns.n_cols != rows.n_cols) {
    throw std::invalid_argument("centroids, rows and columns disagree on the shape");
  }
  const auto k = static_cast<std::size_t>(centroids.rows());
  const std::vector<char> nonzero = nonzero_rows(rows);
  KMeansResult result;
  std::vector<std::int64_t> previous_labels;
  for (int iteration = 1; iteration <= options.max_iter; ++iteration) {
    Assignment a = assign_to_centroids(rows, centroids);
    result.inertia_history.push_back(sequential_sum_of_distances(a.similarity));
    result.relocated += relocate_empty_clusters(a.labels, a.similarity, nonzero, k);
    result.n_iter = iteration;
    // Same labels, same sums: the centroids would not move.
    if (a.labels == previous_labels) break;
    Centroids next = updated_centroids(columns, a.labels, centroids);
    const double shift = (next - centroids).squaredNorm();
    centroids = std::move(next);
    previous_labels = std::move(a.labels);
    if (shift <= options.tol) break;
  }
  Assignment last = assign_to_centroids(rows, centroids);
  result.inertia = sequential_sum_of_distances(last.similarity);
  result.inertia_history.push_back(result.inertia);
  result.labels = std::move(last.labels);
  result.centroids = std::move(centroids);
  return result;
}

template <class Index>
KMeansFit spherical_kmeans(const SparseRows<Index>& rows, std::size_t n_clusters,
                           std::span<const std::int64_t> first_rows, std::span<const double> uniforms,
                           std::size_t n_local_trials, const LloydOptions& options) {
  check_lloyd_options(options);
  if (first_rows.empty()) throw std::invalid_argument("n_init must be >= 1");
  if (n_clusters < 1) throw std::invalid_argument("n_clusters must be >= 1");
  const std::size_t per_run = (n_clusters - 1) * n_local_trials;
  if (uniforms.size() != per_run * first_rows.size()) {
    throw std::invalid_argument("expected " + std::to_string(per_run * first_rows.size()) + " uniforms for " +
                                std::to_string(first_rows.size()) + " runs, got " + std::to_string(uniforms.size()));
  }
  const ColumnMajorRows columns = transpose_rows(rows);
  KMeansFit fit;
  for (std::size_t run = 0; run < first_rows.size(); ++run) {
    const std::vector<std::int64_t> seeds =
        kmeans_plus_plus(rows, n_clusters, first_rows[run], uniforms.subspan(run * per_run, per_run), n_local_trials);
    KMeansResult result = spherical_lloyd(rows, columns, centroids_from_rows(rows, seeds), options);
    fit.run_inertia.push_back(result.inertia);
    if (run == 0 || result.inertia < fit.best.inertia) {
      fit.best = std::move(result);
      fit.best_run = run;
    }
  }
  return fit;
}

template <class Index>
KMeansFit spherical_kmeans_from(const SparseRows<Index>& rows, const Centroids& initial,
                                const LloydOptions& options) {
  if (initial.rows() < 1) throw std::invalid_argument("at least one initial centroid is needed");
  const ColumnMajorRows columns = transpose_rows(rows);
  KMeansFit fit;
  fit.best = spherical_lloyd(rows, columns, initial, options);
  fit.run_inertia.push_back(fit.best.inertia);
  return fit;
}

namespace {

// Solves independent problems over the threads, each on one (its own loops run
// sequentially), costlier ones (cost(problem)) first so that the last to start are
// short; which thread solves a problem never changes its result. The first failing
// problem's exception, in input order, is rethrown.
template <class Problem, class Cost, class Solve>
std::vector<KMeansFit> solve_batch(std::span<const Problem> problems, const LloydOptions& options, Cost&& cost,
                                   Solve&& solve) {
  check_lloyd_options(options);
  std::vector<KMeansFit> fits(problems.size());
  std::vector<double> costs(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) costs[i] = cost(problems[i]);
  std::vector<std::size_t> order(problems.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::exception_ptr> errors(problems.size());
  parallel_for(problems.size(), [&](std::size_t task) {
    const std::size_t i = order[task];
    try {
      const SequentialScope sequential;
      fits[i] = solve(problems[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return fits;
}

}  // namespace

template <class Index>
std::vector<KMeansFit> spherical_kmeans_batch(std::span<const KMeansProblem<Index>> problems,
                                              const LloydOptions& options) {
  return solve_batch(
      problems, options,
      [](const KMeansProblem<Index>& p) {
        return static_cast<double>(p.rows.data.size()) * static_cast<double>(p.n_clusters) *
               static_cast<double>(p.first_rows.size());
      },
      [&](const KMeansProblem<Index>& p) {
        validate_rows(p.rows);
        return spherical_kmeans(p.rows, p.n_clusters, p.first_rows, p.uniforms, p.n_local_trials, options);
      });
}

namespace {

using DenseSimilarities = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<char> dense_nonzero_rows(const Eigen::Ref<const DenseRowMatrix>& rows) {
  std::vector<char> nonzero(static_cast<std::size_t>(rows.rows()), 0);
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    for (Eigen::Index j = 0; j < rows.cols(); ++j) {
      if (rows(i, j) != 0.0) {
        nonzero[static_cast<std::size_t>(i)] = 1;
        break;
      }
    }
  }
  return nonzero;
}

// out(i, c) = the dot product of row i and centroid c (k x d, column-major: the k
// weights of column j side by side), added over j in increasing order: the order in
// which for_each_row_similarities adds a stored row's entries, so a dense fit equals
// the sparse fit of the same rows bit for bit, and no centroid's similarity depends on
// where it stands among the others (a blocked product's rounding does).
void dense_similarities(const Eigen::Ref<const DenseRowMatrix>& rows, const Centroids& centroids,
                        DenseSimilarities& out) {
  constexpr Eigen::Index kRows = 4, kLanes = 4;  // a 4 x 4 block of sums held in registers
  const Eigen::Index n = rows.rows(), d = rows.cols(), k = centroids.rows();
  const Eigen::Index padded = (k + kLanes - 1) / kLanes * kLanes;
  // The weights with zero centroids up to a multiple of kLanes: every block is full.
  std::vector<double> weights(static_cast<std::size_t>(d * padded), 0.0);
  for (Eigen::Index j = 0; j < d; ++j) {
    for (Eigen::Index c = 0; c < k; ++c) weights[static_cast<std::size_t>(j * padded + c)] = centroids(c, j);
  }
  out.resize(n, k);
  using Lanes = Eigen::Array<double, kLanes, 1>;
  const auto block = [&](Eigen::Index first_row, Eigen::Index n_rows, Eigen::Index c0) {
    Lanes acc0 = Lanes::Zero(), acc1 = Lanes::Zero(), acc2 = Lanes::Zero(), acc3 = Lanes::Zero();
    const double* x0 = rows.data() + first_row * rows.outerStride();
    // Short last block: its missing rows repeat its last row, and are not written.
    const double* x1 = rows.data() + std::min(first_row + 1, first_row + n_rows - 1) * rows.outerStride();
    const double* x2 = rows.data() + std::min(first_row + 2, first_row + n_rows - 1) * rows.outerStride();
    const double* x3 = rows.data() + std::min(first_row + 3, first_row + n_rows - 1) * rows.outerStride();
    const double* w = weights.data() + c0;
    for (Eigen::Index j = 0; j < d; ++j, w += padded) {
      const Lanes lanes = Eigen::Map<const Lanes>(w);
      acc0 += x0[j] * lanes;
      acc1 += x1[j] * lanes;
      acc2 += x2[j] * lanes;
      acc3 += x3[j] * lanes;
    }
    const Lanes* acc[kRows] = {&acc0, &acc1, &acc2, &acc3};
    for (Eigen::Index r = 0; r < n_rows; ++r) {
      for (Eigen::Index c = 0; c < std::min(kLanes, k - c0); ++c) out(first_row + r, c0 + c) = (*acc[r])[c];
    }
  };
  for (Eigen::Index i = 0; i < n; i += kRows) {
    for (Eigen::Index c0 = 0; c0 < k; c0 += kLanes) block(i, std::min(kRows, n - i), c0);
  }
}

// Each row's centroid of highest similarity (ties: lowest index) and that similarity.
Assignment dense_assign(const Eigen::Ref<const DenseRowMatrix>& rows, const Centroids& centroids,
                        DenseSimilarities& scratch) {
  dense_similarities(rows, centroids, scratch);
  Assignment out;
  out.labels.resize(static_cast<std::size_t>(rows.rows()));
  out.similarity.resize(static_cast<std::size_t>(rows.rows()));
  for (Eigen::Index i = 0; i < scratch.rows(); ++i) {
    const double* s = scratch.data() + i * scratch.cols();
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < scratch.cols(); ++c) {
      if (s[c] > s[best]) best = c;  // strict: ties keep the lowest index
    }
    out.labels[static_cast<std::size_t>(i)] = best;
    out.similarity[static_cast<std::size_t>(i)] = s[best];
  }
  return out;
}

// Normalised sums of each cluster's rows, added in ascending row order; a
// cluster whose sum is zero keeps its previous centroid (as updated_centroids).
Centroids dense_updated_centroids(const Eigen::Ref<const DenseRowMatrix>& rows,
                                  const std::vector<std::int64_t>& labels, const Centroids& previous) {
  const Eigen::Index k = previous.rows();
  DenseRowMatrix sums = DenseRowMatrix::Zero(k, rows.cols());
  for (Eigen::Index i = 0; i < rows.rows(); ++i) sums.row(labels[static_cast<std::size_t>(i)]) += rows.row(i);
  Centroids out(k, rows.cols());
  for (Eigen::Index c = 0; c < k; ++c) {
    double norm_sq = 0.0;
    for (Eigen::Index j = 0; j < sums.cols(); ++j) norm_sq += sums(c, j) * sums(c, j);
    if (norm_sq > 0.0) {
      const double norm = std::sqrt(norm_sq);
      for (Eigen::Index j = 0; j < sums.cols(); ++j) out(c, j) = sums(c, j) / norm;
    } else {
      out.row(c) = previous.row(c);  // no direction: keep it
    }
  }
  return out;
}

std::vector<std::int64_t> dense_kmeans_plus_plus(const Eigen::Ref<const DenseRowMatrix>& rows,
                                                 const std::vector<char>& nonzero, std::size_t n_clusters,
                                                 std::int64_t first_row, std::span<const double> uniforms,
                                                 std::size_t n_local_trials) {
  const auto n = static_cast<std::size_t>(rows.rows());
  if (first_row < 0 || first_row >= rows.rows() || !nonzero[static_cast<std::size_t>(first_row)]) {
    throw std::invalid_argument("first k-means++ centre " + std::to_string(first_row) +
                                " is not a non-zero row of the matrix");
  }
  const auto first_nonzero = static_cast<std::int64_t>(std::find(nonzero.begin(), nonzero.end(), 1) - nonzero.begin());
  std::vector<std::int64_t> centres{first_row};
  centres.reserve(n_clusters);
  DenseSimilarities similarity;
  dense_similarities(rows, rows.row(first_row), similarity);
  std::vector<double> closest(n);
  for (std::size_t i = 0; i < n; ++i) closest[i] = std::max(0.0, 1.0 - similarity(static_cast<Eigen::Index>(i), 0));
  std::vector<double> cumulative(n);
  std::vector<std::int64_t> trials(n_local_trials);
  Centroids candidates(static_cast<Eigen::Index>(n_local_trials), rows.cols());
  for (std::size_t c = 1; c < n_clusters; ++c) {
    check_interrupt();  // seeding is serial: O(n) per centre
    draw_trials(closest, nonzero, uniforms.subspan((c - 1) * n_local_trials, n_local_trials), first_nonzero,
                cumulative, trials);
    for (std::size_t t = 0; t < n_local_trials; ++t) candidates.row(static_cast<Eigen::Index>(t)) = rows.row(trials[t]);
    dense_similarities(rows, candidates, similarity);  // n x trials
    std::size_t best = 0;
    double best_potential = 0.0;
    for (std::size_t t = 0; t < n_local_trials; ++t) {
      double potential = 0.0;
      for (std::size_t row = 0; row < n; ++row) {
        potential += std::min(closest[row],
                              std::max(0.0, 1.0 - similarity(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(t))));
      }
      if (t == 0 || potential < best_potential) {
        best = t;
        best_potential = potential;
      }
    }
    for (std::size_t row = 0; row < n; ++row) {
      closest[row] = std::min(
          closest[row], std::max(0.0, 1.0 - similarity(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(best))));
    }
    centres.push_back(trials[best]);
  }
  return centres;
}

}  // namespace

KMeansFit dense_spherical_kmeans(const Eigen::Ref<const DenseRowMatrix>& rows, std::size_t n_clusters,
                                 std::span<const std::int64_t> first_rows, std::span<const double> uniforms,
                                 std::size_t n_local_trials, const LloydOptions& options) {
  check_lloyd_options(options);
  const auto n = static_cast<std::size_t>(rows.rows());
  if (first_rows.empty()) throw std::invalid_argument("n_init must be >= 1");
  if (n_clusters < 1 || n_clusters > n) {
    throw std::invalid_argument("n_clusters must be in [1, " + std::to_string(n) + "], got " +
                                std::to_string(n_clusters));
  }
  if (n_local_trials < 1) throw std::invalid_argument("n_local_trials must be >= 1");
  const std::size_t per_run = (n_clusters - 1) * n_local_trials;
  if (uniforms.size() != per_run * first_rows.size()) {
    throw std::invalid_argument("expected " + std::to_string(per_run * first_rows.size()) + " uniforms for " +
                                std::to_string(first_rows.size()) + " runs, got " + std::to_string(uniforms.size()));
  }
  if (!rows.allFinite()) throw std::invalid_argument("the rows hold NaN or infinity");
  const std::vector<char> nonzero = dense_nonzero_rows(rows);
  DenseSimilarities scratch;
  KMeansFit fit;
  for (std::size_t run = 0; run < first_rows.size(); ++run) {
    const std::vector<std::int64_t> seeds = dense_kmeans_plus_plus(
        rows, nonzero, n_clusters, first_rows[run], uniforms.subspan(run * per_run, per_run), n_local_trials);
    Centroids centroids(static_cast<Eigen::Index>(n_clusters), rows.cols());
    for (std::size_t c = 0; c < n_clusters; ++c) {
      const auto centre = static_cast<Eigen::Index>(c);
      double norm_sq = 0.0;  // in column order, as centroids_from_rows sums a stored row
      for (Eigen::Index j = 0; j < rows.cols(); ++j) {
        centroids(centre, j) = rows(seeds[c], j);
        norm_sq += rows(seeds[c], j) * rows(seeds[c], j);
      }
      if (norm_sq > 0.0) centroids.row(centre) /= std::sqrt(norm_sq);
    }
    KMeansResult result;
    std::vector<std::int64_t> previous_labels;
    for (int iteration = 1; iteration <= options.max_iter; ++iteration) {
      Assignment a = dense_assign(rows, centroids, scratch);
      result.inertia_history.push_back(sequential_sum_of_distances(a.similarity));
      result.relocated += relocate_empty_clusters(a.labels, a.similarity, nonzero, n_clusters);
      result.n_iter = iteration;
      if (a.labels == previous_labels) break;  // same labels, same sums: the centroids would not move
      Centroids next = dense_updated_centroids(rows, a.labels, centroids);
      const double shift = (next - centroids).squaredNorm();
      centroids = std::move(next);
      previous_labels = std::move(a.labels);
      if (shift <= options.tol) break;
    }
    Assignment last = dense_assign(rows, centroids, scratch);
    result.inertia = sequential_sum_of_distances(last.similarity);
    result.inertia_history.push_back(result.inertia);
    result.labels = std::move(last.labels);
    result.centroids = std::move(centroids);
    fit.run_inertia.push_back(result.inertia);
    if (run == 0 || result.inertia < fit.best.inertia) {
      fit.best = std::move(result);
      fit.best_run = run;
    }
  }
  return fit;
}

std::vector<KMeansFit> dense_spherical_kmeans_batch(std::span<const DenseKMeansProblem> problems,
                                                    const LloydOptions& options) {
  return solve_batch(
      problems, options,
      [](const DenseKMeansProblem& p) {
        return static_cast<double>(p.n_rows * p.n_cols) * static_cast<double>(p.n_clusters) *
               static_cast<double>(p.first_rows.size());
      },
      [&](const DenseKMeansProblem& p) {
        const Eigen::Map<const DenseRowMatrix> rows(p.rows, p.n_rows, p.n_cols);
        return dense_spherical_kmeans(rows, p.n_clusters, p.first_rows, p.uniforms, p.n_local_trials, options);
      });
}

#define THEMESCOPE_KMEANS_INSTANTIATE(Index)                                                                   \
  template void validate_rows<Index>(const SparseRows<Index>&);                                                \
  template std::vector<double> cosine_similarities<Index>(const SparseRows<Index>&, const Centroids&);         \
  template Assignment assign_to_centroids<Index>(const SparseRows<Index>&, const Centroids&);                  \
  template std::vector<std::int64_t> kmeans_plus_plus<Index>(const SparseRows<Index>&, std::size_t,            \
                                                             std::int64_t, std::span<const double>,            \
                                                             std::size_t);                                     \
  template Centroids centroids_from_rows<Index>(const SparseRows<Index>&, std::span<const std::int64_t>);      \
  template ColumnMajorRows transpose_rows<Index>(const SparseRows<Index>&);                                    \
  template KMeansResult spherical_lloyd<Index>(const SparseRows<Index>&, const ColumnMajorRows&, Centroids,    \
                                               const LloydOptions&);                                           \
  template KMeansFit spherical_kmeans<Index>(const SparseRows<Index>&, std::size_t,                            \
                                             std::span<const std::int64_t>, std::span<const double>,           \
                                             std::size_t, const LloydOptions&);                                \
  template KMeansFit spherical_kmeans_from<Index>(const SparseRows<Index>&, const Centroids&, const LloydOptions&); \
  template std::vector<KMeansFit> spherical_kmeans_batch<Index>(std::span<const KMeansProblem<Index>>,          \
                                                                const LloydOptions&);

THEMESCOPE_KMEANS_INSTANTIATE(std::int32_t)
THEMESCOPE_KMEANS_INSTANTIATE(std::int64_t)

#undef THEMESCOPE_KMEANS_INSTANTIATE

}  // namespace themescope
