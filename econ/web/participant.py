"""The participant's own pages under /my: each renders one named document
(templates/participant/<page>.graphql) run with her session's token; forms POST back to
the page, run one mutation of the same document, and redirect (POST-redirect-GET).

No page needs JavaScript. Every string is translated; amounts and dates are Babel's.
"""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import page_api, pdfs, sessions
from econ.web import participant_views as views
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.messages import messages_for
from econ.web.pages import SIZE_COOKIE, TEXT_SIZES, PageRequest, SignInRequired, Site

HER = (Role.PARTICIPANT,)


def routes(site: Site) -> list[Route]:
    async def her_data(current: PageRequest, document: str, operation: str | None = None,
                       variables: dict | None = None) -> tuple[dict, dict]:  # fmt: skip
        """(her participant record, the whole data) of a page's query."""
        result = await site.documents.run(
            document, variables, token=current.token, client=current.client, operation=operation
        )
        participant = ((result.data or {}).get("me") or {}).get("participant")
        if participant is None:  # the session ended between the check and the query
            raise SignInRequired(current.request.url.path, expired=True)
        return participant, result.data

    async def mutate(current: PageRequest, document: str, operation: str, name: str,
                     variables: dict | None = None) -> dict[str, str]:  # fmt: skip
        """Run one mutation; {field: code} of what went wrong (empty: done)."""
        _payload, codes = await page_api.write(site, current, document, operation, name, variables)
        return codes

    def show(current: PageRequest, template: str, errors: dict | None = None, **context):
        _ = gettext_for(current.language)
        return site.render(
            current, template, views=views, errors=messages_for(errors or {}, _), **context
        )

    @page(site)
    async def home(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        her, _ = await her_data(current, "participant/home")
        today = dt.date.today()
        plan = her.get("plan") or {}
        return show(
            current,
            "participant/home.html",
            her=her,
            payment=views.next_payment(her),
            lesson=views.next_class(nodes(her.get("enrollments")), today),
            installment=views.next_installment(nodes(her.get("loans"))),
            meeting=views.next_meeting(nodes(her.get("loans"))),
            milestone=views.next_milestone(plan.get("milestones") or []),
            plan_to_agree=bool(plan.get("revision")) and not plan.get("agreedAt"),
        )

    @page(site)
    async def plan(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        errors: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            her, _ = await her_data(current, "participant/plan", "Plan")
            revision = _int(fields.get("revision"))
            errors = await mutate(
                current,
                "participant/plan",
                "Agree",
                "agreeToPlan",
                {"input": {"participantId": her["id"], "revision": revision}},
            )
            if not errors:
                return site.redirect(current, "/my/plan?agreed=1")
            errors = {"": next(iter(errors.values()))}
        her, _ = await her_data(current, "participant/plan", "Plan")
        return show(
            current,
            "participant/plan.html",
            errors,
            plan=her.get("plan"),
            agreed=request.query_params.get("agreed") == "1",
        )

    @page(site)
    async def payments(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        her, _ = await her_data(current, "participant/payments")
        return show(current, "participant/payments.html", her=her)

    @page(site)
    async def loan(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        her, _ = await her_data(current, "participant/loan", "Loans")
        return show(current, "participant/loan.html", loans=nodes(her.get("loans")))

    @page(site)
    async def loan_schedule(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        loan_id = request.path_params["loan_id"]
        if not id_in_range(loan_id):
            raise HTTPException(404)
        result = await site.documents.run(
            "participant/loan",
            {"id": str(loan_id)},
            token=current.token,
            client=current.client,
            operation="Schedule",
        )
        found = (result.data or {}).get("loan")
        if found is None:  # not hers, or no such loan: the same page
            raise HTTPException(404)
        return show(current, "participant/loan_schedule.html", loan=found)

    @page(site)
    async def training(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        her, data = await her_data(current, "participant/training")
        openings = [e["node"] for e in (data.get("opportunities") or {}).get("edges", [])]
        return show(current, "participant/training.html", her=her, openings=openings)

    @page(site)
    async def consents(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        errors: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            errors = await _consent_change(current, fields)
            if not errors:
                return site.redirect(current, "/my/consents?saved=1")
            errors = {"": next(iter(errors.values()))}  # the page's one message
        her, data = await her_data(current, "participant/consents", "Consents")
        employers = [e["node"] for e in (data.get("employers") or {}).get("edges", [])]
        given = nodes(her.get("consents"))
        with_profile = {
            c["employer"]["id"] for c in given if c["current"] and c["scope"] == "PROFILE"
        }
        with_identity = {
            c["employer"]["id"] for c in given if c["current"] and c["scope"] == "IDENTITY"
        }
        return show(
            current,
            "participant/consents.html",
            errors,
            current_consents=views.current_consents(given),
            past=[c for c in given if not c["current"]],
            employers=[e for e in employers if e["id"] not in with_profile],
            # Contact details only go to an employer that already sees her profile.
            contactable=[
                e for e in employers if e["id"] in with_profile and e["id"] not in with_identity
            ],
            saved=request.query_params.get("saved") == "1",
        )

    async def _consent_change(current: PageRequest, fields: dict) -> dict[str, str]:
        if fields.get("revoke"):
            return await mutate(
                current, "participant/consents", "Revoke", "revokeConsent",
                {"input": {"consentId": fields["revoke"][:20]}},
            )  # fmt: skip
        if fields.get("give"):
            her, _ = await her_data(current, "participant/consents", "Consents")
            return await mutate(
                current, "participant/consents", "Give", "giveConsent",
                {"input": {"participantId": her["id"], "employerId": fields["give"][:20],
                           "scope": "PROFILE"}},
            )  # fmt: skip
        if fields.get("contact"):  # IDENTITY: her name and the one channel she chose
            her, _ = await her_data(current, "participant/consents", "Consents")
            return await mutate(
                current, "participant/consents", "Give", "giveConsent",
                {"input": {"participantId": her["id"], "employerId": fields["contact"][:20],
                           "scope": "IDENTITY",
                           "channelType": views.channel_choice(fields.get("channelType")),
                           "channelValue": fields.get("channelValue", "")[:200].strip()}},
            )  # fmt: skip
        return {"": "REQUIRED"}

    @page(site)
    async def reads(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        after = request.query_params.get("after") or None
        her, _ = await her_data(current, "participant/reads", variables={"after": after})
        log = her["accessLog"]
        return show(
            current,
            "participant/reads.html",
            total=log["totalCount"],
            entries=[views.reader(e["node"]) for e in log["edges"]],
            more=log["pageInfo"]["endCursor"] if log["pageInfo"]["hasNextPage"] else None,
        )

    @page(site)
    async def documents(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        her, _ = await her_data(current, "participant/documents")
        return show(current, "participant/documents.html", statements=nodes(her.get("statements")))

    @page(site)
    async def statement_pdf(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        return await pdfs.statement(
            current, request.path_params["statement_id"], request.query_params.get("version")
        )

    @page(site)
    async def settings_page(request: Request) -> Response:
        current = await site.begin(request, roles=HER)
        errors: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            action = fields.get("action")
            if action == "size":
                response = site.redirect(current, "/my/settings?saved=1")
                size = fields.get("size") if fields.get("size") in TEXT_SIZES else "normal"
                response.set_cookie(SIZE_COOKIE, size, httponly=True, samesite="strict",
                                    path="/", secure=site.settings.is_production)  # fmt: skip
                return response
            if action == "everywhere":
                await mutate(current, "participant/settings", "SignOutEverywhere",
                             "logoutEverywhere")  # fmt: skip
                response = site.redirect(None, "/sign-in")
                response.delete_cookie(sessions.SESSION_COOKIE, path="/")
                return response
            if action == "passphrase":
                errors = await mutate(
                    current, "participant/settings", "ChangePassphrase", "changePassword",
                    {"input": {"currentPassword": fields.get("current", "")[:256],
                               "newPassword": fields.get("new", "")[:256]}},
                )  # fmt: skip
                if not errors:  # every session ended, this one too: sign in again
                    response = site.redirect(None, "/sign-in?changed=1")
                    response.delete_cookie(sessions.SESSION_COOKIE, path="/")
                    return response
                errors = {_passphrase_field(k): v for k, v in errors.items()}
        result = await site.documents.run(
            "participant/settings", token=current.token, client=current.client,
            operation="Settings",
        )  # fmt: skip
        me = (result.data or {}).get("me")
        if me is None:
            raise SignInRequired(request.url.path, expired=True)
        return show(
            current,
            "participant/settings.html",
            errors,
            me=me,
            sizes=TEXT_SIZES,
            saved=request.query_params.get("saved") == "1",
        )

    return [
        Route("/my", home, methods=["GET"]),
        Route("/my/plan", plan, methods=["GET", "POST"]),
        Route("/my/payments", payments, methods=["GET"]),
        Route("/my/loan", loan, methods=["GET"]),
        Route("/my/loan/{loan_id:int}", loan_schedule, methods=["GET"]),
        Route("/my/training", training, methods=["GET"]),
        Route("/my/consents", consents, methods=["GET", "POST"]),
        Route("/my/reads", reads, methods=["GET"]),
        Route("/my/documents", documents, methods=["GET"]),
        Route("/my/documents/{statement_id:int}.pdf", statement_pdf, methods=["GET"]),
        Route("/my/settings", settings_page, methods=["GET", "POST"]),
    ]


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _passphrase_field(field: str) -> str:
    return {"currentPassword": "current", "password": "new", "newPassword": "new"}.get(field, "")
