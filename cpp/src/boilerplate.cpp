#include "themescope/boilerplate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "themescope/parallel.hpp"
#include "themescope/unicode.hpp"

namespace themescope::boilerplate {

namespace {

using View = std::u32string_view;

// Paragraph classes, as in jusText; kEdge is the start or end of a document seen as a neighbour.
constexpr int kBad = 0, kShort = 1, kNearGood = 2, kGood = 3, kEdge = -1;
constexpr std::size_t kTeaserHead = 5;    // words a truncated teaser is matched on
constexpr std::size_t kTeaserCandidates = 64;

// --- Python's character classes (re's \w, \d, \s and str methods) ---
// Asked several times for every character: answered from one byte of flags per
// BMP character (64 KB, filled once from unicode.hpp), the rest asked directly.
enum : std::uint8_t {
  kSpaceFlag = 1,       // \s, str.isspace
  kWordFlag = 2,        // \w
  kAlnumFlag = 4,       // [^\W_]
  kWordStartFlag = 8,   // [^\W\d_]
  kAlphaFlag = 16,      // str.isalpha
  kUpperFlag = 32,      // str.isupper
  kLowerFlag = 64,      // str.islower
  kDigitFlag = 128,     // str.isdigit
};
std::uint8_t compute_flags(char32_t c) {
  const bool word = unicode::is_word_char(c);
  const bool alnum = word && c != U'_';
  return static_cast<std::uint8_t>((unicode::is_space_char(c) ? kSpaceFlag : 0) | (word ? kWordFlag : 0) |
                                   (alnum ? kAlnumFlag : 0) |
                                   (alnum && !unicode::is_decimal_char(c) ? kWordStartFlag : 0) |
                                   (unicode::is_alpha_char(c) ? kAlphaFlag : 0) |
                                   (unicode::is_upper_char(c) ? kUpperFlag : 0) |
                                   (unicode::is_lower_char(c) ? kLowerFlag : 0) |
                                   (unicode::is_digit_char(c) ? kDigitFlag : 0));
}
// Filled when the library loads (about a millisecond), so that lookups need no guard.
const std::uint8_t* const kBmpFlags = [] {
  auto* flags = new std::uint8_t[0x10000];  // never freed: used until exit
  for (char32_t c = 0; c < 0x10000; ++c) flags[c] = compute_flags(c);
  return flags;
}();
inline bool has(char32_t c, std::uint8_t flag) {
  return ((c < 0x10000 ? kBmpFlags[c] : compute_flags(c)) & flag) != 0;
}
bool is_space(char32_t c) { return has(c, kSpaceFlag); }
bool is_word(char32_t c) { return has(c, kWordFlag); }
bool is_alnum(char32_t c) { return has(c, kAlnumFlag); }
bool is_wordstart(char32_t c) { return has(c, kWordStartFlag); }
bool is_upper(char32_t c) { return has(c, kUpperFlag); }
bool is_lower(char32_t c) { return has(c, kLowerFlag); }
bool is_alpha(char32_t c) { return has(c, kAlphaFlag); }
bool is_digit(char32_t c) { return has(c, kDigitFlag); }

bool is_apostrophe_variant(char32_t c) { return c == 0x2019 || c == 0x2018 || c == 0x201B || c == 0x02BC; }
// What may follow the end of a sentence: closing quotes and brackets, a footnote star, spaces.
bool is_closer(char32_t c) {
  switch (c) {
    case U'"': case U'\'': case 0x00BB: case 0x201D: case 0x2019: case U')': case U']': case U'*':
    case U' ': case U'\t': case U'\r': case U'\f': case U'\v': case 0x00A0:
      return true;
    default:
      return false;
  }
}
bool is_ender(char32_t c) {
  return c == U'.' || c == U'!' || c == U'?' || c == 0x2026 || c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}
// Scripts written without spaces between words: one character is about half a word.
bool is_unspaced(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x0E00 && c <= 0x0E7F) || (c >= 0xF900 && c <= 0xFAFF);
}

std::u32string unify_apostrophes(View text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (is_apostrophe_variant(c)) c = U'\'';
  }
  return out;
}

View strip(View s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// text.rstrip(_CLOSERS)
View rstrip_closers(View s) {
  std::size_t e = s.size();
  while (e > 0 && is_closer(s[e - 1])) --e;
  return s.substr(0, e);
}

bool ends_sentence(View text) {
  const View tail = rstrip_closers(text);
  return !tail.empty() && is_ender(tail.back());
}

bool ends_with(View s, View suffix) { return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix; }

// --- links: _LINKS of the reference, chunk by chunk ---
// A match of _LINKS starts at a chunk start (after whitespace) and never crosses
// whitespace, so findall counts the chunks it matches at their start.

// ASCII letters under re.IGNORECASE: also U+017F (long s) for s, U+212A (Kelvin) for
// k, U+0130 and U+0131 (dotted capital, dotless small i) for i.
bool same_letter(char32_t c, char lower) {
  if (c < 0x80) return (c | 0x20) == static_cast<char32_t>(lower) && ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'));
  switch (lower) {
    case 's': return c == 0x017F;
    case 'k': return c == 0x212A;
    case 'i': return c == 0x0130 || c == 0x0131;
    default: return false;
  }
}
bool starts_with_ignorecase(View s, std::string_view ascii) {
  if (s.size() < ascii.size()) return false;
  for (std::size_t i = 0; i < ascii.size(); ++i) {
    const char a = ascii[i];
    if (a >= 'a' && a <= 'z') {
      if (!same_letter(s[i], a)) return false;
    } else if (s[i] != static_cast<char32_t>(static_cast<unsigned char>(a))) {
      return false;
    }
  }
  return true;
}

bool is_host_char(char32_t c) { return c == U'-' || is_word(c); }  // [\w-]

// (?:https?://|www\.)\S+
bool matches_url(View s) {
  for (std::string_view start : {"http://", "https://", "www."}) {
    if (starts_with_ignorecase(s, start) && s.size() > start.size()) return true;
  }
  return false;
}
// [^\s@]+@[\w-]+(?:\.[\w-]+)+
bool matches_email(View s) {
  const std::size_t at = s.find(U'@');
  if (at == View::npos || at == 0) return false;
  std::size_t i = at + 1;
  const std::size_t run = i;
  while (i < s.size() && is_host_char(s[i])) ++i;
  if (i == run) return false;
  return i + 1 < s.size() && s[i] == U'.' && is_host_char(s[i + 1]);
}
// [@#][^\W_]\S*
bool matches_handle(View s) { return s.size() >= 2 && (s[0] == U'@' || s[0] == U'#') && is_alnum(s[1]); }
// [\w-]+(?:\.[\w-]+)*\.(?:com|org|...)(?:/\S*)?(?!\w): a chain of dot-separated
// [\w-] segments, one of them after the first starting with a listed domain that
// no word character follows.
bool matches_host(View s) {
  static constexpr std::string_view kDomains[] = {"com", "org", "net", "fr", "be", "ch", "ca",
                                                  "uk",  "de",  "io",  "info"};
  std::size_t i = 0;
  while (i < s.size() && is_host_char(s[i])) ++i;
  if (i == 0) return false;
  while (i + 1 < s.size() && s[i] == U'.' && is_host_char(s[i + 1])) {
    const View rest = s.substr(i + 1);
    for (std::string_view domain : kDomains) {
      if (starts_with_ignorecase(rest, domain) && (rest.size() == domain.size() || !is_word(rest[domain.size()]))) {
        return true;
      }
    }
    ++i;
    while (i < s.size() && is_host_char(s[i])) ++i;
  }
  return false;
}
bool is_opening(char32_t c) {
  return c == U'(' || c == U'[' || c == U'<' || c == U'"' || c == U'\'' || c == 0x00AB || c == 0x201C;
}
bool matches_link(View chunk) {
  auto any = [](View s) { return matches_url(s) || matches_email(s) || matches_handle(s) || matches_host(s); };
  return (!chunk.empty() && is_opening(chunk[0]) && any(chunk.substr(1))) || any(chunk);
}

// --- _LABEL: ^\W*(?:[^\W\d_][\w'.-]*\s+){0,2}[^\W\d_][\w'.-]*\s*:\s*[^\s"'«“„‘‚‹] ---
bool is_label_word_char(char32_t c) { return c == U'\'' || c == U'.' || c == U'-' || is_word(c); }
bool is_quote_after_label(char32_t c) {
  return c == U'"' || c == U'\'' || c == 0x00AB || c == 0x201C || c == 0x201E || c == 0x2018 || c == 0x201A ||
         c == 0x2039;
}
bool matches_label(View s) {
  std::size_t i = 0;
  while (i < s.size() && !is_word(s[i])) ++i;
  for (int word = 0; word < 3; ++word) {
    if (i >= s.size() || !is_wordstart(s[i])) return false;
    ++i;
    while (i < s.size() && is_label_word_char(s[i])) ++i;
    const std::size_t after_word = i;
    while (i < s.size() && is_space(s[i])) ++i;
    if (i < s.size() && s[i] == U':') {
      ++i;
      while (i < s.size() && is_space(s[i])) ++i;
      return i < s.size() && !is_quote_after_label(s[i]);
    }
    if (i == after_word) return false;  // neither a colon nor another word
  }
  return false;
}

// --- words: _WORD = [^\W_]+(?:'[^\W_]+)* ---
template <class OnToken>
void for_each_token(View folded, OnToken&& on_token) {
  std::size_t i = 0;
  const std::size_t n = folded.size();
  while (i < n) {
    if (!is_alnum(folded[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < n && is_alnum(folded[i])) ++i;
    while (i + 1 < n && folded[i] == U'\'' && is_alnum(folded[i + 1])) {
      ++i;
      while (i < n && is_alnum(folded[i])) ++i;
    }
    on_token(folded.substr(start, i - start));
  }
}

// The longest stop word of any list, in UTF-8 bytes: longer words need no lookup.
std::size_t longest_stop_word() {
  static const std::size_t longest = [] {
    std::size_t n = 0;
    for (const std::string& language : stop_word_languages()) {
      for (const std::string& word : stop_words(language).words()) n = std::max(n, word.size());
    }
    return n;
  }();
  return longest;
}

bool is_stop(const StopWordSet& stops, View word, std::string& utf8) {
  if (word.size() > longest_stop_word()) return false;  // a code point is at least one byte
  utf8.clear();
  for (char32_t c : word) append_utf8(c, utf8);
  return stops.contains(utf8);
}

struct Capitals {
  double share = 0;   // of words starting with a capital
  bool shouting = false;
};
// Initials: _INITIAL = (?<![\w'])[^\W\d_]
Capitals capitals(View norm) {
  std::size_t initials = 0, upper_initials = 0, letters = 0, upper_letters = 0;
  for (std::size_t i = 0; i < norm.size(); ++i) {
    const char32_t c = norm[i];
    if (is_alpha(c)) {
      ++letters;
      upper_letters += is_upper(c);
    }
    if (is_wordstart(c) && (i == 0 || !(norm[i - 1] == U'\'' || is_word(norm[i - 1])))) {
      ++initials;
      upper_initials += is_upper(c);
    }
  }
  if (initials == 0) return {};
  return {static_cast<double>(upper_initials) / static_cast<double>(initials),
          initials >= 2 && static_cast<double>(upper_letters) >= 0.8 * static_cast<double>(letters)};
}

// `norm`: the paragraph with apostrophes unified; `folded`: its normalized form
// (normalize_paragraph), whose words are those of the casefolded paragraph since
// whitespace never is part of a word.
Shape shape_of(View norm, View folded, const StopWordSet* stops) {
  Shape shape;
  const bool unspaced = std::any_of(norm.begin(), norm.end(), is_unspaced);
  std::size_t tokens = 0, n_tokens = 0, n_stop = 0;  // n_tokens counts the parts of elided words
  double words = 0;
  std::string utf8;
  const bool apostrophes = folded.find(U'\'') != View::npos;
  for_each_token(folded, [&](View token) {
    ++tokens;
    ++n_tokens;
    if (unspaced) {
      const auto ideographs = static_cast<double>(std::count_if(token.begin(), token.end(), is_unspaced));
      words += std::max(1.0, ideographs / 2);
    }
    if (stops == nullptr) return;
    const bool stop = is_stop(*stops, token, utf8);
    n_stop += stop;
    if (apostrophes && !stop && token.find(U'\'') != View::npos) {
      // l'alliance: count its parts
      std::size_t begin = 0;
      while (true) {
        const std::size_t end = token.find(U'\'', begin);
        n_stop += is_stop(*stops, token.substr(begin, end == View::npos ? View::npos : end - begin), utf8);
        if (end == View::npos) break;
        ++n_tokens;
        begin = end + 1;
      }
    }
  });
  shape.words = unspaced ? words : static_cast<double>(tokens);
  if (stops != nullptr && tokens > 0) shape.density = static_cast<double>(n_stop) / static_cast<double>(n_tokens);
  const View tail = rstrip_closers(norm);
  shape.truncated = ends_with(tail, U"...") || ends_with(tail, U"\u2026");
  shape.sentence = !tail.empty() && is_ender(tail.back());
  std::size_t chunks = 0, links = 0;
  for (std::size_t i = 0; i < norm.size();) {
    if (is_space(norm[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < norm.size() && !is_space(norm[i])) ++i;
    ++chunks;
    links += matches_link(norm.substr(start, i - start));
  }
  shape.links = chunks ? std::min(static_cast<double>(links) / static_cast<double>(chunks), 1.0) : 0.0;
  return shape;
}

// _words_before_last_sentence_end: the words of the paragraph up to its last sentence end
// (an ender, closing quotes or brackets, then a space) that more text follows; 0 if none.
std::size_t words_before_last_sentence_end(View norm) {
  std::size_t cut = View::npos;
  for (std::size_t i = 0; i < norm.size(); ++i) {
    if (!is_ender(norm[i])) continue;
    std::size_t j = i + 1;
    while (j < norm.size() && is_closer(norm[j]) && !is_space(norm[j])) ++j;
    if (j < norm.size() && is_space(norm[j])) cut = i;
  }
  if (cut == View::npos) return 0;
  std::size_t words = 0;
  for_each_token(norm.substr(0, cut), [&](View) { ++words; });
  return words;
}

// A paragraph's context-free class (the reference's _classify).
struct Judgement {
  int cls = kBad;
  Reason reason = Reason::isolated;
  double words = 0;
  bool sentence = false;   // a whole sentence, not a teaser cut by "..."
  bool truncated = false;
  double density = 0;
};

Judgement classify(View text, View key, const StopWordSet* stops, const Params& p, bool first) {
  const std::u32string norm = unify_apostrophes(text);
  const Shape s = shape_of(norm, key, stops);
  Judgement j{kBad, Reason::isolated, s.words, false, s.truncated, s.density};
  const bool whole = s.sentence && !s.truncated;
  if (s.links > p.max_link_density) {
    j.reason = Reason::links;
    return j;
  }
  const Capitals caps = (s.words < p.length_high || stops == nullptr) ? capitals(norm) : Capitals{};
  if (s.words < p.length_high && (caps.shouting || (!first && !s.sentence && matches_label(norm)))) {
    j.reason = caps.shouting ? Reason::capitals : Reason::label;
    return j;
  }
  if (s.words < p.length_low) {
    j.cls = kShort;
    j.reason = Reason::short_run;
    j.sentence = whole;
    return j;
  }
  int cls;
  if (stops != nullptr) {
    if (s.density >= p.stopwords_high) {
      cls = s.words >= p.length_high ? kGood : kNearGood;
    } else if (s.density >= p.stopwords_low) {
      cls = s.words >= 2 * p.length_high ? kGood : kNearGood;
    } else if (s.sentence) {
      // a sentence heavy in names and numbers (a result, a line-up): its neighbours decide
      j.cls = kShort;
      j.reason = Reason::few_stop_words;
      j.sentence = whole;
      return j;
    } else if (static_cast<double>(words_before_last_sentence_end(norm)) >= p.length_low) {
      // whole sentences then a tail that is not one, as a caption and its credit ("..., a
      // déclaré Joe Biden à Vladimir Poutine. /Photo prise le 16 juin 2021/REUTERS"): its
      // sentences are text, which the neighbours decide on as for a sentence
      j.cls = kShort;
      j.reason = Reason::few_stop_words;
      j.sentence = true;
      return j;
    } else {
      j.reason = Reason::few_stop_words;
      return j;
    }
  } else {
    // no stop list for this language: prose is mostly lowercase words ending in sentences
    if (caps.share > 0.5 && !s.sentence) {
      j.reason = Reason::capitals;
      return j;
    }
    cls = s.words >= p.length_high ? kGood : kNearGood;
  }
  if (!s.sentence && s.words < 2 * p.length_high) {
    // not a sentence: needs its neighbours one step more, unless it is long prose
    j.cls = cls - 1;
    j.reason = j.cls == kShort ? Reason::short_run : Reason::isolated;
    return j;
  }
  j.cls = cls;
  j.reason = Reason::isolated;
  j.sentence = whole;
  return j;
}

bool looks_like_heading(View text) {
  for (char32_t c : text) {
    if (is_alpha(c)) return is_upper(c);
    if (is_digit(c)) return true;
  }
  return false;
}

// _CONTINUES.match(s): [^\W\d_]|[,.;:)\]»”’%]
bool may_continue(char32_t c) {
  switch (c) {
    case U',': case U'.': case U';': case U':': case U')': case U']': case 0x00BB: case 0x201D: case 0x2019:
    case U'%':
      return true;
    default:
      return is_wordstart(c);
  }
}

// The lines of a document: [begin, end) code point ranges split at '\n'.
std::vector<std::pair<std::size_t, std::size_t>> split_lines(View document) {
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = document.find(U'\n', begin);
    if (end == View::npos) {
      lines.emplace_back(begin, document.size());
      return lines;
    }
    lines.emplace_back(begin, end);
    begin = end + 1;
  }
}

Paragraphs paragraphs_of(View document, const std::vector<std::pair<std::size_t, std::size_t>>& raw) {
  Paragraphs out;
  std::vector<View> parts;
  auto flush = [&] {
    std::u32string text;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i) text.push_back(U' ');
      text += parts[i];
    }
    out.texts.push_back(std::move(text));
  };
  std::ptrdiff_t last = -2;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const View line = document.substr(raw[i].first, raw[i].second - raw[i].first);
    const View s = strip(line);
    if (s.empty()) continue;
    bool joins = false;
    if (!parts.empty() && !ends_sentence(parts.back())) {
      const auto at = static_cast<std::ptrdiff_t>(i);
      if (at == last + 1) {
        const View before = document.substr(raw[static_cast<std::size_t>(last)].first,
                                            raw[static_cast<std::size_t>(last)].second -
                                                raw[static_cast<std::size_t>(last)].first);
        std::size_t e = before.size();
        while (e > 0 && (before[e - 1] == U'\r' || before[e - 1] == U'\n')) --e;
        // cut inside a line of text, at a link
        const bool cut = e > 0 && is_space(before[e - 1]);
        joins = (may_continue(s[0]) && (is_lower(s[0]) || !is_alpha(s[0]))) || cut;
      } else if (at == last + 2) {
        joins = is_lower(s[0]);
      }
    }
    if (joins) {
      out.lines.back().push_back(i);
      parts.push_back(s);
    } else {
      if (!parts.empty()) flush();
      out.lines.push_back({i});
      parts.assign(1, s);
    }
    last = static_cast<std::ptrdiff_t>(i);
  }
  if (!parts.empty()) flush();
  return out;
}

// The first kTeaserHead words of a normalized paragraph (up to its 5th space).
View head_of(View key) {
  std::size_t spaces = 0;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == U' ' && ++spaces == kTeaserHead) return key.substr(0, i);
  }
  return key;
}

// _STRIP_ELLIPSIS = \s*(?:\.\.\.|…)["'»”’)\]\s]*$ removed from a normalized paragraph.
View strip_ellipsis(View key) {
  auto trailing = [](char32_t c) {
    return c == U'"' || c == U'\'' || c == 0x00BB || c == 0x201D || c == 0x2019 || c == U')' || c == U']' ||
           is_space(c);
  };
  std::size_t t = key.size();
  while (t > 0 && trailing(key[t - 1])) --t;
  std::size_t start;
  if (t >= 3 && key.substr(t - 3, 3) == U"...") {
    start = t - 3;
  } else if (t >= 1 && key[t - 1] == 0x2026) {
    start = t - 1;
  } else {
    return key;
  }
  while (start > 0 && is_space(key[start - 1])) --start;
  return key.substr(0, start);
}

bool contains_key(const StopWordSet* stops, View key) {
  if (stops == nullptr || stops->size() == 0) return false;
  std::string utf8;
  return is_stop(*stops, key, utf8);
}

}  // namespace

std::string_view reason_name(Reason reason) noexcept {
  static constexpr std::string_view kNames[kReasonCount] = {
      "repeated_in_document", "repeated_across_corpus", "short_run", "isolated",
      "few_stop_words",       "links",                  "capitals",  "label"};
  return kNames[static_cast<std::size_t>(reason)];
}

void Params::validate() const {
  auto check_fraction = [](const char* name, double v) {
    if (!(v >= 0 && v <= 1)) throw std::invalid_argument(std::string(name) + " must be in [0, 1], got " + std::to_string(v));
  };
  auto check_count = [](const char* name, double v) {
    if (!(v >= 0) || !std::isfinite(v)) {
      throw std::invalid_argument(std::string(name) + " must be a non-negative number, got " + std::to_string(v));
    }
  };
  check_count("length_low", length_low);
  check_count("length_high", length_high);
  check_fraction("stopwords_low", stopwords_low);
  check_fraction("stopwords_high", stopwords_high);
  check_fraction("max_link_density", max_link_density);
  check_fraction("max_removed_share", max_removed_share);
}

Shape paragraph_shape(std::u32string_view paragraph, const StopWordSet* stops) {
  return shape_of(unify_apostrophes(paragraph), normalize_paragraph(paragraph), stops);
}

Paragraphs split_paragraphs(std::u32string_view document) { return paragraphs_of(document, split_lines(document)); }

std::u32string normalize_paragraph(std::u32string_view paragraph) {
  // One pass: no case folding yields whitespace or an apostrophe variant.
  std::u32string out;
  out.reserve(paragraph.size());
  bool space = false;
  for (char32_t c : paragraph) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out.push_back(U' ');
      space = false;
    }
    if (c < 0x80) {
      out.push_back((c >= U'A' && c <= U'Z') ? c + 32 : c);
    } else if (is_apostrophe_variant(c)) {
      out.push_back(U'\'');
    } else {
      unicode::append_casefold(c, out);
    }
  }
  return out;
}

const StopWordSet* stop_words_for(std::string_view language) {
  static const std::vector<std::string> languages = stop_word_languages();
  if (!std::binary_search(languages.begin(), languages.end(), language)) return nullptr;
  return &stop_words(language);
}

namespace {

using LineRanges = std::vector<std::pair<std::size_t, std::size_t>>;

// Per paragraph: its class and why, what classify measured, and its normalized key.
// clean_document's steps refine cls and reason in place, in the reference's order.
struct ParagraphTable {
  std::vector<int> cls;
  std::vector<Reason> reason;
  std::vector<double> words, density;
  std::vector<char> sentence, truncated;
  std::vector<std::u32string> keys;
};

// Each paragraph's context-free class; a paragraph repeated word for word is judged once.
ParagraphTable judge_paragraphs(const std::vector<std::u32string>& items, const StopWordSet* stops,
                                const Params& p) {
  const std::size_t n = items.size();
  ParagraphTable t;
  auto& [cls, reason, words, density, sentence, truncated, keys] = t;
  cls.resize(n);
  reason.resize(n);
  words.resize(n);
  density.resize(n);
  sentence.resize(n);
  truncated.resize(n);
  keys.resize(n);
  absl::flat_hash_map<View, std::size_t, U32Hash, U32Eq> seen;
  for (std::size_t k = 0; k < n; ++k) {
    Judgement j;
    if (auto it = k > 0 ? seen.find(View(items[k])) : seen.end(); it != seen.end()) {
      const std::size_t m = it->second;
      keys[k] = keys[m];
      j = {cls[m], reason[m], words[m], sentence[m] != 0, truncated[m] != 0, density[m]};
    } else {
      keys[k] = normalize_paragraph(items[k]);
      j = classify(items[k], keys[k], stops, p, k == 0);
      if (k > 0) seen.emplace(View(items[k]), k);
    }
    cls[k] = j.cls;
    reason[k] = j.reason;
    words[k] = j.words;
    sentence[k] = j.sentence;
    truncated[k] = j.truncated;
    density[k] = j.density;
  }
  return t;
}

// Step 1: lines that recur across the corpus go; returns which did (they are not
// counted again as repeated within the document).
std::vector<char> drop_recurring(ParagraphTable& t, const LineSet& recurring) {
  const std::size_t n = t.cls.size();
  std::vector<char> across(n, 0);
  if (recurring.empty()) return across;
  for (std::size_t k = 0; k < n; ++k) {
    if (recurring.contains(t.keys[k])) {
      t.cls[k] = kBad;
      t.reason[k] = Reason::repeated_across_corpus;
      across[k] = 1;
    }
  }
  return across;
}

// The key each paragraph is grouped by when looking for repeats: its own, except that a
// truncated teaser takes the key of the longer paragraph it starts.
std::vector<View> repeat_keys(const ParagraphTable& t) {
  const auto& words = t.words;
  const auto& truncated = t.truncated;
  const auto& keys = t.keys;
  const std::size_t n = keys.size();
  std::vector<View> group(keys.begin(), keys.end());
  absl::flat_hash_map<View, std::vector<std::size_t>, U32Hash, U32Eq> heads;
  for (std::size_t k = 0; k < n; ++k) {
    if (words[k] >= kTeaserHead) heads[head_of(keys[k])].push_back(k);
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (!(truncated[k] && words[k] >= kTeaserHead)) continue;
    const View prefix = strip_ellipsis(keys[k]);
    const auto it = heads.find(head_of(keys[k]));
    if (it == heads.end()) continue;
    const auto& candidates = it->second;
    for (std::size_t c = 0; c < std::min(candidates.size(), kTeaserCandidates); ++c) {
      const std::size_t j = candidates[c];
      if (j != k && keys[j].size() > prefix.size() && View(keys[j]).starts_with(prefix)) {
        group[k] = keys[j];
        break;
      }
    }
  }
  return group;
}

// The paragraphs of each repeat group, groups in order of first occurrence. A lone stop
// word ("and", "de") repeated says nothing, and corpus-wide repeats are settled already.
std::vector<std::vector<std::size_t>> occurrences_of(const ParagraphTable& t, const std::vector<View>& group,
                                                     const std::vector<char>& across, const StopWordSet* stops) {
  absl::flat_hash_map<View, std::size_t, U32Hash, U32Eq> group_index;
  std::vector<std::vector<std::size_t>> occurrences;
  for (std::size_t k = 0; k < group.size(); ++k) {
    const bool eligible = t.words[k] >= 2 || (t.words[k] >= 1 && !contains_key(stops, t.keys[k]));
    if (!eligible || across[k]) continue;
    const auto [it, added] = group_index.emplace(group[k], occurrences.size());
    if (added) occurrences.emplace_back();
    occurrences[it->second].push_back(k);
  }
  return occurrences;
}

// Step 2: paragraphs repeated within the document go. Runs of consecutive repeated
// paragraphs: a block looks like body text when most of it does; then its first
// occurrence stays (a paragraph pasted twice), else all go (a widget). `shape` is each
// paragraph's class before any repetition was looked at.
void drop_repeated(ParagraphTable& t, const std::vector<int>& shape, const std::vector<char>& across,
                   const StopWordSet* stops) {
  const std::size_t n = t.cls.size();
  const auto occurrences = occurrences_of(t, repeat_keys(t), across, stops);
  std::vector<char> repeated(n, 0);
  bool any_repeated = false;
  for (const auto& occ : occurrences) {
    if (occ.size() < 2) continue;
    any_repeated = true;
    for (std::size_t k : occ) repeated[k] = 1;
  }
  if (!any_repeated) return;
  std::vector<std::size_t> run_id(n, 0);
  std::vector<std::pair<std::size_t, std::size_t>> run_body;  // (body-like paragraphs, paragraphs)
  for (std::size_t k = 0; k < n; ++k) {
    if (!repeated[k]) continue;
    if (k == 0 || !repeated[k - 1]) run_body.emplace_back(0, 0);
    run_body.back().first += shape[k] >= kNearGood;
    run_body.back().second += 1;
    run_id[k] = run_body.size() - 1;
  }
  for (const auto& occ : occurrences) {
    if (occ.size() < 2) continue;
    const std::size_t first = occ[0];
    const auto [body, total] = run_body[run_id[first]];
    const bool keep_first = first == 0 || (shape[first] >= kNearGood && !t.truncated[first] && 2 * body > total);
    for (std::size_t i = keep_first ? 1 : 0; i < occ.size(); ++i) {
      t.cls[occ[i]] = kBad;
      t.reason[occ[i]] = Reason::repeated_in_document;
    }
  }
}

// Step 3, context: near-good paragraphs look past short and near-good ones for a good or a
// long bad one; a document without good paragraphs has its prose judged by itself.
// Returns what the document's edges count as for the steps after.
int resolve_near_good(ParagraphTable& t, const StopWordSet* stops, const Params& p) {
  auto& cls = t.cls;
  const std::size_t n = cls.size();
  auto has_good = [&] { return std::find(cls.begin(), cls.end(), kGood) != cls.end(); };
  if (!has_good()) {
    for (std::size_t k = 0; k < n; ++k) {
      if (cls[k] == kNearGood && t.sentence[k] && (stops == nullptr || t.density[k] >= p.stopwords_high)) {
        cls[k] = kGood;
      }
    }
  }
  const int edge = has_good() ? kEdge : kGood;
  std::vector<char> decisive(n);
  for (std::size_t k = 0; k < n; ++k) decisive[k] = cls[k] == kGood || (cls[k] == kBad && t.words[k] >= p.length_low);
  auto neighbour = [&](std::size_t k, int step) {
    auto i = static_cast<std::ptrdiff_t>(k) + step;
    while (i >= 0 && i < static_cast<std::ptrdiff_t>(n)) {
      if (decisive[static_cast<std::size_t>(i)]) return cls[static_cast<std::size_t>(i)];
      i += step;
    }
    return edge;
  };
  std::vector<int> resolved = cls;
  for (std::size_t k = 0; k < n; ++k) {
    if (cls[k] != kNearGood) continue;
    const bool chained = (k > 0 && cls[k - 1] == kNearGood) || (k + 1 < n && cls[k + 1] == kNearGood);
    resolved[k] = (neighbour(k, -1) == kGood || neighbour(k, 1) == kGood || chained) ? kGood : kBad;
  }
  cls = std::move(resolved);
  return edge;
}

// Which of the short paragraphs [start, end) stay, given the classes before and after the run.
void keep_in_short_run(const ParagraphTable& t, const std::vector<std::u32string>& items, std::size_t start,
                       std::size_t end, int before, int after, const Params& p, std::vector<char>& keep) {
  const auto& words = t.words;
  const auto& sentence = t.sentence;
  keep.assign(end - start, 0);
  if (before == kGood && after == kGood && end - start <= p.max_short_run) {
    // a few short lines inside the article; lone words (share buttons, a credit) are not
    for (std::size_t j = start; j < end; ++j) keep[j - start] = words[j] >= 2 || sentence[j];
    return;
  }
  std::size_t budget = p.max_short_run;
  if (before == kGood) {
    for (std::size_t j = start; j < end && budget > 0 && sentence[j]; ++j) {
      keep[j - start] = 1;
      --budget;
    }
  }
  if (after == kGood) {
    auto j = static_cast<std::ptrdiff_t>(end) - 1;
    const auto s = static_cast<std::ptrdiff_t>(start);
    while (j >= s && budget > 0 && sentence[static_cast<std::size_t>(j)] && !keep[static_cast<std::size_t>(j - s)]) {
      keep[static_cast<std::size_t>(j - s)] = 1;
      --budget;
      --j;
    }
    if (j >= s && budget > 0 && !keep[static_cast<std::size_t>(j - s)] && words[static_cast<std::size_t>(j)] >= 2 &&
        looks_like_heading(items[static_cast<std::size_t>(j)])) {
      keep[static_cast<std::size_t>(j - s)] = 1;
    }
  }
}

// Step 4: each run of short paragraphs is settled, good or bad, by what surrounds it.
void settle_short_runs(ParagraphTable& t, const std::vector<std::u32string>& items, int edge, const Params& p) {
  auto& cls = t.cls;
  const std::size_t n = cls.size();
  std::size_t k = 0;
  std::vector<char> keep;
  while (k < n) {
    if (cls[k] != kShort) {
      ++k;
      continue;
    }
    const std::size_t start = k;
    while (k < n && cls[k] == kShort) ++k;
    const std::size_t end = k;
    const int before = start > 0 ? cls[start - 1] : edge;
    const int after = end < n ? cls[end] : edge;
    keep_in_short_run(t, items, start, end, before, after, p, keep);
    for (std::size_t j = start; j < end; ++j) cls[j] = keep[j - start] ? kGood : kBad;
  }
}

// Step 5, the title: a short first paragraph that looks like a heading stays when good text
// starts within max_heading_distance code points after it, unless a heading was kept right
// before the text. `context` is each class before the short runs were settled.
void keep_title(ParagraphTable& t, const std::vector<int>& context, const std::vector<std::u32string>& items,
                const Params& p) {
  auto& cls = t.cls;
  if (!(context[0] == kShort && cls[0] != kGood && t.words[0] >= 2 && looks_like_heading(items[0]))) return;
  std::size_t distance = 0;
  for (std::size_t j = 1; j < cls.size(); ++j) {
    if (cls[j] == kGood) {
      if (context[j] != kShort) cls[0] = kGood;
      break;
    }
    distance += items[j].size();
    if (distance > p.max_heading_distance) break;
  }
}

// Laid out in wrapped lines, not like a scraped page (most words on short lines, some paragraph
// on several lines) and about to lose more than a small share of its words: this cleaning was
// not made for it, the document stays whole. Returns the words removal would take then.
std::optional<std::size_t> words_spared_in_wrapped_text(View document, const LineRanges& raw,
                                         const std::vector<std::vector<std::size_t>>& where,
                                         const std::vector<RemovedLine>& removed, const Params& p) {
  std::vector<std::size_t> line_words(raw.size());
  std::size_t total = 0, on_long_lines = 0, removed_words = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    for_each_token(document.substr(raw[i].first, raw[i].second - raw[i].first), [&](View) { ++line_words[i]; });
    total += line_words[i];
    if (raw[i].second - raw[i].first > kLongLine) on_long_lines += line_words[i];
  }
  for (const RemovedLine& line : removed) removed_words += line_words[line.line];
  const bool wrapped = 2 * on_long_lines < total &&
                       std::any_of(where.begin(), where.end(), [](const auto& lines) { return lines.size() > 1; });
  if (wrapped && static_cast<double>(removed_words) > p.max_removed_share * static_cast<double>(total)) {
    return removed_words;
  }
  return std::nullopt;
}

// The kept paragraphs' lines as written, with the blank lines between kept paragraphs
// (and before the first one when it opens the document, and after the last one when it
// closes it).
std::u32string kept_text(View document, const LineRanges& raw, const std::vector<std::vector<std::size_t>>& where,
                         const std::vector<int>& cls) {
  const std::size_t n = cls.size();
  std::u32string out;
  bool kept_any = false, first_line = true;
  auto emit = [&](std::size_t from, std::size_t to) {  // raw lines [from, to)
    for (std::size_t i = from; i < to; ++i) {
      if (!first_line) out.push_back(U'\n');
      out += document.substr(raw[i].first, raw[i].second - raw[i].first);
      first_line = false;
    }
  };
  std::size_t next_line = 0;  // the line after the last line of the previous paragraph
  for (std::size_t q = 0; q < n; ++q) {
    const std::size_t first = where[q].front(), last = where[q].back();
    if (cls[q] == kGood) {
      if (kept_any || q == 0) emit(next_line, first);  // the blank lines before it
      emit(first, last + 1);
      kept_any = true;
    }
    next_line = last + 1;
  }
  if (cls[n - 1] == kGood) emit(where[n - 1].back() + 1, raw.size());
  return out;
}

}  // namespace

CleanedDocument clean_document(std::u32string_view document, const StopWordSet* stops, const LineSet& recurring,
                               const Params& p) {
  CleanedDocument result;
  const LineRanges raw = split_lines(document);
  const Paragraphs paragraphs = paragraphs_of(document, raw);
  const auto& where = paragraphs.lines;
  const auto& items = paragraphs.texts;
  if (items.empty()) return result;

  ParagraphTable t = judge_paragraphs(items, stops, p);
  const std::vector<int> shape = t.cls;  // before repetition and context
  const std::vector<char> across = drop_recurring(t, recurring);
  drop_repeated(t, shape, across, stops);
  const int edge = resolve_near_good(t, stops, p);
  const std::vector<int> context = t.cls;  // before the short runs are settled
  settle_short_runs(t, items, edge, p);
  keep_title(t, context, items, p);

  for (std::size_t q = 0; q < items.size(); ++q) {
    if (t.cls[q] == kGood) continue;
    for (std::size_t line : where[q]) result.removed.push_back({line, raw[line].first, raw[line].second, t.reason[q]});
  }
  if (result.removed.empty()) return result;
  if (const auto spared = words_spared_in_wrapped_text(document, raw, where, result.removed, p)) {
    result.removed.clear();
    result.spared_words = *spared;
    return result;
  }
  result.changed = true;
  result.text = kept_text(document, raw, where, t.cls);
  return result;
}

namespace {

// Documents are decoded to code points a batch at a time, each by the thread that cleans it.
constexpr std::size_t kDocumentsPerTask = 16;

// work(i, text) for each document i (only those with (*only)[i] set, when given).
template <class Work>
void for_each_document(std::span<const TextRef> documents, Work&& work, const std::vector<char>* only = nullptr) {
  const std::size_t tasks = (documents.size() + kDocumentsPerTask - 1) / kDocumentsPerTask;
  parallel_for(tasks, [&](std::size_t task) {
    const std::size_t end = std::min(documents.size(), (task + 1) * kDocumentsPerTask);
    for (std::size_t i = task * kDocumentsPerTask; i < end; ++i) {
      if (only != nullptr && !(*only)[i]) continue;
      std::u32string text;
      try {
        text = to_utf32(documents[i]);
      } catch (const InvalidUtf8Error& e) {
        throw InvalidUtf8Error(e.byte_offset(), "document " + std::to_string(i) + ": " + e.what());
      }
      work(i, std::u32string_view(text));
    }
  });
}

}  // namespace

std::vector<CleanedDocument> clean_documents(std::span<const TextRef> documents,
                                             std::span<const std::string_view> languages, const LineSet& recurring,
                                             const Params& params) {
  params.validate();
  if (languages.size() != documents.size()) {
    throw std::invalid_argument("languages has " + std::to_string(languages.size()) + " codes for " +
                                std::to_string(documents.size()) + " documents");
  }
  std::vector<CleanedDocument> out(documents.size());
  for_each_document(documents, [&](std::size_t i, std::u32string_view text) {
    out[i] = clean_document(text, stop_words_for(languages[i]), recurring, params);
  });
  return out;
}

std::vector<std::u32string> recurring_lines(std::span<const TextRef> documents, std::size_t min_documents) {
  // Counting the paragraphs themselves would hold the normalized text of the whole
  // corpus at once (4 bytes a character). They are counted by hash first, then the
  // few whose hash reaches min_documents are counted exactly: a hash count is never
  // below the exact count, so no recurring line is missed.
  const std::size_t n = documents.size();
  std::vector<std::vector<std::size_t>> key_hashes(n);
  std::vector<std::size_t> document_hashes(n);
  for_each_document(documents, [&](std::size_t i, std::u32string_view text) {
    document_hashes[i] = U32Hash{}(text);
    auto& mine = key_hashes[i];
    for (const auto& paragraph : split_paragraphs(text).texts) mine.push_back(U32Hash{}(normalize_paragraph(paragraph)));
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  });
  // A document given twice counts once: same hash, then same code points.
  std::vector<char> distinct(n, 1);
  absl::flat_hash_map<std::size_t, std::vector<std::size_t>> by_hash;
  for (std::size_t i = 0; i < n; ++i) {
    auto& same = by_hash[document_hashes[i]];
    if (!same.empty()) {
      const std::u32string text = to_utf32(documents[i]);
      for (std::size_t j : same) {
        if (to_utf32(documents[j]) == text) {
          distinct[i] = 0;
          break;
        }
      }
    }
    if (distinct[i]) same.push_back(i);
  }
  absl::flat_hash_map<std::size_t, std::size_t> hash_counts;
  for (std::size_t i = 0; i < n; ++i) {
    if (!distinct[i]) continue;
    for (std::size_t h : key_hashes[i]) ++hash_counts[h];
  }
  absl::flat_hash_set<std::size_t> candidates;
  for (const auto& [h, count] : hash_counts) {
    if (count >= min_documents) candidates.insert(h);
  }
  if (candidates.empty()) return {};
  // Only the documents that have a candidate are read again.
  for (std::size_t i = 0; i < n; ++i) {
    if (distinct[i]) {
      distinct[i] = std::any_of(key_hashes[i].begin(), key_hashes[i].end(),
                                [&](std::size_t h) { return candidates.contains(h); });
    }
  }
  key_hashes = {};
  std::vector<std::vector<std::u32string>> found(n);
  for_each_document(documents, [&](std::size_t i, std::u32string_view text) {
    auto& mine = found[i];
    for (const auto& paragraph : split_paragraphs(text).texts) {
      std::u32string key = normalize_paragraph(paragraph);
      if (candidates.contains(U32Hash{}(key))) mine.push_back(std::move(key));
    }
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  }, &distinct);
  absl::flat_hash_map<View, std::size_t, U32Hash, U32Eq> counts;
  for (const auto& keys : found) {
    for (const auto& key : keys) ++counts[View(key)];
  }
  std::vector<std::u32string> out;
  for (const auto& [key, count] : counts) {
    if (count >= min_documents) out.emplace_back(key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace themescope::boilerplate
