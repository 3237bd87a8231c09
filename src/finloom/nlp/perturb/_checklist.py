"""CheckList-style behavioural tests per task: invariance (INV: a label-preserving perturbation must
not change the prediction) and directional (DIR: "rose" -> "fell" must turn bullish into bearish)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from finloom.errors import ConfigError, InvalidDataError
from finloom.nlp.perturb._core import kind_seed, perturb, perturb_tokens
from finloom.nlp.perturb._lexicon import load_lexicon

__all__ = ["INVARIANCE_KINDS", "SENTIMENT_FLIPS", "TASKS", "CheckCase", "CheckResult", "checklist_suite",
           "run_checklist"]

TASKS = ("intent", "sentiment", "ner")
INVARIANCE_KINDS = {
    "intent": ("typo_keyboard", "case", "punctuation", "emoji", "synonym", "number", "entity", "fullwidth"),
    "sentiment": ("typo_keyboard", "case", "punctuation", "emoji", "number", "entity", "fullwidth"),
    "ner": ("typo_keyboard", "case", "punctuation", "emoji", "number", "entity"),
}
# the label a directional swap must produce (sentiment); the usual spellings of the two poles
SENTIMENT_FLIPS = {"bullish": "bearish", "bearish": "bullish", "positive": "negative", "negative": "positive",
                   "利好": "利空", "利空": "利好", "正面": "负面", "负面": "正面"}


@dataclass
class CheckCase:
    """One test case: ``INV`` expects the original prediction (or, for ``ner``, the re-aligned gold
    entities) on ``perturbed``; ``DIR`` expects ``expected``."""

    test: str
    type: str
    original: Any
    perturbed: Any
    expected: Any


@dataclass
class CheckResult:
    """Failures of one test (``failure_rate`` = failed / n) with a few failing cases."""

    test: str
    type: str
    n: int
    failed: int
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failure_rate(self) -> float:
        """Share of the cases that failed (0 when the test has no case)."""
        return self.failed / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict."""
        return {**asdict(self), "failure_rate": self.failure_rate}


def checklist_suite(
    task: str, texts: Sequence[Any], labels: Sequence[Any], *, seed: int = 0, n_per_test: int = 50,
    severity: float = 0.2, flips: Mapping[str, str] | None = None,
) -> list[CheckCase]:
    """Invariance tests for ``task`` (``"intent"``, ``"sentiment"``, ``"ner"``) and, for sentiment,
    directional tests on texts holding exactly one lexicon direction word whose label has an opposite
    in ``flips`` (default :data:`SENTIMENT_FLIPS`). For ``ner`` ``texts`` are token lists and
    ``labels`` tag lists. At most ``n_per_test`` cases per test, from texts the kind changes.

    Examples
    --------
    >>> cases = checklist_suite("sentiment", ["Shares rose after results"], ["bullish"], n_per_test=5)
    >>> [(c.test, c.expected) for c in cases if c.type == "DIR"]
    [('directional', 'bearish')]
    """
    if task not in TASKS:
        raise ConfigError(f"task must be one of {', '.join(TASKS)}; got {task!r}.")
    if len(texts) != len(labels):
        raise InvalidDataError(f"texts and labels must have the same length; got {len(texts)} and {len(labels)}.")
    cases: list[CheckCase] = []
    for kind in INVARIANCE_KINDS[task]:
        made = 0
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            if made >= n_per_test:
                break
            rng = kind_seed(seed, kind, severity, i)
            if task == "ner":
                new, tags = perturb_tokens(list(text), list(label), kind, severity=severity, seed=rng)
                if new != list(text):
                    cases.append(CheckCase(kind, "INV", list(text), new, tags))
                    made += 1
            elif (new_text := perturb(str(text), kind, severity=severity, seed=rng)) != text:
                cases.append(CheckCase(kind, "INV", str(text), new_text, None))
                made += 1
    if task == "sentiment":
        cases += _directional(texts, labels, dict(flips or SENTIMENT_FLIPS), n_per_test)
    return cases


def _directional(texts: Sequence[Any], labels: Sequence[Any], flips: dict[str, str], limit: int) -> list[CheckCase]:
    from finloom.nlp.perturb._core import _directional_sites

    lex = load_lexicon()
    out: list[CheckCase] = []
    for text, label in zip(texts, labels, strict=True):
        if len(out) >= limit:
            break
        if str(label) not in flips or len(_directional_sites(str(text), lex)) != 1:
            continue
        out.append(CheckCase("directional", "DIR", str(text), perturb(str(text), "directional", severity=1.0),
                             flips[str(label)]))
    return out


def run_checklist(model: Any, cases: Sequence[CheckCase], *, max_examples: int = 5) -> list[CheckResult]:
    """Run ``cases`` through ``model`` (a classifier's ``predict`` or a tagger's) and count failures.

    Examples
    --------
    >>> class Echo:
    ...     def predict(self, texts): return ["bearish" if "fell" in t else "bullish" for t in texts]
    >>> cases = checklist_suite("sentiment", ["Shares rose"], ["bullish"], n_per_test=1)
    >>> {r.test: r.failed for r in run_checklist(Echo(), cases)}["directional"]
    0
    """
    if not cases:
        return []
    from finloom.nlp.perturb._report import _correct

    ner = isinstance(cases[0].original, list)
    originals = model.predict([c.original for c in cases])
    perturbed = model.predict([c.perturbed for c in cases])
    results: dict[str, CheckResult] = {}
    for case, before, after in zip(cases, originals, perturbed, strict=True):
        if ner:
            ok = _correct(case.expected, list(after), True)
        elif case.type == "DIR":
            ok = str(after) == str(case.expected)
        else:
            ok = str(after) == str(before)
        res = results.setdefault(case.test, CheckResult(case.test, case.type, 0, 0))
        res.n += 1
        if not ok:
            res.failed += 1
            if len(res.examples) < max_examples:
                res.examples.append({"original": case.original, "perturbed": case.perturbed,
                                     "before": before if not ner else list(before), "after": after if not ner
                                     else list(after), "expected": case.expected})
    return list(results.values())


