"""Her details' form over HTTP (issue 17): what is restricted is never read to fill it,
every error at once beside its field with what she typed kept, only what changed is sent
(and audited as such), a bank account change under the payee-confirmation rule, and the
attacks: another caseload, no CSRF token, a forged language."""

from __future__ import annotations

import html

import pytest

from econ.participants.models import Participant, ParticipantPII
from econ.participants.services import read_restricted
from econ.security.models import AuditEntry
from econ.stipends import payees
from econ.training.models import SkillTerm
from tests.support.people import unique_iban
from tests.web.counselor_client import PageClient


@pytest.fixture
def desk(app, http, people):
    user, counselor = people.counselor()
    ines = people.participant(counselor, preferred_name="Ines", languages=["es"])
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    return PageClient(app).sign_in(user.email), counselor, ines, zoe


def _text(response) -> str:
    return html.unescape(response.text)


def _edit(pid: int) -> str:
    return f"/staff/participants/{pid}/edit"


def _form(**changes) -> dict:
    """The form as the page shows it for Ines, with `changes`."""
    return {"preferredName": "Ines", "preferredLanguage": "es", "languages": "es", **changes}


def _restricted(counselor, pid: int) -> dict:
    found = read_restricted(counselor, [Participant.get_by_id(pid)], ["phone", "bank_account"])
    return found[pid]


def test_the_form_shows_her_name_and_languages_and_nothing_restricted(desk):
    client, _, ines, _ = desk
    reads = AuditEntry.select().where(AuditEntry.action == "read_restricted").count()
    page = client.get(_edit(ines.id))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'value="Ines"' in page.text and 'value="es"' in page.text
    assert "Canary" not in page.text and "ES91" not in page.text
    assert AuditEntry.select().where(AuditEntry.action == "read_restricted").count() == reads
    assert f'href="{_edit(ines.id)}"' in client.get(f"/staff/participants/{ines.id}").text


def test_every_error_at_once_beside_its_field_and_nothing_typed_lost(desk):
    client, _, ines, _ = desk
    typed = {
        "preferredName": "",
        "preferredLanguage": "es",
        "languages": "es, en",
        "dateOfBirth": "1890-01-01",
        "bankAccount": "ES00 1234",
        "phone": "call me",
        "address": "4 New Street",
    }
    answer = client.post(_edit(ines.id), typed)
    assert answer.status_code == 200
    text = _text(answer)
    for field in ("preferredName", "dateOfBirth", "bankAccount", "phone"):
        assert f'id="{field}-error"' in answer.text, field
    assert "This is not a valid IBAN" in text and "This is not a phone number." in text
    assert 'value="ES00 1234"' in answer.text and 'value="4 New Street"' in answer.text
    assert 'value="es, en"' in answer.text
    stored = Participant.get_by_id(ines.id)
    assert stored.preferred_name == "Ines" and stored.languages == ["es"]  # nothing written


def test_only_what_changed_is_sent_and_audited(desk):
    client, counselor, ines, _ = desk
    answer = client.post(
        _edit(ines.id),
        _form(preferredName="Inés", preferredLanguage="fr", phone="+34 611 222 333"),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == _edit(ines.id) + "?saved=1"
    stored = Participant.get_by_id(ines.id)
    assert (stored.preferred_name, stored.preferred_language) == ("Inés", "fr")
    assert _restricted(counselor, ines.id)["phone"] == "+34 611 222 333"
    entry = (
        AuditEntry.select()
        .where((AuditEntry.action == "update_participant") & (AuditEntry.participant_id == ines.id))
        .order_by(AuditEntry.id.desc())
        .get()
    )
    assert entry.fields == "phone,preferred_language,preferred_name"
    assert "Her details are saved." in _text(client.get(answer.headers["location"]))
    unchanged = client.post(_edit(ines.id), _form(preferredName="Inés", preferredLanguage="fr"))
    assert unchanged.status_code == 200 and "You changed nothing yet." in _text(unchanged)


def test_remove_clears_a_restricted_field(desk):
    client, counselor, ines, _ = desk
    answer = client.post(_edit(ines.id), _form(**{"clear-phone": "yes"}), follow_redirects=False)
    assert answer.status_code == 303
    assert _restricted(counselor, ines.id)["phone"] is None


def test_a_new_bank_account_waits_for_a_finance_colleague_once_she_was_paid(desk):
    client, counselor, ines, _ = desk
    old = _restricted(counselor, ines.id)["bank_account"]
    new = unique_iban()
    answer = client.post(_edit(ines.id), _form(bankAccount=new), follow_redirects=False)
    assert answer.headers["location"] == _edit(ines.id) + "?saved=1&bank=1"
    said = _text(client.get(answer.headers["location"]))
    assert "payments use the new ones only after a finance colleague confirms them" in said
    assert _restricted(counselor, ines.id)["bank_account"] == new
    assert ParticipantPII.get(ParticipantPII.participant == ines.id).bank_changed_by == (
        counselor.user_id
    )
    # had the old account been used for a payment, her next line would be held
    check = payees.PayeeCheck.load([ines.id])
    used = payees.fingerprint("BANK_TRANSFER", old)
    hold = payees.hold_reason(check.payees[ines.id], check.owners, used, {})
    assert hold == "PAYEE_UNCONFIRMED"


def test_a_forged_language_is_refused_beside_its_field(desk):
    client, _, ines, _ = desk
    answer = client.post(_edit(ines.id), _form(preferredLanguage="de"))
    assert answer.status_code == 200 and 'id="preferredLanguage-error"' in answer.text
    assert Participant.get_by_id(ines.id).preferred_language == "es"


def test_another_caseload_and_no_csrf_token_change_nothing(desk):
    client, _, ines, zoe = desk
    assert client.get(_edit(zoe.id)).status_code == 404
    assert "Zoe" not in client.get(_edit(zoe.id)).text
    theirs = client.post(_edit(zoe.id), {"preferredName": "Taken"}, token_from="/staff/today")
    assert theirs.status_code == 404 and "Zoe" not in theirs.text
    assert Participant.get_by_id(zoe.id).preferred_name == "Zoe"
    forged = client.http.post(_edit(ines.id), data={"preferredName": "Forged"},
                              headers={"Accept": "text/html"})  # fmt: skip
    assert forged.status_code == 403
    assert Participant.get_by_id(ines.id).preferred_name == "Ines"
    assert client.get("/staff/participants/99999999999999999999/edit").status_code == 404


def _status(pid: int) -> str:
    return f"/staff/participants/{pid}/status"


def test_her_status_moves_on_the_history_tab_with_a_reason(desk):
    client, _, ines, zoe = desk
    history = f"/staff/participants/{ines.id}/history"
    page = client.get(history).text
    for offered in ("PAUSED", "EXITED", "GRADUATED"):
        assert f'<option value="{offered}"' in page
    assert '<option value="ACTIVE"' not in page  # where she is already
    missing = client.post(_status(ines.id), {"from": "ACTIVE", "status": "PAUSED", "reason": " "},
                          token_from=history)  # fmt: skip
    assert missing.status_code == 200 and 'id="reason-error"' in missing.text
    assert Participant.get_by_id(ines.id).status == "ACTIVE"
    moved = client.post(
        _status(ines.id),
        {"from": "ACTIVE", "status": "PAUSED", "reason": "caring for her mother"},
        token_from=history,
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == f"{history}?saved=1"
    assert Participant.get_by_id(ines.id).status == "PAUSED"
    shown = _text(client.get(moved.headers["location"]))
    assert "Her status is changed" in shown and "Paused</strong> · caring for her mother" in shown
    # a form read before that move, and a move the service does not allow from PAUSED
    stale = client.post(_status(ines.id), {"from": "ACTIVE", "status": "EXITED", "reason": "x"},
                        token_from=history)  # fmt: skip
    assert "It changed meanwhile" in _text(stale)
    refused = client.post(_status(ines.id), {"from": "PAUSED", "status": "GRADUATED",
                                             "reason": "x"}, token_from=history)  # fmt: skip
    assert 'id="status-error"' in refused.text
    assert Participant.get_by_id(ines.id).status == "PAUSED"
    theirs = client.post(_status(zoe.id), {"from": "ACTIVE", "status": "EXITED", "reason": "x"},
                         token_from=history)  # fmt: skip
    assert theirs.status_code == 404 and "Zoe" not in theirs.text
    assert Participant.get_by_id(zoe.id).status == "ACTIVE"


def test_her_skills_ticked_from_the_vocabulary_and_only_from_what_is_offered(desk):
    client, _, ines, _ = desk
    SkillTerm.create(key="care:elderly", label_en="Elderly care", label_es="Cuidado de mayores",
                     label_fr="Soins aux aînés")  # fmt: skip
    SkillTerm.create(key="kitchen", label_en="Kitchen", label_es="Cocina", label_fr="Cuisine")
    Participant.update(skills=[{"key": "own:sewing", "label": "Sewing"}]).where(
        Participant.id == ines.id
    ).execute()
    page = client.get(_edit(ines.id)).text
    assert 'name="skill:own:sewing" checked' in page and "Elderly care" in page
    chosen = _form(**{"skill:own:sewing": "on", "skill:care:elderly": "on", "skill:made-up": "on"})
    answer = client.post(_edit(ines.id), chosen, follow_redirects=False)
    assert answer.status_code == 303
    assert Participant.get_by_id(ines.id).skills == [
        {"key": "care:elderly", "label": "Elderly care"},
        {"key": "own:sewing", "label": "Sewing"},
    ]  # the made-up key was never offered, so never sent
    client.http.cookies.set("econ_lang", "es")
    assert "Cuidado de mayores" in client.get(_edit(ines.id)).text
    client.post(_edit(ines.id), _form(**{"skill:care:elderly": "on"}))
    assert [s["key"] for s in Participant.get_by_id(ines.id).skills] == ["care:elderly"]
