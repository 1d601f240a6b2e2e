// The scikit-learn-mode analyzer (sklearn_analyzer.hpp), every option: the same text gives the
// same terms whatever its storage (UTF-8, Latin-1, UCS-2, UCS-4) and whichever entry
// point reads it (the streaming sink, the vector, the per-thread state); terms are
// non-empty valid UTF-8; bad options and invalid UTF-8 are refused with their exceptions.
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "themescope/sklearn_analyzer.hpp"

namespace {
using namespace themescope;

std::vector<std::string> via_sink(const TextAnalyzer& analyzer, TextRef text) {
  AnalyzerScratch scratch;
  std::vector<std::string> out;
  analyzer.analyze(text, scratch, [&](std::string_view term) { out.emplace_back(term); });
  return out;
}

std::vector<std::string> via_state(const TextAnalyzer& analyzer, TextRef text) {
  auto state = analyzer.new_state();
  std::vector<std::string> out;
  analyzer.analyze_document(text, *state, [&](std::string_view term, std::string_view, TermMemo*) {
    out.emplace_back(term);
  });
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  AnalyzerOptions options;
  options.kind = data.PickValueInArray({AnalyzerKind::word, AnalyzerKind::char_ngrams, AnalyzerKind::char_wb});
  options.lowercase = data.ConsumeBool();
  options.strip_accents =
      data.PickValueInArray({AccentStripping::none, AccentStripping::ascii, AccentStripping::unicode});
  options.min_token_length = data.ConsumeIntegralInRange<std::size_t>(0, 3);
  options.ngram_min = data.ConsumeIntegralInRange<std::size_t>(0, 4);
  options.ngram_max = data.ConsumeIntegralInRange<std::size_t>(0, 4);
  for (int i = data.ConsumeIntegralInRange(0, 3); i > 0; --i) options.stop_words.push_back(data.ConsumeRandomLengthString(8));
  const bool raw_bytes = data.ConsumeIntegralInRange(0, 7) == 0;  // now and then, bytes as they come (invalid UTF-8)
  std::unique_ptr<TextAnalyzer> analyzer;
  try {
    analyzer = std::make_unique<TextAnalyzer>(options);
  } catch (const std::invalid_argument&) {
    return 0;  // refused with a message: min_token_length 0, ngram_min > ngram_max, bad stop words...
  }
  if (raw_bytes) {
    const std::string raw = data.ConsumeRemainingBytesAsString();
    const bool valid = fuzz::is_valid_utf8(raw);
    try {
      const auto terms = analyzer->analyze(TextRef::utf8(raw));
      FUZZ_CHECK(valid, "invalid UTF-8 analyzed without an error");
    } catch (const InvalidUtf8Error& error) {
      FUZZ_CHECK(!valid, "valid UTF-8 refused");
      FUZZ_CHECK(error.byte_offset() < raw.size(), "error offset beyond the text");
    }
    return 0;
  }
  const fuzz::Encodings e = fuzz::encodings_of(fuzz::text_from(data, 2048));
  const auto reference = analyzer->analyze(TextRef::utf8(e.utf8));
  for (const std::string& term : reference) {
    FUZZ_CHECK(!term.empty() && fuzz::is_valid_utf8(term), "empty or invalid term");
  }
  for (const TextRef& ref : fuzz::refs_of(e)) {
    FUZZ_CHECK(analyzer->analyze(ref) == reference, "terms depend on the text's storage");
    FUZZ_CHECK(via_sink(*analyzer, ref) == reference, "streamed terms differ");
    FUZZ_CHECK(via_state(*analyzer, ref) == reference, "per-thread state terms differ");
  }
  return 0;
}
