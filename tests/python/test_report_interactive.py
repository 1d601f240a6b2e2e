"""Issue 20, item 3: the report's interactive figures in headless Chromium (Debian's), driven by DevTools.

The test moves the mouse onto a dot of the map and reads plotly's tooltip: the article's title and id.
No console error, nothing requested from the network (the request log), the figures drawn.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import themescope as ts
from themescope.report import render_report, write_report

pytest.importorskip("plotly", reason="interactive figures need the interactive extra")

# The Chromium harness of test_report.py (DevTools protocol on a pipe), loaded from its file:
# tests/python is not a package.
_spec = importlib.util.spec_from_file_location("_report_harness", Path(__file__).with_name("test_report.py"))
assert _spec is not None and _spec.loader is not None
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, news_sample: pd.DataFrame) -> Path:
    path = tmp_path_factory.mktemp("interactive") / "report.html"
    write_report(news_sample, path, title="Sample articles", clusters=2, cross_language=True, interactive=True)
    return path


def evaluate(browser: Any, session: str, expression: str) -> Any:
    reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                              "awaitPromise": True}, session=session)
    if "exceptionDetails" in reply:
        raise AssertionError(reply["exceptionDetails"])
    return reply["result"].get("value")


# Where a trace's point is on the screen (viewport pixels), from plotly's own axes.
POINT_ON_SCREEN = """
(() => {
  const gd = document.getElementById('plot-map');
  gd.scrollIntoView({block: 'center'});
  const layout = gd._fullLayout, box = gd.getBoundingClientRect();
  const data = gd._fullData;  // decoded: the figure's arrays travel base64-encoded
  const trace = data.findIndex(t => t.visible === true);
  const x = data[trace].x[0], y = data[trace].y[0];
  return {trace: trace, label: data[trace].customdata[0][0],
          x: box.left + layout.xaxis._offset + layout.xaxis.l2p(x),
          y: box.top + layout.yaxis._offset + layout.yaxis.l2p(y)};
})()
"""


def test_hovering_a_dot_of_the_map_shows_its_article(page: Path, news_sample: pd.DataFrame) -> None:
    browser = harness.Chromium(harness.chromium_path())
    try:
        session = harness.open_page(browser, page)

        # plotly drew what the report holds: five dots (one per article), the heatmap's 5 x 5 cells
        drawn = evaluate(browser, session, """({
            points: document.querySelectorAll('#plot-map .scatterlayer path.point').length,
            heatmap: document.querySelectorAll('#plot-heatmap .hm image').length,
            time: document.querySelectorAll('#plot-time .scatterlayer .trace').length,
            menu: document.getElementById('plot-map').layout.updatemenus[0].buttons.map(b => b.label)})""")
        assert drawn == {"points": 5, "heatmap": 1, "time": 2,
                         "menu": ["colour by cluster", "colour by outlet", "colour by language"]}
        assert evaluate(browser, session, "document.querySelector('#plot-map .hoverlayer .hovertext')") is None

        point = evaluate(browser, session, POINT_ON_SCREEN)
        tooltip = None
        for step in range(3):  # a move onto the dot, and a pixel beside it: plotly listens for movement
            browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": point["x"] + step,
                                                      "y": point["y"]}, session=session)
            deadline = time.monotonic() + 5
            while tooltip is None and time.monotonic() < deadline:
                tooltip = evaluate(browser, session,
                                   "document.querySelector('#plot-map .hoverlayer .hovertext')?.textContent ?? null")
                if tooltip is None:
                    time.sleep(0.05)
            if tooltip is not None:
                break
        assert tooltip is not None, "no tooltip after moving the mouse onto a dot"
        # the first dot of the first cluster, as the map's data says: title (id), cluster, top terms
        label = point["label"].replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")
        assert label in tooltip, (label, tooltip)
        article_id = label.rsplit("(", 1)[1].rstrip(")") if label.endswith(")") else label
        assert article_id in {"000", "001", "002", "003", "004"}
        title = news_sample["title"].iloc[int(article_id)]
        if isinstance(title, str):
            assert title in tooltip
        assert "cluster 0: " in tooltip or "cluster 1: " in tooltip
        keep = os.environ.get("THEMESCOPE_HOVER_SCREENSHOT")
        if keep:  # the README's picture of a tooltip, from this very run
            box = evaluate(browser, session, "(() => { const r = document.getElementById('figure-map')"
                           ".getBoundingClientRect(); return {x: r.left + window.scrollX, y: r.top + window.scrollY, "
                           "width: r.width, height: r.height}; })()")
            shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": {**box, "scale": 1}}, session=session)
            Path(keep).write_bytes(base64.b64decode(shot["data"]))

        # moving away hides it again
        browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 5}, session=session)
        time.sleep(0.3)
        assert evaluate(browser, session, "document.querySelector('#plot-map .hoverlayer .hovertext')") is None
        events = browser.events
    finally:
        browser.close()

    assert harness.page_problems(events) == []
    requested = harness.requested_urls(events)
    assert requested and all(url.startswith(("file:", "data:")) for url in requested), requested


def test_interactive_report_is_deterministic_and_its_size_is_plotly_js(news_sample: pd.DataFrame) -> None:
    from themescope.interactive import plotly_js

    first = render_report(news_sample, clusters=2, interactive=True)
    assert render_report(news_sample, clusters=2, interactive=True) == first  # fixed div ids, no random uuid
    static = render_report(news_sample, clusters=2, interactive=False)
    added = len(first.encode()) - len(static.encode())
    library = len(plotly_js().encode())
    # plotly.js once, plus the figures' data (smaller than the SVGs they replace here)
    assert library - 200_000 < added < library + 200_000, (added, library)
    assert first.count("plotly.js v") == 1


def test_titles_from_the_corpus_are_text_in_the_tooltips(news_sample: pd.DataFrame) -> None:
    from themescope.interactive import map_figure

    ex = ts.Explorer().fit(news_sample)
    fig = map_figure(ex, ex.cluster(2))
    labels = [row[0] for trace in fig.data if trace.visible for row in trace.customdata]
    assert "Quad summit: &lt;cyber&gt; pledge (002)" in labels  # escaped: plotly reads a little HTML
    assert "003" in labels  # no title: the id
    payload = json.loads(fig.to_json())
    assert "<cyber>" not in json.dumps(payload["data"])


def test_map_colour_by_a_column_and_bad_input(news_sample: pd.DataFrame) -> None:
    from themescope.interactive import map_figure

    ex = ts.Explorer().fit(news_sample)
    clusters = ex.cluster(2)
    fig = map_figure(ex, clusters, color_by="outlet")
    visible = [trace.name for trace in fig.data if trace.visible]
    assert visible == ["Le Monde (2)", "Guardian (1)", "Le Figaro (1)", "(missing) (1)"]
    assert sum(len(trace.x) for trace in fig.data if trace.visible) == 5
    with pytest.raises(ValueError, match=r"color_by must be one of \['cluster', 'outlet', 'language'\].*'title'"):
        map_figure(ex, clusters, color_by="title")
    over_time = clusters.plot_over_time("D", interactive=True)
    assert "not shown: 1 article without a date" in over_time.layout.title.text
    assert sum(sum(trace.y) for trace in over_time.data) == 4
    heat = ex.plot_similarity(clusters, interactive=True)
    assert heat.data[0].z.shape == (5, 5)
