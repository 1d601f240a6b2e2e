#include "themescope/vocabulary.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "themescope/radix_sort.hpp"

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

TermId Vocabulary::add(std::string_view term, std::uint64_t hash, std::size_t slot) {
  if (terms_.size() >= static_cast<std::size_t>(std::numeric_limits<TermId>::max())) {
    throw std::length_error("vocabulary exceeds 2^31 - 1 terms");
  }
  const auto id = static_cast<TermId>(terms_.size());
  terms_.push_back(store(term));
  hashes_.push_back(hash);
  if (2 * terms_.size() > slots_.size()) {  // keep the table at most half full
    rebuild_index(std::max<std::size_t>(64, 2 * slots_.size()));
  } else {
    slots_[slot] = Slot{tag_of(hash), id};
  }
  return id;
}

void Vocabulary::throw_released(const char* what) {
  throw std::logic_error(std::string("Vocabulary::") + what + ": the terms were released");
}

void Vocabulary::release_terms() {
  if (released_) return;
  released_size_ = terms_.size();
  released_ = true;
  // swap with empty vectors: clear() would keep the memory
  std::vector<std::unique_ptr<char[]>>().swap(blocks_);
  std::vector<std::string_view>().swap(terms_);
  std::vector<std::uint64_t>().swap(hashes_);
  std::vector<Slot>().swap(slots_);  // lookups go through ensure_index(), which throws now
  block_used_ = block_size_ = arena_bytes_ = 0;
  mask_ = 0;
}

void Vocabulary::ensure_index() const {
  if (released_) throw_released("lookup");
  if (!slots_.empty()) return;
  std::size_t capacity = 64;
  while (capacity < 2 * terms_.size() + 2) capacity *= 2;
  rebuild_index(capacity);
}

void Vocabulary::rebuild_index(std::size_t capacity) const {
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  for (std::size_t id = 0; id < terms_.size(); ++id) {
    const std::uint64_t hash = hashes_[id];
    std::size_t i = static_cast<std::size_t>(hash) & mask_;
    while (slots_[i].tag != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{tag_of(hash), static_cast<TermId>(id)};
  }
}

Vocabulary Vocabulary::from_terms(const std::vector<std::string_view>& terms) {
  Vocabulary v;
  v.terms_.reserve(terms.size());
  v.hashes_.reserve(terms.size());
  for (const auto term : terms) {
    const std::size_t before = v.size();
    if (static_cast<std::size_t>(v.find_or_add(term)) != before) {
      throw std::invalid_argument("duplicate term in vocabulary: '" + std::string(term) + "'");
    }
  }
  return v;
}

std::vector<TermId> Vocabulary::ids_in_term_order() const {
  if (released_) throw_released("ids_in_term_order()");
  // UTF-8 byte order (unsigned) is code point order. The first 8 bytes of each
  // term, read as one big-endian integer, are radix sorted; only runs of equal
  // prefixes are then sorted by comparing terms.
  // Terms are distinct, so the order is unique.
  struct Keyed {
    std::uint64_t prefix;
    TermId id;
  };
  const std::size_t n = terms_.size();
  std::vector<Keyed> keyed(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view t = terms_[i];
    std::uint64_t prefix = 0;
    for (std::size_t k = 0; k < 8; ++k) {
      prefix = (prefix << 8) | (k < t.size() ? static_cast<unsigned char>(t[k]) : 0u);
    }
    keyed[i] = Keyed{prefix, static_cast<TermId>(i)};
  }
  std::vector<Keyed> scratch;
  radix_sort<8>(keyed, scratch, 8, [](const Keyed& k) { return k.prefix; });
  const auto by_term = [this](const Keyed& a, const Keyed& b) {
    return terms_[static_cast<std::size_t>(a.id)] < terms_[static_cast<std::size_t>(b.id)];
  };
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && keyed[end].prefix == keyed[begin].prefix) ++end;
    if (end - begin > 1) {
      std::sort(keyed.begin() + static_cast<std::ptrdiff_t>(begin), keyed.begin() + static_cast<std::ptrdiff_t>(end),
                by_term);
    }
    begin = end;
  }
  std::vector<TermId> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = keyed[i].id;
  return order;
}

void Vocabulary::renumber(const std::vector<TermId>& new_id_of) {
  if (released_) throw_released("renumber()");
  if (new_id_of.size() != terms_.size()) throw std::invalid_argument("renumber: one new id per term expected");
  std::size_t kept = 0;
  for (const TermId id : new_id_of) kept += id >= 0;
  std::vector<std::string_view> renumbered(kept);
  std::vector<std::uint64_t> rehashed(kept);
  std::vector<bool> taken(kept, false);
  for (std::size_t old = 0; old < new_id_of.size(); ++old) {
    const TermId id = new_id_of[old];
    if (id < 0) continue;
    if (static_cast<std::size_t>(id) >= kept || taken[static_cast<std::size_t>(id)]) {
      throw std::invalid_argument("renumber: new ids must be exactly 0.." + std::to_string(kept - 1));
    }
    taken[static_cast<std::size_t>(id)] = true;
    renumbered[static_cast<std::size_t>(id)] = terms_[old];
    rehashed[static_cast<std::size_t>(id)] = hashes_[old];
  }
  terms_ = std::move(renumbered);
  hashes_ = std::move(rehashed);
  slots_ = {};  // rebuilt by the next lookup
  mask_ = 0;
  // Dropped terms stay in the arena until the vocabulary goes: renumbering is rare.
}

std::size_t Vocabulary::memory_bytes() const noexcept {
  return arena_bytes_ + terms_.capacity() * sizeof(std::string_view) + hashes_.capacity() * sizeof(std::uint64_t) +
         slots_.capacity() * sizeof(Slot);
}

}  // namespace themescope
