"""The native boilerplate stage against its plain-Python oracle, line for line.

``ts.BoilerplateRemover`` runs in the core (cpp/src/boilerplate.cpp);
``themescope._boilerplate_reference.ReferenceBoilerplateRemover`` is the same
estimator computed with Python's regular expressions and str methods. Both must
make the same decision for every line: same kept texts, same ``report_`` (line,
text, reason, language), same recurring lines, on the bundled sample articles, on
BBC News and the gilets jaunes press corpus (``corpus`` tests), and on random text.
"""

from __future__ import annotations

import json
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import themescope as ts
from themescope import _core
from themescope._boilerplate_reference import ReferenceBoilerplateRemover, _normalize


def assert_same_decisions(docs: list[str], languages: list[str] | None = None, **params: Any) -> pd.DataFrame:
    """Run both implementations; assert equal output, report, documents kept whole, warnings and
    recurring lines; return the report."""
    native = ts.BoilerplateRemover(**params)
    reference = ReferenceBoilerplateRemover(**params)
    with warnings.catch_warnings(record=True) as native_warnings:
        warnings.simplefilter("always")
        out = native.fit_transform(docs, languages=languages)
    with warnings.catch_warnings(record=True) as reference_warnings:
        warnings.simplefilter("always")
        expected = reference.fit_transform(docs, languages=languages)
    assert [str(w.message) for w in native_warnings] == [str(w.message) for w in reference_warnings]
    assert native.recurring_lines_ == reference.recurring_lines_
    assert native.corpus_threshold_ == reference.corpus_threshold_
    differing = [d for d, (a, b) in enumerate(zip(out, expected, strict=True)) if a != b]
    assert not differing, f"kept text differs in documents {differing[:10]}"
    pd.testing.assert_frame_equal(native.report_, reference.report_)
    pd.testing.assert_frame_equal(native.kept_whole_, reference.kept_whole_)
    return native.report_


# ============================================================ bundled and shared corpora


def test_sample_articles_line_for_line() -> None:
    articles = ts.datasets.load_sample_articles()
    report = assert_same_decisions(list(articles.data))
    assert len(report) > 20 and report.reason.nunique() >= 4  # the comparison covers several rules


@pytest.fixture(scope="module")
def gilets_jaunes_texts(corpora_dir: Path) -> list[str]:
    path = corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


@pytest.mark.corpus
def test_bbc_news_line_for_line(bbc_texts: list[str]) -> None:
    report = assert_same_decisions(bbc_texts)
    assert len(report) > 300


@pytest.mark.corpus
def test_gilets_jaunes_line_for_line(gilets_jaunes_texts: list[str]) -> None:
    report = assert_same_decisions(gilets_jaunes_texts)
    assert set(report.reason) == {"repeated_in_document", "repeated_across_corpus", "short_run", "isolated",
                                  "few_stop_words", "links", "capitals", "label"}


@pytest.mark.corpus
def test_gilets_jaunes_judged_by_shape_alone_line_for_line(gilets_jaunes_texts: list[str]) -> None:
    # no stop list: the capitals and sentence rules decide instead of the stop-word density
    assert_same_decisions(gilets_jaunes_texts[:800], languages=["und"] * 800)


# ============================================================ random text

# Code points both Unicode databases assign (Python's and ICU's may be of different versions).
def assigned_in_both(c: str) -> bool:
    return unicodedata.category(c) not in ("Cn", "Cs") and _core.icu_is_assigned(ord(c))


_CHARS = st.characters(exclude_categories=("Cs", "Cn")).filter(assigned_in_both)
_PARTS = st.sampled_from([
    "Les ministres se sont réunis à Bruxelles pour parler de la sécurité des réseaux de l’Union",
    "The ministers met in Brussels on Tuesday to discuss the security of the networks and",
    "the report", "Partager", "Read more", "LES PODCASTS", "© AFP", "Photo: X", "Photo : « Y »", "Lire aussi :",
    "www.example.com", "(bbc.co.uk/news)", "a@b.fr", "@afp", "#1", "https://t.co/x", "l’OTAN", "d'Europe",
    "...", "…", ".", "!", "?", "«", "»", "”", ":", ")", "1 Comment", "", " ", "\t", "\r", "30.000", "İSTANBUL",
    "STRAßE", "ǅ", "Ⓐ", "²", "東京都の知事が", "ſite.org", "Écouter cet épisode", "\u00a0", "\x1c", "_x",
])
_LINES = st.lists(_PARTS | st.text(_CHARS, max_size=6), min_size=0, max_size=8).map(" ".join)
_DOCS = st.lists(st.lists(_LINES, max_size=14).map("\n".join), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    docs=_DOCS,
    data=st.data(),
    length_low=st.integers(0, 12),
    length_high=st.integers(0, 40),
    stopwords_low=st.sampled_from([0.0, 0.1, 0.2]),
    max_short_run=st.integers(0, 4),
    max_heading_distance=st.integers(0, 300),
    max_removed_share=st.sampled_from([0.0, 0.1, 1.0]),
)
def test_random_documents_line_for_line(docs: list[str], data: st.DataObject, length_low: int, length_high: int,
                                        stopwords_low: float, max_short_run: int, max_heading_distance: int,
                                        max_removed_share: float) -> None:
    languages = data.draw(st.lists(st.sampled_from(["en", "fr", "de", "und", "ja"]), min_size=len(docs),
                                   max_size=len(docs)))
    # repeated documents and lines: the repetition and recurrence rules need them
    docs = docs + docs[: data.draw(st.integers(0, len(docs)))]
    languages = languages + languages[: len(docs) - len(languages)]
    assert_same_decisions(docs, languages, corpus_min_documents=2, length_low=length_low, length_high=length_high,
                          stopwords_low=stopwords_low, max_short_run=max_short_run,
                          max_heading_distance=max_heading_distance, max_removed_share=max_removed_share)


def test_normalized_lines_match_python_on_every_code_point() -> None:
    # Each code point as a one-character paragraph "c." (ending a sentence, so that no two
    # join): the recurring lines are then its casefold, apostrophes unified, spaces collapsed.
    code_points = [cp for cp in range(sys.maxunicode + 1) if cp != ord("\n")]
    text = "\n".join(chr(cp) + "." for cp in code_points)
    native = set(_core.boilerplate_recurring_lines([text, text + "\nend."], 2))
    expected: dict[str, list[int]] = {}
    for cp in code_points:
        expected.setdefault(_normalize(chr(cp) + "."), []).append(cp)
    missing = [cp for line, cps in expected.items() if line not in native for cp in cps]
    unexplained = [cp for cp in missing if assigned_in_both(chr(cp))]
    assert not unexplained, [f"U+{cp:04X} {unicodedata.name(chr(cp), '?')}" for cp in unexplained[:20]]
    assert len(native) - 1 <= len(expected)  # "end." aside, nothing native made up
    assert {"ss.", "i\u0307.", "'.", "."} <= native  # ß, İ (full case folding), ’ (unified), spaces


# ============================================================ languages given


def test_languages_given_are_used_and_reported() -> None:
    page = "Partager\nLes ministres se sont réunis mardi à Bruxelles pour discuter de la sécurité.\nTweeter"
    remover = ts.BoilerplateRemover()
    out = remover.fit_transform([page, page + " "], languages=["fr", "xx"])
    assert list(remover.report_.language.unique()) == ["fr", "xx"]
    assert remover.transform([page], languages=["fr"]) == out[:1]
    # with no language given, language="auto" detects it
    ts.BoilerplateRemover().fit_transform([page])


@pytest.mark.parametrize(
    ("languages", "error", "message"),
    [
        (["fr"], ValueError, "languages has 1 codes for 2 documents"),
        (["fr", None], TypeError, "language 1 is NoneType"),
        ("fr", TypeError, "languages must be a sequence"),
        (3, TypeError, "languages must be a sequence"),
    ],
)
def test_bad_languages_are_clear_errors(languages: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ts.BoilerplateRemover().fit_transform(["a", "b"], languages=languages)


def test_native_errors_name_the_bad_value() -> None:
    params = ts.BoilerplateRemover()._thresholds()
    with pytest.raises(TypeError, match="document 1 is int"):
        _core.boilerplate_clean(["a", 1], ["en", "en"], frozenset(), **params)
    with pytest.raises(ValueError, match="languages has 1 codes for 2 documents"):
        _core.boilerplate_clean(["a", "b"], ["en"], frozenset(), **params)
    with pytest.raises(TypeError, match="recurring lines must be str"):
        _core.boilerplate_clean(["a"], ["en"], [b"x"], **params)
    with pytest.raises(ValueError, match="stopwords_low must be in"):
        _core.boilerplate_clean(["a"], ["en"], frozenset(), **{**params, "stopwords_low": 2.0})


# ============================================================ threads and the GIL


def test_same_result_for_any_thread_count() -> None:
    docs = list(ts.datasets.load_sample_articles().data) * 7
    docs = [doc + f"\nLine {i % 5}." for i, doc in enumerate(docs)]
    results = []
    saved = ts.get_num_threads()
    try:
        for threads in (1, 2, 3):
            ts.set_num_threads(threads)
            remover = ts.BoilerplateRemover(corpus_min_documents=3)
            results.append((remover.fit_transform(docs), remover.report_, remover.recurring_lines_))
    finally:
        ts.set_num_threads(saved)
    for out, report, lines in results[1:]:
        assert out == results[0][0] and lines == results[0][2]
        pd.testing.assert_frame_equal(report, results[0][1])


def test_unchanged_documents_come_back_as_the_same_object() -> None:
    doc = "Les ministres se sont réunis mardi à Bruxelles pour discuter de la sécurité des réseaux."
    (out,), *_ = _core.boilerplate_clean([doc], ["fr"], frozenset(), **ts.BoilerplateRemover()._thresholds())
    assert out is doc


@pytest.mark.corpus
def test_the_gil_is_released_while_cleaning(bbc_texts: list[str], gil_pauses: Any) -> None:
    saved = ts.get_num_threads()
    ts.set_num_threads(1)  # one core for the native work, the other for the ticking thread
    docs = bbc_texts * 2
    languages = ["en"] * len(docs)
    params = ts.BoilerplateRemover()._thresholds()
    try:
        failures = []
        for _ in range(3):  # a loaded machine may stall a thread once; a held GIL stalls it every time
            duration, pause, ticks = gil_pauses(lambda: _core.boilerplate_clean(docs, languages, frozenset(), **params))
            if pause < 0.5 * duration and ticks >= 10:
                break
            failures.append((round(duration, 3), round(pause, 3), ticks))
        else:
            pytest.fail(f"a Python thread stalled while the core cleaned: (duration, pause, ticks) = {failures}")
    finally:
        ts.set_num_threads(saved)
    assert np.all(np.diff(_core.boilerplate_clean(docs[:50], languages[:50], frozenset(), **params)[1]) >= 0)
