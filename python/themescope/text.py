"""Drop-in replacements for scikit-learn's text vectorizers, with a native core.

``CountVectorizer``, ``TfidfVectorizer`` and ``TfidfTransformer`` subclass the
scikit-learn classes of the same names: parameters, defaults, validation,
warnings and fitted attributes are scikit-learn's own. What is replaced is the
work: reading the documents, analyzing them, counting terms, building and
pruning the vocabulary, weighting and assembling the CSR matrix run in C++ on
:func:`themescope.get_num_threads` threads with the GIL released.

Settings the native analyzer does not reproduce (a custom ``preprocessor``,
``tokenizer`` or callable ``analyzer``, a ``token_pattern`` other than the
``\\w``-run patterns) still give identical results: scikit-learn's analyzer
runs in Python and the native core counts its terms.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import text as _sk_text
from sklearn.utils.validation import check_is_fitted

from . import _core
from ._sklearn_compat import csr_class, fit_context, validate_data
from .language import checked_language_codes
from ._sparse import as_configured_sparse, csr_from_buffers
from .analysis import Analyzer, needs_phrase_fit
from .persist import Persistent
from .incremental import _wrapped_term_frequencies

__all__ = ["CountVectorizer", "TfidfTransformer", "TfidfVectorizer"]

# What detect_languages returns: an ISO 639 code, possibly with a script or region ("zh-Hant"), or "und".
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

# token_pattern values the native tokenizer reproduces: runs of `\w` of at least
# this many characters (Python 3 str patterns are Unicode whether or not (?u) is set).
_NATIVE_TOKEN_PATTERNS = {
    r"(?u)\b\w\w+\b": 2,
    r"\b\w\w+\b": 2,
    r"(?u)\b\w+\b": 1,
    r"\b\w+\b": 1,
}
# Count dtypes the native core writes directly; others are converted after.
_NATIVE_COUNT_DTYPES = ("int64", "int32", "float64", "float32")
# Documents are handed to the core in batches: a generator is never held whole.
_BATCH_DOCUMENTS = 65536
_BATCH_CHARACTERS = 64 * 1024 * 1024


def _sum_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The dtype scipy's ``X.sum(axis=0)`` returns for a matrix of ``dtype``."""
    if dtype.kind == "u" and np.can_cast(dtype, np.uint):
        return np.dtype(np.uint)
    if np.can_cast(dtype, np.int_):
        return np.dtype(np.int_)
    return dtype


def _reopened(content: Any) -> Any:
    """A file object holding ``content`` (bytes or str), as a document given with ``input="file"``."""
    return io.BytesIO(content) if isinstance(content, bytes) else io.StringIO(content)


def _with_document_index(error: UnicodeDecodeError, index: int) -> UnicodeDecodeError:
    return UnicodeDecodeError(
        error.encoding,
        error.object,
        error.start,
        error.end,
        f"{error.reason} (document {index}, byte offset {error.start})",
    )


def _names_in_column_order(vocabulary: dict[str, int]) -> np.ndarray:
    """scikit-learn's get_feature_names_out: the terms by column, as an object array.

    Placed by their column in one pass instead of sorting the (term, column)
    pairs: a fifth of the time on a vocabulary of 40,000 terms. A vocabulary
    whose columns are not 0..n-1 (set by hand), or whose terms are not all str,
    gets scikit-learn's own sort.
    """
    def sorted_like_scikit_learn() -> np.ndarray:
        return np.asarray([t for t, _ in sorted(vocabulary.items(), key=lambda item: item[1])], dtype=object)

    terms = list(vocabulary)
    # Terms other than str (a callable analyzer's tuples) take scikit-learn's path, whose
    # np.asarray turns tuples into a 2-D array: placing them one by one would not.
    if not all(type(term) is str for term in terms):
        return sorted_like_scikit_learn()
    columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
    if len(columns) and (columns.min() < 0 or columns.max() >= len(columns)):
        return sorted_like_scikit_learn()
    names = np.empty(len(vocabulary), dtype=object)
    names[columns] = terms
    if np.bincount(columns, minlength=len(columns)).max(initial=1) > 1:  # a column given twice
        return sorted_like_scikit_learn()
    return names


class CountVectorizer(Persistent, _sk_text.CountVectorizer):  # type: ignore[misc]  # scikit-learn is untyped
    __doc__ = (
        "Convert a collection of text documents to a matrix of token counts.\n\n"
        "A drop-in replacement for :class:`sklearn.feature_extraction.text.CountVectorizer`"
        " (same parameters, attributes and results) whose analysis and counting run\n"
        "natively on several threads. See scikit-learn's documentation for the parameters.\n\n"
        "Examples\n--------\n"
        ">>> import themescope as ts\n"
        ">>> cv = ts.CountVectorizer()\n"
        ">>> X = cv.fit_transform([\"L'OTAN et l'Inde\", \"the Quad summit\"])\n"
        ">>> cv.get_feature_names_out().tolist()\n"
        "['et', 'inde', 'otan', 'quad', 'summit', 'the']\n"
        ">>> X.toarray().tolist()\n"
        "[[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]]\n"
    )

    # ---- estimator API (scikit-learn's signatures) ----
    @fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, raw_documents: Iterable[Any], y: Any = None, *, languages: Any = None) -> Any:
        """Learn the vocabulary and return the document-term matrix.

        ``languages``, optional: each document's language code, when already
        known (:func:`themescope.detect_languages`); an ``Analyzer(language="auto")``
        then uses it instead of identifying the language again. Other analyzers
        ignore it.
        """
        return self._fit_transform(raw_documents, None, languages)[0]

    @fit_context(prefer_skip_nested_validation=True)
    def _fit_transform_weighted(
        self, raw_documents: Iterable[Any], weighting: Any, languages: Any = None
    ) -> tuple[Any, bool]:
        """fit_transform, and for TfidfVectorizer also its TfidfTransformer's fit and
        transform when they can be done natively as the counts are handed over
        (float dtype, learned vocabulary): returns (X, whether X is weighted)."""
        return self._fit_transform(raw_documents, weighting, languages)

    def _fit_transform(self, raw_documents: Iterable[Any], weighting: Any, languages: Any = None) -> tuple[Any, bool]:
        if isinstance(raw_documents, str):
            raise ValueError(
                "Iterable over raw text documents expected, string object received."
            )
        self.__dict__.pop("term_statistics_", None)  # a fit starts afresh: no partial statistics to add to
        self._validate_ngram_range()
        self._warn_for_unused_params()
        self._validate_vocabulary()
        self._warn_for_upper_case_vocabulary()
        if self.fixed_vocabulary_ and not self._vocabulary_is_str():
            return _sk_text.CountVectorizer.fit_transform(self, raw_documents), False
        if not self.fixed_vocabulary_ and self._user_callables_make_terms():
            raw_documents, other_terms = self._peek_term_types(raw_documents)
            if other_terms:
                X = _sk_text.CountVectorizer.fit_transform(self, raw_documents)
                X.sort_indices()  # our promise: indices sorted within rows
                return X, False
        counter = self._count(raw_documents, fixed_vocab=self.fixed_vocabulary_, languages=languages)
        self.__dict__.pop("feature_display_names_", None)
        self.__dict__.pop("feature_display_names_by_language_", None)
        if self.fixed_vocabulary_:
            return self._matrix(counter), False
        names, columns, df = self._prune(counter)
        if not self._has_display_forms():
            # Their str objects are made: the native copies need not live on
            # beside the matrix and vocabulary_ (less peak memory).
            counter.release_terms()
        weights = (
            weighting._weights_for_counts(df, counter.n_documents, self.dtype)
            if weighting is not None
            else None
        )
        del df
        if _core.get_num_threads() == 1:
            self._learn_vocabulary(counter, names, columns)
            return self._matrix_of(*self._take_buffers(counter, weights)), weights is not None
        # The matrix is assembled (and weighed) on a native thread while this
        # one builds vocabulary_, Python objects that need the GIL: two cores at
        # work.
        pending = self._take_buffers(counter, weights, start=True)
        try:
            self._learn_vocabulary(counter, names, columns)
        except BaseException:
            del pending  # waits for its thread; the matrix is not to live on in the traceback
            raise
        return self._matrix_of(*pending.result()), weights is not None

    def _warn_for_upper_case_vocabulary(self) -> None:
        if self.fixed_vocabulary_ and self.lowercase:
            for term in self.vocabulary:
                if any(map(str.isupper, term)):
                    warnings.warn(  # noqa: B028 (no stacklevel, as scikit-learn's own warning)
                        "Upper case characters found in"
                        " vocabulary while 'lowercase'"
                        " is True. These entries will not"
                        " be matched with any documents"
                    )
                    break

    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, raw_documents: Iterable[Any], y: Any = None, *, languages: Any = None) -> Any:
        """Add documents to what the vectorizer has learned: vocabulary, document frequencies, idf.

        After any sequence of ``partial_fit`` calls, ``vocabulary_`` (its order
        included), ``idf_`` and ``transform(docs)`` are, bit for bit, those of one
        ``fit`` on all the documents in the order they were added; pruning
        (``min_df``, ``max_df``, ``max_features``) is applied to the statistics of
        all of them (kept unpruned in ``term_statistics_``, a
        :class:`themescope.incremental.TermStatistics`). Vectorizers partially
        fitted on separate shards combine with :func:`themescope.merge_vectorizers`.

        The counting parameters (analyzer, n-grams, dtype...) may not change
        between calls; ``min_df``, ``max_df``, ``max_features`` and the weighting
        may. A vectorizer fitted with ``fit`` (which keeps no statistics) raises
        ``ValueError`` here. While no term passes the pruning yet, a
        ``UserWarning`` says so and ``vocabulary_`` is absent. ``languages``: see
        :meth:`fit_transform`.

        Examples
        --------
        >>> import themescope as ts
        >>> cv = ts.CountVectorizer(min_df=2)
        >>> cv = cv.partial_fit(["cyber attack", "cyber summit"]).partial_fit(["Quad summit"])
        >>> cv.get_feature_names_out().tolist()
        ['cyber', 'summit']
        >>> cv.term_statistics_.n_documents
        3
        """
        from . import incremental

        incremental.partial_fit(self, raw_documents, languages)
        return self

    def _has_display_forms(self) -> bool:
        return isinstance(self.analyzer, Analyzer) and self.analyzer.stem

    def _learn_vocabulary(self, counter: Any, names: list[str], columns: Any) -> None:
        # Built natively, a third of the time of a comprehension, in the order
        # the terms were first met in, whatever the thread count: scikit-learn's
        # order too, except where n-grams of several lengths are made at once
        # ("word" and "char" with ngram_range (1, 2), say), which the native
        # analyzers emit position by position.
        self.vocabulary_ = _core.vocabulary_dict_of(names, columns)
        if self._has_display_forms():
            forms, self.feature_display_names_by_language_ = counter.display_forms_with_languages()
            self.feature_display_names_ = np.asarray(forms, dtype=object)

    def get_feature_names_out(self, input_features: Any = None, *, display: bool = False,
                              language: str | None = None) -> Any:
        """Output feature names: the terms, or with ``display=True`` what people read.

        With ``analyzer=ts.Analyzer(stem=True)`` the terms are stems; ``display=True``
        gives, per column, the term's most frequent surface form in the fitted
        documents ("cybersécurité", not "cybersécur"). Otherwise both are the same.
        ``language`` (with ``display=True``): the most frequent form in the fitted
        documents of that language (the ``languages`` codes given to fit), where the
        term occurs in them: an accent-folded term shared by French and English
        shows "cybersecurity" in English and "cybersécurité" in French.
        """
        self._check_vocabulary()  # scikit-learn's errors: not fitted, empty vocabulary
        if display and "feature_display_names_" in self.__dict__:
            names = self.feature_display_names_.copy()
            # fitted before display forms were chosen per language: no forms of its own
            own = self.__dict__.get("feature_display_names_by_language_", {}).get(language, {})
            if own:
                names[np.fromiter(own.keys(), dtype=np.int64)] = list(own.values())
            return names
        return _names_in_column_order(self.vocabulary_)

    def transform(self, raw_documents: Iterable[Any], *, languages: Any = None) -> Any:
        """Transform documents to a document-term matrix with the fitted vocabulary.

        ``languages``: as in :meth:`fit_transform`.
        """
        if isinstance(raw_documents, str):
            raise ValueError(
                "Iterable over raw text documents expected, string object received."
            )
        self._check_vocabulary()
        if not self._vocabulary_is_str():
            return _sk_text.CountVectorizer.transform(self, raw_documents)
        return self._matrix(self._count(raw_documents, fixed_vocab=True, languages=languages))

    # ---- native plumbing ----
    def _native_analyzer(self) -> Any:
        """The native analyzer equivalent to the configured one, or None."""
        if isinstance(self.analyzer, Analyzer):
            return self.analyzer.native()
        if callable(self.analyzer) or self.preprocessor is not None:
            return None
        if callable(self.strip_accents):
            return None
        min_n, max_n = self.ngram_range
        if not (type(min_n) is int and type(max_n) is int and min_n >= 1):
            # n-gram ranges scikit-learn accepts but treats oddly ((0, n) yields
            # empty-string n-grams, (1.0, 2) a TypeError): its analyzer decides.
            return None
        strip_accents = self.strip_accents or None
        stop_words = None
        min_token_length = 2
        if self.analyzer == "word":
            if self.tokenizer is not None:
                return None
            if self.token_pattern not in _NATIVE_TOKEN_PATTERNS:
                return None
            min_token_length = _NATIVE_TOKEN_PATTERNS[self.token_pattern]
            stop = self.get_stop_words()
            if stop is not None:
                if not all(isinstance(w, str) for w in stop):
                    return None
                stop_words = sorted(stop)
        return _core.TextAnalyzer(
            kind=self.analyzer,
            lowercase=bool(self.lowercase),
            strip_accents=strip_accents,
            min_token_length=min_token_length,
            ngram_range=tuple(self.ngram_range),
            stop_words=stop_words,
        )

    def _fixed_vocabulary_terms(self) -> list[Any]:
        # Rebuilt at every call, O(vocabulary): scikit-learn reads vocabulary_ at
        # every transform, so an edit made in place must take effect.
        terms: list[Any] = [None] * len(self.vocabulary_)
        for term, index in self.vocabulary_.items():
            terms[index] = term
        return terms

    def _vocabulary_is_str(self) -> bool:
        return all(type(term) is str for term in self.vocabulary_)

    def _user_callables_make_terms(self) -> bool:
        if isinstance(self.analyzer, Analyzer):
            return False  # native, str terms
        return callable(self.analyzer) or (self.analyzer == "word" and self.tokenizer is not None)

    def _peek_term_types(self, raw_documents: Iterable[Any]) -> tuple[Iterable[Any], bool]:
        """Analyze the first document with terms: does a user callable produce non-str terms?

        scikit-learn takes any hashable term from a callable analyzer or
        tokenizer; the native counter takes str. Returns the documents (the
        first one put back) and whether its terms are not all str.
        """
        iterator = iter(raw_documents)
        analyze = self.build_analyzer()
        seen: list[Any] = []

        def recorded() -> Iterator[Any]:
            for document in iterator:
                if self.input == "file":
                    # A file object is spent once read: analyze and put back copies of its content.
                    content = document.read()
                    seen.append(_reopened(content))
                    yield _reopened(content)
                    continue
                seen.append(document)
                yield document

        # Up to the first document with a term (a leading empty one tells nothing).
        for terms in self._analyzed(analyze, recorded()):
            if terms:
                return itertools.chain(seen, iterator), any(type(term) is not str for term in terms)
        return seen, False

    def _decoded(self, document: Any, index: int) -> str:
        """One document as str (scikit-learn's decode), or a clear error."""
        try:
            text = self.decode(document)
        except UnicodeDecodeError as error:
            raise _with_document_index(error, index) from None
        if not isinstance(text, str):
            raise TypeError(
                f"document {index} is {type(text).__name__} ({text!r:.40}), "
                "expected str or bytes"
            )
        return text

    def _batches(self, raw_documents: Iterable[Any]) -> Iterator[list[str]]:
        """Documents as lists of str, a bounded batch at a time."""
        iterator = iter(raw_documents)
        index = 0
        while True:
            batch = list(itertools.islice(iterator, _BATCH_DOCUMENTS))
            if not batch:
                return
            if self.input != "content" or set(map(type, batch)) != {str}:
                batch = [self._decoded(d, index + k) for k, d in enumerate(batch)]
            index += len(batch)
            if sum(map(len, batch)) < _BATCH_CHARACTERS:
                yield batch
                continue
            # Split very large batches so that at most ~64 M characters are queued.
            start = 0
            size = 0
            for k, text in enumerate(batch):
                size += len(text)
                if size >= _BATCH_CHARACTERS:
                    yield batch[start : k + 1]
                    start, size = k + 1, 0
            if start < len(batch):
                yield batch[start:]

    def _analyzed(self, analyze: Any, raw_documents: Iterable[Any]) -> Iterator[Any]:
        # Without user callables that might accept other objects, a document must
        # be str or bytes: say so as the native path does, not with an
        # AttributeError from deep inside the analyzer.
        check_types = (
            self.input == "content" and not callable(self.analyzer) and self.preprocessor is None
        )
        for index, document in enumerate(raw_documents):
            if check_types and type(document) is not str:
                document = self._decoded(document, index)
            try:
                yield analyze(document)
            except UnicodeDecodeError as error:
                raise _with_document_index(error, index) from None
            except Exception as error:
                if hasattr(error, "add_note"):
                    error.add_note(f"while analyzing document {index}")
                raise

    def _count(
        self, raw_documents: Iterable[Any], fixed_vocab: bool, languages: Any = None, *, allow_empty: bool = False
    ) -> Any:
        # scikit-learn's analyzer is built even on the native path: building it
        # validates the settings and emits scikit-learn's warnings.
        analyze = self.build_analyzer()
        batches: Iterable[list[str]] = self._batches(raw_documents)
        if not fixed_vocab and needs_phrase_fit(self.analyzer) and not (
                allow_empty and "phrases_" in self.analyzer.__dict__):
            # The phrase stage learns from the whole corpus before counting (a partial_fit
            # learns from its first batch and keeps those phrases).
            batches = list(batches)
            self.analyzer.fit(list(itertools.chain.from_iterable(batches)), languages=languages)
        native = self._native_analyzer()
        vocabulary = self._fixed_vocabulary_terms() if fixed_vocab else None
        counter = _core.TermCounter(native or _core.TextAnalyzer(), vocabulary)
        if native is not None and languages is not None:
            codes = checked_language_codes(languages)
            for i, code in enumerate(codes):
                # the analyzer would run without stop words or stems for a code it does not know
                if not _LANGUAGE_CODE.fullmatch(code):
                    raise ValueError(
                        f"language {i} is {code!r:.80}: expected an ISO 639 code such as 'fr' "
                        "(what themescope.detect_languages returns), or 'und'"
                    )
            done = 0
            for batch in batches:
                if done + len(batch) > len(codes):
                    raise ValueError(f"languages has {len(codes)} codes for more documents")
                counter.add_documents(batch, codes[done : done + len(batch)])
                done += len(batch)
            if done != len(codes):
                raise ValueError(f"languages has {len(codes)} codes for {done} documents")
        elif native is not None:
            for batch in batches:
                counter.add_documents(batch)
        else:
            counter.add_analyzed_documents(self._analyzed(analyze, raw_documents))
        if not fixed_vocab and not allow_empty and counter.vocabulary_size == 0:
            raise ValueError(
                "empty vocabulary; perhaps the documents only contain stop words"
            )
        return counter

    def _prune(self, counter: Any) -> tuple[list[str], Any, Any]:
        """Sort the vocabulary and apply min_df, max_df and max_features.

        The O(vocabulary) choice of columns is made with numpy exactly as
        scikit-learn makes it (its max_features tie order is numpy's argsort);
        the O(entries) work of dropping them is native.

        Returns the terms in the order they were first met in, the column of
        each (-1: pruned) and the document frequency of each column.
        """
        n_doc = counter.n_documents
        self._document_count_limits(n_doc)  # its error before the O(vocabulary) sort
        # With two threads, the terms are sorted natively while their str objects are made.
        names, order, dfs = counter.sort_terms_with_names()
        column_of_term = np.empty(len(order), dtype=np.int32)
        column_of_term[order] = np.arange(len(order), dtype=np.int32)

        def term_frequencies() -> Any:
            kind = self._term_frequency_kind()
            if kind == "df":
                return dfs
            if kind == "wrapped":
                columns, counts = counter.entries()
                return _wrapped_term_frequencies(columns, counts, self.dtype, len(dfs))
            return counter.term_frequencies()

        kept = self._kept_columns(dfs, n_doc, term_frequencies)
        if len(kept) == len(dfs):
            return names, column_of_term, dfs
        counter.keep_columns(kept.astype(np.int32))
        new_column = np.full(len(dfs), -1, dtype=np.int32)
        new_column[kept] = np.arange(len(kept), dtype=np.int32)
        return names, new_column[column_of_term], dfs[kept]

    def _document_count_limits(self, n_doc: int) -> tuple[float, float]:
        """(max, min) document counts a kept term may have; min_df and max_df as counts."""
        max_df, min_df = self.max_df, self.min_df
        max_doc_count = max_df if isinstance(max_df, Integral) else max_df * n_doc
        min_doc_count = min_df if isinstance(min_df, Integral) else min_df * n_doc
        if max_doc_count < min_doc_count:
            raise ValueError("max_df corresponds to < documents than min_df")
        return float(max_doc_count), float(min_doc_count)

    def _term_frequency_kind(self) -> str:
        """What max_features ranks terms by, as scikit-learn sums the matrix: "df"
        (binary), "wrapped" (counts converted to a bool or small int dtype, wrapped
        around, before they are added up) or "raw" (the counts)."""
        dtype = np.dtype(self.dtype)
        if self.binary:
            return "df"
        if dtype.kind == "b" or (dtype.kind in "iu" and dtype.itemsize < 4):
            return "wrapped"
        return "raw"

    def _kept_columns(self, dfs: Any, n_doc: int, term_frequencies: Any) -> Any:
        """The columns (in term order) min_df, max_df and max_features keep.

        ``dfs``: each column's document frequency; ``term_frequencies()``: its
        total as ``_term_frequency_kind`` says, asked for only when max_features
        has to choose. The choice is made with numpy exactly as scikit-learn makes
        it (its max_features tie order is numpy's argsort).
        """
        max_doc_count, min_doc_count = self._document_count_limits(n_doc)
        mask = (dfs <= max_doc_count) & (dfs >= min_doc_count)
        limit = self.max_features
        if limit is not None and mask.sum() > limit:
            tfs = term_frequencies().astype(_sum_dtype(np.dtype(self.dtype)), copy=False)
            mask_inds = (-tfs[mask]).argsort()[:limit]
            new_mask = np.zeros(len(dfs), dtype=bool)
            new_mask[np.where(mask)[0][mask_inds]] = True
            mask = new_mask
        kept = np.flatnonzero(mask)
        if len(kept) == 0:
            raise ValueError(
                "After pruning, no terms remain. Try a lower min_df or a higher max_df."
            )
        return kept

    def _matrix(self, counter: Any) -> Any:
        return self._matrix_of(*self._take_buffers(counter))

    def _take_buffers(self, counter: Any, weights: dict[str, Any] | None = None, *, start: bool = False) -> Any:
        """The matrix as (data, indices, indptr, shape), or with start=True, a
        pending one (on a native thread) whose result() gives them."""
        dtype = np.dtype(self.dtype)
        native_dtype = dtype.name if dtype.name in _NATIVE_COUNT_DTYPES else "int64"
        take = counter.start_take_matrix if start else counter.take_matrix
        if weights:
            return take(native_dtype, bool(self.binary), weigh=True, **weights)
        return take(native_dtype, bool(self.binary))

    def _matrix_of(self, data: Any, indices: Any, indptr: Any, shape: Any) -> Any:
        dtype = np.dtype(self.dtype)
        if data.dtype != dtype:
            # scikit-learn converts with scipy (dtype=self.dtype): same values, same errors.
            return csr_from_buffers(data, indices, indptr, shape, dtype=dtype)
        return csr_from_buffers(data, indices, indptr, shape)


# auto_wrap_output_keys=None, as scikit-learn's own class says: a subclass would otherwise get
# set_output (sparse output cannot be wrapped in a DataFrame), which scikit-learn's does not have.
class TfidfTransformer(_sk_text.TfidfTransformer, auto_wrap_output_keys=None):  # type: ignore[misc,call-arg]
    __doc__ = (
        "Transform a count matrix to a normalized tf or tf-idf representation.\n\n"
        "A drop-in replacement for :class:`sklearn.feature_extraction.text.TfidfTransformer`;"
        "\nthe weighting runs natively, row-parallel, in place on the CSR buffers.\n\n"
        "Examples\n--------\n"
        ">>> import numpy as np, themescope as ts\n"
        ">>> counts = np.array([[3, 0, 1], [2, 0, 0], [3, 0, 0]])\n"
        ">>> tfidf = ts.TfidfTransformer().fit(counts)\n"
        ">>> np.round(tfidf.idf_, 4).tolist()\n"
        "[1.0, 2.3863, 1.6931]\n"
    )

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any = None) -> TfidfTransformer:
        """Learn the idf vector (global term weights)."""
        X = validate_data(self, X, accept_sparse=("csr", "csc"))
        if not sp.issparse(X):
            X = sp.csr_array(X)
        self._fit_idf(X)
        return self

    def _fit_idf(self, X: Any) -> None:
        dtype = X.dtype if X.dtype in (np.float64, np.float32) else np.dtype(np.float64)
        if self.use_idf:
            n_samples, n_features = X.shape
            if X.format == "csr":
                df = _core.document_frequency(X.indices, n_features)
            else:
                df = np.diff(X.indptr)
            self._set_idf(df, n_samples, dtype)

    def _set_idf(self, df: Any, n_samples: int, dtype: Any) -> None:
        # The O(n_features) formula in numpy, operation for operation as
        # scikit-learn does it: the same float32 rounding and, for a term in
        # no document without smoothing, the same inf and RuntimeWarning.
        df = df.astype(dtype, copy=False)
        df += float(self.smooth_idf)
        n_samples += int(self.smooth_idf)
        idf = np.full_like(df, fill_value=n_samples, dtype=dtype)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        self.idf_ = idf

    def _record_input_features(self, n_features: int) -> None:
        """What validate_data records when fit sees an array (no feature names)."""
        self.n_features_in_ = n_features
        self.__dict__.pop("feature_names_in_", None)

    def _weights_for_counts(self, df: Any, n_samples: int, dtype: Any) -> dict[str, Any] | None:
        """fit() on a count matrix the vectorizer is about to hand over, from its
        document frequencies; returns the native weighting's arguments, or None
        when the matrix is not float (scikit-learn's code then weighs it).

        The matrix's counts are all >= 1, so the in-place weighting applies
        (_weighs_in_place) whatever sublinear_tf.
        """
        dtype = np.dtype(dtype)
        if dtype not in (np.float64, np.float32) or not len(df) or not n_samples:
            return None
        self._record_input_features(len(df))
        if self.use_idf:
            self._set_idf(df, n_samples, dtype)
        return {
            "idf": self.idf_ if self.use_idf else None,
            "sublinear_tf": bool(self.sublinear_tf),
            "norm": self.norm,
        }

    def _fit_transform_fresh(self, X: Any) -> Any:
        """``fit(X)`` then ``transform(X, copy=False)`` for a matrix the vectorizer
        has just made: non-empty CSR, float, and ``_weighs_in_place`` its data.

        The same results without validating it twice (each validation scans every
        value for NaN and infinity, which the native counter never writes).
        """
        self._record_input_features(X.shape[1])
        self._fit_idf(X)
        return self._weigh_in_place(X)

    def _weighs_in_place(self, data: Any) -> bool:
        """Whether the native weighting takes these CSR values in place.

        Rare inputs (strided or read-only buffers, log of values <= 0) go to
        scikit-learn's own code: same in-place writes, errors and numpy warnings.
        """
        return bool(
            data.flags.c_contiguous
            and data.flags.writeable
            and data.dtype.isnative
            and not (self.sublinear_tf and data.size and not data.min() > 0)
        )

    def _weigh_in_place(self, X: Any) -> Any:
        idf = self.idf_ if hasattr(self, "idf_") else None
        _core.tfidf_in_place(
            X.data, X.indices, X.indptr, X.shape[1], idf, bool(self.sublinear_tf), self.norm
        )
        return as_configured_sparse(X)

    def transform(self, X: Any, copy: bool = True) -> Any:
        """Transform a count matrix to a tf or tf-idf representation."""
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            copy=copy,
            reset=False,
        )
        if not sp.issparse(X):
            # The class scikit-learn's transform makes of a dense X (csr_matrix before 1.9).
            X = csr_class()(X, dtype=X.dtype)
        if not self._weighs_in_place(X.data):
            return super().transform(X, copy=False)
        return self._weigh_in_place(X)


class TfidfVectorizer(CountVectorizer, _sk_text.TfidfVectorizer):  # type: ignore[misc]
    __doc__ = (
        "Convert a collection of raw documents to a matrix of TF-IDF features.\n\n"
        "A drop-in replacement for :class:`sklearn.feature_extraction.text.TfidfVectorizer`"
        " (same parameters, attributes and results): native counting followed by\n"
        "native weighting, in place. See scikit-learn's documentation for the parameters.\n\n"
        "Examples\n--------\n"
        ">>> import themescope as ts\n"
        ">>> docs = ts.datasets.load_sample_articles().data\n"
        ">>> X = ts.TfidfVectorizer(sublinear_tf=True).fit_transform(docs)\n"
        ">>> X.shape[0]\n"
        "5\n"
    )

    def _new_weighting(self) -> TfidfTransformer:
        return TfidfTransformer(
            norm=self.norm,
            use_idf=self.use_idf,
            smooth_idf=self.smooth_idf,
            sublinear_tf=self.sublinear_tf,
        )

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, raw_documents: Iterable[Any], y: Any = None, *, languages: Any = None) -> TfidfVectorizer:
        """Learn vocabulary and idf from training set (``languages``: see :meth:`fit_transform`)."""
        self._check_params()
        self._warn_for_unused_params()
        self._tfidf = self._new_weighting()
        X = CountVectorizer.fit_transform(self, raw_documents, languages=languages)
        self._tfidf.fit(X)
        return self

    def fit_transform(self, raw_documents: Iterable[Any], y: Any = None, *, languages: Any = None) -> Any:
        """Learn vocabulary and idf, return the TF-IDF document-term matrix.

        ``languages``, optional: each document's language code, when already
        known (:func:`themescope.detect_languages`); an ``Analyzer(language="auto")``
        then uses it instead of identifying the language again. Other analyzers
        ignore it.
        """
        self._check_params()
        self._tfidf = self._new_weighting()
        X, weighted = self._fit_transform_weighted(raw_documents, self._tfidf, languages)
        if weighted:  # fitted and weighed natively as the counts were handed over
            return X
        if (
            X.format == "csr"
            and min(X.shape) > 0  # else scikit-learn's validation has an error to raise
            and X.data.dtype in (np.float64, np.float32)
            and self._tfidf._weighs_in_place(X.data)
        ):
            # X is our own fresh matrix: weigh it in place.
            return self._tfidf._fit_transform_fresh(X)
        self._tfidf.fit(X)
        return self._tfidf.transform(X, copy=False)

    def fit_transform_with_counts(
        self, raw_documents: Iterable[Any], *, languages: Any = None
    ) -> tuple[Any, Any]:
        """Learn vocabulary and idf; return the TF-IDF matrix and the term counts it was made from.

        One analysis and counting pass for both (``fit_transform`` followed by
        ``CountVectorizer(vocabulary=vectorizer.vocabulary_).transform`` would
        analyze every document twice); ``languages``: see :meth:`fit_transform`. The counts are in ``dtype``, as
        ``CountVectorizer(dtype=self.dtype)`` counts them.

        Examples
        --------
        >>> import themescope as ts
        >>> docs = ["cyber attack attack", "attack news"]
        >>> tfidf, counts = ts.TfidfVectorizer().fit_transform_with_counts(docs)
        >>> int(counts.sum()), counts.shape
        (5, (2, 3))
        >>> bool((tfidf != ts.TfidfVectorizer().fit_transform(docs)).nnz == 0)
        True
        """
        self._check_params()
        self._tfidf = self._new_weighting()
        counts = CountVectorizer.fit_transform(self, raw_documents, languages=languages)
        tfidf = counts.astype(counts.dtype, copy=True)
        if (
            tfidf.format == "csr"
            and min(tfidf.shape) > 0
            and tfidf.data.dtype in (np.float64, np.float32)
            and self._tfidf._weighs_in_place(tfidf.data)
        ):
            return self._tfidf._fit_transform_fresh(tfidf), counts
        self._tfidf.fit(tfidf)
        return self._tfidf.transform(tfidf, copy=False), counts

    def transform(self, raw_documents: Iterable[Any], *, languages: Any = None) -> Any:
        """Transform documents to a TF-IDF document-term matrix (``languages``: see :meth:`fit_transform`)."""
        check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
        X = CountVectorizer.transform(self, raw_documents, languages=languages)
        return self._tfidf.transform(X, copy=False)
