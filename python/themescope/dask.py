"""Vectorizers and top-k similarity over Dask collections, on a cluster, with one process's results.

``themescope.dask.CountVectorizer`` and ``TfidfVectorizer`` take the parameters of
:class:`themescope.TfidfVectorizer` (scikit-learn's) and fit and transform a
``dask.dataframe`` Series or a ``dask.bag`` of str: each partition is counted
natively on its worker, the partitions' term statistics are merged as a tree
(:mod:`themescope.incremental`), and ``transform`` gives a ``dask.array`` of
``scipy.sparse`` CSR blocks, one per partition. Its ``.compute()`` equals,
bit for bit, ``themescope.TfidfVectorizer(same parameters).fit_transform`` on all
the documents in order; the fitted vectorizer is a ``themescope`` one (it also
transforms plain lists, saves and loads). :func:`top_k_similar` shards a matrix,
computes the exact top k of each pair of shards on the workers and merges them:
equal to :func:`themescope.top_k_similar` in one process.

Needs the ``dask`` extra: ``pip install 'themescope[dask]'``.

Examples
--------
>>> import dask.bag as db
>>> import themescope as ts
>>> import themescope.dask as tsd
>>> docs = ["the Quad summit", "cyber attack on a bank", "the cyber summit", "a bank"]
>>> bag = db.from_sequence(docs, npartitions=2)
>>> vectorizer = tsd.TfidfVectorizer().fit(bag)
>>> X = vectorizer.transform(bag)            # a dask.array, one CSR block per partition
>>> local = ts.TfidfVectorizer().fit_transform(docs)
>>> bool((X.compute() != local).nnz == 0)
True
>>> indices, scores = tsd.top_k_similar(X, k=1)
>>> indices.ravel().tolist() == ts.top_k_similar(local, k=1)[0].ravel().tolist()
True
"""

from __future__ import annotations

import copy
import numbers
from typing import Any

import numpy as np

try:
    import dask
    import dask.array as da
    import dask.bag as db
    import dask.dataframe as dd
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "themescope.dask needs Dask: pip install 'themescope[dask]'"
    ) from error

from sklearn.base import clone

from . import incremental
from . import text as _text
from .similarity import top_k_similar as _top_k_similar

__all__ = ["CountVectorizer", "TfidfVectorizer", "top_k_similar"]


def _partitions(documents: Any) -> list[Any]:
    """The delayed partitions of a dask Series or Bag of str, in order."""
    if isinstance(documents, dd.DataFrame):
        raise TypeError(
            "expected a dask.dataframe Series or a dask.bag of str, got a dask DataFrame: "
            "select its text column (frame['text'])"
        )
    if not isinstance(documents, (dd.Series, db.Bag)):
        raise TypeError(
            f"expected a dask.dataframe Series or a dask.bag of str, got {type(documents).__name__}; "
            "for documents in memory, use themescope.CountVectorizer / TfidfVectorizer"
        )
    return list(documents.to_delayed())


def _as_list(partition: Any) -> list[Any]:
    return partition.tolist() if hasattr(partition, "tolist") else list(partition)


def _count(vectorizer: Any, partition: Any) -> incremental.TermStatistics:
    """One partition's term statistics (on a worker)."""
    return incremental.count_statistics(vectorizer, _as_list(partition))


def _merge(a: incremental.TermStatistics, b: incremental.TermStatistics) -> incremental.TermStatistics:
    return a.merged(b)


def _tree(items: list[Any], combine: Any) -> Any:
    """Combine neighbours pairwise, level by level (order kept): a tree of depth log2(n)."""
    while len(items) > 1:
        paired = [combine(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        if len(items) % 2:
            paired.append(items[-1])
        items = paired
    return items[0]


def _transform(vectorizer: Any, partition: Any) -> Any:
    """One partition's rows (on a worker)."""
    return vectorizer.transform(_as_list(partition))


class _DaskVectorizing:
    """fit / transform / fit_transform of a dask collection; anything else as the parent does."""

    def fit(self, raw_documents: Any, y: Any = None, **kwargs: Any) -> Any:
        """Learn the vocabulary (and idf) from a dask Series or Bag of str, partition by partition.

        Each partition is counted on a worker; their statistics are merged as a tree
        and pruned once, so the fit equals one fit on all the documents in order.
        Anything else (a list of str) is fitted as by the parent class.
        """
        if not isinstance(raw_documents, (dd.Series, dd.DataFrame, db.Bag)):
            return super().fit(raw_documents, y, **kwargs)  # type: ignore[misc]
        parts = _partitions(raw_documents)
        self._validate_params()  # type: ignore[attr-defined]
        self.__dict__.pop("term_statistics_", None)
        unfitted = dask.delayed(clone(self), pure=True)  # sent once, not per task
        counted = [dask.delayed(_count, pure=True)(unfitted, part) for part in parts]
        merged = _tree(counted, lambda a, b: dask.delayed(_merge, pure=True)(a, b))
        (statistics,) = dask.compute(merged)
        self._validate_ngram_range()  # type: ignore[attr-defined]
        self._validate_vocabulary()  # type: ignore[attr-defined]
        if hasattr(self, "_check_params"):
            self._check_params()
        try:
            incremental._fitted_attributes(self, statistics)
        except incremental._NoTermsYet as error:
            raise ValueError(str(error)) from None  # as fit on all the documents raises
        incremental._commit(self, statistics)
        return self

    def transform(self, raw_documents: Any, **kwargs: Any) -> Any:
        """The document-term matrix of a dask Series or Bag: a ``dask.array`` of CSR blocks.

        One block per partition, transformed on the workers with this fitted
        vectorizer; the number of rows of each block is unknown until computed.
        Anything else is transformed as by the parent class.
        """
        if not isinstance(raw_documents, (dd.Series, dd.DataFrame, db.Bag)):
            return super().transform(raw_documents, **kwargs)  # type: ignore[misc]
        parts = _partitions(raw_documents)
        meta = super().transform([""])[:0]  # type: ignore[misc]
        # The workers need the vocabulary and idf_, not the unpruned statistics (often larger).
        light = copy.copy(self)
        light.__dict__.pop("term_statistics_", None)
        fitted = dask.delayed(light, pure=True)
        blocks = [
            da.from_delayed(dask.delayed(_transform, pure=True)(fitted, part),
                            shape=(np.nan, meta.shape[1]), dtype=meta.dtype, meta=meta)
            for part in parts
        ]
        return da.concatenate(blocks, axis=0, allow_unknown_chunksizes=True)

    def fit_transform(self, raw_documents: Any, y: Any = None, **kwargs: Any) -> Any:
        """``fit`` then ``transform``: for a dask collection, two passes over it."""
        if not isinstance(raw_documents, (dd.Series, dd.DataFrame, db.Bag)):
            return super().fit_transform(raw_documents, y, **kwargs)  # type: ignore[misc]
        return self.fit(raw_documents).transform(raw_documents)


class CountVectorizer(_DaskVectorizing, _text.CountVectorizer):
    __doc__ = (
        "themescope.CountVectorizer for dask collections (see :mod:`themescope.dask`).\n\n"
        "Same parameters and fitted attributes; ``fit``, ``transform`` and ``fit_transform``\n"
        "also take a ``dask.dataframe`` Series or a ``dask.bag`` of str.\n"
    )


class TfidfVectorizer(_DaskVectorizing, _text.TfidfVectorizer):
    __doc__ = (
        "themescope.TfidfVectorizer for dask collections (see :mod:`themescope.dask`).\n\n"
        "Same parameters and fitted attributes; ``fit``, ``transform`` and ``fit_transform``\n"
        "also take a ``dask.dataframe`` Series or a ``dask.bag`` of str.\n"
    )


# ---------------------------------------------------------------- top-k similarity
def _rows(block: Any) -> int:
    return int(block.shape[0])


def _pair_top_k(candidates: Any, queries: Any, k: int, diagonal: bool, offset: int,
                threshold: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The top k of one shard pair (on a worker), indices made global."""
    available = candidates.shape[0] - (1 if diagonal else 0)
    width = min(k, available)
    if width < 1 or queries.shape[0] == 0:
        return (np.full((queries.shape[0], 0), -1, dtype=np.int64), np.empty((queries.shape[0], 0)))
    indices, scores = _top_k_similar(candidates, k=width, Y=queries, threshold=threshold, exclude_self=diagonal)
    return np.where(indices >= 0, indices + offset, -1), scores


def _merge_top_k(pairs: list[tuple[np.ndarray, np.ndarray]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each query's k best over all shards: by score, then by lower index (as in one process)."""
    indices = np.concatenate([p[0] for p in pairs], axis=1)
    scores = np.concatenate([p[1] for p in pairs], axis=1)
    missing = indices < 0
    # lexsort: last key first; padding (-1, NaN) goes last.
    order = np.lexsort((np.where(missing, np.iinfo(np.int64).max, indices),
                        np.where(missing, np.inf, -np.nan_to_num(scores, nan=0.0))), axis=1)[:, :k]
    best_indices = np.take_along_axis(indices, order, axis=1)
    best_scores = np.take_along_axis(scores, order, axis=1)
    if best_indices.shape[1] < k:  # every shard together has fewer than k candidates
        pad = k - best_indices.shape[1]
        best_indices = np.pad(best_indices, ((0, 0), (0, pad)), constant_values=-1)
        best_scores = np.pad(best_scores, ((0, 0), (0, pad)), constant_values=np.nan)
    return best_indices, best_scores


def top_k_similar(X: Any, k: int = 10, *, threshold: float | None = None,
                  n_shards: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k most similar other rows of ``X``, computed shard pair by shard pair on Dask.

    Equal, indices and score bits, to :func:`themescope.top_k_similar` ``(X, k,
    threshold=threshold)`` (the self-join) in one process: every pair of row
    shards is scored on a worker (exact top k, never a dense block), and each
    query shard's candidates are merged by score, then lower index.

    Parameters
    ----------
    X : dask.array of scipy.sparse blocks, or a scipy.sparse matrix
        The rows (L2-normalised for cosine similarity), e.g. what
        ``themescope.dask.TfidfVectorizer().fit_transform`` returns: each row
        block is a shard. A scipy.sparse matrix is cut into ``n_shards``.
    k : int, default=10
    threshold : float, optional
        As in :func:`themescope.top_k_similar`.
    n_shards : int, optional
        For a scipy.sparse ``X``: how many shards (default: 2).

    Returns
    -------
    indices, scores : ndarray, shape (n, k)
        As :func:`themescope.top_k_similar` returns them (computed: numpy arrays).
    """
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be an int, got {type(k).__name__} {k!r}")
    k = int(k)
    if isinstance(X, da.Array):
        if X.ndim != 2 or len(X.chunks[1]) != 1:
            raise ValueError(f"X must be 2-dimensional with its columns in one chunk, got chunks {X.chunks}")
        X = X.persist()  # the blocks are read by every pair: computed once
        blocks = list(X.to_delayed().ravel())
    else:
        from .similarity import _as_csr

        X = _as_csr(X, "X")
        shards = 2 if n_shards is None else int(n_shards)
        if shards < 1:
            raise ValueError(f"n_shards must be at least 1, got {n_shards}")
        bounds = np.linspace(0, X.shape[0], shards + 1).astype(int)
        blocks = [dask.delayed(X[a:b]) for a, b in zip(bounds, bounds[1:])]
    sizes = dask.compute(*[dask.delayed(_rows, pure=True)(b) for b in blocks])
    n = int(sum(sizes))
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if k > n - 1:
        raise ValueError(f"k={k} exceeds the {n - 1} candidates (other rows of X)")
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
    merged = []
    for i, queries in enumerate(blocks):
        pairs = [dask.delayed(_pair_top_k, pure=True)(candidates, queries, k, i == j, offsets[j], threshold)
                 for j, candidates in enumerate(blocks)]
        merged.append(dask.delayed(_merge_top_k, pure=True)(pairs, k))
    results = dask.compute(*merged)
    indices = np.concatenate([r[0] for r in results], axis=0) if results else np.zeros((0, k), dtype=np.int64)
    scores = np.concatenate([r[1] for r in results], axis=0) if results else np.zeros((0, k))
    return indices, scores
