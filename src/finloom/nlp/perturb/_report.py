"""Robustness report: a model's score (accuracy, or entity F1 for a tagger) per perturbation kind
and severity, with the examples whose prediction flipped; JSON, an HTML section with a chart, a table."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from finloom._base import ProgressCallback, noop_progress
from finloom._io import atomic_write_text
from finloom._serialization import to_jsonable
from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp.perturb._core import KINDS, LABEL_PRESERVING, kind_seed, perturb, perturb_tokens

__all__ = ["DEFAULT_SEVERITIES", "RobustnessReport", "is_tagger", "robustness_report"]

DEFAULT_SEVERITIES = (0.1, 0.3)


def is_tagger(model: Any) -> bool:
    """Whether ``model`` tags tokens (a :class:`~finloom.nlp.TokenTagger`) rather than classifying texts."""
    return hasattr(model, "predict_spans") or type(model).__name__ == "TokenTagger"


@dataclass
class RobustnessReport:
    """Score per perturbation kind and severity, next to the clean score.

    ``cells``: one dict per (kind, severity): ``score``, ``drop`` (clean - score), ``n_changed``
    (texts the kind altered; unchanged texts keep their clean prediction), ``n_flipped`` (right
    before, wrong after) and up to ``max_examples`` flipped ``examples``.

    Examples
    --------
    >>> r = RobustnessReport("accuracy", 0.9, 10, [{"kind": "case", "severity": 0.1, "score": 0.8,
    ...     "drop": 0.1, "n_changed": 10, "n_flipped": 1, "examples": []}], seed=0)
    >>> r.worst()
    ('case', 0.8)
    >>> r.by_kind(0.1)
    {'case': 0.8}
    """

    metric: str
    clean: float
    n: int
    cells: list[dict[str, Any]]
    seed: int = 0
    skipped: list[str] = field(default_factory=list)

    def by_kind(self, severity: float | None = None) -> dict[str, float]:
        """Kind -> score at ``severity`` (default: the highest severity measured for that kind)."""
        out: dict[str, tuple[float, float]] = {}
        for c in self.cells:
            if severity is not None and not np.isclose(c["severity"], severity):
                continue
            if c["kind"] not in out or c["severity"] > out[c["kind"]][0]:
                out[c["kind"]] = (c["severity"], c["score"])
        return {k: v[1] for k, v in out.items()}

    def worst(self, severity: float | None = None) -> tuple[str | None, float | None]:
        """(kind, score) of the lowest-scoring kind at ``severity``; (None, None) without cells."""
        scores = self.by_kind(severity)
        if not scores:
            return None, None
        kind = min(scores, key=lambda k: (scores[k], k))
        return kind, scores[kind]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict."""
        kind, score = self.worst()
        return dict(to_jsonable({"metric": self.metric, "clean": self.clean, "n": self.n, "seed": self.seed,
                                 "worst_kind": kind, "worst_score": score, "cells": self.cells,
                                 "skipped": self.skipped}))

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RobustnessReport:
        """Rebuild a report from :meth:`to_dict` output (e.g. a saved ``robustness.json``)."""
        return cls(str(doc["metric"]), float(doc["clean"]), int(doc["n"]), list(doc["cells"]),
                   int(doc.get("seed", 0)), list(doc.get("skipped", [])))

    def rows(self) -> list[list[str]]:
        """Table rows: kind, severity, score, drop in points, changed, flipped."""
        return [[c["kind"], f"{c['severity']:g}", f"{c['score']:.4f}", f"{100 * c['drop']:+.1f}",
                 str(c["n_changed"]), str(c["n_flipped"])] for c in self.cells]

    def chart_png(self) -> bytes:
        """Score per kind (one bar group per severity) against the clean score, as a PNG."""
        from finloom.evaluate._html import new_figure, png_bytes

        kinds = list(dict.fromkeys(c["kind"] for c in self.cells))
        severities = sorted({c["severity"] for c in self.cells})
        with new_figure(max(5.0, 0.55 * len(kinds) + 2), 3.6) as fig:
            ax = fig.add_subplot()
            width = 0.8 / max(1, len(severities))
            for j, sev in enumerate(severities):
                scores = self.by_kind(sev)
                ax.bar(np.arange(len(kinds)) + j * width, [scores.get(k, np.nan) for k in kinds], width,
                       label=f"severity {sev:g}")
            ax.axhline(self.clean, color="black", linestyle="--", linewidth=1, label="clean")
            ax.set_xticks(np.arange(len(kinds)) + 0.4 - width / 2, kinds, rotation=45, ha="right", fontsize=8)
            ax.set_ylabel(self.metric)
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7, loc="lower left")
            fig.tight_layout()
            return png_bytes(fig, dpi=90)

    def html_section(self) -> str:
        """The report as one HTML section (chart, table, flipped examples) for model pages and reports."""
        import base64

        from finloom.evaluate import _html

        png = base64.b64encode(self.chart_png()).decode() if self.cells else ""
        kind, score = self.worst()
        head = {"metric": self.metric, f"clean {self.metric}": self.clean, "texts": self.n,
                "worst kind": kind or "-", "worst score": score}
        examples = [[c["kind"], f"{c['severity']:g}", str(e["original"])[:300], str(e["perturbed"])[:300],
                     str(e["expected"])[:120], str(e["predicted"])[:120]]
                    for c in self.cells for e in c["examples"][:2]]
        body = (_html.key_value_table(head)
                + (f'<img alt="robustness chart" src="data:image/png;base64,{png}">' if png else "")
                + _html.table(["kind", "severity", self.metric, "drop (points)", "changed", "flipped"], self.rows())
                + _html.table(["kind", "severity", "original", "perturbed", "expected", "predicted"], examples))
        return _html.section("Robustness", body)

    def to_html(self) -> str:
        """A standalone HTML page with :meth:`html_section`."""
        from finloom.evaluate import _html

        return _html.page("Robustness report", self.html_section())

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``robustness.json`` and ``robustness.html`` into ``directory``."""
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(root / "robustness.json", json.dumps(self.to_dict(), indent=2, ensure_ascii=False))
        atomic_write_text(root / "robustness.html", self.to_html())
        return root


def _check_inputs(model: Any, texts: Sequence[Any], labels: Sequence[Any], kinds: Sequence[str] | None,
                  severities: Sequence[float]) -> tuple[bool, list[str]]:
    tagger = is_tagger(model)
    if len(texts) == 0:
        raise InvalidDataError("texts must hold at least one example; got none. Pass the labelled test texts.")
    if len(texts) != len(labels):
        raise InvalidDataError(f"texts and labels must have the same length; got {len(texts)} and {len(labels)}.")
    if getattr(model, "multi_label", False):
        raise ConfigError("model must be a single-label classifier or a tagger; got a multi-label classifier. "
                          "Score each label's robustness with a single-label model.")
    chosen = list(kinds) if kinds is not None else list(LABEL_PRESERVING)
    bad = [k for k in chosen if k not in KINDS]
    if bad:
        raise ConfigError(f"kinds must be among {', '.join(KINDS)}; got {bad}. Leave kinds empty for every "
                          "label-preserving kind.")
    for s in severities:
        if isinstance(s, bool) or not isinstance(s, int | float) or not 0 < float(s) <= 1:
            raise ConfigError(f"severities must be floats in (0, 1]; got {s!r}. Try 0.1 and 0.3.")
    return tagger, chosen


def robustness_report(
    model: Any, texts: Sequence[Any], labels: Sequence[Any], kinds: Sequence[str] | None = None,
    severities: Sequence[float] = DEFAULT_SEVERITIES, seed: int = 0, *, max_examples: int = 5,
    progress: ProgressCallback = noop_progress,
) -> RobustnessReport:
    """Score ``model`` on ``texts`` perturbed by each kind at each severity.

    ``model`` is a fitted classifier (``predict(texts)``; score: accuracy) or a
    :class:`~finloom.nlp.TokenTagger` (``texts`` = token lists, ``labels`` = BIO/IO tag lists;
    score: entity micro F1, the tags re-aligned to the perturbed tokens). ``kinds`` defaults to
    every label-preserving kind (for taggers, those defined on tokens). Text ``i`` under a kind and
    severity is seeded by ``(seed, kind, severity, i)``, so reports are reproducible and a cell does
    not depend on the others.

    Examples
    --------
    >>> class Upper:  # a toy model: "shout" when the text is upper case
    ...     def predict(self, texts): return ["shout" if t.isupper() else "talk" for t in texts]
    >>> r = robustness_report(Upper(), ["hello there", "card lost"], ["talk", "talk"],
    ...                       kinds=["case", "emoji"], severities=[1.0])
    >>> r.clean, r.by_kind()["emoji"], r.by_kind()["case"] <= 1.0
    (1.0, 1.0, True)
    """
    tagger, chosen = _check_inputs(model, texts, labels, kinds, severities)
    skipped = [k for k in chosen if tagger and not KINDS[k].tokens]
    chosen = [k for k in chosen if k not in skipped]
    items: list[Any]
    gold: list[Any]
    if tagger:
        items = [[str(w) for w in s] for s in texts]
        gold = [[str(t) for t in s] for s in labels]
    else:
        items, gold = [str(t) for t in texts], [str(y) for y in labels]
    progress(0.0, f"scoring {len(items)} clean examples")
    clean_pred = _predict(model, items, tagger)
    clean = _score(gold, clean_pred, tagger)
    right = [_correct(g, p, tagger) for g, p in zip(gold, clean_pred, strict=True)]
    cells = []
    grid = [(k, float(s)) for k in chosen for s in severities]
    for n_done, (kind, sev) in enumerate(grid):
        progress(0.05 + 0.95 * n_done / max(1, len(grid)), f"{kind} at severity {sev:g}")
        cells.append(_cell(model, items, gold, clean_pred, right, kind, sev, seed, tagger, clean, max_examples))
    progress(1.0, "done")
    metric = "entity_f1" if tagger else "accuracy"
    return RobustnessReport(metric, clean, len(items), cells, seed=seed, skipped=skipped)


def _cell(model: Any, items: list[Any], gold: list[Any], clean_pred: list[Any], right: list[bool], kind: str,
          sev: float, seed: int, tagger: bool, clean: float, max_examples: int) -> dict[str, Any]:
    new_items: list[Any] = []
    new_gold: list[Any] = []
    for i, (item, g) in enumerate(zip(items, gold, strict=True)):
        rng = kind_seed(seed, kind, sev, i)
        if tagger:
            w, t = perturb_tokens(item, g, kind, severity=sev, seed=rng)
            new_items.append(w)
            new_gold.append(t)
        else:
            new_items.append(perturb(item, kind, severity=sev, seed=rng))
            new_gold.append(g)
    changed = [i for i in range(len(items)) if new_items[i] != items[i]]
    pred = list(clean_pred)
    if changed:
        for i, p in zip(changed, _predict(model, [new_items[i] for i in changed], tagger), strict=True):
            pred[i] = p
    score = _score(new_gold, pred, tagger)
    flipped = [i for i in changed if right[i] and not _correct(new_gold[i], pred[i], tagger)]
    examples = [{"original": _show(items[i], tagger), "perturbed": _show(new_items[i], tagger),
                 "expected": _show(new_gold[i], tagger), "predicted": _show(pred[i], tagger)}
                for i in flipped[:max_examples]]
    return {"kind": kind, "severity": sev, "score": score, "drop": clean - score, "n_changed": len(changed),
            "n_flipped": len(flipped), "examples": examples}


def _show(item: Any, tagger: bool) -> str:
    return " ".join(item) if tagger else str(item)


def _predict(model: Any, items: list[Any], tagger: bool) -> list[Any]:
    if not items:
        return []
    if tagger:
        return [list(p) for p in model.predict(items)]
    return [str(p) for p in model.predict(items)]


def _correct(gold: Any, pred: Any, tagger: bool) -> bool:
    if not tagger:
        return bool(gold == pred)
    from finloom.nlp._ner_metrics import extract_entities
    from finloom.nlp._readers import io_to_bio

    return set(extract_entities(io_to_bio(list(gold)))) == set(extract_entities(io_to_bio(list(pred))))


def _score(gold: list[Any], pred: list[Any], tagger: bool) -> float:
    if not tagger:
        return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))
    from finloom.nlp._ner_metrics import entity_scores
    from finloom.nlp._readers import io_to_bio

    return float(entity_scores([io_to_bio(list(g)) for g in gold], [io_to_bio(list(p)) for p in pred]).micro["f1"])
