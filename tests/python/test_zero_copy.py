"""The matrices the native core builds reach Python without a copy: numpy views of
C++ buffers, kept alive by capsules (not copies made by a converter)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import sklearn

import themescope as ts
from themescope import _core

DOCS = ["L’OTAN et l’Inde", "the Quad summit on cyber security", "cyber alliance, 30.000 euros"]


def assert_capsule_owned(array: np.ndarray) -> None:
    """The memory's owner, past any numpy views scipy made, is a capsule."""
    owner: object = array
    while isinstance(owner, np.ndarray):
        assert not owner.flags.owndata
        owner = owner.base
    assert type(owner).__name__ == "PyCapsule", type(owner)


@pytest.mark.parametrize("interface", ["spmatrix", "sparray"])
@pytest.mark.parametrize("cls", [ts.CountVectorizer, ts.TfidfVectorizer])
def test_fit_transform_buffers_are_capsule_owned(cls: type, interface: str) -> None:
    with sklearn.config_context(sparse_interface=interface):
        X = cls().fit_transform(DOCS)
    for array in (X.data, X.indices, X.indptr):
        assert_capsule_owned(array)


def test_tfidf_values_are_the_native_buffer() -> None:
    """fit_transform's tf-idf values are the native buffer, weighed as it was handed over."""
    vectorizer = ts.TfidfVectorizer()
    X = vectorizer.fit_transform(DOCS)
    assert_capsule_owned(X.data)
    assert X.data.dtype == np.float64
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).ravel(), 1.0, rtol=1e-12)


def test_a_dtype_the_core_does_not_write_is_converted_by_scipy() -> None:
    X = ts.CountVectorizer(dtype=np.int16).fit_transform(DOCS)
    assert X.dtype == np.int16
    assert_capsule_owned(X.indices)


def counter_of(docs: list[str]) -> Any:
    counter = _core.TermCounter(_core.TextAnalyzer(), None)
    counter.add_documents(docs)
    counter.sort_vocabulary()
    return counter


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dtype": "int64"}, "float64 or float32, got int64"),
        ({"dtype": "float64", "idf": np.ones(3)}, "idf must be a float64 array of 13 values"),
        ({"dtype": "float64", "idf": np.ones(13, dtype=np.float32)}, "idf must be a float64 array"),
        ({"dtype": "float32", "idf": np.ones(13)}, "idf must be a float32 array"),
        ({"dtype": "float64", "norm": "l3"}, "norm must be 'l1', 'l2' or None, got 'l3'"),
    ],
)
def test_a_weighted_hand_over_with_bad_arguments_is_a_value_error(kwargs: dict[str, Any], message: str) -> None:
    counter = counter_of(DOCS)
    assert counter.vocabulary_size == 13
    with pytest.raises(ValueError, match=re.escape(message)):
        counter.take_matrix(weigh=True, **kwargs)
    assert counter.n_documents == 3  # nothing was taken


def test_unweighted_hand_over_refuses_weighting_arguments() -> None:
    counter = counter_of(DOCS)
    with pytest.raises(ValueError, match="pass weigh=True"):
        counter.take_matrix("float64", idf=np.ones(13))
    with pytest.raises(ValueError, match="pass weigh=True"):
        counter.take_matrix("float64", norm="l2")
    assert counter.n_documents == 3


def test_an_order_of_ids_outside_the_vocabulary_is_a_value_error() -> None:
    counter = _core.TermCounter(_core.TextAnalyzer(), None)
    counter.add_documents(DOCS)
    order = counter.term_order().astype(np.int64)
    wrapped = order.copy()
    wrapped[0] += 2**32  # the same id once truncated to 32 bits
    with pytest.raises(ValueError, match="is not a term id"):
        counter.sort_vocabulary(wrapped)
    with pytest.raises(ValueError, match="not a permutation"):
        counter.sort_vocabulary(np.zeros_like(order))
    counter.sort_vocabulary(order)
    assert counter.feature_names() == sorted(counter.feature_names())


def test_vocabulary_dict_of_pairs_names_with_their_columns() -> None:
    assert _core.vocabulary_dict_of(["b", "a", "c"], np.array([1, -1, 0])) == {"b": 1, "c": 0}
    assert list(_core.vocabulary_dict_of(["b", "a", "c"], np.array([2, 0, 1]))) == ["b", "a", "c"]
    with pytest.raises(ValueError, match="2 columns for 3 names"):
        _core.vocabulary_dict_of(["b", "a", "c"], np.array([0, 1]))

    class Name(str):
        pass

    with pytest.raises(TypeError, match="name 1 is not a str"):
        _core.vocabulary_dict_of(["b", Name("a")], np.array([0, 1]))
