#include <optional>
#include <string>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "numpy_buffers.hpp"
#include "registrations.hpp"
#include "tfidf_options.hpp"
#include "themescope/tfidf.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

template <class Real, class Index>
void weigh(py::array data, py::array indices, py::array indptr, std::int64_t n_cols,
           const std::optional<py::array>& idf, bool sublinear_tf, Norm norm) {
  auto d = py::array_t<Real, py::array::c_style>::ensure(data);
  auto ix = py::array_t<Index, py::array::c_style>::ensure(indices);
  auto ip = py::array_t<Index, py::array::c_style>::ensure(indptr);
  if (!d || !ix || !ip || !data.writeable()) throw std::invalid_argument("tfidf_in_place: unexpected buffer types");
  if (d.data() != data.data()) throw std::invalid_argument("tfidf_in_place: data must be a contiguous array");
  py::array_t<Real, py::array::c_style | py::array::forcecast> weights;
  std::span<const Real> idf_span;
  if (idf) {
    weights = py::array_t<Real, py::array::c_style | py::array::forcecast>::ensure(*idf);
    idf_span = {weights.data(), static_cast<std::size_t>(weights.size())};
  }
  const auto rows = static_cast<std::int64_t>(ip.size()) - 1;
  if (rows < 0 || ix.size() != d.size() || (rows >= 0 && ip.at(rows) != static_cast<Index>(d.size()))) {
    throw std::invalid_argument("tfidf_in_place: inconsistent CSR buffers");
  }
  CsrView<Real, Index, Index> view{rows, n_cols, {ip.data(), static_cast<std::size_t>(ip.size())},
                                   {ix.data(), static_cast<std::size_t>(ix.size())},
                                   {d.mutable_data(), static_cast<std::size_t>(d.size())}};
  // Row-parallel work on buffers numpy owns; nothing here touches Python objects.
  py::gil_scoped_release release;
  tfidf_in_place<Real, Index, Index>(view, idf_span, sublinear_tf, norm);
}

}  // namespace

void register_tfidf(py::module_& m) {
  m.def(
      "document_frequency",
      [](py::array indices, std::int64_t n_features) {
        std::vector<std::int64_t> df;
        if (py::isinstance<py::array_t<std::int32_t>>(indices)) {
          auto ix = py::array_t<std::int32_t, py::array::c_style>::ensure(indices);
          py::gil_scoped_release release;  // one pass over the indices, no Python objects
          df = document_frequency<std::int32_t>({ix.data(), static_cast<std::size_t>(ix.size())}, n_features);
        } else {
          auto ix = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(indices);
          py::gil_scoped_release release;  // one pass over the indices, no Python objects
          df = document_frequency<std::int64_t>({ix.data(), static_cast<std::size_t>(ix.size())}, n_features);
        }
        return to_numpy(std::move(df));
      },
      py::arg("indices"), py::arg("n_features"));

  m.def(
      "inverse_document_frequency",
      [](py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> df, std::int64_t n_documents,
         bool smooth, const std::string& dtype) -> py::array {
        std::span<const std::int64_t> counts{df.data(), static_cast<std::size_t>(df.size())};
        if (dtype == "float32") return to_numpy(inverse_document_frequency<float>(counts, n_documents, smooth));
        if (dtype == "float64") return to_numpy(inverse_document_frequency<double>(counts, n_documents, smooth));
        throw std::invalid_argument("dtype must be 'float32' or 'float64', got '" + dtype + "'");
      },
      py::arg("df"), py::arg("n_documents"), py::arg("smooth"), py::arg("dtype") = "float64");

  m.def(
      "tfidf_in_place",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, std::optional<py::array> idf,
         bool sublinear_tf, std::optional<std::string> norm) {
        const Norm n = parse_norm(norm);
        // isinstance compares dtypes by equivalence: an unpickled array has an equal
        // but not identical dtype object.
        const bool wide = py::isinstance<py::array_t<std::int64_t>>(indices);
        if (py::isinstance<py::array_t<double>>(data)) {
          wide ? weigh<double, std::int64_t>(data, indices, indptr, n_cols, idf, sublinear_tf, n)
               : weigh<double, std::int32_t>(data, indices, indptr, n_cols, idf, sublinear_tf, n);
        } else if (py::isinstance<py::array_t<float>>(data)) {
          wide ? weigh<float, std::int64_t>(data, indices, indptr, n_cols, idf, sublinear_tf, n)
               : weigh<float, std::int32_t>(data, indices, indptr, n_cols, idf, sublinear_tf, n);
        } else {
          throw py::type_error("tfidf_in_place: data must be float32 or float64, got " +
                               std::string(py::str(data.dtype())));
        }
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("idf"),
      py::arg("sublinear_tf"), py::arg("norm"),
      "Weigh CSR buffers in place: sublinear tf, idf, row normalisation.");
}

}  // namespace themescope::bindings
