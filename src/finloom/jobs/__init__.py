"""Jobs: persisted long-running work with typed parameters, progress, cancellation, local and Dask executors."""

from finloom.jobs._context import JobCancelled, JobContext, WorkerConfig
from finloom.jobs._executors import DaskExecutor, Executor, LocalExecutor
from finloom.jobs._files import (
    IMPORTS_DIR,
    import_roots,
    inside_roots,
    output_dir,
    resolve_import_file,
)
from finloom.jobs._kinds import JOB_KINDS, JobFunction, JobKind, resolve_kind, resolve_params
from finloom.jobs._params import (
    MAX_PARAMS_BYTES,
    DatasetName,
    InvalidParamsError,
    JobParams,
    ModelName,
    Seed,
    Version,
    check_params_size,
    parse_params,
    validation_problems,
)
from finloom.jobs._records import TERMINAL_STATUSES, Job, JobFile, JobStatus, JobSummary
from finloom.jobs._runner import DbProgress, run_job
from finloom.jobs._service import JobService

__all__ = [
    "IMPORTS_DIR",
    "JOB_KINDS",
    "MAX_PARAMS_BYTES",
    "TERMINAL_STATUSES",
    "DaskExecutor",
    "DatasetName",
    "DbProgress",
    "Executor",
    "InvalidParamsError",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobFile",
    "JobFunction",
    "JobKind",
    "JobParams",
    "JobService",
    "JobStatus",
    "JobSummary",
    "LocalExecutor",
    "ModelName",
    "Seed",
    "Version",
    "WorkerConfig",
    "check_params_size",
    "import_roots",
    "inside_roots",
    "output_dir",
    "parse_params",
    "resolve_import_file",
    "resolve_kind",
    "resolve_params",
    "run_job",
    "validation_problems",
]
