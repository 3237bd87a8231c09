"""``finloom market``: fit a market simulator, sample price paths, report stylized facts; ``lab run``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from finloom.cli._common import handle_errors, key_values, run_with_progress
from finloom.cli._jobs import Wait, import_input, job_folder, job_workbench, publish_dir, run_job

app = typer.Typer(help="Synthetic market paths: fit a simulator, sample paths, stylized-facts report.",
                  no_args_is_help=True)
lab_app = typer.Typer(help="Strategy lab: walk-forward back-tests on synthetic and real paths.",
                      no_args_is_help=True)
_out = Console()
_DATA_HELP = "Prices: 'sp500' (the demo S&P 500 from arch, any case) or a CSV with a date column first."
_MODEL_HELP = ("fhs (filtered historical simulation, the default and best on the stylized facts), garch, "
               "bootstrap, ddpm (diffusion) or quantgan.")
_DataAlias = Annotated[str | None, typer.Option("--data", hidden=True, help="Same as DATA (older spelling).")]


def _list_value(key: str, text: str) -> list[Any]:
    """A grid option's comma-separated values, numbers as numbers ("fast=5,10,20")."""
    return [json.loads(v) if v.strip().lstrip("-").replace(".", "", 1).isdigit() else v for v in text.split(",")]


@app.command()
@handle_errors
def fit(
    data: Annotated[str, typer.Argument(help=_DATA_HELP)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the model.")],
    model: Annotated[str, typer.Option(help=_MODEL_HELP)] = "fhs",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Model parameter key=value.")] = None,
    start: Annotated[str | None, typer.Option(help="First date to use.")] = None,
    end: Annotated[str | None, typer.Option(help="Last date to use.")] = None,
    wait: Wait = True,
) -> None:
    """Fit a market simulator on DATA and save it under OUT/model (a 'market.fit' job; a CSV is
    copied into the workspace's imports folder first)."""
    wb = job_workbench()
    source = data if data.lower() == "sp500" else import_input(wb, data, "DATA")
    params = {"data": source, "model": model, "model_params": key_values(param or [], "--param"), "start": start, "end": end}
    job = run_job(wb, "market.fit", params, wait=wait)
    if job is None:
        return
    info = job.result or {}
    publish_dir(job_folder(wb, job), out, only=("model",))
    _out.print(f"saved {info['kind']} fitted on {info['n_obs']} days (to {info['last_date']}) "
               f"to {out / 'model'}")


@app.command()
@handle_errors
def sample(
    model_dir: Annotated[Path, typer.Argument(help="Directory written by 'finloom market fit' (OUT/model).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for paths.csv.")],
    paths: Annotated[int, typer.Option(help="Number of paths.")] = 100,
    days: Annotated[int, typer.Option(help="Business days per path.")] = 252,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    regime: Annotated[str | None, typer.Option(help="calm or stressed.")] = None,
    shock_day: Annotated[int | None, typer.Option(help="Day of a scenario shock.")] = None,
    shock_size: Annotated[float, typer.Option(help="Simple return of the shock.")] = -0.2,
) -> None:
    """Sample price paths into OUT/paths.csv."""
    from finloom.synth.market._service import sample_and_save

    shock = None if shock_day is None else {"day": shock_day, "size": shock_size}
    params = {"model_path": str(model_dir), "n_paths": paths, "n_days": days, "seed": seed,
              "regime": regime, "shock": shock}
    info = run_with_progress("sampling", lambda p: sample_and_save(params, p, out))
    median = info["fan"]["p50"][-1]
    _out.print(f"wrote {info['n_paths']} paths x {info['n_days']} days to {info['paths_path']} "
               f"(median final price {median:.2f})")


@app.command()
@handle_errors
def report(
    model_dir: Annotated[Path, typer.Argument(help="Directory written by 'finloom market fit'.")],
    data: Annotated[str, typer.Argument(help=_DATA_HELP)] = "sp500",
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for report.html/json.")] = Path("market-report"),
    data_option: _DataAlias = None,
    start: Annotated[str | None, typer.Option(help="First real date.")] = None,
    end: Annotated[str | None, typer.Option(help="Last real date.")] = None,
    paths: Annotated[int, typer.Option(help="Number of paths.")] = 500,
    days: Annotated[int, typer.Option(help="Business days per path.")] = 252,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Stylized-facts report of a saved simulator against real data."""
    from finloom.synth.market._service import report_and_save

    params = {"model_path": str(model_dir), "data": data_option or data, "start": start, "end": end,
              "n_paths": paths, "n_days": days, "seed": seed}
    info = run_with_progress("reporting", lambda p: report_and_save(params, p, out))
    s = info["scores"]
    _out.print(f"abs_acf_mae {s['abs_acf_mae']:.3f}, disc_score {s['disc_score']:.3f}, excess kurtosis "
               f"{info['synthetic']['excess_kurtosis']:.2f} (real {info['real']['excess_kurtosis']:.2f}); "
               f"wrote {info['report_path']}")


@lab_app.command("run")
@handle_errors
def labrun_with_progress(
    data: Annotated[str, typer.Argument(help=_DATA_HELP)] = "sp500",
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for lab.html/json.")] = Path("lab"),
    data_option: _DataAlias = None,
    start: Annotated[str | None, typer.Option(help="First date.")] = None,
    end: Annotated[str | None, typer.Option(help="Last date.")] = None,
    model: Annotated[str, typer.Option(help=_MODEL_HELP)] = "fhs",
    strategy: Annotated[str, typer.Option(help="ma_crossover, momentum, mean_reversion, vol_target, buy_and_hold.")] = "ma_crossover",
    grid: Annotated[list[str] | None, typer.Option("--grid", "-g", help="name=v1,v2 (repeat).")] = None,
    test_days: Annotated[int, typer.Option(help="Out-of-sample days.")] = 252,
    paths: Annotated[int, typer.Option(help="Synthetic paths.")] = 1000,
    cost: Annotated[float, typer.Option(help="Cost per unit turnover.")] = 0.0005,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Walk-forward: fit on all but TEST_DAYS, back-test on synthetic continuations and real."""
    from finloom.apps.strategy_lab.service import run_lab

    params = {"data": data_option or data, "start": start, "end": end, "model": model, "strategy": strategy,
              "grid": key_values(grid or [], "--grid", value=_list_value), "test_days": test_days, "n_paths": paths,
              "cost": cost, "seed": seed}
    info = run_with_progress("strategy lab", lambda p: run_lab(params, p, out))
    for row in info["rows"]:
        _out.print(f"{row['params']}: P(loss) {row['prob_loss']:.2f}, VaR95 {row['var']:.3f}, "
                   f"median Sharpe {row['sharpe_median']:.2f} vs real {row['sharpe_real']:.2f}")
    _out.print(f"wrote {info['report_path']}")


app.add_typer(lab_app, name="lab")
