"""The matrices the native core builds reach Python without a copy: numpy views of
C++ buffers, kept alive by capsules (not copies made by a converter)."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn

import themescope as ts

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


def test_tfidf_weighs_the_count_buffer_in_place() -> None:
    """fit_transform's tf-idf values are written over the counts, not into a new array."""
    vectorizer = ts.TfidfVectorizer()
    X = vectorizer.fit_transform(DOCS)
    assert_capsule_owned(X.data)
    assert X.data.dtype == np.float64
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).ravel(), 1.0, rtol=1e-12)


def test_a_dtype_the_core_does_not_write_is_converted_by_scipy() -> None:
    X = ts.CountVectorizer(dtype=np.int16).fit_transform(DOCS)
    assert X.dtype == np.int16
    assert_capsule_owned(X.indices)
