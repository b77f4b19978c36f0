"""Fixtures for the training tests: a counselor, a program, a running cohort."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.training import services as training

TODAY = dt.date.today()
WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI"]


def past_weekdays(n: int, before: dt.date = TODAY) -> list[dt.date]:
    """The n most recent Monday-to-Friday dates before `before`, oldest first."""
    days: list[dt.date] = []
    day = before
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


class Kit:
    """Builds training records through the real services."""

    def __init__(self, people):
        self.people = people
        self.counselor_user, self.counselor = people.counselor()

    def program(self, **overrides):
        values = {
            "title": "Professional cooking, level 1",
            "provider": "Escuela de Hostelería Madrid",
            "description": "Kitchen basics, hygiene and food safety.",
            "format": "IN_PERSON",
            "languages": ["es", "en"],
            "total_hours": "120",
            "hours_per_week": "7.5",
            "cost": "850.00",
            "capacity": 12,
            "credential_name": "Food handler certificate",
            "skills": [
                {
                    "key": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                    "label": "comply with food safety and hygiene",
                },
                {"key": "knife-skills", "label": "Knife skills"},
            ],
        }
        values.update(overrides)
        return training.create_program(self.counselor, **values)

    def cohort(self, program=None, **overrides):
        program = program or self.program()
        values = {
            "start_date": TODAY - dt.timedelta(days=21),
            "end_date": TODAY + dt.timedelta(days=60),
            "session_days": WEEKDAYS,
            "location": "Madrid - Centro",
        }
        values.update(overrides)
        return training.create_cohort(self.counselor, program.id, **values)

    def participant(self, name: str = "Maria", counselor=None):
        return self.people.participant(counselor or self.counselor, preferred_name=name)

    def enroll(self, cohort, participant=None, **kwargs):
        participant = participant or self.participant()
        return training.enroll_participant(self.counselor, cohort.id, participant.id, **kwargs)

    def set(self, enrollment, status: str, reason: str = "test"):
        return training.set_enrollment_status(self.counselor, enrollment.id, status, reason)

    def complete(self, enrollment, **kwargs):
        kwargs.setdefault("completed_on", TODAY)
        kwargs.setdefault("credential", {"name": "Food handler certificate"})
        return training.complete_enrollment(self.counselor, enrollment.id, **kwargs)


@pytest.fixture
def kit(people) -> Kit:
    return Kit(people)
