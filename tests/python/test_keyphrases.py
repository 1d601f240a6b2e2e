"""Keyphrase evaluation: are themescope's top TF-IDF terms the themes people name?

100 French Wikinews articles with human reference keyphrases
(../shared/corpora/wikinews_fr_keyphrases). Each system is fitted on the 100 articles;
an article's top 10 terms are scored by precision@10 against its keyphrases, both sides
stemmed by the French Snowball stemmer (PyStemmer, an independent judge). The evaluation
code is benchmarks/eval_keyphrases.py (run it for the full table); its docstring states
the matching rules. In short:

- **any word** (main rule): a top term is correct if its stem equals the stem of any
  word of a reference keyphrase (French stop words and 1-character words of the
  keyphrases left out); top terms with the same stem count once;
- **single-word**: only one-word keyphrases can be matched.

Measured (scikit-learn 1.9.1, PyStemmer 2.2.0.3, ICU 72), mean P@10 over the 100 articles:

=====================================================  ========  ===========
system                                                 any word  single-word
=====================================================  ========  ===========
(a) themescope ``Analyzer(language="auto")``,
    ``sublinear_tf=True``                                 0.602        0.295
(b) scikit-learn ``TfidfVectorizer()`` defaults           0.507        0.242
(c) scikit-learn, ``stop_words=`` French list             0.590        0.281
(f) ``Explorer().top_terms``, defaults (key terms:
    search-index words, phrases, headline x5)             0.656        0.317
=====================================================  ========  ===========

(a) - (b) = +0.095 (paired s.e. 0.013; ahead on 57 articles, behind on 12) under the main
rule, +0.053 (s.e. 0.009) under the single-word rule: clearly ahead of scikit-learn's
defaults. Against (c) the margin is +0.012 (s.e. 0.010) and +0.014 (s.e. 0.008): on this
metric most of the gain is the stop list, which a scikit-learn user can pass by hand.
The asserts below are those measured margins minus a 0.01 tolerance (for small changes of
segmentation or stemming between library releases), so the one against (c) only guards
that themescope does not fall behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.corpus

log = logging.getLogger(__name__)

TOLERANCE = 0.01
# measured mean P@10 (see the docstring); (main rule, single-word rule)
MEASURED = {"a": (0.602, 0.295), "b": (0.507, 0.242), "c": (0.590, 0.281)}


@pytest.fixture(scope="module")
def evaluation(load_benchmark: Callable[[str], ModuleType]) -> ModuleType:
    return load_benchmark("eval_keyphrases")


def test_corpus_loads_as_documented(corpora_dir: Path, evaluation: ModuleType) -> None:
    corpus = evaluation.load_corpus(corpora_dir)
    assert len(corpus.names) == len(corpus.texts) == len(corpus.keyphrases) == 100
    assert all(corpus.keyphrases), "an article without reference keyphrases"
    first = corpus.texts[corpus.names.index("43971.html")]
    assert first.startswith("États-Unis : Lancement réussi pour Space X Dragon\n\nLa fusée Falcon 9")
    assert "<" not in "".join(corpus.texts) and "&amp;" not in "".join(corpus.texts)
    words = sum(len(t.split()) for t in corpus.texts)
    # measured: 26,734 whitespace-separated words (the README's 28,160 counts the page, <title> included)
    assert words == 26_734


def test_reference_words_leave_stop_words_out(evaluation: ModuleType) -> None:
    import themescope as ts

    judge = evaluation.Judge(ts.stop_words("fr"))
    any_word, single = judge.reference_stems(["asie de l'est", "syndicats", "boson de higgs", "l’oréal"])
    # "est" (east) is a stop word too: Snowball's French list has it as a form of être.
    assert any_word == {"asi", "l'est", "syndicat", "boson", "higg", "oréal", "l'oréal"}
    assert single == {"syndicat"}
    assert judge.precision(["syndicat", "syndicats", "de", "higgs"], any_word) == 0.2  # equal stems count once
    assert judge.precision(["syndicat", "syndicats", "de", "higgs"], any_word, distinct=False) == 0.3


def test_themescope_top_terms_beat_scikit_learn(
    corpora_dir: Path, evaluation: ModuleType, record_property: pytest.RecordProperty
) -> None:
    results = evaluation.evaluate(evaluation.load_corpus(corpora_dir), keys="abc")
    means = {key: (s.mean(s.any_word), s.mean(s.single_word)) for key, s in results.items()}
    for key, (main, single) in means.items():
        log.info("(%s) mean P@10: any word %.3f, single-word %.3f", key, main, single)
        record_property(f"p_at_10_{key}", f"{main:.3f} / {single:.3f}")
    for rule in (0, 1):
        margin_b = means["a"][rule] - means["b"][rule]
        margin_c = means["a"][rule] - means["c"][rule]
        measured_b = MEASURED["a"][rule] - MEASURED["b"][rule]
        measured_c = MEASURED["a"][rule] - MEASURED["c"][rule]
        assert margin_b >= measured_b - TOLERANCE, (rule, means)
        assert margin_c >= measured_c - TOLERANCE, (rule, means)
    assert means["a"][0] >= MEASURED["a"][0] - TOLERANCE, means
    # every article has 10 terms to rank (P@10 is out of 10 for all)
    assert all(len(t) == 10 for s in results.values() for t in s.tops)


def test_phrases_match_multiword_keyphrases_and_beat_the_peers(
    corpora_dir: Path, evaluation: ModuleType, record_property: pytest.RecordProperty
) -> None:
    """The phrase stage (h) against scikit-learn (b) and gensim's Phrases (j, when installed).

    Measured (same run, the docstring's judge, phrases matched against one keyphrase each):
    (h) 0.576, (b) 0.507, (j) 0.504 under the main rule. The phrase stage is BELOW themescope
    without it (a, 0.602): under the "any word" rule a right phrase takes one of the ten places
    where its two words took two (see benchmarks/eval_keyphrases.py). It was 0.586 before names
    needed only one document (``Phrases.name_min_documents``): "Serena Williams" now replaces
    "serena" and "williams" in her article, which that rule counts as one right guess, not two.
    """
    judge = evaluation.Judge(__import__("themescope").stop_words("fr"))
    keyphrases = ["capsule dragon", "fusée falcon 9", "asie de l'est"]
    phrases = judge.phrase_stems(keyphrases)
    # a phrase is right when its words are words of one keyphrase, never of two
    assert judge.precision(["capsule Dragon", "Falcon fusée", "dragon falcon", "Asie-Est"], set(),
                           phrases=phrases) == 0.2  # "est" is a stop word: "Asie-Est" is one word
    assert judge.precision(["capsule_dragon"], set(), phrases=phrases) == 0.1  # gensim's joiner
    results = evaluation.evaluate(evaluation.load_corpus(corpora_dir), keys="bhj")
    means = {key: s.mean(s.any_word) for key, s in results.items()}
    for key, value in means.items():
        log.info("(%s) mean P@10, any word with phrases: %.3f", key, value)
        record_property(f"p_at_10_phrases_{key}", f"{value:.3f}")
    assert means["h"] >= 0.576 - TOLERANCE, means
    assert means["h"] - means["b"] >= 0.069 - TOLERANCE, means
    if "j" in means:
        assert means["h"] - means["j"] >= 0.072 - TOLERANCE, means
    assert any(" " in t or "-" in t for s in [results["h"]] for top in s.tops for t in top)


def test_headline_weight_and_phrases_beside_words(
    corpora_dir: Path, evaluation: ModuleType, record_property: pytest.RecordProperty
) -> None:
    """The headline counted twice (l), with the phrases beside their words (m): the Explorer's analyzer.

    Measured (same run): (a) 0.602, (c) 0.590, (l) 0.636, (m) 0.661 under the main rule;
    (m) - (a) = +0.059 (paired s.e. 0.010, ahead on 45 articles, behind on 10). The weight, 2,
    is the plain "count the title twice", not a value searched on these articles (3 gives
    0.678, 4 0.680: the eval prints them for information).
    """
    results = evaluation.evaluate(evaluation.load_corpus(corpora_dir), keys="aclm")
    means = {key: s.mean(s.any_word) for key, s in results.items()}
    for key, value in means.items():
        log.info("(%s) mean P@10, any word: %.3f", key, value)
        record_property(f"p_at_10_headline_{key}", f"{value:.3f}")
    assert means["l"] - means["a"] >= 0.034 - TOLERANCE, means
    assert means["m"] - means["a"] >= 0.059 - TOLERANCE, means
    assert means["m"] - means["c"] >= 0.071 - TOLERANCE, means
    assert means["m"] >= 0.661 - TOLERANCE, means
    # display forms as written most often: the first article's names keep their capitals
    assert {"Dragon", "SpaceX", "ISS"} <= set(results["m"].tops[0]), results["m"].tops[0]


def test_explorer_top_terms_with_defaults(
    corpora_dir: Path, evaluation: ModuleType, record_property: pytest.RecordProperty
) -> None:
    """What an analyst reads (f): ``Explorer().top_terms`` with its defaults.

    Measured (same run): (f) 0.656 under the main rule (0.501 when the top terms were the
    vectors' TF-IDF, min_df=2); 0.664 on the first 50 articles, where the headline factor was
    chosen (of 1-5, the best there: 5; 3 and 4 give 0.655 and 0.656 on the whole), 0.648 on the
    50 held out. (f) - (a) = +0.054 (paired s.e. 0.015, ahead on 48 articles, behind on 21);
    (f) - (m) = -0.005 (s.e. 0.014): the Explorer's top terms are as good as the best analyzer
    setting here, without changing its vectors. Below the issue's 0.70: the misses left are
    mostly verbs and numbers of the headline and body, which nothing general tells from nouns here.
    """
    corpus = evaluation.load_corpus(corpora_dir)
    results = evaluation.evaluate(corpus, keys="acf")
    first, last, whole = evaluation.halves(results["f"].any_word)
    log.info("(f) mean P@10, any word: first 50 %.3f, last 50 %.3f, all %.3f", first, last, whole)
    record_property("p_at_10_explorer_f", f"{first:.3f} / {last:.3f} / {whole:.3f}")
    assert whole >= 0.656 - TOLERANCE, (first, last, whole)
    assert last >= 0.648 - TOLERANCE, (first, last, whole)  # the held-out half
    main = {key: s.mean(s.any_word) for key, s in results.items()}
    assert main["f"] - main["a"] >= 0.054 - TOLERANCE, main
    assert main["f"] - main["c"] >= 0.066 - TOLERANCE, main
    assert all(len(t) == 10 for t in results["f"].tops)


def test_the_headline_factor_is_the_one_chosen_on_the_first_half(
    corpora_dir: Path, evaluation: ModuleType
) -> None:
    from themescope import _keyterms

    sweep = evaluation.headline_factor_sweep(evaluation.load_corpus(corpora_dir))
    assert list(sweep) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert evaluation.chosen_factor(sweep) == _keyterms.HEADLINE_FACTOR
    # the rule: best on the first 50 only, ties to the smaller factor
    assert evaluation.chosen_factor({2.0: [0.5] * 50 + [0.0] * 50, 3.0: [0.5] * 50 + [1.0] * 50}) == 2.0
    assert evaluation.chosen_factor({2.0: [0.4] * 100, 3.0: [0.5] * 50 + [0.0] * 50}) == 3.0
