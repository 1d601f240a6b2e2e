"""The one home of argument and document checks (themescope._validation): one wording, and
exceptions that are the ValueError/TypeError callers catch as well as a UsageError."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import themescope as ts
from themescope import _validation as v


def test_every_check_error_is_a_usage_error_and_the_builtin_callers_catch() -> None:
    assert issubclass(v.InvalidValueError, ValueError) and issubclass(v.InvalidValueError, v.UsageError)
    assert issubclass(v.InvalidTypeError, TypeError) and issubclass(v.InvalidTypeError, v.UsageError)
    # a missing document is both: code that caught TypeError (boilerplate, crosslang) or
    # ValueError (Explorer) before the checks were one still catches it
    assert issubclass(v.MissingValueError, ValueError) and issubclass(v.MissingValueError, TypeError)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [(0, v.InvalidValueError, r"^k=0 is out of range: it must be >= 1$"),
     (2.0, v.InvalidTypeError, r"^k must be an int, got float 2\.0$"),
     (True, v.InvalidTypeError, r"^k must be an int, got bool True$"),
     (np.int64(9), v.InvalidValueError, r"^k=9 is out of range: it must be between 1 and 5 \(why\)$")],
)
def test_check_int_wording(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        v.check_int("k", value, 1, 5 if isinstance(value, np.integer) else None, " (why)" * isinstance(value, np.integer))
    assert v.check_int("k", np.int32(3), 1) == 3 and type(v.check_int("k", np.int32(3), 1)) is int


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [(lambda docs: ts.Explorer().fit(docs), ValueError, "document 1 is missing"),
     (lambda docs: ts.BoilerplateRemover().fit_transform(docs), TypeError, "document 1 is missing"),
     (lambda docs: ts.CrossLanguageFeatures().fit_transform(docs), TypeError, "document 1 is missing")],
    ids=["Explorer", "BoilerplateRemover", "CrossLanguageFeatures"],
)
def test_the_same_bad_document_gets_the_same_words_everywhere(call: object, error: type[Exception],
                                                              message: str) -> None:
    with pytest.raises(error, match=message):
        call(["Un article.", None, "Un autre."])  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"^document 2 is int \(7\), expected str$"):
        call(["Un article.", "Un autre.", 7])  # type: ignore[operator]


def test_documents_and_ids_take_a_series_index_and_refuse_repeated_ids() -> None:
    docs, index = v.documents_and_ids(pd.Series(["a", "b"], index=["x", "y"]), None)
    assert docs == ["a", "b"] and index.tolist() == ["x", "y"]
    with pytest.raises(v.InvalidValueError, match="'x' appears more than once"):
        v.documents_and_ids(["a", "b"], ["x", "x"])
    with pytest.raises(v.MissingValueError, match=r"document 1 \(index 'y'\) is missing \(nan\)"):
        v.documents_and_ids(pd.Series(["a", np.nan], index=["x", "y"]), None)


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(v, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
