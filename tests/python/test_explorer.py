"""ts.Explorer on the sample articles and on small hand-made corpora.

Oracles: brute-force cosine (dense, for a handful of documents) for the
neighbours, a per-cluster loop of BERTopic's c-TF-IDF formula for the themes,
TfidfTransformer for the counts behind the vectors, planted topics and planted
duplicates for clusters and duplicate groups.
"""

from __future__ import annotations

from typing import Any

import logging
import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

import themescope as ts
from themescope import plotting
from themescope._keyterms import HEADLINE_FACTOR
from themescope._themes import cluster_concentration
from themescope.explorer import class_tfidf

log = logging.getLogger(__name__)

ARTICLES = ts.datasets.load_sample_articles()

TOPICS = {
    "sport": "match goal team player coach league season striker stadium referee penalty trophy".split(),
    "economy": "market bank inflation price shares investors growth profit trade currency budget tax".split(),
    "space": "telescope planet astronomers orbit galaxy rocket satellite moon comet nasa launch crater".split(),
}


def planted_topics(per_topic: int = 12, words: int = 25, seed: int = 0) -> tuple[list[str], list[str]]:
    """Documents drawn from three disjoint vocabularies (plus shared filler words)."""
    rng = np.random.default_rng(seed)
    filler = "report week people year city official news story".split()
    docs, labels = [], []
    for topic, pool in TOPICS.items():
        for _ in range(per_topic):
            tokens = list(rng.choice(pool, size=words)) + list(rng.choice(filler, size=5))
            docs.append(" ".join(tokens))
            labels.append(topic)
    return docs, labels


def brute_force_top_k(V: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Oracle: every cosine, self excluded, best first, ties by lower index."""
    S = V @ V.T
    n = len(S)
    indices = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        candidates = sorted((j for j in range(n) if j != i), key=lambda j: (-S[i, j], j))
        indices[i] = candidates[:k]
    return indices, np.take_along_axis(S, indices, axis=1)


@pytest.fixture(scope="module")
def samples() -> ts.Explorer:
    return ts.Explorer().fit(ARTICLES.data, ids=ARTICLES.ids)


@pytest.fixture(scope="module")
def planted() -> tuple[ts.Explorer, list[str]]:
    docs, labels = planted_topics()
    return ts.Explorer(language="en", boilerplate=False).fit(docs), labels


# ---- fitting and fitted attributes -------------------------------------------------

def test_fitted_attributes(samples: ts.Explorer) -> None:
    ex = samples
    assert ex.ids_.tolist() == ARTICLES.ids
    assert ex.languages_.tolist() == ts.detect_languages(ex.boilerplate_.transform(ARTICLES.data))
    assert ex.languages_.tolist() == ["fr", "fr", "en", "fr", "fr"]
    assert sp.issparse(ex.vectors_) and ex.vectors_.format == "csr" and ex.vectors_.dtype == np.float64
    norms = np.sqrt(ex.vectors_.multiply(ex.vectors_).sum(axis=1))
    np.testing.assert_allclose(norms, 1.0)
    assert isinstance(ex.vectorizer_, ts.TfidfVectorizer)
    assert ex.vectorizer_.sublinear_tf is True and ex.vectorizer_.min_df == 2
    assert isinstance(ex.vectorizer_.analyzer, ts.Analyzer)
    assert ex.feature_names_.tolist() == ex.vectorizer_.get_feature_names_out(display=True).tolist()
    assert ex.lsa_.shape == (5, 4)  # at most n_documents - 1 components


def test_counts_are_the_counts_behind_the_vectors(samples: ts.Explorer) -> None:
    # The themes use counts_: they must be exactly what the TF-IDF was computed from.
    weighted = ts.TfidfTransformer(sublinear_tf=True).fit(samples.counts_)
    np.testing.assert_allclose(weighted.idf_, samples.vectorizer_.idf_)
    np.testing.assert_allclose(weighted.transform(samples.counts_).toarray(), samples.tfidf_.toarray())


def test_boilerplate_is_removed_before_vectorizing() -> None:
    cleaned = ts.Explorer(boilerplate=True).fit(ARTICLES.data)
    raw = ts.Explorer(boilerplate=False).fit(ARTICLES.data)
    assert raw.boilerplate_ is None and len(cleaned.boilerplate_.report_) > 0
    assert cleaned.counts_.sum() < raw.counts_.sum()


def test_vectorizer_options_pass_through_and_are_parameters() -> None:
    ex = ts.Explorer(min_df=1, sublinear_tf=False, max_features=50)
    assert ex.get_params()["min_df"] == 1 and ex.get_params()["max_features"] == 50
    ex.fit(ARTICLES.data)
    assert ex.vectorizer_.min_df == 1 and ex.vectorizer_.sublinear_tf is False
    assert ex.vectors_.shape[1] == 50


def test_input_forms_give_the_same_vectors(samples: ts.Explorer) -> None:
    series = pd.Series(ARTICLES.data, index=pd.Index(ARTICLES.ids, name="id"))
    frame = pd.DataFrame({"id": ARTICLES.ids, "text": ARTICLES.data})
    for texts in (series, frame):
        ex = ts.Explorer().fit(texts)
        assert ex.ids_.tolist() == ARTICLES.ids
        assert (ex.vectors_ != samples.vectors_).nnz == 0
    # A plain list or a default-indexed Series: ids are positions.
    assert ts.Explorer().fit(pd.Series(ARTICLES.data)).ids_.tolist() == [0, 1, 2, 3, 4]
    assert ts.Explorer().fit(tuple(ARTICLES.data)).ids_.tolist() == [0, 1, 2, 3, 4]


def test_same_input_same_bits_whatever_the_thread_count() -> None:
    before = ts.get_num_threads()
    try:
        runs = []
        for threads in (1, 2, 1):
            ts.set_num_threads(threads)
            ex = ts.Explorer(cross_language=False).fit(ARTICLES.data)
            runs.append((ex.vectors_.toarray(), ex.lsa_, ex.neighbors(2), ex.cluster(2).labels_, ex.map2d(),
                         ex.top_terms(10)))
    finally:
        ts.set_num_threads(before)
    for other in runs[1:]:
        assert np.array_equal(runs[0][0], other[0]) and np.array_equal(runs[0][1], other[1])
        assert np.array_equal(runs[0][2][0], other[2][0]) and np.array_equal(runs[0][2][1], other[2][1])
        assert np.array_equal(runs[0][3], other[3])
        pd.testing.assert_frame_equal(runs[0][4], other[4])
        pd.testing.assert_frame_equal(runs[0][5], other[5], check_exact=True)


def test_progress_is_quiet_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    ts.Explorer().fit(ARTICLES.data)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


# ---- similarity ----------------------------------------------------------------------

def test_neighbors_match_brute_force(samples: ts.Explorer, planted: tuple[ts.Explorer, list[str]]) -> None:
    for ex, k in ((samples, 4), (planted[0], 7)):
        indices, scores = ex.neighbors(k=k)
        expected_indices, expected_scores = brute_force_top_k(ex.vectors_.toarray(), k)
        assert indices.dtype == np.int64 and scores.dtype == np.float64
        np.testing.assert_allclose(scores, expected_scores, atol=1e-12)
        # Indices equal wherever the scores are not tied (ties: lower index first, checked below).
        assert np.array_equal(indices, expected_indices)


def test_similar_is_the_neighbors_row_as_a_table(samples: ts.Explorer) -> None:
    indices, scores = samples.neighbors(k=3)
    table = samples.similar("002", k=3)
    assert table.columns.tolist() == ["rank", "index", "id", "score", "language", "shared_terms"]
    assert table["index"].tolist() == indices[2].tolist()
    np.testing.assert_allclose(table["score"], scores[2])
    assert table["id"].tolist() == [ARTICLES.ids[i] for i in indices[2]]
    # By position as well as by id; and each shared term is in both documents.
    pd.testing.assert_frame_equal(samples.similar(2, k=3), table)
    first = samples.shared_terms("002", table["id"][0], n=5)
    assert (first["weight_a"] > 0).all() and (first["weight_b"] > 0).all()
    assert first["weight"].is_monotonic_decreasing
    np.testing.assert_allclose(first["weight"], first["weight_a"] * first["weight_b"])


def test_query_finds_each_document_itself(samples: ts.Explorer) -> None:
    indices, scores = samples.query(ARTICLES.data, k=2)
    assert indices[:, 0].tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(scores[:, 0], 1.0)
    np.testing.assert_allclose(samples.transform(ARTICLES.data).toarray(), samples.vectors_.toarray(), atol=1e-12)


def test_duplicates_finds_planted_copies() -> None:
    docs = list(ARTICLES.data)
    # Exact copies of 000 (twice) and 003, and 002 with a paragraph from its middle cut. (Its
    # last line, "Share This", is not enough: once the phrase stage joins its other "share", the
    # lone one is in one document only, pruned by min_df=2, and the copy becomes exact.)
    lines = docs[2].split("\n")
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip())
    cut = "\n".join(lines[:middle] + lines[middle + 1:])
    corpus = docs + [docs[0], docs[3], cut, docs[0]]
    ex = ts.Explorer(boilerplate=False).fit(corpus)
    groups = ex.duplicates(threshold=0.9)
    assert groups.columns.tolist() == ["group", "index", "id", "similarity"]
    as_lists = groups.groupby("group")["index"].agg(list).tolist()
    assert as_lists == [[0, 5, 8], [2, 7], [3, 6]]
    assert groups["group"].tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert (groups["similarity"] >= 0.9).all()
    # Only the exact copies reach 1; a bad threshold is an error.
    assert ex.duplicates(threshold=1.0 - 1e-9)["index"].tolist() == [0, 5, 8, 3, 6]
    for bad in (0, 1.5, "high"):
        with pytest.raises(ValueError, match="threshold"):
            ex.duplicates(threshold=bad)
    # With boilerplate removal on, a copied pair keeps its text (it is not "recurring").
    paired = ts.Explorer().fit(docs + [docs[1]])
    assert paired.duplicates()["index"].tolist() == [1, 5]


def test_an_empty_document_among_others_has_a_zero_vector(samples: ts.Explorer) -> None:
    ex = ts.Explorer().fit(ARTICLES.data + ["   "])
    assert ex.vectors_[[5]].nnz == 0
    indices, scores = ex.neighbors(k=5)
    assert np.all(scores[5] == 0) and sorted(indices[5]) == [0, 1, 2, 3, 4]
    assert 5 not in ex.duplicates()["index"].tolist()


# ---- clusters and themes ---------------------------------------------------------------

@pytest.mark.parametrize("method", ["kmeans", "agglomerative"])
def test_planted_topics_are_recovered(planted: tuple[ts.Explorer, list[str]], method: str) -> None:
    ex, labels = planted
    result = ex.cluster(3, method=method)
    assert adjusted_rand_score(labels, result.labels_) == 1.0
    assert result.labels_.dtype == np.int64 and result.sizes_.tolist() == [12, 12, 12]
    themes = result.themes(n_terms=5)
    for cluster in range(3):
        topic = labels[int(np.flatnonzero(result.labels_ == cluster)[0])]
        terms = themes[themes["cluster"] == cluster]["term"].tolist()
        assert set(terms) <= set(TOPICS[topic]), (topic, terms)
        assert result.names_[cluster] == ", ".join(terms[:3])
    assert ex.clusters_ is result


def test_clusters_are_numbered_by_size() -> None:
    docs, labels = planted_topics()
    docs = docs[:12] + docs[12:20] + docs[24:28]  # 12 sport, 8 economy, 4 space
    ex = ts.Explorer(language="en", boilerplate=False).fit(docs)
    result = ex.cluster(3)
    assert result.sizes_.tolist() == [12, 8, 4]
    assert result.labels_.tolist() == [0] * 12 + [1] * 8 + [2] * 4
    summary = result.summary()
    assert summary["size"].tolist() == [12, 8, 4] and summary["name"].tolist() == result.names_.tolist()


def test_agglomerative_is_scipy_ward_on_the_lsa_vectors(planted: tuple[ts.Explorer, list[str]]) -> None:
    from scipy.cluster import hierarchy

    ex, _ = planted
    result = ex.cluster(4, method="agglomerative")
    expected = hierarchy.fcluster(hierarchy.linkage(ex.lsa_, method="ward"), t=4, criterion="maxclust")
    assert adjusted_rand_score(expected, result.labels_) == 1.0
    np.testing.assert_array_equal(result.linkage_, hierarchy.linkage(ex.lsa_, method="ward"))


def test_class_tfidf_is_bertopics_formula() -> None:
    # Hand-worked: classes of 4 and 5 words, A = int(4.5) = 4, term frequencies 3, 2, 4.
    counts = np.array([[3, 1, 0], [0, 1, 4]])
    tf = np.array([[3 / 4, 1 / 4, 0], [0, 1 / 5, 4 / 5]])
    idf = np.log([1 + 4 / 3, 1 + 4 / 2, 1 + 4 / 4])
    np.testing.assert_allclose(class_tfidf(counts, reduce_frequent_words=False), tf * idf)
    np.testing.assert_allclose(class_tfidf(counts), np.sqrt(tf) * idf)
    # Sparse input, and a class with no words, give no NaN.
    np.testing.assert_allclose(class_tfidf(sp.csr_array(np.array([[3, 1, 0], [0, 0, 0]])))[1], 0.0)


def shown_once(weights: np.ndarray, terms: Any) -> np.ndarray:
    """What a reader is shown (plain loops, the reference of themescope.phrases): a word is left out
    of a row where a phrase holding it ("États-Unis" for "états") weighs at least as much (its other
    word may be no feature)."""
    weights = np.array(weights, dtype=float)
    column = {str(t): i for i, t in enumerate(terms)}
    hidden = np.zeros(weights.shape, dtype=bool)
    for phrase, p in column.items():
        words = phrase.split(" ")
        if len(words) != 2:
            continue
        for row in range(weights.shape[0]):
            for word in words:
                if word not in column:
                    continue
                w = column[word]
                if weights[row, p] > 0 and weights[row, p] >= weights[row, w]:
                    hidden[row, w] = True
    weights[hidden] = 0.0
    return weights


def test_themes_are_class_tfidf_of_the_cluster_counts(samples: ts.Explorer) -> None:
    result = samples.cluster(2)
    counts = samples.counts_.toarray().astype(float)
    per_cluster = np.vstack([counts[result.labels_ == c].sum(axis=0) for c in range(2)])
    average = int(per_cluster.sum(axis=1).mean())
    expected = np.sqrt(per_cluster / per_cluster.sum(axis=1, keepdims=True)) * np.log(
        1 + average / per_cluster.sum(axis=0))
    # times the concentration in some clusters (tests/python/test_themes.py), function words aside
    expected *= cluster_concentration(per_cluster)
    expected[:, samples.function_terms_] = 0.0
    expected = shown_once(expected, samples.vectorizer_.get_feature_names_out())
    themes = result.themes(n_terms=4)
    assert themes.columns.tolist() == ["cluster", "rank", "term", "weight"]
    for c in range(2):
        best = np.argsort(-expected[c], kind="stable")[:4]
        rows = themes[themes["cluster"] == c]
        assert rows["rank"].tolist() == [1, 2, 3, 4]
        assert rows["term"].tolist() == samples.feature_names_[best].tolist()
        np.testing.assert_allclose(rows["weight"], expected[c, best])


def key_term_reference(explorer: ts.Explorer, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The top terms' scores, by plain loops and scikit-learn (the reference of themescope._keyterms):
    every word of what boilerplate removal left of every article (min_df=1, the search index's
    analyzer applied to each text alone),
    the vectorizer's phrases from counts_, each TfidfTransformer(sublinear_tf=True, norm=None)
    (``(1 + ln tf) · idf``, smooth idf), times HEADLINE_FACTOR where the headline holds the term;
    stop words and news function words zeroed, a word shown once in a phrase above it."""
    from sklearn.feature_extraction.text import CountVectorizer as SkCountVectorizer, TfidfTransformer

    analyzer = explorer.search_.counter.analyzer
    per_language = {lang: clone(analyzer).set_params(language=lang) for lang in set(explorer.languages_)}
    single = {lang: clone(analyzer).set_params(language=lang, stop_words=None) for lang in per_language}
    if explorer.boilerplate_ is not None:
        docs = explorer.boilerplate_.transform(docs, languages=explorer.languages_)
    pairs = list(zip(docs, explorer.languages_))
    counter = SkCountVectorizer(analyzer=lambda pair: per_language[pair[1]](pair[0]), lowercase=False).fit(pairs)
    counts = counter.transform(pairs)
    headline = counter.transform(list(zip(explorer.headlines_, explorer.languages_))).toarray() > 0
    words = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(counts).toarray()
    words *= np.where(headline, HEADLINE_FACTOR, 1)
    word_terms = counter.get_feature_names_out()
    function = set()
    for lang in per_language:
        for word in ts.lexicon.news_function_words(lang):
            function.update(single[lang](word))
        # stop words: those of each article's own language (an English article keeps "son")
        stop = {term for word in ts.stop_words(lang) for term in single[lang](word)}
        words[np.ix_(np.asarray(explorer.languages_) == lang, [t in stop for t in word_terms])] = 0.0
    words[:, [t in function for t in word_terms]] = 0.0
    names = explorer.vectorizer_.get_feature_names_out()
    phrases = [j for j, t in enumerate(names) if " " in t and not explorer.function_terms_[j]]
    phrase_weights = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(
        explorer.counts_[:, phrases]).toarray()
    in_headline = explorer.vectorizer_.transform(list(explorer.headlines_)).toarray()[:, phrases] > 0
    phrase_weights *= np.where(in_headline, HEADLINE_FACTOR, 1)
    terms = np.concatenate([word_terms, names[phrases]])
    return shown_once(np.hstack([words, phrase_weights]), terms), terms


def test_top_terms_are_each_rows_key_terms(samples: ts.Explorer) -> None:
    top = samples.top_terms(n=4)
    assert top.columns.tolist() == ["document", "rank", "term", "weight"]
    # the headline: the first line of the text left after boilerplate removal
    assert samples.headlines_.tolist() == [
        next(line.strip() for line in text.splitlines() if line.strip())
        for text in samples.boilerplate_.transform(ARTICLES.data, languages=samples.languages_)]
    expected, terms = key_term_reference(samples, ARTICLES.data)
    for row, doc_id in enumerate(ARTICLES.ids):
        # each article's terms in its language's forms (002 is English): the vectorizer's where it has the term
        language = samples.languages_[row]
        display = dict(zip(samples.search_.counter.get_feature_names_out(),
                           samples.search_.counter.get_feature_names_out(display=True, language=language)))
        display.update(zip(samples.vectorizer_.get_feature_names_out(),
                           samples.vectorizer_.get_feature_names_out(display=True, language=language)))
        rows = top[top["document"] == doc_id]
        assert rows["rank"].tolist() == [1, 2, 3, 4]
        fourth = np.sort(expected[row])[::-1][3]
        np.testing.assert_allclose(rows["weight"], np.sort(expected[row])[::-1][:4])
        # every term above the fourth weight is shown; the others shown tie with the fourth
        above = {display[t] for t in terms[expected[row] > fourth * (1 + 1e-12)]}
        tied = {display[t] for t in terms[np.isclose(expected[row], fourth)]}
        assert above <= set(rows["term"]) <= above | tied, (doc_id, rows["term"].tolist())


def test_top_terms_drop_each_articles_own_stop_words_only() -> None:
    from themescope._keyterms import _drop_stop_words

    # hand-worked: columns son, will, race; rows: an English, a French, an undetermined article
    vocabulary = {"son": 0, "will": 1, "race": 2}
    X = sp.csr_array(np.ones((3, 3)))
    stop = {"fr": {"son"}, "en": {"will"}}
    _drop_stop_words(X, vocabulary, stop, np.array(["en", "fr", "und"], dtype=object))
    # English keeps "son" (a French stop word), French keeps "will"; "und" loses both
    np.testing.assert_array_equal(X.toarray(), [[1, 0, 1], [0, 1, 1], [0, 0, 1]])


def test_top_terms_keep_a_term_of_one_article_without_changing_the_vectors() -> None:
    texts = ["Zanzibar ferry sinks\n\nThe ferry sank near the harbour. Boats came.",
             "Harbour strike\n\nThe harbour workers strike. Boats wait at the harbour.",
             "Boats race\n\nBoats race past the harbour and the ferry."]
    explorer = ts.Explorer(language="en", boilerplate=False).fit(texts)
    assert "zanzibar" not in explorer.vectorizer_.vocabulary_  # min_df=2: not in the vectors
    top = explorer.top_terms(n=3)
    # one article's name, in its headline, is one of its top terms: after "ferry" (headline and
    # body, idf of 2 articles), beside "sinks" (headline, 1 article)
    assert top[top["document"] == 0]["term"].tolist() == ["ferry", "sinks", "Zanzibar"]
    assert "Zanzibar" not in top[top["document"] != 0]["term"].tolist()
    assert top[top["document"] == 0]["weight"].tolist() == pytest.approx(
        [5 * (1 + np.log(2)) * (np.log(4 / 3) + 1), 5 * (np.log(4 / 2) + 1), 5 * (np.log(4 / 2) + 1)])


def test_map2d_is_pca_of_the_lsa_vectors(samples: ts.Explorer) -> None:
    result = samples.cluster(2)
    points = samples.map2d(result)
    assert points.columns.tolist() == ["id", "x", "y", "cluster"]
    assert points["id"].tolist() == ARTICLES.ids and points["cluster"].tolist() == result.labels_.tolist()
    xy = points[["x", "y"]].to_numpy()
    np.testing.assert_allclose(xy.mean(axis=0), 0.0, atol=1e-12)
    assert xy[:, 0].var() >= xy[:, 1].var()
    centered = samples.lsa_ - samples.lsa_.mean(axis=0)
    # The first two principal axes: the projections capture the top singular values.
    singular = np.linalg.svd(centered, compute_uv=False)
    np.testing.assert_allclose(np.linalg.norm(xy, axis=0), singular[:2], rtol=1e-9)


# ---- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("texts", "error", "message"),
    [
        (["only one article"], ValueError, "at least 2 documents, got 1"),
        ([], ValueError, "at least 2 documents, got 0"),
        (["", "  ", "\n"], ValueError, "all 3 documents are empty"),
        ("a single string", TypeError, "single str"),
        (["fine", None], ValueError, r"document 1 is missing \(None\)"),
        (["fine", 3], TypeError, r"document 1 is int \(3\), expected str"),
        (["fine", b"bytes"], TypeError, "decode bytes first"),
        (pd.Series(["a text", np.nan], index=["x", "y"]), ValueError, r"document 1 \(index 'y'\) is missing \(nan\)"),
        (pd.DataFrame({"id": [1, 2], "body": ["a", "b"]}), ValueError, r"missing \['text'\]"),
        (42, TypeError, "iterable of str, got int"),
    ],
)
def test_bad_texts_are_clear_errors(texts: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        ts.Explorer().fit(texts)


def test_bad_ids_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="ids has 4 items for 5 documents"):
        ts.Explorer().fit(ARTICLES.data, ids=ARTICLES.ids[:4])
    with pytest.raises(ValueError, match="'000' appears more than once"):
        ts.Explorer().fit(ARTICLES.data, ids=["000"] * 5)
    with pytest.raises(ValueError, match="ids given twice"):
        ts.Explorer().fit(pd.DataFrame({"id": ARTICLES.ids, "text": ARTICLES.data}), ids=ARTICLES.ids)


def test_bad_parameters_are_clear_errors(samples: ts.Explorer) -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['min_dff'\]"):
        ts.Explorer(min_dff=2)
    with pytest.raises(ValueError, match="Invalid parameter 'bogus'"):
        ts.Explorer().set_params(bogus=1)
    with pytest.raises(TypeError, match="language must be a str"):
        ts.Explorer(language=None).fit(ARTICLES.data)
    with pytest.raises(ValueError, match="cross_language must be False, 'keys' or True, got 'yes'"):
        ts.Explorer(cross_language="yes").fit(ARTICLES.data)
    with pytest.raises(TypeError, match="cross_language must be False, 'keys' or True, got 1"):
        ts.Explorer(cross_language=1).fit(ARTICLES.data)
    with pytest.raises(ValueError, match="cross_language_weight"):
        ts.Explorer(cross_language_weight=2.0).fit(ARTICLES.data)
    with pytest.raises(ValueError, match="method must be one of"):
        samples.cluster(2, method="dbscan")
    with pytest.raises(ValueError, match="n_clusters must be an int or 'auto', got 'many'"):
        samples.cluster("many")
    with pytest.raises(ValueError, match=r"n_clusters=6 is out of range.*5 documents"):
        samples.cluster(6)


@pytest.mark.parametrize(
    ("k", "error", "message"),
    [
        (5, ValueError, r"k=5 is out of range: it must be between 1 and 4 \(the corpus has 5 documents\)"),
        (99, ValueError, "k=99 is out of range"),
        (0, ValueError, "k=0 is out of range"),
        (-1, ValueError, "k=-1 is out of range"),
        (2.0, TypeError, "k must be an int, got float 2.0"),
        (True, TypeError, "k must be an int, got bool"),
    ],
)
def test_bad_k_is_a_clear_error(samples: ts.Explorer, k: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        samples.neighbors(k=k)
    with pytest.raises(error, match=message):
        samples.similar("000", k=k)


def test_query_allows_k_up_to_the_corpus_size(samples: ts.Explorer) -> None:
    indices, scores = samples.query(["cyber alliance"], k=5)
    # Every article holding a query term, once; the rest of the row is padding (-1, NaN).
    found = indices[0][indices[0] >= 0]
    assert len(found) >= 2 and len(set(found.tolist())) == len(found)
    assert (scores[0][: len(found)] > 0).all() and np.isnan(scores[0][len(found):]).all()
    with pytest.raises(ValueError, match="k=6 is out of range"):
        samples.query(["cyber alliance"], k=6)
    with pytest.raises(TypeError, match="pass \\[text\\]"):
        samples.query("cyber alliance")


def test_unknown_id_is_a_key_error(samples: ts.Explorer) -> None:
    with pytest.raises(KeyError, match="'999' is neither a document id nor a position 0..4"):
        samples.similar("999")
    with pytest.raises(KeyError, match="5 is neither"):
        samples.similar(5)
    assert samples.position("004") == 4 and samples.position(4) == 4


def test_not_fitted_is_sklearns_error() -> None:
    with pytest.raises(NotFittedError):
        ts.Explorer().neighbors()


# ---- estimator conventions ------------------------------------------------------------------

def test_init_stores_parameters_only() -> None:
    ex = ts.Explorer(language="fr", boilerplate=False, cross_language=True, random_state=3,
                     cross_language_weight=0.4, min_df=3)
    assert ex.get_params() == {"language": "fr", "boilerplate": False, "cross_language": True, "random_state": 3,
                               "cross_language_weight": 0.4, "min_df": 3, "weighting": "tfidf",
                               "bm25_k1": 1.2, "bm25_b": 0.75}
    assert not [name for name in vars(ex) if name.endswith("_")]
    twin = clone(ex)
    assert twin.get_params() == ex.get_params() and twin is not ex
    ex.set_params(min_df=1, max_df=0.9, language="en")
    assert ex.get_params()["min_df"] == 1 and ex.get_params()["max_df"] == 0.9 and ex.language == "en"
    assert "min_df=1" in repr(ex)


def test_pickled_explorer_gives_the_same_results(samples: ts.Explorer) -> None:
    samples.cluster(2)
    copy = pickle.loads(pickle.dumps(samples))
    for method in ("neighbors",):
        a, b = getattr(samples, method)(k=3), getattr(copy, method)(k=3)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    pd.testing.assert_frame_equal(samples.similar("001", 3), copy.similar("001", 3))
    pd.testing.assert_frame_equal(samples.top_terms(5), copy.top_terms(5))
    pd.testing.assert_frame_equal(samples.map2d(), copy.map2d())
    pd.testing.assert_frame_equal(samples.cluster(2).themes(), copy.cluster(2).themes())
    a, b = samples.query(["cyber"], k=2), copy.query(["cyber"], k=2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert (copy.vectors_ != samples.vectors_).nnz == 0


# ---- figures -------------------------------------------------------------------------------------

def test_similarity_heatmap_draws_the_block_ordered_by_cluster(planted: tuple[ts.Explorer, list[str]]) -> None:
    ex, _ = planted
    result = ex.cluster(3)
    fig = ex.plot_similarity(result)
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # heatmap and colour bar
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (36, 36)
    # Ordered by cluster: the three 12×12 diagonal blocks hold the high similarities.
    blocks = np.kron(np.eye(3), np.ones((12, 12))).astype(bool)
    assert image[blocks].mean() > 3 * image[~blocks].mean()
    assert len(fig.axes[0].lines) == 4  # two boundaries, each a horizontal and a vertical line
    # Many documents: a sample of each cluster, never the whole n × n.
    small = plotting.similarity_heatmap(ex, result, max_documents=9)
    sampled = small.axes[0].images[0].get_array()
    assert sampled.shape == (9, 9) and len(small.axes[0].lines) == 4
    assert "9 of 36 documents" in small.axes[0].get_title()


def test_cluster_map_has_one_scatter_per_cluster(planted: tuple[ts.Explorer, list[str]]) -> None:
    ex, _ = planted
    result = ex.cluster(3)
    fig = ex.plot_map(result)
    (ax,) = fig.axes
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 3
    assert [len(c.get_offsets()) for c in scatters] == result.sizes_.tolist()
    points = ex.map2d(result)
    np.testing.assert_allclose(scatters[1].get_offsets(), points[points["cluster"] == 1][["x", "y"]].to_numpy())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"{c}: {result.names_[c]} (12)" for c in range(3)]


def test_theme_bars_have_one_panel_per_cluster_and_one_bar_per_term(
        planted: tuple[ts.Explorer, list[str]]) -> None:
    ex, _ = planted
    result = ex.cluster(3)
    fig = result.plot_themes(n_terms=5, columns=2)
    assert isinstance(fig, Figure) and len(fig.axes) == 3  # the fourth panel of the 2×2 grid is removed
    themes = result.themes(5)
    for cluster, ax in enumerate(fig.axes):
        assert len(ax.patches) == 5
        widths = [bar.get_width() for bar in sorted(ax.patches, key=lambda b: -b.get_y())]
        np.testing.assert_allclose(widths, themes[themes["cluster"] == cluster]["weight"])
        top_down = sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda tick: -tick[0])
        assert [label.get_text() for _, label in top_down] == themes[themes["cluster"] == cluster]["term"].tolist()


def _segments(ax: object) -> int:
    return sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))  # type: ignore[attr-defined]


def test_dendrograms(planted: tuple[ts.Explorer, list[str]]) -> None:
    ex, _ = planted
    tree = ex.cluster(3, method="agglomerative").plot_dendrogram(leaves=10)
    (ax,) = tree.axes
    assert _segments(ax) == 9  # 10 leaves: 9 merges drawn
    assert len(ax.lines) == 1  # the cut
    full = ex.cluster(3, method="agglomerative").plot_dendrogram(leaves=50)
    assert _segments(full.axes[0]) == 35  # all 36 documents
    centroids = ex.cluster(3).plot_dendrogram()
    (ax,) = centroids.axes
    assert _segments(ax) == 2
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(
        f"{c}: {name}" for c, name in enumerate(ex.clusters_.names_))


# ---- cross-language: the same story in French and English ------------------------------------

def test_cross_language_pairs_the_quad_reports() -> None:
    ex = ts.Explorer(cross_language=True).fit(ARTICLES.data, ids=ARTICLES.ids)
    indices, scores = ex.neighbors(k=1)
    nearest = dict(zip(ARTICLES.ids, ex.ids_[indices[:, 0]]))
    log.info("nearest neighbours with cross_language=True: %s (scores %s)", nearest, np.round(scores[:, 0], 3))
    assert nearest["000"] == "002" and nearest["002"] == "000"
    shared = ex.shared_terms("000", "002", n=10)
    result = ex.cluster(2)
    log.info("000 and 002 share %s; their cluster's themes: %s", shared["term"].tolist(),
             result.themes(8).query("cluster == @result.labels_[0]")["term"].tolist())
    assert result.labels_[0] == result.labels_[2]


# ---- the docstring examples run and say what they claim ----------------------------------------

@pytest.mark.parametrize("module", ["themescope.explorer", "themescope.clustering", "themescope.plotting",
                                    "themescope._keyterms"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


def test_a_title_column_is_the_headline_of_top_terms() -> None:
    # a table's title, not the text's first line (here the whole one-line text), is the headline
    table = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Ferry sinks", None, "Boats race"],
                          "text": ["The ferry sank near the harbour. Boats came.",
                                   "Harbour strike\n\nThe harbour workers strike.",
                                   "Boats race past the harbour and the ferry."]})
    explorer = ts.Explorer(language="en", boilerplate=False).fit(table)
    top = explorer.top_terms(n=1)
    # "ferry" (title) beats "sank", "came", "near" (one article each) though it is in two articles
    assert top["term"].tolist() == ["ferry", "strike", "race"]
    idf = {1: np.log(4 / 2) + 1, 2: np.log(4 / 3) + 1}
    assert top["weight"].tolist() == pytest.approx([HEADLINE_FACTOR * idf[2],
                                                    HEADLINE_FACTOR * (1 + np.log(2)) * idf[1],
                                                    HEADLINE_FACTOR * idf[1]])
