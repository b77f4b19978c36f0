"""An app built with other settings (production, tight rate limits), for one test.

The session's `http` client runs the app of the test settings; these clients run a second
app on the same database, without its start-up (migrations and worker are the session's).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from starlette.testclient import TestClient

from econ.config import get_settings, use_settings


@contextmanager
def app_with(**changes) -> Iterator[TestClient]:
    before = get_settings()
    use_settings(replace(before, **changes))
    try:
        from econ.app import create_app

        yield TestClient(create_app(), raise_server_exceptions=False)
    finally:
        use_settings(before)


def client_at(app_client: TestClient, address: str) -> TestClient:
    """Another client of the same app, seen as coming from `address`."""
    return TestClient(app_client.app, raise_server_exceptions=False, client=(address, 50000))


def gql(client: TestClient, query: str, variables: dict | None = None, token: str | None = None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


LOGIN = (
    "mutation L($e: String!, $p: String!) { login(input: {email: $e, password: $p}) "
    "{ token errors { code message } } }"
)
