"""themescope's vectorizers against scikit-learn's, the oracle: same vocabulary,
same matrices, same errors; plus bad input, threads and the estimator API."""

from __future__ import annotations

import pickle
import resource
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sk
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

import themescope as ts

# ---------------------------------------------------------------- helpers


def run(make: Callable[[], Any], action: Callable[[Any], Any]) -> tuple[Any, Any, Any]:
    """(estimator, result, exception), warnings captured as a list on the side."""
    estimator = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return estimator, action(estimator), [str(w.message) for w in caught]
        except Exception as error:  # compared with scikit-learn's below
            return estimator, error, [str(w.message) for w in caught]


def assert_same_matrix(ours: Any, theirs: Any, dtype: Any = np.float64) -> None:
    assert type(ours) is type(theirs)
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    assert ours.has_sorted_indices  # ours always are; scikit-learn's fit_transform may not be
    theirs = theirs.copy()
    theirs.sort_indices()
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    if np.issubdtype(ours.dtype, np.integer):
        np.testing.assert_array_equal(ours.data, theirs.data)
    else:
        rtol = 1e-6 if ours.dtype == np.float32 else 0
        atol = 1e-6 if ours.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(ours.data, theirs.data, rtol=rtol, atol=atol)


def assert_same_behaviour(ts_cls: Any, sk_cls: Any, params: dict[str, Any], fit_docs: list[Any],
                          transform_docs: list[Any] | None = None) -> None:
    def act(est: Any) -> Any:
        X = est.fit_transform(fit_docs)
        return X if transform_docs is None else est.transform(transform_docs)

    ours, X_ours, warn_ours = run(lambda: ts_cls(**params), act)
    theirs, X_theirs, warn_theirs = run(lambda: sk_cls(**params), act)
    assert warn_ours == warn_theirs
    if isinstance(X_theirs, Exception):
        assert type(X_ours) is type(X_theirs), X_ours
        assert str(X_ours) == str(X_theirs)
        return
    assert not isinstance(X_ours, Exception), X_ours
    assert ours.vocabulary_ == theirs.vocabulary_
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    assert_same_matrix(X_ours, X_theirs)
    if hasattr(theirs, "idf_") and getattr(theirs, "use_idf", False):
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-12 if ours.idf_.dtype == np.float64 else 1e-6)
        assert ours.idf_.dtype == theirs.idf_.dtype


# ------------------------------------------------------- hypothesis parity

MESSY_WORDS = [
    "L’OTAN", "l'OTAN", "30.000", "1,000", "x_y", "²", "½", "Ⅳ", "中文", "😀", "e\u0301te\u0301", "été",
    "İstanbul", "ß", "ẞTRASSE", "ΟΔΟΣ", "ΣΑΣ", "Σ", "Åland", "ﬁne", "Ａｂｃ", "cyber", "Cyber", "the", "and",
    "\x00", "a", "I", "naïve", "Façade",
]
SEPARATORS = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", ", ", ". ", "-", "’"]

messy_text = st.lists(
    st.one_of(st.sampled_from(MESSY_WORDS), st.sampled_from(SEPARATORS)), max_size=30
).map("".join)
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cn")), max_size=40)
documents = st.lists(st.one_of(messy_text, any_text), min_size=1, max_size=8)

ngram_ranges = st.sampled_from([(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)])
vectorizer_params = st.fixed_dictionaries(
    {},
    optional={
        "analyzer": st.sampled_from(["word", "char", "char_wb"]),
        "lowercase": st.booleans(),
        "strip_accents": st.sampled_from([None, "ascii", "unicode"]),
        "ngram_range": ngram_ranges,
        "stop_words": st.sampled_from([None, "english", ["the", "and", "cyber"]]),
        "binary": st.booleans(),
        "min_df": st.sampled_from([1, 2, 0.2, 0.0]),
        "max_df": st.sampled_from([1.0, 0.8, 3, 1]),
        "max_features": st.sampled_from([None, 1, 3, 10]),
        "token_pattern": st.sampled_from([r"(?u)\b\w\w+\b", r"(?u)\b\w+\b", r"(?u)\b[a-zé]+\b"]),
    },
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=documents, params=vectorizer_params, split=st.booleans())
def test_count_vectorizer_matches_scikit_learn(docs: list[str], params: dict[str, Any], split: bool) -> None:
    transform_docs = docs[::-1] + ["unseen words only"] if split else None
    assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, params, docs, transform_docs)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=documents,
    params=vectorizer_params,
    weighting=st.fixed_dictionaries(
        {},
        optional={
            "norm": st.sampled_from(["l1", "l2", None]),
            "use_idf": st.booleans(),
            "smooth_idf": st.booleans(),
            "sublinear_tf": st.booleans(),
            "dtype": st.sampled_from([np.float64, np.float32]),
        },
    ),
)
def test_tfidf_vectorizer_matches_scikit_learn(docs: list[str], params: dict[str, Any],
                                               weighting: dict[str, Any]) -> None:
    assert_same_behaviour(ts.TfidfVectorizer, sk.TfidfVectorizer, {**params, **weighting}, docs, docs[:2])


@settings(max_examples=100, deadline=None)
@given(docs=documents, vocabulary=st.lists(st.sampled_from(["cyber", "the", "otan", "été", "中文", "00"]),
                                           min_size=1, max_size=6, unique=True))
def test_given_vocabulary_matches_scikit_learn(docs: list[str], vocabulary: list[str]) -> None:
    assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, {"vocabulary": vocabulary}, docs, docs)


# --------------------------------------------------------------- BBC parity

BBC_GRID = [
    {},
    {"sublinear_tf": True, "stop_words": "english", "min_df": 2, "max_df": 0.5},
    {"ngram_range": (1, 2), "max_features": 20000},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"strip_accents": "unicode"},
    {"lowercase": False, "norm": "l1"},
    {"binary": True, "use_idf": False},
]


@pytest.mark.corpus
@pytest.mark.parametrize("params", BBC_GRID, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "default")
def test_bbc_fit_on_one_half_transform_the_other(bbc_texts: list[str], params: dict[str, Any]) -> None:
    assert_same_behaviour(ts.TfidfVectorizer, sk.TfidfVectorizer, params, bbc_texts[::2], bbc_texts[1::2])


@pytest.mark.corpus
def test_bbc_raw_bytes_with_replacement(bbc_raw: list[tuple[str, str, bytes]]) -> None:
    raw = [data for _, _, data in bbc_raw]
    assert_same_behaviour(ts.TfidfVectorizer, sk.TfidfVectorizer, {"decode_error": "replace"}, raw)


@pytest.mark.corpus
def test_bbc_char_ngrams_on_a_subset(bbc_texts: list[str]) -> None:
    assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, {"analyzer": "char", "ngram_range": (1, 3)},
                          bbc_texts[:300])


# ----------------------------------------------------------- determinism


@pytest.mark.corpus
@pytest.mark.parametrize("params", [{}, {"sublinear_tf": True, "ngram_range": (1, 2)}, {"analyzer": "char_wb"}])
def test_one_and_two_threads_give_bit_identical_matrices(bbc_texts: list[str], params: dict[str, Any]) -> None:
    before = ts.get_num_threads()
    try:
        results = []
        for n in (1, 2):
            ts.set_num_threads(n)
            vectorizer = ts.TfidfVectorizer(**params)
            results.append((vectorizer.fit_transform(bbc_texts), vectorizer.vocabulary_))
    finally:
        ts.set_num_threads(before)
    (X1, v1), (X2, v2) = results
    assert v1 == v2
    for name in ("indptr", "indices", "data"):
        assert getattr(X1, name).tobytes() == getattr(X2, name).tobytes(), name


def test_thread_setting_is_validated_and_kept() -> None:
    before = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        assert ts.get_num_threads() == 1
        with pytest.raises(ValueError, match="got 0"):
            ts.set_num_threads(0)
        with pytest.raises(TypeError, match="float"):
            ts.set_num_threads(1.5)  # type: ignore[arg-type]
    finally:
        ts.set_num_threads(before)


@pytest.mark.corpus
def test_gil_is_released_while_vectorizing(bbc_texts: list[str]) -> None:
    ticks = 0
    done = threading.Event()

    def count_ticks() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    ticker = threading.Thread(target=count_ticks)
    ticker.start()
    try:
        ts.TfidfVectorizer().fit_transform(bbc_texts * 3)
        ticks_during = ticks
    finally:
        done.set()
        ticker.join()
    # With the GIL held for the whole native call, the ticker would stall at the
    # switch interval's handful of ticks; released, it runs freely meanwhile.
    assert ticks_during > 10_000


# ------------------------------------------------------------ bad input

GOOD = ["cyber alliance", "quad summit"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [(None, "document 1 is NoneType"), (5, "document 1 is int"), (["a", "b"], "document 1 is list")],
)
def test_non_string_documents_are_a_clear_type_error(bad: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        ts.TfidfVectorizer().fit_transform([GOOD[0], bad])


@pytest.mark.parametrize(
    "docs",
    [
        "a single string",
        [GOOD[0], np.nan],
        ["", "  \t "],
        ["the and of", "to be"],
    ],
    ids=["str", "nan", "all-empty", "only-stop-words"],
)
def test_errors_are_scikit_learns(docs: Any) -> None:
    assert_same_behaviour(ts.TfidfVectorizer, sk.TfidfVectorizer, {"stop_words": "english"}, docs)


def test_invalid_utf8_names_document_and_offset() -> None:
    docs = [b"cyber alliance", b"caf\xe9 au lait"]
    with pytest.raises(UnicodeDecodeError, match=r"document 1, byte offset 3"):
        ts.CountVectorizer().fit(docs)
    for policy in ("replace", "ignore"):
        assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, {"decode_error": policy}, docs)
    assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, {"encoding": "latin-1"}, docs)


def test_generators_nul_bytes_surrogates_empty_rows() -> None:
    docs = ["aa\x00bb cc", "", "ab\ud800cd ee", "   "]
    for params in ({}, {"analyzer": "char"}):
        assert_same_behaviour(ts.CountVectorizer, sk.CountVectorizer, params, docs)
    X = ts.CountVectorizer().fit_transform(d for d in docs)
    assert X.shape == (4, 6)  # aa bb cc | ab cd ee: NUL and the surrogate split words
    assert X[1].nnz == 0 and X[3].nnz == 0


def test_hundred_megabyte_document() -> None:
    sentence = "Le président Joe Biden a rencontré 30.000 alliés à Tokyo. "
    repeats = 100_000_000 // len(sentence)
    big = sentence * repeats
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    vectorizer = ts.CountVectorizer()
    X = vectorizer.fit_transform([big, "Tokyo"])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert X.shape == (2, 9)  # le président joe biden rencontré 30 000 alliés tokyo
    assert X[0, vectorizer.vocabulary_["biden"]] == repeats
    assert X[0, vectorizer.vocabulary_["000"]] == repeats  # 30.000 is two tokens
    assert X[1, vectorizer.vocabulary_["tokyo"]] == 1
    assert grown_mb < 600, f"peak memory grew by {grown_mb:.0f} MB for a 100 MB document"


# ------------------------------------------------------ estimator API


def small_labelled_corpus() -> tuple[list[str], list[int]]:
    articles = ts.datasets.load_sample_articles()
    paragraphs, labels = [], []
    for text, ident in zip(articles.data, articles.ids):
        for paragraph in filter(None, (p.strip() for p in text.split("\n"))):
            paragraphs.append(paragraph)
            labels.append(int(ident == "002"))
    return paragraphs, labels


@pytest.mark.parametrize("pair", [(ts.CountVectorizer, sk.CountVectorizer), (ts.TfidfVectorizer, sk.TfidfVectorizer),
                                  (ts.TfidfTransformer, sk.TfidfTransformer)])
def test_same_parameters_clone_and_pickle(pair: tuple[Any, Any]) -> None:
    ours, theirs = pair[0](), pair[1]()
    assert ours.get_params() == theirs.get_params()
    assert isinstance(ours, pair[1])
    assert clone(ours).get_params() == ours.get_params()
    ours.set_params(norm="l1") if "norm" in ours.get_params() else ours.set_params(lowercase=False)
    assert clone(ours).get_params() == ours.get_params()


def test_pickled_vectorizer_transforms_identically() -> None:
    docs, _ = small_labelled_corpus()
    vectorizer = ts.TfidfVectorizer(ngram_range=(1, 2)).fit(docs)
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert_same_matrix(restored.transform(docs), vectorizer.transform(docs))


def test_not_fitted_and_invalid_parameters_like_scikit_learn() -> None:
    for cls, sk_cls in ((ts.CountVectorizer, sk.CountVectorizer), (ts.TfidfVectorizer, sk.TfidfVectorizer)):
        with pytest.raises(NotFittedError) as ours:
            cls().transform(GOOD)
        with pytest.raises(NotFittedError) as theirs:
            sk_cls().transform(GOOD)
        assert str(ours.value) == str(theirs.value)
    for params in ({"max_df": 1.5}, {"min_df": -1}, {"ngram_range": (2, 1)}, {"analyzer": "nope"},
                   {"norm": "l3"}, {"strip_accents": "x"}, {"max_features": 0}):
        assert_same_behaviour(ts.TfidfVectorizer, sk.TfidfVectorizer, params, GOOD)


def test_pipeline_and_grid_search_agree_with_scikit_learn() -> None:
    docs, labels = small_labelled_corpus()
    grid = {"vec__ngram_range": [(1, 1), (1, 2)], "vec__min_df": [1, 2]}
    results = []
    for cls in (ts.TfidfVectorizer, sk.TfidfVectorizer):
        from sklearn.pipeline import Pipeline

        pipeline = Pipeline([("vec", cls()), ("clf", LogisticRegression(max_iter=1000))])
        search = GridSearchCV(pipeline, grid, cv=3).fit(docs, labels)
        results.append((search.best_params_, search.cv_results_["mean_test_score"]))
    assert results[0][0] == results[1][0]
    np.testing.assert_allclose(results[0][1], results[1][1])
    scores = [make_pipeline(cls(), LogisticRegression()).fit(docs, labels).predict_proba(docs)
              for cls in (ts.TfidfVectorizer, sk.TfidfVectorizer)]
    np.testing.assert_allclose(scores[0], scores[1], atol=1e-9)


def test_sparse_interface_follows_scikit_learn_config() -> None:
    import sklearn

    with sklearn.config_context(sparse_interface="sparray"):
        X = ts.TfidfVectorizer().fit_transform(GOOD)
        assert isinstance(X, sp.csr_array)
    assert isinstance(ts.TfidfVectorizer().fit_transform(GOOD), sp.csr_matrix)


def test_output_buffers_are_not_copied() -> None:
    vectorizer = ts.CountVectorizer()
    counter = vectorizer._count(GOOD, fixed_vocab=False)
    counter.sort_vocabulary()
    data, indices, indptr, shape = counter.take_matrix("int64", False)
    X = ts._sparse.csr_from_buffers(data, indices, indptr, shape)
    assert np.shares_memory(X.data, data) and np.shares_memory(X.indices, indices)
    assert np.shares_memory(X.indptr, indptr)
