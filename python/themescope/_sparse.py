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

