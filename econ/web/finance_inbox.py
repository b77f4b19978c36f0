"""The finance staff's four-eyes pages: the approvals inbox under /staff/approvals (awards,
adjustments, schedules, loans, write-offs, decided one by one or many at once) and her
payment details under /staff/payees, confirmed by someone other than who changed them.

Like the run pages (finance.py), each page renders one named document
(templates/finance/<page>.graphql) with her session's token, and each form runs one
mutation: the services refuse what is not hers to decide, and the page shows their reason.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.statements.i18n import N_
from econ.web import finance_inbox_views as views
from econ.web import finance_views, page_api
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import Formats, gettext_for
from econ.web.pages import PageRequest, Site

FINANCE = (Role.FINANCE,)


def routes(site: Site) -> list[Route]:
    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, **context)

    # --- the approvals inbox -------------------------------------------------------------

    async def inbox(current: PageRequest) -> tuple[dict, dict]:
        data = await page_api.read(site, current, "finance/approvals", "Inbox")
        me = str(current.actor.user_id)
        rows = views.inbox_rows(data, me, Formats(current.language), _for(current))
        return data, rows

    @page(site)
    async def approvals(request: Request) -> Response:
        """Approve or reject one or many with one comment; never her own (the services
        refuse it too: a forged form gets the service's reason)."""
        current = await site.begin(request, roles=FINANCE)
        _ = _for(current)
        outcomes: dict[str, str] = {}
        errors: dict[str, str] = {}
        chosen: set[str] = set()
        comment = ""
        if request.method == "POST":
            fields = await site.form(current, max_fields=views.PICK_MAX + 10)
            if fields is None:
                return site.forbidden_form(current)
            _data, rows = await inbox(current)
            picked = views.picked(fields, rows)
            approve = fields.get("decision") == "approve"
            comment = finance_views.note_of(fields.get("comment"))[:300]
            if not picked:
                errors = {"": _("Tick at least one.")}
            elif not approve and not comment:
                errors = {"": _("Say why you reject: the person who asked reads it.")}
            else:
                for row in picked:
                    operation, name, variables = views.decision_input(row, approve, comment)
                    _payload, codes = await page_api.write(
                        site, current, "finance/approvals", operation, name, variables
                    )
                    if codes:
                        outcomes[row.key] = finance_views.finance_messages(
                            {"": next(iter(codes.values()))}, _
                        )[""]
                if not outcomes:
                    done = "approved" if approve else "rejected"
                    return site.redirect(current, f"/staff/approvals?{done}={len(picked)}")
            chosen = {row.key for row in picked if row.key in outcomes or errors}
            labels = {row.key: f"{row.code} {row.what}" for row in picked}
        data, rows = await inbox(current)
        if request.method != "POST":
            labels = {}
        pending = data.get("pendingAmounts") or {}
        return show(
            current,
            "finance/approvals.html",
            rows=rows,
            totals=views.inbox_totals(data),
            runs=[e["node"] for e in (data.get("paymentRuns") or {}).get("edges", [])],
            payees=nodes(pending.get("payees")),
            me=str(current.actor.user_id),
            done=_done_message(request, _),
            outcomes=outcomes,
            labels=labels,
            errors=errors,
            chosen=chosen,
            comment=comment,
        )

    # --- her payment details ------------------------------------------------------------

    async def read_payee(current: PageRequest, operation: str = "Payee") -> dict:
        participant_id = current.request.path_params["participant_id"]
        if not id_in_range(participant_id):
            raise HTTPException(404)
        data = await page_api.read(
            site, current, "finance/payee", operation, {"id": str(participant_id)}
        )
        if data.get("participant") is None or (operation == "Payee" and not data["payeeStatus"]):
            raise HTTPException(404)
        return data

    async def show_payee(
        current: PageRequest,
        back: str,
        *,
        revealed: dict | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        saved: bool = False,
    ) -> Response:
        """Her payment details' page (with her legal name and account once revealed)."""
        data = await read_payee(current)
        return show(
            current,
            "finance/payee.html",
            her=data["participant"],
            standing=data["payeeStatus"],
            revealed=revealed,
            errors=errors or {},
            values=values or {},
            back=back,
            saved=saved,
        )

    def back_to(request: Request) -> str:
        run = request.query_params.get("run", "")
        return run if run.isdigit() and id_in_range(int(run)) else ""

    @page(site)
    async def payee(request: Request) -> Response:
        """Confirm her changed payment details (never the person who changed them)."""
        current = await site.begin(request, roles=FINANCE)
        back = back_to(request)
        errors: dict[str, str] = {}
        values: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            her = (await read_payee(current))["participant"]
            values = {k: finance_views.note_of(fields.get(k)) for k in ("note", "sharedReason")}
            variables = {"input": {"participantId": her["id"], "note": values["note"]}}
            if values["sharedReason"]:
                variables["input"]["sharedReason"] = values["sharedReason"]
            _, codes = await page_api.write(
                site, current, "finance/payee", "Confirm", "confirmPayee", variables
            )
            if not codes:
                target = f"/staff/payees/{her['id']}?saved=1" + (f"&run={back}" if back else "")
                return site.redirect(current, target)
            errors = finance_views.finance_messages({"": next(iter(codes.values()))}, _for(current))
        saved = request.query_params.get("saved") == "1"
        return await show_payee(current, back, errors=errors, values=values, saved=saved)

    @page(site)
    async def payee_reveal(request: Request) -> Response:
        """Her legal name and account, on this answer only (the API audits the read)."""
        current = await site.begin(request, roles=FINANCE)
        if request.method == "GET":
            return site.redirect(current, request.url.path.removesuffix("/reveal"))
        if await site.form(current) is None:
            return site.forbidden_form(current)
        revealed = (await read_payee(current, "Reveal"))["participant"]
        return await show_payee(current, back_to(request), revealed=revealed)

    return [
        Route("/staff/approvals", approvals, methods=["GET", "POST"]),
        Route("/staff/payees/{participant_id:int}", payee, methods=["GET", "POST"]),
        Route("/staff/payees/{participant_id:int}/reveal", payee_reveal, methods=["GET", "POST"]),
    ]


def _done_message(request: Request, _) -> str:
    for key, text in (("approved", N_("Approved: %(n)s.")), ("rejected", N_("Rejected: %(n)s."))):
        value = request.query_params.get(key, "")
        if value.isdigit() and len(value) < 4:
            return _(text) % {"n": int(value)}
    return ""


def _for(current: PageRequest):
    return gettext_for(current.language)
