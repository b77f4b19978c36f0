"""Hostile requests are refused early and clearly: size, depth, width, aliases, batches,
pages, fragment cycles, deeply nested JSON. "Early" = before any SQL runs."""

from __future__ import annotations

import pytest

from tests.support.people import PASSWORD
from tests.support.queries import count_queries


@pytest.fixture
def token(api, people) -> str:
    user, _ = people.counselor()
    return api.login(user.email, PASSWORD)


def _post(http, raw: bytes | None = None, token: str | None = None, **json):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if raw is None:
        return http.post("/graphql", json=json, headers=headers)
    return http.post("/graphql", content=raw, headers=headers)


def _nested(levels: int) -> str:
    inner = "id"
    for level in range(levels):
        inner = f"{'participant' if level % 2 == 0 else 'counselor'} {{ {inner} }}"
    return f"{{ me {{ {inner} }} }}"


HOSTILE = {
    # name: (request body, expected status, fragment of the message)
    "oversized": (b"x" * (3 * 1024 * 1024), 413, "request too large"),
    "deep JSON": (
        b'{"query": "{ me { id } }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        400,
        "the body must be JSON",
    ),
    "batched": (b'[{"query": "{ me { id } }"}, {"query": "{ me { id } }"}]', 400, "batched"),
    "deep query": ({"query": _nested(12)}, 400, "exceeds maximum operation depth"),
    "deep braces": ({"query": "{" * 5000 + "}" * 5000}, 400, "Syntax Error"),
    "alias bomb": (
        {"query": "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(200)) + " }"},
        400,
        "too many aliases",
    ),
    "wide": ({"query": "{ me { " + " ".join(["id"] * 1000) + " } }"}, 400, "query too large"),
    "many tokens": ({"query": "{ me { " + "id " * 25_000 + "} }"}, 400, "more than 20000 tokens"),
    "fragment cycle": (
        {"query": "fragment A on User { id ...B } fragment B on User { id ...A } { me { ...A } }"},
        400,
        "Cannot spread fragment",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_requests_are_refused_before_any_sql(http, token, name):
    body, status, message = HOSTILE[name]
    with count_queries() as sql:
        if isinstance(body, bytes):
            response = _post(http, body, token)
        else:
            response = _post(http, None, token, **body)
    assert response.status_code == status, response.text[:300]
    assert message in " ".join(e["message"] for e in response.json()["errors"])
    assert "data" not in response.json()
    assert sql.count == 0  # refused before authentication touched the database


@pytest.mark.parametrize("first", [101, 100_000, 0, -1, 2**40])
def test_huge_or_negative_pages_are_refused(api, token, first):
    body = api.post(f"{{ participants(first: {first}) {{ totalCount }} }}", None, token)
    assert body.get("data") is None
    codes = {e.get("extensions", {}).get("code") for e in body["errors"]}
    assert codes <= {"BAD_REQUEST", None}, body  # None: graphql-core's own Int range check
