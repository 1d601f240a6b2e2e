"""The multilingual analyzer: terms that mean something in French and English.

``Analyzer`` runs natively, one named stage after the other:

1. **language**: given, or identified per document (``language="auto"``, CLD2);
2. **normalize**: ICU NFKC case folding, apostrophes (’ ʼ ＇) unified to ``'``;
3. **segment**: Unicode word boundaries (UAX #29, ICU's BreakIterator):
   ``30.000``, ``1,000`` and ``l'otan`` are one segment, ``e-mail`` two;
4. **filter**: numbers (``numbers="keep"`` or ``"drop"``), elision (French
   ``l' d' qu' jusqu'``…, Italian, Catalan, English ``'s``), minimum length,
   stop words (Snowball's list for the document's language, or your own);
5. **stem**: Snowball stemmers (libstemmer); ``stem=False`` keeps the words;
   with ``fold_accents=True`` the terms then lose their accents (``Etats`` and
   ``États`` are one term);
6. **phrases** (``phrases=True``, off by default, on in the Explorer): pairs of
   adjacent terms learned from the corpus (:class:`themescope.Phrases`:
   names, compounds, collocations) become one term, shown as written most
   often ("Fumio Kishida", "Indo-Pacifique", "premier ministre");
7. **n-grams** over the surviving tokens.

Give it to the vectorizers as their analyzer; the whole chain then runs in C++
on every core, with no Python object per token::

    ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator

from . import _core
from . import _phrase_stage as _phrases

__all__ = ["Analyzer"]

_NATIVE = "_native_analyzer"


def _stop_word_collection(stop: Any) -> Collection[Any]:
    """``stop_words`` when it is a collection (a generator would be used up by the cache key)."""
    if not isinstance(stop, Collection):
        raise TypeError(f"stop_words must be 'auto', None or a collection of str, got {type(stop).__name__} {stop!r}")
    return stop


class Analyzer(BaseEstimator):  # type: ignore[misc]
    """Language-aware analysis of news text into terms.

    Parameters
    ----------
    language : str, default="auto"
        ISO 639-1 code of the documents' language, or ``"auto"`` to identify it
        per document with CLD2, from up to 512 characters sampled across it
        (:func:`themescope.detect_language` reads more, and costs more).
        Documents whose language is undetermined (``"und"``) or has no stop
        words or stemmer are only normalized, segmented and filtered by length
        and numbers.
    stop_words : "auto", None or collection of str, default="auto"
        ``"auto"``: Snowball's stop word list of each document's language
        (:data:`themescope.STOP_WORD_LANGUAGES`); ``None``: none; or your own
        words (normalized like the text before they are compared).
    elision : bool, default=True
        Remove elided articles and pronouns (``l'otan`` -> ``otan``) and the
        English possessive ``'s``.
    stem : bool, default=True
        Reduce words to their Snowball stems. The vectorizers then keep, per
        term, its most frequent surface form for display
        (``get_feature_names_out(display=True)``).
    numbers : {"keep", "drop"}, default="keep"
        What to do with number segments (``2019``, ``30.000``, ``1,000``).
    min_token_len : int, default=2
        Shortest token kept, in characters, after elision.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        Word n-grams formed from the tokens that survive the filters.
    fold_accents : bool, default=False
        Drop the accents of each term after stemming (Unicode NFKD, combining
        marks removed, as scikit-learn's ``strip_accents="unicode"``), so that
        a word written with and without its accents ("Etats-Unis" in one
        article, "États-Unis" in the next) is one term. Stemming still sees
        the accents its rules need; display forms stay the surface seen most
        often. :class:`themescope.Explorer` turns it on.
    phrases : bool or Phrases, default=False
        The phrase stage: ``True`` for :class:`themescope.Phrases` with its
        defaults, or a configured ``Phrases``. The phrases are learned from a
        corpus by :meth:`fit` (the vectorizers call it at the start of their
        ``fit``); until then the analyzer raises ``NotFittedError``.
        :class:`themescope.Explorer` turns it on.

    Attributes
    ----------
    phrases_ : Phrases
        With ``phrases`` on, once fitted: the fitted stage (its ``pairs_`` and
        ``statistics_``).

    Examples
    --------
    >>> import themescope as ts
    >>> analyzer = ts.Analyzer(language="fr")
    >>> analyzer("L’OTAN renforce ses alliances en cybersécurité")
    ['otan', 'renforc', 'allianc', 'cybersécur']
    >>> ts.Analyzer(language="en", stem=False)("NATO's cyber alliances, 1,000 experts")
    ['nato', 'cyber', 'alliances', '1,000', 'experts']
    >>> ts.Analyzer(language="fr", fold_accents=True)("États-Unis, Etats-Unis")
    ['etat', 'unis', 'etat', 'unis']
    >>> docs = ["Les États-Unis et l'Indo-Pacifique.", "Aux États-Unis, Fumio Kishida.", "Fumio Kishida à Tokyo."]
    >>> ts.Analyzer(language="fr", phrases=True).fit(docs)("Fumio Kishida aux États-Unis")
    ['fumio kishid', 'état unis']
    """

    def __init__(
        self,
        language: str = "auto",
        stop_words: Any = "auto",
        elision: bool = True,
        stem: bool = True,
        numbers: str = "keep",
        min_token_len: int = 2,
        ngram_range: tuple[int, int] = (1, 1),
        fold_accents: bool = False,
        phrases: Any = False,
    ) -> None:
        self.language = language
        self.stop_words = stop_words
        self.elision = elision
        self.stem = stem
        self.numbers = numbers
        self.min_token_len = min_token_len
        self.ngram_range = ngram_range
        self.fold_accents = fold_accents
        self.phrases = phrases

    # ---- the native analyzer, rebuilt whenever a parameter changed ----
    def _key(self) -> tuple[Any, ...]:
        stop = self.stop_words
        if stop is not None and not isinstance(stop, str):
            stop = tuple(_stop_word_collection(stop))  # as given: words checked in _build, so not sorted here
        return (self.language, stop, self.elision, self.stem, self.numbers, self.min_token_len,
                tuple(self.ngram_range), self.fold_accents, _phrases.learned_pairs(self),
                _phrases.keeps_words(self))

    def native(self) -> _core.MultilingualAnalyzer:
        """The configured native analyzer (what the vectorizers count with)."""
        key = self._key()
        cached = self.__dict__.get(_NATIVE)
        if cached is not None and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        analyzer = self._build()
        self.__dict__[_NATIVE] = (key, analyzer)
        return analyzer

    # ---- the phrase stage ----
    def fit(self, documents: Any, y: Any = None, *, languages: Any = None) -> Analyzer:
        """Learn the phrase stage's phrases from ``documents`` (nothing to learn without it).

        ``languages``: each document's language code, when known.
        """
        _phrases.fit_stage(self, documents, languages)
        return self

    def _native_without_phrases(self) -> _core.MultilingualAnalyzer:
        return self._build(phrases=None)

    def _build(self, phrases: Any = "learned") -> _core.MultilingualAnalyzer:
        if not isinstance(self.language, str):
            raise TypeError(f"language must be a str, got {type(self.language).__name__}")
        stop = self.stop_words
        custom: list[str] | None = None
        if isinstance(stop, str):
            if stop != "auto":
                raise ValueError(f"stop_words must be 'auto', None or a collection of str, got {stop!r}")
        elif stop is not None:
            custom = list(_stop_word_collection(stop))
            bad = [w for w in custom if not isinstance(w, str)]
            if bad:
                raise TypeError(f"stop words must be str, got {type(bad[0]).__name__} {bad[0]!r}")
        if self.numbers not in ("keep", "drop"):
            raise ValueError(f"numbers must be 'keep' or 'drop', got {self.numbers!r}")
        for name in ("elision", "stem", "fold_accents"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be a bool, got {getattr(self, name)!r}")
        min_len = self.min_token_len
        if isinstance(min_len, bool) or not isinstance(min_len, int) or min_len < 1:
            raise ValueError(f"min_token_len must be an int >= 1, got {min_len!r}")
        ngram_range = tuple(self.ngram_range)
        if (len(ngram_range) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
                or not 1 <= ngram_range[0] <= ngram_range[1]):
            raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got {self.ngram_range!r}")
        return _core.MultilingualAnalyzer(
            language=self.language,
            custom_stop_words=custom,
            language_stop_words=stop == "auto",
            elision=self.elision,
            stem=self.stem,
            numbers=self.numbers,
            min_token_length=min_len,
            ngram_range=(ngram_range[0], ngram_range[1]),
            fold_accents=self.fold_accents,
            phrases=_phrases.learned_pairs(self) if phrases == "learned" else phrases,
            phrase_keeps_words=_phrases.keeps_words(self),
        )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop(_NATIVE, None)  # native object: rebuilt on demand
        return state

    def __sklearn_is_fitted__(self) -> bool:
        return not _phrases.stage_of(self) or "phrases_" in self.__dict__

    # ---- use ----
    def __call__(self, text: str) -> list[str]:
        """The terms of one document, in order."""
        return self.native()(text)

    def language_of(self, text: str) -> str:
        """The language this analyzer uses for ``text``."""
        return self.native().language_of(text)

    def explain(self, text: str) -> pd.DataFrame:
        """Every word segment of ``text`` through every stage.

        Returns
        -------
        pandas.DataFrame
            One row per segment: ``language``, ``segment`` (normalized),
            ``kind`` (``letter``, ``number``, ``kana``, ``ideographic``),
            ``unelided`` (after elision), ``term`` (the term counted, or missing)
            and ``dropped_by`` (``numbers``, ``length``, ``stop_words``, or
            missing when the segment was kept), ``phrase`` (the phrase term the
            segment is part of, with ``phrases`` on; else missing).

        Examples
        --------
        >>> import themescope as ts
        >>> table = ts.Analyzer(language="fr").explain("L’OTAN et l’Inde")
        >>> table[["segment", "term", "dropped_by"]].fillna("-").values.tolist()
        [["l'otan", 'otan', '-'], ['et', '-', 'stop_words'], ["l'inde", 'inde', '-']]
        """
        columns = self.native().explain(text)
        return pd.DataFrame(columns, columns=["language", "segment", "kind", "unelided", "term", "dropped_by",
                                              "phrase"])
