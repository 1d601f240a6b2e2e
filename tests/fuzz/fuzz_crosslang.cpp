// Cross-language features (crosslang.hpp), every kind switched on or off: the same
// text in any storage gives the same features; a state reused across documents gives
// what a fresh one gives; features and surfaces are non-empty valid UTF-8; fold_word
// takes every feature without throwing.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "themescope/crosslang.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace themescope;
  using fuzz::terms_of;
  FuzzedDataProvider data(bytes, size);
  CrossLanguageOptions options;
  options.language = data.PickValueInArray<std::string>({"auto", "fr", "en", "de", "ru", "el"});
  options.names = data.ConsumeBool();
  options.numbers = data.ConsumeBool();
  options.acronyms = data.ConsumeBool();
  options.cognates = data.ConsumeBool();
  options.ngrams = data.ConsumeBool();
  options.cognate_prefix = data.ConsumeIntegralInRange<std::size_t>(0, 9);
  options.min_word_length = data.ConsumeIntegralInRange<std::size_t>(0, 6);
  options.ngram_min = data.ConsumeIntegralInRange<std::size_t>(0, 6);
  options.ngram_max = data.ConsumeIntegralInRange<std::size_t>(0, 6);
  const std::string known = data.PickValueInArray<std::string>({"", "fr", "en"});
  std::unique_ptr<CrossLanguageAnalyzer> analyzer;
  try {
    analyzer = std::make_unique<CrossLanguageAnalyzer>(options);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const fuzz::Encodings first = fuzz::encodings_of(fuzz::text_from(data, 1024));
  const fuzz::Encodings second = fuzz::encodings_of(fuzz::text_from(data, 1024));
  const fuzz::TermsAndSurfaces expected = analyzer->features(TextRef::utf8(second.utf8), known);
  for (const auto& [feature, surface] : expected) {
    FUZZ_CHECK(!feature.empty() && fuzz::is_valid_utf8(feature) && fuzz::is_valid_utf8(surface), "bad feature");
    (void)fold_word(feature);
  }
  auto reused = analyzer->new_state();
  (void)terms_of(*analyzer, TextRef::utf8(first.utf8), known, *reused);
  FUZZ_CHECK(terms_of(*analyzer, TextRef::utf8(second.utf8), known, *reused) == expected, "a reused state changed the result");
  for (const TextRef& ref : fuzz::refs_of(second)) {
    auto state = analyzer->new_state();
    FUZZ_CHECK(terms_of(*analyzer, ref, known, *state) == expected, "features depend on the text's storage");
  }
  return 0;
}
