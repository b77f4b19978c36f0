"""Who may ask for which logins, and input validation without side effects."""

from __future__ import annotations

import pytest

from econ import logins
from econ.errors import DomainError
from econ.security import services
from econ.security.models import User
from econ.security.roles import SYSTEM


def test_an_admin_asks_for_staff_logins_and_a_counselor_only_for_participants(people):
    _, admin = people.admin()
    request, code = logins.request_login(admin, email="New@Test.econ ", role="FINANCE")
    assert request.email == "new@test.econ" and request.role == "FINANCE" and code
    _, counselor = people.counselor()
    with pytest.raises(DomainError) as denied:
        logins.request_login(counselor, email="x@test.econ", role="FINANCE")
    assert denied.value.code == "FORBIDDEN"
    with pytest.raises(DomainError) as taken:
        logins.request_login(admin, email="new@test.econ", role="COUNSELOR")
    assert taken.value.code == "EMAIL_TAKEN"  # a pending request holds its e-mail


def test_counselor_asks_for_a_login_only_for_her_own_participant(people):
    _, counselor = people.counselor()
    _, other = people.counselor()
    hers = people.participant(counselor)
    not_hers = people.participant(other)
    request, _ = logins.request_login(
        counselor, email="her@test.econ", role="PARTICIPANT", participant_id=hers.id
    )
    assert request.participant_id == hers.id
    with pytest.raises(DomainError) as outside:
        logins.request_login(
            counselor, email="x@test.econ", role="PARTICIPANT", participant_id=not_hers.id
        )
    assert outside.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as twice:
        logins.request_login(
            counselor, email="y@test.econ", role="PARTICIPANT", participant_id=hers.id
        )
    assert twice.value.code == "ALREADY_LINKED"


@pytest.mark.parametrize(
    ("email", "password", "role", "code", "field"),
    [
        ("not-an-email", "long enough pw", "ADMIN", "INVALID_EMAIL", "email"),
        ("a@test.econ", "short", "ADMIN", "WEAK_PASSWORD", "password"),
        ("a@test.econ", "long enough pw", "KING", "INVALID_ROLE", "role"),
        ("a@test.econ", "long enough pw", "EMPLOYER", "REQUIRED", "employerId"),
        ("a@test.econ", "long enough pw", "PARTICIPANT", "REQUIRED", "participantId"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(email, password, role, code, field):
    before = User.select().count()
    with pytest.raises(DomainError) as error:
        services.create_user(SYSTEM, email=email, password=password, role=role)
    assert (error.value.code, error.value.field) == (code, field)
    assert User.select().count() == before


def test_duplicate_email_is_refused(people):
    user, _ = people.counselor()
    with pytest.raises(DomainError) as error:
        services.create_user(
            SYSTEM, email=user.email.upper(), password="long enough pw", role="ADMIN"
        )
    assert error.value.code == "EMAIL_TAKEN"
