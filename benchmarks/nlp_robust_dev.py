"""Choose the robust-training settings of the BANKING77 robustness row on a dev split only.

Run from the repo root: ``nice -n 10 python -m benchmarks.nlp_robust_dev [--dev-cap 0]``.
Same data as ``benchmarks.nlp --parts robustness_banking77``: the training file split 90/10
(stratified, seed 0); the 10 % is the dev split (``--dev-cap``: the benchmark's ``DEV_CAP`` by
default, 0 = all 1,000 texts) and the test file is never read. A candidate trains on the 90 % capped
at 4,620 texts (the benchmark's first cap), or on all 9,000 with ``train_cap: None``. Each candidate
(frozen MiniLM + logistic regression) is scored on the dev texts clean and under every
label-preserving kind at severity 0.1; among the rows of one run, the setting with the smallest
worst-kind drop whose clean accuracy is within 0.5 points of the plain model trained on as many texts
is the one the benchmark uses (``ROBUST_CLASSIFIER`` and ``ROBUST_TRAIN_CAP`` in
``benchmarks/nlp.py``). Adds its rows to ``benchmarks/results/nlp_robust_dev.json``.
"""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks._common import SHARED_DATA, committed_rows, print_table, timer, write_results

FIRST_TRAIN_CAP = 4620  # 60 texts per intent: the benchmark's cap until the synonym follow-up
CANDIDATES: dict[str, dict[str, Any]] = {
    "plain": {},
    "normalize+augment1+fgm (previous)": {"normalize_text": True, "augment": 1, "adversarial": "fgm"},
    "+spelling": {"normalize_text": True, "augment": 1, "adversarial": "fgm", "correct_spelling": True},
    "+spelling +pgd": {"normalize_text": True, "augment": 1, "adversarial": "pgd", "correct_spelling": True},
    "+spelling +augment2": {"normalize_text": True, "augment": 2, "adversarial": "fgm", "correct_spelling": True},
    "+spelling +char-ngrams": {"normalize_text": True, "augment": 1, "adversarial": "fgm",
                                "correct_spelling": True, "char_ngrams": True},
    # issue 27 follow-up (synonym gap): every training text instead of 4,620, more augmented copies
    "plain (all train)": {"train_cap": None},
    "+spelling +pgd (all train)": {"normalize_text": True, "augment": 1, "adversarial": "pgd",
                                  "correct_spelling": True, "train_cap": None},
    "+spelling +pgd +augment2 (all train)": {"normalize_text": True, "augment": 2, "adversarial": "pgd",
                                            "correct_spelling": True, "train_cap": None},
    "+spelling +pgd +augment3 (all train)": {"normalize_text": True, "augment": 3, "adversarial": "pgd",
                                            "correct_spelling": True, "train_cap": None},
}


def paired_se(n: int, drop: float, n_flipped: int) -> float:
    """Standard error of a drop in accuracy measured on the same ``n`` texts clean and perturbed:
    each text adds +1 (right -> wrong, ``n_flipped`` of them), -1 (wrong -> right) or 0.

    >>> round(paired_se(100, 0.03, 5), 4)
    0.0263
    """
    fixed = n_flipped - round(drop * n)
    var = (n_flipped + fixed) / n - drop**2
    return float(max(var, 0.0) / n) ** 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated candidate names")
    parser.add_argument("--dev-cap", type=int, default=None,
                        help="dev texts to score (default: the benchmark's DEV_CAP; 0 = all of the 10 %% split)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    from benchmarks.nlp import DEV_CAP, ROBUST_SEVERITY, _capped, _memo_encoder
    from finloom.nlp import TextClassifier, read_texts
    from finloom.nlp.perturb import robustness_report

    _memo_encoder()
    train = read_texts(SHARED_DATA / "banking77" / "train.csv", label_column="category")
    full, dev = train.split(test_size=0.1, random_state=0)
    dev_cap = DEV_CAP["banking77"] if args.dev_cap is None else (args.dev_cap or None)
    dev = _capped(dev, dev_cap)
    labels = [str(y) for y in dev.labels]
    rows = []
    for name in filter(None, args.candidates.split(",")):
        extra = dict(CANDIDATES[name])
        fit = _capped(full, extra.pop("train_cap", FIRST_TRAIN_CAP))
        with timer() as t:
            clf = TextClassifier(mode="frozen", max_length=64, random_state=0, **extra).fit(fit.texts, fit.labels)
            report = robustness_report(clf, dev.texts, labels, severities=[ROBUST_SEVERITY], seed=0)
        cells = {c["kind"]: c for c in report.cells if c["n_changed"]}
        perturbed = {k: c["score"] for k, c in cells.items()}
        worst = min(perturbed, key=lambda k: perturbed[k])
        drop = report.clean - perturbed[worst]
        rows.append({"candidate": name, "settings": CANDIDATES[name], "split": "dev", "n_train": len(fit),
                     "n_dev": len(dev), "clean": report.clean, "perturbed": perturbed, "worst_kind": worst,
                     "worst_drop": drop, "worst_drop_se": paired_se(len(dev), drop, cells[worst]["n_flipped"]),
                     "seconds": t["seconds"]})
        print(f"{name}: clean {report.clean:.4f}, worst {worst} drop {100 * drop:.1f} "
              f"± {100 * rows[-1]['worst_drop_se']:.1f} pts ({t['seconds']:.0f} s) {perturbed}", flush=True)
    chosen = _choose(rows)
    write_results("nlp_robust_dev", {"rows": committed_rows("nlp_robust_dev", ("candidate", "n_train", "n_dev"), rows),
                                     "chosen": chosen, "chosen_n_dev": len(dev), "severity": ROBUST_SEVERITY,
                                     "rule": "smallest worst-kind drop with clean >= plain - 0.005 at the same "
                                             "training size (dev only, rows of the latest run)"})
    print_table("BANKING77 robust settings (dev)", ["candidate", "clean", "worst kind", "drop (pts)"],
                [[r["candidate"], r["clean"], r["worst_kind"], f"{100 * r['worst_drop']:.1f}"] for r in rows])
    print("chosen:", chosen)


def _choose(rows: list[dict[str, Any]]) -> str | None:
    """The candidate with the smallest worst-kind drop whose clean accuracy is within 0.5 points of the
    plain model trained on as many texts (a candidate without such a plain row in the run is not eligible)."""
    plain = {r["n_train"]: r["clean"] for r in rows if not r["settings"].keys() - {"train_cap"}}
    ok = [r for r in rows if r["settings"].keys() - {"train_cap"} and r["n_train"] in plain
          and r["clean"] >= plain[r["n_train"]] - 0.005]
    return min(ok, key=lambda r: (r["worst_drop"], -r["clean"]))["candidate"] if ok else None


if __name__ == "__main__":
    main()
