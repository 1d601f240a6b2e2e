#include "themescope/token_cache.hpp"

#include <algorithm>
#include <cstring>
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
  std::vector<Entry> entries(entries_.size() * 2);
  const std::size_t mask = entries.size() - 1;
  for (const Entry& e : entries_) {
    if (e.tag_ == 0) continue;
    std::size_t i = static_cast<std::size_t>(e.hash_) & mask;
    while (entries[i].tag_ != 0) i = (i + 1) & mask;
    entries[i] = e;  // a long key's arena address moves with it
  }
  entries_ = std::move(entries);
  mask_ = mask;
}

TokenCache::Entry& TokenCache::insert(std::string_view key, std::uint64_t hash, std::string_view term,
                                      std::string_view surface) {
  Outcome stored;
  stored.term = store(term);
  stored.surface = surface == term ? stored.term : store(surface);  // often the same (no stemming)
  return add(key, hash, stored);
}

TokenCache::Entry& TokenCache::insert_borrowed(std::string_view key, std::uint64_t hash, Outcome outcome) {
  return add(key, hash, outcome);
}

TokenCache::Entry& TokenCache::add(std::string_view key, std::uint64_t hash, Outcome stored) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (key.size() > kMax || stored.term.size() > kMax || stored.surface.size() > kMax) {
    throw std::length_error("TokenCache: a token of 2^32 bytes or more");
  }
  // At most three quarters full: a probe sequence rarely leaves the first few
  // entries, which are neighbouring cache lines.
  if (4 * (size_ + 1) > 3 * entries_.size()) grow();
  // A long key is stored first: if that allocation throws, no entry is live.
  const char* long_key = key.size() > Entry::kInlineKey ? store(key).data() : nullptr;
  std::size_t i = static_cast<std::size_t>(hash) & mask_;
  while (entries_[i].tag_ != 0) i = (i + 1) & mask_;
  Entry& e = entries_[i];
  e.tag_ = static_cast<std::uint32_t>(hash >> 32) | 1u;
  e.key_size_ = static_cast<std::uint32_t>(key.size());
  e.hash_ = hash;
  e.term_ = stored.term.data();
  e.term_size_ = static_cast<std::uint32_t>(stored.term.size());
  e.surface_ = stored.surface.data();
  e.surface_size_ = static_cast<std::uint32_t>(stored.surface.size());
  if (long_key != nullptr) {
    std::memcpy(e.key_, &long_key, sizeof long_key);
  } else if (!key.empty()) {
    std::memcpy(e.key_, key.data(), key.size());
  }
  e.memo = TermMemo{};
  ++size_;
  return e;
}

}  // namespace themescope
