// The products of the randomized SVD (themescope._lsa wraps these).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/numpy.h>

#include "numpy_buffers.hpp"
#include "registrations.hpp"
#include "themescope/sparse_dense.hpp"
#include "themescope/tall_qr.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;

template <class Index>
struct Buffers {
  Doubles data;
  py::array_t<Index, py::array::c_style> indices, indptr;
  SparseMatrixView<Index, Index> view;
};

template <class Index>
Buffers<Index> buffers_of(const py::array& data, const py::array& indices, const py::array& indptr,
                          std::int64_t n_cols) {
  Buffers<Index> b;
  b.data = Doubles::ensure(data);
  b.indices = py::array_t<Index, py::array::c_style>::ensure(indices);
  b.indptr = py::array_t<Index, py::array::c_style>::ensure(indptr);
  if (!b.data || !b.indices || !b.indptr) throw py::type_error("CSR buffers of unexpected types");
  if (b.data.ndim() != 1 || b.indices.ndim() != 1 || b.indptr.ndim() != 1 || b.indptr.size() < 1) {
    throw std::invalid_argument("CSR buffers must be non-empty 1-D arrays");
  }
  b.view = {static_cast<std::int64_t>(b.indptr.size()) - 1, n_cols,
            {b.indptr.data(), static_cast<std::size_t>(b.indptr.size())},
            {b.indices.data(), static_cast<std::size_t>(b.indices.size())},
            {b.data.data(), static_cast<std::size_t>(b.data.size())}};
  return b;
}

// Calls f(view) with the view typed by the dtype of indices (int32 or int64), the GIL released;
// the buffers validated first unless the caller already has (check=false).
template <class F>
auto with_csr(const py::array& data, const py::array& indices, const py::array& indptr, std::int64_t n_cols,
              F&& f, bool check = true) {
  if (py::isinstance<py::array_t<std::int32_t>>(indices) && py::isinstance<py::array_t<std::int32_t>>(indptr)) {
    auto b = buffers_of<std::int32_t>(data, indices, indptr, n_cols);
    // Validation and products read numpy-owned buffers only, no Python objects.
    py::gil_scoped_release release;
    if (check) validate_csr(b.view);
    return f(b.view);
  }
  if (py::isinstance<py::array_t<std::int64_t>>(indices) && py::isinstance<py::array_t<std::int64_t>>(indptr)) {
    auto b = buffers_of<std::int64_t>(data, indices, indptr, n_cols);
    // Validation and products read numpy-owned buffers only, no Python objects.
    py::gil_scoped_release release;
    if (check) validate_csr(b.view);
    return f(b.view);
  }
  throw py::type_error("indices and indptr must both be int32 or both int64, got " +
                       std::string(py::str(indices.dtype())) + " and " + std::string(py::str(indptr.dtype())));
}

// n x c float64, C order, owning the Eigen matrix (no copy).
py::array dense_to_numpy(DenseRows&& rows) {
  auto* owned = new DenseRows(std::move(rows));
  py::capsule owner(owned, [](void* p) noexcept { delete static_cast<DenseRows*>(p); });
  const auto c = static_cast<py::ssize_t>(owned->cols());
  return py::array_t<double>({static_cast<py::ssize_t>(owned->rows()), c},
                             {static_cast<py::ssize_t>(sizeof(double)) * c, static_cast<py::ssize_t>(sizeof(double))},
                             owned->data(), owner);
}

}  // namespace

void register_decomposition(py::module_& m) {
  m.def(
      "sparse_times_dense",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, Doubles dense, bool check) {
        if (dense.ndim() != 2) throw std::invalid_argument("the dense matrix must be 2-D");
        const Eigen::Map<const DenseRows> D(dense.data(), dense.shape(0), dense.shape(1));
        DenseRows Y = with_csr(
            data, indices, indptr, n_cols, [&](const auto& X) { return sparse_times_dense(X, D); }, check);
        return dense_to_numpy(std::move(Y));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("dense"), py::kw_only(),
      py::arg("check") = true,
      "X @ dense for the CSR matrix X (n x n_cols), on every thread; bit-identical for any thread count. "
      "check=False skips validating the CSR buffers (an O(nnz) pass): only for buffers already validated, "
      "as themescope._lsa's, which multiplies the same matrix a dozen times.");

  m.def(
      "permuted_lu_in_place",
      [](py::array_t<double, py::array::c_style> a) {
        if (a.ndim() != 2) throw std::invalid_argument("the block must be 2-D");
        Eigen::Map<DenseRows> A(a.mutable_data(), a.shape(0), a.shape(1));  // mutable_data: raises if read-only
        DenseRows U;
        {
          // Only the array's own buffer is read and written; the caller holds it.
          py::gil_scoped_release release;
          U = permuted_lu_in_place(A);
        }
        return dense_to_numpy(std::move(U));
      },
      py::arg("a").noconvert(),
      "scipy.linalg.lu(a, permute_l=True) of a tall C-ordered float64 block, in place: a becomes P L, U is "
      "returned. LAPACK's pivots and unblocked arithmetic, on every thread; bit-identical for any thread count.");

  m.def(
      "cholesky_qr2",
      [](py::array_t<double, py::array::c_style> a) -> py::object {
        if (a.ndim() != 2) throw std::invalid_argument("the block must be 2-D, got " + std::to_string(a.ndim()) + "-D");
        const Eigen::Map<const DenseRows> A(a.data(), a.shape(0), a.shape(1));
        std::optional<DenseRows> Q;
        {
          // Only the array's own buffer is read (the caller holds it) and a new matrix written.
          py::gil_scoped_release release;
          Q = cholesky_qr2(A);
        }
        if (!Q) return py::none();
        return dense_to_numpy(std::move(*Q));
      },
      py::arg("a").noconvert(),
      "Q of a = Q R (R upper triangular, positive diagonal) for a tall C-ordered float64 block, as a new "
      "C-ordered array: CholeskyQR2 on every thread, bit-identical for any thread count; LAPACK's Householder Q "
      "up to column signs. None when a is too ill-conditioned for it (cond(a) above about 1e5, or rank-"
      "deficient): use a Householder QR then. a is not modified.");

  m.def(
      "transpose_csr",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols) -> py::tuple {
        // int32 indices when they fit (as scipy chooses): half the copy's index memory.
        const bool small = indptr.size() <= std::numeric_limits<std::int32_t>::max() &&
                           data.size() <= std::numeric_limits<std::int32_t>::max();
        if (small) {
          auto T = with_csr(data, indices, indptr, n_cols, [](const auto& X) { return transpose_csr<std::int32_t>(X); });
          return py::make_tuple(to_numpy(std::move(T.data)), to_numpy(std::move(T.indices)),
                                to_numpy(std::move(T.indptr)));
        }
        auto T = with_csr(data, indices, indptr, n_cols, [](const auto& X) { return transpose_csr<std::int64_t>(X); });
        return py::make_tuple(to_numpy(std::move(T.data)), to_numpy(std::move(T.indices)),
                              to_numpy(std::move(T.indptr)));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"),
      "(data, indices, indptr) of X^T as CSR (int32 indices when they fit, else int64), each row in ascending "
      "row of X.");
}

}  // namespace themescope::bindings
