"""How many threads the native kernels use."""

from __future__ import annotations

import numbers

from . import _core

# More threads than this is a mistake, not a machine: refuse it clearly.
_MAX_THREADS = 4096

# Read THEMESCOPE_NUM_THREADS now, at import, as documented, not at first use.
_core.get_num_threads()


def get_num_threads() -> int:
    """Return the number of threads native kernels use.

    The default is every core this process may run on, or the value of the
    environment variable ``THEMESCOPE_NUM_THREADS`` when it is set at import.

    Examples
    --------
    >>> import themescope as ts
    >>> ts.get_num_threads() >= 1
    True
    """
    return int(_core.get_num_threads())


def set_num_threads(n: int) -> None:
    """Set the number of threads native kernels use.

    Results never depend on it: every kernel is deterministic whatever the
    thread count.

    Parameters
    ----------
    n : int
        Number of threads, from 1 to 4096.

    Examples
    --------
    >>> import themescope as ts
    >>> previous = ts.get_num_threads()
    >>> ts.set_num_threads(1)
    >>> ts.get_num_threads()
    1
    >>> ts.set_num_threads(previous)
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int, got {type(n).__name__} {n!r}")
    if not 1 <= n <= _MAX_THREADS:
        raise ValueError(f"n must be between 1 and {_MAX_THREADS}, got {n}")
    _core.set_num_threads(int(n))
