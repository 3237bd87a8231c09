"""``finloom credit fit|score|letters``: a scorecard and challenger on a local table, a scored review
queue with reasons, and guarded, compliance-checked decision letters.

Each command runs as a workspace job (``credit.fit``, ``credit.score``, ``credit.letters``) through
the service the API uses: the local files are brought into the workspace first (the training table
registered as a dataset, the others copied into the imports folder, audited), the command follows
the job's progress (``--no-wait`` prints its id) and copies its outputs to ``--out``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, local_actor, print_json
from finloom.cli._jobs import (
    Wait,
    dataset_name,
    import_input,
    job_folder,
    job_workbench,
    publish_dir,
    run_job,
)

app = typer.Typer(
    help="Credit risk review: scorecard + challenger, reason codes, review queue, letters.",
    no_args_is_help=True,
)


@app.command("fit")
@handle_errors
def fit_cmd(
    data: Annotated[Path, typer.Argument(help="Training table (CSV, TSV, Parquet, JSONL, Excel).")],
    target: Annotated[str, typer.Option(help="The outcome column (bad / default).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the model into.")],
    positive: Annotated[
        str | None, typer.Option(help="The bad value of the target (1 when it is 0/1).")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option(help="Applicant id column (left out of the models).")
    ] = None,
    protected: Annotated[
        str | None,
        typer.Option(help="Protected attribute: left out, monitored for adverse impact."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Columns to leave out (repeat).")
    ] = None,
    challenger: Annotated[
        bool, typer.Option("--challenger/--no-challenger", help="Also fit the LightGBM challenger.")
    ] = True,
    base_score: Annotated[float, typer.Option(help="Score at the base odds.")] = 600.0,
    pdo: Annotated[float, typer.Option(help="Points to double the odds.")] = 20.0,
    odds: Annotated[float, typer.Option(help="Good:bad odds at the base score.")] = 50.0,
    min_iv: Annotated[
        float, typer.Option(help="Leave out features below this information value.")
    ] = 0.02,
    approve_at: Annotated[float, typer.Option(help="Approve at or above this score.")] = 550.0,
    decline_below: Annotated[
        float, typer.Option(help="Decline below this score (refer in between).")
    ] = 520.0,
    statements: Annotated[
        Path | None, typer.Option(help="JSON {feature: {en, zh}} of reason statements.")
    ] = None,
    seed: int = 0,
    unseen: Annotated[
        str, typer.Option(help="Unseen category when scoring: 'error' (refuse) or 'missing'.")
    ] = "error",
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    wait: Wait = True,
) -> None:
    """Fit the scorecard (and challenger) on 70 % of the rows, compare them on the other 30 %
    (a 'credit.fit' job: DATA is registered as a dataset, the model as '<dataset>-credit'; OUT gets
    a copy of the model folder with scorecard.csv and comparison.html)."""
    from finloom.jobs import parse_params, resolve_params
    from finloom.services.datasets import add_dataset

    wb = job_workbench()
    name = dataset_name(data)
    params: dict[str, Any] = {
        "dataset": name,
        "target": target,
        "positive": positive,
        "id_column": id_column,
        "protected": protected,
        "exclude": list(exclude or []),
        "challenger": challenger,
        "base_score": base_score,
        "pdo": pdo,
        "base_odds": odds,
        "min_iv": min_iv,
        "approve_at": approve_at,
        "decline_below": decline_below,
        "seed": seed,
        "unseen": unseen,
        "name": f"{name}-credit",
    }
    parse_params(resolve_params("credit.fit"), params)  # a wrong option fails before DATA is registered
    if statements is not None:
        params["statements_path"] = import_input(wb, statements, "--statements")
    exists = name in {d.name for d in wb.datasets.list()}
    info = add_dataset(
        wb, local_actor(), name, data, new_version=exists, source_label=f"cli:{data.name}"
    )
    params["version"] = info.version
    job = run_job(wb, "credit.fit", params, wait=wait, title="fitting the credit model")
    if job is None:
        return
    result = job.result or {}
    saved = wb.artifacts.get(result["model"], result["version"])
    publish_dir(saved.model_path, out)
    publish_dir(job_folder(wb, job), out, only=("comparison.html", "scorecard.csv"))
    result = {**result, "job": job.id, "out": str(out)}
    if as_json:
        print_json(result)
        return
    table = Table(title="hold-out comparison (30 %)")
    for col in ("model", "AUC", "KS", "Gini", "Brier"):
        table.add_column(col)
    for name, m in result["holdout"].items():
        table.add_row(
            name, f"{m['auc']:.4f}", f"{m['ks']:.4f}", f"{m['gini']:.4f}", f"{m['brier']:.4f}"
        )
    console.print(table)
    console.print(f"features kept: {', '.join(result['selected'])}")
    console.print(
        f"model {result['model']} v{result['version']} written to {out} "
        f"(scorecard table: {out / 'scorecard.csv'}; job {job.id[:8]})",
        highlight=False,
    )


@app.command("score")
@handle_errors
def score_cmd(
    model: Annotated[Path, typer.Argument(help="Model folder written by 'credit fit'.")],
    data: Annotated[Path, typer.Argument(help="Application file to score.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="New review-queue folder (scores.csv inside).")
    ],
    which: Annotated[str, typer.Option(help="'scorecard' or 'challenger'.")] = "scorecard",
    reasons: Annotated[int, typer.Option(help="Reasons per applicant.")] = 4,
    findings: Annotated[
        Path | None, typer.Option(help="JSON {applicant_id: [document findings]}.")
    ] = None,
    segment: Annotated[str | None, typer.Option(help="Column to report approval rates by.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    wait: Wait = True,
) -> None:
    """Score every application with reasons and bands into a review queue (a 'credit.score' job;
    MODEL, DATA and --findings are copied into the workspace's imports folder)."""
    wb = job_workbench()
    params: dict[str, Any] = {
        "model_path": import_input(wb, model, "MODEL"),
        "data_path": import_input(wb, data, "DATA"),
        "which": which,
        "reasons": reasons,
        "segment": segment,
    }
    if findings is not None:
        params["findings_path"] = import_input(wb, findings, "--findings")
    job = run_job(wb, "credit.score", params, wait=wait, title="scoring")
    if job is None:
        return
    publish_dir(job_folder(wb, job) / "queue", out)
    summary = job.result or {}
    if as_json:
        print_json(summary)
        return
    bands = summary["bands"]
    console.print(
        f"scored {summary['applications']:,} applications ({summary['rows_per_s']:,.0f}/s): "
        f"approve {bands['approve']}, refer {bands['refer']}, decline {bands['decline']}"
    )
    drift = summary["monitoring"].get("score_drift")
    if drift:
        console.print(
            f"score PSI vs development: {drift['psi']:.4f} (mean shift {drift['mean_shift']:+.2f})"
        )
    for row in summary["monitoring"].get("approval_by_segment", []):
        console.print(
            f"  {segment} = {row['segment']}: approval rate {row['approval_rate']:.1%} of {row['n']}"
        )
    console.print(f"queue written to {out} (scores.csv inside; job {job.id[:8]})", highlight=False)


@app.command("letters")
@handle_errors
def letters_cmd(
    model: Annotated[Path, typer.Argument(help="Model folder written by 'credit fit'.")],
    queue: Annotated[Path, typer.Argument(help="Queue folder written by 'credit score'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the letters.")],
    lang: Annotated[
        list[str] | None, typer.Option(help="'en' and/or 'zh' (repeat; default both).")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write PDF files.")] = False,
    wait: Wait = True,
) -> None:
    """Approval and adverse-action letters for every decided applicant (refer skipped); a letter the
    guard or the compliance rules reject goes to held/ with its issues (exit code 2). A
    'credit.letters' job; MODEL and QUEUE are copied into the workspace's imports folder."""
    wb = job_workbench()
    params: dict[str, Any] = {
        "queue_path": import_input(wb, queue, "QUEUE"),
        "model_path": import_input(wb, model, "MODEL"),
        "langs": list(lang or ("en", "zh")),
        "pdf": pdf,
    }
    job = run_job(wb, "credit.letters", params, wait=wait, title="writing letters")
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    result = job.result or {}
    console.print(
        f"{result['letters']} letter(s) written to {out / 'letters'}; held {result['held']}; "
        f"refer skipped {result['refer_skipped']}"
    )
    if result["held"]:
        raise typer.Exit(2)
