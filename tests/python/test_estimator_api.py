"""themescope's estimators behave as scikit-learn's in the estimator API.

Parameters and defaults (``__init__`` signatures, ``get_params``/``set_params``),
``clone``, pickling, ``Pipeline``/``GridSearchCV``, ``NotFittedError``, parameter
validation, warnings, fitted attributes (``idf_`` and its setter), ``inverse_transform``,
the configured sparse output type, ``input="filename"``/``"file"`` and
``TfidfTransformer`` inputs: each is checked against the installed scikit-learn itself
(1.7, 1.8 or 1.9: ``make test-sklearn-versions``).
"""

from __future__ import annotations

import copy
import inspect
import io
import pickle
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sk
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import check_estimator
from sklearn.utils.validation import check_is_fitted

import themescope as ts
from themescope._sklearn_compat import SPARSE_INTERFACES

REPO_ROOT = Path(__file__).resolve().parents[2]

PAIRS = [
    pytest.param(ts.CountVectorizer, sk.CountVectorizer, id="CountVectorizer"),
    pytest.param(ts.TfidfVectorizer, sk.TfidfVectorizer, id="TfidfVectorizer"),
    pytest.param(ts.TfidfTransformer, sk.TfidfTransformer, id="TfidfTransformer"),
]
VECTORIZER_PAIRS = PAIRS[:2]

DOCS = [
    "The Quad summit in Tokyo: cyber alliances and supply chains.",
    "L’OTAN et l'Inde renforcent leur cybersécurité; 30.000 alliés à Tokyo.",
    "Cyber security, CYBER threats and the Quad.",
    "",
    "Naïve façades: été, ÉTÉ, ete.",
]

# Settings that differ from every default, valid for both vectorizers.
NON_DEFAULT_VECTORIZER_PARAMS: dict[str, Any] = {
    "lowercase": False,
    "strip_accents": "unicode",
    "stop_words": ["the", "and"],
    "ngram_range": (1, 2),
    "max_df": 0.9,
    "min_df": 1,
    "max_features": 50,
    "binary": True,
    "dtype": np.float32,
}
NON_DEFAULT_TFIDF_PARAMS: dict[str, Any] = {"norm": "l1", "use_idf": True, "smooth_idf": False, "sublinear_tf": True}


def non_default_params(sk_cls: type) -> dict[str, Any]:
    if sk_cls is sk.TfidfTransformer:
        return dict(NON_DEFAULT_TFIDF_PARAMS)
    params = dict(NON_DEFAULT_VECTORIZER_PARAMS)
    if sk_cls is sk.TfidfVectorizer:
        params.update(NON_DEFAULT_TFIDF_PARAMS)
    else:
        params["dtype"] = np.int32
    return params


# ============================================================== helpers


def outcome(action: Callable[[], Any]) -> tuple[Any, list[tuple[type, str]]]:
    """(result or raised exception, warnings as (category, message)), all warnings recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = action()
        except Exception as error:  # compared with scikit-learn's outcome by the caller
            result = error
    return result, [(w.category, str(w.message)) for w in caught]


def assert_same_error(ours: BaseException, theirs: BaseException) -> None:
    assert type(ours) is type(theirs), f"themescope raised {type(ours).__name__}: {ours}; scikit-learn {type(theirs).__name__}: {theirs}"
    if isinstance(theirs, UnicodeDecodeError):
        # deliberate (README): the reason also names the document and the byte offset
        assert isinstance(ours, UnicodeDecodeError)
        assert (ours.encoding, ours.object, ours.start, ours.end) == (theirs.encoding, theirs.object, theirs.start, theirs.end)
        assert re.fullmatch(re.escape(str(theirs)) + rf" \(document \d+, byte offset {theirs.start}\)", str(ours)), str(ours)
        return
    assert str(ours) == str(theirs)


def assert_same_matrix(ours: Any, theirs: Any, exact: bool = False) -> None:
    """Same class, dtype, shape, structure and values (scikit-learn's rows sorted first)."""
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    ours = ours.copy()
    ours.sum_duplicates()
    theirs = theirs.copy()
    theirs.sum_duplicates()  # also sorts the indices
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    if exact or not np.issubdtype(ours.dtype, np.floating):
        np.testing.assert_array_equal(ours.data, theirs.data)
    elif ours.dtype == np.float32:
        np.testing.assert_allclose(ours.data, theirs.data, rtol=1e-6, atol=0)
    else:
        np.testing.assert_allclose(ours.data, theirs.data, rtol=0, atol=1e-12)


def assert_bit_identical(a: Any, b: Any) -> None:
    assert type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype
    for name in ("indptr", "indices", "data"):
        assert getattr(a, name).dtype == getattr(b, name).dtype, name
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name


def assert_same_outcome(ours: Callable[[], Any], theirs: Callable[[], Any]) -> tuple[Any, Any]:
    """Run both; same exception (type and message) or same matrix; same warnings."""
    result_ours, warned_ours = outcome(ours)
    result_theirs, warned_theirs = outcome(theirs)
    assert warned_ours == warned_theirs
    if isinstance(result_theirs, Exception) or isinstance(result_ours, Exception):
        assert isinstance(result_ours, Exception), f"scikit-learn raised {result_theirs!r}, themescope did not"
        assert isinstance(result_theirs, Exception), f"themescope raised {result_ours!r}, scikit-learn did not"
        assert_same_error(result_ours, result_theirs)
    elif sp.issparse(result_theirs):
        assert_same_matrix(result_ours, result_theirs)
    return result_ours, result_theirs


def sample_paragraphs(min_chars: int = 40) -> tuple[list[str], list[str]]:
    """The bundled articles cut into paragraphs, labelled by the article they come from."""
    articles = ts.datasets.load_sample_articles()
    paragraphs, labels = [], []
    for text, ident in zip(articles.data, articles.ids):
        for paragraph in text.split("\n"):
            paragraph = paragraph.strip()
            if len(paragraph) >= min_chars:
                paragraphs.append(paragraph)
                labels.append(ident)
    return paragraphs, labels


@pytest.fixture
def paragraphs() -> list[str]:
    return sample_paragraphs()[0]


# ==================================================== parameters and defaults


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_is_a_subclass_of_scikit_learns_class(ours: type, theirs: type) -> None:
    assert issubclass(ours, theirs)
    assert isinstance(ours(), theirs)
    assert ours.__name__ == theirs.__name__
    assert ours.__module__.startswith("themescope")


def test_tfidf_vectorizer_is_an_instance_of_scikit_learns() -> None:
    assert isinstance(ts.TfidfVectorizer(), sk.TfidfVectorizer)
    assert isinstance(ts.TfidfVectorizer(), sk.CountVectorizer)


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_init_signature_is_scikit_learns(ours: type, theirs: type) -> None:
    ours_signature = inspect.signature(ours.__init__)
    theirs_signature = inspect.signature(theirs.__init__)
    assert list(ours_signature.parameters) == list(theirs_signature.parameters)
    for name, parameter in theirs_signature.parameters.items():
        mine = ours_signature.parameters[name]
        assert mine.kind == parameter.kind, name
        assert mine.default == parameter.default, name
    assert ours._get_param_names() == theirs._get_param_names()


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_get_params_defaults_are_scikit_learns(ours: type, theirs: type) -> None:
    ours_params, theirs_params = ours().get_params(deep=True), theirs().get_params(deep=True)
    assert ours_params == theirs_params
    assert list(ours_params) == list(theirs_params)


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_set_params_round_trip_like_scikit_learn(ours: type, theirs: type) -> None:
    params = non_default_params(theirs)
    mine, reference = ours(), theirs()
    assert mine.set_params(**params) is mine
    reference.set_params(**params)
    assert mine.get_params() == reference.get_params()
    for name, value in params.items():
        assert mine.get_params()[name] == value, name
    assert repr(mine) == repr(reference)
    assert ours(**params).get_params() == mine.get_params()
    # an unknown parameter: scikit-learn's ValueError and message
    with pytest.raises(ValueError) as ours_error:
        mine.set_params(not_a_parameter=1)
    with pytest.raises(ValueError) as theirs_error:
        reference.set_params(not_a_parameter=1)
    assert str(ours_error.value) == str(theirs_error.value)


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_tags_are_scikit_learns(ours: type, theirs: type) -> None:
    assert ours().__sklearn_tags__() == theirs().__sklearn_tags__()


# ================================================================= clone


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_clone_keeps_class_and_parameters(ours: type, theirs: type) -> None:
    params = non_default_params(theirs)
    original = ours(**params)
    cloned = clone(original)
    assert type(cloned) is ours
    assert cloned is not original
    assert cloned.get_params() == original.get_params()
    if "stop_words" in params:  # a list parameter is copied, as scikit-learn does
        assert cloned.stop_words == original.stop_words
        assert cloned.stop_words is not original.stop_words


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
def test_clone_of_a_fitted_vectorizer_is_unfitted_and_refits_identically(ours: type, theirs: type,
                                                                         paragraphs: list[str]) -> None:
    fitted = ours(ngram_range=(1, 2), min_df=2).fit(paragraphs)
    cloned = clone(fitted)
    assert not hasattr(cloned, "vocabulary_")
    with pytest.raises(NotFittedError):
        cloned.transform(paragraphs)
    assert_bit_identical(cloned.fit_transform(paragraphs), fitted.transform(paragraphs))
    assert cloned.vocabulary_ == fitted.vocabulary_


def test_clone_of_a_fitted_transformer_is_unfitted() -> None:
    counts = ts.CountVectorizer().fit_transform(DOCS)
    cloned = clone(ts.TfidfTransformer(sublinear_tf=True).fit(counts))
    assert type(cloned) is ts.TfidfTransformer
    with pytest.raises(NotFittedError):
        check_is_fitted(cloned)
    assert cloned.sublinear_tf is True


# ================================================================ pickle

PICKLE_CASES = [
    pytest.param(ts.CountVectorizer, {}, id="count-default"),
    pytest.param(ts.CountVectorizer, {"ngram_range": (1, 2), "max_features": 300, "binary": True}, id="count-bigrams"),
    pytest.param(ts.TfidfVectorizer, {}, id="tfidf-default"),
    pytest.param(ts.TfidfVectorizer, {"sublinear_tf": True, "stop_words": "english", "min_df": 2}, id="tfidf-sublinear"),
    pytest.param(ts.TfidfVectorizer, {"analyzer": "char_wb", "ngram_range": (2, 4), "dtype": np.float32}, id="tfidf-char_wb-f32"),
    pytest.param(ts.TfidfVectorizer, {"vocabulary": ["quad", "tokyo", "otan", "cyber"]}, id="tfidf-fixed-vocabulary"),
    pytest.param(ts.TfidfVectorizer, {"token_pattern": r"(?u)\b[a-zé]+\b"}, id="tfidf-python-tokenizer"),
]


@pytest.mark.parametrize(("cls", "params"), PICKLE_CASES)
@pytest.mark.parametrize("protocol", sorted({2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL}))
def test_pickled_fitted_vectorizer_transforms_identically(cls: type, params: dict[str, Any], protocol: int,
                                                          paragraphs: list[str]) -> None:
    fitted = cls(**params).fit(paragraphs)
    before = fitted.transform(paragraphs)  # transform first: any cache it builds must still pickle
    restored = pickle.loads(pickle.dumps(fitted, protocol=protocol))
    assert type(restored) is cls
    assert restored.get_params().keys() == fitted.get_params().keys()
    assert restored.vocabulary_ == fitted.vocabulary_
    np.testing.assert_array_equal(restored.get_feature_names_out(), fitted.get_feature_names_out())
    if hasattr(fitted, "idf_"):
        assert restored.idf_.dtype == fitted.idf_.dtype
        assert restored.idf_.tobytes() == fitted.idf_.tobytes()
    assert_bit_identical(restored.transform(paragraphs), before)
    assert_bit_identical(restored.transform(DOCS), fitted.transform(DOCS))
    # the original is unaffected by having been pickled
    assert_bit_identical(fitted.transform(paragraphs), before)


def test_deepcopy_of_a_fitted_vectorizer_transforms_identically(paragraphs: list[str]) -> None:
    fitted = ts.TfidfVectorizer(ngram_range=(1, 2)).fit(paragraphs)
    fitted.transform(DOCS)
    copied = copy.deepcopy(fitted)
    assert_bit_identical(copied.transform(paragraphs), fitted.transform(paragraphs))


def test_pickled_unfitted_vectorizer_fits_like_a_new_one(paragraphs: list[str]) -> None:
    restored = pickle.loads(pickle.dumps(ts.TfidfVectorizer(min_df=2)))
    assert_bit_identical(restored.fit_transform(paragraphs), ts.TfidfVectorizer(min_df=2).fit_transform(paragraphs))


def test_pickled_fitted_transformer_transforms_identically() -> None:
    counts = ts.CountVectorizer().fit_transform(sample_paragraphs()[0])
    fitted = ts.TfidfTransformer(sublinear_tf=True, norm="l1").fit(counts)
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.idf_.tobytes() == fitted.idf_.tobytes()
    assert_bit_identical(restored.transform(counts), fitted.transform(counts))


def test_pickle_loads_in_a_fresh_interpreter(tmp_path: Path, paragraphs: list[str]) -> None:
    fitted = ts.TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(paragraphs)
    expected = fitted.transform(paragraphs)
    (tmp_path / "vectorizer.pkl").write_bytes(pickle.dumps(fitted))
    (tmp_path / "docs.pkl").write_bytes(pickle.dumps(paragraphs))
    script = (
        "import pickle, sys, numpy as np\n"
        "folder = sys.argv[1]\n"
        "vectorizer = pickle.load(open(folder + '/vectorizer.pkl', 'rb'))\n"
        "docs = pickle.load(open(folder + '/docs.pkl', 'rb'))\n"
        "X = vectorizer.transform(docs)\n"
        "assert type(vectorizer).__module__.startswith('themescope'), type(vectorizer)\n"
        "np.savez(folder + '/out.npz', data=X.data, indices=X.indices, indptr=X.indptr)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=120)
    with np.load(tmp_path / "out.npz") as out:
        for name in ("data", "indices", "indptr"):
            assert out[name].dtype == getattr(expected, name).dtype, name
            assert out[name].tobytes() == getattr(expected, name).tobytes(), name


# ===================================================== Pipeline and GridSearchCV


def grid_search(vectorizer: Any, docs: list[str], labels: list[str], n_jobs: int,
                sublinear: tuple[bool, ...] = (False, True)) -> GridSearchCV:
    pipeline = Pipeline([("vec", vectorizer), ("clf", LogisticRegression(max_iter=2000))])
    grid = {"vec__ngram_range": [(1, 1), (1, 2)], "vec__min_df": [1, 2], "vec__sublinear_tf": list(sublinear)}
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    return GridSearchCV(pipeline, grid, cv=cv, n_jobs=n_jobs, error_score="raise").fit(docs, labels)


def assert_same_search(ours: GridSearchCV, theirs: GridSearchCV) -> None:
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, abs=1e-12)
    for key in theirs.cv_results_:
        if key.startswith(("split", "mean_test", "std_test", "rank_test")):
            np.testing.assert_allclose(ours.cv_results_[key], theirs.cv_results_[key], atol=1e-12, err_msg=key)
    assert type(ours.best_estimator_.named_steps["vec"]) is ts.TfidfVectorizer


@pytest.mark.parametrize("n_jobs", [1, 2], ids=["n_jobs=1", "n_jobs=2"])
def test_grid_search_over_sample_paragraphs_matches_scikit_learn(n_jobs: int) -> None:
    docs, labels = sample_paragraphs()
    assert len(docs) >= 60 and len(set(labels)) == 5
    ours = grid_search(ts.TfidfVectorizer(), docs, labels, n_jobs)
    theirs = grid_search(sk.TfidfVectorizer(), docs, labels, n_jobs)
    assert_same_search(ours, theirs)
    assert ours.best_score_ > 0.5  # the task is learnable: scores are not all chance
    np.testing.assert_allclose(ours.predict_proba(docs), theirs.predict_proba(docs), atol=1e-9)
    assert list(ours.predict(DOCS)) == list(theirs.predict(DOCS))


@pytest.mark.corpus
def test_grid_search_over_bbc_matches_scikit_learn(bbc_raw: list[tuple[str, str, bytes]], bbc_texts: list[str]) -> None:
    # 12 articles of each of the 5 topics: 60 labelled documents
    picked: dict[str, list[int]] = {}
    for index, (label, _, _) in enumerate(bbc_raw):
        if len(picked.setdefault(label, [])) < 12:
            picked[label].append(index)
    indices = sorted(i for chosen in picked.values() for i in chosen)
    docs = [bbc_texts[i] for i in indices]
    labels = [bbc_raw[i][0] for i in indices]
    assert len(docs) == 60
    ours = grid_search(ts.TfidfVectorizer(), docs, labels, 1, sublinear=(True,))
    theirs = grid_search(sk.TfidfVectorizer(), docs, labels, 1, sublinear=(True,))
    assert_same_search(ours, theirs)
    held_out = bbc_texts[1::40]
    np.testing.assert_allclose(ours.predict_proba(held_out), theirs.predict_proba(held_out), atol=1e-9)


def test_pipeline_predictions_match_scikit_learn() -> None:
    docs, labels = sample_paragraphs()
    pipelines = [
        Pipeline([("vec", cls(sublinear_tf=True, ngram_range=(1, 2))), ("clf", LogisticRegression(max_iter=2000))])
        for cls in (ts.TfidfVectorizer, sk.TfidfVectorizer)
    ]
    ours, theirs = (p.fit(docs[::2], labels[::2]) for p in pipelines)
    np.testing.assert_allclose(ours.predict_proba(docs[1::2]), theirs.predict_proba(docs[1::2]), atol=1e-9)
    np.testing.assert_array_equal(ours[:-1].get_feature_names_out(), theirs[:-1].get_feature_names_out())
    np.testing.assert_allclose(ours[-1].coef_, theirs[-1].coef_, atol=1e-9)


def test_count_then_tfidf_transformer_pipeline_matches_scikit_learn() -> None:
    docs, labels = sample_paragraphs()
    made = []
    for module in (ts, sk):
        pipeline = Pipeline([("count", module.CountVectorizer(min_df=2)), ("tfidf", module.TfidfTransformer()),
                             ("clf", LogisticRegression(max_iter=2000))])
        made.append(pipeline.fit(docs, labels))
    ours, theirs = made
    assert_same_matrix(ours[:-1].transform(docs), theirs[:-1].transform(docs))
    np.testing.assert_allclose(ours.predict_proba(DOCS), theirs.predict_proba(DOCS), atol=1e-9)


@pytest.mark.corpus
def test_grid_search_in_worker_processes_over_a_float_count_matrix(bbc_raw: list[tuple[str, str, bytes]],
                                                                   bbc_texts: list[str]) -> None:
    """joblib hands each worker a read-only memory map of the (float) count matrix."""
    labels = [label for label, _, _ in bbc_raw]
    counts = sk.CountVectorizer(dtype=np.float64, min_df=2).fit_transform(bbc_texts)
    assert counts.data.nbytes > 1_000_000  # above joblib's memmapping threshold
    searches = []
    for module in (ts, sk):
        pipeline = Pipeline([("tfidf", module.TfidfTransformer()), ("clf", LogisticRegression(max_iter=300))])
        search = GridSearchCV(pipeline, {"tfidf__sublinear_tf": [False, True]}, cv=2, n_jobs=2, error_score="raise")
        searches.append(search.fit(counts, labels))
    ours, theirs = searches
    assert ours.best_params_ == theirs.best_params_
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"], atol=1e-12)


# =============================================================== not fitted


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("method", ["transform", "get_feature_names_out", "inverse_transform"])
def test_not_fitted_vectorizer_raises_scikit_learns_error(ours: type, theirs: type, method: str) -> None:
    def call(cls: type) -> Callable[[], Any]:
        argument = {"transform": (DOCS,), "get_feature_names_out": (), "inverse_transform": (np.ones((1, 3)),)}[method]
        return lambda: getattr(cls(), method)(*argument)

    with pytest.raises(NotFittedError) as ours_error:
        call(ours)()
    with pytest.raises(NotFittedError) as theirs_error:
        call(theirs)()
    assert str(ours_error.value) == str(theirs_error.value)


def test_not_fitted_idf_raises_scikit_learns_error() -> None:
    with pytest.raises(NotFittedError) as ours_error:
        ts.TfidfVectorizer().idf_
    with pytest.raises(NotFittedError) as theirs_error:
        sk.TfidfVectorizer().idf_
    assert str(ours_error.value) == str(theirs_error.value)


@pytest.mark.parametrize("method", ["transform", "get_feature_names_out"])
def test_not_fitted_transformer_raises_scikit_learns_error(method: str) -> None:
    counts = sp.csr_matrix(np.array([[1, 0, 2], [0, 1, 1]]))
    args = (counts,) if method == "transform" else ()
    with pytest.raises(NotFittedError) as ours_error:
        getattr(ts.TfidfTransformer(), method)(*args)
    with pytest.raises(NotFittedError) as theirs_error:
        getattr(sk.TfidfTransformer(), method)(*args)
    assert str(ours_error.value) == str(theirs_error.value)


def test_fixed_vocabulary_count_vectorizer_transforms_without_fit_like_scikit_learn() -> None:
    assert_same_outcome(lambda: ts.CountVectorizer(vocabulary=["quad", "tokyo"]).transform(DOCS),
                        lambda: sk.CountVectorizer(vocabulary=["quad", "tokyo"]).transform(DOCS))
    assert_same_outcome(lambda: ts.CountVectorizer(vocabulary=["quad"]).get_feature_names_out(),
                        lambda: sk.CountVectorizer(vocabulary=["quad"]).get_feature_names_out())


# ========================================================= invalid parameters

INVALID_PARAMS = [
    {"max_df": 1.5},
    {"min_df": -1},
    {"min_df": 1.5},
    {"ngram_range": (2, 1)},
    {"ngram_range": [1, 2]},
    {"ngram_range": (1, 2, 3)},
    {"analyzer": "nope"},
    {"analyzer": 5},
    {"strip_accents": "x"},
    {"max_features": 0},
    {"max_features": -1},
    {"max_features": 2.5},
    {"input": "nope"},
    {"decode_error": "nope"},
    {"binary": "yes"},
    {"lowercase": "no"},
    {"stop_words": "french"},
    {"token_pattern": 5},
    {"token_pattern": "("},
    {"token_pattern": r"(a)(b)"},
    {"preprocessor": 5},
    {"tokenizer": 5},
    {"vocabulary": ["a", "a"]},
    {"vocabulary": []},
    {"vocabulary": {"a": 0, "b": 2}},
    {"vocabulary": {"a": 0, "b": 0}},
    {"max_df": 0.0},
    {"max_df": 1, "min_df": 2},
    {"min_df": 10},
    {"max_df": 0.1},
    {"dtype": np.float16},
    {"dtype": object},
]
INVALID_TFIDF_PARAMS = [{"norm": "l3"}, {"use_idf": "yes"}, {"smooth_idf": None}, {"sublinear_tf": 1}]


def param_id(params: dict[str, Any]) -> str:
    return ",".join(f"{k}={v!r}" for k, v in params.items())


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("params", INVALID_PARAMS, ids=param_id)
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_invalid_parameters_raise_scikit_learns_error(ours: type, theirs: type, params: dict[str, Any],
                                                      method: str) -> None:
    result, _ = assert_same_outcome(lambda: getattr(ours(**params), method)(DOCS),
                                    lambda: getattr(theirs(**params), method)(DOCS))
    assert isinstance(result, Exception), "every case here is an error for scikit-learn"


@pytest.mark.parametrize("params", INVALID_TFIDF_PARAMS, ids=param_id)
@pytest.mark.parametrize("cls_name", ["TfidfVectorizer", "TfidfTransformer"])
def test_invalid_weighting_parameters_raise_scikit_learns_error(params: dict[str, Any], cls_name: str) -> None:
    fit_input: Any = DOCS if cls_name == "TfidfVectorizer" else np.array([[1, 0, 2], [0, 1, 1]])
    result, _ = assert_same_outcome(lambda: getattr(ts, cls_name)(**params).fit_transform(fit_input),
                                    lambda: getattr(sk, cls_name)(**params).fit_transform(fit_input))
    assert isinstance(result, Exception)


def test_max_features_zero_is_rejected_as_scikit_learn_rejects_it() -> None:
    # scikit-learn 1.9: max_features must be an int >= 1 (or None)
    for cls in (sk.TfidfVectorizer, ts.TfidfVectorizer, sk.CountVectorizer, ts.CountVectorizer):
        with pytest.raises(InvalidParameterError, match="'max_features' parameter .* Got 0 instead"):
            cls(max_features=0).fit(DOCS)


# Degenerate values scikit-learn accepts without error: same outcome, whatever it is.
DEGENERATE_PARAMS = [
    {"ngram_range": (0, 1)},
    {"ngram_range": (1.0, 2)},
    {"analyzer": "char", "ngram_range": (0, 2)},
    {"max_df": 1, "min_df": 1},
    {"vocabulary": "abc"},
    {"dtype": "int64"},
    {"encoding": "no-such-codec"},  # str documents are never decoded
    {"max_features": 1, "vocabulary": ["tokyo"]},
]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("params", DEGENERATE_PARAMS, ids=param_id)
def test_degenerate_parameters_behave_as_in_scikit_learn(ours: type, theirs: type, params: dict[str, Any]) -> None:
    assert_same_outcome(lambda: ours(**params).fit_transform(DOCS), lambda: theirs(**params).fit_transform(DOCS))


# ================================================================= warnings

WARNING_CASES = [
    pytest.param({"tokenizer": str.split}, id="token_pattern-unused-with-tokenizer"),
    pytest.param({"stop_words": ["we've", "it's"]}, id="stop-words-inconsistent"),
    pytest.param({"stop_words": ["l'otan"], "token_pattern": r"(?u)\b\w+\b"}, id="stop-words-inconsistent-1char"),
    pytest.param({"analyzer": "char", "stop_words": "english"}, id="stop_words-unused-char"),
    pytest.param({"analyzer": "char_wb", "token_pattern": r"\w+"}, id="token_pattern-unused-char_wb"),
    pytest.param({"analyzer": "char", "tokenizer": str.split}, id="tokenizer-unused-char"),
    pytest.param({"analyzer": str.split, "preprocessor": str.lower, "ngram_range": (1, 2)}, id="callable-analyzer"),
    pytest.param({"vocabulary": ["Quad", "tokyo"]}, id="upper-case-vocabulary"),
    pytest.param({"stop_words": "english", "tokenizer": lambda s: s.split()}, id="stop-words-custom-tokenizer"),
]


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("params", WARNING_CASES)
@pytest.mark.parametrize("method", ["fit_transform", "fit+transform"])
def test_warnings_are_scikit_learns(ours: type, theirs: type, params: dict[str, Any], method: str) -> None:
    def act(cls: type) -> Callable[[], Any]:
        def run() -> Any:
            estimator = cls(**params)
            if method == "fit_transform":
                return estimator.fit_transform(DOCS)
            estimator.fit(DOCS)
            return estimator.transform(DOCS[::-1])

        return run

    _, warned = outcome(act(theirs))
    assert warned, "each case warns in scikit-learn"
    assert_same_outcome(act(ours), act(theirs))


def test_tfidf_vectorizer_integer_dtype_warning_is_scikit_learns() -> None:
    _, warned = outcome(lambda: sk.TfidfVectorizer(dtype=np.int32).fit(DOCS))
    assert warned
    assert_same_outcome(lambda: ts.TfidfVectorizer(dtype=np.int32).fit_transform(DOCS),
                        lambda: sk.TfidfVectorizer(dtype=np.int32).fit_transform(DOCS))


def test_unsmoothed_idf_of_an_unseen_vocabulary_term_warns_like_scikit_learn() -> None:
    """A fixed vocabulary term in no document: scikit-learn divides by a zero df."""
    params = {"vocabulary": ["zzz", "tokyo", "quad"], "smooth_idf": False}
    ours, theirs = ts.TfidfVectorizer(**params), sk.TfidfVectorizer(**params)
    assert_same_outcome(lambda: ours.fit_transform(DOCS), lambda: theirs.fit_transform(DOCS))
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)  # inf for the unseen term


def test_no_warning_on_ordinary_use(paragraphs: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vectorizer = ts.TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2)
        vectorizer.fit_transform(paragraphs)
        vectorizer.transform(DOCS)
        vectorizer.get_feature_names_out()
        vectorizer.inverse_transform(vectorizer.transform(DOCS[:2]))


# ============================================================ fitted attributes

IDF_CASES = [
    {},
    {"smooth_idf": False},
    {"sublinear_tf": True, "min_df": 2},
    {"ngram_range": (1, 3), "max_features": 500},
    {"analyzer": "char_wb", "ngram_range": (2, 4)},
    {"dtype": np.float32},
    {"dtype": np.float32, "smooth_idf": False, "stop_words": "english"},
    {"binary": True, "strip_accents": "unicode"},
]


@pytest.mark.parametrize("params", IDF_CASES, ids=param_id)
def test_idf_and_vocabulary_equal_scikit_learns(params: dict[str, Any], paragraphs: list[str]) -> None:
    ours, theirs = ts.TfidfVectorizer(**params), sk.TfidfVectorizer(**params)
    assert_same_matrix(ours.fit_transform(paragraphs), theirs.fit_transform(paragraphs))
    assert ours.vocabulary_ == theirs.vocabulary_
    assert ours.fixed_vocabulary_ == theirs.fixed_vocabulary_
    names = ours.get_feature_names_out()
    assert names.dtype == theirs.get_feature_names_out().dtype
    np.testing.assert_array_equal(names, theirs.get_feature_names_out())
    assert type(ours.idf_) is type(theirs.idf_)
    assert ours.idf_.dtype == theirs.idf_.dtype and ours.idf_.shape == theirs.idf_.shape
    if ours.idf_.dtype == np.float32:
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=1e-6)
    else:
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
    assert_same_matrix(ours.transform(DOCS), theirs.transform(DOCS))


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
def test_fitted_attribute_names_are_scikit_learns(ours: type, theirs: type, paragraphs: list[str]) -> None:
    def public_fitted(estimator: Any) -> set[str]:
        return {name for name in vars(estimator) if name.endswith("_") and not name.startswith("_")}

    mine, reference = ours(min_df=2).fit(paragraphs), theirs(min_df=2).fit(paragraphs)
    assert public_fitted(mine) == public_fitted(reference)
    assert set(vars(reference)) <= set(vars(mine))


def test_transformer_fitted_attributes_equal_scikit_learns() -> None:
    counts = sk.CountVectorizer().fit_transform(sample_paragraphs()[0])
    for params in ({}, {"smooth_idf": False}, {"use_idf": False}):
        ours, theirs = ts.TfidfTransformer(**params).fit(counts), sk.TfidfTransformer(**params).fit(counts)
        assert ours.n_features_in_ == theirs.n_features_in_
        assert hasattr(ours, "idf_") == hasattr(theirs, "idf_")
        if hasattr(theirs, "idf_"):
            assert ours.idf_.dtype == theirs.idf_.dtype
            np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
        assert_same_matrix(ours.transform(counts), theirs.transform(counts))


def test_idf_setter_transfers_idf_like_scikit_learn(paragraphs: list[str]) -> None:
    source = sk.TfidfVectorizer(min_df=2).fit(paragraphs)
    rng = np.random.default_rng(0)
    idf = source.idf_ * rng.uniform(0.5, 2.0, size=source.idf_.shape)
    made = []
    for cls in (ts.TfidfVectorizer, sk.TfidfVectorizer):
        vectorizer = cls(vocabulary=source.vocabulary_)
        vectorizer.idf_ = idf
        made.append(vectorizer)
    ours, theirs = made
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    assert_same_matrix(ours.transform(paragraphs), theirs.transform(paragraphs))
    assert_same_matrix(ours.transform(DOCS), theirs.transform(DOCS))


def test_idf_setter_on_a_fitted_vectorizer_changes_its_output(paragraphs: list[str]) -> None:
    made = []
    for cls in (ts.TfidfVectorizer, sk.TfidfVectorizer):
        vectorizer = cls().fit(paragraphs)
        vectorizer.idf_ = np.ones_like(vectorizer.idf_)
        made.append(vectorizer)
    ours, theirs = made
    assert_same_matrix(ours.transform(paragraphs), theirs.transform(paragraphs))
    assert_same_matrix(ours.transform(paragraphs), ts.TfidfVectorizer(use_idf=False).fit(paragraphs).transform(paragraphs))


@pytest.mark.parametrize(
    ("params", "value"),
    [
        pytest.param({"vocabulary": ["quad", "tokyo", "cyber"]}, np.ones(2), id="wrong-length"),
        pytest.param({"use_idf": False}, np.ones(3), id="use_idf-false"),
        pytest.param({"vocabulary": ["quad", "tokyo", "cyber"]}, [1.0, 2.0, 3.0], id="list"),
        pytest.param({"vocabulary": ["quad", "tokyo", "cyber"]}, np.ones(3, dtype=np.float32), id="float32"),
    ],
)
def test_idf_setter_validation_is_scikit_learns(params: dict[str, Any], value: Any) -> None:
    def set_then_transform(cls: type) -> Callable[[], Any]:
        def run() -> Any:
            vectorizer = cls(**params)
            vectorizer.idf_ = value
            return vectorizer.transform(DOCS)

        return run

    assert_same_outcome(set_then_transform(ts.TfidfVectorizer), set_then_transform(sk.TfidfVectorizer))


# =========================================================== inverse_transform


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("params", [{}, {"ngram_range": (1, 2), "max_features": 200}, {"min_df": 2, "analyzer": "char_wb"}],
                         ids=param_id)
@pytest.mark.parametrize("form", ["sparse", "dense", "csc"])
def test_inverse_transform_equals_scikit_learns(ours: type, theirs: type, params: dict[str, Any], form: str,
                                                paragraphs: list[str]) -> None:
    mine, reference = ours(**params).fit(paragraphs), theirs(**params).fit(paragraphs)
    X = reference.transform(paragraphs[:10] + DOCS)
    X = {"sparse": X, "dense": X.toarray(), "csc": X.tocsc()}[form]
    ours_terms, theirs_terms = mine.inverse_transform(X), reference.inverse_transform(X)
    assert len(ours_terms) == len(theirs_terms)
    for a, b in zip(ours_terms, theirs_terms):
        assert type(a) is type(b) and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    # round trip on our own output
    for a, b in zip(mine.inverse_transform(mine.transform(DOCS)), reference.inverse_transform(reference.transform(DOCS))):
        np.testing.assert_array_equal(np.sort(a), np.sort(b))


# ============================================================ sparse interface


def outputs(module: Any) -> dict[str, Any]:
    counts = np.array([[1, 0, 2], [0, 3, 1]])
    tfidf = module.TfidfVectorizer().fit(DOCS)
    count = module.CountVectorizer().fit(DOCS)
    transformer = module.TfidfTransformer().fit(counts)
    return {
        "tfidf.fit_transform": module.TfidfVectorizer().fit_transform(DOCS),
        "tfidf.transform": tfidf.transform(DOCS),
        "count.fit_transform": module.CountVectorizer().fit_transform(DOCS),
        "count.transform": count.transform(DOCS),
        "fixed-vocabulary.transform": module.CountVectorizer(vocabulary=["quad"]).transform(DOCS),
        "python-tokenizer.fit_transform": module.TfidfVectorizer(tokenizer=str.split, token_pattern=None).fit_transform(DOCS),
        "transformer.dense": transformer.transform(counts),
        "transformer.csr_matrix": transformer.transform(sp.csr_matrix(counts)),
        "transformer.csr_array": transformer.transform(sp.csr_array(counts)),
        "transformer.csc": module.TfidfTransformer().fit_transform(sp.csc_matrix(counts)),
    }


needs_sparse_interface = pytest.mark.skipif(
    not SPARSE_INTERFACES, reason=f"scikit-learn {sklearn.__version__} has no sparse_interface option (1.9+)"
)


@pytest.mark.parametrize("interface", [*SPARSE_INTERFACES, None])
def test_output_type_follows_scikit_learns_sparse_interface(interface: str | None) -> None:
    expected_class = sp.csr_array if interface == "sparray" else sp.csr_matrix
    context = sklearn.config_context(sparse_interface=interface) if interface else sklearn.config_context()
    with context:
        ours, theirs = outputs(ts), outputs(sk)
    for name, X in ours.items():
        assert type(X) is type(theirs[name]), name
        if SPARSE_INTERFACES or name != "transformer.csr_array":
            # before 1.9, a sparse input's class is kept: csr_array in, csr_array out
            assert type(X) is expected_class, name
        assert_same_matrix(X, theirs[name])


@needs_sparse_interface
def test_set_config_sparray_gives_csr_array_and_default_gives_csr_matrix() -> None:
    assert sklearn.get_config()["sparse_interface"] == "spmatrix"  # scikit-learn 1.9's default
    before = sklearn.get_config()["sparse_interface"]
    sklearn.set_config(sparse_interface="sparray")
    try:
        X = ts.TfidfVectorizer().fit_transform(DOCS)
        C = ts.CountVectorizer().fit_transform(DOCS)
    finally:
        sklearn.set_config(sparse_interface=before)
    assert type(X) is sp.csr_array and type(C) is sp.csr_array
    assert type(ts.TfidfVectorizer().fit_transform(DOCS)) is sp.csr_matrix
    assert type(ts.CountVectorizer().fit_transform(DOCS)) is sp.csr_matrix


@needs_sparse_interface
def test_sparse_interface_is_read_at_call_time_not_at_fit() -> None:
    vectorizer = ts.TfidfVectorizer().fit(DOCS)
    with sklearn.config_context(sparse_interface="sparray"):
        assert type(vectorizer.transform(DOCS)) is sp.csr_array
    assert type(vectorizer.transform(DOCS)) is sp.csr_matrix


# ====================================================== input="filename"/"file"


@pytest.fixture
def text_files(tmp_path: Path) -> list[Path]:
    contents = [
        "Le café de l’OTAN\nthe Quad summit".encode("utf-8"),
        b"caf\xe9 latin-1 text \x00 with a NUL",
        b"",
        "Ünïcödé éTé, 30.000 alliés".encode("utf-8"),
        b"\xef\xbb\xbfbom first then words",
    ]
    paths = []
    for i, content in enumerate(contents):
        path = tmp_path / f"doc{i}.txt"
        path.write_bytes(content)
        paths.append(path)
    return paths


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize(
    "params",
    [{"decode_error": "replace"}, {"decode_error": "ignore", "analyzer": "char"}, {"encoding": "latin-1"},
     {"encoding": "utf-8"}],
    ids=param_id,
)
@pytest.mark.parametrize("as_str", [True, False], ids=["str-paths", "Path-objects"])
def test_input_filename_like_scikit_learn(ours: type, theirs: type, params: dict[str, Any], as_str: bool,
                                         text_files: list[Path]) -> None:
    names: list[Any] = [str(p) if as_str else p for p in text_files]
    mine, reference = ours(input="filename", **params), theirs(input="filename", **params)
    assert_same_outcome(lambda: mine.fit_transform(names), lambda: reference.fit_transform(names))
    if hasattr(reference, "vocabulary_"):
        assert mine.vocabulary_ == reference.vocabulary_
        assert_same_outcome(lambda: mine.transform(names[::-1]), lambda: reference.transform(names[::-1]))


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
@pytest.mark.parametrize("mode", ["rb", "r"])
def test_input_file_like_scikit_learn(ours: type, theirs: type, mode: str, text_files: list[Path]) -> None:
    def handles() -> list[Any]:
        if mode == "rb":
            return [open(p, "rb") for p in text_files]
        return [open(p, "r", encoding="latin-1") for p in text_files]

    def run(cls: type) -> Callable[[], Any]:
        def go() -> Any:
            files = handles()
            try:
                return cls(input="file", decode_error="replace").fit_transform(files)
            finally:
                for f in files:
                    f.close()

        return go

    assert_same_outcome(run(ours), run(theirs))
    in_memory = [io.StringIO("quad summit"), io.BytesIO("l’OTAN à Tokyo".encode())]
    in_memory_copy = [io.StringIO("quad summit"), io.BytesIO("l’OTAN à Tokyo".encode())]
    assert_same_outcome(lambda: ours(input="file").fit_transform(in_memory),
                        lambda: theirs(input="file").fit_transform(in_memory_copy))


@pytest.mark.parametrize(("ours", "theirs"), VECTORIZER_PAIRS)
def test_input_filename_errors_like_scikit_learn(ours: type, theirs: type, text_files: list[Path],
                                                 tmp_path: Path) -> None:
    missing = [str(text_files[0]), str(tmp_path / "missing.txt")]
    assert_same_outcome(lambda: ours(input="filename").fit(missing), lambda: theirs(input="filename").fit(missing))
    assert_same_outcome(lambda: ours(input="file").fit(["not a file object"]),
                        lambda: theirs(input="file").fit(["not a file object"]))
    assert_same_outcome(lambda: ours(input="filename").fit(str(text_files[0])),
                        lambda: theirs(input="filename").fit(str(text_files[0])))


def test_input_filename_strict_decoding_names_the_file_index(text_files: list[Path]) -> None:
    with pytest.raises(UnicodeDecodeError) as error:
        ts.CountVectorizer(input="filename").fit([str(p) for p in text_files])
    assert "document 1" in str(error.value)
    assert "byte offset 3" in str(error.value)


# ================================================== TfidfTransformer inputs


def _base_counts() -> np.ndarray:
    return np.array([[1.0, 0, 2, 0], [0, 3, 1, 0], [0, 0, 0, 0], [4, 0, 0, 1], [1, 1, 1, 0]])


def _csr_with(data: Callable[[np.ndarray], np.ndarray] | None = None,
              index: Callable[[np.ndarray], np.ndarray] | None = None) -> sp.csr_matrix:
    X = sp.csr_matrix(_base_counts())
    return sp.csr_matrix(
        (X.data if data is None else data(X.data),
         X.indices if index is None else index(X.indices),
         X.indptr if index is None else index(X.indptr)),
        shape=X.shape,
    )


def _read_only(X: sp.csr_matrix) -> sp.csr_matrix:
    X.data.setflags(write=False)
    return X


TRANSFORMER_INPUTS: dict[str, Callable[[], Any]] = {
    "dense-int": lambda: _base_counts().astype(np.int64),
    "dense-float64": _base_counts,
    "dense-fortran": lambda: np.asfortranarray(_base_counts()),
    "dense-big-endian": lambda: _base_counts().astype(">f8"),
    "csr-float32": lambda: sp.csr_matrix(_base_counts().astype(np.float32)),
    "csr-int32": lambda: sp.csr_matrix(_base_counts().astype(np.int32)),
    "csr-uint8": lambda: sp.csr_matrix(_base_counts().astype(np.uint8)),
    "csr-bool": lambda: sp.csr_matrix(_base_counts() > 0),
    "csr_array": lambda: sp.csr_array(_base_counts()),
    "csc": lambda: sp.csc_matrix(_base_counts()),
    "coo": lambda: sp.coo_matrix(_base_counts()),
    "csr-int64-indices": lambda: _csr_with(index=lambda a: a.astype(np.int64)),
    "csr-big-endian-data": lambda: _csr_with(data=lambda d: d.astype(">f8")),
    "csr-strided-data": lambda: _csr_with(data=lambda d: np.repeat(d, 2)[::2]),
    "csr-read-only": lambda: _read_only(sp.csr_matrix(_base_counts())),
    # arrays that went through pickle (joblib workers, files) have equal but distinct dtype objects
    "unpickled-csr-float64": lambda: pickle.loads(pickle.dumps(sp.csr_matrix(_base_counts()))),
    "unpickled-csr-float32": lambda: pickle.loads(pickle.dumps(sp.csr_matrix(_base_counts().astype(np.float32)))),
    "unpickled-dense-float64": lambda: pickle.loads(pickle.dumps(_base_counts())),
    "unpickled-csr-int64": lambda: pickle.loads(pickle.dumps(sp.csr_matrix(_base_counts().astype(np.int64)))),
    "csr-unsorted-duplicates": lambda: sp.csr_matrix(
        (np.array([1.0, 2.0, 3.0, 4.0, 1.0]), np.array([2, 0, 2, 1, 3]), np.array([0, 3, 4, 4, 4, 5])), shape=(5, 4)),
    "negative": lambda: -sp.csr_matrix(_base_counts()),
    "list": lambda: _base_counts().tolist(),
    "with-nan": lambda: np.where(_base_counts() > 3, np.nan, _base_counts()),
    "1d": lambda: _base_counts()[0],
    "no-rows": lambda: sp.csr_matrix((0, 4)),
}
TRANSFORMER_SETTINGS = [{}, {"sublinear_tf": True, "norm": "l1"}, {"use_idf": False, "norm": None}]


@pytest.mark.parametrize("name", list(TRANSFORMER_INPUTS))
@pytest.mark.parametrize("params", TRANSFORMER_SETTINGS, ids=param_id)
@pytest.mark.parametrize("method", ["fit_transform", "transform", "transform-copy-false"])
def test_tfidf_transformer_accepts_what_scikit_learn_accepts(name: str, params: dict[str, Any], method: str) -> None:
    make = TRANSFORMER_INPUTS[name]

    def run(cls: type) -> Callable[[], Any]:
        def go() -> Any:
            transformer = cls(**params)
            if method == "fit_transform":
                return transformer.fit_transform(make())
            transformer.fit(_base_counts())
            return transformer.transform(make(), copy=method == "transform")

        return go

    assert_same_outcome(run(ts.TfidfTransformer), run(sk.TfidfTransformer))


@pytest.mark.parametrize("copy_input", [True, False])
def test_tfidf_transformer_copy_semantics_like_scikit_learn(copy_input: bool) -> None:
    results = []
    for cls in (ts.TfidfTransformer, sk.TfidfTransformer):
        X = sp.csr_matrix(_base_counts())
        original = X.data.copy()
        Y = cls().fit(X).transform(X, copy=copy_input)
        results.append((np.shares_memory(Y.data, X.data), np.array_equal(X.data, original)))
    assert results[0] == results[1]


def test_tfidf_transformer_passes_scikit_learns_estimator_checks() -> None:
    """Every common check scikit-learn's own TfidfTransformer passes, ours passes too."""

    def statuses(estimator: Any) -> dict[str, tuple[str, str]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = check_estimator(estimator, on_fail=None)
        out: dict[str, tuple[str, str]] = {}
        for r in results:
            key = f"{r['check_name']}#{len([k for k in out if k.startswith(r['check_name'] + '#')])}"
            out[key] = (r["status"], f"{type(r['exception']).__name__}: {r['exception']}" if r["exception"] else "")
        return out

    theirs = statuses(sk.TfidfTransformer())
    ours = statuses(ts.TfidfTransformer())
    assert sum(status == "passed" for status, _ in theirs.values()) >= 30
    failures = {name: ours.get(name) for name, (status, _) in theirs.items()
                if status == "passed" and (ours.get(name) or ("missing", ""))[0] != "passed"}
    assert not failures, failures


@pytest.mark.parametrize("vocabulary", [
    None,  # learnt
    {"zebra": 2, "apple": 0, "mango": 1},  # given, not in column order
    ["mango", "apple", "zebra"],  # given as a list
])
def test_feature_names_are_scikit_learns(vocabulary: Any) -> None:
    from sklearn.feature_extraction.text import CountVectorizer as SkCountVectorizer

    docs = ["zebra apple apple", "mango zebra", "kiwi apple"]
    ours = ts.CountVectorizer(vocabulary=vocabulary).fit(docs).get_feature_names_out()
    theirs = SkCountVectorizer(vocabulary=vocabulary).fit(docs).get_feature_names_out()
    assert ours.dtype == theirs.dtype == object and ours.tolist() == theirs.tolist()
    with pytest.raises(NotFittedError):
        ts.CountVectorizer().get_feature_names_out()


def test_feature_names_of_a_vocabulary_set_by_hand() -> None:
    from themescope.text import _names_in_column_order

    # columns that are not 0..n-1 (a vocabulary_ assigned by hand): scikit-learn's sort, ties in dict order
    for vocabulary in ({"b": 5, "a": 1, "c": 3}, {"b": 1, "a": 0, "c": 1}, {"x": -1, "y": 0}):
        expected = [t for t, _ in sorted(vocabulary.items(), key=lambda item: item[1])]
        assert _names_in_column_order(vocabulary).tolist() == expected
    assert _names_in_column_order({}).shape == (0,)
