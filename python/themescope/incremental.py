"""Vectorizers that grow: ``partial_fit`` and exact merges of what shards counted.

A vectorizer's fit is a function of a few statistics of its documents: the terms
in the order they were first met in, each term's document frequency and total
count, the number of documents (and, for a stemming analyzer, how often each
surface form was seen). All of them add up over shards, so the documents can be
counted a part at a time (:meth:`CountVectorizer.partial_fit
<themescope.CountVectorizer.partial_fit>`) or on several machines
(:func:`merge_vectorizers`, :mod:`themescope.dask`), and the vocabulary, its
order, ``idf_`` and every matrix are those of one ``fit`` on all the documents in
the same order, bit for bit. Pruning (``min_df``, ``max_df``, ``max_features``) and
the tf-idf weighting are applied to the merged statistics, never per shard.

The statistics are kept unpruned in :class:`TermStatistics`
(``vectorizer.term_statistics_``): that costs memory (every term seen once, even
those ``min_df`` drops) and is why a plain ``fit`` keeps none.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Iterable
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone

from . import _core

__all__ = ["TermStatistics", "merge_vectorizers"]

# Parameters applied to the merged statistics: they may change between partial
# fits, and shards counted with different values of them still merge.
_APPLIED_AFTER = frozenset({"min_df", "max_df", "max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf"})


class _NoTermsYet(ValueError):
    """The statistics so far leave no term (every document empty, or all pruned)."""


class TermStatistics:
    """What a vectorizer's partial fits counted, before any pruning.

    Attributes
    ----------
    n_documents : int
        Documents counted.
    terms : list
        Every term seen, in the order it was first met in (for a fixed
        ``vocabulary``: its terms, in column order).
    document_frequencies : ndarray of int64
        Per term, the number of documents containing it.
    term_frequencies : ndarray or None
        Per term, its total count as ``max_features`` ranks it (counts converted
        to ``dtype`` first, for bool and small int dtypes, as scikit-learn sums
        them); None when ``binary`` (``max_features`` ranks by document frequency).
    surfaces : dict or None
        ``{(term position, language, surface form): occurrences}`` for a stemming
        :class:`themescope.Analyzer` (the display forms are chosen from it, per
        language too); the language is the code the documents were counted with
        (``""`` without ``languages``, or for an analyzer of one fixed language).
    params : dict
        The counting parameters (all but pruning and weighting) they were counted with.

    Two statistics merge with :meth:`merged`, an associative operation: documents
    of ``a`` come first, those of ``b`` after.
    """

    def __init__(
        self,
        params: dict[str, Any],
        n_documents: int,
        terms: list[Any],
        document_frequencies: Any,
        term_frequencies: Any,
        surfaces: dict[tuple[int, str, str], int] | None,
    ) -> None:
        self.params = params
        self.n_documents = int(n_documents)
        self.terms = terms
        self.document_frequencies = np.asarray(document_frequencies, dtype=np.int64)
        self.term_frequencies = term_frequencies
        self.surfaces = surfaces

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Statistics pickled before display forms were chosen per language counted
        # (position, surface): their documents are of the one language "".
        surfaces = state.get("surfaces")
        if surfaces and len(next(iter(surfaces))) == 2:
            state["surfaces"] = {(position, "", surface): n for (position, surface), n in surfaces.items()}
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"TermStatistics(n_documents={self.n_documents}, n_terms={len(self.terms)})"

    def merged(self, other: TermStatistics) -> TermStatistics:
        """The statistics of this shard's documents followed by ``other``'s.

        Raises
        ------
        ValueError
            When the two were counted with different counting parameters.
        """
        if not isinstance(other, TermStatistics):
            raise TypeError(f"expected TermStatistics, got {type(other).__name__}")
        _check_same_params(self.params, other.params, "the two statistics were counted with different")
        n = len(self.terms)
        index = dict(zip(self.terms, range(n)))
        terms = list(self.terms)
        positions = np.empty(len(other.terms), dtype=np.int64)
        for k, term in enumerate(other.terms):
            position = index.get(term)
            if position is None:
                position = index[term] = len(terms)
                terms.append(term)
            positions[k] = position
        total = len(terms)
        df = np.zeros(total, dtype=np.int64)
        df[:n] = self.document_frequencies
        df[positions] += other.document_frequencies  # positions are distinct
        tf = None
        if self.term_frequencies is not None and other.term_frequencies is not None:
            tf = np.zeros(total, dtype=np.result_type(self.term_frequencies, other.term_frequencies))
            tf[:n] = self.term_frequencies
            tf[positions] += other.term_frequencies
        surfaces = None
        if self.surfaces is not None and other.surfaces is not None:
            surfaces = dict(self.surfaces)
            for (position, language, surface), count in other.surfaces.items():
                key = (int(positions[position]), language, surface)
                surfaces[key] = surfaces.get(key, 0) + count
        return TermStatistics(self.params, self.n_documents + other.n_documents, terms, df, tf, surfaces)


# ---- comparing parameters (an Analyzer, a stop list, a dtype, a callable) ----
def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, BaseEstimator):
        pa, pb = a.get_params(deep=False), b.get_params(deep=False)
        return pa.keys() == pb.keys() and all(_same(pa[k], pb[k]) for k in pa)
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    try:
        equal = a == b
    except Exception:
        return False
    return isinstance(equal, (bool, np.bool_)) and bool(equal)


def _check_same_params(a: dict[str, Any], b: dict[str, Any], what: str) -> None:
    for name in sorted(a.keys() | b.keys()):
        if name not in a or name not in b or not _same(a[name], b[name]):
            raise ValueError(
                f"{what} {name}: {a.get(name)!r:.80} and {b.get(name)!r:.80}"
            )


def _counting_params(vectorizer: Any) -> dict[str, Any]:
    params = vectorizer.get_params(deep=False)
    return copy.deepcopy({k: v for k, v in params.items() if k not in _APPLIED_AFTER})


# ---- counting one shard ----
def count_statistics(vectorizer: Any, raw_documents: Iterable[Any], languages: Any = None) -> TermStatistics:
    """The statistics of ``raw_documents`` as ``vectorizer`` counts them (nothing is fitted)."""
    if isinstance(raw_documents, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    v = vectorizer
    v._validate_ngram_range()
    v._warn_for_unused_params()
    v._validate_vocabulary()
    v._warn_for_upper_case_vocabulary()
    params = _counting_params(v)
    fixed = bool(v.fixed_vocabulary_)
    kind = v._term_frequency_kind()
    if (fixed and not v._vocabulary_is_str()) or (not fixed and v._user_callables_make_terms()):
        return _python_statistics(v, raw_documents, params, fixed, kind)
    counter = v._count(raw_documents, fixed_vocab=fixed, languages=languages, allow_empty=True)
    terms = v._fixed_vocabulary_terms() if fixed else counter.feature_names()
    df = counter.document_frequencies()
    if kind == "raw":
        tf = counter.term_frequencies()
    elif kind == "wrapped":
        columns, counts = counter.entries()
        tf = _wrapped(columns, counts, v.dtype, len(terms))
    else:
        tf = None
    surfaces: dict[tuple[Any, Any, Any], int] | None = None
    if not fixed and v._has_display_forms():
        columns, languages_of, forms, counts = counter.surface_counts()
        surfaces = {}
        for key, count in zip(zip(columns.tolist(), languages_of, forms), counts.tolist()):
            surfaces[key] = surfaces.get(key, 0) + count
    return TermStatistics(params, counter.n_documents, terms, df, tf, surfaces)


def _wrapped_term_frequencies(columns: Any, counts: Any, dtype: Any, n_columns: int) -> Any:
    """Per column, the sum of its counts each converted to ``dtype`` first (float64,
    exact): scikit-learn sums a bool or small-int matrix after the conversion."""
    values = counts.astype(np.dtype(dtype)).astype(np.float64)
    return np.bincount(columns, weights=values, minlength=n_columns)


def _wrapped(columns: Any, counts: Any, dtype: Any, n_terms: int) -> Any:
    return _wrapped_term_frequencies(np.asarray(columns), np.asarray(counts), dtype, n_terms)


def _python_statistics(v: Any, raw_documents: Iterable[Any], params: dict[str, Any], fixed: bool,
                       kind: str) -> TermStatistics:
    """Terms a user callable makes, of any hashable type (scikit-learn's counting)."""
    analyze = v.build_analyzer()
    index: dict[Any, int] = dict(v.vocabulary_) if fixed else {}
    columns: list[int] = []
    counts: list[int] = []
    n_documents = 0
    for terms in v._analyzed(analyze, raw_documents):
        row: dict[int, int] = {}
        for term in terms:
            if fixed:
                column = index.get(term)
                if column is None:
                    continue
            else:
                column = index.setdefault(term, len(index))
            row[column] = row.get(column, 0) + 1
        columns.extend(row.keys())
        counts.extend(row.values())
        n_documents += 1
    n_terms = len(index)
    column_array = np.asarray(columns, dtype=np.int64)
    count_array = np.asarray(counts, dtype=np.int64)
    df = np.bincount(column_array, minlength=n_terms).astype(np.int64)
    if kind == "raw":
        tf = np.bincount(column_array, weights=count_array, minlength=n_terms).astype(np.int64)
    elif kind == "wrapped":
        tf = _wrapped(column_array, count_array, v.dtype, n_terms)
    else:
        tf = None
    terms = v._fixed_vocabulary_terms() if fixed else list(index)
    return TermStatistics(params, n_documents, terms, df, tf, None)


# ---- from statistics to a fitted vectorizer ----
def _fitted_attributes(v: Any, stats: TermStatistics) -> dict[str, Any]:
    """vocabulary_, feature_display_names_ and _tfidf as one fit on the documents would set them.

    Raises _NoTermsYet when no term is left, ValueError for contradictory pruning.
    """
    n_doc = stats.n_documents
    attributes: dict[str, Any] = {}
    if v.fixed_vocabulary_:
        df_kept = stats.document_frequencies
        n_features = len(df_kept)
    else:
        terms = stats.terms
        if not terms:
            raise _NoTermsYet("empty vocabulary; perhaps the documents only contain stop words")
        try:
            v._document_count_limits(n_doc)
        except ValueError as error:
            if isinstance(v.max_df, Integral) and isinstance(v.min_df, Integral):
                raise  # contradictory parameters, whatever the documents
            raise _NoTermsYet(str(error)) from None  # a fraction of too few documents yet
        order = np.asarray(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.int64)
        dfs = stats.document_frequencies[order]
        tf = stats.term_frequencies
        try:
            kept = v._kept_columns(dfs, n_doc, lambda: dfs if tf is None else tf[order])
        except ValueError as error:
            raise _NoTermsYet(str(error)) from None
        column_of_term = np.empty(len(order), dtype=np.int32)
        column_of_term[order] = np.arange(len(order), dtype=np.int32)
        new_column = np.full(len(order), -1, dtype=np.int32)
        new_column[kept] = np.arange(len(kept), dtype=np.int32)
        columns = new_column[column_of_term]
        if all(type(term) is str for term in terms):
            attributes["vocabulary_"] = _core.vocabulary_dict_of(terms, columns)
        else:
            attributes["vocabulary_"] = {t: int(c) for t, c in zip(terms, columns.tolist()) if c >= 0}
        if stats.surfaces is not None:
            attributes["feature_display_names_"], attributes["feature_display_names_by_language_"] = (
                _display_forms(terms, columns, len(kept), stats.surfaces))
        df_kept = dfs[kept]
        n_features = len(kept)
    if hasattr(v, "_new_weighting"):  # a TfidfVectorizer: its idf_ from the merged document frequencies
        tfidf = v._new_weighting()
        tfidf._record_input_features(n_features)
        if tfidf.use_idf:
            dtype = np.dtype(v.dtype)
            tfidf._set_idf(df_kept, n_doc, dtype if dtype in (np.float64, np.float32) else np.dtype(np.float64))
        attributes["_tfidf"] = tfidf
    return attributes


def _display_forms(terms: list[str], columns: Any, n_kept: int,
                   surfaces: dict[tuple[int, str, str], int]) -> tuple[Any, dict[str, dict[int, str]]]:
    """Per kept column, its term's most frequent surface form, and per language the
    columns whose form in that language's documents differs, as the native counter
    chooses (``display_forms``, ``display_forms_by_language``) over all documents."""
    forms: list[str] = [""] * n_kept
    column_list = columns.tolist()
    for position, column in enumerate(column_list):
        if column >= 0:
            forms[column] = terms[position]
    corpus_wide: dict[tuple[int, str], int] = {}  # (position, surface) -> occurrences in any language
    per_language: dict[tuple[str, int, str], int] = {}  # (language, column, surface) -> occurrences
    for (position, language, surface), count in surfaces.items():
        column = column_list[position]
        if column >= 0:
            corpus_wide[(column, surface)] = corpus_wide.get((column, surface), 0) + count
            per_language[(language, column, surface)] = per_language.get((language, column, surface), 0) + count
    for (_, column), surface in _chosen_forms({("", c, s): n for (c, s), n in corpus_wide.items()}).items():
        forms[column] = surface
    by_language: dict[str, dict[int, str]] = {}
    for (language, column), surface in sorted(_chosen_forms(per_language).items()):
        if surface != forms[column]:
            by_language.setdefault(language, {})[column] = surface
    return np.asarray(forms, dtype=object), by_language


def _chosen_forms(counts: dict[tuple[str, int, str], int]) -> dict[tuple[str, int], str]:
    """Per (language, column): the word written most often whatever its case
    (``str.casefold``), then its most frequent case; ties go to the smallest in
    code point order."""
    groups: dict[tuple[str, int, str], list[tuple[int, str]]] = {}  # (language, column, word) -> spellings
    for (language, column, surface), count in counts.items():
        groups.setdefault((language, column, surface.casefold()), []).append((count, surface))
    best: dict[tuple[str, int], tuple[int, str]] = {}  # (language, column) -> (total, word) of the winner
    chosen: dict[tuple[str, int], str] = {}
    for (language, column, key), spellings in groups.items():
        total = sum(count for count, _ in spellings)
        held = best.get((language, column))
        if held is None or total > held[0] or (total == held[0] and key < held[1]):
            best[(language, column)] = (total, key)
            chosen[(language, column)] = min(spellings, key=lambda item: (-item[0], item[1]))[1]
    return chosen


_FITTED = ("vocabulary_", "feature_display_names_", "feature_display_names_by_language_", "_tfidf")


def _commit(v: Any, stats: TermStatistics) -> None:
    """Make ``v`` the vectorizer ``stats`` fit: all its attributes change, or none
    (an error leaves it as it was); with no term yet, a warning and no vocabulary_."""
    try:
        attributes = _fitted_attributes(v, stats)
    except _NoTermsYet as error:
        for name in _FITTED:
            if name != "vocabulary_" or not v.fixed_vocabulary_:
                v.__dict__.pop(name, None)
        v.term_statistics_ = stats
        warnings.warn(
            f"{error} (after {stats.n_documents} documents): the statistics are kept, and the "
            "vectorizer is fitted once documents with terms that pass the pruning are added",
            UserWarning,
            stacklevel=4,
        )
        return
    if "feature_display_names_" not in attributes:
        v.__dict__.pop("feature_display_names_", None)
        v.__dict__.pop("feature_display_names_by_language_", None)
    v.__dict__.update(attributes)
    v.term_statistics_ = stats


def partial_fit(v: Any, raw_documents: Iterable[Any], languages: Any = None) -> None:
    """What ``CountVectorizer.partial_fit`` / ``TfidfVectorizer.partial_fit`` do."""
    previous = v.__dict__.get("term_statistics_")
    if previous is None and ("_tfidf" in v.__dict__ or (
            "vocabulary_" in v.__dict__ and not v.__dict__.get("fixed_vocabulary_", False))):
        raise ValueError(
            f"this {type(v).__name__} was fitted with fit(), which keeps no statistics to add to: "
            "use partial_fit from the start (sklearn.base.clone(vectorizer) gives an unfitted copy)"
        )
    if previous is not None:
        _check_same_params(previous.params, _counting_params(v),
                           "a parameter changed since the first partial_fit; the statistics were counted with")
    if hasattr(v, "_check_params"):
        v._check_params()
    stats = count_statistics(v, raw_documents, languages)
    _commit(v, stats if previous is None else previous.merged(stats))


def merge_vectorizers(*vectorizers: Any) -> Any:
    """One vectorizer fitted on the documents of several, in the order given.

    Each vectorizer must have been fitted with ``partial_fit`` (on its own shard,
    perhaps in another process), with the same parameters. The result is a new
    vectorizer equal, in ``vocabulary_`` (its order included), ``idf_`` and every
    matrix it makes, to one ``fit`` on the concatenated shards; merges nest (as a
    tree, or one after another) to the same result, and pruning is applied to the
    merged statistics. The inputs are not modified.

    Parameters
    ----------
    *vectorizers : CountVectorizer or TfidfVectorizer
        Fitted with ``partial_fit``, all of one class and with equal parameters.

    Returns
    -------
    vectorizer
        A new one, of the same class and parameters.

    Raises
    ------
    ValueError
        No vectorizer, one not fitted with ``partial_fit``, or differing parameters.
    TypeError
        Vectorizers of different classes.

    Examples
    --------
    >>> import themescope as ts
    >>> a = ts.TfidfVectorizer().partial_fit(["the Quad summit", "cyber attack"])
    >>> b = ts.TfidfVectorizer().partial_fit(["the cyber summit"])
    >>> merged = ts.merge_vectorizers(a, b)
    >>> one = ts.TfidfVectorizer().fit(["the Quad summit", "cyber attack", "the cyber summit"])
    >>> list(merged.vocabulary_.items()) == list(one.vocabulary_.items())
    True
    >>> bool((merged.idf_ == one.idf_).all())
    True
    """
    if not vectorizers:
        raise ValueError("merge_vectorizers needs at least one vectorizer")
    first = vectorizers[0]
    for i, v in enumerate(vectorizers):
        if type(v) is not type(first):
            raise TypeError(f"vectorizer {i} is a {type(v).__name__}, vectorizer 0 a {type(first).__name__}")
        if not isinstance(v.__dict__.get("term_statistics_"), TermStatistics):
            raise ValueError(f"vectorizer {i} was not fitted with partial_fit: it has no term statistics to merge")
        _check_same_params(first.get_params(deep=False), v.get_params(deep=False),
                           f"vectorizers 0 and {i} differ in")
    stats = functools.reduce(TermStatistics.merged, (v.term_statistics_ for v in vectorizers))
    merged = clone(first)
    merged._validate_ngram_range()
    merged._validate_vocabulary()
    _commit(merged, stats)
    return merged
