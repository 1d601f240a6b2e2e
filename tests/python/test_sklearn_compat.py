"""The scikit-learn pieces themescope uses beyond the public API still do what it relies on.

python/themescope/_sklearn_compat.py names them; this file checks each one's behaviour
against the installed scikit-learn, so that a new series that renames or changes one fails
here, by name. ``make test-sklearn-versions`` runs it against every supported series.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sk
from sklearn.utils._param_validation import InvalidParameterError, StrOptions

import themescope as ts
from themescope import _sklearn_compat as compat

DOCS = ["the Quad summit in Tokyo", "cyber alliances and the Quad", "Tokyo cyber security"]


def load_compat_afresh() -> Any:
    """Execute _sklearn_compat.py again under another name (its import-time checks run anew)."""
    spec = importlib.util.spec_from_file_location("_compat_copy", compat.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "version, expected",
    [("1.7.2", (1, 7)), ("1.9.1", (1, 9)), ("1.10.dev0", (1, 10)), ("1.8.0rc1", (1, 8)), ("2.0", (2, 0))],
)
def test_major_minor(version: str, expected: tuple[int, int]) -> None:
    assert compat._major_minor(version) == expected


def test_installed_series_is_supported() -> None:
    assert compat.SKLEARN_VERSION == compat._major_minor(sklearn.__version__)
    assert compat.SKLEARN_VERSION >= compat.MIN_SKLEARN_VERSION == (1, 7)


def test_older_scikit_learn_is_refused_with_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sklearn, "__version__", "1.6.1")
    with pytest.raises(ImportError, match=r"scikit-learn >= 1\.7, found 1\.6\.1: pip install 'scikit-learn>=1\.7'"):
        load_compat_afresh()


@pytest.mark.parametrize(
    "cls, name", [(cls, name) for cls, names in compat.VECTORIZER_PRIVATE_API.items() for name in names]
)
def test_a_missing_private_piece_is_named_at_import(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> None:
    owner = next(base for base in cls.__mro__ if name in vars(base))  # often a mixin
    monkeypatch.delattr(owner, name)
    with pytest.raises(ImportError, match=rf"lacks {cls.__name__}\.{name}, which themescope"):
        load_compat_afresh()


# ------------------------------------------------ each private piece's contract


def test_validate_vocabulary_sets_the_fixed_vocabulary() -> None:
    fixed = sk.CountVectorizer(vocabulary=["quad", "tokyo"])
    fixed._validate_vocabulary()
    assert fixed.fixed_vocabulary_ is True and fixed.vocabulary_ == {"quad": 0, "tokyo": 1}
    learned = sk.CountVectorizer()
    learned._validate_vocabulary()
    assert learned.fixed_vocabulary_ is False and not hasattr(learned, "vocabulary_")
    with pytest.raises(ValueError, match="Duplicate term in vocabulary"):
        sk.CountVectorizer(vocabulary=["quad", "quad"])._validate_vocabulary()


def test_check_vocabulary_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        sk.CountVectorizer()._check_vocabulary()
    fitted = sk.CountVectorizer().fit(DOCS)
    fitted._check_vocabulary()  # no error once fitted


def test_validate_ngram_range_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"Invalid value for ngram_range=\(2, 1\)"):
        sk.CountVectorizer(ngram_range=(2, 1))._validate_ngram_range()
    sk.CountVectorizer(ngram_range=(1, 2))._validate_ngram_range()


def test_warn_for_unused_params_warns() -> None:
    with pytest.warns(UserWarning, match="The parameter 'token_pattern' will not be used"):
        sk.CountVectorizer(tokenizer=str.split)._warn_for_unused_params()


def test_check_params_warns_for_an_integer_dtype() -> None:
    with pytest.warns(UserWarning, match="Only .* 'dtype' should be used"):
        sk.TfidfVectorizer(dtype=np.int64)._check_params()


def test_idf_is_read_from_and_written_to_the_tfidf_attribute() -> None:
    """scikit-learn's TfidfVectorizer.idf_ property goes through ``_tfidf``, which
    themescope's TfidfVectorizer sets to its own native TfidfTransformer."""
    theirs = sk.TfidfVectorizer().fit(DOCS)
    assert isinstance(theirs._tfidf, sk.TfidfTransformer)
    assert theirs.idf_ is theirs._tfidf.idf_
    ours = ts.TfidfVectorizer().fit(DOCS)
    assert isinstance(ours._tfidf, ts.TfidfTransformer)
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    ours.idf_ = np.ones(len(ours.vocabulary_))
    np.testing.assert_array_equal(ours._tfidf.idf_, 1.0)


class _Probe(BaseEstimator):
    _parameter_constraints: dict[str, list[Any]] = {"mode": [StrOptions({"a", "b"})]}

    def __init__(self, mode: str = "a") -> None:
        self.mode = mode

    @compat.fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any = None) -> _Probe:
        self.nested_validation_skipped_ = sklearn.get_config()["skip_parameter_validation"]
        compat.validate_data(self, X, accept_sparse="csr")
        return self


def test_fit_context_validates_parameters_once_and_skips_nested_validation() -> None:
    with pytest.raises(InvalidParameterError, match="The 'mode' parameter of _Probe must be"):
        _Probe(mode="c").fit(np.ones((2, 2)))
    probe = _Probe().fit(np.ones((2, 3)))
    assert probe.nested_validation_skipped_ is True
    assert sklearn.get_config()["skip_parameter_validation"] is False


def test_validate_data_records_and_checks_the_number_of_features() -> None:
    probe = _Probe().fit(np.ones((2, 3)))
    assert probe.n_features_in_ == 3
    compat.validate_data(probe, np.ones((1, 3)), reset=False)
    with pytest.raises(ValueError, match="X has 2 features, but _Probe is expecting 3 features"):
        compat.validate_data(probe, np.ones((1, 2)), reset=False)


# ------------------------------------------------ sparse output classes


def test_sparse_interfaces_are_the_ones_scikit_learn_accepts() -> None:
    has_option = "sparse_interface" in sklearn.get_config()
    assert compat.SPARSE_INTERFACES == (("spmatrix", "sparray") if has_option else ())
    if compat.SKLEARN_VERSION >= (1, 9):
        assert has_option  # added in 1.9: its absence there would be a change to follow
    for interface in compat.SPARSE_INTERFACES:
        with sklearn.config_context(sparse_interface=interface):
            assert compat.sparse_interface() == interface
    if not compat.SPARSE_INTERFACES:
        assert compat.sparse_interface() is None


def _contexts() -> list[Any]:
    return [None, *compat.SPARSE_INTERFACES]


@pytest.mark.parametrize("interface", _contexts())
@pytest.mark.parametrize("given", ["dense", "csr_matrix", "csr_array"])
def test_classes_are_the_ones_scikit_learns_transformer_returns(interface: str | None, given: str) -> None:
    counts = np.array([[3, 0, 1], [2, 0, 0], [3, 0, 0]], dtype=np.float64)
    X = counts if given == "dense" else getattr(sp, given)(counts)
    context = sklearn.config_context(sparse_interface=interface) if interface else sklearn.config_context()
    with context:
        theirs = sk.TfidfTransformer().fit(X).transform(X)
        ours = ts.TfidfTransformer().fit(X).transform(X)
        made = compat.csr_class()(counts)
        kept = compat.as_configured_sparse(sp.csr_array(counts))
    assert type(ours) is type(theirs)
    if given == "dense":
        assert type(made) is type(theirs)  # what a new matrix is made as
    if given == "csr_array":
        assert type(kept) is type(theirs)  # what an existing one is handed back as
