// Products of a sparse (CSR) matrix with tall dense matrices: the heavy steps of
// the randomized SVD behind LSA (Halko, Martinsson & Tropp 2011), which
// multiplies the document-term matrix and its transpose by n x ~60 blocks.
//
// Deterministic whatever the thread count: each output row is computed by one
// task from its own row of the sparse matrix, summing the entries in storage
// order, so no partial sums of threads are ever combined. X^T is formed once
// (transpose_csr) so that X^T D is the same row-wise product.
#pragma once
#include <cstdint>

#include <Eigen/Dense>

#include "themescope/csr.hpp"

namespace themescope {

// Dense blocks, row-major: one row of D is what one sparse entry scales.
using DenseRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class Index, class Pointer>
using SparseMatrixView = CsrView<const double, Index, Pointer>;

// Throws std::invalid_argument when the buffers are inconsistent: indptr of
// n_rows + 1 entries starting at 0, non-decreasing, ending at nnz; column
// indices in [0, n_cols); values finite.
template <class Index, class Pointer>
void validate_csr(const SparseMatrixView<Index, Pointer>& X);

// X D for X (n x m) and D (m x c): n x c. Throws std::invalid_argument when
// D does not have m rows.
template <class Index, class Pointer>
DenseRows sparse_times_dense(const SparseMatrixView<Index, Pointer>& X, const Eigen::Ref<const DenseRows>& D);

// X^T as CSR (m x n): row j holds column j of X, in ascending row order of X.
// OutIndex (int32 or int64) holds its indices and indptr: int32 halves the copy
// when n and nnz fit (std::invalid_argument otherwise).
template <class OutIndex, class Index, class Pointer>
CsrMatrix<double, OutIndex, OutIndex> transpose_csr(const SparseMatrixView<Index, Pointer>& X);

}  // namespace themescope

namespace themescope {

// LU factorisation with partial pivoting of a tall block A (rows >= cols), the
// normaliser of the randomized SVD's power iterations (scipy's
// lu(A, permute_l=True)): A = (P L) U. On return A holds P L (L unit lower
// trapezoidal, its rows back in A's row order); the cols x cols U is returned.
// The pivots are LAPACK's (getf2): at each step the first row of largest
// magnitude in the current order, multipliers scaled by the pivot's reciprocal.
// The arithmetic is the unblocked right-looking algorithm's, operation for
// operation (blocked by panels for memory traffic only, which reorders no sum),
// so the result is bit-identical whatever the thread count. Throws
// std::invalid_argument when rows < cols.
DenseRows permuted_lu_in_place(Eigen::Ref<DenseRows> A);

}  // namespace themescope
