// TokenCache (token_cache.hpp): the multilingual analyzer's per-token memory.
// Against a std::map holding the same keys: every key found with its own
// outcome, through growth, with short (in-entry) and long (arena) keys.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "themescope/token_cache.hpp"

namespace themescope {
namespace {

std::string key_of(std::size_t i) {
  // 2 to 46 bytes ("#" and the number after 0 to 40 letters): both sides of the
  // 16-byte in-entry limit.
  std::string key(i % 41, 'k');
  for (std::size_t k = 0; k < key.size(); ++k) key[k] = static_cast<char>('a' + (i >> (k % 16)) % 26);
  return key + "#" + std::to_string(i);
}

TEST(TokenCache, EveryKeyKeepsItsOutcomeAndMemoThroughGrowth) {
  TokenCache cache;
  std::map<std::string, std::pair<std::string, std::string>> expected;
  for (std::size_t i = 0; i < 20000; ++i) {
    const std::string key = key_of(i);
    const std::uint64_t hash = token_hash(key, 0);
    ASSERT_EQ(cache.find(key, hash), nullptr) << key;
    const std::string term = i % 7 == 0 ? std::string() : "t" + std::to_string(i);  // empty: dropped
    const std::string surface = "surface of " + key;
    TokenCache::Entry& entry = cache.insert(key, hash, term, surface);
    EXPECT_EQ(entry.memo.term, -1);
    EXPECT_EQ(entry.memo.surface, -1);
    entry.memo = {static_cast<std::int32_t>(i), static_cast<std::int32_t>(2 * i)};
    expected.emplace(key, std::make_pair(term, surface));
  }
  EXPECT_EQ(cache.size(), 20000u);
  for (std::size_t i = 0; i < 20000; ++i) {
    const std::string key = key_of(i);
    TokenCache::Entry* entry = cache.find(key, token_hash(key, 0));
    ASSERT_NE(entry, nullptr) << key;
    const auto [term, surface] = expected.at(key);
    EXPECT_EQ(entry->outcome().term, term);
    EXPECT_EQ(entry->kept(), !term.empty());
    // A dropped token's surface is kept too (explain() and the memo do not need it,
    // but nothing is lost).
    EXPECT_EQ(entry->outcome().surface, surface);
    EXPECT_EQ(entry->memo.term, static_cast<std::int32_t>(i)) << "memo lost in growth";
    EXPECT_EQ(entry->memo.surface, static_cast<std::int32_t>(2 * i));
  }
}

TEST(TokenCache, KeysDifferingInLengthOrSeedAreDifferentKeys) {
  TokenCache cache;
  const std::string a = "abcdefghijklmnop";  // 16 bytes: in the entry
  const std::string b = a + "q";             // 17 bytes: in the arena
  cache.insert(a, token_hash(a, 1), "A", "A");
  cache.insert(b, token_hash(b, 1), "B", "B");
  cache.insert("", token_hash("", 1), "empty", "empty");
  EXPECT_EQ(cache.find(a, token_hash(a, 1))->outcome().term, "A");
  EXPECT_EQ(cache.find(b, token_hash(b, 1))->outcome().term, "B");
  EXPECT_EQ(cache.find("", token_hash("", 1))->outcome().term, "empty");
  EXPECT_EQ(cache.find(a.substr(0, 15), token_hash(a.substr(0, 15), 1)), nullptr);
  EXPECT_EQ(cache.find(a, token_hash(a, 2)), nullptr);  // the seed separates key spaces
}

TEST(TokenCache, BorrowedOutcomesAreTheSameViews) {
  TokenCache owner, borrower;
  const TokenCache::Outcome owned = owner.insert("key", token_hash("key", 0), "term", "surface").outcome();
  for (int i = 0; i < 5000; ++i) {  // growth of the borrower moves its entries, not the views
    const std::string key = "k" + std::to_string(i);
    borrower.insert_borrowed(key, token_hash(key, 0), owned);
  }
  const TokenCache::Outcome got = borrower.find("k4321", token_hash("k4321", 0))->outcome();
  EXPECT_EQ(got.term.data(), owned.term.data());
  EXPECT_EQ(got.surface.data(), owned.surface.data());
  EXPECT_EQ(got.term, "term");
}

}  // namespace
}  // namespace themescope
