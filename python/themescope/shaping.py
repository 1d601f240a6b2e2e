"""Finding and shaping themes: a cluster's articles, merging and naming clusters, themes found by a question.

The functions behind :meth:`Clustering.documents <themescope.Clustering.documents>`,
:meth:`Clustering.merge <themescope.Clustering.merge>`,
:meth:`Clustering.rename <themescope.Clustering.rename>`,
:meth:`Explorer.find_themes <themescope.Explorer.find_themes>` and the rich displays.

>>> import themescope as ts
>>> articles = ts.datasets.load_sample_articles()
>>> ex = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
>>> clusters = ex.cluster(2)
>>> best = ex.find_themes("Quad summit", k=1)
>>> "002" in clusters.documents(int(best["cluster"].iloc[0]))["id"].tolist()
True
"""

from __future__ import annotations

import html
import numbers
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .metadata import titles_of
from ._validation import check_int as _check_int

if TYPE_CHECKING:
    from .clustering import Clustering
    from .explorer import Explorer

__all__ = ["cluster_documents", "find_themes", "merge_clusters", "rename_clusters"]


def cluster_number(clustering: Clustering, cluster: Any) -> int:
    """A cluster given by its number or its name, checked: ValueError naming the clusters there are."""
    k = clustering.n_clusters_
    if isinstance(cluster, str):
        matches = np.flatnonzero(clustering.names_.to_numpy(dtype=object) == cluster)
        if len(matches) == 0:
            raise ValueError(f"no cluster is named {cluster!r}; the names are {clustering.names_.tolist()}")
        return int(matches[0])
    if isinstance(cluster, bool) or not isinstance(cluster, numbers.Integral):
        raise TypeError(f"a cluster is its number (int) or its name (str), got {type(cluster).__name__} {cluster!r}")
    number = int(cluster)
    if not 0 <= number < k:
        raise ValueError(f"cluster {number} does not exist: the clusters are 0..{k - 1}")
    return number


def _lsa_centroids(clustering: Clustering) -> np.ndarray:
    lsa = clustering.explorer.lsa_
    k = clustering.n_clusters_
    indicator = sp.csr_array((np.ones(len(clustering.labels_)), (clustering.labels_, np.arange(len(lsa)))),
                             shape=(k, len(lsa)))
    return np.asarray(normalize(indicator @ lsa))


def _top_terms_of_rows(explorer: Explorer, rows: np.ndarray, n: int) -> list[str]:
    # the rows of what Explorer.top_terms ranks (its scores need the whole collection's idf)
    scores, forms, forms_by_language = explorer._key_terms()
    X = sp.csr_array(scores[rows])
    found = []
    for i in range(X.shape[0]):
        start, end = X.indptr[i], X.indptr[i + 1]
        terms, weights = X.indices[start:end], X.data[start:end].copy()
        order = np.lexsort((terms, -weights))[:n]
        order = order[weights[order] > 0]
        # as its language writes them
        shown = explorer._display_names(terms[order], explorer.languages_[rows[i]], forms, forms_by_language)
        found.append(", ".join(str(name) for name in shown))
    return found


def cluster_documents(clustering: Clustering, cluster: Any, n: int | None = None, *, n_terms: int = 5) -> pd.DataFrame:
    """A cluster's articles, most representative first (see :meth:`Clustering.documents`)."""

    number = cluster_number(clustering, cluster)
    n_terms = _check_int("n_terms", n_terms, 1)
    explorer = clustering.explorer
    rows = np.flatnonzero(clustering.labels_ == number)
    scores = explorer.lsa_[rows] @ _lsa_centroids(clustering)[number]
    order = np.lexsort((rows, -scores))
    if n is not None:
        order = order[:_check_int("n", n, 1)]
    rows, scores = rows[order], scores[order]
    table = pd.DataFrame({
        "rank": np.arange(1, len(rows) + 1, dtype=np.int64),
        "index": rows.astype(np.int64),
        "id": explorer.ids_[rows],
    })
    titles = titles_of(explorer.__dict__.get("metadata_"), rows)
    if titles is not None:
        table["title"] = titles
    table["score"] = scores.astype(np.float64)
    table["top_terms"] = _top_terms_of_rows(explorer, rows, n_terms)
    return table


def representative(clustering: Clustering) -> list[str]:
    """Each cluster's most representative article, as a person knows it (title, else id)."""
    from .metadata import label_of

    explorer = clustering.explorer
    centroids = _lsa_centroids(clustering)
    scores = np.einsum("ij,ij->i", explorer.lsa_, centroids[clustering.labels_])
    found = []
    for c in range(clustering.n_clusters_):
        rows = np.flatnonzero(clustering.labels_ == c)
        best = rows[np.lexsort((rows, -scores[rows]))[0]]
        found.append(label_of(explorer.__dict__.get("metadata_"), explorer.ids_, int(best)))
    return found


def merge_clusters(clustering: Clustering, clusters: Iterable[Any]) -> Clustering:
    """A new Clustering where the given clusters are one (see :meth:`Clustering.merge`)."""
    if isinstance(clusters, (str, bytes)) or not isinstance(clusters, Iterable):
        raise TypeError(f"clusters must be a list of clusters to merge, got {type(clusters).__name__} {clusters!r}")
    given = list(clusters)
    numbers_ = sorted({cluster_number(clustering, c) for c in given})
    if len(numbers_) < 2:
        raise ValueError(f"merging needs at least two different clusters, got {given!r}")
    labels = clustering.labels_.copy()
    labels[np.isin(labels, numbers_)] = numbers_[0]
    # names chosen by a person travel with their clusters; a merged cluster joins them
    custom = dict(getattr(clustering, "_custom_names", {}))
    joined = [custom[c] for c in numbers_ if c in custom]
    for c in numbers_:
        custom.pop(c, None)
    if joined:
        custom[numbers_[0]] = " + ".join(joined)
    merged = type(clustering)(clustering.explorer, labels, clustering.method, curve=clustering.curve_, linkage=None)
    first_member = {old: int(np.flatnonzero(labels == old)[0]) for old in np.unique(labels)}
    renamed = {int(merged.labels_[first_member[old]]): name for old, name in custom.items()}
    if renamed:
        rename_clusters(merged, renamed)
    if clustering.explorer.__dict__.get("clusters_") is clustering:
        clustering.explorer.clusters_ = merged  # what the explorer's figures colour by
    return merged


def rename_clusters(clustering: Clustering, names: Mapping[Any, str]) -> Clustering:
    """Give clusters names of one's own, in place (see :meth:`Clustering.rename`)."""
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a mapping {{cluster: name}}, got {type(names).__name__} {names!r}")
    new = clustering.names_.copy()
    chosen = {}
    for cluster, name in names.items():
        number = cluster_number(clustering, cluster)
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"the name of cluster {number} must be a non-empty str, got {name!r}")
        new.iloc[number] = name
        chosen[number] = name
    repeated = new[new.duplicated()].tolist()
    if repeated:
        raise ValueError(f"two clusters would be named {repeated[0]!r}: names must tell clusters apart")
    clustering.names_ = new
    clustering._custom_names = {**getattr(clustering, "_custom_names", {}), **chosen}
    return clustering


def question_vector(explorer: Explorer, text: str, language: str | None = None) -> sp.csr_array:
    """A question as a row of ``vectors_``, read in its language, or in each of the collection's.

    A few words rarely tell their language ("sommet du Quad": und): the question is then analyzed
    as each of the collection's three main languages would (their stop words and stems), and a term
    weighs its largest weight, so that "manifestations" finds the stem of a French corpus.
    """
    from .language import detect_languages

    if language is None or language == "auto":
        found = detect_languages([text], short_sample=True)[0] if explorer.language == "auto" else explorer.language
        readings = [found] if found != "und" else pd.Series(explorer.languages_).value_counts().index[:3].tolist()
    else:
        if not isinstance(language, str):
            raise TypeError(f"language must be a str or None, got {type(language).__name__} {language!r}")
        readings = [language]
    rows = []
    for code in readings:
        tfidf = explorer._term_weights([text], [code])  # weighted as vectors_ (TF-IDF or BM25)
        if explorer.cross_language_features_ is not None:
            extra = explorer.cross_language_features_.transform([text], languages=[code])
            rows.append(sp.csr_array(normalize(explorer._with_cross_language(tfidf, extra))))
        else:
            rows.append(sp.csr_array(normalize(tfidf)))
    best = rows[0]
    for row in rows[1:]:
        best = best.maximum(row)
    return sp.csr_array(normalize(best))


def find_themes(explorer: Explorer, text: str, k: int = 5, clusters: Clustering | None = None,
                language: str | None = None) -> pd.DataFrame:
    """Clusters ranked by their similarity to a question (see :meth:`Explorer.find_themes`)."""

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} {text!r:.40}")
    if not text.strip():
        raise ValueError("find_themes needs a question with words in it, got an empty string")
    if clusters is None:
        clusters = explorer._latest_clusters()
    k = min(_check_int("k", k, 1), clusters.n_clusters_)
    query = question_vector(explorer, text, language)
    # Each cluster's centroid in the space articles are compared in (vectors_: TF-IDF, plus the
    # language-independent features with cross_language=True, which let a French question find
    # English articles).
    indicator = sp.csr_array((np.ones(len(clusters.labels_)), (clusters.labels_, np.arange(len(clusters.labels_)))),
                             shape=(clusters.n_clusters_, len(clusters.labels_)))
    centroids = sp.csr_array(normalize(indicator @ explorer.vectors_))
    scores = np.asarray((centroids @ query.T).toarray()).ravel()
    if not (scores > 0).any():
        warnings.warn(f"no cluster shares a term with {text!r} (a word of a single article is not in the "
                      "vectors, min_df; explorer.search finds it)", stacklevel=3)
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    order = order[scores[order] > 0]
    themes = clusters._top_terms(5)
    examples = representative(clusters)
    return pd.DataFrame({
        "rank": np.arange(1, len(order) + 1, dtype=np.int64),
        "cluster": order.astype(np.int64),
        "name": clusters.names_.to_numpy(dtype=object)[order],
        "score": scores[order].astype(np.float64),
        "size": clusters.sizes_[order],
        "themes": [", ".join(themes[c]) for c in order],
        "example": [examples[c] for c in order],
    })


# ---- rich display ----

def _cell(value: Any) -> str:
    return html.escape(str(value))


def clustering_html(clustering: Clustering, max_rows: int = 30) -> str:
    """The table Jupyter shows for a Clustering: cluster, name, size, themes, an example."""
    themes = clustering._top_terms(6)
    examples = representative(clustering)
    rows = []
    for c in range(min(clustering.n_clusters_, max_rows)):
        rows.append(
            f"<tr><td style='text-align:right'>{c}</td><td><b>{_cell(clustering.names_.iloc[c])}</b></td>"
            f"<td style='text-align:right'>{int(clustering.sizes_[c])}</td><td>{_cell(', '.join(themes[c]))}</td>"
            f"<td>{_cell(examples[c])}</td></tr>")
    more = clustering.n_clusters_ - max_rows
    tail = f"<p>… and {more} more clusters</p>" if more > 0 else ""
    return (
        f"<div class='themescope-clustering'><p><b>Clustering</b>: {clustering.n_clusters_} clusters of "
        f"{len(clustering.labels_)} articles ({_cell(clustering.method)})</p>"
        "<table><thead><tr><th>cluster</th><th>name</th><th>size</th><th>themes</th><th>example</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{tail}</div>")


def explorer_facts(explorer: Explorer) -> list[tuple[str, str]]:
    """What a fitted Explorer holds, as (label, value) pairs for its displays."""
    from .timeline import group_summary

    languages = pd.Series(explorer.languages_).value_counts()
    facts = [
        ("documents", f"{explorer.n_documents_:,}"),
        ("languages", ", ".join(f"{code} {count}" for code, count in languages.items())),
    ]
    metadata = explorer.__dict__.get("metadata_")
    if metadata is not None and "date" in metadata.columns and pd.api.types.is_datetime64_any_dtype(metadata["date"]):
        undated = int(metadata["date"].isna().sum())
        facts.append(("dates", group_summary(metadata["date"]) + (f" ({undated} without a date)" if undated else "")))
    remover = explorer.boilerplate_
    report = getattr(remover, "report_", None)
    if remover is not None:
        facts.append(("boilerplate removed", f"{0 if report is None else len(report):,} lines"))
    vectors = explorer.vectors_
    facts.append(("vectors", f"{vectors.shape[0]:,} × {vectors.shape[1]:,}, {vectors.nnz:,} non-zeros"
                  + (", cross-language" if explorer.cross_language else "")))
    if metadata is not None:
        others = [c for c in metadata.columns if c != "language"]
        if others:
            facts.append(("metadata", ", ".join(map(str, others))))
    clusters = explorer.__dict__.get("clusters_")
    if clusters is not None:
        facts.append(("clusters", f"{clusters.n_clusters_} ({clusters.method})"))
    return facts


def explorer_html(explorer: Explorer) -> str:
    rows = "".join(f"<tr><th style='text-align:left'>{_cell(label)}</th>"
                   f"<td style='text-align:left'>{_cell(value)}</td></tr>"
                   for label, value in explorer_facts(explorer))
    return (f"<div class='themescope-explorer'><p><b>{_cell(explorer._params_repr())}</b></p>"
            f"<table>{rows}</table></div>")
