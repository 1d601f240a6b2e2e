"""Stop word lists and Snowball stemming (themescope.lexicon).

The stems must be PyStemmer's, word for word, on every distinct word of the shared
corpora. PyStemmer 2.2.0.x compiles libstemmer_c 2.2.0, the Snowball release that
Debian's libstemmer-dev (2.2.0) links into themescope: the same algorithms, so no
word may differ.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import logging
import re
import threading
import unicodedata
from pathlib import Path

import pytest
import Stemmer  # PyStemmer

import themescope as ts
from themescope import lexicon

log = logging.getLogger(__name__)

PYSTEMMER_VERSION = "2.2.0.3"

# ISO 639-1 -> Snowball algorithm name, for PyStemmer (written here, not read from us).
SNOWBALL_NAMES = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip

WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]*>")


def words_of(texts: list[str]) -> list[str]:
    """Distinct lowercase \\w+ runs, NFKC-casefolded (ICU, as the analyzer will), sorted."""
    raw: set[str] = set()
    for text in texts:
        raw.update(WORD.findall(text.lower()))
    return sorted({lexicon.normalize_stop_word(w) for w in raw})


@pytest.fixture(scope="module")
def corpus_words(corpora_dir: Path, bbc_texts: list[str]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {"en": list(bbc_texts), "fr": []}
    with open(corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl", encoding="utf-8") as f:
        n_gilets = 0
        for line in f:
            doc = json.loads(line)
            texts[doc["lang"]].append(f"{doc['title'] or ''}\n{doc['text']}")
            n_gilets += 1
    assert n_gilets == 3112
    pages = sorted((corpora_dir / "wikinews_fr_keyphrases" / "documents").glob("*.html"))
    assert len(pages) == 100
    texts["fr"].extend(html.unescape(TAG.sub(" ", p.read_text(encoding="utf-8"))) for p in pages)
    return {lang: words_of(t) for lang, t in texts.items()}


# ============================================================ parity with PyStemmer


def test_pystemmer_is_the_pinned_release() -> None:
    # Stemmer.version() still says "2.0.1" in this release: ask the installed metadata.
    assert importlib.metadata.version("PyStemmer") == PYSTEMMER_VERSION


@pytest.mark.corpus
@pytest.mark.parametrize("language", ["en", "fr"])
def test_stems_equal_pystemmer_on_every_corpus_word(
    language: str, corpus_words: dict[str, list[str]], record_property: pytest.RecordProperty
) -> None:
    words = corpus_words[language]
    # Measured: en (BBC + English press) 34,802 distinct words, fr (French press +
    # Wikinews) 44,897, with ICU 72's NFKC_Casefold.
    assert len(words) > {"en": 34_000, "fr": 44_000}[language]
    ours = ts.stem(words, language)
    theirs = Stemmer.Stemmer(SNOWBALL_NAMES[language]).stemWords(words)
    differences = [(w, o, t) for w, o, t in zip(words, ours, theirs, strict=True) if o != t]
    log.info("%s: %d distinct corpus words compared with PyStemmer %s, %d differ",
             language, len(words), PYSTEMMER_VERSION, len(differences))
    record_property(f"words_compared_{language}", len(words))
    assert not differences, f"{len(differences)} stems differ (word, ours, PyStemmer): {differences[:20]}"
    assert sum(o != w for w, o in zip(words, ours)) > len(words) // 3, "most words were left unstemmed"


@pytest.mark.corpus
def test_every_stemmer_language_equals_pystemmer(corpus_words: dict[str, list[str]]) -> None:
    # Beyond en/fr: a sample of corpus words plus each language's stop words and a
    # few of its own words, for every algorithm the linked libstemmer offers.
    sample = corpus_words["en"][::20] + corpus_words["fr"][::20]
    own = ["regeringen", "manifestaciones", "abbandonata", "manifestações", "häuser",
           "правительства", "hükümetin", "κυβέρνηση", "rialtais", "vyriausybės"]  # fmt: skip
    assert set(lexicon.STEMMER_LANGUAGES) == set(SNOWBALL_NAMES)
    for language in lexicon.STEMMER_LANGUAGES:
        words = sample + own + (sorted(ts.stop_words(language)) if language in ts.STOP_WORD_LANGUAGES else [])
        ours = ts.stem(words, language)
        theirs = Stemmer.Stemmer(SNOWBALL_NAMES[language]).stemWords(words)
        differences = [(w, o, t) for w, o, t in zip(words, ours, theirs, strict=True) if o != t]
        assert not differences, (language, differences[:20])


# ============================================================ stem()


def test_stem_hand_picked_words() -> None:
    assert ts.stem(["running", "alliances", "cybersecurity"], "en") == ["run", "allianc", "cybersecur"]
    assert ts.stem(["cybersécurité", "alliances", "jaunes", "les"], "fr") == ["cybersécur", "allianc", "jaun", "le"]
    assert ts.stem(["häuser", "daß", "dass"], "de") == ["haus", "dass", "dass"]


def test_stem_accepts_any_iterable_and_keeps_order() -> None:
    words = ["manifestations", "alliances", "", "manifestations"]
    assert ts.stem(iter(words), "fr") == ["manifest", "allianc", "", "manifest"]
    assert ts.stem(tuple(words), "fr") == ts.stem(words, "fr")
    assert ts.stem([], "fr") == []


def test_stem_passes_lone_surrogates_through() -> None:
    # Not valid text: returned as given, not stemmed and not an error.
    assert ts.stem(["alliances\ud800", "alliances"], "en") == ["alliances\ud800", "allianc"]


def test_stem_refuses_a_single_str_and_non_str_words() -> None:
    with pytest.raises(TypeError, match="single str"):
        ts.stem("alliances", "en")
    with pytest.raises(TypeError, match="word 1 is int, expected str"):
        ts.stem(["alliances", 3], "en")
    with pytest.raises(TypeError, match="language must be an ISO 639-1 code"):
        ts.stem(["alliances"], None)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["xx", "", "english", "EN", "porter"])
def test_stem_unknown_language_lists_the_supported_ones(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        ts.stem(["alliances"], bad)
    message = str(info.value)
    assert f"'{bad}'" in message
    assert ", ".join(lexicon.STEMMER_LANGUAGES) in message


def test_stem_from_several_threads() -> None:
    # Each call has its own libstemmer stemmer and runs without the GIL.
    words = ["alliances", "manifestations", "gouvernementales", "continuellement"] * 2000
    expected = ts.stem(words, "fr")
    results: list[list[str]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        results[i] = ts.stem(words, "fr")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


# ============================================================ stop_words()

KNOWN = {
    "da": ["og", "ikke", "også"],
    "de": ["und", "dass", "über", "nicht"],
    "en": ["the", "and", "don't", "i"],
    "es": ["que", "más", "él"],
    "fr": ["les", "des", "qu", "à", "êtes"],
    "it": ["che", "perché", "più"],
    "nl": ["het", "een", "niet"],
    "no": ["og", "ikkje", "så"],
    "pt": ["não", "que", "você"],
    "sv": ["och", "för", "är"],
}


def test_stop_word_languages() -> None:
    assert ts.STOP_WORD_LANGUAGES == tuple(sorted(KNOWN))
    assert set(ts.STOP_WORD_LANGUAGES) <= set(ts.STEMMER_LANGUAGES), "every stop list language can be stemmed"


@pytest.mark.parametrize("language", sorted(KNOWN))
def test_every_list_loads_normalized_with_known_words(language: str) -> None:
    words = ts.stop_words(language)
    assert type(words) is frozenset
    assert ts.stop_words(language) is words
    assert len(words) > 50
    for w in words:
        assert w and w == w.strip()
        assert lexicon.normalize_stop_word(w) == w
        # The same check by Python's own Unicode data, independently of ICU.
        assert unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", w).casefold()) == w
        assert "\u2019" not in w
    assert set(KNOWN[language]) <= words


def test_normalization_changed_only_german_eszett() -> None:
    assert "dass" in ts.stop_words("de") and "daß" not in ts.stop_words("de")
    assert lexicon.normalize_stop_word("Daß") in ts.stop_words("de")
    assert lexicon.normalize_stop_word("DON’T") in ts.stop_words("en")
    assert "us" not in ts.stop_words("en")  # commented out upstream (US = United States)


# ISO code -> the Snowball list stored verbatim (Lucene's copy) beside the converted files.
SNOWBALL_SOURCES = Path(__file__).resolve().parents[2] / "cpp" / "data" / "stopwords" / "snowball"
SNOWBALL_FILES = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fr": "french",
    "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "sv": "swedish",
}  # fmt: skip


def snowball_entries(text: str) -> list[str]:
    """Entries of a Snowball stop.txt: each line's white-space tokens before its first '|'."""
    return [token for line in text.split("\n") for token in line.partition("|")[0].split()]


@pytest.mark.parametrize("language", sorted(SNOWBALL_FILES))
def test_each_list_is_its_snowball_source(language: str) -> None:
    source = SNOWBALL_SOURCES / f"{SNOWBALL_FILES[language]}_stop.txt"
    if not source.exists():
        pytest.skip("the Snowball sources are in the repository, not in an installed package")
    entries = snowball_entries(source.read_text(encoding="utf-8"))
    assert len(entries) == len(set(entries)), "no Snowball list repeats a word"
    assert ts.stop_words(language) == {lexicon.normalize_stop_word(w) for w in entries}
    # Normalization merged nothing: German "daß" became "dass", which was not in the list.
    assert len(ts.stop_words(language)) == len(entries)


def test_french_keeps_snowballs_forms_of_etre_and_avoir() -> None:
    # Sphinx's copy and Lucene's later one comment these out as homonyms (east, sums,
    # summer, sound, a wind, planes...), which let "est" into articles' top terms.
    assert {"est", "sommes", "été", "étés", "son", "fût", "as", "aura", "auras", "avions"} <= ts.stop_words("fr")
    assert len(ts.stop_words("fr")) == 164


@pytest.mark.parametrize("bad", ["xx", "", "fr_FR", "french", "EN"])
def test_unknown_stop_word_language_lists_the_supported_ones(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        ts.stop_words(bad)
    message = str(info.value)
    assert f"'{bad}'" in message
    assert "da, de, en, es, fr, it, nl, no, pt, sv" in message


def test_stop_words_refuses_non_str_language() -> None:
    with pytest.raises(TypeError, match="language must be an ISO 639-1 code"):
        ts.stop_words(b"fr")  # type: ignore[arg-type]


def test_normalize_stop_word() -> None:
    n = lexicon.normalize_stop_word
    assert n("Straße") == "strasse"
    assert n("ÉTÉ") == "été"
    assert n("ﬁn") == "fin"  # ligature
    assert n("l’État") == "l'état"
    assert n("pre\u00admier") == "premier"  # soft hyphen, as in the Wikinews corpus
    with pytest.raises(TypeError):
        n(3)  # type: ignore[arg-type]
