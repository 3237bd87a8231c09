"""Choose the out-of-scope detector's terms by nested validation, never on the benchmark's test set.

Inside each of the benchmark's three draws (10 BANKING77 intents held out as unseen), ten of the
67 known intents are held out again as *pseudo* out-of-scope. A classifier is fitted on the other
57 (frozen MiniLM, or MiniLM tuned for ``--tune-epochs``); in-domain validation messages are
half of its calibration split (never tuned or fitted on), the other half calibrates the
detector. Every candidate detector is scored on the same embeddings; the mean validation AUROC
over the three draws picks the configuration. BANKING77 *test* messages are never read.

    python -m benchmarks.customer_service_oos_select                   # frozen MiniLM (seconds)
    python -m benchmarks.customer_service_oos_select --tune-epochs 1 --threads 2  # ~15 min a draw
    python -m benchmarks.customer_service_oos_select --tune-epochs 3 --tune-objective classification \
        --threads 2  # MiniLM fine-tuned with cross-entropy on the 57 intents first

Besides the detector's configurations, a Mahalanobis distance (class means, one shared
Ledoit-Wolf covariance; Podolskiy et al. 2021, best on fine-tuned encoders) is scored as a
candidate.

Writes ``benchmarks/results/customer_service_oos_select[_tuned<N>|_finetuned<N>].json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import (
    RESULTS,
    SHARED_DATA,
    encoder_version,
    print_table,
    progress_printer,
    run_key,
    timer,
    write_results,
)
from benchmarks.customer_service import _cached_embeddings, _encoder, mahalanobis_score

# name -> OutOfScopeDetector parameters
CANDIDATES: dict[str, dict[str, Any]] = {
    "margin + 1-NN (default)": {},
    "1-NN distance alone": {"weight_prob": 0.0},
    "margin alone": {"weight_knn": 0.0},
    "margin + 2 x 1-NN": {"weight_knn": 2.0},
    "max-prob + 1-NN": {"confidence_term": "max_prob"},
    "margin + 1-NN + 10-NN": {"k": (1, 10)},
}


MAHALANOBIS = "Mahalanobis, shared covariance"


def _fitted(texts: list[str], labels: list[str], seed: int, tune_epochs: int, objective: str,
            encoder: str) -> Any:
    """The draw's classifier; a tuned one is kept under runs/ and reused by later runs."""
    from finloom.apps.customer_service import EmbeddingIntentClassifier

    tag = "" if encoder == "minilm" else f"{Path(encoder).name}_"
    key = run_key(encoders=[None if encoder == "minilm" else encoder], texts="\n".join(texts), labels=labels)
    folder = RESULTS / "runs" / "customer_service_oos_select" / f"{tag}{objective}{tune_epochs}_seed{seed}_{key}"
    if tune_epochs and (folder / "encoder").is_dir():
        return EmbeddingIntentClassifier.load(folder)
    clf = EmbeddingIntentClassifier(encoder=encoder, tune_epochs=tune_epochs, tune_objective=objective,
                                    random_state=seed)
    clf.fit(texts, labels, progress=progress_printer())
    if tune_epochs:
        clf.save(folder)
    return clf


def _draw(train: Any, seed: int, tune_epochs: int, objective: str,
          concat: str | None = None, encoder: str = "minilm") -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    from finloom.apps.customer_service import OutOfScopeDetector, concat_encoders

    intents = sorted(train["category"].unique())
    held = set(np.random.default_rng(seed).choice(intents, size=10, replace=False).tolist())  # as the benchmark
    known = [i for i in intents if i not in held]
    pseudo = set(np.random.default_rng(1000 + seed).choice(known, size=10, replace=False).tolist())
    inner = train[train["category"].isin(set(known) - pseudo)].reset_index(drop=True)
    outside = train[train["category"].isin(pseudo)]["text"].astype(str).tolist()
    texts, labels = inner["text"].astype(str).tolist(), inner["category"].astype(str).tolist()
    with timer() as t:
        clf = _fitted(texts, labels, seed, tune_epochs, objective, encoder)
    tr, cal = clf._split(np.asarray(labels))
    cal = np.random.default_rng(seed).permutation(cal)
    cal_fit, cal_val = cal[: len(cal) // 2], cal[len(cal) // 2 :]
    encode = clf.encode_
    if concat:  # the (tuned) MiniLM side by side with another frozen encoder, as concat_encoders
        other, tag = _encoder(concat), encoder_version(concat)  # loaded once for the draw's two calls
        encode = concat_encoders([encode, lambda batch: _cached_embeddings(batch, other, tag)])
    X = np.asarray(encode(texts), dtype=np.float32)
    X_out = np.asarray(encode(outside), dtype=np.float32)
    head = clf._lr(X[tr], np.asarray(labels)[tr])
    X_val = np.vstack([X[cal_val], X_out])
    is_oos = np.r_[np.zeros(len(cal_val), bool), np.ones(len(X_out), bool)]
    scores = {}
    for name, params in CANDIDATES.items():
        det = OutOfScopeDetector(**params).fit(X[tr], X[cal_fit], head.predict_proba(X[cal_fit]))
        det.set_memory(np.vstack([X[tr], X[cal_fit]]))  # as the product: memory = all but validation
        scores[name] = float(roc_auc_score(is_oos, det.score(X_val, head.predict_proba(X_val))))
    y_tr = np.asarray(labels)[tr]
    scores[MAHALANOBIS] = float(roc_auc_score(is_oos, mahalanobis_score(X[tr], y_tr, X_val)))
    return {"seed": seed, "pseudo_out_of_scope": sorted(pseudo), "n_in_domain_val": len(cal_val),
            "n_out_of_scope_val": len(X_out), "fit_seconds": round(t["seconds"], 1), "auroc": scores}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune-epochs", type=int, default=0, help="tune MiniLM first (0 = frozen)")
    parser.add_argument("--tune-objective", choices=("contrastive", "classification"),
                        default="contrastive", help="how --tune-epochs tunes MiniLM")
    parser.add_argument("--encoder", default="minilm",
                        help="'minilm' (bundled) or a local encoder folder to fit (and tune) instead")
    parser.add_argument("--draws", type=int, choices=(1, 2, 3), default=3,
                        help="how many of the 3 draws to run (fewer: a quick look)")
    parser.add_argument("--concat-encoder", default=None,
                        help="a local encoder folder whose frozen embeddings are concatenated")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    import pandas as pd
    import torch

    torch.set_num_threads(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    train = pd.read_csv(SHARED_DATA / "banking77" / "train.csv")
    draws = [_draw(train, seed, args.tune_epochs, args.tune_objective, args.concat_encoder, args.encoder)
             for seed in range(args.draws)]
    names = [*CANDIDATES, MAHALANOBIS]
    mean = {name: statistics.fmean(d["auroc"][name] for d in draws) for name in names}
    best = max(mean, key=lambda k: mean[k])
    how = "fine-tuned (cross-entropy)" if args.tune_objective == "classification" else "tuned"
    name = "all-MiniLM-L6-v2" if args.encoder == "minilm" else Path(args.encoder).name
    result = {"encoder": f"{name}, {how} {args.tune_epochs} epoch(s)" if args.tune_epochs
              else f"{name}, frozen", "mean_validation_auroc": mean, "best": best,
              "candidates": {k: {**v, "k": list(v["k"])} if "k" in v else v for k, v in CANDIDATES.items()},
              "draws": draws}
    kind = "finetuned" if args.tune_objective == "classification" else "tuned"
    suffix = f"_{kind}{args.tune_epochs}" if args.tune_epochs else ""
    if args.encoder != "minilm":
        suffix = f"_{name}{suffix}"
    if args.concat_encoder:
        result["encoder"] += f" + {Path(args.concat_encoder).name} (frozen)"
        suffix += f"+{Path(args.concat_encoder).name}"
    if args.draws < 3:
        suffix += f"_draws{args.draws}"
    write_results(f"customer_service_oos_select{suffix}", result)
    print_table(f"out-of-scope detector, nested validation ({result['encoder']})",
                ["candidate", "mean validation AUROC", *[f"draw {d['seed']}" for d in draws]],
                [[name, mean[name], *[d["auroc"][name] for d in draws]] for name in names])
    print(f"best: {best}")
    return result


if __name__ == "__main__":
    main()
