"""What visits hears from elsewhere: a page published again may have a new region or themes, which the
visit list filters on, so that page's visits follow it."""

from wagtail.signals import page_published


def _page_published(sender, instance, **kwargs) -> None:
    from .services import refresh_page_details

    refresh_page_details(page=instance)


def connect() -> None:
    page_published.connect(_page_published, dispatch_uid="visits_refresh_page_details")
