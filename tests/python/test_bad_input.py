"""Bad, odd and extreme input: scikit-learn's behaviour, or a clear error, never a crash.

Where scikit-learn lets an error slip from deep inside (``None`` or a number among the
documents gives an ``AttributeError`` about ``.lower``), themescope deliberately raises a
``TypeError`` naming the document (README, "Where results differ"); invalid UTF-8 names the
document and the byte offset. Everything else must be exactly scikit-learn's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import text as sk

import themescope as ts

VECTORIZERS = [
    pytest.param(ts.CountVectorizer, sk.CountVectorizer, id="count"),
    pytest.param(ts.TfidfVectorizer, sk.TfidfVectorizer, id="tfidf"),
]
ANALYZERS = [
    pytest.param({}, id="word"),
    pytest.param({"analyzer": "char", "ngram_range": (1, 2)}, id="char"),
    pytest.param({"analyzer": "char_wb", "ngram_range": (2, 3)}, id="char_wb"),
]
GOOD = ["The Quad summit in Tokyo", "cyber alliances, l’OTAN et l'Inde", "été 30.000 alliés"]


# ============================================================== helpers


def outcome(action: Callable[[], Any]) -> tuple[Any, list[tuple[type, str]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = action()
        except Exception as error:  # compared by the caller
            result = error
    return result, [(w.category, str(w.message)) for w in caught]


def assert_same_matrix(ours: Any, theirs: Any) -> None:
    assert type(ours) is type(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    theirs = theirs.copy()
    theirs.sort_indices()
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    if np.issubdtype(ours.dtype, np.floating):
        np.testing.assert_allclose(ours.data, theirs.data, rtol=0, atol=1e-12)
    else:
        np.testing.assert_array_equal(ours.data, theirs.data)


def assert_like_scikit_learn(ours_cls: type, sk_cls: type, params: dict[str, Any],
                             fit_docs: Callable[[], Any], transform_docs: Callable[[], Any] | None = None) -> Any:
    """Same matrices, vocabulary and warnings, or the same exception (type and message).

    Documents are given as factories so that iterators are fresh for each library.
    """

    def run(cls: type) -> Callable[[], Any]:
        def go() -> Any:
            estimator = cls(**params)
            X = estimator.fit_transform(fit_docs())
            if transform_docs is None:
                return estimator, X, None
            return estimator, X, estimator.transform(transform_docs())

        return go

    ours, warned_ours = outcome(run(ours_cls))
    theirs, warned_theirs = outcome(run(sk_cls))
    assert warned_ours == warned_theirs
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert type(ours) is type(theirs), f"themescope: {ours!r}; scikit-learn: {theirs!r}"
        assert str(ours) == str(theirs)
        return ours
    (mine, X_ours, T_ours), (reference, X_theirs, T_theirs) = ours, theirs
    assert mine.vocabulary_ == reference.vocabulary_
    assert_same_matrix(X_ours, X_theirs)
    if T_theirs is not None:
        assert_same_matrix(T_ours, T_theirs)
    return mine, X_ours, T_ours


# ============================================================ not a list


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
@pytest.mark.parametrize("params", [{}, {"analyzer": "char"}, {"tokenizer": str.split, "token_pattern": None}],
                         ids=["word", "char", "python-tokenizer"])
def test_a_single_string_is_scikit_learns_value_error(ours: type, theirs: type, method: str,
                                                      params: dict[str, Any]) -> None:
    def run(cls: type) -> Callable[[], Any]:
        def go() -> Any:
            estimator = cls(**params)
            if method == "transform":
                estimator.fit(GOOD)
            return getattr(estimator, method)("a single string, not a list of documents")

        return go

    mine, _ = outcome(run(ours))
    reference, _ = outcome(run(theirs))
    assert isinstance(reference, ValueError)
    assert type(mine) is ValueError
    assert str(mine) == str(reference) == "Iterable over raw text documents expected, string object received."


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
def test_a_single_bytes_object_is_a_clear_error(ours: type, theirs: type) -> None:
    # bytes are not caught by scikit-learn's str check: each byte (an int) is a "document"
    result = outcome(lambda: ours().fit_transform(b"abc def"))[0]
    reference = outcome(lambda: theirs().fit_transform(b"abc def"))[0]
    assert isinstance(reference, Exception)
    assert isinstance(result, TypeError), result  # themescope: a clear TypeError naming the document
    assert "document 0 is int" in str(result)


# ======================================================= non-string documents

NON_DOCUMENTS = [
    pytest.param(None, "NoneType", id="None"),
    pytest.param(5, "int", id="int"),
    pytest.param(2.5, "float", id="float"),
    pytest.param(["a", "list"], "list", id="list"),
    pytest.param(True, "bool", id="bool"),
    pytest.param(np.float64(1.0), "float64", id="np.float64"),
    pytest.param(np.int64(3), "int64", id="np.int64"),
    pytest.param({"text": "a dict"}, "dict", id="dict"),
    pytest.param(bytearray(b"ab cd"), "bytearray", id="bytearray"),
    pytest.param(("a", "tuple"), "tuple", id="tuple"),
]
NATIVE_SETTINGS = [
    pytest.param({}, id="default"),
    pytest.param({"analyzer": "char"}, id="char"),
    pytest.param({"analyzer": "char_wb"}, id="char_wb"),
    pytest.param({"lowercase": False, "strip_accents": "unicode"}, id="no-lowercase-accents"),
    pytest.param({"stop_words": "english", "ngram_range": (1, 2)}, id="stop-words-bigrams"),
    pytest.param({"decode_error": "replace", "encoding": "latin-1"}, id="decode-options"),
]
PYTHON_SETTINGS = [
    pytest.param({"token_pattern": r"(?u)\b[a-z]+\b"}, id="custom-token-pattern"),
    pytest.param({"tokenizer": str.split, "token_pattern": None}, id="tokenizer"),
]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(("bad", "type_name"), NON_DOCUMENTS)
@pytest.mark.parametrize("params", NATIVE_SETTINGS)
@pytest.mark.parametrize("position", [0, 2])
def test_a_non_string_document_is_a_type_error_naming_it(ours: type, theirs: type, bad: Any, type_name: str,
                                                         params: dict[str, Any], position: int) -> None:
    docs = list(GOOD)
    docs.insert(position, bad)
    assert isinstance(outcome(lambda: theirs(**params).fit_transform(docs))[0], Exception)  # scikit-learn fails too
    with pytest.raises(TypeError) as error:
        ours(**params).fit_transform(docs)
    message = str(error.value)
    assert f"document {position}" in message, message
    assert type_name in message, message


@pytest.mark.parametrize(("bad", "type_name"), NON_DOCUMENTS[:4])
@pytest.mark.parametrize("params", PYTHON_SETTINGS)
def test_a_non_string_document_is_a_type_error_with_python_tokenizing_too(bad: Any, type_name: str,
                                                                          params: dict[str, Any]) -> None:
    """Settings the native analyzer hands to scikit-learn's Python analyzer: the same clear error."""
    with pytest.raises(TypeError) as error:
        ts.CountVectorizer(**params).fit_transform(GOOD + [bad])
    assert f"document 3 is {type_name}" in str(error.value), str(error.value)


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(("bad", "type_name"), NON_DOCUMENTS[:4])
def test_a_non_string_document_in_transform_is_a_type_error_naming_it(ours: type, theirs: type, bad: Any,
                                                                      type_name: str) -> None:
    vectorizer = ours().fit(GOOD)
    with pytest.raises(TypeError, match=rf"document 3 is {type_name}\b"):
        vectorizer.transform(GOOD + [bad])
    # the fitted vectorizer is still usable
    assert_same_matrix(vectorizer.transform(GOOD), theirs().fit(GOOD).transform(GOOD))


def test_the_document_index_counts_across_batches() -> None:
    docs: list[Any] = ["cyber alliance"] * 70_000 + [None]
    with pytest.raises(TypeError, match=r"document 70000 is NoneType"):
        ts.CountVectorizer().fit(docs)
    with pytest.raises(TypeError, match=r"document 70000 is NoneType"):
        ts.CountVectorizer().fit(iter(docs))


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
def test_user_callables_still_receive_non_string_documents(ours: type, theirs: type) -> None:
    """A callable analyzer or preprocessor may take any object, as in scikit-learn."""
    tokenized = [["cyber", "alliance"], ["quad", "cyber"], []]
    assert_like_scikit_learn(ours, theirs, {"analyzer": lambda tokens: tokens}, lambda: tokenized, lambda: tokenized[:1])
    records = [{"text": "Quad summit"}, {"text": "cyber QUAD"}]
    assert_like_scikit_learn(ours, theirs, {"preprocessor": lambda r: r["text"].lower()}, lambda: records)


# =================================================================== NaN


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", NATIVE_SETTINGS + PYTHON_SETTINGS)
def test_nan_is_scikit_learns_value_error(ours: type, theirs: type, params: dict[str, Any]) -> None:
    error = assert_like_scikit_learn(ours, theirs, params, lambda: GOOD + [np.nan])
    assert isinstance(error, ValueError)
    assert str(error) == "np.nan is an invalid document, expected byte or unicode string."
    error = assert_like_scikit_learn(ours, theirs, params, lambda: GOOD, lambda: [np.nan] + GOOD)
    assert isinstance(error, ValueError)


def test_nan_in_a_pandas_series_is_scikit_learns_value_error() -> None:
    series = pd.Series(["Quad summit", None, "cyber"], dtype=object)
    for ours, theirs in ((ts.CountVectorizer, sk.CountVectorizer), (ts.TfidfVectorizer, sk.TfidfVectorizer)):
        mine = outcome(lambda: ours().fit_transform(series))[0]
        reference = outcome(lambda: theirs().fit_transform(series))[0]
        assert isinstance(mine, (TypeError, ValueError))
        if isinstance(reference, ValueError):
            assert type(mine) is ValueError and str(mine) == str(reference)
        else:  # None kept as None: themescope's clear TypeError
            assert "document 1 is NoneType" in str(mine)
    with_nan = pd.Series(["Quad summit", np.nan, "cyber"])
    assert_like_scikit_learn(ts.TfidfVectorizer, sk.TfidfVectorizer, {}, lambda: with_nan)


# ================================================================= bytes

VALID_UTF8 = [
    "Le café de l’OTAN".encode(),
    "naïve ÉTÉ Ⅳ ﬁne 中文 😀 ΣΑΣ".encode(),
    b"plain ascii words",
    "".encode(),
    "İstanbul ß ẞTRASSE".encode(),
]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", ANALYZERS)
def test_valid_utf8_bytes_like_scikit_learn(ours: type, theirs: type, params: dict[str, Any]) -> None:
    assert_like_scikit_learn(ours, theirs, params, lambda: VALID_UTF8, lambda: VALID_UTF8[::-1])
    mixed = [d.decode() if i % 2 else d for i, d in enumerate(VALID_UTF8)]
    assert_like_scikit_learn(ours, theirs, params, lambda: mixed, lambda: VALID_UTF8)
    # bytes give exactly what their decoded text gives
    from_bytes = ours(**params).fit_transform(VALID_UTF8)
    from_text = ours(**params).fit_transform([d.decode() for d in VALID_UTF8])
    assert (from_bytes != from_text).nnz == 0


INVALID_UTF8 = [
    # (document, offset of the first invalid byte)
    (b"caf\xe9 au lait", 3),  # Latin-1 byte
    (b"\xff\xfe leading", 0),
    (b"truncated \xe2\x82", 10),  # multibyte sequence cut at the end
    (b"overlong \xc0\xaf slash", 9),
    (b"surrogate \xed\xa0\x80 encoded", 10),
    (b"lone continuation \x80 byte", 18),
    ("déjà vu ".encode() + b"\xf8\x88\x80\x80\x80", 10),  # five-byte form, after 2-byte characters
]


@pytest.mark.parametrize(("document", "offset"), INVALID_UTF8, ids=[f"offset{o}-{i}" for i, (_, o) in enumerate(INVALID_UTF8)])
@pytest.mark.parametrize("params", ANALYZERS + PYTHON_SETTINGS)
def test_invalid_utf8_strict_names_document_and_byte_offset(document: bytes, offset: int,
                                                            params: dict[str, Any]) -> None:
    docs = [b"cyber alliance", "str document", document, b"after"]
    with pytest.raises(UnicodeDecodeError) as theirs:
        sk.CountVectorizer(**params).fit(docs)
    with pytest.raises(UnicodeDecodeError) as ours:
        ts.CountVectorizer(**params).fit(docs)
    assert theirs.value.start == offset
    error = ours.value
    assert (error.encoding, error.object, error.start, error.end) == (
        theirs.value.encoding, theirs.value.object, theirs.value.start, theirs.value.end)
    assert "document 2" in str(error), str(error)
    assert f"byte offset {offset}" in str(error), str(error)


def test_invalid_utf8_in_transform_names_the_document() -> None:
    vectorizer = ts.TfidfVectorizer().fit(GOOD)
    with pytest.raises(UnicodeDecodeError, match=r"document 1, byte offset 4"):
        vectorizer.transform([b"fine", b"bad \xff"])


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("decode_error", ["replace", "ignore"])
@pytest.mark.parametrize("params", ANALYZERS + PYTHON_SETTINGS)
def test_invalid_utf8_replace_and_ignore_like_scikit_learn(ours: type, theirs: type, decode_error: str,
                                                           params: dict[str, Any]) -> None:
    docs = [document for document, _ in INVALID_UTF8] + VALID_UTF8
    settings = {**params, "decode_error": decode_error}
    assert_like_scikit_learn(ours, theirs, settings, lambda: docs, lambda: docs[::-1])


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(
    ("encoding", "docs"),
    [
        ("latin-1", ["café à l'OTAN".encode("latin-1"), b"\xa3 50 \xe9t\xe9 \xff\xfe", b"\x00\x85\xa0nbsp"]),
        ("cp1252", ["\u201cquoted\u201d \u20ac 5".encode("cp1252"), b"caf\xe9 \x93x\x94"]),
        ("utf-16", ["héllo wörld, l’OTAN".encode("utf-16"), "中文 text".encode("utf-16")]),
        ("ascii", [b"plain text", b"more plain"]),
    ],
)
@pytest.mark.parametrize("params", ANALYZERS)
def test_other_encodings_like_scikit_learn(ours: type, theirs: type, encoding: str, docs: list[bytes],
                                           params: dict[str, Any]) -> None:
    assert_like_scikit_learn(ours, theirs, {**params, "encoding": encoding}, lambda: docs, lambda: docs[::-1])


def test_undecodable_in_another_encoding_names_the_document() -> None:
    with pytest.raises(UnicodeDecodeError, match=r"document 1, byte offset 3") as error:
        ts.CountVectorizer(encoding="ascii").fit([b"abc", "caf\xe9".encode("utf-8")])
    assert error.value.encoding == "ascii"


def test_unknown_encoding_is_scikit_learns_lookup_error() -> None:
    assert_like_scikit_learn(ts.CountVectorizer, sk.CountVectorizer, {"encoding": "no-such-codec"}, lambda: [b"abc"])


# ================================================== empty and blank documents

BLANKS = ["", " ", "\t\n", "\u00a0\u2003\u3000", "\r\n\x0b\x0c", "...", "- , ;"]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", ANALYZERS + [pytest.param({"stop_words": "english"}, id="stop-words")])
def test_empty_and_blank_documents_give_empty_rows(ours: type, theirs: type, params: dict[str, Any]) -> None:
    docs = [BLANKS[0], GOOD[0], *BLANKS[1:4], GOOD[1], *BLANKS[4:], GOOD[2], ""]
    _, X, T = assert_like_scikit_learn(ours, theirs, params, lambda: docs, lambda: BLANKS + GOOD)
    row_sizes = np.diff(X.indptr)
    for i, doc in enumerate(docs):
        if doc.strip() == "" and params.get("analyzer", "word") == "word":
            assert row_sizes[i] == 0, (i, doc)
    assert not np.isnan(X.data).any() and not np.isnan(T.data).any()
    assert X.shape[0] == len(docs)


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(
    ("docs", "params"),
    [
        pytest.param(["", "", ""], {}, id="all-empty"),
        pytest.param([" ", "\t\n", "\u3000"], {}, id="all-whitespace"),
        pytest.param([], {}, id="no-documents"),
        pytest.param(["", ""], {"analyzer": "char"}, id="all-empty-char"),
        pytest.param(["", " "], {"analyzer": "char_wb", "ngram_range": (3, 4)}, id="blank-char_wb"),
        pytest.param(["a b c", "I x"], {}, id="only-one-letter-tokens"),
        pytest.param(["the and of", "to be or not to be"], {"stop_words": "english"}, id="only-stop-words"),
        pytest.param(["aa bb", "bb"], {"stop_words": ["aa", "bb"]}, id="only-listed-stop-words"),
        pytest.param(["!!! ???", "..."], {"ngram_range": (1, 3)}, id="punctuation-only"),
        pytest.param(["one two"], {"ngram_range": (3, 3)}, id="too-short-for-ngrams"),
    ],
)
def test_no_vocabulary_is_scikit_learns_value_error(ours: type, theirs: type, docs: list[str],
                                                    params: dict[str, Any]) -> None:
    error = assert_like_scikit_learn(ours, theirs, params, lambda: docs)
    assert isinstance(error, ValueError)
    assert str(error) == "empty vocabulary; perhaps the documents only contain stop words"


# ============================================================= iterables


class CountingIterable:
    """An iterable that records how often it is iterated and how many items are drawn."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items
        self.iterations = 0
        self.drawn = 0

    def __iter__(self) -> Iterator[Any]:
        self.iterations += 1
        for item in self.items:
            self.drawn += 1
            yield item


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", ANALYZERS + PYTHON_SETTINGS)
def test_a_generator_is_consumed_once_and_gives_the_list_result(ours: type, theirs: type,
                                                                params: dict[str, Any]) -> None:
    docs = GOOD + ["", "Quad Quad cyber"] + VALID_UTF8
    # same as scikit-learn on generators
    assert_like_scikit_learn(ours, theirs, params, lambda: (d for d in docs), lambda: iter(docs[::-1]))
    # same as our own result on the list
    from_list = ours(**params).fit_transform(docs)
    consumed = CountingIterable(docs)
    vectorizer = ours(**params)
    from_iterable = vectorizer.fit_transform(consumed)
    assert consumed.iterations == 1 and consumed.drawn == len(docs)
    assert (from_iterable != from_list).nnz == 0 and from_iterable.shape == from_list.shape
    consumed = CountingIterable(docs)
    assert (vectorizer.transform(consumed) != from_list).nnz == 0
    assert consumed.iterations == 1 and consumed.drawn == len(docs)


def test_other_iterables_like_scikit_learn() -> None:
    for make in (lambda: map(str.upper, GOOD), lambda: tuple(GOOD), lambda: dict.fromkeys(GOOD),
                 lambda: (d for d in [] + GOOD), lambda: pd.Index(GOOD)):
        assert_like_scikit_learn(ts.TfidfVectorizer, sk.TfidfVectorizer, {}, make, make)


def test_an_exhausted_generator_is_scikit_learns_empty_vocabulary() -> None:
    def exhausted() -> Iterator[str]:
        generator = (d for d in GOOD)
        list(generator)
        return generator

    assert_like_scikit_learn(ts.CountVectorizer, sk.CountVectorizer, {}, exhausted)


def test_an_error_raised_by_the_iterable_propagates() -> None:
    class Boom(Exception):
        pass

    def documents() -> Iterator[str]:
        yield "cyber alliance"
        yield "quad summit"
        raise Boom("source failed")

    with pytest.raises(Boom, match="source failed"):
        ts.TfidfVectorizer().fit_transform(documents())
    # and the library keeps working
    assert ts.TfidfVectorizer().fit_transform(GOOD).shape[0] == 3


# ========================================================= a 100 MB document

SENTENCES = [
    "The Quad leaders met in Tokyo to discuss cyber security and maritime alliances. ",
    "Le président a rencontré les alliés à Tokyo; 30.000 personnes étaient présentes. ",
    "Critical infrastructure needs resilient supply chains, trusted networks and allies. ",
    "Cybersécurité: l'OTAN et l'Inde renforcent leur coopération, selon le ministère. ",
]
UNIQUE_TOKENS = 1000
HUNDRED_MB_SCRIPT = r"""
import json, resource, sys
import themescope as ts

block, n_unique, target = json.loads(sys.argv[1])
step = target // len(block) // n_unique
chunk = block * step  # one object, referenced n_unique times: the join is the only big copy
parts = []
for i in range(n_unique):
    parts.append(chunk)
    parts.append(f"zq{i:05d}x ")
document = "".join(parts)
del parts, chunk

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

before = peak_mb()
vectorizer = ts.CountVectorizer()
X = vectorizer.fit_transform([document, "Tokyo quad summit", ""])
fitted_peak = peak_mb()
small = ts.CountVectorizer().fit(["tokyo alliés cyber unknownword"])
T = small.transform(["", document])
vocabulary = vectorizer.vocabulary_
row = X.getrow(0).toarray().ravel()
print(json.dumps({
    "length": len(document),
    "blocks": step * n_unique,
    "shape": list(X.shape),
    "row0": {term: int(row[i]) for term, i in vocabulary.items() if row[i] and not term.startswith("zq")},
    "unique": sorted(term for term in vocabulary if term.startswith("zq")),
    "unique_counts": sorted({int(row[i]) for term, i in vocabulary.items() if term.startswith("zq")}),
    "row1": {term: int(X[1, i]) for term, i in vocabulary.items() if X[1, i]},
    "row2_nnz": int(X.getrow(2).nnz),
    "transform": {term: int(T[1, i]) for term, i in small.vocabulary_.items()},
    "transform_row0_nnz": int(T.getrow(0).nnz),
    "peak_before_mb": before,
    "peak_growth_mb": max(peak_mb(), fitted_peak) - before,
}))
"""


def test_a_hundred_megabyte_document() -> None:
    block = "".join(SENTENCES)
    target = 100_000_000
    completed = subprocess.run(
        [sys.executable, "-c", HUNDRED_MB_SCRIPT, json.dumps([block, UNIQUE_TOKENS, target])],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    blocks = result["blocks"]
    assert result["length"] >= 0.99 * target

    # expectation computed by hand from one block: \w\w+ runs, lower-cased
    per_block = Counter(re.findall(r"\w\w+", block.lower()))
    assert per_block["tokyo"] == 2 and per_block["000"] == 1 and per_block["30"] == 1
    assert per_block["alliés"] == 1 and per_block["allies"] == 1 and per_block["l"] == 0
    expected_row0 = {term: count * blocks for term, count in per_block.items()}
    assert result["row0"] == expected_row0
    assert result["unique"] == [f"zq{i:05d}x" for i in range(UNIQUE_TOKENS)]
    assert result["unique_counts"] == [1]
    assert result["shape"] == [3, len(per_block) + UNIQUE_TOKENS + 1]  # + "summit", only in document 1
    assert result["row1"] == {"tokyo": 1, "quad": 1, "summit": 1}
    assert result["row2_nnz"] == 0
    assert result["transform"] == {"tokyo": 2 * blocks, "alliés": blocks, "cyber": blocks, "unknownword": 0}
    assert result["transform_row0_nnz"] == 0
    # a native pass over 100 MB: the peak grows by far less than scikit-learn's token lists would need
    assert result["peak_growth_mb"] < 1024, result


def test_a_single_five_megabyte_token_like_scikit_learn() -> None:
    token = "x" * 5_000_000
    docs = [f"before {token} after", token, "x"]
    assert_like_scikit_learn(ts.CountVectorizer, sk.CountVectorizer, {}, lambda: docs)
    vectorizer = ts.CountVectorizer().fit(docs)
    assert vectorizer.vocabulary_ == {"after": 0, "before": 1, token: 2}


# =============================================== NUL bytes and lone surrogates

NUL_DOCS = ["aa\x00bb cc", "\x00", "c\x00\x00dd ee\x00", "\x00 \x00 x\x00y", "word\x00"]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", ANALYZERS + PYTHON_SETTINGS)
def test_nul_characters_like_scikit_learn(ours: type, theirs: type, params: dict[str, Any]) -> None:
    assert_like_scikit_learn(ours, theirs, params, lambda: NUL_DOCS, lambda: NUL_DOCS[::-1] + GOOD)
    as_bytes = [d.encode() for d in NUL_DOCS]
    assert_like_scikit_learn(ours, theirs, params, lambda: as_bytes, lambda: as_bytes[::-1])


SURROGATE_DOCS = ["a\ud800b", "\udfff\ud800", "x\ud83d\ude00y", "ab\ud800cd ee", "\udc80", "é\ud800b été"]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(
    "params",
    ANALYZERS + [
        pytest.param({"analyzer": "char", "ngram_range": (1, 3), "strip_accents": "unicode"}, id="char-strip-unicode"),
        pytest.param({"analyzer": "char", "lowercase": False}, id="char-no-lowercase"),
        pytest.param({"strip_accents": "ascii"}, id="word-strip-ascii"),
    ],
)
def test_lone_surrogates_like_scikit_learn(ours: type, theirs: type, params: dict[str, Any]) -> None:
    assert_like_scikit_learn(ours, theirs, params, lambda: SURROGATE_DOCS, lambda: SURROGATE_DOCS[::-1] + GOOD)


# ================================================== pandas and numpy containers


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: pd.Series(GOOD, index=[10, 20, 30]), id="series-non-default-index"),
        pytest.param(lambda: pd.Series(GOOD, index=["c", "b", "a"], name="text"), id="series-str-index"),
        pytest.param(lambda: pd.Series(GOOD, dtype="string"), id="series-string-dtype"),
        pytest.param(lambda: pd.Series(GOOD, dtype=object), id="series-object"),
        pytest.param(lambda: pd.Series(GOOD * 2, dtype="category"), id="series-category"),
        pytest.param(lambda: pd.DataFrame({"text": GOOD, "n": [1, 2, 3]})["text"], id="dataframe-column"),
        pytest.param(lambda: pd.Series(GOOD)[::-1], id="series-reversed-view"),
        pytest.param(lambda: np.array(GOOD), id="numpy-unicode"),
        pytest.param(lambda: np.array(GOOD, dtype=object), id="numpy-object"),
        pytest.param(lambda: np.array([d.encode() for d in GOOD]), id="numpy-bytes"),
        pytest.param(lambda: np.array(GOOD + ["extra", "docs", "here"])[::2], id="numpy-strided"),
        pytest.param(lambda: [np.str_(d) for d in GOOD], id="list-of-np.str_"),
    ],
)
def test_pandas_and_numpy_containers_like_scikit_learn(ours: type, theirs: type, make: Callable[[], Any]) -> None:
    assert_like_scikit_learn(ours, theirs, {}, make, make)
    assert_like_scikit_learn(ours, theirs, {"analyzer": "char_wb"}, make, make)


def test_sample_articles_as_a_series_like_their_list() -> None:
    series = ts.datasets.load_sample_articles(as_frame=True).data
    assert isinstance(series, pd.Series) and list(series.index) != list(range(len(series)))
    from_series = ts.TfidfVectorizer().fit_transform(series)
    from_list = ts.TfidfVectorizer().fit_transform(list(series))
    assert (from_series != from_list).nnz == 0
    assert_like_scikit_learn(ts.TfidfVectorizer, sk.TfidfVectorizer, {"sublinear_tf": True}, lambda: series)


def test_a_two_dimensional_array_is_a_clear_error() -> None:
    docs = np.array([["cyber alliance"], ["quad summit"]])
    assert isinstance(outcome(lambda: sk.CountVectorizer().fit(docs))[0], Exception)
    with pytest.raises(TypeError, match=r"document 0 is ndarray"):
        ts.CountVectorizer().fit(docs)


def test_str_subclasses_are_documents() -> None:
    class Text(str):
        pass

    docs = [Text(d) for d in GOOD]
    assert_like_scikit_learn(ts.TfidfVectorizer, sk.TfidfVectorizer, {}, lambda: docs, lambda: docs)


# ====================================================== out-of-vocabulary


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZERS)
@pytest.mark.parametrize("params", ANALYZERS + [pytest.param({"vocabulary": ["quad", "tokyo"]}, id="fixed-vocabulary")])
def test_out_of_vocabulary_documents_give_zero_rows(ours: type, theirs: type, params: dict[str, Any]) -> None:
    unseen = ["zzzz yyyy", "", "qqqq", "The Quad", "ÿÿÿÿ"]
    _, _, T = assert_like_scikit_learn(ours, theirs, params, lambda: GOOD, lambda: unseen)
    sizes = np.diff(T.indptr)
    if params.get("analyzer", "word") == "word":
        assert list(sizes == 0) == [True, True, True, False, True]
    assert sp.issparse(T) and T.shape[0] == len(unseen)
    assert np.isfinite(T.data).all()


def test_transform_of_only_unseen_words_is_an_all_zero_matrix() -> None:
    vectorizer = ts.TfidfVectorizer().fit(GOOD)
    T = vectorizer.transform(["completely unseen words"] * 4)
    assert T.shape == (4, len(vectorizer.vocabulary_)) and T.nnz == 0
    assert T.dtype == np.float64
