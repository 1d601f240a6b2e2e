// The text analyzer of the vectorizers: preprocess (lowercase, strip accents) ->
// tokenize or cut character n-grams -> drop stop words -> word n-grams.
// It reproduces scikit-learn's built-in analyzers exactly (same terms, same counts).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <absl/functional/function_ref.h>

#include "themescope/text.hpp"

namespace themescope {

enum class AnalyzerKind { word, char_ngrams, char_wb };
enum class AccentStripping { none, ascii, unicode };

struct AnalyzerOptions {
  AnalyzerKind kind = AnalyzerKind::word;
  bool lowercase = true;
  AccentStripping strip_accents = AccentStripping::none;
  // word: a token is a maximal run of `\w` characters at least this long
  // (2 is scikit-learn's default pattern `(?u)\b\w\w+\b`, 1 is `(?u)\b\w+\b`).
  std::size_t min_token_length = 2;
  std::size_t ngram_min = 1;
  std::size_t ngram_max = 1;
  // word only: UTF-8 tokens dropped before word n-grams are formed.
  std::vector<std::string> stop_words;

  // Throws std::invalid_argument naming the bad value.
  void validate() const;
};

// Emits terms as UTF-8 views that are valid only during the call.
using TermSink = absl::FunctionRef<void(std::string_view term)>;
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

// Per-thread working memory of an analyzer; reuse it across documents.
class AnalyzerScratch {
 public:
  AnalyzerScratch();
  ~AnalyzerScratch();
  AnalyzerScratch(AnalyzerScratch&&) noexcept;
  AnalyzerScratch& operator=(AnalyzerScratch&&) noexcept;

  struct Buffers;  // defined in analyzer.cpp

 private:
  friend class TextAnalyzer;
  std::unique_ptr<Buffers> buffers_;
};

class TextAnalyzer final : public DocumentAnalyzer {
 public:
  explicit TextAnalyzer(AnalyzerOptions options);
  TextAnalyzer(const TextAnalyzer&);
  TextAnalyzer& operator=(const TextAnalyzer&);
  TextAnalyzer(TextAnalyzer&&) noexcept;
  TextAnalyzer& operator=(TextAnalyzer&&) noexcept;
  ~TextAnalyzer() override;

  const AnalyzerOptions& options() const noexcept;

  // Streams the terms of one document to `sink`. The order within a document is
  // not scikit-learn's list order; the multiset of terms is identical.
  void analyze(TextRef text, AnalyzerScratch& scratch, TermSink sink) const;

  // Convenience for tests and small inputs.
  std::vector<std::string> analyze(TextRef text) const;

  // DocumentAnalyzer: terms are their own surfaces.
  std::unique_ptr<AnalyzerState> new_state() const override;
  void analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const override;

  struct StopWords;  // defined in analyzer.cpp

 private:
  AnalyzerOptions options_;
  std::shared_ptr<const StopWords> stop_words_;
};

}  // namespace themescope
