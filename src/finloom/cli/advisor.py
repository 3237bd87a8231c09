"""``finloom advisor questions|profile|propose|report|rebalance``: risk profiles, proposals, advice letters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import (
    console,
    handle_errors,
    key_values,
    local_actor,
    open_workbench,
    print_json,
)

app = typer.Typer(
    help="Robo-advisor: risk profile (C1-C5), suitable portfolio, synthetic futures, advice letter.",
    no_args_is_help=True,
)

_ANSWER_HELP = "an answer as question=option, repeated (see `finloom advisor questions`)"


@app.command("questions")
@handle_errors
def questions(lang: Annotated[str, typer.Option(help="en or zh")] = "en") -> None:
    """Print the questionnaire: question ids, texts and the option values to answer with."""
    from finloom.services.advisor import questionnaire

    data = questionnaire(lang)  # type: ignore[arg-type]
    for q in data["questions"]:
        console.print(f"[bold]{q['id']}[/bold]: {q['text']}")
        for o in q["options"]:
            console.print(f"    {o['value']:<12} {o['label']}")


@app.command("profile")
@handle_errors
def profile(
    customer: Annotated[str, typer.Option("--customer", help="customer id")],
    answer: Annotated[list[str], typer.Option("--answer", "-a", help=_ANSWER_HELP)],
    lang: Annotated[str, typer.Option(help="en or zh")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Score a customer's answers to C1-C5 and store the profile (with its date and answers)."""
    from finloom.services.advisor import ProfileIn, create_profile

    answers = {
        k: str(v)
        for k, v in key_values(
            answer, "--answer", value=lambda _k, t: t, example="horizon=5_10y"
        ).items()
    }
    out = create_profile(
        open_workbench(),
        local_actor(),
        ProfileIn(customer_id=customer, answers=answers, lang=lang),  # type: ignore[arg-type]
    )
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    caps = f" (capped: {', '.join(out.caps)})" if out.caps else ""
    console.print(
        f"profile {out.id}: customer {out.customer_id} is {out.level}, score {out.score:g}{caps}"
    )


@app.command("propose")
@handle_errors
def propose(
    profile_id: Annotated[
        str, typer.Option("--profile", help="profile id from `finloom advisor profile`")
    ],
    initial: Annotated[float, typer.Option(help="amount to invest")] = 100_000.0,
    goal: Annotated[float, typer.Option(help="target wealth at the horizon")] = 120_000.0,
    years: Annotated[
        float | None, typer.Option(help="horizon in years (default: the profile's)")
    ] = None,
    method: Annotated[
        str, typer.Option(help="min_variance, max_sharpe, risk_parity, hrp or cvar")
    ] = "min_variance",
    paths: Annotated[int, typer.Option(help="synthetic futures")] = 1000,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    prices_dataset: Annotated[
        str | None, typer.Option("--prices-dataset", help="a registered price table")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the whole proposal as JSON")
    ] = False,
) -> None:
    """Build a suitable portfolio, test it (walk-forward + synthetic futures) and write the letter."""
    from finloom.services.advisor import ProposeIn
    from finloom.services.advisor import propose as run

    body = ProposeIn(
        profile_id=profile_id,
        initial=initial,
        goal=goal,
        years=years,
        method=method,  # type: ignore[arg-type]
        n_paths=paths,
        seed=seed,
        prices_dataset=prices_dataset,
    )
    out = run(open_workbench(), local_actor(), body)
    if as_json:
        print_json({k: v for k, v in out.items() if k != "charts"})
        return
    table = Table(title=f"proposal {out['id']} ({out['profile']['level']}, {out['method']})")
    for col in ("product", "risk", "weight"):
        table.add_column(col)
    for pid, w in out["weights"].items():
        table.add_row(pid, out["ratings"][pid], f"{w:.1%}")
    console.print(table)
    sim = out["simulation"]
    console.print(
        f"P(goal) {sim['prob_goal']:.1%}  median {sim['terminal_quantiles']['p50']:,.0f}  "
        f"VaR95 {sim['var95']:.1%}  CVaR95 {sim['cvar95']:.1%}  max DD (median) {sim['max_drawdown_median']:.1%}"
    )
    findings = sum(len(v) for v in out["compliance"].values())
    unsupported = sum(v["unsupported_numbers"] for v in out["letters"].values())
    console.print(f"letters: {unsupported} unsupported number(s), {findings} compliance finding(s)")
    console.print(out["letters"]["en"]["text"])


@app.command("report")
@handle_errors
def report(
    proposal_id: Annotated[str, typer.Option("--proposal", help="proposal id")],
    lang: Annotated[str, typer.Option(help="en or zh")] = "en",
    fmt: Annotated[str, typer.Option("--format", help="html or pdf")] = "html",
    output: Annotated[Path | None, typer.Option(help="copy the file here too")] = None,
) -> None:
    """Write the advice letter of a proposal as HTML or PDF."""
    from finloom.errors import ConfigError
    from finloom.services.advisor import report as write

    if fmt not in ("html", "pdf") or lang not in ("en", "zh"):
        raise ConfigError(
            f"--format must be html or pdf and --lang en or zh; got {fmt!r}, {lang!r}."
        )
    path = write(open_workbench(), local_actor(), proposal_id, lang=lang, fmt=fmt)  # type: ignore[arg-type]
    if output is not None:
        output.write_bytes(path.read_bytes())
        path = output
    console.print(f"wrote {path}")


@app.command("rebalance")
@handle_errors
def rebalance(
    proposal_id: Annotated[str, typer.Option("--proposal", help="proposal id")],
    weight: Annotated[
        list[str], typer.Option("--weight", "-w", help="current weight as PRODUCT=0.25, repeated")
    ],
    lang: Annotated[str, typer.Option(help="en or zh")] = "en",
) -> None:
    """A rebalancing notice: holdings that drifted beyond the proposal's band and the trades back."""
    from finloom.services.advisor import RebalanceIn
    from finloom.services.advisor import rebalance as run

    current = {
        k: float(v) for k, v in key_values(weight, "--weight", example="ETF-SP500=0.3").items()
    }
    out = run(
        open_workbench(),
        local_actor(),
        RebalanceIn(proposal_id=proposal_id, current=current, lang=lang),  # type: ignore[arg-type]
    )  # type: ignore[arg-type]
    console.print(out["text"])
