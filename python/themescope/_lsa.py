"""Randomized truncated SVD (LSA) with its sparse products on the native core.

The same algorithm, options and random draws as scikit-learn's
``TruncatedSVD(algorithm="randomized")`` (Halko, Martinsson & Tropp 2011, with
scikit-learn's defaults: 5 power iterations normalised by LU, 10 extra
directions, the sign convention of ``svd_flip(u_based_decision=False)``):
``random_state`` draws the same Gaussian block, so a seed means what it means
there. What differs is where the time goes: every product of the sparse matrix
(or its transpose) with a tall dense block runs natively on every core, the GIL
released (:func:`themescope._core.sparse_times_dense`), and so does the LU
normalisation of the tall blocks (:func:`themescope._core.permuted_lu_in_place`:
LAPACK's pivots, getf2's arithmetic), and the orthonormal basis of the last one
(:func:`themescope._core.cholesky_qr2`: LAPACK's Q up to column signs, LAPACK's
QR itself for a block too ill-conditioned for it), which also reduces the SVD of
the (k + 10)-row block to one of (k + 10) x (k + 10), left to LAPACK on one
thread. Each row of a product is summed by one
thread in storage order, the LU's arithmetic is fixed and the QR's sums run over
fixed chunks of rows, so the result is bit-identical whatever
``ts.set_num_threads``. Every block is made in the order the next step reads
(no copies), and when the side iterated on is X.T (fewer documents than terms)
the result comes from the small SVD rather than from one more product by X.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy import linalg
from sklearn.utils import check_random_state
from threadpoolctl import ThreadpoolController

from . import _core

# scikit-learn's TruncatedSVD defaults.
N_ITER = 5
N_OVERSAMPLES = 10


class _SparseProducts:
    """X @ D and X.T @ D for one CSR matrix X (float64), natively."""

    def __init__(self, X: Any) -> None:
        X = sp.csr_array(X, dtype=np.float64)
        if not X.has_canonical_format:
            X = X.copy()
            X.sum_duplicates()
        self.shape = X.shape
        self._X = self._buffers(X.data, X.indices, X.indptr)
        # transpose_csr validates X's buffers; X^T is made from them: the products need not check again
        data, indices, indptr = _core.transpose_csr(*self._X, self.shape[1])
        self._T = (data, indices, indptr)

    @staticmethod
    def _buffers(data: Any, indices: Any, indptr: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if indices.dtype != indptr.dtype or indices.dtype not in (np.int32, np.int64):
            indices, indptr = indices.astype(np.int64), indptr.astype(np.int64)
        return np.ascontiguousarray(data, dtype=np.float64), indices, indptr

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """X @ dense."""
        result: np.ndarray = _core.sparse_times_dense(
            *self._X, self.shape[1], np.ascontiguousarray(dense), check=False)
        return result

    def tdot(self, dense: np.ndarray) -> np.ndarray:
        """X.T @ dense."""
        result: np.ndarray = _core.sparse_times_dense(
            *self._T, self.shape[0], np.ascontiguousarray(dense), check=False)
        return result


def truncated_svd(
    X: Any, n_components: int, *, n_iter: int = N_ITER, n_oversamples: int = N_OVERSAMPLES, random_state: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """``TruncatedSVD(n_components, algorithm="randomized", ...).fit_transform(X)`` natively.

    Parameters
    ----------
    X : sparse matrix of shape (n_samples, n_features)
    n_components : int
        At most ``min(X.shape) - 1`` is what scikit-learn's LSA allows; here at
        least 1 and at most n_features.
    n_iter, n_oversamples : int
        As in scikit-learn (power iterations; extra random directions).
    random_state : int, RandomState or None
        The source of the Gaussian block, drawn exactly as scikit-learn draws it.

    Returns
    -------
    transformed : ndarray of shape (n_samples, n_components)
        ``X @ components.T``, what scikit-learn's ``fit_transform`` returns.
    components : ndarray of shape (n_components, n_features)

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> from themescope._lsa import truncated_svd
    >>> X = sp.random(40, 30, density=0.2, random_state=0, format="csr")
    >>> transformed, components = truncated_svd(X, 3, random_state=0)
    >>> transformed.shape, components.shape
    ((40, 3), (3, 30))
    """
    random_state = check_random_state(random_state)
    n_samples, n_features = X.shape
    if not 1 <= n_components <= n_features:
        raise ValueError(f"n_components={n_components} must be between 1 and n_features={n_features}")
    products = _SparseProducts(X)
    n_random = n_components + n_oversamples
    # scikit-learn's transpose="auto": iterate on the side with fewer columns.
    transpose = n_samples < n_features
    # A is X, or X.T when transposed; apply(Q) = A @ Q, apply_t(Q) = A.T @ Q.
    apply, apply_t = (products.tdot, products.dot) if transpose else (products.dot, products.tdot)
    width = n_samples if transpose else n_features
    Q = random_state.normal(size=(width, n_random))
    # LAPACK on one thread: the blocks are tall and thin ((k + 10) columns), too small for
    # OpenBLAS's threads to pay, and when the cores are busy with other work its spinning
    # threads made one QR of 8,900 x 60 take 1.5 s instead of 35 ms.
    with _blas_controller().limit(limits=1, user_api="blas"):
        for _ in range(n_iter):
            if n_iter > 2:  # scikit-learn's power_iteration_normalizer="auto"
                Q = _lu_normalised(apply(Q))
                Q = _lu_normalised(apply_t(Q))
            else:
                Q = apply_t(apply(Q))
        Q = _orthonormal_basis(apply(Q))
        # B = Q.T @ A, given as its transpose A.T @ Q
        U_hat, s, Vt = _svd_of_transposed(apply_t(Q), n_components)
        if not transpose:
            components = _flip_signs(Vt)
            return products.dot(np.ascontiguousarray(components.T)), components
        # the first columns of Q @ U_hat, transposed: written straight in C order (BLAS reads Q.T in place)
        components, signs = _flip_signs_with(np.dot(U_hat[:, :n_components].T, Q.T))
    # X @ components.T without a product by X: there X = A.T, B.T = X @ Q = Vt.T diag(s) U_hat.T, and
    # components.T = Q @ U_hat[:, :k] diag(signs) (U_hat's columns orthonormal), so it is
    # Vt[:k].T diag(s[:k] signs): scikit-learn's transform of its training data, to rounding.
    return Vt.T * (s[:n_components] * signs), components


def _svd_of_transposed(Bt: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """U_hat, s and Vt[:k] (C order) of ``linalg.svd(Bt.T, full_matrices=False)``, Bt a tall product.

    Bt = Q2 R (:func:`_orthonormal_basis`'s CholeskyQR2, on both cores), so
    Bt.T = R.T Q2.T: the SVD of the small R.T gives U_hat and s, and Vt = V'.T Q2.T.
    LAPACK's gesdd makes the same reduction of a wide block (an LQ factorisation,
    by Householder), on one thread; it is kept for the blocks CholeskyQR2 refuses.
    """
    Q2 = _core.cholesky_qr2(Bt) if Bt.shape[0] >= Bt.shape[1] >= 1 and Bt.flags.c_contiguous else None
    if Q2 is None:
        # Bt.T: a C-ordered block's transpose is in Fortran order, as LAPACK takes it (no copy)
        U_hat, s, Vt = linalg.svd(Bt.T, full_matrices=False, overwrite_a=True, lapack_driver="gesdd")
        return U_hat, s, np.ascontiguousarray(Vt[:k])
    U_hat, s, Vt_small = linalg.svd((Q2.T @ Bt).T, overwrite_a=True, lapack_driver="gesdd")
    return U_hat, s, np.dot(Vt_small[:k], Q2.T)


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """The BLAS libraries found once: ``threadpool_limits`` looks them up at every call (a few ms)."""
    return ThreadpoolController()


def _orthonormal_basis(Y: np.ndarray) -> np.ndarray:
    """Q of ``linalg.qr(Y, mode="economic")`` up to column signs: the same span, orthonormal.

    A tall C-ordered block gets CholeskyQR2 on every thread
    (:func:`themescope._core.cholesky_qr2`), its Q in C order for the next
    product; it refuses blocks too ill-conditioned for it (cond(Y) above about
    1e5, or rank-deficient: LSA's blocks are about 1e2), which get LAPACK's
    Householder QR instead. The randomized SVD needs any orthonormal basis of the
    span: the signs cancel in ``Q @ U_hat``.
    """
    if Y.shape[0] >= Y.shape[1] >= 1 and Y.flags.c_contiguous and Y.dtype == np.float64:
        Q: np.ndarray | None = _core.cholesky_qr2(Y)
        if Q is not None:
            return Q
    # overwrite_a: Y is a fresh product, QR may factor it in place
    Q = linalg.qr(Y, mode="economic", overwrite_a=True, check_finite=False)[0]
    return np.ascontiguousarray(Q)


def _lu_normalised(Y: np.ndarray) -> np.ndarray:
    """``scipy.linalg.lu(Y, permute_l=True)[0]``, the power iterations' normaliser, Y overwritten.

    A tall block (always, but for a corpus of fewer documents or terms than
    n_components + 10) is factored natively on every core; LAPACK's pivots and
    getf2's arithmetic, where OpenBLAS's blocked getrf rounds differently: the
    normalised block spans the same columns, and the LSA agrees with the LAPACK
    path to about 1e-13 (tests/python/test_lsa.py). On a rank-deficient block
    the late pivots fall on rounding noise, so the columns past its rank are
    another valid basis than scipy's (PL @ U equals the block either way).
    """
    if Y.shape[0] >= Y.shape[1] and Y.flags.c_contiguous and Y.flags.writeable and Y.dtype == np.float64:
        _core.permuted_lu_in_place(Y)
        return Y
    # overwrite_a: Y is a fresh product, LU may factor it in place (no copy)
    PL: np.ndarray = linalg.lu(Y, permute_l=True, overwrite_a=True, check_finite=False)[0]
    return PL


def _flip_signs(components: np.ndarray) -> np.ndarray:
    """scikit-learn's ``svd_flip(u_based_decision=False)`` on the components alone, in place.

    Each row's sign makes its entry of largest absolute value (the first such)
    positive; the left vectors svd_flip would flip too are not needed here. On a
    C-ordered array, not the strided view svd_flip is handed in the transposed case.
    """
    return _flip_signs_with(components)[0]


def _flip_signs_with(components: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_flip_signs``, and the signs (+1, -1, or 0 for a zero row) it multiplied the rows by.

    Without ``np.abs(components)``'s copy: a row's largest absolute value is its
    maximum's or its minimum's, and on a tie (m and -m) the first of the two is
    svd_flip's (argmax and argmin give the first occurrence). Only the rows to
    flip are written.
    """
    rows = np.arange(components.shape[0])
    high, low = components.argmax(axis=1), components.argmin(axis=1)
    top, bottom = np.abs(components[rows, high]), np.abs(components[rows, low])
    first = np.where(top > bottom, high, np.where(top < bottom, low, np.minimum(high, low)))
    signs = np.sign(components[rows, first])
    for row in np.flatnonzero(signs != 1.0):
        components[row] *= signs[row]
    return components, signs
