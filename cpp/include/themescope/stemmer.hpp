// Snowball stemming (libstemmer) for one language.
//
// Thread safety: a Stemmer is NOT thread-safe. libstemmer keeps the word being
// stemmed, and the result, inside the sb_stemmer object, so two threads must never
// call stem() on the same Stemmer at once. Stemmers share no state with each other:
// give each worker thread its own (constructing one costs a few small allocations).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;  // libstemmer's handle (libstemmer.h stays out of this header)

namespace themescope {

class Stemmer {
 public:
  // `language` is an ISO 639-1 code ("en", "fr", ...; see stemmer_languages()).
  // Throws std::invalid_argument naming the code and the supported ones.
  explicit Stemmer(std::string_view language);

  Stemmer(Stemmer&&) noexcept = default;
  Stemmer& operator=(Stemmer&&) noexcept = default;
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  ~Stemmer() = default;

  // The Snowball stem of one word, given in UTF-8 (lowercase it first: the
  // algorithms expect lowercase input). The view points into this Stemmer and is
  // valid until the next call to stem(), or until the Stemmer is moved or destroyed.
  // - No allocation per call once the stemmer's buffer has grown to the longest word
  //   seen (libstemmer reuses it); the word is copied into that buffer.
  // - The empty word stems to itself.
  // - A word that is not valid UTF-8 (including encoded surrogates) is returned
  //   unchanged, as a view of `utf8_word`: libstemmer's decoder has no defined
  //   behavior for it.
  // Throws std::length_error above 2^31 - 1 bytes, std::bad_alloc when libstemmer
  // runs out of memory, std::logic_error on a moved-from Stemmer.
  std::string_view stem(std::string_view utf8_word);

  const std::string& language() const noexcept { return language_; }

 private:
  struct Deleter {
    void operator()(sb_stemmer* s) const noexcept;
  };
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
  // The same algorithm on ISO-8859-1 text, when libstemmer has it: words made of
  // Latin-1 characters are stemmed there (byte per character: ~40% fewer
  // instructions than decoding UTF-8), then re-encoded.
  std::unique_ptr<sb_stemmer, Deleter> latin1_stemmer_;
  std::string latin1_word_;
  std::string latin1_stem_as_utf8_;
  std::string language_;
};

// ISO 639-1 codes of the Snowball algorithms the linked libstemmer provides
// (sb_stemmer_list()), sorted. Algorithms without such a code (the original
// "porter" English stemmer) are not offered.
std::vector<std::string> stemmer_languages();

}  // namespace themescope
