"""Explorer.add: new articles searchable at once, vectorized by the fitted steps, in the clusters or new themes.

Oracles: an Explorer fitted on all the articles at once (the search index must equal its),
the fitted explorer's own ``transform`` (new rows are what it makes of the texts), and a
vectorizer given the fitted vocabulary and fitted on every article (``refit=True``).
"""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import themescope as ts


@pytest.fixture(scope="module")
def bbc(bbc_raw: list[tuple[str, str, bytes]], bbc_texts: list[str]) -> pd.DataFrame:
    """Every 8th BBC article of each topic, in a fixed order: (id, text, topic)."""
    rows = [(file_id, text, label) for (label, file_id, _), text in zip(bbc_raw, bbc_texts)][::8]
    return pd.DataFrame(rows, columns=["id", "text", "topic"])


def same_csr(a: Any, b: Any) -> bool:
    a, b = sp.csr_array(a), sp.csr_array(b)
    a.sort_indices()
    b.sort_indices()
    return bool(a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
                and np.array_equal(a.data, b.data))


def search_table(ex: ts.Explorer) -> dict[str, tuple[float, dict[str, float]]]:
    """The search index as {term: (idf, {document id: weight})}: what BM25 ranks with, whatever the columns' order."""
    index = ex.search_.index
    W = sp.csc_array(index.weights_)
    terms = {column: term for term, column in ex.search_.vocabulary.items()}
    table = {}
    for column in range(W.shape[1]):
        rows = W.indices[W.indptr[column]:W.indptr[column + 1]]
        values = W.data[W.indptr[column]:W.indptr[column + 1]]
        table[terms[column]] = (float(index.idf_[column]), dict(zip(ex.ids_[rows].tolist(), values.tolist())))
    return table


QUERIES = ["Chelsea striker", "oil prices", "mobile phone software", "election Blair", "film award", "Yukos"]


def titles(docs: pd.DataFrame) -> list[str]:
    """A BBC article's first line is its headline: a few words, ranked by BM25."""
    return [text.strip().split("\n")[0] for text in docs["text"].iloc[::7]]


def assert_search_equal(grown: ts.Explorer, whole: ts.Explorer, queries: list[str] = QUERIES) -> None:
    a, b = search_table(grown), search_table(whole)
    assert a.keys() == b.keys()
    for term, (idf, weights) in b.items():
        assert a[term][0] == idf, term
        assert a[term][1].keys() == weights.keys(), term
        np.testing.assert_allclose(list(a[term][1].values()), list(weights.values()), rtol=1e-13, err_msg=term)
    assert grown.search_.index.average_length_ == whole.search_.index.average_length_
    for query in queries:
        left, right = grown.search(query, k=5), whole.search(query, k=5)
        assert left["id"].tolist() == right["id"].tolist(), query
        np.testing.assert_allclose(left["score"], right["score"], rtol=1e-12)


def test_search_after_add_equals_search_fitted_on_all(bbc: pd.DataFrame) -> None:
    first, later = bbc.iloc[:200], bbc.iloc[200:]
    grown = ts.Explorer().fit(first)
    report = grown.add(later)
    whole = ts.Explorer().fit(bbc)
    assert report["index"].tolist() == list(range(200, len(bbc)))
    assert report["id"].tolist() == later["id"].tolist()
    assert grown.ids_.tolist() == whole.ids_.tolist()
    assert grown.languages_.tolist() == whole.languages_.tolist()
    # words first met in the added articles are found at once
    new_words = set(search_table(whole)) - set(search_table(ts.Explorer().fit(first)))
    assert len(new_words) > 100
    assert_search_equal(grown, whole)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(2, 58), min_size=1, max_size=3, unique=True))
def test_any_sequence_of_adds_gives_the_search_of_one_fit(bbc: pd.DataFrame, cuts: list[int]) -> None:
    docs = bbc.iloc[::4].iloc[:60]  # every topic
    bounds = [0, *sorted(cuts), len(docs)]
    grown = ts.Explorer().fit(docs.iloc[:bounds[1]])
    for start, stop in zip(bounds[1:], bounds[2:]):
        grown.add(docs.iloc[start:stop])
    assert_search_equal(grown, ts.Explorer().fit(docs), titles(docs))


@pytest.mark.parametrize("cross_language", [False, True])
def test_fitted_rows_stay_and_new_rows_are_what_transform_makes(bbc: pd.DataFrame, cross_language: bool) -> None:
    ex = ts.Explorer(cross_language=cross_language).fit(bbc.iloc[:150])
    before = {name: getattr(ex, name).copy() for name in ("counts_", "tfidf_", "vectors_", "lsa_")}
    idf = ex.vectorizer_.idf_.copy()
    expected = ex.transform(bbc["text"].iloc[150:200])
    ex.add(bbc.iloc[150:200])
    for name, old in before.items():
        now = getattr(ex, name)
        assert now.shape[0] == 200
        if sp.issparse(old):
            assert same_csr(now[:150], old), name
        else:
            assert np.array_equal(now[:150], old), name
    assert np.array_equal(ex.vectorizer_.idf_, idf)
    assert same_csr(ex.vectors_[150:], expected)
    assert ex.n_documents_ == 200 and len(ex.metadata_) == 200 and ex.metadata_.index.tolist() == ex.ids_.tolist()
    # the new LSA rows: the new vectors on the fitted components (then centred and normalised)
    assert np.allclose(np.linalg.norm(ex.lsa_[150:], axis=1), 1.0)


def test_refit_equals_a_fit_on_all_with_the_fitted_vocabulary(bbc: pd.DataFrame) -> None:
    ex = ts.Explorer(boilerplate=False).fit(bbc.iloc[:150])
    vocabulary = dict(ex.vectorizer_.vocabulary_)
    idf_before = ex.vectorizer_.idf_.copy()
    ex.add(bbc.iloc[150:], refit=True)
    # the fitted analyzer (its phrases learned from the first articles), as the vocabulary is
    oracle = ts.Explorer(boilerplate=False, vocabulary=vocabulary, analyzer=ex.vectorizer_.analyzer).fit(bbc)
    assert not np.array_equal(ex.vectorizer_.idf_, idf_before)
    assert np.array_equal(ex.vectorizer_.idf_, oracle.vectorizer_.idf_)
    for name in ("counts_", "tfidf_", "vectors_"):
        assert same_csr(getattr(ex, name), getattr(oracle, name)), name
    # the same vectors and seed: the same LSA, bit for bit
    assert np.array_equal(ex.lsa_, oracle.lsa_)
    # what transform makes of a text now uses the new idf
    assert same_csr(ex.transform(bbc["text"].iloc[:3]), oracle.transform(bbc["text"].iloc[:3]))


def test_a_copy_of_an_article_joins_its_cluster_and_is_its_neighbour(bbc: pd.DataFrame) -> None:
    ex = ts.Explorer(boilerplate=False).fit(bbc.iloc[:200])
    clusters = ex.cluster(5)
    row = 17
    report = ex.add([bbc["text"].iloc[row]], ids=["copy"])
    assert report.columns.tolist() == ["index", "id", "language", "cluster", "name", "similarity", "new_theme"]
    assert not report["new_theme"].iloc[0]
    assert np.allclose(ex.lsa_[200], ex.lsa_[row], atol=1e-9)
    assert ex.clusters_.labels_[200] == ex.clusters_.labels_[row]
    assert ex.clusters_.labels_[:200].tolist() == clusters.labels_.tolist()
    similar = ex.similar("copy", k=1)
    assert similar["id"].tolist() == [bbc["id"].iloc[row]]
    assert similar["score"].iloc[0] == pytest.approx(1.0)


def gilets_jaunes_french(corpora_dir: Path, n: int) -> pd.DataFrame:
    path = corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    chosen = [r for r in records if r["lang"] == "fr" and r["label"] == "gilets_jaunes"][:n]
    return pd.DataFrame({"id": [r["id"] for r in chosen], "text": [r["text"] for r in chosen]})


def test_articles_like_the_clusters_fit_and_others_are_new_themes(bbc: pd.DataFrame, corpora_dir: Path) -> None:
    known = bbc[bbc["topic"].isin(["sport", "business"])]
    ex = ts.Explorer().fit(known.iloc[::2])
    before = ex.cluster(2)
    purity = pd.crosstab(before.labels_, known["topic"].iloc[::2].to_numpy()).max(axis=1).sum() / len(before.labels_)
    assert purity >= 0.95  # a topic a cluster
    held_out = known.iloc[1::2]
    french = gilets_jaunes_french(corpora_dir, 20)
    report = ex.add(pd.concat([held_out, french])[["id", "text"]])
    # held-out articles of the clusters' topics join them, and the cluster of their topic
    joined = report.iloc[:len(held_out)]
    assert (~joined["new_theme"]).mean() >= 0.9, joined
    topic_of_cluster = pd.Series(known["topic"].iloc[::2].to_numpy()).groupby(before.labels_).agg(
        lambda topics: topics.mode()[0])
    fitted = joined[~joined["new_theme"]]
    first_topic_cluster = {topic: int(ex.clusters_.labels_[np.flatnonzero(before.labels_ == c)[0]])
                           for c, topic in topic_of_cluster.items()}
    expected = held_out["topic"].to_numpy()[~joined["new_theme"].to_numpy()]
    assert (fitted["cluster"].to_numpy() == [first_topic_cluster[t] for t in expected]).mean() >= 0.95
    # French articles fit no English cluster: new themes, in new clusters named by their words
    french_rows = report.iloc[len(held_out):]
    assert french_rows["new_theme"].all(), french_rows
    assert not set(french_rows["cluster"]) & set(fitted["cluster"])
    biggest = french_rows["cluster"].value_counts().index[0]
    assert french_rows["cluster"].value_counts().iloc[0] >= 10
    assert ex.clusters_.n_clusters_ >= 3
    # named by the fitted vocabulary's words (BBC's): the French words BBC articles have too
    assert "france" in ex.clusters_.names_[biggest].lower()  # shown as written: "France"
    # the assignment is visible everywhere the clusters are: sizes add up, themes are computed
    assert int(ex.clusters_.sizes_.sum()) == ex.n_documents_
    assert set(ex.clusters_.themes(3)["cluster"]) == set(range(ex.clusters_.n_clusters_))


def test_a_larger_quantile_flags_more_articles(bbc: pd.DataFrame) -> None:
    known = bbc[bbc["topic"].isin(["politics", "tech"])]
    flagged = []
    for quantile in (0.0, 0.05, 0.3, 0.6):
        ex = ts.Explorer().fit(known.iloc[::2])
        ex.cluster(2)
        flagged.append(ex.add(bbc[~bbc["topic"].isin(["politics", "tech"])].iloc[::4],
                              new_theme_quantile=quantile)["new_theme"].to_numpy())
    for fewer, more in zip(flagged, flagged[1:]):
        assert not (fewer & ~more).any()  # every article flagged at a quantile is flagged at a larger one
    assert flagged[0].sum() < flagged[-1].sum()


def test_names_given_to_clusters_follow_them(bbc: pd.DataFrame) -> None:
    ex = ts.Explorer().fit(bbc.iloc[:120])
    clusters = ex.cluster(3)
    first_doc = int(np.flatnonzero(clusters.labels_ == 1)[0])
    clusters.rename({1: "my theme"})
    ex.add(bbc.iloc[120:140])
    assert ex.clusters_.names_[ex.clusters_.labels_[first_doc]] == "my theme"


def test_adding_is_deterministic_whatever_the_thread_count(bbc: pd.DataFrame) -> None:
    results = []
    for threads in (1, 2):
        with _threads(threads):
            ex = ts.Explorer(cross_language=True).fit(bbc.iloc[:100])
            ex.cluster(3)
            report = ex.add(bbc.iloc[100:160])
            results.append((ex.lsa_.copy(), ex.vectors_.copy(), report))
    assert np.array_equal(results[0][0], results[1][0])
    assert same_csr(results[0][1], results[1][1])
    pd.testing.assert_frame_equal(results[0][2], results[1][2])


class _threads:
    def __init__(self, n: int) -> None:
        self.n = n

    def __enter__(self) -> None:
        self.before = ts.get_num_threads()
        ts.set_num_threads(self.n)

    def __exit__(self, *exc: Any) -> None:
        ts.set_num_threads(self.before)


def test_save_load_then_add(bbc: pd.DataFrame, tmp_path: Path) -> None:
    ex = ts.Explorer().fit(bbc.iloc[:100])
    ex.cluster(3)
    path = tmp_path / "collection.tsc"
    ex.save(path)
    loaded = ts.Explorer.load(path)  # memory-mapped, read-only arrays
    loaded.add(bbc.iloc[100:130])
    ex.add(bbc.iloc[100:130])
    assert same_csr(loaded.vectors_, ex.vectors_)
    assert np.array_equal(loaded.lsa_, ex.lsa_)
    assert loaded.clusters_.labels_.tolist() == ex.clusters_.labels_.tolist()
    assert_search_equal(loaded, ex, titles(bbc.iloc[:130]))
    # and the grown collection round-trips
    loaded.save(path)
    again = ts.Explorer.load(path)
    assert again.search("oil prices", k=3)["id"].tolist() == ex.search("oil prices", k=3)["id"].tolist()


def test_bad_input(bbc: pd.DataFrame) -> None:
    ex = ts.Explorer().fit(bbc.iloc[:30])
    n = ex.n_documents_
    with pytest.raises(ValueError, match="at least one document"):
        ex.add([], ids=[])
    with pytest.raises(ValueError, match="already in the collection"):
        ex.add(bbc.iloc[:2])
    with pytest.raises(ValueError, match="ids of its own"):
        ex.add(["an article without an id"])
    with pytest.raises(TypeError, match="refit"):
        ex.add(bbc.iloc[30:31], refit="yes")
    with pytest.raises(ValueError, match="new_theme_quantile"):
        ex.add(bbc.iloc[30:31], new_theme_quantile=1.5)
    with pytest.raises(TypeError, match="document 1"):
        ex.add(["fine", 3], ids=["a", "b"])
    with pytest.raises(ValueError, match="missing"):
        ex.add(["fine", None], ids=["a", "b"])
    assert ex.n_documents_ == n  # nothing was added by a refused call
    with pytest.raises(Exception, match="not fitted"):
        ts.Explorer().add(["x"])
    # default ids continue 0..n-1
    plain = ts.Explorer().fit(bbc["text"].iloc[:10].tolist())
    assert plain.add(bbc["text"].iloc[10:12].tolist())["id"].tolist() == [10, 11]
    # an index saved without term counts (an earlier themescope) cannot grow: said, not crashed
    del plain.search_.__dict__["term_counts"]
    idf = plain.vectorizer_.idf_.copy()
    for refit in (False, True):
        with pytest.raises(ValueError, match="fit the collection again"):
            plain.add(["one more"], refit=refit)
    assert plain.n_documents_ == 12 and np.array_equal(plain.vectorizer_.idf_, idf)  # left as it was


def test_an_article_with_no_known_word_is_added_and_searchable(bbc: pd.DataFrame) -> None:
    ex = ts.Explorer().fit(bbc.iloc[:30])
    report = ex.add(["Zyxwvut qwertzuiop"], ids=["odd"])
    assert ex.vectors_[[ex.n_documents_ - 1]].nnz == 0  # no fitted term: a zero vector, no NaN
    assert np.isfinite(ex.lsa_).all()
    assert report["id"].tolist() == ["odd"]
    assert ex.search("qwertzuiop", k=1)["id"].tolist() == ["odd"]


def test_an_article_mostly_of_unknown_words_is_a_new_theme_though_its_known_words_fit(bbc: pd.DataFrame) -> None:
    # The cosine sees the fitted vocabulary only: a held-out sport article drowned in words the
    # collection never had has the held-out article's vector, which fits its cluster. The share of
    # its text in the vocabulary says it is something else.
    known = bbc[bbc["topic"].isin(["sport", "business"])]
    sport = known[known["topic"] == "sport"]
    ex = ts.Explorer().fit(known.drop(index=sport.index[-1]))
    ex.cluster(2)
    article = sport["text"].iloc[-1]
    syllables = ["zor", "blat", "quin", "vex", "morb", "crax", "fen", "drin", "plim", "wum"]
    unknown = " ".join(a + b + c for a, b, c in itertools.product(syllables, repeat=3))  # 1,000 made-up words
    report = ex.add([article, article + "\n\n" + unknown], ids=["as written", "drowned"])
    assert np.isclose(report["similarity"].iloc[0], report["similarity"].iloc[1])  # the same vector
    assert not report["new_theme"].iloc[0]
    assert report["new_theme"].iloc[1]


def test_top_terms_after_add_are_those_of_a_fit_on_every_article() -> None:
    """Explorer.add grows headlines_ and the search index: the added article's own name (a word
    no fitted article has) is among its top terms, and every article's top terms are those of
    one fit on all of them, the vectorizer's vocabulary and idf aside (add keeps them: refit=True
    recomputes idf on the same terms), which the words' scores do not use."""
    texts = ["Harbour strike\n\nThe harbour workers strike. Boats wait at the harbour.",
             "Boats race\n\nBoats race past the harbour and the ferry.",
             "Ferry delays\n\nThe ferry waits for the dockers."]
    added = ["Zanzibar ferry sinks\n\nThe ferry sank near the harbour. Boats came."]
    grown = ts.Explorer(language="en", boilerplate=False).fit(texts)
    before = grown.top_terms(n=3)  # the scores are kept for the next call (Explorer._key_terms)...
    assert "_key_term_scores" not in pickle.loads(pickle.dumps(grown)).__dict__  # ...but not saved
    grown.add(added, refit=True)  # ...and made again after add
    whole = ts.Explorer(language="en", boilerplate=False).fit(texts + added)
    assert 3 not in before["document"].tolist()
    assert grown.headlines_.tolist() == ["Harbour strike", "Boats race", "Ferry delays", "Zanzibar ferry sinks"]
    top = grown.top_terms(n=3)
    assert "Zanzibar" in top[top["document"] == 3]["term"].tolist()
    expected = whole.top_terms(n=3)
    # the same vocabulary: no phrase in these texts, so the words decide everything
    assert not any(" " in str(term) for term in whole.vectorizer_.get_feature_names_out())
    pd.testing.assert_frame_equal(top, expected)


def test_add_keeps_the_boilerplate_counts_of_every_article() -> None:
    """The lines boilerplate removal takes from added articles are left out of their top terms too:
    boilerplate_counts_ grows by their rows (the fitted rows kept), each the search index's counts
    of the removed lines, which the index holds (the counts never exceed the index's)."""
    articles = ts.datasets.load_sample_articles()
    explorer = ts.Explorer().fit(articles.data[:3], ids=articles.ids[:3])
    fitted = explorer.boilerplate_counts_.copy()
    assert fitted.nnz > 0  # the scraped sample pages have boilerplate lines
    explorer.add(articles.data[3:], ids=articles.ids[3:])
    grown = explorer.boilerplate_counts_
    n_terms = len(explorer.search_.vocabulary)
    assert grown.shape == (5, n_terms)
    assert (grown[:3, : fitted.shape[1]] != fitted).nnz == 0 and grown[:3, fitted.shape[1]:].nnz == 0
    weights = explorer.search_.index.weights_
    index_counts = sp.csr_array((explorer.search_.term_counts, weights.indices, weights.indptr), shape=weights.shape)
    assert (grown > index_counts).nnz == 0
    assert grown[3:].nnz > 0
    top = explorer.top_terms(n=6)
    assert sorted(set(top["document"])) == articles.ids


def test_top_terms_leave_out_the_function_words_of_articles_added_in_a_new_language() -> None:
    # "selon" and "depuis" (news function words of French) are columns the search index grows
    # at add: no fitted article is French; they are left out as in a fitted French article
    texts = ["Harbour strike\n\nThe harbour workers strike again this week. Boats wait at the harbour for the dockers.",
             "Boats race\n\nBoats race past the harbour and the ferry on a sunny day with many people watching.",
             "Ferry delays\n\nThe ferry waits for the dockers, who say the strike will go on for days."]
    added = ["Grève au port\n\nSelon les dockers, la grève du port continuera. Selon le syndicat, selon la mairie "
             "et selon les marins, les bateaux attendent au port depuis lundi matin."]
    explorer = ts.Explorer(boilerplate=False).fit(texts)
    explorer.add(added)
    assert explorer.languages_.tolist() == ["en", "en", "en", "fr"]
    top = explorer.top_terms(n=8)
    terms = top.loc[top["document"] == 3, "term"].tolist()
    assert {"port", "Grève", "bateaux"} <= set(terms), terms
    assert not {"Selon", "selon", "depuis"} & set(terms), terms
