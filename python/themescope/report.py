"""The HTML report: one self-contained file (figures inline as SVG, no network)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._files import write_text_atomic
from ._validation import InvalidValueError

__all__ = ["render_report", "write_report"]

#: Rows of the per-article table and of the boilerplate table shown in the report.
MAX_DOCUMENT_ROWS = 500
MAX_BOILERPLATE_ROWS = 200
DUPLICATE_THRESHOLD = 0.9


def _svg(figure: Any) -> str:
    """A matplotlib Figure as inline SVG markup (text kept as paths: no font needed to view it)."""
    import matplotlib.pyplot as plt

    import matplotlib

    buffer = io.StringIO()
    # no date, and clip-path ids hashed with a fixed salt (else a random one): the same corpus
    # gives the same report
    with matplotlib.rc_context({"svg.hashsalt": "themescope"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    markup = buffer.getvalue()
    markup = markup[markup.index("<svg"):]  # drop the XML prolog and DOCTYPE: not allowed inside HTML
    return re.sub(r"<metadata>.*?</metadata>\s*", "", markup, flags=re.S)


def render_report(
    corpus: pd.DataFrame,
    *,
    title: str = "themescope report",
    clusters: str | int = "auto",
    top_terms: int = 10,
    neighbors: int = 5,
    language: str = "auto",
    cross_language: bool = False,
    quiet: bool = True,
    clustering: Any = None,
    interactive: bool | None = None,
) -> str:
    """Analyze a corpus and render the HTML report as a string.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Columns ``id`` and ``text``, as :func:`themescope.read_corpus` returns.
    title : str
        Heading of the report.
    clusters, top_terms, neighbors, language, cross_language
        As for ``themescope analyze``.
    quiet : bool
        No progress bars.
    clustering : Clustering, optional
        Clusters already made on this corpus (perhaps merged or renamed: the
        report uses their names): the report shows them and their explorer
        instead of fitting anew (``clusters``, ``language`` and
        ``cross_language`` are then the explorer's).
    interactive : bool or None, default=None
        The map, the similarity heatmap and themes over time as interactive
        plotly figures (hover a dot for its article, zoom, colour the map by a
        metadata column), plotly.js inline: the file still fetches nothing,
        and is about 4.8 MB larger. ``None``: when plotly is installed (the
        ``interactive`` extra); ``False``: static SVG figures only.

    Returns
    -------
    str
        A complete HTML document with every figure embedded.
    """
    import jinja2
    import matplotlib

    from ._version import __version__
    from ._analyze import analyze_corpus

    matplotlib.use("Agg")  # files only: no display needed
    if clustering is None:
        analysis, explorer, clustering = analyze_corpus(
            corpus, clusters=clusters, top_terms=top_terms, neighbors=neighbors, language=language,
            cross_language=cross_language, quiet=quiet)
    else:
        from ._analyze import analysis_of_clustering

        explorer = clustering.explorer
        if [str(i) for i in corpus["id"]] != [str(i) for i in explorer.ids_]:
            raise InvalidValueError("clustering= must come from an Explorer fitted on this corpus (its ids differ)")
        analysis = analysis_of_clustering(clustering, top_terms=top_terms, neighbors=neighbors)
        clusters, language, cross_language = clustering.n_clusters_, explorer.language, explorer.cross_language
    for cluster in analysis["clusters"]:
        cluster["name"] = str(clustering.names_.iloc[cluster["id"]])
    documents = analysis["documents"]
    ids = [d["id"] for d in documents]

    language_rows = _language_rows(documents, ids)

    boilerplate = _boilerplate_rows(explorer, ids)
    found = explorer.duplicates(threshold=DUPLICATE_THRESHOLD)
    duplicates = [[str(i) for i in group] for group in found.groupby("group", sort=True)["id"].agg(list)]
    figures, timeline, groups, plotly_js = _figures(explorer, clustering, interactive)
    parameters = (f"clusters={clusters}, top terms={top_terms}, neighbours={neighbors}, "
                  f"language={language}" + (", cross-language" if cross_language else ""))
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("themescope", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    template = environment.get_template("report.html.j2")
    return template.render(
        title=title,
        version=__version__,
        parameters=parameters,
        summary={
            "documents": len(documents),
            "words": int(sum(len(str(text).split()) for text in corpus["text"])),
            "languages": len(language_rows),
            "boilerplate_lines": len(boilerplate),
            "clusters": len(analysis["clusters"]),
            "duplicate_groups": len(duplicates),
        },
        languages=language_rows,
        boilerplate=boilerplate[:MAX_BOILERPLATE_ROWS],
        boilerplate_reasons=pd.Series([row["reason"] for row in boilerplate], dtype=object).value_counts().items(),
        boilerplate_shown=min(len(boilerplate), MAX_BOILERPLATE_ROWS),
        clusters=analysis["clusters"],
        documents=documents[:MAX_DOCUMENT_ROWS],
        documents_hidden=max(len(documents) - MAX_DOCUMENT_ROWS, 0),
        duplicates=duplicates,
        duplicate_threshold=DUPLICATE_THRESHOLD,
        figures=figures,
        heatmap_note="",
        timeline=timeline,
        groups=groups,
        plotly_js=plotly_js,
    )


def _language_rows(documents: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    """Documents per language, most frequent first, with the first few ids of each."""
    language_rows = []
    by_language = pd.Series([d["language"] for d in documents], index=ids)
    for code, count in by_language.value_counts().items():
        language_rows.append({"language": code, "count": int(count),
                              "examples": by_language[by_language == code].index[:5].tolist()})
    return language_rows


def _figures(explorer: Any, clustering: Any, interactive: bool | None
             ) -> tuple[dict[str, str], dict[str, Any] | None, list[dict[str, Any]], str]:
    """The report's figures as HTML or SVG, its timeline and group sections, and plotly.js if it needs it."""
    if interactive is None:
        import importlib.util

        interactive = importlib.util.find_spec("plotly") is not None
    if interactive:
        from . import interactive as plots
    figures = {
        "map": plots.to_html(plots.map_figure(explorer, clustering), "plot-map") if interactive
        else _svg(explorer.plot_map(clustering)),
        "heatmap": plots.to_html(plots.similarity_figure(explorer, clustering), "plot-heatmap") if interactive
        else _svg(explorer.plot_similarity(clustering)),
        "themes": _svg(clustering.plot_themes()),
        "dendrogram": _svg(clustering.plot_dendrogram()),
    }
    timeline = _timeline_section(clustering)
    if timeline is not None:
        window = {"since": timeline["since"], "until": timeline["until"]}
        figures["time"] = plots.to_html(plots.over_time_figure(clustering, timeline["freq"], **window), "plot-time") \
            if interactive else _svg(clustering.plot_over_time(timeline["freq"], **window))
    groups = _group_sections(clustering)
    for group in groups:
        figures[f"by-{group['slug']}"] = _svg(clustering.plot_by(group["column"]))
    return figures, timeline, groups, plots.plotly_js() if interactive else ""


#: Themes over time: with at least MIN_DATES_FOR_WINDOW dated articles, the time axis is the shortest
#: span holding TIME_WINDOW_SHARE of them (the others are counted in the section's text).
MIN_DATES_FOR_WINDOW = 50
TIME_WINDOW_SHARE = 0.9
#: Metadata columns the report never crosstabs: one value per article, or the dates.
_NOT_GROUPS = frozenset({"id", "text", "path", "title", "date", "url"})
MAX_GROUP_VALUES = 30
MAX_GROUP_SECTIONS = 4


def _timeline_section(clustering: Any) -> dict[str, Any] | None:
    """Themes over time, when the articles have dates: by day, week or month as the span asks."""
    metadata = clustering.explorer.metadata_
    if "date" not in metadata.columns or not pd.api.types.is_datetime64_any_dtype(metadata["date"]):
        return None
    dates = np.sort(metadata["date"].dropna().to_numpy())
    if len(dates) == 0:
        return None
    first, last = dates[0], dates[-1]
    if len(dates) >= MIN_DATES_FOR_WINDOW:
        # A corpus's few old articles (a contrast set, an archive link) would stretch the axis over
        # years: the shortest span that holds TIME_WINDOW_SHARE of the dated articles is shown, and
        # the section says how many fall outside it.
        held = int(np.ceil(TIME_WINDOW_SHARE * len(dates)))
        start = int(np.argmin(dates[held - 1:] - dates[:len(dates) - held + 1]))
        first, last = dates[start], dates[start + held - 1]
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    span = (last - first).days
    freq = "D" if span <= 60 else "W" if span <= 730 else "M"
    table = clustering.over_time(freq, since=first, until=last)
    return {"freq": freq, "unit": {"D": "day", "W": "week", "M": "month"}[freq], "since": first, "until": last,
            "dated": int(len(dates)), "undated": int(table.attrs["undated"]), "outside": int(table.attrs["outside"]),
            "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}"}


def _group_sections(clustering: Any) -> list[dict[str, Any]]:
    """Clusters by each metadata column that groups the articles (2 to 30 values), languages first."""
    metadata = clustering.explorer.metadata_
    sections = []
    for column in ["language"] + [c for c in metadata.columns if c != "language"]:
        if column in _NOT_GROUPS or not isinstance(column, str):
            continue
        values = metadata[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        distinct = values.astype(object).where(values.notna(), None).nunique(dropna=False)
        if not 2 <= distinct <= MAX_GROUP_VALUES:
            continue
        table = clustering.by(column)
        sections.append({
            "column": column,
            "slug": re.sub(r"[^a-z0-9]+", "-", column.lower()).strip("-") or "group",
            "values": [str(v) for v in table.columns],
            "rows": [{"cluster": int(c), "name": str(n), "counts": [int(x) for x in row]}
                     for (c, n), row in zip(table.index, table.to_numpy())],
        })
        if len(sections) == MAX_GROUP_SECTIONS:
            break
    return sections


def _boilerplate_rows(explorer: Any, ids: list[str]) -> list[Mapping[str, Any]]:
    remover = getattr(explorer, "boilerplate_", None)
    report = getattr(remover, "report_", None)
    if report is None or len(report) == 0:
        return []
    rows: list[Mapping[str, Any]] = []
    for row in report.itertuples(index=False):
        document = row.document
        rows.append({"document": ids[int(document)] if not isinstance(document, str) else document,
                     "line": int(row.line), "reason": str(row.reason), "text": str(row.text)})
    return rows


def write_report(corpus: pd.DataFrame, path: str | os.PathLike[str], **options: Any) -> None:
    """Render the report (see :func:`render_report`) and write it to ``path`` as UTF-8."""
    html = render_report(corpus, **options)
    write_text_atomic(path, html)  # whole or not at all: a failed write leaves any previous file as it was
