"""Insights: automatic, tested, ranked findings from any dataset, told in guarded sentences."""

from finloom.apps.insights._drill import apply_filter, drill_down, parse_question
from finloom.apps.insights._find import InsightSet, find_insights, rank
from finloom.apps.insights._narrate import Narrative, narrate, narrate_one, no_insight_sentence
from finloom.apps.insights._report import (
    InsightReport,
    build_report,
    render_html,
    render_pdf,
    write_report,
)
from finloom.apps.insights._roles import Roles, infer_roles
from finloom.apps.insights._stats import Candidate
from finloom.apps.insights.schemas import InsightsParams
from finloom.apps.insights.service import insights_for, insights_job

__all__ = [
    "Candidate",
    "InsightReport",
    "InsightSet",
    "InsightsParams",
    "Narrative",
    "Roles",
    "apply_filter",
    "build_report",
    "drill_down",
    "find_insights",
    "infer_roles",
    "insights_for",
    "insights_job",
    "narrate",
    "narrate_one",
    "no_insight_sentence",
    "parse_question",
    "rank",
    "render_html",
    "render_pdf",
    "write_report",
]
