// A least-significant-digit radix sort on integer keys, a byte per pass: what
// sorts each matrix row by column and the vocabulary by term prefix.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace themescope {

// Sorts `items` stably by key_of(item) (an unsigned integer of which only the
// low `digits` bytes may differ, digits <= MaxDigits). Passes whose byte is the
// same for every item are skipped. `scratch` is working memory (reusable from
// call to call); fewer than 2^32 items.
template <unsigned MaxDigits, class T, class KeyOf>
void radix_sort(std::vector<T>& items, std::vector<T>& scratch, unsigned digits, KeyOf key_of) {
  const std::size_t n = items.size();
  if (n < 2) return;
  std::array<std::array<std::uint32_t, 256>, MaxDigits> histogram{};
  for (const T& item : items) {
    const auto key = key_of(item);
    for (unsigned d = 0; d < digits; ++d) ++histogram[d][(key >> (8 * d)) & 0xFFu];
  }
  scratch.resize(n);
  for (unsigned d = 0; d < digits; ++d) {
    auto& h = histogram[d];
    if (h[(key_of(items[0]) >> (8 * d)) & 0xFFu] == n) continue;  // one byte for all
    std::uint32_t offset = 0;
    for (auto& bucket : h) {
      const std::uint32_t size = bucket;
      bucket = offset;
      offset += size;
    }
    for (const T& item : items) scratch[h[(key_of(item) >> (8 * d)) & 0xFFu]++] = item;
    items.swap(scratch);
  }
}

}  // namespace themescope
