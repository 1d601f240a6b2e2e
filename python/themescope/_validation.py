"""Checks of what callers pass in: one home, one wording, one family of exceptions.

Every check raises a :class:`UsageError`, which also is the ``ValueError`` or ``TypeError`` a
user's code already catches: ``except ValueError`` keeps working, and the ``themescope``
command tells a user's mistake (exit status 2) from a bug of its own (exit status 1) by the
class alone. Imports nothing of the package: every other module may import it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "UsageError",
    "InvalidValueError",
    "InvalidTypeError",
    "MissingValueError",
    "check_int",
    "check_documents",
    "check_ids",
    "check_languages",
    "documents_and_ids",
    "is_missing",
]


class UsageError(Exception):
    """The caller's mistake (a bad argument or document), not themescope's: its message says what to change."""


class InvalidValueError(UsageError, ValueError):
    """A value of the right type that is out of range, inconsistent or unknown."""


class InvalidTypeError(UsageError, TypeError):
    """A value of the wrong type."""


class MissingValueError(InvalidValueError, InvalidTypeError):
    """None or NaN where a document or an id was expected: a missing value (ValueError) and not a
    str (TypeError), so that code catching either, as it did before this class existed, catches it."""


def is_missing(value: Any) -> bool:
    """None, pandas' NA and NaT, or a float NaN: what a table holds where it has no value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def check_int(name: str, value: Any, low: int, high: int | None = None, what: str = "") -> int:
    """``value`` as an int in ``[low, high]``; ``what`` adds why the bounds are what they are.

    >>> check_int("k", 3, 1)
    3
    >>> check_int("k", 5, 1, 4, " (5 documents)")
    Traceback (most recent call last):
    ...
    themescope._validation.InvalidValueError: k=5 is out of range: it must be between 1 and 4 (5 documents)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidTypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise InvalidValueError(f"{name}={number} is out of range: it must be {bound}{what}")
    return number


def check_documents(texts: Any, *, name: str = "texts", labels: Sequence[Any] | None = None,
                    accepted: str = "") -> list[str]:
    """The documents as a list of str, or an error naming the first bad one.

    ``labels``, when given, are the documents' index labels, named in the error next to the
    position; ``accepted`` lists the containers the caller takes besides an iterable.
    """
    kind = type(texts).__name__
    if isinstance(texts, (str, bytes)):
        raise InvalidTypeError(
            f"{name} must be an iterable of str, not a single {kind} (one str per document{accepted})")
    if not isinstance(texts, Iterable):
        raise InvalidTypeError(f"{name} must be an iterable of str, got {kind} (one str per document{accepted})")
    documents = list(texts)
    for position, document in enumerate(documents):
        if not isinstance(document, str):
            _raise_not_a_document(position, document, labels)
    return documents


def _raise_not_a_document(position: int, document: Any, labels: Sequence[Any] | None) -> None:
    where = f"document {position}"
    if labels is not None and labels[position] != position:
        where += f" (index {labels[position]!r})"
    if is_missing(document):
        raise MissingValueError(f"{where} is missing ({document!r}); drop or fill the missing texts first")
    hint = " (decode bytes first, e.g. with .decode('utf-8'))" if isinstance(document, bytes) else ""
    raise InvalidTypeError(f"{where} is {type(document).__name__} ({document!r:.40}), expected str{hint}")


def check_ids(ids: Any, n_documents: int, *, unique: bool = False) -> list[Any]:
    """One id per document (hashable, not missing, and distinct when ``unique``)."""
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise InvalidTypeError(f"ids must be a sequence with one id per document, got {type(ids).__name__}")
    id_list = list(ids)
    if len(id_list) != n_documents:
        raise InvalidValueError(f"ids has {len(id_list)} items for {n_documents} documents")
    if unique:
        for position, value in enumerate(id_list):
            if is_missing(value):
                raise MissingValueError(f"id {position} is missing ({value!r})")
            if not isinstance(value, Hashable):
                raise InvalidTypeError(f"id {position} is {type(value).__name__}, not hashable")
        index = pd.Index(id_list)
        if not index.is_unique:
            raise InvalidValueError(f"ids must be unique; {index[index.duplicated()][0]!r} appears more than once")
    return id_list


def documents_and_ids(texts: Any, ids: Any) -> tuple[list[str], pd.Index]:
    """The documents as a list of str and their distinct ids, from a list, a Series (its index
    unless a RangeIndex) or a DataFrame with columns ``id`` and ``text``."""
    labels: Sequence[Any] | None = None
    if isinstance(texts, pd.DataFrame):
        missing = [c for c in ("id", "text") if c not in texts.columns]
        if missing:
            raise InvalidValueError(
                f"a DataFrame of documents needs columns 'id' and 'text'; missing {missing}, "
                f"found {list(texts.columns)}"
            )
        if ids is not None:
            raise InvalidValueError("ids given twice: as the DataFrame's 'id' column and as ids=")
        ids = labels = texts["id"].tolist()
        texts = texts["text"].tolist()
    elif isinstance(texts, pd.Series):
        labels = texts.index.tolist()
        if ids is None and not isinstance(texts.index, pd.RangeIndex):
            ids = labels
        texts = texts.tolist()
    docs = check_documents(texts, labels=labels, accepted=": a list, pandas Series or DataFrame")
    if ids is None:
        return docs, pd.RangeIndex(len(docs))
    return docs, pd.Index(check_ids(ids, len(docs), unique=True))


def check_languages(languages: Any, n_documents: int) -> list[str] | None:
    """None (detect each document's language), one code for all, or one str per document."""
    if languages is None:
        return None
    if isinstance(languages, str):
        return [languages] * n_documents
    codes = list(languages)
    if len(codes) != n_documents:
        raise InvalidValueError(f"languages has {len(codes)} items for {n_documents} documents")
    for index, code in enumerate(codes):
        if not isinstance(code, str):
            raise InvalidTypeError(f"language {index} is {type(code).__name__}, expected str")
    return codes
