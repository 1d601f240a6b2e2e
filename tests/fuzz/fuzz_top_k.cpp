// Exact top-k similarity (similarity.hpp) and the CSR hand-over: a malformed matrix
// (indptr out of range or decreasing, columns out of range, NaN/inf, wrong lengths) is
// refused with std::invalid_argument, exactly when this target's own check finds it
// malformed; a well-formed one gives, per query row, distinct corpus rows whose scores
// are the brute-force dot products, best first, none better left out, self excluded on
// request, none under the threshold.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fuzz_common.hpp"
#include "fuzz_csr.hpp"
#include "themescope/parallel.hpp"
#include "themescope/similarity.hpp"

namespace {
using namespace themescope;

template <class Real, class Index>
void check(FuzzedDataProvider& in) {
  const std::int64_t n_cols = in.ConsumeIntegralInRange<std::int64_t>(0, 9);
  const auto corpus = fuzz::csr_from<Real, Index>(in, n_cols, in.ConsumeBool());
  const bool self_join = in.ConsumeBool();
  const auto queries = self_join ? corpus : fuzz::csr_from<Real, Index>(in, n_cols);
  TopKOptions options;
  options.k = in.ConsumeIntegralInRange<std::int64_t>(0, 6);
  options.exclude_self = self_join && in.ConsumeBool();
  if (in.ConsumeBool()) options.min_score = in.ConsumeIntegralInRange(-8, 8) / 4.0;
  options.tile_rows = in.PickValueInArray<std::size_t>({0, 1, 3, 2048});
  options.dense_scan_fraction = in.PickValueInArray({0.0, 0.125, 1.0});
  options.frequent_term_fraction = in.PickValueInArray({0.0, 0.1, 1.0});
  const auto q = queries.view();
  const auto c = corpus.view();
  const bool valid = corpus.valid && queries.valid && queries.n_cols == corpus.n_cols && options.k >= 1 &&
                     options.k <= corpus.n_rows - (options.exclude_self && corpus.n_rows > 0 ? 1 : 0);
  TopKResult result;
  try {
    result = self_join ? top_k_similar<Real, Index>(c, c, options) : top_k_similar<Real, Index>(q, c, options);
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(!valid, "a well-formed matrix was refused");
    return;
  }
  FUZZ_CHECK(valid, "a malformed matrix was accepted");
  const auto k = static_cast<std::size_t>(options.k);
  FUZZ_CHECK(result.indices.size() == static_cast<std::size_t>(queries.n_rows) * k && result.scores.size() == result.indices.size(),
             "result shape");
  // The reference sums in double too: where a product may overflow, it has no exact
  // ranking to compare with. Checked there: no crash, the shape, the refusal of malformed
  // buffers. (Values up to 1e150, whose squares the kernel's bounds would overflow, are
  // compared: the kernel then takes the full computation.)
  auto largest = [](const auto& m) {
    double top = 0.0;
    for (const auto v : m.data) top = std::max(top, std::abs(static_cast<double>(v)));
    return top;
  };
  if (largest(corpus) * largest(queries) > 1e300) return;
  for (std::size_t r = 0; r < static_cast<std::size_t>(queries.n_rows); ++r) {
    const auto qr = queries.dense_row(r);
    std::vector<double> truth(static_cast<std::size_t>(corpus.n_rows));
    for (std::size_t j = 0; j < truth.size(); ++j) {
      const auto cj = corpus.dense_row(j);
      for (std::size_t t = 0; t < qr.size(); ++t) truth[j] += qr[t] * cj[t];
    }
    // float rows are summed in double; the values are multiples of 1/8
    fuzz::check_top_k_row(result, r, k, truth, [&](std::size_t j) { return !(options.exclude_self && j == r); },
                          options.min_score, 1e-5);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider in(bytes, size);
  themescope::set_num_threads(in.ConsumeBool() ? 2 : 1);
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0: check<double, std::int32_t>(in); break;
    case 1: check<float, std::int64_t>(in); break;
    default: check<double, std::int64_t>(in); break;
  }
  return 0;
}
