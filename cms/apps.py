from django.apps import AppConfig


def index_references_now(sender, instance, **kwargs):
    """Which pages use a document decides who may download it (see wagtail_hooks): do not wait for the
    background task to learn that a members-only page now links to one."""
    from wagtail.models import ReferenceIndex

    ReferenceIndex.create_or_update_for_object(instance)


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
        """The restriction list and the menu are cached; any change that could alter them forgets them."""
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import PageViewRestriction, get_page_models
        from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

        from .context_processors import forget_menus
        from .privacy import forget_aliases, forget_restrictions

        for receiver in (forget_restrictions, forget_menus):  # the menu lists public pages only
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=PageViewRestriction, dispatch_uid=f"cms.{receiver}.{signal}")
            m2m_changed.connect(
                receiver, sender=PageViewRestriction.groups.through, dispatch_uid=f"cms.{receiver}.groups"
            )
        # paths change when pages move (deleting a page deletes its restrictions, which signals itself)
        post_page_move.connect(forget_restrictions, dispatch_uid="cms.r.moved")
        post_page_move.connect(forget_aliases, dispatch_uid="cms.aliases.moved")
        from wagtail.models import Site

        from network.models import Theme

        from .middleware import forget_sites

        for signal in (post_save, post_delete):
            signal.connect(forget_sites, sender=Site, dispatch_uid=f"cms.sites.{signal}")
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(forget_sites, dispatch_uid=f"cms.sites.{signal}")

        from .exemplars import forget_facet_names
        from .models import Sector

        for model in (Theme, Sector):
            for signal in (post_save, post_delete):
                signal.connect(forget_facet_names, sender=model, dispatch_uid=f"cms.facets.{signal}.{model}")
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(forget_menus, dispatch_uid=f"cms.menu.{signal}")
        for page_type in get_page_models():
            post_delete.connect(forget_menus, sender=page_type, dispatch_uid=f"cms.menu.deleted.{page_type}")
            for signal in (post_save, post_delete):  # a page made, or stopped being, an alias
                signal.connect(
                    forget_aliases, sender=page_type, dispatch_uid=f"cms.aliases.{signal}.{page_type}"
                )
