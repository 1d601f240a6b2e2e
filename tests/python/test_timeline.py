"""Issue 20, item 2: themes over time and by group, against hand-counted tables and pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import themescope as ts
from themescope.explorer import Clustering
from themescope.metadata import UnparsedDateWarning


@pytest.fixture(scope="module")
def explorer() -> ts.Explorer:
    articles = ts.datasets.load_sample_articles()
    frame = pd.DataFrame({
        "id": articles.ids, "text": articles.data,
        # Mondays: 2021-09-20, 09-27, 10-04. Week of 09-27 has no article.
        "date": ["2021-09-24", "2021-09-25", "2021-09-21", "2021-10-05", None],
        "outlet": ["Le Monde", "Le Figaro", "Guardian", "Le Monde", None],
    })
    return ts.Explorer().fit(frame)


@pytest.fixture
def clusters(explorer: ts.Explorer) -> Clustering:
    # chosen labels, so that every count below is worked by hand: 000-002 are cluster 0, 003-004 cluster 1
    return Clustering(explorer, np.array([0, 0, 0, 1, 1]), "kmeans")


def test_over_time_by_week_counts_every_period_and_cluster(clusters: Clustering) -> None:
    table = clusters.over_time("W")
    assert table.columns.tolist() == ["period", "cluster", "name", "count", "share"]
    dated = table[table["period"].notna()]
    assert dated["period"].tolist() == [pd.Timestamp(d) for d in
                                        ["2021-09-20", "2021-09-20", "2021-09-27", "2021-09-27",
                                         "2021-10-04", "2021-10-04"]]
    assert dated["cluster"].tolist() == [0, 1, 0, 1, 0, 1]
    assert dated["count"].tolist() == [3, 0, 0, 0, 0, 1]
    shares = dated["share"].tolist()
    assert shares[0] == 1.0 and shares[1] == 0.0 and np.isnan(shares[2]) and np.isnan(shares[3])
    assert shares[4:] == [0.0, 1.0]
    assert dated["name"].tolist() == [clusters.names_[c] for c in dated["cluster"]]


def test_articles_without_a_date_are_counted_never_dropped(clusters: Clustering) -> None:
    table = clusters.over_time("M")
    undated = table[table["period"].isna()]
    assert undated["count"].tolist() == [0, 1] and undated["share"].tolist() == [0.0, 1.0]
    assert table.attrs["undated"] == 1
    assert int(table["count"].sum()) == 5
    # by month, against pandas' own grouping of the dated articles
    dates = clusters.explorer.metadata_["date"]
    expected = pd.crosstab(dates.dt.to_period("M").dt.start_time, clusters.labels_).stack()
    got = table[table["period"].notna()].set_index(["period", "cluster"])["count"]
    assert got.to_dict() == {k: int(v) for k, v in expected.items()}


def test_over_time_by_day_spans_first_to_last_date(clusters: Clustering) -> None:
    table = clusters.over_time("D")
    days = table["period"].dropna().unique()
    assert len(days) == (pd.Timestamp("2021-10-05") - pd.Timestamp("2021-09-21")).days + 1


def test_over_time_bad_input(clusters: Clustering) -> None:
    with pytest.raises(ValueError, match=r"freq must be one of \['D', 'W', 'M'\].*got 'Y'"):
        clusters.over_time("Y")
    with pytest.raises(ValueError, match=r"no metadata column 'published'.*'date', 'outlet', 'language'"):
        clusters.over_time(column="published")
    with pytest.raises(TypeError, match="column must be a str"):
        clusters.over_time(column=3)  # type: ignore[arg-type]


def test_over_time_of_a_string_column_parses_and_reports(explorer: ts.Explorer) -> None:
    frame = pd.DataFrame({"id": explorer.ids_, "text": ts.datasets.load_sample_articles().data,
                          "seen": ["2021-09-24", "soon", "2021-09-24", "2021-09-24", "2021-09-24"]})
    clusters = Clustering(ts.Explorer().fit(frame), np.array([0, 0, 0, 1, 1]), "kmeans")
    with pytest.warns(UnparsedDateWarning, match="'soon'"):
        table = clusters.over_time("W", column="seen")
    assert table.attrs["undated"] == 1 and int(table["count"].sum()) == 5


def test_no_date_at_all_is_one_undated_row_per_cluster() -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer().fit(pd.DataFrame({"id": articles.ids, "text": articles.data, "date": [None] * 5}))
    table = Clustering(ex, np.array([0, 0, 0, 1, 1]), "kmeans").over_time()
    assert table["period"].isna().all() and table["count"].tolist() == [3, 2]


def test_plot_over_time_draws_stacked_counts_and_says_what_is_undated(clusters: Clustering) -> None:
    fig = clusters.plot_over_time("W")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "not shown: 1 article without a date" in ax.get_title()
    assert len(ax.collections) == 2  # one area per cluster
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == 3  # three articles in the week of 2021-09-20
    share = clusters.plot_over_time("W", share=True)
    assert share.axes[0].collections[-1].get_paths()[0].vertices[:, 1].max() == pytest.approx(1.0)


def test_by_outlet_is_pandas_crosstab_with_missing_values_kept(clusters: Clustering) -> None:
    table = clusters.by("outlet")
    assert table.index.names == ["cluster", "name"]
    assert table.index.get_level_values("cluster").tolist() == [0, 1]
    assert table.columns.tolist() == ["Le Monde", "Guardian", "Le Figaro", "(missing)"]
    assert table.to_numpy().tolist() == [[1, 1, 1, 0], [1, 0, 0, 1]]
    outlets = clusters.explorer.metadata_["outlet"].fillna("(missing)")
    expected = pd.crosstab(clusters.labels_, outlets.to_numpy())
    for column in expected.columns:
        assert table[column].tolist() == expected[column].tolist()
    shares = clusters.by("outlet", normalize="columns")
    assert np.allclose(shares.sum(axis=0), 1.0)
    assert shares.loc[(1, clusters.names_[1]), "Le Monde"] == 0.5
    assert np.allclose(clusters.by("outlet", normalize="index").sum(axis=1), 1.0)


def test_by_language_works_without_a_language_column(clusters: Clustering) -> None:
    table = clusters.by("language")
    assert table.columns.tolist() == ["fr", "en"]
    assert table.to_numpy().tolist() == [[2, 1], [2, 0]]


def test_by_bad_input(clusters: Clustering) -> None:
    with pytest.raises(ValueError, match=r"no metadata column 'source'; the articles have: 'date', 'outlet'"):
        clusters.by("source")
    with pytest.raises(ValueError, match="normalize must be"):
        clusters.by("outlet", normalize="rows")


def test_plot_by_is_a_heatmap_of_the_crosstab(clusters: Clustering) -> None:
    fig = clusters.plot_by("outlet")
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (2, 4)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Le Monde", "Guardian", "Le Figaro", "(missing)"]
    # a column per outlet sums to 1
    assert np.allclose(np.nansum(image, axis=0), 1.0)
    few = clusters.plot_by("outlet", max_groups=2, normalize=False)
    assert [t.get_text() for t in few.axes[0].get_xticklabels()] == ["Le Monde", "Guardian", "(other)"]
    assert few.axes[0].images[0].get_array().tolist() == [[1, 1, 1], [1, 0, 1]]


def test_names_given_by_rename_are_used_in_time_and_group_tables(clusters: Clustering) -> None:
    clusters.rename({0: "Quad summit"})
    assert set(clusters.over_time()["name"]) == {"Quad summit", clusters.names_[1]}
    assert clusters.by("outlet").index.get_level_values("name").tolist()[0] == "Quad summit"
    legend = [t.get_text() for t in clusters.plot_over_time().axes[0].get_legend().get_texts()]
    assert legend[0] == "0: Quad summit"


def test_since_and_until_count_the_range_and_report_what_is_outside(clusters: Clustering) -> None:
    table = clusters.over_time("W", since="2021-09-22", until="2021-09-30")
    dated = table[table["period"].notna()]
    assert dated["period"].unique().tolist() == [pd.Timestamp("2021-09-20"), pd.Timestamp("2021-09-27")]
    assert dated["count"].tolist() == [2, 0, 0, 0]  # 000 and 001; 002 (09-21) and 003 (10-05) outside
    assert table.attrs["outside"] == 2 and table.attrs["undated"] == 1
    assert int(table["count"].sum()) + table.attrs["outside"] == 5
    title = clusters.plot_over_time("W", since="2021-09-22", until="2021-09-30").axes[0].get_title()
    assert "not shown: 1 article without a date, 2 outside the dates shown" in title
    nothing = clusters.over_time("D", since="2030-01-01")
    assert nothing.attrs["outside"] == 4 and nothing["count"].tolist() == [0, 1]
    with pytest.raises(ValueError, match="since='soon' .*|since must be a date"):
        clusters.over_time(since="soon")
    with pytest.raises(ValueError, match="is after until"):
        clusters.over_time(since="2021-10-01", until="2021-09-01")
