"""Study visits on another app's pages: `{% page_study_visits page %}` shows a page's upcoming visits with
places left, and what past visits to it left behind (feedback counts and write-ups). The same for everyone
who may see the page, so it is rendered once until a visit, a booking or a page changes."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from network import fragments

from ..models import StudyVisit

register = template.Library()

UPCOMING_ON_A_PAGE = 5


@register.simple_tag
def page_study_visits(page) -> SafeString:
    def build() -> str:
        upcoming = (
            StudyVisit.objects.upcoming()
            .filter(page_id=page.pk)
            .with_places_taken()
            .order_by("starts_at", "pk")
        )
        return render_to_string(
            "visits/_page_study_visits.html", {"page": page, "visits": upcoming[:UPCOMING_ON_A_PAGE]}
        )

    # a visit leaves "upcoming" when it starts, which no change announces: the hour in the key moves it on
    hour = timezone.now().strftime("%Y%m%d%H")
    return mark_safe(  # noqa: S308 - our template, escaping what it shows
        fragments.fragment(
            "page-visits", depends_on=["visits", "pages"], audience=None, vary=(page.pk, hour), build=build
        )
    )
