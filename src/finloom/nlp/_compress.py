"""Compression: dynamic int8 quantisation, distillation into a shallower student, speed table."""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, check_random_state, noop_progress
from finloom._optional import require
from finloom.errors import InvalidDataError
from finloom.nlp._classifier import TextClassifier
from finloom.nlp._finetune import FineTuneConfig, build_head_model, train
from finloom.nlp._multilingual import require_torch_encoder

__all__ = ["distill", "quantize_dynamic_int8", "speed_table"]


def quantize_dynamic_int8(model: TextClassifier) -> TextClassifier:
    """Return a copy of a fitted classifier whose encoder Linear layers run in int8.

    Weights are quantised ahead of time, activations on the fly
    (``torch.ao.quantization.quantize_dynamic``). The copy predicts; save the fp32 original.

    Examples
    --------
    >>> q = quantize_dynamic_int8(clf)  # doctest: +SKIP
    >>> q.predict(["where is my card"])  # doctest: +SKIP
    ['card_arrival']
    """
    model._check_is_fitted("quantize_dynamic_int8")
    require_torch_encoder(model.encoder_, "int8 quantisation")
    torch = require("torch", feature="int8 quantisation")
    out = copy.copy(model)
    out.encoder_ = copy.copy(model.encoder_)
    fp32 = copy.deepcopy(model.encoder_.model).eval()
    with warnings.catch_warnings():  # torch announces the quantized-tensor API's future removal
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
        out.encoder_.model = torch.ao.quantization.quantize_dynamic(
            fp32, {torch.nn.Linear}, dtype=torch.qint8
        )
    out.quantized_ = True  # type: ignore[attr-defined]
    return out


def _student_encoder(teacher_model: Any, n_layers: int) -> Any:
    """Copy the teacher's encoder keeping every k-th transformer layer (n_layers in total)."""
    student = copy.deepcopy(teacher_model)
    layers = student.encoder.layer
    keep = np.linspace(0, len(layers) - 1, n_layers).round().astype(int).tolist()
    student.encoder.layer = type(layers)([layers[i] for i in keep])
    student.config.num_hidden_layers = n_layers
    return student


def distill(
    teacher: TextClassifier,
    texts: Sequence[str],
    *,
    n_layers: int = 3,
    epochs: int = 2,
    batch_size: int = 32,
    learning_rate: float = 1e-4,
    temperature: float = 2.0,
    random_state: int | None = None,
    progress: ProgressCallback = noop_progress,
) -> TextClassifier:
    """Distil a fitted classifier into a student keeping ``n_layers`` of its encoder layers.

    The student learns the teacher's softened probabilities on ``texts`` (labels not needed)
    and starts from the teacher's head. It is a regular :class:`TextClassifier` (fine-tune mode).

    Examples
    --------
    >>> student = distill(clf, unlabelled_texts, n_layers=3)  # doctest: +SKIP
    """
    teacher._check_is_fitted("distill")
    require_torch_encoder(teacher.encoder_, "distillation")
    torch = require("torch", feature="distillation")
    texts = [str(t) for t in texts]
    n_teacher = int(teacher.encoder_.model.config.num_hidden_layers)
    if not texts or not 1 <= n_layers <= n_teacher:
        raise InvalidDataError(
            f"distill needs texts and n_layers in [1, {n_teacher}]; got {len(texts)} texts and "
            f"n_layers={n_layers}. Pass unlabelled texts and a smaller layer count."
        )
    soft = teacher._logits(texts) / temperature
    rng = check_random_state(random_state)
    student = copy.copy(teacher)
    student.mode = "finetune"
    student.encoder_ = copy.copy(teacher.encoder_)
    student.encoder_.model = _student_encoder(teacher.encoder_.model, n_layers)
    student.char_channel_ = None  # the student is encoder-only; it learns the teacher's outputs, channel included
    width = int(teacher.encoder_.model.config.hidden_size)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(rng.integers(2**31)))
        net = build_head_model(student.encoder_.model, len(teacher.classes_), 0.1)
        with torch.no_grad():
            net.head.weight.copy_(torch.as_tensor(teacher.coef_[:, :width]))
            net.head.bias.copy_(torch.as_tensor(teacher.intercept_))
        tok = student.encoder_.tokenizer
        enc = tok(texts, truncation=True, max_length=teacher.max_length)
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]

        def collate(idx: np.ndarray) -> dict[str, Any]:
            return dict(tok.pad([{k: enc[k][i] for k in keys} for i in idx], return_tensors="pt"))

        def loss_fn(logits: Any, target: Any) -> Any:
            log_p = torch.log_softmax(logits / temperature, dim=-1)
            return torch.nn.functional.kl_div(log_p, target, reduction="batchmean") * temperature**2

        targets = torch.softmax(torch.as_tensor(soft, dtype=torch.float32), dim=-1)
        cfg = FineTuneConfig(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                             head_learning_rate=learning_rate)
        lengths = np.asarray([len(x) for x in enc["input_ids"]])
        student.history_ = train(net, collate, lengths, targets, loss_fn, cfg, validate=None,
                                 rng=rng, progress=progress)
    student._copy_head(net)
    return student


def speed_table(
    models: Mapping[str, TextClassifier],
    texts: Sequence[str],
    labels: Sequence[Any] | None = None,
    *,
    batch_size: int = 64,
    n_single: int = 50,
) -> list[dict[str, Any]]:
    """Measure sentences/s at ``batch_size``, batch-1 latency p50/p95 and accuracy per model.

    Examples
    --------
    >>> rows = speed_table({"fp32": clf, "int8": quantize_dynamic_int8(clf)}, texts, labels)  # doctest: +SKIP
    """
    rows = []
    for name, model in models.items():
        model.encoder_.batch_size = batch_size
        model.predict(list(texts[:batch_size]))  # warm-up
        start = time.perf_counter()
        pred = model.predict(list(texts))
        rate = len(texts) / (time.perf_counter() - start)
        lat = []
        for text in list(texts)[:n_single]:
            t0 = time.perf_counter()
            model.predict([text])
            lat.append((time.perf_counter() - t0) * 1000)
        acc = None
        if labels is not None:
            acc = float(np.mean([p == y for p, y in zip(pred, labels, strict=True)]))
        rows.append({"model": name, "sent_per_s": rate, "batch1_p50_ms": float(np.percentile(lat, 50)),
                     "batch1_p95_ms": float(np.percentile(lat, 95)), "accuracy": acc})
    return rows
