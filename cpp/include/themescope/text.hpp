// Borrowed views of document text in the encodings themescope reads directly.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace themescope {

// How the code units of a TextRef are laid out. Latin-1, UCS-2 and UCS-4 are the
// fixed-width layouts that CPython uses for str, so Python strings are read in place.
enum class TextEncoding : std::uint8_t { utf8, latin1, ucs2, ucs4 };

// A non-owning view of one document. `length` counts code units, not bytes.
// UTF-8 text must be valid (see find_invalid_utf8); lone surrogates encoded as
// three bytes (as Python's "surrogatepass" writes them) are accepted.
struct TextRef {
  const void* data = nullptr;
  std::size_t length = 0;
  TextEncoding encoding = TextEncoding::utf8;

  static TextRef utf8(std::string_view s) noexcept { return {s.data(), s.size(), TextEncoding::utf8}; }
  static TextRef utf32(std::u32string_view s) noexcept { return {s.data(), s.size(), TextEncoding::ucs4}; }
};

// Thrown for malformed UTF-8; `byte_offset` is where the bad sequence starts.
class InvalidUtf8Error : public std::invalid_argument {
 public:
  InvalidUtf8Error(std::size_t byte_offset, const std::string& what)
      : std::invalid_argument(what), byte_offset_(byte_offset) {}
  std::size_t byte_offset() const noexcept { return byte_offset_; }

 private:
  std::size_t byte_offset_;
};

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or
// nullopt when the whole buffer is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) noexcept;

// Throws InvalidUtf8Error naming the offset when `bytes` is not valid UTF-8.
void check_utf8(std::string_view bytes);

// Writes the UTF-8 encoding of one code point (surrogates included) at `out`
// (room for 4 bytes) and returns its length.
inline std::size_t encode_utf8(char32_t c, char* out) noexcept {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// Appends the UTF-8 encoding of one code point (surrogates included) to `out`.
// Inline: the analyzers call it for every character they keep.
inline void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    const char bytes[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 2);
  } else if (c < 0x10000) {
    const char bytes[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                           static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 3);
  } else {
    const char bytes[4] = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                           static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 4);
  }
}

// Decodes any TextRef to code points (for tests and small inputs).
std::u32string to_utf32(TextRef text);

}  // namespace themescope
