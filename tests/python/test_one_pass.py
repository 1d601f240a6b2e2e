"""Issue 15: what Explorer.fit counts, pinned against the separate passes that define it.

`Explorer.fit` counts each article for two indexes: the TF-IDF counts (the text after
boilerplate removal, stop words dropped, learned phrases joined: ``counts_``, ``vectors_``,
``feature_names_``) and the search index (the text as given, stop words kept, no phrase stage:
``search_``). Whatever the fit does to count them (one pass or several), its results must be
bit for bit those of the separate passes written here with the public estimators alone: a
TfidfVectorizer and a fixed-vocabulary CountVectorizer over the cleaned text, and a
CountVectorizer with its BM25Index over the text as given. Oracles: those passes, on the
sample articles (French and English) and on random texts (hypothesis), at 1 and 2 threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

import themescope as ts
from themescope.search import BM25Index

ARTICLES = ts.datasets.load_sample_articles()
QUERIES = ["Quad summit", "cyberattaques russes", "the", "Fumio Kishida", "Indo-Pacifique", "de la Chine"]


@contextmanager
def threads(n: int) -> Iterator[None]:
    before = ts.get_num_threads()
    ts.set_num_threads(n)
    try:
        yield
    finally:
        ts.set_num_threads(before)


@dataclass
class SeparatePasses:
    """The two indexes of a fit, each counted on its own with the public estimators."""

    tfidf_vectorizer: ts.TfidfVectorizer
    tfidf: sp.csr_array
    counts: sp.csr_array
    search_vectorizer: ts.CountVectorizer
    search_counts: sp.csr_array
    search_index: BM25Index


def separate_passes(docs: list[str], language: str = "auto", boilerplate: bool = True) -> SeparatePasses:
    languages = ts.detect_languages(docs, short_sample=True) if language == "auto" else [language] * len(docs)
    cleaned = ts.BoilerplateRemover().fit_transform(docs, languages=languages) if boilerplate else docs
    # The TF-IDF index: the Explorer's documented vectorizer, then its counts with a second,
    # fixed-vocabulary pass (no shared counting with the weights).
    analyzer = ts.Analyzer(language=language, fold_accents=True, phrases=ts.Phrases(keep_words=True))
    vectorizer = ts.TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2)
    tfidf = sp.csr_array(vectorizer.fit_transform(cleaned, languages=languages))
    counter = ts.CountVectorizer(analyzer=vectorizer.analyzer, vocabulary=vectorizer.vocabulary_, dtype=np.float64)
    counts = sp.csr_array(counter.transform(cleaned, languages=languages))
    # The search index: every word of the text as given, stop words included, no phrases.
    search_analyzer = ts.Analyzer(language=language, fold_accents=True, stop_words=None, phrases=False)
    search_vectorizer = ts.CountVectorizer(analyzer=search_analyzer, dtype=np.float64)
    search_counts = sp.csr_array(search_vectorizer.fit_transform(docs, languages=languages))
    return SeparatePasses(vectorizer, tfidf, counts, search_vectorizer, search_counts,
                          BM25Index().fit(search_counts))


def same_csr(a: Any, b: Any) -> bool:
    """The same matrix to the bit: shape, dtype, row pointers, column order, values."""
    a, b = sp.csr_array(a), sp.csr_array(b)
    return (a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


def assert_matches_separate_passes(ex: ts.Explorer, oracle: SeparatePasses, queries: list[str]) -> None:
    vectorizer = oracle.tfidf_vectorizer
    # TF-IDF side: vocabulary and its order, display forms, counts, weights.
    assert ex.vectorizer_.vocabulary_ == vectorizer.vocabulary_
    assert ex.vectorizer_.get_feature_names_out().tolist() == vectorizer.get_feature_names_out().tolist()
    assert ex.feature_names_.tolist() == vectorizer.get_feature_names_out(display=True).tolist()
    assert ex.vectorizer_.analyzer.phrases_.pairs_ == vectorizer.analyzer.phrases_.pairs_
    assert same_csr(ex.counts_, oracle.counts)
    assert same_csr(ex.vectors_, normalize(sp.csr_array(oracle.tfidf, dtype=np.float64), norm="l2"))
    # Today tfidf_ holds vectors_' entries: they share arrays (_l2_rows normalizes in place).
    assert same_csr(ex.tfidf_, ex.vectors_)
    # Search side: vocabulary, display forms, the counts behind the BM25 weights, the weights.
    search = ex.search_
    assert search.vocabulary == oracle.search_vectorizer.vocabulary_
    assert search.counter.get_feature_names_out().tolist() == oracle.search_vectorizer.get_feature_names_out().tolist()
    assert search.display_names.tolist() == oracle.search_vectorizer.get_feature_names_out(display=True).tolist()
    assert np.array_equal(search.term_counts, oracle.search_counts.data.astype(np.int32))
    weights, expected = search.index.weights_, oracle.search_index.weights_
    assert same_csr(weights, expected)
    assert search.index.idf_.tobytes() == oracle.search_index.idf_.tobytes()
    # Rankings: the fitted index and the oracle's answer the same query vectors alike.
    if queries:
        query_counts = oracle.search_vectorizer.transform(queries, languages=[ex.languages_[0]] * len(queries))
        k = min(3, len(ex.ids_))
        got, want = search.index.search(query_counts, k=k), oracle.search_index.search(query_counts, k=k)
        assert np.array_equal(got[0], want[0])
        assert np.array_equal(got[1], want[1], equal_nan=True)


@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("boilerplate", [True, False])
def test_sample_articles_count_as_the_separate_passes(n_threads: int, boilerplate: bool) -> None:
    docs = list(ARTICLES.data)
    oracle = separate_passes(docs, boilerplate=boilerplate)
    with threads(n_threads):
        ex = ts.Explorer(boilerplate=boilerplate).fit(docs)
    assert len(ex.vectorizer_.analyzer.phrases_.pairs_) > 0  # the phrase stage is at work
    assert_matches_separate_passes(ex, oracle, QUERIES)


def test_sample_articles_with_repeated_boilerplate_count_as_the_separate_passes() -> None:
    # A shared footer line that the remover drops from the TF-IDF text but the search keeps:
    # the two indexes see different text for those documents.
    footer = "\nAbonnez-vous à la newsletter du soir pour ne rien manquer."
    docs = [text + footer for text in ARTICLES.data] * 2
    oracle = separate_passes(docs)
    cleaned = ts.BoilerplateRemover().fit_transform(docs, languages=ts.detect_languages(docs, short_sample=True))
    assert any(a != b for a, b in zip(docs, cleaned))  # the case this test is about
    for n_threads in (1, 2):
        with threads(n_threads):
            ex = ts.Explorer().fit(docs)
        term = ts.Analyzer(language="fr", fold_accents=True)("newsletter")[0]
        assert term in ex.search_.vocabulary and term not in ex.vectorizer_.vocabulary_
        assert_matches_separate_passes(ex, oracle, QUERIES + ["newsletter du soir"])


# ---- random texts: names (phrases), stop words, hyphens, numbers, headlines, shared lines ----

WORDS = {
    "en": ["the", "of", "and", "in", "is", "he", "minister", "market", "bank", "growth", "said", "talks",
           "summit", "Fumio", "Kishida", "New", "York", "Indo-Pacific", "prime", "2021", "30,000", "a", "Café",
           "cafe", "États", "it's", "Minister's", "won't"],
    "fr": ["le", "la", "de", "et", "du", "l'OTAN", "d'Europe", "ministre", "premier", "sommet", "Fumio",
           "Kishida", "Indo-Pacifique", "États-Unis", "Etats-Unis", "marché", "banque", "qu'il", "2021", "a",
           "croissance", "Café", "café"],
}
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "-", " (", ") "]


@st.composite
def corpora(draw: Any) -> tuple[str, list[str]]:
    language = draw(st.sampled_from(["en", "fr"]))
    words = st.sampled_from(WORDS[language])

    def text() -> str:
        tokens = draw(st.lists(words, min_size=0, max_size=25))
        return "".join(token + draw(st.sampled_from(SEPARATORS)) for token in tokens)

    shared = [text() for _ in range(draw(st.integers(0, 2)))]  # lines boilerplate removal may drop
    docs = []
    for _ in range(draw(st.integers(2, 7))):
        lines = [text() for _ in range(draw(st.integers(1, 3)))]
        lines += draw(st.lists(st.sampled_from(shared), max_size=2)) if shared else []
        docs.append("\n".join(lines))
    return language, docs


def fit_or_error(fit: Any) -> tuple[Any, str | None]:
    try:
        return fit(), None
    except ValueError as error:  # no term left, every document empty: the same for both
        return None, type(error).__name__


# Short random lines are not laid out like web pages: the remover warns and keeps them whole.
@pytest.mark.filterwarnings("ignore:boilerplate removal would have taken:UserWarning")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpus=corpora(), boilerplate=st.booleans())
def test_random_texts_count_as_the_separate_passes(corpus: tuple[str, list[str]], boilerplate: bool) -> None:
    language, docs = corpus
    oracle, oracle_error = fit_or_error(lambda: separate_passes(docs, language, boilerplate))
    for n_threads in (1, 2):
        with threads(n_threads):
            ex, error = fit_or_error(lambda: ts.Explorer(language=language, boilerplate=boilerplate).fit(docs))
        if oracle_error is not None or error is not None:
            # The oracle's ValueError names what went wrong; the Explorer raises InvalidValueError, a ValueError.
            assert (error is None) == (oracle_error is None), (error, oracle_error)
            continue
        assert_matches_separate_passes(ex, oracle, ["minister", "Fumio Kishida", "le premier ministre", "the"])
