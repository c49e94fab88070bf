"""Small inline SVG charts for the briefing: plain numbers in, a self-contained <svg> out.

No script, font or image is loaded from anywhere: text uses the generic ``sans-serif``
family and every shape is drawn here, so the charts print and open offline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from engage.render.markup import html_text

FONT = 'font-family="sans-serif" font-size="12"'
LABEL_WIDTH = 230
CHART_WIDTH = 420
ROW = 22
INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#2c7be5"
SECOND = "#9fb3c8"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html_text(title)}">'
        f"<title>{html_text(title)}</title>" + "".join(body) + "</svg>"
    )


def _label(x: float, y: float, text: str, *, anchor: str = "end", color: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" {FONT}>'
        f"{html_text(text)}</text>"
    )


def _scale(value: float, low: float, high: float) -> float:
    span = high - low
    return 0.0 if span <= 0 else max(0.0, min(1.0, (value - low) / span)) * CHART_WIDTH


def bar_chart(rows: Sequence[tuple[str, float, str]], low: float, high: float, title: str) -> str:
    """Horizontal bars: (label, value, value text) on an axis from ``low`` to ``high``."""
    height = ROW * len(rows) + 10
    body = []
    for k, (label, value, text) in enumerate(rows):
        y = 5 + k * ROW
        width = _scale(value, low, high)
        body.append(_label(LABEL_WIDTH - 8, y + 15, label))
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" '
            f'fill="{ACCENT}"/>'
        )
        body.append(_label(LABEL_WIDTH + width + 6, y + 15, text, anchor="start", color=MUTED))
    return _svg(LABEL_WIDTH + CHART_WIDTH + 70, height, title, body)


def paired_bars(
    rows: Sequence[tuple[str, float, float]], high: float, names: tuple[str, str], title: str
) -> str:
    """Two bars per row (e.g. delivered if linked, delivered standalone) on 0..high."""
    legend = 22
    height = legend + len(rows) * (ROW + 8) + 10
    body = [
        f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{ACCENT}"/>',
        _label(LABEL_WIDTH + 18, 14, names[0], anchor="start"),
        f'<rect x="{LABEL_WIDTH + 180}" y="4" width="12" height="12" fill="{SECOND}"/>',
        _label(LABEL_WIDTH + 198, 14, names[1], anchor="start"),
    ]
    for k, (label, first, second) in enumerate(rows):
        y = legend + k * (ROW + 8)
        body.append(_label(LABEL_WIDTH - 8, y + 16, label))
        for offset, value, color in ((0, first, ACCENT), (11, second, SECOND)):
            width = _scale(value, 0.0, high)
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3 + offset}" width="{width:.1f}" height="10" '
                f'fill="{color}"/>'
            )
            body.append(
                _label(
                    LABEL_WIDTH + width + 6,
                    y + 12 + offset,
                    f"{value:.1f}",
                    anchor="start",
                    color=MUTED,
                )
            )
    return _svg(LABEL_WIDTH + CHART_WIDTH + 70, height, title, body)


def tornado(
    rows: Sequence[tuple[str, float, float, float]], title: str, low: float = 0.0, high: float = 1.0
) -> str:
    """Intervals (label, from, to, current) on a shared axis, the current value marked."""
    axis = 20
    height = axis + ROW * len(rows) + 10
    body = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        value = low + tick * (high - low)
        x = LABEL_WIDTH + _scale(value, low, high)
        body.append(_label(x, 12, f"{value:g}", anchor="middle", color=MUTED))
        body.append(
            f'<line x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" y2="{height - 6}" '
            f'stroke="#e4e7eb" stroke-width="1"/>'
        )
    for k, (label, start, end, current) in enumerate(rows):
        y = axis + k * ROW
        x0, x1 = LABEL_WIDTH + _scale(start, low, high), LABEL_WIDTH + _scale(end, low, high)
        xc = LABEL_WIDTH + _scale(current, low, high)
        body.append(_label(LABEL_WIDTH - 8, y + 15, label))
        body.append(
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1.5):.1f}" height="{ROW - 10}" '
            f'fill="{SECOND}"/>'
        )
        body.append(
            f'<line x1="{xc:.1f}" y1="{y + 2}" x2="{xc:.1f}" y2="{y + ROW - 2}" stroke="{INK}" '
            f'stroke-width="2"/>'
        )
        body.append(
            _label(
                LABEL_WIDTH + CHART_WIDTH + 8,
                y + 15,
                f"{start:.2f}–{end:.2f}",
                anchor="start",
                color=MUTED,
            )
        )
    return _svg(LABEL_WIDTH + CHART_WIDTH + 90, height, title, body)


def heatmap(rows: Sequence[tuple[str, Sequence[float]]], title: str) -> str:
    """Rank acceptability: one row per option, one cell per rank, darker = more likely."""
    n = max((len(p) for _, p in rows), default=0)
    cell = max(8.0, min(24.0, CHART_WIDTH / max(n, 1)))
    axis = 18
    height = axis + ROW * len(rows) + 10
    body = [
        _label(LABEL_WIDTH + cell * (r + 0.5), 12, str(r + 1), anchor="middle", color=MUTED)
        for r in range(n)
        if n <= 25 or r % 5 == 0
    ]
    for k, (label, probabilities) in enumerate(rows):
        y = axis + k * ROW
        body.append(_label(LABEL_WIDTH - 8, y + 15, label))
        for r, p in enumerate(probabilities):
            opacity = max(0.0, min(1.0, p))
            body.append(
                f'<rect x="{LABEL_WIDTH + r * cell:.1f}" y="{y + 2}" width="{cell - 1:.1f}" '
                f'height="{ROW - 4}" fill="{ACCENT}" fill-opacity="{opacity:.3f}" '
                f'stroke="#e4e7eb" stroke-width="0.5"><title>{html_text(label)}: rank {r + 1}, '
                f"P = {p:.3f}</title></rect>"
            )
    width = int(LABEL_WIDTH + cell * n + 20)
    return _svg(max(width, LABEL_WIDTH + 100), height, title, body)


def staircase(
    points: Sequence[tuple[float, float]],
    marker: float | None,
    labels: tuple[str, str],
    title: str,
) -> str:
    """A step chart: from each (x, y) the value holds until the next point's x (an
    efficient frontier: the best value reachable at each limit). ``marker`` draws a
    dashed line at that x (the limit in force); ``labels`` name the x and y axes."""
    width, height, left, bottom, top = LABEL_WIDTH + CHART_WIDTH + 70, 270, 60, 40, 26
    plot_w, plot_h = width - left - 30, height - top - bottom
    xs = [x for x, _ in points] + ([marker] if marker is not None else [])
    x_step = _nice_step(max([*xs, 1e-9]) * 1.05)
    y_step = _nice_step(max([y for _, y in points] + [1e-9]))
    x_high = x_step * math.ceil(max([*xs, 1e-9]) * 1.05 / x_step)
    y_high = y_step * math.ceil(max([y for _, y in points] + [1e-9]) / y_step)

    def at(x: float, y: float) -> tuple[float, float]:
        return left + plot_w * x / x_high, top + plot_h * (1 - y / y_high)

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{MUTED}" '
        'stroke-width="1"/>',
    ]
    for k in range(round(x_high / x_step) + 1):
        x, _ = at(k * x_step, 0)
        body.append(_label(x, top + plot_h + 16, f"{k * x_step:g}", anchor="middle", color=MUTED))
    for k in range(round(y_high / y_step) + 1):
        _, y = at(0, k * y_step)
        body.append(_label(left - 6, y + 4, f"{k * y_step:g}", color=MUTED))
    body.append(_label(left + plot_w / 2, height - 6, labels[0], anchor="middle"))
    body.append(_label(left, top - 12, labels[1], anchor="start"))
    path = []
    for k, (x, y) in enumerate(points):
        x0, y0 = at(x, y)
        x1 = at(points[k + 1][0], y)[0] if k + 1 < len(points) else at(x_high, y)[0]
        path.append(f"M{x0:.1f},{y0:.1f}" if k == 0 else f"V{y0:.1f}")
        path.append(f"H{x1:.1f}")
        body.append(f'<circle cx="{x0:.1f}" cy="{y0:.1f}" r="2.5" fill="{ACCENT}"/>')
    if path:
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    if marker is not None:
        x, _ = at(marker, 0)
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{INK}" '
            'stroke-width="1" stroke-dasharray="4 3"/>'
        )
    return _svg(width, height, title, body)


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving 4 to 8 ticks over span."""
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
