// Boilerplate removal: shape features, paragraphs, the decisions on small worked
// documents, recurring lines and thread-count independence. The line-for-line
// comparison with the Python reference is in tests/python/test_boilerplate_native.py.
#include <cctype>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"
#include "themescope/boilerplate.hpp"
#include "themescope/unicode.hpp"

namespace themescope::boilerplate {
namespace {

std::u32string u32(std::string_view utf8) { return to_utf32(TextRef::utf8(utf8)); }

std::string utf8_of(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) append_utf8(c, out);
  return out;
}

const StopWordSet* fr() { return stop_words_for("fr"); }
const StopWordSet* en() { return stop_words_for("en"); }

TEST(BoilerplateUnicode, PythonCharacterRules) {
  std::u32string folded;
  for (char32_t c : u32("ẞßİΣſK")) unicode::append_casefold(c, folded);
  EXPECT_EQ(utf8_of(folded), "ssssi\u0307\u03C3sk");  // as "ẞßİΣſK".casefold()
  EXPECT_TRUE(unicode::is_upper_char(U'\u24B6'));   // Ⓐ: Other_Uppercase, as str.isupper
  EXPECT_FALSE(unicode::is_alpha_char(U'\u24B6'));  // but category So
  EXPECT_TRUE(unicode::is_digit_char(U'\u00B2'));   // ² isdigit ...
  EXPECT_FALSE(unicode::is_decimal_char(U'\u00B2'));  // ... but not \d
  EXPECT_TRUE(unicode::is_lower_char(U'\u00AA'));   // ª: Other_Lowercase
}

TEST(BoilerplateShape, CountsWordsStopWordsAndElidedParts) {
  // 6 tokens: les, ministres, de, l'alliance, ont, parlé; l'alliance adds its 2 parts (l, alliance)
  const Shape s = paragraph_shape(U"Les ministres de l\u2019alliance ont parl\u00E9.", fr());
  EXPECT_EQ(s.words, 6);
  // stop: les, de, ont, l  -> 4 of 7
  EXPECT_DOUBLE_EQ(s.density, 4.0 / 7.0);
  EXPECT_TRUE(s.sentence);
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(s.links, 0);
}

TEST(BoilerplateShape, SentenceEndsTeasersAndIdeographs) {
  EXPECT_TRUE(paragraph_shape(U"He said: \u201CNo.\u201D", en()).sentence);
  const Shape teaser = paragraph_shape(U"The text that goes on...", en());
  EXPECT_TRUE(teaser.sentence);
  EXPECT_TRUE(teaser.truncated);
  EXPECT_FALSE(paragraph_shape(U"Read more", en()).sentence);
  // one token of 7 ideographs: 3.5 words; "abc": at least 1
  EXPECT_EQ(paragraph_shape(U"\u6771\u4EAC\u90FD\u306E\u77E5\u4E8B\u304C abc", nullptr).words, 4.5);
}

TEST(BoilerplateShape, LinksAreCountedPerChunk) {
  // 5 chunks: an URL, an e-mail address, a handle, a host with a path, a word
  const Shape s = paragraph_shape(U"https://x.org a@b.co @afp (example.com/news) word", nullptr);
  EXPECT_DOUBLE_EQ(s.links, 4.0 / 5.0);
  EXPECT_EQ(paragraph_shape(U"example.community www. @_x", nullptr).links, 0);
  EXPECT_DOUBLE_EQ(paragraph_shape(U"#1 in the charts", nullptr).links, 1.0 / 4.0);  // a hashtag
  // a listed domain followed by a hyphen or a dot still ends the host name
  EXPECT_EQ(paragraph_shape(U"site.fr-info x.co.uk", nullptr).links, 1);
  // re.IGNORECASE: the Kelvin sign is a k
  EXPECT_EQ(paragraph_shape(U"bbc.co.u\u212A", nullptr).links, 1);
}

TEST(BoilerplateParagraphs, JoinLinesCutAtLinks) {
  // "the" ends without a sentence end: the lowercase line below joins it; a line two
  // below (a lost link) joins when it starts in lowercase; "Next" starts a paragraph.
  const Paragraphs p = split_paragraphs(U"  Protesters met the\nmayor on Monday\n\nand left.\nNext one.\n\n");
  ASSERT_EQ(p.texts.size(), 2u);
  EXPECT_EQ(p.texts[0], U"Protesters met the mayor on Monday and left.");
  EXPECT_EQ(p.lines[0], (std::vector<std::size_t>{0, 1, 3}));
  EXPECT_EQ(p.texts[1], U"Next one.");
  EXPECT_EQ(normalize_paragraph(U"  L\u2019\u00C9T\u00C9\t is  HERE "), U"l'\u00E9t\u00E9 is here");
}

std::string kept(const CleanedDocument& d, std::string_view original) {
  return d.changed ? utf8_of(d.text) : std::string(original);
}

// The German example of BoilerplateRemover's docstring, decided by hand there.
TEST(BoilerplateClean, DocstringExample) {
  const std::string page =
      "Cookies akzeptieren\nEinstellungen\nNeue Pflichten f\u00FCr die Betreiber der Netze\n"
      "Die Regierung in Berlin hat am Dienstag ein neues Gesetz zum Schutz der Netze vorgestellt, das die "
      "Betreiber kritischer Infrastrukturen zu mehr Sicherheit verpflichten soll.\n"
      "Jetzt anmelden\nUnser Newsletter\n"
      "Nach Angaben des Ministeriums sollen die Unternehmen Angriffe k\u00FCnftig innerhalb von 24 Stunden "
      "melden, damit die Beh\u00F6rden schneller reagieren k\u00F6nnen, wenn sich ein Angriff auf andere "
      "Betreiber ausbreitet.\n"
      "Jetzt anmelden\nUnser Newsletter\nMehr zum Thema\nwww.example.de/politik";
  const std::u32string doc = u32(page);
  const CleanedDocument d = clean_document(doc, stop_words_for("de"), {}, Params{});
  ASSERT_TRUE(d.changed);
  std::vector<std::pair<std::size_t, Reason>> removed;
  for (const RemovedLine& r : d.removed) removed.emplace_back(r.line, r.reason);
  const std::vector<std::pair<std::size_t, Reason>> expected{
      {0, Reason::short_run}, {1, Reason::short_run}, {4, Reason::repeated_in_document},
      {5, Reason::repeated_in_document}, {7, Reason::repeated_in_document}, {8, Reason::repeated_in_document},
      {9, Reason::links}, {10, Reason::links}};
  EXPECT_EQ(removed, expected);
  EXPECT_EQ(d.removed[0].begin, 0u);
  EXPECT_EQ(d.removed[0].end, 19u);  // "Cookies akzeptieren"
  const std::string text = kept(d, page);
  EXPECT_EQ(text.find("Neue Pflichten"), 0u);
  EXPECT_EQ(text.find("anmelden"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(BoilerplateClean, LabelsCapitalsAndUntouchedDocuments) {
  const std::string body =
      "Les ministres europ\u00E9ens se sont r\u00E9unis mardi \u00E0 Bruxelles pour discuter de la "
      "coop\u00E9ration en mati\u00E8re de cybers\u00E9curit\u00E9 et de la protection des r\u00E9seaux "
      "dans toute l'Union, avec les repr\u00E9sentants des agences nationales et de la Commission.";
  const std::u32string clean_doc = u32(body + "\n\n" + body);
  // a paragraph pasted twice stays once: the second copy is removed
  const CleanedDocument twice = clean_document(clean_doc, fr(), {}, Params{});
  ASSERT_EQ(twice.removed.size(), 1u);
  EXPECT_EQ(twice.removed[0].line, 2u);
  EXPECT_EQ(utf8_of(twice.text), body);  // the blank line went with the copy after it

  const std::u32string doc = u32(body + "\nPhoto : AFP\nLIRE AUSSI CET ARTICLE");
  const CleanedDocument d = clean_document(doc, fr(), {}, Params{});
  ASSERT_EQ(d.removed.size(), 2u);
  EXPECT_EQ(d.removed[0].reason, Reason::label);
  EXPECT_EQ(d.removed[1].reason, Reason::capitals);
  EXPECT_EQ(utf8_of(d.text), body);

  const std::u32string alone = u32(body);
  EXPECT_FALSE(clean_document(alone, fr(), {}, Params{}).changed);
  EXPECT_FALSE(clean_document(U"", fr(), {}, Params{}).changed);
  EXPECT_FALSE(clean_document(U"\n \n", fr(), {}, Params{}).changed);
}

TEST(BoilerplateClean, ASentenceBeforeItsCreditIsText) {
  // A photo caption: a sentence of names (few stop words), then its credit, so no sentence end at
  // the end of the line. Between good paragraphs it stays; the same words without the sentence go.
  const std::string body =
      "Les ministres europ\u00E9ens se sont r\u00E9unis mardi \u00E0 Bruxelles pour discuter de la "
      "coop\u00E9ration en mati\u00E8re de cybers\u00E9curit\u00E9 et de la protection des r\u00E9seaux "
      "dans toute l'Union, avec les repr\u00E9sentants des agences nationales et de la Commission.";
  const std::string caption =
      "Certains secteurs cruciaux devaient \u00EAtre hors de port\u00E9e d'attaques informatiques, a "
      "d\u00E9clar\u00E9 Joe Biden \u00E0 Vladimir Poutine. /Photo prise le 16 juin 2021/REUTERS/Sputnik";
  const CleanedDocument kept_caption = clean_document(u32(body + "\n" + caption + "\n" + body + " Fin."), fr(), {},
                                                      Params{});
  EXPECT_FALSE(kept_caption.changed);
  std::string no_sentence = caption;
  no_sentence.replace(no_sentence.find("Poutine. "), 9, "Poutine ");
  const CleanedDocument removed = clean_document(u32(body + "\n" + no_sentence + "\n" + body + " Fin."), fr(), {},
                                                 Params{});
  ASSERT_EQ(removed.removed.size(), 1u);
  EXPECT_EQ(removed.removed[0].line, 1u);
  EXPECT_EQ(removed.removed[0].reason, Reason::few_stop_words);
}

TEST(BoilerplateClean, TextWrappedInShortLinesIsKeptWhole) {
  // Most words on short lines and a paragraph over several lines: not a scraped page.
  const std::string page =
      "NAME\n       arch - print machine hardware name (same as uname -m)\n\nSYNOPSIS\n       arch [OPTION]...\n\n"
      "DESCRIPTION\n       Print machine architecture.\n\n       --version\n              output version "
      "information and exit\n";
  const std::u32string doc = u32(page);
  const CleanedDocument whole = clean_document(doc, en(), {}, Params{});
  EXPECT_FALSE(whole.changed);
  EXPECT_TRUE(whole.removed.empty());
  EXPECT_GT(whole.spared_words, 0u);
  Params anyway;
  anyway.max_removed_share = 1.0;
  const CleanedDocument cleaned = clean_document(doc, en(), {}, anyway);
  EXPECT_TRUE(cleaned.changed);
  EXPECT_EQ(cleaned.spared_words, 0u);
  std::size_t removed_words = 0;
  for (const RemovedLine& r : cleaned.removed) {
    const std::string line = utf8_of(std::u32string_view(doc).substr(r.begin, r.end - r.begin));
    bool in_word = false;
    for (unsigned char c : line) {
      const bool word = std::isalnum(c) != 0;
      removed_words += word && !in_word;
      in_word = word;
    }
  }
  EXPECT_EQ(whole.spared_words, removed_words);
  Params bad;
  bad.max_removed_share = 1.5;
  EXPECT_THROW(bad.validate(), std::invalid_argument);
}

TEST(BoilerplateCorpus, RecurringLinesCountDistinctDocuments) {
  std::vector<std::string> docs;
  for (int i = 0; i < 4; ++i) docs.push_back("Site Name\nStory number " + std::to_string(i) + ".\nFOLLOW US");
  docs.push_back(docs[0]);  // a duplicate counts once
  docs.push_back("site  name\nOther.");
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  EXPECT_EQ(recurring_lines(refs, 5), std::vector<std::u32string>{U"site name"});
  EXPECT_EQ(recurring_lines(refs, 4), (std::vector<std::u32string>{U"follow us", U"site name"}));

  const LineSet recurring{U"site name"};
  std::vector<std::string_view> languages(refs.size(), "en");
  const auto cleaned = clean_documents(refs, languages, recurring, Params{});
  ASSERT_EQ(cleaned.size(), refs.size());
  ASSERT_FALSE(cleaned[5].removed.empty());
  EXPECT_EQ(cleaned[5].removed[0].reason, Reason::repeated_across_corpus);
}

TEST(BoilerplateCorpus, SameResultOnAnyThreadCount) {
  testing::ThreadCountGuard guard;
  std::vector<std::string> docs;
  for (int i = 0; i < 200; ++i) {
    docs.push_back("Header " + std::to_string(i % 7) + "\nThe council voted on the budget for the year " +
                   std::to_string(1900 + i) + " after a long debate with the residents of the town and its mayor.\n"
                   "Share\nTweet\nwww.example.com/" + std::to_string(i));
  }
  std::vector<TextRef> refs;
  for (const auto& d : docs) refs.push_back(TextRef::utf8(d));
  std::vector<std::string_view> languages(refs.size(), "en");
  auto run = [&](int threads) {
    set_num_threads(threads);
    const auto lines = recurring_lines(refs, 5);
    const LineSet recurring(lines.begin(), lines.end());
    std::vector<std::u32string> out;
    for (const auto& d : clean_documents(refs, languages, recurring, Params{})) {
      out.push_back(d.text);
      for (const auto& r : d.removed) out.push_back(std::u32string(1, static_cast<char32_t>(r.line * 16 + static_cast<int>(r.reason))));
    }
    return std::make_pair(lines, out);
  };
  const auto one = run(1);
  // the seven headers and "share" ("Tweet" joins the lowercase link below it)
  EXPECT_EQ(one.first.size(), 8u);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(3), one);
}

TEST(BoilerplateCorpus, BadInputIsAClearError) {
  std::vector<TextRef> refs{TextRef::utf8("ok"), TextRef::utf8("bad \xFF")};
  std::vector<std::string_view> languages{"en"};
  EXPECT_THROW(clean_documents(refs, languages, {}, Params{}), std::invalid_argument);
  languages.push_back("und");
  try {
    clean_documents(refs, languages, {}, Params{});
    FAIL() << "no error for invalid UTF-8";
  } catch (const InvalidUtf8Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("document 1: ", 0), 0u) << e.what();
  }
  Params p;
  p.stopwords_low = 1.5;
  EXPECT_THROW(p.validate(), std::invalid_argument);
  EXPECT_EQ(reason_name(Reason::repeated_across_corpus), "repeated_across_corpus");
}

}  // namespace
}  // namespace themescope::boilerplate
