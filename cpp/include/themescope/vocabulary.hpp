// A term -> column map whose terms live in one arena (no allocation per term).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

namespace themescope {

using TermId = std::int32_t;

class Vocabulary {
 public:
  Vocabulary();
  Vocabulary(Vocabulary&&) noexcept;
  Vocabulary& operator=(Vocabulary&&) noexcept;
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;
  ~Vocabulary();

  // Builds a vocabulary whose ids are the positions in `terms`; throws
  // std::invalid_argument naming the first repeated term.
  static Vocabulary from_terms(const std::vector<std::string_view>& terms);

  // The id of `term`, adding it with the next free id when new. Throws
  // std::length_error past 2^31 - 1 terms (the column index is int32).
  TermId find_or_add(std::string_view term);
  std::optional<TermId> find(std::string_view term) const;

  std::string_view term(TermId id) const { return terms_[static_cast<std::size_t>(id)]; }
  std::size_t size() const noexcept { return terms_.size(); }
  const std::vector<std::string_view>& terms() const noexcept { return terms_; }

  // Ids ordered by term in code point order (= UTF-8 byte order), which is the
  // order of Python's sorted() on str: result[rank] = id.
  std::vector<TermId> ids_in_term_order() const;

  // Renumbers: the term with id i gets id new_id_of[i], or is dropped when that is
  // -1. The new ids must be exactly 0..k-1.
  void renumber(const std::vector<TermId>& new_id_of);

  std::size_t memory_bytes() const noexcept;

 private:
  std::string_view store(std::string_view term);

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::size_t arena_bytes_ = 0;
  std::vector<std::string_view> terms_;
  absl::flat_hash_map<std::string_view, TermId> index_;
};

}  // namespace themescope
