"""Reading a corpus from disk: folders of text/Markdown/HTML files, globs, and tables."""

from __future__ import annotations

import glob as _glob
import io
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["read_corpus", "InvalidUTF8Warning", "DOCUMENT_SUFFIXES", "TABLE_SUFFIXES"]

#: Files read as one document each (case-insensitive).
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Files read as a table, one document per row.
TABLE_SUFFIXES = (".jsonl", ".csv", ".tsv", ".parquet")
_HTML_SUFFIXES = (".html", ".htm")
_ERROR_POLICIES = ("replace", "strict", "backslashreplace", "ignore")
_GLOB_CHARACTERS = frozenset("*?[")


class InvalidUTF8Warning(UnicodeWarning):
    """A file was not valid UTF-8 and was decoded with a lossy error policy."""


def read_corpus(
    path: str | os.PathLike[str],
    text_column: str | None = None,
    id_column: str | None = None,
    *,
    encoding_errors: str = "replace",
    progress: bool | None = False,
    date_column: str | None = None,
    title_column: str | None = None,
    chunksize: int | None = None,
) -> Any:
    """Read a corpus of documents into a DataFrame with ``id`` and ``text`` columns.

    Parameters
    ----------
    path : str or path-like
        One of:

        - a directory, read recursively: every ``.txt``, ``.md``, ``.html`` and
          ``.htm`` file is one document (hidden files and folders are skipped);
        - a glob pattern (``"news/**/*.txt"``, ``**`` recurses);
        - a ``.jsonl``, ``.csv``, ``.tsv`` or ``.parquet`` file, one document per
          row (parquet needs pyarrow, the ``parquet`` extra:
          ``pip install 'themescope[parquet]'``);
        - a single document file.
    text_column : str, optional
        Column holding the text in a table. Default: ``"text"``.
    id_column : str, optional
        Column holding the document ids in a table. Default: ``"id"`` when the
        table has one, otherwise the row number.
    encoding_errors : {"replace", "strict", "backslashreplace", "ignore"}, default="replace"
        Files are UTF-8. A file that is not valid UTF-8 raises
        ``UnicodeDecodeError`` naming it under ``"strict"``; under the other
        policies it is decoded with that policy and an :class:`InvalidUTF8Warning`
        names the file, the first bad byte and the policy applied.
    progress : bool or None, default=False
        Show a progress bar (tqdm, on stderr) while reading files. ``None``: only
        when stderr is a terminal.
    date_column : str, optional
        Column holding the articles' dates in a table, parsed into the
        ``date`` column (see :func:`themescope.metadata.parse_dates`). Default:
        ``"date"`` when the table has one. Where it gives no date and the table
        has a ``url`` column, the date written in the URL is taken (htmldate).
    title_column : str, optional
        Column holding the articles' titles in a table, given as ``title``.
        Default: ``"title"`` when the table has one.
    chunksize : int, optional
        Return an iterator of DataFrames of ``chunksize`` documents each (the last
        one fewer) instead of one DataFrame: the same rows in the same order, read
        as they are needed (tables are streamed from their file), so that a corpus
        larger than memory can be fitted a chunk at a time (``partial_fit``). Ids
        are checked for uniqueness as the chunks come (a repeat raises ValueError
        then).

    Returns
    -------
    pandas.DataFrame, or an iterator of them with ``chunksize``
        Columns ``id`` (str, unique), ``text`` (str) and ``path`` (the file it
        came from), then ``title`` (str or None) and ``date`` (datetime64,
        ``NaT`` where unknown) when the source has them (an HTML page's
        metadata or a date in its URL, by trafilatura and htmldate; a table's
        date and title columns, or a date in its ``url`` column), then a
        table's other columns. A date that cannot be parsed is ``NaT`` and an
        :class:`~themescope.metadata.UnparsedDateWarning` names it. Files come in sorted order of
        their path; ids of files are their paths relative to the directory (or to
        the glob's fixed part), without the suffix, with ``/`` as separator. HTML
        is converted to the article's text by trafilatura (main content, no
        navigation or comments; the ``html`` extra: ``pip install
        'themescope[html]'``); a page where it finds no main content keeps all
        its text.

    Raises
    ------
    FileNotFoundError
        The path does not exist, or the glob matches nothing.
    ValueError
        No document was found, a suffix is not supported, a column is missing,
        or ids are not unique (a missing date or title column names the columns there are).
    ImportError
        HTML pages without trafilatura (``pip install 'themescope[html]'``), or a
        parquet file without pyarrow (``pip install 'themescope[parquet]'``).

    Examples
    --------
    >>> import themescope as ts
    >>> from themescope.datasets import load_sample_articles
    >>> folder = load_sample_articles().filenames[0].rsplit("/", 1)[0]
    >>> corpus = ts.read_corpus(folder)
    >>> list(corpus.columns)
    ['id', 'text', 'path']
    >>> corpus["id"].tolist()[:2]
    ['000_8c490aeefac5843b', '001_579f29548f54e645']
    """
    if encoding_errors not in _ERROR_POLICIES:
        raise ValueError(
            f"encoding_errors must be one of {', '.join(map(repr, _ERROR_POLICIES))}, "
            f"got {encoding_errors!r}"
        )
    text = os.fspath(path)
    target = Path(text)
    if target.is_dir():
        files = _documents_under(target)
        if not files:
            raise ValueError(
                f"no documents under {text}: expected {'/'.join(DOCUMENT_SUFFIXES)} files"
            )
        root = target
    elif target.is_file():
        files = [target]
        root = target.parent
    elif _GLOB_CHARACTERS & set(text):
        files = sorted(
            (Path(p) for p in _glob.glob(text, recursive=True) if Path(p).is_file()),
            key=lambda p: p.as_posix(),
        )
        if not files:
            raise FileNotFoundError(f"no file matches {text}")
        root = _fixed_part_of_glob(text)
    else:
        raise FileNotFoundError(f"no such file or directory: {text}")

    if chunksize is not None:
        if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
            raise ValueError(f"chunksize must be an int >= 1 or None, got {chunksize!r}")
        from ._corpus_chunks import read_chunks

        return read_chunks(files, root, text_column, id_column, encoding_errors, chunksize, progress, text,
                           date_column=date_column, title_column=title_column)
    frames = []
    documents: list[tuple[Path, str]] = []
    page_metadata: dict[Path, dict[str, Any]] = {}  # title and date of each HTML page
    for file in _progress(files, progress, desc="reading"):
        suffix = file.suffix.lower()
        if suffix in TABLE_SUFFIXES:
            frames.append(_read_table(file, text_column, id_column, encoding_errors, date_column, title_column))
        elif suffix in DOCUMENT_SUFFIXES:
            documents.append((file, _read_document(file, encoding_errors, page_metadata)))
        else:
            supported = ", ".join(DOCUMENT_SUFFIXES + TABLE_SUFFIXES)
            raise ValueError(f"{file}: unsupported file type {file.suffix!r} (supported: {supported})")
    if documents:
        frame = pd.DataFrame({
            "id": _ids_of_files([file for file, _ in documents], root),
            "text": [document for _, document in documents],
            "path": [str(file) for file, _ in documents],
        })
        if page_metadata:  # HTML pages give a title and a date where their metadata has them
            frame["title"] = pd.Series([page_metadata.get(file, {}).get("title") for file, _ in documents],
                                       dtype=object)
            frame["date"] = pd.Series([page_metadata.get(file, {}).get("date") for file, _ in documents],
                                      dtype=object).pipe(pd.to_datetime).astype("datetime64[ns]")
        frames.insert(0, frame)
    corpus = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(corpus) == 0:
        raise ValueError(f"no documents in {text}")
    repeated = corpus["id"][corpus["id"].duplicated()].unique().tolist()
    if repeated:
        raise ValueError(f"document ids are not unique in {text}: {repeated[:5]}")
    return corpus


def _documents_under(folder: Path) -> list[Path]:
    found = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(DOCUMENT_SUFFIXES):
                found.append(Path(directory) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _fixed_part_of_glob(pattern: str) -> Path:
    """The folder a glob pattern starts from: its parts before the first wildcard."""
    parts = []
    for part in Path(pattern).parts[:-1]:
        if _GLOB_CHARACTERS & set(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _ids_of_files(files: Sequence[Path], root: Path) -> list[str]:
    """Paths relative to root without suffix; with the suffix if that alone tells them apart."""

    def relative(file: Path) -> Path:
        try:
            return file.relative_to(root)
        except ValueError:  # a glob like "a/*/../b/*.txt" can leave the fixed part
            return file

    stems = [relative(f).with_suffix("").as_posix() for f in files]
    if len(set(stems)) == len(stems):
        return stems
    return [relative(f).as_posix() for f in files]


def _decode(raw: bytes, source: Path, errors: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if errors == "strict":
            raise UnicodeDecodeError(
                "utf-8", raw, error.start, error.end, f"{source} is not valid UTF-8 ({error.reason})"
            ) from None
        bad = raw[error.start:error.start + 1].hex()
        warnings.warn(
            f"{source} is not valid UTF-8 (byte 0x{bad} at offset {error.start}); "
            f"decoded with errors={errors!r}",
            InvalidUTF8Warning,
            stacklevel=4,
        )
        return raw.decode("utf-8", errors=errors)


def _read_document(file: Path, errors: str, page_metadata: dict[Path, dict[str, Any]]) -> str:
    text = _decode(file.read_bytes(), file, errors)
    if file.suffix.lower() in _HTML_SUFFIXES:
        from .metadata import html_metadata

        content = html_to_text(text)
        page_metadata[file] = html_metadata(text)
        return content
    return text


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: trafilatura's main content, else all the page's text.

    Examples
    --------
    >>> from themescope.corpus import html_to_text
    >>> html_to_text("<html><body><p>Le sommet du Quad.</p></body></html>")
    'Le sommet du Quad.'

    Raises
    ------
    ImportError
        trafilatura is not installed (it comes with ``pip install 'themescope[html]'``).
    """
    try:
        import trafilatura
    except ImportError as error:
        raise ImportError(
            "reading HTML pages needs trafilatura, in the html extra: pip install 'themescope[html]'"
        ) from error

    if not html.strip():
        return ""
    main = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if main:
        return str(main)
    return str(trafilatura.html2txt(html)).strip()


def _read_table(file: Path, text_column: str | None, id_column: str | None, errors: str,
                date_column: str | None = None, title_column: str | None = None) -> pd.DataFrame:
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        try:
            table = pd.read_parquet(file)
        except ImportError as error:
            raise ImportError(
                f"reading {file} needs pyarrow, in the parquet extra: pip install 'themescope[parquet]'"
            ) from error
        except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
            raise ValueError(f"{file}: cannot read as parquet ({error})") from error
    else:
        content = _decode(file.read_bytes(), file, errors)
        if not content.strip():
            raise ValueError(f"no documents in {file}: the file is empty")
        try:
            if suffix == ".jsonl":
                table = pd.read_json(io.StringIO(content), lines=True, dtype=False)
            else:
                separator = "\t" if suffix == ".tsv" else ","
                table = pd.read_csv(io.StringIO(content), sep=separator, dtype=str, keep_default_na=False)
        except ValueError as error:  # pandas' ParserError and JSON errors are ValueErrors
            kind = "JSON lines" if suffix == ".jsonl" else suffix[1:].upper()
            raise ValueError(f"{file}: cannot parse as {kind} ({error})") from error
    return _frame_of_table(table, file, text_column, id_column, date_column=date_column, title_column=title_column)


def _frame_of_table(table: pd.DataFrame, file: Path, text_column: str | None, id_column: str | None,
                    first_row: int = 0, date_column: str | None = None,
                    title_column: str | None = None, warning_stacklevel: int = 5) -> pd.DataFrame:
    """The id, text and path columns (then the others) of a table's rows; ``first_row``: the
    file's row number of the first one (read in chunks)."""
    text_name = text_column if text_column is not None else "text"
    if text_name not in table.columns:
        raise ValueError(
            f"{file} has no column {text_name!r} for the text (columns: {_names(table.columns)}); "
            "pass text_column="
        )
    if id_column is not None and id_column not in table.columns:
        raise ValueError(f"{file} has no column {id_column!r} for the ids (columns: {_names(table.columns)})")
    id_name = id_column if id_column is not None else ("id" if "id" in table.columns else None)
    texts = table[text_name]
    rows = [first_row + row for row, value in enumerate(texts) if not isinstance(value, str)]
    if rows:
        raise ValueError(f"{file}: column {text_name!r} has no text in rows {rows[:5]}")
    if id_name is None:
        ids = pd.Series([str(first_row + row) for row in range(len(table))])
    else:
        ids = table[id_name].astype(str)
    title_name = _metadata_column(file, table, title_column, "title")
    date_name = _metadata_column(file, table, date_column, "date")
    taken = (text_name, id_name, title_name, date_name, "id", "text", "path", "title", "date")
    rest = [c for c in table.columns if c not in taken]
    frame = pd.DataFrame({"id": ids.to_numpy(), "text": texts.to_numpy(), "path": str(file)})
    if title_name is not None:
        frame["title"] = [None if _is_blank(v) else str(v) for v in table[title_name]]
    urls = table["url"].reset_index(drop=True) if "url" in table.columns else None
    if date_name is not None or urls is not None:
        from .metadata import dates_with_urls

        raw = table[date_name].reset_index(drop=True) if date_name is not None else None
        source = f"dates of {file}" + (f" (column {date_name!r})" if date_name is not None else " (from URLs)")
        # the warning points at the user's call: _frame_of_table <- _read_table <- read_corpus <- the
        # user (warning_stacklevel=5), or the chunks' generators <- the user's loop (6)
        frame["date"] = dates_with_urls(raw, urls, source, stacklevel=warning_stacklevel).to_numpy()
    for column in rest:
        frame[column] = table[column].to_numpy()
    return frame


def _metadata_column(file: Path, table: pd.DataFrame, given: str | None, default: str) -> str | None:
    """The table's column for the title or the date: the one named, else the default if present."""
    if given is None:
        return default if default in table.columns else None
    if not isinstance(given, str):
        raise TypeError(f"{default}_column must be a str, got {type(given).__name__} {given!r}")
    if given not in table.columns:
        raise ValueError(
            f"{file} has no column {given!r} for the {default}s (columns: {_names(table.columns)}); "
            f"pass {default}_column="
        )
    if given != default and default in table.columns:
        raise ValueError(
            f"{file} has both a {default!r} column and {default}_column={given!r}: rename one of them"
        )
    return given


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _names(columns: Iterable[Any]) -> str:
    return ", ".join(repr(str(c)) for c in columns)


def _progress(files: list[Path], progress: bool | None, desc: str) -> Iterable[Path]:
    if progress is False or len(files) < 2:
        return files
    from tqdm import tqdm  # text bars on stderr, in terminals and notebooks alike

    # disable=None: tqdm stays silent when stderr is not a terminal
    bar: Iterable[Path] = tqdm(files, desc=desc, unit="file", disable=None if progress is None else False)
    return bar
