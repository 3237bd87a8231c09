"""Service functions of the customer-service scenario: build an assistant, train and evaluate
its models. Plain typed functions with a ``progress`` callback, for jobs, API routes and the CLI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.customer_service._assistant import AssistantConfig, CustomerServiceAssistant
from finloom.apps.customer_service._banking import CoreBanking, SimulatedCoreBanking
from finloom.apps.customer_service._intents import (
    EmbeddingIntentClassifier,
    IntentClassifier,
    load_seed_intents,
)
from finloom.apps.customer_service._kb import Article, load_builtin_kb, load_kb
from finloom.apps.customer_service._retrieval import KnowledgeBase
from finloom.apps.customer_service._speech import SpeechRecognizer
from finloom.apps.customer_service._store import ConversationStore, InMemoryConversationStore
from finloom.errors import InvalidDataError

__all__ = [
    "build_demo_assistant",
    "build_speech_recognizer",
    "evaluate_faq_retrieval",
    "fit_intent_classifier",
    "load_faq_questions",
    "minilm_encoder",
]


def minilm_encoder(path: str | os.PathLike[str] | None = None) -> Callable[[list[str]], np.ndarray]:
    """The bundled MiniLM (or the local HF encoder folder ``path``) as a ``texts -> unit vectors``
    callable (loads torch; ~1 s)."""
    from finloom.nlp._encoder import Encoder

    model = Encoder(path, max_length=128)
    return lambda texts: model.encode(list(texts))


def build_demo_assistant(
    *,
    articles: Sequence[Article] | None = None,
    kb_path: str | os.PathLike[str] | None = None,
    classifier: IntentClassifier | None = None,
    intents_path: str | os.PathLike[str] | None = None,
    store: ConversationStore | None = None,
    bank: CoreBanking | None = None,
    dense: bool = False,
    config: AssistantConfig | None = None,
    random_state: int = 0,
) -> CustomerServiceAssistant:
    """An assistant over the built-in Loom Bank KB (or ``kb_path``) with the seed intents.

    Parameters
    ----------
    articles, kb_path : knowledge base to use instead of the built-in one.
    classifier : intent model; default: hashing encoder + logistic regression on the seed intents.
    intents_path : a saved :class:`EmbeddingIntentClassifier` folder to use as the intent model
        (``finloom chat train-intents`` writes one).
    store : conversation store; default in memory.
    bank : core-banking adapter; default :class:`SimulatedCoreBanking`.
    dense : fuse MiniLM cosine ranking with BM25 for English questions (needs torch).
    config : assistant settings.
    random_state : seed of the classifier's calibration split.

    Examples
    --------
    >>> bot = build_demo_assistant()
    >>> s = bot.start_session(customer_id="demo")
    >>> r = bot.handle_message(s.id, "我的卡丢了")
    >>> r.kind, r.lang
    ('task_prompt', 'zh')
    """
    if articles is None:
        articles = load_kb(kb_path) if kb_path is not None else load_builtin_kb()
    if classifier is None and intents_path is not None:
        classifier = EmbeddingIntentClassifier.load(intents_path)
    if classifier is None:
        seeds = load_seed_intents()
        texts = [t for ts in seeds.values() for t in ts]
        labels = [k for k, ts in seeds.items() for _ in ts]
        classifier = EmbeddingIntentClassifier(random_state=random_state).fit(texts, labels)
    knowledge = KnowledgeBase(articles, encoder=minilm_encoder() if dense else None)
    return CustomerServiceAssistant(
        classifier=classifier, knowledge=knowledge, store=store or InMemoryConversationStore(),
        bank=bank or SimulatedCoreBanking(), config=config)


def build_speech_recognizer(*, language_model: str = "domain", articles: Sequence[Article] | None = None
                            ) -> SpeechRecognizer:
    """An English :class:`SpeechRecognizer` whose language model is trained on the seed intents'
    English examples and the English articles of the knowledge base (needs finloom[voice]).

    Examples
    --------
    >>> rec = build_speech_recognizer()  # doctest: +SKIP
    >>> len(rec.vocabulary_) > 500  # doctest: +SKIP
    True
    """
    import re

    texts = [t for ts in load_seed_intents().values() for t in ts if not re.search(r"[\u4e00-\u9fff]", t)]
    for article in articles if articles is not None else load_builtin_kb(langs=["en"]):
        if article.lang == "en":
            texts += [article.title, *re.split(r"(?<=[.!?])\s+", article.body)]
    return SpeechRecognizer(language_model=language_model).fit(texts)


def _read_intents(path: Path) -> tuple[list[str], list[str]]:
    """Example messages and their intents from a CSV/TSV/JSONL file with text and category columns
    (encoding detected; empty texts, a missing column or a single intent are clear errors)."""
    from finloom.nlp import read_texts

    data = read_texts(path, text_column="text", label_column="category")
    return data.texts, [str(label) for label in data.labels]


def fit_intent_classifier(params: dict[str, Any], progress: ProgressCallback = noop_progress,
                          out_dir: str | os.PathLike[str] | None = None, *,
                          model_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Job function: train an intent classifier with out-of-scope detection and save it.

    ``params``: ``train_csv`` (CSV/TSV/JSONL with columns text and category; omitted = the seed
    intents), ``encoder``
    (``"hashing"``, ``"minilm"``, a local Hugging Face encoder folder, or a list of those whose
    embeddings are concatenated), ``C``, ``in_domain_recall``, ``tune_epochs`` (> 0 tunes a
    transformer encoder on the messages first, see :class:`EmbeddingIntentClassifier`),
    ``tune_objective`` (``"contrastive"`` or ``"classification"``), ``char_ngrams`` (``"auto"``,
    true or false: hashed character n-grams beside a transformer encoder for Chinese messages),
    ``random_state``.
    The model is saved to ``model_dir``, or to ``out_dir/intent_classifier`` (a job's output
    folder). Returns the saved path, the intents and the calibrated out-of-scope threshold.

    Examples
    --------
    >>> import tempfile
    >>> out = fit_intent_classifier({"random_state": 0}, out_dir=tempfile.mkdtemp())
    >>> len(out["intents"])
    10
    """
    progress(0.0, "loading training data")
    if params.get("train_csv"):
        texts, labels = _read_intents(Path(params["train_csv"]))
    else:
        seeds = load_seed_intents()
        texts = [t for ts in seeds.values() for t in ts]
        labels = [k for k, ts in seeds.items() for _ in ts]
    progress(0.1, f"fitting on {len(texts)} messages")
    clf = EmbeddingIntentClassifier(
        encoder=params.get("encoder", "hashing"), C=float(params.get("C", 10.0)),
        in_domain_recall=float(params.get("in_domain_recall", 0.95)),
        tune_epochs=int(params.get("tune_epochs", 0)),
        tune_objective=str(params.get("tune_objective", "contrastive")),
        char_ngrams=params.get("char_ngrams", "auto"), random_state=params.get("random_state", 0))
    clf.fit(texts, labels, progress=lambda f, m="": progress(0.1 + 0.8 * f, m))
    result: dict[str, Any] = {"intents": clf.classes_, "n_train": len(texts),
                              "oos_threshold": clf.detector_.threshold_}
    target = model_dir if model_dir is not None else (
        Path(out_dir) / "intent_classifier" if out_dir is not None else None)
    if target is not None:
        result["path"] = str(clf.save(target))
    progress(1.0, "done")
    return result


def load_faq_questions(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read a gold question file (JSON Lines with question, lang, gold)."""
    rows = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        if not {"question", "lang", "gold"} <= set(row):
            raise InvalidDataError(f"line {i + 1} of {path} must have question, lang and gold; "
                                   f"got {sorted(row)}.")
        rows.append(row)
    return rows


def evaluate_faq_retrieval(knowledge: KnowledgeBase, questions: Sequence[dict[str, str]], *,
                           k: int = 10, progress: ProgressCallback = noop_progress
                           ) -> dict[str, Any]:
    """hit@1, hit@3 and MRR (over the top ``k``) of ``knowledge.search`` on gold questions.

    Examples
    --------
    >>> kb = KnowledgeBase(load_builtin_kb())
    >>> q = [{"question": "卡丢了怎么办", "lang": "zh", "gold": "card-lost-stolen-zh"}]
    >>> evaluate_faq_retrieval(kb, q)["hit_at_3"]
    1.0
    """
    ranks = []
    per_lang: dict[str, list[int]] = {}
    for i, q in enumerate(questions):
        ids = [a.id for a, _ in knowledge.search(q["question"], q["lang"], k=k)]
        rank = ids.index(q["gold"]) + 1 if q["gold"] in ids else 0
        ranks.append(rank)
        per_lang.setdefault(q["lang"], []).append(rank)
        if i % 50 == 0:
            progress(i / max(len(questions), 1), f"question {i}")
    r = np.asarray(ranks)

    def summary(x: np.ndarray) -> dict[str, float]:
        return {"hit_at_1": float(np.mean(x == 1)), "hit_at_3": float(np.mean((x >= 1) & (x <= 3))),
                "mrr": float(np.mean(np.where(x > 0, 1.0 / np.maximum(x, 1), 0.0)))}

    return {**summary(r), "n": len(r), "by_lang": {k: summary(np.asarray(v)) for k, v in per_lang.items()}}
