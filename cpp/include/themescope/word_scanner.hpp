// A fast path for the analyzer's "normalize, then segment" stages on text made of
// common-script characters, read in place (Latin-1, UCS-2, UCS-4 or UTF-8), with
// no normalization of the whole document and no ICU call per word.
//
// The reference chain (analysis.hpp) normalizes the whole document with ICU's
// NFKC_Casefold (+ apostrophes unified to U+0027), then segments the normalized
// text with ICU's word BreakIterator. This scanner segments the RAW text instead
// and yields the same word segments, under two conditions that its character
// table (built once from ICU's own data, see word_scanner.cpp) guarantees for
// every character it accepts ("supported" characters):
//
// 1. Normalization is local. Every supported character c has
//    Normalizer2::hasBoundaryBefore(c) for NFKC_Casefold: ICU documents that a
//    string can then be normalized in two independent parts split before c. A run
//    of supported characters c1..cn therefore normalizes to N(c1)..N(cn), the
//    concatenation of the characters' own normalized forms, and a segment of raw
//    text normalizes to the matching stretch of the normalized document.
// 2. Each N(c) acts, in ICU's word rules, like one character of a single class:
//    letter (ALetter: "é", "ß" -> "ss", "ﬁ" -> "fi", "İ" -> "i" + U+0307 whose
//    Extend is transparent by WB4), number (Numeric: "7", "²" -> "2"), mid letter,
//    mid number, mid number-or-letter (incl. U+0027 and U+2019 -> U+0027),
//    ExtendNumLet ("_"), a space, or "other" (a character no rule joins to a
//    word; also any expansion made only of such characters and mid characters,
//    like "…" -> "...": two mid characters in a row never join anything, WB6-7,
//    WB11-12). Characters whose WB class has rules of its own (Extend, Format,
//    ZWJ, Katakana, Hebrew, Regional Indicator, emoji, ideographs, kana, Hangul,
//    scripts ICU segments with dictionaries) are not supported, nor the colon,
//    which ICU's root rules take out of MidLetter.
//
// The rules implemented are UAX #29's WB5-WB13b for those classes, and the rule
// status (letter vs number) is ICU's: that of the last character, or for a word
// ending in ExtendNumLet, of the character before it (ICU's chained rules
// "Numeric ExtendNumLet {100}", "ALetter ExtendNumLet {200}", "ExtendNumLet
// ExtendNumLet {200}"). A single ExtendNumLet is not a word.
//
// Anything else falls back to the ICU path for the smallest stretch that is
// provably independent of the rest: from a "split point" (the start of the text,
// or a supported non-space character right after a space character) to the next
// one. At a split point ICU always has a word boundary (WB3d and WB4 join only
// spaces and Extend/Format/ZWJ to a preceding space, and no other rule joins a
// space to anything), its forward iteration depends on nothing before it, and
// normalization can be split there (condition 1).
//
// Tests (tests/cpp/test_word_scanner.cpp and tests/python/test_analyzer_parity.py)
// compare this scanner with ICU on random strings over every supported
// character and on every document of the corpora.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "themescope/analysis.hpp"
#include "themescope/ascii_block.hpp"

#if defined(__GNUC__)
#define THEMESCOPE_ALWAYS_INLINE __attribute__((always_inline))
#define THEMESCOPE_NOINLINE __attribute__((noinline))
#else
#define THEMESCOPE_ALWAYS_INLINE
#define THEMESCOPE_NOINLINE
#endif

namespace themescope::analysis {

// The classes that start a word come last (one comparison tells them apart).
enum class WordClass : std::uint8_t {
  unsupported = 0,
  other,           // never part of a word
  space,           // white space (normalized): split points follow it
  mid_letter,      // MidLetter (WB6/WB7)
  mid_num,         // MidNum (WB11/WB12)
  mid_num_let,     // MidNumLet and Single_Quote (both)
  letter,          // ALetter
  number,          // Numeric
  extend_num_let,  // ExtendNumLet (WB13a/b)
};

// Characters at or above this are unsupported.
inline constexpr char32_t kWordClassLimit = 0x3000;

// What the scanner knows of every code point, from ICU's data (built on first
// use, thread-safe).
struct WordTable {
  // The class of every BMP code point (unsupported from kWordClassLimit on): a
  // UCS-2 or decoded UTF-8 unit indexes it without a range check.
  WordClass classes[0x10000];
  // Of a supported character: its normalized form N(c) as UTF-8, at
  // normalized_offset[c] in `pool`, normalized_length[c] bytes.
  std::uint32_t normalized_offset[kWordClassLimit];
  std::uint8_t normalized_length[kWordClassLimit];
  std::string pool;

  // N(c) of a supported character c: a word of supported characters
  // normalizes to the concatenation of theirs (word_scanner.hpp, condition 1).
  std::string_view normalized(char32_t c) const noexcept {
    return {pool.data() + normalized_offset[c], normalized_length[c]};
  }
};
const WordTable& word_table();

inline const WordClass* word_class_table() { return word_table().classes; }

inline WordClass word_class(char32_t c) {
  return c < kWordClassLimit ? word_table().classes[c] : WordClass::unsupported;
}

// A word segment of raw text, in code units of the text.
struct RawWord {
  std::size_t begin = 0;
  std::size_t end = 0;
  SegmentKind kind = SegmentKind::letter;
};

namespace detail {

inline bool is_ascii_letter_or_digit(std::uint32_t c) noexcept {
  return ((c | 0x20u) - 'a' < 26u) || (c - '0' < 10u);
}

// The first offset from i on (at most n) whose code unit is not an ASCII letter
// or digit: 16 units at a time where SSE2 and the unit size allow it.
template <class Unit>
std::size_t skip_ascii_letters_and_digits(const Unit* units, std::size_t i, std::size_t n) noexcept {
#if defined(__SSE2__)
  if constexpr (sizeof(Unit) <= 2) {
    for (; i + 16 <= n; i += 16) {
      const unsigned other = ~ascii_block::letters_and_digits(ascii_block::load(units + i)) & 0xFFFFu;
      if (other != 0) return i + static_cast<std::size_t>(__builtin_ctz(other));
    }
  }
#endif
  while (i < n && is_ascii_letter_or_digit(static_cast<std::uint32_t>(units[i]))) ++i;
  return i;
}

// Readers give, at a code unit offset, the class of the character starting there
// and the offset of the next one; decode() gives the character itself;
// skip_ascii_letters_and_digits() the end of a run of ASCII letters and digits
// (every one of them a single unit that starts a word, see word_table()).
template <class Unit>
struct FixedWidthReader {
  const Unit* units;
  std::size_t n;
  const WordClass* table;  // WordTable::classes
  std::pair<WordClass, std::size_t> operator()(std::size_t i) const noexcept {
    const auto c = static_cast<std::uint32_t>(units[i]);
    if constexpr (sizeof(Unit) <= 2) {
      return {table[c], i + 1};
    } else {
      return {c < kWordClassLimit ? table[c] : WordClass::unsupported, i + 1};
    }
  }
  std::pair<char32_t, std::size_t> decode(std::size_t i) const noexcept {
    return {static_cast<char32_t>(units[i]), i + 1};
  }
  std::size_t skip_ascii_letters_and_digits(std::size_t i) const noexcept {
    return detail::skip_ascii_letters_and_digits(units, i, n);
  }
};

// Valid UTF-8 (checked beforehand); 4-byte sequences are above the table.
struct Utf8Reader {
  const unsigned char* units;
  std::size_t n;
  const WordClass* table;  // WordTable::classes
  std::pair<WordClass, std::size_t> operator()(std::size_t i) const noexcept {
    const unsigned char b = units[i];
    if (b < 0x80) return {table[b], i + 1};
    if (b >= 0xF0) return {WordClass::unsupported, i + 4};
    const auto [c, next] = decode(i);
    return {table[c], next};
  }
  std::pair<char32_t, std::size_t> decode(std::size_t i) const noexcept {
    const unsigned char b = units[i];
    if (b < 0x80) return {b, i + 1};
    if (b < 0xE0) return {((b & 0x1Fu) << 6) | (units[i + 1] & 0x3Fu), i + 2};
    if (b < 0xF0) return {((b & 0x0Fu) << 12) | ((units[i + 1] & 0x3Fu) << 6) | (units[i + 2] & 0x3Fu), i + 3};
    return {((b & 0x07u) << 18) | ((units[i + 1] & 0x3Fu) << 12) | ((units[i + 2] & 0x3Fu) << 6) |
                (units[i + 3] & 0x3Fu),
            i + 4};
  }
  // Bytes of multi-byte sequences are all >= 0x80: never taken for ASCII.
  std::size_t skip_ascii_letters_and_digits(std::size_t i) const noexcept {
    return detail::skip_ascii_letters_and_digits(units, i, n);
  }
};

inline bool starts_word(WordClass c) noexcept { return c >= WordClass::letter; }

// A word starts at a character of class `first`, read up to `next`: it is extended while a
// rule joins the next character. Its end, the classes of its last two characters, and
// whether it stopped at a character only ICU can judge.
struct WordEnd {
  std::size_t end;
  WordClass last;
  WordClass before_last;
  bool unsupported_inside;
};

template <class Reader>
THEMESCOPE_ALWAYS_INLINE inline WordEnd extend_word(const Reader& read, std::size_t n, std::size_t next,
                                                    WordClass first) {
  WordClass last = first;
  WordClass before_last = WordClass::other;
  std::size_t j = next;
  bool unsupported_inside = false;
  while (j < n) {
    // Most of a Latin-script word is a run of ASCII letters and digits, which
    // all start words: skip it at once; only its last two classes matter.
    if (const std::size_t k = read.skip_ascii_letters_and_digits(j); k != j) {
      before_last = k - j >= 2 ? read(k - 2).first : last;
      last = read(k - 1).first;
      j = k;
      if (j == n) break;
    }
    const auto [d, after_d] = read(j);
    if (starts_word(d)) {  // WB5, WB8-10, WB13a/b
      before_last = last;
      last = d;
      j = after_d;
      continue;
    }
    // WB6/WB7: letter (MidLetter | MidNumLet | Single_Quote) letter;
    // WB11/WB12: number (MidNum | MidNumLet | Single_Quote) number.
    const bool letter_mid = last == WordClass::letter && (d == WordClass::mid_letter || d == WordClass::mid_num_let);
    const bool number_mid = last == WordClass::number && (d == WordClass::mid_num || d == WordClass::mid_num_let);
    if ((letter_mid || number_mid) && after_d < n) {
      const auto [e, after_e] = read(after_d);
      if (e == last) {
        before_last = d;
        j = after_e;
        continue;
      }
      unsupported_inside = e == WordClass::unsupported;
    }
    unsupported_inside = unsupported_inside || d == WordClass::unsupported;
    break;
  }
  return {j, last, before_last, unsupported_inside};
}

}  // namespace detail

// Segments text[0, n) read by `read`. Calls on_word(RawWord) for each word segment
// and on_fallback(begin, end) for each stretch the ICU path must segment, all in
// text order.
template <class Reader, class OnWord, class OnFallback>
void scan_words(const Reader& read, std::size_t n, OnWord&& on_word, OnFallback&& on_fallback) {
  using detail::starts_word;
  // Words since the last split point wait here: an unsupported character before
  // the next split point sends the whole stretch to ICU instead.
  constexpr std::size_t kPending = 32;
  RawWord pending[kPending];
  std::size_t n_pending = 0;
  auto flush = [&]() THEMESCOPE_ALWAYS_INLINE {
    for (std::size_t k = 0; k < n_pending; ++k) on_word(pending[k]);
    n_pending = 0;
  };
  std::size_t split = 0;
  bool after_space = true;  // the next supported character is a split point
  std::size_t i = 0;
  // The first unsupported character from `from` to the next split point, or n.
  auto first_unsupported = [&](std::size_t from) {
    bool space_before = false;
    for (std::size_t k = from; k < n;) {
      const auto [c, next] = read(k);
      if (c == WordClass::unsupported) return k;
      if (space_before) break;
      space_before = c == WordClass::space;
      k = next;
    }
    return n;
  };
  auto fall_back = [&](std::size_t unsupported_at) {
    // The next split point after `unsupported_at`, or the end.
    std::size_t k = unsupported_at;
    bool space_before = false;
    while (k < n) {
      const auto [c, next] = read(k);
      if (space_before && c != WordClass::unsupported) break;
      space_before = c == WordClass::space;
      k = next;
    }
    n_pending = 0;
    on_fallback(split, k);
    i = k;
    after_space = true;
  };
  auto add = [&](const RawWord& w) THEMESCOPE_ALWAYS_INLINE {
    if (n_pending == kPending) [[unlikely]] {
      // A long stretch without a split point: emit what is pending once the
      // rest of the stretch is known to need no fallback.
      const std::size_t bad = first_unsupported(w.end);
      if (bad != n) {
        fall_back(bad);
        return;
      }
      flush();
    }
    pending[n_pending++] = w;
  };
  while (i < n) {
    const auto [c, next] = read(i);
    if (c == WordClass::unsupported) {
      fall_back(i);
      continue;
    }
    if (after_space) {
      flush();
      split = i;
      after_space = false;
    }
    if (!starts_word(c)) {
      after_space = c == WordClass::space;
      i = next;
      continue;
    }
    // A word: extend it while a rule joins the next character.
    const detail::WordEnd word = detail::extend_word(read, n, next, c);
    if (word.unsupported_inside) {
      fall_back(word.end);
      continue;
    }
    const std::size_t begin = i;
    i = word.end;  // before add(), which may fall back and move i
    if (word.last != WordClass::extend_num_let) {
      add({begin, word.end, word.last == WordClass::number ? SegmentKind::number : SegmentKind::letter});
    } else if (word.end != next) {  // a lone ExtendNumLet is not a word
      add({begin, word.end, word.before_last == WordClass::number ? SegmentKind::number : SegmentKind::letter});
    }
  }
  flush();
}

}  // namespace themescope::analysis
