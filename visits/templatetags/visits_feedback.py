"""After the visit, on the site's pages: `{% visit_after visit %}` shows a visit's write-up and feedback
results, `{% page_visit_results page %}` the results and write-ups of every past visit to a page. Both
show counts only; comments go to the visit's hosts and moderators alone, without names."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils import timezone
from django.utils.safestring import SafeString

from network.access import is_member

from .. import charts, conf, services
from ..access import may_manage
from ..models import Booking, StudyVisit
from ..services.feedback import HAPPENED

register = template.Library()

WRITE_UPS_ON_A_PAGE = 10


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or AnonymousUser()


def _answer_booking(visit: StudyVisit, viewer, now) -> Booking | None:
    """The viewer's booking on the visit, while it still waits for their feedback."""
    if visit.ends_at > now or not is_member(viewer):
        return None
    booking = (
        Booking.objects.filter(visit=visit, member=viewer, feedback__isnull=True)
        .select_related("visit")
        .first()
    )
    if booking is None or services.feedback_refusal(booking=booking, by=viewer, now=now):
        return None
    return booking


@register.inclusion_tag("visits/_after_the_visit.html", takes_context=True)
def visit_after(context, visit: StudyVisit) -> dict:
    viewer = _viewer(context)
    now = timezone.now()
    started = visit.status in HAPPENED and visit.starts_at <= now
    if not started:  # nothing to show before the visit: no write-up, no results, no questions
        return {"visit": visit, "visit_has_started": False}
    manages = may_manage(viewer, visit)
    return {
        "visit": visit,
        "visit_has_started": True,
        "viewer_manages": manages,
        "feedback_results": services.results(visit),
        "feedback_comments": services.feedback_comments(visit=visit, viewer=viewer) if manages else None,
        "feedback_booking": _answer_booking(visit, viewer, now),
        "min_answers_words": apnumber(conf.FEEDBACK_MIN_ANSWERS),
        "chart_id": f"visit-{visit.pk}",
    }


@register.inclusion_tag("visits/_page_visit_results.html")
def page_visit_results(page) -> dict:
    """Public: counts only, never a comment or a name."""
    past = StudyVisit.objects.past().filter(page_id=page.pk)
    return {
        "page": page,
        "feedback_results": services.results_for_page(page),
        "write_ups": past.exclude(write_up="").order_by("-starts_at")[:WRITE_UPS_ON_A_PAGE],
        "chart_id": f"page-{page.pk}",
    }


@register.simple_tag
def feedback_chart(scale, answered: int, chart_id: str) -> SafeString:
    """One scale's bar chart with its table (see visits.charts)."""
    return charts.scale_figure(scale, answered=answered, element_id=f"{chart_id}-{scale.name}")
