"""ts.top_k_similar against brute force: every candidate's full score row, sorted.

The oracle computes the full score matrix with scipy's sparse product (in float64)
and ranks each row with np.lexsort (score descending, then index). scipy's
product sums a row's terms in the same order as the kernel (the query's stored
entries in order), so scores agree to the bit and even near-ties rank alike; the
scores are also checked against a dense numpy product to 1e-9.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import themescope as ts


@pytest.fixture(autouse=True)
def restore_threads() -> Iterator[None]:
    saved = ts.get_num_threads()
    yield
    ts.set_num_threads(saved)


# ===================================================================== the oracle


def brute_force(
    X: Any, k: int, Y: Any = None, threshold: float | None = None, exclude_self: bool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    if exclude_self is None:
        exclude_self = Y is None
    X64 = sp.csr_array(X, dtype=np.float64)
    Q64 = X64 if Y is None else sp.csr_array(Y, dtype=np.float64)
    S = (Q64 @ X64.T).toarray()
    if S.size * X64.shape[1] <= 10**7:  # the oracle's own check, where a dense product is cheap
        np.testing.assert_allclose(S, Q64.toarray() @ X64.toarray().T, rtol=0, atol=1e-9)
    n = X64.shape[0]
    indices = np.full((S.shape[0], k), -1, dtype=np.int64)
    scores = np.full((S.shape[0], k), np.nan)
    for i, row in enumerate(S):
        order = np.lexsort((np.arange(n), -row))
        if exclude_self:
            order = order[order != i]
        if threshold is not None:
            order = order[row[order] >= threshold]
        order = order[:k]
        indices[i, : len(order)] = order
        scores[i, : len(order)] = row[order]
    return indices, scores


def assert_same(ours: tuple[np.ndarray, np.ndarray], expected: tuple[np.ndarray, np.ndarray]) -> None:
    indices, scores = ours
    assert indices.dtype == np.int64 and scores.dtype == np.float64
    assert indices.shape == scores.shape == expected[0].shape
    np.testing.assert_array_equal(indices, expected[0])
    np.testing.assert_allclose(scores, expected[1], rtol=0, atol=1e-9, equal_nan=True)
    np.testing.assert_array_equal(np.isnan(scores), indices == -1)


def normalized(M: Any) -> Any:
    norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_array(sp.diags_array(1.0 / norms) @ M)


# ============================================================ hand-worked cases


def test_a_small_self_join_worked_by_hand() -> None:
    # r0 = r1 = (1, 0, 0), r2 = (0, 1, 0), r3 = (.6, .8, 0), r4 empty.
    X = sp.csr_array(np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0, 0]]))
    indices, scores = ts.top_k_similar(X, k=3)
    np.testing.assert_array_equal(indices, [[1, 3, 2], [0, 3, 2], [3, 0, 1], [2, 0, 1], [0, 1, 2]])
    np.testing.assert_allclose(
        scores, [[1, 0.6, 0], [1, 0.6, 0], [0.8, 0, 0], [0.8, 0.6, 0.6], [0, 0, 0]], rtol=0, atol=1e-15
    )
    indices, scores = ts.top_k_similar(X, k=3, threshold=0.5)
    np.testing.assert_array_equal(indices, [[1, 3, -1], [0, 3, -1], [3, -1, -1], [2, 0, 1], [-1, -1, -1]])
    assert np.isnan(scores[4]).all() and np.isnan(scores[0, 2])


def test_queries_may_find_themselves_unless_excluded() -> None:
    X = normalized(sp.random_array((40, 30), density=0.2, rng=np.random.default_rng(1), format="csr"))
    indices, scores = ts.top_k_similar(X, k=1, Y=X)  # exclude_self defaults to False with Y
    nonempty = np.diff(X.indptr) > 0
    np.testing.assert_array_equal(indices[nonempty, 0], np.arange(40)[nonempty])
    np.testing.assert_allclose(scores[nonempty, 0], 1.0)
    assert_same(ts.top_k_similar(X, k=5, Y=X, exclude_self=True), ts.top_k_similar(X, k=5))
    assert_same(ts.top_k_similar(X, k=40, exclude_self=False), brute_force(X, 40, exclude_self=False))


def test_no_query_rows_give_empty_results() -> None:
    X = sp.csr_array(np.eye(3))
    indices, scores = ts.top_k_similar(X, k=2, Y=sp.csr_array((0, 3)))
    assert indices.shape == scores.shape == (0, 2)


# ====================================================== hypothesis: brute force

VALUE_SETS = {
    # small integers: every sum exact, so ties are real ties; negatives score below 0
    "integers": st.integers(-3, 3).map(float),
    "positive": st.floats(0.0, 1.0, allow_subnormal=False),
    "signed": st.floats(-1.0, 1.0, allow_subnormal=False),
}


@st.composite
def sparse_matrices(draw: st.DrawFn, n_cols: int | None = None, min_rows: int = 1) -> Any:
    n_rows = draw(st.integers(min_rows, 14))
    n_cols = n_cols if n_cols is not None else draw(st.integers(1, 9))
    values = draw(st.sampled_from(sorted(VALUE_SETS)))
    density = draw(st.sampled_from([0.0, 0.15, 0.4, 1.0]))
    dense = np.zeros((n_rows, n_cols))
    for i in range(n_rows):
        if draw(st.booleans()) and i > 0:
            dense[i] = dense[draw(st.integers(0, i - 1))]  # a duplicate row: ties
            continue
        for j in range(n_cols):
            if draw(st.floats(0, 1)) < density:
                dense[i, j] = draw(VALUE_SETS[values])
    cls = draw(st.sampled_from([sp.csr_array, sp.csr_matrix]))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    M = cls(dense.astype(dtype))
    if draw(st.booleans()):
        M.indices = M.indices.astype(np.int64)
        M.indptr = M.indptr.astype(np.int64)
    if values != "integers" and draw(st.booleans()):
        M = cls(normalized(M).astype(dtype))
    return M


def thresholds(X: Any, Y: Any = None) -> st.SearchStrategy[float | None]:
    X64 = sp.csr_array(X, dtype=np.float64)
    Q64 = X64 if Y is None else sp.csr_array(Y, dtype=np.float64)
    scores = np.unique((Q64 @ X64.T).toarray())  # thresholds equal to actual scores: ties with the bound
    return st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.5]), st.sampled_from(list(scores)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_self_join_equals_brute_force(data: st.DataObject) -> None:
    X = data.draw(sparse_matrices(min_rows=2), label="X")
    n = X.shape[0]
    k = data.draw(st.integers(1, n - 1), label="k")
    threshold = data.draw(thresholds(X), label="threshold")
    ts.set_num_threads(data.draw(st.sampled_from([1, 2]), label="threads"))
    assert_same(ts.top_k_similar(X, k=k, threshold=threshold), brute_force(X, k, threshold=threshold))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_queries_equal_brute_force(data: st.DataObject) -> None:
    X = data.draw(sparse_matrices(), label="X")
    Y = data.draw(sparse_matrices(n_cols=X.shape[1]), label="Y")
    exclude_self = data.draw(st.booleans(), label="exclude_self")
    n = X.shape[0]
    candidates = n - 1 if exclude_self else n
    if candidates < 1:
        return
    k = data.draw(st.integers(1, candidates), label="k")
    threshold = data.draw(thresholds(X, Y), label="threshold")
    ts.set_num_threads(data.draw(st.sampled_from([1, 2]), label="threads"))
    ours = ts.top_k_similar(X, k=k, Y=Y, threshold=threshold, exclude_self=exclude_self)
    assert_same(ours, brute_force(X, k, Y, threshold, exclude_self))


def test_k_equal_to_all_other_rows_ranks_every_row() -> None:
    X = sp.csr_array(np.array([[1.0, 0], [0, 0], [2, 0], [0, -1], [1, 0]]))
    indices, scores = ts.top_k_similar(X, k=4)
    np.testing.assert_array_equal(indices[0], [2, 4, 1, 3])
    np.testing.assert_array_equal(scores[0], [2, 1, 0, 0])
    np.testing.assert_array_equal(indices[3], [0, 1, 2, 4])  # everyone 0 for r3 except r1 (0 too)
    np.testing.assert_array_equal(np.sort(indices, axis=1), [[j for j in range(5) if j != i] for i in range(5)])


# ============================================================ input handling


def test_other_formats_and_dtypes_give_the_same_result_and_inputs_stay_untouched() -> None:
    rng = np.random.default_rng(3)
    dense = np.where(rng.random((30, 12)) < 0.3, rng.integers(1, 4, (30, 12)), 0)
    reference = ts.top_k_similar(sp.csr_array(dense.astype(np.float64)), k=6)
    assert_same(reference, brute_force(sp.csr_array(dense.astype(np.float64)), 6))
    for M in (sp.csc_array(dense.astype(np.float64)), sp.coo_matrix(dense), sp.csr_array(dense),
              sp.csr_matrix(dense.astype(np.int32)), sp.lil_array(dense.astype(np.float32))):
        before = M.copy()
        assert_same(ts.top_k_similar(M, k=6), reference)
        assert type(M) is type(before) and M.dtype == before.dtype
        assert (sp.csr_array(M) != sp.csr_array(before)).nnz == 0
    binary = sp.csr_array(dense > 0)
    assert_same(ts.top_k_similar(binary, k=6), brute_force(sp.csr_array((dense > 0).astype(np.float64)), 6))
    # int64 indices on one side, int32 on the other; float32 against float64
    Y = sp.csr_array(dense[:7].astype(np.float32))
    Y.indices, Y.indptr = Y.indices.astype(np.int64), Y.indptr.astype(np.int64)
    assert_same(ts.top_k_similar(sp.csr_array(dense.astype(np.float64)), k=6, Y=Y),
                brute_force(sp.csr_array(dense), 6, Y))


def test_unsorted_and_duplicate_entries_are_summed() -> None:
    # Row 0 stores column 2 before column 0 and column 0 twice (1 + 2 = 3).
    X = sp.csr_array((np.array([5.0, 1.0, 2.0, 1.0, 3.0]), np.array([2, 0, 0, 0, 2]), np.array([0, 3, 4, 5])),
                     shape=(3, 3))
    canonical = X.copy()
    canonical.sum_duplicates()
    assert_same(ts.top_k_similar(X, k=2), brute_force(canonical, 2))


def test_results_are_fresh_contiguous_arrays() -> None:
    X = sp.csr_array(np.eye(4))
    indices, scores = ts.top_k_similar(X, k=2)
    for a in (indices, scores):
        assert a.flags.c_contiguous and a.flags.writeable and a.shape == (4, 2)
    indices[0, 0] = 99  # theirs to keep
    assert ts.top_k_similar(X, k=2)[0][0, 0] == 1


X3 = sp.csr_array(np.eye(3))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"k": 0}, ValueError, "k must be at least 1, got 0"),
        ({"k": -2}, ValueError, "got -2"),
        ({"k": 3}, ValueError, "k=3 exceeds the 2 candidates"),
        ({"k": 4, "Y": X3}, ValueError, "k=4 exceeds the 3 candidates"),
        ({"k": 3, "Y": X3, "exclude_self": True}, ValueError, "k=3 exceeds the 2 candidates"),
        ({"k": 2.0}, TypeError, "k must be an int, got float 2.0"),
        ({"k": True}, TypeError, "k must be an int"),
        ({"k": 1, "Y": sp.csr_array(np.eye(4))}, ValueError, "Y has 4 columns but X has 3"),
        ({"k": 1, "threshold": float("nan")}, ValueError, "threshold must be a number, got nan"),
        ({"k": 1, "threshold": "0.5"}, TypeError, "threshold must be a real number or None, got str"),
        ({"k": 1, "exclude_self": 1}, TypeError, "exclude_self must be a bool or None, got int 1"),
        ({"k": 1, "Y": np.eye(3)}, TypeError, "Y must be a scipy.sparse matrix or array, got dense ndarray"),
        ({"k": 1, "Y": sp.csr_array(np.eye(3) * 1j)}, TypeError, "Y has dtype complex128"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        ts.top_k_similar(X3, **kwargs)


def test_bad_matrices() -> None:
    with pytest.raises(TypeError, match="X must be a scipy.sparse matrix or array, got dense ndarray"):
        ts.top_k_similar(np.eye(3), k=1)
    with pytest.raises(TypeError, match="got list"):
        ts.top_k_similar([[1.0, 0.0], [0.0, 1.0]], k=1)
    with pytest.raises(ValueError, match="must be 2-dimensional, got 1 dimension"):
        ts.top_k_similar(sp.coo_array(np.array([1.0, 0.0, 2.0])), k=1)
    for bad in (np.nan, np.inf, -np.inf):
        X = sp.csr_array(np.eye(3))
        X.data[1] = bad
        with pytest.raises(ValueError, match=f"non-finite value {'-' if bad < 0 else ''}(nan|inf)"):
            ts.top_k_similar(X, k=1)
        with pytest.raises(ValueError, match="non-finite value"):
            ts.top_k_similar(sp.csr_array(np.eye(3)), k=1, Y=X)
    broken = sp.csr_array(np.eye(3))
    broken.indices[1] = 7  # a column index past the 3 columns
    with pytest.raises(ValueError, match=r"column index 7 outside \[0, 3\)"):
        ts.top_k_similar(broken, k=1)
    with pytest.raises(ValueError, match=r"k=1 exceeds the 0 candidates"):
        ts.top_k_similar(sp.csr_array((1, 3)), k=1)


# ============================================================ threads and the GIL


def random_documents(n: int, d: int, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    # Zipf-like term popularity, as in text: a few columns in most rows.
    popularity = 1.0 / np.arange(1, d + 1)
    X = sp.random_array((n, d), density=0.01, rng=rng, format="csr") + sp.csr_array(
        (rng.random((n, d)) < 0.5 * popularity) * rng.random((n, d))
    )
    return normalized(sp.csr_array(X))


def test_one_and_two_threads_give_bit_identical_results() -> None:
    X = random_documents(1500, 400, seed=5)
    Y = random_documents(300, 400, seed=6)
    for kwargs in ({"k": 10}, {"k": 7, "Y": Y}, {"k": 25, "threshold": 0.2}):
        results = []
        for threads in (1, 2, 3):
            ts.set_num_threads(threads)
            results.append(ts.top_k_similar(X, **kwargs))
        for indices, scores in results[1:]:
            np.testing.assert_array_equal(indices, results[0][0])
            assert scores.tobytes() == results[0][1].tobytes()
    assert_same(results[0], brute_force(X, 25, threshold=0.2))


def test_the_gil_is_released(gil_pauses: Any) -> None:
    ts.set_num_threads(1)  # one core for the kernel, the other for the ticking thread
    # Control: a single long C call that holds the GIL (re) must show up as one long pause.
    text = "cyber alliance summit " * 300_000
    duration, pause, _ = gil_pauses(lambda: re.findall(r"(?u)\b\w\w+\b", text))
    assert pause > 0.5 * duration, "the detector failed to see a GIL-holding call"
    X = random_documents(6000, 600, seed=7)
    attempts = []
    for _ in range(3):  # a loaded machine may stall a thread once; a held GIL stalls it every time
        duration, pause, ticks = gil_pauses(lambda: ts.top_k_similar(X, k=10))
        attempts.append((round(duration, 3), round(pause, 3), ticks))
        if pause < 0.25 * duration and ticks >= 20:
            return
    pytest.fail(f"a Python thread stalled while top_k_similar ran: (duration s, longest pause s, ticks) = {attempts}")


# ============================================================ BBC news


@pytest.fixture(scope="module")
def bbc_tfidf(corpora_dir: Path) -> Any:
    files = sorted((corpora_dir / "bbc_news_en" / "bbc").glob("*/*.txt"))
    assert len(files) == 2225
    docs = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    return ts.TfidfVectorizer().fit_transform(docs)


@pytest.mark.corpus
def test_bbc_self_join_equals_brute_force(bbc_tfidf: Any) -> None:
    X = bbc_tfidf
    assert X.shape[0] == 2225
    expected = brute_force(X, 10)
    assert_same(ts.top_k_similar(X, k=10), expected)
    # BBC holds duplicated articles: some rows have twins at score 1 (ties broken by index)
    assert np.isclose(expected[1][:, 0], 1.0).sum() > 0
    assert_same(ts.top_k_similar(X, k=10, threshold=0.5), brute_force(X, 10, threshold=0.5))
    X32 = X.astype(np.float32)
    assert_same(ts.top_k_similar(X32, k=5), brute_force(X32, 5))


@pytest.mark.corpus
def test_bbc_queries_and_threads(bbc_tfidf: Any) -> None:
    X = bbc_tfidf
    Y = X[::17]
    ts.set_num_threads(1)
    one = ts.top_k_similar(X, k=20, Y=Y)
    assert_same(one, brute_force(X, 20, Y))
    ts.set_num_threads(2)
    two = ts.top_k_similar(X, k=20, Y=Y)
    np.testing.assert_array_equal(one[0], two[0])
    assert one[1].tobytes() == two[1].tobytes()
    one_self = ts.top_k_similar(X, k=10)
    ts.set_num_threads(1)
    two_self = ts.top_k_similar(X, k=10)
    np.testing.assert_array_equal(one_self[0], two_self[0])
    assert one_self[1].tobytes() == two_self[1].tobytes()


def test_docstring_examples() -> None:
    import doctest

    import themescope.similarity

    failures, tried = doctest.testmod(themescope.similarity, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
