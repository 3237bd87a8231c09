"""Intent classification with out-of-scope detection: the seed intent set, a light hashing
encoder for the torch-free demo, and an embedding + logistic-regression classifier."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from finloom._base import (
    BaseEstimator,
    ProgressCallback,
    check_random_state,
    noop_progress,
    validate_param,
)
from finloom._io import atomic_dir
from finloom._serialization import load_state, save_state
from finloom.apps.customer_service._oos import OutOfScopeDetector
from finloom.errors import InvalidDataError
from finloom.nlp._hashing import CharChannel, HashingEncoder, resolve_char_channel
from finloom.nlp._multilingual import MULTILINGUAL, MultilingualEncoder, choose_encoder
from finloom.nlp.explain import (
    EXAMPLES_DIR,
    NO_EXAMPLES,
    Neighbour,
    TrainingExamples,
    load_examples,
)

TUNE_OBJECTIVES = ("contrastive", "classification")

__all__ = [
    "BANKING77_ROUTES",
    "ROUTED_INTENTS",
    "TASK_INTENTS",
    "EmbeddingIntentClassifier",
    "concat_encoders",
    "HashingEncoder",
    "IntentClassifier",
    "IntentPrediction",
    "load_seed_intents",
]

SEED_FILE = Path(__file__).resolve().parent / "intents" / "seed_intents.json"
TUNED_DIR = "encoder"  # a tuned encoder's Hugging Face files inside a saved classifier
TASK_INTENTS = ("freeze_card", "lost_card", "dispute_transaction", "check_balance",
                "recent_transactions")
# intents the dialogue manager acts on; any other label is answered from the knowledge base
ROUTED_INTENTS = (*TASK_INTENTS, "human_agent", "complaint", "greeting", "goodbye", "faq",
                  "out_of_scope")
# BANKING77 labels that map onto a task when the classifier is trained on that label set
BANKING77_ROUTES = {
    "lost_or_stolen_card": "lost_card", "compromised_card": "freeze_card",
    "card_payment_not_recognised": "dispute_transaction",
    "cash_withdrawal_not_recognised": "dispute_transaction",
    "direct_debit_payment_not_recognised": "dispute_transaction",
    "transaction_charged_twice": "dispute_transaction",
    "wrong_amount_of_cash_received": "dispute_transaction",
}
Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class IntentPrediction:
    """The predicted ``intent`` (``"out_of_scope"`` when flagged), its probability, the
    out-of-scope score (higher = further from every known intent) and the second most likely
    intent with its probability (for asking which of two close intents was meant)."""

    intent: str
    confidence: float
    oos_score: float
    top_intent: str
    runner_up: str | None = None
    runner_up_confidence: float = 0.0


@runtime_checkable
class IntentClassifier(Protocol):
    """What the assistant needs from an intent model."""

    def predict_intent(self, texts: Sequence[str]) -> list[IntentPrediction]:
        """One prediction per text."""
        ...


def load_seed_intents() -> dict[str, list[str]]:
    """The project's seed intents (EN + ZH example utterances) for the demo assistant.

    Examples
    --------
    >>> seeds = load_seed_intents()
    >>> "freeze_card" in seeds and len(seeds["freeze_card"]) >= 20
    True
    """
    data: dict[str, list[str]] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return data


EncoderSpec = str | tuple[str, ...] | list[str]


def concat_encoders(encoders: Sequence[Encode]) -> Encode:
    """One encoder from several: their unit vectors side by side, scaled by ``1/sqrt(n)``.

    The result is again unit-norm and its cosine similarity is the mean of the members' cosine
    similarities, so k-NN distances and a linear head see every member.

    Examples
    --------
    >>> both = concat_encoders([HashingEncoder(dim=8), HashingEncoder(dim=4)])
    >>> both(["lost card"]).shape
    (1, 12)
    """
    members = list(encoders)
    scale = np.float32(1.0 / np.sqrt(len(members)))  # keeps float32 output

    def encode(texts: list[str]) -> np.ndarray:
        return np.hstack([np.asarray(e(texts), dtype=np.float32) for e in members]) * scale

    return encode


def _resolve_encoder(encoder: EncoderSpec | Encode) -> Encode:
    if callable(encoder):
        return encoder
    if isinstance(encoder, (tuple, list)) and len(encoder) > 0:
        return concat_encoders([_resolve_encoder(str(e)) for e in encoder])
    if encoder == "hashing":
        return HashingEncoder()
    if encoder == MULTILINGUAL:
        return MultilingualEncoder()
    if isinstance(encoder, str) and (encoder == "minilm" or Path(encoder).is_dir()):
        from finloom.nlp._encoder import Encoder

        model = Encoder(None if encoder == "minilm" else encoder)
        return lambda texts: model.encode(list(texts))
    raise InvalidDataError(f"encoder must be 'hashing', 'minilm', '{MULTILINGUAL}', 'auto', a local "
                           "Hugging Face encoder folder, "
                           f"a list of those (embeddings concatenated) or a callable; got {encoder!r}.")


class EmbeddingIntentClassifier(BaseEstimator):
    """Sentence embeddings + multinomial logistic regression + an :class:`OutOfScopeDetector`.

    Parameters
    ----------
    encoder : ``"hashing"`` (no torch), ``"minilm"`` (bundled MiniLM), ``"use-multilingual"``
        (the packaged multilingual encoder, ``finloom[zh]``, no torch), ``"auto"``
        (``"use-multilingual"`` when it is installed and at least a fifth of the training
        messages hold CJK characters, else ``"hashing"``; the choice is saved), the path of a
        local Hugging Face encoder folder, a tuple of those (their embeddings concatenated, see
        :func:`concat_encoders`) or a callable ``texts -> (N, D)`` array.
    C : inverse L2 strength of the logistic regression.
    calibration_fraction : stratified share of training messages held out to calibrate the
        out-of-scope threshold (the final model is refitted on everything).
    k, in_domain_recall : see :class:`OutOfScopeDetector`.
    tune_epochs : 0 keeps the encoder frozen. ``n >= 1`` first tunes a transformer encoder
        (``"minilm"`` or a folder) for ``n`` passes of SetFit-style contrastive pairs on the
        training messages outside the calibration split, so messages of one intent cluster
        tighter and unseen intents stand further from every cluster; the tuned encoder is
        saved with the classifier. Minutes on a CPU for thousands of messages.
    tune_objective : ``"contrastive"`` (the pairs above) or ``"classification"``: fine-tune the
        encoder with a softmax head on the intents (linear probe, then ``tune_epochs`` epochs of
        cross-entropy, as ``TextClassifier(mode="finetune")``); the head is then dropped and
        the logistic regression and detector are fitted on the tuned embeddings. On BANKING77
        with 10 unseen intents (3 draws) out-of-scope AUROC is 0.923 frozen, 0.926 contrastive
        (1 epoch), 0.928 classification (3 epochs; lowest FPR at 95 % TPR, 0.264).
    tune_learning_rate : AdamW step size of the encoder's weights. ``None`` picks 2e-5 for
        contrastive tuning and, for classification, 1e-4 for small encoders (hidden size <= 384,
        such as MiniLM) or 3e-5 for base-size ones.
    char_ngrams : ``"auto"`` (default) appends hashed character 1-3-grams
        (:class:`~finloom.nlp._hashing.CharChannel`) to a transformer encoder's vectors when at
        least a fifth of the training messages hold Chinese, Japanese or Korean characters (the
        bundled MiniLM reads English only); ``True``/``False`` force it on/off. Never added to
        the ``"hashing"`` encoder, which is character n-grams already. Saved with the model.
    random_state : seed of the calibration split and of the tuning.

    Examples
    --------
    >>> seeds = load_seed_intents()
    >>> texts = [t for ts in seeds.values() for t in ts]
    >>> labels = [k for k, ts in seeds.items() for _ in ts]
    >>> clf = EmbeddingIntentClassifier(random_state=0).fit(texts, labels)
    >>> clf.predict_intent(["please freeze my credit card", "帮我查一下余额"])[1].intent
    'check_balance'
    """

    def __init__(self, *, encoder: EncoderSpec | Encode = "hashing", C: float = 10.0,
                 calibration_fraction: float = 0.2, k: int | tuple[int, ...] = 1,
                 in_domain_recall: float = 0.95, tune_epochs: int = 0,
                 tune_objective: str = "contrastive", tune_learning_rate: float | None = None,
                 char_ngrams: str | bool = "auto", random_state: int | None = None) -> None:
        self.encoder = encoder
        self.C = C
        self.calibration_fraction = calibration_fraction
        self.k = k
        self.in_domain_recall = in_domain_recall
        self.tune_epochs = tune_epochs
        self.tune_objective = tune_objective
        self.tune_learning_rate = tune_learning_rate
        self.char_ngrams = char_ngrams
        self.random_state = random_state

    def _validate(self, texts: list[str], labels: list[str]) -> None:
        name = type(self).__name__
        validate_param(name, "C", self.C, lambda v: float(v) > 0, "a float in (0, inf)")
        validate_param(name, "calibration_fraction", self.calibration_fraction,
                       lambda v: 0.05 <= v <= 0.5, "a float in [0.05, 0.5]")
        validate_param(name, "tune_epochs", self.tune_epochs, lambda v: isinstance(v, int) and v >= 0,
                       "an int in [0, inf)")
        validate_param(name, "tune_learning_rate", self.tune_learning_rate,
                       lambda v: v is None or float(v) > 0, "None or a float in (0, inf)")
        validate_param(name, "tune_objective", self.tune_objective,
                       lambda v: v in TUNE_OBJECTIVES, f"one of {TUNE_OBJECTIVES}")
        validate_param(name, "char_ngrams", self.char_ngrams, lambda v: v in ("auto", True, False),
                       "'auto', True or False")
        validate_param(name, "encoder", self.encoder,
                       lambda v: not self.tune_epochs or (isinstance(v, str)
                                                          and v not in ("hashing", "auto", MULTILINGUAL)),
                       "'minilm' or a local Hugging Face encoder folder when tune_epochs > 0")
        problems = []
        if len(texts) != len(labels):
            problems.append(f"texts and labels must have the same length; got {len(texts)} and "
                            f"{len(labels)}.")
        if len(set(labels)) < 2:
            problems.append(f"labels must hold at least 2 intents; got {sorted(set(labels))}.")
        empty = [i for i, t in enumerate(texts) if not str(t).strip()]
        if empty:
            problems.append(f"texts must be non-empty; got empty texts at positions {empty[:10]}.")
        if problems:
            raise InvalidDataError(problems)

    def _split(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rng = check_random_state(self.random_state)
        cal: list[int] = []
        for c in np.unique(labels):
            idx = rng.permutation(np.flatnonzero(labels == c))
            n = int(round(len(idx) * self.calibration_fraction))
            cal.extend(int(i) for i in idx[: min(n, len(idx) - 1)])
        mask = np.zeros(len(labels), dtype=bool)
        mask[cal] = True
        return np.flatnonzero(~mask), np.flatnonzero(mask)

    def _lr(self, X: np.ndarray, y: np.ndarray) -> Any:
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # small problems: BLAS threads only oversubscribe
            return LogisticRegression(C=self.C, max_iter=2000).fit(X, y)

    def fit(self, texts: Sequence[str], labels: Sequence[str], *,
            embeddings: np.ndarray | None = None, progress: ProgressCallback | None = None
            ) -> EmbeddingIntentClassifier:
        """Learn intents from example messages; ``embeddings`` may be passed precomputed
        (not with ``tune_epochs``, where the tuned encoder computes them)."""
        texts, labels = [str(t) for t in texts], [str(lab) for lab in labels]
        self._validate(texts, labels)
        y = np.asarray(labels)
        tr, cal = self._split(y)
        self.tuned_encoder_: Any = None
        self.encoder_used_: Any = (
            ("hashing" if choose_encoder(None, texts) is None else MULTILINGUAL)
            if self.encoder == "auto" else self.encoder)
        if self.tune_epochs:
            if embeddings is not None:
                raise InvalidDataError("embeddings must not be passed when tune_epochs > 0: they "
                                       "come from the encoder tuned here. Drop embeddings=.")
            self.encode_ = self._tune([texts[i] for i in tr], y[tr], progress or noop_progress)
        else:
            self.encode_ = _resolve_encoder(self.encoder_used_)
        used = self.encoder_used_
        spec = used if isinstance(used, (tuple, list)) else (used,)
        self.char_channel_: CharChannel | None = (
            None if "hashing" in spec else resolve_char_channel(self.char_ngrams, texts))
        X = self._features(texts, embeddings)
        head = self._lr(X[tr], y[tr])
        proba_cal = head.predict_proba(X[cal])
        self.detector_ = OutOfScopeDetector(k=self.k, in_domain_recall=self.in_domain_recall)
        self.detector_.fit(X[tr], X[cal], proba_cal)
        self.detector_.set_memory(X)
        self.examples_: TrainingExamples | None = TrainingExamples(texts, labels, X)  # nearest examples
        final = self._lr(X, y)
        self.classes_ = [str(c) for c in final.classes_]
        coef, intercept = final.coef_, final.intercept_
        if len(self.classes_) == 2:  # sklearn keeps one row for binary problems
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
        self.coef_ = np.asarray(coef, dtype=np.float32)
        self.intercept_ = np.asarray(intercept, dtype=np.float32)
        return self

    def _tune(self, texts: list[str], y: np.ndarray, progress: ProgressCallback) -> Encode:
        """Tune a fresh copy of the encoder on ``texts`` (the calibration split is left out, so
        the out-of-scope threshold is set on messages the encoder never saw)."""
        from finloom.nlp._encoder import Encoder

        path = None if self.encoder == "minilm" else str(self.encoder)
        rng = check_random_state(self.random_state)
        if self.tune_objective == "classification":
            model = self._tune_classification(path, texts, y, rng, progress)
        else:
            from finloom.nlp._contrastive import ContrastiveConfig, tune_encoder

            model = Encoder(path)
            codes = np.unique(y, return_inverse=True)[1]
            lr = 2e-5 if self.tune_learning_rate is None else float(self.tune_learning_rate)
            tune_encoder(model, texts, codes, ContrastiveConfig(epochs=self.tune_epochs, learning_rate=lr),
                         rng=rng, progress=progress)
        self.tuned_encoder_ = model
        return lambda batch: model.encode(list(batch))

    def _tune_classification(self, path: str | None, texts: list[str], y: np.ndarray,
                             rng: np.random.Generator, progress: ProgressCallback) -> Any:
        """Cross-entropy fine-tuning; returns the tuned :class:`~finloom.nlp.Encoder`."""
        from finloom.nlp import TextClassifier
        from finloom.nlp._finetune import default_finetune_learning_rate

        lr = (default_finetune_learning_rate(path) if self.tune_learning_rate is None
              else float(self.tune_learning_rate))
        net = TextClassifier(mode="finetune", encoder=path, max_length=64, epochs=self.tune_epochs,
                             learning_rate=lr, head_learning_rate=1e-3, validation_fraction=0.0,
                             random_state=int(rng.integers(2**31)))
        net.fit(texts, [str(v) for v in y], progress=progress)
        return net.encoder_

    def _features(self, texts: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        """Encoder vectors (or the ``embeddings`` given), the character channel appended."""
        X = np.asarray(self.encode_(texts) if embeddings is None else embeddings, dtype=np.float32)
        channel = getattr(self, "char_channel_", None)
        return X if channel is None else channel.append(X, np.arange(len(texts)), texts)

    def _proba(self, X: np.ndarray) -> np.ndarray:
        logits = X @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def predict_proba(self, texts: Sequence[str], *, embeddings: np.ndarray | None = None
                      ) -> np.ndarray:
        """(N, n_intents) probabilities in ``classes_`` order."""
        self._check_is_fitted("predict_proba")
        return self._proba(self._features([str(t) for t in texts], embeddings))

    def predict_intent(self, texts: Sequence[str], *, embeddings: np.ndarray | None = None
                       ) -> list[IntentPrediction]:
        """Intent, probability and out-of-scope score per text."""
        self._check_is_fitted("predict_intent")
        X = self._features([str(t) for t in texts], embeddings)
        P = self._proba(X)
        scores = self.detector_.score(X, P)
        out = []
        for row, s in zip(P, scores, strict=True):
            order = np.argsort(-row, kind="stable")
            top = self.classes_[int(order[0])]
            second = self.classes_[int(order[1])] if len(order) > 1 else None
            intent = "out_of_scope" if s > self.detector_.threshold_ else top
            out.append(IntentPrediction(intent, float(row[order[0]]), float(s), top, second,
                                        float(row[order[1]]) if len(order) > 1 else 0.0))
        return out

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save head, detector and a tuned encoder (a callable encoder is not saved; pass it
        again to load). The folder appears complete or not at all."""
        self._check_is_fitted("save")
        params = {k: v for k, v in self.get_params().items() if k != "encoder"}
        used = getattr(self, "encoder_used_", self.encoder)
        enc = used if isinstance(used, (str, tuple, list)) else None
        tuned = getattr(self, "tuned_encoder_", None)
        channel = getattr(self, "char_channel_", None)
        with atomic_dir(path, overwrite=True) as root:
            save_state(root, kind=type(self).__name__,
                       config={"params": params, "encoder": enc, "classes": self.classes_,
                               "tuned_encoder": tuned is not None,
                               "char_channel": None if channel is None else channel.to_dict()},
                       tensors={"coef": self.coef_, "intercept": self.intercept_}, overwrite=True)
            self.detector_.save(root / "oos")
            examples = getattr(self, "examples_", None)
            if examples is not None:
                examples.save(root / EXAMPLES_DIR)
            if tuned is not None:
                tuned.save(root / TUNED_DIR)
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, encoder: Encode | None = None
             ) -> EmbeddingIntentClassifier:
        """Read a classifier written by :meth:`save`."""
        state = load_state(path, kind=cls.__name__)
        cfg = state["config"]
        params = dict(cfg["params"])
        params["k"] = params["k"] if isinstance(params["k"], int) else tuple(params["k"])
        spec = cfg["encoder"]
        spec = tuple(spec) if isinstance(spec, list) else spec
        clf = cls(encoder=encoder or spec or "hashing", **params)
        clf.tuned_encoder_ = None
        if cfg.get("tuned_encoder") and encoder is None:
            from finloom.nlp._encoder import Encoder

            model = Encoder(Path(path) / TUNED_DIR)
            clf.tuned_encoder_ = model
            clf.encode_ = lambda batch: model.encode(list(batch))
        else:
            clf.encode_ = _resolve_encoder(clf.encoder)
        clf.encoder_used_ = clf.encoder
        clf.char_channel_ = CharChannel.from_dict(cfg.get("char_channel"))  # older models: none
        clf.classes_ = list(cfg["classes"])
        clf.coef_, clf.intercept_ = state["tensors"]["coef"], state["tensors"]["intercept"]
        clf.detector_ = OutOfScopeDetector.load(Path(path) / "oos")
        clf.examples_ = load_examples(path)  # None for models saved before examples were kept
        return clf

    def nearest_examples(self, text: str, *, k: int = 5) -> list[Neighbour]:
        """The ``k`` training messages closest to ``text`` in the model's embedding space, with
        their intents and cosine similarities (why a message was routed where it was).

        Raises
        ------
        NotFoundError
            The model was saved before training messages were kept with it: retrain it.

        Examples
        --------
        >>> clf = EmbeddingIntentClassifier(random_state=0).fit(
        ...     ["lost my card", "card stolen", "my card is gone", "what is my balance",
        ...      "balance please", "how much money is left"], ["lost_card"] * 3 + ["check_balance"] * 3)
        >>> [n.label for n in clf.nearest_examples("my card was stolen", k=2)]
        ['lost_card', 'lost_card']
        """
        self._check_is_fitted("nearest_examples")
        examples = getattr(self, "examples_", None)
        if examples is None:
            from finloom.errors import NotFoundError

            raise NotFoundError(f"intent model must store its training examples; {NO_EXAMPLES}.")
        return examples.nearest(self._features([str(text)], None), k=k)[0]
