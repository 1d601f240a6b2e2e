"""themescope.dask on a real cluster: distributed.LocalCluster, 2 worker processes.

The oracle is one process: themescope.TfidfVectorizer / CountVectorizer fit on all the
documents and themescope.top_k_similar. Results must be equal bit for bit: vocabulary_
items in order, idf_ bytes, every CSR block stacked, neighbour indices and score bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import themescope as ts

dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")
import themescope.dask as tsd  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Any:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


def assert_same_fit(dask_vectorizer: Any, local: Any) -> None:
    assert list(dask_vectorizer.vocabulary_.items()) == list(local.vocabulary_.items())
    if hasattr(local, "idf_"):
        assert dask_vectorizer.idf_.tobytes() == local.idf_.tobytes()


def assert_same_matrix(a: Any, b: Any) -> None:
    assert type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape
    assert a.indptr.tobytes() == b.indptr.tobytes()
    assert a.indices.tobytes() == b.indices.tobytes()
    assert a.data.tobytes() == b.data.tobytes()


@pytest.fixture(scope="module")
def gilets_jaunes_path(corpora_dir: Path) -> Path:
    return corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"


@pytest.mark.corpus
def test_bbc_series_equals_one_process(client: Any, bbc_texts: list[str]) -> None:
    params = dict(min_df=2, max_df=0.6, sublinear_tf=True, analyzer=ts.Analyzer(language="en"))
    series = dd.from_pandas(pd.Series(bbc_texts), npartitions=7)
    vectorizer = tsd.TfidfVectorizer(**params)
    X = vectorizer.fit_transform(series)
    local = ts.TfidfVectorizer(**params)
    expected = local.fit_transform(bbc_texts)
    assert_same_fit(vectorizer, local)
    assert X.numblocks == (7, 1)
    assert_same_matrix(X.compute(), expected)
    for threshold in (None, 0.3):
        indices, scores = tsd.top_k_similar(X, k=10, threshold=threshold)
        one_indices, one_scores = ts.top_k_similar(expected, k=10, threshold=threshold)
        assert indices.tobytes() == one_indices.tobytes()
        assert scores.tobytes() == one_scores.tobytes()


@pytest.mark.corpus
def test_gilets_jaunes_bag_equals_one_process(client: Any, gilets_jaunes_path: Path) -> None:
    # Read by the workers, a block of lines each: the user's path for a corpus on disk.
    bag = db.read_text(str(gilets_jaunes_path), blocksize="2MiB", encoding="utf-8").map(json.loads).pluck("text")
    assert bag.npartitions >= 4
    gilets_jaunes = [json.loads(line)["text"] for line in gilets_jaunes_path.read_text(encoding="utf-8").splitlines()]
    params = dict(analyzer=ts.Analyzer(fold_accents=True), min_df=2, max_df=0.5, sublinear_tf=True)
    vectorizer = tsd.TfidfVectorizer(**params).fit(bag)
    local = ts.TfidfVectorizer(**params)
    expected = local.fit_transform(gilets_jaunes)
    assert_same_fit(vectorizer, local)
    assert vectorizer.get_feature_names_out(display=True).tolist() == \
        local.get_feature_names_out(display=True).tolist()
    X = vectorizer.transform(bag)
    assert_same_matrix(X.compute(), expected)
    indices, scores = tsd.top_k_similar(X, k=5)
    one_indices, one_scores = ts.top_k_similar(expected, k=5)
    assert indices.tobytes() == one_indices.tobytes() and scores.tobytes() == one_scores.tobytes()
    # Counts, pruned by max_features on the merged totals.
    counter = tsd.CountVectorizer(ngram_range=(1, 2), max_features=2000).fit(bag)
    local_counter = ts.CountVectorizer(ngram_range=(1, 2), max_features=2000)
    assert_same_matrix(counter.transform(bag).compute(), local_counter.fit_transform(gilets_jaunes))
    assert_same_fit(counter, local_counter)


def test_small_collection_and_a_scipy_matrix(client: Any) -> None:
    docs = ts.datasets.load_sample_articles().data * 3
    series = dd.from_pandas(pd.Series(docs), npartitions=4)
    X = tsd.TfidfVectorizer().fit_transform(series)
    local = ts.TfidfVectorizer().fit_transform(docs)
    assert_same_matrix(X.compute(), local)
    # A scipy.sparse matrix cut into shards: the same neighbours (ties by lower index).
    for shards in (1, 2, 5):
        indices, scores = tsd.top_k_similar(local, k=4, n_shards=shards)
        one_indices, one_scores = ts.top_k_similar(local, k=4)
        assert indices.tobytes() == one_indices.tobytes() and scores.tobytes() == one_scores.tobytes()


def test_errors(client: Any) -> None:
    frame = dd.from_pandas(pd.DataFrame({"text": ["a b", "c d"]}), npartitions=1)
    with pytest.raises(TypeError, match="got a dask DataFrame: select its text column"):
        tsd.TfidfVectorizer().fit(frame)
    with pytest.raises(ValueError, match="empty vocabulary"):
        tsd.CountVectorizer(stop_words=["a", "b"]).fit(db.from_sequence(["a b", "b"], npartitions=2))
    with pytest.raises(ValueError, match="k=9 exceeds the 1 candidates"):
        tsd.top_k_similar(ts.TfidfVectorizer().fit_transform(["ab bc", "bc cd"]), k=9)
    # Plain lists: the parent class's behaviour.
    assert tsd.TfidfVectorizer().fit(["cyber attack", "quad"]).transform(["quad"]).shape == (1, 3)
