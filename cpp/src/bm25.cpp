#include "themescope/bm25.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "themescope/parallel.hpp"
#include "csr_check.hpp"

namespace themescope {

namespace {

// After check_csr (finite values): every value >= lowest, or > lowest when strict.
void check_values(const CountsView& m, const char* name, double lowest, bool strict) {
  for (std::size_t e = 0; e < m.data.size(); ++e) {
    const double v = m.data[e];
    if (v < lowest || (strict && v == lowest)) {
      throw std::invalid_argument(std::string(name) + ": value " + std::to_string(v) + " (stored entry " +
                                  std::to_string(e) + ") must be " + (strict ? "> " : ">= ") + std::to_string(lowest));
    }
  }
}

// Term counts past 2^53 are no counts (a double no longer holds every integer there),
// and sums or weights of such values overflow to infinity: refused with their entry.
void check_counts(const CountsView& counts) {
  check_csr(counts, "counts");
  check_values(counts, "counts", 0.0, false);
  constexpr double kLargestCount = 9007199254740992.0;  // 2^53
  for (std::size_t e = 0; e < counts.data.size(); ++e) {
    if (counts.data[e] > kLargestCount) {
      throw std::invalid_argument("counts: value " + std::to_string(counts.data[e]) + " (stored entry " +
                                  std::to_string(e) + ") is larger than 2^53: not a term count");
    }
  }
}

struct Candidate {
  double score;
  std::int64_t index;
};

inline bool ranks_before(const Candidate& a, const Candidate& b) {
  return a.score > b.score || (a.score == b.score && a.index < b.index);
}

struct Worker {
  std::vector<double> scores;
  std::vector<unsigned char> hit;
  std::vector<std::int64_t> touched;
  std::vector<Candidate> heap;
};

}  // namespace

void check_bm25_parameters(const Bm25Parameters& p) {
  if (!std::isfinite(p.k1) || p.k1 < 0.0) {
    throw std::invalid_argument("k1 must be a finite number >= 0, got " + std::to_string(p.k1));
  }
  if (!(p.b >= 0.0 && p.b <= 1.0)) throw std::invalid_argument("b must be in [0, 1], got " + std::to_string(p.b));
}

double bm25_idf(std::int64_t document_frequency, std::int64_t n_documents) {
  const auto df = static_cast<double>(document_frequency);
  return std::log1p((static_cast<double>(n_documents) - df + 0.5) / (df + 0.5));
}

Bm25Statistics bm25_statistics(const CountsView& counts) {
  check_counts(counts);
  Bm25Statistics s;
  s.n_documents = counts.n_rows;
  std::vector<std::int64_t> df(static_cast<std::size_t>(counts.n_cols), 0);
  double total = 0.0;
  // A document counts once per term even where its row repeats the column (an
  // uncanonical CSR): df never exceeds n_documents, so idf stays positive.
  std::vector<std::int64_t> last_document(df.size(), -1);
  for (std::int64_t r = 0; r < counts.n_rows; ++r) {
    for (auto e = counts.indptr[static_cast<std::size_t>(r)]; e < counts.indptr[static_cast<std::size_t>(r) + 1]; ++e) {
      const auto column = static_cast<std::size_t>(counts.indices[static_cast<std::size_t>(e)]);
      const double value = counts.data[static_cast<std::size_t>(e)];
      if (value > 0.0 && last_document[column] != r) {
        last_document[column] = r;
        ++df[column];
      }
      total += value;
    }
  }
  s.idf.resize(df.size());
  for (std::size_t t = 0; t < df.size(); ++t) s.idf[t] = bm25_idf(df[t], s.n_documents);
  s.average_length = counts.n_rows > 0 ? total / static_cast<double>(counts.n_rows) : 0.0;
  return s;
}

std::vector<double> bm25_weights(const CountsView& counts, const Bm25Statistics& statistics,
                                 const Bm25Parameters& parameters) {
  check_bm25_parameters(parameters);
  check_counts(counts);
  if (static_cast<std::int64_t>(statistics.idf.size()) != counts.n_cols) {
    throw std::invalid_argument("counts has " + std::to_string(counts.n_cols) + " terms but the statistics " +
                                std::to_string(statistics.idf.size()));
  }
  std::vector<double> weights(counts.data.size(), 0.0);
  const double k1 = parameters.k1;
  const double b = parameters.b;
  const double average = statistics.average_length;
  parallel_for(static_cast<std::size_t>(counts.n_rows), [&](std::size_t r) {
    const auto begin = static_cast<std::size_t>(counts.indptr[r]);
    const auto end = static_cast<std::size_t>(counts.indptr[r + 1]);
    double length = 0.0;
    for (std::size_t e = begin; e < end; ++e) length += counts.data[e];
    // A collection of empty documents has no average: no length normalisation then.
    const double relative = average > 0.0 ? length / average : 1.0;
    const double norm = k1 * (1.0 - b + b * relative);
    for (std::size_t e = begin; e < end; ++e) {
      const double tf = counts.data[e];
      if (tf > 0.0) weights[e] = statistics.idf[static_cast<std::size_t>(counts.indices[e])] * tf / (tf + norm);
    }
  });
  return weights;
}

std::vector<std::int64_t> bm25_group_document_frequencies(const CountsView& matrix,
                                                          std::span<const std::int32_t> groups,
                                                          std::int64_t n_groups) {
  check_csr(matrix, "matrix");
  if (static_cast<std::int64_t>(groups.size()) != matrix.n_rows) {
    throw std::invalid_argument("groups has " + std::to_string(groups.size()) + " entries for " +
                                std::to_string(matrix.n_rows) + " documents");
  }
  if (n_groups < 0) throw std::invalid_argument("n_groups must be >= 0, got " + std::to_string(n_groups));
  const auto n_cols = static_cast<std::size_t>(matrix.n_cols);
  std::vector<std::int64_t> df(static_cast<std::size_t>(n_groups) * n_cols, 0);
  for (std::size_t r = 0; r < groups.size(); ++r) {
    const std::int32_t group = groups[r];
    if (group < 0 || group >= n_groups) {
      throw std::invalid_argument("groups: document " + std::to_string(r) + " is in group " + std::to_string(group) +
                                  ", outside [0, " + std::to_string(n_groups) + ")");
    }
    std::int64_t* row = df.data() + static_cast<std::size_t>(group) * n_cols;
    for (auto e = static_cast<std::size_t>(matrix.indptr[r]); e < static_cast<std::size_t>(matrix.indptr[r + 1]); ++e) {
      if (matrix.data[e] != 0.0) ++row[static_cast<std::size_t>(matrix.indices[e])];
    }
  }
  return df;
}

InvertedIndex::InvertedIndex(const CountsView& weights) : n_rows_(weights.n_rows), n_cols_(weights.n_cols) {
  check_csr(weights, "weights");
  check_values(weights, "weights", 0.0, true);
  const auto n_cols = static_cast<std::size_t>(n_cols_);
  const std::size_t nnz = weights.indices.size();
  // Rows in blocks of about equal entries, one per thread: each block counts its entries per term,
  // then writes its postings after those of the blocks before it, so that every term's postings are
  // in row order, the same bits as one serial pass whatever the thread count.
  constexpr std::size_t kEntriesPerBlock = std::size_t{1} << 18;  // fewer: one block, no thread start-up
  const std::size_t n_blocks = std::max<std::size_t>(
      1, std::min({static_cast<std::size_t>(get_num_threads()), nnz / kEntriesPerBlock,
                   static_cast<std::size_t>(n_rows_)}));
  std::vector<std::size_t> first_row(n_blocks + 1, static_cast<std::size_t>(n_rows_));
  for (std::size_t block = 0; block < n_blocks; ++block) {
    const auto target = static_cast<std::int64_t>(nnz / n_blocks * block);
    first_row[block] = static_cast<std::size_t>(
        std::lower_bound(weights.indptr.begin(), weights.indptr.end() - 1, target) - weights.indptr.begin());
  }
  std::vector<std::vector<std::int64_t>> next(n_blocks, std::vector<std::int64_t>(n_cols, 0));
  parallel_for(n_blocks, [&](std::size_t block) {
    auto& count = next[block];
    const auto begin = static_cast<std::size_t>(weights.indptr[first_row[block]]);
    const auto end = static_cast<std::size_t>(weights.indptr[first_row[block + 1]]);
    for (std::size_t e = begin; e < end; ++e) ++count[static_cast<std::size_t>(weights.indices[e])];
  });
  // Each block's counts become where its first posting of each term goes.
  owned_start_.assign(n_cols + 1, 0);
  std::int64_t position = 0;
  for (std::size_t c = 0; c < n_cols; ++c) {
    owned_start_[c] = position;
    for (auto& count : next) {
      const std::int64_t in_block = count[c];
      count[c] = position;
      position += in_block;
    }
  }
  owned_start_[n_cols] = position;
  owned_rows_.resize(nnz);
  owned_values_.resize(nnz);
  parallel_for(n_blocks, [&](std::size_t block) {
    auto& slots = next[block];
    for (std::size_t r = first_row[block]; r < first_row[block + 1]; ++r) {
      for (auto e = static_cast<std::size_t>(weights.indptr[r]); e < static_cast<std::size_t>(weights.indptr[r + 1]);
           ++e) {
        const auto slot = static_cast<std::size_t>(slots[static_cast<std::size_t>(weights.indices[e])]++);
        owned_rows_[slot] = static_cast<std::int64_t>(r);
        owned_values_[slot] = weights.data[e];
      }
    }
  });
  start_ = owned_start_;
  rows_ = owned_rows_;
  values_ = owned_values_;
}

InvertedIndex InvertedIndex::from_postings(const CountsView& postings) {
  check_csr(postings, "postings");
  check_values(postings, "postings", 0.0, true);
  for (std::int64_t t = 0; t < postings.n_rows; ++t) {
    for (auto e = postings.indptr[static_cast<std::size_t>(t)] + 1; e < postings.indptr[static_cast<std::size_t>(t) + 1];
         ++e) {
      if (postings.indices[static_cast<std::size_t>(e)] <= postings.indices[static_cast<std::size_t>(e) - 1]) {
        throw std::invalid_argument("postings: the documents of term " + std::to_string(t) +
                                    " are not strictly increasing");
      }
    }
  }
  InvertedIndex index;
  index.n_rows_ = postings.n_cols;
  index.n_cols_ = postings.n_rows;
  index.start_ = postings.indptr;
  index.rows_ = postings.indices;
  index.values_ = postings.data;
  return index;
}

TopKResult InvertedIndex::search(const CountsView& queries, std::int64_t k) const {
  check_csr(queries, "queries");
  check_values(queries, "queries", 0.0, false);
  if (queries.n_cols != n_cols_) {
    throw std::invalid_argument("queries have " + std::to_string(queries.n_cols) + " terms but the index " +
                                std::to_string(n_cols_));
  }
  if (k < 1) throw std::invalid_argument("k must be at least 1, got " + std::to_string(k));
  // Past n_rows_ a row would be padding only, and n_queries * k could wrap around size_t.
  if (k > n_rows_) {
    throw std::invalid_argument("k=" + std::to_string(k) + " is larger than the " + std::to_string(n_rows_) +
                                " documents of the index");
  }
  TopKResult result;
  result.n_rows = queries.n_rows;
  result.k = k;
  const auto n_queries = static_cast<std::size_t>(queries.n_rows);
  const auto width = static_cast<std::size_t>(k);
  result.indices.assign(n_queries * width, -1);
  result.scores.assign(n_queries * width, std::numeric_limits<double>::quiet_NaN());
  if (n_queries == 0) return result;
  const std::size_t n_workers = std::min<std::size_t>(static_cast<std::size_t>(get_num_threads()), n_queries);
  std::vector<Worker> workers(n_workers);
  parallel_for_workers(n_queries, n_workers, [&](std::size_t q, std::size_t w) {
    Worker& worker = workers[w];
    if (worker.scores.empty() && n_rows_ > 0) {
      worker.scores.assign(static_cast<std::size_t>(n_rows_), 0.0);
      worker.hit.assign(static_cast<std::size_t>(n_rows_), 0);
    }
    worker.touched.clear();
    for (auto e = static_cast<std::size_t>(queries.indptr[q]); e < static_cast<std::size_t>(queries.indptr[q + 1]); ++e) {
      const double weight = queries.data[e];
      if (weight == 0.0) continue;
      const auto term = static_cast<std::size_t>(queries.indices[e]);
      for (auto p = static_cast<std::size_t>(start_[term]); p < static_cast<std::size_t>(start_[term + 1]); ++p) {
        const auto doc = static_cast<std::size_t>(rows_[p]);
        if (!worker.hit[doc]) {
          worker.hit[doc] = 1;
          worker.touched.push_back(rows_[p]);
        }
        worker.scores[doc] += weight * values_[p];
      }
    }
    // The k best of the touched documents: a heap whose front is the worst kept.
    auto& heap = worker.heap;
    heap.clear();
    for (const std::int64_t doc : worker.touched) {
      const auto d = static_cast<std::size_t>(doc);
      const Candidate c{worker.scores[d], doc};
      worker.scores[d] = 0.0;
      worker.hit[d] = 0;
      if (heap.size() < width) {
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), ranks_before);
      } else if (ranks_before(c, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), ranks_before);
        heap.back() = c;
        std::push_heap(heap.begin(), heap.end(), ranks_before);
      }
    }
    std::sort_heap(heap.begin(), heap.end(), ranks_before);
    for (std::size_t i = 0; i < heap.size(); ++i) {
      result.indices[q * width + i] = heap[i].index;
      result.scores[q * width + i] = heap[i].score;
    }
  });
  return result;
}

}  // namespace themescope
