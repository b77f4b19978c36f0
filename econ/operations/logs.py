"""Logging set-up: one JSON object per line (python-json-logger) or plain text.

Every line carries the time, level, logger, message, and the request id and user id of
the request it belongs to (see econ.tracing). Messages never hold personal data: ids only.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from econ.config import Settings
from econ.tracing import TraceFilter

_TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s"


def _drop_color(record: logging.LogRecord) -> bool:
    """uvicorn adds a copy of its message with terminal colour codes: not for a log file."""
    record.__dict__.pop("color_message", None)
    return True


def configure_logging(settings: Settings) -> None:
    """Replace the root handlers (idempotent: the server, CLI and workers all call it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(TraceFilter())
    handler.addFilter(_drop_color)
    if settings.log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                _FIELDS,
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                timestamp=False,
            )
        )
    else:
        handler.setFormatter(logging.Formatter(_TEXT))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_econ", False):
            root.removeHandler(old)
    handler._econ = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # One line per request is ours (econ.http); uvicorn's own access log would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
