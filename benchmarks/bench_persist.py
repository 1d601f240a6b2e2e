"""A saved 100,000-article collection: Explorer.load time and the first query after it.

Fits ``ts.Explorer()`` on the 100K corpus of bench_explorer.py (BBC + gilets jaunes, lightly
edited copies) once, saves it (``benchmarks/out/collection_100k.tsc``), then, in a fresh
process per run (nothing cached in the interpreter; the file in the page cache, as after a
first load): ``ts.Explorer.load`` (checksums verified, arrays memory-mapped), one short
``query`` right after the load, and a second one (also with ``verify=False``: no
checksums, the arrays read only as used); the peer is ``pickle.load`` of the same
Explorer (the usual way to keep a fitted model) plus its first query. Reports min / median /
max over the runs, the file size and the peak RSS after load (targets: load < 1 s, query
right after load < 50 ms). Then ``Explorer.add`` of 1,000 further articles of the same stream to
the loaded collection, and 1,000 more after ``cluster(5)`` (assigned to clusters or new themes),
against fitting all the articles again (the fit above).

    .venv/bin/python benchmarks/bench_persist.py [--repeat 5] [--n-docs 100000]
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _harness as h
from _harness import MIB, OUT

QUERY = "gilets jaunes blocage samedi"
TARGET_LOAD_S = 1.0
TARGET_QUERY_MS = 50.0

WORKER = r"""
import json, pickle, sys, time
t0 = time.perf_counter()
import themescope as ts
imported = time.perf_counter()
path, kind, query = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == "tsc":
    explorer = ts.Explorer.load(path)
elif kind == "tsc-unverified":
    explorer = ts.Explorer.load(path, verify=False)
else:
    with open(path, "rb") as f:
        explorer = pickle.load(f)
loaded = time.perf_counter()
explorer.query([query], k=10)
first = time.perf_counter()
explorer.query([query + " Paris"], k=10)
second = time.perf_counter()
sys.path.insert(0, sys.argv[4])
import _harness as h
print(json.dumps({"import_s": imported - t0, "load_s": loaded - imported, "first_query_ms": 1000 * (first - loaded),
                  "second_query_ms": 1000 * (second - first), "peak_rss_mib": h.peak_rss_bytes() / (1024 * 1024)}))
"""

# Adding articles to the loaded collection (Explorer.add): 1,000 without clusters, then 1,000 more
# after cluster(5), so that they are assigned to the clusters or made new themes.
ADD_WORKER = r"""
import json, sys, time
import themescope as ts
path, new_path, query = sys.argv[1], sys.argv[2], sys.argv[3]
with open(new_path, encoding="utf-8") as f:
    new = json.load(f)
half = len(new) // 2
explorer = ts.Explorer.load(path)
t0 = time.perf_counter()
explorer.add(new[:half])
added = time.perf_counter()
found = explorer.query([query], k=10)
queried = time.perf_counter()
explorer.cluster(5)
t1 = time.perf_counter()
report = explorer.add(new[half:])
added_clustered = time.perf_counter()
sys.path.insert(0, sys.argv[4])
import _harness as h
print(json.dumps({"add_s": added - t0, "query_after_add_ms": 1000 * (queried - added),
                  "add_with_clusters_s": added_clustered - t1, "new_theme_share": float(report["new_theme"].mean()),
                  "peak_rss_mib": h.peak_rss_bytes() / (1024 * 1024)}))
"""
N_ADDED = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n-docs", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_explorer import corpus_100k

    import themescope as ts

    began = time.perf_counter()
    OUT.mkdir(exist_ok=True)
    tsc = OUT / f"collection_{args.n_docs // 1000}k.tsc"
    pkl = OUT / f"collection_{args.n_docs // 1000}k.pickle"
    docs, _ = corpus_100k(args.n_docs + N_ADDED)
    docs, added_docs = docs[:args.n_docs], docs[args.n_docs:]  # the next articles of the same stream
    new_path = OUT / "added_articles.json"
    new_path.write_text(json.dumps(added_docs), encoding="utf-8")
    start = time.perf_counter()
    explorer = ts.Explorer().fit(docs)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    explorer.save(tsc)
    save_s = time.perf_counter() - start
    with open(pkl, "wb") as f:
        pickle.dump(explorer, f, protocol=5)
    expected = explorer.query([QUERY], k=10)
    del explorer, docs
    loaded = ts.Explorer.load(tsc)
    same = all(a.tobytes() == b.tobytes() for a, b in zip(loaded.query([QUERY], k=10), expected))
    del loaded

    runs: dict[str, list[dict[str, float]]] = {"tsc": [], "tsc-unverified": [], "pickle": []}
    for _ in range(args.repeat):
        for kind, path in (("tsc", tsc), ("tsc-unverified", tsc), ("pickle", pkl)):
            out = subprocess.run([sys.executable, "-c", WORKER, str(path), kind, QUERY, str(Path(__file__).parent)],
                                 capture_output=True, text=True, check=True).stdout
            runs[kind].append(json.loads(out.strip().splitlines()[-1]))

    runs["add"] = []
    for _ in range(max(1, args.repeat // 2)):
        out = subprocess.run([sys.executable, "-c", ADD_WORKER, str(tsc), str(new_path), QUERY,
                              str(Path(__file__).parent)], capture_output=True, text=True, check=True).stdout
        runs["add"].append(json.loads(out.strip().splitlines()[-1]))

    def spread(kind: str, key: str) -> tuple[float, float, float]:
        values = [r[key] for r in runs[kind]]
        return min(values), statistics.median(values), max(values)

    report = {"elapsed_seconds": time.perf_counter() - began, "n_docs": args.n_docs, "fit_s": fit_s, "save_s": save_s, "tsc_mib": tsc.stat().st_size / MIB,
              "pickle_mib": pkl.stat().st_size / MIB, "same_query_after_load": same, "runs": runs,
              "environment": h.environment()}
    h.write_report(report, "bench_persist")
    print(f"{args.n_docs:,} articles: fit {fit_s:.1f} s, save {save_s:.2f} s, "
          f"file {report['tsc_mib']:.0f} MiB (pickle {report['pickle_mib']:.0f} MiB); "
          f"query after load equal to before save: {same}")
    print(f"{'':>14} {'load s (min/med/max)':>24} {'1st query ms':>20} {'2nd query ms':>20} {'peak RSS MiB':>14}")
    for kind in ("tsc", "tsc-unverified", "pickle"):
        load, first, second = spread(kind, "load_s"), spread(kind, "first_query_ms"), spread(kind, "second_query_ms")
        rss = statistics.median(r["peak_rss_mib"] for r in runs[kind])
        print(f"{kind:>14} {'/'.join(f'{v:.3f}' for v in load):>24} {'/'.join(f'{v:.1f}' for v in first):>20} "
              f"{'/'.join(f'{v:.1f}' for v in second):>20} {rss:>14.0f}")
    load_med, query_med = spread("tsc", "load_s")[1], spread("tsc", "first_query_ms")[1]
    print(f"targets: load {load_med:.3f} s < {TARGET_LOAD_S} s: {h.check(load_med, TARGET_LOAD_S, False)}; "
          f"first query {query_med:.1f} ms < {TARGET_QUERY_MS} ms: {h.check(query_med, TARGET_QUERY_MS, False)}; "
          f"load vs pickle.load: {spread('pickle', 'load_s')[1] / load_med:.1f}x faster")
    add, add_clustered = spread("add", "add_s"), spread("add", "add_with_clusters_s")
    print(f"add {N_ADDED // 2:,} articles to the loaded collection (min/med/max): "
          f"{'/'.join(f'{v:.2f}' for v in add)} s; with clusters (assigned or new themes, "
          f"{statistics.median(r['new_theme_share'] for r in runs['add']):.1%} new): "
          f"{'/'.join(f'{v:.2f}' for v in add_clustered)} s; first query after: "
          f"{statistics.median(r['query_after_add_ms'] for r in runs['add']):.1f} ms; "
          f"fitting all again instead (the fit above): {fit_s / add[1]:.0f}x the time of add; "
          f"peak RSS {statistics.median(r['peak_rss_mib'] for r in runs['add']):.0f} MiB")


if __name__ == "__main__":
    main()
