"""Grounded text generation: typed facts, template and LLM backends, and a faithfulness guard.

Importing this package is light; torch/transformers and openai load inside the backends.
"""

from finloom.textgen._backends import LocalCausalLM, OpenAICompatible, TextBackend, polish
from finloom.textgen._extract import extract_dates, extract_numbers, parse_chinese_numeral
from finloom.textgen._fact_loader import facts_from_dict, facts_from_json
from finloom.textgen._facts import (
    Claim,
    Fact,
    FactSet,
    Period,
    RenderedText,
    format_date,
    format_value,
)
from finloom.textgen._guard import FaithfulnessGuard, GuardIssue, GuardReport, UnfaithfulTextError
from finloom.textgen._pii import find_pii, mask_pii
from finloom.textgen._template import (
    DEFAULT_DISCLAIMERS,
    GenerationRequest,
    TemplateBackend,
    list_templates,
)

__all__ = [
    "DEFAULT_DISCLAIMERS",
    "Claim",
    "Fact",
    "FactSet",
    "FaithfulnessGuard",
    "GenerationRequest",
    "GuardIssue",
    "GuardReport",
    "LocalCausalLM",
    "OpenAICompatible",
    "Period",
    "RenderedText",
    "TemplateBackend",
    "TextBackend",
    "UnfaithfulTextError",
    "extract_dates",
    "extract_numbers",
    "facts_from_dict",
    "facts_from_json",
    "find_pii",
    "format_date",
    "format_value",
    "list_templates",
    "mask_pii",
    "parse_chinese_numeral",
    "polish",
]
