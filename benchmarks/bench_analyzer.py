"""Throughput of the French analysis chain inside TfidfVectorizer: themescope vs Python.

themescope's chain (`TfidfVectorizer(analyzer=ts.Analyzer(language="fr"))`, and with
`language="auto"`: CLD2 per document, NFKC_Casefold, ICU word segmentation, elision,
stop words, Snowball stems cached per distinct token, counting) against

- scikit-learn's default `TfidfVectorizer()`, which does far less work (regex tokens,
  lowercase, nothing else): the issue asks for at least 4x its speed;
- the same chain written in Python, passed as `analyzer=` to scikit-learn's
  `TfidfVectorizer`: a regex tokenizer, `str.lower`, French elision, the French stop list
  (`ts.stop_words("fr")`) and PyStemmer, its stems cached in a dict per fit.

themescope runs on one thread (`ts.set_num_threads(1)`: the issue's target is >= 150 MB/s
per core) and, for information, on two. Every configuration runs in its own child process
(this script in --worker mode, reading the documents from a cache file), best of N fits,
peak RSS from VmHWM, like bench_vectorize.py (the harness both use is _harness.py). Results
go to benchmarks/out/bench_analyzer.json.

Corpora: the French articles of gilets_jaunes_fr_en (`lang == "fr"`, ~8 MB); and a larger
one, those articles plus the French man pages of the benchmark corpus
(make_bench_corpus.sh, built once by _harness.py), repeated to ~50 MB.

    .venv/bin/python benchmarks/bench_analyzer.py [--quick] [--repeat N] [--corpus gj|large|all]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import pickle
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable

import _harness as h
from _harness import OUT, SHARED

LARGE_MB = 50.0
QUICK_MB = 2.0
REPEAT = {"gj": 5, "large": 3}

TARGET_MB_PER_S = 150.0  # themescope, one thread, UTF-8 MB/s
TARGET_OVER_SKLEARN = 4.0  # themescope one thread / scikit-learn's default TfidfVectorizer(), at least

# (label, engine, threads); "sklearn" is the reference of the ratios
CONFIGS = [
    ("scikit-learn default", "sklearn", 1),
    ("Python chain", "python", 1),
    ("themescope fr, 1 thread", "ts-fr", 1),
    ("themescope auto, 1 thread", "ts-auto", 1),
    ("themescope fr, 2 threads", "ts-fr", 2),
    ("themescope auto, 2 threads", "ts-auto", 2),
]


# --------------------------------------------------------------------------- corpora


def gilets_jaunes_fr() -> list[str]:
    path = SHARED / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    if not path.exists():
        sys.exit(f"corpus not found: {path}")
    with path.open(encoding="utf-8") as f:
        return [r["text"] for r in map(json.loads, f) if r["lang"] == "fr"]


def repeat_to(docs: list[str], target_mb: float) -> list[str]:
    """Whole copies of `docs` while below `target_mb`, then an even stride of them for the rest."""
    size = h.utf8_mb(docs)
    copies = int(target_mb // size)
    rest = h.resize(docs, target_mb - copies * size) if target_mb - copies * size > 0.05 * size else []
    return docs * copies + rest if copies else h.resize(docs, target_mb)


def large_fr(target_mb: float) -> list[str]:
    man = [r["text"] for r in h.bench_corpus_records() if r["source"] == "man" and r["lang"] == "fr"]
    if not man:
        sys.exit("no French man pages in the benchmark corpus (make_bench_corpus.sh, source 'man')")
    return repeat_to(gilets_jaunes_fr() + man, target_mb)


# ------------------------------------------------------------ the chain in Python

# words, with apostrophes inside (l'état, aujourd'hui) kept in the token so that elision can see them
PY_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
PY_ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})


def python_french_analyzer() -> Callable[[str], list[str]]:
    """A fair Python implementation of the chain: one per fit, so its stem cache starts empty."""
    import Stemmer

    import themescope as ts

    stop = ts.stop_words("fr")
    stem = Stemmer.Stemmer("french").stemWord
    cache: dict[str, str] = {}

    def analyze(doc: str) -> list[str]:
        terms = []
        for token in PY_TOKEN.findall(doc.lower()):
            term = cache.get(token)
            if term is None:
                word = token.replace("’", "'")
                head, apostrophe, tail = word.partition("'")
                if apostrophe and head in PY_ELIDED:
                    word = tail
                term = "" if len(word) < 2 or word in stop else stem(word)
                cache[token] = term
            if term:
                terms.append(term)
        return terms

    return analyze


# ---------------------------------------------------------------------------- worker


def worker(engine: str, threads: int, repeat: int, cache: Path, result_file: Path) -> None:
    """One configuration, in a fresh process: time `repeat` fits and record the peak RSS of each."""
    make: Callable[[], Any]
    if engine.startswith("ts-"):
        import themescope as ts

        ts.set_num_threads(threads)
        if ts.get_num_threads() != threads:
            sys.exit(f"ts.set_num_threads({threads}) left get_num_threads() at {ts.get_num_threads()}")
        language = engine[3:]

        def make() -> Any:
            return ts.TfidfVectorizer(analyzer=ts.Analyzer(language=language))

        version = ts.__version__
    else:
        import sklearn
        from sklearn.feature_extraction.text import TfidfVectorizer

        version = sklearn.__version__
        if engine == "python":
            import Stemmer  # noqa: F401  (imported before the baseline is taken)

            def make() -> Any:
                return TfidfVectorizer(analyzer=python_french_analyzer())
        else:

            def make() -> Any:
                return TfidfVectorizer()

    with cache.open("rb") as f:
        docs = pickle.load(f)
    memory = h.start_measuring()
    runs, vectorizer, X = h.timed_fits(repeat, make, lambda vectorizer: vectorizer.fit_transform(docs))
    result = {
        "engine": engine,
        "version": version,
        "threads": threads,
        "runs": runs,
        **memory,
        "shape": list(X.shape),
        "nnz": int(X.nnz),
        "features": vectorizer.get_feature_names_out().tolist(),
    }
    h.save_result(result, result_file)


def measure(engine: str, threads: int, repeat: int, cache: Path) -> dict[str, Any]:
    result_file = cache.with_name(f"{cache.stem}.{engine}{threads}.result")
    return h.run_worker(__file__, [engine, threads, repeat, cache, result_file], result_file, threads)


# ---------------------------------------------------------------------------- parent


def run_corpus(key: str, title: str, docs: list[str], repeat: int) -> dict[str, Any]:
    OUT.mkdir(exist_ok=True)
    cache = OUT / f"docs_analyzer_{key}.pickle"
    with cache.open("wb") as f:
        pickle.dump(docs, f, protocol=pickle.HIGHEST_PROTOCOL)
    mb = h.utf8_mb(docs)
    print(f"\n== {title}: {len(docs):,} documents, {mb:.1f} MB of UTF-8 text "
          f"({sum(map(len, docs)) / 1e6:.1f} M characters); best of {repeat}", flush=True)
    try:
        results = h.run_configurations(CONFIGS, lambda engine, threads: measure(engine, threads, repeat, cache))
    finally:
        cache.unlink(missing_ok=True)

    python_terms = set(results.get("Python chain", {}).get("features", []))
    rows: dict[str, dict[str, Any]] = {}
    for label, r in results.items():
        if "error" in r:
            rows[label] = {"engine": r["engine"], "threads": r["threads"], "error": r["error"]}
            continue
        features = set(r["features"])
        rows[label] = {
            **h.throughput_row(r, mb),
            "shape": r["shape"],
            "nnz": r["nnz"],
            # terms also in the Python chain's vocabulary: both do comparable work
            "terms_shared_with_python_chain": (len(features & python_terms) / len(features)
                                               if python_terms and features and r["engine"] != "sklearn"
                                               else None),
        }
    for r in results.values():
        r.pop("features", None)

    header = (f"   {'configuration':<27} {'first s':>8} {'best s':>8} {'MB/s':>8} {'CPU/wall':>8} {'others':>6} "
              f"{'peak RSS':>10} {'increase':>10} {'terms':>8} {'in Py':>6}")
    h.print_table_header(header)
    for label, row in rows.items():
        if "error" in row:
            print(f"   {label:<27} FAILED: {row['error']}")
            continue
        others = "n/a" if row["other_cores"] is None else f"{row['other_cores']:.2f}"
        shared = row["terms_shared_with_python_chain"]
        print(f"   {label:<27} {row['first_seconds']:>8.3f} {row['seconds']:>8.3f} {row['mb_per_s']:>8.1f} "
              f"{row['cpu_over_wall']:>8.2f} {others:>6} {row['peak_rss_mib']:>6.0f} MiB "
              f"{row['peak_increase_mib']:>+6.0f} MiB {row['shape'][1]:>8,} "
              f"{'n/a' if shared is None else f'{shared:.0%}':>6}")
    contended = [label for label, row in rows.items()
                 if "error" not in row and (row["other_cores"] or 0.0) > h.CONTENTION_CORES]
    if contended:
        print(f"   WARNING: other processes used the CPUs during every fit of {', '.join(contended)} "
              f"('others' > {h.CONTENTION_CORES:g} cores): those timings are not trustworthy")

    def seconds(label: str) -> float | None:
        row = rows.get(label)
        return row["seconds"] if row and "error" not in row else None

    def ratio(numerator: str, denominator: str) -> float | None:
        a, b = seconds(numerator), seconds(denominator)
        return a / b if a is not None and b is not None else None

    def rate(label: str) -> float | None:
        row = rows.get(label)
        return row["mb_per_s"] if row and "error" not in row else None

    checks: list[tuple[str, str, float | None, float | None, str]] = []
    for lang in ("fr", "auto"):
        one, two = f"themescope {lang}, 1 thread", f"themescope {lang}, 2 threads"
        checks += [
            (f"{lang}: MB/s, 1 thread", f"mb_per_s_{lang}", rate(one), TARGET_MB_PER_S, "MB/s"),
            (f"{lang}: / scikit-learn default", f"over_sklearn_{lang}", ratio("scikit-learn default", one),
             TARGET_OVER_SKLEARN, "x"),
            (f"{lang}: / Python chain", f"over_python_{lang}", ratio("Python chain", one), None, "x"),
            (f"{lang}: 2 threads / scikit-learn default", f"over_sklearn_{lang}_2_threads",
             ratio("scikit-learn default", two), None, "x"),
            (f"{lang}: scaling 1 -> 2 threads", f"scaling_{lang}", ratio(one, two), None, "x"),
        ]
    checks.append(("Python chain / scikit-learn default", "python_over_sklearn",
                   ratio("scikit-learn default", "Python chain"), None, "x"))
    summary: dict[str, Any] = {}
    met: dict[str, bool | None] = {}
    print()
    print(f"   {'themescope (1 thread unless said)':<40} {'measured':>10} {'target':>12}  met")
    print("   " + "-" * 70)
    for text, name, value, target, unit in checks:
        summary[name] = value
        shown = "n/a" if value is None else (f"{value:.1f}" if unit == "MB/s" else f"{value:.2f}x")
        if target is None:
            print(f"   {text:<40} {shown:>10}")
            continue
        met[name] = None if value is None else value >= target
        bound = f">= {target:g}{' MB/s' if unit == 'MB/s' else 'x'}"
        print(f"   {text:<40} {shown:>10} {bound:>12}  {h.check(value, target, True)}")
    summary["targets_met"] = met
    summary["contended_configurations"] = contended
    return {"title": title, "documents": len(docs), "megabytes": mb, "repeat": repeat,
            "configurations": rows, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_MB:g} MB corpora, one timing")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="keep the best of N timings per configuration (default 5 on gj, 3 on large; "
                             "1 with --quick)")
    parser.add_argument("--corpus", choices=("gj", "large", "all"), default="all",
                        help=f"gj: French gilets jaunes articles (~8 MB); large: those plus French man pages, "
                             f"repeated to ~{LARGE_MB:g} MB; all: both (default)")
    parser.add_argument("--worker", nargs=5, metavar=("ENGINE", "THREADS", "REPEAT", "CACHE", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, threads, repeat, cache, result = args.worker
        worker(engine, int(threads), int(repeat), Path(cache), Path(result))
        return
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    env = h.environment()
    if env["themescope"] is None:
        sys.exit("themescope is not importable: run `make venv`")
    env["pystemmer"] = importlib.metadata.version("PyStemmer")  # Stemmer.version() lags behind the release
    print("TfidfVectorizer(analyzer=...).fit_transform(docs), French analysis chain: themescope "
          f"{env['themescope']} vs scikit-learn {env['scikit-learn']} (default, and with the chain in Python)")
    print(f"{env['cpu']}, {env['cpu_count']} CPUs; Python {env['python']}; git {env['git_commit']}")
    print("each configuration runs in its own process; MB = 10^6 bytes of UTF-8 text; memory in MiB; "
          "'terms' = vocabulary size, 'in Py' = share of those terms the Python chain also has")
    h.warn_if_busy(env)

    corpora: list[tuple[str, str, Callable[[], list[str]]]] = []
    if args.corpus in ("gj", "all"):
        corpora.append(("gj", "gilets jaunes, French articles",
                        lambda: h.resize(gilets_jaunes_fr(), QUICK_MB) if args.quick else gilets_jaunes_fr()))
    if args.corpus in ("large", "all"):
        corpora.append(("large", f"gilets jaunes FR + French man pages, repeated to ~{LARGE_MB:g} MB",
                        lambda: large_fr(QUICK_MB if args.quick else LARGE_MB)))
    results: dict[str, Any] = {}
    for key, title, load in corpora:
        repeat = args.repeat if args.repeat is not None else (1 if args.quick else REPEAT[key])
        docs = load()
        results[key] = run_corpus(key, title, docs, repeat)
        del docs

    if len(results) > 1:
        print("\n== summary (MB/s; ratios are themescope 1 thread over the others)")
        print(f"   {'corpus':<7} {'sklearn':>8} {'Python':>7} {'fr 1t':>7} {'auto 1t':>8} {'fr 2t':>7} "
              f"{'auto 2t':>8} {'fr/sk':>7} {'auto/sk':>8} {'fr/Py':>7} {'auto/Py':>8}")
        for key, r in results.items():
            c, s = r["configurations"], r["summary"]

            def fmt(label: str) -> str:
                row = c.get(label, {})
                return "failed" if "error" in row else f"{row['mb_per_s']:.1f}"

            def x(value: float | None) -> str:
                return "n/a" if value is None else f"{value:.2f}x"

            print(f"   {key:<7} {fmt('scikit-learn default'):>8} {fmt('Python chain'):>7} "
                  f"{fmt('themescope fr, 1 thread'):>7} {fmt('themescope auto, 1 thread'):>8} "
                  f"{fmt('themescope fr, 2 threads'):>7} {fmt('themescope auto, 2 threads'):>8} "
                  f"{x(s['over_sklearn_fr']):>7} {x(s['over_sklearn_auto']):>8} {x(s['over_python_fr']):>7} "
                  f"{x(s['over_python_auto']):>8}")
        print(f"   targets (themescope, 1 thread): >= {TARGET_MB_PER_S:g} MB/s, >= {TARGET_OVER_SKLEARN:g}x "
              "scikit-learn's default")

    elapsed = time.perf_counter() - started
    report = {
        "benchmark": "TfidfVectorizer(analyzer=...).fit_transform(docs), French analysis chain",
        "quick": args.quick,
        "targets": {"mb_per_s_1_thread": TARGET_MB_PER_S, "over_sklearn_default_1_thread": TARGET_OVER_SKLEARN},
        "python_chain": {"token_pattern": PY_TOKEN.pattern, "elided": sorted(PY_ELIDED),
                         "stop_words": "ts.stop_words('fr')", "stemmer": "PyStemmer french, dict cache per fit"},
        "environment": env,
        "corpora": results,
        "elapsed_seconds": elapsed,
    }
    h.write_report(report, "bench_analyzer")


if __name__ == "__main__":
    main()
