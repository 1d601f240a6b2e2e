"""read_corpus(path, chunksize=N): the same rows as one read, N at a time, never the whole corpus.

Document files are read N at a time; .jsonl and .csv/.tsv tables are streamed from the
file (lines decoded as they come, with the same error policy and one warning per file);
parquet tables by record batches. Rows come in the order one read gives them: document
files first (sorted), then the tables in file order, and chunks hold exactly N rows but
the last. Ids are checked for uniqueness across chunks as they come.
"""

from __future__ import annotations

import io
import itertools
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import _corpus_files as _corpus
from ._validation import InvalidValueError

__all__ = ["read_chunks"]


def read_chunks(files: Sequence[Path], root: Path, text_column: str | None, id_column: str | None,
                errors: str, chunksize: int, progress: bool | None, source: str, *,
                date_column: str | None = None, title_column: str | None = None) -> Iterator[pd.DataFrame]:
    documents = [f for f in files if f.suffix.lower() in _corpus.DOCUMENT_SUFFIXES]
    tables = [f for f in files if f.suffix.lower() in _corpus.TABLE_SUFFIXES]
    for file in files:
        if file.suffix.lower() not in _corpus.DOCUMENT_SUFFIXES + _corpus.TABLE_SUFFIXES:
            supported = ", ".join(_corpus.DOCUMENT_SUFFIXES + _corpus.TABLE_SUFFIXES)
            raise InvalidValueError(f"{file}: unsupported file type {file.suffix!r} (supported: {supported})")
    pieces = itertools.chain(_document_pieces(documents, root, errors, chunksize, progress),
                             *(_table_pieces(f, text_column, id_column, errors, chunksize, date_column, title_column)
                               for f in tables))
    seen: set[str] = set()
    rows = 0
    for chunk in _rebatched(pieces, chunksize):
        ids = chunk["id"].tolist()
        # O(chunk) set look-ups (Series.isin(seen) would copy the whole set at every chunk)
        repeated = list(dict.fromkeys(i for n, i in enumerate(ids) if i in seen or i in ids[:n]
                                      )) if len(set(ids)) < len(ids) or not seen.isdisjoint(ids) else []
        if repeated:
            raise InvalidValueError(f"document ids are not unique in {source}: {repeated[:5]}")
        seen.update(ids)
        rows += len(chunk)
        yield chunk
    if rows == 0:
        raise InvalidValueError(f"no documents in {source}")


def _rebatched(pieces: Iterator[pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    """Frames of exactly ``size`` rows (the last one fewer), in order, from frames of any size."""
    pending: list[pd.DataFrame] = []
    count = 0
    for piece in pieces:
        while len(piece):
            take = min(size - count, len(piece))
            pending.append(piece.iloc[:take])
            piece = piece.iloc[take:]
            count += take
            if count == size:
                yield _concat(pending)
                pending, count = [], 0
    if count:
        yield _concat(pending)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return frame.reset_index(drop=True)


def _document_pieces(files: list[Path], root: Path, errors: str, chunksize: int,
                     progress: bool | None) -> Iterator[pd.DataFrame]:
    if not files:
        return
    ids = _corpus._ids_of_files(files, root)
    bar = iter(_corpus._progress(files, progress, desc="reading"))
    # HTML pages give a title and a date, as in one read: then every chunk has both columns
    any_html = any(file.suffix.lower() in _corpus._HTML_SUFFIXES for file in files)
    for start in range(0, len(files), chunksize):
        batch = [next(bar) for _ in files[start : start + chunksize]]
        page_metadata: dict[Path, dict[str, Any]] = {}
        frame = pd.DataFrame({
            "id": ids[start : start + len(batch)],
            "text": [_corpus._read_document(file, errors, page_metadata) for file in batch],
            "path": [str(file) for file in batch],
        })
        if any_html:
            frame["title"] = pd.Series([page_metadata.get(file, {}).get("title") for file in batch], dtype=object)
            frame["date"] = pd.Series([page_metadata.get(file, {}).get("date") for file in batch],
                                      dtype=object).pipe(pd.to_datetime).astype("datetime64[ns]")
        yield frame


class _Decoding:
    """A codec error handler for one file: ``strict`` raises naming it, the other policies
    warn once (InvalidUTF8Warning, as a whole read does) and apply themselves."""

    def __init__(self, file: Path, errors: str) -> None:
        self.file = file
        self.errors = errors
        self.warned = False
        self.offset = 0  # bytes of the lines before the one being decoded

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            start = self.offset + error.start
            if self.errors == "strict":
                raise UnicodeDecodeError("utf-8", raw, error.start, error.end,
                                         f"{self.file} is not valid UTF-8 ({error.reason})") from None
            if not self.warned:
                self.warned = True
                bad = raw[error.start : error.start + 1].hex()
                warnings.warn(f"{self.file} is not valid UTF-8 (byte 0x{bad} at offset {start}); "
                              f"decoded with errors={self.errors!r}", _corpus.InvalidUTF8Warning, stacklevel=6)
            return raw.decode("utf-8", errors=self.errors)
        finally:
            self.offset += len(raw)


def _lines(file: Path, errors: str) -> Iterator[str]:
    """The file's lines, decoded one at a time (a line is never split across chunks)."""
    decoding = _Decoding(file, errors)
    with open(file, "rb") as raw:
        for line in raw:
            yield decoding.decode(line)


def _table_pieces(file: Path, text_column: str | None, id_column: str | None, errors: str,
                  chunksize: int, date_column: str | None = None,
                  title_column: str | None = None) -> Iterator[pd.DataFrame]:
    suffix = file.suffix.lower()
    row = 0
    if suffix != ".parquet" and _is_blank(file):
        raise InvalidValueError(f"no documents in {file}: the file is empty")
    if suffix == ".parquet":
        blocks: Iterator[pd.DataFrame] = _parquet_blocks(file, chunksize)
    elif suffix == ".jsonl":
        blocks = _jsonl_blocks(file, errors, chunksize)
    else:
        blocks = _csv_blocks(file, errors, chunksize, "\t" if suffix == ".tsv" else ",")
    for table in blocks:
        yield _corpus._frame_of_table(table, file, text_column, id_column, first_row=row,
                                      date_column=date_column, title_column=title_column,
                                      warning_stacklevel=6)  # _table_pieces <- _rebatched <- read_chunks <- the loop
        row += len(table)


def _parquet_blocks(file: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError(
            f"reading {file} needs pyarrow, in the parquet extra: pip install 'themescope[parquet]'"
        ) from error
    try:
        batches = pq.ParquetFile(file).iter_batches(batch_size=chunksize)
        for batch in batches:
            yield batch.to_pandas()
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise InvalidValueError(f"{file}: cannot read as parquet ({error})") from error


# Lines parsed at a time: pandas' JSON reader holds several copies of what it parses (the
# text as UCS-4, the joined lines, the parsed objects), ~25x a 40 MB block at its peak.
_JSON_LINES_PER_PARSE = 2048


def _jsonl_blocks(file: Path, errors: str, chunksize: int) -> Iterator[pd.DataFrame]:
    chunksize = min(chunksize, _JSON_LINES_PER_PARSE)  # _rebatched makes the chunks
    block: list[str] = []
    for line in _lines(file, errors):
        if not line.strip():
            continue  # as pandas skips blank lines of a whole file
        block.append(line)
        if len(block) == chunksize:
            yield _parse_jsonl(file, block)
            block = []
    if block:
        yield _parse_jsonl(file, block)


def _parse_jsonl(file: Path, lines: list[str]) -> pd.DataFrame:
    try:
        return pd.read_json(io.StringIO("".join(line if line.endswith("\n") else line + "\n" for line in lines)),
                            lines=True, dtype=False)
    except ValueError as error:
        raise InvalidValueError(f"{file}: cannot parse as JSON lines ({error})") from error


def _is_blank(file: Path) -> bool:
    """Whether the file holds only whitespace (read up to its first other byte)."""
    with open(file, "rb") as raw:
        while block := raw.read(1 << 16):
            if block.strip():
                return False
    return True


class _DecodedLines(io.RawIOBase):
    """A binary file decoded line by line (policy and warning of _Decoding), as UTF-8 for pandas."""

    def __init__(self, raw: Any, decoding: _Decoding) -> None:
        self.raw = raw
        self.decoding = decoding
        self.rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while len(self.rest) < len(target):
            line = self.raw.readline()
            if not line:
                break
            self.rest += self.decoding.decode(line).encode("utf-8", "surrogatepass")
        n = min(len(target), len(self.rest))
        target[:n] = self.rest[:n]
        self.rest = self.rest[n:]
        return n


def _csv_blocks(file: Path, errors: str, chunksize: int, separator: str) -> Iterator[pd.DataFrame]:
    with open(file, "rb") as raw:
        stream = io.TextIOWrapper(io.BufferedReader(_DecodedLines(raw, _Decoding(file, errors))), encoding="utf-8")
        reader = pd.read_csv(stream, sep=separator, dtype=str, keep_default_na=False, chunksize=chunksize)
        try:
            yield from reader
        except ValueError as error:  # pandas' ParserError is a ValueError
            kind = "CSV" if separator == "," else "TSV"
            raise InvalidValueError(f"{file}: cannot parse as {kind} ({error})") from error
