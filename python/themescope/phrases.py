"""The phrase stage of the analyzer: names, compounds and collocations as single terms.

``Phrases`` learns, from the corpus itself, which pairs of adjacent terms are one
thing to a reader ("Fumio Kishida", "premier ministre", "Indo-Pacifique", "gilets
jaunes"). The counting runs natively on every core over the tokens that survive the
analyzer's filters (after stemming and accent folding); two tokens are adjacent
when only white space (at most one line break) or a single hyphen stands between
them: punctuation, a blank line or a dropped word (a stop word, a number, a word
too short) breaks the chain, so no phrase ever crosses a sentence or a clause.

A pair is a phrase when it was seen adjacent at least ``min_count`` times, in at least
``min_documents`` documents (a phrase is a fact of the corpus, not one article's headline
repeated in its lead), and

- its normalized PMI (Bouma 2009), ``ln(p(ab) / (p(a) p(b))) / -ln p(ab)`` over
  the kept tokens of the corpus, is at least ``threshold`` (a collocation); or
- it is written as a name or a compound (both words capitalized, or joined by a
  hyphen, in at least half of its occurrences) and its NPMI is at least
  ``name_threshold``.

A pair with a number in it ("26 years", "June 2004": dates and amounts, not terms) is never
a phrase.

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

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from . import _core

__all__ = ["Phrases"]

_COLUMNS = ["first", "second", "count", "documents", "hyphenated", "capitalized", "first_count", "second_count", "npmi",
            "selected"]


class Phrases(BaseEstimator):  # type: ignore[misc]
    """Multiword terms learned from a corpus: the analyzer's phrase stage.

    Parameters
    ----------
    min_count : int, default=2
        Fewest adjacent occurrences of a pair for it to be a phrase.
    min_documents : int, default=2
        Fewest documents a phrase occurs in.
    threshold : float, default=0.5
        Smallest NPMI (in [-1, 1]) of a collocation.
    name_threshold : float, default=0.25
        Smallest NPMI of a pair written as a name or a compound (capitalized
        words, or joined by a hyphen, in at least half of its occurrences).
    keep_words : bool, default=False
        What the analyzer emits for a phrase: the phrase alone (``False``, as
        gensim's ``Phrases`` does), or its two words and then the phrase
        (``True``: the phrase is a feature added to its words, as word
        n-grams are, so that similarity still sees "Kishida" in "Fumio
        Kishida"). :class:`themescope.Explorer` keeps the words, and shows a
        word that a phrase above it in a list already holds only once.

    Attributes
    ----------
    pairs_ : list of tuple (str, str)
        The phrases chosen, as pairs of terms, sorted.
    statistics_ : pandas.DataFrame
        Every pair seen adjacent at least ``min_count`` times: ``first``,
        ``second`` (terms), ``count``, ``documents``, ``hyphenated``, ``capitalized`` (of its
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

    def __init__(self, min_count: int = 2, min_documents: int = 2, threshold: float = 0.5,
                 name_threshold: float = 0.25, keep_words: bool = False) -> None:
        self.min_count = min_count
        self.min_documents = min_documents
        self.threshold = threshold
        self.name_threshold = name_threshold
        self.keep_words = keep_words

    def _check_params(self) -> None:
        for name in ("min_count", "min_documents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        for name in ("threshold", "name_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not -1 <= value <= 1:
                raise ValueError(f"{name} must be a number in [-1, 1] (an NPMI), got {value!r}")
        if not isinstance(self.keep_words, bool):
            raise TypeError(f"keep_words must be a bool, got {self.keep_words!r}")

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
            min_documents=int(self.min_documents), threshold=float(self.threshold), name_threshold=float(self.name_threshold))
        table = pd.DataFrame(columns, columns=_COLUMNS)
        self.statistics_ = table
        chosen = table.loc[table["selected"].astype(bool)]
        self.pairs_ = list(zip(chosen["first"].tolist(), chosen["second"].tolist()))
        self.n_tokens_ = int(n_tokens)
        return self


# ---- display: a word is shown once, inside the phrase that holds it ----


def phrase_components(terms: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(phrase columns, column of its first word, of its second) for the terms ``"a b"`` whose two
    words are features too."""
    index = {str(term): i for i, term in enumerate(terms)}
    phrases, firsts, seconds = [], [], []
    for term, column in index.items():
        parts = term.split(" ")
        if len(parts) == 2 and parts[0] in index and parts[1] in index:
            phrases.append(column)
            firsts.append(index[parts[0]])
            seconds.append(index[parts[1]])
    as_array = lambda values: np.asarray(values, dtype=np.int64)  # noqa: E731
    return as_array(phrases), as_array(firsts), as_array(seconds)


def hide_covered_words(weights: np.ndarray, terms: Any) -> np.ndarray:
    """Dense ``weights`` (rows x terms) with each word set to 0 in the rows where a phrase holding
    it weighs at least as much: "Fumio Kishida" above "Kishida" shows Kishida once."""
    phrases, firsts, seconds = phrase_components(terms)
    if not len(phrases):
        return weights
    out = np.array(weights, dtype=np.float64, copy=True)
    best = np.zeros_like(out)  # per word, the largest weight of a phrase holding it
    for words in (firsts, seconds):
        np.maximum.at(best.T, words, out[:, phrases].T)
    out[(best > 0) & (best >= out)] = 0.0
    return out


def hide_covered_words_sparse(X: Any, terms: Any) -> Any:
    """The same for a CSR matrix (explicit zeros removed); ``X`` is copied."""
    phrases, firsts, seconds = phrase_components(terms)
    X = sp.csr_array(X, copy=True)
    if not len(phrases):
        return X
    n_cols = X.shape[1]
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    keys = rows * n_cols + X.indices  # sorted: CSR rows in order, indices sorted within rows
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    is_phrase = np.zeros(n_cols, dtype=bool)
    is_phrase[phrases] = True
    component = np.full((n_cols, 2), -1, dtype=np.int64)
    component[phrases, 0], component[phrases, 1] = firsts, seconds
    held = is_phrase[X.indices]
    for side in (0, 1):
        word_keys = rows[held] * n_cols + component[X.indices[held], side]
        at = np.searchsorted(keys, word_keys)
        found = at < len(keys)
        found[found] = keys[at[found]] == word_keys[found]
        entries = order[at[found]]
        beaten = X.data[held][found] >= X.data[entries]
        X.data[entries[beaten]] = 0.0
    X.eliminate_zeros()
    return X
