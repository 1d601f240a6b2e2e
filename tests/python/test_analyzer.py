"""ts.Analyzer's Python API: calling it, explain(), display forms, determinism,
estimator conventions, and bad input (issue 4, acceptance 6).

Expected token lists are worked out by hand from the pipeline in
python/themescope/analysis.py (normalize -> segment -> numbers -> elision ->
length -> stop words -> stem -> n-grams). Stems are Snowball's: French
"cybersécurité" -> "cybersécur" (step 1 removes "ité"), "renforcent" stays
(no step 2 verb suffix is "ent"); English "allies" -> "alli", "navy" -> "navi"
(Porter2 turns a final y after a consonant into i).
Corpus-scale parity with PyICU/PyStemmer lives in test_analyzer_parity.py.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

import themescope as ts

SENTENCE = "L’OTAN et l'Inde renforcent leur cybersécurité"
COLUMNS = ["language", "segment", "kind", "unelided", "term", "dropped_by", "phrase"]


@pytest.fixture
def restore_threads() -> Iterator[None]:
    before = ts.get_num_threads()
    yield
    ts.set_num_threads(before)


def kept_terms(table: pd.DataFrame) -> list[str]:
    return table.loc[table["dropped_by"].isna(), "term"].tolist()


# ================================================================ 1. calling


def test_french_elision_curly_apostrophe_stop_words_and_stems() -> None:
    # l’otan -> otan (curly apostrophe unified, elision), et/leur: French stop words
    assert ts.Analyzer(language="fr")(SENTENCE) == ["otan", "inde", "renforcent", "cybersécur"]


def test_curly_and_straight_apostrophes_give_the_same_tokens() -> None:
    analyzer = ts.Analyzer(language="fr")
    assert analyzer(SENTENCE) == analyzer(SENTENCE.replace("’", "'")) == analyzer(SENTENCE.replace("'", "’"))


def test_english_possessive_is_removed() -> None:
    assert ts.Analyzer(language="en")("NATO's allies and India’s navy") == ["nato", "alli", "india", "navi"]


def test_elision_off_keeps_the_article() -> None:
    assert ts.Analyzer(language="fr", elision=False, stem=False)("L’OTAN") == ["l'otan"]


def test_stem_false_keeps_the_words() -> None:
    assert ts.Analyzer(language="fr", stem=False)(SENTENCE) == ["otan", "inde", "renforcent", "cybersécurité"]


def test_stop_words_none_keeps_them() -> None:
    assert ts.Analyzer(language="fr", stop_words=None)(SENTENCE) == [
        "otan", "et", "inde", "renforcent", "leur", "cybersécur"]


def test_custom_stop_words_replace_the_language_list_and_are_normalized() -> None:
    # "OTAN" is case-folded before comparison; "et" and "leur" are no longer stop words
    assert ts.Analyzer(language="fr", stop_words=["OTAN"])(SENTENCE) == [
        "et", "inde", "renforcent", "leur", "cybersécur"]


@pytest.mark.parametrize(("min_len", "expected"), [
    (1, ["le", "g7", "et", "ue", "à", "tokyo"]),
    (2, ["le", "g7", "et", "ue", "tokyo"]),  # "à": one character
    (3, ["tokyo"]),  # length counted after elision: l'ue -> ue, 2
])
def test_min_token_len(min_len: int, expected: list[str]) -> None:
    analyzer = ts.Analyzer(language="fr", stem=False, stop_words=None, min_token_len=min_len)
    assert analyzer("Le G7 et l'UE à Tokyo") == expected


@pytest.mark.parametrize(("numbers", "expected"), [
    ("keep", ["en", "2019", "30.000", "manifestants", "et", "1,000", "experts"]),
    ("drop", ["en", "manifestants", "et", "experts"]),
])
def test_numbers_keep_or_drop_and_separators_stay_inside_one_token(numbers: str, expected: list[str]) -> None:
    analyzer = ts.Analyzer(language="fr", stem=False, stop_words=None, numbers=numbers)
    assert analyzer("En 2019, 30.000 manifestants et 1,000 experts") == expected


def test_numbers_are_not_stemmed() -> None:
    assert ts.Analyzer(language="en")("1,000 experts in 2019") == ["1,000", "expert", "2019"]


def test_bigrams_are_formed_over_the_surviving_tokens() -> None:
    # et and leur are dropped first: "otan inde", not "otan et"
    assert ts.Analyzer(language="fr", ngram_range=(1, 2))(SENTENCE) == [
        "otan", "inde", "otan inde", "renforcent", "inde renforcent", "cybersécur", "renforcent cybersécur"]
    assert ts.Analyzer(language="fr", ngram_range=(2, 2))(SENTENCE) == [
        "otan inde", "inde renforcent", "renforcent cybersécur"]
    assert ts.Analyzer(language="fr", ngram_range=(2, 3))("L’OTAN et l’Inde") == ["otan inde"]


def test_bigrams_skip_dropped_numbers() -> None:
    analyzer = ts.Analyzer(language="en", stem=False, numbers="drop", ngram_range=(2, 2))
    assert analyzer("cyber 2019 alliances 30.000 experts") == ["cyber alliances", "alliances experts"]


def test_email_url_and_hyphen_follow_unicode_word_boundaries() -> None:
    # ICU's word boundaries (the segmentation test_analyzer_parity checks against PyICU):
    # an address and a host name stay whole, "://" and "/" split, "e-mail" is two segments
    analyzer = ts.Analyzer(language="en", stem=False, stop_words=None)
    text = "Write to contact@example.com or see https://www.example.org/news about e-mail"
    assert analyzer(text) == ["write", "to", "contact@example.com", "or", "see", "https", "www.example.org",
                              "news", "about", "mail"]  # "e": shorter than min_token_len


def test_language_of() -> None:
    assert ts.Analyzer().language_of(SENTENCE + " et les alliances de la France en Europe") == "fr"
    assert ts.Analyzer().language_of("The Quad leaders met in Tokyo to discuss cyber security") == "en"
    assert ts.Analyzer().language_of("") == "und"
    assert ts.Analyzer(language="fr").language_of("The Quad leaders met in Tokyo") == "fr"  # given, not detected


def test_auto_language_uses_each_documents_own_rules() -> None:
    analyzer = ts.Analyzer()
    english = "The allies and the leaders of the Quad met in Tokyo to discuss cyber security"
    assert analyzer(english) == ts.Analyzer(language="en")(english)
    french = SENTENCE + " et les alliances de la France en Europe"
    assert analyzer(french) == ts.Analyzer(language="fr")(french)


# ================================================================ 2. explain()


def test_explain_one_row_per_segment_with_the_dropping_stage() -> None:
    table = ts.Analyzer(language="fr", min_token_len=3, numbers="drop").explain("L’OTAN et l'UE, 30.000 alliés")
    assert list(table.columns) == COLUMNS
    rows = table.astype(object).where(table.notna(), None).values.tolist()
    assert rows == [
        ["fr", "l'otan", "letter", "otan", "otan", None, None],
        ["fr", "et", "letter", "et", None, "length", None],  # length is checked before stop words
        ["fr", "l'ue", "letter", "ue", None, "length", None],
        ["fr", "30.000", "number", "30.000", None, "numbers", None],
        ["fr", "alliés", "letter", "alliés", "alli", None, None],
    ]


def test_explain_names_the_stop_word_stage() -> None:
    table = ts.Analyzer(language="fr").explain(SENTENCE)
    assert table["segment"].tolist() == ["l'otan", "et", "l'inde", "renforcent", "leur", "cybersécurité"]
    assert table["dropped_by"].fillna("-").tolist() == ["-", "stop_words", "-", "-", "stop_words", "-"]
    assert kept_terms(table) == ts.Analyzer(language="fr")(SENTENCE)


@pytest.mark.parametrize("text", [
    SENTENCE,
    "NATO's allies met 1,000 experts in Tokyo; 30.000 people came.",
    "Le G7 et l'UE à Tokyo: qu’il vienne jusqu’à aujourd’hui!",
    "e-mail contact@example.com https://www.example.org/news",
    "", "   ", "!!! ... ???",
])
@pytest.mark.parametrize("params", [
    {}, {"language": "fr"}, {"language": "en", "stem": False}, {"numbers": "drop", "min_token_len": 3},
    {"stop_words": None, "elision": False},
])
def test_explain_kept_terms_are_the_tokens(text: str, params: dict[str, Any]) -> None:
    analyzer = ts.Analyzer(**params)
    table = analyzer.explain(text)
    assert list(table.columns) == COLUMNS
    assert kept_terms(table) == analyzer(text)
    assert (table["term"].isna() == table["dropped_by"].notna()).all()


PIECES = ["L’OTAN", "l'Inde", "et", "the", "NATO's", "cybersécurité", "alliances", "qu’il", "jusqu'à", "2019",
          "30.000", "1,000", "e-mail", "à", "Tokyo", "'", "’", ",", ".", ";", "!", "-", "(", ")", "é", "x",
          "aujourd’hui", "leur", "and", "of", "7", "ÉTÉ", "ß", "ﬁnance"]


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(PIECES), max_size=25),
    separators=st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=25, max_size=25),
    language=st.sampled_from(["auto", "fr", "en"]),
    stem=st.booleans(),
    numbers=st.sampled_from(["keep", "drop"]),
    min_token_len=st.integers(1, 4),
    elision=st.booleans(),
    stop_words=st.sampled_from(["auto", None, ["otan", "Cybersécurité", "l'inde"]]),
)
def test_explain_agrees_with_calling_on_generated_text(words: list[str], separators: list[str], language: str,
                                                       stem: bool, numbers: str, min_token_len: int,
                                                       elision: bool, stop_words: Any) -> None:
    text = "".join(w + s for w, s in zip(words, separators))
    analyzer = ts.Analyzer(language=language, stem=stem, numbers=numbers, min_token_len=min_token_len,
                           elision=elision, stop_words=stop_words)
    unigrams = kept_terms(analyzer.explain(text))
    assert unigrams == analyzer(text)
    # and the bigrams are those of the kept terms, each after the unigram that ends it
    expected: list[str] = []
    for i, term in enumerate(unigrams):
        expected.append(term)
        if i:
            expected.append(unigrams[i - 1] + " " + term)
    assert analyzer.set_params(ngram_range=(1, 2))(text) == expected


def test_explain_of_empty_text_is_an_empty_frame_with_the_columns() -> None:
    for text in ["", "   \n\t", "!!! ... ???"]:
        table = ts.Analyzer().explain(text)
        assert table.empty and list(table.columns) == COLUMNS


# ============================================================ 3. display forms

FRENCH_DOCS = [
    "La cybersécurité est une priorité. La cybersécurité de l’OTAN.",
    "Les cybersécurités nationales et la cybersécurité européenne",
    "L’Inde renforce sa cybersécurité",
]


def test_display_names_are_the_most_frequent_surface_forms() -> None:
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr")).fit(FRENCH_DOCS)
    stems = list(vectorizer.get_feature_names_out())
    display = list(vectorizer.get_feature_names_out(display=True))
    assert stems == ["cybersécur", "européen", "inde", "national", "otan", "priorit", "renforc"]
    # cybersécurité 4 times, cybersécurités once; "L’Inde" and "l’OTAN" keep their case
    assert display == ["cybersécurité", "européenne", "Inde", "nationales", "OTAN", "priorité", "renforce"]
    assert list(vectorizer.get_feature_names_out(display=False)) == stems
    assert sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get) == stems


def test_display_names_with_bigrams_and_without_stemming() -> None:
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", ngram_range=(1, 2))).fit(FRENCH_DOCS)
    names = vectorizer.get_feature_names_out()
    display = vectorizer.get_feature_names_out(display=True)
    assert len(display) == len(names)
    assert dict(zip(names, display))["cybersécur européen"] == "cybersécurité européenne"
    plain = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", stem=False)).fit(FRENCH_DOCS)
    assert list(plain.get_feature_names_out(display=True)) == list(plain.get_feature_names_out())
    assert "cybersécurités" in plain.vocabulary_


def test_display_names_follow_a_refit() -> None:
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr"))
    vectorizer.fit(FRENCH_DOCS)
    vectorizer.fit(["les cybersécurités, les cybersécurités et la cybersécurité"])
    assert list(vectorizer.get_feature_names_out(display=True)) == ["cybersécurités"]



def test_display_names_keep_the_most_frequent_case() -> None:
    docs = ["Les États-Unis et les ÉTATS. Kishida à Tokyo.", "Aux États-Unis, les états", "Paris, paris, PARIS et Kishida"]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr")).fit(docs)
    display = dict(zip(vectorizer.get_feature_names_out(), vectorizer.get_feature_names_out(display=True)))
    # États 2, ÉTATS 1, états 1; Kishida twice, Tokyo once
    assert display["état"] == "États"
    assert display["kishid"] == "Kishida"
    assert display["tokyo"] == "Tokyo"
    # a tie (once each): the smallest form in UTF-8 byte order, whatever the document order
    assert display["paris"] == "PARIS"
    reordered = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr")).fit([docs[2], docs[1], docs[0]])
    assert dict(zip(reordered.get_feature_names_out(), reordered.get_feature_names_out(display=True))) == display


def test_a_word_in_several_cases_outnumbers_another_inflection() -> None:
    # one stem "ministr": the word "ministre" 4 times (twice capitalized) against "ministres" 3
    # times; counted spelling by spelling, "ministres" (3) would beat "Ministre" (2)
    docs = ["Ministre Ministre ministre ministre", "ministres ministres ministres"]
    params = dict(analyzer=ts.Analyzer(language="fr"), min_df=1)
    one = ts.CountVectorizer(**params).fit(docs)
    assert one.get_feature_names_out(display=True).tolist() == ["Ministre"]  # its cases tie: the smaller
    # the merge of partial fits chooses alike (incremental.py's rule is the native one)
    partial = ts.CountVectorizer(**params)
    for doc in ["ministres ministres ministres", "Ministre ministre", "ministre Ministre"]:
        partial.partial_fit([doc])
    assert partial.get_feature_names_out(display=True).tolist() == ["Ministre"]


def test_display_names_of_accent_folded_terms() -> None:
    # one term "etat": États three times, Etats once, etats once
    docs = ["Les États-Unis, les Etats-Unis", "Aux États-Unis et les etats", "Les États"]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", fold_accents=True)).fit(docs)
    display = dict(zip(vectorizer.get_feature_names_out(), vectorizer.get_feature_names_out(display=True)))
    assert display["etat"] == "États"


def test_each_spelling_counts_for_itself() -> None:
    # the same normalized token in several spellings, met by one analyzer state in turn:
    # each occurrence counts for its own spelling
    for docs, expected in ((["Paris Paris paris"], "Paris"), (["paris paris Paris"], "paris"),
                           (["Paris", "paris", "paris"], "paris"), (["paris", "Paris", "Paris"], "Paris")):
        vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr")).fit(docs)
        assert vectorizer.get_feature_names_out(display=True).tolist() == [expected], docs


def test_display_names_are_normalized_beyond_case() -> None:
    # a soft hyphen inside a word (pre\u00admier) is no part of the form shown, nor are elided articles
    docs = ["le pre\u00admier ministre", "le pre\u00admier jour", "L'Union et l'Union"]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr")).fit(docs)
    display = dict(zip(vectorizer.get_feature_names_out(), vectorizer.get_feature_names_out(display=True)))
    assert display["premi"] == "premier"
    assert display["union"] == "Union"


def test_headline_weight_counts_the_first_line_again() -> None:
    analyzer = ts.Analyzer(language="fr", headline_weight=3)
    plain = ts.Analyzer(language="fr")
    text = "Sommet de l'OTAN\nLe sommet s'ouvre à Madrid."
    assert analyzer(text) == plain(text) + 2 * plain("Sommet de l'OTAN")
    assert analyzer("Sommet\r\nà Madrid") == ["sommet", "madrid", "sommet", "sommet"]
    # a document of one line has no headline
    assert analyzer("Le sommet de l'OTAN à Madrid") == plain("Le sommet de l'OTAN à Madrid")
    assert analyzer("") == [] and analyzer("\nMadrid") == ["madrid"]


def test_headline_weight_in_the_vectorizers() -> None:
    docs = ["Sommet de l'OTAN\n\nLe sommet s'ouvre à Madrid.", "Madrid\nLa ville accueille l'OTAN", "Sans titre"]
    weighted = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", headline_weight=2))
    X = weighted.fit_transform(docs)
    plain = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr"))
    expected = plain.fit_transform(docs) + plain.transform([d.split("\n")[0] if "\n" in d else "" for d in docs])
    assert weighted.get_feature_names_out().tolist() == plain.get_feature_names_out().tolist()
    assert (X != expected).nnz == 0


def test_headline_weight_leaves_the_phrase_statistics_alone() -> None:
    docs = ["Fumio Kishida arrive\nFumio Kishida parle", "Le premier ministre Fumio Kishida", "Fumio Kishida"]
    one = ts.Phrases().fit(docs, analyzer=ts.Analyzer(language="fr"))
    three = ts.Phrases().fit(docs, analyzer=ts.Analyzer(language="fr", headline_weight=3))
    pd.testing.assert_frame_equal(one.statistics_, three.statistics_)
    analyzer = ts.Analyzer(language="fr", phrases=True, headline_weight=2).fit(docs)
    assert analyzer(docs[0]) == ["fumio kishid", "arriv", "fumio kishid", "parl", "fumio kishid", "arriv"]


@pytest.mark.parametrize("weight", [0, -1])
def test_headline_weight_below_one_is_refused(weight: int) -> None:
    with pytest.raises(ValueError, match=f"headline_weight must be an int >= 1, got {weight}"):
        ts.Analyzer(headline_weight=weight)("text")


@pytest.mark.parametrize("weight", [1.5, True, "2"])
def test_headline_weight_must_be_an_int(weight: object) -> None:
    with pytest.raises(TypeError, match="headline_weight must be an int >= 1"):
        ts.Analyzer(headline_weight=weight)("text")


# ======================================================== 4. determinism, threads


def test_thread_count_does_not_change_anything(restore_threads: None) -> None:
    documents = ts.datasets.load_sample_articles().data * 4

    def run(threads: int) -> tuple[Any, Any, dict[str, int], list[str]]:
        ts.set_num_threads(threads)
        vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
        X = vectorizer.fit_transform(documents)
        return X, vectorizer.idf_, vectorizer.vocabulary_, list(vectorizer.get_feature_names_out(display=True))

    X1, idf1, vocabulary1, display1 = run(1)
    X2, idf2, vocabulary2, display2 = run(2)
    assert X1.shape[0] == len(documents) and X1.nnz > 0
    for a, b in [(X1.indptr, X2.indptr), (X1.indices, X2.indices), (X1.data, X2.data), (idf1, idf2)]:
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert vocabulary1 == vocabulary2
    assert display1 == display2
    # the French stem's display form comes from the French articles
    assert display1[vocabulary1["cybersécur"]] == "cybersécurité"


# ===================================================== 5. estimator conventions


def test_get_params_and_set_params() -> None:
    analyzer = ts.Analyzer()
    assert analyzer.get_params() == {"language": "auto", "stop_words": "auto", "elision": True, "stem": True,
                                     "numbers": "keep", "min_token_len": 2, "ngram_range": (1, 1),
                                     "fold_accents": False, "phrases": False, "headline_weight": 1}
    assert analyzer.set_params(language="fr") is analyzer
    assert analyzer(SENTENCE)[-1] == "cybersécur"
    assert analyzer.set_params(stem=False) is analyzer
    assert analyzer(SENTENCE)[-1] == "cybersécurité"  # the native analyzer was rebuilt


def test_a_custom_stop_word_list_edited_in_place_takes_effect() -> None:
    words = ["otan"]
    analyzer = ts.Analyzer(language="fr", stop_words=words)
    assert "inde" in analyzer(SENTENCE)
    words.append("inde")
    assert "inde" not in analyzer(SENTENCE)


def test_clone_gives_an_equal_unshared_analyzer() -> None:
    analyzer = ts.Analyzer(language="fr", stop_words=["otan"], ngram_range=(1, 2))
    analyzer(SENTENCE)
    copy = clone(analyzer)
    assert copy is not analyzer and copy.get_params() == analyzer.get_params()
    assert copy(SENTENCE) == analyzer(SENTENCE)
    vectorizer = ts.TfidfVectorizer(analyzer=analyzer)
    assert clone(vectorizer).analyzer is not analyzer
    assert clone(vectorizer).get_params()["analyzer__ngram_range"] == (1, 2)


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_pickle_round_trip(protocol: int) -> None:
    analyzer = ts.Analyzer(language="fr", stop_words=["otan"], numbers="drop")
    before = analyzer(SENTENCE + " 2019")  # the native analyzer is built and cached
    restored = pickle.loads(pickle.dumps(analyzer, protocol=protocol))
    assert restored.get_params() == analyzer.get_params()
    assert restored(SENTENCE + " 2019") == before

    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr")).fit(FRENCH_DOCS)
    again = pickle.loads(pickle.dumps(vectorizer, protocol=protocol))
    assert (again.transform(FRENCH_DOCS) != vectorizer.transform(FRENCH_DOCS)).nnz == 0
    assert list(again.get_feature_names_out(display=True)) == list(vectorizer.get_feature_names_out(display=True))


LABELLED = [
    ("La cybersécurité de l’OTAN est une priorité des alliés", 1),
    ("Les alliés renforcent leur cybersécurité face aux attaques", 1),
    ("L’Inde et le Japon parlent de cybersécurité au sommet", 1),
    ("Une attaque informatique vise les réseaux de l’OTAN", 1),
    ("Le championnat de football reprend ce week-end", 0),
    ("Les footballeurs de l’équipe de France gagnent le match", 0),
    ("Le match de football se joue au stade samedi", 0),
    ("L’équipe gagne le championnat au stade", 0),
]


def test_pipeline_and_grid_search_over_analyzer_parameters() -> None:
    texts = [text for text, _ in LABELLED]
    labels = [label for _, label in LABELLED]
    pipeline = Pipeline([("vec", ts.TfidfVectorizer(analyzer=ts.Analyzer(language="fr"))),
                         ("clf", LogisticRegression())])
    grid = GridSearchCV(pipeline, {"vec__analyzer__stem": [True, False], "vec__sublinear_tf": [True, False]}, cv=2)
    grid.fit(texts, labels)
    assert len(grid.cv_results_["params"]) == 4
    best = grid.best_estimator_
    assert best.named_steps["vec"].analyzer.stem == grid.best_params_["vec__analyzer__stem"]
    assert best.named_steps["vec"].analyzer is not pipeline.named_steps["vec"].analyzer
    assert list(best.predict(["la cybersécurité des alliés", "le match de football"])) == [1, 0]
    # each candidate's vocabulary is its own: stems with stem=True, words with stem=False
    stemmed = clone(pipeline).set_params(vec__analyzer__stem=True).fit(texts, labels)
    words = clone(pipeline).set_params(vec__analyzer__stem=False).fit(texts, labels)
    assert "cybersécur" in stemmed.named_steps["vec"].vocabulary_
    assert "cybersécurité" in words.named_steps["vec"].vocabulary_


# ============================================================ 6. bad input


@pytest.mark.parametrize("cls", [ts.TfidfVectorizer, ts.CountVectorizer])
def test_invalid_utf8_names_the_document_and_byte_offset(cls: type) -> None:
    vectorizer = cls(analyzer=ts.Analyzer(language="fr"), decode_error="strict")
    with pytest.raises(UnicodeDecodeError, match=r"document 2, byte offset 5") as error:
        vectorizer.fit([b"cyber alliance", "l'OTAN", b"caf\xc3\xa9\xff fin"])
    assert error.value.start == 5
    fitted = cls(analyzer=ts.Analyzer(language="fr")).fit(FRENCH_DOCS)
    with pytest.raises(UnicodeDecodeError, match=r"document 1, byte offset 0"):
        fitted.transform([b"ok", b"\xe9t\xe9"])


def test_invalid_utf8_replace_decodes_to_the_replacement_character() -> None:
    docs = [b"cyber alliance", b"caf\xc3\xa9\xff alliances"]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", stem=False), decode_error="replace")
    X = vectorizer.fit_transform(docs)
    # U+FFFD is not a word character: it splits "café\ufffd" after café
    assert vectorizer.vocabulary_ == {"alliance": 0, "alliances": 1, "café": 2, "cyber": 3}
    assert X.toarray().tolist() == [[1, 0, 0, 1], [0, 1, 1, 0]]
    same = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", stem=False)).fit_transform(
        [d.decode("utf-8", "replace") for d in docs])
    assert (X != same).nnz == 0


@pytest.mark.parametrize("text", ["", " \n\t ", "!!! ... ???", "« — » … ·", "et le la les de des",
                                  "’ ' ’’ ''"])
def test_empty_punctuation_or_stop_word_text_has_no_tokens(text: str) -> None:
    analyzer = ts.Analyzer(language="fr")
    assert analyzer(text) == []
    assert kept_terms(analyzer.explain(text)) == []


def test_a_vectorizer_of_only_such_documents_has_an_empty_vocabulary() -> None:
    for cls in (ts.TfidfVectorizer, ts.CountVectorizer):
        with pytest.raises(ValueError, match="empty vocabulary; perhaps the documents only contain stop words"):
            cls(analyzer=ts.Analyzer(language="fr")).fit(["", "!!! ...", "et le la les", "l’ d’"])


@pytest.mark.parametrize("value", [None, 5, 2.5, ["a", "list"]])
def test_non_text_documents_are_a_type_error_naming_the_index(value: Any) -> None:
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer())
    with pytest.raises(TypeError, match=rf"document 1 is {type(value).__name__}\b"):
        vectorizer.fit(["cyber alliances", value, "more text"])
    vectorizer.fit(["cyber alliances"])
    with pytest.raises(TypeError, match=rf"document 2 is {type(value).__name__}\b"):
        vectorizer.transform(["a", "b", value])


@pytest.mark.parametrize("value", [b"caf\xc3\xa9", None, 5, ["a list"]])
def test_calling_on_a_non_str_is_a_type_error_naming_its_type(value: Any) -> None:
    analyzer = ts.Analyzer(language="fr")
    for use in (analyzer, analyzer.explain, analyzer.language_of):
        with pytest.raises(TypeError, match=rf"^text must be str, got {type(value).__name__}$"):
            use(value)


@pytest.mark.parametrize("language", ["xx", "klingon", "FR", "fra", ""])
def test_an_unknown_language_is_a_value_error_naming_the_supported_codes(language: str) -> None:
    analyzer = ts.Analyzer(language=language)  # __init__ only stores it
    for use in (lambda: analyzer("texte"), lambda: analyzer.explain("texte"),
                lambda: ts.TfidfVectorizer(analyzer=analyzer).fit(["texte"])):
        with pytest.raises(ValueError, match=rf"^unknown language '{language}'; supported: ") as error:
            use()
        supported = str(error.value).split("supported: ")[1].split(" (or")[0].split(", ")
        assert {"fr", "en", "de", "it", "ca"} <= set(supported)
        assert supported == sorted(supported)


def test_a_language_without_a_needed_resource_says_what_to_change() -> None:
    # Catalan: a stemmer and elision, but no Snowball stop word list
    with pytest.raises(ValueError, match=r"language 'ca' has no stop word list; supported: .*\bfr\b.*stop_words=None"):
        ts.Analyzer(language="ca")("l'alcalde")
    assert ts.Analyzer(language="ca", stop_words=None, stem=False)("L’alcalde i l'Ajuntament") == [
        "alcalde", "ajuntament"]  # "i": one character
    for language in ts.STOP_WORD_LANGUAGES:
        assert ts.Analyzer(language=language, stem=False, stop_words=None)("Tokyo") == ["tokyo"]


@pytest.mark.parametrize(("params", "error", "named"), [
    ({"min_token_len": 0}, ValueError, "got 0"),
    ({"min_token_len": -1}, ValueError, "got -1"),
    ({"min_token_len": "2"}, ValueError, "got '2'"),
    ({"min_token_len": 2.0}, ValueError, "got 2.0"),
    ({"min_token_len": True}, ValueError, "got True"),
    ({"ngram_range": (2, 1)}, ValueError, r"got \(2, 1\)"),
    ({"ngram_range": (0, 1)}, ValueError, r"got \(0, 1\)"),
    ({"ngram_range": (1,)}, ValueError, r"got \(1,\)"),
    ({"ngram_range": (1.0, 2)}, ValueError, r"got \(1.0, 2\)"),
    ({"numbers": "bogus"}, ValueError, "got 'bogus'"),
    ({"numbers": None}, ValueError, "got None"),
    ({"stop_words": "english"}, ValueError, "got 'english'"),
    ({"stop_words": 5}, TypeError, "stop_words .*got int 5"),
    ({"stop_words": (w for w in ["ok"])}, TypeError, "stop_words .*got generator"),
    ({"stop_words": ["ok", 3]}, TypeError, "int 3"),
    ({"stop_words": ["ok", b"bytes"]}, TypeError, "bytes b'bytes'"),
    ({"stem": "yes"}, TypeError, "got 'yes'"),
    ({"elision": 1}, TypeError, "got 1"),
    ({"language": None}, TypeError, "NoneType"),
])
def test_invalid_parameters_are_errors_naming_the_value(params: dict[str, Any], error: type, named: str) -> None:
    analyzer = ts.Analyzer(**params)  # __init__ only stores parameters
    assert analyzer.get_params()[next(iter(params))] is next(iter(params.values()))
    with pytest.raises(error, match=named):
        analyzer("texte")
    with pytest.raises(error, match=named):
        ts.CountVectorizer(analyzer=analyzer).fit(["texte"])


HUNDRED_MB_SCRIPT = r"""
import json, resource, sys
from collections import Counter
import themescope as ts

block, target = json.loads(sys.argv[1])
repeats = target // len(block)
document = block * repeats

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

analyzer = ts.Analyzer(language="fr")
before = peak_mb()
vectorizer = ts.CountVectorizer(analyzer=analyzer)
X = vectorizer.fit_transform([document, block, ""])
growth = peak_mb() - before
row = X.getrow(0).toarray().ravel()
print(json.dumps({
    "length": len(document),
    "repeats": repeats,
    "row0": {term: int(row[i]) for term, i in vectorizer.vocabulary_.items()},
    "row1": {term: int(X[1, i]) for term, i in vectorizer.vocabulary_.items() if X[1, i]},
    "row2_nnz": int(X.getrow(2).nnz),
    "peak_growth_mb": growth,
}))
"""


def test_a_hundred_megabyte_document() -> None:
    # long words: few segments per megabyte, so the native pass stays quick
    block = ("Cybersécurité: l’OTAN renforce considérablement l'interopérabilité des infrastructures "
             "numériques; 30.000 administrations participent. ")
    target = 100_000_000
    completed = subprocess.run([sys.executable, "-c", HUNDRED_MB_SCRIPT, json.dumps([block, target])],
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    repeats = result["repeats"]
    assert result["length"] >= 0.99 * target
    per_block = Counter(ts.Analyzer(language="fr")(block))
    assert per_block == Counter({"cybersécur": 1, "otan": 1, "renforc": 1, "consider": 1, "interoper": 1,
                                 "infrastructur": 1, "numer": 1, "30.000": 1, "administr": 1, "participent": 1})
    assert result["row0"] == {term: count * repeats for term, count in per_block.items()}
    assert result["row1"] == dict(per_block)
    assert result["row2_nnz"] == 0
    # bounded by the native working buffers (the text in UTF-16 and normalized, ~4 bytes a
    # character: ~400 MB measured), never a Python list of the 7.4 million tokens on top
    assert result["peak_growth_mb"] < 768, result


def test_fold_accents_is_sklearns_strip_accents_unicode_on_the_terms() -> None:
    from sklearn.feature_extraction.text import strip_accents_unicode

    for text in ts.datasets.load_sample_articles().data:
        plain = ts.Analyzer(language="auto")(text)
        folded = ts.Analyzer(language="auto", fold_accents=True)(text)
        assert folded == [strip_accents_unicode(term) for term in plain]
    assert ts.Analyzer(language="fr", fold_accents=True)("États Etats état") == ["etat", "etat", "etat"]
    table = ts.Analyzer(language="fr", fold_accents=True).explain("Les États")
    assert table["term"].tolist()[-1] == "etat" and table["unelided"].tolist()[-1] == "états"
    with pytest.raises(TypeError, match="fold_accents must be a bool"):
        ts.Analyzer(fold_accents="yes")("x")


def test_analyzer_and_phrases_pickled_before_their_newest_parameters_load() -> None:
    # states written before headline_weight (Analyzer) and name_min_documents (Phrases) existed
    analyzer = ts.Analyzer(language="fr")
    state = analyzer.__getstate__()
    del state["headline_weight"]
    old = ts.Analyzer.__new__(ts.Analyzer)
    old.__setstate__(state)
    assert old.get_params()["headline_weight"] == 1  # every line alike, as then
    assert old("Le ministre\nLes ministres") == analyzer("Le ministre\nLes ministres")
    phrases = ts.Phrases(min_documents=3)
    state = phrases.__getstate__()
    del state["name_min_documents"]
    old_phrases = ts.Phrases.__new__(ts.Phrases)
    old_phrases.__setstate__(state)
    assert old_phrases.get_params()["name_min_documents"] == 3  # names asked min_documents then
