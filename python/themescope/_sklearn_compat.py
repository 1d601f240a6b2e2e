"""The scikit-learn pieces themescope uses beyond its public API, in one place.

themescope's vectorizers subclass scikit-learn's (see README, "Why scikit-learn at
run time"), so they lean on a few private names. Every supported series (1.7, 1.8,
1.9) has each of them with the same meaning; what differs between series is
resolved here, and ``tests/python/test_sklearn_compat.py`` checks, against the
installed scikit-learn, that each piece still does what themescope relies on, so a
new series that changes one fails there, by name, not deep inside a fit.
``make test-sklearn-versions`` runs that test and the parity suites against each
series.

What differs between the supported series:

- ``sklearn.set_config(sparse_interface=...)`` exists from 1.9 on. There, sparse
  results follow it (``csr_matrix`` by default, ``csr_array`` for ``"sparray"``);
  before, they are what the computation made: ``csr_matrix`` from documents and
  dense arrays, the input's own class from a sparse input.
- ``sklearn.base._fit_context`` also opens scikit-learn's callback context from 1.9
  on; its contract (validate the parameters once, skip nested validation) is the
  same in every series.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import scipy.sparse as sp
import sklearn
from sklearn.base import _fit_context
from sklearn.feature_extraction import text as _sk_text
from sklearn.utils.validation import validate_data

__all__ = [
    "MIN_SKLEARN_VERSION",
    "SKLEARN_VERSION",
    "SPARSE_INTERFACES",
    "VECTORIZER_PRIVATE_API",
    "as_configured_sparse",
    "csr_class",
    "fit_context",
    "sparse_interface",
    "validate_data",
]

MIN_SKLEARN_VERSION = (1, 7)

_Method = TypeVar("_Method", bound=Callable[..., Any])


def fit_context(*, prefer_skip_nested_validation: bool) -> Callable[[_Method], _Method]:
    """``sklearn.base._fit_context``, typed: the method it wraps keeps its signature."""
    decorator: Callable[[_Method], _Method] = _fit_context(
        prefer_skip_nested_validation=prefer_skip_nested_validation)
    return decorator


def _major_minor(version: str) -> tuple[int, int]:
    """``"1.9.1"`` → ``(1, 9)``; ``"1.10.dev0"`` → ``(1, 10)``."""
    major, minor = version.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


SKLEARN_VERSION = _major_minor(sklearn.__version__)

if SKLEARN_VERSION < MIN_SKLEARN_VERSION:  # pip enforces it; this is for other installers
    raise ImportError(
        f"themescope needs scikit-learn >= {'.'.join(map(str, MIN_SKLEARN_VERSION))}, "
        f"found {sklearn.__version__}: pip install 'scikit-learn>=1.7'"
    )

# The values sklearn.config_context(sparse_interface=...) accepts; empty before 1.9.
SPARSE_INTERFACES: tuple[str, ...] = (
    ("spmatrix", "sparray") if "sparse_interface" in sklearn.get_config() else ()
)

# Private methods and attributes of scikit-learn's vectorizers that themescope's
# subclasses call or set (text.py); checked, each with its behaviour, by
# tests/python/test_sklearn_compat.py.
VECTORIZER_PRIVATE_API: dict[type, tuple[str, ...]] = {
    _sk_text.CountVectorizer: (
        "_validate_ngram_range",  # ngram_range's (min, max) check and its message
        "_warn_for_unused_params",  # warnings for tokenizer/token_pattern/... left unused
        "_validate_vocabulary",  # a given vocabulary → vocabulary_, fixed_vocabulary_
        "_check_vocabulary",  # NotFittedError / empty vocabulary at transform
    ),
    _sk_text.TfidfVectorizer: (
        "_check_params",  # dtype warning (FLOAT_DTYPES)
        # "_tfidf": the TfidfTransformer whose idf_ the idf_ property reads and sets
    ),
}


def _check_private_api() -> None:
    missing = [
        f"{cls.__name__}.{name}"
        for cls, names in VECTORIZER_PRIVATE_API.items()
        for name in names
        if not callable(getattr(cls, name, None))
    ]
    if missing:
        raise ImportError(
            f"scikit-learn {sklearn.__version__} lacks {', '.join(missing)}, which "
            "themescope's vectorizers build on; supported series: 1.7, 1.8, 1.9"
        )


_check_private_api()


def sparse_interface() -> str | None:
    """scikit-learn's configured sparse output, ``"spmatrix"`` or ``"sparray"``.

    None for a scikit-learn without the option (before 1.9): sparse results are
    then whatever class the computation made.
    """
    if not SPARSE_INTERFACES:
        return None
    return str(sklearn.get_config()["sparse_interface"])


def csr_class() -> type:
    """The CSR class scikit-learn would build a new matrix as, here and now."""
    csr: type = sp.csr_array if sparse_interface() == "sparray" else sp.csr_matrix
    return csr


def as_configured_sparse(X: Any) -> Any:
    """X as scikit-learn would hand it back: following ``sparse_interface`` when
    the installed scikit-learn has it, unchanged otherwise."""
    interface = sparse_interface()
    if interface is None or not sp.issparse(X):
        return X
    if interface == "sparray":
        return X if isinstance(X, sp.sparray) else getattr(sp, X.format + "_array")(X)
    return X if sp.isspmatrix(X) else getattr(sp, X.format + "_matrix")(X)
