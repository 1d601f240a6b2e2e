"""Reading a corpus from disk: folders of text/Markdown/HTML files, globs, and tables."""

from __future__ import annotations

import glob as _glob
import os
from pathlib import Path
from typing import Any

import pandas as pd

from . import _corpus_files
from ._corpus_files import (
    _ERROR_POLICIES,
    _GLOB_CHARACTERS,
    InvalidUTF8Warning,
    _documents_under,
    _fixed_part_of_glob,
    _ids_of_files,
    _progress,
    _read_document,
    _read_table,
    html_to_text as html_to_text,  # public: themescope.corpus.html_to_text
)
from ._validation import InvalidValueError

__all__ = ["read_corpus", "InvalidUTF8Warning", "DOCUMENT_SUFFIXES", "TABLE_SUFFIXES"]

#: Files read as one document each (case-insensitive).
DOCUMENT_SUFFIXES = _corpus_files.DOCUMENT_SUFFIXES
#: Files read as a table, one document per row.
TABLE_SUFFIXES = _corpus_files.TABLE_SUFFIXES


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
        raise InvalidValueError(
            f"encoding_errors must be one of {', '.join(map(repr, _ERROR_POLICIES))}, "
            f"got {encoding_errors!r}"
        )
    text = os.fspath(path)
    files, root = _files_and_root(text)

    if chunksize is not None:
        if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
            raise InvalidValueError(f"chunksize must be an int >= 1 or None, got {chunksize!r}")
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
            raise InvalidValueError(f"{file}: unsupported file type {file.suffix!r} (supported: {supported})")
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
        raise InvalidValueError(f"no documents in {text}")
    repeated = corpus["id"][corpus["id"].duplicated()].unique().tolist()
    if repeated:
        raise InvalidValueError(f"document ids are not unique in {text}: {repeated[:5]}")
    return corpus


def _files_and_root(text: str) -> tuple[list[Path], Path]:
    """The files a path, folder or glob names, and the folder their ids are relative to."""
    target = Path(text)
    if target.is_dir():
        files = _documents_under(target)
        if not files:
            raise InvalidValueError(
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
    return files, root
