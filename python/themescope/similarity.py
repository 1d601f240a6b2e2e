"""The k most similar rows of sparse matrices, computed natively and exactly."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import _core

__all__ = ["top_k_similar"]

_REALS = (np.dtype(np.float32), np.dtype(np.float64))


def _as_csr(M: Any, name: str) -> Any:
    """M as CSR with float32/float64 data, copied only when its format or dtype must change."""
    if not sp.issparse(M):
        if isinstance(M, np.ndarray) or hasattr(M, "__array__"):
            raise TypeError(
                f"{name} must be a scipy.sparse matrix or array, got dense {type(M).__name__}; "
                f"pass scipy.sparse.csr_array({name}) (the kernel is built for sparse rows)"
            )
        raise TypeError(f"{name} must be a scipy.sparse matrix or array, got {type(M).__name__}")
    if M.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional, got {M.ndim} dimension(s) with shape {M.shape}")
    if M.format != "csr":
        M = M.tocsr()
    if M.dtype not in _REALS:
        if M.dtype.kind not in "biuf":
            raise TypeError(f"{name} has dtype {M.dtype}: only real numbers (float32, float64, ints, bool)")
        M = M.astype(np.float64)
    return M


def _buffers(M: Any, index_dtype: np.dtype[Any], dtype: np.dtype[Any]) -> tuple[Any, Any, Any, tuple[int, int]]:
    """data, indices, indptr of a CSR matrix in the given dtypes (views when they already are)."""
    data = np.ascontiguousarray(M.data, dtype=dtype)
    indices = np.ascontiguousarray(M.indices, dtype=index_dtype)
    indptr = np.ascontiguousarray(M.indptr, dtype=index_dtype)
    return data, indices, indptr, (int(M.shape[0]), int(M.shape[1]))


def top_k_similar(
    X: Any,
    k: int = 10,
    Y: Any = None,
    *,
    threshold: float | None = None,
    exclude_self: bool | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Find each row's k most similar rows of ``X``, by dot product.

    The score of two rows is their dot product: for L2-normalised rows (the
    default output of :class:`TfidfVectorizer`) it is their cosine similarity.
    Rows are not normalised here. The result is exact, equal to sorting every
    full row of ``Y @ X.T`` (or ``X @ X.T``), but that dense matrix is never
    built: each row's scores are accumulated natively and only its k best are
    kept, so memory grows as ``n * k``, on :func:`get_num_threads` threads.

    Parameters
    ----------
    X : scipy.sparse matrix or array, shape (n, d)
        The documents to search, preferably CSR of float64 or float32 (used in
        place); other sparse formats and integer or bool dtypes are converted
        (a copy). Dense arrays are refused: wrap them in
        ``scipy.sparse.csr_array``.
    k : int, default=10
        Neighbours per row, from 1 to the number of candidates: ``n - 1`` for
        the self-join (or with ``exclude_self=True``), else ``n``.
    Y : scipy.sparse matrix or array, shape (m, d), optional
        Query rows. When omitted, every row of ``X`` is a query (self-join).
    threshold : float, optional
        Leave out neighbours scoring below it. Rows with fewer than k
        neighbours left are padded at the end with index -1 and score NaN.
    exclude_self : bool, optional
        Whether query row i may not have row i of ``X`` as a neighbour.
        Defaults to True for the self-join (a row is not its own neighbour)
        and to False with ``Y``.

    Returns
    -------
    indices : ndarray of int64, shape (rows, k)
        Row numbers in ``X`` of each query's neighbours, best first; equal
        scores come by lower index. Rows of ``X`` sharing no term with the
        query score 0 and are neighbours like any other, lowest index first.
    scores : ndarray of float64, shape (rows, k)
        Their scores, descending.

    Raises
    ------
    TypeError
        ``X`` or ``Y`` is not a scipy.sparse matrix or array of real numbers.
    ValueError
        k outside [1, candidates], not 2-dimensional, different numbers of
        columns, NaN or infinite values, a NaN threshold.

    Examples
    --------
    >>> import themescope as ts
    >>> docs = ["cyber alliance summit", "cyber alliance", "football results", "cyber summit"]
    >>> vectorizer = ts.TfidfVectorizer()
    >>> X = vectorizer.fit_transform(docs)
    >>> indices, scores = ts.top_k_similar(X, k=2)
    >>> indices
    array([[1, 3],
           [0, 3],
           [0, 1],
           [0, 1]])
    >>> scores.round(2)
    array([[0.79, 0.79],
           [0.79, 0.4 ],
           [0.  , 0.  ],
           [0.79, 0.4 ]])

    The football article shares no term with the others: its neighbours score
    0 and come by index. New text against the collection, keeping only scores
    of at least 0.6:

    >>> indices, scores = ts.top_k_similar(X, k=2, Y=vectorizer.transform(["alliance summit"]), threshold=0.6)
    >>> indices
    array([[ 0, -1]])
    >>> scores.round(2)
    array([[0.87,  nan]])
    """
    X = _as_csr(X, "X")
    self_join = Y is None
    if not self_join:
        Y = _as_csr(Y, "Y")
        if Y.shape[1] != X.shape[1]:
            raise ValueError(f"Y has {Y.shape[1]} columns but X has {X.shape[1]}: they must share the features")
    if exclude_self is None:
        exclude_self = self_join
    elif not isinstance(exclude_self, (bool, np.bool_)):
        raise TypeError(f"exclude_self must be a bool or None, got {type(exclude_self).__name__} {exclude_self!r}")
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be an int, got {type(k).__name__} {k!r}")
    k = int(k)
    n = int(X.shape[0])
    candidates = n - 1 if exclude_self and n > 0 else n
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if k > candidates:
        who = "other rows of X" if exclude_self else "rows of X"
        raise ValueError(f"k={k} exceeds the {candidates} candidates ({who})")
    if threshold is not None:
        if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real):
            raise TypeError(f"threshold must be a real number or None, got {type(threshold).__name__} {threshold!r}")
        threshold = float(threshold)
        if np.isnan(threshold):
            raise ValueError("threshold must be a number, got nan")

    # One native dtype for both matrices: float64 unless both are float32, int64
    # indices unless every buffer is int32 already.
    matrices = [X] if self_join else [X, Y]
    dtype = np.dtype(np.float32) if all(M.dtype == np.float32 for M in matrices) else np.dtype(np.float64)
    narrow = all(M.indices.dtype == np.int32 and M.indptr.dtype == np.int32 for M in matrices)
    index_dtype = np.dtype(np.int32) if narrow else np.dtype(np.int64)
    x = _buffers(X, index_dtype, dtype)
    queries = None if self_join else _buffers(Y, index_dtype, dtype)
    rows = n if self_join else int(Y.shape[0])
    indices, scores = _core.top_k_similar(*x, queries, k, threshold, bool(exclude_self))
    return indices.reshape(rows, k), scores.reshape(rows, k)
