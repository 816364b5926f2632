"""Values every page template needs: the site name and the main navigation."""

from django.conf import settings
from wagtail.models import Page, Site


def site(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "nav_pages": lambda: _menu_pages(request)}


def _menu_pages(request) -> list[Page]:
    """The home page's live, public children that editors marked "show in menus"."""
    wagtail_site = Site.find_for_request(request)
    if wagtail_site is None:
        return []
    return list(wagtail_site.root_page.get_children().live().public().in_menu().only("title", "url_path"))
