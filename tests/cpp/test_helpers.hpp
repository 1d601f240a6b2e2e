// Small helpers shared by the C++ unit tests.
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "themescope/sklearn_analyzer.hpp"
#include "themescope/parallel.hpp"
#include "themescope/text.hpp"

// Non-ASCII text in these tests is written as UTF-8 string literals.
static_assert(sizeof("\u00E9") == 3, "the tests need a UTF-8 execution character set");

namespace themescope::testing {

// UTF-16 of code points (what ICU reads).
inline std::u16string utf16_of(std::u32string_view text) {
  std::u16string out;
  for (const char32_t c : text) {
    if (c < 0x10000) {
      out.push_back(static_cast<char16_t>(c));
    } else {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    }
  }
  return out;
}

// Restores the thread count a test changes.
class ThreadCountGuard {
 public:
  ThreadCountGuard() : saved_(get_num_threads()) {}
  ~ThreadCountGuard() { set_num_threads(saved_); }

 private:
  int saved_;
};

using Terms = std::vector<std::string>;

inline Terms sorted(Terms terms) {
  std::sort(terms.begin(), terms.end());
  return terms;
}

// The terms of one document, sorted (analyze() promises a multiset, not an order).
inline Terms analyze_sorted(const AnalyzerOptions& options, TextRef text) {
  return sorted(TextAnalyzer(options).analyze(text));
}
inline Terms analyze_sorted(const AnalyzerOptions& options, std::string_view utf8) {
  return analyze_sorted(options, TextRef::utf8(utf8));
}

inline AnalyzerOptions word_options(std::size_t ngram_min = 1, std::size_t ngram_max = 1) {
  AnalyzerOptions o;
  o.ngram_min = ngram_min;
  o.ngram_max = ngram_max;
  return o;
}

inline AnalyzerOptions char_options(AnalyzerKind kind, std::size_t ngram_min, std::size_t ngram_max) {
  AnalyzerOptions o;
  o.kind = kind;
  o.ngram_min = ngram_min;
  o.ngram_max = ngram_max;
  return o;
}

// UTF-8 of code points, written independently of the library's encoder.
inline std::string to_u8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) {
    const auto v = static_cast<unsigned>(c);
    if (v < 0x80) {
      out += static_cast<char>(v);
    } else if (v < 0x800) {
      out += static_cast<char>(0xC0 | (v >> 6));
      out += static_cast<char>(0x80 | (v & 0x3F));
    } else if (v < 0x10000) {
      out += static_cast<char>(0xE0 | (v >> 12));
      out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (v & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (v >> 18));
      out += static_cast<char>(0x80 | ((v >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (v & 0x3F));
    }
  }
  return out;
}

// "U+00E9" style names for failure messages.
inline std::string cp_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

inline std::string cp_names(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (!out.empty()) out += ' ';
    out += cp_name(c);
  }
  return out;
}

}  // namespace themescope::testing
