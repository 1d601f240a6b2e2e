"""What ``themescope analyze`` gathers, as a dict that follows ``schemas/analyze.schema.json``.

Fitting an Explorer on a corpus and turning its neighbours, terms and clusters into plain data
is shared by the command line (``cli``) and the HTML report (``report``): it lives here, below
both, so that neither imports the other. Imports ``explorer`` (inside functions, so that
``import themescope.cli`` stays light); nothing but ``cli`` and ``report`` imports it.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["analyze_corpus", "analysis_of_clustering", "analysis_schema"]


class _Progress:
    """Stage-by-stage progress on stderr: a tqdm bar when stderr is a terminal, nothing otherwise."""

    def __init__(self, stages: Sequence[str], quiet: bool) -> None:
        from tqdm import tqdm

        self.enabled = not quiet and sys.stderr.isatty()
        self._bar = tqdm(total=len(stages), unit="step", disable=not self.enabled, file=sys.stderr,
                         leave=False)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._bar.set_description(name)
        yield
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


class _NotATerminal(io.TextIOBase):
    """stderr as seen by progress bars under --quiet: writes pass through, but it is no terminal."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write(text))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _bars_off_if(quiet: bool) -> Iterator[None]:
    """Under --quiet, library progress bars (tqdm with disable=None) see no terminal and stay silent."""
    if not quiet or not sys.stderr.isatty():
        yield
        return
    with contextlib.redirect_stderr(_NotATerminal(sys.stderr)):
        yield


@contextlib.contextmanager
def _stages(stages: Sequence[str], quiet: bool) -> Iterator[_Progress]:
    """Progress over ``stages``, library bars silenced under --quiet; the bar closed however it ends."""
    progress = _Progress(stages, quiet)
    try:
        with _bars_off_if(quiet):
            yield progress
    finally:
        progress.close()


def analysis_schema() -> dict[str, Any]:
    """The JSON schema of ``themescope analyze --format json`` (stable; see the README).

    Examples
    --------
    >>> from themescope.cli import analysis_schema
    >>> sorted(analysis_schema()["properties"])
    ['clusters', 'documents']
    """
    text = resources.files("themescope").joinpath("schemas", "analyze.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def analyze_corpus(
    corpus: pd.DataFrame,
    *,
    clusters: str | int = "auto",
    top_terms: int = 10,
    neighbors: int = 5,
    language: str = "auto",
    cross_language: bool = False,
    quiet: bool = True,
) -> tuple[dict[str, Any], Any, Any]:
    """Fit an Explorer on a corpus and gather what ``themescope analyze`` shows.

    Returns
    -------
    (analysis, explorer, clustering)
        ``analysis`` follows :func:`analysis_schema`; the fitted explorer and
        clustering result serve the HTML report.
    """
    from .explorer import Explorer

    ids = [str(i) for i in corpus["id"]]
    k = min(neighbors, len(ids) - 1)
    with _stages(["vectorizing", "top terms", "neighbours", "clustering"], quiet) as progress:
        with progress.stage("vectorizing"):
            explorer = Explorer(language=language, cross_language=cross_language, random_state=0)
            explorer.fit(corpus)
        with progress.stage("top terms"):
            terms = explorer.top_terms(n=top_terms)
        with progress.stage("neighbours"):
            neighbor_indices, neighbor_scores = explorer.neighbors(k) if k > 0 else (None, None)
        with progress.stage("clustering"):
            clustering = explorer.cluster(n_clusters=clusters)
            themes = clustering.themes(n_terms=top_terms)
    analysis = _analysis_of(ids, explorer, clustering, terms, themes, neighbor_indices, neighbor_scores)
    return analysis, explorer, clustering


def analysis_of_clustering(clustering: Any, *, top_terms: int = 10, neighbors: int = 5) -> dict[str, Any]:
    """What :func:`analyze_corpus` gathers, for clusters already made (and maybe merged or renamed)."""
    explorer = clustering.explorer
    ids = [str(i) for i in explorer.ids_]
    k = min(neighbors, len(ids) - 1)
    neighbor_indices, neighbor_scores = explorer.neighbors(k) if k > 0 else (None, None)
    return _analysis_of(ids, explorer, clustering, explorer.top_terms(n=top_terms),
                        clustering.themes(n_terms=top_terms),
                        neighbor_indices, neighbor_scores)


def _analysis_of(ids: list[str], explorer: Any, clustering: Any, terms: pd.DataFrame, themes: pd.DataFrame,
                 neighbor_indices: Any, neighbor_scores: Any) -> dict[str, Any]:
    labels = [int(label) for label in clustering.labels_]
    terms_of: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in terms.sort_values("rank", kind="stable").itertuples(index=False):
        terms_of[str(row.document)].append({"term": str(row.term), "weight": float(row.weight)})
    documents = []
    for position, document_id in enumerate(ids):
        near = []
        if neighbor_indices is not None and neighbor_scores is not None:
            near = [{"id": ids[int(j)], "score": float(s)}
                    for j, s in zip(neighbor_indices[position], neighbor_scores[position]) if int(j) >= 0]
        documents.append({
            "id": document_id,
            "language": str(explorer.languages_[position]),
            "top_terms": terms_of[document_id],
            "neighbors": near,
            "cluster": labels[position],
        })
    cluster_list = []
    for cluster_id in sorted(set(labels)):
        rows = themes[themes["cluster"] == cluster_id].sort_values("rank")
        members = [ids[p] for p, label in enumerate(labels) if label == cluster_id]
        cluster_list.append({
            "id": cluster_id,
            "size": len(members),
            "themes": [{"term": str(t), "weight": float(w)} for t, w in zip(rows["term"], rows["weight"])],
            "members": members,
        })
    return {"documents": documents, "clusters": cluster_list}
