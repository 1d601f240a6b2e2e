"""The phrase stage of the analyzer: names, compounds and collocations as single terms.

``Phrases`` learns, from the corpus itself, which pairs of adjacent terms are one
thing to a reader ("Fumio Kishida", "premier ministre", "Indo-Pacifique", "gilets
jaunes"). The counting runs natively on every core over the tokens that survive the
analyzer's filters (after stemming and accent folding); two tokens are adjacent
when only white space (at most one line break) or a single hyphen stands between
them: punctuation, a blank line or a dropped word (a stop word, a number, a word
too short) breaks the chain, so no phrase ever crosses a sentence or a clause.

A pair is a phrase when it was seen adjacent at least ``min_count`` times and

- its normalized PMI (Bouma 2009), ``ln(p(ab) / (p(a) p(b))) / -ln p(ab)`` over
  the kept tokens of the corpus, is at least ``threshold`` (a collocation); or
- it is written as a name or a compound (both words capitalized, or joined by a
  hyphen, in at least half of its occurrences) and its NPMI is at least
  ``name_threshold``.

``Analyzer(phrases=True)`` then replaces each such pair, greedily from the left
as gensim's ``Phrases`` does, with one term ``"first second"`` whose display form
is the pair as written most often ("Fumio Kishida", "États-Unis"). The vectorizers
learn the phrases as the first step of ``fit``; :class:`themescope.Explorer` turns
the stage on.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator

from . import _core

__all__ = ["Phrases"]

_COLUMNS = ["first", "second", "count", "hyphenated", "capitalized", "first_count", "second_count", "npmi",
            "selected"]


class Phrases(BaseEstimator):  # type: ignore[misc]
    """Multiword terms learned from a corpus: the analyzer's phrase stage.

    Parameters
    ----------
    min_count : int, default=2
        Fewest adjacent occurrences of a pair for it to be a phrase.
    threshold : float, default=0.5
        Smallest NPMI (in [-1, 1]) of a collocation.
    name_threshold : float, default=0.25
        Smallest NPMI of a pair written as a name or a compound (capitalized
        words, or joined by a hyphen, in at least half of its occurrences).

    Attributes
    ----------
    pairs_ : list of tuple (str, str)
        The phrases chosen, as pairs of terms, sorted.
    statistics_ : pandas.DataFrame
        Every pair seen adjacent at least ``min_count`` times: ``first``,
        ``second`` (terms), ``count``, ``hyphenated``, ``capitalized`` (of its
        occurrences), ``first_count``, ``second_count`` (of each term),
        ``npmi``, ``selected``; sorted by terms.
    n_tokens_ : int
        Kept tokens counted.

    Examples
    --------
    >>> import themescope as ts
    >>> docs = ["Le premier ministre Fumio Kishida arrive.", "Fumio Kishida et le premier ministre indien.",
    ...         "Le ministre parle. Le premier jour."]
    >>> stage = ts.Phrases().fit(docs, analyzer=ts.Analyzer(language="fr"))
    >>> stage.pairs_
    [('fumio', 'kishid'), ('premi', 'ministr')]
    """

    def __init__(self, min_count: int = 2, threshold: float = 0.5, name_threshold: float = 0.25) -> None:
        self.min_count = min_count
        self.threshold = threshold
        self.name_threshold = name_threshold

    def _check_params(self) -> None:
        if isinstance(self.min_count, bool) or not isinstance(self.min_count, numbers.Integral) or self.min_count < 1:
            raise ValueError(f"min_count must be an int >= 1, got {self.min_count!r}")
        for name in ("threshold", "name_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not -1 <= value <= 1:
                raise ValueError(f"{name} must be a number in [-1, 1] (an NPMI), got {value!r}")

    def fit(self, documents: Iterable[str], y: Any = None, *, analyzer: Any = None,
            languages: Any = None) -> Phrases:
        """Count the adjacent pairs of ``documents`` and choose the phrases.

        Parameters
        ----------
        documents : iterable of str
        analyzer : Analyzer, optional
            Whose tokens are counted (its own phrase stage is not applied);
            default ``Analyzer()``.
        languages : sequence of str, optional
            Each document's language code, when known.
        """
        from .analysis import Analyzer

        self._check_params()
        if isinstance(documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        if analyzer is None:
            analyzer = Analyzer()
        if not isinstance(analyzer, Analyzer):
            raise TypeError(f"analyzer must be a themescope.Analyzer, got {type(analyzer).__name__}")
        docs = documents if isinstance(documents, (list, tuple)) else list(documents)
        codes = None if languages is None else [str(code) for code in languages]
        columns, n_tokens = _core.count_phrases(
            analyzer._native_without_phrases(), docs, languages=codes, min_count=int(self.min_count),
            threshold=float(self.threshold), name_threshold=float(self.name_threshold))
        table = pd.DataFrame(columns, columns=_COLUMNS)
        self.statistics_ = table
        chosen = table.loc[table["selected"].astype(bool)]
        self.pairs_ = list(zip(chosen["first"].tolist(), chosen["second"].tolist()))
        self.n_tokens_ = int(n_tokens)
        return self
