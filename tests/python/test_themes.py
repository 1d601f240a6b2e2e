"""Themes and top terms a reader trusts: no reporting or function words.

The words forbidden here are taken from a published stop list, stopwords-iso
(its French and English lists, accents aside), not from what the sample
articles produce; the product's own news function words must come from it too.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
import scipy.sparse as sp
import stopwordsiso

import themescope as ts
from themescope._themes import cluster_concentration, function_term_mask
from themescope.explorer import class_tfidf

ARTICLES = ts.datasets.load_sample_articles()

# Reporting verbs, discourse adverbs, prepositions and titles a reader does not want as a theme.
# Every one is in stopwords-iso's list for its language (checked below).
FORBIDDEN = {
    "fr": """selon lors également contre dit dire aussi ainsi alors encore notamment plus très après avant
             depuis entre comme tout tous toutes sans chez vers pendant plusieurs cependant toutefois déjà
             donc car dont être autres certains parmi surtout""".split(),
    "en": """said says saying mr mrs also according however would could just still part well many much
             while since already""".split(),
}


def _fold(word: str) -> str:
    """Case and accents folded: stopwords-iso spells "egalement", "deja"."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _in_stopwords_iso(word: str, language: str) -> bool:
    return _fold(word) in {_fold(w) for w in stopwordsiso.stopwords(language)}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_forbidden_words_come_from_a_published_list(language: str) -> None:
    assert [w for w in FORBIDDEN[language] if not _in_stopwords_iso(w, language)] == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_news_function_words_come_from_a_published_list(language: str) -> None:
    words = ts.lexicon.news_function_words(language)
    assert words
    assert sorted(w for w in words if not _in_stopwords_iso(w, language)) == []
    # none is already one of Snowball's stop words (the analyzer drops those)
    assert sorted(words & ts.stop_words(language)) == []


def test_news_function_words_of_a_language_without_a_list_are_none() -> None:
    assert ts.lexicon.news_function_words("de") == frozenset()
    with pytest.raises(TypeError, match="language must be"):
        ts.lexicon.news_function_words(None)  # type: ignore[arg-type]


def test_concentration_is_normalised_gries_dp() -> None:
    # Hand-worked: classes of 4 and 8 words (shares 1/3, 2/3).
    counts = np.array([[1, 3, 0, 0], [2, 0, 6, 0]])
    # term 0: shares 1/3, 2/3 as the classes: DP 0; term 1 all in class 0: DP = 0.5 (2/3 + 2/3) = 2/3,
    # over the bound 1 - 1/3: 1; term 2 all in class 1: DP = 0.5 (1/3 + 1/3) = 1/3, over 2/3: 0.5;
    # term 3 never seen: 0.
    np.testing.assert_allclose(cluster_concentration(counts), [0.0, 1.0, 0.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(cluster_concentration(sp.csr_array(counts)), [0.0, 1.0, 0.5, 0.0], atol=1e-12)
    # one class, or one non-empty class: nothing tells terms apart
    np.testing.assert_array_equal(cluster_concentration(np.array([[1, 2, 0]])), [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(cluster_concentration(np.array([[1, 2], [0, 0]])), [1.0, 1.0])
    with pytest.raises(ValueError, match="2-D"):
        cluster_concentration(np.array([1, 2]))


def test_concentration_is_zero_for_a_term_spread_like_the_words() -> None:
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 20, size=(6, 30))
    sizes = counts.sum(axis=1)
    spread = np.column_stack([counts, 3 * sizes])  # a word used in proportion to every class's size
    concentration = cluster_concentration(spread)
    assert concentration[-1] == pytest.approx(0.0, abs=1e-12)
    assert np.all((concentration >= 0) & (concentration <= 1))


def test_function_term_mask_marks_the_stems_of_the_list() -> None:
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr")).fit(
        ["Selon le ministre, le sommet a eu lieu lors de la visite", "Le sommet, selon lui, était également prévu"])
    names = vectorizer.get_feature_names_out().tolist()
    marked = sorted(np.asarray(names)[function_term_mask(vectorizer, ["fr", "fr"])].tolist())
    assert marked == sorted(ts.Analyzer(language="fr", stop_words=None)("selon lors également"))
    assert not function_term_mask(vectorizer, ["de", "de"]).any()
    # an analyzer that is not themescope's: nothing to match the words through
    plain = ts.TfidfVectorizer().fit(["selon lors", "selon sommet"])
    assert not function_term_mask(plain, ["fr", "fr"]).any()


@pytest.fixture(scope="module", params=[False, True], ids=["monolingual", "cross_language"])
def samples(request: pytest.FixtureRequest) -> ts.Explorer:
    return ts.Explorer(cross_language=request.param).fit(ARTICLES.data, ids=ARTICLES.ids)


def _forbidden_in(terms: list[str]) -> list[str]:
    forbidden = {_fold(w) for words in FORBIDDEN.values() for w in words}
    forbidden |= {_fold(w) for language in ("fr", "en") for w in ts.stop_words(language)}
    return [t for t in terms if _fold(t) in forbidden]


def test_sample_themes_hold_no_function_or_reporting_word(samples: ts.Explorer) -> None:
    for n_clusters in ("auto", 2, 3):
        themes = samples.cluster(n_clusters).themes(n_terms=10)
        assert len(themes) > 0
        assert _forbidden_in(themes["term"].tolist()) == [], n_clusters


def test_sample_top_terms_hold_no_function_or_reporting_word(samples: ts.Explorer) -> None:
    top = samples.top_terms(n=6)
    for doc_id in ARTICLES.ids:
        terms = top[top["document"] == doc_id]["term"].tolist()
        assert len(terms) == 6
        assert _forbidden_in(terms) == [], doc_id


def test_function_words_stay_in_the_vectors(samples: ts.Explorer) -> None:
    # left out of what a reader sees only: similarity still has every term
    assert samples.function_terms_.any()
    assert samples.tfidf_[:, samples.function_terms_].nnz > 0


def test_themes_weigh_class_tfidf_by_concentration(samples: ts.Explorer) -> None:
    result = samples.cluster(2)
    counts = samples.counts_.toarray().astype(float)
    per_cluster = np.vstack([counts[result.labels_ == c].sum(axis=0) for c in range(2)])
    expected = class_tfidf(per_cluster) * cluster_concentration(per_cluster)
    expected[:, samples.function_terms_] = 0.0
    np.testing.assert_allclose(result.theme_weights_, expected)


def test_a_word_with_and_without_its_accents_is_one_term(samples: ts.Explorer) -> None:
    # "Etats-Unis" in 004, "États-Unis" in the others: one column (one phrase, by the phrase
    # stage), shown in the spelling seen most, as written
    raw = ts.Analyzer(language="fr")("États Etats")
    assert raw == ["état", "etat"]
    names = samples.vectorizer_.get_feature_names_out().tolist()
    assert "etat unis" in names and "état unis" not in names
    shown = samples.feature_names_[names.index("etat unis")]
    assert shown == "États-Unis"
    column = samples.counts_[:, [names.index("etat unis")]].toarray().ravel()
    assert column[ARTICLES.ids.index("004")] > 0 and column[ARTICLES.ids.index("000")] > 0
