// BM25 (bm25.hpp) on hostile count matrices: statistics, weights and the inverted
// index refuse exactly the malformed buffers and negative counts; on the others each
// query's results are distinct documents whose scores are the brute-force sums of the
// query's weights times the documents' BM25 weights, best first, none better left out,
// only documents sharing a term with the query.
#include <cmath>
#include <limits>
#include <string>
#include <stdexcept>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_csr.hpp"
#include "themescope/bm25.hpp"
#include "themescope/parallel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace themescope;
  FuzzedDataProvider in(bytes, size);
  set_num_threads(in.ConsumeBool() ? 2 : 1);
  const std::int64_t n_terms = in.ConsumeIntegralInRange<std::int64_t>(0, 8);
  auto counts = fuzz::csr_from<double, std::int64_t>(in, n_terms, true);
  auto queries = fuzz::csr_from<double, std::int64_t>(in, n_terms, true);
  auto nonnegative = [](const auto& m) {
    for (const double v : m.data) if (v < 0) return false;
    return true;
  };
  auto countlike = [&](const auto& m) {  // counts: also at most 2^53 (bm25.cpp)
    for (const double v : m.data) if (v > 9007199254740992.0) return false;
    return nonnegative(m);
  };
  const Bm25Parameters parameters{in.ConsumeIntegralInRange(0, 30) / 10.0, in.ConsumeIntegralInRange(0, 10) / 10.0};
  const std::int64_t k = in.ConsumeIntegralInRange<std::int64_t>(0, 5);
  std::vector<double> weights;
  Bm25Statistics statistics;
  try {
    statistics = bm25_statistics(counts.view());
    weights = bm25_weights(counts.view(), statistics, parameters);
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(!(counts.valid && countlike(counts)), "well-formed counts refused");
    return 0;
  }
  FUZZ_CHECK(counts.valid && countlike(counts), "malformed counts accepted");
  FUZZ_CHECK(weights.size() == counts.data.size(), "one weight per entry");
  for (std::size_t e = 0; e < weights.size(); ++e) {
    FUZZ_CHECK(std::isfinite(weights[e]) && weights[e] >= 0, "weight not finite or negative",
               std::to_string(weights[e]) + " for count " + std::to_string(counts.data[e]) + ", k1 " +
                   std::to_string(parameters.k1) + ", b " + std::to_string(parameters.b) + ", average length " +
                   std::to_string(statistics.average_length));
    FUZZ_CHECK((weights[e] > 0) == (counts.data[e] > 0), "a positive count without weight, or the reverse");
  }
  // As BM25Index.fit hands them over: stored zeros (zero counts) dropped.
  fuzz::FuzzCsr<double, std::int64_t> weighted;
  weighted.n_rows = counts.n_rows;
  weighted.n_cols = counts.n_cols;
  weighted.indptr = {0};
  for (std::size_t d = 0; d < static_cast<std::size_t>(counts.n_rows); ++d) {
    for (auto p = counts.indptr[d]; p < counts.indptr[d + 1]; ++p) {
      if (weights[static_cast<std::size_t>(p)] == 0) continue;
      weighted.indices.push_back(counts.indices[p]);
      weighted.data.push_back(weights[static_cast<std::size_t>(p)]);
    }
    weighted.indptr.push_back(static_cast<std::int64_t>(weighted.indices.size()));
  }
  const InvertedIndex index(weighted.view());
  const bool searchable = queries.valid && nonnegative(queries) && queries.n_cols == counts.n_cols && k >= 1 && k <= counts.n_rows;
  TopKResult result;
  try {
    result = index.search(queries.view(), k);
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(!searchable, "a well-formed search refused");
    return 0;
  }
  FUZZ_CHECK(searchable, "a malformed search accepted");
  const auto width = static_cast<std::size_t>(k);
  for (std::size_t q = 0; q < static_cast<std::size_t>(queries.n_rows); ++q) {
    const auto query = queries.dense_row(q);
    std::vector<double> truth(static_cast<std::size_t>(counts.n_rows));
    std::vector<bool> shares(truth.size(), false);
    for (std::size_t d = 0; d < truth.size(); ++d) {
      const auto doc = weighted.dense_row(d);
      for (auto p = counts.indptr[d]; p < counts.indptr[d + 1]; ++p) {
        if (counts.data[p] > 0 && query[static_cast<std::size_t>(counts.indices[p])] > 0) shares[d] = true;
      }
      for (std::size_t t = 0; t < query.size(); ++t) truth[d] += query[t] * doc[t];
    }
    // Only documents sharing a term with the query are ranked.
    fuzz::check_top_k_row(result, q, width, truth, [&](std::size_t d) { return shares[d]; },
                          -std::numeric_limits<double>::infinity(), 1e-9);
  }
  return 0;
}
