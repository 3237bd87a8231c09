"""The out-of-sample, per-path market benchmark (issue 19, item 6); run it as ``python -m benchmarks.market``.

See the docstring of :mod:`benchmarks.market` for the protocol.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._common import RESULTS, provenance, read_run, run_key, write_results, write_run
from benchmarks.market import END, RUNS, START, TEST_DAYS, model_factories
from finloom.evaluate._market_floor import noise_floor
from finloom.evaluate._market_oos import discriminate_windows, memorisation_check, per_path_scores
from finloom.synth.market import (
    GARCHSimulator,
    MarketSimulator,
)

STOCKS = ("JPM", "MSFT", "XOM", "KO")  # skfolio's S&P 500 constituents: a bank, tech, energy, staples
TARGETS = {"leverage_rel": 0.30, "kurtosis_rel": 0.25, "abs_acf_mae": 0.03, "per_path_abs_z": 2.0}
DEFAULT_MODELS = ("fhs_hybrid", "fhs_hybrid_level252", "fhs_hybrid_fastlev", "fhs_hybrid_level252_fastlev",
                  "egarch_fhs_lev", "egarch_fhs_fastlev", "egarch_skewt_lev", "gjr_garch_t", "gjr_garch_t_fastlev",
                  "garch_t", "block_bootstrap_20", "iid_bootstrap", "ddpm")


def _arch_series(name: str) -> pd.Series:
    module = importlib.import_module(f"arch.data.{name}")
    raw = module.load()  # type: ignore[attr-defined]
    return pd.Series(raw["Adj Close"].astype("float64").to_numpy(), index=pd.DatetimeIndex(raw.index), name=name)


def _skfolio_stocks() -> pd.DataFrame:
    """Daily adjusted closes of 20 S&P 500 constituents shipped inside the skfolio wheel (BSD-3)."""
    spec = importlib.util.find_spec("skfolio")
    if spec is None or spec.origin is None:
        raise SystemExit("the single-stock series come from skfolio's shipped data: pip install --no-deps skfolio")
    path = Path(spec.origin).parent / "datasets" / "data" / "sp500_dataset.csv.gz"
    return pd.read_csv(path, index_col=0, parse_dates=True).astype("float64")


def load_series() -> dict[str, pd.Series]:
    """Name → daily closes over START..END: two indices (arch) and single stocks (skfolio)."""
    out = {"sp500": _arch_series("sp500"), "nasdaq": _arch_series("nasdaq")}
    stocks = _skfolio_stocks()
    out.update({s.lower(): stocks[s].rename(s.lower()) for s in STOCKS})
    return {k: v.loc[START:END].dropna() for k, v in out.items()}


def _returns(model: MarketSimulator, n_paths: int, seed: int) -> np.ndarray:
    return np.asarray(model.sample(n_paths, TEST_DAYS, random_state=seed).returns[:, :, 0])


def _checks(row: dict[str, Any]) -> dict[str, bool]:
    """Which issue-19 targets this (series, model) row meets."""
    lev_r, kur_r = row["leverage_real"], row["kurtosis_real"]
    return {"leverage": bool(abs(row["leverage_synth"] - lev_r) <= TARGETS["leverage_rel"] * abs(lev_r)),
            "kurtosis": bool(abs(row["kurtosis_synth"] - kur_r) <= TARGETS["kurtosis_rel"] * abs(kur_r)),
            "abs_acf_mae": bool(row["abs_acf_mae"] <= TARGETS["abs_acf_mae"]),
            "per_path_z": bool(all(abs(z) <= TARGETS["per_path_abs_z"] for z in row["per_path_z"].values()))}


def _one(series: str, name: str, seed: int, n_paths: int, prices: pd.Series,
         reference: np.ndarray) -> dict[str, Any]:
    train_px = prices.iloc[:-TEST_DAYS]
    logr = np.diff(np.log(prices.to_numpy()))
    real, train = logr[-TEST_DAYS:], logr[:-TEST_DAYS]
    model = model_factories(seed)[name]()
    t0 = time.perf_counter()
    model.fit(train_px.to_frame())
    fit_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    synth = _returns(model, n_paths, seed)
    sample_seconds = time.perf_counter() - t0
    scores = per_path_scores(real, synth, reference)
    disc = discriminate_windows(real, synth, random_state=seed)
    row = {"series": series, "model": name, "seed": seed, "n_paths": n_paths, "n_days": TEST_DAYS,
           "train": [str(train_px.index[0].date()), str(train_px.index[-1].date())],
           "test": [str(prices.index[-TEST_DAYS].date()), str(prices.index[-1].date())],
           "zero_return_share_real": float((real == 0).mean()), **scores,
           "disc_balanced_accuracy": disc["balanced_accuracy"], "disc_excess": disc["excess"],
           "disc_windows": [disc["n_real_windows"], disc["n_synthetic_windows"]],
           "memorisation": memorisation_check(train, synth, reference, random_state=seed),
           "noise_floor": noise_floor(reference, bands=TARGETS), "noise_floor_self": noise_floor(synth, bands=TARGETS),
           "fit_seconds": fit_seconds, "paths_per_s": n_paths / sample_seconds}
    row["targets_met"] = _checks(row)
    return row


def best_model(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The model meeting every target on every series (else the one meeting most checks), and each model's misses.

    ``true_model_expected`` sums, per band, the probability that a correctly specified model (the
    reference, scored against its own paths) meets it on each series: the checks an honest model can
    expect, and the chance it meets every band on every series.
    """
    per_model: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = per_model.setdefault(row["model"], {"checks_met": 0, "checks": 0, "series": set(), "misses": {}})
        entry["series"].add(row["series"])
        for target, ok in row["targets_met"].items():
            entry["checks"] += 1
            entry["checks_met"] += int(ok)
            if not ok:
                entry["misses"].setdefault(target, set()).add(row["series"])
    summary = {m: {"checks_met": e["checks_met"], "checks": e["checks"], "series": len(e["series"]),
                   "meets_all": e["checks_met"] == e["checks"],
                   "misses": {t: sorted(s) for t, s in sorted(e["misses"].items())}} for m, e in per_model.items()}
    floors = {r["series"]: r["noise_floor"]["pass_rate"] for r in rows if "noise_floor" in r}
    expected = {k: float(sum(f[k] for f in floors.values())) for k in ("leverage", "kurtosis", "abs_acf_mae",
                                                                        "per_path_z", "all")}
    winners = sorted(m for m, e in summary.items() if e["meets_all"])
    ranked = sorted(summary, key=lambda m: (-summary[m]["checks_met"] / max(summary[m]["checks"], 1), m))
    return {"model": winners[0] if winners else None, "meets_all_targets": bool(winners),
            "most_checks_met": ranked[0] if ranked else None, "targets": TARGETS, "per_model": summary,
            "true_model_expected": {"series": len(floors), **expected,
                                    "checks": float(sum(v for k, v in expected.items() if k != "all")),
                                    "all_series_all_bands": float(np.prod([f["all"] for f in floors.values()]))
                                    if floors else None}}


def _table(rows: list[dict[str, Any]]) -> None:
    headers = ["series", "model", "kurt real/synth (rel err; floor)", "lev real/synth (rel err; floor)",
               "|r|ACF MAE (floor)", "z kurt/lev/clus/acf", "disc bacc", "memo vol/win", "targets lev/kurt/acf/z",
               "true-model pass lev/kurt/acf/z"]
    out = []
    for r in sorted(rows, key=lambda r: (r["series"], r["model"], r["seed"])):
        z = r["per_path_z"]
        m = r["memorisation"]
        t = r["targets_met"]
        f = r["noise_floor"]
        k_err = abs(r["kurtosis_synth"] - r["kurtosis_real"]) / abs(r["kurtosis_real"])
        l_err = abs(r["leverage_synth"] - r["leverage_real"]) / abs(r["leverage_real"])
        out.append([r["series"], f"{r['model']} s{r['seed']}",
                    f"{r['kurtosis_real']:.2f}/{r['kurtosis_synth']:.2f} ({k_err:.2f}; {f['kurtosis_rel_floor']:.2f})",
                    f"{r['leverage_real']:.3f}/{r['leverage_synth']:.3f} ({l_err:.2f}; {f['leverage_rel_floor']:.2f})",
                    f"{r['abs_acf_mae']:.3f} ({r['abs_acf_mae_true_model']:.3f})",
                    "/".join(f"{z[k]:+.1f}" for k in ("kurtosis", "leverage", "vol_clustering", "abs_acf")),
                    f"{r['disc_balanced_accuracy']:.3f}", f"{m['vol_path_score']:.2f}/{m['window_score']:.2f}"
                    + (" FLAG" if m["flagged"] else ""),
                    "/".join("y" if t[k] else "n" for k in ("leverage", "kurtosis", "abs_acf_mae", "per_path_z")),
                    "/".join(f"{f['pass_rate'][k]:.2f}" for k in ("leverage", "kurtosis", "abs_acf_mae", "per_path_z"))])
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Out-of-sample, per path (targets: lev ±30 %, kurt ±25 %, ACF MAE ≤ 0.03, |z| ≤ 2)")
    for h in headers:
        table.add_column(h, no_wrap=True)
    for cells in out:
        table.add_row(*cells)
    Console(width=240).print(table)


def _merge_committed(fresh: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Committed ``series_rows`` of models not re-run now, then the fresh rows (fresh win per series/model/seed).

    Run files live outside git: a partial run (``--models``) must not drop the other models' figures.
    """
    path = RESULTS / "market.json"
    old = json.loads(path.read_text(encoding="utf-8")).get("series_rows", []) if path.is_file() else []

    def key(r: dict[str, Any]) -> tuple[str, str, str, str]:
        return r["series"], r["model"], str(r["seed"]), str(r["n_paths"])

    merged = {key(r): r for r in old}
    merged.update({key(r): r for r in fresh})
    return list(merged.values())


def main(argv: list[str] | None = None) -> None:
    """Run the out-of-sample benchmark and merge ``series_rows`` and ``best_model`` into market.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 paths, 1 seed, sp500 and jpm only, no write")
    parser.add_argument("--paths", type=int, default=300)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma-separated model names")
    parser.add_argument("--series", default="", help="comma-separated series names (default: all)")
    args = parser.parse_args(argv)
    known = list(model_factories(0))
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    if sorted(set(names) - set(known)):
        parser.error(f"--models must be names from {known}; got {sorted(set(names) - set(known))}.")
    all_series = load_series()
    chosen = ["sp500", "jpm"] if args.quick else [s.strip() for s in args.series.split(",") if s.strip()] or list(all_series)
    n_paths, seeds = (100, 1) if args.quick else (args.paths, args.seeds)
    rows = []
    for series in chosen:
        prices = all_series[series]
        for seed in range(seeds):
            ref_model = GARCHSimulator(vol="GJR", dist="t").fit(prices.iloc[:-TEST_DAYS].to_frame())
            reference = _returns(ref_model, n_paths, 10_000 + seed)  # independent of the models' draws
            for name in names:
                path = RUNS / f"oos_{series}_{name}_seed{seed}_p{n_paths}.json"
                key = run_key(protocol="oos", series=series, model=name, seed=seed, n_paths=n_paths,
                              start=START, end=END, test_days=TEST_DAYS)
                row = read_run(path, key)
                if row is None:
                    row = _one(series, name, seed, n_paths, prices, reference)
                    if not args.quick:
                        row = write_run(path, row, key)
                    else:
                        row = {**row, "provenance": provenance()}
                rows.append(row)
                z = row["per_path_z"]
                print(f"{series} {name} s{seed}: kurt {row['kurtosis_synth']:.2f}/{row['kurtosis_real']:.2f} "
                      f"lev {row['leverage_synth']:.3f}/{row['leverage_real']:.3f} acf {row['abs_acf_mae']:.3f} "
                      f"z {[round(v, 2) for v in z.values()]} disc {row['disc_balanced_accuracy']:.3f} "
                      f"memo {row['memorisation']['vol_path_score']:.2f}/{row['memorisation']['window_score']:.2f}",
                      flush=True)
    if not args.quick:
        rows = _merge_committed(rows)
    _table(rows)
    best = best_model(rows)
    print(json.dumps({"best_model": best["model"], "most_checks_met": best["most_checks_met"],
                      "per_model": {m: f"{e['checks_met']}/{e['checks']}" for m, e in best["per_model"].items()}}))
    if args.quick:
        return
    committed = json.loads((RESULTS / "market.json").read_text(encoding="utf-8"))
    committed.pop("machine", None)
    chosen = sorted({r["series"] for r in rows}, key=lambda s: list(all_series).index(s))
    write_results("market", {**committed, "series_rows": [{k: v for k, v in r.items() if k != "cache_key"}
                                                          for r in rows],
                             "best_model": best, "oos_targets": TARGETS,
                             "oos_protocol": {"series": chosen, "start": START, "end": END, "test_days": TEST_DAYS,
                                              "n_paths": n_paths, "seeds": seeds, "reference": "GJR-GARCH(1,1,1)-t",
                                              "statistics": "per path at the test length; z = (median model - "
                                                            "real) / reference spread (IQR/1.349)"}})
