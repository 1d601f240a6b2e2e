"""Issue 20 in the HTML report: themes over time, clusters by group, names given by rename."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import themescope as ts
from themescope.report import render_report


@pytest.fixture
def corpus(news_sample: pd.DataFrame) -> pd.DataFrame:
    # a URL per article: one value each, never a group to crosstab
    return news_sample.assign(url=[f"https://example.org/{i}" for i in range(5)])


def section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}">', 1)[1].split("</section>", 1)[0]


def test_report_has_time_and_group_sections_when_the_data_has_them(corpus: pd.DataFrame) -> None:
    html = render_report(corpus, clusters=2)
    time = section(html, "time")
    assert "4 articles dated from 2021-09-21 to 2021-10-05, counted per day" in time
    assert "<b>1 article without a date</b>" in time
    assert 'id="figure-time"' in time and 'id="plot-time"' in time  # interactive: plotly is installed
    static = section(render_report(corpus, clusters=2, interactive=False), "time")
    assert "<svg" in static and "plotly" not in static
    outlets = section(html, "by-outlet")
    header = re.findall(r'<th class="num">([^<]*)</th>', outlets)
    assert header == ["Le Monde", "Guardian", "Le Figaro", "(missing)"]
    counts = [[int(x) for x in re.findall(r'<td class="num">(\d+)</td>', row)]
              for row in re.findall(r"<tr><td>\d+: .*?</tr>", outlets, flags=re.S)]
    assert [sum(column) for column in zip(*counts)] == [2, 1, 1, 1]
    assert '<section id="by-language">' in html
    assert '<section id="by-url">' not in html and '<section id="by-title">' not in html


def test_report_without_metadata_has_no_time_section(corpus: pd.DataFrame) -> None:
    frame = corpus[["id", "text"]]
    html = render_report(frame, clusters=2)
    assert '<section id="time">' not in html and '<section id="by-outlet">' not in html


def test_report_of_renamed_clusters_uses_their_names(corpus: pd.DataFrame) -> None:
    frame = corpus.copy()
    clusters = ts.Explorer().fit(frame).cluster(2).rename({0: "Quad summit", 1: "Cyber"})
    html = render_report(frame, clustering=clusters)
    assert "<b>Cluster 0: Quad summit</b>" in html and "<b>Cluster 1: Cyber</b>" in html
    assert "<td>0: Quad summit</td>" in section(html, "by-outlet")
    with pytest.raises(ValueError, match="fitted on this corpus"):
        render_report(frame.iloc[:4], clustering=clusters)


def test_report_time_axis_is_the_span_of_most_dates_and_the_others_are_counted() -> None:
    # 55 articles on consecutive days from 2019-01-01, five from older years (a contrast set), 2 undated
    articles = ts.datasets.load_sample_articles()
    dates = [f"{day:%Y-%m-%d}" for day in pd.date_range("2019-01-01", periods=55)]
    dates += ["2011-10-06", "2013-06-01", "2014-03-02", "2015-05-05", "2016-07-15", None, None]
    frame = pd.DataFrame({"id": [f"a{i:02d}" for i in range(62)],
                          "text": [articles.data[i % 5] for i in range(62)], "date": dates})
    html = render_report(frame, clusters=2, interactive=False)
    time = section(html, "time")
    # 90% of the 60 dated articles is 54: the shortest span holding 54 of them is 2019-01-01 to 02-23
    assert "54 articles dated from 2019-01-01 to 2019-02-23, counted per day" in time
    assert "<b>6 dated outside that span</b>" in time and "<b>2 articles without a date</b>" in time
    assert "not shown: 2 articles without a date, 6 outside the dates shown" in time  # the figure's title
