"""PDF downloads over HTTP, with the same bearer token as /graphql.

    GET /statements/{id}.pdf[?version=N]
    GET /documents/payment-runs/{id}/report.pdf[?lang=es]
    GET /documents/loans/{id}/schedule.pdf[?lang=]
    GET /documents/loan-groups/{id}/collection-sheet/{YYYY-MM-DD}.pdf[?lang=]
    GET /documents/loan-preview.pdf?principal=&annualInterestRate=&numberOfInstallments=
        &frequency=&disbursementDate=[&lang=]

No valid token: 401. A document the caller may not read answers exactly like one that
does not exist: 404. Database work runs in a worker thread with its own connection.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from econ.bounds import ID_MESSAGE, id_in_range, optional_whole_number, parse_date
from econ.db import request_connection
from econ.errors import CommonCode, DomainError
from econ.schema.endpoint import bearer_token
from econ.security.services import authenticate
from econ.statements import services
from econ.statements.errors import StatementCode

_NOT_FOUND = {"errors": [{"message": "not found", "extensions": {"code": "NOT_FOUND"}}]}
_HIDDEN = ("NOT_FOUND", "FORBIDDEN")


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",  # personal data: never kept by a proxy
            "X-Content-Type-Options": "nosniff",
        },
    )


def _run(token: str | None, work: Callable) -> tuple[int, object]:
    """Authenticate and do the work in one connection; map failures to statuses."""
    with request_connection():
        actor = authenticate(token)
        if actor is None:
            return 401, None
        try:
            return 200, work(actor)
        except DomainError as exc:
            if exc.code in _HIDDEN:
                return 404, None
            return 400, {"message": exc.message, "code": exc.code, "field": exc.field}


def _bad_request(message: str, code: str = CommonCode.BAD_REQUEST) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, 400)


async def _respond(request: Request, work: Callable, filename: str) -> Response:
    if not all(id_in_range(v) for v in request.path_params.values() if isinstance(v, int)):
        return _bad_request(ID_MESSAGE)
    status, result = await run_in_threadpool(_run, bearer_token(request), work)
    if status == 401:
        return JSONResponse(
            {"errors": [{"message": "sign in first", "extensions": {"code": "UNAUTHENTICATED"}}]},
            401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if status == 404:
        return JSONResponse(_NOT_FOUND, 404)
    if status == 400:
        return JSONResponse({"errors": [{"message": result["message"], "extensions": result}]}, 400)
    return _pdf(result, filename)


def _lang(request: Request) -> str | None:
    return request.query_params.get("lang") or None


async def statement(request: Request) -> Response:
    statement_id = request.path_params["statement_id"]
    try:
        version = optional_whole_number(request.query_params.get("version"), "version")
    except DomainError as exc:
        return _bad_request(exc.message, exc.code)

    def work(actor):
        return services.open_statement(actor, statement_id, version)[1]

    suffix = f"-v{version}" if version else ""
    return await _respond(request, work, f"statement-{statement_id}{suffix}.pdf")


async def run_report(request: Request) -> Response:
    run_id = request.path_params["run_id"]
    return await _respond(
        request,
        lambda actor: services.payment_run_report_pdf(actor, run_id, _lang(request)),
        f"payment-run-{run_id}.pdf",
    )


async def loan_schedule(request: Request) -> Response:
    loan_id = request.path_params["loan_id"]
    return await _respond(
        request,
        lambda actor: services.loan_schedule_pdf(actor, loan_id, _lang(request)),
        f"loan-{loan_id}-schedule.pdf",
    )


async def collection_sheet(request: Request) -> Response:
    group_id = request.path_params["group_id"]
    try:
        on = parse_date(request.path_params["on"])
    except DomainError as exc:
        return _bad_request(exc.message, exc.code)
    return await _respond(
        request,
        lambda actor: services.collection_sheet_pdf(actor, group_id, on, _lang(request)),
        f"collection-sheet-{group_id}-{on.isoformat()}.pdf",
    )


async def loan_preview(request: Request) -> Response:
    q = request.query_params

    def work(actor):
        try:
            installments = int(q.get("numberOfInstallments", ""))
        except ValueError:
            raise DomainError(
                StatementCode.INVALID_INPUT, "numberOfInstallments must be a whole number"
            ) from None
        disbursed = parse_date(q.get("disbursementDate"), "disbursementDate")
        return services.loan_preview_pdf(
            actor,
            _lang(request),
            principal=q.get("principal", ""),
            annual_interest_rate=q.get("annualInterestRate", ""),
            number_of_installments=installments,
            frequency=q.get("frequency", "MONTHS"),
            disbursement_date=disbursed,
            repayment_every=int(q["repaymentEvery"])
            if q.get("repaymentEvery", "").isdigit()
            else None,
        )

    return await _respond(request, work, "loan-preview.pdf")


def routes() -> list[Route]:
    return [
        Route("/statements/{statement_id:int}.pdf", statement, methods=["GET"]),
        Route("/documents/payment-runs/{run_id:int}/report.pdf", run_report, methods=["GET"]),
        Route("/documents/loans/{loan_id:int}/schedule.pdf", loan_schedule, methods=["GET"]),
        Route(
            "/documents/loan-groups/{group_id:int}/collection-sheet/{on}.pdf",
            collection_sheet,
            methods=["GET"],
        ),
        Route("/documents/loan-preview.pdf", loan_preview, methods=["GET"]),
    ]
