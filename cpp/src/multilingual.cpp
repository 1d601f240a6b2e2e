#include "themescope/multilingual.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/strings/string_view.h>

#include "themescope/analysis.hpp"
#include "themescope/language.hpp"
#include "themescope/stemmer.hpp"
#include "themescope/stop_words.hpp"

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

// A document as UTF-16, ICU's working form. UCS-2 storage is used in place.
std::u16string_view to_utf16(TextRef text, std::u16string& buffer) {
  switch (text.encoding) {
    case TextEncoding::ucs2:
      return {static_cast<const char16_t*>(text.data), text.length};
    case TextEncoding::latin1: {
      const auto* p = static_cast<const std::uint8_t*>(text.data);
      buffer.assign(p, p + text.length);
      return buffer;
    }
    case TextEncoding::ucs4:
    case TextEncoding::utf8: {
      buffer.clear();
      for (const char32_t c : to_utf32(text)) {  // validates UTF-8 (InvalidUtf8Error)
        if (c < 0x10000) {
          buffer.push_back(static_cast<char16_t>(c));
        } else {
          buffer.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
          buffer.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
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

// Per language a document may be in: its resources and a cache of what each
// distinct token becomes, so that stemming runs once per word, not per token.
struct LanguageResources {
  std::string language;
  const StopWordSet* stop = nullptr;
  std::optional<Stemmer> stemmer;
  bool elision = false;
  struct Outcome {
    std::string term;  // empty: dropped
    std::string dropped_by;
  };
  absl::flat_hash_map<std::string, Outcome> cache;
};

struct MultilingualAnalyzer::State final : AnalyzerState {
  analysis::WordSegmenter segmenter;
  std::u16string utf16;
  std::u16string normalized;
  std::vector<analysis::Segment> segments;
  std::string token;
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

std::string MultilingualAnalyzer::language_of(TextRef text) const {
  if (options_.language != "auto") return options_.language;
  return std::string(detect_language(text));
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

}  // namespace

void MultilingualAnalyzer::analyze_document(TextRef text, AnalyzerState& base_state, TermSurfaceSink sink) const {
  auto& st = static_cast<State&>(base_state);
  const std::string language = language_of(text);
  LanguageResources& lang = resources_for(st.languages, language, options_);
  const std::u16string_view utf16 = to_utf16(text, st.utf16);
  analysis::normalize(utf16, st.normalized);
  st.segments.clear();
  st.segmenter.segment(st.normalized, st.segments);

  const std::size_t n_max = options_.ngram_max;
  if (n_max > 1) {
    st.window_terms.resize(n_max);
    st.window_surfaces.resize(n_max);
  }
  std::size_t seen = 0;
  auto emit = [&](std::string_view term, std::string_view surface) {
    if (n_max == 1) {
      sink(term, surface);
      return;
    }
    st.window_terms[seen % n_max] = term;
    st.window_surfaces[seen % n_max] = surface;
    ++seen;
    for (std::size_t n = options_.ngram_min; n <= n_max && n <= seen; ++n) {
      if (n == 1) {
        sink(term, surface);
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
      sink(st.gram_term, st.gram_surface);
    }
  };

  for (const analysis::Segment& seg : st.segments) {
    if (seg.kind == analysis::SegmentKind::number && options_.numbers == NumberPolicy::drop) continue;
    st.token.clear();
    append_utf16_as_utf8(std::u16string_view(st.normalized).substr(seg.begin, seg.end - seg.begin), st.token);
    auto cached = lang.cache.find(st.token);
    if (cached == lang.cache.end()) {
      LanguageResources::Outcome outcome;
      const std::string_view unelided = lang.elision ? analysis::strip_elision(st.token, language) : st.token;
      if (code_points(unelided) < options_.min_token_length) {
        outcome.dropped_by = "length";
      } else if (is_stop_word(lang, custom_stop_words_ ? &custom_stop_words_->words : nullptr, st.token, unelided)) {
        outcome.dropped_by = "stop_words";
      } else if (lang.stemmer && seg.kind != analysis::SegmentKind::number) {
        outcome.term = lang.stemmer->stem(unelided);
      } else {
        outcome.term = unelided;
      }
      cached = lang.cache.emplace(st.token, std::move(outcome)).first;
    }
    const LanguageResources::Outcome& outcome = cached->second;
    if (outcome.term.empty()) continue;
    const std::string_view unelided = lang.elision ? analysis::strip_elision(st.token, language) : st.token;
    emit(outcome.term, unelided);
  }
}

std::vector<TokenTrace> MultilingualAnalyzer::explain(TextRef text) const {
  State st;
  const std::string language = language_of(text);
  LanguageResources& lang = resources_for(st.languages, language, options_);
  const std::u16string_view utf16 = to_utf16(text, st.utf16);
  analysis::normalize(utf16, st.normalized);
  st.segmenter.segment(st.normalized, st.segments);
  std::vector<TokenTrace> rows;
  for (const analysis::Segment& seg : st.segments) {
    TokenTrace row;
    row.language = language;
    append_utf16_as_utf8(std::u16string_view(st.normalized).substr(seg.begin, seg.end - seg.begin), row.segment);
    row.kind = kind_name(seg.kind);
    row.unelided = std::string(lang.elision ? analysis::strip_elision(row.segment, language) : row.segment);
    if (seg.kind == analysis::SegmentKind::number && options_.numbers == NumberPolicy::drop) {
      row.dropped_by = "numbers";
    } else if (code_points(row.unelided) < options_.min_token_length) {
      row.dropped_by = "length";
    } else if (is_stop_word(lang, custom_stop_words_ ? &custom_stop_words_->words : nullptr, row.segment,
                            row.unelided)) {
      row.dropped_by = "stop_words";
    } else if (lang.stemmer && seg.kind != analysis::SegmentKind::number) {
      row.term = lang.stemmer->stem(row.unelided);
    } else {
      row.term = row.unelided;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace themescope
