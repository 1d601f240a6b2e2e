"""ts.Analyzer against independent oracles, on every document of the shared corpora.

* **Segmentation** against PyICU (its own build of ICU's C++ API, not our binding):
  per document, the text is normalized by PyICU's NFKC_Casefold, apostrophes
  (U+2019, U+02BC, U+FF07) are unified to ``'`` and PyICU's root-locale word
  BreakIterator segments it; the segments whose rule status is not
  ``UBRK_WORD_NONE`` (>= 100) must be exactly the ``segment`` column of
  ``Analyzer(stop_words=None, stem=False, elision=False, min_token_len=1).explain``.
* **Stems** against PyStemmer (which compiles its own libstemmer_c): every row of
  ``explain`` with a term, fr and en, must have ``term == stemWord(unelided)``.

All 5,437 documents are compared (no sampling): bbc_news_en 2,225, gilets_jaunes
3,112 (2,691 fr + 421 en), wikinews_fr 100 (text of the HTML, entities decoded).
Measured when written: 2,352,749 segments compared, all equal (about 18 s); the
same 2,352,749 words through the stemmers (2,312,974 letter words stemmed, 39,775
number segments kept as written), all equal.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import icu  # PyICU
import numpy as np
import pytest
import Stemmer  # PyStemmer

import themescope as ts

log = logging.getLogger(__name__)

pytestmark = pytest.mark.corpus

UBRK_WORD_NONE_LIMIT = 100  # ICU: statuses [0, 100) are spaces, punctuation, symbols
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\uff07": "'"})
SNOWBALL = {"fr": "french", "en": "english"}


# ============================================================ the corpora


class _Text(HTMLParser):
    """The text of a small HTML page: character data, entities decoded, a space per tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def documents(corpora_dir: Path, bbc_texts: list[str]) -> list[tuple[str, str, str]]:
    """Every document of the three corpora as (name, language, text), in a fixed order."""
    docs: list[tuple[str, str, str]] = []
    bbc_paths = sorted((corpora_dir / "bbc_news_en" / "bbc").glob("*/*.txt"))
    docs += [(f"bbc/{p.parent.name}/{p.name}", "en", text) for p, text in zip(bbc_paths, bbc_texts)]
    with (corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            docs.append((f"gilets_jaunes/{article['id']}", article["lang"], article["text"]))
    for path in sorted((corpora_dir / "wikinews_fr_keyphrases" / "documents").glob("*.html")):
        docs.append((f"wikinews/{path.name}", "fr", html_text(path.read_text(encoding="utf-8"))))
    assert len(docs) == 2225 + 3112 + 100
    assert {lang for _, lang, _ in docs} == {"fr", "en"}
    return docs


# ============================================================ segmentation oracle


class IcuWords:
    """Word segments of text as PyICU gives them, after PyICU's normalization."""

    def __init__(self) -> None:
        self.normalizer = icu.Normalizer2.getNFKCCasefoldInstance()
        self.words = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())

    def normalize(self, text: str) -> str:
        return str(self.normalizer.normalize(text)).translate(APOSTROPHES)

    def __call__(self, text: str) -> list[str]:
        # Offsets are UTF-16 ones: slice the UnicodeString, not the str.
        normalized = icu.UnicodeString(self.normalize(text))
        self.words.setText(normalized)
        segments = []
        start = self.words.first()
        for end in self.words:
            if self.words.getRuleStatus() >= UBRK_WORD_NONE_LIMIT:
                segments.append(str(normalized[start:end]))
            start = end
        return segments


def segments_analyzer() -> ts.Analyzer:
    return ts.Analyzer(stop_words=None, stem=False, elision=False, min_token_len=1)


def test_the_oracle_segments_as_uax29_says() -> None:
    """The oracle itself, on hand-worked text (so that agreeing with it means something)."""
    oracle = IcuWords()
    assert oracle("L’OTAN a 30.000 soldats, 1,000 troops; e-mail: cyber-SÉCURITÉ! ﬁn") == [
        "l'otan", "a", "30.000", "soldats", "1,000", "troops", "e", "mail", "cyber", "sécurité", "fin"]
    assert oracle(" « … » — ") == []
    assert oracle("pre\u00admier") == ["premier"]  # soft hyphen: default-ignorable, removed by NFKC_Casefold


def test_segments_identical_to_icu_on_every_corpus_document(documents: list[tuple[str, str, str]]) -> None:
    oracle = IcuWords()
    analyzer = segments_analyzer()
    compared = 0
    changed_by_normalization = 0
    mismatches = []
    for name, _, text in documents:
        expected = oracle(text)
        got = analyzer.explain(text)["segment"].tolist()
        compared += len(expected)
        changed_by_normalization += oracle.normalize(text) != text.lower()
        if got != expected:
            first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
            mismatches.append((name, first, got[first:first + 3], expected[first:first + 3]))
    log.info("%d documents, %d segments compared with PyICU %s (ICU %s); %d differ; "
             "%d documents where normalization is more than lower-casing",
             len(documents), compared, icu.VERSION, icu.ICU_VERSION, len(mismatches), changed_by_normalization)
    assert compared > 2_000_000
    assert changed_by_normalization > 100  # curly apostrophes, ligatures, soft hyphens: the texts exercise it
    assert not mismatches, f"{len(mismatches)} documents differ (name, index, ours, ICU's): {mismatches[:5]}"


def test_segments_are_substrings_of_the_normalized_text(documents: list[tuple[str, str, str]]) -> None:
    """On a deterministic sample (every 25th document): segments appear, in order, in the normalized text."""
    oracle = IcuWords()
    analyzer = segments_analyzer()
    for name, _, text in documents[::25]:
        normalized = oracle.normalize(text)
        position = 0
        for segment in analyzer.explain(text)["segment"]:
            found = normalized.find(segment, position)
            assert found >= 0, (name, segment)
            position = found + len(segment)


# ============================================================ stems


def stemmed_rows(documents: list[tuple[str, str, str]], language: str) -> Iterator[tuple[str, str, str, str | None]]:
    """(document, kind, unelided, term) of every segment of the documents in ``language``."""
    analyzer = ts.Analyzer(language=language, stop_words=None, min_token_len=1)
    for name, lang, text in documents:
        if lang != language:
            continue
        table = analyzer.explain(text)
        for kind, unelided, term in zip(table["kind"], table["unelided"], table["term"]):
            yield name, kind, unelided, term


@pytest.mark.parametrize("language", ["fr", "en"])
def test_stems_identical_to_pystemmer_on_every_corpus_word(documents: list[tuple[str, str, str]],
                                                           language: str) -> None:
    stemmer = Stemmer.Stemmer(SNOWBALL[language])
    words = 0
    numbers = 0
    terms: dict[str, str] = {}  # unelided -> term: each distinct word is stemmed once by PyStemmer
    for name, kind, unelided, term in stemmed_rows(documents, language):
        assert term is not None, (name, unelided)  # nothing is dropped with these settings
        words += 1
        if kind == "number":
            numbers += 1
            assert term == unelided, (name, unelided, term)  # numbers come through as written
        previous = terms.setdefault(unelided, term)
        assert previous == term, (name, unelided, previous, term)
    distinct = sorted(terms)
    theirs = stemmer.stemWords(distinct)
    differences = [(word, terms[word], stem) for word, stem in zip(distinct, theirs) if terms[word] != stem]
    log.info("%s: %d words (%d numbers), %d distinct, compared with PyStemmer: %d differ",
             language, words, numbers, len(distinct), len(differences))
    assert words > (900_000 if language == "en" else 1_000_000)
    assert len(distinct) > 20_000
    assert not differences, f"{len(differences)} stems differ (word, ours, PyStemmer): {differences[:20]}"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_corpus_elisions_are_removed_before_stemming(documents: list[tuple[str, str, str]], language: str) -> None:
    """The corpora do exercise elision, and what is stemmed is the word without it."""
    analyzer = ts.Analyzer(language=language, stop_words=None, min_token_len=1)
    elided: set[tuple[str, str]] = set()
    for _, lang, text in documents[::10]:
        if lang == language:
            table = analyzer.explain(text)
            elided |= {(seg, un) for seg, un in zip(table["segment"], table["unelided"]) if seg != un}
    assert len(elided) > 100
    for segment, unelided in elided:
        if language == "fr":
            prefix = segment[: -len(unelided)]
            assert segment.endswith(unelided) and prefix.endswith("'") and "'" not in prefix[:-1], (segment, unelided)
        else:
            assert segment == unelided + "'s", (segment, unelided)


# ============================================================ fast path = ICU path
#
# The analysis itself (``Analyzer.__call__`` and the vectorizers) segments the raw
# text with a hand-written UAX #29 scanner where every character allows it
# (cpp/include/themescope/word_scanner.hpp), and sends the rest through ICU;
# ``explain`` always runs the reference chain (NFKC_Casefold of the whole text,
# ICU's BreakIterator). On every document both must give the same terms.

FAST_PATH_SETTINGS = {
    # the defaults, in each document's own language
    "defaults": {},
    # every segment, numbers dropped: the scanner's word kinds matter
    "segments, numbers dropped": {"stop_words": None, "stem": False, "elision": False, "min_token_len": 1,
                                  "numbers": "drop"},
}


def explained_terms(analyzer: ts.Analyzer, text: str) -> list[str]:
    return [term for term in analyzer.explain(text)["term"] if isinstance(term, str) and term]  # not NaN (dropped)


@pytest.mark.parametrize("setting", FAST_PATH_SETTINGS)
def test_fast_path_terms_equal_the_icu_path_on_every_corpus_document(documents: list[tuple[str, str, str]],
                                                                      setting: str) -> None:
    analyzers = {lang: ts.Analyzer(language=lang, **FAST_PATH_SETTINGS[setting]) for lang in ("fr", "en")}
    mismatches = []
    terms = 0
    per_document: dict[str, list[list[str]]] = {"fr": [], "en": []}
    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for name, lang, text in documents:
        expected = explained_terms(analyzers[lang], text)
        got = analyzers[lang](text)
        terms += len(expected)
        per_document[lang].append(expected)
        texts[lang].append(text)
        if got != expected:
            first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
            mismatches.append((name, first, got[first:first + 3], expected[first:first + 3]))
    log.info("%s: %d documents, %d terms; %d differ", setting, len(documents), terms, len(mismatches))
    assert terms > 1_000_000
    assert not mismatches, f"{len(mismatches)} documents differ (name, index, fast, ICU): {mismatches[:5]}"

    # Counting reuses each thread's caches from document to document (and from one
    # string storage to another: Latin-1, UCS-2, UCS-4): same counts as the ICU path,
    # on one thread and on two.
    for lang in ("fr", "en"):
        vocabulary = sorted({t for doc in per_document[lang] for t in doc})
        column = {t: i for i, t in enumerate(vocabulary)}
        expected_counts = np.zeros((len(texts[lang]), len(vocabulary)), dtype=np.int64)
        for row, doc in enumerate(per_document[lang]):
            np.add.at(expected_counts[row], [column[t] for t in doc], 1)
        for threads in (1, 2):
            previous = ts.get_num_threads()
            ts.set_num_threads(threads)
            try:
                vectorizer = ts.CountVectorizer(analyzer=analyzers[lang])
                X = vectorizer.fit_transform(texts[lang])
            finally:
                ts.set_num_threads(previous)
            assert vectorizer.get_feature_names_out().tolist() == vocabulary
            assert np.array_equal(X.toarray(), expected_counts), (lang, threads)


def test_auto_language_from_a_sample_agrees_with_the_whole_document(documents: list[tuple[str, str, str]]) -> None:
    """language="auto" reads at most 512 characters of each document (CLD2 is the
    costliest stage); ts.detect_language reads up to 65,536. Measured when chosen:
    1 of the 5,437 documents differs (a French article with English parts)."""
    analyzer = ts.Analyzer(language="auto")
    texts = [text for _, _, text in documents]
    whole = ts.detect_languages(texts)
    differ = [(name, w, analyzer.language_of(text))
              for (name, _, text), w in zip(documents, whole) if analyzer.language_of(text) != w]
    log.info("auto language: %d of %d documents differ from detect_language: %s", len(differ), len(texts), differ)
    assert len(differ) <= 3, differ
