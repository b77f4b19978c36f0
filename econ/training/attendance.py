"""Attendance per session day, recorded for a class list at once, and the attendance rate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.db import Ids, for_update, utcnow, write_transaction
from econ.errors import CommonCode, DomainError, NotFound
from econ.participants import validation as v
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.training.access import reach
from econ.training.cohorts import get_cohort
from econ.training.errors import TrainingCode
from econ.training.models import ATTENDANCE_STATUSES, Attendance, Cohort, Enrollment
from econ.training.rules import ATTENDING, attendance_rate
from econ.training.transitions import move
from econ.training.validation import is_session_day, required_date

MAX_ENTRIES = 500
FIRST_DAY_REASON = "first attendance day recorded"


@dataclass(frozen=True)
class AttendanceSummary:
    present: int
    absent: int
    excused: int

    @property
    def recorded_days(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.present, self.recorded_days, self.excused)


EMPTY = AttendanceSummary(0, 0, 0)


def _check_day(cohort: Cohort, day: dt.date, today: dt.date) -> None:
    if cohort.status == "CANCELLED":
        raise DomainError(TrainingCode.COHORT_CANCELLED, "the cohort was cancelled", "cohortId")
    if not cohort.start_date <= day <= cohort.end_date:
        raise DomainError(
            TrainingCode.DATE_OUTSIDE_COHORT,
            f"{day} is outside the cohort ({cohort.start_date} to {cohort.end_date})",
            "date",
        )
    if day > today:
        raise DomainError(
            CommonCode.FUTURE_DATE, "attendance is recorded on or after the day", "date"
        )
    if not is_session_day(day, cohort.session_days):
        raise DomainError(
            TrainingCode.NOT_A_SESSION_DAY,
            f"{day} is not a session day ({', '.join(cohort.session_days)})",
            "date",
        )


def _clean_entries(entries: list[dict]) -> list[tuple[int, str]]:
    if not entries:
        raise DomainError(CommonCode.REQUIRED, "list at least one participant", "entries")
    if len(entries) > MAX_ENTRIES:
        raise DomainError(CommonCode.TOO_MANY, f"at most {MAX_ENTRIES} entries", "entries")
    cleaned, seen = [], set()
    for index, entry in enumerate(entries):
        field = f"entries.{index}"
        try:
            eid = int(entry.get("enrollment_id"))
        except (TypeError, ValueError):
            raise NotFound("enrollment", f"{field}.enrollmentId") from None
        if eid in seen:
            raise DomainError(TrainingCode.DUPLICATE_ENTRY, "an enrolment is listed twice", field)
        seen.add(eid)
        status = v.one_of(entry.get("status"), ATTENDANCE_STATUSES, f"{field}.status")
        cleaned.append((eid, status))
    return cleaned


def record_attendance(
    actor: Actor | None,
    cohort_id: int,
    date: str | dt.date,
    entries: list[dict],
    *,
    today: dt.date | None = None,
) -> list[Attendance]:
    """Record (or correct) one session day for the class list given.

    Every entry must name an ENROLLED or ACTIVE enrolment of this cohort in the counselor's
    caseload; one bad entry rejects the whole list. A first day moves ENROLLED to ACTIVE.
    """
    actor = require_role(actor, Role.COUNSELOR)
    cohort = get_cohort(actor, cohort_id)
    day = required_date(date, "date")
    _check_day(cohort, day, today or dt.date.today())
    cleaned = _clean_entries(entries)
    with write_transaction():
        for_update(Cohort.select().where(Cohort.id == cohort.id)).get()
        ids = [eid for eid, _ in cleaned]
        found = {e.id: e for e in reach(Enrollment.select().where(Enrollment.id.in_(ids)), actor)}
        for index, (eid, _) in enumerate(cleaned):
            _check_entry(found.get(eid), cohort, f"entries.{index}.enrollmentId")
        now = utcnow()
        rows = [
            {
                "enrollment": eid,
                "cohort": cohort.id,
                "date": day,
                "status": status,
                "recorded_at": now,
                "recorded_by": actor.user_id,
            }
            for eid, status in cleaned
        ]
        Attendance.insert_many(rows).on_conflict(
            conflict_target=[Attendance.enrollment, Attendance.date],
            update={
                Attendance.status: pw.EXCLUDED.status,
                Attendance.recorded_at: pw.EXCLUDED.recorded_at,
                Attendance.recorded_by: pw.EXCLUDED.recorded_by,
            },
        ).execute()
        for eid in ids:
            enrollment = found[eid]
            if enrollment.status == "ENROLLED":
                move(enrollment, "ACTIVE", FIRST_DAY_REASON, actor, automatic=True)
            audit.record(
                actor,
                "record_attendance",
                "Enrollment",
                eid,
                participant_id=enrollment.participant_id,
                fields=("attendance",),
            )
    return list(
        Attendance.select()
        .where((Attendance.enrollment.in_(ids)) & (Attendance.date == day))
        .order_by(Attendance.enrollment)
    )


def _check_entry(enrollment: Enrollment | None, cohort: Cohort, field: str) -> None:
    if enrollment is None:
        raise NotFound("enrollment", field)
    if enrollment.cohort_id != cohort.id:
        raise DomainError(
            TrainingCode.NOT_ENROLLED, "this enrolment belongs to another cohort", field
        )
    if enrollment.status not in ATTENDING:
        raise DomainError(
            TrainingCode.NOT_ENROLLED,
            f"the enrolment is {enrollment.status}: attendance needs ENROLLED or ACTIVE",
            field,
        )


def summaries(enrollment_ids: Iterable[int]) -> dict[int, AttendanceSummary]:
    """enrollment id -> counts by status, one grouped query."""
    ids = list(set(enrollment_ids))
    result = dict.fromkeys(ids, EMPTY)
    if not ids:
        return result
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Attendance.select(Attendance.enrollment, Attendance.status, pw.fn.COUNT(Attendance.id))
        .where(Attendance.enrollment.in_(Ids(ids)))
        .group_by(Attendance.enrollment, Attendance.status)
        .tuples()
    )
    for eid, status, n in rows:
        counts.setdefault(eid, {})[status] = n
    for eid, by_status in counts.items():
        result[eid] = AttendanceSummary(
            by_status.get("PRESENT", 0), by_status.get("ABSENT", 0), by_status.get("EXCUSED", 0)
        )
    return result


def days_by_enrollment(enrollment_ids: Iterable[int]) -> dict[int, list[Attendance]]:
    """enrollment id -> its attendance rows by date, one query."""
    ids = list(set(enrollment_ids))
    result: dict[int, list[Attendance]] = {eid: [] for eid in ids}
    if ids:
        rows = Attendance.select().where(Attendance.enrollment.in_(Ids(ids)))
        for row in rows.order_by(Attendance.date):
            result[row.enrollment_id].append(row)
    return result
