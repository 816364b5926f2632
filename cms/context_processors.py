"""Values every page template needs: the site name; and the main navigation's pages (cms_tags.site_navigation)."""

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page, Site

MENU_KEY = "cms:menu:{site_id}"


def site(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}


def menu_pages(request) -> list[Page]:
    """The home page's live, public children that editors marked "show in menus", from the cache
    (cms.apps forgets it when a page is published, unpublished, moved or deleted)."""
    wagtail_site = Site.find_for_request(request)
    if wagtail_site is None:
        return []
    key = MENU_KEY.format(site_id=wagtail_site.pk)
    pages = cache.get(key)
    if pages is None:
        pages = list(
            wagtail_site.root_page.get_children().live().public().in_menu().only("title", "url_path")
        )
        cache.set(key, pages, 60 * 60)
    return pages


def forget_menus(**kwargs) -> None:
    cache.delete_many([MENU_KEY.format(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)])
