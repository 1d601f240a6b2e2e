#include "themescope/similarity.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <cstddef>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>

#include "themescope/parallel.hpp"
#include "csr_check.hpp"

namespace themescope {

namespace {

// The corpus column by column (CSC): each column lists the corpus rows holding
// that term in increasing row order, so a query row's scores are a sum of
// scaled columns.
template <class Real, class Index>
struct Columns {
  std::vector<Index> start;  // n_cols + 1
  std::vector<Index> rows;
  std::vector<Real> values;
};

template <class Real, class Index>
Columns<Real, Index> transpose(const CsrView<const Real, Index, Index>& m) {
  Columns<Real, Index> t;
  t.start.assign(static_cast<std::size_t>(m.n_cols) + 1, 0);
  for (const Index c : m.indices) ++t.start[static_cast<std::size_t>(c) + 1];
  for (std::size_t c = 0; c < static_cast<std::size_t>(m.n_cols); ++c) t.start[c + 1] += t.start[c];
  t.rows.resize(m.indices.size());
  t.values.resize(m.indices.size());
  std::vector<Index> next(t.start.begin(), t.start.end() - 1);
  for (std::int64_t r = 0; r < m.n_rows; ++r) {
    for (Index e = m.indptr[static_cast<std::size_t>(r)]; e < m.indptr[static_cast<std::size_t>(r) + 1]; ++e) {
      const auto slot = static_cast<std::size_t>(next[static_cast<std::size_t>(m.indices[static_cast<std::size_t>(e)])]++);
      t.rows[slot] = static_cast<Index>(r);
      t.values[slot] = m.data[static_cast<std::size_t>(e)];
    }
  }
  return t;
}

// Whether every row's column indices strictly increase and every value is >= 0:
// what the shortcut for frequent terms needs.
template <class Real, class Index>
bool sorted_and_nonnegative(const CsrView<const Real, Index, Index>& m) {
  for (std::size_t r = 0; r + 1 < m.indptr.size(); ++r) {
    for (auto e = static_cast<std::size_t>(m.indptr[r]) + 1; e < static_cast<std::size_t>(m.indptr[r + 1]); ++e) {
      if (m.indices[e] <= m.indices[e - 1]) return false;
    }
  }
  return std::all_of(m.data.begin(), m.data.end(), [](Real v) { return v >= Real(0); });
}

// The smallest value, or 0 when a value is <= 0 (or there is none).
template <class Real, class Index>
double smallest_value(const CsrView<const Real, Index, Index>& m) {
  if (m.data.empty()) return 0.0;
  double smallest = std::numeric_limits<double>::infinity();
  for (const Real v : m.data) smallest = std::min(smallest, static_cast<double>(v));
  return smallest > 0.0 ? smallest : 0.0;
}

// The largest absolute value (0 when there is none).
template <class Real, class Index>
double largest_magnitude(const CsrView<const Real, Index, Index>& m) {
  double largest = 0.0;
  for (const Real v : m.data) largest = std::max(largest, std::abs(static_cast<double>(v)));
  return largest;
}

template <class Real, class Index>
double smallest_nonzero_magnitude(const CsrView<const Real, Index, Index>& m) {
  double smallest = std::numeric_limits<double>::infinity();
  for (const Real v : m.data) {
    const double a = std::abs(static_cast<double>(v));
    if (a > 0.0) smallest = std::min(smallest, a);
  }
  return smallest;
}

// Whether the bounds' squares of values (row norms) are exact enough: beyond about 1e150 they
// overflow (a bound could become NaN, which rejects rows it must keep), below about 1e-150 they
// underflow (a bound could become 0 below a score it must reach).
template <class Real, class Index>
bool squares_representable(const CsrView<const Real, Index, Index>& m) {
  return largest_magnitude(m) < 1e140 && smallest_nonzero_magnitude(m) > 1e-140;
}

struct Candidate {
  double score;
  std::int64_t index;
};

// Appends score-0 neighbours by increasing index, skipping `self` and the rows
// is_zero rejects, until the k slots are filled; returns the new fill.
template <class IsZero>
std::size_t append_zero_scores(std::int64_t* out_index, double* out_score, std::size_t filled, std::size_t k,
                               std::size_t n, std::int64_t self, IsZero is_zero) {
  for (std::size_t j = 0; j < n && filled < k; ++j) {
    const auto index = static_cast<std::int64_t>(j);
    if (index == self || !is_zero(j)) continue;
    out_index[filled] = index;
    out_score[filled] = 0.0;
    ++filled;
  }
  return filled;
}

// The ranking: higher score first, equal scores by lower index.
inline bool ranks_before(const Candidate& a, const Candidate& b) {
  return a.score > b.score || (a.score == b.score && a.index < b.index);
}

// The k best candidates offered so far, as a heap whose front is the worst kept.
class BestK {
 public:
  explicit BestK(std::size_t k) : k_(k) { heap_.reserve(k); }

  void clear() { heap_.clear(); }

  void offer(double score, std::int64_t index) {
    const Candidate c{score, index};
    if (heap_.size() < k_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), ranks_before);
    } else if (ranks_before(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), ranks_before);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), ranks_before);
    }
  }

  bool full() const { return heap_.size() == k_; }
  // The score a candidate must beat once full(): the worst kept.
  double worst_score() const { return heap_.front().score; }

  // Best first; the heap is consumed.
  std::vector<Candidate>& sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), ranks_before);
    return heap_;
  }

 private:
  std::size_t k_;
  std::vector<Candidate> heap_;
};

// Query rows computed together over tiles of corpus rows (TopKOptions::tile_rows).
constexpr std::size_t kGroupRows = 8;
// A term shared by at least this many rows of a group is added to all of them with
// one vector operation (absent rows get weight 0); rarer terms, row by row.
constexpr std::size_t kSharedTermRows = 3;

// Whether a strategy that may give up on a row is worth trying: one that gave up on
// most of the recent rows of this worker is tried only on every 8th row until it
// answers again. Speed alone depends on it: every strategy gives the same bits.
struct StrategyRecord {
  std::uint32_t recent_failures = 0;  // consecutive rows it gave up on
  std::uint32_t skipped = 0;          // rows skipped since the last try

  bool worth_trying() {
    if (recent_failures < 16) return true;
    if (++skipped < 8) return false;
    skipped = 0;
    return true;
  }
  void answered() { recent_failures = 0; }
  void gave_up() { ++recent_failures; }
};

// A query term in the bounded search's order (rarest first).
struct QueryTerm {
  std::size_t df;
  std::size_t column;
  double weight;
};

struct GroupEntry {
  std::size_t column;
  std::size_t lane;  // the query's place in its group
  double weight;
};

// One column of the group's terms, walked tile by tile.
struct GroupTerm {
  std::size_t cursor;     // next entry of the column not yet added
  std::size_t end;        // end of the column
  std::size_t first;      // its (lane, weight) entries: entries[first, first + count)
  std::size_t count;
  std::size_t shared;     // offset of its kGroupRows weights in shared_weights, or kNotShared
};
constexpr std::size_t kNotShared = std::numeric_limits<std::size_t>::max();

template <class Index>
struct Worker {
  std::vector<double> scores;     // one accumulator slot per corpus row, zero between query rows
  std::vector<unsigned char> hit;  // corpus rows in `touched` (unless every product is > 0)
  std::vector<Index> touched;     // its first n_touched: the corpus rows the current query row reached
  std::size_t n_touched = 0;
  BestK best;
  std::vector<double> query;      // the current query row spread over the columns (exact_score)
  std::vector<double> partial;    // scratch for the k-th best partial score
  std::vector<Candidate> estimates;  // rows the shortcut may score, with estimated scores
  // Bounded search: the query's terms rarest first, and the suffix bounds of that order.
  std::vector<QueryTerm> by_df;
  std::vector<double> suffix_bound;
  std::vector<double> products;  // exact_score's scratch: one corpus row's nonzero products
  std::int64_t bounded_rows = 0;
  StrategyRecord bounded_record, shortcut_record;
  // Grouped rows: the tile of scores (corpus row major, kGroupRows lanes each, zero
  // between tiles), the group's terms, and one ranking per lane.
  std::vector<std::size_t> pending;
  std::vector<double> tile;
  std::vector<GroupEntry> entries;
  std::vector<GroupTerm> terms;
  std::vector<double> shared_weights;
  std::vector<BestK> group_best;

  Worker(std::size_t n, std::size_t k, std::size_t tile_rows)
      : scores(n, 0.0), hit(n, 0), touched(n + 1), best(k), tile(tile_rows * kGroupRows, 0.0), group_best(kGroupRows, BestK(k)) {}
};

// Corpus row j's score against a query spread over the columns (0 elsewhere), summed
// along the row in column order: the very additions of the full computation (values
// >= 0, so absent terms would add +0.0 there). The products are gathered without a
// branch, the nonzero ones kept in order in `products` (scratch), then summed: the
// chain of dependent additions is as long as the shared terms.
template <class Real, class Index>
double row_score(const CsrView<const Real, Index, Index>& corpus, std::size_t j, const double* dense_query,
                 std::vector<double>& products) {
  const auto begin = static_cast<std::size_t>(corpus.indptr[j]);
  const auto end = static_cast<std::size_t>(corpus.indptr[j + 1]);
  if (products.size() < end - begin) products.resize(end - begin);
  std::size_t kept = 0;
  for (std::size_t e = begin; e < end; ++e) {
    const double product = dense_query[static_cast<std::size_t>(corpus.indices[e])] * static_cast<double>(corpus.data[e]);
    products[kept] = product;
    kept += product != 0.0 ? 1 : 0;
  }
  double score = 0.0;
  for (std::size_t i = 0; i < kept; ++i) score += products[i];
  return score;
}

// At most this many query rows are scored by scanning the corpus row by row
// (top_k_by_row_scan): each scan reads the corpus once, while the other strategies
// first build its column index (a transpose, several passes over it).
constexpr std::size_t kRowScanQueries = 8;

// A few query rows (values >= 0, sorted rows): each corpus row's score is summed
// along that row over the columns it shares with the query, in column order: the
// additions of the full computation (absent terms would add +0.0), hence its bits.
template <class Real, class Index>
void top_k_by_row_scan(const CsrView<const Real, Index, Index>& queries, const CsrView<const Real, Index, Index>& corpus,
                       const TopKOptions& options, TopKResult& result) {
  const auto n = static_cast<std::size_t>(corpus.n_rows);
  const auto k = static_cast<std::size_t>(options.k);
  const auto n_cols = static_cast<std::size_t>(corpus.n_cols);
  parallel_for(static_cast<std::size_t>(queries.n_rows), [&](std::size_t q) {
    std::vector<double> dense_query(n_cols, 0.0);
    for (auto e = static_cast<std::size_t>(queries.indptr[q]); e < static_cast<std::size_t>(queries.indptr[q + 1]); ++e) {
      dense_query[static_cast<std::size_t>(queries.indices[e])] = static_cast<double>(queries.data[e]);
    }
    const auto self = options.exclude_self ? static_cast<std::int64_t>(q) : std::int64_t{-1};
    std::vector<double> scores(n, 0.0);
    std::vector<double> products;
    BestK best(k);
    for (std::size_t j = 0; j < n; ++j) {
      const double score = row_score(corpus, j, dense_query.data(), products);
      scores[j] = score;
      if (score != 0.0 && score >= options.min_score && static_cast<std::int64_t>(j) != self) {
        best.offer(score, static_cast<std::int64_t>(j));
      }
    }
    std::int64_t* out_index = result.indices.data() + q * k;
    double* out_score = result.scores.data() + q * k;
    const std::vector<Candidate>& ranked = best.sorted();
    std::size_t filled = 0;
    for (; filled < ranked.size(); ++filled) {
      out_index[filled] = ranked[filled].index;
      out_score[filled] = ranked[filled].score;
    }
    // then score-0 rows by index, as the full computation places them (scores are >= 0)
    if (0.0 >= options.min_score) {
      append_zero_scores(out_index, out_score, filled, k, n, self, [&](std::size_t j) { return scores[j] == 0.0; });
    }
  });
}

// One top-k search: the corpus's column index and what each strategy precomputes,
// shared read-only by the threads, each thread answering query rows on its own
// Worker. answer_row tries the strategies in turn: the bounded search, the
// frequent-term shortcut, then the full computation (row by row, or queued for a
// group computed over tiles). Each gives the bits of the full computation.
template <class Real, class Index>
class TopKSearch {
 public:
  TopKSearch(const CsrView<const Real, Index, Index>& queries, const CsrView<const Real, Index, Index>& corpus,
             const TopKOptions& options, bool self_join, bool sorted_nonnegative, TopKResult& result)
      : queries_(queries),
        corpus_(corpus),
        options_(options),
        n_(static_cast<std::size_t>(corpus.n_rows)),
        k_(static_cast<std::size_t>(options.k)),
        n_cols_(static_cast<std::size_t>(corpus.n_cols)),
        columns_(transpose(corpus)),
        out_indices_(result.indices.data()),
        out_scores_(result.scores.data()),
        min_score_(options.min_score),
        zeros_qualify_(0.0 >= options.min_score),
        dense_reach_(options.dense_scan_fraction * static_cast<double>(n_)),
        frequent_df_(options.frequent_term_fraction * static_cast<double>(n_)) {
    // Every product of a query value and a corpus value is > 0 (no zeros, no
    // underflow): a score is then nonzero exactly when its row was reached.
    const double smallest_in_corpus = smallest_value(corpus);
    positive_products_ = smallest_in_corpus * (self_join ? smallest_in_corpus : smallest_value(queries)) > 0.0;
    // The bounds square values (row norms): matrices whose squares overflow or underflow take
    // the full computation, whose only products are the scores' own.
    const bool bounds_safe = squares_representable(corpus) && (self_join || squares_representable(queries));
    // The shortcut's bounds need values >= 0, and exact rescoring walks sorted rows.
    shortcut_ = std::isfinite(frequent_df_) && sorted_nonnegative && bounds_safe;
    bounded_ = options.bounded_search && sorted_nonnegative && bounds_safe;
    grouped_ = options.tile_rows > 0 && sorted_nonnegative;
    tile_rows_ = grouped_ ? std::min<std::size_t>(options.tile_rows, std::max<std::size_t>(n_, 1)) : 0;
    // Grouped rows rank only scores above this (and must reach min_score): positive
    // scores, zeros being placed afterwards by index.
    group_floor_ = min_score_ > 0.0 ? std::nextafter(min_score_, -std::numeric_limits<double>::infinity()) : 0.0;
    if (shortcut_ || bounded_) prepare_bounds();
  }

  std::size_t tile_rows() const { return tile_rows_; }

  // Query rows [first, last), then any group still pending. Ctrl-C is checked before
  // every row: a block of dense rows on a loaded machine took over a second.
  void answer_rows(Worker<Index>& state, std::size_t first, std::size_t last) const {
    for (std::size_t q = first; q < last; ++q) {
      check_interrupt();
      answer_row(state, q);
    }
    if (!state.pending.empty()) compute_group(state);
  }

 private:
  // Column maxima and row norms for the bounds; for the shortcut also each corpus
  // row's frequent terms alone (CSR), which with the other terms' sum estimate a score
  // to within rounding, and the rows by decreasing norm of those terms.
  void prepare_bounds() {
    column_max_.assign(n_cols_, 0.0);
    if (shortcut_) {
      frequent_norm_.assign(n_, 0.0);
      frequent_start_.assign(n_ + 1, 0);
    }
    for (std::size_t j = 0; j < n_; ++j) {
      double sum = 0.0, frequent_sum = 0.0;
      for (std::size_t e = row_start(corpus_, j); e < row_start(corpus_, j + 1); ++e) {
        const auto c = static_cast<std::size_t>(corpus_.indices[e]);
        const auto v = static_cast<double>(corpus_.data[e]);
        column_max_[c] = std::max(column_max_[c], v);
        sum += v * v;
        if (shortcut_ && df_of(c) >= frequent_df_) {
          frequent_sum += v * v;
          frequent_columns_.push_back(static_cast<Index>(c));
          frequent_values_.push_back(v);
        }
      }
      largest_row_norm_ = std::max(largest_row_norm_, std::sqrt(sum));
      if (shortcut_) {
        frequent_norm_[j] = std::sqrt(frequent_sum);
        frequent_start_[j + 1] = frequent_columns_.size();
      }
    }
    if (shortcut_) {
      by_frequent_norm_.resize(n_);
      std::iota(by_frequent_norm_.begin(), by_frequent_norm_.end(), Index{0});
      std::stable_sort(by_frequent_norm_.begin(), by_frequent_norm_.end(), [&](Index a, Index b) {
        return frequent_norm_[static_cast<std::size_t>(a)] > frequent_norm_[static_cast<std::size_t>(b)];
      });
    }
  }

  static std::size_t row_start(const CsrView<const Real, Index, Index>& m, std::size_t row) {
    return static_cast<std::size_t>(m.indptr[row]);
  }
  double df_of(std::size_t c) const { return static_cast<double>(columns_.start[c + 1] - columns_.start[c]); }

  void answer_row(Worker<Index>& state, std::size_t q) const {
    const auto self = options_.exclude_self ? static_cast<std::int64_t>(q) : std::int64_t{-1};
    state.best.clear();
    if (bounded_ && state.bounded_record.worth_trying()) {
      if (bounded_search_row(state, q, self)) {
        state.bounded_record.answered();
        ++state.bounded_rows;
        return;
      }
      state.bounded_record.gave_up();
    }
    if (shortcut_ && state.shortcut_record.worth_trying()) {
      if (frequent_term_row(state, q, self)) {
        state.shortcut_record.answered();
        return;
      }
      state.shortcut_record.gave_up();
    }
    full_row(state, q, self);
  }

  // acc[j] += weight * column c, for every corpus row j in column c; with track, the
  // rows reached are listed in state.touched.
  void add_column(Worker<Index>& state, std::size_t c, double weight, bool track) const {
    double* const acc = state.scores.data();
    const Index* const column_rows = columns_.rows.data();
    const Real* const column_values = columns_.values.data();
    const auto begin = static_cast<std::size_t>(columns_.start[c]);
    const auto end = static_cast<std::size_t>(columns_.start[c + 1]);
    if (!track) {
      for (std::size_t t = begin; t < end; ++t) acc[column_rows[t]] += weight * static_cast<double>(column_values[t]);
      return;
    }
    Index* const touched = state.touched.data();
    std::size_t count = state.n_touched;
    if (positive_products_) {
      // A row is reached when its score leaves 0, without a branch to mispredict.
      for (std::size_t t = begin; t < end; ++t) {
        const Index j = column_rows[t];
        touched[count] = j;
        count += acc[j] == 0.0 ? 1 : 0;
        acc[j] += weight * static_cast<double>(column_values[t]);
      }
    } else {
      for (std::size_t t = begin; t < end; ++t) {
        const Index j = column_rows[t];
        if (!state.hit[static_cast<std::size_t>(j)]) {
          state.hit[static_cast<std::size_t>(j)] = 1;
          touched[count++] = j;
        }
        acc[j] += weight * static_cast<double>(column_values[t]);
      }
    }
    state.n_touched = count;
  }

  bool reached(const Worker<Index>& state, std::size_t j) const {
    return positive_products_ ? state.scores[j] != 0.0 : state.hit[j] != 0;
  }

  void clear_touched(Worker<Index>& state) const {
    for (std::size_t i = 0; i < state.n_touched; ++i) {
      const auto j = static_cast<std::size_t>(state.touched[i]);
      state.scores[j] = 0.0;
      if (!positive_products_) state.hit[j] = 0;
    }
    state.n_touched = 0;
  }

  // Query row q spread over the columns (0 elsewhere), for exact_score.
  void spread_query(Worker<Index>& state, std::size_t q) const {
    if (state.query.size() != n_cols_) state.query.assign(n_cols_, 0.0);
    for (std::size_t e = row_start(queries_, q); e < row_start(queries_, q + 1); ++e) {
      state.query[static_cast<std::size_t>(queries_.indices[e])] = static_cast<double>(queries_.data[e]);
    }
  }
  void unspread_query(Worker<Index>& state, std::size_t q) const {
    for (std::size_t e = row_start(queries_, q); e < row_start(queries_, q + 1); ++e) {
      state.query[static_cast<std::size_t>(queries_.indices[e])] = 0.0;
    }
  }

  // Corpus row j's exact score against the spread query (row_score).
  double exact_score(Worker<Index>& state, std::size_t j) const {
    return row_score(corpus_, j, state.query.data(), state.products);
  }

  // Writes the ranked candidates (best first) as query row q's result.
  void write_ranked(std::size_t q, const std::vector<Candidate>& ranked) const {
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      out_indices_[q * k_ + r] = ranked[r].index;
      out_scores_[q * k_ + r] = ranked[r].score;
    }
  }

  // After exact scoring: the query unspread, the accumulator cleared, the best written.
  void finish_scored_row(Worker<Index>& state, std::size_t q) const {
    unspread_query(state, q);
    clear_touched(state);
    write_ranked(q, state.best.sorted());
    state.best.clear();
  }

  bool bounded_search_row(Worker<Index>& state, std::size_t q, std::int64_t self) const;
  bool frequent_term_row(Worker<Index>& state, std::size_t q, std::int64_t self) const;
  void full_row(Worker<Index>& state, std::size_t q, std::int64_t self) const;
  void compute_group(Worker<Index>& state) const;

  const CsrView<const Real, Index, Index>& queries_;
  const CsrView<const Real, Index, Index>& corpus_;
  const TopKOptions& options_;
  const std::size_t n_, k_, n_cols_;
  const Columns<Real, Index> columns_;
  std::int64_t* const out_indices_;
  double* const out_scores_;
  const double min_score_;
  const bool zeros_qualify_;
  const double dense_reach_;
  const double frequent_df_;
  bool positive_products_ = false;
  bool shortcut_ = false, bounded_ = false, grouped_ = false;
  std::size_t tile_rows_ = 0;
  double group_floor_ = 0.0;
  std::vector<double> column_max_;  // largest value of each column
  double largest_row_norm_ = 0.0;
  std::vector<double> frequent_norm_;    // L2 norm of each corpus row's frequent terms
  std::vector<Index> by_frequent_norm_;  // corpus rows, largest frequent_norm_ first
  std::vector<std::size_t> frequent_start_;
  std::vector<Index> frequent_columns_;
  std::vector<double> frequent_values_;
};

// The bounded search of one query row (values >= 0, sorted rows). Its terms are
// summed rarest first. (1) The rarest, up to a first budget of postings, point at
// likely neighbours: the exact scores of the 2k best so far give a floor for the
// k-th best score. (2) More terms are summed until what the remaining ones can add to
// any row (at most |their weights| * the largest row norm, and at most their weights
// times the column maxima) is below a share of the floor: a row not reached by then
// cannot make the list. (3) The rows reached whose partial score plus that bound
// reaches the floor are scored exactly, in column order. The result is that of the
// full computation, bit for bit. Returns false, having changed nothing, when the floor
// is missing or the bounds would spare less than half the work.
template <class Real, class Index>
bool TopKSearch<Real, Index>::bounded_search_row(Worker<Index>& state, std::size_t q, std::int64_t self) const {
  // Its first pass reads at most this many postings (at least the rarest term's).
  const double first_postings = std::max(64.0, static_cast<double>(n_) / 64.0);
  auto& terms = state.by_df;
  terms.clear();
  double total_postings = 0.0;
  for (std::size_t e = row_start(queries_, q); e < row_start(queries_, q + 1); ++e) {
    const auto c = static_cast<std::size_t>(queries_.indices[e]);
    const auto df = static_cast<std::size_t>(columns_.start[c + 1] - columns_.start[c]);
    terms.push_back({df, c, static_cast<double>(queries_.data[e])});
    total_postings += static_cast<double>(df);
  }
  if (total_postings < 4.0 * first_postings) return false;  // cheap anyway
  std::sort(terms.begin(), terms.end(),
            [](const QueryTerm& a, const QueryTerm& b) { return a.df < b.df || (a.df == b.df && a.column < b.column); });
  // suffix[t]: what terms t.. can add to any row's score
  auto& suffix = state.suffix_bound;
  suffix.assign(terms.size() + 1, 0.0);
  double norm2 = 0.0, by_column_max = 0.0;
  for (std::size_t t = terms.size(); t-- > 0;) {
    norm2 += terms[t].weight * terms[t].weight;
    by_column_max += terms[t].weight * column_max_[terms[t].column];
    // inflated far beyond rounding, so that the bound is never below the sum
    suffix[t] = std::min(std::sqrt(norm2) * largest_row_norm_, by_column_max) * (1.0 + 1e-9) + 1e-300;
  }

  // (1) the rarest terms, and the floor from the exact scores of the best rows so far
  std::size_t next = 0;
  double postings = 0.0;
  while (next < terms.size() && (next == 0 || postings + static_cast<double>(terms[next].df) <= first_postings)) {
    postings += static_cast<double>(terms[next].df);
    add_column(state, terms[next].column, terms[next].weight, true);
    ++next;
  }
  const double* const acc = state.scores.data();
  auto& probes = state.estimates;
  probes.clear();
  for (std::size_t i = 0; i < state.n_touched; ++i) {
    const auto j = static_cast<std::size_t>(state.touched[i]);
    if (static_cast<std::int64_t>(j) != self) probes.push_back({acc[j], static_cast<std::int64_t>(j)});
  }
  const bool probed = probes.size() >= k_;
  double floor_score = 0.0;
  if (probed) {
    const auto middle = probes.begin() + static_cast<std::ptrdiff_t>(std::min(2 * k_, probes.size()));
    std::partial_sort(probes.begin(), middle, probes.end(), ranks_before);
    probes.resize(static_cast<std::size_t>(middle - probes.begin()));
    spread_query(state, q);
    for (Candidate& c : probes) c.score = exact_score(state, static_cast<std::size_t>(c.index));
    std::nth_element(probes.begin(), probes.begin() + static_cast<std::ptrdiff_t>(k_ - 1), probes.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    floor_score = probes[k_ - 1].score;  // k rows score at least this: so does the k-th best
  }
  const double cutoff = std::max(floor_score, min_score_);

  // (2) How far to sum: until the rest cannot lift an unreached row to a share of
  // cutoff. A larger share sums fewer terms but lets more reached rows through to
  // exact scoring: try 0.9, then 0.7, then 0.5 while scoring the rows let through
  // (each about a mean row's length) would cost more than summing on to the next.
  constexpr std::array<double, 3> kShares = {0.9, 0.7, 0.5};
  std::array<std::size_t, kShares.size()> stops{};
  std::array<double, kShares.size()> stop_postings{};
  for (std::size_t level = 0, stop = next; level < kShares.size(); ++level) {
    double summed = level == 0 ? postings : stop_postings[level - 1];
    while (cutoff > 0.0 && stop < terms.size() && suffix[stop] >= kShares[level] * cutoff) {
      summed += static_cast<double>(terms[stop++].df);
    }
    stops[level] = stop;
    stop_postings[level] = summed;
  }
  // Summing to the last share must spare half the work, or the full computation is better.
  if (cutoff <= 0.0 || 2.0 * stop_postings.back() > total_postings) {
    if (probed) unspread_query(state, q);
    clear_touched(state);
    return false;
  }
  if (!probed) spread_query(state, q);  // cutoff is then min_score > 0
  const double mean_row_length = static_cast<double>(corpus_.indices.size()) / static_cast<double>(n_);
  double rest = 0.0, keep_from = 0.0;
  for (std::size_t level = 0; level < kShares.size(); ++level) {
    for (; next < stops[level]; ++next) add_column(state, terms[next].column, terms[next].weight, true);
    rest = suffix[stops[level]];
    keep_from = cutoff - 1e-9 * (cutoff + rest);
    if (level + 1 == kShares.size()) break;
    std::size_t let_through = 0;
    for (std::size_t i = 0; i < state.n_touched; ++i) {
      let_through += acc[static_cast<std::size_t>(state.touched[i])] + rest >= keep_from ? 1 : 0;
    }
    if (static_cast<double>(let_through) * mean_row_length <= stop_postings[level + 1] - stop_postings[level]) break;
  }

  // (3) exact scores of the rows that may still reach cutoff
  BestK& best = state.best;
  for (std::size_t i = 0; i < state.n_touched; ++i) {
    const auto j = static_cast<std::size_t>(state.touched[i]);
    if (static_cast<std::int64_t>(j) == self || acc[j] + rest < keep_from) continue;
    const double score = exact_score(state, j);
    if (score >= cutoff) best.offer(score, static_cast<std::int64_t>(j));
  }
  finish_scored_row(state, q);
  return true;
}

// The frequent-term shortcut (values >= 0, sorted rows): frequent terms reach most
// rows but weigh little, so the others are summed first. If that shows the frequent
// terms cannot lift the rows they alone reach into the top k (bounds: column maxima
// and Cauchy-Schwarz on row norms), only the rows that still can are scored:
// estimated to within rounding, and those near the k-th best estimate scored exactly.
// Returns false, having changed nothing, when the bounds keep too many rows.
template <class Real, class Index>
bool TopKSearch<Real, Index>::frequent_term_row(Worker<Index>& state, std::size_t q, std::int64_t self) const {
  const std::size_t row_begin = row_start(queries_, q), row_end = row_start(queries_, q + 1);
  double frequent_bound = 0.0;  // sum of weight * column maximum over the frequent terms
  double frequent_norm2 = 0.0;  // squared norm of the frequent part of the query
  bool any_frequent = false;
  for (std::size_t e = row_begin; e < row_end; ++e) {
    const auto c = static_cast<std::size_t>(queries_.indices[e]);
    if (df_of(c) >= frequent_df_) {
      const auto weight = static_cast<double>(queries_.data[e]);
      any_frequent = true;
      frequent_bound += weight * column_max_[c];
      frequent_norm2 += weight * weight;
    }
  }
  if (!any_frequent) return false;
  for (std::size_t e = row_begin; e < row_end; ++e) {
    const auto c = static_cast<std::size_t>(queries_.indices[e]);
    if (df_of(c) < frequent_df_) add_column(state, c, static_cast<double>(queries_.data[e]), true);
  }
  const double* const acc = state.scores.data();
  // Scores only grow from here, so the k-th best partial score (rows not reached
  // count as 0) is a floor for the k-th best final score. The k largest partial
  // scores as a min-heap: most rows fail the first test.
  auto& partial = state.partial;
  partial.clear();
  for (std::size_t i = 0; i < state.n_touched; ++i) {
    const Index j = state.touched[i];
    if (static_cast<std::int64_t>(j) == self) continue;
    const double s = acc[j];
    if (partial.size() < k_) {
      partial.push_back(s);
      std::push_heap(partial.begin(), partial.end(), std::greater<>());
    } else if (s > partial.front()) {
      std::pop_heap(partial.begin(), partial.end(), std::greater<>());
      partial.back() = s;
      std::push_heap(partial.begin(), partial.end(), std::greater<>());
    }
  }
  const double kth = partial.size() >= k_ ? partial.front() : 0.0;
  const double floor_score = std::max(kth, min_score_);
  const double query_frequent_norm = std::sqrt(frequent_norm2);
  // A margin far above rounding: a bound never rejects a row it should keep.
  const double cutoff = floor_score - 1e-9 * (std::abs(floor_score) + frequent_bound);
  // What the frequent terms can add to row j: at most the column maxima, and at most
  // |query's frequent part| * |row j's frequent part| (Cauchy-Schwarz).
  auto bound = [&](std::size_t j) { return std::min(frequent_bound, query_frequent_norm * frequent_norm_[j]); };
  // Rows the other terms did not reach score at most their bound: those that may
  // reach the cutoff come first in by_frequent_norm_.
  std::size_t unreached = 0;
  if (cutoff <= 0.0) {
    unreached = n_;
  } else if (frequent_bound >= cutoff) {
    while (unreached < n_ && bound(static_cast<std::size_t>(by_frequent_norm_[unreached])) >= cutoff) ++unreached;
  }
  // Rows the non-frequent terms miss, scored anyway when their bound allows: beyond
  // this many, the full computation is cheaper.
  if (unreached > n_ / 16) {
    clear_touched(state);
    return false;
  }
  spread_query(state, q);
  const double* const dense_query = state.query.data();
  // The rows the bounds keep, with their score up to rounding: the other terms' sum
  // plus the frequent ones'.
  auto& estimates = state.estimates;
  estimates.clear();
  auto estimate = [&](std::size_t row) {
    double frequent_part = 0.0;
    for (std::size_t e = frequent_start_[row]; e < frequent_start_[row + 1]; ++e) {
      frequent_part += dense_query[static_cast<std::size_t>(frequent_columns_[e])] * frequent_values_[e];
    }
    estimates.push_back({acc[row] + frequent_part, static_cast<std::int64_t>(row)});
  };
  for (std::size_t i = 0; i < state.n_touched; ++i) {
    const auto row = static_cast<std::size_t>(state.touched[i]);
    if (static_cast<std::int64_t>(row) != self && acc[row] + bound(row) >= cutoff) estimate(row);
  }
  for (std::size_t i = 0; i < unreached; ++i) {
    const auto row = static_cast<std::size_t>(by_frequent_norm_[i]);
    if (!reached(state, row) && static_cast<std::int64_t>(row) != self) estimate(row);
  }
  // Exact scores differ from the estimates by rounding alone (relative error below
  // 1e-12 for rows of up to a million terms): every row that may make the list is
  // within the margin of the k-th best estimate.
  double estimate_floor = -std::numeric_limits<double>::infinity();
  if (estimates.size() > k_) {
    std::nth_element(estimates.begin(), estimates.begin() + static_cast<std::ptrdiff_t>(k_ - 1), estimates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    const double kth_estimate = estimates[k_ - 1].score;
    estimate_floor = kth_estimate - 1e-9 * std::abs(kth_estimate);
  }
  BestK& best = state.best;
  for (const Candidate& c : estimates) {
    if (c.score < estimate_floor) continue;
    const double score = exact_score(state, static_cast<std::size_t>(c.index));
    // cutoff > 0: zero scores cannot make the list
    if (score > 0.0 && score >= min_score_) best.offer(score, c.index);
  }
  finish_scored_row(state, q);
  return true;
}

// The full computation: every term of the row, in storage order. A row reaching much
// of the corpus is queued for a group (compute_group) when rows may be grouped.
template <class Real, class Index>
void TopKSearch<Real, Index>::full_row(Worker<Index>& state, std::size_t q, std::int64_t self) const {
  const std::size_t row_begin = row_start(queries_, q), row_end = row_start(queries_, q + 1);
  double reach = 0.0;
  for (std::size_t e = row_begin; e < row_end; ++e) reach += df_of(static_cast<std::size_t>(queries_.indices[e]));
  const bool dense = reach >= dense_reach_;
  if (dense && grouped_) {
    state.pending.push_back(q);
    if (state.pending.size() == kGroupRows) compute_group(state);
    return;
  }
  for (std::size_t e = row_begin; e < row_end; ++e) {
    add_column(state, static_cast<std::size_t>(queries_.indices[e]), static_cast<double>(queries_.data[e]), !dense);
  }
  // Rank the nonzero scores; zero scores (every row not reached, and exact
  // cancellations) are placed afterwards, by index, between positive and negative.
  const double* const acc = state.scores.data();
  BestK& best = state.best;
  auto consider = [&](std::size_t j) {
    const double s = acc[j];
    if (s != 0.0 && s >= min_score_ && static_cast<std::int64_t>(j) != self) best.offer(s, static_cast<std::int64_t>(j));
  };
  if (dense) {
    for (std::size_t j = 0; j < n_; ++j) consider(j);
  } else {
    for (std::size_t i = 0; i < state.n_touched; ++i) consider(static_cast<std::size_t>(state.touched[i]));
  }
  std::int64_t* const out_index = out_indices_ + q * k_;
  double* const out_score = out_scores_ + q * k_;
  const std::vector<Candidate>& ranked = best.sorted();
  std::size_t filled = 0, r = 0;
  for (; r < ranked.size() && ranked[r].score > 0.0 && filled < k_; ++r, ++filled) {
    out_index[filled] = ranked[r].index;
    out_score[filled] = ranked[r].score;
  }
  if (zeros_qualify_) {
    filled = append_zero_scores(out_index, out_score, filled, k_, n_, self, [&](std::size_t j) { return acc[j] == 0.0; });
  }
  for (; r < ranked.size() && filled < k_; ++r, ++filled) {
    out_index[filled] = ranked[r].index;
    out_score[filled] = ranked[r].score;
  }
  // Leave the accumulator zero for the next row.
  if (dense) {
    std::fill(state.scores.begin(), state.scores.end(), 0.0);
  } else {
    clear_touched(state);
  }
}

// The full computation of up to kGroupRows pending query rows at once, over tiles of
// corpus rows: each column is read once per group, and a term most of the group
// shares is added to all of them in one vector operation. For lane b and corpus row j
// the products are added in the order of the query's columns, as row by row; a shared
// term adds 0 * value = +0.0 to the lanes lacking it, which changes no bit of a sum of
// values >= 0.
template <class Real, class Index>
void TopKSearch<Real, Index>::compute_group(Worker<Index>& state) const {
  const std::vector<std::size_t>& group = state.pending;
  const std::size_t lanes = group.size();
  const Index* const column_rows = columns_.rows.data();
  const Real* const column_values = columns_.values.data();
  auto& entries = state.entries;
  entries.clear();
  for (std::size_t b = 0; b < lanes; ++b) {
    const std::size_t q = group[b];
    for (std::size_t e = row_start(queries_, q); e < row_start(queries_, q + 1); ++e) {
      entries.push_back({static_cast<std::size_t>(queries_.indices[e]), b, static_cast<double>(queries_.data[e])});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const GroupEntry& a, const GroupEntry& b) {
    return a.column < b.column || (a.column == b.column && a.lane < b.lane);
  });
  auto& terms = state.terms;
  auto& shared_weights = state.shared_weights;
  terms.clear();
  shared_weights.clear();
  for (std::size_t first = 0; first < entries.size();) {
    const std::size_t c = entries[first].column;
    std::size_t last = first;
    while (last < entries.size() && entries[last].column == c) ++last;
    GroupTerm term{static_cast<std::size_t>(columns_.start[c]), static_cast<std::size_t>(columns_.start[c + 1]), first,
                   last - first, kNotShared};
    if (term.count >= kSharedTermRows) {
      term.shared = shared_weights.size();
      shared_weights.resize(shared_weights.size() + kGroupRows, 0.0);
      for (std::size_t e = first; e < last; ++e) shared_weights[term.shared + entries[e].lane] = entries[e].weight;
    }
    terms.push_back(term);
    first = last;
  }

  // Lane b takes a score above threshold[b]: its k-th best once full, else the floor;
  // lanes without a query never do.
  std::array<double, kGroupRows> threshold;
  threshold.fill(std::numeric_limits<double>::infinity());
  for (std::size_t b = 0; b < lanes; ++b) {
    state.group_best[b].clear();
    threshold[b] = group_floor_;
  }
  double* const tile = state.tile.data();
  for (std::size_t j0 = 0; j0 < n_; j0 += tile_rows_) {
    const std::size_t j1 = std::min(n_, j0 + tile_rows_);
    const auto limit = static_cast<Index>(j1);
    for (GroupTerm& term : terms) {
      std::size_t t = term.cursor;
      if (t == term.end || column_rows[t] >= limit) continue;
      if (term.shared != kNotShared) {
        const double* const weight = shared_weights.data() + term.shared;
        for (; t < term.end && column_rows[t] < limit; ++t) {
          double* const slot = tile + (static_cast<std::size_t>(column_rows[t]) - j0) * kGroupRows;
          const auto value = static_cast<double>(column_values[t]);
          for (std::size_t b = 0; b < kGroupRows; ++b) slot[b] += weight[b] * value;
        }
      } else {
        const GroupEntry* const own = entries.data() + term.first;
        for (; t < term.end && column_rows[t] < limit; ++t) {
          double* const slot = tile + (static_cast<std::size_t>(column_rows[t]) - j0) * kGroupRows;
          const auto value = static_cast<double>(column_values[t]);
          for (std::size_t e = 0; e < term.count; ++e) slot[own[e].lane] += own[e].weight * value;
        }
      }
      term.cursor = t;
    }
    // Rank the tile's scores; corpus rows come in increasing order, so a later row
    // with an equal score never displaces a kept one.
    for (std::size_t j = j0; j < j1; ++j) {
      double* const slot = tile + (j - j0) * kGroupRows;
      bool any = false;
      for (std::size_t b = 0; b < kGroupRows; ++b) any |= slot[b] > threshold[b];
      if (!any) continue;
      for (std::size_t b = 0; b < lanes; ++b) {
        if (slot[b] > threshold[b] && !(options_.exclude_self && j == group[b])) {
          BestK& lane_best = state.group_best[b];
          lane_best.offer(slot[b], static_cast<std::int64_t>(j));
          if (lane_best.full()) threshold[b] = lane_best.worst_score();
        }
      }
    }
    std::fill(tile, tile + (j1 - j0) * kGroupRows, 0.0);
  }

  for (std::size_t b = 0; b < lanes; ++b) {
    const std::size_t q = group[b];
    std::int64_t* const out_index = out_indices_ + q * k_;
    double* const out_score = out_scores_ + q * k_;
    const std::vector<Candidate>& ranked = state.group_best[b].sorted();
    write_ranked(q, ranked);
    const std::size_t filled = ranked.size();
    // Not full: every positive score made the list, the rest score 0 (values >= 0).
    if (zeros_qualify_ && filled < k_) {
      std::vector<std::int64_t> kept(out_index, out_index + filled);
      std::sort(kept.begin(), kept.end());
      const auto self = options_.exclude_self ? static_cast<std::int64_t>(q) : std::int64_t{-1};
      append_zero_scores(out_index, out_score, filled, k_, n_, self, [&](std::size_t j) {
        return !std::binary_search(kept.begin(), kept.end(), static_cast<std::int64_t>(j));
      });
    }
  }
  state.pending.clear();
}

}  // namespace

template <class Real, class Index>
TopKResult top_k_similar(const CsrView<const Real, Index, Index>& queries, const CsrView<const Real, Index, Index>& corpus,
                         const TopKOptions& options) {
  check_csr(corpus, "corpus");
  const bool self_join = queries.indptr.data() == corpus.indptr.data() && queries.indices.data() == corpus.indices.data() &&
                         queries.data.data() == corpus.data.data() && queries.n_rows == corpus.n_rows;
  if (!self_join) check_csr(queries, "queries");
  if (queries.n_cols != corpus.n_cols) {
    throw std::invalid_argument("queries have " + std::to_string(queries.n_cols) + " columns, the corpus " +
                                std::to_string(corpus.n_cols));
  }
  const std::int64_t candidates = corpus.n_rows - (options.exclude_self && corpus.n_rows > 0 ? 1 : 0);
  if (options.k < 1) throw std::invalid_argument("k must be at least 1, got " + std::to_string(options.k));
  if (options.k > candidates) {
    throw std::invalid_argument("k=" + std::to_string(options.k) + " exceeds the " + std::to_string(candidates) +
                                " candidate rows" + (options.exclude_self ? " (self excluded)" : ""));
  }
  if (std::isnan(options.min_score)) throw std::invalid_argument("min_score must not be NaN");

  const auto n = static_cast<std::size_t>(corpus.n_rows);
  const auto k = static_cast<std::size_t>(options.k);
  const auto n_queries = static_cast<std::size_t>(queries.n_rows);
  TopKResult result;
  result.n_rows = queries.n_rows;
  result.k = options.k;
  result.indices.assign(n_queries * k, -1);
  result.scores.assign(n_queries * k, std::numeric_limits<double>::quiet_NaN());
  const bool sorted_nonnegative = sorted_and_nonnegative(corpus) && (self_join || sorted_and_nonnegative(queries));
  if (n_queries <= kRowScanQueries && sorted_nonnegative && options.row_scan) {
    top_k_by_row_scan(queries, corpus, options, result);
    return result;
  }
  const TopKSearch<Real, Index> search(queries, corpus, options, self_join, sorted_nonnegative, result);

  // Blocks of consecutive query rows; each row is computed whole by one thread.
  constexpr std::size_t block_rows = 64;
  const std::size_t n_blocks = (n_queries + block_rows - 1) / block_rows;
  const std::size_t n_workers =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(get_num_threads()), n_blocks));
  std::vector<Worker<Index>> workers;
  workers.reserve(n_workers);
  for (std::size_t w = 0; w < n_workers; ++w) workers.emplace_back(n, k, search.tile_rows());
  parallel_for_workers(n_blocks, n_workers, [&](std::size_t block, std::size_t w) {
    search.answer_rows(workers[w], block * block_rows, std::min(n_queries, (block + 1) * block_rows));
  });
  for (const Worker<Index>& w : workers) result.bounded_rows += w.bounded_rows;
  return result;
}

template TopKResult top_k_similar<float, std::int32_t>(const CsrView<const float, std::int32_t, std::int32_t>&,
                                                       const CsrView<const float, std::int32_t, std::int32_t>&,
                                                       const TopKOptions&);
template TopKResult top_k_similar<double, std::int32_t>(const CsrView<const double, std::int32_t, std::int32_t>&,
                                                        const CsrView<const double, std::int32_t, std::int32_t>&,
                                                        const TopKOptions&);
template TopKResult top_k_similar<float, std::int64_t>(const CsrView<const float, std::int64_t, std::int64_t>&,
                                                       const CsrView<const float, std::int64_t, std::int64_t>&,
                                                       const TopKOptions&);
template TopKResult top_k_similar<double, std::int64_t>(const CsrView<const double, std::int64_t, std::int64_t>&,
                                                        const CsrView<const double, std::int64_t, std::int64_t>&,
                                                        const TopKOptions&);

}  // namespace themescope
