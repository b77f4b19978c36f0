"""Factories for users and participants, through the real services."""

from __future__ import annotations

import itertools

from econ.participants import services as participants
from econ.security import services as security
from econ.security.roles import SYSTEM, Actor

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class People:
    """`people.counselor()` → (user, actor); every user's password is PASSWORD."""

    def user(self, role: str, **extra) -> tuple[object, Actor]:
        n = next(_counter)
        creator = extra.pop("creator", SYSTEM)
        user = security.create_user(
            creator,
            email=f"{role.lower()}{n}@test.econ",
            password=PASSWORD,
            role=role,
            display_name=extra.pop("display_name", f"{role.title()} {n}"),
            **extra,
        )
        return user, security.actor_for(user)

    def admin(self):
        return self.user("ADMIN")

    def counselor(self):
        return self.user("COUNSELOR")

    def finance(self):
        return self.user("FINANCE")

    def employer(self, employer_id: int | None = None):
        """An EMPLOYER login; without an id, of a new ACTIVE company."""
        if employer_id is None:
            from econ.employers import services as employers

            company = employers.create_employer(
                SYSTEM, name=f"Company {next(_counter)}", agreement_signed_on="2026-01-15"
            )
            employers.set_employer_status(SYSTEM, company.id, "ACTIVE")
            employer_id = company.id
        return self.user("EMPLOYER", employer_id=employer_id)

    def participant(self, counselor: Actor, **fields):
        fields.setdefault("preferred_name", "Maria")
        fields.setdefault("legal_name", "Maria Canary Legalname")
        fields.setdefault("phone", "+34 600 123 456")
        fields.setdefault("bank_account", "ES9121000418450200051332")
        fields.setdefault("address", "12 Canary Street, Madrid")
        fields.setdefault("safety_notes", "Canary safety note")
        return participants.create_participant(counselor, **fields)

    def participant_login(self, counselor: Actor, participant) -> tuple[object, Actor]:
        return self.user("PARTICIPANT", creator=counselor, participant_id=participant.id)
