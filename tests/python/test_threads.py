"""Threads: the setting, its default and environment variable, bit-identical results
whatever the thread count, the GIL released during the native work, concurrent use."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction import text as sk

import themescope as ts

ENV = "THEMESCOPE_NUM_THREADS"


@pytest.fixture(autouse=True)
def restore_threads() -> Iterator[None]:
    before = ts.get_num_threads()
    yield
    ts.set_num_threads(before)


def python_with(code: str, env_value: str | None, affinity: set[int] | None = None) -> str:
    """Run code in a fresh interpreter with THEMESCOPE_NUM_THREADS set (or unset); its stdout."""
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if env_value is not None:
        env[ENV] = env_value
    prelude = f"import os\nos.sched_setaffinity(0, {sorted(affinity)!r})\n" if affinity else ""
    completed = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True,
                               timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout.strip()


def cores() -> int:
    return len(os.sched_getaffinity(0))


# ========================================================= the setting


def test_set_and_get_round_trip() -> None:
    for n in (1, 2, 3, 7, 1, 64, 2):
        assert ts.set_num_threads(n) is None
        assert ts.get_num_threads() == n
        assert type(ts.get_num_threads()) is int


@pytest.mark.parametrize("n", [np.int64(3), np.int32(2), np.uint8(5)], ids=repr)
def test_numpy_integers_are_accepted(n: Any) -> None:
    ts.set_num_threads(n)
    assert ts.get_num_threads() == int(n)
    assert type(ts.get_num_threads()) is int


@pytest.mark.parametrize("n", [0, -1, -(2**40)])
def test_fewer_than_one_thread_is_a_value_error(n: int) -> None:
    ts.set_num_threads(3)
    with pytest.raises(ValueError, match=str(n)):
        ts.set_num_threads(n)
    assert ts.get_num_threads() == 3  # unchanged


@pytest.mark.parametrize("n", [1.5, 2.0, "2", None, True, False, [2], complex(2, 0)], ids=repr)
def test_a_non_integer_is_a_type_error(n: Any) -> None:
    ts.set_num_threads(3)
    with pytest.raises(TypeError):
        ts.set_num_threads(n)
    assert ts.get_num_threads() == 3


@pytest.mark.parametrize("n", [2**31, 2**63, 10**30], ids=["2**31", "2**63", "10**30"])
def test_a_huge_integer_is_accepted_or_a_clear_value_error(n: int) -> None:
    """An int, so not a TypeError: either honoured (capped) or refused as out of range."""
    ts.set_num_threads(3)
    try:
        ts.set_num_threads(n)
    except (ValueError, OverflowError) as error:
        assert str(n) in str(error) or "range" in str(error) or "large" in str(error), str(error)
        assert ts.get_num_threads() == 3
    else:
        assert ts.get_num_threads() >= 1
        X = ts.TfidfVectorizer().fit_transform(["cyber alliance", "quad summit"])
        assert X.shape == (2, 4)


def test_the_default_is_every_core_this_process_may_use() -> None:
    out = python_with("import themescope as ts, os; print(ts.get_num_threads(), len(os.sched_getaffinity(0)))", None)
    threads, available = map(int, out.split())
    assert threads == available == cores()
    assert threads <= (os.cpu_count() or threads)


def test_the_default_follows_the_cpu_affinity() -> None:
    out = python_with("import themescope as ts; print(ts.get_num_threads())", None, affinity={0})
    assert int(out) == 1


@pytest.mark.parametrize("value", ["1", "3", "16"])
def test_the_environment_variable_is_honoured(value: str) -> None:
    code = (
        "import themescope as ts\n"
        "X = ts.TfidfVectorizer().fit_transform(['cyber alliance', 'quad summit'])\n"
        "print(ts.get_num_threads(), X.nnz)\n"
    )
    threads, nnz = map(int, python_with(code, value).split())
    assert threads == int(value)
    assert nnz == 4


@pytest.mark.parametrize("value", ["0", "abc", "", "99999999999"])
def test_an_invalid_environment_variable_does_not_break_import(value: str) -> None:
    code = (
        "import themescope as ts\n"
        "X = ts.TfidfVectorizer().fit_transform(['cyber alliance', 'quad summit'])\n"
        "print(ts.get_num_threads(), X.nnz)\n"
    )
    threads, nnz = map(int, python_with(code, value).split())
    assert threads >= 1
    assert nnz == 4


def test_the_environment_variable_is_read_at_import_only() -> None:
    code = (
        "import os, themescope as ts\n"
        "os.environ['THEMESCOPE_NUM_THREADS'] = '5'\n"
        "first = ts.get_num_threads()\n"
        "ts.TfidfVectorizer().fit_transform(['cyber alliance'])\n"
        "print(first, ts.get_num_threads())\n"
    )
    assert python_with(code, "3").split() == ["3", "3"]


def test_set_num_threads_overrides_the_environment_variable() -> None:
    code = "import themescope as ts\nts.set_num_threads(2)\nprint(ts.get_num_threads())\n"
    assert python_with(code, "4") == "2"


# ========================================================= determinism


def synthetic_corpus(n_docs: int = 6000, seed: int = 0) -> list[str]:
    """Documents made from the sample articles' paragraphs, shuffled, with numbered rare terms,
    so that new terms keep appearing all through the corpus (several native chunks)."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for text in ts.datasets.load_sample_articles().data for p in text.split("\n") if p.strip()]
    docs = []
    for i in range(n_docs):
        picked = rng.sample(paragraphs, k=rng.randint(1, 8))
        rare = " ".join(f"rare{i}x{j}" for j in range(rng.randint(0, 3)))
        docs.append(" ".join(picked) + " " + rare + (" ÉTÉ L’OTAN" if i % 7 == 0 else ""))
    return docs


@pytest.fixture(scope="module")
def sample_corpus() -> list[str]:
    docs = synthetic_corpus()
    assert sum(map(len, docs)) > 4 * 2**19  # several native chunks of 256 K characters
    return docs


@pytest.fixture(params=["sample", pytest.param("bbc", marks=pytest.mark.corpus)])
def corpus(request: pytest.FixtureRequest, sample_corpus: list[str]) -> list[str]:
    if request.param == "bbc":
        return request.getfixturevalue("bbc_texts")  # type: ignore[no-any-return]
    return sample_corpus


DETERMINISM_CASES = [
    pytest.param(ts.TfidfVectorizer, {}, id="tfidf-default"),
    pytest.param(ts.TfidfVectorizer, {"sublinear_tf": True}, id="tfidf-sublinear_tf"),
    pytest.param(ts.TfidfVectorizer, {"ngram_range": (1, 2)}, id="tfidf-ngram-1-2"),
    pytest.param(ts.TfidfVectorizer, {"analyzer": "char_wb", "ngram_range": (2, 4)}, id="tfidf-char_wb"),
    pytest.param(ts.TfidfVectorizer, {"stop_words": "english", "min_df": 2, "max_df": 0.5, "norm": "l1"}, id="tfidf-pruned"),
    pytest.param(ts.TfidfVectorizer, {"dtype": np.float32, "strip_accents": "unicode"}, id="tfidf-float32"),
    pytest.param(ts.CountVectorizer, {"max_features": 500, "ngram_range": (1, 2)}, id="count-max_features"),
    pytest.param(ts.CountVectorizer, {"token_pattern": r"(?u)\b[a-zé]+\b"}, id="count-python-tokenizer"),
]


def run_with_threads(n: int, cls: type, params: dict[str, Any], docs: list[str]) -> tuple[Any, Any, Any]:
    ts.set_num_threads(n)
    vectorizer = cls(**params)
    fitted = vectorizer.fit_transform(docs)
    transformed = vectorizer.transform(docs[::5])
    return vectorizer, fitted, transformed


def assert_bit_identical(a: Any, b: Any, context: Any) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype, context
    for name in ("indptr", "indices", "data"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.dtype == right.dtype, (context, name)
        assert left.tobytes() == right.tobytes(), (context, name)


@pytest.mark.parametrize(("cls", "params"), DETERMINISM_CASES)
def test_one_two_and_more_threads_give_bit_identical_results(cls: type, params: dict[str, Any],
                                                             corpus: list[str]) -> None:
    runs = {n: run_with_threads(n, cls, params, corpus) for n in (1, 2, 3, 8)}
    reference, X1, T1 = runs[1]
    assert X1.nnz > 0 and T1.nnz > 0
    for n, (vectorizer, X, T) in runs.items():
        assert list(vectorizer.vocabulary_.items()) == list(reference.vocabulary_.items()), n
        if hasattr(reference, "idf_"):
            assert vectorizer.idf_.tobytes() == reference.idf_.tobytes(), n
        assert_bit_identical(X, X1, ("fit_transform", n))
        assert_bit_identical(T, T1, ("transform", n))


@pytest.mark.parametrize("threads", [1, 2])
def test_an_error_building_vocabulary_while_the_matrix_assembles_reaches_the_caller(
        threads: int, sample_corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # With two threads the matrix is assembled on a native thread while vocabulary_
    # is built: an error in the latter must surface as itself, free the pending
    # matrix at once (not with the traceback), and leave nothing behind that
    # breaks the next fit.
    ts.set_num_threads(threads)
    expected = ts.TfidfVectorizer().fit_transform(sample_corpus)

    def fail(self: Any, *args: Any) -> None:
        raise MemoryError("no room for vocabulary_")

    pending: list[weakref.ref[Any]] = []
    take = ts.CountVectorizer._take_buffers

    def watched_take(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = take(self, *args, **kwargs)
        if kwargs.get("start"):
            pending.append(weakref.ref(result))
        return result

    with monkeypatch.context() as patch:
        patch.setattr(ts.CountVectorizer, "_learn_vocabulary", fail)
        patch.setattr(ts.CountVectorizer, "_take_buffers", watched_take)
        with pytest.raises(MemoryError, match="no room for vocabulary_") as raised:
            ts.TfidfVectorizer().fit_transform(sample_corpus)
        # `raised` keeps the traceback, and with it the frame that held the matrix
        assert raised.tb is not None
        assert len(pending) == (threads > 1)
        assert all(ref() is None for ref in pending)
    assert_bit_identical(ts.TfidfVectorizer().fit_transform(sample_corpus), expected, threads)


@pytest.mark.parametrize("threads", [1, 2])
def test_fit_transform_weighs_its_own_matrix_like_fit_then_transform(threads: int, sample_corpus: list[str]) -> None:
    # TfidfVectorizer.fit_transform skips validating the matrix it has just made;
    # the fitted weighting must be what scikit-learn's path leaves behind.
    ts.set_num_threads(threads)
    for params in ({}, {"sublinear_tf": True, "norm": "l1"}, {"use_idf": False}, {"dtype": np.float32}):
        ours, theirs = ts.TfidfVectorizer(**params), sk.TfidfVectorizer(**params)
        X, Y = ours.fit_transform(sample_corpus), theirs.fit_transform(sample_corpus)
        assert type(X) is type(Y) and X.dtype == Y.dtype, params
        Y = Y.copy()
        Y.sort_indices()  # ours are sorted within rows, scikit-learn's need not be
        assert np.array_equal(X.indptr, Y.indptr) and np.array_equal(X.indices, Y.indices), params
        np.testing.assert_allclose(X.data, Y.data, rtol=1e-6 if X.dtype == np.float32 else 1e-12)
        assert ours._tfidf.n_features_in_ == theirs._tfidf.n_features_in_ == X.shape[1], params
        assert not hasattr(ours._tfidf, "feature_names_in_")
        assert hasattr(ours, "idf_") == hasattr(theirs, "idf_"), params
        assert_bit_identical(ours.transform(sample_corpus), ours.fit(sample_corpus).transform(sample_corpus), params)


HANDOVER_CASES = [
    {},
    {"sublinear_tf": True, "norm": "l1"},
    {"use_idf": False, "norm": None},
    {"smooth_idf": False, "binary": True},
    {"dtype": np.float32, "min_df": 2, "max_features": 300},
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("params", HANDOVER_CASES, ids=str)
def test_weighing_as_the_counts_are_handed_over_equals_weighing_them_after(
        threads: int, params: dict[str, Any], sample_corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # TfidfVectorizer.fit_transform fits its idf on the counter's document
    # frequencies and weighs each row as the matrix is handed over; counting first
    # and weighing the finished matrix after must give the same bytes.
    ts.set_num_threads(threads)
    weighting = {k: params[k] for k in ("norm", "use_idf", "smooth_idf", "sublinear_tf") if k in params}
    counting = {k: v for k, v in params.items() if k not in weighting}
    counts = ts.CountVectorizer(**{"dtype": np.float64, **counting}).fit_transform(sample_corpus)
    after = ts.TfidfTransformer(**weighting)
    expected = after.fit_transform(counts)

    def not_handed_over(self: Any, X: Any) -> Any:
        raise AssertionError("the matrix was weighed after it was handed over")

    with monkeypatch.context() as patch:
        patch.setattr(ts.TfidfTransformer, "_fit_transform_fresh", not_handed_over)
        vectorizer = ts.TfidfVectorizer(**params)
        X = vectorizer.fit_transform(sample_corpus)
    assert_bit_identical(X, expected, params)
    assert type(X) is type(expected)
    if after.use_idf:
        assert vectorizer.idf_.dtype == after.idf_.dtype and vectorizer.idf_.tobytes() == after.idf_.tobytes()
    else:
        assert not hasattr(vectorizer._tfidf, "idf_")
    assert vectorizer._tfidf.n_features_in_ == X.shape[1]


def test_vocabulary_lists_terms_in_the_order_they_were_first_met_like_scikit_learn(corpus: list[str]) -> None:
    # Its order is part of what a fit returns (list(vocabulary_), a pickle): the
    # same for any thread count (test above) and scikit-learn's, where the
    # analyzer makes one n-gram length at a time (or char_wb's word by word).
    for params in ({}, {"min_df": 2, "max_df": 0.5}, {"analyzer": "char_wb", "ngram_range": (2, 3)}):
        for threads in (1, 2):
            ts.set_num_threads(threads)
            ours = ts.TfidfVectorizer(**params).fit(corpus).vocabulary_
            theirs = sk.TfidfVectorizer(**params).fit(corpus).vocabulary_
            assert list(ours.items()) == list(theirs.items()), (params, threads)


def test_thread_count_changes_during_a_run_do_not_change_results(sample_corpus: list[str]) -> None:
    ts.set_num_threads(1)
    expected = ts.TfidfVectorizer(ngram_range=(1, 2)).fit_transform(sample_corpus)
    done = threading.Event()
    results: list[Any] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(ts.TfidfVectorizer(ngram_range=(1, 2)).fit_transform(sample_corpus))
        finally:
            done.set()

    worker = threading.Thread(target=work)
    worker.start()
    n = 1
    while not done.wait(0.002):
        n = n % 3 + 1
        ts.set_num_threads(n)
    worker.join()
    assert len(results) == 3
    for X in results:
        assert_bit_identical(X, expected, "threads changed mid-run")


def test_tfidf_transformer_is_bit_identical_across_thread_counts(sample_corpus: list[str]) -> None:
    counts = sk.CountVectorizer(ngram_range=(1, 2)).fit_transform(sample_corpus)
    outputs = []
    for n in (1, 2, 5):
        ts.set_num_threads(n)
        transformer = ts.TfidfTransformer(sublinear_tf=True).fit(counts)
        outputs.append((transformer.idf_.tobytes(), transformer.transform(counts)))
    for idf, X in outputs[1:]:
        assert idf == outputs[0][0]
        assert_bit_identical(X, outputs[0][1], "TfidfTransformer")


# ============================================================ the GIL


def check_gil_released(docs: list[str], gil_pauses: Any) -> None:
    ts.set_num_threads(1)  # one core for the native work, the other for the ticking thread
    joined = "\n".join(docs)[:4_000_000]
    # Control: a single long C call that holds the GIL (re) must show up as one long pause.
    duration, pause, _ = gil_pauses(lambda: re.findall(r"(?u)\b\w\w+\b", joined))
    assert pause > 0.5 * duration, "the detector failed to see a GIL-holding call"
    attempts = []
    failures = 0
    while failures < 3:  # a loaded machine may stall a thread once; a held GIL stalls it every time
        duration, pause, ticks = gil_pauses(lambda: ts.TfidfVectorizer().fit_transform(docs))
        attempts.append((len(docs), round(duration, 3), round(pause, 3), ticks))
        if duration < 0.2 and len(attempts) <= 3:
            docs = docs * 2  # too quick to tell: more work (the same strings, referenced again)
            continue
        if pause < 0.25 * duration and ticks >= 20:
            return
        failures += 1
    pytest.fail("a Python thread stalled while fit_transform ran: "
                f"(documents, duration s, longest pause s, ticks) = {attempts}")


@pytest.mark.corpus
def test_the_gil_is_released_during_fit_transform_on_bbc(bbc_texts: list[str], gil_pauses: Any) -> None:
    check_gil_released(bbc_texts * 4, gil_pauses)


def test_the_gil_is_released_during_fit_transform_on_sample_articles(sample_corpus: list[str],
                                                                     gil_pauses: Any) -> None:
    check_gil_released(sample_corpus * 3, gil_pauses)


# ====================================================== concurrent use


def test_concurrent_fits_in_python_threads_equal_sequential_ones(sample_corpus: list[str]) -> None:
    settings = [{}, {"ngram_range": (1, 2)}, {"analyzer": "char_wb"}, {"sublinear_tf": True, "stop_words": "english"}]
    docs = sample_corpus[:1500]
    expected = [ts.TfidfVectorizer(**p).fit_transform(docs) for p in settings]
    results: dict[int, Any] = {}
    errors: list[BaseException] = []

    def fit(i: int) -> None:
        try:
            results[i] = ts.TfidfVectorizer(**settings[i % len(settings)]).fit_transform(docs)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=fit, args=(i,)) for i in range(2 * len(settings))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for i, X in results.items():
        assert_bit_identical(X, expected[i % len(settings)], i)


def test_one_fitted_vectorizer_transforms_concurrently(sample_corpus: list[str]) -> None:
    vectorizer = ts.TfidfVectorizer(ngram_range=(1, 2), min_df=2).fit(sample_corpus)
    parts = [sample_corpus[i::6] for i in range(6)]
    expected = [vectorizer.transform(part) for part in parts]
    fresh = ts.TfidfVectorizer(ngram_range=(1, 2), min_df=2).fit(sample_corpus)  # no cache built yet
    results: dict[int, Any] = {}
    errors: list[BaseException] = []

    def transform(i: int) -> None:
        try:
            for _ in range(2):
                results[i] = fresh.transform(parts[i])
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=transform, args=(i,)) for i in range(len(parts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for i, X in results.items():
        assert_bit_identical(X, expected[i], i)
