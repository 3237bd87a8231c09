"""Typed inputs and results of the faithfulness service (shared by the API, the CLI and Python)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GuardBatchIn", "GuardCheckIn", "GuardCheckOut", "GuardIssueOut"]

MAX_TEXT_CHARS = 100_000
MAX_BATCH = 1_000


class GuardCheckIn(BaseModel):
    """One text and the facts it must be supported by.

    Examples
    --------
    >>> GuardCheckIn(facts={"index": "S&P 500", "change_pct": -2.37}, text="The S&P 500 fell 2.4%.").lang is None
    True
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=200, description="Your reference for the text (kept in results).")
    facts: dict[str, Any] = Field(description="Facts as a JSON object: see the guard guide for key names.")
    text: str = Field(max_length=MAX_TEXT_CHARS, description="The text to check.")
    lang: Literal["en", "zh"] | None = Field(None, description="Language; detected when omitted.")
    require_disclaimer: bool = Field(False, description="Also require the default disclaimer (reports).")


class GuardBatchIn(BaseModel):
    """Several texts, each with its facts (at most 1,000 per request)."""

    model_config = ConfigDict(extra="forbid")

    items: list[GuardCheckIn] = Field(min_length=1, max_length=MAX_BATCH)


class GuardIssueOut(BaseModel):
    """One flagged claim: what, where, which fact it was compared with, and why."""

    kind: str
    reason: str
    start: int
    end: int
    text: str
    explanation: str
    fact_id: str | None = None


class GuardCheckOut(BaseModel):
    """The verdict on one text."""

    id: str | None = None
    ok: bool
    score: float
    n_claims: int
    issues: list[GuardIssueOut]
