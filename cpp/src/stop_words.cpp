#include "themescope/stop_words.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include "stop_words_data.hpp"

namespace themescope {

namespace {

bool is_apostrophe(char16_t c) noexcept {
  switch (c) {
    case 0x2018:  // LEFT SINGLE QUOTATION MARK
    case 0x2019:  // RIGHT SINGLE QUOTATION MARK (the typographic apostrophe)
    case 0x201B:  // SINGLE HIGH-REVERSED-9 QUOTATION MARK
    case 0x02BC:  // MODIFIER LETTER APOSTROPHE
    case 0xFF07:  // FULLWIDTH APOSTROPHE
      return true;
    default:
      return false;
  }
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) {
      throw std::runtime_error(std::string("ICU has no NFKC_Casefold normalizer: ") + u_errorName(status));
    }
    return n;
  }();
  return *instance;
}

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// One word per line; blank lines and lines starting with '#' are skipped.
std::vector<std::string> parse_list(std::string_view file) {
  std::vector<std::string> words;
  while (!file.empty()) {
    const std::size_t end = file.find('\n');
    std::string_view line = trim(file.substr(0, end));
    file.remove_prefix(end == std::string_view::npos ? file.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    words.push_back(normalize_stop_word(line));
  }
  return words;  // StopWordSet sorts and drops the repeats normalization made

}

using Registry = std::map<std::string, StopWordSet, std::less<>>;

const Registry& registry() {
  // Built once (thread-safe static initialization): about 2,000 words to normalize.
  static const Registry sets = [] {
    Registry r;
    for (std::size_t i = 0; i < detail::embedded_stop_list_count; ++i) {
      const detail::EmbeddedStopList& list = detail::embedded_stop_lists[i];
      std::string_view file(reinterpret_cast<const char*>(list.bytes), list.size);
      r.emplace(list.language, StopWordSet(list.language, parse_list(file)));
    }
    return r;
  }();
  return sets;
}

std::string joined_languages() {
  std::string out;
  for (const auto& [code, set] : registry()) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

}  // namespace

StopWordSet::StopWordSet(std::string language, std::vector<std::string> normalized_words)
    : language_(std::move(language)), words_(std::move(normalized_words)) {
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  index_.reserve(words_.size());
  index_.insert(words_.begin(), words_.end());
}

const StopWordSet& stop_words(std::string_view language) {
  const Registry& sets = registry();
  if (auto it = sets.find(language); it != sets.end()) return it->second;
  throw std::invalid_argument("no stop words for language '" + std::string(language) +
                              "'; supported ISO 639-1 codes: " + joined_languages());
}

std::vector<std::string> stop_word_languages() {
  std::vector<std::string> codes;
  for (const auto& [code, set] : registry()) codes.push_back(code);
  return codes;
}

std::string normalize_stop_word(std::string_view utf8) {
  if (utf8.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    throw std::length_error("normalize_stop_word: word longer than 2^31 - 1 bytes");
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = nfkc_casefold().normalize(text, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("NFKC_Casefold failed: ") + u_errorName(status));
  for (int32_t i = 0; i < folded.length(); ++i) {
    if (is_apostrophe(folded.charAt(i))) folded.setCharAt(i, u'\'');
  }
  std::string out;
  folded.toUTF8String(out);
  return out;
}

}  // namespace themescope
