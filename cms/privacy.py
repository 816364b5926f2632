"""Which pages a request may see, for every listing that is not Wagtail's own page serving.

Wagtail enforces view restrictions when a page is served; listings, counts, feeds, search and related
blocks must apply the same rule themselves, or a restricted page's title leaks. Exemplars restricted to
the Members group are seen by approved members only (network keeps that group in step with membership).
"""

from django.db.models import Q, QuerySet
from wagtail.models import BaseViewRestriction, PageViewRestriction

from network.access import is_member


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


def public_pages(queryset: QuerySet) -> QuerySet:
    """What anyone may see: for feeds, sitemaps and anything cached or shared."""
    return queryset.public()


def _failed_restrictions(request) -> list[PageViewRestriction]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    group_ids = set(user.groups.values_list("pk", flat=True)) if authenticated else set()
    member = is_member(user) if authenticated else False
    failed = []
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups"):
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
