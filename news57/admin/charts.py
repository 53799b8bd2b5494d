"""Charts drawn on the server as SVG: bars people can read without JavaScript and on a phone.

The geometry is worked out here, in a fixed viewBox the browser scales to the
screen's width; the templates under news57/admin/compliance/ only draw it. Every
bar carries its number as text and in a <title>, so the chart reads without hovering.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext as _

from ..promptness.figures import LATE, ON_TIME

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 52
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
PLOT_WIDTH = WIDTH - LEFT - RIGHT
MAX_WEEK_LABELS = 9


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar (may be empty)
    value: str  # above the bar
    title: str  # the whole sentence, for the tooltip and screen readers
    kind: str  # on_time, late, missing or empty
    share: float | None = None
    count: int | None = None

    @property
    def centre(self):
        return self.x + self.width / 2


@dataclass
class Chart:
    title: str
    description: str
    bars: list
    ticks: list  # (y, label)
    width: int = WIDTH
    height: int = HEIGHT
    marker_x: float | None = None
    marker_label: str = ""
    sides: tuple = ()

    @property
    def left(self):
        return LEFT

    @property
    def right(self):
        return WIDTH - RIGHT

    @property
    def baseline(self):
        return TOP + PLOT_HEIGHT

    @property
    def label_y(self):
        return TOP + PLOT_HEIGHT + 20


def _y(fraction):
    return TOP + PLOT_HEIGHT * (1 - fraction)


def weekly_share_chart(weeks):
    """On-time share of the documents due in each week of the period, against the plans' 100% target."""
    slot = PLOT_WIDTH / max(len(weeks), 1)
    every = max(1, -(-len(weeks) // MAX_WEEK_LABELS))
    bars = []
    for index, week in enumerate(weeks):
        share = week.on_time_share
        last_day = week.monday + timedelta(days=6)
        span = f"{week.monday:%d/%m} – {last_day:%d/%m/%Y}"
        if share is None:
            title = _("Week %(span)s: no document was due") % {"span": span}
            value, height, kind = "", 0, "empty"
        else:
            title = _("Week %(span)s: %(on_time)d of %(counted)d on time (%(share)d%%)") % {
                "span": span, "on_time": week.on_time, "counted": week.counted, "share": int(share * 100)}  # fmt: skip
            value, height, kind = f"{int(share * 100)}", PLOT_HEIGHT * share, ON_TIME if share == 1 else LATE
        bars.append(Bar(
            x=LEFT + index * slot + slot * 0.15, y=TOP + PLOT_HEIGHT - height, width=slot * 0.7, height=height,
            label=f"{week.monday:%d/%m}" if index % every == 0 else "", value=value if len(weeks) <= 27 else "",
            title=title, kind=kind, share=share, count=week.counted,
        ))  # fmt: skip
    ticks = [(_y(fraction), f"{int(fraction * 100)}%") for fraction in (0, 0.5, 1)]
    return Chart(
        title=_("On-time share per week"),
        description=_("Of the documents due each week (Monday to Sunday), the share that went live on time; the "
                      "plans' target is 100%."),  # fmt: skip
        bars=bars,
        ticks=ticks,
    )


def margin_labels(margin):
    """The short label under the bar, in days (the side and the unit are said once, above the bars), and the whole
    one for its title."""
    short = {(48, None): "> 2", (24, 48): "1–2", (0, 24): "< 1", (24, 72): "1–3", (72, 168): "3–7", (168, None): "> 7"}
    if margin.side == ON_TIME:
        whole = {(48, None): _("More than 2 days early"), (24, 48): _("1 to 2 days early"),
                 (0, 24): _("Less than 1 day early")}  # fmt: skip
    else:
        whole = {(0, 24): _("Less than 1 day late"), (24, 72): _("1 to 3 days late"), (72, 168): _("3 to 7 days late"),
                 (168, None): _("More than 7 days late")}  # fmt: skip
    return short[margin.low, margin.high], whole[margin.low, margin.high]


def margin_chart(margins, missing):
    """How long before or after its due time each document went live, with those still missing beside them."""
    columns = [(*margin_labels(margin), margin.count, margin.side) for margin in margins]
    columns.append((_("Not live"), _("Past due, not yet live"), missing, "missing"))
    slot = PLOT_WIDTH / len(columns)
    highest = max((column[2] for column in columns), default=0) or 1
    bars = []
    for index, (label, whole, count, kind) in enumerate(columns):
        height = PLOT_HEIGHT * count / highest
        bars.append(Bar(
            x=LEFT + index * slot + slot * 0.12, y=TOP + PLOT_HEIGHT - height, width=slot * 0.76, height=height,
            label=label, value=str(count), title=f"{whole}: {count}", kind=kind, count=count,
        ))  # fmt: skip
    early = sum(1 for margin in margins if margin.side == ON_TIME)
    ticks = [(_y(fraction), str(round(highest * fraction))) for fraction in (0, 0.5, 1)]
    return Chart(
        title=_("When documents went live, against their due time"),
        description=_("Documents that went live, by how long before or after their due time; those past due "
                      "and not yet live on the right."),  # fmt: skip
        bars=bars,
        ticks=ticks,
        marker_x=LEFT + early * slot,
        marker_label=_("Due time"),
        sides=(_("Early (days)"), _("Late (days)")),
    )
