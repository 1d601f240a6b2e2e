// What every native analyzer is to the counter that runs it (DocumentAnalyzer): a state
// per thread, and a document's terms streamed with their surface forms and memos.
// Implemented by TextAnalyzer (sklearn_analyzer.hpp, scikit-learn's analyzers),
// MultilingualAnalyzer (multilingual.hpp, ts.Analyzer) and CrossLanguageAnalyzer
// (crosslang.hpp).
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>

#include <absl/functional/function_ref.h>

#include "themescope/text.hpp"

namespace themescope {

// What a sink may remember of a term that an analyzer emits again and again.
// The multilingual analyzer keeps one per distinct token in its state and hands
// it over with each occurrence, so that a counter looks a repeated token's term
// up once per state instead of once per occurrence. It starts as {-1, -1} and
// only the sink writes it: its meaning is the sink's, so a state must feed one
// consumer only, and it must depend on the term and surface only: the analyzer
// may hand over a copy of the memo filled for another token with the same ones
// ("Paris" and "paris").
struct TermMemo {
  std::int32_t term = -1;
  std::int32_t surface = -1;
};
// Emits terms with the surface form each stands for (what people should read:
// "cybersécurité" for the stem "cybersecur"); views valid during the call. memo
// is nullptr when the term was built for this occurrence only (an n-gram, or an
// analyzer that keeps no memos).
using TermSurfaceSink =
    absl::FunctionRef<void(std::string_view term, std::string_view surface, TermMemo* memo)>;

// Per-thread working state of a DocumentAnalyzer.
class AnalyzerState {
 public:
  virtual ~AnalyzerState() = default;
};

// What TermCounter needs of an analyzer: a state per thread, and the terms of a
// document streamed from it. analyze_document may run on several threads at
// once, each with its own state.
class DocumentAnalyzer {
 public:
  virtual ~DocumentAnalyzer() = default;
  virtual std::unique_ptr<AnalyzerState> new_state() const = 0;
  virtual void analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const = 0;
  // The same for a document whose language is known beforehand (a code from
  // detect_language; "" for unknown): analyzers that identify each document's
  // language use it instead of their own guess, others ignore it.
  virtual void analyze_document_in(TextRef text, std::string_view language, AnalyzerState& state,
                                   TermSurfaceSink sink) const {
    (void)language;
    analyze_document(text, state, sink);
  }
  // Whether surfaces differ from terms (so that counting them is worth it).
  virtual bool has_display_forms() const noexcept { return false; }
};

}  // namespace themescope
