"""What a visit learns from the page it visits. visits points at any Wagtail page, so the site decides what
an exemplar is; by default the page's own `summary`, `region` and `themes` are read when it has them (as the
site's ExemplarPage does), and `VISITS_PAGE_DETAILS` names another function for other page types."""

from dataclasses import dataclass, field

from django.utils.module_loading import import_string
from wagtail.models import Page

from . import conf


@dataclass(frozen=True)
class PageDetails:
    summary: str = ""
    region: str = ""  # a network Region code, or "" when the page has none
    theme_ids: list[int] = field(default_factory=list)


def page_details(page: Page) -> PageDetails:
    if conf.PAGE_DETAILS:
        return import_string(conf.PAGE_DETAILS)(page)
    return read_page_details(page)


def read_page_details(page: Page) -> PageDetails:
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    summary = getattr(specific, "summary", "") or page.search_description or ""
    themes = getattr(specific, "themes", None)
    return PageDetails(
        summary=str(summary),
        region=str(getattr(specific, "region", "") or ""),
        theme_ids=sorted(theme.pk for theme in themes.all()) if themes is not None else [],
    )


def visitable_pages(request=None):
    """The pages a host may offer a visit to: live pages of the types `VISITS_PAGE_TYPES` names
    ("app_label.ModelName"), or every live page below the root when it names none; with a request, only
    those its viewer may see (a restricted page's title is not shown to a host outside its groups)."""
    pages = Page.objects.live().filter(depth__gt=1)
    if request is not None:
        from network.privacy import visible_pages

        pages = visible_pages(pages, request)
    if conf.PAGE_TYPES:
        from django.apps import apps

        models = [apps.get_model(label) for label in conf.PAGE_TYPES]
        pages = pages.type(*models)
    return pages.order_by("title")
