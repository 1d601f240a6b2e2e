"""The clusters of an :class:`~themescope.Explorer`'s corpus and their themes (:class:`Clustering`),
and class-based TF-IDF (:func:`class_tfidf`), the themes' weighting.

What :meth:`Explorer.cluster` returns; the algorithms that find clusters live in ``cluster``
(spherical k-means, choosing k). Imports ``_themes`` and ``_validation``, and, inside methods,
the modules its methods hand over to (``plotting``, ``timeline``, ``shaping``, ``interactive``);
never ``explorer``, which imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._themes import cluster_concentration
from ._validation import check_int as _check_int

if TYPE_CHECKING:
    from .explorer import Explorer

__all__ = ["Clustering", "class_tfidf"]


def class_tfidf(class_counts: Any, *, reduce_frequent_words: bool = True) -> np.ndarray:
    """Class-based TF-IDF of a (classes × terms) count matrix, as BERTopic defines it.

    Each class is one big document: its term frequencies are L1-normalised
    (then square-rooted with ``reduce_frequent_words``), and weighted by
    ``log(1 + A / f_t)``, with ``f_t`` the frequency of term ``t`` in all
    classes and ``A`` the average number of words per class (its integer part).

    ``reduce_frequent_words=True`` is BERTopic's own remedy for words every
    class uses a lot: on BBC's five topics the plain formula ranks "said",
    "will" and "year" among every topic's ten best terms; the square root lets
    the idf push them down ("win, play, england, game, players, match…").

    Examples
    --------
    >>> import numpy as np
    >>> from themescope.explorer import class_tfidf
    >>> counts = np.array([[3, 1, 0], [0, 1, 4]])
    >>> np.round(class_tfidf(counts, reduce_frequent_words=False), 3).tolist()
    [[0.635, 0.275, 0.0], [0.0, 0.22, 0.555]]
    >>> np.round(class_tfidf(counts), 3).tolist()
    [[0.734, 0.549, 0.0], [0.0, 0.491, 0.62]]
    """
    counts = np.asarray(class_counts.toarray() if sp.issparse(class_counts) else class_counts, dtype=np.float64)
    words_per_class = counts.sum(axis=1)
    term_frequency = counts.sum(axis=0)
    # BERTopic's A is the integer part of the mean.
    average_words = float(int(words_per_class.mean()))
    with np.errstate(divide="ignore", invalid="ignore"):
        tf = np.where(words_per_class[:, None] > 0, counts / words_per_class[:, None], 0.0)
        idf = np.where(term_frequency > 0, np.log1p(average_words / term_frequency), 0.0)
    if reduce_frequent_words:
        tf = np.sqrt(tf)
    return tf * idf


def _renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 with cluster 0 the largest (ties: the one whose first article comes first)."""
    uniques, first, inverse, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))  # new number -> old position
    new_of_old = np.empty(len(uniques), dtype=np.int64)
    new_of_old[order] = np.arange(len(uniques))
    return new_of_old[inverse.ravel()]


class Clustering:
    """The clusters of an :class:`Explorer`'s corpus, and their themes.

    Made by :meth:`Explorer.cluster`. Cluster 0 is the largest.

    Attributes
    ----------
    labels_ : ndarray of int64, shape (n_documents,)
        Each document's cluster.
    sizes_ : ndarray of int64, shape (n_clusters,)
        Documents per cluster.
    n_clusters_ : int
    method : str
        ``"kmeans"`` or ``"agglomerative"``.
    names_ : pandas.Series of str
        A short label per cluster: its three top theme terms.
    curve_ : pandas.DataFrame or None
        With ``n_clusters="auto"``, the score of every candidate number of
        clusters (:func:`themescope.choose_n_clusters`).
    linkage_ : ndarray or None
        The agglomerative merge tree (scipy's linkage matrix), or None for k-means.
    """

    def __init__(
        self,
        explorer: Explorer,
        labels: np.ndarray,
        method: str,
        curve: pd.DataFrame | None = None,
        linkage: np.ndarray | None = None,
    ) -> None:
        self.explorer = explorer
        self.labels_ = _renumber_by_size(np.asarray(labels))
        self.method = method
        self.sizes_ = np.bincount(self.labels_).astype(np.int64)
        self.n_clusters_ = len(self.sizes_)
        self.curve_ = curve
        self.linkage_ = linkage
        self._custom_names: dict[int, str] = {}  # rename()'s names, which merge() carries over
        indicator = sp.csr_array(
            (np.ones(len(self.labels_)), (self.labels_, np.arange(len(self.labels_)))),
            shape=(self.n_clusters_, len(self.labels_)),
        )
        class_counts = indicator @ explorer.counts_
        # Class-based TF-IDF, times how concentrated each term is in some clusters (words spread
        # over all of them, like "said", are no theme), without the news function words.
        self.theme_weights_ = class_tfidf(class_counts) * cluster_concentration(class_counts)
        self.theme_weights_[:, explorer.function_terms_] = 0.0
        self.names_ = pd.Series(
            [", ".join(terms) for terms in self._top_terms(3)],
            index=pd.RangeIndex(self.n_clusters_, name="cluster"),
            name="name",
        )

    def _shown_weights(self) -> np.ndarray:
        """theme_weights_ with each word that a phrase above it holds left out (shown once)."""
        from .phrases import hide_covered_words

        shown: np.ndarray = hide_covered_words(self.theme_weights_, self.explorer.vectorizer_.get_feature_names_out())
        return shown

    def _top_terms(self, n_terms: int) -> list[list[str]]:
        rows = []
        for cluster, weights in enumerate(self._shown_weights()):
            order = np.lexsort((np.arange(len(weights)), -weights))[:n_terms]
            order = order[weights[order] > 0]
            rows.append([str(name) for name in self._display_names(cluster, order)])
        return rows

    def _display_names(self, cluster: int, columns: Any) -> Any:
        """The display forms of a cluster's terms, each in the language its documents use it most in."""
        explorer = self.explorer
        members = np.flatnonzero(self.labels_ == cluster)
        return explorer._display_names(columns, explorer._group_languages(members, columns))

    def themes(self, n_terms: int = 10) -> pd.DataFrame:
        """Each cluster's top terms by class-based TF-IDF, in readable surface forms.

        A term's weight is its class-based TF-IDF (:func:`class_tfidf`) times
        its concentration in some clusters (1 - Gries' DP over the clusters:
        0 for a word spread over them as evenly as the words are); news
        function words (``Explorer.function_terms_``) are left out.

        Parameters
        ----------
        n_terms : int, default=10
            Terms per cluster.

        Returns
        -------
        pandas.DataFrame
            Columns ``cluster``, ``rank`` (1 is the best), ``term`` (the most
            frequent surface form of the stem) and ``weight``; ties are broken
            by term order in the vocabulary.

        Examples
        --------
        >>> import themescope as ts
        >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
        >>> themes = ex.cluster(2).themes(n_terms=3)
        >>> themes.columns.tolist()
        ['cluster', 'rank', 'term', 'weight']
        >>> len(themes)
        6
        """
        n_terms = _check_int("n_terms", n_terms, 1)
        frames = []
        for cluster, weights in enumerate(self._shown_weights()):
            order = np.lexsort((np.arange(len(weights)), -weights))[:n_terms]
            order = order[weights[order] > 0]
            frames.append(pd.DataFrame({
                "cluster": np.full(len(order), cluster, dtype=np.int64),
                "rank": np.arange(1, len(order) + 1, dtype=np.int64),
                "term": self._display_names(cluster, order),
                "weight": weights[order],
            }))
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """One row per cluster: ``size``, ``name`` and the ids of its first documents."""
        ids = self.explorer.ids_
        examples = [", ".join(map(str, ids[self.labels_ == c][:3])) for c in range(self.n_clusters_)]
        return pd.DataFrame(
            {"size": self.sizes_, "name": self.names_.to_numpy(), "examples": examples},
            index=pd.RangeIndex(self.n_clusters_, name="cluster"),
        )

    def plot_themes(self, n_terms: int = 8, **kwargs: Any) -> Any:
        """Bar chart of each cluster's top theme terms (see :func:`themescope.plotting.theme_bars`)."""
        from .plotting import theme_bars

        return theme_bars(self, n_terms=n_terms, **kwargs)

    def plot_dendrogram(self, **kwargs: Any) -> Any:
        """Dendrogram of the clusters (see :func:`themescope.plotting.dendrogram`)."""
        from .plotting import dendrogram

        return dendrogram(self, **kwargs)

    # ---- time, groups, documents, shaping (the bulk lives in timeline.py and shaping.py) ----
    def over_time(self, freq: str = "W", *, column: str = "date", since: Any = None,
                  until: Any = None) -> pd.DataFrame:
        """How many articles of each cluster appeared in each day, week or month.

        Parameters
        ----------
        freq : {"D", "W", "M"}, default="W"
            Day, week (Monday to Sunday) or month.
        column : str, default="date"
            The metadata column (``explorer.metadata_``) holding the dates;
            strings are parsed (:func:`themescope.metadata.parse_dates`).
        since, until : date or str, optional
            Only the articles dated in this range (inclusive) are counted; how
            many fall outside is ``attrs["outside"]``.

        Returns
        -------
        pandas.DataFrame
            Columns ``period`` (the period's first day), ``cluster``, ``name``,
            ``count`` and ``share`` (of the period's articles; NaN for a period
            without articles). Every period from the first date to the last,
            every cluster. Articles without a date are never dropped: they are
            counted in rows whose ``period`` is NaT, and ``attrs["undated"]``
            is their number.

        Raises
        ------
        ValueError
            ``freq`` is not one of the three, there is no such column, or
            ``since``/``until`` is not a date.

        Examples
        --------
        >>> import pandas as pd
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> corpus = pd.DataFrame({"id": articles.ids, "text": articles.data,
        ...                        "date": ["2021-09-24", "2021-09-25", "2021-09-24", "2021-10-02", None]})
        >>> clusters = ts.Explorer().fit(corpus).cluster(2)
        >>> table = clusters.over_time("W")
        >>> table.columns.tolist(), table.attrs["undated"]
        (['period', 'cluster', 'name', 'count', 'share'], 1)
        """
        from .timeline import over_time

        return over_time(self, freq, column=column, since=since, until=until)

    def plot_over_time(self, freq: str = "W", *, interactive: bool = False, **kwargs: Any) -> Any:
        """Stacked areas of :meth:`over_time` (see :func:`themescope.timeline.plot_over_time`).

        ``share=True`` draws each cluster's share of the period's articles; the
        title says how many articles have no date. ``interactive=True``: a
        plotly figure (see :func:`themescope.interactive.over_time_figure`).
        """
        if interactive:
            from .interactive import over_time_figure

            return over_time_figure(self, freq, **kwargs)
        from .timeline import plot_over_time

        return plot_over_time(self, freq, **kwargs)

    def by(self, column: str, *, normalize: bool | str = False) -> pd.DataFrame:
        """Crosstab of the clusters and a metadata column: which outlets, languages… cover which theme.

        Parameters
        ----------
        column : str
            Any column of ``explorer.metadata_`` (the fitted DataFrame's columns
            other than ``id`` and ``text``, and ``language``).
        normalize : {False, True, "all", "index", "columns"}, default=False
            As :func:`pandas.crosstab`: counts, or shares of everything, of
            each cluster (rows sum to 1) or of each group (columns sum to 1).

        Returns
        -------
        pandas.DataFrame
            One row per cluster (index: ``cluster``, ``name``), one column per
            value, largest group first; missing values are a ``"(missing)"``
            column, never dropped.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> clusters = ts.Explorer().fit(articles.data, ids=articles.ids).cluster(2)
        >>> table = clusters.by("language")
        >>> table.columns.tolist(), int(table.to_numpy().sum())
        (['fr', 'en'], 5)
        """
        from .timeline import by_group

        return by_group(self, column, normalize=normalize)

    def plot_by(self, column: str, **kwargs: Any) -> Any:
        """Heatmap of :meth:`by` (see :func:`themescope.timeline.plot_by_group`)."""
        from .timeline import plot_by_group

        return plot_by_group(self, column, **kwargs)

    def documents(self, cluster: int | str, n: int | None = None, *, n_terms: int = 5) -> pd.DataFrame:
        """A cluster's articles, the most representative first.

        Parameters
        ----------
        cluster : int or str
            The cluster's number or name.
        n : int, optional
            Only the first n.
        n_terms : int, default=5
            Top terms per article.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``index``, ``id``, ``title`` (when the corpus has
            titles), ``score`` (cosine of the article's LSA vector with the
            cluster's centroid: 1 is the centre) and ``top_terms``.

        Raises
        ------
        ValueError
            No such cluster (the message gives the range or the names).

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> clusters = ts.Explorer().fit(articles.data, ids=articles.ids).cluster(2)
        >>> clusters.documents(0).columns.tolist()
        ['rank', 'index', 'id', 'score', 'top_terms']
        """
        from .shaping import cluster_documents

        return cluster_documents(self, cluster, n, n_terms=n_terms)

    def merge(self, clusters: Iterable[int | str]) -> Clustering:
        """A new Clustering where the given clusters are one; this one is left as it is.

        Clusters are numbered again by size (0 the largest); names given with
        :meth:`rename` follow their clusters (a merged cluster joins them with
        " + "), the others are computed from the new themes. If this was the
        explorer's ``clusters_``, the new one takes its place, so later figures
        and reports show the merge.

        Raises
        ------
        ValueError
            Fewer than two different clusters, or one that does not exist.

        Examples
        --------
        >>> import themescope as ts
        >>> clusters = ts.Explorer().fit(ts.datasets.load_sample_articles().data).cluster(3)
        >>> clusters.merge([1, 2]).sizes_.tolist() == sorted(
        ...     [clusters.sizes_[0], clusters.sizes_[1] + clusters.sizes_[2]], reverse=True)
        True
        """
        from .shaping import merge_clusters

        return merge_clusters(self, clusters)

    def rename(self, names: Mapping[int | str, str]) -> Clustering:
        """Name clusters (in place, returns self): the names are used in every later table, figure and report.

        Examples
        --------
        >>> import themescope as ts
        >>> clusters = ts.Explorer().fit(ts.datasets.load_sample_articles().data).cluster(2)
        >>> clusters.rename({0: "Quad summit"}).names_[0]
        'Quad summit'
        """
        from .shaping import rename_clusters

        return rename_clusters(self, names)

    def _repr_html_(self) -> str:
        from .shaping import clustering_html

        return clustering_html(self)

    def __repr__(self) -> str:
        return f"<Clustering method={self.method!r} n_clusters={self.n_clusters_} sizes={self.sizes_.tolist()}>"
