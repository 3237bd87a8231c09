"""Typed inputs and outputs of credit review: document findings, scored applicants, overrides."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from finloom.apps.credit_review._decisions import Band

__all__ = ["DocumentFinding", "OverrideIn", "OverrideRecord", "ReasonOut", "ScoredApplicant"]


class DocumentFinding(BaseModel):
    """One finding of a document check shown beside the score (item 6 of the issue).

    The document engine (``finloom.documents``) produces these; credit review only displays them,
    so any producer of this plain shape plugs in.

    Examples
    --------
    >>> DocumentFinding(document="payslip.pdf", check="income_match", severity="warning",
    ...                 message="Stated income differs from the payslip").severity
    'warning'
    """

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=1, max_length=300)
    check: str = Field(min_length=1, max_length=120, description="Which cross-check found it.")
    severity: Literal["info", "warning", "error"] = "warning"
    message: str = Field(min_length=1, max_length=1000)
    field: str | None = Field(
        default=None, max_length=200, description="The application field concerned."
    )


class ReasonOut(BaseModel):
    """A reason as shown in the queue and the API."""

    feature: str
    points: float
    en: str
    zh: str


class ScoredApplicant(BaseModel):
    """One applicant in the review queue: score, band, reasons, document findings, final decision."""

    applicant_id: str
    score: float
    pd: float
    band: Band
    reasons: list[ReasonOut] = Field(default_factory=list)
    findings: list[DocumentFinding] = Field(default_factory=list)
    final_band: Band | None = None  # set by an override
    override_reason: str | None = None

    @property
    def decision(self) -> Band:
        """The band in force (the override's when there is one)."""
        return self.final_band or self.band

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return self.model_dump(mode="json")


class OverrideIn(BaseModel):
    """An analyst's override: the new band and the mandatory reason.

    Examples
    --------
    >>> OverrideIn(band="approve", reason="Verified new employment contract").band
    'approve'
    """

    model_config = ConfigDict(extra="forbid")

    band: Band
    reason: str = Field(
        min_length=5, max_length=1000, description="Why the model's band is overridden (required)."
    )


class OverrideRecord(BaseModel):
    """An override as kept in the queue's log."""

    applicant_id: str
    from_band: Band
    to_band: Band
    reason: str
    actor: str
    at: str
