// Language-independent features (ts.CrossLanguageFeatures' native half).
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/crosslang.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

TextRef checked_text(const py::handle& text, const std::string& what) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error(what + " is " + Py_TYPE(text.ptr())->tp_name + ", expected str");
  }
  return text_of(text.ptr());
}

}  // namespace

void register_crosslang(py::module_& m) {
  py::class_<CrossLanguageAnalyzer, DocumentAnalyzer, std::shared_ptr<CrossLanguageAnalyzer>>(
      m, "CrossLanguageAnalyzer", "Features that survive translation: names, numbers, acronyms, cognates.")
      .def(py::init([](const std::string& language, bool names, bool numbers, bool acronyms, bool cognates,
                       bool ngrams, std::size_t cognate_prefix, std::size_t min_word_length,
                       std::pair<std::size_t, std::size_t> ngram_range, bool display_forms) {
             CrossLanguageOptions o;
             o.language = language;
             o.names = names;
             o.numbers = numbers;
             o.acronyms = acronyms;
             o.cognates = cognates;
             o.ngrams = ngrams;
             o.cognate_prefix = cognate_prefix;
             o.min_word_length = min_word_length;
             o.ngram_min = ngram_range.first;
             o.ngram_max = ngram_range.second;
             o.display_forms = display_forms;
             return std::make_shared<CrossLanguageAnalyzer>(std::move(o));
           }),
           py::kw_only(), py::arg("language") = "auto", py::arg("names") = true, py::arg("numbers") = true,
           py::arg("acronyms") = true, py::arg("cognates") = true, py::arg("ngrams") = false,
           py::arg("cognate_prefix") = 7, py::arg("min_word_length") = 4,
           py::arg("ngram_range") = std::pair<std::size_t, std::size_t>{4, 5}, py::arg("display_forms") = true)
      .def(
          "features",
          [](const CrossLanguageAnalyzer& a, const py::handle& text, const std::string& language) {
            const TextRef ref = checked_text(text, "text");
            std::vector<std::pair<std::string, std::string>> pairs;
            {
              // Segmentation, stemming and transliteration touch no Python object;
              // the caller holds the str.
              py::gil_scoped_release release;
              pairs = a.features(ref, language);
            }
            py::list out;
            for (const auto& [feature, surface] : pairs) out.append(py::make_tuple(str_of(feature), str_of(surface)));
            return out;
          },
          py::arg("text"), py::arg("language") = "",
          "(feature, surface) pairs of one document, in order; language '' uses the analyzer's.");
}

}  // namespace themescope::bindings
