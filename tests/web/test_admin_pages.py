"""The administrator's People page over HTTP (issue 19, administration item 1; issue 14
item 1): a login requested by one ADMIN, approved by a second, enrolled by its owner."""

from __future__ import annotations

import html
import re

from econ.employers.models import Employer, Referral
from econ.participants import enrolment
from econ.security.models import AuditEntry, LoginRequest, User
from econ.settings.definitions import DEFINITIONS
from econ.settings.services import setting
from econ.web import admin_views
from tests.employers.conftest import World, make_employer, open_opportunity, shared_referral
from tests.support.people import PASSWORD
from tests.web.counselor_client import HTML, PageClient

NEW_PASSWORD = "copper lantern beside river"


def _code(html: str) -> str:
    found = re.search(r"data-code>([^<]+)<", html)
    assert found, "no code on the page"
    return found.group(1).strip()


def _ask(client: PageClient, **fields) -> object:
    return client.post("/staff/people", {"action": "ask", **fields})


def test_a_counselor_login_requested_approved_by_another_admin_then_enrolled(app, http, people):
    first_user, _ = people.admin()
    second_user, _ = people.admin()
    first = PageClient(app).sign_in(first_user.email)
    asked = _ask(first, email="eva@test.econ", displayName="Eva Ramos", role="COUNSELOR")
    assert asked.status_code == 200 and asked.headers["cache-control"] == "no-store"
    code = _code(asked.text)
    request = LoginRequest.get(LoginRequest.email == "eva@test.econ")
    # Her own request waits for another ADMIN: no approve button, and the API refuses it.
    page = first.get("/staff/people").text
    assert code not in page  # shown once
    yours = page.split('id="yours"')[1].split('id="ask"')[0]
    assert f'data-request="{request.id}"' in yours and 'value="approve"' not in yours
    forged = first.post("/staff/people", {"action": "approve", "requestId": str(request.id)})
    assert "nobody approves her own request" in forged.text
    assert LoginRequest.get_by_id(request.id).status == "PENDING"
    # The code does not work yet.
    newcomer = PageClient(app)
    early = newcomer.post("/staff/enrol", {"code": code, "password": NEW_PASSWORD})
    assert "not approved yet" in early.text
    # The second ADMIN approves from her queue.
    second = PageClient(app).sign_in(second_user.email)
    queue = second.get("/staff/people").text.split('id="to-decide"')[1].split('id="yours"')[0]
    assert f'data-request="{request.id}"' in queue and "Eva Ramos" in queue
    done = second.post(
        "/staff/people", {"action": "approve", "requestId": str(request.id)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/staff/people?done=approve"
    assert User.get(User.email == "eva@test.econ").role == "COUNSELOR"
    # She sets her own password with the code, and signs in to her own workspace.
    enrolled = newcomer.post(
        "/staff/enrol", {"code": code.lower(), "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert enrolled.status_code == 303 and enrolled.headers["location"].startswith("/sign-in")
    PageClient(app).sign_in("eva@test.econ", NEW_PASSWORD)
    again = newcomer.post("/staff/enrol", {"code": code, "password": NEW_PASSWORD})
    assert "This code does not work" in again.text


def test_no_admin_page_shows_a_participant(app, http, people):
    admin_user, _ = people.admin()
    _, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Zenobia", legal_name="Zenobia Quist")
    enrolment.issue_code(counselor, her.id)  # a participant login waiting for an ADMIN
    client = PageClient(app).sign_in(admin_user.email)
    page = client.get("/staff/people").text
    assert "Zenobia" not in page and "Quist" not in page and her.code not in page
    assert "a participant (her counselor asked, with her present)" in page
    assert "sign-in.invalid" not in page  # her login's placeholder address either
    # The counselor's pages are not hers: ADMIN lands on her own start page.
    record = f"/staff/participants/{her.id}"
    for path in (record, f"{record}/access", f"{record}/code", "/staff/caseload", "/staff/today"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (303, 404), path
        assert "Zenobia" not in answer.text
    assert client.get("/staff", follow_redirects=False).headers["location"] == "/staff/people"


def test_forms_without_csrf_or_with_hostile_text_change_nothing(app, http, people):
    admin_user, _ = people.admin()
    client = PageClient(app).sign_in(admin_user.email)
    bare = client.http.post(
        "/staff/people",
        data={"action": "ask", "email": "x@test.econ", "role": "ADMIN"},
        headers=HTML,
    )
    assert bare.status_code == 403
    assert not LoginRequest.select().where(LoginRequest.email == "x@test.econ").exists()
    hostile = "<script>alert(1)</script>"
    _ask(client, email="h@test.econ", displayName=hostile, role="FINANCE")
    page = client.get("/staff/people").text
    assert hostile not in page and "&lt;script&gt;" in page
    wrong = _ask(client, email="not-an-address", role="FINANCE")
    assert wrong.status_code == 200 and 'value="not-an-address"' in wrong.text
    # A counselor is not an ADMIN: the page is not hers.
    counselor_user, _ = people.counselor()
    other = PageClient(app).sign_in(counselor_user.email)
    assert other.get("/staff/people", follow_redirects=False).status_code == 303


def test_partners_from_prospect_to_suspended_saying_what_suspension_does(app, http, people):
    admin_user, admin = people.admin()
    client = PageClient(app).sign_in(admin_user.email)
    created = client.post(
        "/staff/partners",
        {"action": "create", "name": "Harbour Laundry", "sector": "Services", "size": "SMALL"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = client.get("/staff/partners").text
    section = page.split("Harbour Laundry")[1].split("</section>")[0]
    employer_id = re.search(r'name="employerId" value="(\d+)"', section).group(1)
    refused = client.post(
        "/staff/partners", {"action": "status", "employerId": employer_id, "status": "ACTIVE"}
    )
    assert "Record the signed inclusion agreement first." in refused.text
    client.post(
        "/staff/partners",
        {"action": "agreement", "employerId": employer_id, "agreementSignedOn": "2026-11-02",
         "agreementCommitments": "Two trainee places a year"},
    )  # fmt: skip
    client.post("/staff/partners", {"action": "status", "employerId": employer_id,
                                    "status": "ACTIVE"})  # fmt: skip
    # a company with an open referral: suspending says what it does, and does it
    counselor_user, counselor = people.counselor()
    employer = make_employer(admin, name="Corner Bakery")
    employer_user, employer_actor = people.employer(employer.id)
    world = World(admin, counselor, counselor_user, employer, employer_actor, employer_user,
                  open_opportunity(employer_actor))  # fmt: skip
    referral = shared_referral(world, people.participant(counselor, preferred_name="Odile"))
    page = client.get("/staff/partners").text
    assert "every open referral to it is withdrawn" in page and "Odile" not in page
    done = client.post(
        "/staff/partners",
        {"action": "status", "employerId": str(employer.id), "status": "SUSPENDED",
         "reason": "agreement broken"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.headers["location"] == "/staff/partners?done=SUSPENDED"
    assert "its open referrals were withdrawn" in client.get(done.headers["location"]).text
    assert Referral.get_by_id(referral.id).status != "SHARED"


def test_settings_show_meaning_default_history_and_refuse_a_bad_value(app, http, people):
    admin_user, _ = people.admin()
    client = PageClient(app).sign_in(admin_user.email)
    page = client.get("/staff/settings").text
    for definition in DEFINITIONS:
        assert f'data-setting="{definition.key}"' in page
        assert f"default {html.escape(definition.default)}" in page
    refused = client.post("/staff/settings", {"currency": "XXX", "stipend_monthly_base": "abc"})
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.text
    assert setting("currency") == "EUR"  # all or nothing
    done = client.post("/staff/settings", {"minimum_wage_hourly": "12.50"}, follow_redirects=False)
    assert done.headers["location"] == "/staff/settings?saved=1"
    assert str(setting("minimum_wage_hourly")) == "12.50"
    history = client.get("/staff/settings").text.split('data-setting="minimum_wage_hourly"')[1]
    assert "12.00 → 12.50" in history.split('data-setting="')[0]
    assert admin_user.display_name in history.split('data-setting="')[0]


def test_every_setting_has_its_meaning_in_the_pages_catalog():
    """The page words each definition's description (translated); a new setting needs one."""
    assert set(admin_views.SETTING_MEANINGS) == {d.key for d in DEFINITIONS}


def test_audit_shows_the_chain_check_filters_and_no_participant(app, http, api, people):
    admin_user, _ = people.admin()
    counselor_user, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Zenobia", legal_name="Zenobia Quist")
    token = api.login(counselor_user.email, PASSWORD)
    api.query("query($id: ID!) { participant(id: $id) { phone } }", {"id": str(her.id)}, token)
    client = PageClient(app).sign_in(admin_user.email)
    page = client.get("/staff/audit").text
    assert 'data-chain="intact"' in page
    assert "Zenobia" not in page and her.code not in page
    rows = re.findall(r'<tr data-entry="\d+">.*?</tr>', page, re.S)
    assert rows and all(f"Participant {her.id}<" not in row for row in rows)
    logins = client.get("/staff/audit?action=login").text
    actions = re.findall(r"<td><code>(\w+)</code></td>", logins)
    assert actions and set(actions) == {"login"}
    for hostile in ("?actor=1%20OR%201=1", "?action=%3Cscript%3E", "?after=%00%00"):
        assert client.get(f"/staff/audit{hostile}").status_code == 200
    # an edited entry: the page says the log was tampered with
    entry = AuditEntry.select().order_by(AuditEntry.id).first()
    AuditEntry.update(action="edited").where(AuditEntry.id == entry.id).execute()
    assert 'data-chain="tampered"' in client.get("/staff/audit").text


def test_more_partners_than_a_page_are_paged(app, http, people):
    """103 partner companies: the page lists 100, the next page the other 3, and an edited
    page address is "not found"."""
    admin_user, _ = people.admin()
    for i in range(103):
        Employer.create(name=f"Partner {i:03d}", status="PROSPECT")
    client = PageClient(app).sign_in(admin_user.email)
    first = client.get("/staff/partners")
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1))
    second = client.get("/staff/partners" + href)
    names = [set(re.findall(r"Partner \d{3}", page.text)) for page in (first, second)]
    assert len(names[0]) == 100 and len(names[1]) == 3 and not names[0] & names[1]
    assert client.get("/staff/partners?after=Zm9vYmFy").status_code == 404


def test_people_page_chooses_among_every_company_and_pages_each_role(app, http, people):
    """120 companies: the employer-login form offers all of them (read 100 a page); 102
    counselor logins: counted, 100 on the first page, the other 2 on the next."""
    admin_user, _ = people.admin()
    for i in range(120):
        Employer.create(name=f"Firm {i:03d}", status="ACTIVE")
    for _ in range(102):
        people.counselor()
    client = PageClient(app).sign_in(admin_user.email)
    first = client.get("/staff/people")
    chooser = first.text.split('id="employerId"')[1].split("</select>")[0]
    assert len(set(re.findall(r"Firm \d{3}", chooser))) == 120
    counselors = first.text.split('id="logins-COUNSELOR"')[1].split("</section>")[0]
    assert '<span class="count">102</span>' in counselors
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', counselors).group(1))
    assert href.startswith("?COUNSELORAfter=")
    second = client.get("/staff/people" + href)
    rest = second.text.split('id="logins-COUNSELOR"')[1].split("</section>")[0]
    assert rest.count("data-login=") == 2
