"""Jobs: persisted long-running work with progress, cancellation, local and Dask executors."""

from finloom.jobs._context import JobCancelled, JobContext, WorkerConfig
from finloom.jobs._executors import DaskExecutor, Executor, LocalExecutor
from finloom.jobs._kinds import JOB_KINDS, JobFunction, resolve_kind
from finloom.jobs._runner import DbProgress, run_job
from finloom.jobs._service import JobService, job_to_dict

__all__ = [
    "JOB_KINDS",
    "DaskExecutor",
    "DbProgress",
    "Executor",
    "JobCancelled",
    "JobContext",
    "JobFunction",
    "JobService",
    "LocalExecutor",
    "WorkerConfig",
    "job_to_dict",
    "resolve_kind",
    "run_job",
]
