"""Income on the money tab (issue 17 item 8, record and verify): a month recorded, an error
beside its field, a record verified; another caseload's record out of reach."""

from __future__ import annotations

from econ.participants import services as participants
from econ.participants.models import IncomeRecord
from tests.web.counselor_client import PageClient


def test_record_then_verify_a_month(app, http, people):
    user, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Rosa")
    client = PageClient(app).sign_in(user.email)
    money = f"/staff/participants/{her.id}/money"
    action = f"/staff/participants/{her.id}/income"
    bad = client.post(
        action, {"month": "2026-13", "source": "EMPLOYMENT", "amount": "950"}, token_from=money
    )
    assert bad.status_code == 200 and 'id="month-error"' in bad.text
    assert 'value="950"' in bad.text and not IncomeRecord.select().exists()
    done = client.post(
        action,
        {"month": "2026-10", "source": "EMPLOYMENT", "amount": "950,50"},
        token_from=money,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == money + "?saved=1"
    record = IncomeRecord.get()
    assert str(record.amount) == "950.50" and record.verified_at is None
    stale = client.post(  # the form names the version she read: an older one is refused
        action, {"verify": str(record.id), "version": str(record.version - 1)}, token_from=money
    )
    assert stale.status_code == 200 and IncomeRecord.get_by_id(record.id).verified_at is None
    verified = client.post(
        action,
        {"verify": str(record.id), "version": str(record.version)},
        token_from=money,
        follow_redirects=False,
    )
    assert verified.status_code == 303
    assert IncomeRecord.get_by_id(record.id).verified_at is not None


def test_another_caseloads_record_is_out_of_reach(app, http, people):
    user, counselor = people.counselor()
    mine = people.participant(counselor, preferred_name="Mine")
    _, other = people.counselor()
    theirs = people.participant(other, preferred_name="Theirs")
    record = participants.record_income(
        other, theirs.id, month="2026-10", source="OTHER", amount="100.00"
    )
    client = PageClient(app).sign_in(user.email)
    answer = client.post(
        f"/staff/participants/{mine.id}/income",
        {"verify": str(record.id)},
        token_from=f"/staff/participants/{mine.id}/money",
    )
    assert answer.status_code == 200 and 'role="alert"' in answer.text
    assert IncomeRecord.get_by_id(record.id).verified_at is None
    direct = client.post(
        f"/staff/participants/{theirs.id}/income",
        {"month": "2026-11", "source": "OTHER", "amount": "5"},
        token_from="/staff/today",
    )
    assert direct.status_code == 404
