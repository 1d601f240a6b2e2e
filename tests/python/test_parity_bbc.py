"""Parity with scikit-learn on a real corpus: BBC news (2,225 articles, ../shared/corpora).

Every setting is fitted on one half of the corpus (even positions) and then transforms
the other half (odd positions); both matrices, the vocabulary and the idf must equal
scikit-learn's (values to 1e-12 in float64). The native kernels must also give
bit-identical results whatever the number of threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import text as sk

import themescope as ts

pytestmark = pytest.mark.corpus

CUSTOM_PATTERN = r"(?u)\b[a-zé]+\b"  # not a \w-run pattern: the Python-tokenizing fallback


# ===================================================================== helpers


def assert_same_matrix(ours: Any, theirs: Any) -> None:
    """Same sparse class, dtype, shape, structure (ours sorted for real) and values."""
    assert type(ours) is type(theirs) is sp.csr_matrix, (type(ours), type(theirs))
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    assert ours.indices.dtype == theirs.indices.dtype and ours.indptr.dtype == theirs.indptr.dtype
    rows = np.repeat(np.arange(ours.shape[0]), np.diff(ours.indptr))
    increasing = np.diff(ours.indices.astype(np.int64)) > 0
    assert np.all(increasing | (rows[1:] != rows[:-1])), "themescope's column indices are not sorted"
    assert ours.has_sorted_indices
    # scikit-learn's fit_transform leaves rows unsorted (and its sorted flag stale): sort a copy
    reference = sp.csr_matrix((theirs.data.copy(), theirs.indices.copy(), theirs.indptr.copy()),
                              shape=theirs.shape)
    reference.has_sorted_indices = False
    reference.sort_indices()
    np.testing.assert_array_equal(ours.indptr, reference.indptr, err_msg="indptr")
    np.testing.assert_array_equal(ours.indices, reference.indices, err_msg="indices")
    if ours.dtype == np.float64:
        np.testing.assert_allclose(ours.data, reference.data, rtol=0, atol=1e-12, err_msg="data")
    elif ours.dtype == np.float32:
        np.testing.assert_allclose(ours.data, reference.data, rtol=1e-6, atol=0, err_msg="data")
    else:
        np.testing.assert_array_equal(ours.data, reference.data, err_msg="data")


def assert_same_fit(ours: Any, theirs: Any) -> None:
    assert ours.vocabulary_ == theirs.vocabulary_
    assert ours.fixed_vocabulary_ == theirs.fixed_vocabulary_
    names = ours.get_feature_names_out()
    assert names.dtype == object
    np.testing.assert_array_equal(names, theirs.get_feature_names_out())
    if getattr(theirs, "use_idf", False):
        assert ours.idf_.dtype == theirs.idf_.dtype
        rtol, atol = (1e-6, 0) if theirs.idf_.dtype == np.float32 else (0, 1e-12)
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=rtol, atol=atol)


def fit_half_transform_other(ours: Any, theirs: Any, docs: list[Any]) -> None:
    """Fit on the even-position documents, transform the odd ones; compare everything."""
    first, second = docs[::2], docs[1::2]
    assert_same_matrix(ours.fit_transform(first), theirs.fit_transform(first))
    assert_same_fit(ours, theirs)
    assert_same_matrix(ours.transform(second), theirs.transform(second))


@pytest.fixture
def threads() -> Iterator[None]:
    """Restore the thread count whatever a test sets."""
    before = ts.get_num_threads()
    yield
    ts.set_num_threads(before)


# ============================================================ parity grid

GRID: list[tuple[str, str, dict[str, Any]]] = [
    ("default", "tfidf", {}),
    ("sublinear-english-min2-max0.5", "tfidf",
     {"sublinear_tf": True, "stop_words": "english", "min_df": 2, "max_df": 0.5}),
    ("bigrams-max20000", "tfidf", {"ngram_range": (1, 2), "max_features": 20000}),
    ("char_wb-2-4", "tfidf", {"analyzer": "char_wb", "ngram_range": (2, 4)}),
    ("strip-unicode", "tfidf", {"strip_accents": "unicode"}),
    ("strip-ascii", "tfidf", {"strip_accents": "ascii"}),
    ("binary-count", "count", {"binary": True}),
    ("count-default", "count", {}),
    ("lowercase-false", "tfidf", {"lowercase": False}),
    ("norm-l1", "tfidf", {"norm": "l1"}),
    ("trigrams-min3-max-int", "tfidf", {"ngram_range": (1, 3), "min_df": 3, "max_df": 600}),
    ("single-letter-tokens", "tfidf", {"token_pattern": r"(?u)\b\w+\b", "smooth_idf": False}),
    ("fallback-token-pattern", "tfidf", {"token_pattern": CUSTOM_PATTERN}),
    ("raw-tf-no-norm", "tfidf", {"use_idf": False, "norm": None, "sublinear_tf": True}),
    ("float32", "tfidf", {"dtype": np.float32, "max_features": 5000}),
]
CLASSES = {"tfidf": (ts.TfidfVectorizer, sk.TfidfVectorizer), "count": (ts.CountVectorizer, sk.CountVectorizer)}


@pytest.mark.parametrize(("kind", "params"), [g[1:] for g in GRID], ids=[g[0] for g in GRID])
def test_bbc_grid_matches_scikit_learn(bbc_texts: list[str], kind: str, params: dict[str, Any]) -> None:
    ours_cls, sk_cls = CLASSES[kind]
    fit_half_transform_other(ours_cls(**params), sk_cls(**params), bbc_texts)


def test_bbc_char_1_3_on_a_subset(bbc_texts: list[str]) -> None:
    """analyzer='char' (1, 3): 300 documents, scikit-learn is slow on the whole corpus."""
    params = {"analyzer": "char", "ngram_range": (1, 3)}
    fit_half_transform_other(ts.TfidfVectorizer(**params), sk.TfidfVectorizer(**params), bbc_texts[:300])
    fit_half_transform_other(ts.CountVectorizer(**params), sk.CountVectorizer(**params), bbc_texts[300:600])


@pytest.mark.parametrize("n_threads", [1, 2])
def test_bbc_whole_corpus_default(bbc_texts: list[str], n_threads: int, threads: None) -> None:
    ts.set_num_threads(n_threads)
    ours, theirs = ts.TfidfVectorizer(), sk.TfidfVectorizer()
    assert_same_matrix(ours.fit_transform(bbc_texts), theirs.fit_transform(bbc_texts))
    assert_same_fit(ours, theirs)
    assert ours.transform(bbc_texts).shape == (2225, len(theirs.vocabulary_))


def test_bbc_raw_bytes_with_decode_error_replace(bbc_raw: list[tuple[str, str, bytes]],
                                                 bbc_texts: list[str]) -> None:
    raw = [data for _, _, data in bbc_raw]
    assert any(b"\xa3" in d for d in raw)  # the Latin-1 pound sign of sport/199.txt
    params = {"decode_error": "replace"}
    ours = ts.TfidfVectorizer(**params)
    fit_half_transform_other(ours, sk.TfidfVectorizer(**params), raw)
    # bytes decoded with replacement are the str documents of the bbc_texts fixture
    from_text = ts.TfidfVectorizer().fit(bbc_texts[::2])
    assert from_text.vocabulary_ == ours.vocabulary_
    assert (from_text.transform(bbc_texts[1::2]) != ours.transform(raw[1::2])).nnz == 0


def test_bbc_raw_bytes_strict_and_latin1(bbc_raw: list[tuple[str, str, bytes]]) -> None:
    raw = [data for _, _, data in bbc_raw]
    with pytest.raises(UnicodeDecodeError):
        sk.CountVectorizer().fit(raw)
    with pytest.raises(UnicodeDecodeError):  # message deliberately names the document (README)
        ts.CountVectorizer().fit(raw)
    params = {"encoding": "latin-1", "strip_accents": "unicode"}
    fit_half_transform_other(ts.CountVectorizer(**params), sk.CountVectorizer(**params), raw)


# ============================================================ determinism

THREAD_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("default", "tfidf", {}),
    ("sublinear-bigrams-max-features", "tfidf", {"sublinear_tf": True, "ngram_range": (1, 2),
                                                 "max_features": 30000, "min_df": 2}),
    ("char_wb-2-4", "tfidf", {"analyzer": "char_wb", "ngram_range": (2, 4)}),
    ("fallback-token-pattern", "tfidf", {"token_pattern": CUSTOM_PATTERN, "stop_words": "english"}),
    ("binary-count-float32", "count", {"binary": True, "dtype": np.float32}),
]


@pytest.mark.parametrize(("kind", "params"), [c[1:] for c in THREAD_CASES], ids=[c[0] for c in THREAD_CASES])
def test_bbc_thread_count_gives_bit_identical_results(bbc_texts: list[str], kind: str, params: dict[str, Any],
                                                      threads: None) -> None:
    cls = CLASSES[kind][0]
    runs = []
    for n in (1, 2, 3):
        ts.set_num_threads(n)
        assert ts.get_num_threads() == n
        vectorizer = cls(**params)
        fitted = vectorizer.fit_transform(bbc_texts)
        transformed = vectorizer.transform(bbc_texts[::3])
        runs.append((n, vectorizer, fitted, transformed))
    _, first, X1, T1 = runs[0]
    assert X1.nnz > 0 and T1.nnz > 0
    for n, other, X, T in runs[1:]:
        assert other.vocabulary_ == first.vocabulary_, n
        if kind == "tfidf":
            assert other.idf_.tobytes() == first.idf_.tobytes(), n
        for a, b in ((X1, X), (T1, T)):
            assert a.shape == b.shape and a.dtype == b.dtype
            for name in ("indptr", "indices", "data"):
                assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), (n, name)
