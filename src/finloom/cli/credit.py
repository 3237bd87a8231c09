"""``finloom credit fit|score|letters``: a scorecard and challenger on a local table, a scored review
queue with reasons, and guarded, compliance-checked decision letters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, print_json

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
) -> None:
    """Fit the scorecard (and challenger) on 70 % of the rows, compare them on the other 30 %."""
    from finloom.services.credit import fit_file

    result = fit_file(
        data,
        out,
        target=target,
        positive=positive,
        id_column=id_column,
        protected=protected,
        exclude=exclude,
        challenger=challenger,
        scorecard={"base_score": base_score, "pdo": pdo, "base_odds": odds, "min_iv": min_iv},
        cutoffs={"approve_at": approve_at, "decline_below": decline_below},
        statements_path=statements,
        seed=seed,
        unseen=unseen,
    )
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
    console.print(f"model written to {out} (scorecard table: {out / 'scorecard.csv'})")


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
) -> None:
    """Score every application with reasons and bands into a review queue."""
    from finloom.services.credit import score_folder

    summary = score_folder(
        model, data, out, which=which, k=reasons, findings_path=findings, segment=segment
    )
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
    console.print(f"queue written to {out} (scores.csv inside)")


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
) -> None:
    """Approval and adverse-action letters for every decided applicant (refer skipped); a letter the
    guard or the compliance rules reject goes to held/ with its issues."""
    from finloom.services.credit import letters_for_folder

    result = letters_for_folder(model, queue, out, langs=tuple(lang or ("en", "zh")), pdf=pdf)
    console.print(
        f"{result['letters']} letter(s) written to {out / 'letters'}; held {result['held']}; "
        f"refer skipped {result['refer_skipped']}"
    )
    if result["held"]:
        raise typer.Exit(2)
