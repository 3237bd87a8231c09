"""The synthesizer contract, implemented once: fit, chunked seeded sampling, conditions, save/load."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, ProgressCallback, noop_progress, resolve_config
from finloom._serialization import load_state, save_state
from finloom.data import ColumnKind, Metadata
from finloom.errors import ConfigError, InvalidDataError, did_you_mean
from finloom.synth.tabular._columns import TablePlan
from finloom.synth.tabular._conditions import Condition, conditions_mask, parse_conditions
from finloom.synth.tabular._constraints import (
    Constraint,
    Unique,
    check_constraints,
    constraint_from_dict,
)
from finloom.synth.tabular._relations import (
    Relation,
    apply_grids,
    apply_relations,
    detect_relations,
)

__all__ = ["BaseSynthesizer", "chunk_rng", "root_seed"]

DEFAULT_CHUNK = 50_000
_MAX_ROUNDS = 50


def root_seed(random_state: int | np.random.Generator | None) -> int:
    """Turn ``random_state`` into one integer seed from which every chunk's seed is spawned.

    Examples
    --------
    >>> root_seed(7)
    7
    """
    if random_state is None:
        return int(np.random.SeedSequence().entropy % 2**63)  # type: ignore[operator]
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**63 - 1))
    if isinstance(random_state, int | np.integer) and not isinstance(random_state, bool):
        return int(random_state)
    raise ConfigError(
        f"random_state must be None, an int or a numpy Generator; got {type(random_state).__name__}."
    )


def chunk_rng(seed: int, chunk_index: int) -> np.random.Generator:
    """The generator of chunk ``chunk_index``: same seed and index, same rows, on any worker.

    Examples
    --------
    >>> chunk_rng(0, 3).random() == chunk_rng(0, 3).random()
    True
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(chunk_index,)))


def _check_frame(data: Any, owner: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"data of {owner}.fit must be a pandas DataFrame; got {type(data).__name__}.")
    problems = []
    if len(data) < 2:
        problems.append(f"data must have at least 2 rows; got {len(data)}. Pass a larger table.")
    if data.shape[1] == 0:
        problems.append("data must have at least 1 column; got 0.")
    dupes = data.columns[data.columns.duplicated()].tolist()
    if dupes:
        problems.append(f"column names must be unique; got duplicates {dupes}. Rename them.")
    if problems:
        raise InvalidDataError(problems)
    return data.copy()


def _check_metadata(df: pd.DataFrame, metadata: Metadata | None) -> Metadata:
    if metadata is None:
        return Metadata.infer(df)
    names = [str(c) for c in df.columns]
    missing = [c for c in metadata.names if c not in names]
    extra = [c for c in names if c not in metadata.names]
    problems = [f"metadata column must be in the data; got '{c}'." + did_you_mean(c, names) for c in missing]
    problems += [f"data column '{c}' must be described by the metadata; it is not." for c in extra]
    if problems:
        raise InvalidDataError(problems)
    return metadata


class BaseSynthesizer(BaseEstimator):
    """Shared contract of every tabular synthesizer; subclasses implement four hooks.

    ``_fit_model(df, progress)`` learns from ``self.plan_``; ``_generate(n, conditions, rng)``
    returns decoded rows (it may satisfy conditions exactly, the base filters anyway);
    ``_get_state()`` / ``_set_state(config, tensors)`` hold the learned state for save/load.

    With ``relations=True`` (the default) exact relations between columns found in the training
    table (sums, differences, products, ratios, orders; see ``relations_``) are enforced on every
    sampled row, and values are rounded to the value grids of the training data.
    """

    config_class: ClassVar[type]
    plan_: TablePlan
    auto_choice_: dict[str, Any]  # only on models chosen by model="auto"

    def __init__(
        self,
        config: Any = None,
        *,
        constraints: list[Constraint] | None = None,
        random_state: int | None = None,
        relations: bool = True,
    ) -> None:
        self.config = config
        self.constraints = constraints
        self.random_state = random_state
        self.relations = relations

    # -- fit -----------------------------------------------------------------------------------
    def _resolved_config(self) -> Any:
        return resolve_config(type(self).__name__, self.config, self.config_class)

    def fit(
        self, data: pd.DataFrame, metadata: Metadata | None = None, *,
        progress: ProgressCallback | None = None,
    ) -> BaseSynthesizer:
        """Learn the table ``data`` (metadata inferred when not given); returns ``self``."""
        config = self._resolved_config()
        config.validate(type(self).__name__)
        df = _check_frame(data, type(self).__name__)
        meta = _check_metadata(df, metadata)
        if all(c.kind is ColumnKind.ID for c in meta.columns):
            raise InvalidDataError(
                f"data must have a column that is not an id; got only ids {meta.names}. "
                "Add the columns to synthesize or mark them with Metadata.with_kind()."
            )
        df = df[meta.names]
        constraints = check_constraints(list(self.constraints or []), df)
        for attr in [k for k in vars(self) if k.endswith("_")]:
            delattr(self, attr)
        self.config_ = config
        self.metadata_ = meta
        self.constraints_ = constraints
        self.columns_ = meta.names
        self.dtypes_ = {c: str(df[c].dtype) for c in meta.names}
        self._fit_model(df, progress or noop_progress)
        self.relations_: list[Relation] = detect_relations(df, self.plan_, meta) if self.relations else []
        return self

    def summary(self) -> dict[str, Any]:
        """What the fit found beyond the model: relations kept, value grids, missing patterns.

        Examples
        --------
        >>> from finloom.synth.tabular import GaussianCopulaSynthesizer
        >>> df = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) * 2})
        >>> df["total"] = df["a"] + df["b"]
        >>> GaussianCopulaSynthesizer(random_state=0).fit(df).summary()["relations"]
        ['total = a + b (holds on 100.0 % of 40 rows)']
        """
        self._check_is_fitted("summary")
        grids = {}
        for col in self.plan_.modelled:
            if col.role != "continuous" or col.source_kind != ColumnKind.NUMERICAL or col.decimals > 6:
                continue
            step = col.step if col.step > 0 else 10.0**-col.decimals
            grids[col.name] = {"step": step, "coarser_steps": list(col.levels)}
        out: dict[str, Any] = {"relations": [r.describe() for r in self.relations_], "value_grids": grids,
                               "missing_patterns": self._missing_patterns()}
        if getattr(self, "auto_choice_", None) is not None:  # set by model="auto": the choice and why
            out["auto_choice"] = self.auto_choice_
        return out

    def _missing_patterns(self) -> int | None:
        """Number of joint missing-value patterns the model keeps (None: not modelled apart)."""
        return None

    def _fit_model(self, df: pd.DataFrame, progress: ProgressCallback) -> None:
        raise NotImplementedError

    # -- sample --------------------------------------------------------------------------------
    def sample(
        self, n: int, *, conditions: Mapping[str, Any] | None = None,
        random_state: int | np.random.Generator | None = None,
        progress: ProgressCallback | None = None, chunk_size: int = DEFAULT_CHUNK,
    ) -> pd.DataFrame:
        """Draw ``n`` rows; ``conditions`` maps columns to a value or a ``(low, high)`` range."""
        chunks = list(self.iter_chunks(n, conditions=conditions, random_state=random_state,
                                       progress=progress, chunk_size=chunk_size))
        out = pd.concat(chunks, ignore_index=True) if chunks else self.sample_chunk(0, seed=0, chunk_index=0)
        return out

    def iter_chunks(
        self, n: int, *, conditions: Mapping[str, Any] | None = None,
        random_state: int | np.random.Generator | None = None,
        progress: ProgressCallback | None = None, chunk_size: int = DEFAULT_CHUNK,
    ) -> Iterator[pd.DataFrame]:
        """Yield the sample chunk by chunk (flat memory); chunk k depends on (seed, k) only."""
        self._check_is_fitted("sample")
        if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 0:
            raise ConfigError(f"n must be an int >= 0; got {n!r}.")
        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise ConfigError(f"chunk_size must be an int >= 1; got {chunk_size!r}.")
        parsed = parse_conditions(self.plan_, conditions)
        seed = root_seed(random_state)
        report = progress or noop_progress
        for k, start in enumerate(range(0, n, chunk_size)):
            size = min(chunk_size, n - start)
            yield self.sample_chunk(size, seed=seed, chunk_index=k, offset=start, parsed=parsed)
            report((start + size) / n, f"sampled {start + size} of {n} rows")

    def sample_chunk(
        self, n: int, *, seed: int, chunk_index: int, offset: int | None = None,
        conditions: Mapping[str, Any] | None = None, parsed: list[Condition] | None = None,
    ) -> pd.DataFrame:
        """Rows ``offset .. offset+n`` of the sample for ``seed`` (ids start at ``offset``)."""
        self._check_is_fitted("sample")
        if parsed is None:
            parsed = parse_conditions(self.plan_, conditions)
        rng = chunk_rng(seed, chunk_index)
        rows = self._valid_rows(n, parsed, rng)
        return self._fill_ids(rows, offset if offset is not None else chunk_index * n)

    def _valid_rows(self, n: int, parsed: list[Condition], rng: np.random.Generator) -> pd.DataFrame:
        if n == 0:
            return self._generate(1, parsed, rng).iloc[:0].reset_index(drop=True)
        kept: list[pd.DataFrame] = []
        got, drawn = 0, 0
        for _ in range(_MAX_ROUNDS):
            if got >= n:
                break
            if drawn == 0:
                m = n if not (parsed or self.constraints_) else max(int(n * 1.2), 64)
            else:
                rate = (got + 1) / (drawn + 1)
                m = int(min(max((n - got) / max(rate, 1e-3) * 1.2, 64), 20 * max(n, 64)))
            batch = self._finish(self._generate(m, parsed, rng), rng)
            mask = conditions_mask(self.plan_, parsed, batch)
            for c in self.constraints_:
                mask &= c.is_valid(batch)
            kept.append(batch[mask])
            got, drawn = got + int(mask.sum()), drawn + m
        if got < n:
            raise InvalidDataError(
                f"conditions and constraints must be satisfiable by the model; got {got} of {n} "
                f"rows after {drawn} draws. Relax the conditions or the constraints."
            )
        out = pd.concat(kept, ignore_index=True).iloc[:n].reset_index(drop=True)
        return out

    def _finish(self, batch: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        """Value grids and relations of the training table, for every model."""
        batch = apply_grids(batch, self.plan_, rng)
        return apply_relations(batch, self.plan_, self.relations_)

    def _fill_ids(self, df: pd.DataFrame, offset: int) -> pd.DataFrame:
        unique = {c.column for c in self.constraints_ if isinstance(c, Unique)}
        for col in self.metadata_.columns:
            if col.kind is ColumnKind.ID or col.name in unique:
                numbers = np.arange(offset, offset + len(df), dtype=np.int64) + 1
                dtype: Any = self.dtypes_[col.name]
                if dtype.startswith(("int", "uint", "Int", "float")):
                    df[col.name] = pd.Series(numbers).astype(dtype)
                else:
                    df[col.name] = pd.Series([f"syn-{i}" for i in numbers]).astype(dtype)
        return df

    def _generate(self, n: int, conditions: list[Condition], rng: np.random.Generator) -> pd.DataFrame:
        raise NotImplementedError

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fitted model to directory ``path`` (JSON + safetensors, no pickle)."""
        self._check_is_fitted("save")
        state, tensors = self._get_state()
        config = {
            "params": {"config": asdict(self.config_), "random_state": self.random_state,
                       "relations": self.relations},
            "metadata": self.metadata_.to_dict(),
            "constraints": [c.to_dict() for c in self.constraints_],
            "relations": [r.to_dict() for r in self.relations_],
            "dtypes": self.dtypes_,
            "state": state,
        }
        if getattr(self, "auto_choice_", None) is not None:
            config["auto_choice"] = self.auto_choice_
        save_state(path, kind=type(self).__name__, config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BaseSynthesizer:
        """Read a model written by :meth:`save`."""
        doc = load_state(path, kind=cls.__name__)
        cfg = doc["config"]
        names = {f.name for f in fields(cls.config_class)}
        config = cls.config_class(**{k: v for k, v in cfg["params"]["config"].items() if k in names})
        constraints = [constraint_from_dict(c) for c in cfg["constraints"]]
        obj = cls(config=config, constraints=constraints, random_state=cfg["params"]["random_state"],
                  relations=cfg["params"].get("relations", True))
        obj.config_ = config
        obj.metadata_ = Metadata.from_dict(cfg["metadata"])
        obj.constraints_ = constraints
        obj.columns_ = obj.metadata_.names
        obj.dtypes_ = cfg["dtypes"]
        obj._set_state(cfg["state"], doc["tensors"])
        obj.relations_ = [Relation.from_dict(r) for r in cfg.get("relations", [])]
        if cfg.get("auto_choice") is not None:
            obj.auto_choice_ = cfg["auto_choice"]
        return obj

    def _get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        raise NotImplementedError

    def _set_state(self, state: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        raise NotImplementedError
