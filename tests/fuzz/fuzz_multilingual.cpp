// The multilingual analyzer (multilingual.hpp) in each language and "auto": its fast
// path gives the terms and surfaces of its reference path (fast_path = false) in each
// storage; every storage gives the same terms where the language is given or its
// identification reads the text whole; terms and surfaces are valid UTF-8;
// explain() traces as many kept terms as the analyzer emits.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "themescope/multilingual.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace themescope;
  using fuzz::terms_of;
  FuzzedDataProvider data(bytes, size);
  MultilingualOptions options;
  options.language = data.PickValueInArray<std::string>(
      {"auto", "fr", "en", "de", "es", "it", "nl", "pt", "ru", "sv", "fi", "ar", "el", "tr", "ja", "zh", "und"});
  options.stop_words = data.PickValueInArray(
      {StopWordsSource::language, StopWordsSource::none, StopWordsSource::custom});
  if (options.stop_words == StopWordsSource::custom) options.custom_stop_words = {"le", "the", "der"};
  options.elision = data.ConsumeBool();
  options.stem = data.ConsumeBool();
  options.numbers = data.ConsumeBool() ? NumberPolicy::keep : NumberPolicy::drop;
  options.min_token_length = data.ConsumeIntegralInRange<std::size_t>(1, 3);
  options.ngram_min = data.ConsumeIntegralInRange<std::size_t>(1, 2);
  options.ngram_max = options.ngram_min + data.ConsumeIntegralInRange<std::size_t>(0, 1);
  const fuzz::Encodings e = fuzz::encodings_of(fuzz::text_from(data, 2048));
  MultilingualOptions reference_options = options;
  reference_options.fast_path = false;
  options.fast_path = true;
  std::unique_ptr<MultilingualAnalyzer> fast, reference;
  try {
    fast = std::make_unique<MultilingualAnalyzer>(options);
    reference = std::make_unique<MultilingualAnalyzer>(reference_options);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  // Language identification ("auto") samples long documents by windows of code units,
  // which differ between UTF-8 and the fixed-width storages: the same terms in every
  // storage are promised for text the sample reads whole (kAnalyzerLanguageSample).
  const bool read_whole = e.utf8.size() <= kAnalyzerLanguageSample.code_units;
  fuzz::TermsAndSurfaces first_expected;
  for (const TextRef& ref : fuzz::refs_of(e)) {
    auto reference_state = reference->new_state();
    const fuzz::TermsAndSurfaces expected = terms_of(*reference, ref, "", *reference_state);
    for (const auto& [term, surface] : expected) {
      FUZZ_CHECK(!term.empty() && fuzz::is_valid_utf8(term) && fuzz::is_valid_utf8(surface), "bad term or surface");
    }
    auto state = fast->new_state();
    const auto got = terms_of(*fast, ref, "", *state);
    if (got != expected) {
      std::string detail = "language " + options.language + ", stem " + std::to_string(options.stem) + ", elision " +
                           std::to_string(options.elision) + ", min length " + std::to_string(options.min_token_length) +
                           ", encoding " + std::to_string(static_cast<int>(ref.encoding)) + "\ntext:";
      for (const char32_t c : e.code_points) detail += " " + std::to_string(static_cast<unsigned>(c));
      detail += "\nfast:";
      for (const auto& [t, surface] : got) detail += " [" + t + "|" + surface + "]";
      detail += "\nreference:";
      for (const auto& [t, surface] : expected) detail += " [" + t + "|" + surface + "]";
      fuzz::fail("got == expected", "fast path differs from the reference path", detail);
    }
    if (ref.encoding == TextEncoding::utf8) {
      first_expected = expected;
    } else if (read_whole || options.language != "auto") {
      FUZZ_CHECK(expected == first_expected, "terms depend on the text's storage");
    }
  }
  if (options.ngram_max == 1) {
    std::size_t kept = 0;
    for (const TokenTrace& t : fast->explain(TextRef::utf8(e.utf8))) kept += t.term.empty() ? 0 : 1;
    FUZZ_CHECK(kept == first_expected.size(), "explain() and the analyzer disagree");
  }
  return 0;
}
