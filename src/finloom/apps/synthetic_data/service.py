"""Job functions that fit tabular synthesizers on registered datasets and sample from saved ones."""

from __future__ import annotations

from typing import Any

import pandas as pd

from finloom.apps.synthetic_data.schemas import SynthFitParams, SynthSampleParams
from finloom.data import Metadata, write_csv
from finloom.jobs import JobContext

__all__ = ["fit_job", "sample_job", "split_holdout"]


def _scaled(progress: Any, start: float, end: float) -> Any:
    """A progress callback mapping an engine's 0..1 onto [start, end] of the whole job."""

    def report(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return report


def split_holdout(
    df: pd.DataFrame, metadata: Metadata, fraction: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Stratified (on the target when there is one) train / hold-out split; no hold-out for tiny tables.

    Examples
    --------
    >>> df = pd.DataFrame({"x": range(20), "y": [0, 1] * 10})
    >>> train, hold = split_holdout(df, Metadata.infer(df, target="y"), 0.3, seed=0)
    >>> len(train), len(hold), int(hold["y"].sum())
    (14, 6, 3)
    """
    if not 0 < fraction < 1 or len(df) < 20:
        return df, None
    from sklearn.model_selection import train_test_split

    target = metadata.target
    stratify = df[target] if target and df[target].nunique() < max(2, len(df) // 10) else None
    train, hold = train_test_split(df, test_size=fraction, random_state=seed, stratify=stratify)
    return train.reset_index(drop=True), hold.reset_index(drop=True)


def fit_job(ctx: JobContext, p: SynthFitParams) -> dict[str, Any]:
    """Fit a synthesizer on a dataset, sample a train-sized table, write its quality report, save the model.

    The model is saved last, with the report's headline figures as its metrics, so a job that
    dies leaves no model behind.
    """
    from finloom.evaluate import QualityReport
    from finloom.evaluate._service import report_to_files
    from finloom.synth.tabular import dp_guarantee, fit_synthesizer

    df, metadata = ctx.datasets().load(p.dataset, p.version)
    info = ctx.datasets().get(p.dataset, p.version)
    train, holdout = split_holdout(df, metadata, p.holdout_fraction, p.seed)
    ctx.progress(0.02, f"fitting {p.model} on {len(train)} rows")
    synth = fit_synthesizer(
        train, metadata, model=p.model, params=dict(p.params), constraints=[dict(c) for c in p.constraints],
        random_state=p.seed, progress=_scaled(ctx.progress, 0.02, 0.6),
    )
    out = ctx.output_dir()
    sample = synth.sample(len(train), random_state=p.seed + 1)
    write_csv(sample, out / "sample.csv", index=False)
    ctx.progress(0.65, "sampled; evaluating")
    guarantee = dp_guarantee(synth)
    dp = guarantee.to_dict() if guarantee is not None else None
    metrics: dict[str, Any] = {}
    if p.report:
        report = QualityReport.generate(
            train, sample, metadata, holdout=holdout, target=metadata.target, random_state=p.seed,
            progress=_scaled(ctx.progress, 0.65, 0.97), differential_privacy=dp,
        )
        metrics = report_to_files(report, out)["summary"]
    choice = getattr(synth, "auto_choice_", None)  # the model card says which family auto chose and why
    if guarantee is not None:  # the model card's description says what epsilon covers
        metrics = {**metrics, "dp_epsilon": guarantee.epsilon, "dp_delta": guarantee.delta}
    saved = ctx.artifacts().save(
        p.name or f"{p.dataset}-{p.model}", synth, metrics=metrics, job_id=ctx.job_id, created_by=ctx.created_by,
        lineage={"dataset": p.dataset, "version": info.version, "content_hash": info.content_hash, "rows": len(train)},
        licences=[info.licence] if info.licence else [],
        description=f"{type(synth).__name__} fitted on {p.dataset} v{info.version}"
                    + (f". Chosen by model='auto': {choice['reason']}" if choice else "")
                    + (f". {guarantee.statement()}" if guarantee is not None else ""),
    )
    return {"model": saved.name, "version": saved.version, "metrics": metrics, "sample_rows": len(sample),
            "fit_summary": synth.summary(),
            **({"differential_privacy": dp} if dp is not None else {})}


def sample_job(ctx: JobContext, p: SynthSampleParams) -> dict[str, Any]:
    """Sample rows from a saved synthesizer into ``sample.csv`` or ``sample.parquet``; with
    ``register_as``, the sample is also registered as a dataset."""
    from finloom.synth.tabular import sample_to_file

    synth = ctx.artifacts().load(p.model, p.version)
    target = ctx.output_dir() / f"sample.{p.format}"
    conditions = {k: tuple(v) if isinstance(v, list) else v for k, v in p.conditions.items()}
    summary = sample_to_file(synth, p.rows, target, conditions=conditions or None, random_state=p.seed,
                             progress=ctx.progress)
    if p.register_as:
        ctx.datasets().add(
            p.register_as, target, description=f"synthetic sample of {p.model}",
            source_label=f"synthetic:{p.model}", created_by=ctx.created_by,
        )
    return {**summary, "path": target.name}
