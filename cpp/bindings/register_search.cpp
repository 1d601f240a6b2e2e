// BM25 weights and the inverted index (themescope/bm25.hpp) for the Python layer.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "interrupt.hpp"
#include "numpy_buffers.hpp"
#include "registrations.hpp"
#include "themescope/bm25.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

using Shape = std::pair<std::int64_t, std::int64_t>;
using F64 = py::array_t<double, py::array::c_style>;
using I64 = py::array_t<std::int64_t, py::array::c_style>;

// CSR buffers of float64 data and int64 indices, as the Python layer hands them
// (checked, never converted: a conversion here would hide a copy).
struct Csr {
  F64 data;
  I64 indices;
  I64 indptr;
  Shape shape;

  Csr(const py::array& d, const py::array& ix, const py::array& ip, Shape s, const char* name) : shape(s) {
    if (!py::isinstance<F64>(d) || !py::isinstance<I64>(ix) || !py::isinstance<I64>(ip)) {
      throw py::type_error(std::string(name) + ": CSR buffers must be float64 data and int64 indices/indptr");
    }
    data = F64::ensure(d);
    indices = I64::ensure(ix);
    indptr = I64::ensure(ip);
    if (data.ndim() != 1 || indices.ndim() != 1 || indptr.ndim() != 1) {
      throw py::type_error(std::string(name) + ": CSR buffers must be 1-dimensional");
    }
  }

  CountsView view() const {
    return {shape.first, shape.second, {indptr.data(), static_cast<std::size_t>(indptr.size())},
            {indices.data(), static_cast<std::size_t>(indices.size())},
            {data.data(), static_cast<std::size_t>(data.size())}};
  }
};

Bm25Statistics statistics_of(const F64& idf, double average_length, std::int64_t n_documents) {
  Bm25Statistics s;
  s.n_documents = n_documents;
  s.idf.assign(idf.data(), idf.data() + idf.size());
  s.average_length = average_length;
  return s;
}

}  // namespace

void register_search(py::module_& m) {
  m.def(
      "bm25_statistics",
      [](py::array data, py::array indices, py::array indptr, Shape shape) {
        const Csr counts(data, indices, indptr, shape, "bm25_statistics");
        const auto v = counts.view();
        Bm25Statistics s;
        {
          // One pass over the count buffers `counts` keeps alive; no Python objects touched.
          py::gil_scoped_release release;
          s = bm25_statistics(v);
        }
        return py::make_tuple(to_numpy(std::move(s.idf)), s.average_length, s.n_documents);
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"),
      "(idf, average_length, n_documents) of a CSR count matrix (Lucene's idf).");

  m.def(
      "bm25_weights",
      [](py::array data, py::array indices, py::array indptr, Shape shape, F64 idf, double average_length,
         std::int64_t n_documents, double k1, double b) {
        const Csr counts(data, indices, indptr, shape, "bm25_weights");
        const auto v = counts.view();
        const auto stats = statistics_of(idf, average_length, n_documents);
        std::vector<double> weights;
        {
          // Threaded arithmetic on buffers held above; no Python objects touched.
          py::gil_scoped_release release;
          weights = bm25_weights(v, stats, Bm25Parameters{k1, b});
        }
        return to_numpy(std::move(weights));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"), py::arg("idf"),
      py::arg("average_length"), py::arg("n_documents"), py::arg("k1"), py::arg("b"),
      "BM25 weight of every stored entry of a CSR count matrix (same order).");

  m.def(
      "bm25_group_document_frequencies",
      [](py::array data, py::array indices, py::array indptr, Shape shape,
         py::array_t<std::int32_t, py::array::c_style> groups, std::int64_t n_groups) {
        const Csr matrix(data, indices, indptr, shape, "bm25_group_document_frequencies");
        const auto v = matrix.view();
        if (groups.ndim() != 1) throw py::type_error("bm25_group_document_frequencies: groups must be 1-dimensional");
        const std::span<const std::int32_t> g(groups.data(), static_cast<std::size_t>(groups.size()));
        std::vector<std::int64_t> df;
        {
          // One pass over buffers held above (the matrix and groups); no Python objects touched.
          py::gil_scoped_release release;
          df = bm25_group_document_frequencies(v, g, n_groups);
        }
        return to_numpy(std::move(df));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"), py::arg("groups"),
      py::arg("n_groups"),
      "Flat (n_groups * n_terms) int64 document frequencies of each term within each group of rows.");

  py::class_<InvertedIndex>(m, "InvertedIndex")
      .def(py::init([](py::array data, py::array indices, py::array indptr, Shape shape) {
             const Csr weights(data, indices, indptr, shape, "InvertedIndex");
             const auto v = weights.view();
             // Transposing the whole collection: seconds for millions of entries, pure C++.
             py::gil_scoped_release release;
             return std::make_unique<InvertedIndex>(v);
           }),
           py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"))
      .def_static(
          "from_postings",
          [](py::array data, py::array indices, py::array indptr, Shape shape) {
            // Csr checks the exact dtypes (no conversion): the views are of the caller's arrays,
            // kept alive by the index (keep_alive below).
            const Csr postings(data, indices, indptr, shape, "InvertedIndex.from_postings");
            const auto v = postings.view();
            // Checking the postings of a whole collection, pure C++.
            py::gil_scoped_release release;
            return std::make_unique<InvertedIndex>(InvertedIndex::from_postings(v));
          },
          py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"), py::keep_alive<0, 1>(),
          py::keep_alive<0, 2>(), py::keep_alive<0, 3>(),
          "The index of postings() saved before (terms x documents CSR), not transposed again; it\n"
          "borrows the three arrays (kept alive with it), so they must not be written to.")
      .def(
          "postings",
          [](const InvertedIndex& index) {
            const CountsView p = index.postings();
            return py::make_tuple(to_numpy(std::vector<double>(p.data.begin(), p.data.end())),
                                  to_numpy(std::vector<std::int64_t>(p.indices.begin(), p.indices.end())),
                                  to_numpy(std::vector<std::int64_t>(p.indptr.begin(), p.indptr.end())),
                                  py::make_tuple(p.n_rows, p.n_cols));
          },
          "Copies of the postings (data, indices, indptr, shape): the (terms x documents) CSR of the weights.")
      .def(
          "search",
          [](const InvertedIndex& index, py::array data, py::array indices, py::array indptr, Shape shape,
             std::int64_t k) {
            const Csr queries(data, indices, indptr, shape, "InvertedIndex.search");
            const auto v = queries.view();
            TopKResult result;
            {
              // Threaded over the queries, on buffers held above and the index's own; no Python objects.
              InterruptibleRelease release;  // Ctrl-C stops it
              result = index.search(v, k);
            }
            return py::make_tuple(to_numpy(std::move(result.indices)), to_numpy(std::move(result.scores)));
          },
          py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("shape"), py::arg("k"),
          "Flat (rows * k) int64 indices and float64 scores; -1 / NaN past the matching documents.")
      .def_property_readonly("n_documents", &InvertedIndex::n_documents)
      .def_property_readonly("n_terms", &InvertedIndex::n_terms);
}

}  // namespace themescope::bindings
