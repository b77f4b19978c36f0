"""What the pages say for each error code the API returns, in plain words (translated).

The API's own messages are English and written for developers; a page shows hers, by code.
"""

from __future__ import annotations

from collections.abc import Callable

from econ.statements.i18n import N_

MESSAGES: dict[str, str] = {
    "INVALID_CREDENTIALS": N_("This sign-in name or passphrase is not right. Try again."),
    "TOO_MANY_ATTEMPTS": N_("Too many tries. Wait a few minutes, then try again."),
    "RATE_LIMITED": N_("Too many tries. Wait a few minutes, then try again."),
    "INVALID_CODE": N_("This code does not work. Ask your counselor for a new one."),
    "NEEDS_APPROVAL": N_(
        "Your sign-in is not approved yet. Try the same code again later, or ask your counselor."
    ),
    "INVALID_SIGN_IN_NAME": N_(
        "Use 3 to 30 letters (a to z), numbers, dots or dashes, without spaces."
    ),
    "NAME_TOO_CLOSE": N_("Choose a name that is not your own name: others could guess it."),
    "NAME_TAKEN": N_("Someone already uses this name. Choose another one."),
    "WEAK_PASSWORD": N_("This passphrase is too easy to guess. Use three or four words."),
    "REVISION_CHANGED": N_(
        "Your plan changed while you were reading it. Please read the new version."
    ),
    "ALREADY_AGREED": N_("You have already agreed to this version of your plan."),
    "NO_PLAN": N_("There is no plan to agree to yet."),
    "NOT_FOUND": N_("We cannot find this. It may have changed; please try again."),
    "REQUIRED": N_("Please fill this in."),
    "CHANNEL_REQUIRED": N_("Choose how they may contact you, and write the number or address."),
}
FALLBACK = N_("This did not work. Please try again, or ask your counselor.")


def messages_for(codes: dict[str, str], _: Callable[[str], str]) -> dict[str, str]:
    """{field: code} -> {field: her words for it}."""
    return {field: _(MESSAGES.get(code, FALLBACK)) for field, code in codes.items()}
