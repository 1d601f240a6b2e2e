"""Wrapping native CSR buffers as scipy sparse objects, without copies."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn


def sparse_interface() -> str:
    """scikit-learn's configured sparse output ("spmatrix" or "sparray")."""
    return str(sklearn.get_config().get("sparse_interface", "spmatrix"))


def as_configured_sparse(X: Any) -> Any:
    """Return X as csr_matrix or csr_array, following scikit-learn's configuration."""
    if not sp.issparse(X):
        return X
    if sparse_interface() == "sparray":
        return X if isinstance(X, sp.sparray) else getattr(sp, X.format + "_array")(X)
    return X if sp.isspmatrix(X) else getattr(sp, X.format + "_matrix")(X)


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
    cls = sp.csr_array if sparse_interface() == "sparray" else sp.csr_matrix
    X = cls((data, indices, indptr), shape=shape, copy=False, dtype=dtype)
    X.has_sorted_indices = True  # the native core sorts every row
    return X
