// BM25 (Robertson & Zaragoza 2009), as Lucene's BM25Similarity computes it, and
// an inverted index that ranks documents by the sum of their term weights.
//
// One implementation for every user of the formula: search (Explorer.query) and
// document weighting (a BM25 transformer) both call bm25_idf / bm25_weights.
//
//   idf(t)     = log(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
//   w(t, d)    = idf(t) * tf / (tf + k1 * (1 - b + b * |d| / avgdl))
//   score(q,d) = sum over the query's terms t of  q_t * w(t, d)
//
// with N the number of documents, df(t) the documents holding t, tf the count of
// t in d, |d| the document's length in terms and avgdl the mean length. Unlike
// Lucene, lengths are exact (Lucene stores them in one lossy byte), and the
// numerator has no (k1 + 1) factor, as in Lucene since 8.0: a constant factor,
// it changes no ranking. idf is always > 0, so every weight of a term the
// document holds is > 0.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "themescope/csr.hpp"
#include "themescope/similarity.hpp"

namespace themescope {

struct Bm25Parameters {
  double k1 = 1.2;  // term-frequency saturation: 0 ignores tf, large values approach raw tf
  double b = 0.75;  // length normalisation: 0 none, 1 full
};

// Throws std::invalid_argument unless k1 is finite and >= 0 and b is in [0, 1].
void check_bm25_parameters(const Bm25Parameters& parameters);

using CountsView = CsrView<const double, std::int64_t, std::int64_t>;

// What BM25 learns from a (documents x terms) count matrix.
struct Bm25Statistics {
  std::int64_t n_documents = 0;
  std::vector<double> idf;      // per term
  double average_length = 0.0;  // mean row sum
};

// Lucene's idf of a term in document_frequency of n_documents documents.
double bm25_idf(std::int64_t document_frequency, std::int64_t n_documents);

// The statistics of a count matrix: document frequency = stored entries > 0 per
// column; a document's length = the sum of its row. Throws std::invalid_argument
// for inconsistent CSR buffers and negative or non-finite counts.
Bm25Statistics bm25_statistics(const CountsView& counts);

// The BM25 weight of every stored entry of `counts` (same order; a zero count
// weighs 0), with the given statistics: what a new count matrix becomes, each
// row's length being its own sum. Runs on get_num_threads() threads.
std::vector<double> bm25_weights(const CountsView& counts, const Bm25Statistics& statistics,
                                 const Bm25Parameters& parameters);

// The document frequency of every term within each group of documents (the documents of one
// language, say): entry g * n_cols + t counts the documents of group g storing a nonzero of term t
// (a canonical matrix, one entry per term and row). groups[r] in [0, n_groups) is document r's
// group. Throws std::invalid_argument for inconsistent CSR buffers or groups.
std::vector<std::int64_t> bm25_group_document_frequencies(const CountsView& matrix,
                                                          std::span<const std::int32_t> groups,
                                                          std::int64_t n_groups);

// Postings (term -> documents, weights) of a (documents x terms) weight matrix,
// built once; search() then costs time in the postings the queries touch, not
// in the collection's size.
class InvertedIndex {
 public:
  // Every stored weight must be finite and > 0 (zeros are to be left out).
  explicit InvertedIndex(const CountsView& weights);

  // The index of postings() saved before: `postings` is the transposed weights (terms x
  // documents, CSR; rows strictly increasing within each term), checked, not transposed
  // again (a saved collection loads without the O(entries) transposition). The index
  // borrows the buffers, not copied: they must outlive it (a memory-mapped file's pages are
  // then read as queries need them).
  static InvertedIndex from_postings(const CountsView& postings);

  InvertedIndex(InvertedIndex&&) noexcept = default;
  InvertedIndex& operator=(InvertedIndex&&) noexcept = default;
  InvertedIndex(const InvertedIndex&) = delete;  // the views would point into the other's buffers
  InvertedIndex& operator=(const InvertedIndex&) = delete;

  // The postings as a (terms x documents) CSR view of the index's own buffers.
  CountsView postings() const noexcept {
    return CountsView{n_cols_, n_rows_, start_, rows_, values_};
  }

  // The k best documents of each query row (documents x the same terms), by the
  // sum of query weight * document weight over the query's stored entries, in
  // storage order: the same bits whatever the thread count. Only documents
  // sharing a term of positive query weight are ranked: rows with fewer than k
  // end with index -1 and score NaN. Ties by lower document index. Query values
  // must be finite and >= 0. Memory: one accumulator of n_documents per thread
  // and the (n_queries x k) result.
  TopKResult search(const CountsView& queries, std::int64_t k) const;

  std::int64_t n_documents() const noexcept { return n_rows_; }
  std::int64_t n_terms() const noexcept { return n_cols_; }

 private:
  InvertedIndex() = default;
  std::int64_t n_rows_ = 0;
  std::int64_t n_cols_ = 0;
  // The postings: views of the owned vectors below, or of borrowed buffers (from_postings).
  std::span<const std::int64_t> start_;  // n_cols + 1
  std::span<const std::int64_t> rows_;
  std::span<const double> values_;
  std::vector<std::int64_t> owned_start_;
  std::vector<std::int64_t> owned_rows_;
  std::vector<double> owned_values_;
};

}  // namespace themescope
