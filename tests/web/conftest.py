"""A participant's world for the page tests, and browsers without shared cookies.

`her` signs in the way every participant does (her counselor's code, its request approved
by an ADMIN, redeemed for a sign-in name and passphrase); her counselor wrote a plan; an
employer has her PROFILE consent.
`browser()` is a fresh cookie jar on the real app (the session's `http` client runs the
lifespan and the worker).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from econ.employers import services as employers
from econ.participants import enrolment
from econ.participants import services as participants
from econ.security.roles import Actor
from tests.employers.conftest import make_employer
from tests.support.grants import approved_participant_code

PASSPHRASE = "orange kettle under moonlight"
SIGN_IN_NAME = "blue-heron"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Her:
    participant: object
    counselor: Actor
    counselor_user: object
    employer: object
    employer_user: object
    consent: object
    name: str = SIGN_IN_NAME
    passphrase: str = PASSPHRASE


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str = SIGN_IN_NAME, passphrase: str = PASSPHRASE):
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf": csrf_of(page.text), "name": name, "passphrase": passphrase, "next": ""},
        follow_redirects=False,
    )


def write_plan(counselor: Actor, participant_id: int, title: str = "Open a bank account"):
    return participants.revise_plan(
        counselor,
        participant_id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1400.00",
        milestones=[
            {"title": title, "category": "BANKING", "due_date": dt.date.today() + dt.timedelta(20)}
        ],
    )


def make_her(people, sign_in_name: str = SIGN_IN_NAME) -> Her:
    _, admin = people.admin()
    counselor_user, counselor = people.counselor()
    participant = people.participant(counselor, preferred_language="en")
    code = approved_participant_code(people, counselor, participant.id, approver=admin)
    enrolment.redeem_code(code, sign_in_name, PASSPHRASE)
    write_plan(counselor, participant.id)
    employer = make_employer(admin)
    employer_user, _ = people.employer(employer.id)
    consent = employers.give_consent(
        counselor, participant.id, employer.id, "PROFILE", participant_present=True
    )
    return Her(participant, counselor, counselor_user, employer, employer_user, consent)


@pytest.fixture
def her(people) -> Her:
    return make_her(people)


@pytest.fixture
def browser(http, app):
    """A new browser: its own cookies, the session's app and worker."""
    clients = []

    def make() -> TestClient:
        client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
