"""Typed parameters of the ``insights.run`` job kind (API body, web form, CLI options)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from finloom.jobs import DatasetName, JobContext, JobParams, Seed, Version

__all__ = ["InsightsParams"]

Column = Annotated[str, Field(min_length=1, max_length=200)]


class InsightsParams(JobParams):
    """``insights.run``: tested, ranked insights of a registered dataset as a guarded report.

    Examples
    --------
    >>> InsightsParams(dataset="loans", lang="zh").top
    10
    """

    kind = "insights.run"
    dataset: DatasetName
    version: Version = None
    lang: Literal["en", "zh"] = "en"
    target: Column | None = Field(default=None, description="Outcome column; inferred when empty.")
    time: Column | None = Field(
        default=None, description="Date column; the first datetime column when empty."
    )
    measures: list[Column] | None = Field(
        default=None, max_length=200, description="Numeric columns to analyse."
    )
    dimensions: list[Column] | None = Field(
        default=None, max_length=200, description="Columns to slice by."
    )
    alpha: float = Field(
        default=0.05, gt=0, lt=1, description="False discovery rate (Benjamini-Hochberg)."
    )
    top: int = Field(default=10, ge=1, le=50, description="Most insights to report.")
    min_support: float = Field(
        default=0.05, gt=0, lt=0.5, description="Smallest segment, as a share of rows."
    )
    question: str | None = Field(
        default=None,
        max_length=500,
        description="A drill-down question, e.g. 'why did defaults rise in March?'.",
    )
    where: dict[Column, Annotated[str, Field(max_length=200)]] = Field(
        default_factory=dict, max_length=10, description="Slice filter {column: value}."
    )
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)
