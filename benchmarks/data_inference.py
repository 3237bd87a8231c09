"""Wide-table benchmark: reading, inferring, validating and converting 5,000 columns x 20 rows.

Run from the repo root: ``python -m benchmarks.data_inference [--columns 5000] [--rows 20]``.
The table is generated (seeded) with a mix of column kinds like an export from a core banking
system: 40% decimals (``random()`` values), 20% integers, 15% categories, 10% yes/no flags,
10% dates and 5% free text. Each stage of ``prepare_table`` is timed (best of ``--repeats``),
at the full width and at a fifth of it, so the table shows that time grows linearly with the
number of columns. Target: the whole preparation of 5,000 x 20 under 5 s.
Writes ``benchmarks/results/data_inference.json`` (machine, commit and date included); the table
in docs/benchmarks.md is generated from it by ``python -m benchmarks.docs``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._common import print_table, write_results

TARGET_S = 5.0
_KINDS = (("decimal", 0.40), ("integer", 0.20), ("category", 0.15), ("flag", 0.10), ("date", 0.10), ("text", 0.05))


def _column(kind: str, rng: np.random.Generator, rows: int) -> list[Any]:
    if kind == "decimal":
        return [repr(float(v)) for v in rng.random(rows)]
    if kind == "integer":
        return rng.integers(0, 10_000, rows).tolist()
    if kind == "category":
        return rng.choice(["retail", "sme", "corporate", "private"], rows).tolist()
    if kind == "flag":
        return rng.choice(["yes", "no"], rows).tolist()
    if kind == "date":
        days = rng.integers(0, 3 * 365, rows)
        return (pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d").tolist()
    return [f"customer asked about fee {v} on the card statement" for v in rng.integers(0, 50, rows)]


def wide_csv(columns: int, rows: int, seed: int = 0) -> bytes:
    """A seeded CSV of ``columns`` x ``rows`` with the kind mix above."""
    rng = np.random.default_rng(seed)
    names, shares = zip(*_KINDS, strict=True)
    kinds = rng.choice(names, size=columns, p=shares)
    table = {f"{kind}_{i}": _column(kind, rng, rows) for i, kind in enumerate(kinds)}
    return pd.DataFrame(table).to_csv(index=False).encode()


def _best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(columns: int, rows: int, repeats: int) -> dict[str, Any]:
    """Seconds per stage of ``prepare_table`` on one generated table."""
    from finloom.data import coerce_table, infer_metadata, prepare_table, read_table, validate_table

    raw = wide_csv(columns, rows)
    read_s, df = _best(lambda: read_table(raw), repeats)
    df.attrs = {}
    infer_s, meta = _best(lambda: infer_metadata(df), repeats)
    validate_s, _ = _best(lambda: validate_table(df, meta), repeats)
    coerce_s, _ = _best(lambda: coerce_table(df, meta), repeats)
    prepare_s, prepared = _best(lambda: prepare_table(raw), repeats)
    kinds = pd.Series([c.kind.value for c in prepared.metadata.columns]).value_counts().to_dict()
    return {"columns": columns, "rows": rows, "read_s": read_s, "infer_s": infer_s,
            "validate_s": validate_s, "coerce_s": coerce_s, "prepare_s": prepare_s, "kinds": kinds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [measure(max(1, args.columns // 5), args.rows, args.repeats), measure(args.columns, args.rows, args.repeats)]
    rows = [[r["columns"], r["rows"], *(f"{r[k]:.2f}" for k in ("read_s", "infer_s", "validate_s", "coerce_s", "prepare_s"))]
            for r in runs]
    print_table(f"prepare_table on a wide CSV (seconds, best of {args.repeats})",
                ["columns", "rows", "read", "infer", "validate", "coerce", "prepare (all)"], rows)
    full = runs[-1]
    verdict = "meets" if full["prepare_s"] < TARGET_S else "misses"
    print(f"{full['columns']} x {full['rows']}: {full['prepare_s']:.2f} s, {verdict} the {TARGET_S:.0f} s target; "
          f"{runs[0]['columns']} columns take {runs[0]['prepare_s']:.2f} s "
          f"(x{full['prepare_s'] / max(runs[0]['prepare_s'], 1e-9):.1f} for x{full['columns'] / runs[0]['columns']:.0f} columns)")
    path = write_results("data_inference", {"target_s": TARGET_S, "runs": runs, "mix": dict(_KINDS)})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
