"""How much of `ts.Explorer().fit` on BBC News x4 is counting, and how much one token stream could save.

    .venv/bin/python benchmarks/profile_fit_counting.py [--repeat 3] [--threads 2]

Issue 15. Part 1 times N fits, and inside each the three passes over the text: the phrase
statistics (`Phrases.fit`, `_core.count_phrases`), the TF-IDF counts and the search index's
counts (each a `CountVectorizer._count`, `_core.TermCounter.add_documents`), with the other
processes' CPU use ("others", in cores: the machine may be shared).

Part 2 splits one counting pass (the search index's analyzer on the same text) into what a pass
that shares its token stream with another would not repeat (reading the text: segmenting,
normalizing, the token caches) and what it must still do per index (a term id per token, the
row's entries, the display forms' surfaces, the merge): the same pass with every token dropped
(`min_token_len=60`) reads the whole text and counts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402

PASSES = ("phrases", "tfidf counts", "search counts")


def instrument(spent: dict[str, float]) -> None:
    """Time Phrases.fit and each CountVectorizer._count (the phrase fit runs inside the TF-IDF one)."""
    from themescope import analysis, text

    def timed(owner: Any, name: str, key: Callable[[Any], str]) -> None:
        original = getattr(owner, name)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                label = key(self)
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(analysis.Phrases, "fit", lambda _: "phrases")
    timed(text.CountVectorizer, "_count",
          lambda vectorizer: "tfidf counts+phrases" if analysis.needs_phrase_fit(vectorizer.analyzer)
          else "search counts")


def fit_shares(docs: list[str], mb: float, repeat: int) -> None:
    import themescope as ts

    spent: dict[str, float] = {}
    instrument(spent)
    rows: dict[str, list[float]] = {name: [] for name in ("fit", "counting", *PASSES)}
    for _ in range(repeat):
        spent.clear()
        run, _ = h.timed_run(lambda: ts.Explorer().fit(docs))
        parts = {"phrases": spent["phrases"], "tfidf counts": spent["tfidf counts+phrases"] - spent["phrases"],
                 "search counts": spent["search counts"]}
        counting = sum(parts.values())
        for name, value in (("fit", run["seconds"]), ("counting", counting), *parts.items()):
            rows[name].append(value)
        others = run["other_cores"]
        print(f"   fit {run['seconds']:6.2f} s  {mb / run['seconds']:5.1f} MB/s  counting {counting:5.2f} s "
              f"({100 * counting / run['seconds']:.0f}%: " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
              + f")  others {'n/a' if others is None else f'{others:.2f}'}", flush=True)
    for name, values in rows.items():
        print(f"{name:>14}  min / median / max  {min(values):.3f} / {statistics.median(values):.3f} / "
              f"{max(values):.3f} s")


def pass_split(docs: list[str], repeat: int) -> None:
    import themescope as ts

    languages = ts.detect_languages(docs, short_sample=True)
    analyzers = {
        "whole pass": ts.Analyzer(fold_accents=True, stop_words=None),
        "reading only": ts.Analyzer(fold_accents=True, stop_words=None, min_token_len=60),
    }
    seconds: dict[str, list[float]] = {name: [] for name in analyzers}
    for _ in range(repeat):  # interleaved: the load moves
        for name, analyzer in analyzers.items():
            vectorizer = ts.CountVectorizer(analyzer=analyzer, dtype=np.float64)
            started = time.perf_counter()
            vectorizer._count(docs, fixed_vocab=False, languages=languages, allow_empty=True)
            seconds[name].append(time.perf_counter() - started)
    for name, values in seconds.items():
        print(f"{name:>14}  min / median / max  {min(values):.3f} / {statistics.median(values):.3f} / "
              f"{max(values):.3f} s")
    share = statistics.median(seconds["reading only"]) / statistics.median(seconds["whole pass"])
    print(f"reading the text: {100 * share:.0f}% of a counting pass (median): what sharing one token stream "
          "saves at most per pass it replaces")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import themescope as ts

    ts.set_num_threads(args.threads)
    docs = [path.read_bytes().decode("utf-8", errors="replace") for path in h.bbc_files()] * 4
    mb = h.utf8_mb(docs)
    print(f"BBC News x4: {len(docs):,} documents, {mb:.1f} MB; {args.threads} threads; themescope {ts.__version__}")
    print("\n-- Explorer.fit and its counting passes --")
    fit_shares(docs, mb, args.repeat)
    print("\n-- one counting pass (the search index's analyzer): reading the text vs counting --")
    pass_split(docs, max(args.repeat, 5))


if __name__ == "__main__":
    main()
