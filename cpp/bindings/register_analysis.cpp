// The multilingual analyzer (ts.Analyzer's native half).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/stl.h>

#include "numpy_buffers.hpp"
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

std::shared_ptr<MultilingualAnalyzer> make_analyzer(
    const std::string& language, std::optional<std::vector<std::string>> custom_stop_words, bool language_stop_words,
    bool elision, bool stem, const std::string& numbers, std::size_t min_token_length,
    std::pair<std::size_t, std::size_t> ngram_range, bool fold_accents,
    std::optional<std::vector<std::pair<std::string, std::string>>> phrases, bool phrase_keeps_words,
    std::size_t headline_weight,
    std::optional<std::map<std::pair<std::string, std::string>, std::string>> phrase_terms) {
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
  if (phrases) {
    o.phrases = std::make_shared<const PhraseTable>(
        *phrases, phrase_terms ? *phrase_terms : std::map<std::pair<std::string, std::string>, std::string>{});
  } else if (phrase_terms && !phrase_terms->empty()) {
    throw std::invalid_argument("phrase_terms given without phrases");
  }
  o.phrase_keeps_words = phrase_keeps_words;
  o.headline_weight = headline_weight;
  return std::make_shared<MultilingualAnalyzer>(std::move(o));
}

py::list terms_of(const MultilingualAnalyzer& a, const py::handle& text) {
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
}

// None where the value is empty (a dropped token has no term, a kept one no dropped_by).
py::object str_or_none(const std::string& value) {
  return value.empty() ? py::object(py::none()) : py::object(str_of(value));
}

py::dict explain_columns(const MultilingualAnalyzer& a, const py::handle& text) {
  const std::vector<TokenTrace> rows = a.explain(checked_text(text));
  py::list language, segment, kind, unelided, term, dropped_by, phrase;
  for (const TokenTrace& r : rows) {
    language.append(str_of(r.language));
    segment.append(str_of(r.segment));
    kind.append(str_of(r.kind));
    unelided.append(str_of(r.unelided));
    term.append(r.dropped_by.empty() ? py::object(str_of(r.term)) : py::object(py::none()));
    dropped_by.append(str_or_none(r.dropped_by));
    phrase.append(str_or_none(r.phrase));
  }
  py::dict columns;
  columns["language"] = language;
  columns["segment"] = segment;
  columns["kind"] = kind;
  columns["unelided"] = unelided;
  columns["term"] = term;
  columns["dropped_by"] = dropped_by;
  columns["phrase"] = phrase;
  return columns;
}

py::list linked_tokens_of(const MultilingualAnalyzer& a, const py::handle& text, const std::string& language) {
  const TextRef ref = checked_text(text);
  std::vector<std::tuple<std::string, std::string, std::string, int>> tokens;
  {
    py::gil_scoped_release release;  // analysis touches no Python object
    auto state = a.new_state();
    a.linked_tokens(ref, language, *state, [&](const LinkedToken& t, TermMemo*) {
      tokens.emplace_back(t.term, t.surface, t.written(), static_cast<int>(t.link));
    });
  }
  static const char* const kLinks[] = {"none", "space", "hyphen"};
  py::list out;
  for (const auto& [term, surface, written, link] : tokens) {
    out.append(py::make_tuple(str_of(term), str_of(surface), str_of(written), kLinks[link]));
  }
  return out;
}

std::vector<std::string> language_codes(const py::object& languages) {
  std::vector<std::string> codes;
  if (languages.is_none()) return codes;
  for (const py::handle code : py::iterable(languages)) {
    if (!PyUnicode_Check(code.ptr())) {
      throw py::type_error("language " + std::to_string(codes.size()) + " is " + Py_TYPE(code.ptr())->tp_name +
                           ", expected str");
    }
    codes.push_back(code.cast<std::string>());
  }
  return codes;
}

// The candidates as columns for a DataFrame: numpy arrays (no Python object per
// count), each term's str made once however many pairs it is part of.
py::dict candidate_columns(const std::vector<PhraseCandidate>& candidates) {
  const std::size_t n = candidates.size();
  py::list first, second;
  std::unordered_map<std::string_view, py::str> strs;
  auto str_once = [&](const std::string& term) -> py::str {
    auto [it, inserted] = strs.try_emplace(term);
    if (inserted) it->second = str_of(term);
    return it->second;
  };
  std::vector<std::int64_t> count(n), documents(n), hyphenated(n), capitalized(n), first_count(n), second_count(n);
  std::vector<double> npmi(n);
  py::array_t<bool> selected(static_cast<py::ssize_t>(n));
  auto chosen = selected.mutable_unchecked<1>();
  for (std::size_t i = 0; i < n; ++i) {
    const PhraseCandidate& c = candidates[i];
    first.append(str_once(c.first));
    second.append(str_once(c.second));
    count[i] = static_cast<std::int64_t>(c.count);
    documents[i] = static_cast<std::int64_t>(c.documents);
    hyphenated[i] = static_cast<std::int64_t>(c.hyphenated);
    capitalized[i] = static_cast<std::int64_t>(c.capitalized);
    first_count[i] = static_cast<std::int64_t>(c.first_count);
    second_count[i] = static_cast<std::int64_t>(c.second_count);
    npmi[i] = c.npmi;
    chosen(static_cast<py::ssize_t>(i)) = c.selected;
  }
  py::dict columns;
  columns["first"] = first;
  columns["second"] = second;
  columns["count"] = to_numpy(std::move(count));
  columns["documents"] = to_numpy(std::move(documents));
  columns["hyphenated"] = to_numpy(std::move(hyphenated));
  columns["capitalized"] = to_numpy(std::move(capitalized));
  columns["first_count"] = to_numpy(std::move(first_count));
  columns["second_count"] = to_numpy(std::move(second_count));
  columns["npmi"] = to_numpy(std::move(npmi));
  columns["selected"] = selected;
  return columns;
}

py::tuple count_phrases_of(const MultilingualAnalyzer& a, const py::object& documents, const py::object& languages,
                           std::size_t min_count, std::size_t min_documents, double threshold, double name_threshold,
                           std::size_t name_min_documents) {
  HeldTexts held = held_texts(documents, "documents");
  const std::vector<std::string> codes = language_codes(languages);
  const std::vector<std::string_view> views(codes.begin(), codes.end());
  PhraseOptions options;
  options.min_count = min_count;
  options.min_documents = min_documents;
  options.threshold = threshold;
  options.name_threshold = name_threshold;
  options.name_min_documents = name_min_documents;
  PhraseCounts counts;
  {
    // Analysis of the whole corpus, on every core; the tuple keeps the str alive.
    py::gil_scoped_release release;
    counts = count_phrases(a, held.texts, views, options);
  }
  return py::make_tuple(candidate_columns(counts.candidates), counts.n_tokens);
}

}  // namespace

void register_analysis(py::module_& m) {
  py::class_<MultilingualAnalyzer, DocumentAnalyzer, std::shared_ptr<MultilingualAnalyzer>>(
      m, "MultilingualAnalyzer", "Language-aware analysis: normalize, segment, filter, stem, n-grams.")
      .def(py::init(&make_analyzer), py::kw_only(), py::arg("language") = "auto",
           py::arg("custom_stop_words") = py::none(), py::arg("language_stop_words") = true,
           py::arg("elision") = true, py::arg("stem") = true, py::arg("numbers") = "keep",
           py::arg("min_token_length") = 2, py::arg("ngram_range") = std::pair<std::size_t, std::size_t>{1, 1},
           py::arg("fold_accents") = false, py::arg("phrases") = py::none(), py::arg("phrase_keeps_words") = false,
           py::arg("headline_weight") = 1, py::arg("phrase_terms") = py::none())
      .def("__call__", &terms_of, py::arg("text"), "The terms of one document, in order.")
      .def(
          "language_of", [](const MultilingualAnalyzer& a, const py::handle& text) { return a.language_of(checked_text(text)); },
          py::arg("text"))
      .def("explain", &explain_columns, py::arg("text"), "Every word segment through every stage, as columns.")
      .def_property_readonly(
          "phrases",
          [](const MultilingualAnalyzer& a) {
            return a.options().phrases ? a.options().phrases->pairs()
                                       : std::vector<std::pair<std::string, std::string>>{};
          },
          "The phrase stage's pairs of terms, sorted.")
      .def("linked_tokens", &linked_tokens_of, py::arg("text"), py::arg("language") = "",
           "The kept tokens before the phrase stage: (term, surface, written, link to the previous one).");

  m.def("count_phrases", &count_phrases_of, py::arg("analyzer"), py::arg("documents"), py::kw_only(),
        py::arg("languages") = py::none(), py::arg("min_count") = 2, py::arg("min_documents") = 2,
        py::arg("threshold") = 0.5, py::arg("name_threshold") = 0.25, py::arg("name_min_documents") = 1,
        "Count adjacent pairs of kept tokens over a corpus and choose phrases: (columns, kept tokens).");
}

}  // namespace themescope::bindings
