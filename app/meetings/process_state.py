"""The process's part of a meeting's state: the preparation the family brought, the review of
the last plan, the next meeting, the family's summary link, the retention date. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REVIEW_STATUSES = ("done", "partly", "not_yet")


@dataclass
class Review:
    """The previous meeting's plan steps, looked at together at the start of this one."""

    steps: list[dict[str, Any]]
    previous_wellbeing: float | None = None
    marks: dict[str, str] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)  # private: participant -> 0..10
    baseline: bool = False  # a case's first meeting: only the family's starting point, no steps

    def wellbeing(self) -> dict[str, Any]:
        values = list(self.scores.values())
        average = round(sum(values) / len(values), 1) if values else None
        return {"count": len(values), "average": average}

    def view(self, viewer: str | None) -> dict[str, Any]:
        """The review as one person sees it: everyone's average, and their own answer."""
        return {
            "steps": self.steps,
            "marks": dict(self.marks),
            "previous_wellbeing": self.previous_wellbeing,
            "wellbeing": self.wellbeing(),
            "mine": self.scores.get(viewer) if viewer else None,
            "baseline": self.baseline,
        }


@dataclass
class Process:
    """Everything of the process that a meeting holds."""

    preparation: dict[str, Any] | None = None
    review: Review | None = None
    next_meeting: dict[str, Any] | None = None
    summary: dict[str, Any] | None = None
    retain_until: str | None = None

    def view(self, viewer: str | None) -> dict[str, Any]:
        return {
            "preparation": self.preparation,
            "review": self.review.view(viewer) if self.review else None,
            "next_meeting": self.next_meeting,
            "summary": self.summary,
            "retain_until": self.retain_until,
        }
