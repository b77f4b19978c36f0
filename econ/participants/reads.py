"""Batch reads for other domains (outcomes, employers, the pages): rows for a set of
participants, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

import peewee as pw

from econ.db import Ids, PreparedIn, PreparedShape
from econ.participants.models import Milestone, Participant, Plan, StatusChange


def milestones_of_participants(ids: Iterable[int]) -> list[Milestone]:
    """Their plans' milestones by due date; `m.plan.participant_id` is loaded with them."""
    return _MILESTONES.rows(Ids(ids))


_MILESTONES = PreparedShape(  # a plan overview on every view: SQL built once per shape
    lambda ids: (
        Milestone.select(Milestone, Plan.participant)
        .join(Plan)
        .where(Plan.participant.in_(ids))
        .order_by(Milestone.due_date, Milestone.position, Milestone.id)
    )
)


class OverdueStep(NamedTuple):
    """An open milestone past its date, as the figures a "today" row shows."""

    id: int
    participant_id: int
    title: str
    due_date: dt.date


def overdue_milestones_of_participants(
    ids: Iterable[int], as_of: dt.date, statuses: tuple[str, ...]
) -> list[OverdueStep]:
    """Their milestones in one of `statuses` due before `as_of`, oldest first: figures,
    not models (a model and its joined plan per row cost several times the row)."""
    return [OverdueStep(*row) for row in _OVERDUE.rows(Ids(ids), statuses, as_of)]


_OVERDUE = PreparedShape(  # Today on every view: SQL built once per shape
    lambda ids, statuses, as_of: (
        Milestone.select(Milestone.id, Plan.participant, Milestone.title, Milestone.due_date)
        .join(Plan)
        .where(
            Plan.participant.in_(ids)
            & Milestone.status.in_(statuses)
            & (Milestone.due_date < as_of)
        )
        .order_by(Milestone.due_date, Milestone.position, Milestone.id)
        .tuples()
    )
)


def milestone_summary_of_participants(
    ids: Iterable[int], as_of: dt.date, statuses: tuple[str, ...]
) -> tuple[dict[int, int], dict[int, Milestone]]:
    """(how many of their dated milestones in one of `statuses` are past their date, by
    participant; the first of those due on `as_of` or later, by due date then id, by
    participant) in two queries: the database counts and picks, so a caseload row reads
    one milestone however many steps her plan has. The milestones come with
    `m.plan.participant_id` loaded."""
    ids = Ids(ids)
    overdue = _OVERDUE_COUNTS.rows(ids, statuses, as_of)
    first = _NEXT_MILESTONES.rows(ids, statuses, as_of)
    return dict(overdue), {m.plan.participant_id: m for m in first}


def _overdue_counts(ids: Ids, statuses: tuple[str, ...], as_of: dt.date) -> pw.Query:
    wanted = (
        Plan.participant.in_(ids)
        & Milestone.status.in_(statuses)
        & Milestone.due_date.is_null(False)
    )
    return (
        Milestone.select(Plan.participant, pw.fn.COUNT(Milestone.id))
        .join(Plan)
        .where(wanted & (Milestone.due_date < as_of))
        .group_by(Plan.participant)
        .tuples()
    )


def _next_milestones(ids: Ids, statuses: tuple[str, ...], as_of: dt.date) -> pw.Query:
    place = pw.fn.ROW_NUMBER().over(
        partition_by=[Milestone.plan], order_by=[Milestone.due_date, Milestone.id]
    )
    ranked = (
        Milestone.select(Milestone.id.alias("milestone_id"), place.alias("place"))
        .join(Plan)
        .where(
            Plan.participant.in_(ids)
            & Milestone.status.in_(statuses)
            & (Milestone.due_date >= as_of)
        )
    )
    return (
        Milestone.select(Milestone, Plan.participant)
        .join(Plan)
        .switch(Milestone)
        .join(ranked, on=(Milestone.id == ranked.c.milestone_id))
        .where(ranked.c.place == 1)
    )


# A caseload's reads run on every view of it: their SQL is built once per shape.
_OVERDUE_COUNTS = PreparedShape(_overdue_counts)
_NEXT_MILESTONES = PreparedShape(_next_milestones)


def status_changes_of_participants(ids: Iterable[int]) -> list[StatusChange]:
    return _STATUS_CHANGES.rows(Ids(ids))


_STATUS_CHANGES = PreparedShape(
    lambda ids: (
        StatusChange.select()
        .where(StatusChange.participant.in_(ids))
        .order_by(StatusChange.at, StatusChange.id)
    )
)


def plans_of_participants(ids: Iterable[int]) -> dict[int, Plan]:
    """Their plans by participant id (one query); a participant without a plan is absent."""
    ids = list(ids)
    return {p.participant_id: p for p in _PLANS.rows(Ids(ids))} if ids else {}


_PLANS = PreparedShape(lambda ids: Plan.select().where(Plan.participant.in_(ids)))


class AwaitingAgreement(NamedTuple):
    revision: int
    updated_at: dt.datetime


def plans_awaiting_agreement(ids: Iterable[int]) -> dict[int, AwaitingAgreement]:
    """Their plans whose current revision (after the first) she has not agreed to yet:
    the revision and when it was made, by participant id."""
    rows = _AWAITING.rows(Ids(ids))
    return {pid: AwaitingAgreement(revision, at) for pid, revision, at in rows}


_AWAITING = PreparedShape(  # Today on every view: SQL built once per shape
    lambda ids: (
        Plan.select(Plan.participant, Plan.revision, Plan.updated_at)
        .where(Plan.participant.in_(ids) & (Plan.revision > 0) & Plan.agreed_at.is_null())
        .tuples()
    )
)


def caseload_ids(counselor_id: int) -> list[int]:
    query = Participant.select(Participant.id).where(Participant.counselor == counselor_id)
    return [pid for (pid,) in query.tuples()]


def caseload_participants(counselor_id: int) -> dict[int, Participant]:
    """Her caseload's participants by id, in one query (what `caseload_ids` and then
    `participants_by_id` give in two)."""
    return {p.id: p for p in _CASELOAD_PARTICIPANTS.rows(int(counselor_id))}


_CASELOAD_PARTICIPANTS = PreparedShape(
    lambda counselor_id: (
        Participant.select().where(Participant.counselor == counselor_id).order_by(Participant.id)
    )
)


def pathways_of_participants(ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Their plans' pathways by participant id; a participant without a plan is absent."""
    rows = _PATHWAYS.rows(Ids(ids))
    return {pid: tuple(pathways or ()) for pid, pathways in rows}


_PATHWAYS = PreparedShape(
    lambda ids: (
        Plan.select(Plan.participant, Plan.pathways).where(Plan.participant.in_(ids)).tuples()
    )
)


def all_participant_ids() -> list[int]:
    return [p.id for p in Participant.select(Participant.id)]


def milestone_participant_id(milestone_id: int) -> int | None:
    row = (
        Milestone.select(Plan.participant)
        .join(Plan)
        .where(Milestone.id == milestone_id)
        .tuples()
        .first()
    )
    return row[0] if row else None


def active_caseload(counselor_id: int, excluding: pw.ModelSelect) -> list[Participant]:
    """A counselor's ACTIVE participants whose id is not in `excluding` (a query of
    participant ids, e.g. those already referred), by id; one query."""
    return list(
        Participant.select()
        .where(
            (Participant.counselor == counselor_id)
            & (Participant.status == "ACTIVE")
            & Participant.id.not_in(excluding)
        )
        .order_by(Participant.id)
    )


def preferred_language(participant_id: int) -> str | None:
    """Her chosen language for her pages (None: none chosen, or no such participant)."""
    row = (
        Participant.select(Participant.preferred_language)
        .where(Participant.id == participant_id)
        .first()
    )
    return row.preferred_language if row else None


def registered_on(participant_id: int) -> dt.date:
    """The day her record was registered."""
    return Participant.get_by_id(participant_id).created_at.date()


def codes_by_id(participant_ids: Iterable[int]) -> dict[int, str]:
    """Their participant codes by id (one query of two columns)."""
    return dict(_CODES.rows(list(participant_ids)))


# A run page's exceptions and lines name their participants by code on every view: the
# read is built once per count of ids (econ.db.PreparedIn).
_CODES = PreparedIn(
    lambda ids: (
        Participant.select(Participant.id, Participant.code).where(Participant.id.in_(ids)).tuples()
    )
)
