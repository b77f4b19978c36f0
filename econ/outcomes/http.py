"""The indicator report over HTTP, with the same bearer token as /graphql.

    GET /outcomes/report.pdf?from=YYYY-MM-DD&to=YYYY-MM-DD[&asOf=YYYY-MM-DD]

ADMIN only. No valid token: 401; another role: 404 (as for any document out of reach);
bad dates: 400. The download is audited by the service.
"""

from __future__ import annotations

from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from econ.bounds import parse_date
from econ.db import request_connection
from econ.errors import DomainError
from econ.outcomes.report import outcomes_report_pdf
from econ.schema.endpoint import bearer_token
from econ.security.services import authenticate


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


def _dates(request: Request) -> tuple[date, date, date | None]:
    """From, to and as-of, each a YYYY-MM-DD date within econ/bounds.py's years."""
    q = request.query_params
    as_of = parse_date(q["asOf"], "asOf") if q.get("asOf") else None
    return parse_date(q.get("from"), "from"), parse_date(q.get("to"), "to"), as_of


def _work(token: str | None, request: Request) -> tuple[int, object]:
    with request_connection():
        actor = authenticate(token)
        if actor is None:
            return 401, None
        try:
            return 200, outcomes_report_pdf(actor, *_dates(request))
        except DomainError as exc:
            if exc.code in ("NOT_FOUND", "FORBIDDEN"):
                return 404, None
            return 400, exc


async def report(request: Request) -> Response:
    status, result = await run_in_threadpool(_work, bearer_token(request), request)
    if status == 401:
        return _error(401, "UNAUTHENTICATED", "sign in first")
    if status == 404:
        return _error(404, "NOT_FOUND", "not found")
    if status == 400:
        return _error(400, result.code, result.message)
    return Response(
        result,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'inline; filename="indicators.pdf"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def routes() -> list[Route]:
    return [Route("/outcomes/report.pdf", report, methods=["GET"])]
