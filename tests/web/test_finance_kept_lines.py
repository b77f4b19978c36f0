"""The run page keeps its rendered lines while the run's linesKey stays the same
(econ/web/run_lines.py): a kept page is not read again, and a run that moved on (a new
version, the export started), another filter or another language is never shown from
what was kept; nor is anything kept shown to someone who may not see the run."""

from __future__ import annotations

import html
import re

from econ.stipends import services
from econ.stipends.models import PaymentLine, PaymentRun
from tests.web import test_finance_pages as pages
from tests.web.counselor_client import PageClient
from tests.web.test_finance_pages import PERIOD, _act, _control_total, _create, _wait

month = pages.month  # the fixture: two FINANCE users, three participants


def _rows(page) -> list[str]:
    return re.findall(r'<tr id="line-(\d+)"', page.text)


def _statuses(page) -> list[str]:
    found = re.findall(r'data-label="Status">([^<(]+)', html.unescape(page.text))
    return [status.strip() for status in found]


def _reads_of_lines(monkeypatch) -> list[int]:
    calls: list[int] = []
    read = services.run_lines

    def counted(*args, **kwargs):
        calls.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(services, "run_lines", counted)
    return calls


def test_a_kept_page_is_not_read_again_until_the_version_moves(month, monkeypatch):
    world, first, second, _, _ = month
    run_id = _create(first)
    reads = _reads_of_lines(monkeypatch)
    shown = _rows(first.get(f"/staff/runs/{run_id}"))
    assert len(shown) == 3 and len(reads) == 1
    assert _rows(second.get(f"/staff/runs/{run_id}")) == shown  # her colleague: kept
    assert _rows(first.get(f"/staff/runs/{run_id}?status=HELD")) != shown  # another filter
    assert len(reads) == 2
    world.schedule(world.participant(), start=PERIOD)
    assert _act(first, run_id, "recalculate").status_code == 303
    _wait(run_id, lambda r: r.state == "CALCULATED" and r.job_status == "DONE")
    again = _rows(first.get(f"/staff/runs/{run_id}"))
    expected = [str(x.id) for x in PaymentLine.select().where(PaymentLine.run == run_id)]
    assert again == sorted(expected, key=int) and len(again) == 4  # the new version's lines


def test_the_export_is_never_shown_from_what_was_kept_before_it(month):
    _, first, second, _, _ = month
    run_id = _create(first)
    total = _control_total(second, run_id)
    assert _act(second, run_id, "approve", controlTotal=total).status_code == 303
    before = first.get(f"/staff/runs/{run_id}")  # APPROVED: kept under its key
    assert "Sent" not in _statuses(before)
    assert _act(first, run_id, "disburse", format="SEPA").status_code == 303
    _wait(run_id, lambda r: r.job_status == "DONE" and r.state != "APPROVED")
    after = first.get(f"/staff/runs/{run_id}")
    assert PaymentRun.get_by_id(run_id).state in ("DISBURSING", "COMPLETED")
    assert _statuses(after).count("Sent") == 2  # the two paid lines, read again


def test_each_language_has_its_own_kept_lines(month):
    _, first, _, _, _ = month
    run_id = _create(first)
    assert "Lines found: 3" in html.unescape(first.get(f"/staff/runs/{run_id}").text)
    first.http.cookies.set("econ_lang", "es")
    spanish = html.unescape(first.get(f"/staff/runs/{run_id}").text)
    first.http.cookies.delete("econ_lang")
    assert "Líneas encontradas: 3" in spanish and "Por pagar" in spanish


def test_what_was_kept_is_not_shown_to_another_role(month, people, app):
    _, first, _, _, _ = month
    run_id = _create(first)
    assert len(_rows(first.get(f"/staff/runs/{run_id}"))) == 3  # kept now
    for user, _ in (people.counselor(), people.admin()):
        other = PageClient(app).sign_in(user.email)
        denied = other.get(f"/staff/runs/{run_id}", follow_redirects=False)
        assert denied.status_code in (303, 403, 404) and not _rows(denied)
