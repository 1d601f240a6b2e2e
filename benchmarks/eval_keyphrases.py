"""Precision@10 of TF-IDF top terms against human keyphrases (100 French Wikinews articles).

Corpus: ../shared/corpora/wikinews_fr_keyphrases (Bougouin et al. 2013), the text of each
article (<h1> headline, <h2> lead, <p> paragraphs; HTML entities decoded) and its combined
reference keyphrases (`ref`). Every system is fitted on the 100 articles; an article's top 10
terms are the 10 largest entries of its row (ties: the earlier column, i.e. alphabetical term).

Matching, after stemming, the same for every system (the judge is PyStemmer's French
Snowball stemmer, not themescope's own code):

- a top term is the feature name scikit-learn shows, or for themescope its display form
  (`get_feature_names_out(display=True)`: the most frequent surface word of the stem); the
  judge stems it whole;
- a reference keyphrase is split into words (`\\w+` runs, so hyphens and apostrophes split,
  plus each whitespace-separated word whole); words shorter than 2 characters and French
  stop words (Snowball's list, `ts.stop_words("fr")`) are left out, so the "de" of
  "asie de l'est" matches nothing; the rest are stemmed;
- **any word** (the main rule): a top term is correct if its stem equals the stem of any
  word of any reference keyphrase of the article (so "higgs" and "boson" both match
  "boson de higgs");
- **single-word**: a top term is correct only if its stem equals the stem of a one-word
  keyphrase (the strict rule: multi-word keyphrases cannot be matched by a single term);
- in both, stems are **distinct**: two top terms with the same stem ("syndicat" and
  "syndicats") are one guess and count once; P@10 = correct distinct stems / 10.
  The column "any word, dup." counts every top term instead (no dedup), for reference.
- a **multiword top term** (a phrase: words joined by a space, a hyphen or gensim's "_":
  "premier ministre", "Indo-Pacifique", "gilets_jaunes", with at least two words kept) is
  split into words like a keyphrase (stop words and 1-character words
  left out, the rest stemmed); under the main rule it is correct if those stems are all
  words of **one** reference keyphrase (it names that keyphrase or part of it: "boson
  higgs" for "boson de higgs", never two words taken from two keyphrases); under the
  single-word rule it is never correct (it is not one word). Two phrases with the same
  stems are one guess. A phrase that is right takes one of the ten places, where its words
  as separate terms would have taken two.

Systems: themescope `TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)`,
with and without its phrase stage (`phrases=True`), and with the headline's terms counted twice
(`headline_weight=2`: the <h1> is the text's first line), alone and with the phrases beside their
words (`phrases=ts.Phrases(keep_words=True)`); for information the same with weights 3 and 4
(how much the figure depends on the weight: it was not chosen on these articles), the
Explorer's top terms with the weighted analyzer, and (m) with each word left out where a phrase
holding it ranks above it (the Explorer's display: a phrase and its words take one place);
scikit-learn `TfidfVectorizer()` (defaults); scikit-learn with the French stop list given as a
list (`stop_words=sorted(ts.stop_words("fr"))`); and for information scikit-learn with the stop
list and `sublinear_tf=True`, and themescope with `stem=False`; and gensim's `Phrases` (the peer
of the phrase stage: scikit-learn's tokens with the French stop list, joined by
`gensim.models.phrases.Phrases` with NPMI scoring, then scikit-learn's TfidfVectorizer), when
gensim is installed (`pip install themescope[bench]`).

The Explorer's top terms (f), what an analyst reads and the report shows, are scored apart from
its vectors (themescope._keyterms): every word of the search index (min_df=1) and the phrases,
(1 + ln tf) idf, the headline's terms (the first line) weighted by a factor. That factor was chosen
on the first 50 articles only (sorted by file name): of 1, 2, 3, 4 and 5, the best mean P@10 there
(ties: the smaller). The eval prints, for each factor, the first 50 (where it was chosen), the last
50 (held out) and the whole, and each main system's halves.

    .venv/bin/python benchmarks/eval_keyphrases.py

tests/python/test_keyphrases.py runs the same code and asserts the margins.
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from collections.abc import Callable

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPUS = "wikinews_fr_keyphrases"
K = 10

_WORD = re.compile(r"\w+")
_PHRASE_JOINER = re.compile(r"[\s_-]")  # what joins the words of a phrase (gensim: "_")
_EDGE_PUNCTUATION = ".,;:!?«»\"'()[]"


# --------------------------------------------------------------------------- corpus


class _ArticleText(HTMLParser):
    """The headline (<h1>), lead (<h2>) and paragraphs (<p>) of a Wikinews page, one block each."""

    BLOCKS = ("h1", "h2", "p")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BLOCKS:
            self._depth += 1
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.blocks[-1] += data

    def text(self) -> str:
        return "\n\n".join(" ".join(b.split()) for b in self.blocks if b.strip())


@dataclass
class Corpus:
    names: list[str]  # document file names, sorted
    texts: list[str]
    keyphrases: list[list[str]]  # reference keyphrases per document, as in `ref`


def load_corpus(corpora_dir: Path) -> Corpus:
    root = corpora_dir / CORPUS
    refs: dict[str, list[str]] = {}
    for line in (root / "ref").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, _, phrases = line.partition("\t")
        refs[name.strip()] = [p.strip() for p in phrases.split(";") if p.strip()]
    names = sorted(refs)
    texts = []
    for name in names:
        parser = _ArticleText()
        parser.feed((root / "documents" / name).read_text(encoding="utf-8"))
        parser.close()
        texts.append(parser.text())
    return Corpus(names, texts, [refs[n] for n in names])


# ------------------------------------------------------------------------- matching


class Judge:
    """Stems both sides with the French Snowball stemmer (PyStemmer) and scores top-k lists."""

    def __init__(self, stop_words: frozenset[str]) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("french")
        self._stop = stop_words

    def stem(self, word: str) -> str:
        return str(self._stemmer.stemWord(word.lower()))

    def reference_stems(self, keyphrases: list[str]) -> tuple[set[str], set[str]]:
        """(stems of every kept word of every keyphrase, stems of the one-word keyphrases)."""
        any_word: set[str] = set()
        single: set[str] = set()
        for phrase in keyphrases:
            phrase = phrase.lower().replace("\u2019", "'")
            parts = _WORD.findall(phrase)
            words = set(parts) | {w.strip(_EDGE_PUNCTUATION) for w in phrase.split()}
            kept = {self.stem(w) for w in words if len(w) >= 2 and w not in self._stop}
            any_word |= kept
            if len(parts) == 1:
                single |= kept
        return any_word, single

    def phrase_stems(self, keyphrases: list[str]) -> list[frozenset[str]]:
        """Per reference keyphrase, the stems of its kept words (what a multiword top term must fall in)."""
        return [frozenset(self.words(phrase)) for phrase in keyphrases]

    def words(self, phrase: str) -> list[str]:
        """The stems of the kept words of a phrase, in order (``\\w+`` runs, stop words left out)."""
        phrase = phrase.lower().replace("\u2019", "'").replace("_", " ")
        return [self.stem(w) for w in _WORD.findall(phrase) if len(w) >= 2 and w not in self._stop]

    def guess(self, term: str, reference: set[str], phrases: list[frozenset[str]] | None) -> tuple[Any, bool]:
        """(what the top term guesses, whether it is correct) under the rules of the docstring."""
        if phrases is not None and _PHRASE_JOINER.search(term) and len(self.words(term)) > 1:
            stems = frozenset(self.words(term))
            return stems, bool(stems) and any(stems <= p for p in phrases)
        stem = self.stem(term)
        return stem, stem in reference

    def precision(self, top: list[str], reference: set[str], distinct: bool = True,
                  phrases: list[frozenset[str]] | None = None) -> float:
        """P@K of ``top``; ``phrases`` (the keyphrases' stems) judges multiword terms (else stemmed whole)."""
        guesses = [self.guess(t, reference, phrases) for t in top[:K]]
        if distinct:
            return len({g for g, correct in guesses if correct}) / K
        return sum(correct for _g, correct in guesses) / K


# -------------------------------------------------------------------------- systems


def top_terms(X: Any, names: Any, k: int = K) -> list[list[str]]:
    """Per row, the names of its k largest entries (ties: lower column first)."""
    X = X.tocsr()
    tops = []
    for i in range(X.shape[0]):
        start, end = X.indptr[i], X.indptr[i + 1]
        columns, values = X.indices[start:end], X.data[start:end]
        order = np.lexsort((columns, -values))[:k]
        tops.append([str(names[columns[j]]) for j in order])
    return tops


def _themescope(words_once: bool = False, **analyzer: Any) -> Callable[[list[str]], list[list[str]]]:
    """``words_once``: a word is left out of a row where a phrase holding it weighs as much or more
    (what Explorer.top_terms shows: "Fumio Kishida" above "Kishida" shows Kishida once)."""
    def run(texts: list[str]) -> list[list[str]]:
        import themescope as ts
        from themescope.phrases import hide_covered_words_sparse

        vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto", **analyzer), sublinear_tf=True)
        X = vectorizer.fit_transform(texts)
        if words_once:
            X = hide_covered_words_sparse(X, vectorizer.get_feature_names_out())
        return top_terms(X, vectorizer.get_feature_names_out(display=True))

    return run


def _explorer(**options: Any) -> Callable[[list[str]], list[list[str]]]:
    """An Explorer's top_terms, its defaults (boilerplate, min_df=2, accents folded, function words out)."""
    def run(texts: list[str]) -> list[list[str]]:
        import themescope as ts

        explorer = ts.Explorer(**options).fit(texts)
        top = explorer.top_terms(n=K)
        return [top.loc[top["document"] == i, "term"].astype(str).tolist() for i in range(len(texts))]

    return run


def _sklearn(french_stop_words: bool, **params: Any) -> Callable[[list[str]], list[list[str]]]:
    def run(texts: list[str]) -> list[list[str]]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        import themescope as ts

        if french_stop_words:
            params["stop_words"] = sorted(ts.stop_words("fr"))
        vectorizer = TfidfVectorizer(**params)
        X = vectorizer.fit_transform(texts)
        return top_terms(X, vectorizer.get_feature_names_out())

    return run


def _gensim_phrases() -> Callable[[list[str]], list[list[str]]]:
    """scikit-learn's tokens (French stop list out), joined by gensim's Phrases (NPMI), then TF-IDF."""
    def run(texts: list[str]) -> list[list[str]]:
        from gensim.models.phrases import Phrases
        from sklearn.feature_extraction.text import TfidfVectorizer

        import themescope as ts

        tokenize = TfidfVectorizer(stop_words=sorted(ts.stop_words("fr"))).build_analyzer()
        sentences = [tokenize(t) for t in texts]
        # NPMI scoring with the thresholds of themescope's Phrases (min_count 2, NPMI 0.5)
        model = Phrases(sentences, min_count=2, threshold=0.5, scoring="npmi", delimiter="_")
        phrased = [model[s] for s in sentences]
        vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
        X = vectorizer.fit_transform(phrased)
        return top_terms(X, vectorizer.get_feature_names_out())

    return run


def _explorer_analyzer(headline_weight: int) -> Any:
    """The Explorer's own analyzer (accents folded, phrases beside their words), headline weighted."""
    import themescope as ts

    return ts.Analyzer(fold_accents=True, phrases=ts.Phrases(keep_words=True), headline_weight=headline_weight)


def ts_phrases(**params: Any) -> Any:
    import themescope as ts

    return ts.Phrases(**params)


def _have_gensim() -> bool:
    try:
        import gensim  # noqa: F401
    except ImportError:
        return False
    return True


THEMESCOPE = "themescope Analyzer(language='auto'), sublinear_tf"
SKLEARN = "scikit-learn TfidfVectorizer() defaults"
SKLEARN_STOP = "scikit-learn, French stop list"
# (label, key, run, informational only)
SYSTEMS: list[tuple[str, str, Callable[[list[str]], list[list[str]]], bool]] = [
    (THEMESCOPE, "a", _themescope(), False),
    (SKLEARN, "b", _sklearn(False), False),
    (SKLEARN_STOP, "c", _sklearn(True), False),
    ("scikit-learn, French stop list, sublinear_tf", "d", _sklearn(True, sublinear_tf=True), True),
    ("themescope, stem=False", "e", _themescope(stem=False), True),
    ("themescope Explorer().top_terms (defaults)", "f", _explorer(), False),
    ("themescope, accents folded", "g", _themescope(fold_accents=True), True),
    ("themescope Analyzer(phrases=True), sublinear_tf", "h", _themescope(phrases=True), False),
    ("themescope, phrases, accents folded", "i", _themescope(phrases=True, fold_accents=True), True),
    ("sklearn tokens + gensim Phrases (NPMI), sublinear_tf", "j", _gensim_phrases(), True),
    ("themescope, phrases beside their words", "k", _themescope(phrases=ts_phrases(keep_words=True)), True),
    ("themescope Analyzer(headline_weight=2), sublinear_tf", "l", _themescope(headline_weight=2), False),
    ("themescope, headline_weight=2, phrases beside words", "m",
     _themescope(headline_weight=2, phrases=ts_phrases(keep_words=True)), False),
    ("themescope, headline_weight=3, phrases beside words", "n",
     _themescope(headline_weight=3, phrases=ts_phrases(keep_words=True)), True),
    ("themescope, headline_weight=4, phrases beside words", "o",
     _themescope(headline_weight=4, phrases=ts_phrases(keep_words=True)), True),
    ("Explorer(analyzer=... headline_weight=2).top_terms", "p", _explorer(analyzer=_explorer_analyzer(2)), True),
    ("(m), a word shown once, in the phrase above it", "q",
     _themescope(words_once=True, headline_weight=2, phrases=ts_phrases(keep_words=True)), True),
]


@dataclass
class Scores:
    any_word: list[float]  # per document, the main rule
    single_word: list[float]
    any_word_duplicates: list[float]  # main rule without merging equal stems
    tops: list[list[str]]

    @staticmethod
    def mean(values: list[float]) -> float:
        return float(np.mean(values))


def evaluate(corpus: Corpus, keys: str = "abcdefghijklmnopq") -> dict[str, Scores]:
    """P@10 per document of each system (by key), under each rule (gensim's row only if installed)."""
    import themescope as ts

    judge = Judge(ts.stop_words("fr"))
    references = [judge.reference_stems(k) for k in corpus.keyphrases]
    phrases = [judge.phrase_stems(k) for k in corpus.keyphrases]
    results: dict[str, Scores] = {}
    for _label, key, run, _info in SYSTEMS:
        if key not in keys or (key == "j" and not _have_gensim()):
            continue
        tops = run(corpus.texts)
        results[key] = Scores(
            any_word=[judge.precision(t, r[0], phrases=p) for t, r, p in zip(tops, references, phrases)],
            single_word=[judge.precision(t, r[1], phrases=[]) for t, r in zip(tops, references)],
            any_word_duplicates=[
                judge.precision(t, r[0], distinct=False, phrases=p) for t, r, p in zip(tops, references, phrases)
            ],
            tops=tops,
        )
    return results


HALF = 50  # the first 50 articles (sorted by file name) choose the headline factor; the last 50 are held out
HEADLINE_FACTORS = (1.0, 2.0, 3.0, 4.0, 5.0)


def halves(values: list[float]) -> tuple[float, float, float]:
    """Mean over the first 50 articles, the last 50, and all."""
    return float(np.mean(values[:HALF])), float(np.mean(values[HALF:])), float(np.mean(values))


def headline_factor_sweep(corpus: Corpus) -> dict[float, list[float]]:
    """Per headline factor, the Explorer's top terms' P@10 (main rule) per article: one fit, rescored."""
    import themescope as ts
    from themescope import _keyterms

    judge = Judge(ts.stop_words("fr"))
    references = [judge.reference_stems(k)[0] for k in corpus.keyphrases]
    phrases = [judge.phrase_stems(k) for k in corpus.keyphrases]
    explorer = ts.Explorer().fit(corpus.texts)
    default = _keyterms.HEADLINE_FACTOR
    sweep: dict[float, list[float]] = {}
    try:
        for factor in HEADLINE_FACTORS:
            _keyterms.HEADLINE_FACTOR = factor
            explorer.__dict__.pop("_key_term_scores", None)  # the scores kept from the last factor
            top = explorer.top_terms(n=K)
            tops = [top.loc[top["document"] == i, "term"].astype(str).tolist() for i in range(len(corpus.texts))]
            sweep[factor] = [judge.precision(t, r, phrases=p) for t, r, p in zip(tops, references, phrases)]
    finally:
        _keyterms.HEADLINE_FACTOR = default
    return sweep


def chosen_factor(sweep: dict[float, list[float]]) -> float:
    """The factor with the best mean over the first 50 articles only (ties: the smaller)."""
    return max(sorted(sweep), key=lambda factor: (round(halves(sweep[factor])[0], 9), -factor))


def print_halves(results: dict[str, Scores], corpus: Corpus) -> None:
    from themescope import _keyterms

    print(f"   main rule by half (articles sorted by file name): first {HALF} (where the headline factor was "
          f"chosen), last {len(corpus.texts) - HALF} (held out), all")
    for key in "abcfm":
        if key in results:
            first, last, whole = halves(results[key].any_word)
            print(f"   ({key}) {'':<22} {first:>7.3f} {last:>8.3f} {whole:>7.3f}")
    sweep = headline_factor_sweep(corpus)
    print(f"   Explorer().top_terms by headline factor (_keyterms.HEADLINE_FACTOR; chosen on the first {HALF}):")
    for factor, values in sweep.items():
        first, last, whole = halves(values)
        print(f"       factor {factor:<14g} {first:>7.3f} {last:>8.3f} {whole:>7.3f}")
    print(f"   chosen on the first {HALF}: {chosen_factor(sweep):g}; the default: {_keyterms.HEADLINE_FACTOR:g}")


def paired(a: list[float], b: list[float]) -> tuple[float, float, int, int]:
    """Mean of a - b, its standard error, and the articles where a is ahead / behind."""
    d = np.asarray(a) - np.asarray(b)
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d))), int((d > 1e-9).sum()), int((d < -1e-9).sum())


def main() -> None:
    corpora = Path(os.environ.get("THEMESCOPE_CORPORA", REPO.parent / "shared" / "corpora"))
    if not (corpora / CORPUS).is_dir():
        sys.exit(f"corpus not found: {corpora / CORPUS} (set THEMESCOPE_CORPORA)")
    corpus = load_corpus(corpora)
    n_phrases = sum(map(len, corpus.keyphrases))
    n_single = sum(len(_WORD.findall(p)) == 1 for ps in corpus.keyphrases for p in ps)
    print(f"{len(corpus.names)} French Wikinews articles, {n_phrases} reference keyphrases "
          f"({n_single} of one word); mean P@{K} of each system's top {K} terms per article, "
          "matched after French Snowball stemming (rules: see the docstring)")
    results = evaluate(corpus)
    print()
    print(f"   {'':3} {'system':<54} {'any word':>9} {'single-word':>12} {'any word, dup.':>15}")
    for label, key, _run, info in SYSTEMS:
        if key not in results:
            print(f"   ({key}) {label:<54} (not installed)")
            continue
        s = results[key]
        print(f"   ({key}) {label + (' [info]' if info else ''):<54} {s.mean(s.any_word):>9.3f} "
              f"{s.mean(s.single_word):>12.3f} {s.mean(s.any_word_duplicates):>15.3f}")
    print()
    def print_paired(base: str, keys: str, rule: str) -> None:
        for key in keys:
            if key in results:
                diff, se, ahead, behind = paired(getattr(results[base], rule), getattr(results[key], rule))
                print(f"   ({key}) {'':<22} {diff:>+7.3f} {se:>8.3f}  {ahead:>3} / {behind}")

    print("   themescope (a) minus:          mean     s.e.  a ahead/behind (articles), main rule 'any word'")
    print_paired("a", "bcdefghijk", "any_word")
    print("   themescope with phrases (h) minus:")
    print_paired("h", "abcj", "any_word")
    print("   themescope with headline_weight=2 and phrases beside their words (m) minus:")
    print_paired("m", "abcjklq", "any_word")
    print("   Explorer().top_terms (f) minus:")
    print_paired("f", "abcm", "any_word")
    print("   single-word rule:")
    print_paired("a", "bc", "single_word")
    print()
    print_halves(results, corpus)
    print()
    print("   first article, top terms:")
    for _label, key, _run, _info in SYSTEMS:
        if key in results:
            print(f"   ({key}) {', '.join(results[key].tops[0])}")
    print(f"   reference: {'; '.join(corpus.keyphrases[0])}")


if __name__ == "__main__":
    main()
