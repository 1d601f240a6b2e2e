"""The phrase stage (ts.Phrases, Analyzer(phrases=...)): names, compounds and collocations as terms.

- the statistic (NPMI) and the choice on hand-worked corpora;
- the native counting against a plain-Python reference (the oracle) that counts the same
  linked tokens, and the native stage against a plain-Python greedy join;
- surface forms: the pair as written most often ("Fumio Kishida", "Indo-Pacifique");
- properties (hypothesis): the thread count and the document order change nothing; no
  phrase crosses punctuation, a blank line or a dropped word;
- bad input.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

import themescope as ts
from themescope import _core


def bare(**options: Any) -> ts.Analyzer:
    """English, no stemming, no stop words, one-letter words kept: terms are the words."""
    params = dict(language="en", stem=False, stop_words=None, min_token_len=1)
    params.update(options)
    return ts.Analyzer(**params)


# --------------------------------------------------------------------- hand-worked


def test_npmi_of_hand_worked_pairs() -> None:
    # kept tokens: [a b] . [a b] | [x y z] . [x z]  -> 9, in 4 chains
    docs = ["a b. a b.", "x y z. x z"]
    stage = ts.Phrases(min_count=1, min_documents=1, threshold=0.5, name_threshold=0.25).fit(docs, analyzer=bare())
    stats = stage.statistics_.set_index(["first", "second"])
    assert stage.n_tokens_ == 9
    # "b. a" is not a pair: the full stop breaks it
    assert set(stats.index) == {("a", "b"), ("x", "y"), ("y", "z"), ("x", "z")}
    # (a, b): p(ab) = p(a) = p(b) = 2/9 -> ln(p(ab) / (p(a) p(b))) / -ln p(ab) = ln 4.5 / ln 4.5 = 1
    assert stats.loc[("a", "b"), "npmi"] == pytest.approx(1.0)
    # (x, y): p(xy) = 1/9, p(x) = 2/9, p(y) = 1/9 -> ln 4.5 / ln 9 = 0.6845
    assert stats.loc[("x", "y"), "npmi"] == pytest.approx(math.log(4.5) / math.log(9))
    # (x, z): p(xz) = 1/9, p(x) = p(z) = 2/9 -> ln 2.25 / ln 9 = 0.3691: below 0.5
    assert stats.loc[("x", "z"), "npmi"] == pytest.approx(math.log(2.25) / math.log(9))
    assert stage.pairs_ == [("a", "b"), ("x", "y"), ("y", "z")]
    assert stats.loc[("a", "b"), ["count", "first_count", "second_count"]].tolist() == [2, 2, 2]


# (xa, zo) adjacent once among 10 kept tokens, each word twice: NPMI ln(10 / 4) / ln 10 = 0.398,
# between name_threshold (0.25) and threshold (0.5)
REST = ". xa. zo. a. b. c. d. e. f."


@pytest.mark.parametrize("written, capitalized, hyphenated, selected", [
    ("xa zo", 0, 0, False),  # a plain pair: NPMI below 0.5
    ("Xa Zo", 1, 0, True),   # a name: the lower threshold
    ("xa-zo", 0, 1, True),   # a compound: the lower threshold
    ("Xa zo", 0, 0, False),  # one capital is not a name
])
def test_names_and_compounds_get_the_lower_threshold(written: str, capitalized: int, hyphenated: int,
                                                      selected: bool) -> None:
    stage = ts.Phrases(min_count=1, min_documents=1).fit([written + REST], analyzer=bare())
    row = stage.statistics_.set_index(["first", "second"]).loc[("xa", "zo")]
    assert row["npmi"] == pytest.approx(math.log(2.5) / math.log(10))
    assert (row["capitalized"], row["hyphenated"], row["selected"]) == (capitalized, hyphenated, selected)
    assert (("xa", "zo") in stage.pairs_) == selected
    # above name_threshold, nothing is chosen by the name rule
    higher = ts.Phrases(min_count=1, min_documents=1, name_threshold=0.45)
    assert higher.fit([written + REST], analyzer=bare()).pairs_ == []


def test_min_count() -> None:
    docs = ["gilets jaunes", "gilets jaunes", "gilets jaunes"]
    assert ts.Phrases(min_count=3).fit(docs, analyzer=bare()).pairs_ == [("gilets", "jaunes")]
    assert ts.Phrases(min_count=4).fit(docs, analyzer=bare()).pairs_ == []


def test_numbers_are_no_part_of_a_phrase() -> None:
    docs = ["In June 2004, 26 years", "June 2004 and 26 years"]
    stats = ts.Phrases().fit(docs, analyzer=bare()).statistics_.set_index(["first", "second"])
    assert stats.loc[("june", "2004"), "npmi"] == pytest.approx(stats.loc[("26", "years"), "npmi"])
    assert not stats["selected"].any()


def test_min_documents() -> None:
    # twice in one article (its headline and its lead, say): not a phrase of the corpus
    docs = ["gilets jaunes. Les gilets jaunes", "autre chose"]
    stats = ts.Phrases().fit(docs, analyzer=bare()).statistics_.set_index(["first", "second"])
    assert stats.loc[("gilets", "jaunes"), ["count", "documents", "selected"]].tolist() == [2, 1, False]
    assert ts.Phrases(min_documents=1).fit(docs, analyzer=bare()).pairs_ == [("gilets", "jaunes")]


def test_a_name_needs_one_document() -> None:
    # written as a name twice in one article: a phrase (name_min_documents=1), unless names
    # are asked for as many documents as collocations
    docs = ["Serena Williams gagne. Serena Williams rit", "autre chose"]
    stats = ts.Phrases().fit(docs, analyzer=bare()).statistics_.set_index(["first", "second"])
    assert stats.loc[("serena", "williams"), ["count", "documents", "capitalized", "selected"]].tolist() == [
        2, 1, 2, True]
    assert ts.Phrases(name_min_documents=2).fit(docs, analyzer=bare()).pairs_ == []
    # lower case in one of its two occurrences is still a name (half of them); in both, not
    assert ts.Phrases().fit(["Serena Williams gagne. serena williams rit"], analyzer=bare()).pairs_ == [
        ("serena", "williams")]
    assert ts.Phrases().fit(["serena williams gagne. serena williams rit"], analyzer=bare()).pairs_ == []


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_name_min_documents_is_checked(value: object) -> None:
    with pytest.raises(ValueError, match=f"name_min_documents must be an int >= 1, got {value!r}"):
        ts.Phrases(name_min_documents=value).fit(["a b"], analyzer=bare())


# --------------------------------------------------------------------- the stage


def fitted(docs: list[str], **options: Any) -> ts.Analyzer:
    return bare(phrases=ts.Phrases(min_count=2), **options).fit(docs)


def test_stage_joins_pairs_greedily_from_the_left() -> None:
    analyzer = fitted(["a b c", "a b c", "x y", "x y"])
    # (a, b) and (b, c) are both phrases: the leftmost wins, as in gensim
    assert analyzer.phrases_.pairs_ == [("a", "b"), ("b", "c"), ("x", "y")]
    assert analyzer("a b c x y") == ["a b", "c", "x y"]
    assert analyzer("b c a") == ["b c", "a"]
    # a full stop, a comma, a blank line, a spaced dash: no phrase
    assert analyzer("a. b, a\n\nb a - b") == ["a", "b", "a", "b", "a", "b"]
    # one line break and a hyphen join
    assert analyzer("a\nb a-b") == ["a b", "a b"]


def test_dropped_words_break_phrases() -> None:
    analyzer = ts.Analyzer(language="en", stem=False, phrases=ts.Phrases(min_count=2)).fit(
        ["prime minister", "prime minister"])
    assert analyzer.phrases_.pairs_ == [("prime", "minister")]
    assert analyzer("prime minister") == ["prime minister"]
    assert analyzer("prime the minister") == ["prime", "minister"]  # "the" is a stop word
    assert analyzer("prime 2024 minister") == ["prime", "2024", "minister"]


def test_explain_shows_the_phrase_stage() -> None:
    analyzer = ts.Analyzer(language="fr", phrases=True).fit(
        ["Le premier ministre Fumio Kishida.", "Fumio Kishida, premier ministre.", "Le ministre."])
    table = analyzer.explain("Le premier ministre Fumio Kishida")
    assert list(table.columns) == ["language", "segment", "kind", "unelided", "term", "dropped_by", "phrase"]
    assert table["phrase"].fillna("-").tolist() == ["-", "premi ministr", "premi ministr", "fumio kishid", "fumio kishid"]
    # what explain says is what the analyzer does
    assert analyzer("Le premier ministre Fumio Kishida") == ["premi ministr", "fumio kishid"]
    # without the stage the column is empty
    assert ts.Analyzer(language="fr").explain("premier ministre")["phrase"].isna().all()


def test_surface_forms_are_the_pair_as_written_most_often() -> None:
    docs = [
        "Fumio Kishida rencontre Narendra Modi dans l'Indo-Pacifique.",
        "Pour Fumio Kishida, l'Indo-Pacifique est libre. Le premier ministre parle.",
        "fumio kishida et l'indo-pacifique ; le premier ministre et les gilets jaunes.",
        "Les gilets jaunes manifestent. Le Premier ministre répond aux gilets jaunes.",
    ]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", phrases=True))
    X = vectorizer.fit_transform(docs)
    names = vectorizer.get_feature_names_out()
    display = dict(zip(names, vectorizer.get_feature_names_out(display=True)))
    assert display["fumio kishid"] == "Fumio Kishida"  # 2 of 3 occurrences
    assert display["indo pacif"] == "Indo-Pacifique"  # "l'" taken off as elision does
    assert display["premi ministr"] == "premier ministre"  # 2 of 3
    assert display["gilet jaun"] == "gilets jaunes"
    # the words of a phrase are not counted again on their own
    assert "kishid" not in display and "fumio" not in display
    assert X[:, vectorizer.vocabulary_["gilet jaun"]].sum() == 3


def test_accent_folding_makes_one_phrase_of_both_spellings() -> None:
    docs = ["Les États-Unis et la Chine.", "Les Etats-Unis, la Chine.", "Aux États-Unis."]
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(language="fr", fold_accents=True, phrases=True))
    vectorizer.fit(docs)
    display = dict(zip(vectorizer.get_feature_names_out(), vectorizer.get_feature_names_out(display=True)))
    assert display["etat unis"] == "États-Unis"


# ----------------------------------------------------------- the reference (oracle)


def reference_counts(analyzer: ts.Analyzer, docs: list[str], phrases: ts.Phrases) -> dict[tuple[str, str], Any]:
    """count_phrases in plain Python over the analyzer's linked tokens."""
    native = analyzer._native_without_phrases()
    unigrams: Counter[str] = Counter()
    pairs: dict[tuple[str, str], list[int]] = {}
    documents: Counter[tuple[str, str]] = Counter()
    n = 0
    for doc in docs:
        seen: set[tuple[str, str]] = set()
        previous: tuple[str, bool] | None = None
        for term, _surface, written, link in native.linked_tokens(doc):
            unigrams[term] += 1
            n += 1
            capitalized = written[:1].isupper() or written[:1].istitle()
            if link != "none":
                assert previous is not None
                entry = pairs.setdefault((previous[0], term), [0, 0, 0])
                entry[0] += 1
                entry[1] += link == "hyphen"
                entry[2] += capitalized and previous[1]
                seen.add((previous[0], term))
            previous = (term, capitalized)
        documents.update(seen)
    out = {}
    for (a, b), (count, hyphenated, capitalized) in pairs.items():
        if count < phrases.min_count:
            continue
        p_ab, p_a, p_b = count / n, unigrams[a] / n, unigrams[b] / n
        npmi = 1.0 if p_ab == 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
        named = 2 * hyphenated >= count or 2 * capitalized >= count
        numbers = a[0].isdigit() or b[0].isdigit()
        collocation = documents[(a, b)] >= phrases.min_documents and npmi >= phrases.threshold
        name = named and documents[(a, b)] >= phrases.name_min_documents and npmi >= phrases.name_threshold
        selected = not numbers and (collocation or name)
        out[(a, b)] = (count, documents[(a, b)], hyphenated, capitalized, unigrams[a], unigrams[b], npmi, selected)
    return out


def reference_join(analyzer: ts.Analyzer, doc: str) -> list[str]:
    """The phrase stage in plain Python: greedy from the left over linked tokens."""
    pairs = set(analyzer.phrases_.pairs_)
    out: list[str] = []
    held: str | None = None
    for term, _surface, _written, link in analyzer._native_without_phrases().linked_tokens(doc):
        if held is not None and link != "none" and (held, term) in pairs:
            out.append(f"{held} {term}")
            held = None
            continue
        if held is not None:
            out.append(held)
            held = None
        if any(p[0] == term for p in pairs):
            held = term
        else:
            out.append(term)
    if held is not None:
        out.append(held)
    return out


def check_against_reference(docs: list[str], analyzer: ts.Analyzer) -> None:
    phrases = ts.Phrases()
    stage = phrases.fit(docs, analyzer=analyzer)
    expected = reference_counts(analyzer, docs, phrases)
    got = {
        (r.first, r.second): (r.count, r.documents, r.hyphenated, r.capitalized, r.first_count, r.second_count,
                              r.npmi, r.selected)
        for r in stage.statistics_.itertuples()
    }
    assert got.keys() == expected.keys()
    for key, row in expected.items():
        assert got[key][:6] == row[:6], key
        assert got[key][6] == pytest.approx(row[6], rel=1e-12, abs=1e-12), key
        assert got[key][7] == row[7], key
    joined = analyzer.set_params(phrases=True).fit(docs)
    for doc in docs[:50]:
        assert joined(doc) == reference_join(joined, doc)


def test_native_counting_matches_the_reference_on_the_sample_articles() -> None:
    articles = ts.datasets.load_sample_articles()
    check_against_reference(list(articles.data), ts.Analyzer(fold_accents=True))


@pytest.mark.corpus
def test_native_counting_matches_the_reference_on_wikinews(corpora_dir: Any, load_benchmark: Any) -> None:
    corpus = load_benchmark("eval_keyphrases").load_corpus(corpora_dir)
    check_against_reference(corpus.texts, ts.Analyzer(language="fr"))


# --------------------------------------------------------------------- properties

WORDS = ["alpha", "beta", "gamma", "delta", "Omega", "Kappa"]
SEPARATORS = [" ", " ", " ", "-", ", ", ". ", "\n", "\n\n", " - ", " the "]


@st.composite
def corpora(draw: Any) -> list[str]:
    n_docs = draw(st.integers(1, 6))
    docs = []
    for _ in range(n_docs):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=12))
        seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
        docs.append("".join(w + s for w, s in zip(words, seps)))
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.randoms(use_true_random=False))
def test_counts_do_not_depend_on_threads_or_document_order(docs: list[str], rnd: random.Random) -> None:
    analyzer = ts.Analyzer(language="en", stem=False)
    before = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        one = ts.Phrases(min_count=1).fit(docs * 40, analyzer=analyzer).statistics_
        ts.set_num_threads(2)
        two = ts.Phrases(min_count=1).fit(docs * 40, analyzer=analyzer).statistics_
    finally:
        ts.set_num_threads(before)
    shuffled = docs * 40
    rnd.shuffle(shuffled)
    moved = ts.Phrases(min_count=1).fit(shuffled, analyzer=analyzer).statistics_
    assert one.equals(two)
    # the same sums in another order: the NPMI may differ in the last bit only if the
    # counts differed, and they are integers
    assert one.equals(moved)


@settings(max_examples=80, deadline=None)
@given(corpora())
def test_no_phrase_crosses_punctuation_a_blank_line_or_a_dropped_word(docs: list[str]) -> None:
    stage = ts.Phrases(min_count=1, min_documents=1, threshold=-1)
    analyzer = ts.Analyzer(language="en", stem=False, phrases=stage).fit(docs)
    for doc in docs:
        lowered = doc.lower()
        for term in analyzer(doc):
            if " " in term:
                first, second = term.split(" ")
                assert re.search(rf"\b{first}(?: |\n|-){second}\b", lowered), (term, doc)


def test_vectorizer_fit_is_deterministic_across_threads() -> None:
    articles = list(ts.datasets.load_sample_articles().data)
    results = []
    before = ts.get_num_threads()
    try:
        for threads in (1, 2):
            ts.set_num_threads(threads)
            vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(phrases=True, fold_accents=True))
            X = vectorizer.fit_transform(articles)
            results.append((vectorizer.get_feature_names_out(display=True).tolist(), X.toarray()))
    finally:
        ts.set_num_threads(before)
    assert results[0][0] == results[1][0]
    assert np.array_equal(results[0][1], results[1][1])
    assert any(" " in name for name in results[0][0])


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("params, message", [
    ({"min_count": 0}, "min_count must be an int >= 1, got 0"),
    ({"min_count": 2.5}, "min_count must be an int >= 1, got 2.5"),
    ({"min_documents": 0}, "min_documents must be an int >= 1, got 0"),
    ({"threshold": 1.5}, r"threshold must be a number in \[-1, 1\]"),
    ({"name_threshold": float("nan")}, r"name_threshold must be a number in \[-1, 1\]"),
])
def test_bad_phrase_options(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ts.Phrases(**params).fit(["a b"], analyzer=bare())


def test_bad_phrase_input() -> None:
    with pytest.raises(TypeError, match="phrases must be True, False or a themescope.Phrases, got str 'yes'"):
        ts.Analyzer(phrases="yes").fit(["a b"])
    with pytest.raises(NotFittedError, match="has not learned its phrases yet"):
        ts.Analyzer(phrases=True)("a b")
    with pytest.raises(TypeError, match="document 1 is int, expected str"):
        ts.Phrases().fit(["a b", 3], analyzer=bare())
    with pytest.raises(ValueError, match="string object received"):
        ts.Phrases().fit("a b", analyzer=bare())
    with pytest.raises(ValueError, match="languages has 1 codes for 2 documents"):
        ts.Phrases().fit(["a b", "c d"], analyzer=ts.Analyzer(), languages=["en"])
    with pytest.raises(TypeError, match="analyzer must be a themescope.Analyzer"):
        ts.Phrases().fit(["a b"], analyzer="word")
    with pytest.raises(ValueError, match="a phrase's terms must be single non-empty terms"):
        _core.MultilingualAnalyzer(phrases=[("a b", "c")])


def test_empty_and_tiny_corpora() -> None:
    assert ts.Phrases().fit([], analyzer=bare()).pairs_ == []
    assert ts.Phrases().fit(["", "  ", "."], analyzer=bare()).n_tokens_ == 0
    analyzer = bare(phrases=True).fit(["one"])
    assert analyzer("one two") == ["one", "two"]


def test_fitted_analyzer_survives_pickle_and_clone() -> None:
    import pickle

    analyzer = fitted(["gilets jaunes", "gilets jaunes"])
    again = pickle.loads(pickle.dumps(analyzer))
    assert again("les gilets jaunes") == analyzer("les gilets jaunes") == ["les", "gilets jaunes"]
    from sklearn.base import clone

    with pytest.raises(NotFittedError):
        clone(analyzer)("gilets jaunes")  # a clone has the parameters, not what was learned


# --------------------------------------------------------- keep_words and the display


def test_keep_words_emits_the_words_then_the_phrase() -> None:
    analyzer = bare(phrases=ts.Phrases(keep_words=True)).fit(["a b c", "a b c", "x y", "x y"])
    assert analyzer("a b c x y") == ["a", "b", "a b", "c", "x", "y", "x y"]
    assert analyzer("a. b") == ["a", "b"]
    with pytest.raises(TypeError, match="keep_words must be a bool"):
        ts.Phrases(keep_words="yes").fit(["a b"], analyzer=bare())


@pytest.mark.parametrize("keep_words", [True, False])
def test_counts_are_those_of_each_document_analyzed_alone(keep_words: bool) -> None:
    # The counter runs one analyzer state over many documents and looks repeated tokens up
    # through their memos; the phrase stage emits a word that may start a phrase as it comes
    # (keep_words) or later with a copy of its memo. Either way the counts are those of the
    # terms of each document analyzed on its own.
    articles = list(ts.datasets.load_sample_articles().data) * 3
    stage = ts.Phrases(keep_words=keep_words)
    vectorizer = ts.CountVectorizer(analyzer=ts.Analyzer(fold_accents=True, phrases=stage))
    X = vectorizer.fit_transform(articles).tocsr()
    names = vectorizer.get_feature_names_out()
    assert any(" " in str(name) for name in names)
    got = [dict(zip(names[X.indices[X.indptr[i]:X.indptr[i + 1]]].tolist(),
                    X.data[X.indptr[i]:X.indptr[i + 1]].tolist())) for i in range(X.shape[0])]
    assert got == [dict(Counter(vectorizer.analyzer(doc))) for doc in articles]


def test_hide_covered_words_by_hand() -> None:
    from themescope.phrases import hide_covered_words, hide_covered_words_sparse

    terms = ["fumio", "fumio kishid", "kishid", "tokyo", "premi ministr"]  # "premi" is no feature
    weights = np.array([
        [0.5, 0.6, 0.7, 0.1, 0.3],  # the phrase is above fumio, below kishid
        [0.5, 0.0, 0.2, 0.1, 0.0],  # no phrase in this row: nothing hidden
        [0.0, 0.4, 0.4, 0.0, 0.0],  # a tie hides the word
    ])
    expected = np.array([
        [0.0, 0.6, 0.7, 0.1, 0.3],
        [0.5, 0.0, 0.2, 0.1, 0.0],
        [0.0, 0.4, 0.0, 0.0, 0.0],
    ])
    np.testing.assert_array_equal(hide_covered_words(weights, terms), expected)
    assert weights[0, 0] == 0.5  # the input is not changed
    import scipy.sparse as sp

    np.testing.assert_array_equal(hide_covered_words_sparse(sp.csr_array(weights), terms).toarray(), expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.2, 0.3]), min_size=6, max_size=6), min_size=1,
                max_size=8))
def test_sparse_display_matches_the_dense_reference(rows: list[list[float]]) -> None:
    import scipy.sparse as sp

    from themescope.phrases import hide_covered_words, hide_covered_words_sparse

    terms = ["a", "a b", "b", "b a", "c", "a c"]
    weights = np.array(rows)
    np.testing.assert_array_equal(hide_covered_words_sparse(sp.csr_array(weights), terms).toarray(),
                                  hide_covered_words(weights, terms))


def test_explorer_shows_names_and_compounds_of_the_sample_articles() -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    top = ex.top_terms(n=6)
    first = top.loc[top["document"] == "000", "term"].tolist()
    assert any(" " in term or "-" in term for term in first), first
    # shown as written most often: 000 writes "États-Unis", "Japon" and "Australie"
    assert {"États-Unis", "Japon", "Australie"} <= set(first), first
    assert "OTAN" in top.loc[top["document"] == "001", "term"].tolist()
    # a word is never listed below a phrase that holds it (it is shown once, in the phrase)
    for _, terms in top.groupby("document")["term"]:
        ranked = terms.tolist()
        for rank, phrase in enumerate(ranked):
            if " " in phrase or "-" in phrase:
                below = [w.lower() for w in ranked[rank + 1:]]
                assert not set(phrase.lower().replace("-", " ").split(" ")) & set(below), ranked
    # as in `make demo` (cross-language): 000 (fr) and 002 (en), one summit, stay mutual neighbours
    crossed = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
    indices, _ = crossed.neighbors(k=1)
    assert crossed.ids_[indices[[0, 2], 0]].tolist() == ["002", "000"]
