// Boilerplate removal (boilerplate.hpp): every removed line lies inside the document,
// in order, without overlaps; the kept text is no longer than the document and made of
// its characters; the batch entry point (UTF-8, threads) gives what clean_document
// gives on the decoded text; recurring_lines only returns normalized paragraphs.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "themescope/boilerplate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace themescope;
  namespace bp = themescope::boilerplate;
  FuzzedDataProvider data(bytes, size);
  bp::Params params;
  if (data.ConsumeBool()) {
    params.length_low = data.ConsumeFloatingPoint<double>();
    params.length_high = data.ConsumeFloatingPoint<double>();
    params.stopwords_low = data.ConsumeProbability<double>();
    params.stopwords_high = data.ConsumeProbability<double>();
    params.max_link_density = data.ConsumeProbability<double>();
    params.max_short_run = data.ConsumeIntegralInRange<std::size_t>(0, 10);
    params.max_heading_distance = data.ConsumeIntegralInRange<std::size_t>(0, 500);
  }
  try {
    params.validate();
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::string language = data.PickValueInArray<std::string>({"", "fr", "en", "de", "xx"});
  std::vector<fuzz::Encodings> documents;
  for (int i = data.ConsumeIntegralInRange(1, 4); i > 0; --i) {
    documents.push_back(fuzz::encodings_of(fuzz::text_from(data, 1500)));
  }
  std::vector<TextRef> refs;
  for (const auto& d : documents) refs.push_back(TextRef::utf8(d.utf8));
  const auto recurring_list = bp::recurring_lines(refs, 2);
  bp::LineSet recurring;
  for (const auto& line : recurring_list) {
    FUZZ_CHECK(bp::normalize_paragraph(line) == line, "a recurring line is not normalized");
    recurring.insert(line);
  }
  const std::vector<std::string_view> languages(refs.size(), language);
  const auto batch = bp::clean_documents(refs, languages, recurring, params);
  FUZZ_CHECK(batch.size() == documents.size(), "one result per document");
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const std::u32string& text = documents[d].code_points;
    const auto single = bp::clean_document(text, bp::stop_words_for(language), recurring, params);
    FUZZ_CHECK(single.changed == batch[d].changed && single.text == batch[d].text &&
                   single.removed.size() == batch[d].removed.size(),
               "the batch differs from clean_document");
    std::size_t last_end = 0;
    for (const auto& r : single.removed) {
      FUZZ_CHECK(r.begin <= r.end && r.end <= text.size() && r.begin >= last_end, "removed line outside the text");
      FUZZ_CHECK(static_cast<std::size_t>(r.reason) < bp::kReasonCount, "unknown reason");
      last_end = r.end;
    }
    FUZZ_CHECK(single.changed || single.text.empty(), "unchanged documents carry no text");
    FUZZ_CHECK(single.changed == !single.removed.empty(), "changed iff something was removed");
    FUZZ_CHECK(single.text.size() <= text.size(), "kept text longer than the document");
  }
  return 0;
}
