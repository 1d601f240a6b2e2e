"""read_corpus(path, chunksize=N): the rows of one read, N at a time, for every input kind.

The oracle is read_corpus(path) itself: the chunks, concatenated, must equal it (values,
dtypes, order), warnings and errors included. Then the larger-than-memory path: partial_fit
over the chunks, a second pass to transform, equal to one fit_transform.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import themescope as ts
from themescope.corpus import InvalidUTF8Warning

SAMPLES = Path(ts.datasets.load_sample_articles().filenames[0]).parent


def records() -> list[dict[str, Any]]:
    data = ts.datasets.load_sample_articles()
    return [{"id": f"a{i}", "text": text, "outlet": f"o{i % 2}"} for i, text in enumerate(data.data * 3)]


@pytest.fixture
def corpus_files(tmp_path: Path) -> dict[str, Path]:
    rows = records()
    files = {}
    files["jsonl"] = tmp_path / "c.jsonl"
    files["jsonl"].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    frame = pd.DataFrame(rows)
    files["csv"] = tmp_path / "c.csv"
    frame.to_csv(files["csv"], index=False)
    files["tsv"] = tmp_path / "c.tsv"
    frame.drop(columns="id").to_csv(files["tsv"], index=False, sep="\t")  # ids: row numbers
    files["parquet"] = tmp_path / "c.parquet"
    frame.to_parquet(files["parquet"])
    files["folder"] = SAMPLES
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for i, r in enumerate(rows[:4]):
        (mixed / f"doc{i}.txt").write_text(r["text"], encoding="utf-8")
    pd.DataFrame(rows[4:9]).to_json(mixed / "more.jsonl", orient="records", lines=True, force_ascii=False)
    files["glob"] = mixed / "*"
    return files


def read_both(path: Path, chunksize: int, **options: Any) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    return ts.read_corpus(path, **options), list(ts.read_corpus(path, chunksize=chunksize, **options))


@pytest.mark.parametrize("kind", ["jsonl", "csv", "tsv", "parquet", "folder", "glob"])
@pytest.mark.parametrize("chunksize", [1, 2, 7, 1000])
def test_chunks_concatenated_equal_one_read(corpus_files: dict[str, Path], kind: str, chunksize: int) -> None:
    whole, chunks = read_both(corpus_files[kind], chunksize)
    assert [len(c) for c in chunks[:-1]] == [chunksize] * (len(chunks) - 1) and 0 < len(chunks[-1]) <= chunksize
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole, check_exact=True)


def test_invalid_utf8_warns_once_as_one_read_does(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps({"id": str(i), "text": f"texte {i}"}).encode() + b"\n" for i in range(5)]
    lines[3] = lines[3].replace(b"texte", b"te\xe9xte")
    lines[4] = lines[4].replace(b"texte", b"\xff texte")
    path.write_bytes(b"".join(lines))
    with warnings.catch_warnings(record=True) as one:
        warnings.simplefilter("always")
        whole = ts.read_corpus(path)
    with warnings.catch_warnings(record=True) as chunked:
        warnings.simplefilter("always")
        chunks = list(ts.read_corpus(path, chunksize=2))
    assert [str(w.message) for w in chunked] == [str(w.message) for w in one]
    assert len(chunked) == 1 and chunked[0].category is InvalidUTF8Warning
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    with pytest.raises(UnicodeDecodeError, match="bad.jsonl is not valid UTF-8"):
        list(ts.read_corpus(path, chunksize=2, encoding_errors="strict"))


def test_errors(tmp_path: Path, corpus_files: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="chunksize must be an int >= 1 or None, got 0"):
        ts.read_corpus(SAMPLES, chunksize=0)
    repeated = tmp_path / "repeated.jsonl"
    repeated.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{"id": "a", "text": "z"}\n')
    chunks = ts.read_corpus(repeated, chunksize=2)
    assert next(chunks)["id"].tolist() == ["a", "b"]
    with pytest.raises(ValueError, match=r"document ids are not unique in .*repeated.jsonl: \['a'\]"):
        next(chunks)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n")
    with pytest.raises(ValueError, match="the file is empty"):
        list(ts.read_corpus(empty, chunksize=3))
    with pytest.raises(ValueError, match="has no column 'body' for the text"):
        list(ts.read_corpus(corpus_files["csv"], text_column="body", chunksize=3))


def test_partial_fit_over_chunks_then_a_second_pass(corpus_files: dict[str, Path]) -> None:
    """What a corpus larger than memory needs: one pass to learn, one to transform."""
    path = corpus_files["jsonl"]
    whole = ts.read_corpus(path)
    params = dict(analyzer=ts.Analyzer(), min_df=2, sublinear_tf=True)
    expected = ts.TfidfVectorizer(**params).fit_transform(whole["text"])
    vectorizer = ts.TfidfVectorizer(**params)
    for chunk in ts.read_corpus(path, chunksize=4):
        vectorizer.partial_fit(chunk["text"])
    blocks = [vectorizer.transform(chunk["text"]) for chunk in ts.read_corpus(path, chunksize=4)]
    import scipy.sparse as sp

    stacked = sp.vstack(blocks, format="csr")
    assert stacked.data.tobytes() == expected.data.tobytes()
    assert stacked.indices.tobytes() == expected.indices.tobytes()
