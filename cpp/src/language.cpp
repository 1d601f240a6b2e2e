#include "themescope/language.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <stdexcept>
#include <string>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "themescope/parallel.hpp"

// CLD2 and threads. The header lists "thread safe" among CLD2's design goals, and
// its source (internal/compact_lang_det_impl.cc) keeps the scoring state of a call
// in locals (DocTote, ScoringContext, prediction tables allocated per call). The
// statically linked tables of libcld2 are const; libcld2_dynamic (not used here)
// loads them through functions that are not thread safe. What the detection path
// still writes to globals, checked in the disassembly of Debian's libcld2.so.0:
// DetectLanguageSummaryV2 stores the constant UNKNOWN_LANGUAGE into `prior_lang`, a
// global only read by the debug output of the kCLDFlagHtml flags, which we never
// pass. DetectLanguageVersion() formats into a static buffer: it is not called.

namespace themescope {

namespace {

// Code points that CLD2 does not accept as "interchange-valid" UTF-8 (its *CheckUTF8
// functions stop there): C0 controls but tab, newline, form feed and carriage
// return; DEL and C1 controls; surrogates; noncharacters. Checked against
// CLD2 over every code point; we also replace form feed and anything above U+10FFFF.
constexpr bool unacceptable_to_cld2(char32_t c) noexcept {
  if (c < 0x20) return c != U'\t' && c != U'\n' && c != U'\r';
  if (c < 0x7F) return false;
  if (c <= 0x9F) return true;
  if (c >= 0xD800 && c <= 0xDFFF) return true;
  if (c >= 0xFDD0 && c <= 0xFDEF) return true;
  return (c & 0xFFFE) == 0xFFFE || c > 0x10FFFF;
}

// How much a character counts towards kMinLetters: 1 for a letter (Unicode
// category L), 3 for a Han, kana or Hangul one (each carries about a syllable or a
// morpheme, as much as three letters of an alphabet), 0 for anything else.
std::size_t letter_weight(char32_t c) noexcept {
  if (c < 0x80) return static_cast<char32_t>((c | 0x20) - U'a') < 26 ? 1 : 0;
  const auto code_point = static_cast<UChar32>(c);
  if ((U_GET_GC_MASK(code_point) & U_GC_L_MASK) == 0) return 0;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(code_point, &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
      return 3;
    default:
      return 1;
  }
}

// The text handed to CLD2, reused from document to document.
struct Sample {
  std::string utf8;
  std::size_t letters = 0;  // weighted: see letter_weight

  void clear() noexcept {
    utf8.clear();
    letters = 0;
  }
  void add(char32_t c) {
    if (unacceptable_to_cld2(c)) {
      utf8.push_back(' ');
      return;
    }
    letters += letter_weight(c);
    append_utf8(c, utf8);
  }
};

// Calls read(begin, end) for each code-unit range of a document of n units that is
// read: all of it, or budget.windows evenly spaced windows, first and last included.
template <class Read>
void for_each_window(std::size_t n, const SampleBudget& budget, Sample& sample, Read read) {
  if (n <= budget.code_units) {
    read(std::size_t{0}, n);
    return;
  }
  const std::size_t width = budget.code_units / budget.windows;
  const std::size_t gaps = budget.windows - 1;
  const std::size_t span = n - width;  // the last window starts here
  if (gaps == 0) {
    read(std::size_t{0}, width);
    return;
  }
  for (std::size_t i = 0; i < budget.windows; ++i) {
    const std::size_t begin = span / gaps * i + span % gaps * i / gaps;
    if (i > 0) sample.utf8.push_back('\n');
    read(begin, begin + width);
  }
}

template <class Unit>
void sample_fixed_width(const Unit* units, std::size_t n, const SampleBudget& budget, Sample& sample) {
  for_each_window(n, budget, sample, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) sample.add(static_cast<char32_t>(units[i]));
  });
}

// `bytes` is valid UTF-8 (surrogates allowed): windows are moved to the next
// character boundary.
void sample_utf8(std::string_view bytes, const SampleBudget& budget, Sample& sample) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  auto boundary = [&](std::size_t i) {
    while (i < n && (b[i] & 0xC0) == 0x80) ++i;
    return i;
  };
  for_each_window(n, budget, sample, [&](std::size_t begin, std::size_t end) {
    end = boundary(end);
    for (std::size_t i = boundary(begin); i < end;) {
      const unsigned char c = b[i];
      if (c < 0x80) {
        sample.add(c);
        i += 1;
      } else if (c < 0xE0) {
        sample.add(static_cast<char32_t>(((c & 0x1F) << 6) | (b[i + 1] & 0x3F)));
        i += 2;
      } else if (c < 0xF0) {
        sample.add(static_cast<char32_t>(((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)));
        i += 3;
      } else {
        sample.add(static_cast<char32_t>(((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) |
                                         (b[i + 3] & 0x3F)));
        i += 4;
      }
    }
  });
}

void fill_sample(TextRef text, const SampleBudget& budget, Sample& sample) {
  sample.clear();
  switch (text.encoding) {
    case TextEncoding::latin1:
      sample_fixed_width(static_cast<const std::uint8_t*>(text.data), text.length, budget, sample);
      break;
    case TextEncoding::ucs2:
      sample_fixed_width(static_cast<const char16_t*>(text.data), text.length, budget, sample);
      break;
    case TextEncoding::ucs4:
      sample_fixed_width(static_cast<const char32_t*>(text.data), text.length, budget, sample);
      break;
    case TextEncoding::utf8: {
      const std::string_view bytes(static_cast<const char*>(text.data), text.length);
      check_utf8(bytes);
      sample_utf8(bytes, budget, sample);
      break;
    }
  }
}

std::string_view detect_sample(const Sample& sample) {
  if (sample.letters < kMinLetters) return kUndeterminedLanguage;
  // At most kMaxSampledCodeUnits characters of 4 bytes, and a separator per window.
  static_assert(kMaxSampledCodeUnits * 4 + kSampleWindows < 0x7FFFFFFF, "CLD2 takes an int length");
  const int length = static_cast<int>(sample.utf8.size());
  const CLD2::CLDHints no_hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double normalized_score3[3];
  int text_bytes = 0;
  bool is_reliable = false;  // not used: see language.hpp
  int valid_prefix_bytes = 0;
  const CLD2::Language summary = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      sample.utf8.data(), length, /*is_plain_text=*/true, &no_hints, /*flags=*/0, language3, percent3,
      normalized_score3, /*resultchunkvector=*/nullptr, &text_bytes, &is_reliable, &valid_prefix_bytes);
  if (valid_prefix_bytes != length) {
    throw std::logic_error("themescope: CLD2 rejected the sanitized text at byte " +
                           std::to_string(valid_prefix_bytes) + " (a bug, please report it)");
  }
  if (summary == CLD2::UNKNOWN_LANGUAGE) return kUndeterminedLanguage;
  // language3 is sorted by share of the text; "ignore" is not a language.
  for (const CLD2::Language language : language3) {
    if (language != CLD2::TG_UNKNOWN_LANGUAGE) return detail::language_code_of_cld2(language);
  }
  return kUndeterminedLanguage;
}

std::string_view detect_one(TextRef text, const SampleBudget& budget, Sample& sample) {
  fill_sample(text, budget, sample);
  return detect_sample(sample);
}

bool is_language_subtag(std::string_view code) noexcept {
  return (code.size() == 2 || code.size() == 3) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

namespace detail {

std::string_view language_code_of_cld2(int cld2_language) noexcept {
  if (cld2_language < 0 || cld2_language >= CLD2::NUM_LANGUAGES) return kUndeterminedLanguage;
  const auto language = static_cast<CLD2::Language>(cld2_language);
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE ||
      language >= CLD2::X_BORK_BORK_BORK) {  // extended: joke languages, then script-only "xx-Latn"...
    return kUndeterminedLanguage;
  }
  const std::string_view code = CLD2::LanguageCode(language);
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code == "zh-Hant") return "zh";
  if (code == "sr-ME") return "sr";
  // Unused slots of CLD2's enum have no code.
  return is_language_subtag(code) ? code : kUndeterminedLanguage;
}

}  // namespace detail

std::string_view detect_language(TextRef text) {
  Sample sample;
  return detect_one(text, kDocumentSample, sample);
}

std::string_view detect_language(std::string_view utf8) { return detect_language(TextRef::utf8(utf8)); }

std::string_view detect_language(TextRef text, const SampleBudget& budget) {
  if (budget.windows == 0 || budget.windows > kSampleWindows || budget.code_units < budget.windows ||
      budget.code_units > kMaxSampledCodeUnits) {
    throw std::invalid_argument("SampleBudget: 1 to " + std::to_string(kSampleWindows) + " windows of at least one " +
                                "code unit, at most " + std::to_string(kMaxSampledCodeUnits) + " code units");
  }
  Sample sample;
  return detect_one(text, budget, sample);
}

std::vector<std::string_view> detect_languages(std::span<const TextRef> texts) {
  return detect_languages(texts, kDocumentSample);
}

std::vector<std::string_view> detect_languages(std::span<const TextRef> texts, const SampleBudget& budget) {
  std::vector<std::string_view> languages(texts.size());
  // Documents are handed out in small blocks: one atomic increment per block, and
  // blocks small enough to balance articles of very different lengths.
  constexpr std::size_t block = 16;
  const std::size_t n_tasks = (texts.size() + block - 1) / block;
  const std::size_t n_workers =
      std::max<std::size_t>(1, std::min(static_cast<std::size_t>(get_num_threads()), n_tasks));
  std::vector<Sample> samples(n_workers);
  parallel_for_workers(n_tasks, n_workers, [&](std::size_t task, std::size_t worker) {
    const std::size_t end = std::min(texts.size(), (task + 1) * block);
    for (std::size_t d = task * block; d < end; ++d) {
      try {
        languages[d] = detect_one(texts[d], budget, samples[worker]);
      } catch (const InvalidUtf8Error& e) {
        throw InvalidUtf8Error(e.byte_offset(), "document " + std::to_string(d) + ": invalid UTF-8 at byte offset " +
                                                    std::to_string(e.byte_offset()));
      }
    }
  });
  return languages;
}

}  // namespace themescope
