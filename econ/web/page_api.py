"""A staff page's two calls of its document: read (the page's data) and write (one form's
mutation), with the answers every staff page gives to what can go wrong.

Reading: an expired session sends her to sign in and back; an edited address (a made-up
cursor, BAD_REQUEST, or a record a required field cannot find, NOT_FOUND) is "not found";
any other error with no data is a bug (the 500 page).
Writing: the payload's errors by field, or {"": code} when the whole call was refused.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException

from econ.web.pages import PageRequest, SignInRequired, Site


def code_of(result) -> str:
    return ((result.errors or [{}])[0].get("extensions") or {}).get("code", "")


async def read(
    site: Site,
    current: PageRequest,
    document: str,
    operation: str | None = None,
    variables: dict | None = None,
) -> dict:
    result = await site.documents.run(
        document, variables, token=current.token, client=current.client, operation=operation
    )
    if result.status == 401 or code_of(result) == "UNAUTHENTICATED":
        raise SignInRequired(current.request.url.path, expired=True)
    if code_of(result) in ("BAD_REQUEST", "NOT_FOUND"):  # an edited address (a made-up
        raise HTTPException(404)  # cursor, an account that does not exist): "not found"
    if result.errors and not result.data:
        raise RuntimeError(f"{document} {operation}: {result.errors[:1]}")
    return result.data


async def write(
    site: Site, current: PageRequest, document: str, operation: str, name: str, variables: dict
) -> tuple[dict, dict[str, str]]:
    """(the payload, {field: code} of what went wrong; empty: done)."""
    result = await site.documents.run(
        document, variables, token=current.token, client=current.client, operation=operation
    )
    if result.errors and not (result.data or {}).get(name):
        return {}, {"": code_of(result) or "INVALID"}
    return result.payload(name), result.field_errors(name)
