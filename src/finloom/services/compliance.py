"""Compliance checks of texts over HTTP and on the web page: findings, recorded (PII masked) in the audit log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from finloom.store import record_audit
from finloom.workbench import Workbench

__all__ = [
    "MAX_BATCH_CHARS",
    "MAX_BATCH_TEXTS",
    "AuditTextIn",
    "AuditTextOut",
    "AuditTextsIn",
    "AuditTextsOut",
    "FindingOut",
    "TextAuditOut",
    "check_text",
    "check_texts",
]

Lang = Literal["en", "zh"]
MAX_BATCH_TEXTS = 500
MAX_BATCH_CHARS = 2_000_000


class AuditTextIn(BaseModel):
    """One text to check, with the optional product and customer risk levels for suitability."""

    text: str = Field(min_length=1, max_length=100_000)
    lang: Lang | None = None
    product_risk: str | None = Field(default=None, max_length=4, description="R1..R5")
    customer_risk: str | None = Field(default=None, max_length=4, description="C1..C5")


class FindingOut(BaseModel):
    rule_id: str
    severity: str
    category: str
    explanation: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    row: Any = None


class AuditTextOut(BaseModel):
    findings: list[FindingOut]
    masked_text: str


class AuditTextsIn(BaseModel):
    """A batch of texts (up to 500, 2 million characters in all), with optional ids."""

    texts: Annotated[list[Annotated[str, Field(min_length=1, max_length=100_000)]],
                     Field(min_length=1, max_length=MAX_BATCH_TEXTS)]
    ids: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, max_length=MAX_BATCH_TEXTS, description="One id per text; default 1, 2, 3 ...")
    lang: Lang | None = None

    @model_validator(mode="after")
    def _limits(self) -> AuditTextsIn:
        total = sum(len(t) for t in self.texts)
        if total > MAX_BATCH_CHARS:
            raise ValueError(f"texts must hold at most {MAX_BATCH_CHARS} characters in all; got {total}. "
                             "Split the batch.")
        if self.ids is not None and len(self.ids) != len(self.texts):
            raise ValueError(f"ids must have one entry per text; got {len(self.ids)} ids for {len(self.texts)} texts.")
        return self


class TextAuditOut(BaseModel):
    text_id: str
    categories: list[str]
    findings: list[FindingOut]


class AuditTextsOut(BaseModel):
    results: list[TextAuditOut]
    texts_with_findings: int
    per_category: dict[str, int]


def check_text(workbench: Workbench, actor: str, body: AuditTextIn) -> AuditTextOut:
    """Check one text against the compliance detectors and rule packs; audit ``compliance.text``
    with the findings (the text masked, finding spans left out).

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> out = check_text(wb, "ana", AuditTextIn(text="Guaranteed 20% returns, zero risk!"))
    >>> sorted({f.category for f in out.findings}) != []
    True
    """
    from finloom.apps.compliance import audit_text, mask_pii

    context = {k: v for k, v in {"product_risk": body.product_risk, "customer_risk": body.customer_risk}.items() if v}
    findings = [f.to_dict() for f in audit_text(body.text, body.lang, context=context if len(context) == 2 else None)]
    masked = mask_pii(body.text)
    safe = [{k: v for k, v in f.items() if k != "text"} for f in findings]
    with workbench.session() as session:
        record_audit(session, actor=actor, action="compliance.text", target=masked[:200], details={"findings": safe})
    return AuditTextOut(findings=[FindingOut(**f) for f in findings], masked_text=masked)


def check_texts(workbench: Workbench, actor: str, body: AuditTextsIn) -> AuditTextsOut:
    """Check a batch of texts (personal data in returned spans masked); audit ``compliance.text_batch``
    with the counts per category."""
    from finloom.apps.compliance import audit_texts
    from finloom.apps.compliance._batch import summarise

    results = audit_texts(body.texts, body.ids, lang=body.lang)
    flagged = sum(bool(r.findings) for r in results)
    counts = dict(summarise(results))
    with workbench.session() as session:
        record_audit(session, actor=actor, action="compliance.text_batch", target=f"{len(results)} texts",
                     details={"flagged": flagged, "per_category": counts})
    return AuditTextsOut(results=[TextAuditOut(**r.to_dict()) for r in results], texts_with_findings=flagged,
                         per_category=counts)
