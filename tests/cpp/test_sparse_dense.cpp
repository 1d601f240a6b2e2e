// Sparse x dense products of the randomized SVD: a hand-worked product, the
// transpose, agreement with Eigen's own dense product on random matrices, bad
// buffers, and bit-identical results for 1, 2 and 3 threads.
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/sparse_dense.hpp"

namespace themescope {
namespace {

using testing::ThreadCountGuard;

struct OwnedCsr {
  std::int64_t n_rows = 0, n_cols = 0;
  std::vector<std::int32_t> indptr{0};
  std::vector<std::int32_t> indices;
  std::vector<double> data;

  explicit OwnedCsr(const Eigen::MatrixXd& dense) : n_rows(dense.rows()), n_cols(dense.cols()) {
    for (Eigen::Index i = 0; i < dense.rows(); ++i) {
      for (Eigen::Index j = 0; j < dense.cols(); ++j) {
        if (dense(i, j) != 0.0) {
          indices.push_back(static_cast<std::int32_t>(j));
          data.push_back(dense(i, j));
        }
      }
      indptr.push_back(static_cast<std::int32_t>(indices.size()));
    }
  }
  SparseMatrixView<std::int32_t, std::int32_t> view() const { return {n_rows, n_cols, indptr, indices, data}; }
};

Eigen::MatrixXd random_sparse(Eigen::Index rows, Eigen::Index cols, double density, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> value(0.0, 1.0);
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      if (u(gen) < density) m(i, j) = value(gen);
    }
  }
  return m;
}

DenseRows random_dense(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> value(0.0, 1.0);
  DenseRows m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = value(gen);
  }
  return m;
}

TEST(SparseTimesDense, HandWorkedProduct) {
  // X = [[1, 0, 2], [0, 0, 0], [0, 3, 0]], D = [[1, 2], [3, 4], [5, 6]]
  Eigen::MatrixXd x(3, 3);
  x << 1, 0, 2, 0, 0, 0, 0, 3, 0;
  const OwnedCsr X(x);
  DenseRows D(3, 2);
  D << 1, 2, 3, 4, 5, 6;
  const DenseRows Y = sparse_times_dense(X.view(), D);
  ASSERT_EQ(Y.rows(), 3);
  ASSERT_EQ(Y.cols(), 2);
  EXPECT_EQ(Y(0, 0), 11.0);  // 1*1 + 2*5
  EXPECT_EQ(Y(0, 1), 14.0);  // 1*2 + 2*6
  EXPECT_EQ(Y(1, 0), 0.0);   // an empty row gives zeros
  EXPECT_EQ(Y(1, 1), 0.0);
  EXPECT_EQ(Y(2, 0), 9.0);   // 3*3
  EXPECT_EQ(Y(2, 1), 12.0);
}

TEST(SparseTimesDense, TransposeHoldsTheColumnsInRowOrder) {
  Eigen::MatrixXd x(3, 4);
  x << 1, 0, 2, 0, 0, 0, 3, 0, 4, 0, 5, 0;
  const OwnedCsr X(x);
  const auto T = transpose_csr<std::int64_t>(X.view());
  EXPECT_EQ(T.n_rows, 4);
  EXPECT_EQ(T.n_cols, 3);
  EXPECT_EQ(T.indptr, (std::vector<std::int64_t>{0, 2, 2, 5, 5}));
  EXPECT_EQ(T.indices, (std::vector<std::int64_t>{0, 2, 0, 1, 2}));
  EXPECT_EQ(T.data, (std::vector<double>{1, 4, 2, 3, 5}));
  const auto narrow = transpose_csr<std::int32_t>(X.view());
  EXPECT_EQ(narrow.indptr, (std::vector<std::int32_t>{0, 2, 2, 5, 5}));
  EXPECT_EQ(narrow.indices, (std::vector<std::int32_t>{0, 2, 0, 1, 2}));
}

TEST(SparseTimesDense, AgreesWithEigenOnRandomMatrices) {
  const Eigen::MatrixXd x = random_sparse(300, 120, 0.05, 1);
  const OwnedCsr X(x);
  const DenseRows D = random_dense(120, 17, 2);
  const DenseRows Y = sparse_times_dense(X.view(), D);
  EXPECT_LE((Y - x * D).cwiseAbs().maxCoeff(), 1e-12);

  const auto T = transpose_csr<std::int64_t>(X.view());
  const SparseMatrixView<std::int64_t, std::int64_t> t{T.n_rows, T.n_cols, T.indptr, T.indices, T.data};
  const DenseRows E = random_dense(300, 9, 3);
  const DenseRows Z = sparse_times_dense(t, E);
  EXPECT_LE((Z - x.transpose() * E).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(SparseTimesDense, BitIdenticalForAnyThreadCount) {
  ThreadCountGuard guard;
  const Eigen::MatrixXd x = random_sparse(1000, 400, 0.03, 4);
  const OwnedCsr X(x);
  const DenseRows D = random_dense(400, 60, 5);
  set_num_threads(1);
  const DenseRows one = sparse_times_dense(X.view(), D);
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    const DenseRows many = sparse_times_dense(X.view(), D);
    EXPECT_EQ(std::memcmp(one.data(), many.data(), sizeof(double) * static_cast<std::size_t>(one.size())), 0)
        << threads << " threads";
  }
}

TEST(SparseTimesDense, BadBuffersAreRejected) {
  Eigen::MatrixXd x(2, 2);
  x << 1, 0, 0, 2;
  OwnedCsr X(x);
  DenseRows wrong(3, 2);
  wrong.setZero();
  EXPECT_THROW(sparse_times_dense(X.view(), wrong), std::invalid_argument);
  EXPECT_NO_THROW(validate_csr(X.view()));
  OwnedCsr out_of_range = X;
  out_of_range.indices[1] = 2;
  EXPECT_THROW(validate_csr(out_of_range.view()), std::invalid_argument);
  OwnedCsr decreasing = X;
  decreasing.indptr = {0, 2, 1};
  EXPECT_THROW(validate_csr(decreasing.view()), std::invalid_argument);
  OwnedCsr not_finite = X;
  not_finite.data[0] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(validate_csr(not_finite.view()), std::invalid_argument);
}

}  // namespace
}  // namespace themescope
