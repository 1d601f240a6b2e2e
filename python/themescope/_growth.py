"""Adding articles to a fitted Explorer: what :meth:`Explorer.add <themescope.Explorer.add>` does.

The new articles go through the fitted steps (boilerplate removal, the
vectorizer's vocabulary and idf, the cross-language features, the LSA
projection), so every vector already there stays as it is; with
``refit=True`` the idf is taken over the grown collection instead, and every
vector and the LSA are computed again. The BM25 search index always grows as if
built on the whole collection (see :meth:`CollectionSearch.add_documents
<themescope.search.CollectionSearch.add_documents>`).

Clusters: each new article goes to the cluster whose centre (the normalised
mean of its members' vectors, ``vectors_``) is most similar, when it is at
least as similar to it as all but ``new_theme_quantile`` of the cluster's own
members are to the centre of the others, and when as much of its text is in the
fitted vocabulary as all but that share of the fitted articles (the cosine sees
the vocabulary only). The others are new themes: grouped by average linkage (cosine),
a group holding together while its articles are on average as similar as the
members of a typical cluster (the median over clusters of their mean pairwise
cosine), each group a new cluster.
"""

from __future__ import annotations

import copy
import numbers
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from ._validation import InvalidValueError
from .text import CountVectorizer

__all__ = ["assign", "new_ids", "project", "vectorize"]


def _check_quantile(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= float(value) < 1:
        raise InvalidValueError(f"new_theme_quantile must be a number in [0, 1), got {value!r}")
    return float(value)


def new_ids(explorer: Any, index: pd.Index, given: bool, n_new: int) -> np.ndarray:
    """The new documents' ids: given (unique, none already in the collection) or continuing 0..n-1."""
    old = pd.Index(explorer.ids_)
    if not given:
        n_old = len(old)
        if not old.equals(pd.RangeIndex(n_old)):
            raise InvalidValueError(
                "this collection has ids of its own: give the new documents theirs (ids=, a Series' "
                "index or a DataFrame's 'id' column)")
        return np.arange(n_old, n_old + n_new)
    taken = old.intersection(index)
    if len(taken):
        raise InvalidValueError(f"ids must be unique; {taken[0]!r} is already in the collection")
    return np.asarray(index.to_numpy())


def vectorize(explorer: Any, docs: list[str], languages: list[str], refit: bool) -> list[str]:
    """Grow counts_, tfidf_, vectors_ and the search index with the new documents' rows; the
    documents as boilerplate removal left them (its report_ is theirs)."""
    cleaned = explorer.boilerplate_.transform(docs, languages=languages) if explorer.boilerplate_ is not None \
        else docs
    vectorizer = explorer.vectorizer_
    # the fitted vocabulary's counts, then the weighting: what vectorizer.transform does, counts kept
    counts = sp.csr_array(CountVectorizer.transform(vectorizer, cleaned, languages=languages))
    all_counts = stack_rows(explorer.counts_, counts)
    # With refit, a copy takes the idf over the grown collection, the vocabulary kept (what a
    # vectorizer given this vocabulary fits on every document); it replaces the fitted weighting
    # only once nothing can fail, so that a refused add leaves the explorer as it was.
    weighting = copy.deepcopy(vectorizer._tfidf) if refit else vectorizer._tfidf
    if refit:
        weighting.fit(all_counts)
        tfidf = sp.csr_array(weighting.transform(all_counts.astype(all_counts.dtype, copy=True), copy=False))
    else:
        added = sp.csr_array(vectorizer._tfidf.transform(counts.astype(counts.dtype, copy=True), copy=False))
        tfidf = stack_rows(explorer.tfidf_, added)
    bm25, terms = _term_rows(explorer, tfidf, counts, all_counts, refit)
    features = explorer.cross_language_features_
    if features is None:
        vectors = _l2(terms) if refit else stack_rows(explorer.vectors_, _l2(terms[-len(docs):]))
    elif refit and hasattr(features, "fit_counts"):
        # The cognate keys are the terms' counts summed per key: a copy (the analyzer shared) refitted
        # on every count, as the idf is (what a fit with this vocabulary gives).
        features = copy.copy(features)
        keys = features.fit_counts(all_counts, vectorizer.vocabulary_)
        vectors = _l2(explorer._with_cross_language(terms, keys))
    else:
        vectors = _cross_language(explorer, terms, features.transform(cleaned, languages=languages), refit)
    explorer.search_.add_documents(docs, languages)
    vectorizer._tfidf = weighting
    explorer.cross_language_features_ = features
    if refit:  # the new articles' words are the collection's now: seen, as a fit on all would see them
        explorer._see_search_terms()
    explorer.bm25_ = bm25
    explorer.counts_, explorer.tfidf_, explorer.vectors_ = all_counts, tfidf, vectors
    return list(cleaned)


def _term_rows(explorer: Any, tfidf: sp.csr_array, counts: sp.csr_array, all_counts: sp.csr_array,
               refit: bool) -> tuple[Any, sp.csr_array]:
    """The weighting of vectors_' terms after the add (bm25_, refitted on a copy with refit) and the
    term rows it gives: the TF-IDF rows, or the BM25 weights of all counts (refit) or of the new ones
    (without refit only the new rows are used: the fitted rows of vectors_ stay as they are)."""
    bm25 = explorer.bm25_
    if bm25 is None:
        return None, tfidf
    if refit:
        bm25 = copy.deepcopy(bm25).fit(all_counts)
        return bm25, bm25.transform(all_counts)
    return bm25, bm25.transform(counts)


def stack_rows(top: Any, bottom: Any) -> sp.csr_array:
    return sp.csr_array(sp.vstack([top, bottom], format="csr"))


def _l2(X: Any) -> sp.csr_array:
    return sp.csr_array(normalize(sp.csr_array(X, dtype=np.float64), norm="l2", copy=False))


def _cross_language(explorer: Any, tfidf: sp.csr_array, extra: Any, refit: bool) -> sp.csr_array:
    n_new = extra.shape[0]
    if not refit:  # weighted as fit weighs them (explorer._with_cross_language)
        added = _l2(explorer._with_cross_language(tfidf[-n_new:], extra))
        return stack_rows(explorer.vectors_, added)
    # The fitted documents' cross-language block, as vectors_ holds it (its direction is all
    # cross_language_vectors uses: it normalises each block's rows).
    n_terms = explorer.tfidf_.shape[1]
    old_extra = explorer.vectors_[:, n_terms:]
    return _l2(explorer._with_cross_language(tfidf, stack_rows(old_extra, extra)))


def project(explorer: Any, n_new: int, refit: bool) -> None:
    """Grow lsa_: the new rows projected on the fitted components, or the LSA fitted again."""
    if refit:
        explorer._learn_lsa(explorer.vectors_, explorer.languages_)
        return
    added = explorer._project(explorer.vectors_[-n_new:], explorer.languages_[-n_new:])
    explorer.lsa_ = np.ascontiguousarray(np.vstack([explorer.lsa_, added]))


def _cluster_sums(vectors: sp.csr_array, labels: np.ndarray, n_clusters: int) -> np.ndarray:
    """Each cluster's sum of its members' rows, dense (n_clusters × n_features)."""
    indicator = sp.csr_array((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                             shape=(n_clusters, len(labels)))
    return np.asarray((indicator @ vectors).toarray())


def typical_pair_similarity(sums: np.ndarray, sizes: np.ndarray) -> float:
    """The median over clusters (of 2 or more members) of their members' mean pairwise cosine.

    For unit vectors, the sum s of a cluster's n members gives it without the
    n² pairs: (|s|² - n) / (n (n - 1)).
    """
    big = sizes >= 2
    if not big.any():
        return 1.0
    n = sizes[big].astype(np.float64)
    return float(np.median(((sums[big] ** 2).sum(axis=1) - n) / (n * (n - 1))))


# Above this many documents that fit no cluster, their n² similarities would take too much memory:
# k-means on their own LSA groups them instead of average linkage.
MAX_LINKED_DOCUMENTS = 4_000


def group_new_themes(vectors: sp.csr_array, link: float, random_state: Any) -> np.ndarray:
    """Labels 0..g-1 of documents that fit no cluster: average linkage (cosine) cut where a
    group's mean pairwise cosine would fall below ``link``; k-means for very many documents."""
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    if n > MAX_LINKED_DOCUMENTS:
        from ._lsa import truncated_svd
        from .cluster import SphericalKMeans

        components = min(50, n - 1, vectors.shape[1] - 1)
        lsa, _ = truncated_svd(vectors, components, random_state=random_state)
        labels = SphericalKMeans("auto", random_state=random_state).fit(normalize(lsa)).labels_
        return np.asarray(labels, dtype=np.int64)
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    similarities = np.asarray((vectors @ vectors.T).toarray())
    distances = np.clip(1.0 - similarities, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    tree = hierarchy.linkage(squareform(distances, checks=False), method="average")
    labels = hierarchy.fcluster(tree, t=max(0.0, 1.0 - link), criterion="distance")
    return np.asarray(labels, dtype=np.int64) - 1


def _similarity_to_the_others(vectors: sp.csr_array, sums: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each member's cosine with its cluster's centre without it (what a new article is compared
    with: a member's own share of the centre would make it look closer than any newcomer can)."""
    rows = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
    n = vectors.shape[0]
    # x·s and |x|² row by row over the stored entries only (sums[labels] would be n × n_features)
    dot = np.bincount(rows, weights=vectors.data * sums[labels[rows], vectors.indices], minlength=n)
    own = np.bincount(rows, weights=vectors.data * vectors.data, minlength=n)  # 1, or 0 for no term
    others = np.sqrt(np.maximum((sums ** 2).sum(axis=1)[labels] - 2 * dot + own, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = (dot - own) / (others * np.sqrt(own))
    return np.where(np.isfinite(cosine), cosine, 0.0)


def vocabulary_coverage(explorer: Any, n_old: int) -> tuple[np.ndarray, np.ndarray]:
    """The fitted documents' and the new ones' share of their words (every word of the text as
    given, as the search index counts them) that are fitted terms (``counts_``).

    A fitted document's share is counted without the terms that are in the vocabulary only
    thanks to it (in ``min_df`` documents exactly): a new document has no such help.
    """
    W = explorer.search_.index.weights_
    rows = np.repeat(np.arange(W.shape[0]), np.diff(W.indptr))
    words = np.maximum(np.bincount(rows, weights=explorer.search_.term_counts, minlength=W.shape[0]), 1.0)
    counts = sp.csr_array(explorer.counts_)
    old = counts[:n_old]
    df = np.bincount(old.indices, minlength=old.shape[1])
    min_df = explorer.vectorizer_.min_df
    at_least = min_df if isinstance(min_df, numbers.Integral) else min_df * (n_old - 1)
    kept_without_it = np.asarray(df - 1 >= at_least, dtype=np.float64)
    old_rows = np.repeat(np.arange(n_old), np.diff(old.indptr))
    counted_old = np.bincount(old_rows, weights=old.data * kept_without_it[old.indices], minlength=n_old)
    counted_new = np.asarray(counts[n_old:].sum(axis=1), dtype=np.float64).ravel()
    return counted_old / words[:n_old], counted_new / words[n_old:]


def assign(explorer: Any, n_new: int, quantile: float) -> pd.DataFrame:
    """Put the new documents in the explorer's clusters_ (or new ones); their assignment as a table.

    Judged on ``vectors_`` (the TF-IDF space), not the LSA: the LSA components are those of the
    fitted articles, and an article on an unseen subject has little in them, so its projection,
    once normalised, can look like any cluster's.
    """
    from .clustering import Clustering

    clustering = explorer.clusters_
    n_old = len(clustering.labels_)
    k = clustering.n_clusters_
    old_labels = clustering.labels_
    old, new = explorer.vectors_[:n_old], explorer.vectors_[n_old:]
    sums = _cluster_sums(old, old_labels, k)
    sizes = np.bincount(old_labels[np.diff(old.indptr) > 0], minlength=k)  # members with terms
    centres = np.asarray(normalize(sums))
    own = _similarity_to_the_others(old, sums, old_labels)
    # Members without a term (emptied by the cleaning, or no fitted term) tell nothing of how
    # tight their cluster is; a cluster of such members only takes documents exactly as close.
    has_terms = np.diff(old.indptr) > 0
    thresholds = np.array([np.quantile(own[(old_labels == c) & has_terms], quantile)
                           if ((old_labels == c) & has_terms).any() else np.inf for c in range(k)])
    similarities = np.asarray(new @ centres.T)
    nearest = np.argmax(similarities, axis=1)  # ties: the lower cluster number, as argmax gives
    best = similarities[np.arange(n_new), nearest]
    # The cosine sees only the fitted vocabulary: an article mostly of words the collection never
    # had ("tracteurs", "agriculteurs" in a collection on a summit) can share its one known word
    # with a cluster. So an article must also have as much of its text in the vocabulary as all
    # but `quantile` of the fitted ones.
    coverage_old, coverage_new = vocabulary_coverage(explorer, n_old)
    enough = np.ones(n_new, dtype=bool)
    if has_terms.any():
        enough = coverage_new >= np.quantile(coverage_old[has_terms], quantile)
    fits = (best >= thresholds[nearest]) & enough
    labels_new = nearest.copy()
    outsiders = np.flatnonzero(~fits)
    if len(outsiders):
        link = typical_pair_similarity(sums, sizes)
        groups = group_new_themes(sp.csr_array(new[outsiders]), link, explorer._seed())
        labels_new[outsiders] = k + groups
    labels = np.concatenate([old_labels, labels_new])
    grown = Clustering(explorer, labels, clustering.method, curve=clustering.curve_, linkage=None)
    # names given with rename() follow their clusters, as after a merge
    custom = dict(getattr(clustering, "_custom_names", {}))
    if custom:
        from .shaping import rename_clusters

        first_member = {c: int(np.flatnonzero(old_labels == c)[0]) for c in custom}
        rename_clusters(grown, {int(grown.labels_[first_member[c]]): name for c, name in custom.items()})
    explorer.clusters_ = grown
    final = grown.labels_[n_old:]
    return pd.DataFrame({
        "cluster": final,
        "name": grown.names_.to_numpy()[final],
        "similarity": best,
        "new_theme": ~fits,
    })
