"""Throughput and peak memory of TfidfVectorizer().fit_transform: themescope vs scikit-learn.

Both libraries vectorize the same documents in the same invocation. Every
configuration (scikit-learn; themescope on 1 thread; themescope on 2 threads)
runs in its own child process (this script in --worker mode, reading the
documents from a cache file), so each peak resident memory is its own.

Printed per corpus: best-of-N seconds and MB/s of UTF-8 text, CPU time over
wall time, peak RSS and its increase over the process after imports and
loading the documents, whether the matrix equals scikit-learn's, and the
ratios against the targets (>= 8x scikit-learn on one thread, >= 1.7x from
1 to 2 threads, peak memory no higher than scikit-learn's). The results also
go to benchmarks/out/bench_vectorize.json.

    .venv/bin/python benchmarks/bench_vectorize.py [--quick] [--repeat N] [--corpus bbc|bench|all]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h
from _harness import BENCH_SOURCES, OUT, fmt_ratio, resize, utf8_mb

SIZES_MB = {"bbc": 20.0, "bench": 50.0}
QUICK_MB = 2.0

TARGET_SPEEDUP = 8.0  # themescope 1 thread / scikit-learn, fit_transform throughput
TARGET_SCALING = 1.7  # themescope 2 threads / themescope 1 thread
TARGET_MEMORY = 1.0  # themescope peak / scikit-learn peak, at most

# (label, engine, threads); the first one is the reference the others are compared with
CONFIGS = [
    ("scikit-learn", "sklearn", 1),
    ("themescope 1 thread", "themescope", 1),
    ("themescope 2 threads", "themescope", 2),
]

# --------------------------------------------------------------------------- corpora


def bbc_corpus(target_mb: float) -> list[str]:
    docs = [p.read_bytes().decode("utf-8", errors="replace") for p in h.bbc_files()]
    return resize(docs, target_mb)


def bench_corpus(target_mb: float) -> list[str]:
    return resize([record["text"] for record in h.bench_corpus_records()], target_mb)


# ---------------------------------------------------------------------------- worker


def worker(engine: str, threads: int, repeat: int, cache: Path, result_file: Path) -> None:
    """One configuration, in a fresh process: time `repeat` fits, record peak RSS, save the last matrix."""
    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)
        if ts.get_num_threads() != threads:
            sys.exit(f"ts.set_num_threads({threads}) left get_num_threads() at {ts.get_num_threads()}")
        vectorizer_class: Any = ts.TfidfVectorizer
        version = ts.__version__
    else:
        import sklearn
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer_class = TfidfVectorizer
        version = sklearn.__version__
    with cache.open("rb") as f:
        docs = pickle.load(f)
    memory = h.start_measuring()
    runs, vectorizer, X = h.timed_fits(repeat, vectorizer_class, lambda vectorizer: vectorizer.fit_transform(docs))

    # not timed: what the parent needs to compare the outputs
    X = X.tocsr()
    X.sort_indices()  # scikit-learn's rows come back with unsorted column indices
    result = {
        "engine": engine,
        "version": version,
        "threads": threads,
        "runs": runs,
        **memory,
        "X": X,
        "features": vectorizer.get_feature_names_out().tolist(),
        "idf": vectorizer.idf_,
    }
    h.save_result(result, result_file)


def measure(engine: str, threads: int, repeat: int, cache: Path) -> dict[str, Any]:
    result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
    return h.run_worker(__file__, [engine, threads, repeat, cache, result_file], result_file, threads)


# ---------------------------------------------------------------------------- parent


def compare(X: Any, features: list[str], idf: Any, ref: dict[str, Any]) -> dict[str, Any]:
    """Same vocabulary (same terms, same columns), same sparsity pattern, allclose values."""
    import numpy as np

    R = ref["X"]
    same_vocabulary = features == ref["features"]
    same_pattern = (X.shape == R.shape and X.nnz == R.nnz and np.array_equal(X.indptr, R.indptr)
                    and np.array_equal(X.indices, R.indices))
    max_abs_diff = float(np.max(np.abs(X.data - R.data), initial=0.0)) if same_pattern else None
    data_close = same_pattern and bool(np.allclose(X.data, R.data, rtol=1e-12, atol=1e-12))
    idf_close = len(idf) == len(ref["idf"]) and bool(np.allclose(idf, ref["idf"], rtol=1e-12, atol=1e-12))
    return {
        "equal": bool(same_vocabulary and same_pattern and data_close and idf_close),
        "same_vocabulary": bool(same_vocabulary),
        "same_sparsity_pattern": bool(same_pattern),
        "data_allclose": data_close,
        "idf_allclose": idf_close,
        "max_abs_diff": max_abs_diff,
    }


def run_corpus(key: str, title: str, docs: list[str], repeat: int, have_themescope: bool) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    cache = OUT / f"docs_{key}.pickle"
    with cache.open("wb") as f:
        pickle.dump(docs, f, protocol=pickle.HIGHEST_PROTOCOL)
    mb = utf8_mb(docs)
    n_chars = sum(map(len, docs))
    print(f"\n== {title}: {len(docs):,} documents, {mb:.1f} MB of UTF-8 text ({n_chars / 1e6:.1f} M characters); "
          f"best of {repeat}", flush=True)

    configs = [c for c in CONFIGS if c[1] == "sklearn" or have_themescope]
    try:
        results = h.run_configurations(configs, lambda engine, threads: measure(engine, threads, repeat, cache))
    finally:
        cache.unlink(missing_ok=True)

    reference = results["scikit-learn"]
    rows: dict[str, dict[str, Any]] = {}
    for label, r in results.items():
        if "error" in r:
            rows[label] = {"engine": r["engine"], "threads": r["threads"], "error": r["error"]}
            continue
        # best of the fits that nobody else competed with for the CPUs; peak RSS of the first fit
        row = {**h.throughput_row(r, mb), "shape": list(r["X"].shape), "nnz": int(r["X"].nnz)}
        if r is not reference and "error" not in reference:
            row["comparison"] = compare(r["X"], r["features"], r["idf"], reference)
        rows[label] = row
    for r in results.values():  # free the matrices before the next corpus
        r.pop("X", None)

    # ---- table
    header = (f"   {'configuration':<22} {'first s':>8} {'best s':>8} {'MB/s':>8} {'CPU/wall':>8} {'others':>6} "
              f"{'peak RSS':>10} {'increase':>10}  equal to scikit-learn")
    h.print_table_header(header)
    for label, row in rows.items():
        if "error" in row:
            print(f"   {label:<22} {'FAILED: ' + row['error']}")
            continue
        if "comparison" in row:
            c = row["comparison"]
            if c["equal"]:
                equal = f"yes (max |diff| {c['max_abs_diff']:.1e})"
            else:
                failed = [k for k in ("same_vocabulary", "same_sparsity_pattern", "data_allclose", "idf_allclose")
                          if not c[k]]
                equal = "NO: " + ", ".join(failed) + " false"
        else:
            equal = f"reference: {row['shape'][0]:,} x {row['shape'][1]:,}, nnz {row['nnz']:,}"
        others = "n/a" if row["other_cores"] is None else f"{row['other_cores']:.2f}"
        print(f"   {label:<22} {row['first_seconds']:>8.3f} {row['seconds']:>8.3f} {row['mb_per_s']:>8.1f} "
              f"{row['cpu_over_wall']:>8.2f} {others:>6} {row['peak_rss_mib']:>6.0f} MiB "
              f"{row['peak_increase_mib']:>+6.0f} MiB  {equal}")
    contended = [label for label, row in rows.items()
                 if "error" not in row and (row["other_cores"] or 0.0) > h.CONTENTION_CORES]
    if contended:
        print(f"   WARNING: other processes used the CPUs during every fit of {', '.join(contended)} "
              f"('others' > {h.CONTENTION_CORES:g} cores): those timings are not trustworthy, run again on an "
              f"idle machine")

    # ---- ratios against the targets
    def ok(label: str) -> dict[str, Any] | None:
        row = rows.get(label)
        return row if row and "error" not in row else None

    sk, one, two = ok("scikit-learn"), ok("themescope 1 thread"), ok("themescope 2 threads")
    summary: dict[str, Any] = {
        "speedup_1_thread": sk["seconds"] / one["seconds"] if sk and one else None,
        "speedup_2_threads": sk["seconds"] / two["seconds"] if sk and two else None,
        "scaling_1_to_2_threads": one["seconds"] / two["seconds"] if one and two else None,
        "peak_rss_ratio_1_thread": one["peak_rss_mib"] / sk["peak_rss_mib"] if sk and one else None,
        "peak_rss_ratio_2_threads": two["peak_rss_mib"] / sk["peak_rss_mib"] if sk and two else None,
        "peak_increase_ratio_1_thread": one["peak_increase_mib"] / sk["peak_increase_mib"] if sk and one else None,
        "peak_increase_ratio_2_threads": two["peak_increase_mib"] / sk["peak_increase_mib"] if sk and two else None,
        "outputs_equal": all(row.get("comparison", {}).get("equal", True) for row in rows.values()
                             if "error" not in row) if sk and (one or two) else None,
    }
    targets = [
        ("speed-up over scikit-learn, 1 thread", "speedup_1_thread", TARGET_SPEEDUP, True, 1),
        ("speed-up over scikit-learn, 2 threads", "speedup_2_threads", None, True, 1),
        ("themescope scaling, 1 -> 2 threads", "scaling_1_to_2_threads", TARGET_SCALING, True, 2),
        ("peak RSS / scikit-learn's, 1 thread", "peak_rss_ratio_1_thread", TARGET_MEMORY, False, 3),
        ("peak RSS / scikit-learn's, 2 threads", "peak_rss_ratio_2_threads", TARGET_MEMORY, False, 3),
        ("peak increase / sklearn's, 1 thread", "peak_increase_ratio_1_thread", TARGET_MEMORY, False, 3),
        ("peak increase / sklearn's, 2 threads", "peak_increase_ratio_2_threads", TARGET_MEMORY, False, 3),
    ]
    met: dict[str, bool | None] = {}
    print()
    print(f"   {'ratio':<40} {'measured':>9} {'target':>8}  met")
    print("   " + "-" * 64)
    for text, name, target, at_least, digits in targets:
        value = summary[name]
        if target is None:
            print(f"   {text:<40} {fmt_ratio(value, digits):>9}")
            continue
        met[name] = None if value is None else (value >= target if at_least else value <= target)
        bound = f"{'>=' if at_least else '<='} {target:g}x"
        print(f"   {text:<40} {fmt_ratio(value, digits):>9} {bound:>8}  {h.check(value, target, at_least)}")
    summary["targets_met"] = met
    summary["contended_configurations"] = contended
    return {"title": title, "documents": len(docs), "megabytes": mb, "characters": n_chars, "repeat": repeat,
            "configurations": rows, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_MB:g} MB corpora, one timing")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="keep the best of N timings per configuration (default 5, 1 with --quick)")
    parser.add_argument("--corpus", choices=("bbc", "bench", "all"), default="all",
                        help="bbc: BBC news repeated to ~20 MB; bench: ~50 MB of Linux/Python docs and man "
                             "pages; all: both (default)")
    parser.add_argument("--worker", nargs=5, metavar=("ENGINE", "THREADS", "REPEAT", "CACHE", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, threads, repeat, cache, result = args.worker
        worker(engine, int(threads), int(repeat), Path(cache), Path(result))
        return
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    env = h.environment()
    print(f"TfidfVectorizer().fit_transform(docs): themescope {env['themescope'] or '(not importable)'} vs "
          f"scikit-learn {env['scikit-learn']}")
    print(f"{env['cpu']}, {env['cpu_count']} CPUs; Python {env['python']}, numpy {env['numpy']}, "
          f"scipy {env['scipy']}; git {env['git_commit']}")
    print("each configuration runs in its own process; MB = 10^6 bytes of UTF-8 text; memory in MiB; "
          "'increase' = peak RSS minus RSS after imports and loading the documents")
    h.warn_if_busy(env)
    if env["themescope"] is None:
        print("WARNING: themescope is not importable (run `make venv`): scikit-learn figures only")

    corpora: list[tuple[str, str, Callable[[float], list[str]]]] = []
    if args.corpus in ("bbc", "all"):
        corpora.append(("bbc", "BBC news, repeated", bbc_corpus))
    if args.corpus in ("bench", "all"):
        corpora.append(("bench", f"Debian docs ({BENCH_SOURCES})", bench_corpus))
    results: dict[str, Any] = {}
    for key, title, load in corpora:
        docs = load(QUICK_MB if args.quick else SIZES_MB[key])
        results[key] = run_corpus(key, title, docs, repeat, env["themescope"] is not None)
        del docs

    if len(results) > 1 and env["themescope"] is not None:
        print("\n== summary")
        print(f"   {'corpus':<8} {'sklearn MB/s':>12} {'ts 1t MB/s':>11} {'ts 2t MB/s':>11} {'1t speed-up':>12} "
              f"{'1->2 scaling':>13} {'peak 1t/sk':>11} {'equal':>6}")
        for key, r in results.items():
            c, s = r["configurations"], r["summary"]

            def rate(label: str) -> str:
                row = c.get(label, {})
                return "failed" if "error" in row else f"{row['mb_per_s']:.1f}"

            equal = {True: "yes", False: "NO", None: "n/a"}[s["outputs_equal"]]
            print(f"   {key:<8} {rate('scikit-learn'):>12} {rate('themescope 1 thread'):>11} "
                  f"{rate('themescope 2 threads'):>11} {fmt_ratio(s['speedup_1_thread'], 1):>12} "
                  f"{fmt_ratio(s['scaling_1_to_2_threads']):>13} {fmt_ratio(s['peak_rss_ratio_1_thread']):>11} "
                  f"{equal:>6}")
        print(f"   targets: speed-up >= {TARGET_SPEEDUP:g}x, scaling >= {TARGET_SCALING:g}x, "
              f"peak RSS ratio <= {TARGET_MEMORY:g}")
        for key, r in results.items():
            if r["summary"]["contended_configurations"]:
                print(f"   WARNING: {key}: other processes used the CPUs during "
                      f"{', '.join(r['summary']['contended_configurations'])}: run again on an idle machine")

    elapsed = time.perf_counter() - started
    report = {
        "benchmark": "TfidfVectorizer().fit_transform(docs)",
        "quick": args.quick,
        "repeat": repeat,
        "targets": {"speedup_1_thread": TARGET_SPEEDUP, "scaling_1_to_2_threads": TARGET_SCALING,
                    "peak_rss_ratio": TARGET_MEMORY},
        "environment": env,
        "corpora": results,
        "elapsed_seconds": elapsed,
    }
    h.write_report(report, "bench_vectorize")


if __name__ == "__main__":
    main()
