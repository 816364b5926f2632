"""Server-rendered charts of feedback: an inline SVG bar chart per five-point scale, with a table that says
the same in text. Pure functions: counts in, escaped markup out; no script and no external asset.

Colours against a white background: bars #0b5563 (8.4:1, over the 3:1 graphics need), text #1b1f23
(16.6:1) and the axis #4a5560 (7.6:1), over the 4.5:1 text needs."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = [
    "Bar",
    "answered_text",
    "bar_chart_svg",
    "bar_table",
    "scale_chart",
    "scale_figure",
    "scale_table",
]

BAR = "#0b5563"
TEXT = "#1b1f23"
AXIS = "#4a5560"

# One row per bar: its label on a line of its own, the bar below it, its count just after the bar's end,
# so long labels ("Not at all confident") never crowd the bars at phone width.
WIDTH = 400
LEFT = 4
ROW = 58
LABEL_SIZE = 16
BAR_HEIGHT = 24
VALUE_ROOM = 44  # right of the longest bar, for its count


@dataclass(frozen=True)
class Bar:
    label: str
    count: int


def bar_chart_svg(*, element_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """An accessible horizontal bar chart: role="img", labelled by its <title> and <desc>; scales with its
    container (viewBox, width 100%)."""
    longest = max((bar.count for bar in bars), default=0) or 1
    room = WIDTH - LEFT - VALUE_ROOM
    height = ROW * len(bars) + 8
    rows = []
    for index, bar in enumerate(bars):
        top = index * ROW
        length = round(room * bar.count / longest, 1)
        rows.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>',
                LEFT,
                top + LABEL_SIZE + 2,
                LABEL_SIZE,
                TEXT,
                bar.label,
                LEFT,
                top + LABEL_SIZE + 8,
                length,
                BAR_HEIGHT,
                BAR,
                LEFT + length + 6,
                top + LABEL_SIZE + 8 + BAR_HEIGHT - 6,
                LABEL_SIZE,
                TEXT,
                bar.count,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'style="max-width: 32rem; height: auto" class="bar-chart" font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{left}" y1="0" x2="{left}" y2="{axis}" stroke="{axis_colour}" stroke-width="1"/>'
        "{rows}</svg>",
        id=element_id,
        width=WIDTH,
        height=height,
        title=title,
        desc=description,
        left=LEFT,
        axis=height - 4,
        axis_colour=AXIS,
        rows=mark_safe("".join(rows)),  # noqa: S308 - each row was built by format_html, which escapes
    )


def bar_table(*, caption: str, label_heading: str, bars: Sequence[Bar]) -> SafeString:
    """The chart's numbers as a table, for anyone who prefers text to a picture."""
    rows = format_html_join(
        "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((bar.label, bar.count) for bar in bars)
    )
    return format_html(
        '<table class="bar-chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        caption,
        label_heading,
        _("People"),
        rows,
    )


def scale_bars(scale) -> list[Bar]:
    """The bars of a visits.services.ScaleResult, from the scale's lowest point to its highest."""
    return [Bar(point.label, point.count) for point in scale.points]


def answered_text(answered: int) -> str:
    return ngettext("%(count)d person answered.", "%(count)d people answered.", answered) % {
        "count": answered
    }


def scale_chart(scale, *, answered: int, element_id: str) -> SafeString:
    """The SVG chart of one scale of feedback results."""
    bars = scale_bars(scale)
    summary = "; ".join(f"{bar.label}: {bar.count}" for bar in bars)
    return bar_chart_svg(
        element_id=element_id,
        title=scale.question,
        description=_("Bar chart. %(answered)s %(summary)s.")
        % {"answered": answered_text(answered), "summary": summary},
        bars=bars,
    )


def scale_table(scale, *, answered: int) -> SafeString:
    """The text equivalent of `scale_chart`."""
    return bar_table(
        caption=f"{scale.question} {answered_text(answered)}",
        label_heading=_("Answer"),
        bars=scale_bars(scale),
    )


def scale_figure(scale, *, answered: int, element_id: str) -> SafeString:
    """Chart and table together, in a figure captioned by the question."""
    return format_html(
        '<figure class="feedback-chart"><figcaption id="{}-caption">{}</figcaption>{}{}</figure>',
        element_id,
        scale.question,
        scale_chart(scale, answered=answered, element_id=element_id),
        scale_table(scale, answered=answered),
    )
