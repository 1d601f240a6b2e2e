"""Spherical k-means: themes as clusters of articles by cosine similarity.

TF-IDF rows are directions: two articles about the same theme point the same
way whatever their lengths. Spherical k-means (Dhillon & Modha, 2001) keeps
k unit-norm centroids and assigns each article to the centroid of highest
cosine similarity; each centroid is the normalised sum of its articles. The
work runs natively on every core (``ts.set_num_threads``), with results that
are bit-identical whatever the thread count.

>>> import themescope as ts
>>> docs = ["cyber attack on the network", "network security and cyber defence",
...         "the football match ended in a draw", "a late goal won the football match"]
>>> X = ts.TfidfVectorizer(stop_words="english").fit_transform(docs)
>>> km = ts.SphericalKMeans(n_clusters=2, random_state=0).fit(X)
>>> bool(km.labels_[0] == km.labels_[1] != km.labels_[2] == km.labels_[3])
True
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable
from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _core
from .persist import Persistent
from ._validation import check_int as _check_int

__all__ = ["SphericalKMeans", "choose_n_clusters"]

# Rows whose L2 norm is this close to 1 are taken as already normalised (no copy).
_UNIT_TOLERANCE = 1e-12
_AUTO_CANDIDATES = range(2, 21)
# The scan's defaults (choose_n_clusters, n_clusters="auto"), measured on the LSA rows of
# BBC (1 and 4 copies) and of the gilets jaunes press (with and without cross-language
# features), random_state 0..15. k-means++ runs of each half's fit: with 1 run the five
# BBC topics' prediction strength fell from 0.93 to 0.66 (k=2 chosen); 5 runs and 2
# halvings choose 5 on BBC for 16 seeds of 16 and on BBC x4 for 15 (one 6), where 10 runs
# and 5 halvings (the former defaults, 4 to 5 times the cost per k) chose 5 for 16 and 14.
SCAN_N_INIT = 5
SCAN_N_SPLITS = 2
# Runs of the whole sample's fit when the prediction strength chooses: only the curve's
# silhouette and inertia columns read it.
SCAN_SAMPLE_N_INIT = 1
# Runs of the sample's fit when the silhouette chooses (or the sample is too small to
# halve): SphericalKMeans's default. With 3 or 4, the five sample articles get k=3
# instead of 2 (the silhouette of k=2 is 0.196 instead of 0.254: a poorer local optimum).
SILHOUETTE_N_INIT = 10
# Scored candidates in a row below the threshold after which the scan stops. BBC's
# strength dips below 0.8 at k=3 and 4 and is back at 0.92 at 5.
STOP_AFTER = 4
# ... counting only candidates that lowered the halves' inertia by less than this share:
# below the number of well separated groups each extra cluster removes 15% or more of it
# (it splits two merged groups); on BBC and the gilets jaunes press 1% to 9% per k.
STOP_GAIN = 0.1


def _n_local_trials(n_clusters: int) -> int:
    """Candidates per k-means++ step: 2 + floor(ln k), as Arthur & Vassilvitskii and scikit-learn use."""
    return 2 + int(np.log(n_clusters))


def _as_generator(random_state: Any) -> np.random.RandomState | np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    generator: np.random.RandomState = check_random_state(random_state)
    return generator


def _draw_seeds(
    rng: np.random.RandomState | np.random.Generator, n_init: int, n_candidates: int, n_clusters: int
) -> tuple[np.ndarray, np.ndarray]:
    """The random numbers of n_init k-means++ runs, drawn run after run.

    Run r draws the position of its first centre among the ``n_candidates``
    non-zero rows, then ``(n_clusters - 1) * n_local_trials`` uniforms in [0, 1).
    """
    per_run = (n_clusters - 1) * _n_local_trials(n_clusters)
    first = np.empty(n_init, dtype=np.int64)
    uniforms = np.empty(n_init * per_run, dtype=np.float64)
    for run in range(n_init):
        if isinstance(rng, np.random.Generator):
            first[run] = rng.integers(n_candidates)
            uniforms[run * per_run:(run + 1) * per_run] = rng.random(per_run)
        else:
            first[run] = rng.randint(n_candidates)
            uniforms[run * per_run:(run + 1) * per_run] = rng.random_sample(per_run)
    return first, uniforms


def _row_squared_norms(X: Any) -> np.ndarray:
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    return np.bincount(rows, weights=np.square(X.data), minlength=X.shape[0])


def _unit_rows(X: Any) -> Any:
    """X (validated CSR float64) with every non-zero row scaled to unit L2 norm.

    X itself when its rows already are (within 1e-12), else a normalised copy
    (scaled by the largest absolute value first, so that neither tiny nor huge
    values underflow or overflow when squared).
    """
    norms = np.sqrt(_row_squared_norms(X))
    if np.all((norms == 0) | (np.abs(norms - 1.0) <= _UNIT_TOLERANCE)):
        return X
    return normalize(normalize(X, norm="max"), norm="l2", copy=False)


def _buffers(X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """CSR buffers for the native kernels: float64 data, indices and indptr of one dtype."""
    indices, indptr = X.indices, X.indptr
    if indices.dtype != indptr.dtype or indices.dtype not in (np.int32, np.int64):
        indices, indptr = indices.astype(np.int64), indptr.astype(np.int64)
    return np.ascontiguousarray(X.data, dtype=np.float64), indices, indptr, int(X.shape[1])


def _dense_runs(X: Any, n_clusters: int, first_rows: np.ndarray, uniforms: np.ndarray, max_iter: int,
                tol: float) -> dict[str, Any]:
    """The k-means++ runs of one fit on few columns (LSA vectors): on dense rows, one native
    problem per run so that the runs spread over the threads; the best by inertia (ties: the
    first run) as the native fit keeps it, so the result is the one-problem fit's."""
    dense = np.ascontiguousarray(X.toarray())
    trials = _n_local_trials(n_clusters)
    per_run = (n_clusters - 1) * trials
    problems: list[tuple[object, ...]] = [
        (dense, n_clusters, first_rows[run:run + 1], uniforms[run * per_run:(run + 1) * per_run], trials)
        for run in range(len(first_rows))]
    fits = cast(list[dict[str, Any]], _core.dense_spherical_kmeans_batch(problems, max_iter, float(tol)))
    best = min(range(len(fits)), key=lambda run: (float(fits[run]["inertia"]), run))
    return fits[best]


class SphericalKMeans(
    Persistent, ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator  # type: ignore[misc]
):
    """K-means on the unit sphere: clusters of rows by cosine similarity.

    Each row of ``X`` is scaled to unit L2 norm (a copy is made unless every
    non-zero row already has norm 1 within 1e-12, as ``TfidfVectorizer``'s
    default ``norm="l2"`` rows do). Zero rows are allowed: they have the same
    similarity (0) to every centroid, so they join cluster 0 (ties go to the
    lowest cluster index), cost 1 each in ``inertia_`` and never move a centroid.

    Algorithm, in full (the native core follows it step by step):

    1. **Seeding**, ``init="k-means++"``: greedy k-means++ on the cosine
       distance ``1 - cos`` (for unit rows, half the squared Euclidean distance:
       this is Arthur & Vassilvitskii's D² sampling). The first centre is a
       non-zero row drawn uniformly; each next centre is the best, by the sum of
       distances it leaves, of ``2 + ln k`` rows drawn with probability
       proportional to their distance to the closest centre so far. The draws
       come from a NumPy ``RandomState`` (or ``Generator``) made from
       ``random_state``, run after run, before any native work: they do not
       depend on the thread count.
    2. **Lloyd iterations**: assign each row to the centroid of highest cosine
       similarity (ties: lowest index); an empty cluster is re-seeded with the
       row farthest from its centroid (ties: lowest row; never a zero row, nor
       the only row of another cluster); each centroid becomes the normalised
       sum of its rows (a cluster whose rows sum to zero keeps its centroid).
       Stop after ``max_iter`` iterations, or when no label changed, or when
       the centroids moved by at most ``tol`` (sum over centroids of the squared
       Euclidean shift; centroids are unit vectors, so this scale is absolute).
       A last assignment to the final centroids gives ``labels_`` and
       ``inertia_``, so ``labels_`` always equals ``predict(X)``.
    3. **Restarts**: ``n_init`` runs; the one of lowest inertia is kept (ties:
       the earliest).

    Every sum over rows is taken in row order, and each centroid sum is built
    column by column in row order, so results are bit-identical for any
    ``ts.set_num_threads``.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of clusters, at most the number of rows. ``"auto"`` picks it
        with :func:`choose_n_clusters` and its defaults: the prediction strength
        of k from 2 to 20 (and below the number of rows) on a seeded sample of at
        most 2,000 rows, each half of 2 halvings fitted with 5 runs, the scan
        stopping after 4 candidates in a row below the threshold; then it fits
        that k on all rows with ``n_init`` runs, exactly as ``n_clusters=k``
        would. The scan's cost does not grow with the number of rows: on BBC x4
        (8,900 rows of 50 LSA dimensions) it costs 2 to 3 times that final fit
        (k=5, 10 runs). The scan is kept in ``n_clusters_curve_``.
    init : "k-means++" or array-like of shape (n_clusters, n_features), default="k-means++"
        Seeding, or explicit initial centroids (scaled to unit norm; none may
        be zero). With explicit centroids one run is made, whatever ``n_init``.
    n_init : int, default=10
        Number of k-means++ runs; the best by inertia is kept.
    max_iter : int, default=100
        Most Lloyd iterations per run.
    tol : float, default=1e-4
        Convergence threshold on the squared shift of the centroids.
    random_state : int, RandomState, Generator or None, default=None
        Source of the k-means++ draws (and of the scoring sample with
        ``n_clusters="auto"``, where None means 0). Fix it for reproducible
        results.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Unit-norm centroids (float64).
    labels_ : ndarray of shape (n_samples,), int64
        Cluster of each row.
    inertia_ : float
        Sum over rows of ``1 - cos`` to their centroid.
    n_iter_ : int
        Lloyd iterations of the kept run.
    inertia_history_ : ndarray of float64
        Inertia of the kept run at each assignment, the last after the final
        centroids: non-increasing (up to rounding).
    n_clusters_ : int
        The number of clusters used (``n_clusters`` or the one chosen).
    n_clusters_curve_ : pandas.DataFrame or None
        With ``n_clusters="auto"``, the curve of :func:`choose_n_clusters`.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> import themescope as ts
    >>> X = np.array([[1.0, 0.1], [2.0, 0.0], [0.0, 1.0], [0.1, 3.0]])
    >>> km = ts.SphericalKMeans(n_clusters=2, random_state=0).fit(X)
    >>> km.labels_.tolist() in ([0, 0, 1, 1], [1, 1, 0, 0])
    True
    >>> np.linalg.norm(km.cluster_centers_, axis=1).round(12).tolist()
    [1.0, 1.0]
    >>> bool(km.predict(np.array([[5.0, 0.2]]))[0] == km.labels_[0])
    True
    """

    def __init__(
        self,
        n_clusters: int | str = 8,
        *,
        init: str | Any = "k-means++",
        n_init: int = 10,
        max_iter: int = 100,
        tol: float = 1e-4,
        random_state: Any = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    # ------------------------------------------------------------------ input

    def _validated(self, X: Any, reset: bool) -> Any:
        """X as CSR float64 with unit rows, checked (finite, non-empty, right width)."""
        X = validate_data(self, X, reset=reset, accept_sparse="csr", dtype=np.float64)
        if not sp.issparse(X):
            X = sp.csr_array(X)
        return _unit_rows(X)

    def _check_params(self) -> tuple[int | None, int, float]:
        if isinstance(self.n_clusters, str):
            if self.n_clusters != "auto":
                raise ValueError(f"n_clusters must be a positive int or 'auto', got {self.n_clusters!r}")
            n_clusters = None
        else:
            n_clusters = _check_int("n_clusters", self.n_clusters, 1)
        _check_int("n_init", self.n_init, 1)
        max_iter = _check_int("max_iter", self.max_iter, 1)
        if isinstance(self.tol, bool) or not isinstance(self.tol, numbers.Real):
            raise TypeError(f"tol must be a number, got {type(self.tol).__name__} {self.tol!r}")
        tol = float(self.tol)
        if not np.isfinite(tol) or tol < 0:
            raise ValueError(f"tol must be a finite number >= 0, got {self.tol!r}")
        if isinstance(self.init, str) and self.init != "k-means++":
            raise ValueError(f"init must be 'k-means++' or an array of initial centroids, got {self.init!r}")
        return n_clusters, max_iter, tol

    def _initial_centroids(self, n_clusters: int, n_features: int) -> np.ndarray:
        init = np.array(self.init, dtype=np.float64)
        if init.shape != (n_clusters, n_features):
            raise ValueError(
                f"init has shape {init.shape}, expected (n_clusters, n_features) = ({n_clusters}, {n_features})"
            )
        if not np.all(np.isfinite(init)):
            raise ValueError("init contains NaN or infinity")
        norms = np.linalg.norm(init, axis=1)
        if np.any(norms == 0):
            raise ValueError(f"init row {int(np.flatnonzero(norms == 0)[0])} is zero: a centroid needs a direction")
        return np.asfortranarray(init / norms[:, None])

    # -------------------------------------------------------------------- fit

    def fit(self, X: Any, y: Any = None) -> SphericalKMeans:
        """Cluster the rows of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to cluster (CSR is used as is; other inputs are converted).
        y : ignored

        Returns
        -------
        self
        """
        n_clusters, max_iter, tol = self._check_params()
        X = self._validated(X, reset=True)
        if n_clusters is None:
            return self._fit_auto(X)
        self._fit_k(X, n_clusters, max_iter, tol)
        self.n_clusters_curve_ = None
        return self

    def _fit_k(self, X: Any, n_clusters: int, max_iter: int, tol: float) -> None:
        n_samples, n_features = X.shape
        if n_clusters > n_samples:
            raise ValueError(f"n_clusters={n_clusters} must be <= n_samples={n_samples}")
        data, indices, indptr, n_cols = _buffers(X)
        if isinstance(self.init, str):
            nonzero = np.flatnonzero(_row_squared_norms(X) > 0)
            if len(nonzero) == 0:
                raise ValueError("every row of X is zero: spherical k-means needs rows with a direction")
            first, uniforms = _draw_seeds(_as_generator(self.random_state), self.n_init, len(nonzero), n_clusters)
            if n_features <= DENSE_MAX_FEATURES:
                result = _dense_runs(X, n_clusters, nonzero[first], uniforms, max_iter, tol)
            else:
                result = _core.spherical_kmeans(data, indices, indptr, n_cols, n_clusters, nonzero[first], uniforms,
                                                _n_local_trials(n_clusters), max_iter, tol)
        else:
            init = self._initial_centroids(n_clusters, n_features)
            result = _core.spherical_kmeans_from(data, indices, indptr, n_cols, init, max_iter, tol)
        self.cluster_centers_ = np.ascontiguousarray(result["cluster_centers"])
        self.labels_ = result["labels"]
        self.inertia_ = float(result["inertia"])
        self.n_iter_ = int(result["n_iter"])
        self.inertia_history_ = result["inertia_history"]
        self.n_clusters_ = n_clusters
        distinct = len(np.unique(self.labels_))
        if distinct < n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters ({n_clusters}). "
                "Possibly due to duplicate or zero rows in X.",
                ConvergenceWarning,
                stacklevel=3,
            )

    def _fit_auto(self, X: Any) -> SphericalKMeans:
        if not isinstance(self.init, str):
            raise ValueError("n_clusters='auto' needs init='k-means++': explicit centroids fix k")
        n_samples = X.shape[0]
        candidates = [k for k in _AUTO_CANDIDATES if k <= n_samples - 1]
        if not candidates:
            raise ValueError(f"n_clusters='auto' needs at least 3 rows to compare clusterings, got {n_samples}")
        random_state = 0 if self.random_state is None else self.random_state
        best_k, curve = _scan(X, candidates, sample_size=2000, random_state=random_state, max_iter=self.max_iter,
                              tol=self.tol)
        # the chosen k on all rows: what SphericalKMeans(best_k) fits
        self._fit_k(X, best_k, self.max_iter, float(self.tol))
        self.n_clusters_curve_ = curve
        return self

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit, then return ``labels_``."""
        labels: np.ndarray = self.fit(X).labels_
        return labels

    # ------------------------------------------------------------ after fit

    def predict(self, X: Any) -> np.ndarray:
        """Cluster of highest cosine similarity for each row of X (ties: lowest index).

        Returns
        -------
        labels : ndarray of shape (n_samples,), int64
        """
        check_is_fitted(self, "cluster_centers_")
        data, indices, indptr, n_cols = _buffers(self._validated(X, reset=False))
        labels, _ = _core.assign_to_centroids(data, indices, indptr, n_cols, np.asfortranarray(self.cluster_centers_))
        return labels

    def transform(self, X: Any) -> np.ndarray:
        """Cosine similarity of each row of X to each centroid (zero rows: 0).

        Returns
        -------
        similarities : ndarray of shape (n_samples, n_clusters), float64
        """
        check_is_fitted(self, "cluster_centers_")
        data, indices, indptr, n_cols = _buffers(self._validated(X, reset=False))
        return _core.cosine_similarities(data, indices, indptr, n_cols, np.asfortranarray(self.cluster_centers_))

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit, then return ``transform(X)``."""
        return self.fit(X).transform(X)

    @property
    def _n_features_out(self) -> int:
        """Columns of transform: one per centroid (names from get_feature_names_out)."""
        return int(self.cluster_centers_.shape[0])

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


# ---------------------------------------------------------------- choosing k


def _prediction_strength(test_labels: np.ndarray, predicted: np.ndarray) -> float:
    """Tibshirani & Walther's prediction strength of one split.

    For each cluster of the test half, the share of its pairs of rows that the
    centroids fitted on the training half also put together; the minimum over
    the test clusters of two rows or more (NaN when there is none).
    """
    test_labels, predicted = np.asarray(test_labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)
    width = int(predicted.max(initial=-1)) + 1
    # contingency[c, j]: rows of test cluster c that the training centroids put in cluster j
    contingency = np.bincount(test_labels * width + predicted,
                              minlength=(int(test_labels.max(initial=-1)) + 1) * width).reshape(-1, max(width, 1))
    sizes = contingency.sum(axis=1)
    scored = sizes >= 2
    if not scored.any():
        return float("nan")
    together = (contingency * (contingency - 1)).sum(axis=1)[scored].astype(np.float64)
    return float(np.min(together / (sizes[scored] * (sizes[scored] - 1)).astype(np.float64)))


def _cosine_silhouette(rows: Any, labels: np.ndarray) -> float:
    """scikit-learn's ``silhouette_score(rows, labels, metric="cosine")`` for unit (or zero) rows,
    without the n x n distances.

    For unit rows the cosine distance is ``1 - x_i . x_j``, so the distances of row
    i to the rows of cluster c sum to ``|c| - x_i . s_c``, with ``s_c`` the sum of
    c's rows: one (n x d) by (d x k) product per k, where the distance matrix
    costs n x n memory and n x n x k work. A zero row is at distance 1 from every
    other row and 0 from itself, as scikit-learn's ``cosine_distances`` has it.
    (scikit-learn also clips each distance to [0, 2], which for unit rows changes
    rounding only: the two agree to about 1e-13.)
    """
    n = len(labels)
    _, labels = np.unique(labels, return_inverse=True)
    labels = labels.ravel()
    k = int(labels.max()) + 1
    # row i's one in column labels[i], built as CSR directly (a COO build costs more than the product)
    indicator = sp.csr_array((np.ones(n), labels, np.arange(n + 1)), shape=(n, k))
    cluster_sums = indicator.T @ rows
    if sp.issparse(rows):
        cluster_sums = cluster_sums.toarray()
        squared_norms = _row_squared_norms(rows)
    else:
        squared_norms = np.einsum("ij,ij->i", rows, rows)
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    sums = sizes - np.asarray(rows @ cluster_sums.T)  # sums[i, c]: distances of row i to the rows of c
    sums[np.arange(n), labels] -= 1.0 - squared_norms  # a row's distance to itself is 0
    own = sizes[labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[np.arange(n), labels] / (own - 1)
        means = sums / sizes
    means[np.arange(n), labels] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (b - a) / np.maximum(a, b)
    s = np.where(own > 1, np.nan_to_num(s), 0.0)  # a row alone in its cluster scores 0
    return float(s.mean())


# Up to this many columns, the scan's fits run on dense rows (Eigen's products);
# LSA vectors (50 columns, every entry stored) are the case it is for.
DENSE_MAX_FEATURES = 256


class _Rows:
    """One matrix of the scan (the sample or a half) as the native fits read it,
    with its non-zero rows: made once, reused by every candidate k."""

    def __init__(self, X: Any) -> None:
        self.X = X
        self.buffers = _buffers(X)
        self.dense = np.ascontiguousarray(X.toarray()) if X.shape[1] <= DENSE_MAX_FEATURES else None
        self.nonzero = np.flatnonzero(_row_squared_norms(X) > 0)

    def problem(self, k: int, rng: Any, n_init: int) -> tuple[Any, ...] | None:
        """The arguments of one native batch problem, seeded from rng as
        SphericalKMeans(random_state=rng) seeds its fit; None when k exceeds the rows or every row is zero."""
        if k > self.X.shape[0] or len(self.nonzero) == 0:
            return None
        first, uniforms = _draw_seeds(rng, n_init, len(self.nonzero), k)
        if self.dense is not None:
            return (self.dense, k, self.nonzero[first], uniforms, _n_local_trials(k))
        return (*self.buffers, k, self.nonzero[first], uniforms, _n_local_trials(k))

    def predict(self, centroids: np.ndarray) -> np.ndarray:
        labels, _ = _core.assign_to_centroids(*self.buffers, np.asfortranarray(centroids))
        return labels


class _Sample:
    """What every candidate k of the scan reads: the sample of rows, its random halvings and
    the seeds of the halves' fits, drawn once, in a fixed order, before any fit."""

    def __init__(self, X: Any, sample_size: int, rng: Any, n_splits: int) -> None:
        n_samples = X.shape[0]
        if n_samples > sample_size:
            sample = np.sort(rng.choice(n_samples, sample_size, replace=False))
        else:
            sample = np.arange(n_samples)
        X_sample = X[sample]
        splits = [rng.permutation(len(sample)) for _ in range(n_splits)]
        seeds = rng.randint(0, 2**31 - 1, size=(n_splits, 2)) if isinstance(rng, np.random.RandomState) \
            else rng.integers(0, 2**31 - 1, size=(n_splits, 2))
        self.n_rows = len(sample)
        self.half = len(sample) // 2
        self.whole = _Rows(X_sample)
        self.halves = [(_Rows(X_sample[order[:self.half]]), _Rows(X_sample[order[self.half:]])) for order in splits]
        self.split_seeds = [(int(train), int(test)) for train, test in seeds]

    def fits(self, k: int, random_state: Any, n_init: tuple[int, int], max_iter: int,
             tol: float) -> list[dict[str, Any] | None]:
        """The fits of candidate k, in one native batch (spread over the threads, each fit on one):
        the sample's, then each split's two halves' (when both hold more rows than k); None where
        a fit is impossible. With an int seed, the sample's fit is seeded as SphericalKMeans(k,
        random_state=seed) seeds its own; a RandomState or Generator is drawn further, k after k.
        n_init: the runs of the sample's fit and of each half's."""
        problems = [self.whole.problem(k, _as_generator(random_state), n_init[0])]
        if k <= self.half - 1:  # both halves must hold more rows than clusters
            for (train, test), (seed_train, seed_test) in zip(self.halves, self.split_seeds):
                problems.append(train.problem(k, _as_generator(seed_train), n_init[1]))
                problems.append(test.problem(k, _as_generator(seed_test), n_init[1]))
        batch = _core.dense_spherical_kmeans_batch if self.whole.dense is not None else _core.spherical_kmeans_batch
        solved = iter(cast(list[dict[str, Any]], batch([p for p in problems if p is not None], max_iter, float(tol))))
        return [next(solved) if p is not None else None for p in problems]

    def score(self, k: int, fits: list[dict[str, Any] | None]) -> dict[str, float]:
        """The curve's row of candidate k from its fits."""
        score, inertia = float("nan"), float("nan")
        fit = fits[0]
        if fit is not None:
            inertia = float(fit["inertia"])
            if 2 <= len(np.unique(fit["labels"])) <= self.n_rows - 1:
                rows = self.whole.dense if self.whole.dense is not None else self.whole.X
                score = _cosine_silhouette(rows, fit["labels"])
        strengths, halves_inertia = [], 0.0
        for (first, second), on_first, on_second in zip(self.halves, fits[1::2], fits[2::2]):
            if on_first is not None and on_second is not None:  # each half in turn is the test half
                strengths.append(_prediction_strength(on_second["labels"], second.predict(on_first["cluster_centers"])))
                strengths.append(_prediction_strength(on_first["labels"], first.predict(on_second["cluster_centers"])))
                halves_inertia += float(on_first["inertia"]) + float(on_second["inertia"])
        strength = float(np.nanmean(strengths)) if strengths and not np.isnan(strengths).all() else float("nan")
        return {"k": k, "prediction_strength": strength, "silhouette": score, "inertia": inertia,
                "halves_inertia": halves_inertia}


def _scan(
    X: Any,
    candidates: list[int],
    *,
    sample_size: int,
    random_state: Any,
    max_iter: int,
    tol: float,
    criterion: str = "prediction_strength",
    n_splits: int = SCAN_N_SPLITS,
    threshold: float = 0.8,
    scan_n_init: int | None = None,
    stop_after: int | None = STOP_AFTER,
) -> tuple[int, pd.DataFrame]:
    """Score the candidate k, in the order given, on one sample of the rows of X (CSR, unit rows).

    Every fit sees the sample or its halves only, so the cost is bounded whatever
    the number of rows; the halves and their buffers are made once and shared by
    every k. With the prediction strength choosing and the candidates in
    ascending order, the scan stops after ``stop_after`` scored candidates in a
    row below ``threshold`` (in any other order every candidate is scored: the
    stop reads "more clusters no longer help", which only an ascending scan can see).
    """
    # Every draw is made in a fixed order: the sample, the splits and their seeds
    # first, then each candidate's seeding in candidate order.
    sample = _Sample(X, sample_size, _as_generator(random_state), n_splits)
    by_strength = criterion == "prediction_strength" and any(k <= sample.half - 1 for k in candidates)
    if scan_n_init is not None:
        n_init = (scan_n_init, scan_n_init)
    else:  # the sample's fit chooses only when the silhouette does
        n_init = (SCAN_SAMPLE_N_INIT if by_strength else SILHOUETTE_N_INIT, SCAN_N_INIT)
    if not by_strength or any(a >= b for a, b in zip(candidates, candidates[1:])):
        stop_after = None  # only an ascending scan by strength can see more clusters stop helping
    rows = []
    settled = 0  # scored candidates in a row below the threshold that removed little inertia
    for k in candidates:
        rows.append(sample.score(k, sample.fits(k, random_state, n_init, max_iter, tol)))
        strength = rows[-1]["prediction_strength"]
        if stop_after is None or np.isnan(strength):
            continue
        previous = rows[-2]["halves_inertia"] if len(rows) > 1 else float("nan")
        # an extra cluster that still removes a tenth of the halves' inertia splits real groups
        # (well separated blobs below their number): the scan goes on
        small_gain = not rows[-1]["halves_inertia"] < (1.0 - STOP_GAIN) * previous
        settled = settled + 1 if strength < threshold and small_gain else 0
        if settled >= stop_after:
            break
    curve = pd.DataFrame(rows, columns=["k", "prediction_strength", "silhouette", "inertia"])
    return _choose(curve, criterion, threshold), curve


def _choose(curve: pd.DataFrame, criterion: str, threshold: float) -> int:
    column = criterion
    if column == "prediction_strength" and curve[column].isna().all():
        column = "silhouette"  # too few rows to split in halves: the silhouette still scores every k
    if curve[column].isna().all():
        raise ValueError("no candidate k gave at least 2 clusters in the scoring sample")
    if column == "prediction_strength":
        strong = curve[curve[column] >= threshold]
        if len(strong):  # Tibshirani & Walther's rule: the largest k that still reproduces
            return int(strong["k"].max())
    return int(curve.loc[curve[column].idxmax(), "k"])  # first maximum: the smallest such k


def choose_n_clusters(
    X: Any,
    candidates: Iterable[int] = _AUTO_CANDIDATES,
    *,
    sample_size: int = 2000,
    random_state: Any = 0,
    n_init: int | None = None,
    max_iter: int = 100,
    tol: float = 1e-4,
    criterion: str = "prediction_strength",
    n_splits: int = SCAN_N_SPLITS,
    threshold: float = 0.8,
    stop_after: int | None = STOP_AFTER,
) -> tuple[int, pd.DataFrame]:
    """Choose the number of clusters of spherical k-means.

    Every candidate k is scored on one sample of rows, the same for every k, by
    two criteria; ``criterion`` says which one chooses (ties: the smallest k).
    Only the sample is clustered (``SphericalKMeans(k, n_init=...,
    random_state=random_state)`` on its rows, and on its halves), so the cost is
    bounded whatever the number of rows: each candidate's fits run in one native
    batch, spread over the threads. ``SphericalKMeans(n_clusters="auto")`` then
    fits the chosen k on all rows.

    * ``"prediction_strength"`` (default; Tibshirani & Walther, 2005): the
      sample is split in random halves ``n_splits`` times; each half is
      clustered on its own, and the centroids of one half assign the rows of
      the other, each half in turn (two-fold cross-validation). The strength of
      one assignment is, over the clusters of the assigned half, the smallest
      share of their pairs of rows that the other half's centroids also keep
      together; the curve holds its mean over the ``2 * n_splits`` assignments.
      A k that matches real groups is found again from any half (strength near
      1); a k that cuts a group in two cuts it differently each time. As in the
      paper, the largest k whose strength reaches ``threshold`` wins (0.8, the
      paper's suggestion); when none does, the k of highest strength.
    * ``"silhouette"``: scikit-learn's ``silhouette_score(..., metric="cosine")``
      of the sample's fit (from the clusters' row sums, without the n x n
      distances). On text it tends to keep rising with k (on BBC news it peaks
      at 9 to 20 clusters for 5 topics, where the prediction strength peaks at
      5), so it is kept as a second opinion.

    Inertia always falls as k grows, so it cannot choose k on its own; the
    sample fit's is in the curve for the "elbow" reader. When the sample is too
    small to split in halves holding more rows than clusters, the silhouette
    chooses.

    **Stopping early.** Past the number of real groups the prediction strength
    falls and does not come back, and each extra cluster removes little of the
    inertia. The scan goes through the candidates in the order given and stops
    after ``stop_after`` scored candidates in a row whose strength is below
    ``threshold`` and whose halves' fits have an inertia at least 90% of the
    candidate's before. Below the number of well separated groups, the strength
    may fail too (the halves merge different pairs of groups), but each extra
    cluster then removes 15% or more of the inertia, so the scan goes on: on
    blobs in 50 dimensions it finds 3, 6, 9, 12 and 15 of them as the full scan
    does (this condition can only lengthen the scan, never end it sooner). On
    BBC news the strength dips below 0.8 at k=3 and 4 and is back at 0.92 at 5;
    the scan stops at 9. Over random_state 0 to 15, on BBC, BBC x4 and
    the gilets jaunes press (with and without cross-language features), the
    full scan never finds a k at 0.8 or above after the stop (at most 0.61), so
    the k chosen is the full scan's, at a quarter of its cost. Candidates not
    reached are not in the curve; ``stop_after=None`` scans them all, and so
    does a list of candidates not in ascending order.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows (scaled to unit L2 norm as in :class:`SphericalKMeans`).
    candidates : iterable of int, default=range(2, 21)
        Values of k to try, each in [2, n_samples - 1], in this order.
    sample_size : int, default=2000
        Rows scored by both criteria (all of them when there are fewer), drawn
        without replacement from ``random_state``.
    random_state : int, RandomState, Generator or None, default=0
        Seeds the sample and the fits.
    n_init : int, optional
        k-means++ runs of every fit (the sample's and each half's); the best by
        inertia is kept. By default, when the prediction strength chooses, 5
        runs for each half and 1 for the sample's fit (only the silhouette and
        inertia columns read it); when the silhouette chooses, 10 for the
        sample's fit (with 3, the five sample articles get k=3 instead of 2).
    max_iter, tol
        As in :class:`SphericalKMeans`.
    criterion : {"prediction_strength", "silhouette"}, default="prediction_strength"
        The column of the curve whose maximum chooses k.
    n_splits : int, default=2
        Random halvings of the sample; the prediction strength averages both
        directions of each.
    threshold : float, default=0.8
        Prediction strength a k must reach to be chosen (the largest such k).
    stop_after : int or None, default=4
        With the prediction strength choosing, stop the scan after this many
        scored candidates in a row below ``threshold`` that removed less than
        a tenth of the inertia (None: score them all). Only candidates in
        ascending order stop early.

    Returns
    -------
    best_k : int
    curve : pandas.DataFrame
        One row per candidate scored, in the order given: ``k``,
        ``prediction_strength`` (mean over the assignments; NaN when a half
        holds too few rows for k), ``silhouette`` (cosine, on the sample; NaN
        when the sample holds fewer than 2 clusters), ``inertia`` (of the
        sample's fit).

    Examples
    --------
    >>> import numpy as np
    >>> import themescope as ts
    >>> rng = np.random.RandomState(0)
    >>> directions = np.eye(3)[rng.randint(3, size=60)] + 0.05 * rng.rand(60, 3)
    >>> best_k, curve = ts.choose_n_clusters(directions, candidates=[2, 3, 4, 5])
    >>> best_k
    3
    >>> curve.columns.tolist()
    ['k', 'prediction_strength', 'silhouette', 'inertia']
    """
    probe = SphericalKMeans(2)
    X = probe._validated(X, reset=True)
    n_samples = X.shape[0]
    ks = []
    for k in candidates:
        k = _check_int("each candidate k", k, 2)
        if k > n_samples - 1:
            raise ValueError(f"candidate k={k} must be <= n_samples - 1 = {n_samples - 1} for a silhouette")
        ks.append(k)
    if not ks:
        raise ValueError("candidates is empty")
    if len(set(ks)) != len(ks):
        raise ValueError(f"candidates repeat a value: {ks}")
    sample_size = _check_int("sample_size", sample_size, 3)
    if n_init is not None:
        n_init = _check_int("n_init", n_init, 1)
    if stop_after is not None:
        stop_after = _check_int("stop_after", stop_after, 1)
    _check_int("max_iter", max_iter, 1)
    n_splits = _check_int("n_splits", n_splits, 1)
    if criterion not in ("prediction_strength", "silhouette"):
        raise ValueError(f"criterion must be 'prediction_strength' or 'silhouette', got {criterion!r}")
    if not isinstance(threshold, numbers.Real) or not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
    best_k, curve = _scan(X, ks, sample_size=sample_size, random_state=random_state, scan_n_init=n_init,
                          max_iter=max_iter, tol=tol, criterion=criterion, n_splits=n_splits,
                          threshold=float(threshold), stop_after=stop_after)
    return best_k, curve
