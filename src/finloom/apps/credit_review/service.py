"""Credit review jobs and file flows: fit a model, score an application file into a review queue,
write letters. The interfaces reach these through ``finloom.services.credit``."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field, TypeAdapter, model_validator

from finloom._io import atomic_write_bytes, atomic_write_text
from finloom.apps.credit_review._decisions import Cutoffs
from finloom.apps.credit_review._letters import (
    ComplianceCheck,
    letter_for,
    render_letter_html,
    render_letter_pdf,
)
from finloom.apps.credit_review._model import CreditModel, fit_credit_model
from finloom.apps.credit_review._monitoring import (
    adverse_impact,
    approval_by_segment,
    psi_from_counts,
    score_drift,
)
from finloom.apps.credit_review._queue import ReviewQueue
from finloom.apps.credit_review._validate import MAX_FILE_BYTES, check_file_size
from finloom.apps.credit_review.schemas import DocumentFinding, ScoredApplicant
from finloom.errors import ConfigError, InvalidDataError, NotFoundError
from finloom.jobs import JobContext, JobParams, Seed

__all__ = [
    "CreditFitParams",
    "CreditScoreParams",
    "fit_job",
    "load_model",
    "model_folder",
    "queue_folder",
    "monitor",
    "read_applications",
    "read_findings",
    "read_statements",
    "score_file",
    "score_job",
    "write_letters",
]

Name = Annotated[str, Field(min_length=1, max_length=200)]
ImportPath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="A file or folder inside the workspace's imports folder (relative to it) "
        "or a FINLOOM_IMPORT_ROOTS folder.",
    ),
]
QUEUE_DIR = "queue"
MODEL_FILE = "credit.json"  # what marks a model folder (CreditModel.save)
QUEUE_FILE = "applicants.json"  # what marks a review-queue folder (ReviewQueue)
_FINDINGS = TypeAdapter(dict[str, list[DocumentFinding]])


def read_applications(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> pd.DataFrame:
    """An application table (CSV, TSV, Parquet, JSONL, Excel), refused by size before it is read."""
    from finloom.data import read_table

    p = check_file_size(path, max_bytes)
    return read_table(p, max_bytes=max_bytes)


def read_findings(path: str | Path | None) -> dict[str, list[DocumentFinding]]:
    """Document findings from a JSON file ``{applicant_id: [finding, ...]}`` (none when no path).

    Examples
    --------
    >>> read_findings(None)
    {}
    """
    if path is None:
        return {}
    p = check_file_size(path, 50 << 20)
    try:
        return _FINDINGS.validate_json(p.read_bytes())
    except ValueError as exc:
        raise InvalidDataError(
            f"findings file must map applicant ids to lists of findings "
            f"(document, check, severity, message); got: {str(exc)[:300]}"
        ) from exc


def read_statements(path: str | Path | None) -> dict[str, dict[str, str]] | None:
    """Reason statements ``{feature: {"en": ..., "zh": ...}}`` from a JSON file (none when no path).

    Examples
    --------
    >>> read_statements(None) is None
    True
    """
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"statements file must exist; got '{p.name}'.")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidDataError(
            f"statements file must be UTF-8 JSON {{feature: {{en, zh}}}}; got {exc}."
        ) from exc
    if not isinstance(data, dict):
        raise InvalidDataError(
            f"statements file must hold a JSON object; got {type(data).__name__}."
        )
    return data


def score_file(
    model: CreditModel,
    path: str | Path,
    out: str | Path,
    *,
    which: str = "scorecard",
    k: int = 4,
    findings: dict[str, list[DocumentFinding]] | None = None,
    meta: dict[str, Any] | None = None,
    segment: str | None = None,
) -> dict[str, Any]:
    """Score every application of a file into a new review queue folder ``out``; return a summary
    (with approval rates per value of the ``segment`` column when given)."""
    data = read_applications(path)
    t0 = time.perf_counter()
    batch = model.score_batch(data, which, k=k)  # type: ignore[arg-type]
    seconds = time.perf_counter() - t0
    bands: list[str] = list(batch.bands)
    summary: dict[str, Any] = {
        "applications": len(bands),
        "which": which,
        "seconds": round(seconds, 3),
        "rows_per_s": round(len(bands) / max(seconds, 1e-9), 1),
        "bands": {b: bands.count(b) for b in ("approve", "refer", "decline")},
        "monitoring": monitor(model, data, batch.score.tolist(), bands, segment=segment),
    }
    root = Path(out)
    ReviewQueue.create(
        root,
        batch.records(findings),
        meta={
            **(meta or {}),
            "which": which,
            "file": Path(path).name,
            "scored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "summary": summary,
        },
    )
    from finloom.data import write_csv

    write_csv(batch.to_frame(), root / "scores.csv", index=False)
    return summary


def monitor(
    model: CreditModel,
    data: pd.DataFrame,
    scores: list[float],
    bands: list[str],
    *,
    segment: str | None = None,
) -> dict[str, Any]:
    """PSI of the score, CSI of every scorecard feature, approval by segment and, when the model
    marks a protected attribute present in ``data``, its adverse impact ratios."""
    import numpy as np

    sc = model.scorecard
    prepared = sc.prepare(data)
    csi = {}
    for c in sc.selected_:
        b = sc.bins_[c]
        dev = np.asarray(b.good) + np.asarray(b.bad)
        new = np.bincount(b.assign(prepared[c]), minlength=b.n_bins)
        csi[c] = psi_from_counts(dev, new)
    out: dict[str, Any] = {"csi": csi}
    dev_scores = model.info.get("dev_scores")
    if dev_scores:
        out["score_drift"] = score_drift(np.asarray(dev_scores), np.asarray(scores))
    if segment:
        if segment not in data.columns:
            raise InvalidDataError(
                f"segment must be a column of the applications; got '{segment}'."
            )
        out["approval_by_segment"] = approval_by_segment(data[segment], bands)
    protected = model.info.get("protected")
    if protected and protected in data.columns:
        out["adverse_impact"] = adverse_impact(data, protected, bands)
    return out


def write_letters(
    items: list[ScoredApplicant],
    cutoffs: Cutoffs,
    out: str | Path,
    *,
    langs: tuple[str, ...] = ("en", "zh"),
    pdf: bool = False,
    compliance: ComplianceCheck | None = None,
    amounts: dict[str, float] | None = None,
    currency: str = "CNY",
) -> dict[str, Any]:
    """Letters for every decided applicant (refer skipped) as HTML (and PDF); a letter that fails the
    guard or the compliance rules is written to ``held/`` with its issues instead of ``letters/``."""
    root = Path(out)
    written, held, skipped = 0, [], 0
    for app in items:
        if app.decision == "refer":
            skipped += 1
            continue
        for lang in langs:
            letter = letter_for(
                app,
                cutoffs,
                lang=lang,
                compliance=compliance,
                currency=currency,
                amount=(amounts or {}).get(app.applicant_id),
            )
            folder = root / ("letters" if letter.ok else "held")
            stem = f"{_safe(app.applicant_id)}-{letter.kind}-{lang}"
            atomic_write_text(folder / f"{stem}.html", render_letter_html(letter))
            if letter.ok and pdf:
                atomic_write_bytes(folder / f"{stem}.pdf", render_letter_pdf(letter))
            if letter.ok:
                written += 1
            else:
                held.append(letter.to_dict())
    if held:
        atomic_write_text(
            root / "held" / "issues.json", json.dumps(held, indent=1, ensure_ascii=False)
        )
    return {"letters": written, "held": len(held), "refer_skipped": skipped}


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:80] or "applicant"


# -- jobs --------------------------------------------------------------------------------------
class CreditFitParams(JobParams):
    """``credit.fit``: a scorecard and a monotone LightGBM challenger on a registered dataset."""

    kind = "credit.fit"
    dataset: Name
    version: int | None = Field(default=None, ge=1)
    target: Name
    positive: str | int | None = Field(
        default=None, description="The bad value of the target (1 when 0/1)."
    )
    id_column: str | None = Field(default=None, max_length=200)
    protected: str | None = Field(
        default=None, max_length=200, description="Left out of the models; monitored."
    )
    exclude: list[Name] = Field(default_factory=list, max_length=500)
    base_score: float = Field(default=600.0, ge=0, le=2000)
    pdo: float = Field(default=20.0, gt=0, le=500)
    base_odds: float = Field(default=50.0, gt=0, le=10_000)
    min_iv: float = Field(default=0.02, ge=0, le=1)
    challenger: bool = True
    approve_at: float = Field(default=550.0, ge=0, le=2000)
    decline_below: float = Field(default=520.0, ge=0, le=2000)
    seed: Seed = 0
    name: str = Field(default="credit-model", min_length=1, max_length=120)
    unseen: Literal["error", "missing"] = Field(
        default="error",
        description="A category not seen in training, at scoring time: refuse it or score it as missing.",
    )
    statements_path: ImportPath | None = Field(
        default=None, description="JSON {feature: {en, zh}} of reason statements in the imports folder."
    )

    def check(self, ctx: JobContext) -> None:
        if self.statements_path:
            ctx.resolve_import(self.statements_path, "statements_path")


class CreditScoreParams(JobParams):
    """``credit.score``: score an application file (in the imports folder) into a review queue."""

    kind = "credit.score"
    model: Name | None = Field(default=None, description="A registered credit model (or model_path).")
    version: int | None = Field(default=None, ge=1)
    model_path: ImportPath | None = Field(
        default=None, description="A model folder written by 'credit fit', in the imports folder."
    )
    data_path: Annotated[str, Field(min_length=1, max_length=500)]
    findings_path: str | None = Field(
        default=None,
        max_length=500,
        description="JSON {applicant_id: [document findings]} in the imports folder.",
    )
    which: Literal["scorecard", "challenger"] = "scorecard"
    reasons: int = Field(default=4, ge=1, le=10)
    segment: str | None = Field(
        default=None, max_length=200, description="Report approval rates per value of it."
    )

    @model_validator(mode="after")
    def _one_model(self) -> CreditScoreParams:
        if (self.model is None) == (self.model_path is None):
            raise ValueError("give exactly one of model (a registered model) and model_path")
        return self

    def check(self, ctx: JobContext) -> None:
        ctx.resolve_import(self.data_path, "data_path")
        if self.findings_path:
            ctx.resolve_import(self.findings_path, "findings_path")
        if self.model_path:
            model_folder(ctx, self.model_path)


def model_folder(ctx: JobContext, value: str) -> Path:
    """The model folder ``value`` names inside the import roots (it must hold ``credit.json``)."""
    return ctx.resolve_import(f"{value.rstrip('/')}/{MODEL_FILE}", "model_path").parent


def queue_folder(ctx: JobContext, job_id: str | None, path: str | None) -> Path:
    """A review-queue folder: a finished scoring job's ``queue``, or a folder in the import roots."""
    from finloom.jobs import output_dir

    if path is not None:
        return ctx.resolve_import(f"{path.rstrip('/')}/{QUEUE_FILE}", "queue_path").parent
    folder = output_dir(ctx.workspace, str(job_id)) / QUEUE_DIR
    if not (folder / QUEUE_FILE).is_file():
        raise NotFoundError(
            f"queue must be the id of a finished credit.score job; got {str(job_id)[:64]!r}."
        )
    return folder


def load_model(
    ctx: JobContext, name: str | None, version: int | None, path: str | None
) -> CreditModel:
    """A registered credit model (``name``, ``version``) or the model folder ``path`` in the imports."""
    model = (
        CreditModel.load(model_folder(ctx, path))
        if path
        else ctx.artifacts().load(str(name), version)
    )
    if not isinstance(model, CreditModel):
        raise ConfigError(
            f"model must be a credit model; got a {type(model).__name__} named '{name}'."
        )
    return model


def fit_job(ctx: JobContext, p: CreditFitParams) -> dict[str, Any]:
    """Fit on the dataset and register the model (scorecard, challenger, hold-out comparison)."""
    df, _ = ctx.datasets().load(p.dataset, p.version)
    info = ctx.datasets().get(p.dataset, p.version)
    positive: Any = p.positive
    if (
        isinstance(positive, str)
        and positive.lstrip("-").isdigit()
        and pd.api.types.is_numeric_dtype(df[p.target])
    ):
        positive = int(positive)
    model = fit_credit_model(
        df,
        p.target,
        positive=positive,
        id_column=p.id_column,
        exclude=list(p.exclude),
        protected=p.protected,
        scorecard={
            "base_score": p.base_score,
            "pdo": p.pdo,
            "base_odds": p.base_odds,
            "min_iv": p.min_iv,
        },
        challenger=p.challenger,
        cutoffs=Cutoffs(approve_at=p.approve_at, decline_below=p.decline_below),
        statements=read_statements(
            ctx.resolve_import(p.statements_path, "statements_path") if p.statements_path else None
        ),
        unseen=p.unseen,
        random_state=p.seed,
        progress=ctx.progress,
    )
    from finloom.apps.credit_review._report import comparison_html
    from finloom.data import write_csv

    atomic_write_text(ctx.output_dir() / "comparison.html", comparison_html(model.info))
    write_csv(model.scorecard.table(), ctx.output_dir() / "scorecard.csv", index=False)
    holdout = model.info.get("holdout", {})
    metrics = {f"{m}_{k}": v[k] for m, v in holdout.items() for k in ("auc", "ks", "gini", "brier")}
    saved = ctx.artifacts().save(
        p.name,
        model,
        metrics=metrics,
        job_id=ctx.job_id,
        created_by=ctx.created_by,
        lineage={
            "dataset": p.dataset,
            "version": info.version,
            "content_hash": info.content_hash,
            "rows": len(df),
        },
        licences=[info.licence] if info.licence else [],
        description=f"credit scorecard{' and challenger' if p.challenger else ''} on {p.dataset} v{info.version}",
    )
    return {
        "model": saved.name,
        "version": saved.version,
        "metrics": metrics,
        "selected": model.scorecard.selected_,
        "iv": model.scorecard.iv_,
        "holdout": {
            k: {m: v[m] for m in ("auc", "ks", "gini", "brier")} for k, v in holdout.items()
        },
    }


def score_job(ctx: JobContext, p: CreditScoreParams) -> dict[str, Any]:
    """Score the file with the model into the job's ``queue`` folder."""
    model = load_model(ctx, p.model, p.version, p.model_path)
    meta: dict[str, Any] = {"model": p.model, "version": p.version, "job_id": ctx.job_id}
    if p.model_path:
        meta.update(model=Path(p.model_path.rstrip("/")).name, model_path=p.model_path)
    findings = read_findings(
        ctx.resolve_import(p.findings_path, "findings_path") if p.findings_path else None
    )
    ctx.progress(0.1, "scoring")
    path = ctx.resolve_import(p.data_path, "data_path")
    summary = score_file(
        model,
        path,
        ctx.output_dir(QUEUE_DIR),
        which=p.which,
        k=p.reasons,
        findings=findings,
        meta=meta,
        segment=p.segment,
    )
    ctx.progress(1.0, f"scored {summary['applications']} applications")
    return summary

