"""Large samples: chunked writes to Parquet with flat memory, and Dask-parallel sampling.

Chunk ``k`` of a sample is drawn from a seed spawned from ``(random_state, k)``, so the same
seed gives the same rows whether the chunks are written by one process or many Dask workers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from finloom._base import ProgressCallback, noop_progress
from finloom._optional import require
from finloom.errors import ConfigError
from finloom.synth.tabular._base import DEFAULT_CHUNK, BaseSynthesizer, root_seed

__all__ = ["sample_to_parquet", "sample_with_dask"]


def _check(n: int, chunk_size: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise ConfigError(f"n must be an int >= 1; got {n!r}.")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigError(f"chunk_size must be an int >= 1; got {chunk_size!r}.")


def sample_to_parquet(
    synthesizer: BaseSynthesizer, n: int, path: str | os.PathLike[str], *,
    chunk_size: int = DEFAULT_CHUNK, random_state: int | None = None,
    conditions: dict[str, Any] | None = None, progress: ProgressCallback | None = None,
) -> Path:
    """Write ``n`` synthetic rows to one Parquet file, one row group per chunk (flat memory).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from finloom.synth.tabular import GaussianCopulaSynthesizer
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
    >>> synth = GaussianCopulaSynthesizer(random_state=0).fit(df)
    >>> out = sample_to_parquet(synth, 10, tempfile.mkdtemp() + "/s.parquet", chunk_size=4,
    ...                         random_state=0)
    >>> pd.read_parquet(out).equals(synth.sample(10, random_state=0, chunk_size=4))
    True
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    _check(n, chunk_size)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    writer = None
    try:
        for chunk in synthesizer.iter_chunks(n, conditions=conditions, random_state=random_state,
                                             progress=progress or noop_progress, chunk_size=chunk_size):
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, target)
    return target


def sample_with_dask(
    synthesizer: BaseSynthesizer, n: int, *, chunk_size: int = DEFAULT_CHUNK,
    random_state: int | None = None, conditions: dict[str, Any] | None = None,
) -> Any:
    """A lazy ``dask.dataframe`` of ``n`` rows, one partition per chunk (same rows as ``sample``).

    Compute it on any scheduler or cluster; or call ``.to_parquet(dir)`` to write it in
    parallel. Dask ships the fitted synthesizer to its workers with the task graph.

    Examples
    --------
    >>> import pandas as pd
    >>> from finloom.synth.tabular import GaussianCopulaSynthesizer
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"]})
    >>> synth = GaussianCopulaSynthesizer(random_state=0).fit(df)
    >>> ddf = sample_with_dask(synth, 10, chunk_size=4, random_state=0)
    >>> ddf.npartitions, len(ddf.compute(scheduler="sync"))
    (3, 10)
    """
    require("dask", feature="Dask sampling")
    import dask.dataframe as dd
    from dask import delayed

    _check(n, chunk_size)
    seed = root_seed(random_state)
    meta = synthesizer.sample_chunk(0, seed=seed, chunk_index=0, conditions=conditions)
    parts = [
        delayed(synthesizer.sample_chunk)(min(chunk_size, n - start), seed=seed, chunk_index=k,
                                          offset=start, conditions=conditions)
        for k, start in enumerate(range(0, n, chunk_size))
    ]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)
