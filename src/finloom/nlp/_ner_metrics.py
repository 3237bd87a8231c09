"""Entity-level NER evaluation: P/R/F1 (seqeval's default chunking), an error analysis
(missed, spurious, wrong type, wrong boundary), an entity confusion chart and an HTML page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from finloom.errors import InvalidDataError

__all__ = ["ERROR_KINDS", "NERReport", "entity_scores", "extract_entities"]

ERROR_KINDS = ("missed", "spurious", "wrong_type", "wrong_boundary")
NONE = "(none)"  # the row / column for an entity one side does not have
MAX_EXAMPLES = 200


def _split_tag(tag: str) -> tuple[str, str]:
    if tag in {"O", ""}:
        return "O", ""
    if len(tag) > 1 and tag[1] in "-_":
        return tag[0], tag[2:]
    return "I", tag


def _end_of_chunk(prev: str, tag: str, prev_type: str, type_: str) -> bool:
    return (
        prev in {"E", "S"}
        or (prev in {"B", "I"} and tag in {"B", "S", "O"})
        or (prev != "O" and prev_type != type_)
    )


def _start_of_chunk(prev: str, tag: str, prev_type: str, type_: str) -> bool:
    return (
        tag in {"B", "S"}
        or (prev in {"E", "S", "O"} and tag in {"E", "I"})
        or (tag != "O" and prev_type != type_)
    )


def extract_entities(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans ``(type, start, end_inclusive)`` from one tag sequence (seqeval semantics).

    Examples
    --------
    >>> extract_entities(["B-PER", "I-PER", "O", "I-ORG", "B-ORG", "I-LOC"])
    [('PER', 0, 1), ('ORG', 3, 3), ('ORG', 4, 4), ('LOC', 5, 5)]
    """
    spans: list[tuple[str, int, int]] = []
    prev, prev_type, begin = "O", "", 0
    for i, tag in enumerate([*tags, "O"]):
        t, type_ = _split_tag(tag)
        if _end_of_chunk(prev, t, prev_type, type_):
            spans.append((prev_type, begin, i - 1))
        if _start_of_chunk(prev, t, prev_type, type_):
            begin = i
        prev, prev_type = t, type_
    return spans


@dataclass
class NERReport:
    """Entity-level precision, recall and F1, overall (micro) and per entity type; with the
    sentences' tokens, also every error by kind and an entity confusion table.

    ``confusion[true][predicted]`` counts gold entities by the type of the prediction covering the
    same words (``"(none)"`` = missed); ``confusion["(none)"][t]`` counts spurious predictions.
    """

    micro: dict[str, float]
    per_type: dict[str, dict[str, float]]
    error_counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict."""
        return {"micro": self.micro, "per_type": self.per_type, "error_counts": self.error_counts,
                "confusion": self.confusion, "errors": self.errors}

    def _draw_confusion(self, fig: Any) -> None:
        import numpy as np

        labels = [*sorted(k for k in self.confusion if k != NONE), NONE]
        grid = np.array([[self.confusion.get(r, {}).get(c, 0) for c in labels] for r in labels])
        ax = fig.add_subplot()
        ax.imshow(grid, cmap="Blues")
        for (i, j), v in np.ndenumerate(grid):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                        color="white" if v > grid.max() / 2 else "black")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel("predicted entity")
        ax.set_ylabel("gold entity")

    def to_html(self) -> str:
        """A standalone page: the scores, the entity confusion heat map (gold type by predicted
        type) and the errors with their sentences; every cell is escaped (tags and tokens come
        from user files)."""
        from finloom.evaluate._html import figure_img, new_figure, page, section, table

        scores = table(["entity", "precision", "recall", "F1", "support"],
                       [[t, s["precision"], s["recall"], s["f1"], s["support"]]
                        for t, s in {**self.per_type, "micro avg": self.micro}.items()])
        parts = [section("Entity scores", scores)]
        if self.confusion:
            size = 2.5 + 0.55 * (len(self.confusion) + 1)
            with new_figure(size + 1, size) as fig:
                self._draw_confusion(fig)
                chart = figure_img(fig, "entity confusion")
            counts = table(["error", "count"], [[k.replace("_", " "), v] for k, v in self.error_counts.items()])
            parts.append(section("Where the errors are", counts, chart,
                                 note="Rows: gold entities by the type predicted on the same words; "
                                      "(none) = missed, or a prediction with no gold entity."))
        if self.errors:
            rows = [[e["kind"].replace("_", " "), e["gold"], e["predicted"], e["sentence"]] for e in self.errors]
            parts.append(section(f"Errors (first {len(self.errors)})",
                                 table(["kind", "gold", "predicted", "sentence"], rows)))
        return page("NER evaluation", *parts)

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]


def _prf(tp: int, n_pred: int, n_true: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": n_true}


def entity_scores(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], *,
    tokens: Sequence[Sequence[str]] | None = None,
) -> NERReport:
    """Entity-level P/R/F1 like ``seqeval.metrics.classification_report`` (default mode); with
    ``tokens``, also the error analysis (:class:`NERReport`).

    Examples
    --------
    >>> r = entity_scores([["B-PER", "I-PER", "O", "B-ORG"]], [["B-PER", "I-PER", "O", "O"]])
    >>> r.micro["precision"], r.micro["recall"], round(r.micro["f1"], 3)
    (1.0, 0.5, 0.667)
    >>> r = entity_scores([["B-ORG", "I-ORG", "O"]], [["B-LOC", "I-LOC", "O"]], tokens=[["Acme", "Bank", "pays"]])
    >>> r.error_counts, r.errors[0]["gold"], r.errors[0]["predicted"]
    ({'missed': 0, 'spurious': 0, 'wrong_type': 1, 'wrong_boundary': 0}, 'Acme Bank (ORG)', 'Acme Bank (LOC)')
    """
    if len(y_true) != len(y_pred) or any(
        len(a) != len(b) for a, b in zip(y_true, y_pred, strict=True)
    ):
        raise InvalidDataError("y_true and y_pred must have the same sentences and lengths; got a mismatch.")
    true = {(i, *s) for i, tags in enumerate(y_true) for s in extract_entities(tags)}
    pred = {(i, *s) for i, tags in enumerate(y_pred) for s in extract_entities(tags)}
    types = sorted({s[1] for s in true | pred})
    per_type = {}
    for t in types:
        tt = {s for s in true if s[1] == t}
        pp = {s for s in pred if s[1] == t}
        per_type[t] = _prf(len(tt & pp), len(pp), len(tt))
    report = NERReport(_prf(len(true & pred), len(pred), len(true)), per_type)
    if tokens is not None:
        if len(tokens) != len(y_true):
            raise InvalidDataError(f"tokens must hold one list per sentence; got {len(tokens)} for {len(y_true)}.")
        _analyse(report, tokens, true, pred)
    return report


Entity = tuple[int, str, int, int]  # sentence, type, first word, last word


def _analyse(report: NERReport, tokens: Sequence[Sequence[str]], true: set[Entity], pred: set[Entity]) -> None:
    """Fill the report's error counts, examples and confusion table."""
    by_sent: dict[int, list[Entity]] = {}
    for p in pred:
        by_sent.setdefault(p[0], []).append(p)
    confusion: dict[str, Counter[str]] = {}
    kinds: Counter[str] = Counter({k: 0 for k in ERROR_KINDS})
    errors: list[dict[str, Any]] = []
    covered: set[Entity] = set()

    def name(e: Entity) -> str:
        return f"{' '.join(tokens[e[0]][e[2] : e[3] + 1])} ({e[1]})"

    def note(kind: str, sent: int, gold: Entity | None, guess: Entity | None) -> None:
        kinds[kind] += 1
        if len(errors) < MAX_EXAMPLES:
            errors.append({"kind": kind, "sentence_index": sent, "gold": name(gold) if gold else None,
                           "predicted": name(guess) if guess else None, "sentence": " ".join(tokens[sent])})

    for g in sorted(true):
        overlap = [p for p in by_sent.get(g[0], []) if p[2] <= g[3] and g[2] <= p[3]]
        covered.update(overlap)
        same = next((p for p in overlap if p[2:] == g[2:]), None)
        guess = same or (overlap[0] if overlap else None)
        confusion.setdefault(g[1], Counter())[guess[1] if guess else NONE] += 1
        if g in pred:
            continue
        if same is not None:
            note("wrong_type", g[0], g, same)
        elif overlap:
            note("wrong_boundary", g[0], g, overlap[0])
        else:
            note("missed", g[0], g, None)
    for p in sorted(pred - covered):
        confusion.setdefault(NONE, Counter())[p[1]] += 1
        note("spurious", p[0], None, p)
    report.error_counts = dict(kinds)
    report.errors = errors
    report.confusion = {k: dict(v) for k, v in sorted(confusion.items())}


