"""Wrapping native CSR buffers as scipy sparse objects, without copies."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._sklearn_compat import as_configured_sparse, csr_class

__all__ = ["as_configured_sparse", "csr_from_buffers"]


def csr_from_buffers(
    data: np.ndarray,
    indices: np.ndarray,
    indptr: np.ndarray,
    shape: tuple[int, int],
    dtype: np.dtype[Any] | None = None,
) -> Any:
    """Wrap CSR buffers (indices sorted within rows) as scikit-learn would return them.

    The arrays are used as they are: scipy keeps them when dtypes already fit.
    A ``dtype`` other than ``data``'s is converted by scipy, with scipy's errors
    for the dtypes it does not support.
    """
    X = csr_class()((data, indices, indptr), shape=shape, copy=False, dtype=dtype)
    X.has_sorted_indices = True  # the native core sorts every row
    return X


def stack_rows(top: Any, bottom: Any) -> Any:
    """``scipy.sparse.vstack([top, bottom])`` of two CSR arrays with as many columns: one copy of
    each buffer (scipy's stacking checks and converts every index on the way, several times slower).

    ``bottom`` may have fewer columns than ``top`` (its rows have none of the others);
    the result has ``top``'s index dtype, or int64 when the entries outgrow it.
    """
    import scipy.sparse as sp

    top, bottom = sp.csr_array(top), sp.csr_array(bottom)
    n_columns = max(top.shape[1], bottom.shape[1])
    nnz = top.nnz + bottom.nnz
    index_dtype = np.dtype(np.int64) if max(nnz, n_columns) > np.iinfo(np.int32).max else np.result_type(
        top.indices.dtype, bottom.indices.dtype, top.indptr.dtype)
    data = np.concatenate([top.data, bottom.data.astype(top.data.dtype, copy=False)])
    indices = np.concatenate([top.indices.astype(index_dtype, copy=False),
                              bottom.indices.astype(index_dtype, copy=False)])
    indptr = np.concatenate([top.indptr.astype(index_dtype, copy=False),
                             bottom.indptr[1:].astype(index_dtype) + index_dtype.type(top.nnz)])
    stacked = sp.csr_array((data, indices, indptr), shape=(top.shape[0] + bottom.shape[0], n_columns), copy=False)
    stacked.has_sorted_indices = bool(top.has_sorted_indices and bottom.has_sorted_indices)
    return stacked
