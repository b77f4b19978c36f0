"""Who may create which logins, and input validation without side effects."""

from __future__ import annotations

import pytest

from econ.errors import DomainError
from econ.security import services
from econ.security.models import User
from econ.security.roles import SYSTEM


def test_admin_creates_staff_and_a_counselor_only_participant_logins(people):
    _, admin = people.admin()
    user = services.create_user(
        admin, email="New@Test.econ ", password="long enough pw", role="FINANCE"
    )
    assert user.email == "new@test.econ" and user.role == "FINANCE"
    assert user.password_hash.startswith("$argon2id$")

    _, counselor = people.counselor()
    with pytest.raises(DomainError) as denied:
        services.create_user(
            counselor, email="x@test.econ", password="long enough pw", role="FINANCE"
        )
    assert denied.value.code == "FORBIDDEN"


def test_counselor_links_a_login_only_to_her_own_participant(people):
    _, counselor = people.counselor()
    _, other = people.counselor()
    hers = people.participant(counselor)
    not_hers = people.participant(other)
    user = services.create_user(
        counselor,
        email="her@test.econ",
        password="long enough pw",
        role="PARTICIPANT",
        participant_id=hers.id,
    )
    assert user.participant_id == hers.id
    with pytest.raises(DomainError) as outside:
        services.create_user(
            counselor,
            email="x@test.econ",
            password="long enough pw",
            role="PARTICIPANT",
            participant_id=not_hers.id,
        )
    assert outside.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as twice:
        services.create_user(
            counselor,
            email="y@test.econ",
            password="long enough pw",
            role="PARTICIPANT",
            participant_id=hers.id,
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
