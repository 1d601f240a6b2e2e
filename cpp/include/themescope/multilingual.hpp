// The multilingual analyzer behind ts.Analyzer: per document, its language
// (given, or detected with CLD2), then normalize -> segment -> filter (numbers,
// elision, length, stop words) -> stem -> n-grams, each stage from
// analysis.hpp, stop_words.hpp and stemmer.hpp.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "themescope/analyzer.hpp"
#include "themescope/language.hpp"
#include "themescope/text.hpp"

namespace themescope {

enum class NumberPolicy { keep, drop };

// How much of each document language="auto" reads to identify its language:
// up to 512 code units, in 4 windows spread over a longer document. CLD2 costs
// some 300 instructions per character it reads, more than the rest of the
// analysis; on the 5,337 articles of bbc_news_en and gilets_jaunes_fr_en this
// sample gives the answer of the whole document (detect_language) for all but
// one (measured when chosen: 1 difference, a French article read as English;
// 256 code units: 3, the whole text up to kMaxSampledCodeUnits: 0 by definition).
inline constexpr SampleBudget kAnalyzerLanguageSample{512, 4};
enum class StopWordsSource { none, language, custom };

struct MultilingualOptions {
  // ISO 639-1 code, or "auto": every document gets the language CLD2 finds in
  // kAnalyzerLanguageSample of it (no stop words and no stemming when that is
  // "und" or a language without resources).
  std::string language = "auto";
  StopWordsSource stop_words = StopWordsSource::language;
  std::vector<std::string> custom_stop_words;  // used with StopWordsSource::custom
  bool elision = true;
  bool stem = true;
  // Drop the accents of each term after stemming (NFKD, combining marks removed):
  // "Etats" and "États" are one term; display forms keep the surface seen most.
  bool fold_accents = false;
  NumberPolicy numbers = NumberPolicy::keep;
  std::size_t min_token_length = 2;  // code points, after elision
  std::size_t ngram_min = 1;
  std::size_t ngram_max = 1;
  // Internal: false sends every document through the ICU reference chain instead
  // of the fast path of word_scanner.hpp (the tests compare the two).
  bool fast_path = true;

  // Throws std::invalid_argument naming the bad value (and, for a language, the
  // supported ones).
  void validate() const;
};

// What happened to one word segment: the rows of Analyzer.explain().
struct TokenTrace {
  std::string language;    // the document's
  std::string segment;     // after normalization, as segmented (UTF-8)
  std::string kind;        // "letter", "number", "kana", "ideographic"
  std::string unelided;    // after elision
  std::string term;        // after stemming; empty when dropped
  std::string dropped_by;  // "", "numbers", "length" or "stop_words"
};

class MultilingualAnalyzer final : public DocumentAnalyzer {
 public:
  explicit MultilingualAnalyzer(MultilingualOptions options);
  ~MultilingualAnalyzer() override;

  const MultilingualOptions& options() const noexcept { return options_; }

  std::unique_ptr<AnalyzerState> new_state() const override;
  // Terms are stems (or normalized tokens with stem=false); each comes with its
  // surface form, the normalized token it was made from, for display.
  void analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const override;
  // With language="auto", `language` (when not empty) is the document's: no
  // detection, so that callers that identified it once (Explorer) get the same
  // answer everywhere. A fixed language option wins over it.
  void analyze_document_in(TextRef text, std::string_view language, AnalyzerState& state,
                           TermSurfaceSink sink) const override;
  bool has_display_forms() const noexcept override { return options_.stem; }

  // The language the analyzer uses for `text` (given `known`, see analyze_document_in).
  std::string language_of(TextRef text, std::string_view known = "") const;
  std::vector<TokenTrace> explain(TextRef text) const;

  struct State;

 private:
  MultilingualOptions options_;
  struct CustomStopWords;
  std::shared_ptr<const CustomStopWords> custom_stop_words_;
};

}  // namespace themescope
