"""ts.Explorer on real corpora (issue 5 acceptance): BBC news and the gilets jaunes press.

BBC: 2,225 articles in 5 topics. With default options, ``cluster(5)`` must reach
NMI >= 0.88 against the topics (scikit-learn's TfidfVectorizer + KMeans: 0.70 with
defaults, 0.87 tuned by hand), give the same labels on 1 and 2 threads and on a
rerun, find all 98 exact-duplicate pairs, and its clusters' themes must read as
the topics. Gilets jaunes: NMI of k=2 against gilets_jaunes/contrast, with and
without cross-language features (reported).
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

import themescope as ts
from themescope._themes import cluster_concentration
from themescope.explorer import class_tfidf

pytestmark = pytest.mark.corpus
log = logging.getLogger(__name__)

# A few obvious words of each BBC topic; a cluster's top-10 theme terms (display
# forms of the stems) must contain one of its majority topic's.
OBVIOUS = {
    "business": {"company", "market", "bank", "economy", "firm", "shares", "growth", "sales", "profits", "prices"},
    "entertainment": {"film", "music", "award", "awards", "star", "show", "band", "album", "actor", "oscar"},
    "politics": {"labour", "election", "blair", "party", "government", "tory", "tories", "minister", "brown"},
    "sport": {"game", "match", "win", "players", "team", "england", "cup", "season", "champion", "coach"},
    "tech": {"technology", "mobile", "phone", "software", "users", "computer", "net", "digital", "broadband"},
}


@pytest.fixture(scope="module")
def bbc_labels(bbc_raw: list[tuple[str, str, bytes]]) -> list[str]:
    return [label for label, _, _ in bbc_raw]


@pytest.fixture(scope="module")
def bbc_explorer(bbc_texts: list[str]) -> ts.Explorer:
    return ts.Explorer(random_state=0).fit(bbc_texts)


def test_bbc_clusters_are_the_topics(bbc_explorer: ts.Explorer, bbc_labels: list[str]) -> None:
    result = bbc_explorer.cluster(5)
    nmi = normalized_mutual_info_score(bbc_labels, result.labels_)
    ari = adjusted_rand_score(bbc_labels, result.labels_)
    log.info("BBC, Explorer defaults, cluster(5): NMI %.3f, ARI %.3f, sizes %s", nmi, ari, result.sizes_.tolist())
    assert nmi >= 0.88
    # A rerun gives the same labels.
    assert np.array_equal(bbc_explorer.cluster(5).labels_, result.labels_)
    agglomerative = bbc_explorer.cluster(5, method="agglomerative")
    log.info("BBC, agglomerative (Ward on LSA), 5 clusters: NMI %.3f, ARI %.3f",
             normalized_mutual_info_score(bbc_labels, agglomerative.labels_),
             adjusted_rand_score(bbc_labels, agglomerative.labels_))


def test_bbc_same_labels_on_one_and_two_threads(
        bbc_explorer: ts.Explorer, bbc_texts: list[str]) -> None:
    before = ts.get_num_threads()
    try:
        ts.set_num_threads(2)
        two = bbc_explorer.cluster(5).labels_
        two_neighbors = bbc_explorer.neighbors(k=5)
        ts.set_num_threads(1)
        single = ts.Explorer(random_state=0).fit(bbc_texts)
        assert (single.vectors_ != bbc_explorer.vectors_).nnz == 0
        assert np.array_equal(single.lsa_, bbc_explorer.lsa_)
        assert np.array_equal(single.cluster(5).labels_, two)
        one_neighbors = single.neighbors(k=5)
    finally:
        ts.set_num_threads(before)
    assert np.array_equal(one_neighbors[0], two_neighbors[0]) and np.array_equal(one_neighbors[1], two_neighbors[1])


def test_bbc_auto_number_of_clusters(bbc_explorer: ts.Explorer, bbc_labels: list[str]) -> None:
    result = bbc_explorer.cluster("auto")
    assert result.curve_ is not None and 2 <= result.n_clusters_ <= 20
    log.info("BBC, n_clusters='auto' picks %d (NMI %.3f, ARI %.3f); curve:\n%s", result.n_clusters_,
             normalized_mutual_info_score(bbc_labels, result.labels_),
             adjusted_rand_score(bbc_labels, result.labels_), result.curve_.to_string())


def test_bbc_duplicates_finds_every_exact_pair(
        bbc_explorer: ts.Explorer, bbc_raw: list[tuple[str, str, bytes]]) -> None:
    by_hash = collections.defaultdict(list)
    for index, (_, _, raw) in enumerate(bbc_raw):
        by_hash[hashlib.sha256(raw).hexdigest()].append(index)
    pairs = [tuple(group) for group in by_hash.values() if len(group) > 1]
    assert len(pairs) == 98 and all(len(pair) == 2 for pair in pairs)
    groups = bbc_explorer.duplicates()
    group_of = dict(zip(groups["index"], groups["group"]))
    missed = [pair for pair in pairs if pair[0] not in group_of or group_of[pair[0]] != group_of.get(pair[1])]
    log.info("BBC duplicates(threshold=0.9): %d groups, %d documents; exact pairs found %d of %d",
             groups["group"].nunique(), len(groups), len(pairs) - len(missed), len(pairs))
    assert missed == []


def test_bbc_themes_read_as_topics(bbc_explorer: ts.Explorer, bbc_labels: list[str]) -> None:
    result = bbc_explorer.cluster(5)
    themes = result.themes(n_terms=10)
    labels = np.asarray(bbc_labels)
    majorities = []
    for cluster in range(5):
        majority = collections.Counter(labels[result.labels_ == cluster]).most_common(1)[0][0]
        terms = themes[themes["cluster"] == cluster]["term"].tolist()
        log.info("cluster %d (%d docs, mostly %s): %s", cluster, result.sizes_[cluster], majority, ", ".join(terms))
        assert {term.lower() for term in terms} & OBVIOUS[majority], (majority, terms)
        majorities.append(majority)
    assert sorted(majorities) == sorted(OBVIOUS)


# Reporting and function words BBC's plain class-based TF-IDF ranks among every topic's best.
REPORTING = {"said", "mr", "also", "says"}


def test_bbc_themes_hold_no_reporting_word(bbc_explorer: ts.Explorer, bbc_labels: list[str]) -> None:
    result = bbc_explorer.cluster(5)
    nmi = normalized_mutual_info_score(bbc_labels, result.labels_)
    themes = result.themes(n_terms=8)
    assert REPORTING & {term.lower() for term in themes["term"]} == set()
    assert nmi >= 0.88
    # The general mechanism alone, without the news function words, does it: each term's
    # class-based TF-IDF times its concentration in some clusters.
    per_cluster = sp.csr_array(
        (np.ones(len(result.labels_)), (result.labels_, np.arange(len(result.labels_))))) @ bbc_explorer.counts_
    plain = class_tfidf(per_cluster)
    weighted = plain * cluster_concentration(per_cluster)
    names = bbc_explorer.feature_names_
    top = {str(names[t]) for row in weighted for t in np.argsort(-row, kind="stable")[:8]}
    before = {str(names[t]) for row in plain for t in np.argsort(-row, kind="stable")[:8]}
    log.info("BBC top-8 themes, reporting words: %s with plain c-TF-IDF, %s with concentration",
             sorted(REPORTING & before), sorted(REPORTING & top))
    assert REPORTING & top == set()


@pytest.fixture(scope="module")
def gilets_jaunes(corpora_dir: Path) -> list[dict[str, str]]:
    path = corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.parametrize("cross_language", [False, True], ids=["monolingual", "cross_language"])
def test_gilets_jaunes_two_clusters(gilets_jaunes: list[dict[str, str]], cross_language: bool) -> None:
    texts = [record["text"] for record in gilets_jaunes]
    labels = [record["label"] for record in gilets_jaunes]
    # five pages cut into short lines are kept whole by the boilerplate stage (test_boilerplate.py)
    with pytest.warns(UserWarning, match="5 of 3112 documents not laid out like scraped web pages"):
        ex = ts.Explorer(cross_language=cross_language).fit(texts, ids=[record["id"] for record in gilets_jaunes])
    result = ex.cluster(2)
    nmi = normalized_mutual_info_score(labels, result.labels_)
    ari = adjusted_rand_score(labels, result.labels_)
    languages = collections.Counter(zip(ex.languages_, (record["lang"] for record in gilets_jaunes)))
    log.info("gilets jaunes, cross_language=%s, cluster(2): NMI %.3f, ARI %.3f, sizes %s; themes %s; "
             "detected vs given languages %s", cross_language, nmi, ari, result.sizes_.tolist(),
             result.names_.tolist(), dict(languages))
    assert ex.languages_.tolist().count("en") >= 400
    given = np.array([record["lang"] for record in gilets_jaunes])
    by_language = {lang: normalized_mutual_info_score(np.array(labels)[given == lang], result.labels_[given == lang])
                   for lang in ("fr", "en")}
    log.info("per language NMI %s; NMI with the language %.3f", by_language,
             normalized_mutual_info_score(given, result.labels_))
    if cross_language:
        # Measured: NMI 0.403 (fr 0.433, en 0.273); the clusters are not the languages (NMI 0.002).
        # Without per-language centring both halves were the languages (NMI 0.012 with the labels).
        assert nmi > 0.3 and by_language["fr"] > 0.3 and by_language["en"] > 0.15
        assert normalized_mutual_info_score(given, result.labels_) < 0.05
    else:
        # Monolingual vectors: two clusters are the two languages (measured NMI 0.012 with the labels).
        assert nmi < 0.1
