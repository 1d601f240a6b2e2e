// The scikit-learn-parity analyzer (TextAnalyzer) and the base every native analyzer
// shares; the counter that runs them is in register_counter.cpp.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/sklearn_analyzer.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

AnalyzerKind parse_kind(const std::string& kind) {
  if (kind == "word") return AnalyzerKind::word;
  if (kind == "char") return AnalyzerKind::char_ngrams;
  if (kind == "char_wb") return AnalyzerKind::char_wb;
  throw std::invalid_argument("analyzer must be 'word', 'char' or 'char_wb', got '" + kind + "'");
}

AccentStripping parse_accents(const std::optional<std::string>& mode) {
  if (!mode) return AccentStripping::none;
  if (*mode == "ascii") return AccentStripping::ascii;
  if (*mode == "unicode") return AccentStripping::unicode;
  throw std::invalid_argument("strip_accents must be 'ascii', 'unicode' or None, got '" + *mode + "'");
}

}  // namespace

void register_text(py::module_& m) {
  // Analyzers are shared with the counters that use them (shared_ptr holders).
  py::class_<DocumentAnalyzer, std::shared_ptr<DocumentAnalyzer>>(m, "DocumentAnalyzer",
                                                                  "Base of the native analyzers.");
  py::class_<TextAnalyzer, DocumentAnalyzer, std::shared_ptr<TextAnalyzer>>(
      m, "TextAnalyzer", "scikit-learn's built-in analyzers, natively.")
      .def(py::init([](const std::string& kind, bool lowercase, std::optional<std::string> strip_accents,
                       std::size_t min_token_length, std::pair<std::size_t, std::size_t> ngram_range,
                       std::optional<std::vector<std::string>> stop_words) {
             AnalyzerOptions o;
             o.kind = parse_kind(kind);
             o.lowercase = lowercase;
             o.strip_accents = parse_accents(strip_accents);
             o.min_token_length = min_token_length;
             o.ngram_min = ngram_range.first;
             o.ngram_max = ngram_range.second;
             if (stop_words) o.stop_words = std::move(*stop_words);
             return std::make_shared<TextAnalyzer>(std::move(o));
           }),
           py::kw_only(), py::arg("kind") = "word", py::arg("lowercase") = true, py::arg("strip_accents") = py::none(),
           py::arg("min_token_length") = 2, py::arg("ngram_range") = std::pair<std::size_t, std::size_t>{1, 1},
           py::arg("stop_words") = py::none())
      .def(
          "__call__",
          [](const TextAnalyzer& a, const py::str& text) {
            std::vector<std::string> terms = a.analyze(text_of(text.ptr()));
            py::list out;
            for (const auto& t : terms) out.append(str_of(t));
            return out;
          },
          py::arg("text"), "Terms of one document (order not scikit-learn's; same multiset).");
}

}  // namespace themescope::bindings
