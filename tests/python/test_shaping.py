"""Issue 20, items 4 and 5: a cluster's articles, merge, rename, find_themes, and the rich displays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import normalize

import themescope as ts
from themescope.explorer import Clustering


@pytest.fixture(scope="module")
def explorer(news_sample: pd.DataFrame) -> ts.Explorer:
    return ts.Explorer(cross_language=True).fit(news_sample)


@pytest.fixture
def clusters(explorer: ts.Explorer) -> Clustering:
    # 000 (fr), 001 (fr) and 002 (en) are about the Quad; 003 and 004 about China and Russian cyberattacks
    result = Clustering(explorer, np.array([0, 0, 0, 1, 1]), "kmeans")
    explorer.clusters_ = result
    return result


# ---- documents ----

def test_documents_are_the_members_most_representative_first(clusters: Clustering) -> None:
    table = clusters.documents(0)
    assert table.columns.tolist() == ["rank", "index", "id", "title", "score", "top_terms"]
    assert sorted(table["id"]) == ["000", "001", "002"]
    # oracle: cosine of each member's LSA vector with the normalised mean of the members'
    lsa = clusters.explorer.lsa_
    centroid = normalize(lsa[[0, 1, 2]].mean(axis=0, keepdims=True))[0]
    expected = {i: float(lsa[i] @ centroid) for i in (0, 1, 2)}
    assert table["score"].tolist() == pytest.approx([expected[i] for i in table["index"]])
    assert (np.diff(table["score"]) <= 0).all()
    titles = dict(zip(clusters.explorer.ids_, clusters.explorer.metadata_["title"]))
    assert table["title"].tolist() == [titles[i] for i in table["id"]]
    top = clusters.explorer.top_terms(5)
    for row in table.itertuples():
        assert row.top_terms == ", ".join(top.loc[top["document"] == row.id, "term"])
    assert clusters.documents(0, n=1)["id"].tolist() == table["id"].tolist()[:1]


def test_documents_by_name_and_bad_cluster_ids(clusters: Clustering) -> None:
    assert clusters.documents(clusters.names_[1])["id"].tolist() == clusters.documents(1)["id"].tolist()
    with pytest.raises(ValueError, match=r"cluster 2 does not exist: the clusters are 0\.\.1"):
        clusters.documents(2)
    with pytest.raises(ValueError, match="cluster -1 does not exist"):
        clusters.documents(-1)
    with pytest.raises(ValueError, match=r"no cluster is named 'Brexit'"):
        clusters.documents("Brexit")
    with pytest.raises(TypeError, match="a cluster is its number"):
        clusters.documents(True)
    with pytest.raises(TypeError, match="a cluster is its number"):
        clusters.documents(1.0)  # type: ignore[arg-type]


# ---- rename and merge ----

def test_rename_is_used_in_every_later_table_and_figure(clusters: Clustering) -> None:
    assert clusters.rename({0: "Quad summit"}) is clusters
    assert clusters.names_.tolist()[0] == "Quad summit"
    assert clusters.summary()["name"].tolist()[0] == "Quad summit"
    legend = [t.get_text() for t in clusters.explorer.plot_map(clusters).axes[0].get_legend().get_texts()]
    assert legend[0].startswith("0: Quad summit")
    assert "0: Quad summit" in [t.get_text() for t in clusters.plot_dendrogram().axes[0].get_yticklabels()]
    assert [ax.get_title() for ax in clusters.plot_themes().axes] == ["0: Quad summit (3 docs)", "cluster 1 (2 docs)"]
    assert "Quad summit" in clusters._repr_html_()
    assert clusters.explorer.find_themes("Quad summit", k=1, clusters=clusters)["name"].tolist() == ["Quad summit"]
    # rename by name too
    clusters.rename({"Quad summit": "Quad"})
    assert clusters.names_.tolist()[0] == "Quad"


def test_rename_bad_input(clusters: Clustering) -> None:
    with pytest.raises(ValueError, match="cluster 5 does not exist"):
        clusters.rename({5: "x"})
    with pytest.raises(ValueError, match="must be a non-empty str"):
        clusters.rename({0: "  "})
    with pytest.raises(ValueError, match="two clusters would be named 'Same'"):
        clusters.rename({0: "Same", 1: "Same"})
    assert clusters.names_.tolist()[0] != "Same"  # nothing changed by a refused rename
    with pytest.raises(TypeError, match="names must be a mapping"):
        clusters.rename(["x"])  # type: ignore[arg-type]


def test_merge_makes_one_cluster_and_leaves_the_original(explorer: ts.Explorer) -> None:
    three = Clustering(explorer, np.array([0, 0, 1, 2, 2]), "kmeans")
    explorer.clusters_ = three
    # numbered by size (ties: first article first): 000-001 are 0, 003-004 are 1, 002 is 2
    assert three.labels_.tolist() == [0, 0, 2, 1, 1]
    three.rename({2: "English Quad", 0: "French Quad"})
    merged = three.merge([0, "English Quad"])
    assert three.labels_.tolist() == [0, 0, 2, 1, 1] and three.n_clusters_ == 3
    assert merged.n_clusters_ == 2 and merged.sizes_.tolist() == [3, 2]
    assert merged.labels_.tolist() == [0, 0, 0, 1, 1]
    assert merged.names_.tolist()[0] == "French Quad + English Quad"
    assert merged.names_.tolist()[1] == Clustering(explorer, np.array([0, 0, 0, 1, 1]), "kmeans").names_[1]
    assert merged.linkage_ is None
    assert explorer.clusters_ is merged  # later figures and reports show the merge
    assert explorer.map2d()["cluster"].tolist() == merged.labels_.tolist()


def test_merge_bad_input(clusters: Clustering) -> None:
    with pytest.raises(ValueError, match="at least two different clusters"):
        clusters.merge([0, 0])
    with pytest.raises(ValueError, match="cluster 9 does not exist"):
        clusters.merge([0, 9])
    with pytest.raises(TypeError, match="a list of clusters"):
        clusters.merge(0)  # type: ignore[arg-type]


# ---- find_themes ----

def test_find_themes_ranks_clusters_by_cosine_with_their_centroid(news_sample: pd.DataFrame) -> None:
    # without boilerplate removal, transform() reads a text exactly as find_themes reads a question
    ex = ts.Explorer(cross_language=True, boilerplate=False).fit(news_sample)
    clusters = ex.cluster(2)
    question = ts.datasets.load_sample_articles().data[4][:800]  # long enough to tell its language
    found = ex.find_themes(question, k=5)
    assert found.columns.tolist() == ["rank", "cluster", "name", "score", "size", "themes", "example"]
    # oracle: the question as transform() gives it, against each cluster's normalised mean vector
    query = ex.transform([question]).toarray()[0]
    vectors = ex.vectors_.toarray()
    expected = [float(normalize(vectors[clusters.labels_ == c].sum(axis=0, keepdims=True))[0] @ query)
                for c in range(2)]
    assert found["cluster"].tolist() == list(np.argsort(expected)[::-1])
    assert found["score"].tolist() == pytest.approx(sorted(expected, reverse=True))
    assert clusters.labels_[4] == found["cluster"].iloc[0]


def test_find_themes_in_french_and_english(clusters: Clustering) -> None:
    ex = clusters.explorer
    for question in ("Quad summit", "le sommet du Quad", "cyberattaques russes"):
        found = ex.find_themes(question, k=2)
        assert len(found) >= 1, question
    assert ex.find_themes("Quad summit", k=1)["cluster"].tolist() == [0]
    assert ex.find_themes("le sommet du Quad", k=1)["cluster"].tolist() == [0]
    assert ex.find_themes("cyberattaques russes", k=1)["cluster"].tolist() == [1]
    assert ex.find_themes("Quad summit", k=1, language="en")["cluster"].tolist() == [0]


def test_find_themes_bad_input(clusters: Clustering) -> None:
    ex = clusters.explorer
    with pytest.raises(ValueError, match="empty string"):
        ex.find_themes("")
    with pytest.raises(ValueError, match="empty string"):
        ex.find_themes("  \n")
    with pytest.raises(TypeError, match="text must be a str"):
        ex.find_themes(["Quad"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k=0 is out of range"):
        ex.find_themes("Quad", k=0)
    with pytest.raises(TypeError, match="language must be a str"):
        ex.find_themes("Quad", language=3)  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="no cluster shares a term with 'xyzzy'"):
        assert ex.find_themes("xyzzy").empty
    with pytest.raises(Exception, match="not fitted"):
        ts.Explorer().find_themes("Quad")


# ---- displays ----

def test_clustering_html_is_a_table_with_names_sizes_themes_and_an_escaped_example(clusters: Clustering) -> None:
    markup = clusters._repr_html_()
    assert markup.count("<tr>") == 1 + 2
    for c in range(2):
        assert clusters.names_[c] in markup
    assert "Quad summit: &lt;cyber&gt; pledge" in markup or "Le Quad s&#x27;allie" in markup
    assert "<cyber>" not in markup
    assert repr(clusters) == "<Clustering method='kmeans' n_clusters=2 sizes=[3, 2]>"


def test_explorer_displays_documents_languages_dates_boilerplate_vectors(explorer: ts.Explorer) -> None:
    markup = explorer._repr_html_()
    for expected in ("documents", "fr 4, en 1", "2021-09-21 to 2021-10-05 (1 without a date)",
                     "boilerplate removed", "vectors", "cross-language"):
        assert expected in markup, expected
    text = repr(explorer)
    assert "\n" not in text
    assert text.startswith("Explorer(cross_language=True)  # fitted: 5 documents; fr 4, en 1; 2021-09-21 to 2021-10-05")
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/html"] == markup and bundle["text/plain"] == text
    # unfitted: scikit-learn's own displays
    fresh = ts.Explorer(min_df=1)
    assert repr(fresh) == "Explorer(min_df=1)"
    assert "sk-" in fresh._repr_html_()
