"""The themescope command: every subcommand and format; each bad input exits 2 with one line."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import themescope as ts
from themescope._validation import UsageError
from themescope.cli import analysis_schema, main

SAMPLES = Path(ts.datasets.load_sample_articles().filenames[0]).parent
SAMPLE_IDS = sorted(p.stem for p in SAMPLES.glob("*.txt"))
COMMAND = Path(sys.executable).parent / "themescope"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status: int, err: str, *fragments: str) -> None:
    assert status == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error:" in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def analysis_json() -> dict[str, object]:
    status = -1
    buffer = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buffer):
        status = main(["analyze", str(SAMPLES), "--format", "json", "--clusters", "2", "--top-terms", "6",
                       "--neighbors", "3", "--quiet"])
    assert status == 0
    result: dict[str, object] = json.loads(buffer.getvalue())
    return result


def test_analyze_json_validates_against_the_documented_schema(analysis_json: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(analysis_schema())
    jsonschema.validate(analysis_json, analysis_schema(), cls=jsonschema.Draft202012Validator)


def test_schema_rejects_what_the_readme_does_not_document() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    good = {"documents": [{"id": "a", "language": "fr", "top_terms": [{"term": "quad", "weight": 0.5}],
                           "neighbors": [{"id": "b", "score": 0.3}], "cluster": 0}],
            "clusters": [{"id": 0, "size": 1, "themes": [{"term": "quad", "weight": 0.5}], "members": ["a"]}]}
    jsonschema.validate(good, analysis_schema())
    for broken in (
        {**good, "extra": 1},
        {"documents": good["documents"]},
        {**good, "documents": [{**good["documents"][0], "cluster": "0"}]},  # type: ignore[dict-item]
        {**good, "documents": [{**good["documents"][0], "neighbors": [{"id": "b"}]}]},  # type: ignore[dict-item]
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, analysis_schema())


def test_analyze_json_is_consistent_with_the_corpus(analysis_json: dict[str, object]) -> None:
    documents = analysis_json["documents"]
    clusters = analysis_json["clusters"]
    assert isinstance(documents, list) and isinstance(clusters, list)
    assert [d["id"] for d in documents] == SAMPLE_IDS
    languages = {d["id"][:3]: d["language"] for d in documents}
    assert languages == {"000": "fr", "001": "fr", "002": "en", "003": "fr", "004": "fr"}
    assert len(clusters) == 2
    assert sum(c["size"] for c in clusters) == 5
    for cluster in clusters:
        assert cluster["size"] == len(cluster["members"])
        assert 1 <= len(cluster["themes"]) <= 6
        for member in cluster["members"]:
            assert next(d for d in documents if d["id"] == member)["cluster"] == cluster["id"]
    for document in documents:
        weights = [t["weight"] for t in document["top_terms"]]
        assert len(weights) == 6 and weights == sorted(weights, reverse=True)
        scores = [n["score"] for n in document["neighbors"]]
        assert len(scores) == 3 and scores == sorted(scores, reverse=True)
        assert document["id"] not in [n["id"] for n in document["neighbors"]]
        assert {n["id"] for n in document["neighbors"]} <= set(SAMPLE_IDS)


def test_analyze_csv_has_one_row_per_document_matching_the_json(
        capsys: pytest.CaptureFixture[str], analysis_json: dict[str, object]) -> None:
    status, out, err = run(capsys, "analyze", str(SAMPLES), "--format", "csv", "--clusters", "2",
                           "--top-terms", "6", "--neighbors", "3")
    assert status == 0 and err == ""
    frame = pd.read_csv(io.StringIO(out), dtype=str)
    assert list(frame.columns) == ["id", "language", "cluster", "top_terms", "neighbors"]
    documents = analysis_json["documents"]
    assert isinstance(documents, list)
    assert frame["id"].tolist() == [d["id"] for d in documents]
    assert frame["cluster"].astype(int).tolist() == [d["cluster"] for d in documents]
    first_terms = [cell.split(" (")[0] for cell in frame["top_terms"].iloc[0].split("; ")]
    assert first_terms == [t["term"] for t in documents[0]["top_terms"]]


def test_analyze_table_shows_every_article_under_its_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "analyze", str(SAMPLES), "--clusters", "2")
    assert status == 0 and err == ""
    assert out.startswith("5 documents; languages: fr 4, en 1; 2 clusters")
    assert "cluster 0 (" in out and "cluster 1 (" in out
    for article_id in SAMPLE_IDS:
        assert f"  {article_id}  " in out


def test_analyze_writes_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "analysis.json"
    status, out, err = run(capsys, "analyze", str(SAMPLES), "--format", "json", "-o", str(target))
    assert status == 0 and out == ""
    assert err == f"written: {target}\n"
    assert [d["id"] for d in json.loads(target.read_text("utf-8"))["documents"]] == SAMPLE_IDS


def test_similar_finds_the_article_a_sentence_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    texts = ts.read_corpus(SAMPLES).set_index("id")["text"]
    source = SAMPLE_IDS[3]
    sentence = " ".join(texts[source].split()[40:80])
    status, out, err = run(capsys, "similar", str(SAMPLES), sentence, "-k", "3", "--format", "json")
    assert status == 0 and err == ""
    rows = json.loads(out)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["id"] == source
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


def test_similar_table(capsys: pytest.CaptureFixture[str]) -> None:
    # "cybersecurity" is also the French articles' "cybersécurité" (one stem once accents are folded)
    status, out, _ = run(capsys, "similar", str(SAMPLES), "Quad summit", "-k", "2")
    assert status == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:4] == ["rank", "id", "score", "language"]
    # Only the English Quad article holds these words: one row, not a second of score 0.
    assert len(lines) == 2 and lines[1].split()[1].startswith("002")


@pytest.mark.parametrize("output_format", ["table", "json", "csv"])
def test_languages_in_every_format(capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    status, out, err = run(capsys, "languages", str(SAMPLES), "--format", output_format)
    assert status == 0 and err == ""
    if output_format == "json":
        found = {row["id"][:3]: row["language"] for row in json.loads(out)}
    elif output_format == "csv":
        frame = pd.read_csv(io.StringIO(out), dtype=str)
        found = dict(zip(frame["id"].str[:3], frame["language"]))
    else:
        assert out.strip().endswith("fr: 4, en: 1")
        found = {line.split()[0][:3]: line.split()[1] for line in out.splitlines()[1:6]}
    assert found == {"000": "fr", "001": "fr", "002": "en", "003": "fr", "004": "fr"}


def test_report_writes_a_self_contained_html_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    status, out, err = run(capsys, "report", str(SAMPLES), "-o", str(target), "--clusters", "2", "--quiet")
    assert status == 0 and out == "" and err == ""
    html = target.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") >= 3
    # nothing to fetch (scripts are inline: plotly.js and the interactive figures, run by test_report_interactive)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#|data:)""", markup)
    assert 'id="plot-map"' in html  # plotly is installed (test extra): interactive figures by default
    # --static: SVG figures only, no script at all, millions of bytes lighter
    static = tmp_path / "static.html"
    status, out, err = run(capsys, "report", str(SAMPLES), "-o", str(static), "--clusters", "2", "--quiet", "--static")
    assert status == 0 and out == "" and err == ""
    light = static.read_text("utf-8")
    assert "<script" not in light and light.count("<svg") >= 5
    assert len(html) - len(light) > 4_000_000


# --- bad input: exit 2, one line on stderr, no traceback ------------------------------------

def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "analyze", str(tmp_path / "nowhere"))
    assert out == ""
    assert_one_line_error(status, err, "no such file or directory", "nowhere")


def test_glob_matching_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "languages", str(tmp_path / "*.txt"))
    assert_one_line_error(status, err, "no file matches")


@pytest.mark.parametrize("command", ["analyze", "languages", "report", "similar"])
def test_empty_corpus(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    (tmp_path / "empty").mkdir()
    extra = ["some query"] if command == "similar" else []
    status, _, err = run(capsys, command, str(tmp_path / "empty"), *extra, "-o", str(tmp_path / "out"))
    assert_one_line_error(status, err, "no documents under")
    assert not (tmp_path / "out").exists()


def test_table_without_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("id,text\n", encoding="utf-8")
    status, _, err = run(capsys, "analyze", str(tmp_path / "c.csv"))
    assert_one_line_error(status, err, "no documents in")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("broken.jsonl", b'{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', "cannot parse"),
        ("broken.parquet", b"PAR1 this is not parquet", "cannot read"),
        ("c.csv", b"title,body\nx,y\n", "no column 'text'"),
    ],
)
def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes,
                         fragment: str) -> None:
    (tmp_path / name).write_bytes(content)
    status, _, err = run(capsys, "analyze", str(tmp_path / name))
    assert_one_line_error(status, err, name, fragment)


def test_html_without_its_extra_is_a_one_line_error_naming_the_pip_install_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>Le sommet du Quad.</p></body></html>", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    status, out, err = run(capsys, "analyze", str(tmp_path))
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        "themescope: error: reading HTML pages needs trafilatura, in the html extra: "
        "pip install 'themescope[html]'"
    ]


def test_invalid_utf8_warns_on_one_line_and_carries_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Les gilets jaunes manifestent à Paris.".encode("latin-1"))
    (tmp_path / "b.txt").write_text("Yellow vests protest in Paris again.", encoding="utf-8")
    status, out, err = run(capsys, "languages", str(tmp_path))
    assert status == 0
    assert err.splitlines() == [
        f"themescope: warning: {tmp_path / 'a.txt'} is not valid UTF-8 (byte 0xe0 at offset 30); "
        "decoded with errors='replace'"
    ]
    status, _, err = run(capsys, "languages", str(tmp_path), "--encoding-errors", "strict")
    assert_one_line_error(status, err, "a.txt is not valid UTF-8")


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["analyze", str(SAMPLES), "--format", "xml"], "'xml' is not one of"),
        (["analyze", str(SAMPLES), "--clusters", "many"], "expected 'auto' or a whole number"),
        (["analyze", str(SAMPLES), "--clusters", "0"], "at least 1"),
        (["analyze", str(SAMPLES), "--top-terms", "0"], "--top-terms"),
        (["analyze", str(SAMPLES), "--neighbors", "-1"], "--neighbors"),
        (["analyze", str(SAMPLES), "--no-such-option"], "No such option"),
        (["analyze"], "Missing argument 'PATH'"),
        (["similar", str(SAMPLES)], "Missing argument 'QUERY'"),
        (["similar", str(SAMPLES), "  "], "the query text is empty"),
        (["similar", str(SAMPLES), "x", "-k", "zero"], "'zero' is not a valid integer"),
        (["languages", str(SAMPLES), "--encoding-errors", "ignore"], "--encoding-errors"),
        (["summarize", str(SAMPLES)], "No such command 'summarize'"),
    ],
)
def test_bad_option(capsys: pytest.CaptureFixture[str], arguments: list[str], fragment: str) -> None:
    status, out, err = run(capsys, *arguments)
    assert out == ""
    assert_one_line_error(status, err, fragment)


def test_unknown_language_code(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "analyze", str(SAMPLES), "--language", "zz")
    assert_one_line_error(status, err, "zz")


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "analyze" in out and "similar" in out and "report" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"themescope, version {ts.__version__}"


# --- the installed console script, as a user runs it ----------------------------------------

def test_console_script_exit_codes_and_no_progress_when_not_a_terminal(tmp_path: Path) -> None:
    assert COMMAND.exists(), f"console script not installed at {COMMAND}"
    done = subprocess.run([str(COMMAND), "analyze", str(SAMPLES), "--format", "csv"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0
    assert done.stderr == ""  # stderr is a pipe: no progress bars
    assert len(done.stdout.strip().splitlines()) == 6
    missing = subprocess.run([str(COMMAND), "analyze", str(tmp_path / "nowhere")],
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bars_on_a_terminal_unless_quiet(tmp_path: Path, quiet: bool) -> None:
    import fcntl
    import struct
    import termios

    controller, terminal = os.openpty()
    # a terminal 100 columns wide (a fresh pseudo-terminal has width 0, and bars would be empty)
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    arguments = [str(COMMAND), "analyze", str(SAMPLES), "--format", "json", "-o", str(tmp_path / "a.json")]
    try:
        done = subprocess.run(arguments + (["--quiet"] if quiet else []), stdout=subprocess.DEVNULL,
                              stderr=terminal, timeout=300)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    text = shown.decode("utf-8", errors="replace")
    if quiet:
        assert text == ""
    else:
        assert "vectorizing" in text and "clustering" in text and "\r" in text
        assert "written:" in text


def test_docstring_examples() -> None:
    import doctest

    import themescope._analyze
    import themescope.cli

    for module in (themescope.cli, themescope._analyze):  # _analyze: what `analyze` gathers, cli re-exports it
        failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert failures == 0, module.__name__
    assert doctest.testmod(themescope._analyze).attempted > 0


# --- a user's mistake (exit 2) is told from a bug of ours (exit 1, "please report") ----------


@pytest.mark.parametrize("bug", [RuntimeError("the index is off by one"), ValueError("an array of the wrong shape"),
                                 KeyError("language")])
def test_an_internal_error_is_one_line_asking_for_a_report(capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch, bug: Exception) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise bug

    monkeypatch.setattr("themescope.language.detect_languages", broken)
    status, out, err = run(capsys, "languages", str(SAMPLES))
    assert status == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"themescope: internal error: {type(bug).__name__}: "), lines[0]
    assert str(bug.args[0]) in lines[0] and "please report this" in lines[0] and "--debug" in lines[0]


@pytest.mark.parametrize("where", ["before the command", "after the command"])
def test_debug_shows_the_traceback_of_an_internal_error(capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the index is off by one")

    monkeypatch.setattr("themescope.language.detect_languages", broken)
    arguments = ["languages", str(SAMPLES)]
    arguments = ["--debug", *arguments] if where == "before the command" else [*arguments, "--debug"]
    status, out, err = run(capsys, *arguments)
    assert status == 1 and out == ""
    assert err.startswith("Traceback (most recent call last):"), err
    assert "in broken" in err and "RuntimeError: the index is off by one" in err
    assert err.strip().splitlines()[-1].startswith("themescope: internal error: RuntimeError: ")


def test_debug_changes_nothing_for_a_users_mistake(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "--debug", "analyze", str(tmp_path / "nowhere"))
    assert_one_line_error(status, err, "no such file or directory")


def test_a_users_mistake_found_by_the_library_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # one article: the Explorer's own check (a UsageError, also a ValueError), not the command's
    (tmp_path / "a.txt").write_text("Le sommet du Quad à Tokyo.", encoding="utf-8")
    status, _, err = run(capsys, "analyze", str(tmp_path))
    assert_one_line_error(status, err, "at least 2 documents, got 1")
    with pytest.raises(ValueError, match="at least 2 documents"):  # library callers still catch ValueError
        ts.Explorer().fit(["only one"])
    with pytest.raises(UsageError):
        ts.Explorer().fit(["only one"])


def test_an_unknown_query_language_is_the_users_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "similar", str(SAMPLES), "Quad summit", "--query-language", "zz", "--quiet")
    assert out == ""
    assert_one_line_error(status, err, "language='zz' has no analyzer")
