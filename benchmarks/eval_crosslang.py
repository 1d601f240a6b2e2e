"""Cross-language story matching without embeddings: does ts.CrossLanguageFeatures help?

Three measurements, all cosine similarity on L2-normalised rows:

1. **Sample articles** (`ts.datasets.load_sample_articles()`): 000 (French) and 002 (English)
   report the same Quad summit. With cross-language on they must be each other's nearest
   neighbour among the five; their shared top features are printed (what a note shows).
2. **Debian Administrator's Handbook**, 127 parallel chapters
   (`/usr/share/doc/debian-handbook/html/{fr-FR,en-US}/<same>.html`, Debian package
   `debian-handbook`), HTML to text with lxml (navigation banner and links bar removed). Every
   system is fitted on the 254 chapters together; each French chapter ranks the 127 English
   ones; recall@1 and MRR of its own translation. Systems: themescope in-language only
   (`TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)`), themescope
   with cross-language features joined by `ts.cross_language_vectors`, scikit-learn
   `TfidfVectorizer()` (one vocabulary over both languages) and scikit-learn character n-grams
   (`analyzer="char_wb", ngram_range=(4, 5), strip_accents="unicode"`).
3. **Gilets jaunes** press (../shared/corpora/gilets_jaunes_fr_en, 2,691 FR + 421 EN, labels
   gilets_jaunes / contrast), fitted on all 3,112: for the 176 EN gilets-jaunes articles, the
   share whose 5 nearest neighbours include a FR gilets-jaunes article ("EN->FR link"), the
   share of those neighbours labelled gilets_jaunes ("label P@5", must not drop), and for all
   421 EN articles whether the nearest FR article has the same label ("nearest FR label").

The weight of the features is chosen on the Handbook (best MRR over a grid) and validated, as it
is, on the gilets-jaunes corpus and the sample pair. The ablation runs each channel alone, all
channels but one, the n-gram channel added, no language filter (`min_languages=1`) and other
cognate prefix lengths.

    .venv/bin/python benchmarks/eval_crosslang.py [--quick]

tests/python/test_crosslang.py runs the same code and asserts the margins.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parent.parent
HANDBOOK = Path("/usr/share/doc/debian-handbook/html")
CORPORA = REPO.parent / "shared" / "corpora"
WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

import themescope as ts  # noqa: E402


# ---------------------------------------------------------------- corpora
def html_text(path: Path) -> str:
    """The readable text of one Handbook page (lxml; banner and navigation dropped)."""
    import lxml.html

    root = lxml.html.parse(str(path)).getroot()
    for bad in root.xpath("//script | //style | //*[@id='banner'] | //*[contains(@class, 'docnav')]"):
        bad.drop_tree()
    body = root.find("body")
    return " ".join((body if body is not None else root).text_content().split())


@dataclass
class Parallel:
    names: list[str]
    fr: list[str]
    en: list[str]


def load_handbook(root: Path = HANDBOOK) -> Parallel | None:
    """The chapters present in both fr-FR and en-US, by file name; None when not installed."""
    if not (root / "fr-FR").is_dir() or not (root / "en-US").is_dir():
        return None
    names = sorted(p.name for p in (root / "fr-FR").glob("*.html") if (root / "en-US" / p.name).is_file())
    return Parallel(names, [html_text(root / "fr-FR" / n) for n in names],
                    [html_text(root / "en-US" / n) for n in names])


def load_handbook_paragraphs(root: Path = HANDBOOK, min_words: int = 30) -> Parallel | None:
    """Aligned paragraphs (`div.para`) of the chapters whose FR and EN pages have as many.

    A harder test than whole chapters, where chapter numbers, titles and commands make every
    system near perfect: paragraphs of at least `min_words` English words, news-brief size.
    """
    import lxml.html

    if not (root / "fr-FR").is_dir() or not (root / "en-US").is_dir():
        return None

    def paragraphs(path: Path) -> list[str]:
        page = lxml.html.parse(str(path)).getroot()
        return [" ".join(p.text_content().split()) for p in page.xpath("//div[@class='para']")]

    names: list[str] = []
    fr: list[str] = []
    en: list[str] = []
    for name in sorted(p.name for p in (root / "fr-FR").glob("*.html")):
        if not (root / "en-US" / name).is_file():
            continue
        a, b = paragraphs(root / "fr-FR" / name), paragraphs(root / "en-US" / name)
        if len(a) != len(b):
            continue
        for k, (x, y) in enumerate(zip(a, b)):
            if len(y.split()) >= min_words:
                names.append(f"{name}#{k}")
                fr.append(x)
                en.append(y)
    return Parallel(names, fr, en)


@dataclass
class Press:
    texts: list[str]
    languages: list[str]
    labels: list[str]


def load_gilets_jaunes(corpora: Path = CORPORA) -> Press | None:
    path = corpora / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    if not path.is_file():
        return None
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [(r["title"] + "\n" if r.get("title") else "") + r["text"] for r in records]
    return Press(texts, [r["lang"] for r in records], [r["label"] for r in records])


# ---------------------------------------------------------------- systems
def in_language(texts: list[str]) -> sp.csr_array:
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
    return sp.csr_array(vectorizer.fit_transform(texts))


def features(texts: list[str], **params: Any) -> tuple[sp.csr_array, Any]:
    xl = ts.CrossLanguageFeatures(**params)
    return xl.fit_transform(texts), xl


def sklearn_word(texts: list[str]) -> sp.csr_array:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return sp.csr_array(TfidfVectorizer().fit_transform(texts))


def sklearn_char(texts: list[str]) -> sp.csr_array:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), strip_accents="unicode")
    return sp.csr_array(vectorizer.fit_transform(texts))


# ---------------------------------------------------------------- measures
def retrieval(V: sp.csr_array, n: int) -> tuple[float, float]:
    """Rows 0..n-1 query rows n..2n-1; row i's answer is row n+i. (recall@1, MRR)."""
    S = (V[:n] @ V[n:].T).toarray()
    own = S[np.arange(n), np.arange(n)]
    # rank = 1 + candidates strictly better; ties count against the system
    rank = 1 + (S > own[:, None]).sum(axis=1) + ((S == own[:, None]).sum(axis=1) - 1)
    return float(np.mean(rank == 1)), float(np.mean(1.0 / rank))


def top_k(V: sp.csr_array, rows: np.ndarray, k: int, among: np.ndarray | None = None) -> np.ndarray:
    """The k nearest rows (cosine, self excluded) of each of `rows`, best first, by blocks."""
    out = []
    candidates = np.arange(V.shape[0]) if among is None else among
    C = V[candidates]
    for start in range(0, len(rows), 256):
        block = rows[start:start + 256]
        S = (V[block] @ C.T).toarray()
        S[candidates[None, :] == block[:, None]] = -np.inf
        part = np.argpartition(-S, min(k, S.shape[1] - 1), axis=1)[:, :k]
        order = np.take_along_axis(-S, part, axis=1).argsort(axis=1, kind="stable")
        out.append(candidates[np.take_along_axis(part, order, axis=1)])
    return np.vstack(out)


def press_scores(V: sp.csr_array, press: Press) -> dict[str, float]:
    languages = np.asarray(press.languages)
    labels = np.asarray(press.labels)
    en_gj = np.flatnonzero((languages == "en") & (labels == "gilets_jaunes"))
    neighbours = top_k(V, en_gj, 5)
    link = ((languages[neighbours] == "fr") & (labels[neighbours] == "gilets_jaunes")).any(axis=1).mean()
    precision = (labels[neighbours] == "gilets_jaunes").mean()
    en = np.flatnonzero(languages == "en")
    nearest_fr = top_k(V, en, 1, among=np.flatnonzero(languages == "fr"))[:, 0]
    agreement = (labels[nearest_fr] == labels[en]).mean()
    return {"link": float(link), "precision": float(precision), "nearest_fr": float(agreement)}


def sample_pair(weight: float, **params: Any) -> dict[str, Any]:
    articles = ts.datasets.load_sample_articles()
    texts = list(articles.data)
    X = in_language(texts)
    F, xl = features(texts, **params)
    V = ts.cross_language_vectors(X, F, weight)
    S = (V @ V.T).toarray()
    np.fill_diagonal(S, -np.inf)
    shared = xl.shared_features(F, 0, 2, top=10)
    return {"nearest_of_000": int(S[0].argmax()), "nearest_of_002": int(S[2].argmax()),
            "cosine": float(S[0, 2]), "shared": shared,
            "tfidf_only": {"nearest_of_000": int(np.where(np.eye(5, dtype=bool), -np.inf,
                                                           (X @ X.T).toarray())[0].argmax()),
                           "nearest_of_002": int(np.where(np.eye(5, dtype=bool), -np.inf,
                                                           (X @ X.T).toarray())[2].argmax())}}


# ---------------------------------------------------------------- the run
_ALL = ("names", "numbers", "acronyms", "cognates", "ngrams")
ABLATION: list[tuple[str, dict[str, Any]]] = (
    [("default (all five channels)", {})]
    + [(f"{c} only", {"channels": (c,)}) for c in _ALL]
    + [(f"default - {c}", {"channels": tuple(x for x in _ALL if x != c)}) for c in _ALL]
    + [
        ("default, min_languages=1 (no language filter)", {"min_languages": 1}),
        ("default, cognate_prefix=0 (whole stems)", {"cognate_prefix": 0}),
        ("default, cognate_prefix=5", {"cognate_prefix": 5}),
    ]
)


def evaluate_handbook(book: Parallel, params: dict[str, Any], weights: tuple[float, ...]) -> dict[str, Any]:
    texts = book.fr + book.en
    n = len(book.fr)
    X = in_language(texts)
    F, _ = features(texts, **params)
    result: dict[str, Any] = {"features_only": retrieval(F, n)}
    for w in weights:
        result[w] = retrieval(ts.cross_language_vectors(X, F, w), n)
    return result


def main(quick: bool = False) -> None:
    book = load_handbook()
    press = load_gilets_jaunes()
    chosen = ts.crosslang.DEFAULT_WEIGHT

    if book is None:
        print("Debian Handbook not installed (apt-get install debian-handbook): part 2 skipped")
    else:
        for title, parallel in (("chapters", book), ("paragraphs", load_handbook_paragraphs())):
            assert parallel is not None
            texts = parallel.fr + parallel.en
            n = len(parallel.fr)
            X = in_language(texts)
            F, _ = features(texts)
            if title == "paragraphs":
                sweep = evaluate_handbook(parallel, {}, WEIGHTS)
                best = max(WEIGHTS, key=lambda w: (round(sweep[w][1], 3), -w))
                print(f"\n## Debian Handbook FR->EN {title}, {n} pairs: weight sweep (default channels)")
                print("| weight | R@1 | MRR |\n|---|---|---|")
                for w in WEIGHTS:
                    print(f"| {w} | {sweep[w][0]:.3f} | {sweep[w][1]:.3f} |")
                print(f"| features only | {sweep['features_only'][0]:.3f} | {sweep['features_only'][1]:.3f} |")
                print(f"smallest weight with the best MRR (3 decimals): {best}; DEFAULT_WEIGHT = {chosen}")
            rows = [
                ("themescope in-language only", retrieval(X, n)),
                (f"themescope cross_language (weight {chosen})",
                 retrieval(ts.cross_language_vectors(X, F, chosen), n)),
                ("scikit-learn word TF-IDF", retrieval(sklearn_word(texts), n)),
                ("scikit-learn char_wb (4, 5)", retrieval(sklearn_char(texts), n)),
            ]
            print(f"\n## Debian Handbook FR->EN {title}, {n} pairs")
            print("| system | R@1 | MRR |\n|---|---|---|")
            for name, (r1, mrr) in rows:
                print(f"| {name} | {r1:.3f} | {mrr:.3f} |")

    if press is not None:
        X = in_language(press.texts)
        F, _ = features(press.texts)
        print(f"\n## Gilets jaunes, {len(press.texts)} articles (validation of the weight)")
        print("| weight | EN->FR link@5 | label P@5 | nearest FR label |\n|---|---|---|---|")
        base = press_scores(X, press)
        print(f"| 0 (in-language only) | {base['link']:.3f} | {base['precision']:.3f} | {base['nearest_fr']:.3f} |")
        for w in (WEIGHTS if not quick else (chosen,)):
            s = press_scores(ts.cross_language_vectors(X, F, w), press)
            mark = " (default)" if w == chosen else ""
            print(f"| {w}{mark} | {s['link']:.3f} | {s['precision']:.3f} | {s['nearest_fr']:.3f} |")

    pair = sample_pair(chosen)
    print("\n## Sample articles 000 (fr) / 002 (en)")
    print(f"in-language only: nearest of 000 = {pair['tfidf_only']['nearest_of_000']:03d}, "
          f"of 002 = {pair['tfidf_only']['nearest_of_002']:03d}")
    print(f"cross-language (weight {chosen}): nearest of 000 = {pair['nearest_of_000']:03d}, "
          f"of 002 = {pair['nearest_of_002']:03d}, cosine {pair['cosine']:.3f}")
    print("shared top features:", ", ".join(f"{f} ({c:.3f})" for f, c in pair["shared"].values.tolist()))

    if quick:
        return
    paragraphs = load_handbook_paragraphs()
    print(f"\n## Ablation (Handbook FR->EN paragraphs MRR; gilets jaunes at weight {chosen})")
    print("| features | Handbook MRR features only | Handbook MRR joined | GJ link@5 | GJ label P@5 | GJ nearest FR label |")
    print("|---|---|---|---|---|---|")
    for name, params in ABLATION:
        cells = [name]
        if paragraphs is not None:
            r = evaluate_handbook(paragraphs, params, (chosen,))
            cells += [f"{r['features_only'][1]:.3f}", f"{r[chosen][1]:.3f}"]
        else:
            cells += ["-", "-"]
        if press is not None:
            F, _ = features(press.texts, **params)
            s = press_scores(ts.cross_language_vectors(X, F, chosen), press)
            cells += [f"{s['link']:.3f}", f"{s['precision']:.3f}", f"{s['nearest_fr']:.3f}"]
        else:
            cells += ["-", "-", "-"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
