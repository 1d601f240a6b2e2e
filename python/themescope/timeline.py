"""Themes over time and by group: which stories rose when, which outlets and languages cover which theme.

The functions behind :meth:`Clustering.over_time <themescope.Clustering.over_time>`,
:meth:`Clustering.by <themescope.Clustering.by>` and their figures. They read the
articles' metadata kept by :meth:`Explorer.fit <themescope.Explorer.fit>` (``explorer.metadata_``).

Articles without a date are never dropped: :func:`over_time` counts them in rows whose
``period`` is ``NaT``, and the figure says how many there are.

>>> import themescope as ts
>>> from themescope.timeline import by_group
>>> articles = ts.datasets.load_sample_articles()
>>> clusters = ts.Explorer().fit(articles.data, ids=articles.ids).cluster(2)
>>> by_group(clusters, "language", normalize="columns").sum().tolist()   # each language's articles: all of them
[1.0, 1.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._validation import check_int as _check_int

if TYPE_CHECKING:
    from .clustering import Clustering

__all__ = ["by_group", "over_time", "plot_by_group", "plot_over_time"]

#: The periods :func:`over_time` counts by: a day, a week (Monday to Sunday), a month.
FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M"}
MISSING_GROUP = "(missing)"


def _column(clustering: Clustering, column: str) -> pd.Series:
    """A metadata column of the clustered articles, or a ValueError naming the columns there are."""
    metadata = clustering.explorer.metadata_
    if not isinstance(column, str):
        raise TypeError(f"column must be a str, got {type(column).__name__} {column!r}")
    if column not in metadata.columns:
        raise ValueError(
            f"no metadata column {column!r}; the articles have: {', '.join(map(repr, metadata.columns))} "
            "(columns of the DataFrame given to Explorer.fit, and 'language')"
        )
    return metadata[column]


def _dates(clustering: Clustering, column: str) -> pd.Series:
    values = _column(clustering, column)
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values
        if getattr(values.dt, "tz", None) is not None:
            dates = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return dates
    from .metadata import parse_dates

    # the warning points at the user's call: _dates <- over_time <- Clustering.over_time <- the user
    return parse_dates(values, source=f"values of metadata column {column!r}", stacklevel=5)


def _bound(name: str, value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a date (a Timestamp or a string like '2018-11-17'), got {value!r}") from error
    if stamp is pd.NaT:
        raise ValueError(f"{name} must be a date, got {value!r}")
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo is not None else stamp


def over_time(clustering: Clustering, freq: str = "W", *, column: str = "date", since: Any = None,
              until: Any = None) -> pd.DataFrame:
    """How many articles of each cluster appeared in each period (see :meth:`Clustering.over_time`)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {list(FREQUENCIES)} (day, week, month), got {freq!r}")
    first, last = _bound("since", since), _bound("until", until)
    if first is not None and last is not None and first > last:
        raise ValueError(f"since={since!r} is after until={until!r}")
    dates = _dates(clustering, column)
    labels = clustering.labels_
    k = clustering.n_clusters_
    known = dates.notna().to_numpy()
    inside = known.copy()
    if first is not None:
        inside &= (dates >= first).to_numpy()
    if last is not None:
        inside &= (dates <= last).to_numpy()
    outside = int((known & ~inside).sum())
    dated = inside
    frames = []
    if dated.any():
        periods = dates[dated].dt.to_period(FREQUENCIES[freq])
        # the whole window asked for, else first to last date: a quiet week is a row of zeros
        start = first.to_period(FREQUENCIES[freq]) if first is not None else periods.min()
        end = last.to_period(FREQUENCIES[freq]) if last is not None else periods.max()
        every = pd.period_range(start, end, freq=FREQUENCIES[freq])
        position = (periods - every[0]).map(lambda offset: offset.n).to_numpy(dtype=np.int64)
        counts = np.zeros((len(every), k), dtype=np.int64)
        np.add.at(counts, (position, labels[dated]), 1)
        frames.append((every.start_time, counts))
    undated = int((~known).sum())
    if undated:
        counts = np.bincount(labels[~known], minlength=k).astype(np.int64)[None, :]
        frames.append((pd.DatetimeIndex([pd.NaT]), counts))
    rows = []
    for starts, counts in frames:
        totals = counts.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(totals > 0, counts / np.maximum(totals, 1), np.nan)
        rows.append(pd.DataFrame({
            "period": np.repeat(starts.to_numpy(dtype="datetime64[ns]"), k),
            "cluster": np.tile(np.arange(k, dtype=np.int64), len(starts)),
            "count": counts.ravel(),
            "share": shares.ravel(),
        }))
    if rows:
        table = pd.concat(rows, ignore_index=True)
    else:  # every date outside the range, and none missing
        table = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "cluster": pd.Series(dtype=np.int64),
                              "count": pd.Series(dtype=np.int64), "share": pd.Series(dtype=np.float64)})
    table.insert(2, "name", clustering.names_.to_numpy()[table["cluster"].to_numpy()])
    table.attrs.update(undated=undated, outside=outside, freq=freq, column=column)
    return table


def plot_over_time(
    clustering: Clustering,
    freq: str = "W",
    *,
    column: str = "date",
    since: Any = None,
    until: Any = None,
    share: bool = False,
    max_clusters: int = 10,
    figsize: tuple[float, float] = (9.0, 4.5),
) -> Figure:
    """Articles per period and cluster as stacked areas (see :meth:`Clustering.plot_over_time`)."""
    from .plotting import _colors

    max_clusters = _check_int("max_clusters", max_clusters, 1)
    table = over_time(clustering, freq, column=column, since=since, until=until)
    dated = table[table["period"].notna()]
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    note = not_shown(table)
    unit = {"D": "day", "W": "week", "M": "month"}[freq]
    if dated.empty:
        ax.text(0.5, 0.5, "no article has a date", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        wide = dated.pivot(index="period", columns="cluster", values="share" if share else "count").fillna(0.0)
        shown = list(range(min(max_clusters, clustering.n_clusters_)))
        other = wide.drop(columns=shown).sum(axis=1) if clustering.n_clusters_ > len(shown) else None
        colors = _colors(clustering.n_clusters_)
        series = [wide[c].to_numpy() for c in shown]
        names = [f"{c}: {clustering.names_[c]}" for c in shown]
        palette = [colors[c] for c in shown]
        if other is not None:
            series.append(other.to_numpy())
            names.append(f"{clustering.n_clusters_ - len(shown)} other clusters")
            palette.append((0.7, 0.7, 0.7, 1.0))
        ax.stackplot(wide.index.to_numpy(), *series, labels=names, colors=palette, alpha=0.85, step=None)
        ax.set_ylabel("share of the period's articles" if share else f"articles per {unit}")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.margins(x=0)
        fig.autofmt_xdate()
    ax.set_title(f"Themes over time (per {unit}){note}")
    return fig


def not_shown(table: pd.DataFrame) -> str:
    """What a figure of over_time leaves out, for its title: articles without a date or out of range."""
    parts = []
    undated, outside = table.attrs.get("undated", 0), table.attrs.get("outside", 0)
    if undated:
        parts.append(f"{undated} article{'s' if undated != 1 else ''} without a date")
    if outside:
        parts.append(f"{outside} outside the dates shown")
    return f" — not shown: {', '.join(parts)}" if parts else ""


def by_group(clustering: Clustering, column: str, *, normalize: bool | str = False) -> pd.DataFrame:
    """Crosstab of clusters × the values of a metadata column (see :meth:`Clustering.by`)."""
    if normalize not in (False, True, "all", "index", "columns"):
        raise ValueError(f"normalize must be False, True, 'all', 'index' or 'columns', got {normalize!r}")
    values = _column(clustering, column)
    groups = values.astype(object).where(values.notna(), MISSING_GROUP).map(str).to_numpy()
    k = clustering.n_clusters_
    index = pd.MultiIndex.from_arrays(
        [np.arange(k, dtype=np.int64), clustering.names_.to_numpy(dtype=object)], names=["cluster", "name"])
    counts = pd.crosstab(pd.Series(clustering.labels_, name="cluster"), pd.Series(groups, name=column))
    # every cluster a row, even one with no article in any group
    table = pd.DataFrame(counts.reindex(np.arange(k), fill_value=0).to_numpy(), index=index, columns=counts.columns)
    ordered = sorted(table.columns, key=lambda g: (g == MISSING_GROUP, -int(table[g].sum()), g))
    table = table[ordered]
    table.columns.name = column
    if normalize is not False:
        how = "all" if normalize is True else normalize
        if how == "index":
            table = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
        elif how == "columns":
            table = table.div(table.sum(axis=0).replace(0, np.nan), axis=1)
        else:
            table = table / table.to_numpy().sum()
    return table


def plot_by_group(
    clustering: Clustering,
    column: str,
    *,
    normalize: bool | str = "columns",
    max_groups: int = 20,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Heatmap of :func:`by_group`: clusters down, groups across (see :meth:`Clustering.plot_by`)."""

    max_groups = _check_int("max_groups", max_groups, 1)
    counts = by_group(clustering, column)
    if counts.shape[1] > max_groups:
        # the largest groups, the rest summed: a heatmap of 300 outlets is unreadable
        kept = list(counts.columns[:max_groups])
        rest = counts.drop(columns=kept).sum(axis=1)
        counts = counts[kept].assign(**{"(other)": rest})
    table = counts
    if normalize == "columns":
        table = counts.div(counts.sum(axis=0).replace(0, np.nan), axis=1)
    elif normalize == "index":
        table = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)
    elif normalize is not False:
        raise ValueError(f"normalize must be False, 'index' or 'columns', got {normalize!r}")
    k, m = table.shape
    fig = Figure(figsize=figsize or (min(3 + 0.55 * m, 14), min(1.6 + 0.42 * k, 12)), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(table.to_numpy(dtype=float), cmap="Blues", aspect="auto",
                      vmin=0, vmax=1 if normalize else None)
    label = {"columns": f"share of each {column}'s articles", "index": "share of each cluster's articles",
             False: "articles"}[normalize]
    fig.colorbar(image, ax=ax, label=label)
    ax.set_xticks(range(m), [_short(str(c), 28) for c in table.columns], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(k), [_short(f"{c}: {n}", 40) for c, n in table.index], fontsize=8)
    for (row, col), count in np.ndenumerate(counts.to_numpy()):
        if count:
            ax.text(col, row, str(int(count)), ha="center", va="center", fontsize=7,
                    color="white" if normalize and table.iat[row, col] > 0.6 else "black")
    ax.set_xlabel(column)
    ax.set_title(f"Clusters by {column}" + (" (numbers: articles)" if normalize else ""))
    return fig


def _short(label: str, width: int) -> str:
    """A tick label cut to width characters: long outlet or cluster names would squeeze the heatmap away."""
    return label if len(label) <= width else label[: width - 1] + "…"


def group_summary(values: Any) -> str:
    """A short text for a date range: 'first to last' (used by the displays)."""
    dates = pd.Series(values).dropna()
    if dates.empty:
        return "no dates"
    return f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
