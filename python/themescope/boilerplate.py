"""Remove boilerplate (what is not the article) from scraped news texts.

Scraped articles carry sign-up blocks, comment forms, "related" and podcast
lists, share buttons, photo credits and cookie notices around the article.
:class:`BoilerplateRemover` removes them line by line, in the spirit of
jusText (Pomikálek, 2011): each line is classified by its *shape* (how long it
is, how dense in stop words, whether it ends like a sentence, how much of it is
links, capitals or a "label:"), then its neighbours decide the lines that shape
alone leaves open. On top of that, lines repeated within a document and lines
that recur across many documents of the corpus are removed. No list of phrases
is involved, so it works in any language :func:`themescope.stop_words` knows,
and by shape alone in the others.

>>> import themescope as ts
>>> page = (
...     "Les ministres européens se sont réunis mardi à Bruxelles pour discuter de la "
...     "coopération en matière de cybersécurité et de la protection des réseaux.\\n"
...     "Partager\\nTweeter\\nImprimer\\n"
...     "Ils ont convenu de créer un centre commun chargé de coordonner la réponse aux "
...     "attaques informatiques visant les infrastructures critiques de l'Union.\\n"
...     "Plus d'articles\\nÀ la une\\nContact"
... )
>>> remover = ts.BoilerplateRemover()
>>> print(remover.fit_transform([page])[0])
Les ministres européens se sont réunis mardi à Bruxelles pour discuter de la coopération en matière de cybersécurité et de la protection des réseaux.
Ils ont convenu de créer un centre commun chargé de coordonner la réponse aux attaques informatiques visant les infrastructures critiques de l'Union.
>>> remover.report_[["line", "text", "reason"]].to_string(index=False)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .language import detect_languages
from .lexicon import STOP_WORD_LANGUAGES, stop_words

__all__ = ["BoilerplateRemover"]

# --- line classes, as in jusText -------------------------------------------------
BAD, SHORT, NEAR_GOOD, GOOD = 0, 1, 2, 3

# --- shape, by regular expressions (no phrases) -----------------------------------
# Words: runs of letters or digits, joined by apostrophes (normalized to U+0027).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'"})
_SPACES = re.compile(r"\s+")
# Scripts written without spaces between words: one character is about half a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\uf900-\ufaff]")
_LINKS = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<!\w)[@#][^\W_]\w*"  # @handles and #hashtags
    r"|(?<!\w)[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|be|ch|ca|uk|de|io|info)(?:/\S*)?(?!\w)",  # bare host names
    re.IGNORECASE,
)
# What a sentence ends with, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u00bb\u201d\u2019)\]\s*]*$")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|\u2026)[\"'\u00bb\u201d\u2019)\]\s]*$")
# "Label: value" (Read also: ..., Photo: ..., Written by: ...): at most three words, a colon, then more.
_LABEL = re.compile(r"^\W*(?:[^\W\d_][\w'.-]*\s+){0,2}[^\W\d_][\w'.-]*\s*:\s*[^\s\"'\u00ab\u201c\u201e\u2018\u201a\u2039]")


@dataclass
class _Line:
    index: int  # line number in the document (0-based, in text.split("\n"))
    text: str  # stripped
    key: str  # normalized for comparisons
    words: float
    stop_density: float
    cls: int
    reason: str


def _normalize(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_APOSTROPHES).casefold()).strip()


def _check_texts(texts: object, what: str = "texts") -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{what} must be an iterable of str (one per document), not a single {type(texts).__name__}")
    if not isinstance(texts, Iterable):
        raise TypeError(f"{what} must be an iterable of str, got {type(texts).__name__}")
    docs = list(texts)
    for i, doc in enumerate(docs):
        if not isinstance(doc, str):
            raise TypeError(f"document {i} is {type(doc).__name__}, expected str: {doc!r:.80}")
    return docs


def _shape(text: str, stops: frozenset[str] | None) -> tuple[float, float, bool, bool, float, float, bool, bool]:
    """Shape of one stripped line.

    Returns its length in words, stop-word density, whether it ends like a
    sentence, whether it ends with an ellipsis (a truncated teaser), the share of
    its characters in links and e-mail addresses, the share of its words that
    are capitalized, whether it is written in capitals and whether it reads
    "Label: value".
    """
    norm = text.translate(_APOSTROPHES)
    tokens = _WORD.findall(norm)
    words = float(len(tokens))
    if _UNSPACED.search(norm):
        # one token per run of ideographs: count about two characters a word instead
        words = sum(max(1.0, len(_UNSPACED.findall(t)) / 2) for t in tokens)
    density = 0.0
    if stops is not None and tokens:
        low = [t.casefold() for t in tokens]
        n_tok = len(low)
        n_stop = 0
        for t in low:
            if t in stops:
                n_stop += 1
            elif "'" in t:  # elision, l'alliance: count its parts
                parts = t.split("'")
                n_tok += len(parts) - 1
                n_stop += sum(1 for part in parts if part in stops)
        density = n_stop / n_tok
    alpha = [t for t in tokens if t[0].isalpha()]
    caps = sum(1 for t in alpha if t[0].isupper()) / len(alpha) if alpha else 0.0
    shouting = len(alpha) >= 2 and sum(1 for t in alpha if t.isupper()) >= 0.8 * len(alpha)
    links = sum(len(m) for m in _LINKS.findall(text)) / len(text)
    return (
        words,
        density,
        _SENTENCE_END.search(text) is not None and _ELLIPSIS_END.search(text) is None,
        _ELLIPSIS_END.search(text) is not None,
        links,
        caps,
        shouting,
        _LABEL.match(norm) is not None,
    )


class _Params:
    """The thresholds one document is judged with (taken from the estimator)."""

    def __init__(self, est: BoilerplateRemover) -> None:
        self.length_low = est.length_low
        self.length_high = est.length_high
        self.stopwords_low = est.stopwords_low
        self.stopwords_high = est.stopwords_high
        self.max_link_density = est.max_link_density
        self.max_short_run = est.max_short_run


def _classify(text: str, stops: frozenset[str] | None, p: _Params, first: bool) -> tuple[int, str, float, bool, bool]:
    """Context-free class of one line.

    Returns the class, the reason to give if the line is removed, its length in
    words, whether it reads as a sentence and whether it is a truncated teaser.
    ``first`` says that the line is the first of its document (where a title is).
    """
    words, density, sentence, truncated, links, caps, shouting, label = _shape(text, stops)
    if links > p.max_link_density:
        return BAD, "links", words, False, truncated
    if words < p.length_high and (shouting or (label and not first and not sentence)):
        return BAD, ("label" if label else "capitals"), words, False, truncated
    if words < p.length_low:
        return SHORT, "short_run", words, sentence, truncated
    if stops is not None:
        if density >= p.stopwords_high:
            cls = GOOD if words >= p.length_high else NEAR_GOOD
        elif density >= p.stopwords_low:
            cls = NEAR_GOOD
        elif sentence:
            # a sentence heavy in names and numbers: its neighbours decide
            return SHORT, "few_stop_words", words, sentence, truncated
        else:
            return BAD, "few_stop_words", words, False, truncated
    else:
        # no stop list for this language: prose is mostly lowercase words ending in sentences
        if caps > 0.5 and not sentence:
            return BAD, "capitals", words, False, truncated
        cls = GOOD if words >= p.length_high else NEAR_GOOD
    if not sentence:
        # a line that does not end like a sentence (or ends with "...") needs its neighbours one
        # step more, unless it is long prose (a whole article on one line, cut short)
        cls = max(cls - 1, NEAR_GOOD if words >= 2 * p.length_high else SHORT)
        return cls, ("truncated" if truncated else "short_run" if cls == SHORT else "isolated"), words, False, truncated
    return cls, "isolated", words, sentence, truncated


_EDGE = -1  # the start or the end of a document, seen as a neighbour
_TEASER_HEAD = 5  # words a truncated teaser is matched on
_STRIP_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)[\"'\u00bb\u201d\u2019)\]\s]*$")


# A line that starts like this goes on the sentence of the line before (text cut at links).
_CONTINUES = re.compile(r"[^\W\d_]|[,.;:)\]\u00bb\u201d\u2019%]")


def _paragraphs(raw: list[str]) -> tuple[list[list[int]], list[str]]:
    """Group the non-blank lines into paragraphs.

    A line joins the line just before it (no blank line between) when that line
    does not end like a sentence and this one starts in lowercase or with
    punctuation: scraped text is often cut into pieces where links were.
    Returns the line numbers of each paragraph and its text (lines joined by a space).
    """
    lines: list[list[int]] = []
    texts: list[str] = []
    parts: list[str] = []
    last = -2
    for i, line in enumerate(raw):
        s = line.strip()
        if not s:
            continue
        if (
            i == last + 1
            and _CONTINUES.match(s)
            and (s[0].islower() or not s[0].isalpha())
            and _SENTENCE_END.search(parts[-1]) is None
        ):
            lines[-1].append(i)
            parts.append(s)
        else:
            if parts:
                texts.append(" ".join(parts))
            lines.append([i])
            parts = [s]
        last = i
    if parts:
        texts.append(" ".join(parts))
    return lines, texts


def _clean_document(
    text: str, stops: frozenset[str] | None, recurring: frozenset[str], p: _Params
) -> tuple[str, list[tuple[int, str, str]]]:
    """Return the kept text and the removed lines as (line number, text, reason)."""
    raw = text.split("\n")
    where, items = _paragraphs(raw)
    n = len(items)
    if n == 0:
        return text, []
    keys = [_normalize(s) for s in items]
    cls = [0] * n
    reason = [""] * n
    words = [0.0] * n
    sentence = [False] * n
    truncated = [False] * n
    for k, s in enumerate(items):
        cls[k], reason[k], words[k], sentence[k], truncated[k] = _classify(s, stops, p, k == 0)
    shape = cls[:]  # before repetition and context

    # 1. lines that recur across the corpus
    if recurring:
        for k in range(n):
            if keys[k] in recurring:
                cls[k], reason[k] = BAD, "repeated_across_corpus"

    # 2. lines repeated within the document; a truncated teaser ("Le texte qui...")
    #    counts as an occurrence of the longer line it starts.
    group = keys[:]
    heads: dict[str, list[int]] = {}
    for k in range(n):
        if words[k] >= _TEASER_HEAD:
            heads.setdefault(" ".join(keys[k].split(" ", _TEASER_HEAD)[:_TEASER_HEAD]), []).append(k)
    for k in range(n):
        if truncated[k] and words[k] >= _TEASER_HEAD:
            prefix = _STRIP_ELLIPSIS.sub("", keys[k])
            head = " ".join(keys[k].split(" ", _TEASER_HEAD)[:_TEASER_HEAD])
            for j in heads.get(head, ())[:64]:
                if j != k and len(keys[j]) > len(prefix) and keys[j].startswith(prefix):
                    group[k] = keys[j]
                    break
    eligible = [words[k] >= 2 or (words[k] >= 1 and not (stops and keys[k] in stops)) for k in range(n)]
    occurrences: dict[str, list[int]] = {}
    for k in range(n):
        if eligible[k] and reason[k] != "repeated_across_corpus":
            occurrences.setdefault(group[k], []).append(k)
    repeated = [False] * n
    for occ in occurrences.values():
        if len(occ) > 1:
            for k in occ:
                repeated[k] = True
    if any(repeated):
        # runs of consecutive repeated lines: a block looks like body text when most of its lines do
        run_id = [0] * n
        run_body: list[tuple[int, int]] = []  # (body-like lines, lines) per run
        r = -1
        for k in range(n):
            if repeated[k]:
                if k == 0 or not repeated[k - 1]:
                    run_body.append((0, 0))
                    r += 1
                b, t = run_body[r]
                run_body[r] = (b + (shape[k] >= NEAR_GOOD), t + 1)
                run_id[k] = r
        for occ in occurrences.values():
            if len(occ) < 2:
                continue
            first = occ[0]
            b, t = run_body[run_id[first]]
            keep_first = first == 0 or (shape[first] >= NEAR_GOOD and 2 * b > t)
            for k in occ[1:] if keep_first else occ:
                cls[k], reason[k] = BAD, "repeated_in_document"

    # 3. context: near-good lines look past short and near-good lines for a good or bad one
    #    (the edges of the document count as bad, unless there is nothing else)
    # A document without any good line (a brief, text in pieces) has its edges count as good.
    edge = _EDGE if GOOD in cls else GOOD

    def neighbour(k: int, step: int) -> int:
        k += step
        while 0 <= k < n:
            if cls[k] == GOOD or cls[k] == BAD:
                return cls[k]
            k += step
        return edge

    resolved = cls[:]
    for k in range(n):
        if cls[k] == NEAR_GOOD:
            before, after = neighbour(k, -1), neighbour(k, 1)
            chained = (k > 0 and cls[k - 1] == NEAR_GOOD) or (k + 1 < n and cls[k + 1] == NEAR_GOOD)
            if before == GOOD or after == GOOD or chained:
                resolved[k] = GOOD
            else:
                resolved[k] = BAD
    cls = resolved

    # 4. runs of short lines: a run between good lines is kept when it is short (at most
    #    max_short_run lines); otherwise only the short sentences that touch good text are, and
    #    just before good text, one line that looks like its heading (a title).
    k = 0
    while k < n:
        if cls[k] != SHORT:
            k += 1
            continue
        start = k
        while k < n and cls[k] == SHORT:
            k += 1
        end = k  # the run is [start, end)
        before = cls[start - 1] if start > 0 else edge
        after = cls[end] if end < n else edge
        keep = [False] * (end - start)
        if before == GOOD and after == GOOD and end - start <= p.max_short_run:
            keep = [True] * (end - start)
        else:
            budget = p.max_short_run
            if before == GOOD:
                j = start
                while j < end and budget > 0 and sentence[j]:
                    keep[j - start] = True
                    budget -= 1
                    j += 1
            if after == GOOD:
                j = end - 1
                while j >= start and budget > 0 and sentence[j] and not keep[j - start]:
                    keep[j - start] = True
                    budget -= 1
                    j -= 1
                if j >= start and budget > 0 and not keep[j - start] and _looks_like_heading(items[j]):
                    keep[j - start] = True
        for j in range(start, end):
            cls[j] = GOOD if keep[j - start] else BAD

    removed = [(i, raw[i], reason[k]) for k in range(n) if cls[k] != GOOD for i in where[k]]
    if not removed:
        return text, []
    out: list[str] = []
    kept_any = False
    prev_line = -1  # line number of the previous non-blank line
    for k in range(n):
        first, last = where[k][0], where[k][-1]
        if cls[k] == GOOD:
            if kept_any or k == 0:
                out.extend(raw[prev_line + 1 : first])  # the blank lines before it
            out.extend(raw[first : last + 1])
            kept_any = True
        prev_line = last
    if cls[n - 1] == GOOD:
        out.extend(raw[where[n - 1][-1] + 1 :])
    return "\n".join(out), removed


def _looks_like_heading(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
        if ch.isdigit():
            return True
    return False


def _stop_list(language: str) -> frozenset[str] | None:
    return stop_words(language) if language in STOP_WORD_LANGUAGES else None


class BoilerplateRemover(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Remove the lines of scraped articles that are not the article.

    DOC_PLACEHOLDER
    """

    def __init__(
        self,
        *,
        language: str | None = None,
        length_low: int = 10,
        length_high: int = 35,
        stopwords_low: float = 0.2,
        stopwords_high: float = 0.3,
        max_link_density: float = 0.2,
        max_short_run: int = 3,
        corpus_min_documents: int = 3,
        corpus_min_fraction: float = 0.01,
    ) -> None:
        self.language = language
        self.length_low = length_low
        self.length_high = length_high
        self.stopwords_low = stopwords_low
        self.stopwords_high = stopwords_high
        self.max_link_density = max_link_density
        self.max_short_run = max_short_run
        self.corpus_min_documents = corpus_min_documents
        self.corpus_min_fraction = corpus_min_fraction

    def _validate_params(self) -> None:  # type: ignore[override]
        for name in ("length_low", "length_high", "max_short_run", "corpus_min_documents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, got {value!r}")
        for name in ("stopwords_low", "stopwords_high", "max_link_density", "corpus_min_fraction"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
        if self.language is not None and not isinstance(self.language, str):
            raise TypeError(f"language must be None or an ISO 639-1 code (str), got {type(self.language).__name__}")

    def _languages(self, docs: Sequence[str]) -> list[str]:
        if self.language is not None:
            return [self.language] * len(docs)
        return detect_languages(docs)

    def fit(self, texts: Iterable[str], y: object = None) -> BoilerplateRemover:
        """Learn the lines that recur across the documents.

        DOC_FIT
        """
        self._validate_params()
        docs = _check_texts(texts)
        self._fit_docs(docs)
        return self

    def _fit_docs(self, docs: list[str]) -> None:
        df: Counter[str] = Counter()
        for doc in docs:
            df.update({_normalize(s) for s in _paragraphs(doc.split("\n"))[1]})
        threshold = max(self.corpus_min_documents, math.ceil(self.corpus_min_fraction * len(docs)), 2)
        self.n_documents_ = len(docs)
        self.corpus_threshold_ = threshold
        self.recurring_lines_ = frozenset(key for key, count in df.items() if count >= threshold)

    def transform(self, texts: Iterable[str]) -> list[str]:
        """Remove the boilerplate lines of each document.

        DOC_TRANSFORM
        """
        check_is_fitted(self, "recurring_lines_")
        self._validate_params()
        return self._transform_docs(_check_texts(texts))

    def fit_transform(self, texts: Iterable[str], y: object = None, **fit_params: Any) -> list[str]:
        """Fit on ``texts`` then transform them (reading them once).

        DOC_FIT_TRANSFORM
        """
        self._validate_params()
        docs = _check_texts(texts)
        self._fit_docs(docs)
        return self._transform_docs(docs)

    def _transform_docs(self, docs: list[str]) -> list[str]:
        params = _Params(self)
        languages = self._languages(docs)
        out: list[str] = []
        rows_doc: list[int] = []
        rows_line: list[int] = []
        rows_text: list[str] = []
        rows_reason: list[str] = []
        rows_lang: list[str] = []
        for d, (doc, lang) in enumerate(zip(docs, languages)):
            kept, removed = _clean_document(doc, _stop_list(lang), self.recurring_lines_, params)
            out.append(kept)
            for line, text, why in removed:
                rows_doc.append(d)
                rows_line.append(line)
                rows_text.append(text)
                rows_reason.append(why)
                rows_lang.append(lang)
        self.report_ = pd.DataFrame(
            {
                "document": np.asarray(rows_doc, dtype=np.int64),
                "line": np.asarray(rows_line, dtype=np.int64),
                "text": pd.Series(rows_text, dtype=object),
                "reason": pd.Series(rows_reason, dtype=object),
                "language": pd.Series(rows_lang, dtype=object),
            }
        )
        return out
