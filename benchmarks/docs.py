"""Write the benchmark tables of ``docs/benchmarks.md`` from ``benchmarks/results/*.json``.

``python -m benchmarks.docs`` rewrites every block between ``<!-- table:NAME ... -->`` and
``<!-- /table:NAME -->`` with the table built from the results files; ``--check`` changes nothing
and exits 1 naming the tables that are out of date (``tests/test_docs_sync.py`` runs the same
check, so a results file committed without its docs fails the suite). Prose around the tables
is not generated: quote figures in it from these tables or the results files.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from statistics import mean, median
from typing import Any

from benchmarks._common import RESULTS, ROOT

DOC = ROOT.parent / "docs" / "benchmarks.md"
_BLOCK = re.compile(r"(?P<open><!-- table:(?P<name>[\w-]+)(?: [^>]*)? -->\n)(?P<body>.*?)(?P<close><!-- /table:(?P=name) -->)",
                    re.DOTALL)
MINUS = "\u2212"

Results = Callable[[str], dict[str, Any]]


# -- number formats -----------------------------------------------------------------------------
def dec(x: float | None, n: int = 3) -> str:
    """``n`` decimals, a typographic minus: ``dec(-0.0681)`` -> ``'−0.068'``; ``–`` for no value."""
    return "–" if x is None else f"{x:.{n}f}".replace("-", MINUS)


def signed(x: float, n: int = 3) -> str:
    """``n`` decimals with the sign always shown: ``+0.004``, ``−0.068``."""
    return ("+" if round(x, n) > 0 else "") + dec(x, n)


def sig(x: float, digits: int = 3) -> str:
    """``digits`` significant digits without exponent: 4.69, 81.2, 196, 0.0267."""
    if x == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    return dec(x, decimals)


def whole(x: float | None) -> str:
    """Thousands separators, no decimals: ``15,336``."""
    return "–" if x is None else f"{x:,.0f}"


def seconds(x: float | None) -> str:
    """Seconds as the tables show them: ``1.787`` below 10 s, else ``3,445``."""
    return whole(x) if x is None or x >= 10 else f"{x:.3f}"


def minutes(x: float) -> str:
    return f"{round(x / 60)} min"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


# -- tables -------------------------------------------------------------------------------------
def synth_tabular_table(summary: list[dict[str, Any]]) -> str:
    """Mean over seeds per dataset and model (full-protocol runs only)."""
    header = ["dataset", "model", "seeds", "quality (related pairs / all pairs)", "C2ST AUC", "TSTR / TRTR AUC",
              "DCR share", "DCR 5th pct (to train / to hold-out; hold-out's own)", "NNDR 5th pct (synthetic / hold-out)",
              "exact copies (synthetic / hold-out)", "positive rate (synthetic / real)", "epochs (stop)", "fit s",
              "rows/s"]
    rows = [[s["dataset"], f"{s['implementation']} {s['model']}", str(s["n_seeds"]),
             f"{dec(s['quality'])} / {dec(_first(s, 'quality_all_pairs', 'finloom_quality_all_pairs'))}",
             dec(s["c2st_auc"]), f"{dec(s['tstr_auc'])} / {dec(s['trtr_auc'])}", dec(s["dcr_share"]),
             f"{dec(s.get('dcr_p5_train'))} / {dec(s.get('dcr_p5_holdout'))}; {dec(s.get('holdout_dcr_p5'))}",
             f"{dec(s.get('nndr_p5'))} / {dec(s.get('holdout_nndr_p5'))}",
             f"{dec(s['exact_copy_rate'])} / {dec(s['holdout_exact_copy_rate'])}",
             f"{dec(s['target_rate_synthetic'])} / {dec(s['target_rate_real'])}", _epochs(s),
             seconds(s["fit_seconds"]), whole(s["sample_rows_per_s"])] for s in summary if not s["quick"]]
    return _table(header, rows)


def _first(s: dict[str, Any], *keys: str) -> float | None:
    """The first of ``keys`` with a value (sdmetrics' figure, else finloom's equal one)."""
    return next((s[k] for k in keys if s.get(k) is not None), None)


def _epochs(s: dict[str, Any]) -> str:
    """Epochs trained and why training stopped: ``48 (early stopping)``, ``– (closed-form fit)``."""
    epochs = s.get("epochs_trained") if s.get("epochs_trained") is not None else s.get("epochs")
    stops = sorted({r.split(" (")[0] for r in s.get("stop_reasons") or []})
    shown = "–" if epochs is None else f"{epochs:.0f}"
    return f"{shown} ({', '.join(stops)})" if stops else shown


def synth_suite_table(results: Results) -> str:
    """The issue-19 suite: per table (mean over seeds) ar, copula and auto, then the medians per part."""
    document = results("synth_tabular")
    header = ["part", "table (rows x cols)", "model", "seeds", "quality", "C2ST AUC", "TSTR / TRTR AUC", "DCR share",
              "fit s"]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in document.get("suite", []):
        groups.setdefault((r["split"], r["table"], r["family"]), []).append(r)

    def mean(g: list[dict[str, Any]], key: str) -> float | None:
        vals = [r[key] if r.get(key) is not None or key != "quality" else r.get("finloom_quality") for r in g]
        vals = [v for v in vals if v is not None]
        return sum(vals) / len(vals) if vals else None

    rows = []
    for (part, table, family), g in sorted(groups.items()):
        picks = [r["chosen"] for r in g] if family == "auto" else []
        chosen = sorted(set(picks), key=lambda c: (-picks.count(c), c))
        name = _suite_name(g[0]) if family != "auto" else "auto → " + ", ".join(  # mixed: how many seeds each
            c if len(chosen) == 1 else f"{c} ×{picks.count(c)}" for c in chosen)
        rows.append([part, f"{table} ({whole(g[0]['rows'])} x {g[0]['cols']})", name, str(len(g)),
                     dec(mean(g, "quality")), dec(mean(g, "c2st_auc")),
                     f"{dec(mean(g, 'tstr_auc'))} / {dec(mean(g, 'trtr_auc'))}", dec(mean(g, "dcr_share")),
                     seconds(mean(g, "fit_seconds"))])
    for s in document.get("suite_summary", []):
        rows.append([f"**{s['split']}**", f"**median of {s['tables']} tables**", _suite_name(s), str(len(s["seeds"])),
                     dec(s["quality"]), dec(s["c2st_auc"]), f"{dec(s['tstr_auc'])} / {dec(s['trtr_auc'])}",
                     dec(s["dcr_share"]), seconds(s["fit_seconds"])])
    return _table(header, rows)


def _suite_name(r: dict[str, Any]) -> str:
    """A suite row's model as the table shows it: finloom's family (``ar``), a comparator's
    implementation and model with its epochs (``sdv TVAE``, ``mostlyai-engine TabularARGN``)."""
    impl = r.get("implementation", "finloom")
    if impl == "finloom":
        return str(r.get("family", r["model"]))
    model = r["model"] if "family" in r else _COMPARATOR_MODELS.get(r["model"], r["model"])
    return f"{impl} {model}"


_COMPARATOR_MODELS = {"sdv_gc": "GaussianCopula", "sdv_tvae": "TVAE", "sdv_ctgan": "CTGAN", "mostlyai": "TabularARGN"}


def synth_suite_comparators_table(results: Results) -> str:
    """auto against each comparator on the unseen tables, matched on table and seed, then the medians."""
    versus = results("synth_tabular").get("suite_auto_vs_comparators") or {"per_table": [], "medians": []}
    header = ["unseen table", "comparator", "seeds", "quality auto / comparator", "C2ST AUC auto / comparator",
              "TSTR AUC auto / comparator (TRTR)", "comparator epochs (stop)", "comparator fit s"]
    rows = [[e["table"], f"{e['implementation']} {e['model']}", ", ".join(map(str, e["seeds"])),
             f"{dec(e['auto_quality'])} / {dec(e['comparator_quality'])}",
             f"{dec(e['auto_c2st_auc'])} / {dec(e['comparator_c2st_auc'])}",
             f"{dec(e['auto_tstr_auc'])} / {dec(e['comparator_tstr_auc'])} ({dec(e['trtr_auc'])})",
             _epochs({"epochs_trained": _one(e["comparator_epochs_trained"]),
                      "stop_reasons": [r for r in e["comparator_stop_reasons"] if r != "None"]}),
             seconds(e["comparator_fit_seconds"])]
            for e in sorted(versus["per_table"], key=lambda e: (e["table"], e["implementation"], e["model"]))]
    rows += [[f"**median of {m['tables']} tables**", f"{m['implementation']} {m['model']}",
              ", ".join(map(str, m["seeds"])), f"**{dec(m['auto_quality'])} / {dec(m['comparator_quality'])}**",
              f"{dec(m['auto_c2st_auc'])} / {dec(m['comparator_c2st_auc'])}",
              f"{dec(m['auto_tstr_auc'])} / {dec(m['comparator_tstr_auc'])} ({dec(m['trtr_auc'])})"
              + (f"; comparator one-class on {len(m['comparator_tstr_undefined'])}"
                 if m.get("comparator_tstr_undefined") else ""),
              f"auto ahead on {m['auto_quality_ahead_tables']} of {m['tables']}", ""] for m in versus["medians"]]
    return _table(header, rows)


def _one(values: list[Any]) -> float | None:
    """The mean of the numbers in ``values`` (epochs over seeds), ``None`` without any."""
    nums = [float(v) for v in values if isinstance(v, int | float)]
    return sum(nums) / len(nums) if nums else None


MARKET_NAMES = {"quantgan": "quantgan (TCN, WGAN-GP, 16 epochs on CPU)"}


def market_table(results: Results) -> str:
    """Stylized facts per model, mean of the seeds, best discriminative score first and in bold."""
    rows = results("market")["rows"]
    by_model: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    means = {m: {k: mean(r[k] for r in rs) for k in ("kurtosis_synth", "abs_acf_mae", "leverage_synth", "disc_score")}
             for m, rs in by_model.items()}
    seeds = {len(rs) for rs in by_model.values()}
    header = [f"model (mean of {'/'.join(map(str, sorted(seeds)))} seeds)",
              f"excess kurtosis (real {sig(rows[0]['kurtosis_real'])})", "abs_acf_mae",
              f"leverage (real {dec(rows[0]['leverage_real'])})", "disc_score"]
    out = []
    for i, (model, m) in enumerate(sorted(means.items(), key=lambda kv: kv[1]["disc_score"])):
        cells = [MARKET_NAMES.get(model, model), sig(m["kurtosis_synth"]), sig(m["abs_acf_mae"]),
                 signed(m["leverage_synth"]), dec(m["disc_score"])]
        out.append([f"**{c}**" for c in cells] if i == 0 else cells)
    return _table(header, out)


def market_oos_table(results: Results) -> str:
    """Out-of-sample per-path figures (issue 19): one line per model, worst series shown per target."""
    r = results("market")
    rows, best = r.get("series_rows", []), r.get("best_model", {})
    header = ["model", "series meeting lev ±30 % / kurt ±25 % / abs-return ACF MAE ≤ 0.03 / all per-path z within ±2",
              "median abs-return ACF MAE (true-model floor)", "median kurtosis rel. error (true-model floor)",
              "abs-return ACF z, median (series within ±2)",
              "leverage synth/real, min–max", "median of the largest per-path abs(z)", "disc balanced accuracy (median)",
              "memorisation flagged (series)"]
    out = []
    for model in dict.fromkeys(row["model"] for row in rows):
        sel = [row for row in rows if row["model"] == model]
        met = "/".join(str(sum(row["targets_met"][k] for row in sel))
                       for k in ("leverage", "kurtosis", "abs_acf_mae", "per_path_z"))
        floor = median(row["abs_acf_mae_true_model"] for row in sel)
        k_err = median(abs(row["kurtosis_synth"] - row["kurtosis_real"]) / abs(row["kurtosis_real"]) for row in sel)
        k_floor = [row["noise_floor"]["kurtosis_rel_floor"] for row in sel if "noise_floor" in row]
        acf_z = [row["per_path_z"]["abs_acf"] for row in sel]
        ratio = [row["leverage_synth"] / row["leverage_real"] for row in sel]
        out.append([model, f"{met} of {len(sel)}", f"{dec(median(row['abs_acf_mae'] for row in sel))} ({dec(floor)})",
                    f"{dec(k_err, 2)} ({dec(median(k_floor), 2) if k_floor else '–'})",
                    f"{signed(median(acf_z), 1)} ({sum(abs(z) <= 2 for z in acf_z)})",
                    f"{dec(min(ratio), 2)}–{dec(max(ratio), 2)}",
                    dec(median(max(abs(z) for z in row["per_path_z"].values()) for row in sel), 2),
                    dec(median(row["disc_balanced_accuracy"] for row in sel)),
                    str(sum(row["memorisation"]["flagged"] for row in sel))])
    chosen = best.get("model") or f"none meets every target; most checks met: {best.get('most_checks_met')}"
    return _table(header, out) + f"\n`best_model`: {chosen}\n"


def market_oos_series_table(results: Results) -> str:
    """Per series, the model meeting most checks against each band, beside a true model's floor and pass rate."""
    r = results("market")
    best = r.get("best_model", {})
    model = best.get("model") or best.get("most_checks_met")
    rows = [row for row in r.get("series_rows", []) if row["model"] == model and "noise_floor" in row]
    header = ["series (test window)", "excess kurtosis real / synth: rel. error (true model: median error, pass rate ±25 %)",
              "leverage real / synth: rel. error (true model: median error, pass rate ±30 %)",
              "abs-return ACF MAE (true model: median, pass rate ≤ 0.03)",
              "per-path z kurt / lev / clus / ACF (true model: pass rate all within ±2)", "bands met lev/kurt/ACF/z"]
    out = []
    for row in rows:
        f, z, t = row["noise_floor"], row["per_path_z"], row["targets_met"]
        p = f["pass_rate"]
        k_err = abs(row["kurtosis_synth"] - row["kurtosis_real"]) / abs(row["kurtosis_real"])
        l_err = abs(row["leverage_synth"] - row["leverage_real"]) / abs(row["leverage_real"])
        out.append([f"{row['series']} ({row['test'][0][:7]} → {row['test'][1][:7]})",
                    f"{dec(row['kurtosis_real'], 2)} / {dec(row['kurtosis_synth'], 2)}: {dec(k_err, 2)} "
                    f"({dec(f['kurtosis_rel_floor'], 2)}, {dec(p['kurtosis'], 2)})",
                    f"{dec(row['leverage_real'])} / {dec(row['leverage_synth'])}: {dec(l_err, 2)} "
                    f"({dec(f['leverage_rel_floor'], 2)}, {dec(p['leverage'], 2)})",
                    f"{dec(row['abs_acf_mae'])} ({dec(f['abs_acf_mae_floor'])}, {dec(p['abs_acf_mae'], 2)})",
                    " / ".join(signed(z[k], 1) for k in ("kurtosis", "leverage", "vol_clustering", "abs_acf"))
                    + f" ({dec(p['per_path_z'], 2)})",
                    "/".join("y" if t[k] else "n" for k in ("leverage", "kurtosis", "abs_acf_mae", "per_path_z"))])
    e = best.get("true_model_expected") or {}
    alls = [row["noise_floor"]["pass_rate"]["all"] for row in rows]
    met = best.get("per_model", {}).get(model, {})
    note = (f"\n{model}: {met.get('checks_met')} of {met.get('checks')} checks. A correctly specified model "
            f"expects {dec(e.get('checks'), 1)} of {4 * e.get('series', 0)} (lev {dec(e.get('leverage'), 1)}, "
            f"kurt {dec(e.get('kurtosis'), 1)}, ACF MAE {dec(e.get('abs_acf_mae'), 2)}, z {dec(e.get('per_path_z'), 1)}); "
            f"share of its paths meeting all four bands on one series: "
            f"{dec(100 * min(alls), 1)}–{dec(100 * max(alls), 1)} %\n") if e and alls else ""
    return _table(header, out) + note


def market_select_table(results: Results) -> str:
    """Model choice on the training windows (validation = the last test-length days before the test window)."""
    sel = results("market").get("oos_selection", {})
    header = ["variant (validation windows, 6 series)", "checks met", "sum of per-path abs(z)"]
    out = [[f"**{m}** (chosen)" if m == sel.get("chosen") else m, f"{int(e['checks_met'])} of {int(e['checks'])}",
            dec(e["sum_abs_z"], 1)] for m, e in sel.get("per_model", {}).items()]
    note = (f"\nA correctly specified model expects {dec(sel['true_model_expected_checks'], 1)} checks on these "
            "validation windows.\n") if sel else ""
    return _table(header, out) + note


def market_shift_table(results: Results) -> str:
    """Test-window statistics against the training window's own windows of the test length."""
    rows = results("market").get("oos_test_vs_train", {}).get("rows", [])
    header = ["series", "statistic", "test window", "training windows: median [10th, 90th pct]",
              "percentile of the test window"]
    out = [[r["series"], r["statistic"].replace("_", " "), dec(r["test"]),
            f"{dec(r['train_windows_median'])} [{dec(r['train_windows_p10'])}, {dec(r['train_windows_p90'])}]",
            dec(r["percentile"], 2)] for r in rows]
    return _table(header, out)


def textgen_table(results: Results) -> str:
    """Grounding, guard, compliance and rendering figures against their targets."""
    r = results("textgen")
    d = r["details"]
    pert, lab, held = d["perturbations"], d["compliance"]["labelled"], d["compliance"]["heldout"]
    en = d["render"]["en"]
    rows = [
        [f"unsupported numbers in {r['reports']} reports ({whole(d['reports']['claims_checked'])} claims)",
         str(r["unsupported_numbers"]), "0"],
        [f"guard recall on {whole(pert['perturbed_texts'])} perturbations of {pert['texts']} EN/ZH texts",
         dec(r["guard_recall"]), "≥ 0.95"],
        ["guard false alarms on unperturbed texts", dec(r["guard_false_alarm_rate"], 1), "≤ 0.02"],
        [f"compliance recall / precision, {lab['sentences']} labelled EN/ZH sentences",
         f"{dec(lab['recall'])} / {dec(lab['precision'])} (development set)", "recall ≥ 0.95"],
        [f"compliance recall / precision, {held['sentences']} held-out sentences",
         f"{dec(held['recall'])} / {dec(held['precision'])}", "reported"],
        [f"render HTML / PDF (EN, {en['pdf_pages']} pages)",
         f"{r['render_seconds_html']:.2f} s / {r['render_seconds_pdf']:.2f} s", "reported"],
    ]
    return _table(["metric", "measured", "target"], rows)


MINILM, MPNET = "all-MiniLM-L6-v2", "all-mpnet-base-v2"


def _per_type(run: dict[str, Any]) -> str:
    return ", ".join(f"{t} {dec(run['per_type'][t]['f1'])}" for t in ("PER", "LOC", "ORG"))


def nlp_table(results: Results) -> str:
    """Accuracy with both encoders (MPNet carries the headline) and int8 throughput (MiniLM)."""
    r = results("nlp")
    small, big, runs = r["by_encoder"][MINILM], r["by_encoder"][MPNET], r["runs"]
    thr, thr_big = r["throughput"], r["throughput_by_encoder"][MPNET]
    drop = thr["int8_accuracy_drop"] * 100
    rows = [
        [f"BANKING77 full fine-tune ({runs['full_ft']['epochs_run']} epochs, best validation epoch)",
         dec(small["full_ft_accuracy"]),
         f"**{dec(big['full_ft_accuracy'])}** ({minutes(runs['full_ft@' + MPNET]['train_seconds'])})",
         f"≥ 0.94 — {_met(big['full_ft_accuracy'] >= 0.94)}"],
        ["BANKING77 frozen + LR", dec(small["frozen_accuracy"]), dec(big["frozen_accuracy"]), "–"],
        ["BANKING77 10-shot: contrastive (SetFit-style) / frozen + LR",
         f"{dec(small['ten_shot_contrastive_accuracy'])} / {dec(small['ten_shot_frozen_accuracy'])}",
         f"**{dec(big['ten_shot_contrastive_accuracy'])}** / {dec(big['ten_shot_frozen_accuracy'])}",
         f"≥ 0.87 — {_met(big['ten_shot_contrastive_accuracy'] >= 0.87)}"],
        [f"TFNS weighted F1, full fine-tune (best of {len(runs['tfns_ft']['val_scores'])} epochs on a carved 10 %)",
         dec(small["tfns_finetune_weighted_f1"]),
         f"**{dec(big['tfns_finetune_weighted_f1'])}** ({minutes(runs['tfns_ft@' + MPNET]['train_seconds'])})",
         f"≥ 0.88 — {_met(big['tfns_finetune_weighted_f1'] >= 0.88)}"],
        ["FIN5 → FIN3 entity F1, IO scheme + sentence-level decoding + word shapes + one mention-replacement copy",
         f"{dec(small['fin_ner_entity_f1'])} ({_per_type(runs['fin_ner'])})",
         f"**{dec(big['fin_ner_entity_f1'])}** ({_per_type(runs['fin_ner@' + MPNET])}; "
         f"{minutes(runs['fin_ner@' + MPNET]['train_seconds'])})",
         f"≥ 0.85 — {_met(big['fin_ner_entity_f1'] >= 0.85)}"],
        ["ONNX int8 throughput, batch 64, 2 threads / accuracy drop",
         f"{whole(thr['int8_sent_per_s'])} sent/s / {dec(drop, 2)} pt" + (" (int8 slightly better)" if drop < 0 else ""),
         f"{whole(thr_big['int8_sent_per_s'])} sent/s / {dec(thr_big['int8_accuracy_drop'] * 100, 2)} pt "
         "(frozen + LR head)",
         f"≥ 300, ≤ 1 pt — {_met(thr['int8_sent_per_s'] >= 300 and drop <= 1)} (MiniLM)"],
        [f"ONNX int8 vs torch fp32 speed-up, same process, median of {runs['throughput']['rounds']} alternating rounds",
         f"**{thr['speedup']:.2f}×** on {runs['throughput']['torch_threads']} threads ({whole(thr['fp32_sent_per_s'])} → "
         f"{whole(thr['int8_sent_per_s'])} sent/s; {thr['cpu_speedup']:.2f}× per CPU-second)",
         f"{thr_big['speedup']:.2f}× ({whole(thr_big['fp32_sent_per_s'])} → {whole(thr_big['int8_sent_per_s'])} sent/s)",
         f"≥ 3× — {_met(thr['speedup'] >= 3)} (MiniLM)"],
    ]
    return _table(["metric", "MiniLM-L6", MPNET, "target"], rows)


def _pts(drop: float | None, se: float | None = None) -> str:
    """A drop in points, with its standard error when there is one."""
    if drop is None:
        return "–"
    return dec(100 * drop, 1) + ("" if se is None else f" ± {dec(100 * se, 1)}")


def robustness_table(results: Results) -> str:
    """Issue 27: clean score, worst perturbation kind and its drop, before / after robust training
    (test, dev beside), and the default explainer's deletion share."""
    rows = []
    for r in results("nlp")["robustness"]:
        a, dev = r["after_adversarial"], r["dev"]
        explained = r.get("explanation_deletion_auc") or {}
        share = explained.get("default_top_beats_random_share")
        rows.append([
            f"{r['task']} ({r['metric'].replace('_', ' ')}; train {whole(r['n_train'])}, test {whole(r['n_test'])})",
            f"{dec(r['clean'])} → {dec(a['clean'])}",
            f"{r['worst_kind']} {_pts(r['worst_drop'])} → {a['worst_kind']} "
            f"**{_pts(a['worst_drop'], a.get('worst_drop_se'))}**",
            f"{dev['before']['worst_kind']} {_pts(dev['before']['worst_drop'])} → "
            f"{dev['after']['worst_kind']} {_pts(dev['after']['worst_drop'], dev['after'].get('worst_drop_se'))}"
            f" (dev {whole(r['n_dev'])})",
            ", ".join(f"{k}={v}" for k, v in a["settings"].items()),
            f"≤ 3 pts — {_met(r['targets_met']['worst_drop_le_3pts'])}; clean ≥ −0.5 pt — "
            f"{_met(r['targets_met']['clean_loss_le_0.5pts'])}",
            "–" if share is None else f"{explained['default_method']} {dec(share, 2)} (≥ 0.90 — {_met(share >= 0.9)})",
        ])
    return _table(["task", "clean, before → after (test)", "worst kind, drop in pts, before → after (test)",
                   "same on dev", "robust training", "targets", "explanation deletion share"], rows)


def robustness_kinds_table(results: Results) -> str:
    """Issue 27: test score per perturbation kind, before → after robust training, per task."""
    rows_in = results("nlp")["robustness"]
    kinds = list(dict.fromkeys(k for r in rows_in for k in r["perturbed"]))
    rows = [["clean", *[f"{dec(r['clean'])} → {dec(r['after_adversarial']['clean'])}" for r in rows_in]]]
    for kind in kinds:
        rows.append([kind, *[f"{dec(r['perturbed'][kind])} → {dec(r['after_adversarial']['perturbed'].get(kind))}"
                             if kind in r["perturbed"] else "–" for r in rows_in]])
    return _table(["kind (severity 0.1)", *[f"{r['task']} ({r['metric'].replace('_', ' ')})" for r in rows_in]], rows)


def sentiment_da_table(results: Results) -> str:
    """Frozen-encoder sentiment before / after SimCSE domain adaptation, dev and test per set."""
    r = results("nlp")
    rows = []
    for label, block in (("TFNS", r["domain_adaptation"]["tfns"]),
                         ("second set (project-written)", r["sentiment_second_set"])):
        for split in ("dev", "test"):
            row = block[split]
            base, adapted = row["base"], row["adapted"]
            rows.append([f"{label} {split} (n = {whole(base['n'])})", dec(base["accuracy"]),
                         dec(adapted["accuracy"]), signed(row["accuracy_gain"]),
                         f"{dec(base['macro_f1'])} → {dec(adapted['macro_f1'])}"])
    return _table(["set", "accuracy, MiniLM", "accuracy, adapted", "gain", "macro F1"], rows)


def _draws(section: dict[str, Any]) -> str:
    return " / ".join(dec(d["auroc"]) for d in section["oos_draws"])


def customer_service_table(results: Results) -> str:
    """Intent, out-of-scope, FAQ retrieval, latency and load figures against their targets."""
    r = results("customer_service")
    d, load = r["details"], results("customer_service_load")
    target = d["anchors"]["oos_auroc_target"]
    oos = f"AUROC ≥ {target:.2f} — "

    def oos_row(label: str, s: dict[str, Any], extra: str) -> list[str]:
        return [label, f"{dec(s['oos_auroc'])} / {dec(s['oos_fpr_at_95tpr'])} ({extra})",
                oos + _met(s["oos_auroc"] >= target)]

    tuned, fine, ens = d["oos_tuned"], d["oos_finetuned"], d["oos_ensemble"]
    faq, bm25, lat = d["faq_hybrid"], d["faq_bm25"], d["latency_hybrid"]
    rows = [
        ["intent accuracy, BANKING77 test", dec(r["intent_accuracy"]), "–"],
        oos_row(f"out-of-scope AUROC ({len(d['oos_draws'])} draws × {len(d['oos_draws'][0]['held_out'])} held-out "
                "intents) / FPR at 95 % TPR",
                {"oos_auroc": r["oos_auroc"], "oos_fpr_at_95tpr": r["oos_fpr_at_95tpr"]},
                f"max-prob {dec(d['oos_auroc_maxprob'])}, 5-NN {dec(d['oos_auroc_knn5'])} on the same draws"),
        oos_row("same, MiniLM tuned contrastively on each draw's known intents (`--tune-epochs 1`)", tuned,
                f"draws {_draws(tuned)}"),
        oos_row("same, MiniLM fine-tuned with cross-entropy on each draw's known intents (`--tune-epochs 3 "
                "--tune-objective classification`)", fine,
                f"draws {_draws(fine)}; accuracy on the known intents {dec(fine['intent_accuracy_known'])}"),
        oos_row("same, MiniLM and all-mpnet-base-v2 embeddings concatenated (`--encoder \"$(scripts/get-mpnet.sh)\"`)",
                ens, f"draws {_draws(ens)}; intent accuracy {dec(ens['intent_accuracy'])}"),
        [f"FAQ hit@1 / hit@3 / MRR ({faq['n']} EN + ZH questions), BM25 + MiniLM fusion — the workbench's and "
         f"`finloom chat`'s default (BM25 alone: {dec(bm25['hit_at_1'])} / {dec(bm25['hit_at_3'])} / "
         f"{dec(bm25['mrr'])})", f"{dec(faq['hit_at_1'])} / {dec(faq['hit_at_3'])} / {dec(faq['mrr'])}",
         f"hit@3 ≥ {d['anchors']['faq_hit_at_3_target']:.2f}"],
        ["turn latency p50 / p95 without an LLM", f"{lat['turn_p50_ms']:.1f} / {lat['turn_p95_ms']:.1f} ms",
         f"p95 ≤ {d['anchors']['turn_p95_ms_target']:.0f} ms"],
        [f"{load['sessions']} sessions × {load['turns'] // load['sessions']} turns over HTTP: errors / lost messages",
         f"{load['errors']} / {load['lost_messages']}", "0 / 0"],
    ]
    return _table(["metric", "measured", "target"], rows)


def data_inference_table(results: Results) -> str:
    """Seconds per stage of ``prepare_table`` on the generated wide CSVs, against the 5 s target."""
    document = results("data_inference")
    header = ["columns x rows", "read (s)", "infer kinds (s)", "validate (s)", "convert (s)", "whole `prepare_table` (s)", "target"]
    rows = []
    for run in document["runs"]:
        is_target = run is document["runs"][-1]
        total = seconds(run["prepare_s"])
        rows.append([f"{whole(run['columns'])} x {run['rows']}", *(seconds(run[k]) for k in ("read_s", "infer_s", "validate_s", "coerce_s")),
                     f"**{total}**" if is_target else total,
                     f"< {document['target_s']:g} s — {_met(run['prepare_s'] < document['target_s'])}" if is_target else ""])
    return _table(header, rows)


CREDIT_NAMES = {"taiwan": "Taiwan credit default", "credit_data": "credit_data (modeldata)",
                "lending_club": "lending_club (modeldata)"}


def credit_review_table(results: Results) -> str:
    """Scorecard vs monotone challenger per table (hold-out means over the seeds) against the targets."""
    document = results("credit_review")
    t = document["targets"]
    header = ["table", "scorecard AUC / KS / Brier", "challenger AUC / KS / Brier", "default LightGBM AUC",
              f"gap (≤ {t['auc_gap_max']:g})", f"challenger − default (≥ {t['challenger_vs_default_min']:g})",
              "reason sum error (≤ 1e-6)", "rows/s scorecard, median (min) (≥ 20,000)",
              "rows/s challenger + SHAP, median (min) (≥ 2,000)"]
    rows = []
    for s in document["summary"]:
        rows.append([
            f"{CREDIT_NAMES.get(s['dataset'], s['dataset'])} ({s['seeds']} seeds)",
            f"{dec(s['scorecard_auc'])} / {dec(s['scorecard_ks'])} / {dec(s['brier_scorecard'])}",
            f"{dec(s['gbm_auc'])} / {dec(s['gbm_ks'])} / {dec(s['brier_gbm'])}", dec(s["default_gbm_auc"]),
            f"{signed(s['auc_gap'])} — {_met(s['auc_gap'] <= t['auc_gap_max'])}",
            f"{signed(s['challenger_vs_default'])} — {_met(s['challenger_vs_default'] >= t['challenger_vs_default_min'])}",
            f"{s['reason_sum_max_abs_error']:.1e} — {_met(s['reason_sum_max_abs_error'] <= t['reason_sum_max_abs_error'])}",
            f"{whole(s['scorecard_rows_per_s'])} ({whole(s['scorecard_rows_per_s_min'])}) — "
            f"{_met(s['scorecard_rows_per_s'] >= t['scorecard_rows_per_s'])}",
            f"{whole(s['challenger_rows_per_s'])} ({whole(s['challenger_rows_per_s_min'])}) — "
            f"{_met(s['challenger_rows_per_s'] >= t['challenger_rows_per_s'])}",
        ])
    letters = document["letters"]
    ok = letters["unsupported_numbers"] == 0 and letters["compliance_violations"] == 0
    rows.append([f"letters (Taiwan hold-out, EN + ZH): {letters['n']}", "", "", "", "", "",
                 f"unsupported numbers {letters['unsupported_numbers']}, compliance findings "
                 f"{letters['compliance_violations']} — {_met(ok)}", "", ""])
    return _table(header, rows)


def credit_speed_table(results: Results) -> str:
    """Old (shap library) vs batch TreeSHAP challenger scoring, timed interleaved in one run per seed."""
    import statistics

    document = results("credit_review_speed")
    t = document["targets"]
    header = ["table (seeds)", "trees", f"rows/s challenger, batch TreeSHAP, median (min) (≥ {whole(t['challenger_rows_per_s'])})",
              "rows/s challenger, shap library (old path), median", "speed-up wall, median (range)",
              "speed-up CPU, median (range)", "max score difference", "same reasons",
              f"rows/s scorecard, median (min) (≥ {whole(t['scorecard_rows_per_s'])})", "load (1 min)"]
    rows = []
    for name in dict.fromkeys(r["dataset"] for r in document["rows"]):
        mine = [r for r in document["rows"] if r["dataset"] == name]
        new = [r["rows_per_s"]["challenger_batch_treeshap"] for r in mine]
        card = [r["rows_per_s"]["scorecard"] for r in mine]
        wall, cpu = [r["speedup_wall"] for r in mine], [r["speedup_cpu"] for r in mine]
        rows.append([
            f"{CREDIT_NAMES.get(name, name)} ({len(mine)})", ", ".join(str(r["trees"]) for r in mine),
            f"{whole(statistics.median(new))} ({whole(min(new))}) — {_met(statistics.median(new) >= t['challenger_rows_per_s'])}",
            whole(statistics.median(r["rows_per_s"]["challenger_shap_library"] for r in mine)),
            f"{statistics.median(wall):.1f}× ({min(wall):.1f}–{max(wall):.1f})",
            f"{statistics.median(cpu):.1f}× ({min(cpu):.1f}–{max(cpu):.1f})",
            f"{max(r['max_abs_score_diff'] for r in mine):.1e}", "yes" if all(r["same_reasons"] for r in mine) else "no",
            f"{whole(statistics.median(card))} ({whole(min(card))}) — {_met(statistics.median(card) >= t['scorecard_rows_per_s'])}",
            f"{min(r['load_average_1min'] for r in mine):g}–{max(r['load_average_1min'] for r in mine):g}",
        ])
    return _table(header, rows)


def credit_augmentation_table(results: Results) -> str:
    """Challenger and scorecard AUC and recall at 10 % FPR trained on real, real + SMOTE, real + synthetic bads."""
    header = ["table", "challenger AUC: real / + SMOTE / + synthetic", "recall at 10 % FPR: real / + SMOTE / + synthetic",
              "scorecard AUC: real / + SMOTE / + synthetic"]
    rows = []
    for s in results("credit_review")["summary"]:
        rows.append([CREDIT_NAMES.get(s["dataset"], s["dataset"]),
                     " / ".join(dec(s[f"aug_{m}_auc"]) for m in ("none", "smote", "synthetic")),
                     " / ".join(dec(s[f"aug_{m}_recall_at_10fpr"]) for m in ("none", "smote", "synthetic")),
                     " / ".join(dec(s[f"aug_scorecard_{m}_auc"]) for m in ("none", "smote", "synthetic"))])
    return _table(header, rows)


def images_table(results: Results) -> str:
    """Image synthesizers per image set and model, with the real-vs-real floor, against issue 20's targets."""
    document = results("images")
    header = ["image set", "model", "labelled as asked (≥ 0.90)", "TSTR", "TRTR", "Fréchet distance",
              "fit (s)", "images/s"]
    rows = []
    for r in document["rows"]:
        floor = r["model"] == "real (floor)"
        shape = "x".join(str(v) for v in r.get("image_shape", [])[1:])
        rows.append([f"{r['dataset']} ({shape}, {r['n_train']} train / {r['n_test']} test)",
                     r["model"], "–" if floor else dec(r["classifier_accuracy_on_synthetic"]),
                     dec(r["tstr_accuracy"]), dec(r["trtr_accuracy"]), sig(r["fid_like"]),
                     seconds(r["fit_seconds"]), whole(r["images_per_s"])])
    for dataset, check in document.get("checks", {}).items():
        rows.append([dataset, f"best TSTR: {check['best_tstr_model']}", "", f"{signed(-check['tstr_gap_points'], 1)} points",
                     f"within 5 points — {_met(check['tstr_target_met'])}", "", "", ""])
    return _table(header, rows)


def advisor_table(results: Results) -> str:
    """Robo-advisor figures (issue 23) against their targets; walk-forward rows on the frozen TEST window."""
    doc = results("advisor")
    sim, suit, lett, speed = doc["simulation"], doc["suitability"], doc["letters"], doc["throughput"]
    models, chosen = sim["models"], sim["chosen_model"]
    model = models[chosen]
    header = ["figure", "measured", "target"]

    def corr(name: str, split: str) -> str:
        r = models[name][split]
        return f"{dec(r['corr_frobenius_error'])} (floor {dec(r['corr_frobenius_floor'])}, z {r['corr_z']:+.1f})"

    def facts(split: str) -> str:
        pa = model[split]["per_asset"]
        n = len(pa)
        return (f"{sum(a['kurtosis_in_band'] for a in pa)} / {sum(a['acf_in_band'] for a in pa)} of {n}; "
                f"per-path z: {sum(a['kurtosis_z_in_band'] for a in pa)} / {sum(a['acf_z_in_band'] for a in pa)}, "
                f"all statistics {sum(a['z_in_band'] for a in pa)}")

    rows = [
        [f"correlation error (Frobenius, 8×8 daily), TEST 2014–2018, `{chosen}` (chosen on a DEV-internal split)",
         corr(chosen, "test"), f"≤ 0.10 — {_met(sim['corr_frobenius_error'] <= 0.10)}"],
        *[[f"correlation error, TEST, `{name}`", corr(name, "test"), "reported"]
          for name in models if name != chosen],
        ["correlation error, DEV 1999–2013 (fit window), `joint_fhs` / `joint_fhs_markov`",
         f"{dec(models['joint_fhs']['dev']['corr_frobenius_error'])} / "
         f"{dec(models['joint_fhs_markov']['dev']['corr_frobenius_error'])}",
         f"≤ 0.10 — {_met(models['joint_fhs']['dev']['corr_frobenius_error'] <= 0.10)}"],
        ["correlation error, DEV, before the fix (`joint_fhs_residuals`)",
         dec(models["joint_fhs_residuals"]["dev"]["corr_frobenius_error"]), "–"],
        [f"crisis-day correlation error, TEST / DEV (`{chosen}`)",
         f"{dec(sim['crisis_corr_error'])} / {dec(model['dev']['crisis_corr_error'])}", "–"],
        ["assets with kurtosis within 25 % / abs-return ACF MAE ≤ 0.03, TEST", facts("test"),
         f"all — {_met(all(a['kurtosis_in_band'] and a['acf_in_band'] for a in model['test']['per_asset']))}"],
        ["the same on DEV (paths of the DEV length)", facts("dev"), "–"],
        ["constrained min-variance portfolios per second, 20 assets (wall; per CPU second)",
         f"{sig(speed['portfolios_per_s'])}; {sig(speed['portfolios_per_cpu_s'])}", f"≥ 50 — {_met(speed['portfolios_per_s'] >= 50)}"],
        [f"unsuitable recommendations over {whole(suit['profiles'])} random profiles", whole(suit["unsuitable_recommendations"]),
         f"0 — {_met(suit['unsuitable_recommendations'] == 0)}"],
        [f"letters: unsupported numbers / compliance violations over {whole(lett['n'])}",
         f"{whole(lett['unsupported_numbers'])} / {whole(lett['compliance_violations'])}",
         f"0 / 0 — {_met(lett['unsupported_numbers'] == 0 and lett['compliance_violations'] == 0)}"],
    ]
    for r in [*doc["optimisers"], *({"method": k, **v} for k, v in doc["baselines"].items())]:
        rows.append([f"walk-forward `{r['method']}`: Sharpe / max drawdown / turnover per year (TEST; DEV Sharpe)",
                     f"{dec(r['oos_sharpe'], 2)} / {dec(r['oos_max_drawdown'])} / {dec(r['turnover'], 2)} ({dec(r['dev']['sharpe'], 2)})",
                     "reported, no target"])
    return _table(header, rows)

def insights_table(results: Results) -> str:
    """Planted-effect recall, null false insights, guard and speed of ``benchmarks.insights`` (dev and frozen test)."""
    document = results("insights")
    splits = document["splits"]
    names = [s for s in ("dev", "test") if s in splits]
    t = document["targets"]

    def row(label: str, get: Callable[[dict[str, Any]], Any], fmt: Callable[[Any], str], target: str,
            ok: Callable[[Any], bool] | None = None) -> list[str]:
        values = [get(splits[s]) for s in names]
        met = _met(ok(values[-1])) if ok else ""
        return [label, *(fmt(v) for v in values), f"{target} {('— ' + met) if met else ''}".strip()]

    rows = [
        row("planted data sets / effects", lambda r: f"{r['planted']['datasets']} / {r['planted']['effects']}", str, ""),
        row("recall@5", lambda r: r["planted"]["recall_at_5"], dec, f"≥ {t['recall_at_5']:g}",
            lambda v: v >= t["recall_at_5"]),
        row("precision@5", lambda r: r["planted"]["precision_at_5"], dec, ""),
    ]
    kinds = list(splits[names[-1]]["planted"]["by_kind"])
    rows += [row(f"recall {k}", lambda r, k=k: r["planted"]["by_kind"][k], dec, f"≥ {t['kind_recall']:g}",
                 lambda v: v >= t["kind_recall"]) for k in kinds]
    rows += [
        row("null data sets", lambda r: r["null"]["datasets"], str, ""),
        row("false insights per null set", lambda r: r["null"]["false_insights_per_dataset"], dec,
            f"≤ {t['false_per_null']:g}", lambda v: v <= t["false_per_null"]),
        row("sentences (EN + ZH)", lambda r: r["sentences"], whole, ""),
        row("unsupported numbers", lambda r: r["unsupported_numbers"], whole, "0", lambda v: v == 0),
    ]
    speed = document["seconds_per_dataset"]
    for key, label, bound in (("10k_rows", "seconds, 10,000 rows × 20 columns", "seconds_10k"),
                              ("1m_rows", "seconds, 1,000,000 rows", "seconds_1m")):
        value = speed.get(key)
        met = "" if value is None else f" — {_met(value <= t[bound])}"
        rows.append([label, *([""] * (len(names) - 1)), seconds(value), f"≤ {t[bound]:g}{met}"])
    return _table(["figure", *names, "target"], rows)


def documents_table(results: Results) -> str:
    """Document reading and fraud checks (issue 20): test split, dev split, targets."""
    section = results("documents")["documents"]
    targets = section["targets"]
    header = ["split", "documents (en / zh)", "field exact match en", "field exact match zh", "fraud recall",
              "fraud precision", "CPU s / page", "wall s / page"]
    rows = []
    for name, part in (("test", section if "n_en" in section else None), ("dev", section.get("dev"))):
        if part:
            rows.append([name, f"{part['n_en']} / {part['n_zh']}", dec(part["field_exact_match_en"]),
                         dec(part["field_exact_match_zh"]), dec(part["fraud_recall"]), dec(part["fraud_precision"]),
                         dec(part["seconds_per_page"], 2), dec(part["wall_seconds_per_page"], 2)])
    rows.append(["target", "≥ 300 / ≥ 300", f"≥ {targets['field_exact_match_en']}", f"≥ {targets['field_exact_match_zh']}",
                 f"≥ {targets['fraud_recall']}", f"≥ {targets['fraud_precision']}", f"≤ {targets['seconds_per_page']}", ""])
    for level, match in (section.get("field_exact_match_by_noise") or {}).items():
        rows.append([f"noise {level}", "", dec(match.get("en")), dec(match.get("zh")), "", "", "", ""])
    return _table(header, rows)


def _alerts_rows(test: dict[str, Any], dev: dict[str, Any] | None) -> list[list[str]]:
    """Recall rows of the transaction-alerts table: one column for the test seeds, one for dev."""
    singles = ("rules", "anomaly", "supervised")

    def recall(block: dict[str, Any] | None, method: str) -> float | None:
        return None if block is None else block["by_method"][method]["recall_at_1pct_alerts"]

    def frauds(block: dict[str, Any] | None) -> str:
        if block is None:
            return "–"
        return whole(sum(r["fraud_rate"] * r["evaluated_events"] for r in block["runs"]))

    def above(block: dict[str, Any] | None) -> str:
        if block is None:
            return "–"
        best = max(singles, key=lambda m: recall(block, m) or 0.0)
        return f"{dec(recall(block, 'combined'))} vs {best} {dec(recall(block, best))}: " + _met(
            (recall(block, "combined") or 0.0) > (recall(block, best) or 0.0))

    def seeds(block: dict[str, Any] | None) -> str:
        return "–" if block is None else f"{whole(block['events'])} (seeds {', '.join(map(str, block['seeds']))})"

    per_seed = " / ".join(dec(r["by_method"]["combined"]["recall_at_1pct_alerts"]) for r in test["runs"])
    rows = [
        ["events generated", seeds(test), seeds(dev),
         "≥ 1,000,000 (3 seeds) " + _met(test["events"] >= 1_000_000 and len(test["seeds"]) >= 3)],
        ["planted fraud events after the warm-up", frauds(test), frauds(dev), ""],
        ["combined recall at 1 % alerts (per seed)", f"{dec(recall(test, 'combined'))} ({per_seed})",
         dec(recall(dev, "combined")), "≥ 0.80 " + _met((recall(test, "combined") or 0.0) >= 0.8)],
        ["rules / anomaly / supervised recall at 1 %", " / ".join(dec(recall(test, m)) for m in singles),
         " / ".join(dec(recall(dev, m)) for m in singles), ""],
        ["combined above every single method", above(test), above(dev), "combined > each"],
        ["combined / supervised AUPRC",
         *(("–" if b is None else f"{dec(b['by_method']['combined']['auprc'])} / "
            f"{dec(b['by_method']['supervised']['auprc'])}") for b in (test, dev)), ""],
    ]
    for name, value in test["recall_by_typology"].items():
        dev_value = None if dev is None else dev["recall_by_typology"].get(name)
        worst = min(r["recall_by_typology"][name] for r in test["runs"] if r["recall_by_typology"][name] is not None)
        rows.append([f"recall {name.replace('_', ' ')} (combined; worst seed)", f"{dec(value)} ({dec(worst)})",
                     dec(dev_value), "≥ 0.60 " + _met(value >= 0.6)])
    return rows


def alerts_table(results: Results) -> str:
    """Transaction alerts (issue 22): recall at 1 % alerts per method and typology, speed; test and dev seeds."""
    document = results("alerts")
    test, sentiment = document["transactions"], document.get("sentiment")
    dev = test.get("dev")
    rows = _alerts_rows(test, dev)
    combination = test.get("combination") or {}
    if combination:
        auprc = combination.get("calibration_auprc") or {}
        rows.append(["combination used (calibration AUPRC stack / supervised)",
                     f"{combination['kind']} ({dec(auprc.get('stack'))} / {dec(auprc.get('supervised'))})", "", ""])
    rows += [
        ["events / s, one process with state (wall clock; per CPU s)",
         f"{whole(test['events_per_s'])} ({whole(test['events_per_cpu_s'])})",
         "–" if dev is None else f"{whole(dev['events_per_s'])} ({whole(dev['events_per_cpu_s'])})",
         "≥ 30,000 " + _met(test["events_per_s"] >= 30_000)],
        ["p99 per event, streaming, ms (wall clock; CPU)", f"{dec(test['p99_ms'], 2)} ({dec(test['p99_cpu_ms'], 2)})",
         "–" if dev is None else f"{dec(dev['p99_ms'], 2)} ({dec(dev['p99_cpu_ms'], 2)})",
         "≤ 5 " + _met(test["p99_ms"] <= 5)],
    ]
    if test.get("redis"):
        redis, at = test["redis"], (test["redis"].get("provenance") or test.get("provenance") or {}).get("commit", "?")
        rows.append([f"Redis durable path, 1 / 2 consumers, events / s; killed consumer lost / duplicated (commit {at})",
                     f"{whole(redis['consumers']['1'])} / {whole(redis['consumers']['2'])}; "
                     f"{redis['lost_events']} / {redis['duplicated_events']}", "", "0 / 0"])
    if sentiment:
        sdev = sentiment.get("dev") or {}
        rows += [
            ["sentiment bursts detected (TFNS replay)", f"{sentiment['detected']} / {sentiment['bursts']}",
             f"{sdev.get('detected', '–')} / {sdev.get('bursts', '–')}", "≥ 90 % " + _met(sentiment["detection_rate"] >= 0.9)],
            ["sentiment median delay, min", whole(sentiment["median_delay_minutes"]),
             whole(sdev.get("median_delay_minutes")), "≤ 2 windows"],
            ["sentiment false alerts per 30 days", dec(sentiment["false_alerts_per_30_days"], 2),
             dec(sdev.get("false_alerts_per_30_days"), 2), "≤ 1"],
        ]
    return _table(["figure", "test", "dev", "target"], rows)


TABLES: dict[str, Callable[[Results], str]] = {
    "synth_tabular": lambda results: synth_tabular_table(results("synth_tabular")["summary"]),
    "synth_suite": synth_suite_table,
    "synth_suite_comparators": synth_suite_comparators_table,
    "market": market_table,
    "market_oos": market_oos_table,
    "market_oos_series": market_oos_series_table,
    "market_select": market_select_table,
    "market_shift": market_shift_table,
    "textgen": textgen_table,
    "nlp": nlp_table,
    "sentiment_da": sentiment_da_table,
    "robustness": robustness_table,
    "robustness_kinds": robustness_kinds_table,
    "customer_service": customer_service_table,
    "data_inference": data_inference_table,
    "credit_review": credit_review_table,
    "credit_augmentation": credit_augmentation_table,
    "credit_speed": credit_speed_table,
    "images": images_table,
    "advisor": advisor_table,
    "insights": insights_table,
    "documents": documents_table,
    "alerts": alerts_table,
}


# -- the document -------------------------------------------------------------------------------
def load_results(directory: Path = RESULTS) -> Results:
    """``results(name)``: the parsed ``<directory>/<name>.json`` (read once)."""
    cache: dict[str, dict[str, Any]] = {}

    def results(name: str) -> dict[str, Any]:
        if name not in cache:
            cache[name] = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        return cache[name]

    return results


def render(doc: str, results: Results) -> str:
    """``doc`` with every marked table block rebuilt from ``results``.

    Examples
    --------
    >>> doc = "<!-- table:textgen -->\\nold\\n<!-- /table:textgen -->\\n"
    >>> render(doc, load_results()).splitlines()[1]
    '| metric | measured | target |'
    """
    names = [m.group("name") for m in _BLOCK.finditer(doc)]
    unknown = sorted(set(names) - set(TABLES))
    if unknown:
        raise ValueError(f"table names must be one of {sorted(TABLES)}; got {unknown} in the document.")
    return _BLOCK.sub(lambda m: m.group("open") + TABLES[m.group("name")](results) + m.group("close"), doc)


def stale_tables(doc: str, results: Results) -> list[str]:
    """Names of the tables whose block differs from the results, and of tables with no block."""
    fresh = render(doc, results)
    old = {m.group("name"): m.group("body") for m in _BLOCK.finditer(doc)}
    new = {m.group("name"): m.group("body") for m in _BLOCK.finditer(fresh)}
    return sorted(name for name in TABLES if name not in old or old[name] != new[name])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a table is out of date")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    doc = args.doc.read_text(encoding="utf-8")
    results = load_results(args.results)
    stale = stale_tables(doc, results)
    if args.check:
        if stale:
            print(f"out of date in {args.doc.name}: {', '.join(stale)}; run `python -m benchmarks.docs`", file=sys.stderr)
        return 1 if stale else 0
    missing = [name for name in stale if f"<!-- table:{name}" not in doc]
    if missing:
        print(f"no block for {', '.join(missing)} in {args.doc.name}: add <!-- table:NAME --> ... <!-- /table:NAME -->",
              file=sys.stderr)
        return 1
    from finloom._io import atomic_write_text

    atomic_write_text(args.doc, render(doc, results))
    print(f"rewrote {len(stale)} table(s) in {args.doc.name}: {', '.join(stale) or 'none changed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
