#include "themescope/stemmer.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <new>
#include <stdexcept>

#include <libstemmer.h>
#include <unicode/utf8.h>

namespace themescope {

namespace {

// ISO 639-1 code -> Snowball algorithm name. Only names that the linked libstemmer
// lists are offered, so a libstemmer without (or with more of) these still works.
struct Algorithm {
  std::string_view code;
  std::string_view name;
};
constexpr Algorithm algorithms[] = {
    {"ar", "arabic"},     {"ca", "catalan"},    {"da", "danish"},     {"de", "german"},
    {"el", "greek"},      {"en", "english"},    {"eo", "esperanto"},  {"es", "spanish"},
    {"et", "estonian"},   {"eu", "basque"},     {"fi", "finnish"},    {"fr", "french"},
    {"ga", "irish"},      {"hi", "hindi"},      {"hu", "hungarian"},  {"hy", "armenian"},
    {"id", "indonesian"}, {"it", "italian"},    {"lt", "lithuanian"}, {"ne", "nepali"},
    {"nl", "dutch"},      {"no", "norwegian"},  {"pt", "portuguese"}, {"ro", "romanian"},
    {"ru", "russian"},    {"sr", "serbian"},    {"sv", "swedish"},    {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
};
static_assert(std::is_sorted(std::begin(algorithms), std::end(algorithms),
                             [](const Algorithm& a, const Algorithm& b) { return a.code < b.code; }),
              "stemmer_languages() returns the codes in table order");

bool linked_library_has(std::string_view name) {
  for (const char** list = sb_stemmer_list(); *list != nullptr; ++list) {
    if (name == *list) return true;
  }
  return false;
}

std::string joined_languages() {
  std::string out;
  for (const std::string& code : stemmer_languages()) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

// Well-formed UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());  // callers checked the size
  int32_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// The word in ISO-8859-1 when it is valid UTF-8 made of U+0000..U+00FF only.
bool to_latin1(std::string_view utf8, std::string& out) {
  out.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      out.push_back(static_cast<char>(((c & 0x03) << 6) | (p[i + 1] & 0x3F)));
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void Stemmer::Deleter::operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }

Stemmer::Stemmer(std::string_view language) {
  const auto* found = std::find_if(std::begin(algorithms), std::end(algorithms),
                                   [&](const Algorithm& a) { return a.code == language; });
  if (found == std::end(algorithms) || !linked_library_has(found->name)) {
    throw std::invalid_argument("no Snowball stemmer for language '" + std::string(language) +
                                "'; supported ISO 639-1 codes: " + joined_languages());
  }
  const std::string name(found->name);
  stemmer_.reset(sb_stemmer_new(name.c_str(), "UTF_8"));
  if (!stemmer_) throw std::bad_alloc();  // the name is listed, so only memory can fail
  // nullptr when libstemmer has no ISO-8859-1 version of this algorithm.
  latin1_stemmer_.reset(sb_stemmer_new(name.c_str(), "ISO_8859_1"));
  language_ = std::string(language);
}

std::string_view Stemmer::stem(std::string_view utf8_word) {
  if (!stemmer_) throw std::logic_error("stem() called on a moved-from Stemmer");
  if (utf8_word.empty()) return {};
  if (utf8_word.size() > static_cast<std::size_t>(INT_MAX)) {
    throw std::length_error("Stemmer::stem: word longer than 2^31 - 1 bytes");
  }
  if (latin1_stemmer_ && to_latin1(utf8_word, latin1_word_)) {
    const sb_symbol* out = sb_stemmer_stem(latin1_stemmer_.get(), reinterpret_cast<const sb_symbol*>(latin1_word_.data()),
                                           static_cast<int>(latin1_word_.size()));
    if (out == nullptr) throw std::bad_alloc();
    latin1_stem_as_utf8_.clear();
    const int length = sb_stemmer_length(latin1_stemmer_.get());
    for (int i = 0; i < length; ++i) {
      const unsigned char c = out[i];
      if (c < 0x80) {
        latin1_stem_as_utf8_.push_back(static_cast<char>(c));
      } else {
        latin1_stem_as_utf8_.push_back(static_cast<char>(0xC0 | (c >> 6)));
        latin1_stem_as_utf8_.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    return latin1_stem_as_utf8_;
  }
  if (!is_valid_utf8(utf8_word)) return utf8_word;
  const sb_symbol* out = sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(utf8_word.data()),
                                         static_cast<int>(utf8_word.size()));
  if (out == nullptr) throw std::bad_alloc();
  return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_.get()))};
}

std::vector<std::string> stemmer_languages() {
  std::vector<std::string> codes;
  for (const Algorithm& a : algorithms) {
    if (linked_library_has(a.name)) codes.emplace_back(a.code);
  }
  return codes;  // `algorithms` is sorted by code
}

}  // namespace themescope
