// Stages of the multilingual analyzer (ts.Analyzer), each a small piece tested on
// its own: normalize -> segment -> filter (elision, stop words, length, numbers)
// -> stem -> n-grams. This header holds the language-independent text stages;
// stop words and stemmers live in their own headers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace themescope::analysis {

// ---- normalize ----
// ICU's NFKC_Casefold (compatibility composition with full case folding: "ÉTÉ"
// -> "été", "ﬁ" -> "fi", "Straße" -> "strasse"), then every apostrophe variant
// (U+2019 ’, U+02BC ʼ, U+FF07 ＇) becomes U+0027, so that "L’OTAN" and "L'OTAN"
// give the same terms. Input and output are UTF-16; `out` is overwritten.
void normalize(std::u16string_view text, std::u16string& out);

// ---- segment ----
// What a word segment is made of, from ICU's rule status (UAX #29).
enum class SegmentKind : std::uint8_t { number, letter, kana, ideographic };

struct Segment {
  std::size_t begin = 0;  // UTF-16 offsets into the segmented text
  std::size_t end = 0;
  SegmentKind kind = SegmentKind::letter;
};

// Unicode word boundaries (UAX #29) with ICU's root-locale word BreakIterator.
// Only word-like segments are kept (spaces and punctuation are not): "30.000",
// "1,000" and "l'otan" are one segment each, "e-mail" is two. Not thread-safe:
// one per thread (copies are cheap clones).
class WordSegmenter {
 public:
  WordSegmenter();
  WordSegmenter(const WordSegmenter&);
  WordSegmenter& operator=(const WordSegmenter&);
  WordSegmenter(WordSegmenter&&) noexcept;
  WordSegmenter& operator=(WordSegmenter&&) noexcept;
  ~WordSegmenter();

  // Appends the word segments of `text` to `out`; `text` must stay alive and
  // unchanged during the call.
  void segment(std::u16string_view text, std::vector<Segment>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- filter: elision ----
// Removes an elided article, pronoun or conjunction and its apostrophe from the
// front of a normalized UTF-8 token (French "l'otan" -> "otan", "qu'il" -> "il",
// "jusqu'au" -> "au"; Italian "dell'europa" -> "europa"; Catalan "l'estat" ->
// "estat"), and the possessive "'s" from the end of an English one ("nato's" ->
// "nato"). Other tokens ("aujourd'hui", "o'brien") come back unchanged. The
// result is a view into `token`.
std::string_view strip_elision(std::string_view token, std::string_view language);

// Whether `language` (ISO 639-1) has elision rules above.
bool has_elision(std::string_view language);

}  // namespace themescope::analysis
