"""Spherical k-means (themescope) vs scikit-learn's KMeans on the same L2-normalised TF-IDF matrix.

Per corpus, the parent vectorizes once with
``ts.TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english")``
(rows have unit L2 norm, so Euclidean k-means and spherical k-means see the same
geometry), saves the matrix, and starts every configuration in its own child process
(this script in --worker mode), one after the other:

    scikit-learn KMeans, 1 and 2 OpenMP threads (OMP_NUM_THREADS)
    themescope SphericalKMeans, 1 and 2 threads (ts.set_num_threads)

all with the same k, n_init=10 and random_state=0. Printed: best-of-N wall time,
CPU/wall, peak RSS during the fit (VmHWM reset after loading) and its increase, NMI
and ARI against the corpus labels, the cosine inertia of each result (sum of 1 - cos
to the normalised mean of its cluster, the objective spherical k-means minimises,
computed by the parent for both), agreement (NMI) with scikit-learn's labels, and
whether themescope's 1- and 2-thread results are bit-identical.

Corpora: BBC (2,225 articles, 5 topic labels) and the Debian documentation corpus of
make_bench_corpus.sh (cached by _harness.py; ~6,000 documents, labels =
source/language: linuxdoc/en, pydoc/en, man/en, man/fr: a coarse proxy for themes).

    .venv/bin/python benchmarks/bench_kmeans.py [--corpus bbc|bench|all] [--repeat N] [--n-init N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import _harness as h
from _harness import MIB, OUT

VECTORIZER = {"sublinear_tf": True, "min_df": 2, "max_df": 0.5, "stop_words": "english"}
N_INIT = 10
SEED = 0

# (label, engine, threads); the first is the reference of the ratios
CONFIGS = [
    ("scikit-learn 1 thread", "sklearn", 1),
    ("scikit-learn 2 threads", "sklearn", 2),
    ("themescope 1 thread", "themescope", 1),
    ("themescope 2 threads", "themescope", 2),
]


# --------------------------------------------------------------------------- corpora


def bbc_documents() -> tuple[list[str], list[str]]:
    files = h.bbc_files()
    return [p.read_bytes().decode("utf-8", errors="replace") for p in files], [p.parent.name for p in files]


def bench_documents() -> tuple[list[str], list[str]]:
    records = h.bench_corpus_records()
    return [r["text"] for r in records], [f"{r['source']}/{r['lang']}" for r in records]


# ---------------------------------------------------------------------------- worker


def worker(engine: str, threads: int, n_clusters: int, n_init: int, repeat: int, cache: Path,
           result_file: Path) -> None:
    import numpy as np
    import scipy.sparse as sp

    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)

        def fit() -> Any:
            return ts.SphericalKMeans(n_clusters, n_init=n_init, random_state=SEED).fit(X)
        version = ts.__version__
    else:
        import sklearn
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        def fit() -> Any:
            with threadpool_limits(limits=threads, user_api="openmp"):
                return KMeans(n_clusters, n_init=n_init, random_state=SEED).fit(X)
        version = sklearn.__version__
    X = sp.load_npz(cache).tocsr()
    memory = h.start_measuring()
    # the estimator is made inside the timed fit(): nothing to make before it
    runs, _, model = h.timed_fits(repeat, lambda: None, lambda _: fit())
    result = {"engine": engine, "version": version, "threads": threads, "runs": runs, **memory,
              "labels": np.asarray(model.labels_, dtype=np.int64),
              "centers": np.asarray(model.cluster_centers_), "n_iter": int(model.n_iter_)}
    h.save_result(result, result_file)


def measure(engine: str, threads: int, n_clusters: int, n_init: int, repeat: int, cache: Path) -> dict[str, Any]:
    result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
    # OMP_NUM_THREADS: scikit-learn's KMeans runs on OpenMP threads
    return h.run_worker(__file__, [engine, threads, n_clusters, n_init, repeat, cache, result_file], result_file,
                        threads, omp_threads=threads)


# ---------------------------------------------------------------------------- parent


def cosine_inertia(X: Any, labels: Any) -> float:
    """Sum of 1 - cos to the normalised mean of each cluster: spherical k-means' objective."""
    import numpy as np
    import scipy.sparse as sp

    n, k = X.shape[0], int(labels.max()) + 1
    one_hot = sp.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
    sums = np.asarray((one_hot @ X).todense())
    norms = np.linalg.norm(sums, axis=1)
    centers = sums / np.where(norms > 0, norms, 1.0)[:, None]
    return float(np.sum(1.0 - np.asarray(X.multiply(centers[labels]).sum(axis=1)).ravel()))


def run_corpus(key: str, title: str, docs: list[str], labels: list[str], n_init: int, repeat: int) -> dict[str, Any]:
    import numpy as np
    import scipy.sparse as sp
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    import themescope as ts

    OUT.mkdir(exist_ok=True)
    X = ts.TfidfVectorizer(**VECTORIZER).fit_transform(docs).tocsr()
    cache = OUT / f"kmeans_{key}.npz"
    sp.save_npz(cache, sp.csr_matrix(X), compressed=False)
    n_clusters = len(set(labels))
    print(f"\n== {title}: {X.shape[0]:,} documents x {X.shape[1]:,} terms, nnz {X.nnz:,}; k = {n_clusters} "
          f"(the number of labels), n_init = {n_init}, random_state = {SEED}; best of {repeat}", flush=True)
    try:
        # a failed configuration is left out of the table
        results = h.run_configurations(
            CONFIGS, lambda engine, threads: measure(engine, threads, n_clusters, n_init, repeat, cache),
            keep_failed=False)
    finally:
        cache.unlink(missing_ok=True)

    reference = results.get(CONFIGS[0][0])
    rows: dict[str, dict[str, Any]] = {}
    for label, r in results.items():
        best, quiet_fits = h.best_run(r["runs"])
        peak = h.first_peak_rss(r)
        rows[label] = {
            "engine": r["engine"], "version": r["version"], "threads": r["threads"],
            "seconds": best["seconds"], "all_seconds": [run["seconds"] for run in r["runs"]],
            "cpu_seconds": best["cpu_seconds"], "all_cpu_seconds": [run["cpu_seconds"] for run in r["runs"]],
            "cpu_over_wall": best["cpu_seconds"] / best["seconds"], "other_cores": best["other_cores"],
            "quiet_fits": quiet_fits, "peak_rss_mib": peak / MIB, "peak_increase_mib": (peak - r["baseline_rss"]) / MIB,
            "n_iter": r["n_iter"],
            "nmi": float(normalized_mutual_info_score(labels, r["labels"])),
            "ari": float(adjusted_rand_score(labels, r["labels"])),
            "cosine_inertia": cosine_inertia(X, r["labels"]),
            "nmi_with_sklearn": (float(normalized_mutual_info_score(reference["labels"], r["labels"]))
                                 if reference is not None else None),
        }
    ts1, ts2 = results.get("themescope 1 thread"), results.get("themescope 2 threads")
    identical = (ts1 is not None and ts2 is not None and ts1["labels"].tobytes() == ts2["labels"].tobytes()
                 and ts1["centers"].tobytes() == ts2["centers"].tobytes())

    header = (f"   {'configuration':<24} {'best s':>8} {'CPU s':>7} {'CPU/wall':>8} {'others':>6} {'peak RSS':>9} {'increase':>9} "
              f"{'iter':>5} {'NMI':>6} {'ARI':>6} {'cos inertia':>11} {'NMI vs sk':>9}")
    print("\n" + header + "\n   " + "-" * (len(header) - 3))
    for label, row in rows.items():
        others = "n/a" if row["other_cores"] is None else f"{row['other_cores']:.2f}"
        print(f"   {label:<24} {row['seconds']:>8.3f} {row['cpu_seconds']:>7.3f} {row['cpu_over_wall']:>8.2f} {others:>6} "
              f"{row['peak_rss_mib']:>5.0f} MiB {row['peak_increase_mib']:>5.0f} MiB {row['n_iter']:>5} "
              f"{row['nmi']:>6.4f} {row['ari']:>6.4f} {row['cosine_inertia']:>11.2f} {row['nmi_with_sklearn']:>9.4f}")
    summary: dict[str, Any] = {"themescope_1_2_threads_bit_identical": identical}

    def ratio(a: str, b: str) -> float | None:
        return rows[a]["seconds"] / rows[b]["seconds"] if a in rows and b in rows else None

    summary["speedup_1_thread"] = ratio("scikit-learn 1 thread", "themescope 1 thread")
    summary["speedup_2_threads"] = ratio("scikit-learn 2 threads", "themescope 2 threads")
    summary["themescope_scaling_1_to_2"] = ratio("themescope 1 thread", "themescope 2 threads")
    summary["sklearn_scaling_1_to_2"] = ratio("scikit-learn 1 thread", "scikit-learn 2 threads")
    # On a busy machine wall times mostly measure the wait for a core; CPU time (all threads) does not.
    if "scikit-learn 1 thread" in rows and "themescope 1 thread" in rows:
        summary["cpu_time_ratio_1_thread"] = (rows["scikit-learn 1 thread"]["cpu_seconds"]
                                              / rows["themescope 1 thread"]["cpu_seconds"])
    print()
    for name, value in summary.items():
        shown = value if isinstance(value, bool) else h.fmt_ratio(value)
        print(f"   {name.replace('_', ' '):<40} {shown}")
    contended = [label for label, row in rows.items() if row["quiet_fits"] == 0]
    if contended:
        print(f"   WARNING: other processes used the CPUs during every fit of {', '.join(contended)}: "
              "timings are noisy; run again on an idle machine")
    return {"title": title, "shape": list(X.shape), "nnz": int(X.nnz), "n_clusters": n_clusters, "n_init": n_init,
            "configurations": rows, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["bbc", "bench", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-init", type=int, default=N_INIT)
    parser.add_argument("--worker", nargs=7, metavar=("ENGINE", "THREADS", "K", "N_INIT", "REPEAT", "CACHE", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, threads, k, n_init, repeat, cache, result = args.worker
        worker(engine, int(threads), int(k), int(n_init), int(repeat), Path(cache), Path(result))
        return
    if args.repeat < 1 or args.n_init < 1:
        parser.error("--repeat and --n-init must be at least 1")
    started = time.perf_counter()
    env = h.environment()
    print(f"spherical k-means: themescope {env['themescope']} vs scikit-learn {env['scikit-learn']} KMeans "
          f"(Lloyd, k-means++, max_iter 300, relative tol 1e-4; themescope: max_iter 100, tol 1e-4 on the "
          f"unit centroids' shift)")
    print(f"{env['cpu']}, {env['cpu_count']} CPUs; git {env['git_commit']}; each configuration in its own process")
    h.warn_if_busy(env)
    corpora = []
    if args.corpus in ("bbc", "all"):
        corpora.append(("bbc", "BBC news (5 topics)", bbc_documents))
    if args.corpus in ("bench", "all"):
        corpora.append(("bench", f"Debian docs ({h.BENCH_SOURCES}; labels source/lang)", bench_documents))
    results = {}
    for key, title, load in corpora:
        docs, labels = load()
        results[key] = run_corpus(key, title, docs, labels, args.n_init, args.repeat)
        del docs
    report = {"benchmark": "SphericalKMeans vs KMeans", "vectorizer": VECTORIZER, "repeat": args.repeat,
              "environment": env, "corpora": results, "elapsed_seconds": time.perf_counter() - started}
    h.write_report(report, "bench_kmeans", default=str)


if __name__ == "__main__":
    main()
