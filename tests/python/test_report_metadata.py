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
