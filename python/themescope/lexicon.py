"""Language resources: stop word lists and Snowball stemming, per language.

Languages are ISO 639-1 codes (``"en"``, ``"fr"``, ...). Both resources are
native: the stop lists (the Snowball project's, BSD licence) are compiled into
the extension, and stemming calls the Snowball C library, libstemmer.

Words are compared in one normalized form, the one the multilingual analyzer
gives its tokens: Unicode NFKC_Casefold (ICU) with every apostrophe made
U+0027. :func:`normalize_stop_word` computes it.

>>> import themescope as ts
>>> ts.stem(["running", "alliances"], "en")
['run', 'allianc']
>>> "les" in ts.stop_words("fr")
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from . import _core

__all__ = [
    "STEMMER_LANGUAGES",
    "STOP_WORD_LANGUAGES",
    "normalize_stop_word",
    "stem",
    "stop_words",
]

#: ISO 639-1 codes that have a stop word list, sorted.
STOP_WORD_LANGUAGES: tuple[str, ...] = tuple(_core.stop_word_languages())

#: ISO 639-1 codes that have a Snowball stemmer in the linked libstemmer, sorted.
STEMMER_LANGUAGES: tuple[str, ...] = tuple(_core.stemmer_languages())


def _check_language(language: object) -> str:
    if not isinstance(language, str):
        raise TypeError(f"language must be an ISO 639-1 code (str), got {type(language).__name__} {language!r}")
    return language


@functools.cache
def _stop_word_set(language: str) -> frozenset[str]:
    return frozenset(_core.stop_words(language))


def stop_words(language: str) -> frozenset[str]:
    """Return the stop words of a language.

    The words are the Snowball project's list for that language (see
    ``cpp/data/stopwords/README.md``), normalized like analyzer tokens: NFKC
    case folding, apostrophes as U+0027. So German "daß" is there as "dass";
    normalize a word with :func:`normalize_stop_word` before looking it up.

    Parameters
    ----------
    language : str
        ISO 639-1 code, one of :data:`STOP_WORD_LANGUAGES`.

    Returns
    -------
    frozenset of str
        The same object on every call for a language.

    Raises
    ------
    ValueError
        If there is no list for ``language``; the message lists the codes that have one.

    Examples
    --------
    >>> import themescope as ts
    >>> sorted(ts.stop_words("fr") & {"les", "des", "qu", "alliances"})
    ['des', 'les', 'qu']
    >>> "dass" in ts.stop_words("de"), "daß" in ts.stop_words("de")
    (True, False)
    >>> ts.lexicon.normalize_stop_word("Daß") in ts.stop_words("de")
    True
    >>> ts.stop_words("xx")
    Traceback (most recent call last):
    ...
    ValueError: no stop words for language 'xx'; supported ISO 639-1 codes: da, de, en, es, fr, it, nl, no, pt, sv
    """
    return _stop_word_set(_check_language(language))


def stem(words: Iterable[str], language: str) -> list[str]:
    """Return the Snowball stems of words, in order.

    Each word should already be lowercase (normalize it with
    :func:`normalize_stop_word`, as the analyzer does): the Snowball algorithms
    expect lowercase input. The whole batch runs in native code without the GIL.
    A word holding lone surrogates (not valid text) is returned unchanged.

    Parameters
    ----------
    words : iterable of str
        The words. A single ``str`` is refused, so as not to stem its characters.
    language : str
        ISO 639-1 code, one of :data:`STEMMER_LANGUAGES`.

    Returns
    -------
    list of str
        One stem per word.

    Raises
    ------
    ValueError
        If libstemmer has no algorithm for ``language``; the message lists the codes it has.
    TypeError
        If ``words`` is a ``str`` or holds something other than ``str``.

    Examples
    --------
    >>> import themescope as ts
    >>> ts.stem(["cybersécurité", "alliances", "manifestations"], "fr")
    ['cybersécur', 'allianc', 'manifest']
    >>> ts.stem(["häuser", "daß"], "de")
    ['haus', 'dass']
    >>> ts.stem([], "en")
    []
    """
    language = _check_language(language)
    if isinstance(words, str):
        raise TypeError("words must be an iterable of str, not a single str: use stem([word], language)")
    batch = words if type(words) is list else list(words)
    return _core.stem(batch, language)


def normalize_stop_word(word: str) -> str:
    """Return ``word`` in the form stop lists are stored in.

    ICU's NFKC_Casefold (case folding, compatibility characters such as
    ligatures and full-width forms replaced, default-ignorable characters such
    as the soft hyphen removed), then the apostrophes U+2018, U+2019, U+201B and
    U+02BC replaced by U+0027.

    Examples
    --------
    >>> from themescope.lexicon import normalize_stop_word
    >>> normalize_stop_word("Straße"), normalize_stop_word("DON’T")
    ('strasse', "don't")
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    return _core.normalize_stop_word(word)
