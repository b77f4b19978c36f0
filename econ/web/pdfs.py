"""A page's PDF download: a statement opened through the statements service with the page's
own session (the same rule and audit as the API: she, her counselor, FINANCE), answered as
an attachment named by id only (the name says nothing of what it is or whose)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from econ.bounds import id_in_range, optional_whole_number
from econ.db import db
from econ.errors import DomainError
from econ.statements import services as statements
from econ.web.pages import PageRequest


def attachment(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def statement(current: PageRequest, statement_id: int, version_text: str | None) -> Response:
    """A statement's PDF (`?version=N`, or the current one); any refusal is "not found"."""
    try:
        version = optional_whole_number(version_text, "version")
    except DomainError:
        raise HTTPException(404) from None
    if not id_in_range(statement_id):
        raise HTTPException(404)
    content = await run_in_threadpool(_open, current, statement_id, version)
    if content is None:
        raise HTTPException(404)
    return attachment(content, f"document-{statement_id}{f'-v{version}' if version else ''}.pdf")


def _open(current: PageRequest, statement_id: int, version: int | None) -> bytes | None:
    with db.connection_context():
        try:
            return statements.open_statement(current.actor, statement_id, version)[1]
        except DomainError:
            return None
