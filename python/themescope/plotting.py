"""Figures of an :class:`~themescope.Explorer`'s corpus, as matplotlib Figures.

Every function returns a :class:`matplotlib.figure.Figure` made without pyplot:
no global state, no backend to choose, nothing left open. Jupyter shows it when
it is a cell's value; scripts call ``fig.savefig("map.png")``.

>>> import themescope as ts
>>> from themescope import plotting
>>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
>>> fig = plotting.cluster_map(ex, ex.cluster(2))
>>> [ax.get_title() for ax in fig.axes]
['Articles on a 2-D map (LSA, then PCA)']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from scipy.cluster import hierarchy
from sklearn.utils import check_random_state

from ._validation import check_int as _check_int

if TYPE_CHECKING:
    from .clustering import Clustering
    from .explorer import Explorer

__all__ = ["cluster_map", "dendrogram", "similarity_heatmap", "theme_bars"]

_PALETTE = "tab20"


def _colors(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps[_PALETTE]
    return [cmap(i % cmap.N) for i in range(n)]


def _clusters_of(explorer: Explorer, clusters: Clustering | None) -> Clustering:
    return clusters if clusters is not None else explorer._latest_clusters()


def similarity_heatmap(
    explorer: Explorer,
    clusters: Clustering | None = None,
    *,
    max_documents: int = 100,
    figsize: tuple[float, float] = (7.0, 6.0),
) -> Figure:
    """Cosine similarities between documents, ordered by cluster.

    Only a block of at most ``max_documents`` documents is drawn (and computed):
    for larger corpora, a sample of every cluster in proportion to its size (at
    least one each), drawn with ``explorer.random_state``. Lines separate the
    clusters.

    Parameters
    ----------
    explorer : Explorer
        A fitted explorer.
    clusters : Clustering, optional
        Default: ``explorer.clusters_``, else ``explorer.cluster()``.
    max_documents : int, default=100
        At most this many documents are drawn (at least 2).
    figsize : tuple of float, default=(7.0, 6.0)
        The figure's size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap axes (an image of m × m similarities) and its colour bar.

    Examples
    --------
    >>> import themescope as ts
    >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
    >>> from themescope import plotting
    >>> fig = plotting.similarity_heatmap(ex, ex.cluster(2))
    >>> fig.axes[0].images[0].get_array().shape
    (5, 5)
    """

    _check_int("max_documents", max_documents, 2)  # before clustering: a bad value costs nothing
    clusters = _clusters_of(explorer, clusters)
    labels = clusters.labels_
    n = len(labels)
    order, similarities = _similarity_block(explorer, clusters, max_documents)

    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(similarities, cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest")
    fig.colorbar(image, ax=ax, label="cosine similarity")
    ordered_labels = labels[order]
    for boundary in np.flatnonzero(np.diff(ordered_labels)) + 0.5:
        ax.axhline(boundary, color="white", linewidth=0.8)
        ax.axvline(boundary, color="white", linewidth=0.8)
    if len(order) <= 40:
        ids = [str(i) for i in explorer.ids_[order]]
        ax.set_xticks(range(len(order)), ids, rotation=90, fontsize=7)
        ax.set_yticks(range(len(order)), ids, fontsize=7)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    shown = f"{len(order)} of {n} documents" if len(order) < n else f"{n} documents"
    ax.set_title(f"Similarity, ordered by cluster ({shown})")
    return fig


def _similarity_block(explorer: Explorer, clusters: Clustering, max_documents: int) -> tuple[np.ndarray, np.ndarray]:
    """The documents a heatmap shows, ordered by cluster, and their m × m similarities."""

    max_documents = _check_int("max_documents", max_documents, 2)
    labels = clusters.labels_
    n = len(labels)
    if n <= max_documents:
        chosen = np.arange(n)
    else:
        rng = check_random_state(explorer.random_state)
        quota = np.maximum(1, np.floor(clusters.sizes_ * max_documents / n)).astype(int)
        chosen = np.concatenate([
            rng.choice(np.flatnonzero(labels == c), size=min(q, s), replace=False)
            for c, (q, s) in enumerate(zip(quota, clusters.sizes_))
        ])
    order = chosen[np.lexsort((chosen, labels[chosen]))]
    block = explorer.vectors_[order]
    return order, (block @ block.T).toarray()  # m × m, m <= max_documents


def cluster_map(
    explorer: Explorer,
    clusters: Clustering | None = None,
    *,
    figsize: tuple[float, float] = (8.0, 6.0),
    legend: bool = True,
) -> Figure:
    """Every document on the 2-D map (:meth:`Explorer.map2d`), coloured by cluster.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one scatter (PathCollection) per cluster, labelled with
        the cluster's name in the legend.
    """
    clusters = _clusters_of(explorer, clusters)
    points = explorer.map2d(clusters)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    size = float(np.clip(2000 / max(len(points), 1), 3, 60))
    for cluster, color in zip(range(clusters.n_clusters_), _colors(clusters.n_clusters_)):
        members = points[points["cluster"] == cluster]
        ax.scatter(members["x"], members["y"], s=size, color=color, alpha=0.75, linewidths=0,
                   label=f"{cluster}: {clusters.names_[cluster]} ({len(members)})")
    ax.set_xlabel("first principal component")
    ax.set_ylabel("second principal component")
    ax.set_title("Articles on a 2-D map (LSA, then PCA)")
    if legend:
        ax.legend(fontsize=7, markerscale=1.5, loc="best")
    return fig


def theme_bars(
    clusters: Clustering,
    n_terms: int = 8,
    *,
    columns: int = 3,
    max_clusters: int = 12,
) -> Figure:
    """Each cluster's top theme terms (class-based TF-IDF) as horizontal bars.

    Parameters
    ----------
    clusters : Clustering
    n_terms : int, default=8
        Bars per cluster.
    columns : int, default=3
        Panels per row.
    max_clusters : int, default=12
        Only the largest clusters are drawn beyond this.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per cluster drawn, with one bar per term, the best at the top.

    Examples
    --------
    >>> import themescope as ts
    >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
    >>> fig = ex.cluster(2).plot_themes(n_terms=4)
    >>> [len(ax.patches) for ax in fig.axes]
    [4, 4]
    """

    n_terms = _check_int("n_terms", n_terms, 1)
    columns = _check_int("columns", columns, 1)
    shown = min(clusters.n_clusters_, _check_int("max_clusters", max_clusters, 1))
    themes = clusters.themes(n_terms)
    rows = -(-shown // columns)
    ncols = min(columns, shown)
    fig = Figure(figsize=(3.4 * ncols, 0.32 * n_terms * rows + 1.2 * rows), layout="constrained")
    axes = fig.subplots(rows, ncols, squeeze=False)
    colors = _colors(clusters.n_clusters_)
    for cluster in range(rows * ncols):
        ax = axes.flat[cluster]
        if cluster >= shown:
            fig.delaxes(ax)
            continue
        terms = themes[themes["cluster"] == cluster]
        positions = np.arange(len(terms))[::-1]
        ax.barh(positions, terms["weight"], color=colors[cluster])
        ax.set_yticks(positions, terms["term"].tolist(), fontsize=8)
        # a name given with Clustering.rename heads its panel (the top terms are the bars already)
        custom = getattr(clusters, "_custom_names", {}).get(cluster)
        heading = f"{cluster}: {custom}" if custom else f"cluster {cluster}"
        ax.set_title(f"{heading} ({clusters.sizes_[cluster]} docs)", fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle("Themes (class-based TF-IDF)")
    return fig


def dendrogram(
    clusters: Clustering,
    *,
    leaves: int = 30,
    figsize: tuple[float, float] = (9.0, 5.0),
) -> Figure:
    """The merge tree behind the clusters.

    For agglomerative clusters, scipy's dendrogram of the documents' Ward
    linkage (truncated to its last ``leaves`` merges), coloured below the cut
    that gives the clusters. For k-means clusters, the Ward linkage of the
    cluster centroids (in LSA space): how the themes relate, leaves named by
    the clusters' names.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; the links are scipy's line collections (one segment set per link).

    Examples
    --------
    >>> import themescope as ts
    >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
    >>> fig = ex.cluster(2, method="agglomerative").plot_dendrogram()
    >>> fig.axes[0].get_ylabel()
    'Ward distance (LSA space)'
    """

    leaves = _check_int("leaves", leaves, 2)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    if clusters.linkage_ is not None:
        linkage = clusters.linkage_
        k = clusters.n_clusters_
        heights = linkage[:, 2]
        merges = len(heights)
        # The cut lies between the merge that leaves k clusters and the one that leaves k - 1.
        below = float(heights[merges - k]) if k <= merges else 0.0
        above = float(heights[merges - k + 1]) if k >= 2 else float(heights[-1]) * 1.1
        cut = (below + above) / 2
        hierarchy.dendrogram(
            linkage, ax=ax, truncate_mode="lastp", p=min(leaves, len(linkage) + 1),
            color_threshold=cut, above_threshold_color="grey", no_labels=len(linkage) + 1 > leaves,
        )
        ax.axhline(cut, color="black", linestyle="--", linewidth=0.8)
        ax.set_title(f"Agglomerative clustering: {k} clusters below the dashed cut")
    else:
        lsa = clusters.explorer.lsa_
        centroids = np.vstack([lsa[clusters.labels_ == c].mean(axis=0) for c in range(clusters.n_clusters_)])
        if clusters.n_clusters_ < 2:
            raise ValueError("a dendrogram of one cluster has nothing to draw")
        linkage = hierarchy.linkage(centroids, method="ward")
        hierarchy.dendrogram(
            linkage, ax=ax, labels=[f"{c}: {name}" for c, name in enumerate(clusters.names_)],
            orientation="right", above_threshold_color="grey",
        )
        ax.set_title("How the k-means clusters relate (Ward linkage of centroids)")
        ax.set_xlabel("Ward distance (LSA space)")
        return fig
    ax.set_ylabel("Ward distance (LSA space)")
    return fig
