"""Retention evidence as another company and as she herself read it (the paths
test_retention_evidence_at_rest.py and test_employer_and_admin_reach.py do not walk).

Another company's employer reads no placement at all (not found, no evidence, nothing
in her log); she reads every word written about her checkpoints and her own reads are
not entries of her "who read my data"; the employer's read of its own words is."""

from __future__ import annotations

from econ.employers import services as employers
from econ.security.models import AuditEntry
from tests.employers.conftest import make_employer, world  # noqa: F401  (the `world` fixture)
from tests.security.test_employer_and_admin_reach import PLACEMENT, _hired_long_ago
from tests.support.people import PASSWORD

COUNSELORS = "called her on +34 600 123 456 at 12 Canary Street"


def _evidence_reads() -> list[tuple[str, int]]:
    rows = AuditEntry.select().where(
        (AuditEntry.action == "read_restricted") & (AuditEntry.record_type == "RetentionCheckpoint")
    )
    return [(row.actor_role, row.participant_id) for row in rows]


def test_another_company_reads_nothing_and_her_own_reads_are_not_logged(api, people, world):  # noqa: F811
    her, _, placement = _hired_long_ago(people, world)
    checkpoints = {c.days: c for c in employers.checkpoints_for([placement.id])[placement.id]}
    employers.confirm_retention(
        world.counselor, checkpoints[30].id, "CONFIRMED_EMPLOYED", COUNSELORS
    )
    employers.confirm_retention(
        world.employer_actor, checkpoints[90].id, "CONFIRMED_EMPLOYED", "payslip 03"
    )
    variables = {"id": str(placement.id)}
    stranger, _ = people.employer(make_employer(world.admin, name="Other Co").id)
    answer = api.post(PLACEMENT, variables, api.login(stranger.email, PASSWORD))
    assert answer["data"]["placement"] is None and "payslip" not in str(answer)
    assert _evidence_reads() == []
    login, _ = people.participant_login(world.counselor, her)
    own = api.query(PLACEMENT, variables, api.login(login.email, PASSWORD))["placement"]
    assert [c["evidence"] for c in own["retentionCheckpoints"]] == [COUNSELORS, "payslip 03", ""]
    assert _evidence_reads() == []
    api.query(PLACEMENT, variables, api.login(world.employer_user.email, PASSWORD))
    assert _evidence_reads() == [("EMPLOYER", her.id)]
