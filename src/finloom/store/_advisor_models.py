"""Table of the robo-advisor's customer risk profiles (one row per completed questionnaire)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from finloom.store._models import Base, utcnow

__all__ = ["AdvisorProfile"]


class AdvisorProfile(Base):
    __tablename__ = "advisor_profiles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(4))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
