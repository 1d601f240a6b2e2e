#include "themescope/sklearn_analyzer.hpp"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <absl/container/flat_hash_set.h>

#include "themescope/ascii_block.hpp"
#include "themescope/text.hpp"
#include "themescope/unicode.hpp"
#include "themescope/vocabulary.hpp"

namespace themescope {

void AnalyzerOptions::validate() const {
  if (ngram_min < 1) throw std::invalid_argument("ngram_min must be >= 1, got " + std::to_string(ngram_min));
  if (ngram_min > ngram_max) {
    throw std::invalid_argument("ngram_range (" + std::to_string(ngram_min) + ", " + std::to_string(ngram_max) +
                                "): lower boundary larger than the upper boundary");
  }
  if (min_token_length < 1) throw std::invalid_argument("min_token_length must be >= 1, got 0");
  for (const auto& w : stop_words) {
    if (auto bad = find_invalid_utf8(w)) {
      throw std::invalid_argument("stop word is not valid UTF-8 at byte " + std::to_string(*bad));
    }
  }
}

struct TextAnalyzer::StopWords {
  std::vector<std::string> storage;  // filled once, before `words` points into it
  absl::flat_hash_set<std::string_view, TermHash, TermEq> words;
  bool contains(std::string_view w) const { return words.contains(w); }
};

namespace {

constexpr char32_t kCapitalSigma = 0x03A3;
constexpr char32_t kSmallSigma = 0x03C3;
constexpr char32_t kFinalSigma = 0x03C2;

// ---- sources: read code points from each TextEncoding, forwards and backwards ----
template <class Unit>
struct FixedWidthSource {
  const Unit* units;
  std::size_t size;
  char32_t next(std::size_t& pos) const { return static_cast<char32_t>(units[pos++]); }
  char32_t prev(std::size_t& pos) const { return static_cast<char32_t>(units[--pos]); }
};

struct Utf8Source {
  const unsigned char* bytes;
  std::size_t size;
  char32_t next(std::size_t& pos) const {
    const unsigned char b = bytes[pos];
    if (b < 0x80) {
      pos += 1;
      return b;
    }
    if (b < 0xE0) {
      const char32_t c = ((b & 0x1Fu) << 6) | (bytes[pos + 1] & 0x3Fu);
      pos += 2;
      return c;
    }
    if (b < 0xF0) {
      const char32_t c = ((b & 0x0Fu) << 12) | ((bytes[pos + 1] & 0x3Fu) << 6) | (bytes[pos + 2] & 0x3Fu);
      pos += 3;
      return c;
    }
    const char32_t c = ((b & 0x07u) << 18) | ((bytes[pos + 1] & 0x3Fu) << 12) | ((bytes[pos + 2] & 0x3Fu) << 6) |
                       (bytes[pos + 3] & 0x3Fu);
    pos += 4;
    return c;
  }
  char32_t prev(std::size_t& pos) const {
    do {
      --pos;
    } while ((bytes[pos] & 0xC0) == 0x80);
    std::size_t p = pos;
    return next(p);
  }
};

// Python's Final_Sigma test (CPython's handle_capital_sigma): a capital sigma at
// [start, end) lowers to final sigma when a cased letter precedes it and none
// follows it, skipping case-ignorable characters on both sides.
template <class Source>
bool is_final_sigma(const Source& src, std::size_t start, std::size_t end) {
  std::size_t pos = start;
  char32_t c = 0;
  bool found = false;
  while (pos > 0) {
    c = src.prev(pos);
    if (!unicode::is_case_ignorable(c)) {
      found = true;
      break;
    }
  }
  if (!found || !unicode::is_cased(c)) return false;
  pos = end;
  while (pos < src.size) {
    c = src.next(pos);
    if (!unicode::is_case_ignorable(c)) return !unicode::is_cased(c);
  }
  return true;
}

// ---- term stages: consume preprocessed code points, emit terms ----
void append_utf8_counted(char32_t c, std::string& out, std::vector<std::uint8_t>& lengths) {
  const std::size_t before = out.size();
  append_utf8(c, out);
  lengths.push_back(static_cast<std::uint8_t>(out.size() - before));
}

// Tokens are maximal runs of `\w` of at least min_token_length code points, i.e.
// the matches of `(?u)\b\w{m,}\b`; stop words go before word n-grams are formed.
class WordStage {
 public:
  WordStage(const AnalyzerOptions& o, const TextAnalyzer::StopWords* stop, std::string& token,
            std::vector<std::string>& window, std::string& gram, TermSink sink)
      : o_(o), stop_(stop), token_(token), window_(window), gram_(gram), sink_(sink) {
    if (o_.ngram_max > 1) window_.resize(o_.ngram_max);
  }

  void push(char32_t c) {
    if (c < 0x80) {
      if (kAsciiWord[c]) {
        reserve(1);
        token_[token_bytes_++] = static_cast<char>(c);
        ++token_length_;
        return;
      }
    } else if (unicode::is_word_char(c)) {
      reserve(4);
      token_bytes_ += encode_utf8(c, token_.data() + token_bytes_);
      ++token_length_;
      return;
    }
    if (token_length_ != 0) end_token();
  }
  void finish() {
    if (token_length_ != 0) end_token();
  }

 private:
  static constexpr auto kAsciiWord = [] {
    std::array<bool, 128> table{};
    for (int c = 0; c < 128; ++c) {
      table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    return table;
  }();

  // The token is built in a buffer with its own length: no per-character
  // capacity check and terminator write as std::string::push_back does.
  void reserve(std::size_t bytes) {
    if (token_bytes_ + bytes > token_.size()) token_.resize(std::max<std::size_t>(64, 2 * token_.size()));
  }

  void end_token() {
    emit(std::string_view(token_.data(), token_bytes_), token_length_);
    token_bytes_ = 0;
    token_length_ = 0;
  }

 public:
  // A whole token of `chars` code points: the fast path builds tokens itself.
  void emit(std::string_view token, std::size_t chars) {
    if (chars >= o_.min_token_length && !(stop_ && stop_->contains(token))) {
      if (o_.ngram_max == 1) {
        sink_(token);
      } else {
        add_to_ngrams(token);
      }
    }
  }
  std::string& token_buffer() { return token_; }

 private:

  // The window holds the last ngram_max surviving tokens; every n-gram ending
  // at the newest token is emitted, which over a document gives exactly the
  // n-grams scikit-learn lists.
  void add_to_ngrams(std::string_view token) {
    const std::size_t slots = o_.ngram_max;
    window_[seen_ % slots] = token;
    ++seen_;
    for (std::size_t n = o_.ngram_min; n <= o_.ngram_max && n <= seen_; ++n) {
      if (n == 1) {
        sink_(token);
        continue;
      }
      gram_.clear();
      for (std::size_t k = seen_ - n; k < seen_; ++k) {
        if (k != seen_ - n) gram_.push_back(' ');
        gram_ += window_[k % slots];
      }
      sink_(gram_);
    }
  }

  const AnalyzerOptions& o_;
  const TextAnalyzer::StopWords* stop_;
  std::string& token_;
  std::vector<std::string>& window_;
  std::string& gram_;
  TermSink sink_;
  std::size_t token_length_ = 0;  // code points
  std::size_t token_bytes_ = 0;
  std::size_t seen_ = 0;
};

// scikit-learn's _char_ngrams: runs of two or more whitespace characters become
// one ' ' (a single whitespace character stays as it is), then every n-gram.
class CharStage {
 public:
  CharStage(const AnalyzerOptions& o, std::string& window, std::vector<std::uint8_t>& lengths, TermSink sink)
      : o_(o), window_(window), lengths_(lengths), sink_(sink) {
    window_.clear();
    lengths_.clear();
  }

  void push(char32_t c) {
    if (unicode::is_space_char(c)) {
      if (pending_spaces_++ == 0) pending_space_ = c;
      return;
    }
    flush_spaces();
    push_kept(c);
  }
  void finish() { flush_spaces(); }

 private:
  void flush_spaces() {
    if (pending_spaces_ == 1) push_kept(pending_space_);
    if (pending_spaces_ >= 2) push_kept(U' ');
    pending_spaces_ = 0;
  }

  void push_kept(char32_t c) {
    if (lengths_.size() == o_.ngram_max) {  // drop the oldest character
      window_.erase(0, lengths_.front());
      lengths_.erase(lengths_.begin());
    }
    append_utf8_counted(c, window_, lengths_);
    std::size_t bytes = 0;
    std::size_t n = 0;
    for (auto it = lengths_.rbegin(); it != lengths_.rend(); ++it) {
      bytes += *it;
      if (++n >= o_.ngram_min) sink_(std::string_view(window_).substr(window_.size() - bytes));
    }
  }

  const AnalyzerOptions& o_;
  std::string& window_;
  std::vector<std::uint8_t>& lengths_;
  TermSink sink_;
  std::size_t pending_spaces_ = 0;
  char32_t pending_space_ = 0;
};

// scikit-learn's _char_wb_ngrams: words split on whitespace, padded with one
// space on each side; a padded word no longer than n is emitted once, whole,
// and no larger n is tried for it.
class CharWbStage {
 public:
  CharWbStage(const AnalyzerOptions& o, std::string& word, std::vector<std::uint8_t>& lengths,
              std::vector<std::size_t>& offsets, TermSink sink)
      : o_(o), word_(word), lengths_(lengths), offsets_(offsets), sink_(sink) {
    reset();
  }

  void push(char32_t c) {
    if (unicode::is_space_char(c)) {
      if (lengths_.size() > 1) emit_word();
    } else {
      append_utf8_counted(c, word_, lengths_);
    }
  }
  void finish() {
    if (lengths_.size() > 1) emit_word();
  }

 private:
  void reset() {
    word_.assign(1, ' ');
    lengths_.assign(1, 1);
  }

  void emit_word() {
    word_.push_back(' ');
    lengths_.push_back(1);
    const std::size_t chars = lengths_.size();
    offsets_.resize(chars + 1);
    offsets_[0] = 0;
    for (std::size_t i = 0; i < chars; ++i) offsets_[i + 1] = offsets_[i] + lengths_[i];
    const std::string_view w(word_);
    for (std::size_t n = o_.ngram_min; n <= o_.ngram_max; ++n) {
      if (chars <= n) {
        sink_(w);
        break;
      }
      for (std::size_t start = 0; start + n <= chars; ++start) {
        sink_(w.substr(offsets_[start], offsets_[start + n] - offsets_[start]));
      }
    }
    reset();
  }

  const AnalyzerOptions& o_;
  std::string& word_;
  std::vector<std::uint8_t>& lengths_;
  std::vector<std::size_t>& offsets_;
  TermSink sink_;
};

}  // namespace

struct AnalyzerScratch::Buffers {
  std::u32string mapped;
  std::string text;
  std::string gram;
  std::vector<std::string> window;
  std::vector<std::uint8_t> lengths;
  std::vector<std::size_t> offsets;
};

AnalyzerScratch::AnalyzerScratch() : buffers_(std::make_unique<Buffers>()) {}
AnalyzerScratch::~AnalyzerScratch() = default;
AnalyzerScratch::AnalyzerScratch(AnalyzerScratch&&) noexcept = default;
AnalyzerScratch& AnalyzerScratch::operator=(AnalyzerScratch&&) noexcept = default;

namespace {

// Preprocessing (Python's str.lower, then accent stripping) fused with decoding:
// each code point goes straight to the term stage, so memory stays bounded
// whatever the document's size.
template <class Source, class Stage>
void run_pipeline(const Source& src, const AnalyzerOptions& o, std::u32string& mapped, Stage& stage) {
  const bool lower = o.lowercase;
  const AccentStripping strip = o.strip_accents;
  std::size_t pos = 0;
  while (pos < src.size) {
    const std::size_t start = pos;
    char32_t c = src.next(pos);
    if (c < 0x80) {
      if (lower && c >= U'A' && c <= U'Z') c += 32;
      stage.push(c);
      continue;
    }
    mapped.clear();
    if (!lower) {
      mapped.push_back(c);
    } else if (c == kCapitalSigma) {
      mapped.push_back(is_final_sigma(src, start, pos) ? kFinalSigma : kSmallSigma);
    } else {
      unicode::append_lower(c, mapped);
    }
    if (strip != AccentStripping::none) {
      // ascii: keep what is ASCII; unicode: drop combining marks. Canonical
      // reordering only moves combining marks, so per-character NFKD gives what
      // unicodedata.normalize("NFKD", text) gives once they are dropped.
      const std::size_t lowered = mapped.size();
      for (std::size_t k = 0; k < lowered; ++k) {
        if (mapped[k] < 0x80) {
          mapped.push_back(mapped[k]);
        } else {
          unicode::append_nfkd(mapped[k], mapped);
        }
      }
      std::size_t kept = 0;
      for (std::size_t k = lowered; k < mapped.size(); ++k) {
        const char32_t d = mapped[k];
        const bool keep = strip == AccentStripping::ascii ? d < 0x80 : unicode::combining_class(d) == 0;
        if (keep) mapped[kept++] = d;
      }
      mapped.resize(kept);
    }
    for (const char32_t m : mapped) stage.push(m);
  }
  stage.finish();
}

// What a code point below U+0100 becomes in a word token: its (lowercased)
// UTF-8 bytes, or nothing when it is not `\w` and ends the token. Lowercasing
// never takes such a character to another that is not below U+0100.
// One 32-bit word per character, so that the lookup is a single load: bits 0-7
// the UTF-8 length, bits 8-23 the bytes.
using Latin1Table = std::array<std::uint32_t, 256>;

Latin1Table make_latin1_table(bool lower) {
  Latin1Table table{};
  std::u32string mapped;
  for (char32_t c = 0; c < 256; ++c) {
    mapped.clear();
    if (lower) {
      unicode::append_lower(c, mapped);
    } else {
      mapped.push_back(c);
    }
    if (mapped.size() != 1 || mapped[0] >= 256) throw std::logic_error("a Latin-1 character lowercases outside Latin-1");
    if (!unicode::is_word_char(mapped[0])) continue;
    std::array<unsigned char, 4> utf8{};
    const std::size_t length = encode_utf8(mapped[0], reinterpret_cast<char*>(utf8.data()));
    table[c] = static_cast<std::uint32_t>(length) | (std::uint32_t{utf8[0]} << 8) | (std::uint32_t{utf8[1]} << 16);
  }
  return table;
}

const Latin1Table& latin1_table(bool lower) {
  static const Latin1Table lowered = make_latin1_table(true);
  static const Latin1Table kept = make_latin1_table(false);
  return lower ? lowered : kept;
}

#if defined(__SSE2__)
// Whether the table gives ASCII what the 16-character blocks below compute:
// [0-9A-Za-z_] are word characters, one byte each, A-Z lowercased by setting
// bit 5 when lowercasing. Checked once per table rather than assumed.
bool ascii_blocks_agree(bool lower) {
  auto check = [](bool lowering) {
    const Latin1Table& table = latin1_table(lowering);
    for (std::uint32_t c = 0; c < 128; ++c) {
      const bool upper = c >= 'A' && c <= 'Z';
      const bool word = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      const std::uint32_t expected = word ? (1u | (((lowering && upper) ? c + 32 : c) << 8)) : 0u;
      if (table[c] != expected) return false;
    }
    return true;
  };
  static const bool lowered = check(true);
  static const bool kept = check(false);
  return lower ? lowered : kept;
}

template <class Source>
inline constexpr bool kHasAsciiBlocks = std::is_same_v<Source, FixedWidthSource<std::uint8_t>> ||
                                        std::is_same_v<Source, FixedWidthSource<char16_t>>;

// The 16 characters at pos as bytes when all are ASCII; else which are not (bit i: character pos + i).
template <class Source>
unsigned load_ascii_block(const Source& src, std::size_t pos, __m128i& block) {
  if constexpr (std::is_same_v<Source, FixedWidthSource<std::uint8_t>>) {
    block = ascii_block::load(src.units + pos);
    return static_cast<unsigned>(_mm_movemask_epi8(block));
  } else {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src.units + pos));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src.units + pos + 8));
    const __m128i high_bits = _mm_set1_epi16(static_cast<short>(0xFF80));
    const __m128i ascii_a = _mm_cmpeq_epi16(_mm_and_si128(a, high_bits), _mm_setzero_si128());
    const __m128i ascii_b = _mm_cmpeq_epi16(_mm_and_si128(b, high_bits), _mm_setzero_si128());
    block = ascii_block::load(src.units + pos);  // exact where every unit is below 0x80
    return ~static_cast<unsigned>(_mm_movemask_epi8(_mm_packs_epi16(ascii_a, ascii_b))) & 0xFFFFu;
  }
}

// Bit i: byte i of the (ASCII) block is in [0-9A-Za-z_]; `lowered` gets A-Z lowercased if asked.
inline unsigned classify_ascii_block(__m128i block, bool lowercase, __m128i& lowered) {
  auto in_range = [&](char lo, char hi) { return ascii_block::in_range(block, lo, hi); };
  const __m128i upper = in_range('A', 'Z');
  const __m128i word = _mm_or_si128(_mm_or_si128(upper, in_range('a', 'z')),
                                    _mm_or_si128(in_range('0', '9'), _mm_cmpeq_epi8(block, _mm_set1_epi8('_'))));
  lowered = lowercase ? _mm_or_si128(block, _mm_and_si128(upper, _mm_set1_epi8(0x20))) : block;
  return static_cast<unsigned>(_mm_movemask_epi8(word));
}
#endif

// The word tokenizer without accent stripping, its hot loop on local state: in
// the general pipeline every character goes through a stage whose counters the
// compiler must reload after each byte it stores (a char store may alias them).
// Characters below U+0100, nearly all of a news corpus, take one table lookup.
template <class Source>
void run_words_fast(const Source& src, const AnalyzerOptions& o, std::u32string& mapped, WordStage& stage) {
  const Latin1Table& table = latin1_table(o.lowercase);
  std::string& buffer = stage.token_buffer();
  if (buffer.size() < 64) buffer.resize(64);
  char* out = buffer.data();
  std::size_t capacity = buffer.size();
  std::size_t bytes = 0;
  std::size_t chars = 0;
  auto grow = [&] {
    buffer.resize(2 * capacity);
    out = buffer.data();
    capacity = buffer.size();
  };
  auto end_token = [&] {
    if (chars != 0) stage.emit(std::string_view(out, bytes), chars);
    bytes = 0;
    chars = 0;
  };
  std::size_t pos = 0;
#if defined(__SSE2__)
  // Runs of ASCII, 16 characters at a time: a token inside the block is emitted
  // from it directly; one crossing a block edge is assembled in the buffer.
  [[maybe_unused]] const bool ascii_blocks = ascii_blocks_agree(o.lowercase);
  [[maybe_unused]] std::size_t scalar_until = 0;  // characters before it take the path below
  [[maybe_unused]] auto take_ascii_block = [&](__m128i block) {
    __m128i lowered;
    const unsigned word = classify_ascii_block(block, o.lowercase, lowered);
    alignas(16) char low[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(low), lowered);
    unsigned i = 0;
    if (chars != 0) {  // the token open before this block
      const auto run = static_cast<unsigned>(__builtin_ctz(~word));  // <= 16
      if (bytes + 16 > capacity) grow();
      std::memcpy(out + bytes, low, 16);  // the bytes past the run are scratch
      bytes += run;
      chars += run;
      i = run;
      if (i < 16) end_token();
    }
    while (i < 16 && (word >> i) != 0) {
      i += static_cast<unsigned>(__builtin_ctz(word >> i));
      const auto run = static_cast<unsigned>(__builtin_ctz(~(word >> i)));
      if (i + run < 16) {
        stage.emit(std::string_view(low + i, run), run);
      } else {  // reaches the block's end: the token may go on
        std::memcpy(out, low + i, run);
        bytes = run;
        chars = run;
      }
      i += run;
    }
  };
#endif
  while (pos < src.size) {
#if defined(__SSE2__)
    if constexpr (kHasAsciiBlocks<Source>) {
      if (ascii_blocks && pos >= scalar_until && pos + 16 <= src.size) {
        __m128i block;
        const unsigned not_ascii = load_ascii_block(src, pos, block);
        if (not_ascii == 0) {
          take_ascii_block(block);
          pos += 16;
          continue;
        }
        scalar_until = pos + static_cast<std::size_t>(__builtin_ctz(not_ascii)) + 1;
      }
    }
#endif
    const std::size_t start = pos;
    const char32_t c = src.next(pos);
    if (c < 256) {
      const std::uint32_t e = table[c];
      if (e == 0) {
        end_token();
        continue;
      }
      if (bytes + 2 > capacity) grow();
      // Both bytes are stored; the second is overwritten next when the character has one.
      const auto pair = static_cast<std::uint16_t>(e >> 8);
      std::memcpy(out + bytes, &pair, 2);
      bytes += e & 0xFFu;
      ++chars;
      continue;
    }
    mapped.clear();
    if (!o.lowercase) {
      mapped.push_back(c);
    } else if (c == kCapitalSigma) {
      mapped.push_back(is_final_sigma(src, start, pos) ? kFinalSigma : kSmallSigma);
    } else {
      unicode::append_lower(c, mapped);
    }
    for (const char32_t m : mapped) {
      if (!unicode::is_word_char(m)) {
        end_token();
        continue;
      }
      if (bytes + 4 > capacity) grow();
      bytes += encode_utf8(m, out + bytes);
      ++chars;
    }
  }
  end_token();
}

template <class Stage>
void run_on_text(TextRef text, const AnalyzerOptions& o, AnalyzerScratch::Buffers& b, Stage& stage) {
  if constexpr (std::is_same_v<Stage, WordStage>) {
    if (o.strip_accents == AccentStripping::none) {
      switch (text.encoding) {
        case TextEncoding::latin1:
          run_words_fast(FixedWidthSource<std::uint8_t>{static_cast<const std::uint8_t*>(text.data), text.length},
                         o, b.mapped, stage);
          return;
        case TextEncoding::ucs2:
          run_words_fast(FixedWidthSource<char16_t>{static_cast<const char16_t*>(text.data), text.length}, o,
                         b.mapped, stage);
          return;
        case TextEncoding::ucs4:
          run_words_fast(FixedWidthSource<char32_t>{static_cast<const char32_t*>(text.data), text.length}, o,
                         b.mapped, stage);
          return;
        case TextEncoding::utf8:
          check_utf8(std::string_view(static_cast<const char*>(text.data), text.length));
          run_words_fast(Utf8Source{static_cast<const unsigned char*>(text.data), text.length}, o, b.mapped,
                         stage);
          return;
      }
    }
  }
  switch (text.encoding) {
    case TextEncoding::latin1:
      run_pipeline(FixedWidthSource<std::uint8_t>{static_cast<const std::uint8_t*>(text.data), text.length}, o,
                   b.mapped, stage);
      break;
    case TextEncoding::ucs2:
      run_pipeline(FixedWidthSource<char16_t>{static_cast<const char16_t*>(text.data), text.length}, o, b.mapped, stage);
      break;
    case TextEncoding::ucs4:
      run_pipeline(FixedWidthSource<char32_t>{static_cast<const char32_t*>(text.data), text.length}, o, b.mapped, stage);
      break;
    case TextEncoding::utf8:
      check_utf8(std::string_view(static_cast<const char*>(text.data), text.length));
      run_pipeline(Utf8Source{static_cast<const unsigned char*>(text.data), text.length}, o, b.mapped,
                   stage);
      break;
  }
}

}  // namespace

TextAnalyzer::TextAnalyzer(AnalyzerOptions options) : options_(std::move(options)) {
  options_.validate();
  if (options_.kind == AnalyzerKind::word && !options_.stop_words.empty()) {
    auto stop = std::make_shared<StopWords>();
    stop->storage = options_.stop_words;
    stop->words.insert(stop->storage.begin(), stop->storage.end());
    stop_words_ = std::move(stop);
  }
}
TextAnalyzer::TextAnalyzer(const TextAnalyzer&) = default;
TextAnalyzer& TextAnalyzer::operator=(const TextAnalyzer&) = default;
TextAnalyzer::TextAnalyzer(TextAnalyzer&&) noexcept = default;
TextAnalyzer& TextAnalyzer::operator=(TextAnalyzer&&) noexcept = default;
TextAnalyzer::~TextAnalyzer() = default;

const AnalyzerOptions& TextAnalyzer::options() const noexcept { return options_; }

void TextAnalyzer::analyze(TextRef text, AnalyzerScratch& scratch, TermSink sink) const {
  auto& b = *scratch.buffers_;
  switch (options_.kind) {
    case AnalyzerKind::word: {
      WordStage stage(options_, stop_words_.get(), b.text, b.window, b.gram, sink);
      run_on_text(text, options_, b, stage);
      break;
    }
    case AnalyzerKind::char_ngrams: {
      CharStage stage(options_, b.text, b.lengths, sink);
      run_on_text(text, options_, b, stage);
      break;
    }
    case AnalyzerKind::char_wb: {
      CharWbStage stage(options_, b.text, b.lengths, b.offsets, sink);
      run_on_text(text, options_, b, stage);
      break;
    }
  }
}

namespace {
struct TextAnalyzerState final : AnalyzerState {
  AnalyzerScratch scratch;
};
}  // namespace

std::unique_ptr<AnalyzerState> TextAnalyzer::new_state() const { return std::make_unique<TextAnalyzerState>(); }

void TextAnalyzer::analyze_document(TextRef text, AnalyzerState& state, TermSurfaceSink sink) const {
  analyze(text, static_cast<TextAnalyzerState&>(state).scratch, [&](std::string_view term) { sink(term, term, nullptr); });
}

std::vector<std::string> TextAnalyzer::analyze(TextRef text) const {
  AnalyzerScratch scratch;
  std::vector<std::string> terms;
  analyze(text, scratch, [&](std::string_view t) { terms.emplace_back(t); });
  return terms;
}

}  // namespace themescope
