"""Search with a few words: BM25 against plain-Python and peer oracles, query
analysis in the collection's languages, hand-written queries on the sample
articles, no arbitrary answers, explanations, and the command line."""

from __future__ import annotations

import json
import math
import pickle
import warnings
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np
import pytest
import rank_bm25
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import themescope as ts
from themescope.cli import main
from themescope.search import BM25Index

SAMPLES = Path(ts.datasets.load_sample_articles().filenames[0]).parent

# (query, the articles a reader expects first, whether it needs cross_language=True).
# 000 (fr) and 002 (en): the Quad summit in Tokyo; 001 (fr): NATO's cyber exercise with its
# Asian partners; 003 (fr): the US and allies condemn China's hackers; 004 (fr): Biden tells
# Putin, in Geneva, to spare sectors from cyberattacks.
HAND_QUERIES: list[tuple[str, tuple[str, ...], bool]] = [
    ("Chine", ("003",), False),
    ("cyberattaques russes contre les alliés", ("004",), False),
    ("partenaires asiatiques de l'OTAN", ("001",), False),
    ("Corée du Sud Japon OTAN", ("001",), False),
    ("pirates informatiques chinois", ("003",), False),
    ("Vladimir Poutine Genève", ("004",), False),
    ("Biden Poutine", ("004",), False),
    ("Quad summit cybersecurity partnership", ("002",), False),
    ("Quad", ("002",), False),
    ("Kishida Albanese Modi", ("000", "002"), False),
    ("Chinese criticism", ("002",), False),
    ("supply chains software security", ("002",), False),
    # An English query for a French-only story.
    ("Cyber Coalition Tallinn", ("001",), True),
    ("China malicious activities", ("003",), True),
    ("Geneva summit", ("004",), True),
    ("50 tactics techniques procedures", ("003",), True),
]


@pytest.fixture(scope="module")
def explorers() -> dict[bool, ts.Explorer]:
    articles = ts.datasets.load_sample_articles()
    return {xl: ts.Explorer(cross_language=xl).fit(articles.data, ids=articles.ids) for xl in (False, True)}


# ---- BM25 against its oracles ----

def bm25_reference(docs: list[list[str]], query: list[str], k1: float = 1.2, b: float = 0.75) -> list[float]:
    """Lucene's BM25 in plain Python: the test oracle."""
    n = len(docs)
    average = sum(len(d) for d in docs) / n
    df = Counter(t for d in docs for t in set(d))
    scores = []
    for d in docs:
        tf = Counter(d)
        score = 0.0
        for term in query:
            if tf[term]:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf[term] / (tf[term] + k1 * (1 - b + b * len(d) / average))
        scores.append(score)
    return scores


TOKENS = [
    "cat cat dog".split(), "dog".split(), "fish fish fish fish dog".split(),
    "bird cat".split(), "dog dog dog bird fish cat".split(), "cow".split(),
]
VOCABULARY = sorted({t for d in TOKENS for t in d})


def counts_of(docs: list[list[str]]) -> sp.csr_array:
    return sp.csr_array(np.array([[Counter(d)[t] for t in VOCABULARY] for d in docs], dtype=np.float64))


def query_row(words: list[str]) -> sp.csr_array:
    return sp.csr_array(np.array([[Counter(words)[t] for t in VOCABULARY]], dtype=np.float64))


@pytest.mark.parametrize(("k1", "b"), [(1.2, 0.75), (0.0, 0.75), (2.0, 0.0), (0.5, 1.0)])
@pytest.mark.parametrize("query", [["cat"], ["dog", "fish"], ["cat", "cat", "bird"], ["cow", "dog"]])
def test_bm25_equals_the_plain_python_reference(query: list[str], k1: float, b: float) -> None:
    index = BM25Index(k1=k1, b=b).fit(counts_of(TOKENS))
    indices, scores = index.search(query_row(query), k=len(TOKENS))
    expected = bm25_reference(TOKENS, query, k1, b)
    found = {int(i): float(s) for i, s in zip(indices[0], scores[0]) if i >= 0}
    assert found == pytest.approx({i: s for i, s in enumerate(expected) if s > 0}, rel=1e-12)
    ranked = [int(i) for i in indices[0] if i >= 0]
    assert ranked == sorted(found, key=lambda i: (-found[i], i))
    assert np.isnan(scores[0][len(ranked):]).all() and (indices[0][len(ranked):] == -1).all()


def test_bm25_equals_bm25s_lucene() -> None:
    model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    model.index(bm25s.tokenization.Tokenized(
        ids=[[VOCABULARY.index(t) for t in d] for d in TOKENS], vocab={t: i for i, t in enumerate(VOCABULARY)}),
        show_progress=False)
    index = BM25Index().fit(counts_of(TOKENS))
    for query in (["cat"], ["dog", "fish"], ["bird", "cow"]):
        theirs = model.get_scores(query)
        _, ours_scores = index.search(query_row(query), k=len(TOKENS))
        indices, _ = index.search(query_row(query), k=len(TOKENS))
        ours = np.zeros(len(TOKENS))
        keep = indices[0] >= 0
        ours[indices[0][keep]] = ours_scores[0][keep]
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)  # bm25s scores in float32


def test_bm25_term_frequency_part_equals_rank_bm25() -> None:
    # rank_bm25's BM25Okapi has another idf (log((N - df + 0.5) / (df + 0.5))) and a (k1 + 1)
    # factor: for one term, its scores are ours times a constant.
    okapi = rank_bm25.BM25Okapi(TOKENS, k1=1.2, b=0.75)
    index = BM25Index().fit(counts_of(TOKENS))
    # Terms in fewer than half the documents: for "cat" (3 of 6) Okapi's idf is 0 and so is every
    # score, which would make the ratio check empty.
    for term in ("cow", "fish", "bird"):
        theirs = okapi.get_scores([term])
        indices, scores = index.search(query_row([term]), k=len(TOKENS))
        keep = indices[0] >= 0
        ours = np.zeros(len(TOKENS))
        ours[indices[0][keep]] = scores[0][keep]
        assert (theirs[ours > 0] > 0).all()
        ratio = theirs[ours > 0] / ours[ours > 0]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)
        assert (theirs[ours == 0] == 0).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=1, max_size=12),
       st.lists(st.integers(0, 2), min_size=5, max_size=5), st.integers(1, 12))
def test_bm25_search_is_the_exact_top_k(rows: list[list[int]], query: list[int], k: int) -> None:
    k = min(k, len(rows))
    counts = sp.csr_array(np.array(rows, dtype=np.float64))
    index = BM25Index().fit(counts)
    indices, scores = index.search(sp.csr_array(np.array([query], dtype=np.float64)), k=k)
    full = (index.weights_ @ np.array(query, dtype=np.float64)).ravel()
    # The same products added in the same (column) order as scipy's product: the very bits.
    candidates = sorted((-s, i) for i, s in enumerate(full) if s > 0)[:k]
    assert [int(i) for i in indices[0] if i >= 0] == [i for _, i in candidates]
    assert scores[0][: len(candidates)].tolist() == [-s for s, _ in candidates]
    assert (indices[0][len(candidates):] == -1).all()


def test_bm25_is_thread_independent_and_picklable() -> None:
    rng = np.random.default_rng(0)
    counts = sp.random_array((400, 50), density=0.1, random_state=rng, format="csr")
    counts.data = np.ceil(counts.data * 4)
    queries = sp.random_array((30, 50), density=0.08, random_state=rng, format="csr")
    index = BM25Index().fit(counts)
    before = ts.get_num_threads()
    try:
        ts.set_num_threads(1)
        one = index.search(queries, k=5)
        ts.set_num_threads(2)
        two = pickle.loads(pickle.dumps(index)).search(queries, k=5)
    finally:
        ts.set_num_threads(before)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


def test_bm25_bad_parameters() -> None:
    counts = counts_of(TOKENS)
    with pytest.raises(ValueError, match="b must be in"):
        BM25Index(b=1.5).fit(counts)
    with pytest.raises(ValueError, match="k1 must be"):
        BM25Index(k1=-1).fit(counts)
    with pytest.raises(TypeError, match="k1 must be a number"):
        BM25Index(k1="high").fit(counts)
    with pytest.raises(ValueError, match="not fitted"):
        BM25Index().search(query_row(["cat"]))
    index = BM25Index().fit(counts)
    with pytest.raises(ValueError, match="terms"):
        index.search(sp.csr_array(np.ones((1, 2))))
    with pytest.raises(ValueError, match="k must be"):
        index.search(query_row(["cat"]), k=0)
    with pytest.raises(ValueError, match="k=7 is larger than the 6 documents"):
        index.search(query_row(["cat"]), k=7)


def test_bm25_fit_leaves_the_callers_matrix_alone() -> None:
    # Unsorted indices (int32) and an explicit zero (int64 indices): fit sorts and compacts
    # its own copy; the caller's arrays keep their order and their entries.
    unsorted = sp.csr_array((np.array([2.0, 3.0, 1.0]), np.array([2, 0, 1], dtype=np.int32),
                             np.array([0, 3], dtype=np.int32)), shape=(1, 3))
    with_zero = sp.csr_array((np.array([1.0, 0.0, 3.0]), np.array([0, 1, 2], dtype=np.int64),
                              np.array([0, 2, 3], dtype=np.int64)), shape=(2, 3))
    for counts in (unsorted, with_zero):
        before = (counts.data.copy(), counts.indices.copy(), counts.indptr.copy())
        BM25Index().fit(counts)
        for array, kept in zip((counts.data, counts.indices, counts.indptr), before):
            np.testing.assert_array_equal(array, kept)


def test_bm25_duplicate_entries_are_one_count() -> None:
    # Non-canonical CSR: document 0 lists term 0 twice (1 + 1). Its df is 1, as for the summed matrix.
    duplicated = sp.csr_array((np.array([1.0, 1.0, 1.0]), np.array([0, 0, 1]), np.array([0, 2, 3])), shape=(2, 2))
    summed = sp.csr_array(np.array([[2.0, 0.0], [0.0, 1.0]]))
    np.testing.assert_array_equal(BM25Index().fit(duplicated).idf_, BM25Index().fit(summed).idf_)


# ---- short queries on the sample articles ----

@pytest.mark.parametrize(("query", "expected", "cross_language"), HAND_QUERIES)
def test_hand_written_queries_find_the_expected_article_first(
        explorers: dict[bool, ts.Explorer], query: str, expected: tuple[str, ...], cross_language: bool) -> None:
    for mode in (True,) if cross_language else (False, True):
        found = explorers[mode].search(query, k=3)
        assert found["id"].iloc[0] in expected, (query, mode, found)
        assert found["score"].iloc[0] > 0


def test_query_returns_only_matching_articles(explorers: dict[bool, ts.Explorer]) -> None:
    ex = explorers[False]
    indices, scores = ex.query(["Quad", "Chine"], k=5)
    assert ex.ids_[indices[0, 0]] == "002" and (indices[0, 1:] == -1).all() and np.isnan(scores[0, 1:]).all()
    assert ex.ids_[indices[1, 0]] == "003" and (scores[1][indices[1] >= 0] > 0).all()


def test_a_query_without_known_term_gives_no_article_and_a_warning(explorers: dict[bool, ts.Explorer]) -> None:
    for ex in explorers.values():
        with pytest.warns(UserWarning, match="no article shares a term with the query 'xyzzy plugh'"):
            indices, scores = ex.query(["xyzzy plugh"], k=3)
        assert (indices == -1).all() and np.isnan(scores).all()
        with pytest.warns(UserWarning, match="xyzzy"):
            assert ex.search("xyzzy", k=3).empty
    # Stop words only: nothing to match either.
    with pytest.warns(UserWarning, match="'les et de'"):
        assert explorers[False].search("les et de").empty


# Three English, three French articles (each long enough for language identification).
_ENGLISH = [
    "The storm reached the coast of the island in the night and the wind tore the roofs off the houses of the "
    "fishermen while the rain flooded the roads of the town and the fields of the farms.",
    "A storm hit the harbour of the old fishing town yesterday, and boats were thrown onto the quay.",
    "Ministers met in London to discuss the budget, with talks on taxes and spending going on until late.",
]
_FRENCH = [
    "Les ministres se sont réunis à Paris pour discuter du budget, avec des négociations sur les impôts.",
    "La tempête a frappé la côte bretonne pendant la nuit et les pompiers sont intervenus plusieurs fois.",
    "Le gouvernement prépare une réforme des retraites qui doit être présentée au parlement cet automne.",
]


def _query_weights(ex: ts.Explorer, query: str) -> dict[str, float]:
    terms = ex.search_.terms(query)
    names = {column: term for term, column in ex.search_.vocabulary.items()}
    return {names[int(c)]: float(w) for c, w in zip(terms.columns, terms.weights)}


def test_a_stop_word_weighs_as_much_as_its_idf_in_the_querys_language() -> None:
    # In an FR+EN collection "the" is in the three English articles only: over all six its idf is
    # log(1 + 3.5/3.5) = log 2, as if it told something; among the English articles it is in every
    # one, idf log(1 + 0.5/3.5). The query's "the" weighs the ratio, so that it scores by the latter.
    ex = ts.Explorer().fit(_ENGLISH + _FRENCH)
    assert list(ex.languages_) == ["en"] * 3 + ["fr"] * 3
    weights = _query_weights(ex, "the storm")
    assert weights["storm"] == 1.0
    assert weights["the"] == pytest.approx(math.log1p(0.5 / 3.5) / math.log(2), rel=1e-12)
    # Its contribution to an article is then idf_en times the BM25 term-frequency part.
    explained = ex.search_.explain(ex.search_.terms("the storm"), 0).set_index("term")
    tf_part = explained.loc["the", "document_weight"] / math.log(2)
    assert 0 < tf_part < 1.2 + 1
    assert explained.loc["the", "contribution"] == pytest.approx(math.log1p(0.5 / 3.5) * tf_part, rel=1e-12)
    # A French stop word in a French query likewise.
    assert _query_weights(ex, "la tempête")["la"] < 1.0


def test_in_a_one_language_collection_stop_words_weigh_one() -> None:
    ex = ts.Explorer().fit(_ENGLISH)
    assert _query_weights(ex, "the storm") == {"storm": 1.0, "the": 1.0}
    restored = pickle.loads(pickle.dumps(ts.Explorer().fit(_ENGLISH + _FRENCH)))
    assert _query_weights(restored, "the storm")["the"] == pytest.approx(math.log1p(0.5 / 3.5) / math.log(2))


def test_a_forced_language_analyzes_the_query_in_it(explorers: dict[bool, ts.Explorer]) -> None:
    ex = explorers[False]
    # French stems "Chine" as the index does (chin); English leaves "chine", in no article.
    assert ex.search("Chine", language="fr")["id"].iloc[0] == "003"
    with pytest.warns(UserWarning, match="Chine"):
        assert ex.search("Chine", language="en").empty
    with pytest.raises(ValueError, match="language='xx'"):
        ex.query(["Chine"], k=1, language="xx")


def test_a_long_query_is_ranked_by_cosine(explorers: dict[bool, ts.Explorer]) -> None:
    ex = explorers[False]
    article = ts.datasets.load_sample_articles().data[4]
    auto = ex.query([article], k=3)
    cosine = ex.query([article], k=3, scorer="cosine")
    np.testing.assert_array_equal(auto[0], cosine[0])
    np.testing.assert_allclose(auto[1], cosine[1])
    assert ex.ids_[auto[0][0, 0]] == "004" and auto[1][0, 0] == pytest.approx(1.0)
    bm25 = ex.query([article], k=3, scorer="bm25")
    assert ex.ids_[bm25[0][0, 0]] == "004" and bm25[1][0, 0] > 1.0
    with pytest.raises(ValueError, match="scorer"):
        ex.query(["Chine"], scorer="tfidf")


def test_explain_match_gives_the_terms_and_their_contributions(explorers: dict[bool, ts.Explorer]) -> None:
    ex = explorers[False]
    table = ex.explain_match("Quad summit cybersecurity partnership", "002")
    assert table.columns.tolist() == ["term", "query_words", "query_weight", "document_weight", "contribution"]
    assert set(table["query_words"]) == {"quad", "cybersecurity", "partnership"}
    assert table["contribution"].is_monotonic_decreasing
    indices, scores = ex.query(["Quad summit cybersecurity partnership"], k=1)
    assert table["contribution"].sum() == pytest.approx(scores[0, 0], rel=1e-12)
    french = ex.explain_match("cyberattaques russes", "004")
    assert set(french["query_words"]) == {"cyberattaques", "russes"}
    assert ex.explain_match("Quad", "004").empty
    assert ex.search("cyberattaques russes", k=1)["matched"].iloc[0] in ("cyberattaques, russes", "russes, cyberattaques")


def test_query_input_errors(explorers: dict[bool, ts.Explorer]) -> None:
    ex = explorers[False]
    with pytest.raises(TypeError, match="pass \\[text\\]"):
        ex.query("Chine")
    with pytest.raises(TypeError, match="document 0 is int"):
        ex.query([3])
    with pytest.raises(TypeError, match="language must be a str"):
        ex.query(["Chine"], language=3)
    with pytest.raises(TypeError, match="text must be a str"):
        ex.search(["Chine"])  # type: ignore[arg-type]


def test_a_fitted_explorer_searches_after_pickling(explorers: dict[bool, ts.Explorer]) -> None:
    restored = pickle.loads(pickle.dumps(explorers[False]))
    assert restored.search("Chine", k=1)["id"].iloc[0] == "003"


# ---- the command line ----

def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(("query", "expected"), [
    ("Chine", "003"), ("cyberattaques russes contre les alliés", "004"), ("Quad summit cybersecurity partnership", "002"),
])
def test_cli_similar_short_queries(capsys: pytest.CaptureFixture[str], query: str, expected: str) -> None:
    status, out, err = run(capsys, "similar", str(SAMPLES), query, "--format", "json", "--quiet")
    assert status == 0 and err == ""
    rows = json.loads(out)
    assert rows[0]["id"].startswith(expected) and rows[0]["score"] > 0


def test_cli_similar_cross_language(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "similar", str(SAMPLES), "Quad summit cybersecurity partnership",
                         "--cross-language", "--format", "json", "--quiet")
    assert status == 0 and json.loads(out)[0]["id"].startswith("002")


@pytest.mark.parametrize(("output_format", "empty"), [("json", "[]\n"), ("table", "rank id score language start\n"),
                                                      ("csv", "rank,id,score,language,start\n")])
def test_cli_similar_no_match(capsys: pytest.CaptureFixture[str], output_format: str, empty: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = run(capsys, "similar", str(SAMPLES), "xyzzy", "--format", output_format, "--quiet")
    assert status == 0
    assert out == empty
    assert err == "themescope: no article matches 'xyzzy'\n"


def test_cli_similar_query_language(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "similar", str(SAMPLES), "Chine", "--query-language", "fr", "--format", "json",
                         "--quiet")
    assert status == 0 and json.loads(out)[0]["id"].startswith("003")
    status, out, err = run(capsys, "similar", str(SAMPLES), "Chine", "--query-language", "en", "--format", "json",
                           "--quiet")
    assert status == 0 and out == "[]\n" and "no article matches" in err


def test_bm25_refuses_counts_beyond_two_to_the_53() -> None:
    # Found by tests/fuzz/fuzz_bm25: sums and weights of such "counts" overflowed to inf or NaN.
    counts = sp.csr_array(np.array([[1.0, 0.0], [0.0, 1e300]]))
    with pytest.raises(ValueError, match=r"larger than 2\^53"):
        BM25Index().fit(counts)
