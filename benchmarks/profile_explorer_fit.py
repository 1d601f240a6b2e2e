"""Where `ts.Explorer().fit` spends its time on BBC News x4, as a user calls it.

    .venv/bin/python benchmarks/profile_explorer_fit.py [--repeat 5] [--threads 2] [--top 25]

Times N fits of `ts.Explorer().fit(texts)` on the 8,900 articles of BBC News x4 (20 MB),
min / median / max, in MB/s of UTF-8 text, with the other processes' CPU use during each
fit ("others", in cores: the machine may be shared); then one more fit under cProfile,
its functions by cumulative and by own time. The fit includes everything the user waits
for: language identification, boilerplate removal, vectorizing, counts_, LSA.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    import themescope as ts

    ts.set_num_threads(args.threads)
    docs = [path.read_bytes().decode("utf-8", errors="replace") for path in h.bbc_files()] * 4
    mb = h.utf8_mb(docs)
    print(f"BBC News x4: {len(docs):,} documents, {mb:.1f} MB; {args.threads} threads; themescope {ts.__version__}")
    seconds = []
    for _ in range(args.repeat):
        run, _ = h.timed_run(lambda: ts.Explorer().fit(docs))
        seconds.append(run["seconds"])
        others = run["other_cores"]
        print(f"   fit {run['seconds']:6.2f} s  {mb / run['seconds']:5.1f} MB/s  CPU/wall "
              f"{run['cpu_seconds'] / run['seconds']:.2f}  others {'n/a' if others is None else f'{others:.2f}'}",
              flush=True)
    print(f"min / median / max: {min(seconds):.2f} / {statistics.median(seconds):.2f} / {max(seconds):.2f} s = "
          f"{mb / max(seconds):.1f} / {mb / statistics.median(seconds):.1f} / {mb / min(seconds):.1f} MB/s")

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(lambda: ts.Explorer().fit(docs))
    print(f"\nprofiled fit: {time.perf_counter() - started:.2f} s (cProfile adds overhead to Python calls)")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n-- by {order} --")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


if __name__ == "__main__":
    main()
