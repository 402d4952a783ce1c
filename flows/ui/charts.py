"""Chart geometry for server-rendered SVG: numbers in, coordinates and labels out.

The templates (`templates/_charts.html`) draw the marks; every label goes through Jinja's
autoescaping there. No JavaScript: tooltips are SVG <title> elements, which browsers show
natively on hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Layout of a time chart (pixels in the SVG's own coordinate system; it scales to its box).
WIDTH, HEIGHT = 720, 180  # a chart in half of the page
WIDE_WIDTH, WIDE_HEIGHT = 1100, 200  # a chart across the whole page
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 26
X_TICKS = 6  # about this many labels on a time axis
Y_TICKS = 4
LANE_HEIGHT = 26  # one outlet per lane in the spread timeline
LANE_LABEL_WIDTH = 190
# Categorical colours for syndication clusters (colour-blind friendly, Okabe-Ito).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
# Tick spacings of a time axis (seconds): the first giving at most X_TICKS ticks is used.
TIME_STEPS = (3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400,
              14 * 86400, 28 * 86400, 91 * 86400, 182 * 86400, 364 * 86400)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    title: str
    part: str = "main"  # main | extra (the stacked upper part)


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass
class TimeChart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    baseline: float = 0.0
    total: int = 0
    legend: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.total == 0


def nice_step(top: float, ticks: int = Y_TICKS) -> float:
    """A round step (1, 2, 5 x 10^n, at least 1) giving about `ticks` intervals up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return max(1.0, m * mag)
    return max(1.0, 10 * mag)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def daily_bars(
    values: dict[date, tuple[int, int]],
    start: date,
    end: date,
    unit: str,
    extra_unit: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> TimeChart:
    """One bar per day from start to end (missing days are zero). Each value is
    (main, extra): the extra part is stacked on top (e.g. syndicated copies)."""
    days = _days(start, end) if start <= end else []
    chart = TimeChart(width, height, legend=(unit, extra_unit) if extra_unit else (unit,))
    if not days:
        return chart
    top = max((sum(values.get(d, (0, 0))) for d in days), default=0)
    step = nice_step(top)
    y_max = step * max(1, math.ceil(top / step))
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(days)
    bar_w = max(1.0, slot * 0.8)
    chart.baseline = PAD_TOP + plot_h
    for k, d in enumerate(days):
        main, extra = values.get(d, (0, 0))
        chart.total += main + extra
        x = PAD_LEFT + k * slot + (slot - bar_w) / 2
        title = f"{d.isoformat()}: {main:,} {unit}"
        if extra_unit:
            title += f", {extra:,} {extra_unit}"
        h_main = plot_h * main / y_max
        h_extra = plot_h * extra / y_max
        if main:
            chart.bars.append(Bar(x, chart.baseline - h_main, bar_w, h_main, title))
        if extra:
            y = chart.baseline - h_main - h_extra
            chart.bars.append(Bar(x, y, bar_w, h_extra, title, "extra"))
    every = max(1, math.ceil(len(days) / X_TICKS))
    fmt = "%d %b %Y" if days[0].year != days[-1].year else "%d %b"
    chart.x_ticks = [
        Tick(PAD_LEFT + (k + 0.5) * slot, d.strftime(fmt))
        for k, d in enumerate(days)
        if k % every == 0
    ]
    chart.y_ticks = [
        Tick(chart.baseline - plot_h * k * step / y_max, f"{int(k * step):,}")
        for k in range(round(y_max / step) + 1)
    ]
    return chart


@dataclass(frozen=True, slots=True)
class Sparkline:
    points: str  # SVG polyline points
    last: tuple[float, float]
    title: str
    width: int
    height: int


def sparkline(values: Sequence[int], label: str, width: int = 120, height: int = 26) -> Sparkline:
    """A small line of daily values (oldest first), with the last point marked."""
    vals = list(values) or [0]
    top = max(vals) or 1
    n = max(1, len(vals) - 1)
    pts = [(2 + (width - 4) * k / n, height - 2 - (height - 4) * v / top)
           for k, v in enumerate(vals)]  # fmt: skip
    return Sparkline(
        " ".join(f"{x:.1f},{y:.1f}" for x, y in pts),
        pts[-1],
        f"{label}: {sum(vals):,} in {len(vals)} days, peak {max(vals):,} a day",
        width,
        height,
    )


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    copy: bool
    colour: str
    title: str
    href: str
    first: bool


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[Tick] = field(default_factory=list)  # outlet names at their lane's y
    dots: list[Dot] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    plot_left: int = LANE_LABEL_WIDTH
    plot_right: int = WIDE_WIDTH - PAD_RIGHT


def time_ticks(t0: datetime, t1: datetime) -> list[tuple[datetime, str]]:
    """Round times between t0 and t1 (whole hours or days, in t0's time zone), labelled."""
    span = (t1 - t0).total_seconds()
    step = next((s for s in TIME_STEPS if span / s <= X_TICKS), TIME_STEPS[-1])
    unit = 3600 if step < 86400 else 86400
    first = t0.replace(minute=0, second=0, microsecond=0)
    if unit == 86400:
        first = first.replace(hour=0)
    while first < t0:
        first += timedelta(seconds=unit)
    fmt = "%d %b %H:%M" if step < 86400 else ("%d %b %Y" if t0.year != t1.year else "%d %b")
    ticks, t = [], first
    while t <= t1:
        ticks.append((t, t.strftime(fmt)))
        t += timedelta(seconds=step)
    return ticks


def spread_timeline(rows: Sequence[dict], width: int = WIDE_WIDTH) -> Timeline:
    """One lane per outlet (in order of first appearance), one dot per article carrying the
    claim at its time; hollow dots are syndicated copies, colours are syndication clusters.
    rows: dicts with ts, outlet, is_copy, cluster, title, href."""
    outlets: list[str] = []
    for r in sorted(rows, key=lambda r: r["ts"]):
        if r["outlet"] not in outlets:
            outlets.append(r["outlet"])
    height = PAD_TOP + PAD_BOTTOM + LANE_HEIGHT * max(1, len(outlets))
    tl = Timeline(width, height, plot_right=width - PAD_RIGHT - 6)
    if not rows:
        return tl
    t0 = min(r["ts"] for r in rows)
    t1 = max(r["ts"] for r in rows)
    pad = max(timedelta(minutes=30), (t1 - t0) / 20)  # keep the dots off the edges
    t0, t1 = t0 - pad, t1 + pad
    span = (t1 - t0).total_seconds()
    left, right = tl.plot_left + 6, tl.plot_right

    def x_of(ts: datetime) -> float:
        return left + (right - left) * (ts - t0).total_seconds() / span

    clusters: list[str] = []
    first_ts = min(r["ts"] for r in rows)
    for r in rows:
        key = r["cluster"] or ""
        if key and key not in clusters:
            clusters.append(key)
        colour = PALETTE[clusters.index(key) % len(PALETTE)] if key else "#444"
        y = PAD_TOP + LANE_HEIGHT * (outlets.index(r["outlet"]) + 0.5)
        tl.dots.append(Dot(x_of(r["ts"]), y, r["is_copy"], colour, r["title"], r["href"],
                           r["ts"] == first_ts))  # fmt: skip
    tl.lanes = [Tick(PAD_TOP + LANE_HEIGHT * (k + 0.5), o) for k, o in enumerate(outlets)]
    tl.x_ticks = [Tick(x_of(t), label) for t, label in time_ticks(t0, t1)]
    return tl
