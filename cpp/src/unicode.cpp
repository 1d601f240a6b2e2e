#include "themescope/unicode.hpp"

#include <array>
#include <bitset>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucpmap.h>
#include <unicode/uset.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

#include "themescope/text.hpp"

namespace themescope {

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // no overlongs; surrogates (ED A0..BF) are accepted
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

void check_utf8(std::string_view bytes) {
  if (auto bad = find_invalid_utf8(bytes)) {
    throw InvalidUtf8Error(*bad, "invalid UTF-8 at byte offset " + std::to_string(*bad));
  }
}

std::u32string to_utf32(TextRef text) {
  std::u32string out;
  switch (text.encoding) {
    case TextEncoding::latin1: {
      const auto* p = static_cast<const std::uint8_t*>(text.data);
      out.assign(p, p + text.length);
      break;
    }
    case TextEncoding::ucs2: {
      const auto* p = static_cast<const char16_t*>(text.data);
      out.assign(p, p + text.length);
      break;
    }
    case TextEncoding::ucs4: {
      const auto* p = static_cast<const char32_t*>(text.data);
      out.assign(p, p + text.length);
      break;
    }
    case TextEncoding::utf8: {
      const std::string_view s(static_cast<const char*>(text.data), text.length);
      check_utf8(s);
      const auto* b = reinterpret_cast<const unsigned char*>(s.data());
      for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = b[i];
        if (c < 0x80) {
          out.push_back(c);
          i += 1;
        } else if (c < 0xE0) {
          out.push_back(static_cast<char32_t>(((c & 0x1F) << 6) | (b[i + 1] & 0x3F)));
          i += 2;
        } else if (c < 0xF0) {
          out.push_back(static_cast<char32_t>(((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)));
          i += 3;
        } else {
          out.push_back(static_cast<char32_t>(((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) |
                                              ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F)));
          i += 4;
        }
      }
      break;
    }
  }
  return out;
}

namespace unicode {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// Calls visit(first, last, value) for the ranges of code points that share a
// value of an enumerated property: a few thousand ranges instead of 1.1 million
// lookups, so building the tables below costs about a millisecond.
template <class Visit>
void for_each_range(UProperty property, Visit&& visit) {
  UErrorCode status = U_ZERO_ERROR;
  const UCPMap* map = u_getIntPropertyMap(property, &status);
  if (U_FAILURE(status) || map == nullptr) throw std::runtime_error("ICU property map unavailable");
  UChar32 start = 0;
  while (start <= static_cast<UChar32>(kMaxCodePoint)) {
    uint32_t value = 0;
    const UChar32 end = ucpmap_getRange(map, start, UCPMAP_RANGE_NORMAL, 0, nullptr, nullptr, &value);
    if (end < start) break;
    visit(static_cast<char32_t>(start), static_cast<char32_t>(end), value);
    start = end + 1;
  }
}

// The ranges of code points that have a binary property.
template <class Visit>
void for_each_binary_range(UProperty property, Visit&& visit) {
  UErrorCode status = U_ZERO_ERROR;
  const USet* set = u_getBinaryPropertySet(property, &status);
  if (U_FAILURE(status) || set == nullptr) throw std::runtime_error("ICU property set unavailable");
  const int32_t n = uset_getItemCount(set);
  for (int32_t i = 0; i < n; ++i) {
    UChar32 first = 0, last = 0;
    status = U_ZERO_ERROR;
    // Items of a binary property set are ranges (no strings).
    if (uset_getItem(set, i, &first, &last, nullptr, 0, &status) != 0 || U_FAILURE(status)) continue;
    visit(static_cast<char32_t>(first), static_cast<char32_t>(last));
  }
}

// Both properties are asked for every character of every document: answer them
// from bitsets filled once from ICU (2 x 139 KB).
struct PropertyTables {
  std::bitset<kMaxCodePoint + 1> word;
  std::bitset<kMaxCodePoint + 1> space;
  // Asked for every character of every paragraph by the boilerplate stage.
  std::bitset<kMaxCodePoint + 1> alpha;
  std::bitset<kMaxCodePoint + 1> decimal;
  std::bitset<kMaxCodePoint + 1> digit;
  std::bitset<kMaxCodePoint + 1> upper;
  std::bitset<kMaxCodePoint + 1> lower;
  // Characters whose full case folding is not themselves, and what they fold to
  // (about 1,500 of them, some to more than one character).
  std::bitset<kMaxCodePoint + 1> folds;
  absl::flat_hash_map<char32_t, std::u32string> folding;
  PropertyTables() {
    auto set = [](std::bitset<kMaxCodePoint + 1>& bits, char32_t first, char32_t last) {
      for (char32_t c = first; c <= last; ++c) bits.set(c);
    };
    // \w is Python's str.isalnum() (isalpha, isdecimal, isdigit, isnumeric) or '_':
    // letters L*, decimal digits Nd, or any Numeric_Type.
    word.set(U'_');
    for_each_range(UCHAR_GENERAL_CATEGORY, [&](char32_t first, char32_t last, uint32_t gc) {
      if (U_MASK(gc) & (U_GC_L_MASK | U_GC_ND_MASK)) set(word, first, last);
      if (gc == U_SPACE_SEPARATOR) set(space, first, last);
      if (U_MASK(gc) & U_GC_L_MASK) set(alpha, first, last);
    });
    for_each_range(UCHAR_NUMERIC_TYPE, [&](char32_t first, char32_t last, uint32_t type) {
      if (type != U_NT_NONE) set(word, first, last);
      if (type == U_NT_DECIMAL) set(decimal, first, last);
      if (type == U_NT_DECIMAL || type == U_NT_DIGIT) set(digit, first, last);
    });
    for_each_binary_range(UCHAR_UPPERCASE, [&](char32_t first, char32_t last) { set(upper, first, last); });
    for_each_binary_range(UCHAR_LOWERCASE, [&](char32_t first, char32_t last) { set(lower, first, last); });
    // Changes_When_Casefolded is defined on the NFD form: U+01F0 (j with caron) folds to
    // "j\u030C" but is not in it. Every character with a folding is cased or changes
    // when case mapped, so those are asked too.
    auto add_folding = [&](char32_t first, char32_t last) {
      for (char32_t c = first; c <= last; ++c) {
        if (folds.test(c)) continue;
        icu::UnicodeString folded(static_cast<UChar32>(c));
        folded.foldCase(U_FOLD_CASE_DEFAULT);
        std::u32string out;
        for (int32_t i = 0; i < folded.length();) {
          const UChar32 f = folded.char32At(i);
          out.push_back(static_cast<char32_t>(f));
          i += U16_LENGTH(f);
        }
        if (out.size() == 1 && out[0] == c) continue;
        folds.set(c);
        folding.emplace(c, std::move(out));
      }
    };
    for_each_binary_range(UCHAR_CHANGES_WHEN_CASEFOLDED, add_folding);
    for_each_binary_range(UCHAR_CHANGES_WHEN_CASEMAPPED, add_folding);
    for_each_binary_range(UCHAR_CASED, add_folding);
    // str.isspace(): bidirectional class WS, B or S, or category Zs (above); in
    // ASCII exactly CPython's _Py_ascii_whitespace: \t \n \v \f \r, \x1c-\x1f, ' '.
    for_each_range(UCHAR_BIDI_CLASS, [&](char32_t first, char32_t last, uint32_t dir) {
      if (dir == U_WHITE_SPACE_NEUTRAL || dir == U_BLOCK_SEPARATOR || dir == U_SEGMENT_SEPARATOR) {
        set(space, first, last);
      }
    });
    for (char32_t c = 0; c < 0x80; ++c) space[c] = (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  }
};

const PropertyTables& tables() {
  static const auto* t = new PropertyTables();  // never destroyed: used until exit
  return *t;
}

const icu::Normalizer2& nfkd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKDInstance(status);
  if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFKD normalizer unavailable");
  return *n;
}

}  // namespace

bool is_word_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().word.test(c); }
bool is_space_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().space.test(c); }

bool is_alpha_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().alpha.test(c); }
bool is_decimal_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().decimal.test(c); }
bool is_digit_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().digit.test(c); }
bool is_upper_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().upper.test(c); }
bool is_lower_char(char32_t c) noexcept { return c <= kMaxCodePoint && tables().lower.test(c); }

void append_casefold(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out.push_back((c >= U'A' && c <= U'Z') ? c + 32 : c);
    return;
  }
  const PropertyTables& t = tables();
  if (c > kMaxCodePoint || !t.folds.test(c)) {
    out.push_back(c);
    return;
  }
  out += t.folding.find(c)->second;
}

bool is_cased(char32_t c) noexcept { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASED); }
bool is_case_ignorable(char32_t c) noexcept {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASE_IGNORABLE);
}

void append_lower(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out.push_back((c >= U'A' && c <= U'Z') ? c + 32 : c);
    return;
  }
  if (c == 0x0130) {  // the one unconditional full mapping of SpecialCasing.txt
    out.push_back(U'i');
    out.push_back(0x0307);
    return;
  }
  out.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
}

int combining_class(char32_t c) noexcept { return u_getCombiningClass(static_cast<UChar32>(c)); }

void append_nfkd(char32_t c, std::u32string& out) {
  static const icu::Normalizer2& normalizer = nfkd();
  if (c < 0xA0) {  // nothing below U+00A0 decomposes
    out.push_back(c);
    return;
  }
  icu::UnicodeString decomposition;
  if (!normalizer.getDecomposition(static_cast<UChar32>(c), decomposition)) {
    out.push_back(c);
    return;
  }
  for (int32_t i = 0; i < decomposition.length();) {
    const UChar32 d = decomposition.char32At(i);
    out.push_back(static_cast<char32_t>(d));
    i += U16_LENGTH(d);
  }
}

std::string casefold_utf8(std::string_view text) {
  std::u32string folded;
  for (const char32_t c : to_utf32(TextRef::utf8(text))) append_casefold(c, folded);
  std::string out;
  for (const char32_t c : folded) append_utf8(c, out);
  return out;
}

std::string unicode_version() {
  UVersionInfo v;
  u_getUnicodeVersion(v);
  return std::to_string(v[0]) + "." + std::to_string(v[1]);
}

}  // namespace unicode
}  // namespace themescope
