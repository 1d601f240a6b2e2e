// Vocabulary: ids in first-seen order, lookups, code point ordering, renumbering.
#include <algorithm>
#include <cstdint>
#include <random>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "themescope/vocabulary.hpp"

namespace themescope {
namespace {

using Ids = std::vector<TermId>;
using Views = std::vector<std::string_view>;

TEST(Vocabulary, StartsEmpty) {
  const Vocabulary v;
  EXPECT_EQ(v.size(), 0u);
  EXPECT_TRUE(v.terms().empty());
  EXPECT_EQ(v.find("a"), std::nullopt);
  EXPECT_TRUE(v.ids_in_term_order().empty());
}

TEST(Vocabulary, FindOrAddGivesIdsInFirstSeenOrder) {
  Vocabulary v;
  EXPECT_EQ(v.find_or_add("cat"), 0);
  EXPECT_EQ(v.find_or_add("dog"), 1);
  EXPECT_EQ(v.find_or_add("cat"), 0);
  EXPECT_EQ(v.find_or_add("caf\u00E9"), 2);
  EXPECT_EQ(v.find_or_add("dog"), 1);
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.terms(), (Views{"cat", "dog", "caf\u00E9"}));
  EXPECT_EQ(v.term(2), "caf\u00E9");
  EXPECT_EQ(v.find("dog"), std::optional<TermId>(1));
  EXPECT_EQ(v.find("do"), std::nullopt);
  EXPECT_EQ(v.find("dogs"), std::nullopt);
  EXPECT_EQ(v.find("Cat"), std::nullopt);  // case sensitive
}

TEST(Vocabulary, StoresItsOwnCopyOfTerms) {
  Vocabulary v;
  {
    std::string temporary = "ephemeral term";
    v.find_or_add(temporary);
    temporary.assign(temporary.size(), 'x');
  }
  EXPECT_EQ(v.term(0), "ephemeral term");
  EXPECT_EQ(v.find("ephemeral term"), std::optional<TermId>(0));
}

TEST(Vocabulary, ManyTermsAndLongTermsStayValid) {
  // Enough bytes to need several arena blocks, plus terms far longer than a block is likely to be.
  Vocabulary v;
  std::vector<std::string> terms;
  for (int i = 0; i < 20000; ++i) terms.push_back("term" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 37), 'q'));
  terms.push_back(std::string(1 << 20, 'L'));
  terms.push_back(std::string(3 << 20, 'M'));
  for (std::size_t i = 0; i < terms.size(); ++i) ASSERT_EQ(v.find_or_add(terms[i]), static_cast<TermId>(i));
  ASSERT_EQ(v.size(), terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    ASSERT_EQ(v.term(static_cast<TermId>(i)), terms[i]) << i;
    ASSERT_EQ(v.find(terms[i]), std::optional<TermId>(static_cast<TermId>(i))) << i;
  }
  EXPECT_GE(v.memory_bytes(), (1u << 20) + (3u << 20));
}

TEST(Vocabulary, TermsDifferingOnlyLateOrInLength) {
  // Exercise the word-wise hash and equality on 1..40-byte keys.
  Vocabulary v;
  std::vector<std::string> terms;
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string s(n, 'a');
    terms.push_back(s);
    s.back() = 'b';
    terms.push_back(s);
    if (n > 1) {
      s.front() = 'c';
      terms.push_back(s);
    }
  }
  for (const auto& t : terms) v.find_or_add(t);
  ASSERT_EQ(v.size(), terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) EXPECT_EQ(v.find(terms[i]), std::optional<TermId>(static_cast<TermId>(i)));
}

TEST(Vocabulary, FromTermsUsesPositionsAsIds) {
  const Vocabulary v = Vocabulary::from_terms({"zz", "aa", "\u4E2D"});
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.find("zz"), std::optional<TermId>(0));
  EXPECT_EQ(v.find("aa"), std::optional<TermId>(1));
  EXPECT_EQ(v.find("\u4E2D"), std::optional<TermId>(2));
  EXPECT_EQ(v.term(1), "aa");
  EXPECT_EQ(Vocabulary::from_terms({}).size(), 0u);
}

TEST(Vocabulary, FromTermsRejectsDuplicates) {
  EXPECT_THROW(Vocabulary::from_terms({"x", "y", "x"}), std::invalid_argument);
  try {
    Vocabulary::from_terms({"alpha", "beta", "beta"});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("beta"), std::string::npos) << e.what();
  }
}

TEST(Vocabulary, FromTermsCopiesTheTerms) {
  std::vector<std::string> owned = {"one", "two"};
  const Vocabulary v = Vocabulary::from_terms({owned[0], owned[1]});
  owned[0] = "xxx";
  owned[1] = "yyy";
  EXPECT_EQ(v.term(0), "one");
  EXPECT_EQ(v.find("two"), std::optional<TermId>(1));
}

TEST(Vocabulary, IdsInTermOrderIsCodePointOrder) {
  Vocabulary v;
  v.find_or_add("\u4E2D");       // 0  中  U+4E2D
  v.find_or_add("a");            // 1
  v.find_or_add("\u00E9");       // 2  é   U+00E9
  v.find_or_add("Z");            // 3
  v.find_or_add("\U0001F600");   // 4  😀  U+1F600
  v.find_or_add("\uFFFD");       // 5  U+FFFD
  v.find_or_add("ab");           // 6
  v.find_or_add("a b");          // 7  (space sorts before letters)
  // Z < a < a b < ab < é < 中 < U+FFFD < 😀
  EXPECT_EQ(v.ids_in_term_order(), (Ids{3, 1, 7, 6, 2, 0, 5, 4}));
}

TEST(Vocabulary, IdsInTermOrderComparesBytesUnsigned) {
  // A prefix sorts first; bytes >= 0x80 sort after ASCII.
  const Vocabulary v = Vocabulary::from_terms({"\u00FF", "\u0080", "~", "b", "ba", "b\u00E0", "\x7F"});
  EXPECT_EQ(v.ids_in_term_order(), (Ids{3, 4, 5, 2, 6, 1, 0}));  // b < ba < bà < ~ < DEL < U+0080 < ÿ
}

// Against std::sort of the terms as unsigned bytes: random terms over a small
// alphabet (so that many share 8-byte prefixes and longer ones), with NUL and
// bytes >= 0x80, of 0 to 20 bytes.
TEST(Vocabulary, IdsInTermOrderEqualsSortingTheBytes) {
  // Split literal: "\x01ab" would be one (out of range) hex escape, not \x01 then "ab".
  const std::string alphabet("\0\x01" "ab\x7F\x80\xC3\xFF", 8);
  std::mt19937_64 random(5);
  for (int round = 0; round < 20; ++round) {
    Vocabulary v;
    std::vector<std::string> terms;
    const std::size_t n = round < 10 ? 50 : 5000;
    while (terms.size() < n) {
      std::string t(random() % 21, ' ');
      for (char& c : t) c = alphabet[random() % (round % 2 == 0 ? 2 : alphabet.size())];
      if (v.find(t)) continue;
      v.find_or_add(t);
      terms.push_back(t);
    }
    Ids expected(n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = static_cast<TermId>(i);
    std::sort(expected.begin(), expected.end(), [&](TermId a, TermId b) {
      return std::string_view(terms[static_cast<std::size_t>(a)]) < std::string_view(terms[static_cast<std::size_t>(b)]);
    });
    ASSERT_EQ(v.ids_in_term_order(), expected) << "round " << round;
  }
}

TEST(Vocabulary, RenumberWithDrops) {
  Vocabulary v = Vocabulary::from_terms({"Z", "a", "\u00E9", "\u4E2D"});
  v.renumber({-1, 1, -1, 0});
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.terms(), (Views{"\u4E2D", "a"}));
  EXPECT_EQ(v.find("\u4E2D"), std::optional<TermId>(0));
  EXPECT_EQ(v.find("a"), std::optional<TermId>(1));
  EXPECT_EQ(v.find("Z"), std::nullopt);
  EXPECT_EQ(v.find("\u00E9"), std::nullopt);
  // New terms continue after the kept ones; a dropped term can come back.
  EXPECT_EQ(v.find_or_add("Z"), 2);
  EXPECT_EQ(v.find_or_add("a"), 1);
  EXPECT_EQ(v.ids_in_term_order(), (Ids{2, 1, 0}));
}

TEST(Vocabulary, RenumberPermutationAndDropAll) {
  Vocabulary v = Vocabulary::from_terms({"c", "a", "b"});
  v.renumber({2, 0, 1});
  EXPECT_EQ(v.terms(), (Views{"a", "b", "c"}));
  EXPECT_EQ(v.find("c"), std::optional<TermId>(2));
  v.renumber({-1, -1, -1});
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.find("a"), std::nullopt);
  EXPECT_EQ(v.find_or_add("b"), 0);
}

TEST(Vocabulary, RenumberBySortedOrderLikeScikitLearn) {
  Vocabulary v;
  for (std::string_view t : {"the", "cat", "sat", "on", "mat"}) v.find_or_add(t);
  const Ids order = v.ids_in_term_order();
  Ids new_id_of(v.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) new_id_of[static_cast<std::size_t>(order[rank])] = static_cast<TermId>(rank);
  v.renumber(new_id_of);
  EXPECT_EQ(v.terms(), (Views{"cat", "mat", "on", "sat", "the"}));
}

// The index is rebuilt from the stored hashes: after renumbering (permuted and
// dropped ids) and through growth, each stored hash must still be its term's.
TEST(Vocabulary, HashesFollowTheirTermsThroughRenumberingAndGrowth) {
  Vocabulary v;
  for (int i = 0; i < 1000; ++i) v.find_or_add("t" + std::to_string(i));
  Ids new_id_of(v.size(), -1);
  TermId next = 0;
  for (std::size_t old = v.size(); old-- > 0;) {
    if (old % 3 != 0) new_id_of[old] = next++;  // reversed, a third dropped
  }
  v.renumber(new_id_of);
  for (int i = 1000; i < 3000; ++i) v.find_or_add("t" + std::to_string(i));  // grows the index twice
  ASSERT_EQ(v.hashes().size(), v.size());
  for (std::size_t id = 0; id < v.size(); ++id) {
    EXPECT_EQ(v.hashes()[id], TermHash{}(v.term(static_cast<TermId>(id)))) << v.term(static_cast<TermId>(id));
    EXPECT_EQ(v.find(v.term(static_cast<TermId>(id))), std::optional<TermId>(static_cast<TermId>(id)));
  }
  EXPECT_EQ(v.find("t999"), std::nullopt);  // 999 % 3 == 0: dropped
  EXPECT_EQ(v.find("t998"), std::optional<TermId>(0));
}

TEST(Vocabulary, MoveKeepsTermsValid) {
  Vocabulary a;
  a.find_or_add("alpha");
  a.find_or_add("beta");
  Vocabulary b(std::move(a));
  EXPECT_EQ(b.term(1), "beta");
  EXPECT_EQ(b.find("alpha"), std::optional<TermId>(0));
  Vocabulary c;
  c = std::move(b);
  EXPECT_EQ(c.terms(), (Views{"alpha", "beta"}));
  EXPECT_EQ(c.find_or_add("gamma"), 2);
}

}  // namespace
}  // namespace themescope
