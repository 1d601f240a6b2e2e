"""One language per document, identified once and passed down (issue 15, item 3).

``Explorer.fit`` identifies each document's language once, on the text as given;
boilerplate removal (stop-word density), the analyzer (stop words, stems) and
``languages_`` all use that answer, so they cannot disagree. The vectorizers and
``BoilerplateRemover`` accept such precomputed languages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import themescope as ts
from themescope import explorer as explorer_module

FRENCH = [
    "Les ministres européens se sont réunis mardi à Bruxelles pour discuter de la coopération en matière de "
    "cybersécurité et de la protection des réseaux dans toute l'Union européenne.\nPartager\nTweeter",
    "Les manifestants se sont rassemblés samedi devant la mairie pour protester contre la hausse des prix du "
    "carburant et des taxes qui pèsent sur les ménages modestes.\nPartager\nTweeter",
    "Le gouvernement a annoncé de nouvelles mesures pour les ménages les plus modestes, après des semaines de "
    "manifestations dans les villes et sur les routes du pays.\nPartager\nTweeter",
]


def test_fit_identifies_each_language_once_and_every_stage_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = explorer_module.detect_languages

    def counted(docs: Any, **options: Any) -> list[str]:
        calls.append(len(docs))
        return real(docs, **options)

    monkeypatch.setattr(explorer_module, "detect_languages", counted)
    ex = ts.Explorer().fit(FRENCH)
    assert calls == [3]  # once, for the three documents
    assert ex.languages_.tolist() == ["fr"] * 3
    assert set(ex.boilerplate_.report_.language) == {"fr"}


def test_the_given_answer_reaches_boilerplate_analyzer_and_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the one identification says is what every stage uses: told "en", the
    # analyzer keeps French stop words ("les", "des") and stems in English.
    monkeypatch.setattr(explorer_module, "detect_languages", lambda docs, **options: ["en"] * len(docs))
    ex = ts.Explorer(min_df=1).fit(FRENCH)
    assert ex.languages_.tolist() == ["en"] * 3
    assert set(ex.boilerplate_.report_.language) == {"en"}
    terms = set(ex.vectorizer_.get_feature_names_out())
    assert {"les", "des"} <= terms
    monkeypatch.undo()
    french = ts.Explorer(min_df=1).fit(FRENCH)  # identified as French
    assert not {"les", "des"} & set(french.vectorizer_.get_feature_names_out())


def test_short_sample_reads_what_the_analyzer_reads() -> None:
    articles = ts.datasets.load_sample_articles()
    analyzer = ts.Analyzer()
    expected = [analyzer.language_of(text) for text in articles.data]
    assert ts.detect_languages(articles.data, short_sample=True) == expected == ["fr", "fr", "en", "fr", "fr"]
    # longer documents too: the Analyzer's four windows
    long_docs = [" ".join(articles.data[i:] + articles.data[:i]) for i in range(5)]
    assert ts.detect_languages(long_docs, short_sample=True) == [analyzer.language_of(d) for d in long_docs]


def test_fixed_language_is_used_everywhere() -> None:
    ex = ts.Explorer(language="fr").fit(FRENCH)
    assert ex.languages_.tolist() == ["fr"] * 3
    assert set(ex.boilerplate_.report_.language) == {"fr"}


def test_vectorizer_uses_given_languages_like_a_fixed_language() -> None:
    given = ts.TfidfVectorizer(analyzer=ts.Analyzer()).fit_transform(FRENCH, languages=["fr"] * 3)
    fixed_vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr"))
    fixed = fixed_vectorizer.fit_transform(FRENCH)
    assert (given != fixed).nnz == 0
    # and differently from another language given
    english = ts.TfidfVectorizer(analyzer=ts.Analyzer())
    english.fit_transform(FRENCH, languages=["en"] * 3)
    assert "les" in english.vocabulary_ and "les" not in fixed_vectorizer.vocabulary_
    # transform too
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer())
    vectorizer.fit(FRENCH, languages=["fr"] * 3)
    assert (vectorizer.transform(FRENCH, languages=["fr"] * 3) != fixed).nnz == 0
    counts = ts.CountVectorizer(analyzer=ts.Analyzer()).fit_transform(FRENCH, languages=["fr"] * 3)
    assert np.array_equal(counts.indptr, ts.CountVectorizer(analyzer=ts.Analyzer(language="fr"))
                          .fit_transform(FRENCH).indptr)


@pytest.mark.parametrize(
    ("languages", "error", "message"),
    [
        (["fr"] * 2, ValueError, "languages has 2 codes for more documents"),
        (["fr"] * 4, ValueError, "languages has 4 codes for 3 documents"),
        (["fr", "fr", 1], TypeError, "language 2 is int"),
        ("fr", TypeError, "languages must be a sequence"),
    ],
)
def test_bad_languages_for_a_vectorizer_are_clear_errors(languages: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ts.TfidfVectorizer(analyzer=ts.Analyzer()).fit_transform(FRENCH, languages=languages)


def test_vectorizer_refuses_a_language_code_it_cannot_know() -> None:
    # "french" is no ISO 639 code: the analysis would silently run without stop words or stems.
    with pytest.raises(ValueError, match="language 1 is 'french'"):
        ts.TfidfVectorizer(analyzer=ts.Analyzer()).fit_transform(FRENCH, languages=["fr", "french", "fr"])
