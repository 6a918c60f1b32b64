"""Bar charts drawn on the server as inline SVG: no JavaScript library, no CDN, readable without scripts and in
print. The text takes the page's fonts (Chinese labels render with the body's PingFang / YaHei / WenQuanYi), and
every label is escaped before it reaches the markup."""

from collections.abc import Sequence
from math import ceil

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b6e4f", "#3182ce", "#b7791f", "#805ad5", "#319795", "#d53f8c")
BELOW = "#c53030"  # a bar under its target
HEIGHT, TOP, BOTTOM, LEFT, RIGHT = 230, 26, 44, 44, 64
TICKS = 4


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_max(values: Sequence[float]) -> float:
    top = max(values, default=0) or 1
    step = 10 ** max(len(str(int(top))) - 1, 0)
    return float(ceil(top / step) * step)


def count_axis(values: Sequence[float | None]) -> int:
    """A top for an axis of counts whose grid lines fall on whole numbers (pass it as ``max_value``)."""
    return ceil(_nice_max([v for v in values if v is not None]) / TICKS) * TICKS


Link = str | None


def _link(links: Sequence[Link | Sequence[Link]] | None, index: int, number: int) -> Link:
    """The address of bar ``number`` (series) in group ``index``: ``links[index]`` is one address for every bar
    of the group, or a sequence with one address per series; None (or a missing entry) draws no link."""
    if not links or index >= len(links) or links[index] is None:
        return None
    entry = links[index]
    if isinstance(entry, str):
        return entry or None
    return entry[number] if number < len(entry) and entry[number] else None


def _wrapped(parts: list[str], href: Link, label: str) -> str:
    """The bar and its value, inside an SVG link when the bar has an address (escaped: & becomes &amp;)."""
    body = "".join(parts)
    if not href:
        return body
    return f'<a class="bar-link" href="{escape(href)}" aria-label="{escape(label)}">{body}</a>'


def _legend_rows(names: Sequence[str], width: int) -> list[list[tuple[int, str]]]:
    rows: list[list[tuple[int, str]]] = [[]]
    x = LEFT
    for number, name in enumerate(names):
        item = 24 + 12 * len(name)
        if rows[-1] and x + item > width - 8:
            rows.append([])
            x = LEFT
        rows[-1].append((number, name))
        x += item
    return rows


def _svg_open(*, width: int, height: int, kind: str, chart_id: str, title: str) -> list[str]:
    """The opening tag (scaled to the page's width, its own width kept for CSS) and the accessible title."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart{kind}" viewBox="0 0 {width} {height}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
           f'style="max-width:{width}px;--chart-width:{width}px;font-family:inherit;font-size:11px"'
           + (f' id="{escape(chart_id)}"' if chart_id else "") + ">"]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    return out


def _vertical_grid(out: list[str], *, y, top: float, unit: str, width: int, plot_top: float, base: float) -> None:
    """Grid lines with their values up the y axis, then the two axes, of a chart whose bars stand up."""
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        ty = y(value)
        out.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#dde3ea"/>')
        out.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#66788a">'
                   f"{escape(_num(value) + unit)}</text>")
    out.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{plot_top}" y2="{base}" stroke="#66788a"/>')
    out.append(f'<line class="axis" x1="{LEFT}" x2="{width - RIGHT}" y1="{base}" y2="{base}" stroke="#66788a"/>')


def bar_chart(*, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
              target: float | None = None, target_label: str = "", unit: str = "", max_value: float | None = None,
              title: str = "", sublabels: Sequence[str] | None = None, chart_id: str = "",
              links: Sequence[Link | Sequence[Link]] | None = None, stacked: bool = False) -> SafeString:
    """An SVG bar chart: one group of bars per label, one bar per series (``(name, values)``; a value may be None
    for "nothing to show", drawn as an empty bar marked "—"), the value above each bar, a y axis with grid lines,
    and an optional dashed target line; a bar under the target is drawn red. ``sublabels`` are a second, smaller
    line under the labels (e.g. the year).

    ``links`` (optional, one entry per label: an address, or a sequence of addresses one per series) wraps each bar
    and its value in an SVG ``<a href>``, so that a click opens the list behind the bar. ``stacked`` draws the
    series of a label on top of each other in one bar (segments keep their own value, link and title; the total
    is written above)."""
    if stacked:
        return _stacked_chart(labels=labels, series=series, unit=unit, max_value=max_value, title=title,
                              sublabels=sublabels, chart_id=chart_id, links=links)
    count, per_group = len(labels), max(len(series), 1)
    group = max(40, 22 * per_group + 14)
    width = max(320, LEFT + count * group + RIGHT)
    plot = HEIGHT - TOP - BOTTOM
    values = [v for _name, vals in series for v in vals if v is not None]
    top = max_value if max_value is not None else _nice_max([*values, target or 0])

    def y(value: float) -> float:
        return TOP + plot - plot * min(max(value, 0), top) / top

    out = _svg_open(width=width, height=HEIGHT, kind="", chart_id=chart_id, title=title)
    _vertical_grid(out, y=y, top=top, unit=unit, width=width, plot_top=TOP, base=TOP + plot)
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
            out.append(_wrapped([
                f'<rect class="bar{" below" if below else ""}" x="{x:.1f}" y="{TOP + plot - height:.1f}" '
                f'width="{bar - 2:.1f}" height="{height:.1f}" fill="{fill}" '
                f'data-label="{escape(label)}" data-value="{"" if value is None else _num(value)}">'
                f"<title>{escape(f'{label} {name}: {shown}')}</title></rect>",
                f'<text class="value" x="{x + (bar - 2) / 2:.1f}" y="{TOP + plot - height - 4:.1f}" '
                f'text-anchor="middle" fill="#1f2933">{escape(shown)}</text>'],
                _link(links, index, number), f"{label} {name}: {shown}"))
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


def _stacked_chart(*, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], unit: str,
                   max_value: float | None, title: str, sublabels: Sequence[str] | None, chart_id: str,
                   links: Sequence[Link | Sequence[Link]] | None) -> SafeString:
    """One bar per label made of one segment per series (counts that add up, e.g. requests of a week by kind)."""
    count = len(labels)
    group = 40
    width = max(320, LEFT + count * group + RIGHT)
    legend = _legend_rows([name for name, _vals in series], width) if len(series) > 1 else []
    top_margin = TOP + 14 * max(len(legend) - 1, 0)
    height_total = HEIGHT + top_margin - TOP
    plot = HEIGHT - TOP - BOTTOM
    totals = [sum(vals[i] or 0 for _name, vals in series if i < len(vals)) for i in range(count)]
    top = max_value if max_value is not None else _nice_max(totals)

    def y(value: float) -> float:
        return top_margin + plot - plot * min(max(value, 0), top) / top

    out = _svg_open(width=width, height=height_total, kind=" stacked", chart_id=chart_id, title=title)
    base = top_margin + plot
    _vertical_grid(out, y=y, top=top, unit=unit, width=width, plot_top=top_margin, base=base)
    bar = group - 14
    for index, label in enumerate(labels):
        x = LEFT + index * group + 7
        level = 0.0
        for number, (name, vals) in enumerate(series):
            value = vals[index] if index < len(vals) else None
            if not value:
                continue
            y_top, y_bottom = y(level + value), y(level)
            level += value
            shown = _num(value) + unit
            parts = [f'<rect class="bar segment" x="{x:.1f}" y="{y_top:.1f}" width="{bar - 2:.1f}" '
                     f'height="{y_bottom - y_top:.1f}" fill="{PALETTE[number % len(PALETTE)]}" '
                     f'data-label="{escape(label)}" data-series="{escape(name)}" data-value="{_num(value)}">'
                     f"<title>{escape(f'{label} {name}: {shown}')}</title></rect>"]
            if y_bottom - y_top >= 13:
                parts.append(f'<text class="value" x="{x + (bar - 2) / 2:.1f}" y="{(y_top + y_bottom) / 2 + 4:.1f}" '
                             f'text-anchor="middle" fill="#fff">{escape(_num(value))}</text>')
            out.append(_wrapped(parts, _link(links, index, number), f"{label} {name}: {shown}"))
        out.append(f'<text class="total" x="{x + (bar - 2) / 2:.1f}" y="{y(totals[index]) - 4:.1f}" '
                   f'text-anchor="middle" fill="#1f2933">{escape(_num(totals[index]) + unit)}</text>')
        centre = x + (bar - 2) / 2
        out.append(f'<text class="label" x="{centre:.1f}" y="{base + 16}" text-anchor="middle">'
                   f"{escape(label)}</text>")
        if sublabels and index < len(sublabels) and sublabels[index]:
            out.append(f'<text x="{centre:.1f}" y="{base + 31}" text-anchor="middle" fill="#66788a">'
                       f"{escape(sublabels[index])}</text>")
    out.extend(_legend_marks(legend, left=LEFT, top=6))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text and attribute above is escaped or numeric


def _legend_marks(legend: list[list[tuple[int, str]]], *, left: float, top: float) -> list[str]:
    """A colour square and the series name for each entry of ``_legend_rows``, one row under the other."""
    marks = []
    for row_number, row in enumerate(legend):
        x, y = left, top + 14 * row_number
        for number, name in row:
            marks.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{PALETTE[number % len(PALETTE)]}"/>'
                         f'<text x="{x + 14}" y="{y + 9}">{escape(name)}</text>')
            x += 24 + 12 * len(name)
    return marks


def _text_width(text: str) -> float:
    """About how wide ``text`` is at 11px: Chinese characters are square, Latin ones about half as wide."""
    return sum(11.5 if ord(char) > 0x2E80 else 6.5 for char in text)


def hbar_chart(*, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], unit: str = "",
               max_value: float | None = None, title: str = "", chart_id: str = "",
               links: Sequence[Link | Sequence[Link]] | None = None) -> SafeString:
    """A horizontal bar chart: one row per label (e.g. a project's name, however long), one bar per series, the
    value at the end of each bar; ``links`` as in ``bar_chart``. Rows stack downwards, so many labels still read."""
    per_row = max(len(series), 1)
    bar = 14
    row = bar * per_row + 10
    label_width = min(max((_text_width(label) for label in labels), default=40), 150) + 12
    width = 440
    legend = _legend_rows([name for name, _vals in series], width) if len(series) > 1 else []
    top_margin = 8 + 14 * len(legend)
    left, right = label_width, width - 48
    height = top_margin + row * len(labels) + 26
    values = [v for _name, vals in series for v in vals if v is not None]
    top = max_value if max_value is not None else _nice_max(values)

    def x(value: float) -> float:
        return left + (right - left) * min(max(value, 0), top) / top

    out = _svg_open(width=width, height=height, kind=" horizontal", chart_id=chart_id, title=title)
    bottom = top_margin + row * len(labels)
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        tx = x(value)
        out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top_margin}" y2="{bottom}" stroke="#dde3ea"/>')
        out.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#66788a">'
                   f"{escape(_num(value) + unit)}</text>")
    out.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top_margin}" y2="{bottom}" stroke="#66788a"/>')
    for index, label in enumerate(labels):
        y0 = top_margin + index * row + 5
        out.append(f'<text class="label" x="{left - 6}" y="{y0 + (bar * per_row - 2) / 2 + 4:.1f}" text-anchor="end">'
                   f"{escape(label)}</text>")
        for number, (name, vals) in enumerate(series):
            value = vals[index] if index < len(vals) else None
            y = y0 + number * bar
            length = 0.0 if value is None else x(value) - left
            shown = "—" if value is None else _num(value) + unit
            out.append(_wrapped([
                f'<rect class="bar" x="{left}" y="{y:.1f}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{PALETTE[number % len(PALETTE)]}" data-label="{escape(label)}" '
                f'data-value="{"" if value is None else _num(value)}">'
                f"<title>{escape(f'{label} {name}: {shown}')}</title></rect>",
                f'<text class="value" x="{left + length + 4:.1f}" y="{y + bar - 4:.1f}" fill="#1f2933">'
                f"{escape(shown)}</text>"],
                _link(links, index, number), f"{label} {name}: {shown}"))
    out.extend(_legend_marks(legend, left=left, top=2))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text and attribute above is escaped or numeric
