"""What keeps reporting and function words out of themes and top terms.

Two mechanisms, used by :class:`themescope.Explorer`:

- **dispersion** (general, any language): a word spread over the clusters in
  proportion to their sizes ("said", "also", "selon") says nothing about any of
  them. :func:`cluster_concentration` is 1 - Gries' DP, normalised (Gries 2008,
  "Dispersions and adjusted frequencies in corpora"; Lijffijt & Gries 2012),
  and multiplies each term's class-based TF-IDF;
- **news function words** (:data:`themescope.lexicon.NEWS_FUNCTION_WORDS`): the
  words a small corpus gives dispersion too little evidence about; they are
  matched to the vectorizer's terms through the analyzer of each language.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from .analysis import Analyzer
from .lexicon import news_function_words

__all__ = ["cluster_concentration", "function_term_mask"]


def cluster_concentration(class_counts: Any) -> np.ndarray:
    """How concentrated each term is in some classes rather than spread over all.

    For a (classes × terms) count matrix, Gries' DP of term ``t`` is
    ``0.5 * sum_c |v_ct - s_c|``, with ``v_ct`` the share of the term's
    occurrences in class ``c`` and ``s_c`` the class's share of all words. It is
    0 for a term spread exactly like the words (a function word) and at most
    ``1 - min_c s_c`` for a term found in one class only; divided by that bound
    it is in [0, 1]. With a single class (or a single non-empty one), nothing
    tells terms apart: every term gets 1. Terms never seen get 0.

    Examples
    --------
    >>> import numpy as np
    >>> from themescope._themes import cluster_concentration
    >>> # two classes of 4 words: the first term is spread evenly, the others are not
    >>> cluster_concentration(np.array([[1, 3, 0], [1, 0, 3]])).tolist()
    [0.0, 1.0, 1.0]
    """
    counts = np.asarray(class_counts.toarray() if sp.issparse(class_counts) else class_counts, dtype=np.float64)
    if counts.ndim != 2:
        raise ValueError(f"class_counts must be 2-D (classes × terms), got shape {counts.shape}")
    words = counts.sum(axis=1)
    total = words.sum()
    term_totals = counts.sum(axis=0)
    present = words > 0
    if total == 0 or present.sum() < 2:
        return np.where(term_totals > 0, 1.0, 0.0)
    sizes = words[present] / total
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(term_totals > 0, counts[present] / term_totals, 0.0)
    dp = 0.5 * np.abs(shares - sizes[:, None]).sum(axis=0)
    concentration = dp / (1.0 - sizes.min())
    return np.where(term_totals > 0, np.clip(concentration, 0.0, 1.0), 0.0)


def function_term_mask(vectorizer: Any, languages: Any, names: Any = None) -> np.ndarray:
    """Which of a fitted vectorizer's features (or of ``names``, terms its analyzer
    made: a search index's columns grown by Explorer.add) are news function words.

    Each language's :func:`~themescope.lexicon.news_function_words` go through
    the vectorizer's :class:`~themescope.Analyzer` settings for that language
    (no stop words, so that none is lost), and the features equal to one of the
    terms they give are marked. Vectorizers with another analyzer, or
    languages without a list, mark nothing.
    """
    if names is None:
        names = vectorizer.get_feature_names_out()
    mask = np.zeros(len(names), dtype=bool)
    analyzer = getattr(vectorizer, "analyzer", None)
    if not isinstance(analyzer, Analyzer):
        return mask
    terms: set[str] = set()
    for language in sorted(set(languages)):
        words = news_function_words(language)
        if not words:
            continue
        # the vectorizer's settings (stemming, accents...), one language, every word kept
        single = clone(analyzer).set_params(language=language, stop_words=None, min_token_len=1,
                                            ngram_range=(1, 1), phrases=False)
        for word in sorted(words):
            terms.update(single(word))
    if terms:
        texts = [str(name) for name in names]
        index = {text: i for i, text in enumerate(texts)}
        for term in terms:
            column = index.get(term)
            if column is not None:
                mask[column] = True
        # a phrase with a function word in it ("Mr Blair", "said Mr") is no theme either
        # (only the phrases are split: a word has been looked up above)
        for column, text in enumerate(texts):
            if " " in text and not terms.isdisjoint(text.split(" ")):
                mask[column] = True
    return mask
