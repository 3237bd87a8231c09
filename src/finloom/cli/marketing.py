"""``finloom marketing campaign|plan-test|analyse-test``: a campaign on a registered dataset (contact
list, gains, segments, checked copy) and the A/B test planner and analyser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, print_json
from finloom.cli._jobs import Wait, job_folder, job_workbench, publish_dir, run_job

app = typer.Typer(
    help="Marketing: response model and contact list, segments, checked copy, A/B tests.",
    no_args_is_help=True,
)


@app.command("campaign")
@handle_errors
def campaign_cmd(
    dataset: Annotated[str, typer.Argument(help="A registered dataset (finloom datasets list).")],
    target: Annotated[str, typer.Option(help="The response column (e.g. y).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for contacts.csv, gains, charts, copy.json.")] = Path(
        "campaign"),
    positive: Annotated[str | None, typer.Option(help="The response value (e.g. yes).")] = None,
    id_column: Annotated[str | None, typer.Option(help="Customer id column.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Columns to keep out of the model (repeat).")] = None,
    budget: Annotated[float, typer.Option(help="Money for contacts.")] = 1000.0,
    cost: Annotated[float, typer.Option(help="Cost of one contact.")] = 2.0,
    margin: Annotated[float, typer.Option(help="Value of one response.")] = 50.0,
    segment_feature: Annotated[list[str] | None, typer.Option(
        help="A column to segment on (repeat; the model's features when omitted).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Build a campaign on DATASET: response model with gains and lift on a hold-out, the contact list at
    BUDGET/COST, segments with profiles, and copy variants checked by the guard and compliance rules
    (a 'marketing.campaign' job; --out gets its files)."""
    params = {"dataset": dataset, "target": target, "positive": positive, "id_column": id_column,
              "exclude": exclude or [], "budget": budget, "cost": cost, "margin": margin,
              "segment_features": segment_feature or None, "seed": seed}
    wb = job_workbench()
    job = run_job(wb, "marketing.campaign", {k: v for k, v in params.items() if v is not None}, wait=wait,
                  title="campaign")
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    r = job.result or {}
    prop, seg, copy = r.get("propensity", {}), r.get("segments", {}), r.get("copy", {})
    table = Table(title=f"campaign on {dataset}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in (("hold-out AUC", f"{prop.get('auc', 0):.3f}"),
                        ("top-decile lift", f"{prop.get('top_decile_lift', 0):.2f}"),
                        ("Brier score", f"{prop.get('brier', 0):.4f}"),
                        ("contacts at budget", str(r.get("contacts"))),
                        ("expected profit at budget", f"{r.get('profit', {}).get('at_budget', 0):,.2f}"),
                        ("segments (k)", str(seg.get("k"))),
                        ("bootstrap ARI", f"{seg.get('bootstrap_ari', 0):.3f}"),
                        ("copy accepted / variants", f"{copy.get('accepted')} / {copy.get('variants')}")):
        table.add_row(name, value)
    console.print(table)
    console.print(f"wrote {out} (job {job.id[:8]})", highlight=False)


@app.command("plan-test")
@handle_errors
def plan_cmd(
    baseline: Annotated[float, typer.Option(help="Control conversion rate, e.g. 0.05.")],
    mde: Annotated[float | None, typer.Option(help="Absolute change to detect, e.g. 0.01.")] = None,
    target: Annotated[float | None, typer.Option(help="Treatment rate to detect (instead of --mde).")] = None,
    n: Annotated[int | None, typer.Option("--n", help="Customers per arm: gives the minimum detectable effect.")] = None,
    alpha: Annotated[float, typer.Option(help="Type I error.")] = 0.05,
    power: Annotated[float, typer.Option(help="Power.")] = 0.8,
    ratio: Annotated[float, typer.Option(help="Treatment size over control size.")] = 1.0,
) -> None:
    """A/B planner: customers per arm for a change of conversion, or the MDE of a given size."""
    from finloom.services import marketing

    body = {"baseline": baseline, "mde": mde, "target": target, "n_control": n, "alpha": alpha, "power": power,
            "ratio": ratio}
    print_json(marketing.plan({k: v for k, v in body.items() if v is not None}))


@app.command("analyse-test")
@handle_errors
def analyse_cmd(
    conv_control: Annotated[int, typer.Option(help="Conversions in control.")],
    n_control: Annotated[int, typer.Option(help="Customers in control.")],
    conv_treatment: Annotated[int, typer.Option(help="Conversions in treatment.")],
    n_treatment: Annotated[int, typer.Option(help="Customers in treatment.")],
    alpha: Annotated[float, typer.Option(help="Type I error.")] = 0.05,
    looks: Annotated[int, typer.Option(help="How many times the results were checked.")] = 1,
) -> None:
    """A/B analyser: treatment − control with a confidence interval, p-value and a peeking warning."""
    from finloom.services import marketing

    print_json(marketing.analyse({"conv_control": conv_control, "n_control": n_control,
                                  "conv_treatment": conv_treatment, "n_treatment": n_treatment,
                                  "alpha": alpha, "looks": looks}))
