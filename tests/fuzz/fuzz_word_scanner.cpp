// The fast word scanner (word_scanner.hpp) against its reference, ICU: normalizing
// the whole text and segmenting it with ICU's BreakIterator gives exactly the words
// and kinds that scanning the raw text gives (each word normalized on its own, the
// stretches the scanner hands back segmented by ICU); every word lies inside the text.
#include <string>
#include <utility>
#include <vector>

#include "../cpp/test_helpers.hpp"
#include "fuzz_common.hpp"
#include "themescope/analysis.hpp"
#include "themescope/word_scanner.hpp"

namespace {
using namespace themescope;
using Words = std::vector<std::pair<std::u16string, analysis::SegmentKind>>;

using testing::utf16_of;

analysis::WordSegmenter& segmenter() {
  static analysis::WordSegmenter s;
  return s;
}

void append_icu_words(std::u32string_view text, Words& out) {
  std::u16string normalized;
  analysis::normalize(utf16_of(text), normalized);
  std::vector<analysis::Segment> segments;
  segmenter().segment(normalized, segments);
  for (const auto& s : segments) out.emplace_back(normalized.substr(s.begin, s.end - s.begin), s.kind);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  const fuzz::Encodings e = fuzz::encodings_of(fuzz::text_from(data, 4096));
  const std::u32string& text = e.code_points;
  Words scanned;
  std::size_t last_end = 0;
  const analysis::detail::FixedWidthReader<char32_t> read{text.data(), text.size(), analysis::word_class_table()};
  analysis::scan_words(
      read, text.size(),
      [&](const analysis::RawWord& w) {
        FUZZ_CHECK(w.begin < w.end && w.end <= text.size() && w.begin >= last_end, "word outside the text or out of order");
        last_end = w.end;
        std::string concatenated;  // what the analyzer builds from the table
        for (std::size_t i = w.begin; i < w.end; ++i) concatenated += analysis::word_table().normalized(text[i]);
        std::u16string normalized;
        analysis::normalize(utf16_of(text.substr(w.begin, w.end - w.begin)), normalized);
        FUZZ_CHECK(utf16_of(to_utf32(TextRef::utf8(concatenated))) == normalized, "table normalization differs from ICU's");
        scanned.emplace_back(normalized, w.kind);
      },
      [&](std::size_t begin, std::size_t end) {
        FUZZ_CHECK(begin <= end && end <= text.size() && begin >= last_end, "fallback stretch outside the text");
        last_end = end;
        append_icu_words(text.substr(begin, end - begin), scanned);
      });
  Words reference;
  append_icu_words(text, reference);
  FUZZ_CHECK(scanned == reference, "scanned words differ from ICU's");
  return 0;
}
