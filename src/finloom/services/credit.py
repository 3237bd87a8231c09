"""Credit review as a service: fit and score jobs, review queues with audited overrides, letters
checked by the faithfulness guard and the compliance rules, and the local-file flows of the CLI."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, Field

from finloom.errors import ConfigError, ConflictError, InvalidDataError, NotFoundError
from finloom.jobs import IMPORTS_DIR, Job
from finloom.store import record_audit
from finloom.workbench import Workbench

__all__ = [
    "CREDIT_UPLOADS",
    "LetterOut",
    "QueueOut",
    "QueueSummary",
    "ScoreUpload",
    "attach_findings",
    "compliance_findings",
    "csi_rows",
    "fit_file",
    "get_queue",
    "letter",
    "letter_pdf",
    "letters_for_folder",
    "list_queues",
    "override",
    "score_folder",
    "score_upload",
    "statements",
    "update_statements",
]

CREDIT_UPLOADS = (
    "credit"  # <workspace>/imports/credit/<id>/<file>: application files uploaded to score
)
QUEUE_DIR = "queue"


class QueueSummary(BaseModel):
    """A scored batch as listed on the queue page."""

    job_id: str
    model: str | None = None
    file: str | None = None
    scored_at: str | None = None
    applications: int = 0
    bands: dict[str, int] = Field(default_factory=dict)


class QueueOut(BaseModel):
    """A review queue: applicants, the override log and the override-rate table."""

    summary: QueueSummary
    applicants: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    override_rates: list[dict[str, Any]]
    monitoring: dict[str, Any] = Field(default_factory=dict)


class LetterOut(BaseModel):
    """A letter with its checks."""

    applicant_id: str
    kind: str
    lang: str
    text: str
    ok: bool
    unsupported_numbers: int
    guard_issues: list[str]
    compliance: list[dict[str, Any]]
    html: str


class ScoreUpload(BaseModel):
    """Options of an uploaded application file to score."""

    model: str = Field(min_length=1, max_length=200)
    version: int | None = Field(default=None, ge=1)
    which: Literal["scorecard", "challenger"] = "scorecard"
    reasons: int = Field(default=4, ge=1, le=10)


def compliance_findings(text: str, lang: str) -> list[dict[str, Any]]:
    """finloom's compliance rules on a letter, as plain findings (what the letters are checked with).

    Examples
    --------
    >>> [f["rule_id"] for f in compliance_findings("Guaranteed approval, zero risk!", "en")] != []
    True
    """
    from finloom.apps.compliance import audit_text

    return [f.to_dict() for f in audit_text(text, lang)]


def csi_rows(monitoring: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-feature CSI of a queue's monitoring, largest first, with its level and bar share.

    Examples
    --------
    >>> [r["level"] for r in csi_rows({"csi": {"PAY_0": 0.12, "income": 0.01}})]
    ['watch', 'stable']
    """
    from finloom.apps.credit_review import csi_table

    return csi_table(monitoring.get("csi") or {})


# -- local files (the CLI) ------------------------------------------------------------------------
def fit_file(
    path: str | Path,
    out: str | Path,
    *,
    target: str,
    positive: Any = None,
    id_column: str | None = None,
    protected: str | None = None,
    exclude: list[str] | None = None,
    challenger: bool = True,
    scorecard: dict[str, Any] | None = None,
    cutoffs: dict[str, float] | None = None,
    statements_path: str | Path | None = None,
    seed: int = 0,
    unseen: str = "error",
) -> dict[str, Any]:
    """Fit on a local table and save the model folder ``out`` (plus ``scorecard.csv`` in it)."""
    from finloom.apps.credit_review import Cutoffs, fit_credit_model, read_applications

    data = read_applications(path)
    numeric_target = target in data.columns and pd.api.types.is_numeric_dtype(data[target])
    if isinstance(positive, str) and positive.lstrip("-").isdigit() and numeric_target:
        positive = int(positive)
    custom = _read_statements(statements_path)
    model = fit_credit_model(
        data,
        target,
        positive=positive,
        id_column=id_column,
        protected=protected,
        exclude=exclude,
        challenger=challenger,
        scorecard=scorecard,
        cutoffs=Cutoffs(**(cutoffs or {})),
        statements=custom,
        unseen=unseen,  # type: ignore[arg-type]
        random_state=seed,
    )
    model.save(out)
    from finloom.data import write_csv

    write_csv(model.scorecard.table(), Path(out) / "scorecard.csv", index=False)
    from finloom._io import atomic_write_text
    from finloom.apps.credit_review import comparison_html

    atomic_write_text(Path(out) / "comparison.html", comparison_html(model.info))
    return {
        "model": str(out),
        "selected": model.scorecard.selected_,
        "iv": model.scorecard.iv_,
        "holdout": {
            k: {m: v[m] for m in ("auc", "ks", "gini", "brier")}
            for k, v in model.info.get("holdout", {}).items()
        },
    }


def _read_statements(path: str | Path | None) -> dict[str, dict[str, str]] | None:
    from finloom.apps.credit_review.service import read_statements

    return read_statements(path)


def score_folder(
    model_path: str | Path,
    path: str | Path,
    out: str | Path,
    *,
    which: str = "scorecard",
    k: int = 4,
    findings_path: str | Path | None = None,
    segment: str | None = None,
) -> dict[str, Any]:
    """Score a local application file into a new review-queue folder ``out`` (with ``scores.csv``)."""
    from finloom.apps.credit_review import CreditModel, read_findings, score_file

    model = CreditModel.load(model_path)
    return score_file(
        model,
        path,
        out,
        which=which,
        k=k,
        findings=read_findings(findings_path),
        meta={"model": Path(model_path).name},
        segment=segment,
    )


def letters_for_folder(
    model_path: str | Path,
    queue_path: str | Path,
    out: str | Path,
    *,
    langs: tuple[str, ...] = ("en", "zh"),
    pdf: bool = False,
) -> dict[str, Any]:
    """Letters for every decided applicant of a queue folder, guarded and compliance-checked."""
    from finloom.apps.credit_review import CreditModel, ReviewQueue, write_letters

    model = CreditModel.load(model_path)
    queue = ReviewQueue(queue_path)
    return write_letters(
        queue.items(), model.cutoffs, out, langs=langs, pdf=pdf, compliance=compliance_findings
    )


# -- the workspace (API and pages) ----------------------------------------------------------------
def score_upload(
    workbench: Workbench,
    actor: str,
    data: bytes,
    filename: str,
    options: ScoreUpload,
    findings: bytes | None = None,
) -> Job:
    """Keep an uploaded application file in the imports folder and submit ``credit.score`` on it."""
    from finloom.services.jobs import submit_job

    if not data:
        raise InvalidDataError("application file must not be empty; got 0 bytes.")
    folder = workbench.workspace / IMPORTS_DIR / CREDIT_UPLOADS / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    name = (
        "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(filename).name)[:120]
        or "applications.csv"
    )
    from finloom._io import atomic_write_bytes

    atomic_write_bytes(folder / name, data)
    params: dict[str, Any] = {
        **options.model_dump(),
        "data_path": f"{CREDIT_UPLOADS}/{folder.name}/{name}",
    }
    if findings:
        atomic_write_bytes(folder / "findings.json", findings)
        params["findings_path"] = f"{CREDIT_UPLOADS}/{folder.name}/findings.json"
    return submit_job(workbench, actor, "credit.score", params)


def _queue_path(workbench: Workbench, job_id: str) -> Path:
    from finloom.jobs import output_dir

    if not job_id or not all(ch.isalnum() or ch == "-" for ch in job_id):
        raise NotFoundError(f"queue must be the id of a scoring job; got {job_id!r}.")
    job = workbench.jobs.get(job_id)
    path = output_dir(workbench.workspace, job.id) / QUEUE_DIR
    if job.kind != "credit.score" or not path.is_dir():
        raise NotFoundError(
            f"queue must be a finished credit.score job; got job {job_id[:8]} ({job.kind}, {job.status})."
        )
    return path


def list_queues(workbench: Workbench) -> list[QueueSummary]:
    """The queues of the last 500 finished jobs' scoring jobs, newest first."""
    from finloom.apps.credit_review import ReviewQueue

    out = []
    for job in workbench.jobs.list(status="succeeded", limit=500):
        if job.kind != "credit.score":
            continue
        try:
            meta = ReviewQueue(_queue_path(workbench, job.id)).meta()
        except NotFoundError:
            continue
        summary = meta.get("summary", {})
        out.append(
            QueueSummary(
                job_id=job.id,
                model=meta.get("model"),
                file=meta.get("file"),
                scored_at=meta.get("scored_at"),
                applications=summary.get("applications", 0),
                bands=summary.get("bands", {}),
            )
        )
    return out


def get_queue(workbench: Workbench, job_id: str) -> QueueOut:
    """A queue with its applicants, override log and override-rate table."""
    from finloom.apps.credit_review import ReviewQueue

    queue = ReviewQueue(_queue_path(workbench, job_id))
    meta = queue.meta()
    summary = meta.get("summary", {})
    return QueueOut(
        summary=QueueSummary(
            job_id=job_id,
            model=meta.get("model"),
            file=meta.get("file"),
            scored_at=meta.get("scored_at"),
            applications=summary.get("applications", 0),
            bands=summary.get("bands", {}),
        ),
        applicants=[i.to_dict() for i in queue.items()],
        overrides=[o.model_dump() for o in queue.overrides()],
        override_rates=queue.override_rates(),
        monitoring=summary.get("monitoring", {}),
    )


def override(
    workbench: Workbench, actor: str, job_id: str, applicant_id: str, body: Any
) -> dict[str, Any]:
    """Override an applicant's band with the mandatory reason; audit ``credit.override``."""
    from finloom.apps.credit_review import OverrideIn, ReviewQueue

    change = body if isinstance(body, OverrideIn) else OverrideIn.model_validate(body)
    queue = ReviewQueue(_queue_path(workbench, job_id))
    queue.get(applicant_id)  # 404 before anything is written
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="credit.override",
            target=f"{job_id}/{applicant_id}",
            details={"to": change.band, "reason": change.reason},
        )
        record = queue.override(applicant_id, change, actor=actor)
    return record.model_dump()


def attach_findings(
    workbench: Workbench, actor: str, job_id: str, applicant_id: str, findings: list[dict[str, Any]]
) -> dict[str, Any]:
    """Add document findings beside an applicant's score; audit ``credit.findings``."""
    from finloom.apps.credit_review import DocumentFinding, ReviewQueue

    typed = [DocumentFinding.model_validate(f) for f in findings]
    queue = ReviewQueue(_queue_path(workbench, job_id))
    queue.get(applicant_id)
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="credit.findings",
            target=f"{job_id}/{applicant_id}",
            details={"count": len(typed)},
        )
        return queue.attach_findings(applicant_id, typed).to_dict()


def _model_for(workbench: Workbench, job_id: str) -> Any:
    from finloom.apps.credit_review import CreditModel, ReviewQueue

    meta = ReviewQueue(_queue_path(workbench, job_id)).meta()
    if meta.get("model_path"):  # scored by 'finloom credit score' with a model folder
        from finloom.jobs import import_roots, inside_roots

        roots = import_roots(workbench.workspace, workbench.settings.import_roots)
        folder = inside_roots(str(meta["model_path"]), roots)
        if folder is None or not folder.is_dir():
            raise NotFoundError(
                f"queue model must still be in the imports folder; got {Path(str(meta['model_path'])).name!r}."
            )
        return CreditModel.load(folder)
    model = workbench.artifacts.load(str(meta.get("model")), meta.get("version"))
    if not isinstance(model, CreditModel):
        raise ConfigError(f"queue model must be a credit model; got {type(model).__name__}.")
    return model


def _letter(
    workbench: Workbench, actor: str, job_id: str, applicant_id: str, lang: str, fmt: str
) -> Any:
    from finloom.apps.credit_review import ReviewQueue, letter_for

    model = _model_for(workbench, job_id)
    app = ReviewQueue(_queue_path(workbench, job_id)).get(applicant_id)
    out = letter_for(app, model.cutoffs, lang=lang, compliance=compliance_findings)
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="credit.letter",
            target=f"{job_id}/{applicant_id}",
            details={"kind": out.kind, "lang": lang, "ok": out.ok, "format": fmt},
        )
    return out


def letter(
    workbench: Workbench, actor: str, job_id: str, applicant_id: str, lang: str = "en"
) -> LetterOut:
    """The applicant's decision letter, guarded and compliance-checked; audit ``credit.letter``."""
    from finloom.apps.credit_review import render_letter_html

    out = _letter(workbench, actor, job_id, applicant_id, lang, "html")
    data = out.to_dict()
    return LetterOut(
        **{
            k: data[k]
            for k in (
                "applicant_id",
                "kind",
                "lang",
                "text",
                "ok",
                "unsupported_numbers",
                "guard_issues",
                "compliance",
            )
        },
        html=render_letter_html(out),
    )


def letter_pdf(
    workbench: Workbench, actor: str, job_id: str, applicant_id: str, lang: str = "en"
) -> tuple[str, bytes]:
    """The applicant's decision letter as a PDF ``(file name, bytes)``; audit ``credit.letter``.

    Only an issued letter is printed: one the guard or the compliance rules hold is a 409 naming
    its issues (read them with the letter's JSON form), and a referred applicant has no letter.
    """
    from finloom.apps.credit_review import render_letter_pdf

    out = _letter(workbench, actor, job_id, applicant_id, lang, "pdf")
    if not out.ok:
        data = out.to_dict()
        issues = [*data["guard_issues"], *(f.get("message", "") for f in out.compliance)]
        raise ConflictError(
            f"letter must pass the guard and the compliance rules to be printed; got "
            f"{len(issues)} issue(s): {'; '.join(str(i) for i in issues)[:300]}. "
            "Fix the statements or decide the application, then ask again."
        )
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in applicant_id)[:80]
    return f"{safe or 'applicant'}-{out.kind}-{lang}.pdf", render_letter_pdf(out)


def statements(
    workbench: Workbench, model: str, version: int | None = None
) -> dict[str, dict[str, str]]:
    """The reason statements in effect for every feature of a model."""
    m = workbench.artifacts.load(model, version)
    features = list(
        dict.fromkeys([*m.scorecard.selected_, *(m.challenger.columns_ if m.challenger else [])])
    )
    table: dict[str, dict[str, str]] = m.statements.table(features)
    return table


def update_statements(
    workbench: Workbench, actor: str, model: str, edits: dict[str, dict[str, str]]
) -> int:
    """Save a new version of the model with edited statements; audit ``credit.statements``."""
    from finloom.apps.credit_review import ReasonStatements

    info = workbench.artifacts.get(model)
    m = workbench.artifacts.load(model)
    m.statements = ReasonStatements({**m.statements.custom, **edits})
    saved = workbench.artifacts.save(
        model,
        m,
        metrics=info.manifest.get("metrics"),
        lineage={**info.manifest.get("lineage", {}), "statements_of": info.version},
        description=info.manifest.get("description", ""),
        created_by=actor,
    )
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="credit.statements",
            target=f"{model} v{saved.version}",
            details={"features": sorted(edits)},
        )
    return saved.version


# -- the assistant's tools (customers' own applications) ----------------------------------------------
class PrecheckIn(BaseModel):
    """What an applicant states for an indicative pre-check (no credit search)."""

    product: Literal["mortgage", "personal_loan", "car_loan", "credit_card"] = "personal_loan"
    amount: float = Field(gt=0, le=1e10)
    monthly_income: float = Field(gt=0, le=1e9)
    years: float | None = Field(default=None, gt=0, le=40)
    monthly_debts: float = Field(default=0.0, ge=0, le=1e9)


def precheck(workbench: Workbench, actor: str, customer_id: str, body: PrecheckIn) -> Any:
    """An indicative decision (see :func:`finloom.apps.credit_review.precheck`); audit
    ``credit.precheck`` with the product and decision only (no amounts or income)."""
    from finloom.apps.credit_review import precheck as decide

    out = decide(body.product, amount=body.amount, monthly_income=body.monthly_income, years=body.years,
                 monthly_debts=body.monthly_debts)
    with workbench.session() as session:
        record_audit(session, actor=actor, action="credit.precheck", target=customer_id,
                     details={"product": body.product, "decision": out.decision})
    return out


def application_status(workbench: Workbench, actor: str, customer_id: str) -> list[dict[str, Any]]:
    """The customer's applications in the review queues (applicant id = customer id), newest queue
    first: queue, scored date, band and the decision in force; audit ``credit.status``."""
    from finloom.apps.credit_review import ReviewQueue

    found = []
    for summary in list_queues(workbench):
        queue = ReviewQueue(_queue_path(workbench, summary.job_id))
        for item in queue.items():
            if item.applicant_id == customer_id:
                found.append({"queue": summary.job_id, "scored_at": summary.scored_at, "band": item.band,
                              "decision": item.decision, "overridden": item.final_band is not None})
    with workbench.session() as session:
        record_audit(session, actor=actor, action="credit.status", target=customer_id,
                     details={"applications": len(found)})
    return found
