"""The analyst's path end to end: ts.Explorer vs the scikit-learn pipeline doing the same steps.

Per corpus, each configuration runs in its own child process (this script in --worker mode),
one after the other, and times every stage of what an analyst runs, `--repeat` times:

    stage       themescope                          scikit-learn pipeline
    fit         Explorer().fit(texts)               TfidfVectorizer(sublinear_tf=True, min_df=2,
                                                    stop_words="english") + TruncatedSVD(50) + normalize
    auto        cluster("auto")                     KMeans(k, n_init=10) for k in 2..20, best cosine
                                                    silhouette on a 2,000-row sample
    cluster     cluster(k)                          KMeans(k, n_init=10) on the LSA rows
    neighbors   neighbors(10)                       chunked cosine top-10 (sparse X @ X.T, argpartition)
    duplicates  duplicates()                        the top 10 at cosine >= 0.9 + connected components
    themes      clusters.themes() (of cluster(k))   the summed TF-IDF of each cluster's rows, top 10
    map2d       map2d()                             PCA(2) of the LSA rows

Printed per stage: min / median / max seconds over the runs and the ratio scikit-learn /
themescope of the medians; the sums "same steps, same k" (fit + cluster + neighbors + themes +
map2d) and "fit + auto + neighbors"; peak RSS of the whole path (VmHWM, reset after loading the
texts); and quality beside speed: NMI of cluster(k) against the BBC topics (BBC corpora), the k
that cluster("auto") chose, and, once per run of the script, the gilets-jaunes cross-language
k=2 NMI (tests/python/test_explorer_corpus.py). themescope runs on 2 threads, and with
--threads 1,2 also on 1: its outputs (lsa_, labels, neighbours) must be bit-identical.

Corpora:
  bbc4   the 2,225 BBC articles repeated 4 times (8,900; about 20 MB), labels = topics
  100k   BBC + gilets jaunes articles repeated with light edits to 100,000 articles (each copy
         keeps a seeded 70% of its sentences, so copies are near- but not exact duplicates)

    .venv/bin/python benchmarks/bench_explorer.py [--corpus bbc4|100k|all] [--repeat N]
        [--stages fit,auto,cluster,...] [--threads 2|1,2] [--engines themescope,sklearn]
        [--n-docs N] [--profile] [--quick]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pickle
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h
from _harness import MIB, OUT, SHARED, utf8_mb

STAGES = ("fit", "auto", "cluster", "neighbors", "duplicates", "themes", "map2d")
SAME_STEPS = ("fit", "cluster", "neighbors", "themes", "map2d")  # the "same steps, same k"
FIT_AUTO_NEIGHBORS = ("fit", "auto", "neighbors")
LSA_COMPONENTS = 50
AUTO_CANDIDATES = range(2, 21)
SILHOUETTE_SAMPLE = 2000
N_INIT = 10
SEED = 0
TOP_K = 10
DUPLICATE_THRESHOLD = 0.9
CHUNK_ROWS = 2000  # rows of X @ X.T at a time in the peer's top-k

TARGET_SAME_STEPS = 5.0  # scikit-learn / themescope, same steps same k
TARGET_AUTO_OVER_K = 3.0  # cluster("auto") / cluster(k), at most
TARGET_100K_SECONDS = 60.0  # fit + auto + neighbors on 100K articles


# --------------------------------------------------------------------------- corpora


def bbc_labelled() -> tuple[list[str], list[str]]:
    files = h.bbc_files()
    return [p.read_bytes().decode("utf-8", errors="replace") for p in files], [p.parent.name for p in files]


def gilets_jaunes() -> list[dict[str, str]]:
    path = SHARED / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def lightly_edited(text: str, rng: random.Random, keep: float = 0.7) -> str:
    """The text with a seeded `keep` share of its sentences (at least one), in order."""
    sentences = _SENTENCE_END.split(text)
    if len(sentences) < 3:
        return text
    kept = [s for s in sentences if rng.random() < keep] or sentences[:1]
    return " ".join(kept)


def corpus_100k(n_docs: int) -> tuple[list[str], list[str] | None]:
    """BBC and gilets-jaunes articles, the originals first, then lightly edited copies, to n_docs."""
    bbc, _ = bbc_labelled()
    base = bbc + [record["text"] for record in gilets_jaunes()]
    rng = random.Random(SEED)
    docs = list(base[:n_docs])
    while len(docs) < n_docs:
        docs.append(lightly_edited(base[len(docs) % len(base)], rng))
    return docs, None


def corpus_bbc4(n_docs: int) -> tuple[list[str], list[str] | None]:
    docs, labels = bbc_labelled()
    return (docs * 4)[:n_docs], (labels * 4)[:n_docs]


CORPORA: dict[str, tuple[str, Callable[[int], tuple[list[str], list[str] | None]], int, int]] = {
    # key: (title, loader, default number of documents, k of cluster(k))
    "bbc4": ("BBC news x4", corpus_bbc4, 4 * 2225, 5),
    "100k": ("BBC + gilets jaunes, lightly edited copies", corpus_100k, 100_000, 5),
}


# ---------------------------------------------------------------------------- the two paths


def digest(*arrays: Any) -> str:
    import numpy as np

    sha = hashlib.sha256()
    for a in arrays:
        sha.update(np.ascontiguousarray(a).tobytes())
    return sha.hexdigest()[:16]


class ThemescopePath:
    def __init__(self, k: int) -> None:
        self.k = k
        self.outputs: dict[str, Any] = {}

    def fit(self, docs: list[str]) -> None:
        import themescope as ts

        self.ex = ts.Explorer(random_state=SEED).fit(docs)

    def auto(self) -> None:
        result = self.ex.cluster("auto")
        self.outputs["auto_k"] = int(result.n_clusters_)

    def cluster(self) -> None:
        self.clusters = self.ex.cluster(self.k)
        self.outputs["labels"] = self.clusters.labels_

    def neighbors(self) -> None:
        self.outputs["neighbors"] = self.ex.neighbors(TOP_K)

    def duplicates(self) -> None:
        self.outputs["duplicates"] = int(self.ex.duplicates(DUPLICATE_THRESHOLD)["group"].nunique())

    def themes(self) -> None:
        clusters = getattr(self, "clusters", None) or self.ex.cluster(self.k)
        clusters.themes(n_terms=10)

    def map2d(self) -> None:
        self.ex.map2d(self.clusters)

    def digests(self) -> dict[str, str]:
        out = {"lsa": digest(self.ex.lsa_), "vectors": digest(self.ex.vectors_.data, self.ex.vectors_.indices)}
        if "labels" in self.outputs:
            out["labels"] = digest(self.outputs["labels"])
        if "neighbors" in self.outputs:
            out["neighbors"] = digest(*self.outputs["neighbors"])
        return out


def top_k_cosine(X: Any, k: int, threshold: float | None = None) -> tuple[Any, Any]:
    """The peer's exact cosine top-k of L2-normalised rows, CHUNK_ROWS rows of X @ X.T at a time."""
    import numpy as np

    n = X.shape[0]
    XT = X.T.tocsr()
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.zeros((n, k))
    for start in range(0, n, CHUNK_ROWS):
        S = (X[start:start + CHUNK_ROWS] @ XT).toarray()
        rows = np.arange(S.shape[0])
        S[rows, start + rows] = -np.inf  # not its own neighbour
        part = np.argpartition(-S, k, axis=1)[:, :k]
        part_scores = np.take_along_axis(S, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        indices[start:start + len(rows)] = np.take_along_axis(part, order, axis=1)
        scores[start:start + len(rows)] = np.take_along_axis(part_scores, order, axis=1)
    if threshold is not None:
        indices[scores < threshold] = -1
    return indices, scores


class SklearnPath:
    def __init__(self, k: int) -> None:
        self.k = k
        self.outputs: dict[str, Any] = {}

    def fit(self, docs: list[str]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        self.vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
        self.X = self.vectorizer.fit_transform(docs).tocsr()
        self.lsa = normalize(TruncatedSVD(LSA_COMPONENTS, random_state=SEED).fit_transform(self.X))

    def _kmeans(self, k: int) -> Any:
        from sklearn.cluster import KMeans

        return KMeans(k, n_init=N_INIT, random_state=SEED).fit(self.lsa).labels_

    def auto(self) -> None:
        from sklearn.metrics import silhouette_score

        scores = {}
        for k in AUTO_CANDIDATES:
            if k > self.lsa.shape[0] - 1:
                break
            labels = self._kmeans(k)
            scores[k] = silhouette_score(self.lsa, labels, metric="cosine",
                                         sample_size=min(SILHOUETTE_SAMPLE, self.lsa.shape[0]), random_state=SEED)
        self.outputs["auto_k"] = int(max(scores, key=lambda k: scores[k]))

    def cluster(self) -> None:
        self.labels = self._kmeans(self.k)
        self.outputs["labels"] = self.labels

    def neighbors(self) -> None:
        self.outputs["neighbors"] = top_k_cosine(self.X, TOP_K)

    def duplicates(self) -> None:
        import numpy as np
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        if "neighbors" in self.outputs:  # the top 10 of neighbors(), thresholded (as Explorer reuses its own)
            indices, scores = self.outputs["neighbors"]
            indices = np.where(scores >= DUPLICATE_THRESHOLD, indices, -1)
        else:
            indices, _ = top_k_cosine(self.X, TOP_K, threshold=DUPLICATE_THRESHOLD)
        n = self.X.shape[0]
        rows = np.repeat(np.arange(n), indices.shape[1])
        cols = indices.ravel()
        linked = cols >= 0
        graph = sp.csr_array((np.ones(int(linked.sum())), (rows[linked], cols[linked])), shape=(n, n))
        _, component = connected_components(graph, directed=True, connection="weak")
        self.outputs["duplicates"] = int((np.bincount(component) > 1).sum())

    def themes(self) -> None:
        import numpy as np
        import scipy.sparse as sp

        labels = getattr(self, "labels", None)
        if labels is None:
            labels = self._kmeans(self.k)
        indicator = sp.csr_array((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                                 shape=(self.k, len(labels)))
        weights = (indicator @ self.X).toarray()
        names = self.vectorizer.get_feature_names_out()
        [names[np.argsort(-w, kind="stable")[:10]] for w in weights]

    def map2d(self) -> None:
        from sklearn.decomposition import PCA

        PCA(2, svd_solver="full").fit_transform(self.lsa)

    def digests(self) -> dict[str, str]:
        return {}


# ---------------------------------------------------------------------------- worker


def worker(engine: str, threads: int, repeat: int, stages: list[str], k: int, profile: bool, cache: Path,
           result_file: Path) -> None:
    if engine == "themescope":
        import themescope as ts

        ts.set_num_threads(threads)
        version = ts.__version__
        make: Callable[[], Any] = lambda: ThemescopePath(k)  # noqa: E731
    else:
        import sklearn

        version = sklearn.__version__
        make = lambda: SklearnPath(k)  # noqa: E731
    with cache.open("rb") as f:
        docs, labels = pickle.load(f)
    memory = h.start_measuring()
    runs = []
    profiles: dict[str, str] = {}
    path: Any = None
    for run in range(repeat):
        if run:
            import gc

            path = None
            gc.collect()
            h.reset_peak_rss()
        path = make()
        seconds = {}
        others = {}
        for stage in stages:
            call = (lambda: path.fit(docs)) if stage == "fit" else getattr(path, stage)
            if profile and run == 0:
                profiler = cProfile.Profile()
                record, _ = h.timed_run(lambda: profiler.runcall(call))
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
                profiles[stage] = text.getvalue()
            else:
                record, _ = h.timed_run(call)
            seconds[stage] = record["seconds"]
            others[stage] = record["other_cores"]
            print(f"      {engine} {threads}t run {run + 1}: {stage} {record['seconds']:.3f} s", flush=True)
        runs.append({"seconds": seconds, "other_cores": others, "peak_rss": h.peak_rss_bytes()})
    quality: dict[str, Any] = {"auto_k": path.outputs.get("auto_k"), "duplicate_groups": path.outputs.get("duplicates")}
    if labels is not None and "labels" in path.outputs:
        from sklearn.metrics import normalized_mutual_info_score

        quality["nmi"] = float(normalized_mutual_info_score(labels, path.outputs["labels"]))
    h.save_result({"engine": engine, "version": version, "threads": threads, "runs": runs, **memory,
                   "quality": quality, "digests": path.digests(), "profiles": profiles}, result_file)


def quality_worker(result_file: Path) -> None:
    """Quality figures that do not depend on the corpus size: k chosen by cluster("auto") on BBC,
    the sample articles and gilets jaunes; BBC cluster(5) NMI; gilets-jaunes k=2 NMI."""
    from sklearn.metrics import normalized_mutual_info_score

    import themescope as ts

    out: dict[str, Any] = {}
    docs, labels = bbc_labelled()
    ex = ts.Explorer(random_state=SEED).fit(docs)
    out["bbc_nmi_k5"] = float(normalized_mutual_info_score(labels, ex.cluster(5).labels_))
    t0 = time.perf_counter()
    auto = ex.cluster("auto")
    out["bbc_auto_seconds"] = time.perf_counter() - t0
    out["bbc_auto_k"] = int(auto.n_clusters_)
    out["bbc_auto_nmi"] = float(normalized_mutual_info_score(labels, auto.labels_))
    sample = ts.datasets.load_sample_articles()
    out["sample_auto_k"] = int(ts.Explorer(random_state=SEED).fit(sample.data).cluster("auto").n_clusters_)
    press = gilets_jaunes()
    texts, press_labels = [r["text"] for r in press], [r["label"] for r in press]
    for cross in (False, True):
        gj = ts.Explorer(cross_language=cross).fit(texts)
        key = "cross_language" if cross else "monolingual"
        out[f"gj_{key}_nmi_k2"] = float(normalized_mutual_info_score(press_labels, gj.cluster(2).labels_))
        out[f"gj_{key}_auto_k"] = int(gj.cluster("auto").n_clusters_)
    h.save_result(out, result_file)


# ---------------------------------------------------------------------------- parent


def spread(values: list[float]) -> str:
    return f"{min(values):7.3f} {statistics.median(values):7.3f} {max(values):7.3f}"


def run_corpus(key: str, n_docs: int, args: argparse.Namespace, stages: list[str],
               peer_stages: list[str]) -> dict[str, Any]:
    title, load, _, k = CORPORA[key]
    docs, labels = load(n_docs)
    OUT.mkdir(exist_ok=True)
    cache = OUT / f"explorer_{key}.pickle"
    with cache.open("wb") as f:
        pickle.dump((docs, labels), f, protocol=pickle.HIGHEST_PROTOCOL)
    mb = utf8_mb(docs)
    print(f"\n== {title}: {len(docs):,} documents, {mb:.1f} MB; k={k}; {args.repeat} run(s) per configuration",
          flush=True)
    del docs
    configs = []
    if "sklearn" in args.engines:
        configs.append(("scikit-learn", "sklearn", max(args.threads)))
    if "themescope" in args.engines:
        configs += [(f"themescope {t} thread{'s' * (t > 1)}", "themescope", t) for t in sorted(args.threads,
                                                                                                reverse=True)]

    def measure(engine: str, threads: int) -> dict[str, Any]:
        result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
        which = peer_stages if engine == "sklearn" else stages
        return h.run_worker(__file__, ["path", engine, threads, args.repeat, ",".join(which), k,
                                       int(args.profile), cache, result_file], result_file, threads,
                            omp_threads=threads if engine == "sklearn" else 1)

    try:
        results = h.run_configurations(configs, measure)
    finally:
        cache.unlink(missing_ok=True)

    print()
    print(f"   {'stage':<11}" + "".join(f" {label + ' min/med/max s':>33}" for label in results)
          + "   sklearn/ts (medians)")
    ours = next((label for label in results if label.startswith("themescope") and "error" not in results[label]),
                None)
    peer = results.get("scikit-learn") if "error" not in results.get("scikit-learn", {"error": 1}) else None

    def total(label: str, which: tuple[str, ...]) -> list[float] | None:
        runs = results[label]["runs"]
        if not all(s in runs[0]["seconds"] for s in which):
            return None  # a stage this configuration did not run (--peer-stages)
        return [sum(run["seconds"][s] for s in which) for run in runs]

    rows: dict[str, Any] = {}
    lines = [(stage, (stage,)) for stage in stages]
    if set(SAME_STEPS) <= set(stages):
        lines.append(("same steps", SAME_STEPS))
    if set(FIT_AUTO_NEIGHBORS) <= set(stages):
        lines.append(("fit+auto+nb", FIT_AUTO_NEIGHBORS))
    for name, which in lines:
        cells, row = [], {}
        for label, r in results.items():
            if "error" in r:
                cells.append(f" {'FAILED':>33}")
                continue
            values = total(label, which)
            if values is None:
                cells.append(f" {'not run':>33}")
                continue
            row[label] = {"min": min(values), "median": statistics.median(values), "max": max(values)}
            cells.append(f" {spread(values):>33}")
        ratio = ""
        if ours and peer and ours in row and "scikit-learn" in row:
            ratio = f"{row['scikit-learn']['median'] / row[ours]['median']:8.2f}x"
        rows[name] = row
        print(f"   {name:<11}" + "".join(cells) + "   " + ratio)
    print()
    for label, r in results.items():
        if "error" in r:
            continue
        peak = max(run["peak_rss"] for run in r["runs"][:1]) if r["peak_rss_reset"] else max(
            r["runs"][0]["peak_rss"], r["load_peak_rss"])
        r["peak_rss_mib"] = peak / MIB
        contended = sum(1 for run in r["runs"] for v in run["other_cores"].values()
                        if (v or 0.0) > h.CONTENTION_CORES)
        print(f"   {label:<22} peak RSS {peak / MIB:7.0f} MiB (+{(peak - r['baseline_rss']) / MIB:.0f} over the "
              f"loaded texts); quality {r['quality']}; contended stages {contended}")
    summary: dict[str, Any] = {}
    if ours:
        if "auto" in stages and "cluster" in stages:
            summary["auto_over_cluster_k"] = rows["auto"][ours]["median"] / rows["cluster"][ours]["median"]
            print(f"   cluster('auto') / cluster({k}), {ours}: {summary['auto_over_cluster_k']:.2f}x "
                  f"(target <= {TARGET_AUTO_OVER_K:g}x)")
        if peer and "same steps" in rows and "scikit-learn" in rows["same steps"]:
            summary["same_steps_speedup"] = rows["same steps"]["scikit-learn"]["median"] / \
                rows["same steps"][ours]["median"]
            print(f"   same steps, same k: scikit-learn / {ours} = {summary['same_steps_speedup']:.2f}x "
                  f"(target >= {TARGET_SAME_STEPS:g}x)")
        if peer:
            summary["peak_rss_ratio"] = results[ours]["peak_rss_mib"] / results["scikit-learn"]["peak_rss_mib"]
            print(f"   peak RSS {ours} / scikit-learn: {summary['peak_rss_ratio']:.2f}")
        if "fit+auto+nb" in rows:
            summary["fit_auto_neighbors_median_s"] = rows["fit+auto+nb"][ours]["median"]
            print(f"   fit + auto + neighbors, {ours}: {rows['fit+auto+nb'][ours]['median']:.1f} s (median)")
        if "fit" in rows:
            summary["fit_mb_per_s"] = mb / rows["fit"][ours]["median"]
            print(f"   Explorer.fit: {summary['fit_mb_per_s']:.1f} MB/s ({ours}, median)")
        digests = {label: r["digests"] for label, r in results.items()
                   if label.startswith("themescope") and "error" not in r}
        if len(digests) > 1:
            summary["bit_identical_across_threads"] = len({json.dumps(d, sort_keys=True)
                                                           for d in digests.values()}) == 1
            print(f"   outputs bit-identical across {', '.join(digests)}: "
                  f"{'yes' if summary['bit_identical_across_threads'] else 'NO'}")
    for label, r in results.items():
        for stage, text in r.get("profiles", {}).items():
            print(f"\n--- cProfile of {label}, stage {stage} (first run, by own time)\n{text}")
    for r in results.values():
        r.pop("profiles", None)
    return {"title": title, "documents": n_docs, "megabytes": mb, "k": k, "stages": rows, "summary": summary,
            "configurations": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=("bbc4", "100k", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="runs of the whole path per configuration (default 3, 1 with --quick)")
    parser.add_argument("--stages", default=",".join(STAGES),
                        help=f"comma-separated subset of {','.join(STAGES)} (fit always runs)")
    parser.add_argument("--peer-stages", default=None,
                        help="the scikit-learn pipeline's stages when fewer (default: --stages), e.g. to leave out "
                             "its slow auto-k on 100K articles")
    parser.add_argument("--threads", default="2", help="themescope's thread counts, e.g. 2 or 1,2 (default 2)")
    parser.add_argument("--engines", default="themescope,sklearn", help="themescope, sklearn or both")
    parser.add_argument("--n-docs", type=int, default=None, help="documents of the 100k corpus (default 100,000)")
    parser.add_argument("--no-quality", action="store_true", help="skip the BBC / gilets-jaunes quality figures")
    parser.add_argument("--profile", action="store_true", help="cProfile every stage's first run and print it")
    parser.add_argument("--quick", action="store_true", help="smoke run: BBC x4 only, one run, no quality")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.worker[0] == "quality":
            quality_worker(Path(args.worker[1]))
            return
        _, engine, threads, repeat, stages, k, profile, cache, result = args.worker
        worker(engine, int(threads), int(repeat), stages.split(","), int(k), bool(int(profile)), Path(cache),
               Path(result))
        return
    args.repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    stages = [s for s in STAGES if s in set(args.stages.split(",")) | {"fit"}]
    unknown = set(args.stages.split(",")) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages {sorted(unknown)}; choose among {','.join(STAGES)}")
    peer_stages = stages if args.peer_stages is None else [
        s for s in STAGES if s in set(args.peer_stages.split(",")) | {"fit"} and s in stages]
    args.threads = [int(t) for t in args.threads.split(",")]
    args.engines = args.engines.split(",")
    if args.quick:
        args.corpus, args.no_quality = "bbc4", True

    started = time.perf_counter()
    env = h.environment()
    print(f"The analyst's path: themescope {env['themescope']} vs scikit-learn {env['scikit-learn']}; "
          f"{env['cpu']}, {env['cpu_count']} CPUs; git {env['git_commit']}")
    print("each configuration runs in its own process; times in seconds (min median max over the runs); "
          "ratios are scikit-learn / themescope of the medians; the machine may be shared: see 'contended'")
    h.warn_if_busy(env)
    results: dict[str, Any] = {}
    for key in (("bbc4", "100k") if args.corpus == "all" else (args.corpus,)):
        n_docs = args.n_docs if (key == "100k" and args.n_docs) else CORPORA[key][2]
        results[key] = run_corpus(key, n_docs, args, stages, peer_stages)
    if not args.no_quality and "themescope" in args.engines:
        print("\n== quality (themescope defaults, 2 threads)", flush=True)
        result_file = OUT / "explorer_quality.result"
        quality = h.run_worker(__file__, ["quality", result_file], result_file, max(args.threads))
        for name, value in quality.items():
            print(f"   {name:<28} {value:.3f}" if isinstance(value, float) else f"   {name:<28} {value}")
        print("   targets: bbc_nmi_k5 >= 0.88; gj_cross_language_nmi_k2 > 0.3 (test_explorer_corpus.py)")
        results["quality"] = quality
    report = {"benchmark": "the analyst's path (bench_explorer.py)", "repeat": args.repeat, "stages": stages,
              "environment": env, "corpora": results, "elapsed_seconds": time.perf_counter() - started}
    h.write_report(report, "bench_explorer")


if __name__ == "__main__":
    sys.exit(main())
