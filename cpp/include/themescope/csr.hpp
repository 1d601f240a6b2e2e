// Compressed sparse row storage, laid out as scipy.sparse expects.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace themescope {

template <class Value, class Index = std::int32_t, class Pointer = std::int64_t>
struct CsrMatrix {
  std::int64_t n_rows = 0;
  std::int64_t n_cols = 0;
  std::vector<Pointer> indptr{0};  // n_rows + 1 entries
  std::vector<Index> indices;      // column of each stored value, ascending in a row
  std::vector<Value> data;

  std::size_t nnz() const noexcept { return indices.size(); }
};

// A mutable view of CSR buffers owned elsewhere (e.g. by numpy arrays).
template <class Value, class Index, class Pointer = Index>
struct CsrView {
  std::int64_t n_rows = 0;
  std::int64_t n_cols = 0;
  std::span<const Pointer> indptr;
  std::span<const Index> indices;
  std::span<Value> data;
};

}  // namespace themescope
