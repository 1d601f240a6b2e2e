// SSE2 helpers for reading 16 characters of Latin-1 or UCS-2 text at a time:
// the tokenizers spend most of their time inside runs of ASCII letters.
#pragma once
#if defined(__SSE2__)
#include <cstdint>

#include <emmintrin.h>

namespace themescope::ascii_block {

// The 16 units at p as bytes. UCS-2 units from 0x100 become 0xFF and those
// from 0x8000 become 0x00 (the pack saturates them as signed numbers): no
// ASCII test below accepts either, nor anything else outside ASCII.
inline __m128i load(const std::uint8_t* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline __m128i load(const char16_t* p) noexcept {
  return _mm_packus_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
                          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8)));
}

// 0xFF in the lanes whose byte is in [lo, hi], both ASCII (bytes from 0x80 are
// negative in the signed compares, so never in range).
inline __m128i in_range(__m128i block, char lo, char hi) noexcept {
  return _mm_and_si128(_mm_cmpgt_epi8(block, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

// Bit i: byte i is an ASCII letter or digit.
inline unsigned letters_and_digits(__m128i block) noexcept {
  const __m128i folded = _mm_or_si128(block, _mm_set1_epi8(0x20));  // A-Z -> a-z; no other byte lands in a-z
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(in_range(folded, 'a', 'z'), in_range(block, '0', '9'))));
}

}  // namespace themescope::ascii_block
#endif
