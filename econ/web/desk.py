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


def in_words(codes: dict[str, str], table: dict[str, str], fallback: str, _) -> dict[str, str]:
    """{form or row: code} as {form or row: her words}; a code not in `table`: `fallback`."""
    return {key: _(table.get(code, fallback)) for key, code in codes.items()}
