"""Search a collection with a few words: BM25 ranking and query analysis.

:class:`BM25Transformer` gives the same weights as a scikit-learn transformer
(counts in, BM25 weights out, as :class:`~themescope.TfidfTransformer` gives
TF-IDF ones). Two pieces, used by :meth:`Explorer.query <themescope.Explorer.query>`,
:meth:`Explorer.search <themescope.Explorer.search>` and ``themescope similar``:

:class:`BM25Index`
    BM25 as Lucene computes it (``BM25Similarity``), natively: each document's
    terms are weighted once at fit, ``idf(t) · tf / (tf + k1 · (1 - b + b · |d| / avgdl))``
    with ``idf(t) = log(1 + (N - df + 0.5) / (df + 0.5))``, and a query's score
    is the sum of the weights of its terms (a term typed twice counts twice).
    The ranking is exact, threaded over queries, and only documents sharing a
    term with the query are ranked: there are no arbitrary answers of score 0.

:class:`CollectionSearch`
    A short query says too little for language identification (CLD2 needs
    about 40 letters), yet the index holds stems of the collection's languages.
    A query is analyzed in its identified language when it is one of the
    collection's; otherwise in the collection language whose stop words it
    uses most ("les", "the"); and when nothing tells (``"Chine"``,
    ``"Quad summit"``) in every language of the collection, each word
    contributing the distinct terms it becomes there. Names, numbers and
    acronyms (words typed with a capital, or digits) also match as themselves.
    The index keeps stop words, as Lucene's StandardAnalyzer does: BM25's idf
    weighs them down; but a query of stop words only (``"les et de"``) says
    nothing and matches no article. In a collection of several languages, a
    query's stop words are weighed by their idf among the articles of the
    query's language: over the whole collection, ``the`` is rare (the English
    articles only) and would rank English articles by how many ``the`` they
    hold; among English articles it is everywhere, as in an English collection.

Why two scorers: for a few words, BM25 beats cosine on TF-IDF vectors (on
known-item search over BBC and the gilets-jaunes corpus, benchmarks/eval_search.py);
for a query that is itself an article, cosine compares two documents of
similar size, which is what it is made for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from . import _core
from .language import detect_language
from ._validation import InvalidTypeError, InvalidValueError

__all__ = ["BM25Index", "BM25Transformer", "CollectionSearch", "QueryTerms", "SHORT_QUERY_WORDS"]

#: A query of at most this many words is "short" and ranked by BM25; a longer
#: one (an excerpt, an article) by cosine on the article vectors.
SHORT_QUERY_WORDS = 32

_CAPITALIZED = re.compile(r"\b[^\W\d_][\w'’-]*", re.UNICODE)


def _check_parameter(name: str, value: Any, high: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InvalidTypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not np.isfinite(number) or number < 0 or (high is not None and number > high):
        bound = f"in [0, {high:g}]" if high is not None else "finite and >= 0"
        raise InvalidValueError(f"{name} must be {bound}, got {value!r}")
    return number


def _int64_csr(X: Any) -> sp.csr_array:
    # Canonical form, its index arrays its own (BM25 weights take them over): the caller's arrays are
    # never sorted or compacted in place, and a duplicate entry is one count (summed), not two postings
    # that would count its df twice. The data are only ever read here: float64 data are kept as they are.
    if sp.issparse(X) and X.format == "csr" and X.has_canonical_format:
        # Already canonical (the vectorizers' output): converting the index arrays is the one copy.
        data = X.data if X.data.dtype == np.float64 else X.data.astype(np.float64)
        indices, indptr = np.array(X.indices, dtype=np.int64), np.array(X.indptr, dtype=np.int64)
        X = sp.csr_array((data, indices, indptr), shape=X.shape, copy=False)
    else:
        X = sp.csr_array(X, dtype=np.float64, copy=True)
        X.sum_duplicates()
    X.indices = X.indices.astype(np.int64, copy=False)  # scipy may have chosen int32
    X.indptr = X.indptr.astype(np.int64, copy=False)
    return X


def _buffers(X: sp.csr_array) -> tuple[Any, Any, Any, tuple[int, int]]:
    return X.data, X.indices, X.indptr, (int(X.shape[0]), int(X.shape[1]))


def _bm25_statistics(X: sp.csr_array) -> tuple[np.ndarray, float, int]:
    """(idf, average length, number of documents) of a canonical count matrix (_int64_csr)."""
    idf, average_length, n_documents = _core.bm25_statistics(*_buffers(X))
    return np.asarray(idf), float(average_length), int(n_documents)


def _bm25_weights(X: sp.csr_array, statistics: tuple[np.ndarray, float, int], k1: float, b: float) -> sp.csr_array:
    """The BM25 weights of a canonical count matrix (this caller's own copy: the weights take
    over its index arrays), zero counts left out; int64 indices, as _int64_csr gives."""
    weights = _core.bm25_weights(*_buffers(X), *statistics, k1, b)
    W = sp.csr_array((np.asarray(weights), X.indices, X.indptr), shape=X.shape, copy=False)
    W.eliminate_zeros()
    W.indices = W.indices.astype(np.int64, copy=False)  # scipy may have chosen int32
    W.indptr = W.indptr.astype(np.int64, copy=False)
    return W


def _compact_counts(weights: sp.csr_array, counts: Any) -> np.ndarray | None:
    """The counts behind an index's weights, in the weights' entry order, as int32 (what adding
    documents re-weighs); None when they are not all whole numbers in [1, 2**31)."""
    C = counts if sp.issparse(counts) and counts.format == "csr" else sp.csr_array(counts)
    if not C.has_canonical_format:
        C = _int64_csr(C)  # the order _int64_csr gave the weights
    data = C.data
    if C.nnz != weights.nnz or not np.array_equal(C.indptr, weights.indptr):
        return None  # an entry whose weight was zero: not the weights' order
    if data.size and not (data.min() >= 1 and data.max() < 2**31):
        return None
    compact = np.asarray(data, dtype=np.int32)  # in range: exact for whole numbers
    return compact if np.array_equal(compact, data) else None  # else a fraction was cut


class BM25Transformer(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # type: ignore[misc,call-arg]
    """Weight a count matrix by BM25 (Lucene's formula), as TfidfTransformer does by TF-IDF.

    Each stored count ``tf`` of term ``t`` in document ``d`` becomes
    ``idf(t) · tf / (tf + k1 · (1 - b + b · |d| / avgdl))`` with Lucene's
    ``idf(t) = log(1 + (N - df + 0.5) / (df + 0.5))``: ``N``, ``df`` and
    ``avgdl`` (the mean row sum) are learnt by :meth:`fit`; ``|d|`` is the
    row's own sum. The same native code as :class:`BM25Index` computes it
    (``cpp/include/themescope/bm25.hpp``): a query's BM25 score is the sum of
    the weights of its terms, ``transform(counts) @ query``.

    Parameters
    ----------
    k1, b : float, default=1.2, 0.75
        Term-frequency saturation (``k1 >= 0``) and length normalisation
        (``b`` in [0, 1]), as for :class:`BM25Index`.
    norm : {"l2", "l1"} or None, default=None
        Normalise each output row (``"l2"`` for cosine similarity between
        documents, as TF-IDF rows are); None keeps the BM25 weights.

    Attributes
    ----------
    idf_ : ndarray of float64, shape (n_features,)
    average_length_ : float
        Mean document length (sum of counts) of the fitted matrix.
    n_documents_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> import themescope as ts
    >>> counts = sp.csr_array(np.array([[2, 1, 0], [0, 1, 0], [0, 1, 4]]))   # cat dog fish
    >>> W = ts.BM25Transformer().fit_transform(counts)
    >>> round(float(W[0, 0]), 4)    # log(1 + 2.5 / 1.5) * 2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 3))
    0.613
    >>> round(float(W[1, 1]), 4)    # log(1 + 0.5 / 3.5) * 1 / (1 + 1.2 * (0.25 + 0.75 * 1 / 3))
    0.0835
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, norm: str | None = None) -> None:
        self.k1 = k1
        self.b = b
        self.norm = norm

    def _parameters(self) -> tuple[float, float]:
        if self.norm not in ("l2", "l1", None):
            raise InvalidValueError(f"norm must be 'l2', 'l1' or None, got {self.norm!r}")
        return _check_parameter("k1", self.k1, None), _check_parameter("b", self.b, 1.0)

    def fit(self, X: Any, y: Any = None) -> BM25Transformer:
        """Learn idf, the number of documents and their average length from a count matrix.

        Raises
        ------
        ValueError
            For a negative or non-finite count, or a bad ``k1``, ``b`` or ``norm``.
        """
        self._parameters()
        counts = _int64_csr(X)
        self.idf_, self.average_length_, self.n_documents_ = _bm25_statistics(counts)
        self.n_features_in_ = int(counts.shape[1])
        return self

    def transform(self, X: Any) -> sp.csr_array:
        """The BM25 weights of a count matrix (zero counts stay zero), as a CSR array of float64."""
        check_is_fitted(self, "idf_")
        k1, b = self._parameters()
        counts = _int64_csr(X)
        if counts.shape[1] != self.n_features_in_:
            raise InvalidValueError(f"X has {counts.shape[1]} features, but BM25Transformer was fitted with "
                             f"{self.n_features_in_}")
        W = _bm25_weights(counts, (self.idf_, self.average_length_, self.n_documents_), k1, b)
        if self.norm is not None:
            W = sp.csr_array(normalize(W, norm=self.norm, copy=False))
        return W


class BM25Index:
    """Rank documents by BM25 (Lucene's formula) for weighted term queries.

    Parameters
    ----------
    k1 : float, default=1.2
        Term-frequency saturation (0: a term counts once, whatever its count).
    b : float, default=0.75
        Length normalisation, in [0, 1] (0: none).

    Attributes
    ----------
    idf_ : ndarray of float64, shape (n_terms,)
        ``log(1 + (N - df + 0.5) / (df + 0.5))``.
    average_length_ : float
        Mean document length (sum of counts).
    weights_ : scipy.sparse.csr_array, shape (n_documents, n_terms)
        Each document's term weights; a query's score is ``weights_ @ q``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> from themescope.search import BM25Index
    >>> counts = sp.csr_array(np.array([[2, 1, 0], [0, 1, 0], [0, 1, 4]]))   # cat dog fish
    >>> index = BM25Index().fit(counts)
    >>> indices, scores = index.search(sp.csr_array(np.array([[1, 0, 0], [0, 0, 0]])), k=2)
    >>> indices.tolist()     # "cat": document 0 only; nothing shared: -1 (score NaN)
    [[0, -1], [-1, -1]]
    >>> round(float(scores[0, 0]), 4)    # log(8/3) * 2 / (2 + 1.2)
    0.613
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, counts: Any) -> BM25Index:
        """Learn idf and average length from a (documents × terms) count matrix, and index it."""
        return self._fit_canonical(_int64_csr(counts))

    def _fit_canonical(self, X: sp.csr_array) -> BM25Index:
        """fit on a matrix in _int64_csr's form, which the index takes over (no copy)."""
        k1 = _check_parameter("k1", self.k1, None)
        b = _check_parameter("b", self.b, 1.0)
        self.idf_, self.average_length_, self.n_documents_ = _bm25_statistics(X)
        self.weights_ = _bm25_weights(X, (self.idf_, self.average_length_, self.n_documents_), k1, b)
        self.__dict__.pop("_native", None)
        self._index()  # built now: the first query is as fast as the others
        return self

    def _index(self) -> Any:
        native = self.__dict__.get("_native")
        if native is None:
            W = self.weights_
            native = _core.InvertedIndex(W.data, W.indices, W.indptr, (int(W.shape[0]), int(W.shape[1])))
            self.__dict__["_native"] = native
        return native

    def search(self, queries: Any, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents for each query row (term weights, >= 0).

        Returns
        -------
        indices : ndarray of int64, shape (n_queries, k)
            Best first, ties by lower index; ``-1`` past the documents that
            share a term with the query.
        scores : ndarray of float64, shape (n_queries, k)
            Their BM25 scores (> 0), ``NaN`` where the index is ``-1``.
        """
        if "weights_" not in self.__dict__:
            raise InvalidValueError("this BM25Index is not fitted yet: call fit(counts) first")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InvalidValueError(f"k must be an int >= 1, got {k!r}")
        Q = _int64_csr(queries)
        if Q.shape[1] != self.weights_.shape[1]:
            raise InvalidValueError(f"queries have {Q.shape[1]} terms, the index {self.weights_.shape[1]}")
        if k > self.n_documents_:
            raise InvalidValueError(f"k={k} is larger than the {self.n_documents_} documents of the index")
        indices, scores = self._index().search(Q.data, Q.indices, Q.indptr, (int(Q.shape[0]), int(Q.shape[1])), int(k))
        return np.asarray(indices).reshape(-1, int(k)), np.asarray(scores).reshape(-1, int(k))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_native", None)  # native postings: rebuilt when loaded
        return state

    def _persist_state(self) -> dict[str, Any]:
        """The state a saved file keeps (themescope.persist): the pickled one plus the native
        index's postings, so that loading copies them instead of transposing ``weights_``."""
        state = self.__getstate__()
        if "weights_" in state:
            state["_postings"] = self._index().postings()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        postings = state.pop("_postings", None)
        self.__dict__.update(state)
        if postings is not None:
            data, indices, indptr, shape = postings
            self.__dict__["_native"] = _core.InvertedIndex.from_postings(data, indices, indptr, tuple(shape))
        elif "weights_" in state:
            self._index()


@dataclass
class QueryTerms:
    """What a query became: the index terms it matches, with their weights."""

    text: str
    languages: tuple[str, ...]
    n_words: int
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    words: dict[int, list[str]] = field(default_factory=dict)


class CollectionSearch:
    """BM25 search over a fitted collection, with queries analyzed in its languages.

    Parameters
    ----------
    counter : CountVectorizer
        Fitted on the collection with every term kept (``min_df=1``).
    counts : sparse matrix, shape (n_documents, n_terms)
        Its counts.
    document_languages : sequence of str
        Each document's language (``"und"`` when unknown).
    k1, b : float
        BM25's parameters (see :class:`BM25Index`).
    """

    def __init__(self, counter: Any, counts: Any, document_languages: Sequence[str], k1: float = 1.2,
                 b: float = 0.75) -> None:
        self.counter = counter
        self.index = BM25Index(k1=k1, b=b).fit(counts)
        self.term_counts = _compact_counts(self.index.weights_, counts)
        self._set_languages(document_languages)
        self.vocabulary: dict[str, int] = dict(counter.vocabulary_)
        self.display_names = np.asarray(counter.get_feature_names_out(display=True), dtype=object)

    def _set_languages(self, document_languages: Sequence[str]) -> None:
        codes, index = np.unique(np.asarray(document_languages, dtype=object).astype(str), return_inverse=True)
        self._set_language_index(codes, index.ravel())

    def _set_language_index(self, codes: np.ndarray, index: np.ndarray) -> None:
        """Each document's language as an index into the sorted ``codes``."""
        frequency = np.bincount(index, minlength=len(codes))
        order = np.lexsort((codes, -frequency))
        # Most frequent first: with no other clue, a word's first reading is the collection's main language.
        self.languages = tuple(str(codes[i]) for i in order if codes[i] != "und")
        # Each document's language, as an index into document_language_codes (for stop words' idf).
        self.document_language_codes = tuple(str(code) for code in codes)
        self.document_language_index = np.asarray(index, dtype=np.int32)
        # Made now, for one language and for all (a query too short to identify): the first
        # query is as fast as the others.
        self.__dict__.pop("_idf_ratios", None)
        frequencies = self._language_document_frequencies()  # one pass for every language set below
        for languages in {(code,) for code in self.languages} | {tuple(sorted(self.languages))}:
            self._stop_word_idf_ratio(languages, frequencies)

    def add_documents(self, documents: Sequence[str], languages: Sequence[str]) -> None:
        """Index more documents, as if the collection had been indexed with them from the start.

        Every word of theirs is indexed (a word no earlier document has becomes
        a new term: the index keeps every term, so earlier documents have none
        of it), and the statistics (idf, average length, each language's idf)
        are those of the whole collection: the scores are those of an index
        built on all the documents at once.
        """
        if self.__dict__.get("term_counts") is None:
            raise InvalidValueError(
                "this search index keeps no term counts (it was saved by an earlier themescope): "
                "fit the collection again to add documents to it")
        n_old = self.index.weights_.shape[0]
        languages = list(languages)
        local = clone(self.counter)
        try:
            added = sp.csr_array(local.fit_transform(list(documents), languages=languages), dtype=np.float64)
            local_terms = local.get_feature_names_out()
            local_display = local.get_feature_names_out(display=True)
        except ValueError as error:
            if "empty vocabulary" not in str(error):
                raise
            # no document has a word the analyzer keeps: rows without terms
            added = sp.csr_array((len(documents), 0), dtype=np.float64)
            local_terms = local_display = np.zeros(0, dtype=object)
        # Terms this index has keep their column; new ones come after, in the analyzer's order.
        columns = np.empty(len(local_terms), dtype=np.int64)
        new_display = []
        for position, term in enumerate(local_terms.tolist()):
            column = self.vocabulary.get(term)
            if column is None:
                column = len(self.vocabulary)
                self.vocabulary[term] = column
                new_display.append(local_display[position])
            columns[position] = column
        n_terms = len(self.vocabulary)
        added = sp.csr_array((added.data, columns[added.indices], added.indptr), shape=(added.shape[0], n_terms))
        added.sort_indices()
        added.sum_duplicates()
        W = self.index.weights_
        # The grown count matrix in the index's own form (float64 counts, int64 indices, rows sorted),
        # built by one copy of each buffer and handed over: at 100K articles each copy is ~130 MB.
        counts = sp.csr_array((
            np.concatenate([self.term_counts, added.data.astype(np.int32)]).astype(np.float64),
            np.concatenate([W.indices, added.indices.astype(np.int64)]),
            np.concatenate([W.indptr, added.indptr[1:].astype(np.int64) + W.indptr[-1]])),
            shape=(n_old + added.shape[0], n_terms), copy=False)
        counts.has_sorted_indices = True
        term_counts = counts.data.astype(np.int32)
        self.display_names = np.concatenate([self.display_names, np.asarray(new_display, dtype=object)])
        self.index = BM25Index(k1=self.index.k1, b=self.index.b)._fit_canonical(counts)
        # The weights took over counts' index arrays: the same entries, unless a weight was zero
        # (never, for counts >= 1: Lucene's idf is > 0); then there is nothing aligned to keep.
        self.term_counts = term_counts if self.index.weights_.nnz == term_counts.size else None
        # The languages' index, grown: the old documents' codes renumbered, not converted again.
        added_languages = np.asarray(languages, dtype=object).astype(str)
        old_codes = np.asarray(self.document_language_codes, dtype=str)
        codes = np.unique(np.concatenate([old_codes, added_languages]))
        self._set_language_index(codes, np.concatenate([
            np.searchsorted(codes, old_codes)[self.document_language_index] if len(old_codes) else
            np.zeros(0, dtype=np.int64), np.searchsorted(codes, added_languages)]))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_analyzers", None)  # native analyzers: rebuilt on demand
        state.pop("_idf_ratios", None)  # per-language idf: recomputed on demand
        return state

    def _persist_state(self) -> dict[str, Any]:
        """The state a saved file keeps (themescope.persist): also the per-language idf made at
        fit, so that the first query after loading is as fast as the others."""
        state = self.__getstate__()
        if "_idf_ratios" in self.__dict__:
            state["_idf_ratios"] = dict(self.__dict__["_idf_ratios"])
        return state

    # ---- analysis ----
    def _analyzer(self, language: str) -> Any:
        """The index's analyzer set to one language (cached), or None if it has none for it."""
        cache = self.__dict__.setdefault("_analyzers", {})
        if language not in cache:
            from .analysis import cloned_analyzer
            from .analysis import Analyzer

            analyzer = self.counter.analyzer
            try:
                cache[language] = cloned_analyzer(analyzer, language=language).native() \
                    if isinstance(analyzer, Analyzer) else None
            except ValueError:  # a language without stemmer: not a reading of the query
                cache[language] = None
        return cache[language]

    def _stop_words(self, language: str) -> frozenset[str]:
        cache = self.__dict__.setdefault("_stop_word_sets", {})
        if language not in cache:
            from .lexicon import STOP_WORD_LANGUAGES, stop_words

            cache[language] = stop_words(language) if language in STOP_WORD_LANGUAGES else frozenset()
        return cache[language]  # type: ignore[no-any-return]

    def _language_document_frequencies(self) -> np.ndarray:
        """(languages × terms) int64: each term's document frequency among the documents of each
        of ``document_language_codes``, counted natively in one pass over the weights' entries."""
        W = self.index.weights_
        n_codes = len(self.document_language_codes)
        df = _core.bm25_group_document_frequencies(
            *_buffers(W), np.ascontiguousarray(self.document_language_index, dtype=np.int32), n_codes)
        return np.asarray(df).reshape(n_codes, W.shape[1])

    def _stop_word_idf_ratio(self, languages: tuple[str, ...],
                             frequencies: np.ndarray | None = None) -> np.ndarray | None:
        """Per term, its idf among the documents of ``languages`` over its idf in the collection
        (Lucene's formula, cached per language set); None when those are all the documents.
        ``frequencies``: _language_document_frequencies(), when already counted."""
        cache = self.__dict__.setdefault("_idf_ratios", {})
        if languages not in cache:
            wanted = [i for i, code in enumerate(self.document_language_codes) if code in languages]
            n_codes = len(self.document_language_codes)
            n_rows = int(np.bincount(self.document_language_index, minlength=n_codes)[wanted].sum())
            index = self.index
            if n_rows in (0, index.n_documents_):
                cache[languages] = None
            else:
                if frequencies is None:
                    frequencies = self._language_document_frequencies()
                df = frequencies[wanted].sum(axis=0).astype(np.float64)
                idf = np.log1p((n_rows - df + 0.5) / (df + 0.5))
                cache[languages] = idf / index.idf_
        return cache[languages]  # type: ignore[no-any-return]

    def _readings(self, text: str, language: str | None, detected: str | None) -> dict[str, dict[str, list[Any]]]:
        """The query analyzed in the language(s) it is read in, by the index's analyzer."""
        if language is not None:
            analyzer = self._analyzer(language)
            if analyzer is None:
                raise InvalidValueError(f"language={language!r} has no analyzer (stop words and stemmer)")
            return {language: analyzer.explain(text)}
        if detected is None:
            detected = detect_language(text)
        if detected in self.languages and self._analyzer(detected) is not None:
            return {detected: self._analyzer(detected).explain(text)}
        tables = {code: self._analyzer(code).explain(text) for code in self.languages
                  if self._analyzer(code) is not None}
        if len(tables) > 1:
            # Too short to identify: the language whose stop words it uses, if one stands out.
            stops = {code: sum(word in self._stop_words(code) for word in table["unelided"])
                     for code, table in tables.items()}
            best = max(stops.values())
            winners = [code for code, count in stops.items() if count == best]
            if best > 0 and len(winners) == 1:
                return {winners[0]: tables[winners[0]]}
        return tables

    def terms(self, text: str, language: str | None = None, detected: str | None = None) -> QueryTerms:
        """The index terms of one query, each weighted by how many of its words give it.

        ``detected``: the text's language by :func:`~themescope.detect_language`, when known.
        """
        if not isinstance(text, str):
            raise InvalidTypeError(f"a query must be a str, got {type(text).__name__} {text!r:.40}")
        analyzer = self.counter.analyzer
        from .analysis import Analyzer

        if not isinstance(analyzer, Analyzer) or tuple(analyzer.ngram_range) != (1, 1):
            return self._terms_by_counter(text)
        tables = self._readings(text, language, detected)
        if not tables:
            return self._terms_by_counter(text)
        # Words typed with a capital, as the analyzer writes them: "L’OTAN" -> "l'otan" (and "otan").
        names = {word.casefold().replace("’", "'") for word in _CAPITALIZED.findall(text) if word[0].isupper()}
        names |= {name.split("'", 1)[1] for name in names if "'" in name}
        index_tables = list(tables.values())
        stop_sets = [self._stop_words(code) for code in tables]
        n_words = len(index_tables[0]["segment"])
        if any(len(table["segment"]) != n_words for table in index_tables):
            raise RuntimeError(f"the analyzers segmented {text!r} differently in {sorted(tables)}")
        weights: dict[int, float] = {}
        words: dict[int, list[str]] = {}
        topical = False
        vocabulary = self.vocabulary
        ratios = self._stop_word_idf_ratio(tuple(sorted(tables)))
        first = index_tables[0]
        for i, (segment, kind, unelided) in enumerate(zip(first["segment"], first["kind"], first["unelided"])):
            as_itself = kind == "number" or segment in names or unelided in names
            if len(index_tables) == 1:  # one reading: one term at most
                column = vocabulary.get(first["term"][i]) if first["term"][i] is not None else None
                if column is None and as_itself:
                    column = vocabulary.get(unelided)
                columns = [] if column is None else [column]
            else:
                candidates = [table["term"][i] for table in index_tables if table["term"][i] is not None]
                columns = list(dict.fromkeys(c for c in map(vocabulary.get, candidates) if c is not None))
                if as_itself and not columns:
                    candidates = [table["unelided"][i] for table in index_tables if table["unelided"][i]]
                    columns = list(dict.fromkeys(c for c in map(vocabulary.get, candidates) if c is not None))
            if not columns:
                continue
            # A word that is a stop word in a reading counts (BM25's idf weighs it), but alone
            # (no content word, name or number) a query says nothing: "les et de" matches no article.
            in_stops = [table["unelided"][i] in stops for table, stops in zip(index_tables, stop_sets)]
            topical = topical or as_itself or not any(in_stops)
            # A stop word of the query's language, scored by its idf in that language's articles.
            ratio = ratios if kind != "number" and all(in_stops) else None
            for column in columns:
                weight = 1.0 if ratio is None else float(ratio[column])
                weights[column] = weights.get(column, 0.0) + weight
                words.setdefault(column, []).append(segment)
        if not topical:
            weights.clear()
        columns_sorted = np.array(sorted(weights), dtype=np.int64)
        return QueryTerms(text, tuple(tables), n_words, columns_sorted,
                          np.array([weights[c] for c in columns_sorted], dtype=np.float64), words)

    def _terms_by_counter(self, text: str) -> QueryTerms:
        row = sp.csr_array(self.counter.transform([text]), dtype=np.float64)
        row.sum_duplicates()
        names = self.counter.get_feature_names_out()
        n_words = len(text.split())
        return QueryTerms(text, (), n_words, row.indices.astype(np.int64), row.data.astype(np.float64),
                          {int(c): [str(names[c])] for c in row.indices})

    # ---- ranking ----
    def rank(self, queries: Sequence[QueryTerms], k: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 top k of analyzed queries (see :meth:`BM25Index.search`)."""
        n_terms = self.index.weights_.shape[1]
        indptr = np.cumsum([0] + [len(q.columns) for q in queries], dtype=np.int64)
        columns = np.concatenate([q.columns for q in queries]) if queries else np.zeros(0, np.int64)
        weights = np.concatenate([q.weights for q in queries]) if queries else np.zeros(0)
        Q = sp.csr_array((weights, columns, indptr), shape=(len(queries), n_terms))
        return self.index.search(Q, k)

    def explain(self, query: QueryTerms, row: int) -> pd.DataFrame:
        """Each query term's contribution to document ``row``'s BM25 score, largest first."""
        W = self.index.weights_
        start, end = int(W.indptr[row]), int(W.indptr[row + 1])
        document = dict(zip(W.indices[start:end].tolist(), W.data[start:end].tolist()))
        records = []
        for column, weight in zip(query.columns.tolist(), query.weights.tolist()):
            if column in document:
                records.append((str(self.display_names[column]), ", ".join(dict.fromkeys(query.words[column])),
                                weight, document[column], weight * document[column]))
        frame = pd.DataFrame(records, columns=["term", "query_words", "query_weight", "document_weight",
                                               "contribution"])
        return frame.sort_values(["contribution", "term"], ascending=[False, True], ignore_index=True)
