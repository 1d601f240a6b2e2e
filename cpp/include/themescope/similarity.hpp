// Top-k similarity of sparse rows: the k largest dot products of each query row
// with the rows of a corpus matrix, without ever forming the dense score matrix.
//
// The scores are dot products; for L2-normalised rows (TfidfVectorizer's default)
// they are the cosine similarities.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "themescope/csr.hpp"

namespace themescope {

struct TopKOptions {
  std::int64_t k = 10;
  // Candidates scoring below this are left out (the row is then padded).
  double min_score = -std::numeric_limits<double>::infinity();
  // Query row i never gets corpus row i as a neighbour (the self-join).
  bool exclude_self = false;
  // A query row whose terms reach at least this fraction of the corpus rows (counted
  // with repetition) is ranked by scanning the whole accumulator instead of a list of
  // the rows it touched. Only speed depends on it, never a result; tests force each path.
  double dense_scan_fraction = 0.125;
  // Terms in at least this fraction of the corpus rows are "frequent". When every
  // value is >= 0 and rows are sorted, a query row first sums its other terms; if
  // that already shows the frequent terms cannot lift the rows they alone reach
  // into the top k (bounds: column maxima and Cauchy-Schwarz on row norms), only the
  // rows that still can are scored: estimated to within rounding (the other terms'
  // sum plus the frequent ones'), and those near the k-th best estimate summed again
  // exactly, in the same order as without the shortcut. Otherwise the row is computed in full. Only speed depends on it;
  // infinity turns it off.
  double frequent_term_fraction = 0.1;
  // When every value is >= 0 and rows are sorted, query rows that would scan the whole
  // accumulator are computed 8 at a time over tiles of this many corpus rows:
  // each column is then read once per group instead of once per row, and a term most
  // of the group shares is added to all of them in one vector operation. Every score
  // gets the very additions, in the same order, of the row-by-row computation (absent
  // terms add +0.0), so only speed depends on it; 0 turns it off.
  std::size_t tile_rows = 2048;
  // When every value is >= 0 and rows are sorted, each query row is first tried by a
  // bounded search: its rarest terms find likely neighbours, whose exact scores give a
  // floor for the k-th best; once the remaining terms cannot lift a row not yet reached
  // to that floor, only the rows reached are scored exactly (in column order, so the
  // bits are those of the full computation). Rows whose floor is too low to spare half
  // the work go on to the strategies above. Only speed depends on it.
  bool bounded_search = true;
  // When every value is >= 0 and rows are sorted, up to 8 query rows are scored by
  // scanning the corpus row by row, without the column index the strategies above
  // build first (for one query against 100,000 rows: ~20 ms instead of ~0.5 s).
  // Only speed depends on it.
  bool row_scan = true;
};

// Row-major (n_queries x k) results. Each row lists its neighbours by score
// descending, equal scores by lower corpus index; rows with fewer than k
// qualifying candidates end with index -1 and score NaN.
struct TopKResult {
  std::int64_t n_rows = 0;
  std::int64_t k = 0;
  std::vector<std::int64_t> indices;
  std::vector<double> scores;
  // How many query rows the bounded search answered (the others took the strategies
  // it falls back to): a diagnostic for tests and benchmarks, never part of a result.
  std::int64_t bounded_rows = 0;
};

// The k best corpus rows for every query row, by dot product. Exact: every corpus
// row is a candidate, including those sharing no column with the query (score 0),
// so the result is that of sorting each full row of queries * corpus^T.
//
// A query row's score with corpus row j is accumulated in double, over the
// query's stored entries in storage order: the same bits whatever the thread
// count, and the same as scipy's sparse product in float64.
// Memory: a transposed copy of the corpus, the corpus's frequent-term entries (when
// the shortcut runs), one length-n accumulator and one tile per thread, and the
// n_queries x k result.
//
// Throws std::invalid_argument for k < 1, k above the number of candidates
// (corpus rows, minus one with exclude_self), different column counts,
// inconsistent CSR buffers (pointers, column indices out of range) and
// non-finite values. Runs on get_num_threads() threads.
template <class Real, class Index>
TopKResult top_k_similar(const CsrView<const Real, Index, Index>& queries, const CsrView<const Real, Index, Index>& corpus,
                         const TopKOptions& options);

}  // namespace themescope
