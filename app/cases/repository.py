"""All SQL of cases: create, find the responsible professional's cases, save the preparation."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlmodel import Session, col, select

from app.cases.models import Case
from app.clock import utcnow
from app.errors import AppError
from app.meetings.models import Meeting
from app.meetings.repository import new_id


def create_case(
    session: Session,
    responsible_id: int,
    label: str,
    responsible_role: str,
    prep: dict[str, Any],
    unit: str = "",
) -> Case:
    """A new case (label, role and preparation already checked by the domain)."""
    case = Case(
        id=new_id("c"),
        label=label,
        responsible_id=responsible_id,
        responsible_role=responsible_role,
        unit=unit[:80],
        preparation_json=json.dumps(prep, ensure_ascii=False),
    )
    session.add(case)
    session.flush()
    return case


def cases_of(session: Session, responsible_id: int) -> list[Case]:
    """The professional's cases, the most recently worked on first."""
    stmt = (
        select(Case)
        .where(Case.responsible_id == responsible_id)
        .order_by(col(Case.updated_at).desc(), col(Case.id))
    )
    return list(session.exec(stmt).all())


def case_for(session: Session, case_id: str, responsible_id: int) -> Case:
    """The case if this professional is responsible for it; for anyone else it does not exist,
    so that not even its label leaks."""
    case = session.get(Case, case_id)
    if case is None or case.responsible_id != responsible_id:
        raise AppError("not_found", "No such process.")
    return case


def save_details(session: Session, case: Case, label: str, responsible_role: str) -> None:
    """A new label or responsibility (already checked)."""
    case.label = label
    case.responsible_role = responsible_role
    case.updated_at = utcnow()
    session.add(case)


def save_preparation(session: Session, case: Case, prep: dict[str, Any]) -> None:
    """The preparation (already validated by the domain) written back."""
    case.preparation_json = json.dumps(prep, ensure_ascii=False)
    case.updated_at = utcnow()
    session.add(case)


def meetings_of_case(session: Session, case_id: str) -> list[Meeting]:
    """The case's meetings, oldest first: the process as it went."""
    stmt = (
        select(Meeting)
        .where(Meeting.case_id == case_id)
        .order_by(col(Meeting.created_at), col(Meeting.id))
    )
    return list(session.exec(stmt).all())


def meeting_counts(session: Session, case_ids: list[str]) -> Counter[str]:
    """How many meetings each of these cases has had."""
    if not case_ids:
        return Counter()
    stmt = select(Meeting.case_id).where(col(Meeting.case_id).in_(case_ids))
    return Counter(str(case_id) for case_id in session.exec(stmt).all())
