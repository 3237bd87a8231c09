"""Large-sample benchmark: 10M synthetic rows with flat memory, and on a Dask cluster.

Run from the repo root: ``python -m benchmarks.synth_scale [--rows 10000000]``. It fits the copula on
Taiwan's credit table, then (a) streams ``--rows`` rows to one Parquet file in one process and
records the peak resident memory against the memory after fitting (the ceiling must stay flat,
not grow with ``--rows``); (b) samples the same rows on a Dask ``LocalCluster`` with 1 and with 2
workers and compares per-chunk content hashes, which must be identical (per-chunk seeds).
Writes ``benchmarks/results/synth_scale.json``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks._common import SHARED_DATA, print_table, write_results

CHUNK = 100_000


def _rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _chunk_hash(df: pd.DataFrame) -> pd.Series:
    return pd.Series([int(pd.util.hash_pandas_object(df, index=False).sum() % (2**61))])


def _dask_run(synth: Any, rows: int, workers: int, out: Path) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster

    from finloom.synth.tabular import sample_with_dask

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster):
        ddf = sample_with_dask(synth, rows, chunk_size=CHUNK, random_state=7)
        start = time.perf_counter()
        ddf.to_parquet(out / f"workers{workers}", write_index=False)
        seconds = time.perf_counter() - start
        hashes = ddf.map_partitions(_chunk_hash, meta=(None, "int64")).compute().tolist()
    return {"workers": workers, "seconds": seconds, "rows_per_s": rows / seconds, "hashes": hashes}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args(argv)

    from finloom.synth.tabular import GaussianCopulaSynthesizer, sample_to_parquet

    df = pd.read_csv(SHARED_DATA / "credit-default-taiwan" / "UCI_Credit_Card.csv").drop(columns=["ID"])
    synth = GaussianCopulaSynthesizer(random_state=0).fit(df)
    fitted_mib = _rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        path = sample_to_parquet(synth, args.rows, out / "one.parquet", chunk_size=CHUNK, random_state=7)
        stream_s = time.perf_counter() - start
        import pyarrow.parquet as pq

        written = pq.ParquetFile(path).metadata.num_rows
        peak_mib = _rss_mib()
        runs = [_dask_run(synth, args.rows, w, out) for w in (1, 2)]
    result = {
        "rows": args.rows, "chunk_size": CHUNK, "columns": df.shape[1],
        "stream": {"seconds": stream_s, "rows_per_s": args.rows / stream_s, "rows_written": written,
                   "rss_after_fit_mib": fitted_mib, "peak_rss_mib": peak_mib,
                   "growth_mib": peak_mib - fitted_mib},
        "dask": [{k: v for k, v in r.items() if k != "hashes"} for r in runs],
        "same_rows_1_vs_2_workers": runs[0]["hashes"] == runs[1]["hashes"],
        "n_chunks": len(runs[0]["hashes"]),
    }
    write_results("synth_scale", result)
    print_table("synth_scale: copula on Taiwan", ["measure", "value"], [
        ["rows", args.rows],
        ["one process: rows/s", result["stream"]["rows_per_s"]],
        ["one process: peak RSS growth over fit (MiB)", result["stream"]["growth_mib"]],
        *[[f"Dask {r['workers']} worker(s): rows/s", r["rows_per_s"]] for r in result["dask"]],
        ["same rows with 1 and 2 workers", result["same_rows_1_vs_2_workers"]],
    ])
    return result


if __name__ == "__main__":
    main()
