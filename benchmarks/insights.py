"""Insights (issue 25): planted-effect data sets, null data sets, guarded sentences and speed.

The benchmark writes its own tables: a loan book over 36 months (dates, three dimensions, six
measures, a 0/1 ``default`` target) with 1–3 planted effects of five kinds, or none:

- ``trend_break``: a measure's level steps up or down from one month on;
- ``segment``: one value of a dimension has a different default rate;
- ``driver``: one measure drives the default probability (logistic);
- ``anomaly``: a measure jumps for one to three months, then returns;
- ``contributor``: from one month on, a measure changes for one value of a dimension only.

A planted effect is *found* when one of the top five insights has its kind and its subject (the
measure; the dimension and value of a segment or contributor; the driving measure; a month of the
anomaly). Precision@5 counts an insight as right when it concerns a planted effect's columns
(a trend seen as a period change of the same measure counts). Seeds: development 0–59 (planted)
and 0–29 (null), looked at while tuning; test 1000–1119 and 1000–1059, frozen, never tuned on.
Speed: one 10,000 × 20 table and one 1,000,000-row table, timed end to end (insights, sentences
in both languages, no charts).

    PYTHONPATH=src nice -n 10 .venv/bin/python -m benchmarks.insights [--part dev|test|speed|all] [--no-run]

Each part is cached in ``results/runs/insights/<part>.json``; the results file is built from the
cached parts, so the parts may run in separate processes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._common import RESULTS, print_table, provenance, write_results

KINDS = ("trend_break", "segment", "driver", "anomaly", "contributor")
SPLITS = {"dev": (range(0, 60), range(0, 30)), "test": (range(1000, 1120), range(1000, 1060))}
MONTHS = 36
DIMS = {
    "region": ["North", "South", "East", "West", "Central"],
    "channel": ["branch", "online", "phone"],
    "product": ["card", "loan", "mortgage", "deposit"],
}
MEASURES = {
    "amount": (100.0, 20.0),
    "balance": (5000.0, 1000.0),
    "income": (60.0, 15.0),
    "tenure": (8.0, 3.0),
    "score": (650.0, 60.0),
    "utilisation": (40.0, 10.0),
}
TARGETS = {
    "recall_at_5": 0.90,
    "kind_recall": 0.80,
    "false_per_null": 0.1,
    "unsupported": 0,
    "seconds_10k": 10.0,
    "seconds_1m": 120.0,
}


@dataclass
class Effect:
    """One planted effect: its kind, the measure it moves, and where."""

    kind: str
    measure: str
    dimension: str | None = None
    value: str | None = None
    months: tuple[int, int] | None = None  # first and last month index touched


def _base(rng: np.random.Generator, n: int, extra_measures: int = 0) -> pd.DataFrame:
    month = rng.integers(0, MONTHS, n)
    starts = pd.DatetimeIndex(
        [pd.Timestamp("2022-01-01") + pd.DateOffset(months=m) for m in range(MONTHS)]
    )
    df = pd.DataFrame({"date": starts[month] + pd.to_timedelta(rng.integers(0, 28, n), "D")})
    for name, levels in DIMS.items():
        weights = rng.dirichlet(np.full(len(levels), 8.0))
        df[name] = rng.choice(levels, n, p=weights)
    for name, (mu, sd) in MEASURES.items():
        df[name] = rng.normal(mu, sd, n).round(2)
    for j in range(extra_measures):
        df[f"m{j + 1:02d}"] = rng.normal(0, 1, n).round(3)
    df.attrs["month"] = month
    return df


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def make_table(
    seed: int, n_effects: int, n: int | None = None, extra_measures: int = 0
) -> tuple[pd.DataFrame, list[Effect]]:
    """A seeded loan table with ``n_effects`` planted effects of distinct kinds and columns."""
    rng = np.random.default_rng(seed)
    n = int(n or rng.integers(3000, 6001))
    df = _base(rng, n, extra_measures)
    month = df.attrs.pop("month")
    logit = np.full(n, _logit(0.08))
    kinds = list(rng.choice(KINDS, n_effects, replace=False)) if n_effects else []
    free = [m for m in MEASURES if m != "score"]
    rng.shuffle(free)
    effects: list[Effect] = []
    for kind in kinds:
        if kind == "driver":
            x = "score"
            z = (df[x] - MEASURES[x][0]) / MEASURES[x][1]
            logit += rng.choice([-1, 1]) * rng.uniform(0.35, 0.7) * z.to_numpy()
            effects.append(Effect("driver", x))
            continue
        if kind == "segment":
            dim = str(rng.choice(list(DIMS)))
            value = str(rng.choice(DIMS[dim]))
            logit[df[dim].to_numpy() == value] += rng.choice([-1, 1]) * rng.uniform(0.6, 1.0)
            effects.append(Effect("segment", "default", dim, value))
            continue
        m = free.pop()
        sd = MEASURES[m][1]
        sign = rng.choice([-1, 1])
        if kind == "trend_break":
            k = int(rng.integers(8, MONTHS - 8))
            df.loc[month >= k, m] += sign * rng.uniform(0.3, 0.6) * sd
            effects.append(Effect(kind, m, months=(k, MONTHS - 1)))
        elif kind == "anomaly":
            k = int(rng.integers(4, MONTHS - 6))
            length = int(rng.integers(1, 4))
            df.loc[(month >= k) & (month < k + length), m] += sign * rng.uniform(0.6, 1.2) * sd
            effects.append(Effect(kind, m, months=(k, k + length - 1)))
        else:  # contributor
            dim = str(rng.choice(list(DIMS)))
            value = str(rng.choice(DIMS[dim]))
            k = int(rng.integers(MONTHS - 12, MONTHS))
            df.loc[(month >= k) & (df[dim].to_numpy() == value), m] += (
                sign * rng.uniform(0.6, 1.2) * sd
            )
            effects.append(Effect(kind, m, dim, value, (k, MONTHS - 1)))
    prob = 1 / (1 + np.exp(-logit))
    df["default"] = (rng.random(n) < prob).astype(int)
    return df, effects


def _month_of(day: Any) -> int:
    d = pd.Timestamp(day)
    return (d.year - 2022) * 12 + d.month - 1


def matches(insight: Any, effect: Effect) -> bool:
    """Whether an insight reports a planted effect (kind and subject)."""
    if effect.kind == "driver":
        return insight.kind == "driver" and insight.other == effect.measure
    if insight.kind != effect.kind or insight.measure != effect.measure:
        return False
    if effect.kind in ("segment", "contributor"):
        return insight.dimension == effect.dimension and insight.value == effect.value
    if effect.kind == "anomaly" and effect.months and insight.period:
        first, last = _month_of(insight.period[0]), _month_of(insight.period[1])
        return first <= effect.months[1] and last >= effect.months[0]
    return True


def related(insight: Any, effects: list[Effect]) -> bool:
    """Whether an insight concerns a planted effect's columns (for precision)."""
    for e in effects:
        if matches(insight, e):
            return True
        if e.kind == "driver" and (insight.other == e.measure or insight.measure == e.measure):
            return True
        if (
            e.kind in ("trend_break", "anomaly")
            and insight.measure == e.measure
            and not insight.dimension
        ):
            return True
        if (
            e.kind in ("segment", "contributor")
            and insight.measure == e.measure
            and insight.dimension == e.dimension
        ):
            return True
    return False


def _narrate_all(found: Any) -> tuple[int, int]:
    """Sentences written (both languages) and numbers the guard could not support."""
    from finloom.apps.insights import narrate

    sentences = unsupported = 0
    for lang in ("en", "zh"):
        for item in narrate(found, lang=lang):
            sentences += 1
            unsupported += item.guard.unsupported_numbers
    return sentences, unsupported


def run_split(split: str) -> dict[str, Any]:
    """Planted and null results of one seed range."""
    from finloom.apps.insights import find_insights

    planted_seeds, null_seeds = SPLITS[split]
    hits = {k: [0, 0] for k in KINDS}
    found_all = precise = shown = 0
    n_effects_total = sentences = unsupported = 0
    seconds = []
    for seed in planted_seeds:
        df, effects = make_table(seed, 1 + seed % 3)
        t0 = time.perf_counter()
        found = find_insights(df, target="default", seed=seed)
        seconds.append(time.perf_counter() - t0)
        top = found.insights[:5]
        for e in effects:
            ok = any(matches(i, e) for i in top)
            hits[e.kind][0] += ok
            hits[e.kind][1] += 1
            found_all += ok
            n_effects_total += 1
        precise += sum(related(i, effects) for i in top)
        shown += len(top)
        s, u = _narrate_all(found)
        sentences, unsupported = sentences + s, unsupported + u
    false = []
    for seed in null_seeds:
        df, _ = make_table(seed + 50_000, 0)
        found = find_insights(df, target="default", seed=seed)
        false.append(len(found.insights))
        s, u = _narrate_all(found)
        sentences, unsupported = sentences + s, unsupported + u
    return {
        "planted": {
            "datasets": len(planted_seeds),
            "effects": n_effects_total,
            "recall_at_5": found_all / max(n_effects_total, 1),
            "precision_at_5": precise / max(shown, 1),
            "by_kind": {k: (h / n if n else None) for k, (h, n) in hits.items()},
            "effects_by_kind": {k: n for k, (_, n) in hits.items()},
            "seconds_median": float(np.median(seconds)),
        },
        "null": {
            "datasets": len(null_seeds),
            "false_insights_per_dataset": float(np.mean(false)),
            "datasets_with_any": int(sum(f > 0 for f in false)),
        },
        "sentences": sentences,
        "unsupported_numbers": unsupported,
        "seeds": {
            "planted": [planted_seeds.start, planted_seeds.stop - 1],
            "null": [null_seeds.start + 50_000, null_seeds.stop - 1 + 50_000],
        },
    }


def time_table(n_rows: int, extra: int) -> dict[str, float]:
    """Wall-clock and CPU seconds for insights plus sentences in both languages on one seeded table
    (the machine's load average is recorded beside them: other work shares the two cores)."""
    from finloom.apps.insights import find_insights

    df, _ = make_table(7, 3, n=n_rows, extra_measures=extra)
    t0, c0 = time.perf_counter(), time.process_time()
    found = find_insights(df, target="default", seed=0)
    _narrate_all(found)
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - c0,
        "load_average_1m": os.getloadavg()[0],
        "rows": len(df),
        "columns": len(df.columns),
    }


def _part_path(part: str) -> Path:
    return RESULTS / "runs" / "insights" / f"{part}.json"


def run_part(part: str) -> dict[str, Any]:
    """One part (``dev``, ``test`` or ``speed``), cached under ``results/runs/insights/``."""
    if part == "speed":
        result: dict[str, Any] = {
            "10k_rows": time_table(10_000, 9),
            "1m_rows": time_table(1_000_000, 0),
        }
    else:
        result = run_split(part)
    path = _part_path(part)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**result, "provenance": provenance()}, indent=2), encoding="utf-8")
    return result


def _load_part(part: str) -> dict[str, Any] | None:
    path = _part_path(part)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--part",
        choices=["dev", "test", "speed", "all"],
        default="all",
        help="run one part (cached) or all; the results file is built from the cached parts",
    )
    ap.add_argument(
        "--no-run", action="store_true", help="only rebuild the results file from the cached parts"
    )
    args = ap.parse_args(argv)
    if not args.no_run:
        for part in ["dev", "test", "speed"] if args.part == "all" else [args.part]:
            run_part(part)
    results = {s: r for s in ("dev", "test") if (r := _load_part(s)) is not None}
    speed_part = _load_part("speed") or {}
    speed = {
        k: (speed_part[k]["seconds"] if k in speed_part else None) for k in ("10k_rows", "1m_rows")
    }
    rows = []
    for s, r in results.items():
        p, nl = r["planted"], r["null"]
        rows += [
            [s, "planted recall@5", p["recall_at_5"], ">= 0.90"],
            [s, "precision@5", p["precision_at_5"], "-"],
        ]
        rows += [[s, f"recall {k}", v, ">= 0.80"] for k, v in p["by_kind"].items()]
        rows += [
            [s, "false insights / null set", nl["false_insights_per_dataset"], "<= 0.1"],
            [s, "unsupported numbers", r["unsupported_numbers"], "0"],
            [s, "sentences", r["sentences"], "-"],
        ]
    for key, label, bound in (("10k_rows", "10k x 20", "<= 10"), ("1m_rows", "1M rows", "<= 120")):
        if key in speed_part:
            t = speed_part[key]
            rows.append(
                [
                    "-",
                    f"seconds {label} (cpu; load)",
                    f"{t['seconds']:.1f} ({t['cpu_seconds']:.1f}; {t['load_average_1m']:.1f})",
                    bound,
                ]
            )
    print_table("insights vs targets", ["split", "figure", "value", "target"], rows)
    if not results:
        return
    head = results.get("test") or next(iter(results.values()))
    payload = {
        **{k: head[k] for k in ("planted", "null", "sentences", "unsupported_numbers")},
        "seconds_per_dataset": speed,
        "speed_details": speed_part,
        "split": "test" if "test" in results else "dev",
        "splits": results,
        "targets": TARGETS,
        "provenance": provenance(),
    }
    print(f"wrote {write_results('insights', payload)}")


if __name__ == "__main__":
    main()
