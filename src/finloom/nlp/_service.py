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
    "EvaluateTaggerParams",
    "RobustnessOptions",
    "TextFormat",
    "TokenFormat",
    "PredictParams",
    "TrainParams",
    "TagParams",
    "TrainTaggerParams",
    "evaluate_classifier_job",
    "evaluate_tagger_job",
    "predict_file_job",
    "robustness_summary",
    "tag_file_job",
    "train_classifier_job",
    "train_tagger_job",
]

P = TypeVar("P")


@dataclass(kw_only=True)
class TextFormat:
    """How a delimited file is read: ``sep`` (sniffed when None; one character, e.g. ``"@"``),
    ``header`` (False: the first line is data and columns are named ``"1"``, ``"2"``, ...),
    ``encoding`` (detected when None)."""

    sep: str | None = None
    header: bool = True
    encoding: str | None = None


@dataclass(kw_only=True)
class TokenFormat(TextFormat):
    """How a tagged-token file is read: the :class:`TextFormat` of a table, its columns (found
    among common names when None; ``group_columns`` = several columns that together identify a
    sentence, e.g. ``["doc", "sent"]``) and ``tag_map`` (raw tag -> BIO/IO tag, e.g. ``{"1": "B-PER"}``)."""

    sentence_column: str | None = None
    group_columns: list[str] | None = None
    token_column: str | None = None
    tag_column: str | None = None
    tag_map: dict[str, str] | None = None


@dataclass
class TrainParams(TextFormat):
    """Inputs of :func:`train_classifier_job`; ``classifier`` holds extra TextClassifier params.

    ``test_size`` = 0 trains on every row (for a prepared split: score the test file with
    :func:`evaluate_classifier_job`). ``keep_examples`` stores a stratified sample of up to 5,000
    training texts with their vectors in ``model/examples`` (nearest training examples,
    :mod:`finloom.nlp.explain`)."""

    data_path: str
    text_column: str = "text"
    label_column: str = "label"
    label_map: dict[str, str] | None = None
    multi_label_sep: str | None = None
    test_size: float = 0.2
    classifier: dict[str, Any] = field(default_factory=dict)
    name: str = "text-classifier"
    robustness: bool = False
    keep_examples: bool = True  # store up to 5,000 training texts + vectors for nearest-example explanations


@dataclass(kw_only=True)
class RobustnessOptions:
    """The robustness report of an evaluation: ``robustness`` turns it on; ``kinds`` (None: every
    label-preserving kind), ``severities`` and ``seed`` as in
    :func:`~finloom.nlp.perturb.robustness_report`."""

    robustness: bool = False
    kinds: list[str] | None = None
    severities: list[float] = field(default_factory=lambda: [0.1, 0.3])
    seed: int = 0


@dataclass
class EvaluateParams(RobustnessOptions, TextFormat):
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
class PredictParams(TextFormat):
    """Inputs of :func:`predict_file_job`."""

    model_dir: str
    data_path: str
    text_column: str = "text"
    output_name: str = "predictions.csv"
    chunk_size: int = 2000
    dask_address: str | None = None


@dataclass
class TrainTaggerParams(TokenFormat):
    """Inputs of :func:`train_tagger_job` (CoNLL, JSONL or one-row-per-token tables).

    ``valid_path``: tagged sentences scored after each epoch for early stopping (instead of a
    share carved from the training data); ``test_path``: scored once for the report; without
    it ``test_size`` of the sentences is held out (0 = train on every sentence). All files are
    read with the same :class:`TokenFormat`."""

    data_path: str
    valid_path: str | None = None
    test_path: str | None = None
    test_size: float = 0.0
    tagger: dict[str, Any] = field(default_factory=dict)
    name: str = "token-tagger"


@dataclass
class EvaluateTaggerParams(RobustnessOptions, TokenFormat):
    """Inputs of :func:`evaluate_tagger_job`."""

    model_dir: str
    data_path: str


@dataclass
class TagParams(TextFormat):
    """Inputs of :func:`tag_file_job`."""

    model_dir: str
    data_path: str
    text_column: str = "text"
    output_name: str = "entities.jsonl"
    chunk_size: int = 256
    dask_address: str | None = None


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


def _text_format(p: TextFormat) -> dict[str, Any]:
    return {"sep": p.sep, "header": p.header, "encoding": p.encoding}


def _check_test_size(test_size: float) -> None:
    if not 0.0 <= test_size < 0.9:
        raise ConfigError(f"test_size must be a float in [0, 0.9); got {test_size}. Pass 0 to train on every row.")


def train_classifier_job(
    params: dict[str, Any] | TrainParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Read a labelled file, hold out a stratified test split, fit, evaluate, save model + card + report.

    The result names ``report_dir`` only when a report was written (``test_size`` > 0).

    Examples
    --------
    >>> train_classifier_job({"data_path": "intents.csv"}, out_dir="work")  # doctest: +SKIP
    {'model_dir': 'work/model', 'report_dir': 'work/report', 'metrics': {...}, ...}
    """
    from finloom.nlp._classifier import TextClassifier
    from finloom.nlp._readers import read_texts

    p = parse_params(TrainParams, params)
    _check_test_size(p.test_size)
    data = read_texts(p.data_path, text_column=p.text_column, label_column=p.label_column,
                      label_map=p.label_map, multi_label_sep=p.multi_label_sep, **_text_format(p))
    train, test = data.split(test_size=p.test_size, random_state=p.classifier.get("random_state"))
    progress(0.02, f"read {len(data)} rows: {len(train)} train, {len(test)} test")
    model = TextClassifier(**p.classifier)
    model.fit(train.texts, train.labels, progress=lambda f, m="": progress(0.05 + 0.85 * f, m))
    root = Path(out_dir)
    metrics: dict[str, Any] = {"n_train": len(train), "n_test": len(test)}
    result: dict[str, Any] = {"model_dir": str(root / "model")}
    report = None
    if len(test) and not model.multi_label:
        metrics.update(_report_test(model, test, root / "report"))
        result["report_dir"] = str(root / "report")
        if p.robustness:
            report, metrics["robustness"] = _train_robustness(model, p, train, test, progress)
    model.save(root / "model", card=_card(p.name, "text classification", model, [p.data_path],
                                          metrics, list(model.classes_)))
    if report is not None:  # next to the model (its page shows it) and in the report folder
        report.save(root / "model")
        report.save(root / "report")
    if p.keep_examples and not model.multi_label:  # for "nearest training examples" explanations
        from finloom.nlp.explain import EXAMPLES_DIR, TrainingExamples

        progress(0.95, "embedding training examples for explanations")
        TrainingExamples.build(model, train.texts, train.labels).save(root / "model" / EXAMPLES_DIR)
    progress(1.0, "saved model, card and report" if "report_dir" in result else "saved model and card")
    return {**result, "metrics": metrics, "classes": [str(c) for c in model.classes_]}


ROBUST_OPTIONS = ("augment", "augment_kinds", "augment_severity", "adversarial", "adv_epsilon", "adv_steps",
                  "normalize_text", "correct_spelling")


def robustness_summary(report: Any) -> dict[str, Any]:
    """The headline of a robustness report for metrics and API results: clean score, score per
    kind at the highest severity, the worst kind and its drop.

    Examples
    --------
    >>> from finloom.nlp.perturb import RobustnessReport
    >>> robustness_summary(RobustnessReport("accuracy", 0.9, 4, [{"kind": "case", "severity": 0.1,
    ...     "score": 0.85, "drop": 0.05, "n_changed": 4, "n_flipped": 1, "examples": []}]))  # doctest: +ELLIPSIS
    {'clean': 0.9, 'perturbed': {'case': 0.85}, 'worst_kind': 'case', 'worst_drop': 0.05...}
    """
    kind, score = report.worst()
    return {"clean": report.clean, "perturbed": report.by_kind(), "worst_kind": kind,
            "worst_drop": None if score is None else report.clean - score}


def _train_robustness(model: Any, p: TrainParams, train: Any, test: Any, progress: ProgressCallback
                      ) -> tuple[Any, dict[str, Any]]:
    """Robustness of the trained model on the test split; when it was trained with augmentation,
    adversarial examples or normalisation, also of the same model trained without them (before)."""
    from finloom.nlp._classifier import TextClassifier
    from finloom.nlp.perturb import robustness_report

    progress(0.9, "robustness report")
    labels = [str(y) for y in test.labels]
    report = robustness_report(model, test.texts, labels, severities=[0.1], seed=0)
    out = {"after": robustness_summary(report)}
    if any(p.classifier.get(k) for k in ROBUST_OPTIONS):
        progress(0.93, "training the plain model for comparison")
        plain = {k: v for k, v in p.classifier.items() if k not in ROBUST_OPTIONS}
        before = TextClassifier(**plain).fit(train.texts, train.labels)
        out["before"] = robustness_summary(robustness_report(before, test.texts, labels, severities=[0.1], seed=0))
    return report, out


def _report_test(model: Any, test: Any, report_dir: Path) -> dict[str, Any]:
    """Score the held-out split, save its report, return the headline metrics."""
    from finloom.nlp._metrics import classification_report

    report = classification_report(test.labels, model.predict(test.texts), texts=test.texts,
                                   proba=model.predict_proba(test.texts), classes=model.classes_)
    report.save(report_dir)
    return {k: getattr(report, k) for k in ("accuracy", "macro_f1", "weighted_f1", "ece")}


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
                      label_map=p.label_map, deduplicate=False, **_text_format(p))
    progress(0.1, f"predicting {len(data)} texts")
    proba = model.predict_proba(data.texts)
    pred = [model.classes_[i] for i in proba.argmax(1)]
    known = set(map(str, model.classes_))
    classes = list(model.classes_) + sorted({str(y) for y in data.labels} - known)
    report = classification_report([str(y) for y in data.labels], [str(y) for y in pred],
                                   texts=data.texts, classes=[str(c) for c in classes],
                                   proba=proba if len(classes) == len(model.classes_) else None)
    report.save(Path(out_dir))
    result = {"report_dir": str(out_dir), **{k: v for k, v in report.to_dict().items()
                                             if k in ("accuracy", "macro_f1", "weighted_f1", "ece",
                                                      "top_confused", "n_misclassified")}}
    if p.robustness:
        result["robustness"] = _evaluate_robustness(model, data.texts, [str(y) for y in data.labels], p, out_dir,
                                                    progress)
    progress(1.0, "report written")
    return result


def _evaluate_robustness(model: Any, texts: Any, labels: Any, p: RobustnessOptions,
                         out_dir: str | os.PathLike[str], progress: ProgressCallback) -> dict[str, Any]:
    """Write robustness.json/html into ``out_dir``; return the summary plus the table rows."""
    from finloom.nlp.perturb import robustness_report

    report = robustness_report(model, texts, labels, p.kinds, p.severities, p.seed,
                               progress=lambda f, m="": progress(0.5 + 0.49 * f, m))
    report.save(Path(out_dir))
    return {**robustness_summary(report), "metric": report.metric, "cells": [
        {k: c[k] for k in ("kind", "severity", "score", "drop", "n_changed", "n_flipped")} for c in report.cells],
        "skipped": report.skipped}


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
                      dask_address=p.dask_address, progress=progress, **_text_format(p))


def train_tagger_job(
    params: dict[str, Any] | TrainTaggerParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Fit a :class:`TokenTagger` on tagged tokens (CoNLL, JSONL or a one-row-per-token table);
    stops early on ``valid_path`` when given; scores ``test_path``, or a ``test_size`` share of
    the sentences held out, when given; saves it. Every file is read before training starts.

    Examples
    --------
    >>> train_tagger_job({"data_path": "ner.conll", "test_size": 0.2}, out_dir="ner")  # doctest: +SKIP
    {'model_dir': 'ner/model', 'metrics': {'n_train': 932, 'n_test': 233, 'entity_f1': 0.9, ...}, ...}
    """
    from finloom.nlp._tagger import TokenTagger

    p = parse_params(TrainTaggerParams, params)
    _check_test_size(p.test_size)
    data = read_tagged(p.data_path, p)
    valid = read_tagged(p.valid_path, p) if p.valid_path else None
    test = read_tagged(p.test_path, p) if p.test_path else None
    train = data
    if test is None and p.test_size > 0:
        train, test = _split_sentences(data, p.test_size, p.tagger.get("random_state"))
    progress(0.02, f"read {len(data)} sentences" + (f", {len(valid)} for validation" if valid else ""))
    tagger = TokenTagger(**p.tagger).fit(train.tokens, train.tags,
                                         validation=(valid.tokens, valid.tags) if valid else None,
                                         progress=lambda f, m="": progress(0.02 + 0.88 * f, m))
    root = Path(out_dir)
    metrics: dict[str, Any] = {"n_train": len(train), **({"n_valid": len(valid)} if valid else {})}
    if test is not None:
        metrics["n_test"] = len(test)
        scores = tagger.score(test.tokens, test.tags)
        metrics.update({"entity_f1": scores.micro["f1"], "per_type": scores.per_type})
        _write_ner_report(scores, root)
    tagger.save(root / "model", card=_card(p.name, "named-entity recognition", tagger,
                                           [p.data_path], metrics, data.entity_types))
    progress(1.0, "saved tagger and card")
    result = {"model_dir": str(root / "model"), "metrics": metrics, "entity_types": data.entity_types}
    return result | ({"report_dir": str(root)} if test is not None else {})


def read_tagged(path: str, fmt: TokenFormat) -> Any:
    """Read a tagged-token file with the columns, tag map and text format of ``fmt``.

    Examples
    --------
    >>> read_tagged("ner.csv", TokenFormat(group_columns=["doc", "sent"], tag_map={"1": "B-PER"}))  # doctest: +SKIP
    TokenDataset(tokens=[...], tags=[...], ...)
    """
    from finloom.nlp._readers import read_tokens

    if fmt.group_columns and fmt.sentence_column:
        raise ConfigError(f"sentence_column and group_columns must not both be given; got "
                          f"'{fmt.sentence_column}' and {fmt.group_columns}. Keep one.")
    return read_tokens(path, encoding=fmt.encoding, tag_map=fmt.tag_map, sep=fmt.sep, header=fmt.header,
                       sentence_column=fmt.group_columns or fmt.sentence_column, token_column=fmt.token_column,
                       tag_column=fmt.tag_column)


def _write_ner_report(scores: Any, root: Path) -> None:
    """``ner_report.json`` (scores, error counts, confusion, examples) and ``ner_report.html``."""
    import json

    from finloom._io import atomic_write_text

    root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(root / "ner_report.json", json.dumps(scores.to_dict(), indent=2, ensure_ascii=False))
    atomic_write_text(root / "ner_report.html", scores.to_html())


def evaluate_tagger_job(
    params: dict[str, Any] | EvaluateTaggerParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Score a saved :class:`TokenTagger` on tagged tokens (CoNLL, JSONL or a token table);
    writes ner_report.json/html with the errors by kind and the entity confusion chart.

    Examples
    --------
    >>> evaluate_tagger_job({"model_dir": "ner/model", "data_path": "test.conll"}, out_dir="ev")  # doctest: +SKIP
    {'report_dir': 'ev', 'entity_f1': 0.78, 'per_type': {...}, 'error_counts': {...}}
    """
    from finloom.nlp._tagger import TokenTagger

    p = parse_params(EvaluateTaggerParams, params)
    tagger = TokenTagger.load(p.model_dir)
    data = read_tagged(p.data_path, p)
    progress(0.1, f"tagging {len(data)} sentences")
    scores = tagger.score(data.tokens, data.tags)
    _write_ner_report(scores, Path(out_dir))
    result = {"report_dir": str(out_dir), "entity_f1": scores.micro["f1"], "precision": scores.micro["precision"],
              "recall": scores.micro["recall"], "per_type": scores.per_type, "error_counts": scores.error_counts}
    if p.robustness:
        result["robustness"] = _evaluate_robustness(tagger, data.tokens, data.tags, p, out_dir, progress)
    progress(1.0, "report written")
    return result


def _split_sentences(data: Any, test_size: float, seed: Any) -> tuple[Any, Any]:
    """Hold out a random ``test_size`` share of the sentences (at least one kept on each side)."""
    import numpy as np

    from finloom.errors import InvalidDataError
    from finloom.nlp._readers import TokenDataset

    if len(data) < 2:
        raise InvalidDataError(f"test_size needs at least 2 sentences to hold some out; got {len(data)}.")
    order = np.random.default_rng(seed if isinstance(seed, int) else 0).permutation(len(data))
    n_test = min(max(1, int(round(test_size * len(data)))), len(data) - 1)

    def pick(idx: Any) -> TokenDataset:
        return TokenDataset([data.tokens[i] for i in idx], [data.tags[i] for i in idx], data.source,
                            data.entity_types)

    return pick(sorted(order[n_test:])), pick(sorted(order[:n_test]))


def tag_file_job(
    params: dict[str, Any] | TagParams, progress: ProgressCallback = noop_progress,
    out_dir: str | os.PathLike[str] = ".",
) -> dict[str, Any]:
    """Find entities in every text of a CSV/TSV/JSONL file with a saved :class:`TokenTagger`
    (:func:`~finloom.nlp.tag_file`; on Dask when ``dask_address`` is set).

    Writes ``entities.jsonl``: one line per input row, ``{"row", "text", "entities": [{"label",
    "start", "end", "text", "source"}]}`` (character offsets; ``source`` is ``model`` or ``rule``).

    Examples
    --------
    >>> tag_file_job({"model_dir": "ner-model", "data_path": "notes.csv"}, out_dir="tagged")  # doctest: +SKIP
    {'rows': 120, 'chunks': 1, 'entities': 341, 'by_label': {...}, 'output': 'tagged/entities.jsonl'}
    """
    from finloom.nlp._serving import tag_file

    p = parse_params(TagParams, params)
    return tag_file(p.model_dir, p.data_path, Path(out_dir) / p.output_name, text_column=p.text_column,
                    chunk_size=p.chunk_size, dask_address=p.dask_address, progress=progress, **_text_format(p))
