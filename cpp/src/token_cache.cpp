#include "themescope/token_cache.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace themescope {

namespace {
constexpr std::size_t kBlockBytes = std::size_t{1} << 16;
}

std::string_view TokenCache::store(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() > block_size_ - block_used_) {
    block_size_ = std::max(kBlockBytes, bytes.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* at = blocks_.back().get() + block_used_;
  std::memcpy(at, bytes.data(), bytes.size());
  block_used_ += bytes.size();
  return {at, bytes.size()};
}

void TokenCache::grow() {
  std::vector<Slot> slots(slots_.size() * 2);
  const std::size_t mask = slots.size() - 1;
  for (std::size_t index = 0; index < entries_.size(); ++index) {
    const std::uint64_t hash = entries_[index].hash;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (slots[i].tag != 0) i = (i + 1) & mask;
    slots[i] = {static_cast<std::uint32_t>(hash >> 32) | 1u, static_cast<std::uint32_t>(index)};
  }
  slots_ = std::move(slots);
  mask_ = mask;
}

TokenCache::Cached& TokenCache::insert(std::string_view key, std::uint64_t hash, std::string_view term,
                                       std::string_view surface) {
  Outcome stored;
  stored.term = store(term);
  stored.surface = surface == term ? stored.term : store(surface);  // often the same (no stemming)
  return add(key, hash, stored);
}

TokenCache::Cached& TokenCache::insert_borrowed(std::string_view key, std::uint64_t hash, Outcome outcome) {
  return add(key, hash, outcome);
}

TokenCache::Cached& TokenCache::add(std::string_view key, std::uint64_t hash, Outcome stored) {
  if (entries_.size() >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("TokenCache is full");
  // At most half full: short probe sequences.
  if (2 * (entries_.size() + 1) > slots_.size()) grow();
  std::size_t i = static_cast<std::size_t>(hash) & mask_;
  while (slots_[i].tag != 0) i = (i + 1) & mask_;
  slots_[i] = {static_cast<std::uint32_t>(hash >> 32) | 1u, static_cast<std::uint32_t>(entries_.size())};
  entries_.push_back({store(key), hash, {stored, TermMemo{}}});
  return entries_.back().cached;
}

}  // namespace themescope
