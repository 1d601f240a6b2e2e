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
    "NEWS_FUNCTION_WORDS",
    "STOP_WORD_LANGUAGES",
    "news_function_words",
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


#: Words news text uses in every story, which Snowball's stop lists do not hold:
#: reporting verbs ("said", "dit"), discourse adverbs ("also", "également"),
#: prepositions ("selon", "lors", "contre"), titles ("mr") and the modal and
#: auxiliary verbs Snowball leaves out ("must", "doivent", "vont"). They stay in the
#: vectors (they weigh little there, through the idf) but a reader does not want
#: them among a cluster's themes or an article's top terms, where a small corpus
#: gives idf and dispersion too little evidence to push them down.
#: Source: every word is in the stopwords-iso list of its language (stopwords-iso
#: project, MIT licence; accents aside: it spells "egalement", "deja"), a test
#: checks it (tests/python/test_themes.py); the selection is the function words,
#: not the content words that list also holds ("premier", "état", "world").
NEWS_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
        according added already also among another asked believe even however just like many
        mr mrs much might must noted part really said saying says since still though thought well
        whether
    """.split()),
    "fr": frozenset("""
        afin ainsi alors après aujourd'hui aussi autre autres avant car cependant certains
        chaque chez comme contre déjà depuis devrait dire dit doit doivent donc dont durant
        également encore entre environ être lors malgré notamment parmi pendant peut peuvent
        plupart plus plusieurs pourrait près selon seulement souvent surtout toujours tous tout
        toute toutefois toutes très va vers vont
    """.split()),
}


def news_function_words(language: str) -> frozenset[str]:
    """Return the news function words of a language (empty for a language without a list).

    See :data:`NEWS_FUNCTION_WORDS`: reporting verbs, discourse adverbs,
    prepositions and titles that Snowball's stop lists do not hold, which
    :class:`themescope.Explorer` keeps out of themes and top terms.

    Examples
    --------
    >>> import themescope as ts
    >>> sorted(ts.lexicon.news_function_words("fr") & {"selon", "lors", "sommet"})
    ['lors', 'selon']
    >>> ts.lexicon.news_function_words("de")
    frozenset()
    """
    return NEWS_FUNCTION_WORDS.get(_check_language(language), frozenset())


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
