"""The native analyzer's character rules against Python's, over every code point.

scikit-learn's analyzers are defined by Python: `\\w` of the re module,
str.lower(), str.isspace() and unicodedata's NFKD. The native core answers the
same questions from ICU. The two may ship different Unicode versions (Python
3.11: 14.0, ICU 72: 15.0); the only differences allowed are characters that one
of them does not assign at all. Anything else is a bug.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable

import pytest
from sklearn.feature_extraction.text import strip_accents_unicode

from themescope import _core

ALL_CODE_POINTS = range(sys.maxunicode + 1)
WORD = re.compile(r"\w")


def unassigned_somewhere(cp: int) -> bool:
    """True when Python's or ICU's Unicode data does not assign this code point."""
    return unicodedata.category(chr(cp)) == "Cn" or not _core.icu_is_assigned(cp)


def differing(check: Callable[[int], bool]) -> list[int]:
    return [cp for cp in ALL_CODE_POINTS if not check(cp)]


def assert_only_version_differences(mismatches: list[int]) -> None:
    explained = [cp for cp in mismatches if unassigned_somewhere(cp)]
    unexplained = sorted(set(mismatches) - set(explained))
    assert not unexplained, "native and Python disagree on assigned characters: " + ", ".join(
        f"U+{cp:04X} {unicodedata.name(chr(cp), '?')}" for cp in unexplained[:20]
    )
    python_version = unicodedata.unidata_version
    if python_version.startswith(_core.unicode_version() + "."):
        assert not mismatches, "same Unicode version, yet the tables differ"


def test_unicode_versions_are_reported() -> None:
    assert re.fullmatch(r"\d+\.\d+", _core.unicode_version())
    assert re.fullmatch(r"\d+(\.\d+)*", _core.icu_version)


def test_word_characters_match_python_re_on_every_code_point() -> None:
    # One document: every code point followed by a separator that is never \w.
    text = "\x00".join(chr(cp) for cp in ALL_CODE_POINTS)
    analyzer = _core.TextAnalyzer(kind="word", lowercase=False, min_token_length=1)
    native = {ord(token) for token in analyzer(text)}
    python = {cp for cp in ALL_CODE_POINTS if WORD.match(chr(cp))}
    mismatches = sorted(native ^ python)
    assert_only_version_differences(mismatches)
    # Spot checks that fix the meaning of \w (str.isalnum or '_').
    for ch in "aZé_9²½Ⅳ中ß":
        assert ord(ch) in native, ch
    for ch in "\u0301-'’ \u00a0.":
        assert ord(ch) not in native, repr(ch)


def native_single_chars(analyzer: _core.TextAnalyzer, cp: int) -> Counter[str]:
    return Counter(analyzer(chr(cp)))


def test_lowercase_matches_str_lower_on_every_code_point() -> None:
    analyzer = _core.TextAnalyzer(kind="char", lowercase=True, ngram_range=(1, 1))
    mismatches = differing(lambda cp: Counter(analyzer(chr(cp))) == Counter(chr(cp).lower()))
    assert_only_version_differences(mismatches)
    assert analyzer("\u0130") == ["i", "\u0307"] or sorted(analyzer("\u0130")) == ["i", "\u0307"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ΟΔΟΣ", "οδος"[:-1] + "ς"),  # final sigma after a cased letter
        ("ΣΑΣ ΣΟΣ.", "σας σος."),
        ("Σ", "σ"),  # alone: not final (no cased letter before)
        ("AΣ'B", "aσ'b"),  # case-ignorable apostrophe, cased letter after
        ("AΣ'", "aς'"),
        ("İstanbul", "i̇stanbul"),
    ],
)
def test_lowercase_in_context_matches_str_lower(text: str, expected: str) -> None:
    assert text.lower() == expected  # the oracle itself, pinned
    analyzer = _core.TextAnalyzer(kind="char", lowercase=True, ngram_range=(1, 1))
    assert Counter(analyzer(text)) == Counter(expected)


def test_whitespace_matches_str_isspace_on_every_code_point() -> None:
    # char (2, 2) on "x" c c "y": a whitespace pair collapses to one ' '.
    analyzer = _core.TextAnalyzer(kind="char", lowercase=False, ngram_range=(2, 2))

    def same(cp: int) -> bool:
        c = chr(cp)
        native_space = sorted(analyzer(f"x{c}{c}y")) == [" y", "x "]
        return native_space == c.isspace()

    assert_only_version_differences(differing(same))


def test_nfkd_accent_stripping_matches_scikit_learn_on_every_code_point() -> None:
    analyzer = _core.TextAnalyzer(
        kind="char", lowercase=False, strip_accents="unicode", ngram_range=(1, 1)
    )

    def same(cp: int) -> bool:
        c = chr(cp)
        if c.isspace():  # char n-grams collapse whitespace runs; not NFKD's business
            return True
        expected = strip_accents_unicode(c)
        return Counter(analyzer(c)) == Counter(expected)

    assert_only_version_differences(differing(same))
