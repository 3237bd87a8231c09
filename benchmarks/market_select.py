"""Model choice for the out-of-sample market benchmark, made on the training windows only.

Each series' training window (everything before the 504 test days) is split once more: the models
are fitted on all but its last ``TEST_DAYS`` days and scored, exactly as the benchmark scores the
test window, against those last days (the validation window). The test window is not read. The
variant meeting most (series × band) checks, then with the smallest sum of per-path |z|, is the
one to carry into the benchmark; ``oos_selection`` in ``market.json`` keeps every row.

Run: ``OMP_WAIT_POLICY=PASSIVE nice -n 10 python -m benchmarks.market_select`` (about 2 minutes).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks._common import RESULTS, provenance, write_results
from benchmarks.market import TEST_DAYS
from benchmarks.market_oos import TARGETS, _checks, _returns, load_series
from finloom.evaluate._market_floor import noise_floor
from finloom.evaluate._market_oos import per_path_scores
from finloom.synth.market import (
    AsymmetricGARCHSimulator,
    GARCHSimulator,
    HybridFHSSimulator,
    MarketSimulator,
)

VARIANTS: dict[str, Callable[[], MarketSimulator]] = {
    "fhs_hybrid": HybridFHSSimulator,  # the default: 63-day slow level, fitted AR(1), leverage calibrated
    "fhs_hybrid_level126": lambda: HybridFHSSimulator(window=126),
    "fhs_hybrid_level252": lambda: HybridFHSSimulator(window=252),
    "fhs_hybrid_noclip": lambda: HybridFHSSimulator(clip=None),
    "fhs_hybrid_clustering": lambda: HybridFHSSimulator(clustering="calibrate"),
    "egarch_fhs_lev": AsymmetricGARCHSimulator,
    "gjr_garch_t": lambda: GARCHSimulator(vol="GJR", dist="t"),
    # fitted model kept, variance times a fast factor calibrated to the training windows' leverage
    "fhs_hybrid_fastlev": lambda: HybridFHSSimulator(leverage="fast"),
    "fhs_hybrid_level252_fastlev": lambda: HybridFHSSimulator(window=252, leverage="fast"),
    "egarch_fhs_fastlev": lambda: GARCHSimulator(vol="EGARCH", dist="skewt", innovations="bootstrap",
                                                 leverage="fast"),
    "gjr_garch_t_fastlev": lambda: GARCHSimulator(vol="GJR", dist="t", leverage="fast"),
}


def _rows(series: str, prices: Any, names: list[str], n_paths: int) -> list[dict[str, Any]]:
    train = prices.iloc[:-TEST_DAYS]  # the test window is dropped here and never read
    inner = train.iloc[:-TEST_DAYS]
    validation = np.diff(np.log(train.to_numpy()))[-TEST_DAYS:]
    reference = _returns(GARCHSimulator(vol="GJR", dist="t").fit(inner.to_frame()), n_paths, 10_000)
    floor = noise_floor(reference, bands=TARGETS)
    out = []
    for name in names:
        scores = per_path_scores(validation, _returns(VARIANTS[name]().fit(inner.to_frame()), n_paths, 0), reference)
        row = {"series": series, "model": name, "n_paths": n_paths,
               "fit": [str(inner.index[0].date()), str(inner.index[-1].date())],
               "validation": [str(train.index[-TEST_DAYS].date()), str(train.index[-1].date())],
               **{k: scores[k] for k in ("kurtosis_real", "kurtosis_synth", "leverage_real", "leverage_synth",
                                         "abs_acf_mae", "abs_acf_mae_true_model", "per_path_z")},
               "true_model_pass_rate": floor["pass_rate"], "provenance": provenance()}
        row["targets_met"] = _checks(row)
        out.append(row)
        print(series, name, "".join("y" if v else "n" for v in row["targets_met"].values()),
              {k: round(v, 2) for k, v in row["per_path_z"].items()}, flush=True)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Checks met and sum of |z| per variant over the validation windows; the chosen variant."""
    per: dict[str, dict[str, float]] = {}
    for r in rows:
        e = per.setdefault(r["model"], {"checks_met": 0, "checks": 0, "sum_abs_z": 0.0})
        e["checks_met"] += sum(r["targets_met"].values())
        e["checks"] += len(r["targets_met"])
        e["sum_abs_z"] += sum(abs(z) for z in r["per_path_z"].values())
    chosen = min(per, key=lambda m: (-per[m]["checks_met"], per[m]["sum_abs_z"]))
    expected = sum(sum(v for k, v in r["true_model_pass_rate"].items() if k != "all")
                   for r in rows if r["model"] == rows[0]["model"])
    return {"chosen": chosen, "per_model": per, "true_model_expected_checks": expected}


def main(argv: list[str] | None = None) -> None:
    """Score the variants on the validation windows and write ``oos_selection`` into market.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=300)
    parser.add_argument("--models", default=",".join(VARIANTS))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    if set(names) - set(VARIANTS):
        parser.error(f"--models must be names from {list(VARIANTS)}; got {sorted(set(names) - set(VARIANTS))}.")
    rows = [row for series, prices in load_series().items() for row in _rows(series, prices, names, args.paths)]
    summary = summarise(rows)
    print(json.dumps(summary, indent=1))
    if not args.no_write:
        committed = json.loads((RESULTS / "market.json").read_text(encoding="utf-8"))
        committed.pop("machine", None)
        write_results("market", {**committed, "oos_selection": {"protocol": "fit on the training window minus its "
                                                                "last test_days, scored on those days",
                                                                "rows": rows, **summary}})


if __name__ == "__main__":
    import torch

    torch.set_num_threads(1)  # shared machine
    main()
