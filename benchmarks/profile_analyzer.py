"""Where the time of themescope's French chain goes: phase timings, and a run to profile.

    .venv/bin/python benchmarks/profile_analyzer.py [--mb 8] [--language fr|auto] [--repeat 5]

On the French gilets jaunes articles (an even stride of them down to --mb), one thread,
best of N, in MB/s of UTF-8 text:

- `fit_transform`: the whole `TfidfVectorizer(analyzer=ts.Analyzer(language=...))`;
- `count`: the native analysis and counting alone (`_core.TermCounter.add_documents`, what
  `fit_transform` calls first), so `fit_transform - count` is vocabulary sorting, the matrix,
  idf, `vocabulary_` and display forms (and the Python around them);
- `detect_languages`: CLD2 alone (the per-document identification `language="auto"` does).

`--only count` runs one `add_documents` and nothing else timed, for a profiler. Instruction
counts (the machine's timings are noisy; callgrind's are not):

    valgrind --tool=callgrind --toggle-collect='themescope::TermCounter::add_documents*' \
        .venv/bin/python benchmarks/profile_analyzer.py --mb 100 --language fr --only count
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_analyzer as ba  # noqa: E402
import bench_vectorize as bv  # noqa: E402


def best_of(repeat: int, run: object) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=8.0, help="MB of the French articles (default: all, ~8)")
    parser.add_argument("--language", choices=("fr", "auto"), default="fr")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("count",), help="one native count, untimed (under a profiler)")
    args = parser.parse_args()

    import themescope as ts
    from themescope import _core

    ts.set_num_threads(1)
    docs = ba.gilets_jaunes_fr()
    if args.mb < bv.utf8_mb(docs):
        docs = bv.resize(docs, args.mb)
    mb = bv.utf8_mb(docs)
    analyzer = ts.Analyzer(language=args.language)

    def count() -> None:
        counter = _core.TermCounter(analyzer.native(), None)
        counter.add_documents(docs)

    if args.only == "count":
        count()
        return

    def fit() -> None:
        ts.TfidfVectorizer(analyzer=ts.Analyzer(language=args.language)).fit_transform(docs)

    def detect() -> None:
        ts.detect_languages(docs)

    print(f"{len(docs):,} French articles, {mb:.2f} MB; Analyzer(language={args.language!r}), 1 thread, "
          f"best of {args.repeat}")
    phases = [("fit_transform", fit), ("count (analysis + counting)", count), ("detect_languages (CLD2)", detect)]
    seconds = {name: best_of(args.repeat, run) for name, run in phases}
    total = seconds["fit_transform"]
    for name, s in seconds.items():
        print(f"   {name:<30} {s:8.3f} s {mb / s:8.1f} MB/s {s / total:6.0%} of fit_transform")
    rest = total - seconds["count (analysis + counting)"]
    print(f"   {'fit_transform - count':<30} {rest:8.3f} s {'':>13} {rest / total:6.0%} of fit_transform")


if __name__ == "__main__":
    main()
