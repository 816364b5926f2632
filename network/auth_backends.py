"""allauth's authentication backend, made cheap to use on every request: the person comes with their profile
from the cache (or in one query), and so do their permissions."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.cache import cache

from . import conf, fragments

VERSION_KEY = "network:permissions-version"
SIGNED_IN_KEY = "network:signed-in:{}:{}"


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        # Every signed-in request loads its person: kept in the cache under the "members" version, which any
        # change to an account or profile bumps (signals; ProfileQuerySet.update; Wagtail's bulk actions in
        # network.wagtail_hooks), so a deactivated account or a new password counts on the next request.
        key = SIGNED_IN_KEY.format(user_id, fragments.version("members"))
        user = cache.get(key)
        if user is None:
            User = get_user_model()
            try:
                # select_related: the members-only gate reads the profile on nearly every page. Deferred:
                # last_login (a sign-in elsewhere changes it and bumps nothing; a full save of this copy
                # must not write the old time back, as it is part of password-reset tokens) and the
                # private feed key (a credential, which pages other than its own settings never show)
                user = (
                    User._default_manager.select_related("network_profile")
                    .defer("last_login", "network_profile__feed_key")
                    .get(pk=user_id)
                )
            except User.DoesNotExist:
                return None
            cache.set(key, user, conf.SIGNED_IN_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            not user_obj.is_active
            or user_obj.is_anonymous
            or obj is not None
            or hasattr(user_obj, "_perm_cache")
        ):
            return super().get_all_permissions(user_obj, obj)
        # The key names everything the answer depends on besides groups and grants, whose changes bump the version.
        key = permissions_key(user_obj)
        permissions = cache.get(key)
        if permissions is None:
            permissions = super().get_all_permissions(user_obj)
            cache.set(key, permissions, conf.PERMISSIONS_CACHE_SECONDS)
        user_obj._perm_cache = permissions
        return permissions


def permissions_key(user) -> str:
    """The cache key of the person's permissions (for network.fragments.prefetch)."""
    return f"network:permissions:{user.pk}:{int(user.is_superuser)}:{permissions_version()}"


def group_ids_key(user) -> str:
    """The cache key of the person's group ids (for network.fragments.prefetch)."""
    return f"network:groups:{user.pk}:{permissions_version()}"


def permissions_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def forget_permissions(**kwargs) -> None:
    """Someone's groups, a group's grants or a person's own grants changed: every cached set is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): a fresh version makes every old key unreachable too
        cache.set(VERSION_KEY, 2, timeout=None)


def group_ids(user) -> set[int]:
    """The ids of the person's groups, from the cache (kept and forgotten with their permissions)."""
    if not user.is_authenticated:
        return set()
    key = group_ids_key(user)
    ids = cache.get(key)
    if ids is None:
        ids = set(user.groups.values_list("pk", flat=True))
        cache.set(key, ids, conf.PERMISSIONS_CACHE_SECONDS)
    return ids
