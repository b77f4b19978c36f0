"""What the Today page computes from its document: the words of each kind of item, and the
link to the place where she acts on it (its form or card on her record, her details' bank
account, the plan editor on a step, her loan on the money tab)."""

from __future__ import annotations

from econ.statements.i18n import N_

# kind -> (what to do, in her words; the tab of the record where she does it; icon)
TODAY_KINDS: dict[str, tuple[str, str, str]] = {
    "ENROLMENT_REQUEST": (
        N_("Asked for a training seat: enrol her or answer"),
        "training",
        "learn",
    ),
    "CONSENT_NEEDED": (
        N_("Ask her for consent before the referral to %(detail)s"),
        "work",
        "check",
    ),
    "REFERRAL_TO_SHARE": (N_("Share the referral with %(detail)s (she consented)"), "work", "work"),
    "REFERRAL_NO_REPLY": (
        N_("No reply from %(detail)s to the referral: follow up"),
        "work",
        "work",
    ),
    "CHECKPOINT_DUE": (N_("Retention check at %(detail)s days is due"), "work", "work"),
    "PAYMENT_HELD": (N_("Stipend held (%(detail)s)"), "money", "money"),
    "PAYMENT_FAILED": (N_("Stipend payment failed: %(detail)s"), "money", "money"),
    "LOAN_IN_ARREARS": (N_("Loan instalment late by %(days)s days"), "money", "group"),
    "MILESTONE_OVERDUE": (N_("Plan step overdue: %(detail)s"), "plan", "plan"),
    "PLAN_NOT_AGREED": (N_("Plan revision %(detail)s waits for her agreement"), "plan", "plan"),
}

TODAY_KIND_TITLES: dict[str, str] = {
    "ENROLMENT_REQUEST": N_("Training requests"),
    "CONSENT_NEEDED": N_("Consents to ask for"),
    "REFERRAL_TO_SHARE": N_("Referrals to share"),
    "REFERRAL_NO_REPLY": N_("Referrals without a reply"),
    "CHECKPOINT_DUE": N_("Retention checks due"),
    "PAYMENT_HELD": N_("Stipends held"),
    "PAYMENT_FAILED": N_("Stipend payments failed"),
    "LOAN_IN_ARREARS": N_("Loans in arrears"),
    "MILESTONE_OVERDUE": N_("Plan steps overdue"),
    "PLAN_NOT_AGREED": N_("Plans waiting for her agreement"),
}


# Why a stipend line is held (econ/stipends/engine.py), in words; a bank's own reason for a
# failed payment is shown as the bank wrote it.
HOLD_REASONS = {
    "NO_BANK_ACCOUNT": N_("no bank account on file"),
    "INVALID_ACCOUNT": N_("the bank account is not valid"),
    "NO_CARD_REFERENCE": N_("no prepaid card on file"),
    "NEGATIVE_REMAINDER": N_("deductions are larger than the stipend"),
    "ZERO_NET": N_("nothing to pay this month"),
    "PAYEE_UNCONFIRMED": N_("her new bank details wait for a finance colleague to confirm them"),
    "SHARED_ACCOUNT": N_("another participant has the same account: finance records why"),
}
# Held for her bank account, or failed at the bank: she acts on her details' form (the
# account field); the other holds are finance's or the stipend's, shown on the money tab.
ACCOUNT_HOLDS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT")


def today_line(item: dict, _) -> str:
    """The item's sentence in her language."""
    detail = item.get("detail") or ""
    if item["kind"] == "PAYMENT_HELD" and detail in HOLD_REASONS:
        detail = _(HOLD_REASONS[detail])
    return _(TODAY_KINDS[item["kind"]][0]) % {"detail": detail, "days": item.get("days") or 0}


# kind -> the element of the tab where she acts on that one item (its form or card); the
# item's recordId names it (a referral, check, request, payment line or loan)
TODAY_ANCHORS = {
    "ENROLMENT_REQUEST": "request",
    "CONSENT_NEEDED": "referral",
    "REFERRAL_TO_SHARE": "referral",
    "REFERRAL_NO_REPLY": "referral",
    "CHECKPOINT_DUE": "check",
    "PAYMENT_HELD": "line",
    "LOAN_IN_ARREARS": "loan",
}

# kind -> what its link does, in words (every row says it: the link is the action)
TODAY_ACTIONS = {
    "ENROLMENT_REQUEST": N_("Enrol her or decline"),
    "CONSENT_NEEDED": N_("Record her consent"),
    "REFERRAL_TO_SHARE": N_("Share the referral"),
    "REFERRAL_NO_REPLY": N_("Follow up the referral"),
    "CHECKPOINT_DUE": N_("Record the check"),
    "PAYMENT_HELD": N_("Why it is held"),
    "PAYMENT_FAILED": N_("Her bank account"),
    "LOAN_IN_ARREARS": N_("Her loan and her group's next meeting"),
    "MILESTONE_OVERDUE": N_("Change or drop this step"),
    "PLAN_NOT_AGREED": N_("Go over this revision with her"),
}


def today_action(item: dict) -> str:
    """What the item's link does, in words to translate."""
    if today_link(item).endswith("/edit#bankAccount"):
        return N_("Her bank account")
    return TODAY_ACTIONS[item["kind"]]


def today_link(item: dict) -> str:
    """Where she acts on the item: its form or card on her record (an anchor on the tab),
    her details' bank account for a payment her account stops, the plan editor on an
    overdue step."""
    record = f"/staff/participants/{item['participant']['id']}"
    kind = item["kind"]
    if kind == "PAYMENT_FAILED" or (kind == "PAYMENT_HELD" and item.get("detail") in ACCOUNT_HOLDS):
        return f"{record}/edit#bankAccount"
    if kind == "MILESTONE_OVERDUE" and item.get("recordId"):
        return f"{record}/plan/edit#step-{item['recordId']}"
    if kind == "PLAN_NOT_AGREED":  # her agreement state, the revision open below it
        return f"{record}/plan#agreement"
    link = f"{record}/{TODAY_KINDS[kind][1]}"
    if kind in TODAY_ANCHORS and item.get("recordId"):
        link += f"#{TODAY_ANCHORS[kind]}-{item['recordId']}"
    return link


def today_groups(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """Items by kind in the order of TODAY_KINDS (only kinds that have items)."""
    return [(kind, [i for i in items if i["kind"] == kind]) for kind in TODAY_KINDS
            if any(i["kind"] == kind for i in items)]  # fmt: skip
