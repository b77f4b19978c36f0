"""Shim for `uvicorn server:app` and `python server.py` (127.0.0.1:8000 by default).

The service itself is `econ.app` (`uvicorn econ.app:app`, `econ serve`).
"""

from __future__ import annotations

from econ.app import app, create_app, main

__all__ = ["app", "create_app", "main"]

if __name__ == "__main__":
    main()
