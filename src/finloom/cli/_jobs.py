"""Long commands run as workspace jobs: submit, follow with a progress bar, publish the outputs.

Every long command (``synth fit``, ``market fit``, ``nlp train``, ...) submits the job kind the
API submits, through the same service function (audited as the local user), so the run shows
in ``finloom jobs list``, the API's job list and the web job pages. The job runs in a detached
worker process (:class:`~finloom.jobs.LocalExecutor` ``mode="detached"``, or on Dask when
``FINLOOM_DASK_ADDRESS`` is set). By default the command waits and streams the job's progress;
``--no-wait`` prints the job id and returns. Ctrl-C while waiting cancels the job (audited as
``job.cancel``) and exits with code 130; to leave a job running, submit it with ``--no-wait``
and follow it with ``finloom jobs show ID --follow``, where Ctrl-C only stops following.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from finloom.cli._common import console, err_console, local_actor
from finloom.cli._progress import progress_reporter

if TYPE_CHECKING:
    from finloom.jobs import Job
    from finloom.workbench import ExecutorMode, Workbench

__all__ = ["EXECUTOR_MODE", "Wait", "dataset_name", "follow", "import_input", "job_folder", "job_workbench", "publish_dir", "publish_file", "run_job"]

# where the commands' jobs run: a detached process that outlives the command ("thread" in fast tests)
EXECUTOR_MODE: ExecutorMode = "detached"
POLL = 0.3  # seconds between two looks at the job row
CANCEL_GRACE = 15.0  # seconds a cancelled job gets to stop before the command gives up waiting
LOG_NAME = "log.txt"  # the job's progress log stays in the workspace

Wait = Annotated[bool, typer.Option(
    "--wait/--no-wait",
    help="Wait for the job, showing its progress, then write --out (default). --no-wait prints the job id "
         "and returns; the files then stay in the workspace's job folder.")]


def dataset_name(path: Path) -> str:
    """A dataset name from a file name (letters, digits, '-', '_' and '.' only).

    Examples
    --------
    >>> dataset_name(Path("/tmp/loan book (2024).csv"))
    'loan-book-2024'
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.") or "data"
    return name[:100]


def job_workbench() -> Workbench:
    """A migrated workbench whose jobs run in detached workers (they outlive this command)."""
    from finloom.config import Settings
    from finloom.workbench import Workbench

    return Workbench(Settings(), executor_mode=EXECUTOR_MODE).migrate()


def import_input(wb: Workbench, path: Path | str, what: str) -> str:
    """A local input file or folder made readable by jobs (copied into the imports folder)."""
    from finloom.services.jobs import import_local_path

    return import_local_path(wb, local_actor(), path, what)


def follow(wb: Workbench, job: Job, *, cancel_on_interrupt: bool = False, title: str = "") -> Job:
    """Show live progress until ``job`` ends; return it finished.

    Ctrl-C cancels the job (``cancel_on_interrupt``) and waits for it to stop, or only stops
    following (the job keeps running; the message says how to cancel it).
    """
    try:
        with progress_reporter(title or job.kind) as progress:
            while not job.finished:
                if job.status == "running":
                    progress(job.progress, job.message)
                time.sleep(POLL)
                job = wb.jobs.get(job.id)
            if job.status == "succeeded":  # a failure is told by its error line alone
                progress(job.progress, job.message)
        return job
    except KeyboardInterrupt:
        if not cancel_on_interrupt:
            err_console.print(f"stopped following job {job.id[:8]}; it keeps running. "
                              f"Cancel it with 'finloom jobs cancel {job.id[:8]}'.", highlight=False)
            raise typer.Exit(130) from None
        return _cancel(wb, job)


def _cancel(wb: Workbench, job: Job) -> Job:
    from finloom.errors import ConflictError
    from finloom.services.jobs import cancel_job

    err_console.print(f"interrupted: cancelling job {job.id[:8]} ...", highlight=False)
    try:
        cancel_job(wb, local_actor(), job.id)
    except ConflictError:  # it finished meanwhile
        return wb.jobs.get(job.id)
    return wb.jobs.wait(job.id, timeout=CANCEL_GRACE, poll=POLL)


def _one_line(text: str | None) -> str:
    return " ".join((text or "no error message").split())


def run_job(wb: Workbench, kind: str, params: dict[str, Any], *, wait: bool = True, title: str = "") -> Job | None:
    """Submit ``kind`` with ``params`` as the local user; with ``wait``, follow it to the end.

    Returns the succeeded job, or None with ``--no-wait``. A failed job prints its one-line
    error and exits 1; a cancelled one exits 130.
    """
    from finloom.jobs import output_dir
    from finloom.services.jobs import submit_job

    job = submit_job(wb, local_actor(), kind, params)
    short = job.id[:8]
    if not wait:
        console.print(f"submitted job {job.id} ({kind})", highlight=False)
        console.print(f"follow it with 'finloom jobs show {short} --follow', cancel it with 'finloom jobs cancel "
                      f"{short}'; its files will be in {output_dir(wb.workspace, job.id)}", highlight=False, soft_wrap=True)
        return None
    job = follow(wb, job, cancel_on_interrupt=True, title=title)
    if job.status == "failed":
        err_console.print(f"[red]error:[/red] job {short} ({kind}) failed: {_one_line(job.error)}",
                          highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if job.status != "succeeded":
        state = job.status if job.finished else "still stopping"
        err_console.print(f"job {short} ({kind}) {state}; nothing was written", highlight=False)
        raise typer.Exit(130)
    return job


def _copy_to_temp(files: list[tuple[Path, str]], parent: Path, name: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
    for source, relative in files:
        target = tmp / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return tmp


def _replace(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target``, replacing it (a folder is swapped in by two renames)."""
    if target.is_dir() and staged.is_dir():
        backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, backup / target.name)
        os.replace(staged, target)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(staged, target)


def publish_dir(source: Path, dest: Path, *, only: tuple[str, ...] = ()) -> Path:
    """Copy the entries of folder ``source`` (``only`` these names, if given; never the job's
    progress log) into folder ``dest``: each entry is written under a temporary name and then
    renamed over the old one, so ``dest`` never shows a half-written entry."""
    entries = [p for p in sorted(source.iterdir()) if not p.name.startswith(".") and p.name != LOG_NAME
               and (not only or p.name in only)]
    files = [(f, str(f.relative_to(source))) for e in entries for f in ([e] if e.is_file() else sorted(e.rglob("*")))
             if f.is_file()]
    tmp = _copy_to_temp(files, dest.parent if not dest.exists() else dest, dest.name)
    try:
        if not dest.exists():
            os.replace(tmp, dest)
            return dest
        for entry in sorted(tmp.iterdir()):
            _replace(entry, dest / entry.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def publish_file(source: Path, dest: Path) -> Path:
    """Copy file ``source`` to ``dest`` (temporary name in its folder, then a rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def job_folder(wb: Workbench, job: Job) -> Path:
    """The folder of a succeeded job's files."""
    from finloom.jobs import output_dir

    return output_dir(wb.workspace, job.id)
