"""Spherical k-means against a plain NumPy reference of the same algorithm, properties
(hypothesis), bit-identical results for 1 and 2 threads, the estimator API, bad input,
choose_n_clusters, and NMI/ARI on BBC next to scikit-learn's KMeans."""

from __future__ import annotations

import doctest
import logging
import pickle
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import randomized_svd
from sklearn.utils.estimator_checks import check_estimator

import themescope as ts
import themescope.cluster
from themescope import _core

log = logging.getLogger(__name__)


@pytest.fixture(autouse=True)
def restore_threads() -> Any:
    before = ts.get_num_threads()
    yield
    ts.set_num_threads(before)


# ============================================================ the reference


def reference_kmeans_plus_plus(X: Any, k: int, first: int, uniforms: np.ndarray, trials: int) -> list[int]:
    """Greedy k-means++ on 1 - cos, as documented in kmeans.hpp, in plain NumPy."""
    nonzero = np.asarray(X.multiply(X).sum(axis=1)).ravel() > 0
    closest = np.maximum(0.0, 1.0 - (X @ X[[first]].T).toarray().ravel())
    centres = [first]
    for c in range(1, k):
        weights = np.where(nonzero & (closest > 0), closest, 0.0)
        cumulative = np.cumsum(weights)
        positive = np.flatnonzero(weights > 0)
        picks = []
        for u in uniforms[(c - 1) * trials:c * trials]:
            if len(positive) == 0:
                picks.append(int(np.flatnonzero(nonzero)[0]))
            else:
                pick = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
                picks.append(min(pick, int(positive[-1])))
        distances = np.maximum(0.0, 1.0 - (X @ X[picks].T).toarray())
        potentials = np.minimum(closest[:, None], distances).sum(axis=0)
        best = int(np.argmin(potentials))
        closest = np.minimum(closest, distances[:, best])
        centres.append(picks[best])
    return centres


def reference_lloyd(X: Any, init: np.ndarray, max_iter: int = 100, tol: float = 1e-4) -> dict[str, Any]:
    """Spherical Lloyd iterations as documented in SphericalKMeans, in plain NumPy."""
    n, k = X.shape[0], init.shape[0]
    nonzero = np.asarray(X.multiply(X).sum(axis=1)).ravel() > 0
    C = init.copy()
    previous = None
    history = []
    n_iter = 0
    for iteration in range(1, max_iter + 1):
        S = X @ C.T
        labels = np.argmax(S, axis=1)  # first maximum: the lowest index
        similarity = S[np.arange(n), labels]
        history.append(float(np.sum(1.0 - similarity)))
        counts = np.bincount(labels, minlength=k)
        if np.any(counts == 0):
            rows = np.flatnonzero(nonzero)
            order = rows[np.lexsort((rows, similarity[rows]))]  # farthest first, then lowest row
            position = 0
            for empty in np.flatnonzero(counts == 0):
                while position < len(order) and counts[labels[order[position]]] <= 1:
                    position += 1
                if position == len(order):
                    break
                row = order[position]
                position += 1
                counts[labels[row]] -= 1
                labels[row] = empty
                counts[empty] = 1
        n_iter = iteration
        if previous is not None and np.array_equal(labels, previous):
            break
        one_hot = sp.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
        sums = np.asarray((one_hot @ X).todense())
        norms = np.linalg.norm(sums, axis=1)
        new = np.where(norms[:, None] > 0, sums / np.where(norms > 0, norms, 1.0)[:, None], C)
        shift = float(np.sum((new - C) ** 2))
        C, previous = new, labels
        if shift <= tol:
            break
    S = X @ C.T
    labels = np.argmax(S, axis=1)
    inertia = float(np.sum(1.0 - S[np.arange(n), labels]))
    return {"labels": labels, "centers": C, "inertia": inertia, "n_iter": n_iter, "history": history + [inertia]}


def reference_fit(X: Any, k: int, n_init: int, seed: int, max_iter: int = 100, tol: float = 1e-4) -> dict[str, Any]:
    """The documented draws (RandomState(seed), run after run), k-means++ and Lloyd: best run by inertia."""
    rng = np.random.RandomState(seed)
    trials = 2 + int(np.log(k))
    nonzero = np.flatnonzero(np.asarray(X.multiply(X).sum(axis=1)).ravel() > 0)
    best = None
    for _ in range(n_init):
        first = int(nonzero[rng.randint(len(nonzero))])
        uniforms = rng.random_sample((k - 1) * trials)
        seeds = reference_kmeans_plus_plus(X, k, first, uniforms, trials)
        result = reference_lloyd(X, X[seeds].toarray(), max_iter, tol)
        if best is None or result["inertia"] < best["inertia"]:
            best = result
    assert best is not None
    return best


def topic_matrix(n: int, d: int, topics: int, seed: int, zero_rows: int = 0) -> Any:
    """Unit rows that mostly use the terms of one of `topics` blocks (TF-IDF-like, non-negative)."""
    rng = np.random.RandomState(seed)
    block = d // topics
    rows, cols, vals = [], [], []
    for i in range(n):
        topic = rng.randint(topics)
        terms = np.concatenate([topic * block + rng.randint(block, size=8), rng.randint(d, size=3)])
        rows += [i] * len(terms)
        cols += terms.tolist()
        vals += rng.uniform(0.1, 1.0, size=len(terms)).tolist()
    X = sp.csr_matrix((vals, (rows, cols)), shape=(n, d))
    X.sum_duplicates()
    if zero_rows:
        X = X.tolil()
        for i in rng.choice(n, zero_rows, replace=False):
            X[i] = 0
        X = X.tocsr()
        X.eliminate_zeros()
    return normalize(X)


# ============================================================ against the reference


def test_kmeans_plus_plus_picks_the_reference_rows() -> None:
    X = topic_matrix(400, 300, 5, seed=1, zero_rows=10)
    data, indices, indptr, n_cols = themescope.cluster._buffers(X)
    rng = np.random.RandomState(3)
    nonzero = np.flatnonzero(np.diff(X.indptr) > 0)
    for k in (1, 2, 5, 12):
        trials = 2 + int(np.log(k))
        for _ in range(5):
            first = int(nonzero[rng.randint(len(nonzero))])
            uniforms = rng.random_sample((k - 1) * trials)
            ours = _core.kmeans_plus_plus(data, indices, indptr, n_cols, k, first, uniforms, trials)
            assert ours.tolist() == reference_kmeans_plus_plus(X, k, first, uniforms, trials)
            assert set(ours.tolist()) <= set(nonzero.tolist())  # zero rows are never centres


@pytest.mark.parametrize("k", [2, 5, 9])
def test_lloyd_from_given_centroids_equals_the_reference(k: int) -> None:
    X = topic_matrix(500, 400, 5, seed=k, zero_rows=7)
    rng = np.random.RandomState(k)
    init = normalize(rng.rand(k, X.shape[1]) ** 8)  # poor, spread-out starts: several iterations
    km = ts.SphericalKMeans(k, init=init).fit(X)
    ref = reference_lloyd(X, init)
    assert ref["n_iter"] > 2
    np.testing.assert_array_equal(km.labels_, ref["labels"])
    np.testing.assert_allclose(km.cluster_centers_, ref["centers"], rtol=0, atol=1e-12)
    assert km.inertia_ == pytest.approx(ref["inertia"], rel=1e-12)
    assert km.n_iter_ == ref["n_iter"]
    np.testing.assert_allclose(km.inertia_history_, ref["history"], rtol=1e-12)


def test_empty_clusters_are_reseeded_like_the_reference() -> None:
    X = topic_matrix(300, 200, 3, seed=5)
    # Six centroids piled on one direction: five clusters are empty after the first assignment.
    init = np.tile(normalize(np.ones((1, X.shape[1]))), (6, 1))
    km = ts.SphericalKMeans(6, init=init, max_iter=50).fit(X)
    ref = reference_lloyd(X, init, max_iter=50)
    np.testing.assert_array_equal(km.labels_, ref["labels"])
    np.testing.assert_allclose(km.cluster_centers_, ref["centers"], rtol=0, atol=1e-12)
    assert len(np.unique(km.labels_)) == 6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_seeded_fit_equals_the_reference_draws_seeding_and_iterations(seed: int) -> None:
    X = topic_matrix(600, 500, 6, seed=10 + seed, zero_rows=5)
    km = ts.SphericalKMeans(6, n_init=4, random_state=seed).fit(X)
    ref = reference_fit(X, 6, 4, seed)
    np.testing.assert_array_equal(km.labels_, ref["labels"])
    np.testing.assert_allclose(km.cluster_centers_, ref["centers"], rtol=0, atol=1e-12)
    assert km.inertia_ == pytest.approx(ref["inertia"], rel=1e-12)


def test_a_generator_as_random_state_is_used_as_documented() -> None:
    X = topic_matrix(200, 150, 3, seed=4)
    a = ts.SphericalKMeans(3, n_init=2, random_state=np.random.default_rng(9)).fit(X)
    b = ts.SphericalKMeans(3, n_init=2, random_state=np.random.default_rng(9)).fit(X)
    np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)
    # the draws: integers(n_nonzero) then random((k - 1) * trials), run after run
    rng = np.random.default_rng(9)
    best = None
    for _ in range(2):
        first = int(rng.integers(X.shape[0]))
        seeds = reference_kmeans_plus_plus(X, 3, first, rng.random(2 * 3), 3)
        run = reference_lloyd(X, X[seeds].toarray())
        best = run if best is None or run["inertia"] < best["inertia"] else best
    assert best is not None
    np.testing.assert_array_equal(a.labels_, best["labels"])


# ============================================================ properties

dense_rows = st.integers(1, 25).flatmap(
    lambda n: st.integers(1, 6).flatmap(
        lambda d: st.lists(
            st.lists(st.sampled_from([0.0, 0.0, 1.0, 2.0, 0.5, -1.0, 3.0, 1e-3]), min_size=d, max_size=d),
            min_size=n, max_size=n,
        )
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=dense_rows, k_fraction=st.floats(0, 1), seed=st.integers(0, 2**31 - 1), n_init=st.integers(1, 3))
def test_properties_of_any_fit(rows: list[list[float]], k_fraction: float, seed: int, n_init: int) -> None:
    X = np.array(rows)
    assume(np.any(X != 0))
    n = X.shape[0]
    k = 1 + int(k_fraction * (n - 1))
    km = ts.SphericalKMeans(k, n_init=n_init, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # duplicates may leave fewer distinct clusters
        km.fit(X)
    assert km.labels_.dtype == np.int64 and km.labels_.shape == (n,)
    assert np.all((0 <= km.labels_) & (km.labels_ < k))
    assert km.cluster_centers_.shape == (k, X.shape[1]) and km.cluster_centers_.dtype == np.float64
    np.testing.assert_allclose(np.linalg.norm(km.cluster_centers_, axis=1), 1.0, atol=1e-12)
    history = km.inertia_history_
    assert np.all(np.diff(history) <= 1e-12 * (1 + np.abs(history[:-1])))
    assert history[-1] == km.inertia_
    assert 1 <= km.n_iter_ <= 100
    # labels_ are the assignment to the final centroids, as predict and transform see them
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    S = km.transform(X)
    np.testing.assert_array_equal(np.argmax(S, axis=1), km.labels_)
    assert km.inertia_ == pytest.approx(np.sum(1 - S[np.arange(n), km.labels_]), rel=1e-12, abs=1e-12)
    zero = ~np.any(X != 0, axis=1)
    assert np.all(km.labels_[zero] == 0)
    assert np.all(S[zero] == 0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 1000), scale=st.sampled_from([1e-150, 1e-3, 7.0, 1e150]))
def test_rows_are_normalised_inside(seed: int, scale: float) -> None:
    X = topic_matrix(60, 40, 3, seed=seed)
    scaled = sp.diags(np.random.RandomState(seed).uniform(0.5, 2.0, 60) * scale) @ X
    a = ts.SphericalKMeans(3, n_init=2, random_state=seed).fit(X)
    b = ts.SphericalKMeans(3, n_init=2, random_state=seed).fit(scaled)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, atol=1e-12)


# ============================================================ threads, GIL


def test_one_and_two_threads_give_the_same_bits() -> None:
    X = topic_matrix(4000, 6000, 8, seed=11, zero_rows=20)
    fits = []
    for threads in (1, 2):
        ts.set_num_threads(threads)
        km = ts.SphericalKMeans(8, n_init=3, random_state=0).fit(X)
        fits.append((km.labels_, km.cluster_centers_, km.inertia_, km.inertia_history_, km.transform(X)))
    for a, b in zip(*fits):
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()


def test_the_gil_is_released_during_fit(gil_pauses: Any) -> None:
    ts.set_num_threads(1)  # one core for the native work, the other for the ticking thread
    joined = " ".join(f"word{i}" for i in range(400_000))
    duration, pause, _ = gil_pauses(lambda: re.findall(r"\w+", joined * 3))
    assert pause > 0.5 * duration, "the detector failed to see a GIL-holding call"
    X = topic_matrix(6000, 3000, 10, seed=2)
    # More restarts until the fit lasts long enough to judge (fast machines finish 16 in 0.1 s);
    # retries only for a pause, which a busy machine can cause without the GIL being held.
    attempts = []
    n_init = 4
    while len(attempts) < 8:
        duration, pause, ticks = gil_pauses(lambda: ts.SphericalKMeans(10, n_init=n_init, random_state=0).fit(X))
        attempts.append((n_init, round(duration, 3), round(pause, 3), ticks))
        if duration < 0.2:
            n_init *= 2
        elif pause < 0.25 * duration and ticks >= 20:
            return
    pytest.fail(f"a Python thread stalled while fit ran: (n_init, duration s, longest pause s, ticks) = {attempts}")


# ============================================================ estimator API


def test_parameters_clone_and_pickle() -> None:
    km = ts.SphericalKMeans(4, n_init=3, max_iter=50, tol=1e-6, random_state=7)
    assert km.get_params() == {"n_clusters": 4, "init": "k-means++", "n_init": 3, "max_iter": 50, "tol": 1e-6,
                               "random_state": 7}
    assert ts.SphericalKMeans().get_params()["n_clusters"] == 8
    twin = clone(km)
    assert twin.get_params() == km.get_params() and twin is not km
    km.set_params(n_clusters=3)
    assert km.n_clusters == 3
    X = topic_matrix(200, 100, 3, seed=0)
    km.fit(X)
    restored = pickle.loads(pickle.dumps(km))
    np.testing.assert_array_equal(restored.cluster_centers_, km.cluster_centers_)
    np.testing.assert_array_equal(restored.predict(X), km.labels_)
    assert not hasattr(clone(km), "labels_")


def test_scikit_learns_estimator_checks_pass() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SkipTestWarning for the array API check (SCIPY_ARRAY_API unset)
        results = check_estimator(ts.SphericalKMeans(n_init=2), on_fail=None)
    failed = [(r["check_name"], repr(r["exception"])) for r in results if r["status"] == "failed"]
    assert len(results) > 40 and not failed


def test_transform_names_its_columns_and_follows_set_output() -> None:
    X = topic_matrix(60, 40, 3, seed=1)
    km = ts.SphericalKMeans(3, random_state=0).fit(X)
    assert km.get_feature_names_out().tolist() == ["sphericalkmeans0", "sphericalkmeans1", "sphericalkmeans2"]
    frame = km.set_output(transform="pandas").transform(X.toarray())
    assert isinstance(frame, pd.DataFrame) and frame.shape == (60, 3)


def test_fit_predict_and_fit_transform() -> None:
    X = topic_matrix(150, 90, 3, seed=2)
    km = ts.SphericalKMeans(3, random_state=1)
    np.testing.assert_array_equal(km.fit_predict(X), ts.SphericalKMeans(3, random_state=1).fit(X).labels_)
    S = ts.SphericalKMeans(3, random_state=1).fit_transform(X)
    np.testing.assert_allclose(S, (X @ km.cluster_centers_.T), atol=1e-14)
    assert S.shape == (150, 3)


def test_same_result_for_every_input_form() -> None:
    X = topic_matrix(120, 60, 3, seed=3)
    expected = ts.SphericalKMeans(3, n_init=2, random_state=0).fit(X)
    unsorted = X.copy()
    unsorted.indices, unsorted.data = unsorted.indices.copy(), unsorted.data.copy()
    for i in range(X.shape[0]):  # reverse each row's entries
        s, e = unsorted.indptr[i], unsorted.indptr[i + 1]
        unsorted.indices[s:e] = unsorted.indices[s:e][::-1]
        unsorted.data[s:e] = unsorted.data[s:e][::-1]
    wide = X.copy()
    wide.indices, wide.indptr = wide.indices.astype(np.int64), wide.indptr.astype(np.int64)
    forms = {"dense": X.toarray(), "csr_array": sp.csr_array(X), "coo": X.tocoo(), "int64 indices": wide,
             "unsorted": unsorted, "float32 (rounded)": X.astype(np.float32)}
    for name, form in forms.items():
        km = ts.SphericalKMeans(3, n_init=2, random_state=0).fit(form)
        np.testing.assert_array_equal(km.labels_, expected.labels_, err_msg=name)
        atol = 1e-6 if "float32" in name else 1e-12
        np.testing.assert_allclose(km.cluster_centers_, expected.cluster_centers_, atol=atol, err_msg=name)


def test_zero_rows_join_cluster_zero() -> None:
    X = topic_matrix(100, 50, 3, seed=6, zero_rows=9)
    zero = np.diff(X.indptr) == 0
    km = ts.SphericalKMeans(3, random_state=0).fit(X)
    assert zero.sum() == 9 and np.all(km.labels_[zero] == 0)
    assert np.all(km.transform(X)[zero] == 0)


def test_duplicates_leaving_fewer_clusters_warn() -> None:
    X = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    with pytest.warns(ConvergenceWarning, match=r"distinct clusters \(2\).*n_clusters \(3\)"):
        km = ts.SphericalKMeans(3, random_state=0).fit(X)
    assert sorted(set(km.labels_.tolist())) == [0, 1]


# ============================================================ bad input


@pytest.mark.parametrize("bad", [0, -1])
def test_n_clusters_below_one_is_a_value_error(bad: int) -> None:
    with pytest.raises(ValueError, match=f"n_clusters={bad} is out of range: it must be >= 1"):
        ts.SphericalKMeans(bad).fit(np.eye(3))


def test_more_clusters_than_rows_names_both() -> None:
    with pytest.raises(ValueError, match=r"n_clusters=4 must be <= n_samples=3"):
        ts.SphericalKMeans(4).fit(np.eye(3))


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"n_clusters": 2.5}, TypeError, "n_clusters must be an int"),
        ({"n_clusters": "many"}, ValueError, "'auto'"),
        ({"n_clusters": True}, TypeError, "n_clusters must be an int"),
        ({"n_init": 0}, ValueError, "n_init=0 is out of range: it must be >= 1"),
        ({"max_iter": 0}, ValueError, "max_iter=0 is out of range: it must be >= 1"),
        ({"tol": -1.0}, ValueError, "tol must be"),
        ({"tol": float("nan")}, ValueError, "tol must be"),
        ({"tol": "small"}, TypeError, "tol must be a number"),
        ({"init": "random"}, ValueError, "init must be 'k-means\\+\\+'"),
        ({"init": np.ones((3, 2))}, ValueError, r"init has shape \(3, 2\), expected .* \(2, 3\)"),
        ({"init": np.array([[1.0, 0, 0], [0, 0, 0]])}, ValueError, "init row 1 is zero"),
        ({"init": np.array([[1.0, 0, 0], [0, np.nan, 0]])}, ValueError, "NaN"),
    ],
)
def test_bad_parameters(params: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ts.SphericalKMeans(**{"n_clusters": 2, **params}).fit(np.eye(3))


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "NaN"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), "infinity"),
        (sp.csr_matrix(np.array([[1.0, np.nan], [0.0, 1.0]])), "NaN"),
        (np.zeros((0, 3)), "0 sample"),
        (sp.csr_matrix((0, 3)), "0 sample"),
        (np.zeros((3, 0)), "0 feature"),
        (np.zeros((3, 2)), "every row of X is zero"),
    ],
    ids=["nan", "inf", "sparse nan", "no rows", "sparse no rows", "no columns", "all zero"],
)
def test_bad_matrices_are_value_errors(X: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ts.SphericalKMeans(1).fit(X)


def test_predict_checks_fitted_and_width() -> None:
    with pytest.raises(NotFittedError):
        ts.SphericalKMeans(2).predict(np.eye(3))
    km = ts.SphericalKMeans(2, random_state=0).fit(np.eye(3))
    with pytest.raises(ValueError, match="3 features"):
        km.predict(np.eye(4))
    with pytest.raises(ValueError, match="NaN"):
        km.transform(np.array([[np.nan, 0, 0]]))


def test_the_native_layer_rejects_inconsistent_buffers() -> None:
    data, indices, indptr = np.array([1.0]), np.array([5], dtype=np.int32), np.array([0, 1], dtype=np.int32)
    with pytest.raises(ValueError, match=r"column index 5 outside \[0, 3\)"):
        _core.assign_to_centroids(data, indices, indptr, 3, np.eye(2, 3))
    with pytest.raises(TypeError, match="int32 or both int64"):
        _core.assign_to_centroids(data, indices, indptr.astype(np.int64), 3, np.eye(2, 3))
    with pytest.raises(ValueError, match="centroids have 2 features"):
        _core.assign_to_centroids(data, np.array([0], dtype=np.int32), indptr, 3, np.eye(2, 2))


# ============================================================ choosing k


def test_choose_n_clusters_curve_is_the_silhouette_of_each_fit() -> None:
    X = topic_matrix(700, 400, 4, seed=8)
    best_k, curve = ts.choose_n_clusters(X, candidates=[2, 3, 4, 5, 6], sample_size=300, random_state=1, n_init=3,
                                         criterion="silhouette")
    assert curve.columns.tolist() == ["k", "prediction_strength", "silhouette", "inertia"]
    assert curve["k"].tolist() == [2, 3, 4, 5, 6]
    sample = np.sort(np.random.RandomState(1).choice(700, 300, replace=False))
    for row in curve.itertuples():
        # each candidate is fitted on the sample only, as SphericalKMeans fits it there
        km = ts.SphericalKMeans(row.k, n_init=3, random_state=1).fit(X[sample])
        assert row.inertia == km.inertia_
        expected = silhouette_score(X[sample], km.labels_, metric="cosine")
        assert row.silhouette == pytest.approx(expected, rel=1e-10)
    assert best_k == int(curve.loc[curve["silhouette"].idxmax(), "k"])
    assert best_k == 4  # the four planted topics


def test_cosine_silhouette_is_scikit_learns() -> None:
    from themescope.cluster import _cosine_silhouette

    rng = np.random.RandomState(3)
    X = normalize(rng.normal(size=(120, 6)))
    X[7] = 0.0  # a zero row: at distance 1 from every other row, 0 from itself
    for labels in (rng.randint(4, size=120), np.r_[np.zeros(118, dtype=int), 1, 2]):  # with singletons
        expected = silhouette_score(X, labels, metric="cosine")
        assert _cosine_silhouette(X, labels) == pytest.approx(expected, rel=1e-10)
        assert _cosine_silhouette(sp.csr_array(X), labels) == pytest.approx(expected, rel=1e-10)


def test_n_clusters_auto_uses_the_scan() -> None:
    X = topic_matrix(300, 200, 3, seed=9)
    km = ts.SphericalKMeans("auto", n_init=2, random_state=0).fit(X)
    best_k, curve = ts.choose_n_clusters(X, candidates=range(2, 21), random_state=0)
    assert km.n_clusters_ == best_k == km.cluster_centers_.shape[0]
    pd.testing.assert_frame_equal(km.n_clusters_curve_, curve)
    # the chosen k is then fitted on all rows with the estimator's own n_init
    same = ts.SphericalKMeans(best_k, n_init=2, random_state=0).fit(X)
    np.testing.assert_array_equal(km.labels_, same.labels_)
    # a small matrix limits the candidates to n_samples - 1
    small = ts.SphericalKMeans("auto", random_state=0).fit(X[:6])
    assert small.n_clusters_curve_["k"].tolist() == [2, 3, 4, 5]


def test_scan_on_dense_rows_agrees_with_the_sparse_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 columns: the scan clusters dense rows; forced onto the sparse kernel it must agree.
    X = normalize(topic_matrix(900, 40, 4, seed=5).toarray())
    best_k, curve = ts.choose_n_clusters(X, candidates=range(2, 9), sample_size=600, random_state=2)
    monkeypatch.setattr(themescope.cluster, "DENSE_MAX_FEATURES", 0)
    sparse_k, sparse_curve = ts.choose_n_clusters(X, candidates=range(2, 9), sample_size=600, random_state=2)
    assert best_k == sparse_k
    pd.testing.assert_frame_equal(curve, sparse_curve, rtol=1e-9)


def test_scan_is_bit_identical_across_thread_counts() -> None:
    X = normalize(topic_matrix(900, 40, 4, seed=5).toarray())
    before = ts.get_num_threads()
    try:
        curves = []
        for threads in (1, 2, 3):
            ts.set_num_threads(threads)
            curves.append(ts.choose_n_clusters(X, candidates=range(2, 9), sample_size=600, random_state=2)[1])
    finally:
        ts.set_num_threads(before)
    for other in curves[1:]:
        pd.testing.assert_frame_equal(curves[0], other, rtol=0, atol=0)


def test_prediction_strength_of_a_split_by_hand() -> None:
    from themescope.cluster import _prediction_strength

    # test cluster 0 = rows {0,1,2}: the training centroids keep 0 and 1 together (1 pair of 3);
    # test cluster 1 = rows {3,4}: kept together (1 of 1); a singleton cluster 2 is ignored.
    test_labels = np.array([0, 0, 0, 1, 1, 2])
    predicted = np.array([5, 5, 6, 7, 7, 5])
    assert _prediction_strength(test_labels, predicted) == pytest.approx(1 / 3)
    assert _prediction_strength(np.array([0, 1]), np.array([0, 0])) != _prediction_strength(
        np.array([0, 1]), np.array([0, 0]))  # only singletons: NaN


def test_prediction_strength_finds_the_planted_topics_where_it_reproduces() -> None:
    X = topic_matrix(700, 400, 4, seed=8)
    # The whole curve (no early stop), averaged over 5 halvings: on these noisy halves of 200
    # rows, with 3 runs per fit, 2 halvings are not enough (k=4: 0.46, k=2 chosen).
    scan = {"sample_size": 400, "random_state": 1, "n_init": 3, "n_splits": 5, "stop_after": None}
    best_k, curve = ts.choose_n_clusters(X, candidates=[2, 3, 4, 5, 6, 7], **scan)
    strength = curve.set_index("k")["prediction_strength"]
    # measured: 0.61 0.49 0.74 0.41 0.25 0.21 for k = 2..7; extra cuts do not reproduce.
    # None reaches 0.8 on these noisy halves, so the strongest k is chosen.
    assert best_k == 4 == int(strength.idxmax())
    assert strength[4] > strength[2] + 0.1 and strength[4] > 2 * strength[6] and strength[4] > 2 * strength[7]
    # with a threshold the strongest k passes, the largest k that reaches it wins
    low, _ = ts.choose_n_clusters(X, candidates=[2, 3, 4, 5, 6, 7], threshold=0.55, **scan)
    assert low == 4  # 2 (0.61) and 4 (0.74) pass: the larger wins
    again = ts.choose_n_clusters(X, candidates=[2, 3, 4, 5, 6, 7], **scan)
    pd.testing.assert_frame_equal(curve, again[1])


def separated_blobs(n_groups: int, seed: int, n: int = 1500, d: int = 50,
                    noise: float = 0.05) -> tuple[Any, Any]:
    """n rows around n_groups random centres in d dimensions (noise: the spread, as a share of a centre's
    norm), and each row's group: well separated groups whose number is known."""
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(n_groups, d))
    groups = rng.randint(n_groups, size=n)
    spread = noise * np.linalg.norm(centres, axis=1).mean() / np.sqrt(d)
    return centres[groups] + spread * rng.normal(size=(n, d)), groups


@pytest.mark.parametrize("n_groups", [3, 9, 15])
def test_auto_finds_well_separated_blobs(n_groups: int) -> None:
    X, groups = separated_blobs(n_groups, seed=n_groups)
    km = ts.SphericalKMeans("auto", random_state=0).fit(X)
    assert km.n_clusters_ == n_groups
    assert adjusted_rand_score(groups, km.labels_) == 1.0
    # The scan stopped early, after the groups: below their number the strength fails too
    # (the halves merge different pairs of blobs) but each extra cluster removes much inertia.
    curve = km.n_clusters_curve_
    assert n_groups < curve["k"].max() < 20
    strength = curve.set_index("k")["prediction_strength"]
    assert strength[n_groups] == 1.0
    # the full scan chooses the same k
    assert ts.choose_n_clusters(X, random_state=0, stop_after=None)[0] == n_groups


def test_scan_stops_after_settled_failures_only() -> None:
    X, _ = separated_blobs(9, seed=9)
    _, full = ts.choose_n_clusters(X, random_state=0, stop_after=None)
    _, stopped = ts.choose_n_clusters(X, random_state=0)
    # the stopped curve is the full curve's beginning, bit for bit (same draws in the same order)
    pd.testing.assert_frame_equal(stopped, full.iloc[:len(stopped)], rtol=0, atol=0)
    # it ends at the 4th candidate in a row below 0.8 after k=9 (their inertia is flat past 9)
    after = full[full["k"] > 9]
    assert (after["prediction_strength"].iloc[:4] < 0.8).all()
    assert stopped["k"].tolist() == list(range(2, 14))
    with pytest.raises(ValueError, match="stop_after"):
        ts.choose_n_clusters(X, stop_after=0)


def test_candidates_in_another_order_are_all_scored() -> None:
    # The stop reads "more clusters no longer help": from k=20 down, 4 failures in a row
    # would stop above the real number of groups.
    X, _ = separated_blobs(5, seed=1)
    best_k, curve = ts.choose_n_clusters(X, candidates=range(20, 1, -1), random_state=0)
    assert curve["k"].tolist() == list(range(20, 1, -1))
    assert best_k == ts.choose_n_clusters(X, random_state=0)[0] == 5


def test_auto_is_bit_identical_across_threads_and_reruns() -> None:
    X, _ = separated_blobs(6, seed=1, noise=0.6)  # overlapping blobs: some candidates are close calls
    fits = []
    for threads in (1, 2, 2):
        ts.set_num_threads(threads)
        fits.append(ts.SphericalKMeans("auto", random_state=4).fit(X))
    for other in fits[1:]:
        assert other.n_clusters_ == fits[0].n_clusters_
        np.testing.assert_array_equal(other.labels_, fits[0].labels_)
        np.testing.assert_array_equal(other.cluster_centers_, fits[0].cluster_centers_)
        pd.testing.assert_frame_equal(other.n_clusters_curve_, fits[0].n_clusters_curve_, rtol=0, atol=0)


def test_auto_on_the_sample_articles() -> None:
    # Five articles: too few to halve, the silhouette of 10-run fits chooses (0.254 for k=2, 0.241 for 3).
    articles = ts.datasets.load_sample_articles()
    result = ts.Explorer(random_state=0).fit(articles.data).cluster("auto")
    assert result.n_clusters_ == 2
    assert result.curve_ is not None and result.curve_["prediction_strength"].isna().all()


def test_too_few_rows_to_split_fall_back_to_the_silhouette() -> None:
    X = topic_matrix(7, 30, 2, seed=3)
    best_k, curve = ts.choose_n_clusters(X, candidates=[2, 3, 4], n_init=2)
    assert curve["prediction_strength"].isna().sum() >= 2  # halves of 3 rows: k=3, 4 unscored
    scored = curve["prediction_strength"].notna()
    if not scored.any():
        assert best_k == int(curve.loc[curve["silhouette"].idxmax(), "k"])
    else:
        assert best_k == int(curve.loc[curve["prediction_strength"].idxmax(), "k"])


@pytest.mark.parametrize(("criterion", "n_splits", "error"), [("elbow", 5, ValueError), ("silhouette", 0, ValueError),
                                                             ("silhouette", 1.5, TypeError)])
def test_choose_n_clusters_rejects_bad_criteria(criterion: str, n_splits: Any, error: type) -> None:
    with pytest.raises(error, match="criterion|n_splits"):
        ts.choose_n_clusters(topic_matrix(30, 8, 2, seed=0), candidates=[2, 3], criterion=criterion,
                             n_splits=n_splits)


@pytest.mark.parametrize(
    ("candidates", "message"),
    [([1, 2], "each candidate k=1 is out of range: it must be >= 2"), ([2, 10], r"k=10 must be <= n_samples - 1 = 9"), ([], "empty"),
     ([3, 3], "repeat")],
)
def test_choose_n_clusters_rejects_bad_candidates(candidates: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ts.choose_n_clusters(topic_matrix(10, 8, 2, seed=0), candidates=candidates)


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(themescope.cluster, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


# ============================================================ BBC

BBC_VECTORIZER = {"sublinear_tf": True, "min_df": 2, "max_df": 0.5, "stop_words": "english"}


@pytest.fixture(scope="module")
def bbc_matrix(bbc_raw: list[tuple[str, str, bytes]], bbc_texts: list[str]) -> tuple[Any, list[str]]:
    X = ts.TfidfVectorizer(**BBC_VECTORIZER).fit_transform(bbc_texts)
    return X, [label for label, _, _ in bbc_raw]


@pytest.mark.corpus
def test_bbc_equals_the_reference_and_is_thread_independent(bbc_matrix: tuple[Any, list[str]]) -> None:
    X, _ = bbc_matrix
    X = sp.csr_matrix(X)
    fits = []
    for threads in (1, 2):
        ts.set_num_threads(threads)
        fits.append(ts.SphericalKMeans(5, n_init=2, random_state=0).fit(X))
    assert fits[0].labels_.tobytes() == fits[1].labels_.tobytes()
    assert fits[0].cluster_centers_.tobytes() == fits[1].cluster_centers_.tobytes()
    ref = reference_fit(X, 5, 2, 0)
    np.testing.assert_array_equal(fits[0].labels_, ref["labels"])
    np.testing.assert_allclose(fits[0].cluster_centers_, ref["centers"], rtol=0, atol=1e-12)


@pytest.mark.corpus
def test_bbc_topics_are_found_as_well_as_scikit_learn_kmeans(bbc_matrix: tuple[Any, list[str]]) -> None:
    """k=5 on BBC: NMI/ARI of spherical k-means and of scikit-learn's KMeans on the same unit rows.

    Mean over 3 seeds, n_init=10 each; the figures are logged. Both find the 5 topics (NMI
    well above 0.8); spherical k-means must not be worse than KMeans by more than 0.03.
    """
    X, labels = bbc_matrix
    ours, theirs = [], []
    for seed in range(3):
        km = ts.SphericalKMeans(5, n_init=10, random_state=seed).fit(X)
        sk = KMeans(5, n_init=10, random_state=seed).fit(X)
        ours.append((normalized_mutual_info_score(labels, km.labels_), adjusted_rand_score(labels, km.labels_)))
        theirs.append((normalized_mutual_info_score(labels, sk.labels_), adjusted_rand_score(labels, sk.labels_)))
    (nmi, ari), (sk_nmi, sk_ari) = np.mean(ours, axis=0), np.mean(theirs, axis=0)
    log.info("BBC k=5: themescope NMI %.4f ARI %.4f; scikit-learn KMeans NMI %.4f ARI %.4f (per seed: %s vs %s)",
             nmi, ari, sk_nmi, sk_ari, np.round(ours, 4).tolist(), np.round(theirs, 4).tolist())
    assert nmi > 0.8 and ari > 0.8
    assert nmi >= sk_nmi - 0.03


@pytest.mark.corpus
def test_bbc_choose_n_clusters(bbc_matrix: tuple[Any, list[str]]) -> None:
    X, labels = bbc_matrix
    best_k, curve = ts.choose_n_clusters(X, candidates=range(2, 13), n_init=3)
    log.info("BBC choose_n_clusters on TF-IDF: best k = %d\n%s", best_k, curve.to_string())
    assert curve["silhouette"].notna().all() and curve["prediction_strength"].notna().all()
    # more clusters, lower inertia: each k's sample fit (3 runs) may stop in a local
    # optimum a little above the previous k's, never far above it
    inertia = curve["inertia"].to_numpy()
    assert inertia[-1] < inertia[0] and np.all(np.diff(inertia) < 0.01 * inertia[1:])
    assert 2 <= best_k <= 12
    # On 50 LSA dimensions (what ts.Explorer clusters) halves cluster stably and the
    # five topics are the clustering that reproduces best.
    U, S, _ = randomized_svd(X, 50, random_state=0)
    best_k, curve = ts.choose_n_clusters(normalize(U * S), candidates=range(2, 13), n_init=3)
    log.info("BBC choose_n_clusters on LSA: best k = %d\n%s", best_k, curve.to_string())
    assert best_k == 5



@pytest.mark.corpus
def test_bbc_auto_chooses_the_five_topics(bbc_raw: list[tuple[str, str, bytes]], bbc_texts: list[str]) -> None:
    labels = [label for label, _, _ in bbc_raw]
    ex = ts.Explorer(random_state=0).fit(bbc_texts)
    ts.set_num_threads(2)
    auto = ex.cluster("auto")
    log.info("BBC cluster('auto'): k=%d, NMI %.3f; curve:\n%s", auto.n_clusters_,
             normalized_mutual_info_score(labels, auto.labels_), auto.curve_)
    assert auto.n_clusters_ == 5
    assert normalized_mutual_info_score(labels, auto.labels_) >= 0.88
    # the chosen k is then fitted as cluster(5) fits it
    np.testing.assert_array_equal(auto.labels_, ex.cluster(5).labels_)
    ts.set_num_threads(1)
    single = ex.cluster("auto")
    np.testing.assert_array_equal(single.labels_, auto.labels_)
    pd.testing.assert_frame_equal(single.curve_, auto.curve_, rtol=0, atol=0)


@pytest.mark.corpus
def test_gilets_jaunes_cross_language_auto_chooses_two(corpora_dir: Any) -> None:
    import json

    with (corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    # five pages cut into short lines are kept whole by the boilerplate stage (test_boilerplate.py)
    with pytest.warns(UserWarning, match="not laid out like scraped web pages"):
        ex = ts.Explorer(cross_language=True).fit(texts)
    result = ex.cluster("auto")
    log.info("gilets jaunes, cross-language, cluster('auto'): k=%d; curve:\n%s", result.n_clusters_, result.curve_)
    assert result.n_clusters_ == 2
