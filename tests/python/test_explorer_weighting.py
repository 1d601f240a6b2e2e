"""Explorer(weighting="bm25"): article vectors from Lucene's BM25 weights, L2-normalised.

Oracles: a hand-worked three-document case (the numbers of test_bm25_transformer.py), and
ts.BM25Transformer on the explorer's own counts for the default analyzer. The default
(weighting="tfidf") must stay what it was: vectors_ are the L2-normalised tfidf_.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.preprocessing import normalize

import themescope as ts
from themescope._validation import InvalidTypeError, InvalidValueError

# cat dog fish: counts [[2, 1, 0], [0, 1, 0], [0, 1, 4]]; N = 3, lengths 3, 1, 5, avgdl = 3
DOCS = ["cat cat dog", "dog", "dog fish fish fish fish"]
WORDS = {"language": "en", "boilerplate": False, "min_df": 1, "analyzer": "word"}


def bm25(tf: float, df: int, length: float, k1: float = 1.2, b: float = 0.75) -> float:
    """Lucene's BM25 weight, written out: N = 3 documents of average length 3."""
    return math.log(1 + (3 - df + 0.5) / (df + 0.5)) * tf / (tf + k1 * (1 - b + b * length / 3))


def unit(row: list[float]) -> np.ndarray:
    v = np.array(row)
    return v / np.linalg.norm(v)


def test_hand_worked_vectors_and_query() -> None:
    ex = ts.Explorer(weighting="bm25", **WORDS).fit(DOCS)
    assert ex.feature_names_.tolist() == ["cat", "dog", "fish"]
    expected = np.vstack([
        unit([bm25(2, 1, 3), bm25(1, 3, 3), 0.0]),
        unit([0.0, 1.0, 0.0]),
        unit([0.0, bm25(1, 3, 5), bm25(4, 1, 5)]),
    ])
    np.testing.assert_allclose(ex.vectors_.toarray(), expected, rtol=1e-12)
    # a new text: the fitted idf and average length, its own length 2
    np.testing.assert_allclose(ex.transform(["cat dog"]).toarray(),
                               unit([bm25(1, 1, 2), bm25(1, 3, 2), 0.0])[None, :], rtol=1e-12)


def test_k1_and_b_are_used() -> None:
    ex = ts.Explorer(weighting="bm25", bm25_k1=2.0, bm25_b=0.0, **WORDS).fit(DOCS)
    expected = unit([0.0, bm25(1, 3, 5, 2.0, 0.0), bm25(4, 1, 5, 2.0, 0.0)])
    np.testing.assert_allclose(ex.vectors_.toarray()[2], expected, rtol=1e-12)


@pytest.fixture(scope="module")
def articles():
    return ts.datasets.load_sample_articles()


def test_default_analyzer_matches_bm25_transformer(articles) -> None:
    ex = ts.Explorer(weighting="bm25", bm25_k1=1.5, bm25_b=0.6).fit(articles.data, ids=articles.ids)
    oracle = ts.BM25Transformer(k1=1.5, b=0.6, norm="l2").fit_transform(ex.counts_)
    assert abs(ex.vectors_ - oracle).max() < 1e-12
    assert isinstance(ex.bm25_, ts.BM25Transformer)
    # the query side: a fitted article, given again, is its own vector
    assert abs(ex.transform(articles.data[:2]) - ex.vectors_[[0, 1]]).max() < 1e-12
    # themes stay on TF-IDF, the vectors do not
    assert abs(ex.vectors_ - normalize(ex.tfidf_)).max() > 1e-3


def test_tfidf_default_is_unchanged(articles) -> None:
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    assert ex.weighting == "tfidf" and ex.bm25_ is None
    assert abs(ex.vectors_ - sp.csr_array(normalize(ex.tfidf_))).max() < 1e-15


def test_cross_language_joins_the_bm25_block(articles) -> None:
    ex = ts.Explorer(weighting="bm25", cross_language=True).fit(articles.data, ids=articles.ids)
    n_terms = ex.tfidf_.shape[1]
    block = normalize(ts.BM25Transformer().fit_transform(ex.counts_))
    # the term block keeps the BM25 direction (cross_language_vectors weighs each block's unit rows)
    terms = normalize(ex.vectors_[:, :n_terms])
    assert abs(sp.csr_array(terms) - sp.csr_array(block)).max() < 1e-12
    assert abs(ex.transform(articles.data) - ex.vectors_).max() < 1e-12


def test_add_weighs_new_articles_as_fitted(articles) -> None:
    ex = ts.Explorer(weighting="bm25").fit(articles.data[:4], ids=articles.ids[:4])
    before = ex.vectors_.copy()
    ex.add([articles.data[4]], ids=[articles.ids[4]])
    assert abs(ex.vectors_[:4] - before).max() == 0
    assert abs(ex.vectors_[[4]] - ex.transform([articles.data[4]])).max() < 1e-12
    refit = ts.Explorer(weighting="bm25").fit(articles.data[:4], ids=articles.ids[:4])
    refit.add([articles.data[4]], ids=[articles.ids[4]], refit=True)
    oracle = ts.BM25Transformer(norm="l2").fit_transform(refit.counts_)
    assert abs(refit.vectors_ - oracle).max() < 1e-12
    assert refit.bm25_.n_documents_ == 5


@pytest.mark.parametrize(("params", "message"), [
    ({"weighting": "BM25"}, "weighting must be one of ['tfidf', 'bm25'], got 'BM25'"),
    ({"bm25_k1": -1.0}, "bm25_k1 must be finite and >= 0, got -1.0"),
    ({"bm25_b": 1.5}, "bm25_b must be in [0, 1], got 1.5"),
])
def test_bad_values_are_named(params, message) -> None:
    with pytest.raises(InvalidValueError) as info:
        ts.Explorer(**params).fit(DOCS)
    assert message in str(info.value)


def test_bad_type_is_named() -> None:
    with pytest.raises(TypeError, match="bm25_b must be a number, got str 'high'"):
        ts.Explorer(weighting="bm25", bm25_b="high").fit(DOCS)
    with pytest.raises(InvalidTypeError, match=r"weighting must be one of \['tfidf', 'bm25'\], got None"):
        ts.Explorer(weighting=None).fit(DOCS)


def test_estimator_protocol(tmp_path, articles) -> None:
    ex = ts.Explorer(weighting="bm25", bm25_k1=0.9)
    assert ex.get_params()["weighting"] == "bm25" and ex.get_params()["bm25_k1"] == 0.9
    assert clone(ex).get_params() == ex.get_params()
    assert ex.set_params(bm25_b=0.3).bm25_b == 0.3
    assert "weighting='bm25'" in repr(ex)
    ex.fit(articles.data, ids=articles.ids)
    for copy in (pickle.loads(pickle.dumps(ex)), _saved(ex, tmp_path)):
        assert copy.weighting == "bm25" and copy.bm25_b == 0.3
        assert abs(copy.vectors_ - ex.vectors_).max() == 0
        assert abs(copy.transform(articles.data[:1]) - ex.transform(articles.data[:1])).max() == 0


def _saved(ex: ts.Explorer, tmp_path) -> ts.Explorer:
    path = tmp_path / "explorer.ts"
    ex.save(path)
    return ts.Explorer.load(path)


def test_state_saved_before_weighting_loads_as_tfidf(articles) -> None:
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    state = ex.__getstate__()
    for name in ("weighting", "bm25_k1", "bm25_b", "bm25_"):
        state.pop(name)
    old = ts.Explorer.__new__(ts.Explorer)
    old.__setstate__(state)
    assert old.get_params()["weighting"] == "tfidf"
    assert abs(old.transform(articles.data[:1]) - ex.vectors_[[0]]).max() == 0


def test_bit_identical_at_one_and_two_threads(articles) -> None:
    before = ts.get_num_threads()
    try:
        runs = []
        for n in (1, 2):
            ts.set_num_threads(n)
            ex = ts.Explorer(weighting="bm25").fit(articles.data, ids=articles.ids)
            runs.append((ex.vectors_, ex.transform(articles.data[:2]), ex.lsa_))
    finally:
        ts.set_num_threads(before)
    (v1, t1, l1), (v2, t2, l2) = runs
    assert v1.data.tobytes() == v2.data.tobytes() and np.array_equal(v1.indices, v2.indices)
    assert t1.data.tobytes() == t2.data.tobytes() and l1.tobytes() == l2.tobytes()
