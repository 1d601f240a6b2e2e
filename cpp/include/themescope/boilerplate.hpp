// Boilerplate removal: the paragraphs of scraped articles that are not the article.
//
// The native kernel of ts.BoilerplateRemover (python/themescope/boilerplate.py
// documents the rules). Each document is cut into paragraphs, each paragraph is
// judged by its shape (length in words, stop-word density, sentence end, links,
// capitals, "Label: value"), then paragraphs repeated within the document and
// lines recurring across the corpus are removed and the neighbours decide the
// paragraphs shape alone leaves open, in the spirit of jusText.
//
// Every rule is defined by the plain-Python reference
// (python/themescope/_boilerplate_reference.py): its regular expressions and str
// methods, answered here from ICU with Python's exact rules (unicode.hpp). The
// Python tests check that both make the same decision for every line of the
// bundled and shared corpora and of random text. Positions and lengths are in
// code points, as Python counts them.
//
// Thread safety: every function may run on several threads at once; the corpus
// functions use get_num_threads() threads and their results do not depend on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <absl/strings/string_view.h>

#include "themescope/stop_words.hpp"
#include "themescope/text.hpp"

namespace themescope::boilerplate {

// Why a line was removed (the `reason` column of BoilerplateRemover.report_).
enum class Reason : std::uint8_t {
  repeated_in_document,
  repeated_across_corpus,
  short_run,
  isolated,
  few_stop_words,
  links,
  capitals,
  label,
};
inline constexpr std::size_t kReasonCount = 8;
// "repeated_in_document", "short_run", ...
std::string_view reason_name(Reason reason) noexcept;

// The thresholds a document is judged with (BoilerplateRemover's parameters).
struct Params {
  double length_low = 10;    // words: shorter paragraphs are short
  double length_high = 35;   // words: from here, dense prose is good
  double stopwords_low = 0.2;
  double stopwords_high = 0.3;
  double max_link_density = 0.2;
  std::size_t max_short_run = 3;
  std::size_t max_heading_distance = 200;  // code points
  // A document not laid out like a scraped page (see kLongLine) is kept whole when
  // removal would take more than this share of its words.
  double max_removed_share = 0.1;
  // Throws std::invalid_argument naming the bad value.
  void validate() const;
};

// Hash and equality of code point strings, looked up by view (abseil hashes
// std::u32string but not std::u32string_view: its bytes are hashed instead).
struct U32Hash {
  using is_transparent = void;
  std::size_t operator()(std::u32string_view s) const noexcept {
    return absl::Hash<absl::string_view>{}(
        absl::string_view(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(char32_t)));
  }
};
struct U32Eq {
  using is_transparent = void;
  bool operator()(std::u32string_view a, std::u32string_view b) const noexcept { return a == b; }
};

// Normalized paragraphs: apostrophes unified, case folded, whitespace collapsed.
using LineSet = absl::flat_hash_set<std::u32string, U32Hash, U32Eq>;

// The shape of one paragraph, as the classification reads it.
struct Shape {
  double words = 0;          // tokens; in scripts without spaces, about two characters a word
  double density = 0;        // share of stop words (0 without a stop list)
  bool sentence = false;     // ends like a sentence (an ellipsis counts)
  bool truncated = false;    // ends with an ellipsis (a teaser cut short)
  double links = 0;          // share of whitespace-separated chunks that are links, addresses, handles
};
// `paragraph` as given (stripped); `stops` null when the language has no stop list.
Shape paragraph_shape(std::u32string_view paragraph, const StopWordSet* stops);

// The paragraphs of one document: the line numbers (in the text split at '\n')
// of each, and its text (the stripped lines joined by a space).
struct Paragraphs {
  std::vector<std::vector<std::size_t>> lines;
  std::vector<std::u32string> texts;
};
Paragraphs split_paragraphs(std::u32string_view document);

// The form paragraphs are compared in (see LineSet).
std::u32string normalize_paragraph(std::u32string_view paragraph);

// One removed line: its number, where it is in the document (code points,
// without the '\n') and why.
struct RemovedLine {
  std::size_t line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  Reason reason = Reason::short_run;
};

struct CleanedDocument {
  bool changed = false;         // false: nothing removed, `text` is empty (the document stays as given)
  std::u32string text;          // the kept lines, with the blank lines between them
  std::vector<RemovedLine> removed;
  // Words removal would have taken from a document kept whole (Params::max_removed_share), else 0.
  std::size_t spared_words = 0;
};

// Lines longer than this (code points) hold a whole paragraph: a scraped page has most
// of its words on such lines; text wrapped at a fixed width (manual pages, documentation
// sources, e-mail) has almost none.
inline constexpr std::size_t kLongLine = 100;

// Cleans one document. `stops`: the stop words of its language, or null (judged
// by shape alone). `recurring`: the corpus' recurring lines (recurring_lines).
CleanedDocument clean_document(std::u32string_view document, const StopWordSet* stops, const LineSet& recurring,
                               const Params& params);

// The stop list clean_document uses for a language code: null for "und" and any
// language without one.
const StopWordSet* stop_words_for(std::string_view language);

// Cleans every document on get_num_threads() threads; languages[i] is document
// i's language code (any string; see stop_words_for). Throws
// std::invalid_argument when the sizes differ, InvalidUtf8Error naming the
// lowest-numbered document with malformed UTF-8.
std::vector<CleanedDocument> clean_documents(std::span<const TextRef> documents,
                                             std::span<const std::string_view> languages, const LineSet& recurring,
                                             const Params& params);

// The normalized paragraphs found in at least `min_documents` distinct
// documents (a document given twice counts once), sorted. Parallel, as above.
std::vector<std::u32string> recurring_lines(std::span<const TextRef> documents, std::size_t min_documents);

}  // namespace themescope::boilerplate
