"""``finloom recommend fit|for-customer``: fit a next-best-offer model (a job) and show a customer's
suitable offers with their explanations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from finloom.cli._common import console, handle_errors, local_actor, print_json
from finloom.cli._jobs import Wait, job_workbench, run_job

app = typer.Typer(help="Next-best-offer: recommenders with suitability filters and explanations.", no_args_is_help=True)


@app.command("fit")
@handle_errors
def fit_cmd(
    recommender: Annotated[str, typer.Option(help="popularity, item_knn, als or ranker.")] = "ranker",
    name: Annotated[str, typer.Option(help="Name to save the model under.")] = "next-best-offer",
    generator: Annotated[str, typer.Option(help="Demo data: 'latent' or 'rules'.")] = "latent",
    customers: Annotated[int, typer.Option(help="Generated customers.")] = 2000,
    customers_dataset: Annotated[str | None, typer.Option(help="Registered customers table (instead of demo data).")] = None,
    holdings_dataset: Annotated[str | None, typer.Option(help="Registered holdings table: customer_id + 0/1 per product.")] = None,
    seed: int = 0,
    wait: Wait = True,
) -> None:
    """Fit a recommender as a 'recommendation.fit' job: checked on held-out holdings against
    popularity, then saved as a model (list them with 'finloom jobs' / GET /api/recommendation/models)."""
    params = {"recommender": recommender, "name": name, "generator": generator, "n_customers": customers,
              "customers_dataset": customers_dataset, "holdings_dataset": holdings_dataset, "seed": seed}
    job = run_job(job_workbench(), "recommendation.fit", {k: v for k, v in params.items() if v is not None},
                  wait=wait, title="recommendation")
    if job is None:
        return
    r = job.result or {}
    m = r.get("metrics", {})
    console.print(
        f"saved {r.get('model')} v{r.get('version')} ({r.get('recommender')}, {r.get('customers'):,} customers); "
        f"held-out recall@5 {m.get('recall_at_5', 0):.3f} vs popularity {m.get('popularity_recall_at_5', 0):.3f}",
        highlight=False,
    )


@app.command("for-customer")
@handle_errors
def for_customer_cmd(
    customer_id: Annotated[str, typer.Argument(help="A customer of the model, e.g. C000042.")],
    model: Annotated[str, typer.Option(help="A saved next-best-offer model.")] = "next-best-offer",
    version: Annotated[int | None, typer.Option(help="Model version (newest when omitted).")] = None,
    k: Annotated[int, typer.Option(help="How many offers.")] = 5,
    lang: Annotated[str, typer.Option(help="Explanations in 'en' or 'zh'.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print the offers as JSON.")] = False,
) -> None:
    """Top-k suitable offers for CUSTOMER_ID, each with why (co-holdings, segment shares, ranker features)."""
    from finloom.errors import ConfigError
    from finloom.services.recommendation import offers

    if lang not in ("en", "zh"):
        raise ConfigError(f"--lang must be 'en' or 'zh'; got {lang!r}.")
    if not 1 <= k <= 20:
        raise ConfigError(f"--k must be an int in [1, 20]; got {k}. Ask for e.g. --k 5.")
    out = offers(job_workbench(), local_actor(), model, customer_id, k=k, version=version)
    if as_json:
        print_json(out.model_dump())
        return
    console.print(f"{out.customer_id} holds: {', '.join(out.held) or '(nothing)'}", highlight=False)
    table = Table(title=f"{out.model} v{out.version} ({out.recommender})")
    for header in ("#", "product", "risk", "why"):
        table.add_column(header)
    for o in out.offers:
        table.add_row(str(o.rank), o.name_zh if lang == "zh" else o.name_en, o.risk,
                      o.explanation_zh if lang == "zh" else o.explanation_en)
    console.print(table)
