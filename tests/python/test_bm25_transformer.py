"""ts.BM25Transformer: Lucene's BM25 weights of a count matrix, the search index's own code.

Checked by hand on a small matrix, against bm25s (method="lucene", the same formula) and
rank_bm25 (another idf, the same term-frequency part), and against BM25Index's weights.
"""

from __future__ import annotations

import math
import pickle

import bm25s
import numpy as np
import pytest
import rank_bm25
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

import themescope as ts
from themescope.search import BM25Index

# cat dog fish
COUNTS = np.array([[2, 1, 0], [0, 1, 0], [0, 1, 4]], dtype=np.float64)
TOKENS = [["cat", "cat", "dog"], ["dog"], ["dog", "fish", "fish", "fish", "fish"], ["cow", "cat"],
          ["bird", "bird", "fish"], ["cat", "dog", "cow", "cow", "cow", "cow", "cow"]]
VOCABULARY = sorted({t for d in TOKENS for t in d})


def counts_of(tokens: list[list[str]]) -> sp.csr_array:
    rows = [[d.count(t) for t in VOCABULARY] for d in tokens]
    return sp.csr_array(np.array(rows, dtype=np.float64))


def test_hand_worked_weights() -> None:
    # N = 3, lengths 3, 1, 5, avgdl = 3; df: cat 1, dog 3, fish 1.
    idf_1, idf_3 = math.log(1 + 2.5 / 1.5), math.log(1 + 0.5 / 3.5)
    norm = [1.2 * (0.25 + 0.75 * length / 3) for length in (3, 1, 5)]
    expected = np.array([
        [idf_1 * 2 / (2 + norm[0]), idf_3 * 1 / (1 + norm[0]), 0.0],
        [0.0, idf_3 * 1 / (1 + norm[1]), 0.0],
        [0.0, idf_3 * 1 / (1 + norm[2]), idf_1 * 4 / (4 + norm[2])],
    ])
    transformer = ts.BM25Transformer().fit(sp.csr_array(COUNTS))
    np.testing.assert_allclose(transformer.idf_, [idf_1, idf_3, idf_1], rtol=1e-15)
    assert transformer.average_length_ == 3.0 and transformer.n_documents_ == 3
    W = transformer.transform(sp.csr_array(COUNTS))
    assert isinstance(W, sp.csr_array) and W.dtype == np.float64
    np.testing.assert_allclose(W.toarray(), expected, rtol=1e-15)
    # a new document: the fitted idf and avgdl, its own length (2)
    new = transformer.transform(sp.csr_array(np.array([[1.0, 0.0, 1.0]])))
    k = 1.2 * (0.25 + 0.75 * 2 / 3)
    np.testing.assert_allclose(new.toarray(), [[idf_1 / (1 + k), 0.0, idf_1 / (1 + k)]], rtol=1e-15)
    # k1 = 0: a term counts once; b = 0: no length normalisation
    np.testing.assert_allclose(ts.BM25Transformer(k1=0.0).fit_transform(COUNTS).toarray(),
                               (COUNTS > 0) * transformer.idf_, rtol=1e-15)
    flat = ts.BM25Transformer(b=0.0).fit_transform(COUNTS).toarray()
    np.testing.assert_allclose(flat, np.where(COUNTS > 0, transformer.idf_ * COUNTS / (COUNTS + 1.2), 0.0))


def test_the_same_weights_as_the_search_index() -> None:
    counts = counts_of(TOKENS)
    W = ts.BM25Transformer(k1=1.5, b=0.6).fit_transform(counts)
    index = BM25Index(k1=1.5, b=0.6).fit(counts)
    np.testing.assert_array_equal(W.toarray(), index.weights_.toarray())


def test_query_scores_equal_bm25s_lucene() -> None:
    model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    model.index(bm25s.tokenization.Tokenized(
        ids=[[VOCABULARY.index(t) for t in d] for d in TOKENS], vocab={t: i for i, t in enumerate(VOCABULARY)}),
        show_progress=False)
    W = ts.BM25Transformer().fit_transform(counts_of(TOKENS))
    for query in (["cat"], ["dog", "fish"], ["bird", "cow"]):
        q = np.array([query.count(t) for t in VOCABULARY], dtype=np.float64)
        np.testing.assert_allclose(W @ q, model.get_scores(query), rtol=1e-6)  # bm25s scores in float32


def test_term_frequency_part_equals_rank_bm25() -> None:
    # BM25Okapi: idf log((N - df + 0.5) / (df + 0.5)) and a (k1 + 1) factor; per term, its scores are ours
    # times a constant (terms in fewer than half the documents, where Okapi's idf is not 0).
    okapi = rank_bm25.BM25Okapi(TOKENS, k1=1.2, b=0.75)
    W = ts.BM25Transformer().fit_transform(counts_of(TOKENS)).toarray()
    for term in ("cow", "fish", "bird"):
        ours, theirs = W[:, VOCABULARY.index(term)], okapi.get_scores([term])
        assert ((ours > 0) == (theirs > 0)).all()
        ratio = theirs[ours > 0] / ours[ours > 0]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)


def test_norm_makes_unit_rows() -> None:
    W = ts.BM25Transformer(norm="l2").fit_transform(counts_of(TOKENS))
    np.testing.assert_allclose(np.sqrt((W.toarray() ** 2).sum(axis=1)), 1.0)
    raw = ts.BM25Transformer().fit_transform(counts_of(TOKENS)).toarray()
    np.testing.assert_allclose(W.toarray(), raw / np.linalg.norm(raw, axis=1, keepdims=True))


def test_estimator_conventions() -> None:
    transformer = ts.BM25Transformer(k1=2.0)
    assert transformer.get_params() == {"k1": 2.0, "b": 0.75, "norm": None}
    assert clone(transformer).get_params() == transformer.get_params()
    fitted = transformer.fit(COUNTS)
    assert fitted.n_features_in_ == 3
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(COUNTS).toarray(), fitted.transform(COUNTS).toarray())
    texts = ["le chat et le chien", "le chien", "le poisson et le chat", "un oiseau"]
    pipeline = make_pipeline(ts.CountVectorizer(), ts.BM25Transformer())
    expected = ts.BM25Transformer().fit_transform(ts.CountVectorizer().fit_transform(texts))
    np.testing.assert_array_equal(pipeline.fit_transform(texts).toarray(), expected.toarray())


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"k1": -1.0}, ValueError, "k1 must be finite and >= 0, got -1.0"),
        ({"b": 1.5}, ValueError, r"b must be in \[0, 1\], got 1.5"),
        ({"k1": "1"}, TypeError, "k1 must be a number"),
        ({"norm": "max"}, ValueError, "norm must be 'l2', 'l1' or None, got 'max'"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ts.BM25Transformer(**params).fit(COUNTS)


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(NotFittedError):
        ts.BM25Transformer().transform(COUNTS)
    fitted = ts.BM25Transformer().fit(COUNTS)
    with pytest.raises(ValueError, match="X has 2 features, but BM25Transformer was fitted with 3"):
        fitted.transform(np.ones((1, 2)))
    with pytest.raises(ValueError, match="negative|non-finite|count"):
        ts.BM25Transformer().fit(np.array([[1.0, -1.0]]))
