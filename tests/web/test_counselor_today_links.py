"""Each Today row is one link to the place where she acts (issue 17, Today): an overdue
step to the plan editor on that step, a plan waiting for her agreement to the agreement
state on the plan tab, a loan in arrears to her loan on the money tab; every kind says
what its link does."""

from __future__ import annotations

import datetime as dt
import html

from econ.participants.models import Milestone, Plan
from econ.web import today_views
from tests.web.conftest import write_plan
from tests.web.counselor_client import PageClient


def _item(kind: str, record_id: int | None = 7, detail: str = "") -> dict:
    return {"kind": kind, "recordId": record_id, "detail": detail, "participant": {"id": "3"}}


def test_every_kind_links_to_its_place_and_says_what_it_does():
    where = {
        "ENROLMENT_REQUEST": "/staff/participants/3/training#request-7",
        "CONSENT_NEEDED": "/staff/participants/3/work#referral-7",
        "REFERRAL_TO_SHARE": "/staff/participants/3/work#referral-7",
        "REFERRAL_NO_REPLY": "/staff/participants/3/work#referral-7",
        "CHECKPOINT_DUE": "/staff/participants/3/work#check-7",
        "PAYMENT_HELD": "/staff/participants/3/money#line-7",
        "PAYMENT_FAILED": "/staff/participants/3/edit#bankAccount",
        "LOAN_IN_ARREARS": "/staff/participants/3/money#loan-7",
        "MILESTONE_OVERDUE": "/staff/participants/3/plan/edit#step-7",
        "PLAN_NOT_AGREED": "/staff/participants/3/plan#agreement",
    }
    assert set(where) == set(today_views.TODAY_KINDS)
    for kind, link in where.items():
        item = _item(kind, detail="PAYEE_UNCONFIRMED" if kind == "PAYMENT_HELD" else "")
        assert today_views.today_link(item) == link, kind
        assert today_views.today_action(item), kind
    held = _item("PAYMENT_HELD", detail="NO_BANK_ACCOUNT")  # her account stops it: her details
    assert today_views.today_link(held).endswith("/edit#bankAccount")
    assert today_views.today_action(held) == "Her bank account"


def test_an_overdue_step_leads_to_the_editor_on_that_step(app, http, people):
    user, counselor = people.counselor()
    maria = people.participant(counselor, preferred_name="Maria")
    write_plan(counselor, maria.id, title="Open a bank account")
    step = Milestone.get(Milestone.title == "Open a bank account")
    Milestone.update(due_date=dt.date.today() - dt.timedelta(days=3)).where(
        Milestone.id == step.id
    ).execute()
    client = PageClient(app).sign_in(user.email)
    today = html.unescape(client.get("/staff/today").text)
    editor = f"/staff/participants/{maria.id}/plan/edit#step-{step.id}"
    assert f'href="{editor}"' in today and "Change or drop this step" in today
    page = client.get(editor.split("#")[0]).text
    assert f'id="step-{step.id}"' in page and f'name="title-{step.id}"' in page
    # the revision waits for her agreement: its row leads to the agreement on the plan tab
    assert Plan.get(Plan.participant == maria.id).agreed_at is None
    assert f'href="/staff/participants/{maria.id}/plan#agreement"' in today
    plan_tab = client.get(f"/staff/participants/{maria.id}/plan").text
    assert 'id="agreement"' in plan_tab and 'id="revision-1" open' in plan_tab
