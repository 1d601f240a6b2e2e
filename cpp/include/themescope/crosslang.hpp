// Language-independent features of a document, for matching stories across
// languages without embeddings or translation (ts.CrossLanguageFeatures).
//
// Each feature is the channel's prefix and a key that survives translation:
//   name:   capitalized words not at a sentence start (people, places, bodies),
//           elision removed ("L’OTAN" -> "otan"), capitalized stop words dropped
//   num:    numbers read the same whatever the locale ("30.000", "30 000",
//           "30,000" -> "30000"; "3,5" -> "3.5"); single digits are dropped
//   acro:   all-capital words of 2 to 5 letters, digits allowed ("EU", "G7")
//   cog:    cognate stems: the Snowball stem of a content word in its own
//           language, folded, cut to a prefix ("cybersécurité" (fr) and
//           "cybersecurity" (en) both give "cog:cybersecur")
//   ng:     character n-grams of folded content words ("<cyb", "cybe", ...)
// Folding is ICU's "Any-Latin; Latin-ASCII; Lower" transliteration: accents
// dropped, other scripts romanized ("Zürich" -> "zurich", "Москва" -> "moskva").
// URLs and e-mail addresses give no feature at all.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "themescope/analyzer.hpp"
#include "themescope/text.hpp"

namespace themescope {

struct CrossLanguageOptions {
  // ISO 639-1 code of every document, or "auto" (CLD2, per document). The
  // language picks the stop words, the elision rules and the stemmer.
  std::string language = "auto";
  bool names = true;
  bool numbers = true;
  bool acronyms = true;
  bool cognates = true;
  bool ngrams = false;
  // Cognate keys are cut to this many characters (0: whole folded stems).
  std::size_t cognate_prefix = 7;
  // Shortest word (in characters, after elision) that gives cognates and n-grams.
  std::size_t min_word_length = 4;
  std::size_t ngram_min = 4;
  std::size_t ngram_max = 5;
  // Whether a counter should record each feature's surface forms (has_display_forms):
  // off when only the features are wanted, which saves counting them.
  bool display_forms = true;

  // Throws std::invalid_argument naming the bad value.
  void validate() const;
};

// Folds one word the way every channel does: ICU "Any-Latin; Latin-ASCII;
// Lower" ("Cybersécurité" -> "cybersecurite", "Straße" -> "strasse").
std::string fold_word(std::string_view utf8);

// Reads a number the same way in every locale, from the characters of one
// number (digits and the separators . , ' and spaces): "30.000", "30 000" and
// "30,000" give "30000", "1.234,5" and "1,234.5" give "1234.5", "3,5" gives
// "3.5", "0.001" stays "0.001", "192.168.1.1" keeps its dots. Empty when the
// text holds no digit.
std::string normalize_number(std::u16string_view number);

class CrossLanguageAnalyzer final : public DocumentAnalyzer {
 public:
  explicit CrossLanguageAnalyzer(CrossLanguageOptions options);
  ~CrossLanguageAnalyzer() override;

  const CrossLanguageOptions& options() const noexcept { return options_; }

  std::unique_ptr<AnalyzerState> new_state() const override;
  // Features of a document in the options' language (or the detected one);
  // each comes with the text it was read from, for display.
  void analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const override;
  bool has_display_forms() const noexcept override { return options_.display_forms; }

  // The same, in a language given for this document ("" or "auto": detect it).
  void analyze_document_in(TextRef text, std::string_view language, AnalyzerState& state,
                           TermSurfaceSink sink) const override;

  // (feature, surface) pairs of one document, in order: for tests and small inputs.
  std::vector<std::pair<std::string, std::string>> features(TextRef text, std::string_view language = "") const;

  struct State;

 private:
  CrossLanguageOptions options_;
};

}  // namespace themescope
