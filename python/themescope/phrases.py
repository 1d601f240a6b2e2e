"""The phrase stage of the analyzer: names, compounds and collocations as single terms.

``Phrases`` learns, from the corpus itself, which pairs of adjacent terms are one
thing to a reader ("Fumio Kishida", "premier ministre", "Indo-Pacifique", "gilets
jaunes"). The counting runs natively on every core over the tokens that survive the
analyzer's filters (after stemming and accent folding); two tokens are adjacent
when only white space (at most one line break) or a single hyphen stands between
them: punctuation, a blank line or a dropped word (a stop word, a number, a word
too short) breaks the chain, so no phrase ever crosses a sentence or a clause.

A pair is a phrase when it was seen adjacent at least ``min_count`` times, and

- it is in at least ``min_documents`` documents (a collocation is a fact of the corpus,
  not one article's headline repeated in its lead) and its normalized PMI (Bouma 2009),
  ``ln(p(ab) / (p(a) p(b))) / -ln p(ab)`` over the kept tokens of the corpus, is at
  least ``threshold`` (a collocation); or
- it is written as a name or a compound (both words capitalized, or joined by a
  hyphen, in at least half of its occurrences), in at least ``name_min_documents``
  documents (one by default: how it is written is the evidence, so "Serena Williams"
  named twice in one story is a phrase), and its NPMI is at least ``name_threshold``.

A pair with a number in it ("26 years", "June 2004": dates and amounts, not terms) is never
a phrase.

``Analyzer(phrases=True)`` then replaces each such pair, greedily from the left
as gensim's ``Phrases`` does, with one term ``"first second"`` whose display form
is the pair as written most often ("Fumio Kishida", "États-Unis"). The vectorizers
learn the phrases as the first step of ``fit``; :class:`themescope.Explorer` turns
the stage on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .analysis import Phrases  # the stage lives beside the Analyzer it is part of

__all__ = ["Phrases"]


def phrase_components(terms: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(phrase columns, column of its first word, of its second; -1 for a word that is no
    feature) for the terms ``"a b"`` with at least one of their words a feature too (a
    name's word may be pruned: "kishida", one document in each of two stemmings, under
    "fumio kishida")."""
    index = {str(term): i for i, term in enumerate(terms)}
    phrases, firsts, seconds = [], [], []
    for term, column in index.items():
        parts = term.split(" ")
        if len(parts) == 2 and (parts[0] in index or parts[1] in index):
            phrases.append(column)
            firsts.append(index.get(parts[0], -1))
            seconds.append(index.get(parts[1], -1))
    return (np.asarray(phrases, dtype=np.int64), np.asarray(firsts, dtype=np.int64),
            np.asarray(seconds, dtype=np.int64))


def hide_covered_words(weights: np.ndarray, terms: Any) -> np.ndarray:
    """Dense ``weights`` (rows x terms) with each word set to 0 in the rows where a phrase holding
    it weighs at least as much: "Fumio Kishida" above "Kishida" shows Kishida once.

    Examples
    --------
    >>> import numpy as np
    >>> from themescope.phrases import hide_covered_words
    >>> terms = ["fumio", "kishida", "fumio kishida"]
    >>> hide_covered_words(np.array([[0.2, 0.5, 0.4], [0.6, 0.1, 0.3]]), terms).tolist()
    [[0.0, 0.5, 0.4], [0.6, 0.0, 0.3]]
    """
    phrases, firsts, seconds = phrase_components(terms)
    if not len(phrases):
        return weights
    out = np.array(weights, dtype=np.float64, copy=True)
    best = np.zeros_like(out)  # per word, the largest weight of a phrase holding it
    for words in (firsts, seconds):
        present = words >= 0
        np.maximum.at(best.T, words[present], out[:, phrases[present]].T)
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
    for side in (0, 1):
        held = is_phrase[X.indices] & (component[X.indices, side] >= 0)
        word_keys = rows[held] * n_cols + component[X.indices[held], side]
        at = np.searchsorted(keys, word_keys)
        found = at < len(keys)
        found[found] = keys[at[found]] == word_keys[found]
        entries = order[at[found]]
        beaten = X.data[held][found] >= X.data[entries]
        X.data[entries[beaten]] = 0.0
    X.eliminate_zeros()
    return X
