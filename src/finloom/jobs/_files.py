"""Files around jobs: the folders a job may read from, and the folder its outputs appear in.

Reading: a file named in job parameters must resolve (symlinks followed) inside an *import
root*: ``<workspace>/imports`` or a folder listed in ``FINLOOM_IMPORT_ROOTS``. Relative paths
are taken from ``<workspace>/imports``. Messages never show a resolved server path.

Writing: a job writes into ``<workspace>/jobs/.<id>.partial/``; only when it succeeds is that
folder renamed to ``<workspace>/jobs/<id>/``, so a failed, cancelled or killed job shows no files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from finloom.jobs._params import InvalidParamsError
from finloom.jobs._records import JobFile

__all__ = [
    "IMPORTS_DIR",
    "discard_outputs",
    "import_roots",
    "inside_roots",
    "list_outputs",
    "output_dir",
    "output_file",
    "partial_dir",
    "publish_outputs",
    "remove_partial_outputs",
    "resolve_import_file",
]

IMPORTS_DIR = "imports"
_PARTIAL = ".partial"


def import_roots(workspace: str | os.PathLike[str], extra: Iterable[str | os.PathLike[str]] = ()) -> tuple[Path, ...]:
    """The folders job parameters may name files in: ``<workspace>/imports`` first, then ``extra``.

    Examples
    --------
    >>> [p.name for p in import_roots("/srv/ws", ["/data/shared"])]
    ['imports', 'shared']
    """
    return tuple(Path(p).resolve() for p in (Path(workspace) / IMPORTS_DIR, *extra))


def inside_roots(value: str, roots: Sequence[Path]) -> Path | None:
    """``value`` resolved (relative to the first root) if it lies inside one of ``roots``, else None.

    Examples
    --------
    >>> roots = import_roots("/srv/ws")
    >>> inside_roots("q1/test.conll", roots).parts[-3:]
    ('imports', 'q1', 'test.conll')
    >>> inside_roots("../finloom.db", roots) is None, inside_roots("/etc/passwd", roots) is None
    (True, True)
    """
    if not roots or not value.strip() or "\x00" in value:
        return None
    candidate = Path(value.strip())
    path = (candidate if candidate.is_absolute() else roots[0] / candidate).resolve()
    return path if any(path.is_relative_to(root) for root in roots) else None


def resolve_import_file(value: str, *, field: str, roots: Sequence[Path]) -> Path:
    """The file ``value`` names inside the import roots; a templated error (no server path) if not.

    Examples
    --------
    >>> resolve_import_file("/etc/passwd", field="test_path", roots=import_roots("/srv/ws"))
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: test_path must be a file inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; got '/etc/passwd'. Copy the file into the imports folder and pass its path relative to it.
    """
    path = inside_roots(value, roots)
    if path is None:
        raise InvalidParamsError(
            f"{field} must be a file inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; "
            f"got {value!r}. Copy the file into the imports folder and pass its path relative to it."
        )
    if not path.is_file():
        raise InvalidParamsError(
            f"{field} must be an existing file inside the import folders; got {value!r}, which is not there. "
            "Copy the file into the imports folder first."
        )
    return path


def output_dir(workspace: str | os.PathLike[str], job_id: str) -> Path:
    """Where a succeeded job's files are: ``<workspace>/jobs/<id>``."""
    return Path(workspace) / "jobs" / job_id


def partial_dir(workspace: str | os.PathLike[str], job_id: str) -> Path:
    """Where a running job writes: ``<workspace>/jobs/.<id>.partial`` (never listed or served)."""
    return Path(workspace) / "jobs" / f".{job_id}{_PARTIAL}"


def publish_outputs(workspace: str | os.PathLike[str], job_id: str) -> None:
    """Rename a finished job's partial folder to its output folder (one atomic rename)."""
    partial = partial_dir(workspace, job_id)
    if partial.is_dir():
        os.replace(partial, output_dir(workspace, job_id))


def discard_outputs(workspace: str | os.PathLike[str], job_id: str) -> None:
    """Delete what a job that did not succeed had written, keeping its progress log (``log.txt``):
    a failed two-hour training should still show how far it got."""
    partial = partial_dir(workspace, job_id)
    _keep_log(partial, output_dir(workspace, job_id))
    shutil.rmtree(partial, ignore_errors=True)


def _keep_log(partial: Path, out: Path) -> None:
    from finloom.jobs._log import LOG_NAME

    log = partial / LOG_NAME
    if log.is_file() and not out.exists():
        out.mkdir(parents=True, exist_ok=True)
        os.replace(log, out / LOG_NAME)


def remove_partial_outputs(workspace: str | os.PathLike[str], is_over: Callable[[str], bool]) -> int:
    """Delete the partial folders of the jobs for which ``is_over(job_id)`` (no longer running);
    returns how many. Asked per folder, so a job that started meanwhile keeps its folder."""
    root = Path(workspace) / "jobs"
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.glob(f".*{_PARTIAL}"):
        job_id = folder.name[1:-len(_PARTIAL)]
        if is_over(job_id):
            _keep_log(folder, output_dir(workspace, job_id))
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def list_outputs(workspace: str | os.PathLike[str], job_id: str) -> list[JobFile]:
    """The files in a job's output folder (hidden files left out), sorted by name."""
    root = output_dir(workspace, job_id)
    if not root.is_dir():
        return []
    return [
        JobFile(str(p.relative_to(root)), p.stat().st_size)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]


def output_file(workspace: str | os.PathLike[str], job_id: str, name: str) -> Path | None:
    """The output file ``name`` of a job, or None when it is not one (no escaping its folder)."""
    root = output_dir(workspace, job_id).resolve()
    path = (root / name).resolve()
    hidden = any(part.startswith(".") for part in Path(name).parts)
    return path if path.is_relative_to(root) and path.is_file() and not hidden else None
