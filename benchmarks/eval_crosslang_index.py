"""Cross-language search over a one-language index: Explorer's defaults against scikit-learn.

The acceptance of issue 17: an index fitted on the English side only, queried with the French
documents (and the reverse: fitted on French, queried with English); for each query, the rank
of its own translation among the indexed documents; recall@1 and MRR (ties count against the
system: a tie with the translation is a miss).

Sets (Debian packages, `make venv` installs them):

- **Handbook chapters**: `/usr/share/doc/debian-handbook/html/{fr-FR,en-US}/*.html` present in
  both, paired by file name (benchmarks/eval_crosslang.py's `load_handbook`).
- **Handbook paragraphs**: the `div.para` of the chapters whose FR and EN pages have as many,
  paired by position, those of at least 30 English words (eval_crosslang's
  `load_handbook_paragraphs`); the number of pairs and chapters used is printed.
- **Man pages**: `/usr/share/man/fr/man1/NAME.1.gz` (manpages-fr) and
  `/usr/share/man/man1/NAME.1.gz`, paired by name, rendered by `man -l` (man-db, groff) as a
  reader sees them, 80 columns, without hyphenation (`MANROFFOPT=-rHY=0`: a word cut at a line
  end is two non-words); a pair is kept when both sides render to at least 20 words.

Systems, each fitted on the index side only, the queries transformed by the fitted system,
cosine similarity of L2-normalised rows:

- `ts.Explorer()` with its defaults (`cross_language=False`: terms only), with
  `cross_language="keys"` (the cognate keys of its terms, `ts.CognateKeys`), and with
  `weighting="bm25"`, `cross_language=True` (the full `ts.CrossLanguageFeatures`) and both: the
  queries go through
  `Explorer.transform` (what `Explorer.query` ranks a long text by, `scorer="cosine"`), scored
  against `vectors_`. The `query() r@1` column is the top answer of `Explorer.query(texts, k=1)`
  with its default `scorer="auto"` (BM25 for a text of at most 32 words).
- scikit-learn `TfidfVectorizer()` (words) and `TfidfVectorizer(analyzer="char_wb",
  ngram_range=(4, 5))`.

Acceptance (issue 17): Explorer's default r@1 >= the better scikit-learn r@1, on each set and
direction; printed for the defaults, "keys" and True.

    .venv/bin/python benchmarks/eval_crosslang_index.py [--limit N]

tests/python/test_crosslang_index.py runs the same code on a subset and asserts the margin.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_crosslang import Parallel, load_handbook, load_handbook_paragraphs  # noqa: E402

import themescope as ts  # noqa: E402

MAN_FR = Path("/usr/share/man/fr/man1")
MAN_EN = Path("/usr/share/man/man1")
MIN_MAN_WORDS = 20


# ---------------------------------------------------------------- man pages
def render_man(path: Path) -> str:
    """A man page as `man` shows it (80 columns, no hyphenation), "" when it does not render."""
    env = dict(os.environ, MANWIDTH="80", MANROFFOPT="-rHY=0", LC_ALL="C.UTF-8")
    env.pop("MAN_KEEP_FORMATTING", None)  # plain text, no overstrike
    try:
        done = subprocess.run(["man", "-P", "cat", "-l", str(path)], env=env, capture_output=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else ""


def man_page_names(fr_dir: Path = MAN_FR, en_dir: Path = MAN_EN) -> list[str]:
    """The section-1 pages present in both languages (by file name), sorted."""
    if not fr_dir.is_dir() or not en_dir.is_dir():
        return []
    return sorted(p.name for p in fr_dir.glob("*.1.gz") if (en_dir / p.name).is_file() and _readable(p))


def _readable(path: Path) -> bool:
    try:
        with gzip.open(path) as page:
            page.read(1)
        return True
    except OSError:
        return False


def load_man_pages(limit: int | None = None, fr_dir: Path = MAN_FR, en_dir: Path = MAN_EN,
                   names: list[str] | None = None) -> Parallel | None:
    """FR/EN man pages paired by name (all, the first `limit`, or these `names`), both rendered to
    >= MIN_MAN_WORDS words; None when not installed."""
    names = man_page_names(fr_dir, en_dir) if names is None else names
    if not names:
        return None
    names = names[:limit] if limit else names
    paths = [fr_dir / n for n in names] + [en_dir / n for n in names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(render_man, paths))
    fr, en = texts[:len(names)], texts[len(names):]
    keep = [i for i in range(len(names)) if min(len(fr[i].split()), len(en[i].split())) >= MIN_MAN_WORDS]
    return Parallel([names[i] for i in keep], [fr[i] for i in keep], [en[i] for i in keep])


# ---------------------------------------------------------------- systems: fit on the index, score the queries
def explorer_scores(index: list[str], queries: list[str], **params: Any) -> tuple[np.ndarray, float]:
    """Cosine of each query (Explorer.transform) with each indexed document (vectors_); and query()'s r@1."""
    ex = ts.Explorer(**params).fit(index)
    S = (ex.transform(queries) @ ex.vectors_.T).toarray()
    top, _ = ex.query(queries, k=1)
    return S, float(np.mean(top[:, 0] == np.arange(len(queries))))


def sklearn_scores(index: list[str], queries: list[str], **params: Any) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(**params)
    X = sp.csr_array(vectorizer.fit_transform(index))
    return np.asarray((sp.csr_array(vectorizer.transform(queries)) @ X.T).toarray())


def ranks(S: np.ndarray) -> np.ndarray:
    """Rank of query i's answer, document i: how many documents score at least as high, itself included
    (ties count against)."""
    own = S[np.arange(S.shape[0]), np.arange(S.shape[0])]
    return (S >= own[:, None]).sum(axis=1)


def recall_mrr(S: np.ndarray) -> tuple[float, float]:
    rank = ranks(S)
    return float(np.mean(rank == 1)), float(np.mean(1.0 / rank))


SYSTEMS: dict[str, Callable[[list[str], list[str]], Any]] = {
    "Explorer() defaults (tfidf)": lambda index, queries: explorer_scores(index, queries),
    'Explorer(cross_language="keys")': lambda index, queries: explorer_scores(index, queries, cross_language="keys"),
    'Explorer(weighting="bm25")': lambda index, queries: explorer_scores(index, queries, weighting="bm25"),
    "Explorer(cross_language=True)": lambda index, queries: explorer_scores(index, queries, cross_language=True),
    'Explorer(cross_language=True, weighting="bm25")': lambda index, queries: explorer_scores(
        index, queries, cross_language=True, weighting="bm25"),
    "scikit-learn TfidfVectorizer()": lambda index, queries: sklearn_scores(index, queries),
    "scikit-learn char_wb (4, 5)": lambda index, queries: sklearn_scores(
        index, queries, analyzer="char_wb", ngram_range=(4, 5)),
}
DEFAULT = "Explorer() defaults (tfidf)"
KEYS = 'Explorer(cross_language="keys")'
CROSS = "Explorer(cross_language=True)"
PEERS = ("scikit-learn TfidfVectorizer()", "scikit-learn char_wb (4, 5)")


def evaluate(parallel: Parallel, direction: str, systems: tuple[str, ...] = tuple(SYSTEMS)) -> dict[str, Any]:
    """{system: (recall@1, MRR, query() r@1 or None, seconds)} for "fr->en" (EN index) or "en->fr"."""
    index, queries = (parallel.en, parallel.fr) if direction == "fr->en" else (parallel.fr, parallel.en)
    result: dict[str, Any] = {}
    for name in systems:
        start = time.perf_counter()
        out = SYSTEMS[name](index, queries)
        S, via_query = out if isinstance(out, tuple) else (out, None)
        result[name] = (*recall_mrr(S), via_query, time.perf_counter() - start)
    return result


def translated(parallel: Parallel) -> tuple[Parallel, str]:
    """The pairs that are a translation with one right answer, and what was left out.

    Left out: a pair whose French side is not French text (`ts.detect_languages` on the whole
    text: the French Handbook keeps untranslated English paragraphs, some French man pages
    only their title; such a pair is an English-English match, not a cross-language one) or
    whose English side is not English; and a pair whose French or English text repeats an
    earlier pair's (`bzip2`, `bunzip2` and `bzcat` are one page: no query could tell them).
    """
    fr_lang = ts.detect_languages(parallel.fr)
    en_lang = ts.detect_languages(parallel.en)
    seen_fr: set[str] = set()
    seen_en: set[str] = set()
    keep, untranslated, repeated = [], 0, 0
    for i in range(len(parallel.names)):
        if fr_lang[i] != "fr" or en_lang[i] != "en":
            untranslated += 1
        elif parallel.fr[i] in seen_fr or parallel.en[i] in seen_en:
            repeated += 1
        else:
            keep.append(i)
        seen_fr.add(parallel.fr[i])
        seen_en.add(parallel.en[i])
    kept = Parallel([parallel.names[i] for i in keep], [parallel.fr[i] for i in keep],
                    [parallel.en[i] for i in keep])
    return kept, (f"{len(parallel.names)} pairs found, {untranslated} left out as not French/English "
                  f"(untranslated), {repeated} as repeating an earlier pair's text")


def passes(result: dict[str, Any], system: str = DEFAULT) -> bool:
    return bool(result[system][0] >= max(result[peer][0] for peer in PEERS))


def sets(limit: int | None = None) -> list[tuple[str, Parallel]]:
    found: list[tuple[str, Parallel]] = []
    chapters = load_handbook()
    if chapters is None:
        print("Debian Handbook not installed (apt-get install debian-handbook): skipped")
    else:
        paragraphs = load_handbook_paragraphs()
        assert paragraphs is not None
        found += [("Handbook chapters", chapters), ("Handbook paragraphs", paragraphs)]
    pages = load_man_pages(limit)
    if pages is None:
        print("French man pages not installed (apt-get install manpages-fr man-db): skipped")
    else:
        found.append(("Man pages (section 1)", pages))
    return found


def main(limit: int | None = None) -> None:
    verdicts = []
    for title, found in sets(limit):
        parallel, left_out = translated(found)
        chapters = len({name.split("#")[0] for name in parallel.names})
        print(f"\n## {title}: {len(parallel.names)} pairs" + (f" from {chapters} chapters" if "#" in
                                                                  parallel.names[0] else ""))
        print(left_out)
        print("| system | FR->EN r@1 | FR->EN MRR | EN->FR r@1 | EN->FR MRR | query() r@1 FR->EN / EN->FR | seconds |")
        print("|---|---|---|---|---|---|---|")
        results = {direction: evaluate(parallel, direction) for direction in ("fr->en", "en->fr")}
        for name in SYSTEMS:
            a, b = results["fr->en"][name], results["en->fr"][name]
            via = f"{a[2]:.3f} / {b[2]:.3f}" if a[2] is not None else "-"
            print(f"| {name} | {a[0]:.3f} | {a[1]:.3f} | {b[0]:.3f} | {b[1]:.3f} | {via} | {a[3] + b[3]:.1f} |")
        for direction, result in results.items():
            best = max(result[peer][0] for peer in PEERS)
            verdicts.append(f"{title} {direction}: best scikit-learn r@1 {best:.3f}; Explorer() "
                            f"{result[DEFAULT][0]:.3f} {'PASS' if passes(result) else 'FAIL'}; "
                            f"Explorer(cross_language=\"keys\") {result[KEYS][0]:.3f} "
                            f"{'PASS' if passes(result, KEYS) else 'FAIL'}; "
                            f"Explorer(cross_language=True) {result[CROSS][0]:.3f} "
                            f"{'PASS' if passes(result, CROSS) else 'FAIL'}")
    print("\n## Acceptance (Explorer r@1 >= the better scikit-learn r@1)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    main(limit)
