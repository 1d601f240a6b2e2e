// The fast word scanner (word_scanner.hpp) against ICU: normalizing the whole text
// and segmenting it with ICU's BreakIterator must give exactly the words (and
// kinds) that scanning the raw text gives, each word normalized on its own.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <tuple>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"

#include "themescope/analysis.hpp"
#include "themescope/multilingual.hpp"
#include "themescope/stop_words.hpp"
#include "themescope/word_scanner.hpp"

namespace themescope {
namespace {

using analysis::SegmentKind;
using analysis::WordClass;
using Words = std::vector<std::pair<std::u16string, SegmentKind>>;

using testing::utf16_of;

std::string describe(std::u32string_view text) {
  std::string out;
  char buffer[16];
  for (const char32_t c : text) {
    std::snprintf(buffer, sizeof buffer, "U+%04X ", static_cast<unsigned>(c));
    out += buffer;
  }
  return out;
}

// The reference: normalize everything, then segment with ICU.
void append_icu_words(std::u32string_view text, analysis::WordSegmenter& segmenter, Words& out) {
  std::u16string normalized;
  analysis::normalize(utf16_of(text), normalized);
  std::vector<analysis::Segment> segments;
  segmenter.segment(normalized, segments);
  for (const auto& s : segments) out.emplace_back(normalized.substr(s.begin, s.end - s.begin), s.kind);
}

// One break iterator for the whole test program (creating one costs more than
// segmenting these short strings).
analysis::WordSegmenter& shared_segmenter() {
  static analysis::WordSegmenter segmenter;
  return segmenter;
}

Words icu_words(std::u32string_view text) {
  Words out;
  append_icu_words(text, shared_segmenter(), out);
  return out;
}

struct ScanResult {
  Words words;
  std::size_t fallbacks = 0;
};

// The fast path: scan the raw text, normalize each word; stretches it hands back
// go through the reference.
ScanResult scanned_words(std::u32string_view text) {
  analysis::WordSegmenter& segmenter = shared_segmenter();
  ScanResult result;
  const analysis::detail::FixedWidthReader<char32_t> read{text.data(), text.size(), analysis::word_class_table()};
  analysis::scan_words(
      read, text.size(),
      [&](const analysis::RawWord& w) {
        // The analyzer concatenates the characters' normalized forms from the
        // table: the same as ICU normalizing the word.
        std::string concatenated;
        for (std::size_t i = w.begin; i < w.end; ++i) concatenated += analysis::word_table().normalized(text[i]);
        std::u16string normalized;
        analysis::normalize(utf16_of(text.substr(w.begin, w.end - w.begin)), normalized);
        EXPECT_EQ(utf16_of(to_utf32(TextRef::utf8(concatenated))), normalized) << describe(text);
        result.words.emplace_back(normalized, w.kind);
      },
      [&](std::size_t begin, std::size_t end) {
        ++result.fallbacks;
        append_icu_words(text.substr(begin, end - begin), segmenter, result.words);
      });
  return result;
}


TEST(WordScanner, ClassesOfCommonCharacters) {
  EXPECT_EQ(analysis::word_class(U'a'), WordClass::letter);
  EXPECT_EQ(analysis::word_class(U'\u00C9'), WordClass::letter);  // É
  EXPECT_EQ(analysis::word_class(U'\u00DF'), WordClass::letter);  // ß -> "ss"
  EXPECT_EQ(analysis::word_class(U'\u0130'), WordClass::letter);  // İ -> "i" + U+0307 (Extend)
  EXPECT_EQ(analysis::word_class(U'7'), WordClass::number);
  EXPECT_EQ(analysis::word_class(U'\u00B2'), WordClass::number);      // ² -> "2"
  EXPECT_EQ(analysis::word_class(U'\''), WordClass::mid_num_let);
  EXPECT_EQ(analysis::word_class(U'\u2019'), WordClass::mid_num_let);  // ’ -> '
  EXPECT_EQ(analysis::word_class(U'.'), WordClass::mid_num_let);
  EXPECT_EQ(analysis::word_class(U','), WordClass::mid_num);
  EXPECT_EQ(analysis::word_class(U'\u00B7'), WordClass::mid_letter);  // ·
  EXPECT_EQ(analysis::word_class(U':'), WordClass::other);  // ICU's root rules: not MidLetter
  EXPECT_EQ(analysis::word_class(U'_'), WordClass::extend_num_let);
  EXPECT_EQ(analysis::word_class(U'@'), WordClass::letter);  // ICU's root rules: ALetter
  EXPECT_EQ(analysis::word_class(U' '), WordClass::space);
  EXPECT_EQ(analysis::word_class(U'\u00A0'), WordClass::space);   // no-break space -> ' '
  EXPECT_EQ(analysis::word_class(U'\u202F'), WordClass::space);   // ExtendNumLet raw, a space once normalized
  EXPECT_EQ(analysis::word_class(U'\u2026'), WordClass::other);   // … -> "..."
  EXPECT_EQ(analysis::word_class(U'\u00AB'), WordClass::other);   // «
  EXPECT_EQ(analysis::word_class(U'\u0301'), WordClass::unsupported);  // combining: composes with the letter before
  EXPECT_EQ(analysis::word_class(U'\u00AD'), WordClass::unsupported);  // soft hyphen: removed, no boundary
  EXPECT_EQ(analysis::word_class(U'\u05D0'), WordClass::unsupported);  // Hebrew letter
  EXPECT_EQ(analysis::word_class(U'\u0E01'), WordClass::unsupported);  // Thai: dictionary segmentation
  EXPECT_EQ(analysis::word_class(U'\u00BD'), WordClass::unsupported);  // ½ -> "1⁄2": two numbers
  EXPECT_EQ(analysis::word_class(U'\u3042'), WordClass::unsupported);  // above the table
  EXPECT_EQ(analysis::word_class(U'\U0001F600'), WordClass::unsupported);
}

TEST(WordScanner, HandWorkedSegments) {
  const Words expected = {{u"l'otan", SegmentKind::letter}, {u"a", SegmentKind::letter},
                          {u"30.000", SegmentKind::number}, {u"e", SegmentKind::letter},
                          {u"mail", SegmentKind::letter},   {u"a1", SegmentKind::number},
                          {u"1a", SegmentKind::letter},     {u"x_", SegmentKind::letter},
                          {u"7_", SegmentKind::number},     {u"__", SegmentKind::letter},
                          {u"strasse", SegmentKind::letter}};
  const std::u32string text = U"L\u2019OTAN a 30.000 e-mail a1 1a x_ 7_ _ __ Stra\u00DFe";
  const ScanResult fast = scanned_words(text);
  EXPECT_EQ(fast.fallbacks, 0u);
  EXPECT_EQ(fast.words, expected);
  EXPECT_EQ(icu_words(text), expected);  // the premise: this is what ICU says
}

TEST(WordScanner, UnsupportedCharactersFallBackToIcuForTheirStretchOnly) {
  // "e" + combining acute composes into "é" inside the word, which ICU keeps whole.
  const std::u32string text = U"un caf\u0065\u0301 noir, l\u2019\u00E9t\u00E9";
  const ScanResult fast = scanned_words(text);
  EXPECT_EQ(fast.fallbacks, 1u);
  EXPECT_EQ(fast.words, icu_words(text));
  EXPECT_EQ(fast.words.at(1).first, u"caf\u00E9");
}

// More words between two split points than the scanner holds back: they are
// emitted once the rest of the stretch is known to be supported, or the whole
// stretch goes to ICU.
TEST(WordScanner, LongStretchesWithoutSpaces) {
  std::u32string many = U"start ";
  for (int k = 0; k < 100; ++k) {
    many.push_back(U'w');
    many.push_back(static_cast<char32_t>(U'a' + k % 26));
    many.push_back(U';');
  }
  for (const std::u32string_view ending : {U" end", U"e\u0301 end", U"\u0301", U""}) {
    std::u32string text = many;
    text += ending;
    const ScanResult fast = scanned_words(text);
    EXPECT_EQ(fast.words, icu_words(text)) << describe(ending);
    EXPECT_EQ(fast.fallbacks, ending.find(U'\u0301') == std::u32string::npos ? 0u : 1u);
    EXPECT_GT(fast.words.size(), 100u);
  }
}

// Every supported character between and next to letters, numbers and itself.
TEST(WordScanner, EverySupportedCharacterInContext) {
  const analysis::WordClass* table = analysis::word_class_table();
  std::size_t supported = 0;
  std::size_t compared = 0;
  for (char32_t c = 0; c < analysis::kWordClassLimit; ++c) {
    if (table[c] == WordClass::unsupported) continue;
    ++supported;
    const std::u32string x(1, c);
    for (const std::u32string& text :
         {x, U"a" + x + U"b", U"1" + x + U"2", U"a" + x, x + U"a", U"1" + x, x + U"1", U"a" + x + x + U"b",
          U"1" + x + x + U"2", x + x, U"a" + x + U"1", U"1" + x + U"a", U"_" + x + U"_", U"a." + x, x + U".a",
          U"1," + x, x + U",1", U"a'" + x + U"'b", U"a " + x + U" b", x + U"\u0301"}) {
      const ScanResult fast = scanned_words(text);
      ASSERT_EQ(fast.words, icu_words(text)) << describe(text);
      ++compared;
    }
  }
  EXPECT_GT(supported, 5000u);  // Latin, Greek, Cyrillic, Armenian, Georgian, punctuation...
  EXPECT_EQ(compared, 20 * supported);
}

// Every string of up to 4 characters over the characters the rules are about.
TEST(WordScanner, AllShortStringsOverTheRuleCharacters) {
  const std::u32string alphabet = U"a1_.',;:\u00B7\u2019 \u00E9\u0301";
  std::size_t compared = 0;
  std::u32string text;
  for (std::size_t length = 1; length <= 4; ++length) {
    std::vector<std::size_t> digits(length, 0);
    while (true) {
      text.clear();
      for (const std::size_t d : digits) text.push_back(alphabet[d]);
      ASSERT_EQ(scanned_words(text).words, icu_words(text)) << describe(text);
      ++compared;
      std::size_t k = 0;
      while (k < length && ++digits[k] == alphabet.size()) digits[k++] = 0;
      if (k == length) break;
    }
  }
  EXPECT_EQ(compared, 13u + 169u + 2197u + 28561u);
}

// Random text over every supported character, with the structural ones and some
// unsupported ones (combining marks, Hebrew, kana, emoji, soft hyphen) mixed in.
TEST(WordScanner, RandomTextAgreesWithIcu) {
  const analysis::WordClass* table = analysis::word_class_table();
  std::vector<char32_t> supported;
  for (char32_t c = 0; c < analysis::kWordClassLimit; ++c) {
    if (table[c] != WordClass::unsupported) supported.push_back(c);
  }
  const std::u32string frequent = U"aeiouzA1234567890_.',;:\u00B7\u2019\u2018 \n\t-\u00E9\u00C9\u00DF\u00A0\u2026";
  const std::u32string rare = U"\u0301\u0308\u05D0\u05D1\"\u30A2\u3042\u4E00\U0001F600\u00AD\u200B\u200D\uFB01\u00BD";
  std::mt19937_64 random(20240611);
  std::size_t fallbacks = 0;
  for (int round = 0; round < 20000; ++round) {
    std::u32string text;
    const std::size_t length = 1 + random() % 30;
    for (std::size_t i = 0; i < length; ++i) {
      const auto pick = random() % 100;
      if (pick < 60) {
        text.push_back(frequent[random() % frequent.size()]);
      } else if (pick < 95) {
        text.push_back(supported[random() % supported.size()]);
      } else {
        text.push_back(rare[random() % rare.size()]);
      }
    }
    const ScanResult fast = scanned_words(text);
    ASSERT_EQ(fast.words, icu_words(text)) << describe(text);
    fallbacks += fast.fallbacks;
  }
  EXPECT_GT(fallbacks, 1000u);  // the ICU stretches were exercised too
}

// What scan_words reports, in code points whatever the storage: words (begin,
// end, kind) and fallback stretches (begin, end, kind -1).
using Spans = std::vector<std::tuple<std::size_t, std::size_t, int>>;

template <class Reader>
Spans scanned_spans(const Reader& read, std::size_t n_units, const std::vector<std::size_t>& code_point_at) {
  Spans spans;
  analysis::scan_words(
      read, n_units,
      [&](const analysis::RawWord& w) {
        spans.emplace_back(code_point_at[w.begin], code_point_at[w.end], static_cast<int>(w.kind));
      },
      [&](std::size_t begin, std::size_t end) { spans.emplace_back(code_point_at[begin], code_point_at[end], -1); });
  return spans;
}

// Runs of ASCII letters and digits are skipped 16 units at a time in Latin-1,
// UCS-2 and UTF-8 storage (a run may end anywhere in a block, or cross blocks,
// or reach the end of the text); every storage must scan like UCS-4 (one unit
// at a time), and UCS-4 like ICU.
TEST(WordScanner, AsciiRunsScanAlikeInEveryStorage) {
  const std::u32string separators = U" .',_:\u2019\u00E9\u00C9\u00DF\u00A0-\n";
  const std::u32string rare = U"\u0301\u05D0\U0001F600\u4E00";  // unsupported: ICU stretches
  const std::string ascii = "abcxyzABCXYZ0189";
  std::mt19937_64 random(20261205);
  std::size_t long_runs = 0;
  for (int round = 0; round < 4000; ++round) {
    std::u32string text;
    const std::size_t pieces = 1 + random() % 8;
    for (std::size_t p = 0; p < pieces; ++p) {
      const std::size_t run = random() % 4 == 0 ? random() % 48 : random() % 8;
      long_runs += run >= 16;
      for (std::size_t k = 0; k < run; ++k) text.push_back(static_cast<char32_t>(ascii[random() % ascii.size()]));
      const auto pick = random() % 100;
      if (pick < 90) {
        text.push_back(separators[random() % separators.size()]);
      } else if (pick < 95) {
        text.push_back(rare[random() % rare.size()]);
      }  // else: two runs meet
    }
    const auto* table = analysis::word_class_table();
    std::vector<std::size_t> identity(text.size() + 1);
    for (std::size_t i = 0; i <= text.size(); ++i) identity[i] = i;
    const Spans expected = scanned_spans(
        analysis::detail::FixedWidthReader<char32_t>{text.data(), text.size(), table}, text.size(), identity);

    std::u16string ucs2;  // every character here is in the BMP
    for (const char32_t c : text) ucs2.push_back(static_cast<char16_t>(c));
    ASSERT_EQ(scanned_spans(analysis::detail::FixedWidthReader<char16_t>{ucs2.data(), ucs2.size(), table},
                            ucs2.size(), identity),
              expected)
        << describe(text);

    std::string utf8;
    std::vector<std::size_t> code_point_of_byte;
    for (std::size_t i = 0; i < text.size(); ++i) {
      utf8 += testing::to_u8(std::u32string_view(&text[i], 1));
      code_point_of_byte.resize(utf8.size(), i);  // continuation bytes are never a span's edge
    }
    code_point_of_byte.push_back(text.size());
    ASSERT_EQ(scanned_spans(analysis::detail::Utf8Reader{reinterpret_cast<const unsigned char*>(utf8.data()),
                                                         utf8.size(), table},
                            utf8.size(), code_point_of_byte),
              expected)
        << describe(text);

    if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x100; })) {
      std::vector<std::uint8_t> latin1(text.begin(), text.end());
      ASSERT_EQ(scanned_spans(analysis::detail::FixedWidthReader<std::uint8_t>{latin1.data(), latin1.size(), table},
                              latin1.size(), identity),
                expected)
          << describe(text);
    }
    ASSERT_EQ(scanned_words(text).words, icu_words(text)) << describe(text);
  }
  EXPECT_GT(long_runs, 500u);  // runs across whole blocks were exercised
}

// The whole analyzer, fast path against the ICU path, in every encoding.
TEST(WordScanner, AnalyzerFastPathEqualsIcuPathInEveryEncoding) {
  MultilingualOptions o;
  o.language = "fr";
  MultilingualOptions reference = o;
  reference.fast_path = false;
  const MultilingualAnalyzer fast(o);
  const MultilingualAnalyzer icu(reference);
  auto fast_state = fast.new_state();  // one state: its caches serve every document
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  auto run = [](const MultilingualAnalyzer& a, AnalyzerState& state, TextRef text) {
    Pairs out;
    a.analyze_document(text, state, [&](std::string_view term, std::string_view surface, TermMemo*) {
      out.emplace_back(std::string(term), std::string(surface));
    });
    return out;
  };
  const std::string utf8 =
      "L\u2019OTAN et l'Inde ren\u00ADforcent leurs alliances \u00AB cyber \u00BB : 30.000 soldats, 1,000 troops, "
      "caf\u0065\u0301 \u2026 Stra\u00DFe \u05E9\u05DC\u05D5\u05DD \U0001F600 aujourd\u2019hui qu\u2019il";
  std::u32string utf32;
  for (const char32_t c : to_utf32(TextRef::utf8(utf8))) utf32.push_back(c);
  const std::u16string utf16 = utf16_of(utf32);
  std::string latin1;
  for (const char32_t c : utf32) latin1.push_back(static_cast<char>(c < 0x100 ? c : U'?'));
  // The fast path's surfaces keep the case as written ("OTAN"), the ICU path's are
  // normalized ("otan"): equal once normalized (the terms are equal as they are).
  auto normalized = [](Pairs pairs) {
    for (auto& [term, surface] : pairs) surface = normalize_stop_word(surface);
    return pairs;
  };
  auto icu_state = icu.new_state();
  const Pairs expected = run(icu, *icu_state, TextRef::utf8(utf8));
  EXPECT_GT(expected.size(), 10u);
  EXPECT_EQ(normalized(expected), expected);
  const Pairs cased = run(fast, *fast_state, TextRef::utf8(utf8));
  EXPECT_NE(cased, expected);  // "OTAN", "Inde", "Straße"
  for (int repeat = 0; repeat < 2; ++repeat) {  // the second time from the caches
    EXPECT_EQ(run(fast, *fast_state, TextRef::utf8(utf8)), cased);
    EXPECT_EQ(normalized(run(fast, *fast_state, TextRef::utf8(utf8))), expected);
    EXPECT_EQ(run(fast, *fast_state, TextRef::utf32(utf32)), cased);
    EXPECT_EQ(run(fast, *fast_state, TextRef{utf16.data(), utf16.size(), TextEncoding::ucs2}), cased);
    const TextRef latin1_ref{latin1.data(), latin1.size(), TextEncoding::latin1};
    EXPECT_EQ(normalized(run(fast, *fast_state, latin1_ref)), run(icu, *icu_state, latin1_ref));
  }
}

}  // namespace
}  // namespace themescope
