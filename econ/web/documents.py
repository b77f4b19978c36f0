"""The pages' named GraphQL documents, run in-process through the API's own pipeline.

Each page's data comes from one document in a `.graphql` file beside its template
(`templates/<audience>/<page>.graphql`); the files are the project's trusted documents,
read once at start-up. `Documents.run` hands them to `GraphQLEndpoint.run`, the very
function behind POST /graphql: validation, the cost limit, the anonymous rate limit,
authentication by the session's token, the allowlisted resolvers and their audit all apply
to a page exactly as to any API client. There is no HTTP hop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import parse, print_ast
from graphql.utilities import separate_operations

from econ.schema.endpoint import GraphQLEndpoint

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Result:
    status: int
    data: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def payload(self, mutation: str) -> dict:
        """A mutation's payload (its `errors` are the user's mistakes, shown by field)."""
        return (self.data or {}).get(mutation) or {}

    def field_errors(self, mutation: str) -> dict[str, str]:
        """{field or "": code} of a mutation's payload errors."""
        return {(e.get("field") or ""): e["code"] for e in self.payload(mutation).get("errors", [])}


def load_documents(root: Path = TEMPLATES) -> dict[str, str]:
    """`participant/home` -> the text of templates/participant/home.graphql."""
    return {
        str(path.relative_to(root).with_suffix("")): path.read_text(encoding="utf-8")
        for path in sorted(root.glob("**/*.graphql"))
    }


def operation_texts(texts: dict[str, str]) -> dict[tuple[str, str], str]:
    """(file, operation) -> that operation alone with the fragments it uses.

    A record's tabs share one file; each tab sends only its own operation, so the cost
    limit weighs what a page asks, not everything its file holds."""
    return {
        (name, operation): print_ast(document)
        for name, text in texts.items()
        for operation, document in separate_operations(parse(text)).items()
    }


class Documents:
    def __init__(self, endpoint: GraphQLEndpoint, root: Path = TEMPLATES):
        self.endpoint = endpoint
        self.texts = load_documents(root)
        self.operations = operation_texts(self.texts)

    async def run(
        self,
        name: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        client: str = "unknown",
        operation: str | None = None,
    ) -> Result:
        query = self.operations[(name, operation)] if operation else self.texts[name]
        payload = {"query": query, "variables": variables or {}}
        if operation:
            payload["operationName"] = operation
        status, body = await self.endpoint.lanes.run(self.endpoint.run, payload, token, client)
        if status == 429:
            return Result(429, errors=[{"extensions": {"code": "RATE_LIMITED"}}])
        return Result(status, body.get("data") or {}, body.get("errors") or [])
