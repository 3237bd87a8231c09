"""Perturbation suites for text models: seeded perturbations with a severity, CheckList-style
invariance and directional tests, and the robustness report (score per kind x severity)."""

from __future__ import annotations

from finloom.nlp.perturb._checklist import CheckCase, CheckResult, checklist_suite, run_checklist
from finloom.nlp.perturb._core import (
    KINDS,
    LABEL_PRESERVING,
    Perturbation,
    numbers_in,
    perturb,
    perturb_many,
    perturb_tokens,
)
from finloom.nlp.perturb._lexicon import Lexicon, load_lexicon
from finloom.nlp.perturb._normalize import normalize_text
from finloom.nlp.perturb._report import RobustnessReport, robustness_report
from finloom.nlp.perturb._spelling import SpellingCorrector

__all__ = [
    "KINDS",
    "LABEL_PRESERVING",
    "CheckCase",
    "CheckResult",
    "Lexicon",
    "Perturbation",
    "RobustnessReport",
    "SpellingCorrector",
    "checklist_suite",
    "load_lexicon",
    "normalize_text",
    "numbers_in",
    "perturb",
    "perturb_many",
    "perturb_tokens",
    "robustness_report",
    "run_checklist",
]
