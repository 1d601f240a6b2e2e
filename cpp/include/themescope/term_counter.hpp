// Counting terms of many documents into a CSR matrix and a vocabulary.
//
// Documents are analyzed in chunks of consecutive documents, in parallel. Each
// worker counts against its own vocabulary; chunks are merged into the global
// one in chunk order, so vocabulary, counts and matrix never depend on the
// thread count. (A lone worker counts against the global vocabulary itself:
// the ids are the same, first use in document order.) That holds for calls that
// succeed: one that throws leaves the counter valid but not comparable.
// Chunk results are also the unit that partial fits and distributed runs combine.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "themescope/sklearn_analyzer.hpp"
#include "themescope/csr.hpp"
#include "themescope/vocabulary.hpp"

namespace themescope {

using CountMatrix = CsrMatrix<std::int32_t, std::int32_t, std::int64_t>;

class TermCounter {
 public:
  // Learns the vocabulary from the documents it counts.
  explicit TermCounter(std::shared_ptr<const DocumentAnalyzer> analyzer);
  // Counts only the terms of `fixed` (ids are columns); other terms are ignored.
  TermCounter(std::shared_ptr<const DocumentAnalyzer> analyzer, Vocabulary fixed);
  explicit TermCounter(TextAnalyzer analyzer);
  TermCounter(TextAnalyzer analyzer, Vocabulary fixed);
  ~TermCounter();
  TermCounter(TermCounter&&) noexcept;
  TermCounter& operator=(TermCounter&&) noexcept;

  bool vocabulary_is_fixed() const noexcept { return fixed_; }

  // Analyzes and counts documents (appended as rows, in order). Runs on
  // get_num_threads() threads. If it throws, the counter stays valid but may
  // hold some of the documents, and terms of others. `languages`, when not
  // empty, has each document's language code for the analyzer
  // (DocumentAnalyzer::analyze_document_in); throws std::invalid_argument when
  // its size is not the number of documents.
  void add_documents(std::span<const TextRef> documents, std::span<const std::string_view> languages = {});
  // Counts one document whose terms were produced elsewhere (a custom analyzer).
  void add_terms(std::span<const std::string_view> terms);

  std::int64_t n_documents() const noexcept { return static_cast<std::int64_t>(indptr_.size()) - 1; }
  std::size_t nnz() const noexcept { return columns_.size(); }
  const Vocabulary& vocabulary() const noexcept { return vocabulary_; }

  // Renumbers a learned vocabulary in term order (what scikit-learn does) and the
  // matrix with it. No-op for a fixed vocabulary.
  void sort_vocabulary();
  // The same in two steps, the first of which only reads (so that it may run
  // while another thread reads the vocabulary too): the ids in term order,
  // then the renumbering by that order (order[rank] = id; throws
  // std::invalid_argument unless it is a permutation of the ids).
  std::vector<TermId> term_order() const;
  void sort_vocabulary(std::span<const TermId> order);

  // Per column: number of documents containing the term, total occurrences.
  std::vector<std::int64_t> document_frequencies() const;
  std::vector<std::int64_t> term_frequencies() const;

  // The stored entries, row after row (columns in no particular order within a row).
  std::span<const TermId> entry_columns() const noexcept { return columns_; }
  std::span<const std::int32_t> entry_counts() const noexcept { return counts_; }

  // Keeps the listed columns (strictly increasing) and renumbers them 0..k-1.
  void keep_columns(std::span<const TermId> kept);

  // Moves the matrix out (indices ascending within each row); the counter is
  // left with its vocabulary and no documents.
  CountMatrix take_matrix();

  // Frees the vocabulary's terms, keeping their number (Vocabulary::release_terms):
  // the matrix can still be taken; anything needing a term throws std::logic_error.
  void release_terms() { vocabulary_.release_terms(); }

  // Per column, the surface form seen most often for its term, when the analyzer
  // has display forms and the vocabulary is learned; otherwise the terms
  // themselves. Occurrences are counted whatever the case first (str.casefold()),
  // then the most frequent case of that word is shown; ties go to the smallest
  // in code point order.
  std::vector<std::string> display_forms() const;

  // The same choice made per language, over the occurrences in the documents of
  // that language only (add_documents' `languages`; a MultilingualAnalyzer with
  // language "auto" only: otherwise, or without `languages`, every document is
  // of the one language ""): the (language, column, form) where that language's
  // form differs from display_forms()', sorted by language then column. An
  // English article shows "cybersecurity" where the corpus-wide form is French.
  struct LanguageForm {
    std::string language;
    TermId column;
    std::string form;
  };
  std::vector<LanguageForm> display_forms_by_language() const;
  // Both at once (each surface casefolded once); per_language=false leaves by_language empty.
  struct DisplayForms {
    std::vector<std::string> forms;
    std::vector<LanguageForm> by_language;
  };
  DisplayForms display_forms_with_languages(bool per_language = true) const;

  // Every (column, language, surface form, occurrences) record behind
  // display_forms(), in no particular order (empty when the analyzer has no
  // display forms): what a partial fit keeps so that counters of several shards
  // merge into the display forms one counter over all their documents would choose.
  struct SurfaceCount {
    TermId column;
    std::string_view language;  // as display_forms_by_language counts it
    std::string_view surface;   // both valid while the counter lives and counts no more documents
    std::int64_t count;
  };
  std::vector<SurfaceCount> surface_counts() const;

 private:
  struct ChunkResult;
  struct WorkerState;
  struct EntryGrowth;
  void merge_chunk(ChunkResult& chunk, WorkerState& worker, EntryGrowth& growth);
  // add_documents' steps: a worker counts a chunk, the workers' surface counts are folded in.
  void count_chunk(std::span<const TextRef> documents, std::span<const std::string_view> languages,
                   std::int64_t first_document, std::size_t begin, std::size_t end, ChunkResult& out,
                   WorkerState& state);
  template <class CountTerm>
  void count_document(TextRef document, std::string_view language, WorkerState& state, CountTerm& count_term);
  void fold_surface_counts(const std::vector<WorkerState>& workers);
  void add_surface(const WorkerState& worker, TermId local_id, std::string_view surface, std::int64_t n);

  std::shared_ptr<const DocumentAnalyzer> analyzer_;
  const TextAnalyzer* text_analyzer_;  // the same analyzer when it is one: a direct fast path
  bool fixed_;
  bool count_surfaces_;
  // Whether surfaces are counted per document language (display_forms_by_language):
  // only where the analyzer's token memos are per document language too.
  bool surface_languages_;
  // Surface forms of the learned terms, over all documents counted: per column,
  // a list of (surface, occurrences) records. A term has few surfaces, so
  // walking its list merges a worker's records with no hashing (a term with k
  // surfaces costs up to k comparisons per record merged). Records keep their
  // term's column through renumbering; a pruned term's records are dropped
  // (column -1), so a term learned again after pruning starts afresh.
  struct SurfaceRecord {
    TermId term;
    std::int32_t next;   // the term's next record, or -1
    std::size_t begin;   // in surface_bytes_: a byte of the language's size, the language, the surface
    std::size_t size;
    std::int64_t count;
  };
  std::vector<SurfaceRecord> surface_records_;
  std::vector<std::int32_t> first_surface_;  // per column: its first record, or -1
  std::string surface_bytes_;
  void renumber_surfaces(const std::vector<TermId>& new_id_of);
  Vocabulary vocabulary_;
  std::vector<std::int64_t> indptr_{0};
  std::vector<TermId> columns_;       // per stored entry
  std::vector<std::int32_t> counts_;  // per stored entry
};

}  // namespace themescope
