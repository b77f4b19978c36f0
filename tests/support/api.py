"""A small GraphQL client over the real ASGI app, as users drive it."""

from __future__ import annotations

from typing import Any


class GraphQLFailure(AssertionError):
    pass


class Api:
    def __init__(self, http):
        self.http = http

    def post(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        body["_status"] = response.status_code
        return body

    def query(self, query: str, variables: dict | None = None, token: str | None = None) -> Any:
        """Data of a query that must succeed without any error."""
        body = self.post(query, variables, token)
        if body.get("errors") or body["_status"] != 200:
            raise GraphQLFailure(f"unexpected errors: {body}")
        return body["data"]

    def mutate(self, name: str, input: dict, selection: str, token: str | None) -> dict:
        """Run `name(input: $input) { <selection> errors { field code message } }`."""
        query = (
            f"mutation M($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) "
            f"{{ {selection} errors {{ field code message }} }} }}"
        )
        body = self.post(query, {"input": input}, token)
        if body.get("errors"):
            raise GraphQLFailure(f"unexpected errors: {body}")
        return body["data"][name]

    def ok(self, name: str, input: dict, selection: str, token: str | None) -> dict:
        """A mutation that must succeed (no payload errors)."""
        payload = self.mutate(name, input, selection, token)
        if payload["errors"]:
            raise GraphQLFailure(f"{name} failed: {payload['errors']}")
        return payload

    def login(self, email: str, password: str) -> str:
        payload = self.ok("login", {"email": email, "password": password}, "token", None)
        return payload["token"]
