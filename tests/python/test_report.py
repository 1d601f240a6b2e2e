"""The HTML report: self-contained, escaped, complete; rendered in headless Chromium with its figures."""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import themescope as ts
from themescope.report import render_report, write_report

SAMPLES = Path(ts.datasets.load_sample_articles().filenames[0]).parent
# figure-by-language: the sample is French and English, so the report crosstabs clusters by language
FIGURES = ("figure-themes", "figure-dendrogram", "figure-map", "figure-heatmap", "figure-by-language")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    # as `make demo` writes it: cross-language features on
    write_report(ts.read_corpus(SAMPLES), path, title="Sample articles", clusters=2, cross_language=True)
    return path


def test_report_is_self_contained(report_file: Path) -> None:
    html = report_file.read_text("utf-8")
    # scripts are inline (plotly.js and each interactive figure's call): none has a src; what their
    # code may fetch is checked where it runs, by the request log of the Chromium test below
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "<script></script>", html, flags=re.S)
    # nothing to fetch: no external script, style, image or font
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#|data:)""", markup)
    assert "<link" not in markup and "@import" not in markup
    assert not re.search(r"url\((?!#)", markup)  # SVG clip paths point inside the page only
    for figure in FIGURES:
        block = markup.split(f'id="{figure}"', 1)[1].split("</figure>", 1)[0]
        # a static figure is inline SVG; an interactive one is plotly's div, drawn by its script
        assert "<svg" in block or 'class="plotly-graph-div"' in block, figure
    assert 'id="plot-map"' in markup and 'id="plot-heatmap"' in markup  # plotly is in the test extra


def test_report_has_every_section_and_every_article(report_file: Path) -> None:
    html = report_file.read_text("utf-8")
    for section in ("summary", "languages", "boilerplate", "clusters", "map", "similarity", "articles",
                    "duplicates"):
        assert f'<section id="{section}">' in html
    for article_id in sorted(p.stem for p in SAMPLES.glob("*.txt")):
        assert f"<td>{article_id}</td>" in html
    assert "<b>5</b>documents" in html
    assert re.search(r"<td>fr</td><td class=\"num\">4</td>", html)
    assert re.search(r"<td>en</td><td class=\"num\">1</td>", html)
    assert html.count('<div class="cluster">') == 2


def test_report_escapes_what_comes_from_the_corpus() -> None:
    corpus = pd.DataFrame({
        "id": ["<b>one</b>", "two", "three", "four"],
        "text": ["Les <script>alert('x')</script> gilets jaunes manifestent à Paris contre les taxes.",
                 "Yellow vests protest in Paris against the fuel tax increase.",
                 "Les gilets jaunes bloquent les ronds-points contre la hausse des taxes sur le carburant.",
                 "Protesters in yellow vests blocked roads against the fuel tax in France."],
    })
    html = render_report(corpus, clusters=2)
    assert "<b>one</b>" not in html and "&lt;b&gt;one&lt;/b&gt;" in html
    assert "<script>alert" not in html and "alert('x')</script>" not in html
    assert "<b>one</b>" not in render_report(corpus, clusters=2, interactive=False)


# --- headless Chromium through the DevTools protocol on a pipe (no port, no network) ----------

def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (Debian package chromium, in the Makefile's DEB_PACKAGES)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


class Chromium:
    """Headless Chromium driven over --remote-debugging-pipe: JSON messages ending in NUL on fds 3/4."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.TemporaryDirectory()
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def onto_fds_3_and_4() -> None:  # in the child, before exec
            high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", f"--user-data-dir={self.profile.name}",
             # every host name resolves to nothing: a report that tries the network fails loudly here
             "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            preexec_fn=onto_fds_3_and_4, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._receive(deadline))

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"chromium exited with status {self.process.poll()}")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        self.profile.cleanup()


def page_problems(events: list[dict[str, Any]]) -> list[Any]:
    """Exceptions, console errors and assertions, and errors the browser logged."""
    problems = [e["params"] for e in events if e.get("method") == "Runtime.exceptionThrown"]
    problems += [e["params"] for e in events
                 if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")]
    problems += [e["params"]["entry"] for e in events
                 if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"]
    return problems


def requested_urls(events: list[dict[str, Any]]) -> list[str]:
    """Every URL the page requested."""
    return [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]


def open_page(browser: Chromium, page: Path, width: int = 1280) -> str:
    """A tab with the page loaded (its events recorded: console, log, network); the DevTools session id."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session: str = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Page", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired")
    return session


def render_in_chromium(page: Path, width: int = 1280) -> tuple[bytes, list[dict[str, Any]], list[dict[str, Any]]]:
    """Load a page; return a full-page PNG, the figures' boxes, and every event seen."""
    browser = Chromium(chromium_path())
    try:
        session = open_page(browser, page, width)
        boxes = browser.send("Runtime.evaluate", {"returnByValue": True, "expression": """
            [...document.querySelectorAll('figure')].map(f => {
              const g = f.querySelector('svg, img'); const r = (g || f).getBoundingClientRect();
              return {id: f.id, graphic: g ? g.tagName.toLowerCase() : null,
                      plotly: f.querySelector('.js-plotly-plot') !== null,
                      x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
            })"""}, session=session)["result"]["value"]
        size = browser.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}}, session=session)
        return base64.b64decode(shot["data"]), boxes, browser.events
    finally:
        browser.close()


def test_report_renders_in_headless_chromium_with_its_figures_and_no_errors(report_file: Path) -> None:
    from PIL import Image

    png, boxes, events = render_in_chromium(report_file)

    assert page_problems(events) == []
    requested = requested_urls(events)
    assert requested and all(url.startswith(("file:", "data:")) for url in requested), requested

    assert sorted(b["id"] for b in boxes) == sorted(FIGURES)
    screenshot = Image.open(io.BytesIO(png)).convert("RGB")
    for box in boxes:
        assert box["graphic"] == "svg" and box["width"] > 300 and box["height"] > 150, box
        crop = screenshot.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                int(box["y"] + box["height"])))
        colours = crop.getcolors(maxcolors=1 << 16) or []
        inked = sum(count for count, rgb in colours if sum(rgb) < 3 * 235)
        # a drawn figure: many colours (anti-aliased text, markers, colour maps) and real ink on it
        assert len(colours) > 30, (box["id"], len(colours))
        # (an interactive map of five dots is mostly white: test_report_interactive.py counts what
        # plotly drew instead, and hovers it)
        if not box["plotly"]:
            assert inked > 0.02 * crop.width * crop.height, (box["id"], inked)
    keep = os.environ.get("THEMESCOPE_REPORT_SCREENSHOT")
    if keep:  # make the README's screenshot from this very run
        Path(keep).write_bytes(png)


def test_chromium_harness_sees_errors_and_network(tmp_path: Path) -> None:
    """The checks above can fail: a page with a console error, an exception and a remote image."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); missing();</script>"
                    "<img src='https://example.invalid/x.png'></body></html>", encoding="utf-8")
    _, boxes, events = render_in_chromium(page)
    methods = [e.get("method") for e in events]
    assert boxes == []
    assert "Runtime.exceptionThrown" in methods
    assert any(e["params"]["type"] == "error" for e in events if e.get("method") == "Runtime.consoleAPICalled")
    assert any(e["params"]["request"]["url"].startswith("https://") for e in events
               if e.get("method") == "Network.requestWillBeSent")
