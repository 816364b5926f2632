from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
