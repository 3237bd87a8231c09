"""Faithfulness checks as a service: does a text state only what its facts support?

One service for the CLI (``finloom guard check``), the API (``POST /api/guard/check``) and Python.
"""

from finloom.apps.guard.schemas import GuardBatchIn, GuardCheckIn, GuardCheckOut, GuardIssueOut
from finloom.apps.guard.service import check_file, check_item, check_items, read_items

__all__ = [
    "GuardBatchIn",
    "GuardCheckIn",
    "GuardCheckOut",
    "GuardIssueOut",
    "check_file",
    "check_item",
    "check_items",
    "read_items",
]
