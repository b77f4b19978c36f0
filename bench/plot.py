"""Plot time against size on both databases.

python -m bench.plot results.jsonl docs/img/payment-run-scaling.png   # payment_run --json lines
python -m bench.plot --growth growth.jsonl docs/img/growth.png        # bench.growth lines
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict

DB_STYLES = {"sqlite": ("tab:blue", "SQLite"), "postgres": ("tab:orange", "PostgreSQL")}
# bench.growth kinds: panel title, x label, [(JSON key, series label, line style)]
GROWTH_PANELS = {
    "statements": (
        "Statements: generate N (s)",
        "statements N",
        [("seconds", "wall", "o-"), ("cpu_s", "CPU", "s--")],
    ),
    "caseload": (
        "Caseload page, one request (ms)",
        "participants in her caseload",
        [("seconds", "wall", "o-"), ("cpu_s", "CPU", "s--")],
    ),
    "run_detail": (
        "Run detail page, one request (ms)",
        "lines in the run",
        [("seconds", "figures kept per version", "o-"), ("uncached_s", "figures read", "s--")],
    ),
}


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


def load_growth(path: str) -> dict[tuple[str, str, str], list[tuple[int, float]]]:
    """{(kind, db, key): [(size, median value)]}: the median of every line per point."""
    values: dict[tuple[str, str, str, int], list[float]] = defaultdict(list)
    with open(path) as handle:
        for line in handle:
            row = json.loads(line)
            for key in ("seconds", "cpu_s", "uncached_s"):
                if key in row:
                    values[(row["bench"], row["db"], key, row["size"])].append(row[key])
    series: dict[tuple[str, str, str], list] = defaultdict(list)
    for (kind, db, key, size), found in sorted(values.items()):
        series[(kind, db, key)].append((size, statistics.median(found)))
    return series


def plot_growth(series: dict, out: str) -> None:
    """One log-log panel per kind, both databases, with a dotted slope-1 (linear) guide
    through each series' smallest point: a curve that follows it grows linearly, one
    flatter than it does not grow with the size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [k for k in GROWTH_PANELS if any(key[0] == k for key in series)]
    fig, axes = plt.subplots(1, len(kinds), figsize=(4.2 * len(kinds), 3.8), dpi=100)
    for ax, kind in zip([axes] if len(kinds) == 1 else axes, kinds, strict=True):
        title, xlabel, lines = GROWTH_PANELS[kind]
        scale = 1 if kind == "statements" else 1000
        for db, (color, db_label) in DB_STYLES.items():
            for key, label, style in lines:
                rows = series.get((kind, db, key))
                if not rows:
                    continue
                sizes = [size for size, _ in rows]
                times = [value * scale for _, value in rows]
                ax.plot(sizes, times, style, color=color, label=f"{db_label}: {label}")
                if key == lines[0][0]:
                    guide = [times[0] * size / sizes[0] for size in sizes]
                    ax.plot(sizes, guide, ":", color=color, alpha=0.5)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6)
        ax.tick_params(labelsize=7)
    fig.suptitle("Time against size (log-log; dotted: linear from the smallest point)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out)


def main_growth(source: str, out: str) -> None:
    series = load_growth(source)
    plot_growth(series, out)
    for (kind, db, key), rows in sorted(series.items()):
        points = "  ".join(f"{size:>7,}: {value:9.4f}" for size, value in rows)
        print(f"{kind:<11}{db:<9}{key:<11}{points}")


def main() -> None:
    if sys.argv[1] == "--growth":
        return main_growth(sys.argv[2], sys.argv[3])
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
