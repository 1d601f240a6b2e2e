// Validation of CSR buffers handed in from outside (numpy arrays): shape, pointers,
// column indices and finite values, each failure a std::invalid_argument naming it.
#pragma once
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "themescope/csr.hpp"

namespace themescope {

template <class Real, class Index>
void check_csr(const CsrView<const Real, Index, Index>& m, const char* name) {
  const std::string what(name);
  if (m.n_rows < 0 || m.n_cols < 0) throw std::invalid_argument(what + ": negative shape");
  if (static_cast<std::int64_t>(m.indptr.size()) != m.n_rows + 1) {
    throw std::invalid_argument(what + ": indptr has " + std::to_string(m.indptr.size()) + " entries for " +
                                std::to_string(m.n_rows) + " rows");
  }
  if (m.indices.size() != m.data.size()) {
    throw std::invalid_argument(what + ": " + std::to_string(m.indices.size()) + " column indices for " +
                                std::to_string(m.data.size()) + " values");
  }
  if (m.indptr[0] != 0 || static_cast<std::size_t>(m.indptr[m.indptr.size() - 1]) != m.indices.size()) {
    throw std::invalid_argument(what + ": indptr must start at 0 and end at the number of stored values (" +
                                std::to_string(m.indices.size()) + ")");
  }
  for (std::size_t r = 0; r + 1 < m.indptr.size(); ++r) {
    if (m.indptr[r + 1] < m.indptr[r]) {
      throw std::invalid_argument(what + ": indptr decreases at row " + std::to_string(r));
    }
  }
  for (const Index c : m.indices) {
    if (c < 0 || static_cast<std::int64_t>(c) >= m.n_cols) {
      throw std::invalid_argument(what + ": column index " + std::to_string(c) + " outside [0, " +
                                  std::to_string(m.n_cols) + ")");
    }
  }
  for (std::size_t e = 0; e < m.data.size(); ++e) {
    if (!std::isfinite(m.data[e])) {
      throw std::invalid_argument(what + ": non-finite value " + std::to_string(m.data[e]) +
                                  " (stored entry " + std::to_string(e) + ")");
    }
  }
}

}  // namespace themescope
