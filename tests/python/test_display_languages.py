"""Display forms per language, and names written alike across languages (issue 17).

An accent-folded term shared by French and English ("cybersécurité" / "cybersecurity",
"pacifique" / "Pacific") is one column: an English article's terms read in English, a
French one's in French; a cluster shows each term in the language whose articles use it
most. A name written alike in two languages ("Fumio Kishida") is one term although each
language's stemmer cuts it its own way.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest

import themescope as ts
from themescope import _core

# Two French and two English documents, counted by hand (fold_accents: the French and
# English spellings of a word share one stem):
#   cybersecur: "cybersécurité" x4 (fr); "Cybersecurity" x1 + "cybersecurity" x2 (en: the word 3
#               times, lower case most) -> corpus-wide "cybersécurité" (4 > 3), in English
#               "cybersecurity"
#   pacif:      "Pacifique" x1 + "pacifique" x1 (fr: the word 2 times, its cases tie -> the smaller,
#               "Pacifique"); "Pacific" x2 (en) -> the words tie at 2 whatever their case: the smaller
#               word, "pacific", so corpus-wide "Pacific"; in French "Pacifique"
FRENCH = ["La cybersécurité du Pacifique, la cybersécurité.", "La cybersécurité et la cybersécurité du pacifique."]
ENGLISH = ["Cybersecurity in the Pacific.", "The Pacific and cybersecurity, cybersecurity."]
DOCS = FRENCH + ENGLISH
LANGUAGES = ["fr", "fr", "en", "en"]


def vectorizer(**options: Any) -> ts.TfidfVectorizer:
    return ts.TfidfVectorizer(analyzer=ts.Analyzer(fold_accents=True, **options), min_df=1)


def by_term(v: ts.TfidfVectorizer, language: str | None = None) -> dict[str, str]:
    return dict(zip(v.get_feature_names_out(), v.get_feature_names_out(display=True, language=language)))


def test_hand_worked_two_language_forms() -> None:
    v = vectorizer().fit(DOCS, languages=LANGUAGES)
    corpus = by_term(v)
    assert (corpus["cybersecur"], corpus["pacif"]) == ("cybersécurité", "Pacific")
    english, french = by_term(v, "en"), by_term(v, "fr")
    assert (english["cybersecur"], english["pacif"]) == ("cybersecurity", "Pacific")
    assert (french["cybersecur"], french["pacif"]) == ("cybersécurité", "Pacifique")
    # only where a language's form differs from the corpus-wide one, by column
    column = v.vocabulary_
    assert v.feature_display_names_by_language_ == {"en": {column["cybersecur"]: "cybersecurity"},
                                                    "fr": {column["pacif"]: "Pacifique"}}
    # a language the corpus does not hold, or none: the corpus-wide forms
    assert by_term(v, "de") == corpus == by_term(v, None)


def test_without_document_languages_there_is_one_language() -> None:
    # no languages given, or one fixed language (its token memos are shared by every code given):
    # the corpus-wide forms only
    assert vectorizer().fit(DOCS).feature_display_names_by_language_ == {}
    fixed = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr", fold_accents=True), min_df=1)
    assert fixed.fit(DOCS, languages=LANGUAGES).feature_display_names_by_language_ == {}


def test_partial_fit_chooses_per_language_as_one_fit() -> None:
    one = vectorizer().fit(DOCS, languages=LANGUAGES)
    for order in ([0, 1, 2, 3], [2, 0, 3, 1]):
        partial = vectorizer()
        for i in order:
            partial.partial_fit([DOCS[i]], languages=[LANGUAGES[i]])
        reference = vectorizer().fit([DOCS[i] for i in order], languages=[LANGUAGES[i] for i in order])
        for language in (None, "en", "fr"):
            assert by_term(partial, language) == by_term(reference, language) == by_term(one, language)


def test_statistics_pickled_before_languages_load() -> None:
    # TermStatistics pickled with {(position, surface): n}: all of one language ""
    partial = vectorizer().partial_fit(DOCS[:2])
    stats = partial.term_statistics_
    state = dict(stats.__dict__)
    state["surfaces"] = {(position, surface): n for (position, _, surface), n in stats.surfaces.items()}
    old = object.__new__(type(stats))
    old.__setstate__(state)
    assert pickle.loads(pickle.dumps(old)).surfaces == stats.surfaces


def test_sample_articles_read_in_their_language() -> None:
    # hand-checked on the bundled articles (000, 001, 003, 004 French; 002 English):
    # 002 writes "cybersecurity" and "Pacific", the French articles "cybersécurité", "pacifique";
    # 003 writes "accusé(s)", 002 "accused"
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
    assert ex.languages_.tolist() == ["fr", "fr", "en", "fr", "fr"]
    top = ex.top_terms(n=40)  # deep enough to hold both words in 002 (its top terms weigh its headline)
    terms = {document: group["term"].tolist() for document, group in top.groupby("document")}
    assert {"cybersecurity", "Pacific"} <= set(terms["002"]), terms["002"]
    assert {"cybersécurité", "indo-pacifique"} <= set(terms["000"]), terms["000"]
    assert not {"cybersécurité", "pacifique"} & set(terms["002"]), terms["002"]
    assert "accused" not in terms["003"], terms["003"]
    # every term of 002 in its English form: the vectorizer's where it has the term, else the
    # search index's (top terms rank every word of the search index, min_df=1)
    vocabulary, counter = ex.vectorizer_, ex.search_.counter
    english = dict(zip(counter.get_feature_names_out(), counter.get_feature_names_out(display=True, language="en")))
    english.update(zip(vocabulary.get_feature_names_out(), vocabulary.get_feature_names_out(display=True,
                                                                                             language="en")))
    row = top[top["document"] == "002"]
    assert set(row["term"]) <= set(english.values())
    stems = vocabulary.get_feature_names_out()
    assert len(stems) == len(ex.feature_names_)  # the vocabulary is unchanged: one column per stem
    # a one-language cluster reads in its language; each document of a cluster list in its own
    clustering = ex.cluster(3)
    for cluster in range(3):
        members = np.flatnonzero(clustering.labels_ == cluster)
        documents = clustering.documents(cluster)
        assert len(documents) == len(members)
    themes = clustering.themes(n_terms=40)
    french_only = [c for c in range(3) if set(ex.languages_[clustering.labels_ == c]) == {"fr"}]
    for cluster in french_only:
        shown = set(themes.loc[themes["cluster"] == cluster, "term"])
        assert not {"cybersecurity", "Pacific", "accused"} & shown, shown


def test_mixed_cluster_shows_each_term_in_the_language_that_uses_it_most(monkeypatch: Any) -> None:
    # documents too short for language identification: their languages given
    monkeypatch.setattr(ts.Explorer, "_languages", lambda self, docs: (LANGUAGES + ["en"])[:len(docs)])
    ex = ts.Explorer(boilerplate=False, min_df=1).fit(DOCS + ["Pacific Pacific Pacific cybersecurity."])
    assert ex.languages_.tolist() == LANGUAGES + ["en"]
    column = ex.vectorizer_.vocabulary_
    rows = np.array([0, 1, 2])  # fr: cybersécur 4, pacif 2; en: cybersécur 1, pacif 1
    languages = ex._group_languages(rows, [column["cybersecur"], column["pacif"]])
    assert languages.tolist() == ["fr", "fr"]
    rows = np.array([0, 2, 4])  # fr: cybersécur 2, pacif 1; en: cybersécur 2 (2 documents against 1), pacif 4
    assert ex._group_languages(rows, [column["cybersecur"], column["pacif"]]).tolist() == ["en", "en"]
    assert ex._display_names([column["cybersecur"], column["pacif"]], ["fr", "en"]).tolist() == [
        "cybersécurité", "Pacific"]
    rows = np.array([0, 3])  # two uses each, one document each: the smaller code
    assert ex._group_languages(rows, [column["cybersecur"]]).tolist() == ["en"]


def test_explorer_pickled_before_per_language_forms_loads() -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    del ex.vectorizer_.feature_display_names_by_language_  # as fitted before this change
    del ex.search_.counter.feature_display_names_by_language_
    loaded = pickle.loads(pickle.dumps(ex))
    top = loaded.top_terms(n=40)
    # the corpus-wide forms, as then: the vectorizer's where it has the term, else the search index's
    corpus_wide = dict(zip(loaded.search_.counter.get_feature_names_out(), loaded.search_.display_names))
    corpus_wide.update(zip(loaded.vectorizer_.get_feature_names_out(), loaded.feature_names_))
    assert set(top["term"]) <= set(corpus_wide.values())
    english = top.loc[top["document"] == "002", "term"].tolist()
    assert "cybersécurité" in english and "cybersecurity" not in english, english
    assert len(loaded.cluster(2).themes(n_terms=5)) == 10


def test_bit_identical_at_one_and_two_threads() -> None:
    # enough text for several counting chunks, so that two workers share the documents
    articles = ts.datasets.load_sample_articles()
    # "Fumio Kishida" written once in French and once in English (NAME_DOCS): joined across them
    docs = [f"{text.replace('Fumio Kishida', 'X')}\n{i}" for i in range(40) for text in articles.data]
    docs += NAME_DOCS
    languages = ts.detect_languages(docs)[:-2] + ["fr", "en"]
    results = []
    previous = _core.get_num_threads()
    try:
        for threads in (1, 2):
            ts.set_num_threads(threads)
            v = vectorizer(phrases=ts.Phrases(keep_words=True)).fit(docs, languages=languages)
            results.append((v.get_feature_names_out(display=True).tolist(), v.feature_display_names_by_language_,
                            v.get_feature_names_out(display=True, language="en").tolist(),
                            v.analyzer.phrases_.name_terms_, v.vocabulary_))
    finally:
        ts.set_num_threads(previous)
    assert results[0] == results[1]
    assert results[0][1]  # English has forms of its own here: a real check
    assert results[0][3]  # and names joined across the two languages


# ------------------------------------------------------------- names across languages
NAME_DOCS = ["Le premier ministre japonais Fumio Kishida arrive à Tokyo.",
             "Japanese Prime Minister Fumio Kishida arrived in Tokyo."]


def test_a_name_written_alike_in_two_languages_is_one_term() -> None:
    analyzer = ts.Analyzer(fold_accents=True)
    # each language stems "Kishida" its own way: two pairs, each seen once (below min_count=2)
    stage = ts.Phrases(names_across_languages=False).fit(NAME_DOCS, analyzer=analyzer, languages=["fr", "en"])
    assert stage.pairs_ == [] and stage.name_terms_ == {}
    stage = ts.Phrases().fit(NAME_DOCS, analyzer=analyzer, languages=["fr", "en"])
    # one term: the pair of the most frequent language (one document each: the smaller code, en)
    assert stage.name_terms_ == {("fumio", "kishid"): "fumio kishida", ("fumio", "kishida"): "fumio kishida"}
    assert stage.pairs_ == [("fumio", "kishid"), ("fumio", "kishida")]
    mostly_french = ts.Phrases().fit(NAME_DOCS + ["Le Japon et l'Australie."], analyzer=analyzer,
                                     languages=["fr", "en", "fr"])
    assert mostly_french.name_terms_ == {("fumio", "kishid"): "fumio kishid", ("fumio", "kishida"): "fumio kishid"}
    # a name whose stemmed pair is a phrase already (twice in French) keeps its term alone
    learned = ts.Phrases().fit(NAME_DOCS + NAME_DOCS[:1], analyzer=analyzer, languages=["fr", "en", "fr"])
    assert learned.name_terms_ == {} and ("fumio", "kishid") in learned.pairs_
    # a name of one language only is not joined with the other language's stemming of it
    french_only = ts.Phrases().fit(["Fumio Kishida arrive.", "Fumio Kishida part.", "The summit in Tokyo."],
                                   analyzer=analyzer, languages=["fr", "fr", "en"])
    assert french_only.name_terms_ == {} and ("fumio", "kishid") in french_only.pairs_
    # counted once in each document, as one term shown as written
    v = ts.CountVectorizer(analyzer=ts.Analyzer(fold_accents=True, phrases=ts.Phrases(keep_words=True)))
    counts = v.fit_transform(NAME_DOCS, languages=["fr", "en"]).toarray()
    column = v.vocabulary_["fumio kishida"]
    assert counts[:, column].tolist() == [1, 1]
    assert v.get_feature_names_out(display=True)[column] == "Fumio Kishida"
    # a name in one language only is left to the stemmed count (no second pass, nothing added)
    alone = ts.Phrases().fit(NAME_DOCS[:1] * 2, analyzer=analyzer, languages=["fr", "fr"])
    assert alone.name_terms_ == {} and ("fumio", "kishid") in alone.pairs_


def test_a_lower_case_pair_is_not_a_name() -> None:
    docs = ["le premier ministre arrive", "the prime minister arrived"]
    stage = ts.Phrases().fit(docs, analyzer=ts.Analyzer(fold_accents=True), languages=["fr", "en"])
    assert stage.name_terms_ == {}


def test_sample_articles_show_fumio_kishida() -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
    column = ex.vectorizer_.vocabulary_["fumio kishid"]  # the French pair: four articles of five are French
    assert ex.feature_names_[column] == "Fumio Kishida"
    assert np.flatnonzero(ex.counts_[:, [column]].toarray().ravel()).tolist() == [0, 2]  # 000 (fr), 002 (en)
    themes = ex.cluster("auto").themes(n_terms=8)
    shown = themes["term"].tolist()
    assert "Fumio Kishida" in shown and "Fumio" not in shown, shown


def test_phrases_pickled_before_names_across_languages_load() -> None:
    stage = ts.Phrases().fit(NAME_DOCS, analyzer=ts.Analyzer(fold_accents=True), languages=["fr", "en"])
    state = dict(stage.__dict__)
    del state["names_across_languages"], state["name_terms_"]
    old = object.__new__(ts.Phrases)
    old.__setstate__(state)
    assert old.names_across_languages is False and old.name_terms_ == {}


@pytest.mark.parametrize("value", [1, None, "yes"])
def test_names_across_languages_is_checked(value: object) -> None:
    with pytest.raises(TypeError, match=f"names_across_languages must be a bool, got {value!r}"):
        ts.Phrases(names_across_languages=value).fit(["a b"], analyzer=ts.Analyzer())


def test_saved_explorer_keeps_its_per_language_forms(tmp_path: Any) -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    ex.save(tmp_path / "sample.tsc")
    loaded = ts.Explorer.load(tmp_path / "sample.tsc")
    assert loaded.top_terms(n=6).equals(ex.top_terms(n=6))
    assert loaded.vectorizer_.analyzer.phrases_.name_terms_ == ex.vectorizer_.analyzer.phrases_.name_terms_ != {}


def test_a_phrase_hides_its_word_when_its_other_word_is_pruned() -> None:
    # "kishida" is no feature (pruned): "fumio kishida" still shows "fumio" once, in the phrase
    import scipy.sparse as sp

    from themescope.phrases import hide_covered_words, hide_covered_words_sparse

    terms = ["fumio", "fumio kishida", "tokyo"]
    weights = np.array([[0.5, 0.5, 0.2], [0.6, 0.3, 0.0]])
    assert hide_covered_words(weights, terms).tolist() == [[0.0, 0.5, 0.2], [0.6, 0.3, 0.0]]
    assert hide_covered_words_sparse(sp.csr_array(weights), terms).toarray().tolist() == [[0.0, 0.5, 0.2],
                                                                                           [0.6, 0.3, 0.0]]
