#include "themescope/vocabulary.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace themescope {

namespace {
constexpr std::size_t kFirstBlock = 64 * 1024;
constexpr std::size_t kMaxBlock = 16 * 1024 * 1024;
}  // namespace

Vocabulary::Vocabulary() = default;
Vocabulary::Vocabulary(Vocabulary&&) noexcept = default;
Vocabulary& Vocabulary::operator=(Vocabulary&&) noexcept = default;
Vocabulary::~Vocabulary() = default;

std::string_view Vocabulary::store(std::string_view term) {
  if (term.empty()) return {};
  if (blocks_.empty() || block_used_ + term.size() > block_size_) {
    // Blocks double up to 16 MB; a term longer than that gets a block of its own.
    block_size_ = std::max(term.size(), std::min(kMaxBlock, std::max(kFirstBlock, block_size_ * 2)));
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
    arena_bytes_ += block_size_;
  }
  char* dst = blocks_.back().get() + block_used_;
  std::memcpy(dst, term.data(), term.size());
  block_used_ += term.size();
  return {dst, term.size()};
}

TermId Vocabulary::find_or_add(std::string_view term) {
  auto it = index_.find(term);
  if (it != index_.end()) return it->second;
  if (terms_.size() >= static_cast<std::size_t>(std::numeric_limits<TermId>::max())) {
    throw std::length_error("vocabulary exceeds 2^31 - 1 terms");
  }
  const auto id = static_cast<TermId>(terms_.size());
  const std::string_view stored = store(term);
  terms_.push_back(stored);
  index_.emplace(stored, id);
  return id;
}

std::optional<TermId> Vocabulary::find(std::string_view term) const {
  auto it = index_.find(term);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Vocabulary Vocabulary::from_terms(const std::vector<std::string_view>& terms) {
  Vocabulary v;
  v.index_.reserve(terms.size());
  for (const auto term : terms) {
    const std::size_t before = v.size();
    if (static_cast<std::size_t>(v.find_or_add(term)) != before) {
      throw std::invalid_argument("duplicate term in vocabulary: '" + std::string(term) + "'");
    }
  }
  return v;
}

std::vector<TermId> Vocabulary::ids_in_term_order() const {
  std::vector<TermId> order(terms_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<TermId>(i);
  // string_view compares bytes as unsigned char: UTF-8 byte order is code point order.
  std::sort(order.begin(), order.end(), [this](TermId a, TermId b) {
    return terms_[static_cast<std::size_t>(a)] < terms_[static_cast<std::size_t>(b)];
  });
  return order;
}

void Vocabulary::renumber(const std::vector<TermId>& new_id_of) {
  if (new_id_of.size() != terms_.size()) throw std::invalid_argument("renumber: one new id per term expected");
  std::size_t kept = 0;
  for (const TermId id : new_id_of) kept += id >= 0;
  std::vector<std::string_view> renumbered(kept);
  std::vector<bool> taken(kept, false);
  for (std::size_t old = 0; old < new_id_of.size(); ++old) {
    const TermId id = new_id_of[old];
    if (id < 0) continue;
    if (static_cast<std::size_t>(id) >= kept || taken[static_cast<std::size_t>(id)]) {
      throw std::invalid_argument("renumber: new ids must be exactly 0.." + std::to_string(kept - 1));
    }
    taken[static_cast<std::size_t>(id)] = true;
    renumbered[static_cast<std::size_t>(id)] = terms_[old];
  }
  terms_ = std::move(renumbered);
  index_.clear();
  index_.reserve(terms_.size());
  for (std::size_t i = 0; i < terms_.size(); ++i) index_.emplace(terms_[i], static_cast<TermId>(i));
  // Dropped terms stay in the arena until the vocabulary goes: renumbering is rare.
}

std::size_t Vocabulary::memory_bytes() const noexcept {
  return arena_bytes_ + terms_.capacity() * sizeof(std::string_view) +
         index_.capacity() * (sizeof(std::string_view) + sizeof(TermId) + 1);
}

}  // namespace themescope
