// TextAnalyzer, the analyzer of the vectorizers: preprocess (lowercase, strip accents) ->
// tokenize or cut character n-grams -> drop stop words -> word n-grams.
// It reproduces scikit-learn's built-in analyzers exactly (same terms, same counts).
// The interface every native analyzer implements is analyzer.hpp; ts.Analyzer, the
// multilingual one, is multilingual.hpp.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <absl/functional/function_ref.h>

#include "themescope/analyzer.hpp"
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

// Per-thread working memory of an analyzer; reuse it across documents.
class AnalyzerScratch {
 public:
  AnalyzerScratch();
  ~AnalyzerScratch();
  AnalyzerScratch(AnalyzerScratch&&) noexcept;
  AnalyzerScratch& operator=(AnalyzerScratch&&) noexcept;

  struct Buffers;  // defined in sklearn_analyzer.cpp

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

  struct StopWords;  // defined in sklearn_analyzer.cpp

 private:
  AnalyzerOptions options_;
  std::shared_ptr<const StopWords> stop_words_;
};

}  // namespace themescope
