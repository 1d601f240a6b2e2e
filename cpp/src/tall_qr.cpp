#include "themescope/tall_qr.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "themescope/parallel.hpp"

namespace themescope {

namespace {

// Rows per chunk of the Gram matrix's sum and of the solve: a constant, so the
// sum's order (hence its bits) never depends on the thread count; 2048 x 60
// doubles (1 MB) stay in cache while a chunk is worked on.
constexpr std::size_t kQrRowChunk = 2048;

std::size_t chunk_count(std::size_t rows) { return (rows + kQrRowChunk - 1) / kQrRowChunk; }

// Lower triangle of A^T A: each chunk's own rank update, then the chunks added in order.
Eigen::MatrixXd gram_lower(const Eigen::Ref<const DenseRows>& A) {
  const auto n = static_cast<std::size_t>(A.rows());
  const Eigen::Index c = A.cols();
  std::vector<Eigen::MatrixXd> partial(chunk_count(n));
  parallel_for(partial.size(), [&](std::size_t chunk) {
    const std::size_t begin = chunk * kQrRowChunk, end = std::min(n, begin + kQrRowChunk);
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(c, c);
    g.selfadjointView<Eigen::Lower>().rankUpdate(
        A.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin)).transpose());
    partial[chunk] = std::move(g);
  });
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(c, c);
  for (const Eigen::MatrixXd& g : partial) G.triangularView<Eigen::Lower>() += g;
  return G;
}

// R of G = R^T R (upper, from the lower triangle of G), or nullopt when G is not
// positive definite or R not finite.
std::optional<Eigen::MatrixXd> cholesky_upper(const Eigen::MatrixXd& G) {
  const Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(G);
  if (llt.info() != Eigen::Success) return std::nullopt;
  Eigen::MatrixXd R = llt.matrixU();
  if (!R.allFinite() || (R.diagonal().array() <= 0.0).any()) return std::nullopt;
  return R;
}

// Q <- Q R^{-1}, each chunk of rows alone.
void solve_right_in_place(DenseRows& Q, const Eigen::MatrixXd& R) {
  const auto n = static_cast<std::size_t>(Q.rows());
  parallel_for(chunk_count(n), [&](std::size_t chunk) {
    const std::size_t begin = chunk * kQrRowChunk, end = std::min(n, begin + kQrRowChunk);
    auto rows = Q.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin));
    R.triangularView<Eigen::Upper>().solveInPlace<Eigen::OnTheRight>(rows);
  });
}

}  // namespace

std::optional<DenseRows> cholesky_qr2(const Eigen::Ref<const DenseRows>& A) {
  if (A.cols() < 1 || A.rows() < A.cols()) {
    throw std::invalid_argument("CholeskyQR needs a tall block with rows >= columns >= 1, got " +
                                std::to_string(A.rows()) + " x " + std::to_string(A.cols()));
  }
  const std::optional<Eigen::MatrixXd> R1 = cholesky_upper(gram_lower(A));
  if (!R1) return std::nullopt;
  DenseRows Q = A;
  solve_right_in_place(Q, *R1);
  Eigen::MatrixXd G2 = gram_lower(Q);
  const Eigen::MatrixXd deviation =
      (G2 - Eigen::MatrixXd::Identity(G2.rows(), G2.cols())).triangularView<Eigen::Lower>();
  // written so that a NaN refuses too
  if (!(deviation.cwiseAbs().maxCoeff() <= kCholeskyQrTrust)) return std::nullopt;
  const std::optional<Eigen::MatrixXd> R2 = cholesky_upper(G2);
  if (!R2) return std::nullopt;
  solve_right_in_place(Q, *R2);
  return Q;
}

}  // namespace themescope
