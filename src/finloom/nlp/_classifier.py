"""``TextClassifier``: frozen embeddings + logistic regression, or full encoder fine-tuning."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import BaseEstimator, ProgressCallback, check_random_state, noop_progress
from finloom._base import validate_param as _vp
from finloom._io import atomic_dir
from finloom._optional import require
from finloom._serialization import load_state, save_state
from finloom.nlp._card import default_card
from finloom.nlp._contrastive import ContrastiveConfig, tune_encoder
from finloom.nlp._finetune import (
    FineTuneConfig,
    TrainHistory,
    build_head_model,
    pad_collator,
    train,
)
from finloom.nlp._hashing import CharChannel, resolve_char_channel
from finloom.nlp._multilingual import MULTILINGUAL, choose_encoder, open_encoder
from finloom.nlp._readers import check_labels, stratified_split
from finloom.nlp.perturb._spelling import SpellingCorrector, vocabulary_words

__all__ = ["TextClassifier"]

ENCODER_DIR = "encoder"


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def window_probabilities(
    vectors: np.ndarray, mapping: np.ndarray, n: int, coef: np.ndarray, intercept: np.ndarray,
    *, multi_label: bool, aggregation: str,
) -> np.ndarray:
    """Head on window vectors (W, C) -> per-text probabilities (n, K), windows mean/max-pooled."""
    logits = vectors @ coef.T + intercept  # (W, K)
    probs = _sigmoid(logits) if multi_label else _softmax(logits)
    out = np.zeros((n, probs.shape[1]), dtype=np.float64)
    if aggregation == "max":
        np.maximum.at(out, mapping, probs)
    else:
        np.add.at(out, mapping, probs)
        out /= np.maximum(np.bincount(mapping, minlength=n), 1)[:, None]
    if not multi_label:
        out /= out.sum(1, keepdims=True)
    return out


class TextClassifier(BaseEstimator):
    """Classify texts with a local encoder: frozen embeddings + logistic regression, or fine-tuning.

    Parameters
    ----------
    mode : ``"frozen"`` (seconds to train), ``"finetune"`` (all weights, best with thousands of
        examples) or ``"contrastive"`` (SetFit-style: the encoder is tuned on same-label pairs,
        then frozen mode's logistic regression; best with a few examples per class).
    encoder : local Hugging Face model folder, or ``"use-multilingual"`` (the packaged multilingual
        encoder, ``finloom[zh]``, frozen mode only); ``None`` = automatic: in frozen mode, texts
        of which at least a fifth hold CJK characters use the multilingual encoder when it is
        installed (:func:`~finloom.nlp._multilingual.choose_encoder`), everything else the
        bundled MiniLM.
    multi_label : each text may carry several labels (lists); sigmoid outputs + ``threshold``.
    max_length, stride : window size and overlap in tokens; long texts are split into windows.
    aggregation : how window probabilities combine per text, ``"mean"`` or ``"max"``.
    C : inverse L2 strength of the logistic regression (frozen mode).
    epochs, batch_size, learning_rate, head_learning_rate, weight_decay, warmup_ratio,
    grad_accum_steps, patience : fine-tuning loop settings (see :class:`FineTuneConfig`).
        In contrastive mode ``epochs``, ``batch_size`` (pairs per step), ``learning_rate``
        (2e-5 to 5e-5 suits it), ``weight_decay`` and ``warmup_ratio`` drive the pair loop.
    pairs_per_text : same-label partners drawn per text and epoch (contrastive mode).
    char_ngrams : ``"auto"`` (default) puts hashed character 1-3-grams
        (:class:`~finloom.nlp._hashing.CharChannel`) beside the encoder's vectors when at least
        a fifth of the training texts hold Chinese, Japanese or Korean characters, which the
        bundled English MiniLM barely reads (demo Chinese intents, held-out: 0.525 -> 0.875;
        ``docs/benchmarks.md``); ``True``/``False`` force it on/off. English-only data is
        unchanged. The channel is recorded in ``config.json`` and the card (``char_channel``).
        In fine-tune mode the encoder is tuned first, then the head is refitted (logistic
        regression) on the tuned vectors plus the channel.
    class_weight : ``None``, ``"balanced"`` or a ``{label: weight}`` dict.
    validation_fraction : stratified hold-out for early stopping (fine-tune mode; 0 = none).
    threshold : decision threshold for multi-label prediction.
    linear_probe_init : fine-tune mode starts the head from the frozen-mode logistic regression
        (linear probe, then fine-tune), which converges in fewer epochs.
    augment : perturbed copies of each training text (0 = off): each copy applies one kind drawn
        from ``augment_kinds`` (default: typos, case, emoji, punctuation, synonyms, number and
        entity swaps; :mod:`finloom.nlp.perturb`) at ``augment_severity``. In fine-tune mode only
        the training split is augmented, never the validation split.
    adversarial : ``None``, ``"fgm"`` or ``"pgd"``: embedding-space adversarial training. Frozen
        and contrastive modes refine the head on sentence embeddings moved by up to
        ``adv_epsilon`` (L2, default 0.1) against the head; fine-tune mode perturbs the encoder's
        word-embedding output by up to ``adv_epsilon`` per text (default 1.0) in every step.
        ``adv_steps``: PGD steps.
    normalize_text : NFKC (full-width -> half-width), traditional -> simplified characters, emoji
        removed and collapsed whitespace before encoding, in training and prediction
        (:func:`~finloom.nlp.perturb.normalize_text`).
    correct_spelling : correct words that neither the training texts nor the encoder's vocabulary
        (whole words of 4+ letters) know to a training word at edit distance 1 (numbers, amounts,
        names and acronyms are kept), in prediction and on augmented copies
        (:class:`~finloom.nlp.perturb.SpellingCorrector`); the training vocabulary is saved with
        the model. BANKING77 typos: -6.4 to -7.7 -> -0.9 to -1.9 points (``docs/robustness.md``).
    random_state : seed for splits, batch order and head initialisation.

    Examples
    --------
    >>> clf = TextClassifier(mode="frozen").fit(
    ...     ["card lost", "card stolen", "rate today", "exchange rate"],
    ...     ["card", "card", "fx", "fx"])  # doctest: +SKIP
    >>> clf.predict(["my card is gone"])  # doctest: +SKIP
    ['card']
    """

    def __init__(
        self,
        *,
        mode: str = "frozen",
        encoder: str | os.PathLike[str] | None = None,
        multi_label: bool = False,
        max_length: int = 128,
        stride: int = 32,
        aggregation: str = "mean",
        C: float = 10.0,
        epochs: int = 4,
        batch_size: int = 32,
        learning_rate: float = 1e-4,
        head_learning_rate: float = 2e-3,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.1,
        grad_accum_steps: int = 1,
        patience: int = 2,
        class_weight: str | dict[Any, float] | None = None,
        validation_fraction: float = 0.1,
        threshold: float = 0.5,
        linear_probe_init: bool = True,
        pairs_per_text: int = 4,
        char_ngrams: str | bool = "auto",
        augment: int = 0,
        augment_kinds: list[str] | None = None,
        augment_severity: float = 0.1,
        adversarial: str | None = None,
        adv_epsilon: float | None = None,
        adv_steps: int = 3,
        normalize_text: bool = False,
        correct_spelling: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.mode = mode
        self.encoder = encoder
        self.multi_label = multi_label
        self.max_length = max_length
        self.stride = stride
        self.aggregation = aggregation
        self.C = C
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.head_learning_rate = head_learning_rate
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.grad_accum_steps = grad_accum_steps
        self.patience = patience
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.threshold = threshold
        self.linear_probe_init = linear_probe_init
        self.pairs_per_text = pairs_per_text
        self.char_ngrams = char_ngrams
        self.augment = augment
        self.augment_kinds = augment_kinds
        self.augment_severity = augment_severity
        self.adversarial = adversarial
        self.adv_epsilon = adv_epsilon
        self.adv_steps = adv_steps
        self.normalize_text = normalize_text
        self.correct_spelling = correct_spelling
        self.random_state = random_state

    # ----------------------------------------------------------------- validation
    def _validate_params(self) -> None:
        name = type(self).__name__
        pos_int = lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1  # noqa: E731
        _vp(name, "mode", self.mode, lambda v: v in {"frozen", "finetune", "contrastive"},
            "'frozen', 'finetune' or 'contrastive'")
        _vp(name, "aggregation", self.aggregation, lambda v: v in {"mean", "max"}, "'mean' or 'max'")
        for key in ("max_length", "epochs", "batch_size", "grad_accum_steps", "patience",
                    "pairs_per_text"):
            _vp(name, key, getattr(self, key), pos_int, "an int in [1, inf)")
        _vp(name, "stride", self.stride, lambda v: 0 <= v < self.max_length, "an int in [0, max_length)")
        for key in ("C", "learning_rate", "head_learning_rate"):
            _vp(name, key, getattr(self, key), lambda v: float(v) > 0, "a float in (0, inf)")
        _vp(name, "validation_fraction", self.validation_fraction, lambda v: 0 <= v < 0.5, "a float in [0, 0.5)")
        _vp(name, "threshold", self.threshold, lambda v: 0 < v < 1, "a float in (0, 1)")
        _vp(name, "mode", self.mode, lambda v: not (v == "contrastive" and self.multi_label),
            "'frozen' or 'finetune' when multi_label=True (pairs need one label per text)")
        _vp(name, "char_ngrams", self.char_ngrams, lambda v: v in ("auto", True, False), "'auto', True or False")
        _vp(name, "class_weight", self.class_weight,
            lambda v: v is None or v == "balanced" or isinstance(v, dict), "None, 'balanced' or a dict")
        self._validate_robust_params(name)

    def _validate_robust_params(self, name: str) -> None:
        from finloom.nlp.perturb import KINDS

        _vp(name, "augment", self.augment, lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10,
            "an int in [0, 10]")
        _vp(name, "augment_severity", self.augment_severity, lambda v: 0 < float(v) <= 1, "a float in (0, 1]")
        _vp(name, "augment_kinds", self.augment_kinds,
            lambda v: v is None or (len(v) > 0 and all(k in KINDS and k != "directional" for k in v)),
            "None or a list of label-preserving perturbation kinds")
        _vp(name, "adversarial", self.adversarial, lambda v: v in (None, "fgm", "pgd"), "None, 'fgm' or 'pgd'")
        _vp(name, "adversarial", self.adversarial, lambda v: v is None or not self.multi_label,
            "None when multi_label=True")
        _vp(name, "adv_epsilon", self.adv_epsilon, lambda v: v is None or float(v) > 0, "None or a float in (0, inf)")
        _vp(name, "correct_spelling", self.correct_spelling, lambda v: isinstance(v, bool), "True or False")
        _vp(name, "adv_steps", self.adv_steps, lambda v: isinstance(v, int) and 1 <= v <= 20, "an int in [1, 20]")

    def _targets(self, labels: Sequence[Any]) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.classes_)}
        if self.multi_label:
            y = np.zeros((len(labels), len(self.classes_)), dtype=np.float32)
            for r, labs in enumerate(labels):
                y[r, [index[lab] for lab in labs]] = 1.0
            return y
        return np.asarray([index[lab] for lab in labels], dtype=np.int64)

    def _class_weights(self, y: np.ndarray) -> np.ndarray | None:
        k = len(self.classes_)
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, dict):
            return np.asarray([float(self.class_weight.get(c, 1.0)) for c in self.classes_], np.float32)
        counts = y.sum(0) if self.multi_label else np.bincount(y, minlength=k)
        return (len(y) / (k * np.maximum(counts, 1))).astype(np.float32)

    # ----------------------------------------------------------------- fit
    def fit(
        self, texts: Sequence[str], labels: Sequence[Any], *, progress: ProgressCallback | None = None
    ) -> TextClassifier:
        """Learn from ``texts`` and their ``labels`` (lists of labels when ``multi_label``).

        Raises
        ------
        ConfigError
            A parameter has a wrong value.
        InvalidDataError
            Lengths differ, a text is empty, or fewer than two classes are present.
        """
        from finloom.errors import InvalidDataError

        self._validate_params()
        texts, labels = list(texts), list(labels)
        if len(texts) != len(labels):
            raise InvalidDataError(
                f"texts and labels must have the same length; got {len(texts)} and {len(labels)}."
            )
        empty = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
        if empty:
            raise InvalidDataError(
                f"texts must be non-empty strings; got {len(empty)} empty at positions {empty[:10]}. "
                "Remove or fill them."
            )
        self.spelling_: SpellingCorrector | None = None
        if self.normalize_text:
            texts = self._normalized(texts)
        if self.multi_label:
            labels = [list(lab) if isinstance(lab, list | tuple) else [lab] for lab in labels]
        check_labels(labels)
        flat = [x for lab in labels for x in lab] if self.multi_label else labels
        self.classes_ = sorted(set(flat), key=lambda v: (str(type(v)), v))
        spec = choose_encoder(self.encoder, texts) if self.mode == "frozen" else self.encoder
        if spec == MULTILINGUAL and self.mode != "frozen":
            from finloom.errors import ConfigError

            raise ConfigError(f"encoder '{MULTILINGUAL}' has no torch weights; got mode={self.mode!r}. "
                              "Use mode='frozen', or a Hugging Face encoder folder to tune.")
        self.encoder_: Any = open_encoder(spec, max_length=self.max_length, stride=self.stride)
        if self.correct_spelling:  # the vocabulary of the training texts (before augmentation)
            self.spelling_ = SpellingCorrector().fit(texts, known=vocabulary_words(self.encoder_))
        self.char_channel_: CharChannel | None = resolve_char_channel(self.char_ngrams, texts)
        rng = check_random_state(self.random_state)
        report = progress or noop_progress
        y = self._targets(labels)
        if self.mode != "finetune":  # fine-tune mode augments its training split only
            texts, y = self._augmented(texts, y)
        if self.mode == "frozen":
            self._fit_frozen(texts, y, report)
        elif self.mode == "contrastive":
            self._fit_contrastive(texts, y, rng, report)
        else:
            self._fit_finetune(texts, labels, y, rng, report)
        report(1.0, "done")
        return self

    def _fit_frozen(self, texts: list[str], y: np.ndarray, progress: ProgressCallback) -> None:
        from sklearn.linear_model import LogisticRegression

        progress(0.0, f"embedding {len(texts)} texts")
        X = self.encoder_.encode(texts)
        if self.char_channel_ is not None:
            X = self.char_channel_.append(X, np.arange(len(texts)), texts)
        progress(0.8, "fitting logistic regression")
        weights = self._class_weights(y)
        sw = None
        if weights is not None:
            sw = (y * weights).max(1) if self.multi_label else weights[y]
        if self.multi_label:
            coefs, intercepts = [], []
            for k in range(len(self.classes_)):
                lr = LogisticRegression(C=self.C, max_iter=2000).fit(X, y[:, k], sample_weight=sw)
                coefs.append(lr.coef_[0])
                intercepts.append(lr.intercept_[0])
            self.coef_, self.intercept_ = np.asarray(coefs), np.asarray(intercepts)
        else:
            lr = LogisticRegression(C=self.C, max_iter=2000).fit(X, y, sample_weight=sw)
            coef, intercept = lr.coef_, lr.intercept_
            if len(self.classes_) == 2:  # sklearn keeps one row for binary problems
                coef = np.vstack([-coef[0] / 2, coef[0] / 2])
                intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
            self.coef_, self.intercept_ = np.asarray(coef), np.asarray(intercept)
            if self.adversarial and self.mode != "finetune":
                progress(0.9, f"adversarial ({self.adversarial}) refinement of the head")
                self.coef_, self.intercept_ = self._adversarial_head(X, y, sw)
        self.coef_ = self.coef_.astype(np.float32)
        self.intercept_ = self.intercept_.astype(np.float32)
        self.history_ = TrainHistory()

    def _seed(self) -> int:
        return self.random_state if isinstance(self.random_state, int) else 0

    def _normalized(self, texts: list[str]) -> list[str]:
        """``texts`` through the input normalisation and the spelling corrector the model uses."""
        from finloom.nlp.perturb._normalize import normalize_text

        if getattr(self, "normalize_text", False):
            texts = [normalize_text(t) or t for t in texts]
        spelling = getattr(self, "spelling_", None)
        return texts if spelling is None else spelling.correct_many(texts)

    def _augmented(self, texts: list[str], y: np.ndarray) -> tuple[list[str], np.ndarray]:
        """``texts`` followed by ``augment`` perturbed copies of each (targets repeated)."""
        if not self.augment:
            return texts, y
        from finloom.nlp._adversarial import augment_texts

        new, source = augment_texts(texts, self.augment, kinds=self.augment_kinds,
                                    severity=float(self.augment_severity), seed=self._seed())
        new = self._normalized(new)
        return texts + new, np.concatenate([y, y[np.asarray(source, dtype=np.int64)]]) if new else y

    def _adversarial_head(self, X: np.ndarray, y: np.ndarray, sw: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        from finloom.nlp._adversarial import AdversarialConfig, adversarial_head

        cfg = AdversarialConfig(str(self.adversarial), 0.1 if self.adv_epsilon is None else float(self.adv_epsilon),
                                self.adv_steps)
        return adversarial_head(X, y, self.coef_, self.intercept_, cfg, C=float(self.C), sample_weight=sw,
                                rng=np.random.default_rng([self._seed(), 3]))

    def _fit_contrastive(
        self, texts: list[str], y: np.ndarray, rng: np.random.Generator, progress: ProgressCallback
    ) -> None:
        cfg = ContrastiveConfig(
            epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
            pairs_per_text=self.pairs_per_text, weight_decay=self.weight_decay,
            warmup_ratio=self.warmup_ratio,
        )
        losses = tune_encoder(self.encoder_, texts, y, cfg, rng=rng,
                              progress=lambda f, m="": progress(0.7 * f, m))
        self._fit_frozen(texts, y, lambda f, m="": progress(0.7 + 0.3 * f, m))
        per_epoch = max(1, len(losses) // self.epochs)
        self.history_ = TrainHistory(step_loss=losses, epoch_loss=[
            float(np.mean(losses[i : i + per_epoch])) for i in range(0, len(losses), per_epoch)])

    def _fit_finetune(
        self, texts: list[str], labels: list[Any], y: np.ndarray, rng: np.random.Generator,
        progress: ProgressCallback,
    ) -> None:
        torch = require("torch", feature="fine-tuning")
        tr, va = np.arange(len(texts)), np.zeros(0, dtype=np.int64)
        if self.validation_fraction > 0:
            tr, va = stratified_split(labels, self.validation_fraction, rng)
        channel, self.char_channel_ = self.char_channel_, None  # the net's head sees the encoder only
        with torch.random.fork_rng(devices=[]):  # seeded locally, global state restored
            torch.manual_seed(int(rng.integers(2**31)))
            self._train_net(texts, y, tr, va, rng, progress)
        if channel is not None:  # refit the head on the tuned vectors plus the character channel
            self.char_channel_, history = channel, self.history_
            self._fit_frozen(texts, y, lambda f, m="": progress(1.0, f"refitting the head: {m}"))
            self.history_ = history

    def _train_net(
        self, texts: list[str], y: np.ndarray, tr: np.ndarray, va: np.ndarray,
        rng: np.random.Generator, progress: ProgressCallback,
    ) -> None:
        torch = require("torch", feature="fine-tuning")
        net = build_head_model(self.encoder_.model, len(self.classes_), 0.1)
        if self.linear_probe_init:
            def probe_progress(fraction: float, message: str = "") -> None:
                progress(0.0, f"linear probe: {message}")

            self._fit_frozen([texts[i] for i in tr], y[tr], probe_progress)
            with torch.no_grad():
                net.head.weight.copy_(torch.as_tensor(self.coef_))
                net.head.bias.copy_(torch.as_tensor(self.intercept_))
        n_before = len(tr)
        tr_texts, tr_y = self._augmented([texts[i] for i in tr], y[tr])
        if len(tr_texts) > n_before:
            progress(0.0, f"training on {n_before} texts + {len(tr_texts) - n_before} perturbed copies")
        collate, lengths = self._collator(tr_texts)
        cfg = FineTuneConfig(
            epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
            head_learning_rate=self.head_learning_rate, weight_decay=self.weight_decay,
            warmup_ratio=self.warmup_ratio, grad_accum_steps=self.grad_accum_steps,
            patience=self.patience,
        )
        val_texts, val_y = [texts[i] for i in va], y[va]

        def validate() -> float:
            self._copy_head(net)
            net.eval()
            pred = self._scores(val_texts)
            if self.multi_label:
                return float(((pred >= self.threshold) == (val_y > 0.5)).mean())
            return float((pred.argmax(1) == val_y).mean())

        self.history_ = train(
            net, collate, lengths, torch.as_tensor(tr_y), self._loss_fn(tr_y), cfg,
            validate=validate if len(va) else None, rng=rng, progress=progress, adversary=self._adversary(),
        )
        self._copy_head(net)

    def _adversary(self) -> Any:
        """The word-embedding adversary of fine-tune mode (None without ``adversarial``)."""
        if not self.adversarial:
            return None
        from finloom.nlp._adversarial import AdversarialConfig, EmbeddingAdversary

        cfg = AdversarialConfig(str(self.adversarial), 1.0 if self.adv_epsilon is None else float(self.adv_epsilon),
                                self.adv_steps)
        return EmbeddingAdversary(self.encoder_.model.get_input_embeddings(), cfg)

    def _collator(self, texts: list[str]) -> tuple[Any, np.ndarray]:
        """Tokenise once; return (indices -> padded batch, token lengths) for dynamic padding."""
        return pad_collator(self.encoder_.tokenizer, texts, self.max_length)

    def _loss_fn(self, y: np.ndarray) -> Any:
        torch = require("torch", feature="fine-tuning")
        weights = self._class_weights(y)
        w = None if weights is None else torch.as_tensor(weights)
        if self.multi_label:
            return torch.nn.BCEWithLogitsLoss(pos_weight=w)
        return torch.nn.CrossEntropyLoss(weight=w)

    def _copy_head(self, net: Any) -> None:
        self.coef_ = net.head.weight.detach().cpu().numpy().astype(np.float32).copy()
        self.intercept_ = net.head.bias.detach().cpu().numpy().astype(np.float32).copy()

    # ----------------------------------------------------------------- predict
    def _windows(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Window vectors (the character channel appended when the model has one) and mapping."""
        texts = self._normalized(texts)
        vectors, mapping = self.encoder_.encode_windows(texts, normalize=True)
        channel = getattr(self, "char_channel_", None)
        return (vectors if channel is None else channel.append(vectors, mapping, texts)), mapping

    def _scores(self, texts: list[str]) -> np.ndarray:
        vectors, mapping = self._windows(texts)
        return window_probabilities(vectors, mapping, len(texts), self.coef_, self.intercept_,
                                    multi_label=self.multi_label, aggregation=self.aggregation)

    def _logits(self, texts: list[str]) -> np.ndarray:
        """Per-text logits (window logits averaged), shape (N, K)."""
        vectors, mapping = self._windows(texts)
        logits = vectors @ self.coef_.T + self.intercept_  # (W, K)
        out = np.zeros((len(texts), logits.shape[1]), dtype=np.float64)
        np.add.at(out, mapping, logits)
        return out / np.maximum(np.bincount(mapping, minlength=len(texts)), 1)[:, None]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape (N, n_classes), columns in ``classes_`` order."""
        self._check_is_fitted("predict_proba")
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self._scores(texts)

    def predict(self, texts: Sequence[str]) -> list[Any]:
        """Predicted label per text (a list of labels per text when ``multi_label``)."""
        self._check_is_fitted("predict")
        probs = self.predict_proba(texts)
        if self.multi_label:
            return [[c for c, p in zip(self.classes_, row, strict=True) if p >= self.threshold]
                    for row in probs]
        return [self.classes_[i] for i in probs.argmax(1)]

    # ----------------------------------------------------------------- persistence
    def save(self, path: str | os.PathLike[str], *, card: Any = None) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (head) + ``encoder/`` (HF files) + card.

        ``card`` is a :class:`~finloom.nlp.ModelCard`; by default a card recording the base
        encoder, labels and parameters is written (``model_card.json`` + ``MODEL_CARD.md``).
        """
        self._check_is_fitted("save")
        params = {k: v for k, v in self.get_params().items() if k != "encoder"}
        config = {
            "params": params,
            "classes": list(self.classes_),
            "encoder_source": str(self.encoder_.path),
            "char_channel": channel.to_dict() if (channel := getattr(self, "char_channel_", None)) else None,
            "spelling": spelling.to_dict() if (spelling := getattr(self, "spelling_", None)) else None,
            "history": self.history_,
        }
        with atomic_dir(path, overwrite=True) as root:  # the folder appears complete or not at all
            save_state(root, kind=type(self).__name__, config=config, overwrite=True,
                       tensors={"coef": self.coef_, "intercept": self.intercept_})
            self.encoder_.save(root / ENCODER_DIR)
            (default_card(self, "text classification", list(self.classes_)) if card is None else card).save(root)
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TextClassifier:
        """Load a classifier written by :meth:`save` (no pickle)."""
        state = load_state(path, kind=cls.__name__)
        config = state["config"]
        clf = cls(**config["params"], encoder=Path(path) / ENCODER_DIR)
        clf.classes_ = list(config["classes"])
        clf.encoder_ = open_encoder(clf.encoder, max_length=clf.max_length, stride=clf.stride)
        clf.char_channel_ = CharChannel.from_dict(config.get("char_channel"))  # older models: none
        clf.spelling_ = SpellingCorrector.from_dict(config.get("spelling"), known=vocabulary_words(clf.encoder_))
        clf.coef_ = np.asarray(state["tensors"]["coef"], dtype=np.float32)
        clf.intercept_ = np.asarray(state["tensors"]["intercept"], dtype=np.float32)
        clf.history_ = TrainHistory(**config.get("history", {}))
        return clf
