"""Chunked Parquet output and Dask sampling: same seed, same rows, whatever the partitioning."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from finloom.errors import ConfigError
from finloom.synth.tabular import (
    GaussianCopulaSynthesizer,
    fit_synthesizer,
    sample_to_file,
    sample_to_parquet,
    sample_with_dask,
)


@pytest.fixture(scope="module")
def copula(table: pd.DataFrame) -> GaussianCopulaSynthesizer:
    return GaussianCopulaSynthesizer(random_state=0).fit(table)


def test_sample_to_parquet_matches_in_memory_sample(copula, tmp_path: Path) -> None:
    path = sample_to_parquet(copula, 1_000, tmp_path / "out.parquet", chunk_size=300, random_state=7)
    pd.testing.assert_frame_equal(pd.read_parquet(path), copula.sample(1_000, random_state=7, chunk_size=300))
    import pyarrow.parquet as pq

    assert pq.ParquetFile(path).num_row_groups == 4  # one row group per chunk: flat memory


def test_sample_with_dask_same_rows_for_any_worker_count(copula) -> None:
    distributed = pytest.importorskip("distributed")
    expected = copula.sample(900, random_state=3, chunk_size=200)
    ddf = sample_with_dask(copula, 900, chunk_size=200, random_state=3)
    sync = ddf.compute(scheduler="sync").reset_index(drop=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        parallel = client.compute(ddf).result().reset_index(drop=True)
    pd.testing.assert_frame_equal(sync, expected)
    pd.testing.assert_frame_equal(parallel, expected)
    assert parallel["customer_id"].is_unique


def test_sample_to_file_writes_csv_and_rejects_other_suffix(table: pd.DataFrame, tmp_path: Path) -> None:
    synth = fit_synthesizer(table, model="copula", random_state=0)
    info = sample_to_file(synth, 250, tmp_path / "s.csv", chunk_size=100, random_state=1)
    assert info["rows"] == 250 and len(pd.read_csv(tmp_path / "s.csv")) == 250
    with pytest.raises(ConfigError, match="must end in .parquet or .csv; got 's.xlsx'"):
        sample_to_file(synth, 5, tmp_path / "s.xlsx")


def test_fit_synthesizer_rejects_unknown_model_and_params(table: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="model must be one of .*Did you mean 'copula'"):
        fit_synthesizer(table, model="copla")
    with pytest.raises(ConfigError, match="params must be fields of GANConfig"):
        fit_synthesizer(table, model="gan", params={"epoch": 1})


def test_fit_synthesizer_reports_progress(table: pd.DataFrame) -> None:
    seen: list[float] = []
    fit_synthesizer(table, model="vae", params={"epochs": 2, "batch_size": 60, "hidden": 8, "latent": 4},
                    progress=lambda f, m="": seen.append(f))
    assert seen[-1] == 1.0 and len(seen) == 2
