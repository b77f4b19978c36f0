"""Plot payment-run time against N on both databases from `payment_run --json` lines.

python -m bench.plot results.jsonl docs/img/payment-run-scaling.png
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict


def load(path: str) -> dict[str, list[tuple[int, float, float]]]:
    """{db: [(N, run seconds, baseline seconds)]}, the latest line per (db, N)."""
    latest: dict[tuple[str, int], tuple[float, float]] = {}
    with open(path) as handle:
        for line in handle:
            row = json.loads(line)
            latest[(row["db"], row["size"])] = (row["run_s"], row["baseline_s"])
    series: dict[str, list] = defaultdict(list)
    for (db, size), (run_s, base_s) in sorted(latest.items()):
        series[db].append((size, run_s, base_s))
    return series


def plot(series: dict[str, list], out: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    styles = {"sqlite": ("tab:blue", "SQLite"), "postgres": ("tab:orange", "PostgreSQL")}
    for db, rows in series.items():
        color, label = styles.get(db, ("tab:gray", db))
        sizes = [r[0] for r in rows]
        ax.plot(sizes, [r[1] for r in rows], "o-", color=color, label=f"{label}: payment run")
        ax.plot(
            sizes,
            [r[2] for r in rows],
            "s--",
            color=color,
            alpha=0.6,
            label=f"{label}: insert_many baseline",
        )
        ax.plot(
            sizes,
            [4 * r[2] for r in rows],
            ":",
            color=color,
            alpha=0.5,
            label=f"{label}: target (4 x baseline)",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("active schedules N (log)")
    ax.set_ylabel("seconds (log)")
    ax.set_title("Payment-run calculation time against N (slope 1 = linear)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out)


def main() -> None:
    source, out = sys.argv[1], sys.argv[2]
    series = load(source)
    plot(series, out)
    for db, rows in series.items():
        for size, run_s, base_s in rows:
            print(
                f"{db:<9}{size:>8,}  run {run_s:8.2f} s  baseline {base_s:7.2f} s  "
                f"ratio {run_s / base_s:5.2f}  {size / run_s:8,.0f} lines/s"
            )


if __name__ == "__main__":
    main()
