"""Charts drawn by the server as SVG: no chart library and no script in the browser.

One horizontal bar per figure, each labelled with its name and its number in text beside
the bar, so the chart reads the same without colour (bars are one dark fill with an
outline, over a 0-100 % scale drawn with ticks). A suppressed or empty cell gets no bar
and no number: only the word the page passes for it, so a hidden figure cannot be read
off the drawing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH = 640
LABEL_WIDTH = 250
BAR_WIDTH = 300
ROW = 28
TOP = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # a rate 0..1; None: no bar, no number
    text: str  # what is written beside it: "75.0 % (3/4)", or "suppressed"


def bar_chart(title: str, bars: list[Bar], chart_id: str) -> str:
    """An accessible SVG (role img, its title, one text per bar)."""
    height = TOP + ROW * len(bars) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for tick in range(0, 101, 25):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        parts.append(
            f'<line x1="{x:.0f}" y1="{TOP - 6}" x2="{x:.0f}" y2="{height - 20}" '
            'stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{x:.0f}" y="{height - 6}" text-anchor="middle">{tick} %</text>'
        )
    for index, bar in enumerate(bars):
        y = TOP + ROW * index
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>"
        )
        end = LABEL_WIDTH
        if bar.value is not None:
            length = BAR_WIDTH * float(min(max(bar.value, Decimal(0)), Decimal(1)))
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" '
                'fill="#1f4e6b" stroke="#000" stroke-width="1"/>'
            )
            end = LABEL_WIDTH + length
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 17}">{escape(bar.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
