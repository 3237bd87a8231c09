"""Typed parameters of the document jobs: read and check uploaded documents, generate synthetic ones."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from finloom.jobs import JobContext, JobParams, Seed

__all__ = ["DeclaredIn", "DocumentCheckOptions", "DocumentCheckParams", "DocumentGenerateParams"]

Lang = Literal["en", "zh"]
DocType = Literal["payslip", "bank_statement", "utility_bill", "employment_letter", "id_card"]
ALL_TYPES: tuple[DocType, ...] = ("payslip", "bank_statement", "utility_bill", "employment_letter", "id_card")
ImportPath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="A file inside the workspace's imports folder (relative to it) or a FINLOOM_IMPORT_ROOTS folder.",
    ),
]


class DeclaredIn(BaseModel):
    """What the applicant declared; every field is optional (a check without its datum is skipped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | None = Field(default=None, max_length=200, description="The applicant's name.")
    monthly_income: float | None = Field(
        default=None, ge=0, le=1e9, description="Declared monthly income."
    )
    id_number: str | None = Field(default=None, max_length=40, description="Declared ID number.")
    as_of: dt.date | None = Field(
        default=None, description="Application date (YYYY-MM-DD); default today."
    )


class DocumentCheckOptions(BaseModel):
    """How to read and check documents (the API's form fields, the page's form, the CLI's options)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    lang: Lang = Field(default="en", description="Language of the documents: en or zh.")
    doc_type: DocType | None = Field(
        default=None, description="Document type; empty to recognise it from the title."
    )
    declared: DeclaredIn = Field(default_factory=DeclaredIn)
    max_age_days: int = Field(
        default=90, ge=1, le=3650, description="Documents older than this are stale."
    )
    income_tolerance: float = Field(
        default=0.10, ge=0, le=1, description="Allowed income difference (share)."
    )
    max_pages: int = Field(default=20, ge=1, le=500, description="Pages allowed per PDF.")
    max_megapixels: float = Field(
        default=40.0, gt=0, le=400, description="Pixels allowed per page, in millions."
    )


class DocumentCheckParams(JobParams, DocumentCheckOptions):
    """``documents.check``: OCR each page, extract its fields, check them against the declared data."""

    kind = "documents.check"
    files: list[ImportPath] = Field(
        min_length=1, max_length=50, description="Images (PNG, JPEG, TIFF) or PDFs."
    )

    def check(self, ctx: JobContext) -> None:
        for i, path in enumerate(self.files):
            ctx.resolve_import(path, f"files[{i}]")


class DocumentGenerateParams(JobParams):
    """``documents.generate``: fictional document images with their ground truth (JSON)."""

    kind = "documents.generate"
    n: int = Field(default=10, ge=1, le=1000, description="Number of documents.")
    lang: Lang = "en"
    doc_types: list[DocType] = Field(
        default_factory=lambda: list(ALL_TYPES),
        min_length=1,
        max_length=5,
    )
    noise: Literal["none", "light", "medium", "heavy"] = Field(
        default="medium", description="Scanner/phone noise."
    )
    fraud_rate: float = Field(
        default=0.0, ge=0, le=1, description="Share of documents with a planted fraud variant."
    )
    dpi: int = Field(default=200, ge=150, le=300)
    format: Literal["png", "pdf"] = "png"
    seed: Seed = 0
