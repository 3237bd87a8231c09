"""Versioned folders written safely by concurrent requests: reserve, write privately, publish.

A registry first reserves the version number with a database row (a unique constraint decides
between racing requests, the loser retries), then writes the files into a private temporary
folder, renames it to ``v<N>`` without replacing anything there, and finally marks the row
ready. A failure removes only what that request created.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from finloom.errors import ConflictError

__all__ = ["remove_stale_temp", "retry_reservation", "write_version"]

T = TypeVar("T")
_ATTEMPTS = 25
_STAGED = "staged"  # the folder the writer fills inside the private temporary folder


def retry_reservation(reserve: Callable[[], T], what: str, attempts: int = _ATTEMPTS) -> T:
    """Call ``reserve`` until it commits without violating a unique constraint.

    Examples
    --------
    >>> tries = iter([IntegrityError("x", {}, Exception("dup")), 3])
    >>> def reserve():
    ...     item = next(tries)
    ...     if isinstance(item, Exception):
    ...         raise item
    ...     return item
    >>> retry_reservation(reserve, "model 'm'")
    3
    """
    for attempt in range(attempts):
        try:
            return reserve()
        except IntegrityError:
            time.sleep(min(0.2, 0.005 * 2**attempt))  # let the winner commit
    raise ConflictError(
        f"{what} must be written by fewer requests at once; got {attempts} version "
        "conflicts in a row. Try again."
    )


def _publish(staged: Path, target: Path) -> tuple[int, int]:
    """Rename ``staged`` to ``target`` without replacing a folder there; return its identity.

    The caller owns the version number, so a folder already at ``target`` belongs to no row
    (left by a crash, or by a request whose dataset was deleted meanwhile): it is set aside as
    a hidden ``.tmp`` folder for :func:`remove_stale_temp`, never deleted here.
    """
    try:
        os.rename(staged, target)  # POSIX: fails on a non-empty folder, never replaces it
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise
        os.rename(target, target.with_name(f".{target.name}.stale-{uuid.uuid4().hex[:8]}.tmp"))
        os.rename(staged, target)
    info = target.stat()
    return info.st_dev, info.st_ino


def _remove_if_own(target: Path, identity: tuple[int, int]) -> None:
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    if (info.st_dev, info.st_ino) == identity:  # still the folder this request published
        shutil.rmtree(target, ignore_errors=True)


def write_version(target: Path, write: Callable[[Path], T], finish: Callable[[T], None]) -> T:
    """Write a version folder at ``target`` for a version number the caller has reserved.

    ``write(staged)`` creates and fills ``staged`` (inside a private temporary folder next to
    ``target``); the folder is then published at ``target`` and ``finish(result)`` marks the
    row ready. On any failure the private folder, and ``target`` if this call published it,
    are removed; nothing another request wrote is touched.

    Examples
    --------
    >>> root = Path(tempfile.mkdtemp())
    >>> def write(staged):
    ...     staged.mkdir()
    ...     return (staged / "a.txt").write_text("hi")
    >>> write_version(root / "v1", write, lambda n: None)
    2
    >>> sorted(p.name for p in root.iterdir()), (root / "v1" / "a.txt").read_text()
    (['v1'], 'hi')
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    identity: tuple[int, int] | None = None
    try:
        result = write(private / _STAGED)
        identity = _publish(private / _STAGED, target)
        finish(result)
        return result
    except BaseException:
        if identity is not None:
            _remove_if_own(target, identity)
        raise
    finally:
        shutil.rmtree(private, ignore_errors=True)


def remove_stale_temp(root: Path, older_than: float) -> int:
    """Remove hidden ``.tmp`` folders under ``root/<name>/`` untouched for ``older_than`` seconds.

    Writes still in progress (in this process or another) are younger and are left alone.

    Examples
    --------
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "m" / ".v1.x.tmp").mkdir(parents=True)
    >>> remove_stale_temp(root, older_than=3600), remove_stale_temp(root, older_than=0)
    (0, 1)
    """
    removed = 0
    cutoff = time.time() - older_than
    for tmp in root.glob("*/.*.tmp"):
        try:
            if tmp.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        shutil.rmtree(tmp, ignore_errors=True)
        removed += 1
    return removed
