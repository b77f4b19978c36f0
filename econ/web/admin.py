"""The administrator's pages under /staff: People (logins and the maker-checker queue) and
the page where a new staff member or employer sets her own password with her code.

Each page runs one named document (templates/admin/<page>.graphql) with the ADMIN's token,
so the API's rules decide: an ADMIN reads logins, requests and the employers' names, never
a participant's record; a request of her own is refused by approvals.approve whatever the
page draws. A form POSTs to its page and runs one mutation, then redirects (a code shown
once is the exception: it is on that one answer, never stored, never in a URL).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web import admin_views as views
from econ.web import page_api
from econ.web.caseload_views import page_cursors
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.page_api import code_of
from econ.web.pages import PageRequest, Site

ADMIN = (Role.ADMIN,)
DONE = {"ask", "role", "reactivate", "newcode", "deactivate", "approve", "reject"}


def routes(site: Site) -> list[Route]:
    async def run(current: PageRequest, document: str, operation: str, variables=None):
        return await site.documents.run(
            document, variables, token=current.token, client=current.client, operation=operation
        )

    async def people_page(current: PageRequest, **context) -> Response:
        pages = page_cursors(current.request.query_params, views.PEOPLE_PAGES)
        data = await page_api.read(site, current, "admin/people", "People", pages)
        companies = await page_api.read_whole(
            site, current, "admin/people", "Companies", {}, ("employers",), views.COMPANIES_MAX
        )
        people = views.people_of(data)
        me = (data.get("me") or {}).get("id", "")
        to_decide, waiting = views.split_queue(views.nodes(data.get("pending")), me)
        done = current.request.query_params.get("done", "")
        return site.render(
            current,
            "admin/people.html",
            views=views,
            people=people,
            names=views.names_by_id(people),
            employers=views.nodes(companies["employers"]),
            found=views.logins_of(data),
            pages=pages,
            to_decide=to_decide,
            waiting=waiting,
            recent=views.nodes(data.get("recent")),
            me=me,
            done=done if done in DONE else "",
            **{"issued": None, "errors": {}, "values": {}, **context},
        )

    async def submit(
        current: PageRequest, document: str, actions: dict, inputs, fields: dict
    ) -> tuple[str, dict, dict, dict]:
        """Run the form's one mutation: (action, its input, payload, {field: code})."""
        action = fields.get("action", "")
        operation, name = actions[action]
        values = inputs(action, fields)
        result = await run(current, document, operation, {"input": values})
        payload = result.payload(name) if result.data.get(name) else {}
        errors = result.field_errors(name) if payload else {"": code_of(result) or "INVALID"}
        return action, values, payload, errors

    @page(site)
    async def people(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        if request.method == "GET":
            return await people_page(current)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        if fields.get("action") not in views.ACTIONS:
            return site.redirect(current, "/staff/people")
        action, values, payload, errors = await submit(
            current, "admin/people", views.ACTIONS, views.request_input, fields
        )
        _ = gettext_for(current.language)
        if errors and action != "ask":  # a row's button: one message above the page
            errors = {"": next(iter(errors.values()))}
        if errors:
            shown = values if action == "ask" else {}
            return await people_page(
                current, errors=views.admin_messages(errors, _), values=shown, action=action
            )
        if payload.get("enrolmentCode"):  # shown this once, to hand over in person
            issued = {"code": payload["enrolmentCode"], "action": action, **values}
            return await people_page(current, issued=issued)
        return site.redirect(current, f"/staff/people?done={action}")

    async def partners_page(current: PageRequest, **context) -> Response:
        pages = page_cursors(current.request.query_params, ("after",))
        data = await page_api.read(site, current, "admin/partners", "Partners", pages)
        done = current.request.query_params.get("done", "")
        return site.render(
            current,
            "admin/partners.html",
            views=views,
            employers=views.nodes(data.get("employers")),
            found=data.get("employers"),
            pages=pages,
            done=done if done in ("ACTIVE", "SUSPENDED", "saved") else "",
            **{"errors": {}, "values": {}, **context},
        )

    @page(site)
    async def partners(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        if request.method == "GET":
            return await partners_page(current)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        if fields.get("action") not in views.PARTNER_ACTIONS:
            return site.redirect(current, "/staff/partners")
        action, values, _payload, errors = await submit(
            current, "admin/partners", views.PARTNER_ACTIONS, views.partner_input, fields
        )
        if errors:
            _ = gettext_for(current.language)
            if action != "create":
                errors = {"": next(iter(errors.values()))}
            shown = values if action == "create" else {}
            return await partners_page(
                current, errors=views.admin_messages(errors, _), values=shown
            )
        done = values["status"] if action == "status" else "saved"
        return site.redirect(current, f"/staff/partners?done={done}")

    async def settings_page(current: PageRequest, **context) -> Response:
        data = (await run(current, "admin/settings", "Settings")).data
        admins = views.nodes(data.get("admins"))
        return site.render(
            current,
            "admin/settings.html",
            views=views,
            settings=data.get("programSettings") or [],
            names={a["id"]: a["displayName"] or a["email"] for a in admins},
            saved=current.request.query_params.get("saved") == "1",
            **{"errors": {}, "values": {}, **context},
        )

    @page(site)
    async def settings(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        if request.method == "GET":
            return await settings_page(current)
        fields = await site.form(current, max_fields=60)
        if fields is None:
            return site.forbidden_form(current)
        stored = (await run(current, "admin/settings", "Settings")).data.get("programSettings")
        changes = views.changed_settings(fields, {s["key"]: s["value"] for s in stored or []})
        if not changes:
            return site.redirect(current, "/staff/settings")
        variables = {"input": {"settings": [{"key": k, "value": v} for k, v in changes.items()]}}
        result = await run(current, "admin/settings", "Save", variables)
        payload = result.payload("updateSettings") if result.data.get("updateSettings") else {}
        errors = result.field_errors("updateSettings") if payload else {"": code_of(result)}
        if errors:
            _ = gettext_for(current.language)
            return await settings_page(
                current, errors=views.admin_messages(errors, _), values=changes
            )
        return site.redirect(current, "/staff/settings?saved=1")

    @page(site)
    async def audit(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        choice = views.audit_filters(request.query_params)
        variables = {k: v or None for k, v in choice.items()}
        data = (await run(current, "admin/audit", "Audit", variables)).data
        log = data.get("auditLog") or {}
        page_info = log.get("pageInfo") or {}
        more = ""
        if page_info.get("hasNextPage"):
            more = urlencode({**{k: v for k, v in choice.items() if v},
                              "after": page_info["endCursor"]})  # fmt: skip
        return site.render(
            current,
            "admin/audit.html",
            views=views,
            chain=data.get("auditChain"),
            entries=views.nodes(log),
            total=log.get("totalCount", 0),
            names=views.audit_names(data),
            choice=choice,
            more=more,
        )

    @page(site)
    async def enrol(request: Request) -> Response:
        """Her code and the password she chooses; then she signs in with her e-mail."""
        current = await site.begin(request)
        if request.method == "GET":
            return site.render(current, "admin/enrol.html", errors={}, code="")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        code = (fields.get("code") or "").strip()[:64]
        variables = {"input": {"code": code, "password": (fields.get("password") or "")[:256]}}
        result = await site.documents.run("admin/enrol", variables, client=current.client)
        payload = result.payload("redeemLoginCode") if result.data.get("redeemLoginCode") else {}
        if payload.get("email"):
            return site.redirect(current, "/sign-in?enrolled=1")
        codes = result.field_errors("redeemLoginCode") if payload else {"": code_of(result)}
        _ = gettext_for(current.language)
        errors = views.admin_messages(codes or {"": "RATE_LIMITED"}, _)
        return site.render(current, "admin/enrol.html", errors=errors, code=code)

    return [
        Route("/staff/people", people, methods=["GET", "POST"]),
        Route("/staff/partners", partners, methods=["GET", "POST"]),
        Route("/staff/settings", settings, methods=["GET", "POST"]),
        Route("/staff/audit", audit, methods=["GET"]),
        Route("/staff/enrol", enrol, methods=["GET", "POST"]),
    ]
