"""``finloom synth``: fit a tabular synthesizer, sample from it, report on the sample."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from finloom.cli._common import (
    handle_errors,
    json_or_text,
    key_values,
    local_actor,
    run_with_progress,
)
from finloom.cli._jobs import (
    Wait,
    dataset_name,
    import_input,
    job_folder,
    job_workbench,
    publish_dir,
    run_job,
)
from finloom.errors import ConfigError

app = typer.Typer(help="Synthetic tabular data: fit a model, sample rows, report on quality.",
                  no_args_is_help=True)
_out = Console()


def _range(key: str, value: str) -> tuple[float, float]:
    low, high = value.split(":", 1)
    try:
        return float(low), float(high)
    except ValueError:
        raise ConfigError(
            f"condition {key} must look like {key}=low:high with two numbers; got '{value}'. "
            f"Quote a text value: {key}='{value}'."
        ) from None


def _condition(key: str, text: str) -> Any:
    """col=value, or col=low:high for a range (quote a text value that contains a colon)."""
    return _range(key, text) if ":" in text and not text.startswith(("'", '"')) else json_or_text(key, text)


@app.command()
@handle_errors
def fit(
    data: Annotated[Path, typer.Argument(help="Training table (.csv or .parquet).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to save the model in.")],
    model: Annotated[str, typer.Option(help="auto (the default: fits the candidate families on a validation split "
                                            "and keeps the best; -p time_budget=SECONDS), ar, copula (fastest), "
                                            "gan, vae or diffusion.")] = "auto",
    target: Annotated[str | None, typer.Option(help="Target column (its class rate is kept).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Config field, key=value (repeat).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Fit a synthesizer on DATA and save it to OUT, as a 'synth.fit' job.

    DATA is registered as a dataset (a new version when its name exists), the model as
    '<dataset>-<model>' in the workspace; OUT gets a copy of the model folder."""
    from finloom.jobs import parse_params, resolve_params
    from finloom.services.datasets import add_dataset

    wb = job_workbench()
    name = dataset_name(data)
    params = {"dataset": name, "model": model, "params": key_values(param or [], "--param"), "seed": seed,
              "holdout_fraction": 0.0, "report": False}
    parse_params(resolve_params("synth.fit"), params)  # a wrong option fails before DATA is registered
    exists = name in {d.name for d in wb.datasets.list()}
    info = add_dataset(wb, local_actor(), name, data, target=target, new_version=exists,
                       source_label=f"cli:{data.name}")
    params["version"] = info.version
    job = run_job(wb, "synth.fit", params, wait=wait)
    if job is None:
        return
    saved = wb.artifacts.get((job.result or {})["model"], (job.result or {})["version"])
    publish_dir(saved.model_path, out)
    _out.print(f"saved {saved.kind} fitted on {info.n_rows} rows to {out} (model {saved.name} "
               f"v{saved.version}, job {job.id[:8]})", highlight=False)
    fit_summary = (job.result or {}).get("fit_summary") or {}
    for relation in fit_summary.get("relations", []):
        _out.print(f"kept relation: {relation}")
    if fit_summary.get("auto_choice"):
        _out.print(f"auto chose {fit_summary['auto_choice']['chosen']}: {fit_summary['auto_choice']['reason']}",
                   highlight=False)


@app.command()
@handle_errors
def sample(
    model_dir: Annotated[Path, typer.Argument(help="Directory written by 'finloom synth fit'.")],
    n: Annotated[int, typer.Option("--rows", "-n", help="Number of rows.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (.parquet or .csv).")],
    condition: Annotated[list[str] | None, typer.Option("--condition", "-c", help="col=value or col=low:high (repeat).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    chunk_size: Annotated[int, typer.Option(help="Rows per chunk.")] = 50_000,
) -> None:
    """Sample N rows from a saved synthesizer into OUT."""
    from finloom.synth.tabular import load_synthesizer, sample_to_file

    synth = load_synthesizer(model_dir)
    conditions = key_values(condition or [], "--condition", value=_condition)
    info = run_with_progress("sampling", lambda p: sample_to_file(
        synth, n, out, conditions=conditions or None, random_state=seed,
        chunk_size=chunk_size, progress=p))
    _out.print(f"wrote {info['rows']} rows to {info['path']} ({info['rows_per_s']} rows/s)")


@app.command()
@handle_errors
def report(
    real: Annotated[Path, typer.Argument(help="Real (training) table.")],
    synthetic: Annotated[Path, typer.Argument(help="Synthetic table.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for report.json and report.html.")],
    holdout: Annotated[Path | None, typer.Option(help="Real rows the synthesizer never saw.")] = None,
    target: Annotated[str | None, typer.Option(help="Target column for the utility test.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Compare SYNTHETIC with REAL: fidelity, detection, utility and privacy, as JSON + HTML
    (a 'synth.report' job; the tables are copied into the workspace's imports folder)."""
    wb = job_workbench()
    params: dict[str, Any] = {"real_path": import_input(wb, real, "REAL"),
                              "synthetic_path": import_input(wb, synthetic, "SYNTHETIC"), "seed": seed}
    if holdout is not None:
        params["holdout_path"] = import_input(wb, holdout, "--holdout")
    if target is not None:
        params["target"] = target
    job = run_job(wb, "synth.report", params, wait=wait)
    if job is None:
        return
    publish_dir(job_folder(wb, job), out)
    summary = ", ".join(f"{k}={v}" for k, v in (job.result or {})["summary"].items() if not isinstance(v, dict | list))
    _out.print(f"report written to {out / 'report.html'}: {summary}")
