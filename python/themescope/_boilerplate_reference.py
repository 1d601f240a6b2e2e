"""The plain-Python boilerplate remover: the test oracle of the native stage.

:class:`themescope.BoilerplateRemover` runs natively (``cpp/src/boilerplate.cpp``).
This module is its definition in Python, regular expressions and str methods, kept
so that the tests can check that both make the same decision for every line
(``tests/python/test_boilerplate_native.py``). It is private and slow (some 1 MB/s):
use :class:`themescope.BoilerplateRemover`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from .boilerplate import BoilerplateRemover
from .lexicon import STOP_WORD_LANGUAGES, stop_words

__all__ = ["ReferenceBoilerplateRemover", "clean", "recurring_lines"]

# --- paragraph classes, as in jusText ---------------------------------------------
BAD, SHORT, NEAR_GOOD, GOOD = 0, 1, 2, 3

# --- shape, by regular expressions (no phrases) -----------------------------------
# Words: runs of letters or digits, joined by apostrophes (normalized to U+0027).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Where a word starts (for the share of capitalized words).
_INITIAL = re.compile(r"(?<![\w'])[^\W\d_]")
# Scripts written without spaces between words: one character is about half a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\uf900-\ufaff]")
# Whitespace-separated chunks that are links: URLs, e-mail addresses, @handles, #hashtags and bare
# host names. Anchored at the start of a chunk (after an opening bracket or quote at most), which
# keeps the search linear in the text.
_LINKS = re.compile(
    r"(?<!\S)[(\[<\"'\u00ab\u201c]?(?:"
    r"(?:https?://|www\.)\S+"
    r"|[^\s@]+@[\w-]+(?:\.[\w-]+)+"
    r"|[@#][^\W_]\S*"
    r"|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|be|ch|ca|uk|de|io|info)(?:/\S*)?(?!\w)"
    r")",
    re.IGNORECASE,
)
# "Label: value" (Read also: ..., Photo: ..., Written by: ...): at most three words, a colon, then more.
_LABEL = re.compile(r"^\W*(?:[^\W\d_][\w'.-]*\s+){0,2}[^\W\d_][\w'.-]*\s*:\s*[^\s\"'\u00ab\u201c\u201e\u2018\u201a\u2039]")  # noqa: E501
# What may follow the end of a sentence: closing quotes and brackets, a footnote star, spaces.
_CLOSERS = "\"'\u00bb\u201d\u2019)]* \t\r\f\v\u00a0"
_ENDERS = ".!?\u2026\u3002\uff01\uff1f"
# A line that starts like this may go on the sentence of the line before (text cut at links).
# A sentence end inside a paragraph: an ender, closing quotes or brackets, then a space.
_INNER_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u00bb\u201d\u2019)\]*]*\s")
_CONTINUES = re.compile(r"[^\W\d_]|[,.;:)\]\u00bb\u201d\u2019%]")
_TEASER_HEAD = 5  # words a truncated teaser is matched on
_STRIP_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)[\"'\u00bb\u201d\u2019)\]\s]*$")
_EDGE = -1  # the start or the end of a document, seen as a neighbour
# Lines longer than this (characters) hold a whole paragraph: a scraped page has most of its
# words on such lines; text wrapped at a fixed width (manual pages, documentation sources,
# e-mail) has almost none.
_LONG_LINE = 100


def _apostrophes(text: str) -> str:
    for ch in "\u2019\u2018\u201b\u02bc":
        if ch in text:
            text = text.replace(ch, "'")
    return text


def _normalize(text: str) -> str:
    """The form paragraphs are compared in: apostrophes unified, case folded, spaces collapsed."""
    return " ".join(_apostrophes(text).casefold().split())


def _ends_sentence(text: str) -> bool:
    tail = text.rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _ENDERS


def _shape(text: str, stops: frozenset[str] | None) -> tuple[float, float, bool, bool, float, str]:
    """Shape of one paragraph (stripped).

    Returns its length in words, its stop-word density, whether it ends like a
    sentence (an ellipsis counts), whether it ends with an ellipsis (a truncated
    teaser), the share of its whitespace-separated chunks that are links, e-mail
    addresses, @handles or #hashtags, and the text with apostrophes unified.
    """
    norm = _apostrophes(text)
    folded = norm.casefold()
    tokens = _WORD.findall(folded)
    words = float(len(tokens))
    if _UNSPACED.search(norm):
        # one token per run of ideographs: count about two characters a word instead
        words = sum(max(1.0, len(_UNSPACED.findall(t)) / 2) for t in tokens)
    density = 0.0
    if stops is not None and tokens:
        n_tokens = len(tokens)
        n_stop = sum(map(stops.__contains__, tokens))
        if "'" in folded:
            for token in tokens:
                if "'" in token and token not in stops:  # l'alliance: count its parts
                    parts = token.split("'")
                    n_tokens += len(parts) - 1
                    n_stop += sum(map(stops.__contains__, parts))
        density = n_stop / n_tokens
    tail = norm.rstrip(_CLOSERS)
    truncated = tail.endswith(("...", "\u2026"))
    sentence = bool(tail) and tail[-1] in _ENDERS
    chunks = len(norm.split())
    links = len(_LINKS.findall(norm)) / chunks if chunks else 0.0
    return words, density, sentence, truncated, min(links, 1.0), norm


def _words_before_last_sentence_end(norm: str) -> int:
    """Words of the paragraph up to its last sentence end followed by more text (0 if none)."""
    last = None
    for last in _INNER_END.finditer(norm):  # noqa: B007 (the loop keeps the last match)
        pass
    return len(_WORD.findall(norm[: last.start()])) if last is not None else 0


def _capitals(norm: str) -> tuple[float, bool]:
    """Share of words that start with a capital, and whether the text is written in capitals."""
    initials = "".join(_INITIAL.findall(norm))
    if not initials:
        return 0.0, False
    caps = sum(map(str.isupper, initials)) / len(initials)
    letters = [c for c in norm if c.isalpha()]
    shouting = len(initials) >= 2 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)
    return caps, shouting


class _Params:
    """The thresholds one document is judged with (the estimator's)."""

    def __init__(self, thresholds: dict[str, Any]) -> None:
        self.length_low = thresholds["length_low"]
        self.length_high = thresholds["length_high"]
        self.stopwords_low = thresholds["stopwords_low"]
        self.stopwords_high = thresholds["stopwords_high"]
        self.max_link_density = thresholds["max_link_density"]
        self.max_short_run = thresholds["max_short_run"]
        self.max_heading_distance = thresholds["max_heading_distance"]
        self.max_removed_share = thresholds["max_removed_share"]


def _classify(text: str, stops: frozenset[str] | None, p: _Params,
              first: bool) -> tuple[int, str, float, bool, bool, float]:
    """Context-free class of one paragraph.

    Returns the class, the reason to give if the paragraph is removed, its length
    in words, whether it reads as a whole sentence (not a teaser cut by "..."),
    whether it is a truncated teaser and its stop-word density. ``first`` says
    that the paragraph is the first of its document (where a title is, which may
    read "Label: value").
    """
    words, density, sentence, truncated, links, norm = _shape(text, stops)
    whole = sentence and not truncated
    if links > p.max_link_density:
        return BAD, "links", words, False, truncated, density
    caps, shouting = _capitals(norm) if words < p.length_high or stops is None else (0.0, False)
    if words < p.length_high and (shouting or (not first and not sentence and _LABEL.match(norm))):
        return BAD, ("capitals" if shouting else "label"), words, False, truncated, density
    if words < p.length_low:
        return SHORT, "short_run", words, whole, truncated, density
    if stops is not None:
        if density >= p.stopwords_high:
            cls = GOOD if words >= p.length_high else NEAR_GOOD
        elif density >= p.stopwords_low:
            cls = GOOD if words >= 2 * p.length_high else NEAR_GOOD
        elif sentence:
            # a sentence heavy in names and numbers (a result, a line-up): its neighbours decide
            return SHORT, "few_stop_words", words, whole, truncated, density
        elif _words_before_last_sentence_end(norm) >= p.length_low:
            # whole sentences then a tail that is not one, as a caption and its credit ("..., a
            # déclaré Joe Biden à Vladimir Poutine. /Photo prise le 16 juin 2021/REUTERS"): its
            # sentences are text, which the neighbours decide on as for a sentence
            return SHORT, "few_stop_words", words, True, truncated, density
        else:
            return BAD, "few_stop_words", words, False, truncated, density
    else:
        # no stop list for this language: prose is mostly lowercase words ending in sentences
        if caps > 0.5 and not sentence:
            return BAD, "capitals", words, False, truncated, density
        cls = GOOD if words >= p.length_high else NEAR_GOOD
    if not sentence and words < 2 * p.length_high:
        # a paragraph that does not end like a sentence needs its neighbours one step more, unless
        # it is long prose (a whole article on one line, cut short by the scraper)
        cls -= 1
        return cls, ("short_run" if cls == SHORT else "isolated"), words, False, truncated, density
    return cls, "isolated", words, whole, truncated, density


def _paragraphs(raw: list[str]) -> tuple[list[list[int]], list[str]]:
    """Group the non-blank lines into paragraphs.

    A line goes on the paragraph before it when that one does not end like a
    sentence and the line starts in lowercase, or right below it, starts with
    punctuation or follows a line that ends with a space: scraped text is often
    cut into pieces where links were (the link text itself sometimes lost,
    leaving a blank line). Returns the line numbers of
    each paragraph and its text (the lines stripped and joined by a space).
    """
    lines: list[list[int]] = []
    texts: list[str] = []
    parts: list[str] = []
    last = -2
    for i, line in enumerate(raw):
        s = line.strip()
        if not s:
            continue
        joins = False
        if parts and not _ends_sentence(parts[-1]):
            if i == last + 1:
                joins = (_CONTINUES.match(s) is not None and (s[0].islower() or not s[0].isalpha())) or (
                    raw[last].rstrip("\r\n")[-1:].isspace()  # cut inside a line of text, at a link
                )
            elif i == last + 2:
                joins = s[0].islower()
        if joins:
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


def _looks_like_heading(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
        if ch.isdigit():
            return True
    return False


# one unit: the test oracle of the native stage, written as the definition reads (per-paragraph
# arrays, then numbered passes 1, 2, 3... over them, each reading what the passes before it
# decided); split into functions, the passes would pass those seven arrays back and forth, and
# the oracle would be harder to check against cpp/src/boilerplate.cpp, not easier.
def _clean_document(  # noqa: C901 (one unit, see above)
    text: str, stops: frozenset[str] | None, recurring: frozenset[str], p: _Params
) -> tuple[str, list[tuple[int, str, str]], int]:
    """Return the kept text, the removed lines as (line number, text, reason) and the words spared.

    The words spared are those removal would have taken from a document kept whole, else 0.
    """
    raw = text.split("\n")
    where, items = _paragraphs(raw)
    n = len(items)
    if n == 0:
        return text, [], 0
    cls = [0] * n
    reason = [""] * n
    words = [0.0] * n
    sentence = [False] * n
    truncated = [False] * n
    density = [0.0] * n
    keys = [""] * n
    seen: dict[str, tuple[str, tuple[int, str, float, bool, bool, float]]] = {}  # repeated paragraphs: judge once
    for k, s in enumerate(items):
        known = seen.get(s)
        if known is None or k == 0:
            known = (_normalize(s), _classify(s, stops, p, k == 0))
            if k > 0:
                seen[s] = known
        keys[k] = known[0]
        cls[k], reason[k], words[k], sentence[k], truncated[k], density[k] = known[1]
    shape = cls[:]  # before repetition and context

    # 1. lines that recur across the corpus
    if recurring:
        for k in range(n):
            if keys[k] in recurring:
                cls[k], reason[k] = BAD, "repeated_across_corpus"

    # 2. paragraphs repeated within the document; a truncated teaser ("Le texte qui...") counts as
    #    an occurrence of the longer paragraph it starts.
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
    # a lone stop word ("and", "de") repeated says nothing
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
        # runs of consecutive repeated paragraphs: a block looks like body text when most of it does;
        # then its first occurrence stays (a paragraph pasted twice), else all go (a repeated widget)
        run_id = [0] * n
        run_body: list[tuple[int, int]] = []  # (body-like paragraphs, paragraphs) per run
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
            keep_first = first == 0 or (shape[first] >= NEAR_GOOD and not truncated[first] and 2 * b > t)
            for k in occ[1:] if keep_first else occ:
                cls[k], reason[k] = BAD, "repeated_in_document"

    # 3. context: near-good paragraphs look past short and near-good ones for a good or a long bad
    #    one; the edges of the document count as bad. A document without any good paragraph (a brief,
    #    wire copy in one-sentence paragraphs) has its prose judged by itself: its near-good whole
    #    sentences dense in stop words are good. Without even those, its edges count as good.
    if GOOD not in cls:
        for k in range(n):
            if cls[k] == NEAR_GOOD and sentence[k] and (stops is None or density[k] >= p.stopwords_high):
                cls[k] = GOOD
    edge = _EDGE if GOOD in cls else GOOD
    # short bad paragraphs ("Read more", a credit, a link) interrupt the text without saying
    # whether what is around them is text: the search looks past them as past short ones
    decisive = [cls[k] == GOOD or (cls[k] == BAD and words[k] >= p.length_low) for k in range(n)]

    def neighbour(k: int, step: int) -> int:
        k += step
        while 0 <= k < n:
            if decisive[k]:
                return cls[k]
            k += step
        return edge

    resolved = cls[:]
    for k in range(n):
        if cls[k] == NEAR_GOOD:
            before, after = neighbour(k, -1), neighbour(k, 1)
            chained = (k > 0 and cls[k - 1] == NEAR_GOOD) or (k + 1 < n and cls[k + 1] == NEAR_GOOD)
            resolved[k] = GOOD if before == GOOD or after == GOOD or chained else BAD
    cls = resolved
    context = cls[:]  # before the short runs are settled

    # 4. runs of short paragraphs: a run between good paragraphs is kept when it is short (at most
    #    max_short_run); otherwise only the short sentences that touch good text are, and just
    #    before good text, one line that looks like its heading.
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
            # a few short lines inside the article (a subheading, a list); lone words (share
            # buttons, a credit) are not
            keep = [words[j] >= 2 or sentence[j] for j in range(start, end)]
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
                if (j >= start and budget > 0 and not keep[j - start] and words[j] >= 2
                        and _looks_like_heading(items[j])):
                    keep[j - start] = True
        for j in range(start, end):
            cls[j] = GOOD if keep[j - start] else BAD

    # 5. the title: a short first paragraph that looks like a heading stays when good text starts
    #    within max_heading_distance characters after it (jusText's rule for headings), past the
    #    paragraphs removed in between (a repeated title, a "Source: 123" line, a score), unless a
    #    heading was kept right before the text (then that is the title, and the first line not)
    if context[0] == SHORT and cls[0] != GOOD and words[0] >= 2 and _looks_like_heading(items[0]):
        distance = 0
        for j in range(1, n):
            if cls[j] == GOOD:
                if context[j] != SHORT:
                    cls[0] = GOOD
                break
            distance += len(items[j])
            if distance > p.max_heading_distance:
                break

    removed = [(i, raw[i], reason[k]) for k in range(n) if cls[k] != GOOD for i in where[k]]
    if not removed:
        return text, [], 0
    # Laid out in wrapped lines, not like a scraped page (most words on short lines, some paragraph
    # on several lines) and about to lose more than a small share of its words: this cleaning was
    # not made for it, the document stays whole.
    line_words = [len(_WORD.findall(line)) for line in raw]
    total = sum(line_words)
    on_long_lines = sum(w for line, w in zip(raw, line_words, strict=True) if len(line) > _LONG_LINE)
    removed_words = sum(line_words[i] for i, _, _ in removed)
    wrapped = 2 * on_long_lines < total and any(len(lines) > 1 for lines in where)
    if wrapped and removed_words > p.max_removed_share * total:
        return text, [], removed_words
    out: list[str] = []
    kept_any = False
    prev_line = -1  # line number of the last line of the previous paragraph
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
    return "\n".join(out), removed, 0


def _stop_list(language: str) -> frozenset[str] | None:
    return stop_words(language) if language in STOP_WORD_LANGUAGES else None



def recurring_lines(docs: list[str], min_documents: int) -> list[str]:
    """The normalized paragraphs found in at least ``min_documents`` distinct documents, sorted."""
    df: Counter[str] = Counter()
    for doc in dict.fromkeys(docs):  # a document given twice is not a template
        df.update({_normalize(s) for s in _paragraphs(doc.split("\n"))[1]})
    return sorted(key for key, count in df.items() if count >= min_documents)


def clean(
    docs: list[str], languages: list[str], recurring: frozenset[str], thresholds: dict[str, Any]
) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
    """What ``_core.boilerplate_clean`` returns: the kept texts, the report's columns, the words spared."""
    params = _Params(thresholds)
    out: list[str] = []
    document: list[int] = []
    line: list[int] = []
    texts: list[str] = []
    reasons: list[str] = []
    spared: list[int] = []
    for d, (doc, lang) in enumerate(zip(docs, languages, strict=True)):
        kept, removed, words = _clean_document(doc, _stop_list(lang), recurring, params)
        out.append(kept)
        spared.append(words)
        for i, text, why in removed:
            document.append(d)
            line.append(i)
            texts.append(text)
            reasons.append(why)
    return (out, np.asarray(document, dtype=np.int64), np.asarray(line, dtype=np.int64), texts, reasons,
            np.asarray(spared, dtype=np.int64))


class ReferenceBoilerplateRemover(BoilerplateRemover):
    """:class:`themescope.BoilerplateRemover` computed in plain Python (the oracle)."""

    def _recurring_lines(self, docs: list[str], min_documents: int) -> list[str]:
        return recurring_lines(docs, min_documents)

    def _clean(
        self, docs: list[str], languages: list[str], recurring: frozenset[str]
    ) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
        return clean(docs, languages, recurring, self._thresholds())
