"""Service functions for jobs, API routes and the CLI: train / evaluate / predict / tag.

Each takes a params dict (checked against a dataclass), a ``progress(fraction, message)``
callback and an output directory, and returns a JSON-able dict.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from finloom._base import ProgressCallback, noop_progress
from finloom.errors import ConfigError, did_you_mean

__all__ = [
    "EvaluateParams",
    "PredictParams",
    "TrainParams",
    "TrainTaggerParams",
    "evaluate_classifier_job",
    "predict_file_job",
    "train_classifier_job",
    "train_tagger_job",
]

P = TypeVar("P")


@dataclass
class TrainParams:
    """Inputs of :func:`train_classifier_job`; ``classifier`` holds extra TextClassifier params."""

    data_path: str
    text_column: str = "text"
    label_column: str = "label"
    label_map: dict[str, str] | None = None
    multi_label_sep: str | None = None
    test_size: float = 0.2
    classifier: dict[str, Any] = field(default_factory=dict)
    name: str = "text-classifier"


@dataclass
class EvaluateParams:
    """Inputs of :func:`evaluate_classifier_job`."""

    model_dir: str
    data_path: str
    text_column: str = "text"
    label_column: str = "label"
    label_map: dict[str, str] | None = None


@dataclass
class ExportParams:
    """Inputs of :func:`export_classifier_job`."""

    model_dir: str
    int8: bool = True


@dataclass
class PredictParams:
    """Inputs of :func:`predict_file_job`."""

    model_dir: str
    data_path: str
    text_column: str = "text"
    output_name: str = "predictions.csv"
    chunk_size: int = 2000
    dask_address: str | None = None


@dataclass
class TrainTaggerParams:
    """Inputs of :func:`train_tagger_job` (CoNLL or JSONL files)."""

    data_path: str
    test_path: str | None = None
    tagger: dict[str, Any] = field(default_factory=dict)
    name: str = "token-tagger"


def parse_params(cls: type[P], params: dict[str, Any] | P) -> P:
    """Build ``cls`` from a dict, naming unknown or missing keys in a :class:`ConfigError`.

    Examples
    --------
    >>> parse_params(EvaluateParams, {"model_dir": "m", "data_pth": "d"})
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: params must only use known keys; got 'data_pth'. Did you mean 'data_path'?
    """
    if isinstance(params, cls):
        return params
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    for key in params:  # type: ignore[union-attr]
        if key not in names:
            raise ConfigError(f"params must only use known keys; got '{key}'.{did_you_mean(key, names)}")
    try:
        return cls(**params)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ConfigError(f"params must include every required key of {cls.__name__}; got {sorted(params)}. {exc}") from exc  # type: ignore[arg-type]


def _card(name: str, task: str, model: Any, sources: list[str], metrics: dict[str, Any],
          labels: list[Any]) -> Any:
    from finloom.nlp._card import default_card

    return default_card(model, task, labels, name=name, data_sources=sources, metrics=metrics)


def train_classifier_job(
    params: dict[str, Any] | TrainParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Read a labelled file, hold out a stratified test split, fit, evaluate, save model + card + report.

    Examples
    --------
    >>> train_classifier_job({"data_path": "intents.csv"}, out_dir="work")  # doctest: +SKIP
    {'model_dir': 'work/model', 'report_dir': 'work/report', 'metrics': {...}, ...}
    """
    from finloom.nlp._classifier import TextClassifier
    from finloom.nlp._metrics import classification_report
    from finloom.nlp._readers import read_texts

    p = parse_params(TrainParams, params)
    data = read_texts(p.data_path, text_column=p.text_column, label_column=p.label_column,
                      label_map=p.label_map, multi_label_sep=p.multi_label_sep)
    train, test = data.split(test_size=p.test_size, random_state=p.classifier.get("random_state"))
    progress(0.02, f"read {len(data)} rows: {len(train)} train, {len(test)} test")
    model = TextClassifier(**p.classifier)
    model.fit(train.texts, train.labels, progress=lambda f, m="": progress(0.05 + 0.85 * f, m))
    root = Path(out_dir)
    metrics: dict[str, Any] = {"n_train": len(train), "n_test": len(test)}
    if len(test) and not model.multi_label:
        report = classification_report(test.labels, model.predict(test.texts), texts=test.texts,
                                       proba=model.predict_proba(test.texts), classes=model.classes_)
        report.save(root / "report")
        metrics.update({k: getattr(report, k) for k in ("accuracy", "macro_f1", "weighted_f1", "ece")})
    model.save(root / "model", card=_card(p.name, "text classification", model, [p.data_path],
                                          metrics, list(model.classes_)))
    progress(1.0, "saved model, card and report")
    return {"model_dir": str(root / "model"), "report_dir": str(root / "report"),
            "metrics": metrics, "classes": [str(c) for c in model.classes_]}


def evaluate_classifier_job(
    params: dict[str, Any] | EvaluateParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Evaluate a saved classifier on a labelled file; writes report.json/html + misclassified.csv."""
    from finloom.nlp._metrics import classification_report
    from finloom.nlp._onnx import load_text_classifier
    from finloom.nlp._readers import read_texts

    p = parse_params(EvaluateParams, params)
    model = load_text_classifier(p.model_dir)
    data = read_texts(p.data_path, text_column=p.text_column, label_column=p.label_column,
                      label_map=p.label_map, deduplicate=False)
    progress(0.1, f"predicting {len(data)} texts")
    proba = model.predict_proba(data.texts)
    pred = [model.classes_[i] for i in proba.argmax(1)]
    known = set(map(str, model.classes_))
    classes = list(model.classes_) + sorted({str(y) for y in data.labels} - known)
    report = classification_report([str(y) for y in data.labels], [str(y) for y in pred],
                                   texts=data.texts, classes=[str(c) for c in classes],
                                   proba=proba if len(classes) == len(model.classes_) else None)
    report.save(Path(out_dir))
    progress(1.0, "report written")
    return {"report_dir": str(out_dir), **{k: v for k, v in report.to_dict().items()
                                           if k in ("accuracy", "macro_f1", "weighted_f1", "ece",
                                                    "top_confused", "n_misclassified")}}


def export_classifier_job(
    params: dict[str, Any] | ExportParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Export a saved classifier to an ONNX Runtime folder (int8 by default) at ``out_dir``."""
    from finloom.nlp._classifier import TextClassifier
    from finloom.nlp._onnx import export_onnx

    p = parse_params(ExportParams, params)
    model = TextClassifier.load(p.model_dir)
    progress(0.2, "tracing the encoder" + (" and quantising it to int8" if p.int8 else ""))
    root = export_onnx(model, out_dir, int8=p.int8)
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    progress(1.0, "exported")
    return {"model_dir": str(root), "int8": p.int8, "size_mb": round(size / 2**20, 1),
            "classes": [str(c) for c in model.classes_]}


def predict_file_job(
    params: dict[str, Any] | PredictParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Score a file in chunks (on Dask when ``dask_address`` is set); writes ``output_name``."""
    from finloom.nlp._serving import score_file

    p = parse_params(PredictParams, params)
    return score_file(p.model_dir, p.data_path, Path(out_dir) / p.output_name,
                      text_column=p.text_column, chunk_size=p.chunk_size,
                      dask_address=p.dask_address, progress=progress)


def train_tagger_job(
    params: dict[str, Any] | TrainTaggerParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Fit a :class:`TokenTagger` on CoNLL/JSONL data; scores ``test_path`` when given; saves it."""
    import json

    from finloom._io import atomic_write_text
    from finloom.nlp._readers import read_tokens
    from finloom.nlp._tagger import TokenTagger

    p = parse_params(TrainTaggerParams, params)
    data = read_tokens(p.data_path)
    tagger = TokenTagger(**p.tagger).fit(data.tokens, data.tags,
                                         progress=lambda f, m="": progress(0.9 * f, m))
    root = Path(out_dir)
    metrics: dict[str, Any] = {"n_train": len(data)}
    if p.test_path:
        test = read_tokens(p.test_path)
        scores = tagger.score(test.tokens, test.tags)
        metrics.update({"entity_f1": scores.micro["f1"], "per_type": scores.per_type})
        root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(root / "ner_report.json", json.dumps(scores.to_dict(), indent=2))
        atomic_write_text(root / "ner_report.html", scores.to_html())
    tagger.save(root / "model", card=_card(p.name, "named-entity recognition", tagger,
                                           [p.data_path], metrics, data.entity_types))
    progress(1.0, "saved tagger and card")
    return {"model_dir": str(root / "model"), "metrics": metrics, "entity_types": data.entity_types}
