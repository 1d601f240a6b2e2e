#include "themescope/multilingual.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/container/node_hash_map.h>
#include <absl/strings/string_view.h>
#include <unicode/uchar.h>

#include "themescope/analysis.hpp"
#include "themescope/language.hpp"
#include "themescope/parallel.hpp"
#include "themescope/stemmer.hpp"
#include "themescope/stop_words.hpp"
#include "themescope/text.hpp"
#include "themescope/token_cache.hpp"
#include "themescope/unicode.hpp"
#include "themescope/word_scanner.hpp"

namespace themescope {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void push_utf16(char32_t c, std::u16string& out) {
  if (c < 0x10000) {
    out.push_back(static_cast<char16_t>(c));  // lone surrogates stay as they are
  } else {
    out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
    out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
  }
}

// Code units [begin, end) of a document as UTF-16, ICU's working form, into
// `buffer` (UCS-2 storage is used in place). UTF-8 must have been validated, and
// the range must start and end on character boundaries.
std::u16string_view to_utf16(TextRef text, std::size_t begin, std::size_t end, std::u16string& buffer) {
  switch (text.encoding) {
    case TextEncoding::ucs2:
      return {static_cast<const char16_t*>(text.data) + begin, end - begin};
    case TextEncoding::latin1: {
      const auto* p = static_cast<const std::uint8_t*>(text.data);
      buffer.assign(p + begin, p + end);
      return buffer;
    }
    case TextEncoding::ucs4: {
      const auto* p = static_cast<const char32_t*>(text.data);
      buffer.clear();
      for (std::size_t i = begin; i < end; ++i) push_utf16(p[i], buffer);
      return buffer;
    }
    case TextEncoding::utf8: {
      const auto* b = static_cast<const unsigned char*>(text.data);
      buffer.clear();
      for (std::size_t i = begin; i < end;) {
        const unsigned char c = b[i];
        if (c < 0x80) {
          buffer.push_back(c);
          i += 1;
        } else if (c < 0xE0) {
          push_utf16(((c & 0x1Fu) << 6) | (b[i + 1] & 0x3Fu), buffer);
          i += 2;
        } else if (c < 0xF0) {
          push_utf16(((c & 0x0Fu) << 12) | ((b[i + 1] & 0x3Fu) << 6) | (b[i + 2] & 0x3Fu), buffer);
          i += 3;
        } else {
          push_utf16(((c & 0x07u) << 18) | ((b[i + 1] & 0x3Fu) << 12) | ((b[i + 2] & 0x3Fu) << 6) | (b[i + 3] & 0x3Fu),
                     buffer);
          i += 4;
        }
      }
      return buffer;
    }
  }
  return {};
}

// UTF-16 to UTF-8; a lone surrogate is written as its 3-byte form, as Python's
// "surrogatepass" does, so nothing is lost.
void append_utf16_as_utf8(std::u16string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    }
    append_utf8(c, out);
  }
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char b : utf8) n += (static_cast<unsigned char>(b) & 0xC0) != 0x80;
  return n;
}

const char* kind_name(analysis::SegmentKind kind) {
  switch (kind) {
    case analysis::SegmentKind::number:
      return "number";
    case analysis::SegmentKind::letter:
      return "letter";
    case analysis::SegmentKind::kana:
      return "kana";
    case analysis::SegmentKind::ideographic:
      return "ideographic";
  }
  return "letter";
}

bool is_hyphen(char32_t c) { return c == U'-' || c == 0x2010 || c == 0x2011; }

bool is_apostrophe(char32_t c) { return c == U'\'' || c == 0x2019 || c == 0x02BC || c == 0xFF07; }

// What the characters between two kept words make of their link (enum Link):
// one hyphen and nothing else joins a compound; white space with at most one
// line break joins words of a phrase; anything else (punctuation, a blank line)
// is a boundary no phrase crosses.
class GapReader {
 public:
  void add(char32_t c) noexcept {
    if (is_hyphen(c)) {
      ++hyphens_;
    } else if (c == U'\n') {
      ++line_breaks_;
    } else if (c == U' ' || c == U'\t' || c == U'\r' || c == 0xA0 || c == 0x202F || c == 0x2009 || c == 0x2007) {
      ++spaces_;
    } else {
      other_ = true;
    }
  }
  Link link() const noexcept {
    if (other_) return Link::none;
    if (hyphens_ == 1 && spaces_ == 0 && line_breaks_ == 0) return Link::hyphen;
    if (hyphens_ == 0 && line_breaks_ <= 1 && spaces_ + line_breaks_ > 0) return Link::space;
    return Link::none;
  }

 private:
  std::size_t hyphens_ = 0;
  std::size_t spaces_ = 0;
  std::size_t line_breaks_ = 0;
  bool other_ = false;
};

char32_t first_code_point(std::string_view utf8) {
  if (utf8.empty()) return 0;
  const auto* b = reinterpret_cast<const unsigned char*>(utf8.data());
  if (b[0] < 0x80) return b[0];
  if (b[0] < 0xE0 && utf8.size() >= 2) return ((b[0] & 0x1Fu) << 6) | (b[1] & 0x3Fu);
  if (b[0] < 0xF0 && utf8.size() >= 3) return ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu);
  if (utf8.size() >= 4) return ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
  return 0;
}

bool is_capitalized(std::string_view written) {
  const auto c = static_cast<UChar32>(first_code_point(written));
  return u_isupper(c) || u_istitle(c);
}

// The key of a pair of terms in PhraseTable (a term holds no tab).
void pair_key(std::string_view first, std::string_view second, std::string& key) {
  key.assign(first);
  key.push_back('\t');
  key.append(second);
}

}  // namespace

PhraseTable::PhraseTable(const std::vector<std::pair<std::string, std::string>>& pairs,
                         const std::map<std::pair<std::string, std::string>, std::string>& terms)
    : list_(pairs) {
  for (const auto& [first, second] : list_) {
    for (const std::string* term : {&first, &second}) {
      if (term->empty() || term->find_first_of(" \t\n\r") != std::string::npos) {
        throw std::invalid_argument("a phrase's terms must be single non-empty terms without white space, got '" +
                                    first + "' + '" + second + "'");
      }
    }
  }
  std::sort(list_.begin(), list_.end());
  list_.erase(std::unique(list_.begin(), list_.end()), list_.end());
  std::string key;
  for (const auto& [first, second] : list_) {
    pair_key(first, second, key);
    pairs_.insert(key);
    firsts_.insert(first);
  }
  for (const auto& [pair, term] : terms) {
    pair_key(pair.first, pair.second, key);
    if (!pairs_.contains(key) || term.empty()) {
      throw std::invalid_argument("a phrase's own term must be non-empty and given to a pair of the table, got '" +
                                  pair.first + "' + '" + pair.second + "' -> '" + term + "'");
    }
    terms_.emplace(key, term);
  }
}

const std::string* PhraseTable::own_term(std::string_view first, std::string_view second) const {
  if (terms_.empty()) return nullptr;
  thread_local std::string key;
  pair_key(first, second, key);
  const auto found = terms_.find(key);
  return found == terms_.end() ? nullptr : &found->second;
}

bool PhraseTable::starts(std::string_view first) const {
  return firsts_.contains(absl::string_view(first.data(), first.size()));
}

bool PhraseTable::contains(std::string_view first, std::string_view second) const {
  thread_local std::string key;
  pair_key(first, second, key);
  return pairs_.contains(key);
}

void PhraseOptions::validate() const {
  if (min_count < 1) throw std::invalid_argument("phrase min_count must be >= 1, got 0");
  if (min_documents < 1) throw std::invalid_argument("phrase min_documents must be >= 1, got 0");
  if (name_min_documents < 1) throw std::invalid_argument("phrase name_min_documents must be >= 1, got 0");
  for (const auto& [name, value] : {std::pair<const char*, double>{"threshold", threshold},
                                    std::pair<const char*, double>{"name_threshold", name_threshold}}) {
    if (!(value >= -1.0 && value <= 1.0)) {
      throw std::invalid_argument(std::string("phrase ") + name + " must be an NPMI in [-1, 1], got " +
                                  std::to_string(value));
    }
  }
}

void MultilingualOptions::validate() const {
  if (ngram_min < 1) throw std::invalid_argument("ngram_range must start at 1 or more, got " + std::to_string(ngram_min));
  if (ngram_min > ngram_max) {
    throw std::invalid_argument("ngram_range (" + std::to_string(ngram_min) + ", " + std::to_string(ngram_max) +
                                "): lower boundary larger than the upper boundary");
  }
  if (min_token_length < 1) throw std::invalid_argument("min_token_len must be >= 1, got 0");
  if (headline_weight < 1) throw std::invalid_argument("headline_weight must be >= 1, got 0");
  if (language == "auto") return;
  const auto stemmers = stemmer_languages();
  const auto stop_lists = stop_word_languages();
  // A code the analyzer knows nothing about is a mistake even when no resource
  // is asked for (stem=False, stop_words=None): say so instead of analyzing
  // with no language rules at all.
  if (!contains(stemmers, language) && !contains(stop_lists, language) && !analysis::has_elision(language)) {
    std::vector<std::string> known = stemmers;
    for (const auto& code : stop_lists) {
      if (!contains(known, code)) known.push_back(code);
    }
    std::sort(known.begin(), known.end());
    throw std::invalid_argument("unknown language '" + language + "'; supported: " + joined(known) + " (or 'auto')");
  }
  // A fixed language must have every resource the options ask for.
  if (stem && !contains(stemmers, language)) {
    throw std::invalid_argument("language '" + language + "' has no stemmer; supported: " + joined(stemmers) +
                                " (or 'auto', or stem=False)");
  }
  if (stop_words == StopWordsSource::language && !contains(stop_lists, language)) {
    throw std::invalid_argument("language '" + language + "' has no stop word list; supported: " +
                                joined(stop_lists) + " (or 'auto', or stop_words=None)");
  }
}

struct MultilingualAnalyzer::CustomStopWords {
  absl::flat_hash_set<std::string> words;
};

// Per language a document may be in: its resources, and what each distinct token
// becomes, so that normalization (of the fast path's raw tokens), elision, stop
// words and stemming run once per distinct token, not per occurrence.
struct LanguageResources {
  std::string language;
  const StopWordSet* stop = nullptr;
  std::optional<Stemmer> stemmer;
  bool elision = false;
  std::string folded;  // the last term with its accents folded (fold_accents)
  std::u32string decomposed;
  // Raw tokens of the fast path (word_scanner.hpp), keyed by their code units
  // (those of U+0000..U+00FF only and of up to 64 units, by their Latin-1 bytes
  // whatever the storage);
  // the hash seed is the encoding of the key, so that equal bytes in different
  // encodings are different keys.
  TokenCache raw_tokens;
  // Normalized UTF-8 tokens of the ICU path.
  TokenCache normalized_tokens;
};

namespace {

constexpr std::uint64_t kNormalizedSeed = 0x100;  // not an encoding's seed

std::uint64_t seed_of(TextEncoding encoding) { return static_cast<std::uint64_t>(encoding); }

// What the filters and the stemmer make of one normalized segment.
struct Decision {
  std::string_view unelided;    // a view into the segment
  std::string_view term;        // empty when dropped; a view into the segment or the stemmer
  std::string_view dropped_by;  // "", "length" or "stop_words"
};

}  // namespace

struct MultilingualAnalyzer::State final : AnalyzerState {
  analysis::WordSegmenter segmenter;
  std::u16string utf16;
  std::u16string normalized;
  std::vector<analysis::Segment> segments;
  std::string token;
  char narrow_key[64];  // a raw token of wide storage as Latin-1 (see analyze_document)
  absl::flat_hash_map<std::string, std::unique_ptr<LanguageResources>> languages;
  // n-gram window over the surviving tokens of the current document
  std::vector<std::string> window_terms;
  std::vector<std::string> window_surfaces;
  std::string gram_term;
  std::string gram_surface;
  // the phrase stage: the word as written, and the phrase being emitted
  std::string written;
  std::string phrase_term;
  std::string phrase_surface;
  // a raw token's display surface, case kept, while its cache entry is made
  std::string cased;
};

MultilingualAnalyzer::MultilingualAnalyzer(MultilingualOptions options) : options_(std::move(options)) {
  options_.validate();
  if (options_.stop_words == StopWordsSource::custom) {
    auto custom = std::make_shared<CustomStopWords>();
    for (const auto& w : options_.custom_stop_words) custom->words.insert(normalize_stop_word(w));
    custom_stop_words_ = std::move(custom);
  }
}

MultilingualAnalyzer::~MultilingualAnalyzer() = default;

std::unique_ptr<AnalyzerState> MultilingualAnalyzer::new_state() const { return std::make_unique<State>(); }

std::string MultilingualAnalyzer::language_of(TextRef text, std::string_view known) const {
  if (options_.language != "auto") return options_.language;
  if (!known.empty()) return std::string(known);
  return std::string(detect_language(text, kAnalyzerLanguageSample));
}

namespace {

LanguageResources& resources_for(absl::flat_hash_map<std::string, std::unique_ptr<LanguageResources>>& languages,
                                 const std::string& language, const MultilingualOptions& o) {
  auto& slot = languages[language];
  if (!slot) {
    slot = std::make_unique<LanguageResources>();
    slot->language = language;
    const auto stop_lists = stop_word_languages();
    if (o.stop_words == StopWordsSource::language && contains(stop_lists, language)) slot->stop = &stop_words(language);
    if (o.stem && contains(stemmer_languages(), language)) slot->stemmer.emplace(language);
    slot->elision = o.elision && analysis::has_elision(language);
  }
  return *slot;
}

// Stop words are looked up as written (the segment: "let's" is on the English
// list) and after elision ("l'un" -> "un"): either one drops the token.
bool is_stop_word(const LanguageResources& lang, const absl::flat_hash_set<std::string>* custom,
                  std::string_view segment, std::string_view unelided) {
  for (const std::string_view word : {segment, unelided}) {
    if (lang.stop && lang.stop->contains(word)) return true;
    if (custom && custom->contains(absl::string_view(word.data(), word.size()))) return true;
  }
  return false;
}

// `term` without its accents (NFKD, combining marks dropped), in lang.folded when
// it has any: unicodedata.normalize("NFKD", term) without the combining characters.
std::string_view fold_accents(LanguageResources& lang, std::string_view term) {
  if (std::all_of(term.begin(), term.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return term;
  const std::u32string code_points = to_utf32(TextRef::utf8(term));
  lang.decomposed.clear();
  for (char32_t c : code_points) {
    if (c < 0x80) {
      lang.decomposed.push_back(c);
    } else {
      unicode::append_nfkd(c, lang.decomposed);
    }
  }
  lang.folded.clear();
  for (char32_t c : lang.decomposed) {
    if (unicode::combining_class(c) == 0) append_utf8(c, lang.folded);
  }
  return lang.folded;
}

// Elision, length, stop words and stemming of one normalized segment (numbers
// are the caller's: explain() reports them, the analysis skips them earlier).
Decision decide(LanguageResources& lang, const absl::flat_hash_set<std::string>* custom,
                const MultilingualOptions& o, std::string_view segment, analysis::SegmentKind kind) {
  Decision d;
  d.unelided = lang.elision ? analysis::strip_elision(segment, lang.language) : segment;
  if (code_points(d.unelided) < o.min_token_length) {
    d.dropped_by = "length";
  } else if (is_stop_word(lang, custom, segment, d.unelided)) {
    d.dropped_by = "stop_words";
  } else if (lang.stemmer && kind != analysis::SegmentKind::number) {
    d.term = lang.stemmer->stem(d.unelided);
  } else {
    d.term = d.unelided;
  }
  if (o.fold_accents && !d.term.empty()) d.term = fold_accents(lang, d.term);
  return d;
}

}  // namespace

void MultilingualAnalyzer::analyze_document(TextRef text, AnalyzerState& base_state, TermSurfaceSink sink) const {
  analyze_document_in(text, "", base_state, sink);
}

namespace {

// Code units before the first line break of `text`, or text.length when it has none.
std::size_t first_line_length(TextRef text) {
  auto find = [&](const auto* units) {
    for (std::size_t i = 0; i < text.length; ++i) {
      if (units[i] == '\n' || units[i] == '\r') return i;
    }
    return text.length;
  };
  switch (text.encoding) {
    case TextEncoding::latin1:
    case TextEncoding::utf8:  // a line break byte is never part of a longer sequence
      return find(static_cast<const std::uint8_t*>(text.data));
    case TextEncoding::ucs2:
      return find(static_cast<const char16_t*>(text.data));
    case TextEncoding::ucs4:
      return find(static_cast<const char32_t*>(text.data));
  }
  return text.length;
}

// `written` when it is `normalized` with only its case changed (each code point
// normalizes, by the fast path's table, to its share of `normalized`): "États"
// for "états"; else `normalized` ("pre\u00ADmier" shows as "premier").
std::string_view cased_surface(std::string_view written, std::string_view normalized, std::string& buffer) {
  if (written == normalized) return normalized;
  const analysis::WordTable& words = analysis::word_table();
  buffer.clear();
  for (char32_t c : to_utf32(TextRef::utf8(written))) {
    if (c >= analysis::kWordClassLimit) return normalized;
    buffer += words.normalized(c);
    if (buffer.size() > normalized.size()) return normalized;
  }
  return buffer == normalized ? written : normalized;
}

}  // namespace

void MultilingualAnalyzer::analyze_document_in(TextRef text, std::string_view language, AnalyzerState& base_state,
                                               TermSurfaceSink sink) const {
  auto& st = static_cast<State&>(base_state);
  if (options_.headline_weight == 1) {
    analyze_once(text, language, st, sink);
    return;
  }
  // The headline's terms count headline_weight times: the document, then its first line again
  // (in the document's language: a short line is no sample to identify one from).
  const std::string document_language = language_of(text, language);
  analyze_once(text, document_language, st, sink);
  const std::size_t headline = first_line_length(text);
  if (headline == text.length) return;  // a single line is no headline
  const TextRef first_line{text.data, headline, text.encoding};
  for (std::size_t k = 1; k < options_.headline_weight; ++k) analyze_once(first_line, document_language, st, sink);
}

void MultilingualAnalyzer::analyze_once(TextRef text, std::string_view language, State& st,
                                        TermSurfaceSink sink) const {
  const std::size_t n_max = options_.ngram_max;
  if (n_max > 1) {
    st.window_terms.resize(n_max);
    st.window_surfaces.resize(n_max);
  }
  std::size_t seen = 0;
  // The n-gram stage (the last one).
  auto emit = [&](std::string_view term, std::string_view surface, TermMemo* memo) {
    if (n_max == 1) {
      sink(term, surface, memo);
      return;
    }
    st.window_terms[seen % n_max] = term;
    st.window_surfaces[seen % n_max] = surface;
    ++seen;
    for (std::size_t n = options_.ngram_min; n <= n_max && n <= seen; ++n) {
      if (n == 1) {
        sink(term, surface, memo);
        continue;
      }
      st.gram_term.clear();
      st.gram_surface.clear();
      for (std::size_t k = seen - n; k < seen; ++k) {
        if (k != seen - n) {
          st.gram_term.push_back(' ');
          st.gram_surface.push_back(' ');
        }
        st.gram_term += st.window_terms[k % n_max];
        st.gram_surface += st.window_surfaces[k % n_max];
      }
      sink(st.gram_term, st.gram_surface, nullptr);  // built for this occurrence
    }
  };

  const PhraseTable* table = options_.phrases && !options_.phrases->empty() ? options_.phrases.get() : nullptr;
  if (table == nullptr) {
    tokens(text, language, st, [&](const LinkedToken& t, TermMemo* memo) { emit(t.term, t.surface, memo); });
    return;
  }
  // The phrase stage: a token that starts some phrase waits for the next one;
  // greedy from the left (gensim's Phrases). The held token's term and surface
  // are views into the state's token caches, which outlive the document; its
  // written form is made only if a phrase completes. Keeping words, it is
  // emitted as it comes, with its own memo (what it is followed by changes
  // nothing before it). Otherwise its emission waits, with a copy of its memo:
  // a cache entry may move when the next token is inserted (token_cache.hpp),
  // and a memo is only a shortcut to what the sink would find anyway.
  const bool keeps_words = options_.phrase_keeps_words;
  bool held = false;     // the previous token may start a phrase with this one
  bool pending = false;  // ...and waits to be emitted (phrases replace their words)
  std::string_view held_term;
  std::string_view held_surface;
  TermMemo held_memo;
  bool held_has_memo = false;
  auto flush = [&] {
    if (!pending) return;
    pending = false;
    emit(held_term, held_surface, held_has_memo ? &held_memo : nullptr);
  };
  tokens(text, language, st, [&](const LinkedToken& t, TermMemo* memo) {
    if (held && t.link != Link::none && table->contains(held_term, t.term)) {
      held = false;
      pending = false;  // replaced by the phrase (keeping words: emitted already)
      if (keeps_words) emit(t.term, t.surface, memo);
      if (const std::string* own = table->own_term(held_term, t.term)) {
        st.phrase_term.assign(*own);
      } else {
        st.phrase_term.assign(held_term).append(" ").append(t.term);
      }
      // linked, so the held token is the previous one (both written forms share a buffer: copy first)
      st.phrase_surface.assign(t.previous_written());
      st.phrase_surface.append(t.link == Link::hyphen ? "-" : " ").append(t.written());
      emit(st.phrase_term, st.phrase_surface, nullptr);  // built for this occurrence
      return;
    }
    flush();
    held = table->starts(t.term);
    if (held) {
      held_term = t.term;
      held_surface = t.surface;
    }
    if (!held || keeps_words) {
      emit(t.term, t.surface, memo);
      return;
    }
    pending = true;
    held_has_memo = memo != nullptr;
    if (memo) held_memo = *memo;
  });
  flush();
}

void MultilingualAnalyzer::linked_tokens(TextRef text, std::string_view language, AnalyzerState& state,
                                         LinkedTokenSink sink) const {
  tokens(text, language, static_cast<State&>(state), sink);
}

namespace {

using State = MultilingualAnalyzer::State;

// The reference chain on code units [begin, end): normalize, segment with ICU.
// Links come from the normalized text between segments; the written form is
// the normalized token (its case is lost). `broken`: whether the next kept
// token has no link to the one before (true before and after the stretch).
void read_with_icu(TextRef text, std::size_t begin, std::size_t end, State& st, LanguageResources& lang,
                   const absl::flat_hash_set<std::string>* custom, const MultilingualOptions& options, bool& broken,
                   LinkedTokenSink sink) {
  const bool drop_numbers = options.numbers == NumberPolicy::drop;
  analysis::normalize(to_utf16(text, begin, end, st.utf16), st.normalized);
  st.segments.clear();
  st.segmenter.segment(st.normalized, st.segments);
  broken = true;
  std::size_t previous_end = 0;
  std::string_view previous_surface;  // of the last kept token
  for (const analysis::Segment& seg : st.segments) {
    GapReader gap;
    for (std::size_t k = previous_end; k < seg.begin; ++k) gap.add(st.normalized[k]);
    previous_end = seg.end;
    if (seg.kind == analysis::SegmentKind::number && drop_numbers) {
      broken = true;
      continue;
    }
    st.token.clear();
    append_utf16_as_utf8(std::u16string_view(st.normalized).substr(seg.begin, seg.end - seg.begin), st.token);
    const std::uint64_t hash = token_hash(st.token, kNormalizedSeed);
    TokenCache::Entry* cached = lang.normalized_tokens.find(st.token, hash);
    if (cached == nullptr) {
      const Decision d = decide(lang, custom, options, st.token, seg.kind);
      cached = &lang.normalized_tokens.insert(st.token, hash, d.term, d.unelided);
    }
    if (!cached->kept()) {
      broken = true;
      continue;
    }
    const TokenCache::Outcome outcome = cached->outcome();
    const Link link = broken ? Link::none : gap.link();
    broken = false;
    auto written = [&] { return outcome.surface; };  // its case is lost
    auto previous_written = [&] { return previous_surface; };
    sink(LinkedToken{outcome.term, outcome.surface, link, written, previous_written}, &cached->memo);
    previous_surface = outcome.surface;  // a view into the cache's arena: stays valid
  }
  broken = true;
}

// Whether a UTF-8 surface holds an apostrophe (U+0027, or as written: a surface keeps ’ and ʼ).
bool has_apostrophe(std::string_view surface) {
  if (surface.find('\'') != std::string_view::npos) return true;
  if (std::all_of(surface.begin(), surface.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return false;
  }
  const std::u32string code_points = to_utf32(TextRef::utf8(surface));
  return std::any_of(code_points.begin(), code_points.end(), is_apostrophe);
}

// The word as written, case kept, without what elision took off
// ("l'Union" -> "Union", "Biden's" -> "Biden"), in `out`'s storage.
template <class Read>
std::string_view written_form(const Read& read, const analysis::RawWord& w, std::string_view surface,
                              std::string& out) {
  out.clear();
  std::size_t first_apostrophe = std::string::npos;
  std::size_t last_apostrophe = std::string::npos;
  for (std::size_t i = w.begin; i < w.end;) {
    const auto [c, next] = read.decode(i);
    if (is_apostrophe(c)) {
      if (first_apostrophe == std::string::npos) first_apostrophe = out.size();
      last_apostrophe = out.size();
    }
    append_utf8(c, out);
    i = next;
  }
  if (first_apostrophe == std::string::npos || has_apostrophe(surface)) return out;
  const std::string_view all(out);
  // English possessive: the apostrophe is followed by one "s" at the end.
  if (all.size() - last_apostrophe <= 3 && (all.back() == 's' || all.back() == 'S') &&
      code_points(all.substr(last_apostrophe)) == 2) {
    return all.substr(0, last_apostrophe);
  }
  const std::size_t after = first_apostrophe + (static_cast<unsigned char>(all[first_apostrophe]) < 0x80 ? 1
                                                : static_cast<unsigned char>(all[first_apostrophe]) < 0xE0 ? 2
                                                                                                            : 3);
  return all.substr(after);
}

// A raw word's cache key and its hash seed: its bytes in the text's storage, or, for a word of
// U+0000..U+00FF only in wide storage (most words of a document stored wide for one curly
// quote), its Latin-1 bytes in `st.narrow_key`: the same key as in Latin-1 storage, so one
// entry serves both, and half as long.
template <class Unit, class Read>
std::pair<std::string_view, std::uint64_t> raw_key(const Read& read, const analysis::RawWord& w,
                                                   std::uint64_t seed, State& st) {
  const auto* bytes = reinterpret_cast<const char*>(read.units);
  std::string_view key(bytes + w.begin * sizeof(Unit), (w.end - w.begin) * sizeof(Unit));
  if constexpr (sizeof(Unit) > 1) {
    const std::size_t n = w.end - w.begin;
    if (n <= sizeof st.narrow_key) {
      std::uint32_t above_latin1 = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const auto u = static_cast<std::uint32_t>(read.units[w.begin + i]);
        above_latin1 |= u;
        st.narrow_key[i] = static_cast<char>(u);
      }
      if (above_latin1 <= 0xFF) return {std::string_view(st.narrow_key, n), seed_of(TextEncoding::latin1)};
    }
  }
  return {key, seed};
}

// A raw token met for the first time: its normalized form, then what that becomes (once per
// normalized token: "Paris" and "paris", or the same word in Latin-1 and in UCS-2 storage,
// share their stem).
template <class Read>
TokenCache::Entry& normalized_entry(const Read& read, const analysis::RawWord& w, const analysis::WordTable& words,
                                    State& st, LanguageResources& lang,
                                    const absl::flat_hash_set<std::string>* custom, const MultilingualOptions& options) {
  st.token.clear();
  for (std::size_t i = w.begin; i < w.end;) {
    const auto [c, next] = read.decode(i);
    st.token += words.normalized(c);
    i = next;
  }
  const std::uint64_t normalized_hash = token_hash(st.token, kNormalizedSeed);
  TokenCache::Entry* normalized = lang.normalized_tokens.find(st.token, normalized_hash);
  if (normalized == nullptr) {
    const Decision d = decide(lang, custom, options, st.token, w.kind);
    normalized = &lang.normalized_tokens.insert(st.token, normalized_hash, d.term, d.unelided);
  }
  return *normalized;
}

// A raw token's cache entry, from its normalized form's (both caches belong to `lang`:
// the views stay valid). With stems, the surface shown is the word as written, made
// here once per raw spelling: spellings of one normalized token ("États", "états")
// share their term, not their surface, so each keeps its own memo (a memo stands for a
// term and a surface, analyzer.hpp). Without, the surface is the normalized token: they
// share one memo, copied both ways (the caller copies it back once the sink filled it).
template <class Read>
TokenCache::Entry& raw_entry(const Read& read, const analysis::RawWord& w, std::string_view key, std::uint64_t hash,
                             TokenCache::Entry& normalized, State& st, LanguageResources& lang, bool stem) {
  const TokenCache::Outcome shared = normalized.outcome();
  if (stem && normalized.kept()) {
    const std::string_view cased =
        cased_surface(written_form(read, w, shared.surface, st.written), shared.surface, st.cased);
    return cased == shared.surface ? lang.raw_tokens.insert_borrowed(key, hash, shared)
                                   : lang.raw_tokens.insert(key, hash, shared.term, cased);
  }
  TokenCache::Entry& entry = lang.raw_tokens.insert_borrowed(key, hash, shared);
  entry.memo = normalized.memo;
  return entry;
}

}  // namespace

void MultilingualAnalyzer::tokens(TextRef text, std::string_view language, State& st, LinkedTokenSink sink) const {
  LanguageResources& lang = resources_for(st.languages, language_of(text, language), options_);
  const absl::flat_hash_set<std::string>* custom = custom_stop_words_ ? &custom_stop_words_->words : nullptr;
  const bool drop_numbers = options_.numbers == NumberPolicy::drop;
  // The link of the next kept token: none after a dropped word, at the start and
  // around a stretch read by ICU within the fast path.
  bool broken = true;

  // The reference chain (read_with_icu) on code units [begin, end).
  auto icu_path = [&](std::size_t begin, std::size_t end) {
    read_with_icu(text, begin, end, st, lang, custom, options_, broken, sink);
  };

  if (!options_.fast_path) {
    if (text.encoding == TextEncoding::utf8) check_utf8(std::string_view(static_cast<const char*>(text.data), text.length));
    icu_path(0, text.length);
    return;
  }

  // The fast path (word_scanner.hpp): one cache lookup per word of the raw text;
  // a token met for the first time is normalized on its own (which gives the
  // same result as normalizing the whole text: see word_scanner.hpp).
  const analysis::WordTable& words = analysis::word_table();
  const std::uint64_t seed = seed_of(text.encoding);
  // Instantiated per storage, so that the unit size is a constant and the word
  // callback is inlined into the scanner.
  auto run = [&](const auto& read) {
    using Unit = std::remove_cv_t<std::remove_pointer_t<decltype(read.units)>>;
    std::size_t previous_end = 0;  // of the last word seen, in code units
    analysis::RawWord previous_word{};  // the last kept word, and its surface
    std::string_view previous_surface;
    // The link to the previous kept word, from the raw text between them.
    auto link_before = [&](std::size_t begin) {
      if (broken) return Link::none;
      GapReader gap;
      for (std::size_t i = previous_end; i < begin;) {
        const auto [c, next] = read.decode(i);
        gap.add(c);
        i = next;
      }
      return gap.link();
    };
    auto written_of = [&](const analysis::RawWord& w, std::string_view surface) {
      return written_form(read, w, surface, st.written);
    };
    auto deliver = [&](const analysis::RawWord& w, TokenCache::Entry& entry) {
      if (!entry.kept()) {
        broken = true;
        previous_end = w.end;
        return;
      }
      const TokenCache::Outcome outcome = entry.outcome();
      const Link link = link_before(w.begin);
      broken = false;
      previous_end = w.end;
      // made only when asked for (most tokens never are)
      auto written = [&] { return written_of(w, outcome.surface); };
      auto previous_written = [&] { return written_of(previous_word, previous_surface); };
      sink(LinkedToken{outcome.term, outcome.surface, link, written, previous_written}, &entry.memo);
      previous_word = w;
      previous_surface = outcome.surface;  // a view into the cache's arena: stays valid
    };
    // Not inlined: the scanner calls it from a few places, and its body is large.
    auto on_word = [&](const analysis::RawWord& w) THEMESCOPE_NOINLINE {
      if (w.kind == analysis::SegmentKind::number && drop_numbers) {
        broken = true;
        previous_end = w.end;
        return;
      }
      const auto [key, key_seed] = raw_key<Unit>(read, w, seed, st);
      const std::uint64_t hash = token_hash(key, key_seed);
      if (TokenCache::Entry* cached = lang.raw_tokens.find(key, hash)) {
        deliver(w, *cached);
        return;
      }
      // New raw token: its normalized form's entry (made once per normalized token).
      TokenCache::Entry* normalized = &normalized_entry(read, w, words, st, lang, custom, options_);
      TokenCache::Entry& entry = raw_entry(read, w, key, hash, *normalized, st, lang, options_.stem);
      deliver(w, entry);
      if (!options_.stem) normalized->memo = entry.memo;  // one memo for every spelling (raw_entry)
    };
    // A stretch ICU reads: no phrase links into or out of it.
    auto on_fallback = [&](std::size_t begin, std::size_t end) {
      icu_path(begin, end);
      previous_end = end;
    };
    analysis::scan_words(read, text.length, on_word, on_fallback);
  };
  switch (text.encoding) {
    case TextEncoding::latin1:
      run(analysis::detail::FixedWidthReader<std::uint8_t>{static_cast<const std::uint8_t*>(text.data), text.length,
                                                           words.classes});
      break;
    case TextEncoding::ucs2:
      run(analysis::detail::FixedWidthReader<char16_t>{static_cast<const char16_t*>(text.data), text.length,
                                                       words.classes});
      break;
    case TextEncoding::ucs4:
      run(analysis::detail::FixedWidthReader<char32_t>{static_cast<const char32_t*>(text.data), text.length,
                                                       words.classes});
      break;
    case TextEncoding::utf8:
      check_utf8(std::string_view(static_cast<const char*>(text.data), text.length));
      run(analysis::detail::Utf8Reader{static_cast<const unsigned char*>(text.data), text.length, words.classes});
      break;
  }
}

std::vector<TokenTrace> MultilingualAnalyzer::explain(TextRef text) const {
  State st;
  const std::string language = language_of(text);
  LanguageResources& lang = resources_for(st.languages, language, options_);
  if (text.encoding == TextEncoding::utf8) check_utf8(std::string_view(static_cast<const char*>(text.data), text.length));
  analysis::normalize(to_utf16(text, 0, text.length, st.utf16), st.normalized);
  st.segmenter.segment(st.normalized, st.segments);
  const PhraseTable* table = options_.phrases && !options_.phrases->empty() ? options_.phrases.get() : nullptr;
  std::vector<TokenTrace> rows;
  std::size_t previous_end = 0;
  bool broken = true;
  std::size_t held = std::string::npos;  // the row of a token that may start a phrase
  for (const analysis::Segment& seg : st.segments) {
    GapReader gap;
    for (std::size_t k = previous_end; k < seg.begin; ++k) gap.add(st.normalized[k]);
    previous_end = seg.end;
    TokenTrace row;
    row.language = language;
    append_utf16_as_utf8(std::u16string_view(st.normalized).substr(seg.begin, seg.end - seg.begin), row.segment);
    row.kind = kind_name(seg.kind);
    const Decision d = decide(lang, custom_stop_words_ ? &custom_stop_words_->words : nullptr, options_, row.segment,
                              seg.kind);
    row.unelided = std::string(d.unelided);
    if (seg.kind == analysis::SegmentKind::number && options_.numbers == NumberPolicy::drop) {
      row.dropped_by = "numbers";
    } else {
      row.dropped_by = std::string(d.dropped_by);
      row.term = std::string(d.term);
    }
    // The phrase stage, as analyze_document runs it.
    if (!row.dropped_by.empty()) {
      broken = true;
      held = std::string::npos;
    } else if (table != nullptr) {
      const Link link = broken ? Link::none : gap.link();
      broken = false;
      if (held != std::string::npos && link != Link::none && table->contains(rows[held].term, row.term)) {
        row.phrase = rows[held].term + " " + row.term;
        rows[held].phrase = row.phrase;
        held = std::string::npos;
      } else {
        held = table->starts(row.term) ? rows.size() : std::string::npos;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

struct PairCount {
  std::size_t count = 0;
  std::size_t documents = 0;
  std::size_t hyphenated = 0;
  std::size_t capitalized = 0;
  std::size_t last_document = static_cast<std::size_t>(-1);  // the last one counted in `documents`
};

// What one worker of count_phrases counts, with its own term ids. A worker
// reads whole documents, so a pair's documents are counted by comparing the
// document with the last one that counted it: no per-document set.
struct LocalPhraseCounts {
  absl::node_hash_map<std::string, std::uint32_t> ids;  // nodes stay put: `terms` views their keys
  std::vector<std::string_view> terms;                   // by id
  std::vector<std::size_t> counts;      // by id
  absl::flat_hash_map<std::uint64_t, PairCount> pairs;  // (first id << 32) | second id
  std::size_t n_tokens = 0;

  std::uint32_t id_of(std::string_view term) {
    auto [it, inserted] = ids.try_emplace(absl::string_view(term.data(), term.size()),
                                          static_cast<std::uint32_t>(terms.size()));
    if (inserted) {
      terms.emplace_back(it->first);
      counts.push_back(0);
    }
    return it->second;
  }
  // The same through the token's memo (the worker's analyzer state feeds this
  // worker's counts only): a repeated token costs no lookup.
  std::uint32_t id_of(std::string_view term, TermMemo* memo) {
    if (memo != nullptr && memo->term >= 0) return static_cast<std::uint32_t>(memo->term);
    const std::uint32_t id = id_of(term);
    if (memo != nullptr) memo->term = static_cast<std::int32_t>(id);
    return id;
  }
};

// The kept tokens of document `index` and their adjacent pairs, into `local`.
void count_document_pairs(const MultilingualAnalyzer& analyzer, TextRef document, std::string_view language,
                          std::size_t index, AnalyzerState& state, LocalPhraseCounts& local) {
  std::uint32_t previous = 0;
  analyzer.linked_tokens(document, language, state, [&](const LinkedToken& t, TermMemo* memo) {
    const std::uint32_t id = local.id_of(t.term, memo);
    ++local.counts[id];
    ++local.n_tokens;
    if (t.link != Link::none) {
      PairCount& pair = local.pairs[(std::uint64_t{previous} << 32) | id];
      ++pair.count;
      pair.documents += pair.last_document != index;
      pair.last_document = index;
      pair.hyphenated += t.link == Link::hyphen;
      // written forms made for linked pairs only
      pair.capitalized += is_capitalized(t.written()) && is_capitalized(t.previous_written());
    }
    previous = id;
  });
}

// Adds `from` (another worker's counts) to `into`.
void merge_counts(LocalPhraseCounts& into, const LocalPhraseCounts& from) {
  std::vector<std::uint32_t> id_in(from.terms.size());
  for (std::size_t id = 0; id < from.terms.size(); ++id) {
    id_in[id] = into.id_of(from.terms[id]);
    into.counts[id_in[id]] += from.counts[id];
  }
  into.n_tokens += from.n_tokens;
  into.pairs.reserve(into.pairs.size() + from.pairs.size() / 2);
  for (const auto& [key, pair] : from.pairs) {
    PairCount& merged = into.pairs[(std::uint64_t{id_in[key >> 32]} << 32) | id_in[key & 0xFFFFFFFFu]];
    merged.count += pair.count;
    merged.documents += pair.documents;
    merged.hyphenated += pair.hyphenated;
    merged.capitalized += pair.capitalized;
  }
}

// Normalized PMI of a pair seen `ab` times among `n` tokens, its terms `a` and
// `b` times (Bouma 2009); 1 when the pair is all there is.
double npmi(std::size_t ab, std::size_t a, std::size_t b, std::size_t n) {
  const double p_ab = static_cast<double>(ab) / static_cast<double>(n);
  const double p_a = static_cast<double>(a) / static_cast<double>(n);
  const double p_b = static_cast<double>(b) / static_cast<double>(n);
  const double h = -std::log(p_ab);
  if (!(h > 0)) return 1.0;
  return std::log(p_ab / (p_a * p_b)) / h;
}

// The candidates (pairs seen at least min_count times) of the merged counts,
// sorted by (first, second), and which of them are phrases.
std::vector<PhraseCandidate> chosen_candidates(const LocalPhraseCounts& all, const PhraseOptions& options) {
  // Sorted through the terms' ranks: comparing (rank, rank) orders the pairs as
  // comparing (first, second) does, with no string compared per pair.
  std::vector<std::uint32_t> by_term(all.terms.size());
  for (std::size_t id = 0; id < by_term.size(); ++id) by_term[id] = static_cast<std::uint32_t>(id);
  std::sort(by_term.begin(), by_term.end(), [&](std::uint32_t a, std::uint32_t b) { return all.terms[a] < all.terms[b]; });
  std::vector<std::uint32_t> rank(by_term.size());
  for (std::size_t r = 0; r < by_term.size(); ++r) rank[by_term[r]] = static_cast<std::uint32_t>(r);
  std::vector<std::uint64_t> ranked;  // (rank of first << 32) | rank of second
  for (const auto& [key, pair] : all.pairs) {
    if (pair.count >= options.min_count) ranked.push_back((std::uint64_t{rank[key >> 32]} << 32) | rank[key & 0xFFFFFFFFu]);
  }
  std::sort(ranked.begin(), ranked.end());
  // A number is no part of a phrase: "26 years", "June 2004" are dates and amounts, not terms.
  auto is_number = [](std::string_view term) { return term[0] >= '0' && term[0] <= '9'; };
  std::vector<PhraseCandidate> out;
  out.reserve(ranked.size());
  for (const std::uint64_t ranks : ranked) {
    const std::uint32_t first = by_term[ranks >> 32];
    const std::uint32_t second = by_term[ranks & 0xFFFFFFFFu];
    const PairCount& pair = all.pairs.at((std::uint64_t{first} << 32) | second);
    PhraseCandidate c;
    c.first = std::string(all.terms[first]);
    c.second = std::string(all.terms[second]);
    c.count = pair.count;
    c.documents = pair.documents;
    c.hyphenated = pair.hyphenated;
    c.capitalized = pair.capitalized;
    c.first_count = all.counts[first];
    c.second_count = all.counts[second];
    c.npmi = npmi(c.count, c.first_count, c.second_count, all.n_tokens);
    const bool name_or_compound = 2 * c.hyphenated >= c.count || 2 * c.capitalized >= c.count;
    const bool collocation = c.documents >= options.min_documents && c.npmi >= options.threshold;
    const bool name = name_or_compound && c.documents >= options.name_min_documents && c.npmi >= options.name_threshold;
    c.selected = !is_number(c.first) && !is_number(c.second) && (collocation || name);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

PhraseCounts count_phrases(const MultilingualAnalyzer& analyzer, const std::vector<TextRef>& documents,
                           const std::vector<std::string_view>& languages, const PhraseOptions& options) {
  options.validate();
  if (!languages.empty() && languages.size() != documents.size()) {
    throw std::invalid_argument("languages has " + std::to_string(languages.size()) + " codes for " +
                                std::to_string(documents.size()) + " documents");
  }
  // Blocks of documents shared out to the workers, each counting into its own
  // tables (term ids are the worker's: its analyzer state's memos hold them).
  // The merged counts are sums and the candidates are sorted by their terms, so
  // the result does not depend on which worker read which block.
  constexpr std::size_t kBlock = 64;
  const std::size_t n_blocks = (documents.size() + kBlock - 1) / kBlock;
  const std::size_t n_workers = std::max<std::size_t>(1, std::min(static_cast<std::size_t>(get_num_threads()), n_blocks));
  std::vector<LocalPhraseCounts> workers(n_workers);
  std::vector<std::unique_ptr<AnalyzerState>> states(n_workers);
  parallel_for_workers(n_blocks, n_workers, [&](std::size_t block, std::size_t worker) {
    if (!states[worker]) states[worker] = analyzer.new_state();
    const std::size_t end = std::min(documents.size(), (block + 1) * kBlock);
    for (std::size_t i = block * kBlock; i < end; ++i) {
      count_document_pairs(analyzer, documents[i], languages.empty() ? std::string_view() : languages[i], i,
                           *states[worker], workers[worker]);
    }
  });
  states.clear();
  for (std::size_t w = 1; w < n_workers; ++w) {
    merge_counts(workers[0], workers[w]);
    workers[w] = LocalPhraseCounts();  // its memory goes now
  }
  PhraseCounts out;
  if (n_workers == 0 || documents.empty()) return out;
  out.n_tokens = workers[0].n_tokens;
  out.candidates = chosen_candidates(workers[0], options);
  return out;
}

}  // namespace themescope
