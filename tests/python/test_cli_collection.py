"""`themescope index DIR -o FILE` and `themescope similar FILE QUERY`: a saved collection from the shell.

The oracle is `themescope similar DIR QUERY`, which fits the corpus for the query: the saved
collection must give the same table, without fitting.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import themescope as ts
from themescope.cli import main

SAMPLES = Path(ts.datasets.load_sample_articles().filenames[0]).parent


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def collection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "collection.tsc"
    status, out, err = run(capsys, "index", str(SAMPLES), "-o", str(path))
    assert status == 0 and out == ""
    assert err == f"written: {path} (5 articles)\n"
    return path


@pytest.mark.parametrize("query", ["Quad summit", "gilets jaunes", "la cybersécurité de l'Inde et du Japon"])
@pytest.mark.parametrize("output_format", ["table", "json"])
def test_similar_in_a_saved_collection_equals_a_fit(capsys: pytest.CaptureFixture[str], collection: Path,
                                                      query: str, output_format: str) -> None:
    fitted = run(capsys, "similar", str(SAMPLES), query, "-k", "3", "--format", output_format)
    saved = run(capsys, "similar", str(collection), query, "-k", "3", "--format", output_format)
    assert saved == fitted
    assert saved[0] == 0


def test_the_file_is_an_explorer(collection: Path) -> None:
    explorer = ts.Explorer.load(collection)
    assert sorted(explorer.ids_) == sorted(p.stem for p in SAMPLES.glob("*.txt"))


def test_fit_options_are_refused_with_a_collection(capsys: pytest.CaptureFixture[str], collection: Path) -> None:
    status, out, err = run(capsys, "similar", str(collection), "Quad", "--language", "fr")
    assert status == 2 and out == ""
    assert "is a saved collection: --language applies when it is indexed" in err


def test_a_corrupted_collection_is_a_one_line_error(capsys: pytest.CaptureFixture[str], collection: Path) -> None:
    data = bytearray(collection.read_bytes())
    data[len(data) // 3] ^= 0xFF
    collection.write_bytes(bytes(data))
    status, out, err = run(capsys, "similar", str(collection), "Quad")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "is corrupted" in err


def test_index_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "index", str(SAMPLES))
    assert status == 2 and "Missing option '-o'" in err


def test_add_grows_a_saved_collection_without_fitting_it_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for path in sorted(SAMPLES.glob("*.txt")):
        (later if path.name.startswith("004") else first).joinpath(path.name).write_bytes(path.read_bytes())
    added_id = next(later.glob("*.txt")).stem
    collection = tmp_path / "collection.tsc"
    assert run(capsys, "index", str(first), "-o", str(collection))[0] == 0
    status, out, err = run(capsys, "add", str(collection), str(later), "--format", "json")
    assert status == 0
    assert json.loads(out) == [{"index": 4, "id": added_id, "language": "fr"}]
    assert err == f"written: {collection} (5 articles, 1 added)\n"
    # the added article is found at once, with the start of its text, as after indexing all five
    grown = run(capsys, "similar", str(collection), "cyberattaques russes", "-k", "1", "--format", "json")
    whole = run(capsys, "similar", str(SAMPLES), "cyberattaques russes", "-k", "1", "--format", "json")
    assert grown[0] == 0 and json.loads(grown[1])[0]["id"] == added_id
    assert json.loads(grown[1])[0]["start"] == json.loads(whole[1])[0]["start"]
    # adding the same articles again is the user's mistake: exit 2, one line, the file as it was
    before = collection.read_bytes()
    status, out, err = run(capsys, "add", str(collection), str(later))
    assert status == 2 and out == ""
    assert f"'{added_id}' is already in the collection" in err and err.count("\n") == 1
    assert collection.read_bytes() == before
