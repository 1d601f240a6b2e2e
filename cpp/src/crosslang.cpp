#include "themescope/crosslang.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "themescope/analysis.hpp"
#include "themescope/language.hpp"
#include "themescope/stemmer.hpp"
#include "themescope/stop_words.hpp"

namespace themescope {

namespace {

constexpr std::string_view kFoldRules = "Any-Latin; Latin-ASCII; Lower";

// ICU builds a compound transliterator from its rule data once; each thread
// works on its own clone (a transliterator must not be shared between threads).
const icu::Transliterator& fold_prototype() {
  static const icu::Transliterator* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t = icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8(icu::StringPiece(kFoldRules.data(), static_cast<int32_t>(kFoldRules.size()))),
        UTRANS_FORWARD, status);
    if (U_FAILURE(status) || t == nullptr) {
      throw std::runtime_error(std::string("ICU transliterator '") + std::string(kFoldRules) +
                               "' unavailable: " + u_errorName(status));
    }
    return t;
  }();
  return *instance;
}

std::unique_ptr<icu::Transliterator> new_folder() {
  std::unique_ptr<icu::Transliterator> t(fold_prototype().clone());
  if (!t) throw std::runtime_error("cloning the ICU transliterator failed");
  return t;
}

const icu::Normalizer2& nfkc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFKC normalizer unavailable");
    return n;
  }();
  return *instance;
}

// A document as UTF-16, ICU's working form (validates UTF-8).
void to_utf16(TextRef text, std::u16string& out) {
  out.clear();
  if (text.encoding == TextEncoding::ucs2) {
    const auto* p = static_cast<const char16_t*>(text.data);
    out.assign(p, p + text.length);
    return;
  }
  if (text.encoding == TextEncoding::latin1) {
    const auto* p = static_cast<const std::uint8_t*>(text.data);
    out.assign(p, p + text.length);
    return;
  }
  for (const char32_t c : to_utf32(text)) {
    if (c < 0x10000) {
      out.push_back(static_cast<char16_t>(c));
    } else {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    }
  }
}

// NFKC (case kept: capitals carry the names) with every apostrophe made U+0027.
void normalize_keep_case(std::u16string_view text, std::u16string& out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source(false, text.data(), static_cast<int32_t>(text.size()));
  icu::UnicodeString result;
  nfkc().normalize(source, result, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
  out.assign(reinterpret_cast<const char16_t*>(result.getBuffer()), static_cast<std::size_t>(result.length()));
  for (char16_t& c : out) {
    if (c == u'\u2019' || c == u'\u02BC' || c == u'\uFF07') c = u'\'';
  }
}

char32_t code_point_at(std::u16string_view s, std::size_t& i) {
  char32_t c = s[i++];
  if (c >= 0xD800 && c < 0xDC00 && i < s.size() && s[i] >= 0xDC00 && s[i] < 0xE000) {
    c = 0x10000 + ((c - 0xD800) << 10) + (s[i] - 0xDC00);
    ++i;
  }
  return c;
}

void append_utf16_as_utf8(std::u16string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size();) append_utf8(code_point_at(s, i), out);
}

std::string utf8_of(std::u16string_view s) {
  std::string out;
  append_utf16_as_utf8(s, out);
  return out;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char b : utf8) n += (static_cast<unsigned char>(b) & 0xC0) != 0x80;
  return n;
}

// The first `n` code points of `utf8`.
std::string_view prefix_of(std::string_view utf8, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) {
      if (seen == n) return utf8.substr(0, i);
      ++seen;
    }
  }
  return utf8;
}

bool is_space16(char16_t c) { return c == u' ' || c == u'\u00A0' || c == u'\u202F' || c == u'\u2009'; }

bool is_line_break(char32_t c) { return c == U'\n' || c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x85; }

// Whether the word starting at `begin` opens a sentence: nothing but spaces,
// opening quotes and dashes since the start of the text, a line break, or a
// sentence-ending mark (". ! ? … : ;", and the "|" of datelines).
bool at_sentence_start(std::u16string_view text, std::size_t begin) {
  std::size_t i = begin;
  while (i > 0) {
    const char16_t c = text[i - 1];
    if (is_line_break(c)) return true;
    const int8_t type = u_charType(c);
    const bool skippable = u_isUWhiteSpace(c) || type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION ||
                           type == U_DASH_PUNCTUATION || c == u'"' || c == u'\'' || c == u'*' || c == u'\u2022';
    if (!skippable) break;
    --i;
  }
  if (i == 0) return true;
  switch (text[i - 1]) {
    case u'.':
    case u'!':
    case u'?':
    case u'\u2026':
    case u':':
    case u';':
    case u'|':
    case u'\u00B7':
      return true;
    default:
      return false;
  }
}

// [begin, end) UTF-16 ranges of URLs and e-mail addresses: whitespace-delimited
// chunks holding "://", starting with "www." or shaped like name@host.tld.
std::vector<std::pair<std::size_t, std::size_t>> link_ranges(std::u16string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && u_isUWhiteSpace(text[i])) ++i;
    const std::size_t begin = i;
    while (i < text.size() && !u_isUWhiteSpace(text[i])) ++i;
    const std::u16string_view chunk = text.substr(begin, i - begin);
    if (chunk.empty()) continue;
    bool link = chunk.find(u"://") != std::u16string_view::npos;
    if (!link && chunk.size() > 4) {
      link = (chunk[0] == u'w' || chunk[0] == u'W') && (chunk[1] == u'w' || chunk[1] == u'W') &&
             (chunk[2] == u'w' || chunk[2] == u'W') && chunk[3] == u'.';
    }
    if (!link) {
      const std::size_t at = chunk.find(u'@');
      link = at != std::u16string_view::npos && at > 0 && chunk.find(u'.', at + 2) != std::u16string_view::npos;
    }
    if (link) ranges.emplace_back(begin, i);
  }
  return ranges;
}

enum class Casing { lower, capitalized, all_caps };

Casing casing_of(std::u16string_view word, std::size_t& letters) {
  letters = 0;
  std::size_t upper = 0;
  bool first_upper = false;
  for (std::size_t i = 0; i < word.size();) {
    const char32_t c = code_point_at(word, i);
    if (!u_isalpha(c)) continue;
    const bool up = u_isUUppercase(c) || u_istitle(c);
    if (letters == 0) first_upper = up;
    upper += up;
    ++letters;
  }
  if (letters >= 2 && upper == letters) return Casing::all_caps;
  return first_upper ? Casing::capitalized : Casing::lower;
}

constexpr std::size_t kMaxAcronymLetters = 5;

// A worker's memos (folded words, each word's features) are caches: past this many words
// they are dropped and filled again, so that memory stays bounded (a few tens of MB per
// worker) on millions of distinct words; outputs are unchanged.
constexpr std::size_t kMaxMemoWords = std::size_t{1} << 16;

}  // namespace

void CrossLanguageOptions::validate() const {
  if (!names && !numbers && !acronyms && !cognates && !ngrams) {
    throw std::invalid_argument("no channel selected: give at least one of names, numbers, acronyms, cognates, ngrams");
  }
  if (min_word_length < 1) throw std::invalid_argument("min_word_length must be >= 1, got 0");
  if (ngrams && (ngram_min < 1 || ngram_min > ngram_max)) {
    throw std::invalid_argument("ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got (" +
                                std::to_string(ngram_min) + ", " + std::to_string(ngram_max) + ")");
  }
}

std::string fold_word(std::string_view utf8) {
  static thread_local std::unique_ptr<icu::Transliterator> folder;
  if (!folder) folder = new_folder();
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  folder->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string normalize_number(std::u16string_view number) {
  // Digit groups and the separators between them.
  std::vector<std::string> groups(1);
  std::vector<char> separators;
  for (std::size_t i = 0; i < number.size();) {
    const char32_t c = code_point_at(number, i);
    const int32_t digit = u_charDigitValue(c);
    if (digit >= 0 && digit <= 9) {
      groups.back().push_back(static_cast<char>('0' + digit));
      continue;
    }
    char separator = 0;
    if (c == U'.' || c == 0x066B) separator = '.';
    else if (c == U',' || c == 0x066C) separator = ',';
    else if (c == U'\'' || c == 0x2019) separator = '\'';
    else if (is_space16(static_cast<char16_t>(c))) separator = ' ';
    if (separator != 0 && !groups.back().empty()) {
      separators.push_back(separator);
      groups.emplace_back();
    }
  }
  if (groups.back().empty()) {
    groups.pop_back();
    if (!separators.empty()) separators.pop_back();
  }
  if (groups.empty()) return {};

  auto strip_leading_zeros = [](std::string s) {
    const std::size_t first = s.find_first_not_of('0');
    return first == std::string::npos ? std::string("0") : s.substr(first);
  };
  // Groups [0, n) written with one thousands separator: 1-3 digits, then 3s.
  auto thousands = [&](std::size_t n) {
    if (groups[0].size() > 3 || (n > 1 && groups[0] == "0")) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if (groups[k].size() != 3 || separators[k - 1] != separators[0]) return false;
    }
    return true;
  };
  auto concatenated = [&](std::size_t n) {
    std::string s;
    for (std::size_t k = 0; k < n; ++k) s += groups[k];
    return strip_leading_zeros(std::move(s));
  };
  auto with_decimals = [&](std::string integer, std::string decimals) {
    while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
    return decimals.empty() ? integer : integer + "." + decimals;
  };

  const std::size_t n = groups.size();
  if (n == 1) return strip_leading_zeros(groups[0]);
  const char last = separators.back();
  const bool last_is_decimal_mark = last == '.' || last == ',';
  if (n == 2) {
    // "30.000", "1,000", "30 000": thousands; "3,5", "0.001", "12.50": decimals.
    if (thousands(2)) return concatenated(2);
    if (last_is_decimal_mark) return with_decimals(strip_leading_zeros(groups[0]), groups[1]);
  } else {
    if (thousands(n)) return concatenated(n);
    // "1.234,5", "1,234.50", "1 234,5": the last mark, unlike the others, is decimal.
    if (last_is_decimal_mark && last != separators[0] && thousands(n - 1)) {
      return with_decimals(concatenated(n - 1), groups[n - 1]);
    }
  }
  // Versions, addresses, dates: the groups as written, dot-separated.
  std::string out = groups[0];
  for (std::size_t k = 1; k < n; ++k) out += "." + groups[k];
  return out;
}

struct CrossLanguageAnalyzer::State final : AnalyzerState {
  analysis::WordSegmenter segmenter;
  std::unique_ptr<icu::Transliterator> folder = new_folder();
  std::u16string utf16;
  std::u16string text;  // NFKC, case kept
  std::u16string lowered;
  std::vector<analysis::Segment> segments;
  std::vector<bool> all_caps;  // per segment
  absl::flat_hash_map<std::string, std::optional<Stemmer>> stemmers;
  absl::flat_hash_map<std::string, std::string> folded;     // word -> folded
  // What a content word gives, built once per language and word: its "cog:" feature
  // (empty when it has none) and "ng:" features, each with the memo a counter keeps for
  // it, so that a repeated word costs neither folding nor the counter's lookups.
  struct WordFeatures {
    std::string cognate;
    TermMemo cognate_memo;
    std::string ngrams;                  // the "ng:" features end to end
    std::vector<std::size_t> ngram_ends;  // where each ends in ngrams
    std::vector<TermMemo> ngram_memos;
  };
  absl::flat_hash_map<std::string, WordFeatures> words;  // language \0 word -> features
  std::vector<std::pair<std::string, std::string>> sentence_initial;  // (folded, surface)
  absl::flat_hash_set<std::string> names_seen;
  std::string feature;

  const std::string& fold(const std::string& word) {
    auto it = folded.find(word);
    if (it != folded.end()) return it->second;
    if (folded.size() >= kMaxMemoWords) folded.clear();  // no reference into it is held across calls
    std::string out;
    if (std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      // ASCII is Latin and ASCII already: the rules only lowercase it, and the
      // transliterator (the costliest step of a new word) is skipped.
      out = word;
      for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
    } else {
      icu::UnicodeString s =
          icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
      folder->transliterate(s);
      s.toUTF8String(out);
    }
    return folded.emplace(word, std::move(out)).first->second;
  }

  Stemmer* stemmer_for(const std::string& language) {
    auto it = stemmers.find(language);
    if (it == stemmers.end()) {
      std::optional<Stemmer> stemmer;
      const auto available = stemmer_languages();
      if (std::find(available.begin(), available.end(), language) != available.end()) stemmer.emplace(language);
      it = stemmers.emplace(language, std::move(stemmer)).first;
    }
    return it->second ? &*it->second : nullptr;
  }
};

namespace {

// One document's features, emitted in text order as the segments are read: numbers (one
// may span segments), acronyms and names, then each word's cognate key and character
// n-grams; the names seen only at sentence starts come last, once known to be names.
class FeaturePass {
 public:
  FeaturePass(const CrossLanguageOptions& options, CrossLanguageAnalyzer::State& st, std::string language,
              TermSurfaceSink sink)
      : options_(options), st_(st), language_(std::move(language)), sink_(sink) {
    const auto lists = stop_word_languages();
    if (std::find(lists.begin(), lists.end(), language_) != lists.end()) stop_ = &stop_words(language_);
    elision_ = analysis::has_elision(language_);
  }

  void run(TextRef text) {
    to_utf16(text, st_.utf16);
    normalize_keep_case(st_.utf16, st_.text);
    doc_ = st_.text;
    st_.segments.clear();
    st_.segmenter.segment(doc_, st_.segments);
    const auto links = link_ranges(doc_);
    std::size_t next_link = 0;
    st_.sentence_initial.clear();
    st_.names_seen.clear();
    mark_all_caps();
    for (std::size_t k = 0; k < st_.segments.size(); ++k) {
      const analysis::Segment& seg = st_.segments[k];
      while (next_link < links.size() && links[next_link].second <= seg.begin) ++next_link;
      if (next_link < links.size() && links[next_link].first <= seg.begin) continue;  // inside a URL or e-mail
      const std::u16string_view word = doc_.substr(seg.begin, seg.end - seg.begin);
      if (seg.kind == analysis::SegmentKind::number) {
        if (options_.numbers) add_number(seg, word);
        continue;
      }
      flush_number();
      if (seg.kind == analysis::SegmentKind::letter) add_word(k, seg, word);
    }
    flush_number();
    for (const auto& [key, surface] : st_.sentence_initial) {
      if (st_.names_seen.contains(key)) emit("name:", key, surface);
    }
  }

 private:
  void emit(std::string_view prefix, std::string_view key, std::string_view surface) {
    st_.feature.assign(prefix);
    st_.feature.append(key);
    sink_(st_.feature, surface, nullptr);
  }

  // A number can be spread over segments: "30 000" is "30" then "000". A segment that
  // continues the number before joins it; otherwise that number is emitted and this one starts.
  void add_number(const analysis::Segment& seg, std::u16string_view word) {
    const bool continues = !number_.empty() && seg.begin == number_end_ + 1 && is_space16(doc_[number_end_]) &&
                           word.size() >= 3 && std::all_of(word.begin(), word.begin() + 3, [](char16_t c) { return u_isdigit(c) != 0; }) &&
                           (word.size() == 3 || word[3] == u'.' || word[3] == u',') &&
                           number_.find_first_of(u".,") == std::u16string::npos;
    if (continues) {
      // the group before must be 1-3 digits long for this to be a thousands space
      const std::size_t last_space = number_.find_last_of(u" \u00A0\u202F\u2009");
      const std::size_t group = last_space == std::u16string::npos ? number_.size() : number_.size() - last_space - 1;
      if (group <= 3) {
        number_.push_back(u' ');
        number_.append(word);
        number_end_ = seg.end;
        return;
      }
    }
    flush_number();
    number_.assign(word);
    number_end_ = seg.end;
  }

  void flush_number() {
    if (number_.empty()) return;
    const std::string key = normalize_number(number_);
    if (key.size() > 1) emit("num:", key, utf8_of(number_));  // single digits say nothing
    number_.clear();
  }

  // Which letter segments are written in capitals, to tell acronyms from
  // shouted headlines.
  void mark_all_caps() {
    st_.all_caps.assign(st_.segments.size(), false);
    for (std::size_t k = 0; k < st_.segments.size(); ++k) {
      const analysis::Segment& seg = st_.segments[k];
      std::size_t letters = 0;
      st_.all_caps[k] = seg.kind == analysis::SegmentKind::letter &&
                        casing_of(doc_.substr(seg.begin, seg.end - seg.begin), letters) == Casing::all_caps;
    }
  }

  bool neighbour_all_caps(std::size_t k) const {
    for (std::size_t p = k; p-- > 0;) {
      if (st_.segments[p].kind == analysis::SegmentKind::letter) {
        if (st_.all_caps[p]) return true;
        break;
      }
    }
    for (std::size_t n = k + 1; n < st_.segments.size(); ++n) {
      if (st_.segments[n].kind == analysis::SegmentKind::letter) return bool(st_.all_caps[n]);
    }
    return false;
  }

  void add_word(std::size_t k, const analysis::Segment& seg, std::u16string_view word) {
    bool elided_prefix = false;
    const std::u16string_view original_unelided = unelide(word, elided_prefix);
    const bool is_stop = stop_ != nullptr && (stop_->contains(lower_) || stop_->contains(unelided_lower_));
    original_.clear();
    append_utf16_as_utf8(original_unelided, original_);
    add_acronym_or_name(k, seg, original_unelided, is_stop, elided_prefix);
    if (is_stop || code_points(unelided_lower_) < options_.min_word_length) return;
    if (!options_.cognates && !options_.ngrams) return;
    CrossLanguageAnalyzer::State::WordFeatures& features = word_features();
    if (!features.cognate.empty()) sink_(features.cognate, unelided_lower_, &features.cognate_memo);
    std::size_t begin = 0;
    for (std::size_t g = 0; g < features.ngram_ends.size(); ++g) {
      const std::size_t end = features.ngram_ends[g];
      sink_(std::string_view(features.ngrams).substr(begin, end - begin), unelided_lower_, &features.ngram_memos[g]);
      begin = end;
    }
  }

  // The word without its elided article or possessive, in both cases: lower_ is the whole
  // word lowercased, unelided_lower_ what is left of it; returns what is left as written.
  std::u16string_view unelide(std::u16string_view word, bool& elided_prefix) {
    st_.lowered.clear();
    analysis::normalize(word, st_.lowered);
    lower_.clear();
    append_utf16_as_utf8(st_.lowered, lower_);
    const std::string_view unelided = elision_ ? analysis::strip_elision(lower_, language_) : std::string_view(lower_);
    std::u16string_view original_unelided = word;
    if (unelided.size() < lower_.size()) {
      if (unelided.data() != lower_.data()) {  // a prefix went: "l'otan"
        original_unelided = word.substr(word.find(u'\'') + 1);
        elided_prefix = true;
      } else {  // the possessive went: "nato's"
        original_unelided = word.substr(0, word.rfind(u'\''));
      }
    }
    unelided_lower_.assign(unelided);
    return original_unelided;
  }

  void add_acronym_or_name(std::size_t k, const analysis::Segment& seg, std::u16string_view original_unelided,
                           bool is_stop, bool elided_prefix) {
    std::size_t letters = 0;
    const Casing casing = casing_of(original_unelided, letters);
    // "WHO" and "IT" are stop words in lowercase only; in a shouted headline
    // ("LE PLAN DE PARIS") they are stop words again.
    const bool shouted = casing == Casing::all_caps && neighbour_all_caps(k);
    if (casing == Casing::all_caps && letters <= kMaxAcronymLetters) {
      if (options_.acronyms && !(is_stop && shouted)) emit("acro:", st_.fold(unelided_lower_), original_);
    } else if (casing != Casing::lower && options_.names && !is_stop && code_points(unelided_lower_) >= 2) {
      const std::string& key = st_.fold(unelided_lower_);
      if (!elided_prefix && at_sentence_start(doc_, seg.begin)) {
        st_.sentence_initial.emplace_back(key, original_);  // a name only if seen as one elsewhere
      } else {
        emit("name:", key, original_);
        st_.names_seen.insert(key);
      }
    }
  }

  // The features of the word being read, memoized per language and word.
  CrossLanguageAnalyzer::State::WordFeatures& word_features() {
    st_.feature.assign(language_);
    st_.feature.push_back('\0');
    st_.feature.append(unelided_lower_);
    auto it = st_.words.find(st_.feature);
    if (it != st_.words.end()) return it->second;
    // Dropped past the bound: the counter's memos go with them, and it looks the features up again.
    if (st_.words.size() >= kMaxMemoWords) st_.words.clear();
    CrossLanguageAnalyzer::State::WordFeatures features;
    if (options_.cognates) features.cognate = cognate_feature();
    if (options_.ngrams) add_ngrams(features);
    return st_.words.emplace(st_.feature, std::move(features)).first->second;
  }

  // The word's stem, folded (and cut to cognate_prefix code points): the same key for a
  // word and its cognates in other languages. Empty when the key is.
  std::string cognate_feature() {
    Stemmer* stemmer = st_.stemmer_for(language_);
    const std::string stem = stemmer ? std::string(stemmer->stem(unelided_lower_)) : unelided_lower_;
    std::string key = st_.fold(stem);
    if (options_.cognate_prefix > 0) key = std::string(prefix_of(key, options_.cognate_prefix));
    return key.empty() ? std::string() : "cog:" + key;
  }

  void add_ngrams(CrossLanguageAnalyzer::State::WordFeatures& features) {
    const std::string bounded = "<" + st_.fold(unelided_lower_) + ">";
    std::vector<std::size_t> starts;  // byte offset of each code point, and the end
    for (std::size_t i = 0; i < bounded.size(); ++i) {
      if ((static_cast<unsigned char>(bounded[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    starts.push_back(bounded.size());
    const std::size_t length = starts.size() - 1;
    for (std::size_t n = options_.ngram_min; n <= options_.ngram_max && n <= length; ++n) {
      for (std::size_t k = 0; k + n <= length; ++k) {
        features.ngrams.append("ng:");
        features.ngrams.append(std::string_view(bounded).substr(starts[k], starts[k + n] - starts[k]));
        features.ngram_ends.push_back(features.ngrams.size());
      }
    }
    features.ngram_memos.resize(features.ngram_ends.size());
  }

  const CrossLanguageOptions& options_;
  CrossLanguageAnalyzer::State& st_;
  const std::string language_;
  TermSurfaceSink sink_;
  const StopWordSet* stop_ = nullptr;
  bool elision_ = false;
  std::u16string_view doc_;
  std::u16string number_;  // the number being read
  std::size_t number_end_ = 0;
  std::string original_, lower_, unelided_lower_;  // the word being read
};

}  // namespace

CrossLanguageAnalyzer::CrossLanguageAnalyzer(CrossLanguageOptions options) : options_(std::move(options)) {
  options_.validate();
  if (options_.language != "auto") {
    const auto stemmers = stemmer_languages();
    const auto stop_lists = stop_word_languages();
    if (std::find(stemmers.begin(), stemmers.end(), options_.language) == stemmers.end() &&
        std::find(stop_lists.begin(), stop_lists.end(), options_.language) == stop_lists.end()) {
      throw std::invalid_argument("unknown language '" + options_.language +
                                  "': give an ISO 639-1 code with a stemmer or stop word list, or 'auto'");
    }
  }
  fold_prototype();  // fails here, not in a worker thread, if ICU lacks the rules
}

CrossLanguageAnalyzer::~CrossLanguageAnalyzer() = default;

std::unique_ptr<AnalyzerState> CrossLanguageAnalyzer::new_state() const { return std::make_unique<State>(); }

void CrossLanguageAnalyzer::analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const {
  analyze_document_in(text, "", state, sink);
}

void CrossLanguageAnalyzer::analyze_document_in(TextRef text, std::string_view language_hint,
                                                AnalyzerState& base_state, TermSurfaceSink sink) const {
  std::string language(language_hint);
  if (language.empty() || language == "auto") {
    language = options_.language != "auto" ? options_.language : std::string(detect_language(text));
  }
  FeaturePass(options_, static_cast<State&>(base_state), std::move(language), sink).run(text);
}

std::vector<std::pair<std::string, std::string>> CrossLanguageAnalyzer::features(TextRef text,
                                                                                 std::string_view language) const {
  State st;
  std::vector<std::pair<std::string, std::string>> out;
  analyze_document_in(text, language, st, [&](std::string_view feature, std::string_view surface, TermMemo*) {
    out.emplace_back(feature, surface);
  });
  return out;
}

}  // namespace themescope
