from django.apps import AppConfig


def index_references_now(sender, instance, **kwargs):
    """Which pages use a document decides who may download it (see wagtail_hooks): do not wait for the
    background task to learn that a members-only page now links to one."""
    from wagtail.models import ReferenceIndex

    ReferenceIndex.create_or_update_for_object(instance)


def pages_changed(**kwargs) -> None:
    """Anything rendered once for many viewers from pages (network.fragments) is stale."""
    from network import fragments

    fragments.bump("pages")


def page_created(created=False, **kwargs) -> None:
    if created:
        pages_changed()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        # A module-level receiver: a function defined in here would be collected once ready() returns, and
        # the signal (which holds receivers weakly) would silently stop calling it.
        page_published.connect(index_references_now, dispatch_uid="cms.index_references_now")
        self._forget_cached_pages_on_change()

    @staticmethod
    def _forget_cached_pages_on_change():
        """The site and the facet names are cached; any change that could alter them forgets them.
        (The page restrictions that decide who sees what are network.privacy's, forgotten by network.)"""
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

        from network.models import Theme

        from .exemplars import forget_facet_names
        from .middleware import forget_sites
        from .models import Sector

        page_changes = (page_published, page_unpublished, page_slug_changed, post_page_move)
        for signal in page_changes:
            signal.connect(forget_sites, dispatch_uid=f"cms.sites.{signal}")
            signal.connect(pages_changed, dispatch_uid=f"cms.fragments.{signal}")
        for page_type in get_page_models():
            post_delete.connect(
                pages_changed, sender=page_type, dispatch_uid=f"cms.fragments.deleted.{page_type}"
            )
            # a page made live without publishing (an alias, add_child(live=True)) sends no page signal
            post_save.connect(
                page_created, sender=page_type, dispatch_uid=f"cms.fragments.created.{page_type}"
            )
        # what rendered pages show besides the pages: restrictions, facets, images and documents
        for signal in (post_save, post_delete):
            for model in (PageViewRestriction, Theme, Sector, get_image_model(), get_document_model(), Site):
                signal.connect(pages_changed, sender=model, dispatch_uid=f"cms.fragments.{signal}.{model}")
        m2m_changed.connect(
            pages_changed, sender=PageViewRestriction.groups.through, dispatch_uid="cms.fragments.r.groups"
        )
        for signal in (post_save, post_delete):
            signal.connect(forget_sites, sender=Site, dispatch_uid=f"cms.sites.{signal}")
            for model in (Theme, Sector):
                signal.connect(forget_facet_names, sender=model, dispatch_uid=f"cms.facets.{signal}.{model}")
