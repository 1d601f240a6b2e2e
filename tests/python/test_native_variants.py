"""The two builds of the native core (baseline x86-64 and x86-64-v3): which one loads,
and that both give the same results."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import themescope._core
from themescope import _native

V3 = _native.X86_64_V3_FLAGS
BBC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "bbc_news_en" / "bbc"


@pytest.mark.parametrize(("requested", "flags", "machine", "have_file", "expected"), [
    ("auto", V3, "x86_64", True, "x86-64-v3"),
    ("auto", V3 - {"avx2"}, "x86_64", True, "baseline"),
    ("auto", V3, "x86_64", False, "baseline"),   # a build without the second core
    ("auto", V3, "aarch64", True, "baseline"),
    ("auto", frozenset(), "x86_64", True, "baseline"),  # no /proc/cpuinfo
    ("baseline", V3, "x86_64", True, "baseline"),
    ("x86-64-v3", V3 | {"avx512f"}, "x86_64", True, "x86-64-v3"),
])
def test_the_variant_chosen(requested: str, flags: frozenset[str], machine: str, have_file: bool,
                            expected: str) -> None:
    assert _native.choose(requested, flags, machine, have_file) == expected


def test_a_variant_that_cannot_load_is_refused_by_name() -> None:
    with pytest.raises(ImportError, match="lacks avx2, fma"):
        _native.choose("x86-64-v3", V3 - {"avx2", "fma"}, "x86_64", True)
    with pytest.raises(ImportError, match="no x86-64-v3 core"):
        _native.choose("x86-64-v3", V3, "x86_64", False)
    with pytest.raises(ImportError, match="'avx2'"):
        _native.choose("avx2", V3, "x86_64", True)


def test_cpu_flags_are_read_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    assert _native.cpu_flags(cpuinfo) == {"fpu", "sse2", "avx", "avx2"}
    assert _native.cpu_flags(tmp_path / "missing") == frozenset()


def test_the_loaded_core_is_the_chosen_one() -> None:
    expected = _native.choose(os.environ.get("THEMESCOPE_CORE", "auto") or "auto", _native.cpu_flags(),
                              os.uname().machine, _native._x86_64_v3_file() is not None)
    assert _native.VARIANT == expected
    name = Path(themescope._core.__file__).name
    assert name.startswith("_core_x86_64_v3.") == (expected == "x86-64-v3")
    assert themescope._core.__name__ == "themescope._core"  # pickles name the same module either way


# What each build computes, in a child process of its own (the variant is chosen at import).
_RUN = r"""
import json, sys
import numpy as np
import themescope as ts
from themescope import _native
texts = json.load(open(sys.argv[1]))
out = {"variant": _native.VARIANT}
X = ts.TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
out["tfidf"] = [X.data.tolist(), X.indices.tolist()]
ex = ts.Explorer(random_state=0).fit(texts)
out["lsa"] = ex.lsa_.tolist()
out["labels"] = ex.cluster(5).labels_.tolist()
out["auto_k"] = int(len(set(ex.cluster("auto").labels_.tolist())))
out["neighbors"] = ex.neighbors(k=5)[0].tolist()
out["search"] = ex.query(["football match"], k=3)[0].tolist()
import pickle
with open(sys.argv[2], "wb") as f:
    pickle.dump(ex, f)
json.dump(out, sys.stdout)
"""


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpora/bbc_news_en")
@pytest.mark.skipif(_native._x86_64_v3_file() is None or not _native.X86_64_V3_FLAGS <= _native.cpu_flags(),
                    reason="this build or processor has one core only")
def test_both_builds_give_the_same_results(tmp_path: Path) -> None:
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in sorted(BBC.glob("*/*.txt"))[::5]]
    corpus = tmp_path / "texts.json"
    corpus.write_text(json.dumps(texts))
    results = {}
    for variant in ("baseline", "x86-64-v3"):
        env = dict(os.environ, THEMESCOPE_CORE=variant)
        done = subprocess.run([sys.executable, "-c", _RUN, str(corpus), str(tmp_path / f"{variant}.pkl")], env=env,
                              capture_output=True, text=True, check=True)
        results[variant] = json.loads(done.stdout)
        assert results[variant]["variant"] == variant
    base, v3 = results["baseline"], results["x86-64-v3"]
    # The vectorizers' arithmetic is the same, operation for operation (no fused multiply-add).
    assert base["tfidf"] == v3["tfidf"]
    # LSA goes through Eigen's matrix kernels, which fuse on x86-64-v3: equal to rounding.
    np.testing.assert_allclose(np.array(v3["lsa"]), np.array(base["lsa"]), rtol=0, atol=1e-9)
    assert base["labels"] == v3["labels"]
    assert base["auto_k"] == v3["auto_k"]
    assert base["neighbors"] == v3["neighbors"]
    assert base["search"] == v3["search"]
    # A fitted Explorer pickled by one build is loaded and searched by the other.
    for variant, other in (("baseline", v3), ("x86-64-v3", base)):
        with open(tmp_path / f"{variant}.pkl", "rb") as f:
            explorer = pickle.load(f)
        assert explorer.query(["football match"], k=3)[0].tolist() == other["search"]
    assert len(texts) == 445
