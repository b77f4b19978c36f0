"""A run's lines in id order straight from an index: the run page's first page of lines
and its exception lines (`WHERE run_id = ? … ORDER BY id LIMIT 50`). SQLite reads them in
rowid order from the run index already; PostgreSQL sorted every line of the run first
(41 ms at 30,000 lines; docs/performance.md §6)."""

SQL = """
CREATE INDEX "payment_line_run_order" ON "payment_line" ("run_id", "id");
"""
