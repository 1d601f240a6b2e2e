"""Files written whole or not at all: a temporary file beside the target, then a rename.

A full disk, a file-size limit, a read-only folder or an interruption leaves the
previous file as it was (and no temporary file behind); readers never see half a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["open_atomic", "write_text_atomic"]


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path``, replacing it only once the whole text is on disk.

    Raises
    ------
    OSError
        With ``filename`` the target (not the temporary file) and the reason: a
        missing folder, no permission, a read-only file system, no space left.
    """
    with open_atomic(path) as file:
        file.write(text.encode(encoding))


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: it replaces ``path`` when the block ends
    without an exception (flushed and fsynced first), and is removed otherwise.

    Raises
    ------
    OSError
        As :func:`write_text_atomic` does, about the target.
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        descriptor, temporary = _create_beside(target, folder)
    except OSError as error:
        raise _about(error, target) from None
    try:
        with os.fdopen(descriptor, "w+b") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):  # a replaced file keeps its mode
            os.chmod(temporary, os.stat(target).st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _about(error, target) from None
        raise


def _create_beside(target: str, folder: str) -> tuple[int, str]:
    """A new hidden file in the target's folder, with the mode open() would give (umask applies)."""
    while True:
        name = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), name
        except FileExistsError:
            continue


def _about(error: OSError, target: str) -> OSError:
    """The same error, about the file the caller named."""
    reason = error.strerror or str(error)
    if error.errno is not None and os.path.isdir(target):
        reason = "it is a folder"
    elif not os.path.isdir(os.path.dirname(os.path.abspath(target))):
        reason = "no such folder"
    return type(error)(error.errno, f"cannot write {target}: {reason}")
