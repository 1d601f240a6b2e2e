// TextAnalyzer against scikit-learn's analyzers. Every expected list below was
// worked out by hand and checked with scikit-learn 1.9:
//   sorted(CountVectorizer(**kw).build_analyzer()(doc))
// analyze() promises the multiset of terms, not their order, so lists are sorted.
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/sklearn_analyzer.hpp"
#include "themescope/text.hpp"

namespace themescope {
namespace {

using testing::analyze_sorted;
using testing::char_options;
using testing::sorted;
using testing::Terms;
using testing::word_options;

// ---- word analyzer: (?u)\b\w\w+\b after str.lower() ----

TEST(WordAnalyzer, FrenchElisionSplitsAtApostrophes) {
  // Both the typographic and the ASCII apostrophe are not \w; "l" and "a" are too short.
  EXPECT_EQ(analyze_sorted({}, "L\u2019OTAN l'a dit"), (Terms{"dit", "otan"}));
}

TEST(WordAnalyzer, NumbersSplitAtPunctuation) {
  EXPECT_EQ(analyze_sorted({}, "30.000 et 1,000"), (Terms{"000", "000", "30", "et"}));
}

TEST(WordAnalyzer, UnderscoreIsAWordCharacter) {
  // A lone "_" is one character, too short.
  EXPECT_EQ(analyze_sorted({}, "snake_case __init__ _ a_b x_"), (Terms{"__init__", "a_b", "snake_case", "x_"}));
}

TEST(WordAnalyzer, CjkRunsAreSingleTokens) {
  // No word segmentation: a run of ideographs/kana is one token; single ideographs are too short.
  EXPECT_EQ(analyze_sorted({}, "中文分词 日本語のテキスト 中 文"), (Terms{"中文分词", "日本語のテキスト"}));
}

TEST(WordAnalyzer, EmojiSeparateTokens) {
  // ❤ + U+FE0F, 😀 and 👍 are not \w; "I" is too short.
  EXPECT_EQ(analyze_sorted({}, "I \u2764\uFE0F NY \U0001F600\U0001F600 ok\U0001F44Dfine"),
            (Terms{"fine", "ny", "ok"}));
}

TEST(WordAnalyzer, CombiningMarksSplitTokens) {
  // Decomposed accents (U+0301, U+0308) are not \w.
  EXPECT_EQ(analyze_sorted({}, "cafe\u0301 nai\u0308ve"), (Terms{"cafe", "nai", "ve"}));
  // Devanagari: vowel signs (Mc) and the virama (Mn) are not \w either, so every
  // consonant stands alone.
  EXPECT_EQ(analyze_sorted({}, "हिन्दी"), Terms{});
  AnalyzerOptions one = word_options();
  one.min_token_length = 1;
  EXPECT_EQ(analyze_sorted(one, "हिन्दी"), (Terms{"द", "न", "ह"}));
}

TEST(WordAnalyzer, DottedCapitalILowersToIAndCombiningDot) {
  // "İstanbul".lower() == "i\u0307stanbul": the combining dot splits off the "i".
  EXPECT_EQ(analyze_sorted({}, "\u0130stanbul"), (Terms{"stanbul"}));
  AnalyzerOptions one = word_options();
  one.min_token_length = 1;  // (?u)\b\w+\b
  EXPECT_EQ(analyze_sorted(one, "\u0130stanbul"), (Terms{"i", "stanbul"}));
}

TEST(WordAnalyzer, SharpS) {
  // ß stays ß (lower, not casefold); capital ẞ lowers to ß.
  EXPECT_EQ(analyze_sorted({}, "STRASSE Stra\u00DFe STRA\u1E9EE"), (Terms{"strasse", "stra\u00DFe", "stra\u00DFe"}));
}

TEST(WordAnalyzer, GreekFinalSigma) {
  // ΟΔΟΣ -> οδος with final ς; in ΣΑΣ only the last sigma is final; a lone Σ is too short.
  EXPECT_EQ(analyze_sorted({}, "\u039F\u0394\u039F\u03A3 \u03A3\u0391\u03A3 \u03A3"),
            (Terms{"\u03BF\u03B4\u03BF\u03C2", "\u03C3\u03B1\u03C2"}));
  // The context skips case-ignorable characters: ' and . are ignorable (so Σ is
  // followed by a cased letter -> σ), '-' is not (-> ς).
  EXPECT_EQ(analyze_sorted({}, "\u0391\u03A3'\u0391 \u0391\u03A3.\u0391 \u0391\u03A3-\u0391 \u0391'\u03A3"),
            (Terms{"\u03B1\u03C2", "\u03B1\u03C3", "\u03B1\u03C3"}));
  // A trailing combining mark is ignorable too: still final.
  EXPECT_EQ(analyze_sorted({}, "\u0391\u03A3\u0301"), (Terms{"\u03B1\u03C2"}));
}

TEST(WordAnalyzer, DigitAndNumericCharacters) {
  // ², ₂, Arabic-Indic digits are \w; ½ and Ⅳ are \w but single characters.
  EXPECT_EQ(analyze_sorted({}, "x\u00B2 \u00BD \u2163 \u0663\u0664 H\u2082O"),
            (Terms{"h\u2082o", "x\u00B2", "\u0663\u0664"}));
  AnalyzerOptions one = word_options();
  one.min_token_length = 1;
  EXPECT_EQ(analyze_sorted(one, "x\u00B2 \u00BD \u2163 \u0663\u0664 H\u2082O"),
            (Terms{"h\u2082o", "x\u00B2", "\u00BD", "\u0663\u0664", "\u2173"}));
  // '‿' (U+203F) is connector punctuation but not \w.
  EXPECT_EQ(analyze_sorted(one, "a\u203Fb"), (Terms{"a", "b"}));
}

TEST(WordAnalyzer, MinTokenLengthCountsCodePointsNotBytes) {
  AnalyzerOptions three = word_options();
  three.min_token_length = 3;  // (?u)\b\w\w\w+\b
  EXPECT_EQ(analyze_sorted(three, "中文 abc de 日本語 \u00E9 ab"), (Terms{"abc", "日本語"}));
  // "é" is 2 bytes but 1 character: too short for the default pattern.
  EXPECT_EQ(analyze_sorted({}, "\u00E9 ab"), (Terms{"ab"}));
}

TEST(WordAnalyzer, LowercaseCanBeDisabled) {
  AnalyzerOptions o = word_options();
  o.lowercase = false;
  EXPECT_EQ(analyze_sorted(o, "Hello WORLD \u0130x"), (Terms{"Hello", "WORLD", "\u0130x"}));
}

TEST(WordAnalyzer, EmptyAndSeparatorOnlyDocuments) {
  EXPECT_EQ(analyze_sorted({}, ""), Terms{});
  EXPECT_EQ(analyze_sorted({}, "  \t\n ... !! a"), Terms{});
}

TEST(WordAnalyzer, AstralCharactersAndSurrogates) {
  // CJK extension B ideographs are \w (4-byte UTF-8); 😀 splits.
  EXPECT_EQ(analyze_sorted({}, "\U00020000\U00020001 ab\U0001F600cd"),
            (Terms{"ab", "cd", "\U00020000\U00020001"}));
  // A lone surrogate (three bytes, surrogatepass) is not \w.
  EXPECT_EQ(analyze_sorted({}, "ab\xED\xA0\x80" "cd"), (Terms{"ab", "cd"}));
}

// ---- accent stripping (after lowercasing, before tokenizing) ----

TEST(WordAnalyzer, StripAccentsAscii) {
  AnalyzerOptions o = word_options();
  o.strip_accents = AccentStripping::ascii;
  // NFKD then drop every non-ASCII character: ﬁ -> fi, ² -> 2, ½ -> 1⁄2 -> 12,
  // ①② -> 12, CJK and ω vanish.
  EXPECT_EQ(analyze_sorted(o, "\u00C7a \u00E9t\u00E9 \uFB01ne 中文 na\u00EFve x\u00B2 \u00BD \u2460\u2461 \u03A9mega"),
            (Terms{"12", "12", "ca", "ete", "fine", "mega", "naive", "x2"}));
}

TEST(WordAnalyzer, StripAccentsUnicode) {
  AnalyzerOptions o = word_options();
  o.strip_accents = AccentStripping::unicode;
  // NFKD then drop combining characters only: CJK and ω stay; the fraction slash
  // of ½ is not \w, so "1" and "2" are single characters.
  EXPECT_EQ(analyze_sorted(o, "\u00C7a \u00E9t\u00E9 \uFB01ne 中文 na\u00EFve x\u00B2 \u00BD \u2460\u2461 \u03A9mega"),
            (Terms{"12", "ca", "ete", "fine", "naive", "x2", "\u03C9mega", "中文"}));
  // İ -> i + U+0307 -> "i"; ǅ -> ǆ -> d z + caron -> "dz".
  EXPECT_EQ(analyze_sorted(o, "\u0130stanbul \u01C5emal"), (Terms{"dzemal", "istanbul"}));
}

// ---- stop words and word n-grams ----

TEST(WordAnalyzer, StopWordsAreRemovedAfterLowercasing) {
  AnalyzerOptions o = word_options();
  o.stop_words = {"the", "a"};
  EXPECT_EQ(analyze_sorted(o, "The cat and the hat a"), (Terms{"and", "cat", "hat"}));
  // Stop words are compared with the processed tokens as given (not lowercased).
  o.stop_words = {"The"};
  EXPECT_EQ(analyze_sorted(o, "The cat"), (Terms{"cat", "the"}));
  // Non-ASCII stop words.
  o.stop_words = {"stra\u00DFe", "中文"};
  EXPECT_EQ(analyze_sorted(o, "STRA\u1E9EE 中文 ok"), (Terms{"ok"}));
}

TEST(WordAnalyzer, StopWordsGoBeforeNgrams) {
  AnalyzerOptions o = word_options(1, 2);
  o.stop_words = {"the"};
  EXPECT_EQ(analyze_sorted(o, "the cyber the alliance"), (Terms{"alliance", "cyber", "cyber alliance"}));
  AnalyzerOptions bi = word_options(2, 2);
  bi.stop_words = {"and"};
  EXPECT_EQ(analyze_sorted(bi, "Rock and roll and rock"), (Terms{"rock roll", "roll rock"}));
}

TEST(WordAnalyzer, WordNgramsJoinedByOneSpace) {
  EXPECT_EQ(analyze_sorted(word_options(2, 3), "one two  three\tfour"),
            (Terms{"one two", "one two three", "three four", "two three", "two three four"}));
  // Fewer tokens than n: no n-grams of that size.
  EXPECT_EQ(analyze_sorted(word_options(2, 3), "alone"), Terms{});
  // Short tokens are dropped before n-grams: "a" never appears.
  EXPECT_EQ(analyze_sorted(word_options(1, 3), "a bb cc a dd"),
            (Terms{"bb", "bb cc", "bb cc dd", "cc", "cc dd", "dd"}));
  EXPECT_EQ(analyze_sorted(word_options(1, 2), "L\u2019OTAN dit"), (Terms{"dit", "otan", "otan dit"}));
}

TEST(WordAnalyzer, RepeatedTermsAreAllEmitted) {
  EXPECT_EQ(analyze_sorted(word_options(1, 2), "go go go"), (Terms{"go", "go", "go", "go go", "go go"}));
}

// ---- char n-grams ----

TEST(CharAnalyzer, WhitespaceRunsCollapseSingleWhitespaceKept) {
  const AnalyzerOptions o = char_options(AnalyzerKind::char_ngrams, 2, 3);
  // "Ab  c\td" -> "ab c\td": the double space becomes ' ', the lone tab stays a tab.
  EXPECT_EQ(analyze_sorted(o, "Ab  c\td"),
            (Terms{"\td", " c", " c\t", "ab", "ab ", "b ", "b c", "c\t", "c\td"}));
  // Unicode whitespace: a single U+00A0 is kept; " \u2003\u2003" and "\n\n" collapse to ' '.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 2, 2), "a\u00A0b \u2003\u2003c\n\nd"),
            (Terms{" c", " d", "a\u00A0", "b ", "c ", "\u00A0b"}));
  // Leading and trailing runs become one space each; mixed runs ("\t\n") collapse too.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 2, 2), "  ab  "), (Terms{" a", "ab", "b "}));
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 3, 3), "x\t\ny"), (Terms{"x y"}));
}

TEST(CharAnalyzer, ShortDocuments) {
  const AnalyzerOptions o = char_options(AnalyzerKind::char_ngrams, 2, 3);
  EXPECT_EQ(analyze_sorted(o, "a"), Terms{});
  EXPECT_EQ(analyze_sorted(o, ""), Terms{});
  EXPECT_EQ(analyze_sorted(o, "ab"), (Terms{"ab"}));
}

TEST(CharAnalyzer, CodePointsNotBytes) {
  // n-grams are over code points, including 4-byte ones.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 1, 2), "\U0001F600中"),
            (Terms{"中", "\U0001F600", "\U0001F600中"}));
  // İ lowers to two code points.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 1, 1), "\u0130a"), (Terms{"a", "i", "\u0307"}));
  // Final sigma applies to character analyzers too.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 1, 1), "\u0391\u03A3"),
            (Terms{"\u03B1", "\u03C2"}));
  // A lone surrogate comes out as its three bytes.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 1, 1), "a\xED\xA0\x80"),
            (Terms{"a", "\xED\xA0\x80"}));
}

TEST(CharAnalyzer, StripAccentsUnicodeDropsOnlyNonzeroCombiningClass) {
  AnalyzerOptions o = char_options(AnalyzerKind::char_ngrams, 1, 1);
  o.strip_accents = AccentStripping::unicode;
  // U+0301 (class 230) goes; U+20DD (an enclosing mark of class 0) stays.
  EXPECT_EQ(analyze_sorted(o, "e\u0301\u20DD"), (Terms{"e", "\u20DD"}));
  o.strip_accents = AccentStripping::ascii;
  EXPECT_EQ(analyze_sorted(o, "e\u0301\u20DD"), (Terms{"e"}));
}

TEST(CharAnalyzer, AllSizesInRange) {
  // "abcd": 4 unigrams, 3 bigrams, 2 trigrams, 1 four-gram.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_ngrams, 1, 4), "abcd"),
            (Terms{"a", "ab", "abc", "abcd", "b", "bc", "bcd", "c", "cd", "d"}));
}

// ---- char_wb n-grams ----

TEST(CharWbAnalyzer, WordsPaddedWithSpaces) {
  const AnalyzerOptions o = char_options(AnalyzerKind::char_wb, 2, 4);
  // " i " (3 chars): bigrams, then the whole padded word once for n=3, nothing for n=4.
  EXPECT_EQ(analyze_sorted(o, "I am  ok"),
            (Terms{" a", " am", " am ", " i", " i ", " o", " ok", " ok ", "am", "am ", "i ", "k ", "m ", "ok",
                   "ok "}));
}

TEST(CharWbAnalyzer, OneLetterWord) {
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_wb, 2, 4), "a"), (Terms{" a", " a ", "a "}));
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_wb, 2, 4), "ab"),
            (Terms{" a", " ab", " ab ", "ab", "ab ", "b "}));
}

TEST(CharWbAnalyzer, PaddedWordShorterThanMinIsEmittedOnceWhole) {
  // n in 4..5: " a " (3) and " bc " (4) once each, " def " gives 2 + 1.
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_wb, 4, 5), "a bc def"),
            (Terms{" a ", " bc ", " def", " def ", "def "}));
}

TEST(CharWbAnalyzer, SplitsOnUnicodeWhitespace) {
  // U+00A0, U+2003 and U+001C are whitespace for str.split().
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_wb, 3, 3), "\u00A0x\u2003yz\x1C"),
            (Terms{" x ", " yz", "yz "}));
  EXPECT_EQ(analyze_sorted(char_options(AnalyzerKind::char_wb, 2, 3), " \t\n "), Terms{});
}

TEST(CharWbAnalyzer, LowercaseAndAccentsFirst) {
  AnalyzerOptions o = char_options(AnalyzerKind::char_wb, 3, 3);
  o.strip_accents = AccentStripping::ascii;
  EXPECT_EQ(analyze_sorted(o, "\u00C9l"), (Terms{" el", "el "}));
}

// ---- every TextRef layout gives the same terms ----

TEST(AnalyzerEncodings, Latin1Ucs2Ucs4AndUtf8Agree) {
  // "Café DÉJÀ vu Maß µm ÿÿ<NBSP>x"
  const std::vector<std::uint8_t> latin1 = {'C', 'a', 'f', 0xE9, ' ', 'D', 0xC9, 'J', 0xC0, ' ', 'v', 'u', ' ',
                                            'M', 'a', 0xDF, ' ', 0xB5, 'm', ' ', 0xFF, 0xFF, 0xA0, 'x'};
  const Terms expected = {"caf\u00E9", "d\u00E9j\u00E0", "ma\u00DF", "vu", "\u00B5m", "\u00FF\u00FF"};
  const AnalyzerOptions o;

  EXPECT_EQ(analyze_sorted(o, TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}), expected);
  const std::u16string ucs2(latin1.begin(), latin1.end());
  EXPECT_EQ(analyze_sorted(o, TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}), expected);
  const std::u32string ucs4(latin1.begin(), latin1.end());
  EXPECT_EQ(analyze_sorted(o, TextRef::utf32(ucs4)), expected);
  EXPECT_EQ(analyze_sorted(o, "Caf\u00E9 D\u00C9J\u00C0 vu Ma\u00DF \u00B5m \u00FF\u00FF\u00A0x"), expected);
}

// Latin-1 and UCS-2 text read 16 ASCII characters at a time where it can; UCS-4
// text one character at a time. Random text with long ASCII runs, tokens across
// block edges and non-ASCII characters at every offset must give the same terms,
// in the same order, whatever the options.
TEST(AnalyzerEncodings, AsciiBlocksAgreeWithCharacterByCharacter) {
  std::mt19937 rng(11);
  const std::u32string letters = U"abcxyzABCXYZ0189_";
  const std::u32string separators = U" .,-'\n\t";
  const std::u32string latin1_others = U"\u00E9\u00C9\u00DF\u00B5\u00A0\u00FF\u00AA";
  const std::u32string wide_others = U"\u2019\u03A3\u00E9\u4E2D";  // ’ Σ é 中
  auto pick = [&](const std::u32string& from) { return from[rng() % from.size()]; };
  std::vector<AnalyzerOptions> settings(4);
  settings[1].lowercase = false;
  settings[2].ngram_max = 3;
  settings[2].min_token_length = 1;
  settings[3].stop_words = {"ab", "xyz"};
  for (int doc = 0; doc < 400; ++doc) {
    const bool wide = doc % 2 == 1;
    const std::size_t length = rng() % 90;
    std::u32string text;
    for (std::size_t i = 0; i < length; ++i) {
      const unsigned kind = static_cast<unsigned>(rng() % 20);
      text += kind < 15 ? pick(letters) : kind < 18 ? pick(separators) : pick(wide ? wide_others : latin1_others);
    }
    const std::u16string ucs2(text.begin(), text.end());
    for (const AnalyzerOptions& o : settings) {
      const TextAnalyzer analyzer(o);
      const auto expected = analyzer.analyze(TextRef::utf32(text));
      SCOPED_TRACE(::testing::Message() << "document " << doc << " lowercase " << o.lowercase << " ngrams "
                                        << o.ngram_max);
      EXPECT_EQ(analyzer.analyze(TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}), expected);
      if (!wide) {
        const std::vector<std::uint8_t> latin1(text.begin(), text.end());
        EXPECT_EQ(analyzer.analyze(TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}), expected);
      }
    }
  }
}

TEST(AnalyzerEncodings, BmpAndAstralText) {
  const AnalyzerOptions o = word_options(1, 2);
  const Terms expected = {"caf\u00E9", "caf\u00E9 中文", "cyber", "中文", "中文 cyber"};
  const std::u16string ucs2 = u"Caf\u00E9 中文 Cyber";
  EXPECT_EQ(analyze_sorted(o, TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}), expected);
  EXPECT_EQ(analyze_sorted(o, TextRef::utf32(U"Caf\u00E9 中文 Cyber")), expected);
  EXPECT_EQ(analyze_sorted(o, "Caf\u00E9 中文 Cyber"), expected);

  const Terms astral = {"ab", "ab cd", "cd", "cd \U00020000\U00020001", "\U00020000\U00020001"};
  EXPECT_EQ(analyze_sorted(o, TextRef::utf32(U"AB\U0001F600CD \U00020000\U00020001")), astral);
  EXPECT_EQ(analyze_sorted(o, "AB\U0001F600CD \U00020000\U00020001"), astral);

  // Character n-grams agree across layouts too.
  const AnalyzerOptions c = char_options(AnalyzerKind::char_wb, 2, 3);
  EXPECT_EQ(analyze_sorted(c, TextRef{ucs2.data(), ucs2.size(), TextEncoding::ucs2}),
            analyze_sorted(c, "Caf\u00E9 中文 Cyber"));
}

TEST(AnalyzerEncodings, Latin1BytesAreCodePointsNotUtf8) {
  // 0xC3 0xA9 in Latin-1 is "Ã©" (© is not \w), not "é".
  const std::vector<std::uint8_t> latin1 = {'x', 0xC3, 0xA9, 'y', 'z'};
  EXPECT_EQ(analyze_sorted({}, TextRef{latin1.data(), latin1.size(), TextEncoding::latin1}),
            (Terms{"x\u00E3", "yz"}));
}

// ---- the streaming interface ----

TEST(AnalyzerStreaming, ScratchReusedAcrossDocuments) {
  const TextAnalyzer analyzer(word_options(1, 2));
  AnalyzerScratch scratch;
  const std::vector<std::string> docs = {"the quick brown fox", "", "\u00C9T\u00C9 \u03A3\u0391\u03A3",
                                         "a much longer document that has quite a few more words in it than the "
                                         "others and should make the buffers grow",
                                         "fox"};
  for (const auto& doc : docs) {
    Terms streamed;
    analyzer.analyze(TextRef::utf8(doc), scratch, [&](std::string_view term) { streamed.emplace_back(term); });
    EXPECT_EQ(sorted(streamed), sorted(analyzer.analyze(TextRef::utf8(doc)))) << doc;
  }
}

TEST(AnalyzerStreaming, CopiesAndMovesKeepOptionsAndStopWords) {
  AnalyzerOptions o = word_options(1, 2);
  o.stop_words = {"the"};
  o.strip_accents = AccentStripping::unicode;
  const Terms expected = {"cafe", "cafe noir", "noir"};
  TextAnalyzer copy(word_options());
  {
    TextAnalyzer original(o);
    EXPECT_EQ(original.options().ngram_max, 2u);
    EXPECT_EQ(original.options().strip_accents, AccentStripping::unicode);
    EXPECT_EQ(original.options().stop_words, (std::vector<std::string>{"the"}));
    copy = original;
  }
  EXPECT_EQ(sorted(copy.analyze(TextRef::utf8("the caf\u00E9 the noir"))), expected);
  TextAnalyzer copied2(copy);
  TextAnalyzer moved(std::move(copy));
  EXPECT_EQ(sorted(moved.analyze(TextRef::utf8("the caf\u00E9 the noir"))), expected);
  EXPECT_EQ(sorted(copied2.analyze(TextRef::utf8("the caf\u00E9 the noir"))), expected);
  EXPECT_EQ(moved.options().kind, AnalyzerKind::word);
}

// ---- option validation ----

TEST(AnalyzerOptionsValidate, AcceptsValidOptions) {
  EXPECT_NO_THROW(AnalyzerOptions{}.validate());
  AnalyzerOptions o;
  o.ngram_min = 3;
  o.ngram_max = 3;
  o.min_token_length = 1;
  EXPECT_NO_THROW(o.validate());
  o.kind = AnalyzerKind::char_wb;
  EXPECT_NO_THROW(o.validate());
}

TEST(AnalyzerOptionsValidate, RejectsBadValues) {
  for (AnalyzerKind kind : {AnalyzerKind::word, AnalyzerKind::char_ngrams, AnalyzerKind::char_wb}) {
    AnalyzerOptions zero_min;
    zero_min.kind = kind;
    zero_min.ngram_min = 0;
    EXPECT_THROW(zero_min.validate(), std::invalid_argument);

    AnalyzerOptions min_above_max;
    min_above_max.kind = kind;
    min_above_max.ngram_min = 3;
    min_above_max.ngram_max = 2;
    EXPECT_THROW(min_above_max.validate(), std::invalid_argument);
  }
  AnalyzerOptions zero_length;
  zero_length.min_token_length = 0;
  EXPECT_THROW(zero_length.validate(), std::invalid_argument);
}

}  // namespace
}  // namespace themescope
