// Sparse x dense products of the randomized SVD: a hand-worked product, the
// transpose, agreement with Eigen's own dense product on random matrices, bad
// buffers, and bit-identical results for 1, 2 and 3 threads.
#include <cmath>
#include <cstring>
#include <utility>
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

// LAPACK's getf2 as written (rows swapped in place, one column per step): the oracle the
// blocked, threaded permuted_lu_in_place must equal bit for bit. Returns P L (rows in A's order).
DenseRows reference_permuted_lu(DenseRows a, DenseRows& u) {
  const Eigen::Index m = a.rows(), n = a.cols();
  std::vector<Eigen::Index> row_of(static_cast<std::size_t>(m));
  for (Eigen::Index i = 0; i < m; ++i) row_of[static_cast<std::size_t>(i)] = i;
  for (Eigen::Index j = 0; j < n; ++j) {
    Eigen::Index p = j;
    for (Eigen::Index i = j + 1; i < m; ++i) {
      if (std::abs(a(i, j)) > std::abs(a(p, j))) p = i;
    }
    a.row(j).swap(a.row(p));
    std::swap(row_of[static_cast<std::size_t>(j)], row_of[static_cast<std::size_t>(p)]);
    if (a(j, j) != 0.0) {
      const double inverse = 1.0 / a(j, j);
      for (Eigen::Index i = j + 1; i < m; ++i) a(i, j) *= inverse;
    }
    for (Eigen::Index i = j + 1; i < m; ++i) {
      for (Eigen::Index c = j + 1; c < n; ++c) a(i, c) -= a(i, j) * a(j, c);
    }
  }
  u = a.topRows(n).triangularView<Eigen::Upper>();
  DenseRows pl = DenseRows::Zero(m, n);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index c = 0; c < n; ++c) {
      pl(row_of[static_cast<std::size_t>(i)], c) = c < i ? a(i, c) : (c == i ? 1.0 : 0.0);
    }
  }
  return pl;
}

bool same_bits(const DenseRows& a, const DenseRows& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

TEST(PermutedLu, HandWorkedPivotsAndTies) {
  // column 0: 4 is the pivot (row 1); column 1 then: 4 (row 2) over 1 (row 0)
  DenseRows a(3, 2);
  a << 1, 2, 4, 4, 2, 6;
  DenseRows u = permuted_lu_in_place(a);
  DenseRows pl(3, 2), expected_u(2, 2);
  pl << 0.25, 0.25, 1, 0, 0.5, 1;
  expected_u << 4, 4, 0, 4;
  EXPECT_TRUE(same_bits(a, pl)) << a;
  EXPECT_TRUE(same_bits(u, expected_u)) << u;
  // |-2| = |2|: the first row of largest magnitude is the pivot, as LAPACK's idamax
  DenseRows b(3, 2);
  b << -2, 1, 2, 3, 1, 1;
  u = permuted_lu_in_place(b);
  pl << 1, 0, -1, 1, -0.5, 0.375;
  expected_u << -2, 1, 0, 4;
  EXPECT_TRUE(same_bits(b, pl)) << b;
  EXPECT_TRUE(same_bits(u, expected_u)) << u;
}

TEST(PermutedLu, EqualsUnblockedGetf2BitForBit) {
  ThreadCountGuard guard;
  for (const auto& [rows, cols] : {std::pair<Eigen::Index, Eigen::Index>{2500, 60}, {61, 60}, {300, 13}, {5, 1}}) {
    DenseRows a = random_dense(rows, cols, static_cast<unsigned>(rows + cols));
    a.col(cols / 2).setZero();  // a zero pivot: no scaling, as getf2
    DenseRows expected_u;
    const DenseRows expected = reference_permuted_lu(a, expected_u);
    for (int threads : {1, 2, 3}) {
      set_num_threads(threads);
      DenseRows pl = a;
      const DenseRows u = permuted_lu_in_place(pl);
      EXPECT_TRUE(same_bits(pl, expected)) << rows << " x " << cols << ", " << threads << " threads";
      EXPECT_TRUE(same_bits(u, expected_u)) << rows << " x " << cols << ", " << threads << " threads";
      EXPECT_LE((pl * u - a).cwiseAbs().maxCoeff(), 1e-12 * a.cwiseAbs().maxCoeff());
    }
  }
}

TEST(PermutedLu, RejectsWideBlocks) {
  DenseRows wide = random_dense(3, 4, 1);
  EXPECT_THROW(permuted_lu_in_place(wide), std::invalid_argument);
}

}  // namespace
}  // namespace themescope
