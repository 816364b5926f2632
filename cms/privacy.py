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
    hidden = Q()
    for restriction in _failed_restrictions(request):
        hidden |= Q(path__startswith=restriction.page.path)
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
            ok = authenticated and (
                user.is_superuser or bool(group_ids & {g.pk for g in restriction.groups.all()})
            )
        else:
            ok = restriction.accept_request(request)  # a password held in the session; no query
        if not ok:
            failed.append(restriction)
    return failed
