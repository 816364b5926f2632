"""Which pages a request may see, for every listing that is not Wagtail's own page serving.

Wagtail enforces view restrictions when a page is served; listings, counts, feeds, search and related
blocks must apply the same rule themselves, or a restricted page's title leaks. Exemplars restricted to
the Members group are seen by approved members only (network keeps that group in step with membership).
"""

from django.core.cache import cache
from django.db.models import Q, QuerySet
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from .access import is_member
from .auth_backends import group_ids as user_group_ids


def visible_pages(queryset: QuerySet, request) -> QuerySet:
    """`queryset` without the pages (and their descendants) whose view restrictions `request` fails."""
    hidden, covered = Q(), None
    # One clause per failed subtree; a restriction inside one already hidden adds nothing (and SQLite
    # refuses very long expressions).
    for path in sorted(r.page.path for r in _failed_restrictions(request)):
        if covered is None or not path.startswith(covered):
            hidden |= Q(path__startswith=path)
            covered = path
    return queryset.exclude(hidden) if hidden else queryset


def audience(request) -> tuple[int, ...]:
    """What decides which pages `request` may see, as a key for anything rendered once for many viewers
    (network.fragments): the restrictions it fails. Two requests with the same audience see the same pages."""
    return tuple(sorted(r.pk for r in _failed_restrictions(request)))


def public_pages(queryset: QuerySet) -> QuerySet:
    """What anyone may see: for feeds, sitemaps and anything cached or shared."""
    return queryset.public()


RESTRICTIONS_KEY = "cms:page-view-restrictions"


def all_restrictions() -> list[PageViewRestriction]:
    """Every page view restriction with its page and groups, from the cache: read on nearly every page, changed
    rarely (cms.apps forgets the list when a restriction, its groups or the page tree change)."""
    restrictions = cache.get(RESTRICTIONS_KEY)
    if restrictions is None:
        restrictions = list(PageViewRestriction.objects.select_related("page").prefetch_related("groups"))
        cache.set(RESTRICTIONS_KEY, restrictions, 60 * 60)
    return restrictions


def forget_restrictions(**kwargs) -> None:
    cache.delete(RESTRICTIONS_KEY)


def _failed_restrictions(request) -> list[PageViewRestriction]:
    """The restrictions `request` fails, worked out once per request."""
    failed = getattr(request, "_cms_failed_restrictions", None)
    if failed is None:
        failed = request._cms_failed_restrictions = _work_out_failed_restrictions(request)
    return failed


def _work_out_failed_restrictions(request) -> list[PageViewRestriction]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    restrictions = all_restrictions()
    needs_groups = authenticated and any(
        r.restriction_type == BaseViewRestriction.GROUPS for r in restrictions
    )
    group_ids = user_group_ids(user) if needs_groups else set()
    member = is_member(user) if authenticated else False
    failed = []
    for restriction in restrictions:
        kind = restriction.restriction_type
        if kind == BaseViewRestriction.LOGIN:
            ok = member  # sign-up is open, so "signed in" alone would mean anyone: treat it as members-only
        elif kind == BaseViewRestriction.GROUPS:
            # group rights count only while the person's membership is active (not suspended or declined)
            ok = authenticated and (
                user.is_superuser or (member and bool(group_ids & {g.pk for g in restriction.groups.all()}))
            )
        else:
            ok = restriction.accept_request(request)  # a password held in the session; no query
        if not ok:
            failed.append(restriction)
    return failed


class RestrictionsOncePerPage:
    """A page type mixin: a page's view restrictions come from the cached list (no query), still as a queryset
    (Wagtail's admin chains on it; a chained queryset asks the database as usual)."""

    def get_view_restrictions(self):
        restrictions = getattr(self, "_view_restrictions", None)
        if restrictions is None:
            found = restrictions_of(self)
            restrictions = PageViewRestriction.objects.filter(pk__in=[r.pk for r in found])
            restrictions._result_cache, restrictions._prefetch_done = found, True
            self._view_restrictions = restrictions
        return restrictions


def restrictions_of(page) -> list[PageViewRestriction]:
    """What Wagtail's Page.get_view_restrictions finds: restrictions on the page and its ancestors, where an
    alias (the page or an ancestor) counts with its source page's restrictions instead of its own."""
    aliases = alias_sources()
    sources = {source for path, source in aliases.items() if page.path.startswith(path)}
    return [
        r
        for r in all_restrictions()
        if r.page_id in sources or (page.path.startswith(r.page.path) and r.page.path not in aliases)
    ]


ALIASES_KEY = "cms:alias-pages"


def alias_sources() -> dict[str, int]:
    """{path of an alias page: id of its source page}, from the cache (forgotten when any page is saved)."""
    aliases = cache.get(ALIASES_KEY)
    if aliases is None:
        aliases = dict(Page.objects.filter(alias_of__isnull=False).values_list("path", "alias_of_id"))
        cache.set(ALIASES_KEY, aliases, 60 * 60)
    return aliases


def forget_aliases(**kwargs) -> None:
    cache.delete(ALIASES_KEY)
