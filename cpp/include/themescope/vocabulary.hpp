// A term -> column map whose terms live in one arena (no allocation per term).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <cstring>


namespace themescope {

// Term hashing and equality for the vocabulary tables, inline because they run
// once per token. (abseil's string hash is an out-of-line library call here, and
// std::hash is slower still; both dominated profiles of the counting loop.)
// The mix is a multiply-xorshift over 8-byte words with murmur3's finalizer,
// so the low and high bits abseil's table uses are both well spread.
struct TermHash {
  static std::uint64_t load8(const unsigned char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  // All of 1..8 bytes in one word, with fixed-size loads only (wyhash's trick):
  // two overlapping 4-byte loads, or the first, middle and last byte.
  static std::uint64_t load_short(const unsigned char* p, std::size_t n) noexcept {
    if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      return (static_cast<std::uint64_t>(a) << 32) | b;
    }
    return (static_cast<std::uint64_t>(p[0]) << 16) | (static_cast<std::uint64_t>(p[n >> 1]) << 8) | p[n - 1];
  }
  std::size_t operator()(std::string_view s) const noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t n = s.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (static_cast<std::uint64_t>(n) * 0xC2B2AE3D27D4EB4Full);
    for (; n >= 8; n -= 8, p += 8) {
      h = (h ^ load8(p)) * 0x87C37B91114253D5ull;
      h ^= h >> 29;
    }
    if (n != 0) h = (h ^ load_short(p, n)) * 0x4CF5AD432745937Full;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return static_cast<std::size_t>(h);
  }
};

struct TermEq {
  bool operator()(std::string_view a, std::string_view b) const noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const auto* x = reinterpret_cast<const unsigned char*>(a.data());
    const auto* y = reinterpret_cast<const unsigned char*>(b.data());
    if (n == 0) return true;
    if (n <= 8) return TermHash::load_short(x, n) == TermHash::load_short(y, n);
    if (n <= 16) {  // two overlapping words cover it
      return TermHash::load8(x) == TermHash::load8(y) && TermHash::load8(x + n - 8) == TermHash::load8(y + n - 8);
    }
    return std::memcmp(x, y, n) == 0;
  }
};

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
  TermId find_or_add(std::string_view term) { return find_or_add(term, TermHash{}(term)); }
  // The same with the term's TermHash, known already (another vocabulary's hashes()).
  TermId find_or_add(std::string_view term, std::uint64_t hash) {
    if (slots_.empty()) ensure_index();  // renumbered, or moved from
    const std::size_t slot = probe(term, hash);
    if (slots_[slot].tag != 0) return slots_[slot].id;
    return add(term, hash, slot);
  }
  std::optional<TermId> find(std::string_view term) const {
    if (slots_.empty()) ensure_index();
    const std::size_t slot = probe(term, TermHash{}(term));
    if (slots_[slot].tag == 0) return std::nullopt;
    return slots_[slot].id;
  }

  // Starts loading the slot where a term of this TermHash is looked up first:
  // for callers that know the next terms ahead (merging a list of them).
  void prefetch(std::uint64_t hash) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<std::size_t>(hash) & mask_]);
  }

  std::string_view term(TermId id) const {
    if (released_) throw_released("term()");
    return terms_[static_cast<std::size_t>(id)];
  }
  std::size_t size() const noexcept { return released_ ? released_size_ : terms_.size(); }

  // Frees the terms and everything that finds them, keeping only their number:
  // for a vocabulary whose terms have been copied out and that is done with
  // (the counter of a fit, once vocabulary_ has its str objects, while the
  // matrix is handed over). Afterwards term(), lookups, ordering and
  // renumbering throw std::logic_error; terms() and hashes() are empty.
  void release_terms();
  const std::vector<std::string_view>& terms() const noexcept { return terms_; }
  // TermHash of each term, by id.
  const std::vector<std::uint64_t>& hashes() const noexcept { return hashes_; }

  // Ids ordered by term in code point order (= UTF-8 byte order), which is the
  // order of Python's sorted() on str: result[rank] = id.
  std::vector<TermId> ids_in_term_order() const;

  // Renumbers: the term with id i gets id new_id_of[i], or is dropped when that is
  // -1. The new ids must be exactly 0..k-1. The lookup index is rebuilt at the
  // next lookup (renumbering usually comes in a row: sort, then prune).
  void renumber(const std::vector<TermId>& new_id_of);

  // Builds the lookup index if a renumbering dropped it. find() does this on its
  // own, but not thread-safely: call this before several threads look terms up.
  void ensure_index() const;

  std::size_t memory_bytes() const noexcept;

 private:
  // The index is an open-addressing table of 8-byte slots probed linearly, at
  // most half full. It runs once per token: measured against abseil's
  // flat_hash_map<string_view, TermId> (24-byte slots, group probing) it takes
  // about a third of the instructions per lookup on news text.
  struct Slot {
    std::uint32_t tag = 0;  // 0: empty; else the hash's high half with its low bit set
    TermId id = 0;
  };
  static std::uint32_t tag_of(std::uint64_t hash) noexcept { return static_cast<std::uint32_t>(hash >> 32) | 1u; }

  // The slot holding `term`, or the empty slot where it would go.
  std::size_t probe(std::string_view term, std::uint64_t hash) const noexcept {
    const std::uint32_t tag = tag_of(hash);
    std::size_t i = static_cast<std::size_t>(hash) & mask_;
    while (true) {
      const Slot s = slots_[i];
      if (s.tag == 0) return i;
      if (s.tag == tag && TermEq{}(terms_[static_cast<std::size_t>(s.id)], term)) return i;
      i = (i + 1) & mask_;
    }
  }
  TermId add(std::string_view term, std::uint64_t hash, std::size_t slot);
  void rebuild_index(std::size_t capacity) const;
  std::string_view store(std::string_view term);

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::size_t arena_bytes_ = 0;
  std::vector<std::string_view> terms_;
  // Kept so that growing or rebuilding the index reads no term's bytes again.
  std::vector<std::uint64_t> hashes_;
  // Empty after a renumbering until the next lookup (mutable: a cache of terms_).
  mutable std::vector<Slot> slots_ = std::vector<Slot>(64);
  mutable std::size_t mask_ = 63;
  bool released_ = false;
  std::size_t released_size_ = 0;
  [[noreturn]] static void throw_released(const char* what);
};

}  // namespace themescope
