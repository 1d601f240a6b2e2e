"""Explore a corpus: similar articles, duplicates, clusters, their themes, a map.

:class:`Explorer` is one object for one collection of articles. ``fit`` cleans
the scraped text (:class:`~themescope.BoilerplateRemover`), identifies each
article's language, and computes TF-IDF vectors with the multilingual
:class:`~themescope.Analyzer` (stop words and stems of each article's language);
with ``cross_language=True`` it adds language-independent features so that a
French and an English report of one event come close. Then:

- ``neighbors``, ``similar``, ``query``: exact cosine top-k
  (:func:`~themescope.top_k_similar`), never a dense n×n matrix;
- ``duplicates``: groups of near-identical articles (the same story twice);
- ``cluster``: spherical k-means (:class:`~themescope.SphericalKMeans`) or
  agglomerative (Ward, :func:`scipy.cluster.hierarchy.linkage`) on the LSA
  vectors, with each cluster's *themes* by class-based TF-IDF;
- ``top_terms``, ``map2d`` and figures (:mod:`themescope.plotting`).

Results a person reads are pandas DataFrames; results a program uses
(neighbour indices, labels) are numpy arrays.

>>> import themescope as ts
>>> articles = ts.datasets.load_sample_articles()
>>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
>>> ex.languages_.tolist()
['fr', 'fr', 'en', 'fr', 'fr']
>>> ex.similar("000", k=2)["id"].tolist()
['001', '004']
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._themes import cluster_concentration, function_term_mask
from .analysis import Analyzer
from .phrases import Phrases
from .language import detect_languages
from .persist import Persistent
from .text import CountVectorizer, TfidfVectorizer

__all__ = ["Clustering", "Explorer"]

# What the vectorizer does unless told otherwise, and why:
# - sublinear_tf: a word said ten times is not ten times the topic (1 + log tf);
# - min_df=2: a term in a single article links no two articles, it only dilutes
#   every vector it is in, and a theme is by definition shared.
# No max_df: the Analyzer removes each language's stop words, and a story's own
# words ("gilets jaunes") may rightly be in most of a corpus about it.
DEFAULT_VECTORIZER_OPTIONS: dict[str, Any] = {"sublinear_tf": True, "min_df": 2}

# LSA: "a few dozen" dimensions keep the topics and drop the noise of the
# individual word choices (Deerwester et al. 1990); clusters, the map and the
# dendrogram work there.
LSA_COMPONENTS = 50

# Ward linkage needs the n(n-1)/2 pairwise distances: refuse beyond this many
# documents (1.6 GB of float64) rather than exhaust memory.
MAX_AGGLOMERATIVE_DOCUMENTS = 20_000

_VECTORIZER_PARAMS = frozenset(inspect.signature(TfidfVectorizer.__init__).parameters) - {"self"}
_COUNT_PARAMS = frozenset(inspect.signature(CountVectorizer.__init__).parameters) - {"self"}
_OWN_PARAMS = ("language", "boilerplate", "cross_language", "cross_language_weight", "random_state")
_METHODS = ("kmeans", "agglomerative")


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _check_int(name: str, value: Any, low: int, high: int | None = None, what: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name}={number} is out of range: it must be {bound}{what}")
    return number


def _documents_and_ids(texts: Any, ids: Any) -> tuple[list[str], pd.Index]:
    """The documents as a list of str and their ids, or a clear error."""
    labels: Sequence[Any] | None = None
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"texts must be a collection of documents (list, pandas Series or DataFrame), "
            f"got a single {type(texts).__name__}"
        )
    if isinstance(texts, pd.DataFrame):
        missing = [c for c in ("id", "text") if c not in texts.columns]
        if missing:
            raise ValueError(
                f"a DataFrame of documents needs columns 'id' and 'text'; missing {missing}, "
                f"found {list(texts.columns)}"
            )
        if ids is not None:
            raise ValueError("ids given twice: as the DataFrame's 'id' column and as ids=")
        ids = texts["id"].tolist()
        labels = ids
        docs = texts["text"].tolist()
    elif isinstance(texts, pd.Series):
        labels = texts.index.tolist()
        if ids is None and not isinstance(texts.index, pd.RangeIndex):
            ids = labels
        docs = texts.tolist()
    elif isinstance(texts, Iterable):
        docs = list(texts)
    else:
        raise TypeError(f"texts must be an iterable of str, got {type(texts).__name__}")
    for position, doc in enumerate(docs):
        if type(doc) is str or isinstance(doc, str):
            continue
        where = f"document {position}" + (
            f" (index {labels[position]!r})" if labels is not None and labels[position] != position else ""
        )
        if _is_missing(doc):
            raise ValueError(f"{where} is missing ({doc!r}); drop or fill the missing texts first")
        hint = " (decode bytes first, e.g. with .decode('utf-8'))" if isinstance(doc, bytes) else ""
        raise TypeError(f"{where} is {type(doc).__name__} ({doc!r:.40}), expected str{hint}")
    if ids is None:
        index = pd.RangeIndex(len(docs))
    else:
        if isinstance(ids, (str, bytes)):
            raise TypeError("ids must be a collection of ids, one per document, not a single str")
        id_list = list(ids)
        if len(id_list) != len(docs):
            raise ValueError(f"{len(id_list)} ids for {len(docs)} documents")
        for position, value in enumerate(id_list):
            if _is_missing(value):
                raise ValueError(f"id {position} is missing ({value!r})")
            if not isinstance(value, Hashable):
                raise TypeError(f"id {position} is {type(value).__name__}, not hashable")
        index = pd.Index(id_list)
        if not index.is_unique:
            duplicated = index[index.duplicated()][0]
            raise ValueError(f"ids must be unique; {duplicated!r} appears more than once")
    return docs, index


def _l2_rows(X: Any) -> sp.csr_array:
    X = sp.csr_array(X, dtype=np.float64)
    return sp.csr_array(normalize(X, norm="l2", copy=False))


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

        return hide_covered_words(self.theme_weights_, self.explorer.vectorizer_.get_feature_names_out())

    def _top_terms(self, n_terms: int) -> list[list[str]]:
        names = self.explorer.feature_names_
        rows = []
        for weights in self._shown_weights():
            order = np.lexsort((np.arange(len(weights)), -weights))[:n_terms]
            rows.append([str(names[t]) for t in order if weights[t] > 0])
        return rows

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
        names = self.explorer.feature_names_
        frames = []
        for cluster, weights in enumerate(self._shown_weights()):
            order = np.lexsort((np.arange(len(weights)), -weights))[:n_terms]
            order = order[weights[order] > 0]
            frames.append(pd.DataFrame({
                "cluster": np.full(len(order), cluster, dtype=np.int64),
                "rank": np.arange(1, len(order) + 1, dtype=np.int64),
                "term": names[order].astype(object),
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


# A language's articles share its function words, spelling and n-grams: in LSA
# space they sit around a common offset, the largest direction of a mixed-language
# corpus (k=2 splits gilets_jaunes_fr_en by language: NMI 0.012 against its story
# labels). Removing each language's mean leaves what its articles say (NMI 0.40).
# Languages with few articles keep their vectors: their mean would be the articles.
MIN_ARTICLES_TO_CENTRE = 10


def _centre_per_language(lsa: np.ndarray, languages: Any) -> np.ndarray:
    """Subtract each language's mean LSA vector from its articles, then L2-normalise."""
    languages = np.asarray(languages, dtype=object)
    centred = np.array(lsa, dtype=np.float64, copy=True)
    for language in sorted(set(languages.tolist()) - {"und"}):
        rows = np.flatnonzero(languages == language)
        if len(rows) >= MIN_ARTICLES_TO_CENTRE:
            centred[rows] -= centred[rows].mean(axis=0)
    return np.ascontiguousarray(normalize(centred))


class Explorer(Persistent, BaseEstimator):  # type: ignore[misc]
    """Explore a collection of news articles: neighbours, duplicates, clusters, themes.

    Parameters
    ----------
    language : str, default="auto"
        The articles' language (ISO 639-1), or ``"auto"`` to identify it per
        article, once (:func:`~themescope.detect_languages` with
        ``short_sample=True``, on the text as given): that answer chooses the
        stop words of boilerplate removal, the stop words and stemmer of the
        :class:`~themescope.Analyzer`, and is ``languages_``.
    boilerplate : bool, default=True
        Remove scraped boilerplate (newsletter blocks, comment forms, lists)
        with :class:`~themescope.BoilerplateRemover` before anything else.
    cross_language : bool, default=False
        Add language-independent features (:class:`~themescope.CrossLanguageFeatures`)
        so that articles on one story in different languages come close; and
        for clusters and the map, centre each language's LSA vectors on that
        language's mean (languages of at least 10 articles), so that groups
        form by story rather than by language.
    cross_language_weight : float or None, default=None
        The weight of those features (None: the cross-language module's default).
    random_state : int, RandomState or None, default=0
        Seed of the randomized SVD, k-means and samples: same seed, same results.
    **vectorizer_options
        Parameters of :class:`~themescope.TfidfVectorizer`, over the defaults
        ``sublinear_tf=True, min_df=2`` and
        ``analyzer=ts.Analyzer(language, fold_accents=True,
        phrases=ts.Phrases(keep_words=True))`` (a word written with and
        without its accents, "Etats"/"États", is one term; names, compounds
        and collocations learned from the corpus, "Joe Biden", "États-Unis",
        are terms beside their words, and themes and top terms show a word
        that a phrase above it holds only once).

    Attributes
    ----------
    ids_ : ndarray, shape (n_documents,)
        The documents' ids (given, the Series' index, the DataFrame's ``id``
        column, or 0..n-1).
    languages_ : ndarray of str, shape (n_documents,)
        Each document's language.
    vectorizer_ : TfidfVectorizer
        The fitted vectorizer.
    tfidf_ : scipy.sparse.csr_array, shape (n_documents, n_terms)
        TF-IDF rows of the analyzer's terms.
    vectors_ : scipy.sparse.csr_array of float64, shape (n_documents, n_features)
        L2-normalised rows every similarity is computed on: ``tfidf_``, plus the
        cross-language features when ``cross_language=True``.
    counts_ : scipy.sparse.csr_array, shape (n_documents, n_terms)
        Term counts (for the themes).
    feature_names_ : ndarray of str, shape (n_terms,)
        Each term in readable form (the most frequent surface form of a stem).
    function_terms_ : ndarray of bool, shape (n_terms,)
        The terms that are news function words of the documents' languages
        (:data:`themescope.lexicon.NEWS_FUNCTION_WORDS`: "said", "also",
        "selon"...): kept in the vectors, left out of themes and top terms.
    lsa_ : ndarray of float64, shape (n_documents, n_components)
        L2-normalised LSA vectors (randomized truncated SVD of ``vectors_``;
        with ``cross_language=True``, centred per language first).
    boilerplate_ : BoilerplateRemover or None
        The fitted remover (its ``report_`` lists the lines removed).
    search_ : themescope.search.CollectionSearch
        The BM25 index of the articles, for short queries (:meth:`query`,
        :meth:`search`, :meth:`explain_match`).
    clusters_ : Clustering
        The latest result of :meth:`cluster` (what :meth:`map2d` colours by).

    Examples
    --------
    >>> import themescope as ts
    >>> articles = ts.datasets.load_sample_articles()
    >>> ex = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
    >>> indices, scores = ex.neighbors(k=1)
    >>> ex.ids_[indices[[0, 2], 0]].tolist()   # 000 (fr) and 002 (en): the same Quad summit
    ['002', '000']
    """

    def __init__(
        self,
        language: str = "auto",
        boilerplate: bool = True,
        cross_language: bool = False,
        random_state: Any = 0,
        *,
        cross_language_weight: float | None = None,
        **vectorizer_options: Any,
    ) -> None:
        self.language = language
        self.boilerplate = boilerplate
        self.cross_language = cross_language
        self.random_state = random_state
        self.cross_language_weight = cross_language_weight
        unknown = sorted(set(vectorizer_options) - _VECTORIZER_PARAMS)
        if unknown:
            # What Python says for any unknown keyword: a misspelt option must not be dropped.
            raise TypeError(
                f"Explorer got unexpected keyword argument(s) {unknown}: neither an Explorer "
                f"parameter nor a TfidfVectorizer parameter"
            )
        for name, value in vectorizer_options.items():
            setattr(self, name, value)

    # ---- estimator parameters: the named ones plus the vectorizer options set ----
    def _vectorizer_option_names(self) -> list[str]:
        return sorted(name for name in _VECTORIZER_PARAMS if name in self.__dict__)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = super().get_params(deep=deep)
        for name in self._vectorizer_option_names():
            params[name] = getattr(self, name)
        return params

    def set_params(self, **params: Any) -> Explorer:
        for name, value in params.items():
            if name in _OWN_PARAMS or name in _VECTORIZER_PARAMS:
                setattr(self, name, value)
            else:
                raise ValueError(
                    f"Invalid parameter {name!r} for Explorer: not one of {list(_OWN_PARAMS)} "
                    f"nor a TfidfVectorizer parameter"
                )
        return self

    def _vectorizer(self) -> TfidfVectorizer:
        options = dict(DEFAULT_VECTORIZER_OPTIONS)
        options["analyzer"] = Analyzer(language=self.language, fold_accents=True, phrases=Phrases(keep_words=True))
        options.update({name: getattr(self, name) for name in self._vectorizer_option_names()})
        return TfidfVectorizer(**options)

    def _validate(self) -> None:
        if not isinstance(self.language, str):
            raise TypeError(f"language must be a str, got {type(self.language).__name__} {self.language!r}")
        for name in ("boilerplate", "cross_language"):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {value!r}")
        weight = self.cross_language_weight
        if weight is not None and (
            isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not 0 <= weight <= 1
        ):
            raise ValueError(f"cross_language_weight must be None or a number in [0, 1], got {weight!r}")

    def _languages(self, docs: list[str]) -> list[str]:
        """Each document's language: ``language``, or identified as the Analyzer would."""
        if self.language != "auto":
            return [self.language] * len(docs)
        return detect_languages(docs, short_sample=True)

    # ---- fitting ----
    def fit(self, texts: Any, ids: Any = None, y: Any = None) -> Explorer:
        """Clean, analyze and vectorize the corpus.

        Parameters
        ----------
        texts : list of str, pandas Series or DataFrame
            The articles. A Series gives its index as ids (unless it is the
            default 0..n-1); a DataFrame needs columns ``id`` and ``text`` (what
            :func:`themescope.read_corpus` returns).
        ids : sequence, optional
            One unique id per article; default: as above, else 0..n-1.

        Returns
        -------
        self

        Raises
        ------
        TypeError
            If a document is not a str (the error names it).
        ValueError
            If a document is missing (None, NaN), there are fewer than two
            documents, every document is empty, or ids are not unique.
        """
        self._validate()
        docs, index = _documents_and_ids(texts, ids)
        if len(docs) < 2:
            raise ValueError(f"an Explorer needs at least 2 documents, got {len(docs)}")
        if not any(doc.strip() for doc in docs):
            raise ValueError(f"all {len(docs)} documents are empty")
        stages = ["boilerplate"] * bool(self.boilerplate) + ["vectors"] + ["cross-language"] * bool(
            self.cross_language) + ["LSA"]
        # A bar on a terminal only (disable=None): quiet in logs, pipes and tests.
        from tqdm.auto import tqdm  # imported where used: `import themescope` stays light
        with tqdm(total=len(stages), desc="Explorer.fit", unit="stage", disable=None, leave=False) as bar:
            # Each document's language, identified once (natively, every core, on the sample the
            # Analyzer reads) on the text as given: boilerplate removal, the analyzer and
            # languages_ all use this answer.
            languages = self._languages(docs)
            if self.boilerplate:
                from . import BoilerplateRemover  # type: ignore[attr-defined]

                bar.set_postfix_str("boilerplate")
                remover = BoilerplateRemover()
                cleaned = remover.fit_transform(docs, languages=languages)
                self.boilerplate_: Any = remover
                bar.update()
            else:
                cleaned = docs
                self.boilerplate_ = None
            bar.set_postfix_str("vectors")
            vectorizer = self._vectorizer()
            try:
                # one analysis and counting pass gives both the weights and the themes' counts
                tfidf, counts = vectorizer.fit_transform_with_counts(cleaned, languages=languages)
            except ValueError as error:
                raise ValueError(
                    f"{error} (after boilerplate removal and analysis of {len(docs)} documents "
                    f"with {vectorizer.get_params(deep=False)})"
                ) from error
            self.counts_ = sp.csr_array(counts)
            bar.update()
            self.tfidf_ = sp.csr_array(tfidf)
            if self.cross_language:
                bar.set_postfix_str("cross-language")
                from . import CrossLanguageFeatures, cross_language_vectors  # type: ignore[attr-defined]

                features = CrossLanguageFeatures()
                extra = features.fit_transform(cleaned, languages=languages)
                weighted: dict[str, Any] = {}
                if self.cross_language_weight is not None:
                    weighted["weight"] = self.cross_language_weight
                vectors = cross_language_vectors(self.tfidf_, extra, **weighted)
                self.cross_language_features_: Any = features
                bar.update()
            else:
                vectors = self.tfidf_
                self.cross_language_features_ = None
            self.vectors_ = _l2_rows(vectors)
            self.search_ = self._fit_search(docs, vectorizer, languages)
            bar.set_postfix_str("LSA")
            self.lsa_ = self._lsa(self.vectors_)
            if self.cross_language:
                self.lsa_ = _centre_per_language(self.lsa_, languages)
            bar.update()
        self.vectorizer_ = vectorizer
        self.ids_ = index.to_numpy()
        self.languages_ = np.asarray(languages, dtype=object)
        self.feature_names_ = np.asarray(vectorizer.get_feature_names_out(display=True), dtype=object)
        self.function_terms_ = function_term_mask(vectorizer, languages)
        self.n_documents_ = len(docs)
        from .metadata import document_metadata

        self.metadata_ = document_metadata(texts, self.ids_, self.languages_)
        self.__dict__.pop("clusters_", None)
        self.__dict__.pop("_map_xy", None)
        self.__dict__.pop("_neighbors", None)
        return self

    def _lsa(self, vectors: sp.csr_array) -> np.ndarray:
        n_docs, n_features = vectors.shape
        components = min(LSA_COMPONENTS, n_docs - 1, n_features - 1)
        if components < 1:
            return np.asarray(normalize(vectors.toarray()))
        # scikit-learn's randomized TruncatedSVD, its sparse products on the native core
        from ._lsa import truncated_svd

        transformed, _ = truncated_svd(vectors, components, random_state=self._seed())
        return np.ascontiguousarray(normalize(transformed))

    def _seed(self) -> Any:
        return self.random_state if self.random_state is None or isinstance(self.random_state, numbers.Integral) \
            else check_random_state(self.random_state)

    # ---- looking documents up ----
    def _id_index(self) -> pd.Index:
        return pd.Index(self.ids_)

    def position(self, id_or_index: Any) -> int:
        """Row of a document given its id, or its position when no id matches.

        Raises
        ------
        KeyError
            If it is neither an id nor a position 0..n-1.
        """
        check_is_fitted(self, "vectors_")
        index = self._id_index()
        try:
            found = index.get_loc(id_or_index)
        except (KeyError, TypeError, pd.errors.InvalidIndexError):
            found = None
        if isinstance(found, (int, np.integer)):
            return int(found)
        if isinstance(id_or_index, numbers.Integral) and not isinstance(id_or_index, bool) \
                and 0 <= int(id_or_index) < len(index):
            return int(id_or_index)
        raise KeyError(f"{id_or_index!r} is neither a document id nor a position 0..{len(index) - 1}")

    def _check_k(self, k: Any, available: int) -> int:
        return _check_int("k", k, 1, available, f" (the corpus has {self.n_documents_} documents)")

    # ---- similarity ----
    def neighbors(self, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Each document's k most similar other documents.

        Exact cosine similarity of ``vectors_``, best first, ties by lower index.

        Returns
        -------
        indices : ndarray of int64, shape (n_documents, k)
        scores : ndarray of float64, shape (n_documents, k)

        Examples
        --------
        >>> import themescope as ts
        >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
        >>> indices, scores = ex.neighbors(k=2)
        >>> indices.shape, bool((scores[:, 0] >= scores[:, 1]).all())
        ((5, 2), True)
        """
        check_is_fitted(self, "vectors_")
        k = self._check_k(k, self.n_documents_ - 1)
        from . import top_k_similar  # type: ignore[attr-defined]

        indices, scores = top_k_similar(self.vectors_, k=k)
        # kept for duplicates(), which needs the top 10 again (the costliest query of a corpus)
        # copies: a caller editing the returned arrays must not change what duplicates() reads
        self.__dict__["_neighbors"] = (k, indices.copy(), scores.copy())
        return indices, scores

    def similar(self, id_or_index: Any, k: int = 10) -> pd.DataFrame:
        """The k documents most similar to one document.

        Parameters
        ----------
        id_or_index : id or int
            The document: its id, or its position if no id matches.
        k : int, default=10

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``index``, ``id``, ``score`` (cosine), ``language``
            and ``shared_terms`` (the terms contributing most to the score).

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> ex.similar("003", k=2).columns.tolist()
        ['rank', 'index', 'id', 'score', 'language', 'shared_terms']
        """
        check_is_fitted(self, "vectors_")
        row = self.position(id_or_index)
        k = self._check_k(k, self.n_documents_ - 1)
        from . import top_k_similar  # type: ignore[attr-defined]

        # The document as the one query row: the corpus holds it too, so ask one more and drop it.
        indices, scores = top_k_similar(self.vectors_, k=k + 1, Y=self.vectors_[[row]], exclude_self=False)
        keep = indices[0] != row
        indices, scores = indices[0][keep][:k], scores[0][keep][:k]
        shared = [", ".join(self.shared_terms(row, int(other), n=5)["term"]) for other in indices]
        return self._ranking(indices, scores, shared_terms=shared)

    def _ranking(self, indices: np.ndarray, scores: np.ndarray, **why: list[str]) -> pd.DataFrame:
        """A ranking as people read it: rank, index, id, (title), score, language, and why each matched."""
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), indices)
        return pd.DataFrame({
            "rank": np.arange(1, len(indices) + 1, dtype=np.int64),
            "index": indices.astype(np.int64),
            "id": self.ids_[indices],
            **({"title": titles} if titles is not None else {}),
            "score": scores,
            "language": self.languages_[indices],
            **why,
        })

    def shared_terms(self, a: Any, b: Any, n: int = 10) -> pd.DataFrame:
        """The terms two documents share, by their contribution to the TF-IDF cosine.

        Returns
        -------
        pandas.DataFrame
            Columns ``term``, ``weight`` (product of the two TF-IDF weights),
            ``weight_a`` and ``weight_b``, best first.
        """
        check_is_fitted(self, "vectors_")
        n = _check_int("n", n, 1)
        row_a, row_b = self.position(a), self.position(b)
        x = self.tfidf_[[row_a]].toarray().ravel()
        y = self.tfidf_[[row_b]].toarray().ravel()
        product = x * y
        order = np.lexsort((np.arange(len(product)), -product))[:n]
        order = order[product[order] > 0]
        return pd.DataFrame({
            "term": self.feature_names_[order],
            "weight": product[order],
            "weight_a": x[order],
            "weight_b": y[order],
        })

    def transform(self, texts: Any) -> sp.csr_array:
        """Vectors of new documents, comparable with ``vectors_``."""
        check_is_fitted(self, "vectors_")
        docs, _ = _documents_and_ids(texts, None)
        languages = self._languages(docs)
        if self.boilerplate_ is not None:
            docs = self.boilerplate_.transform(docs, languages=languages)
        tfidf = sp.csr_array(self.vectorizer_.transform(docs, languages=languages))
        if self.cross_language_features_ is not None:
            from . import cross_language_vectors  # type: ignore[attr-defined]

            extra = self.cross_language_features_.transform(docs, languages=languages)
            weighted: dict[str, Any] = {}
            if self.cross_language_weight is not None:
                weighted["weight"] = self.cross_language_weight
            return _l2_rows(cross_language_vectors(tfidf, extra, **weighted))
        return _l2_rows(tfidf)

    def _fit_search(self, docs: list[str], vectorizer: TfidfVectorizer, languages: Any) -> Any:
        """The BM25 index of the collection: every word of every article, as given.

        As given, boilerplate included: a search should find any word the reader sees, and lines the
        remover drops include content (a fixtures list, captions, a wire paragraph two outlets share),
        while BM25's idf already weighs down lines that repeat across the collection.
        """
        from .search import CollectionSearch

        options = {name: value for name, value in vectorizer.get_params(deep=False).items() if name in _COUNT_PARAMS}
        # A term in a single article is what finds that article: no min_df, max_df or max_features here.
        options.update(min_df=1, max_df=1.0, max_features=None, vocabulary=None, dtype=np.float64)
        if isinstance(options.get("analyzer"), Analyzer):
            # Stop words indexed too, as Lucene's StandardAnalyzer does since 8.0: BM25's idf weighs
            # them down, and "more than expected", "you", "few" can tell a headline's article.
            # No phrase stage: a query's word must find the articles where it is part of a name.
            options["analyzer"] = clone(options["analyzer"]).set_params(stop_words=None, phrases=False)
        counter = CountVectorizer(**options)
        # the languages identified once in fit: the analyzer does not identify them again
        counts = counter.fit_transform(docs, languages=languages)
        return CollectionSearch(counter, counts, languages)

    def _query_texts(self, texts: Any, language: Any) -> tuple[list[str], str | None]:
        if isinstance(texts, str):
            raise TypeError("texts must be a collection of str; for one text, pass [text]")
        check_is_fitted(self, "vectors_")
        docs, _ = _documents_and_ids(texts, None)
        if language is not None and not isinstance(language, str):
            raise TypeError(f"language must be a str or None, got {type(language).__name__} {language!r}")
        return docs, None if language in (None, "auto") else language

    def _query_terms(self, texts: Any, language: str | None) -> list[Any]:
        docs, language = self._query_texts(texts, language)
        return [self.search_.terms(doc, language) for doc in docs]

    def query(self, texts: Any, k: int = 10, *, language: str | None = None,
              scorer: str = "auto") -> tuple[np.ndarray, np.ndarray]:
        """The k fitted documents that best match each new text.

        The ranking rule: a *short* text (at most
        :data:`~themescope.search.SHORT_QUERY_WORDS` words, split at white
        space: a few words, a name, a headline) is ranked by BM25 (Lucene's
        formula, k1=1.2, b=0.75) over every word of the articles as given
        (boilerplate and stop words included: BM25's idf weighs them down); a
        longer one (an excerpt, an article) by cosine similarity with
        ``vectors_``, as :meth:`similar` compares articles. A text too short
        to identify its language is analyzed in the collection's languages
        (see :mod:`themescope.search`).

        Only documents that share a term with the text are returned: a row
        with fewer than k of them ends with index ``-1`` and score ``NaN``, and
        a text that shares no term with any document (all ``-1``) is named in a
        warning.

        Parameters
        ----------
        texts : list of str or pandas Series
            The queries.
        k : int, default=10
        language : str, optional
            Analyze the queries in this language (ISO 639-1) instead of
            guessing; BM25 only.
        scorer : {"auto", "bm25", "cosine"}, default="auto"
            Force one ranking for every text.

        Returns
        -------
        indices : ndarray of int64, shape (n_texts, k)
            Rows of the fitted corpus (``ids_[indices]`` for their ids), ``-1`` for none.
        scores : ndarray of float64, shape (n_texts, k)
            BM25 scores or cosines (> 0), ``NaN`` for none.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> excerpt = articles.data[2][:600]   # where does this passage come from?
        >>> indices, scores = ex.query([excerpt], k=1)
        >>> ex.ids_[indices[0, 0]]
        '002'
        >>> indices, scores = ex.query(["Chine"], k=1)
        >>> ex.ids_[indices[0, 0]], bool(scores[0, 0] > 0)
        ('003', True)
        """
        if scorer not in ("auto", "bm25", "cosine"):
            raise ValueError(f"scorer must be 'auto', 'bm25' or 'cosine', got {scorer!r}")
        docs, language = self._query_texts(texts, language)
        k = self._check_k(k, self.n_documents_)
        from .search import SHORT_QUERY_WORDS

        short = np.array([scorer == "bm25" or (scorer == "auto" and len(doc.split()) <= SHORT_QUERY_WORDS)
                          for doc in docs], dtype=bool)
        indices = np.full((len(docs), k), -1, dtype=np.int64)
        scores = np.full((len(docs), k), np.nan)
        if short.any():
            rows = np.flatnonzero(short)
            # Languages identified natively for the whole batch, on every core.
            detected = detect_languages([docs[i] for i in rows]) if language is None else [None] * len(rows)
            queries = [self.search_.terms(docs[i], language, found) for i, found in zip(rows, detected)]
            indices[rows], scores[rows] = self.search_.rank(queries, k)
        if not short.all():
            from . import top_k_similar  # type: ignore[attr-defined]

            rows = np.flatnonzero(~short)
            vectors = self.transform([docs[i] for i in rows])
            # Only documents sharing a feature: the smallest positive score is the threshold.
            indices[rows], scores[rows] = top_k_similar(self.vectors_, k=k, Y=vectors, exclude_self=False,
                                                        threshold=float(np.nextafter(0.0, 1.0)))
        for row in np.flatnonzero(indices[:, 0] < 0):
            warnings.warn(f"no article shares a term with the query {docs[row]!r}", stacklevel=2)
        return indices, scores

    def search(self, text: str, k: int = 10, *, language: str | None = None) -> pd.DataFrame:
        """The articles matching one query, best first, with the terms that matched.

        The ranking of :meth:`query` (BM25 for a few words, cosine for an article).

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``index``, ``id``, ``score``, ``language`` and
            ``matched`` (the query's words that matched, by contribution);
            no rows, and a warning, when no article shares a term with the query.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> ex.search("cyberattaques russes", k=1)[["id", "matched"]].values.tolist()
        [['004', 'russes, cyberattaques']]
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        k = min(_check_int("k", k, 1), self.n_documents_)  # "the 10 best" of a smaller corpus: all it has
        indices, scores = self.query([text], k=k, language=language)
        keep = indices[0] >= 0
        rows, values = indices[0][keep], scores[0][keep]
        terms = self._query_terms([text], language)[0]
        matched = [", ".join(dict.fromkeys(self.search_.explain(terms, int(r))["query_words"])) for r in rows]
        return self._ranking(rows, values, matched=matched)

    def explain_match(self, query: str, id_or_index: Any, *, language: str | None = None) -> pd.DataFrame:
        """Why a document matches a short query: each matching term's share of its BM25 score.

        Returns
        -------
        pandas.DataFrame
            One row per query term the document holds, largest contribution
            first: ``term`` (as the index shows it), ``query_words`` (as the
            query has it, case folded), ``query_weight`` (how many query words
            give the term), ``document_weight`` (its BM25 weight in the
            document) and ``contribution`` (their product); the contributions
            sum to the document's BM25 score. No rows: nothing shared.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> ex.explain_match("Quad summit cybersecurity", "002")[["query_words", "contribution"]].round(2).values.tolist()
        [['quad', 0.97], ['cybersecurity', 0.24]]
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, got {type(query).__name__}")
        row = self.position(id_or_index)
        terms = self._query_terms([query], language)[0]
        return self.search_.explain(terms, row)  # type: ignore[no-any-return]

    def duplicates(self, threshold: float = 0.9) -> pd.DataFrame:
        """Groups of near-duplicate documents (the same story, copied or lightly edited).

        Two documents are linked when their cosine similarity is at least
        ``threshold``; a group is a connected set of links.

        Returns
        -------
        pandas.DataFrame
            One row per document in a group, by group then index: ``group``
            (numbered in order of each group's first document), ``index``, ``id`` and ``similarity``
            (its best similarity with another member), with ``title`` after
            ``id`` when the corpus has titles. Empty when there are none.
            ``df.groupby("group")["id"].agg(list)`` gives the groups as lists.
        """
        check_is_fitted(self, "vectors_")
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold <= 1:
            raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
        from scipy.sparse.csgraph import connected_components

        from . import top_k_similar  # type: ignore[attr-defined]

        n = self.n_documents_
        # A group bigger than k + 1 stays connected: each member links to k others in it.
        k = min(n - 1, 10)
        cached = self.__dict__.get("_neighbors")
        if cached is not None and cached[0] >= k:
            # the exact top k of neighbors(): what the threshold keeps of it is the thresholded top k
            indices, scores = cached[1][:, :k].copy(), cached[2][:, :k]
            indices[~(scores >= threshold)] = -1
        else:
            indices, scores = top_k_similar(self.vectors_, k=k, threshold=float(threshold))
        rows = np.repeat(np.arange(n), indices.shape[1])
        cols = indices.ravel()
        linked = cols >= 0
        rows, cols, weights = rows[linked], cols[linked], scores.ravel()[linked]
        graph = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        _, component = connected_components(graph, directed=True, connection="weak")
        best = np.zeros(n)
        np.maximum.at(best, rows, weights)
        np.maximum.at(best, cols, weights)
        sizes = np.bincount(component)
        members = np.flatnonzero(sizes[component] > 1)
        groups = _renumber_first_seen(component[members])
        by_group = np.lexsort((members, groups))
        members, groups = members[by_group], groups[by_group]
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), members)
        return pd.DataFrame({
            "group": groups,
            "index": members.astype(np.int64),
            "id": self.ids_[members],
            **({"title": titles} if titles is not None else {}),
            "similarity": best[members],
        })

    # ---- clusters and themes ----
    def cluster(self, n_clusters: int | str = "auto", method: str = "kmeans") -> Clustering:
        """Cluster the documents, and find each cluster's themes.

        Both methods work on the L2-normalised LSA vectors (``lsa_``):
        ``"kmeans"`` is spherical k-means (:class:`~themescope.SphericalKMeans`,
        cosine), ``"agglomerative"`` is Ward's linkage
        (:func:`scipy.cluster.hierarchy.linkage`) cut into ``n_clusters``.

        Parameters
        ----------
        n_clusters : int or "auto", default="auto"
            ``"auto"`` picks it with :func:`themescope.choose_n_clusters`
            (candidates 2..20, at most n_documents - 1).
        method : {"kmeans", "agglomerative"}, default="kmeans"

        Returns
        -------
        Clustering
            Also kept as ``clusters_``.

        Examples
        --------
        >>> import themescope as ts
        >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
        >>> result = ex.cluster(2)
        >>> result.labels_.shape, int(result.sizes_.sum())
        ((5,), 5)
        """
        check_is_fitted(self, "vectors_")
        if method not in _METHODS:
            raise ValueError(f"method must be one of {list(_METHODS)}, got {method!r}")
        n = self.n_documents_
        curve = None
        auto = isinstance(n_clusters, str)
        if auto:
            if n_clusters != "auto":
                raise ValueError(f"n_clusters must be an int or 'auto', got {n_clusters!r}")
            if n < 3:
                raise ValueError(f"n_clusters='auto' needs at least 3 documents, got {n}")
        else:
            n_clusters = _check_int("n_clusters", n_clusters, 1, n, f" (the corpus has {n} documents)")
        linkage = None
        if method == "kmeans":
            from . import SphericalKMeans  # type: ignore[attr-defined]

            model = SphericalKMeans(n_clusters, random_state=self._seed()).fit(self.lsa_)
            labels = model.labels_
            curve = model.n_clusters_curve_
        else:
            if n > MAX_AGGLOMERATIVE_DOCUMENTS:
                raise ValueError(
                    f"method='agglomerative' needs all n(n-1)/2 distances: {n} documents is more than "
                    f"{MAX_AGGLOMERATIVE_DOCUMENTS}; use method='kmeans'"
                )
            if auto:
                from . import choose_n_clusters  # type: ignore[attr-defined]

                n_clusters, curve = choose_n_clusters(
                    self.lsa_, candidates=range(2, min(20, n - 1) + 1), random_state=self._seed()
                )
            from scipy.cluster import hierarchy
            linkage = hierarchy.linkage(self.lsa_, method="ward")
            labels = hierarchy.fcluster(linkage, t=n_clusters, criterion="maxclust")
        result = Clustering(self, np.asarray(labels), method, curve=curve, linkage=linkage)
        self.clusters_ = result
        return result

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """Each document's n highest-weighted TF-IDF terms, news function words aside.

        The terms of ``function_terms_`` ("said", "also", "selon"...) are left
        out: they are in the vectors, but they are not what an article is about.

        Returns
        -------
        pandas.DataFrame
            Columns ``document`` (id), ``rank`` (1 is the best), ``term``
            (readable form) and ``weight``; ties by vocabulary order.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> top = ex.top_terms(n=3)
        >>> top[top["document"] == "002"]["rank"].tolist()
        [1, 2, 3]
        """
        check_is_fitted(self, "vectors_")
        n = _check_int("n", n, 1)
        X = sp.csr_array(self.tfidf_, copy=True)
        X.data[self.function_terms_[X.indices]] = 0.0
        X.eliminate_zeros()
        from .phrases import hide_covered_words_sparse

        # a word inside a phrase above it is shown once, in the phrase
        X = hide_covered_words_sparse(X, self.vectorizer_.get_feature_names_out())
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        order = np.lexsort((X.indices, -X.data, rows))
        rank = np.arange(len(order)) - X.indptr[rows[order]]
        keep = order[rank < n]
        table = pd.DataFrame({
            "document": self.ids_[rows[keep]],
            "rank": rank[rank < n].astype(np.int64) + 1,
            "term": self.feature_names_[X.indices[keep]],
            "weight": X.data[keep].astype(np.float64),
        })
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), rows[keep])
        if titles is not None:  # the article as a person knows it
            table.insert(1, "title", titles)
        return table

    def map2d(self, clusters: Clustering | None = None) -> pd.DataFrame:
        """Coordinates of every document on a 2-D map, with its cluster.

        The map is the first two principal components of the LSA vectors
        (``lsa_``): deterministic, and distances keep the topics apart.

        Parameters
        ----------
        clusters : Clustering, optional
            Whose labels fill ``cluster``; default ``clusters_`` (the latest
            :meth:`cluster`), else a fresh ``cluster()``.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``x``, ``y``, ``cluster``.
        """
        check_is_fitted(self, "vectors_")
        if clusters is None:
            clusters = self.__dict__.get("clusters_") or self.cluster()
        xy = self._map_coordinates()
        return pd.DataFrame({"id": self.ids_, "x": xy[:, 0], "y": xy[:, 1], "cluster": clusters.labels_})

    def _map_coordinates(self) -> np.ndarray:
        cached = self.__dict__.get("_map_xy")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        lsa = self.lsa_
        dims = min(2, lsa.shape[1], lsa.shape[0])
        xy = np.zeros((lsa.shape[0], 2))
        # PCA(dims, svd_solver="full").fit_transform(lsa), written out: importing
        # sklearn.decomposition cost more than the SVD of this n x 50 matrix.
        from scipy import linalg
        from sklearn.utils.extmath import svd_flip

        U, S, Vt = linalg.svd(lsa - lsa.mean(axis=0), full_matrices=False)
        U, Vt = svd_flip(U, Vt, u_based_decision=False)
        xy[:, :dims] = U[:, :dims] * S[:dims]
        self.__dict__["_map_xy"] = xy
        return xy

    # ---- themes found by a question ----
    def find_themes(self, text: str, k: int = 5, *, clusters: Clustering | None = None,
                    language: str | None = None) -> pd.DataFrame:
        """The clusters closest to a question, in free text, best first.

        The question is vectorized as an article would be (:meth:`transform`;
        a question too short to tell its language is read in each of the
        collection's main languages) and compared by cosine with each
        cluster's centroid in ``vectors_``.
        With ``cross_language=True`` the language-independent features take
        part, so a question in one language finds clusters in another.

        Parameters
        ----------
        text : str
            The question ("manifestations contre la taxe sur le carburant").
        k : int, default=5
            At most this many clusters (fewer if fewer share a term with it).
        clusters : Clustering, optional
            Default: ``clusters_`` (the latest :meth:`cluster`), else a fresh ``cluster()``.
        language : str, optional
            The question's language (ISO 639-1); default: identified.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``cluster``, ``name``, ``score`` (cosine > 0),
            ``size``, ``themes`` (five top terms) and ``example`` (the most
            representative article's title, else its id). No rows, and a
            warning, when no cluster shares a term with the question.

        Raises
        ------
        ValueError
            An empty question.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> clusters = ex.cluster(2)
        >>> best = ex.find_themes("cyberattaques russes", k=1)
        >>> "004" in clusters.documents(int(best["cluster"].iloc[0]))["id"].tolist()
        True
        """
        check_is_fitted(self, "vectors_")
        from .shaping import find_themes

        return find_themes(self, text, k, clusters, language)

    # ---- display ----
    def _params_repr(self) -> str:
        return str(super().__repr__())

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        """scikit-learn's repr, then what a fitted explorer holds, on one line."""
        text = str(super().__repr__(N_CHAR_MAX))
        if "vectors_" not in self.__dict__:
            return text
        from .shaping import explorer_facts

        facts = dict(explorer_facts(self))
        shown = [f"{facts['documents']} documents", facts["languages"]]
        if "dates" in facts:
            shown.append(facts["dates"])
        return f"{text}  # fitted: " + "; ".join(shown)

    def _repr_html_(self) -> str:
        if "vectors_" not in self.__dict__:
            return str(super()._repr_html_inner())  # scikit-learn's diagram of the parameters
        from .shaping import explorer_html

        return explorer_html(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}

    # ---- figures ----
    def plot_similarity(self, clusters: Clustering | None = None, *, interactive: bool = False,
                        **kwargs: Any) -> Any:
        """Heatmap of similarities, ordered by cluster (see :func:`themescope.plotting.similarity_heatmap`).

        ``interactive=True``: a plotly figure instead, hover a cell for its two
        articles (see :func:`themescope.interactive.similarity_figure`).
        """
        if interactive:
            from .interactive import similarity_figure

            return similarity_figure(self, clusters, **kwargs)
        from .plotting import similarity_heatmap

        return similarity_heatmap(self, clusters, **kwargs)

    def plot_map(self, clusters: Clustering | None = None, *, interactive: bool = False, **kwargs: Any) -> Any:
        """The 2-D map coloured by cluster (see :func:`themescope.plotting.cluster_map`).

        ``interactive=True``: a plotly figure instead, hover a dot for its
        title, cluster and top terms, colour by any grouping metadata column
        (see :func:`themescope.interactive.map_figure`).
        """
        if interactive:
            from .interactive import map_figure

            return map_figure(self, clusters, **kwargs)
        from .plotting import cluster_map

        return cluster_map(self, clusters, **kwargs)


def _renumber_first_seen(values: np.ndarray) -> np.ndarray:
    """0, 1, 2… in order of first appearance."""
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]
