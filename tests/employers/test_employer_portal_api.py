"""What the employer's portal needed of the API (issue 19): her placements and the checks
due, IDENTITY consent with a channel, a forbidden field that nulls only itself, and the
skills vocabulary her opportunities choose from."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.employers import services
from econ.errors import DomainError, PermissionDenied
from econ.training import services as training
from tests.employers.conftest import consent, make_employer, shared_referral
from tests.support.clock import on_day
from tests.support.pages import nodes
from tests.support.people import PASSWORD

START = dt.date(2026, 3, 2)
PLACEMENTS = """query P($due: Boolean) { placements(due: $due, first: 10) { totalCount
  edges { node { id handle startDate retentionCheckpoints { id days dueOn due status } } } } }"""


def _hire(world, her):
    referral = shared_referral(world, her)
    for status in ("INTERVIEW", "OFFERED"):
        services.advance_referral(world.employer_actor, referral.id, status)
    services.advance_referral(
        world.employer_actor, referral.id, "HIRED", placement={"start_date": START}
    )
    return services.placement_of_referral(referral.id)


def test_employer_lists_her_placements_and_the_checks_due(api, people, world):
    with on_day(START):
        placement = _hire(world, people.participant(world.counselor))
        other_world_employer = make_employer(world.admin, name="Elsewhere Ltd")
        elsewhere, _ = people.employer(other_world_employer.id)
    token = world.token(api, world.employer_user)
    with on_day(START + dt.timedelta(days=29)):
        found = api.query(PLACEMENTS, {}, token)["placements"]
        assert found["totalCount"] == 1
        node = found["edges"][0]["node"]
        assert node["id"] == str(placement.id) and node["handle"]
        assert [c["due"] for c in node["retentionCheckpoints"]] == [False, False, False]
        assert api.query(PLACEMENTS, {"due": True}, token)["placements"]["totalCount"] == 0
    with on_day(START + dt.timedelta(days=30)):
        due = api.query(PLACEMENTS, {"due": True}, token)["placements"]
        assert due["totalCount"] == 1
        checks = due["edges"][0]["node"]["retentionCheckpoints"]
        assert [c["due"] for c in checks] == [True, False, False]
        services.confirm_retention(world.employer_actor, int(checks[0]["id"]), "CONFIRMED_EMPLOYED")
        assert api.query(PLACEMENTS, {"due": True}, token)["placements"]["totalCount"] == 0
    # Another company sees none of it; ADMIN (no case data) an empty list.
    other = api.login(elsewhere.email, PASSWORD)
    assert api.query(PLACEMENTS, {}, other)["placements"] == {"totalCount": 0, "edges": []}
    admin_user, _ = people.admin()
    admin = api.login(admin_user.email, PASSWORD)
    assert api.query(PLACEMENTS, {}, admin)["placements"]["totalCount"] == 0


def test_identity_consent_always_names_a_channel(people, world):
    her = people.participant(world.counselor)
    with pytest.raises(DomainError) as refused:
        services.give_consent(
            world.counselor, her.id, world.employer.id, "IDENTITY", participant_present=True
        )
    assert (refused.value.code, refused.value.field) == ("CHANNEL_REQUIRED", "channelType")
    given = consent(world.counselor, her.id, world.employer.id, "IDENTITY")
    assert services.channel_value(given) == "+34 600 000 111"


def test_a_field_she_may_not_see_nulls_only_that_field(api, world):
    token = world.token(api, world.employer_user)
    body = api.post(
        "query O($id: ID!) { opportunity(id: $id) { id title suggestedCandidates { score } } }",
        {"id": str(world.opportunity.id)},
        token,
    )
    assert body["data"]["opportunity"]["title"] == world.opportunity.title
    assert body["data"]["opportunity"]["suggestedCandidates"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_vocabulary_is_kept_by_admin_and_chosen_from_by_employers(people, world):
    with pytest.raises(PermissionDenied):
        training.save_skill_term(world.employer_actor, "x", {"en": "X", "es": "X", "fr": "X"})
    with pytest.raises(DomainError) as unlabelled:
        training.save_skill_term(world.admin, "welding", {"en": "Welding", "es": "Soldadura"})
    assert unlabelled.value.field == "labelFr"
    training.save_skill_term(
        world.admin, "welding", {"en": "Welding", "es": "Soldadura", "fr": "Soudure"}
    )
    services.update_opportunity(
        world.employer_actor, world.opportunity.id, required_skills=[{"key": "welding"}]
    )
    # Her label is the vocabulary's, whatever she sent.
    assert services.get_opportunity(world.employer_actor, world.opportunity.id).required_skills == [
        {"key": "welding", "label": "Welding"}
    ]
    # A retired term is no longer offered, nor accepted, but ADMIN still lists it.
    training.save_skill_term(
        world.admin, "welding", {"en": "Welding", "es": "Soldadura", "fr": "Soudure"}, False
    )
    assert "welding" not in [t.key for t in training.vocabulary(world.employer_actor)]
    assert "welding" in [t.key for t in training.vocabulary(world.admin, include_inactive=True)]
    assert "welding" not in [t.key for t in training.vocabulary(world.employer_actor, True)]
    with pytest.raises(DomainError) as retired:
        services.update_opportunity(world.employer_actor, world.opportunity.id, title="Baker")
    assert retired.value.code == "UNKNOWN_SKILL"


def test_a_company_logins_are_its_own_and_admins_business(api, people, world):
    query = (
        "query E($id: ID!) { employer(id: $id) { name staff { edges { node { email active } } } } }"
    )
    variables = {"id": str(world.employer.id)}
    own = api.query(query, variables, world.token(api, world.employer_user))["employer"]
    assert nodes(own["staff"]) == [{"email": world.employer_user.email, "active": True}]
    admin_user, _ = people.admin()
    admin = api.query(query, variables, api.login(admin_user.email, PASSWORD))["employer"]
    assert admin["staff"] == own["staff"]
    refused = api.post(query, variables, world.token(api, world.counselor_user))
    assert refused["data"]["employer"]["name"] == world.employer.name
    assert refused["data"]["employer"]["staff"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
