"""The search index's fit passes (issue 15): each language's document frequencies counted in
one native pass, postings transposed in row blocks on several threads, and no copy of the
caller's counts that is not needed; each pinned against a numpy/scipy oracle, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import themescope as ts
from themescope import _core
from themescope.search import BM25Index, CollectionSearch


def _random_collection(n_documents: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(120)]
    docs = [" ".join(rng.choice(words, size=int(rng.integers(0, 30)))) for _ in range(n_documents)]
    languages = [str(code) for code in rng.choice(["en", "fr", "de", "und"], size=n_documents, p=[.4, .3, .2, .1])]
    return docs, languages


def _reference_ratio(search: CollectionSearch, languages: tuple[str, ...]) -> np.ndarray | None:
    # The rows of those languages taken out (W[rows]), their stored entries per column counted.
    codes = np.asarray(search.document_language_codes)[search.document_language_index]
    rows = np.flatnonzero(np.isin(codes, languages))
    W = search.index.weights_
    if len(rows) in (0, W.shape[0]):
        return None
    df = np.diff(sp.csc_array(W[rows]).indptr).astype(np.float64)
    return np.log1p((len(rows) - df + 0.5) / (df + 0.5)) / search.index.idf_  # type: ignore[no-any-return]


def test_each_language_sets_idf_ratio_equals_the_rows_taken_out() -> None:
    docs, languages = _random_collection(400, seed=3)
    counter = ts.CountVectorizer()
    search = CollectionSearch(counter, counter.fit_transform(docs), languages)
    made_at_fit = dict(search.__dict__["_idf_ratios"])
    assert set(made_at_fit) == {("en",), ("fr",), ("de",), ("de", "en", "fr")}
    asked = [*made_at_fit, ("en", "fr"), ("de", "fr"), ("de", "en", "fr", "und")]
    search.__dict__.pop("_idf_ratios")  # counted again, one set at a time
    for key in asked:
        expected = _reference_ratio(search, key)
        got = search._stop_word_idf_ratio(key)
        if expected is None:
            assert got is None and key == ("de", "en", "fr", "und")
        else:
            assert got is not None
            np.testing.assert_array_equal(got, expected)
            if key in made_at_fit:
                np.testing.assert_array_equal(made_at_fit[key], expected)


def test_group_document_frequencies_equal_numpy_and_bad_groups_are_named() -> None:
    rng = np.random.default_rng(5)
    X = sp.random_array((50, 17), density=0.3, format="csr", rng=rng)
    X.data[:3] = 0.0  # explicit zeros: no document holds those terms
    groups = rng.integers(0, 4, size=50).astype(np.int32)
    args = (X.data, X.indices.astype(np.int64), X.indptr.astype(np.int64), X.shape)
    got = np.asarray(_core.bm25_group_document_frequencies(*args, groups, 4)).reshape(4, 17)
    dense = X.toarray() != 0
    expected = np.stack([dense[groups == g].sum(axis=0) for g in range(4)])
    np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="document 7 is in group 4, outside"):
        _core.bm25_group_document_frequencies(*args, np.where(np.arange(50) == 7, 4, groups).astype(np.int32), 4)
    with pytest.raises(ValueError, match="groups has 49 entries for 50 documents"):
        _core.bm25_group_document_frequencies(*args, groups[:49], 4)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_postings_are_the_transposed_weights_whatever_the_threads(threads: int) -> None:
    # ~600,000 entries: the rows are split into several blocks (2**18 entries at least each).
    rng = np.random.default_rng(9)
    W = sp.random_array((3000, 400), density=0.5, format="csr", rng=rng,
                        data_sampler=lambda size: rng.random(size) + 0.1)
    W.indices, W.indptr = W.indices.astype(np.int64), W.indptr.astype(np.int64)
    before = ts.get_num_threads()
    ts.set_num_threads(threads)
    try:
        data, indices, indptr, shape = _core.InvertedIndex(W.data, W.indices, W.indptr, W.shape).postings()
    finally:
        ts.set_num_threads(before)
    expected = sp.csc_array(W)
    expected.sort_indices()
    assert tuple(shape) == (400, 3000)
    np.testing.assert_array_equal(np.asarray(indptr), expected.indptr)
    np.testing.assert_array_equal(np.asarray(indices), expected.indices)
    np.testing.assert_array_equal(np.asarray(data), expected.data)


def test_the_index_shares_no_array_with_the_callers_counts() -> None:
    # Canonical float64 counts with int64 index arrays: nothing to convert, yet the weights (which
    # take over the index arrays fit makes) must not be the caller's, nor change with them.
    counts = sp.csr_array(np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 4.0]]))
    counts.indices, counts.indptr = counts.indices.astype(np.int64), counts.indptr.astype(np.int64)
    index = BM25Index().fit(counts)
    weights = index.weights_
    for theirs in (counts.data, counts.indices, counts.indptr):
        for ours in (weights.data, weights.indices, weights.indptr):
            assert not np.shares_memory(theirs, ours)
    kept = weights.toarray().copy()
    counts.data[:] = 7.0
    counts.indices[:] = 0
    np.testing.assert_array_equal(index.weights_.toarray(), kept)
    np.testing.assert_array_equal(kept, BM25Index().fit(np.array([[2, 1, 0], [0, 1, 0], [0, 1, 4]])).weights_.toarray())
