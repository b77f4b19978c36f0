"""What every page handler shares: the templates, the documents, the session and CSRF checks.

A handler gets a `PageRequest` (the signed-in actor or none, her language, the CSRF token)
from `Site.begin`, runs one named document through `Site.documents`, and answers with
`Site.render` (HTML with the common context) or `Site.redirect` (303, POST-redirect-GET).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from econ.config import Settings
from econ.db import db
from econ.schema.endpoint import GraphQLEndpoint, client_address
from econ.security.roles import Actor, Role
from econ.settings.services import settings_of
from econ.web import sessions
from econ.web.documents import TEMPLATES, Documents
from econ.web.environment import PageEnvironment
from econ.web.i18n import LANGUAGE_NAMES, Formats, accepted_language, gettext_for, language_of

log = logging.getLogger("econ.web")

LANG_COOKIE = "econ_lang"
SIZE_COOKIE = "econ_size"
TEXT_SIZES = ("normal", "large", "larger")
FORM_LIMIT = 16 * 1024  # bytes: the largest of her forms is well under 2 KB


class SignInRequired(Exception):
    """Raised by a guard: answer with the sign-in page, coming back to `next_path`."""

    def __init__(self, next_path: str, expired: bool):
        self.next_path = next_path
        self.expired = expired


@dataclass
class PageRequest:
    request: Request
    actor: Actor | None
    token: str | None
    language: str
    csrf: str
    pre_token: str | None  # set when a new pre-session cookie must be sent
    expired: bool = False
    settings: dict = field(default_factory=dict)  # PAGE_SETTINGS, read with the session

    @property
    def client(self) -> str:
        return client_address(self.request)


def safe_next(path: str | None, default: str = "/") -> str:
    """Only a path on this site: never //elsewhere or https://elsewhere."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    parts = urlsplit(path)
    return default if parts.scheme or parts.netloc else path


def page_settings() -> dict:
    """The neutral name and the exit site, for a response without a page session."""

    with db.connection_context():
        return settings_of(*sessions.PAGE_SETTINGS)


class Site:
    def __init__(self, endpoint: GraphQLEndpoint, settings: Settings):
        self.settings = settings
        self.documents = Documents(endpoint)
        self.env = PageEnvironment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(("html",)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # --- the request ------------------------------------------------------------------

    async def begin(
        self, request: Request, *, roles: tuple[Role, ...] | None = None
    ) -> PageRequest:
        """The session (idle timeout applied), her language, CSRF; a guard when `roles`."""
        token = request.cookies.get(sessions.SESSION_COOKIE)
        state = await self.documents.endpoint.lanes.run(sessions.resume, token)
        actor = state.actor
        if roles is not None and (actor is None or actor.role not in roles):
            if actor is not None:  # signed in, wrong audience: her own start page
                raise SignInRequired(home_of(actor), expired=False)
            raise SignInRequired(request.url.path, expired=state.expired)
        pre = request.cookies.get(sessions.PRE_COOKIE)
        new_pre = None
        if actor is None and not pre:
            new_pre = pre = sessions.new_pre_token()
        language = self._language(request, state.language)
        live_token = token if actor else None
        return PageRequest(
            request=request,
            actor=actor,
            token=live_token,
            language=language,
            csrf=sessions.csrf_token(live_token, pre),
            pre_token=new_pre,
            expired=state.expired,
            settings=state.settings,
        )

    def _language(self, request: Request, hers: str | None = None) -> str:
        """Her choice on this device, else her preferred language, else the browser's."""
        chosen = request.cookies.get(LANG_COOKIE) or request.query_params.get("lang") or hers
        if chosen:
            return language_of(chosen)
        return accepted_language(request.headers.get("accept-language"))

    async def form(self, page: PageRequest, max_fields: int = 20) -> dict[str, str] | None:
        """The POSTed fields when the CSRF token and the origin are right, else None.

        `max_fields`: a list form (a cohort's attendance sheet) allows one field a row."""
        if not _same_origin(page.request):
            return None
        declared = page.request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > FORM_LIMIT:  # our forms are small
            return None
        form = await page.request.form(max_files=0, max_fields=max_fields)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        pre = page.request.cookies.get(sessions.PRE_COOKIE)
        if not sessions.csrf_valid(fields.get(sessions.CSRF_FIELD), page.token, pre):
            return None
        return fields

    async def upload(
        self, page: PageRequest, field: str, limit: int
    ) -> tuple[dict[str, str], bytes] | None:
        """A multipart form with one file (`field`, at most `limit` bytes): (its other
        fields, the file's bytes) when the CSRF token and the origin are right, else None."""
        if not _same_origin(page.request):
            return None
        declared = page.request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > limit + FORM_LIMIT:
            return None
        form = await page.request.form(max_files=1, max_fields=10)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        pre = page.request.cookies.get(sessions.PRE_COOKIE)
        if not sessions.csrf_valid(fields.get(sessions.CSRF_FIELD), page.token, pre):
            return None
        upload = form.get(field)
        content = await upload.read(limit + 1) if hasattr(upload, "read") else b""
        return fields, content

    # --- the response ------------------------------------------------------------------

    def render(
        self, page: PageRequest, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        shown = page.settings or page_settings()
        _ = gettext_for(page.language)
        html = self.env.get_template(template).render(
            _=_,
            fmt=Formats(page.language),
            lang=page.language,
            languages=LANGUAGE_NAMES,
            csrf=page.csrf,
            csrf_field=sessions.CSRF_FIELD,
            actor=page.actor,
            display_name=shown["program_display_name"],
            path=page.request.url.path,
            text_size=self._text_size(page.request),
            **context,
        )
        response = HTMLResponse(html, status)
        self._cookies(page, response)
        return response

    def _text_size(self, request: Request) -> str:
        size = request.cookies.get(SIZE_COOKIE, "normal")
        return size if size in TEXT_SIZES else "normal"

    def _cookies(self, page: PageRequest, response: Response) -> None:
        if page.pre_token:
            response.set_cookie(
                sessions.PRE_COOKIE,
                page.pre_token,
                **sessions.cookie_options(self.settings.is_production),
            )

    def redirect(self, page: PageRequest | None, location: str) -> RedirectResponse:
        response = RedirectResponse(location, 303)
        if page is not None:
            self._cookies(page, response)
        return response

    def set_session(self, response: Response, token: str) -> None:
        response.set_cookie(
            sessions.SESSION_COOKIE, token, **sessions.cookie_options(self.settings.is_production)
        )
        response.delete_cookie(sessions.PRE_COOKIE, path="/")

    def sign_in_redirect(self, failure: SignInRequired) -> RedirectResponse:
        if not failure.next_path.startswith("/sign-in") and failure.next_path != "/":
            target = "/sign-in?next=" + quote(failure.next_path, safe="/")
        else:
            target = "/sign-in"
        if failure.expired:
            target += ("&" if "?" in target else "?") + "expired=1"
        response = RedirectResponse(target, 303)
        if failure.expired:
            response.delete_cookie(sessions.SESSION_COOKIE, path="/")
        return response

    def forbidden_form(self, page: PageRequest) -> HTMLResponse:
        """A POST without a valid CSRF token (an old tab, or another site): nothing done."""
        return self.render(page, "errors/expired_form.html", 403)

    def error_page(self, request: Request, status: int, error_id: str | None = None) -> Response:
        language = self._language(request)
        page = PageRequest(request, None, None, language, "", None)
        template = "errors/not_found.html" if status == 404 else "errors/server_error.html"
        try:
            return self.render(page, template, status, error_id=error_id or uuid.uuid4().hex[:12])
        except Exception:  # the error page itself failed (database down): plain text
            log.exception("error page failed")
            return HTMLResponse("<!doctype html><title>Error</title><p>Error</p>", status)


def home_of(actor: Actor) -> str:
    return "/my" if actor.role == Role.PARTICIPANT else "/staff"


def _same_origin(request: Request) -> bool:
    """A POST another site's page sent is refused outright, before the CSRF token.

    Browsers say so in Sec-Fetch-Site, and name the origin unless the page's
    `Referrer-Policy: no-referrer` makes it "null" (ours does): then the token decides.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")
