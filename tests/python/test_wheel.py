"""The suite runs against the installed, repaired wheel, with the system's libraries hidden.

`make test` installs dist/themescope-*.whl into .venv and runs pytest through
tools/without-system-libraries, which covers the system's ICU, libstemmer, CLD2 and
abseil with /dev/null in a private mount namespace. These tests check that set-up
itself: were it to quietly fall back to python/ or to the system's libraries, the rest
of the suite would prove nothing about the wheel.
"""

from __future__ import annotations

import ctypes
import os
import re
import stat
import sysconfig
from importlib.metadata import distribution
from pathlib import Path

import pytest

import themescope as ts
import themescope._core

REPO_ROOT = Path(__file__).resolve().parents[2]
# The libraries the wheel must carry, by file name (any version).
CARRIED = re.compile(r"^lib(icu(uc|i18n|data)|stemmer|cld2|absl_[a-z0-9_]+)[-.]")

hidden = pytest.mark.skipif(
    os.environ.get("THEMESCOPE_SYSTEM_LIBRARIES_HIDDEN") != "1",
    reason="system libraries not hidden: run through tools/without-system-libraries (make test does)",
)


def mapped_files() -> set[Path]:
    """Files this process has mapped (shared libraries among them), from /proc/self/maps."""
    paths = set()
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith("/"):
            paths.add(Path(fields[5]))
    return paths


def system_copies() -> list[Path]:
    """The system's own files of the carried libraries (regular files, not links)."""
    found = []
    for folder in (Path("/usr/lib"), Path("/usr/lib") / sysconfig.get_config_var("MULTIARCH")):
        if folder.is_dir():
            found += [p for p in folder.iterdir() if CARRIED.match(p.name) and ".so" in p.name and not p.is_symlink()]
    return found


@hidden
def test_themescope_is_the_installed_wheel_not_the_source_tree() -> None:
    core = Path(themescope._core.__file__).resolve()
    assert Path(sysconfig.get_paths()["platlib"]).resolve() in core.parents
    assert (REPO_ROOT / "python").resolve() not in core.parents  # .venv may be in the checkout, python/ not
    installed = distribution("themescope")
    # Not an editable install, and the repaired wheel's own copies of the libraries are there.
    assert "editable" not in (installed.read_text("direct_url.json") or "")
    bundled = [f.name for f in installed.files or [] if f.parts[0] == "themescope.libs"]
    for library in ("libicuuc", "libicui18n", "libicudata", "libstemmer", "libcld2", "libabsl_raw_hash_set"):
        assert any(name.startswith(library + "-") for name in bundled), (library, bundled)


@hidden
def test_the_systems_copies_are_hidden() -> None:
    copies = system_copies()
    assert any(p.name.startswith("libicuuc.so") for p in copies), copies
    for path in copies:
        assert stat.S_ISCHR(path.stat().st_mode), f"{path} is not hidden"
    with pytest.raises(OSError, match="too short|invalid ELF"):
        ctypes.CDLL(str(next(p for p in copies if p.name.startswith("libicuuc.so"))))


@hidden
def test_every_carried_library_comes_from_the_wheel() -> None:
    # Use each library: ICU (normalization, word breaks, transliteration), CLD2, libstemmer, abseil.
    analyzer = ts.Analyzer(language="auto")
    assert analyzer("Les États-Unis et l'Australie renforcent leur coopération.")
    assert ts.detect_language("Les dirigeants se sont réunis samedi pour annoncer une alliance.") == "fr"
    assert ts.stem(["coopération"], "fr") == ["cooper"]
    ts.CrossLanguageFeatures().fit_transform(["Le sommet du Quad à Tokyo.", "The Quad summit in Tokyo."])
    loaded = [p for p in mapped_files() if CARRIED.match(p.name)]
    assert {"libicuuc", "libicui18n", "libstemmer", "libcld2"} <= {p.name.split("-")[0] for p in loaded}, loaded
    for path in loaded:
        assert path.parent.name.endswith(".libs"), f"{path} is not the wheel's copy"


def test_pyicu_oracle_runs_the_same_icu_as_the_core() -> None:
    # The parity tests compare the core's segmentation with PyICU's: same ICU release.
    import icu

    assert icu.ICU_VERSION == themescope._core.icu_version


# The wheel carries a subset of ICU's data (tools/icu_data_subset.py: no collation,
# converters, time zones, display names...). What themescope uses must all be there:
# word breaks with their dictionaries (Thai, Lao, Khmer, Burmese, Chinese, Japanese),
# normalization, and transliteration of every script to Latin. PyICU carries the full data.
SCRIPTS = {
    "thai": "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน",
    "japanese": "東京で日米豪印の首脳が会談した。サイバー攻撃に対抗する。",
    "chinese": "四国首脑在东京举行会谈，加强网络安全合作。",
    "korean": "네 나라 정상들이 도쿄에서 만났다",
    "khmer": "ភាសាខ្មែរ​គឺជា​ភាសា",
    "lao": "ພາສາລາວເປັນພາສາ",
    "burmese": "မြန်မာဘာသာစကားသည် မြန်မာနိုင်ငံ၏ ရုံးသုံးဘာသာစကား ဖြစ်သည်",
    "russian": "Лидеры четырёх стран встретились в Токио",
    "greek": "Οι ηγέτες συναντήθηκαν στο Τόκιο",
    "arabic": "التقى قادة الدول الأربع في طوكيو",
    "hebrew": "מנהיגי ארבע המדינות נפגשו בטוקיו",
    "hindi": "चार देशों के नेताओं ने टोक्यो में मुलाकात की",
    "latin": "L’OTAN ﬁnance ½ des ２０ projets: cœur, Œuvre, straße, e-mail",
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_word_segments_and_normalization_equal_full_icu_in_every_script(script: str) -> None:
    import icu

    text = SCRIPTS[script]
    normalized = icu.UnicodeString(str(icu.Normalizer2.getNFKCCasefoldInstance().normalize(text)).replace("\u2019", "'"))
    words = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    words.setText(normalized)
    expected, start = [], words.first()
    for end in words:
        if words.getRuleStatus() >= 100:  # UBRK_WORD_NONE_LIMIT: not space or punctuation
            expected.append(str(normalized[start:end]))
        start = end
    analyzer = ts.Analyzer(stop_words=None, stem=False, elision=False, min_token_len=1)
    assert analyzer.explain(text)["segment"].tolist() == expected
    assert len(expected) >= 3


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s != "latin"])
def test_transliteration_to_latin_equals_full_icu_in_every_script(script: str) -> None:
    import icu

    latin = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")
    analyzer = themescope._core.CrossLanguageAnalyzer(
        names=False, numbers=False, acronyms=False, cognate_prefix=100, min_word_length=1)
    cognates = [(feature.removeprefix("cog:"), word) for feature, word in analyzer.features(SCRIPTS[script])
                if feature.startswith("cog:")]
    if script not in ("japanese", "chinese"):  # CJK words give no cognates
        assert cognates
    for transliterated, word in cognates:
        assert transliterated == latin.transliterate(word), word
