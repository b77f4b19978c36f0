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


async def read_whole(
    site: Site,
    current: PageRequest,
    document: str,
    operation: str,
    variables: dict,
    path: tuple[str, ...],
    limit: int,
) -> dict | None:
    """The document's data with every edge of the connection at `path` (`("employers",)`,
    `("cohort", "enrollments")`), read a page at a time through its `$after` until the
    list ends or holds `limit` edges: a form for a whole class, or a chooser of every
    company, must never be its first page alone. None: no such owner (a made-up or
    out-of-reach id)."""
    *owners, connection = path
    variables = {**variables, "after": None}
    first, edges = None, []
    while True:
        data = await read(site, current, document, operation, variables)
        holder = data
        for key in owners:
            holder = holder.get(key)
            if holder is None:
                return None
        page = holder[connection]
        first = first or data
        edges += page["edges"]
        if not page["pageInfo"]["hasNextPage"] or len(edges) >= limit:
            break
        variables["after"] = page["pageInfo"]["endCursor"]
    kept = first
    for key in owners:
        kept = kept[key]
    kept[connection] = {"edges": edges[:limit]}
    return first


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
