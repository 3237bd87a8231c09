"""Choose the robust-training settings of the BANKING77 robustness row on a dev split only.

Run from the repo root: ``nice -n 10 python -m benchmarks.nlp_robust_dev``.
Same data as ``benchmarks.nlp --parts robustness_banking77``: the training file split 90/10
(stratified, seed 0), the 90 % capped at 4,620 texts and the 10 % at 300 (the dev split); the test
file is never read. Each candidate (frozen MiniLM + logistic regression) is scored on the dev
texts clean and under every label-preserving kind at severity 0.1; the setting with the smallest
worst-kind drop whose clean accuracy is within 0.5 points of the plain model's is the one the
benchmark uses (``ROBUST_CLASSIFIER`` in ``benchmarks/nlp.py``). Writes
``benchmarks/results/nlp_robust_dev.json``.
"""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks._common import SHARED_DATA, print_table, timer, write_results

CANDIDATES: dict[str, dict[str, Any]] = {
    "plain": {},
    "normalize+augment1+fgm (previous)": {"normalize_text": True, "augment": 1, "adversarial": "fgm"},
    "+spelling": {"normalize_text": True, "augment": 1, "adversarial": "fgm", "correct_spelling": True},
    "+spelling +pgd": {"normalize_text": True, "augment": 1, "adversarial": "pgd", "correct_spelling": True},
    "+spelling +augment2": {"normalize_text": True, "augment": 2, "adversarial": "fgm", "correct_spelling": True},
    "+spelling +char-ngrams": {"normalize_text": True, "augment": 1, "adversarial": "fgm",
                                "correct_spelling": True, "char_ngrams": True},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated candidate names")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    from benchmarks.nlp import DEV_CAP, ROBUST_SEVERITY, ROBUST_TRAIN_CAP, _capped, _memo_encoder
    from finloom.nlp import TextClassifier, read_texts
    from finloom.nlp.perturb import robustness_report

    _memo_encoder()
    train = read_texts(SHARED_DATA / "banking77" / "train.csv", label_column="category")
    fit, dev = train.split(test_size=0.1, random_state=0)
    fit, dev = _capped(fit, ROBUST_TRAIN_CAP["banking77"]), _capped(dev, DEV_CAP["banking77"])
    labels = [str(y) for y in dev.labels]
    rows = []
    for name in filter(None, args.candidates.split(",")):
        extra = CANDIDATES[name]
        with timer() as t:
            clf = TextClassifier(mode="frozen", max_length=64, random_state=0, **extra).fit(fit.texts, fit.labels)
            report = robustness_report(clf, dev.texts, labels, severities=[ROBUST_SEVERITY], seed=0)
        perturbed = {c["kind"]: c["score"] for c in report.cells if c["n_changed"]}
        worst = min(perturbed, key=lambda k: perturbed[k])
        rows.append({"candidate": name, "settings": extra, "split": "dev", "n_train": len(fit), "n_dev": len(dev),
                     "clean": report.clean, "perturbed": perturbed, "worst_kind": worst,
                     "worst_drop": report.clean - perturbed[worst], "seconds": t["seconds"]})
        print(f"{name}: clean {report.clean:.4f}, worst {worst} drop {100 * rows[-1]['worst_drop']:.1f} pts "
              f"({t['seconds']:.0f} s) {perturbed}", flush=True)
    plain = next((r["clean"] for r in rows if r["candidate"] == "plain"), None)
    ok = [r for r in rows if r["candidate"] != "plain" and (plain is None or r["clean"] >= plain - 0.005)]
    chosen = min(ok, key=lambda r: (r["worst_drop"], -r["clean"]))["candidate"] if ok else None
    write_results("nlp_robust_dev", {"rows": rows, "chosen": chosen, "severity": ROBUST_SEVERITY,
                                     "rule": "smallest worst-kind drop with clean >= plain - 0.005 (dev only)"})
    print_table("BANKING77 robust settings (dev)", ["candidate", "clean", "worst kind", "drop (pts)"],
                [[r["candidate"], r["clean"], r["worst_kind"], f"{100 * r['worst_drop']:.1f}"] for r in rows])
    print("chosen:", chosen)


if __name__ == "__main__":
    main()
