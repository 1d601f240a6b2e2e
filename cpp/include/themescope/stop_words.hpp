// Per-language stop word lists (the Snowball project's lists, cpp/data/stopwords/).
//
// The lists are compiled into the library: nothing is read from disk at run time.
// They are stored the way the multilingual analyzer sees its tokens: ICU
// NFKC_Casefold, then every apostrophe-like character replaced by U+0027 (see
// normalize_stop_word), without repeats. So German "daß" is stored as "dass", and
// `contains` must be given words normalized the same way.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

namespace themescope {

// The stop words of one language. Immutable; safe to share between threads.
class StopWordSet {
 public:
  StopWordSet(std::string language, std::vector<std::string> normalized_words);

  // Whether `utf8_word`, already normalized with normalize_stop_word, is a stop
  // word. A byte comparison: anything else (invalid UTF-8 too) is simply not found.
  bool contains(std::string_view utf8_word) const noexcept {
    // Debian's abseil has its own string_view type (not an alias of std's).
    return index_.contains(absl::string_view(utf8_word.data(), utf8_word.size()));
  }

  // The normalized words, sorted by their UTF-8 bytes.
  const std::vector<std::string>& words() const noexcept { return words_; }
  std::size_t size() const noexcept { return words_.size(); }
  const std::string& language() const noexcept { return language_; }

 private:
  std::string language_;
  std::vector<std::string> words_;
  absl::flat_hash_set<std::string> index_;
};

// The stop words of `language`, an ISO 639-1 code ("en", "fr", ...). The sets are
// built once, on first use, and live until the program ends. Throws
// std::invalid_argument naming the code and the supported ones.
const StopWordSet& stop_words(std::string_view language);

// ISO 639-1 codes of the embedded lists, sorted.
std::vector<std::string> stop_word_languages();

// The form the stop lists are stored in: ICU NFKC_Casefold of `utf8`, then the
// apostrophes U+2018, U+2019, U+201B, U+02BC and U+FF07 replaced by U+0027 (U+FF07
// already becomes U+0027 by NFKC). Ill-formed UTF-8 sequences become U+FFFD.
std::string normalize_stop_word(std::string_view utf8);

}  // namespace themescope
