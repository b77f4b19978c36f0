"""A realistic demo data set: one login per role and a dozen participants in varied states.

All names and numbers are invented. The composition root of the demo: each domain's
`econ/<domain>/demo.py` has `load(ctx: DemoContext)`; they run in DEMO_DOMAINS order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from schwifty import IBAN

from econ.config import get_settings
from econ.employers import demo as employers_demo
from econ.errors import CommonCode, DomainError
from econ.microcredit import demo as microcredit_demo
from econ.months import add_months, month_of
from econ.participants import demo as participants_demo
from econ.participants import services as participants
from econ.security import approvals, enrolment, grants
from econ.security import services as security
from econ.security.roles import SYSTEM, Actor
from econ.security.services import User
from econ.statements import demo as statements_demo
from econ.stipends import demo as stipends_demo
from econ.training import demo as training_demo

DEMO_DOMAINS = (
    employers_demo,
    training_demo,
    stipends_demo,
    microcredit_demo,
    statements_demo,
    participants_demo,
)

LOGINS = [
    ("admin@demo.econ", "demo-admin-pass", "ADMIN", "Programme Admin"),
    ("admin2@demo.econ", "demo-admin2-pass", "ADMIN", "Deputy Admin"),
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

    def grant(self, maker: str, password: str, **request) -> User:
        """A login through the same path as anyone's: `maker` requests it, the other demo
        ADMIN approves, and the demo (as the person it is for) redeems the code."""
        checker = "admin2@demo.econ" if maker == "admin@demo.econ" else "admin@demo.econ"
        pending, code = grants.request_login(self.actor(maker), **request)
        approvals.approve(
            self.actor(checker), pending.id, participant_links=participants.login_link
        )
        user = enrolment.redeem(code, password)
        self.users[user.email] = user
        return user


def _demo_iban(index: int) -> str:
    return str(IBAN.generate("AT", bank_code="19043", account_code=str(1000 + index)))


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
            # Some have no bank account yet (opening one is a plan milestone); each other one
            # her own (payments hold an IBAN two participants share until someone says why).
            bank_account=None if index % 3 == 2 else _demo_iban(index),
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
            participants.verify_income(counselor, record.id, record.version)
        ctx.participants.append(person)


def load(if_empty: bool = False, force: bool = False) -> DemoContext | None:
    """Load the demo; never in production, and into a database with data only if forced."""
    if get_settings().is_production:
        raise DomainError(
            CommonCode.DEMO_IN_PRODUCTION,
            "econ demo never runs with ECON_ENV=production: its logins and passwords are "
            "published, and it would mix invented people into real case data",
        )
    if security.email_in_use(LOGINS[0][0]):
        print("demo data already loaded")
        _print_logins()
        return None
    if security.any_user() or participants.all_participant_ids():
        if if_empty:
            print("database has data; not loading demo data")
            return None
        if not force:
            raise DomainError(
                CommonCode.DATABASE_NOT_EMPTY,
                "the database already has users or participants: the demo would add logins "
                "with published passwords to it; pass --force to do it anyway",
            )
    ctx = DemoContext()
    for email, password, role, name in LOGINS:
        if role == "ADMIN":  # the two ADMINs come from the console's bootstrap
            ctx.users[email] = security.create_user(
                SYSTEM, email=email, password=password, role=role, display_name=name
            )
        else:
            ctx.grant(
                "admin@demo.econ",
                password,
                email=email,
                role=role,
                display_name=name,
                work_phone="+34 910 000 000",
            )
    _people(ctx)
    first = ctx.participants[0]
    ctx.grant(
        "counselor2@demo.econ",
        "demo-participant-pass",
        email="participant@demo.econ",
        role="PARTICIPANT",
        participant=participants.login_link(first.id),
    )
    for module in DEMO_DOMAINS:
        module.load(ctx)
    print(f"demo data loaded: {len(ctx.users)} logins, {len(ctx.participants)} participants")
    _print_logins()
    return ctx


def _print_logins() -> None:
    print("demo sign-ins (e-mail or sign-in name / password or passphrase):")
    for email, password, role, _ in LOGINS:
        print(f"  {role:<11} {email:<24} {password}")
    print(f"  {'PARTICIPANT':<11} {'participant@demo.econ':<24} demo-participant-pass")
    name, passphrase = participants_demo.SIGN_IN
    print(f"  {'PARTICIPANT':<11} {name:<24} {passphrase}  (sign-in name, no e-mail)")
    print(f"  {'EMPLOYER':<11} {employers_demo.LOGIN[0]:<24} {employers_demo.LOGIN[1]}")
