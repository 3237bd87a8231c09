"""Insights: automatic, tested, ranked findings from any dataset, told in guarded sentences."""

from finloom.apps.insights._find import InsightSet, find_insights, rank
from finloom.apps.insights._roles import Roles, infer_roles
from finloom.apps.insights._stats import Candidate

__all__ = ["Candidate", "InsightSet", "Roles", "find_insights", "infer_roles", "rank"]
