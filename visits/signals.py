"""What visits hears and says through signals.

- A page published again may have a new region or themes, which the visit list filters on: that page's
  visits follow it.
- Any saved or deleted visit, booking or feedback makes the kept renderings of visits stale
  (`network.fragments` version "visits"); services that write with QuerySet.update() bump it themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published

from network import fragments

VERSION = "visits"


def _page_published(sender, instance, **kwargs) -> None:
    from .services import refresh_page_details

    refresh_page_details(page=instance)


def _changed(sender, **kwargs) -> None:
    fragments.bump(VERSION)


def connect() -> None:
    from .models import Booking, Feedback, StudyVisit

    page_published.connect(_page_published, dispatch_uid="visits_refresh_page_details")
    for model in (StudyVisit, Booking, Feedback):
        post_save.connect(_changed, sender=model, dispatch_uid=f"visits_bump_{model.__name__}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"visits_bump_{model.__name__}_delete")
    m2m_changed.connect(_changed, sender=StudyVisit.themes.through, dispatch_uid="visits_bump_themes")
