#include "themescope/analysis.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

namespace themescope::analysis {

namespace {

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFKC_Casefold normalizer unavailable");
    return n;
  }();
  return *instance;
}

bool is_apostrophe_variant(char16_t c) { return c == u'\u2019' || c == u'\u02BC' || c == u'\uFF07'; }

}  // namespace

void normalize(std::u16string_view text, std::u16string& out) {
  const icu::Normalizer2& n = nfkc_casefold();
  UErrorCode status = U_ZERO_ERROR;
  // Read-only alias: no copy of the input.
  const icu::UnicodeString source(false, text.data(), static_cast<int32_t>(text.size()));
  icu::UnicodeString result;
  n.normalize(source, result, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
  out.assign(reinterpret_cast<const char16_t*>(result.getBuffer()), static_cast<std::size_t>(result.length()));
  for (char16_t& c : out) {
    if (is_apostrophe_variant(c)) c = u'\'';
  }
}

// ---- segment ----

struct WordSegmenter::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  UText* text = nullptr;

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !words) {
      throw std::runtime_error(std::string("ICU word break iterator unavailable: ") + u_errorName(status));
    }
  }
  Impl(const Impl& other) : words(other.words->clone()) {
    if (!words) throw std::runtime_error("cloning the ICU word break iterator failed");
  }
  ~Impl() {
    if (text != nullptr) utext_close(text);
  }
};

WordSegmenter::WordSegmenter() : impl_(std::make_unique<Impl>()) {}
WordSegmenter::WordSegmenter(const WordSegmenter& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
WordSegmenter& WordSegmenter::operator=(const WordSegmenter& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
WordSegmenter::WordSegmenter(WordSegmenter&&) noexcept = default;
WordSegmenter& WordSegmenter::operator=(WordSegmenter&&) noexcept = default;
WordSegmenter::~WordSegmenter() = default;

void WordSegmenter::segment(std::u16string_view text, std::vector<Segment>& out) {
  UErrorCode status = U_ZERO_ERROR;
  // A UText over the caller's UTF-16, reused from call to call: no copy.
  impl_->text = utext_openUChars(impl_->text, reinterpret_cast<const UChar*>(text.data()),
                                 static_cast<int64_t>(text.size()), &status);
  impl_->words->setText(impl_->text, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU word segmentation failed: ") + u_errorName(status));
  icu::BreakIterator& bi = *impl_->words;
  int32_t begin = bi.first();
  for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; begin = end, end = bi.next()) {
    const int32_t status_value = bi.getRuleStatus();
    SegmentKind kind;
    if (status_value >= UBRK_WORD_IDEO && status_value < UBRK_WORD_IDEO_LIMIT) {
      kind = SegmentKind::ideographic;
    } else if (status_value >= UBRK_WORD_KANA && status_value < UBRK_WORD_KANA_LIMIT) {
      kind = SegmentKind::kana;
    } else if (status_value >= UBRK_WORD_LETTER && status_value < UBRK_WORD_LETTER_LIMIT) {
      kind = SegmentKind::letter;
    } else if (status_value >= UBRK_WORD_NUMBER && status_value < UBRK_WORD_NUMBER_LIMIT) {
      kind = SegmentKind::number;
    } else {
      continue;  // spaces, punctuation, symbols
    }
    out.push_back(Segment{static_cast<std::size_t>(begin), static_cast<std::size_t>(end), kind});
  }
}

// ---- elision ----

namespace {

// Elided words that end in an apostrophe before a vowel or mute h, as written
// in normalized (case-folded) text.
constexpr std::array<std::string_view, 13> kFrenchElided = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
constexpr std::array<std::string_view, 21> kItalianElided = {
    "c",   "l",  "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl",
    "dagl", "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d"};
constexpr std::array<std::string_view, 6> kCatalanElided = {"d", "l", "m", "n", "s", "t"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool is_elided_prefix(std::string_view prefix, std::string_view language) {
  if (language == "fr") return contains(kFrenchElided, prefix);
  if (language == "it") return contains(kItalianElided, prefix);
  if (language == "ca") return contains(kCatalanElided, prefix);
  return false;
}

}  // namespace

bool has_elision(std::string_view language) {
  return language == "fr" || language == "it" || language == "ca" || language == "en";
}

std::string_view strip_elision(std::string_view token, std::string_view language) {
  if (language == "en") {
    if (token.size() > 2 && token.substr(token.size() - 2) == "'s") return token.substr(0, token.size() - 2);
    return token;
  }
  const std::size_t apostrophe = token.find('\'');
  if (apostrophe == std::string_view::npos || apostrophe + 1 >= token.size()) return token;
  if (!is_elided_prefix(token.substr(0, apostrophe), language)) return token;
  return token.substr(apostrophe + 1);
}

}  // namespace themescope::analysis
