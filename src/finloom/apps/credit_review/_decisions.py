"""Decision bands from the user's cut-offs: approve at or above one score, decline below another."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, model_validator

__all__ = ["BANDS", "Band", "Cutoffs"]

Band = Literal["approve", "refer", "decline"]
BANDS: tuple[Band, ...] = ("approve", "refer", "decline")


class Cutoffs(BaseModel):
    """Score cut-offs: ``score >= approve_at`` approves, ``score < decline_below`` declines, refer between.

    Examples
    --------
    >>> Cutoffs(approve_at=620, decline_below=580).bands(np.array([650.0, 600.0, 500.0]))
    ['approve', 'refer', 'decline']
    >>> try:
    ...     Cutoffs(approve_at=580, decline_below=620)
    ... except ValueError as exc:
    ...     print(exc.errors()[0]["msg"])
    Value error, decline_below must be at most approve_at; got decline_below 620.0 > approve_at 580.0. Swap them.
    """

    # defaults on the default scale (600 points at odds 50:1, 20 PDO): approve at a PD of about 10 %,
    # decline above about 25 %
    approve_at: float = Field(default=550.0, ge=0, le=2000)
    decline_below: float = Field(default=520.0, ge=0, le=2000)

    @model_validator(mode="after")
    def _ordered(self) -> Cutoffs:
        if self.decline_below > self.approve_at:
            raise ValueError(
                f"decline_below must be at most approve_at; got decline_below {self.decline_below} "
                f"> approve_at {self.approve_at}. Swap them."
            )
        return self

    def bands(self, score: np.ndarray) -> list[Band]:
        """The band of every score."""
        s = np.asarray(score, dtype=float)
        out = np.where(
            s >= self.approve_at, "approve", np.where(s < self.decline_below, "decline", "refer")
        )
        return [str(b) for b in out]  # type: ignore[misc]
