"""``credit.letters``: the decision letters of a review queue as a job (what ``finloom credit
letters`` submits): HTML, and PDF on request, each guarded and checked by the compliance rules."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from finloom.apps.credit_review.service import (
    ImportPath,
    Name,
    load_model,
    model_folder,
    queue_folder,
    write_letters,
)
from finloom.errors import ConfigError
from finloom.jobs import JobContext, JobParams

__all__ = ["CreditLettersParams", "credit_letters_job"]


class CreditLettersParams(JobParams):
    """``credit.letters``: the letters of a review queue (HTML, and PDF with ``pdf``), guarded and
    compliance-checked; a letter that fails either goes to ``held/`` with its issues."""

    kind = "credit.letters"
    queue: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The id of a finished credit.score job (or queue_path).",
    )
    queue_path: ImportPath | None = Field(
        default=None, description="A queue folder written by 'credit score', in the imports folder."
    )
    model: Name | None = Field(
        default=None, description="A registered credit model (default: the queue's model)."
    )
    version: int | None = Field(default=None, ge=1)
    model_path: ImportPath | None = Field(
        default=None, description="A model folder written by 'credit fit', in the imports folder."
    )
    langs: list[Literal["en", "zh"]] = Field(default=["en", "zh"], min_length=1, max_length=2)
    pdf: bool = Field(default=False, description="Also write each issued letter as PDF.")

    @model_validator(mode="after")
    def _one_source(self) -> CreditLettersParams:
        if (self.queue is None) == (self.queue_path is None):
            raise ValueError("give exactly one of queue (a scoring job id) and queue_path")
        if self.model is not None and self.model_path is not None:
            raise ValueError("give at most one of model and model_path")
        return self

    def check(self, ctx: JobContext) -> None:
        queue_folder(ctx, self.queue, self.queue_path)
        if self.model_path:
            model_folder(ctx, self.model_path)


def credit_letters_job(ctx: JobContext, p: CreditLettersParams) -> dict[str, Any]:
    """Write the queue's letters into the job's ``letters/`` (and ``held/``) folders."""
    from finloom.apps.compliance import audit_text  # what the letters are checked with
    from finloom.apps.credit_review import ReviewQueue

    queue = ReviewQueue(queue_folder(ctx, p.queue, p.queue_path))
    meta = queue.meta()
    if p.model or p.model_path:
        model = load_model(ctx, p.model, p.version, p.model_path)
    elif meta.get("model_path"):
        model = load_model(ctx, None, None, str(meta["model_path"]))
    elif meta.get("model"):
        model = load_model(ctx, str(meta["model"]), meta.get("version"), None)
    else:
        raise ConfigError("model must be given: the queue does not name its model. Pass model_path.")
    items = queue.items()
    ctx.progress(0.05, f"writing letters for {len(items)} applicants")

    def compliance(text: str, lang: str) -> list[dict[str, Any]]:
        return [f.to_dict() for f in audit_text(text, lang)]

    result = write_letters(
        items, model.cutoffs, ctx.output_dir(), langs=tuple(p.langs), pdf=p.pdf, compliance=compliance
    )
    ctx.progress(1.0, f"{result['letters']} letters, {result['held']} held")
    return result
