"""Does a learned classifier improve the compliance rules on a NEW author's set? (issue 16)

The rules score ~1.0 on the dev sets they were tuned on and ~0.92 / 0.93 / 8-10 % clean flagged on
each new author's set. This experiment asks whether a per-category classifier trained on the
~20 outside authors' sets helps a fresh author:

* **veto**: drop a rule flag whose category the classifier gives below ``t_veto``;
* **adder**: add a category the rules missed that the classifier gives at least ``t_add``.

Fair protocol. A fresh author is simulated by a set scored with the rules *before* the round
that read it: ``compliance_dev24`` (author BK) with the rules of commit 4d07e42. Those rule
predictions, and the same for each earlier set against the rules of the commit before its
round, were dumped once per item (``benchmarks/compliance_fresh_dump.py``) into
``benchmarks/data/textgen/oos/compliance_fresh_rules.json`` (ids and categories only). The
classifier is trained on every non-blind dev set except dev24; features, C and thresholds are
chosen by leave-one-set-out (LOSO) over those sets, with each held-out set's *fresh* rule
predictions; dev24 is scored once per final candidate. Blind sets and the test set are never
read.

    python -m benchmarks.compliance_learned_veto            # LOSO grid + dev24, writes results

Thresholds are chosen on the "mature" fresh pairs (dev12-dev22: 11 authors, 1,661 labels; the
rules before each round scored 0.936 / 0.951 / 5.8 % clean flagged there): veto = best F1 losing
at most 0.005 recall, adder = best F1, both = best F1 over the grid; the final candidate is the
config with the best LOSO F1 for both (hashed words + Chinese and Latin character n-grams,
2^16 buckets, C = 16). Result (benchmarks/results/compliance_learned_veto.json):

=====================  ==============================  ==============================
                       LOSO, 11 fresh pairs (R/P/cf)   dev24 fresh, rules 4d07e42
=====================  ==============================  ==============================
rules                  0.936 / 0.951 / 5.8 %  F1 .943  0.921 / 0.933 / 8.6 %   F1 .927
+ veto (p < 0.03)      0.933 / 0.969 / 4.1 %  F1 .951  0.921 / 0.944 / 7.1 %   F1 .933
+ adder (p >= 0.7)     0.970 / 0.937 / 9.6 %  F1 .953  0.933 / 0.928 / 10.0 %  F1 .931
+ both (0.05, 0.7)     0.964 / 0.962 / 6.8 %  F1 .963  0.927 / 0.950 / 8.6 %   F1 .939
=====================  ==============================  ==============================

The direction held on dev24 but the size did not (F1 +0.012, below the bar set beforehand: clean
flagged down >= 2 points without recall loss, or F1 up >= 0.02). The fixed candidate was then
scored, unchanged, on the next new author's set against the rules before its round (dev26, BR) and
on the four blind sets (``confirm()``, ``--confirm-only``; PII left to the rules, as shipped):

=============  ========================  ========================
set            rules R / P / clean       rules + classifier
=============  ========================  ========================
dev24 (fresh)  0.921 / 0.933 / 8.6 %     0.927 / 0.944 / 10.0 %
dev26 (fresh)  0.890 / 0.951 / 7.7 %     0.955 / 0.993 / 0.0 %
blind dev4     0.868 / 0.907 / 13.6 %    0.928 / 0.936 / 10.2 %
blind dev11    0.949 / 0.980 / 4.3 %     0.955 / 0.980 / 2.9 %
blind dev23    0.963 / 0.929 / 6.3 %     0.978 / 0.943 / 6.3 %
blind dev25    0.917 / 0.935 / 10.0 %    0.949 / 0.949 / 8.6 %
=============  ========================  ========================

F1 rose on all six, so the combination is on by default in ``audit_text``; ``--write`` retrains the
shipped model (``src/finloom/apps/compliance/models/categories``) on every non-blind dev set.

Retrained with dev27 (author BT) in the pool, thresholds unchanged (the LOSO grid, now over 13
mature sets, would pick the adder at 0.6; the shipped 0.7 stays). dev27 scored fresh the same way
(rules of 104f0a1, classifier trained on every other non-blind set): rules 0.934 / 0.914 / 8.9 %
(F1 .924), + classifier 0.927 / 0.927 / 5.6 % (F1 .927). With dev27 in training, the confirmation
rows for dev24 / dev26 / dev11 / dev23 / dev25 held or rose; blind dev4 rules + classifier kept
0.928 / 0.936 but flags one more clean text (10.2 % -> 11.4 %).

Retrained with dev28 (author BX) in the pool (4,950 items), thresholds unchanged. Confirmation rows
(pool without dev28 and the rules before the BX round -> pool with dev28 and the BX-round rules):
dev24, dev26, blind dev4 and blind dev25 unchanged; blind dev11 rules + classifier 0.962 / 0.981 /
2.9 % -> 0.968 / 0.987 / 1.4 %; blind dev23 0.985 / 0.957 / 6.3 % -> 0.985 / 0.950 / 6.3 % (one more
false flag on a labelled text, from the added training set, not the rules).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from benchmarks._common import RESULTS, write_results
from benchmarks.textgen_oos import BLIND, CATEGORIES, OOS, load
from finloom.apps.compliance._learned import CategoryClassifier, ngram_features

FRESH_RULES = OOS / "compliance_fresh_rules.json"
FRESH_SET = "dev24"
EXCLUDE = {*BLIND["compliance"], FRESH_SET}


MATURE_FROM = 12  # thresholds are chosen on sets dev12+ (their fresh rules score like dev24's: 0.88-0.96 recall)


def pool_sets() -> list[str]:
    """Non-blind dev sets other than dev24, in a fixed order."""
    names = sorted(p.stem.split("_", 1)[1] for p in OOS.glob("compliance_dev*.jsonl"))
    return [n for n in names if n not in EXCLUDE]


def _clean(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**it, "labels": [c for c in it["labels"] if c in CATEGORIES]} for it in items]


features = ngram_features  # the shipped classifier's features (finloom.apps.compliance._learned)


def _fit_predict(X: sp.csr_matrix, Y: np.ndarray, train: np.ndarray, test: np.ndarray, C: float,
                 balanced: bool) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((len(test), Y.shape[1]))
    for k in range(Y.shape[1]):
        lr = LogisticRegression(C=C, solver="liblinear", dual=True, max_iter=1000,
                                class_weight="balanced" if balanced else None)
        lr.fit(X[train], Y[train, k])
        out[:, k] = lr.predict_proba(X[test])[:, 1]
    return out


def combine(rules: np.ndarray, probs: np.ndarray, t_veto: float | None, t_add: float | None) -> np.ndarray:
    """Rule flags (bool n x K), minus those below ``t_veto``, plus classifier flags at ``t_add`` or above."""
    pred = rules.copy()
    if t_veto is not None:
        pred &= probs >= t_veto
    if t_add is not None:
        pred |= probs >= t_add
    return pred


def score(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Micro recall / precision / F1 over the five categories and the share of clean texts flagged."""
    tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
    clean = ~gold.any(1)
    r, p = tp / max(1, tp + fn), tp / max(1, tp + fp)
    return {"recall": round(r, 4), "precision": round(p, 4), "f1": round(2 * r * p / max(1e-9, r + p), 4),
            "clean_flagged": round(float(pred[clean].any(1).mean()), 4), "tp": tp, "fp": fp, "fn": fn}


TARGETS = {"recall": 0.95, "precision": 0.95, "clean_flagged": 0.03}  # issue 16's compliance targets


def target_shortfall(s: dict[str, float]) -> float:
    """How far a score is from the issue's three targets at the worst of them (<= 0: all met).

    >>> target_shortfall({"recall": 0.96, "precision": 0.93, "clean_flagged": 0.05})
    0.02
    """
    return round(max(TARGETS["recall"] - s["recall"], TARGETS["precision"] - s["precision"],
                     s["clean_flagged"] - TARGETS["clean_flagged"]), 6)


def _rule_matrix(items: list[dict[str, Any]], preds: dict[str, list[str]]) -> np.ndarray:
    return np.asarray([[c in preds[it["id"]] for c in CATEGORIES] for it in items])


def _gold(items: list[dict[str, Any]]) -> np.ndarray:
    return np.asarray([[c in it["labels"] for c in CATEGORIES] for it in items])


VETO_GRID = (0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3)
ADD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)
CONFIGS = ({"dim": 1 << 16, "latin_chars": True, "C": 4.0, "balanced": False},
           {"dim": 1 << 16, "latin_chars": True, "C": 16.0, "balanced": False},
           {"dim": 1 << 16, "latin_chars": True, "C": 1.0, "balanced": False},
           {"dim": 1 << 16, "latin_chars": False, "C": 4.0, "balanced": False},
           {"dim": 1 << 16, "latin_chars": True, "C": 4.0, "balanced": True})


def run(configs: Sequence[dict[str, Any]] = CONFIGS) -> dict[str, Any]:
    """LOSO over the pool for each config, thresholds chosen there, then dev24 scored once per candidate."""
    fresh = json.loads(FRESH_RULES.read_text(encoding="utf-8"))
    names = pool_sets()
    sets = {n: _clean(load("compliance", n)) for n in names}
    items = [it for n in names for it in sets[n]]
    group = np.asarray([i for i, n in enumerate(names) for _ in sets[n]])
    gold = _gold(items)
    fresh_rules = np.vstack([_rule_matrix(sets[n], fresh[n]["preds"]) for n in names])
    target = _clean(load("compliance", FRESH_SET))
    out: dict[str, Any] = {"pool": names, "items": len(items), "fresh_commits": {n: fresh[n]["commit"] for n in names},
                           "configs": []}
    mature = np.isin(group, [i for i, n in enumerate(names) if int(n[3:] or 1) >= MATURE_FROM])
    out["loso_fresh_rules_only"] = {"all_sets": score(gold, fresh_rules), "mature_sets": score(gold[mature], fresh_rules[mature])}
    for cfg in configs:
        t0 = time.perf_counter()
        X = features([it["text"] for it in items] + [it["text"] for it in target], dim=cfg["dim"],
                     latin_chars=cfg["latin_chars"])
        X = X.astype(np.float64)
        Xp, Xt = X[: len(items)], X[len(items):]
        probs = np.zeros(gold.shape)
        for g in range(len(names)):
            test = np.flatnonzero(group == g)
            probs[test] = _fit_predict(Xp, gold, np.flatnonzero(group != g), test, cfg["C"], cfg["balanced"])
        res: dict[str, Any] = {"config": cfg, "loso_clf_alone@0.5": score(gold, probs >= 0.5)}
        res["all_sets"] = {"rules": score(gold, fresh_rules)}
        res["all_sets"].update({f"veto<{t}": score(gold, combine(fresh_rules, probs, t, None)) for t in VETO_GRID})
        res["all_sets"].update({f"adder>={t}": score(gold, combine(fresh_rules, probs, None, t)) for t in ADD_GRID})
        gold_all, probs_all, rules_all, group_all = gold, probs, fresh_rules, group
        gold, probs, fresh_rules, group = gold[mature], probs[mature], fresh_rules[mature], group[mature]
        # every (veto, adder) pair once; None = that half off
        grid = {(tv, ta): score(gold, combine(fresh_rules, probs, tv, ta))
                for tv in (None, *VETO_GRID) for ta in (None, *ADD_GRID)}
        res["veto"] = {t: grid[t, None] for t in VETO_GRID}
        res["adder"] = {t: grid[None, t] for t in ADD_GRID}
        base_r = out["loso_fresh_rules_only"]["mature_sets"]["recall"]
        # veto: best F1 among thresholds that lose at most 0.005 recall; adder: best F1
        ok = [t for t in VETO_GRID if res["veto"][t]["recall"] >= base_r - 0.005]
        res["t_veto"] = max(ok, key=lambda t: res["veto"][t]["f1"]) if ok else None
        res["t_add"] = max(ADD_GRID, key=lambda t: res["adder"][t]["f1"])
        t_both = max(((tv, ta) for tv in VETO_GRID for ta in ADD_GRID), key=lambda k: grid[k]["f1"])
        res["t_both"], res["both"] = list(t_both), grid[t_both]
        # the operating point closest to all three of the targets at once (not F1 alone)
        t_targets = min(grid, key=lambda k: target_shortfall(grid[k]))
        res["t_targets"], res["targets"] = list(t_targets), {**grid[t_targets],
                                                             "shortfall": round(target_shortfall(grid[t_targets]), 4)}
        res["per_set_rules_vs_veto"] = {
            n: [score(gold[group == g], fresh_rules[group == g]),
                score(gold[group == g], combine(fresh_rules[group == g], probs[group == g], res["t_veto"], None))]
            for g, n in enumerate(names) if (group == g).any()} if res["t_veto"] else {}
        gold, probs, fresh_rules, group = gold_all, probs_all, rules_all, group_all
        res["seconds"] = round(time.perf_counter() - t0, 1)
        res["_X"] = (Xp, Xt)
        out["configs"].append(res)
        print(json.dumps({k: v for k, v in res.items() if k not in ("per_set_rules_vs_veto", "veto", "adder", "_X")}),
              flush=True)
    # the final candidate: the config with the best LOSO F1 of rules + both; dev24 scored once
    best = max(out["configs"], key=lambda r: r["both"]["f1"])
    Xp, Xt = best["_X"]
    for r in out["configs"]:
        del r["_X"]
    probs24 = _fit_predict(sp.vstack([Xp, Xt]).tocsr(), np.vstack([gold, np.zeros((len(target), gold.shape[1]), bool)]),
                           np.arange(len(items)), np.arange(len(items), len(items) + len(target)),
                           best["config"]["C"], best["config"]["balanced"])
    rules24, gold24 = _rule_matrix(target, fresh[FRESH_SET]["preds"]), _gold(target)
    tv, ta = best["t_veto"], best["t_add"]
    out["final"] = {"config": best["config"], "t_veto": tv, "t_add": ta, "t_both": best["t_both"],
                    "fresh_commit": fresh[FRESH_SET]["commit"]}
    out["dev24"] = {"rules": score(gold24, rules24),
                    f"rules+veto<{tv}": score(gold24, combine(rules24, probs24, tv, None)),
                    f"rules+adder>={ta}": score(gold24, combine(rules24, probs24, None, ta)),
                    f"rules+both{tuple(best['t_both'])}": score(gold24, combine(rules24, probs24, *best["t_both"])),
                    "clf_alone@0.5": score(gold24, probs24 >= 0.5)}
    print(json.dumps({"final": out["final"], "dev24": out["dev24"]}, indent=1), flush=True)
    return out


# C = 16 as fixed by run() on dev24. The thresholds were first the best-F1 pair (veto below 0.05, adder at 0.7);
# since the fifteenth session they are run()'s ``t_targets``, the pair closest to all three targets over the
# mature LOSO pairs (veto below 0.1, adder at 0.9 for C = 16): F1 0.957 vs 0.960 there, 1.6 points less recall
# for 1.6 points fewer clean texts flagged — the frozen test misses precision and clean texts more than recall. Each
# new author's set is scored against the rules before its round (CONFIRM_SETS, trained on every other set)
# and the blind sets give totals only.
SHIPPED = {"C": 16.0, "veto": 0.1, "threshold": 0.9}
CONFIRM_SETS = ("dev24", "dev26", "dev27", "dev28", "dev29")
MODEL_DIR = Path(__file__).resolve().parents[1] / "src" / "finloom" / "apps" / "compliance" / "models" / "categories"


def _fit_shipped(items: list[dict[str, Any]]) -> CategoryClassifier:
    return CategoryClassifier(**SHIPPED).fit([it["text"] for it in items], [it["labels"] for it in items])


def _combined(items: list[dict[str, Any]], rules: np.ndarray, clf: CategoryClassifier) -> np.ndarray:
    """Rules + classifier as audit_text combines them (PII by the rules alone)."""
    probs = clf.predict_proba([it["text"] for it in items])
    pred = combine(rules, probs, clf.veto, clf.threshold)
    k = CATEGORIES.index("pii")
    pred[:, k] = rules[:, k]
    return pred


def confirm() -> dict[str, Any]:
    """The shipped combination on sets it was not chosen or trained on: each CONFIRM_SETS set with its fresh
    rule predictions (trained on every other non-blind set), and each blind set with today's rules (trained on
    every non-blind set; totals only)."""
    from finloom.apps.compliance import audit_text

    fresh = json.loads(FRESH_RULES.read_text(encoding="utf-8"))
    names = sorted(p.stem.split("_", 1)[1] for p in OOS.glob("compliance_dev*.jsonl"))
    pool = [n for n in names if n not in BLIND["compliance"]]
    out: dict[str, Any] = {"shipped": SHIPPED}
    for held in CONFIRM_SETS:
        target = _clean(load("compliance", held))
        clf = _fit_shipped([it for n in pool if n != held for it in _clean(load("compliance", n))])
        rules, gold = _rule_matrix(target, fresh[held]["preds"]), _gold(target)
        out[held] = {"fresh_commit": fresh[held]["commit"], "rules": score(gold, rules),
                     "rules+classifier": score(gold, _combined(target, rules, clf))}
    clf = _fit_shipped([it for n in pool for it in _clean(load("compliance", n))])
    for blind in BLIND["compliance"]:
        target = _clean(load("compliance", blind))
        rules = np.asarray([[c in {f.category for f in audit_text(it["text"], it.get("lang"), classifier=None)}
                             for c in CATEGORIES] for it in target])
        out[f"blind_{blind}"] = {"rules": score(_gold(target), rules),
                                 "rules+classifier": score(_gold(target), _combined(target, rules, clf))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--confirm-only", action="store_true", help="skip the LOSO grid; only the confirmations")
    parser.add_argument("--write", action="store_true",
                        help="(re)write the shipped model from every non-blind dev set")
    args = parser.parse_args()
    result = {} if args.confirm_only else run()
    result["confirm"] = confirm()
    print(json.dumps(result["confirm"], indent=1), flush=True)
    if args.confirm_only and (RESULTS / "compliance_learned_veto.json").exists():  # keep the grid, renew the confirmations
        kept = json.loads((RESULTS / "compliance_learned_veto.json").read_text(encoding="utf-8"))
        result = {**{k: v for k, v in kept.items() if k != "machine"}, "confirm": result["confirm"]}
    write_results("compliance_learned_veto", result)
    if args.write:
        pool = [p.stem.split("_", 1)[1] for p in sorted(OOS.glob("compliance_dev*.jsonl"))]
        items = [it for n in pool if n not in BLIND["compliance"] for it in _clean(load("compliance", n))]
        print(f"wrote {_fit_shipped(items).save(MODEL_DIR)} ({len(items)} items)")


if __name__ == "__main__":
    main()
