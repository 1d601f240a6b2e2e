"""Search quality and speed: known-item search, hand queries, latency on 100K articles.

Known-item search (a standard IR test): each article's headline is the query,
the article's body (headline removed) is the one relevant document; identical
bodies (BBC's 98 duplicate pairs) count as the same target. Reported per system:
recall@1, recall@10, MRR@10 and queries per second (all queries in one call,
analysis included; min/median/max of --repeat runs). Systems, in the same run:

- scikit-learn ``TfidfVectorizer(sublinear_tf=True)``, cosine;
- bm25s (PyPI; BM25 ``method="lucene"``, k1=1.2, b=0.75, Snowball stems and
  stop words of each article's language, given from the corpus metadata);
- themescope ``Explorer().query`` and ``Explorer(cross_language=True).query``,
  default settings.

Tasks: BBC News (2,225 articles, line 1 = headline), gilets-jaunes FR+EN (the
2,171 articles with a title), and the sample articles' hand-written queries
(tests/python/test_search.py). Then one short query's latency on a fitted
collection of 100,000 articles (the two corpora repeated, each copy lightly
edited: one word in 20 dropped at a copy-dependent offset, cut to 1,500 characters).

    python benchmarks/eval_search.py [--repeat 5] [--skip-100k]

Needs the ``bench`` extra (bm25s) and ../shared/corpora.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"


def bbc_task() -> tuple[list[str], list[str], list[str]]:
    bodies, titles, languages = [], [], []
    for path in sorted((CORPORA / "bbc_news_en" / "bbc").glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = text.partition("\n")
        titles.append(title.strip())
        bodies.append(body.strip())
        languages.append("en")
    return bodies, titles, languages


def gilets_jaunes_task() -> tuple[list[str], list[str], list[str]]:
    records = [json.loads(line) for line in
               (CORPORA / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl").open(encoding="utf-8")]
    titled = [r for r in records if r.get("title")]
    return [r["text"] for r in titled], [r["title"].strip() for r in titled], [r["lang"] for r in titled]


def metrics(ranked: np.ndarray, bodies: list[str]) -> dict[str, float]:
    """r@1, r@10 and MRR@10 of rankings (queries x 10 document indices, -1 for none)."""
    reciprocal, at1, at10 = [], 0, 0
    for query, row in enumerate(ranked):
        rank = next((r for r, doc in enumerate(row) if doc >= 0 and bodies[doc] == bodies[query]), None)
        at1 += rank == 0
        at10 += rank is not None
        reciprocal.append(0.0 if rank is None else 1.0 / (rank + 1))
    n = len(ranked)
    return {"r@1": at1 / n, "r@10": at10 / n, "MRR": float(np.mean(reciprocal))}


def timed(run: Callable[[], np.ndarray], repeat: int) -> tuple[np.ndarray, list[float]]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, times


class SklearnCosine:
    name = "scikit-learn TF-IDF cosine"

    def fit(self, bodies: list[str], languages: list[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(sublinear_tf=True)
        self.X = self.vectorizer.fit_transform(bodies)

    def rank(self, queries: list[str], languages: list[str]) -> np.ndarray:
        Q = self.vectorizer.transform(queries)
        scores = (Q @ self.X.T).toarray()
        order = np.argsort(-scores, axis=1, kind="stable")[:, :10]
        return np.where(np.take_along_axis(scores, order, axis=1) > 0, order, -1)


class Bm25s:
    name = "bm25s (lucene, stems, stop words)"
    STEMMERS = {"en": "english", "fr": "french"}

    def _tokens(self, texts: list[str], languages: list[str]) -> list[list[str]]:
        import bm25s
        import Stemmer

        tokens: list[list[str]] = [[] for _ in texts]
        for code in sorted(set(languages)):
            rows = [i for i, lang in enumerate(languages) if lang == code]
            stemmer = Stemmer.Stemmer(self.STEMMERS[code])
            out = bm25s.tokenize([texts[i] for i in rows], stopwords=code, stemmer=stemmer.stemWords,
                                 return_ids=False, show_progress=False)
            for i, words in zip(rows, out):
                tokens[i] = list(words)
        return tokens

    def fit(self, bodies: list[str], languages: list[str]) -> None:
        import bm25s

        self.model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        self.model.index(self._tokens(bodies, languages), show_progress=False)
        self.n = len(bodies)

    def rank(self, queries: list[str], languages: list[str]) -> np.ndarray:
        tokens = self._tokens(queries, languages)
        ranked = np.full((len(queries), 10), -1, dtype=np.int64)
        vocab = self.model.vocab_dict
        known = [[t for t in q if t in vocab] for q in tokens]
        rows = [i for i, q in enumerate(known) if q]
        if rows:
            docs, scores = self.model.retrieve([known[i] for i in rows], k=10, show_progress=False, n_threads=1)
            for row, d, s in zip(rows, docs, scores):
                ranked[row] = np.where(s > 0, d, -1)
        return ranked


class Themescope:
    def __init__(self, cross_language: bool) -> None:
        self.cross_language = cross_language
        self.name = f"themescope Explorer(cross_language={cross_language})"

    def fit(self, bodies: list[str], languages: list[str]) -> None:
        import themescope as ts

        self.explorer = ts.Explorer(cross_language=self.cross_language).fit(bodies)

    def rank(self, queries: list[str], languages: list[str]) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # queries sharing no term: counted as misses
            indices, _ = self.explorer.query(queries, k=10)
        return indices


def known_item(task: str, bodies: list[str], titles: list[str], languages: list[str], repeat: int) -> list[dict[str, Any]]:
    systems = (SklearnCosine(), Bm25s(), Themescope(False), Themescope(True))
    fit_times, rankings = [], []
    for system in systems:
        start = time.perf_counter()
        system.fit(bodies, languages)
        fit_times.append(time.perf_counter() - start)
    # Timed in turns (one run of each system, then again), so that a busy spell of the shared
    # machine falls on every system alike.
    times: list[list[float]] = [[] for _ in systems]
    for _ in range(repeat):
        for number, system in enumerate(systems):
            ranked, seconds = timed(lambda: system.rank(titles, languages), 1)
            times[number] += seconds
            if len(rankings) < len(systems):
                rankings.append(ranked)
    rows = []
    for system, fit_seconds, ranked, seconds in zip(systems, fit_times, rankings, times):
        qps = sorted(len(titles) / t for t in seconds)
        row = {"task": task, "system": system.name, **metrics(ranked, bodies), "queries": len(titles),
               "qps_min": qps[0], "qps_median": statistics.median(qps), "qps_max": qps[-1], "fit_s": fit_seconds}
        rows.append(row)
        print(f"{task:14s} {system.name:42s} r@1 {row['r@1']:.4f}  r@10 {row['r@10']:.3f}  MRR {row['MRR']:.3f}  "
              f"q/s {qps[0]:8.0f} / {row['qps_median']:8.0f} / {qps[-1]:8.0f}  (fit {fit_seconds:.1f} s)", flush=True)
    return rows


def hand_queries() -> list[dict[str, Any]]:
    sys.path.insert(0, str(REPO / "tests" / "python"))
    from test_search import HAND_QUERIES  # the test's own list: one source of truth

    import themescope as ts

    articles = ts.datasets.load_sample_articles()
    rows = []
    for cross_language in (False, True):
        ex = ts.Explorer(cross_language=cross_language).fit(articles.data, ids=articles.ids)
        for query, expected, needs_cross_language in HAND_QUERIES:
            if needs_cross_language and not cross_language:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = ex.search(query, k=3)["id"].tolist()
            rows.append({"query": query, "cross_language": cross_language, "expected": expected,
                         "first": found[0] if found else None, "ok": bool(found) and found[0] in expected})
    hits = sum(r["ok"] for r in rows)
    print(f"sample articles: {hits}/{len(rows)} hand queries give an expected article first")
    for r in rows:
        if not r["ok"]:
            print(f"   miss: {r['query']!r} (cross_language={r['cross_language']}): first {r['first']}, expected {r['expected']}")
    return rows


def collection_100k(bodies: list[str], n: int = 100_000) -> list[str]:
    docs = []
    copy = 0
    while len(docs) < n:
        for body in bodies:
            words = body[:1500].split()
            # One word in 20 left out, at an offset that changes with the copy: no two copies alike.
            docs.append(" ".join(w for i, w in enumerate(words) if (i + copy) % 20 != 0))
            if len(docs) == n:
                break
        copy += 1
    return docs


def latency_100k(bodies: list[str], languages: list[str], queries: list[str], repeat: int) -> dict[str, Any]:
    import themescope as ts

    docs = collection_100k(bodies)
    doc_languages = (languages * (len(docs) // len(languages) + 1))[: len(docs)]
    print(f"100K collection: {len(docs)} articles, {sum(len(d) for d in docs) / 1e6:.0f} MB", flush=True)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    ex = ts.Explorer().fit(docs)
    out["themescope_fit_s"] = time.perf_counter() - start
    peer = Bm25s()
    start = time.perf_counter()
    peer.fit(docs, doc_languages)
    out["bm25s_fit_s"] = time.perf_counter() - start
    for name, one in (("themescope", lambda q: ex.query([q], k=10)),
                      ("bm25s", lambda q: peer.rank([q], ["en"]))):
        samples = []
        for _ in range(repeat):
            for q in queries:
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    one(q)
                samples.append((time.perf_counter() - start) * 1e3)
        out[name] = {"ms_min": min(samples), "ms_median": statistics.median(samples), "ms_max": max(samples),
                     "ms_p95": float(np.percentile(samples, 95))}
        print(f"100K one short query, {name:10s}: min {out[name]['ms_min']:.2f} ms, median {out[name]['ms_median']:.2f} ms, "
              f"p95 {out[name]['ms_p95']:.2f} ms, max {out[name]['ms_max']:.2f} ms "
              f"({len(samples)} queries)", flush=True)
    print(f"100K fit: themescope {out['themescope_fit_s']:.0f} s, bm25s {out['bm25s_fit_s']:.0f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-100k", action="store_true")
    args = parser.parse_args()
    import themescope as ts

    print(f"threads: {ts.get_num_threads()}; the machine may be shared: compare ratios within this run")
    report: dict[str, Any] = {"known_item": []}
    bbc = bbc_task()
    report["known_item"] += known_item("BBC", *bbc, repeat=args.repeat)
    report["known_item"] += known_item("gilets-jaunes", *gilets_jaunes_task(), repeat=args.repeat)
    report["hand_queries"] = hand_queries()
    if not args.skip_100k:
        report["latency_100k"] = latency_100k(bbc[0] + gilets_jaunes_task()[0], bbc[2] + gilets_jaunes_task()[2],
                                              bbc[1][:50], repeat=args.repeat)
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "eval_search.json").write_text(json.dumps(report, indent=2, default=float))


if __name__ == "__main__":
    main()
