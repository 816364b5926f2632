from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def members_changed(update_fields=None, **kwargs) -> None:
    """Everything rendered from members' profiles is stale; a sign-in (which saves only `last_login`,
    shown nowhere) changes nothing, and must not make every member sign-in rebuild the directory."""
    from . import fragments

    if update_fields and set(update_fields) <= {"last_login"}:
        return
    fragments.bump("members")


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the deployment checks
        from .middleware import session_recorded_at_login

        user_logged_in.connect(session_recorded_at_login, dispatch_uid="network.session_recorded_at_login")
        self._forget_cached_permissions_on_change()
        self._forget_cached_restrictions_on_change()
        self._forget_member_count_on_change()

    @staticmethod
    def _forget_member_count_on_change():
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Interest, Profile, Theme
        from .services import forget_member_count

        for model in (Profile, get_user_model()):  # a status changed, an account deactivated or deleted
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_member_count, sender=model, dispatch_uid=f"network.count.{model}.{signal}"
                )
        # the directory's rendered cards (network.fragments): any profile, account, theme or interest change
        for model in (Profile, get_user_model(), Theme, Interest):
            for signal in (post_save, post_delete):
                signal.connect(
                    members_changed, sender=model, dispatch_uid=f"network.fragments.{model}.{signal}"
                )
        m2m_changed.connect(
            members_changed, sender=Profile.themes.through, dispatch_uid="network.fragments.themes"
        )
        # taggit sends m2m_changed from its own add/remove/set/clear, with the through model as sender
        m2m_changed.connect(
            members_changed, sender=Profile.interests.through, dispatch_uid="network.fragments.interests"
        )

    @staticmethod
    def _forget_cached_restrictions_on_change():
        """network.privacy keeps every page restriction and alias in the cache: forget them on any change."""
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import PageViewRestriction, get_page_models
        from wagtail.signals import post_page_move

        from .privacy import forget_aliases, forget_restrictions

        for signal in (post_save, post_delete):
            signal.connect(
                forget_restrictions, sender=PageViewRestriction, dispatch_uid=f"network.r.{signal}"
            )
            for page_type in get_page_models():  # a page made, or stopped being, an alias
                signal.connect(
                    forget_aliases, sender=page_type, dispatch_uid=f"network.a.{signal}.{page_type}"
                )
        m2m_changed.connect(
            forget_restrictions, sender=PageViewRestriction.groups.through, dispatch_uid="network.r.groups"
        )
        # paths change when pages move (deleting a page deletes its restrictions, which signals itself)
        post_page_move.connect(forget_restrictions, dispatch_uid="network.r.moved")
        post_page_move.connect(forget_aliases, dispatch_uid="network.a.moved")

    @staticmethod
    def _forget_cached_permissions_on_change():
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .auth_backends import forget_permissions

        User = get_user_model()
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"network.perms.{through}")
        for model in (Group, Permission):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_permissions, sender=model, dispatch_uid=f"network.perms.{model}.{signal}"
                )
