#include "themescope/word_scanner.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

namespace themescope::analysis {

namespace {

bool unifies_to_apostrophe(UChar32 c) noexcept { return c == 0x2019 || c == 0x02BC || c == 0xFF07; }  // as normalize()

bool is_extend(UChar32 x) noexcept { return u_getIntPropertyValue(x, UCHAR_WORD_BREAK) == U_WB_EXTEND; }

// The class of one character of NORMALIZED text in ICU's root word rules, or
// unsupported when those rules give it (or may give it) a treatment of its own.
WordClass class_of_normalized(UChar32 x) noexcept {
  // ICU's root rules differ from UAX #29 here: the colons are not MidLetter
  // ("a:b" is two words), and "@" is ALetter (for e-mail addresses).
  if (x == 0x003A || x == 0xFE55 || x == 0xFF1A) return WordClass::other;
  if (x == 0x0040) return WordClass::letter;
  if (u_hasBinaryProperty(x, UCHAR_EXTENDED_PICTOGRAPHIC) || (x >= 0x80 && u_hasBinaryProperty(x, UCHAR_EMOJI)) ||
      u_hasBinaryProperty(x, UCHAR_IDEOGRAPHIC) ||
      u_getIntPropertyValue(x, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) {
    return WordClass::unsupported;  // emoji rules, dictionary-based segmentation
  }
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(x, &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
      return WordClass::unsupported;  // kana and ideographic statuses, dictionaries
    default:
      break;
  }
  switch (u_getIntPropertyValue(x, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER:
      return WordClass::letter;
    case U_WB_NUMERIC:
      return WordClass::number;
    case U_WB_MIDLETTER:
      return WordClass::mid_letter;
    case U_WB_MIDNUM:
      return WordClass::mid_num;
    case U_WB_MIDNUMLET:
    case U_WB_SINGLE_QUOTE:
      return WordClass::mid_num_let;
    case U_WB_EXTENDNUMLET:
      return WordClass::extend_num_let;
    case U_WB_CR:
    case U_WB_LF:
    case U_WB_NEWLINE:
    case U_WB_WSEGSPACE:
      return WordClass::space;
    case U_WB_OTHER:
    case U_WB_DOUBLE_QUOTE:  // joins only Hebrew letters (WB7b/c), which are unsupported
      return WordClass::other;
    default:  // Extend, Format, ZWJ, Katakana, Hebrew_Letter, Regional_Indicator, emoji classes
      return WordClass::unsupported;
  }
}

bool is_mid(WordClass c) noexcept {
  return c == WordClass::mid_letter || c == WordClass::mid_num || c == WordClass::mid_num_let;
}

// The class of a raw character: see word_scanner.hpp for the two conditions.
// Also sets `normalized_utf8` to N(c) (after the apostrophes are unified).
WordClass class_of_raw(UChar32 c, const icu::Normalizer2& nfkc_cf, std::string& normalized_utf8) {
  normalized_utf8.clear();
  if (U_IS_SURROGATE(c) || u_charType(c) == U_UNASSIGNED) return WordClass::unsupported;
  // Condition 1: normalization can be split before c.
  if (!nfkc_cf.hasBoundaryBefore(c)) return WordClass::unsupported;
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = nfkc_cf.normalize(icu::UnicodeString(c), status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
  std::vector<UChar32> parts;
  for (int32_t i = 0; i < normalized.length(); i = normalized.moveIndex32(i, 1)) {
    const UChar32 x = normalized.char32At(i);
    parts.push_back(unifies_to_apostrophe(x) ? UChar32{'\''} : x);
  }
  if (parts.empty()) return WordClass::unsupported;  // removed (default ignorable): never has a boundary anyway
  icu::UnicodeString unified;
  for (const UChar32 x : parts) unified.append(x);
  unified.toUTF8String(normalized_utf8);
  const WordClass first = class_of_normalized(parts[0]);
  if (parts.size() == 1) return first;
  // Condition 2 for expansions: they must act as one character of one class.
  bool all_letter_or_extend = first == WordClass::letter;
  bool all_number = first == WordClass::number;
  bool all_space = first == WordClass::space;
  bool all_non_word = first == WordClass::other || first == WordClass::space || is_mid(first);
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const WordClass part = class_of_normalized(parts[k]);
    all_letter_or_extend = all_letter_or_extend && (part == WordClass::letter || is_extend(parts[k]));
    all_number = all_number && part == WordClass::number;
    all_space = all_space && part == WordClass::space;
    all_non_word = all_non_word && (part == WordClass::other || part == WordClass::space || is_mid(part));
  }
  if (all_letter_or_extend) return WordClass::letter;  // WB5, and WB4 for the Extend parts
  if (all_number) return WordClass::number;           // WB8
  if (all_space) return WordClass::space;
  // Several non-word characters: at most one of them touches a letter or a
  // number on each side, and WB6/7/11/12 need a single mid character between two.
  if (all_non_word) return WordClass::other;
  return WordClass::unsupported;
}

}  // namespace

const WordTable& word_table() {
  // Thread-safe initialization; unique_ptr: the table is too large for a stack
  // temporary, and static storage keeps it for the program's life.
  static const std::unique_ptr<const WordTable> table = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || nfkc_cf == nullptr) throw std::runtime_error("ICU NFKC_Casefold normalizer unavailable");
    auto t = std::make_unique<WordTable>();
    std::fill(std::begin(t->classes), std::end(t->classes), WordClass::unsupported);
    std::string form;
    for (char32_t c = 0; c < kWordClassLimit; ++c) {
      t->classes[c] = class_of_raw(static_cast<UChar32>(c), *nfkc_cf, form);
      t->normalized_offset[c] = static_cast<std::uint32_t>(t->pool.size());
      t->normalized_length[c] = 0;
      if (t->classes[c] != WordClass::unsupported) {
        if (form.size() > 255) throw std::logic_error("word_table: a normalized form longer than 255 bytes");
        t->normalized_length[c] = static_cast<std::uint8_t>(form.size());
        t->pool += form;
      }
    }
    // The scanner skips runs of ASCII letters and digits without looking them up.
    for (char32_t c = 0; c < 0x80; ++c) {
      if (detail::is_ascii_letter_or_digit(c) && t->classes[c] != WordClass::letter &&
          t->classes[c] != WordClass::number) {
        throw std::logic_error("word_table: an ASCII letter or digit does not start a word");
      }
    }
    return std::unique_ptr<const WordTable>(std::move(t));
  }();
  return *table;
}

}  // namespace themescope::analysis
