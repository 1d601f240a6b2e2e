"""How many threads the native kernels use."""

from __future__ import annotations

import numbers

from . import _core


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
        Number of threads, at least 1.

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
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    _core.set_num_threads(int(n))
