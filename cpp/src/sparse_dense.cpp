#include "themescope/sparse_dense.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "themescope/parallel.hpp"

namespace themescope {

namespace {

// Rows per task. Each output row is computed from its own sparse row alone, so
// this sets the granularity, never a result.
constexpr std::size_t kRowBlock = 128;
// Entries ahead whose dense row is prefetched: each entry reads a row of D at an
// index the hardware cannot guess; eight rows in flight took a product of BBC x4
// (8,900 x 41,193, 1.5 M entries, by 60 columns) from 83 to 58 ms. It reads
// ahead only, never changing what is summed or in which order.
constexpr std::size_t kPrefetchAhead = 8;

// Asks for the cache lines of `bytes` bytes from `p` (none is read if unused).
inline void prefetch_bytes(const double* p, std::size_t bytes) {
  const auto* first = reinterpret_cast<const char*>(p);
  for (std::size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(first + offset);
  if (bytes > 0) __builtin_prefetch(first + bytes - 1);
}

}  // namespace

template <class Index, class Pointer>
void validate_csr(const SparseMatrixView<Index, Pointer>& X) {
  if (X.n_rows < 0 || X.n_cols < 0) throw std::invalid_argument("a sparse matrix cannot have a negative shape");
  if (X.indptr.size() != static_cast<std::size_t>(X.n_rows) + 1) {
    throw std::invalid_argument("indptr has " + std::to_string(X.indptr.size()) + " entries, expected n_rows + 1 = " +
                                std::to_string(X.n_rows + 1));
  }
  if (X.indices.size() != X.data.size()) {
    throw std::invalid_argument("indices (" + std::to_string(X.indices.size()) + ") and data (" +
                                std::to_string(X.data.size()) + ") differ in length");
  }
  if (X.indptr[0] != 0 || static_cast<std::size_t>(X.indptr[X.indptr.size() - 1]) != X.indices.size()) {
    throw std::invalid_argument("indptr must start at 0 and end at nnz = " + std::to_string(X.indices.size()));
  }
  for (std::size_t row = 0; row + 1 < X.indptr.size(); ++row) {
    if (X.indptr[row + 1] < X.indptr[row]) {
      throw std::invalid_argument("indptr decreases at row " + std::to_string(row));
    }
  }
  for (std::size_t p = 0; p < X.indices.size(); ++p) {
    if (X.indices[p] < 0 || static_cast<std::int64_t>(X.indices[p]) >= X.n_cols) {
      throw std::invalid_argument("column index " + std::to_string(X.indices[p]) + " is outside [0, " +
                                  std::to_string(X.n_cols) + ")");
    }
    if (!std::isfinite(X.data[p])) throw std::invalid_argument("the sparse matrix holds NaN or infinity");
  }
}

template <class Index, class Pointer>
DenseRows sparse_times_dense(const SparseMatrixView<Index, Pointer>& X, const Eigen::Ref<const DenseRows>& D) {
  if (D.rows() != X.n_cols) {
    throw std::invalid_argument("the dense matrix has " + std::to_string(D.rows()) +
                                " rows, the sparse one " + std::to_string(X.n_cols) + " columns");
  }
  const auto n = static_cast<std::size_t>(X.n_rows);
  const auto c = static_cast<std::size_t>(D.cols());
  DenseRows Y(X.n_rows, D.cols());
  const std::size_t tasks = (n + kRowBlock - 1) / kRowBlock;
  const auto stride = static_cast<std::size_t>(D.outerStride());
  parallel_for(tasks, [&](std::size_t task) {
    const std::size_t end = std::min(n, (task + 1) * kRowBlock);
    const auto last_entry = static_cast<std::size_t>(X.indptr[end]);
    for (std::size_t row = task * kRowBlock; row < end; ++row) {
      double* out = Y.data() + row * c;
      std::fill(out, out + c, 0.0);
      const auto b = static_cast<std::size_t>(X.indptr[row]), e = static_cast<std::size_t>(X.indptr[row + 1]);
      // A plain loop over the c columns (about 60 here): it vectorises, and Eigen's
      // per-expression set-up would cost more than the arithmetic of one entry.
      for (std::size_t p = b; p < e; ++p) {
        if (p + kPrefetchAhead < last_entry) {
          const auto ahead = static_cast<std::size_t>(X.indices[p + kPrefetchAhead]);
          prefetch_bytes(D.data() + ahead * stride, c * sizeof(double));
        }
        const double v = X.data[p];
        const double* d = D.data() + static_cast<std::size_t>(X.indices[p]) * stride;
        for (std::size_t j = 0; j < c; ++j) out[j] += v * d[j];
      }
    }
  });
  return Y;
}

template <class OutIndex, class Index, class Pointer>
CsrMatrix<double, OutIndex, OutIndex> transpose_csr(const SparseMatrixView<Index, Pointer>& X) {
  if (static_cast<std::uint64_t>(X.n_rows) > static_cast<std::uint64_t>(std::numeric_limits<OutIndex>::max()) ||
      X.indices.size() > static_cast<std::uint64_t>(std::numeric_limits<OutIndex>::max())) {
    throw std::invalid_argument("the transpose's rows or entries do not fit its index type");
  }
  CsrMatrix<double, OutIndex, OutIndex> T;
  T.n_rows = X.n_cols;
  T.n_cols = X.n_rows;
  const std::size_t nnz = X.indices.size();
  // A counting sort by column, scanning X in row order: each row of X^T comes
  // out in ascending row of X. Sequential, one pass: memory-bound, and a
  // fraction of the products it serves.
  T.indptr.assign(static_cast<std::size_t>(X.n_cols) + 1, 0);
  for (std::size_t p = 0; p < nnz; ++p) ++T.indptr[static_cast<std::size_t>(X.indices[p]) + 1];
  for (std::size_t j = 0; j < static_cast<std::size_t>(X.n_cols); ++j) T.indptr[j + 1] += T.indptr[j];
  T.indices.resize(nnz);
  T.data.resize(nnz);
  std::vector<OutIndex> next(T.indptr.begin(), T.indptr.end() - 1);
  for (std::size_t row = 0; row < static_cast<std::size_t>(X.n_rows); ++row) {
    for (auto p = static_cast<std::size_t>(X.indptr[row]); p < static_cast<std::size_t>(X.indptr[row + 1]); ++p) {
      const auto slot = static_cast<std::size_t>(next[static_cast<std::size_t>(X.indices[p])]++);
      T.indices[slot] = static_cast<OutIndex>(row);
      T.data[slot] = X.data[p];
    }
  }
  return T;
}

namespace {

// Columns factored as a panel before the rows below are brought up to date:
// one pass over the whole block per panel instead of per column.
constexpr std::size_t kLuPanel = 8;
// Positions (rows in pivot order) per task of a pass over the block.
constexpr std::size_t kLuRowChunk = 1024;

// LAPACK's getf2 on a row-major tall block without moving its rows: order_ maps
// each position (pivot order) to its row, so the block ends as P L in place.
// Each panel of columns is factored in a column-major copy (positions in
// order), where the pivot search, the swaps and the updates are contiguous as
// in LAPACK's own layout; the rows below get the panel's updates in one pass,
// which also copies out the next panel.
class TallLu {
 public:
  explicit TallLu(Eigen::Ref<DenseRows> A)
      : data_(A.data()), stride_(static_cast<std::size_t>(A.outerStride())),
        rows_(static_cast<std::size_t>(A.rows())), cols_(static_cast<std::size_t>(A.cols())), order_(rows_),
        panel_(kLuPanel * rows_), next_panel_(kLuPanel * rows_) {
    for (std::size_t i = 0; i < rows_; ++i) order_[i] = i;
  }

  DenseRows factor() {
    rows_pass(0, [&](std::size_t i, double* r) { copy_to_panel(next_panel_, 0, i, r); });
    for (std::size_t k0 = 0; k0 < cols_; k0 += kLuPanel) {
      const std::size_t k1 = std::min(cols_, k0 + kLuPanel);
      panel_.swap(next_panel_);
      factor_panel(k0, k1);
      solve_pivot_rows(k0, k1);
      update_rows_below(k0, k1);
    }
    return take_u();
  }

 private:
  double* row(std::size_t position) const { return data_ + order_[position] * stride_; }
  // Panel column c (of the panel starting at k0), position i: column-major over positions k0 .. rows_ - 1.
  double& at(std::vector<double>& panel, std::size_t k0, std::size_t c, std::size_t i) const {
    return panel[(c - k0) * (rows_ - k0) + (i - k0)];
  }

  void copy_to_panel(std::vector<double>& panel, std::size_t k0, std::size_t i, const double* r) const {
    for (std::size_t c = k0; c < std::min(cols_, k0 + kLuPanel); ++c) at(panel, k0, c, i) = r[c];
  }

  // f(position, row) for positions first .. rows_ - 1, on every thread (each row by one task).
  template <class F>
  void rows_pass(std::size_t first, const F& f) const {
    const std::size_t count = rows_ > first ? rows_ - first : 0;
    parallel_for((count + kLuRowChunk - 1) / kLuRowChunk, [&](std::size_t task) {
      const std::size_t begin = first + task * kLuRowChunk, end = std::min(rows_, begin + kLuRowChunk);
      for (std::size_t i = begin; i < end; ++i) f(i, row(i));
    });
  }

  // Steps k0 .. k1 - 1 of getf2 on the panel's columns, in the column-major copy.
  void factor_panel(std::size_t k0, std::size_t k1) {
    for (std::size_t j = k0; j < k1; ++j) {
      double* column = &at(panel_, k0, j, k0);
      std::size_t pivot = j;  // idamax: the first position of largest magnitude
      for (std::size_t i = j + 1; i < rows_; ++i) {
        if (std::abs(column[i - k0]) > std::abs(column[pivot - k0])) pivot = i;
      }
      if (pivot != j) {
        std::swap(order_[j], order_[pivot]);
        for (std::size_t c = k0; c < k1; ++c) std::swap(at(panel_, k0, c, j), at(panel_, k0, c, pivot));
      }
      const double value = column[j - k0];
      // getf2: no scaling by a zero pivot (its column is zero below); below LAPACK's safe
      // minimum, a division instead of the reciprocal's product
      if (value != 0.0) {
        const double inverse = 1.0 / value;
        const bool reciprocal = std::abs(value) >= std::numeric_limits<double>::min();
        for (std::size_t i = j + 1; i < rows_; ++i) column[i - k0] = reciprocal ? column[i - k0] * inverse
                                                                                : column[i - k0] / value;
      }
      for (std::size_t c = j + 1; c < k1; ++c) {
        double* target = &at(panel_, k0, c, k0);
        const double u = target[j - k0];
        for (std::size_t i = j + 1; i < rows_; ++i) target[i - k0] -= column[i - k0] * u;
      }
    }
  }

  // The panel's pivot rows: their panel columns back, then to the right of the panel the
  // updates getf2 made there, step by step.
  void solve_pivot_rows(std::size_t k0, std::size_t k1) {
    for (std::size_t i = k0; i < k1; ++i) {
      double* r = row(i);
      for (std::size_t c = k0; c < k1; ++c) r[c] = at(panel_, k0, c, i);
      for (std::size_t t = k0; t < i; ++t) {
        const double l = r[t];
        const double* u = row(t);
        for (std::size_t c = k1; c < cols_; ++c) r[c] -= l * u[c];
      }
    }
  }

  // The rows below the panel: its columns back, the updates to its right in getf2's
  // order, and the next panel's columns copied out.
  void update_rows_below(std::size_t k0, std::size_t k1) {
    const double* u[kLuPanel];
    for (std::size_t t = k0; t < k1; ++t) u[t - k0] = row(t);
    rows_pass(k1, [&](std::size_t i, double* r) {
      for (std::size_t c = k0; c < k1; ++c) r[c] = at(panel_, k0, c, i);
      for (std::size_t t = k0; t < k1; ++t) {
        const double l = r[t];
        const double* ut = u[t - k0];
        for (std::size_t c = k1; c < cols_; ++c) r[c] -= l * ut[c];
      }
      if (k1 < cols_) copy_to_panel(next_panel_, k1, i, r);
    });
  }

  // U out of the pivot rows, which then become L's rows: 1 on the diagonal, 0 after.
  DenseRows take_u() const {
    DenseRows U = DenseRows::Zero(static_cast<Eigen::Index>(cols_), static_cast<Eigen::Index>(cols_));
    for (std::size_t i = 0; i < cols_; ++i) {
      double* r = row(i);
      for (std::size_t c = i; c < cols_; ++c) {
        U(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = r[c];
        r[c] = c == i ? 1.0 : 0.0;
      }
    }
    return U;
  }

  double* data_;
  std::size_t stride_, rows_, cols_;
  std::vector<std::size_t> order_;
  std::vector<double> panel_, next_panel_;
};

}  // namespace

DenseRows permuted_lu_in_place(Eigen::Ref<DenseRows> A) {
  if (A.rows() < A.cols()) {
    throw std::invalid_argument("the LU of a tall block needs rows >= columns, got " + std::to_string(A.rows()) +
                                " x " + std::to_string(A.cols()));
  }
  return TallLu(A).factor();
}

#define THEMESCOPE_SPARSE_DENSE(Index, Pointer)                                                                  \
  template void validate_csr(const SparseMatrixView<Index, Pointer>&);                                          \
  template DenseRows sparse_times_dense(const SparseMatrixView<Index, Pointer>&, const Eigen::Ref<const DenseRows>&); \
  template CsrMatrix<double, std::int32_t, std::int32_t> transpose_csr(const SparseMatrixView<Index, Pointer>&); \
  template CsrMatrix<double, std::int64_t, std::int64_t> transpose_csr(const SparseMatrixView<Index, Pointer>&);
THEMESCOPE_SPARSE_DENSE(std::int32_t, std::int32_t)
THEMESCOPE_SPARSE_DENSE(std::int64_t, std::int64_t)
#undef THEMESCOPE_SPARSE_DENSE

}  // namespace themescope
