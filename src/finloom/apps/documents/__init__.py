"""Document review scenario: check uploaded documents against declared data; generate synthetic ones."""

from finloom.apps.documents.schemas import (
    DeclaredIn,
    DocumentCheckOptions,
    DocumentCheckParams,
    DocumentGenerateParams,
)
from finloom.apps.documents.service import RESULTS_FILE, check_job, generate_job, review_file

__all__ = [
    "RESULTS_FILE",
    "DeclaredIn",
    "DocumentCheckOptions",
    "DocumentCheckParams",
    "DocumentGenerateParams",
    "check_job",
    "generate_job",
    "review_file",
]
