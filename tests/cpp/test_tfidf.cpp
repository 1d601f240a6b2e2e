// TF-IDF weighting with scikit-learn's TfidfTransformer formulas.
// Reference numbers come from hand computation and from scikit-learn 1.9:
//   TfidfTransformer(sublinear_tf=..., smooth_idf=..., norm=...).fit(X).transform(X)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/csr.hpp"
#include "themescope/tfidf.hpp"

namespace themescope {
namespace {

using I64 = std::vector<std::int64_t>;

// ---- document_frequency ----

TEST(DocumentFrequency, CountsStoredEntriesPerColumn) {
  const std::vector<std::int32_t> i32 = {0, 1, 1, 3, 1};
  EXPECT_EQ(document_frequency<std::int32_t>(i32, 5), (I64{1, 3, 0, 1, 0}));
  const std::vector<std::int64_t> i64 = {2, 0, 2};
  EXPECT_EQ(document_frequency<std::int64_t>(i64, 3), (I64{1, 0, 2}));
  EXPECT_EQ(document_frequency<std::int32_t>(std::vector<std::int32_t>{}, 2), (I64{0, 0}));
  EXPECT_EQ(document_frequency<std::int64_t>(std::vector<std::int64_t>{}, 0), I64{});
}

TEST(DocumentFrequency, IndexOutsideTheColumnsThrows) {
  EXPECT_THROW(document_frequency<std::int32_t>(std::vector<std::int32_t>{0, 5}, 5), std::out_of_range);
  EXPECT_THROW(document_frequency<std::int32_t>(std::vector<std::int32_t>{-1}, 5), std::out_of_range);
  EXPECT_THROW(document_frequency<std::int64_t>(std::vector<std::int64_t>{3}, 3), std::out_of_range);
  EXPECT_THROW(document_frequency<std::int64_t>(std::vector<std::int64_t>{-7}, 3), std::out_of_range);
}

// ---- inverse_document_frequency ----

TEST(InverseDocumentFrequency, DoubleSmoothAndNot) {
  // n = 3 documents, df = 1: smooth ln((3+1)/(1+1)) + 1 = ln 2 + 1.
  const I64 df = {1, 3, 0, 2};
  const auto smooth = inverse_document_frequency<double>(df, 3, true);
  ASSERT_EQ(smooth.size(), 4u);
  EXPECT_DOUBLE_EQ(smooth[0], std::log(4.0 / 2.0) + 1.0);
  EXPECT_DOUBLE_EQ(smooth[1], 1.0);
  EXPECT_DOUBLE_EQ(smooth[2], std::log(4.0) + 1.0);
  EXPECT_DOUBLE_EQ(smooth[3], std::log(4.0 / 3.0) + 1.0);

  const I64 seen = {1, 3, 2};
  const auto raw = inverse_document_frequency<double>(seen, 3, false);
  ASSERT_EQ(raw.size(), 3u);
  EXPECT_DOUBLE_EQ(raw[0], std::log(3.0) + 1.0);
  EXPECT_DOUBLE_EQ(raw[1], 1.0);
  EXPECT_DOUBLE_EQ(raw[2], std::log(1.5) + 1.0);
}

TEST(InverseDocumentFrequency, FloatMatchesNumpyFloat32) {
  // np.log(np.full_like(df, n, dtype=np.float32) / df) + 1 in float32.
  const I64 df = {1, 3, 0, 2};
  const auto smooth = inverse_document_frequency<float>(df, 3, true);
  ASSERT_EQ(smooth.size(), 4u);
  EXPECT_FLOAT_EQ(smooth[0], 1.6931471824645996f);
  EXPECT_FLOAT_EQ(smooth[1], 1.0f);
  EXPECT_FLOAT_EQ(smooth[2], 2.386294364929199f);
  EXPECT_FLOAT_EQ(smooth[3], 1.287682056427002f);
  const auto raw = inverse_document_frequency<float>(I64{1, 3, 2}, 3, false);
  ASSERT_EQ(raw.size(), 3u);
  EXPECT_FLOAT_EQ(raw[0], 2.0986123085021973f);
  EXPECT_FLOAT_EQ(raw[1], 1.0f);
  EXPECT_FLOAT_EQ(raw[2], 1.4054651260375977f);
}

// A column's idf depends on its df only, never on its position (a vectorized
// log with a scalar tail once rounded the fifth of five equal columns differently).
TEST(InverseDocumentFrequency, EqualDocumentFrequenciesGiveEqualValuesAtEveryPosition) {
  const I64 df(37, 1);
  const auto f = inverse_document_frequency<float>(df, 5, true);
  const auto d = inverse_document_frequency<double>(df, 5, true);
  for (std::size_t j = 1; j < df.size(); ++j) {
    EXPECT_EQ(f[j], f[0]) << "column " << j;
    EXPECT_EQ(d[j], d[0]) << "column " << j;
  }
}

TEST(InverseDocumentFrequency, EmptyAndLarge) {
  EXPECT_TRUE(inverse_document_frequency<double>(I64{}, 10, true).empty());
  // Large counts stay exact enough: n = 10^9, df = 1.
  const auto idf = inverse_document_frequency<double>(I64{1}, 1000000000, true);
  EXPECT_NEAR(idf[0], std::log(1000000001.0 / 2.0) + 1.0, 1e-12);
}

// ---- tfidf_in_place, for every instantiated layout ----

template <class R, class I, class P>
struct Layout {
  using Real = R;
  using Index = I;
  using Pointer = P;
};

template <class L>
class TfidfInPlace : public ::testing::Test {
 protected:
  using Real = typename L::Real;
  using Index = typename L::Index;
  using Pointer = typename L::Pointer;

  struct Csr {
    std::int64_t n_rows = 0, n_cols = 0;
    std::vector<Pointer> indptr;
    std::vector<Index> indices;
    std::vector<Real> data;
  };

  // 4 x 3 counts: [[1, 0, 3], [0, 0, 0], [2, 1, 4], [0, 0, 5]] (row 1 stores nothing).
  static Csr counts() {
    return Csr{4, 3, {0, 2, 2, 5, 6}, {0, 2, 0, 1, 2, 2}, {1, 3, 2, 1, 4, 5}};
  }

  static void run(Csr& m, const std::vector<Real>& idf, bool sublinear, Norm norm) {
    CsrView<Real, Index, Pointer> view{m.n_rows, m.n_cols, m.indptr, m.indices, m.data};
    tfidf_in_place<Real, Index, Pointer>(view, std::span<const Real>(idf), sublinear, norm);
  }

  static double tolerance() { return std::is_same_v<Real, float> ? 2e-6 : 1e-13; }

  void expect_data(const Csr& m, const std::vector<double>& expected) {
    ASSERT_EQ(m.data.size(), expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      EXPECT_NEAR(static_cast<double>(m.data[k]), expected[k], tolerance() * std::max(1.0, std::abs(expected[k])))
          << "entry " << k;
    }
  }
};

using Layouts = ::testing::Types<Layout<double, std::int32_t, std::int32_t>, Layout<float, std::int32_t, std::int32_t>,
                                 Layout<double, std::int64_t, std::int64_t>, Layout<float, std::int64_t, std::int64_t>,
                                 Layout<double, std::int32_t, std::int64_t>, Layout<float, std::int32_t, std::int64_t>>;
TYPED_TEST_SUITE(TfidfInPlace, Layouts);

TYPED_TEST(TfidfInPlace, NothingToDoLeavesDataUnchanged) {
  auto m = TestFixture::counts();
  TestFixture::run(m, {}, false, Norm::none);
  this->expect_data(m, {1, 3, 2, 1, 4, 5});
}

TYPED_TEST(TfidfInPlace, IdfOnlyMultipliesColumns) {
  auto m = TestFixture::counts();
  TestFixture::run(m, {2.0, 1.0, 0.5}, false, Norm::none);
  this->expect_data(m, {2, 1.5, 4, 1, 2, 2.5});
}

TYPED_TEST(TfidfInPlace, SublinearOnly) {
  auto m = TestFixture::counts();
  TestFixture::run(m, {}, true, Norm::none);
  this->expect_data(m, {1, 1 + std::log(3.0), 1 + std::log(2.0), 1, 1 + std::log(4.0), 1 + std::log(5.0)});
}

TYPED_TEST(TfidfInPlace, L1Rows) {
  auto m = TestFixture::counts();
  TestFixture::run(m, {}, false, Norm::l1);
  this->expect_data(m, {0.25, 0.75, 2.0 / 7, 1.0 / 7, 4.0 / 7, 1.0});
  EXPECT_EQ(m.indices, (std::vector<typename TestFixture::Index>{0, 2, 0, 1, 2, 2}));
  EXPECT_EQ(m.indptr, (std::vector<typename TestFixture::Pointer>{0, 2, 2, 5, 6}));
}

TYPED_TEST(TfidfInPlace, L2Rows) {
  auto m = TestFixture::counts();
  TestFixture::run(m, {}, false, Norm::l2);
  const double r10 = std::sqrt(10.0), r21 = std::sqrt(21.0);
  this->expect_data(m, {1 / r10, 3 / r10, 2 / r21, 1 / r21, 4 / r21, 1.0});
}

TYPED_TEST(TfidfInPlace, SublinearIdfL2ByHand) {
  // Row 0: (1, 1 + ln 3) * (2, 0.5), then unit length.
  auto m = TestFixture::counts();
  TestFixture::run(m, {2.0, 1.0, 0.5}, true, Norm::l2);
  const double a = 2.0, b = (1 + std::log(3.0)) * 0.5, n0 = std::hypot(a, b);
  const double c = (1 + std::log(2.0)) * 2.0, d = 1.0, e = (1 + std::log(4.0)) * 0.5;
  const double n2 = std::sqrt(c * c + d * d + e * e);
  this->expect_data(m, {a / n0, b / n0, c / n2, d / n2, e / n2, 1.0});
}

TYPED_TEST(TfidfInPlace, MatchesScikitLearnEndToEnd) {
  using Real = typename TestFixture::Real;
  using Index = typename TestFixture::Index;
  {
    // TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2")
    auto m = TestFixture::counts();
    const auto df = document_frequency<Index>(m.indices, m.n_cols);
    EXPECT_EQ(df, (I64{2, 1, 3}));
    const auto idf = inverse_document_frequency<Real>(df, m.n_rows, true);
    const std::vector<double> expected_idf = {1.5108256237659907, 1.916290731874155, 1.2231435513142097};
    ASSERT_EQ(idf.size(), 3u);
    for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(idf[j], expected_idf[j], TestFixture::tolerance() * 2) << j;
    TestFixture::run(m, idf, true, Norm::l2);
    this->expect_data(m, {0.5072401173853088, 0.8618047709980133, 0.5909917057958978, 0.4427246786219321,
                          0.6743320121568913, 1.0});
  }
  {
    // TfidfTransformer(sublinear_tf=False, smooth_idf=False, norm="l1")
    auto m = TestFixture::counts();
    const auto idf = inverse_document_frequency<Real>(document_frequency<Index>(m.indices, m.n_cols), m.n_rows, false);
    TestFixture::run(m, idf, false, Norm::l1);
    this->expect_data(m, {0.3047315057814983, 0.6952684942185017, 0.3100060501206069, 0.21845876655306615,
                          0.47153518332632693, 1.0});
  }
}

TYPED_TEST(TfidfInPlace, ZeroRowsAreKept) {
  // Stored zeros: the norm is 0, the row stays 0 (no NaN).
  for (Norm norm : {Norm::l1, Norm::l2}) {
    typename TestFixture::Csr m{3, 2, {0, 2, 2, 3}, {0, 1, 1}, {0, 0, 3}};
    TestFixture::run(m, {2.0, 1.0}, false, norm);
    this->expect_data(m, {0, 0, 1});
    for (auto v : m.data) EXPECT_FALSE(std::isnan(v));
  }
}

TYPED_TEST(TfidfInPlace, NegativeValuesUseAbsoluteNorms) {
  typename TestFixture::Csr l1{1, 2, {0, 2}, {0, 1}, {-1, 3}};
  TestFixture::run(l1, {}, false, Norm::l1);
  this->expect_data(l1, {-0.25, 0.75});
  typename TestFixture::Csr l2{1, 2, {0, 2}, {0, 1}, {-3, 4}};
  TestFixture::run(l2, {}, false, Norm::l2);
  this->expect_data(l2, {-0.6, 0.8});
}

TYPED_TEST(TfidfInPlace, EmptyMatrix) {
  typename TestFixture::Csr m{0, 0, {0}, {}, {}};
  EXPECT_NO_THROW(TestFixture::run(m, {}, true, Norm::l2));
  typename TestFixture::Csr rows{2, 4, {0, 0, 0}, {}, {}};
  EXPECT_NO_THROW(TestFixture::run(rows, {1, 1, 1, 1}, true, Norm::l1));
}

TYPED_TEST(TfidfInPlace, ColumnOutsideIdfThrowsOutOfRange) {
  typename TestFixture::Csr too_big{2, 3, {0, 1, 2}, {0, 3}, {1, 1}};
  EXPECT_THROW(TestFixture::run(too_big, {1.0, 1.0, 1.0}, false, Norm::none), std::out_of_range);
  typename TestFixture::Csr negative{1, 3, {0, 1}, {-1}, {1}};
  EXPECT_THROW(TestFixture::run(negative, {1.0, 1.0, 1.0}, false, Norm::l2), std::out_of_range);
}

}  // namespace
}  // namespace themescope
