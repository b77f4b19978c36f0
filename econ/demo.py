"""A realistic demo data set: one login per role and a dozen participants in varied states.

All names and numbers are invented. Domains add their demo data through
`econ/<domain>/demo.py` with `load(ctx: DemoContext)`; they run in DEMO_DOMAINS order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from econ.months import add_months, month_of
from econ.participants import services as participants
from econ.plugins import optional_import
from econ.security import services as security
from econ.security.models import User
from econ.security.roles import SYSTEM, Actor

DEMO_DOMAINS = ("employers", "training", "stipends", "microcredit", "statements")

LOGINS = [
    ("admin@demo.econ", "demo-admin-pass", "ADMIN", "Programme Admin"),
    ("counselor@demo.econ", "demo-counselor-pass", "COUNSELOR", "Ana Ruiz"),
    ("counselor2@demo.econ", "demo-counselor2-pass", "COUNSELOR", "Claire Martin"),
    ("finance@demo.econ", "demo-finance-pass", "FINANCE", "Femi Adeyemi"),
    ("finance2@demo.econ", "demo-finance2-pass", "FINANCE", "Greta Lund"),
]

# name, legal name, languages, status path, income (month offset from now -> amount)
PEOPLE = [
    ("Maria", "Maria Elena Popescu", ["es", "en"], [], {-3: "450.00", -2: "520.00", -1: "610.00"}),
    ("Lina", "Lina Haddad", ["fr", "ar"], [], {-2: "1500.00", -1: "1550.00"}),
    ("Joy", "Joy Okafor", ["en"], ["PAUSED"], {}),
    (
        "Ioana",
        "Ioana Marin",
        ["ro", "en"],
        [],
        {-4: "1400.00", -3: "1450.00", -2: "1500.00", -1: "1600.00"},
    ),
    ("Sofia", "Sofia Ivanova", ["ru", "en"], ["EXITED", "ACTIVE"], {}),
    ("Amina", "Amina Diallo", ["fr"], [], {-1: "300.00"}),
    ("Rosa", "Rosa Mendes", ["pt", "es"], ["EXITED"], {}),
    ("Grace", "Grace Mensah", ["en"], [], {-2: "800.00", -1: "950.00"}),
    ("Elena", "Elena Petrova", ["bg", "en"], ["PAUSED", "ACTIVE"], {}),
    ("Nadia", "Nadia Benali", ["fr", "es"], [], {}),
    ("Blessing", "Blessing Eze", ["en"], [], {-1: "1200.00"}),
    ("Carmen", "Carmen Lopez", ["es"], [], {}),
]


@dataclass
class DemoContext:
    users: dict[str, User] = field(default_factory=dict)
    participants: list = field(default_factory=list)

    def actor(self, email: str) -> Actor:
        return security.actor_for(self.users[email])


def _month(offset: int, today: dt.date | None = None) -> str:
    return add_months(month_of(today or dt.date.today()), offset)


def _people(ctx: DemoContext) -> None:
    for index, (name, legal, langs, path, income) in enumerate(PEOPLE):
        counselor = ctx.actor("counselor@demo.econ" if index % 4 else "counselor2@demo.econ")
        person = participants.create_participant(
            counselor,
            preferred_name=name,
            languages=langs,
            preferred_language=langs[0] if langs[0] in ("en", "es", "fr") else "en",
            legal_name=legal,
            phone=f"+34 600 100 {100 + index}",
            email=f"{name.lower()}@example.org",
            address=f"{10 + index} Calle Falsa, Madrid",
            # Some have no bank account yet (opening one is a plan milestone).
            bank_account=None if index % 3 == 2 else "ES9121000418450200051332",
            safety_notes="Prefers contact by text message only." if index % 2 else None,
            skills=[{"key": "customer-service", "label": "Customer service"}],
        )
        for status in path:
            participants.set_status(
                counselor,
                person.id,
                status,
                {"PAUSED": "health leave", "EXITED": "left the programme", "ACTIVE": "returned"}[
                    status
                ],
            )
        participants.revise_plan(
            counselor,
            person.id,
            pathways=["EMPLOYMENT"] if index % 3 else ["ENTREPRENEURSHIP"],
            target_monthly_income="1400.00",
            milestones=[
                {
                    "title": "Open a bank account",
                    "category": "BANKING",
                    "due_date": dt.date.today() + dt.timedelta(days=20),
                },
                {
                    "title": "Finish a vocational course",
                    "category": "TRAINING",
                    "due_date": dt.date.today() + dt.timedelta(days=90),
                },
                {
                    "title": "First job offer",
                    "category": "EMPLOYMENT",
                    "due_date": dt.date.today() + dt.timedelta(days=150),
                },
            ],
        )
        for offset, amount in income.items():
            record = participants.record_income(
                counselor, person.id, month=_month(offset), source="EMPLOYMENT", amount=amount
            )
            participants.verify_income(counselor, record.id)
        ctx.participants.append(person)


def load(if_empty: bool = False) -> DemoContext | None:
    if User.select().where(User.email == LOGINS[0][0]).exists():
        print("demo data already loaded")
        _print_logins()
        return None
    if if_empty and User.select().exists():
        print("database has users; not loading demo data")
        return None
    ctx = DemoContext()
    for email, password, role, name in LOGINS:
        ctx.users[email] = security.create_user(
            SYSTEM,
            email=email,
            password=password,
            role=role,
            display_name=name,
            work_phone="+34 910 000 000",
        )
    _people(ctx)
    first = ctx.participants[0]
    ctx.users["participant@demo.econ"] = security.create_user(
        ctx.actor("counselor2@demo.econ"),
        email="participant@demo.econ",
        password="demo-participant-pass",
        role="PARTICIPANT",
        participant_id=first.id,
    )
    for domain in DEMO_DOMAINS:
        module = optional_import(f"econ.{domain}.demo")
        if module is not None:
            module.load(ctx)
    print(f"demo data loaded: {len(ctx.users)} logins, {len(ctx.participants)} participants")
    _print_logins()
    return ctx


def _print_logins() -> None:
    print("demo logins (e-mail / password):")
    for email, password, role, _ in LOGINS:
        print(f"  {role:<11} {email:<24} {password}")
    print(f"  {'PARTICIPANT':<11} {'participant@demo.econ':<24} demo-participant-pass")
    employer = optional_import("econ.employers.demo")
    if employer is not None and hasattr(employer, "LOGIN"):
        print(f"  {'EMPLOYER':<11} {employer.LOGIN[0]:<24} {employer.LOGIN[1]}")
