// CholeskyQR2 of tall blocks: orthonormal, A = Q R with R upper triangular, Eigen's
// Householder Q up to column signs, refusal of ill-conditioned and rank-deficient
// blocks, and bit-identical results for 1, 2 and 3 threads.
#include <cmath>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/parallel.hpp"
#include "themescope/tall_qr.hpp"

namespace themescope {
namespace {

using testing::ThreadCountGuard;

DenseRows random_block(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> value(0.0, 1.0);
  return DenseRows::NullaryExpr(rows, cols, [&] { return value(gen); });
}

// A block of condition number `cond`: orthonormal U (rows x cols) times singular values
// from 1 down to 1/cond, times an orthogonal V^T.
DenseRows block_with_condition(Eigen::Index rows, Eigen::Index cols, double cond, unsigned seed) {
  const Eigen::MatrixXd U = Eigen::HouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd(random_block(rows, cols, seed)))
                                .householderQ() * Eigen::MatrixXd::Identity(rows, cols);
  const Eigen::MatrixXd V = Eigen::HouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd(random_block(cols, cols, seed + 1)))
                                .householderQ();
  Eigen::VectorXd s(cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    s(j) = std::pow(cond, -static_cast<double>(j) / static_cast<double>(cols - 1));
  }
  return U * s.asDiagonal() * V.transpose();
}

// Householder's Q (Eigen), its column signs aligned to ours.
Eigen::MatrixXd householder_q_like(const DenseRows& A, const DenseRows& ours) {
  Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd(A)).householderQ() *
                      Eigen::MatrixXd::Identity(A.rows(), A.cols());
  for (Eigen::Index j = 0; j < Q.cols(); ++j) {
    if (Q.col(j).dot(ours.col(j)) < 0.0) Q.col(j) = -Q.col(j);
  }
  return Q;
}

TEST(TallQr, IsHouseholdersQUpToSigns) {
  for (const double cond : {1.0, 1e2, 1e4}) {
    const DenseRows A = block_with_condition(5000, 60, cond, 3);
    const auto Q = cholesky_qr2(A);
    ASSERT_TRUE(Q.has_value()) << "cond " << cond;
    const Eigen::MatrixXd orthogonality = Q->transpose() * *Q - Eigen::MatrixXd::Identity(60, 60);
    EXPECT_LT(orthogonality.cwiseAbs().maxCoeff(), 1e-14) << "cond " << cond;
    const Eigen::MatrixXd R = Q->transpose() * A;  // A = Q R: R upper triangular, A recovered
    EXPECT_LT(R.triangularView<Eigen::StrictlyLower>().toDenseMatrix().cwiseAbs().maxCoeff(), 1e-13 * R.norm());
    EXPECT_LT((*Q * R.triangularView<Eigen::Upper>().toDenseMatrix() - A).cwiseAbs().maxCoeff(), 1e-14);
    EXPECT_LT((householder_q_like(A, *Q) - *Q).cwiseAbs().maxCoeff(), 1e-15 * cond * 100) << "cond " << cond;
  }
}

TEST(TallQr, RefusesIllConditionedAndRankDeficientBlocks) {
  EXPECT_FALSE(cholesky_qr2(block_with_condition(3000, 40, 1e9, 5)).has_value());
  DenseRows deficient = random_block(3000, 12, 6) * random_block(12, 30, 7);  // rank 12 of 30 columns
  EXPECT_FALSE(cholesky_qr2(deficient).has_value());
  DenseRows zero_column = random_block(100, 5, 8);
  zero_column.col(2).setZero();
  EXPECT_FALSE(cholesky_qr2(zero_column).has_value());
  zero_column(0, 2) = std::nan("");
  EXPECT_FALSE(cholesky_qr2(zero_column).has_value());
}

TEST(TallQr, SmallAndSquareBlocks) {
  const DenseRows one = DenseRows::Constant(1, 1, -3.0);
  const auto Q = cholesky_qr2(one);
  ASSERT_TRUE(Q.has_value());
  EXPECT_EQ((*Q)(0, 0), -1.0);  // R's diagonal is positive: Q carries A's sign
  const DenseRows square = random_block(7, 7, 9);
  const auto Qs = cholesky_qr2(square);
  ASSERT_TRUE(Qs.has_value());
  EXPECT_LT((householder_q_like(square, *Qs) - *Qs).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(TallQr, RejectsWideOrEmptyBlocks) {
  EXPECT_THROW(cholesky_qr2(DenseRows::Ones(3, 4)), std::invalid_argument);
  EXPECT_THROW(cholesky_qr2(DenseRows(5, 0)), std::invalid_argument);
}

TEST(TallQr, BitIdenticalForAnyThreadCount) {
  ThreadCountGuard guard;
  const DenseRows A = block_with_condition(9001, 30, 1e3, 11);  // five chunks, the last one short
  set_num_threads(1);
  const auto reference = cholesky_qr2(A);
  ASSERT_TRUE(reference.has_value());
  for (const int threads : {2, 3}) {
    set_num_threads(threads);
    const auto Q = cholesky_qr2(A);
    ASSERT_TRUE(Q.has_value());
    EXPECT_TRUE(*Q == *reference) << threads << " threads";
  }
}

}  // namespace
}  // namespace themescope
