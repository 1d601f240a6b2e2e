// TF-IDF weighting with scikit-learn's TfidfTransformer formulas.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "themescope/csr.hpp"

namespace themescope {

enum class Norm { none, l1, l2 };

// Number of stored entries per column (np.bincount(indices, minlength=n_features)).
// Throws std::out_of_range for an index outside [0, n_features).
template <class Index>
std::vector<std::int64_t> document_frequency(std::span<const Index> indices, std::int64_t n_features);

// idf = ln((n_documents + s) / (df + s)) + 1 with s = 1 when smooth, else 0,
// computed in Real as scikit-learn does for float64 and float32 matrices.
template <class Real>
std::vector<Real> inverse_document_frequency(std::span<const std::int64_t> df, std::int64_t n_documents,
                                             bool smooth);

// In place, row by row: tf -> 1 + ln(tf) when sublinear_tf; times idf[column]
// when idf is not empty; then rows scaled to unit L1 or L2 norm (zero rows kept).
template <class Real, class Index, class Pointer>
void tfidf_in_place(CsrView<Real, Index, Pointer> matrix, std::span<const Real> idf, bool sublinear_tf,
                    Norm norm);

}  // namespace themescope
