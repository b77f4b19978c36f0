"""Tables of the training domain.

"Live" markers (`live_marker`, `pending_marker`) are 1 while a row blocks a duplicate and
NULL once it no longer does: a unique index over (cohort, participant, marker) then allows
any number of closed rows but only one open one, on SQLite and PostgreSQL alike (NULLs are
distinct in unique indexes on both).

Tables are named `training_*`: names such as `attendance` exist in other domains.
"""

from __future__ import annotations

import peewee as pw

from econ.db import BaseModel, JSONField, MoneyField, utcnow
from econ.participants.models import Participant

FORMATS = ("IN_PERSON", "ONLINE", "HYBRID")
COHORT_STATUSES = ("SCHEDULED", "CANCELLED")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ATTENDANCE_STATUSES = ("PRESENT", "ABSENT", "EXCUSED")
# The five WIOA measurable-skill-gain types (TEGL 10-16; see docs/training.md).
SKILL_GAIN_TYPES = (
    "EDUCATIONAL_FUNCTIONING_LEVEL",
    "SECONDARY_DIPLOMA",
    "TRANSCRIPT",
    "TRAINING_MILESTONE",
    "SKILLS_EXAM",
)
REQUEST_STATUSES = ("PENDING", "ACCEPTED", "DECLINED")


class TrainingProgram(BaseModel):
    title = pw.CharField(max_length=200)
    provider = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    format = pw.CharField(max_length=12)
    languages = JSONField(default=list)  # display order; filtered through ProgramLanguage
    total_hours = pw.DecimalField(max_digits=7, decimal_places=1)
    hours_per_week = pw.DecimalField(max_digits=5, decimal_places=1)
    cost = MoneyField(default=0)
    capacity = pw.IntegerField()
    credential_name = pw.CharField(max_length=200, null=True)
    active = pw.BooleanField(default=True, index=True)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "training_program"


class ProgramSkill(BaseModel):
    """A skill taught: a stable key (an ESCO concept URI fits) and a label."""

    program = pw.ForeignKeyField(TrainingProgram, backref="skill_rows", on_delete="CASCADE")
    key = pw.CharField(max_length=200, index=True)
    label = pw.CharField(max_length=120)
    position = pw.IntegerField(default=0)

    class Meta:
        table_name = "training_program_skill"
        indexes = ((("program", "key"), True),)


class ProgramLanguage(BaseModel):
    program = pw.ForeignKeyField(TrainingProgram, backref="language_rows", on_delete="CASCADE")
    code = pw.CharField(max_length=8, index=True)

    class Meta:
        table_name = "training_program_language"
        indexes = ((("program", "code"), True),)


class Cohort(BaseModel):
    program = pw.ForeignKeyField(TrainingProgram, backref="cohorts", on_delete="RESTRICT")
    start_date = pw.DateField()
    end_date = pw.DateField()
    session_days = JSONField(default=list)  # ["MON", "WED"]
    capacity = pw.IntegerField()
    location = pw.CharField(max_length=80, default="")  # coarse: a district or "online"
    status = pw.CharField(max_length=12, default="SCHEDULED", index=True)
    cancelled_reason = pw.CharField(max_length=500, null=True)
    cancelled_at = pw.DateTimeField(null=True)
    cancelled_by = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)

    class Meta:
        table_name = "training_cohort"


class Enrollment(BaseModel):
    cohort = pw.ForeignKeyField(Cohort, backref="enrollments", on_delete="RESTRICT")
    participant = pw.ForeignKeyField(Participant, backref="enrollments", on_delete="CASCADE")
    status = pw.CharField(max_length=12, index=True)
    live_marker = pw.IntegerField(null=True, default=1)  # NULL once WITHDRAWN
    seated_at = pw.DateTimeField(null=True)  # when she got a seat (enrolled or promoted)
    completed_on = pw.DateField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "training_enrollment"
        indexes = ((("cohort", "participant", "live_marker"), True),)


class EnrollmentStatusChange(BaseModel):
    """Every move, with its reason; `by_user` NULL for automatic moves (promotion)."""

    enrollment = pw.ForeignKeyField(Enrollment, backref="status_changes", on_delete="CASCADE")
    from_status = pw.CharField(max_length=12, null=True)
    to_status = pw.CharField(max_length=12)
    reason = pw.CharField(max_length=500)
    at = pw.DateTimeField(default=utcnow)
    by_user = pw.IntegerField(null=True)

    class Meta:
        table_name = "training_enrollment_status_change"


class Attendance(BaseModel):
    enrollment = pw.ForeignKeyField(Enrollment, backref="attendance", on_delete="CASCADE")
    cohort = pw.ForeignKeyField(Cohort, backref="attendance", on_delete="CASCADE")
    date = pw.DateField()
    status = pw.CharField(max_length=8)
    recorded_at = pw.DateTimeField(default=utcnow)
    recorded_by = pw.IntegerField(null=True)

    class Meta:
        table_name = "training_attendance"
        indexes = ((("enrollment", "date"), True), (("cohort", "date"), False))


class Credential(BaseModel):
    """What a completed enrolment earned; `reference` (a certificate number) is encrypted."""

    enrollment = pw.ForeignKeyField(Enrollment, unique=True, backref="credentials")
    participant = pw.ForeignKeyField(Participant, backref="credentials", on_delete="CASCADE")
    name = pw.CharField(max_length=200)
    issuer = pw.CharField(max_length=200)
    issued_on = pw.DateField()
    reference = pw.TextField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "training_credential"


class SkillGain(BaseModel):
    enrollment = pw.ForeignKeyField(Enrollment, backref="skill_gains", on_delete="CASCADE")
    type = pw.CharField(max_length=32)
    date = pw.DateField()
    note = pw.CharField(max_length=500, default="")
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.IntegerField(null=True)

    class Meta:
        table_name = "training_skill_gain"


class EnrollmentRequest(BaseModel):
    """She asks for a seat herself; her counselor enrols her (accepts) or declines."""

    cohort = pw.ForeignKeyField(Cohort, backref="requests", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="training_requests", on_delete="CASCADE")
    status = pw.CharField(max_length=10, default="PENDING", index=True)
    pending_marker = pw.IntegerField(null=True, default=1)  # NULL once decided
    note = pw.CharField(max_length=500, default="")
    created_at = pw.DateTimeField(default=utcnow)
    decided_at = pw.DateTimeField(null=True)
    decided_by = pw.IntegerField(null=True)
    decision_reason = pw.CharField(max_length=500, default="")
    enrollment_id = pw.IntegerField(null=True)

    class Meta:
        table_name = "training_enrollment_request"
        indexes = ((("cohort", "participant", "pending_marker"), True),)


class SkillTerm(BaseModel):
    """One entry of the program's skills vocabulary (ADMIN keeps it): a stable key (an ESCO
    concept URI or a short slug) and its label in each page language. Opportunities choose
    their skills from it, so an employer's keys are the ones counselors record."""

    key = pw.CharField(max_length=200, unique=True)
    label_en = pw.CharField(max_length=120)
    label_es = pw.CharField(max_length=120)
    label_fr = pw.CharField(max_length=120)
    active = pw.BooleanField(default=True)
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.IntegerField(null=True)

    class Meta:
        table_name = "skill_term"


MODELS = [
    TrainingProgram,
    ProgramSkill,
    ProgramLanguage,
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    Attendance,
    Credential,
    SkillGain,
    EnrollmentRequest,
    SkillTerm,
]
