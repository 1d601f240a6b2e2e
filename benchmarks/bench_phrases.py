"""What the phrase stage costs and what it changes: Explorer.fit on BBC x4 with and without it.

Fits, in the same run and interleaved (so that a change of machine load hits both alike):

- ``Explorer()`` (its defaults: the phrase stage on) and ``Explorer(analyzer=ts.Analyzer(
  fold_accents=True))`` (the same analyzer without the stage) on the 2,225 BBC articles x4;
- the phrase learning alone: ``ts.Phrases().fit`` with the Explorer's analyzer, and gensim's
  ``Phrases`` (NPMI, the same min_count and threshold) on scikit-learn's tokens of the same
  texts, learning and applying, when gensim is installed (``pip install themescope[bench]``);
- for scale, scikit-learn's ``TfidfVectorizer(sublinear_tf=True, min_df=2).fit``.

Then quality, once each: NMI of ``cluster(5)`` against the BBC topics (2,225 articles) with and
without the stage, and the number of phrases learned.

    .venv/bin/python benchmarks/bench_phrases.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Callable

import _harness as h

SEED = 0


def bbc() -> tuple[list[str], list[str]]:
    files = h.bbc_files()
    return [p.read_bytes().decode("utf-8", errors="replace") for p in files], [p.parent.name for p in files]


def seconds(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def spread(values: list[float]) -> str:
    return f"{min(values):7.2f} {statistics.median(values):7.2f} {max(values):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import themescope as ts
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score

    docs, labels = bbc()
    docs4 = docs * 4
    busy = h.busy_percent()
    print(f"BBC x4: {len(docs4):,} articles, {h.utf8_mb(docs4):.1f} MB; themescope on {ts.get_num_threads()} "
          f"threads; CPUs {busy if busy is not None else float('nan'):.0f}% busy at start (machine shared)")

    def without_stage() -> ts.Explorer:
        return ts.Explorer(random_state=SEED, analyzer=ts.Analyzer(fold_accents=True))

    try:
        from gensim.models.phrases import Phrases as GensimPhrases
    except ImportError:
        GensimPhrases = None

    tokenize = TfidfVectorizer().build_analyzer()
    languages = ts.detect_languages(docs4, short_sample=True)
    times: dict[str, list[float]] = {"Explorer().fit (phrases on)": [], "Explorer().fit, phrases off": [],
                                     "ts.Phrases().fit alone": [], "gensim Phrases, learn + apply": [],
                                     "sklearn TfidfVectorizer.fit": []}
    for _ in range(args.repeat):
        times["Explorer().fit (phrases on)"].append(seconds(lambda: ts.Explorer(random_state=SEED).fit(docs4)))
        times["Explorer().fit, phrases off"].append(seconds(lambda: without_stage().fit(docs4)))
        times["ts.Phrases().fit alone"].append(seconds(
            lambda: ts.Phrases().fit(docs4, analyzer=ts.Analyzer(fold_accents=True), languages=languages)))
        if GensimPhrases is not None:
            def gensim_run() -> None:
                sentences = [tokenize(d) for d in docs4]
                model = GensimPhrases(sentences, min_count=2, threshold=0.5, scoring="npmi")
                for s in sentences:
                    model[s]
            times["gensim Phrases, learn + apply"].append(seconds(gensim_run))
        times["sklearn TfidfVectorizer.fit"].append(seconds(
            lambda: TfidfVectorizer(sublinear_tf=True, min_df=2).fit(docs4)))
    print(f"\n   {'seconds, ' + str(args.repeat) + ' runs':<34} {'min':>7} {'median':>7} {'max':>7}")
    for label, values in times.items():
        if values:
            print(f"   {label:<34} {spread(values)}")
    on, off = times["Explorer().fit (phrases on)"], times["Explorer().fit, phrases off"]
    print(f"   phrase stage cost (median on / median off): {statistics.median(on) / statistics.median(off):.2f}x")

    with_stage = ts.Explorer(random_state=SEED).fit(docs)
    plain = without_stage().fit(docs)
    print(f"\n   BBC (2,225 articles) cluster(5) NMI: phrases on "
          f"{normalized_mutual_info_score(labels, with_stage.cluster(5).labels_):.3f}, off "
          f"{normalized_mutual_info_score(labels, plain.cluster(5).labels_):.3f} (target >= 0.88)")
    stage = with_stage.vectorizer_.analyzer.phrases_
    names = with_stage.feature_names_
    phrases = [str(n) for n in names if " " in str(n) or "-" in str(n)]
    print(f"   phrases learned: {len(stage.pairs_):,}; kept as features: {len(phrases):,}; e.g. "
          f"{', '.join(phrases[:: max(1, len(phrases) // 12)][:12])}")


if __name__ == "__main__":
    main()
