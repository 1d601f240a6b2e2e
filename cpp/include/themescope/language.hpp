// Which language a document is written in, with CLD2 (Compact Language Detector 2).
//
// The answer is a language code or "und" (undetermined). Codes are ISO 639-1
// ("fr", "en", "zh", ...). A language that has no ISO 639-1 code keeps its
// three-letter ISO 639-2/3 code ("haw", "ceb", ...), which is what BCP 47 uses
// for it too. CLD2's own codes are normalized:
//
//   CLD2 code          answer   why
//   "iw"               "he"     Hebrew: ISO 639-1 replaced "iw" with "he" in 1989
//   "jw"               "jv"     Javanese: "jw" is not an ISO 639-1 code
//   "zh-Hant"          "zh"     Chinese in Traditional script is Chinese
//   "sr-ME"            "sr"     Montenegrin has no ISO 639-1 code; CLD2 scores it as Serbian
//   "un", "xxx"        "und"    unknown / CLD2's "ignore" pseudo-language
//   "xx-Latn", "tlh",  "und"    CLD2's extended results: script-only guesses and
//   "zzp", ...                  joke languages (Klingon, Pig Latin, ...)
//
// When the answer is "und":
//   * the document has fewer than kMinLetters letters (Unicode category L; a Han,
//     kana or Hangul character counts as three): empty, whitespace, punctuation,
//     digits, or too short to be sure. On news articles in English and French cut
//     to 30 letters, 1.6% of CLD2's "reliable" answers are wrong; at 40 letters
//     0.8%, at 75 letters 0.06%;
//   * CLD2 itself finds no language (UNKNOWN_LANGUAGE), as for gibberish, base64
//     or URLs.
// Otherwise the answer is the language of the largest share of the text. Two of
// CLD2's rules for web pages are deliberately not followed:
//   * its summary treats English (and French, Italian, German, Spanish) as page
//     boilerplate and returns a second language with as little as 17% of the
//     text: an English article quoting a French tweet would be "fr";
//   * its is_reliable flag turns false when more than 20% of the text is not
//     attributed to a language (names, numbers, short foreign quotes), which
//     news text often is: a French article that is 77% French is still French.
//
// Long documents are sampled: up to kMaxSampledCodeUnits code units the whole text
// is read; beyond, kSampleWindows evenly spaced windows of the same total size,
// so that the answer is the language of most of the document, in bounded time.
//
// Text is read as CLD2 plain text (no HTML tag skipping or entity expansion).
// Control characters, surrogates and noncharacters are read as spaces.
//
// Thread safety: CLD2 keeps its state per call; every function here may be called
// from several threads at once.
#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "themescope/text.hpp"

namespace themescope {

// The code returned when no language is determined.
inline constexpr std::string_view kUndeterminedLanguage = "und";

// Fewer letters than this (weighted as above): "und".
inline constexpr std::size_t kMinLetters = 40;

// Longer documents are read in kSampleWindows windows of
// kMaxSampledCodeUnits / kSampleWindows code units each.
inline constexpr std::size_t kMaxSampledCodeUnits = std::size_t{1} << 16;
inline constexpr std::size_t kSampleWindows = 16;

// How much of a document is read: all of it up to `code_units`, beyond that
// `windows` evenly spaced windows of code_units / windows code units each.
struct SampleBudget {
  std::size_t code_units;
  std::size_t windows;
};
inline constexpr SampleBudget kDocumentSample{kMaxSampledCodeUnits, kSampleWindows};

// The language of one document (see above). The view refers to static storage.
// UTF-8 text must be valid: throws InvalidUtf8Error naming the byte offset.
std::string_view detect_language(TextRef text);
std::string_view detect_language(std::string_view utf8);
// The same with another sample size (the analyzer reads less: multilingual.hpp).
std::string_view detect_language(TextRef text, const SampleBudget& budget);

// The language of every document, on get_num_threads() threads. The result does
// not depend on the thread count. Invalid UTF-8 throws InvalidUtf8Error for the
// lowest-numbered bad document, naming it: "document 3: invalid UTF-8 at byte
// offset 17".
std::vector<std::string_view> detect_languages(std::span<const TextRef> texts);
// The same with another sample size (say kAnalyzerLanguageSample, multilingual.hpp).
std::vector<std::string_view> detect_languages(std::span<const TextRef> texts, const SampleBudget& budget);

namespace detail {
// The answer for one of CLD2's Language values (an int, so that this header
// does not need CLD2's): the normalization above. Exposed for the tests.
std::string_view language_code_of_cld2(int cld2_language) noexcept;
}  // namespace detail

}  // namespace themescope
