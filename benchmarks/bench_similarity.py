"""Top-10 neighbours of every document: themescope vs scikit-learn and sparse_dot_topn.

The corpus is every source of ../shared/corpora/make_bench_corpus.sh (Linux and Python
docs, the Debian handbook, man pages, GCIDE dictionary entries), an even stride of
--docs documents (default 100,000), vectorized once with ts.TfidfVectorizer() (the
same matrix as scikit-learn's; rows L2-normalised, so dot product = cosine). Every
configuration runs in its own child process (this script with --worker) on the same
matrix, so each peak resident memory is its own:

- scikit-learn: cosine_similarity on chunks of rows against all rows (a dense block of
  at most 256 MiB), the row itself masked out, np.argpartition, then sorted.
  Single-threaded. On the full corpus it would take about an hour: it runs on an even
  stride of the query rows (--sklearn-queries, default 2,000) and its time is
  extrapolated linearly to all rows (each query row costs the same in every chunk).
- sparse_dot_topn (pyproject's `bench` extra; `make bench` installs it):
  sp_matmul_topn(X, X.T, top_n=11, sort=True) (11: the row itself comes back too,
  dropped afterwards), 1 and 2 threads. It returns nonzero scores only.
- themescope: ts.top_k_similar(X, k=10), 1 and 2 threads.

Printed: wall and CPU seconds, peak RSS and its increase over the worker after loading
the matrix, agreement of the neighbours, ratios and a verdict per target (>= 10x
scikit-learn; at least on par with sparse_dot_topn at the same thread count). Results
also go to benchmarks/out/bench_similarity.json. At the end, benchmarks/bench_kmeans.py
runs too when it exists.

    .venv/bin/python benchmarks/bench_similarity.py [--quick] [--docs N] [--sklearn-queries M]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import _harness as h
from _harness import HERE, MIB, OUT
ALL_SOURCES = "linuxdoc pydoc handbook man gcide"
CORPUS_DIR = OUT / "bench_corpus_all"  # make_bench_corpus.sh output for ALL_SOURCES, built once
K = 10
DENSE_BLOCK_BYTES = 256 * 1024 * 1024  # scikit-learn's chunk of the dense score matrix
TARGET_VS_SKLEARN = 10.0
TARGET_VS_SPARSE_DOT_TOPN = 1.0

CONFIGS = [  # (label, engine, threads)
    ("scikit-learn", "sklearn", 1),
    ("sparse_dot_topn 1 thread", "sparse_dot_topn", 1),
    ("sparse_dot_topn 2 threads", "sparse_dot_topn", 2),
    ("themescope 1 thread", "themescope", 1),
    ("themescope 2 threads", "themescope", 2),
]


# --------------------------------------------------------------------------- corpus


def corpus_records() -> list[dict[str, Any]]:
    """All sources of make_bench_corpus.sh, built once and cached by the harness."""
    return h.bench_corpus_records(ALL_SOURCES, CORPUS_DIR)


def tfidf_matrix(n_docs: int) -> Path:
    """ts.TfidfVectorizer() of an even stride of n_docs documents, cached as .npz."""
    import scipy.sparse as sp

    path = OUT / f"similarity_tfidf_{n_docs}.npz"
    if path.exists():
        return path
    records = corpus_records()
    n = len(records)
    if n_docs > n:
        sys.exit(f"--docs {n_docs}: the corpus has {n:,} documents")
    docs = [r["text"] for i, r in enumerate(records) if int((i + 1) * n_docs / n) > int(i * n_docs / n)]
    del records
    import themescope as ts

    print(f"vectorizing {len(docs):,} documents with ts.TfidfVectorizer() (cached in {path.name}) ...", flush=True)
    X = sp.csr_matrix(ts.TfidfVectorizer().fit_transform(docs))
    sp.save_npz(path, X, compressed=False)
    return path


# --------------------------------------------------------------------------- workers


def sklearn_top_k(X: Any, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.metrics.pairwise import cosine_similarity

    n = X.shape[0]
    chunk = max(1, DENSE_BLOCK_BYTES // (8 * n))
    indices = np.empty((len(rows), k), dtype=np.int64)
    scores = np.empty((len(rows), k))
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        S = cosine_similarity(X[block], X)  # dense (len(block), n)
        S[np.arange(len(block)), block] = -np.inf  # a row is not its own neighbour
        top = np.argpartition(-S, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(S, top, axis=1)
        order = np.lexsort((top, -top_scores), axis=1)
        indices[start:start + len(block)] = np.take_along_axis(top, order, axis=1)
        scores[start:start + len(block)] = np.take_along_axis(top_scores, order, axis=1)
    return indices, scores


def sparse_dot_topn_top_k(X: Any, k: int, threads: int) -> tuple[np.ndarray, np.ndarray]:
    from sparse_dot_topn import sp_matmul_topn

    C = sp_matmul_topn(X, X.T, top_n=k + 1, sort=True, n_threads=threads if threads > 1 else None)
    # not timed apart: dropping each row itself is part of answering the same question
    n = X.shape[0]
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.full((n, k), np.nan)
    for i in range(n):
        cols = C.indices[C.indptr[i]:C.indptr[i + 1]]
        vals = C.data[C.indptr[i]:C.indptr[i + 1]]
        keep = cols != i
        cols, vals = cols[keep][:k], vals[keep][:k]
        indices[i, :len(cols)] = cols
        scores[i, :len(cols)] = vals
    return indices, scores


def worker(engine: str, threads: int, matrix: Path, sklearn_queries: int, result_file: Path) -> None:
    import scipy.sparse as sp

    X = sp.load_npz(matrix).tocsr()
    rows = np.arange(X.shape[0])
    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)
        version = ts.__version__
        run = lambda: ts.top_k_similar(X, k=K)  # noqa: E731
    elif engine == "sparse_dot_topn":
        import importlib.metadata

        version = importlib.metadata.version("sparse_dot_topn")
        run = lambda: sparse_dot_topn_top_k(X, K, threads)  # noqa: E731
    else:
        import sklearn

        version = sklearn.__version__
        rows = np.unique(np.linspace(0, X.shape[0] - 1, min(sklearn_queries, X.shape[0])).astype(np.int64))
        run = lambda: sklearn_top_k(X, rows, K)  # noqa: E731
    memory = h.start_measuring()
    timing, (indices, scores) = h.timed_run(run)
    result = {"engine": engine, "threads": threads, "version": version, **timing, **memory,
              "rows": rows, "n": X.shape[0], "indices": indices, "scores": scores}
    h.save_result(result, result_file)


def measure(engine: str, threads: int, matrix: Path, sklearn_queries: int) -> dict[str, Any]:
    result_file = OUT / f"similarity.{engine}{threads}.result"
    return h.run_worker(__file__, [engine, threads, matrix, sklearn_queries, result_file], result_file, threads)


# --------------------------------------------------------------------------- parent


def agreement(r: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """On the rows both computed: identical neighbour lists, and score lists equal to 1e-9.

    Lists may differ where scores tie (the engines break ties differently) or where
    sparse_dot_topn returns fewer than k (it leaves out zero scores): the scores tell.
    """
    rows = ref["rows"]
    full = len(r["indices"]) != len(rows)  # r has every row, ref a subset
    a_i, a_s = (r["indices"][rows], r["scores"][rows]) if full else (r["indices"], r["scores"])
    b_i, b_s = ref["indices"], ref["scores"]
    same_lists = float(np.mean(np.all(a_i == b_i, axis=1)))
    both = ~np.isnan(a_s) & ~np.isnan(b_s)
    diff = float(np.max(np.abs(a_s[both] - b_s[both]), initial=0.0))
    return {"rows_compared": len(rows), "identical_lists": same_lists, "max_score_diff": diff,
            "scores_equal": diff <= 1e-9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000, help="documents (default 100,000)")
    parser.add_argument("--sklearn-queries", type=int, default=2_000,
                        help="query rows scikit-learn computes, its time extrapolated (default 2,000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10,000 documents, 500 sklearn queries")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, threads, matrix, queries, result = args.worker
        worker(engine, int(threads), Path(matrix), int(queries), Path(result))
        return
    if args.quick:
        args.docs, args.sklearn_queries = 10_000, 500
    started = time.perf_counter()
    OUT.mkdir(exist_ok=True)
    env = h.environment()
    try:
        import importlib.metadata

        env["sparse_dot_topn"] = importlib.metadata.version("sparse_dot_topn")
    except importlib.metadata.PackageNotFoundError:
        env["sparse_dot_topn"] = None
    print(f"top-{K} neighbours of every document (self-join): themescope {env['themescope']} vs scikit-learn "
          f"{env['scikit-learn']} and sparse_dot_topn {env['sparse_dot_topn']}")
    print(f"{env['cpu']}, {env['cpu_count']} CPUs, load average {env['load_average_at_start'][0]:.1f}; "
          f"git {env['git_commit']}")
    h.warn_if_busy(env)

    import scipy.sparse as sp

    matrix = tfidf_matrix(args.docs)
    X = sp.load_npz(matrix)
    print(f"matrix: {X.shape[0]:,} x {X.shape[1]:,}, nnz {X.nnz:,} ({matrix.name}); "
          f"scikit-learn on {min(args.sklearn_queries, X.shape[0]):,} query rows, extrapolated", flush=True)
    del X

    results: dict[str, dict[str, Any]] = {}
    for label, engine, threads in CONFIGS:
        if engine == "sparse_dot_topn" and env["sparse_dot_topn"] is None:
            print(f"   {label}: not installed (make bench installs pyproject's `bench` extra)")
            continue
        print(f"   running {label} ...", flush=True)
        try:
            results[label] = measure(engine, threads, matrix, args.sklearn_queries)
        except subprocess.CalledProcessError as error:
            print(f"   {label} FAILED (exit status {error.returncode})")

    rows: dict[str, dict[str, Any]] = {}
    sk = results.get("scikit-learn")
    for label, r in results.items():
        queries = len(r["rows"])
        full_seconds = r["seconds"] * r["n"] / queries  # extrapolated for scikit-learn only
        row = {"engine": r["engine"], "version": r["version"], "threads": r["threads"], "queries": queries,
               "seconds": r["seconds"], "seconds_all_rows": full_seconds, "cpu_over_wall": r["cpu_seconds"] / r["seconds"],
               "peak_rss_mib": r["peak_rss"] / MIB, "peak_increase_mib": (r["peak_rss"] - r["baseline_rss"]) / MIB}
        if sk is not None and r is not sk:
            row["vs_scikit_learn"] = agreement(r, sk)
        ts1 = results.get("themescope 1 thread")
        if ts1 is not None and r is not ts1 and r["engine"] != "sklearn":
            row["vs_themescope_1_thread"] = agreement(r, {**ts1, "rows": np.arange(ts1["n"])})
        rows[label] = row

    print(f"\n   {'configuration':<26} {'queries':>8} {'seconds':>9} {'all rows s':>10} {'CPU/wall':>8} "
          f"{'peak RSS':>10} {'increase':>10}  agreement")
    for label, row in rows.items():
        notes = []
        for key, name in (("vs_scikit_learn", "sklearn"), ("vs_themescope_1_thread", "ts 1t")):
            if key in row:
                a = row[key]
                notes.append(f"{name}: {100 * a['identical_lists']:.1f}% same lists, max |score diff| "
                             f"{a['max_score_diff']:.1e}")
        extrapolated = "*" if row["engine"] == "sklearn" else " "
        print(f"   {label:<26} {row['queries']:>8,} {row['seconds']:>9.2f} {row['seconds_all_rows']:>9.1f}{extrapolated} "
              f"{row['cpu_over_wall']:>8.2f} {row['peak_rss_mib']:>6.0f} MiB {row['peak_increase_mib']:>+6.0f} MiB  "
              f"{'; '.join(notes)}")
    print("   * extrapolated from the query rows computed")

    def seconds(label: str) -> float | None:
        return rows[label]["seconds_all_rows"] if label in rows else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else a / b

    checks = [
        ("speed-up over scikit-learn, 1 thread", ratio(seconds("scikit-learn"), seconds("themescope 1 thread")),
         TARGET_VS_SKLEARN),
        ("speed-up over scikit-learn, 2 threads", ratio(seconds("scikit-learn"), seconds("themescope 2 threads")),
         TARGET_VS_SKLEARN),
        ("vs sparse_dot_topn, 1 thread", ratio(seconds("sparse_dot_topn 1 thread"), seconds("themescope 1 thread")),
         TARGET_VS_SPARSE_DOT_TOPN),
        ("vs sparse_dot_topn, 2 threads",
         ratio(seconds("sparse_dot_topn 2 threads"), seconds("themescope 2 threads")), TARGET_VS_SPARSE_DOT_TOPN),
        ("themescope scaling, 1 -> 2 threads", ratio(seconds("themescope 1 thread"), seconds("themescope 2 threads")),
         None),
    ]
    print(f"\n   {'ratio (their time / ours)':<40} {'measured':>9} {'target':>8}  met")
    summary: dict[str, Any] = {}
    for text, value, target in checks:
        shown = "n/a" if value is None else f"{value:.2f}x"
        verdict = "" if target is None else ("n/a" if value is None else ("yes" if value >= target else "NO"))
        bound = "" if target is None else f">= {target:g}x"
        print(f"   {text:<40} {shown:>9} {bound:>8}  {verdict}")
        summary[text] = {"measured": value, "target": target, "met": None if value is None or target is None
                         else value >= target}
    mem = ratio(rows.get("themescope 1 thread", {}).get("peak_rss_mib"),
                rows.get("scikit-learn", {}).get("peak_rss_mib"))
    if mem is not None:
        print(f"   peak RSS themescope 1 thread / scikit-learn: {mem:.2f}")
    print("   note: a shared 2-core machine gives noisy timings; CPU/wall shows how much CPU each run got")

    report = {"benchmark": f"top_k_similar(X, k={K}) self-join", "docs": args.docs,
              "sklearn_queries": args.sklearn_queries, "environment": env, "configurations": rows,
              "summary": summary, "elapsed_seconds": time.perf_counter() - started}
    h.write_report(report, "bench_similarity", default=float)

    kmeans = HERE / "bench_kmeans.py"
    if kmeans.exists():
        print(f"\n== {kmeans.name}", flush=True)
        subprocess.run([sys.executable, str(kmeans)], check=False)


if __name__ == "__main__":
    main()
