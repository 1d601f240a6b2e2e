"""The cognate keys (ts.CognateKeys) and Explorer(cross_language="keys") that joins them.

Oracles: scikit-learn's TfidfTransformer on key counts summed by hand from the analyzer's own
terms; the joined cosine formula; the terms-only Explorer (cross_language=False) for what the
keys must leave alone (LSA, clusters).
"""

from __future__ import annotations

import pickle
from collections import Counter
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfTransformer as SklearnTfidf
from sklearn.preprocessing import normalize

import themescope as ts

EN = ["The documentation of the configuration files explains the installation.",
      "Configure the network interfaces before the installation of the packages.",
      "The documentation lists every package, its configuration and instructions."]
FR = ["La documentation de la configuration explique l'installation."]


def oracle_keys(texts: list[str], prefix: int = 4, shortest: int = 5) -> tuple[list[str], np.ndarray]:
    """Keys by hand: each analyzed term, letters only, of >= shortest letters, cut to prefix; then
    scikit-learn's sublinear TF-IDF of the summed counts."""
    analyze = ts.TfidfVectorizer(analyzer=ts.Analyzer(fold_accents=True)).build_analyzer()
    rows = [Counter("cog:" + t[:prefix] for t in analyze(text) if len(t) >= shortest and t.isalpha())
            for text in texts]
    keys = sorted(set().union(*rows))
    counts = np.array([[row[k] for k in keys] for row in rows], dtype=float)
    return keys, SklearnTfidf(sublinear_tf=True).fit_transform(counts).toarray()


def test_keys_match_a_hand_computed_scikit_learn_oracle() -> None:
    keys = ts.CognateKeys()
    K = keys.fit_transform(EN, languages=["en"] * 3)
    names, expected = oracle_keys(EN)
    assert keys.get_feature_names_out().tolist() == names
    assert "cog:docu" in names and "cog:conf" in names and "cog:inst" in names
    np.testing.assert_allclose(K.toarray(), expected, atol=1e-12)
    np.testing.assert_allclose(keys.transform(EN, languages=["en"] * 3).toarray(), K.toarray(), atol=1e-12)


def test_a_french_text_reaches_english_keys_and_seen_terms_stay_unkeyed() -> None:
    keys = ts.CognateKeys()
    fitted = keys.fit_counts(*_counts(EN, min_df=2))
    french = keys.transform(FR, languages=["fr"]).toarray()[0]
    names = keys.get_feature_names_out().tolist()
    assert {names[i] for i in np.flatnonzero(french)} >= {"cog:docu", "cog:conf", "cog:inst"}
    # "instructions" (stem "instruct", in one document: below min_df) gave no key at fit; until the
    # keys see the fit documents' terms, transform reads it as a new word, through "cog:inst"
    assert _keys_of(keys, "Instructions.") == ["cog:inst"]
    assert abs(keys.transform(EN, languages=["en"] * 3) - fitted).max() > 0.01
    keys.see_terms(_counts(EN, min_df=1)[1])
    assert _keys_of(keys, "Instructions.") == [] and _keys_of(keys, "Instruments.") == ["cog:inst"]
    np.testing.assert_allclose(keys.transform(EN, languages=["en"] * 3).toarray(), fitted.toarray(), atol=1e-12)


def _keys_of(keys: ts.CognateKeys, text: str) -> list[str]:
    names = keys.get_feature_names_out()
    return names[keys.transform([text], languages=["en"]).indices].tolist()


def _counts(texts: list[str], min_df: int) -> tuple[sp.csr_array, dict[str, int]]:
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(fold_accents=True), min_df=min_df)
    counts = sp.csr_array(vectorizer.fit_transform(texts, languages=["en"] * len(texts)))
    return counts, vectorizer.vocabulary_


def test_params_clone_pickle_and_bad_values() -> None:
    keys = ts.CognateKeys(prefix=5, min_term_length=6)
    assert clone(keys).get_params() == keys.get_params()
    K = keys.fit_transform(EN, languages=["en"] * 3)
    restored = pickle.loads(pickle.dumps(keys))
    np.testing.assert_array_equal(restored.transform(FR, languages=["fr"]).toarray(),
                                  keys.transform(FR, languages=["fr"]).toarray())
    assert all(len(name) == len("cog:") + 5 for name in keys.get_feature_names_out()) and K.shape[0] == 3
    for name, value in (("prefix", 0), ("min_term_length", 2.5), ("prefix", True)):
        with pytest.raises(ValueError, match=f"{name} must be an int >= 1, got {value!r}"):
            ts.CognateKeys(**{name: value}).fit(EN)


def test_no_key_gives_zero_columns() -> None:
    keys = ts.CognateKeys(min_term_length=50)
    assert keys.fit_transform(EN).shape == (3, 0)
    assert keys.transform(FR).shape == (1, 0)


def test_join_of_non_canonical_blocks_with_explicit_zeros_equals_the_formula() -> None:
    # duplicates (summed) and explicit zeros (dropped), as scipy's normalize + hstack would do
    A = sp.csr_array((np.array([1.0, 2.0, 0.0, 3.0]), np.array([1, 1, 0, 2]), np.array([0, 3, 4])), shape=(2, 3))
    B = sp.csr_array(np.array([[0.0, 2.0], [1.0, 1.0]]))
    V = ts.cross_language_vectors(A, B, 0.25)
    dense = np.hstack([normalize(A.toarray()) * np.sqrt(0.75), normalize(B.toarray()) * np.sqrt(0.25)])
    np.testing.assert_allclose(V.toarray(), normalize(dense), atol=1e-15)
    assert V.has_canonical_format and (V.data != 0).all()
    assert A.indices.tolist() == [1, 1, 0, 2]  # the caller's matrix is left as it was


# ---------------------------------------------------------------- Explorer(cross_language="keys")
@pytest.fixture(scope="module")
def articles() -> Any:
    return ts.datasets.load_sample_articles()


def test_explorer_keys_join_the_terms_and_leave_the_lsa_to_them(articles: Any) -> None:
    data, ids = articles.data, articles.ids
    auto = ts.Explorer(cross_language="keys").fit(data, ids=ids)
    terms = ts.Explorer(cross_language=False).fit(data, ids=ids)
    assert auto.get_params()["cross_language"] == "keys"
    assert ts.Explorer().cross_language is False  # not by default (see Explorer's docstring)
    assert isinstance(auto.cross_language_features_, ts.CognateKeys)
    n_terms = terms.vectors_.shape[1]
    keys = auto.cross_language_features_.transform(auto.boilerplate_.transform(data), languages=auto.languages_)
    expected = 0.5 * cosine(terms.vectors_) + 0.5 * cosine(keys)
    np.testing.assert_allclose((auto.vectors_ @ auto.vectors_.T).toarray(), expected, atol=1e-12)
    # the LSA and the clusters are the terms' (the keys' columns weigh nothing in the components)
    np.testing.assert_allclose(np.abs(auto.lsa_), np.abs(terms.lsa_), atol=1e-9)
    assert not auto.lsa_components_[:, n_terms:].any()
    np.testing.assert_allclose(auto.transform(data).toarray(), auto.vectors_.toarray(), atol=1e-12)
    # the Quad summit: 000 (fr) is 002's (en) nearest, and the keys bring them closer than the
    # terms alone (which share the names: "Fumio Kishida", "Joe Biden")
    assert auto.similar("002", k=1)["id"].tolist() == ["000"]
    assert auto.similar("000", k=2)["id"].tolist() == ["001", "002"]
    joined, alone = (explorer.similar("002", k=1)["score"].iloc[0] for explorer in (auto, terms))
    assert joined > alone + 0.01, (joined, alone)


def cosine(M: sp.csr_array) -> np.ndarray:
    dense = M.toarray()
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    return (dense / np.where(norms == 0, 1, norms)) @ (dense / np.where(norms == 0, 1, norms)).T


def test_explorer_keys_are_deterministic_across_thread_counts(articles: Any) -> None:
    saved = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        one = ts.Explorer(cross_language="keys").fit(articles.data)
        ts.set_num_threads(2)
        two = ts.Explorer(cross_language="keys").fit(articles.data)
    finally:
        ts.set_num_threads(saved)
    assert (one.vectors_ != two.vectors_).nnz == 0
    np.testing.assert_array_equal(one.lsa_, two.lsa_)


def test_added_articles_are_what_transform_makes_and_project_like_fitted_ones(articles: Any) -> None:
    data = list(articles.data)
    ex = ts.Explorer(cross_language="keys").fit(data[:4])
    expected = ex.transform(data[4:])
    ex.add(data[4:])
    np.testing.assert_allclose(ex.vectors_[[4]].toarray(), expected.toarray(), atol=1e-12)
    assert ex.lsa_.shape[0] == 5
    refit = ts.Explorer(cross_language="keys").fit(data[:4])
    refit.add(data[4:], refit=True)
    n_terms = refit.tfidf_.shape[1]
    assert refit.vectors_.shape[1] == n_terms + len(refit.cross_language_features_.vocabulary_)
    assert not refit.lsa_components_[:, n_terms:].any()
