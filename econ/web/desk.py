"""What the counselor's page modules share: the site and the counselor module's helpers to
run a document, run a mutation, render, and read her record of the address (404 when she
is not in the caseload; econ/web/counselor.py makes one `Desk`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import Response

from econ.web.pages import Site


@dataclass(frozen=True)
class Desk:
    site: Site
    query: Callable[..., Awaitable[dict]]
    mutate: Callable[..., Awaitable[tuple[dict, dict]]]
    show: Callable[..., Response]
    her_record: Callable[..., Awaitable[dict]]

    async def whole_list(
        self, current, document: str, operation: str, variables: dict, path: tuple[str, str],
        limit: int,
    ) -> dict | None:  # fmt: skip
        """The document's data with every edge of `data[owner][connection]` (`path`), read a
        page at a time through its `$after` until the list ends or holds `limit` edges: a
        form for a whole class must never be its first page alone. None: no such owner."""
        owner, connection = path
        variables = {**variables, "after": None}
        first, edges = None, []
        while True:
            data = await self.query(current, document, operation, variables)
            if data.get(owner) is None:
                return None
            first = first or data
            edges += data[owner][connection]["edges"]
            info = data[owner][connection]["pageInfo"]
            if not info["hasNextPage"] or len(edges) >= limit:
                break
            variables["after"] = info["endCursor"]
        first[owner][connection] = {"edges": edges[:limit]}
        return first


def in_words(codes: dict[str, str], table: dict[str, str], fallback: str, _) -> dict[str, str]:
    """{form or row: code} as {form or row: her words}; a code not in `table`: `fallback`."""
    return {key: _(table.get(code, fallback)) for key, code in codes.items()}
