// Spherical k-means (kmeans.hpp) on rows with NaN, inf, empty rows and malformed
// buffers: validate_rows refuses exactly the malformed ones (this target's own
// verdict); on the others, labels lie in [0, k) and are the rows' nearest
// centroids (assign_to_centroids), the inertia is finite and within [0, 2n], and one
// thread and two give bit-identical results.
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_csr.hpp"
#include "themescope/kmeans.hpp"
#include "themescope/parallel.hpp"

namespace {
using namespace themescope;

template <class Index>
void check(FuzzedDataProvider& in) {
  auto m = fuzz::csr_from<double, Index>(in, in.ConsumeIntegralInRange<std::int64_t>(0, 8));
  try {
    validate_rows<Index>(m.view());
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(!m.valid, "well-formed rows refused");
    return;
  }
  FUZZ_CHECK(m.valid, "malformed rows accepted");
  if (m.n_rows == 0) return;
  // Canonical unit rows, as the estimator hands them over: duplicates summed, columns
  // sorted, zeros dropped, each row scaled to norm 1 (empty and zero rows stay empty).
  // The kernels count on it (a row repeating a column gets a centroid of norm > 1).
  fuzz::FuzzCsr<double, Index> unit;
  unit.n_rows = m.n_rows;
  unit.n_cols = m.n_cols;
  unit.indptr = {0};
  for (std::int64_t r = 0; r < m.n_rows; ++r) {
    const auto dense = m.dense_row(static_cast<std::size_t>(r));
    double norm = 0;
    for (const double v : dense) norm += v * v;
    norm = std::sqrt(norm);
    for (std::size_t c = 0; c < dense.size(); ++c) {
      if (dense[c] == 0 || !(norm > 0) || !std::isfinite(norm) || dense[c] / norm == 0) continue;
      unit.indices.push_back(static_cast<Index>(c));
      unit.data.push_back(dense[c] / norm);
    }
    unit.indptr.push_back(static_cast<Index>(unit.indices.size()));
  }
  m = std::move(unit);
  const auto rows = m.view();
  const std::size_t k = in.ConsumeIntegralInRange<std::size_t>(1, static_cast<std::size_t>(m.n_rows));
  const std::size_t trials = in.ConsumeIntegralInRange<std::size_t>(1, 3);
  const std::size_t runs = in.ConsumeIntegralInRange<std::size_t>(1, 3);
  std::vector<std::int64_t> first_rows;
  std::vector<double> uniforms;
  // As the estimator draws them: each run starts from a non-zero row.
  std::vector<std::int64_t> nonzero;
  for (std::int64_t r = 0; r < m.n_rows; ++r) {
    for (auto p = m.indptr[r]; p < m.indptr[r + 1]; ++p) {
      if (m.data[p] != 0) {
        nonzero.push_back(r);
        break;
      }
    }
  }
  if (nonzero.empty()) return;
  for (std::size_t run = 0; run < runs; ++run) {
    first_rows.push_back(nonzero[in.ConsumeIntegralInRange<std::size_t>(0, nonzero.size() - 1)]);
    for (std::size_t u = 0; u < (k - 1) * trials; ++u) uniforms.push_back(in.ConsumeProbability<double>());
  }
  LloydOptions options;
  options.max_iter = in.ConsumeIntegralInRange(1, 20);
  options.tol = in.PickValueInArray({0.0, 1e-4, 0.5});
  set_num_threads(1);
  const KMeansFit one = spherical_kmeans<Index>(rows, k, first_rows, uniforms, trials, options);
  set_num_threads(2);
  const KMeansFit two = spherical_kmeans<Index>(rows, k, first_rows, uniforms, trials, options);
  FUZZ_CHECK(one.best.labels == two.best.labels && one.best.inertia == two.best.inertia &&
                 one.best.centroids == two.best.centroids && one.run_inertia == two.run_inertia,
             "results depend on the thread count");
  const auto& best = one.best;
  FUZZ_CHECK(best.labels.size() == static_cast<std::size_t>(m.n_rows), "one label per row");
  for (const auto label : best.labels) FUZZ_CHECK(label >= 0 && static_cast<std::size_t>(label) < k, "label out of range");
  FUZZ_CHECK(std::isfinite(best.inertia) && best.inertia >= -1e-9 && best.inertia <= 2.0 * m.n_rows + 1e-9,
             "inertia out of range", std::to_string(best.inertia) + " for " + std::to_string(m.n_rows) + " rows");
  FUZZ_CHECK(best.centroids.allFinite(), "non-finite centroid");
  FUZZ_CHECK(assign_to_centroids<Index>(rows, best.centroids).labels == best.labels, "labels are not the nearest centroids");
  FUZZ_CHECK(one.run_inertia.size() == runs && one.best_run < runs, "one inertia per run");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider in(bytes, size);
  if (in.ConsumeBool()) {
    check<std::int32_t>(in);
  } else {
    check<std::int64_t>(in);
  }
  return 0;
}
