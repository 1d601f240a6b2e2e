"""CrossLanguageFeatures and cross_language_vectors.

Hand-worked feature extraction, the estimator conventions (determinism, pickle,
clone), bad input, the combination's algebra, and the measured cross-language
retrieval of benchmarks/eval_crosslang.py (corpus tests, with slack).
"""

from __future__ import annotations

import doctest
import pickle
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

import themescope as ts


def features(text: str, language: str, channels: tuple[str, ...]) -> list[str]:
    return ts.CrossLanguageFeatures(channels=channels).features_of(text, language)["feature"].tolist()


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(ts.crosslang, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 3 and failures == 0


# ---------------------------------------------------------------- extraction, by hand
def test_numbers_read_the_same_in_french_and_english() -> None:
    fr = features("La police a compté 30.000 manifestants, puis 30 000 le lendemain.", "fr", ("numbers",))
    en = features("Police counted 30,000 protesters and 1,000 officers.", "en", ("numbers",))
    assert fr == ["num:30000", "num:30000"]
    assert en == ["num:30000", "num:1000"]


def test_cybersecurite_and_cybersecurity_share_a_cognate() -> None:
    fr = features("Cybersécurité", "fr", ("cognates",))
    en = features("cybersecurity", "en", ("cognates",))
    assert len(fr) == 1 and fr == en
    ngrams_fr = set(features("cybersécurité", "fr", ("ngrams",)))
    ngrams_en = set(features("cybersecurity", "en", ("ngrams",)))
    # <cybersecurit shared: "<cyb", "cybe", ... up to "urit" (4-grams) and 5-grams alike
    assert {"ng:<cyb", "ng:secu", "ng:curit"} <= ngrams_fr & ngrams_en


def test_elided_article_makes_no_name() -> None:
    found = features("Le sommet de L’OTAN. L’Inde et l’Australie signent.", "fr", ("names", "acronyms"))
    assert found == ["acro:otan", "name:inde", "name:australie"]
    assert not any(f.endswith(":l") for f in found)


def test_urls_and_emails_are_dropped() -> None:
    found = features("Voir https://www.example.com/Paris ou écrire à Contact@Example.org demain.", "fr",
                     ("names", "numbers", "acronyms", "cognates", "ngrams"))
    assert not [f for f in found if "example" in f or "paris" in f or "contact" in f]


def test_channel_prefixes_and_feature_names() -> None:
    xl = ts.CrossLanguageFeatures(min_df=1)
    xl.fit(["L’Inde, 2023", "India, 2023"], languages=["fr", "en"])
    names = xl.get_feature_names_out()
    assert "num:2023" in names
    assert all(n.split(":")[0] + ":" in ts.crosslang.CHANNELS.values() for n in names)


# ---------------------------------------------------------------- estimator
DOCS = [
    "Le Quad réunit l’Inde, le Japon et l’Australie à Tokyo : 30.000 experts en cybersécurité.",
    "The Quad brought India, Japan and Australia together in Tokyo: 30,000 cybersecurity experts.",
    "Les gilets jaunes ont manifesté samedi à Paris, selon le ministère de l’Intérieur.",
    "The yellow vests protested in Paris on Saturday, according to the Interior Ministry.",
]


def test_rows_are_l2_normalised_csr_arrays() -> None:
    F = ts.CrossLanguageFeatures().fit_transform(DOCS)
    assert isinstance(F, sp.csr_array) and F.dtype == np.float64
    np.testing.assert_allclose(sp.linalg.norm(F, axis=1), 1.0)
    # a translation is closer than the other story
    S = (F @ F.T).toarray()
    assert S[0, 1] > S[0, 3] and S[2, 3] > S[2, 1]


def test_min_languages_keeps_only_features_seen_in_two_languages() -> None:
    both = ts.CrossLanguageFeatures(min_df=1).fit(DOCS)
    names = set(both.get_feature_names_out())
    assert "name:tokyo" in names and "name:paris" in names
    assert "name:inde" not in names  # French only (India in English)
    one = ts.CrossLanguageFeatures(min_df=1, min_languages=1).fit(DOCS)
    assert "name:inde" in set(one.get_feature_names_out())
    assert both.languages_ == ("en", "fr")


def test_deterministic_and_thread_count_independent() -> None:
    texts = DOCS * 50
    saved = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        A = ts.CrossLanguageFeatures().fit_transform(texts)
        ts.set_num_threads(2)
        B = ts.CrossLanguageFeatures().fit_transform(texts)
    finally:
        ts.set_num_threads(saved)
    assert (A != B).nnz == 0
    np.testing.assert_array_equal(A.data, B.data)


def test_given_languages_match_detected_ones() -> None:
    auto = ts.CrossLanguageFeatures().fit_transform(DOCS)
    given = ts.CrossLanguageFeatures().fit_transform(DOCS, languages=ts.detect_languages(DOCS))
    np.testing.assert_array_equal(auto.toarray(), given.toarray())


def test_transform_reuses_fitted_features_and_idf() -> None:
    xl = ts.CrossLanguageFeatures()
    F = xl.fit_transform(DOCS)
    np.testing.assert_allclose(xl.transform(DOCS).toarray(), F.toarray())
    G = xl.transform(["Nothing in common here at all."])
    assert G.shape == (1, F.shape[1]) and G.nnz == 0


def test_pickle_and_clone() -> None:
    xl = ts.CrossLanguageFeatures(cognate_prefix=6, channels=("names", "cognates"))
    F = xl.fit_transform(DOCS)
    restored = pickle.loads(pickle.dumps(xl))
    np.testing.assert_array_equal(restored.transform(DOCS).toarray(), F.toarray())
    fresh = clone(xl)
    assert fresh.get_params() == xl.get_params() and not hasattr(fresh, "vocabulary_")


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad, what", [(None, r"missing \(None\)"), (3, r"int \(3\), expected str"),
                                      (b"bytes", r"bytes \(b'bytes'\), expected str")])
def test_non_str_document_is_a_type_error_naming_its_index(bad: object, what: str) -> None:
    with pytest.raises(TypeError, match=f"document 2 is {what}"):
        ts.CrossLanguageFeatures().fit_transform(["a", "b", bad])


def test_single_str_is_rejected() -> None:
    with pytest.raises(TypeError, match="single str"):
        ts.CrossLanguageFeatures().fit_transform("Le Quad")


def test_empty_texts_give_zero_rows() -> None:
    F = ts.CrossLanguageFeatures().fit_transform(["", "   ", ""])
    assert F.shape == (3, 0)
    xl = ts.CrossLanguageFeatures()
    G = xl.fit_transform(DOCS + [""])
    assert G[[4]].nnz == 0 and G.shape[0] == 5
    assert xl.transform(["", ""]).shape == (2, G.shape[1])


def test_languages_length_mismatch_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="languages has 1 items for 4 documents"):
        ts.CrossLanguageFeatures().fit_transform(DOCS, languages=["fr"])
    with pytest.raises(TypeError, match="language 1 is NoneType"):
        ts.CrossLanguageFeatures().fit_transform(DOCS[:2], languages=["fr", None])


def test_bad_parameters_name_their_value() -> None:
    with pytest.raises(ValueError, match="unknown channel 'places'"):
        ts.CrossLanguageFeatures(channels=("places",)).fit(DOCS)
    with pytest.raises(ValueError, match="min_df must be an int >= 1, got 0"):
        ts.CrossLanguageFeatures(min_df=0).fit(DOCS)
    with pytest.raises(ValueError, match="'xx'"):
        ts.CrossLanguageFeatures(language="xx").fit(DOCS)


# ---------------------------------------------------------------- the combination
def test_joined_cosine_is_the_weighted_mean_of_both_cosines() -> None:
    rng = np.random.default_rng(0)
    A = sp.csr_array(rng.random((6, 9)) * (rng.random((6, 9)) < 0.5) + np.eye(6, 9))
    B = sp.csr_array(rng.random((6, 4)) * (rng.random((6, 4)) < 0.7) + np.eye(6, 4, k=-2) + np.eye(6, 4))
    for w in (0.0, 0.3, 0.8, 1.0):
        V = ts.cross_language_vectors(A, B, w)
        expected = (1 - w) * cosine(A) + w * cosine(B)
        np.testing.assert_allclose((V @ V.T).toarray(), expected, atol=1e-12)


def cosine(M: sp.csr_array) -> np.ndarray:
    dense = M.toarray()
    dense = dense / np.linalg.norm(dense, axis=1, keepdims=True)
    return dense @ dense.T


def test_a_row_without_features_keeps_its_tfidf_direction() -> None:
    A = sp.csr_array(np.array([[3.0, 4.0], [1.0, 0.0]]))
    B = sp.csr_array(np.array([[0.0], [1.0]]))
    V = ts.cross_language_vectors(A, B, 0.5).toarray()
    np.testing.assert_allclose(V[0], [0.6, 0.8, 0.0])
    np.testing.assert_allclose(np.linalg.norm(V, axis=1), 1.0)


def test_combination_rejects_bad_weight_and_shapes() -> None:
    A = sp.csr_array(np.eye(2))
    with pytest.raises(ValueError, match="weight must be a number in \\[0, 1\\], got 1.5"):
        ts.cross_language_vectors(A, A, 1.5)
    with pytest.raises(ValueError, match="2 rows and features 3"):
        ts.cross_language_vectors(A, sp.csr_array(np.eye(3)), 0.5)


# ---------------------------------------------------------------- measured (eval_crosslang.py)
@pytest.fixture(scope="module")
def evaluation(load_benchmark: Callable[[str], ModuleType]) -> ModuleType:
    return load_benchmark("eval_crosslang")


def test_sample_quad_articles_are_each_others_nearest(evaluation: ModuleType) -> None:
    pair = evaluation.sample_pair(ts.crosslang.DEFAULT_WEIGHT)
    assert pair["nearest_of_000"] == 2 and pair["nearest_of_002"] == 0
    # without the features, 000's nearest is another French article (measured: 001)
    assert pair["tfidf_only"]["nearest_of_000"] != 2
    # what a note shows: readable shared features (measured top two: Australia, cyber-security)
    shared = pair["shared"]["feature"].tolist()
    assert {"cog:austral", "cog:cyberse"} <= set(shared[:3])
    assert not any(f.startswith("ng:") for f in shared)


@pytest.fixture(scope="module")
def handbook_paragraphs(evaluation: ModuleType) -> object:
    paragraphs = evaluation.load_handbook_paragraphs()
    if paragraphs is None:
        pytest.skip("Debian package debian-handbook not installed")
    return paragraphs


@pytest.mark.corpus
def test_handbook_paragraphs_cross_language_beats_both_baselines(evaluation: ModuleType,
                                                                   handbook_paragraphs: object) -> None:
    p = handbook_paragraphs
    texts = p.fr + p.en  # type: ignore[attr-defined]
    n = len(p.fr)  # type: ignore[attr-defined]
    assert n > 2000
    X = evaluation.in_language(texts)
    F, _ = evaluation.features(texts)
    ours = evaluation.retrieval(ts.cross_language_vectors(X, F, ts.crosslang.DEFAULT_WEIGHT), n)
    alone = evaluation.retrieval(X, n)
    word = evaluation.retrieval(evaluation.sklearn_word(texts), n)
    char = evaluation.retrieval(evaluation.sklearn_char(texts), n)
    for name, figures in (("in-language", alone), ("word", word), ("char_wb", char)):
        assert ours[0] > figures[0] and ours[1] > figures[1], (name, ours, figures)
    assert ours[1] >= MEASURED_PARAGRAPH_MRR - SLACK


@pytest.mark.corpus
def test_gilets_jaunes_english_articles_find_french_ones(evaluation: ModuleType, corpora_dir: Path) -> None:
    press = evaluation.load_gilets_jaunes(corpora_dir)
    assert press is not None and len(press.texts) == 3112
    X = evaluation.in_language(press.texts)
    F, _ = evaluation.features(press.texts)
    before = evaluation.press_scores(X, press)
    after = evaluation.press_scores(ts.cross_language_vectors(X, F, ts.crosslang.DEFAULT_WEIGHT), press)
    assert after["link"] >= before["link"] + MEASURED_LINK_GAIN - SLACK
    assert after["precision"] >= before["precision"] - SLACK  # no story mixed in to get there
    assert after["nearest_fr"] >= before["nearest_fr"] - SLACK


# measured by benchmarks/eval_crosslang.py (see the report in the commit); SLACK absorbs
# small changes of the corpora's text extraction, not a change of method
SLACK = 0.01
MEASURED_PARAGRAPH_MRR = 0.991
MEASURED_LINK_GAIN = 0.04
