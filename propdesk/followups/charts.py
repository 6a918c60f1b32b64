"""Bar charts drawn on the server as inline SVG: no JavaScript library, no CDN, readable without scripts and in
print. The text takes the page's fonts (Chinese labels render with the body's PingFang / YaHei / WenQuanYi), and
every label is escaped before it reaches the markup."""

from collections.abc import Sequence
from math import ceil

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b6e4f", "#3182ce", "#b7791f", "#805ad5", "#319795")
BELOW = "#c53030"  # a bar under its target
HEIGHT, TOP, BOTTOM, LEFT, RIGHT = 230, 26, 44, 44, 64
TICKS = 4


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_max(values: Sequence[float]) -> float:
    top = max(values, default=0) or 1
    step = 10 ** max(len(str(int(top))) - 1, 0)
    return float(ceil(top / step) * step)


def bar_chart(*, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
              target: float | None = None, target_label: str = "", unit: str = "", max_value: float | None = None,
              title: str = "", sublabels: Sequence[str] | None = None, chart_id: str = "") -> SafeString:
    """An SVG bar chart: one group of bars per label, one bar per series (``(name, values)``; a value may be None
    for "nothing to show", drawn as an empty bar marked "—"), the value above each bar, a y axis with grid lines,
    and an optional dashed target line; a bar under the target is drawn red. ``sublabels`` are a second, smaller
    line under the labels (e.g. the year)."""
    count, per_group = len(labels), max(len(series), 1)
    group = max(40, 22 * per_group + 14)
    width = max(320, LEFT + count * group + RIGHT)
    plot = HEIGHT - TOP - BOTTOM
    values = [v for _name, vals in series for v in vals if v is not None]
    top = max_value if max_value is not None else _nice_max([*values, target or 0])

    def y(value: float) -> float:
        return TOP + plot - plot * min(max(value, 0), top) / top

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {HEIGHT}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
           f'style="max-width:{width}px;font-family:inherit;font-size:11px"'
           + (f' id="{escape(chart_id)}"' if chart_id else "") + ">"]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    # Axes and grid.
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        ty = y(value)
        out.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#dde3ea"/>')
        out.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#66788a">'
                   f"{escape(_num(value) + unit)}</text>")
    out.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot}" stroke="#66788a"/>')
    out.append(f'<line class="axis" x1="{LEFT}" x2="{width - RIGHT}" y1="{TOP + plot}" y2="{TOP + plot}" '
               f'stroke="#66788a"/>')
    # Bars.
    bar = (group - 14) / per_group
    for index, label in enumerate(labels):
        x0 = LEFT + index * group + 7
        for number, (name, vals) in enumerate(series):
            value = vals[index] if index < len(vals) else None
            x = x0 + number * bar
            height = 0.0 if value is None else TOP + plot - y(value)
            below = target is not None and value is not None and value < target
            fill = BELOW if below else PALETTE[number % len(PALETTE)]
            shown = "—" if value is None else _num(value) + unit
            out.append(f'<rect class="bar{" below" if below else ""}" x="{x:.1f}" y="{TOP + plot - height:.1f}" '
                       f'width="{bar - 2:.1f}" height="{height:.1f}" fill="{fill}" '
                       f'data-label="{escape(label)}" data-value="{"" if value is None else _num(value)}">'
                       f"<title>{escape(f'{label} {name}: {shown}')}</title></rect>")
            out.append(f'<text class="value" x="{x + (bar - 2) / 2:.1f}" y="{TOP + plot - height - 4:.1f}" '
                       f'text-anchor="middle" fill="#1f2933">{escape(shown)}</text>')
        centre = x0 + (group - 14) / 2
        out.append(f'<text class="label" x="{centre:.1f}" y="{TOP + plot + 16}" text-anchor="middle">'
                   f"{escape(label)}</text>")
        if sublabels and index < len(sublabels) and sublabels[index]:
            out.append(f'<text x="{centre:.1f}" y="{TOP + plot + 31}" text-anchor="middle" fill="#66788a">'
                       f"{escape(sublabels[index])}</text>")
    # Target line.
    if target is not None:
        ty = y(target)
        out.append(f'<line class="target" x1="{LEFT}" x2="{width - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
                   f'stroke="{BELOW}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text class="target-label" x="{width - RIGHT + 4}" y="{ty + 4:.1f}" fill="{BELOW}">'
                   f"{escape(target_label or _num(target) + unit)}</text>")
    # Legend, when bars of several series stand side by side.
    if len(series) > 1:
        x = LEFT
        for number, (name, _vals) in enumerate(series):
            out.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{PALETTE[number % len(PALETTE)]}"/>'
                       f'<text x="{x + 14}" y="15">{escape(name)}</text>')
            x += 24 + 12 * len(name)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text and attribute above is escaped or numeric
