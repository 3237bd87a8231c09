"""Explain a served text classifier's prediction: word scores and the nearest training examples
(what the API route, the NLP page's try-it box and the CLI call)."""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from finloom.services.serving import ClassifierCache
from finloom.workbench import Workbench

__all__ = ["EXPLAIN_MAX_CHARS", "ExplainIn", "ExplainOut", "explain_model", "explain_served"]

EXPLAIN_MAX_CHARS = 1_000  # in-request work: up to ~200 words x (steps or one pass each)


class ExplainIn(BaseModel):
    """A text to explain (at most 1,000 characters), the method, integrated-gradient steps and
    how many nearest training examples to return (0: none)."""

    text: Annotated[str, Field(min_length=1, max_length=EXPLAIN_MAX_CHARS, pattern=r"\S",
                               description="The message to explain (1-1,000 characters).")]
    method: Literal["auto", "integrated_gradients", "occlusion"] = Field(
        default="auto", description="auto: occlusion (the method that met the deletion-faithfulness "
                                    "target on both benchmark tasks); integrated_gradients on request.")
    steps: int = Field(default=32, ge=4, le=128, description="Integrated-gradient interpolation steps.")
    neighbours: int = Field(default=5, ge=0, le=20, description="Nearest training examples to return.")


class WordOut(BaseModel):
    word: str
    start: int
    end: int
    score: float


class CompletenessOut(BaseModel):
    attribution_sum: float
    expected: float
    error: float


class NeighbourOut(BaseModel):
    text: str
    label: str
    similarity: float


class ExplainOut(BaseModel):
    """The predicted label and probability, one score per word (positive: pushes the label up),
    the integrated-gradient sum check, notes, and the nearest training examples (``None`` with a
    ``neighbours_note`` when the model stores none)."""

    label: str
    probability: float
    method: str
    words: list[WordOut]
    completeness: CompletenessOut | None
    notes: list[str]
    neighbours: list[NeighbourOut] | None
    neighbours_note: str | None


def explain_model(model: Any, folder: str | os.PathLike[str] | None, body: ExplainIn) -> ExplainOut:
    """Explain ``body.text`` with a loaded classifier whose saved folder is ``folder`` (where its
    training examples live, if any).

    Examples
    --------
    >>> class Toy:
    ...     classes_ = ["other", "card"]
    ...     def predict_proba(self, texts):
    ...         import numpy as np
    ...         p = np.array([0.9 if "card" in t else 0.2 for t in texts])
    ...         return np.stack([1 - p, p], axis=1)
    >>> out = explain_model(Toy(), None, ExplainIn(text="lost card"))
    >>> out.label, [w.word for w in out.words], out.neighbours
    ('card', ['lost', 'card'], None)
    """
    from finloom.nlp.explain import NO_EXAMPLES, embed_texts, explain, load_examples

    result = explain(model, body.text, method=body.method, steps=body.steps, max_chars=EXPLAIN_MAX_CHARS)
    neighbours, note = None, None
    if body.neighbours:
        examples = load_examples(folder)
        if examples is None:
            note = NO_EXAMPLES
        else:
            found = examples.nearest(embed_texts(model, [body.text]), k=body.neighbours)[0]
            neighbours = [NeighbourOut(text=n.text, label=n.label, similarity=n.similarity) for n in found]
    data = result.to_dict()
    return ExplainOut(label=data["label"], probability=data["probability"], method=data["method"],
                      words=[WordOut(**w) for w in data["words"]],
                      completeness=None if data["completeness"] is None else CompletenessOut(**data["completeness"]),
                      notes=data["notes"], neighbours=neighbours, neighbours_note=note)


def explain_served(workbench: Workbench, cache: ClassifierCache, name: str, body: ExplainIn,
                   version: int | None = None) -> ExplainOut:
    """Explain with the registered classifier ``name`` (loaded once through ``cache``).

    Examples
    --------
    >>> explain_served(workbench, cache, "intents", ExplainIn(text="lost card"))  # doctest: +SKIP
    ExplainOut(label='lost_or_stolen_card', ...)
    """
    model, folder = cache.model(workbench, name, version)
    return explain_model(model, folder, body)
