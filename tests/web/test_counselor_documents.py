"""Her record's documents tab over HTTP (issue 17, page 4): her statements with their
earlier versions, each download the statements service's (audited); a statement of another
record, another caseload or none at all is "not found"."""

from __future__ import annotations

import pytest

from econ.security.models import AuditEntry
from econ.statements import services as statements
from tests.web.counselor_client import PageClient


@pytest.fixture
def desk(app, http, people):
    user, counselor = people.counselor()
    ines = people.participant(counselor, preferred_name="Ines")
    ana = people.participant(counselor, preferred_name="Ana")
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    return PageClient(app).sign_in(user.email), counselor, ines, ana, zoe


def test_her_statements_and_their_versions_download_audited(desk):
    client, counselor, ines, _, _ = desk
    first = statements.generate(ines.id, "2026-11", "en")
    read_first = statements.open_statement(counselor, first.id)[1]
    statements.generate(ines.id, "2026-11", "es")  # made again: version 2 is current
    tab = client.get(f"/staff/participants/{ines.id}/documents")
    assert tab.status_code == 200 and "Statement of November 2026" in tab.text
    pdf = f"/staff/participants/{ines.id}/documents/{first.id}.pdf"
    assert f'href="{pdf}"' in tab.text and f'href="{pdf}?version=1"' in tab.text
    before = AuditEntry.select().where(AuditEntry.action == "download_statement").count()
    earlier = client.get(f"{pdf}?version=1")
    assert earlier.status_code == 200 and earlier.content == read_first
    assert (
        earlier.headers["content-disposition"]
        == f'attachment; filename="document-{first.id}-v1.pdf"'
    )
    assert client.get(pdf).content.startswith(b"%PDF")
    assert (
        AuditEntry.select().where(AuditEntry.action == "download_statement").count() == before + 2
    )


def test_another_record_another_caseload_and_made_up_ids_are_not_found(desk):
    client, _, ines, ana, zoe = desk
    hers = statements.generate(ines.id, "2026-11", "en")
    theirs = statements.generate(zoe.id, "2026-11", "en")
    for path in (
        f"/staff/participants/{ana.id}/documents/{hers.id}.pdf",  # Ines's, under Ana
        f"/staff/participants/{zoe.id}/documents/{theirs.id}.pdf",
        f"/staff/participants/{ines.id}/documents/{theirs.id}.pdf",
        f"/staff/participants/{ines.id}/documents/987654.pdf",
        f"/staff/participants/{ines.id}/documents/{hers.id}.pdf?version=9",
        f"/staff/participants/{ines.id}/documents/{hers.id}.pdf?version=x",
        f"/staff/participants/{ines.id}/documents/99999999999999999999.pdf",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert b"%PDF" not in answer.content and "Zoe" not in answer.text
    assert client.get(f"/staff/participants/{zoe.id}/documents").status_code == 404
