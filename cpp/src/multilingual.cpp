#include "themescope/multilingual.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/strings/string_view.h>

#include "themescope/analysis.hpp"
#include "themescope/language.hpp"
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

}  // namespace

void MultilingualOptions::validate() const {
  if (ngram_min < 1) throw std::invalid_argument("ngram_range must start at 1 or more, got " + std::to_string(ngram_min));
  if (ngram_min > ngram_max) {
    throw std::invalid_argument("ngram_range (" + std::to_string(ngram_min) + ", " + std::to_string(ngram_max) +
                                "): lower boundary larger than the upper boundary");
  }
  if (min_token_length < 1) throw std::invalid_argument("min_token_len must be >= 1, got 0");
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

void MultilingualAnalyzer::analyze_document_in(TextRef text, std::string_view language, AnalyzerState& base_state,
                                               TermSurfaceSink sink) const {
  auto& st = static_cast<State&>(base_state);
  LanguageResources& lang = resources_for(st.languages, language_of(text, language), options_);
  const absl::flat_hash_set<std::string>* custom = custom_stop_words_ ? &custom_stop_words_->words : nullptr;
  const bool drop_numbers = options_.numbers == NumberPolicy::drop;

  const std::size_t n_max = options_.ngram_max;
  if (n_max > 1) {
    st.window_terms.resize(n_max);
    st.window_surfaces.resize(n_max);
  }
  std::size_t seen = 0;
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

  // A cached token's term, if it is kept, with the entry's memo.
  auto emit_cached = [&](TokenCache::Entry& entry) {
    if (!entry.kept()) return;
    const TokenCache::Outcome outcome = entry.outcome();
    emit(outcome.term, outcome.surface, &entry.memo);
  };

  // The reference chain on code units [begin, end): normalize, segment with ICU.
  auto icu_path = [&](std::size_t begin, std::size_t end) {
    analysis::normalize(to_utf16(text, begin, end, st.utf16), st.normalized);
    st.segments.clear();
    st.segmenter.segment(st.normalized, st.segments);
    for (const analysis::Segment& seg : st.segments) {
      if (seg.kind == analysis::SegmentKind::number && drop_numbers) continue;
      st.token.clear();
      append_utf16_as_utf8(std::u16string_view(st.normalized).substr(seg.begin, seg.end - seg.begin), st.token);
      const std::uint64_t hash = token_hash(st.token, kNormalizedSeed);
      TokenCache::Entry* cached = lang.normalized_tokens.find(st.token, hash);
      if (cached == nullptr) {
        const Decision d = decide(lang, custom, options_, st.token, seg.kind);
        cached = &lang.normalized_tokens.insert(st.token, hash, d.term, d.unelided);
      }
      emit_cached(*cached);
    }
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
    const auto* bytes = reinterpret_cast<const char*>(read.units);
    // Not inlined: the scanner calls it from a few places, and its body is large.
    auto on_word = [&](const analysis::RawWord& w) THEMESCOPE_NOINLINE {
      if (w.kind == analysis::SegmentKind::number && drop_numbers) return;
      std::string_view key(bytes + w.begin * sizeof(Unit), (w.end - w.begin) * sizeof(Unit));
      std::uint64_t key_seed = seed;
      if constexpr (sizeof(Unit) > 1) {
        // A word of U+0000..U+00FF only (most words of a document that is stored
        // wide for one curly quote) is keyed by its Latin-1 bytes: the same key
        // as in Latin-1 storage, so one entry serves both, and half as long.
        const std::size_t n = w.end - w.begin;
        if (n <= sizeof st.narrow_key) {
          std::uint32_t above_latin1 = 0;
          for (std::size_t i = 0; i < n; ++i) {
            const auto u = static_cast<std::uint32_t>(read.units[w.begin + i]);
            above_latin1 |= u;
            st.narrow_key[i] = static_cast<char>(u);
          }
          if (above_latin1 <= 0xFF) {
            key = std::string_view(st.narrow_key, n);
            key_seed = seed_of(TextEncoding::latin1);
          }
        }
      }
      const std::uint64_t hash = token_hash(key, key_seed);
      if (TokenCache::Entry* cached = lang.raw_tokens.find(key, hash)) {
        emit_cached(*cached);
        return;
      }
      // New raw token: its normalized form, then what that becomes (once per
      // normalized token: "Paris" and "paris", or the same word in Latin-1 and
      // in UCS-2 storage, share their stem).
      st.token.clear();
      for (std::size_t i = w.begin; i < w.end;) {
        const auto [c, next] = read.decode(i);
        st.token += words.normalized(c);
        i = next;
      }
      const std::uint64_t normalized_hash = token_hash(st.token, kNormalizedSeed);
      TokenCache::Entry* normalized = lang.normalized_tokens.find(st.token, normalized_hash);
      if (normalized == nullptr) {
        const Decision d = decide(lang, custom, options_, st.token, w.kind);
        normalized = &lang.normalized_tokens.insert(st.token, normalized_hash, d.term, d.unelided);
      }
      // Both caches belong to `lang`: the views stay valid. Every raw spelling
      // of a normalized token has its outcome, so they share one memo (copied
      // both ways, analyzer.hpp): the sink fills it once per normalized token.
      TokenCache::Entry& entry = lang.raw_tokens.insert_borrowed(key, hash, normalized->outcome());
      entry.memo = normalized->memo;
      emit_cached(entry);
      normalized->memo = entry.memo;
    };
    analysis::scan_words(read, text.length, on_word, icu_path);
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
  std::vector<TokenTrace> rows;
  for (const analysis::Segment& seg : st.segments) {
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
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace themescope
