// The language-independent stages of the multilingual analyzer, on hand-worked
// cases: normalization, UAX #29 word segmentation, elision.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/analysis.hpp"

namespace themescope::analysis {
namespace {

std::u16string normalized(std::u16string_view text) {
  std::u16string out;
  normalize(text, out);
  return out;
}

struct Word {
  std::u16string text;
  SegmentKind kind;
  bool operator==(const Word&) const = default;
};

std::vector<Word> words_of(std::u16string_view text) {
  WordSegmenter segmenter;
  std::vector<Segment> segments;
  segmenter.segment(text, segments);
  std::vector<Word> words;
  for (const Segment& s : segments) words.push_back({std::u16string(text.substr(s.begin, s.end - s.begin)), s.kind});
  return words;
}

TEST(Normalize, CaseFoldsWithCompatibilityComposition) {
  EXPECT_EQ(normalized(u"ÉTÉ"), u"été");
  EXPECT_EQ(normalized(u"Straße"), u"strasse");    // full case folding
  EXPECT_EQ(normalized(u"\uFB01n"), u"fin");        // ﬁ ligature, a compatibility character
  EXPECT_EQ(normalized(u"e\u0301t\u00E9"), u"été");  // combining acute composed
  EXPECT_EQ(normalized(u"３０"), u"30");             // fullwidth digits
  EXPECT_EQ(normalized(u""), u"");
}

TEST(Normalize, UnifiesApostrophes) {
  EXPECT_EQ(normalized(u"L\u2019OTAN"), u"l'otan");
  EXPECT_EQ(normalized(u"l\u02BCotan"), u"l'otan");
  EXPECT_EQ(normalized(u"l\uFF07otan"), u"l'otan");
  EXPECT_EQ(normalized(u"l'otan"), u"l'otan");
}

TEST(Segment, NumbersWithSeparatorsAreOneWord) {
  const auto words = words_of(u"30.000 soldats, 1,000 troops in 2019");
  const std::vector<Word> expected = {{u"30.000", SegmentKind::number},
                                      {u"soldats", SegmentKind::letter},
                                      {u"1,000", SegmentKind::number},
                                      {u"troops", SegmentKind::letter},
                                      {u"in", SegmentKind::letter},
                                      {u"2019", SegmentKind::number}};
  EXPECT_EQ(words, expected);
}

TEST(Segment, ApostropheInsideAWordKeepsItWhole) {
  const auto words = words_of(u"l'otan et aujourd'hui");
  const std::vector<Word> expected = {
      {u"l'otan", SegmentKind::letter}, {u"et", SegmentKind::letter}, {u"aujourd'hui", SegmentKind::letter}};
  EXPECT_EQ(words, expected);
}

TEST(Segment, HyphensAndPunctuationSeparate) {
  const auto words = words_of(u"e-mail: cyber-sécurité!");
  const std::vector<Word> expected = {{u"e", SegmentKind::letter},
                                      {u"mail", SegmentKind::letter},
                                      {u"cyber", SegmentKind::letter},
                                      {u"sécurité", SegmentKind::letter}};
  EXPECT_EQ(words, expected);
}

TEST(Segment, IdeographsAndKanaAreWords) {
  // ICU segments Chinese and Japanese with its dictionary, whose words (kana
  // ones included) carry the ideographic status.
  const auto words = words_of(u"東京 カタカナ");
  const std::vector<Word> expected = {{u"東京", SegmentKind::ideographic}, {u"カタカナ", SegmentKind::ideographic}};
  EXPECT_EQ(words, expected);
}

TEST(Segment, NothingWordLikeGivesNothing) {
  EXPECT_TRUE(words_of(u"").empty());
  EXPECT_TRUE(words_of(u" ,;!? — … ").empty());
}

TEST(Segment, CopiesSegmentIndependently) {
  WordSegmenter a;
  WordSegmenter b = a;
  std::vector<Segment> first, second;
  const std::u16string one = u"quad summit";
  const std::u16string two = u"cyber";
  a.segment(one, first);
  b.segment(two, second);
  a.segment(two, first);
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(second.size(), 1u);
}

TEST(Elision, FrenchArticlesPronounsAndConjunctions) {
  EXPECT_EQ(strip_elision("l'otan", "fr"), "otan");
  EXPECT_EQ(strip_elision("d'europe", "fr"), "europe");
  EXPECT_EQ(strip_elision("qu'il", "fr"), "il");
  EXPECT_EQ(strip_elision("jusqu'au", "fr"), "au");
  EXPECT_EQ(strip_elision("lorsqu'elle", "fr"), "elle");
  EXPECT_EQ(strip_elision("aujourd'hui", "fr"), "aujourd'hui");  // not an elision
  EXPECT_EQ(strip_elision("l'", "fr"), "l'");                    // nothing after it
  EXPECT_EQ(strip_elision("otan", "fr"), "otan");
}

TEST(Elision, ItalianAndCatalan) {
  EXPECT_EQ(strip_elision("dell'europa", "it"), "europa");
  EXPECT_EQ(strip_elision("un'alleanza", "it"), "alleanza");
  EXPECT_EQ(strip_elision("l'estat", "ca"), "estat");
}

TEST(Elision, EnglishPossessive) {
  EXPECT_EQ(strip_elision("nato's", "en"), "nato");
  EXPECT_EQ(strip_elision("o'brien", "en"), "o'brien");
  EXPECT_EQ(strip_elision("'s", "en"), "'s");
}

TEST(Elision, OnlyForItsLanguages) {
  EXPECT_EQ(strip_elision("l'otan", "de"), "l'otan");
  EXPECT_EQ(strip_elision("nato's", "fr"), "nato's");
  EXPECT_TRUE(has_elision("fr"));
  EXPECT_FALSE(has_elision("de"));
}

}  // namespace
}  // namespace themescope::analysis
