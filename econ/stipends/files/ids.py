"""Message ids that are unique across installations: MsgId and PmtInfId of a SEPA file.

A bank refuses (or worse, silently drops) a file whose MsgId it has seen before from the
same customer. Run and batch numbers start at 1 in every installation, so two
installations paying from one account (a test and a live system, or two programmes of
one organisation) would repeat them: each id starts with the installation's own id,
drawn once at random and stored (settings.services.installation_id).
"""

from __future__ import annotations

import re

from econ.stipends.files.types import REFERENCE_PATTERN

_INSTALLATION = re.compile(r"[A-Z0-9]{4,12}", re.ASCII)


def message_id(installation: str, run_id: int, method: str, batch: int) -> str:
    """`<installation>-R<run>-<method>-B<batch>`, e.g. "7KQ2M9XD-R12-BANK-B1" (at most 35
    characters of letters, digits and "-", the EPC rules for MsgId and PmtInfId)."""
    if not _INSTALLATION.fullmatch(installation):
        raise ValueError("an installation id is 4 to 12 capital letters and digits")
    if run_id < 1 or batch < 1:
        raise ValueError("run and batch numbers start at 1")
    value = f"{installation}-R{run_id}-{method[:4].upper()}-B{batch}"
    if not REFERENCE_PATTERN.fullmatch(value):
        raise ValueError(f"the message id {value!r} does not fit 35 characters")
    return value
