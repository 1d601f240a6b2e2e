// Character properties with Python's exact rules, answered from ICU's data.
//
// scikit-learn's analyzers are defined by Python: `str.lower()`, the `\w` and `\s`
// of the `re` module and `unicodedata.normalize("NFKD", ...)`. These functions give
// the same answers from ICU, so the native analyzer matches scikit-learn token for
// token. Python and ICU may ship different Unicode versions; characters assigned in
// only one of them are the sole differences (tests/python/test_unicode_rules.py).
#pragma once
#include <string>
#include <string_view>

namespace themescope::unicode {

// Python re's `\w` for str patterns: str.isalnum() (letters L*, decimal, digit and
// numeric characters) or '_'.
bool is_word_char(char32_t c) noexcept;

// Python's str.isspace(): bidirectional class WS, B or S, or general category Zs.
bool is_space_char(char32_t c) noexcept;
// Python's str.isalpha(): general category L*.
bool is_alpha_char(char32_t c) noexcept;
// Python re's `\d` and str.isdecimal(): Numeric_Type=Decimal (category Nd).
bool is_decimal_char(char32_t c) noexcept;
// Python's str.isdigit(): Numeric_Type Decimal or Digit.
bool is_digit_char(char32_t c) noexcept;
// Python's str.isupper() / str.islower() of one character: the Uppercase and
// Lowercase properties.
bool is_upper_char(char32_t c) noexcept;
bool is_lower_char(char32_t c) noexcept;
// Appends Python's str.casefold() of `c`: full case folding (CaseFolding.txt
// statuses C and F), so "\u00df" becomes "ss".
void append_casefold(char32_t c, std::u32string& out);
// Python's str.casefold() of a whole UTF-8 string (valid UTF-8), as UTF-8.
std::string casefold_utf8(std::string_view text);

// Appends Python's str.lower() of `c` taken out of context: the full lowercase
// mapping (U+0130 becomes "i\u0307"). Capital sigma is lowered to U+03C3 here; the
// caller decides Final_Sigma with is_cased / is_case_ignorable, as Python does.
void append_lower(char32_t c, std::u32string& out);

bool is_cased(char32_t c) noexcept;
bool is_case_ignorable(char32_t c) noexcept;

// Canonical combining class, as unicodedata.combining().
int combining_class(char32_t c) noexcept;

// Appends the full compatibility decomposition (NFKD) of `c`, or `c` itself.
void append_nfkd(char32_t c, std::u32string& out);

// The Unicode version of the character data in use, e.g. "15.0".
std::string unicode_version();

}  // namespace themescope::unicode
