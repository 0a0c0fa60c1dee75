"""Declared against predicted counts per domain, as an inline SVG drawn by hand.

One horizontal row per domain, so the chart stays legible on a phone: a band for the
90% interval of the count the notice list supports, a dot for the model's count, a
diamond for the count the report declares, coloured by the verdict. The SVG scales with
its ``viewBox``; it needs no script, font file or network.

Stable hooks for tests and CSS: ``svg#reconcile-chart``; each domain is a
``g.chart-row[data-domain][data-status]`` holding ``rect.interval``,
``circle.predicted``, ``path.declared`` and ``line.expected``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from nlp.reconcile.domains import DomainReconciliation

WIDTH = 460  # narrow viewBox: on a phone the text scales down least
LABEL_WIDTH = 100
RIGHT_PAD = 24
ROW_HEIGHT = 34
TOP = 30
BOTTOM = 46
STATUS_COLOURS: dict[str, str] = {
    "consistent": "#2e7d32", "suspect": "#ef8f00", "inconsistent": "#c62828",
}


def nice_ticks(maximum: float, target: int = 5) -> list[int]:
    """Round tick values from 0 to at least ``maximum``, about ``target`` of them.

    >>> nice_ticks(24)
    [0, 5, 10, 15, 20, 25]
    >>> nice_ticks(0)
    [0, 1]
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    top = int(math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


def render_chart(domains: Sequence[DomainReconciliation]) -> str:
    """The SVG markup for ``domains``, or an empty string when there are none."""
    if not domains:
        return ""
    peak = max(max(d.declared, d.predicted, d.interval[1], d.expected) for d in domains)
    ticks = nice_ticks(peak)
    span = ticks[-1] or 1
    plot_w = WIDTH - LABEL_WIDTH - RIGHT_PAD
    height = TOP + ROW_HEIGHT * len(domains) + BOTTOM

    def x(v: float) -> float:
        return round(LABEL_WIDTH + plot_w * v / span, 1)

    parts = [
        f'<svg id="reconcile-chart" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title">',
        '<title id="chart-title">各领域年报申报条数与模型判定条数（含 90% 区间）</title>',
    ]
    axis_y = TOP + ROW_HEIGHT * len(domains)
    for t in ticks:
        parts.append(f'<line class="grid" x1="{x(t)}" y1="{TOP - 6}" x2="{x(t)}" '
                     f'y2="{axis_y}" stroke="#ddd"/>')
        parts.append(f'<text class="tick" x="{x(t)}" y="{axis_y + 14}" '
                     f'text-anchor="middle" font-size="11" fill="#555">{t}</text>')
    for k, d in enumerate(domains):
        cy = TOP + ROW_HEIGHT * k + ROW_HEIGHT / 2
        colour = STATUS_COLOURS.get(d.status, "#555")
        lo, hi = d.interval
        name = escape(d.domain)
        tip = escape(f"{d.domain}：申报 {d.declared}，模型 {d.predicted}，"
                     f"估计 {d.expected:.1f}，90% 区间 {lo}–{hi}")
        band_w = max(x(hi) - x(lo), 3)
        parts += [
            f'<g class="chart-row" data-domain="{name}" data-status="{escape(d.status)}">',
            f"<title>{tip}</title>",
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{cy + 4}" text-anchor="end" '
            f'font-size="13" fill="#222">{name}</text>',
            f'<rect class="interval" x="{x(lo) - (1.5 if band_w == 3 else 0)}" y="{cy - 7}" '
            f'width="{band_w}" height="14" rx="3" fill="{colour}" fill-opacity="0.18" '
            f'stroke="{colour}" stroke-opacity="0.5"/>',
            f'<line class="expected" x1="{x(d.expected)}" y1="{cy - 9}" x2="{x(d.expected)}" '
            f'y2="{cy + 9}" stroke="#555" stroke-dasharray="2 2"/>',
            f'<circle class="predicted" cx="{x(d.predicted)}" cy="{cy}" r="5" fill="#1565c0"/>',
            _diamond(x(d.declared), cy, colour),
            "</g>",
        ]
    ly = height - 14
    parts += [
        f'<g class="legend" font-size="11" fill="#333" transform="translate({LABEL_WIDTH},{ly})">',
        '<rect x="0" y="-7" width="18" height="10" rx="2" fill="#888" fill-opacity="0.25" '
        'stroke="#888"/><text x="23" y="2">90% 区间</text>',
        '<circle cx="100" cy="-2" r="5" fill="#1565c0"/><text x="110" y="2">模型判定</text>',
        _diamond(185, -2, "#333"), '<text x="195" y="2">年报申报</text>',
        '<line x1="262" y1="-9" x2="262" y2="5" stroke="#555" stroke-dasharray="2 2"/>'
        '<text x="268" y="2">估计</text>',
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts)


def _diamond(cx: float, cy: float, colour: str) -> str:
    r = 6.5
    return (f'<path class="declared" d="M{cx} {cy - r} L{cx + r} {cy} L{cx} {cy + r} '
            f'L{cx - r} {cy} Z" fill="{colour}" stroke="#fff" stroke-width="1"/>')
