// Shared by the libFuzzer targets (tests/fuzz/README.md): a failed property aborts
// with a message, which libFuzzer reports as a crash and saves the input of.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "themescope/analyzer.hpp"
#include "themescope/similarity.hpp"
#include "themescope/text.hpp"

namespace themescope::fuzz {

[[noreturn]] inline void fail(const char* condition, const char* what = "", const std::string& detail = "") {
  std::fprintf(stderr, "property failed: %s (%s) %s\n", what, condition, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(condition, ...) \
  do {                             \
    if (!(condition)) ::themescope::fuzz::fail(#condition, ##__VA_ARGS__); \
  } while (0)

// The same code points in every encoding CPython hands over (a str's storage):
// UTF-8 always, Latin-1 / UCS-2 when every code point fits.
struct Encodings {
  std::u32string code_points;
  std::string utf8;
  std::string latin1;
  std::u16string ucs2;
  bool fits_latin1 = true;
  bool fits_ucs2 = true;
};

inline Encodings encodings_of(std::u32string text) {
  Encodings e;
  for (char32_t& c : text) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;  // a str holds no such code point
    append_utf8(c, e.utf8);
    if (c > 0xFF) e.fits_latin1 = false;
    if (c > 0xFFFF) e.fits_ucs2 = false;
    if (e.fits_latin1) e.latin1.push_back(static_cast<char>(c));
    if (e.fits_ucs2) e.ucs2.push_back(static_cast<char16_t>(c));
  }
  e.code_points = std::move(text);
  return e;
}

// Every TextRef of the same text.
inline std::vector<TextRef> refs_of(const Encodings& e) {
  std::vector<TextRef> refs{TextRef::utf8(e.utf8), TextRef::utf32(e.code_points)};
  if (e.fits_latin1) refs.push_back({e.latin1.data(), e.latin1.size(), TextEncoding::latin1});
  if (e.fits_ucs2) refs.push_back({e.ucs2.data(), e.ucs2.size(), TextEncoding::ucs2});
  return refs;
}

// Text made of the input's code points: bytes read as UTF-8 where they are, else as
// single code points; plus, now and then, characters from the ranges words are made of.
inline std::u32string text_from(FuzzedDataProvider& data, std::size_t max_bytes) {
  const std::string bytes = data.ConsumeRandomLengthString(max_bytes);
  std::u32string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
    } else if (b >= 0xF8 && i + 2 < bytes.size()) {  // an escape to any plane
      out.push_back(static_cast<char32_t>((static_cast<unsigned char>(bytes[i + 1]) << 8 |
                                           static_cast<unsigned char>(bytes[i + 2])) |
                                          ((b & 0x1) << 16)));
      i += 3;
    } else if (i + 1 < bytes.size()) {
      out.push_back(static_cast<char32_t>((b & 0x7F) << 8 | static_cast<unsigned char>(bytes[i + 1])));
      i += 2;
    } else {
      out.push_back(b);
      ++i;
    }
  }
  return out;
}

inline bool is_valid_utf8(std::string_view s) {
  try {
    (void)to_utf32(TextRef::utf8(s));
    return true;
  } catch (const InvalidUtf8Error&) {
    return false;
  }
}

// (term, surface) pairs an analyzer emits for a text, in order.
using TermsAndSurfaces = std::vector<std::pair<std::string, std::string>>;
inline TermsAndSurfaces terms_of(const DocumentAnalyzer& analyzer, TextRef text, std::string_view language,
                                 AnalyzerState& state) {
  TermsAndSurfaces out;
  analyzer.analyze_document_in(text, language, state, [&](std::string_view term, std::string_view surface, TermMemo*) {
    out.emplace_back(term, surface);
  });
  return out;
}

// Row r of a top-k result (width k) against the brute-force score of every candidate:
// padding (-1, NaN) only after the results; distinct candidates, each `eligible`;
// scores equal to their truth (within eps relative), best first, none below `floor`;
// no eligible candidate left out that beats the last result, or, when the row is
// short, that reaches `floor`. A truth that overflowed (inf) is not compared.
template <class Eligible>
void check_top_k_row(const TopKResult& result, std::size_t r, std::size_t k, const std::vector<double>& truth,
                     Eligible eligible, double floor, double eps) {
  auto close = [&](double a, double b) { return !std::isfinite(b) || std::abs(a - b) <= eps * (1 + std::abs(b)); };
  std::set<std::int64_t> returned;
  double last = std::numeric_limits<double>::infinity();
  std::size_t n_results = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const std::int64_t j = result.indices[r * k + i];
    const double s = result.scores[r * k + i];
    if (j < 0) {
      FUZZ_CHECK(j == -1 && std::isnan(s), "padding is -1 with NaN");
      continue;
    }
    FUZZ_CHECK(n_results++ == i, "padding before a result");
    FUZZ_CHECK(static_cast<std::size_t>(j) < truth.size() && returned.insert(j).second, "index out of range or repeated");
    FUZZ_CHECK(eligible(static_cast<std::size_t>(j)), "an ineligible candidate returned");
    FUZZ_CHECK(close(s, truth[static_cast<std::size_t>(j)]), "score is not the brute-force score",
               std::to_string(s) + " vs " + std::to_string(truth[static_cast<std::size_t>(j)]));
    FUZZ_CHECK(s <= last + eps * (1 + std::abs(last)) || !std::isfinite(last), "scores not best first");
    FUZZ_CHECK(s >= floor - eps * (1 + std::abs(floor)) || !std::isfinite(floor), "a score under the floor");
    last = s;
  }
  const double bar = n_results == k ? last : floor;
  for (std::size_t j = 0; j < truth.size(); ++j) {
    // A finite matrix of huge values may overflow to inf: IEEE arithmetic, no ranking promised.
    if (returned.count(static_cast<std::int64_t>(j)) || !eligible(j) || !std::isfinite(truth[j])) continue;
    FUZZ_CHECK(truth[j] <= bar + eps * (1 + std::abs(bar)),
               "a better candidate was left out", std::to_string(truth[j]) + " > " + std::to_string(bar));
  }
}

}  // namespace themescope::fuzz
