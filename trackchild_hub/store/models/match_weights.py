"""The matcher's learned weights: one row per training run (``trackchild-hub match train``), never changed once
written. The highest ``number`` is the current model; the rows before it are its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class MatchWeightsRow(Base):
    __tablename__ = "match_weights"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)  # newest: highest
    version: Mapped[str] = mapped_column(String(40), unique=True)  # "<trained_at>#<number>", shown in explanations
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)  # matching.weights.Weights.to_json()
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # pairs, iterations, converged, m/u: never identifying values
