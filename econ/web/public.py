"""Pages anyone reaches: sign in, start with a code, sign out, the quick exit, language.

The quick exit (`/away`, a plain link that works without JavaScript; leave.js adds the
Shift key pressed three times and `location.replace`) revokes the session, sends
`Clear-Site-Data` and sends the browser on to the neutral site of the program settings.
No route, title or word here names what the program is for.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web import sessions
from econ.web.handlers import page
from econ.web.i18n import LANGUAGES, gettext_for
from econ.web.messages import messages_for
from econ.web.pages import LANG_COOKIE, PageRequest, Site, home_of, page_settings, safe_next

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def routes(site: Site) -> list[Route]:
    @page(site)
    async def start_page(request: Request) -> Response:
        current = await site.begin(request)
        if current.actor is not None:
            return site.redirect(current, home_of(current.actor))
        return site.redirect(current, "/sign-in")

    @page(site)
    async def sign_in(request: Request) -> Response:
        current = await site.begin(request)
        next_path = safe_next(request.query_params.get("next"), "")
        if request.method == "GET":
            if current.actor is not None:
                return site.redirect(current, safe_next(next_path, home_of(current.actor)))
            expired = request.query_params.get("expired") == "1"
            return _sign_in_form(site, current, next_path, expired=expired)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        name = fields.get("name", "").strip()[:254]
        result = await site.documents.run(
            "public/sign_in",
            {"input": {"email": name, "password": fields.get("passphrase", "")[:256]}},
            client=current.client,
        )
        payload = result.payload("login")
        if not payload.get("token"):
            errors = {"": result.field_errors("login").get("") or "INVALID_CREDENTIALS"}
            if result.status == 429:
                errors = {"": "RATE_LIMITED"}
            next_path = safe_next(fields.get("next"), "")
            return _sign_in_form(site, current, next_path, errors=errors, name=name)
        role = Role(payload["user"]["role"])
        default = "/my" if role == Role.PARTICIPANT else "/staff"
        response = site.redirect(None, safe_next(fields.get("next"), default))
        site.set_session(response, payload["token"])
        return response

    @page(site)
    async def start(request: Request) -> Response:
        current = await site.begin(request)
        if request.method == "GET":
            return _start_form(site, current)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        values = {k: fields.get(k, "").strip()[:256] for k in ("code", "signInName")}
        result = await site.documents.run(
            "public/start",
            {"input": {**values, "passphrase": fields.get("passphrase", "")[:256]}},
            client=current.client,
        )
        payload = result.payload("redeemEnrolmentCode")
        if not payload.get("token"):
            codes = result.field_errors("redeemEnrolmentCode") or {"": "RATE_LIMITED"}
            return _start_form(site, current, errors=codes, values=values)
        response = site.redirect(None, "/my")
        site.set_session(response, payload["token"])
        return response

    @page(site)
    async def sign_out(request: Request) -> Response:
        current = await site.begin(request)
        if await site.form(current) is None:
            return site.forbidden_form(current)
        await site.documents.run("public/sign_out", token=current.token, client=current.client)
        response = site.redirect(None, "/sign-in")
        response.delete_cookie(sessions.SESSION_COOKIE, path="/")
        return response

    @page(site)
    async def away(request: Request) -> Response:
        token = request.cookies.get(sessions.SESSION_COOKIE)
        if token:
            await site.documents.run("public/sign_out", token=token)
        neutral = await run_in_threadpool(page_settings)
        response = RedirectResponse(neutral["quick_exit_url"], 303)
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        for name in (sessions.SESSION_COOKIE, sessions.PRE_COOKIE, LANG_COOKIE):
            response.delete_cookie(name, path="/")
        return response

    async def language(request: Request) -> Response:
        code = request.path_params["code"]
        response = RedirectResponse(safe_next(request.query_params.get("next"), "/"), 303)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, samesite="strict", httponly=True, path="/",
                                secure=site.settings.is_production)  # fmt: skip
        return response

    return [
        Route("/", start_page, methods=["GET"]),
        Route("/sign-in", sign_in, methods=["GET", "POST"]),
        Route("/start", start, methods=["GET", "POST"]),
        Route("/sign-out", sign_out, methods=["POST"]),
        Route("/away", away, methods=["GET", "POST"]),
        Route("/language/{code}", language, methods=["GET"]),
    ]


def _sign_in_form(
    site: Site,
    current: PageRequest,
    next_path: str,
    *,
    expired: bool = False,
    errors: dict[str, str] | None = None,
    name: str = "",
) -> Response:
    _ = gettext_for(current.language)
    return site.render(
        current,
        "public/sign_in.html",
        next=next_path,
        expired=expired,
        errors=messages_for(errors or {}, _),
        name=name,
    )


def _start_form(
    site: Site,
    current: PageRequest,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    _ = gettext_for(current.language)
    return site.render(
        current,
        "public/start.html",
        errors=messages_for(errors or {}, _),
        values=values or {"code": "", "signInName": ""},
    )
