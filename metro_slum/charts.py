"""Small charts drawn on the server as SVG: nothing to download on a phone, readable at 360 px.

Every bar and point carries its value as text, and every chart its axis labels, so a chart is read
the same way printed, on a phone, or by a screen reader (each SVG has a title and a role).
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: int


def line_points(values, width, height, pad, *, left=None) -> list[Point]:
    """Place (label, value) pairs left to right, the largest value at the top."""
    values = list(values)
    if not values:
        return []
    left = pad if left is None else left
    top = max(int(value) for _label, value in values) or 1
    step = (width - left - pad) / max(len(values) - 1, 1)
    return [
        Point(
            x=round(left + index * step, 1),
            y=round(height - pad - (int(value) / top) * (height - 2 * pad), 1),
            label=label,
            value=int(value),
        )
        for index, (label, value) in enumerate(values)
    ]


def polyline(points: list[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in points)


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


# Drawn 360 units wide and shown about 300 px wide on a phone: text of 13 units reads at 11 px.
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 18, 4, 116, 360
# How wide text is, in units per letter at a font size (digits and lower case of a sans serif
# are about 0.6 em): enough to keep every label inside the chart and clear of the others.
LETTER = 0.62


def text_width(text, font_size) -> float:
    return len(str(text)) * font_size * LETTER


def _label_lines(label, width: float, font_size: int) -> list[str]:
    """A row's label in the room before its bars: one line, else two (split between words),
    the second cut short with "…" when even two do not hold it (the bar's title has it whole)."""
    text = str(label)
    fits = max(int(width / (font_size * LETTER)), 4)
    if len(text) <= fits:
        return [text]
    words, first = text.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= fits:
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words) if first else text[fits:]
    first = first or text[:fits]
    if len(rest) > fits:
        rest = rest[: fits - 1] + "…"
    return [first, rest]


def _legend_positions(series) -> list[float]:
    """Where each series' key starts: one after the other, as wide as its label (about 7 units a
    letter at 13), from the bars' left edge or further left when they would not fit."""
    widths = [14 + 7 * len(str(s.label)) + 12 for s in series]
    x = min(LABEL_WIDTH, CHART_WIDTH - sum(widths))
    positions = []
    for width in widths:
        positions.append(max(x, 0))
        x += width
    return positions


def bar_chart(title: str, rows, series: list[Series], fmt=str) -> str:
    """Return horizontal bars: one group per row (label, [value per series]), values written out.

    Horizontal bars keep long kelurahan names readable on a narrow screen.
    """
    rows = list(rows)
    top = max((value for _label, values in rows for value in values), default=0) or 1
    # Room for the longest value written after its bar, and for the longest row label before.
    value_room = max((text_width(fmt(v), 14) for _l, values in rows for v in values), default=0)
    value_room = round(value_room + 8, 1)
    label_width = max((text_width(label, 13) for label, _values in rows), default=0) + 8
    label_width = round(min(max(label_width, 60), CHART_WIDTH / 2), 1)
    span = int(CHART_WIDTH - label_width - value_room)
    parts, y = [], 4
    legend_y = 4
    if len(series) > 1:  # the key, above the bars
        legend = format_html_join(
            "",
            '<rect x="{}" y="{}" width="11" height="11" fill="{}"/>'
            '<text x="{}" y="{}" font-size="13">{}</text>',
            (
                (x, legend_y, s.colour, x + 14, legend_y + 10, s.label)
                for x, s in zip(_legend_positions(series), series, strict=True)
            ),
        )
        parts.append(legend)
        y += 18
    for label, values in rows:
        group_top = y
        for value, s in zip(values, series, strict=True):
            width = round(span * float(value) / float(top), 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="14">{}</text>',
                    label_width,
                    y,
                    max(width, 1),
                    BAR_HEIGHT,
                    s.colour,
                    s.label,
                    fmt(value),
                    label_width + width + 3,
                    y + BAR_HEIGHT - 3,
                    fmt(value),
                )
            )
            y += BAR_HEIGHT + 1
        lines = _label_lines(label, label_width - 4, 13)
        y = max(y, group_top + 14 * len(lines) + 1)  # a label on two lines has its room
        middle = (group_top + y) / 2 + 3
        first_y = middle - 7 * (len(lines) - 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end">{}<title>{}</title></text>',
                label_width - 4,
                round(first_y, 1),
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    (
                        (label_width - 4, 0 if index == 0 else 14, line)
                        for index, line in enumerate(lines)
                    ),
                ),
                label,
            )
        )
        y += BAR_GAP + 4
    return _svg(title, CHART_WIDTH, y, parts)


def line_chart(
    title: str, values, *, y_label: str, x_label: str, fmt=str, tick_fmt=None, element_id=""
) -> str:
    """Return a line over (label, value) pairs with both axes labelled and each value written out.

    The value axis has three ticks (0, half, the largest); text is 12 units high on a 320-wide
    canvas, about 11 px on a phone, where the chart takes the screen's width.
    """
    width, height, pad, font = 320, 200, 40, 12
    tick_fmt = tick_fmt or fmt
    values = list(values)
    if not values:
        return ""
    # The value axis' labels sit between the rotated axis title (x 0–14) and the axis itself.
    highest = max(int(value) for _label, value in values)
    widest_tick = max(text_width(tick_fmt(highest * share), font) for share in (0, 0.5, 1))
    left = round(max(64, 18 + widest_tick + 12), 1)
    points = line_points(values, width, height, pad, left=left)
    top = max(p.value for p in points) or 1
    bottom = height - pad
    ticks = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6"/>'
        '<text x="{}" y="{}" font-size="{}" text-anchor="end">{}</text>',
        (
            (left - 8, y, width - pad + 8, y, left - 12, y + 4, font, tick_fmt(value))
            for value, y in (
                (top * share, round(bottom - share * (height - 2 * pad), 1))
                for share in (0, 0.5, 1)
            )
        ),
    )
    axis = format_html(
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#6c757d"/>'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#6c757d"/>'
        '<text x="12" y="{m}" font-size="{f}" transform="rotate(-90 12 {m})" '
        'text-anchor="middle">{y_label}</text>'
        '<text x="{c}" y="{h}" font-size="{f}" text-anchor="middle">{x_label}</text>',
        l=left - 8,
        r=width - pad + 8,
        t=pad - 8,
        b=bottom,
        m=height / 2,
        c=(left + width - pad) / 2,
        h=height - 4,
        f=font,
        y_label=y_label,
        x_label=x_label,
    )
    line = format_html(
        '<polyline points="{}" fill="none" stroke="#198754" stroke-width="2"/>', polyline(points)
    )
    # Crowded points write every k-th value and date only (each keeps its title), so that no two
    # labels overlap; the first and last labels lean inwards, clear of the axis and the edge.
    step = points[1].x - points[0].x if len(points) > 1 else width
    widest = max(
        max(text_width(tick_fmt(p.value), font), text_width(p.label, font)) for p in points
    )
    # The first label leans right and the last left: a written neighbour stands 1.5 widths off.
    every = max(1, int(-(-(1.5 * widest + 6) // step)))
    written = set(range(0, len(points), every))
    last = len(points) - 1
    if last not in written:
        written.discard(max(written))
        written.add(last)
    anchors = {0: "start", len(points) - 1: "end"} if len(points) > 1 else {}
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="#198754"><title>{}: {}</title></circle>',
        ((p.x, p.y, p.label, fmt(p.value)) for p in points),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}">{}</text>'
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}">{}</text>',
        (
            (p.x, p.y - 8, font, anchors.get(i, "middle"), tick_fmt(p.value))
            + (p.x, bottom + 16, font, anchors.get(i, "middle"), p.label)
            for i, p in enumerate(points)
            if i in written
        ),
    )
    return _svg(title, width, height, [ticks, axis, line, dots, labels], element_id=element_id)


def _svg(title: str, width, height, parts, element_id="") -> str:
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" class="chart"{}>'
        "<title>{}</title>{}</svg>",
        width,
        round(height, 1),
        title,
        format_html(' id="{}"', element_id) if element_id else "",
        title,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
