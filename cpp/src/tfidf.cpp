#include "themescope/tfidf.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "themescope/parallel.hpp"

namespace themescope {

template <class Index>
std::vector<std::int64_t> document_frequency(std::span<const Index> indices, std::int64_t n_features) {
  std::vector<std::int64_t> df(static_cast<std::size_t>(n_features), 0);
  for (const Index column : indices) {
    if (column < 0 || static_cast<std::int64_t>(column) >= n_features) {
      throw std::out_of_range("column index " + std::to_string(column) + " outside [0, " +
                              std::to_string(n_features) + ")");
    }
    ++df[static_cast<std::size_t>(column)];
  }
  return df;
}

template <class Real>
std::vector<Real> inverse_document_frequency(std::span<const std::int64_t> df, std::int64_t n_documents,
                                             bool smooth) {
  const Real s = smooth ? Real(1) : Real(0);
  const Real n = static_cast<Real>(n_documents) + s;
  std::vector<Real> idf(df.size());
  // Same operations as scikit-learn: (n + s) / (df + s), log, + 1, all in Real.
  // One scalar std::log for every element: a vectorized log with a scalar tail
  // would round a column differently depending on its position.
  for (std::size_t j = 0; j < df.size(); ++j) idf[j] = std::log(n / (static_cast<Real>(df[j]) + s)) + Real(1);
  return idf;
}

template <class Real, class Index, class Pointer>
void tfidf_in_place(CsrView<Real, Index, Pointer> m, std::span<const Real> idf, bool sublinear_tf, Norm norm) {
  if (!idf.empty() && static_cast<std::int64_t>(idf.size()) != m.n_cols) {
    throw std::invalid_argument("idf has " + std::to_string(idf.size()) + " values for " +
                                std::to_string(m.n_cols) + " columns");
  }
  const auto rows = static_cast<std::size_t>(m.n_rows);
  const std::size_t nnz = m.data.size();
  const std::size_t tasks = std::min<std::size_t>(rows, std::max<std::size_t>(1, nnz >> 16));
  // Each row is owned by one task and summed in storage order, as scikit-learn's
  // inplace_csr_row_normalize_* do (double accumulator), so results are the same
  // for any thread count.
  parallel_for(tasks, [&](std::size_t t) {
    for (std::size_t row = rows * t / tasks; row < rows * (t + 1) / tasks; ++row) {
      const auto begin = static_cast<std::size_t>(m.indptr[row]), end = static_cast<std::size_t>(m.indptr[row + 1]);
      for (std::size_t i = begin; i < end; ++i) {
        Real v = m.data[i];
        if (sublinear_tf) v = std::log(v) + Real(1);
        if (!idf.empty()) {
          const auto column = static_cast<std::int64_t>(m.indices[i]);
          if (column < 0 || column >= m.n_cols) {
            throw std::out_of_range("column index " + std::to_string(column) + " outside [0, " +
                                    std::to_string(m.n_cols) + ")");
          }
          v *= idf[static_cast<std::size_t>(column)];
        }
        m.data[i] = v;
      }
      if (norm == Norm::none) continue;
      double sum = 0.0;
      for (std::size_t i = begin; i < end; ++i) {
        const Real v = m.data[i];
        sum += norm == Norm::l2 ? static_cast<double>(v * v) : std::fabs(static_cast<double>(v));
      }
      if (sum == 0.0) continue;
      if (norm == Norm::l2) sum = std::sqrt(sum);
      for (std::size_t i = begin; i < end; ++i) m.data[i] = static_cast<Real>(m.data[i] / sum);
    }
  });
}

template std::vector<std::int64_t> document_frequency<std::int32_t>(std::span<const std::int32_t>, std::int64_t);
template std::vector<std::int64_t> document_frequency<std::int64_t>(std::span<const std::int64_t>, std::int64_t);
template std::vector<float> inverse_document_frequency<float>(std::span<const std::int64_t>, std::int64_t, bool);
template std::vector<double> inverse_document_frequency<double>(std::span<const std::int64_t>, std::int64_t, bool);
template void tfidf_in_place<float, std::int32_t, std::int32_t>(CsrView<float, std::int32_t, std::int32_t>,
                                                                 std::span<const float>, bool, Norm);
template void tfidf_in_place<double, std::int32_t, std::int32_t>(CsrView<double, std::int32_t, std::int32_t>,
                                                                  std::span<const double>, bool, Norm);
template void tfidf_in_place<float, std::int64_t, std::int64_t>(CsrView<float, std::int64_t, std::int64_t>,
                                                                 std::span<const float>, bool, Norm);
template void tfidf_in_place<double, std::int64_t, std::int64_t>(CsrView<double, std::int64_t, std::int64_t>,
                                                                  std::span<const double>, bool, Norm);
template void tfidf_in_place<double, std::int32_t, std::int64_t>(CsrView<double, std::int32_t, std::int64_t>,
                                                                  std::span<const double>, bool, Norm);
template void tfidf_in_place<float, std::int32_t, std::int64_t>(CsrView<float, std::int32_t, std::int64_t>,
                                                                 std::span<const float>, bool, Norm);

}  // namespace themescope
