"""themescope.dask against one process: TF-IDF of the 100K corpus on a LocalCluster of 1 and 2 workers.

One process: ``ts.TfidfVectorizer(**PARAMS).fit_transform(docs)`` (every core, ``--threads``).
Dask: ``themescope.dask.TfidfVectorizer(**PARAMS).fit_transform(series).compute()`` with the
corpus as a ``dask.dataframe`` Series of ``--partitions`` partitions, on a
``distributed.LocalCluster`` of 1 and of 2 worker processes (1 thread each, themescope on 1
thread each), the cluster started before the timing; then ``themescope.dask.top_k_similar``
(k=10) against ``ts.top_k_similar``. Reports min / median / max seconds over the runs, the
ratio to one process, each worker's peak RSS (VmHWM) and whether the results are equal bit for
bit. On a 2-core machine shared with other work the scaling is bounded by the cores.

    .venv/bin/python benchmarks/bench_dask.py [--repeat 3] [--n-docs 100000] [--partitions 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import _harness as h
from _harness import MIB

PARAMS: dict[str, Any] = {"sublinear_tf": True, "min_df": 2}


def worker_peak_rss() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    import _harness

    return _harness.peak_rss_bytes()


def worker_reset_peak() -> bool:
    sys.path.insert(0, str(Path(__file__).parent))
    import _harness

    import themescope as ts

    ts.set_num_threads(1)  # one thread per worker process: the workers are the parallelism
    return _harness.reset_peak_rss()


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-docs", type=int, default=100_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="themescope threads of the one-process run")
    parser.add_argument("--top-k-docs", type=int, default=20_000, help="rows of the top-k comparison")
    args = parser.parse_args()
    began = time.perf_counter()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_explorer import corpus_100k

    import dask.dataframe as dd
    import distributed
    import pandas as pd

    import themescope as ts
    import themescope.dask as tsd

    docs, _ = corpus_100k(args.n_docs)
    megabytes = h.utf8_mb(docs)
    ts.set_num_threads(args.threads)
    one_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        expected = ts.TfidfVectorizer(**PARAMS).fit_transform(docs)
        one_times.append(time.perf_counter() - start)
    rows = min(args.top_k_docs, expected.shape[0])
    start = time.perf_counter()
    one_top = ts.top_k_similar(expected[:rows], k=10)
    one_top_s = time.perf_counter() - start
    report: dict[str, Any] = {"n_docs": len(docs), "megabytes": megabytes, "one_process_s": one_times,
                              "one_process_threads": args.threads, "one_top_k_s": one_top_s, "dask": {}}
    series = pd.Series(docs)
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            client.run(worker_reset_peak)
            data = dd.from_pandas(series, npartitions=args.partitions).persist()  # on the workers, untimed
            distributed.wait(data)
            times, equal = [], True
            for _ in range(args.repeat):
                start = time.perf_counter()
                got = tsd.TfidfVectorizer(**PARAMS).fit_transform(data).compute()
                times.append(time.perf_counter() - start)
                equal &= (got.indptr.tobytes() == expected.indptr.tobytes() and
                          got.indices.tobytes() == expected.indices.tobytes() and
                          got.data.tobytes() == expected.data.tobytes())
            start = time.perf_counter()
            top = tsd.top_k_similar(expected[:rows], k=10, n_shards=2 * workers)
            top_s = time.perf_counter() - start
            top_equal = top[0].tobytes() == one_top[0].tobytes() and top[1].tobytes() == one_top[1].tobytes()
            peaks = client.run(worker_peak_rss)
            report["dask"][workers] = {"seconds": times, "equal": equal, "top_k_s": top_s, "top_k_equal": top_equal,
                                       "worker_peak_rss_mib": [v / MIB for v in peaks.values()]}
    report["elapsed_seconds"] = time.perf_counter() - began
    report["environment"] = h.environment()
    h.write_report(report, "bench_dask")
    one_median = statistics.median(one_times)
    print(f"\nTF-IDF fit_transform of {len(docs):,} documents ({megabytes:.0f} MB), seconds min / median / max "
          f"over {args.repeat} runs (machine shared: timings noisy)")
    print(f"  one process, {args.threads} thread(s): {spread(one_times)}")
    for workers, r in report["dask"].items():
        median = statistics.median(r["seconds"])
        print(f"  dask, {workers} worker(s) x 1 thread, {args.partitions} partitions: {spread(r['seconds'])} "
              f"({median / one_median:.2f}x one process); equal bit for bit: {r['equal']}; worker peak RSS "
              f"{', '.join(f'{v:.0f}' for v in r['worker_peak_rss_mib'])} MiB")
        print(f"    top_k_similar k=10 on {rows:,} rows, {2 * workers} shards: {r['top_k_s']:.2f} s "
              f"(one process {one_top_s:.2f} s); equal: {r['top_k_equal']}")


if __name__ == "__main__":
    main()
