"""Service functions for jobs, API routes and the CLI: fit a synthesizer, sample to a file."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom.data import Metadata, read_table, write_csv
from finloom.errors import ConfigError, did_you_mean
from finloom.synth.tabular._ar import ARSynthesizer
from finloom.synth.tabular._auto import AUTO, AutoConfig, select_model
from finloom.synth.tabular._base import DEFAULT_CHUNK, BaseSynthesizer
from finloom.synth.tabular._constraints import Constraint, constraint_from_dict
from finloom.synth.tabular._copula import GaussianCopulaSynthesizer
from finloom.synth.tabular._diffusion import DiffusionSynthesizer
from finloom.synth.tabular._dp import dp_guarantee
from finloom.synth.tabular._gan import GANSynthesizer
from finloom.synth.tabular._vae import VAESynthesizer

__all__ = [
    "AUTO",
    "DEFAULT_MODEL",
    "MODELS",
    "MODEL_NAMES",
    "fit_synthesizer",
    "load_synthesizer",
    "run_fit_job",
    "run_sample_job",
    "sample_to_file",
]

MODELS: dict[str, type[BaseSynthesizer]] = {
    "copula": GaussianCopulaSynthesizer,
    "gan": GANSynthesizer,
    "vae": VAESynthesizer,
    "diffusion": DiffusionSynthesizer,
    "ar": ARSynthesizer,
}
# The default of the Python API, the CLI, the REST API, the web form and job runs: "auto" fits the
# candidate families on a validation split of the training rows and keeps the best (no single family
# is best on every table in docs/benchmarks.md; see finloom.synth.tabular._auto).
DEFAULT_MODEL = AUTO
MODEL_NAMES: tuple[str, ...] = (AUTO, *MODELS)  # what ``model=`` accepts


def _model_class(model: str) -> type[BaseSynthesizer]:
    if model not in MODELS:
        raise ConfigError(
            f"model must be one of {sorted(MODEL_NAMES)}; got '{model}'." + did_you_mean(model, MODEL_NAMES)
        )
    return MODELS[model]


def config_class_of(model: str) -> type:
    """The config dataclass of ``model`` (``AutoConfig`` for "auto").

    Examples
    --------
    >>> config_class_of("auto").__name__, config_class_of("ar").__name__
    ('AutoConfig', 'ARConfig')
    """
    return AutoConfig if model == AUTO else _model_class(model).config_class


def fit_synthesizer(
    data: pd.DataFrame, metadata: Metadata | None = None, *, model: str = DEFAULT_MODEL,
    params: dict[str, Any] | None = None, constraints: list[Constraint | dict[str, Any]] | None = None,
    random_state: int | None = 0, progress: ProgressCallback | None = None,
) -> BaseSynthesizer:
    """Fit the synthesizer named ``model`` with config fields ``params``; returns it fitted.

    With ``model="auto"`` (the default) ``params`` are :class:`AutoConfig` fields; the candidate
    families are fitted on a validation split of ``data`` and the best is returned, with the
    choice and its reason in ``summary()["auto_choice"]``.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
    >>> type(fit_synthesizer(df, model="copula")).__name__
    'GaussianCopulaSynthesizer'
    """
    config_cls = config_class_of(model)
    try:
        config = config_cls(**(params or {}))
    except TypeError as exc:
        raise ConfigError(f"params must be fields of {config_cls.__name__}; got {params!r}. {exc}.") from exc
    parsed = [c if isinstance(c, Constraint) else constraint_from_dict(c) for c in constraints or []]
    if model == AUTO:
        return select_model(data, metadata, config=config, constraints=parsed, random_state=random_state,
                            progress=progress or noop_progress)
    cls = _model_class(model)
    synth = cls(config, constraints=parsed, random_state=random_state)
    return synth.fit(data, metadata, progress=progress or noop_progress)


def load_synthesizer(path: str | os.PathLike[str]) -> BaseSynthesizer:
    """Load any synthesizer saved with ``save`` (the kind is read from its config).

    Examples
    --------
    >>> import tempfile
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
    >>> d = tempfile.mkdtemp() + "/m"
    >>> fit_synthesizer(df, model="copula").save(d)
    >>> type(load_synthesizer(d)).__name__
    'GaussianCopulaSynthesizer'
    """
    from finloom._serialization import load_state

    kind = load_state(path)["kind"]
    by_kind = {cls.__name__: cls for cls in MODELS.values()}
    if kind not in by_kind:
        raise ConfigError(f"model kind must be one of {sorted(by_kind)}; got '{kind}' in {path}.")
    return by_kind[kind].load(path)


def sample_to_file(
    synthesizer: BaseSynthesizer, n: int, path: str | os.PathLike[str], *,
    conditions: dict[str, Any] | None = None, random_state: int | None = 0,
    chunk_size: int = DEFAULT_CHUNK, progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Write ``n`` rows to ``path`` (.parquet chunked, or .csv); returns a JSON-able summary.

    Examples
    --------
    >>> import tempfile
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
    >>> info = sample_to_file(fit_synthesizer(df, model="copula"), 5, tempfile.mkdtemp() + "/s.csv")
    >>> info["rows"], info["format"]
    (5, 'csv')
    """
    from finloom.synth.tabular._scale import sample_to_parquet

    target = Path(path)
    start = time.perf_counter()
    if target.suffix == ".parquet":
        sample_to_parquet(synthesizer, n, target, chunk_size=chunk_size, random_state=random_state,
                          conditions=conditions, progress=progress)
        fmt = "parquet"
    elif target.suffix == ".csv":
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        chunks = synthesizer.iter_chunks(n, conditions=conditions, random_state=random_state,
                                         progress=progress, chunk_size=chunk_size)
        for i, chunk in enumerate(chunks):
            write_csv(chunk, tmp, mode="w" if i == 0 else "a", header=i == 0, index=False)
        os.replace(tmp, target)
        fmt = "csv"
    else:
        raise ConfigError(f"output path must end in .parquet or .csv; got '{target.name}'.")
    seconds = time.perf_counter() - start
    return {"path": str(target), "rows": n, "format": fmt, "seconds": round(seconds, 3),
            "rows_per_s": round(n / seconds, 1) if seconds > 0 else None}


def run_fit_job(
    params: dict[str, Any], progress: ProgressCallback = noop_progress, out_dir: str | os.PathLike[str] = "."
) -> dict[str, Any]:
    """Job entry point: fit on ``params['data_path']`` and save the model to ``out_dir/model``.

    ``params``: data_path, model (default ``DEFAULT_MODEL``, "auto"), config (dict of config fields), target,
    metadata (a ``Metadata.to_dict()``), constraints (list of ``to_dict()``), seed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0, 1, 0, 1]}).to_csv(d / "t.csv", index=False)
    >>> res = run_fit_job({"data_path": str(d / "t.csv"), "target": "y", "model": "copula"}, out_dir=d)
    >>> res["model"], res["rows"], Path(res["model_path"]).name
    ('GaussianCopulaSynthesizer', 4, 'model')
    """
    if not params.get("data_path"):
        raise ConfigError(f"params['data_path'] must be a table path; got {params.get('data_path')!r}.")
    df = read_table(params["data_path"])
    if params.get("metadata"):
        meta = Metadata.from_dict(params["metadata"])
    else:
        meta = Metadata.infer(df, target=params.get("target"))
    start = time.perf_counter()
    synth = fit_synthesizer(df, meta, model=params.get("model", DEFAULT_MODEL), params=params.get("config"),
                            constraints=params.get("constraints"), random_state=params.get("seed", 0),
                            progress=progress)
    seconds = time.perf_counter() - start
    model_path = Path(out_dir) / "model"
    synth.save(model_path)
    result: dict[str, Any] = {"model": type(synth).__name__, "rows": len(df), "columns": len(df.columns),
                              "fit_seconds": round(seconds, 3), "model_path": str(model_path),
                              "fit_summary": synth.summary()}
    guarantee = dp_guarantee(synth)
    if guarantee is not None:
        result["epsilon"] = guarantee.epsilon
        result["differential_privacy"] = guarantee.to_dict()
    return result


def run_sample_job(
    params: dict[str, Any], progress: ProgressCallback = noop_progress, out_dir: str | os.PathLike[str] = "."
) -> dict[str, Any]:
    """Job entry point: ``params`` = {model_path, rows, format ("parquet"|"csv"), conditions?, seed?}.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}).to_csv(d / "t.csv", index=False)
    >>> fit = run_fit_job({"data_path": str(d / "t.csv"), "model": "copula"}, out_dir=d)
    >>> run_sample_job({"model_path": fit["model_path"], "rows": 10}, out_dir=d)["rows"]
    10
    """
    synth = load_synthesizer(params["model_path"])
    fmt = params.get("format", "parquet")
    if fmt not in ("parquet", "csv"):
        raise ConfigError(f"params['format'] must be 'parquet' or 'csv'; got {fmt!r}.")
    conditions = {k: tuple(v) if isinstance(v, list) else v for k, v in (params.get("conditions") or {}).items()}
    return sample_to_file(synth, int(params.get("rows", 1000)), Path(out_dir) / f"sample.{fmt}",
                          conditions=conditions or None, random_state=params.get("seed", 0),
                          chunk_size=int(params.get("chunk_size", DEFAULT_CHUNK)), progress=progress)
