// What each distinct token becomes, remembered per analyzer state: the
// multilingual analyzer looks up every token here once (one hash, one probe, no
// allocation on a hit) and runs normalize -> elision -> stop words -> stem only
// for tokens it has not met before.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "themescope/analyzer.hpp"

namespace themescope {

// Hash of a short byte string for TokenCache: 8-byte words through a
// multiply-xorshift, the 1..7 byte tail in one word from fixed-size loads,
// then a finalizer that spreads the bits (the table uses the low bits for the
// slot and the high ones as a tag). `seed` separates key spaces.
inline std::uint64_t token_hash(std::string_view bytes, std::uint64_t seed) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint64_t h = (seed + 0x9E3779B97F4A7C15ull) ^ (static_cast<std::uint64_t>(n) * 0xD6E8FEB86659FD93ull);
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x9FB21C651E98DF25ull;
    h ^= h >> 32;
  }
  if (n != 0) {
    std::uint64_t w;
    if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = (static_cast<std::uint64_t>(a) << 32) | b;
    } else {
      w = (static_cast<std::uint64_t>(p[0]) << 16) | (static_cast<std::uint64_t>(p[n / 2]) << 8) | p[n - 1];
    }
    h = (h ^ w ^ n) * 0xD6E8FEB86659FD93ull;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

// Token bytes -> its outcome (the term, the surface form shown for it, and
// whether it is kept), and the memo of whoever consumes the term (analyzer.hpp).
//
// Open addressing over 64-byte entries probed linearly: an entry holds its key
// (when at most 16 bytes, as nearly all words are), its outcome and its memo, so
// that a hit, once per token of the text, reads one cache line. Terms, surfaces
// and longer keys live in an arena owned by the cache; the views it returns stay
// valid as long as the cache does.
class TokenCache {
 public:
  struct Outcome {
    std::string_view term;     // empty when the token is dropped
    std::string_view surface;  // the token after normalization and elision
  };

  // One cached token. A pointer or reference to it is valid until the next
  // insert (which may move the entries); its outcome's views as long as the cache.
  struct alignas(64) Entry {
    TermMemo memo;  // the sink's

    Outcome outcome() const noexcept { return {{term_, term_size_}, {surface_, surface_size_}}; }
    bool kept() const noexcept { return term_size_ != 0; }

   private:
    friend class TokenCache;
    static constexpr std::size_t kInlineKey = 16;
    const char* key() const noexcept {
      if (key_size_ <= kInlineKey) return key_;
      const char* stored;
      std::memcpy(&stored, key_, sizeof stored);
      return stored;
    }
    std::uint32_t tag_ = 0;  // 0: empty; else the hash's high half with its low bit set
    std::uint32_t key_size_ = 0;
    std::uint64_t hash_ = 0;
    const char* term_ = nullptr;
    const char* surface_ = nullptr;
    std::uint32_t term_size_ = 0;
    std::uint32_t surface_size_ = 0;
    char key_[kInlineKey] = {};  // the key itself, or (longer keys) its address in the arena
  };
  static_assert(sizeof(Entry) == 64, "one cache line per entry");

  // The entry of `key` (hashed with token_hash(key, seed)), or nullptr.
  Entry* find(std::string_view key, std::uint64_t hash) noexcept {
    const auto tag = static_cast<std::uint32_t>(hash >> 32) | 1u;
    for (std::size_t i = static_cast<std::size_t>(hash) & mask_;; i = (i + 1) & mask_) {
      Entry& e = entries_[i];
      if (e.tag_ == 0) return nullptr;
      if (e.tag_ == tag && e.key_size_ == key.size() && same_bytes(e.key(), key.data(), key.size())) return &e;
    }
  }

  // Adds `key` (not present) with copies of `term` and `surface`.
  Entry& insert(std::string_view key, std::uint64_t hash, std::string_view term, std::string_view surface);
  // Adds `key` (not present) with the views of `outcome` as they are: they must
  // outlive the cache (another cache's outcome, say).
  Entry& insert_borrowed(std::string_view key, std::uint64_t hash, Outcome outcome);

  std::size_t size() const noexcept { return size_; }

 private:
  // Inline: keys are short, and a call to memcmp costs more than comparing them.
  static bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
    std::uint64_t x, y;
    for (; n >= 8; n -= 8, a += 8, b += 8) {
      std::memcpy(&x, a, 8);
      std::memcpy(&y, b, 8);
      if (x != y) return false;
    }
    if (n >= 4) {  // two overlapping 4-byte words cover the rest
      std::uint32_t p, q, r, t;
      std::memcpy(&p, a, 4);
      std::memcpy(&q, b, 4);
      std::memcpy(&r, a + n - 4, 4);
      std::memcpy(&t, b + n - 4, 4);
      return p == q && r == t;
    }
    for (; n > 0; --n, ++a, ++b) {
      if (*a != *b) return false;
    }
    return true;
  }
  std::string_view store(std::string_view bytes);
  void grow();
  Entry& add(std::string_view key, std::uint64_t hash, Outcome stored);

  std::vector<Entry> entries_ = std::vector<Entry>(1024);  // the table itself
  std::size_t mask_ = 1023;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
};

}  // namespace themescope
