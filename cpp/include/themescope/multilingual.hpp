// The multilingual analyzer behind ts.Analyzer: per document, its language
// (given, or detected with CLD2), then normalize -> segment -> filter (numbers,
// elision, length, stop words) -> stem -> phrases -> n-grams, each stage from
// analysis.hpp, stop_words.hpp and stemmer.hpp; the phrase stage and the
// counting that learns its phrases are here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/functional/function_ref.h>

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

// What joins a kept token to the kept token before it in the same document.
// Only `space` (white space, at most one line break) and `hyphen` (one hyphen,
// no space: "Indo-Pacifique") let two tokens form a phrase; punctuation, a
// blank line, a dropped word (stop word, number, too short) or the start of
// the document break the chain.
enum class Link : std::uint8_t { none, space, hyphen };

// The phrase stage's table: pairs of adjacent terms (after stemming and
// accent folding) that become one term, "first second", or the term `terms`
// gives the pair (a name written alike in several languages, whose words each
// language stems its own way, is one term in all of them: "fumio kishida" for
// French "fumio kishid" and English "fumio kishida"). Learned from a corpus
// with count_phrases(); immutable once built, shared by every analyzer copy.
class PhraseTable {
 public:
  PhraseTable() = default;
  // Throws std::invalid_argument for an empty term, or one holding white space
  // or a tab (a term is one word segment).
  // Throws it too for a term given to a pair not in `pairs`, or an empty one.
  explicit PhraseTable(const std::vector<std::pair<std::string, std::string>>& pairs,
                       const std::map<std::pair<std::string, std::string>, std::string>& terms = {});
  bool empty() const noexcept { return pairs_.empty(); }
  std::size_t size() const noexcept { return pairs_.size(); }
  // Whether some phrase starts with `first` (most tokens start none).
  bool starts(std::string_view first) const;
  bool contains(std::string_view first, std::string_view second) const;
  const std::vector<std::pair<std::string, std::string>>& pairs() const noexcept { return list_; }
  // The term a pair of the table was given, or nullptr: "first second".
  const std::string* own_term(std::string_view first, std::string_view second) const;

 private:
  std::vector<std::pair<std::string, std::string>> list_;  // sorted, unique
  absl::flat_hash_set<std::string> pairs_;                 // "first\tsecond"
  absl::flat_hash_set<std::string> firsts_;
  absl::flat_hash_map<std::string, std::string> terms_;  // "first\tsecond" -> its own term
};

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
  // The phrase stage (after stemming, before n-grams): adjacent tokens whose
  // terms are a pair of the table (Link::space or Link::hyphen between them)
  // become one term "first second", greedily from the left as gensim's
  // Phrases does; its surface is the two words as written, case kept
  // ("Fumio Kishida", "Indo-Pacifique"). nullptr or empty: no phrase stage.
  std::shared_ptr<const PhraseTable> phrases;
  // Also emit the two words of each phrase, before it (the phrase is then a
  // feature added to its words, as word n-grams are, rather than replacing them).
  bool phrase_keeps_words = false;
  // How many times the terms of a document's headline count: its first line,
  // when a line break follows it (as search engines weigh a title field).
  // 1: like every other line.
  std::size_t headline_weight = 1;
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
  std::string phrase;      // the phrase term this token is part of, if any
};

// A kept token as the phrase stage and the phrase counting see it.
struct LinkedToken {
  std::string_view term;     // after stemming (and accent folding)
  std::string_view surface;  // normalized token, for display
  Link link;                 // to the previous kept token
  // The word as written, case kept (normalized on the ICU path), made on demand:
  // the phrase stage needs it only for the tokens of a phrase. The view is
  // valid until the next call of either function or the end of the sink's call.
  absl::FunctionRef<std::string_view()> written;
  // The same for the previous kept token (the one `link` links to); meaningful
  // only when link != Link::none.
  absl::FunctionRef<std::string_view()> previous_written;
};
using LinkedTokenSink = absl::FunctionRef<void(const LinkedToken& token, TermMemo* memo)>;

// The statistics of one candidate phrase: a pair of terms seen adjacent
// (Link::space or Link::hyphen) at least PhraseOptions::min_count times.
struct PhraseCandidate {
  std::string first;
  std::string second;
  std::size_t count = 0;        // occurrences as an adjacent pair
  std::size_t documents = 0;    // documents where it occurs
  std::size_t hyphenated = 0;   // of which joined by a hyphen
  std::size_t capitalized = 0;  // of which both words written with a capital first letter
  std::size_t first_count = 0;  // occurrences of each term as a kept token
  std::size_t second_count = 0;
  double npmi = 0;              // normalized PMI of the pair over kept tokens, in [-1, 1]
  bool selected = false;
};

// How phrases are chosen from the counts. A pair is a phrase when it was seen
// adjacent at least min_count times, in at least min_documents documents (a
// phrase is a fact of the corpus, not one article's headline repeated in its
// lead), and either its NPMI (Bouma 2009:
// ln(p(ab) / (p(a) p(b))) / -ln p(ab), probabilities over the kept tokens of
// the corpus) is at least `threshold`, or it is a name or compound (written
// with a hyphen, or with both words capitalized, in at least half of its
// occurrences) with NPMI at least `name_threshold`. A pair with a number in it
// (a term starting with a digit: "26 years", "June 2004") is never a phrase.
struct PhraseOptions {
  std::size_t min_count = 2;
  std::size_t min_documents = 2;
  // Fewest documents of a name or compound (capitalized or hyphenated in at least
  // half of its occurrences): its writing is evidence that one article can give.
  std::size_t name_min_documents = 1;
  double threshold = 0.5;
  double name_threshold = 0.25;
  // Throws std::invalid_argument naming the bad value.
  void validate() const;
};

struct PhraseCounts {
  std::size_t n_tokens = 0;                 // kept tokens counted
  std::vector<PhraseCandidate> candidates;  // count >= min_count, sorted by (first, second)
  // (min_documents is not a filter of candidates: they show what it left out)
};

class MultilingualAnalyzer final : public DocumentAnalyzer {
 public:
  explicit MultilingualAnalyzer(MultilingualOptions options);
  ~MultilingualAnalyzer() override;

  const MultilingualOptions& options() const noexcept { return options_; }

  std::unique_ptr<AnalyzerState> new_state() const override;
  // Terms are stems (or normalized tokens with stem=false); each comes with its
  // surface form for display: the word as written, case kept ("États", with
  // stem=true), or the normalized token when more than its case differs.
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
  // The kept tokens of a document with their links, before the phrase and
  // n-gram stages (what count_phrases counts).
  void linked_tokens(TextRef text, std::string_view language, AnalyzerState& state, LinkedTokenSink sink) const;

  struct State;

 private:
  MultilingualOptions options_;
  struct CustomStopWords;
  std::shared_ptr<const CustomStopWords> custom_stop_words_;
  void tokens(TextRef text, std::string_view language, State& st, LinkedTokenSink sink) const;
  // analyze_document_in without the headline's extra weight.
  void analyze_once(TextRef text, std::string_view language, State& st, TermSurfaceSink sink) const;
};

// Counts the adjacent pairs of kept tokens of `documents` (languages: one code
// per document, or empty for each analyzer's own choice) with the analyzer's
// options (its phrase table is not applied), and chooses phrases by `options`.
// Runs on every thread (parallel.hpp); the result does not depend on the
// thread count.
PhraseCounts count_phrases(const MultilingualAnalyzer& analyzer, const std::vector<TextRef>& documents,
                           const std::vector<std::string_view>& languages, const PhraseOptions& options);

}  // namespace themescope
