"""scikit-learn's own tests of text feature extraction, run against themescope's vectorizers.

The installed scikit-learn ships ``sklearn/feature_extraction/tests/test_text.py``. It is
copied here at test time, unchanged but for one line added after its imports that puts
themescope's ``CountVectorizer``, ``TfidfTransformer`` and ``TfidfVectorizer`` in place of
scikit-learn's, and run by pytest in a process of its own. themescope claims scikit-learn's
behaviour exactly: every one of those tests must pass, whichever scikit-learn is installed.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

#: The line added after the copied module's imports.
REBIND = "from themescope import CountVectorizer, TfidfTransformer, TfidfVectorizer  # themescope's, not scikit-learn's"

#: Tests that check scikit-learn's own business, not behaviour themescope promises: node id -> why.
#: Each becomes a strict xfail (it must fail, or the entry goes). None today.
NOT_OURS: dict[str, str] = {}


def sklearn_test_text() -> Path:
    import sklearn

    path = Path(sklearn.__file__).parent / "feature_extraction" / "tests" / "test_text.py"
    assert path.is_file(), f"scikit-learn {sklearn.__version__} installed without its tests: no {path}"
    return path


def with_themescope_classes(source: str) -> str:
    """``source`` with REBIND inserted after its last top-level import (before any other statement)."""
    module = ast.parse(source)
    last_import = None
    for statement in module.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            last_import = statement
        elif not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            break  # the first statement that is neither an import nor the docstring
    assert last_import is not None and last_import.end_lineno is not None, "no imports in test_text.py"
    names = {alias.asname or alias.name for s in module.body if isinstance(s, ast.ImportFrom) for alias in s.names}
    missing = {"CountVectorizer", "TfidfTransformer", "TfidfVectorizer"} - names
    assert not missing, f"test_text.py no longer imports {sorted(missing)}: the rebinding would not reach its tests"
    lines = source.splitlines(keepends=True)
    return "".join(lines[: last_import.end_lineno]) + REBIND + "\n" + "".join(lines[last_import.end_lineno :])


def test_rebinding_line_goes_after_the_imports() -> None:
    source = '"""doc"""\nimport os\nfrom a import (\n    CountVectorizer,\n    TfidfTransformer,\n    TfidfVectorizer,\n)\n\nX = 1\nimport late\n'
    assert with_themescope_classes(source).splitlines() == [
        '"""doc"""', "import os", "from a import (", "    CountVectorizer,", "    TfidfTransformer,",
        "    TfidfVectorizer,", ")", REBIND, "", "X = 1", "import late",
    ]


def test_scikit_learns_text_tests_pass_against_themescope(tmp_path: Path) -> None:
    original = sklearn_test_text()
    copy = tmp_path / "test_text.py"
    copy.write_text(with_themescope_classes(original.read_text(encoding="utf-8")), encoding="utf-8")
    conftest = ["import pytest", "NOT_OURS = " + repr(NOT_OURS), "",
                "def pytest_collection_modifyitems(items):",
                "    for item in items:",
                "        if item.nodeid in NOT_OURS:",
                "            item.add_marker(pytest.mark.xfail(reason=NOT_OURS[item.nodeid], strict=True))",
                "",
                "def pytest_collection_finish(session):  # the tests hold themescope's classes, or none runs",
                "    for module in {item.module for item in session.items}:",
                "        for name in ('CountVectorizer', 'TfidfTransformer', 'TfidfVectorizer'):",
                "            where = getattr(module, name).__module__",
                "            assert where.startswith('themescope.'), f'{name} is from {where}'"]
    (tmp_path / "conftest.py").write_text("\n".join(conftest) + "\n", encoding="utf-8")
    # A process of its own, rooted in tmp_path: scikit-learn's tests run under their own
    # settings (they expect some warnings), not this repository's warnings-as-errors.
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfEX", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "-c", os.devnull, "--strict-markers", "-o", "xfail_strict=true", str(copy)],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )
    report = completed.stdout + completed.stderr
    summary = report.strip().splitlines()[-1] if report.strip() else "(no output)"
    assert completed.returncode == 0, f"scikit-learn's test_text.py against themescope: {summary}\n{report[-6000:]}"
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 100, f"too few of scikit-learn's tests ran: {summary}"
