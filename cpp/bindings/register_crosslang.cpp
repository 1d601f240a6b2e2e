// Language-independent features (ts.CrossLanguageFeatures' native half).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/crosslang.hpp"
#include "themescope/term_counter.hpp"

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
                       std::pair<std::size_t, std::size_t> ngram_range) {
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
             return std::make_shared<CrossLanguageAnalyzer>(std::move(o));
           }),
           py::kw_only(), py::arg("language") = "auto", py::arg("names") = true, py::arg("numbers") = true,
           py::arg("acronyms") = true, py::arg("cognates") = true, py::arg("ngrams") = false,
           py::arg("cognate_prefix") = 7, py::arg("min_word_length") = 4,
           py::arg("ngram_range") = std::pair<std::size_t, std::size_t>{4, 5})
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
          "(feature, surface) pairs of one document, in order; language '' uses the analyzer's.")
      .def(
          "count_documents",
          [](const CrossLanguageAnalyzer& a, TermCounter& counter, const py::list& documents,
             const py::list& languages) {
            if (documents.size() != languages.size()) {
              throw py::value_error("got " + std::to_string(documents.size()) + " documents and " +
                                    std::to_string(languages.size()) + " languages");
            }
            // Tuples hold their own references while the GIL is released.
            const py::tuple texts_held(documents);
            std::vector<TextRef> texts;
            std::vector<std::string> codes;
            for (std::size_t i = 0; i < texts_held.size(); ++i) {
              texts.push_back(checked_text(texts_held[i], "document " + std::to_string(i)));
              const py::handle code = languages[i];
              if (!PyUnicode_Check(code.ptr())) {
                throw py::type_error("language " + std::to_string(i) + " is " + Py_TYPE(code.ptr())->tp_name +
                                     ", expected str");
              }
              codes.push_back(code.cast<std::string>());
            }
            // Feature extraction and counting are long and touch no Python object.
            py::gil_scoped_release release;
            auto state = a.new_state();
            std::vector<std::string> features;
            std::vector<std::string_view> views;
            for (std::size_t i = 0; i < texts.size(); ++i) {
              features.clear();
              a.analyze_document_in(texts[i], codes[i], *state,
                                    [&](std::string_view feature, std::string_view, TermMemo*) { features.emplace_back(feature); });
              views.assign(features.begin(), features.end());
              counter.add_terms(views);
            }
          },
          py::arg("counter"), py::arg("documents"), py::arg("languages"),
          "Count documents, each analyzed in its own given language (appended as rows).");
}

}  // namespace themescope::bindings
