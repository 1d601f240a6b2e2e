#include "themescope/sparse_dense.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "themescope/parallel.hpp"

namespace themescope {

namespace {

// Rows per task. Each output row is computed from its own sparse row alone, so
// this sets the granularity, never a result.
constexpr std::size_t kRowBlock = 128;

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
  parallel_for(tasks, [&](std::size_t task) {
    const std::size_t end = std::min(n, (task + 1) * kRowBlock);
    for (std::size_t row = task * kRowBlock; row < end; ++row) {
      double* out = Y.data() + row * c;
      std::fill(out, out + c, 0.0);
      const auto b = static_cast<std::size_t>(X.indptr[row]), e = static_cast<std::size_t>(X.indptr[row + 1]);
      // A plain loop over the c columns (about 60 here): it vectorises, and Eigen's
      // per-expression set-up would cost more than the arithmetic of one entry.
      for (std::size_t p = b; p < e; ++p) {
        const double v = X.data[p];
        const double* d = D.data() + static_cast<std::size_t>(X.indices[p]) * static_cast<std::size_t>(D.outerStride());
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

#define THEMESCOPE_SPARSE_DENSE(Index, Pointer)                                                                  \
  template void validate_csr(const SparseMatrixView<Index, Pointer>&);                                          \
  template DenseRows sparse_times_dense(const SparseMatrixView<Index, Pointer>&, const Eigen::Ref<const DenseRows>&); \
  template CsrMatrix<double, std::int32_t, std::int32_t> transpose_csr(const SparseMatrixView<Index, Pointer>&); \
  template CsrMatrix<double, std::int64_t, std::int64_t> transpose_csr(const SparseMatrixView<Index, Pointer>&);
THEMESCOPE_SPARSE_DENSE(std::int32_t, std::int32_t)
THEMESCOPE_SPARSE_DENSE(std::int64_t, std::int64_t)
#undef THEMESCOPE_SPARSE_DENSE

}  // namespace themescope
