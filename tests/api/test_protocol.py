"""The endpoint's guard rails: limits, malformed requests, masking, bad input."""

from __future__ import annotations

import logging

from econ.participants.models import Participant
from tests.support.people import PASSWORD


def _token(api, people, role="counselor"):
    user, _ = getattr(people, role)()
    return api.login(user.email, PASSWORD)


def test_query_deeper_than_the_limit_is_rejected_whole(api, people):
    token = _token(api, people)
    nested = "id"
    for level in range(12):
        field = "participant" if level % 2 == 0 else "counselor"
        nested = f"{field} {{ {nested} }}"
    deep = f"{{ me {{ {nested} }} }}"
    body = api.post(deep, None, token)
    assert body["_status"] == 400
    assert "data" not in body
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_alias_bomb_and_huge_documents_are_rejected(api, people):
    token = _token(api, people)
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(40))
    body = api.post("{ " + aliases + " }", None, token)
    assert body["_status"] == 400 and "too many aliases" in body["errors"][0]["message"]
    fields = " ".join("id" for _ in range(500))
    body = api.post("{ me { " + fields + " } }", None, token)
    assert body["_status"] == 400 and "query too large" in body["errors"][0]["message"]


def test_standard_validation_still_applies(api, people):
    body = api.post("{ nope }", None, _token(api, people))
    assert body["_status"] == 400
    assert "Cannot query field 'nope'" in body["errors"][0]["message"]


def test_malformed_requests_get_clear_errors(http):
    cases = [
        (b"{not json", "the body must be JSON"),
        (b'[{"query": "{ me { id } }"}]', "batched queries are not supported"),
        (b'{"variables": {}}', "a JSON object with a 'query' string is required"),
        (b'{"query": "{ me { id } }", "variables": [1]}', "'variables' must be an object"),
        (b'{"query": "{ me { "}', "Syntax Error"),
    ]
    for raw, message in cases:
        response = http.post("/graphql", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 400, raw
        assert message in response.json()["errors"][0]["message"], raw


def test_oversized_body_is_refused_before_parsing(http):
    response = http.post(
        "/graphql", content=b"x" * (3 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_page_size_is_capped(api, people):
    token = _token(api, people)
    body = api.post("{ participants(first: 101) { totalCount } }", None, token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "between 1 and 100" in body["errors"][0]["message"]


def test_unexpected_errors_are_masked_and_logged_with_an_id(api, people, monkeypatch, caplog):
    from econ.participants import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals: /etc/passwd")

    monkeypatch.setattr(services, "visible_participants", broken)
    token = _token(api, people)
    with caplog.at_level(logging.ERROR, logger="econ.errors"):
        body = api.post("{ participants(first: 5) { totalCount } }", None, token)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL"
    assert error["message"] == f"internal error (id {error['extensions']['errorId']})"
    assert "secret internals" not in str(body) and "Traceback" not in str(body)
    assert error["extensions"]["errorId"] in caplog.text


def test_anonymous_callers_see_nothing(api, people):
    body = api.post("{ me { id } participants(first: 1) { totalCount } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_bad_mutation_input_returns_errors_and_stores_nothing(api, people):
    token = _token(api, people)
    payload = api.mutate(
        "createParticipant",
        {"preferredName": "Eva", "bankAccount": "ES00 1234", "languages": ["es"]},
        "participant { id }",
        token,
    )
    assert payload["participant"] is None
    assert payload["errors"] == [
        {
            "field": "bankAccount",
            "code": "INVALID_IBAN",
            "message": "an IBAN from ES has 24 characters: check every digit",
        }
    ]
    payload = api.mutate("createParticipant", {"preferredName": "   "}, "participant { id }", token)
    assert payload["errors"][0]["code"] == "REQUIRED"
    assert Participant.select().count() == 0


def test_logout_kills_the_token_over_http(api, people):
    token = _token(api, people)
    assert api.query("{ me { id } }", None, token)["me"] is not None
    assert api.post("mutation { logout { errors { code } } }", None, token)["data"] == {
        "logout": {"errors": []}
    }
    assert api.post("{ me { id } }", None, token)["data"] == {"me": None}


def test_graphiql_for_browsers_and_health(http):
    page = http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert http.get("/graphql", headers={"accept": "application/json"}).status_code == 405
    health = http.get("/health").json()
    assert health == {
        "database": "ok",
        "broker": "in-process",
        "workers": "in-process: 2 threads",
        "status": "ok",
    }
