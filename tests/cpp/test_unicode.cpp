// Character properties (Python's rules) and the UTF-8 / fixed-width text layer.
// Expected values were taken from Python 3.11 (re `\w`, str.isspace, str.lower,
// unicodedata) and only use characters assigned in both Unicode 14 and 15.
#include <cstdint>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/text.hpp"
#include "themescope/unicode.hpp"

namespace themescope {
namespace {

using testing::cp_name;
using testing::cp_names;
using testing::to_u8;
namespace uc = themescope::unicode;

// ---- is_word_char: Python re `\w` = str.isalnum() or '_' ----

TEST(UnicodeWordChar, LettersDigitsNumericCharactersAndUnderscore) {
  const std::u32string word = {
      U'a',      U'Z',      U'_',      U'0',      U'9',
      U'\u00E9',  // é
      U'\u00DF',  // ß
      U'\u00AA',  // ª (Lo)
      U'\u01C5',  // ǅ (Lt)
      U'\u00B2',  // ² (No: superscript two)
      U'\u00BD',  // ½ (No)
      U'\u2163',  // Ⅳ (Nl)
      U'\u3007',  // 〇 (Nl)
      U'\u0663',  // ٣ (Nd, Arabic-Indic three)
      U'\u2082',  // ₂ (No)
      U'\u4E2D',  // 中
      U'\u3042',  // あ
      U'\u0E33',  // Thai sara am (Lo)
      U'\u0928',  // न (Lo)
      U'\U00020000',  // CJK extension B (astral)
      U'\U00010400',  // Deseret capital long i (astral, Lu)
  };
  for (char32_t c : word) EXPECT_TRUE(uc::is_word_char(c)) << cp_name(c);
}

TEST(UnicodeWordChar, MarksPunctuationSpacesSymbolsAreNotWordCharacters) {
  const std::u32string not_word = {
      U'\u0301',  // combining acute (Mn)
      U'\u0307',  // combining dot above (Mn)
      U'\u093F',  // Devanagari vowel sign i (Mc): not alnum
      U'\u094D',  // virama (Mn)
      U'-',      U'\'',     U'.',      U',',      U' ',      U'\t',
      U'\u2019',  // ’
      U'\u00A0',  // no-break space
      U'\u00B7',  // middle dot
      U'\u203F',  // ‿ undertie: Pc, but only '_' counts
      U'\u2044',  // fraction slash
      U'\u200C',  // ZWNJ (Cf)
      U'\u200B',  // zero width space
      U'\u2764',  // ❤
      U'\uFE0F',  // variation selector 16
      U'\U0001F600',  // 😀
      U'\0',
  };
  for (char32_t c : not_word) EXPECT_FALSE(uc::is_word_char(c)) << cp_name(c);
  EXPECT_FALSE(uc::is_word_char(static_cast<char32_t>(0xD800))) << "lone surrogate";
}

// ---- is_space_char: Python str.isspace() ----

TEST(UnicodeSpaceChar, MatchesPythonIsspace) {
  const std::u32string space = {U' ',      U'\t',     U'\n',     U'\v',     U'\f',     U'\r',
                                U'\x1C',   U'\x1D',   U'\x1E',   U'\x1F',   U'\u0085', U'\u00A0',
                                U'\u1680', U'\u2000', U'\u2003', U'\u200A', U'\u2028', U'\u2029',
                                U'\u202F', U'\u205F', U'\u3000'};
  for (char32_t c : space) EXPECT_TRUE(uc::is_space_char(c)) << cp_name(c);
  const std::u32string not_space = {U'a',      U'_',      U'\0',     U'\x1B',   U'\u200B',
                                    U'\u2060', U'\uFEFF', U'\u180E', U'\u00AD'};
  for (char32_t c : not_space) EXPECT_FALSE(uc::is_space_char(c)) << cp_name(c);
}

// ---- append_lower: Python str.lower() of one character, out of context ----

std::u32string lower(char32_t c) {
  std::u32string out;
  uc::append_lower(c, out);
  return out;
}

TEST(UnicodeLower, FullLowercaseMappingOutOfContext) {
  const std::vector<std::pair<char32_t, std::u32string>> cases = {
      {U'A', U"a"},
      {U'a', U"a"},
      {U'1', U"1"},
      {U'\u00C0', U"\u00E0"},             // À -> à
      {U'\u0130', U"i\u0307"},            // İ -> i + combining dot above
      {U'\u03A3', U"\u03C3"},             // Σ -> σ (final sigma is the caller's job)
      {U'\u0391', U"\u03B1"},             // Α -> α
      {U'\u1E9E', U"\u00DF"},             // ẞ -> ß
      {U'\u00DF', U"\u00DF"},             // ß unchanged
      {U'\u01C4', U"\u01C6"},             // Ǆ -> ǆ
      {U'\u01C5', U"\u01C6"},             // ǅ (titlecase) -> ǆ
      {U'\u2126', U"\u03C9"},             // Ohm sign -> ω
      {U'\u212A', U"k"},                  // Kelvin sign -> k
      {U'\u2163', U"\u2173"},             // Ⅳ -> ⅳ
      {U'\uFF21', U"\uFF41"},             // fullwidth A
      {U'\U00010400', U"\U00010428"},     // Deseret
      {U'\u4E2D', U"\u4E2D"},             // 中
      {U'\u0301', U"\u0301"},             // combining mark unchanged
  };
  for (const auto& [c, expected] : cases) {
    EXPECT_EQ(lower(c), expected) << cp_name(c) << " -> " << cp_names(lower(c));
  }
}

TEST(UnicodeLower, AppendsWithoutClearing) {
  std::u32string out = U"x";
  uc::append_lower(U'\u0130', out);
  uc::append_lower(U'B', out);
  EXPECT_EQ(out, U"xi\u0307b");
}

// ---- is_cased / is_case_ignorable (the Final_Sigma context rules) ----

TEST(UnicodeCaseProperties, Cased) {
  for (char32_t c : std::u32string{U'A', U'a', U'\u01C5', U'\u00AA', U'\u2163', U'\u03A3', U'\u02B0',
                                   U'\U00010400'}) {
    EXPECT_TRUE(uc::is_cased(c)) << cp_name(c);
  }
  for (char32_t c : std::u32string{U'1', U'\u4E2D', U'_', U' ', U'\'', U'\u0301', U'-'}) {
    EXPECT_FALSE(uc::is_cased(c)) << cp_name(c);
  }
}

TEST(UnicodeCaseProperties, CaseIgnorable) {
  // Mn, Me, Cf, Lm, Sk and Word_Break MidLetter / MidNumLet / Single_Quote.
  for (char32_t c : std::u32string{U'\'', U'.', U':', U'^', U'\u00B7', U'\u2019', U'\u0301', U'\u00AD',
                                   U'\u02B0', U'\u20DD'}) {
    EXPECT_TRUE(uc::is_case_ignorable(c)) << cp_name(c);
  }
  for (char32_t c : std::u32string{U'a', U'A', U'-', U' ', U',', U'1', U'\u4E2D'}) {
    EXPECT_FALSE(uc::is_case_ignorable(c)) << cp_name(c);
  }
}

TEST(UnicodeCombiningClass, MatchesUnicodedataCombining) {
  EXPECT_EQ(uc::combining_class(U'a'), 0);
  EXPECT_EQ(uc::combining_class(U'\u0301'), 230);
  EXPECT_EQ(uc::combining_class(U'\u0327'), 202);
  EXPECT_EQ(uc::combining_class(U'\u0345'), 240);
  EXPECT_EQ(uc::combining_class(U'\u05B0'), 10);
  EXPECT_EQ(uc::combining_class(U'\u3099'), 8);
  EXPECT_EQ(uc::combining_class(U'\u20DD'), 0);  // an enclosing mark (Me) with class 0
  EXPECT_EQ(uc::combining_class(U'\u4E2D'), 0);
}

// ---- append_nfkd ----

std::u32string nfkd(char32_t c) {
  std::u32string out;
  uc::append_nfkd(c, out);
  return out;
}

TEST(UnicodeNfkd, CompatibilityDecomposition) {
  const std::vector<std::pair<char32_t, std::u32string>> cases = {
      {U'a', U"a"},
      {U'\uFB01', U"fi"},                     // ﬁ
      {U'\u00E9', U"e\u0301"},                // é
      {U'\u2460', U"1"},                      // ①
      {U'\u00BD', U"1\u20442"},               // ½ -> 1 ⁄ 2
      {U'\u00B2', U"2"},                      // ²
      {U'\u01C4', U"DZ\u030C"},               // Ǆ
      {U'\u0130', U"I\u0307"},                // İ
      {U'\u00A0', U" "},                      // no-break space
      {U'\u338F', U"kg"},                     // ㎏
      {U'\u2126', U"\u03A9"},                 // Ohm sign -> Ω
      {U'\uD55C', U"\u1112\u1161\u11AB"},     // 한: algorithmic Hangul decomposition
      {U'\u1E9E', U"\u1E9E"},                 // ẞ has none
      {U'\u4E2D', U"\u4E2D"},
      {U'\U0001F600', U"\U0001F600"},
  };
  for (const auto& [c, expected] : cases) {
    EXPECT_EQ(nfkd(c), expected) << cp_name(c) << " -> " << cp_names(nfkd(c));
  }
  std::u32string out = U"x";
  uc::append_nfkd(U'\uFB01', out);
  EXPECT_EQ(out, U"xfi");
}

TEST(UnicodeVersion, LooksLikeMajorDotMinor) {
  const std::string v = uc::unicode_version();
  EXPECT_TRUE(std::regex_match(v, std::regex(R"(\d+\.\d+)"))) << v;
  EXPECT_GE(std::stoi(v), 14) << v;
}

// ---- UTF-8 encoding helpers ----

TEST(Utf8Encode, BoundariesAndSurrogates) {
  const std::vector<std::pair<char32_t, std::string>> cases = {
      {U'\0', std::string(1, '\0')},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0xD800, "\xED\xA0\x80"},
      {0xDFFF, "\xED\xBF\xBF"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
  };
  for (const auto& [c, expected] : cases) {
    char buf[4] = {};
    const std::size_t n = encode_utf8(c, buf);
    EXPECT_EQ(std::string(buf, n), expected) << cp_name(c);
    std::string appended = "x";
    append_utf8(c, appended);
    EXPECT_EQ(appended, "x" + expected) << cp_name(c);
  }
}

// ---- find_invalid_utf8 / check_utf8 ----

TEST(Utf8Validation, ValidTextHasNoOffset) {
  EXPECT_EQ(find_invalid_utf8(""), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("plain ascii"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("caf\u00E9 \u4E2D\u6587 \U0001F600"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8(std::string_view("a\0b", 3)), std::nullopt);  // NUL is valid
  EXPECT_EQ(find_invalid_utf8("\xF4\x8F\xBF\xBF"), std::nullopt);            // U+10FFFF
  // Lone surrogates as three bytes (Python's "surrogatepass") are accepted.
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("ab\xED\xBF\xBF" "cd"), std::nullopt);
}

TEST(Utf8Validation, OffsetOfTheFirstBadSequence) {
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"ok \xFF", 3},                        // bad start byte
      {"\x80", 0},                           // lone continuation byte
      {"ab\xBF" "cd", 2},                    // lone continuation byte inside
      {"ab\xC3", 2},                         // truncated at the end
      {"ab\xC3(", 2},                        // truncated: next byte is not a continuation
      {"\xE2\x82", 0},                       // truncated 3-byte sequence
      {"\xE2\x28\xA1", 0},                   // bad second byte
      {"\xF0\x9F\x98", 0},                   // truncated 4-byte sequence
      {"\xC0\xAF", 0},                       // overlong '/'
      {"\xC1\xBF", 0},                       // overlong
      {"\xE0\x80\xAF", 0},                   // overlong 3-byte
      {"\xF0\x80\x80\xAF", 0},               // overlong 4-byte
      {"\xF4\x90\x80\x80", 0},               // above U+10FFFF
      {"\xF5\x80\x80\x80", 0},               // invalid start byte
      {"\xFE", 0},
      {"a\xF0\x9F\x98\x80" "b\xFE", 6},      // after a valid 4-byte sequence
      {"\xC3\xA9\xC3\xA9\xE4\xB8", 4},       // valid é é then a truncated 中
  };
  for (const auto& [bytes, offset] : cases) {
    EXPECT_EQ(find_invalid_utf8(bytes), std::optional<std::size_t>(offset))
        << "input of " << bytes.size() << " bytes, expected offset " << offset;
  }
}

TEST(Utf8Validation, EveryCodePointEncodedIsValidAndDecodesBack) {
  std::string all;
  std::u32string expected;
  all.reserve(4u * 0x110000u);
  expected.reserve(0x110000u);
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    char buf[4];
    all.append(buf, encode_utf8(c, buf));
    expected.push_back(c);
  }
  EXPECT_EQ(find_invalid_utf8(all), std::nullopt);
  EXPECT_NO_THROW(check_utf8(all));
  EXPECT_TRUE(to_utf32(TextRef::utf8(all)) == expected);
}

TEST(Utf8Validation, CheckThrowsInvalidUtf8ErrorWithOffset) {
  EXPECT_NO_THROW(check_utf8("fine \u00E9"));
  try {
    check_utf8("abc \xE2\x82");
    FAIL() << "no exception";
  } catch (const InvalidUtf8Error& e) {
    EXPECT_EQ(e.byte_offset(), 4u);
    EXPECT_STRNE(e.what(), "");
  }
  // It is an std::invalid_argument.
  EXPECT_THROW(check_utf8("\xC0\xAF"), std::invalid_argument);
}

// ---- to_utf32 in every layout ----

TEST(TextRefDecode, EveryEncoding) {
  EXPECT_EQ(to_utf32(TextRef::utf8("A\u00E9\u4E2D\U0001F600")), U"A\u00E9\u4E2D\U0001F600");
  EXPECT_EQ(to_utf32(TextRef::utf8("")), U"");

  const std::vector<std::uint8_t> latin1 = {'A', 0xE9, 0xFF, 0xA0, 0x80};
  EXPECT_EQ(to_utf32(TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}),
            (std::u32string{U'A', U'\u00E9', U'\u00FF', U'\u00A0', U'\u0080'}));

  // UCS-2 is fixed width (CPython's layout): a surrogate unit is one code point,
  // never combined with its neighbour.
  const std::vector<char16_t> ucs2 = {u'A', u'\u4E2D', 0xD83D, 0xDE00, u'\uFFFF'};
  EXPECT_EQ(to_utf32(TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}),
            (std::u32string{U'A', U'\u4E2D', static_cast<char32_t>(0xD83D), static_cast<char32_t>(0xDE00),
                            U'\uFFFF'}));

  const std::u32string ucs4 = U"A\u00E9\U00020000\U0010FFFF";
  EXPECT_EQ(to_utf32(TextRef::utf32(ucs4)), ucs4);
  EXPECT_EQ(to_utf32(TextRef{ucs4.data(), ucs4.size(), TextEncoding::ucs4}), ucs4);

  // A surrogate written as three UTF-8 bytes decodes to the surrogate.
  EXPECT_EQ(to_utf32(TextRef::utf8("a\xED\xA0\x80")), (std::u32string{U'a', static_cast<char32_t>(0xD800)}));
}

TEST(TextRefDecode, LengthCountsCodeUnits) {
  const std::string s = "\u00E9\u00E9xyz";
  EXPECT_EQ(to_utf32(TextRef{s.data(), 4, TextEncoding::utf8}), U"\u00E9\u00E9");
  const std::u32string w = U"abcdef";
  EXPECT_EQ(to_utf32(TextRef{w.data(), 3, TextEncoding::ucs4}), U"abc");
  EXPECT_EQ(to_u8(U"\u00E9"), "\xC3\xA9");  // the test helper itself
}

}  // namespace
}  // namespace themescope

namespace themescope {
namespace {

TEST(UnicodeCasefold, WholeUtf8StringsFoldAsPythonCasefold) {
  // Python: "ÉTATS-Unis ẞ İ".casefold() == "états-unis ss i̇"
  EXPECT_EQ(unicode::casefold_utf8("\u00C9TATS-Unis \u1E9E \u0130"), "\u00E9tats-unis ss i\u0307");
  EXPECT_EQ(unicode::casefold_utf8(""), "");
}

}  // namespace
}  // namespace themescope
