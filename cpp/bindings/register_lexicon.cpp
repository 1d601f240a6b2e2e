// Language resources: stop word lists and Snowball stemming.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/stl.h>

#include "registrations.hpp"
#include "themescope/stemmer.hpp"
#include "themescope/stop_words.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

py::str str_of(std::string_view utf8) {
  // surrogatepass: words that held lone surrogates come back as they went in.
  PyObject* s = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "surrogatepass");
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

// Appends the UTF-8 of a str (lone surrogates encoded as "surrogatepass" does).
void append_utf8(PyObject* s, std::string& out) {
  Py_ssize_t size = 0;
  if (const char* p = PyUnicode_AsUTF8AndSize(s, &size)) {
    out.append(p, static_cast<std::size_t>(size));
    return;
  }
  PyErr_Clear();
  py::object bytes = py::reinterpret_steal<py::object>(PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass"));
  if (!bytes) throw py::error_already_set();
  out.append(PyBytes_AS_STRING(bytes.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr())));
}

// Words packed in one buffer: word i is bytes [ends[i-1], ends[i]).
struct PackedWords {
  std::string bytes;
  std::vector<std::size_t> ends;
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
};

py::list stem_words(const py::list& words, const std::string& language) {
  Stemmer stemmer(language);  // before reading the words: a bad code fails fast
  const auto n = static_cast<std::size_t>(PyList_GET_SIZE(words.ptr()));
  PackedWords in;
  in.ends.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* w = PyList_GET_ITEM(words.ptr(), static_cast<Py_ssize_t>(i));
    if (!PyUnicode_Check(w)) {
      throw py::type_error("word " + std::to_string(i) + " is " + Py_TYPE(w)->tp_name + ", expected str");
    }
    append_utf8(w, in.bytes);
    in.ends.push_back(in.bytes.size());
  }
  PackedWords out;
  {
    // Stemming reads only the packed copy above, never a Python object.
    py::gil_scoped_release release;
    out.bytes.reserve(in.bytes.size());
    out.ends.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      out.bytes.append(stemmer.stem(in[i]));
      out.ends.push_back(out.bytes.size());
    }
  }
  py::list stems(static_cast<Py_ssize_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    PyList_SET_ITEM(stems.ptr(), static_cast<Py_ssize_t>(i), str_of(out[i]).release().ptr());
  }
  return stems;
}

}  // namespace

void register_lexicon(py::module_& m) {
  // std::invalid_argument (unknown language) -> ValueError: pybind11's default.
  m.def(
      "stop_words",
      [](const std::string& language) {
        const StopWordSet& set = stop_words(language);
        py::list words(static_cast<Py_ssize_t>(set.size()));
        for (std::size_t i = 0; i < set.size(); ++i) {
          PyList_SET_ITEM(words.ptr(), static_cast<Py_ssize_t>(i), str_of(set.words()[i]).release().ptr());
        }
        return words;
      },
      py::arg("language"), "Snowball stop words of an ISO 639-1 language, NFKC_Casefold-normalized, sorted.");
  m.def("stop_word_languages", &stop_word_languages, "ISO 639-1 codes that have a stop word list, sorted.");
  m.def("normalize_stop_word", [](std::string_view word) { return str_of(normalize_stop_word(word)); },
        py::arg("word"), "NFKC_Casefold, then apostrophes to U+0027: the form of the stop lists.");
  m.def("stem", &stem_words, py::arg("words"), py::arg("language"),
        "Snowball stems of a list of str (one libstemmer stemmer for the whole batch).");
  m.def("stemmer_languages", &stemmer_languages, "ISO 639-1 codes with a Snowball stemmer, sorted.");
}

}  // namespace themescope::bindings
