"""Property-based parity of themescope's vectorizers with scikit-learn's, the oracle.

Hypothesis draws small collections of messy documents (accents, curly apostrophes,
numbers, CJK, emoji, combining marks, special-cased letters, Greek sigma, exotic
whitespace, NUL bytes, and fully random text) and vectorizer settings (native and
fallback paths); themescope must then agree with scikit-learn on everything that can
be observed: the matrices (type, dtype, shape, structure, values), the fitted
attributes, the exceptions (type and message) and the warnings (category, message).

``THEMESCOPE_PARITY_EXAMPLES=<factor>`` multiplies the number of examples (default 1,
sized so that the whole file runs in well under 90 s).
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import text as sk

import themescope as ts
from themescope._sklearn_compat import SPARSE_INTERFACES

SCALE = float(os.environ.get("THEMESCOPE_PARITY_EXAMPLES", "1"))


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


def hypothesis_settings(n: int) -> Any:
    return settings(
        max_examples=examples(n),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ===================================================================== helpers


@dataclass
class Outcome:
    """What one estimator did with one script: results, then maybe an exception."""

    estimator: Any
    results: list[Any] = field(default_factory=list)
    error: BaseException | None = None
    warnings: list[tuple[type[Warning], str]] = field(default_factory=list)


def play(make: Callable[[], Any], script: Callable[[Any, list[Any]], None],
         interface: str | None = None) -> Outcome:
    """Run ``script(estimator, results)``; record results, the exception and warnings.

    ``interface``: scikit-learn's sparse_interface for the run (1.9+), None for the default.
    """
    outcome = Outcome(estimator=None)
    context = sklearn.config_context(sparse_interface=interface) if interface else sklearn.config_context()
    with warnings.catch_warnings(record=True) as caught, context:
        warnings.simplefilter("always")
        try:
            outcome.estimator = make()
            script(outcome.estimator, outcome.results)
        except Exception as error:  # compared with scikit-learn's below
            outcome.error = error
    outcome.warnings = [(w.category, str(w.message)) for w in caught]
    return outcome


def assert_rows_sorted(X: Any) -> None:
    """Column indices strictly increase within every row (checked, not the flag)."""
    starts = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    steps = np.diff(X.indices.astype(np.int64))
    same_row = starts[1:] == starts[:-1]
    assert np.all(steps[same_row] > 0), "column indices are not sorted within rows"


def canonical(X: Any) -> Any:
    """A CSR copy with indices sorted for real (scipy's flag may be stale)."""
    Y = sp.csr_matrix((X.data.copy(), X.indices.copy(), X.indptr.copy()), shape=X.shape)
    Y.has_sorted_indices = False
    Y.sort_indices()
    return Y


def assert_same_matrix(ours: Any, theirs: Any, *, ours_sorted: bool = True) -> None:
    """Same sparse class, format, dtype, shape, index dtypes, structure and values."""
    assert sp.issparse(theirs), type(theirs)
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    assert ours.format == theirs.format == "csr"
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    assert ours.indices.dtype == theirs.indices.dtype, (ours.indices.dtype, theirs.indices.dtype)
    assert ours.indptr.dtype == theirs.indptr.dtype, (ours.indptr.dtype, theirs.indptr.dtype)
    if ours_sorted:
        assert_rows_sorted(ours)
        assert ours.has_sorted_indices
    a, b = canonical(ours), canonical(theirs)
    np.testing.assert_array_equal(a.indptr, b.indptr, err_msg="indptr")
    np.testing.assert_array_equal(a.indices, b.indices, err_msg="indices")
    if ours.dtype == np.float64:
        np.testing.assert_allclose(a.data, b.data, rtol=0, atol=1e-12, err_msg="data")
    elif ours.dtype == np.float32:
        np.testing.assert_allclose(a.data, b.data, rtol=1e-6, atol=0, err_msg="data")
    else:
        np.testing.assert_array_equal(a.data, b.data, err_msg="data")


def assert_same_array(ours: Any, theirs: Any) -> None:
    assert isinstance(ours, np.ndarray) and isinstance(theirs, np.ndarray)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.dtype == np.float32:
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=0)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def assert_same_outcome(ours: Outcome, theirs: Outcome, *, ours_sorted: bool = True) -> None:
    assert ours.warnings == theirs.warnings
    if theirs.error is not None:
        assert ours.error is not None, f"scikit-learn raised {theirs.error!r}, themescope did not"
        assert type(ours.error) is type(theirs.error), (ours.error, theirs.error)
        assert str(ours.error) == str(theirs.error)
    elif ours.error is not None:
        raise AssertionError(f"themescope raised, scikit-learn did not: {ours.error!r}") from ours.error
    assert len(ours.results) == len(theirs.results)
    for mine, reference in zip(ours.results, theirs.results):
        assert_same_matrix(mine, reference, ours_sorted=ours_sorted)
    est, ref = ours.estimator, theirs.estimator
    if hasattr(ref, "vocabulary_"):
        assert hasattr(est, "vocabulary_")
        assert est.vocabulary_ == ref.vocabulary_
        assert est.fixed_vocabulary_ == ref.fixed_vocabulary_
        if theirs.error is None:
            names, ref_names = est.get_feature_names_out(), ref.get_feature_names_out()
            assert names.dtype == ref_names.dtype
            np.testing.assert_array_equal(names, ref_names)
    if theirs.error is None and getattr(ref, "use_idf", False) and hasattr(ref, "_tfidf"):
        assert_same_array(est.idf_, ref.idf_)


def compare(ours_cls: Any, sk_cls: Any, params: dict[str, Any],
            script: Callable[[Any, list[Any]], None], interface: str | None = None) -> None:
    ours = play(lambda: ours_cls(**params), script, interface)
    theirs = play(lambda: sk_cls(**params), script, interface)
    assert_same_outcome(ours, theirs)


CONTAINERS: dict[str, Callable[[list[str]], Any]] = {
    "list": list,
    "tuple": tuple,
    "generator": lambda docs: (d for d in docs),
    "numpy-object": lambda docs: np.array(docs, dtype=object),
    "numpy-str": lambda docs: np.array(docs, dtype=str) if docs else np.array([], dtype=str),
    "pandas": lambda docs: __import__("pandas").Series(docs, dtype=object),
    "utf8-bytes": lambda docs: [d.encode("utf-8") for d in docs],
    "mixed-bytes": lambda docs: [d.encode("utf-8") if i % 2 else d for i, d in enumerate(docs)],
}


def fit_then_transform(docs: Any, other: Any, how: str,
                       container: str = "list") -> Callable[[Any, list[Any]], None]:
    """fit_transform(docs) (or fit then transform), then transform(other); each call gets
    a fresh container (generators are single-use)."""
    wrap = CONTAINERS[container] if isinstance(docs, list) else (lambda d: d)

    def script(estimator: Any, results: list[Any]) -> None:
        if how == "fit_transform":
            results.append(estimator.fit_transform(wrap(docs)))
        else:
            assert estimator.fit(wrap(docs)) is estimator
            results.append(estimator.transform(wrap(docs)))
        results.append(estimator.transform(CONTAINERS[container](other)))

    return script


# ====================================================== documents and settings

ASCII_WORDS = ["the", "and", "of", "a", "I", "x", "cyber", "Cyber", "CYBER", "alliance", "Quad", "summit"]
LATIN1 = ["ÿ", "Ÿ", "µ", "ª", "º", "¹²³", "¼", "×", "Ð", "þ", "\xa0"]  # Latin-1 storage, odd case/NFKD
ACCENTED = ["é", "è", "ô", "ç", "été", "ÉCOLE", "Façade", "naïve", "Åland", "\u212bngström", "o\u0302",
            "e\u0301", "e\u0301te\u0301", "cafe\u0301", "ŒUVRE", "Ångström"]
APOSTROPHES = ["L’OTAN", "l'OTAN", "l’Inde", "d'", "’", "'", "aujourd’hui"]
NUMBERS = ["30.000", "1,000", "²", "½", "x²", "2024", "٣٤", "Ⅳ", "①", "3½", "0", "12"]
UNDERSCORES = ["_", "x_y", "__init__", "snake_case", "_a"]
CJK = ["中文", "東京", "日本語", "한국어", "ｶﾀｶﾅ", "Ａｂｃ", "ﬁne", "ﬀ"]
EMOJI = ["😀", "👍🏽", "🇫🇷", "👩\u200d👩\u200d👧", "❤️"]
CASES = ["İstanbul", "İ", "ß", "ẞ", "STRASSE", "ẞTRASSE", "Straße", "ΟΔΟΣ", "ΣΑΣ", "ΟΔΟΣ ΣΑΣ", "Σ", "ΑΣ.Α",
         "ΑΣ'Β", "ΟΔΟΣ\u0301", "ΑΣ1", "ǅ", "ΐ", "Ω", "K", "ǰ", "ŉ", "ﬃ"]
CONTROL = ["\x00", "a\x00b", "\u200b", "\u00ad", "\ufeff", "\x7f"]
SEPARATORS = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "\u2028",
              " \t ", ", ", ". ", "-", "—", "…", "/"]
PIECES = ASCII_WORDS + LATIN1 + ACCENTED + APOSTROPHES + NUMBERS + UNDERSCORES + CJK + EMOJI + CASES + CONTROL

random_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cn")), max_size=30)
messy_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(SEPARATORS), st.sampled_from(PIECES).map(str.upper)),
    max_size=24,
).map("".join)
mixed_text = st.lists(st.one_of(messy_text, random_text, st.sampled_from(SEPARATORS)), max_size=4).map("".join)
document = st.one_of(messy_text, messy_text, random_text, mixed_text)
documents = st.lists(document, min_size=0, max_size=8)
other_documents = st.lists(document, min_size=0, max_size=4)


# Fallback-path callables, named so that failing examples read well.
def casefold_preprocessor(text: str) -> str:
    return text.casefold()


def whitespace_tokenizer(text: str) -> list[str]:
    return text.split()


def nfc_accents(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def words_and_lengths_analyzer(text: str) -> list[str]:
    words = re.findall(r"\w+", text)
    return words + [f"len={len(w)}" for w in words]


CUSTOM_PATTERN = r"(?u)\b[a-zé]+\b"
TOKEN_PATTERNS = [
    r"(?u)\b\w\w+\b",  # default, native
    r"(?u)\b\w+\b",  # native
    r"\b\w\w+\b",  # same meaning without (?u), native
    CUSTOM_PATTERN,  # fallback
    r"\S+",  # fallback
    r"(?u)\b(\w)\w*\b",  # one capturing group: scikit-learn keeps the group, fallback
    r"(\w)(\w)",  # two groups: scikit-learn raises
    None,
]
STOP_LISTS = [None, "english", ["the", "and", "cyber"], ["été", "L’OTAN", "x", "ΟΔΟΣ"], ["ß", "i̇stanbul", "中文"], []]

vectorizer_params = st.fixed_dictionaries(
    {},
    optional={
        "analyzer": st.sampled_from(["word", "word", "char", "char_wb", words_and_lengths_analyzer]),
        "lowercase": st.booleans(),
        "strip_accents": st.sampled_from([None, "ascii", "unicode", nfc_accents]),
        "preprocessor": st.sampled_from([None, None, None, casefold_preprocessor]),
        "tokenizer": st.sampled_from([None, None, None, whitespace_tokenizer]),
        "ngram_range": st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3), (2, 1)]),
        "stop_words": st.sampled_from(STOP_LISTS),
        "binary": st.booleans(),
        "min_df": st.sampled_from([1, 2, 3, 0.0, 0.1, 0.5, 1.0]),
        "max_df": st.sampled_from([1.0, 0.9, 0.5, 0.0, 1, 2, 3]),
        "max_features": st.sampled_from([None, 1, 2, 5, 50]),
        "token_pattern": st.sampled_from(TOKEN_PATTERNS),
    },
)
COUNT_DTYPES = [np.int64, np.int32, np.int16, np.uint8, np.float64, np.float32, np.bool_]
TFIDF_DTYPES = [np.float64, np.float32, np.int64]  # int64: scikit-learn warns and uses float64
weighting_params = st.fixed_dictionaries(
    {},
    optional={
        "norm": st.sampled_from(["l1", "l2", None]),
        "use_idf": st.booleans(),
        "smooth_idf": st.booleans(),
        "sublinear_tf": st.booleans(),
    },
)
# None: scikit-learn's default; the explicit settings exist from 1.9 on
interfaces = st.sampled_from([None, *SPARSE_INTERFACES] if SPARSE_INTERFACES else [None])
hows = st.sampled_from(["fit_transform", "fit"])
containers = st.sampled_from(["list", "list", "list", *CONTAINERS])


# ================================================================= properties


@hypothesis_settings(3000)
@given(docs=documents, other=other_documents, params=vectorizer_params,
       dtype=st.sampled_from([None, *COUNT_DTYPES]), how=hows, container=containers, interface=interfaces)
def test_count_vectorizer_parity(docs: list[str], other: list[str], params: dict[str, Any], dtype: Any,
                                 how: str, container: str, interface: str | None) -> None:
    if dtype is not None:
        params = {**params, "dtype": dtype}
    compare(ts.CountVectorizer, sk.CountVectorizer, params, fit_then_transform(docs, other, how, container),
            interface)


@hypothesis_settings(2500)
@given(docs=documents, other=other_documents, params=vectorizer_params, weighting=weighting_params,
       dtype=st.sampled_from([None, *TFIDF_DTYPES]), how=hows, container=containers, interface=interfaces)
def test_tfidf_vectorizer_parity(docs: list[str], other: list[str], params: dict[str, Any],
                                 weighting: dict[str, Any], dtype: Any, how: str, container: str,
                                 interface: str | None) -> None:
    params = {**params, **weighting}
    if dtype is not None:
        params["dtype"] = dtype
    compare(ts.TfidfVectorizer, sk.TfidfVectorizer, params, fit_then_transform(docs, other, how, container),
            interface)


@st.composite
def many_documents(draw: st.DrawFn) -> list[str]:
    """Hundreds of documents (a small pool, repeated and shuffled): enough to be split
    between threads."""
    pool = draw(st.lists(document, min_size=1, max_size=12))
    picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=50, max_size=400))
    return [pool[i] for i in picks]


@hypothesis_settings(150)
@given(docs=many_documents(), params=vectorizer_params, weighting=weighting_params,
       n_threads=st.sampled_from([1, 2, 3]))
def test_many_documents_any_thread_count_parity(docs: list[str], params: dict[str, Any],
                                                weighting: dict[str, Any], n_threads: int) -> None:
    before = ts.get_num_threads()
    ts.set_num_threads(n_threads)
    try:
        compare(ts.TfidfVectorizer, sk.TfidfVectorizer, {**params, **weighting},
                fit_then_transform(docs[: len(docs) // 2 + 1], docs[len(docs) // 2:], "fit_transform"))
    finally:
        ts.set_num_threads(before)


VOCABULARY_TERMS = ["the", "cyber", "Cyber", "otan", "été", "ete", "中文", "00", "30", "000", "ß", "ss", "οδος",
                    "σας", "i̇stanbul", "istanbul", "x_y", "e\u0301te\u0301", "te", "e", " c", "cy", "yb", "ber",
                    "the cyber", "a", " ", "\x00", "😀", "ΟΔΟΣ"]


@st.composite
def vocabularies(draw: st.DrawFn) -> tuple[str, list[str], Any]:
    """(kind, terms, spec): the spec is rebuilt per estimator (iterators are single-use)."""
    terms = draw(st.lists(st.one_of(st.sampled_from(VOCABULARY_TERMS), document.filter(bool)),
                          min_size=0, max_size=8))
    kind = draw(st.sampled_from(["list", "list", "tuple", "dict", "set", "iterator",
                                 "dict-gap", "dict-repeat", "duplicates"]))
    seed = draw(st.integers(0, 2**16))
    return kind, terms, seed


def build_vocabulary(kind: str, terms: list[str], seed: int) -> Any:
    unique = list(dict.fromkeys(terms))
    rng = np.random.default_rng(seed)
    if kind == "list":
        return unique
    if kind == "tuple":
        return tuple(unique)
    if kind == "set":
        return set(unique)
    if kind == "iterator":
        return iter(unique)
    if kind == "duplicates":
        return terms + terms[:1]
    positions = rng.permutation(len(unique)).tolist()
    if kind == "dict-gap":
        return {t: 2 * p for t, p in zip(unique, positions)}
    if kind == "dict-repeat":
        return {t: p // 2 for t, p in zip(unique, positions)}
    return dict(zip(unique, positions))


@hypothesis_settings(1200)
@given(docs=documents, other=other_documents, params=vectorizer_params, vocabulary=vocabularies(),
       tfidf=st.booleans(), how=hows)
def test_given_vocabulary_parity(docs: list[str], other: list[str], params: dict[str, Any],
                                 vocabulary: tuple[str, list[str], int], tfidf: bool, how: str) -> None:
    """A fixed vocabulary: min_df, max_df and max_features are ignored; errors for bad ones."""
    pair = (ts.TfidfVectorizer, sk.TfidfVectorizer) if tfidf else (ts.CountVectorizer, sk.CountVectorizer)
    script = fit_then_transform(docs, other, how)
    outcomes = [play(lambda cls=cls: cls(**params, vocabulary=build_vocabulary(*vocabulary)), script)
                for cls in pair]
    assert_same_outcome(*outcomes)


INPUT_FORMS = ["csr", "csr-unsorted", "csr_array", "csc", "coo", "dense", "float32", "float64", "int32",
               "bool", "scaled"]


def as_input(X: Any, form: str) -> Any:
    """The count matrix X as one of the inputs TfidfTransformer accepts (always a new object)."""
    X = sp.csr_matrix(X, copy=True)
    X.has_sorted_indices = False
    X.sort_indices()
    if form == "csr-unsorted":
        # reverse the indices inside every row (scikit-learn's own fit_transform output is unsorted too)
        data, indices = X.data.copy(), X.indices.copy()
        for row in range(X.shape[0]):
            lo, hi = X.indptr[row], X.indptr[row + 1]
            data[lo:hi], indices[lo:hi] = data[lo:hi][::-1], indices[lo:hi][::-1]
        Y = sp.csr_matrix((data, indices, X.indptr.copy()), shape=X.shape)
        Y.has_sorted_indices = False
        return Y
    if form == "csr_array":
        return sp.csr_array(X)
    if form == "csc":
        return X.tocsc()
    if form == "coo":
        return X.tocoo()
    if form == "dense":
        return X.toarray()
    if form in ("float32", "float64", "int32", "bool"):
        return X.astype(form)
    if form == "scaled":  # non-integer term weights
        return X.astype(np.float64) * 0.37
    return X


def same_state(a: Any, b: Any) -> bool:
    """Two inputs hold the same values after a call (for in-place side effects)."""
    if sp.issparse(a):
        a, b = a.toarray(), b.toarray()
    if a.dtype != b.dtype:
        return False
    rtol, atol = (1e-6, 0.0) if a.dtype == np.float32 else (0.0, 1e-12)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


@hypothesis_settings(1200)
@given(docs=documents, other=other_documents,
       count_params=st.fixed_dictionaries({}, optional={"binary": st.booleans(),
                                                          "ngram_range": st.sampled_from([(1, 1), (1, 2)]),
                                                          "analyzer": st.sampled_from(["word", "char_wb"])}),
       weighting=weighting_params, fit_form=st.sampled_from(INPUT_FORMS),
       transform_form=st.sampled_from(INPUT_FORMS), copy=st.sampled_from([None, True, False]), how=hows,
       interface=interfaces)
def test_tfidf_transformer_parity(docs: list[str], other: list[str], count_params: dict[str, Any],
                                  weighting: dict[str, Any], fit_form: str, transform_form: str,
                                  copy: bool | None, how: str, interface: str | None) -> None:
    """TfidfTransformer on CountVectorizer output, in every input form scikit-learn accepts,
    fitted on one form and transforming another; same in-place side effects with copy=False."""
    counter = sk.CountVectorizer(**count_params)
    counts = counter.fit_transform(docs + ["cyber alliance"])  # never an empty vocabulary
    other_counts = counter.transform(other)
    kwargs = {} if copy is None else {"copy": copy}
    inputs: dict[str, list[Any]] = {}

    def script_for(name: str) -> Callable[[Any, list[Any]], None]:
        fit_input, other_input = as_input(counts, fit_form), as_input(other_counts, transform_form)
        inputs[name] = [fit_input, other_input]

        def script(estimator: Any, results: list[Any]) -> None:
            if how == "fit_transform":
                results.append(estimator.fit_transform(fit_input))
            else:
                assert estimator.fit(fit_input) is estimator
                results.append(estimator.transform(fit_input, **kwargs))
            results.append(estimator.transform(other_input, **kwargs))

        return script

    ours = play(lambda: ts.TfidfTransformer(**weighting), script_for("ours"), interface)
    theirs = play(lambda: sk.TfidfTransformer(**weighting), script_for("theirs"), interface)
    assert_same_outcome(ours, theirs, ours_sorted=fit_form != "csr-unsorted" and transform_form != "csr-unsorted")
    for mine, reference in zip(inputs["ours"], inputs["theirs"]):
        assert same_state(mine, reference), "the inputs were not left as scikit-learn leaves them"
    if theirs.error is None and weighting.get("use_idf", True):
        assert_same_array(ours.estimator.idf_, theirs.estimator.idf_)
        assert ours.estimator.n_features_in_ == theirs.estimator.n_features_in_


# ===================================================== deterministic examples
# Cases the strategies above reach only by luck, pinned so that they always run.

ERROR_CASES = [
    ("empty-docs", [], {}),
    ("empty-strings", ["", "   ", "\t\n"], {}),
    ("only-stop-words", ["the and of", "to be or not"], {"stop_words": "english"}),
    ("one-letter-words", ["a b c", "x y z"], {}),
    ("pruned-max-df", ["cyber alliance", "cyber summit"], {"max_df": 0.0}),
    ("pruned-min-df", ["cyber alliance", "quad summit"], {"min_df": 2}),
    ("max-df-below-min-df", ["cyber alliance", "cyber summit", "quad"], {"max_df": 1, "min_df": 2}),
    ("max-df-float-below-min-df", ["cyber alliance", "cyber summit", "quad"], {"max_df": 0.2, "min_df": 0.5}),
    ("bad-ngram-range", ["cyber alliance"], {"ngram_range": (3, 1)}),
    ("two-groups", ["cyber alliance"], {"token_pattern": r"(\w)(\w)"}),
    ("token-pattern-none", ["cyber alliance"], {"token_pattern": None}),
    ("invalid-min-df", ["cyber"], {"min_df": 1.5}),
    ("invalid-max-features", ["cyber"], {"max_features": 0}),
    ("invalid-analyzer", ["cyber"], {"analyzer": "sentence"}),
    ("invalid-stop-words", ["cyber"], {"stop_words": "french"}),
    ("single-string", "cyber alliance", {}),
    ("nan-document", ["cyber", np.nan], {}),
    ("empty-vocabulary-given", ["cyber"], {"vocabulary": []}),
    ("duplicate-vocabulary", ["cyber"], {"vocabulary": ["cyber", "cyber"]}),
    ("vocabulary-gap", ["cyber"], {"vocabulary": {"cyber": 0, "quad": 2}}),
    ("uppercase-vocabulary", ["Cyber cyber"], {"vocabulary": ["Cyber", "cyber"]}),
    ("stop-words-inconsistent", ["l’OTAN et l'Inde"], {"stop_words": ["l’otan", "et"]}),
    ("stop-words-unused-char", ["cyber"], {"analyzer": "char", "stop_words": "english",
                                           "token_pattern": r"\S+"}),
    ("tokenizer-and-pattern", ["cyber alliance"], {"tokenizer": whitespace_tokenizer}),
    ("callable-analyzer-unused", ["cyber alliance"], {"analyzer": words_and_lengths_analyzer,
                                                      "preprocessor": casefold_preprocessor,
                                                      "ngram_range": (1, 2)}),
]


@pytest.mark.parametrize("tfidf", [False, True], ids=["count", "tfidf"])
@pytest.mark.parametrize(("docs", "params"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_errors_and_warnings_like_scikit_learn(docs: Any, params: dict[str, Any], tfidf: bool) -> None:
    pair = (ts.TfidfVectorizer, sk.TfidfVectorizer) if tfidf else (ts.CountVectorizer, sk.CountVectorizer)
    compare(*pair, params, fit_then_transform(docs, ["cyber quad summit"], "fit_transform"))
    compare(*pair, params, fit_then_transform(docs, ["cyber quad summit"], "fit"))


def test_error_cases_do_something_in_scikit_learn() -> None:
    """Guard: every case of the table above makes scikit-learn raise or warn."""
    for name, docs, params in ERROR_CASES:
        outcome = play(lambda params=params: sk.CountVectorizer(**params),
                       fit_then_transform(docs, ["cyber"], "fit_transform"))
        assert outcome.error is not None or outcome.warnings, name


UNICODE_CASES = {
    "greek-final-sigma": "ΟΔΟΣ ΣΑΣ Σ ΑΣ.Α ΑΣ'Β ΟΔΟΣ\u0301 ΑΣ1",
    "dotted-capital-i": "İstanbul İ İİ xİy",
    "sharp-s": "ß ẞ STRASSE ẞTRASSE Straße",
    "combining-only-nfkd": "e\u0301te\u0301 cafe\u0301",  # already NFKD: 'unicode' leaves it alone
    "combining-mixed": "e\u0301te\u0301 été",  # not NFKD as a whole: every mark goes
    "numbers": "30.000 1,000 ² ½ x² 3½ Ⅳ ① ٣٤",
    "apostrophes": "L’OTAN l'OTAN l’Inde aujourd’hui",
    "whitespace": "a\tb  c\u00a0d\u2003e\u3000f\x1cg\x85h\u2028i \t j\n\nk",
    "nul": "aa\x00bb \x00 c\x00",
    "cjk-emoji": "中文 東京 日本語 한국어 ｶﾀｶﾅ Ａｂｃ 😀 👍🏽 🇫🇷 ﬁne",
    "ligatures": "ﬁ ﬀ ﬃ ŉ ǰ ΐ Ω K Å",
}


@pytest.mark.parametrize("analyzer", ["word", "char", "char_wb"])
@pytest.mark.parametrize("strip_accents", [None, "ascii", "unicode"])
@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("text", list(UNICODE_CASES.values()), ids=list(UNICODE_CASES))
def test_unicode_edge_cases(text: str, analyzer: str, strip_accents: Any, lowercase: bool) -> None:
    params = {"analyzer": analyzer, "strip_accents": strip_accents, "lowercase": lowercase,
              "ngram_range": (1, 2) if analyzer == "word" else (1, 3)}
    docs = [text, text.upper(), text.lower(), "plain words"]
    compare(ts.CountVectorizer, sk.CountVectorizer, params, fit_then_transform(docs, [text[::-1]], "fit_transform"))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.float32])
@pytest.mark.parametrize("binary", [False, True])
def test_max_features_with_every_count_dtype(dtype: Any, binary: bool) -> None:
    """max_features ranks terms by the column sums of the matrix *in its dtype* in scikit-learn."""
    docs = ["aa aa aa bb", "bb cc", "cc dd", "dd ee ee ee ee"]
    compare(ts.CountVectorizer, sk.CountVectorizer, {"dtype": dtype, "max_features": 2, "binary": binary},
            fit_then_transform(docs, docs, "fit_transform"))


@pytest.mark.parametrize("dtype", [np.int8, np.uint8])
def test_max_features_with_overflowing_counts(dtype: Any) -> None:
    """Counts that do not fit the dtype wrap in scikit-learn before max_features ranks them."""
    docs = ["aa " * 256 + "bb bb", "bb"]
    compare(ts.CountVectorizer, sk.CountVectorizer, {"dtype": dtype, "max_features": 1},
            fit_then_transform(docs, docs, "fit_transform"))


def lengths_analyzer(text: str) -> list[int]:
    return [len(w) for w in text.split()]


def pairs_analyzer(text: str) -> list[tuple[str, str]]:
    words = text.split()
    return list(zip(words, words[1:]))


@pytest.mark.parametrize("params", [{"analyzer": lengths_analyzer}, {"analyzer": pairs_analyzer},
                                    {"analyzer": lengths_analyzer, "vocabulary": [3, 4, 5], "lowercase": False}],
                         ids=["int-terms", "tuple-terms", "int-vocabulary"])
def test_callable_analyzer_with_non_string_terms(params: dict[str, Any]) -> None:
    """scikit-learn accepts any hashable feature from a callable analyzer."""
    docs = ["cyber alliance quad", "quad summit in tokyo"]
    compare(ts.CountVectorizer, sk.CountVectorizer, params, fit_then_transform(docs, docs[::-1], "fit_transform"))
    compare(ts.TfidfVectorizer, sk.TfidfVectorizer, params, fit_then_transform(docs, docs[::-1], "fit"))


def test_vocabulary_edited_in_place_after_fit() -> None:
    """scikit-learn reads vocabulary_ at every transform: an in-place edit takes effect."""
    docs = ["cyber alliance", "quad summit", "cyber quad"]

    def script(estimator: Any, results: list[Any]) -> None:
        results.append(estimator.fit_transform(docs))
        results.append(estimator.transform(docs))
        vocabulary = estimator.vocabulary_
        vocabulary["cyber"], vocabulary["quad"] = vocabulary["quad"], vocabulary["cyber"]
        results.append(estimator.transform(docs))

    compare(ts.CountVectorizer, sk.CountVectorizer, {}, script)
    compare(ts.TfidfVectorizer, sk.TfidfVectorizer, {}, script)


@pytest.mark.parametrize("weighting", [{"sublinear_tf": True}, {"sublinear_tf": True, "norm": None},
                                       {"sublinear_tf": True, "norm": "l1"}, {}],
                         ids=["sublinear-l2", "sublinear-none", "sublinear-l1", "default"])
@pytest.mark.parametrize("values", [[[1.0, 2.0, 0.0], [0.5, 0.0, 3.0]], [[-1.0, 2.0, 0.0], [0.5, 0.0, 3.0]]],
                         ids=["explicit-zero", "negative"])
def test_transformer_on_explicit_zeros_and_negative_values(values: list[list[float]],
                                                           weighting: dict[str, Any]) -> None:
    """Stored zeros (log 0 = -inf) and negative entries (log < 0 = nan): scikit-learn warns
    and then raises or returns non-finite values; themescope must do the same."""
    X = sp.csr_matrix(np.array(values))
    if values[0][0] == 1.0:
        X.data[0] = 0.0  # an explicitly stored zero

    def script(estimator: Any, results: list[Any]) -> None:
        results.append(estimator.fit_transform(X.copy()))

    ours = play(lambda: ts.TfidfTransformer(**weighting), script)
    theirs = play(lambda: sk.TfidfTransformer(**weighting), script)
    if theirs.error is None and ours.error is None:
        # non-finite values: compare them exactly, nan included
        np.testing.assert_array_equal(ours.results[0].toarray(), theirs.results[0].toarray())
        ours.results, theirs.results = [], []
    assert_same_outcome(ours, theirs)


def test_transformer_shape_mismatch_like_scikit_learn() -> None:
    X = sk.CountVectorizer().fit_transform(["cyber alliance", "quad summit"])

    def script(estimator: Any, results: list[Any]) -> None:
        estimator.fit(X)
        results.append(estimator.transform(X[:, :-1]))

    compare(ts.TfidfTransformer, sk.TfidfTransformer, {}, script)


def test_assert_same_matrix_detects_differences() -> None:
    """The comparison helper itself fails on each kind of difference it must catch."""
    X = sk.TfidfVectorizer().fit_transform(["cyber alliance quad", "quad summit"])
    Y = canonical(X)
    assert_same_matrix(Y, X)
    changed = Y.copy()
    changed.data[0] += 1e-11
    unsorted = as_input(Y, "csr-unsorted")
    for bad in (changed, Y.astype(np.float32), sp.csr_array(Y), Y[:, :-1], unsorted):
        with pytest.raises(AssertionError):
            assert_same_matrix(bad, X)
