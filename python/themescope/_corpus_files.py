"""Reading one file of a corpus: the suffixes read, decoding, one document per file, one table.

What :func:`themescope.read_corpus` and its chunked reader (``_corpus_chunks``) share, below both
so that neither imports the other back. Imports nothing of the package but ``metadata``.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ._validation import InvalidTypeError, InvalidValueError

#: Files read as one document each (case-insensitive).
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Files read as a table, one document per row.
TABLE_SUFFIXES = (".jsonl", ".csv", ".tsv", ".parquet")
_HTML_SUFFIXES = (".html", ".htm")
_ERROR_POLICIES = ("replace", "strict", "backslashreplace", "ignore")
_GLOB_CHARACTERS = frozenset("*?[")


class InvalidUTF8Warning(UnicodeWarning):
    """A file was not valid UTF-8 and was decoded with a lossy error policy."""

    __module__ = "themescope.corpus"  # its public home (read_corpus's module), where users import it from


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
            raise InvalidValueError(f"{file}: cannot read as parquet ({error})") from error
    else:
        content = _decode(file.read_bytes(), file, errors)
        if not content.strip():
            raise InvalidValueError(f"no documents in {file}: the file is empty")
        try:
            if suffix == ".jsonl":
                table = pd.read_json(io.StringIO(content), lines=True, dtype=False)
            else:
                separator = "\t" if suffix == ".tsv" else ","
                table = pd.read_csv(io.StringIO(content), sep=separator, dtype=str, keep_default_na=False)
        except ValueError as error:  # pandas' ParserError and JSON errors are ValueErrors
            kind = "JSON lines" if suffix == ".jsonl" else suffix[1:].upper()
            raise InvalidValueError(f"{file}: cannot parse as {kind} ({error})") from error
    return _frame_of_table(table, file, text_column, id_column, date_column=date_column, title_column=title_column)


def _frame_of_table(table: pd.DataFrame, file: Path, text_column: str | None, id_column: str | None,
                    first_row: int = 0, date_column: str | None = None,
                    title_column: str | None = None, warning_stacklevel: int = 5) -> pd.DataFrame:
    """The id, text and path columns (then the others) of a table's rows; ``first_row``: the
    file's row number of the first one (read in chunks)."""
    text_name = text_column if text_column is not None else "text"
    if text_name not in table.columns:
        raise InvalidValueError(
            f"{file} has no column {text_name!r} for the text (columns: {_names(table.columns)}); "
            "pass text_column="
        )
    if id_column is not None and id_column not in table.columns:
        raise InvalidValueError(f"{file} has no column {id_column!r} for the ids (columns: {_names(table.columns)})")
    id_name = id_column if id_column is not None else ("id" if "id" in table.columns else None)
    texts = table[text_name]
    rows = [first_row + row for row, value in enumerate(texts) if not isinstance(value, str)]
    if rows:
        raise InvalidValueError(f"{file}: column {text_name!r} has no text in rows {rows[:5]}")
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
        raise InvalidTypeError(f"{default}_column must be a str, got {type(given).__name__} {given!r}")
    if given not in table.columns:
        raise InvalidValueError(
            f"{file} has no column {given!r} for the {default}s (columns: {_names(table.columns)}); "
            f"pass {default}_column="
        )
    if given != default and default in table.columns:
        raise InvalidValueError(
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
