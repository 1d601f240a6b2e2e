// An orthonormal basis of a tall block's columns (the QR step of the randomized
// SVD behind LSA): CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa & Yamamoto 2014),
// two passes of Gram matrix, Cholesky and triangular solve, on every thread.
//
// Deterministic whatever the thread count: the Gram matrix is summed over fixed
// chunks of rows (their size a constant, never the thread count), each chunk's
// product computed alone and the chunks added in order; the solve treats each
// chunk alone.
#pragma once
#include <optional>

#include <Eigen/Dense>

#include "themescope/sparse_dense.hpp"

namespace themescope {

// The largest entry of |Q1^T Q1 - I| after the first pass for which the second
// pass is trusted to give an orthonormal Q (to rounding). Q1's loss of
// orthogonality grows as eps * cond(A)^2: this accepts cond(A) up to about 1e5
// (LSA's blocks: about 1e2), and refuses rank-deficient blocks.
inline constexpr double kCholeskyQrTrust = 1e-6;

// Q of A = Q R (R upper triangular, positive diagonal): the Q of a Householder
// QR such as LAPACK's up to the sign of each column, to about eps * cond(A).
// std::nullopt when A is too ill-conditioned for CholeskyQR2 (the Gram matrix is
// not positive definite, holds no finite values, or the first pass's Q1 is not
// within kCholeskyQrTrust of orthonormal): the caller then needs a Householder
// QR. A is never modified. Throws std::invalid_argument when A has fewer rows
// than columns or no column.
std::optional<DenseRows> cholesky_qr2(const Eigen::Ref<const DenseRows>& A);

}  // namespace themescope
