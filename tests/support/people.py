"""Factories for users and participants, through the real services."""

from __future__ import annotations

import itertools

from econ.logins import create_login
from econ.participants import services as participants
from econ.security import services as security
from econ.security.roles import SYSTEM, Actor

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_accounts = itertools.count(1)


def unique_iban() -> str:
    """A valid Austrian IBAN no other participant of the test run has (payments hold an
    account two participants share until someone records why)."""
    from schwifty import IBAN

    return str(IBAN.generate("AT", bank_code="19043", account_code=str(next(_accounts))))


class People:
    """`people.counselor()` → (user, actor); every user's password is PASSWORD."""

    def user(self, role: str, **extra) -> tuple[object, Actor]:
        n = next(_counter)
        creator = extra.pop("creator", SYSTEM)
        user = create_login(
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
        """An EMPLOYER login; without an id, of a new ACTIVE company. The demo's skills
        vocabulary is there too: an employer chooses her opportunities' skills from it."""
        from econ.training import demo as training_demo
        from econ.training.models import SkillTerm

        if not SkillTerm.select().exists():
            training_demo.load_vocabulary(SYSTEM)
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
        return self.user("PARTICIPANT", participant_id=participant.id)
