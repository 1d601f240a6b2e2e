#include "themescope/term_counter.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>

#include "themescope/multilingual.hpp"
#include "themescope/parallel.hpp"
#include "themescope/radix_sort.hpp"
#include "themescope/unicode.hpp"

namespace themescope {

namespace {

// Consecutive documents are grouped into chunks of about this many code units.
// The grouping depends on the documents only, never on the thread count. Small
// enough that two workers finish close together (2^19 left one idle for up to
// a chunk at the end: BBC x4 on two threads, 85.9 -> 83.5 ms with 2^18).
constexpr std::size_t kChunkUnits = std::size_t{1} << 18;

struct Chunk {
  std::size_t begin, end;  // documents
  std::size_t units;       // their code units, plus one a document
};

std::vector<Chunk> split_into_chunks(std::span<const TextRef> docs) {
  std::vector<Chunk> chunks;
  std::size_t begin = 0;
  std::size_t units = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    units += docs[i].length + 1;
    if (units >= kChunkUnits) {
      chunks.push_back({begin, i + 1, units});
      begin = i + 1;
      units = 0;
    }
  }
  if (begin < docs.size()) chunks.push_back({begin, docs.size(), units});
  return chunks;
}

// Sorts one row's n (column, count) entries by column (columns distinct): by
// insertion when short, else as packed words by a radix sort over the column's
// `digits` bytes. keys and other are scratch, reused from row to row.
void sort_row_by_column(TermId* column, std::int32_t* count, std::size_t n, unsigned digits,
                        std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& other) {
  if (n <= 32) {
    for (std::size_t i = 1; i < n; ++i) {
      const TermId c = column[i];
      const std::int32_t k = count[i];
      std::size_t j = i;
      for (; j > 0 && column[j - 1] > c; --j) {
        column[j] = column[j - 1];
        count[j] = count[j - 1];
      }
      column[j] = c;
      count[j] = k;
    }
    return;
  }
  keys.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = (std::uint64_t{static_cast<std::uint32_t>(column[i])} << 32) | static_cast<std::uint32_t>(count[i]);
  }
  radix_sort<4>(keys, other, digits, [](std::uint64_t key) { return key >> 32; });
  for (std::size_t i = 0; i < n; ++i) {
    column[i] = static_cast<TermId>(keys[i] >> 32);
    count[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(keys[i]));
  }
}

// TermMemo::term values besides a term id.
constexpr TermId kUnknown = -1;           // not looked up yet (TermMemo's initial value)
constexpr TermId kNotInVocabulary = -2;  // looked up in a fixed vocabulary: absent

// Whether an analyzer reads each document with the resources (and token memos) of
// the language add_documents gives it: a MultilingualAnalyzer with language "auto".
// A memo then stands for one language's surface, so surfaces can be counted per
// language (a fixed-language analyzer shares its memos across the codes given).
bool counts_per_document_language(const DocumentAnalyzer& analyzer) {
  const auto* multilingual = dynamic_cast<const MultilingualAnalyzer*>(&analyzer);
  return multilingual != nullptr && multilingual->options().language == "auto";
}

// A surface as the counter keeps it: the size of its language (one byte), the
// language, the surface; and back.
void append_tagged(std::string& out, std::string_view language, std::string_view surface) {
  out += static_cast<char>(static_cast<unsigned char>(language.size()));
  out += language;
  out += surface;
}
std::pair<std::string_view, std::string_view> split_tagged(std::string_view stored) {
  const std::size_t n = static_cast<unsigned char>(stored.front());
  return {stored.substr(1, n), stored.substr(1 + n)};
}

void check_count(std::int32_t count) {
  if (count == std::numeric_limits<std::int32_t>::max()) {
    throw std::overflow_error("a term occurs 2^31 - 1 times in one document; counts are int32");
  }
}

}  // namespace

// How the stored entries grow over one add_documents call. Growing them by
// doubling copies every entry about once more and faults in twice the memory
// (BBC x4: 8% of a count, on one thread or two): instead, from the entries per
// code unit of the chunks merged so far, the call's total is projected and
// reserved at once. A projection that falls short is made again, at least half
// as much again each time, so the copies stay O(entries). One that overshoots
// costs address space, never touched, which take_matrix trims when it is over
// a quarter of what the caller gets.
struct TermCounter::EntryGrowth {
  std::size_t units_total = 0;   // of the call's documents
  std::size_t units_merged = 0;  // of the chunks merged so far
  std::size_t entries_before = 0;

  // The entries projected for the whole call, with a sixteenth to spare (at most `limit`).
  std::size_t projected(std::size_t needed, std::size_t limit) const {
    const double per_unit = static_cast<double>(needed - entries_before) / static_cast<double>(units_merged);
    const double total = static_cast<double>(entries_before) + per_unit * static_cast<double>(units_total) * 1.0625;
    return total < static_cast<double>(limit) ? static_cast<std::size_t>(total) : limit;
  }
};

struct TermCounter::ChunkResult {
  std::size_t worker = 0;
  // Learned vocabulary: terms this chunk's worker met for the first time, in
  // the order of their worker-local ids (views into the worker's arena).
  std::vector<std::string_view> new_terms;
  std::vector<std::uint64_t> new_hashes;  // their TermHash
  std::vector<std::int64_t> row_ends;
  std::vector<TermId> columns;  // worker-local ids, or global ones (fixed, or a lone worker)
  std::vector<std::int32_t> counts;
};

// What a worker keeps from chunk to chunk within one add_documents call.
struct TermCounter::WorkerState {
  Vocabulary local;
  // The vocabulary this worker adds terms to: its own (merged into the global
  // one chunk by chunk), or, when it is the only worker, the global one itself:
  // nothing runs beside it, so its ids are the global ids and there is nothing
  // to merge (half the vocabulary work of a one-thread count).
  Vocabulary* terms = &local;
  std::size_t terms_reported = 0;  // local terms already handed to a merge
  // Local id -> global id, filled at merge time (a lone worker's ids are global).
  std::vector<TermId> global_of;
  TermId global_id(TermId id) const {
    return terms == &local ? global_of[static_cast<std::size_t>(id)] : id;
  }
  // Per term: the position of its latest entry among all the entries this worker
  // has made (-1: none). An entry at or after the current row's first one is
  // this document's, so a repeated term is counted in O(1) without a
  // per-document map, and nothing needs resetting between documents or chunks.
  std::vector<std::int64_t> entry_of;
  std::int64_t entries_before_chunk = 0;
  AnalyzerScratch scratch;                // for the TextAnalyzer fast path
  std::unique_ptr<AnalyzerState> state;  // for any other analyzer
  // Surfaces: "term id bytes (the worker's ids) + surface" -> occurrences.
  Vocabulary surfaces;
  std::vector<std::int64_t> surface_counts;
  std::string surface_key;
  // Surfaces met with a memo: a record per memo, found again through it, so no
  // lookup at all (two memos may stand for one term and surface: the merge
  // adds them up).
  struct MemoSurface {
    TermId term;
    std::size_t begin;  // in memo_surface_bytes
    std::size_t size;
  };
  std::vector<MemoSurface> memo_surfaces;
  std::vector<std::int64_t> memo_surface_counts;
  std::string memo_surface_bytes;
};

TermCounter::TermCounter(std::shared_ptr<const DocumentAnalyzer> analyzer)
    : analyzer_(std::move(analyzer)),
      text_analyzer_(dynamic_cast<const TextAnalyzer*>(analyzer_.get())),
      fixed_(false),
      count_surfaces_(analyzer_->has_display_forms()),
      surface_languages_(count_surfaces_ && counts_per_document_language(*analyzer_)) {}

TermCounter::TermCounter(std::shared_ptr<const DocumentAnalyzer> analyzer, Vocabulary fixed)
    : analyzer_(std::move(analyzer)),
      text_analyzer_(dynamic_cast<const TextAnalyzer*>(analyzer_.get())),
      fixed_(true),
      count_surfaces_(false),
      surface_languages_(false),
      vocabulary_(std::move(fixed)) {}

TermCounter::TermCounter(TextAnalyzer analyzer)
    : TermCounter(std::shared_ptr<const DocumentAnalyzer>(std::make_shared<TextAnalyzer>(std::move(analyzer)))) {}
TermCounter::TermCounter(TextAnalyzer analyzer, Vocabulary fixed)
    : TermCounter(std::shared_ptr<const DocumentAnalyzer>(std::make_shared<TextAnalyzer>(std::move(analyzer))),
                  std::move(fixed)) {}
TermCounter::~TermCounter() = default;
TermCounter::TermCounter(TermCounter&&) noexcept = default;
TermCounter& TermCounter::operator=(TermCounter&&) noexcept = default;

void TermCounter::merge_chunk(ChunkResult& chunk, WorkerState& worker, EntryGrowth& growth) {
  // Chunks merge in chunk order, and a worker's chunks in increasing order, so
  // its new terms continue its local numbering: global ids follow first use
  // in document order, whatever the thread count.
  // The terms are known ahead: their slots are loaded a few terms in advance,
  // so that the lookups' cache misses overlap.
  constexpr std::size_t kAhead = 8;
  const std::size_t n_new = chunk.new_terms.size();
  for (std::size_t k = 0; k < n_new; ++k) {
    if (k + kAhead < n_new) vocabulary_.prefetch(chunk.new_hashes[k + kAhead]);
    worker.global_of.push_back(vocabulary_.find_or_add(chunk.new_terms[k], chunk.new_hashes[k]));
  }
  const std::int64_t base = static_cast<std::int64_t>(columns_.size());
  const std::size_t needed = columns_.size() + chunk.columns.size();
  const std::size_t capacity = std::min(columns_.capacity(), counts_.capacity());
  if (needed > capacity) {
    const std::size_t geometric = std::max(needed, capacity + capacity / 2);
    const std::size_t wanted = std::max(geometric, growth.projected(needed, columns_.max_size()));
    auto reserve = [&](auto& entries) {
      try {
        entries.reserve(wanted);
      } catch (const std::bad_alloc&) {
        // A projection made from dense first chunks may ask for more address
        // space than the system grants: grow by what is needed now.
        entries.reserve(geometric);
      }
    };
    reserve(columns_);
    reserve(counts_);
  }
  counts_.insert(counts_.end(), chunk.counts.begin(), chunk.counts.end());
  if (fixed_ || worker.terms == &vocabulary_) {  // the ids are global already
    columns_.insert(columns_.end(), chunk.columns.begin(), chunk.columns.end());
  } else {
    for (const TermId local : chunk.columns) columns_.push_back(worker.global_of[static_cast<std::size_t>(local)]);
  }
  for (const std::int64_t end : chunk.row_ends) indptr_.push_back(base + end);
  chunk = ChunkResult{};  // release its memory now
}

// The terms of one document handed to count_term as ids: by the scikit-learn analyzer
// directly, or by a DocumentAnalyzer with its memos (and the surface forms counted when
// display forms are wanted).
template <class CountTerm>
void TermCounter::count_document(TextRef document, std::string_view language, WorkerState& state,
                                 CountTerm& count_term) {
  Vocabulary& terms = *state.terms;
  if (text_analyzer_ != nullptr) {
    if (fixed_) {
      text_analyzer_->analyze(document, state.scratch, [&](std::string_view term) {
        if (auto id = vocabulary_.find(term)) count_term(*id);
      });
    } else {
      text_analyzer_->analyze(document, state.scratch,
                              [&](std::string_view term) { count_term(terms.find_or_add(term)); });
    }
    return;
  }
  // The state is this worker's alone and feeds only the sink below, so
  // the memos it hands over are ours (analyzer.hpp): a memoized token
  // costs no vocabulary lookup.
  if (!state.state) state.state = analyzer_->new_state();
  if (fixed_) {
    analyzer_->analyze_document_in(document, language, *state.state,
                                   [&](std::string_view term, std::string_view, TermMemo* memo) {
                                     if (memo != nullptr && memo->term != kUnknown) {
                                       if (memo->term != kNotInVocabulary) count_term(memo->term);
                                       return;
                                     }
                                     const auto id = vocabulary_.find(term);
                                     if (memo != nullptr) memo->term = id ? *id : kNotInVocabulary;
                                     if (id) count_term(*id);
                                   });
  } else if (count_surfaces_) {
    const std::string_view surface_language = surface_languages_ ? language : std::string_view();
    analyzer_->analyze_document_in(
        document, language, *state.state, [&](std::string_view term, std::string_view surface, TermMemo* memo) {
          if (memo != nullptr && memo->term != kUnknown) {
            count_term(memo->term);
            ++state.memo_surface_counts[static_cast<std::size_t>(memo->surface)];
            return;
          }
          const TermId id = terms.find_or_add(term);
          count_term(id);
          if (memo != nullptr) {
            const std::size_t s = state.memo_surfaces.size();
            if (s > static_cast<std::size_t>(std::numeric_limits<TermId>::max())) {
              throw std::length_error("more than 2^31 - 1 distinct tokens in one call");
            }
            const std::size_t begin = state.memo_surface_bytes.size();
            append_tagged(state.memo_surface_bytes, surface_language, surface);
            state.memo_surfaces.push_back({id, begin, state.memo_surface_bytes.size() - begin});
            state.memo_surface_counts.push_back(1);
            *memo = {id, static_cast<TermId>(s)};
            return;
          }
          // Keyed by the local term id's bytes: fixed width, no separator.
          state.surface_key.assign(reinterpret_cast<const char*>(&id), sizeof id);
          append_tagged(state.surface_key, surface_language, surface);
          const TermId s = state.surfaces.find_or_add(state.surface_key);
          if (static_cast<std::size_t>(s) >= state.surface_counts.size()) state.surface_counts.push_back(0);
          ++state.surface_counts[static_cast<std::size_t>(s)];
        });
  } else {
    analyzer_->analyze_document_in(document, language, *state.state,
                                   [&](std::string_view term, std::string_view, TermMemo* memo) {
                                     if (memo != nullptr && memo->term != kUnknown) {
                                       count_term(memo->term);
                                       return;
                                     }
                                     const TermId id = terms.find_or_add(term);
                                     if (memo != nullptr) memo->term = id;
                                     count_term(id);
                                   });
  }
}

// Documents [begin, end) counted by one worker into `out`, in its own term ids (global ones
// when it numbers into vocabulary_ itself); the terms it met first are listed for the merge.
void TermCounter::count_chunk(std::span<const TextRef> documents, std::span<const std::string_view> languages,
                              std::int64_t first_document, std::size_t begin, std::size_t end, ChunkResult& out,
                              WorkerState& state) {
  std::int64_t row_start = 0;
  const std::int64_t base = state.entries_before_chunk;
  auto count_term = [&](TermId id) {
    const auto k = static_cast<std::size_t>(id);
    if (k >= state.entry_of.size()) {
      state.entry_of.resize(std::max<std::size_t>(k + 1, state.entry_of.size() * 2), -1);
    }
    const std::int64_t entry = state.entry_of[k];
    if (entry < row_start) {
      state.entry_of[k] = base + static_cast<std::int64_t>(out.columns.size());
      out.columns.push_back(id);
      out.counts.push_back(1);
    } else {
      auto& n = out.counts[static_cast<std::size_t>(entry - base)];
      check_count(n);
      ++n;
    }
  };
  out.row_ends.reserve(end - begin);
  auto language_of = [&](std::size_t d) { return languages.empty() ? std::string_view() : languages[d]; };
  for (std::size_t d = begin; d < end; ++d) {
    row_start = base + static_cast<std::int64_t>(out.columns.size());
    try {
      count_document(documents[d], language_of(d), state, count_term);
    } catch (const InvalidUtf8Error& e) {
      const auto index = first_document + static_cast<std::int64_t>(d);
      throw InvalidUtf8Error(e.byte_offset(), "document " + std::to_string(index) +
                                                  ": invalid UTF-8 at byte offset " +
                                                  std::to_string(e.byte_offset()));
    }
    out.row_ends.push_back(static_cast<std::int64_t>(out.columns.size()));
  }
  state.entries_before_chunk = base + static_cast<std::int64_t>(out.columns.size());
  const auto& local_terms = state.local.terms();
  out.new_terms.assign(local_terms.begin() + static_cast<std::ptrdiff_t>(state.terms_reported), local_terms.end());
  const auto& local_hashes = state.local.hashes();
  out.new_hashes.assign(local_hashes.begin() + static_cast<std::ptrdiff_t>(state.terms_reported),
                        local_hashes.end());
  state.terms_reported = local_terms.size();
}

void TermCounter::add_surface(const WorkerState& worker, TermId local_id, std::string_view surface,
                              std::int64_t n) {
  const TermId column = worker.global_id(local_id);
  std::int32_t& head = first_surface_[static_cast<std::size_t>(column)];
  for (std::int32_t r = head; r >= 0; r = surface_records_[static_cast<std::size_t>(r)].next) {
    SurfaceRecord& record = surface_records_[static_cast<std::size_t>(r)];
    if (record.size == surface.size() && surface_bytes_.compare(record.begin, record.size, surface) == 0) {
      record.count += n;
      return;
    }
  }
  if (surface_records_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw std::length_error("more than 2^31 - 1 distinct surface forms");
  }
  surface_records_.push_back({column, head, surface_bytes_.size(), surface.size(), n});
  surface_bytes_ += surface;
  head = static_cast<std::int32_t>(surface_records_.size() - 1);
}

// Surface counts are sums, so the order workers are folded in does not matter.
void TermCounter::fold_surface_counts(const std::vector<WorkerState>& workers) {
  if (count_surfaces_ && first_surface_.size() < vocabulary_.size()) first_surface_.resize(vocabulary_.size(), -1);
  for (const WorkerState& worker : workers) {
    for (std::size_t s = 0; s < worker.surfaces.size(); ++s) {
      const std::string_view local_key = worker.surfaces.term(static_cast<TermId>(s));
      TermId local_id;
      std::memcpy(&local_id, local_key.data(), sizeof local_id);
      add_surface(worker, local_id, local_key.substr(sizeof local_id), worker.surface_counts[s]);
    }
    const std::string_view bytes = worker.memo_surface_bytes;
    for (std::size_t s = 0; s < worker.memo_surfaces.size(); ++s) {
      const WorkerState::MemoSurface& m = worker.memo_surfaces[s];
      add_surface(worker, m.term, bytes.substr(m.begin, m.size), worker.memo_surface_counts[s]);
    }
  }
}

void TermCounter::add_documents(std::span<const TextRef> documents, std::span<const std::string_view> languages) {
  if (!languages.empty() && languages.size() != documents.size()) {
    throw std::invalid_argument("languages has " + std::to_string(languages.size()) + " codes for " +
                                std::to_string(documents.size()) + " documents");
  }
  for (const std::string_view language : languages) {
    if (language.size() > 255) {  // kept with its surfaces behind a one-byte size
      throw std::invalid_argument("a language code of " + std::to_string(language.size()) +
                                  " bytes: at most 255");
    }
  }
  if (fixed_) vocabulary_.ensure_index();  // workers look terms up concurrently
  const auto chunks = split_into_chunks(documents);
  const std::size_t n_workers =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(get_num_threads()), chunks.size()));
  const std::int64_t first_document = n_documents();
  std::vector<ChunkResult> results(chunks.size());
  std::vector<WorkerState> workers(n_workers);
  if (n_workers == 1 && !fixed_) workers[0].terms = &vocabulary_;
  std::unique_ptr<std::atomic<bool>[]> ready(new std::atomic<bool>[chunks.size()]);
  for (std::size_t i = 0; i < chunks.size(); ++i) ready[i] = false;
  std::mutex merge_mutex;
  std::size_t next_to_merge = 0;
  EntryGrowth growth;
  growth.entries_before = columns_.size();
  for (const Chunk& chunk : chunks) growth.units_total += chunk.units;
  auto merge_next = [&] {
    growth.units_merged += chunks[next_to_merge].units;
    ChunkResult& result = results[next_to_merge];
    merge_chunk(result, workers[result.worker], growth);
    ++next_to_merge;
  };

  parallel_for_workers(chunks.size(), n_workers, [&](std::size_t c, std::size_t w) {
    results[c].worker = w;
    count_chunk(documents, languages, first_document, chunks[c].begin, chunks[c].end, results[c], workers[w]);
    ready[c].store(true, std::memory_order_release);
    // Merge finished chunks in chunk order while other threads keep analyzing.
    // A worker that finds another merging goes on to its next chunk rather than
    // wait: a later merge, or the one after the loop, takes this chunk.
    std::unique_lock lock(merge_mutex, std::try_to_lock);
    if (!lock.owns_lock()) return;
    while (next_to_merge < chunks.size() && ready[next_to_merge].load(std::memory_order_acquire)) merge_next();
  });
  while (next_to_merge < chunks.size()) merge_next();
  fold_surface_counts(workers);
}

void TermCounter::renumber_surfaces(const std::vector<TermId>& new_id_of) {
  std::vector<std::int32_t> first(vocabulary_.size(), -1);
  for (std::size_t old_id = 0; old_id < first_surface_.size(); ++old_id) {
    const TermId new_id = new_id_of[old_id];
    if (new_id >= 0) first[static_cast<std::size_t>(new_id)] = first_surface_[old_id];
  }
  first_surface_ = std::move(first);
  for (SurfaceRecord& record : surface_records_) {
    if (record.term >= 0) record.term = new_id_of[static_cast<std::size_t>(record.term)];
  }
}

namespace {

struct SurfaceChoice {
  std::string_view language;  // "" for the corpus-wide choice
  std::size_t column;
  std::string key;  // casefold_utf8(surface): incremental.py merges partial fits by str.casefold() too
  std::string_view surface;
  std::int64_t count;
};

// The word written most often whatever its case, then its most frequent case: "Ministre"
// twice and "ministre" twice outnumber "ministres" three times. Ties: the smaller key,
// then the smaller surface, in code point (UTF-8 byte) order. Calls
// chosen(language, column, surface) once per (language, column) of the choices.
template <class Chosen>
void choose_display_forms(std::vector<SurfaceChoice>& choices, Chosen&& chosen) {
  std::sort(choices.begin(), choices.end(), [](const SurfaceChoice& a, const SurfaceChoice& b) {
    return std::tie(a.language, a.column, a.key, a.surface) < std::tie(b.language, b.column, b.key, b.surface);
  });
  const std::size_t n = choices.size();
  auto same = [&](std::size_t a, std::size_t b, int depth) {  // the first `depth` fields equal
    const SurfaceChoice& x = choices[a];
    const SurfaceChoice& y = choices[b];
    return x.language == y.language && x.column == y.column && (depth < 3 || x.key == y.key) &&
           (depth < 4 || x.surface == y.surface);
  };
  for (std::size_t i = 0; i < n;) {  // one (language, column)
    std::int64_t best_total = -1;
    std::string_view best;
    std::size_t j = i;
    while (j < n && same(i, j, 2)) {  // one word whatever its case
      std::int64_t total = 0, most = -1;
      std::string_view most_surface;
      std::size_t k = j;
      while (k < n && same(j, k, 3)) {  // one surface (a record per language it was counted in)
        std::int64_t count = 0;
        const std::size_t first = k;
        for (; k < n && same(first, k, 4); ++k) count += choices[k].count;
        total += count;
        if (count > most) most = count, most_surface = choices[first].surface;  // sorted: ties keep the smaller
      }
      if (total > best_total) best_total = total, best = most_surface;  // keys ascend: ties keep the smaller
      j = k;
    }
    chosen(choices[i].language, choices[i].column, best);
    i = j;
  }
}

std::vector<SurfaceChoice> choices_of(const std::vector<TermCounter::SurfaceCount>& records) {
  std::vector<SurfaceChoice> choices;
  choices.reserve(records.size());
  for (const TermCounter::SurfaceCount& r : records) {
    choices.push_back({r.language, static_cast<std::size_t>(r.column), unicode::casefold_utf8(r.surface), r.surface,
                       r.count});
  }
  return choices;
}

}  // namespace

std::vector<std::string> TermCounter::display_forms() const { return display_forms_with_languages(false).forms; }

std::vector<TermCounter::LanguageForm> TermCounter::display_forms_by_language() const {
  return display_forms_with_languages(true).by_language;
}

TermCounter::DisplayForms TermCounter::display_forms_with_languages(bool per_language) const {
  DisplayForms out;
  out.forms.resize(vocabulary_.size());
  for (std::size_t i = 0; i < vocabulary_.size(); ++i) out.forms[i] = vocabulary_.term(static_cast<TermId>(i));
  auto choices = choices_of(surface_counts());  // each surface casefolded once, for both choices
  // One language only (a monolingual corpus): its choice is the corpus-wide one.
  const bool several = std::any_of(choices.begin(), choices.end(),
                                   [&](const SurfaceChoice& c) { return c.language != choices.front().language; });
  std::vector<SurfaceChoice> by_language;
  if (per_language && several) by_language = choices;
  for (SurfaceChoice& c : choices) c.language = std::string_view();
  choose_display_forms(choices, [&](std::string_view, std::size_t column, std::string_view surface) {
    out.forms[column] = surface;
  });
  choose_display_forms(by_language, [&](std::string_view language, std::size_t column, std::string_view surface) {
    if (surface != out.forms[column]) {
      out.by_language.push_back({std::string(language), static_cast<TermId>(column), std::string(surface)});
    }
  });
  return out;
}

std::vector<TermCounter::SurfaceCount> TermCounter::surface_counts() const {
  std::vector<SurfaceCount> out;
  out.reserve(surface_records_.size());
  for (const SurfaceRecord& record : surface_records_) {
    if (record.term < 0) continue;  // pruned
    const auto [language, surface] = split_tagged(std::string_view(surface_bytes_).substr(record.begin, record.size));
    out.push_back({record.term, language, surface, record.count});
  }
  return out;
}

void TermCounter::add_terms(std::span<const std::string_view> terms) {
  std::vector<TermId> ids;
  ids.reserve(terms.size());
  for (const auto term : terms) {
    if (fixed_) {
      if (auto id = vocabulary_.find(term)) ids.push_back(*id);
    } else {
      ids.push_back(vocabulary_.find_or_add(term));
    }
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    if (j - i >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      check_count(std::numeric_limits<std::int32_t>::max());
    }
    columns_.push_back(ids[i]);
    counts_.push_back(static_cast<std::int32_t>(j - i));
    i = j;
  }
  indptr_.push_back(static_cast<std::int64_t>(columns_.size()));
}

void TermCounter::sort_vocabulary() {
  if (fixed_) return;
  sort_vocabulary(term_order());
}

std::vector<TermId> TermCounter::term_order() const { return vocabulary_.ids_in_term_order(); }

void TermCounter::sort_vocabulary(std::span<const TermId> order) {
  const std::size_t size = vocabulary_.size();
  if (order.size() != size) {
    throw std::invalid_argument("sort_vocabulary: " + std::to_string(order.size()) + " ids for a vocabulary of " +
                                std::to_string(size));
  }
  std::vector<TermId> new_id_of(size, -1);
  for (std::size_t rank = 0; rank < size; ++rank) {
    const TermId id = order[rank];
    if (id < 0 || static_cast<std::size_t>(id) >= size || new_id_of[static_cast<std::size_t>(id)] >= 0) {
      throw std::invalid_argument("sort_vocabulary: the order is not a permutation of the ids (" +
                                  std::to_string(id) + " at rank " + std::to_string(rank) + ")");
    }
    new_id_of[static_cast<std::size_t>(id)] = static_cast<TermId>(rank);
  }
  if (fixed_) return;  // validated, nothing to do: a fixed vocabulary keeps its columns
  vocabulary_.renumber(new_id_of);
  renumber_surfaces(new_id_of);
  const std::size_t n = columns_.size();
  // A gather per entry: split so that both cores take part from a few hundred
  // thousand entries on.
  const std::size_t threads = static_cast<std::size_t>(std::max(1, get_num_threads()));
  const std::size_t tasks = std::max<std::size_t>(1, std::min(4 * threads, n / (std::size_t{1} << 17)));
  parallel_for(tasks, [&](std::size_t t) {
    const std::size_t begin = n * t / tasks, end = n * (t + 1) / tasks;
    for (std::size_t i = begin; i < end; ++i) columns_[i] = new_id_of[static_cast<std::size_t>(columns_[i])];
  });
}

std::vector<std::int64_t> TermCounter::document_frequencies() const {
  std::vector<std::int64_t> df(vocabulary_.size(), 0);
  for (const TermId c : columns_) ++df[static_cast<std::size_t>(c)];
  return df;
}

std::vector<std::int64_t> TermCounter::term_frequencies() const {
  std::vector<std::int64_t> tf(vocabulary_.size(), 0);
  for (std::size_t i = 0; i < columns_.size(); ++i) tf[static_cast<std::size_t>(columns_[i])] += counts_[i];
  return tf;
}

void TermCounter::keep_columns(std::span<const TermId> kept) {
  std::vector<TermId> new_id_of(vocabulary_.size(), -1);
  TermId previous = -1;
  for (std::size_t rank = 0; rank < kept.size(); ++rank) {
    const TermId column = kept[rank];
    if (column <= previous || static_cast<std::size_t>(column) >= vocabulary_.size()) {
      throw std::invalid_argument("keep_columns: columns must be strictly increasing and below " +
                                  std::to_string(vocabulary_.size()) + ", got " + std::to_string(column));
    }
    new_id_of[static_cast<std::size_t>(column)] = static_cast<TermId>(rank);
    previous = column;
  }
  vocabulary_.renumber(new_id_of);
  renumber_surfaces(new_id_of);
  std::size_t write = 0;
  std::size_t read = 0;
  for (std::size_t row = 1; row < indptr_.size(); ++row) {
    const auto end = static_cast<std::size_t>(indptr_[row]);
    for (; read < end; ++read) {
      const TermId to = new_id_of[static_cast<std::size_t>(columns_[read])];
      if (to < 0) continue;
      columns_[write] = to;
      counts_[write] = counts_[read];
      ++write;
    }
    indptr_[row] = static_cast<std::int64_t>(write);
  }
  columns_.resize(write);
  counts_.resize(write);
}

CountMatrix TermCounter::take_matrix() {
  CountMatrix m;
  m.n_rows = n_documents();
  m.n_cols = static_cast<std::int64_t>(vocabulary_.size());
  const std::size_t rows = static_cast<std::size_t>(m.n_rows);
  const std::size_t cols = vocabulary_.size();
  const std::size_t nnz = columns_.size();
  if (rows > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw std::length_error("more than 2^31 - 1 documents in one matrix");
  }
  // Each row is sorted by column in place, on its own (sort_row_by_column): no
  // O(nnz) temporary (the matrix is the largest thing alive here) and nothing
  // shared between threads.
  unsigned digits = 0;
  for (std::size_t c = cols > 0 ? cols - 1 : 0; c != 0; c >>= 8) ++digits;
  const std::size_t threads = std::max<std::size_t>(1, static_cast<std::size_t>(get_num_threads()));
  const std::size_t tasks = std::max<std::size_t>(1, std::min<std::size_t>(rows, 16 * threads));
  std::vector<std::size_t> first_row(tasks + 1);
  for (std::size_t t = 0, row = 0; t <= tasks; ++t) {  // balance by entries
    const auto target = static_cast<std::int64_t>(nnz * t / tasks);
    while (row < rows && indptr_[row] < target) ++row;
    first_row[t] = t == tasks ? rows : row;
  }
  const std::size_t workers = std::min(threads, tasks);
  std::vector<std::vector<std::uint64_t>> scratch(2 * workers);
  parallel_for_workers(tasks, workers, [&](std::size_t t, std::size_t w) {
    std::vector<std::uint64_t>& keys = scratch[2 * w];
    std::vector<std::uint64_t>& other = scratch[2 * w + 1];
    for (std::size_t row = first_row[t]; row < first_row[t + 1]; ++row) {
      const auto begin = static_cast<std::size_t>(indptr_[row]);
      sort_row_by_column(columns_.data() + begin, counts_.data() + begin,
                         static_cast<std::size_t>(indptr_[row + 1]) - begin, digits, keys, other);
    }
  });
  // The entries go to the caller (numpy arrays, for as long as the matrix
  // lives): an overshooting projection (EntryGrowth) is not to live on in them.
  if (columns_.capacity() - nnz > nnz / 4) columns_.shrink_to_fit();
  if (counts_.capacity() - nnz > nnz / 4) counts_.shrink_to_fit();
  m.indptr = std::move(indptr_);
  m.indices = std::move(columns_);
  m.data = std::move(counts_);
  indptr_ = {0};
  columns_ = {};
  counts_ = {};
  return m;
}

}  // namespace themescope
