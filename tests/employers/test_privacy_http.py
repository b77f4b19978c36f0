"""The privacy invariants over HTTP: what each role can read of a referred participant.

Canary values are set on her restricted fields; a response that contains any of them (or
her participant code or id) in any form is a leak.
"""

from __future__ import annotations

import json

from econ.employers import services
from econ.security.models import AuditEntry
from tests.employers.conftest import consent, make_employer, open_opportunity, shared_referral
from tests.support.pages import nodes
from tests.support.people import PASSWORD

CANARIES = (
    "Canary",  # legal name and safety note
    "600 123 456",  # phone
    "canary@example.org",
    "12 Canary Street",
    "ES9121000418450200051332",
    "1990-04-02",
)
CANDIDATE = (
    "candidate { handle skills { key label } credentials { edges { node { name issuedOn } } } "
    "languages "
    "availability { hoursPerWeek availableFrom opportunityTypes } preferredName "
    "contactChannel { type value } }"
)
OPPORTUNITY = (
    "query($id: ID!) { opportunity(id: $id) { id title "
    "referrals { edges { node { id handle status reasonCode "
    "history { edges { node { fromStatus toStatus reasonCode note actorRole } } } "
    + CANDIDATE
    + " } } } } }"
)


def _token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def _her(people, world, **extra):
    return people.participant(
        world.counselor,
        preferred_name="Maria",
        email="canary@example.org",
        date_of_birth="1990-04-02",
        languages=["es", "en"],
        skills=[{"key": "food-hygiene", "label": "Food hygiene"}],
        **extra,
    )


def _assert_no_leak(body: dict, participant) -> None:
    text = json.dumps(body)
    for canary in CANARIES:
        assert canary not in text
    assert participant.code not in text


def test_employer_sees_only_the_anonymous_profile_through_the_opportunity(api, people, world):
    her = _her(people, world)
    services.set_work_preferences(
        world.counselor,
        her.id,
        available_hours_per_week=25,
        available_from="2026-02-01",
        needs_childcare_friendly=True,
        minimum_pay="13.00",
        minimum_pay_period="HOURLY",
    )
    referral = shared_referral(world, her, note="Canary: left the shelter last week")
    body = api.post(OPPORTUNITY, {"id": world.opportunity.id}, _token(api, world.employer_user))
    assert "errors" not in body
    (seen,) = nodes(body["data"]["opportunity"]["referrals"])
    assert seen["candidate"] == {
        "handle": referral.handle,
        "skills": [{"key": "food-hygiene", "label": "Food hygiene"}],
        "credentials": {"edges": []},
        "languages": ["es", "en"],
        "availability": {"hoursPerWeek": 25, "availableFrom": "2026-02-01", "opportunityTypes": []},
        "preferredName": None,
        "contactChannel": None,
    }
    # The counselor's notes are never shown to the employer.
    assert [h["note"] for h in nodes(seen["history"])] == [None, None]
    _assert_no_leak(body, her)
    # An employer reads no restricted field, so nothing was decrypted for it.
    assert AuditEntry.select().where(AuditEntry.action == "read_restricted").count() == 0


def test_candidate_type_has_exactly_the_allowed_fields(api, people, world):
    data = api.query(
        '{ __type(name: "Candidate") { fields { name } } }', None, _token(api, world.employer_user)
    )
    names = {f["name"] for f in data["__type"]["fields"]}
    assert names == {
        "handle",
        "skills",
        "credentials",
        "languages",
        "availability",
        "preferredName",
        "contactChannel",
    }


def test_every_forbidden_path_for_an_employer(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her, note="Canary note")
    token = _token(api, world.employer_user)
    # Direct reads of her record: null, exactly like an unknown id.
    for query, variables in (
        ("query($id: ID!) { participant(id: $id) { id legalName } }", {"id": her.id}),
        ("query($c: String!) { participantByCode(code: $c) { id } }", {"c": her.code}),
    ):
        body = api.post(query, variables, token)
        assert list(body["data"].values()) == [None] and "errors" not in body
    assert api.query("{ participants { totalCount } }", None, token) == {
        "participants": {"totalCount": 0}
    }
    # Nested: the referral's participant and note are forbidden, and the error says no more.
    body = api.post(
        "query($id: ID!) { referral(id: $id) { handle note participant { id code legalName "
        "phone address statusHistory { totalCount } } } }",
        {"id": referral.id},
        token,
    )
    assert body["data"]["referral"]["handle"] == referral.handle
    assert body["data"]["referral"]["participant"] is None
    assert body["data"]["referral"]["note"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    _assert_no_leak(body, her)
    # Asking the candidate for a field it does not have fails validation, with no data.
    body = api.post(
        "query($id: ID!) { referral(id: $id) { candidate { legalName } } }",
        {"id": referral.id},
        token,
    )
    assert body.get("data") is None and body["errors"]
    # Matching is for counselors only.
    body = api.post(
        "query($id: ID!) { opportunity(id: $id) { suggestedCandidates { score } } }",
        {"id": world.opportunity.id},
        token,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _assert_no_leak(body, her)
    # Mutations on her return NOT_FOUND and nothing about her.
    for name, payload in (
        (
            "giveConsent",
            {"participantId": her.id, "employerId": world.employer.id, "scope": "IDENTITY"},
        ),
        ("setWorkPreferences", {"participantId": her.id, "availableHoursPerWeek": 40}),
        ("referParticipant", {"opportunityId": world.opportunity.id, "participantId": her.id}),
    ):
        result = api.mutate(name, payload, "errors { code }", token)
        assert result["errors"][0]["code"] in ("NOT_FOUND", "FORBIDDEN")
        _assert_no_leak(result, her)


def test_another_employers_records_look_like_unknown_ids(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her)
    other = make_employer(world.admin, name="Rival Ltd")
    rival_user, _ = people.employer(other.id)
    token = _token(api, rival_user)
    for field, record_id in (("opportunity", world.opportunity.id), ("referral", referral.id)):
        mine = api.post(
            f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": record_id}, token
        )
        unknown = api.post(
            f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": 987654}, token
        )
        assert mine == unknown == {"data": {field: None}, "_status": 200}
    for name, payload in (
        ("advanceReferral", {"referralId": "%s", "status": "INTERVIEW"}),
        ("updateOpportunity", {"opportunityId": "%s", "title": "Hacked"}),
        ("closeOpportunity", {"opportunityId": "%s"}),
    ):
        key = next(k for k, val in payload.items() if val == "%s")
        real = referral.id if key == "referralId" else world.opportunity.id
        seen = api.mutate(name, {**payload, key: real}, "errors { field code message }", token)
        fake = api.mutate(name, {**payload, key: 987654}, "errors { field code message }", token)
        assert seen == fake and seen["errors"][0]["code"] == "NOT_FOUND"
    assert api.query(
        "query($e: ID) { opportunities(employerId: $e) { totalCount } }",
        {"e": world.employer.id},
        token,
    ) == {"opportunities": {"totalCount": 0}}


def test_identity_consent_shows_name_and_chosen_channel_only(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her)
    _, she = people.participant_login(world.counselor, her)
    services.give_consent(
        she,
        her.id,
        world.employer.id,
        "IDENTITY",
        channel_type="MESSAGING",
        channel_value="Signal via counselor +34 910 000 000",
    )
    body = api.post(
        "query($id: ID!) { referral(id: $id) { " + CANDIDATE + " } }",
        {"id": referral.id},
        _token(api, world.employer_user),
    )
    candidate = body["data"]["referral"]["candidate"]
    assert candidate["preferredName"] == "Maria"
    assert candidate["contactChannel"] == {
        "type": "MESSAGING",
        "value": "Signal via counselor +34 910 000 000",
    }
    _assert_no_leak(body, her)


def test_revoking_consent_hides_her_on_the_very_next_request(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her)
    identity = consent(world.counselor, her.id, world.employer.id, "IDENTITY")
    her_user, _ = people.participant_login(world.counselor, her)
    employer_token, her_token = _token(api, world.employer_user), _token(api, her_user)
    query = "query($id: ID!) { referral(id: $id) { status candidate { handle preferredName } } }"

    def seen():
        return api.query(query, {"id": referral.id}, employer_token)["referral"]

    assert seen()["candidate"] == {"handle": referral.handle, "preferredName": "Maria"}
    api.ok("revokeConsent", {"consentId": identity.id}, "consent { current }", her_token)
    assert seen()["candidate"] == {"handle": referral.handle, "preferredName": None}
    consents = api.query(
        "{ me { participant { consents { edges { node { id scope current } } } } } }",
        None,
        her_token,
    )["me"]["participant"]["consents"]["edges"]
    consents = [edge["node"] for edge in consents]
    profile = next(c for c in consents if c["scope"] == "PROFILE" and c["current"])
    api.ok("revokeConsent", {"consentId": profile["id"]}, "consent { current }", her_token)
    assert seen() == {"status": "WITHDRAWN", "candidate": None}


def test_suspended_employer_sees_nothing_at_once(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her)
    token = _token(api, world.employer_user)
    query = (
        "query($o: ID!, $r: ID!) { opportunities { totalCount } opportunity(id: $o) { id } "
        "referral(id: $r) { id candidate { handle } } employers { totalCount } }"
    )
    variables = {"o": world.opportunity.id, "r": referral.id}
    assert api.query(query, variables, token)["referral"]["candidate"] == {
        "handle": referral.handle
    }
    services.set_employer_status(world.admin, world.employer.id, "SUSPENDED")
    assert api.query(query, variables, token) == {
        "opportunities": {"totalCount": 0},
        "opportunity": None,
        "referral": None,
        "employers": {"totalCount": 1},  # its own company record, showing SUSPENDED
    }
    services.set_employer_status(world.admin, world.employer.id, "ACTIVE")
    # Suspension withdrew her referral (issue 14, item 11): reactivation brings it back
    # only as an ended referral, without her profile.
    again = api.query(query, variables, token)
    assert again["opportunities"] == {"totalCount": 1}
    assert again["referral"] == {"id": str(referral.id), "candidate": None}


def test_prospect_employer_receives_no_referrals(api, people, world):
    prospect = make_employer(world.admin, name="Prospect", active=False)
    _, staff = people.employer(prospect.id)
    draft = services.create_opportunity(
        staff,
        None,
        title="Helper",
        type="SHORT_TERM",
        pay_amount="12.00",
        pay_period="HOURLY",
        hours_per_week=10,
    )
    her = _her(people, world)
    body = api.mutate(
        "referParticipant",
        {"opportunityId": draft.id, "participantId": her.id},
        "referral { id }",
        _token(api, world.counselor_user),
    )
    assert body["errors"][0]["code"] == "OPPORTUNITY_NOT_OPEN"
    body = api.mutate(
        "giveConsent",
        {
            "participantId": her.id,
            "employerId": prospect.id,
            "scope": "PROFILE",
            "participantPresent": True,
        },
        "consent { id }",
        _token(api, world.counselor_user),
    )
    assert body["errors"][0]["code"] == "NOT_FOUND"


def test_handles_differ_per_employer_and_never_reveal_her(api, people, world):
    her = _her(people, world)
    first = shared_referral(world, her)
    other = make_employer(world.admin, name="Other Co")
    other_user, _ = people.employer(other.id)
    consent(world.counselor, her.id, other.id)
    opportunity = open_opportunity(world.admin, other.id)
    second = services.refer_participant(world.counselor, opportunity.id, her.id)
    services.advance_referral(world.counselor, second.id, "SHARED")
    seen_a = api.query(OPPORTUNITY, {"id": world.opportunity.id}, _token(api, world.employer_user))
    seen_b = api.query(OPPORTUNITY, {"id": opportunity.id}, _token(api, other_user))
    handle_a = nodes(seen_a["opportunity"]["referrals"])[0]["handle"]
    handle_b = nodes(seen_b["opportunity"]["referrals"])[0]["handle"]
    assert (handle_a, handle_b) == (first.handle, second.handle) and handle_a != handle_b
    for handle in (handle_a, handle_b):
        assert her.code[2:] not in handle
    # Employer B's view lists only its own referral.
    assert [r["id"] for r in nodes(seen_b["opportunity"]["referrals"])] == [str(second.id)]


def test_other_roles_see_only_their_share(api, people, world):
    her = _her(people, world)
    referral = shared_referral(world, her)
    someone = people.participant(world.counselor, preferred_name="Joy", languages=["es"])
    other_user, _ = people.participant_login(world.counselor, someone)
    other_counselor_user, _ = people.counselor()
    finance_user, _ = people.finance()
    her_user, _ = people.participant_login(world.counselor, her)
    query = "query($id: ID!) { opportunity(id: $id) { referrals { edges { node { id } } } } }"
    for user in (other_counselor_user, finance_user, other_user):
        data = api.query(query, {"id": world.opportunity.id}, _token(api, user))
        assert nodes(data["opportunity"]["referrals"]) == []
    for user in (world.counselor_user, her_user):
        data = api.query(query, {"id": world.opportunity.id}, _token(api, user))
        assert nodes(data["opportunity"]["referrals"]) == [{"id": str(referral.id)}]
    # Her consents and referrals are hers and her counselor's only.
    body = api.post(
        "query($id: ID!) { participant(id: $id) { consents { totalCount } "
        "referrals { totalCount } } }",
        {"id": her.id},
        _token(api, other_counselor_user),
    )
    assert body["data"] == {"participant": None}
    body = api.post(
        "query($id: ID!) { participant(id: $id) { consents { totalCount } } }",
        {"id": her.id},
        _token(api, finance_user),
    )
    assert body["data"]["participant"]["consents"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for user in (world.counselor_user, her_user):
        body = api.post(
            "query($id: ID!) { opportunity(id: $id) { suggestedCandidates { score } } }",
            {"id": world.opportunity.id},
            _token(api, user),
        )
        if user is her_user:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        else:
            assert "errors" not in body


def test_admin_sees_no_referral(api, people, world):
    """A referral is case content: no ADMIN reads it (issue 14, item 4)."""
    her = _her(people, world)
    referral = shared_referral(world, her)
    consent(
        world.counselor,
        her.id,
        world.employer.id,
        "IDENTITY",
        channel_type="PHONE",
        channel_value="+34 699 999 999",
    )
    admin_user, _ = people.admin()
    data = api.query(
        "query($id: ID!) { referral(id: $id) { handle status candidate { preferredName } } }",
        {"id": referral.id},
        _token(api, admin_user),
    )
    assert data == {"referral": None}
