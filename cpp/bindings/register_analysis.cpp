// The multilingual analyzer (ts.Analyzer's native half).
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/stl.h>

#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/multilingual.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

TextRef checked_text(const py::handle& text) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error(std::string("text must be str, got ") + Py_TYPE(text.ptr())->tp_name);
  }
  return text_of(text.ptr());
}

NumberPolicy parse_numbers(const std::string& numbers) {
  if (numbers == "keep") return NumberPolicy::keep;
  if (numbers == "drop") return NumberPolicy::drop;
  throw std::invalid_argument("numbers must be 'keep' or 'drop', got '" + numbers + "'");
}

}  // namespace

void register_analysis(py::module_& m) {
  py::class_<MultilingualAnalyzer, DocumentAnalyzer, std::shared_ptr<MultilingualAnalyzer>>(
      m, "MultilingualAnalyzer", "Language-aware analysis: normalize, segment, filter, stem, n-grams.")
      .def(py::init([](const std::string& language, std::optional<std::vector<std::string>> custom_stop_words,
                       bool language_stop_words, bool elision, bool stem, const std::string& numbers,
                       std::size_t min_token_length, std::pair<std::size_t, std::size_t> ngram_range,
                       bool fold_accents) {
             MultilingualOptions o;
             o.language = language;
             if (custom_stop_words) {
               o.stop_words = StopWordsSource::custom;
               o.custom_stop_words = std::move(*custom_stop_words);
             } else {
               o.stop_words = language_stop_words ? StopWordsSource::language : StopWordsSource::none;
             }
             o.elision = elision;
             o.stem = stem;
             o.fold_accents = fold_accents;
             o.numbers = parse_numbers(numbers);
             o.min_token_length = min_token_length;
             o.ngram_min = ngram_range.first;
             o.ngram_max = ngram_range.second;
             return std::make_shared<MultilingualAnalyzer>(std::move(o));
           }),
           py::kw_only(), py::arg("language") = "auto", py::arg("custom_stop_words") = py::none(),
           py::arg("language_stop_words") = true, py::arg("elision") = true, py::arg("stem") = true,
           py::arg("numbers") = "keep", py::arg("min_token_length") = 2,
           py::arg("ngram_range") = std::pair<std::size_t, std::size_t>{1, 1}, py::arg("fold_accents") = false)
      .def(
          "__call__",
          [](const MultilingualAnalyzer& a, const py::handle& text) {
            const TextRef ref = checked_text(text);
            std::vector<std::pair<std::string, std::string>> terms;
            {
              // Segmentation and stemming touch no Python object; the str stays
              // referenced by the caller.
              py::gil_scoped_release release;
              auto state = a.new_state();
              a.analyze_document(ref, *state, [&](std::string_view term, std::string_view surface, TermMemo*) {
                terms.emplace_back(term, surface);
              });
            }
            py::list out;
            for (const auto& t : terms) out.append(str_of(t.first));
            return out;
          },
          py::arg("text"), "The terms of one document, in order.")
      .def(
          "language_of", [](const MultilingualAnalyzer& a, const py::handle& text) { return a.language_of(checked_text(text)); },
          py::arg("text"))
      .def(
          "explain",
          [](const MultilingualAnalyzer& a, const py::handle& text) {
            const std::vector<TokenTrace> rows = a.explain(checked_text(text));
            py::list language, segment, kind, unelided, term, dropped_by;
            for (const TokenTrace& r : rows) {
              language.append(str_of(r.language));
              segment.append(str_of(r.segment));
              kind.append(str_of(r.kind));
              unelided.append(str_of(r.unelided));
              term.append(r.dropped_by.empty() ? py::object(str_of(r.term)) : py::object(py::none()));
              dropped_by.append(r.dropped_by.empty() ? py::object(py::none()) : py::object(str_of(r.dropped_by)));
            }
            py::dict columns;
            columns["language"] = language;
            columns["segment"] = segment;
            columns["kind"] = kind;
            columns["unelided"] = unelided;
            columns["term"] = term;
            columns["dropped_by"] = dropped_by;
            return columns;
          },
          py::arg("text"), "Every word segment through every stage, as columns.");
}

}  // namespace themescope::bindings
