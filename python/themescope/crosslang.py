"""Matching stories across languages without embeddings or translation.

An article and its translation share few words, but much of what they report
survives translation unchanged, or nearly: the names of people, places and
bodies, numbers and dates, acronyms, and cognates (``cybersécurité`` /
``cybersecurity``). :class:`CrossLanguageFeatures` turns each document into
such language-independent features, natively (ICU, Snowball, CLD2):

``name:``
    capitalized words that do not open a sentence (a sentence-initial one counts
    when the document uses it as a name elsewhere), elided articles removed
    (``L’Inde`` -> ``name:inde``), capitalized stop words dropped;
``num:``
    numbers read the same in every locale: ``30.000``, ``30 000`` and
    ``30,000`` -> ``num:30000``, ``3,5`` -> ``num:3.5``; single digits dropped;
``acro:``
    all-capital words of 2-5 letters (``EU``, ``G7``, ``WHO``);
``cog:``
    cognate stems: the Snowball stem of each content word in its own language,
    folded and cut to ``cognate_prefix`` letters (``cybersécurité`` (fr) and
    ``cybersecurity`` (en) -> ``cog:cyberse``);
``ng:``
    character 4- and 5-grams of folded content words (``<cyb``, ``cybe``, ...).

Every key is folded with ICU's ``Any-Latin; Latin-ASCII; Lower``
transliteration; URLs and e-mail addresses give no feature. Features are
weighted by TF-IDF across the corpus, rows L2-normalised; by default only
features seen in documents of at least two languages are kept
(``min_languages``): the others cannot link a story across languages.

:func:`cross_language_vectors` joins them to the in-language TF-IDF vectors,
so that cosine similarity is ``(1 - weight) · cos(tfidf) + weight · cos(features)``.

:class:`CognateKeys` is the cheap kind, what :class:`~themescope.Explorer` adds with
``cross_language="keys"``: the cognate channel read off the terms an
:class:`~themescope.Analyzer` already made (folded stems), each cut to its first
``prefix`` letters (``documentation`` (en) and ``documentation`` (fr) give the
stems ``document`` and ``docu``, both ``cog:docu``). Fitting it costs one sparse
product of the term counts by a term -> key matrix; a new document's terms,
including those the index never saw (a French word in an English index), map to
the fitted keys. Measured on the Debian Handbook and FR/EN man pages over an index
of one language (benchmarks/eval_crosslang_index.py), it carries most of the
gain of the full features at a fraction of their cost.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _core
from .language import detect_languages
from .text import TfidfTransformer
from ._validation import InvalidValueError, check_documents, check_languages

__all__ = ["CHANNELS", "DEFAULT_WEIGHT", "KEY_WEIGHT", "CognateKeys", "CrossLanguageFeatures",
           "cross_language_vectors"]

#: The channels :class:`CrossLanguageFeatures` can extract, with their feature prefixes.
CHANNELS: dict[str, str] = {
    "names": "name:",
    "numbers": "num:",
    "acronyms": "acro:",
    "cognates": "cog:",
    "ngrams": "ng:",
}

#: Weight of the cross-language features in :func:`cross_language_vectors`,
#: chosen on the Debian Handbook FR->EN chapters and validated on the
#: gilets-jaunes press corpus (benchmarks/eval_crosslang.py).
DEFAULT_WEIGHT = 0.7

#: Weight of :class:`CognateKeys` beside the terms (``Explorer(cross_language="keys")``): terms and
#: keys count alike. Chosen with the key length (4 letters, terms of 5 or more) on the
#: Debian Handbook paragraphs over an index of one language (a sweep of 0.5-0.9 and
#: prefixes 4-7: FR->EN / EN->FR r@1 0.945 / 0.880 at 0.5, 0.939 / 0.871 at 0.7), checked
#: as it is on the Handbook chapters and the man pages (benchmarks/eval_crosslang_index.py).
KEY_WEIGHT = 0.5

_BATCH_DOCUMENTS = 65536
_UNDETERMINED = "und"


class CrossLanguageFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Language-independent features of documents, TF-IDF weighted.

    Parameters
    ----------
    channels : tuple of str, default=("names", "numbers", "acronyms", "cognates", "ngrams")
        Which features to extract, among :data:`CHANNELS` (see the module doc).
    language : str, default="auto"
        ISO 639-1 code of the documents, or ``"auto"`` to identify it per document
        (CLD2). It picks the stop words, elision rules and stemmer. A ``languages``
        argument to ``fit``/``transform`` overrides it document by document.
    cognate_prefix : int, default=7
        Cognate keys are cut to this many letters (0: whole folded stems).
    min_word_length : int, default=4
        Shortest word, in characters, that gives cognates and n-grams.
    ngram_range : tuple (min_n, max_n), default=(4, 5)
        Character n-gram sizes of the ``"ngrams"`` channel.
    min_df : int, default=2
        Features in fewer documents than this are dropped at fit: a feature in one
        document links it to nothing.
    min_languages : int, default=2
        Features seen at fit in documents of fewer languages than this are dropped
        (capped by the number of languages in the corpus, ``"und"`` not counted): a
        feature found in one language only cannot link a story across languages.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)`` instead of raw counts.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Feature -> column.
    idf_ : ndarray of shape (n_features,)
        Inverse document frequencies (smooth, as scikit-learn's).
    languages_ : tuple of str
        Languages of the fit documents (sorted, ``"und"`` included if present).

    Examples
    --------
    >>> import themescope as ts
    >>> xl = ts.CrossLanguageFeatures(channels=("names", "numbers", "cognates"), min_df=1)
    >>> F = xl.fit_transform(["L’Inde et le Japon : 30.000 experts en cybersécurité à Tokyo.",
    ...                       "India and Japan: 30,000 cybersecurity experts in Tokyo."],
    ...                      languages=["fr", "en"])
    >>> list(xl.get_feature_names_out())
    ['cog:cyberse', 'cog:expert', 'cog:tokyo', 'name:tokyo', 'num:30000']
    >>> round(float((F[[0]] @ F[[1]].T).toarray()[0, 0]), 2)
    1.0
    """

    def __init__(
        self,
        channels: Sequence[str] = ("names", "numbers", "acronyms", "cognates", "ngrams"),
        language: str = "auto",
        cognate_prefix: int = 7,
        min_word_length: int = 4,
        ngram_range: tuple[int, int] = (4, 5),
        min_df: int = 2,
        min_languages: int = 2,
        sublinear_tf: bool = True,
    ) -> None:
        self.channels = channels
        self.language = language
        self.cognate_prefix = cognate_prefix
        self.min_word_length = min_word_length
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.min_languages = min_languages
        self.sublinear_tf = sublinear_tf

    # ---- configuration ----
    def _native(self) -> _core.CrossLanguageAnalyzer:
        channels = (self.channels,) if isinstance(self.channels, str) else tuple(self.channels)
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown:
            raise ValueError(f"unknown channel {unknown[0]!r}; choose among {', '.join(CHANNELS)}")
        if not channels:
            raise ValueError(f"channels is empty; choose among {', '.join(CHANNELS)}")
        if not isinstance(self.language, str):
            raise TypeError(f"language must be a str, got {type(self.language).__name__}")
        for name in ("cognate_prefix", "min_word_length", "min_df", "min_languages"):
            value = getattr(self, name)
            lowest = 0 if name == "cognate_prefix" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise ValueError(f"{name} must be an int >= {lowest}, got {value!r}")
        ngram_range = tuple(self.ngram_range)
        if (len(ngram_range) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
                or not 1 <= ngram_range[0] <= ngram_range[1]):
            raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got {self.ngram_range!r}")
        return _core.CrossLanguageAnalyzer(
            language=self.language,
            names="names" in channels,
            numbers="numbers" in channels,
            acronyms="acronyms" in channels,
            cognates="cognates" in channels,
            ngrams="ngrams" in channels,
            cognate_prefix=self.cognate_prefix,
            min_word_length=self.min_word_length,
            ngram_range=(ngram_range[0], ngram_range[1]),
            display_forms=False,  # the features are their own display: counting surfaces is wasted work
        )

    # ---- counting ----
    def _count(
        self,
        analyzer: _core.CrossLanguageAnalyzer,
        documents: list[str],
        languages: list[str] | None,
        vocabulary: list[str] | None,
    ) -> tuple[sp.csr_array, list[str]]:
        counter = _core.TermCounter(analyzer, vocabulary)
        for start in range(0, len(documents), _BATCH_DOCUMENTS):
            stop = start + _BATCH_DOCUMENTS
            counter.add_documents(documents[start:stop], None if languages is None else languages[start:stop])
        counter.sort_vocabulary()
        names = counter.feature_names()
        data, indices, indptr, shape = counter.take_matrix("float64", False)
        counts = sp.csr_array((data, indices, indptr), shape=shape)
        return counts, names

    def _document_languages(self, documents: list[str], languages: list[str] | None) -> list[str]:
        if languages is not None:
            return languages
        if self.language != "auto":
            return [self.language] * len(documents)
        return detect_languages(documents)

    # ---- estimator API ----
    def fit(self, raw_documents: Iterable[str], y: Any = None, *, languages: Any = None) -> CrossLanguageFeatures:
        """Learn the features and their IDF from ``raw_documents``."""
        self.fit_transform(raw_documents, y, languages=languages)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: Any = None, *, languages: Any = None) -> sp.csr_array:
        """Learn the features and return the documents' weighted feature vectors.

        Parameters
        ----------
        raw_documents : iterable of str
        y : ignored
        languages : None, str or sequence of str, default=None
            The language of every document (ISO 639-1), or one for all; ``None``
            uses the ``language`` parameter.

        Returns
        -------
        scipy.sparse.csr_array of shape (n_documents, n_features)
            TF-IDF weighted, rows L2-normalised (a document without any feature is
            a row of zeros).
        """
        analyzer = self._native()
        documents = check_documents(raw_documents, name="raw_documents")
        codes = check_languages(languages, len(documents))
        counts, names = self._count(analyzer, documents, codes, None)

        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = document_frequency >= self.min_df
        document_languages = self._document_languages(documents, codes)
        self.languages_ = tuple(sorted(set(document_languages)))
        real_languages = [code for code in self.languages_ if code != _UNDETERMINED]
        needed = min(self.min_languages, len(real_languages))
        if needed > 1:
            spread = np.zeros(counts.shape[1], dtype=np.int64)
            row_languages = np.asarray(document_languages, dtype=object)
            for code in real_languages:
                rows = np.flatnonzero(row_languages == code)
                seen = np.zeros(counts.shape[1], dtype=bool)
                seen[counts[rows].indices] = True  # a mark per column: no sort of the entries
                spread += seen
            keep &= spread >= needed
        kept = np.flatnonzero(keep)
        counts = counts[:, kept]
        self.vocabulary_ = {names[column]: new for new, column in enumerate(kept)}
        self._weighting = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        if counts.shape[1] == 0:
            self.idf_ = np.zeros(0)
            return sp.csr_array(counts.shape, dtype=np.float64)
        X = self._weighting.fit_transform(counts)
        self.idf_ = self._weighting.idf_
        return sp.csr_array(X)

    def transform(self, raw_documents: Iterable[str], *, languages: Any = None) -> sp.csr_array:
        """Weighted feature vectors of documents, with the fitted features and IDF."""
        check_is_fitted(self, "vocabulary_")
        analyzer = self._native()
        documents = check_documents(raw_documents, name="raw_documents")
        codes = check_languages(languages, len(documents))
        features = self.get_feature_names_out().tolist()
        if not features:
            return sp.csr_array((len(documents), 0), dtype=np.float64)
        counts, _ = self._count(analyzer, documents, codes, features)
        return sp.csr_array(self._weighting.transform(counts))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The features, in column order (``"name:inde"``, ``"num:30000"``, ...)."""
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for feature, column in self.vocabulary_.items():
            names[column] = feature
        return names

    # ---- reading ----
    def features_of(self, text: str, language: str | None = None) -> pd.DataFrame:
        """Every feature of one document with the text it was read from.

        Examples
        --------
        >>> import themescope as ts
        >>> xl = ts.CrossLanguageFeatures(channels=("names", "numbers"))
        >>> xl.features_of("Le Quad réunit l’Inde : 30 000 experts.", "fr").values.tolist()
        [['name:quad', 'Quad'], ['name:inde', 'Inde'], ['num:30000', '30 000']]
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        pairs = self._native().features(text, language or "")
        return pd.DataFrame(pairs, columns=["feature", "surface"])

    def shared_features(
        self,
        X: Any,
        i: int,
        j: int,
        top: int = 10,
        channels: Sequence[str] = ("names", "numbers", "acronyms", "cognates"),
    ) -> pd.DataFrame:
        """The features rows ``i`` and ``j`` of ``X`` share, by their share of the cosine.

        ``X`` is a matrix this estimator returned; ``contribution`` is each feature's
        term of the cosine of the two rows. Only ``channels`` are listed (character
        n-grams, many and unreadable, are left out by default).
        """
        names = self.get_feature_names_out()
        prefixes = tuple(CHANNELS[c] for c in channels)
        X = sp.csr_array(X)
        a, b = X[[i]].toarray().ravel(), X[[j]].toarray().ravel()
        product = a * b
        shown = np.array([str(n).startswith(prefixes) for n in names], dtype=bool)
        product[~shown] = 0.0
        order = [k for k in np.argsort(-product, kind="stable")[:top] if product[k] > 0]
        return pd.DataFrame({"feature": names[order].astype(str), "contribution": product[order]})


class CognateKeys(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Cognate keys of an analyzer's terms, TF-IDF weighted: the cheap cross-language channel.

    Each term of ``analyzer`` (a folded stem) of at least ``min_term_length``
    letters, letters only, gives the key of its first ``prefix`` letters; a
    document's key counts are its term counts summed per key. Phrases, numbers and
    short terms give no key (they match, or not, as terms). Keys are weighted by
    TF-IDF across the fit documents, rows L2-normalised. At ``transform`` every
    term of a document gives its key, those the fit documents never held included:
    that is how a French word finds its English cognate in an English index; but
    not a term the fit documents held and the vocabulary left out (below
    ``min_df``: :meth:`see_terms` lists them), which gave none at fit either (so
    that ``transform`` of a fit document is its fitted row).

    Parameters
    ----------
    analyzer : Analyzer or None, default=None
        The analyzer whose terms are keyed; None: ``Analyzer(fold_accents=True)``.
        :class:`~themescope.Explorer` gives its vectorizer's fitted analyzer and
        fits on the counts it already made (:meth:`fit_counts`).
    prefix : int, default=4
        Letters of a term kept in its key.
    min_term_length : int, default=5
        Shortest term, in letters, that gives a key (shorter stems are too
        ambiguous once cut).
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)`` instead of raw counts.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Key (``"cog:docu"``) -> column.
    idf_ : ndarray of shape (n_keys,)
    term_vocabulary_ : dict of str to int
        The fit vocabulary's terms (the vectorizer's ``vocabulary_`` with
        :meth:`fit_counts`).
    unkeyed_terms_ : frozenset of str
        Terms the fit documents held outside ``term_vocabulary_``: no key at
        ``transform`` either (:meth:`see_terms`).

    Examples
    --------
    >>> import themescope as ts
    >>> keys = ts.CognateKeys()
    >>> K = keys.fit_transform(["The documentation of the configuration.", "Configure it."],
    ...                        languages=["en", "en"])
    >>> list(keys.get_feature_names_out())
    ['cog:conf', 'cog:docu']
    >>> keys.transform(["La documentation de la configuration."], languages=["fr"]).toarray().round(3).tolist()
    [[0.58, 0.815]]
    """

    def __init__(self, analyzer: Any = None, prefix: int = 4, min_term_length: int = 5,
                 sublinear_tf: bool = True) -> None:
        self.analyzer = analyzer
        self.prefix = prefix
        self.min_term_length = min_term_length
        self.sublinear_tf = sublinear_tf

    def _check(self) -> None:
        for name, lowest in (("prefix", 1), ("min_term_length", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise InvalidValueError(f"{name} must be an int >= {lowest}, got {value!r}")

    def _analyzer(self) -> Any:
        if self.analyzer is None:
            from .analysis import Analyzer

            return Analyzer(fold_accents=True)
        return self.analyzer

    def _key_columns(self, terms: Sequence[str]) -> np.ndarray:
        """Each term's key column, -1 for a term without a fitted key."""
        cut, shortest, columns = self.prefix, self.min_term_length, self.vocabulary_
        return np.fromiter(
            (columns.get("cog:" + term[:cut], -1) if len(term) >= shortest and term.isalpha() else -1
             for term in terms), dtype=np.int64, count=len(terms))

    def _key_counts(self, counts: Any, terms: Sequence[str], columns: np.ndarray | None = None) -> sp.csr_array:
        """counts (documents x terms) summed per key: one product by the term -> key matrix."""
        columns = self._key_columns(terms) if columns is None else columns
        keyed = np.flatnonzero(columns >= 0)
        to_keys = sp.csr_array((np.ones(len(keyed)), (keyed, columns[keyed])),
                               shape=(len(terms), len(self.vocabulary_)))
        key_counts = sp.csr_array(sp.csr_array(counts, dtype=np.float64) @ to_keys)
        key_counts.sort_indices()  # in place: the join after needs no sorted copy
        return key_counts

    def _count(self, raw_documents: Iterable[str], languages: Any) -> tuple[sp.csr_array, list[str], list[str]]:
        """Counts of every term of the documents, the terms, and each document's language (as
        given, else identified as the Explorer does)."""
        documents = check_documents(raw_documents, name="raw_documents")
        codes = check_languages(languages, len(documents))
        if codes is None:  # identified as the Explorer does, given to the analyzer: one answer for both
            codes = detect_languages(documents, short_sample=True)
        counter = _core.TermCounter(self._analyzer().native(), None)
        for start in range(0, len(documents), _BATCH_DOCUMENTS):
            stop = start + _BATCH_DOCUMENTS
            counter.add_documents(documents[start:stop], codes[start:stop])
        names = counter.feature_names()
        data, indices, indptr, shape = counter.take_matrix("float64", False)
        return sp.csr_array((data, indices, indptr), shape=shape), names, codes

    def fit(self, raw_documents: Iterable[str], y: Any = None, *, languages: Any = None) -> CognateKeys:
        """Learn the keys and their IDF from ``raw_documents``."""
        self.fit_transform(raw_documents, y, languages=languages)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: Any = None, *, languages: Any = None) -> sp.csr_array:
        """Learn the keys and return the documents' weighted key vectors.

        ``languages``: as in :meth:`CrossLanguageFeatures.fit_transform`.
        """
        self._check()
        counts, terms, _ = self._count(raw_documents, languages)
        return self.fit_counts(counts, {term: column for column, term in enumerate(terms)})

    def fit_counts(self, counts: Any, vocabulary: dict[str, int]) -> sp.csr_array:
        """Learn the keys from term counts ``analyzer`` already made.

        Parameters
        ----------
        counts : sparse matrix of shape (n_documents, n_terms)
        vocabulary : dict of str to int
            Term -> column of ``counts`` (a fitted vectorizer's ``vocabulary_``).
            Give the terms the documents held outside it to :meth:`see_terms`.
        """
        self._check()
        self.term_vocabulary_ = vocabulary
        self.unkeyed_terms_: frozenset[str] = frozenset()
        terms = [""] * len(vocabulary)
        for term, column in vocabulary.items():
            terms[column] = term
        cut, shortest = self.prefix, self.min_term_length
        term_keys = ["cog:" + term[:cut] if len(term) >= shortest and term.isalpha() else "" for term in terms]
        keys = sorted(set(term_keys) - {""})
        self.vocabulary_ = {key: column for column, key in enumerate(keys)}
        columns = np.fromiter((self.vocabulary_.get(key, -1) for key in term_keys), dtype=np.int64,
                              count=len(term_keys))
        key_counts = self._key_counts(counts, terms, columns)
        self._weighting = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        if not keys:
            self.idf_ = np.zeros(0)
            return sp.csr_array(key_counts.shape, dtype=np.float64)
        X = sp.csr_array(self._weighting.fit_transform(key_counts))
        self.idf_ = self._weighting.idf_
        return X

    def see_terms(self, terms: Iterable[str]) -> CognateKeys:
        """Record the terms the fit documents held, all of them (a search index's vocabulary).

        Those outside ``term_vocabulary_`` give no key at ``transform``, as they gave
        none at fit.
        """
        check_is_fitted(self, "vocabulary_")
        vocabulary = self.term_vocabulary_
        self.unkeyed_terms_ = frozenset(term for term in terms if term not in vocabulary)
        return self

    def transform(self, raw_documents: Iterable[str], *, languages: Any = None) -> sp.csr_array:
        """Weighted key vectors of documents: every term but ``unkeyed_terms_``, fitted keys and IDF."""
        check_is_fitted(self, "vocabulary_")
        counts, terms, _ = self._count(raw_documents, languages)
        if not self.vocabulary_:
            return sp.csr_array((counts.shape[0], 0), dtype=np.float64)
        unkeyed = self.__dict__.get("unkeyed_terms_", frozenset())
        if unkeyed:
            left_out = np.fromiter((term in unkeyed for term in terms), dtype=bool, count=len(terms))
            counts.data[left_out[counts.indices]] = 0.0
        return sp.csr_array(self._weighting.transform(self._key_counts(counts, terms)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The keys, in column order."""
        check_is_fitted(self, "vocabulary_")
        return np.asarray(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)


def cross_language_vectors(tfidf: Any, features: Any, weight: float = DEFAULT_WEIGHT) -> sp.csr_array:
    """Join in-language TF-IDF vectors and cross-language features.

    Each block's rows are L2-normalised, scaled by ``sqrt(1 - weight)`` and
    ``sqrt(weight)``, placed side by side, and the rows normalised again, so that
    for two documents that both have features::

        cos(joined) = (1 - weight) · cos(tfidf) + weight · cos(features)

    and a document without features keeps its TF-IDF direction.

    Parameters
    ----------
    tfidf : sparse matrix of shape (n_documents, n_terms)
    features : sparse matrix of shape (n_documents, n_features)
        From :class:`CrossLanguageFeatures`.
    weight : float in [0, 1], default=DEFAULT_WEIGHT

    Returns
    -------
    scipy.sparse.csr_array of shape (n_documents, n_terms + n_features), float64

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> import themescope as ts
    >>> tfidf = sp.csr_array(np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> features = sp.csr_array(np.array([[1.0], [1.0]]))
    >>> V = ts.cross_language_vectors(tfidf, features, weight=0.25)
    >>> round(float((V @ V.T).toarray()[0, 1]), 12)
    0.25
    """
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be a number in [0, 1], got {weight!r}")
    A = _canonical(tfidf)
    B = _canonical(features)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"tfidf has {A.shape[0]} rows and features {B.shape[0]}: "
                         "they must describe the same documents")
    # Built in place of normalize + hstack + normalize (scipy's hstack of CSR goes through
    # COO: 1 s on BBC x4): each row's two blocks end to end, scaled once.
    n = A.shape[0]
    a_rows = np.repeat(np.arange(n), np.diff(A.indptr))
    b_rows = np.repeat(np.arange(n), np.diff(B.indptr))
    a_norms = np.sqrt(np.bincount(a_rows, weights=A.data * A.data, minlength=n))
    b_norms = np.sqrt(np.bincount(b_rows, weights=B.data * B.data, minlength=n))
    a_share = (1.0 - weight) * (a_norms > 0)
    b_share = weight * (b_norms > 0)
    joined_norms = np.sqrt(a_share + b_share)
    joined_norms[joined_norms == 0] = 1.0
    a_scale = np.divide(math.sqrt(1.0 - weight), a_norms * joined_norms, out=np.zeros(n), where=a_norms > 0)
    b_scale = np.divide(math.sqrt(weight), b_norms * joined_norms, out=np.zeros(n), where=b_norms > 0)
    n_columns = A.shape[1] + B.shape[1]
    nnz = A.nnz + B.nnz
    index_dtype = np.int32 if max(n_columns, nnz) < np.iinfo(np.int32).max else np.int64
    indptr = (A.indptr.astype(index_dtype) + B.indptr.astype(index_dtype))
    a_at = np.arange(A.nnz, dtype=index_dtype) + B.indptr[a_rows].astype(index_dtype)
    b_at = np.arange(B.nnz, dtype=index_dtype) + A.indptr[b_rows + 1].astype(index_dtype)
    data = np.empty(nnz, dtype=np.float64)
    indices = np.empty(nnz, dtype=index_dtype)
    data[a_at] = A.data * a_scale[a_rows]
    data[b_at] = B.data * b_scale[b_rows]
    indices[a_at] = A.indices
    indices[b_at] = B.indices.astype(index_dtype) + A.shape[1]
    joined = sp.csr_array((data, indices, indptr), shape=(n, n_columns))
    if not data.all():  # explicit zeros given, or a block weighted 0
        joined.eliminate_zeros()
    return joined


def _canonical(X: Any) -> sp.csr_array:
    """X as float64 CSR with sorted, unique indices (a copy only when X is not already)."""
    X = sp.csr_array(X, dtype=np.float64)
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X
