"""The run page's figures (totals, per method, payable, exceptions, the count of each
line filter) from one grouped scan of a covering index instead of five scans of a run's
20,000 lines (issues 18 and 21, econ/stipends/summary.py)."""

SQL = """
CREATE INDEX "payment_line_run_summary" ON "payment_line" (
    "run_id", "method", "status", "exception", "followup_run_id",
    "base", "taper", "incentives", "adjustments", "net"
);
"""
