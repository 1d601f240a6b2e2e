#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "interrupt.hpp"
#include "numpy_buffers.hpp"
#include "registrations.hpp"
#include "themescope/similarity.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

// The buffers of one CSR matrix, used in place: the Python layer hands arrays of
// exactly these dtypes (checked here: ensure() would otherwise convert, and
// narrowing int64 indices would wrap), so ensure() copies at most a strided array.
template <class T>
py::array_t<T, py::array::c_style> checked(const py::array& a, const char* matrix, const char* buffer) {
  if (!py::isinstance<py::array_t<T>>(a)) {
    throw py::type_error(std::string("top_k_similar: ") + matrix + "." + buffer + " has dtype " +
                         std::string(py::str(a.dtype())) + ", expected " +
                         std::string(py::str(py::dtype::of<T>())));
  }
  return py::array_t<T, py::array::c_style>::ensure(a);
}

template <class Real, class Index>
struct CsrBuffers {
  py::array_t<Real, py::array::c_style> data;
  py::array_t<Index, py::array::c_style> indices;
  py::array_t<Index, py::array::c_style> indptr;
  std::int64_t n_rows;
  std::int64_t n_cols;

  CsrBuffers(const py::array& d, const py::array& ix, const py::array& ip, std::int64_t rows, std::int64_t cols,
             const char* name)
      : data(checked<Real>(d, name, "data")),
        indices(checked<Index>(ix, name, "indices")),
        indptr(checked<Index>(ip, name, "indptr")),
        n_rows(rows),
        n_cols(cols) {
    if (!data || !indices || !indptr || data.ndim() != 1 || indices.ndim() != 1 || indptr.ndim() != 1) {
      throw py::type_error(std::string("top_k_similar: unexpected buffer types for ") + name);
    }
  }

  CsrView<const Real, Index, Index> view() const {
    return {n_rows, n_cols, {indptr.data(), static_cast<std::size_t>(indptr.size())},
            {indices.data(), static_cast<std::size_t>(indices.size())},
            {data.data(), static_cast<std::size_t>(data.size())}};
  }
};

using Shape = std::pair<std::int64_t, std::int64_t>;

template <class Real, class Index>
py::tuple run(const py::array& x_data, const py::array& x_indices, const py::array& x_indptr, Shape x_shape,
              const py::object& y, const TopKOptions& options) {
  const CsrBuffers<Real, Index> corpus(x_data, x_indices, x_indptr, x_shape.first, x_shape.second, "X");
  TopKResult result;
  if (y.is_none()) {
    const auto v = corpus.view();
    // Minutes of arithmetic on buffers the arrays above keep alive; no Python objects touched.
    InterruptibleRelease release;  // Ctrl-C stops it
    result = top_k_similar<Real, Index>(v, v, options);
  } else {
    const auto t = y.cast<py::tuple>();
    const auto shape = t[3].cast<Shape>();
    const CsrBuffers<Real, Index> queries(t[0].cast<py::array>(), t[1].cast<py::array>(), t[2].cast<py::array>(),
                                          shape.first, shape.second, "Y");
    const auto q = queries.view();
    const auto c = corpus.view();
    // As above: pure C++ on buffers held by `queries` and `corpus`.
    InterruptibleRelease release;  // Ctrl-C stops it
    result = top_k_similar<Real, Index>(q, c, options);
  }
  return py::make_tuple(to_numpy(std::move(result.indices)), to_numpy(std::move(result.scores)));
}

}  // namespace

void register_similarity(py::module_& m) {
  m.def(
      "top_k_similar",
      [](py::array x_data, py::array x_indices, py::array x_indptr, Shape x_shape, py::object y, std::int64_t k,
         std::optional<double> threshold, bool exclude_self) {
        TopKOptions options;
        options.k = k;
        options.exclude_self = exclude_self;
        if (threshold) options.min_score = *threshold;
        const bool wide = py::isinstance<py::array_t<std::int64_t>>(x_indices);
        if (py::isinstance<py::array_t<double>>(x_data)) {
          return wide ? run<double, std::int64_t>(x_data, x_indices, x_indptr, x_shape, y, options)
                      : run<double, std::int32_t>(x_data, x_indices, x_indptr, x_shape, y, options);
        }
        if (py::isinstance<py::array_t<float>>(x_data)) {
          return wide ? run<float, std::int64_t>(x_data, x_indices, x_indptr, x_shape, y, options)
                      : run<float, std::int32_t>(x_data, x_indices, x_indptr, x_shape, y, options);
        }
        throw py::type_error("top_k_similar: data must be float32 or float64, got " +
                             std::string(py::str(x_data.dtype())));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"), py::arg("queries"), py::arg("k"),
      py::arg("threshold"), py::arg("exclude_self"),
      "Top-k dot products of CSR rows: flat (rows * k) int64 indices and float64 scores.\n"
      "queries is None (self-join) or (data, indices, indptr, shape) with the same dtypes.");
}

}  // namespace themescope::bindings
