"""The matrices the native core builds reach Python without a copy: numpy views of
C++ buffers, kept alive by capsules (not copies made by a converter)."""

from __future__ import annotations

import gc
import re
import weakref
from typing import Any

import numpy as np
import pytest
import sklearn

import themescope as ts
from themescope._sklearn_compat import SPARSE_INTERFACES
from themescope import _core

DOCS = ["L’OTAN et l’Inde", "the Quad summit on cyber security", "cyber alliance, 30.000 euros"]


def assert_capsule_owned(array: np.ndarray) -> None:
    """The memory's owner, past any numpy views scipy made, is a capsule."""
    owner: object = array
    while isinstance(owner, np.ndarray):
        assert not owner.flags.owndata
        owner = owner.base
    assert type(owner).__name__ == "PyCapsule", type(owner)


@pytest.mark.parametrize("interface", [None, *SPARSE_INTERFACES])
@pytest.mark.parametrize("cls", [ts.CountVectorizer, ts.TfidfVectorizer])
def test_fit_transform_buffers_are_capsule_owned(cls: type, interface: str | None) -> None:
    with sklearn.config_context(sparse_interface=interface) if interface else sklearn.config_context():
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


def test_an_unknown_count_dtype_is_a_value_error_before_anything_is_taken() -> None:
    counter = counter_of(DOCS)
    with pytest.raises(ValueError, match="count dtype must be int64, int32, float64 or float32, got int8"):
        counter.take_matrix("int8")
    assert counter.n_documents == 3


# A matrix taken on a native thread of its own (start_take_matrix), while the
# caller builds vocabulary_ with the GIL: the same bytes as one taken in place.
@pytest.mark.parametrize(
    ("dtype", "binary", "weights"),
    [
        ("int64", False, {}),
        ("int32", True, {}),
        ("float32", False, {}),
        ("float64", False, {"weigh": True, "norm": "l2", "sublinear_tf": True}),
        ("float32", True, {"weigh": True, "norm": "l1"}),
    ],
)
def test_a_matrix_taken_in_the_background_is_the_one_taken_in_place(
    dtype: str, binary: bool, weights: dict[str, Any]
) -> None:
    docs = ts.datasets.load_sample_articles().data
    in_place, background = counter_of(docs), counter_of(docs)
    if weights:
        df = in_place.document_frequencies()
        weights = {**weights, "idf": (np.log((len(docs) + 1) / (df + 1)) + 1).astype(dtype)}
    expected = in_place.take_matrix(dtype, binary, **weights)
    pending = background.start_take_matrix(dtype, binary, **weights)
    names = background.feature_names()  # reading the vocabulary meanwhile is allowed
    got = pending.result()
    assert names == in_place.feature_names()
    assert got[3] == expected[3]
    for got_array, expected_array in zip(got[:3], expected[:3]):
        assert got_array.dtype == expected_array.dtype
        assert got_array.tobytes() == expected_array.tobytes()
        assert_capsule_owned(got_array)
    assert background.n_documents == 0


def test_a_pending_result_is_handed_over_once() -> None:
    pending = counter_of(DOCS).start_take_matrix("float64")
    assert pending.result()[3] == (3, 13)
    with pytest.raises(RuntimeError, match="taken already"):
        pending.result()


def test_a_pending_matrix_keeps_its_counter_alive_and_may_be_dropped_unread() -> None:
    counter = counter_of(DOCS)
    counter_ref = weakref.ref(counter)
    pending = counter.start_take_matrix("int64")
    del counter
    gc.collect()
    assert counter_ref() is not None  # the native thread works on it
    assert pending.result()[3] == (3, 13)
    del pending
    gc.collect()
    assert counter_ref() is None
    counter = counter_of(DOCS)
    dropped = counter.start_take_matrix("float64", weigh=True, norm="l2")
    del dropped  # waits for its thread
    assert counter.n_documents == 0  # the matrix was taken, and freed with it


@pytest.mark.parametrize("threads", [1, 2])
def test_an_error_in_background_work_reaches_the_caller(threads: int) -> None:
    counter = counter_of(DOCS)
    counter.release_terms()  # sorting terms needs them
    previous = ts.get_num_threads()
    ts.set_num_threads(threads)
    try:
        with pytest.raises(RuntimeError, match="the terms were released"):
            counter.sort_terms_with_names()
    finally:
        ts.set_num_threads(previous)


def test_background_work_with_bad_arguments_fails_before_it_starts() -> None:
    counter = counter_of(DOCS)
    with pytest.raises(ValueError, match="idf must be a float64 array of 13 values"):
        counter.start_take_matrix("float64", weigh=True, idf=np.ones(3))
    with pytest.raises(ValueError, match="got int8"):
        counter.start_take_matrix("int8")
    assert counter.n_documents == 3


@pytest.mark.parametrize("threads", [1, 2])
def test_sorting_terms_with_their_names_is_sorting_them(threads: int) -> None:
    docs = ts.datasets.load_sample_articles().data
    sorted_alone = _core.TermCounter(_core.TextAnalyzer(), None)
    sorted_alone.add_documents(docs)
    first_met = sorted_alone.feature_names()
    sorted_alone.sort_vocabulary()
    counter = _core.TermCounter(_core.TextAnalyzer(), None)
    counter.add_documents(docs)
    previous = ts.get_num_threads()
    ts.set_num_threads(threads)  # two: the sorting runs on a native thread of its own
    try:
        names, order, df = counter.sort_terms_with_names()
    finally:
        ts.set_num_threads(previous)
    assert names == first_met  # the order the terms were first met in
    # Python compares str by code point, the order of the columns
    assert order.tolist() == sorted(range(len(names)), key=names.__getitem__)
    assert df.tolist() == sorted_alone.document_frequencies().tolist()
    assert counter.feature_names() == sorted_alone.feature_names() == sorted(names)


def test_vocabulary_dict_of_pairs_names_with_their_columns() -> None:
    assert _core.vocabulary_dict_of(["b", "a", "c"], np.array([1, -1, 0])) == {"b": 1, "c": 0}
    assert list(_core.vocabulary_dict_of(["b", "a", "c"], np.array([2, 0, 1]))) == ["b", "a", "c"]
    with pytest.raises(ValueError, match="2 columns for 3 names"):
        _core.vocabulary_dict_of(["b", "a", "c"], np.array([0, 1]))

    class Name(str):
        pass

    with pytest.raises(TypeError, match="name 1 is not a str"):
        _core.vocabulary_dict_of(["b", Name("a")], np.array([0, 1]))
