"""The site's roles as Django groups (see DESIGN.md). Migration 0002_roles creates them with their admin
permissions: Editors edit pages, images and documents; Moderators also publish and manage members and the
outbox; Hosts and Members have nothing in the admin."""

MEMBERS = "Members"
HOSTS = "Hosts"
MODERATORS = "Moderators"
EDITORS = "Editors"


def in_role(user, *names: str) -> bool:
    """Whether the person is in any of the named role groups: from the cache, with no query once warm (the
    admin menu asks on every page)."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from . import conf
    from .auth_backends import group_ids, permissions_version

    if not user.is_authenticated:
        return False
    key = f"network:role-group-ids:{permissions_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = dict(
            Group.objects.filter(name__in=[MEMBERS, HOSTS, MODERATORS, EDITORS]).values_list("name", "pk")
        )
        cache.set(key, ids, conf.PERMISSIONS_CACHE_SECONDS)
    return bool(group_ids(user) & {ids[name] for name in names if name in ids})
