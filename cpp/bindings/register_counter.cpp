// TermCounter: documents in (analyzed natively), the vocabulary and the CSR matrix out
// without copies; the analyzers it runs are registered in register_text.cpp.
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "background.hpp"
#include "numpy_buffers.hpp"
#include "python_text.hpp"
#include "registrations.hpp"
#include "tfidf_options.hpp"
#include "themescope/analyzer.hpp"
#include "themescope/parallel.hpp"
#include "themescope/term_counter.hpp"
#include "themescope/tfidf.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

// UTF-8 of a str; lone surrogates are kept (as "surrogatepass" writes them).
std::string utf8_of(const py::handle& s) {
  Py_ssize_t size = 0;
  if (const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &size)) return {p, static_cast<std::size_t>(size)};
  PyErr_Clear();
  py::object bytes = py::reinterpret_steal<py::object>(PyUnicode_AsEncodedString(s.ptr(), "utf-8", "surrogatepass"));
  if (!bytes) throw py::error_already_set();
  return std::string(py::bytes(bytes));
}

std::vector<TextRef> texts_of(const py::tuple& documents) {
  std::vector<TextRef> texts;
  texts.reserve(documents.size());
  for (std::size_t i = 0; i < documents.size(); ++i) {
    PyObject* item = PyTuple_GET_ITEM(documents.ptr(), static_cast<Py_ssize_t>(i));
    if (!PyUnicode_Check(item)) {
      throw py::type_error("document " + std::to_string(i) + " is " + Py_TYPE(item)->tp_name +
                           ", expected str");
    }
    texts.push_back(text_of(item));
  }
  return texts;
}

Vocabulary vocabulary_of(const py::list& terms) {
  std::vector<std::string> utf8;
  utf8.reserve(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    py::handle t = terms[i];
    if (!PyUnicode_Check(t.ptr())) {
      throw py::type_error("vocabulary term " + std::to_string(i) + " is " + Py_TYPE(t.ptr())->tp_name +
                           ", expected str");
    }
    utf8.push_back(utf8_of(t));
  }
  std::vector<std::string_view> views(utf8.begin(), utf8.end());
  return Vocabulary::from_terms(views);
}

template <class Out>
using Converted = std::vector<Out, UninitializedAllocator<Out>>;

template <class Out>
Converted<Out> convert_counts(const std::vector<std::int32_t>& counts, bool binary) {
  Converted<Out> out(counts.size());  // every element is written below
  const std::size_t n = counts.size();
  const std::size_t tasks = std::max<std::size_t>(1, n >> 16);  // 64K entries a task
  parallel_for(tasks, [&](std::size_t t) {
    for (std::size_t i = n * t / tasks; i < n * (t + 1) / tasks; ++i) {
      out[i] = binary ? Out(1) : static_cast<Out>(counts[i]);
    }
  });
  return out;
}

// The index arrays of a matrix whose values are `data`: numpy arrays that own
// the vectors (no copies), int32 indptr when the entries allow it.
py::tuple matrix_tuple(py::array data, CountMatrix&& m) {
  py::array indices, indptr;
  const bool small = m.nnz() <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  if (small) {
    std::vector<std::int32_t> ptr(m.indptr.begin(), m.indptr.end());
    indptr = to_numpy(std::move(ptr));
    indices = to_numpy(std::move(m.indices));
  } else {  // scipy wants both index arrays of one dtype
    std::vector<std::int64_t> wide(m.indices.begin(), m.indices.end());
    m.indices = {};
    indices = to_numpy(std::move(wide));
    indptr = to_numpy(std::move(m.indptr));
  }
  return py::make_tuple(data, indices, indptr, py::make_tuple(m.n_rows, m.n_cols));
}

// What take_matrix is asked for, checked with the GIL held before any work.
struct TakeRequest {
  std::string dtype;
  bool binary = false;
  bool weigh = false;
  py::object idf;  // contiguous, of the dtype (or None): keeps idf_values alive
  const void* idf_values = nullptr;
  std::size_t n_idf = 0;
  bool sublinear_tf = false;
  Norm norm = Norm::none;
};

TakeRequest take_request(const TermCounter& c, const std::string& dtype, bool binary, bool weigh,
                         const std::optional<py::array>& idf, bool sublinear_tf, const std::optional<std::string>& norm) {
  TakeRequest r;
  r.dtype = dtype;
  r.binary = binary;
  r.weigh = weigh;
  if (!weigh) {
    if (dtype != "int64" && dtype != "int32" && dtype != "float64" && dtype != "float32") {
      throw std::invalid_argument("count dtype must be int64, int32, float64 or float32, got " + dtype);
    }
    if (idf || sublinear_tf || norm) {
      throw std::invalid_argument("idf, sublinear_tf and norm weigh the matrix: pass weigh=True with them");
    }
    return r;
  }
  if (dtype != "float64" && dtype != "float32") {
    throw std::invalid_argument("a weighted matrix is float64 or float32, got " + dtype);
  }
  r.sublinear_tf = sublinear_tf;
  r.norm = parse_norm(norm);
  if (idf) {
    const auto n_cols = static_cast<py::ssize_t>(c.vocabulary().size());
    const bool of_dtype =
        dtype == "float64" ? py::isinstance<py::array_t<double>>(*idf) : py::isinstance<py::array_t<float>>(*idf);
    if (!of_dtype || idf->ndim() != 1 || idf->size() != n_cols) {
      throw std::invalid_argument("idf must be a " + dtype + " array of " + std::to_string(n_cols) + " values");
    }
    py::array values = dtype == "float64"
                           ? py::array(py::array_t<double, py::array::c_style>::ensure(*idf))
                           : py::array(py::array_t<float, py::array::c_style>::ensure(*idf));  // a copy if not contiguous
    r.idf_values = values.data();
    r.n_idf = static_cast<std::size_t>(values.size());
    r.idf = std::move(values);
  }
  return r;
}

// The matrix moved out of a counter, its values in the dtype asked for.
struct TakenMatrix {
  CountMatrix m;
  std::variant<Converted<std::int64_t>, std::vector<std::int32_t>, Converted<double>, Converted<float>> values;
};

template <class Real>
Converted<Real> weighed_values(CountMatrix& m, const TakeRequest& r) {
  Converted<Real> data = convert_counts<Real>(m.data, r.binary);
  m.data = {};  // before weighing: the counts are not needed beside the values
  tfidf_in_place<Real, std::int32_t, std::int64_t>(
      CsrView<Real, std::int32_t, std::int64_t>{m.n_rows, m.n_cols, m.indptr, m.indices, {data.data(), data.size()}},
      {static_cast<const Real*>(r.idf_values), r.n_idf}, r.sublinear_tf, r.norm);
  return data;
}

// Sorting, converting and weighing (tfidf_in_place, for TfidfVectorizer's
// fit_transform): pure C++ on buffers Python does not see yet, run without
// the GIL. The counts are freed as soon as the values exist, to keep the peak low.
TakenMatrix take(TermCounter& c, const TakeRequest& r) {
  TakenMatrix t;
  t.m = c.take_matrix();
  if (r.weigh) {
    if (r.dtype == "float64") {
      t.values = weighed_values<double>(t.m, r);
    } else {
      t.values = weighed_values<float>(t.m, r);
    }
    return t;
  }
  if (r.dtype == "int32") {
    if (r.binary) std::fill(t.m.data.begin(), t.m.data.end(), 1);
    t.values = std::move(t.m.data);
  } else if (r.dtype == "int64") {
    t.values = convert_counts<std::int64_t>(t.m.data, r.binary);
  } else if (r.dtype == "float64") {
    t.values = convert_counts<double>(t.m.data, r.binary);
  } else {
    t.values = convert_counts<float>(t.m.data, r.binary);
  }
  t.m.data = {};
  return t;
}

py::tuple to_python(TakenMatrix&& t) {
  py::array data;
  std::visit([&](auto&& v) { data = to_numpy(std::move(v)); }, t.values);
  return matrix_tuple(data, std::move(t.m));
}

// take_matrix started on a thread of its own (BackgroundJob): until result()
// returns, the counter's vocabulary may be read (display forms), nothing else.
class PendingMatrix {
 public:
  PendingMatrix(TermCounter& c, TakeRequest request)
      : request_(std::move(request)), job_([&c, this] { return take(c, request_); }) {}
  py::tuple result() { return to_python(job_.take()); }

 private:
  TakeRequest request_;  // before job_: it outlives the thread that reads it
  BackgroundJob<TakenMatrix> job_;
};

// TermCounter.add_documents: the documents and their language codes are read with the GIL
// held, then analyzed and counted without it.
void add_documents(TermCounter& c, const py::list& documents, const py::object& languages) {
  // A tuple holds its own references: another Python thread emptying
  // the list while the GIL is released cannot free a string being read.
  const py::tuple snapshot(documents);
  std::vector<TextRef> texts = texts_of(snapshot);
  std::vector<std::string> codes;
  if (!languages.is_none()) {
    for (const py::handle code : py::iterable(languages)) {
      if (!PyUnicode_Check(code.ptr())) {
        throw py::type_error("language " + std::to_string(codes.size()) + " is " +
                             Py_TYPE(code.ptr())->tp_name + ", expected str");
      }
      codes.push_back(code.cast<std::string>());
    }
  }
  const std::vector<std::string_view> views(codes.begin(), codes.end());
  if (!languages.is_none() && views.size() != texts.size()) {
    throw py::value_error("languages has " + std::to_string(views.size()) + " codes for " +
                          std::to_string(texts.size()) + " documents");
  }
  // Analysis is long and touches no Python object.
  py::gil_scoped_release release;
  c.add_documents(texts, views);
}

void add_analyzed_documents(TermCounter& c, const py::iterable& documents) {
  std::vector<std::string> utf8;
  std::vector<std::string_view> views;
  for (py::handle terms : documents) {
    utf8.clear();
    for (py::handle t : terms) {
      if (!PyUnicode_Check(t.ptr())) {
        throw py::type_error("the analyzer produced a " + std::string(Py_TYPE(t.ptr())->tp_name) +
                             " term in document " + std::to_string(c.n_documents()) +
                             "; terms must be str");
      }
      utf8.push_back(utf8_of(t));
    }
    views.assign(utf8.begin(), utf8.end());
    c.add_terms(views);
  }
}

py::tuple sort_terms_with_names(TermCounter& c) {
  // The str objects need the GIL, sorting does not: with two threads,
  // the terms are sorted, renumbered and their document frequencies
  // counted on a native thread meanwhile. The names are read from a
  // copy of the term views: renumbering reorders the views, never
  // the bytes they point at.
  const std::vector<std::string_view> terms = c.vocabulary().terms();
  auto sort = [&c] {
    std::vector<TermId> order = c.term_order();
    c.sort_vocabulary(order);
    return std::make_pair(std::move(order), c.document_frequencies());
  };
  std::optional<BackgroundJob<decltype(sort())>> sorting;
  if (get_num_threads() > 1) sorting.emplace(sort);
  py::list names(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    py::str name = str_of(terms[i]);
    // Hashed now, while the new str is in cache: vocabulary_'s dict
    // reuses the cached hash (docs corpus: -8 ms off that dict).
    if (PyObject_Hash(name.ptr()) == -1) throw py::error_already_set();
    PyList_SET_ITEM(names.ptr(), static_cast<Py_ssize_t>(i), name.release().ptr());
  }
  auto [order, df] = sorting ? sorting->take() : [&] {
    py::gil_scoped_release release;  // sorting and renumbering: pure C++
    return sort();
  }();
  return py::make_tuple(std::move(names), to_numpy(std::move(order)), to_numpy(std::move(df)));
}

py::dict by_language_dict(const std::vector<TermCounter::LanguageForm>& forms) {
  py::dict by_language;  // language -> {column: form}
  for (const auto& f : forms) {
    const py::str language = str_of(f.language);
    if (!by_language.contains(language)) by_language[language] = py::dict();
    by_language[language][py::int_(f.column)] = str_of(f.form);
  }
  return by_language;
}

py::tuple surface_counts(const TermCounter& c) {
  const auto records = c.surface_counts();
  std::vector<TermId> columns(records.size());
  std::vector<std::int64_t> counts(records.size());
  py::list languages(records.size());
  py::list surfaces(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    columns[i] = records[i].column;
    counts[i] = records[i].count;
    languages[i] = str_of(records[i].language);
    surfaces[i] = str_of(records[i].surface);
  }
  return py::make_tuple(to_numpy(std::move(columns)), std::move(languages), std::move(surfaces),
                        to_numpy(std::move(counts)));
}

py::tuple take_matrix(TermCounter& c, const std::string& dtype, bool binary, bool weigh, std::optional<py::array> idf,
                      bool sublinear_tf, std::optional<std::string> norm) {
  const TakeRequest request = take_request(c, dtype, binary, weigh, idf, sublinear_tf, norm);
  TakenMatrix taken;
  {
    py::gil_scoped_release release;  // sorts every row (and weighs): pure C++
    taken = take(c, request);
  }
  return to_python(std::move(taken));
}

// {names[i]: columns[i]} for the columns >= 0, in the order of `names`
// (scikit-learn's vocabulary_ keeps the order terms were first met in).
py::dict vocabulary_dict_of(const py::list& names,
                            py::array_t<TermId, py::array::c_style | py::array::forcecast> columns) {
  const auto n = static_cast<std::size_t>(names.size());
  if (static_cast<std::size_t>(columns.size()) != n) {
    throw std::invalid_argument("vocabulary_dict_of: " + std::to_string(columns.size()) + " columns for " +
                                std::to_string(n) + " names");
  }
  const TermId* column = columns.data();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Exact str only: a subclass's __hash__ or __eq__ could run Python code
    // (and change the list) while the dict fills.
    if (!PyUnicode_CheckExact(PyList_GET_ITEM(names.ptr(), static_cast<Py_ssize_t>(i)))) {
      throw py::type_error("vocabulary_dict_of: name " + std::to_string(i) + " is not a str");
    }
    kept += column[i] >= 0;
  }
  auto vocabulary = py::reinterpret_steal<py::dict>(_PyDict_NewPresized(static_cast<Py_ssize_t>(kept)));
  if (!vocabulary) throw py::error_already_set();
  for (std::size_t i = 0; i < n; ++i) {
    if (column[i] < 0) continue;
    const auto value = py::reinterpret_steal<py::object>(PyLong_FromLong(column[i]));
    PyObject* name = PyList_GET_ITEM(names.ptr(), static_cast<Py_ssize_t>(i));
    if (!value || PyDict_SetItem(vocabulary.ptr(), name, value.ptr()) != 0) throw py::error_already_set();
  }
  return vocabulary;
}

using CounterClass = py::class_<TermCounter>;

// Documents in: analyzed here, or analyzed in Python and given as terms.
void def_counting(CounterClass& counter) {
  counter
      .def(py::init([](std::shared_ptr<DocumentAnalyzer> analyzer, std::optional<py::list> vocabulary) {
             if (vocabulary) return TermCounter(std::move(analyzer), vocabulary_of(*vocabulary));
             return TermCounter(std::move(analyzer));
           }),
           py::arg("analyzer"), py::arg("vocabulary") = py::none())
      .def("add_documents", &add_documents, py::arg("documents"), py::arg("languages") = py::none(),
           "Analyze and count a list of str (appended as rows); `languages`: each one's code, for ts.Analyzer.")
      .def("add_analyzed_documents", &add_analyzed_documents, py::arg("documents"),
           "Count documents given as iterables of str terms.")
      .def_property_readonly("n_documents", &TermCounter::n_documents)
      .def_property_readonly("vocabulary_size", [](const TermCounter& c) { return c.vocabulary().size(); })
      .def_property_readonly("nnz", &TermCounter::nnz);
}

// The vocabulary and what is known per term: order, frequencies, surface forms, pruning.
void def_vocabulary(CounterClass& counter) {
  counter
      .def("sort_vocabulary",
           [](TermCounter& c) {
             py::gil_scoped_release release;  // sorting terms and remapping entries: pure C++
             c.sort_vocabulary();
           })
      .def("sort_terms_with_names", &sort_terms_with_names,
           "Renumber the vocabulary in term order; returns (the terms as str in their old order,\n"
           "order: the old ids in term order, the document frequency of each new column).")
      .def("release_terms", &TermCounter::release_terms,
           "Free the vocabulary's terms (their str objects exist already); the matrix can still be taken.")
      .def("document_frequencies", [](const TermCounter& c) { return to_numpy(c.document_frequencies()); })
      .def("term_frequencies", [](const TermCounter& c) { return to_numpy(c.term_frequencies()); })
      .def(
          "entries",
          [](const TermCounter& c) {
            auto columns = c.entry_columns();
            auto counts = c.entry_counts();
            return py::make_tuple(to_numpy(std::vector<TermId>(columns.begin(), columns.end())),
                                  to_numpy(std::vector<std::int32_t>(counts.begin(), counts.end())));
          },
          "Copies of the stored entries' (columns, counts), row after row.")
      .def(
          "keep_columns",
          [](TermCounter& c, py::array_t<std::int32_t, py::array::c_style | py::array::forcecast> kept) {
            std::span<const TermId> columns{kept.data(), static_cast<std::size_t>(kept.size())};
            py::gil_scoped_release release;  // compacts the entries in place: pure C++
            c.keep_columns(columns);
          },
          py::arg("kept"))
      .def("display_forms",
           [](const TermCounter& c) {
             py::list names;
             for (const auto& form : c.display_forms()) names.append(str_of(form));
             return names;
           },
           "Per column, the most frequent surface form of its term.")
      .def("display_forms_by_language",
           [](const TermCounter& c) { return by_language_dict(c.display_forms_by_language()); },
           "{language: {column: form}}: where a language's own most frequent surface form differs from "
           "display_forms' (documents counted with that language code).")
      .def("display_forms_with_languages",
           [](const TermCounter& c) {
             const auto both = c.display_forms_with_languages();
             py::list names;
             for (const auto& form : both.forms) names.append(str_of(form));
             return py::make_tuple(std::move(names), by_language_dict(both.by_language));
           },
           "(display_forms(), display_forms_by_language()), each surface read once.")
      .def("surface_counts", &surface_counts,
           "(columns, languages, surfaces, counts): every surface form counted per column and document "
           "language, what display_forms chooses from.")
      .def("feature_names", [](const TermCounter& c) {
        py::list names(c.vocabulary().size());
        for (std::size_t i = 0; i < c.vocabulary().size(); ++i) {
          names[i] = str_of(c.vocabulary().term(static_cast<TermId>(i)));
        }
        return names;
      });
}

// The matrix out, here or on a native thread of its own.
void def_matrix(CounterClass& counter) {
  counter
      .def("take_matrix", &take_matrix, py::arg("dtype") = "int64", py::arg("binary") = false, py::kw_only(),
           py::arg("weigh") = false, py::arg("idf") = py::none(), py::arg("sublinear_tf") = false,
           py::arg("norm") = py::none(),
           "Move the matrix out as (data, indices, indptr, shape) numpy arrays, no copies; with weigh=True,\n"
           "TF-IDF weighted (tfidf_in_place's idf, sublinear_tf and norm) on the way.")
      .def(
          "start_take_matrix",
          [](TermCounter& c, const std::string& dtype, bool binary, bool weigh, std::optional<py::array> idf,
             bool sublinear_tf, std::optional<std::string> norm) {
            return std::make_unique<PendingMatrix>(c, take_request(c, dtype, binary, weigh, idf, sublinear_tf, norm));
          },
          py::arg("dtype") = "int64", py::arg("binary") = false, py::kw_only(), py::arg("weigh") = false,
          py::arg("idf") = py::none(), py::arg("sublinear_tf") = false, py::arg("norm") = py::none(),
          py::keep_alive<0, 1>(),
          "take_matrix on a native thread of its own; its result() waits for the tuple. Until then,\n"
          "only reading the vocabulary (display_forms) is safe.");
}

}  // namespace

void register_counter(py::module_& m) {
  py::class_<PendingMatrix>(m, "PendingMatrix", "A take_matrix running on a native thread.")
      .def("result", &PendingMatrix::result, "Wait for the matrix (without the GIL); once only.");
  CounterClass counter(m, "TermCounter", "Counts terms of documents into CSR buffers.");
  def_counting(counter);
  def_vocabulary(counter);
  def_matrix(counter);
  m.def("vocabulary_dict_of", &vocabulary_dict_of, py::arg("names"), py::arg("columns"),
        "{names[i]: columns[i]} for every columns[i] >= 0, in the order of names.");
}

}  // namespace themescope::bindings
