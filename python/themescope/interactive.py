"""Interactive figures (plotly): the map, the similarity heatmap and themes over time.

A reader hovers a dot to see which article it is (title or id, cluster, top
terms), zooms, hides clusters from the legend, and colours the map by cluster or
by any grouping metadata column (language, outlet…). The figures are
:class:`plotly.graph_objects.Figure` objects: Jupyter shows them as they are, and
:func:`themescope.report.render_report` puts them in the HTML report with
plotly.js inline, so the file still fetches nothing. The matplotlib figures of
:mod:`themescope.plotting` stay for static export (``.savefig``).

Why plotly: one pure-Python wheel that carries its own plotly.js (Altair needs a
second package, vl-convert, to inline Vega; Bokeh needs ``output_notebook()``
before a figure shows in Jupyter), and hover labels, zoom, legend toggling and
the colour menu without custom JavaScript. The cost: plotly.js is about 4.8 MB,
inlined once per report (README, "The HTML report", has the measurement).
It comes with the ``interactive`` extra: ``pip install 'themescope[interactive]'``.

>>> import themescope as ts
>>> from themescope import interactive
>>> articles = ts.datasets.load_sample_articles()
>>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
>>> fig = interactive.map_figure(ex, ex.cluster(2))
>>> [trace.name for trace in fig.data if trace.visible]   # the menu also offers colour by language
['0: Japon, pacifique, alliance (3)', '1: informatiques, décidé, mener (2)']
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .clustering import Clustering
    from .explorer import Explorer

__all__ = ["map_figure", "over_time_figure", "similarity_figure", "to_html", "plotly_js"]

#: Columns the map offers to colour by: those with 2 to this many values.
MAX_COLOUR_GROUPS = 20
_HOVER_TERMS = 5


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError as error:
        raise ImportError(
            "interactive figures need plotly, in the interactive extra: pip install 'themescope[interactive]'"
        ) from error
    return go


def _hex(color: Any) -> str:
    from matplotlib.colors import to_hex

    return str(to_hex(color))


def _palette(n: int) -> list[str]:
    from .plotting import _colors

    return [_hex(c) for c in _colors(n)]


def _clusters_of(explorer: Explorer, clusters: Clustering | None) -> Clustering:
    from .plotting import _clusters_of

    return _clusters_of(explorer, clusters)


def _labels(explorer: Explorer) -> list[str]:
    """Each article as a reader knows it: its title, else its id."""
    from .metadata import titles_of

    ids = [str(i) for i in explorer.ids_]
    titles = titles_of(explorer.__dict__.get("metadata_"), np.arange(len(ids)))
    if titles is None:
        return ids
    return [f"{title} ({i})" if title is not None else i for title, i in zip(titles, ids)]


def colour_columns(explorer: Explorer) -> list[str]:
    """The metadata columns the map can be coloured by: 2 to MAX_COLOUR_GROUPS values, not dates or numbers."""
    metadata = explorer.__dict__.get("metadata_")
    if metadata is None:
        return []
    found = []
    for column in metadata.columns:
        values = metadata[column]
        if not isinstance(column, str) or column in ("title", "path", "url", "text", "id"):
            continue
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        if 2 <= values.astype(object).where(values.notna(), None).nunique(dropna=False) <= MAX_COLOUR_GROUPS:
            found.append(column)
    return found


def map_figure(
    explorer: Explorer,
    clusters: Clustering | None = None,
    *,
    color_by: str = "cluster",
    height: int = 560,
) -> Any:
    """Every article on the 2-D map, hover for its title (or id), cluster and top terms.

    Parameters
    ----------
    explorer : Explorer
        A fitted explorer.
    clusters : Clustering, optional
        Default: ``explorer.clusters_``, else ``explorer.cluster()``.
    color_by : str, default="cluster"
        ``"cluster"`` or a metadata column (``explorer.metadata_``) with 2 to
        20 values; a menu on the figure switches between them.
    height : int, default=560
        Pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        One scatter trace per colour group (legend entries hide and show them)
        for each colouring; the menu shows one colouring at a time.

    Raises
    ------
    ValueError
        ``color_by`` is neither ``"cluster"`` nor a column the map can colour by.
    """
    go = _plotly()
    clusters = _clusters_of(explorer, clusters)
    options = ["cluster"] + colour_columns(explorer)
    if color_by not in options:
        raise ValueError(f"color_by must be one of {options} (columns with 2 to {MAX_COLOUR_GROUPS} values), "
                         f"got {color_by!r}")
    points = explorer.map2d(clusters)
    labels = _labels(explorer)
    top = explorer.top_terms(_HOVER_TERMS)
    terms_of = top.groupby("document", sort=False)["term"].agg(", ".join)
    terms = [terms_of.get(i, "") for i in explorer.ids_]
    names = [f"{c}: {clusters.names_[c]}" for c in points["cluster"]]
    # plotly's labels read a little HTML (<b>, <br>, <a>): what comes from the corpus is shown as text
    hover = np.column_stack([[html.escape(str(v)) for v in column] for column in (labels, names, terms)])
    size = float(np.clip(400 / max(len(points), 1) ** 0.5, 4, 12))
    fig = go.Figure()
    visible_for: dict[str, list[int]] = {}
    for option in options:
        if option == "cluster":
            groups = points["cluster"].to_numpy()
            order: list[Any] = list(range(clusters.n_clusters_))
            group_names = [f"{c}: {clusters.names_[c]}" for c in order]
        else:
            values = explorer.metadata_[option].astype(object)
            groups = values.where(values.notna(), "(missing)").map(str).to_numpy()
            counts = pd.Series(groups).value_counts()
            # as Clustering.by orders them: largest first, ties by name, missing last
            order = sorted(counts.index, key=lambda g: (g == "(missing)", -int(counts[g]), g))
            group_names = [str(g) for g in order]
        colors = _palette(len(order))
        visible_for[option] = []
        for group, name, color in zip(order, group_names, colors):
            rows = np.flatnonzero(groups == group)
            visible_for[option].append(len(fig.data))
            fig.add_trace(go.Scatter(
                x=points["x"].to_numpy()[rows], y=points["y"].to_numpy()[rows], mode="markers",
                name=html.escape(f"{name} ({len(rows)})"), legendgroup=option, visible=option == color_by,
                marker={"size": size, "color": color, "opacity": 0.8, "line": {"width": 0}},
                customdata=hover[rows],
                hovertemplate="<b>%{customdata[0]}</b><br>cluster %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            ))
    if len(options) > 1:
        buttons = []
        for option in options:
            visible = [False] * len(fig.data)
            for index in visible_for[option]:
                visible[index] = True
            buttons.append({"label": f"colour by {option}", "method": "update", "args": [{"visible": visible}]})
        fig.update_layout(updatemenus=[{"buttons": buttons, "active": options.index(color_by),
                                        "x": 0, "xanchor": "left", "y": 1.12, "yanchor": "top"}])
    fig.update_layout(
        title={"text": "Articles on a 2-D map (LSA, then PCA)", "x": 0.5},
        xaxis_title="first principal component", yaxis_title="second principal component",
        height=height, template="plotly_white", hovermode="closest", legend={"font": {"size": 10}},
        margin={"t": 90},
    )
    return fig


def similarity_figure(explorer: Explorer, clusters: Clustering | None = None, *, max_documents: int = 100,
                      height: int = 600) -> Any:
    """The similarity heatmap, ordered by cluster: hover a cell for the two articles and their cosine.

    The same block of documents as :func:`themescope.plotting.similarity_heatmap`.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap trace.
    """
    go = _plotly()
    from .plotting import _similarity_block

    clusters = _clusters_of(explorer, clusters)
    order, similarities = _similarity_block(explorer, clusters, max_documents)
    labels = np.asarray([html.escape(t) for t in _labels(explorer)], dtype=object)[order]
    names = np.array([html.escape(f"{c}: {clusters.names_[c]}") for c in clusters.labels_[order]], dtype=object)
    ticks = [html.escape(str(i)) for i in explorer.ids_[order]]
    custom = np.dstack([np.broadcast_to(labels[:, None], similarities.shape),
                        np.broadcast_to(labels[None, :], similarities.shape),
                        np.broadcast_to(names[:, None], similarities.shape),
                        np.broadcast_to(names[None, :], similarities.shape)])
    fig = go.Figure(go.Heatmap(
        z=similarities, x=list(range(len(order))), y=list(range(len(order))), zmin=0, zmax=1, colorscale="Viridis",
        customdata=custom, colorbar={"title": {"text": "cosine"}},
        hovertemplate=("%{customdata[0]}<br><i>%{customdata[2]}</i><br>%{customdata[1]}<br>"
                       "<i>%{customdata[3]}</i><br>cosine %{z:.2f}<extra></extra>"),
    ))
    shown = f"{len(order)} of {len(clusters.labels_)} documents" if len(order) < len(clusters.labels_) \
        else f"{len(order)} documents"
    axis = {"tickmode": "array", "tickvals": list(range(len(order))), "ticktext": ticks} if len(order) <= 40 \
        else {"showticklabels": False}
    fig.update_layout(title={"text": f"Similarity, ordered by cluster ({shown})", "x": 0.5}, height=height,
                      template="plotly_white", xaxis=axis, yaxis={**axis, "autorange": "reversed"})
    return fig


def over_time_figure(clustering: Clustering, freq: str = "W", *, share: bool = False, since: Any = None,
                     until: Any = None, height: int = 420) -> Any:
    """Themes over time as stacked areas: hover for each cluster's count in the period.

    Returns
    -------
    plotly.graph_objects.Figure
        One stacked area trace per cluster; the title says how many articles
        have no date.
    """
    go = _plotly()
    from .timeline import not_shown

    table = clustering.over_time(freq, since=since, until=until)
    dated = table[table["period"].notna()]
    colors = _palette(clustering.n_clusters_)
    fig = go.Figure()
    value = "share" if share else "count"
    for c in range(clustering.n_clusters_):
        rows = dated[dated["cluster"] == c]
        fig.add_trace(go.Scatter(
            x=rows["period"], y=rows[value].fillna(0.0), mode="lines", stackgroup="clusters",
            name=html.escape(f"{c}: {clustering.names_[c]}"), line={"color": colors[c], "width": 0.5},
            hovertemplate="%{x|%Y-%m-%d}: %{y}" + (" of the articles" if share else " articles")
            + "<extra>%{fullData.name}</extra>",
        ))
    unit = {"D": "day", "W": "week", "M": "month"}[freq]
    note = not_shown(table)
    fig.update_layout(title={"text": f"Themes over time (per {unit}){note}", "x": 0.5}, height=height,
                      template="plotly_white", hovermode="x unified",
                      yaxis_title="share of the period's articles" if share else f"articles per {unit}")
    return fig


def plotly_js() -> str:
    """plotly.js itself, to inline once in a page (about 4.8 MB)."""
    _plotly()
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def to_html(figure: Any, div_id: str) -> str:
    """A figure as a ``<div>`` and its script, without plotly.js (see :func:`plotly_js`).

    ``div_id`` fixes the element's id: the same corpus gives the same report.
    """
    return str(figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                              config={"displaylogo": False, "responsive": True}))
