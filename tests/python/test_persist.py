"""Saved files (themescope.persist): exact round trips, clear errors, atomic writes.

"Exact" is checked twice: every answer the loaded object gives (queries, neighbours,
clusters, matrices) equals the original's, and every attribute of the loaded object,
recursively, equals the original's (types, dtypes, bytes, dict order).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import themescope as ts
from themescope import persist


def articles() -> Any:
    return ts.datasets.load_sample_articles()


def differences(a: Any, b: Any, path: str = "", seen: set | None = None) -> list[str]:
    """Where a and b differ: types, dtypes, shapes, bytes, dict order, object states."""
    seen = set() if seen is None else seen
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return [f"{path}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"]
        if a.dtype.hasobject:
            out = []
            for i, (x, y) in enumerate(zip(a.ravel().tolist(), b.ravel().tolist())):
                out += differences(x, y, f"{path}[{i}]", seen)
            return out
        return [] if np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes() else [f"{path}: values"]
    if sp.issparse(a):
        out = [] if a.shape == b.shape and a.format == b.format else [f"{path}: {a.format}{a.shape} vs {b.format}{b.shape}"]
        for name in ("data", "indices", "indptr"):
            out += differences(getattr(a, name), getattr(b, name), f"{path}.{name}", seen)
        return out
    if isinstance(a, (pd.DataFrame, pd.Series, pd.Index)):
        try:
            (pd.testing.assert_frame_equal if isinstance(a, pd.DataFrame) else
             pd.testing.assert_series_equal if isinstance(a, pd.Series) else pd.testing.assert_index_equal)(
                a, b, check_exact=True)
        except AssertionError as error:
            return [f"{path}: {str(error)[:200]}"]
        return []
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} vs {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]", seen)
        return out
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{path}: keys {list(a)[:5]} vs {list(b)[:5]}"]
        out = []
        for k in a:
            if k != "_stop_words_id":  # scikit-learn's id() of the stop list it last checked
                out += differences(a[k], b[k], f"{path}[{k!r:.30}]", seen)
        return out
    if isinstance(a, (set, frozenset, str, bytes, int, float, bool, type(None), np.generic, np.dtype, type)):
        if isinstance(a, float) and a != a and b != b:
            return []
        return [] if a == b else [f"{path}: {a!r:.60} vs {b!r:.60}"]
    if (id(a), id(b)) in seen:
        return []
    seen.add((id(a), id(b)))
    sa, sb = a.__getstate__(), b.__getstate__()
    return differences(sa, sb, f"{path}.", seen) if isinstance(sa, dict) else differences(sa, sb, path, seen)


def same_pickle(a: Any, b: Any) -> bool:
    """Equal in every attribute (types, dtypes, bytes, dict order), recursively."""
    found = differences(a, b, type(a).__name__)
    assert not found, "\n".join(found[:10])
    return True


@pytest.mark.parametrize("cross_language", [False, True])
def test_explorer_round_trip_is_exact(tmp_path: Path, cross_language: bool) -> None:
    data = articles()
    ex = ts.Explorer(cross_language=cross_language).fit(data.data, ids=data.ids)
    ex.cluster(2)
    path = tmp_path / "collection.tsc"
    ex.save(path)
    loaded = ts.Explorer.load(path)
    assert same_pickle(loaded, ex)
    assert loaded.clusters_.explorer is loaded  # the cycle comes back as a cycle
    for a, b in zip(ex.query(["Quad summit", "cybersécurité Inde"], k=3), loaded.query(["Quad summit", "cybersécurité Inde"], k=3)):
        assert a.tobytes() == b.tobytes()
    for a, b in zip(ex.neighbors(k=2), loaded.neighbors(k=2)):
        assert a.tobytes() == b.tobytes()
    assert loaded.similar("000", k=3).equals(ex.similar("000", k=3))
    assert loaded.search("Quad", k=2).equals(ex.search("Quad", k=2))
    assert loaded.cluster(2).labels_.tolist() == ex.cluster(2).labels_.tolist()
    assert loaded.top_terms(5).equals(ex.top_terms(5))
    new = ["Le sommet du Quad à Washington", "Cyber attack on a bank"]
    assert (loaded.transform(new) != ex.transform(new)).nnz == 0


@pytest.mark.parametrize("make", [
    lambda: ts.TfidfVectorizer(sublinear_tf=True, min_df=1, analyzer=ts.Analyzer(language="fr")),
    lambda: ts.TfidfVectorizer(ngram_range=(1, 2), stop_words="english", dtype=np.float32, norm="l1"),
    lambda: ts.CountVectorizer(analyzer="char_wb", ngram_range=(2, 3), max_features=50, binary=True),
    lambda: ts.CountVectorizer(vocabulary=["quad", "sommet", "cyber"], dtype=np.int8),
])
@pytest.mark.parametrize("partial", [False, True])
def test_vectorizer_round_trip_is_exact(tmp_path: Path, make: Any, partial: bool) -> None:
    docs = articles().data
    v = make()
    if partial:
        v.partial_fit(docs[:3]).partial_fit(docs[3:])
    else:
        v.fit(docs)
    v.save(tmp_path / "v.tsc")
    loaded = type(v).load(tmp_path / "v.tsc")
    assert same_pickle(loaded, v)
    a, b = v.transform(docs), loaded.transform(docs)
    assert type(a) is type(b) and a.dtype == b.dtype
    assert a.data.tobytes() == b.data.tobytes() and a.indices.tobytes() == b.indices.tobytes()
    if partial:  # and it goes on counting as the original does
        more = ["Le sommet du Quad", "the cyber summit"]
        assert same_pickle(loaded.partial_fit(more), v.partial_fit(more))


def test_spherical_kmeans_round_trip_is_exact(tmp_path: Path) -> None:
    X = ts.TfidfVectorizer().fit_transform(articles().data * 4)
    km = ts.SphericalKMeans(n_clusters=3, random_state=1).fit(X)
    km.save(tmp_path / "km.tsc")
    loaded = ts.SphericalKMeans.load(tmp_path / "km.tsc")
    assert same_pickle(loaded, km)
    assert loaded.predict(X).tolist() == km.predict(X).tolist()
    assert loaded.transform(X).tobytes() == km.transform(X).tobytes()


def test_the_format_is_readable_without_themescope(tmp_path: Path) -> None:
    v = ts.TfidfVectorizer().fit(articles().data)
    path = tmp_path / "v.tsc"
    v.save(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "themescope" and manifest["format_version"] == persist.FORMAT_VERSION
        assert manifest["kind"] == "TfidfVectorizer"
        assert manifest["root"]["value"]["object"] == "themescope.text:TfidfVectorizer"
        state = dict(manifest["root"]["value"]["state"]["dict"])
        transformer = state["_tfidf"]["value"]["state"]["dict"]
        idf_member = dict(transformer)["idf_"]["value"]["ndarray"]
        idf = np.load(io.BytesIO(archive.read(idf_member)))
        assert idf.tobytes() == v.idf_.tobytes()
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_STORED


def test_arrays_are_mapped_read_only_or_copied_on_request(tmp_path: Path) -> None:
    km = ts.SphericalKMeans(n_clusters=2, random_state=0).fit(ts.TfidfVectorizer().fit_transform(articles().data))
    km.save(tmp_path / "km.tsc")
    mapped = ts.SphericalKMeans.load(tmp_path / "km.tsc")
    assert not mapped.cluster_centers_.flags.writeable
    assert mapped.cluster_centers_.ctypes.data % 64 == 0  # aligned in the file, and so in memory
    copied = ts.SphericalKMeans.load(tmp_path / "km.tsc", mmap_mode=False)
    assert copied.cluster_centers_.flags.writeable
    assert same_pickle(mapped, copied)


# ---- bad files: each a clear ValueError naming the problem ----
@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "v.tsc"
    ts.TfidfVectorizer().fit(articles().data).save(path)
    return path


def test_truncated_file(saved: Path) -> None:
    data = saved.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 100):
        saved.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="is not a themescope file, or it is truncated"):
            ts.TfidfVectorizer.load(saved)


def test_corrupted_array_is_named(saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    with zipfile.ZipFile(saved) as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)  # the largest array
        start = persist._data_offset(bytes(data), info, str(saved))
    data[start + info.file_size - 3] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=f"is corrupted: {info.filename} does not match its checksum"):
        ts.TfidfVectorizer.load(saved)


def rewrite_manifest(path: Path, change: Any) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def test_future_version(saved: Path) -> None:
    rewrite_manifest(saved, lambda m: m.update(format_version=persist.FORMAT_VERSION + 1, themescope_version="9.0"))
    with pytest.raises(ValueError, match="has format version 2, written by themescope 9.0; this themescope reads "
                                         "versions up to 1: upgrade themescope"):
        ts.TfidfVectorizer.load(saved)


def test_class_outside_themescope_is_refused(saved: Path) -> None:
    rewrite_manifest(saved, lambda m: m["root"]["value"].update(object="os:system"))
    with pytest.raises(ValueError, match="names a class outside themescope and scikit-learn"):
        ts.TfidfVectorizer.load(saved)


def test_other_files(tmp_path: Path, saved: Path) -> None:
    empty = tmp_path / "empty.tsc"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="is empty: not a themescope file"):
        persist.load(empty)
    text = tmp_path / "text.tsc"
    text.write_text("hello " * 100)
    with pytest.raises(ValueError, match="not a themescope file"):
        persist.load(text)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("data.txt", "x")
    with pytest.raises(ValueError, match="has no manifest.json"):
        persist.load(other)
    with pytest.raises(ValueError, match="holds a TfidfVectorizer, not a Explorer|holds a TfidfVectorizer, not an? Explorer"):
        ts.Explorer.load(saved)
    assert isinstance(ts.CountVectorizer.load(saved), ts.TfidfVectorizer)  # a subclass is one


def upper(text: str) -> list[str]:
    return text.upper().split()


def test_unsavable_attribute_is_named_and_the_old_file_kept(saved: Path) -> None:
    before = saved.read_bytes()
    v = ts.CountVectorizer(tokenizer=upper, token_pattern=None, lowercase=False).fit(["a b", "c"])
    with pytest.raises(ValueError, match=r"cannot save CountVectorizer\['tokenizer'\]: a .*function"):
        v.save(saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]  # no temporary file left


def test_kill_during_save_leaves_the_previous_file(tmp_path: Path) -> None:
    """A process killed (SIGKILL) while saving: the file holds the previous save, whole."""
    path = tmp_path / "big.tsc"
    script = textwrap.dedent(f"""
        import numpy as np
        from themescope import persist
        values = np.arange(8_000_000, dtype=np.float64)  # 64 MB: a save takes a while
        persist.save({{"values": values, "round": 0}}, {str(path)!r})
        print("ready", flush=True)
        round = 1
        while True:
            persist.save({{"values": values, "round": round}}, {str(path)!r})
            round += 1
    """)
    killed_mid_write = 0
    for attempt in range(8):
        with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            time.sleep(0.05 + 0.07 * attempt)
            process.send_signal(signal.SIGKILL)
            process.wait()
        leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        killed_mid_write += bool(leftovers)
        loaded = persist.load(path)
        assert loaded["values"].tobytes() == np.arange(8_000_000, dtype=np.float64).tobytes()
        for leftover in leftovers:
            leftover.unlink()
        if killed_mid_write >= 2:
            break
    assert killed_mid_write >= 1, "no kill landed during a save: the test proved nothing"
