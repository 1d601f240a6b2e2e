"""Which build of the native core this process loads, chosen before anything imports it.

The wheel carries ``themescope._core`` twice: built for any x86-64 processor, and built
for x86-64-v3 ones (AVX2, FMA, BMI2: every x86-64 processor sold since about 2015),
whose vector instructions are twice as wide (Eigen's products, the vectorised loops).
Both files hold the same module; the second is loaded under the first's name where the
processor has what it needs, so nothing else in the package (nor a pickle) can tell
which one runs, except :data:`VARIANT`.

The environment variable ``THEMESCOPE_CORE`` chooses by hand, read once at import:
``auto`` (default), ``baseline`` or ``x86-64-v3`` (an error where the processor lacks it).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import platform
import sys
from pathlib import Path

#: The processor features that gcc's -march=x86-64-v3 may use, as Linux names them in
#: /proc/cpuinfo ("abm" is LZCNT; the kernel lists AVX only where it saves AVX state).
X86_64_V3_FLAGS = frozenset({"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"})

CHOICES = ("auto", "baseline", "x86-64-v3")

#: The build this process loaded: "baseline" or "x86-64-v3".
VARIANT = "baseline"


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The processor's feature flags (empty where /proc/cpuinfo is missing or says none)."""
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "flags":
                return frozenset(value.split())
    except OSError:
        pass
    return frozenset()


def _x86_64_v3_file() -> Path | None:
    here = Path(__file__).parent
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = here / f"_core_x86_64_v3{suffix}"
        if candidate.is_file():
            return candidate
    return None


def choose(requested: str, flags: frozenset[str], machine: str, have_file: bool) -> str:
    """The variant to load for ``THEMESCOPE_CORE=requested`` on this processor."""
    if requested not in CHOICES:
        raise ImportError(f"THEMESCOPE_CORE must be one of {', '.join(CHOICES)}; got {requested!r}")
    capable = machine in ("x86_64", "AMD64") and X86_64_V3_FLAGS <= flags
    if requested == "x86-64-v3":
        if not have_file:
            raise ImportError("THEMESCOPE_CORE=x86-64-v3, but this build of themescope has no x86-64-v3 core")
        if not capable:
            missing = sorted(X86_64_V3_FLAGS - flags) or [machine]
            raise ImportError(f"THEMESCOPE_CORE=x86-64-v3, but this processor lacks {', '.join(missing)}")
        return "x86-64-v3"
    if requested == "auto" and capable and have_file:
        return "x86-64-v3"
    return "baseline"


def load(package: str) -> None:
    """Load ``<package>._core``: the x86-64-v3 build where chosen; otherwise leave it to
    the ordinary import, which finds the baseline one."""
    global VARIANT
    name = f"{package}._core"
    if name in sys.modules:
        return
    path = _x86_64_v3_file()
    VARIANT = choose(os.environ.get("THEMESCOPE_CORE", "auto").strip() or "auto", cpu_flags(),
                     platform.machine(), path is not None)
    if VARIANT != "x86-64-v3" or path is None:
        return
    # The file's init function is PyInit__core: loaded under the name "<package>._core".
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    setattr(sys.modules[package], "_core", module)  # noqa: B010 (typed: a module's attribute) as an import binds it
