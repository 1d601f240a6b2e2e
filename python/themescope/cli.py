"""The ``themescope`` command: analyze a corpus, find similar articles, list languages, write a report.

Errors a user can fix (a missing path, an empty corpus, an unreadable file, a bad
option: click's usage errors, :class:`~themescope._validation.UsageError`, OSError and
UnicodeError) print one line on stderr and exit with status 2; success exits 0. Anything
else is themescope's own bug: one line saying so and asking for a report, exit status 1,
and the traceback under ``--debug``.
"""

from __future__ import annotations

import io
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import pandas as pd

from ._analyze import _stages, analysis_schema, analyze_corpus
from ._analyze import analysis_of_clustering as analysis_of_clustering  # where it was first
from ._files import write_text_atomic
from ._validation import UsageError

__all__ = ["main", "analyze_corpus", "analysis_schema", "EXIT_USAGE", "EXIT_INTERNAL"]

#: Exit status for every error the user can fix (same as click's usage errors).
EXIT_USAGE = 2
#: Exit status for an error of themescope's own (a bug), or a feature whose extra is not installed.
EXIT_INTERNAL = 1
#: Errors of the user's making: a bad option or value, a file that is missing, unreadable or not UTF-8.
_USER_ERRORS = (UsageError, OSError, UnicodeError)

_F = TypeVar("_F", bound=Callable[..., Any])


def _parse_clusters(value: str) -> str | int:
    if value == "auto":
        return "auto"
    try:
        number = int(value)
    except ValueError:
        raise click.BadParameter(f"expected 'auto' or a whole number, got {value!r}") from None
    if number < 1:
        raise click.BadParameter(f"the number of clusters must be at least 1, got {number}")
    return number


def _read(path: str, text_column: str | None, id_column: str | None, encoding_errors: str,
          quiet: bool) -> pd.DataFrame:
    from .corpus import read_corpus

    return read_corpus(path, text_column=text_column, id_column=id_column,
                       encoding_errors=encoding_errors, progress=None if not quiet else False)


def _analysis_table(analysis: dict[str, Any], width: int) -> str:
    """The analysis as text for a terminal: one block per cluster, one line per article."""
    lines = []
    documents = {d["id"]: d for d in analysis["documents"]}
    languages = pd.Series([d["language"] for d in analysis["documents"]]).value_counts()
    lines.append(f"{len(documents)} documents; languages: "
                 + ", ".join(f"{lang} {count}" for lang, count in languages.items())
                 + f"; {len(analysis['clusters'])} clusters")
    id_width = max(len(i) for i in documents)
    for cluster in analysis["clusters"]:
        lines.append("")
        themes = ", ".join(t["term"] for t in cluster["themes"][:8])
        noun = "document" if cluster["size"] == 1 else "documents"
        lines.append(_clip(f"cluster {cluster['id']} ({cluster['size']} {noun}): {themes}", width))
        for member in cluster["members"]:
            document = documents[member]
            near = ", ".join(f"{n['id']} {n['score']:.2f}" for n in document["neighbors"][:3])
            terms = ", ".join(t["term"] for t in document["top_terms"][:6])
            lines.append(_clip(f"  {member:<{id_width}}  {document['language']:<3}  {terms}", width))
            if near:
                lines.append(_clip(f"  {'':<{id_width}}       near: {near}", width))
    return "\n".join(lines) + "\n"


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[: max(width - 1, 10)] + "…"


def _analysis_csv(analysis: dict[str, Any]) -> str:
    rows = [{
        "id": d["id"],
        "language": d["language"],
        "cluster": d["cluster"],
        "top_terms": "; ".join(f"{t['term']} ({t['weight']:.4f})" for t in d["top_terms"]),
        "neighbors": "; ".join(f"{n['id']} ({n['score']:.4f})" for n in d["neighbors"]),
    } for d in analysis["documents"]]
    buffer = io.StringIO()
    pd.DataFrame(rows, columns=["id", "language", "cluster", "top_terms", "neighbors"]).to_csv(buffer, index=False)
    return buffer.getvalue()


def _frame_out(frame: pd.DataFrame, output_format: str, width: int) -> str:
    if output_format == "table" and frame.empty:
        return " ".join(map(str, frame.columns)) + "\n"  # the header of an empty table
    if output_format == "json" and frame.empty:
        return "[]\n"
    if output_format == "json":
        return str(frame.to_json(orient="records", force_ascii=False, indent=2)) + "\n"
    if output_format == "csv":
        return str(frame.to_csv(index=False))
    with pd.option_context("display.width", width, "display.max_colwidth", 60, "display.max_rows", None):
        return str(frame.to_string(index=False)) + "\n"


def _emit(text: str, output: str | None, quiet: bool) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_text_atomic(output, text)  # a failed write leaves any previous file as it was
    if not quiet:
        click.echo(f"written: {output}", err=True)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 24)).columns


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and isinstance(ctx.find_root().obj, dict):
        ctx.find_root().obj["debug"] = True


_DEBUG_OPTION = click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
                             help="On an internal error, show the traceback.")


def _corpus_options(function: _F) -> _F:
    options = [
        click.argument("path", type=str),
        _DEBUG_OPTION,
        click.option("--text-column", default=None, help="Column with the text, in a table (default: text)."),
        click.option("--id-column", default=None,
                     help="Column with the ids, in a table (default: id or the row number)."),
        click.option("--encoding-errors", type=click.Choice(["replace", "strict"]), default="replace",
                     show_default=True,
                     help="Files that are not valid UTF-8: replace bad bytes (with a warning) or stop."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _analysis_options(function: _F) -> _F:
    options = [
        click.option("--clusters", "clusters", default="auto", show_default=True, metavar="auto|K",
                     help="Number of clusters, or auto."),
        click.option("--top-terms", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
                     help="Top terms per document and themes per cluster."),
        click.option("--neighbors", type=click.IntRange(min=1), default=5, show_default=True, metavar="K",
                     help="Nearest neighbours per document."),
        click.option("--language", default="auto", show_default=True, metavar="auto|fr|en|…",
                     help="Language of the documents (ISO 639-1), or auto to identify each."),
        click.option("--cross-language", is_flag=True,
                     help="Compare documents across languages (same story in French and English)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="themescope", prog_name="themescope")
@_DEBUG_OPTION
def cli() -> None:
    """Explore themes across collections of news articles.

    PATH is a folder (read recursively: .txt, .md, .html, .htm), a glob in quotes,
    or a .jsonl / .csv / .tsv / .parquet file.
    """


@cli.command()
@_corpus_options
@_analysis_options
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "table"]), default="table",
              show_default=True, help="json: the documented schema; csv: one row per document.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def analyze(path: str, text_column: str | None, id_column: str | None, encoding_errors: str, quiet: bool,
            clusters: str, top_terms: int, neighbors: int, language: str, cross_language: bool,
            output_format: str, output: str | None) -> None:
    """Languages, top terms, neighbours, clusters and their themes."""
    n_clusters = _parse_clusters(clusters)
    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    analysis, _, _ = analyze_corpus(corpus, clusters=n_clusters, top_terms=top_terms, neighbors=neighbors,
                                    language=language, cross_language=cross_language, quiet=quiet)
    if output_format == "json":
        text = json.dumps(analysis, ensure_ascii=False, indent=2) + "\n"
    elif output_format == "csv":
        text = _analysis_csv(analysis)
    else:
        text = _analysis_table(analysis, _terminal_width() if output is None else 10_000)
    _emit(text, output, quiet)


@cli.command()
@_corpus_options
@click.argument("query", type=str)
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="How many articles.")
@click.option("--language", default="auto", show_default=True, metavar="auto|fr|en|…",
              help="Language of the documents (ISO 639-1), or auto.")
@click.option("--cross-language", is_flag=True, help="Match across languages.")
@click.option("--query-language", default="auto", show_default=True, metavar="auto|fr|en|…",
              help="Language of QUERY; auto: its own if long enough to tell, else the corpus's.")
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "table"]), default="table",
              show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def similar(path: str, text_column: str | None, id_column: str | None, encoding_errors: str, quiet: bool,
            query: str, k: int, language: str, cross_language: bool, query_language: str, output_format: str,
            output: str | None) -> None:
    """The K articles that best match QUERY (a few words, a headline or a whole text, in quotes).

    PATH is a corpus, fitted for this query, or a collection `themescope index` saved,
    loaded instead (the same answers, without fitting again).

    A query of a few words (up to 32) is ranked by BM25, a longer one by cosine
    similarity with the articles; only articles sharing a term with QUERY are
    listed, and none ("no article matches") when it shares no term with any.
    """
    if not query.strip():
        raise click.BadParameter("the query text is empty", param_hint="QUERY")
    from . import persist

    if persist.is_saved_file(path):
        ctx = click.get_current_context()
        for name in ("text_column", "id_column", "language", "cross_language"):
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                raise click.BadParameter(f"{path} is a saved collection: --{name.replace('_', '-')} applies "
                                         "when it is indexed (themescope index)", param_hint=f"--{name}")
        _similar_in_collection(path, query, k, query_language, output_format, output, quiet)
        return
    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    from .explorer import Explorer

    with _stages(["vectorizing", "searching"], quiet) as progress:
        with progress.stage("vectorizing"):
            explorer = Explorer(language=language, cross_language=cross_language, random_state=0).fit(corpus)
        with progress.stage("searching"), warnings.catch_warnings():
            # No match is said below as a plain message, not as a Python warning.
            warnings.filterwarnings("ignore", message="no article shares a term")
            indices, scores = explorer.query([query], k=min(k, len(corpus)), language=query_language)
    _emit_matches(query, indices[0], scores[0], corpus["id"].to_numpy(), explorer.languages_,
                  lambda i: _start_of(corpus["text"].iloc[i]), output_format, output, quiet)


def _emit_matches(query: str, indices: Any, scores: Any, ids: Any, languages: Any, start_of: Callable[[int], str],
                  output_format: str, output: str | None, quiet: bool) -> None:
    """similar's table: rank, id, score, language and the start of each matching article."""
    rows = [(int(i), float(s)) for i, s in zip(indices, scores) if int(i) >= 0]
    if not rows:
        click.echo(f"themescope: no article matches {query!r}", err=True)
    frame = pd.DataFrame({
        "rank": range(1, len(rows) + 1),
        "id": [str(ids[i]) for i, _ in rows],
        "score": [round(s, 4) for _, s in rows],
        "language": [str(languages[i]) for i, _ in rows],
        "start": [start_of(i) for i, _ in rows],
    })
    _emit(_frame_out(frame, output_format, _terminal_width()), output, quiet)


def _similar_in_collection(path: str, query: str, k: int, query_language: str, output_format: str,
                           output: str | None, quiet: bool) -> None:
    """``similar`` on a collection ``themescope index`` saved: loaded (mapped), not fitted again."""
    from . import persist
    from .explorer import Explorer

    explorer, extra = persist.load(path, kind=Explorer, extra=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="no article shares a term")
        indices, scores = explorer.query([query], k=min(k, explorer.n_documents_), language=query_language)
    starts = extra.get("starts")
    _emit_matches(query, indices[0], scores[0], explorer.ids_, explorer.languages_,
                  lambda i: str(starts[i]) if starts is not None else "", output_format, output, quiet)


@cli.command()
@_corpus_options
@click.option("-o", "--output", required=True, metavar="FILE",
              help="The collection file to write (by convention .tsc); replaced only once complete.")
@click.option("--language", default="auto", show_default=True, metavar="auto|fr|en|…",
              help="Language of the documents (ISO 639-1), or auto to identify each.")
@click.option("--cross-language", is_flag=True, help="Match across languages.")
def index(path: str, text_column: str | None, id_column: str | None, encoding_errors: str, quiet: bool,
          output: str, language: str, cross_language: bool) -> None:
    """Fit the collection at PATH once and save it to FILE: `themescope similar FILE QUERY` then
    answers from the file (memory-mapped) without fitting again."""
    import numpy as np

    from . import persist
    from .explorer import Explorer

    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    with _stages(["vectorizing", "saving"], quiet) as progress:
        with progress.stage("vectorizing"):
            explorer = Explorer(language=language, cross_language=cross_language, random_state=0).fit(corpus)
        with progress.stage("saving"):
            starts = np.asarray([_start_of(text) for text in corpus["text"]], dtype=object)
            persist.save(explorer, output, extra={"starts": starts})
    if not quiet:
        click.echo(f"written: {output} ({len(corpus)} articles)", err=True)


@cli.command(name="add")
@click.argument("collection", type=str)
@_corpus_options
@click.option("--refit", is_flag=True,
              help="Take the idf over the grown collection and weigh every article again (see Explorer.add).")
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "table"]), default="table",
              show_default=True)
def add(collection: str, path: str, text_column: str | None, id_column: str | None, encoding_errors: str,
        quiet: bool, refit: bool, output_format: str) -> None:
    """Add the articles at PATH to COLLECTION, a file `themescope index` wrote, without fitting it again.

    They are searchable at once (`themescope similar COLLECTION QUERY`); COLLECTION is replaced only
    once the grown collection is written. Prints what became of each article (its row, id and
    language; its cluster, or a new theme, when the collection has clusters).
    """
    import numpy as np

    from . import persist
    from .explorer import Explorer

    explorer, extra = persist.load(collection, kind=Explorer, extra=True)
    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    with _stages(["adding", "saving"], quiet) as progress:
        with progress.stage("adding"):
            added = explorer.add(corpus, refit=refit)
        with progress.stage("saving"):
            starts = extra.get("starts")
            if starts is not None:
                new_starts = np.asarray([_start_of(text) for text in corpus["text"]], dtype=object)
                starts = np.concatenate([np.asarray(starts, dtype=object), new_starts])
            persist.save(explorer, collection, extra=None if starts is None else {"starts": starts})
    click.echo(_frame_out(added, output_format, _terminal_width()), nl=False)
    if not quiet:
        click.echo(f"written: {collection} ({explorer.n_documents_} articles, {len(corpus)} added)", err=True)


def _start_of(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


@cli.command()
@_corpus_options
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "table"]), default="table",
              show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def languages(path: str, text_column: str | None, id_column: str | None, encoding_errors: str, quiet: bool,
              output_format: str, output: str | None) -> None:
    """The language of each document (ISO 639-1; und when unknown), and the counts."""
    from .language import detect_languages

    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    frame = pd.DataFrame({"id": corpus["id"].astype(str), "language": detect_languages(corpus["text"].tolist())})
    text = _frame_out(frame, output_format, _terminal_width())
    if output_format == "table":
        counts = frame["language"].value_counts()
        text += "\n" + ", ".join(f"{lang}: {n}" for lang, n in counts.items()) + "\n"
    _emit(text, output, quiet)


@cli.command()
@_corpus_options
@_analysis_options
@click.option("-o", "--output", default="report.html", show_default=True, metavar="FILE",
              help="The HTML file to write.")
@click.option("--title", default=None, help="Title of the report (default: the corpus path).")
@click.option("--static", is_flag=True,
              help="Static SVG figures only (no plotly.js: about 4.8 MB smaller). Default: interactive "
                   "figures when plotly is installed.")
def report(path: str, text_column: str | None, id_column: str | None, encoding_errors: str, quiet: bool,
           clusters: str, top_terms: int, neighbors: int, language: str, cross_language: bool,
           output: str, title: str | None, static: bool) -> None:
    """A self-contained HTML report: summary, languages, boilerplate, clusters, map, heatmap, neighbours."""
    from .report import write_report

    n_clusters = _parse_clusters(clusters)
    corpus = _read(path, text_column, id_column, encoding_errors, quiet)
    write_report(corpus, output, title=title or path, clusters=n_clusters, top_terms=top_terms,
                 neighbors=neighbors, language=language, cross_language=cross_language, quiet=quiet,
                 interactive=False if static else None)
    if not quiet:
        click.echo(f"written: {output}", err=True)


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _where_to_report() -> str:
    """The project's issue tracker from the installed package's metadata, if it names one."""
    from importlib import metadata

    try:
        urls = metadata.metadata("themescope").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("issues", "bug tracker", "bugs"):
            return f"at {url.strip()}"
    return "to the themescope developers"


def _internal_error(error: BaseException, debug: bool) -> int:
    """A bug of ours, not the user's: one line asking for a report (the traceback with --debug)."""
    if debug:
        import traceback

        click.echo("".join(traceback.format_exception(error)).rstrip(), err=True)
    hint = "" if debug else " (the traceback: run again with --debug)"
    click.echo(f"themescope: internal error: {type(error).__name__}: {_one_line(str(error))}; "
               f"please report this {_where_to_report()}{hint}", err=True)
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a console script, exits with) the status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    state = {"debug": False}  # set by --debug, wherever it is given

    def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                     file: Any = None, line: str | None = None) -> None:
        click.echo(f"themescope: warning: {_one_line(str(message))}", err=True)

    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        warnings.simplefilter("default")
        try:
            result = cli.main(arguments, prog_name="themescope", standalone_mode=False, obj=state)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else str(error), err=True)
            return EXIT_USAGE
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "themescope"
            click.echo(f"{command}: error: {_one_line(error.format_message())} (see {command} --help)", err=True)
            return EXIT_USAGE
        except click.Abort:
            click.echo("themescope: interrupted", err=True)
            return 130
        except _USER_ERRORS as error:  # missing path, empty corpus, unreadable file, bad value
            click.echo(f"themescope: error: {_one_line(str(error))}", err=True)
            return EXIT_USAGE
        except ImportError as error:  # a feature whose extra is not installed (HTML, parquet)
            click.echo(f"themescope: error: {_one_line(str(error))}", err=True)
            return EXIT_INTERNAL
        except Exception as error:  # anything else is a bug of ours: say so, never blame the user
            return _internal_error(error, state["debug"])
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
