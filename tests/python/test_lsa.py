"""The native randomized SVD behind Explorer.lsa_, and Explorer's one counting pass.

Oracles: scipy's sparse products, scikit-learn's TruncatedSVD(algorithm="randomized")
with the same random_state, and a second counting pass with CountVectorizer.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

import themescope as ts
from themescope import _core, _lsa


def random_csr(n_rows: int, n_cols: int, density: float, seed: int) -> sp.csr_array:
    return sp.csr_array(sp.random(n_rows, n_cols, density=density, random_state=seed, format="csr"))


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(_lsa)
    assert tried >= 2 and failures == 0


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_products_equal_scipy(index_dtype: type) -> None:
    X = random_csr(200, 90, 0.05, 0)
    indices, indptr = X.indices.astype(index_dtype), X.indptr.astype(index_dtype)
    D = np.random.RandomState(1).normal(size=(90, 13))
    np.testing.assert_allclose(_core.sparse_times_dense(X.data, indices, indptr, 90, D), X @ D, rtol=1e-13,
                               atol=1e-13)
    data, t_indices, t_indptr = _core.transpose_csr(X.data, indices, indptr, 90)
    T = sp.csr_array((data, t_indices, t_indptr), shape=(90, 200))
    expected = sp.csr_array(X.T)
    expected.sort_indices()
    assert (T != expected).nnz == 0
    np.testing.assert_array_equal(T.indices, expected.indices)


def test_products_unchecked_are_the_checked_ones() -> None:
    X = random_csr(500, 300, 0.05, 5)
    D = np.random.RandomState(2).normal(size=(300, 60))
    checked = _core.sparse_times_dense(X.data, X.indices, X.indptr, 300, D)
    assert np.array_equal(_core.sparse_times_dense(X.data, X.indices, X.indptr, 300, D, check=False), checked)


@pytest.mark.parametrize("shape", [(3000, 60), (61, 60), (40, 7), (1, 1)])
def test_native_lu_is_scipys(shape: tuple[int, int]) -> None:
    from scipy import linalg

    A = np.random.RandomState(shape[0]).normal(size=shape)
    A[:, shape[1] // 2] *= 1e-3  # a column much smaller than the others: pivots still LAPACK's
    PL = A.copy()
    U = _core.permuted_lu_in_place(PL)
    expected_pl, expected_u = linalg.lu(A, permute_l=True)
    np.testing.assert_allclose(PL, expected_pl, rtol=0, atol=1e-12)
    np.testing.assert_allclose(U, expected_u, rtol=0, atol=1e-12 * np.abs(A).max())
    np.testing.assert_allclose(PL @ U, A, rtol=0, atol=1e-12 * np.abs(A).max())


def test_native_lu_of_a_rank_deficient_block() -> None:
    from scipy import linalg

    A = np.random.RandomState(3).normal(size=(50, 4)) @ np.random.RandomState(4).normal(size=(4, 9))
    A[:, 2] = 0.0  # an exactly zero pivot column: no scaling, no NaN (getf2)
    PL = A.copy()
    U = _core.permuted_lu_in_place(PL)
    assert np.isfinite(PL).all() and np.isfinite(U).all()
    np.testing.assert_allclose(PL @ U, A, atol=1e-12)
    np.testing.assert_allclose(np.abs(U).sum(), np.abs(linalg.lu(A, permute_l=True)[1]).sum(), rtol=1e-6)


def test_native_lu_rejects_what_it_cannot_overwrite() -> None:
    with pytest.raises(ValueError, match="rows >= columns, got 3 x 4"):
        _core.permuted_lu_in_place(np.ones((3, 4)))
    read_only = np.ones((4, 3))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="not writeable"):
        _core.permuted_lu_in_place(read_only)
    for not_overwritable in (np.ones((4, 3), order="F")[:, :2], np.ones((4, 3), dtype=np.float32), np.ones(4)):
        with pytest.raises((TypeError, ValueError)):
            _core.permuted_lu_in_place(not_overwritable)


def test_truncated_svd_with_lapacks_lu_agrees(monkeypatch: pytest.MonkeyPatch, bbc_texts: list[str]) -> None:
    """The native LU rounds as getf2, OpenBLAS's getrf otherwise: BBC's LSA agrees to about 1e-13."""
    from scipy import linalg

    X = ts.TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(bbc_texts)
    ours = _lsa.truncated_svd(X, 50, random_state=0)
    calls = []

    def lapack_lu(Y: np.ndarray) -> np.ndarray:
        calls.append(Y.shape)
        return linalg.lu(Y, permute_l=True, check_finite=False)[0]

    monkeypatch.setattr(_lsa, "_lu_normalised", lapack_lu)
    lapack = _lsa.truncated_svd(X, 50, random_state=0)
    assert len(calls) == 2 * _lsa.N_ITER  # the other path was taken (it may round alike on another LAPACK)
    np.testing.assert_allclose(ours[1], lapack[1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours[0], lapack[0], rtol=0, atol=1e-12)


def block_with_condition(rows: int, cols: int, cond: float, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    U = np.linalg.qr(rng.normal(size=(rows, cols)))[0]
    V = np.linalg.qr(rng.normal(size=(cols, cols)))[0]
    return np.ascontiguousarray((U * np.logspace(0, -np.log10(cond), cols)) @ V.T)


def signs_aligned(Q: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return Q * np.where((Q * reference).sum(axis=0) < 0, -1.0, 1.0)


@pytest.mark.parametrize("cond", [1.0, 1e2, 1e4])
def test_cholesky_qr2_is_lapacks_q_up_to_signs(cond: float) -> None:
    from scipy import linalg

    A = block_with_condition(4000, 60, cond, 1)
    Q = _core.cholesky_qr2(A)
    assert Q is not None and Q.flags.c_contiguous and Q.shape == A.shape
    lapack = linalg.qr(A, mode="economic")[0]
    np.testing.assert_allclose(signs_aligned(Q, lapack), lapack, rtol=0, atol=1e-13 * cond)
    np.testing.assert_allclose(Q.T @ Q, np.eye(60), rtol=0, atol=1e-14)
    R = Q.T @ A
    assert np.all(np.diag(R) > 0)
    np.testing.assert_allclose(np.tril(R, -1), 0.0, atol=1e-13 * np.abs(R).max())


def test_cholesky_qr2_refuses_what_it_cannot_factor_accurately() -> None:
    rng = np.random.RandomState(2)
    deficient = rng.normal(size=(500, 8)) @ rng.normal(size=(8, 20))  # rank 8 of 20 columns
    for block in (block_with_condition(3000, 40, 1e9, 3), np.ascontiguousarray(deficient)):
        original = block.copy()
        assert _core.cholesky_qr2(block) is None
        assert np.array_equal(block, original)  # never modified
        # _lsa falls back to LAPACK's QR: an orthonormal basis of the same span
        Q = _lsa._orthonormal_basis(block.copy())
        np.testing.assert_allclose(Q.T @ Q, np.eye(block.shape[1]), atol=1e-12)
        np.testing.assert_allclose(Q @ (Q.T @ block), block, atol=1e-12 * np.abs(block).max())


def test_cholesky_qr2_rejects_bad_blocks() -> None:
    with pytest.raises(ValueError, match="rows >= columns >= 1, got 3 x 4"):
        _core.cholesky_qr2(np.ones((3, 4)))
    with pytest.raises(ValueError, match="must be 2-D, got 1-D"):
        _core.cholesky_qr2(np.ones(4))
    for not_c_float64 in (np.ones((4, 3), order="F")[:, :2], np.ones((4, 3), dtype=np.float32)):
        with pytest.raises(TypeError):
            _core.cholesky_qr2(not_c_float64)


def test_truncated_svd_with_lapacks_qr_agrees(monkeypatch: pytest.MonkeyPatch, bbc_texts: list[str]) -> None:
    """CholeskyQR2's Q is LAPACK's up to column signs: BBC's LSA agrees with LAPACK's QR and SVD to rounding."""
    X = ts.TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(bbc_texts)
    assert X.shape[0] < X.shape[1]  # transposed: the result comes from the small SVD
    ours = _lsa.truncated_svd(X, 50, random_state=0)
    refused = []

    def refuse(a: np.ndarray) -> None:
        refused.append(a.shape)
        return None

    monkeypatch.setattr(_core, "cholesky_qr2", refuse)
    lapack = _lsa.truncated_svd(X, 50, random_state=0)
    # the other paths were taken: LAPACK's QR of A @ Q, and its SVD of B (not reduced by B.T's QR first)
    assert refused == [(X.shape[1], 60), (X.shape[0], 60)]
    np.testing.assert_allclose(ours[1], lapack[1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours[0], lapack[0], rtol=0, atol=1e-12)
    # the result is X @ components.T, as scikit-learn's fit_transform computes it
    np.testing.assert_allclose(ours[0], X @ ours[1].T, rtol=0, atol=1e-12)


def test_products_reject_bad_buffers() -> None:
    X = random_csr(10, 8, 0.3, 2)
    with pytest.raises(ValueError, match="rows, the sparse one 8 columns"):
        _core.sparse_times_dense(X.data, X.indices, X.indptr, 8, np.ones((7, 2)))
    bad = X.data.copy()
    bad[0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        _core.sparse_times_dense(bad, X.indices, X.indptr, 8, np.ones((8, 2)))
    with pytest.raises(ValueError, match="outside"):
        _core.sparse_times_dense(X.data, X.indices, X.indptr, 3, np.ones((3, 2)))
    with pytest.raises(TypeError, match="int32 or both int64"):
        _core.transpose_csr(X.data, X.indices.astype(np.int64), X.indptr, 8)


@pytest.mark.parametrize("shape", [(300, 120), (120, 300)], ids=["tall", "wide (transposed)"])
@pytest.mark.parametrize("seed", [0, 7])
def test_truncated_svd_is_scikit_learns(shape: tuple[int, int], seed: int) -> None:
    X = random_csr(*shape, 0.05, seed + 10)
    transformed, components = _lsa.truncated_svd(X, 12, random_state=seed)
    svd = TruncatedSVD(12, algorithm="randomized", random_state=seed)
    expected = svd.fit_transform(X)
    np.testing.assert_allclose(components, svd.components_, atol=1e-9)
    np.testing.assert_allclose(transformed, expected, atol=1e-9)


def test_cholesky_qr2_bits_do_not_depend_on_the_thread_count() -> None:
    # 7,000 rows: four of the Gram matrix's 2,048-row chunks, summed in chunk order by 1, 2 or 3 threads
    A = block_with_condition(7000, 30, 1e3, 2)
    before = ts.get_num_threads()
    try:
        results = []
        for threads in (1, 2, 3):
            ts.set_num_threads(threads)
            results.append(_core.cholesky_qr2(A))
    finally:
        ts.set_num_threads(before)
    assert all(Q is not None for Q in results)
    assert all(np.array_equal(results[0], Q) for Q in results[1:])


def test_random_state_is_consumed_as_scikit_learn_does() -> None:
    X = random_csr(80, 150, 0.1, 3)
    ours, theirs = np.random.RandomState(5), np.random.RandomState(5)
    first, _ = _lsa.truncated_svd(X, 5, random_state=ours)
    expected = TruncatedSVD(5, random_state=theirs).fit_transform(X)
    np.testing.assert_allclose(first, expected, atol=1e-9)
    assert ours.randint(1 << 30) == theirs.randint(1 << 30)  # the same draws were taken


@pytest.mark.parametrize("shape", [(3000, 800), (800, 3000)], ids=["tall", "wide (transposed)"])
def test_truncated_svd_bit_identical_across_threads(shape: tuple[int, int]) -> None:
    X = random_csr(*shape, 0.02, 4)
    before = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        one = _lsa.truncated_svd(X, 20, random_state=0)
        ts.set_num_threads(2)
        two = _lsa.truncated_svd(X, 20, random_state=0)
    finally:
        ts.set_num_threads(before)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])
    again = _lsa.truncated_svd(X, 20, random_state=0)
    assert np.array_equal(one[0], again[0]) and np.array_equal(one[1], again[1])


def test_truncated_svd_bad_n_components() -> None:
    with pytest.raises(ValueError, match="n_components=9 must be between 1 and n_features=8"):
        _lsa.truncated_svd(random_csr(10, 8, 0.3, 2), 9)


def test_explorer_lsa_is_truncated_svd_of_its_vectors() -> None:
    docs = ts.datasets.load_sample_articles().data * 3
    ex = ts.Explorer(boilerplate=False, random_state=3).fit(docs)
    components = min(50, ex.vectors_.shape[0] - 1, ex.vectors_.shape[1] - 1)
    expected = normalize(TruncatedSVD(components, random_state=3).fit_transform(ex.vectors_))
    # the trailing directions of a rank-deficient corpus are noise: compare the leading ones
    np.testing.assert_allclose(np.abs(ex.lsa_[:, :3]), np.abs(expected[:, :3]), atol=1e-7)


def test_one_counting_pass_equals_two() -> None:
    docs = ts.datasets.load_sample_articles().data
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(), sublinear_tf=True, min_df=2)
    tfidf, counts = vectorizer.fit_transform_with_counts(docs)
    expected_tfidf = ts.TfidfVectorizer(analyzer=ts.Analyzer(), sublinear_tf=True, min_df=2).fit_transform(docs)
    expected_counts = ts.CountVectorizer(analyzer=ts.Analyzer(), dtype=np.float64,
                                         vocabulary=vectorizer.vocabulary_).fit_transform(docs)
    assert (tfidf != expected_tfidf).nnz == 0 and tfidf.dtype == expected_tfidf.dtype
    assert (counts != expected_counts).nnz == 0 and counts.dtype == np.float64
    assert vectorizer.transform(docs[:2]).shape == (2, tfidf.shape[1])


def test_duplicates_reuse_the_neighbours_exactly() -> None:
    docs = ts.datasets.load_sample_articles().data
    corpus = docs + [doc[: len(doc) * 9 // 10] for doc in docs] + docs[:2]  # near and exact copies
    fresh = ts.Explorer(boilerplate=False).fit(corpus)
    expected = fresh.duplicates(threshold=0.8)
    reused = ts.Explorer(boilerplate=False).fit(corpus)
    reused.neighbors(k=11)
    pd.testing.assert_frame_equal(reused.duplicates(threshold=0.8), expected)
    assert len(expected) >= 10
    reused.neighbors(k=3)  # fewer than duplicates needs: computed afresh
    pd.testing.assert_frame_equal(reused.duplicates(threshold=0.8), expected)


def test_map2d_is_scikit_learns_pca() -> None:
    from sklearn.decomposition import PCA

    ex = ts.Explorer(boilerplate=False).fit(ts.datasets.load_sample_articles().data * 4)
    xy = ex.map2d(ex.cluster(2))[["x", "y"]].to_numpy()
    np.testing.assert_allclose(xy, PCA(2, svd_solver="full").fit_transform(ex.lsa_), atol=1e-10)


def test_flip_signs_is_svd_flip() -> None:
    from sklearn.utils.extmath import svd_flip

    rng = np.random.RandomState(0)
    V = rng.normal(size=(60, 7))
    V[:, 3] = 0.0  # sign 0: svd_flip zeroes the component, so must we
    V[[1, 5], 4] = [-9.0, 9.0]  # a tie of absolute values: the first one decides
    # svd_flip as the old code called it, on the strided view of a transposed block
    _, expected = svd_flip(np.ones((5, 7)), V.copy().T, u_based_decision=False)
    ours = _lsa._flip_signs(np.ascontiguousarray(V.T))
    assert np.array_equal(ours, expected) and ours.flags.c_contiguous
    assert np.array_equal(ours[4], -V[:, 4]) and not ours[3].any()


def test_flip_signs_is_svd_flip_on_ties_and_zeros() -> None:
    from sklearn.utils.extmath import svd_flip

    rng = np.random.RandomState(1)
    for _ in range(50):
        # small integers: many ties of absolute value between a maximum and a minimum, zero rows
        V = rng.randint(-3, 4, size=(rng.randint(1, 6), rng.randint(1, 9))).astype(np.float64)
        V[rng.rand(len(V)) < 0.2] = 0.0
        _, expected = svd_flip(np.ones((3, V.shape[0])), V.copy(), u_based_decision=False)
        ours, signs = _lsa._flip_signs_with(V.copy())
        assert np.array_equal(ours, expected)
        assert np.array_equal(ours, V * signs[:, np.newaxis])
