"""Values every page template needs: the site name; and the main navigation's pages (cms_tags.site_navigation)."""

from django.conf import settings
from wagtail.models import Page, Site


def site(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}


def menu_pages(request) -> list[Page]:
    """The home page's live, public children that editors marked "show in menus". Read only when the
    navigation is rendered (cms_tags.site_navigation keeps the rendering until any page changes)."""
    wagtail_site = Site.find_for_request(request)
    if wagtail_site is None:
        return []
    return list(wagtail_site.root_page.get_children().live().public().in_menu().only("title", "url_path"))
