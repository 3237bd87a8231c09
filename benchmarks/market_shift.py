"""Where each test window's stylized facts lie among the training window's own windows of that length.

A model fitted on the training window can only learn what the training history shows. For each
series this places the real test window's per-path statistics (excess kurtosis, leverage,
volatility clustering) among the training series' rolling windows of the test length (stride 21
days): a percentile of 0 or 1 means the test window lies outside everything the training history
shows, and a band around the real value is then out of reach for any model fitted honestly.
Written to ``market.json`` as ``oos_test_vs_train``; the models are not run.

Run: ``python -m benchmarks.market_shift`` (seconds).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from benchmarks._common import RESULTS, provenance, write_results
from benchmarks.market import TEST_DAYS
from benchmarks.market_oos import load_series
from finloom.evaluate._market_oos import path_statistics

STATISTICS = ("kurtosis", "leverage", "vol_clustering")


def shift_rows(stride: int = 21) -> list[dict[str, Any]]:
    """One row per series and statistic: test value, training windows' median / 10th / 90th pct, percentile."""
    rows = []
    for series, prices in load_series().items():
        logr = np.diff(np.log(prices.to_numpy()))
        test, train = logr[-TEST_DAYS:], logr[:-TEST_DAYS]
        windows = np.lib.stride_tricks.sliding_window_view(train, TEST_DAYS)[::stride]
        s_win, s_test = path_statistics(windows), path_statistics(test)
        for name in STATISTICS:
            value, spread = float(s_test[name][0]), s_win[name]
            rows.append({"series": series, "statistic": name, "test": value,
                         "train_windows_median": float(np.median(spread)),
                         "train_windows_p10": float(np.quantile(spread, 0.1)),
                         "train_windows_p90": float(np.quantile(spread, 0.9)),
                         "percentile": float((spread < value).mean()), "train_windows": len(spread),
                         "provenance": provenance()})
    return rows


def main() -> None:
    """Compute the rows, print them and merge them into market.json."""
    rows = shift_rows()
    for r in rows:
        print(f"{r['series']:7s} {r['statistic']:15s} test {r['test']:+.3f}  train windows median "
              f"{r['train_windows_median']:+.3f} [{r['train_windows_p10']:+.3f}, {r['train_windows_p90']:+.3f}]  "
              f"percentile {r['percentile']:.2f}")
    committed = json.loads((RESULTS / "market.json").read_text(encoding="utf-8"))
    committed.pop("machine", None)
    write_results("market", {**committed, "oos_test_vs_train": {"stride": 21, "rows": rows}})


if __name__ == "__main__":
    main()
