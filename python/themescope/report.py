"""The HTML report: one self-contained file (figures inline as SVG, no network)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._files import write_text_atomic

__all__ = ["render_report", "write_report"]

#: Rows of the per-article table and of the boilerplate table shown in the report.
MAX_DOCUMENT_ROWS = 500
MAX_BOILERPLATE_ROWS = 200
DUPLICATE_THRESHOLD = 0.9


def _svg(figure: Any) -> str:
    """A matplotlib Figure as inline SVG markup (text kept as paths: no font needed to view it)."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    # no date: the same corpus gives the same report
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

    Returns
    -------
    str
        A complete HTML document with every figure embedded.
    """
    import jinja2
    import matplotlib

    from . import __version__
    from .cli import analyze_corpus

    matplotlib.use("Agg")  # files only: no display needed
    analysis, explorer, clustering = analyze_corpus(
        corpus, clusters=clusters, top_terms=top_terms, neighbors=neighbors, language=language,
        cross_language=cross_language, quiet=quiet)
    documents = analysis["documents"]
    ids = [d["id"] for d in documents]

    language_rows = []
    by_language = pd.Series([d["language"] for d in documents], index=ids)
    for code, count in by_language.value_counts().items():
        language_rows.append({"language": code, "count": int(count),
                              "examples": by_language[by_language == code].index[:5].tolist()})

    boilerplate = _boilerplate_rows(explorer, ids)
    found = explorer.duplicates(threshold=DUPLICATE_THRESHOLD)
    duplicates = [[str(i) for i in group] for group in found.groupby("group", sort=True)["id"].agg(list)]
    figures = {
        "map": _svg(explorer.plot_map(clustering)),
        "heatmap": _svg(explorer.plot_similarity(clustering)),
        "themes": _svg(clustering.plot_themes()),
        "dendrogram": _svg(clustering.plot_dendrogram()),
    }
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
    )


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
