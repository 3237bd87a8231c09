"""Customer-service assistant benchmark: intents, out-of-scope detection, FAQ retrieval, latency.

Run from the repository root::

    nice -n 10 python -m benchmarks.customer_service          # full (about 10 min on 1 thread)
    nice -n 10 python -m benchmarks.customer_service --quick  # subsampled BANKING77, 1 draw
    nice -n 10 python -m benchmarks.customer_service --oos-only --fresh  # OOS draws only, merged
    python -m benchmarks.customer_service --encoder "$(scripts/get-mpnet.sh)"  # MiniLM + MPNet OOS
    python -m benchmarks.customer_service --tune-epochs 1 --threads 2  # OOS with MiniLM tuned per draw
    python -m benchmarks.customer_service --tune-epochs 3 --tune-objective classification --threads 2

Writes ``benchmarks/results/customer_service.json`` and one file per finished step under
``benchmarks/results/runs/customer_service/`` (steps already there are skipped; ``--fresh``
recomputes them; ``--oos-only`` runs just the out-of-scope draws and merges their figures into
the existing results file, keeping the other keys). The HTTP load test (50 sessions x 20 turns)
is ``python -m benchmarks.customer_service_load``, which writes the ``load`` key.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import (
    RESULTS,
    SHARED_DATA,
    code_version,
    encoder_version,
    print_table,
    progress_printer,
    read_run,
    run_key,
    write_results,
    write_run,
)

RUNS = RESULTS / "runs" / "customer_service"
GOLD = Path(__file__).resolve().parent / "data" / "customer_service" / "faq_questions.jsonl"
OOS_QUESTIONS = GOLD.with_name("oos_questions.jsonl")
OOS_METHOD = ("OutOfScopeDetector defaults: z(-logit margin of the top two intents) + z(1-NN cosine "
              "distance), standardised on held-out in-domain messages")
ANCHORS = {"oos_auroc_maxprob": 0.895, "oos_auroc_knn5": 0.912, "oos_auroc_target": 0.95,
           "faq_hit_at_3_target": 0.90, "turn_p95_ms_target": 100.0}


EXTRA_ENCODERS: list[str] = []  # --encoder: a second encoder some steps use beside MiniLM


def _step(name: str, fresh: bool, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one resumable step: reuse ``runs/customer_service/<name>.json`` when it was written by
    the same code with the same encoders (see ``run_key``)."""
    path = RUNS / f"{name}.json"
    key = run_key(encoders=[None, *EXTRA_ENCODERS], step=name)
    cached = None if fresh else read_run(path, key)
    if cached is not None:
        print(f"[skip] {name}: {path} was measured on this code")
        return cached
    start = time.perf_counter()
    result = fn()
    result["seconds"] = round(time.perf_counter() - start, 2)
    return write_run(path, result, key)


def _encoder(path: str | None = None) -> Callable[[list[str]], np.ndarray]:
    from finloom.apps.customer_service.service import minilm_encoder

    return minilm_encoder(path)


def _cached_embeddings(texts: list[str], encode: Callable[[list[str]], np.ndarray],
                       tag: str = "") -> np.ndarray:
    key = hashlib.sha256(("\n".join(texts) + tag + code_version()).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"finloom_cs_emb_{key}.npy"
    if path.is_file():
        return np.load(path)
    vectors = encode(texts)
    np.save(path, vectors)
    return vectors


def _banking77(quick: bool, extra_encoder: str | None = None) -> dict[str, Any]:
    """BANKING77 with cached embeddings: MiniLM, or MiniLM and ``extra_encoder`` concatenated."""
    import pandas as pd

    from finloom.apps.customer_service import concat_encoders

    root = SHARED_DATA / "banking77"
    train, test = pd.read_csv(root / "train.csv"), pd.read_csv(root / "test.csv")
    if quick:
        train = train.groupby("category").head(30).reset_index(drop=True)
        test = test.groupby("category").head(10).reset_index(drop=True)
    specs = [(None, encoder_version(None))] + ([(extra_encoder, encoder_version(extra_encoder))] if extra_encoder else [])
    encoders = [_encoder(path) for path, _ in specs]
    # the benchmark's embeddings go through the same concatenation as the product's, cached per member
    cached = concat_encoders([lambda texts, enc=enc, tag=tag: _cached_embeddings(texts, enc, tag)
                              for enc, (_, tag) in zip(encoders, specs, strict=True)])
    return {"train": train, "test": test,
            "E_train": cached(train["text"].astype(str).tolist()),
            "E_test": cached(test["text"].astype(str).tolist()),
            "encode": encoders[0] if len(encoders) == 1 else concat_encoders(encoders)}


def intent_accuracy(data: dict[str, Any]) -> dict[str, Any]:
    """Frozen MiniLM + logistic regression on all 77 BANKING77 intents."""
    from finloom.apps.customer_service import EmbeddingIntentClassifier

    clf = EmbeddingIntentClassifier(encoder=data["encode"], random_state=0)
    clf.fit(data["train"]["text"].tolist(), data["train"]["category"].tolist(), embeddings=data["E_train"])
    proba = clf.predict_proba([], embeddings=data["E_test"])
    pred = np.asarray(clf.classes_)[proba.argmax(1)]
    return {"intent_accuracy": float(np.mean(pred == data["test"]["category"].to_numpy())),
            "n_test": len(pred), "model": "frozen MiniLM-L6 + logistic regression (C=10)"}


def _fpr_at_95tpr(is_oos: np.ndarray, score: np.ndarray) -> float:
    threshold = np.quantile(score[is_oos], 0.05)  # 95% of out-of-scope messages score above it
    return float(np.mean(score[~is_oos] >= threshold))


def mahalanobis_score(X_fit: np.ndarray, y_fit: np.ndarray, X: np.ndarray) -> np.ndarray:
    """(N,) distance to the nearest class mean under one shrunk covariance shared by all classes."""
    from sklearn.covariance import LedoitWolf

    classes = np.unique(y_fit)
    means = np.stack([X_fit[y_fit == c].mean(0) for c in classes])  # (K, D)
    centred = X_fit - means[np.searchsorted(classes, y_fit)]
    precision = LedoitWolf().fit(centred).precision_  # (D, D)
    diff = X[:, None, :] - means[None, :, :]  # (N, K, D)
    return np.asarray(np.einsum("nkd,de,nke->nk", diff, precision, diff).min(1))


def oos_draw(data: dict[str, Any], seed: int, tune_epochs: int = 0,
             tune_objective: str = "contrastive") -> dict[str, Any]:
    """Hold out 10 random intents as unseen; score the whole test set.

    ``tune_epochs`` > 0: the classifier first tunes MiniLM on the draw's known intents
    (``EmbeddingIntentClassifier(tune_epochs=..., tune_objective=...)``), so embeddings are not
    cached.
    """
    from sklearn.metrics import roc_auc_score

    from finloom.apps.customer_service import EmbeddingIntentClassifier

    train, test = data["train"], data["test"]
    intents = sorted(train["category"].unique())
    held = set(np.random.default_rng(seed).choice(intents, size=10, replace=False).tolist())
    keep = ~train["category"].isin(held).to_numpy()
    texts, labels = train["text"][keep].tolist(), train["category"][keep].tolist()
    if tune_epochs:
        clf = EmbeddingIntentClassifier(encoder="minilm", tune_epochs=tune_epochs,
                                        tune_objective=tune_objective, random_state=seed)
        clf.fit(texts, labels, progress=progress_printer())
        E = np.asarray(clf.encode_(test["text"].astype(str).tolist()), dtype=np.float32)
        E_known = np.asarray(clf.encode_(texts), dtype=np.float32)
    else:
        clf = EmbeddingIntentClassifier(encoder=data["encode"], random_state=seed)
        clf.fit(texts, labels, embeddings=data["E_train"][keep])
        E, E_known = data["E_test"], data["E_train"][keep]
    proba = clf.predict_proba([], embeddings=E)
    combined = clf.detector_.score(E, proba)  # the product's detector (margin + 1-NN by default)
    maxprob = 1 - proba.max(1)
    sims = E @ clf.detector_.memory_.T
    knn5 = 1 - np.sort(sims, axis=1)[:, -5:].mean(1)
    knn1 = 1 - sims.max(1)
    is_oos = test["category"].isin(held).to_numpy()
    flagged = combined > clf.detector_.threshold_
    return {
        "seed": seed, "held_out": sorted(held), "method": OOS_METHOD,
        "auroc": float(roc_auc_score(is_oos, combined)),
        "fpr_at_95tpr": _fpr_at_95tpr(is_oos, combined),
        "auroc_maxprob": float(roc_auc_score(is_oos, maxprob)),
        "auroc_knn5": float(roc_auc_score(is_oos, knn5)),
        "auroc_knn1": float(roc_auc_score(is_oos, knn1)),
        "auroc_mahalanobis": float(roc_auc_score(
            is_oos, mahalanobis_score(E_known, np.asarray(labels), E))),
        "intent_accuracy_known": float(np.mean(
            np.asarray(clf.classes_)[proba[~is_oos].argmax(1)] == test["category"][~is_oos].to_numpy())),
        "calibrated_threshold_tpr": float(flagged[is_oos].mean()),
        "calibrated_threshold_fpr": float(flagged[~is_oos].mean()),
    }


def faq_retrieval(dense: bool) -> dict[str, Any]:
    """hit@1/hit@3/MRR of the KB search on the gold questions."""
    from finloom.apps.customer_service import (
        KnowledgeBase,
        evaluate_faq_retrieval,
        load_builtin_kb,
        load_faq_questions,
    )

    kb = KnowledgeBase(load_builtin_kb(), encoder=_encoder() if dense else None)
    out = evaluate_faq_retrieval(kb, load_faq_questions(GOLD))
    out["retriever"] = "BM25 + MiniLM RRF (English), BM25 (Chinese)" if dense else "BM25"
    return out


def _script(questions: list[dict[str, str]], i: int) -> list[str]:
    faq = [questions[(i * 7 + j * 31) % len(questions)]["question"] for j in range(10)]
    return ["hello", *faq[:4], "freeze my card", "1", "yes", "what's my balance?",
            "最近的交易记录", "日常账户", *faq[4:], "thanks, bye"]


def turn_latency(dense: bool, n_sessions: int) -> dict[str, Any]:
    """Wall time of ``handle_message`` per turn in scripted sessions (no LLM backend)."""
    from finloom.apps.customer_service import build_demo_assistant, load_faq_questions

    bot = build_demo_assistant(dense=dense)
    questions = load_faq_questions(GOLD)
    times, kinds = [], {}
    bot.handle_message(bot.start_session(customer_id="warmup").id, "hello")
    for i in range(n_sessions):
        session = bot.start_session(customer_id=f"customer-{i}")
        for message in _script(questions, i):
            start = time.perf_counter()
            reply = bot.handle_message(session.id, message)
            times.append((time.perf_counter() - start) * 1000)
            kinds[reply.kind] = kinds.get(reply.kind, 0) + 1
            if reply.kind == "handoff":  # keep measuring bot turns, not queued messages
                session = bot.start_session(customer_id=f"customer-{i}")
    return {"turn_p50_ms": float(np.percentile(times, 50)), "turn_p95_ms": float(np.percentile(times, 95)),
            "turn_mean_ms": statistics.fmean(times), "turns": len(times), "reply_kinds": kinds,
            "retriever": "hybrid" if dense else "bm25"}


def end_to_end_answers(dense: bool) -> dict[str, Any]:
    """Each gold question and each off-topic question in a fresh session: how often the reply is
    an answer citing the gold article first, and how often off-topic gets "I don't know"."""
    from finloom.apps.customer_service import build_demo_assistant, load_faq_questions

    bot = build_demo_assistant(dense=dense)
    gold_kinds: dict[str, int] = {}
    correct = answered = 0
    questions = load_faq_questions(GOLD)
    for q in questions:
        reply = bot.handle_message(bot.start_session(customer_id="bench").id, q["question"])
        gold_kinds[reply.kind] = gold_kinds.get(reply.kind, 0) + 1
        answered += reply.kind == "answer"
        correct += reply.kind == "answer" and bool(reply.citations) and reply.citations[0] == q["gold"]
    off_topic = [json.loads(line) for line in OOS_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    dont_know = sum(bot.handle_message(bot.start_session().id, q["question"]).kind == "dont_know"
                    for q in off_topic)
    return {"faq_answer_rate": answered / len(questions), "faq_answer_correct_rate": correct / len(questions),
            "gold_reply_kinds": gold_kinds, "oos_dont_know_rate": dont_know / len(off_topic),
            "n_gold": len(questions), "n_off_topic": len(off_topic),
            "note": "thresholds (min_confidence=0.3, min_coverage=0.1, min_similarity=0.3) were "
                    "chosen by looking at these sets"}


def _oos_summary(draws: list[dict[str, Any]]) -> dict[str, float]:
    return {"oos_auroc": statistics.fmean(d["auroc"] for d in draws),
            "oos_fpr_at_95tpr": statistics.fmean(d["fpr_at_95tpr"] for d in draws),
            "oos_auroc_maxprob": statistics.fmean(d["auroc_maxprob"] for d in draws),
            "oos_auroc_knn5": statistics.fmean(d["auroc_knn5"] for d in draws)}


def _oos_only(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Re-measure the OOS draws and merge them into the existing results file.

    With ``--encoder`` the draws use MiniLM and that encoder concatenated; they are stored under
    ``details.oos_ensemble`` and ``oos_auroc_ensemble``. With ``--tune-epochs N`` the classifier
    tunes MiniLM on each draw's known intents first; stored under ``details.oos_tuned`` and
    ``oos_auroc_tuned``. Either leaves the frozen-MiniLM headline as it is.
    """
    tag = "quick_" if args.quick else ""
    ens = f"@minilm+{Path(args.encoder).name}" if args.encoder else ""
    kind = "finetuned" if args.tune_objective == "classification" else "tuned"
    tuned = f"@{kind}{args.tune_epochs}" if args.tune_epochs else ""
    intent = (_step(f"{tag}intent{ens}", args.fresh, lambda: intent_accuracy(data))
              if ens else None)
    draws = [_step(f"{tag}oos_seed{s}{ens}{tuned}", args.fresh,
                   lambda s=s: oos_draw(data, s, args.tune_epochs, args.tune_objective))
             for s in ([0] if args.quick else [0, 1, 2])]
    name = "customer_service_quick" if args.quick else "customer_service"
    path = RESULTS / f"{name}.json"
    result = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"details": {}}
    result.pop("machine", None)  # write_results adds the current one
    summary = _oos_summary(draws)
    if tuned:
        how = ("fine-tuned with cross-entropy" if kind == "finetuned" else "tuned contrastively")
        result[f"oos_auroc_{kind}"] = summary["oos_auroc"]
        result.setdefault("details", {})[f"oos_{kind}"] = {
            "encoder": f"all-MiniLM-L6-v2 {how} for {args.tune_epochs} epoch(s) per draw",
            "auroc_knn1": statistics.fmean(d["auroc_knn1"] for d in draws),
            "auroc_mahalanobis": statistics.fmean(d["auroc_mahalanobis"] for d in draws),
            "intent_accuracy_known": statistics.fmean(d["intent_accuracy_known"] for d in draws),
            **summary, "oos_draws": draws}
    elif ens:
        result["oos_auroc_ensemble"] = summary["oos_auroc"]
        result.setdefault("details", {})["oos_ensemble"] = {
            "encoders": ["all-MiniLM-L6-v2 (bundled)", Path(args.encoder).name],
            "intent_accuracy": intent["intent_accuracy"] if intent else None,
            **summary, "oos_draws": draws}
    else:
        result["oos_auroc"], result["oos_fpr_at_95tpr"] = summary["oos_auroc"], summary["oos_fpr_at_95tpr"]
        result.setdefault("details", {}).update(
            oos_draws=draws, oos_auroc_maxprob=summary["oos_auroc_maxprob"],
            oos_auroc_knn5=summary["oos_auroc_knn5"], anchors=ANCHORS)
    write_results(name, result)
    label = (f" (MiniLM {kind}, {args.tune_epochs} epoch(s))" if tuned
             else f" (MiniLM + {Path(args.encoder).name})" if ens else "")
    print_table(f"customer service: out-of-scope{label}", ["metric", "measured", "anchor / target"], [
        *([["intent accuracy", intent["intent_accuracy"], "-"]] if intent else []),
        ["OOS AUROC (detector)", summary["oos_auroc"], ">= 0.95"],
        *[[f"  draw seed {d['seed']}", d["auroc"], "-"] for d in draws],
        ["OOS AUROC max-prob / 5-NN", f"{summary['oos_auroc_maxprob']:.3f} / "
         f"{summary['oos_auroc_knn5']:.3f}", "0.895 / 0.912"],
        ["OOS FPR@95TPR", summary["oos_fpr_at_95tpr"], "-"],
        ["OOS AUROC 1-NN distance alone", statistics.fmean(d.get("auroc_knn1", np.nan) for d in draws), "-"],
        ["OOS AUROC Mahalanobis", statistics.fmean(d.get("auroc_mahalanobis", np.nan) for d in draws), "-"],
    ])
    print(f"merged OOS figures into {path}")
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsample BANKING77, 1 OOS draw")
    parser.add_argument("--fresh", action="store_true", help="recompute finished steps")
    parser.add_argument("--oos-only", action="store_true",
                        help="run only the OOS draws and merge them into the existing results file")
    parser.add_argument("--encoder", default=None,
                        help="a second local HF encoder folder: run the OOS draws on MiniLM and it "
                             "concatenated (implies --oos-only)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--tune-objective", choices=("contrastive", "classification"),
                        default="contrastive", help="how --tune-epochs tunes MiniLM")
    parser.add_argument("--tune-epochs", type=int, default=0,
                        help="tune MiniLM on each draw's known intents for this many epochs before "
                             "fitting (contrastive: about 18 min per draw on 2 threads; implies --oos-only)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tag = "quick_" if args.quick else ""
    EXTRA_ENCODERS[:] = [args.encoder] if args.encoder else []
    data = _banking77(args.quick, args.encoder)
    if args.oos_only or args.encoder or args.tune_epochs:
        if args.encoder and args.tune_epochs:
            parser.error("--encoder and --tune-epochs are separate variants; pass one of them")
        return _oos_only(data, args)
    intent = _step(f"{tag}intent", args.fresh, lambda: intent_accuracy(data))
    draws = [_step(f"{tag}oos_seed{s}", args.fresh, lambda s=s: oos_draw(data, s))
             for s in ([0] if args.quick else [0, 1, 2])]
    faq = _step("faq_hybrid", args.fresh, lambda: faq_retrieval(True))
    faq_bm25 = _step("faq_bm25", args.fresh, lambda: faq_retrieval(False))
    n_sessions = 5 if args.quick else 40
    latency = _step(f"{tag}latency_hybrid", args.fresh, lambda: turn_latency(True, n_sessions))
    latency_bm25 = _step(f"{tag}latency_bm25", args.fresh, lambda: turn_latency(False, n_sessions))
    e2e = _step("end_to_end_hybrid", args.fresh, lambda: end_to_end_answers(True))
    result = {
        "intent_accuracy": intent["intent_accuracy"],
        "oos_auroc": statistics.fmean(d["auroc"] for d in draws),
        "oos_fpr_at_95tpr": statistics.fmean(d["fpr_at_95tpr"] for d in draws),
        "faq_hit_at_1": faq["hit_at_1"], "faq_hit_at_3": faq["hit_at_3"], "faq_mrr": faq["mrr"],
        "turn_p50_ms": latency["turn_p50_ms"], "turn_p95_ms": latency["turn_p95_ms"],
        # "load": {"sessions", "turns", "errors", "lost_messages"} -- added with the HTTP API.
        "details": {"quick": args.quick, "intent": intent, "oos_draws": draws,
                    "oos_auroc_maxprob": statistics.fmean(d["auroc_maxprob"] for d in draws),
                    "oos_auroc_knn5": statistics.fmean(d["auroc_knn5"] for d in draws),
                    "faq_hybrid": faq, "faq_bm25": faq_bm25, "latency_hybrid": latency,
                    "latency_bm25": latency_bm25, "end_to_end": e2e, "anchors": ANCHORS},
    }
    path = write_results("customer_service_quick" if args.quick else "customer_service", result)
    print_table("customer service", ["metric", "measured", "anchor / target"], [
        ["intent accuracy (BANKING77 test)", result["intent_accuracy"], "-"],
        ["OOS AUROC (combined)", result["oos_auroc"], ">= 0.95"],
        ["OOS AUROC max-prob / 5-NN", f"{result['details']['oos_auroc_maxprob']:.3f} / "
         f"{result['details']['oos_auroc_knn5']:.3f}", "0.895 / 0.912"],
        ["OOS FPR@95TPR", result["oos_fpr_at_95tpr"], "-"],
        ["FAQ hit@1 / hit@3 / MRR (hybrid)", f"{faq['hit_at_1']:.3f} / {faq['hit_at_3']:.3f} / "
         f"{faq['mrr']:.3f}", "hit@3 >= 0.90"],
        ["FAQ hit@3 (BM25 only)", faq_bm25["hit_at_3"], "-"],
        ["turn p50 / p95 ms (hybrid)", f"{latency['turn_p50_ms']:.1f} / {latency['turn_p95_ms']:.1f}",
         "p95 <= 100"],
        ["gold questions answered / with gold article first", f"{e2e['faq_answer_rate']:.3f} / "
         f"{e2e['faq_answer_correct_rate']:.3f}", "-"],
        ["off-topic questions -> I don't know", e2e["oos_dont_know_rate"], "-"],
        ["turn p50 / p95 ms (BM25)", f"{latency_bm25['turn_p50_ms']:.1f} / "
         f"{latency_bm25['turn_p95_ms']:.1f}", "p95 <= 100"],
    ])
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
