"""The training rules, one import for callers (GraphQL, tasks, other domains).

Catalogue in `catalogue.py`, cohorts in `cohorts.py`, enrolments in `enrollments.py`,
their completion and skill gains in `completion.py`, attendance in `attendance.py`, state
machine in `rules.py`, reads in `reads.py`.
"""

from __future__ import annotations

from econ.training.attendance import (
    AttendanceSummary,
    days_by_enrollment,
    record_attendance,
    summaries,
)
from econ.training.catalogue import (
    create_program,
    get_program,
    list_programs,
    programs_by_id,
    skills_by_program,
    update_program,
)
from econ.training.cohorts import (
    cancel_cohort,
    cohorts_by_program,
    create_cohort,
    delete_cohort,
    get_cohort,
    list_cohorts,
    update_cohort,
)
from econ.training.completion import complete_enrollment, record_skill_gain
from econ.training.enrollments import (
    decline_request,
    enroll_participant,
    get_enrollment,
    request_enrollment,
    set_enrollment_status,
)
from econ.training.pages import credential_pages, enrollment_pages, request_pages
from econ.training.reads import (
    cohort_enrollments,
    cohorts_by_id,
    credential_reference,
    credentials_by_enrollment,
    credentials_for,
    enrollment_requests,
    enrollments_by_participant,
    histories_by_enrollment,
    participant_credentials,
    participant_enrollments,
    requests_by_participant,
    skill_gains_by_enrollment,
    skill_gains_for,
    waitlist,
)
from econ.training.rules import TRANSITIONS, attendance_rate
from econ.training.skills import LANGUAGES as SKILL_LANGUAGES
from econ.training.skills import chosen_skills, label_of, save_skill_term, vocabulary
from econ.training.transitions import seat_counts

__all__ = [
    "SKILL_LANGUAGES",
    "TRANSITIONS",
    "AttendanceSummary",
    "attendance_rate",
    "cancel_cohort",
    "chosen_skills",
    "cohort_enrollments",
    "cohorts_by_id",
    "cohorts_by_program",
    "complete_enrollment",
    "create_cohort",
    "create_program",
    "credential_pages",
    "credential_reference",
    "credentials_by_enrollment",
    "credentials_for",
    "days_by_enrollment",
    "decline_request",
    "delete_cohort",
    "enroll_participant",
    "enrollment_pages",
    "enrollment_requests",
    "enrollments_by_participant",
    "get_cohort",
    "get_enrollment",
    "get_program",
    "histories_by_enrollment",
    "label_of",
    "list_cohorts",
    "list_programs",
    "participant_credentials",
    "participant_enrollments",
    "programs_by_id",
    "record_attendance",
    "record_skill_gain",
    "request_enrollment",
    "request_pages",
    "requests_by_participant",
    "save_skill_term",
    "seat_counts",
    "set_enrollment_status",
    "skill_gains_by_enrollment",
    "skill_gains_for",
    "skills_by_program",
    "summaries",
    "update_cohort",
    "update_program",
    "vocabulary",
    "waitlist",
]
