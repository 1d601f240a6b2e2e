// Hostile CSR matrices for the targets that take them: indptr, indices and values
// from the input as they come (out of range, decreasing, NaN, inf), or, most of the
// time, a well-formed matrix with small exact values (duplicates and unsorted
// columns included). `valid` is this file's own verdict, which the kernels'
// validation must share.
#pragma once
#include <cmath>
#include <cstdint>
#include <algorithm>
#include <limits>
#include <vector>

#include "fuzz_common.hpp"
#include "themescope/csr.hpp"

namespace themescope::fuzz {

template <class Real, class Index>
struct FuzzCsr {
  std::int64_t n_rows = 0, n_cols = 0;
  std::vector<Index> indptr, indices;
  std::vector<Real> data;
  bool valid = true;

  CsrView<const Real, Index, Index> view() const { return {n_rows, n_cols, indptr, indices, data}; }
  // Row r as a dense vector (duplicates summed), in double.
  std::vector<double> dense_row(std::size_t r) const {
    std::vector<double> out(static_cast<std::size_t>(n_cols), 0.0);
    for (auto p = indptr[r]; p < indptr[r + 1]; ++p) out[static_cast<std::size_t>(indices[p])] += data[p];
    return out;
  }
};

template <class Real, class Index>
FuzzCsr<Real, Index> csr_from(FuzzedDataProvider& in, std::int64_t n_cols, bool nonnegative = false) {
  FuzzCsr<Real, Index> m;
  m.n_cols = n_cols;
  m.n_rows = in.ConsumeIntegralInRange<std::int64_t>(0, 12);
  const bool hostile = in.ConsumeIntegralInRange(0, 4) == 0;
  m.indptr.push_back(0);
  for (std::int64_t r = 0; r < m.n_rows; ++r) {
    const Index row_nnz = in.ConsumeIntegralInRange<Index>(0, 6);
    for (Index e = 0; e < row_nnz; ++e) {
      m.indices.push_back(in.ConsumeIntegralInRange<Index>(0, static_cast<Index>(std::max<std::int64_t>(n_cols - 1, 0))));
      const double v = in.ConsumeIntegralInRange<int>(nonnegative ? 0 : -64, 64) / 8.0;
      m.data.push_back(static_cast<Real>(v));
    }
    m.indptr.push_back(static_cast<Index>(m.indices.size()));
  }
  if (n_cols == 0 && !m.indices.empty()) m.valid = false;
  if (!hostile) return m;
  // One defect (or a few) of the kinds a caller's buffers may have.
  for (int defects = in.ConsumeIntegralInRange(1, 3); defects > 0 && in.remaining_bytes() > 0; --defects) {
    switch (in.ConsumeIntegralInRange(0, 6)) {
      case 0:
        if (!m.indptr.empty()) m.indptr[in.ConsumeIntegralInRange<std::size_t>(0, m.indptr.size() - 1)] = in.ConsumeIntegral<Index>();
        break;
      case 1:
        if (!m.indices.empty()) m.indices[in.ConsumeIntegralInRange<std::size_t>(0, m.indices.size() - 1)] = in.ConsumeIntegral<Index>();
        break;
      case 2:
        if (!m.data.empty()) {
          m.data[in.ConsumeIntegralInRange<std::size_t>(0, m.data.size() - 1)] = in.PickValueInArray<Real>(
              {std::numeric_limits<Real>::quiet_NaN(), std::numeric_limits<Real>::infinity(),
               -std::numeric_limits<Real>::infinity(), std::numeric_limits<Real>::max(), Real(-1)});
        }
        break;
      case 3:
        m.indptr.push_back(static_cast<Index>(m.indices.size()));  // one entry too many
        break;
      case 4:
        if (!m.data.empty()) m.data.pop_back();  // fewer values than indices
        break;
      case 5:
        m.n_rows = in.ConsumeIntegralInRange<std::int64_t>(-2, m.n_rows + 2);
        break;
      default:
        m.n_cols = in.ConsumeIntegralInRange<std::int64_t>(-2, m.n_cols + 1);
        break;
    }
  }
  // This file's own verdict, written from the documented contract (csr.hpp).
  bool ok = m.n_rows >= 0 && m.n_cols >= 0 && static_cast<std::int64_t>(m.indptr.size()) == m.n_rows + 1 &&
            m.indices.size() == m.data.size();
  ok = ok && m.indptr[0] == 0 && static_cast<std::size_t>(m.indptr.back()) == m.indices.size();
  for (std::size_t r = 0; ok && r + 1 < m.indptr.size(); ++r) ok = m.indptr[r] <= m.indptr[r + 1];
  for (std::size_t e = 0; ok && e < m.indices.size(); ++e) ok = m.indices[e] >= 0 && m.indices[e] < m.n_cols;
  for (std::size_t e = 0; ok && e < m.data.size(); ++e) ok = std::isfinite(static_cast<double>(m.data[e]));
  m.valid = ok;
  return m;
}

}  // namespace themescope::fuzz
