"""Maria's eight months, January to August 2026, seen over HTTP at three points in time.

She trains (Jan-Mar, credential), is hired (Apr 1), her verified income rises above the
disregard (Apr 1000.00) and then the target (May-Jul 1500.00 >= 1400.00), her stipend
tapers and ends on independence at the August run, and a 300.00 loan is repaid in three
monthly installments. Her counselor, finance and she herself act over GraphQL; catalogue,
employer and loan-group set-up (other people's work) goes through the same services.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from econ.employers import services as employers
from econ.microcredit import services as mc
from econ.training import services as training
from tests.employers.conftest import consent, make_employer, open_opportunity
from tests.support.clock import on_day
from tests.support.people import PASSWORD

OVERVIEW = """query($id: ID!, $asOf: Date) { participant(id: $id) { plan { overview(asOf: $asOf) {
  training { current { programTitle status } completed { programTitle credentialName }
             credentials { name } }
  employment { referralsByStage { stage count } currentPlacement { id }
               checkpointsDue { days dueOn } }
  income { target { amount } monthsAtTargetInARow independent projection
           projectedIndependenceMonth months { month amount { amount } atTarget } }
  stipend { state monthsUsed monthsLeft currentPeriod currentNet { amount }
            currentTaper { amount } nextPaymentPeriod endReason }
  microcredit { state outstandingPrincipal { amount } nextInstallmentDue
                nextInstallmentAmount { amount } daysPastDue }
  milestones { overdue { title } dueSoon { title } done { title } }
} } } }"""
RUN = (
    "query($id: ID!) { paymentRun(id: $id) { id state version job { status } "
    "payable { count total { amount } } } }"
)
OUTCOMES = """query { outcomes(from: "2026-01-01", to: "2026-08-31") { rows { edges { node {
  key placementRate retention30 retention90 retention180 medianEarningsQ2 credentialRate
  completionRate skillGainRate repaymentRate par30 medianStipendMonthsToIndependence
  independentCount reentries suppressed } } } } }"""


class Story:
    def __init__(self, api, people):
        self.api = api
        counselor_user, self.counselor = people.counselor()
        self.c = api.login(counselor_user.email, PASSWORD)
        f1_user, self.finance = people.finance()
        f2_user, _ = people.finance()
        self.f1 = api.login(f1_user.email, PASSWORD)
        self.f2 = api.login(f2_user.email, PASSWORD)
        admin_user, self.admin = people.admin()
        self.a = api.login(admin_user.email, PASSWORD)
        with on_day(date(2026, 1, 2)):  # she registered before the story (hires are not
            # back-dated before registration); logins are made today, so tokens are fresh
            self.maria = people.participant(self.counselor, preferred_name="Maria")
            self.friends = [
                people.participant(self.counselor, preferred_name=n) for n in ("A", "B")
            ]
        her_user, _ = people.participant_login(self.counselor, self.maria)
        self.her = api.login(her_user.email, PASSWORD)

    def ok(self, name, data, selection, token):
        return self.api.ok(name, data, selection, token)

    def overview(self, as_of: str, token=None) -> dict:
        data = self.api.query(OVERVIEW, {"id": self.maria.id, "asOf": as_of}, token or self.c)
        return data["participant"]["plan"]["overview"]

    def income(self, month: str, amount: str) -> None:
        record = self.ok(
            "recordIncome",
            {"participantId": self.maria.id, "month": month, "source": "EMPLOYMENT",
             "amount": amount},
            "incomeRecord { id version }", self.her,
        )["incomeRecord"]  # fmt: skip
        self.ok("verifyIncome", {"incomeRecordId": record["id"], "version": record["version"]},
                "incomeRecord { id }", self.c)  # fmt: skip

    def pay(self, period: str) -> None:
        # Awards (training, retention) wait for a FINANCE user who did not cause them.
        pending = self.api.query(
            "{ pendingAmounts { awards(first: 100) { edges { node { id } } } } }", None, self.f2
        )
        for award in (e["node"] for e in pending["pendingAmounts"]["awards"]["edges"]):
            self.ok("approveIncentiveAward", {"awardId": award["id"]}, "award { id }", self.f2)
        run = self.ok("createPaymentRun", {"period": period}, "run { id }", self.f1)["run"]
        for _ in range(600):
            state = self.api.query(RUN, {"id": run["id"]}, self.f1)["paymentRun"]
            if state["state"] == "CALCULATED" and state["job"]["status"] == "DONE":
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"run {period} did not finish: {state}")
        self.ok(
            "approvePaymentRun",
            {"runId": run["id"], "version": state["version"],
             "controlTotal": state["payable"]["total"]["amount"]},
            "run { state }", self.f2,
        )  # fmt: skip


def _plan(s: Story) -> dict[str, str]:
    plan = s.ok(
        "revisePlan",
        {"participantId": s.maria.id, "pathways": ["EMPLOYMENT", "ENTREPRENEURSHIP"],
         "targetMonthlyIncome": "1400.00",
         "milestones": [
             {"title": "Finish the cooking course", "category": "TRAINING",
              "dueDate": "2026-03-31"},
             {"title": "Keep a job three months", "category": "EMPLOYMENT",
              "dueDate": "2026-07-15"},
             {"title": "Repay my first loan", "category": "ENTREPRENEURSHIP",
              "dueDate": "2026-08-31"},
         ]},
        "plan { milestones { id title } }", s.c,
    )["plan"]  # fmt: skip
    s.ok("agreeToPlan", {"participantId": s.maria.id}, "plan { agreedAt }", s.her)
    return {m["title"]: m["id"] for m in plan["milestones"]}


def _link(s: Story, milestone_id: str, record_type: str, record_id: int) -> None:
    s.ok(
        "linkMilestone",
        {"milestoneId": milestone_id, "recordType": record_type, "recordId": record_id},
        "milestone { linkedType }", s.c,
    )  # fmt: skip


def test_eight_months_seen_at_three_points_in_time(api, people):
    s = Story(api, people)
    goals = _plan(s)
    schedule = s.ok(
        "createStipendSchedule",
        {"participantId": s.maria.id, "startMonth": "2026-01", "durationMonths": 12},
        "schedule { id }", s.c,
    )["schedule"]  # fmt: skip
    s.ok("approveStipendSchedule", {"scheduleId": schedule["id"]}, "schedule { state }", s.f2)
    program = training.create_program(
        s.counselor, title="Professional cooking", provider="School", format="IN_PERSON",
        languages=["es"], total_hours="120", hours_per_week="10", capacity=12,
        credential_name="Food handler certificate",
        skills=[{"key": "food-hygiene", "label": "Food hygiene"}],
    )  # fmt: skip
    # A cohort cannot be created with its end in the past; its end date plays no part here.
    cohort = training.create_cohort(
        s.counselor, program.id, start_date=date(2026, 1, 12),
        end_date=date.today() + timedelta(days=30),
        session_days=["MON", "WED"], location="Centro",
    )  # fmt: skip
    enrollment = training.enroll_participant(s.counselor, cohort.id, s.maria.id)
    _link(s, goals["Finish the cooking course"], "ENROLLMENT", enrollment.id)
    s.ok(
        "setEnrollmentStatus",
        {"enrollmentId": enrollment.id, "status": "ACTIVE", "reason": "course started"},
        "enrollment { status }", s.c,
    )  # fmt: skip
    for period in ("2026-01", "2026-02", "2026-03"):
        s.pay(period)  # no income yet: 900.00 a month

    # ---- point 1: mid-March ----------------------------------------------------------
    view = s.overview("2026-03-15")
    assert view["training"]["current"] == [
        {"programTitle": "Professional cooking", "status": "ACTIVE"}
    ]
    assert view["employment"]["currentPlacement"] is None
    assert view["income"]["projection"] == "NOT_YET_PROJECTABLE"
    assert view["income"]["monthsAtTargetInARow"] == 0
    assert len(view["income"]["months"]) == 12  # Mar 2025 .. Feb 2026, none verified
    assert view["stipend"] == {
        "state": "ACTIVE", "monthsUsed": 3, "monthsLeft": 9, "currentPeriod": "2026-03",
        "currentNet": {"amount": "900.00"}, "currentTaper": {"amount": "0.00"},
        "nextPaymentPeriod": "2026-04", "endReason": None,
    }  # fmt: skip
    assert view["microcredit"]["state"] is None
    assert view["milestones"]["dueSoon"] == [{"title": "Finish the cooking course"}]
    assert s.overview("2026-03-15", s.her) == view  # she sees her own, the same

    s.ok(
        "completeEnrollment",
        {"enrollmentId": enrollment.id, "completedOn": "2026-03-27",
         "credential": {"name": "Food handler certificate"}},
        "enrollment { status }", s.c,
    )  # fmt: skip
    # April: hired (start Apr 1), a 300.00 loan in a group of three
    admin_actor = s.admin
    employer = make_employer(admin_actor)
    _, employer_actor = people.employer(employer.id)
    opportunity = open_opportunity(employer_actor, pay_amount="1500.00", pay_period="MONTHLY")
    with on_day(date(2026, 4, 1)):  # referred and hired on the day she starts
        consent(s.counselor, s.maria.id, employer.id)
        referral = employers.refer_participant(s.counselor, opportunity.id, s.maria.id, "")
        for stage in ("SHARED", "INTERVIEW", "OFFERED"):
            employers.advance_referral(s.counselor, referral.id, stage)
        s.ok(
            "advanceReferral",
            {"referralId": referral.id, "status": "HIRED",
             "placement": {"startDate": "2026-04-01"}},
            "referral { status }", s.c,
        )  # fmt: skip
    placement = employers.placement_of_referral(referral.id)
    _link(s, goals["Keep a job three months"], "PLACEMENT", placement.id)
    group = mc.create_group(
        s.counselor, name="Olive group", meeting_frequency="MONTHLY",
        meeting_weekday="MONDAY", meeting_place="Community centre",
    )  # fmt: skip
    for person in (s.maria, *s.friends):
        mc.add_member(s.counselor, group.id, person.id)
    mc.set_group_status(s.counselor, group.id, "ACTIVE")
    loan = mc.apply_for_loan(
        s.counselor, s.maria.id, purpose="EQUIPMENT", amount="300.00",
        number_of_installments=3, annual_interest_rate="0", frequency="MONTHS",
    )  # fmt: skip
    mc.approve_loan(s.finance, loan.id)
    mc.disburse_loan(s.finance, loan.id, date(2026, 4, 6), first_due_date=date(2026, 5, 6))
    _link(s, goals["Repay my first loan"], "LOAN", loan.id)
    s.pay("2026-04")  # no March income; the training award: 900 + 100 = 1000.00
    s.income("2026-04", "1000.00")
    checkpoints = {c.days: c for c in employers.checkpoints_for([placement.id])[placement.id]}
    s.ok(
        "confirmRetention",
        {"checkpointId": checkpoints[30].id, "outcome": "CONFIRMED_EMPLOYED"},
        "checkpoint { status }", s.c,
    )  # fmt: skip
    s.pay("2026-05")  # taper (1000 - 300) x 50 % = 350.00 -> 550.00
    s.ok("recordRepayment", {"loanId": loan.id, "amount": "100.00", "paidOn": "2026-05-06"},
         "repayment { id }", s.f1)  # fmt: skip
    s.income("2026-05", "1500.00")
    s.pay("2026-06")  # taper (1500 - 300) x 50 % = 600.00 -> 300.00
    s.ok("recordRepayment", {"loanId": loan.id, "amount": "100.00", "paidOn": "2026-06-06"},
         "repayment { id }", s.f1)  # fmt: skip

    # ---- point 2: mid-June -----------------------------------------------------------
    view = s.overview("2026-06-15")
    assert view["training"]["current"] == []
    assert view["training"]["completed"] == [
        {"programTitle": "Professional cooking", "credentialName": "Food handler certificate"}
    ]
    assert view["employment"]["currentPlacement"] == {"id": str(placement.id)}
    # the 90-day checkpoint (Apr 1 + 90 = Jun 30) is due within 30 days
    assert view["employment"]["checkpointsDue"] == [{"days": 90, "dueOn": "2026-06-30"}]
    income = view["income"]
    assert income["months"][-2:] == [
        {"month": "2026-04", "amount": {"amount": "1000.00"}, "atTarget": False},
        {"month": "2026-05", "amount": {"amount": "1500.00"}, "atTarget": True},
    ]
    # May at target, 1 month in a row: 2 more (Jun, Jul) -> independent in 2026-07
    assert (income["monthsAtTargetInARow"], income["projection"]) == (1, "PROJECTED")
    assert income["projectedIndependenceMonth"] == "2026-07"
    assert view["stipend"]["monthsUsed"] == 6 and view["stipend"]["monthsLeft"] == 6
    assert view["stipend"]["currentNet"] == {"amount": "300.00"}
    assert view["stipend"]["currentTaper"] == {"amount": "600.00"}
    assert view["stipend"]["nextPaymentPeriod"] == "2026-07"
    assert view["microcredit"] == {
        "state": "DISBURSED", "outstandingPrincipal": {"amount": "100.00"},
        "nextInstallmentDue": "2026-07-06", "nextInstallmentAmount": {"amount": "100.00"},
        "daysPastDue": 0,
    }  # fmt: skip
    assert view["milestones"]["done"] == [{"title": "Finish the cooking course"}]
    assert view["milestones"]["overdue"] == []

    s.ok(
        "confirmRetention",
        {"checkpointId": checkpoints[90].id, "outcome": "CONFIRMED_EMPLOYED"},
        "checkpoint { status }", s.c,
    )  # fmt: skip
    s.income("2026-06", "1500.00")
    s.pay("2026-07")  # taper 600.00, the 90-day award 150.00 -> 450.00
    s.ok("recordRepayment", {"loanId": loan.id, "amount": "100.00", "paidOn": "2026-07-06"},
         "repayment { id }", s.f1)  # fmt: skip
    s.income("2026-07", "1500.00")
    s.pay("2026-08")  # May, Jun, Jul at target: the schedule ends (independence), no line

    # ---- point 3: late August --------------------------------------------------------
    view = s.overview("2026-08-20")
    income = view["income"]
    assert (income["independent"], income["projection"]) == (True, "REACHED")
    assert income["projectedIndependenceMonth"] == "2026-07"
    assert view["stipend"] == {
        "state": "ENDED", "monthsUsed": 7, "monthsLeft": 0, "currentPeriod": "2026-07",
        "currentNet": {"amount": "450.00"}, "currentTaper": {"amount": "600.00"},
        "nextPaymentPeriod": None, "endReason": "INDEPENDENCE",
    }  # fmt: skip
    assert view["microcredit"]["state"] == "REPAID"
    assert view["microcredit"]["outstandingPrincipal"] == {"amount": "0.00"}
    assert view["microcredit"]["nextInstallmentDue"] is None
    assert sorted(m["title"] for m in view["milestones"]["done"]) == [
        "Finish the cooking course",
        "Keep a job three months",
        "Repay my first loan",
    ]

    # ---- the indicators of Jan-Aug 2026 count her (ADMIN: no suppression) ---------------
    row = s.api.query(OUTCOMES, None, s.a)["outcomes"]["rows"]["edges"][0]["node"]
    assert row == {
        "key": "ALL",
        "placementRate": "1.0000",  # seeking 1 (Maria; A and B never referred), placed 1
        "retention30": "1.0000",  # mark May 1, confirmed
        "retention90": "1.0000",  # mark Jun 30, confirmed
        "retention180": None,  # mark Sep 28, after the period
        "medianEarningsQ2": None,  # Q2 after an April start is Oct-Dec
        "credentialRate": "1.0000",  # 1 ended enrolment, with a credential
        "completionRate": "1.0000",
        "skillGainRate": "0.0000",  # in training, no recorded gain
        "repaymentRate": "1.0000",  # repaid Jul 6
        "par30": None,  # nothing outstanding on Aug 31
        "medianStipendMonthsToIndependence": "7.0",  # Jan-Jul lines, each used a month
        "independentCount": 1,  # independent in 2026-07
        "reentries": 0,
        "suppressed": False,
    }
    # finance sees the same period with every cell of one person suppressed
    row = s.api.query(OUTCOMES, None, s.f1)["outcomes"]["rows"]["edges"][0]["node"]
    assert row["suppressed"] is True and row["placementRate"] is None
