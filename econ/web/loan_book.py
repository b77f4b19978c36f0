"""The loan book under /staff/loans: the portfolio and its groups, a group with its
collection sheet for a meeting (the whole group in one form, saved all or nothing, then
printable as the PDF), a loan's schedule.

Pages read through their documents (templates/finance/loans, group, loan); the PDFs come
from the statements service, as her statement downloads do, with its rule and audit.
"""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.db import db
from econ.errors import DomainError
from econ.security.roles import Role
from econ.statements import services as statements
from econ.web import finance_views, page_api, pdfs
from econ.web import loan_book_views as views
from econ.web.caseload_views import page_cursors
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest, Site

FINANCE = (Role.FINANCE,)


def routes(site: Site) -> list[Route]:
    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, **context)

    @page(site)
    async def book(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        pages = page_cursors(request.query_params, ("payoutAfter", "groupsAfter"))
        data = await page_api.read(site, current, "finance/loans", "Book", pages)
        return show(
            current,
            "finance/loans.html",
            portfolio=data["portfolio"],
            groups=nodes(data.get("loanGroups")),
            waiting=nodes(data.get("toPayOut")),
            found=data,
            pages=pages,
        )

    def id_of(request: Request, name: str) -> int:
        value = request.path_params[name]
        if not id_in_range(value):
            raise HTTPException(404)
        return value

    @page(site)
    async def group(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        group_id = id_of(request, "group_id")
        pages = page_cursors(request.query_params, ("meetingsAfter",))
        variables, path = {"id": str(group_id), **pages}, ("loanGroup", "loans")
        found = await page_api.read_whole(
            site, current, "finance/group", "Group", variables, path, views.GROUP_LOANS_MAX
        )
        if found is None:
            raise HTTPException(404)
        group = found["loanGroup"]
        return show(
            current,
            "finance/group.html",
            group=group,
            loans_of=views.loans_of(group),
            pages=pages,
        )

    @page(site)
    async def sheet(request: Request) -> Response:
        """A meeting's collection sheet: every member in one form; all rows or none."""
        current = await site.begin(request, roles=FINANCE)
        group_id = id_of(request, "group_id")
        fields: dict[str, str] = {}
        asked = request.query_params.get("date")
        if request.method == "POST":
            posted = await site.form(current, max_fields=3 * 60 + 5)
            if posted is None:
                return site.forbidden_form(current)
            fields, asked = posted, posted.get("date")
        day = views.sheet_day(asked)
        data = await _sheet(site, current, group_id, day)
        rows = data["collectionSheet"]["rows"]
        errors: dict[str, str] = {}
        if request.method == "POST" and not data["collectionSheet"]["saved"]:
            errors = await _save(site, current, group_id, day, rows, fields)
            if not errors:
                target = f"/staff/groups/{group_id}/sheet?date={day.isoformat()}&saved=1"
                return site.redirect(current, target)
        _ = gettext_for(current.language)
        return show(
            current,
            "finance/sheet.html",
            group=data["loanGroup"],
            sheet=data["collectionSheet"],
            rows=rows,
            day=day,
            posted=fields,
            errors=finance_views.finance_messages(errors, _) if errors else {},
            saved=request.query_params.get("saved") == "1",
        )

    @page(site)
    async def sheet_pdf(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        group_id = id_of(request, "group_id")
        try:
            day = dt.date.fromisoformat(request.path_params["day"])
        except ValueError:
            raise HTTPException(404) from None
        content = await run_in_threadpool(
            _pdf, statements.collection_sheet_pdf, current, group_id, day
        )
        return pdfs.attachment(content, f"collection-sheet-{group_id}-{day.isoformat()}.pdf")

    @page(site)
    async def loan(request: Request) -> Response:
        """A loan's schedule; an approved one can be asked to be paid out by the next run."""
        current = await site.begin(request, roles=FINANCE)
        loan_id = id_of(request, "loan_id")
        errors: dict[str, str] = {}
        if request.method == "POST":
            if await site.form(current) is None:
                return site.forbidden_form(current)
            variables = {"input": {"loanId": str(loan_id)}}
            _, codes = await page_api.write(
                site, current, "finance/loan", "Request", "requestLoanDisbursement", variables
            )
            if not codes:
                return site.redirect(current, f"/staff/loans/{loan_id}?requested=1")
            _ = gettext_for(current.language)
            errors = finance_views.finance_messages({"": next(iter(codes.values()))}, _)
        pages = page_cursors(request.query_params, ("repaymentsAfter",))
        variables = {"id": str(loan_id), **pages}
        found = await page_api.read(site, current, "finance/loan", "Loan", variables)
        if found.get("loan") is None:
            raise HTTPException(404)
        return show(
            current,
            "finance/loan.html",
            loan=found["loan"],
            pages=pages,
            errors=errors,
            requested=request.query_params.get("requested") == "1",
        )

    @page(site)
    async def loan_pdf(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        loan_id = id_of(request, "loan_id")
        content = await run_in_threadpool(_pdf, statements.loan_schedule_pdf, current, loan_id)
        return pdfs.attachment(content, f"loan-{loan_id}-schedule.pdf")

    @page(site)
    async def ledger(request: Request) -> Response:
        """Balances by account for a month (the current one unless the address says)."""
        current = await site.begin(request, roles=FINANCE)
        period = finance_views.period_of(request.query_params.get("period")) or _this_month()
        data = await page_api.read(site, current, "finance/ledger", "Period", {"period": period})
        return show(current, "finance/ledger.html", period=period, rows=data["ledgerPeriod"])

    @page(site)
    async def ledger_entries(request: Request) -> Response:
        """The lines behind one account's figure for a month, 50 a page."""
        current = await site.begin(request, roles=FINANCE)
        account = request.path_params["account"]
        if not views.ACCOUNT.match(account):
            raise HTTPException(404)
        period = finance_views.period_of(request.query_params.get("period")) or _this_month()
        after = finance_views.cursor(request.query_params.get("after")) or None
        variables = {"account": account, "period": period, "after": after}
        data = await page_api.read(site, current, "finance/ledger", "Entries", variables)
        found = data.get("ledgerEntries")
        if found is None:  # an account that does not exist
            raise HTTPException(404)
        info = found.get("pageInfo") or {}
        return show(
            current,
            "finance/ledger_entries.html",
            account=account,
            period=period,
            lines=[edge["node"] for edge in found.get("edges", [])],
            total=found.get("totalCount", 0),
            after=after,
            next_page=info["endCursor"] if info.get("hasNextPage") else None,
        )

    return [
        Route("/staff/ledger", ledger, methods=["GET"]),
        Route("/staff/ledger/{account:str}", ledger_entries, methods=["GET"]),
        Route("/staff/loans", book, methods=["GET"]),
        Route("/staff/loans/{loan_id:int}", loan, methods=["GET", "POST"]),
        Route("/staff/loans/{loan_id:int}/schedule.pdf", loan_pdf, methods=["GET"]),
        Route("/staff/groups/{group_id:int}", group, methods=["GET"]),
        Route("/staff/groups/{group_id:int}/sheet", sheet, methods=["GET", "POST"]),
        Route("/staff/groups/{group_id:int}/sheet/{day:str}.pdf", sheet_pdf, methods=["GET"]),
    ]


async def _sheet(site: Site, current: PageRequest, group_id: int, day: dt.date) -> dict:
    variables = {"id": str(group_id), "date": day.isoformat()}
    data = await page_api.read(site, current, "finance/group", "Sheet", variables)
    if data.get("loanGroup") is None or data.get("collectionSheet") is None:
        raise HTTPException(404)
    return data


async def _save(site, current, group_id, day, rows, fields) -> dict[str, str]:
    """Every row needs an attendance; then one saveCollectionSheet call for the group."""
    entries = views.sheet_input(rows, fields)
    missing = views.missing_attendance(entries)
    if missing or not entries:
        return missing or {"": "REQUIRED"}
    variables = {"input": {"groupId": str(group_id), "date": day.isoformat(), "rows": entries}}
    _, codes = await page_api.write(
        site, current, "finance/group", "Save", "saveCollectionSheet", variables
    )
    return views.row_errors(codes, entries)


def _pdf(render, current: PageRequest, *args) -> bytes:
    """The statements service's PDF (its rule and audit), or "not found" for any refusal."""
    with db.connection_context():
        try:
            return render(current.actor, *args, current.language)
        except DomainError:
            raise HTTPException(404) from None


def _this_month() -> str:
    return dt.date.today().strftime("%Y-%m")
